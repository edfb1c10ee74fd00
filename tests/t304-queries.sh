#!/bin/sh
# t304: hostile queries: 10,000 terms, 1,000-deep brackets, only operators,
# control characters, invalid UTF-8, a 1 MB line in a batch. Each is
# answered (exit 0 or 1) or rejected (exit 2, one line on stderr) within
# 10 s; in a batch, bad lines give error objects and the batch goes on.
. "$TSEARCH_REPO/tests/lib.sh"

mkdir docs
cp "$REPO"/corpus/trade/*.txt docs/
expect_exit 0 tsearch index docs

# answered QUERY WHAT: exit 0 or 1, within 10 s.
answered() {
	run timeout 10 tsearch query "$1"
	check "$2: answered (exit $rc)" test "$rc" -eq 0 -o "$rc" -eq 1
}
# rejected QUERY WHAT [MESSAGE]: exit 2 and exactly one line on stderr.
rejected() {
	run timeout 10 tsearch query "$1"
	check "$2: rejected with exit 2 (got $rc)" test "$rc" -eq 2
	check "$2: one line on stderr" test "$(count_lines "$err")" -eq 1
	[ -n "${3:-}" ] && assert_contains "$err" "$3" "$2: says '$3'"
	return 0
}

words() { python3 -c "import sys; print(' '.join('w%d' % i for i in range(int(sys.argv[1]))))" "$1"; }

rejected "$(words 10000)" "10,000 terms" "longer than 16384 bytes"
rejected "$(python3 -c "print(' '.join('ab' for i in range(2000)))")" "2,000 short terms" \
	"more than 1024 words"
answered "$(words 1024)" "1,024 terms (the limit)"
rejected "$(python3 -c "print('(' * 1000 + 'tariffs' + ')' * 1000)")" "1,000-deep brackets" \
	"nested deeper than 32"
answered "$(python3 -c "print('(' * 32 + 'tariffs' + ')' * 32)")" "32-deep brackets (the limit)"
rejected "$(python3 -c "print('(' * 1000 + 'tariffs')")" "1,000 unclosed brackets" "nested deeper than 32"
answered "$(python3 -c "print(')' * 1000 + 'tariffs')")" "1,000 unopened brackets"
answered "$(python3 -c "print('\"' * 999 + 'tariffs')")" "999 quotes"

# A word longer than any term, with --explain (which once copied it into a
# term-sized buffer on the stack).
for opt in --explain --json; do
	run sh -c "long=\$(python3 -c \"print('s' * 8000)\"); exec timeout 10 tsearch query $opt \"tariffs \$long title:\$long\""
	check "$opt with an 8,000-letter word: answered (exit $rc)" test "$rc" -eq 0 -o "$rc" -eq 1
done

rejected "AND OR NOT" "only operators" "no words"
rejected "AND" "a lone AND"
rejected "NOT" "a lone NOT"
rejected "NEAR/3 ADJ/2" "NEAR and ADJ alone"
rejected "( ) \"\" * + - :" "only punctuation"
answered "AND tariffs OR" "dangling operators around a word"
answered "tariffs NOT NOT NOT japan" "NOT NOT NOT"
answered "title: author: in: date: type:" "empty fields"
answered "date:9999-99-99..0000-00-00 tariffs" "nonsense date range"
answered "tari* ta* t*" "short wildcards"
answered "$(python3 -c "print(' '.join('x%d*' % i for i in range(200)))")" "200 wildcards"

answered "$(printf 'tariffs\001\002\033[31m japan\177')" "control characters"
answered "$(printf 'tariffs\r\njapan\tsteel\v\f')" "line breaks and tabs"
answered "$(printf '\377\376 tariffs \300\257 \355\240\200')" "invalid UTF-8"
answered "$(printf '\342\200\256tariffs\342\200\217\357\273\277')" "bidi and BOM characters"
rejected "$(printf '\001\002\003')" "only control characters"
rejected "$(printf '   \t  ')" "only spaces"
run timeout 10 tsearch query "$(printf 'zzzqqq\033[31mred')"
assert_not_contains "$err" "$(printf '\033')" "no escape sequence echoed to the terminal"

# --- a batch of all of them, with a 1 MB line -------------------------------
python3 - <<'PY'
lines = [
    b"ok1\ttariffs japan",
    b"terms\t" + b" ".join(b"w%d" % i for i in range(10000)),
    b"deep\t" + b"(" * 1000 + b"x" + b")" * 1000,
    b"ops\tAND OR NOT",
    b"ctl\ttariffs\x01\x1b[31m japan\x7f",
    b"utf8\t\xff\xfe tariffs \xc0\xaf \xed\xa0\x80",
    b"mega\t" + b"tariffs " * 131072,
    b"bad\xffid\ttariffs",
    b"nul\ttar\x00iffs japan",
    b"quote\t\"",
    b"ok2\t\"steel safeguard\"",
    b"crlf\ttariffs\r",
    b"mega2\t" + b"x" * (1 << 20),
    b"ok3\tsteel",
]
with open("batch.txt", "wb") as f:
    f.write(b"\n".join(lines) + b"\n")
PY
run timeout 10 tsearch query --batch batch.txt
check "batch with hostile lines exits 0 within 10 s (got $rc)" test "$rc" -eq 0
printf '%s\n' "$out" >out.jsonl
run python3 - <<'PY'
import json
lines = [l for l in open("out.jsonl", "rb").read().split(b"\n") if l]
objs = [json.loads(l) for l in lines]   # bytes in: strict UTF-8
assert len(objs) == 14, len(objs)
errors = {o["id"]: o for o in objs if "error" in o}
assert set(errors) == {"terms", "deep", "ops", "mega", "quote", "mega2"}, sorted(errors)
for o in errors.values():
    assert o["exit_code"] == 2 and o["error"] and "\n" not in o["error"], o
for o in objs:
    assert o["format_version"] == 1
    if "error" not in o:
        assert isinstance(o["hits"], list), o
byid = {o["id"]: o for o in objs}
assert byid["ok1"]["hits"] and byid["ok2"]["hits"] and byid["ok3"]["hits"]
assert byid["ctl"]["hits"] and byid["utf8"]["hits"] and byid["crlf"]["hits"]
print("ok")
PY
assert_eq "$out" "ok" "every output line is valid JSON; six error objects; the rest answered"
assert_not_contains "$(head -c 2000 out.jsonl)" "$(printf '\033')" "no raw escape in the JSON"

# The same batch from stdin, in TSV: the batch goes on after errors.
run sh -c "timeout 10 tsearch query --batch - --format tsv <batch.txt"
check "stdin batch in TSV exits 0 (got $rc)" test "$rc" -eq 0
assert_contains "$out" "ok3" "the line after the errors is answered"

# --- the index is unharmed ----------------------------------------------------
run tsearch query --paths -n 1 '"steel safeguard"'
check "a normal query still works" test "$rc" -eq 0 -a -n "$out"

finish
