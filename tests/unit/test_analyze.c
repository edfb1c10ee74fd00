/*
 * test_analyze.c - the tokenizer (texts and byte offsets, joiners,
 * acronyms, numbers, folding, CJK, invalid UTF-8, long tokens, callback
 * stop) and the stemmer wrapper (languages, aliases, digits, cache).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "analyze.h"
#include "testutil.h"

/* ====================================================================== */
/* Collecting tokens                                                       */
/* ====================================================================== */

#define MAX_TOKS 256

typedef struct tok {
	char word[TS_TOKEN_MAX * 4 + 1];
	char stem[TS_TOKEN_MAX * 4 + 1];
	size_t start, end, index;
} tok_t;

typedef struct toks {
	tok_t t[MAX_TOKS];
	size_t n;
	ts_tokenize_stats_t stats;
	size_t stop_after; /* return stop_rc after this many tokens (0: never) */
	int stop_rc;
	size_t calls;
} toks_t;

static int collect(void *ctx, const ts_token_t *t)
{
	toks_t *c = ctx;
	c->calls++;
	assert_true(t->wordlen > 0);
	assert_true(t->wordlen <= TS_TOKEN_MAX * 4);
	assert_true(t->stemlen <= TS_TOKEN_MAX * 4);
	assert_true(t->start < t->end);
	if (c->n < MAX_TOKS) {
		tok_t *k = &c->t[c->n++];
		memcpy(k->word, t->word, t->wordlen);
		k->word[t->wordlen] = '\0';
		memcpy(k->stem, t->stem, t->stemlen);
		k->stem[t->stemlen] = '\0';
		k->start = t->start;
		k->end = t->end;
		k->index = t->index;
	}
	if (c->stop_after && c->calls == c->stop_after)
		return c->stop_rc;
	return 0;
}

/* Tokenize the NUL-terminated TEXT into a fresh *C (static storage). */
static toks_t *tokenize(const char *text)
{
	static toks_t c;
	memset(&c, 0, sizeof c);
	assert_int_equal(ts_tokenize(text, strlen(text), collect, &c, &c.stats), 0);
	assert_int_equal(c.stats.tokens, c.n);
	for (size_t i = 0; i < c.n; i++)
		assert_int_equal(c.t[i].index, i);
	return &c;
}

/* Check token I of C: its folded text and its source offsets. */
static void check_tok(const toks_t *c, size_t i, const char *word, size_t start, size_t end)
{
	if (i >= c->n)
		fail_msg("token %zu missing (only %zu tokens), wanted '%s'", i, c->n, word);
	assert_string_equal(c->t[i].word, word);
	assert_int_equal(c->t[i].start, start);
	assert_int_equal(c->t[i].end, end);
}

/* The tokens of TEXT joined by "|", for compact checks. */
static const char *joined(const char *text)
{
	static char out[4096];
	toks_t *c = tokenize(text);
	out[0] = '\0';
	for (size_t i = 0; i < c->n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, c->t[i].word);
	}
	return out;
}

/* ====================================================================== */
/* Tokenizer                                                               */
/* ====================================================================== */

static void test_ascii_offsets(void **state)
{
	(void)state;
	const char *text = "Hello, world! foo-bar  baz\tQUX\n";
	toks_t *c = tokenize(text);
	assert_int_equal(c->n, 6);
	check_tok(c, 0, "hello", 0, 5);
	check_tok(c, 1, "world", 7, 12);
	check_tok(c, 2, "foo", 14, 17);
	check_tok(c, 3, "bar", 18, 21);
	check_tok(c, 4, "baz", 23, 26);
	check_tok(c, 5, "qux", 27, 30);
	/* Without a stemmer the stem is the word. */
	for (size_t i = 0; i < c->n; i++)
		assert_string_equal(c->t[i].stem, c->t[i].word);

	c = tokenize("x");
	assert_int_equal(c->n, 1);
	check_tok(c, 0, "x", 0, 1);
	c = tokenize("  trailing   ");
	check_tok(c, 0, "trailing", 2, 10);
}

