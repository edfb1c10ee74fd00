/*
 * test_docdata.c - the document data record: round trip, the text chunks,
 * block lookup by position, and refusal of every damaged record.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "docdata.h"
#include "testutil.h"

/* The chunks an article's texts are stored in, as ts_docdata_chunks gives them. */
typedef struct chunks {
	char *text[16];
	size_t len[16];
	uint32_t n;
	ts_buf_t scratch;
} chunks_t;

static ts_status_t keep_chunk(void *ctx, uint32_t chunk, const char *text, size_t len)
{
	chunks_t *c = ctx;
	assert_int_equal(chunk, c->n); /* in order, none skipped */
	assert_true(c->n < 16);
	c->text[c->n] = malloc(len + 1);
	assert_non_null(c->text[c->n]);
	memcpy(c->text[c->n], text, len);
	c->len[c->n++] = len;
	return TS_OK;
}

static void chunks_release(chunks_t *c)
{
	for (uint32_t i = 0; i < c->n; i++)
		free(c->text[i]);
	ts_buf_release(&c->scratch);
}

/* A long paragraph, so that its length needs a two-byte varint; in a long
 * article, long enough to keep the texts out of the record. */
static char long_text[TS_TEXT_CHUNK + 300];
static size_t long_len = 299;

static void set(char **field, const char *value)
{
	assert_int_equal(ts_article_set(field, value, strlen(value), NULL), TS_OK);
	assert_string_equal(*field, value);
}

/* Fill A with every field and five blocks; POS gets their positions. */
static void make_article(ts_article_t *a, uint32_t pos[5])
{
	memset(a, 0, sizeof *a);
	set(&a->title, "US \xe2\x80\x93 Japan Trade");
	set(&a->author, "Eliana Pisons");
	set(&a->date, "2025-02-07T14:30:00");
	set(&a->locator, "item 3");
	set(&a->link, "https://example.org/a?b=1");
	set(&a->language, "en");
	a->type = "rss";
	memset(long_text, 'x', long_len);
	long_text[long_len] = '\0';
	assert_int_equal(ts_article_add_block(a, TS_BLOCK_HEADING, "Pacific Partners", 16, NULL),
	                 TS_OK);
	assert_int_equal(ts_article_add_block(a, TS_BLOCK_PARA, "First paragraph.", 16, NULL),
	                 TS_OK);
	assert_int_equal(ts_article_add_block(a, TS_BLOCK_PARA, long_text, long_len, NULL), TS_OK);
	assert_int_equal(
	    ts_article_add_block(a, TS_BLOCK_PARA, "\xe6\x97\xa5\xe6\x9c\xac", 6, NULL), TS_OK);
	assert_int_equal(ts_article_add_block(a, TS_BLOCK_HEADING, "Z", 1, NULL), TS_OK);
	assert_int_equal(a->nblocks, 5);
	/* Positions: small, two-byte and larger varints, the largest a uint32 holds. */
	pos[0] = 66;
	pos[1] = 130;
	pos[2] = 5000;
	pos[3] = 70000;
	pos[4] = UINT32_MAX;
}

/* The encoded record of make_article, in a malloc'd buffer of exactly *LEN bytes. */
static char *encoded(size_t *len)
{
	ts_article_t a;
	uint32_t pos[5];
	make_article(&a, pos);
	ts_buf_t b = {0};
	assert_int_equal(ts_docdata_encode(&a, "corpus/trade/japan.xml", pos, &b), TS_OK);
	char *copy = malloc(b.len);
	assert_non_null(copy);
	memcpy(copy, b.data, b.len);
	*len = b.len;
	ts_buf_release(&b);
	ts_article_release(&a);
	return copy;
}

