/*
 * test_snippet.c - passage choice and highlighting: whole short texts,
 * stem and prefix matches, phrase spans, windows in long paragraphs cut on
 * word and UTF-8 boundaries, weighting, and appending several snippets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../searcher/snippet.h"
#include "testutil.h"

#define ELLIPSIS "\xe2\x80\xa6"

/* Fails when a token of the analyzer straddles one of the two cuts in CTX. */
static int no_token_across(void *ctx, const ts_token_t *t)
{
	const size_t *cut = ctx;
	for (int i = 0; i < 2; i++)
		if (t->start < cut[i] && cut[i] < t->end)
			fail_msg("cut at byte %zu falls inside the word at %zu..%zu", cut[i],
			         t->start, t->end);
	return 0;
}

static ts_stemmer_t *english;

static int setup(void **state)
{
	(void)state;
	return ts_stemmer_new("english", &english) == TS_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ts_stemmer_free(english);
	return 0;
}

/* A match set over the english stemmer holding the NULL-terminated stems. */
static void terms(ts_match_set_t *set, const char *const *stems)
{
	memset(set, 0, sizeof *set);
	set->stemmer = english;
	for (; *stems; stems++)
		ts_match_add(set, *stems, strlen(*stems), 1.0, 0);
}

/* Build the snippet of NUL-terminated TEXT into a fresh S. */
static void build(const char *text, const ts_match_set_t *set, size_t target, ts_snippet_t *s)
{
	memset(s, 0, sizeof *s);
	assert_int_equal(ts_snippet_build(text, strlen(text), set, target, s), TS_OK);
}

/* The text of span I of S, as a static string. */
static const char *span_text(const ts_snippet_t *s, size_t i)
{
	static char out[512];
	assert_true(i < s->nspans);
	size_t n = s->spans[i].end - s->spans[i].start;
	assert_true(n < sizeof out);
	memcpy(out, s->text.data + s->spans[i].start, n);
	out[n] = '\0';
	return out;
}

/*
 * The invariants of every snippet of TEXT: valid UTF-8; spans ascending,
 * inside the text, not overlapping, on code point boundaries; and the
 * snippet is exactly ("…" when START > 0) TEXT[START..END) ("…" when END <
 * len) for some START and END on code point boundaries, and no token of
 * the analyzer straddles either cut. Returns START.
 */
static size_t check_snippet(const char *text, const ts_snippet_t *s)
{
	const char *d = s->text.data ? s->text.data : "";
	size_t n = s->text.len, len = strlen(text);
	if (!tu_utf8_valid(d, n))
		fail_msg("snippet is not valid UTF-8: '%.*s'", (int)n, d);
	size_t prev = 0;
	for (size_t i = 0; i < s->nspans; i++) {
		const ts_span_t *sp = &s->spans[i];
		assert_true(sp->start < sp->end);
		assert_true(sp->end <= n);
		assert_true(sp->start >= prev);
		assert_true(tu_utf8_boundary(d, n, sp->start));
		assert_true(tu_utf8_boundary(d, n, sp->end));
		prev = sp->end;
	}
	/* Find how the snippet was cut out of TEXT. */
	for (int lead = 1; lead >= 0; lead--) {
		for (int trail = 1; trail >= 0; trail--) {
			const char *body = d + (lead ? 3 : 0);
			if (n < (size_t)(lead + trail) * 3 || (lead && memcmp(d, ELLIPSIS, 3)) ||
			    (trail && memcmp(d + n - 3, ELLIPSIS, 3)))
				continue;
			size_t blen = n - (size_t)(lead + trail) * 3;
			for (size_t start = lead ? 1 : 0; start + blen <= len; start++) {
				size_t end = start + blen;
				if ((trail ? end >= len : end != len) ||
				    memcmp(text + start, body, blen))
					continue;
				if (!tu_utf8_boundary(text, len, start) ||
				    !tu_utf8_boundary(text, len, end))
					fail_msg("snippet cut at %zu..%zu, inside a UTF-8 sequence",
					         start, end);
				size_t cut[2] = {start, end};
				ts_tokenize(text, len, no_token_across, cut, NULL);
				return start;
			}
		}
	}
	fail_msg("snippet is not a piece of the text with ellipses at the cuts: '%.*s'", (int)n, d);
	return 0;
}

