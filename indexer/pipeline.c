/*
 * pipeline.c - parallel read/extract/analyze, ordered hand-off to the
 * writer (see pipeline.h).
 */
#include "pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "docbuild.h"
#include "terms.h"

/* Files a worker may run ahead of the writer, per worker. */
#define WINDOW_PER_WORKER 16

struct pipeline {
	const job_t *jobs; /* borrowed */
	size_t njobs;
	pipeline_config_t cfg;
	pthread_t *threads; /* owned; nthreads started */
	unsigned nthreads;
	pthread_mutex_t lock;    /* guards everything below */
	pthread_cond_t ready_cv; /* a result was stored */
	pthread_cond_t room_cv;  /* the writer released a result, or stop */
	size_t next_job;         /* next job to claim */
	size_t consumed;         /* results released by the writer */
	int holding;             /* the writer holds result `consumed` */
	result_t *slots;         /* owned ring of window results */
	unsigned char *ready;    /* ready[i]: slots[i] holds a result */
	size_t window;
	int stopping;
	unsigned running;    /* workers not finished (shard mode) */
	ts_status_t failure; /* first writer failure (shard mode) */
	char failure_msg[512];
};

/* What one worker thread keeps between files. */
typedef struct worker {
	pipeline_t *p;
	ts_stemmer_t *stemmer;
	docbuild_t build;
	wordcount_t words; /* this file's words, merged into the shared map */
	char *buf;         /* file contents */
	size_t bufcap;
	unsigned index; /* 0-based worker number (shard number) */
} worker_t;

static void result_release(result_t *r)
{
	for (size_t i = 0; i < r->ndocs; i++)
		ts_doc_free(r->docs[i]);
	free(r->docs);
	free(r->why);
	memset(r, 0, sizeof *r);
}

static void set_why(result_t *r, outcome_t outcome, const char *fmt, const char *detail)
{
	char msg[600];
	snprintf(msg, sizeof msg, fmt, detail ? detail : "");
	r->outcome = outcome;
	free(r->why);
	r->why = strdup(msg);
}

/*
 * Read the whole file at PATH (REL in the tree) into the worker's buffer.
 * Returns 0, or an errno-style code; *TOOBIG is set when the file exceeds
 * the limit. *FORMAT is its format once its first TS_FORMAT_SNIFF_BYTES are
 * in, else -1 (a shorter file); a file that is no document is read no
 * further (*LEN is then TS_FORMAT_SNIFF_BYTES).
 */
