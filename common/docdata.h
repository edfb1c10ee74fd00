/*
 * docdata.h - what each Xapian document keeps for showing results.
 *
 * The document data holds everything the searcher prints without reading
 * the source file again: path, item locator, title, author, date, type,
 * link, language, and for every block the term position it starts at (so
 * the snippet builder can go straight to the blocks where the matches are)
 * and where its text is.
 *
 * The texts of a long article are not in the data: Xapian reads the data
 * whole, which for a long article costs more than the query. They are in
 * value slots TS_SLOT_TEXT, TS_SLOT_TEXT + 1, ...: chunks of the texts of
 * consecutive blocks, about TS_TEXT_CHUNK bytes each, stored as they are.
 * A snippet reads the chunk of its block, nothing else. The texts of a
 * short article (at most TS_TEXT_INLINE bytes in all) are its one chunk,
 * kept at the end of the data instead: reading a value and the positions
 * of the query's terms would cost more than reading and scanning them.
 *
 * Encoding of the data (version 2):
 *   byte    version ('2')
 *   8 x     NUL-terminated strings: path, locator, title, author, date,
 *           type, link, language ("" when unknown)
 *   varint  number of blocks
 *   blocks: byte kind, varint start position, varint chunk, varint offset
 *           of the text in the chunk, varint length of the text
 *   varint  length of the texts kept here: 0 when they are in values, else
 *           that many bytes follow, the texts of all blocks (chunk 0)
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

/* Value slots of the text chunks (TS_SLOT_TEXT + chunk number), and the
 * size a chunk is filled to, in bytes (a longer block is a chunk alone). */
#define TS_SLOT_TEXT   16
#define TS_TEXT_CHUNK  4096
#define TS_TEXT_INLINE 2048

typedef struct ts_docdata_block {
	int kind;         /* ts_block_kind_t */
	uint32_t pos;     /* position of the block's first token */
	uint32_t chunk;   /* its text is in value TS_SLOT_TEXT + chunk ... */
	uint32_t offset;  /* ... from this byte */
	size_t len;       /* bytes of text */
	const char *text; /* borrowed once its chunk is loaded (not NUL-terminated), or NULL */
} ts_docdata_block_t;

typedef struct ts_docdata {
	/* All borrowed from the encoded data, NUL-terminated, "" when unknown. */
	const char *path, *locator, *title, *author, *date, *type, *link, *language;
	ts_docdata_block_t *blocks; /* owned array */
	size_t nblocks;
	int text_inline; /* the texts came with the data: every block's text is set */
} ts_docdata_t;

/*
 * Encode the record of article A, found at PATH, whose blocks start at the
 * positions POS[0..A->nblocks-1], into OUT (appended).
 */
ts_status_t ts_docdata_encode(const ts_article_t *a, const char *path, const uint32_t *pos,
                              ts_buf_t *out);

/* Called with each text chunk of an article, in order; a status stops the calls. */
typedef ts_status_t (*ts_chunk_fn)(void *ctx, uint32_t chunk, const char *text, size_t len);

/*
 * Hand the text chunks of article A to FN (the layout ts_docdata_encode
 * records), using BUF as scratch. None for a short article, whose texts
 * ts_docdata_encode keeps in the data.
 */
ts_status_t ts_docdata_chunks(const ts_article_t *a, ts_buf_t *buf, ts_chunk_fn fn, void *ctx);

/* The number of text chunks of a decoded record (0 when it has no blocks). */
uint32_t ts_docdata_nchunks(const ts_docdata_t *d);

/*
 * Decode DATA/LEN into OUT, whose strings borrow from DATA (which must stay
 * alive); block texts are NULL until the caller loads their chunks, unless
 * the data holds them (OUT->text_inline).
 * TS_ECORRUPT when the data is not a valid record. Release with
 * ts_docdata_release.
 */
ts_status_t ts_docdata_decode(const char *data, size_t len, ts_docdata_t *out);
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
