/*
 * test_xapian_wrap.c - the C interface to Xapian, against real glass
 * databases in a temporary folder: writing in transactions, reading back
 * terms, positions, values, metadata and data, parsing and searching with
 * the analyzer's stemmer, plain words as the parser makes them, date ranges,
 * data stored uncompressed, compaction, the index format check, and the
 * mapping of Xapian's errors to status codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../../searcher/search.h"
#include "indexdir.h"
#include "testutil.h"
#include "xapian_wrap.h"

static int setup(void **state)
{
	(void)state;
	return tu_tmp_make("xapian");
}

static int teardown(void **state)
{
	(void)state;
	return tu_tmp_remove();
}

/* ====================================================================== */
/* Building a small database                                               */
/* ====================================================================== */

static void posting(ts_doc_t *d, const char *term, uint32_t pos, uint32_t wdf)
{
	assert_int_equal(ts_doc_add_posting(d, term, strlen(term), pos, wdf), TS_OK);
}

static void boolean(ts_doc_t *d, const char *term)
{
	assert_int_equal(ts_doc_add_boolean(d, term, strlen(term)), TS_OK);
}

/* A document with postings TERMS (space separated, positions 1, 2, ...). */
static ts_doc_t *doc_of(const char *terms, const char *date, const char *data)
{
	ts_doc_t *d = NULL;
	assert_int_equal(ts_doc_new(&d), TS_OK);
	assert_non_null(d);
	char buf[256];
	snprintf(buf, sizeof buf, "%s", terms);
	uint32_t pos = 1;
	for (char *save, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save))
		posting(d, t, pos++, 1);
	if (date)
		assert_int_equal(ts_doc_set_value(d, 0, date, strlen(date)), TS_OK);
	assert_int_equal(ts_doc_set_data(d, data, strlen(data)), TS_OK);
	return d;
}

static ts_writer_t *open_writer(const char *path, int flags)
{
	ts_writer_t *w = NULL;
	assert_int_equal(ts_writer_new(&w), TS_OK);
	ts_status_t st = ts_writer_open(w, path, flags);
	if (st)
		fail_msg("cannot open writer on '%s': %s (%s)", path, ts_status_str(st),
		         ts_writer_error(w));
	return w;
}

static ts_reader_t *open_reader(const char *path)
{
	ts_reader_t *r = NULL;
	assert_int_equal(ts_reader_new(&r), TS_OK);
	ts_status_t st = ts_reader_open(r, path);
	if (st)
		fail_msg("cannot open reader on '%s': %s (%s)", path, ts_status_str(st),
		         ts_reader_error(r));
	return r;
}

/* Write the three documents the reading tests look at into PATH. */
static void write_three(const char *path)
{
	ts_writer_t *w = open_writer(path, TS_WRITER_CREATE | TS_WRITER_OVERWRITE);
	assert_int_equal(ts_writer_begin(w), TS_OK);

	ts_doc_t *d1;
	assert_int_equal(ts_doc_new(&d1), TS_OK);
	posting(d1, "tariff", 1, 1);
	posting(d1, "japan", 2, 1);
	posting(d1, "tariff", 5, 1);
	boolean(d1, "Tnews");
	boolean(d1, "Pcorpus/trade");
	boolean(d1, "Pcorpus");
	assert_int_equal(ts_doc_set_value(d1, 0, "20250207", 8), TS_OK);
	assert_int_equal(ts_doc_set_data(d1, "doc one\0with a NUL", 18), TS_OK);
	assert_int_equal(ts_doc_postings(d1), 3);
	assert_int_equal(ts_writer_add(w, d1), TS_OK);

	ts_doc_t *d2;
	assert_int_equal(ts_doc_new(&d2), TS_OK);
	posting(d2, "steel", 1, 1);
	posting(d2, "japan", 2, 2);
	assert_int_equal(ts_doc_add_term(d2, "Sjapan", 6, 1), TS_OK);
	boolean(d2, "Tnews");
	assert_int_equal(ts_doc_set_value(d2, 0, "20240101", 8), TS_OK);
	assert_int_equal(ts_doc_set_data(d2, "doc two", 7), TS_OK);
	assert_int_equal(ts_doc_postings(d2), 3);
	assert_int_equal(ts_writer_add(w, d2), TS_OK);

	ts_doc_t *d3 = doc_of("invest", "20251231", "doc three");
	boolean(d3, "Tblog");
	assert_int_equal(ts_writer_add(w, d3), TS_OK);

	assert_int_equal(ts_writer_commit_tx(w), TS_OK);
	assert_int_equal(ts_writer_set_metadata(w, "k:b", "2", 1), TS_OK);
	assert_int_equal(ts_writer_set_metadata(w, "k:a", "1", 1), TS_OK);
	assert_int_equal(ts_writer_set_metadata(w, "k:c", "three", 5), TS_OK);
	assert_int_equal(ts_writer_set_metadata(w, "other", "x", 1), TS_OK);
	assert_int_equal(ts_writer_commit(w), TS_OK);

	uint32_t n;
	assert_int_equal(ts_writer_doccount(w, &n), TS_OK);
	assert_int_equal(n, 3);
	assert_int_equal(ts_writer_termfreq(w, "japan", 5, &n), TS_OK);
	assert_int_equal(n, 2);
	char *v;
	size_t vlen;
	assert_int_equal(ts_writer_get_metadata(w, "k:c", &v, &vlen), TS_OK);
	assert_string_equal(v, "three");
	assert_int_equal(vlen, 5);
	free(v);

	ts_doc_free(d1);
	ts_doc_free(d2);
	ts_doc_free(d3);
	ts_writer_free(w);
}

