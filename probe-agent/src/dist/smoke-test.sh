#!/bin/sh
# Smoke test of the agent tarball as a user gets it: unpacked into an empty folder, run with an
# empty environment (no JAVA_HOME, no java on the PATH), directly and through symlinks.
#
#   smoke-test.sh TARBALL WORK_PARENT VERSION
#
# The folder is made under WORK_PARENT (probe-agent/target) with a space in its name, so the
# launcher's quoting is tested too; it is removed again when the test passes.
set -eu

tarball=$1 parent=$(cd "$2" && pwd) version=$3

fail() {
    echo "smoke test: FAILED: $*" >&2
    echo "smoke test: the unpacked distribution is kept in $dir" >&2
    exit 1
}

[ -f "$tarball" ] || { echo "smoke test: no tarball at $tarball" >&2; exit 1; }
dir=$(mktemp -d "$parent/smoke test.XXXXXX")
tar xzf "$tarball" -C "$dir"

run() {
    env -i PATH=/usr/bin:/bin "$@"
}

out=$(run "$dir/bin/vantage-agent" --help 2>&1) || fail "'bin/vantage-agent --help' exited with $?: $out"
case $out in *"Usage: vantage-agent"*) ;; *) fail "'bin/vantage-agent --help' printed no usage: $out" ;; esac

out=$(run "$dir/bin/vantage-agent" --version 2>&1) || fail "'bin/vantage-agent --version' exited with $?: $out"
case $out in *"vantage-agent $version"*) ;; *) fail "'bin/vantage-agent --version' did not print $version: $out" ;; esac

# Installed the usual way: a symlink on the PATH, here a relative one behind an absolute one.
mkdir "$dir/links"
ln -s ../bin/vantage-agent "$dir/links/relative"
ln -s "$dir/links/relative" "$dir/links/vantage-agent"
out=$(run "$dir/links/vantage-agent" --help 2>&1) || fail "the launcher called through a symlink failed: $out"
case $out in *"Usage: vantage-agent"*) ;; *) fail "the launcher called through a symlink printed no usage: $out" ;; esac

# After unpacking, the AppCDS archive is made in place, then used (-Xshare:on fails otherwise).
run "$dir/bin/vantage-agent-appcds" > /dev/null 2>&1 || fail "bin/vantage-agent-appcds failed"
out=$(run VANTAGE_AGENT_OPTS=-Xshare:on "$dir/bin/vantage-agent" --help 2>&1) \
    || fail "the runtime refuses the AppCDS archive it just made: $out"
case $out in *"Usage: vantage-agent"*) ;; *) fail "'bin/vantage-agent --help' with AppCDS printed no usage: $out" ;; esac

# Moved elsewhere, the archive no longer fits: the agent must still run, without a word on stderr.
mv "$dir" "$dir.moved"
dir="$dir.moved"
err=$(run "$dir/bin/vantage-agent" --help 2>&1 >/dev/null) || fail "the moved distribution fails: $err"
[ -z "$err" ] || fail "the moved distribution writes to stderr: $err"

# Nothing may point outside the folder (a JDK's cacerts, for one, is often a symlink into /etc);
# jlink's own links between the license files stay inside.
real_dir=$(cd -P "$dir" && pwd -P)
outside=$(find "$dir" -type l ! -path "$dir/links/*" | while IFS= read -r link; do
    to=$(readlink -f "$link") || to=""
    case $to in "$real_dir"/*) [ -e "$to" ] || echo "$link" ;; *) echo "$link" ;; esac
done)
[ -z "$outside" ] || fail "symlinks pointing outside the distribution: $outside"

rm -rf "$dir"
echo "smoke test: passed ($tarball: --help, --version, via symlinks, AppCDS made in place, moved folder)"
