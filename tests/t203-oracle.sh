#!/bin/sh
# t203: oracle: for single words and AND pairs, the articles the engine finds
# equal those a plain scan of the extracted text finds.
. "$TSEARCH_REPO/tests/lib.sh"

expect_exit 0 tsearch index "$REPO/corpus"
run tsearch-index --dump "$REPO/corpus"
printf '%s\n' "$out" >dump.txt

# From the dump: article -> set of stems, and word -> stem. Choose words and
# pairs with a fixed seed; ask the engine; compare.
python3 - dump.txt >plan.tsv <<'PY'
import random, sys
arts, stem_of = {}, {}
cur = None
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    if line.startswith("ARTICLE "):
        cur = line[8:]
        arts[cur] = set()
    elif line.startswith("TERMS") and cur:
        for pair in line[5:].split():
            w, s = pair.split("=", 1)
            arts[cur].add(s)
            if w.isalpha() and w.isascii():
                stem_of[w] = s
random.seed(11)
words = sorted(w for w in stem_of if len(w) > 3)
chosen = random.sample(words, 40)
for i, w in enumerate(chosen):
    want = sorted(a for a, ss in arts.items() if stem_of[w] in ss)
    print("w%d\t%s\t%s" % (i, w, " ".join(want)))
for i in range(20):
    a, b = random.sample(words, 2)
    want = sorted(x for x, ss in arts.items() if stem_of[a] in ss and stem_of[b] in ss)
    print("p%d\t%s AND %s\t%s" % (i, a, b, " ".join(want)))
PY
check "oracle plan has 60 queries" test "$(wc -l <plan.tsv)" -eq 60
cut -f1,2 plan.tsv >queries.tsv
tsearch query --batch queries.tsv --format trec -n 100000 >run.trec
run python3 - plan.tsv run.trec "$REPO" <<'PY'
import os, sys
plan, runf, repo = sys.argv[1:4]
got = {}
for line in open(runf, encoding="utf-8"):
    qid, _, doc, *_ = line.split(" ")
    got.setdefault(qid, set()).add(doc)
bad = []
for line in open(plan, encoding="utf-8"):
    qid, q, want = line.rstrip("\n").split("\t")
    want = set(want.split())
    # the dump names files relative to the current folder, the index likewise
    have = got.get(qid, set())
    if want != have:
        bad.append("%s %r: missing %s, extra %s" % (qid, q, sorted(want - have)[:3], sorted(have - want)[:3]))
print("\n".join(bad) if bad else "ok")
PY
assert_eq "$out" "ok" "engine agrees with the scan"

finish