/* ====================================================================== */
/* Reading                                                                 */
/* ====================================================================== */

typedef struct strings {
	char items[16][64];
	size_t n;
	size_t stop_at; /* return 1 after this many (0: never) */
} strings_t;

static int add_term(void *ctx, const char *term, size_t len)
{
	strings_t *s = ctx;
	assert_true(s->n < 16 && len < 64);
	memcpy(s->items[s->n], term, len);
	s->items[s->n][len] = '\0';
	s->n++;
	return s->stop_at && s->n == s->stop_at;
}

static int add_meta(void *ctx, const char *key, size_t keylen, const char *value, size_t valuelen)
{
	strings_t *s = ctx;
	assert_true(s->n < 16 && keylen + valuelen + 1 < 64);
	snprintf(s->items[s->n], 64, "%.*s=%.*s", (int)keylen, key, (int)valuelen, value);
	s->n++;
	return s->stop_at && s->n == s->stop_at;
}

static void test_write_and_read(void **state)
{
	(void)state;
	const char *path = tu_tmp("db-read");
	write_three(path);
	ts_reader_t *r = open_reader(path);

	uint32_t n;
	assert_int_equal(ts_reader_doccount(r, &n), TS_OK);
	assert_int_equal(n, 3);
	assert_int_equal(ts_reader_termfreq(r, "japan", 5, &n), TS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ts_reader_termfreq(r, "Tnews", 5, &n), TS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ts_reader_termfreq(r, "nothing", 7, &n), TS_OK);
	assert_int_equal(n, 0);

	/* Positions, ascending; none for an absent term. */
	uint32_t *pos;
	size_t npos;
	assert_int_equal(ts_reader_positions(r, 1, "tariff", 6, &pos, &npos), TS_OK);
	assert_int_equal(npos, 2);
	assert_int_equal(pos[0], 1);
	assert_int_equal(pos[1], 5);
	free(pos);
	assert_int_equal(ts_reader_positions(r, 1, "steel", 5, &pos, &npos), TS_OK);
	assert_null(pos);
	assert_int_equal(npos, 0);

	/* Within-document frequencies and lengths (boolean terms count for nothing). */
	uint32_t wdf;
	assert_int_equal(ts_reader_wdf(r, 1, "tariff", 6, &wdf), TS_OK);
	assert_int_equal(wdf, 2);
	assert_int_equal(ts_reader_wdf(r, 2, "japan", 5, &wdf), TS_OK);
	assert_int_equal(wdf, 2);
	assert_int_equal(ts_reader_wdf(r, 2, "tariff", 6, &wdf), TS_OK);
	assert_int_equal(wdf, 0);
	assert_int_equal(ts_reader_doclength(r, 1, &n), TS_OK);
	assert_int_equal(n, 3);
	assert_int_equal(ts_reader_doclength(r, 2, &n), TS_OK);
	assert_int_equal(n, 4);
	uint64_t total;
	assert_int_equal(ts_reader_total_length(r, &total), TS_OK);
	assert_int_equal(total, 8);
	double avg;
	assert_int_equal(ts_reader_avglength(r, &avg), TS_OK);
	assert_true(avg > 8.0 / 3 - 1e-9 && avg < 8.0 / 3 + 1e-9);

	/* Terms of a document by prefix, in term order. */
	strings_t s = {0};
	assert_int_equal(ts_reader_doc_terms(r, 1, "P", 1, add_term, &s), TS_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.items[0], "Pcorpus");
	assert_string_equal(s.items[1], "Pcorpus/trade");
	memset(&s, 0, sizeof s);
	assert_int_equal(ts_reader_doc_terms(r, 1, "T", 1, add_term, &s), TS_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.items[0], "Tnews");
	memset(&s, 0, sizeof s);
	assert_int_equal(ts_reader_doc_terms(r, 1, "", 0, add_term, &s), TS_OK);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.items[0], "Pcorpus");
	assert_string_equal(s.items[4], "tariff");
	memset(&s, 0, sizeof s);
	assert_int_equal(ts_reader_doc_terms(r, 1, "zzz", 3, add_term, &s), TS_OK);
	assert_int_equal(s.n, 0);
	memset(&s, 0, sizeof s);
	s.stop_at = 1;
	assert_int_equal(ts_reader_doc_terms(r, 1, "", 0, add_term, &s), TS_OK);
	assert_int_equal(s.n, 1);

	/* Terms of the whole index by prefix, in term order, each once. */
	memset(&s, 0, sizeof s);
	assert_int_equal(ts_reader_terms(r, "T", 1, add_term, &s), TS_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.items[0], "Tblog");
	assert_string_equal(s.items[1], "Tnews");
	memset(&s, 0, sizeof s);
	assert_int_equal(ts_reader_terms(r, "ja", 2, add_term, &s), TS_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.items[0], "japan");
	memset(&s, 0, sizeof s);
	assert_int_equal(ts_reader_terms(r, "japanese", 8, add_term, &s), TS_OK);
	assert_int_equal(s.n, 0);
	memset(&s, 0, sizeof s);
	s.stop_at = 2;
	assert_int_equal(ts_reader_terms(r, "", 0, add_term, &s), TS_OK);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.items[0], "Pcorpus");
	assert_string_equal(s.items[1], "Pcorpus/trade");

	/* Metadata: in key order, by prefix; a missing key is NULL. */
	memset(&s, 0, sizeof s);
	assert_int_equal(ts_reader_metadata_each(r, "k:", add_meta, &s), TS_OK);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.items[0], "k:a=1");
	assert_string_equal(s.items[1], "k:b=2");
	assert_string_equal(s.items[2], "k:c=three");
	memset(&s, 0, sizeof s);
	s.stop_at = 2;
	assert_int_equal(ts_reader_metadata_each(r, "", add_meta, &s), TS_OK);
	assert_int_equal(s.n, 2);
	char *v = (char *)"x";
	size_t vlen = 99;
	assert_int_equal(ts_reader_get_metadata(r, "missing", &v, &vlen), TS_OK);
	assert_null(v);
	assert_int_equal(vlen, 0);
	assert_int_equal(ts_reader_get_metadata(r, "other", &v, &vlen), TS_OK);
	assert_string_equal(v, "x");
	free(v);

	ts_reader_free(r);
	ts_reader_free(NULL);
}

