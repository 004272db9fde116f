#!/bin/sh
# Measures the agent's JVM distribution: sizes, start-up time of '--help' (hyperfine) and peak
# RSS (/usr/bin/time -v), with and without the AppCDS archive, and the fast-jar on the system JDK.
#
#   probe-agent/src/dist/benchmark.sh [RUNS]      (after: ./mvnw -B -Pdist -pl probe-agent -am package -DskipTests)
#
# Needs hyperfine and GNU time (Debian: apt-get install -y hyperfine time). Works in
# probe-agent/target/bench/ and prints Markdown for BENCHMARKS.md.
set -eu

runs=${1:-20}
here=$(cd "$(dirname "$0")/../.." && pwd)            # probe-agent/
target="$here/target"
tarball=$(ls "$target"/vantage-agent-*-linux-x86_64.tar.gz)
bench="$target/bench"
rm -rf "$bench"
mkdir -p "$bench/appcds" "$bench/plain"
tar xzf "$tarball" -C "$bench/appcds"
tar xzf "$tarball" -C "$bench/plain"
"$bench/appcds/bin/vantage-agent-appcds" > /dev/null

cli() {
    env -i PATH=/usr/bin:/bin "$@"
}

echo "## Machine"
echo
echo "- $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "- build and system JDK: $(java -version 2>&1 | head -1)"
echo "- load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "## Size"
echo
echo "| what | size |"
echo "|---|---|"
echo "| tarball \`$(basename "$tarball")\` | $(du -k "$tarball" | cut -f1) KiB |"
echo "| unpacked, total | $(du -sk "$bench/plain" | cut -f1) KiB |"
echo "| of which \`runtime/\` (jlinked JDK, with its base CDS archive) | $(du -sk "$bench/plain/runtime" | cut -f1) KiB |"
echo "| of which \`runtime/lib/server/classes.jsa\` (base CDS archive) | $(du -ck "$bench/plain/runtime/lib/server/"*.jsa | tail -1 | cut -f1) KiB |"
echo "| of which \`app/\` (Quarkus fast-jar) | $(du -sk "$bench/plain/app" | cut -f1) KiB |"
echo "| \`lib/app.jsa\` made by \`bin/vantage-agent-appcds\` | $(du -k "$bench/appcds/lib/app.jsa" | cut -f1) KiB |"
echo

systemjava=$(command -v java)
fastjar="$target/quarkus-app/quarkus-run.jar"
echo "## Start-up of \`--help\` (hyperfine, $runs runs after 3 warm-up runs)"
echo
hyperfine -N --warmup 3 --runs "$runs" --export-markdown "$bench/hyperfine.md" --export-json "$bench/hyperfine.json" \
    -n "bin/vantage-agent, AppCDS" "env -i PATH=/usr/bin:/bin $bench/appcds/bin/vantage-agent --help" \
    -n "bin/vantage-agent, no AppCDS (runtime's base CDS only)" "env -i PATH=/usr/bin:/bin $bench/plain/bin/vantage-agent --help" \
    -n "bin/vantage-agent, -Xshare:off" "env -i PATH=/usr/bin:/bin VANTAGE_AGENT_OPTS=-Xshare:off $bench/plain/bin/vantage-agent --help" \
    -n "system JDK, java -jar quarkus-run.jar (JVM defaults)" "$systemjava -jar $fastjar --help" \
    -n "system JDK, java -jar quarkus-run.jar (launcher's flags)" "$systemjava -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:MaxRAMPercentage=25 -XX:-UsePerfData -jar $fastjar --help" \
    > /dev/null
cat "$bench/hyperfine.md"
echo
echo "CPU time per run (user + system, mean), less sensitive to other load on the machine than wall time:"
echo
python3 - "$bench/hyperfine.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"- {r['command']}: {1000 * (r['user'] + r['system']):.0f} ms")
PY
echo

rss() {
    best=""
    for i in 1 2 3 4 5; do
        kb=$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}')
        best="$best $kb"
    done
    # median of five
    echo "$best" | tr ' ' '\n' | grep . | sort -n | sed -n 3p
}
echo "## Peak RSS of \`--help\` (/usr/bin/time -v, median of 5)"
echo
echo "| command | max RSS |"
echo "|---|---|"
echo "| bin/vantage-agent, AppCDS | $(rss env -i PATH=/usr/bin:/bin "$bench/appcds/bin/vantage-agent" --help) KiB |"
echo "| bin/vantage-agent, no AppCDS | $(rss env -i PATH=/usr/bin:/bin "$bench/plain/bin/vantage-agent" --help) KiB |"
echo "| bin/vantage-agent, -Xshare:off | $(rss env -i PATH=/usr/bin:/bin VANTAGE_AGENT_OPTS=-Xshare:off "$bench/plain/bin/vantage-agent" --help) KiB |"
echo "| system JDK, java -jar quarkus-run.jar | $(rss "$systemjava" -jar "$fastjar" --help) KiB |"
