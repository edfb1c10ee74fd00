/*
 * search.c - one query: parse, match, fetch, snippets (see search.h).
 *
 * Snippets never re-read a whole article: the positions of the matching
 * terms in the hit (from its record in the text store, see textstore.h)
 * say which blocks hold matches, each block's distinct matching terms are
 * weighted by rarity, and the passage is cut from the best block where its
 * token table says the words are (nothing is tokenized or stemmed again):
 * around the best window of its matches, known from the same positions.
 */
#include "search.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "indexdir.h"
#include "query.h"
#include "stopwords.h"
#include "terms.h"
#include "textstore.h"

/* Fewer matches than this, and a better spelling is looked for. */
#define SPELLING_FEW    3
/* Queries of at least this many plain words are prose. */
#define PROSE_MIN_WORDS 5

struct searcher {
	ts_reader_t *reader;
	ts_texts_t *texts;     /* the text store of its database, or NULL (remote) */
	char texts_err[512];   /* why the last record could not be read */
	ts_stemmer_t *stemmer; /* the index's language */
	uint32_t doccount;     /* for term weights */
	double avglen;         /* average document length (explain) */
	char *path;            /* the index opened */
	struct stat stub;      /* its stub (XAPIANDB) when opened: a rebuild replaces it */
	int has_stub;
	int fresh; /* searcher_open noted the stub, no query has run since */
};

/*
 * Has the index been rebuilt since it was opened (a new stub names a new
 * database)? Reopening the old database would never show it.
 */
static int stub_changed(const searcher_t *s)
{
	struct stat now;
	int has = ts_indexdir_stub_stat(s->path, &now);
	if (has < 0)
		return 0; /* out of memory: the next check will tell */
	if (has != s->has_stub)
		return 1;
	return has && (now.st_ino != s->stub.st_ino || now.st_dev != s->stub.st_dev ||
	               now.st_mtim.tv_sec != s->stub.st_mtim.tv_sec ||
	               now.st_mtim.tv_nsec != s->stub.st_mtim.tv_nsec);
}

/*
 * Open the database at S->path into *OUT. Stub files that name themselves
 * are refused first (Xapian would follow them until the stack ends); the
 * stub's identity is noted before it is read, so that a rebuild swapping it
 * meanwhile shows in stub_changed. When the stubs lead to one database
 * folder, that folder is opened: Xapian would read the stubs again. *TEXTS
 * is the text store of the databases (NULL when one is remote: no article
 * gets a snippet). TS_ECORRUPT with WHY for a bad stub; *MISSING (when not
 * NULL) says whether the path does not exist.
 */
static ts_status_t open_reader(searcher_t *s, ts_reader_t **out, ts_texts_t **texts, char *why,
                               size_t whylen, int *missing)
{
	*out = NULL;
	*texts = NULL;
	ts_stubs_t found;
	if (ts_indexdir_stubs(s->path, &found, why, whylen))
		return TS_ECORRUPT;
	s->has_stub = found.has_stub;
	s->stub = found.stub;
	if (missing)
		*missing = found.missing;
	ts_status_t st = ts_reader_new(out);
	if (!st)
		st = found.n == 1 ? ts_reader_open_folder(*out, found.dbs[0])
		                  : ts_reader_open(*out, s->path);
	if (!st && found.n)
		st = ts_texts_open(texts, (const char *const *)found.dbs, found.n);
	ts_indexdir_databases_free(found.dbs, found.n);
	return st;
}

/*
 * Bring S to the newest revision: after a rebuild the new database (the old
 * one kept on failure), else the same one reopened; its statistics with it.
 */
static ts_status_t refresh(searcher_t *s)
{
	ts_status_t st;
	if (stub_changed(s)) {
		struct stat old = s->stub;
		int had = s->has_stub;
		char why[512];
		ts_reader_t *r;
		ts_texts_t *t;
		st = open_reader(s, &r, &t, why, sizeof why, NULL);
		if (st) {
			ts_reader_free(r);
			ts_texts_free(t);
			s->stub = old;
			s->has_stub = had;
			return st;
		}
		ts_reader_free(s->reader);
		ts_texts_free(s->texts);
		s->reader = r;
		s->texts = t;
	} else if ((st = ts_reader_reopen(s->reader))) {
		return st;
	}
	ts_reader_doccount(s->reader, &s->doccount);
	ts_reader_avglength(s->reader, &s->avglen);
	return TS_OK;
}

static const ts_field_t fields[] = {
    {"title", TS_PREFIX_TITLE, 0}, {"author", TS_PREFIX_AUTHOR, 0}, {"in", TS_PREFIX_FOLDER, 1},
    {"type", TS_PREFIX_TYPE, 1},   {"lang", TS_PREFIX_LANG, 1},
};

__attribute__((format(printf, 1, 2))) static char *xstrdup_printf(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return strdup(buf);
}

