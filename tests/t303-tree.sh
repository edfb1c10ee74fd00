#!/bin/sh
# t303: hostile trees: symbolic link loops, links leading out of the folder,
# unreadable files and folders, odd file names (spaces, newlines, invalid
# UTF-8), and files removed while the indexer runs.
. "$TSEARCH_REPO/tests/lib.sh"

# --- symbolic links ---------------------------------------------------------
mkdir -p tree/sub outside/deep
printf 'Inside\n\nThe koala sleeps inside.\n' >tree/in.txt
printf 'Secret\n\nThe outsideword bilby.\n' >outside/secret.txt
printf 'Deep\n\nThe outsidedeep word.\n' >outside/deep/d.txt
ln -s . tree/loop
ln -s .. tree/sub/up
ln -s loop2 tree/loop1
ln -s loop1 tree/loop2
ln -s ../outside/secret.txt tree/link.txt
ln -s ../outside tree/outdir
ln -s nowhere.txt tree/broken.txt

run timeout 20 tsearch index tree
check "tree with link loops indexed without following links (got $rc)" test "$rc" -eq 0
assert_contains "$err" "1 files: 1 added" "only the real file is taken"
run tsearch query --paths koala
assert_eq "$out" "tree/in.txt" "the file inside is found"
expect_exit 1 tsearch query outsideword
expect_exit 1 tsearch query outsidedeep

run timeout 20 tsearch index --rebuild --follow-symlinks tree
check "--follow-symlinks over loops ends (got $rc)" test "$rc" -eq 0
assert_contains "$err" "'$PWD/tree/loop': symbolic link loop" "loop through '.' reported"
assert_contains "$err" "'$PWD/tree/sub/up': symbolic link loop" "loop through '..' reported"
assert_contains "$err" "tree/broken.txt'" "broken link reported"
assert_contains "$err" "tree/loop1'" "link cycle reported"
run tsearch query --paths -n 100 outsideword
assert_eq "$(echo $out)" "tree/link.txt tree/outdir/secret.txt" \
	"--follow-symlinks: the target's words are found, once per path"
run tsearch query --paths outsidedeep
assert_eq "$out" "tree/outdir/deep/d.txt" "--follow-symlinks: linked folder walked"
run tsearch query --paths -n 100 koala
assert_eq "$out" "tree/in.txt" "no file indexed twice through a loop"
# Back to the default: the linked files leave the index.
run timeout 20 tsearch index tree
check "re-run without --follow-symlinks (got $rc)" test "$rc" -eq 0
expect_exit 1 tsearch query outsideword

# --- special files: never opened (a FIFO would block, a device never ends) ----
mkdir special
mkfifo special/pipe.txt
ln -s /dev/zero special/zero.txt
ln -s /dev/urandom special/random.html
printf 'Ok\n\nA normal quokka.\n' >special/ok.txt
run timeout 20 tsearch index --index special.idx --follow-symlinks special
check "a FIFO and device links do not block the walk (got $rc)" test "$rc" -eq 0
assert_contains "$err" "1 files: 1 added" "only the regular file is taken"
run timeout 20 tsearch index --index special.idx special/pipe.txt
check "a FIFO named on the command line is not read (got $rc)" test "$rc" -eq 0

# --- unreadable file and folder ---------------------------------------------
mkdir -p perm/closed
printf 'Open\n\nThe open wallaby.\n' >perm/open.txt
printf 'Locked\n\nThe locked wallaby.\n' >perm/locked.txt
printf 'Hidden\n\nThe hidden wallaby.\n' >perm/closed/inner.txt
chmod 000 perm/locked.txt perm/closed
if cat perm/locked.txt >/dev/null 2>&1; then
	skip "running as root: chmod 000 does not deny reading (unreadable file)"
	skip "running as root: chmod 000 does not deny reading (unreadable folder)"
	run tsearch index --index perm.idx perm
	check "as root, the chmod 000 tree indexes (got $rc)" test "$rc" -eq 0
else
	run tsearch index --index perm.idx perm
	check "unreadable file and folder: exit 0 (got $rc)" test "$rc" -eq 0
	check "unreadable file named on one line" \
		test "$(printf '%s\n' "$err" | grep -c "perm/locked.txt'")" -eq 1
	check "unreadable folder named on one line" \
		test "$(printf '%s\n' "$err" | grep -c "perm/closed'")" -eq 1
	run tsearch query --index perm.idx --paths wallaby
	assert_eq "$out" "perm/open.txt" "the readable file is indexed"
	expect_exit 5 tsearch index --strict --rebuild --index perm.idx perm
fi
chmod 755 perm/closed
chmod 644 perm/locked.txt

# --- odd file names -----------------------------------------------------------
mkdir names
printf 'Spaced\n\nThe numbat spaced.\n' >"names/with  space.txt"
printf 'Newline\n\nThe numbat newline.\n' >"names/new
line.txt"
badname=$(printf 'names/bad\377\376name.txt')
printf 'Bad\n\nThe numbat invalid.\n' >"$badname"
printf 'Tab\n\nThe numbat tab.\n' >"$(printf 'names/a\tb.txt')"
printf 'Dash\n\nThe numbat dash.\n' >names/-n.txt
run tsearch index --index names.idx names
check "odd names indexed (got $rc)" test "$rc" -eq 0
assert_contains "$err" "5 files: 5 added" "all five odd names taken"

