#!/bin/sh
# t200: the query language against a small corpus with known answers.
. "$TSEARCH_REPO/tests/lib.sh"

mkdir -p news/asia news/europe
cat >news/asia/japan-cars.txt <<'T'
Japanese Carmakers Weigh Tariffs
By Naomi Kessler
2025-02-07
Toyota and Honda weigh new factories as tariffs on Japanese cars rise.
The trade deficit with Japan narrowed in January.
T
cat >news/asia/korea-ships.txt <<'T'
Korean Shipyards Expand
By Min-jun Park
2025-06-15
Shipbuilders in Korea invest in new docks while steel prices fall.
Exports of ships rose as the deficit in trade talks widened.
T
cat >news/europe/steel.txt <<'T'
European Steel Makers Cut Output
By Anna Müller
2024-11-20
European steel producers cut output as Chinese steel floods the market.
Tariffs on Chinese steel are under review in Brussels.
T
cat >news/europe/wine.txt <<'T'
French Winemakers Fear Retaliation
2026-01-10
Winemakers in Bordeaux fear retaliation in the tariff dispute over aircraft subsidies.
T
touch -d '1 hour ago' news/*/*.txt
expect_exit 0 tsearch index news

q() { run tsearch query --paths -n 100 "$@"; [ -z "$out" ] || printf '%s\n' "$out" | sort | tr '\n' ' '; }

assert_eq "$(q tariffs)" "news/asia/japan-cars.txt news/europe/steel.txt news/europe/wine.txt " "stemmed word"
assert_eq "$(q TARIFF)" "$(q tariffs)" "capitals are stemmed too"
assert_eq "$(q '"trade deficit"')" "news/asia/japan-cars.txt " "phrase"
assert_eq "$(q '"deficit trade"')" "" "phrase order matters"
assert_eq "$(q 'steel AND tariffs')" "news/europe/steel.txt " "AND"
assert_eq "$(q 'ships OR wine')" "news/asia/korea-ships.txt " "OR (wine matches winemakers? no)"
assert_eq "$(q 'steel NOT chinese')" "news/asia/korea-ships.txt " "NOT"
assert_eq "$(q 'steel -chinese')" "news/asia/korea-ships.txt " "-word"
assert_eq "$(q '+steel tariffs')" "news/asia/korea-ships.txt news/europe/steel.txt " "+word"
assert_eq "$(q '(korea OR japan) AND deficit')" "news/asia/japan-cars.txt news/asia/korea-ships.txt " "brackets"
assert_eq "$(q 'deficit NEAR trade')" "news/asia/japan-cars.txt news/asia/korea-ships.txt " "NEAR"
assert_eq "$(q 'trade ADJ deficit')" "news/asia/japan-cars.txt " "ADJ is ordered"
assert_eq "$(q 'winemak*')" "news/europe/wine.txt " "prefix wildcard"
assert_eq "$(q 'title:steel')" "news/europe/steel.txt " "title:"
assert_eq "$(q 'author:kessler')" "news/asia/japan-cars.txt " "author:"
assert_eq "$(q 'author:müller')" "news/europe/steel.txt " "author: with accents"
assert_eq "$(q 'in:asia')" "news/asia/japan-cars.txt news/asia/korea-ships.txt " "in: folder name"
assert_eq "$(q 'in:news/europe steel')" "news/europe/steel.txt " "in: path"
assert_eq "$(q 'in:./news/europe/ steel')" "news/europe/steel.txt " "in: with ./ and /"
assert_eq "$(q 'type:text deficit')" "news/asia/japan-cars.txt news/asia/korea-ships.txt " "type:"
assert_eq "$(q 'date:2025')" "news/asia/japan-cars.txt news/asia/korea-ships.txt " "date: year"
assert_eq "$(q 'date:2025-02')" "news/asia/japan-cars.txt " "date: month"
assert_eq "$(q 'date:2024-11-01..2025-03-01')" "news/asia/japan-cars.txt news/europe/steel.txt " "date: range"
assert_eq "$(q 'date:..2024')" "news/europe/steel.txt " "date: open start"
assert_eq "$(q 'date:2026.. tariff')" "news/europe/wine.txt " "date: open end, with a word"
# Prose: lower-case and/or/not are words, not operators.
run tsearch query --paths -n 100 'steel and not chinese'
assert_contains "$out" "news/europe/steel.txt" "lower-case not is a word, not an operator"
# Shouted prose is lowered: AND is a word, every word stemmed.
run tsearch query --paths -n 100 'STEEL PRODUCERS AND CHINESE TARIFFS IN BRUSSELS'
assert_contains "$out" "news/europe/steel.txt" "shouted prose finds the article"
# --all / --any
assert_eq "$(q --all 'steel tariffs')" "news/europe/steel.txt " "--all"
run tsearch query --paths -n 100 --any 'steel zzzznothing'
check "--any matches either" test "$(count_lines "$out")" -eq 2

# Sorting by date.
run tsearch query --format tsv --sort date -n 10 'tariffs OR steel'
first=$(printf '%s\n' "$out" | head -1 | cut -f3)
assert_eq "$first" "news/europe/steel.txt" "--sort date: oldest first"
run tsearch query --format tsv --sort -date -n 10 'tariffs OR steel'
first=$(printf '%s\n' "$out" | head -1 | cut -f3)
assert_eq "$first" "news/europe/wine.txt" "--sort -date: newest first"
expect_exit 2 tsearch query --sort sideways steel

# Broken syntax: run as plain words, with a note.
run tsearch query --paths '"trade deficit'
check "unbalanced quote still answers" test "$rc" -eq 0
assert_contains "$err" "unbalanced" "note names the problem"
run tsearch query --paths 'steel AND'
assert_contains "$err" "AND" "dangling operator named"
check "dangling operator still answers" test "$rc" -eq 0
expect_exit 2 tsearch query 'AND OR NOT'
assert_contains "$err" "no words"

# Did you mean.
run tsearch query 'shipyrds'
assert_contains "$err" "did you mean: shipyards" "spelling suggestion"
run tsearch query --paths --spelling 'shipyrds'
assert_eq "$out" "news/asia/korea-ships.txt" "--spelling runs the corrected query"
run tsearch query --json 'shipyrds'
assert_contains "$out" '"did_you_mean":"shipyards"' "JSON carries the better spelling"
run tsearch query --format tsv --spelling 'shipyrds'
assert_contains "$out" "news/asia/korea-ships.txt" "--spelling runs the corrected query in TSV too"
# Only a rare word is respelled: "care" is in three articles, and a phrase
# of common words that few articles hold is no misspelling ("are" is more
# common than "care" and one edit away).
mkdir spell
printf 'Hospital Care\nThe hospital care unit is busy and costs are high.\n' >spell/a.txt
printf 'Care Homes\nCare homes are full; the hospital waits for beds.\n' >spell/b.txt
printf 'Budget\nThe hospital budget for care and staff are set.\n' >spell/c.txt
printf 'Weather\nRains are heavy and roads are closed.\n' >spell/d.txt
run tsearch index --index spell.idx spell
run tsearch query --index spell.idx '"hospital care"'
assert_contains "$out" "spell/a.txt" "the phrase is found"
assert_not_contains "$err" "did you mean" "common words are not respelled"
run tsearch query --index spell.idx '"hospitl care"'
assert_contains "$err" 'did you mean: "hospital care"' "the rare word alone is respelled"

# A match in the title only: the title is highlighted, the snippet is the
# start of the article.
mkdir titleonly
printf 'Zeppelins Return\nAirships are flying again over the lake.\nA second paragraph.\n' >titleonly/z.txt
run tsearch index --index title.idx titleonly
run tsearch query --index title.idx zeppelin
assert_contains "$out" "[Zeppelins] Return" "title-only match highlighted in the title"
assert_contains "$out" "Airships are flying again over the lake." "snippet is the first paragraph"

# --explain shows the terms and their parts.
run tsearch query --explain 'deficit'
assert_contains "$out" "deficit: in 2 of 4 articles" "explain shows term statistics"

finish
