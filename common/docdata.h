/*
 * docdata.h - what each Xapian document keeps for showing results.
 *
 * The document data holds what every result shows: path, item locator,
 * title, author, date, type, link, language. The blocks of the article,
 * the term position each starts at, their texts and where the terms are
 * in them, which only a snippet needs, are in the article's record in the
 * text store (textstore.h); the data ends with where that record is.
 * Xapian reads the data whole for every hit: it stays small.
 *
 * Encoding of the data (version 3):
 *   byte    version ('3')
 *   8 x     NUL-terminated strings: path, locator, title, author, date,
 *           type, link, language ("" when unknown)
 *   and, for an article with blocks:
 *   byte    's', then where its record is, which the writer appends
 *           (ts_doc_set_texts, ts_docdata_append_where): varint file,
 *           varint offset, varint length
 */
#ifndef TS_DOCDATA_H
#define TS_DOCDATA_H

#include <stddef.h>
#include <stdint.h>

#include "article.h"
#include "buf.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Positions: the title starts at 1; blocks are separated by this gap so that
 * no phrase or NEAR match spans two of them. */
#define TS_POS_TITLE 1
#define TS_POS_GAP   64

typedef struct ts_docdata {
	/* All borrowed from the encoded data, NUL-terminated, "" when unknown. */
	const char *path, *locator, *title, *author, *date, *type, *link, *language;
	int text_stored; /* the article has a record in the text store, at: */
	uint32_t texts_file;
	uint64_t texts_offset, texts_len;
} ts_docdata_t;

/*
 * Encode the data of article A, found at PATH, into OUT (appended). When A
 * has blocks, the data ends with 's' and the writer appends where its
 * record went.
 */
ts_status_t ts_docdata_encode(const ts_article_t *a, const char *path, ts_buf_t *out);

/* Append where an article's record is (after the data's 's'), as a writer does. */
ts_status_t ts_docdata_append_where(ts_buf_t *out, uint64_t file, uint64_t offset, uint64_t len);

/*
 * Decode DATA/LEN into OUT, whose strings borrow from DATA (which must stay
 * alive). TS_ECORRUPT when the data is not a valid record.
 */
ts_status_t ts_docdata_decode(const char *data, size_t len, ts_docdata_t *out);

#ifdef __cplusplus
}
#endif

#endif
