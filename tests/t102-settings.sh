#!/bin/sh
# t102: the index records its language; a different one needs --rebuild.
. "$TSEARCH_REPO/tests/lib.sh"

mkdir fr
printf 'Les marchés\nLes négociations commerciales continuent entre les gouvernements.\n' >fr/a.txt

expect_exit 0 tsearch index fr
run tsearch stats
assert_contains "$out" "language:     english"

expect_exit 2 tsearch index --language french fr
assert_contains "$err" "--rebuild" "asks for --rebuild"
expect_exit 2 tsearch index --language klingon fr
assert_contains "$err" "unknown language 'klingon'"
# Option values that are no numbers (a NaN wait would never end).
for bad in "--wait nan" "--wait inf" "--wait ''" "--jobs 0" "--jobs ' 2'" "--max-depth 1e3"; do
	eval "run tsearch index $bad fr"
	check "tsearch index $bad: exit 2 (got $rc)" test "$rc" -eq 2
	assert_contains "$err" "invalid --" "tsearch index $bad: says which option"
done
for bad in "--bm25 nan,0.5" "--bm25 1.2,inf" "--limit -1" "--limit ' 5'"; do
	eval "run tsearch query $bad tariffs"
	check "tsearch query $bad: exit 2 (got $rc)" test "$rc" -eq 2
done

expect_exit 0 tsearch index --rebuild --language fr fr
run tsearch stats
assert_contains "$out" "language:     french"
# French stemming: "négociation" finds "négociations".
run tsearch query --paths négociation
assert_eq "$out" "fr/a.txt" "french stems match"
run tsearch query --paths COMMERCIAL
assert_eq "$out" "fr/a.txt" "folded and stemmed in french"

# A second run keeps the recorded language without repeating the option.
expect_exit 0 tsearch index fr
assert_contains "$err" "1 unchanged"

finish
