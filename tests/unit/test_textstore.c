/*
 * test_textstore.c - the text store: the term hash, building and reading a
 * record (round trip, shared lists, refusal of every damaged record), and
 * the files (writer's append, flush, commit and rollback, the cut of an
 * uncommitted tail, the reader's lazy and renewed maps, several folders,
 * adopting a shard's file).
 *
 * test_remap_keeps_records fails on purpose until the reader keeps the
 * records it handed out mapped (see its comment).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
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

static char tmpdir[64];

/* TMPDIR/NAME (two alternating buffers: two paths can be in use at once). */
static const char *in_tmp(const char *name)
{
	static char path[2][256];
	static int which;
	which = !which;
	snprintf(path[which], sizeof path[which], "%s/%s", tmpdir, name);
	return path[which];
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int setup(void **state)
{
	(void)state;
	strcpy(tmpdir, "/tmp/tsearch-texts.XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	/* Two database folders, for the tests of several. */
	char a[128], b[128];
	snprintf(a, sizeof a, "%s/a", tmpdir);
	snprintf(b, sizeof b, "%s/b", tmpdir);
	return mkdir(a, 0755) || mkdir(b, 0755) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	return nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
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

static void put_le32(ts_buf_t *b, uint32_t v)
{
	unsigned char le[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                       (unsigned char)(v >> 24)};
	assert_int_equal(ts_buf_append(b, le, 4), TS_OK);
}

static void add(ts_texts_builder_t *b, const char *term, uint32_t pos)
{
	assert_int_equal(ts_texts_builder_add(b, term, strlen(term), pos), TS_OK);
}

/* An article of N blocks with texts TEXTS (already normalized). */
static void make_article(ts_article_t *a, const char *const *texts, size_t n)
{
	memset(a, 0, sizeof *a);
	assert_int_equal(ts_article_set(&a->title, "Trade", 5, NULL), TS_OK);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ts_article_add_block(a, i ? TS_BLOCK_PARA : TS_BLOCK_HEADING,
		                                      texts[i], strlen(texts[i]), NULL),
		                 TS_OK);
	assert_int_equal(a->nblocks, n);
}

/* Record REC's positions of TERM are exactly WANT[0..N-1]. */
static void check_positions(const ts_texts_record_t *rec, const char *term, const uint32_t *want,
                            size_t n)
{
	uint32_t *pos = (uint32_t *)(uintptr_t)1; /* overwritten */
	size_t got = 99;
	assert_int_equal(ts_texts_record_positions(rec, hash_of(term), &pos, &got), TS_OK);
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

/* Can LEN bytes at P be read (still mapped)? Asks the kernel: no signal. */
static int readable(const void *p, size_t len)
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	ssize_t k = write(fd[1], p, len);
	close(fd[0]);
	close(fd[1]);
	return k == (ssize_t)len;
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
	ts_buf_clear(out);
	assert_int_equal(ts_texts_builder_finish(&b, &a, out), TS_OK);
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

/* Through T, document DOCID's record at FILE/OFFSET is REC. */
static const char *get_equal(ts_texts_t *t, uint32_t docid, uint32_t file, uint64_t offset,
                             const ts_buf_t *rec)
{
	const char *p = NULL;
	char err[256] = "";
	ts_status_t st = ts_texts_get(t, docid, file, offset, rec->len, &p, err, sizeof err);
	if (st)
		fail_msg("get docid %u file %u at %llu: %s (%s)", docid, file,
		         (unsigned long long)offset, ts_status_str(st), err);
	assert_non_null(p);
	assert_memory_equal(p, rec->data, rec->len);
	return p;
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

/* The record of the round trip: terms added out of order, one of them at
 * positions that need 1- to 5-byte varint gaps. */
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
	assert_int_equal(ts_texts_builder_finish(b, &a, out), TS_OK);
	ts_article_release(&a);
}

static const uint32_t tariff_pos[] = {1, 5, 130, 3000000};
static const uint32_t japan_pos[] = {2};
static const uint32_t trade_pos[] = {0, 70000, UINT32_MAX};

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
	size_t total = 0;
	for (size_t i = 0; i < 3; i++)
		total += strlen(block_texts[i]);
	assert_int_equal(r->textslen, total);
	size_t at = 0;
	for (size_t i = 0; i < 3; i++) {
		assert_memory_equal(r->texts + at, block_texts[i], strlen(block_texts[i]));
		at += strlen(block_texts[i]);
	}
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

	/* The layout the header describes. */
	assert_int_equal(le32_at(rec), 3);
	uint32_t h[3] = {le32_at(rec + 4), le32_at(rec + 8), le32_at(rec + 12)};
	assert_true(h[0] < h[1] && h[1] < h[2]);
	for (size_t i = 0; i < 3; i++)
		assert_true(h[i] == hash_of("tariff") || h[i] == hash_of("japan") ||
		            h[i] == hash_of("trade"));
	assert_int_equal(le32_at(rec + 24), 17); /* the last list's end */

	ts_texts_record_t r;
	assert_int_equal(ts_texts_record_parse(rec, len, &r), TS_OK);
	assert_int_equal(len, 4 + 8 * 3 + r.listslen + r.textslen);
	assert_ptr_equal(r.hashes, (const unsigned char *)rec + 4);
	assert_ptr_equal(r.texts, rec + len - r.textslen);
	check_round_trip(&r);

	/* The builder is empty again: the next record has only the new terms. */
	ts_article_t a;
	const char *one = "second article";
	make_article(&a, &one, 1);
	add(&b, "second", 7);
	add(&b, "articl", 9);
	add(&b, "second", 8);
	ts_buf_clear(&out);
	assert_int_equal(ts_texts_builder_finish(&b, &a, &out), TS_OK);
	assert_int_equal(ts_texts_record_parse(out.data, out.len, &r), TS_OK);
	assert_int_equal(r.nterms, 2);
	check_positions(&r, "second", (const uint32_t[]){7, 8}, 2);
	check_positions(&r, "articl", (const uint32_t[]){9}, 1);
	check_positions(&r, "tariff", NULL, 0);
	check_positions(&r, "trade", NULL, 0);
	assert_int_equal(r.textslen, strlen(one));
	assert_memory_equal(r.texts, one, strlen(one));
	ts_article_release(&a);

	/* No terms and no blocks: a record of a zero count alone. */
	memset(&a, 0, sizeof a);
	ts_buf_clear(&out);
	assert_int_equal(ts_texts_builder_finish(&b, &a, &out), TS_OK);
	assert_int_equal(out.len, 4);
	assert_int_equal(ts_texts_record_parse(out.data, out.len, &r), TS_OK);
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
	assert_int_equal(ts_texts_builder_finish(&b, &a, &out), TS_OK);
	assert_int_equal(ts_texts_record_parse(out.data, out.len, &r), TS_OK);
	assert_int_equal(r.nterms, 3000);
	for (uint32_t i = 0; i < 3000; i++) {
		snprintf(term, sizeof term, "t%u", i);
		check_positions(&r, term, (const uint32_t[]){3 * i + 1, 3 * i + 100000}, 2);
	}
	check_positions(&r, "t3000", NULL, 0);

	ts_texts_builder_release(&b);
	assert_null(b.pairs);
	ts_texts_builder_release(&b); /* twice is harmless */
	ts_buf_release(&out);
	free(rec);
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
	assert_int_equal(ts_texts_builder_finish(&b, &a, &out), TS_OK);
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

/*
 * A hand-made record: N terms with hashes H and list ends E, the lists
 * LISTS/LISTSLEN, then TEXT; in an exact-size malloc'd buffer of *LEN bytes.
 */
static char *craft(uint32_t n, const uint32_t *h, const uint32_t *e, const char *lists,
                   size_t listslen, const char *text, size_t *len)
{
	ts_buf_t b = {0};
	put_le32(&b, n);
	for (uint32_t i = 0; i < n; i++)
		put_le32(&b, h[i]);
	for (uint32_t i = 0; i < n; i++)
		put_le32(&b, e[i]);
	assert_int_equal(ts_buf_append(&b, lists, listslen), TS_OK);
	assert_int_equal(ts_buf_puts(&b, text), TS_OK);
	char *c = exact_copy(b.data, b.len);
	*len = b.len;
	ts_buf_release(&b);
	return c;
}

/* Look up hash H in REC/LEN (which must parse): WANT is the status. */
static void lookup_is(const char *rec, size_t len, uint32_t h, ts_status_t want)
{
	ts_texts_record_t r;
	assert_int_equal(ts_texts_record_parse(rec, len, &r), TS_OK);
	uint32_t *pos = NULL;
	size_t n = 99;
	ts_status_t st = ts_texts_record_positions(&r, h, &pos, &n);
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
	/* Too short for the count. */
	for (size_t n = 0; n < 4; n++) {
		char *c = exact_copy("\0\0\0\0", n);
		assert_int_equal(ts_texts_record_parse(c, n, &r), TS_ECORRUPT);
		free(c);
	}
	size_t len;
	char *c;
	/* More terms than the length holds (8 bytes each), up to the largest count. */
	const uint32_t h[2] = {100, 200}, e[2] = {1, 2};
	const uint32_t counts[] = {2, 3, 1000, 0x20000000u, UINT32_MAX};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		c = craft(2, h, e, "\x01\x02", 2, "", &len);
		c[0] = (char)counts[i];
		c[1] = (char)(counts[i] >> 8);
		c[2] = (char)(counts[i] >> 16);
		c[3] = (char)(counts[i] >> 24);
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
	/* A zero count is a record (of texts only). */
	c = craft(0, NULL, NULL, "", 0, "abc", &len);
	assert_int_equal(ts_texts_record_parse(c, len, &r), TS_OK);
	assert_int_equal(r.textslen, 3);
	assert_memory_equal(r.texts, "abc", 3);
	free(c);
}

/* Every prefix of a good record: refused until its lists are whole, then
 * read as the whole record with fewer texts. */
static void test_truncated(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0};
	round_trip_record(&b, &out);
	size_t head = 4 + 8 * 3 + 17;
	const char *terms[] = {"tariff", "japan", "trade", "absent"};
	for (size_t n = 0; n <= out.len; n++) {
		char *cut = exact_copy(out.data, n);
		ts_texts_record_t r;
		ts_status_t st = ts_texts_record_parse(cut, n, &r);
		if (n < head) {
			if (st != TS_ECORRUPT)
				fail_msg("record cut to %zu of %zu bytes: %s, wanted corrupt", n,
				         out.len, ts_status_str(st));
		} else {
			if (st != TS_OK)
				fail_msg("record cut to %zu of %zu bytes (lists whole): %s", n,
				         out.len, ts_status_str(st));
			assert_int_equal(r.textslen, n - head);
			for (size_t k = 0; k < 4; k++) {
				uint32_t *pos = NULL;
				size_t np = 0;
				assert_int_equal(
				    ts_texts_record_positions(&r, hash_of(terms[k]), &pos, &np),
				    TS_OK);
				assert_int_equal(np, k == 0 ? 4 : k == 1 ? 1 : k == 2 ? 3 : 0);
				free(pos);
			}
			if (n == out.len)
				check_round_trip(&r);
		}
		free(cut);
	}
	ts_buf_release(&out);
	ts_texts_builder_release(&b);
}

/* A good record with bytes changed: refused, or read within its bounds. */
static void test_random_damage(void **state)
{
	(void)state;
	ts_texts_builder_t b = {0};
	ts_buf_t out = {0};
	round_trip_record(&b, &out);
	uint32_t hashes[] = {hash_of("tariff"), hash_of("japan"), hash_of("trade"), 0, UINT32_MAX};
	uint64_t seed = 77;
	for (int round = 0; round < 20000; round++) {
		char *c = exact_copy(out.data, out.len);
		/* Mostly in the head and lists, where damage matters. */
		size_t span = round % 2 ? out.len : 4 + 8 * 3 + 17;
		for (int k = 1 + (int)(tu_rand(&seed) % 3); k > 0; k--)
			c[tu_rand(&seed) % span] = (char)tu_rand(&seed);
		size_t len = out.len - (round % 5 ? 0 : tu_rand(&seed) % out.len);
		ts_texts_record_t r;
		ts_status_t st = ts_texts_record_parse(c, len, &r);
		assert_true(st == TS_OK || st == TS_ECORRUPT);
		if (st == TS_OK) {
			assert_true(r.texts >= c && r.texts + r.textslen == c + len);
			for (size_t i = 0; i <= r.nterms && i < 64; i++) {
				uint32_t h = i < r.nterms ? le32_at(r.hashes + 4 * i)
				                          : hashes[tu_rand(&seed) % 5];
				uint32_t *pos = NULL;
				size_t n = 0;
				st = ts_texts_record_positions(&r, h, &pos, &n);
				assert_true(st == TS_OK || st == TS_ECORRUPT);
				assert_true(n <= r.listslen);
				for (size_t j = 1; j < n; j++)
					assert_true(pos[j - 1] < pos[j]);
				free(pos);
			}
		}
		free(c);
	}
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
	snprintf(dir, sizeof dir, "%s", in_tmp("a")); /* in_tmp's buffers turn over */
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
	assert_int_equal(file_size(in_tmp("a/texts.0")), total);
	/* Flushed is not committed yet. */
	assert_int_equal(ts_texts_writer_pending(w), total);
	ts_texts_writer_committed(w);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	/* Nothing new: flushing again changes nothing. */
	assert_int_equal(flush(w), total);
	assert_int_equal(file_size(in_tmp("a/texts.0")), total);

	ts_texts_t *t = NULL;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	assert_non_null(t);
	const char *p = get_equal(t, 1, 0, 0, &r1);
	ts_texts_record_t rec;
	assert_int_equal(ts_texts_record_parse(p, r1.len, &rec), TS_OK);
	check_round_trip(&rec);
	get_equal(t, 1, 0, r1.len, &r2);
	get_equal(t, 5, 0, r1.len, &r2); /* any docid: one folder */

	/* Beyond the file's end: refused, naming the file. */
	const struct {
		uint64_t offset, len;
	} beyond[] = {
	    {total - 1, 2}, {total, 1},      {total + 1, 0},
	    {0, total + 1}, {UINT64_MAX, 1}, {1, UINT64_MAX},
	};
	for (size_t i = 0; i < sizeof beyond / sizeof beyond[0]; i++) {
		const char *q = "untouched";
		err[0] = '\0';
		assert_int_equal(
		    ts_texts_get(t, 1, 0, beyond[i].offset, beyond[i].len, &q, err, sizeof err),
		    TS_ECORRUPT);
		assert_null(q);
		if (!strstr(err, "texts.0") || !strstr(err, dir))
			fail_msg("the message does not name the file: '%s'", err);
	}
	/* The last byte exactly is in. */
	assert_int_equal(ts_texts_get(t, 1, 0, total - 1, 1, &p, err, sizeof err), TS_OK);
	assert_int_equal(*p, r2.data[r2.len - 1]);
	/* A file that is not there. */
	err[0] = '\0';
	p = "untouched";
	assert_int_equal(ts_texts_get(t, 1, 7, 0, 1, &p, err, sizeof err), TS_ECORRUPT);
	assert_null(p);
	if (!strstr(err, "texts.7"))
		fail_msg("the message does not name the file: '%s'", err);
	/* ... and the ones that are still read. */
	get_equal(t, 1, 0, r1.len, &r2);
	ts_texts_free(t);
	ts_texts_free(NULL);

	/* No folders. */
	t = (ts_texts_t *)(uintptr_t)1;
	assert_int_not_equal(ts_texts_open(&t, NULL, 0), TS_OK);
	assert_null(t);

	/* A writer in a folder that is not there: an error that names it. */
	ts_texts_writer_t *w2 = (ts_texts_writer_t *)(uintptr_t)1;
	err[0] = '\0';
	assert_int_equal(ts_texts_writer_open(&w2, in_tmp("nowhere"), 0, 0, 0, err, sizeof err),
	                 TS_EIO);
	assert_null(w2);
	if (!strstr(err, "nowhere"))
		fail_msg("the message does not name the file: '%s'", err);

	ts_texts_writer_free(w);
	ts_texts_writer_free(NULL);
	/* Freeing flushes nothing more and cuts nothing. */
	assert_int_equal(file_size(in_tmp("a/texts.0")), total);
	ts_buf_release(&r1);
	ts_buf_release(&r2);
}

/* Records bigger than the writer's buffer go out as they come. */
static void test_big_records(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", in_tmp("a")); /* in_tmp's buffers turn over */
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
	assert_int_equal(flush(w), at);
	ts_texts_writer_committed(w);
	assert_int_equal(file_size(in_tmp("a/texts.2")), at);

	/* A big record rolled back after it went out: the next takes its place. */
	ts_buf_t small = {0};
	small_record(&small, "small", (const char *[]){"small"}, (const uint32_t[]){3}, 1);
	assert_int_equal(append(w, &recs[0]), at);
	assert_int_equal(append(w, &recs[1]), at + recs[0].len);
	ts_texts_writer_rollback(w);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	assert_int_equal(append(w, &small), at);
	assert_int_equal(flush(w), at + small.len);
	ts_texts_writer_committed(w);

	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	for (int i = 0; i < 3; i++)
		get_equal(t, 1, 2, off[i], &recs[i]);
	get_equal(t, 1, 2, at, &small);
	ts_texts_free(t);
	ts_texts_writer_free(w);
	/* Reopened at the committed length, the rolled-back bytes are gone. */
	w = writer(dir, 2, at + small.len);
	assert_int_equal(file_size(in_tmp("a/texts.2")), at + small.len);
	ts_texts_writer_free(w);
	for (int i = 0; i < 3; i++)
		ts_buf_release(&recs[i]);
	ts_buf_release(&small);
}

static void test_rollback(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", in_tmp("a")); /* in_tmp's buffers turn over */
	ts_buf_t r1 = {0}, r2 = {0}, r3 = {0}, r4 = {0};
	small_record(&r1, "first", (const char *[]){"first"}, (const uint32_t[]){1}, 1);
	small_record(&r2, "second, rolled back", (const char *[]){"second"}, (const uint32_t[]){2},
	             1);
	small_record(&r3, "third", (const char *[]){"third"}, (const uint32_t[]){3}, 1);
	small_record(&r4, "fourth", (const char *[]){"fourth"}, (const uint32_t[]){4}, 1);

	ts_texts_writer_t *w = writer(dir, 0, 0);
	assert_int_equal(append(w, &r1), 0);
	assert_int_equal(flush(w), r1.len);
	ts_texts_writer_committed(w);
	/* Rolled back before it was flushed. */
	assert_int_equal(append(w, &r2), r1.len);
	assert_int_equal(ts_texts_writer_pending(w), r2.len);
	ts_texts_writer_rollback(w);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	assert_int_equal(append(w, &r3), r1.len);
	assert_int_equal(ts_texts_writer_pending(w), r3.len);
	assert_int_equal(flush(w), r1.len + r3.len);
	assert_int_equal(file_size(in_tmp("a/texts.0")), r1.len + r3.len);
	ts_texts_writer_committed(w);

	/* Rolled back after it was flushed (its commit failed). */
	uint64_t base = r1.len + r3.len;
	assert_int_equal(append(w, &r2), base);
	assert_int_equal(flush(w), base + r2.len);
	ts_texts_writer_rollback(w);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	assert_int_equal(append(w, &r4), base);
	assert_int_equal(flush(w), base + r4.len);
	ts_texts_writer_committed(w);
	assert_int_equal(ts_texts_writer_pending(w), 0);

	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	get_equal(t, 1, 0, 0, &r1);
	get_equal(t, 1, 0, r1.len, &r3);
	get_equal(t, 1, 0, base, &r4);
	ts_texts_free(t);
	ts_texts_writer_free(w);
	/* The next writer keeps what was committed, and only that. */
	w = writer(dir, 0, base + r4.len);
	assert_int_equal(file_size(in_tmp("a/texts.0")), base + r4.len);
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
	snprintf(dir, sizeof dir, "%s", in_tmp("a")); /* in_tmp's buffers turn over */
	ts_buf_t hundred = {0}, more = {0};
	for (int i = 0; i < 100; i++)
		assert_int_equal(ts_buf_append(&hundred, (char[]){(char)i}, 1), TS_OK);
	assert_int_equal(ts_buf_puts(&more, "fifty bytes an interrupted run left behind ....."),
	                 TS_OK);

	ts_texts_writer_t *w = writer(dir, 1, 0);
	assert_int_equal(append(w, &hundred), 0);
	assert_int_equal(flush(w), 100);
	ts_texts_writer_committed(w);
	assert_int_equal(append(w, &more), 100);
	assert_int_equal(flush(w), 100 + more.len);
	ts_texts_writer_free(w); /* the run stops before its commit */
	assert_int_equal(file_size(in_tmp("a/texts.1")), 100 + more.len);

	w = writer(dir, 1, 100);
	assert_int_equal(file_size(in_tmp("a/texts.1")), 100);
	assert_int_equal(ts_texts_writer_pending(w), 0);
	assert_int_equal(append(w, &more), 100);
	ts_texts_writer_free(w);
	/* The kept bytes are the committed ones. */
	size_t len;
	char *bytes = tu_read_file(in_tmp("a/texts.1"), &len);
	assert_non_null(bytes);
	assert_int_equal(len, 100);
	assert_memory_equal(bytes, hundred.data, 100);
	free(bytes);

	/* Committed equal to the length: nothing cut. */
	w = writer(dir, 1, 100);
	ts_texts_writer_free(w);
	assert_int_equal(file_size(in_tmp("a/texts.1")), 100);

	/* The index says more than the file has: damaged, and left as it is. */
	char err[512] = "";
	w = (ts_texts_writer_t *)(uintptr_t)1;
	assert_int_equal(ts_texts_writer_open(&w, dir, 1, 101, 0, err, sizeof err), TS_ECORRUPT);
	assert_null(w);
	if (!strstr(err, "texts.1") || !strstr(err, "101"))
		fail_msg("the message does not say what is wrong: '%s'", err);
	assert_int_equal(file_size(in_tmp("a/texts.1")), 100);
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
	snprintf(dir, sizeof dir, "%s", in_tmp("a")); /* in_tmp's buffers turn over */
	ts_buf_t ra = {0}, rb = {0};
	small_record(&ra, "record A", (const char *[]){"a"}, (const uint32_t[]){1}, 1);
	small_record(&rb, "record B, written later", (const char *[]){"b"}, (const uint32_t[]){2},
	             1);
	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	char err[512];
	const char *p;

	/* The file starts empty (the writer creates it): nothing to read yet. */
	ts_texts_writer_t *w = writer(dir, 0, 0);
	assert_int_equal(ts_texts_get(t, 1, 0, 0, ra.len, &p, err, sizeof err), TS_ECORRUPT);

	uint64_t offa = append(w, &ra);
	flush(w);
	ts_texts_writer_committed(w);
	get_equal(t, 1, 0, offa, &ra);

	/* Grown by a page and more, so that the map must really change. */
	ts_buf_t pad = {0};
	for (int i = 0; i < 3000; i++)
		assert_int_equal(ts_buf_puts(&pad, "pad"), TS_OK);
	append(w, &pad);
	uint64_t offb = append(w, &rb);
	flush(w);
	ts_texts_writer_committed(w);
	get_equal(t, 1, 0, offb, &rb);
	get_equal(t, 1, 0, offa, &ra);
	/* Beyond the new end: still refused. */
	assert_int_equal(ts_texts_get(t, 1, 0, offb, rb.len + 1, &p, err, sizeof err), TS_ECORRUPT);
	ts_texts_writer_free(w);
	ts_texts_free(t);
	ts_buf_release(&ra);
	ts_buf_release(&rb);
	ts_buf_release(&pad);
}

/*
 * The header promises that a record got is valid until ts_texts_free; a
 * record got before the file grew must still be there after a get maps it
 * again. (Fails: map_file unmaps the old map.)
 */
static void test_remap_keeps_records(void **state)
{
	(void)state;
	char dir[128];
	snprintf(dir, sizeof dir, "%s", in_tmp("a")); /* in_tmp's buffers turn over */
	ts_buf_t ra = {0}, rb = {0}, pad = {0};
	small_record(&ra, "record A", (const char *[]){"a"}, (const uint32_t[]){1}, 1);
	small_record(&rb, "record B", (const char *[]){"b"}, (const uint32_t[]){2}, 1);
	for (int i = 0; i < 3000; i++)
		assert_int_equal(ts_buf_puts(&pad, "pad"), TS_OK);
	ts_texts_writer_t *w = writer(dir, 0, 0);
	uint64_t offa = append(w, &ra);
	flush(w);
	ts_texts_writer_committed(w);
	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, (const char *[]){dir}, 1), TS_OK);
	const char *pa = get_equal(t, 1, 0, offa, &ra);
	append(w, &pad);
	uint64_t offb = append(w, &rb);
	flush(w);
	ts_texts_writer_committed(w);
	get_equal(t, 1, 0, offb, &rb);
	int ok = readable(pa, ra.len);
	if (ok)
		assert_memory_equal(pa, ra.data, ra.len);
	ts_texts_writer_free(w);
	ts_texts_free(t);
	ts_buf_release(&ra);
	ts_buf_release(&rb);
	ts_buf_release(&pad);
	if (!ok)
		fail_msg("a record got before the file grew was unmapped by the next get "
		         "(textstore.h: valid until ts_texts_free)");
}