/* Round trip of make_article's record, its texts in it or in chunks. */
static void round_trip(int texts_inline)
{
	ts_article_t a;
	uint32_t pos[5];
	make_article(&a, pos);
	/* Encoding appends: start with something already in the buffer. */
	ts_buf_t b = {0};
	assert_int_equal(ts_buf_puts(&b, "junk"), TS_OK);
	assert_int_equal(ts_docdata_encode(&a, "corpus/trade/japan.xml", pos, &b), TS_OK);
	assert_memory_equal(b.data, "junk", 4);

	ts_docdata_t d;
	assert_int_equal(ts_docdata_decode(b.data + 4, b.len - 4, &d), TS_OK);
	assert_string_equal(d.path, "corpus/trade/japan.xml");
	assert_string_equal(d.locator, "item 3");
	assert_string_equal(d.title, "US \xe2\x80\x93 Japan Trade");
	assert_string_equal(d.author, "Eliana Pisons");
	assert_string_equal(d.date, "2025-02-07T14:30:00");
	assert_string_equal(d.type, "rss");
	assert_string_equal(d.link, "https://example.org/a?b=1");
	assert_string_equal(d.language, "en");
	assert_int_equal(d.nblocks, a.nblocks);
	assert_int_equal(d.text_inline, texts_inline);
	/* The texts come back from the record or from the chunks, where the
	 * record says they are. */
	chunks_t c = {0};
	assert_int_equal(ts_docdata_chunks(&a, &c.scratch, keep_chunk, &c), TS_OK);
	if (texts_inline) {
		assert_int_equal(c.n, 0); /* no chunk to store */
		assert_int_equal(ts_docdata_nchunks(&d), 1);
	} else {
		assert_int_equal(c.n, ts_docdata_nchunks(&d));
		assert_true(c.n >= 1);
	}
	for (size_t i = 0; i < d.nblocks; i++) {
		assert_int_equal(d.blocks[i].kind, a.blocks[i].kind);
		assert_int_equal(d.blocks[i].pos, pos[i]);
		assert_int_equal(d.blocks[i].len, a.blocks[i].len);
		if (texts_inline) {
			assert_int_equal(d.blocks[i].chunk, 0);
			assert_true(d.blocks[i].text > b.data && d.blocks[i].text < b.data + b.len);
			assert_memory_equal(d.blocks[i].text, a.blocks[i].text, a.blocks[i].len);
			continue;
		}
		assert_null(d.blocks[i].text); /* not in the record */
		assert_true(d.blocks[i].chunk < c.n);
		assert_true(d.blocks[i].offset + d.blocks[i].len <= c.len[d.blocks[i].chunk]);
		assert_memory_equal(c.text[d.blocks[i].chunk] + d.blocks[i].offset,
		                    a.blocks[i].text, a.blocks[i].len);
	}
	chunks_release(&c);
	assert_true(d.title > b.data && d.title < b.data + b.len);
	ts_docdata_release(&d);
	assert_null(d.blocks);
	assert_int_equal(d.nblocks, 0);
	ts_docdata_release(&d); /* twice is harmless */
	ts_docdata_release(NULL);
	ts_buf_release(&b);
	ts_article_release(&a);
}

static void test_round_trip(void **state)
{
	(void)state;
	long_len = 299; /* about 340 bytes of text: a short article */
	round_trip(1);
	long_len = TS_TEXT_INLINE; /* past TS_TEXT_INLINE in all */
	round_trip(0);
	long_len = TS_TEXT_CHUNK + 1; /* and past a chunk */
	round_trip(0);
	long_len = 299;
}

/* Chunks fill to TS_TEXT_CHUNK; a longer block is a chunk alone; order kept. */
static void test_chunk_layout(void **state)
{
	(void)state;
	ts_article_t a;
	memset(&a, 0, sizeof a);
	static char big[TS_TEXT_CHUNK + 100];
	memset(big, 'b', sizeof big - 1);
	static char half[TS_TEXT_CHUNK / 2 + 1];
	memset(half, 'h', sizeof half - 1);
	const char *texts[] = {"one", half, half, big, "two", "three"};
	const size_t lens[] = {3, sizeof half - 1, sizeof half - 1, sizeof big - 1, 3, 5};
	uint32_t pos[6];
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(ts_article_add_block(&a, TS_BLOCK_PARA, texts[i], lens[i], NULL),
		                 TS_OK);
		pos[i] = (uint32_t)(100 * (i + 1));
	}
	ts_buf_t b = {0};
	assert_int_equal(ts_docdata_encode(&a, "p", pos, &b), TS_OK);
	ts_docdata_t d;
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_OK);
	/* one+half fit in chunk 0; the second half starts chunk 1; big is chunk 2;
	 * two and three share chunk 3. */
	const uint32_t want_chunk[] = {0, 0, 1, 2, 3, 3};
	const uint32_t want_offset[] = {0, 3, 0, 0, 0, 3};
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(d.blocks[i].chunk, want_chunk[i]);
		assert_int_equal(d.blocks[i].offset, want_offset[i]);
	}
	assert_int_equal(ts_docdata_nchunks(&d), 4);
	chunks_t c = {0};
	assert_int_equal(ts_docdata_chunks(&a, &c.scratch, keep_chunk, &c), TS_OK);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.len[0], 3 + sizeof half - 1);
	assert_int_equal(c.len[2], sizeof big - 1);
	assert_int_equal(c.len[3], 8);
	assert_memory_equal(c.text[3], "twothree", 8);
	chunks_release(&c);
	ts_docdata_release(&d);
	ts_buf_release(&b);
	ts_article_release(&a);
}

