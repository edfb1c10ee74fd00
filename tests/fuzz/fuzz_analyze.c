/*
 * fuzz_analyze.c - libFuzzer harness: the tokenizer and the analyzer
 * (English stemmer) on arbitrary bytes.
 *
 * Every token must lie inside the text (start < end <= len), tokens must
 * come in order without overlapping, their ordinals must count up from 0,
 * the folded word and the stem must be non-empty valid UTF-8 and short
 * enough to be Xapian terms. The
 * statistics must agree with the tokens seen. ts_analyze_word is run on
 * the input too (the query parser's path).
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

	const char *term = NULL;
	size_t termlen = 0;
	if (ts_analyze_word(stemmer, text, size, &term, &termlen) == TS_OK && termlen)
		FUZZ_CHECK(fuzz_utf8_valid(term, termlen));
	if (ts_analyze_word(NULL, text, size, &term, &termlen) == TS_OK && termlen)
		FUZZ_CHECK(fuzz_utf8_valid(term, termlen));
	return 0;
}