/* Changes become visible to a reader when the transaction commits, not before. */
static void test_transactions(void **state)
{
	(void)state;
	const char *path = tu_tmp("db-tx");
	ts_writer_t *w = open_writer(path, TS_WRITER_CREATE);
	assert_int_equal(ts_writer_commit(w), TS_OK);
	ts_reader_t *r = open_reader(path);
	uint32_t n;

	assert_int_equal(ts_writer_begin(w), TS_OK);
	ts_doc_t *d = doc_of("alpha beta", NULL, "a");
	assert_int_equal(ts_writer_add(w, d), TS_OK);
	assert_int_equal(ts_reader_reopen(r), TS_OK);
	assert_int_equal(ts_reader_doccount(r, &n), TS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(ts_writer_commit_tx(w), TS_OK);
	assert_int_equal(ts_reader_reopen(r), TS_OK);
	assert_int_equal(ts_reader_doccount(r, &n), TS_OK);
	assert_int_equal(n, 1);

	/* A cancelled transaction leaves nothing. */
	assert_int_equal(ts_writer_begin(w), TS_OK);
	assert_int_equal(ts_writer_add(w, d), TS_OK);
	assert_int_equal(ts_writer_cancel_tx(w), TS_OK);
	assert_int_equal(ts_writer_doccount(w, &n), TS_OK);
	assert_int_equal(n, 1);

	/* Replace by id term, then delete by it. */
	ts_doc_t *e = doc_of("gamma", NULL, "e");
	boolean(e, "Qid-1");
	assert_int_equal(ts_writer_replace(w, "Qid-1", 5, e), TS_OK);
	assert_int_equal(ts_writer_replace(w, "Qid-1", 5, e), TS_OK);
	assert_int_equal(ts_writer_doccount(w, &n), TS_OK);
	assert_int_equal(n, 2);
	assert_int_equal(ts_writer_delete(w, "Qid-1", 5), TS_OK);
	assert_int_equal(ts_writer_doccount(w, &n), TS_OK);
	assert_int_equal(n, 1);

	/* A transaction still open when the writer closes is cancelled. */
	assert_int_equal(ts_writer_commit(w), TS_OK);
	assert_int_equal(ts_writer_begin(w), TS_OK);
	assert_int_equal(ts_writer_add(w, d), TS_OK);
	ts_writer_free(w);
	assert_int_equal(ts_reader_reopen(r), TS_OK);
	assert_int_equal(ts_reader_doccount(r, &n), TS_OK);
	assert_int_equal(n, 1);

	/* Changes outside a transaction are committed on close. */
	w = open_writer(path, 0);
	assert_int_equal(ts_writer_add(w, d), TS_OK);
	ts_writer_free(w);
	assert_int_equal(ts_reader_reopen(r), TS_OK);
	assert_int_equal(ts_reader_doccount(r, &n), TS_OK);
	assert_int_equal(n, 2);

	ts_doc_free(d);
	ts_doc_free(e);
	ts_reader_free(r);
	ts_writer_free(NULL);
	ts_doc_free(NULL);
}

/* ====================================================================== */
/* Queries                                                                 */
/* ====================================================================== */

static const ts_field_t fields[] = {
    {"title", "S", 0},
    {"type", "T", 1},
    {"in", "P", 1},
};

static ts_query_opts_t query_opts(ts_stemmer_t *st, unsigned flags)
{
	ts_query_opts_t o;
	memset(&o, 0, sizeof o);
	o.default_and = 1;
	o.flags = flags;
	o.stemmer = st;
	o.fields = fields;
	o.nfields = sizeof fields / sizeof fields[0];
	o.date_slot = 0;
	o.date_field = "date";
	return o;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(a, b);
}

/*
 * Run Q on R and return the data of the hits, sorted and joined by "|"
 * (static). Fails when the query does not parse.
 */
static const char *hits(ts_reader_t *r, const char *q, const ts_query_opts_t *o, ts_sort_t sort)
{
	static char out[512];
	ts_query_t *query = NULL;
	ts_status_t st = ts_query_parse(r, q, strlen(q), o, &query);
	if (st)
		fail_msg("query '%s': %s (%s)", q, ts_status_str(st), ts_reader_error(r));
	ts_search_opts_t so;
	memset(&so, 0, sizeof so);
	so.limit = 20;
	so.sort = sort;
	so.date_slot = 0;
	ts_mset_t *m = NULL;
	assert_int_equal(ts_reader_search(r, query, &so, &m), TS_OK);
	char items[20][64];
	size_t n = ts_mset_size(m);
	assert_true(n <= 20);
	for (size_t i = 0; i < n; i++) {
		ts_hit_t h;
		assert_int_equal(ts_mset_hit(r, m, i, &h), TS_OK);
		assert_int_equal(h.rank, i);
		snprintf(items[i], sizeof items[i], "%.*s", (int)strnlen(h.data, h.datalen),
		         h.data);
	}
	/* Relevance order is not the business of these tests: sort by name. */
	if (sort == TS_SORT_RELEVANCE)
		qsort(items, n, sizeof items[0], compare_strings);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, items[i]);
	}
	ts_mset_free(m);
	ts_query_free(query);
	return out;
}

