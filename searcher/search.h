/*
 * search.h - run one query against the index and gather what is shown:
 * hits with their stored fields, the best passage of each with the matching
 * words highlighted, and (on request) how each term scored.
 */
#ifndef TS_SEARCH_H
#define TS_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "buf.h"
#include "docdata.h"
#include "snippet.h"
#include "xapian_wrap.h"

typedef struct search_opts {
	int default_and; /* --all */
	uint32_t offset, limit;
	ts_sort_t sort;
	size_t snippet_length; /* bytes, about */
	unsigned context;      /* extra passages per hit */
	int snippets;          /* build snippets at all */
	int title_marks;       /* with them, mark the title's matching words */
	int explain;           /* gather per-term contributions */
	int spelling;          /* run the corrected query when there is one */
	double k1, b;          /* BM25 */
	int exact_count;       /* count every match (--count), not an estimate */
	int suggest;           /* look for a better spelling when few articles match */
	int names_only;        /* only paths and locators are shown (TREC, --paths) */
	int expand;            /* query expansion: 1 always, 0 never, -1 prose queries */
	int stopwords;         /* drop stop words from prose queries */
	unsigned fb_docs;      /* expansion: top hits taken as relevant */
	unsigned fb_terms;     /* expansion: terms added */
	double fb_weight;      /* expansion: weight of the added terms */
	const char *fb_scheme; /* expansion: "trad" or "bo1" */
} search_opts_t;

typedef struct hit_view {
	uint32_t rank; /* 1-based */
	double score;
	uint32_t docid;
	char *blob;           /* owned copy of the document data */
	ts_docdata_t doc;     /* fields borrow from blob */
	ts_snippet_t title;   /* title, highlighted */
	ts_snippet_t snippet; /* best passage(s), highlighted */
	ts_buf_t explain;     /* "term: ..." lines when explaining */
} hit_view_t;

typedef struct result_view {
	uint32_t total;   /* estimated matches */
	hit_view_t *hits; /* owned */
	size_t nhits;
	char *corrected;    /* owned: "did you mean" query, or NULL */
	int used_corrected; /* the hits are for the corrected query */
	char note[200];     /* a note for stderr ("" when none) */
} result_view_t;

typedef struct searcher searcher_t;

/*
 * Open the index at PATH. On failure *ERR says why (malloc'd) and the status
 * says which kind of failure (TS_ENOENT, TS_ECORRUPT, TS_EVERSION, ...).
 */
ts_status_t searcher_open(const char *path, searcher_t **out, char **err);
void searcher_free(searcher_t *s);

/*
 * Run QUERY/LEN. On failure ERR (ERRLEN bytes) says what is wrong:
 * TS_EQUERY / TS_ETOOBIG for the query, others for the index. An index
 * changed by a writer meanwhile is reopened and the query run again, so the
 * view always comes from one committed state of the index.
 */
ts_status_t searcher_run(searcher_t *s, const char *query, size_t len, const search_opts_t *o,
                         result_view_t *view, char *err, size_t errlen);

void result_view_release(result_view_t *v);

#endif
