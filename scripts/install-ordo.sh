#!/usr/bin/env bash
# Installs the ordo runner for one user: builds the runnable jar (cli/target/ordo.jar), copies it to
# PREFIX/lib/ordo/ordo.jar and writes the launcher PREFIX/bin/ordo. PREFIX defaults to ~/.local, whose bin/ most
# distributions put on PATH.
#   scripts/install-ordo.sh              # ~/.local/bin/ordo
#   scripts/install-ordo.sh /opt/ordo    # /opt/ordo/bin/ordo (as a user who may write there)
# ORDO_JAR=path/to/ordo.jar installs that jar instead of building one; extra Maven options for the build go in
# ORDO_MAVEN_OPTS (e.g. "-o" offline). Needs Java 17 or newer to run; Maven to build. Run it again to update;
# uninstall with rm PREFIX/bin/ordo and rm -r PREFIX/lib/ordo.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${1:-$HOME/.local}"
case "$prefix" in
    /*) ;;
    *) prefix="$(pwd)/$prefix" ;;  # the launcher names the jar by this path: it must not depend on where ordo runs
esac
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
    echo "install-ordo: no java on PATH and no JAVA_HOME; install Java 17 or newer first" >&2
    exit 1
fi
jar="${ORDO_JAR:-}"
if [ -z "$jar" ]; then
    # shellcheck disable=SC2086 # ORDO_MAVEN_OPTS holds several options
    (cd "$root" && mvn -q -B -ntp ${ORDO_MAVEN_OPTS:-} -DskipTests -Dmaven.javadoc.skip -pl cli -am package)
    jar="$root/cli/target/ordo.jar"
fi
if [ ! -f "$jar" ]; then
    echo "install-ordo: $jar does not exist; build it with mvn -pl cli -am package, or leave ORDO_JAR unset" >&2
    exit 1
fi
mkdir -p "$prefix/bin" "$prefix/lib/ordo"
# copied under a temporary name and moved: an ordo running from the old jar keeps reading a whole file
cp "$jar" "$prefix/lib/ordo/ordo.jar.new"
mv -f "$prefix/lib/ordo/ordo.jar.new" "$prefix/lib/ordo/ordo.jar"
cat > "$prefix/bin/ordo.new" <<LAUNCHER
#!/bin/sh
# The ordo runner, installed by scripts/install-ordo.sh. JAVA_HOME picks the Java (else java on PATH);
# ORDO_JAVA_OPTS go to the JVM, e.g. ORDO_JAVA_OPTS=-Xmx512m.
if [ -n "\${JAVA_HOME:-}" ]; then java="\$JAVA_HOME/bin/java"; else java=java; fi
# shellcheck disable=SC2086
exec "\$java" \${ORDO_JAVA_OPTS:-} -jar "$prefix/lib/ordo/ordo.jar" "\$@"
LAUNCHER
chmod 755 "$prefix/bin/ordo.new"
mv -f "$prefix/bin/ordo.new" "$prefix/bin/ordo"
echo "installed $prefix/bin/ordo ($("$prefix/bin/ordo" --version))"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "add $prefix/bin to PATH to run it as ordo, e.g.: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