static void test_parse_and_search(void **state)
{
	(void)state;
	const char *path = tu_tmp("db-search");
	write_three(path);
	ts_reader_t *r = open_reader(path);
	ts_stemmer_t *en;
	assert_int_equal(ts_stemmer_new("english", &en), TS_OK);
	ts_query_opts_t o = query_opts(en, TS_Q_BOOLEAN | TS_Q_PHRASE | TS_Q_LOVEHATE |
	                                       TS_Q_WILDCARD | TS_Q_PURE_NOT);

	/* "Tariffs" goes through the analyzer: it finds the doc indexed as "tariff". */
	ts_query_t *q;
	assert_int_equal(ts_query_parse(r, "Tariffs", 7, &o, &q), TS_OK);
	assert_false(ts_query_empty(q));
	strings_t s = {0};
	ts_query_terms(q, add_term, &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.items[0], "tariff");
	assert_non_null(strstr(ts_query_describe(q), "tariff"));
	ts_search_opts_t so;
	memset(&so, 0, sizeof so);
	so.limit = 10;
	ts_mset_t *m;
	assert_int_equal(ts_reader_search(r, q, &so, &m), TS_OK);
	assert_int_equal(ts_mset_size(m), 1);
	uint32_t est, lo, hi;
	ts_mset_estimate(m, &est, &lo, &hi);
	assert_int_equal(est, 1);
	assert_true(lo <= 1 && hi >= 1);
	ts_hit_t h;
	assert_int_equal(ts_mset_hit(r, m, 0, &h), TS_OK);
	assert_int_equal(h.docid, 1);
	assert_int_equal(ts_mset_docid(m, 0), 1);
	assert_int_equal(h.rank, 0);
	assert_true(h.weight > 0);
	/* Term frequencies: the query's from the search, any other looked up. */
	uint32_t tf;
	assert_int_equal(ts_mset_termfreq(r, m, "tariff", 6, &tf), TS_OK);
	assert_int_equal(tf, 1);
	assert_int_equal(ts_mset_termfreq(r, m, "japan", 5, &tf), TS_OK);
	assert_int_equal(tf, 2);
	assert_int_equal(ts_mset_termfreq(r, m, "nothing", 7, &tf), TS_OK);
	assert_int_equal(tf, 0);
	assert_int_equal(h.datalen, 18);
	assert_memory_equal(h.data, "doc one\0with a NUL", 18);
	memset(&s, 0, sizeof s);
	assert_int_equal(ts_mset_matching_terms(r, m, 0, add_term, &s), TS_OK);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.items[0], "tariff");
	assert_int_equal(ts_mset_hit(r, m, 1, &h), TS_EINVAL);
	assert_int_equal(ts_mset_matching_terms(r, m, 1, add_term, &s), TS_EINVAL);
	ts_mset_free(m);
	ts_query_free(q);

	assert_string_equal(hits(r, "japan", &o, TS_SORT_RELEVANCE), "doc one|doc two");
	assert_string_equal(hits(r, "Japan steel", &o, TS_SORT_RELEVANCE), "doc two");
	assert_string_equal(hits(r, "japan OR invest", &o, TS_SORT_RELEVANCE),
	                    "doc one|doc three|doc two");
	assert_string_equal(hits(r, "japan AND NOT steel", &o, TS_SORT_RELEVANCE), "doc one");
	assert_string_equal(hits(r, "japan -steel", &o, TS_SORT_RELEVANCE), "doc one");
	assert_string_equal(hits(r, "\"tariff japan\"", &o, TS_SORT_RELEVANCE), "doc one");
	assert_string_equal(hits(r, "\"japan tariff\"", &o, TS_SORT_RELEVANCE), "");
	assert_string_equal(hits(r, "title:japan", &o, TS_SORT_RELEVANCE), "doc two");
	assert_string_equal(hits(r, "japan type:news", &o, TS_SORT_RELEVANCE), "doc one|doc two");
	assert_string_equal(hits(r, "japan type:blog", &o, TS_SORT_RELEVANCE), "");
	assert_string_equal(hits(r, "japan in:corpus/trade", &o, TS_SORT_RELEVANCE), "doc one");
	assert_string_equal(hits(r, "tar*", &o, TS_SORT_RELEVANCE), "doc one");
	assert_string_equal(hits(r, "NOT japan", &o, TS_SORT_RELEVANCE), "doc three");
	/* Sorting by date. */
	assert_string_equal(hits(r, "japan OR invest", &o, TS_SORT_DATE_ASC),
	                    "doc two|doc one|doc three");
	assert_string_equal(hits(r, "japan OR invest", &o, TS_SORT_DATE_DESC),
	                    "doc three|doc one|doc two");

	/* Syntax errors are TS_EQUERY with a message, and no query. */
	static const char *const bad[] = {"AND", "japan AND", "OR japan", "japan AND OR steel"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		q = (ts_query_t *)&q;
		ts_status_t st = ts_query_parse(r, bad[i], strlen(bad[i]), &o, &q);
		if (st != TS_EQUERY)
			fail_msg("'%s': %s, wanted a query error", bad[i], ts_status_str(st));
		assert_null(q);
		assert_true(strlen(ts_reader_error(r)) > 0);
	}

	ts_stemmer_free(en);
	ts_reader_free(r);
}

