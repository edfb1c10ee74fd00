#!/bin/sh
# t205: long articles and short ones, their texts in the text store (t106).
# Snippets come from the right paragraph, with every kind of match
# highlighted, deep in a long article as in a short one.
. "$TSEARCH_REPO/tests/lib.sh"

# A paragraph of about 330 bytes, numbered N, with no word a query below uses.
filler() {
	printf 'Paragraph %s of the survey goes over the usual ground again: the harbour ' "$1"
	printf 'authority counted vessels, tonnage and berths, compared the season with the '
	printf 'previous one, and listed the repairs that the quays will need before the '
	printf 'winter storms arrive along the northern coast of the county this year.\n\n'
}

mkdir docs
{
	printf 'Harbour Survey\n\n'
	i=1
	while [ $i -le 48 ]; do
		if [ $i -eq 31 ]; then
			printf 'The dredging contract went to Marwick Salvage, whose barges will deepen the '
			printf 'eastern channel; the zeppelinlike crane they bring is the largest ever seen '
			printf 'on this coast.\n\n'
		fi
		filler $i
		i=$((i + 1))
	done
	printf 'Closing words: the survey recommends a new breakwater.\n'
} >docs/long.txt
check "the long article is long" \
	test "$(wc -c <docs/long.txt)" -gt 12000
{
	printf 'Harbour Note\n\n'
	printf 'A short note: Marwick Salvage also bid for the western breakwater.\n'
} >docs/short.txt
expect_exit 0 tsearch index docs

run tsearch query --color=never --paths -n 5 marwick
assert_contains "$out" "docs/long.txt" "a word deep in a long article is found"
assert_contains "$out" "docs/short.txt" "and in a short one"

run tsearch query --color=never --json -n 5 dredging
assert_contains "$out" 'The dredging contract went to Marwick Salvage' \
	"the snippet of a long article is the paragraph of the match"
assert_not_contains "$out" 'Paragraph 30 of' "not the first paragraphs"

run tsearch query --color=never "dredging"
assert_contains "$out" "[dredging]" "the match is highlighted"

run tsearch query --color=never '"eastern channel"'
assert_contains "$out" "[eastern channel]" "a phrase deep in a long article is highlighted"

run tsearch query --color=never 'zeppelin*'
assert_contains "$out" "[zeppelinlike]" "a wildcard match in a long article is highlighted"

run tsearch query --color=never breakwater
assert_contains "$out" "[breakwater]" "the last paragraph"
assert_contains "$out" "western [breakwater]" "and the short article's text"

# Paragraphs of context come from around the best one.
run tsearch query --color=never --context 1 -n 1 '"eastern channel" harbour'
check "context around the match answers" test "$rc" -eq 0
assert_contains "$out" "[eastern channel]" "with the phrase"
run tsearch query --color=never --context 2 -n 1 --snippet-length 80 'harbour survey'
assert_contains "$out" " … " "passages cut short are joined by one ellipsis"
assert_not_contains "$out" "… …" "not by one per cut"

# Texts of 2048 bytes and one byte more (once a limit of the index format).
mkdir edge
make_text() { # make_text BYTES: one paragraph of BYTES bytes ending in "quokka"
	yes wallaby | tr '\n' ' ' | head -c "$(($1 - 7))"
	printf ' quokka'
}
{ printf 'Edge One\n\n'; make_text 2048; printf '\n'; } >edge/at.txt
{ printf 'Edge Two\n\n'; make_text 2049; printf '\n'; } >edge/past.txt
expect_exit 0 tsearch index edge
run tsearch query --color=never --paths -n 5 quokka
check "both articles are found" test "$(count_lines "$out")" -eq 2
run tsearch query --color=never -n 5 quokka
check "both snippets end on the highlighted last word" \
	test "$(printf '%s\n' "$out" | grep -c ' \[quokka\]$')" -eq 2

# A wildcard is highlighted whether it expands to few terms or to more than
# the searcher looks up one by one (1,000): then each hit's own terms are read.
mkdir many
python3 -c "
import itertools
words = ['quz' + ''.join(t) for t in itertools.product('bcdfghjklmnp', repeat=3)][:1200]
print('Many Words\n\n' + ' '.join(words))" >many/list.txt
printf 'Few Words\n\nThe crate held quzbbc and nothing else.\n' >many/note.txt
expect_exit 0 tsearch index many
run tsearch query --color=never --paths -n 5 'quzbb*'
check "a wildcard of few terms finds both" test "$(count_lines "$out")" -eq 2
run tsearch query --color=never 'quzbb*'
assert_contains "$out" "held [quzbbc] and" "a wildcard of few terms is highlighted"
assert_contains "$out" "[quzbbb quzbbc quzbbd" "each of its terms"
assert_contains "$out" "quzbbp] quzbcb" "and no other"
run tsearch query --color=never 'quz*'
assert_contains "$out" "held [quzbbc] and" "a wildcard of over 1,000 terms is highlighted"
assert_contains "$out" "[quzbbb quzbbc quzbbd quzbbf" "each of its terms"

finish
