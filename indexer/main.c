/*
 * tsearch-index - build or update the index of folders of articles.
 *
 *   tsearch index [options] DIR...
 *   tsearch stats [--index PATH]
 *
 * The run: take the writer lock, walk the folders, compare every file with
 * the signature the index keeps for it (size, mtime, content hash), then
 * parse only new and changed files on every core while this thread writes
 * the documents in batches, each batch one transaction that also records
 * the signatures of its files. An interrupted run leaves the last committed
 * batch; the next run picks up where it stopped.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "buf.h"
#include "cli.h"
#include "docbuild.h"
#include "extract.h"
#include "indexdir.h"
#include "path.h"
#include "pipeline.h"
#include "progress.h"
#include "terms.h"
#include "textstore.h"
#include "walk.h"
#include "wordcount.h"
#include "xapian_wrap.h"

#define DEFAULT_WAIT          10.0           /* seconds, --wait */
#define DEFAULT_MAX_FILE_SIZE (64ULL << 20)  /* bytes, --max-file-size */
#define DEFAULT_MEMORY        (512ULL << 20) /* bytes, --memory */
#define DEFAULT_TITLE_WDF     3              /* --title-weight */
/* Bytes of writer memory one buffered posting costs, measured on Reuters. */
#define BYTES_PER_POSTING     48
/*
 * Postings a writer buffers before it commits, at most. Xapian keeps the
 * changes in ordered maps whose every insertion walks a tree: small batches
 * keep them small and in cache. Measured (user CPU, Reuters / Wikipedia,
 * two shards): 512 MiB batches 13.0 s / ~40 s, 64 MiB 12.8 s / 32.2 s,
 * 16 MiB 8.7 s / 26.7 s, 4 MiB (43,000 postings a shard) 7.2 s / 26.8 s.
 * A single writer commits durably (fsync), so it takes twice as many.
 */
#define SHARD_BATCH_POSTINGS  50000
#define SINGLE_BATCH_POSTINGS 100000

/* ====================================================================== */
/* Options                                                                 */
/* ====================================================================== */

typedef struct options {
	const char *index;      /* --index, or NULL */
	const char *language;   /* --language, or NULL: the index's, or English */
	int rebuild;            /* --rebuild */
	double wait;            /* --wait seconds */
	int quiet, verbose;     /* -q, -v */
	int strict;             /* --strict */
	int stats;              /* --stats: print figures of an existing index */
	int dump;               /* --dump: print what would be indexed, index nothing */
	unsigned jobs;          /* -j, 0: one per core */
	uint64_t max_file_size; /* --max-file-size */
	uint64_t memory;        /* --memory */
	int follow_symlinks;    /* --follow-symlinks */
	int title_wdf;          /* --title-weight, -1: the index's or default */
	unsigned max_depth;     /* --max-depth */
} options_t;

static void usage(FILE *f)
{
	fputs("usage: tsearch index [options] DIR...\n"
	      "       tsearch stats [--index PATH]\n"
	      "\n"
	      "Build or update the index of the articles under each DIR (plain text,\n"
	      "HTML, XML, RSS and Atom feeds). New and changed files are indexed, deleted\n"
	      "ones removed; unchanged files are not read again.\n"
	      "\n"
	      "  --index PATH          index folder (default: .tsearch here, or $TSEARCH_INDEX)\n"
	      "  -l, --language LANG   stemming language (default english; 'none' for none)\n"
	      "      --rebuild         build a new index from scratch, then swap it in\n"
	      "      --wait SECONDS    wait this long for another indexer to finish (10)\n"
	      "  -j, --jobs N          parsing threads (default: one per core)\n"
	      "      --max-file-size SIZE  skip larger files (default 64M)\n"
	      "      --memory SIZE     writer memory before a commit (default 512M)\n"
	      "      --max-depth N     deepest XML/HTML nesting accepted (default 256)\n"
	      "      --follow-symlinks follow symbolic links (loops are detected)\n"
	      "      --title-weight N  weight of title words against body words (3)\n"
	      "      --strict          exit 5 if any file was skipped\n"
	      "      --dump            print the articles and terms the files give; index nothing\n"
	      "  -q, --quiet           no progress bar, no summary\n"
	      "  -v, --verbose         list each file\n"
	      "  -h, --help            this help\n",
	      f);
}

