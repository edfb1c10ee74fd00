#!/bin/sh
# t400: SIGKILL `tsearch index` at random moments. While no run has ever
# completed (a fresh build writes parallel shards, merged at the end) a
# missing index (exit 3) is allowed; once one has, every kill must leave an
# index that opens and answers. A final uninterrupted run gives exactly what
# an uninterrupted index of the same tree built elsewhere gives.
# TSEARCH_TEST_SEED=N replays a run (the seed is printed).
. "$TSEARCH_REPO/tests/lib.sh"

seed=${TSEARCH_TEST_SEED:-$(date +%s)}
echo "# seed $seed"
# Under valgrind (TSEARCH_TEST_VALGRIND set) every process starts slowly:
# fewer files (still above the 256 of a sharded build) and fewer rounds.
files=2000 fresh_kills=8 rounds=17
[ -n "${TSEARCH_TEST_VALGRIND:-}" ] && files=300 fresh_kills=3 rounds=5

cat >gen.py <<'PY'
# gen.py init N | mutate ROUND | delays SEED COUNT
import os, random, sys
words = ("koala wombat numbat quokka bilby dingo emu kiwi possum echidna platypus "
         "wallaby kangaroo cassowary galah kookaburra bandicoot potoroo quoll "
         "bettong dunnart glider").split()
def write(path, rnd, n):
    with open(path, "w") as f:
        f.write("Title %s %s\n\n" % (rnd.choice(words), os.path.basename(path)))
        for _ in range(3):
            f.write(" ".join(rnd.choice(words) for _ in range(n // 3)) + "\n\n")
mode = sys.argv[1]
if mode == "init":
    rnd = random.Random(1)
    os.makedirs("tree", exist_ok=True)
    for i in range(int(sys.argv[2])):
        d = "tree/d%d" % (i % 10)
        os.makedirs(d, exist_ok=True)
        write("%s/f%04d.txt" % (d, i), rnd, 300)
elif mode == "mutate":
    # Rewrite 30% of the files, delete 20 and add 20: a run with work to commit.
    r = int(sys.argv[2])
    rnd = random.Random(1000 + r)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk("tree") for f in fs)
    for p in rnd.sample(files, len(files) * 3 // 10):
        write(p, rnd, 300 + r)
    for p in rnd.sample(files, 20):
        if os.path.exists(p):
            os.remove(p)
    for k in range(20):
        write("tree/d%d/new%02d-%02d.txt" % (k % 10, r, k), rnd, 300)
elif mode == "delays":
    rnd = random.Random(int(sys.argv[2]))
    print(" ".join("%.3f" % rnd.uniform(0, 0.3) for _ in range(int(sys.argv[3]))))
PY
python3 gen.py init $files
delays=$(python3 gen.py delays "$seed" 30)

# killed_run DELAY ARGS...: start `tsearch index ARGS`, SIGKILL it after
# DELAY seconds (if still running). Sets $finished to 1 when the run had
# already ended with exit 0.
killed_run() {
	d=$1
	shift
	tsearch index -q "$@" tree >/dev/null 2>kill.err &
	pid=$!
	sleep "$d"
	if kill -9 $pid 2>/dev/null; then
		wait $pid 2>/dev/null
		finished=0
	else
		wait $pid
		krc=$?
		finished=0
		[ $krc -eq 0 ] && finished=1
		if [ $krc -ne 0 ]; then
			echo "# a run that was not killed exited $krc: $(tail -1 kill.err)"
			bad=1
		fi
	fi
}

# after_kill PHASE: query and stats after a kill; exit 3 only while no run
# has ever completed.
after_kill() {
	tsearch query --count koala >/dev/null 2>q.err
	qrc=$?
	tsearch stats >/dev/null 2>s.err
	src=$?
	if [ "$completed" -eq 1 ]; then
		if [ $qrc -ne 0 ] && [ $qrc -ne 1 ]; then
			bad=1
			echo "# $1: query exit $qrc after a kill: $(head -1 q.err)"
		fi
		if [ $src -ne 0 ]; then
			bad=1
			echo "# $1: stats exit $src after a kill: $(head -1 s.err)"
		fi
	elif { [ $qrc -ne 0 ] && [ $qrc -ne 1 ] && [ $qrc -ne 3 ]; } ||
		{ [ $src -ne 0 ] && [ $src -ne 3 ]; }; then
		bad=1
		echo "# $1: query $qrc, stats $src before any complete run"
	fi
	[ $qrc -gt 125 ] || [ $src -gt 125 ] && { bad=1; echo "# $1: crash ($qrc/$src)"; }
	return 0
}

# --- phase 1: fresh builds killed (no complete run yet) -------------------------
bad=0
completed=0
set -- $delays
i=0
while [ $i -lt $fresh_kills ]; do
	i=$((i + 1))
	killed_run "$1"
	shift
	after_kill "fresh build $i"
	[ "$finished" -eq 1 ] && completed=1
done
check "phase 1: $fresh_kills killed fresh builds, the index never worse than missing" test $bad -eq 0

# The first complete run.
run tsearch index tree
check "a complete run after the kills exits 0 (got $rc)" test "$rc" -eq 0
completed=1

# --- phase 2: incremental runs and rebuilds killed --------------------------
bad=0
r=0
while [ $r -lt $rounds ]; do
	r=$((r + 1))
	python3 gen.py mutate $r
	if [ $((r % 4)) -eq 0 ]; then
		killed_run "$1" --rebuild
	else
		killed_run "$1" --memory 16M
	fi
	shift
	after_kill "round $r"
done
check "phase 2: $rounds killed updates and rebuilds, every kill left a usable index" test $bad -eq 0

# --- the final run against a reference ----------------------------------------
run tsearch index tree
check "final uninterrupted run exits 0 (got $rc)" test "$rc" -eq 0
run tsearch index --index ref.idx tree
check "reference index built (got $rc)" test "$rc" -eq 0
same=0
for w in koala wombat dunnart glider title '"koala wombat"' 'title:numbat' 'in:d3'; do
	a=$(tsearch query --paths -n 100000 "$w" | sort)
	b=$(tsearch query --index ref.idx --paths -n 100000 "$w" | sort)
	if [ "$a" != "$b" ] || [ -z "$a" ]; then
		same=1
		echo "# '$w': $(printf '%s\n' "$a" | wc -l) paths here, $(printf '%s\n' "$b" | wc -l) in the reference"
	fi
done
check "the same paths as the reference for 8 queries" test $same -eq 0
a=$(tsearch stats | grep -E '^(articles|files):')
b=$(tsearch stats --index ref.idx | grep -E '^(articles|files):')
assert_eq "$a" "$b" "stats agree with the reference"
n=$(find tree -type f | wc -l | tr -d ' ')
assert_contains "$a" "articles:     $n" "one article per file ($n)"
check "no leftover databases or shards" test "$(ls .tsearch | grep -c '^db-')" -eq 1

finish
