# tests/lib.sh - the small library every end-to-end test sources.
#
#   . "$TSEARCH_REPO/tests/lib.sh"
#   run tsearch index corpus        # runs, captures $out $err $rc; a crash fails
#   check "seed is first" test "$rc" -eq 0
#   expect_exit 1 tsearch query zzzz
#   assert_contains "$out" "needle" "what it means"
#   finish
#
# Each check prints "ok N - what" or "not ok N - what" (TAP style); tests/run.sh
# counts them. A test runs in its own empty folder ($TEST_TMP).

set -u
: "${TSEARCH_BIN:?run through tests/run.sh}"
: "${TSEARCH_REPO:?run through tests/run.sh}"
REPO=$TSEARCH_REPO
# The article the project was created from lives beside the project, in
# ../shared/seeds (used in place, never copied). Tests that need it call
# need_seeds, which skips them where it is not.
SEEDS=
for d in "$REPO/../shared/seeds" /work/shared/seeds; do
	if [ -f "$d/000_0b7fb2e2c523b373.txt" ]; then
		SEEDS=$(cd "$d" && pwd)
		break
	fi
done
FIXTURES=$REPO/tests/corpora
PATH="$TSEARCH_BIN:$PATH"
export PATH
_n=0
_failed=0

# However a test ends, the background jobs it started end with it.
_cleanup() {
	for _p in $(jobs -p); do
		kill "$_p" 2>/dev/null
	done
}
trap _cleanup EXIT

# Run a command, keeping stdout in $out, stderr in $err and the status in $rc.
# A status above 125 (killed by a signal, or a sanitizer abort) is a failure
# of its own, whatever the test expected.
run() {
	out=$("$@" 2>"$TEST_TMP/.stderr")
	rc=$?
	err=$(cat "$TEST_TMP/.stderr")
	if [ $rc -gt 125 ]; then
		_report 1 "'$*' crashed (status $rc): $(echo "$err" | tail -5)"
	fi
	return 0
}

_report() {
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
	fi
}

# check WHAT COMMAND...: COMMAND's status decides.
check() {
	what=$1
	shift
	if "$@"; then _report 0 "$what"; else _report 1 "$what"; fi
}

# expect_exit CODE COMMAND...: run it and check the exit status.
expect_exit() {
	want=$1
	shift
	run "$@"
	if [ "$rc" -eq "$want" ]; then
		_report 0 "'$*' exits $want"
	else
		_report 1 "'$*' exits $want (got $rc; stderr: $(echo "$err" | head -3))"
	fi
}

assert_contains() {
	case "$1" in
	*"$2"*) _report 0 "${3:-output contains '$2'}" ;;
	*) _report 1 "${3:-output contains '$2'}: got '$(printf '%s' "$1" | head -c 600)'" ;;
	esac
}

assert_not_contains() {
	case "$1" in
	*"$2"*) _report 1 "${3:-output lacks '$2'}: got '$(printf '%s' "$1" | head -c 600)'" ;;
	*) _report 0 "${3:-output lacks '$2'}" ;;
	esac
}

assert_eq() {
	if [ "$1" = "$2" ]; then
		_report 0 "${3:-'$1' = '$2'}"
	else
		_report 1 "${3:-values equal}: expected '$2', got '$1'"
	fi
}

# The number of lines of $1 (0 for empty).
count_lines() {
	if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l | tr -d ' '; fi
}

# Report one check as skipped, with the reason.
skip() {
	_n=$((_n + 1))
	echo "ok $_n # SKIP $1"
}

# Skip the rest of this test when the seed article is not here.
need_seeds() {
	if [ -z "$SEEDS" ]; then
		skip "the seed article (../shared/seeds) is not here"
		finish
	fi
}

finish() {
	[ "$_failed" -eq 0 ]
	exit $?
}