/* ====================================================================== */
/* Whole texts                                                             */
/* ====================================================================== */

static void test_short_text_whole(void **state)
{
	(void)state;
	ts_match_set_t set;
	terms(&set, (const char *const[]){"tariff", NULL});
	const char *text = "Tariffs on cars: the tariff talks.";
	ts_snippet_t s;
	build(text, &set, 200, &s);
	assert_string_equal(s.text.data, text);
	assert_int_equal(s.nspans, 2);
	assert_int_equal(s.spans[0].start, 0);
	assert_int_equal(s.spans[0].end, 7);
	assert_string_equal(span_text(&s, 0), "Tariffs");
	assert_string_equal(span_text(&s, 1), "tariff");
	assert_int_equal(s.spans[1].start, 21);
	/* One distinct term of weight 1, however often it appears. */
	assert_true(s.score > 0.99 && s.score < 1.01);
	check_snippet(text, &s);
	ts_snippet_release(&s);

	/* Target 0: the whole text whatever its length. */
	build(text, &set, 0, &s);
	assert_string_equal(s.text.data, text);
	assert_int_equal(s.nspans, 2);
	ts_snippet_release(&s);
	ts_snippet_release(NULL);
}

static void test_span_offsets_multibyte(void **state)
{
	(void)state;
	ts_match_set_t set;
	terms(&set, (const char *const[]){"tariff", "japan", "caf\xc3\xa9", NULL});
	/* Spans are byte ranges of the original words, whatever precedes them. */
	const char *text = "Caf\xc3\xa9 owners in \xe6\x97\xa5\xe6\x9c\xac fear Japan\xe2\x80\x99s "
	                   "TARIFFS.";
	ts_snippet_t s;
	build(text, &set, 500, &s);
	assert_string_equal(s.text.data, text);
	/* Two matches separated by a space are one span. */
	assert_int_equal(s.nspans, 2);
	assert_string_equal(span_text(&s, 0), "Caf\xc3\xa9");
	assert_string_equal(span_text(&s, 1), "Japan\xe2\x80\x99s TARIFFS");
	assert_int_equal(s.spans[1].start, 28);
	assert_true(s.score > 2.99 && s.score < 3.01);
	check_snippet(text, &s);
	ts_snippet_release(&s);

	/* Acronyms: the span covers the letters and the inner dot. */
	terms(&set, (const char *const[]){"us", NULL});
	build("Made in the U.S. today", &set, 100, &s);
	assert_int_equal(s.nspans, 1);
	assert_string_equal(span_text(&s, 0), "U.S");
	ts_snippet_release(&s);
}

static void test_phrase_spans_merge(void **state)
{
	(void)state;
	ts_match_set_t set;
	terms(&set, (const char *const[]){"trade", "tariff", NULL});
	ts_snippet_t s;
	build("New trade tariffs on steel", &set, 100, &s);
	assert_int_equal(s.nspans, 1);
	assert_string_equal(span_text(&s, 0), "trade tariffs");
	ts_snippet_release(&s);

	build("New trade   tariffs trade", &set, 100, &s);
	assert_int_equal(s.nspans, 1);
	assert_string_equal(span_text(&s, 0), "trade   tariffs trade");
	ts_snippet_release(&s);

	/* Anything but spaces in between keeps them apart. */
	build("trade, tariffs - trade. Tariffs", &set, 100, &s);
	assert_int_equal(s.nspans, 4);
	assert_string_equal(span_text(&s, 0), "trade");
	assert_string_equal(span_text(&s, 1), "tariffs");
	assert_string_equal(span_text(&s, 3), "Tariffs");
	ts_snippet_release(&s);

	build("trade on tariffs", &set, 100, &s);
	assert_int_equal(s.nspans, 2);
	ts_snippet_release(&s);
}

