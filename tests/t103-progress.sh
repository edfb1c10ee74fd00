#!/bin/sh
# t103: progress on a terminal (not on a pipe), -q, -v, the summary line.
. "$TSEARCH_REPO/tests/lib.sh"

mkdir docs
i=0
while [ $i -lt 300 ]; do
	printf 'Article %d\nThe body of article number %d talks about trade.\n' $i $i >docs/a$i.txt
	i=$((i + 1))
done

if command -v script >/dev/null 2>&1; then
	# A terminal: the bar is drawn on stderr and erased before the summary.
	script -qec "tsearch index --index tty.idx docs" /dev/null >tty.out 2>&1
	tr '\r' '\n' <tty.out >tty.lines
	run grep -c 'files .*articles/s .*MB/s .*ETA' tty.lines
	check "progress bar drawn on a terminal ($out lines)" test "${out:-0}" -ge 1
	run grep -c '300 files: 300 added' tty.lines
	check "summary after the bar" test "${out:-0}" -ge 1
else
	echo "ok # SKIP script(1) not installed"
fi

# A pipe: no bar, just the summary.
run tsearch index --index pipe.idx docs
assert_not_contains "$err" "ETA" "no progress bar on a pipe"
assert_contains "$err" "300 files: 300 added, 0 updated, 0 removed, 0 unchanged, 0 skipped; 300 articles" "summary line"
assert_contains "$err" "index " "summary names the index size"

# -q: nothing at all; -v: one line per file.
run tsearch index -q --index q.idx docs
assert_eq "$err" "" "-q prints nothing"
printf 'New one\nA fresh article.\n' >docs/new.txt
run tsearch index -v --index q.idx docs
assert_contains "$err" "added 'docs/new.txt' (text, 1 article)" "-v lists each file"

finish
