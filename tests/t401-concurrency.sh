#!/bin/sh
# t401: concurrency. A second indexer waits (--wait) then exits 75; queries
# keep answering while an indexer updates or rebuilds the index; a long
# --batch stays valid JSON throughout, and sees what was committed meanwhile.
. "$TSEARCH_REPO/tests/lib.sh"

# Under valgrind (TSEARCH_TEST_VALGRIND set): fewer files and queries.
files=3000 queries=1500
[ -n "${TSEARCH_TEST_VALGRIND:-}" ] && files=600 queries=300
python3 - $files <<'PY'
import os, random, sys
random.seed(4)
words = "koala wombat numbat quokka bilby dingo emu kiwi possum echidna".split()
for i in range(int(sys.argv[1])):
    d = "tree/d%d" % (i % 10)
    os.makedirs(d, exist_ok=True)
    with open("%s/f%04d.txt" % (d, i), "w") as f:
        f.write("Title %d\n\n" % i + " ".join(random.choice(words) for _ in range(200)) + " common\n")
PY
expect_exit 0 tsearch index -q tree

# --- two indexers -------------------------------------------------------------
# The lock held by another process (flock(1) on the lock file the indexer
# uses), for a known time.
if command -v flock >/dev/null 2>&1; then
	# Held until the file 'unlock' appears (the lock goes with the last
	# process holding the descriptor, so flock's child must end too).
	flock .tsearch/lock sh -c 'while [ ! -f unlock ]; do sleep 0.05; done' &
	holder=$!
	sleep 0.3
	slack=2.5
	[ -n "${TSEARCH_TEST_VALGRIND:-}" ] && slack=15
	t0=$(date +%s.%N)
	run tsearch index --wait 1 tree
	t1=$(date +%s.%N)
	check "second writer exits 75 (got $rc)" test "$rc" -eq 75
	check "second writer: one line on stderr" test "$(count_lines "$err")" -eq 1
	assert_contains "$err" "locked by another writer" "the message says why"
	check "it waited about --wait 1 second" \
		python3 -c "import sys; d = $t1 - $t0; sys.exit(not 0.9 <= d < 1 + $slack)"
	run tsearch index --wait 0 tree
	check "--wait 0 gives up at once with 75 (got $rc)" test "$rc" -eq 75
	run tsearch query --count common
	check "queries answer while the lock is held (got $rc)" test "$rc" -eq 0
	touch unlock
	wait $holder
else
	_n=$((_n + 1))
	echo "ok $_n # SKIP flock(1) not installed"
fi

# Two real indexers: the second starts once the first holds the lock.
python3 - $files <<'PY'
import random, sys
random.seed(5)
for i in range(0, int(sys.argv[1]), 2):
    with open("tree/d%d/f%04d.txt" % (i % 10, i), "w") as f:
        f.write("Title %d\n\n" % i + " ".join(random.choice("koala emu kiwi".split()) for _ in range(400)) + " common\n")
PY
tsearch index -q --memory 16M tree 2>first.err &
first=$!
i=0
while command -v flock >/dev/null 2>&1 && flock -n .tsearch/lock true && [ $i -lt 1000 ]; do
	sleep 0.01
	i=$((i + 1))
done
run tsearch index --wait 0 tree
if kill -0 $first 2>/dev/null; then
	check "a second indexer beside a running one exits 75 (got $rc)" test "$rc" -eq 75
else
	_n=$((_n + 1))
	echo "ok $_n # SKIP the first indexer finished before the second started"
fi
wait $first
check "the first indexer finished normally (got $?)" test $? -eq 0

# --- queries during an update and during a rebuild ---------------------------
cat >queries.sh <<'SH'
# Query in a loop until the file 'stop' exists; log every exit status.
: >statuses
while [ ! -f stop ]; do
	for q in koala '"koala emu"' 'kiwi AND NOT emu' 'tit*' common; do
		tsearch query -n 3 "$q" >/dev/null 2>>query.err
		echo $? >>statuses
	done
