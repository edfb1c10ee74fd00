/*
 * docbuild.h - turn an article into a Xapian document (terms per terms.h,
 * data per docdata.h). Pure and per-thread: the workers call it in
 * parallel, each with its own docbuild_t.
 */
#ifndef TS_DOCBUILD_H
#define TS_DOCBUILD_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "article.h"
#include "buf.h"
#include "textstore.h"
#include "wordcount.h"
#include "xapian_wrap.h"

typedef struct docbuild {
	ts_stemmer_t *stemmer;     /* borrowed; this thread's */
	uint32_t title_wdf;        /* within-document frequency added per title word */
	wordcount_t *spelling;     /* borrowed; words for the spelling table, or NULL */
	ts_buf_t term;             /* scratch */
	ts_buf_t data;             /* scratch */
	ts_texts_builder_t texts;  /* scratch: the text store record */
	uint32_t *pos;             /* scratch: start position of each block */
	size_t poscap;             /* slots in pos */
	ts_tokenize_stats_t stats; /* tokens, invalid bytes, long tokens seen */
} docbuild_t;

/*
 * Build the document for article A of the file at REL (path relative to the
 * index root). *OUT is owned by the caller (ts_doc_free).
 */
ts_status_t docbuild_article(docbuild_t *b, const ts_article_t *a, const char *rel, ts_doc_t **out);

/* The term of the file at REL, which all its articles carry (into OUT). */
ts_status_t docbuild_file_term(ts_buf_t *out, const char *rel);

void docbuild_release(docbuild_t *b);

#endif
