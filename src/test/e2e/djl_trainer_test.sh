#!/usr/bin/env bash
# panoptim in a DJL (Deep Java Library) project: `mvn install -pl djl -am` puts panoptim-djl and what it
# needs into the user's ~/.m2; then examples/djl-trainer, a separate Maven project on
# dev.panoptim:panoptim-djl:0.1.0 and DJL's PyTorch engine (libtorch inside pytorch-native-cpu's jar),
# builds offline and trains a classifier with DJL's EasyTrain and panoptim's AdamW: its loss must fall,
# every update must step DJL's tensors in place (copied=0), and the model and the optimizer's state
# must be saved. The README's "With DJL" section must show this very example and the pom's versions.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
. bin/lib/jdk.sh
pt_find_jdk
export JAVA_HOME="$PANOPTIM_JAVA_HOME"
java="$JAVA_HOME/bin/java"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
example=examples/djl-trainer
source_file=$example/src/main/java/dev/panoptim/examples/djl/TrainWithDjl.java

# The README shows the example as it is: its java block is the source file, byte for byte, and its
# dependency snippet names the versions the example's pom uses.
expect_exit 0 "README's 'With DJL' section matches $example" -- python3 - README.md "$source_file" "$example/pom.xml" <<'PY'
import re, sys, pathlib, xml.etree.ElementTree as ET
readme, source, pom = (pathlib.Path(p) for p in sys.argv[1:4])
section = re.search(r"^## With DJL\n(.*?)(?=^## )", readme.read_text(), re.S | re.M)
if not section:
    sys.exit("README.md has no '## With DJL' section")
text = section.group(1)
java = re.findall(r"```java\n(.*?)```", text, re.S)
if len(java) != 1:
    sys.exit(f"expected one java block in 'With DJL', found {len(java)}")
if java[0] != source.read_text():
    sys.exit(f"the java block of 'With DJL' differs from {source} (copy the file into the README)")
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
project = ET.parse(pom).getroot()
props = {p.tag.split("}")[1]: p.text for p in project.find("m:properties", ns)}
resolve = lambda v: re.sub(r"\$\{([^}]+)\}", lambda m: props[m.group(1)], v or "")
in_pom = {}
for d in project.iterfind("m:dependencies/m:dependency", ns):
    key = (d.findtext("m:groupId", namespaces=ns), d.findtext("m:artifactId", namespaces=ns))
    in_pom[key] = (resolve(d.findtext("m:version", namespaces=ns)), d.findtext("m:classifier", default="", namespaces=ns))
shown = []
for block in re.findall(r"```xml\n(.*?)```", text, re.S):
    root = ET.fromstring("<r>" + block + "</r>")
    for d in root.iter("dependency"):
        shown.append((d.findtext("groupId"), d.findtext("artifactId"), d.findtext("version"), d.findtext("classifier", "")))
for coordinate in re.findall(r'(?:implementation|runtimeOnly)\("([^"]+)"\)', text):  # Gradle: group:artifact:version[:classifier]
    parts = coordinate.split(":")
    shown.append(tuple(parts) + ("",) * (4 - len(parts)))
if not any(s[1] == "panoptim-djl" for s in shown):
    sys.exit("the 'With DJL' section shows no panoptim-djl dependency")
for group, artifact, version, classifier in shown:
    if (group, artifact) not in in_pom:
        sys.exit(f"README shows {group}:{artifact}, which {pom} does not depend on")
    if in_pom[(group, artifact)] != (version, classifier or ""):
        sys.exit(f"README shows {group}:{artifact}:{version} {classifier}, {pom} has {in_pom[(group, artifact)]}")
print(f"one java block, identical to {source}; {len(shown)} dependency coordinate(s), as in {pom}")
PY
echo "    $out"

expect_exit 0 "mvn install of panoptim-djl (parent, bindings, java-api, djl)" -- \
  mvn -q -B -ntp install -DskipTests -pl djl -am
jar="$HOME/.m2/repository/dev/panoptim/panoptim-djl/0.1.0/panoptim-djl-0.1.0.jar"
[ -f "$jar" ] && echo "ok: installed $jar" || { echo "FAIL: $jar is missing"; failures=$((failures + 1)); }

# The user's project: resolves panoptim and DJL from the local repository only (-o: nothing to download).
rm -rf "$example/target"
expect_exit 0 "mvn -o package of $example" -- mvn -q -B -ntp -o -f "$example/pom.xml" package
# ai.djl.offline: DJL may not download anything (libtorch comes out of pytorch-native-cpu's jar, into a
# fresh cache here); panoptim.cache.dir: libpanoptim comes out of the installed bindings jar.
expect_exit 0 "java -jar $example/target/djl-trainer.jar" -- "$java" -Dai.djl.offline=true \
  -DDJL_CACHE_DIR="$work/djl" -Dpanoptim.cache.dir="$work/panoptim" -jar "$example/target/djl-trainer.jar" "$work/out"
loss_fell "AdamW trains the DJL classifier: the mean loss of the last epoch is under half the first's"
line=$(grep -E '^updates: zeroCopy=[0-9]+ copied=[0-9]+$' <<<"$out" || true)
if [[ "$line" =~ zeroCopy=([0-9]+)\ copied=0$ ]] && [ "${BASH_REMATCH[1]}" -gt 0 ]; then
  echo "ok: every update stepped DJL's tensors in place: $line"
else echo "FAIL: expected 'updates: zeroCopy=N copied=0' with N > 0, got '$line'"; failures=$((failures + 1)); fi
expect_output 'Extracting pytorch/cpu/linux-x86_64/libtorch\.so to cache' "libtorch comes out of pytorch-native-cpu's jar"
if grep -q 'restricted method' <<<"$out"; then echo "FAIL: java -jar warned about native access:"; grep WARNING <<<"$out" | head -5; failures=$((failures + 1))
else echo "ok: no native-access warning (the example jar's manifest grants it)"; fi
for f in classifier-0005.params classifier.optimizer; do
  expect_output "^saved $work/out/$f\$" "prints the path of $f"
  [ -s "$work/out/$f" ] && echo "ok: $f saved ($(stat -c %s "$work/out/$f") bytes)" || { echo "FAIL: $work/out/$f is missing or empty"; failures=$((failures + 1)); }
done
rm -rf "$example/target"
finish