static void test_apostrophes(void **state)
{
	(void)state;
	toks_t *c = tokenize("Japan's cars");
	assert_int_equal(c->n, 2);
	check_tok(c, 0, "japan's", 0, 7);
	check_tok(c, 1, "cars", 8, 12);

	c = tokenize("Japan\xe2\x80\x99s cars"); /* U+2019 */
	assert_int_equal(c->n, 2);
	check_tok(c, 0, "japan's", 0, 9);
	check_tok(c, 1, "cars", 10, 14);

	/* U+02BC MODIFIER LETTER APOSTROPHE is a letter (Lm) to Unicode, but an
	 * apostrophe to the analyzer: it must become "'" too. */
	c = tokenize("Japan\xca\xbcs");
	assert_int_equal(c->n, 1);
	check_tok(c, 0, "japan's", 0, 8);
	/* ... and, like the others, it does not start or end a word. */
	assert_string_equal(joined("\xca\xbcok\xca\xbc"), "ok");

	/* Quotes around a word are not part of it. */
	c = tokenize("'quoted' \xe2\x80\x98single\xe2\x80\x99");
	assert_int_equal(c->n, 2);
	check_tok(c, 0, "quoted", 1, 7);
	check_tok(c, 1, "single", 12, 18);

	assert_string_equal(joined("don't rock 'n' roll"), "don't|rock|n|roll");
	/* An apostrophe needs letters on both sides. */
	assert_string_equal(joined("90's x' 'y"), "90|s|x|y");
	assert_string_equal(joined("a''b"), "a|b");
}

static void test_acronyms(void **state)
{
	(void)state;
	toks_t *c = tokenize("U.S.");
	assert_int_equal(c->n, 1);
	check_tok(c, 0, "us", 0, 3);

	c = tokenize("U.S");
	assert_int_equal(c->n, 1);
	check_tok(c, 0, "us", 0, 3);

	c = tokenize("the U.S. economy");
	assert_int_equal(c->n, 3);
	check_tok(c, 0, "the", 0, 3);
	check_tok(c, 1, "us", 4, 7);
	check_tok(c, 2, "economy", 9, 16);

	assert_string_equal(joined("e.g."), "eg");
	assert_string_equal(joined("e.g., this"), "eg|this");
	assert_string_equal(joined("U.S.A. and I.B.M."), "usa|and|ibm");
	assert_string_equal(joined("U.S. Steel"), "us|steel");
	assert_string_equal(joined("x.Y.z. Q.E.D. x"), "xyz|qed|x");
	/* An acronym is single letters: a digit or a longer word ends it. */
	assert_string_equal(joined("A.1 U.S.1 1.A.B"), "a|1|us|1|1|ab");
	assert_string_equal(joined("A.B.12 A.B.C1 A.B1.C"), "ab|12|ab|c1|a|b1|c");

	/* Words joined by a dot are not an acronym. */
	c = tokenize("Mr.Smith");
	assert_int_equal(c->n, 2);
	check_tok(c, 0, "mr", 0, 2);
	check_tok(c, 1, "smith", 3, 8);
	assert_string_equal(joined("A.Smith"), "a|smith");
	assert_string_equal(joined("end.Next"), "end|next");
	assert_string_equal(joined("Plan B. A new"), "plan|b|a|new");
}

/*
 * Where an ASCII word ends: a joiner (' . ,) joins only when a letter or
 * digit follows it, also a non-ASCII one; at the end of the text, or before
 * an ASCII separator, the word ends before it.
 */
