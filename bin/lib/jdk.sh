# Sourced by bin/* scripts: sets PANOPTIM_JAVA_HOME to a JDK >= 22 (JAVA_HOME first, then
# /usr/lib/jvm/*, newest first) or prints what to install and exits 2. pt_find_runtime also takes a
# Java runtime without javac (a jlink'd one, as carried to the GPU machine): enough once built.
pt_java_feature() {  # pt_java_feature DIR [runtime]: the feature version of the JDK (or runtime) at DIR, or nothing
  local v
  [ -x "$1/bin/java" ] || return 0
  [ "${2:-}" = runtime ] || [ -x "$1/bin/javac" ] || return 0
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2; exit}')
  printf '%s' "${v%%.*}"
}

pt_find_jdk() {
  pt_find_java jdk
}

pt_find_runtime() {
  pt_find_java runtime
}

pt_find_java() {  # pt_find_java jdk|runtime
  local candidate feature
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV); do
    [ -n "$candidate" ] || continue
    feature=$(pt_java_feature "$candidate" "$1")
    if [ -n "$feature" ] && [ "$feature" -ge 22 ] 2>/dev/null; then
      PANOPTIM_JAVA_HOME="$candidate"
      export PANOPTIM_JAVA_HOME
      return 0
    fi
  done
  echo "panoptim: no JDK >= 22 found (looked at JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm/*)." >&2
  echo "panoptim: install one, e.g. 'apt-get install temurin-25-jdk' or 'apt-get install openjdk-25-jdk', or set JAVA_HOME." >&2
  exit 2
}
