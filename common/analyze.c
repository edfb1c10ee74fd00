/*
 * analyze.c - tokenizer, case folding and stemming (see analyze.h).
 */
#include "analyze.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "terms.h"

#include <libstemmer.h>
#include <utf8proc.h>

/* ====================================================================== */
/* Character classes                                                       */
/* ====================================================================== */

enum cls {
	C_SEP = 0, /* separator */
	C_LETTER,  /* letter or combining mark */
	C_DIGIT,   /* any number */
	C_CJK,     /* ideograph or kana: a token by itself */
};

int ts_char_is_cjk(int32_t cp)
{
	return (cp >= 0x3040 && cp <= 0x30ff)       /* Hiragana, Katakana */
	       || (cp >= 0x31f0 && cp <= 0x31ff)    /* Katakana extensions */
	       || (cp >= 0x3400 && cp <= 0x4dbf)    /* CJK extension A */
	       || (cp >= 0x4e00 && cp <= 0x9fff)    /* CJK unified ideographs */
	       || (cp >= 0xf900 && cp <= 0xfaff)    /* compatibility ideographs */
	       || (cp >= 0xff66 && cp <= 0xff9f)    /* half-width Katakana */
	       || (cp >= 0x20000 && cp <= 0x3134f); /* extensions B-G */
}

int ts_spelling_word(const char *w, size_t n)
{
	if (n < TS_SPELL_MIN || n > TS_SPELL_MAX)
		return 0;
	if ((unsigned char)w[0] >= 0x80) {
		utf8proc_int32_t cp;
		if (utf8proc_iterate((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)n, &cp) < 1 ||
		    ts_char_is_cjk(cp))
			return 0; /* the tokenizer's own rule: one such character a token */
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];
		if (c < 0x80 && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))
			return 0;
	}
	return 1;
}

static enum cls classify(int32_t cp)
{
	if (cp < 0x80) {
		if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			return C_LETTER;
		return (cp >= '0' && cp <= '9') ? C_DIGIT : C_SEP;
	}
	if (ts_char_is_cjk(cp))
		return C_CJK;
	if (cp == 0x02bc)
		return C_SEP; /* MODIFIER LETTER APOSTROPHE (Lm): a joiner, see is_apostrophe */
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return C_LETTER;
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return C_DIGIT;
	default:
		return C_SEP;
	}
}

static int is_apostrophe(int32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02bc;
}

/*
 * Decode the code point at TEXT[I] (LEN bytes in all) into *CP and return
 * its length in bytes, or -1 for an invalid sequence (then *CP is -1).
 */
static int decode(const unsigned char *text, size_t len, size_t i, int32_t *cp)
{
	if (text[i] < 0x80) {
		*cp = text[i];
		return 1;
	}
	utf8proc_int32_t c;
	utf8proc_ssize_t k = utf8proc_iterate(text + i, (utf8proc_ssize_t)(len - i), &c);
	if (k <= 0 || c < 0) {
		*cp = -1;
		return -1;
	}
	*cp = c;
	return (int)k;
}

/* ====================================================================== */
/* Tokenizer                                                               */
/* ====================================================================== */

/*
 * Is a token still possibly an acronym ("U.S.") after a run of N letters
 * or digits (the first one a letter when LETTER), taken when SEGLEN code
 * points followed its start or last dropped dot? Only a single letter
 * right after a dot keeps it so (a single digit, when dots were dropped).
 */
static int still_acronym(int acronym, int dots, int seglen, size_t n, int letter)
{
	if (!acronym || seglen > 0 || n > 1)
		return 0;
	return letter || dots;
}

/*
 * Scratch space for one token: the raw (ASCII-lowered, apostrophe- and
 * acronym-normalized) bytes, then the folded form when non-ASCII.
 */
typedef struct token_buf {
	char raw[TS_TOKEN_MAX + 8]; /* raw bytes; +8 slack for the last code point */
	size_t rawlen;
	int overflow; /* raw form exceeded TS_TOKEN_MAX */
	int nonascii; /* raw form holds non-ASCII code points */
} token_buf_t;