static void test_joiner_edges(void **state)
{
	(void)state;
	toks_t *c = tokenize("word. next, 12,");
	assert_int_equal(c->n, 3);
	check_tok(c, 0, "word", 0, 4);
	check_tok(c, 1, "next", 6, 10);
	check_tok(c, 2, "12", 12, 14);
	assert_string_equal(joined("end."), "end");
	assert_string_equal(joined("end.."), "end");
	assert_string_equal(joined("a,b 1,5 x.,y"), "a|b|1,5|x|y");
	/* A non-ASCII letter or digit after the joiner. */
	assert_string_equal(joined("cafe'\xc3\xa9t\xc3\xa9"), "cafe'\xc3\xa9t\xc3\xa9");
	assert_string_equal(joined("1.\xd9\xa3 x"), "1.\xd9\xa3|x"); /* U+0663, a digit */
	assert_string_equal(joined("cafe'\xe2\x80\x94x"), "cafe|x"); /* U+2014, no letter */
	/* Invalid UTF-8 after the joiner ends the word. */
	assert_string_equal(joined("ok'\xff ok"), "ok|ok");
	/* Too long, with a joiner after it: skipped whole, not numbered. */
	char text[200];
	memset(text, 'a', TS_TOKEN_MAX + 1);
	strcpy(text + TS_TOKEN_MAX + 1, "'s x");
	c = tokenize(text);
	assert_int_equal(c->n, 1);
	check_tok(c, 0, "x", TS_TOKEN_MAX + 4, TS_TOKEN_MAX + 5);
	assert_int_equal(c->t[0].index, 0);
	assert_int_equal(c->stats.long_tokens, 1);
}

static void test_numbers(void **state)
{
	(void)state;
	toks_t *c = tokenize("up 14.9 percent");
	assert_int_equal(c->n, 3);
	check_tok(c, 1, "14.9", 3, 7);

	c = tokenize("1,000 cars");
	check_tok(c, 0, "1,000", 0, 5);
	check_tok(c, 1, "cars", 6, 10);

	assert_string_equal(joined("1,000,000.50"), "1,000,000.50");
	assert_string_equal(joined("in 2025. Then"), "in|2025|then");
	assert_string_equal(joined("1, 2 and 3."), "1|2|and|3");
	assert_string_equal(joined("a,b 1.x x.1"), "a|b|1|x|x|1");
	assert_string_equal(joined("3..4 5,,6"), "3|4|5|6");
	assert_string_equal(joined("F-35 v2"), "f|35|v2");
}

static void test_case_folding_and_nfc(void **state)
{
	(void)state;
	toks_t *c = tokenize("Stra\xc3\x9f"
	                     "e");
	assert_int_equal(c->n, 1);
	check_tok(c, 0, "strasse", 0, 7);

	c = tokenize("\xc3\x89"
	             "COLE");
	check_tok(c, 0,
	          "\xc3\xa9"
	          "cole",
	          0, 6);

	/* e + U+0301 COMBINING ACUTE ACCENT composes to U+00E9. */
	c = tokenize("caf"
	             "e\xcc\x81 noir");
	assert_int_equal(c->n, 2);
	check_tok(c, 0, "caf\xc3\xa9", 0, 6);
	check_tok(c, 1, "noir", 7, 11);

	/* Decomposed upper case: E + U+0301 -> é. */
	c = tokenize("E\xcc\x81"
	             "COLE");
	check_tok(c, 0,
	          "\xc3\xa9"
	          "cole",
	          0, 7);

	/* Greek and Cyrillic. */
	assert_string_equal(joined("\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91"),
	                    "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1");
	assert_string_equal(joined("\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90"),
	                    "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0");
}