static void test_date_ranges(void **state)
{
	(void)state;
	const char *path = tu_tmp("db-dates");
	ts_writer_t *w = open_writer(path, TS_WRITER_CREATE);
	static const char *const dates[] = {"20231215", "20240101",       "20240615",
	                                    "20250101", "20251231143000", "20260105"};
	assert_int_equal(ts_writer_begin(w), TS_OK);
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		ts_doc_t *d = doc_of("news", dates[i], dates[i]);
		assert_int_equal(ts_writer_add(w, d), TS_OK);
		ts_doc_free(d);
	}
	/* One document without a date. */
	ts_doc_t *d = doc_of("news", NULL, "undated");
	assert_int_equal(ts_writer_add(w, d), TS_OK);
	ts_doc_free(d);
	assert_int_equal(ts_writer_commit_tx(w), TS_OK);
	ts_writer_free(w);

	ts_reader_t *r = open_reader(path);
	ts_query_opts_t o = query_opts(NULL, TS_Q_BOOLEAN | TS_Q_PHRASE);
	assert_string_equal(hits(r, "date:2024..2025", &o, TS_SORT_RELEVANCE),
	                    "20240101|20240615|20250101|20251231143000");
	assert_string_equal(hits(r, "date:..2024", &o, TS_SORT_RELEVANCE),
	                    "20231215|20240101|20240615");
	assert_string_equal(hits(r, "date:2025..", &o, TS_SORT_RELEVANCE),
	                    "20250101|20251231143000|20260105");
	assert_string_equal(hits(r, "date:2025..2025", &o, TS_SORT_RELEVANCE),
	                    "20250101|20251231143000");
	assert_string_equal(hits(r, "date:2024-06..2025-01", &o, TS_SORT_RELEVANCE),
	                    "20240615|20250101");
	assert_string_equal(hits(r, "date:2024-01-01..2024-01-01", &o, TS_SORT_RELEVANCE),
	                    "20240101");
	assert_string_equal(hits(r, "news date:2026..", &o, TS_SORT_RELEVANCE), "20260105");
	assert_string_equal(hits(r, "news", &o, TS_SORT_DATE_ASC),
	                    "undated|20231215|20240101|20240615|20250101|20251231143000|20260105");
	/* A malformed range is a query error, not a silent empty result. */
	ts_query_t *q = NULL;
	assert_int_equal(ts_query_parse(r, "date:abc..2025", 14, &o, &q), TS_EQUERY);
	assert_null(q);
	ts_reader_free(r);
}

/* ====================================================================== */
/* Errors                                                                  */
/* ====================================================================== */

/*
 * Opening PATH fails, as a database and as a database folder alike, with
 * status A or B and a message, which holds SAYS when not NULL.
 */