static int read_file(worker_t *w, const char *path, const char *rel, uint64_t max, size_t *len,
                     struct stat *st, int *toobig, int *format)
{
	*len = 0;
	*toobig = 0;
	*format = -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno;
	int err = 0;
	if (fstat(fd, st) != 0) {
		err = errno;
		goto done;
	}
	if (!S_ISREG(st->st_mode)) {
		err = EINVAL;
		goto done;
	}
	if ((uint64_t)st->st_size > max) {
		*toobig = 1;
		goto done;
	}
	/* Read to the end, whatever the size said: the file may be growing. The
	 * first read takes only the first bytes, which may show a binary. */
	size_t want = (size_t)st->st_size + 1;
	if (want > 65536)
		want = 65536;
	for (;;) {
		if (*len + 1 >= w->bufcap || want > w->bufcap) {
			size_t cap = w->bufcap ? w->bufcap : 65536;
			while (cap < want || cap <= *len + 1)
				cap *= 2;
			char *b = realloc(w->buf, cap);
			if (!b) {
				err = ENOMEM;
				goto done;
			}
			w->buf = b;
			w->bufcap = cap;
		}
		/* Until the format is known, no more than WANT: a buffer grown by an
		 * earlier file must not pull in a whole binary. */
		size_t room = w->bufcap - *len - 1;
		if (*format < 0 && want > *len && room > want - *len)
			room = want - *len;
		ssize_t n = read(fd, w->buf + *len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			goto done;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
		if (*len > max) {
			*toobig = 1;
			goto done;
		}
		/* Not a document by its first bytes: the rest need not be read. */
		if (*format < 0 && *len >= TS_FORMAT_SNIFF_BYTES) {
			*format = (int)ts_format_detect(rel, w->buf, TS_FORMAT_SNIFF_BYTES);
			if (*format == TS_FORMAT_NONE) {
				*len = TS_FORMAT_SNIFF_BYTES;
				break;
			}
			want = (size_t)st->st_size + 1; /* a document: all of it at once */
		}
	}
	w->buf[*len] = '\0';
done:
	close(fd);
	return err;
}

static ts_status_t merge_word(void *ctx, const char *word, size_t len, uint32_t count)
{
	return wc_add(ctx, word, len, count);
}

/* Read, extract and analyze one file into R. */
static void process(worker_t *w, const job_t *job, result_t *r)
{
	const pipeline_config_t *cfg = &w->p->cfg;
	const walk_file_t *f = job->file;
	memset(r, 0, sizeof *r);
	r->format = "none";
	size_t len;
	struct stat st;
	int toobig, sniffed;
	int err = read_file(w, f->abs, f->rel, cfg->max_file_size, &len, &st, &toobig, &sniffed);
	if (err == ENOENT) {
		r->outcome = OUT_GONE; /* removed since the walk */
		return;
	}
	if (err) {
		set_why(r, OUT_FAILED, "%s", strerror(err));
		return;
	}
	r->size = (uint64_t)st.st_size;
	r->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	if (toobig) {
		char limit[64];
		snprintf(limit, sizeof limit, "%llu", (unsigned long long)cfg->max_file_size);
		set_why(r, OUT_SKIPPED, "larger than the maximum file size (%s bytes)", limit);
		return;
	}
	if (sniffed != TS_FORMAT_NONE)
		r->size = len;
	r->hash = ts_hash64(w->buf, len); /* of the first bytes only, for a binary */
	if (job->kind == JOB_CHECK && r->hash == job->old_hash) {
		r->outcome = OUT_SAME;
		return;
	}
	if (!len) {
		set_why(r, OUT_SKIPPED, "empty file%s", NULL);
		return;
	}
	ts_format_t fmt =
	    sniffed >= 0 ? (ts_format_t)sniffed : ts_format_detect(f->rel, w->buf, len);
	r->format = ts_format_name(fmt);
	if (fmt == TS_FORMAT_NONE) {
		set_why(r, OUT_SKIPPED, "not a text, HTML or XML document%s", NULL);
		return;
	}
	ts_article_list_t list = {0};
	ts_status_t s = ts_extract(fmt, w->buf, len, &cfg->limits, &list);
	r->invalid_bytes = list.invalid_bytes;
	if (s) {
		set_why(r, OUT_SKIPPED, "%s", list.error ? list.error : ts_status_str(s));
		ts_article_list_release(&list);
		return;
	}
	r->outcome = OUT_INDEXED;
	if (list.count) {
		r->docs = calloc(list.count, sizeof *r->docs);
		if (!r->docs) {
			set_why(r, OUT_FAILED, "%s", strerror(ENOMEM));
			ts_article_list_release(&list);
			return;
		}
	}
	wc_clear(&w->words);
	for (size_t i = 0; i < list.count; i++) {
		s = docbuild_article(&w->build, &list.items[i], f->rel, &r->docs[r->ndocs]);
		if (s) {
			result_release(r);
			set_why(r, OUT_FAILED, "%s", ts_status_str(s));
			break;
		}
		r->postings += ts_doc_postings(r->docs[r->ndocs]);
		r->ndocs++;
	}
	ts_article_list_release(&list);
	if (r->outcome == OUT_INDEXED && cfg->spelling && wc_size(&w->words)) {
		pthread_mutex_lock(cfg->spelling_lock);
		wc_each(&w->words, merge_word, cfg->spelling);
		pthread_mutex_unlock(cfg->spelling_lock);
	}
}

/* Record the first failure of a shard writer and stop everything. */
static void fail(pipeline_t *p, ts_status_t st, const char *msg)
{
	pthread_mutex_lock(&p->lock);
	if (!p->failure) {
		p->failure = st;
		snprintf(p->failure_msg, sizeof p->failure_msg, "%s",
		         msg && *msg ? msg : ts_status_str(st));
	}
	p->stopping = 1;
	pthread_cond_broadcast(&p->ready_cv);
	pthread_mutex_unlock(&p->lock);
}

/* Shard mode: claim files, build, and write them into this worker's shard. */
static void shard_loop(worker_t *w, unsigned index)
{
	pipeline_t *p = w->p;
	const pipeline_config_t *cfg = &p->cfg;
	ts_writer_t *wr = NULL;
	char path[4096];
	snprintf(path, sizeof path, "%s/shard-%u", cfg->shard_dir, index);
	ts_status_t st = ts_writer_new(&wr);
	if (!st)
		st = ts_writer_open(wr, path, TS_WRITER_OVERWRITE | TS_WRITER_NO_SYNC);
	if (!st) {
		/* Its text store file joins the merged database under this number. */
		ts_writer_set_texts_file(wr, index + 1);
		st = ts_writer_begin(wr);
	}
	size_t pending = 0;
	while (!st) {
		pthread_mutex_lock(&p->lock);
		int done = p->stopping || p->next_job >= p->njobs || (cfg->stop && *cfg->stop);
		size_t i = p->next_job;
		if (!done)
			p->next_job++;
		pthread_mutex_unlock(&p->lock);
		if (done)
			break;
		result_t r;
		process(w, &p->jobs[i], &r);
		st = cfg->apply(cfg->apply_ctx, wr, &p->jobs[i], &r);
		pending += r.postings;
		result_release(&r);
		if (!st && pending >= cfg->batch_postings) {
			st = ts_writer_commit_tx(wr);
			if (!st)
				st = ts_writer_begin(wr);
			pending = 0;
		}
	}
	if (!st)
		st = ts_writer_commit_tx(wr);
	if (st)
		fail(p, st, ts_writer_error(wr));
	ts_writer_free(wr);
}

/* Ordered mode: claim files in order and leave each result in its slot. */
static void ordered_loop(worker_t *w)
{
	pipeline_t *p = w->p;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->stopping && p->next_job < p->njobs &&
		       p->next_job >= p->consumed + p->window)
			pthread_cond_wait(&p->room_cv, &p->lock);
		if (p->stopping || p->next_job >= p->njobs || (p->cfg.stop && *p->cfg.stop))
			break;
		size_t i = p->next_job++;
		pthread_mutex_unlock(&p->lock);