static void test_cjk(void **state)
{
	(void)state;
	/* 日本語のテキスト: Han, Han, Han, Hiragana, Katakana x4. */
	const char *text = "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae"
	                   "\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88";
	toks_t *c = tokenize(text);
	assert_int_equal(c->n, 8);
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(c->t[i].start, 3 * i);
		assert_int_equal(c->t[i].end, 3 * i + 3);
		assert_int_equal(strlen(c->t[i].word), 3);
		assert_memory_equal(c->t[i].word, text + 3 * i, 3);
	}

	/* Mixed with Latin, and with no space in between. */
	c = tokenize("Tokyo\xe6\x9d\xb1\xe4\xba\xac"
	             "2025 x");
	assert_int_equal(c->n, 5);
	check_tok(c, 0, "tokyo", 0, 5);
	check_tok(c, 1, "\xe6\x9d\xb1", 5, 8);
	check_tok(c, 2, "\xe4\xba\xac", 8, 11);
	check_tok(c, 3, "2025", 11, 15);
	check_tok(c, 4, "x", 16, 17);

	/* An ideographic full stop separates. */
	c = tokenize("\xe6\x97\xa5\xe3\x80\x82\xe6\x9c\xac");
	assert_int_equal(c->n, 2);
	check_tok(c, 1, "\xe6\x9c\xac", 6, 9);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		size_t len;
		size_t invalid;
		size_t cd_start; /* where "cd" starts */
	} cases[] = {
	    {"ab\xff"
	     "cd",
	     5, 1, 3},
	    {"ab\xc0\xaf"
	     "cd",
	     6, 2, 4}, /* overlong '/' */
	    {"ab\xed\xa0\x80"
	     "cd",
	     7, 3, 5}, /* UTF-16 surrogate */
	    {"ab\xe6\x97"
	     "cd",
	     6, 2, 4}, /* truncated 日 */
	    {"ab\xf0\x80\x80\x80"
	     "cd",
	     8, 4, 6}, /* overlong NUL */
	    {"ab\xf5\x80\x80\x80"
	     "cd",
	     8, 4, 6}, /* beyond U+10FFFF */
	    {"ab\x80"
	     "cd",
	     5, 1, 3}, /* lone continuation */
	    {"ab \xfe\xfe cd", 8, 2, 6},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		toks_t c;
		memset(&c, 0, sizeof c);
		assert_int_equal(ts_tokenize(cases[i].text, cases[i].len, collect, &c, &c.stats),
		                 0);
		if (c.n != 2)
			fail_msg("case %zu: %zu tokens", i, c.n);
		check_tok(&c, 0, "ab", 0, 2);
		check_tok(&c, 1, "cd", cases[i].cd_start, cases[i].cd_start + 2);
		assert_int_equal(c.stats.invalid_bytes, cases[i].invalid);
		assert_int_equal(c.stats.tokens, 2);
	}

	/* A sequence cut by the end of the text, after a word and alone. */
	toks_t c;
	memset(&c, 0, sizeof c);
	assert_int_equal(ts_tokenize("caf\xc3", 4, collect, &c, &c.stats), 0);
	assert_int_equal(c.n, 1);
	check_tok(&c, 0, "caf", 0, 3);
	assert_int_equal(c.stats.invalid_bytes, 1);

	memset(&c, 0, sizeof c);
	assert_int_equal(ts_tokenize("\xe6\x97", 2, collect, &c, &c.stats), 0);
	assert_int_equal(c.n, 0);
	assert_int_equal(c.stats.invalid_bytes, 2);

	/* An apostrophe followed by an invalid byte ends the word. */
	memset(&c, 0, sizeof c);
	assert_int_equal(ts_tokenize("Japan'\xff", 7, collect, &c, &c.stats), 0);
	assert_int_equal(c.n, 1);
	check_tok(&c, 0, "japan", 0, 5);
	assert_int_equal(c.stats.invalid_bytes, 1);
}

/*
 * Random bytes, biased towards the interesting ones: tokens are always in
 * order, inside the text, valid UTF-8 on both sides, and every invalid
 * byte is counted exactly once.
 */