# -0: exactly the file names, byte for byte.
tsearch query --index names.idx --paths -0 -n 100 numbat >paths0
run python3 - <<'PY'
import os
got = sorted(p for p in open("paths0", "rb").read().split(b"\0") if p)
want = sorted(b"names/" + n for n in os.listdir(b"names"))
assert got == want, (got, want)
for p in got:
    assert os.path.isfile(p), p
print(len(got))
PY
assert_eq "$out" "5" "--paths -0 gives the five names byte for byte"
# xargs -0 can open every one of them.
run sh -c "tsearch query --index names.idx --paths -0 -n 100 numbat | xargs -0 cat | grep -c numbat"
assert_eq "$out" "5" "xargs -0 opens every path"
run tsearch query --index names.idx --paths -n 100 spaced
assert_eq "$out" "names/with  space.txt" "--paths keeps spaces"
run tsearch query --index names.idx --paths -n 100 invalid
check "--paths prints the invalid UTF-8 name's bytes" test "$out" = "$badname"

# Every output format stays well-formed whatever the names hold.
printf 'Esc\n\nThe numbat escape.\n' >"$(printf 'names/esc\033[31mred\033[0m.txt')"
run tsearch index --index names.idx names
tsearch query --index names.idx --json -n 100 numbat >out.json
run python3 -c 'import json; print(len(json.loads(open("out.json", "rb").read())["hits"]))'
assert_eq "$out" "6" "--json is valid UTF-8 JSON with an invalid UTF-8 file name"
tsearch query --index names.idx --jsonl -n 100 numbat >out.jsonl
run python3 -c 'import json; [json.loads(l) for l in open("out.jsonl", "rb")]; print("ok")'
assert_eq "$out" "ok" "--jsonl is valid UTF-8 JSON too"
run tsearch query --index names.idx --format tsv -n 100 numbat
check "--format tsv: one line per hit with a newline in a name ($(count_lines "$out"))" \
	test "$(count_lines "$out")" -eq 6
assert_contains "$out" "names/a b.txt" "--format tsv: a tab in a name as a space"
run tsearch query --index names.idx --format trec -n 100 numbat
check "--format trec: one line per hit ($(count_lines "$out"))" test "$(count_lines "$out")" -eq 6
assert_contains "$out" "names/with__space.txt" "--format trec: white space in a name as '_'"
assert_contains "$out" "names/new_line.txt" "--format trec: a newline in a name as '_'"
run tsearch query --index names.idx -n 100 numbat
esc=$(printf '\033')
check "no terminal escape from a file name in human output" test "${out#*$esc}" = "$out"
assert_contains "$out" "names/esc?[31mred?[0m.txt" "control characters in a name as '?'"

# --- files removed while the indexer runs -----------------------------------
# Under valgrind (TSEARCH_TEST_VALGRIND set): 600 files, two runs.
files=3000 delays="0.02 0.1 0.2 0.05"
[ -n "${TSEARCH_TEST_VALGRIND:-}" ] && files=600 delays="0.5 2"
python3 - $files <<'PY'
import os, random, sys
random.seed(3)
words = "koala wombat numbat quokka bilby dingo emu kiwi possum echidna".split()
os.mkdir("vanish")
for i in range(int(sys.argv[1])):
    with open("vanish/f%04d.txt" % i, "w") as f:
        f.write("Title %d\n\n" % i + " ".join(random.choice(words) for _ in range(150)) + " common\n")
PY
# A fresh build (parallel shards), then incremental runs (one writer):
# remove a third of the files shortly after each run starts.
i=0
bad=0
for delay in $delays; do
	i=$((i + 1))
	if [ $i -gt 1 ]; then
		# Bring the files back, changed, so that the run has work to do.
		python3 - $i $files <<'PY'
import sys
n = int(sys.argv[2])
for k in range(n * 2 // 3, n):
    with open("vanish/f%04d.txt" % k, "w") as f:
        f.write("Title %d\n\nround%s common wombat\n" % (k, sys.argv[1]))
PY
	fi
	tsearch index --index vanish.idx vanish >/dev/null 2>vanish.err &
	pid=$!
	sleep $delay
	rm -f $(ls vanish/*.txt | tail -n $((files / 3)))
	wait $pid
	rc=$?
	if [ $rc -ne 0 ]; then
		bad=1
		echo "# run $i (delay $delay): exit $rc: $(tail -2 vanish.err)"
	fi
	# Consistent: every indexed path is one of the files, none twice, and
	# the count agrees with the list.
	tsearch query --index vanish.idx --paths -n 100000 common >list
	n=$(tsearch query --index vanish.idx --count common)
	if [ "$(sort list | uniq -d | wc -l)" -ne 0 ] || [ "$(wc -l <list)" -ne "$n" ] ||
		grep -qv '^vanish/f[0-9][0-9][0-9][0-9]\.txt$' list; then
		bad=1
		echo "# run $i: inconsistent index ($n counted, $(wc -l <list) listed)"
	fi
	# The next run removes what vanished: then exactly the files present.
	run tsearch index --index vanish.idx vanish
	tsearch query --index vanish.idx --paths -n 100000 common | sort >list
	ls vanish/*.txt | sort >present
	if ! cmp -s list present; then
		bad=1
		echo "# run $i: after a clean run, index and folder differ"
	fi
done
check "files vanishing during $i runs: exit 0, consistent index, clean after" test $bad -eq 0
run tsearch stats --index vanish.idx
assert_contains "$out" "articles:     $((files - files / 3))" "stats agree: $((files - files / 3)) articles"

finish
