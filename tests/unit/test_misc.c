/*
 * test_misc.c - the small pieces: lexical paths, term making (long terms
 * hashed on UTF-8 boundaries), date values, the word counter and the
 * growable buffer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../indexer/wordcount.h"
#include "article.h"
#include "buf.h"
#include "cli.h"
#include "indexdir.h"
#include "path.h"
#include "terms.h"
#include "testutil.h"

/* ====================================================================== */
/* Paths                                                                   */
/* ====================================================================== */

/* P, made by a call that returned ST, checked, copied to a static buffer
 * (the last result only) and freed. */
static const char *kept(ts_status_t st, char *p)
{
	static char out[PATH_MAX * 2];
	assert_int_equal(st, TS_OK);
	assert_non_null(p);
	snprintf(out, sizeof out, "%s", p);
	free(p);
	return out;
}

static const char *absolute(const char *path)
{
	char *p = NULL;
	ts_status_t st = ts_path_absolute(path, &p);
	return kept(st, p);
}

static const char *relative(const char *base, const char *target)
{
	char *p = NULL;
	ts_status_t st = ts_path_relative(base, target, &p);
	return kept(st, p);
}

static const char *index_root(const char *index)
{
	char *p = NULL;
	ts_status_t st = ts_indexdir_root(index, &p);
	return kept(st, p);
}

/* REL under the current folder, as an absolute path, into WANT. */
static void from_cwd(const char *rel, char *want, size_t size)
{
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(want, size, "%s/%s", strcmp(cwd, "/") ? cwd : "", rel);
}

static void test_path_absolute(void **state)
{
	(void)state;
	assert_string_equal(absolute("/a/b/c"), "/a/b/c");
	assert_string_equal(absolute("/a/./b/../c/"), "/a/c");
	assert_string_equal(absolute("//a///b//"), "/a/b");
	assert_string_equal(absolute("/"), "/");
	assert_string_equal(absolute("/.."), "/");
	assert_string_equal(absolute("/a/../../.."), "/");
	assert_string_equal(absolute("/a/b/.."), "/a");
	assert_string_equal(absolute("/a/..b/.c"), "/a/..b/.c");

	/* Relative paths start at the current folder. */
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	char want[PATH_MAX * 2];
	from_cwd("corpus/trade", want, sizeof want);
	assert_string_equal(absolute("corpus/trade"), want);
	assert_string_equal(absolute("./corpus/./trade/"), want);
	assert_string_equal(absolute("corpus/x/../trade"), want);
	assert_string_equal(absolute("."), cwd);
	assert_string_equal(absolute("./"), cwd);
	/* ".." is the parent of the current folder. */
	snprintf(want, sizeof want, "%s", cwd);
	char *slash = strrchr(want, '/');
	if (slash == want)
		want[1] = '\0';
	else
		*slash = '\0';
	assert_string_equal(absolute(".."), want);
	assert_string_equal(absolute("a/../.."), want);
}

/* The root of an index is the absolute folder that holds it. */
static void test_index_root(void **state)
{
	(void)state;
	assert_string_equal(index_root("/a/b/.tsearch"), "/a/b");
	assert_string_equal(index_root("/a/./b/../c/.tsearch/"), "/a/c");
	assert_string_equal(index_root("/.tsearch"), "/");
	assert_string_equal(index_root("/"), "/");
	char cwd[PATH_MAX];
	assert_non_null(getcwd(cwd, sizeof cwd));
	char want[PATH_MAX * 2];
	from_cwd("corpus", want, sizeof want);
	assert_string_equal(index_root("corpus/x/../.tsearch"), want);
	assert_string_equal(index_root(".tsearch"), cwd);
}

