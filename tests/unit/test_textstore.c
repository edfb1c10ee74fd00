/*
 * test_textstore.c - the text store: the term hash, building and reading a
 * record (round trip, the blocks and their token tables, blocks of no token,
 * what the builder refuses and what it forgets, shared lists, refusal of
 * every damaged record), and the files (writer's append, flush, commit and
 * rollback, the cut of an uncommitted tail, the reader's lazy and renewed
 * maps, several folders, adopting a shard's file).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "textstore.h"
#include "testutil.h"

/* ====================================================================== */
/* Helpers                                                                 */
/* ====================================================================== */

/*
 * The positions of the term hashed H in record R, ascending, into *POS
 * (malloc'd, NULL when none) and *N, read with ts_texts_record_find and
 * ts_texts_positions_next. TS_ECORRUPT when its list is damaged.
 */
static ts_status_t record_positions(const ts_texts_record_t *r, uint32_t h, uint32_t **pos,
                                    size_t *n)
{
	*pos = NULL;
	*n = 0;
	ts_texts_positions_t it;
	ts_status_t st = ts_texts_record_find(r, h, &it);
	if (st || it.p == it.end)
		return st;
	/* At most one position a byte. */
	uint32_t *out = malloc((size_t)(it.end - it.p) * sizeof *out);
	if (!out)
		return TS_ENOMEM;
	size_t k = 0;
	int more;
	while ((more = ts_texts_positions_next(&it, &out[k])) > 0)
		k++;
	if (more < 0) {
		free(out);
		return TS_ECORRUPT;
	}
	*pos = out;
	*n = k;
	return TS_OK;
}

static int setup(void **state)
{
	(void)state;
	if (tu_tmp_make("texts"))
		return -1;
	/* Two database folders, for the tests of several. */
	return mkdir(tu_tmp("a"), 0755) || mkdir(tu_tmp("b"), 0755) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return tu_tmp_remove();
}