static void buf_put(token_buf_t *b, const unsigned char *src, size_t k)
{
	if (b->rawlen + k > TS_TOKEN_MAX) {
		b->overflow = 1;
		return;
	}
	if (k == 1) {
		unsigned char c = src[0];
		b->raw[b->rawlen++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		return;
	}
	memcpy(b->raw + b->rawlen, src, k);
	b->rawlen += k;
	b->nonascii = 1;
}

/*
 * Hand the token in B (source bytes START..END) to FN. Non-ASCII tokens
 * are case folded and composed with utf8proc; others are already lowered.
 */
static int emit(token_buf_t *b, size_t start, size_t end, size_t *index, ts_token_fn fn, void *ctx,
                ts_tokenize_stats_t *stats)
{
	if (b->overflow) {
		if (stats)
			stats->long_tokens++;
		return 0;
	}
	ts_token_t t;
	utf8proc_uint8_t *folded = NULL;
	t.word = b->raw;
	t.wordlen = b->rawlen;
	if (b->nonascii) {
		utf8proc_ssize_t n =
		    utf8proc_map((const utf8proc_uint8_t *)b->raw, (utf8proc_ssize_t)b->rawlen,
		                 &folded, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
		if (n > 0 && folded) {
			t.word = (const char *)folded;
			t.wordlen = (size_t)n;
		}
	}
	t.stem = t.word;
	t.stemlen = t.wordlen;
	t.start = start;
	t.end = end;
	t.index = (*index)++;
	if (stats)
		stats->tokens++;
	int rc = fn(ctx, &t);
	if (folded)
		free(folded);
	return rc;
}

/* Kind of each byte: 0 an ASCII separator, 1 an ASCII letter, 2 an ASCII
 * digit, 3 part of a non-ASCII code point. */
static const unsigned char byte_kind[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* 0x50 */
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, /* 0x70 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x80 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0x90 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xa0 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xb0 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xc0 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xd0 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xe0 */
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, /* 0xf0 */
};

int ts_tokenize(const char *text, size_t len, ts_token_fn fn, void *ctx, ts_tokenize_stats_t *stats)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, index = 0;
	token_buf_t b;

	while (i < len) {
		/* Fast path: ASCII separators. */
		while (i < len && !byte_kind[p[i]])
			i++;
		if (i >= len)
			break;
		if (p[i] < 0x80) {
			/* Fast path: a run of ASCII letters and digits that nothing
			 * joins to more (what follows is no joiner, or a joiner not
			 * followed by a letter or digit), the most common token. */
			size_t run = i + 1;
			while (run < len && byte_kind[p[run]] - 1u < 2u)
				run++;
			int alone = run >= len;
			if (!alone && p[run] < 0x80)
				alone = (p[run] != '\'' && p[run] != '.' && p[run] != ',') ||
				        run + 1 >= len || !byte_kind[p[run + 1]];
			if (alone) {
				size_t n = run - i;
				b.rawlen = n;
				b.overflow = n > TS_TOKEN_MAX;
				b.nonascii = 0;
				for (size_t j = 0; !b.overflow && j < n; j++) {
					unsigned char a = p[i + j];
					b.raw[j] = (char)(a >= 'A' && a <= 'Z' ? a + 32 : a);
				}
				int rc = emit(&b, i, run, &index, fn, ctx, stats);
				if (rc)
					return rc;
				i = run;
				continue;
			}
		}
		int32_t cp;
		int k;
		enum cls c;
		if (p[i] < 0x80) {
			/* An ASCII letter or digit (separators were skipped). */
			cp = p[i];
			k = 1;
			c = byte_kind[p[i]] == 1 ? C_LETTER : C_DIGIT;
		} else {
			k = decode(p, len, i, &cp);
			if (k < 0) {
				if (stats)
					stats->invalid_bytes++;
				i++;
				continue;
			}
			c = classify(cp);
		}
		if (c == C_SEP) {
			i += (size_t)k;
			continue;
		}
		b.rawlen = 0;
		b.overflow = 0;
		b.nonascii = 0;
		size_t start = i;
		buf_put(&b, p + i, (size_t)k);
		i += (size_t)k;
		if (c == C_CJK) {
			int rc = emit(&b, start, i, &index, fn, ctx, stats);
			if (rc)
				return rc;
			continue;
		}
		/*
		 * Extend the token. PREV is the class of the last code point taken;
		 * ACRONYM is set while the token is single letters joined by dots.
		 */
		enum cls prev = c;
		int seglen = 1;                /* code points since the token start or last dot */
		int acronym = (c == C_LETTER); /* still possibly "U.S." */
		int dots = 0;
		while (i < len) {
			/* Fast path: a run of ASCII letters and digits, lowered as
			 * it is copied. */
			size_t run = i;
			while (run < len && byte_kind[p[run]] - 1u < 2u)
				run++;
			if (run > i) {
				size_t n = run - i;
				size_t room = TS_TOKEN_MAX - b.rawlen; /* rawlen <= TS_TOKEN_MAX */
				size_t take = n < room ? n : room;
				for (size_t j = 0; j < take; j++) {
					unsigned char a = p[i + j];
					b.raw[b.rawlen + j] =
					    (char)(a >= 'A' && a <= 'Z' ? a + 32 : a);
				}
				b.rawlen += take;
				if (take < n)
					b.overflow = 1;
				acronym =
				    still_acronym(acronym, dots, seglen, n, byte_kind[p[i]] == 1);
				seglen += (int)n;
				prev = byte_kind[p[run - 1]] == 1 ? C_LETTER : C_DIGIT;
				i = run;
				continue;
			}
			unsigned char a = p[i];
			/* Of the ASCII separators, only ' . , can join a token. */
			if (a < 0x80 && a != '\'' && a != '.' && a != ',')
				break;
			int k2 = decode(p, len, i, &cp);
			if (k2 < 0)
				break;
			enum cls c2 = classify(cp);
			if (c2 == C_LETTER || c2 == C_DIGIT) {
				buf_put(&b, p + i, (size_t)k2);
				i += (size_t)k2;
				prev = c2;
				acronym = still_acronym(acronym, dots, seglen, 1, c2 == C_LETTER);
				seglen++;
				continue;
			}
			if (c2 == C_CJK || i + (size_t)k2 >= len)
				break;
			/* A joiner is kept only between the right kinds of code point. */
			int32_t next;
			int k3 = decode(p, len, i + (size_t)k2, &next);
			if (k3 < 0)
				break;
			enum cls c3 = classify(next);
			if (is_apostrophe(cp) && prev == C_LETTER && c3 == C_LETTER) {
				buf_put(&b, (const unsigned char *)"'", 1);
				i += (size_t)k2;
				acronym = 0;
				continue;
			}
			if ((cp == '.' || cp == ',') && prev == C_DIGIT && c3 == C_DIGIT) {
				buf_put(&b, p + i, 1);
				i += (size_t)k2;
				continue;
			}
			if (cp == '.' && acronym && seglen == 1 && c3 == C_LETTER) {
				/* The letter after the dot must stand alone too. */
				size_t after = i + (size_t)k2 + (size_t)k3;
				int32_t nn = 0;
				int k4 = after < len ? decode(p, len, after, &nn) : 0;
				enum cls c4 = (k4 > 0) ? classify(nn) : C_SEP;
				if (c4 != C_LETTER && c4 != C_DIGIT) {
					i += (size_t)k2; /* drop the dot */
					dots++;
					seglen = 0;
					continue;
				}
			}
			break;
		}
		int rc = emit(&b, start, i, &index, fn, ctx, stats);
		if (rc)
			return rc;
	}
	return 0;
}

/* ====================================================================== */
/* Stemmer with a cache                                                    */
/* ====================================================================== */

/*
 * The cache is an open-addressing hash table of (word -> stem) whose
 * strings live in one growing arena. The table starts small (a query
 * stems a handful of words, and a fresh process pays a page fault for
 * every page it touches) and doubles when half full, up to CACHE_SLOTS;
 * then it is emptied and refilled. The working vocabulary of a corpus is
 * small (Reuters: 48k distinct words), so this rarely happens and bounds
 * memory to a few MiB.
 */
#define CACHE_FIRST (1u << 8)  /* initial slots; power of two */
#define CACHE_SLOTS (1u << 17) /* most slots; power of two */

typedef struct cache_slot {
	uint32_t hash; /* full hash; 0 = empty slot */
	uint32_t word; /* arena offset of the word */
	uint16_t wordlen;
	uint16_t stemlen;
	uint32_t stem; /* arena offset of the stem */
} cache_slot_t;

struct ts_stemmer {
	struct sb_stemmer *sb;          /* NULL for "none" */
	char name[32];                  /* canonical algorithm name */
	cache_slot_t *slots;            /* nslots slots, allocated on first stem */
	size_t nslots;                  /* power of two, at most CACHE_SLOTS */
	size_t used;                    /* occupied slots */
	char *arena;                    /* word and stem bytes */
	size_t arena_len;               /* bytes used in arena */
	size_t arena_cap;               /* bytes allocated */
	char out[TS_TOKEN_MAX * 4 + 1]; /* ts_analyze_word's result */
};

/* Aliases people type, for the algorithms libstemmer names in full. */
static const struct {
	const char *code;
	const char *name;
} aliases[] = {
    {"ar", "arabic"},     {"hy", "armenian"},   {"eu", "basque"},    {"ca", "catalan"},
    {"da", "danish"},     {"nl", "dutch"},      {"en", "english"},   {"fi", "finnish"},
    {"fr", "french"},     {"de", "german"},     {"el", "greek"},     {"hi", "hindi"},
    {"hu", "hungarian"},  {"id", "indonesian"}, {"ga", "irish"},     {"it", "italian"},
    {"lt", "lithuanian"}, {"ne", "nepali"},     {"no", "norwegian"}, {"nb", "norwegian"},
    {"pt", "portuguese"}, {"ro", "romanian"},   {"ru", "russian"},   {"sr", "serbian"},
    {"es", "spanish"},    {"sv", "swedish"},    {"ta", "tamil"},     {"tr", "turkish"},
    {"yi", "yiddish"},
};

ts_status_t ts_stemmer_new(const char *language, ts_stemmer_t **out)
{
	*out = NULL;
	if (!language || !*language)
		language = "english";
	ts_stemmer_t *st = calloc(1, sizeof *st);
	if (!st)
		return TS_ENOMEM;
	const char *name = language;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (!strcmp(language, aliases[i].code))
			name = aliases[i].name;
	if (strcmp(name, "none") != 0) {
		/* Accept only the canonical names libstemmer lists (and the codes above). */
		int known = 0;
		for (const char **l = sb_stemmer_list(); *l; l++)
			if (!strcmp(*l, name))
				known = 1;
		if (!known) {
			free(st);
			return TS_ELANG;
		}
		st->sb = sb_stemmer_new(name, "UTF_8");
		if (!st->sb) {
			free(st);
			return TS_ELANG;
		}
	}
	snprintf(st->name, sizeof st->name, "%s", name);
	*out = st;
	return TS_OK;
}

void ts_stemmer_free(ts_stemmer_t *st)
{
	if (!st)
		return;
	if (st->sb)
		sb_stemmer_delete(st->sb);
	free(st->slots);
	free(st->arena);
	free(st);
}

const char *ts_stemmer_code(const ts_stemmer_t *st)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (!strcmp(st->name, aliases[i].name))
			return aliases[i].code;
	return st->name;
}