static void test_path_relative(void **state)
{
	(void)state;
	assert_string_equal(relative("/a/b", "/a/b"), ".");
	assert_string_equal(relative("/a", "/a/b/c"), "b/c");
	assert_string_equal(relative("/a/b", "/a/c"), "../c");
	assert_string_equal(relative("/a/b/c", "/a"), "../..");
	assert_string_equal(relative("/a/b/c", "/a/x/y"), "../../x/y");
	/* A common prefix of characters is not a common folder. */
	assert_string_equal(relative("/a/b", "/a/bc"), "../bc");
	assert_string_equal(relative("/a/bc", "/a/b"), "../b");
	assert_string_equal(relative("/a/bc", "/a/bc/d"), "d");
	assert_string_equal(relative("/ab", "/a"), "../a");
	/* The root. */
	assert_string_equal(relative("/", "/a/b"), "a/b");
	assert_string_equal(relative("/", "/"), ".");
	assert_string_equal(relative("/a/b", "/"), "../..");
	assert_string_equal(relative("/a", "/b"), "../b");
}

/* ====================================================================== */
/* Terms                                                                   */
/* ====================================================================== */

static void test_term_short(void **state)
{
	(void)state;
	ts_buf_t b = {0};
	assert_int_equal(ts_term_make(&b, "P", "corpus/trade", 12), TS_OK);
	assert_string_equal(b.data, "Pcorpus/trade");
	assert_int_equal(b.len, 13);
	/* OUT is cleared first. */
	assert_int_equal(ts_term_make(&b, "", "x", 1), TS_OK);
	assert_string_equal(b.data, "x");
	/* Exactly TS_TERM_MAX bytes: kept whole. */
	char value[1024];
	memset(value, 'v', sizeof value);
	assert_int_equal(ts_term_make(&b, "Q", value, TS_TERM_MAX - 1), TS_OK);
	assert_int_equal(b.len, TS_TERM_MAX);
	assert_int_equal(b.data[0], 'Q');
	assert_null(strchr(b.data, '#'));
	ts_buf_release(&b);
}

static void test_term_long(void **state)
{
	(void)state;
	char value[1024];
	memset(value, 'v', sizeof value);
	ts_buf_t a = {0}, b = {0};
	/* One byte over: hashed, bounded, the value's first bytes kept. */
	assert_int_equal(ts_term_make(&a, "Q", value, TS_TERM_MAX), TS_OK);
	assert_true(a.len <= TS_TERM_MAX);
	assert_int_equal(a.data[0], 'Q');
	assert_memory_equal(a.data + 1, value, 100);
	assert_non_null(strchr(a.data, '#'));
	assert_int_equal(strlen(a.data), a.len);

	/* Deterministic. */
	assert_int_equal(ts_term_make(&b, "Q", value, TS_TERM_MAX), TS_OK);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);

	/* Long values that differ only far past the cut give different terms. */
	char other[1024];
	memcpy(other, value, sizeof other);
	other[900] = 'w';
	assert_int_equal(ts_term_make(&a, "Q", value, sizeof value), TS_OK);
	assert_int_equal(ts_term_make(&b, "Q", other, sizeof other), TS_OK);
	assert_true(a.len <= TS_TERM_MAX && b.len <= TS_TERM_MAX);
	assert_false(a.len == b.len && !memcmp(a.data, b.data, a.len));
	/* So do values of different lengths with the same bytes. */
	assert_int_equal(ts_term_make(&b, "Q", value, sizeof value - 1), TS_OK);
	assert_false(a.len == b.len && !memcmp(a.data, b.data, a.len));

	/* Never cut inside a UTF-8 sequence, wherever the cut falls. */
	for (int shift = 0; shift < 4; shift++) {
		char utf[1024];
		size_t n = 0;
		for (int i = 0; i < shift; i++)
			utf[n++] = 'x';
		while (n + 4 <= 600) {
			static const char *const chars[] = {"\xc3\xa9", "\xe6\x97\xa5",
			                                    "\xf0\x9f\x97\xbe"};
			const char *c = chars[n % 3];
			memcpy(utf + n, c, strlen(c));
			n += strlen(c);
		}
		assert_true(tu_utf8_valid(utf, n));
		assert_int_equal(ts_term_make(&a, "S", utf, n), TS_OK);
		assert_true(a.len <= TS_TERM_MAX);
		if (!tu_utf8_valid(a.data, a.len))
			fail_msg("shift %d: long term cut inside a UTF-8 sequence", shift);
		assert_true(a.len >= TS_TERM_MAX - 3);
	}
	ts_buf_release(&a);
	ts_buf_release(&b);
}

