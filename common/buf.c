/*
 * buf.c - growable byte buffer (see buf.h).
 */
#include "buf.h"

#include <float.h>
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

size_t ts_format_uint(char *out, uint64_t n)
{
	char digits[20];
	size_t k = 0, len = 0;
	do {
		digits[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (k)
		out[len++] = digits[--k];
	out[len] = '\0';
	return len;
}

size_t ts_format_fixed(char *out, size_t size, double x, int decimals)
{
	/* X times 10^DECIMALS is exact in a long double of 64 significant bits
	 * or more: X has 53, and 10^4 is 2^4 times 625, of 10. */
	if (LDBL_MANT_DIG < 64 || decimals < 0 || decimals > 4 || !(x >= 0 && x < 1e12) ||
	    size < 32) {
		int n = snprintf(out, size, "%.*f", decimals, x); /* NaN, negative, large */
		return n < 0 ? 0 : (size_t)n;
	}
	uint64_t p = 1;
	for (int i = 0; i < decimals; i++)
		p *= 10;
	long double v = (long double)x * (long double)p;
	uint64_t n = (uint64_t)v; /* v >= 0: its floor */
	long double frac = v - (long double)n;
	if (frac > 0.5L || (frac == 0.5L && (n & 1)))
		n++; /* half to even, as printf */
	size_t len = ts_format_uint(out, n / p);
	if (decimals) {
		uint64_t part = n % p;
		out[len++] = '.';
		for (int i = decimals - 1; i >= 0; i--) {
			out[len + (size_t)i] = (char)('0' + part % 10);
			part /= 10;
		}
		len += (size_t)decimals;
		out[len] = '\0';
	}
	return len;
}