/* Parse "64M", "512k", "1G", "1000" into bytes. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	/* strtoull accepts "-1" (as ULLONG_MAX) and leading space: a digit first. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	unsigned shift = 0;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	default:
		break;
	}
	if (v > (ULLONG_MAX >> shift))
		return -1;
	v <<= shift;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int parse_options(int argc, char **argv, options_t *o)
{
	enum {
		OPT_INDEX = 256,
		OPT_REBUILD,
		OPT_WAIT,
		OPT_STRICT,
		OPT_MAXSIZE,
		OPT_MEMORY,
		OPT_FOLLOW,
		OPT_TITLE,
		OPT_STATS,
		OPT_DEPTH,
		OPT_DUMP,
	};
	static const struct option longopts[] = {
	    {"index", required_argument, NULL, OPT_INDEX},
	    {"language", required_argument, NULL, 'l'},
	    {"rebuild", no_argument, NULL, OPT_REBUILD},
	    {"wait", required_argument, NULL, OPT_WAIT},
	    {"jobs", required_argument, NULL, 'j'},
	    {"max-file-size", required_argument, NULL, OPT_MAXSIZE},
	    {"memory", required_argument, NULL, OPT_MEMORY},
	    {"max-depth", required_argument, NULL, OPT_DEPTH},
	    {"dump", no_argument, NULL, OPT_DUMP},
	    {"follow-symlinks", no_argument, NULL, OPT_FOLLOW},
	    {"title-weight", required_argument, NULL, OPT_TITLE},
	    {"strict", no_argument, NULL, OPT_STRICT},
	    {"stats", no_argument, NULL, OPT_STATS},
	    {"quiet", no_argument, NULL, 'q'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof *o);
	o->wait = DEFAULT_WAIT;
	o->max_file_size = DEFAULT_MAX_FILE_SIZE;
	o->memory = DEFAULT_MEMORY;
	o->title_wdf = -1;
	o->max_depth = TS_EXTRACT_MAX_DEPTH_DEFAULT;
	int c;
	while ((c = getopt_long(argc, argv, "l:j:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_INDEX:
			o->index = optarg;
			break;
		case 'l':
			o->language = optarg;
			break;
		case OPT_REBUILD:
			o->rebuild = 1;
			break;
		case OPT_WAIT:
			if (ts_parse_real(optarg, NULL, &o->wait) || o->wait < 0) {
				ts_error("invalid --wait '%s': expected seconds", optarg);
				return -1;
			}
			break;
		case 'j': {
			unsigned long n;
			if (ts_parse_uint(optarg, 1, 64, &n)) {
				ts_error("invalid --jobs '%s': expected 1 to 64", optarg);
				return -1;
			}
			o->jobs = (unsigned)n;
			break;
		}
		case OPT_MAXSIZE:
			if (parse_size(optarg, &o->max_file_size)) {
				ts_error("invalid --max-file-size '%s'", optarg);
				return -1;
			}
			break;
		case OPT_MEMORY:
			if (parse_size(optarg, &o->memory) || o->memory < (1ULL << 20)) {
				ts_error("invalid --memory '%s': expected a size of at least 1M",
				         optarg);
				return -1;
			}
			break;
		case OPT_DEPTH: {
			unsigned long n;
			if (ts_parse_uint(optarg, 1, 100000, &n)) {
				ts_error("invalid --max-depth '%s'", optarg);
				return -1;
			}
			o->max_depth = (unsigned)n;
			break;
		}
		case OPT_FOLLOW:
			o->follow_symlinks = 1;
			break;
		case OPT_TITLE: {
			unsigned long n;
			if (ts_parse_uint(optarg, 1, 100, &n)) {
				ts_error("invalid --title-weight '%s': expected 1 to 100", optarg);
				return -1;
			}
			o->title_wdf = (int)n;
			break;
		}
		case OPT_STRICT:
			o->strict = 1;
			break;
		case OPT_DUMP:
			o->dump = 1;
			break;
		case OPT_STATS:
			o->stats = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'h':
			usage(stdout);
			exit(ts_stdout_close());
		default:
			usage(stderr);
			return -1;
		}
	}
	return 0;
}

/* ====================================================================== */
/* File signatures                                                         */
/* ====================================================================== */

/*
 * The metadata value "f:" + PATH holds, space-separated:
 *   version(1) size mtime_ns hash(hex) recorded_s status(ok|skip) articles path
 * The path is repeated in the value because long paths are hashed in keys.
 */
typedef struct signature {
	char *rel; /* owned */
	uint64_t size;
	int64_t mtime_ns;
	uint64_t hash;
	int64_t recorded_s; /* when the run that recorded it started */
	int seen;           /* a walked file matched it */
} signature_t;

typedef struct sig_list {
	signature_t *items; /* owned */
	size_t count, cap;
} sig_list_t;

static int load_sig(void *ctx, const char *key, size_t keylen, const char *value, size_t len)
{
	(void)key;
	(void)keylen;
	sig_list_t *l = ctx;
	char buf[8192];
	if (len >= sizeof buf)
		return 0; /* not ours */
	memcpy(buf, value, len);
	buf[len] = '\0';
	unsigned long long size, hash;
	long long mtime, recorded;
	char status[8];
	unsigned long articles;
	int consumed = 0;
	if (sscanf(buf, "1 %llu %lld %llx %lld %7s %lu %n", &size, &mtime, &hash, &recorded, status,
	           &articles, &consumed) < 6 ||
	    !consumed || !buf[consumed])
		return 0;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		signature_t *s = realloc(l->items, cap * sizeof *s);
		if (!s)
			return 1;
		l->items = s;
		l->cap = cap;
	}
	signature_t *s = &l->items[l->count];
	s->rel = strdup(buf + consumed);
	if (!s->rel)
		return 1;
	s->size = size;
	s->mtime_ns = mtime;
	s->hash = hash;
	s->recorded_s = recorded;
	s->seen = 0;
	l->count++;
	return 0;
}

static int cmp_sig(const void *a, const void *b)
{
	return strcmp(((const signature_t *)a)->rel, ((const signature_t *)b)->rel);
}

static void sig_list_release(sig_list_t *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i].rel);
	free(l->items);
	memset(l, 0, sizeof *l);
}

static ts_status_t sig_key(ts_buf_t *key, const char *rel)
{
	return ts_term_make(key, TS_META_FILE_PREFIX, rel, strlen(rel));
}

/* ====================================================================== */
/* The run                                                                 */
/* ====================================================================== */

typedef struct counts {
	size_t seen, added, updated, removed, unchanged, skipped, failed;
	size_t articles;      /* articles written this run */
	size_t postings;      /* postings written this run */
	uint64_t bytes;       /* bytes read */
	size_t invalid_bytes; /* invalid UTF-8 replaced */
} counts_t;

typedef struct scratch {
	ts_buf_t key, val, term;
} scratch_t;

typedef struct run {
	options_t *o;
	char *index;    /* index folder */
	char *root;     /* absolute root: paths are relative to it */
	char *dbname;   /* database folder being written ("db-2") */
	char *dbpath;   /* index/dbname */
	ts_writer_t *w; /* the single writer (not in shard mode) */
	int lockfd;
	const char *language; /* stemmer name in force */
	int title_wdf;
	int64_t started_s;    /* wall clock at start, for racy signatures */
	pthread_mutex_t lock; /* guards c, progress and stderr (shard workers) */
	counts_t c;
	size_t processed; /* files handled this run */
	progress_t progress;
	wordcount_t spelling;
	pthread_mutex_t spelling_lock;
	scratch_t sc;          /* the single writer's buffers */
	size_t batch_postings; /* postings per transaction */
	size_t pending;        /* postings since the last commit */
} run_t;