static void open_fails(const char *path, ts_status_t a, ts_status_t b, const char *says)
{
	for (int folder = 0; folder < 2; folder++) {
		ts_reader_t *r;
		assert_int_equal(ts_reader_new(&r), TS_OK);
		assert_string_equal(ts_reader_error(r), "");
		ts_status_t st = folder ? ts_reader_open_folder(r, path) : ts_reader_open(r, path);
		if (st != a && st != b)
			fail_msg("opening '%s'%s: %s (%s)", path, folder ? " as a folder" : "",
			         ts_status_str(st), ts_reader_error(r));
		assert_true(strlen(ts_reader_error(r)) > 0);
		if (says && !strstr(ts_reader_error(r), says))
			fail_msg("opening '%s': '%s' says no '%s'", path, ts_reader_error(r), says);
		ts_reader_free(r);
	}
}

static void test_open_errors(void **state)
{
	(void)state;
	char path[300];
	snprintf(path, sizeof path, "%s", tu_tmp("does-not-exist"));
	open_fails(path, TS_ENOENT, TS_ECORRUPT, NULL);

	/* A folder of another kind than glass: Xapian says what it is. */
	snprintf(path, sizeof path, "%s", tu_tmp("other-kind"));
	assert_int_equal(mkdir(path, 0700), 0);
	char file[320];
	snprintf(file, sizeof file, "%s/iamchert", path);
	FILE *f = fopen(file, "wb");
	assert_non_null(f);
	fclose(f);
	open_fails(path, TS_ECORRUPT, TS_EVERSION, "hert");

	/* A folder that claims to be a glass database but holds junk. */
	char junk[300];
	snprintf(junk, sizeof junk, "%s", tu_tmp("junk"));
	assert_int_equal(mkdir(junk, 0700), 0);
	snprintf(file, sizeof file, "%s/iamglass", junk);
	f = fopen(file, "wb");
	assert_non_null(f);
	fputs("this is not a glass version file, just junk\n", f);
	fclose(f);
	open_fails(junk, TS_ECORRUPT, TS_EVERSION, NULL);

	ts_status_t st;
	/* A writer on junk fails too, and keeps its message. */
	ts_writer_t *w;
	assert_int_equal(ts_writer_new(&w), TS_OK);
	st = ts_writer_open(w, junk, 0);
	if (st != TS_ECORRUPT && st != TS_EVERSION)
		fail_msg("writer on junk database: %s (%s)", ts_status_str(st), ts_writer_error(w));
	assert_true(strlen(ts_writer_error(w)) > 0);
	ts_writer_free(w);

	/* A writer without CREATE on a missing path. */
	assert_int_equal(ts_writer_new(&w), TS_OK);
	st = ts_writer_open(w, tu_tmp("missing-for-writer"), 0);
	if (st != TS_ENOENT && st != TS_ECORRUPT)
		fail_msg("writer on missing database: %s", ts_status_str(st));
	assert_true(strlen(ts_writer_error(w)) > 0);
	ts_writer_free(w);
}

static void test_second_writer_locked(void **state)
{
	(void)state;
	const char *path = tu_tmp("db-lock");
	ts_writer_t *w1 = open_writer(path, TS_WRITER_CREATE);
	ts_writer_t *w2;
	assert_int_equal(ts_writer_new(&w2), TS_OK);
	assert_int_equal(ts_writer_open(w2, path, TS_WRITER_CREATE), TS_ELOCKED);
	assert_true(strlen(ts_writer_error(w2)) > 0);
	ts_writer_free(w2);
	/* A reader is not blocked by the writer. */
	ts_reader_t *r = open_reader(path);
	ts_reader_free(r);
	/* Once the first writer is gone, the lock is free. */
	ts_writer_free(w1);
	w2 = open_writer(path, 0);
	ts_writer_free(w2);
}

/*
 * Queries of a simple form (plain words, one AND or OR between words, one
 * "phrase", one prefix*) are made without Xapian's QueryParser; the query
 * must be the one the parser makes (TS_Q_PARSER), parameters and all
 * (ts_query_same), under each set of flags, either default operator and
 * with or without a wildcard limit; whatever is not of those forms is left
 * to the parser.
 */
