/*
 * testutil.h - small helpers shared by the unit tests: a deterministic
 * random generator, a UTF-8 validity check, a whole-file reader, and what
 * the extractor tests share (fixture reading, checks, stderr capture,
 * threads, setup and teardown), and a temporary folder for tests that
 * write files.
 *
 * Header-only (static inline), so each test program stays one file to build.
 */
#ifndef TS_TESTUTIL_H
#define TS_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <utf8proc.h>

#include "extract.h"

/* The temporary folder of a test program (tu_tmp_make). */
static inline char *tu_tmpdir(void)
{
	static char dir[64];
	return dir;
}

/* Make the temporary folder, named after WHAT: 0 on success (a setup's result). */
static inline int tu_tmp_make(const char *what)
{
	snprintf(tu_tmpdir(), 64, "/tmp/tsearch-%s.XXXXXX", what);
	return mkdtemp(tu_tmpdir()) ? 0 : -1;
}

/* NAME in the temporary folder, in one of two static buffers (two paths can
 * be in use at once). */
static inline const char *tu_tmp(const char *name)
{
	static char path[2][256];
	static int which;
	which = !which;
	snprintf(path[which], sizeof path[which], "%s/%s", tu_tmpdir(), name);
	return path[which];
}

static inline int tu_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove the temporary folder and everything in it (a teardown's result). */
static inline int tu_tmp_remove(void)
{
	return nftw(tu_tmpdir(), tu_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

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

/* The bytes of fixture DIR/NAME (malloc'd, NUL-terminated); fails the test when unreadable. */
static inline char *tu_slurp(const char *dir, const char *name, size_t *len)
{
	char path[256];
	snprintf(path, sizeof path, "%s%s", dir, name);
	*len = 0; /* fail_msg does not return, but the compiler cannot know */
	char *buf = tu_read_file(path, len);
	if (!buf)
		fail_msg("cannot open fixture '%s' (run from the repository root)", path);
	return buf;
}

/* WORD appears in no field and no block of any article of L. */
static inline void tu_assert_nowhere(const ts_article_list_t *l, const char *word)
{
	for (size_t k = 0; k < l->count; k++) {
		const ts_article_t *a = &l->items[k];
		const char *fields[] = {a->title,   a->author, a->date,
		                        a->locator, a->link,   a->language};
		for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++)
			if (fields[f] && strstr(fields[f], word))
				fail_msg("'%s' found in a field: '%s'", word, fields[f]);
		for (size_t b = 0; b < a->nblocks; b++)
			if (strstr(a->blocks[b].text, word))
				fail_msg("'%s' found in block %zu: '%s'", word, b,
				         a->blocks[b].text);
	}
}

/* Run FN with stderr sent to a temporary file; return the bytes written there. */
static inline long tu_stderr_bytes_during(void (*fn)(void))
{
	char path[] = "/tmp/tsearch-stderr-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	int saved = dup(2);
	assert_true(saved >= 0);
	assert_true(dup2(fd, 2) >= 0);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	long n = lseek(fd, 0, SEEK_END);
	close(fd);
	unlink(path);
	return n;
}

/*
 * Run FN(ARG) in N threads at once; each must return 0 (its count of bad
 * results, as a pointer).
 */
static inline void tu_run_threads(int n, void *(*fn)(void *), void *arg)
{
	pthread_t *th = malloc((size_t)n * sizeof *th);
	assert_non_null(th);
	for (int i = 0; i < n; i++)
		assert_int_equal(pthread_create(&th[i], NULL, fn, arg), 0);
	for (int i = 0; i < n; i++) {
		void *bad;
		assert_int_equal(pthread_join(th[i], &bad), 0);
		assert_int_equal((long)bad, 0);
	}
	free(th);
}

/* Group setup and teardown of the extractor tests. */
static inline int tu_extract_setup(void **state)
{
	(void)state;
	ts_extract_init();
	return 0;
}

static inline int tu_extract_teardown(void **state)
{
	(void)state;
	ts_extract_cleanup();
	return 0;
}

#endif