ts_status_t searcher_open(const char *path, searcher_t **out, char **err)
{
	*out = NULL;
	*err = NULL;
	searcher_t *s = calloc(1, sizeof *s);
	if (!s)
		return TS_ENOMEM;
	if (!(s->path = strdup(path))) {
		free(s);
		return TS_ENOMEM;
	}
	char why[512] = "";
	int missing = 0;
	ts_status_t st = open_reader(s, &s->reader, &s->texts, why, sizeof why, &missing);
	if (missing) {
		*err = xstrdup_printf("no index at '%s' (run 'tsearch index DIR' first)", path);
		st = TS_ENOENT;
		goto fail;
	}
	if (st) {
		*err = xstrdup_printf("cannot open index '%s': %s", path,
		                      *why ? why
		                      : s->reader && *ts_reader_error(s->reader)
		                          ? ts_reader_error(s->reader)
		                          : ts_status_str(st));
		if (st != TS_ENOMEM && st != TS_ELOCKED)
			st = st == TS_EVERSION ? TS_EVERSION : TS_ECORRUPT;
		goto fail;
	}
	char *format = NULL, *lang = NULL, *scheme = NULL;
	size_t len;
	st = ts_reader_get_metadata(s->reader, TS_META_FORMAT, &format, &len);
	if (!st)
		st = ts_reader_get_metadata(s->reader, TS_META_LANGUAGE, &lang, &len);
	if (!st)
		st = ts_reader_get_metadata(s->reader, TS_META_SCHEME, &scheme, &len);
	if (st) {
		*err =
		    xstrdup_printf("cannot read index '%s': %s", path, ts_reader_error(s->reader));
		st = TS_ECORRUPT;
	} else if (!format) {
		*err = xstrdup_printf("'%s' is not a tsearch index", path);
		st = TS_ECORRUPT;
	} else if (atoi(format) != TS_INDEX_FORMAT || !scheme || strcmp(scheme, TS_INDEX_SCHEME)) {
		char what[128];
		snprintf(what, sizeof what, "format %s (%s); this tsearch reads format %d", format,
		         scheme ? scheme : "?", TS_INDEX_FORMAT);
		*err = xstrdup_printf(
		    "index '%s' has %s (rebuild it: 'tsearch index --rebuild DIR')", path, what);
		st = TS_EVERSION;
	} else if (ts_stemmer_new(lang ? lang : "english", &s->stemmer)) {
		*err = xstrdup_printf("index '%s' uses unknown language '%s'", path, lang);
		st = TS_EVERSION;
	} else {
		st = ts_reader_doccount(s->reader, &s->doccount);
		if (!st)
			st = ts_reader_avglength(s->reader, &s->avglen);
		if (st) {
			*err = xstrdup_printf("cannot read index '%s': %s", path,
			                      ts_reader_error(s->reader));
			st = TS_ECORRUPT;
		}
	}
	free(format);
	free(lang);
	free(scheme);
	if (st)
		goto fail;
	s->fresh = 1; /* the first query need not look at the stub again */
	*out = s;
	return TS_OK;
fail:
	searcher_free(s);
	return st;
}

void searcher_free(searcher_t *s)
{
	if (!s)
		return;
	ts_reader_free(s->reader);
	ts_texts_free(s->texts);
	ts_stemmer_free(s->stemmer);
	free(s->path);
	free(s);
}

void result_view_release(result_view_t *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nhits; i++) {
		free(v->hits[i].blob);
		ts_snippet_release(&v->hits[i].title);
		ts_snippet_release(&v->hits[i].snippet);
		ts_buf_release(&v->hits[i].explain);
	}
	free(v->hits);
	free(v->corrected);
	memset(v, 0, sizeof *v);
}

/* ====================================================================== */
/* Per-hit work                                                            */
/* ====================================================================== */

/*
 * What a wildcard of the query expands to in the index, found at the first
 * hit that needs it: the expanded terms' hashes, in term order.
 */
typedef struct expansion {
	uint32_t *hashes;
	size_t n, cap;
	int state; /* 0 not yet, 1 found, -1 too many to look up, -2 no memory */
} expansion_t;

/*
 * The terms of a query, gathered once: plain stems for the body, field terms
 * too for the title, each weighted by its rarity (idf).
 */
typedef struct query_terms {
	searcher_t *s;
	ts_match_set_t body;                      /* stems and wildcard prefixes */
	ts_match_set_t title;                     /* the same plus title: terms */
	ts_buf_t store;                           /* term bytes the sets point into */
	size_t offsets[2 * TS_SNIPPET_MAX_TERMS]; /* term starts in store */
	size_t lens[2 * TS_SNIPPET_MAX_TERMS];
	int kinds[2 * TS_SNIPPET_MAX_TERMS]; /* 0 body, 1 title only */
	size_t count;
	expansion_t expansion[TS_SNIPPET_MAX_TERMS]; /* of the body's wildcards */
} query_terms_t;

/* Weight of a term: its inverse document frequency (as the search M counted). */
static double term_weight(searcher_t *s, const ts_mset_t *m, const char *term, size_t len)
{
	uint32_t tf = 0;
	ts_mset_termfreq(s->reader, m, term, len, &tf);
	if (!tf || !s->doccount)
		return 1.0;
	double w = log((double)s->doccount / (double)tf) + 0.1;
	return w > 0.1 ? w : 0.1;
}

