/*
 * buf.c - growable byte buffer (see buf.h).
 */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Make room for N more bytes and the NUL. */
static ts_status_t reserve(ts_buf_t *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return TS_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	char *d = realloc(b->data, cap);
	if (!d)
		return TS_ENOMEM;
	b->data = d;
	b->cap = cap;
	return TS_OK;
}

ts_status_t ts_buf_append(ts_buf_t *b, const void *p, size_t n)
{
	if (reserve(b, n))
		return TS_ENOMEM;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return TS_OK;
}

ts_status_t ts_buf_puts(ts_buf_t *b, const char *s)
{
	return ts_buf_append(b, s, strlen(s));
}

ts_status_t ts_buf_printf(ts_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return TS_EINVAL;
	if (reserve(b, (size_t)n))
		return TS_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return TS_OK;
}

ts_status_t ts_buf_append_varint(ts_buf_t *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;
	do {
		unsigned char c = v & 0x7f;
		v >>= 7;
		tmp[n++] = (unsigned char)(c | (v ? 0x80 : 0));
	} while (v);
	return ts_buf_append(b, tmp, n);
}

void ts_buf_clear(ts_buf_t *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void ts_buf_release(ts_buf_t *b)
{
	if (!b)
		return;
	free(b->data);
	memset(b, 0, sizeof *b);
}