/* The length of file PATH; fails the test when it has none. */
static uint64_t file_size(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		fail_msg("cannot stat '%s'", path);
	return (uint64_t)sb.st_size;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static uint32_t hash_of(const char *term)
{
	return ts_texts_hash(term, strlen(term));
}

static uint32_t le32_at(const void *p)
{
	const unsigned char *b = p;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void set_le32(char *p, uint32_t v)
{
	p[0] = (char)v;
	p[1] = (char)(v >> 8);
	p[2] = (char)(v >> 16);
	p[3] = (char)(v >> 24);
}

static void put_le32(ts_buf_t *b, uint32_t v)
{
	char le[4];
	set_le32(le, v);
	assert_int_equal(ts_buf_append(b, le, 4), TS_OK);
}

static void add(ts_texts_builder_t *b, const char *term, uint32_t pos)
{
	assert_int_equal(ts_texts_builder_add(b, term, strlen(term), pos), TS_OK);
}

/* An article of N blocks with texts TEXTS (already normalized), the first a
 * heading. */
static void make_article(ts_article_t *a, const char *const *texts, size_t n)
{
	memset(a, 0, sizeof *a);
	assert_int_equal(ts_article_set(&a->title, "Trade", 5, NULL), TS_OK);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(ts_article_add_block(a, i ? TS_BLOCK_PARA : TS_BLOCK_HEADING,
		                                      texts[i], strlen(texts[i]), NULL),
		                 TS_OK);
		assert_int_equal(a->blocks[a->nblocks - 1].len, strlen(texts[i]));
	}
	assert_int_equal(a->nblocks, n);
}

/* Token K of TEXT starts at byte I: its words, between single spaces. */
static int token_at(const char *text, size_t i)
{
	return text[i] != ' ' && (i == 0 || text[i - 1] == ' ');
}

/*
 * Note the tokens of TEXT as block BLOCK's, in order, each also as a term at
 * position FIRST + its index when TERMS; their number.
 */
static size_t note_tokens(ts_texts_builder_t *b, size_t block, const char *text, int terms,
                          uint32_t first)
{
	size_t n = 0;
	for (size_t i = 0; text[i]; i++) {
		if (!token_at(text, i))
			continue;
		assert_int_equal(ts_texts_builder_token(b, block, n, i, i + strcspn(text + i, " ")),
		                 TS_OK);
		if (terms)
			assert_int_equal(ts_texts_builder_add(b, text + i, strcspn(text + i, " "),
			                                      first + (uint32_t)n),
			                 TS_OK);
		n++;
	}
	return n;
}

/* Where token K of TEXT (as note_tokens counts them) starts. */
static size_t token_start(const char *text, size_t k)
{
	size_t n = 0;
	for (size_t i = 0; text[i]; i++)
		if (token_at(text, i) && n++ == k)
			return i;
	fail_msg("'%.40s...' has no token %zu", text, k);
	return 0;
}

/* Where token K of TEXT ends. */
static size_t token_end(const char *text, size_t k)
{
	size_t i = token_start(text, k);
	return i + strcspn(text + i, " ");
}

/* Bytes of varint V. */
static size_t varint_len(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* The length of the token table of the first NTOK tokens of TEXT. */
static uint32_t table_len(const char *text, uint32_t ntok)
{
	size_t n = 0, end = 0;
	for (uint32_t k = 0; k < ntok; k++) {
		size_t s = token_start(text, k), e = token_end(text, k);
		n += varint_len(s - end) + varint_len(e - s);
		end = e;
	}
	return (uint32_t)n;
}

/*
 * B's record of article A, whose blocks start at positions POS, appended to
 * OUT. POS is handed over in an exact-size copy: a read past A->nblocks is
 * caught by ASan.
 */
static ts_status_t finish(ts_texts_builder_t *b, const ts_article_t *a, const uint32_t *pos,
                          ts_buf_t *out)
{
	uint32_t *p = malloc(a->nblocks ? a->nblocks * sizeof *p : 1);
	assert_non_null(p);
	if (a->nblocks)
		memcpy(p, pos, a->nblocks * sizeof *p);
	ts_status_t st = ts_texts_builder_finish(b, a, p, out);
	free(p);
	return st;
}

/* Record REC's positions of TERM are exactly WANT[0..N-1]. */
static void check_positions(const ts_texts_record_t *rec, const char *term, const uint32_t *want,
                            size_t n)
{
	uint32_t *pos = (uint32_t *)(uintptr_t)1; /* overwritten */
	size_t got = 99;
	assert_int_equal(record_positions(rec, hash_of(term), &pos, &got), TS_OK);
	if (got != n)
		fail_msg("'%s': %zu positions, wanted %zu", term, got, n);
	if (!n) {
		assert_null(pos);
		return;
	}
	assert_non_null(pos);
	for (size_t i = 0; i < n; i++)
		if (pos[i] != want[i])
			fail_msg("'%s': position %zu is %u, wanted %u", term, i, pos[i], want[i]);
	free(pos);
}

/* An exact-size malloc'd copy of P/LEN: a read past LEN is caught by ASan. */
static char *exact_copy(const void *p, size_t len)
{
	char *c = malloc(len ? len : 1);
	assert_non_null(c);
	if (len)
		memcpy(c, p, len);
	return c;
}

/*
 * Block I of record R is of KIND at POS, at OFFSET in the texts with text
 * TEXT, of NTOK tokens (the first NTOK as note_tokens noted them), whose
 * token table follows its text. Returns the table's length.
 */
static uint32_t check_block(const ts_texts_record_t *r, uint32_t i, uint32_t kind, uint32_t pos,
                            uint32_t offset, const char *text, uint32_t ntok)
{
	ts_texts_block_t blk;
	memset(&blk, 0xa5, sizeof blk);
	ts_texts_record_block(r, i, &blk);
	if (blk.pos != pos || blk.offset != offset || blk.len != strlen(text) || blk.kind != kind ||
	    blk.ntok != ntok)
		fail_msg(
		    "block %u: pos %u offset %u len %u kind %u ntok %u, wanted %u %u %zu %u %u", i,
		    blk.pos, blk.offset, blk.len, blk.kind, blk.ntok, pos, offset, strlen(text),
		    kind, ntok);
	/* Its entry's last field, and its table. */
	assert_int_equal(le32_at(r->blocks + 24 * (size_t)i + 20), blk.toklen);
	assert_int_equal(blk.toklen, table_len(text, ntok));
	assert_true((size_t)blk.offset + blk.len + blk.toklen <= r->textslen);
	assert_memory_equal(r->texts + blk.offset, text, blk.len);
	ts_texts_tokens_t it;
	ts_texts_tokens_init(&it, &blk, r->texts + blk.offset);
	uint32_t start = 0, end = 0;
	for (uint32_t k = 0; k < ntok; k++) {
		if (ts_texts_tokens_next(&it, &start, &end) != 1)
			fail_msg("block %u: token %u missing", i, k);
		if (start != token_start(text, k) || end != token_end(text, k))
			fail_msg("block %u: token %u at %u..%u, wanted %zu..%zu", i, k, start, end,
			         token_start(text, k), token_end(text, k));
	}
	assert_int_equal(ts_texts_tokens_next(&it, &start, &end), 0);
	return blk.toklen;
}

/* A record with terms TERMS[i] at position POS[i], and one block TEXT, in OUT. */
static void small_record(ts_buf_t *out, const char *text, const char *const *terms,
                         const uint32_t *pos, size_t n)
{
	ts_texts_builder_t b = {0};
	ts_article_t a;
	make_article(&a, &text, 1);
	for (size_t i = 0; i < n; i++)
		add(&b, terms[i], pos[i]);
	note_tokens(&b, 0, a.blocks[0].text, 0, 0);
	ts_buf_clear(out);
	assert_int_equal(finish(&b, &a, (const uint32_t[]){0}, out), TS_OK);
	ts_texts_builder_release(&b);
	ts_article_release(&a);
}

/* A writer of file FILE in DIR; fails the test on error. */
static ts_texts_writer_t *writer(const char *dir, unsigned file, uint64_t committed)
{
	ts_texts_writer_t *w = NULL;
	char err[256] = "";
	ts_status_t st = ts_texts_writer_open(&w, dir, file, committed, 1, err, sizeof err);
	if (st)
		fail_msg("opening texts.%u of '%s': %s (%s)", file, dir, ts_status_str(st), err);
	assert_non_null(w);
	assert_int_equal(ts_texts_writer_file(w), file);
	return w;
}

static uint64_t append(ts_texts_writer_t *w, const ts_buf_t *rec)
{
	uint64_t offset = UINT64_MAX;
	assert_int_equal(ts_texts_writer_append(w, rec->data, rec->len, &offset), TS_OK);
	return offset;
}

static uint64_t flush(ts_texts_writer_t *w)
{
	uint64_t size = UINT64_MAX;
	char err[256] = "";
	ts_status_t st = ts_texts_writer_flush(w, &size, err, sizeof err);
	if (st)
		fail_msg("flush: %s (%s)", ts_status_str(st), err);
	return size;
}

/*
 * R, read by ts_texts_read from T, is WHOLE (the record parsed from its
 * bytes): the same blocks, tables and positions; its texts read with it
 * when the record is short, else block by block, in any order.
 */
static void check_read(ts_texts_t *t, const ts_texts_record_t *r, const ts_texts_record_t *whole,
                       size_t len)
{
	assert_int_equal(r->nblocks, whole->nblocks);
	assert_int_equal(r->nterms, whole->nterms);
	assert_int_equal(r->listslen, whole->listslen);
	assert_int_equal(r->textslen, whole->textslen);
	assert_memory_equal(r->blocks, whole->blocks, 24 * (size_t)r->nblocks);
	assert_memory_equal(r->hashes, whole->hashes, 4 * (size_t)r->nterms);
	assert_memory_equal(r->ends, whole->ends, 4 * (size_t)r->nterms);
	assert_memory_equal(r->lists, whole->lists, r->listslen);
	if (len > TS_TEXTS_FIRST_READ)
		assert_null(r->texts);
	else
		assert_memory_equal(r->texts, whole->texts, r->textslen);
	for (uint32_t k = 0; k < 2 * r->nblocks; k++) {
		uint32_t i = k < r->nblocks ? r->nblocks - 1 - k : k - r->nblocks;
		ts_texts_block_t b, wb;
		ts_texts_record_block(r, i, &b);
		ts_texts_record_block(whole, i, &wb);
		const char *text = NULL;
		char err[256] = "";
		ts_status_t st = ts_texts_block_text(t, r, &b, &text, err, sizeof err);
		if (st)
			fail_msg("block %u: %s (%s)", i, ts_status_str(st), err);
		/* Its text, then its token table. */
		assert_memory_equal(text, whole->texts + wb.offset, (size_t)wb.len + wb.toklen);
	}
}

/* Flush W and mark what it flushed committed (as a writer's commit does);
 * the file's length. */
static uint64_t commit(ts_texts_writer_t *w)
{
	uint64_t size = flush(w);
	ts_texts_writer_committed(w);
	return size;
}

/* Through T, document DOCID's record at FILE/OFFSET is REC (a good record):
 * read into *R, the same counts, blocks, terms, positions and texts. */
static void read_equal(ts_texts_t *t, uint32_t docid, uint32_t file, uint64_t offset,
                       const ts_buf_t *rec, ts_texts_record_t *r)
{
	char err[256] = "";
	ts_status_t st = ts_texts_read(t, docid, file, offset, rec->len, r, err, sizeof err);
	if (st)
		fail_msg("read docid %u file %u at %llu: %s (%s)", docid, file,
		         (unsigned long long)offset, ts_status_str(st), err);
	char *c = exact_copy(rec->data, rec->len);
	ts_texts_record_t whole;
	assert_int_equal(ts_texts_record_parse(c, rec->len, &whole), TS_OK);
	check_read(t, r, &whole, rec->len);
	free(c);
}

/* Through T, LEN bytes at FILE/OFFSET are refused as damaged, R left empty,
 * the message (ERR) naming WHAT. */
static void read_refused(ts_texts_t *t, uint32_t docid, uint32_t file, uint64_t offset,
                         uint64_t len, const char *what)
{
	ts_texts_record_t r;
	memset(&r, 0x5a, sizeof r);
	char err[512] = "";
	assert_int_equal(ts_texts_read(t, docid, file, offset, len, &r, err, sizeof err),
	                 TS_ECORRUPT);
	assert_null(r.blocks);
	assert_int_equal(r.nblocks, 0);
	if (what && !strstr(err, what))
		fail_msg("the message does not name '%s': '%s'", what, err);
}

/* ---- articles of many tokens ------------------------------------------ */

static ts_block_kind_t kind_of(size_t i)
{
	return i % 3 ? TS_BLOCK_PARA : TS_BLOCK_HEADING;
}

/* The text of block I of NTOK tokens: words "b<I>w<K>" of varied lengths
 * (their starts unevenly spaced), or, of none, a text whose tokens are not
 * noted. */
static void block_text(ts_buf_t *t, size_t i, uint32_t ntok)
{
	ts_buf_clear(t);
	if (!ntok) {
		assert_int_equal(ts_buf_puts(t, "- * -"), TS_OK);
		return;
	}
	for (uint32_t k = 0; k < ntok; k++)
		assert_int_equal(
		    ts_buf_printf(t, "%sb%zuw%u%.*s", k ? " " : "", i, k, (int)(k % 5), "xxxx"),
		    TS_OK);
}

/* An article of N blocks, block I of NTOK[I] tokens (block_text). */
static void tokens_article(ts_article_t *a, const uint32_t *ntok, size_t n)
{
	memset(a, 0, sizeof *a);
	ts_buf_t t = {0};
	for (size_t i = 0; i < n; i++) {
		block_text(&t, i, ntok[i]);
		assert_int_equal(ts_article_add_block(a, kind_of(i), t.data, t.len, NULL), TS_OK);
		assert_int_equal(a->nblocks, i + 1);
		assert_int_equal(a->blocks[i].len, t.len); /* normalizing kept it */
	}
	ts_buf_release(&t);
}

/* Note the tokens of article A's blocks that have some (NTOK), each also a
 * term at its position (its block's POS + its index). */
static void note_article(ts_texts_builder_t *b, const ts_article_t *a, const uint32_t *ntok,
                         const uint32_t *pos)
{
	for (size_t i = 0; i < a->nblocks; i++)
		if (ntok[i])
			assert_int_equal(note_tokens(b, i, a->blocks[i].text, 1, pos[i]), ntok[i]);
}

/* Article A of tokens_article and its record, through B, in OUT (cleared first). */
static void tokens_record(ts_texts_builder_t *b, ts_article_t *a, const uint32_t *ntok,
                          const uint32_t *pos, size_t n, ts_buf_t *out)
{
	tokens_article(a, ntok, n);
	note_article(b, a, ntok, pos);
	ts_buf_clear(out);
	assert_int_equal(finish(b, a, pos, out), TS_OK);
}

/* The record of A made by a builder of its own, in OUT (cleared first).
 * The builder has noted a term and forgotten it: one that never noted a
 * term trips the bug test_finish_no_terms shows, when A has none. */
static void fresh_record(const ts_article_t *a, const uint32_t *ntok, const uint32_t *pos,
                         ts_buf_t *out)
{
	ts_texts_builder_t b = {0};
	add(&b, "forgotten", 1);
	ts_texts_builder_reset(&b);
	note_article(&b, a, ntok, pos);
	ts_buf_clear(out);
	assert_int_equal(finish(&b, a, pos, out), TS_OK);
	ts_texts_builder_release(&b);
}

/* R is the record tokens_record made of A (NTOK, POS). */
static void check_tokens(const ts_texts_record_t *r, const ts_article_t *a, const uint32_t *ntok,
                         const uint32_t *pos)
{
	assert_int_equal(r->nblocks, a->nblocks);
	uint32_t offset = 0;
	for (uint32_t i = 0; i < r->nblocks; i++)
		offset += (uint32_t)a->blocks[i].len +
		          check_block(r, i, kind_of(i), pos[i], offset, a->blocks[i].text, ntok[i]);
	assert_int_equal(r->textslen, offset);
}

/* Parse an exact-size copy of OUT, which must be a good record, into *R; the
 * copy (to free) is returned. */
static char *parse_copy(const ts_buf_t *out, ts_texts_record_t *r)
{
	char *c = exact_copy(out->data, out->len);
	ts_status_t st = ts_texts_record_parse(c, out->len, r);
	if (st)
		fail_msg("a record of %zu bytes: %s", out->len, ts_status_str(st));
	return c;
}

/* ====================================================================== */
/* The hash                                                                */
/* ====================================================================== */

/* FNV-1a, 64 bits, folded to 32: written down independently, since the
 * files depend on it (a change would make every stored record unreadable). */
static uint32_t reference_hash(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return (uint32_t)h ^ (uint32_t)(h >> 32);
}

static void test_hash(void **state)
{
	(void)state;
	assert_int_equal(hash_of("tariff"), hash_of("tariff"));
	assert_int_not_equal(hash_of("tariff"), hash_of("tariffs"));
	assert_int_not_equal(hash_of("tariff"), hash_of("Tariff"));
	/* Only LEN bytes count. */
	assert_int_equal(ts_texts_hash("tariffs", 6), hash_of("tariff"));
	/* The empty term: the offset basis folded. */
	assert_int_equal(ts_texts_hash("", 0), ts_texts_hash("", 0));
	assert_int_equal(ts_texts_hash("", 0), 0xcbf29ce4u ^ 0x84222325u);
	assert_int_not_equal(ts_texts_hash("", 0), hash_of("a"));
	/* A published FNV-1a 64 vector: "a" -> 0xaf63dc4c8601ec8c. */
	assert_int_equal(hash_of("a"), 0xaf63dc4cu ^ 0x8601ec8cu);
	const char *terms[] = {"tariff", "japan", "\xe6\x97\xa5\xe6\x9c\xac", "Ztrade", "x"};
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
		assert_int_equal(hash_of(terms[i]), reference_hash(terms[i], strlen(terms[i])));
	/* A NUL inside the term counts too. */
	assert_int_not_equal(ts_texts_hash("a\0b", 3), ts_texts_hash("a\0c", 3));
}

/* ====================================================================== */
/* Records                                                                 */
/* ====================================================================== */

static const char *const block_texts[] = {"Tariffs on Japan", "Trade talks resume in Tokyo.",
                                          "\xe6\x97\xa5\xe6\x9c\xac and the tariff"};
static const uint32_t block_pos[] = {0, 10, 20};
static const uint32_t block_ntok[] = {3, 5, 4};

/* The record of the round trip: terms added out of order, one of them at
 * positions that need 1- to 5-byte varint gaps; every token of the blocks
 * noted. */
static void round_trip_record(ts_texts_builder_t *b, ts_buf_t *out)
{
	ts_article_t a;
	make_article(&a, block_texts, 3);
	add(b, "tariff", 5);
	add(b, "trade", UINT32_MAX);
	add(b, "tariff", 3000000); /* > 2^21: a 4-byte varint */
	add(b, "japan", 2);
	add(b, "tariff", 1);
	add(b, "trade", 0);
	add(b, "tariff", 130);
	add(b, "trade", 70000);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(note_tokens(b, i, a.blocks[i].text, 0, 0), block_ntok[i]);
	assert_int_equal(finish(b, &a, block_pos, out), TS_OK);
	ts_article_release(&a);
}

static const uint32_t tariff_pos[] = {1, 5, 130, 3000000};
static const uint32_t japan_pos[] = {2};
static const uint32_t trade_pos[] = {0, 70000, UINT32_MAX};

/* The bytes of the round trip's record before its lists: counts, blocks, hashes, ends. */
#define ROUND_TRIP_HEAD (8 + 24 * 3 + 8 * 3)

/* R is the round trip's record, its texts the blocks'. */
static void check_round_trip(const ts_texts_record_t *r)
{
	assert_int_equal(r->nterms, 3);
	/* Gaps 1,4,125,2999870 (1+1+1+4 bytes); 2 (1); 0,70000,UINT32_MAX-70000 (1+3+5). */
	assert_int_equal(r->listslen, 7 + 1 + 9);
	check_positions(r, "tariff", tariff_pos, 4);
	check_positions(r, "japan", japan_pos, 1);
	check_positions(r, "trade", trade_pos, 3);
	check_positions(r, "tariffs", NULL, 0);
	check_positions(r, "", NULL, 0);
	/* Each block's text, then its token table. */
	size_t total = 0;
	for (size_t i = 0; i < 3; i++)
		total += strlen(block_texts[i]) + table_len(block_texts[i], block_ntok[i]);
	assert_int_equal(r->textslen, total);
	size_t at = 0;
	for (size_t i = 0; i < 3; i++) {
		assert_memory_equal(r->texts + at, block_texts[i], strlen(block_texts[i]));
		at += strlen(block_texts[i]) + table_len(block_texts[i], block_ntok[i]);
	}
	assert_int_equal(r->nblocks, 3);
	at = 0;
	for (uint32_t i = 0; i < 3; i++)
		at += strlen(block_texts[i]) +
		      check_block(r, i, i ? TS_BLOCK_PARA : TS_BLOCK_HEADING, block_pos[i],
		                  (uint32_t)at, block_texts[i], block_ntok[i]);
}

static void test_round_trip(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0};
	/* Finishing appends: something already in the buffer stays. */
	assert_int_equal(ts_buf_puts(&out, "junk"), TS_OK);
	round_trip_record(&b, &out);
	assert_memory_equal(out.data, "junk", 4);
	char *rec = exact_copy(out.data + 4, out.len - 4);
	size_t len = out.len - 4;

	/* The layout the header describes: the counts... */
	assert_int_equal(le32_at(rec), 3);     /* blocks */
	assert_int_equal(le32_at(rec + 4), 3); /* terms */
	/* ... each block's position, offset, length, kind, tokens, table ... */
	uint32_t offset = 0;
	for (size_t i = 0; i < 3; i++) {
		/* Two bytes a token: words of fewer than 128 bytes, one space apart. */
		assert_int_equal(table_len(block_texts[i], block_ntok[i]), 2 * block_ntok[i]);
		const uint32_t want[6] = {block_pos[i],
		                          offset,
		                          (uint32_t)strlen(block_texts[i]),
		                          i ? TS_BLOCK_PARA : TS_BLOCK_HEADING,
		                          block_ntok[i],
		                          2 * block_ntok[i]};
		for (size_t k = 0; k < 6; k++)
			if (le32_at(rec + 8 + 24 * i + 4 * k) != want[k])
				fail_msg("block %zu, field %zu: %u, wanted %u", i, k,
				         le32_at(rec + 8 + 24 * i + 4 * k), want[k]);
		offset += (uint32_t)strlen(block_texts[i]) + 2 * block_ntok[i];
	}
	/* ... the hashes ascending, then the lists' ends. */
	const char *hashes = rec + 8 + 24 * 3;
	uint32_t h[3] = {le32_at(hashes), le32_at(hashes + 4), le32_at(hashes + 8)};
	assert_true(h[0] < h[1] && h[1] < h[2]);
	for (size_t i = 0; i < 3; i++)
		assert_true(h[i] == hash_of("tariff") || h[i] == hash_of("japan") ||
		            h[i] == hash_of("trade"));
	assert_int_equal(le32_at(hashes + 20), 17); /* the last list's end */

	ts_texts_record_t r;
	assert_int_equal(ts_texts_record_parse(rec, len, &r), TS_OK);
	assert_int_equal(len, ROUND_TRIP_HEAD + r.listslen + r.textslen);
	assert_ptr_equal(r.blocks, (const unsigned char *)rec + 8);
	assert_ptr_equal(r.hashes, (const unsigned char *)hashes);
	assert_ptr_equal(r.ends, (const unsigned char *)hashes + 12);
	assert_ptr_equal(r.lists, (const unsigned char *)rec + ROUND_TRIP_HEAD);
	assert_ptr_equal(r.texts, rec + len - r.textslen);
	check_round_trip(&r);

	/* The builder is empty again: the next record has only the new terms
	 * and tokens. */
	ts_article_t a;
	const char *one = "second article";
	make_article(&a, &one, 1);
	add(&b, "second", 7);
	add(&b, "articl", 9);
	add(&b, "second", 8);
	assert_int_equal(note_tokens(&b, 0, a.blocks[0].text, 0, 0), 2);
	ts_buf_clear(&out);
	assert_int_equal(finish(&b, &a, (const uint32_t[]){7}, &out), TS_OK);
	assert_int_equal(ts_texts_record_parse(out.data, out.len, &r), TS_OK);
	assert_int_equal(r.nterms, 2);
	check_positions(&r, "second", (const uint32_t[]){7, 8}, 2);
	check_positions(&r, "articl", (const uint32_t[]){9}, 1);
	check_positions(&r, "tariff", NULL, 0);
	check_positions(&r, "trade", NULL, 0);
	assert_int_equal(r.textslen, strlen(one) + table_len(one, 2));
	assert_memory_equal(r.texts, one, strlen(one));
	assert_int_equal(r.nblocks, 1);
	check_block(&r, 0, TS_BLOCK_HEADING, 7, 0, one, 2);
	ts_article_release(&a);

	/* No terms and no blocks: a record of two zero counts alone. */
	memset(&a, 0, sizeof a);
	ts_buf_clear(&out);
	assert_int_equal(finish(&b, &a, NULL, &out), TS_OK);
	assert_int_equal(out.len, 8);
	assert_memory_equal(out.data, "\0\0\0\0\0\0\0\0", 8);
	assert_int_equal(ts_texts_record_parse(out.data, out.len, &r), TS_OK);
	assert_int_equal(r.nblocks, 0);
	assert_int_equal(r.nterms, 0);
	assert_int_equal(r.listslen, 0);
	assert_int_equal(r.textslen, 0);
	check_positions(&r, "tariff", NULL, 0);

	/* Many terms: the binary search finds every one of them. */
	char term[16];
	for (uint32_t i = 0; i < 3000; i++) {
		snprintf(term, sizeof term, "t%u", i);
		add(&b, term, 3 * i + 1);
		add(&b, term, 3 * i + 100000);
	}
	ts_buf_clear(&out);
	assert_int_equal(finish(&b, &a, NULL, &out), TS_OK);
	assert_int_equal(ts_texts_record_parse(out.data, out.len, &r), TS_OK);
	assert_int_equal(r.nterms, 3000);
	for (uint32_t i = 0; i < 3000; i++) {
		snprintf(term, sizeof term, "t%u", i);
		check_positions(&r, term, (const uint32_t[]){3 * i + 1, 3 * i + 100000}, 2);
	}
	check_positions(&r, "t3000", NULL, 0);

	ts_texts_builder_release(&b);
	assert_null(b.pairs);
	assert_null(b.toks.data);
	assert_null(b.blocks);
	assert_null(b.lists.data);
	ts_texts_builder_release(&b); /* twice is harmless */
	ts_buf_release(&out);
	free(rec);
}

/* Blocks of many tokens: each one's token table, after its text, read back
 * token by token; varints of more than one byte. */
static void test_token_tables(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0}, again = {0};
	ts_article_t a;
	/* A heading of 3 tokens, a block of none (at the next one's position),
	 * then 100, 32, 33, 64, 65 tokens and a last block of none. */
	const uint32_t ntok[] = {3, 0, 100, 32, 33, 64, 65, 0};
	const uint32_t pos[] = {5, 108, 108, 308, 441, 575, 740, 905};
	tokens_record(&b, &a, ntok, pos, 8, &out);
	assert_int_equal(le32_at(out.data), 8);
	assert_int_equal(le32_at(out.data + 4), 3 + 100 + 32 + 33 + 64 + 65); /* distinct words */
	ts_texts_record_t r;
	char *c = parse_copy(&out, &r);
	check_tokens(&r, &a, ntok, pos);
	assert_ptr_equal(r.hashes, r.blocks + 24 * 8);
	/* The terms noted with the tokens. */
	check_positions(&r, "b2w64xxxx", (const uint32_t[]){108 + 64}, 1);
	check_positions(&r, "b6w64xxxx", (const uint32_t[]){740 + 64}, 1);
	check_positions(&r, "b0w0", (const uint32_t[]){5}, 1);
	free(c);

	/* Many blocks (past the builder's first allocations): then the first
	 * article again, the same bytes. */
	enum {
		N = 150
	};
	uint32_t many[N], mpos[N];
	for (uint32_t i = 0; i < N; i++) {
		many[i] = i % 10 == 9 ? 0 : (i * 37) % 211;
		mpos[i] = 1000 * i;
	}
	ts_article_t big;
	tokens_record(&b, &big, many, mpos, N, &again);
	c = parse_copy(&again, &r);
	check_tokens(&r, &big, many, mpos);
	free(c);
	ts_article_release(&big);
	ts_buf_clear(&again);
	note_article(&b, &a, ntok, pos);
	assert_int_equal(finish(&b, &a, pos, &again), TS_OK);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.data, out.data, out.len);
	ts_article_release(&a);

	/* Long gaps and long tokens: two-byte varints. */
	char text[700];
	memset(text, '-', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	memcpy(text, "alpha", 5);
	memset(text + 205, 'w', 300); /* a token of 300 bytes, 200 after the first */
	const char *one = text;
	make_article(&a, &one, 1);
	assert_int_equal(ts_texts_builder_token(&b, 0, 0, 0, 5), TS_OK);
	assert_int_equal(ts_texts_builder_token(&b, 0, 1, 205, 505), TS_OK);
	assert_int_equal(ts_texts_builder_token(&b, 0, 2, 698, 699), TS_OK);
	ts_buf_clear(&out);
	assert_int_equal(finish(&b, &a, (const uint32_t[]){1}, &out), TS_OK);
	c = parse_copy(&out, &r);
	ts_texts_block_t blk;
	ts_texts_record_block(&r, 0, &blk);
	assert_int_equal(blk.ntok, 3);
	assert_int_equal(blk.toklen, 1 + 1 + 2 + 2 + 2 + 1); /* 0 5, 200 300, 193 1 */
	ts_texts_tokens_t it;
	ts_texts_tokens_init(&it, &blk, r.texts + blk.offset);
	const uint32_t want[3][2] = {{0, 5}, {205, 505}, {698, 699}};
	uint32_t start = UINT32_MAX, end = UINT32_MAX;
	for (int k = 0; k < 3; k++) {
		assert_int_equal(ts_texts_tokens_next(&it, &start, &end), 1);
		assert_int_equal(start, want[k][0]);
		assert_int_equal(end, want[k][1]);
	}
	assert_int_equal(ts_texts_tokens_next(&it, &start, &end), 0);
	assert_int_equal(ts_texts_tokens_next(&it, &start, &end), 0); /* and stays there */
	free(c);
	ts_article_release(&a);

	ts_buf_release(&out);
	ts_buf_release(&again);
	ts_texts_builder_release(&b);
}