done
SH
for mode in update rebuild; do
	rm -f stop
	python3 - "$mode" $files <<'PY'
import random, sys
random.seed(6 if sys.argv[1] == "update" else 7)
for i in range(1, int(sys.argv[2]), 2):
    with open("tree/d%d/f%04d.txt" % (i % 10, i), "w") as f:
        f.write("Title %d\n\n" % i + " ".join(random.choice("koala emu kiwi numbat".split()) for _ in range(300)) + " common\n")
PY
	sh queries.sh &
	loop=$!
	sleep 0.2
	if [ $mode = update ]; then
		run tsearch index --memory 16M tree
	else
		run tsearch index --rebuild tree
	fi
	check "$mode while queries run exits 0 (got $rc)" test "$rc" -eq 0
	sleep 0.2
	touch stop
	wait $loop
	n=$(wc -l <statuses | tr -d ' ')
	badn=$(grep -cv '^[01]$' statuses)
	check "$mode: $n queries ran meanwhile, none failed ($badn did: $(sort statuses | uniq -c | tr '\n' ' '))" \
		test "$n" -gt 0 -a "$badn" -eq 0
done

# --- a long batch while the index is rebuilt --------------------------------
cat >feed.py <<'PY'
# One query every 4 ms; every tenth asks for a word added during the run.
# The last 50 wait for the file 'marker-done' (the marker is committed).
import os, random, sys, time
random.seed(8)
w = "koala wombat numbat quokka bilby dingo emu kiwi possum echidna".split()
n = int(sys.argv[1])
for i in range(n):
    if i == n - 50:
        end = time.time() + 300
        while not os.path.exists("marker-done") and time.time() < end:
            time.sleep(0.05)
    if i % 10 == 0:
        q = "zzmarker"
    elif i % 3:
        q = "%s %s" % (random.choice(w), random.choice(w))
    else:
        q = '"%s %s"' % (random.choice(w), random.choice(w))
    sys.stdout.write("q%d\t%s\n" % (i, q))
    sys.stdout.flush()
    time.sleep(0.004)
PY
python3 feed.py $queries | tsearch query --batch - >batch.jsonl 2>batch.err &
batch=$!
sleep 0.3
ok=0
for k in 1 2 3; do
	tsearch index -q --rebuild tree || ok=1
done
printf 'Marker\n\nThe zzmarker arrives.\n' >tree/marker.txt
tsearch index -q --rebuild tree || ok=1
touch marker-done
check "three rebuilds beside the batch exit 0" test $ok -eq 0
run tsearch query --count zzmarker
assert_eq "$out" "1" "a new process sees the marker"
wait $batch
check "the batch exits 0 (got $?)" test $? -eq 0
run python3 - $queries <<'PY'
import json, sys
n = int(sys.argv[1])
lines = open("batch.jsonl", "rb").read().split(b"\n")
assert lines[-1] == b"", "unterminated last line"
objs = [json.loads(l) for l in lines[:-1]]
assert len(objs) == n, len(objs)
assert [o["id"] for o in objs] == ["q%d" % i for i in range(n)]
errors = [o for o in objs if "error" in o]
assert not errors, errors[:3]
print("ok")
PY
assert_eq "$out" "ok" "$queries batch answers during 4 rebuilds: all valid JSON, no errors"
# The last 50 queries were sent after the marker was committed.
run python3 - $queries <<'PY'
import json, sys
n = int(sys.argv[1])
objs = [json.loads(l) for l in open("batch.jsonl", "rb")]
late = [o for o in objs[n - 50:] if o["query"] == "zzmarker"]
print("%d of %d" % (sum(1 for o in late if o["total"] >= 1), len(late)))
PY
assert_eq "$out" "5 of 5" "the batch sees the rebuilt index (marker queries sent after it)"

finish