static volatile int stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void on_walk_problem(void *ctx, const char *path, const char *why)
{
	run_t *r = ctx;
	progress_clear(&r->progress);
	ts_warning("skipping '%s': %s", path, why);
}

/* Report a Xapian failure (message MSG, or W's) and return the exit code. */
static int fail_msg(run_t *r, ts_status_t st, const char *what, const char *msg)
{
	progress_clear(&r->progress);
	if (st == TS_ELOCKED)
		ts_error("index '%s' is locked by another writer", r->index);
	else
		ts_error("cannot %s index '%s': %s", what, r->index,
		         msg && *msg ? msg : ts_status_str(st));
	return ts_exit_code(st);
}

static int writer_fail(run_t *r, ts_status_t st, const char *what)
{
	return fail_msg(r, st, what, r->w ? ts_writer_error(r->w) : NULL);
}

static ts_status_t put_signature(run_t *r, ts_writer_t *w, scratch_t *sc, const char *rel,
                                 const result_t *res, const char *status, size_t articles)
{
	ts_status_t st = sig_key(&sc->key, rel);
	if (st)
		return st;
	ts_buf_clear(&sc->val);
	st = ts_buf_printf(
	    &sc->val, "1 %" PRIu64 " %" PRId64 " %016" PRIx64 " %" PRId64 " %s %zu %s", res->size,
	    res->mtime_ns, res->hash, r->started_s, status, articles, rel);
	if (st)
		return st;
	return ts_writer_set_metadata(w, sc->key.data, sc->val.data, sc->val.len);
}

static ts_status_t delete_file(ts_writer_t *w, scratch_t *sc, const char *rel)
{
	ts_status_t st = docbuild_file_term(&sc->term, rel);
	return st ? st : ts_writer_delete(w, sc->term.data, sc->term.len);
}

/* A file gone from the tree: its articles and its signature. */
static ts_status_t forget_file(ts_writer_t *w, scratch_t *sc, const char *rel)
{
	ts_status_t st = delete_file(w, sc, rel);
	if (!st)
		st = sig_key(&sc->key, rel);
	return st ? st : ts_writer_set_metadata(w, sc->key.data, "", 0);
}

static ts_status_t add_spelling(void *ctx, const char *word, size_t len, uint32_t count)
{
	return ts_writer_add_spelling(ctx, word, len, count);
}

/* Commit the open transaction (with the spelling words gathered so far). */
static ts_status_t commit(run_t *r, int reopen)
{
	pthread_mutex_lock(&r->spelling_lock);
	ts_status_t st = wc_each(&r->spelling, add_spelling, r->w);
	wc_clear(&r->spelling);
	pthread_mutex_unlock(&r->spelling_lock);
	if (st)
		return st;
	st = ts_writer_commit_tx(r->w);
	r->pending = 0;
	if (!st && reopen)
		st = ts_writer_begin(r->w);
	return st;
}

/*
 * Apply one file's result to writer W inside its open transaction. Counters
 * and messages go under R's lock: shard workers call this in parallel.
 */
static ts_status_t apply_result(run_t *r, ts_writer_t *w, scratch_t *sc, const job_t *job,
                                const result_t *res)
{
	const char *rel = job->file->rel;
	ts_status_t st = TS_OK;
	const char *sigstatus = "ok";
	switch (res->outcome) {
	case OUT_FAILED:
		break;
	case OUT_GONE:
		if (job->kind != JOB_NEW)
			st = forget_file(w, sc, rel);
		break;
	case OUT_SAME:
		st = put_signature(r, w, sc, rel, res, "ok", 0);
		break;
	case OUT_SKIPPED:
		sigstatus = "skip";
		/* fall through */
	case OUT_INDEXED:
		if (job->kind != JOB_NEW)
			st = delete_file(w, sc, rel);
		for (size_t i = 0; !st && i < res->ndocs; i++)
			st = ts_writer_add(w, res->docs[i]);
		if (!st)
			st = put_signature(r, w, sc, rel, res, sigstatus, res->ndocs);
		break;
	}
	if (st)
		return st;

	pthread_mutex_lock(&r->lock);
	r->processed++;
	r->c.bytes += res->size;
	switch (res->outcome) {
	case OUT_FAILED:
		progress_clear(&r->progress);
		ts_warning("cannot read '%s': %s", job->file->abs, res->why);
		r->c.failed++;
		break;
	case OUT_GONE:
		if (job->kind != JOB_NEW)
			r->c.removed++;
		r->c.seen--;
		break;
	case OUT_SAME:
		r->c.unchanged++;
		break;
	case OUT_SKIPPED:
		if (r->o->verbose || strncmp(res->why, "not a text", 10) != 0) {
			progress_clear(&r->progress);
			ts_warning("skipping '%s': %s", job->file->abs, res->why);
		}
		r->c.skipped++;
		break;
	case OUT_INDEXED:
		if (r->o->verbose) {
			progress_clear(&r->progress);
			ts_note("%s '%s' (%s, %zu article%s)",
			        job->kind == JOB_NEW ? "added" : "updated", rel, res->format,
			        res->ndocs, res->ndocs == 1 ? "" : "s");
		}
		if (job->kind == JOB_NEW)
			r->c.added++;
		else
			r->c.updated++;
		r->c.articles += res->ndocs;
		r->c.postings += res->postings;
		r->c.invalid_bytes += res->invalid_bytes;
		break;
	}
	pthread_mutex_unlock(&r->lock);
	return TS_OK;
}

/* Shard mode: a worker applies its result to its own shard. */
static ts_status_t shard_apply(void *ctx, ts_writer_t *w, const job_t *job, const result_t *res)
{
	scratch_t sc = {0};
	ts_status_t st = apply_result(ctx, w, &sc, job, res);
	ts_buf_release(&sc.key);
	ts_buf_release(&sc.val);
	ts_buf_release(&sc.term);
	return st;
}