static int gather_term(void *ctx, const char *term, size_t len)
{
	query_terms_t *h = ctx;
	if (h->count >= 2 * TS_SNIPPET_MAX_TERMS || !len)
		return 0;
	int kind;
	if (term[0] >= 'A' && term[0] <= 'Z') {
		if (strncmp(term, TS_PREFIX_TITLE, 1) != 0)
			return 0; /* author:, in:, type: ... never highlight text */
		term++;
		len--;
		kind = 1;
	} else {
		kind = 0;
	}
	h->offsets[h->count] = h->store.len;
	h->lens[h->count] = len;
	h->kinds[h->count] = kind;
	if (ts_buf_append(&h->store, term, len) == TS_OK)
		h->count++;
	return 0;
}

/* Point the match sets at the gathered terms (store no longer moves). */
static void finish_terms(query_terms_t *h, const ts_mset_t *m, const query_prep_t *prep)
{
	for (size_t i = 0; i < h->count; i++) {
		const char *t = h->store.data + h->offsets[i];
		/* Weights choose the passage of the body; a title is shown whole. */
		double w = h->kinds[i] == 0 ? term_weight(h->s, m, t, h->lens[i]) : 1.0;
		if (h->kinds[i] == 0)
			ts_match_add(&h->body, t, h->lens[i], w, 0);
		ts_match_add(&h->title, t, h->lens[i], w, 0);
	}
	for (size_t i = 0; i < prep->nprefixes; i++) {
		size_t n = strlen(prep->prefixes[i]);
		ts_match_add(&h->body, prep->prefixes[i], n, 1.0, 1);
		ts_match_add(&h->title, prep->prefixes[i], n, 1.0, 1);
	}
}

/* A match in a block: word number M.index of block BLOCK is of term M.term. */
typedef struct block_match {
	size_t block;
	ts_known_match_t m;
} block_match_t;

/* The matches of a hit's terms in the blocks of its record, term after
 * term, each term's in the order of the record's positions. */
typedef struct block_scores {
	const ts_texts_record_t *rec;
	const ts_match_set_t *set;
	block_match_t *matches;
	size_t nmatches, capmatches;
	int oom;
} block_scores_t;

/* Note a match of term K in block B, word INDEX of the block. */
static void credit(block_scores_t *bs, size_t b, int k, uint32_t index)
{
	if (bs->nmatches == bs->capmatches) {
		size_t cap = bs->capmatches ? 2 * bs->capmatches : 64;
		block_match_t *m = realloc(bs->matches, cap * sizeof *m);
		if (!m) {
			bs->oom = 1;
			return;
		}
		bs->matches = m;
		bs->capmatches = cap;
	}
	bs->matches[bs->nmatches++] = (block_match_t){b, {index, k}};
}

/* Does match X come before Y: by block, then word (then the earlier run). */
static int match_before(const block_match_t *x, const block_match_t *y)
{
	return x->block != y->block ? x->block < y->block : x->m.index < y->m.index;
}

/* The end of the ascending run of the N matches M that starts at I. */
static size_t run_end(const block_match_t *m, size_t n, size_t i)
{
	while (i + 1 < n && !match_before(&m[i + 1], &m[i]))
		i++;
	return i < n ? i + 1 : n;
}

/*
 * The matches of BS in order: by block, then word, then term. Each term's
 * matches ascend already, so their runs are merged pairwise, the earlier
 * first on a tie (the terms' order): a merge, not a sort.
 */
static ts_status_t merge_runs(block_scores_t *bs)
{
	size_t n = bs->nmatches;
	if (run_end(bs->matches, n, 0) == n)
		return TS_OK;
	block_match_t *tmp = malloc(n * sizeof *tmp);
	if (!tmp)
		return TS_ENOMEM;
	block_match_t *m = bs->matches;
	for (;;) {
		size_t out = 0, runs = 0;
		for (size_t a = 0; a < n; runs++) {
			size_t ae = run_end(m, n, a), b = ae, be = ae < n ? run_end(m, n, ae) : n;
			while (a < ae || b < be)
				tmp[out++] = b >= be || (a < ae && !match_before(&m[b], &m[a]))
				                 ? m[a++]
				                 : m[b++];
			a = be;
		}
		block_match_t *t = m;
		m = tmp;
		tmp = t;
		if (runs == 1)
			break;
	}
	if (m != bs->matches) {
		bs->matches = m;
		bs->capmatches = n;
	}
	free(tmp);
	return TS_OK;
}

/* What a block holds of the query. */
typedef struct block_score {
	size_t block;
	size_t first, n; /* its matches in the sorted list */
	double score;    /* weights of the distinct terms in it */
} block_score_t;

/*
 * The snippet of block I of HIT, from its N matches M (by word, then
 * term): they say which words to mark, so none is stemmed again.
 */
