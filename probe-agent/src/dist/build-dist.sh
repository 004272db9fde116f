#!/bin/sh
# Builds the JVM distribution of the agent: a jlinked Java runtime with its own base CDS archive,
# the Quarkus fast-jar, the launcher, the AppCDS helper and a README, packed into one tarball.
# Run by the 'dist' Maven profile of probe-agent (see probe-agent/pom.xml), which passes:
#
#   build-dist.sh JAVA_HOME SRC_DIST_DIR TARGET_DIR VERSION MODULES OMITTED
#
# JAVA_HOME     the JDK to link the runtime from (the one running Maven)
# SRC_DIST_DIR  probe-agent/src/dist (launcher, README, check-modules.sh)
# TARGET_DIR    probe-agent/target, holding quarkus-app/ already
# VERSION       the project version
# MODULES       comma-separated JDK modules of the runtime
# OMITTED       modules jdeps finds but left out on purpose (see check-modules.sh)
#
# Every step that can reveal a broken distribution (a module missing, no ECDHE, the launcher
# failing without a system Java, an AppCDS archive the runtime refuses) fails the build.
set -eu

java_home=$1 src=$(cd "$2" && pwd) target=$(cd "$3" && pwd) version=$4 modules=$5 omitted=$6

app="$target/quarkus-app"
work="$target/dist-work"
stage="$work/vantage-agent"
tarball="$target/vantage-agent-$version-linux-x86_64.tar.gz"

fail() {
    echo "dist: $*" >&2
    exit 1
}

[ -f "$app/quarkus-run.jar" ] || fail "no Quarkus fast-jar at $app; the quarkus-maven-plugin 'build' goal must run first"
[ -d "$java_home/jmods" ] || fail "$java_home has no jmods/ folder, so jlink cannot build a runtime from it; build with a full JDK 17 (Debian: apt-get install openjdk-17-jdk-headless openjdk-17-jmods)"

rm -rf "$work" "$tarball"
mkdir -p "$stage/bin" "$stage/lib"

echo "dist: linking a Java runtime with $modules"
"$java_home/bin/jlink" \
    --add-modules "$modules" \
    --strip-debug --no-man-pages --no-header-files --compress=2 \
    --generate-cds-archive \
    --output "$stage/runtime"

# jlink makes two base archives; classes_nocoops.jsa only serves heaps of 32 GiB and more (no
# compressed oops), which a probe agent never needs; such a JVM would just start without CDS.
rm -f "$stage/runtime/lib/server/classes_nocoops.jsa"

sh "$src/check-modules.sh" "$java_home" "$app" "$stage/runtime" "$work/jdeps" "$omitted"

# TLS with ECDHE needs the EC provider (jdk.crypto.ec on JDK 17); without it the JDK silently
# drops every ECDHE cipher suite and most TLS servers refuse the handshake.
"$stage/runtime/bin/java" -XshowSettings:security:providers -version 2>&1 | grep -q 'Provider name: SunEC' \
    || fail "the runtime has no SunEC provider: add jdk.crypto.ec to agent.runtime.modules"
"$stage/runtime/bin/java" -XshowSettings:security:tls -version 2>&1 | grep -q 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' \
    || fail "the runtime offers no ECDHE cipher suite"

cp -R "$app" "$stage/app"
cp "$src/vantage-agent" "$src/vantage-agent-appcds" "$stage/bin/"
chmod 755 "$stage/bin/vantage-agent" "$stage/bin/vantage-agent-appcds"
sed "s/@VERSION@/$version/g" "$src/README" > "$stage/README"

# The application must start on the bundled runtime alone: no JAVA_HOME, no java on the PATH.
run() {
    env -i PATH=/usr/bin:/bin "$@"
}
run "$stage/bin/vantage-agent" --version > "$work/version.txt" 2>&1 \
    || { cat "$work/version.txt" >&2; fail "'bin/vantage-agent --version' failed on the bundled runtime"; }
grep -q "vantage-agent $version" "$work/version.txt" \
    || { cat "$work/version.txt" >&2; fail "'bin/vantage-agent --version' did not print version $version"; }
run "$stage/bin/vantage-agent" --help > "$work/help.txt" 2>&1 \
    || { cat "$work/help.txt" >&2; fail "'bin/vantage-agent --help' failed on the bundled runtime"; }
grep -q 'Usage: vantage-agent' "$work/help.txt" \
    || { cat "$work/help.txt" >&2; fail "'bin/vantage-agent --help' printed no usage"; }

# The AppCDS archive is not shipped: on JDK 17 it records the absolute path of the jars, so it
# only fits the folder it was made in (bin/vantage-agent-appcds makes it after unpacking). Make
# one here all the same, to prove this runtime can dump and use it, then drop it.
echo "dist: checking that the runtime makes and accepts an AppCDS archive"
run "$stage/bin/vantage-agent-appcds" > "$work/appcds.txt" 2>&1 \
    || { cat "$work/appcds.txt" >&2; fail "bin/vantage-agent-appcds failed"; }
rm -f "$stage/lib/app.jsa"

(cd "$stage" && tar --sort=name --owner=0 --group=0 --numeric-owner -cf - README bin lib runtime app) \
    | gzip -9n > "$tarball"
echo "dist: $tarball ($(du -k "$tarball" | cut -f1) KiB; unpacked $(du -sk "$stage" | cut -f1) KiB)"