/* Several folders: the shards, whose documents Xapian numbers in turn. */
static void test_several_dirs(void **state)
{
	(void)state;
	const char *dirs[2] = {NULL, NULL};
	char a[128], b[128];
	snprintf(a, sizeof a, "%s", in_tmp("a"));
	snprintf(b, sizeof b, "%s", in_tmp("b"));
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
	get_equal(t, 1, 0, 0, &r1);    /* shard a's document 1 */
	get_equal(t, 2, 0, 0, &r2);    /* shard b's document 1 */
	get_equal(t, 3, 0, off3, &r3); /* shard a's document 2 */
	get_equal(t, 2, 0, 0, &r2);
	/* Docid 4 is shard b's second: its file has no such bytes. */
	char err[512] = "";
	const char *p;
	assert_int_equal(ts_texts_get(t, 4, 0, off3, r3.len, &p, err, sizeof err), TS_ECORRUPT);
	if (!strstr(err, b))
		fail_msg("the message does not name shard b's file: '%s'", err);
	/* Docid 0 is none. */
	assert_int_not_equal(ts_texts_get(t, 0, 0, 0, 1, &p, err, sizeof err), TS_OK);
	ts_texts_free(t);
	ts_buf_release(&r1);
	ts_buf_release(&r2);
	ts_buf_release(&r3);
}