static void test_random_bytes(void **state)
{
	(void)state;
	static const char *const pieces[] = {
	    "a",
	    "Z",
	    "7",
	    ".",
	    ",",
	    "'",
	    " ",
	    "\xc3\xa9",
	    "\xe2\x80\x99",
	    "\xe6\x97\xa5",
	    "\xcc\x81",
	    "\xf0\x9f\x98\x80",
	    "\xff",
	    "\xc3",
	    "\xe6\x97",
	    "\x80",
	    "\xed\xa0\x80",
	    "\xc0\xaf",
	    "U.S.",
	    "-",
	};
	uint64_t seed = 42;
	char text[600];
	for (int round = 0; round < 2000; round++) {
		size_t len = 0, want = tu_rand(&seed) % 500;
		while (len < want) {
			const char *p = pieces[tu_rand(&seed) % (sizeof pieces / sizeof pieces[0])];
			size_t n = strlen(p);
			memcpy(text + len, p, n);
			len += n;
		}
		/* The expected number of invalid bytes, skipping one byte per error. */
		size_t invalid = 0;
		for (size_t i = 0; i < len;) {
			utf8proc_int32_t cp;
			utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
			                                      (utf8proc_ssize_t)(len - i), &cp);
			if (k <= 0 || cp < 0) {
				invalid++;
				i++;
			} else {
				i += (size_t)k;
			}
		}
		/* Exact-size copy so that any read past the end is caught by ASan. */
		char *copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, text, len);
		toks_t *c = malloc(sizeof *c);
		assert_non_null(c);
		memset(c, 0, sizeof *c);
		assert_int_equal(ts_tokenize(copy, len, collect, c, &c->stats), 0);
		assert_int_equal(c->stats.invalid_bytes, invalid);
		size_t prev_end = 0;
		for (size_t i = 0; i < c->n && i < MAX_TOKS; i++) {
			tok_t *k = &c->t[i];
			assert_true(k->start >= prev_end);
			assert_true(k->end <= len);
			assert_int_equal(k->index, i);
			assert_true(tu_utf8_valid(copy + k->start, k->end - k->start));
			assert_true(tu_utf8_valid(k->word, strlen(k->word)));
			prev_end = k->end;
		}
		free(c);
		free(copy);
	}
}

static void test_long_tokens(void **state)
{
	(void)state;
	char text[400];
	/* Exactly TS_TOKEN_MAX bytes: kept. */
	memset(text, 'a', TS_TOKEN_MAX);
	text[TS_TOKEN_MAX] = '\0';
	toks_t *c = tokenize(text);
	assert_int_equal(c->n, 1);
	assert_int_equal(strlen(c->t[0].word), TS_TOKEN_MAX);
	assert_int_equal(c->stats.long_tokens, 0);

	/* One more: skipped and counted; its neighbours keep their offsets. */
	strcpy(text, "x ");
	memset(text + 2, 'B', TS_TOKEN_MAX + 1);
	strcpy(text + 2 + TS_TOKEN_MAX + 1, " y");
	c = tokenize(text);
	assert_int_equal(c->n, 2);
	check_tok(c, 0, "x", 0, 1);
	check_tok(c, 1, "y", TS_TOKEN_MAX + 4, TS_TOKEN_MAX + 5);
	assert_int_equal(c->t[1].index, 1);
	assert_int_equal(c->stats.long_tokens, 1);

	/* Multi-byte letters: 33 x "é" is 66 bytes. */
	text[0] = '\0';
	for (int i = 0; i < 33; i++)
		strcat(text, "\xc3\xa9");
	strcat(text, " ok");
	c = tokenize(text);
	assert_int_equal(c->n, 1);
	check_tok(c, 0, "ok", 67, 69);
	assert_int_equal(c->stats.long_tokens, 1);

	/* Stats are added to, not reset. */
	ts_tokenize_stats_t st = {0};
	const char *two = "one two";
	toks_t d;
	memset(&d, 0, sizeof d);
	ts_tokenize(two, strlen(two), collect, &d, &st);
	ts_tokenize(two, strlen(two), collect, &d, &st);
	assert_int_equal(st.tokens, 4);
	/* And may be NULL. */
	assert_int_equal(ts_tokenize(two, strlen(two), collect, &d, NULL), 0);
	assert_int_equal(d.n, 6);
}

static void test_callback_stop(void **state)
{
	(void)state;
	const char *text = "one two three four";
	toks_t c;
	memset(&c, 0, sizeof c);
	c.stop_after = 2;
	c.stop_rc = 42;
	assert_int_equal(ts_tokenize(text, strlen(text), collect, &c, NULL), 42);
	assert_int_equal(c.calls, 2);

	memset(&c, 0, sizeof c);
	c.stop_after = 1;
	c.stop_rc = -7;
	assert_int_equal(ts_tokenize(text, strlen(text), collect, &c, NULL), -7);
	assert_int_equal(c.calls, 1);

	/* CJK tokens take the same path out. */
	memset(&c, 0, sizeof c);
	c.stop_after = 1;
	c.stop_rc = 3;
	assert_int_equal(ts_tokenize("\xe6\x97\xa5\xe6\x9c\xac", 6, collect, &c, NULL), 3);
	assert_int_equal(c.calls, 1);

	ts_stemmer_t *st;
	assert_int_equal(ts_stemmer_new("english", &st), TS_OK);
	memset(&c, 0, sizeof c);
	c.stop_after = 3;
	c.stop_rc = 9;
	assert_int_equal(ts_analyze(st, text, strlen(text), collect, &c, NULL), 9);
	assert_int_equal(c.calls, 3);
	ts_stemmer_free(st);
}

