#!/bin/sh
# t305: a damaged index (truncated or overwritten tables, a garbage or looping
# XAPIANDB stub) gives exit 3 and one line, never a crash; a read-only index
# still answers; a full disk during indexing gives exit 4 and leaves the last
# committed index answering.
. "$TSEARCH_REPO/tests/lib.sh"

mkdir docs
cp "$REPO"/corpus/trade/*.txt docs/
expect_exit 0 tsearch index docs
db=$(sed -n 's/^glass //p' .tsearch/XAPIANDB)
check "the stub names a glass database ($db)" test -n "$db" -a -f ".tsearch/$db/postlist.glass"
cp -a .tsearch good.idx

# damaged WHAT: query, stats, a batch and an index run each fail with exit 3
# and one line of stderr; none crashes. Then the good index comes back.
cmds="query@tariffs query@--batch@- stats index@docs"
# Under valgrind (TSEARCH_TEST_VALGRIND set) each process starts slowly.
[ -n "${TSEARCH_TEST_VALGRIND:-}" ] && cmds="query@tariffs index@docs"
damaged() {
	for c in $cmds; do
		cmd=$(echo "$c" | tr @ ' ')
		# shellcheck disable=SC2086
		run sh -c "echo tariffs | timeout 20 tsearch $cmd"
		check "$1: 'tsearch $cmd' exits 3 (got $rc)" test "$rc" -eq 3
		check "$1: 'tsearch $cmd' says why on one line" test "$(count_lines "$err")" -eq 1
	done
	rm -rf .tsearch
	cp -a good.idx .tsearch
}

truncate -s 10000 ".tsearch/$db/postlist.glass"
damaged "truncated postlist.glass"
truncate -s 0 ".tsearch/$db/postlist.glass"
damaged "empty postlist.glass"
size=$(wc -c <".tsearch/$db/postlist.glass")
head -c "$size" /dev/urandom >".tsearch/$db/postlist.glass"
damaged "postlist.glass overwritten with random bytes"
rm ".tsearch/$db/postlist.glass"
damaged "postlist.glass missing"
head -c 8192 /dev/urandom >".tsearch/$db/docdata.glass"
damaged "docdata.glass overwritten"
truncate -s 20 ".tsearch/$db/iamglass"
damaged "truncated iamglass"
printf 'garbage\001\377 stub\n' >.tsearch/XAPIANDB
damaged "garbage XAPIANDB stub"
printf 'glass db-999\n' >.tsearch/XAPIANDB
damaged "stub naming a missing database"
printf 'glass /etc\n' >.tsearch/XAPIANDB
damaged "stub naming /etc"

# A stub that names itself, and two stubs naming each other: Xapian would
# follow them for ever.
printf 'auto XAPIANDB\n' >.tsearch/XAPIANDB
for cmd in "query tariffs" stats; do
	# shellcheck disable=SC2086
	run timeout 20 tsearch $cmd
	check "self-naming stub: 'tsearch $cmd' exits 3 (got $rc)" test "$rc" -eq 3
done
rm -rf .tsearch
cp -a good.idx .tsearch
printf 'auto b.stub\n' >a.stub
printf 'auto a.stub\n' >b.stub
run timeout 20 tsearch query --index a.stub tariffs
check "stubs naming each other: exit 3 (got $rc)" test "$rc" -eq 3
check "stubs naming each other: one line" test "$(count_lines "$err")" -eq 1

# A stub that comes to name itself while a batch runs: the batch, which
# opens the index again when its stub changes, refuses the loop and goes on
# with the database it has open.
mkfifo batch.in
timeout 30 tsearch query --batch batch.in >batch.out 2>batch.err &
batch=$!
exec 3>batch.in
echo tariffs >&3
n=0
while [ "$(count_lines "$(cat batch.out)")" -lt 1 ] && [ $n -lt 200 ]; do
	sleep 0.05
	n=$((n + 1))
done
printf 'auto XAPIANDB\n' >.tsearch/XAPIANDB.new
mv .tsearch/XAPIANDB.new .tsearch/XAPIANDB
echo tariffs >&3
exec 3>&-
wait $batch
rc=$?
check "looping stub mid-batch: no crash (exit $rc)" test "$rc" -lt 128
check "looping stub mid-batch: two answers" test "$(count_lines "$(cat batch.out)")" -eq 2
assert_contains "$(sed -n 1p batch.out)" '"hits":[{' "the first query answered"
assert_contains "$(sed -n 2p batch.out)" '"hits":[{' "the second one too, from the open database"
rm -rf .tsearch
cp -a good.idx .tsearch

# An empty stub is an empty database, not a tsearch index.
: >.tsearch/XAPIANDB
expect_exit 3 tsearch query tariffs
expect_exit 3 tsearch stats
rm -rf .tsearch
cp -a good.idx .tsearch

# --rebuild recovers from damaged tables.
head -c 8192 /dev/urandom >".tsearch/$db/docdata.glass"
run timeout 20 tsearch index --rebuild docs
check "--rebuild over a damaged database exits 0 (got $rc)" test "$rc" -eq 0
run tsearch query --count tariffs
check "the rebuilt index answers ($out)" test "$rc" -eq 0 -a "${out:-0}" -gt 0
rm -rf .tsearch
cp -a good.idx .tsearch

# --- a read-only index ---------------------------------------------------------
chmod -R a-w .tsearch
run tsearch query --paths -n 100 tariffs
check "a read-only index answers queries (got $rc)" test "$rc" -eq 0 -a -n "$out"
run tsearch stats
check "stats on a read-only index (got $rc)" test "$rc" -eq 0
run sh -c "echo tariffs | tsearch query --batch -"
check "batch on a read-only index (got $rc)" test "$rc" -eq 0
if touch .tsearch/probe 2>/dev/null; then
	rm -f .tsearch/probe
	skip "running as root: a read-only index folder is still writable (index run)"
else
	printf 'New\n\nA new platypus file.\n' >docs/new.txt
	run timeout 20 tsearch index docs
	check "indexing into a read-only index fails cleanly (got $rc)" \
		test "$rc" -eq 3 -o "$rc" -eq 4
	check "read-only index: one line says why" test "$(count_lines "$err")" -eq 1
	rm docs/new.txt
	run tsearch query --count tariffs
	check "the read-only index still answers after the failed run" test "$rc" -eq 0
fi
chmod -R u+w .tsearch

# --- a full disk ------------------------------------------------------------
# 20 small files fit in 2 MB; 300 files of 20 KB of distinct words do not.
python3 - <<'PY'
import os, random
random.seed(9)
vocab = ["w%d" % i for i in range(20000)]
os.makedirs("small")
os.makedirs("big")
for i in range(20):
    with open("small/s%02d.txt" % i, "w") as f:
        f.write("Small %d\n\nkoala " % i + " ".join(random.choice(vocab) for _ in range(200)) + "\n")
for i in range(300):
    with open("big/b%03d.txt" % i, "w") as f:
        f.write("Big %d\n\nwombat " % i + " ".join(random.choice(vocab) for _ in range(3000)) + "\n")
PY
mkdir disk
full=""
if [ -z "${TSEARCH_TEST_NO_MOUNT:-}" ] && mount -t tmpfs -o size=2m tmpfs disk 2>/dev/null; then
	trap 'umount "$TEST_TMP/disk" 2>/dev/null' EXIT
	full=tmpfs
	limit() { "$@"; }
else
	# No mount (not root, or no CAP_SYS_ADMIN): a file size limit of 2 MB
	# (4096 blocks of 512 bytes in dash; bash counts KiB). The programs must
	# turn it into EFBIG and exit 4, not die of SIGXFSZ.
	full="ulimit -f"
	limit() { (ulimit -f 4096; "$@"); }
fi
echo "# full disk simulated with $full"
# Xapian leaks a little when a commit fails for want of space (see the file).
LSAN_OPTIONS="suppressions=$REPO/tests/xapian-enospc.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
run limit tsearch index --index disk/idx small
check "first, smaller run fits ($full, got $rc)" test "$rc" -eq 0
run limit timeout 60 tsearch index --index disk/idx big
check "run that fills the disk exits 4 (got $rc)" test "$rc" -eq 4
check "full disk: one line says why" test "$(count_lines "$err")" -eq 1
assert_contains "$err" "disk/idx" "full disk: the message names the index"
run tsearch query --index disk/idx --count koala
assert_eq "$out" "20" "the last committed index still answers"
run tsearch stats --index disk/idx
assert_contains "$out" "articles:     20" "stats show the last committed state"
expect_exit 1 tsearch query --index disk/idx wombat
# A rebuild that cannot fit leaves the current index in place.
run limit timeout 60 tsearch index --rebuild --index disk/idx small big
check "rebuild that fills the disk exits 4 (got $rc)" test "$rc" -eq 4
run tsearch query --index disk/idx --count koala
assert_eq "$out" "20" "the index before the failed rebuild still answers"
# A first build that cannot fit leaves no half index behind.
run limit timeout 60 tsearch index --index disk/idx2 big
check "first build that fills the disk exits 4 (got $rc)" test "$rc" -eq 4
run tsearch query --index disk/idx2 wombat
check "no half-built index is opened (got $rc)" test "$rc" -eq 3
unset LSAN_OPTIONS
if [ "$full" = tmpfs ]; then
	umount disk
	trap - EXIT
fi

finish
