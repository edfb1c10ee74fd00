#!/bin/sh
# t300: hostile XML: external entities (never read, never fetched), entity
# bombs, 100,000-deep nesting, truncated files, wrong declared encodings.
# Indexing never hangs or crashes, exits 0, names each skipped file on one
# line, and indexes the other files; --strict exits 5.
. "$TSEARCH_REPO/tests/lib.sh"

B=$FIXTURES/broken
mkdir in
cp "$B"/*.xml in/
cp "$FIXTURES"/formats/single-article.xml in/good-orchard.xml
cp "$REPO"/corpus/wires/korea-shipyard-investment.xml in/good-shipyard.xml

# Generated: 100,000-deep nesting, and a quadratic entity blow-up (500 MB
# if expanded).
python3 - <<'PY'
n = 100000
open("in/deep.xml", "w").write(
    '<?xml version="1.0"?>\n<article><title>Deep</title>' + "<div>" * n +
    "<p>abyssal</p>" + "</div>" * n + "</article>\n")
open("in/quadratic.xml", "w").write(
    '<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY big "%s">]>\n'
    '<article><title>Quadratic</title><p>%s</p></article>\n' % ("a" * 50000, "&big;" * 10000))
PY

# A live listener on 127.0.0.1: an entity, DTD or XInclude that fetched its
# URL would connect to it. It writes its port, then one line per connection.
cat >listen.py <<'PY'
import select, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open("port", "w").write(str(s.getsockname()[1]))
end = time.time() + 60
while time.time() < end:
    try:
        open("stop").close()
        break
    except OSError:
        pass
    r, _, _ = select.select([s], [], [], 0.1)
    if r:
        c, _ = s.accept()
        with open("connections", "a") as f:
            f.write("connection\n")
        c.close()
PY
: >connections
python3 listen.py &
listener=$!
i=0
while [ ! -s port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
port=$(cat port 2>/dev/null)
check "listener started (port ${port:-none})" test -n "$port"
cat >in/xxe-live.xml <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE article SYSTEM "http://127.0.0.1:$port/evil.dtd" [
  <!ENTITY remote SYSTEM "http://127.0.0.1:$port/secret.txt">
  <!ENTITY % pe SYSTEM "http://127.0.0.1:$port/pe.dtd">
  %pe;
]>
<article xmlns:xi="http://www.w3.org/2001/XInclude">
  <title>Bettong burrows</title>
  <p>The bettong digs: &remote; done.</p>
  <p><xi:include href="http://127.0.0.1:$port/inc.xml"/></p>
</article>
EOF

# --- one run over the whole folder -----------------------------------------
run timeout 20 tsearch index in
check "index of the hostile folder exits 0 within 20 s (got $rc)" test "$rc" -eq 0
for f in laughs.xml quadratic.xml deep.xml truncated-tag.xml truncated-cdata.xml \
	xxe-system.xml; do
	n=$(printf '%s\n' "$err" | grep -c "'[^']*/$f'")
	check "$f: skipped, reported on exactly one line ($n)" test "$n" -eq 1
	assert_contains "$(printf '%s\n' "$err" | grep "/$f'")" "skipping" "$f: line says skipping"
done
assert_contains "$err" "deep.xml': elements nested deeper than 256" "depth limit named"
assert_contains "$err" "6 skipped" "summary counts the six skipped files"

# The good files are indexed and searchable.
run tsearch query --paths orchard
assert_eq "$out" "in/good-orchard.xml" "good XML file searchable"
run tsearch query --paths shipyard
assert_eq "$out" "in/good-shipyard.xml" "second good file searchable"

# Files with external references are indexed without them.
run tsearch query --paths wombat
assert_eq "$out" "in/xxe-dtd.xml" "external DTD ignored, text indexed"
run tsearch query --paths numbat
assert_eq "$out" "in/xxe-xinclude.xml" "XInclude not processed, text indexed"
run tsearch query --paths bettong
assert_eq "$out" "in/xxe-live.xml" "remote entities ignored, text indexed"
run tsearch query --paths platypus
assert_eq "$out" "in/declared-utf16.xml" "ASCII declared as UTF-16 indexed"
run tsearch query --paths echidna
assert_eq "$out" "in/declared-latin1.xml" "UTF-8 declared as Latin-1 indexed"

# Nothing of /etc/passwd or /etc/hostname was read.
for w in root nologin daemon bash; do
	expect_exit 1 tsearch query "$w"
done
host=$(tr -cd 'A-Za-z0-9' </etc/hostname 2>/dev/null)
if [ -n "$host" ] && [ ${#host} -ge 4 ]; then
	expect_exit 1 tsearch query "$host"
fi
run tsearch query --json -n 100 "wombat OR numbat OR bettong OR platypus OR echidna OR orchard"
assert_not_contains "$out" "root:" "no passwd line in any stored text"
assert_not_contains "$out" "/bin/" "no passwd path in any stored text"
expect_exit 1 tsearch query abyssal
expect_exit 1 tsearch query lol

# Nothing was fetched.
touch stop
wait $listener 2>/dev/null
assert_eq "$(cat connections)" "" "no connection reached the listener"

# --- --strict ---------------------------------------------------------------
run timeout 20 tsearch index --strict --rebuild in
check "--strict over the hostile folder exits 5 (got $rc)" test "$rc" -eq 5
kinds="laughs.xml quadratic.xml deep.xml truncated-tag.xml xxe-system.xml"
# Under valgrind (TSEARCH_TEST_VALGRIND set) each process starts slowly.
[ -n "${TSEARCH_TEST_VALGRIND:-}" ] && kinds="laughs.xml deep.xml"
for f in $kinds; do
	rm -rf one
	mkdir one
	cp "in/$f" in/good-orchard.xml one/
	run timeout 20 tsearch index --strict --index one.idx one
	check "--strict with $f exits 5 (got $rc)" test "$rc" -eq 5
	check "$f: one line on stderr names it" \
		test "$(printf '%s\n' "$err" | grep -c "/$f'")" -eq 1
	run tsearch query --index one.idx --paths orchard
	assert_eq "$out" "one/good-orchard.xml" "--strict with $f: good file still indexed"
done

# An article bomb: one file holding more articles than the limit (100,000).
mkdir dump
python3 - <<'PY'
n = 100001
with open("dump/items.xml", "w") as f:
    f.write('<?xml version="1.0"?>\n<dump>')
    for i in range(n):
        f.write('<article id="a%d"><title>Item %d</title><p>dumpword %d</p></article>' % (i, i, i))
    f.write("</dump>\n")
PY
cp in/good-orchard.xml dump/
run timeout 60 tsearch index --strict --index dump.idx dump
check "a file of 100,001 articles: --strict exits 5 (got $rc)" test "$rc" -eq 5
assert_contains "$err" "items.xml': more than 100000 articles in one file" "the limit is named"
run tsearch query --index dump.idx --paths orchard
assert_eq "$out" "dump/good-orchard.xml" "the other file is indexed"

# The index is still good after all that.
run tsearch stats
check "stats works afterwards" test "$rc" -eq 0
assert_contains "$out" "articles:"
run tsearch query --paths shipyard
assert_eq "$out" "in/good-shipyard.xml" "queries work afterwards"

finish