/* Blocks of no token: an empty table. */
static void test_no_tokens(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0};
	ts_article_t a;
	ts_texts_record_t r;
	ts_texts_block_t blk;

	/* Only the middle block has tokens. */
	const uint32_t middle[] = {0, 71, 0}, mpos[] = {0, 0, 200};
	tokens_record(&b, &a, middle, mpos, 3, &out);
	char *c = parse_copy(&out, &r);
	check_tokens(&r, &a, middle, mpos);
	ts_texts_record_block(&r, 2, &blk);
	assert_int_equal(blk.toklen, 0);
	free(c);
	ts_article_release(&a);

	/* No token noted at all (by a builder that noted terms before: one
	 * that never did trips the bug test_finish_no_terms shows). */
	const uint32_t none[] = {0, 0, 0}, npos[] = {1, 50, 50};
	tokens_record(&b, &a, none, npos, 3, &out);
	c = parse_copy(&out, &r);
	assert_int_equal(r.nterms, 0);
	check_tokens(&r, &a, none, npos);
	for (uint32_t i = 0; i < 3; i++) {
		ts_texts_record_block(&r, i, &blk);
		assert_int_equal(blk.ntok, 0);
		assert_int_equal(blk.toklen, 0);
		ts_texts_tokens_t it;
		uint32_t start, end;
		ts_texts_tokens_init(&it, &blk, r.texts + blk.offset);
		assert_int_equal(ts_texts_tokens_next(&it, &start, &end), 0);
	}
	free(c);
	ts_article_release(&a);

	/* One token; and a block of 32 tokens after one of none. */
	const uint32_t few[] = {1, 0, 32}, fpos[] = {3, 4, 4};
	tokens_record(&b, &a, few, fpos, 3, &out);
	c = parse_copy(&out, &r);
	check_tokens(&r, &a, few, fpos);
	free(c);
	ts_article_release(&a);

	ts_buf_release(&out);
	ts_texts_builder_release(&b);
}

/* Finishing B's record of A failed as out of step (TS_EINVAL), and emptied
 * B: noted properly, the article's record is then the one a fresh builder
 * makes. */
static void out_of_step(ts_texts_builder_t *b, const ts_article_t *a, const uint32_t *ntok,
                        const uint32_t *pos, const char *what)
{
	ts_buf_t out = {0}, want = {0};
	ts_status_t st = finish(b, a, pos, &out);
	if (st != TS_EINVAL)
		fail_msg("%s: %s, wanted invalid", what, ts_status_str(st));
	note_article(b, a, ntok, pos);
	ts_buf_clear(&out);
	assert_int_equal(finish(b, a, pos, &out), TS_OK);
	fresh_record(a, ntok, pos, &want);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	ts_buf_release(&out);
	ts_buf_release(&want);
}

/* What the builder did finish (ST, OUT): a record the reader refuses, if not
 * refused by the builder itself. */
static void unreadable(ts_status_t st, const ts_buf_t *out, const char *what)
{
	if (st == TS_EINVAL)
		return;
	if (st != TS_OK)
		fail_msg("%s: %s", what, ts_status_str(st));
	char *c = exact_copy(out->data, out->len);
	ts_texts_record_t r;
	st = ts_texts_record_parse(c, out->len, &r);
	if (st != TS_ECORRUPT)
		fail_msg("%s: the record read %s, wanted corrupt", what, ts_status_str(st));
	free(c);
}

/* Tokens the builder refuses: at once, when one is not the next of its
 * block, empty, or too big to note (nothing of it noted); when the record
 * is finished, tokens of blocks the article does not have (TS_EINVAL). */