static void test_prefix_terms(void **state)
{
	(void)state;
	ts_match_set_t set;
	memset(&set, 0, sizeof set);
	set.stemmer = english;
	ts_match_add(&set, "tari", 4, 1.0, 1);
	ts_snippet_t s;
	build("Tariffs and tarot, not tar or Atari; tariffing.", &set, 200, &s);
	assert_int_equal(s.nspans, 2);
	assert_string_equal(span_text(&s, 0), "Tariffs");
	assert_string_equal(span_text(&s, 1), "tariffing");
	ts_snippet_release(&s);

	/* A prefix of a folded word: "é" matches "École" and "école". */
	memset(&set, 0, sizeof set);
	set.stemmer = english;
	ts_match_add(&set,
	             "\xc3\xa9"
	             "co",
	             4, 1.0, 1);
	build("\xc3\x89"
	      "COLE and \xc3\xa9"
	      "cole and eco",
	      &set, 200, &s);
	assert_int_equal(s.nspans, 2);
	assert_string_equal(span_text(&s, 0), "\xc3\x89"
	                                      "COLE");
	ts_snippet_release(&s);

	/* The same text as a plain term matches only its stem. */
	memset(&set, 0, sizeof set);
	set.stemmer = english;
	ts_match_add(&set, "tari", 4, 1.0, 0);
	build("Tariffs and tarot", &set, 200, &s);
	assert_int_equal(s.nspans, 0);
	ts_snippet_release(&s);
}

/*
 * The stemmer may rewrite the last two bytes of a stem ("dying" -> "die",
 * "possibility" -> "possibl", "happy" -> "happi", "skies" -> "sky"): a word
 * is still matched when only the start of its stem is its own, and a word
 * that starts like a term but stems otherwise ("dice") is not.
 */
static void test_stems_rewriting_their_end(void **state)
{
	(void)state;
	static const char *const stems[] = {"die", "possibl", "happi", "sky", NULL};
	ts_match_set_t set;
	terms(&set, stems);
	ts_snippet_t s;
	build("DYING dice: the POSSIBILITY of a happy end under Skies.", &set, 0, &s);
	assert_int_equal(s.nspans, 4);
	assert_string_equal(span_text(&s, 0), "DYING");
	assert_string_equal(span_text(&s, 1), "POSSIBILITY");
	assert_string_equal(span_text(&s, 2), "happy");
	assert_string_equal(span_text(&s, 3), "Skies");
	check_snippet("DYING dice: the POSSIBILITY of a happy end under Skies.", &s);
	ts_snippet_release(&s);
}

static void test_match_add(void **state)
{
	(void)state;
	ts_match_set_t set;
	memset(&set, 0, sizeof set);
	ts_match_add(&set, "tariff", 6, 2.0, 0);
	ts_match_add(&set, "tariff", 6, 3.0, 0); /* already there */
	ts_match_add(&set, "tariff", 6, 1.0, 1); /* a prefix is another term */
	ts_match_add(&set, "", 0, 1.0, 0);       /* nothing */
	assert_int_equal(set.count, 2);
	assert_true(set.terms[0].weight == 2.0);
	ts_match_add(&set, "x", 1, 0.0, 0); /* a weight must be > 0 */
	assert_true(set.terms[2].weight > 0);
	char words[TS_SNIPPET_MAX_TERMS + 10][8];
	for (int i = 0; i < TS_SNIPPET_MAX_TERMS + 10; i++) {
		snprintf(words[i], sizeof words[i], "w%d", i);
		ts_match_add(&set, words[i], strlen(words[i]), 1.0, 0);
	}
	assert_int_equal(set.count, TS_SNIPPET_MAX_TERMS);
}

/* ====================================================================== */
/* Windows in long texts                                                   */
/* ====================================================================== */

