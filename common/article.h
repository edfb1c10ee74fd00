/*
 * article.h - the article model every extractor produces and the indexer
 * consumes.
 *
 * An article comes from one file (a text, HTML or single-article XML file)
 * or from one item of a file that holds many (an RSS/Atom feed item, one
 * element of a news-agency dump). All strings are valid UTF-8 with runs of
 * white space collapsed to one space and no leading or trailing space; the
 * setters below guarantee it whatever bytes they are given.
 */
#ifndef TS_ARTICLE_H
#define TS_ARTICLE_H

#include <stddef.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ts_block_kind {
	TS_BLOCK_HEADING = 1, /* a section heading */
	TS_BLOCK_PARA = 2     /* a paragraph of body text */
} ts_block_kind_t;

typedef struct ts_block {
	ts_block_kind_t kind;
	char *text; /* owned, NUL-terminated */
	size_t len; /* bytes, without the NUL */
} ts_block_t;

typedef struct ts_article {
	char *title;        /* owned; NULL when unknown */
	char *author;       /* owned; NULL when unknown */
	char *date;         /* owned; ISO 8601 ("2025-02-07" or with a time); NULL when unknown */
	char *locator;      /* owned; which item of a multi-article file ("item 3",
	                     * a guid or an id); NULL for a whole-file article */
	char *link;         /* owned; the item's URL for feed items; NULL otherwise */
	char *language;     /* owned; declared language ("en", "fr"); NULL when undeclared */
	const char *type;   /* static; "text", "html", "xml", "rss" or "atom" */
	ts_block_t *blocks; /* owned array of nblocks blocks, in reading order */
	size_t nblocks;
	size_t cap; /* allocated slots in blocks */
} ts_article_t;

typedef struct ts_article_list {
	ts_article_t *items; /* owned array of count articles */
	size_t count;
	size_t cap;
	size_t invalid_bytes; /* bytes of invalid UTF-8 replaced while extracting */
	char *error;          /* owned; why extraction failed, or NULL */
} ts_article_list_t;

/*
 * Append a new zeroed article to LIST and return it through OUT (borrowed:
 * valid until the next append or the list's release).
 */
ts_status_t ts_article_list_add(ts_article_list_t *list, ts_article_t **out);

/* Drop the last article of LIST (an item that turned out empty). */
void ts_article_list_pop(ts_article_list_t *list);

/* Record ERROR (printf-style) as the list's failure reason; keeps the first one. */
void ts_article_list_set_error(ts_article_list_t *list, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Free everything LIST owns and zero it; LIST itself is not freed. */
void ts_article_list_release(ts_article_list_t *list);

/*
 * Set one of an article's string fields (FIELD points at a char* member of
 * the article) to a normalized copy of TEXT/LEN: invalid UTF-8 replaced by
 * U+FFFD (counted in *INVALID when INVALID is not NULL), control characters
 * and white-space runs collapsed to one space, trimmed. An empty result
 * leaves the field NULL. An existing value is replaced.
 */
ts_status_t ts_article_set(char **field, const char *text, size_t len, size_t *invalid);

/*
 * Append a block of KIND holding a normalized copy of TEXT/LEN (as above).
 * A block that is empty after normalization is not added (TS_OK).
 */
ts_status_t ts_article_add_block(ts_article_t *a, ts_block_kind_t kind, const char *text,
                                 size_t len, size_t *invalid);

/*
 * Append a heading as ts_article_add_block does, unless it repeats TITLE
 * (ignoring case; TITLE may be NULL): a page's headline is its title.
 */
ts_status_t ts_article_add_heading(ts_article_t *a, const char *text, size_t len, const char *title,
                                   size_t *invalid);

/* Free everything A owns and zero it. */
void ts_article_release(ts_article_t *a);

#ifdef __cplusplus
}
#endif

#endif