const char *ts_stemmer_name(const ts_stemmer_t *st)
{
	return st->name;
}

int ts_stemmer_keeps_prefix(const ts_stemmer_t *st)
{
	return !st || !st->sb || !strcmp(st->name, "english") || !strcmp(st->name, "porter");
}

const char **ts_stemmer_list(void)
{
	return sb_stemmer_list();
}

static ts_status_t arena_put(ts_stemmer_t *st, const char *s, size_t n, uint32_t *off)
{
	if (st->arena_len + n > st->arena_cap) {
		size_t cap = st->arena_cap ? st->arena_cap * 2 : 1u << 12;
		while (cap < st->arena_len + n)
			cap *= 2;
		char *a = realloc(st->arena, cap);
		if (!a)
			return TS_ENOMEM;
		st->arena = a;
		st->arena_cap = cap;
	}
	memcpy(st->arena + st->arena_len, s, n);
	*off = (uint32_t)st->arena_len;
	st->arena_len += n;
	return TS_OK;
}

/* Double the cache table, rehashing every entry. */
static ts_status_t grow_cache(ts_stemmer_t *st)
{
	size_t n = st->nslots * 2;
	cache_slot_t *slots = calloc(n, sizeof *slots);
	if (!slots)
		return TS_ENOMEM;
	for (size_t i = 0; i < st->nslots; i++) {
		if (!st->slots[i].hash)
			continue;
		size_t j = st->slots[i].hash & (n - 1);
		while (slots[j].hash)
			j = (j + 1) & (n - 1);
		slots[j] = st->slots[i];
	}
	free(st->slots);
	st->slots = slots;
	st->nslots = n;
	return TS_OK;
}

