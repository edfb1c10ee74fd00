/*
 * snippet.h - the best passage of a text, with its matching words marked.
 *
 * Pure: works on the text of one block (a paragraph or a title) and a set
 * of match terms, through the project's analyzer, so a word matches when
 * its stem is a query term (stem matches), or when its folded form or stem
 * starts with a wildcard prefix. Output offsets are byte offsets into the
 * snippet text, which is cut on word boundaries (never inside a UTF-8
 * sequence) with "…" where text was left out.
 */
#ifndef TS_SNIPPET_H
#define TS_SNIPPET_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "buf.h"
#include "status.h"
#include "textstore.h"

#define TS_SNIPPET_MAX_TERMS 64

typedef struct ts_match_term {
	const char *text; /* a stem, or a folded prefix (borrowed) */
	size_t len;
	double weight; /* importance (rarity) of the term, > 0 */
	int prefix;    /* match words starting with text (wildcards) */
} ts_match_term_t;

typedef struct ts_match_set {
	ts_match_term_t terms[TS_SNIPPET_MAX_TERMS];
	size_t count;
	ts_stemmer_t *stemmer;     /* borrowed; the index's stemmer */
	unsigned char firsts[128]; /* ASCII bytes that start a term (ts_match_add) */
} ts_match_set_t;

/* Add a term (a no-op past TS_SNIPPET_MAX_TERMS or when already there). */
void ts_match_add(ts_match_set_t *set, const char *text, size_t len, double weight, int prefix);

typedef struct ts_span {
	size_t start, end; /* byte offsets in the snippet text, end exclusive */
} ts_span_t;

typedef struct ts_snippet {
	ts_buf_t text;    /* the snippet text */
	ts_span_t *spans; /* owned; highlighted ranges, ascending, not overlapping */
	size_t nspans;
	size_t capspans;
	double score; /* sum of the weights of the distinct terms shown */
} ts_snippet_t;

/*
 * Build the snippet of TEXT/LEN: the window of about TARGET bytes (0: the
 * whole text) holding the most distinct match terms, weighted, cut on word
 * boundaries; the result is appended to OUT (its text and spans; a
 * separator is the caller's business). Adjacent highlighted words separated
 * only by spaces form one span (a phrase shows as one).
 */
ts_status_t ts_snippet_build(const char *text, size_t len, const ts_match_set_t *set, size_t target,
                             ts_snippet_t *out);

/* A match the index knows: token number INDEX of a text (0-based, as
 * ts_tokenize counts them) is a word of term TERM of a match set. */
typedef struct ts_known_match {
	uint32_t index;
	int term;
} ts_known_match_t;

/*
 * As ts_snippet_build, but the matching words are known: MATCHES[0..N-1],
 * ascending by index (from the positions the index keeps for the text).
 * TEXT is the text store's block B, followed by its token table, which says
 * where the words are: nothing is tokenized or stemmed, and only the words
 * a passage around the best window of matches can take are read.
 * TS_ECORRUPT when the table is damaged, TS_EINVAL without a block.
 */
ts_status_t ts_snippet_build_known(const char *text, size_t len, const ts_match_set_t *set,
                                   const ts_known_match_t *matches, size_t n,
                                   const ts_texts_block_t *b, size_t target, ts_snippet_t *out);

/*
 * End the passage in OUT and start another: " … " between them, which also
 * stands for the cut at the end of the one and at the start of the other
 * (no "… … …").
 */
ts_status_t ts_snippet_separate(ts_snippet_t *out);

/* Append plain TEXT (no highlights) to OUT. */
ts_status_t ts_snippet_append_plain(ts_snippet_t *out, const char *text, size_t len);

void ts_snippet_clear(ts_snippet_t *s);
void ts_snippet_release(ts_snippet_t *s);

#endif