static ts_status_t build_known(searcher_t *s, const block_scores_t *bs, const block_match_t *m,
                               size_t n, size_t target, uint32_t i, hit_view_t *hit)
{
	ts_texts_block_t b;
	ts_texts_record_block(bs->rec, i, &b);
	const char *text = bs->rec->texts ? bs->rec->texts + b.offset : NULL;
	ts_status_t st = TS_OK;
	if (!text && (st = ts_texts_block_text(s->texts, bs->rec, &b, &text, s->texts_err,
	                                       sizeof s->texts_err)))
		return st;
	ts_known_match_t *known = malloc((n + 1) * sizeof *known);
	if (!known)
		return TS_ENOMEM;
	for (size_t k = 0; k < n; k++)
		known[k] = m[k].m;
	st = ts_snippet_build_known(text, b.len, bs->set, known, n, &b, target, &hit->snippet);
	free(known);
	if (st == TS_ECORRUPT && !s->texts_err[0])
		snprintf(s->texts_err, sizeof s->texts_err,
		         "damaged token table of '%s' in the index's text store", hit->doc.path);
	return st;
}

/* Credit the blocks holding the term hashed HASH, term K, where the record says. */
static ts_status_t credit_hash(block_scores_t *bs, uint32_t hash, int k)
{
	ts_texts_positions_t it;
	ts_status_t st = ts_texts_record_find(bs->rec, hash, &it);
	long b = -1;
	uint32_t pos, at = 0;
	int more = 0;
	while (!st && (more = ts_texts_positions_next(&it, &pos)) > 0) {
		long was = b;
		b = ts_texts_record_block_from(bs->rec, b, pos);
		if (b != was && b >= 0) {
			ts_texts_block_t blk;
			ts_texts_record_block(bs->rec, (uint32_t)b, &blk);
			at = blk.pos;
		}
		if (b >= 0) /* else in the title */
			credit(bs, (size_t)b, k, pos - at);
	}
	return st ? st : more < 0 ? TS_ECORRUPT : TS_OK;
}

static ts_status_t credit_term(block_scores_t *bs, const char *term, size_t len, int k)
{
	return credit_hash(bs, ts_texts_hash(term, len), k);
}

typedef struct prefix_ctx {
	block_scores_t *bs;
	int k;
	ts_status_t st;
} prefix_ctx_t;

static int credit_prefix_term(void *ctx, const char *term, size_t len)
{
	prefix_ctx_t *p = ctx;
	p->st = credit_term(p->bs, term, len, p->k);
	return p->st != TS_OK;
}

/*
 * Most terms of a wildcard's expansion looked up one by one in the record of
 * each hit; past it, each hit's own terms with the prefix are read from the
 * index instead.
 */
#define EXPANSION_MAX 1000

static int add_expansion(void *ctx, const char *term, size_t len)
{
	expansion_t *e = ctx;
	if (e->n == EXPANSION_MAX) {
		e->state = -1;
		return 1;
	}
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 16;
		uint32_t *h = realloc(e->hashes, cap * sizeof *h);
		if (!h) {
			e->state = -2;
			return 1;
		}
		e->hashes = h;
		e->cap = cap;
	}
	e->hashes[e->n++] = ts_texts_hash(term, len);
	return 0;
}

/* The expansion of body term K (a wildcard prefix) of H, found once. */
static ts_status_t expand_prefix(searcher_t *s, query_terms_t *h, size_t k)
{
	expansion_t *e = &h->expansion[k];
	if (e->state)
		return TS_OK;
	const ts_match_term_t *m = &h->body.terms[k];
	e->state = 1;
	ts_status_t st = ts_reader_terms(s->reader, m->text, m->len, add_expansion, e);
	if (st || e->state < 0) { /* the hashes found are of no use */
		free(e->hashes);
		*e = (expansion_t){.state = st ? 0 : e->state};
	}
	return st ? st : e->state == -2 ? TS_ENOMEM : TS_OK;
}

/*
 * Credit the blocks of BS's record (document DOCID's) holding body term K of
 * H: a stem, or the terms its wildcard expands to, found once a query; past
 * EXPANSION_MAX of them, the document's own terms with the prefix.
 */
static ts_status_t credit_body_term(searcher_t *s, query_terms_t *h, size_t k, uint32_t docid,
                                    block_scores_t *bs)
{
	const ts_match_term_t *m = &h->body.terms[k];
	if (!m->prefix)
		return credit_term(bs, m->text, m->len, (int)k);
	ts_status_t st = expand_prefix(s, h, k);
	if (st)
		return st;
	const expansion_t *e = &h->expansion[k];
	if (e->state > 0) {
		for (size_t i = 0; !st && i < e->n; i++)
			st = credit_hash(bs, e->hashes[i], (int)k);
		return st;
	}
	prefix_ctx_t pc = {bs, (int)k, TS_OK};
	st = ts_reader_doc_terms(s->reader, docid, m->text, m->len, credit_prefix_term, &pc);
	return st ? st : pc.st;
}

static int cmp_score_block(const void *a, const void *b)
{
	const block_score_t *x = a, *y = b;
	return x->block < y->block ? -1 : x->block > y->block;
}

/*
 * The record of HIT in the text store into *REC. TS_ENOENT when the index
 * has no text store here (remote).
 */
static ts_status_t load_record(searcher_t *s, hit_view_t *hit, ts_texts_record_t *rec)
{
	ts_docdata_t *d = &hit->doc;
	if (!s->texts)
		return TS_ENOENT;
	ts_status_t st = ts_texts_read(s->texts, hit->docid, d->texts_file, d->texts_offset,
	                               d->texts_len, rec, s->texts_err, sizeof s->texts_err);
	if (st == TS_ECORRUPT && !s->texts_err[0])
		snprintf(s->texts_err, sizeof s->texts_err,
		         "damaged record of '%s' in the index's text store", d->path);
	return st;
}

