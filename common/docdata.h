/*
 * docdata.h - what each Xapian document keeps for showing results.
 *
 * The document data holds everything the searcher prints without reading
 * the source file again: path, item locator, title, author, date, type,
 * link, language, and the text of every block with the term position it
 * starts at (so the snippet builder can go straight to the blocks where
 * the matches are).
 *
 * Encoding (version 1):
 *   byte    version ('1')
 *   8 x     NUL-terminated strings: path, locator, title, author, date,
 *           type, link, language ("" when unknown)
 *   varint  number of blocks
 *   blocks: byte kind, varint start position, varint length, text, NUL
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

typedef struct ts_docdata_block {
	int kind;         /* ts_block_kind_t */
	uint32_t pos;     /* position of the block's first token */
	const char *text; /* borrowed from the encoded data, NUL-terminated */
	size_t len;
} ts_docdata_block_t;

typedef struct ts_docdata {
	/* All borrowed from the encoded data, NUL-terminated, "" when unknown. */
	const char *path, *locator, *title, *author, *date, *type, *link, *language;
	ts_docdata_block_t *blocks; /* owned array */
	size_t nblocks;
} ts_docdata_t;

/*
 * Encode the record of article A, found at PATH, whose blocks start at the
 * positions POS[0..A->nblocks-1], into OUT (appended).
 */
ts_status_t ts_docdata_encode(const ts_article_t *a, const char *path, const uint32_t *pos,
                              ts_buf_t *out);

/*
 * Decode DATA/LEN into OUT, whose strings borrow from DATA (which must stay
 * alive). TS_ECORRUPT when the data is not a valid record. Release with
 * ts_docdata_release.
 */
ts_status_t ts_docdata_decode(const char *data, size_t len, ts_docdata_t *out);
void ts_docdata_release(ts_docdata_t *d);

/* Index of the block holding position POS (the last block for any position after
 * its start: blocks record no end), or -1 before the first block (the title). */
long ts_docdata_block_at(const ts_docdata_t *d, uint32_t pos);

#ifdef __cplusplus
}
#endif

#endif