static void test_empty_article(void **state)
{
	(void)state;
	ts_article_t a;
	memset(&a, 0, sizeof a);
	ts_buf_t b = {0};
	assert_int_equal(ts_docdata_encode(&a, "x.txt", NULL, &b), TS_OK);
	/* Version, 8 strings of which 7 empty, a zero block count, no texts. */
	assert_int_equal(b.len, 1 + 6 + 7 + 1 + 1);
	char *copy = malloc(b.len);
	assert_non_null(copy);
	memcpy(copy, b.data, b.len);
	ts_docdata_t d;
	assert_int_equal(ts_docdata_decode(copy, b.len, &d), TS_OK);
	assert_string_equal(d.path, "x.txt");
	const char *fields[] = {d.locator, d.title, d.author, d.date, d.type, d.link, d.language};
	for (size_t i = 0; i < 7; i++) {
		assert_non_null(fields[i]);
		assert_string_equal(fields[i], "");
	}
	assert_int_equal(d.nblocks, 0);
	assert_null(d.blocks);
	assert_int_equal(ts_docdata_block_from(&d, -1, 0), -1);
	assert_int_equal(ts_docdata_block_from(&d, -1, 1), -1);
	assert_int_equal(ts_docdata_block_from(&d, -1, 1000), -1);
	ts_docdata_release(&d);
	free(copy);
	ts_buf_release(&b);
}

static void test_block_from(void **state)
{
	(void)state;
	size_t len;
	char *data = encoded(&len);
	ts_docdata_t d;
	assert_int_equal(ts_docdata_decode(data, len, &d), TS_OK);
	/* Blocks start at 66, 130, 5000, 70000 and UINT32_MAX. */
	static const struct {
		uint32_t pos;
		long block;
	} cases[] = {
	    {0, -1},         {TS_POS_TITLE, -1}, {65, -1},   {66, 0},      {67, 0},
	    {129, 0},        {130, 1},           {131, 1},   {4999, 1},    {5000, 2},
	    {69999, 2},      {70000, 3},         {70001, 3}, {1000000, 3}, {UINT32_MAX - 1, 3},
	    {UINT32_MAX, 4},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (ts_docdata_block_from(&d, -1, cases[i].pos) != cases[i].block)
			fail_msg("position %u: block %ld, wanted %ld", cases[i].pos,
			         ts_docdata_block_from(&d, -1, cases[i].pos), cases[i].block);
	/* Walking on from the last answer, as ascending positions do. */
	long from = -1;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		from = ts_docdata_block_from(&d, from, cases[i].pos);
		if (from != cases[i].block)
			fail_msg("position %u walked to: block %ld, wanted %ld", cases[i].pos, from,
			         cases[i].block);
	}
	ts_docdata_release(&d);
	free(data);

	/* A single block, and the positions tsearch really uses (title 1, gap 64). */
	ts_article_t a;
	memset(&a, 0, sizeof a);
	assert_int_equal(ts_article_add_block(&a, TS_BLOCK_PARA, "one two three", 13, NULL), TS_OK);
	uint32_t pos = TS_POS_TITLE + 3 + TS_POS_GAP;
	ts_buf_t b = {0};
	assert_int_equal(ts_docdata_encode(&a, "p", &pos, &b), TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_OK);
	assert_int_equal(ts_docdata_block_from(&d, -1, TS_POS_TITLE), -1);
	assert_int_equal(ts_docdata_block_from(&d, -1, pos - 1), -1);
	assert_int_equal(ts_docdata_block_from(&d, -1, pos), 0);
	assert_int_equal(ts_docdata_block_from(&d, -1, pos + 2), 0);
	ts_docdata_release(&d);
	ts_buf_release(&b);
	ts_article_release(&a);
}

