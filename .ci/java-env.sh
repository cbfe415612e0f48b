#!/usr/bin/env bash
# Source me: selects a JDK >= MIN_JAVA (default 25) and exports JAVA_HOME and PATH.
# Keeps $JAVA_HOME when it is already new enough; otherwise picks the newest JDK found.
MIN_JAVA="${MIN_JAVA:-25}"
_jdk_major() {
  local home="$1" v=""
  [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release"); fi
  if [ -z "$v" ]; then v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java\.specification\.version = //p'); fi
  v="${v#1.}"; echo "${v%%[.+-]*}"
}
_pick_jdk() {
  local best="" best_v=0 d v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(_jdk_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$MIN_JAVA" ]; then echo "$JAVA_HOME"; return 0; fi
  fi
  for d in ${JDK_SEARCH_DIRS:-/usr/lib/jvm/* /opt/java/* /opt/jdk*}; do
    [ -d "$d" ] || continue
    d=$(readlink -f "$d"); v=$(_jdk_major "$d"); [ -n "$v" ] || continue
    if [ "$v" -ge "$MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then best="$d"; best_v="$v"; fi
  done
  [ -n "$best" ] && echo "$best"
}
_jh=$(_pick_jdk || true)
if [ -z "$_jh" ]; then
  echo "ERROR: no JDK >= $MIN_JAVA found (JAVA_HOME=${JAVA_HOME:-unset}, searched /usr/lib/jvm, /opt)" >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$_jh"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8's bundled guava warns about sun.misc.Unsafe on JDK 23+; this flag exists only there.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
unset _jh