/* Choose the blocks to show and build the snippet of HIT. */
static ts_status_t build_snippet(searcher_t *s, const search_opts_t *o, hit_view_t *hit,
                                 query_terms_t *h)
{
	ts_docdata_t *d = &hit->doc;
	ts_texts_record_t rec;
	if (!d->text_stored)
		return TS_OK; /* no blocks */
	ts_status_t st = load_record(s, hit, &rec);
	if (st == TS_ENOENT)
		return TS_OK; /* no texts to show */
	if (st || !rec.nblocks)
		return st;
	block_scores_t bs = {.rec = &rec, .set = &h->body};
	block_score_t *blocks = NULL, *chosen = calloc(o->context + 1, sizeof *chosen);
	st = TS_ENOMEM;
	if (!chosen)
		goto done;
	for (size_t k = 0; k < h->body.count; k++)
		if ((st = credit_body_term(s, h, k, hit->docid, &bs)))
			goto done;
	st = TS_ENOMEM;
	if (bs.oom || (bs.nmatches && !(blocks = malloc(bs.nmatches * sizeof *blocks))) ||
	    merge_runs(&bs))
		goto done;
	/* Each block's matches together, and what they weigh: the distinct
	 * terms' weights, in the terms' order. */
	size_t nblocks = 0;
	for (size_t i = 0; i < bs.nmatches;) {
		block_score_t *b = &blocks[nblocks++];
		*b = (block_score_t){bs.matches[i].block, i, 0, 0};
		uint64_t mask = 0;
		for (; i < bs.nmatches && bs.matches[i].block == b->block; i++, b->n++)
			mask |= 1ULL << (bs.matches[i].m.term % 64);
		for (size_t k = 0; k < h->body.count && k < 64; k++)
			if (mask & 1ULL << k)
				b->score += h->body.terms[k].weight;
	}
	/* The best blocks; without any match, the first paragraph. */
	size_t nchosen = 0;
	for (unsigned c = 0; c <= o->context; c++) {
		long best = -1;
		for (size_t i = 0; i < nblocks; i++) {
			if (blocks[i].score <= 0)
				continue;
			if (best < 0 || blocks[i].score > blocks[best].score + 1e-9 ||
			    (fabs(blocks[i].score - blocks[best].score) <= 1e-9 &&
			     blocks[i].n > blocks[best].n))
				best = (long)i;
		}
		if (best < 0)
			break;
		chosen[nchosen++] = blocks[best];
		blocks[best].score = -1;
	}
	if (!nchosen) {
		chosen[nchosen++] = (block_score_t){0, 0, 0, 0};
		for (uint32_t i = 0; i < rec.nblocks; i++) {
			ts_texts_block_t b;
			ts_texts_record_block(&rec, i, &b);
			if (b.kind == TS_BLOCK_PARA) {
				chosen[0].block = i;
				break;
			}
		}
	}
	qsort(chosen, nchosen, sizeof *chosen, cmp_score_block);
	st = TS_OK;
	for (size_t i = 0; !st && i < nchosen; i++) {
		if (i)
			st = ts_snippet_separate(&hit->snippet);
		if (!st)
			st = build_known(s, &bs, bs.matches ? bs.matches + chosen[i].first : NULL,
			                 chosen[i].n, o->snippet_length, (uint32_t)chosen[i].block,
			                 hit);
	}
done:
	free(bs.matches);
	free(blocks);
	free(chosen);
	return st;
}

/* BM25 as Xapian computes it (BM25Weight, no relevance feedback), per term. */
static double bm25_part(double N, double n, double wdf, double len, double avg, double k1, double b)
{
	double tw = (N - n + 0.5) / (n + 0.5);
	if (tw < 2)
		tw = tw * 0.5 + 1;
	double idf = log(tw);
	double normlen = avg > 0 ? len / avg : 1;
	if (normlen < 0.5)
		normlen = 0.5;
	double K = k1 * ((1 - b) + b * normlen);
	return idf * (k1 + 1) * wdf / (K + wdf);
}

static ts_status_t explain_hit(searcher_t *s, const ts_mset_t *m, const search_opts_t *o,
                               hit_view_t *hit, const query_terms_t *h)
{
	double k1 = o->k1 > 0 ? o->k1 : 1.0, b = o->k1 > 0 ? o->b : 0.5;
	uint32_t dl = 0;
	ts_status_t st = ts_reader_doclength(s->reader, hit->docid, &dl);
	for (size_t i = 0; !st && i < h->count; i++) {
		const char *t = h->store.data + h->offsets[i];
		char term[TS_TERM_MAX + 2];
		size_t n = 0;
		if (h->lens[i] > TS_TERM_MAX)
			continue; /* a query word too long to be a term: in no article */
		if (h->kinds[i])
			term[n++] = TS_PREFIX_TITLE[0];
		memcpy(term + n, t, h->lens[i]);
		n += h->lens[i];
		uint32_t wdf = 0, tf = 0;
		st = ts_reader_wdf(s->reader, hit->docid, term, n, &wdf);
		if (!st)
			st = ts_mset_termfreq(s->reader, m, term, n, &tf);
		if (st)
			break;
		if (!wdf)
			continue; /* a query term this article lacks */
		double part = bm25_part(s->doccount, tf, wdf, dl, s->avglen, k1, b);
		st = ts_buf_printf(&hit->explain,
		                   "%s%.*s: in %u of %u articles, %u time%s here, +%.3f\n",
		                   h->kinds[i] ? "title:" : "", (int)h->lens[i], t, tf, s->doccount,
		                   wdf, wdf == 1 ? "" : "s", part);
	}
	if (!st)
		st = ts_buf_printf(&hit->explain,
		                   "length %u terms (average %.0f), BM25 k1=%g b=%g\n", dl,
		                   s->avglen, k1, b);
	return st;
}