ts_status_t ts_stemmer_stem(ts_stemmer_t *st, const char *word, size_t len, const char **stem,
                            size_t *stemlen)
{
	*stem = word;
	*stemlen = len;
	if (!st->sb || !len || (word[0] >= '0' && word[0] <= '9') || len > TS_TOKEN_MAX * 4)
		return TS_OK;
	if (!st->slots) {
		st->slots = calloc(CACHE_FIRST, sizeof *st->slots);
		if (!st->slots)
			return TS_ENOMEM;
		st->nslots = CACHE_FIRST;
	}
	uint32_t h = ts_hash32(word, len);
	size_t mask = st->nslots - 1, i = h & mask;
	for (;;) {
		cache_slot_t *s = &st->slots[i];
		if (!s->hash)
			break;
		if (s->hash == h && s->wordlen == len && !memcmp(st->arena + s->word, word, len)) {
			*stem = st->arena + s->stem;
			*stemlen = s->stemlen;
			return TS_OK;
		}
		i = (i + 1) & mask;
	}
	const sb_symbol *r = sb_stemmer_stem(st->sb, (const sb_symbol *)word, (int)len);
	if (!r)
		return TS_ENOMEM;
	size_t rlen = (size_t)sb_stemmer_length(st->sb);
	if ((st->used + 1) * 2 > st->nslots) {
		if (st->nslots < CACHE_SLOTS && grow_cache(st) == TS_OK) {
			mask = st->nslots - 1;
		} else {
			memset(st->slots, 0, st->nslots * sizeof *st->slots);
			st->used = 0;
			st->arena_len = 0;
		}
		for (i = h & mask; st->slots[i].hash; i = (i + 1) & mask)
			;
	}
	uint32_t woff, soff;
	if (arena_put(st, word, len, &woff) || arena_put(st, (const char *)r, rlen, &soff)) {
		/* The cache is an optimisation: hand out libstemmer's buffer. */
		*stem = (const char *)r;
		*stemlen = rlen;
		return TS_OK;
	}
	cache_slot_t *s = &st->slots[i];
	s->hash = h;
	s->word = woff;
	s->wordlen = (uint16_t)len;
	s->stem = soff;
	s->stemlen = (uint16_t)rlen;
	st->used++;
	*stem = st->arena + soff;
	*stemlen = rlen;
	return TS_OK;
}

