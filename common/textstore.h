/*
 * textstore.h - the texts of long articles, kept beside the Xapian database.
 *
 * A snippet needs, for each hit, the article's blocks, the positions of
 * the query's terms in it (they pick the best block) and the text of that
 * block. Read from Xapian, a fresh process pays for them in B-tree reads: a
 * position list and a value each start at the top of their table, about
 * seven 4 KiB preads a hit. So the indexer also writes them, for every
 * article with text, as one contiguous record of a plain file: the searcher
 * reads a record's head (blocks, term directory, positions) with a pread or
 * two and the text of the block it shows with another, and the block's
 * token table says where its words are, so nothing is tokenized again.
 *
 * Files: "texts.N" in the database folder. Writer N appends records to
 * file N: the single writer of an index uses file 0, the shards of a
 * parallel build 1, 2, ... (their files join the merged database). The
 * length of file N that committed documents cover is kept in the
 * database's metadata (TS_META_TEXTS "N"), set in the same transaction as
 * those documents, once their records are on disk; a writer cuts anything
 * past it when it opens the file. A record a committed document points at
 * is therefore always whole, and an interrupted run leaves nothing a reader
 * can see. Records are never rewritten: the record of a replaced or deleted
 * article stays in its file until the next rebuild.
 *
 * A record (integers little-endian):
 *   u32        number of blocks B
 *   u32        number of distinct terms D
 *   B x 6 u32  per block: its first position, the offset of its text in
 *              the texts, the text's length, its kind (ts_block_kind_t), its
 *              number of tokens, the length of its token table
 *   D x u32    term hashes (ts_texts_hash), ascending
 *   D x u32    end of each term's positions, in bytes from the first's start
 *   positions  per term, its positions in the article's blocks (the same
 *              positions as Xapian's), as varint gaps from the previous one
 *              (the first from 0); two terms with one hash share a list
 *   texts      per block, its text, then its token table: for each token,
 *              in order, two varints: the bytes from the end of the one
 *              before (from the text's start for the first) to its start,
 *              and its length. A snippet knows where every word of a
 *              passage is without tokenizing it, and where its matches are
 *              from their positions alone.
 */
#ifndef TS_TEXTSTORE_H
#define TS_TEXTSTORE_H

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "article.h"
#include "buf.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TS_TEXTS_FILE       "texts."         /* + decimal file number */
#define TS_META_TEXTS       "tsearch.texts." /* + file number -> committed length */
#define TS_TEXTS_MAX_FILES  4096             /* file numbers are below this */
#define TS_TEXTS_FIRST_READ 16384            /* bytes of a record ts_texts_read reads first */

/* The little-endian 32-bit integer at P, as records keep them. */
static inline uint32_t ts_texts_u32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return le32toh(v);
}

/* The hash of term TERM/LEN in a record. */
uint32_t ts_texts_hash(const char *term, size_t len);

/* --- building a record (pure) ------------------------------------------ */

typedef struct ts_texts_builder {
	uint64_t *pairs; /* hash << 32 | position */
	size_t n, cap;
	ts_buf_t toks; /* the blocks' token tables, one after the other */
	struct ts_texts_block_toks {
		uint32_t ntok, toklen; /* its tokens, and the bytes of its table */
	} * blocks;                    /* per block */
	size_t capblocks;
	size_t block;   /* the block of the last token noted */
	uint32_t end;   /* where that token ended */
	ts_buf_t lists; /* scratch: the positions */
} ts_texts_builder_t;

/* Note that term TERM/LEN is at POS (in a block). */
ts_status_t ts_texts_builder_add(ts_texts_builder_t *b, const char *term, size_t len, uint32_t pos);
/* Note that token INDEX (0-based) of block BLOCK is bytes START..END of its
 * text; called for every token of every block, in order. */
ts_status_t ts_texts_builder_token(ts_texts_builder_t *b, size_t block, size_t index, size_t start,
                                   size_t end);