static void test_simple_queries_as_parser(void **state)
{
	(void)state;
	const char *path = tu_tmp("db-read");
	write_three(path);
	ts_reader_t *r = open_reader(path);
	ts_stemmer_t *en;
	assert_int_equal(ts_stemmer_new("english", &en), TS_OK);
	static const char *const queries[] = {"tariffs",
	                                      "Tariffs Japan",
	                                      "tariffs  japan steel",
	                                      "japan japan",
	                                      "B52 2025 1st",
	                                      "TARIFFS ON CARS",
	                                      "Running runs ran",
	                                      " padded  words ",
	                                      "and",
	                                      "steel AND japan",
	                                      "steel or japan",
	                                      "trade NEAR deal",
	                                      "tariff*",
	                                      "\"trade deal\"",
	                                      "title:japan steel",
	                                      "-steel japan",
	                                      "steel, japan",
	                                      "e-mail",
	                                      "caf\xc3\xa9 japan",
	                                      "x",
	                                      "a AND b AND c",
	                                      "a OR b OR c",
	                                      "a OR b AND c",
	                                      "a AND b OR c",
	                                      "a AND",
	                                      "AND b",
	                                      "a AND AND b",
	                                      "a And b",
	                                      "a and b and c",
	                                      "Steel OR Japan",
	                                      "x AND y z",
	                                      "NOT steel",
	                                      "steel NOT japan",
	                                      "steel XOR japan",
	                                      "\"steel\"",
	                                      "\"a b c\"",
	                                      "\"x y",
	                                      "x y\"",
	                                      "\" x y\"",
	                                      "\"x y \"",
	                                      "\"\"",
	                                      "\"",
	                                      "*",
	                                      "Tari*",
	                                      "a*b",
	                                      "a b*",
	                                      "2025*",
	                                      "\"war and peace\"",
	                                      "\"x y\" z",
	                                      "  \"trade  deal\"  ",
	                                      "steel AND japan*",
	                                      "japan OR"};
	static const unsigned flagsets[] = {
	    TS_Q_BOOLEAN | TS_Q_PHRASE | TS_Q_LOVEHATE | TS_Q_WILDCARD | TS_Q_PURE_NOT,
	    TS_Q_PHRASE | TS_Q_WILDCARD, 0,
	    TS_Q_BOOLEAN | TS_Q_ANY_CASE | TS_Q_PHRASE | TS_Q_WILDCARD};
	for (size_t f = 0; f < sizeof flagsets / sizeof *flagsets; f++) {
		for (int and_ = 0; and_ < 2; and_++) {
			for (unsigned limit = 0; limit <= 1000; limit += 1000) {
				for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
					const char *text = queries[i];
					ts_query_opts_t o = query_opts(en, flagsets[f]);
					o.default_and = and_;
					o.max_wildcard = limit;
					ts_query_t *fast = NULL, *parsed = NULL;
					ts_status_t a =
					    ts_query_parse(r, text, strlen(text), &o, &fast);
					o.flags |= TS_Q_PARSER;
					ts_status_t b =
					    ts_query_parse(r, text, strlen(text), &o, &parsed);
					if (a != b || (fast && !ts_query_same(fast, parsed)))
						fail_msg("'%s' (flags %u, %s, limit %u): %s, the "
						         "parser: %s",
						         text, flagsets[f], and_ ? "AND" : "OR",
						         limit,
						         fast ? ts_query_describe(fast)
						              : ts_status_str(a),
						         parsed ? ts_query_describe(parsed)
						                : ts_status_str(b));
					ts_query_free(fast);
					ts_query_free(parsed);
				}
			}
		}
	}
	/* ts_query_same tells queries apart by what the description leaves out. */
	ts_query_opts_t o = query_opts(en, TS_Q_WILDCARD);
	ts_query_t *limited, *unlimited;
	o.max_wildcard = 10;
	assert_int_equal(ts_query_parse(r, "tar*", 4, &o, &limited), TS_OK);
	o.max_wildcard = 0;
	assert_int_equal(ts_query_parse(r, "tar*", 4, &o, &unlimited), TS_OK);
	assert_string_equal(ts_query_describe(limited), ts_query_describe(unlimited));
	assert_false(ts_query_same(limited, unlimited));
	assert_true(ts_query_same(limited, limited));
	ts_query_free(limited);
	ts_query_free(unlimited);
	ts_stemmer_free(en);
	ts_reader_free(r);
}

/*
 * Document data comes back byte for byte, and is stored as it is: 64 KiB
 * that deflate would shrink to a few bytes still take 64 KiB of the
 * docdata table (Xapian inflating it for every hit is what whitening
 * avoids).
 */
static void test_data_stored_whole(void **state)
{
	(void)state;
	enum {
		N = 65536
	};
	char *data = malloc(N);
	assert_non_null(data);
	for (size_t i = 0; i < N; i++)
		data[i] = (char)("abc\0"[i % 4]);
	const char *path = tu_tmp("db-data");
	ts_writer_t *w = open_writer(path, TS_WRITER_CREATE | TS_WRITER_OVERWRITE);
	ts_doc_t *d = doc_of("alpha", NULL, "");
	assert_int_equal(ts_doc_set_data(d, data, N), TS_OK);
	assert_int_equal(ts_writer_add(w, d), TS_OK);
	assert_int_equal(ts_writer_commit(w), TS_OK);
	ts_doc_free(d);
	ts_writer_free(w);

	char table[512];
	snprintf(table, sizeof table, "%s/docdata.glass", path);
	struct stat st;
	assert_int_equal(stat(table, &st), 0);
	assert_true(st.st_size >= N);

	ts_reader_t *r = open_reader(path);
	ts_stemmer_t *en;
	assert_int_equal(ts_stemmer_new("english", &en), TS_OK);
	ts_query_opts_t o = query_opts(en, 0);
	ts_query_t *q;
	assert_int_equal(ts_query_parse(r, "alpha", 5, &o, &q), TS_OK);
	ts_search_opts_t so;
	memset(&so, 0, sizeof so);
	so.limit = 1;
	ts_mset_t *m;
	assert_int_equal(ts_reader_search(r, q, &so, &m), TS_OK);
	ts_hit_t h;
	assert_int_equal(ts_mset_hit(r, m, 0, &h), TS_OK);
	assert_int_equal(h.datalen, N);
	assert_memory_equal(h.data, data, N);
	ts_mset_free(m);
	ts_query_free(q);
	ts_stemmer_free(en);
	ts_reader_free(r);
	free(data);
}

