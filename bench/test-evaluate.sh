#!/bin/sh
# test-evaluate.sh - unit check of bench/evaluate.c on a tiny hand-made
# qrels and run whose scores were worked out by hand (below).
# Usage: bench/test-evaluate.sh   (env CC, BENCH_DIR honoured)
# Prints "N passed, N failed"; exit 0 when all pass.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-evaluate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
${CC:-cc} -std=c11 -O2 -Wall -Wextra -Werror -o "$tmp/evaluate" \
	"$here/evaluate.c" -lm || { echo "0 passed, 1 failed"; exit 1; }

# q1: gains d1=3 d2=1 d4=2 (d3 judged 0).  q2: a=1 b=1.  q3: nothing
# relevant (not averaged).  q4: z=1 but absent from the run (counts 0).
cat > "$tmp/qrels" <<'EOF'
q1 0 d1 3
q1 0 d2 1
q1 0 d3 0
q1 0 d4 2
q2 0 a 1
q2 0 b 1
q3 0 x 0
q4 0 z 1
EOF
# q1 run order d2 d5 d1 (d2 again: ignored) d3; the path 'docs/d2.txt'
# maps to 'd2'.  q2: c and b tie on score; rank breaks the tie (c first).
# Lines deliberately out of order.
cat > "$tmp/run" <<'EOF'
q1 Q0 d1 3 8.0 t
q1 Q0 docs/d2.txt 1 10.0 t
q2 Q0 b 2 5.0 t
q1 Q0 d5 2 9.0 t
q1 Q0 d2 4 7.0 t
q1 Q0 d3 5 6.0 t
q2 Q0 c 1 5.0 t
q3 Q0 x 1 1.0 t
EOF
# By hand:
# q1: ranks d2(1) d5(0) d1(3) d3(0).  DCG@10 = 1/log2(2) + 3/log2(4) = 2.5;
#     ideal 3,2,1: 3 + 2/log2(3) + 1/2 = 4.76186;  nDCG = 0.52500.
#     AP = (1/1 + 2/3) / 3 relevant = 0.55556.  P@10 = 2/10.
# q2: ranks c(0) b(1).  DCG = 1/log2(3) = 0.63093; ideal 1 + 0.63093;
#     nDCG = 0.38685.  AP = (1/2) / 2 = 0.25.  P@10 = 1/10.
# q4: 0, 0, 0.
# Means over q1 q2 q4: nDCG@10 0.30395, MAP 0.26852, P@10 0.10000.
"$tmp/evaluate" "$tmp/qrels" "$tmp/run" > "$tmp/out" 2>&1
"$tmp/evaluate" -q "$tmp/qrels" "$tmp/run" > "$tmp/outq" 2>&1

pass=0 fail=0
check() { # FILE MEASURE QID EXPECTED
	got=$(awk -v m="$2" -v q="$3" '$1 == m && $2 == q { print $3 }' "$1")
	if [ "$got" = "$4" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $2 $3: expected $4, got '${got}'"
	fi
}
check "$tmp/out" num_q all 3
check "$tmp/out" ndcg_cut_10 all 0.3040
check "$tmp/out" map all 0.2685
check "$tmp/out" P_10 all 0.1000
check "$tmp/outq" ndcg_cut_10 q1 0.5250
check "$tmp/outq" map q1 0.5556
check "$tmp/outq" P_10 q1 0.2000
check "$tmp/outq" ndcg_cut_10 q2 0.3869
check "$tmp/outq" map q2 0.2500
check "$tmp/outq" P_10 q2 0.1000
check "$tmp/outq" ndcg_cut_10 q4 0.0000
check "$tmp/outq" map q4 0.0000

# a usage error exits 2
"$tmp/evaluate" "$tmp/qrels" > /dev/null 2>&1
if [ $? -eq 2 ]; then pass=$((pass + 1)); else
	fail=$((fail + 1)); echo "FAIL: usage error should exit 2"; fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