/* Show the progress so far (from any thread: in shard mode the main thread
 * redraws it while the workers write). */
static void progress_update(void *ctx)
{
	run_t *r = ctx;
	pthread_mutex_lock(&r->lock);
	r->progress.done = r->processed;
	r->progress.articles = r->c.articles;
	r->progress.bytes = r->c.bytes;
	progress_tick(&r->progress);
	pthread_mutex_unlock(&r->lock);
}

/* Is REL inside one of the SCOPES (paths relative to the root)? */
static int in_scope(const char *rel, char **scopes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = scopes[i];
		if (!strcmp(s, ".")) {
			if (strncmp(rel, "../", 3) != 0)
				return 1;
			continue;
		}
		size_t len = strlen(s);
		if (!strncmp(rel, s, len) && (rel[len] == '\0' || rel[len] == '/'))
			return 1;
	}
	return 0;
}

/*
 * Compare the walked files with the signatures on record: fill JOBS with the
 * files to read, mark signatures seen, count the unchanged.
 */
static ts_status_t plan(run_t *r, const walk_list_t *files, sig_list_t *sigs, job_t **jobs,
                        size_t *njobs)
{
	*jobs = calloc(files->count ? files->count : 1, sizeof **jobs);
	if (!*jobs)
		return TS_ENOMEM;
	*njobs = 0;
	size_t s = 0;
	for (size_t i = 0; i < files->count; i++) {
		const walk_file_t *f = &files->files[i];
		while (s < sigs->count && strcmp(sigs->items[s].rel, f->rel) < 0)
			s++;
		job_t *j = &(*jobs)[*njobs];
		j->file = f;
		if (s >= sigs->count || strcmp(sigs->items[s].rel, f->rel) != 0) {
			j->kind = JOB_NEW;
			(*njobs)++;
			continue;
		}
		signature_t *sig = &sigs->items[s];
		sig->seen = 1;
		/* A file modified in the second its signature was taken (or in the
		 * two before: coarse file systems) may have changed again since. */
		int racy = f->mtime_ns / 1000000000LL >= sig->recorded_s - 2;
		if (f->size == sig->size && f->mtime_ns == sig->mtime_ns && !racy) {
			r->c.unchanged++;
			continue;
		}
		j->kind = f->size == sig->size ? JOB_CHECK : JOB_CHANGED;
		j->old_hash = sig->hash;
		(*njobs)++;
	}
	return TS_OK;
}

/* Full builds of at least this many files write shards in parallel. */
#define SHARD_MIN_FILES 256

/* Pick the database folder: the current one, or a new one for a fresh build. */
static int choose_database(run_t *r, int *fresh)
{
	char *current = NULL;
	ts_status_t st = ts_indexdir_current(r->index, &current);
	if (st) {
		ts_error("cannot read index '%s': %s", r->index, ts_status_str(st));
		return TS_EXIT_INDEX;
	}
	*fresh = !current || r->o->rebuild;
	if (*fresh) {
		free(current);
		/* Leftovers of an interrupted build go first. */
		ts_indexdir_prune(r->index);
		if ((st = ts_indexdir_next(r->index, &r->dbname))) {
			ts_error("cannot create index '%s': %s", r->index, ts_status_str(st));
			return TS_EXIT_IO;
		}
	} else {
		r->dbname = current;
	}
	r->dbpath = malloc(strlen(r->index) + strlen(r->dbname) + 2);
	if (!r->dbpath)
		return TS_EXIT_INTERNAL;
	sprintf(r->dbpath, "%s/%s", r->index, r->dbname);
	return 0;
}

/* Record the index's format and analyzer settings in W. */
static ts_status_t write_settings(run_t *r, ts_writer_t *w)
{
	char num[16], tw[16];
	snprintf(num, sizeof num, "%d", TS_INDEX_FORMAT);
	snprintf(tw, sizeof tw, "%d", r->title_wdf);
	ts_status_t st = ts_writer_set_metadata(w, TS_META_FORMAT, num, strlen(num));
	if (!st)
		st = ts_writer_set_metadata(w, TS_META_LANGUAGE, r->language, strlen(r->language));
	if (!st)
		st = ts_writer_set_metadata(w, TS_META_SCHEME, TS_INDEX_SCHEME,
		                            strlen(TS_INDEX_SCHEME));
	if (!st)
		st = ts_writer_set_metadata(w, TS_META_TITLE_WEIGHT, tw, strlen(tw));
	return st;
}

/* Open the current database and check that its settings match the options. */
static int open_existing(run_t *r)
{
	ts_status_t st;
	if ((st = ts_writer_new(&r->w)))
		return TS_EXIT_INTERNAL;
	if ((st = ts_writer_open(r->w, r->dbpath, 0))) {
		/* Opening only reads: any failure but the lock (even Xapian's generic
		 * "EOF reading block" of a truncated table) is an unreadable index. */
		int rc = writer_fail(r, st, "open");
		return st == TS_ELOCKED || st == TS_ENOMEM ? rc : TS_EXIT_INDEX;
	}
	char *v = NULL;
	size_t vlen;
	if ((st = ts_writer_get_metadata(r->w, TS_META_FORMAT, &v, &vlen)))
		return writer_fail(r, st, "read");
	long format = v ? strtol(v, NULL, 10) : 0;
	free(v);
	if (format != TS_INDEX_FORMAT) {
		ts_error("index '%s' has format %ld, this tsearch writes format %d: run "
		         "'tsearch index --rebuild'",
		         r->index, format, TS_INDEX_FORMAT);
		return TS_EXIT_INDEX;
	}
	if ((st = ts_writer_get_metadata(r->w, TS_META_LANGUAGE, &v, &vlen)))
		return writer_fail(r, st, "read");
	if (r->o->language && v && strcmp(r->language, v) != 0) {
		ts_error("index '%s' was built with language '%s'; use --rebuild to change it to "
		         "'%s'",
		         r->index, v, r->language);
		free(v);
		return TS_EXIT_USAGE;
	}
	static char stored[64];
	snprintf(stored, sizeof stored, "%s", v ? v : "english");
	free(v);
	r->language = stored;
	if ((st = ts_writer_get_metadata(r->w, TS_META_TITLE_WEIGHT, &v, &vlen)))
		return writer_fail(r, st, "read");
	int tw = v ? atoi(v) : DEFAULT_TITLE_WDF;
	free(v);
	if (r->o->title_wdf > 0 && r->o->title_wdf != tw) {
		ts_error("index '%s' was built with title weight %d; use --rebuild to change it",
		         r->index, tw);
		return TS_EXIT_USAGE;
	}
	r->title_wdf = tw;
	return 0;
}