/* A hit known by its name value only (path, NUL, locator): RAW into HIT. */
/* Take rank, score and id of RAW into HIT, and its bytes as HIT->blob with
 * two NULs after them. */
static ts_status_t take_hit(const ts_hit_t *raw, hit_view_t *hit)
{
	hit->rank = raw->rank + 1;
	hit->score = raw->weight;
	hit->docid = raw->docid;
	if (!(hit->blob = malloc(raw->datalen + 2)))
		return TS_ENOMEM;
	memcpy(hit->blob, raw->data, raw->datalen);
	hit->blob[raw->datalen] = hit->blob[raw->datalen + 1] = '\0';
	return TS_OK;
}

/* HIT from RAW, a name value: path NUL locator. */
static ts_status_t name_hit(const ts_hit_t *raw, hit_view_t *hit)
{
	ts_status_t st = take_hit(raw, hit);
	if (st)
		return st;
	ts_docdata_t *d = &hit->doc;
	d->path = hit->blob;
	size_t plen = strlen(d->path);
	d->locator = plen < raw->datalen ? hit->blob + plen + 1 : "";
	d->title = d->author = d->date = d->type = d->link = d->language = "";
	return TS_OK;
}

static ts_status_t build_hit(searcher_t *s, ts_mset_t *m, size_t i, const search_opts_t *o,
                             query_terms_t *h, hit_view_t *hit)
{
	ts_hit_t raw;
	ts_status_t st;
	if (o->names_only) {
		/* Only the name is shown: read it from its value, not from the
		 * whole document data. */
		if ((st = ts_mset_hit_value(s->reader, m, i, TS_SLOT_NAME, &raw)))
			return st;
		if (raw.datalen)
			return name_hit(&raw, hit);
	}
	if ((st = ts_mset_hit(s->reader, m, i, &raw)) || (st = take_hit(&raw, hit)) ||
	    (st = ts_docdata_decode(hit->blob, raw.datalen, &hit->doc)))
		return st;
	if (o->snippets) {
		if (o->title_marks && *hit->doc.title)
			st = ts_snippet_build(hit->doc.title, strlen(hit->doc.title), &h->title, 0,
			                      &hit->title);
		if (!st)
			st = build_snippet(s, o, hit, h);
	}
	if (!st && o->explain)
		st = explain_hit(s, m, o, hit, h);
	return st;
}

/* Gather the terms of Q (and the wildcard prefixes of PREP) into a new *OUT,
 * weighted by the search M of Q. */
static ts_status_t query_terms(searcher_t *s, const ts_mset_t *m, const ts_query_t *q,
                               const query_prep_t *prep, query_terms_t **out)
{
	query_terms_t *h = calloc(1, sizeof *h);
	*out = h;
	if (!h)
		return TS_ENOMEM;
	h->s = s;
	h->body.stemmer = s->stemmer;
	h->title.stemmer = s->stemmer;
	ts_query_terms(q, gather_term, h);
	finish_terms(h, m, prep);
	return TS_OK;
}

static void query_terms_free(query_terms_t *h)
{
	if (!h)
		return;
	ts_buf_release(&h->store);
	for (size_t k = 0; k < TS_SNIPPET_MAX_TERMS; k++)
		free(h->expansion[k].hashes);
	free(h);
}

/* ====================================================================== */
/* The query                                                               */
/* ====================================================================== */

/*
 * Is the query prose (a sentence or a question) rather than keywords? It is
 * when it is several plain words: no operators, fields, phrases, wildcards
 * or +/- (a shouted query has been lowered by now, its operators gone).
 */
static int looks_like_prose(const query_prep_t *prep)
{
	size_t words = 0;
	int in = 0;
	for (size_t i = 0; i < prep->text.len; i++) {
		char c = prep->text.data[i];
		if (strchr("\":()+*", c))
			return 0;
		if (c == '-' && (!i || prep->text.data[i - 1] == ' '))
			return 0;
		int space = c == ' ';
		if (!space && !in)
			words++;
		in = !space;
	}
	return words >= PROSE_MIN_WORDS;
}

