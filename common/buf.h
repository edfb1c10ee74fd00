/*
 * buf.h - a growable byte buffer, always NUL-terminated.
 */
#ifndef TS_BUF_H
#define TS_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ts_buf {
	char *data; /* owned; NUL-terminated when not NULL */
	size_t len; /* bytes used, without the NUL */
	size_t cap; /* bytes allocated */
} ts_buf_t;

/* Append N bytes at P. */
ts_status_t ts_buf_append(ts_buf_t *b, const void *p, size_t n);
/* Append a NUL-terminated string. */
ts_status_t ts_buf_puts(ts_buf_t *b, const char *s);
/* Append printf-style formatted text. */
ts_status_t ts_buf_printf(ts_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write N in decimal into OUT (room for 21 bytes, NUL-terminated), as
 * printf's "%" PRIu64 does; returns the length. */
size_t ts_format_uint(char *out, uint64_t n);
/*
 * Write X with DECIMALS digits after the point into OUT (SIZE bytes), as
 * snprintf(OUT, SIZE, "%.*f", DECIMALS, X) does, digit for digit (the
 * binary value rounded half to even), and return what it returns. Scores
 * are printed this way for every hit: printf's conversion costs ten times
 * more. Up to 4 decimals, below 10^12 and with 32 bytes of room, it needs
 * no printf.
 */
size_t ts_format_fixed(char *out, size_t size, double x, int decimals);
/* Append V as an unsigned LEB128 varint. */
ts_status_t ts_buf_append_varint(ts_buf_t *b, uint64_t v);
/*
 * Read a varint (as ts_buf_append_varint writes it) of at most MAXBYTES
 * bytes (10 at most) at *P, not past END, into *V, moving *P past it: 0, or
 * -1 when it is cut short or longer. Inline: record readers call it for
 * every position and token.
 */
static inline int ts_varint_get(const unsigned char **p, const unsigned char *end, int maxbytes,
                                uint64_t *v)
{
	if (*p < end && **p < 0x80) { /* most are one byte */
		*v = *(*p)++;
		return 0;
	}
	uint64_t x = 0;
	for (int i = 0; i < maxbytes; i++) {
		if (*p >= end)
			return -1;
		unsigned char c = *(*p)++;
		x |= (uint64_t)(c & 0x7f) << (7 * i);
		if (!(c & 0x80)) {
			*v = x;
			return 0;
		}
	}
	return -1;
}
/* Forget the contents, keep the memory. */
void ts_buf_clear(ts_buf_t *b);
/* Free the memory and zero B. */
void ts_buf_release(ts_buf_t *b);

#ifdef __cplusplus
}
#endif

#endif
