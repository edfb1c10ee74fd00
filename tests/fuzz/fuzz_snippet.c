/*
 * fuzz_snippet.c - libFuzzer harness: ts_snippet_build on arbitrary text.
 *
 * Input: the first byte is the target length (0: the whole text), the rest
 * is the text. The match set is fixed: a few English stems and two wildcard
 * prefixes. Checked: every span lies inside the snippet text, spans ascend
 * and do not overlap, the snippet never cuts a UTF-8 sequence (it is valid
 * UTF-8 whenever the text was), and a second passage appended after a
 * separator (as the searcher does for --context) keeps all of that. A
 * snippet built from the matches the index would know (the tokens whose
 * stem is a term, or starts with a wildcard prefix) is the same as one
 * built by stemming every word; that one reads the words' places from the
 * text store's token table. The text is tried as given and
 * normalized as the extractors store it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyze.h"
#include "article.h"
#include "buf.h"
#include "fuzz_util.h"
#include "snippet.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ts_match_set_t set;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (ts_stemmer_new("english", &set.stemmer) != TS_OK)
		abort();
	static const struct {
		const char *text;
		double weight;
		int prefix;
	} terms[] = {
	    {"tariff", 2.5, 0},  {"japan", 1.5, 0},       {"trade", 0.7, 0},
	    {"deficit", 3.0, 0}, {"caf\xc3\xa9", 1.0, 0}, {"1,000", 1.0, 0},
	    {"us", 0.5, 0},      {"econom", 1.0, 1},      {"\xe6\x97\xa5", 1.0, 1}, /* 日 */
	};
	for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++)
		ts_match_add(&set, terms[i].text, strlen(terms[i].text), terms[i].weight,
		             terms[i].prefix);
	return 0;
}

/* Spans inside TEXT, ascending, not overlapping; from span FIRST on. */
static void check_spans(const ts_snippet_t *s)
{
	FUZZ_CHECK(s->nspans <= s->capspans || (!s->nspans && !s->capspans));
	size_t prev_end = 0;
	for (size_t i = 0; i < s->nspans; i++) {
		const ts_span_t *sp = &s->spans[i];
		FUZZ_CHECK(sp->start < sp->end);
		FUZZ_CHECK(sp->end <= s->text.len);
		FUZZ_CHECK(i == 0 || sp->start >= prev_end);
		prev_end = sp->end;
	}
	FUZZ_CHECK(!s->text.data || s->text.data[s->text.len] == '\0');
}

/* The matches of a text as the index knows them, from its positions. */
typedef struct known {
	ts_known_match_t m[4096];
	size_t n;
	int ambiguous; /* a word and its stem disagree on a wildcard prefix */
	int full;      /* more matches than m holds (not checked then) */
} known_t;

static int starts(const char *s, size_t n, const ts_match_term_t *t)
{
	return n >= t->len && !memcmp(s, t->text, t->len);
}

static int known_token(void *ctx, const ts_token_t *t)
{
	known_t *k = ctx;
	int term = -1;
	for (size_t i = 0; i < set.count && term < 0; i++) {
		const ts_match_term_t *m = &set.terms[i];
		if (m->prefix) {
			int by_stem = starts(t->stem, t->stemlen, m);
			if (by_stem != starts(t->word, t->wordlen, m))
				k->ambiguous = 1;
			if (by_stem)
				term = (int)i;
		} else if (t->stemlen == m->len && !memcmp(t->stem, m->text, m->len)) {
			term = (int)i;
		}
	}
	if (term < 0)
		return 0;
	if (k->n == sizeof k->m / sizeof k->m[0]) {
		k->full = 1;
		return 1;
	}
	k->m[k->n++] = (ts_known_match_t){(uint32_t)t->index, term};
	return 0;
}

/* The token table of a text, made by the text store's builder as the
 * indexer makes it (one block). */
typedef struct kept {
	ts_texts_builder_t b;
	ts_status_t st;
} kept_t;

