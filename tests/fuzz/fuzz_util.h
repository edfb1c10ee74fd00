/*
 * fuzz_util.h - what the libFuzzer harnesses share: the entry points'
 * prototypes, a strict UTF-8 check, a way to fail loudly that the fuzzer and
 * the replay driver both see, and the body of the extractor harnesses.
 */
#ifndef TS_FUZZ_UTIL_H
#define TS_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "article.h"
#include "extract.h"

/* The libFuzzer entry points, which every harness defines. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Is S/LEN valid UTF-8 (shortest forms only, no surrogates, at most
 * U+10FFFF)? Returns 1 when it is, 0 otherwise.
 */
static inline int fuzz_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		size_t n;
		unsigned cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, cp = c & 0x1f, min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, cp = c & 0x0f, min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (len - i <= n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Report a broken invariant and abort (the fuzzer keeps the input). */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,       \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/*
 * A normalized string, as article.h promises for every field and block:
 * valid UTF-8, LEN == strlen, not empty, no ASCII control character, no
 * leading, trailing or doubled space.
 */
static inline void fuzz_check_normal(const char *s, size_t len)
{
	FUZZ_CHECK(s != NULL);
	FUZZ_CHECK(len == strlen(s));
	FUZZ_CHECK(len > 0);
	FUZZ_CHECK(fuzz_utf8_valid(s, len));
	FUZZ_CHECK(s[0] != ' ' && s[len - 1] != ' ');
	for (size_t i = 0; i < len; i++) {
		FUZZ_CHECK((unsigned char)s[i] >= 0x20 && s[i] != 0x7f);
		FUZZ_CHECK(!(s[i] == ' ' && i + 1 < len && s[i + 1] == ' '));
	}
}

static inline void fuzz_check_field(const char *s)
{
	if (s)
		fuzz_check_normal(s, strlen(s));
}

/* Every article of LIST keeps article.h's promises. */
static inline void fuzz_check_articles(const ts_article_list_t *list)
{
	FUZZ_CHECK(list->count <= list->cap);
	for (size_t i = 0; i < list->count; i++) {
		const ts_article_t *a = &list->items[i];
		fuzz_check_field(a->title);
		fuzz_check_field(a->author);
		fuzz_check_field(a->date);
		fuzz_check_field(a->locator);
		fuzz_check_field(a->link);
		fuzz_check_field(a->language);
		FUZZ_CHECK(a->type != NULL);
		FUZZ_CHECK(a->nblocks <= a->cap);
		for (size_t b = 0; b < a->nblocks; b++) {
			FUZZ_CHECK(a->blocks[b].kind == TS_BLOCK_HEADING ||
			           a->blocks[b].kind == TS_BLOCK_PARA);
			fuzz_check_normal(a->blocks[b].text, a->blocks[b].len);
		}
	}
}

/* An extractor entry point: ts_extract_text, ts_extract_html or ts_extract_xml. */
typedef ts_status_t (*fuzz_extract_fn)(const char *data, size_t len,
                                       const ts_extract_limits_t *limits, ts_article_list_t *out);

/* LLVMFuzzerInitialize of the extractor harnesses. */
static inline int fuzz_extract_init(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ts_extract_init();
	return 0;
}

/*
 * LLVMFuzzerTestOneInput of the extractor harnesses: EXTRACT on DATA/SIZE,
 * with the default limits. Whatever the status, the articles produced keep
 * article.h's promises and are released.
 */
static inline int fuzz_extract_one(fuzz_extract_fn extract, const uint8_t *data, size_t size)
{
	const ts_extract_limits_t limits = {TS_EXTRACT_MAX_DEPTH_DEFAULT,
	                                    TS_EXTRACT_MAX_ARTICLES_DEFAULT};
	ts_article_list_t list = {0};
	ts_status_t st = extract((const char *)data, size, &limits, &list);
	FUZZ_CHECK(st < TS_STATUS_COUNT);
	FUZZ_CHECK(list.count <= limits.max_articles);
	if (st == TS_EPARSE || st == TS_ETOOBIG)
		FUZZ_CHECK(list.error != NULL);
	fuzz_check_articles(&list);
	ts_article_list_release(&list);
	return 0;
}

#endif