/* ====================================================================== */
/* Analyzer: tokenizer + stemmer                                           */
/* ====================================================================== */

typedef struct analyze_ctx {
	ts_stemmer_t *stemmer;
	ts_token_fn fn;
	void *ctx;
} analyze_ctx_t;

static int analyze_cb(void *vctx, const ts_token_t *tok)
{
	analyze_ctx_t *a = vctx;
	ts_token_t t = *tok;
	if (ts_stemmer_stem(a->stemmer, t.word, t.wordlen, &t.stem, &t.stemlen)) {
		t.stem = t.word;
		t.stemlen = t.wordlen;
	}
	return a->fn(a->ctx, &t);
}

int ts_analyze(ts_stemmer_t *stemmer, const char *text, size_t len, ts_token_fn fn, void *ctx,
               ts_tokenize_stats_t *stats)
{
	if (!stemmer || !stemmer->sb)
		return ts_tokenize(text, len, fn, ctx, stats);
	analyze_ctx_t a = {stemmer, fn, ctx};
	return ts_tokenize(text, len, analyze_cb, &a, stats);
}

typedef struct word_ctx {
	char *out;     /* destination, TS_TOKEN_MAX * 4 + 1 bytes */
	size_t outlen; /* bytes written */
} word_ctx_t;

static int first_token_cb(void *vctx, const ts_token_t *tok)
{
	word_ctx_t *w = vctx;
	size_t n = tok->stemlen < TS_TOKEN_MAX * 4 ? tok->stemlen : TS_TOKEN_MAX * 4;
	memcpy(w->out, tok->stem, n);
	w->out[n] = '\0';
	w->outlen = n;
	return 1;
}

ts_status_t ts_analyze_word(ts_stemmer_t *stemmer, const char *word, size_t len, const char **out,
                            size_t *outlen)
{
	static _Thread_local char local[TS_TOKEN_MAX * 4 + 1];
	word_ctx_t w = {stemmer ? stemmer->out : local, 0};
	w.out[0] = '\0';
	ts_analyze(stemmer, word, len, first_token_cb, &w, NULL);
	*out = w.out;
	*outlen = w.outlen;
	return TS_OK;
}