/*
 * Create the fresh database a single writer fills. A first index becomes
 * current at once, so that an interrupted first run leaves a usable
 * (partial) index that the next run completes; a rebuild becomes current
 * only when complete.
 */
static int create_fresh(run_t *r)
{
	ts_status_t st;
	if ((st = ts_writer_new(&r->w)))
		return TS_EXIT_INTERNAL;
	if ((st = ts_writer_open(r->w, r->dbpath, TS_WRITER_OVERWRITE)) ||
	    (st = write_settings(r, r->w)) || (st = ts_writer_commit(r->w)))
		return writer_fail(r, st, "create");
	if (!r->o->rebuild || !ts_indexdir_exists(r->index)) {
		if ((st = ts_indexdir_switch(r->index, r->dbname))) {
			ts_error("cannot write index '%s': %s", r->index, ts_status_str(st));
			return TS_EXIT_IO;
		}
	}
	return 0;
}

typedef struct spell_steps {
	ts_writer_t *w;
	size_t added; /* words added since the last commit */
} spell_steps_t;

/* Spelling words held in memory before a commit (Xapian keeps every
 * word's fragments in memory until then: ~1 KiB a word). */
#define SPELLING_STEP 20000

static ts_status_t add_spelling_step(void *ctx, const char *word, size_t len, uint32_t count)
{
	spell_steps_t *s = ctx;
	ts_status_t st = ts_writer_add_spelling(s->w, word, len, count);
	if (!st && ++s->added >= SPELLING_STEP) {
		st = ts_writer_commit(s->w);
		s->added = 0;
	}
	return st;
}

/* Add the words of WC to W's spelling table, committing every SPELLING_STEP words. */
static ts_status_t add_spelling_in_steps(const wordcount_t *wc, ts_writer_t *w)
{
	spell_steps_t s = {w, 0};
	return wc_each(wc, add_spelling_step, &s);
}

/*
 * Shard mode: merge the shards into the new database, record the settings,
 * and make it current.
 */
static int merge_shards(run_t *r, const char *shard_dir, unsigned nshards)
{
	char **paths = calloc(nshards, sizeof *paths);
	int rc = 0;
	if (!paths)
		return TS_EXIT_INTERNAL;
	for (unsigned i = 0; i < nshards; i++) {
		paths[i] = malloc(strlen(shard_dir) + 32);
		if (!paths[i]) {
			rc = TS_EXIT_INTERNAL;
			goto done;
		}
		sprintf(paths[i], "%s/shard-%u", shard_dir, i);
	}
	char err[512] = "";
	ts_indexdir_remove(r->dbpath);
	ts_status_t st =
	    ts_compact((const char *const *)paths, nshards, r->dbpath, err, sizeof err);
	for (unsigned i = 0; !st && i < nshards; i++)
		st = ts_texts_adopt(paths[i], r->dbpath, i + 1, err, sizeof err);
	if (st) {
		rc = fail_msg(r, st, "merge", err);
		goto done;
	}
	ts_writer_t *w = NULL;
	if ((st = ts_writer_new(&w)) || (st = ts_writer_open(w, r->dbpath, 0)) ||
	    (st = write_settings(r, w)) || (st = add_spelling_in_steps(&r->spelling, w)) ||
	    (st = ts_writer_commit(w))) {
		rc = fail_msg(r, st, "write", w ? ts_writer_error(w) : NULL);
		ts_writer_free(w);
		goto done;
	}
	ts_writer_free(w);
	if ((st = ts_indexdir_switch(r->index, r->dbname))) {
		ts_error("cannot write index '%s': %s", r->index, ts_status_str(st));
		rc = TS_EXIT_IO;
	}
done:
	for (unsigned i = 0; i < nshards; i++)
		free(paths[i]);
	free(paths);
	ts_indexdir_remove(shard_dir);
	return rc;
}

static void human_size(uint64_t bytes, char *out, size_t len)
{
	if (bytes >= (1ULL << 30))
		snprintf(out, len, "%.1f GiB", (double)bytes / (double)(1ULL << 30));
	else if (bytes >= (1ULL << 20))
		snprintf(out, len, "%.1f MiB", (double)bytes / (double)(1ULL << 20));
	else
		snprintf(out, len, "%.1f KiB", (double)bytes / 1024.0);
}

/* Postings a writer batches before committing: its share of MEMORY among
 * WRITERS, at most CAP. */
static size_t batch_postings(uint64_t memory, unsigned writers, size_t cap)
{
	size_t n = (size_t)(memory / BYTES_PER_POSTING) / writers;
	return n < cap ? n : cap;
}

/* Worker threads: one per core, as many as the pipeline runs at most. */
static unsigned cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > PIPELINE_MAX_WORKERS ? PIPELINE_MAX_WORKERS : (unsigned)n;
}

