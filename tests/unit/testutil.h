/*
 * testutil.h - small helpers shared by the unit tests: a deterministic
 * random generator, a UTF-8 validity check and a whole-file reader.
 *
 * Header-only (static inline), so each test program stays one file to build.
 */
#ifndef TS_TESTUTIL_H
#define TS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <utf8proc.h>

/* xorshift64*: the same sequence on every run, so a failure reproduces. */
static inline uint32_t tu_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ULL;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return (uint32_t)((x * 0x2545f4914f6cdd1dULL) >> 32);
}

/* Is S/LEN valid UTF-8 (no overlong forms, surrogates or truncated sequences)? */
static inline int tu_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0 || cp < 0)
			return 0;
		i += (size_t)k;
	}
	return 1;
}

/* Is byte offset AT of S a code point boundary (not inside a UTF-8 sequence)? */
static inline int tu_utf8_boundary(const char *s, size_t len, size_t at)
{
	return at >= len || ((unsigned char)s[at] & 0xc0) != 0x80;
}

/* The whole file PATH in a malloc'd, NUL-terminated buffer, or NULL. */
static inline char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		char *b = realloc(buf, cap * 2 + 1);
		if (!b) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = b;
		cap *= 2;
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	*len = n;
	return buf;
}

#endif