static ts_status_t parse(searcher_t *s, query_prep_t *prep, const search_opts_t *o, ts_query_t **q,
                         char *note, size_t notelen)
{
	ts_query_opts_t qo = {0};
	qo.default_and = o->default_and;
	qo.stemmer = s->stemmer;
	qo.fields = fields;
	qo.nfields = sizeof fields / sizeof fields[0];
	qo.date_slot = TS_SLOT_DATE;
	qo.date_field = "date";
	qo.max_wildcard = 1000;
	/* Prose drops its function words; typed keywords are kept as typed. */
	if (o->stopwords && looks_like_prose(prep))
		qo.stopwords = ts_stopwords(ts_stemmer_name(s->stemmer));
	if (prep->plain)
		qo.flags = 0;
	else if (prep->prose)
		qo.flags = TS_Q_PHRASE | TS_Q_WILDCARD;
	else
		qo.flags =
		    TS_Q_BOOLEAN | TS_Q_PHRASE | TS_Q_LOVEHATE | TS_Q_WILDCARD | TS_Q_PURE_NOT;
	ts_status_t st = ts_query_parse(s->reader, prep->text.data, prep->text.len, &qo, q);
	if (st == TS_EQUERY && !prep->plain) {
		snprintf(note, notelen, "query syntax error (%s); searched for the words instead",
		         ts_reader_error(s->reader));
		query_make_plain(prep);
		qo.flags = 0;
		st = ts_query_parse(s->reader, prep->text.data, prep->text.len, &qo, q);
	}
	return st;
}

/*
 * Expand this query? Always or never as asked; by default only prose (see
 * looks_like_prose), where the words people use and the words articles use
 * differ most.
 */
static int wants_expansion(const query_prep_t *prep, const search_opts_t *o)
{
	/* The added terms only rerank: no hits to show, nothing to gain. */
	if (!o->expand || !o->fb_docs || !o->fb_terms || !o->limit)
		return 0;
	return o->expand > 0 || looks_like_prose(prep);
}

typedef struct respell {
	searcher_t *s;
	const ts_mset_t *m; /* the query's search: its terms' frequencies */
	const char *text;   /* the query */
	ts_buf_t out;       /* the query respelled, up to ... */
	size_t copied;      /* ... this byte of TEXT */
	ts_status_t st;
} respell_t;

static int respell_word(void *ctx, const ts_token_t *t)
{
	respell_t *r = ctx;
	const char *stem;
	size_t stemlen;
	uint32_t tf = 0;
	char *better = NULL;
	if ((r->st = ts_stemmer_stem(r->s->stemmer, t->word, t->wordlen, &stem, &stemlen)) ||
	    (r->st = ts_mset_termfreq(r->s->reader, r->m, stem, stemlen, &tf)))
		return 1;
	if (tf >= SPELLING_FEW)
		return 0;
	if ((r->st = ts_reader_spelling(r->s->reader, t->word, t->wordlen, &better)))
		return 1;
	if (better && !(strlen(better) == t->wordlen && !memcmp(better, t->word, t->wordlen)) &&
	    !(r->st = ts_buf_append(&r->out, r->text + r->copied, t->start - r->copied)) &&
	    !(r->st = ts_buf_puts(&r->out, better)))
		r->copied = t->end;
	free(better);
	return r->st != TS_OK;
}

/*
 * A better spelling of the query in PREP, searched in M (malloc'd in *OUT),
 * or NULL when there is none. Only a word found in fewer than SPELLING_FEW articles may
 * be misspelled: it is replaced by the spelling table's suggestion (Xapian's
 * rule: within two edits, more frequent), the rest is kept as typed. Common
 * words are neither looked up (a scan of the spelling table each, 1-5 ms on
 * a large index) nor replaced by a more common neighbour ("hospital care"
 * is not "hospital are").
 */
static ts_status_t respell(searcher_t *s, const ts_mset_t *m, const query_prep_t *prep, char **out)
{
	respell_t r = {.s = s, .m = m, .text = prep->text.data};
	*out = NULL;
	query_each_spellable(prep, respell_word, &r);
	if (!r.st && r.copied)
		r.st = ts_buf_append(&r.out, r.text + r.copied, prep->text.len - r.copied);
	if (!r.st && r.copied && !(*out = strdup(r.out.data ? r.out.data : "")))
		r.st = TS_ENOMEM;
	ts_buf_release(&r.out);
	return r.st;
}

typedef struct hit_order {
	uint32_t docid;
	size_t rank;
} hit_order_t;

static int cmp_hit_order(const void *a, const void *b)
{
	uint32_t x = ((const hit_order_t *)a)->docid, y = ((const hit_order_t *)b)->docid;
	return (x > y) - (x < y);
}

