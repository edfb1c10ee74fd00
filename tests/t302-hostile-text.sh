#!/bin/sh
# t302: hostile plain text: invalid UTF-8, overlong forms, surrogates,
# UTF-16 with a BOM (both byte orders, and broken), 200,000 paragraphs,
# a 1 GB sparse file, and --max-file-size raising and lowering the limit.
. "$TSEARCH_REPO/tests/lib.sh"

B=$FIXTURES/broken
mkdir in
cp "$B"/*.txt in/
printf 'A Good Article\nPrime Minister Ishiba met the President to talk about trade.\n' >in/seed.txt

run timeout 30 tsearch index in
check "index of the hostile text exits 0 (got $rc)" test "$rc" -eq 0

for pair in kookaburra:invalid-utf8 galah:overlong cassowary:surrogates \
	wallaroo:utf16le-bom bandicoot:utf16be-bom potoroo:utf16-lone; do
	w=${pair%%:*}
	f=${pair#*:}
	run tsearch query --paths "$w"
	assert_eq "$out" "in/$f.txt" "'$w' found in $f.txt"
done
# Words after the bad bytes are words too.
run tsearch query --paths dusk
assert_eq "$out" "in/invalid-utf8.txt" "text after invalid bytes indexed"
run tsearch query --paths grey
assert_eq "$out" "in/overlong.txt" "text after overlong forms indexed"
run tsearch query --paths runs
assert_eq "$out" "in/surrogates.txt" "text after surrogates indexed"
# UTF-16 decodes to real characters, not bytes.
run tsearch query --paths 'café'
assert_eq "$out" "in/utf16le-bom.txt" "UTF-16LE: a non-ASCII word found"
run tsearch query --paths '日本'
assert_eq "$out" "in/utf16le-bom.txt" "UTF-16LE: Han characters found"
run tsearch query --paths 'crème'
assert_eq "$out" "in/utf16be-bom.txt" "UTF-16BE: a non-ASCII word found"
run tsearch query --json wallaroo
assert_contains "$out" '"title":"Wallaroo range"' "UTF-16 title decoded"
# No bytes of an overlong '/' or '.' come out as a path.
run tsearch query --json galah
assert_not_contains "$out" "/../" "overlong forms are not decoded as ASCII"
run tsearch query Ishiba
check "a normal file next to them is searchable" test "$rc" -eq 0

# --- 200,000 paragraphs in one file ------------------------------------------
mkdir many
paras=200000
[ -n "${TSEARCH_TEST_VALGRIND:-}" ] && paras=20000
python3 -c "
import sys
n = int(sys.argv[1])
sys.stdout.write('Many paragraphs\n\n' + ''.join('w%d marsupial\n\n' % i for i in range(n)))
" $paras >many/para.txt
run timeout 60 tsearch index --index many.idx many
check "$paras paragraphs indexed (got $rc)" test "$rc" -eq 0
run timeout 10 tsearch query --index many.idx --context 3 marsupial
check "query over $paras matching paragraphs answers (got $rc)" test "$rc" -eq 0
assert_contains "$out" "[marsupial]" "snippet highlights the word"
run timeout 10 tsearch query --index many.idx --paths "w$((paras - 1))"
assert_eq "$out" "many/para.txt" "the last paragraph's word found"

# --- a 1 GB sparse file: skipped without reading it -------------------------
mkdir huge
cp in/seed.txt huge/
truncate -s 1G huge/sparse.txt
if [ -x /usr/bin/time ]; then
	run timeout 30 /usr/bin/time -f 'peak %M' -o time.out tsearch index --index huge.idx huge
	peak=$(sed -n 's/^peak //p' time.out)
	check "1 GB file skipped in bounded memory (peak ${peak:-?} KB < 200 MB)" \
		test "${peak:-0}" -gt 0 -a "${peak:-0}" -lt 204800
else
	run timeout 30 tsearch index --index huge.idx huge
	echo "ok # SKIP /usr/bin/time not installed: peak memory not measured"
fi
check "index with a 1 GB file exits 0 (got $rc)" test "$rc" -eq 0
line=$(printf '%s\n' "$err" | grep "sparse.txt")
check "one line names the 1 GB file" test "$(count_lines "$line")" -eq 1
assert_contains "$line" "maximum file size" "the message names the limit"
assert_contains "$err" "1 skipped" "summary counts it"
run tsearch query --index huge.idx Ishiba
check "the other file is indexed" test "$rc" -eq 0
expect_exit 5 timeout 30 tsearch index --strict --rebuild --index huge.idx huge

# --- --max-file-size lowers and raises the limit ----------------------------
mkdir sized
python3 -c "
print('Sized article')
print()
for i in range(30000):
    print('kangaroo jumps over the fence number %d' % i)
" >sized/two-mb.txt
printf 'Small one\n\nA tiny wombat file.\n' >sized/small.txt
size=$(wc -c <sized/two-mb.txt)
check "the big file is over 1 MB ($size bytes)" test "$size" -gt 1048576

run tsearch index --index sized.idx --max-file-size 1M sized
check "--max-file-size 1M exits 0" test "$rc" -eq 0
assert_contains "$err" "two-mb.txt': larger than the maximum file size (1048576 bytes)" \
	"file above a lowered limit skipped with the limit named"
expect_exit 1 tsearch query --index sized.idx kangaroo
run tsearch query --index sized.idx --paths wombat
assert_eq "$out" "sized/small.txt" "the small file is indexed"

# Raising it again: the skipped file is indexed on the next run.
run tsearch index --index sized.idx --max-file-size 3M sized
check "--max-file-size 3M exits 0" test "$rc" -eq 0
assert_not_contains "$err" "skipping" "nothing skipped under the raised limit"
run tsearch query --index sized.idx --paths kangaroo
assert_eq "$out" "sized/two-mb.txt" "file indexed once the limit is raised"

# Below the size of every file; byte suffixes; bad values.
run tsearch index --index tiny.idx --max-file-size 10 sized
check "--max-file-size 10 exits 0" test "$rc" -eq 0
assert_contains "$err" "2 skipped" "both files above 10 bytes skipped"
expect_exit 5 tsearch index --strict --index tiny2.idx --max-file-size 10b sized
for bad in abc -1 ' 5M' 1X 1.5M 99999999999999G ''; do
	expect_exit 2 tsearch index --index bad.idx --max-file-size "$bad" sized
	check "bad --max-file-size '$bad': one line on stderr" test "$(count_lines "$err")" -eq 1
done

finish
