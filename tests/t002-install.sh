#!/bin/sh
# t002: make install puts tsearch in bin, its helpers in libexec/tsearch
# (found by the dispatcher) and the man page in share/man/man1.
. "$TSEARCH_REPO/tests/lib.sh"

if [ "$TSEARCH_BIN" != "$REPO" ]; then
	echo "ok # SKIP installs the normal build only (this run tests $TSEARCH_BIN)"
	finish
fi
run make -s -C "$REPO" install PREFIX="$TEST_TMP/prefix"
check "make install exits 0" test "$rc" -eq 0
check "bin/tsearch installed" test -x prefix/bin/tsearch
check "helpers in libexec/tsearch" test -x prefix/libexec/tsearch/tsearch-index -a -x prefix/libexec/tsearch/tsearch-query
check "man page installed" test -f prefix/share/man/man1/tsearch.1
if command -v man >/dev/null 2>&1; then
	run man -l prefix/share/man/man1/tsearch.1
	assert_contains "$out" "full-text search" "the man page formats"
else
	echo "ok # SKIP man(1) not installed"
fi

# The installed dispatcher finds its installed helpers (and not the build's).
mkdir docs
printf 'Installed\nThe installed copy finds this zebra.\n' >docs/a.txt
run env PATH=/usr/bin:/bin prefix/bin/tsearch index docs
check "installed tsearch index exits 0" test "$rc" -eq 0
run env PATH=/usr/bin:/bin prefix/bin/tsearch query --paths zebra
assert_eq "$out" "docs/a.txt" "installed tsearch query answers"
run env PATH=/usr/bin:/bin prefix/bin/tsearch help index
assert_contains "$out" "usage: tsearch index" "help for a command comes from its helper"

run make -s -C "$REPO" uninstall PREFIX="$TEST_TMP/prefix"
check "make uninstall removes it" test ! -e prefix/bin/tsearch

finish
