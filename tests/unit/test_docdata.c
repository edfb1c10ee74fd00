/*
 * test_docdata.c - the document data: round trip, where the article's
 * record in the text store is, the record's block for a position (with the
 * positions the data's articles use), and refusal of every damaged data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "docdata.h"
#include "textstore.h"
#include "testutil.h"

/* A long paragraph, so that its length needs a two-byte varint. */
static char long_text[3000];
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

/* Append where the article's record is, as a writer appends it to the data. */
static void append_where(ts_buf_t *b, uint64_t file, uint64_t offset, uint64_t len)
{
	assert_int_equal(ts_docdata_append_where(b, file, offset, len), TS_OK);
}

/* The data of make_article as a writer stores it, in a malloc'd buffer of
 * exactly *LEN bytes. */
static char *encoded(size_t *len)
{
	ts_article_t a;
	uint32_t pos[5];
	make_article(&a, pos);
	ts_buf_t b = {0};
	assert_int_equal(ts_docdata_encode(&a, "corpus/trade/japan.xml", &b), TS_OK);
	append_where(&b, 3, 123456, 789);
	char *copy = malloc(b.len);
	assert_non_null(copy);
	memcpy(copy, b.data, b.len);
	*len = b.len;
	ts_buf_release(&b);
	ts_article_release(&a);
	return copy;
}

/* The text store record of article A with blocks at POS, into OUT; parsed into R. */
static void make_record(const ts_article_t *a, const uint32_t *pos, ts_buf_t *out,
                        ts_texts_record_t *r)
{
	ts_texts_builder_t tb = {0};
	if (a->nblocks)
		assert_int_equal(ts_texts_builder_add(&tb, "pacif", 5, pos[0]), TS_OK);
	/* One token in each block: its first byte. */
	for (size_t i = 0; i < a->nblocks; i++)
		assert_int_equal(ts_texts_builder_token(&tb, i, 0, 0, 1), TS_OK);
	assert_int_equal(ts_texts_builder_finish(&tb, a, pos, out), TS_OK);
	ts_texts_builder_release(&tb);
	assert_int_equal(ts_texts_record_parse(out->data, out->len, r), TS_OK);
}

static void test_round_trip(void **state)
{
	(void)state;
	ts_article_t a;
	uint32_t pos[5];
	make_article(&a, pos);
	/* Encoding appends: start with something already in the buffer. */
	ts_buf_t b = {0};
	assert_int_equal(ts_buf_puts(&b, "junk"), TS_OK);
	assert_int_equal(ts_docdata_encode(&a, "corpus/trade/japan.xml", &b), TS_OK);
	assert_memory_equal(b.data, "junk", 4);
	/* It ends in 's': without where the record is, damaged. */
	assert_int_equal(b.data[b.len - 1], 's');
	ts_docdata_t d;
	assert_int_equal(ts_docdata_decode(b.data + 4, b.len - 4, &d), TS_ECORRUPT);
	append_where(&b, 2, 5000000000ULL, 4242);

	assert_int_equal(ts_docdata_decode(b.data + 4, b.len - 4, &d), TS_OK);
	assert_string_equal(d.path, "corpus/trade/japan.xml");
	assert_string_equal(d.locator, "item 3");
	assert_string_equal(d.title, "US \xe2\x80\x93 Japan Trade");
	assert_string_equal(d.author, "Eliana Pisons");
	assert_string_equal(d.date, "2025-02-07T14:30:00");
	assert_string_equal(d.type, "rss");
	assert_string_equal(d.link, "https://example.org/a?b=1");
	assert_string_equal(d.language, "en");
	assert_true(d.title > b.data && d.title < b.data + b.len);
	assert_int_equal(d.text_stored, 1);
	assert_int_equal(d.texts_file, 2);
	assert_true(d.texts_offset == 5000000000ULL);
	assert_int_equal(d.texts_len, 4242);

	ts_buf_release(&b);
	ts_article_release(&a);
}

static void test_empty_article(void **state)
{
	(void)state;
	ts_article_t a;
	memset(&a, 0, sizeof a);
	ts_buf_t b = {0};
	assert_int_equal(ts_docdata_encode(&a, "x.txt", &b), TS_OK);
	/* Version, 8 strings of which 7 empty, and no record: nothing more. */
	assert_int_equal(b.len, 1 + 6 + 7);
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
	assert_int_equal(d.text_stored, 0);
	free(copy);
	ts_buf_release(&b);
}

