/*
 * query.h - from what a person typed to what Xapian's QueryParser reads.
 *
 * Before parsing, a query is cleaned (control characters and invalid UTF-8
 * made harmless), bounded (length, words, bracket depth), checked for
 * broken syntax (unbalanced quotes or brackets, dangling operators), and
 * read as prose when it is shouted: a query without lower-case letters is
 * lowered, so that its words are words, not operators ("AND" in
 * "MEASUREMENT OF X AND Y"), unless operators are dense enough that it is
 * clearly Boolean ("TARIFFS AND JAPAN"). Year and month shorthands become
 * ranges ("date:2025" -> "date:2025..2025").
 */
#ifndef TS_QUERY_H
#define TS_QUERY_H

#include <stddef.h>

#include "analyze.h"
#include "buf.h"
#include "status.h"

#define QUERY_MAX_BYTES    16384 /* longest query accepted */
#define QUERY_MAX_WORDS    1024  /* most words in a query */
#define QUERY_MAX_DEPTH    32    /* deepest bracket nesting */
#define QUERY_MAX_PREFIXES 16    /* wildcards remembered for highlighting */

typedef struct query_prep {
	ts_buf_t text;                      /* the query to parse */
	int plain;                          /* syntax was broken: parse as plain words */
	int prose;                          /* shouted prose: lowered, operators off */
	char problem[160];                  /* what was wrong with the syntax (when plain) */
	char *prefixes[QUERY_MAX_PREFIXES]; /* owned; folded wildcard prefixes */
	size_t nprefixes;
} query_prep_t;

/*
 * Prepare QUERY/LEN into OUT. TS_ETOOBIG (with ERR filled) when a limit is
 * exceeded, TS_EQUERY when nothing searchable is left.
 */
ts_status_t query_prepare(const char *query, size_t len, query_prep_t *out, char *err,
                          size_t errlen);

/* Turn OUT's text into plain words (the retry after a syntax error). */
void query_make_plain(query_prep_t *out);

/*
 * Call FN for each word of P's text that a better spelling may replace, as
 * the tokenizer finds them: words the spelling table may hold
 * (ts_spelling_word) that are not operators, field names or values
 * ("title:x", "in:a/b", "author:\"a b\""), or wildcards ("tari*").
 * Returns the first non-zero value FN returned, or 0.
 */
int query_each_spellable(const query_prep_t *p, ts_token_fn fn, void *ctx);

void query_prep_release(query_prep_t *p);

#endif