		result_t r;
		process(w, &p->jobs[i], &r);

		pthread_mutex_lock(&p->lock);
		p->slots[i % p->window] = r;
		p->ready[i % p->window] = 1;
		pthread_cond_broadcast(&p->ready_cv);
	}
	pthread_mutex_unlock(&p->lock);
}

static void *worker_main(void *arg)
{
	worker_t *w = arg;
	pipeline_t *p = w->p;
	if (p->cfg.shard_dir)
		shard_loop(w, w->index);
	else
		ordered_loop(w);
	pthread_mutex_lock(&p->lock);
	p->running--;
	pthread_cond_broadcast(&p->ready_cv);
	pthread_mutex_unlock(&p->lock);
	docbuild_release(&w->build);
	wc_release(&w->words);
	ts_stemmer_free(w->stemmer);
	free(w->buf);
	free(w);
	return NULL;
}

ts_status_t pipeline_start(const job_t *jobs, size_t njobs, const pipeline_config_t *cfg,
                           pipeline_t **out)
{
	*out = NULL;
	pipeline_t *p = calloc(1, sizeof *p);
	if (!p)
		return TS_ENOMEM;
	p->jobs = jobs;
	p->njobs = njobs;
	p->cfg = *cfg;
	unsigned n = cfg->workers ? cfg->workers : 1;
	if (n > PIPELINE_MAX_WORKERS)
		n = PIPELINE_MAX_WORKERS;
	p->window = (size_t)n * WINDOW_PER_WORKER;
	p->slots = calloc(p->window, sizeof *p->slots);
	p->ready = calloc(p->window, 1);
	p->threads = calloc(n, sizeof *p->threads);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->ready_cv, NULL);
	pthread_cond_init(&p->room_cv, NULL);
	if (!p->slots || !p->ready || !p->threads) {
		pipeline_free(p);
		return TS_ENOMEM;
	}
	for (unsigned i = 0; i < n; i++) {
		worker_t *w = calloc(1, sizeof *w);
		if (!w)
			break;
		w->p = p;
		w->index = p->nthreads;
		ts_status_t st = ts_stemmer_new(cfg->language, &w->stemmer);
		if (st) {
			free(w);
			pipeline_free(p);
			return st;
		}
		w->build.stemmer = w->stemmer;
		w->build.title_wdf = cfg->title_wdf;
		w->build.spelling = cfg->spelling ? &w->words : NULL;
		pthread_mutex_lock(&p->lock);
		p->running++;
		pthread_mutex_unlock(&p->lock);
		if (pthread_create(&p->threads[p->nthreads], NULL, worker_main, w) != 0) {
			pthread_mutex_lock(&p->lock);
			p->running--;
			pthread_mutex_unlock(&p->lock);
			ts_stemmer_free(w->stemmer);
			free(w);
			break;
		}
		p->nthreads++;
	}
	if (!p->nthreads) {
		pipeline_free(p);
		return TS_ENOMEM;
	}
	*out = p;
	return TS_OK;
}

