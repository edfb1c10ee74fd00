#!/bin/sh
# t101: every format indexes into the right articles; junk is skipped and counted.
. "$TSEARCH_REPO/tests/lib.sh"

mkdir in
cp "$FIXTURES"/formats/article.html "$FIXTURES"/formats/latin1.html \
   "$FIXTURES"/formats/cp1252.html in/
cp "$REPO"/corpus/feeds/markets.rss "$REPO"/corpus/feeds/policy.atom in/
cp "$REPO"/corpus/wires/agency-dump.xml in/
# The seed article when it is here; else a text article of the same form.
if [ -n "$SEEDS" ]; then
	cp "$SEEDS"/000_0b7fb2e2c523b373.txt in/seed.txt
else
	printf 'US and Japan: Contentious Issues\n| By Eliana Pisons |\nPacific Partners Balance Commerce\nThe talks went on.\n' >in/seed.txt
fi
printf '\000\001\002binary\000data' >in/blob.bin
printf '\000\001\002binary\000data' >in/blob.txt
: >in/empty.txt
printf 'PK\003\004 not really a zip' >in/archive.zip

expect_exit 0 tsearch index -v in
assert_contains "$err" "skipped" "summary mentions skipped"
assert_contains "$err" "empty file" "empty file reported"
run tsearch stats
# 3 html + 3 rss items + 3 atom entries + 3 dump articles + 1 text
assert_contains "$out" "articles:     13" "13 articles from 9 documents"

run tsearch query --format trec -n 100 'type:rss'
check "three RSS items" test "$(count_lines "$out")" -eq 3
run tsearch query --format trec -n 100 'type:atom'
check "three Atom entries" test "$(count_lines "$out")" -eq 3
run tsearch query --json copper
assert_contains "$out" '"locator":"hln-markets-2025-07-09-copper"' "feed item has its locator"
assert_contains "$out" '"link":"' "feed item has its link"
assert_contains "$out" '"date":"2025-07-09' "feed item has its date"

# Latin-1 and Windows-1252 pages decode right.
run tsearch query --json 'type:html' -n 20
assert_not_contains "$out" "\\ufffd" "no replacement characters in HTML text"

# The seed article: author field, headings indexed.
run tsearch query --paths 'author:pisons'
assert_eq "$out" "in/seed.txt" "author: finds the byline"
run tsearch query --paths 'title:contentious'
assert_eq "$out" "in/seed.txt" "title: finds the title"
run tsearch query --paths '"Pacific Partners Balance"'
assert_eq "$out" "in/seed.txt" "headings are indexed"

# Binary and empty files are not indexed as garbage.
expect_exit 1 tsearch query binary

# --strict turns skipped files into exit 5.
expect_exit 5 tsearch index --strict --rebuild in

finish
