#!/bin/sh
# tests/run.sh - run the unit tests and the end-to-end tests, print a summary.
#
#   tests/run.sh --bin DIR --build DIR [--unit-only|--e2e-only] [UNIT_TEST...]
#
# Each unit test is a cmocka program; each end-to-end test is a
# tests/tNNN-*.sh script that reports "ok"/"not ok" lines (TAP style) through
# tests/lib.sh. A program killed by a signal (a crash) is a failure. The
# last line is "N passed, N failed" and the exit status is 1 on any failure.

set -u
BIN=.
BUILD=build
MODE=all
while [ $# -gt 0 ]; do
	case "$1" in
	--bin) BIN=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--unit-only) MODE=unit; shift ;;
	--e2e-only) MODE=e2e; shift ;;
	*) break ;;
	esac
done
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(cd "$BIN" && pwd)
export TSEARCH_BIN="$BIN" TSEARCH_REPO="$REPO"
# Sanitizers: fail hard, report leaks, keep the output readable.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
unset TSEARCH_INDEX NO_COLOR

passed=0
failed=0
failures=""
LOG=$(mktemp -d "${TMPDIR:-/tmp}/tsearch-tests.XXXXXX")
trap 'rm -rf "$LOG"' EXIT

if [ "$MODE" != e2e ]; then
	for t in "$@"; do
		name=$(basename "$t")
		case "$t" in /*) prog=$t ;; *) prog="$REPO/$t" ;; esac
		( cd "$REPO" && exec "$prog" ) >"$LOG/$name.out" 2>&1
		rc=$?
		n_ok=$(grep -c '^\[       OK \]' "$LOG/$name.out")
		n_bad=$(grep -c '^\[  FAILED  \]\|^\[  ERROR   \]' "$LOG/$name.out")
		if [ $rc -ne 0 ] || [ "$n_bad" -gt 0 ]; then
			[ "$n_bad" -gt 0 ] || n_bad=1
			failed=$((failed + n_bad))
			failures="$failures $name"
			echo "FAIL $name (exit $rc)"
			sed 's/^/    /' "$LOG/$name.out" | grep -v '^\s*\[ \(RUN\|       OK\) ' | tail -30
		else
			echo "ok   $name ($n_ok tests)"
		fi
		passed=$((passed + n_ok))
	done
fi

if [ "$MODE" != unit ]; then
	for t in "$REPO"/tests/t[0-9][0-9][0-9]-*.sh; do
		[ -f "$t" ] || continue
		name=$(basename "$t" .sh)
		dir="$LOG/$name"
		mkdir -p "$dir"
		( cd "$dir" && TEST_TMP="$dir" sh "$t" ) >"$LOG/$name.out" 2>&1
		rc=$?
		n_ok=$(grep -c '^ok ' "$LOG/$name.out")
		n_bad=$(grep -c '^not ok ' "$LOG/$name.out")
		passed=$((passed + n_ok))
		if [ $rc -ne 0 ] || [ "$n_bad" -gt 0 ]; then
			[ "$n_bad" -gt 0 ] || n_bad=1
			failed=$((failed + n_bad))
			failures="$failures $name"
			echo "FAIL $name (exit $rc)"
			grep -v '^ok ' "$LOG/$name.out" | sed 's/^/    /' | tail -40
		else
			echo "ok   $name ($n_ok checks)"
		fi
	done
fi

echo
[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