static int run_index(options_t *o, int argc, char **argv)
{
	run_t r;
	memset(&r, 0, sizeof r);
	r.o = o;
	r.lockfd = -1;
	pthread_mutex_init(&r.spelling_lock, NULL);
	pthread_mutex_init(&r.lock, NULL);
	int rc = 0;
	ts_status_t st;
	walk_list_t files = {0};
	sig_list_t sigs = {0};
	job_t *jobs = NULL;
	size_t njobs = 0;
	pipeline_t *pipe = NULL;
	char **scopes = NULL;
	size_t nscopes = 0;
	char *shard_dir = NULL;
	double t0 = progress_now();
	r.started_s = (int64_t)time(NULL);

	/* The language in force: as asked, else the index's (read below), else English. */
	ts_stemmer_t *probe = NULL;
	if (o->language) {
		st = ts_stemmer_new(o->language, &probe);
		if (st) {
			ts_error("unknown language '%s' (see 'tsearch help languages')",
			         o->language);
			return TS_EXIT_USAGE;
		}
	}
	static char langname[64];
	snprintf(langname, sizeof langname, "%s", probe ? ts_stemmer_name(probe) : "english");
	ts_stemmer_free(probe);
	r.language = langname;
	r.title_wdf = o->title_wdf > 0 ? o->title_wdf : DEFAULT_TITLE_WDF;

	const char *index = o->index ? o->index : getenv(TS_INDEX_ENV);
	r.index = strdup(index && *index ? index : TS_INDEX_DIRNAME);
	if (!r.index || ts_indexdir_root(r.index, &r.root)) {
		ts_error("cannot use index path '%s'", index ? index : TS_INDEX_DIRNAME);
		rc = TS_EXIT_USAGE;
		goto out;
	}

	st = ts_indexdir_lock(r.index, o->wait, &r.lockfd);
	if (st == TS_ELOCKED) {
		ts_error("index '%s' is locked by another writer (waited %g s; see --wait)",
		         r.index, o->wait);
		rc = TS_EXIT_LOCKED;
		goto out;
	} else if (st) {
		ts_error("cannot create index '%s': %s", r.index, strerror(errno));
		rc = TS_EXIT_IO;
		goto out;
	}
	int fresh;
	if ((rc = choose_database(&r, &fresh)))
		goto out;
	if (!fresh && (rc = open_existing(&r)))
		goto out;

	/* Walk. */
	char *index_abs = NULL;
	ts_path_absolute(r.index, &index_abs);
	walk_opts_t wo = {o->follow_symlinks, r.root, index_abs, on_walk_problem, &r};
	scopes = calloc((size_t)argc, sizeof *scopes);
	for (int i = 0; i < argc; i++) {
		st = walk_path(argv[i], &wo, &files);
		if (st == TS_ENOENT) {
			ts_error("cannot index '%s': no such file or folder", argv[i]);
			rc = TS_EXIT_USAGE;
			free(index_abs);
			goto out;
		} else if (st) {
			ts_error("cannot index '%s': %s", argv[i], ts_status_str(st));
			rc = ts_exit_code(st);
			free(index_abs);
			goto out;
		}
		char *abs = NULL;
		if (!ts_path_absolute(argv[i], &abs) && scopes &&
		    !ts_path_relative(r.root, abs, &scopes[nscopes]))
			nscopes++;
		free(abs);
	}
	free(index_abs);
	walk_finish(&files);
	r.c.seen = files.count;
	r.c.failed += files.problems;

	/* Compare with what the index holds. */
	if (r.w && (st = ts_writer_metadata_each(r.w, TS_META_FILE_PREFIX, load_sig, &sigs))) {
		rc = writer_fail(&r, st, "read");
		goto out;
	}
	if (sigs.count > 1)
		qsort(sigs.items, sigs.count, sizeof *sigs.items, cmp_sig);
	if ((st = plan(&r, &files, &sigs, &jobs, &njobs))) {
		rc = writer_fail(&r, st, "plan");
		goto out;
	}
	unsigned workers = o->jobs ? o->jobs : cores();
	int sharded = fresh && njobs >= SHARD_MIN_FILES && workers >= 2;
	if (fresh && !sharded && (rc = create_fresh(&r)))
		goto out;

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	progress_init(&r.progress, !o->quiet && isatty(STDERR_FILENO), njobs);
	r.batch_postings = batch_postings(o->memory, 1, SINGLE_BATCH_POSTINGS);

	pipeline_config_t pc = {
	    .language = r.language,
	    .title_wdf = (uint32_t)r.title_wdf,
	    .workers = workers,
	    .max_file_size = o->max_file_size,
	    .limits = {o->max_depth, TS_EXTRACT_MAX_ARTICLES_DEFAULT},
	    .spelling = &r.spelling,
	    .spelling_lock = &r.spelling_lock,
	    .stop = &stop_requested,
	};
	if (sharded) {
		shard_dir = malloc(strlen(r.dbpath) + 16);
		if (!shard_dir) {
			rc = TS_EXIT_INTERNAL;
			goto out;
		}
		sprintf(shard_dir, "%s.shards", r.dbpath);
		ts_indexdir_remove(shard_dir);
		if (mkdir(shard_dir, 0755) != 0) {
			ts_error("cannot create '%s': %s", shard_dir, strerror(errno));
			rc = TS_EXIT_IO;
			goto out;
		}
		pc.shard_dir = shard_dir;
		pc.apply = shard_apply;
		pc.apply_ctx = &r;
		pc.batch_postings = batch_postings(o->memory, workers, SHARD_BATCH_POSTINGS);
		if ((st = pipeline_start(jobs, njobs, &pc, &pipe))) {
			rc = fail_msg(&r, st, "start indexing for", NULL);
			goto out;
		}
		char err[512] = "";
		st = pipeline_wait(pipe, progress_update, &r, err, sizeof err);
		unsigned nshards = pipeline_shards(pipe);
		pipeline_free(pipe);
		pipe = NULL;
		if (st) {
			rc = fail_msg(&r, st, "write", err);
			ts_indexdir_remove(shard_dir);
			goto out;
		}
		progress_clear(&r.progress);
		if ((rc = merge_shards(&r, shard_dir, nshards)))
			goto out;
	} else {
		if ((st = ts_writer_begin(r.w))) {
			rc = writer_fail(&r, st, "write");
			goto out;
		}
		/* Files gone from the folders we walked. */
		for (size_t i = 0; i < sigs.count; i++) {
			if (sigs.items[i].seen || !in_scope(sigs.items[i].rel, scopes, nscopes))
				continue;
			if ((st = forget_file(r.w, &r.sc, sigs.items[i].rel))) {
				rc = writer_fail(&r, st, "update");
				goto out;
			}
			if (o->verbose)
				ts_note("removed '%s'", sigs.items[i].rel);
			r.c.removed++;
		}
		if (njobs && (st = pipeline_start(jobs, njobs, &pc, &pipe))) {
			rc = writer_fail(&r, st, "start indexing for");
			goto out;
		}
		result_t *res;
		while (pipe && pipeline_next(pipe, &res)) {
			if ((st = apply_result(&r, r.w, &r.sc, &jobs[r.processed], res))) {
				rc = writer_fail(&r, st, "write");
				ts_writer_cancel_tx(r.w);
				goto out;
			}
			r.pending += res->postings;
			progress_update(&r);
			if (r.pending >= r.batch_postings && (st = commit(&r, 1))) {
				rc = writer_fail(&r, st, "commit");
				goto out;
			}
			if (stop_requested)
				break;
		}
		if ((st = commit(&r, 0))) {
			rc = writer_fail(&r, st, "commit");
			goto out;
		}
		progress_clear(&r.progress);
		ts_writer_free(r.w);
		r.w = NULL;
	}
	if (stop_requested) {
		ts_error("interrupted: %zu of %zu files done and committed; run again to finish",
		         r.processed, njobs);
		rc = 130;
		goto out;
	}

	if (o->rebuild && !sharded) {
		if ((st = ts_indexdir_switch(r.index, r.dbname))) {
			ts_error("cannot switch to the rebuilt index in '%s': %s", r.index,
			         ts_status_str(st));
			rc = TS_EXIT_IO;
			goto out;
		}
	}
	/* Under the lock only the current database is in use: what a killed
	 * rebuild left (db-N, db-N.shards) goes now, not at the next rebuild. */
	ts_indexdir_prune(r.index);

	if (!o->quiet) {
		unsigned long long size = 0;
		ts_indexdir_size(r.index, &size);
		char hsize[32];
		human_size(size, hsize, sizeof hsize);
		ts_note(
		    "%zu files: %zu added, %zu updated, %zu removed, %zu unchanged, %zu skipped; "
		    "%zu articles, %zu terms; index %s; %.2f s",
		    r.c.seen, r.c.added, r.c.updated, r.c.removed, r.c.unchanged,
		    r.c.skipped + r.c.failed, r.c.articles, r.c.postings, hsize,
		    progress_now() - t0);
		if (r.c.invalid_bytes)
			ts_warning("%zu bytes of invalid UTF-8 were replaced", r.c.invalid_bytes);
	}
	if (o->strict && (r.c.skipped || r.c.failed))
		rc = TS_EXIT_SKIPPED;

out:
	pipeline_free(pipe);
	ts_writer_free(r.w);
	free(jobs);
	free(shard_dir);
	sig_list_release(&sigs);
	walk_list_release(&files);
	for (size_t i = 0; i < nscopes; i++)
		free(scopes[i]);
	free(scopes);
	wc_release(&r.spelling);
	pthread_mutex_destroy(&r.spelling_lock);
	pthread_mutex_destroy(&r.lock);
	ts_buf_release(&r.sc.key);
	ts_buf_release(&r.sc.val);
	ts_buf_release(&r.sc.term);
	if (r.lockfd >= 0)
		close(r.lockfd);
	free(r.dbname);
	free(r.dbpath);
	free(r.index);
	free(r.root);
	return rc;
}

