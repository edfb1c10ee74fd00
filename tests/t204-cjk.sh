#!/bin/sh
# t204: Japanese text: each Han or kana character is a token, and a run of
# them typed in a query is a phrase; an address and a date before the title
# are taken as link and date.
. "$TSEARCH_REPO/tests/lib.sh"

mkdir ja
cat >ja/keizai.txt <<'T'
https://example.com/news/1
2025-03-04T09:00:00+0900
日本経済の見通し
日本の経済は緩やかに回復している。輸出が増え、企業の投資も続いている。
T
cat >ja/kabu.txt <<'T'
株式市場の動き
本日の株式市場は経済指標を受けて上昇した。日経平均は三日続けて上がった。
T
expect_exit 0 tsearch index ja

run tsearch query --paths 日本経済
assert_eq "$out" "ja/keizai.txt" "a run of Han is a phrase"
run tsearch query --paths -n 10 経済
check "a two-character word is found in both" test "$(count_lines "$out")" -eq 2
expect_exit 1 tsearch query 経日
run tsearch query 日本経済
assert_contains "$out" "[日本経済]" "the phrase is highlighted as one"
run tsearch query --json 日本経済
assert_contains "$out" '"date":"2025-03-04T00:00:00"' "date line before the title (converted to UTC)"
assert_contains "$out" '"link":"https://example.com/news/1"' "address line before the title"
assert_contains "$out" '"title":"日本経済の見通し"' "title after them"
run tsearch query '"株式 市場"'
check "spaced characters in quotes still work" test "$rc" -eq 0

finish
