#!/bin/sh
# t202: batch mode: one process, one JSON line per query, bad queries reported.
. "$TSEARCH_REPO/tests/lib.sh"

expect_exit 0 tsearch index "$REPO/corpus"

# 1,000 queries: words from the corpus, phrases, Boolean, broken ones, IDs.
python3 - >queries.txt <<'PY'
import random
random.seed(7)
words = "tariffs japan steel trade investment factory copper yen euro ships china export chip deal talks".split()
for i in range(1000):
    k = i % 10
    if k == 0:
        q = '"%s %s' % (random.choice(words), random.choice(words))   # unbalanced quote
    elif k == 1:
        q = "AND OR"                                                    # nothing to search
    elif k == 2:
        q = "%s AND %s" % (random.choice(words), random.choice(words))
    elif k == 3:
        q = '"trade talks"'
    elif k == 4:
        q = "x" * 20000                                                 # too long
    else:
        q = " ".join(random.sample(words, 2))
    print("q%d\t%s" % (i, q))
PY
run tsearch query --batch queries.txt
check "batch exits 0" test "$rc" -eq 0
printf '%s\n' "$out" >out.jsonl
run python3 - out.jsonl <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 1000, len(lines)
errors = 0
for i, l in enumerate(lines):
    d = json.loads(l)
    assert d["id"] == "q%d" % i, (d["id"], i)
    assert d["format_version"] == 1
    if "error" in d:
        errors += 1
        assert d["exit_code"] == 2
    else:
        assert isinstance(d["hits"], list)
        for h in d["hits"]:
            assert "snippet" in h and "highlights" in h
print(errors)
PY
assert_eq "$out" "200" "1000 valid JSON lines, 200 error objects"

# Plain lines get their line number as ID; stdin works; TREC format.
printf 'tariffs\n\ncopper\n' | tsearch query --batch - --format trec -n 2 >trec.txt
run cut -d' ' -f1 trec.txt
assert_eq "$(echo $out)" "1 1 3" "IDs are line numbers; empty lines skipped"

# A batch looks for better spellings only when asked (--spelling).
printf 'm1\tcoppr\n' >misspelled.txt
run tsearch query --batch misspelled.txt
assert_not_contains "$out" "did_you_mean" "no spelling lookup in a batch by default"
run tsearch query --batch misspelled.txt --spelling
assert_contains "$out" '"did_you_mean":"copper"' "--spelling: the better spelling"

expect_exit 2 tsearch query --batch nosuchfile.txt
expect_exit 2 tsearch query --batch queries.txt tariffs

finish