/* ====================================================================== */
/* tsearch stats                                                           */
/* ====================================================================== */

typedef struct stat_counts {
	size_t files, skipped;
} stat_counts_t;

static int count_sig(void *ctx, const char *key, size_t keylen, const char *value, size_t len)
{
	(void)key;
	(void)keylen;
	stat_counts_t *s = ctx;
	s->files++;
	if (len > 5 && memmem(value, len, " skip ", 6))
		s->skipped++;
	return 0;
}

static int run_stats(const options_t *o)
{
	char *index = NULL;
	ts_reader_t *rd = NULL;
	int rc = 0;
	ts_status_t st = ts_indexdir_find(o->index, &index);
	if (st) {
		ts_error("no index found (looked for '%s' here and in the folders above; run "
		         "'tsearch index DIR' first)",
		         TS_INDEX_DIRNAME);
		return TS_EXIT_INDEX;
	}
	char why[512];
	if (ts_indexdir_check_stubs(index, NULL, NULL, why, sizeof why)) {
		ts_error("cannot open index '%s': %s", index, why);
		free(index);
		return TS_EXIT_INDEX;
	}
	if ((st = ts_reader_new(&rd)) || (st = ts_reader_open(rd, index))) {
		ts_error("cannot open index '%s': %s", index,
		         rd && *ts_reader_error(rd) ? ts_reader_error(rd) : ts_status_str(st));
		rc = TS_EXIT_INDEX;
		goto out;
	}
	uint32_t docs = 0;
	uint64_t total = 0;
	stat_counts_t sc = {0};
	char *lang = NULL, *format = NULL, *scheme = NULL, *tw = NULL;
	size_t len;
	if ((st = ts_reader_doccount(rd, &docs)) || (st = ts_reader_total_length(rd, &total)) ||
	    (st = ts_reader_metadata_each(rd, TS_META_FILE_PREFIX, count_sig, &sc)) ||
	    (st = ts_reader_get_metadata(rd, TS_META_LANGUAGE, &lang, &len)) ||
	    (st = ts_reader_get_metadata(rd, TS_META_FORMAT, &format, &len)) ||
	    (st = ts_reader_get_metadata(rd, TS_META_SCHEME, &scheme, &len)) ||
	    (st = ts_reader_get_metadata(rd, TS_META_TITLE_WEIGHT, &tw, &len))) {
		ts_error("cannot read index '%s': %s", index, ts_reader_error(rd));
		rc = TS_EXIT_INDEX;
	} else if (!format) {
		ts_error("'%s' is not a tsearch index", index);
		rc = TS_EXIT_INDEX;
	} else {
		unsigned long long size = 0;
		ts_indexdir_size(index, &size);
		char hsize[32];
		human_size(size, hsize, sizeof hsize);
		printf("index:        %s\n", index);
		printf("format:       %s\n", format ? format : "?");
		printf("files:        %zu (%zu skipped)\n", sc.files, sc.skipped);
		printf("articles:     %" PRIu32 "\n", docs);
		printf("terms:        %" PRIu64 "\n", total);
		printf("size:         %s\n", hsize);
		printf("language:     %s\n", lang ? lang : "?");
		printf("term scheme:  %s\n", scheme ? scheme : "?");
		printf("title weight: %s\n", tw ? tw : "?");
		printf("xapian:       %s\n", ts_xapian_version());
		rc = ts_stdout_close();
	}
	free(lang);
	free(format);
	free(scheme);
	free(tw);
out:
	ts_reader_free(rd);
	free(index);
	return rc;
}