static int note_token(void *ctx, const ts_token_t *t)
{
	kept_t *k = ctx;
	k->st = ts_texts_builder_token(&k->b, 0, t->index, t->start, t->end);
	return k->st != TS_OK;
}

static int same(const ts_snippet_t *a, const ts_snippet_t *b)
{
	FUZZ_CHECK(a->text.len == b->text.len);
	FUZZ_CHECK(!a->text.len || !memcmp(a->text.data, b->text.data, a->text.len));
	FUZZ_CHECK(a->nspans == b->nspans);
	for (size_t i = 0; i < a->nspans; i++)
		FUZZ_CHECK(a->spans[i].start == b->spans[i].start &&
		           a->spans[i].end == b->spans[i].end);
	FUZZ_CHECK(a->score == b->score);
	return 1;
}

/* The snippet from the matches K, the words' places read from a token
 * table, equals the one from stemming every word. */
static void same_as_stemmed(const char *text, size_t len, size_t target, const known_t *k)
{
	static kept_t kept;
	static ts_buf_t block; /* the text, then its table, as a record keeps them */
	ts_texts_builder_reset(&kept.b);
	kept.st = TS_OK;
	ts_tokenize(text, len, note_token, &kept, NULL);
	ts_buf_clear(&block);
	if (kept.st || ts_buf_append(&block, text, len) ||
	    (kept.b.toks.len && ts_buf_append(&block, kept.b.toks.data, kept.b.toks.len)))
		return;
	ts_texts_block_t tb = {0};
	tb.len = (uint32_t)len;
	if (kept.b.capblocks) {
		tb.ntok = kept.b.blocks[0].ntok;
		tb.toklen = kept.b.blocks[0].toklen;
	}
	ts_snippet_t a = {0}, c = {0};
	if (ts_snippet_build(text, len, &set, target, &a) == TS_OK &&
	    ts_snippet_build_known(block.data, len, &set, k->m, k->n, &tb, target, &c) == TS_OK)
		same(&a, &c);
	ts_snippet_release(&a);
	ts_snippet_release(&c);
}

/* The passage from the matches the index knows is the one from stemming
 * every word. */
static void check_known(const char *text, size_t len, size_t target)
{
	static known_t k;
	k.n = 0;
	k.ambiguous = k.full = 0;
	ts_analyze(set.stemmer, text, len, known_token, &k, NULL);
	if (!k.full && !k.ambiguous)
		same_as_stemmed(text, len, target, &k);
}

/* A snippet taken from valid TEXT must be valid UTF-8; one taken from any
 * text must not start or end inside a sequence that was valid there. */
static void build_and_check(const char *text, size_t len, size_t target)
{
	ts_snippet_t s = {0};
	int valid = fuzz_utf8_valid(text, len);
	ts_status_t st = ts_snippet_build(text, len, &set, target, &s);
	FUZZ_CHECK(st == TS_OK || st == TS_ENOMEM);
	if (st == TS_OK) {
		check_spans(&s);
		if (valid)
			FUZZ_CHECK(fuzz_utf8_valid(s.text.data, s.text.len));
		FUZZ_CHECK(s.score >= 0);
		/* Second passage after a separator, as build_snippet does. */
		size_t before = s.nspans;
		st = ts_snippet_separate(&s);
		if (st == TS_OK)
			st = ts_snippet_build(text, len, &set, target, &s);
		if (st == TS_OK) {
			check_spans(&s);
			FUZZ_CHECK(s.nspans >= before);
			if (valid)
				FUZZ_CHECK(fuzz_utf8_valid(s.text.data, s.text.len));
		}
	}
	ts_snippet_release(&s);
	check_known(text, len, target);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t target = data[0];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	build_and_check(text, len, target);

	char *normal = NULL;
	if (ts_article_set(&normal, text, len, NULL) == TS_OK && normal) {
		build_and_check(normal, strlen(normal), target);
		/* Titles are built whole (target 0). */
		build_and_check(normal, strlen(normal), 0);
	}
	free(normal);
	return 0;
}
