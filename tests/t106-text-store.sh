#!/bin/sh
# t106: the text store. Long articles keep their texts and term positions
# in texts.N files beside the Xapian tables, appended to and committed with
# the index: a parallel build writes one file a shard, later runs append to
# texts.0; an updated article's snippet comes from its new record; bytes an
# interrupted run appended past the committed length are cut by the next
# run; a missing or short file is reported, never read past its end, and a
# damaged token table too; a stub over several indexes reads each one's files.
. "$TSEARCH_REPO/tests/lib.sh"

# long FILE WORD: an article of about 3 KiB, WORD in its last paragraph.
long() {
	{
		printf 'Survey %s\n\n' "$2"
		p=1
		while [ $p -le 24 ]; do
			printf 'Paragraph %s of the report covers the harbour, its berths, its ' "$p"
			printf 'cranes and the repairs the quays will need before winter comes.\n\n'
			p=$((p + 1))
		done
		printf 'In the end the inspectors singled out the %s for praise.\n' "$2"
	} >"$1"
}

# A parallel build (256 files or more): one text store file per shard.
mkdir docs
i=0
while [ $i -lt 260 ]; do
	long "docs/a$i.txt" "pelican$i"
	i=$((i + 1))
done
expect_exit 0 tsearch index docs
db=.tsearch/$(sed -n 's/^glass //p' .tsearch/XAPIANDB)
check "the parallel build wrote its shards' text store files" \
	test "$(ls "$db" | grep -c '^texts\.[1-9]')" -ge 1
check "and no texts.0 yet" test ! -e "$db/texts.0"
run tsearch query --color=never -n 1 pelican123
assert_contains "$out" "singled out the [pelican123] for praise" \
	"the snippet comes from the last paragraph of a long article"

# An update: the changed article gets a new record, in texts.0.
long docs/a7.txt cormorant
expect_exit 0 tsearch index docs
check "a later run appends to texts.0" test -s "$db/texts.0"
run tsearch query --color=never -n 1 cormorant
assert_contains "$out" "singled out the [cormorant] for praise" "the updated text is shown"
expect_exit 1 tsearch query pelican7

# What an interrupted run left past the committed length is cut by the next.
size=$(wc -c <"$db/texts.0")
head -c 50000 /dev/zero >>"$db/texts.0"
run tsearch query --color=never -n 1 cormorant
assert_contains "$out" "[cormorant]" "bytes past the committed length are never read"
long docs/new.txt albatross
expect_exit 0 tsearch index docs
check "the next run cut them before appending" \
	test "$(wc -c <"$db/texts.0")" -lt $((size + 50000))
run tsearch query --color=never -n 1 albatross
assert_contains "$out" "singled out the [albatross] for praise" "the new article's snippet"
run tsearch query --color=never -n 1 cormorant
assert_contains "$out" "singled out the [cormorant] for praise" "and the earlier one's"

# A text store file cut short or missing: exit 3, the file named.
cp "$db/texts.0" texts.0.good
head -c 100 texts.0.good >"$db/texts.0"
run tsearch query --color=never albatross
check "a short text store file: exit 3" test "$rc" -eq 3
assert_contains "$err" "texts.0" "the message names the file"
check "in one line" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
run tsearch query --color=never --paths albatross
check "paths need no texts" test "$rc" -eq 0
long docs/other.txt heron
run tsearch index docs
check "the indexer refuses to append to it: exit 3" test "$rc" -eq 3
assert_contains "$err" "texts.0" "naming the file"
rm "$db/texts.0"
run tsearch query --color=never albatross
check "a missing text store file: exit 3" test "$rc" -eq 3
assert_contains "$err" "texts.0" "the message names it"
cp texts.0.good "$db/texts.0"
expect_exit 0 tsearch index docs
run tsearch query --color=never -n 1 heron
assert_contains "$out" "[heron]" "with the file back, indexing goes on"

# Two indexes behind one stub file (search across shards): each article's
# snippet comes from its own database's text store.
mkdir -p one/docs two/docs
long one/docs/x.txt gannet
long two/docs/y.txt puffin
long two/docs/z.txt gannet
(cd one && tsearch index -q docs) && (cd two && tsearch index -q docs)
printf 'auto one/.tsearch\nauto two/.tsearch\n' >both.stub
run tsearch query --index both.stub --color=never -n 5 puffin
assert_contains "$out" "singled out the [puffin] for praise" \
	"a stub over two indexes: the second one's snippet"
run tsearch query --index both.stub --color=never --paths -n 5 gannet
check "both indexes answer" test "$(count_lines "$out")" -eq 2
run tsearch query --index both.stub --color=never -n 5 gannet
check "with the snippet of each" \
	test "$(printf '%s\n' "$out" | grep -c 'singled out the \[gannet\] for praise')" -eq 2

# A damaged token table (the record whole, a token in it past its text):
# exit 3 in one line naming the article, and no other article's snippet hurt.
mkdir tables
long tables/a.txt grebe
long tables/b.txt ibis
(cd tables && tsearch index -q .)
tdb=tables/.tsearch/$(sed -n 's/^glass //p' tables/.tsearch/XAPIANDB)
run python3 - "$tdb/texts.0" <<'PY'
import struct, sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
# The first record (a.txt or b.txt, whichever was written first): its header,
# block entries, term directory and positions, then its texts.
nb, nt = struct.unpack_from("<II", data, 0)
ends = 8 + 24 * nb + 4 * nt
lists = struct.unpack_from("<I", data, ends + 4 * (nt - 1))[0] if nt else 0
texts = 8 + 24 * nb + 8 * nt + lists
pos, off, ln, kind, ntok, toklen = struct.unpack_from("<6I", data, 8 + 24 * (nb - 1))
table = texts + off + ln
data[table + toklen - 1] = 0x7f  # the last token's length: past the text
open(path, "wb").write(bytes(data))
print(nb)
PY
check "a record's last token moved past its text ($out)" test "$rc" -eq 0
run tsearch query --index tables/.tsearch --color=never grebe
r1=$rc e1=$err
run tsearch query --index tables/.tsearch --color=never ibis
if [ "$r1" -eq 3 ]; then bad=a.txt e=$e1 good=$rc; else bad=b.txt e=$err good=$r1; fi
check "the damaged article's query: exit 3" test "$r1" -eq 3 -o "$rc" -eq 3
assert_contains "$e" "damaged token table" "the message says what is damaged"
assert_contains "$e" "'$bad'" "and names the article"
check "in one line" test "$(printf '%s\n' "$e" | wc -l)" -eq 1
check "the other article's query still answers ($bad damaged)" test "$good" -eq 0

# A rebuild starts a new database with its own files.
expect_exit 0 tsearch index --rebuild docs
db2=.tsearch/$(sed -n 's/^glass //p' .tsearch/XAPIANDB)
check "the rebuild is a new database" test "$db2" != "$db"
check "the old one is gone with its files" test ! -e "$db"
run tsearch query --color=never -n 1 albatross
assert_contains "$out" "singled out the [albatross] for praise" "snippets after the rebuild"

finish
