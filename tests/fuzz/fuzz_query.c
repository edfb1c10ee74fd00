/*
 * fuzz_query.c - libFuzzer harness: a query, as typed, through query
 * preparation, Xapian's query parser and a search of a small real index.
 *
 * At start-up a small index is built in a temporary folder with the
 * indexer's own document builder and the writer API (a few articles with
 * titles, authors, dates, folders and a spelling table). Each input is then
 *  1. prepared (query_prepare), parsed with the searcher's flags (and again
 *     as plain words, the retry after a syntax error), and run, each hit
 *     read with its matching terms;
 *  2. run whole through searcher_run, with snippets, explain and spelling.
 * Nothing may crash, leak or hang; statuses must be ones the caller knows.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docbuild.h"
#include "extract.h"
#include "fuzz_util.h"
#include "indexdir.h"
#include "query.h"
#include "search.h"
#include "terms.h"
#include "wordcount.h"
#include "xapian_wrap.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * Xapian 1.4.22's QueryParser leaks 96 bytes when a query fails to parse
 * after an operator followed by NEAR/n or ADJ/n ("(AND NEAR/2 x)"); kept in
 * tests/fuzz/regressions/query/. Only allocations made inside Xapian's
 * parser are ignored: a leaked ts_query_t is still reported.
 */
const char *__lsan_default_suppressions(void)
{
	return "leak:Xapian::QueryParser::Internal::parse_query\n";
}

static char tmpdir[64];
static char dbpath[96];
static ts_reader_t *reader;
static ts_stemmer_t *stemmer;
static searcher_t *searcher;

static const ts_field_t fields[] = {
    {"title", TS_PREFIX_TITLE, 0}, {"author", TS_PREFIX_AUTHOR, 0}, {"in", TS_PREFIX_FOLDER, 1},
    {"type", TS_PREFIX_TYPE, 1},   {"lang", TS_PREFIX_LANG, 1},
};

static const struct {
	const char *path;
	ts_format_t format;
	const char *text;
} articles[] = {
    {"trade/japan-tariffs.txt", TS_FORMAT_TEXT,
     "US \xe2\x80\x93 Japan Trade Talks Resume\n"
     "By Mina Kessler\n"
     "2025-04-14\n\n"
     "Negotiators met in Tokyo to discuss tariffs on cars and steel. The trade deficit "
     "with Japan narrowed to $1,000 million in March.\n\n"
     "Ishiba said the U.S. tariffs would hurt exporters; the yen slid 2.5% after the "
     "announcement.\n"},
    {"industry/steel.html", TS_FORMAT_HTML,
     "<!DOCTYPE html><html lang=\"en\"><head><title>Green steel in Duisburg</title>"
     "<meta name=\"author\" content=\"Lena Vogt\">"
     "<meta property=\"article:published_time\" content=\"2025-02-07\"></head><body>"
     "<h1>Green steel in Duisburg</h1><p>Rheinstahl will build a hydrogen furnace; "
     "steelworkers welcomed the caf\xc3\xa9 talks.</p><p>Tariffs on Chinese steel "
     "remain.</p></body></html>"},
    {"feeds/markets.rss", TS_FORMAT_XML,
     "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Markets</title>"
     "<item><title>Soybean exports to Brazil</title><pubDate>Mon, 03 Mar 2025 10:00:00 "
     "GMT</pubDate><description>Brazilian soybean exports rose; traders cite "
     "tariffs.</description><guid>s1</guid></item>"
     "<item><title>\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae\xe8\xb2\xbf\xe6\x98\x93</title>"
     "<description>\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae\xe8\xb2\xbf\xe6\x98\x93\xe9\xbb"
     "\x92\xe5\xad\x97 Japan's exporters</description><guid>s2</guid></item>"
     "</channel></rss>"},
};

static ts_status_t add_spelling(void *ctx, const char *word, size_t len, uint32_t count)
{
	return ts_writer_add_spelling(ctx, word, len, count);
}

static void cleanup(void)
{
	searcher_free(searcher);
	ts_reader_free(reader);
	ts_stemmer_free(stemmer);
	if (*tmpdir)
		ts_indexdir_remove(tmpdir);
	ts_extract_cleanup();
}

