/*
 * analyze.h - the one analyzer: UTF-8 tokenizer, case folding, stemming.
 *
 * The indexer, the query parser (through the Xapian wrapper's stemmer
 * callback) and the snippet builder all turn text into terms with these
 * functions, so a word is the same term everywhere.
 *
 * Tokens are handed out through a callback, each with its byte offsets in
 * the original text (in the manner of SQLite FTS5's tokenizers): indexing,
 * snippet selection and highlighting are built on those offsets.
 *
 * Token rules:
 *  - a token is a run of letters, marks and digits (Unicode classes L, M, N);
 *  - an apostrophe (' U+2019 U+02BC) between two letters stays inside the
 *    token, as "'" ("Japan’s" -> "japan's", which English stems to "japan");
 *  - a '.' or ',' between two digits stays inside ("14.9", "1,000");
 *  - single letters joined by dots are an acronym without the dots
 *    ("U.S." -> "us");
 *  - each Han, Hiragana or Katakana character is a token of its own
 *    (phrase search over them finds words of any length);
 *  - tokens are case folded (Unicode full case folding) and composed (NFC);
 *  - tokens longer than TS_TOKEN_MAX bytes are skipped, and counted;
 *  - invalid UTF-8 bytes separate tokens and are counted; they never crash.
 */
#ifndef TS_ANALYZE_H
#define TS_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest token kept, in bytes of its folded form (Xapian's own default). */
#define TS_TOKEN_MAX 64

typedef struct ts_token {
	const char *word; /* folded form; borrowed, valid during the callback */
	size_t wordlen;   /* bytes */
	const char *stem; /* stemmed form (== word when not stemmed); borrowed */
	size_t stemlen;   /* bytes */
	size_t start;     /* byte offset of the token's first byte in the text */
	size_t end;       /* byte offset just past its last byte */
	size_t index;     /* 0-based ordinal of the token in this text */
} ts_token_t;

/* Is CP a Han, Hiragana or Katakana character (a token by itself)? */
int ts_char_is_cjk(int32_t cp);

/*
 * Is the folded WORD/LEN one for the spelling table: TS_SPELL_MIN to
 * TS_SPELL_MAX bytes of letters only, and not Han or kana (each of those is
 * a token by itself: suggesting characters helps nobody)? The indexer adds
 * such words; the searcher looks for better spellings of such words only.
 */
#define TS_SPELL_MIN 3
#define TS_SPELL_MAX 24
int ts_spelling_word(const char *word, size_t len);

/* Return non-zero to stop the tokenizer early (that value is returned). */
typedef int (*ts_token_fn)(void *ctx, const ts_token_t *token);

typedef struct ts_tokenize_stats {
	size_t invalid_bytes; /* bytes of invalid UTF-8 skipped */
	size_t long_tokens;   /* tokens skipped for exceeding TS_TOKEN_MAX */
	size_t tokens;        /* tokens handed out */
} ts_tokenize_stats_t;

/*
 * Tokenize TEXT/LEN, calling FN(CTX, token) for each token in order, with
 * stem == word. STATS may be NULL; otherwise its counters are added to.
 * Returns 0, or the first non-zero value FN returned.
 */
int ts_tokenize(const char *text, size_t len, ts_token_fn fn, void *ctx,
                ts_tokenize_stats_t *stats);

/* --- stemmer ----------------------------------------------------------- */

typedef struct ts_stemmer ts_stemmer_t;

/*
 * Create a stemmer for LANGUAGE: any name or code libstemmer knows
 * ("english", "en", "french", "fr", ...) or "none" for no stemming.
 * On success *OUT is owned by the caller (free with ts_stemmer_free); an
 * unknown language gives TS_ELANG. A stemmer is not thread-safe: use one
 * per thread. It caches stems (bounded memory), so stemming the same word
 * again is a hash lookup.
 */
ts_status_t ts_stemmer_new(const char *language, ts_stemmer_t **out);
void ts_stemmer_free(ts_stemmer_t *stemmer);

/* The language code of STEMMER ("en" for english), or its name when it has
 * no two-letter code ("porter", "none"); static. */
const char *ts_stemmer_code(const ts_stemmer_t *stemmer);

/* The canonical algorithm name ("english", "none"); borrowed, lives with STEMMER. */
const char *ts_stemmer_name(const ts_stemmer_t *stemmer);

/*
 * Stem WORD/LEN (already folded). *STEM and *STEMLEN are borrowed and valid
 * until the next call on STEMMER. Words that start with a digit are not
 * stemmed.
 */
ts_status_t ts_stemmer_stem(ts_stemmer_t *stemmer, const char *word, size_t len, const char **stem,
                            size_t *stemlen);

/*
 * Does STEMMER only ever rewrite the end of a word, so that every stem
 * starts as its word does but for the stem's last two bytes (for a stem of
 * one or two, its first byte)? True for English and Porter ("dying" ->
 * "die", "possibility" -> "possibl"; no exception among the 279,398
 * distinct words of the benchmark corpora, accented ones included) and for
 * no stemming; other algorithms may rewrite the start (Indonesian
 * prefixes, Irish mutations, umlauts). Lets a matcher skip stemming words
 * that cannot match.
 */
int ts_stemmer_keeps_prefix(const ts_stemmer_t *stemmer);

/* NULL-terminated list of the algorithm names libstemmer offers. */
const char **ts_stemmer_list(void);

/*
 * Tokenize and stem: as ts_tokenize, with token->stem set by STEMMER
 * (which may be NULL: no stemming). On TS_ENOMEM from the stemmer the
 * token is passed unstemmed.
 */
int ts_analyze(ts_stemmer_t *stemmer, const char *text, size_t len, ts_token_fn fn, void *ctx,
               ts_tokenize_stats_t *stats);

/*
 * Turn one word, as a query parser split it, into the term the indexer
 * would have made of it: the first token of WORD/LEN by the rules above,
 * stemmed when STEMMER is not NULL. A word without any token gives an
 * empty term (*OUTLEN 0). *OUT is borrowed from STEMMER (or from a
 * thread-local buffer when STEMMER is NULL) until the next call.
 */
ts_status_t ts_analyze_word(ts_stemmer_t *stemmer, const char *word, size_t len, const char **out,
                            size_t *outlen);

#ifdef __cplusplus
}
#endif

#endif
