#!/bin/sh
# t390: replay the fuzzers' seed corpus and kept crash inputs (tests/fuzz/)
# under ASan+UBSan, through `make fuzz-replay`. Needs clang with its
# sanitizer runtime (Debian: clang, libclang-rt-14-dev); skipped otherwise.
. "$TSEARCH_REPO/tests/lib.sh"

if ! command -v clang >/dev/null 2>&1 || ! command -v clang++ >/dev/null 2>&1; then
	echo "ok # SKIP clang not installed"
	exit 0
fi
printf 'int main(void) { return 0; }\n' >probe.c
if ! clang -fsanitize=address,undefined -o probe probe.c >/dev/null 2>&1; then
	echo "ok # SKIP clang has no sanitizer runtime (libclang-rt-14-dev)"
	exit 0
fi

# The replay binaries are built in the repository's build-fuzz/ (incremental).
make -s -C "$REPO" fuzz-replay >replay.out 2>&1
rc=$?
check "make fuzz-replay exits 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -40 replay.out | sed 's/^/# /'
for name in extract_text extract_html extract_xml analyze query snippet; do
	n=$(sed -n "s/^replay-$name: \([0-9]*\) inputs replayed$/\1/p" replay.out)
	check "replay-$name ran its inputs (${n:-none})" test "${n:-0}" -gt 0
done

finish
