#!/bin/sh
# t201: output formats, paging, highlight byte ranges, pipes.
. "$TSEARCH_REPO/tests/lib.sh"

expect_exit 0 tsearch index "$REPO/corpus"
root=$(cd "$REPO" && pwd)

run tsearch query --json -n 3 'tariffs japan'
check "--json exits 0" test "$rc" -eq 0
printf '%s' "$out" >hits.json
run python3 - hits.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["format_version"] == 1, d
assert d["query"] == "tariffs japan"
assert d["total"] >= 3 and len(d["hits"]) == 3
for h in d["hits"]:
    for k in ("rank", "score", "title", "path", "snippet", "highlights", "title_highlights", "date", "author", "type", "locator", "link"):
        assert k in h, k
    snip = h["snippet"].encode("utf-8")
    assert h["highlights"], h
    for s, e in h["highlights"]:
        word = snip[s:e].decode("utf-8").lower()
        assert "tariff" in word or "japan" in word, word
    title = h["title"].encode("utf-8")
    for s, e in h["title_highlights"]:
        w = title[s:e].decode("utf-8").lower()
        assert "tariff" in w or "japan" in w, w
print("ok")
PY
assert_eq "$out" "ok" "JSON valid; highlight byte ranges cover matching words"

run tsearch query --jsonl -n 2 tariffs
check "--jsonl is one line" test "$(count_lines "$out")" -eq 1

run tsearch query --format tsv -n 5 tariffs
check "tsv: five lines" test "$(count_lines "$out")" -eq 5
fields=$(printf '%s\n' "$out" | head -1 | awk -F'\t' '{print NF}')
assert_eq "$fields" "7" "tsv: seven fields"

run tsearch query --format trec -n 5 tariffs
line=$(printf '%s\n' "$out" | head -1)
check "trec: QID Q0 DOCNO RANK SCORE TAG" sh -c "printf '%s\n' '$line' | grep -Eq '^1 Q0 [^ ]+ 1 [0-9.]+ tsearch$'"

run tsearch query --count tariffs
check "--count prints a number" sh -c "printf '%s' '$out' | grep -Eq '^[0-9]+$'"
all=$out
run tsearch query --paths -n 1000 tariffs
paths=$(printf '%s\n' "$out" | wc -l | tr -d ' ')
check "--paths lists existing files" sh -c "cd '$PWD' && printf '%s\n' \"\$1\" | while read -r p; do test -f \"\$p\" || exit 1; done" _ "$out"
run sh -c "tsearch query --paths -0 -n 1000 tariffs | xargs -0 grep -il tariff | wc -l"
assert_eq "$(echo $out)" "$paths" "-0 paths feed xargs -0"
check "count >= distinct paths" test "$all" -ge "$paths"

# Paging: offset continues where the limit stopped.
run tsearch query --format trec -n 4 tariffs
p4=$(printf '%s\n' "$out" | cut -d' ' -f3 | tail -2)
run tsearch query --format trec -n 2 --offset 2 tariffs
p2=$(printf '%s\n' "$out" | cut -d' ' -f3)
assert_eq "$p2" "$p4" "--offset pages"

# Snippet length and context.
run tsearch query --json --snippet-length 60 -n 1 tariffs
run python3 -c 'import json,sys; h=json.loads(sys.argv[1])["hits"][0]; print(len(h["snippet"]) <= 100)' "$out"
assert_eq "$out" "True" "--snippet-length bounds the snippet"
run tsearch query --json --context 2 -n 1 tariffs
assert_contains "$out" " … " "--context joins passages"

# NO_COLOR and --color.
run env NO_COLOR=1 tsearch query --color=auto tariffs
assert_not_contains "$out" "$(printf '\033[')" "NO_COLOR honoured"
run tsearch query --color=never tariffs
assert_contains "$out" "[" "plain markers"

# A closed pipe ends quietly; a full disk is an error.
run sh -c 'tsearch query -n 50 tariffs | head -1 >/dev/null; echo "${PIPESTATUS:-done}"'
assert_eq "$err" "" "closed pipe: no message"
if [ -w /dev/full ]; then
	expect_exit 4 sh -c 'tsearch query tariffs >/dev/full'
	assert_contains "$err" "cannot write output"
fi

finish
