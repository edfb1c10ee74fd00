#!/bin/sh
# t001: the sample corpus shipped in corpus/ indexes completely and ranks.
. "$TSEARCH_REPO/tests/lib.sh"

expect_exit 0 tsearch index "$REPO/corpus"
files=$(find "$REPO/corpus" -type f | wc -l | tr -d ' ')
assert_contains "$err" "$files files: $files added" "every sample file indexed"
assert_contains "$err" "0 skipped" "nothing skipped"

run tsearch stats
check "stats exits 0" test "$rc" -eq 0
assert_contains "$out" "language:     english"
articles=$(printf '%s\n' "$out" | sed -n 's/^articles: *//p')
check "at least 20 articles ($articles)" test "${articles:-0}" -ge 20

run tsearch query "tariffs Japan"
check "demo query exits 0" test "$rc" -eq 0
top=$(printf '%s\n' "$out" | grep -E '^ *[0-9]+\. ' | head -2)
assert_contains "$top" "Japan" "top hits are about Japan"
assert_contains "$top" "Tariff" "top hits are about tariffs"

finish