/* An index of another format is refused with a message asking for a rebuild. */
static void test_index_format(void **state)
{
	(void)state;
	for (int current = 0; current < 2; current++) {
		const char *path = tu_tmp(current ? "db-fmt-now" : "db-fmt-old");
		ts_writer_t *w = open_writer(path, TS_WRITER_CREATE | TS_WRITER_OVERWRITE);
		char fmt[16];
		snprintf(fmt, sizeof fmt, "%d", current ? TS_INDEX_FORMAT : TS_INDEX_FORMAT - 1);
		assert_int_equal(ts_writer_set_metadata(w, TS_META_FORMAT, fmt, strlen(fmt)),
		                 TS_OK);
		assert_int_equal(ts_writer_set_metadata(w, TS_META_SCHEME, TS_INDEX_SCHEME,
		                                        strlen(TS_INDEX_SCHEME)),
		                 TS_OK);
		assert_int_equal(ts_writer_set_metadata(w, TS_META_LANGUAGE, "english", 7), TS_OK);
		assert_int_equal(ts_writer_commit(w), TS_OK);
		ts_writer_free(w);
		searcher_t *s = NULL;
		char *err = NULL;
		ts_status_t st = searcher_open(path, &s, &err);
		if (current) {
			assert_int_equal(st, TS_OK);
			assert_non_null(s);
		} else {
			assert_int_equal(st, TS_EVERSION);
			assert_null(s);
			assert_non_null(err);
			char want[64];
			snprintf(want, sizeof want, "has format %d", TS_INDEX_FORMAT - 1);
			assert_non_null(strstr(err, want));
			assert_non_null(strstr(err, "--rebuild"));
		}
		free(err);
		searcher_free(s);
	}
}

static void test_compact(void **state)
{
	(void)state;
	const char *a = tu_tmp("db-a");
	ts_writer_t *w = open_writer(a, TS_WRITER_CREATE);
	for (int i = 0; i < 2; i++) {
		ts_doc_t *d = doc_of("alpha", NULL, "a");
		assert_int_equal(ts_writer_add(w, d), TS_OK);
		ts_doc_free(d);
	}
	ts_writer_free(w);
	const char *b = tu_tmp("db-b");
	w = open_writer(b, TS_WRITER_CREATE | TS_WRITER_NO_SYNC);
	for (int i = 0; i < 3; i++) {
		ts_doc_t *d = doc_of("beta alpha", NULL, "b");
		assert_int_equal(ts_writer_add(w, d), TS_OK);
		ts_doc_free(d);
	}
	ts_writer_free(w);

	char srca[256], srcb[256];
	snprintf(srca, sizeof srca, "%s", tu_tmp("db-a"));
	snprintf(srcb, sizeof srcb, "%s", tu_tmp("db-b"));
	const char *const srcs[] = {srca, srcb};
	char err[256] = "";
	ts_status_t st = ts_compact(srcs, 2, tu_tmp("db-ab"), err, sizeof err);
	if (st)
		fail_msg("compact: %s (%s)", ts_status_str(st), err);
	ts_reader_t *r = open_reader(tu_tmp("db-ab"));
	uint32_t n;
	assert_int_equal(ts_reader_doccount(r, &n), TS_OK);
	assert_int_equal(n, 5);
	assert_int_equal(ts_reader_termfreq(r, "alpha", 5, &n), TS_OK);
	assert_int_equal(n, 5);
	assert_int_equal(ts_reader_termfreq(r, "beta", 4, &n), TS_OK);
	assert_int_equal(n, 3);
	ts_reader_free(r);

	/* A missing source: a failure with a message. */
	const char *const missing[] = {srca, tu_tmp("db-none")};
	err[0] = '\0';
	assert_int_not_equal(ts_compact(missing, 2, tu_tmp("db-x"), err, sizeof err), TS_OK);
	assert_true(strlen(err) > 0);
}

static void test_version(void **state)
{
	(void)state;
	const char *v = ts_xapian_version();
	assert_non_null(v);
	assert_true(v[0] >= '1' && v[0] <= '9');
	assert_non_null(strchr(v, '.'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_write_and_read),
	    cmocka_unit_test(test_transactions),
	    cmocka_unit_test(test_parse_and_search),
	    cmocka_unit_test(test_date_ranges),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_second_writer_locked),
	    cmocka_unit_test(test_simple_queries_as_parser),
	    cmocka_unit_test(test_data_stored_whole),
	    cmocka_unit_test(test_index_format),
	    cmocka_unit_test(test_compact),
	    cmocka_unit_test(test_version),
	};
	return cmocka_run_group_tests_name("xapian_wrap", tests, setup, teardown);
}