/* ====================================================================== */
/* --dump: what the extractors and the analyzer make of files              */
/* ====================================================================== */

typedef struct dump_ctx {
	wordcount_t seen; /* "word=stem" pairs already printed for this article */
	ts_buf_t pair;
} dump_ctx_t;

static int dump_token(void *vctx, const ts_token_t *t)
{
	dump_ctx_t *d = vctx;
	ts_buf_clear(&d->pair);
	ts_buf_append(&d->pair, t->word, t->wordlen);
	ts_buf_append(&d->pair, "=", 1);
	ts_buf_append(&d->pair, t->stem, t->stemlen);
	size_t before = wc_size(&d->seen);
	wc_add(&d->seen, d->pair.data, d->pair.len, 1);
	if (wc_size(&d->seen) > before) {
		fputc(' ', stdout);
		fwrite(d->pair.data, 1, d->pair.len, stdout);
	}
	return 0;
}

static void dump_text(const char *label, const char *text)
{
	if (!text)
		return;
	printf("%s %s\n", label, text);
}

/*
 * Print, for every article of the files under ARGV, its fields, blocks and
 * the distinct "word=stem" pairs of the terms indexed without prefix (the
 * oracle tests compare the engine's answers with a plain scan of these).
 */
static int run_dump(const options_t *o, int argc, char **argv)
{
	ts_stemmer_t *st = NULL;
	if (ts_stemmer_new(o->language ? o->language : "english", &st)) {
		ts_error("unknown language '%s'", o->language);
		return TS_EXIT_USAGE;
	}
	char *root = NULL;
	ts_path_absolute(".", &root);
	walk_list_t files = {0};
	walk_opts_t wo = {o->follow_symlinks, root, NULL, NULL, NULL};
	int rc = 0;
	for (int i = 0; i < argc; i++)
		if (walk_path(argv[i], &wo, &files)) {
			ts_error("cannot read '%s'", argv[i]);
			rc = TS_EXIT_USAGE;
		}
	walk_finish(&files);
	dump_ctx_t d = {0};
	ts_extract_limits_t limits = {o->max_depth, TS_EXTRACT_MAX_ARTICLES_DEFAULT};
	for (size_t i = 0; i < files.count; i++) {
		FILE *f = fopen(files.files[i].abs, "rb");
		if (!f)
			continue;
		ts_buf_t data = {0};
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			ts_buf_append(&data, chunk, n);
		fclose(f);
		ts_format_t fmt = ts_format_detect(files.files[i].rel, data.data, data.len);
		ts_article_list_t list = {0};
		if (fmt != TS_FORMAT_NONE &&
		    ts_extract(fmt, data.data, data.len, &limits, &list) == TS_OK) {
			for (size_t k = 0; k < list.count; k++) {
				const ts_article_t *a = &list.items[k];
				printf("ARTICLE %s%s%s\n", files.files[i].rel,
				       a->locator ? "#" : "", a->locator ? a->locator : "");
				dump_text("TITLE", a->title);
				dump_text("AUTHOR", a->author);
				dump_text("DATE", a->date);
				for (size_t b = 0; b < a->nblocks; b++)
					dump_text(a->blocks[b].kind == TS_BLOCK_HEADING ? "HEADING"
					                                                : "PARA",
					          a->blocks[b].text);
				wc_clear(&d.seen);
				fputs("TERMS", stdout);
				if (a->title)
					ts_analyze(st, a->title, strlen(a->title), dump_token, &d,
					           NULL);
				if (a->author)
					ts_analyze(st, a->author, strlen(a->author), dump_token, &d,
					           NULL);
				for (size_t b = 0; b < a->nblocks; b++)
					ts_analyze(st, a->blocks[b].text, a->blocks[b].len,
					           dump_token, &d, NULL);
				fputc('\n', stdout);
			}
		}
		ts_article_list_release(&list);
		ts_buf_release(&data);
	}
	wc_release(&d.seen);
	ts_buf_release(&d.pair);
	walk_list_release(&files);
	free(root);
	ts_stemmer_free(st);
	int out = ts_stdout_close();
	return out ? out : rc;
}

int main(int argc, char **argv)
{
	ts_cli_init();
	options_t o;
	if (parse_options(argc, argv, &o))
		return TS_EXIT_USAGE;
	if (o.stats)
		return run_stats(&o);
	if (optind >= argc) {
		ts_error("no folder to index (usage: tsearch index DIR...)");
		return TS_EXIT_USAGE;
	}
	ts_extract_init();
	int rc = o.dump ? run_dump(&o, argc - optind, argv + optind)
	                : run_index(&o, argc - optind, argv + optind);
	ts_extract_cleanup();
	return rc;
}