static void die(const char *what, const char *msg)
{
	fprintf(stderr, "fuzz_query: cannot %s: %s\n", what, msg ? msg : "");
	abort();
}

/* Build the index at DBPATH. */
static void build_index(void)
{
	ts_writer_t *w = NULL;
	if (ts_writer_new(&w) || ts_writer_open(w, dbpath, TS_WRITER_CREATE | TS_WRITER_OVERWRITE))
		die("create the index", w ? ts_writer_error(w) : NULL);
	wordcount_t words = {0};
	docbuild_t b = {0};
	b.stemmer = stemmer;
	b.title_wdf = 3;
	b.spelling = &words;
	for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++) {
		ts_article_list_t list = {0};
		if (ts_extract(articles[i].format, articles[i].text, strlen(articles[i].text), NULL,
		               &list))
			die("extract", list.error);
		for (size_t k = 0; k < list.count; k++) {
			ts_doc_t *doc = NULL;
			if (docbuild_article(&b, &list.items[k], articles[i].path, &doc) ||
			    ts_writer_add(w, doc))
				die("add a document", ts_writer_error(w));
			ts_doc_free(doc);
		}
		ts_article_list_release(&list);
	}
	char num[16];
	snprintf(num, sizeof num, "%d", TS_INDEX_FORMAT);
	if (wc_each(&words, add_spelling, w) ||
	    ts_writer_set_metadata(w, TS_META_FORMAT, num, strlen(num)) ||
	    ts_writer_set_metadata(w, TS_META_LANGUAGE, "english", 7) ||
	    ts_writer_set_metadata(w, TS_META_SCHEME, TS_INDEX_SCHEME, strlen(TS_INDEX_SCHEME)) ||
	    ts_writer_commit(w))
		die("write the index", ts_writer_error(w));
	docbuild_release(&b);
	wc_release(&words);
	ts_writer_free(w);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ts_extract_init();
	const char *t = getenv("TMPDIR");
	snprintf(tmpdir, sizeof tmpdir, "%s/tsfuzz-XXXXXX", t && strlen(t) < 40 ? t : "/tmp");
	if (!mkdtemp(tmpdir))
		die("make a temporary folder", tmpdir);
	snprintf(dbpath, sizeof dbpath, "%s/db", tmpdir);
	atexit(cleanup);
	if (ts_stemmer_new("english", &stemmer))
		die("make a stemmer", "english");
	build_index();
	if (ts_reader_new(&reader) || ts_reader_open(reader, dbpath))
		die("open the index", reader ? ts_reader_error(reader) : NULL);
	char *err = NULL;
	if (searcher_open(dbpath, &searcher, &err))
		die("open the searcher", err);
	return 0;
}

static int count_term(void *ctx, const char *term, size_t len)
{
	FUZZ_CHECK(term != NULL || len == 0);
	(*(size_t *)ctx)++;
	return 0;
}