static const char filler[] = "The committee discussed many other topics at length. ";

static void test_long_paragraph_window(void **state)
{
	(void)state;
	char text[8192] = "";
	for (int i = 0; i < 45; i++)
		strcat(text, filler);
	strcat(text, "Japan imposed new tariffs on steel imports. ");
	for (int i = 0; i < 10; i++)
		strcat(text, filler);
	size_t len = strlen(text);
	assert_true(len >= 2000);

	ts_match_set_t set;
	terms(&set, (const char *const[]){"tariff", "steel", NULL});
	for (size_t target = 60; target <= 400; target += 20) {
		ts_snippet_t s;
		build(text, &set, target, &s);
		check_snippet(text, &s);
		/* About the target length, ellipses on both sides. */
		assert_true(s.text.len <= target + 2 * 3 + 8);
		assert_true(s.text.len >= target / 2);
		assert_memory_equal(s.text.data, ELLIPSIS, 3);
		assert_memory_equal(s.text.data + s.text.len - 3, ELLIPSIS, 3);
		assert_non_null(strstr(s.text.data, "tariffs on steel"));
		assert_int_equal(s.nspans, 2);
		assert_string_equal(span_text(&s, 0), "tariffs");
		assert_string_equal(span_text(&s, 1), "steel");
		ts_snippet_release(&s);
	}

	/* Matches at the very end: a leading ellipsis, none at the end. */
	char only[4096] = "";
	for (int i = 0; i < 40; i++)
		strcat(only, filler);
	char tail[4096];
	snprintf(tail, sizeof tail, "%sand finally tariffs", only);
	ts_snippet_t s;
	build(tail, &set, 100, &s);
	check_snippet(tail, &s);
	assert_memory_equal(s.text.data, ELLIPSIS, 3);
	assert_true(s.text.len > 20);
	assert_string_equal(s.text.data + s.text.len - 19, "and finally tariffs");
	assert_int_equal(s.nspans, 1);
	ts_snippet_release(&s);

	/* Matches at the start: no leading ellipsis. */
	snprintf(tail, sizeof tail, "Tariffs first. %s", only);
	build(tail, &set, 100, &s);
	check_snippet(tail, &s);
	assert_true(!strncmp(s.text.data, "Tariffs first.", 14));
	assert_memory_equal(s.text.data + s.text.len - 3, ELLIPSIS, 3);
	assert_true(s.text.len <= 100 + 3 + 8);
	ts_snippet_release(&s);
}

/*
 * The room a window has beyond its matches is spread on both sides: the
 * words right after the last match are shown too, not only the text before.
 */
static void test_window_context_after_matches(void **state)
{
	(void)state;
	char text[4096] = "";
	for (int i = 0; i < 45; i++)
		strcat(text, filler);
	strcat(text, "Japan imposed new tariffs on steel imports from Korea. ");
	for (int i = 0; i < 5; i++)
		strcat(text, filler);
	ts_match_set_t set;
	terms(&set, (const char *const[]){"tariff", "steel", NULL});
	for (size_t target = 100; target <= 400; target += 50) {
		ts_snippet_t s;
		build(text, &set, target, &s);
		check_snippet(text, &s);
		if (!strstr(s.text.data, "steel imports"))
			fail_msg("target %zu: no context after the matches: '%s'", target,
			         s.text.data);
		ts_snippet_release(&s);
	}
}