/* Append the record of article A, whose blocks start at positions
 * POS[0..A->nblocks-1], with the terms noted since the last record, to
 * OUT; B is emptied for the next one. */
ts_status_t ts_texts_builder_finish(ts_texts_builder_t *b, const ts_article_t *a,
                                    const uint32_t *pos, ts_buf_t *out);
/* Forget the terms and tokens noted (what a failed article left). */
void ts_texts_builder_reset(ts_texts_builder_t *b);
void ts_texts_builder_release(ts_texts_builder_t *b);

/* --- reading a record (pure) ------------------------------------------- */

typedef struct ts_texts_record {
	const unsigned char *blocks, *hashes, *ends, *lists; /* borrowed from the record */
	uint32_t nblocks, nterms;
	size_t listslen;
	const char *texts; /* the blocks' texts (NULL: not read, see ts_texts_read) */
	size_t textslen;
} ts_texts_record_t;

/* Check and split record REC/LEN into R (which borrows from it). */
ts_status_t ts_texts_record_parse(const char *rec, size_t len, ts_texts_record_t *r);

typedef struct ts_texts_block {
	uint32_t pos, offset, len, kind, ntok;
	uint32_t toklen; /* its token table follows its text */
} ts_texts_block_t;

/* Block I (< R->nblocks) of record R: its text is R->texts + offset. */
void ts_texts_record_block(const ts_texts_record_t *r, uint32_t i, ts_texts_block_t *b);
/*
 * Index of the block of R holding position POS (the last block for any
 * position after its start: blocks record no end), or -1 before the first
 * block (the title); looked for forward from block FROM (-1: from the
 * start), which must not start after POS. Ascending positions walk the
 * blocks once.
 */
static inline long ts_texts_record_block_from(const ts_texts_record_t *r, long from, uint32_t pos)
{
	long b = from < 0 ? -1 : from;
	while ((uint64_t)(b + 1) < r->nblocks &&
	       ts_texts_u32(r->blocks + 24 * (size_t)(b + 1)) <= pos)
		b++;
	return b;
}

/* Reading the tokens of a block, in order. */
typedef struct ts_texts_tokens {
	const unsigned char *p, *end; /* what is left of its table */
	uint32_t at, len;             /* where the last token ended; the text's length */
	uint32_t left;                /* tokens not read */
} ts_texts_tokens_t;

/* Start *IT on the token table of block B, which follows its TEXT. */
static inline void ts_texts_tokens_init(ts_texts_tokens_t *it, const ts_texts_block_t *b,
                                        const char *text)
{
	it->p = (const unsigned char *)text + b->len;
	it->end = it->p + b->toklen;
	it->at = 0;
	it->len = b->len;
	it->left = b->ntok;
}

/* The next token's bytes *START..*END of the text: 1, or 0 at the end, or
 * -1 when the table is damaged (cut short, a token outside the text or
 * empty, more or fewer tokens than the block says). Inline: a snippet reads
 * every token of its passage. */
static inline int ts_texts_tokens_next(ts_texts_tokens_t *it, uint32_t *start, uint32_t *end)
{
	if (!it->left)
		return it->p == it->end ? 0 : -1;
	uint64_t gap, n;
	if (ts_varint_get(&it->p, it->end, 5, &gap) || ts_varint_get(&it->p, it->end, 5, &n) ||
	    !n || gap > it->len - it->at || n > it->len - it->at - gap)
		return -1;
	*start = it->at + (uint32_t)gap;
	*end = it->at = *start + (uint32_t)n;
	it->left--;
	return 1;
}

/* Reading the positions of one term, in ascending order. */
typedef struct ts_texts_positions {
	const unsigned char *p, *end; /* what is left of its list */
	uint64_t at;                  /* the last position read */
	int started;
} ts_texts_positions_t;

/* Start *IT on the positions of the term hashed H in record R (none when
 * it is not there). TS_ECORRUPT when its list lies outside the record. */