static void test_empty(void **state)
{
	(void)state;
	toks_t c;
	memset(&c, 0, sizeof c);
	assert_int_equal(ts_tokenize("", 0, collect, &c, &c.stats), 0);
	assert_int_equal(ts_tokenize(NULL, 0, collect, &c, &c.stats), 0);
	assert_int_equal(
	    ts_tokenize("... -- !? \xe2\x80\x94 \xe3\x80\x82", 17, collect, &c, &c.stats), 0);
	assert_int_equal(c.calls, 0);
	assert_int_equal(c.stats.tokens, 0);
	assert_int_equal(c.stats.invalid_bytes, 0);
	/* Only the first LEN bytes are read. */
	assert_int_equal(ts_tokenize("abc def", 3, collect, &c, &c.stats), 0);
	assert_int_equal(c.n, 1);
	check_tok(&c, 0, "abc", 0, 3);
}

/* ====================================================================== */
/* Stemmer                                                                 */
/* ====================================================================== */

/* Stem WORD with ST and return it as a static string. */
static const char *stem(ts_stemmer_t *st, const char *word)
{
	static char out[TS_TOKEN_MAX * 4 + 1];
	const char *s = NULL;
	size_t n = 999;
	assert_int_equal(ts_stemmer_stem(st, word, strlen(word), &s, &n), TS_OK);
	assert_non_null(s);
	assert_true(n < sizeof out);
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

static void test_stemmer_english(void **state)
{
	(void)state;
	ts_stemmer_t *st = NULL;
	assert_int_equal(ts_stemmer_new("english", &st), TS_OK);
	assert_non_null(st);
	assert_string_equal(ts_stemmer_name(st), "english");
	assert_string_equal(stem(st, "tariffs"), "tariff");
	assert_string_equal(stem(st, "investments"), "invest");
	assert_string_equal(stem(st, "japan's"), "japan");
	assert_string_equal(stem(st, "running"), "run");
	/* Words that start with a digit are not stemmed. */
	assert_string_equal(stem(st, "1990s"), "1990s");
	assert_string_equal(stem(st, "2nd"), "2nd");
	assert_string_equal(stem(st, "14.9"), "14.9");
	/* The empty word stays empty. */
	const char *s;
	size_t n = 5;
	assert_int_equal(ts_stemmer_stem(st, "", 0, &s, &n), TS_OK);
	assert_int_equal(n, 0);
	ts_stemmer_free(st);
	ts_stemmer_free(NULL);
}

static void test_stemmer_none_and_aliases(void **state)
{
	(void)state;
	ts_stemmer_t *st;
	assert_int_equal(ts_stemmer_new("none", &st), TS_OK);
	assert_string_equal(ts_stemmer_name(st), "none");
	assert_string_equal(stem(st, "tariffs"), "tariffs");
	assert_string_equal(stem(st, "investments"), "investments");
	ts_stemmer_free(st);

	static const struct {
		const char *code, *name, *word, *stem;
	} aliases[] = {
	    {"en", "english", "tariffs", "tariff"},
	    {"fr", "french", "continuellement", "continuel"},
	    {"de", "german", "h\xc3\xa4user", "haus"},
	};
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
		assert_int_equal(ts_stemmer_new(aliases[i].code, &st), TS_OK);
		assert_string_equal(ts_stemmer_name(st), aliases[i].name);
		assert_string_equal(stem(st, aliases[i].word), aliases[i].stem);
		ts_stemmer_free(st);
	}

	st = (ts_stemmer_t *)&st; /* must be reset to NULL on failure */
	assert_int_equal(ts_stemmer_new("klingon", &st), TS_ELANG);
	assert_null(st);
	st = (ts_stemmer_t *)&st;
	assert_int_equal(ts_stemmer_new("xx", &st), TS_ELANG);
	assert_null(st);
	/* libstemmer also knows encodings names; they are not languages. */
	assert_int_equal(ts_stemmer_new("UTF_8", &st), TS_ELANG);
	assert_null(st);
}

