# Sourced by the bench scripts: sets JAVA to a JDK >= 21's java, from JAVA_HOME or /usr/lib/jvm
# (the same search as ./flywheel).
JAVA=""
for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [ -n "$candidate" ] && [ -f "$candidate/release" ] && \
     [ "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$candidate/release")" -ge 21 ] 2>/dev/null; then
    JAVA="$candidate/bin/java"; break
  fi
done
[ -n "$JAVA" ] || { echo "no JDK >= 21 in JAVA_HOME or /usr/lib/jvm" >&2; exit 1; }
