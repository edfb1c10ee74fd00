#!/bin/sh
# tests/valgrind.sh - the end-to-end tests once under valgrind memcheck.
#
#   tests/valgrind.sh [--bin DIR] [--build DIR]
#
# The tests run the programs from PATH, so this puts first on PATH a folder
# of wrappers that run the real tsearch, tsearch-index and tsearch-query
# (from --bin, default .) under memcheck; TSEARCH_EXEC_PATH sends the
# dispatcher's exec of its helpers through the wrappers too. Each process
# logs to its own file; a memory error or a definite leak makes the process
# exit 99 (so the test that ran it fails) and is listed at the end with its
# log. TSEARCH_TEST_VALGRIND=1 lets the heaviest tests shrink their inputs.
# Exit status: 0 when every test passed and no log holds an error.

set -u
BIN=.
BUILD=build
while [ $# -gt 0 ]; do
	case "$1" in
	--bin) BIN=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	*) echo "usage: tests/valgrind.sh [--bin DIR] [--build DIR]" >&2; exit 2 ;;
	esac
done
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed" >&2; exit 2; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$BIN" && pwd)
mkdir -p "$BUILD"
WRAP=$(cd "$BUILD" && pwd)/valgrind-bin
LOGS=$(cd "$BUILD" && pwd)/valgrind-logs
rm -rf "$WRAP" "$LOGS"
mkdir -p "$WRAP" "$LOGS"
for p in tsearch tsearch-index tsearch-query; do
	# Each process gets a log of its own: named by process id, a log could
	# be overwritten by a later process given the same id once ids wrap.
	cat >"$WRAP/$p" <<EOF
#!/bin/sh
log=\$(mktemp "$LOGS/$p.XXXXXXXX.log") || exit 98
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \\
	--errors-for-leak-kinds=definite --num-callers=30 \\
	--log-file="\$log" "$BIN/$p" "\$@"
EOF
	chmod +x "$WRAP/$p"
done

TSEARCH_EXEC_PATH=$WRAP TSEARCH_TEST_VALGRIND=1 \
	"$REPO/tests/run.sh" --bin "$WRAP" --build "$BUILD" --e2e-only
rc=$?

# Valgrind logs every process; only the ones holding errors matter.
bad=$(grep -lE 'ERROR SUMMARY: [1-9]|definitely lost in|Invalid (read|write|free)|uninitialised|Mismatched free|Syscall param|overlap|Process terminating' \
	"$LOGS"/*.log 2>/dev/null)
n=$(ls "$LOGS" | wc -l | tr -d ' ')
if [ -n "$bad" ]; then
	echo "valgrind: errors in $(echo "$bad" | wc -l | tr -d ' ') of $n processes:"
	for f in $bad; do
		echo "== $f"
		head -60 "$f"
	done
	exit 1
fi
echo "valgrind: $n processes, no memory errors, no definite leaks"
exit $rc