static void test_no_match_gives_start(void **state)
{
	(void)state;
	char text[4096] = "";
	for (int i = 0; i < 40; i++)
		strcat(text, filler);
	ts_match_set_t set;
	terms(&set, (const char *const[]){"tariff", NULL});
	ts_snippet_t s;
	build(text, &set, 120, &s);
	check_snippet(text, &s);
	assert_int_equal(s.nspans, 0);
	assert_true(s.score == 0);
	assert_true(!strncmp(s.text.data, "The committee discussed", 23));
	assert_memory_equal(s.text.data + s.text.len - 3, ELLIPSIS, 3);
	assert_true(s.text.len <= 120 + 3 + 8);
	assert_true(s.text.len >= 60);
	ts_snippet_release(&s);

	/* An empty match set behaves the same. */
	memset(&set, 0, sizeof set);
	set.stemmer = english;
	build(text, &set, 120, &s);
	assert_true(!strncmp(s.text.data, "The committee discussed", 23));
	ts_snippet_release(&s);

	/* And an empty text gives an empty snippet. */
	build("", &set, 120, &s);
	assert_int_equal(s.text.len, 0);
	assert_int_equal(s.nspans, 0);
	ts_snippet_release(&s);
}

static void test_distinct_terms_win(void **state)
{
	(void)state;
	/* Early: one term many times. Late: two different terms. */
	char text[8192] = "";
	for (int i = 0; i < 10; i++)
		strcat(text, "Tariffs, tariffs and more tariffs. ");
	for (int i = 0; i < 20; i++)
		strcat(text, filler);
	strcat(text, "The tariffs hit Japanese steel. ");
	for (int i = 0; i < 20; i++)
		strcat(text, filler);
	ts_match_set_t set;
	terms(&set, (const char *const[]){"tariff", "steel", NULL});
	ts_snippet_t s;
	build(text, &set, 150, &s);
	check_snippet(text, &s);
	assert_non_null(strstr(s.text.data, "The tariffs hit Japanese steel."));
	assert_memory_equal(s.text.data, ELLIPSIS, 3);
	assert_true(s.score >= 2.0);
	ts_snippet_release(&s);

	/* Weights count: one rare term beats two common ones. */
	text[0] = '\0';
	strcat(text, "Japan and trade were discussed. ");
	for (int i = 0; i < 20; i++)
		strcat(text, filler);
	strcat(text, "Then came the dumping charge. ");
	for (int i = 0; i < 20; i++)
		strcat(text, filler);
	memset(&set, 0, sizeof set);
	set.stemmer = english;
	ts_match_add(&set, "japan", 5, 1.0, 0);
	ts_match_add(&set, "trade", 5, 1.0, 0);
	ts_match_add(&set, "dump", 4, 5.0, 0);
	build(text, &set, 100, &s);
	check_snippet(text, &s);
	assert_non_null(strstr(s.text.data, "dumping"));
	assert_null(strstr(s.text.data, "Japan"));
	ts_snippet_release(&s);
}

/*
 * Texts full of multi-byte characters, cut at every target: the snippet is
 * valid UTF-8, its cuts fall between words and its spans on whole words.
 */
static void test_multibyte_cuts(void **state)
{
	(void)state;
	static const char *const units[] = {
	    "Caf\xc3\xa9 \xc3\xa9t\xc3\xa9 \xc3\xa9l\xc3\xa8ve ",
	    "\xe6\x97\xa5\xe6\x9c\xac\xe3\x81\xae\xe5\xb8\x82\xe5\xa0\xb4 ",
	    "tariffs\xe2\x80\x9d\xe2\x80\x94"
	    "and more ",
	    "\xc2\xab tariff \xc2\xbb ",
	    "na\xc3\xafve \xe2\x80\x9ctariffs\xe2\x80\x9d\xe2\x80\xa6 ",
	    "\xf0\x9f\x97\xbe steel\xf0\x9f\x97\xbe ",
	    "r\xc3\xa9sum\xc3\xa9s ",
	};
	char text[8192] = "";
	uint64_t seed = 3;
	while (strlen(text) < 3000) {
		const char *u = units[tu_rand(&seed) % (sizeof units / sizeof units[0])];
		strcat(text, u);
	}
	ts_match_set_t set;
	terms(&set, (const char *const[]){"tariff", "steel", "\xe6\x97\xa5", NULL});
	for (size_t target = 8; target <= 600; target += 3) {
		ts_snippet_t s;
		build(text, &set, target, &s);
		check_snippet(text, &s);
		for (size_t i = 0; i < s.nspans; i++) {
			const char *w = span_text(&s, i);
			if (strncmp(w, "tariff", 6) && strncmp(w, "steel", 5) &&
			    strncmp(w, "\xe6\x97\xa5", 3))
				fail_msg("target %zu: span '%s' is not a match", target, w);
		}
		ts_snippet_release(&s);
	}
}

