#!/bin/sh
# t000: the first end-to-end path: index the seed article, query it, exit codes.
. "$TSEARCH_REPO/tests/lib.sh"

run tsearch --version
check "--version prints the version" test "$rc" -eq 0 -a -n "$out"
assert_contains "$out" "tsearch "

run tsearch help
check "help exits 0" test "$rc" -eq 0
assert_contains "$out" "index" "help lists index"
assert_contains "$out" "query" "help lists query"

expect_exit 2 tsearch frobnicate
expect_exit 2 tsearch
expect_exit 2 tsearch query --no-such-option tariffs
expect_exit 2 tsearch index --no-such-option .

# No index anywhere up from here: exit 3, one line naming the problem.
mkdir empty && cd empty
expect_exit 3 tsearch query tariffs
check "missing index: exactly one line on stderr" test "$(count_lines "$err")" -eq 1
assert_contains "$err" "no index found"
cd ..

need_seeds
mkdir seeds
cp "$SEEDS"/*.txt seeds/
expect_exit 0 tsearch index seeds
assert_contains "$err" "1 added" "summary counts the added file"
check "index folder created" test -f .tsearch/XAPIANDB

run tsearch query "tariffs Japan"
check "query exits 0" test "$rc" -eq 0
first=$(printf '%s\n' "$out" | head -1)
assert_contains "$first" "US – [Japan] Trade" "seed article is the first hit, title highlighted"
assert_contains "$out" "seeds/000_0b7fb2e2c523b373.txt" "path shown"
assert_contains "$out" "[tariffs]" "snippet highlights tariffs"
assert_contains "$out" "[Japan" "snippet highlights Japan"
assert_contains "$out" "score " "score shown"

# Stemming: the singular finds and highlights the plural.
run tsearch query tariff
check "stemmed query finds the article" test "$rc" -eq 0
assert_contains "$out" "[tariffs]" "stem match highlighted"

# Upper-case words are stemmed too.
run tsearch query TARIFF
assert_contains "$out" "[tariffs]" "capitals stemmed"

expect_exit 1 tsearch query zyzzyvaquux
assert_contains "$err" "no results"

# From a folder below, the index is found by walking up.
mkdir -p deep/er && cd deep/er
run tsearch query Ishiba
check "query from a subfolder exits 0" test "$rc" -eq 0
assert_contains "$out" "../../seeds/000_0b7fb2e2c523b373.txt" "path relative to the current folder"
cd ../..

# Pipes get plain markers; --color=always gets ANSI.
run tsearch query --color=always Ishiba
assert_contains "$out" "$(printf '\033[1;31m')" "ANSI highlight with --color=always"
run tsearch query Ishiba
assert_not_contains "$out" "$(printf '\033[')" "no ANSI on a pipe"

finish