static void test_builder_refuses(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0}, want = {0};
	ts_article_t a;
	const uint32_t ntok[] = {40, 10}, pos[] = {0, 100};
	tokens_article(&a, ntok, 2);
	fresh_record(&a, ntok, pos, &want);

	/* Tokens of a block past the article's last, or far beyond. */
	note_article(&b, &a, ntok, pos);
	for (size_t k = 0; k < 5; k++)
		assert_int_equal(ts_texts_builder_token(&b, 2, k, 3 * k + 1, 3 * k + 2), TS_OK);
	out_of_step(&b, &a, ntok, pos, "tokens of block nblocks");
	note_article(&b, &a, ntok, pos);
	for (size_t k = 0; k < 5; k++)
		assert_int_equal(ts_texts_builder_token(&b, 1000, k, 3 * k + 1, 3 * k + 2), TS_OK);
	out_of_step(&b, &a, ntok, pos, "tokens of block 1000");
	/* Tokens noted for an article of no block. */
	ts_article_t empty = {0};
	note_tokens(&b, 0, a.blocks[0].text, 0, 0);
	out_of_step(&b, &empty, NULL, NULL, "tokens of an article of no block");

	/* Not the next token of its block, or not after the one before: refused,
	 * and nothing noted (the right next token is still taken). */
	assert_int_equal(note_tokens(&b, 0, "a b c", 0, 0), 3);
	const struct {
		size_t block, index, start, end;
		const char *what;
	} bad[] = {
	    {0, 4, 10, 11, "a token skipped"},
	    {0, 2, 10, 11, "a token noted twice"},
	    {0, 0, 10, 11, "the block's first token again"},
	    {1, 1, 0, 1, "another block, not from its first token"},
	    {0, 3, 4, 6, "a token starting before the last one ends"},
	    {0, 3, 6, 6, "an empty token"},
	    {0, 3, 7, 6, "a token ending before it starts"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ts_status_t st = ts_texts_builder_token(&b, bad[i].block, bad[i].index,
		                                        bad[i].start, bad[i].end);
		if (st != TS_EINVAL)
			fail_msg("%s: %s, wanted invalid", bad[i].what, ts_status_str(st));
	}
	assert_int_equal(ts_texts_builder_token(&b, 0, 3, 6, 7), TS_OK);
	ts_texts_builder_reset(&b);
	note_article(&b, &a, ntok, pos);
	ts_buf_clear(&out);
	assert_int_equal(finish(&b, &a, pos, &out), TS_OK);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);

	/* Too big to note (an index, a block or an end past 32 bits): refused,
	 * and nothing noted, so the record is the one made without them. */
	assert_int_equal(ts_texts_builder_token(&b, 0, UINT32_MAX, 7, 8), TS_ETOOBIG);
#if SIZE_MAX > UINT32_MAX
	assert_int_equal(ts_texts_builder_token(&b, 0, 0, 7, (size_t)UINT32_MAX + 1), TS_ETOOBIG);
	assert_int_equal(ts_texts_builder_token(&b, 0, (size_t)UINT32_MAX + 1, 7, 8), TS_ETOOBIG);
	assert_int_equal(ts_texts_builder_token(&b, (size_t)UINT32_MAX + 1, 0, 7, 8), TS_ETOOBIG);
#endif
	note_article(&b, &a, ntok, pos);
	ts_buf_clear(&out);
	assert_int_equal(finish(&b, &a, pos, &out), TS_OK);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);

	/* What the builder does not check, the reader refuses: positions
	 * descending. */
	note_article(&b, &a, ntok, pos);
	ts_buf_clear(&out);
	unreadable(finish(&b, &a, (const uint32_t[]){100, 99}, &out), &out, "positions descending");
	/* ... and the builder is empty after it. */
	note_article(&b, &a, ntok, pos);
	ts_buf_clear(&out);
	assert_int_equal(finish(&b, &a, pos, &out), TS_OK);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);

	ts_article_release(&a);
	ts_buf_release(&out);
	ts_buf_release(&want);
	ts_texts_builder_release(&b);
}

/* What a failed article left, reset forgets: its terms, its token counts
 * and its token tables. */
static void test_builder_reset(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0}, want = {0};
	ts_texts_record_t r;

	/* Never used, or reset twice: harmless. */
	ts_texts_builder_reset(&b);
	ts_texts_builder_reset(&b);

	/* An article of three blocks fails in its second. */
	ts_article_t failed, next;
	const uint32_t fntok[] = {40, 96, 5}, fpos[] = {0, 50, 200};
	tokens_article(&failed, fntok, 3);
	note_tokens(&b, 0, failed.blocks[0].text, 1, fpos[0]);
	for (size_t k = 0; k < 67; k++) {
		const char *t1 = failed.blocks[1].text;
		assert_int_equal(
		    ts_texts_builder_token(&b, 1, k, token_start(t1, k), token_end(t1, k)), TS_OK);
		add(&b, "stale", fpos[1] + (uint32_t)k);
	}
	ts_texts_builder_reset(&b);
	/* The next one, of one block of fewer tokens: as if the builder were new. */
	const uint32_t nntok[] = {10}, npos[] = {3};
	tokens_article(&next, nntok, 1);
	note_article(&b, &next, nntok, npos);
	assert_int_equal(finish(&b, &next, npos, &out), TS_OK);
	fresh_record(&next, nntok, npos, &want);
	assert_int_equal(out.len, want.len);
	assert_memory_equal(out.data, want.data, want.len);
	char *c = parse_copy(&out, &r);
	check_tokens(&r, &next, nntok, npos);
	assert_int_equal(r.nterms, 10);
	check_positions(&r, "stale", NULL, 0);
	check_positions(&r, "b0w39xxxx", NULL, 0);
	check_positions(&r, "b0w3xxx", (const uint32_t[]){3 + 3}, 1);
	free(c);

	/* Not reset, what it left makes the next article's first token refused. */
	note_tokens(&b, 0, failed.blocks[0].text, 1, fpos[0]);
	assert_int_equal(ts_texts_builder_token(&b, 0, 0, 0, 1), TS_EINVAL);
	ts_texts_builder_reset(&b);

	/* Token counts left by an article of more blocks: forgotten, by reset
	 * and by finishing. */
	const uint32_t three[] = {5, 6, 7}, first_only[] = {5, 0, 0}, pos3[] = {0, 10, 20};
	ts_article_t a3;
	tokens_article(&a3, three, 3);
	fresh_record(&a3, first_only, pos3, &want);
	for (int finished = 0; finished < 2; finished++) {
		note_article(&b, &a3, three, pos3);
		if (finished) {
			ts_buf_clear(&out);
			assert_int_equal(finish(&b, &a3, pos3, &out), TS_OK);
		} else {
			ts_texts_builder_reset(&b);
		}
		note_article(&b, &a3, first_only, pos3);
		ts_buf_clear(&out);
		assert_int_equal(finish(&b, &a3, pos3, &out), TS_OK);
		assert_int_equal(out.len, want.len);
		assert_memory_equal(out.data, want.data, want.len);
		c = parse_copy(&out, &r);
		ts_texts_block_t blk;
		for (uint32_t i = 1; i < 3; i++) {
			ts_texts_record_block(&r, i, &blk);
			assert_int_equal(blk.ntok, 0);
		}
		free(c);
	}

	ts_texts_builder_reset(&b);
	ts_texts_builder_release(&b);
	assert_null(b.blocks);
	ts_article_release(&a3);
	ts_article_release(&failed);
	ts_article_release(&next);
	ts_buf_release(&out);
	ts_buf_release(&want);
}

/* Two terms with one hash share a list: their positions merged, ascending. */
static void test_shared_hash(void **state)
{
	(void)state;
	/* Find two terms that collide (32 bits: a few hundred thousand suffice). */
	enum {
		N = 400000
	};
	uint64_t *keys = malloc(N * sizeof *keys);
	assert_non_null(keys);
	char t1[16], t2[16];
	for (uint32_t i = 0; i < N; i++) {
		snprintf(t1, sizeof t1, "w%u", i);
		keys[i] = (uint64_t)hash_of(t1) << 32 | i;
	}
	qsort(keys, N, sizeof *keys, cmp_u64);
	size_t k = 1;
	while (k < N && keys[k] >> 32 != keys[k - 1] >> 32)
		k++;
	assert_true(k < N);
	snprintf(t1, sizeof t1, "w%u", (uint32_t)keys[k - 1]);
	snprintf(t2, sizeof t2, "w%u", (uint32_t)keys[k]);
	free(keys);
	assert_string_not_equal(t1, t2);
	assert_int_equal(hash_of(t1), hash_of(t2));

	ts_texts_builder_t b = {0};
	ts_article_t a;
	const char *text = "colliding words";
	make_article(&a, &text, 1);
	add(&b, t1, 40);
	add(&b, t2, 10);
	add(&b, t1, 20);
	add(&b, "other", 30);
	add(&b, t2, 50);
	ts_buf_t out = {0};
	assert_int_equal(finish(&b, &a, (const uint32_t[]){10}, &out), TS_OK);
	ts_texts_record_t r;
	assert_int_equal(ts_texts_record_parse(out.data, out.len, &r), TS_OK);
	assert_int_equal(r.nterms, 2);
	const uint32_t both[] = {10, 20, 40, 50};
	check_positions(&r, t1, both, 4);
	check_positions(&r, t2, both, 4);
	check_positions(&r, "other", (const uint32_t[]){30}, 1);
	ts_buf_release(&out);
	ts_texts_builder_release(&b);
	ts_article_release(&a);
}

/* ---- hand-made records ------------------------------------------------ */

typedef struct craft_block {
	uint32_t pos, offset, len, kind, ntok, toklen;
} craft_block_t;

/* A hand-made record: its counts, then as many block entries, hashes and
 * list ends, then the lists and the texts (with their token tables). */
typedef struct craft_spec {
	uint32_t nblocks, nterms;
	craft_block_t blocks[8];
	uint32_t h[4], e[4];
	const char *lists;
	size_t listslen;
	const char *text;
	size_t textlen;
} craft_spec_t;

/* The record of S in an exact-size malloc'd buffer of *LEN bytes. */
static char *craft_record(const craft_spec_t *s, size_t *len)
{
	assert_true(s->nblocks <= 8 && s->nterms <= 4);
	ts_buf_t b = {0};
	put_le32(&b, s->nblocks);
	put_le32(&b, s->nterms);
	for (uint32_t i = 0; i < s->nblocks; i++) {
		const craft_block_t *e = &s->blocks[i];
		const uint32_t v[6] = {e->pos, e->offset, e->len, e->kind, e->ntok, e->toklen};
		for (int k = 0; k < 6; k++)
			put_le32(&b, v[k]);
	}
	for (uint32_t i = 0; i < s->nterms; i++)
		put_le32(&b, s->h[i]);
	for (uint32_t i = 0; i < s->nterms; i++)
		put_le32(&b, s->e[i]);
	assert_int_equal(ts_buf_append(&b, s->lists ? s->lists : "", s->listslen), TS_OK);
	assert_int_equal(ts_buf_append(&b, s->text ? s->text : "", s->textlen), TS_OK);
	char *c = exact_copy(b.data, b.len);
	*len = b.len;
	ts_buf_release(&b);
	return c;
}

/*
 * A hand-made record of N terms with hashes H and list ends E, the lists
 * LISTS/LISTSLEN, then TEXT as one block of no token (none when TEXT is
 * empty); in an exact-size malloc'd buffer of *LEN bytes.
 */
static char *craft(uint32_t n, const uint32_t *h, const uint32_t *e, const char *lists,
                   size_t listslen, const char *text, size_t *len)
{
	craft_spec_t s;
	memset(&s, 0, sizeof s);
	assert_true(n <= 4);
	s.nterms = n;
	for (uint32_t i = 0; i < n; i++) {
		s.h[i] = h[i];
		s.e[i] = e[i];
	}
	s.lists = lists;
	s.listslen = listslen;
	s.text = text;
	s.textlen = strlen(text);
	if (s.textlen) {
		s.nblocks = 1;
		s.blocks[0] = (craft_block_t){0, 0, (uint32_t)s.textlen, TS_BLOCK_PARA, 0, 0};
	}
	return craft_record(&s, len);
}

/* Look up hash H in REC/LEN (which must parse): WANT is the status. */
static void lookup_is(const char *rec, size_t len, uint32_t h, ts_status_t want)
{
	ts_texts_record_t r;
	assert_int_equal(ts_texts_record_parse(rec, len, &r), TS_OK);
	uint32_t *pos = NULL;
	size_t n = 99;
	ts_status_t st = record_positions(&r, h, &pos, &n);
	if (st != want)
		fail_msg("hash %u: %s, wanted %s", h, ts_status_str(st), ts_status_str(want));
	if (st) {
		assert_null(pos);
		assert_int_equal(n, 0);
	}
	free(pos);
}