/* The punctuation kept after the last word of a window is whole characters. */
static void test_cut_after_multibyte_punctuation(void **state)
{
	(void)state;
	char text[4096] = "";
	strcat(text, "Officials said \xe2\x80\x9cno tariffs\xe2\x80\x9d\xe2\x80\x94"
	             "and then ");
	for (int i = 0; i < 20; i++)
		strcat(text, filler);
	ts_match_set_t set;
	terms(&set, (const char *const[]){"tariff", NULL});
	for (size_t target = 20; target <= 40; target++) {
		ts_snippet_t s;
		build(text, &set, target, &s);
		check_snippet(text, &s);
		ts_snippet_release(&s);
	}
}

/* ====================================================================== */
/* Appending                                                               */
/* ====================================================================== */

static void test_append(void **state)
{
	(void)state;
	ts_match_set_t set;
	terms(&set, (const char *const[]){"tariff", "steel", NULL});
	ts_snippet_t s;
	memset(&s, 0, sizeof s);
	assert_int_equal(ts_snippet_append_plain(&s, "[", 1), TS_OK);
	const char *one = "Tariffs rose.";
	assert_int_equal(ts_snippet_build(one, strlen(one), &set, 100, &s), TS_OK);
	assert_int_equal(ts_snippet_separate(&s), TS_OK);
	const char *two = "New steel tariff rules.";
	assert_int_equal(ts_snippet_build(two, strlen(two), &set, 100, &s), TS_OK);
	assert_string_equal(s.text.data, "[Tariffs rose. \xe2\x80\xa6 New steel tariff rules.");
	assert_int_equal(s.nspans, 2);
	assert_int_equal(s.spans[0].start, 1);
	assert_int_equal(s.spans[0].end, 8);
	assert_string_equal(span_text(&s, 0), "Tariffs");
	assert_string_equal(span_text(&s, 1), "steel tariff");
	assert_int_equal(s.spans[1].start, 1 + 13 + 5 + 4);
	/* Scores add up: one term in the first, two in the second. */
	assert_true(s.score > 2.99 && s.score < 3.01);

	/* A windowed snippet appended after others keeps its spans right too. */
	char text[4096] = "";
	for (int i = 0; i < 30; i++)
		strcat(text, filler);
	strcat(text, "Late steel news. ");
	for (int i = 0; i < 30; i++)
		strcat(text, filler);
	size_t before = s.text.len;
	assert_int_equal(ts_snippet_build(text, strlen(text), &set, 80, &s), TS_OK);
	assert_true(s.text.len > before);
	assert_int_equal(s.nspans, 3);
	assert_true(s.spans[2].start > before);
	assert_string_equal(span_text(&s, 2), "steel");

	/* Passages cut at both ends: one separator stands for both cuts. */
	ts_snippet_clear(&s);
	assert_int_equal(ts_snippet_build(text, strlen(text), &set, 80, &s), TS_OK);
	assert_memory_equal(s.text.data, ELLIPSIS, 3);
	assert_memory_equal(s.text.data + s.text.len - 3, ELLIPSIS, 3);
	assert_int_equal(ts_snippet_separate(&s), TS_OK);
	size_t sep_end = s.text.len;
	assert_int_equal(ts_snippet_build(text, strlen(text), &set, 80, &s), TS_OK);
	assert_null(strstr(s.text.data, ELLIPSIS " " ELLIPSIS));
	assert_null(strstr(s.text.data, ELLIPSIS ELLIPSIS));
	assert_memory_equal(s.text.data + sep_end - 5, " " ELLIPSIS " ", 5);
	assert_true(s.text.data[sep_end] != ' ' && memcmp(s.text.data + sep_end, ELLIPSIS, 3));
	assert_int_equal(s.nspans, 2);
	assert_string_equal(span_text(&s, 0), "steel");
	assert_string_equal(span_text(&s, 1), "steel");
	assert_true(s.spans[1].start > sep_end);
	assert_int_equal(s.text.data[s.text.len], '\0');

	/* Clear keeps nothing visible; the snippet can be reused. */
	ts_snippet_clear(&s);
	assert_int_equal(s.text.len, 0);
	assert_int_equal(s.nspans, 0);
	assert_true(s.score == 0);
	assert_int_equal(ts_snippet_build(one, strlen(one), &set, 100, &s), TS_OK);
	assert_string_equal(s.text.data, one);
	assert_int_equal(s.nspans, 1);
	assert_int_equal(s.spans[0].start, 0);
	ts_snippet_release(&s);
}