/* Parse the prepared text with FLAGS and run it; returns the parse status. */
static ts_status_t parse_and_run(const query_prep_t *prep, unsigned flags, int default_and)
{
	ts_query_opts_t qo = {0};
	qo.default_and = default_and;
	qo.flags = flags;
	qo.stemmer = stemmer;
	qo.fields = fields;
	qo.nfields = sizeof fields / sizeof fields[0];
	qo.date_slot = TS_SLOT_DATE;
	qo.date_field = "date";
	qo.max_wildcard = 1000;
	ts_query_t *q = NULL;
	ts_status_t st = ts_query_parse(reader, prep->text.data, prep->text.len, &qo, &q);
	FUZZ_CHECK(st == TS_OK || st == TS_EQUERY || st == TS_ENOMEM || st == TS_ETOOBIG ||
	           st == TS_EXAPIAN);
	if (st) {
		FUZZ_CHECK(q == NULL);
		FUZZ_CHECK(*ts_reader_error(reader));
		return st;
	}
	size_t nterms = 0;
	ts_query_terms(q, count_term, &nterms);
	/* Simple queries skip Xapian's parser: the query must be the parser's. */
	ts_query_t *parsed = NULL;
	qo.flags |= TS_Q_PARSER;
	if (ts_query_parse(reader, prep->text.data, prep->text.len, &qo, &parsed) == TS_OK) {
		FUZZ_CHECK(ts_query_same(q, parsed));
		ts_query_free(parsed);
	}
	qo.flags = flags;
	(void)ts_query_empty(q);
	ts_search_opts_t so = {0, 20, TS_SORT_RELEVANCE, TS_SLOT_DATE, 0, 0, 0};
	for (int sort = 0; sort < 2; sort++) {
		so.sort = sort ? TS_SORT_DATE_DESC : TS_SORT_RELEVANCE;
		ts_mset_t *m = NULL;
		ts_status_t rs = ts_reader_search(reader, q, &so, &m);
		FUZZ_CHECK(rs == TS_OK || rs == TS_EQUERY || rs == TS_ENOMEM || rs == TS_EXAPIAN);
		if (rs)
			continue;
		for (size_t i = 0; i < ts_mset_size(m); i++) {
			ts_hit_t hit;
			FUZZ_CHECK(ts_mset_hit(reader, m, i, &hit) == TS_OK);
			size_t n = 0;
			ts_mset_matching_terms(reader, m, i, count_term, &n);
		}
		ts_mset_free(m);
	}
	ts_query_free(q);
	return TS_OK;
}

/* A word to respell lies inside the query and is one the spelling table
 * may hold; the table answers for it. */
static int check_spellable(void *ctx, const ts_token_t *t)
{
	const query_prep_t *prep = ctx;
	FUZZ_CHECK(t->start < t->end && t->end <= prep->text.len);
	FUZZ_CHECK(ts_spelling_word(t->word, t->wordlen));
	char *better = NULL;
	ts_status_t st = ts_reader_spelling(reader, t->word, t->wordlen, &better);
	FUZZ_CHECK(st == TS_OK || st == TS_ENOMEM || st == TS_EXAPIAN);
	FUZZ_CHECK(!better || *better);
	free(better);
	return t->index >= 3; /* a few words are enough */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char err[200];
	query_prep_t prep;
	ts_status_t st = query_prepare(text, size, &prep, err, sizeof err);
	FUZZ_CHECK(st == TS_OK || st == TS_EQUERY || st == TS_ETOOBIG || st == TS_ENOMEM);
	if (st == TS_OK) {
		unsigned flags = prep.plain   ? 0
		                 : prep.prose ? TS_Q_PHRASE | TS_Q_WILDCARD
		                              : TS_Q_BOOLEAN | TS_Q_PHRASE | TS_Q_LOVEHATE |
		                                    TS_Q_WILDCARD | TS_Q_PURE_NOT;
		st = parse_and_run(&prep, flags, size & 1);
		query_each_spellable(&prep, check_spellable, &prep);
		if (st == TS_EQUERY && !prep.plain) {
			query_make_plain(&prep);
			parse_and_run(&prep, 0, 0);
		}
	}
	query_prep_release(&prep);

	/* The whole searcher path: retries, snippets, explain, spelling. */
	search_opts_t o = {0};
	o.limit = 10;
	o.snippet_length = 160;
	o.context = 1;
	o.snippets = 1;
	o.title_marks = 1;
	o.explain = 1;
	o.spelling = 1;
	o.default_and = size & 1;
	result_view_t v;
	st = searcher_run(searcher, text, size, &o, &v, err, sizeof err);
	FUZZ_CHECK(st == TS_OK || st == TS_EQUERY || st == TS_ETOOBIG || st == TS_ENOMEM);
	if (st == TS_OK) {
		for (size_t i = 0; i < v.nhits; i++) {
			const ts_snippet_t *s = &v.hits[i].snippet;
			for (size_t k = 0; k < s->nspans; k++)
				FUZZ_CHECK(s->spans[k].start < s->spans[k].end &&
				           s->spans[k].end <= s->text.len &&
				           (!k || s->spans[k].start >= s->spans[k - 1].end));
			FUZZ_CHECK(fuzz_utf8_valid(s->text.data ? s->text.data : "", s->text.len));
		}
	}
	result_view_release(&v);
	return 0;
}