static void test_damaged(void **state)
{
	(void)state;
	ts_texts_record_t r;
	/* Too short for the counts. */
	for (size_t n = 0; n < 8; n++) {
		char *c = exact_copy("\0\0\0\0\0\0\0\0", n);
		assert_int_equal(ts_texts_record_parse(c, n, &r), TS_ECORRUPT);
		free(c);
	}
	size_t len;
	char *c;
	/* More terms than the length holds (8 bytes each), up to the largest count. */
	const uint32_t h[2] = {100, 200}, e[2] = {1, 2};
	const uint32_t counts[] = {2, 3, 1000, 0x20000000u, 0x20000001u, UINT32_MAX};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		c = craft(2, h, e, "\x01\x02", 2, "", &len);
		set_le32(c + 4, counts[i]);
		/* Two terms fit only when the lists are counted with the header. */
		assert_int_equal(ts_texts_record_parse(c, len - 2, &r), TS_ECORRUPT);
		if (counts[i] > 2)
			assert_int_equal(ts_texts_record_parse(c, len, &r), TS_ECORRUPT);
		free(c);
	}
	/* The last list ending beyond the lists (here into nothing). */
	c = craft(1, h, (const uint32_t[]){3}, "\x05\x06", 2, "", &len);
	assert_int_equal(ts_texts_record_parse(c, len, &r), TS_ECORRUPT);
	free(c);
	c = craft(1, h, (const uint32_t[]){UINT32_MAX}, "\x05\x06", 2, "", &len);
	assert_int_equal(ts_texts_record_parse(c, len, &r), TS_ECORRUPT);
	free(c);
	/* ... or into the texts: then the blocks do not cover them. */
	c = craft(1, h, (const uint32_t[]){3}, "\x05\x06", 2, "abc", &len);
	assert_int_equal(ts_texts_record_parse(c, len, &r), TS_ECORRUPT);
	free(c);
	/* An earlier list ending beyond the last one's end, or before its start. */
	c = craft(2, h, (const uint32_t[]){10, 2}, "\x05\x06", 2, "texts beyond", &len);
	lookup_is(c, len, 100, TS_ECORRUPT);
	lookup_is(c, len, 200, TS_ECORRUPT);
	lookup_is(c, len, 150, TS_OK); /* absent */
	free(c);
	/* A varint running past its list's end (into the next list, the texts). */
	c = craft(2, h, (const uint32_t[]){1, 2}, "\x85\x06", 2, "\x07", &len);
	lookup_is(c, len, 100, TS_ECORRUPT);
	lookup_is(c, len, 200, TS_OK);
	free(c);
	c = craft(1, h, (const uint32_t[]){2}, "\x05\x86", 2, "\x07", &len);
	lookup_is(c, len, 100, TS_ECORRUPT);
	free(c);
	/* ... and at the very end of the record. */
	c = craft(1, h, (const uint32_t[]){2}, "\x05\x86", 2, "", &len);
	lookup_is(c, len, 100, TS_ECORRUPT);
	free(c);
	/* A varint longer than a 32-bit number takes. */
	c = craft(1, h, (const uint32_t[]){6}, "\x80\x80\x80\x80\x80\x01", 6, "", &len);
	lookup_is(c, len, 100, TS_ECORRUPT);
	free(c);
	/* Gaps adding up past UINT32_MAX. */
	c = craft(1, h, (const uint32_t[]){10}, "\xff\xff\xff\xff\x0f\xff\xff\xff\xff\x0f", 10, "",
	          &len);
	lookup_is(c, len, 100, TS_ECORRUPT);
	free(c);
	/* The largest position alone is fine. */
	c = craft(1, h, (const uint32_t[]){5}, "\xff\xff\xff\xff\x0f", 5, "", &len);
	lookup_is(c, len, 100, TS_OK);
	free(c);
	/* Positions must ascend: a zero gap after the first is a repeat. */
	c = craft(1, h, (const uint32_t[]){2}, "\x05\x00", 2, "", &len);
	lookup_is(c, len, 100, TS_ECORRUPT);
	free(c);
	/* No term: a record of blocks and texts only. */
	c = craft(0, NULL, NULL, "", 0, "abc", &len);
	assert_int_equal(ts_texts_record_parse(c, len, &r), TS_OK);
	assert_int_equal(r.nterms, 0);
	assert_int_equal(r.nblocks, 1);
	assert_int_equal(r.textslen, 3);
	assert_memory_equal(r.texts, "abc", 3);
	free(c);
	/* ... but texts no block covers are not a record. */
	craft_spec_t s;
	memset(&s, 0, sizeof s);
	s.text = "abc";
	s.textlen = 3;
	c = craft_record(&s, &len);
	assert_int_equal(ts_texts_record_parse(c, len, &r), TS_ECORRUPT);
	free(c);
}

/* Append to T a block text of LEN letters whose NTOK tokens are bytes 3k to
 * 3k + 2, then its token table (two bytes a token); the table's length. */
static uint32_t craft_block_text(ts_buf_t *t, uint32_t len, uint32_t ntok)
{
	assert_true(ntok * 3 <= len + 1);
	for (uint32_t i = 0; i < len; i++)
		assert_int_equal(ts_buf_append(t, i % 3 == 2 ? " " : "ab" + i % 3, 1), TS_OK);
	for (uint32_t k = 0; k < ntok; k++)
		assert_int_equal(ts_buf_append(t, k ? "\x01\x02" : "\x00\x02", 2), TS_OK);
	return 2 * ntok;
}

/* A good hand-made record: a heading of 3 tokens; a paragraph of 70; one of
 * 33 at the same position; a block of no text; a last one of no token. One
 * term. */
static void base_spec(craft_spec_t *s)
{
	static ts_buf_t text;
	ts_buf_clear(&text);
	memset(s, 0, sizeof *s);
	s->nblocks = 5;
	s->nterms = 1;
	const uint32_t pos[5] = {10, 20, 20, 90, 90}, len[5] = {50, 210, 100, 0, 5},
	               ntok[5] = {3, 70, 33, 0, 0};
	for (uint32_t i = 0; i < 5; i++) {
		uint32_t offset = (uint32_t)text.len;
		uint32_t toklen = craft_block_text(&text, len[i], ntok[i]);
		s->blocks[i] = (craft_block_t){
		    pos[i], offset, len[i], i ? TS_BLOCK_PARA : TS_BLOCK_HEADING, ntok[i], toklen};
	}
	s->h[0] = 100;
	s->e[0] = 2;
	s->lists = "\x05\x06";
	s->listslen = 2;
	s->text = text.data;
	s->textlen = text.len;
}

/* Block I of S's record (which must parse) reads as WANT: 1 its tokens all
 * read, -1 its table found damaged. */
static void tokens_read_as(const craft_spec_t *s, uint32_t i, int want, const char *what)
{
	size_t len;
	char *c = craft_record(s, &len);
	ts_texts_record_t r;
	if (ts_texts_record_parse(c, len, &r) != TS_OK)
		fail_msg("%s: the record does not parse", what);
	ts_texts_block_t blk;
	ts_texts_record_block(&r, i, &blk);
	ts_texts_tokens_t it;
	ts_texts_tokens_init(&it, &blk, r.texts + blk.offset);
	uint32_t start, end, prev = 0;
	int got;
	while ((got = ts_texts_tokens_next(&it, &start, &end)) > 0) {
		assert_true(start >= prev && end > start && end <= blk.len);
		prev = end;
	}
	if ((got < 0 ? -1 : 1) != want)
		fail_msg("%s: the table read %s, wanted %s", what, got < 0 ? "damaged" : "whole",
		         want < 0 ? "damaged" : "whole");
	free(c);
}

/* S's record parses as STATUS (WHAT says what was changed). */
static void parses_as(const craft_spec_t *s, ts_status_t want, const char *what)
{
	size_t len;
	char *c = craft_record(s, &len);
	ts_texts_record_t r;
	ts_status_t st = ts_texts_record_parse(c, len, &r);
	if (st != want)
		fail_msg("%s: %s, wanted %s", what, ts_status_str(st), ts_status_str(want));
	free(c);
}

/* The base record with CHANGE made: refused as damaged. */
#define DAMAGED(what, change)                                                                      \
	do {                                                                                       \
		base_spec(&s);                                                                     \
		change;                                                                            \
		parses_as(&s, TS_ECORRUPT, what);                                                  \
	} while (0)

/* ... or read. */
#define GOOD(what, change)                                                                         \
	do {                                                                                       \
		base_spec(&s);                                                                     \
		change;                                                                            \
		parses_as(&s, TS_OK, what);                                                        \
	} while (0)

/* Damaged blocks refused, and damaged token tables found when read, each
 * without a read out of bounds (the records are exact-size copies). */
static void test_damaged_blocks(void **state)
{
	(void)state;
	craft_spec_t s;
	ts_texts_record_t r;

	/* The base record, read. */
	base_spec(&s);
	size_t len;
	char *c = craft_record(&s, &len);
	assert_int_equal(s.textlen, 365 + 2 * (3 + 70 + 33));
	assert_int_equal(len, 8 + 24 * 5 + 8 * 1 + 2 + s.textlen);
	assert_int_equal(ts_texts_record_parse(c, len, &r), TS_OK);
	assert_int_equal(r.nblocks, 5);
	assert_int_equal(r.textslen, s.textlen);
	ts_texts_block_t blk;
	for (uint32_t i = 0; i < 5; i++) {
		ts_texts_record_block(&r, i, &blk);
		const craft_block_t *e = &s.blocks[i];
		assert_int_equal(blk.pos, e->pos);
		assert_int_equal(blk.offset, e->offset);
		assert_int_equal(blk.len, e->len);
		assert_int_equal(blk.kind, e->kind);
		assert_int_equal(blk.ntok, e->ntok);
		assert_int_equal(blk.toklen, e->toklen);
		tokens_read_as(&s, i, 1, "the base record");
	}
	lookup_is(c, len, 100, TS_OK);
	free(c);

	/* Still good: positions all equal. */
	GOOD("every position 0", for (int i = 0; i < 5; i++) s.blocks[i].pos = 0);

	/* Offsets that do not chain from 0 (each text and table after the last). */
	DAMAGED("the first offset 1", s.blocks[0].offset = 1);
	DAMAGED("an offset one short", s.blocks[1].offset--);
	DAMAGED("an offset one past", s.blocks[1].offset++);
	DAMAGED("an offset back at 0", s.blocks[4].offset = 0);
	DAMAGED("an offset of the previous block", s.blocks[2].offset = s.blocks[1].offset);
	DAMAGED("an offset past the text only", s.blocks[1].offset = 50);
	/* Lengths not adding up to the texts'. */
	DAMAGED("the lengths one short", s.blocks[4].len = 4);
	DAMAGED("the lengths one over", s.blocks[4].len = 6);
	DAMAGED("a length of UINT32_MAX", s.blocks[4].len = UINT32_MAX);
	DAMAGED("a text byte fewer", s.textlen--);
	/* ... nor when they wrap around 2^32 to the right sum. */
	DAMAGED("lengths wrapping",
	        (s.blocks[3].len = UINT32_MAX - 4, s.blocks[4].offset = s.blocks[3].offset - 5,
	         s.blocks[4].len = 10));
	/* Tables of fewer bytes than their tokens take (two each at least), or
	 * more than they can (ten each at most), or none for tokens. */
	DAMAGED("a table a byte short", (s.blocks[2].toklen--, s.blocks[3].offset--,
	                                 s.blocks[4].offset--, s.blocks[4].len++));
	DAMAGED("a token more than the table holds", s.blocks[1].ntok = 71);
	DAMAGED("a table of no token", (s.blocks[4].toklen = 5, s.blocks[4].len = 0));
	DAMAGED("a token count of UINT32_MAX", s.blocks[2].ntok = UINT32_MAX);
	DAMAGED("a table of UINT32_MAX bytes", s.blocks[2].toklen = UINT32_MAX);

	/* Positions descending. */
	DAMAGED("a position one less than the one before", s.blocks[2].pos = 19);
	DAMAGED("a position back at 0", s.blocks[4].pos = 0);
	DAMAGED("the second position less than the first", s.blocks[1].pos = 9);

	/* Tables the record holds, damaged inside: found when read. */
	base_spec(&s);
	char *t = (char *)s.text;
	char *table = t + s.blocks[1].offset + s.blocks[1].len;
	table[1] = 0;
	tokens_read_as(&s, 1, -1, "an empty token");
	base_spec(&s);
	t = (char *)s.text;
	table = t + s.blocks[1].offset + s.blocks[1].len;
	table[2 * 69 + 1] = 4; /* the last token past the text */
	tokens_read_as(&s, 1, -1, "a token past the text");
	base_spec(&s);
	t = (char *)s.text;
	table = t + s.blocks[1].offset + s.blocks[1].len;
	table[2 * 69] = (char)0x81; /* a varint running into the next block's text */
	tokens_read_as(&s, 1, -1, "a varint cut short");
	base_spec(&s);
	t = (char *)s.text;
	table = t + s.blocks[1].offset + s.blocks[1].len;
	table[2 * 10] = (char)0xff; /* a gap far past the text */
	tokens_read_as(&s, 1, -1, "a gap past the text");
	base_spec(&s);
	s.blocks[1].ntok = 69; /* a token more in the table than the block says */
	tokens_read_as(&s, 1, -1, "a token more than the count");
	base_spec(&s);
	tokens_read_as(&s, 2, 1, "the next block, unchanged");

	/* Counts not the record's: a block or a term more, or too many for
	 * its length, some wrapping around 2^32 when multiplied by their
	 * entries' sizes. */
	const struct {
		size_t at;
		uint32_t count;
	} counts[] = {
	    {0, 6},          {0, 178956971u}, /* x 24 = 2^32 + 8 */
	    {0, UINT32_MAX}, {4, 2},          {4, 0x20000000u}, {4, UINT32_MAX},
	};
	base_spec(&s);
	char *good = craft_record(&s, &len);
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		c = exact_copy(good, len);
		set_le32(c + counts[i].at, counts[i].count);
		ts_status_t st = ts_texts_record_parse(c, len, &r);
		if (st != TS_ECORRUPT)
			fail_msg("count at %zu set to %u: %s", counts[i].at, counts[i].count,
			         ts_status_str(st));
		free(c);
	}
	free(good);
}

