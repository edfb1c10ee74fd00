#!/bin/sh
# t100: incremental indexing: add, modify, delete, rename, touch; unchanged re-runs.
. "$TSEARCH_REPO/tests/lib.sh"

mkdir docs
printf 'Alpha title\nThe aardvark walks alone.\n' >docs/a.txt
printf 'Bravo title\nThe buffalo bathes here.\n' >docs/b.txt
printf 'Charlie title\nThe chameleon changes colour.\n' >docs/c.txt
touch -d '2 hours ago' docs/*.txt

expect_exit 0 tsearch index docs
assert_contains "$err" "3 files: 3 added, 0 updated, 0 removed, 0 unchanged" "first run adds all"

expect_exit 0 tsearch index docs
assert_contains "$err" "3 files: 0 added, 0 updated, 0 removed, 3 unchanged" "unchanged re-run"
assert_contains "$err" " 0 articles, 0 terms" "unchanged re-run parses nothing"

# Modify b, delete c, rename a to d, add e.
printf 'Bravo title\nThe zanzibar zebra bathes here.\n' >docs/b.txt
touch -d '1 hour ago' docs/b.txt
rm docs/c.txt
mv docs/a.txt docs/d.txt
printf 'Echo title\nThe emu eats everything.\n' >docs/e.txt
touch -d '1 hour ago' docs/e.txt

expect_exit 0 tsearch index docs
assert_contains "$err" "3 files: 2 added, 1 updated, 2 removed, 0 unchanged" "changes counted"

run tsearch query --paths zanzibar
assert_eq "$out" "docs/b.txt" "modified file has its new words"
expect_exit 1 tsearch query buffalo
check "modified file lost its old words" test "$rc" -eq 1
expect_exit 1 tsearch query chameleon
run tsearch query --paths aardvark
assert_eq "$out" "docs/d.txt" "renamed file found under its new name"
run tsearch query --paths emu
assert_eq "$out" "docs/e.txt" "new file found"
run tsearch query --count title
assert_eq "$out" "3" "three articles"

# Same content, new mtime: the content hash says unchanged, nothing re-indexed.
touch -d '30 minutes ago' docs/b.txt
expect_exit 0 tsearch index docs
assert_contains "$err" "0 added, 0 updated, 0 removed, 3 unchanged" "touched file not re-indexed"

# Same size, different content, new mtime: re-indexed.
printf 'Bravo title\nThe zanzibar zebra bathes THERE\n' >docs/b.txt
touch -d '20 minutes ago' docs/b.txt
expect_exit 0 tsearch index docs
assert_contains "$err" "1 updated" "same-size change detected by hash"

# Indexing a second folder does not remove the first one's files.
mkdir more
printf 'Foxtrot title\nThe ferret fetches.\n' >more/f.txt
expect_exit 0 tsearch index more
assert_contains "$err" "1 added, 0 updated, 0 removed" "other folder untouched"
run tsearch query --count title
assert_eq "$out" "4" "four articles across two folders"

# --rebuild starts from empty, and the old index stays until the new one is done.
expect_exit 0 tsearch index --rebuild docs more
assert_contains "$err" "4 added" "rebuild re-adds everything"
run tsearch query --count title
assert_eq "$out" "4" "four articles after rebuild"
check "one database left after the rebuild" test "$(ls -d .tsearch/db-* | wc -l)" -eq 1

finish