static void test_block_from(void **state)
{
	(void)state;
	ts_article_t a;
	uint32_t pos[5];
	make_article(&a, pos);
	ts_buf_t rec = {0};
	ts_texts_record_t r;
	make_record(&a, pos, &rec, &r);
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
		if (ts_texts_record_block_from(&r, -1, cases[i].pos) != cases[i].block)
			fail_msg("position %u: block %ld, wanted %ld", cases[i].pos,
			         ts_texts_record_block_from(&r, -1, cases[i].pos), cases[i].block);
	/* Walking on from the last answer, as ascending positions do. */
	long from = -1;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		from = ts_texts_record_block_from(&r, from, cases[i].pos);
		if (from != cases[i].block)
			fail_msg("position %u walked to: block %ld, wanted %ld", cases[i].pos, from,
			         cases[i].block);
	}
	ts_article_release(&a);

	/* A single block, and the positions tsearch really uses (title 1, gap 64). */
	memset(&a, 0, sizeof a);
	assert_int_equal(ts_article_add_block(&a, TS_BLOCK_PARA, "one two three", 13, NULL), TS_OK);
	uint32_t one = TS_POS_TITLE + 3 + TS_POS_GAP;
	ts_buf_clear(&rec);
	make_record(&a, &one, &rec, &r);
	assert_int_equal(ts_texts_record_block_from(&r, -1, TS_POS_TITLE), -1);
	assert_int_equal(ts_texts_record_block_from(&r, -1, one - 1), -1);
	assert_int_equal(ts_texts_record_block_from(&r, -1, one), 0);
	assert_int_equal(ts_texts_record_block_from(&r, -1, one + 2), 0);
	ts_article_release(&a);

	/* No block: every position before the first. */
	memset(&a, 0, sizeof a);
	ts_buf_clear(&rec);
	make_record(&a, NULL, &rec, &r);
	assert_int_equal(r.nblocks, 0);
	assert_int_equal(ts_texts_record_block_from(&r, -1, 0), -1);
	assert_int_equal(ts_texts_record_block_from(&r, -1, UINT32_MAX), -1);
	ts_buf_release(&rec);
}

/* Every strict prefix of a data is refused, and leaves OUT empty, but the
 * one that ends with the strings: the data of an article without blocks. */
static void test_truncated(void **state)
{
	(void)state;
	size_t len;
	char *data = encoded(&len);
	const char *s = memchr(data, 's', len);
	while (s && s[-1] != '\0')
		s = memchr(s + 1, 's', len - (size_t)(s + 1 - data));
	assert_non_null(s);
	size_t strings = (size_t)(s - data);
	for (size_t n = 0; n < len; n++) {
		/* An exact-size copy: a read past N bytes is caught by ASan/valgrind. */
		char *cut = malloc(n ? n : 1);
		assert_non_null(cut);
		memcpy(cut, data, n);
		ts_docdata_t d;
		memset(&d, 0x55, sizeof d);
		ts_status_t st = ts_docdata_decode(cut, n, &d);
		ts_status_t want = n == strings ? TS_OK : TS_ECORRUPT;
		if (st != want)
			fail_msg("data cut to %zu of %zu bytes: %s, wanted %s", n, len,
			         ts_status_str(st), ts_status_str(want));
		assert_int_equal(d.text_stored, 0);
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
	const char versions[] = {'0', '1', '2', '4', '9', 0, 1, (char)0x81};
	for (size_t i = 0; i < sizeof versions; i++) {
		data[0] = versions[i];
		assert_int_equal(ts_docdata_decode(data, len, &d), TS_ECORRUPT);
	}
	data[0] = '3';
	assert_int_equal(ts_docdata_decode(data, len, &d), TS_OK);
	free(data);
}

/* Hand-made data with impossible endings. */
static void test_bad_numbers(void **state)
{
	(void)state;
	ts_docdata_t d;
	ts_buf_t b = {0};
	/* Eight empty strings, 's', file 1, offset 128, length 32. */
	assert_int_equal(ts_buf_append(&b, "3\0\0\0\0\0\0\0\0s\x01\x80\x01\x20", 14), TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_OK);
	assert_int_equal(d.text_stored, 1);
	assert_int_equal(d.texts_file, 1);
	assert_int_equal(d.texts_offset, 128);
	assert_int_equal(d.texts_len, 32);
	b.data[9] = 'i'; /* anything but 's' */
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);
	b.data[9] = 's';
	assert_int_equal(ts_buf_append(&b, "\x00", 1), TS_OK); /* a byte too many */
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);
	/* A length that never ends (11 continuation bytes). */
	ts_buf_clear(&b);
	assert_int_equal(ts_buf_append(&b, "3\0\0\0\0\0\0\0\0s\x01\x01", 12), TS_OK);
	assert_int_equal(ts_buf_append(&b, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),
	                 TS_OK);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);
	/* A file number past UINT32_MAX. */
	ts_buf_clear(&b);
	assert_int_equal(ts_buf_append(&b, "3\0\0\0\0\0\0\0\0s", 10), TS_OK);
	append_where(&b, (uint64_t)UINT32_MAX + 1, 0, 1);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_ECORRUPT);
	ts_buf_clear(&b);
	assert_int_equal(ts_buf_append(&b, "3\0\0\0\0\0\0\0\0s", 10), TS_OK);
	append_where(&b, UINT32_MAX, 0, 1);
	assert_int_equal(ts_docdata_decode(b.data, b.len, &d), TS_OK);
	assert_int_equal(d.texts_file, UINT32_MAX);
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
	assert_true(d->text_stored == 0 || d->text_stored == 1);
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
		buf[0] = '3';
		for (size_t i = 1; i < n; i++)
			buf[i] = (char)(1 + tu_rand(&seed) % 255);
		ts_docdata_t d;
		assert_int_equal(ts_docdata_decode(buf, n, &d), TS_ECORRUPT);
		assert_null(d.path); /* cleared */
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
			buf[0] = '3';
		ts_docdata_t d;
		ts_status_t st = ts_docdata_decode(buf, n, &d);
		assert_true(st == TS_OK || st == TS_ECORRUPT);
		if (st == TS_OK)
			check_inside(&d, buf, n);
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
		free(buf);
	}
	free(good);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_empty_article),
	    cmocka_unit_test(test_block_from),    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_wrong_version), cmocka_unit_test(test_bad_numbers),
	    cmocka_unit_test(test_random_bytes),
	};
	return cmocka_run_group_tests_name("docdata", tests, NULL, NULL);
}