/* Every prefix of good record REC/LEN, and it with a byte more: refused (a
 * record's blocks cover its texts exactly, so a cut record is not read as
 * one with fewer texts); the record itself read. Exact-size copies: no read
 * out of bounds. */
static void check_cuts(const char *rec, size_t len, const char *what)
{
	ts_texts_record_t r;
	for (size_t n = 0; n < len; n++) {
		char *cut = exact_copy(rec, n);
		ts_status_t st = ts_texts_record_parse(cut, n, &r);
		if (st != TS_ECORRUPT)
			fail_msg("%s cut to %zu of %zu bytes: %s, wanted corrupt", what, n, len,
			         ts_status_str(st));
		free(cut);
	}
	char *more = malloc(len + 1);
	assert_non_null(more);
	memcpy(more, rec, len);
	more[len] = 'x';
	assert_int_equal(ts_texts_record_parse(more, len + 1, &r), TS_ECORRUPT);
	free(more);
	char *whole = exact_copy(rec, len);
	assert_int_equal(ts_texts_record_parse(whole, len, &r), TS_OK);
	free(whole);
}

static void test_truncated(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0};
	ts_texts_record_t r;

	round_trip_record(&b, &out);
	check_cuts(out.data, out.len, "the round trip's record");
	char *c = parse_copy(&out, &r);
	check_round_trip(&r);
	free(c);

	ts_article_t a;
	const uint32_t ntok[] = {3, 0, 69, 33, 0}, pos[] = {1, 10, 10, 90, 200};
	tokens_record(&b, &a, ntok, pos, 5, &out);
	check_cuts(out.data, out.len, "a record of token tables");
	c = parse_copy(&out, &r);
	check_tokens(&r, &a, ntok, pos);
	free(c);
	ts_article_release(&a);

	craft_spec_t s;
	size_t len;
	base_spec(&s);
	c = craft_record(&s, &len);
	check_cuts(c, len, "the hand-made record");
	free(c);

	ts_buf_release(&out);
	ts_texts_builder_release(&b);
}

/* A good record with bytes changed: refused, or read within its bounds, its
 * blocks and their token tables as parsing promises. */
static void test_random_damage(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0};
	ts_article_t a;
	const uint32_t ntok[] = {3, 0, 100, 33, 65, 0}, bpos[] = {1, 10, 10, 200, 300, 400};
	tokens_record(&b, &a, ntok, bpos, 6, &out);
	ts_article_release(&a);
	ts_texts_record_t r;
	char *good = parse_copy(&out, &r);
	size_t head = (size_t)(r.texts - good); /* counts, blocks, hashes, ends, lists */
	free(good);
	uint32_t hashes[] = {hash_of("b2w0"), hash_of("b4w32xx"), hash_of("absent"), 0, UINT32_MAX};
	uint64_t seed = 77;
	size_t nread = 0;
	for (int round = 0; round < 20000; round++) {
		char *c = exact_copy(out.data, out.len);
		/* Mostly before the texts, where damage matters. */
		size_t span = round % 2 ? out.len : head;
		for (int k = 1 + (int)(tu_rand(&seed) % 3); k > 0; k--)
			c[tu_rand(&seed) % span] = (char)tu_rand(&seed);
		size_t len = out.len - (round % 5 ? 0 : tu_rand(&seed) % out.len);
		ts_status_t st = ts_texts_record_parse(c, len, &r);
		assert_true(st == TS_OK || st == TS_ECORRUPT);
		if (st == TS_OK) {
			nread++;
			assert_true(r.texts >= c && r.texts + r.textslen == c + len);
			/* The blocks and their tables cover the texts; a table read
			 * gives tokens inside the text, or says it is damaged. */
			uint64_t at = 0;
			uint32_t last = 0;
			for (uint32_t i = 0; i < r.nblocks; i++) {
				ts_texts_block_t blk;
				ts_texts_record_block(&r, i, &blk);
				assert_int_equal(blk.offset, at);
				assert_true(blk.pos >= last);
				assert_true(at + blk.len + blk.toklen <= r.textslen);
				ts_texts_tokens_t it;
				ts_texts_tokens_init(&it, &blk, r.texts + blk.offset);
				uint32_t start, end, prev = 0, n = 0;
				int more;
				while ((more = ts_texts_tokens_next(&it, &start, &end)) > 0) {
					assert_true(start >= prev && end > start && end <= blk.len);
					prev = end;
					n++;
				}
				assert_true(more < 0 || n == blk.ntok);
				at += (uint64_t)blk.len + blk.toklen;
				last = blk.pos;
			}
			assert_int_equal(at, r.textslen);
			for (size_t i = 0; i <= r.nterms && i < 64; i++) {
				uint32_t h = i < r.nterms ? le32_at(r.hashes + 4 * i)
				                          : hashes[tu_rand(&seed) % 5];
				uint32_t *pos = NULL;
				size_t n = 0;
				st = record_positions(&r, h, &pos, &n);
				assert_true(st == TS_OK || st == TS_ECORRUPT);
				assert_true(n <= r.listslen);
				for (size_t j = 1; j < n; j++)
					assert_true(pos[j - 1] < pos[j]);
				free(pos);
			}
		}
		free(c);
	}
	/* Damage to the texts or the lists leaves a readable record: some
	 * rounds got that far. */
	assert_true(nread > 0);
	ts_buf_release(&out);
	ts_texts_builder_release(&b);
}

/* ====================================================================== */
/* The files                                                               */
/* ====================================================================== */

static void test_write_read(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", tu_tmp("a")); /* in_tmp's buffers turn over */
	char err[512];
	ts_buf_t r1 = {0}, r2 = {0};
	ts_texts_builder_t b = {0};
	round_trip_record(&b, &r1);
	ts_texts_builder_release(&b);
	small_record(&r2, "Second record", (const char *[]){"second", "record"},
	             (const uint32_t[]){65, 66}, 2);

	ts_texts_writer_t *w = writer(dir, 0, 0);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	assert_int_equal(append(w, &r1), 0);
	assert_int_equal(append(w, &r2), r1.len);
	uint64_t total = r1.len + r2.len;
	assert_int_equal(ts_texts_writer_pending(w), total);
	assert_int_equal(flush(w), total);
	assert_int_equal(file_size(tu_tmp("a/texts.0")), total);
	/* Flushed is not committed yet. */
	assert_int_equal(ts_texts_writer_pending(w), total);
	ts_texts_writer_committed(w);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	/* Nothing new: flushing again changes nothing. */
	assert_int_equal(flush(w), total);
	assert_int_equal(file_size(tu_tmp("a/texts.0")), total);

	ts_texts_t *t = NULL;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	assert_non_null(t);
	ts_texts_record_t rec;
	read_equal(t, 1, 0, 0, &r1, &rec);
	check_round_trip(&rec);
	read_equal(t, 1, 0, r1.len, &r2, &rec);
	read_equal(t, 5, 0, r1.len, &r2, &rec); /* any docid: one folder */

	/* Beyond the file's end: refused, naming the file. */
	const struct {
		uint64_t offset, len;
	} beyond[] = {
	    {total - 1, 2}, {total, 1},      {total + 1, 0},
	    {0, total + 1}, {UINT64_MAX, 1}, {1, UINT64_MAX},
	};
	char file0[256];
	snprintf(file0, sizeof file0, "%s/texts.0", dir);
	for (size_t i = 0; i < sizeof beyond / sizeof beyond[0]; i++)
		read_refused(t, 1, 0, beyond[i].offset, beyond[i].len, file0);
	/* A record ending at the last byte exactly is in. */
	assert_int_equal(r1.len + r2.len, total);
	read_equal(t, 1, 0, total - r2.len, &r2, &rec);
	/* A file that is not there. */
	read_refused(t, 1, 7, 0, 1, "texts.7");
	/* ... and the ones that are still read. */
	read_equal(t, 1, 0, r1.len, &r2, &rec);
	ts_texts_free(t);
	ts_texts_free(NULL);

	/* No folders. */
	t = (ts_texts_t *)(uintptr_t)1;
	assert_int_not_equal(ts_texts_open(&t, NULL, 0), TS_OK);
	assert_null(t);

	/* A writer in a folder that is not there: an error that names it. */
	ts_texts_writer_t *w2 = (ts_texts_writer_t *)(uintptr_t)1;
	err[0] = '\0';
	assert_int_equal(ts_texts_writer_open(&w2, tu_tmp("nowhere"), 0, 0, 0, err, sizeof err),
	                 TS_EIO);
	assert_null(w2);
	if (!strstr(err, "nowhere"))
		fail_msg("the message does not name the file: '%s'", err);

	ts_texts_writer_free(w);
	ts_texts_writer_free(NULL);
	/* Freeing flushes nothing more and cuts nothing. */
	assert_int_equal(file_size(tu_tmp("a/texts.0")), total);
	ts_buf_release(&r1);
	ts_buf_release(&r2);
}

/* Records bigger than the writer's buffer go out as they come. */
static void test_big_records(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", tu_tmp("a")); /* in_tmp's buffers turn over */
	enum {
		BIG = 700 * 1024
	};
	ts_buf_t recs[3] = {{0}};
	for (int i = 0; i < 3; i++) {
		char *text = malloc(BIG + 1);
		assert_non_null(text);
		for (size_t k = 0; k < BIG; k++)
			text[k] = (char)('a' + (k * 7 + (size_t)i) % 26);
		text[BIG] = '\0';
		small_record(&recs[i], text, (const char *[]){"big"},
		             (const uint32_t[]){(uint32_t)i}, 1);
		free(text);
	}
	ts_texts_writer_t *w = writer(dir, 2, 0);
	uint64_t at = 0, off[3];
	for (int i = 0; i < 3; i++) {
		off[i] = append(w, &recs[i]);
		assert_int_equal(off[i], at);
		at += recs[i].len;
	}
	assert_int_equal(ts_texts_writer_pending(w), at);
	assert_int_equal(commit(w), at);
	assert_int_equal(file_size(tu_tmp("a/texts.2")), at);

	/* A big record rolled back after it went out: the next takes its place. */
	ts_buf_t small = {0};
	small_record(&small, "small", (const char *[]){"small"}, (const uint32_t[]){3}, 1);
	assert_int_equal(append(w, &recs[0]), at);
	assert_int_equal(append(w, &recs[1]), at + recs[0].len);
	ts_texts_writer_rollback(w);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	assert_int_equal(append(w, &small), at);
	assert_int_equal(commit(w), at + small.len);

	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	ts_texts_record_t r;
	for (int i = 0; i < 3; i++)
		read_equal(t, 1, 2, off[i], &recs[i], &r);
	read_equal(t, 1, 2, at, &small, &r);
	ts_texts_free(t);
	ts_texts_writer_free(w);
	/* Reopened at the committed length, the rolled-back bytes are gone. */
	w = writer(dir, 2, at + small.len);
	assert_int_equal(file_size(tu_tmp("a/texts.2")), at + small.len);
	ts_texts_writer_free(w);
	for (int i = 0; i < 3; i++)
		ts_buf_release(&recs[i]);
	ts_buf_release(&small);
}

