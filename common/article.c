/*
 * article.c - the article model: owned strings, normalized on the way in.
 */
#include "article.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

/* U+FFFD REPLACEMENT CHARACTER, in UTF-8. */
static const char replacement[] = "\xEF\xBF\xBD";

/*
 * Is CP white space or a control character to be folded into one space?
 * Covers ASCII controls, NBSP, the Unicode Zs/Zl/Zp classes and the
 * zero-width space family, which authors use as invisible separators.
 */
static int is_space_cp(utf8proc_int32_t cp)
{
	if (cp < 0x20 || cp == 0x7f)
		return 1;
	if (cp < 0x80)
		return cp == ' ';
	if (cp >= 0x80 && cp < 0xa0)
		return 1; /* C1 controls */
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_ZS:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return 1;
	default:
		break;
	}
	return cp == 0x200b || cp == 0xfeff;
}

/*
 * Normalize TEXT/LEN into a new NUL-terminated string (*OUT, owned by the
 * caller, NULL when the result is empty). Invalid sequences become U+FFFD;
 * their bytes are added to *INVALID.
 */
static ts_status_t normalize(const char *text, size_t len, size_t *invalid, char **out,
                             size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	if (!text || !len)
		return TS_OK;
	/* Each invalid byte may grow to 3 bytes; spaces only shrink. */
	char *buf = malloc(len * 3 + 1);
	if (!buf)
		return TS_ENOMEM;
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, n = 0;
	int pending_space = 0;
	while (i < len) {
		/* Fast path: a run of visible ASCII is copied as it is. */
		if (p[i] > 0x20 && p[i] < 0x7f) {
			size_t j = i + 1;
			while (j < len && p[j] > 0x20 && p[j] < 0x7f)
				j++;
			if (pending_space && n)
				buf[n++] = ' ';
			pending_space = 0;
			memcpy(buf + n, p + i, j - i);
			n += j - i;
			i = j;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k;
		if (p[i] < 0x80) {
			cp = p[i];
			k = 1;
		} else {
			k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		}
		if (k < 0 || cp < 0) {
			if (invalid)
				(*invalid)++;
			if (pending_space && n)
				buf[n++] = ' ';
			pending_space = 0;
			memcpy(buf + n, replacement, 3);
			n += 3;
			i++;
			continue;
		}
		if (is_space_cp(cp)) {
			pending_space = 1;
		} else {
			if (pending_space && n)
				buf[n++] = ' ';
			pending_space = 0;
			memcpy(buf + n, p + i, (size_t)k);
			n += (size_t)k;
		}
		i += (size_t)k;
	}
	if (!n) {
		free(buf);
		return TS_OK;
	}
	buf[n] = '\0';
	char *shrunk = realloc(buf, n + 1);
	*out = shrunk ? shrunk : buf;
	*outlen = n;
	return TS_OK;
}

ts_status_t ts_article_set(char **field, const char *text, size_t len, size_t *invalid)
{
	char *s;
	size_t n;
	ts_status_t st = normalize(text, len, invalid, &s, &n);
	if (st)
		return st;
	free(*field);
	*field = s;
	return TS_OK;
}

/* Append a block of KIND, the normalized TEXT/LEN, unless it is empty or,
 * ignoring case, SKIP. */
static ts_status_t add_block(ts_article_t *a, ts_block_kind_t kind, const char *text, size_t len,
                             const char *skip, size_t *invalid)
{
	char *s;
	size_t n;
	ts_status_t st = normalize(text, len, invalid, &s, &n);
	if (st || !s)
		return st;
	if (skip && !strcasecmp(s, skip)) {
		free(s);
		return TS_OK;
	}
	if (a->nblocks == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 8;
		ts_block_t *b = realloc(a->blocks, cap * sizeof *b);
		if (!b) {
			free(s);
			return TS_ENOMEM;
		}
		a->blocks = b;
		a->cap = cap;
	}
	a->blocks[a->nblocks].kind = kind;
	a->blocks[a->nblocks].text = s;
	a->blocks[a->nblocks].len = n;
	a->nblocks++;
	return TS_OK;
}

ts_status_t ts_article_add_block(ts_article_t *a, ts_block_kind_t kind, const char *text,
                                 size_t len, size_t *invalid)
{
	return add_block(a, kind, text, len, NULL, invalid);
}

ts_status_t ts_article_add_heading(ts_article_t *a, const char *text, size_t len, const char *title,
                                   size_t *invalid)
{
	return add_block(a, TS_BLOCK_HEADING, text, len, title, invalid);
}

void ts_article_release(ts_article_t *a)
{
	if (!a)
		return;
	free(a->title);
	free(a->author);
	free(a->date);
	free(a->locator);
	free(a->link);
	free(a->language);
	for (size_t i = 0; i < a->nblocks; i++)
		free(a->blocks[i].text);
	free(a->blocks);
	memset(a, 0, sizeof *a);
}

ts_status_t ts_article_list_add(ts_article_list_t *list, ts_article_t **out)
{
	*out = NULL;
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 4;
		ts_article_t *items = realloc(list->items, cap * sizeof *items);
		if (!items)
			return TS_ENOMEM;
		list->items = items;
		list->cap = cap;
	}
	ts_article_t *a = &list->items[list->count++];
	memset(a, 0, sizeof *a);
	*out = a;
	return TS_OK;
}

void ts_article_list_pop(ts_article_list_t *list)
{
	if (!list->count)
		return;
	ts_article_release(&list->items[--list->count]);
}

void ts_article_list_set_error(ts_article_list_t *list, const char *fmt, ...)
{
	if (list->error)
		return;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	list->error = strdup(buf);
}

void ts_article_list_release(ts_article_list_t *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++)
		ts_article_release(&list->items[i]);
	free(list->items);
	free(list->error);
	memset(list, 0, sizeof *list);
}
