#!/bin/sh
# t301: hostile HTML: unclosed tags, a 1 MB attribute, <script> and <style>
# holding "</p>", NUL bytes, 50 MB on one line. No crash, bounded time and
# memory, the readable words searchable, script text never indexed.
. "$TSEARCH_REPO/tests/lib.sh"

B=$FIXTURES/broken
mkdir in
cp "$B"/unclosed.html "$B"/script-p.html "$B"/nul-late.html "$B"/nul-early.html in/
cp "$FIXTURES"/formats/article.html in/good.html

# A 1 MB attribute value, the same unquoted and never closed at the end.
python3 - <<'PY'
a = "attrword " * 115000
open("in/attr.html", "w").write(
    '<html><head><title>Quoll page</title></head><body>'
    '<p title="%s">visible quoll text</p><img alt="%s"><p>after the image</p>'
    '<div class=%s' % (a, a, a))
PY

run timeout 60 tsearch index -v in
check "index exits 0 within 60 s (got $rc)" test "$rc" -eq 0

# Unclosed tags: every piece of text is still there.
for w in digs italic celltwo linktext deep; do
	run tsearch query --paths "$w"
	assert_eq "$out" "in/unclosed.html" "unclosed tags: '$w' found"
done
run tsearch query --paths '"bilby digs at night"'
assert_eq "$out" "in/unclosed.html" "unclosed tags: phrase inside one paragraph"

# Script and style content never becomes text, whatever "</p>" it holds.
run tsearch query --paths dingo
assert_eq "$out" "in/script-p.html" "text around the scripts indexed"
run tsearch query --paths rests
assert_eq "$out" "in/script-p.html" "text after an inline script indexed"
for w in leakedscript scriptwords leakedstyle stylewords leakedinline; do
	expect_exit 1 tsearch query "$w"
done

# NUL bytes: late ones separate words, early ones make the file binary.
run tsearch query --paths between
assert_eq "$out" "in/nul-late.html" "words between NUL bytes found"
run tsearch query --paths '"last paragraph"'
assert_eq "$out" "in/nul-late.html" "NUL bytes separate words"
expect_exit 1 tsearch query nulnul
run tsearch stats
assert_contains "$out" "(1 skipped)" "the binary HTML file is skipped"

# The 1 MB attribute: parsed, text kept, attributes not indexed.
run tsearch query --paths quoll
assert_eq "$out" "in/attr.html" "page with a 1 MB attribute indexed"
run tsearch query --paths '"after the image"'
assert_eq "$out" "in/attr.html" "text after the 1 MB attribute indexed"
expect_exit 1 tsearch query attrword

run tsearch query --paths -n 100 'type:html'
check "good page indexed too" test "$(printf '%s\n' "$out" | grep -c good.html)" -eq 1

# --- 50 MB on one line ------------------------------------------------------
# Under valgrind (TSEARCH_TEST_VALGRIND set) 5 MB is plenty and 50 takes ages.
mb=50
[ -n "${TSEARCH_TEST_VALGRIND:-}" ] && mb=5
mkdir big
python3 - "$mb" <<'PY'
import random, sys
mb = int(sys.argv[1])
random.seed(5)
words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet".split()
chunk = " ".join(random.choice(words) for _ in range(20000)) + " "
with open("big/line.html", "w") as f:
    f.write("<html><head><title>One long line</title></head><body><p>firstmarker ")
    n, mid = 0, False
    while n < mb * 1024 * 1024:
        f.write(chunk)
        n += len(chunk)
        if not mid and n > mb * 512 * 1024:
            f.write("middlemarker ")
            mid = True
    f.write("lastmarker</p><p>secondparagraph after the line</p></body></html>")
PY
check "generated $mb MB line" test "$(wc -c <big/line.html)" -gt $((mb * 1024 * 1024))

# Peak memory: the file, its DOM and one document's postings; a leak or a
# quadratic copy would show. Sanitizers roughly double it.
limit_kb=1048576
case "$TSEARCH_BIN" in *san*) limit_kb=3145728 ;; esac
if [ -x /usr/bin/time ]; then
	run timeout 180 /usr/bin/time -f 'peak %M' -o time.out tsearch index --index big.idx big
	peak=$(sed -n 's/^peak //p' time.out)
	check "50 MB line indexed within 180 s (got $rc)" test "$rc" -eq 0
	check "peak RSS ${peak:-?} KB below $limit_kb KB" test "${peak:-0}" -gt 0 -a "${peak:-0}" -lt "$limit_kb"
else
	run timeout 180 tsearch index --index big.idx big
	check "50 MB line indexed within 180 s (got $rc)" test "$rc" -eq 0
	echo "ok # SKIP /usr/bin/time not installed: peak memory not measured"
fi
for w in firstmarker middlemarker lastmarker secondparagraph foxtrot; do
	run tsearch query --index big.idx --paths "$w"
	assert_eq "$out" "big/line.html" "'$w' from the long line found"
done
run timeout 20 tsearch query --index big.idx --snippet-length 200 lastmarker
check "snippet cut from the 50 MB paragraph within 20 s (rc $rc)" test "$rc" -eq 0
assert_contains "$out" "[lastmarker]" "the snippet highlights the last word"

finish