static void test_rollback(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", tu_tmp("a")); /* in_tmp's buffers turn over */
	ts_buf_t r1 = {0}, r2 = {0}, r3 = {0}, r4 = {0};
	small_record(&r1, "first", (const char *[]){"first"}, (const uint32_t[]){1}, 1);
	small_record(&r2, "second, rolled back", (const char *[]){"second"}, (const uint32_t[]){2},
	             1);
	small_record(&r3, "third", (const char *[]){"third"}, (const uint32_t[]){3}, 1);
	small_record(&r4, "fourth", (const char *[]){"fourth"}, (const uint32_t[]){4}, 1);

	ts_texts_writer_t *w = writer(dir, 0, 0);
	assert_int_equal(append(w, &r1), 0);
	assert_int_equal(commit(w), r1.len);
	/* Rolled back before it was flushed. */
	assert_int_equal(append(w, &r2), r1.len);
	assert_int_equal(ts_texts_writer_pending(w), r2.len);
	ts_texts_writer_rollback(w);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	assert_int_equal(append(w, &r3), r1.len);
	assert_int_equal(ts_texts_writer_pending(w), r3.len);
	assert_int_equal(flush(w), r1.len + r3.len);
	assert_int_equal(file_size(tu_tmp("a/texts.0")), r1.len + r3.len);
	ts_texts_writer_committed(w);

	/* Rolled back after it was flushed (its commit failed). */
	uint64_t base = r1.len + r3.len;
	assert_int_equal(append(w, &r2), base);
	assert_int_equal(flush(w), base + r2.len);
	ts_texts_writer_rollback(w);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	assert_int_equal(append(w, &r4), base);
	assert_int_equal(commit(w), base + r4.len);
	assert_int_equal(ts_texts_writer_pending(w), 0);

	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	ts_texts_record_t r;
	read_equal(t, 1, 0, 0, &r1, &r);
	read_equal(t, 1, 0, r1.len, &r3, &r);
	read_equal(t, 1, 0, base, &r4, &r);
	ts_texts_free(t);
	ts_texts_writer_free(w);
	/* The next writer keeps what was committed, and only that. */
	w = writer(dir, 0, base + r4.len);
	assert_int_equal(file_size(tu_tmp("a/texts.0")), base + r4.len);
	ts_texts_writer_free(w);
	ts_buf_release(&r1);
	ts_buf_release(&r2);
	ts_buf_release(&r3);
	ts_buf_release(&r4);
}

static void test_cut_on_open(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", tu_tmp("a")); /* in_tmp's buffers turn over */
	ts_buf_t hundred = {0}, more = {0};
	for (int i = 0; i < 100; i++)
		assert_int_equal(ts_buf_append(&hundred, (char[]){(char)i}, 1), TS_OK);
	assert_int_equal(ts_buf_puts(&more, "fifty bytes an interrupted run left behind ....."),
	                 TS_OK);

	ts_texts_writer_t *w = writer(dir, 1, 0);
	assert_int_equal(append(w, &hundred), 0);
	assert_int_equal(commit(w), 100);
	assert_int_equal(append(w, &more), 100);
	assert_int_equal(flush(w), 100 + more.len);
	ts_texts_writer_free(w); /* the run stops before its commit */
	assert_int_equal(file_size(tu_tmp("a/texts.1")), 100 + more.len);

	w = writer(dir, 1, 100);
	assert_int_equal(file_size(tu_tmp("a/texts.1")), 100);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	assert_int_equal(append(w, &more), 100);
	ts_texts_writer_free(w);
	/* The kept bytes are the committed ones. */
	size_t len = 0;
	char *bytes = tu_read_file(tu_tmp("a/texts.1"), &len);
	assert_non_null(bytes);
	assert_int_equal(len, 100);
	assert_memory_equal(bytes, hundred.data, 100);
	free(bytes);

	/* Committed equal to the length: nothing cut. */
	w = writer(dir, 1, 100);
	ts_texts_writer_free(w);
	assert_int_equal(file_size(tu_tmp("a/texts.1")), 100);

	/* The index says more than the file has: damaged, and left as it is. */
	char err[512] = "";
	w = (ts_texts_writer_t *)(uintptr_t)1;
	assert_int_equal(ts_texts_writer_open(&w, dir, 1, 101, 0, err, sizeof err), TS_ECORRUPT);
	assert_null(w);
	if (!strstr(err, "texts.1") || !strstr(err, "101"))
		fail_msg("the message does not say what is wrong: '%s'", err);
	assert_int_equal(file_size(tu_tmp("a/texts.1")), 100);
	/* A missing file the index counts bytes in, too. */
	err[0] = '\0';
	assert_int_equal(ts_texts_writer_open(&w, dir, 3, 10, 0, err, sizeof err), TS_ECORRUPT);
	assert_null(w);
	assert_non_null(strstr(err, "texts.3"));
	ts_buf_release(&hundred);
	ts_buf_release(&more);
}

/* A reader whose file grows after it mapped it maps it again. */
static void test_remap(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", tu_tmp("a")); /* in_tmp's buffers turn over */
	ts_buf_t ra = {0}, rb = {0};
	small_record(&ra, "record A", (const char *[]){"a"}, (const uint32_t[]){1}, 1);
	small_record(&rb, "record B, written later", (const char *[]){"b"}, (const uint32_t[]){2},
	             1);
	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	ts_texts_record_t r;

	/* The file starts empty (the writer creates it): nothing to read yet. */
	ts_texts_writer_t *w = writer(dir, 0, 0);
	read_refused(t, 1, 0, 0, ra.len, "texts.0");

	uint64_t offa = append(w, &ra);
	commit(w);
	read_equal(t, 1, 0, offa, &ra, &r);

	/* Grown by a page and more, so that the map must really change. */
	ts_buf_t pad = {0};
	for (int i = 0; i < 3000; i++)
		assert_int_equal(ts_buf_puts(&pad, "pad"), TS_OK);
	append(w, &pad);
	uint64_t offb = append(w, &rb);
	commit(w);
	read_equal(t, 1, 0, offb, &rb, &r);
	read_equal(t, 1, 0, offa, &ra, &r);
	/* Beyond the new end: still refused. */
	read_refused(t, 1, 0, offb, rb.len + 1, "texts.0");
	ts_texts_writer_free(w);
	ts_texts_free(t);
	ts_buf_release(&ra);
	ts_buf_release(&rb);
	ts_buf_release(&pad);
}

/*
 * A reader opened before its file grew reads the records appended since
 * (the file's size is read again), and one cut short after it read the
 * size gets an error naming the file, not a short record.
 */
static void test_grown_and_cut_file(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", tu_tmp("a")); /* in_tmp's buffers turn over */
	ts_buf_t ra = {0}, rb = {0}, pad = {0};
	small_record(&ra, "record A", (const char *[]){"a"}, (const uint32_t[]){1}, 1);
	small_record(&rb, "record B", (const char *[]){"b"}, (const uint32_t[]){2}, 1);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(ts_buf_puts(&pad, "pad"), TS_OK);
	ts_texts_writer_t *w = writer(dir, 0, 0);
	uint64_t offa = append(w, &ra);
	commit(w);
	ts_texts_t *t;
	ts_texts_record_t r;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	read_equal(t, 1, 0, offa, &ra, &r);
	append(w, &pad);
	uint64_t offb = append(w, &rb);
	commit(w);
	read_equal(t, 1, 0, offb, &rb, &r);
	read_equal(t, 1, 0, offa, &ra, &r);
	ts_texts_writer_free(w);

	/* Cut inside record B, after the reader read the file's size. */
	char path[256];
	snprintf(path, sizeof path, "%s/texts.0", dir);
	assert_int_equal(truncate(path, (off_t)(offb + rb.len / 2)), 0);
	char err[256] = "";
	memset(&r, 0x5a, sizeof r);
	assert_int_equal(ts_texts_read(t, 1, 0, offb, rb.len, &r, err, sizeof err), TS_ECORRUPT);
	assert_null(r.blocks);
	if (!strstr(err, path) || !strstr(err, "shorter"))
		fail_msg("the message does not name the file: '%s'", err);
	read_equal(t, 1, 0, offa, &ra, &r); /* what is left is still read */
	ts_texts_free(t);
	ts_buf_release(&ra);
	ts_buf_release(&rb);
	ts_buf_release(&pad);
}

/*
 * A long record is read without its texts: its head (more or less than
 * TS_TEXTS_FIRST_READ) and its positions (at once when the first read holds
 * the block table, which says how long the texts are), then a block's text
 * when asked.
 */
static void test_read_without_texts(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", tu_tmp("a"));
	ts_texts_builder_t b = {0};
	ts_article_t a;
	/* Short; long with a head longer than the first read (a term for each
	 * of 2,700 tokens); long with a short head and long positions. */
	const uint32_t short_ntok[] = {40, 0, 30}, long_ntok[] = {1200, 1400, 100},
	               lists_ntok[] = {1500, 900};
	const uint32_t short_pos[] = {0, 100, 200}, long_pos[] = {0, 2000, 4000},
	               lists_pos[] = {0, 5000};
	ts_buf_t recs[4] = {{0}};
	tokens_record(&b, &a, short_ntok, short_pos, 3, &recs[0]);
	ts_article_release(&a);
	tokens_record(&b, &a, long_ntok, long_pos, 3, &recs[1]);
	ts_article_release(&a);
	/* Long with a block table longer than the first read (700 blocks). */
	static uint32_t many_ntok[700], many_pos[700];
	for (uint32_t i = 0; i < 700; i++) {
		many_ntok[i] = 3;
		many_pos[i] = 10 * i;
	}
	tokens_record(&b, &a, many_ntok, many_pos, 700, &recs[3]);
	ts_article_release(&a);
	tokens_article(&a, lists_ntok, 2);
	for (size_t i = 0; i < a.nblocks; i++)
		note_tokens(&b, i, a.blocks[i].text, 0, 0);
	for (uint32_t k = 0; k < 8000; k++) {
		add(&b, "alpha", k * 300);
		add(&b, "beta", k * 300 + 1);
	}
	assert_int_equal(finish(&b, &a, lists_pos, &recs[2]), TS_OK);
	ts_article_release(&a);
	ts_texts_builder_release(&b);

	ts_texts_writer_t *w = writer(dir, 0, 0);
	uint64_t off[4];
	for (int i = 0; i < 4; i++)
		off[i] = append(w, &recs[i]);
	commit(w);
	ts_texts_writer_free(w);

	ts_texts_record_t whole[4], r;
	char *copies[4];
	for (int i = 0; i < 4; i++)
		copies[i] = parse_copy(&recs[i], &whole[i]);
	uint64_t head1 = 8 + 24 * 3 + 8 * (uint64_t)whole[1].nterms;
	uint64_t head2 = 8 + 24 * 2 + 8 * (uint64_t)whole[2].nterms;
	assert_true(recs[0].len <= TS_TEXTS_FIRST_READ);
	assert_true(head1 > TS_TEXTS_FIRST_READ);
	assert_true(head2 < TS_TEXTS_FIRST_READ && head2 + whole[2].listslen > TS_TEXTS_FIRST_READ);
	assert_true(8 + 24 * (uint64_t)whole[3].nblocks > TS_TEXTS_FIRST_READ);

	ts_texts_t *t;
	char err[256] = "";
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	for (int k = 0; k < 8; k++) {
		int i = k % 4;
		ts_status_t st = ts_texts_read(t, 1, 0, off[i], recs[i].len, &r, err, sizeof err);
		if (st)
			fail_msg("record %d: %s (%s)", i, ts_status_str(st), err);
		check_read(t, &r, &whole[i], recs[i].len);
		static uint32_t want[8000];
		for (uint32_t j = 0; j < 8000; j++)
			want[j] = j * 300 + 1;
		if (i == 2)
			check_positions(&r, "beta", want, 8000);
	}

	/* After a short record, read with its texts, the long one read before
	 * has no texts to read block by block. */
	assert_int_equal(ts_texts_read(t, 1, 0, off[1], recs[1].len, &r, err, sizeof err), TS_OK);
	assert_int_equal(ts_texts_read(t, 1, 0, off[0], recs[0].len, &r, err, sizeof err), TS_OK);
	assert_non_null(r.texts);
	ts_texts_block_t blk;
	ts_texts_record_block(&whole[1], 0, &blk);
	const char *text = "untouched";
	assert_int_equal(ts_texts_block_text(t, &whole[1], &blk, &text, err, sizeof err), TS_OK);
	assert_ptr_equal(text, whole[1].texts); /* its own texts */
	ts_texts_record_t bare = whole[1];
	bare.texts = NULL;
	assert_int_equal(ts_texts_block_text(t, &bare, &blk, &text, err, sizeof err), TS_EINVAL);
	assert_null(text);

	/* A block's text cut from the file after the record was read. */
	assert_int_equal(ts_texts_read(t, 1, 0, off[1], recs[1].len, &r, err, sizeof err), TS_OK);
	char path[256];
	snprintf(path, sizeof path, "%s/texts.0", dir);
	assert_int_equal(truncate(path, (off_t)(off[1] + recs[1].len - 10)), 0);
	ts_texts_record_block(&r, r.nblocks - 1, &blk);
	err[0] = '\0';
	assert_int_equal(ts_texts_block_text(t, &r, &blk, &text, err, sizeof err), TS_ECORRUPT);
	if (!strstr(err, path))
		fail_msg("the message does not name the file: '%s'", err);
	ts_texts_free(t);

	/* Heads that claim more than the record holds, block tables whose
	 * texts are a byte longer or shorter than the record's, and block
	 * tables of the right length that are out of order: a block after a
	 * gap, a block starting before the one ahead of it. */
	ts_buf_t bad[6] = {{0}};
	for (int i = 0; i < 6; i++) {
		ts_buf_t *src = &recs[i ? 2 : 1];
		assert_int_equal(ts_buf_append(&bad[i], src->data, src->len), TS_OK);
	}
	set_le32(bad[0].data + 4, 1u << 30);                       /* terms */
	set_le32(bad[1].data + head2 - 4, (uint32_t)recs[2].len);  /* positions' end */
	set_le32(bad[2].data + 16, le32_at(bad[2].data + 16) + 1); /* a block's length */
	set_le32(bad[3].data + 16, le32_at(bad[3].data + 16) - 1);
	set_le32(bad[4].data + 36, le32_at(bad[4].data + 36) + 1); /* block 1's offset */
	set_le32(bad[5].data + 8, le32_at(bad[5].data + 32) + 1);  /* block 0's position */
	w = writer(dir, 0, 0);
	uint64_t ob[6];
	for (int i = 0; i < 6; i++)
		ob[i] = append(w, &bad[i]);
	commit(w);
	ts_texts_writer_free(w);
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	for (int i = 0; i < 6; i++) {
		ts_status_t st = ts_texts_read(t, 1, 0, ob[i], bad[i].len, &r, err, sizeof err);
		if (st != TS_ECORRUPT)
			fail_msg("damaged record %d: %s", i, ts_status_str(st));
		assert_int_equal(r.nblocks, 0);
	}
	ts_texts_free(t);

	for (int i = 0; i < 4; i++) {
		free(copies[i]);
		ts_buf_release(&recs[i]);
	}
	for (int i = 0; i < 6; i++)
		ts_buf_release(&bad[i]);
}