/* Every strict prefix of a record is refused, and leaves OUT empty. */
static void test_truncated(void **state)
{
	(void)state;
	size_t len;
	char *data = encoded(&len);
	for (size_t n = 0; n < len; n++) {
		/* An exact-size copy: a read past N bytes is caught by ASan/valgrind. */
		char *cut = malloc(n ? n : 1);
		assert_non_null(cut);
		memcpy(cut, data, n);
		ts_docdata_t d;
		memset(&d, 0x55, sizeof d);
		ts_status_t st = ts_docdata_decode(cut, n, &d);
		if (st != TS_ECORRUPT)
			fail_msg("record cut to %zu of %zu bytes: %s, wanted corrupt", n, len,
			         ts_status_str(st));
		assert_null(d.blocks);
		assert_int_equal(d.nblocks, 0);
		free(cut);
	}
	free(data);
}

static void test_wrong_version(void **state)
{
	(void)state;
	size_t len;
	char *data = encoded(&len);
	ts_docdata_t d;
	const char versions[] = {'0', '1', '3', '9', 0, 1, (char)0x81};
	for (size_t i = 0; i < sizeof versions; i++) {
		data[0] = versions[i];
		assert_int_equal(ts_docdata_decode(data, len, &d), TS_ECORRUPT);
	}
	data[0] = '2';
	assert_int_equal(ts_docdata_decode(data, len, &d), TS_OK);
	ts_docdata_release(&d);
	free(data);
}

/* Hand-made records with impossible numbers. */
static void test_bad_numbers(void **state)
{
	(void)state;
	ts_docdata_t d;
	ts_buf_t b = {0};
	/* Eight empty strings, then a block count larger than what follows. */
	assert_int_equal(ts_buf_append(&b, "2\0\0\0\0\0\0\0\0", 9), TS_OK);
	assert_int_equal(ts_buf_append_varint(&b, 1000), TS_OK);
	assert_int_equal(ts_buf_append(&b, "\x02\x01\x00\x00\x01", 5), TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);

	/* A varint that never ends (11 continuation bytes). */
	ts_buf_clear(&b);
	assert_int_equal(ts_buf_append(&b, "2\0\0\0\0\0\0\0\0", 9), TS_OK);
	assert_int_equal(ts_buf_append(&b, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),
	                 TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);

	/* A block position past UINT32_MAX. */
	ts_buf_clear(&b);
	assert_int_equal(ts_buf_append(&b, "2\0\0\0\0\0\0\0\0\x01\x02", 11), TS_OK);
	assert_int_equal(ts_buf_append_varint(&b, (uint64_t)UINT32_MAX + 1), TS_OK);
	assert_int_equal(ts_buf_append(&b, "\x00\x00\x01", 3), TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);

	/* Chunks must go up by zero or one from block to block, from 0. */
	ts_buf_clear(&b);
	assert_int_equal(ts_buf_append(&b, "2\0\0\0\0\0\0\0\0\x01\x02\x05\x01\x00\x03", 15), TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT); /* starts at 1 */
	ts_buf_clear(&b);
	assert_int_equal(
	    ts_buf_append(&b, "2\0\0\0\0\0\0\0\0\x02\x02\x05\x00\x00\x03\x02\x09\x02\x00\x03", 20),
	    TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT); /* 0 then 2 */
	/* The same with chunks 0 and 1 is fine, with its texts in values (0). */
	ts_buf_clear(&b);
	assert_int_equal(
	    ts_buf_append(&b, "2\0\0\0\0\0\0\0\0\x02\x02\x05\x00\x00\x03\x02\x09\x01\x00\x03", 20),
	    TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT); /* no text length */
	assert_int_equal(ts_buf_append(&b, "\x00", 1), TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_OK);
	assert_int_equal(d.nblocks, 2);
	assert_int_equal(d.blocks[0].pos, 5);
	assert_int_equal(d.blocks[1].chunk, 1);
	assert_int_equal(d.blocks[1].len, 3);
	assert_int_equal(ts_docdata_nchunks(&d), 2);
	assert_int_equal(d.text_inline, 0);
	ts_docdata_release(&d);

	/* Texts kept here: their length must be what is left, blocks in chunk 0
	 * and inside them. */
	ts_buf_clear(&b);
	assert_int_equal(
	    ts_buf_append(&b, "2\0\0\0\0\0\0\0\0\x02\x02\x05\x00\x00\x03\x02\x09\x00\x03\x02", 20),
	    TS_OK);
	assert_int_equal(ts_buf_append(&b, "\x05onetw", 6), TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_OK);
	assert_int_equal(d.text_inline, 1);
	assert_memory_equal(d.blocks[0].text, "one", 3);
	assert_memory_equal(d.blocks[1].text, "tw", 2);
	ts_docdata_release(&d);
	b.data[b.len - 6] = 4; /* shorter than what follows */
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);
	b.data[b.len - 6] = 6; /* longer */
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);
	b.data[b.len - 6] = 5;
	b.data[b.len - 9] = 3; /* the second block's text past the end */
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);
	b.data[b.len - 9] = 2;
	b.data[b.len - 10] = 1; /* a second chunk */
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);
	ts_buf_release(&b);
}