static void test_hash64(void **state)
{
	(void)state;
	/* FNV-1a 64 reference values. */
	assert_true(ts_hash64("", 0) == 0xcbf29ce484222325ULL);
	assert_true(ts_hash64("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(ts_hash64("foobar", 6) == 0x85944171f73967e8ULL);
	assert_true(ts_hash64("ab", 2) != ts_hash64("ba", 2));
}

static const char *date_value(const char *date)
{
	static char out[32];
	memset(out, 'X', sizeof out);
	if (ts_date_value(date, out, sizeof out))
		return "(refused)";
	return out;
}

static void test_date_value(void **state)
{
	(void)state;
	assert_string_equal(date_value("2025-02-07"), "20250207");
	assert_string_equal(date_value("2025-02-07T14:30:00"), "20250207143000");
	assert_string_equal(date_value("2025-02-07T14:30:00Z"), "20250207143000");
	assert_string_equal(date_value("2025-02-07 14:30:05"), "20250207143005");
	/* A time without seconds, or a broken one: the day alone. */
	assert_string_equal(date_value("2025-02-07T14:30"), "20250207");
	assert_string_equal(date_value("2025-02-07T1x:30:00"), "20250207");
	assert_string_equal(date_value("1996-08-20 and more"), "19960820");

	assert_string_equal(date_value("2025-2-7"), "(refused)");
	assert_string_equal(date_value("20250207"), "(refused)");
	assert_string_equal(date_value("2025/02/07"), "(refused)");
	assert_string_equal(date_value("2025-02"), "(refused)");
	assert_string_equal(date_value(""), "(refused)");
	assert_string_equal(date_value("abcd-ef-gh"), "(refused)");
	assert_int_equal(ts_date_value(NULL, (char[32]){0}, 32), -1);
	/* OUT must hold 15 bytes. */
	char small[14];
	assert_int_equal(ts_date_value("2025-02-07", small, sizeof small), -1);
}

/* "a valid YYYY-MM-DD": month 01-12, day 01-31. */
static void test_date_value_validates(void **state)
{
	(void)state;
	assert_string_equal(date_value("2025-13-01"), "(refused)");
	assert_string_equal(date_value("2025-00-10"), "(refused)");
	assert_string_equal(date_value("2025-02-00"), "(refused)");
	assert_string_equal(date_value("2025-02-32"), "(refused)");
	assert_string_equal(date_value("2025-12-31"), "20251231");
	assert_string_equal(date_value("2025-01-01"), "20250101");
}

/* ====================================================================== */
/* Word counter                                                            */
/* ====================================================================== */

typedef struct seen {
	size_t words;
	uint64_t total;
	uint32_t count_of_tariff;
	int stop_after;
} seen_t;

static ts_status_t each_word(void *ctx, const char *word, size_t len, uint32_t count)
{
	seen_t *s = ctx;
	s->words++;
	s->total += count;
	if (len == 6 && !memcmp(word, "tariff", 6))
		s->count_of_tariff = count;
	if (s->stop_after && (int)s->words == s->stop_after)
		return TS_EINTERNAL;
	return TS_OK;
}

static void test_wordcount(void **state)
{
	(void)state;
	wordcount_t wc;
	memset(&wc, 0, sizeof wc);
	assert_int_equal(wc_size(&wc), 0);
	assert_int_equal(wc_add(&wc, "tariff", 6, 1), TS_OK);
	assert_int_equal(wc_add(&wc, "japan", 5, 2), TS_OK);
	assert_int_equal(wc_add(&wc, "tariff", 6, 3), TS_OK);
	assert_int_equal(wc_add(&wc, "tariffs", 7, 1), TS_OK); /* not the same word */
	assert_int_equal(wc_size(&wc), 3);
	seen_t s = {0};
	assert_int_equal(wc_each(&wc, each_word, &s), TS_OK);
	assert_int_equal(s.words, 3);
	assert_int_equal(s.total, 7);
	assert_int_equal(s.count_of_tariff, 4);

	/* Stopping: the callback's status comes back. */
	memset(&s, 0, sizeof s);
	s.stop_after = 2;
	assert_int_equal(wc_each(&wc, each_word, &s), TS_EINTERNAL);
	assert_int_equal(s.words, 2);

	/* Growth past 100,000 distinct words keeps every count. */
	char w[32];
	for (uint32_t i = 0; i < 150000; i++) {
		int n = snprintf(w, sizeof w, "w%u", i);
		assert_int_equal(wc_add(&wc, w, (size_t)n, i % 7 + 1), TS_OK);
	}
	for (uint32_t i = 0; i < 150000; i += 3) {
		int n = snprintf(w, sizeof w, "w%u", i);
		assert_int_equal(wc_add(&wc, w, (size_t)n, 10), TS_OK);
	}
	assert_int_equal(wc_size(&wc), 150000 + 3);
	assert_true(wc.nslots >= 2 * wc_size(&wc));
	memset(&s, 0, sizeof s);
	assert_int_equal(wc_each(&wc, each_word, &s), TS_OK);
	assert_int_equal(s.words, 150003);
	uint64_t want = 7;
	for (uint32_t i = 0; i < 150000; i++)
		want += i % 7 + 1 + (i % 3 ? 0 : 10);
	assert_int_equal(s.total, want);
	assert_int_equal(s.count_of_tariff, 4);

	/* Clear forgets the words and keeps the memory. */
	size_t slots = wc.nslots;
	wc_clear(&wc);
	assert_int_equal(wc_size(&wc), 0);
	assert_int_equal(wc.nslots, slots);
	memset(&s, 0, sizeof s);
	assert_int_equal(wc_each(&wc, each_word, &s), TS_OK);
	assert_int_equal(s.words, 0);
	assert_int_equal(wc_add(&wc, "tariff", 6, 5), TS_OK);
	assert_int_equal(wc_add(&wc, "w1", 2, 1), TS_OK);
	memset(&s, 0, sizeof s);
	assert_int_equal(wc_each(&wc, each_word, &s), TS_OK);
	assert_int_equal(s.words, 2);
	assert_int_equal(s.count_of_tariff, 5);
	wc_release(&wc);
	assert_null(wc.slots);
	wc_release(&wc);
	wc_release(NULL);

	/* Clear and release on a counter never used. */
	wordcount_t empty;
	memset(&empty, 0, sizeof empty);
	wc_clear(&empty);
	assert_int_equal(wc_each(&empty, each_word, &s), TS_OK);
	wc_release(&empty);
}

/* ====================================================================== */
/* Buffers                                                                 */
/* ====================================================================== */

/* Decode the LEB128 varint at P. */
static uint64_t varint(const unsigned char *p, size_t *n)
{
	uint64_t v = 0;
	size_t i = 0;
	for (int shift = 0;; shift += 7) {
		v |= (uint64_t)(p[i] & 0x7f) << shift;
		if (!(p[i++] & 0x80))
			break;
	}
	*n = i;
	return v;
}

static void test_buf(void **state)
{
	(void)state;
	ts_buf_t b = {0};
	assert_int_equal(ts_buf_append(&b, "", 0), TS_OK);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(ts_buf_puts(&b, "hello"), TS_OK);
	assert_int_equal(ts_buf_append(&b, ", world", 7), TS_OK);
	assert_int_equal(ts_buf_printf(&b, " %d-%s", 42, "x"), TS_OK);
	assert_string_equal(b.data, "hello, world 42-x");
	assert_int_equal(b.len, 17);
	assert_true(b.cap > b.len);

	/* Binary data with NULs; always NUL-terminated after it. */
	assert_int_equal(ts_buf_append(&b, "a\0b", 3), TS_OK);
	assert_int_equal(b.len, 20);
	assert_memory_equal(b.data + 17, "a\0b", 3);
	assert_int_equal(b.data[20], '\0');

	/* Growth over many appends and a large printf. */
	ts_buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	for (int i = 0; i < 10000; i++)
		assert_int_equal(ts_buf_printf(&b, "%04d", i % 10000), TS_OK);
	assert_int_equal(b.len, 40000);
	assert_memory_equal(b.data + 4 * 1234, "1234", 4);
	char big[5000];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	ts_buf_clear(&b);
	assert_int_equal(ts_buf_printf(&b, "<%s>", big), TS_OK);
	assert_int_equal(b.len, sizeof big + 1);
	assert_int_equal(b.data[b.len - 1], '>');
	assert_int_equal(b.data[b.len], '\0');

	/* Varints: round trip at every size, LEB128 byte layout. */
	static const uint64_t values[] = {
	    0, 1, 127, 128, 300, 16383, 16384, UINT32_MAX, 1ULL << 35, UINT64_MAX - 1, UINT64_MAX};
	ts_buf_clear(&b);
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
		assert_int_equal(ts_buf_append_varint(&b, values[i]), TS_OK);
	size_t off = 0;
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		size_t n;
		uint64_t v = varint((const unsigned char *)b.data + off, &n);
		assert_true(v == values[i]);
		off += n;
	}
	assert_int_equal(off, b.len);
	assert_memory_equal(b.data, "\x00\x01\x7f\x80\x01\xac\x02", 7);
	ts_buf_clear(&b);
	assert_int_equal(ts_buf_append_varint(&b, UINT64_MAX), TS_OK);
	assert_int_equal(b.len, 10);

	ts_buf_release(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	ts_buf_release(&b);
	ts_buf_release(NULL);
	ts_buf_clear(&b); /* on a released buffer */
}

/* Option values: whole numbers in range, finite reals; nothing else. */
/* Integers are printf's, from 0 to the largest, and every power of ten
 * and its neighbours between. */
static void test_format_uint(void **state)
{
	(void)state;
	char want[32], got[32];
	uint64_t p = 1;
	for (int i = 0; i < 20; i++, p *= 10) {
		const uint64_t near[] = {p - 1, p, p + 1, UINT64_MAX - p};
		for (size_t k = 0; k < sizeof near / sizeof *near; k++) {
			snprintf(want, sizeof want, "%" PRIu64, near[k]);
			assert_int_equal(ts_format_uint(got, near[k]), strlen(want));
			assert_string_equal(got, want);
		}
	}
	assert_int_equal(ts_format_uint(got, UINT64_MAX), 20);
	assert_string_equal(got, "18446744073709551615");
}

/* ts_format_fixed(X, D) against printf's "%.*f" of X. */
static void check_fixed(double x, int d)
{
	char want[512], got[512];
	snprintf(want, sizeof want, "%.*f", d, x);
	size_t n = ts_format_fixed(got, sizeof got, x, d);
	if (strcmp(got, want) || n != strlen(want))
		fail_msg("%.17g with %d decimals: '%s' (%zu), printf '%s'", x, d, got, n, want);
}

/*
 * Fixed-point output is printf's, digit for digit: exact halves (binary
 * fractions such as 1/32) round to even, values a hair either side of a
 * half round away from it, and what is not a plain score (negative, huge,
 * not a number, more decimals) goes to printf itself.
 */
static void test_format_fixed(void **state)
{
	(void)state;
	static const double fixed[] = {
	    0,      1,        0.5,          1.5,     2.5,      0.03125,   0.09375,  0.15625,
	    0.125,  0.375,    0.00005,      0.00015, 0.000049, 9.99995,   12.34565, 7.5e-5,
	    1e-300, 4.9e-324, 999999.99995, 3.4520,  12.7878,  1e11 + 0.5};
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		for (int d = 0; d <= 6; d++) {
			check_fixed(fixed[i], d);
			check_fixed(nextafter(fixed[i], 0), d);
			check_fixed(nextafter(fixed[i], 1e300), d);
		}
	/* Every multiple of 1/1024 up to 64: halves of the last decimal among them. */
	for (int k = 0; k <= 64 * 1024; k++)
		for (int d = 0; d <= 4; d++)
			check_fixed(k / 1024.0, d);
	/* Scores of every size, and their neighbours. */
	uint64_t r = 88172645463325252ULL;
	for (int k = 0; k < 200000; k++) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		double x = (double)(r >> 11) / (double)(1ULL << 53) * pow(10, (double)(k % 14) - 4);
		check_fixed(x, k % 5);
	}
	static const double others[] = {-1.5, -0.00005, 1e12, 1e300, INFINITY, -INFINITY, NAN};
	for (size_t i = 0; i < sizeof others / sizeof *others; i++)
		for (int d = 0; d <= 6; d++)
			check_fixed(others[i], d);
	/* Cut short as snprintf cuts. */
	char small[4];
	assert_int_equal(ts_format_fixed(small, sizeof small, 12.34565, 4), 7);
	assert_string_equal(small, "12.");
}

static void test_parse_numbers(void **state)
{
	(void)state;
	unsigned long u = 7;
	assert_int_equal(ts_parse_uint("0", 0, 10, &u), 0);
	assert_int_equal(u, 0);
	assert_int_equal(ts_parse_uint("64", 1, 64, &u), 0);
	assert_int_equal(u, 64);
	static const char *bad_uint[] = {"",   " 3",   "+3", "-1", "3 ",
	                                 "3x", "0x10", "65", "0",  "99999999999999999999999"};
	for (size_t i = 0; i < sizeof bad_uint / sizeof bad_uint[0]; i++) {
		u = 7;
		if (ts_parse_uint(bad_uint[i], 1, 64, &u) != -1 || u != 7)
			fail_msg("'%s' taken as a number from 1 to 64", bad_uint[i]);
	}
	double d = 7;
	assert_int_equal(ts_parse_real("1.5", NULL, &d), 0);
	assert_true(d == 1.5);
	assert_int_equal(ts_parse_real(".5", NULL, &d), 0);
	assert_true(d == 0.5);
	assert_int_equal(ts_parse_real("-2", NULL, &d), 0);
	assert_true(d == -2);
	const char *rest = NULL;
	assert_int_equal(ts_parse_real("1.2,0.75", &rest, &d), 0);
	assert_true(d == 1.2);
	assert_string_equal(rest, ",0.75");
	static const char *bad_real[] = {"",         " 1",    "nan",  "NAN", "inf", "-inf",
	                                 "infinity", "1e999", "1.5x", "x",   ","};
	for (size_t i = 0; i < sizeof bad_real / sizeof bad_real[0]; i++) {
		d = 7;
		if (ts_parse_real(bad_real[i], NULL, &d) != -1 || d != 7)
			fail_msg("'%s' taken as a finite number", bad_real[i]);
	}
}

/* A heading that repeats the title (case and spacing aside) is not added. */
static void test_article_add_heading(void **state)
{
	(void)state;
	ts_article_t a;
	memset(&a, 0, sizeof a);
	assert_int_equal(
	    ts_article_add_heading(&a, "  US  JAPAN trade\n", 18, "US Japan Trade", NULL), TS_OK);
	assert_int_equal(a.nblocks, 0);
	assert_int_equal(ts_article_add_heading(&a, "Common Concerns", 15, "US Japan Trade", NULL),
	                 TS_OK);
	assert_int_equal(ts_article_add_heading(&a, "US Japan Trade", 14, NULL, NULL), TS_OK);
	assert_int_equal(ts_article_add_heading(&a, " \t ", 3, NULL, NULL), TS_OK); /* empty */
	assert_int_equal(a.nblocks, 2);
	assert_int_equal(a.blocks[0].kind, TS_BLOCK_HEADING);
	assert_string_equal(a.blocks[0].text, "Common Concerns");
	assert_int_equal(a.blocks[1].kind, TS_BLOCK_HEADING);
	assert_string_equal(a.blocks[1].text, "US Japan Trade");
	ts_article_release(&a);
}

/* Write TEXT to DIR/NAME. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char p[PATH_MAX];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Check the stubs at PATH: they lead to the one folder WANT. */
static void folders(const char *path, const char *const *want, size_t nwant)
{
	char **dbs = (char **)1, err[256];
	size_t n = 7;
	assert_int_equal(ts_indexdir_check_stubs(path, &dbs, &n, err, sizeof err), TS_OK);
	assert_int_equal(n, nwant);
	assert_non_null(dbs);
	for (size_t i = 0; i < nwant; i++)
		assert_string_equal(dbs[i], want[i]);
	ts_indexdir_databases_free(dbs, n);
}

static void one_folder(const char *path, const char *want)
{
	folders(path, &want, 1);
}

/* A new folder DIR (from its template) holding an empty folder SUB, "db-1". */
static void index_folder(char *dir, char sub[PATH_MAX])
{
	assert_non_null(mkdtemp(dir));
	snprintf(sub, PATH_MAX, "%s/db-1", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
}

/* ts_indexdir_check_stubs names the database folders behind the stubs. */
static void test_stub_target(void **state)
{
	(void)state;
	char dir[] = "/tmp/tsearch-stubs-XXXXXX", sub[PATH_MAX], want[PATH_MAX], err[256];
	index_folder(dir, sub);

	/* A folder without a stub is the database itself. */
	one_folder(sub, sub);
	put_file(dir, "XAPIANDB", "# made by tsearch\nglass db-1\n");
	snprintf(want, sizeof want, "%s/db-1", dir);
	one_folder(dir, want);
	/* A stub file named directly, through another stub. */
	put_file(dir, "outer.stub", "auto XAPIANDB\n");
	snprintf(want, sizeof want, "%s/outer.stub", dir);
	one_folder(want, sub);

	/* Every folder, in order, when all are local (the same one twice too). */
	char sub2[PATH_MAX];
	snprintf(sub2, sizeof sub2, "%s/db-2", dir);
	assert_int_equal(mkdir(sub2, 0755), 0);
	put_file(dir, "XAPIANDB", "glass db-1\nglass db-1\n");
	folders(dir, (const char *const[]){sub, sub}, 2);
	put_file(dir, "XAPIANDB", "glass db-2\n# a comment\nauto db-1\nglass db-2\n");
	folders(dir, (const char *const[]){sub2, sub, sub2}, 3);
	/* Blank lines, and words parted by any run of blanks, words past the
	 * second ignored. */
	put_file(dir, "XAPIANDB", "\n \t\n\tglass \t db-2 more words\r\n  auto\tdb-1\r\n");
	folders(dir, (const char *const[]){sub2, sub}, 2);
	char **dbs;
	size_t ndbs;
	/* None when one is remote, a line Xapian rejects, or missing. */
	const char *not_all[] = {"glass db-1\nremote :tcpsrv 1\n", "glass db-1\nglass\n",
	                         "glass db-1\nglass db-9\n"};
	for (size_t i = 0; i < sizeof not_all / sizeof *not_all; i++) {
		put_file(dir, "XAPIANDB", not_all[i]);
		dbs = (char **)1;
		ndbs = 7;
		assert_int_equal(ts_indexdir_check_stubs(dir, &dbs, &ndbs, err, sizeof err), TS_OK);
		assert_null(dbs);
		assert_int_equal(ndbs, 0);
	}
	rmdir(sub2);

	/* A loop is refused, and names no folder. */
	put_file(dir, "XAPIANDB", "auto XAPIANDB\n");
	dbs = (char **)1;
	ndbs = 7;
	assert_int_equal(ts_indexdir_check_stubs(dir, &dbs, &ndbs, err, sizeof err), TS_ECORRUPT);
	assert_null(dbs);
	assert_int_equal(ndbs, 0);
	assert_int_equal(ts_indexdir_check_stubs(dir, NULL, NULL, err, sizeof err), TS_ECORRUPT);

	snprintf(want, sizeof want, "%s/XAPIANDB", dir);
	unlink(want);
	snprintf(want, sizeof want, "%s/outer.stub", dir);
	unlink(want);
	rmdir(sub);
	rmdir(dir);
}

/* ts_indexdir_stubs finds FOLDER, which exists and holds no stub, to be a
 * database itself. */
static void is_database(const char *folder)
{
	char err[256];
	ts_stubs_t f;
	assert_int_equal(ts_indexdir_stubs(folder, &f, err, sizeof err), TS_OK);
	assert_false(f.missing);
	assert_false(f.has_stub);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.dbs[0], folder);
	ts_indexdir_databases_free(f.dbs, f.n);
}

/* ts_indexdir_stubs says whether the path exists and which stub it holds. */
static void test_stubs_found(void **state)
{
	(void)state;
	char dir[] = "/tmp/tsearch-stubs-XXXXXX", sub[PATH_MAX], stub[PATH_MAX], err[256];
	index_folder(dir, sub);
	snprintf(stub, sizeof stub, "%s/XAPIANDB", dir);
	ts_stubs_t f;

	/* A missing path: nothing found, and said so. */
	char missing[PATH_MAX + 8];
	snprintf(missing, sizeof missing, "%s/none", dir);
	assert_int_equal(ts_indexdir_stubs(missing, &f, err, sizeof err), TS_OK);
	assert_true(f.missing);
	assert_false(f.has_stub);
	assert_null(f.dbs);
	assert_int_equal(f.n, 0);

	/* A folder without a stub. */
	is_database(sub);

	/* A folder with a stub (its last line without a newline): the stub's
	 * identity is the file's. */
	put_file(dir, "XAPIANDB", "# made by tsearch\nglass db-1");
	struct stat sb;
	assert_int_equal(stat(stub, &sb), 0);
	assert_int_equal(ts_indexdir_stubs(dir, &f, err, sizeof err), TS_OK);
	assert_false(f.missing);
	assert_true(f.has_stub);
	assert_true(f.stub.st_ino == sb.st_ino && f.stub.st_dev == sb.st_dev);
	assert_int_equal(f.stub.st_size, sb.st_size);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.dbs[0], sub);
	ts_indexdir_databases_free(f.dbs, f.n);
	/* ts_indexdir_stub_stat finds the same stub, and none where there is none. */
	struct stat again;
	assert_int_equal(ts_indexdir_stub_stat(dir, &again), 1);
	assert_true(again.st_ino == sb.st_ino && again.st_dev == sb.st_dev);
	assert_int_equal(ts_indexdir_stub_stat(sub, &again), 0);
	assert_int_equal(ts_indexdir_stub_stat(missing, &again), 0);
	/* A folder named like a stub is none. */
	char odd[PATH_MAX + 16];
	snprintf(odd, sizeof odd, "%s/XAPIANDB", sub);
	assert_int_equal(mkdir(odd, 0755), 0);
	assert_int_equal(ts_indexdir_stub_stat(sub, &again), 0);
	is_database(sub);
	assert_int_equal(rmdir(odd), 0);

	/* A stub longer than one read, and a stub that is no stub (a megabyte of
	 * one word): the folder at its end is still found; the other is none. */
	FILE *out = fopen(stub, "w");
	assert_non_null(out);
	for (int i = 0; i < 2000; i++)
		fprintf(out, "# comment line %d of a long stub file\n", i);
	fputs("glass db-1\n", out);
	fclose(out);
	assert_int_equal(ts_indexdir_stubs(dir, &f, err, sizeof err), TS_OK);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.dbs[0], sub);
	ts_indexdir_databases_free(f.dbs, f.n);
	out = fopen(stub, "w");
	assert_non_null(out);
	for (int i = 0; i < (1 << 21); i++)
		fputc('x', out);
	fclose(out);
	assert_int_equal(ts_indexdir_stubs(dir, &f, err, sizeof err), TS_OK);
	assert_true(f.has_stub);
	assert_null(f.dbs);
	assert_int_equal(f.n, 0);

	unlink(stub);
	rmdir(sub);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_absolute),
	    cmocka_unit_test(test_path_relative),
	    cmocka_unit_test(test_term_short),
	    cmocka_unit_test(test_term_long),
	    cmocka_unit_test(test_hash64),
	    cmocka_unit_test(test_date_value),
	    cmocka_unit_test(test_date_value_validates),
	    cmocka_unit_test(test_wordcount),
	    cmocka_unit_test(test_buf),
	    cmocka_unit_test(test_format_uint),
	    cmocka_unit_test(test_format_fixed),
	    cmocka_unit_test(test_parse_numbers),
	    cmocka_unit_test(test_article_add_heading),
	    cmocka_unit_test(test_stub_target),
	    cmocka_unit_test(test_stubs_found),
	    cmocka_unit_test(test_index_root),
	};
	return cmocka_run_group_tests_name("misc", tests, NULL, NULL);
}