/* Index positions for TEXT: the tokens whose stem is a (whole) term of SET. */
typedef struct known_ctx {
	const ts_match_set_t *set;
	ts_known_match_t m[256];
	size_t n;
} known_ctx_t;

static int known_token(void *vctx, const ts_token_t *t)
{
	known_ctx_t *k = vctx;
	for (size_t i = 0; i < k->set->count; i++)
		if (t->stemlen == k->set->terms[i].len &&
		    !memcmp(t->stem, k->set->terms[i].text, t->stemlen) && k->n < 256) {
			k->m[k->n++] = (ts_known_match_t){(uint32_t)t->index, (int)i};
			break;
		}
	return 0;
}

/* TEXT as the text store keeps it, through a record of one block (REC
 * holds it): *BLOCK describes it, *AT is its text, its token table after. */
typedef struct table_ctx {
	ts_texts_builder_t b;
	ts_status_t st;
} table_ctx_t;

static int note_token(void *vctx, const ts_token_t *t)
{
	table_ctx_t *c = vctx;
	if (!c->st)
		c->st = ts_texts_builder_token(&c->b, 0, t->index, t->start, t->end);
	return 0;
}

static void token_table(const char *text, ts_buf_t *rec, ts_texts_block_t *block, const char **at)
{
	ts_article_t a;
	memset(&a, 0, sizeof a);
	assert_int_equal(ts_article_add_block(&a, TS_BLOCK_PARA, text, strlen(text), NULL), TS_OK);
	table_ctx_t c = {{0}, TS_OK};
	ts_tokenize(text, strlen(text), note_token, &c, NULL);
	assert_int_equal(c.st, TS_OK);
	uint32_t pos = 100;
	assert_int_equal(ts_texts_builder_finish(&c.b, &a, &pos, rec), TS_OK);
	ts_texts_builder_release(&c.b);
	ts_article_release(&a);
	ts_texts_record_t r;
	assert_int_equal(ts_texts_record_parse(rec->data, rec->len, &r), TS_OK);
	memset(block, 0, sizeof *block);
	*at = text;
	assert_int_equal(r.nblocks, *text ? 1 : 0); /* an empty text makes no block */
	if (r.nblocks) {
		ts_texts_record_block(&r, 0, block);
		*at = r.texts + block->offset;
	}
}

static void same_spans(const ts_snippet_t *a, const ts_snippet_t *b)
{
	assert_int_equal(a->text.len, b->text.len);
	assert_memory_equal(a->text.data, b->text.data, a->text.len);
	assert_int_equal(a->nspans, b->nspans);
	for (size_t i = 0; i < a->nspans; i++) {
		assert_int_equal(a->spans[i].start, b->spans[i].start);
		assert_int_equal(a->spans[i].end, b->spans[i].end);
	}
	assert_true(a->score == b->score);
}

/* The snippet from the matches M[0..N-1], the words' places read from a
 * token table, equals the one from stemming every word. */
