/*
 * indexdir.h - where the index lives and how its folder is laid out.
 *
 * An index is a folder (".tsearch" by default) holding:
 *   XAPIANDB   a Xapian stub file naming the current database ("glass db-3")
 *   db-N/      glass databases; only the one the stub names is current
 *   lock       taken (flock) by the one writer allowed at a time
 * and in each db-N/, beside Xapian's tables, the text store files
 * (texts.0, texts.1, ...; see textstore.h).
 * Xapian opens the folder itself through the stub, so a reader never needs
 * to know which db-N is current, and a rebuild swaps databases by renaming
 * a new stub over the old one: readers see the old index or the new one,
 * never a mix. PATH may also be a plain glass database or a stub file
 * listing several shards (read only).
 *
 * Paths of indexed files are kept relative to the index's root: the folder
 * that holds the index folder.
 */
#ifndef TS_INDEXDIR_H
#define TS_INDEXDIR_H

#include <stddef.h>
#include <sys/stat.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TS_INDEX_DIRNAME ".tsearch"
#define TS_INDEX_ENV     "TSEARCH_INDEX"

/* Metadata keys kept in the index. */
#define TS_META_FORMAT       "tsearch.format"   /* index format version, decimal */
#define TS_META_LANGUAGE     "tsearch.language" /* stemmer algorithm name */
#define TS_META_SCHEME       "tsearch.scheme"   /* term scheme name */
#define TS_META_TITLE_WEIGHT "tsearch.title_weight"
#define TS_META_FILE_PREFIX  "f:" /* "f:" PATH -> file signature */

/*
 * Index format versions (TS_META_FORMAT), newest last:
 *   1  2026-11-29  stems with positions, S/A field terms, docdata v1 (texts
 *                  in the document data)
 *   2  2026-11-29  docdata v2: the texts of a long article in value slots,
 *                  in chunks of about 4 KiB; a short article's in the data
 *   3  2026-11-29  the document data stored whitened, so that Xapian keeps it
 *                  uncompressed (see ts_doc_set_data)
 *   4  2026-11-30  docdata v3: an article's blocks, their texts and the
 *                  positions of its terms in the text store (textstore.h),
 *                  not in its data and value slots
 */
#define TS_INDEX_FORMAT 5
#define TS_INDEX_SCHEME "stems-positional"

/*
 * Find the index: EXPLICIT when not NULL, else $TSEARCH_INDEX, else the
 * first ".tsearch" folder found walking up from the current directory.
 * *PATH is malloc'd (caller frees). TS_ENOENT when there is none.
 */
ts_status_t ts_indexdir_find(const char *explicit_path, char **path);

/* The root for index PATH: the absolute folder that holds it. *ROOT malloc'd. */
ts_status_t ts_indexdir_root(const char *path, char **root);

/* Does PATH hold a stub (XAPIANDB) naming a current database? */
int ts_indexdir_exists(const char *path);

/*
 * The current database's folder name inside index PATH ("db-3"), read from
 * its stub. *NAME malloc'd; NULL (with TS_OK) when the index has none yet.
 */
ts_status_t ts_indexdir_current(const char *path, char **name);

/* A database folder name not yet used in PATH ("db-4"); *NAME malloc'd. */
ts_status_t ts_indexdir_next(const char *path, char **name);

/* Make NAME the current database of index PATH, atomically and durably. */
ts_status_t ts_indexdir_switch(const char *path, const char *name);

/*
 * Take the writer lock of index PATH (creating PATH when missing), waiting
 * up to WAIT seconds (0: do not wait). *FD is the lock's descriptor: the
 * lock is held until it is closed. TS_ELOCKED when still held by another
 * process after WAIT.
 */
ts_status_t ts_indexdir_lock(const char *path, double wait, int *fd);

/* Remove every database folder in PATH but the current one (stale rebuilds). */
ts_status_t ts_indexdir_prune(const char *path);

/*
 * Check that opening PATH will not follow stub files in a circle (Xapian
 * would follow them until the stack ran out): stubs that name themselves,
 * or each other, or nest deeper than 8. TS_ECORRUPT with a message in ERR
 * when they do; TS_OK otherwise (missing targets are Xapian's to report).
 * When DBS is not NULL, *DBS and *N are set to every database folder the
 * stubs lead to, in the order Xapian numbers their documents in turn
 * (malloc'd, free with ts_indexdir_databases_free; one folder opens faster
 * than the stubs), or to NULL and 0 when one of them is remote, missing or
 * anything else than a local folder.
 */
ts_status_t ts_indexdir_check_stubs(const char *path, char ***dbs, size_t *n, char *err,
                                    size_t errlen);

/* What ts_indexdir_stubs finds at an index's path. */
typedef struct ts_stubs {
	char **dbs; /* as ts_indexdir_check_stubs: the database folders, or NULL */
	size_t n;
	int missing;      /* the path does not exist */
	int has_stub;     /* it is a folder with a stub file (XAPIANDB) */
	struct stat stub; /* that file, as stat found it before it was read */
} ts_stubs_t;

/*
 * ts_indexdir_check_stubs, saying more of PATH in *OUT: whether it exists,
 * and the identity of its stub (a rebuild replaces the stub), each looked
 * at once.
 */
ts_status_t ts_indexdir_stubs(const char *path, ts_stubs_t *out, char *err, size_t errlen);
/* Does the folder PATH hold a stub file (as ts_indexdir_stubs finds one):
 * 1, with what stat says of it in *SB; 0 without; -1 out of memory. */
int ts_indexdir_stub_stat(const char *path, struct stat *sb);
void ts_indexdir_databases_free(char **dbs, size_t n);

/* fsync the file or folder PATH (its contents, or a rename in it, made
 * durable); 0 on success. */
int ts_indexdir_sync(const char *path);

/* Remove the file or folder tree PATH (no error when it does not exist). */
ts_status_t ts_indexdir_remove(const char *path);

/* Total size in bytes of the files under PATH. */
ts_status_t ts_indexdir_size(const char *path, unsigned long long *bytes);

#ifdef __cplusplus
}
#endif

#endif