static void test_stemmer_list(void **state)
{
	(void)state;
	const char **list = ts_stemmer_list();
	assert_non_null(list);
	size_t n = 0;
	int english = 0;
	for (const char **l = list; *l; l++, n++) {
		ts_stemmer_t *st = NULL;
		if (ts_stemmer_new(*l, &st) != TS_OK)
			fail_msg("stemmer '%s' from the list cannot be created", *l);
		assert_string_equal(ts_stemmer_name(st), *l);
		/* Stemming a word of its own script must not fail. */
		assert_non_null(stem(st, "abcdefs"));
		ts_stemmer_free(st);
		english |= !strcmp(*l, "english");
	}
	assert_true(n >= 10);
	assert_true(english);
}

/* The I-th distinct made-up word: letters from I, then a common suffix. */
static void made_up_word(unsigned i, char *out)
{
	static const char *const suffixes[] = {"s", "ing", "ed", "ations", "ness", "ly", ""};
	char *p = out;
	*p++ = 'q';
	for (unsigned v = i; v; v /= 26)
		*p++ = (char)('a' + v % 26);
	strcpy(p, suffixes[i % 7]);
}

/*
 * The cache holds at most 65536 entries and is then emptied: results must
 * equal libstemmer's own before, across and after the reset.
 */
static void test_stemmer_cache(void **state)
{
	(void)state;
	ts_stemmer_t *st;
	assert_int_equal(ts_stemmer_new("english", &st), TS_OK);
	struct sb_stemmer *oracle = sb_stemmer_new("english", "UTF_8");
	assert_non_null(oracle);

	/* Repeated calls give the same answer. */
	for (int i = 0; i < 3; i++) {
		assert_string_equal(stem(st, "tariffs"), "tariff");
		assert_string_equal(stem(st, "investments"), "invest");
	}

	char word[64];
	for (unsigned i = 0; i < 70000 + 1000; i++) {
		made_up_word(i, word);
		const sb_symbol *want =
		    sb_stemmer_stem(oracle, (const sb_symbol *)word, (int)strlen(word));
		int wantlen = sb_stemmer_length(oracle);
		const char *got;
		size_t gotlen;
		assert_int_equal(ts_stemmer_stem(st, word, strlen(word), &got, &gotlen), TS_OK);
		if (gotlen != (size_t)wantlen || memcmp(got, want, gotlen))
			fail_msg("word %u '%s': got '%.*s', libstemmer says '%.*s'", i, word,
			         (int)gotlen, got, wantlen, (const char *)want);
		/* Every 1000 words, look again at an early word (cached or not). */
		if (i % 1000 == 999) {
			assert_string_equal(stem(st, "tariffs"), "tariff");
			made_up_word(i / 2, word);
			want = sb_stemmer_stem(oracle, (const sb_symbol *)word, (int)strlen(word));
			wantlen = sb_stemmer_length(oracle);
			assert_int_equal(ts_stemmer_stem(st, word, strlen(word), &got, &gotlen),
			                 TS_OK);
			assert_int_equal(gotlen, (size_t)wantlen);
			assert_memory_equal(got, want, gotlen);
		}
	}
	assert_string_equal(stem(st, "investments"), "invest");
	sb_stemmer_delete(oracle);
	ts_stemmer_free(st);
}

/* ====================================================================== */
/* Analyzer                                                                */
/* ====================================================================== */

