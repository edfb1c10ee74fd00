/*
 * walk.h - list the files under the folders to index.
 */
#ifndef TS_WALK_H
#define TS_WALK_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

typedef struct walk_file {
	char *abs;        /* owned; absolute path, to open */
	char *rel;        /* owned; path relative to the index root, as stored */
	uint64_t size;    /* bytes, from stat */
	int64_t mtime_ns; /* modification time, nanoseconds since the epoch */
} walk_file_t;

typedef struct walk_opts {
	int follow_symlinks; /* follow symbolic links (loops are detected) */
	const char *root;    /* absolute index root, for relative paths */
	const char *skip;    /* absolute path of the index folder, never walked */
	/* Called for a file or folder that cannot be read, or a link not followed. */
	void (*on_problem)(void *ctx, const char *path, const char *why);
	void *ctx;
} walk_opts_t;

typedef struct walk_list {
	walk_file_t *files; /* owned; sorted by rel */
	size_t count;
	size_t cap;
	size_t problems;      /* entries reported through on_problem */
	size_t links_skipped; /* symbolic links not followed */
} walk_list_t;

/*
 * Add the regular files under PATH (a folder or a file) to LIST. Names
 * starting with '.' are skipped (the index itself, .git). TS_ENOENT when
 * PATH does not exist; other problems are reported and skipped.
 */
ts_status_t walk_path(const char *path, const walk_opts_t *opts, walk_list_t *list);

/* Sort LIST by relative path and drop duplicates (a folder given twice). */
void walk_finish(walk_list_t *list);

void walk_list_release(walk_list_t *list);

#endif
