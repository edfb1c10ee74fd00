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
 * the article's record in the text store (textstore.h), with the positions
 * of its terms, which a snippet reads instead of Xapian's position lists.
 * The texts of a short article (at most TS_TEXT_INLINE bytes in all) are
 * kept at the end of the data instead: scanning them costs less than
 * finding their record.
 *
 * Encoding of the data (version 3):
 *   byte    version ('3')
 *   8 x     NUL-terminated strings: path, locator, title, author, date,
 *           type, link, language ("" when unknown)
 *   varint  number of blocks
 *   blocks: byte kind, varint start position, varint offset of the text in
 *           the texts, varint length of the text
 *   varint  length of the texts (0: no texts, nothing follows)
 *   byte    'i': the texts follow, to the end of the data; or
 *           's': they are in the text store; the writer appends where
 *           (ts_doc_set_texts): varint file, varint offset, varint length
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

/* Bytes of text an article keeps in its data, at most (see above). */
#define TS_TEXT_INLINE 2048

typedef struct ts_docdata_block {
	int kind;         /* ts_block_kind_t */
	uint32_t pos;     /* position of the block's first token */
	uint32_t offset;  /* its text starts this many bytes into the texts */
	size_t len;       /* bytes of text */
	const char *text; /* borrowed once the texts are loaded (not NUL-terminated), or NULL */
} ts_docdata_block_t;

typedef struct ts_docdata {
	/* All borrowed from the encoded data, NUL-terminated, "" when unknown. */
	const char *path, *locator, *title, *author, *date, *type, *link, *language;
	ts_docdata_block_t *blocks; /* owned array */
	size_t nblocks;
	int text_inline; /* the texts came with the data: every block's text is set */
	int text_stored; /* they are in the text store, at: */
	uint32_t texts_file;
	uint64_t texts_offset, texts_len;
	size_t texts_total; /* bytes of texts of all blocks */
} ts_docdata_t;

/*
 * Encode the record of article A, found at PATH, whose blocks start at the
 * positions POS[0..A->nblocks-1], into OUT (appended). When its texts go
 * to the text store, the data ends with 's' and the writer appends where.
 */
ts_status_t ts_docdata_encode(const ts_article_t *a, const char *path, const uint32_t *pos,
                              ts_buf_t *out);

/* Does article A keep its texts in the text store (too long for its data)? */
int ts_docdata_texts_stored(const ts_article_t *a);

/*
 * Decode DATA/LEN into OUT, whose strings borrow from DATA (which must stay
 * alive); block texts are NULL until the caller loads the texts from the
 * text store (OUT->text_stored), unless the data holds them
 * (OUT->text_inline).
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
