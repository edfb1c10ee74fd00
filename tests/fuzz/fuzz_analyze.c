/*
 * fuzz_analyze.c - libFuzzer harness: the tokenizer and the analyzer
 * (English stemmer) on arbitrary bytes.
 *
 * Every token must lie inside the text (start < end <= len), tokens must
 * come in order without overlapping, their ordinals must count up from 0,
 * the folded word and the stem must be non-empty valid UTF-8 and short
 * enough to be Xapian terms. The
 * statistics must agree with the tokens seen. ts_tokenize_bounds must
 * find the same tokens, a few at a time, also when it starts at a token
 * start inside the text. ts_analyze_word is run on the input too (the
 * query parser's path).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "analyze.h"
#include "fuzz_util.h"
#include "terms.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ts_stemmer_t *stemmer;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (ts_stemmer_new("english", &stemmer) != TS_OK)
		abort();
	return 0;
}

typedef struct seen {
	size_t len;      /* bytes of the text */
	size_t count;    /* tokens seen */
	size_t last_end; /* end of the previous token */
	int stemmed;     /* expect a stem (ts_analyze) */
} seen_t;

/* The spans of the first tokens ts_tokenize hands out. */
#define SPANS 256
typedef struct spans {
	ts_token_span_t at[SPANS];
	size_t n;
} spans_t;

static int note_span(void *ctx, const ts_token_t *t)
{
	spans_t *s = ctx;
	if (s->n < SPANS)
		s->at[s->n++] = (ts_token_span_t){t->start, t->end};
	return s->n == SPANS; /* enough */
}

/* From token FIRST of ALL on, MAX a call, ts_tokenize_bounds finds ALL's. */
static void check_spans(const char *text, size_t len, const spans_t *all, size_t first, size_t max)
{
	size_t at = first ? all->at[first].start : 0, k = first, n;
	ts_token_span_t got[7];
	do {
		n = ts_tokenize_bounds(text, len, &at, got, max);
		FUZZ_CHECK(n <= max);
		for (size_t i = 0; i < n && k < all->n; i++, k++)
			FUZZ_CHECK(got[i].start == all->at[k].start &&
			           got[i].end == all->at[k].end);
	} while (n == max && k < all->n);
	FUZZ_CHECK(k == all->n);
}

static int check_token(void *ctx, const ts_token_t *t)
{
	seen_t *s = ctx;
	FUZZ_CHECK(t->start < t->end);
	FUZZ_CHECK(t->end <= s->len);
	FUZZ_CHECK(t->start >= s->last_end);
	FUZZ_CHECK(t->index == s->count);
	FUZZ_CHECK(t->word != NULL && t->wordlen > 0);
	FUZZ_CHECK(fuzz_utf8_valid(t->word, t->wordlen));
	FUZZ_CHECK(t->stem != NULL && t->stemlen > 0);
	FUZZ_CHECK(fuzz_utf8_valid(t->stem, t->stemlen));
	/* The limit applies to the normalized form ("’" counts one byte, acronym
	 * dots none), so the source span may exceed TS_TOKEN_MAX; what must hold
	 * is that every term fits Xapian's term limit. */
	FUZZ_CHECK(t->wordlen <= TS_TERM_MAX && t->stemlen <= TS_TERM_MAX);
	if (!s->stemmed)
		FUZZ_CHECK(t->stem == t->word && t->stemlen == t->wordlen);
	s->last_end = t->end;
	s->count++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;

	seen_t plain = {size, 0, 0, 0};
	ts_tokenize_stats_t ps = {0};
	FUZZ_CHECK(ts_tokenize(text, size, check_token, &plain, &ps) == 0);
	FUZZ_CHECK(ps.tokens == plain.count);
	FUZZ_CHECK(ps.invalid_bytes <= size);

	seen_t stemmed = {size, 0, 0, 1};
	ts_tokenize_stats_t ss = {0};
	FUZZ_CHECK(ts_analyze(stemmer, text, size, check_token, &stemmed, &ss) == 0);
	FUZZ_CHECK(ss.tokens == stemmed.count);
	FUZZ_CHECK(stemmed.count == plain.count);

	spans_t all = {.n = 0};
	ts_tokenize(text, size, note_span, &all, NULL);
	check_spans(text, size, &all, 0, 7);
	if (all.n > 1)
		check_spans(text, size, &all, all.n / 2, 3);

	const char *term = NULL;
	size_t termlen = 0;
	if (ts_analyze_word(stemmer, text, size, &term, &termlen) == TS_OK && termlen)
		FUZZ_CHECK(fuzz_utf8_valid(term, termlen));
	if (ts_analyze_word(NULL, text, size, &term, &termlen) == TS_OK && termlen)
		FUZZ_CHECK(fuzz_utf8_valid(term, termlen));
	return 0;
}
