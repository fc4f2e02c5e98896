#!/usr/bin/env bash
# panoptim as a dependency: `mvn install` puts the parent pom and the module jars (the bindings jar
# with libpanoptim inside, manifests with Automatic-Module-Name and Enable-Native-Access) into the
# user's ~/.m2, as a user does; then examples/maven-consumer, a separate Maven project depending on
# dev.panoptim:panoptim-java-api:0.1.0, builds from there and trains with AdamW (its loss must fall),
# run as `java -jar` (its manifest grants native access) and as `java -cp` without
# --enable-native-access (the JDK warns, training still works), and with the jars as automatic modules.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$root"
. bin/lib/jdk.sh
pt_find_jdk
export JAVA_HOME="$PANOPTIM_JAVA_HOME"
java="$JAVA_HOME/bin/java"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
m2="$HOME/.m2/repository"   # the default local repository, where a user's mvn install goes
repo="$m2/dev/panoptim"

# The modules a consumer needs (parent pom, bindings, java-api, training); bin/test's `mvn verify`
# built them, so this mostly packages and copies.
expect_exit 0 "mvn install of panoptim (parent, bindings, java-api, training)" -- \
  mvn -q -B -ntp install -DskipTests -pl training -am
for f in panoptim-parent/0.1.0/panoptim-parent-0.1.0.pom panoptim-bindings/0.1.0/panoptim-bindings-0.1.0.jar \
         panoptim-java-api/0.1.0/panoptim-java-api-0.1.0.jar panoptim-training/0.1.0/panoptim-training-0.1.0.jar; do
  [ -f "$repo/$f" ] && echo "ok: installed $f" || { echo "FAIL: $repo/$f is missing"; failures=$((failures + 1)); }
done
expect_exit 0 "list the installed bindings jar" -- unzip -l "$repo/panoptim-bindings/0.1.0/panoptim-bindings-0.1.0.jar"
expect_output 'dev/panoptim/native/linux-x86_64/libpanoptim\.so$' "the bindings jar holds the linux-x86_64 libpanoptim.so"
for m in bindings:dev.panoptim.bindings java-api:dev.panoptim.api training:dev.panoptim.training; do
  a=${m%%:*} name=${m#*:}
  expect_exit 0 "read panoptim-$a's manifest" -- unzip -p "$repo/panoptim-$a/0.1.0/panoptim-$a-0.1.0.jar" META-INF/MANIFEST.MF
  expect_output "^Automatic-Module-Name: $name"$'\r'"?\$" "panoptim-$a is module $name"
  expect_output "^Enable-Native-Access: ALL-UNNAMED"$'\r'"?\$" "panoptim-$a asks for native access"
done

# The user's project: resolves panoptim from the local repository only (-o: nothing to download).
rm -rf examples/maven-consumer/target
expect_exit 0 "mvn package of examples/maven-consumer" -- mvn -q -B -ntp -o -f examples/maven-consumer/pom.xml package
cache="-Dpanoptim.cache.dir=$work/cache"   # a fresh cache: the library comes out of the installed jar
expect_exit 0 "java -jar target/maven-consumer.jar" -- "$java" "$cache" -jar examples/maven-consumer/target/maven-consumer.jar
loss_fell "AdamW trains the MLP (java -jar)"
if grep -q 'restricted method' <<<"$out"; then echo "FAIL: java -jar warned about native access:"; echo "$out" | head -5; failures=$((failures + 1))
else echo "ok: java -jar: no native-access warning (the example jar's manifest grants it)"; fi
expect_exit 0 "java -cp without --enable-native-access" -- \
  "$java" "$cache" -cp "examples/maven-consumer/target/classes:examples/maven-consumer/target/lib/*" dev.panoptim.examples.TrainClassifier
loss_fell "AdamW trains the MLP (java -cp, no --enable-native-access)"
expect_output '^WARNING: A restricted method in java\.lang\.foreign' "the JDK only warns about the restricted method"
echo "$out" | grep '^WARNING' | sed 's/^/    /'
expect_exit 0 "java -cp with --enable-native-access=ALL-UNNAMED" -- \
  "$java" "$cache" --enable-native-access=ALL-UNNAMED -cp "examples/maven-consumer/target/classes:examples/maven-consumer/target/lib/*" \
  dev.panoptim.examples.TrainClassifier 100
if grep -q '^WARNING' <<<"$out"; then echo "FAIL: warned despite --enable-native-access:"; echo "$out" | head -5; failures=$((failures + 1))
else echo "ok: --enable-native-access=ALL-UNNAMED: no warning"; fi
# On the module path the jars are automatic modules named by their manifests; native access is
# granted to the bindings module by name.
expect_exit 0 "panoptim on the module path, --enable-native-access=dev.panoptim.bindings" -- \
  "$java" "$cache" --module-path examples/maven-consumer/target/lib --add-modules dev.panoptim.api \
  --enable-native-access=dev.panoptim.bindings -cp examples/maven-consumer/target/classes dev.panoptim.examples.TrainClassifier 100
loss_fell "AdamW trains the MLP (panoptim as automatic modules)"
if grep -q '^WARNING' <<<"$out"; then echo "FAIL: warned on the module path:"; echo "$out" | head -5; failures=$((failures + 1))
else echo "ok: module path: no warning"; fi
rm -rf examples/maven-consumer/target
finish
