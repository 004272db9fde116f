#!/bin/sh
# Checks that a jlinked runtime has every JDK module the application's classes refer to.
#
#   check-modules.sh JAVA_HOME QUARKUS_APP_DIR RUNTIME_DIR WORK_DIR OMITTED
#
# JAVA_HOME        the JDK whose jdeps and jar tools are used (the one the runtime was linked from)
# QUARKUS_APP_DIR  the Quarkus fast-jar folder (target/quarkus-app)
# RUNTIME_DIR      the jlinked runtime to check
# WORK_DIR         scratch folder (emptied first)
# OMITTED          modules left out on purpose, with the only packages allowed to refer to them:
#                  "module=pkg-prefix,pkg-prefix;module=pkg-prefix"
#
# jdeps cannot take modular jars as roots next to plain ones, so all jars are unpacked into one
# folder (module descriptors removed, multi-release classes up to Java 17 laid over the base
# ones) and jdeps reads that. Prints the modules the classes refer to directly (jlink adds what
# those require).
set -eu

java_home=$1 app=$(cd "$2" && pwd) runtime=$(cd "$3" && pwd) work=$4 omitted=$5

rm -rf "$work"
mkdir -p "$work/classes"
for jar in "$app"/lib/boot/*.jar "$app"/lib/main/*.jar "$app"/app/*.jar "$app"/quarkus/*.jar "$app"/quarkus-run.jar; do
    [ -f "$jar" ] || continue
    if command -v unzip >/dev/null 2>&1; then
        unzip -qo "$jar" -d "$work/classes"
    else
        (cd "$work/classes" && "$java_home/bin/jar" xf "$jar")
    fi
done
(
    cd "$work/classes"
    if [ -d META-INF/versions ]; then
        for v in 9 10 11 12 13 14 15 16 17; do
            if [ -d "META-INF/versions/$v" ]; then cp -R "META-INF/versions/$v/." .; fi
        done
        rm -rf META-INF/versions
    fi
    find . -name module-info.class -exec rm -f {} +
)

# "   source.package   -> target.package   module"; internal APIs show the module in parentheses,
# references inside the application show the folder name instead of a module.
"$java_home/bin/jdeps" --ignore-missing-deps --multi-release 17 -q -verbose:package "$work/classes" \
    | awk '$2 == "->" && NF >= 4 { m = $NF; gsub(/[()]/, "", m); if (m ~ /^(java|jdk)[.]/) print m, $1 }' \
    | sort -u > "$work/uses.txt"
echo "jdeps: the application refers to $(cut -d' ' -f1 "$work/uses.txt" | sort -u | paste -sd, -)"

"$runtime/bin/java" --list-modules | sed 's/@.*//' > "$work/runtime-modules.txt"

status=0
for module in $(cut -d' ' -f1 "$work/uses.txt" | sort -u); do
    if grep -qx "$module" "$work/runtime-modules.txt"; then continue; fi
    prefixes=$(printf '%s\n' "$omitted" | tr ';' '\n' | sed -n "s/^[[:space:]]*$module=//p" | tr ',' ' ')
    for pkg in $(awk -v m="$module" '$1 == m { print $2 }' "$work/uses.txt"); do
        allowed=no
        for prefix in $prefixes; do
            case $pkg in "$prefix"|"$prefix".*) allowed=yes ;; esac
        done
        if [ $allowed = no ]; then
            echo "MISSING MODULE: package $pkg uses $module, which the runtime does not have." >&2
            status=1
        fi
    done
done
if [ $status -ne 0 ]; then
    echo "Add the module(s) to agent.runtime.modules in probe-agent/pom.xml, or, if that code never" >&2
    echo "runs in the agent, add the package to agent.runtime.modules.omitted with the reason." >&2
    exit 1
fi
echo "jdeps: every module the application refers to is in the runtime (or omitted on purpose)"
