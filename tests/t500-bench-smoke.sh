#!/bin/sh
# t500: the benchmark and evaluation scripts still run (a tiny corpus, a
# few queries, one collection) and the evaluator scores a hand-made run right.
. "$TSEARCH_REPO/tests/lib.sh"

if [ -n "${TSEARCH_TEST_VALGRIND:-}" ]; then
	skip "the bench times programs; under valgrind it would time valgrind"
	finish
fi

run make -s -C "$REPO" bench-smoke BENCH_NEEDS= TSEARCH="$TSEARCH_BIN/tsearch" \
	BENCH_DIR="$TEST_TMP/bench"
check "make bench-smoke exits 0" test "$rc" -eq 0
all="$out
$err"
assert_contains "$all" "tsearch" "tsearch measured"
assert_not_contains "$all" "FAILURES" "no tsearch step failed"
assert_contains "$all" "nDCG@10" "relevance scored"

finish