/* Release the result the writer holds (lock held). */
static void release_held(pipeline_t *p)
{
	if (!p->holding)
		return;
	size_t slot = p->consumed % p->window;
	result_release(&p->slots[slot]);
	p->ready[slot] = 0;
	p->consumed++;
	p->holding = 0;
	pthread_cond_broadcast(&p->room_cv);
}

/*
 * Wait (lock held) for a result, a finished worker or a tenth of a second:
 * waking now and then lets the caller notice a stop request from a signal.
 */
static void wait_ready(pipeline_t *p)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 100 * 1000 * 1000;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&p->ready_cv, &p->lock, &until);
}

int pipeline_next(pipeline_t *p, result_t **out)
{
	*out = NULL;
	pthread_mutex_lock(&p->lock);
	release_held(p);
	int got = 0;
	while (!p->stopping && p->consumed < p->njobs) {
		size_t slot = p->consumed % p->window;
		if (p->ready[slot]) {
			*out = &p->slots[slot];
			p->holding = 1;
			got = 1;
			break;
		}
		if (p->cfg.stop && *p->cfg.stop)
			break;
		wait_ready(p);
	}
	pthread_mutex_unlock(&p->lock);
	return got;
}

ts_status_t pipeline_wait(pipeline_t *p, void (*tick)(void *ctx), void *ctx, char *err,
                          size_t errlen)
{
	pthread_mutex_lock(&p->lock);
	while (p->running) {
		if (p->cfg.stop && *p->cfg.stop)
			p->stopping = 1;
		wait_ready(p);
		pthread_mutex_unlock(&p->lock);
		if (tick)
			tick(ctx);
		pthread_mutex_lock(&p->lock);
	}
	ts_status_t st = p->failure;
	if (st && err)
		snprintf(err, errlen, "%s", p->failure_msg);
	pthread_mutex_unlock(&p->lock);
	return st;
}

unsigned pipeline_shards(const pipeline_t *p)
{
	return p->nthreads;
}

void pipeline_stop(pipeline_t *p)
{
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	pthread_cond_broadcast(&p->room_cv);
	pthread_cond_broadcast(&p->ready_cv);
	pthread_mutex_unlock(&p->lock);
}

void pipeline_free(pipeline_t *p)
{
	if (!p)
		return;
	pipeline_stop(p);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	if (p->slots && p->ready)
		for (size_t i = 0; i < p->window; i++)
			if (p->ready[i])
				result_release(&p->slots[i]);
	free(p->slots);
	free(p->ready);
	free(p->threads);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->ready_cv);
	pthread_cond_destroy(&p->room_cv);
	free(p);
}
