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