static ts_status_t run_once(searcher_t *s, query_prep_t *prep, const search_opts_t *o,
                            result_view_t *v, char *err, size_t errlen)
{
	ts_query_t *q = NULL;
	ts_mset_t *m = NULL;
	query_terms_t *terms = NULL;
	s->texts_err[0] = '\0';
	ts_status_t st = parse(s, prep, o, &q, v->note, sizeof v->note);
	if (st) {
		snprintf(err, errlen, "%s", ts_reader_error(s->reader));
		return st;
	}
	ts_search_opts_t so = {o->offset,
	                       o->limit,
	                       o->sort,
	                       TS_SLOT_DATE,
	                       o->k1,
	                       o->b,
	                       o->exact_count ? UINT32_MAX : 0};
	if (wants_expansion(prep, o)) {
		/* Pseudo-relevance feedback: the top hits tell which other words
		 * matter; they rerank what the query matches. */
		ts_search_opts_t first = so;
		first.offset = 0;
		first.limit = o->fb_docs;
		first.sort = TS_SORT_RELEVANCE;
		first.check_at_least = 0; /* the top documents only, not the count */
		ts_query_t *eq = NULL;
		if ((st = ts_reader_search(s->reader, q, &first, &m)) ||
		    (st = ts_query_expand(s->reader, m, q, o->fb_docs, o->fb_terms, o->fb_weight,
		                          o->fb_scheme, &eq)))
			goto fail;
		/* Highlights show the words asked for, not the words added. */
		if ((o->snippets || o->explain) && (st = query_terms(s, m, q, prep, &terms))) {
			ts_query_free(eq);
			goto fail;
		}
		ts_mset_free(m);
		m = NULL;
		ts_query_free(q);
		q = eq;
	}
	if ((st = ts_reader_search(s->reader, q, &so, &m)))
		goto fail;
	uint32_t lower, upper;
	ts_mset_estimate(m, &v->total, &lower, &upper);
	/* Few matches: is there a better spelling? (Looked up only now: it
	 * costs lookups in the spelling table.) */
	if (o->suggest && v->total < SPELLING_FEW && !o->offset && !prep->plain &&
	    (st = respell(s, m, prep, &v->corrected)))
		goto fail;
	if (!ts_mset_size(m) && v->corrected && o->spelling && !o->offset) {
		/* Run the corrected query instead. */
		ts_mset_free(m);
		m = NULL;
		query_terms_free(terms);
		terms = NULL;
		ts_query_free(q);
		q = NULL;
		query_prep_t fixed;
		char ferr[160];
		if ((st = query_prepare(v->corrected, strlen(v->corrected), &fixed, ferr,
		                        sizeof ferr))) {
			query_prep_release(&fixed);
			goto fail;
		}
		query_prep_release(prep);
		*prep = fixed;
		if ((st = parse(s, prep, o, &q, v->note, sizeof v->note)) ||
		    (st = ts_reader_search(s->reader, q, &so, &m)))
			goto fail;
		ts_mset_estimate(m, &v->total, &lower, &upper);
		v->used_corrected = 1;
	}
	size_t n = ts_mset_size(m);
	if (n && !(v->hits = calloc(n, sizeof *v->hits))) {
		st = TS_ENOMEM;
		goto fail;
	}
	if (n && !terms && (o->snippets || o->explain) && (st = query_terms(s, m, q, prep, &terms)))
		goto fail;
	/* The hits are read in document order: neighbours share B-tree blocks,
	 * which Xapian then reads once. */
	hit_order_t *order = n ? malloc(n * sizeof *order) : NULL;
	if (n && !order) {
		st = TS_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = (hit_order_t){ts_mset_docid(m, i), i};
	if (n)
		qsort(order, n, sizeof *order, cmp_hit_order);
	v->nhits = n; /* the hits not yet built are empty */
	for (size_t i = 0; i < n && !st; i++)
		st = build_hit(s, m, order[i].rank, o, terms, &v->hits[order[i].rank]);
	free(order);
	if (st)
		goto fail;
	query_terms_free(terms);
	ts_mset_free(m);
	ts_query_free(q);
	return TS_OK;
fail:
	snprintf(err, errlen, "%s",
	         st == TS_ECORRUPT && s->texts_err[0] ? s->texts_err
	         : st == TS_ECORRUPT && !*ts_reader_error(s->reader)
	             ? "damaged document data in the index"
	             : ts_reader_error(s->reader));
	query_terms_free(terms);
	ts_mset_free(m);
	ts_query_free(q);
	return st;
}

ts_status_t searcher_run(searcher_t *s, const char *query, size_t len, const search_opts_t *o,
                         result_view_t *view, char *err, size_t errlen)
{
	memset(view, 0, sizeof *view);
	query_prep_t prep;
	ts_status_t st = query_prepare(query, len, &prep, err, errlen);
	if (!st) {
		if (prep.plain)
			snprintf(view->note, sizeof view->note,
			         "%s; searched for the words instead", prep.problem);
		if (!s->fresh && stub_changed(s))
			refresh(s); /* rebuilt since the last query; on failure, the old one */
		s->fresh = 0;
		for (int attempt = 0; attempt < 5; attempt++) {
			st = run_once(s, &prep, o, view, err, errlen);
			if (st != TS_EMODIFIED && !(st && stub_changed(s)))
				break;
			/* A writer committed meanwhile: start again on the new revision. */
			char note[sizeof view->note];
			memcpy(note, view->note, sizeof note);
			result_view_release(view);
			memcpy(view->note, note, sizeof note);
			if ((st = refresh(s))) {
				snprintf(err, errlen, "%s", ts_reader_error(s->reader));
				break;
			}
		}
	}
	query_prep_release(&prep);
	if (st && st != TS_EQUERY && st != TS_ETOOBIG)
		result_view_release(view);
	return st;
}