static void test_analyze_sets_stem(void **state)
{
	(void)state;
	ts_stemmer_t *st;
	assert_int_equal(ts_stemmer_new("english", &st), TS_OK);
	const char *text = "Tariffs on Japan\xe2\x80\x99s investments in 1990s";
	toks_t c;
	memset(&c, 0, sizeof c);
	assert_int_equal(ts_analyze(st, text, strlen(text), collect, &c, &c.stats), 0);
	assert_int_equal(c.n, 6);
	assert_string_equal(c.t[0].word, "tariffs");
	assert_string_equal(c.t[0].stem, "tariff");
	assert_int_equal(c.t[0].start, 0);
	assert_int_equal(c.t[0].end, 7);
	assert_string_equal(c.t[1].stem, "on");
	assert_string_equal(c.t[2].word, "japan's");
	assert_string_equal(c.t[2].stem, "japan");
	assert_int_equal(c.t[2].start, 11);
	assert_int_equal(c.t[2].end, 20);
	assert_string_equal(c.t[3].word, "investments");
	assert_string_equal(c.t[3].stem, "invest");
	assert_string_equal(c.t[5].word, "1990s");
	assert_string_equal(c.t[5].stem, "1990s");
	assert_int_equal(c.stats.tokens, 6);

	/* NULL stemmer and "none": stem == word. */
	memset(&c, 0, sizeof c);
	assert_int_equal(ts_analyze(NULL, text, strlen(text), collect, &c, NULL), 0);
	assert_int_equal(c.n, 6);
	assert_string_equal(c.t[0].stem, "tariffs");
	ts_stemmer_t *none;
	assert_int_equal(ts_stemmer_new("none", &none), TS_OK);
	memset(&c, 0, sizeof c);
	assert_int_equal(ts_analyze(none, text, strlen(text), collect, &c, NULL), 0);
	assert_string_equal(c.t[3].stem, "investments");
	ts_stemmer_free(none);
	ts_stemmer_free(st);
}

/* ts_analyze_word on NUL-terminated WORD, as a static string. */
static const char *aword(ts_stemmer_t *st, const char *word)
{
	static char out[TS_TOKEN_MAX * 4 + 1];
	const char *s = NULL;
	size_t n = 999;
	assert_int_equal(ts_analyze_word(st, word, strlen(word), &s, &n), TS_OK);
	assert_non_null(s);
	assert_int_equal(strlen(s), n);
	memcpy(out, s, n + 1);
	return out;
}

static void test_analyze_word(void **state)
{
	(void)state;
	ts_stemmer_t *st;
	assert_int_equal(ts_stemmer_new("english", &st), TS_OK);
	assert_string_equal(aword(st, "Tariffs"), "tariff");
	assert_string_equal(aword(st, "Japan\xe2\x80\x99s"), "japan");
	assert_string_equal(aword(st, "Japan's"), "japan");
	assert_string_equal(aword(st, "Japan\xca\xbcs"), "japan");
	assert_string_equal(aword(st, "U.S."), "us");
	assert_string_equal(aword(st, "INVESTMENTS!"), "invest");
	assert_string_equal(aword(st, "  hello world"), "hello");
	assert_string_equal(aword(st, "1,000"), "1,000");
	assert_string_equal(aword(st, "..."), "");
	assert_string_equal(aword(st, ""), "");
	assert_string_equal(aword(st, "\xff\xfe"), "");
	/* Without a stemmer: folded only. */
	assert_string_equal(aword(NULL, "Tariffs"), "tariffs");
	assert_string_equal(aword(NULL, "Stra\xc3\x9f"
	                                "e"),
	                    "strasse");
	assert_string_equal(aword(NULL, "--"), "");
	ts_stemmer_free(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_ascii_offsets),
	    cmocka_unit_test(test_apostrophes),
	    cmocka_unit_test(test_acronyms),
	    cmocka_unit_test(test_joiner_edges),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_case_folding_and_nfc),
	    cmocka_unit_test(test_cjk),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_random_bytes),
	    cmocka_unit_test(test_long_tokens),
	    cmocka_unit_test(test_callback_stop),
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_stemmer_english),
	    cmocka_unit_test(test_stemmer_none_and_aliases),
	    cmocka_unit_test(test_stemmer_list),
	    cmocka_unit_test(test_stemmer_cache),
	    cmocka_unit_test(test_analyze_sets_stem),
	    cmocka_unit_test(test_analyze_word),
	};
	return cmocka_run_group_tests_name("analyze", tests, NULL, NULL);
}
