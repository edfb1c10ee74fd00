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
#include "textstore.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Positions: the title starts at 1; blocks are separated by this gap so that
 * no phrase or NEAR match spans two of them. */
#define TS_POS_TITLE 1
#define TS_POS_GAP   64

typedef struct ts_docdata_block {
	ts_texts_block_t at; /* as the record has it: first position, offset and length of
	                        its text, kind (ts_block_kind_t), its token table */
	const char *text;    /* borrowed from the record (not NUL-terminated); NULL when
	                        the record was read without its texts (ts_texts_read) */
} ts_docdata_block_t;

typedef struct ts_docdata {
	/* All borrowed from the encoded data, NUL-terminated, "" when unknown. */
	const char *path, *locator, *title, *author, *date, *type, *link, *language;
	ts_docdata_block_t *blocks; /* owned array, from the record (ts_docdata_load_blocks) */
	size_t nblocks;
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
 * alive); no blocks until ts_docdata_load_blocks. TS_ECORRUPT when the
 * data is not a valid record. Release with ts_docdata_release.
 */
ts_status_t ts_docdata_decode(const char *data, size_t len, ts_docdata_t *out);

/* The blocks of D from its record R in the text store, texts included. */
ts_status_t ts_docdata_load_blocks(ts_docdata_t *d, const ts_texts_record_t *r);

void ts_docdata_release(ts_docdata_t *d);

/*
 * Index of the block holding position POS (the last block for any position
 * after its start: blocks record no end), or -1 before the first block (the
 * title); looked for forward from block FROM (-1: from the start), which
 * must not start after POS. Ascending positions walk the blocks once.
 */
long ts_docdata_block_from(const ts_docdata_t *d, long from, uint32_t pos);

#ifdef __cplusplus
}
#endif

#endif
