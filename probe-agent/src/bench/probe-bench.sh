#!/usr/bin/env bash
# Probe-engine benchmark (not a test). From the project root:
#   probe-agent/src/bench/probe-bench.sh [FIRST_PORT]
# Sweeps FIRST_PORT..FIRST_PORT+4999 (default 20000-24999, below the ephemeral range) on loopback:
# TCP against nmap -sT -T5 with a per-port comparison, UDP through the responder, then CPU per TCP
# probe. Needs nmap (apt-get install -y nmap) and an open-file limit above 6000 (ulimit -n).
set -euo pipefail
cd "$(dirname "$0")/../../.."
command -v nmap >/dev/null || { echo "nmap is missing: apt-get install -y nmap" >&2; exit 2; }
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt 6000 ]; then
  ulimit -n 6000 2>/dev/null || { echo "open-file limit $(ulimit -n) is below 6000; raise it (ulimit -n 6000)" >&2; exit 2; }
fi
cp_file="$PWD/probe-agent/target/bench.classpath"
./mvnw -B -q -pl probe-agent -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test
java -cp "probe-agent/target/test-classes:probe-agent/target/classes:$(cat "$cp_file")" \
  dev.vantage.agent.bench.ProbeBench "${1:-20000}"