ts_status_t ts_texts_record_find(const ts_texts_record_t *r, uint32_t h, ts_texts_positions_t *it);
/* The next position into *POS: 1, or 0 at the end, or -1 when the list is
 * damaged (a varint cut short, a position repeated or past 32 bits).
 * Inline: a snippet reads every position of its query's terms. */
static inline int ts_texts_positions_next(ts_texts_positions_t *it, uint32_t *pos)
{
	if (it->p >= it->end)
		return 0;
	uint64_t v;
	if (ts_varint_get(&it->p, it->end, 5, &v) || (it->started && v == 0) ||
	    it->at + v > UINT32_MAX)
		return -1;
	it->at += v;
	it->started = 1;
	*pos = (uint32_t)it->at;
	return 1;
}

/* --- the files --------------------------------------------------------- */

typedef struct ts_texts_writer ts_texts_writer_t;

/*
 * Open file FILE of the database folder DIR for appending after its first
 * COMMITTED bytes (anything past them is cut). SYNC: flush makes the bytes
 * durable (fdatasync). The message of a failure goes to ERR.
 */
ts_status_t ts_texts_writer_open(ts_texts_writer_t **w, const char *dir, unsigned file,
                                 uint64_t committed, int sync, char *err, size_t errlen);
/* Append record REC/LEN; *OFFSET is where it starts in the file. */
ts_status_t ts_texts_writer_append(ts_texts_writer_t *w, const char *rec, size_t len,
                                   uint64_t *offset);
/* Bytes appended since the last commit (0: nothing to commit). */
uint64_t ts_texts_writer_pending(const ts_texts_writer_t *w);
/* Put every appended byte in the file (durably with SYNC); *SIZE is the
 * file's length, for the metadata of the commit that follows. */
ts_status_t ts_texts_writer_flush(ts_texts_writer_t *w, uint64_t *size, char *err, size_t errlen);
/* The commit covering what was flushed succeeded. */
void ts_texts_writer_committed(ts_texts_writer_t *w);
/* Forget what was appended since the last commit. */
void ts_texts_writer_rollback(ts_texts_writer_t *w);
unsigned ts_texts_writer_file(const ts_texts_writer_t *w);
void ts_texts_writer_free(ts_texts_writer_t *w);

/*
 * Move file FILE of database folder FROM (a shard) into folder TO (the
 * database it was merged into), durably. Nothing to do when FROM has none.
 */
ts_status_t ts_texts_adopt(const char *from, const char *to, unsigned file, char *err,
                           size_t errlen);

typedef struct ts_texts ts_texts_t;

/*
 * The records of the databases in folders DIRS[0..N-1] (several: the shards
 * a stub file lists, whose documents Xapian numbers in turn). The files are
 * opened when first needed.
 */
ts_status_t ts_texts_open(ts_texts_t **t, const char *const *dirs, size_t n);
/*
 * Document DOCID's record at OFFSET/LEN in file FILE, read, checked and
 * split into *R (valid until the next call on T). A record longer than
 * TS_TEXTS_FIRST_READ is read without its texts (R->texts is NULL): a
 * snippet shows one or two of its blocks, which ts_texts_block_text reads
 * (or finds in the first read, when they came with the head).
 * TS_ECORRUPT, with a message in ERR, when the file is missing or too short
 * (R left empty) or the record damaged; TS_EIO when it cannot be read.
 */
ts_status_t ts_texts_read(ts_texts_t *t, uint32_t docid, uint32_t file, uint64_t offset,
                          uint64_t len, ts_texts_record_t *r, char *err, size_t errlen);
/*
 * The text of block B (ts_texts_record_block) of R, the record last read on
 * T, into *TEXT, followed by its token table: valid until the next call on T
 * for another block or record.
 */
ts_status_t ts_texts_block_text(ts_texts_t *t, const ts_texts_record_t *r,
                                const ts_texts_block_t *b, const char **text, char *err,
                                size_t errlen);
void ts_texts_free(ts_texts_t *t);

#ifdef __cplusplus
}
#endif

#endif