static void same_snippet(const char *text, const ts_match_set_t *set, size_t target,
                         const ts_known_match_t *m, size_t n)
{
	/* The text as the store keeps it (an article's blocks are normalized:
	 * no white space at their ends). */
	ts_buf_t rec = {0};
	ts_texts_block_t block;
	const char *at;
	token_table(text, &rec, &block, &at);
	char *kept = strndup(at, *text ? block.len : 0);
	assert_non_null(kept);
	ts_snippet_t a, c;
	build(kept, set, target, &a);
	memset(&c, 0, sizeof c);
	assert_int_equal(ts_snippet_build_known(at, strlen(kept), set, m, n, &block, target, &c),
	                 TS_OK);
	same_spans(&a, &c);
	/* Without the block (its table), or with another text's: refused. */
	assert_int_equal(ts_snippet_build_known(at, strlen(kept), set, m, n, NULL, target, &c),
	                 TS_EINVAL);
	assert_int_equal(
	    ts_snippet_build_known(at, strlen(kept) + 1, set, m, n, &block, target, &c), TS_EINVAL);
	same_spans(&a, &c); /* and left as it was */
	free(kept);
	ts_buf_release(&rec);
	ts_snippet_release(&a);
	ts_snippet_release(&c);
}

/* The snippet from the matches the index knows equals the one from
 * stemming every word. */
static void same_as_stemmed(const char *text, const ts_match_set_t *set, size_t target)
{
	known_ctx_t k = {set, {{0, 0}}, 0};
	ts_analyze(english, text, strlen(text), known_token, &k, NULL);
	same_snippet(text, set, target, k.m, k.n);
}

static void test_known_matches(void **state)
{
	(void)state;
	ts_buf_t text = {0};
	for (int i = 0; i < 60; i++)
		assert_int_equal(ts_buf_printf(&text,
		                               "%sPara %d of the U.S. report, on pages %d.%d: ",
		                               i == 3    ? "Tariffs on steel rose. "
		                               : i == 30 ? "Japan answered the tariffs. "
		                               : i == 59 ? "Steel, at last. "
		                                         : "",
		                               i, i, i * 7),
		                 TS_OK);
	const char *early[] = {"tariff", NULL}, *late[] = {"last", NULL},
	           *spread[] = {"steel", "japan", "tariff", NULL}, *none[] = {"absent", NULL};
	const char *const *sets[] = {early, late, spread, none};
	size_t targets[] = {0, 1, 40, 120, 200, 100000};
	for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
		ts_match_set_t set;
		terms(&set, sets[i]);
		for (size_t t = 0; t < sizeof targets / sizeof *targets; t++) {
			same_as_stemmed(text.data, &set, targets[t]);
			same_as_stemmed("Tariffs, tariffs.", &set, targets[t]);
			same_as_stemmed("", &set, targets[t]);
			/* A first word, or the word after the passage, far away. */
			same_as_stemmed("------------------------------ alpha beta", &set,
			                targets[t]);
			same_as_stemmed("alpha!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!beta steel", &set,
			                targets[t]);
		}
	}
	ts_buf_release(&text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_short_text_whole),
	    cmocka_unit_test(test_span_offsets_multibyte),
	    cmocka_unit_test(test_phrase_spans_merge),
	    cmocka_unit_test(test_prefix_terms),
	    cmocka_unit_test(test_stems_rewriting_their_end),
	    cmocka_unit_test(test_match_add),
	    cmocka_unit_test(test_long_paragraph_window),
	    cmocka_unit_test(test_window_context_after_matches),
	    cmocka_unit_test(test_no_match_gives_start),
	    cmocka_unit_test(test_distinct_terms_win),
	    cmocka_unit_test(test_multibyte_cuts),
	    cmocka_unit_test(test_cut_after_multibyte_punctuation),
	    cmocka_unit_test(test_append),
	    cmocka_unit_test(test_known_matches),
	};
	return cmocka_run_group_tests_name("snippet", tests, setup, teardown);
}