/* Does every pointer of D lie inside DATA/LEN, NUL-terminated there? */
static void check_inside(const ts_docdata_t *d, const char *data, size_t len)
{
	const char *strs[] = {d->path,    d->date, d->title, d->author,
	                      d->locator, d->type, d->link,  d->language};
	for (size_t i = 0; i < 8; i++) {
		assert_true(strs[i] >= data && strs[i] < data + len);
		assert_non_null(memchr(strs[i], '\0', (size_t)(data + len - strs[i])));
	}
	for (size_t i = 0; i < d->nblocks; i++) {
		if (d->text_inline) {
			assert_true(d->blocks[i].text >= data &&
			            d->blocks[i].text + d->blocks[i].len <= data + len);
			assert_int_equal(d->blocks[i].chunk, 0);
		} else {
			assert_null(d->blocks[i].text);
		}
		assert_true(!i || d->blocks[i].chunk <= d->blocks[i - 1].chunk + 1);
	}
}

static void test_random_bytes(void **state)
{
	(void)state;
	uint64_t seed = 7;
	/* Random bytes after a good version byte, without NULs: never a record. */
	for (int round = 0; round < 2000; round++) {
		size_t n = 1 + tu_rand(&seed) % 200;
		char *buf = malloc(n);
		assert_non_null(buf);
		buf[0] = '2';
		for (size_t i = 1; i < n; i++)
			buf[i] = (char)(1 + tu_rand(&seed) % 255);
		ts_docdata_t d;
		assert_int_equal(ts_docdata_decode(buf, n, &d), TS_ECORRUPT);
		assert_null(d.blocks);
		free(buf);
	}
	/* Fully random bytes (NULs included): no crash, and anything accepted is sound. */
	for (int round = 0; round < 5000; round++) {
		size_t n = tu_rand(&seed) % 64;
		char *buf = malloc(n ? n : 1);
		assert_non_null(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)(tu_rand(&seed) % 4 ? tu_rand(&seed) % 4 : tu_rand(&seed));
		if (n)
			buf[0] = '2';
		ts_docdata_t d;
		ts_status_t st = ts_docdata_decode(buf, n, &d);
		assert_true(st == TS_OK || st == TS_ECORRUPT);
		if (st == TS_OK)
			check_inside(&d, buf, n);
		ts_docdata_release(&d);
		free(buf);
	}
	/* A good record with random bytes changed. */
	size_t len;
	char *good = encoded(&len);
	for (int round = 0; round < 5000; round++) {
		char *buf = malloc(len);
		assert_non_null(buf);
		memcpy(buf, good, len);
		for (int k = 1 + (int)(tu_rand(&seed) % 4); k > 0; k--)
			buf[tu_rand(&seed) % len] = (char)tu_rand(&seed);
		ts_docdata_t d;
		ts_status_t st = ts_docdata_decode(buf, len, &d);
		assert_true(st == TS_OK || st == TS_ECORRUPT);
		if (st == TS_OK)
			check_inside(&d, buf, len);
		ts_docdata_release(&d);
		free(buf);
	}
	free(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_chunk_layout),
	    cmocka_unit_test(test_empty_article), cmocka_unit_test(test_block_from),
	    cmocka_unit_test(test_truncated),     cmocka_unit_test(test_wrong_version),
	    cmocka_unit_test(test_bad_numbers),   cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests_name("docdata", tests, NULL, NULL);
}
