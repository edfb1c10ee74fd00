/*
 * pipeline.h - read, extract and analyze files on every core, hand the
 * built documents to the one writer in the order the files were listed.
 *
 * Workers claim files in order and may run at most a window of files ahead
 * of the writer, which bounds the memory held by built documents. The
 * writer takes results strictly in order, so the index is the same however
 * the threads were scheduled.
 */
#ifndef TS_PIPELINE_H
#define TS_PIPELINE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "walk.h"
#include "wordcount.h"
#include "xapian_wrap.h"

typedef enum job_kind {
	JOB_NEW,     /* not in the index */
	JOB_CHANGED, /* in the index, size changed: parse again */
	JOB_CHECK,   /* in the index, same size, mtime changed or too recent to trust:
	              * hash the content, parse only when it differs */
} job_kind_t;

typedef struct job {
	const walk_file_t *file; /* borrowed from the walk list */
	job_kind_t kind;
	uint64_t old_hash; /* content hash on record (JOB_CHECK) */
} job_t;

typedef enum outcome {
	OUT_INDEXED, /* parsed: docs hold its articles (possibly none) */
	OUT_SAME,    /* content unchanged: only the signature needs updating */
	OUT_SKIPPED, /* not a document, too big, or unparsable: why says so */
	OUT_FAILED,  /* could not be read: why says so; keep what the index has */
	OUT_GONE,    /* removed since the walk: as if it had not been there */
} outcome_t;

typedef struct result {
	outcome_t outcome;
	char *why;       /* owned; reason for OUT_SKIPPED / OUT_FAILED */
	ts_doc_t **docs; /* owned; ndocs built documents */
	size_t ndocs;
	size_t postings;      /* postings in docs */
	uint64_t hash;        /* content hash */
	uint64_t size;        /* bytes read */
	int64_t mtime_ns;     /* as fstat'ed when read */
	size_t invalid_bytes; /* invalid UTF-8 replaced or skipped */
	const char *format;   /* "text", "html", "xml", "none" */
} result_t;

/*
 * Shard mode: each worker writes the results it makes into a database of
 * its own, through APPLY (called on the worker's thread, with the worker's
 * writer, inside a transaction); nothing is handed to pipeline_next. Used
 * for full builds: the shards are merged by compaction afterwards. Spelling
 * words still go to the shared map (merging spelling tables is the dearest
 * part of a compaction: the caller adds them to the merged database).
 */
typedef ts_status_t (*pipeline_apply_fn)(void *ctx, ts_writer_t *w, const job_t *job,
                                         const result_t *res);

/* The most worker threads a pipeline runs. */
#define PIPELINE_MAX_WORKERS 64

typedef struct pipeline_config {
	const char *language; /* stemmer for every worker */
	uint32_t title_wdf;
	unsigned workers;       /* threads, 1 to PIPELINE_MAX_WORKERS */
	uint64_t max_file_size; /* bytes; larger files are skipped */
	ts_extract_limits_t limits;
	wordcount_t *spelling; /* shared word counts (guarded by spelling_lock), or NULL */
	pthread_mutex_t *spelling_lock;
	volatile int *stop;    /* set (by a signal) to stop taking new files */
	const char *shard_dir; /* shard mode: worker N writes shard_dir/shard-N */
	pipeline_apply_fn apply;
	void *apply_ctx;
	size_t batch_postings; /* shard mode: postings per transaction, per worker */
} pipeline_config_t;

typedef struct pipeline pipeline_t;

/* Start workers over JOBS[0..NJOBS-1] (borrowed until pipeline_free). */
ts_status_t pipeline_start(const job_t *jobs, size_t njobs, const pipeline_config_t *cfg,
                           pipeline_t **out);

/*
 * The result of the next file in order, waiting for it. Returns 1 with *OUT
 * set (borrowed until the next call), 0 when every job has been handed out
 * or the pipeline was stopped.
 */
int pipeline_next(pipeline_t *p, result_t **out);

/*
 * Shard mode: wait for the workers to finish, calling TICK(CTX) about ten
 * times a second. Returns the first failure of a worker's writer (its
 * message in ERR), or TS_OK.
 */
ts_status_t pipeline_wait(pipeline_t *p, void (*tick)(void *ctx), void *ctx, char *err,
                          size_t errlen);
/* Shard mode: number of shards written (paths shard_dir/shard-0 ...). */
unsigned pipeline_shards(const pipeline_t *p);

/* Stop the workers after the files they are on; later results are dropped. */
void pipeline_stop(pipeline_t *p);

/* Join the workers and free everything. Accepts NULL. */
void pipeline_free(pipeline_t *p);

#endif