/* Of a long record, the blocks that came with its head are not read again:
 * they read as they were when the file changed after the head was read. */
static void test_blocks_with_head(void **state)
{
	(void)state;
	char dir[128], path[160];
	snprintf(dir, sizeof dir, "%s", tu_tmp("a"));
	snprintf(path, sizeof path, "%s/texts.0", dir);
	ts_texts_builder_t b = {0};
	ts_article_t a;
	const uint32_t ntok[] = {50, 3000}, pos[] = {0, 100};
	tokens_article(&a, ntok, 2);
	for (size_t i = 0; i < a.nblocks; i++)
		note_tokens(&b, i, a.blocks[i].text, 0, 0);
	add(&b, "alpha", 3);
	add(&b, "beta", 200);
	ts_buf_t rec = {0};
	assert_int_equal(finish(&b, &a, pos, &rec), TS_OK);
	ts_texts_record_t whole, r;
	char *copy = parse_copy(&rec, &whole);
	ts_texts_block_t b0, b1;
	ts_texts_record_block(&whole, 0, &b0);
	ts_texts_record_block(&whole, 1, &b1);
	/* Block 0 is within the first read, block 1 runs past it. */
	size_t texts_at = rec.len - whole.textslen;
	assert_true(rec.len > TS_TEXTS_FIRST_READ);
	assert_true(texts_at + b0.offset + b0.len + b0.toklen <= TS_TEXTS_FIRST_READ);
	assert_true(texts_at + b1.offset + b1.len + b1.toklen > TS_TEXTS_FIRST_READ);

	ts_texts_writer_t *w = writer(dir, 0, 0);
	uint64_t off = append(w, &rec);
	commit(w);
	ts_texts_writer_free(w);
	ts_texts_t *t;
	char err[256] = "";
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	assert_int_equal(ts_texts_read(t, 1, 0, off, rec.len, &r, err, sizeof err), TS_OK);
	assert_null(r.texts);
	check_read(t, &r, &whole, rec.len);
	/* The record's texts change in the file. */
	char *junk = malloc(whole.textslen);
	assert_non_null(junk);
	memset(junk, '#', whole.textslen);
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, whole.textslen, (off_t)(off + texts_at)),
	                 (ssize_t)whole.textslen);
	close(fd);
	const char *text = NULL;
	assert_int_equal(ts_texts_block_text(t, &r, &b0, &text, err, sizeof err), TS_OK);
	assert_memory_equal(text, whole.texts + b0.offset, (size_t)b0.len + b0.toklen);
	assert_int_equal(ts_texts_block_text(t, &r, &b1, &text, err, sizeof err), TS_OK);
	assert_memory_equal(text, junk, b1.len); /* read again: what the file holds now */
	/* Block 0 again, after block 1: still from the head's read. */
	assert_int_equal(ts_texts_block_text(t, &r, &b0, &text, err, sizeof err), TS_OK);
	assert_memory_equal(text, whole.texts + b0.offset, (size_t)b0.len + b0.toklen);
	ts_texts_free(t);
	free(junk);
	free(copy);
	ts_buf_release(&rec);
	ts_article_release(&a);
	ts_texts_builder_release(&b);
}

/* Several folders: the shards, whose documents Xapian numbers in turn. */
static void test_several_dirs(void **state)
{
	(void)state;
	const char *dirs[2] = {NULL, NULL};
	char a[128], b[128];
	snprintf(a, sizeof a, "%s", tu_tmp("a"));
	snprintf(b, sizeof b, "%s", tu_tmp("b"));
	dirs[0] = a;
	dirs[1] = b;
	ts_buf_t r1 = {0}, r2 = {0}, r3 = {0};
	small_record(&r1, "shard a, its first", (const char *[]){"one"}, (const uint32_t[]){1}, 1);
	small_record(&r2, "shard b, its first", (const char *[]){"two"}, (const uint32_t[]){2}, 1);
	small_record(&r3, "shard a, its second, longer", (const char *[]){"three"},
	             (const uint32_t[]){3}, 1);
	ts_texts_writer_t *wa = writer(a, 0, 0), *wb = writer(b, 0, 0);
	assert_int_equal(append(wa, &r1), 0);
	assert_int_equal(append(wb, &r2), 0);
	uint64_t off3 = append(wa, &r3);
	assert_int_equal(off3, r1.len);
	flush(wa);
	flush(wb);
	ts_texts_writer_committed(wa);
	ts_texts_writer_committed(wb);
	ts_texts_writer_free(wa);
	ts_texts_writer_free(wb);

	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, dirs, 2), TS_OK);
	ts_texts_record_t r;
	read_equal(t, 1, 0, 0, &r1, &r);    /* shard a's document 1 */
	read_equal(t, 2, 0, 0, &r2, &r);    /* shard b's document 1 */
	read_equal(t, 3, 0, off3, &r3, &r); /* shard a's document 2 */
	read_equal(t, 2, 0, 0, &r2, &r);
	/* Docid 4 is shard b's second: its file has no such bytes. */
	read_refused(t, 4, 0, off3, r3.len, b);
	/* Docid 0 is none. */
	char err[512] = "";
	assert_int_not_equal(ts_texts_read(t, 0, 0, 0, 1, &r, err, sizeof err), TS_OK);
	ts_texts_free(t);
	ts_buf_release(&r1);
	ts_buf_release(&r2);
	ts_buf_release(&r3);
}

static void test_adopt(void **state)
{
	(void)state;
	char a[128], b[128];
	snprintf(a, sizeof a, "%s", tu_tmp("a"));
	snprintf(b, sizeof b, "%s", tu_tmp("b"));
	char err[512] = "";
	/* Nothing to adopt. */
	assert_int_equal(ts_texts_adopt(a, b, 1, err, sizeof err), TS_OK);
	assert_int_not_equal(access(tu_tmp("b/texts.1"), F_OK), 0);

	ts_buf_t rec = {0};
	small_record(&rec, "a shard's record", (const char *[]){"shard"}, (const uint32_t[]){1}, 1);
	ts_texts_writer_t *w = writer(a, 1, 0);
	append(w, &rec);
	commit(w);
	ts_texts_writer_free(w);
	assert_int_equal(ts_texts_adopt(a, b, 1, err, sizeof err), TS_OK);
	assert_int_not_equal(access(tu_tmp("a/texts.1"), F_OK), 0);
	size_t len = 0;
	char *bytes = tu_read_file(tu_tmp("b/texts.1"), &len);
	assert_non_null(bytes);
	assert_int_equal(len, rec.len);
	assert_memory_equal(bytes, rec.data, rec.len);
	free(bytes);
	/* Again: the source has none now, the adopted one stays. */
	assert_int_equal(ts_texts_adopt(a, b, 1, err, sizeof err), TS_OK);
	assert_int_equal(file_size(tu_tmp("b/texts.1")), rec.len);
	/* Another file number is another file. */
	assert_int_equal(ts_texts_adopt(b, a, 2, err, sizeof err), TS_OK);
	assert_int_equal(access(tu_tmp("b/texts.1"), F_OK), 0);
	/* And read where it went. */
	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, (const char *[]){b}, 1), TS_OK);
	ts_texts_record_t r;
	read_equal(t, 1, 1, 0, &rec, &r);
	ts_texts_free(t);

	/* Into a folder that is not there: an error naming the file. */
	err[0] = '\0';
	assert_int_equal(ts_texts_adopt(b, tu_tmp("nowhere"), 1, err, sizeof err), TS_EIO);
	assert_non_null(strstr(err, "texts.1"));
	assert_int_equal(file_size(tu_tmp("b/texts.1")), rec.len);
	ts_buf_release(&rec);
}

/*
 * An article whose blocks have no token (all punctuation, say), the first
 * a builder is given: no term was ever noted. Fails under UBSan (make
 * SANITIZE=address,undefined): ts_texts_builder_finish calls
 * qsort(b->pairs, b->n, ...) with b->pairs NULL (n 0), undefined behaviour
 * (qsort's pointer must be valid even for no element; glibc declares it
 * nonnull). Last in the list: the sanitizer stops the program there.
 */
static void test_finish_no_terms(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0};
	ts_article_t a;
	const uint32_t none[] = {0, 0}, pos[] = {0, 10};
	tokens_article(&a, none, 2);
	assert_int_equal(finish(&b, &a, pos, &out), TS_OK);
	ts_texts_record_t r;
	char *c = parse_copy(&out, &r);
	assert_int_equal(r.nterms, 0);
	check_tokens(&r, &a, none, pos);
	free(c);
	ts_article_release(&a);
	ts_buf_release(&out);
	ts_texts_builder_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_token_tables),
	    cmocka_unit_test(test_no_tokens),
	    cmocka_unit_test(test_builder_refuses),
	    cmocka_unit_test(test_builder_reset),
	    cmocka_unit_test(test_shared_hash),
	    cmocka_unit_test(test_damaged),
	    cmocka_unit_test(test_damaged_blocks),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_random_damage),
	    cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_big_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cut_on_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_grown_and_cut_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_without_texts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_blocks_with_head, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_several_dirs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_adopt, setup, teardown),
	    cmocka_unit_test(test_finish_no_terms), /* fails under UBSan: see it */
	};
	return cmocka_run_group_tests_name("textstore", tests, NULL, NULL);
}