static void test_adopt(void **state)
{
	(void)state;
	char a[128], b[128];
	snprintf(a, sizeof a, "%s", in_tmp("a"));
	snprintf(b, sizeof b, "%s", in_tmp("b"));
	char err[512] = "";
	/* Nothing to adopt. */
	assert_int_equal(ts_texts_adopt(a, b, 1, err, sizeof err), TS_OK);
	assert_int_not_equal(access(in_tmp("b/texts.1"), F_OK), 0);

	ts_buf_t rec = {0};
	small_record(&rec, "a shard's record", (const char *[]){"shard"}, (const uint32_t[]){1}, 1);
	ts_texts_writer_t *w = writer(a, 1, 0);
	append(w, &rec);
	flush(w);
	ts_texts_writer_committed(w);
	ts_texts_writer_free(w);
	assert_int_equal(ts_texts_adopt(a, b, 1, err, sizeof err), TS_OK);
	assert_int_not_equal(access(in_tmp("a/texts.1"), F_OK), 0);
	size_t len;
	char *bytes = tu_read_file(in_tmp("b/texts.1"), &len);
	assert_non_null(bytes);
	assert_int_equal(len, rec.len);
	assert_memory_equal(bytes, rec.data, rec.len);
	free(bytes);
	/* Again: the source has none now, the adopted one stays. */
	assert_int_equal(ts_texts_adopt(a, b, 1, err, sizeof err), TS_OK);
	assert_int_equal(file_size(in_tmp("b/texts.1")), rec.len);
	/* Another file number is another file. */
	assert_int_equal(ts_texts_adopt(b, a, 2, err, sizeof err), TS_OK);
	assert_int_equal(access(in_tmp("b/texts.1"), F_OK), 0);
	/* And read where it went. */
	ts_texts_t *t;
	assert_int_equal(ts_texts_open(&t, (const char *[]){b}, 1), TS_OK);
	get_equal(t, 1, 1, 0, &rec);
	ts_texts_free(t);

	/* Into a folder that is not there: an error naming the file. */
	err[0] = '\0';
	assert_int_equal(ts_texts_adopt(b, in_tmp("nowhere"), 1, err, sizeof err), TS_EIO);
	assert_non_null(strstr(err, "texts.1"));
	assert_int_equal(file_size(in_tmp("b/texts.1")), rec.len);
	ts_buf_release(&rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_shared_hash),
	    cmocka_unit_test(test_damaged),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_random_damage),
	    cmocka_unit_test_setup_teardown(test_write_read, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_big_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rollback, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_cut_on_open, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remap, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remap_keeps_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_several_dirs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_adopt, setup, teardown),
	};
	return cmocka_run_group_tests_name("textstore", tests, NULL, NULL);
}
