/*
 * utf8.c - UTF-8 checks and conversions (see utf8.h).
 */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* Windows-1252 code points for bytes 0x80..0x9F; unassigned bytes map to themselves. */
static const uint16_t cp1252_high[32] = {
    0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008d, 0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
    0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static const char replacement_char[] = "\xEF\xBF\xBD";

/* Write CP (a valid scalar value) as UTF-8 at O; return the bytes written. */
size_t ts_utf8_put(char *o, uint32_t cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Length of the valid UTF-8 sequence starting at P (N bytes available,
 * P[0] >= 0x80), or 0 when it is invalid (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF).
 */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t k;
	if (c >= 0xc2 && c <= 0xdf) {
		k = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		k = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		k = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (n < k || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < k; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return k;
}

int ts_utf8_valid(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0;
	while (i < len) {
		if (p[i] < 0x80) {
			if (!p[i])
				return 0;
			i++;
			continue;
		}
		size_t k = utf8_seq(p + i, len - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

ts_status_t ts_utf8_sanitize(const char *data, size_t len, char **out, size_t *outlen,
                             size_t *invalid)
{
	*out = NULL;
	*outlen = 0;
	if (len > (SIZE_MAX - 1) / 3)
		return TS_ENOMEM;
	char *buf = malloc(len * 3 + 1);
	if (!buf)
		return TS_ENOMEM;
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0, n = 0;
	while (i < len) {
		size_t k = p[i] < 0x80 ? (p[i] ? 1 : 0) : utf8_seq(p + i, len - i);
		if (k) {
			memcpy(buf + n, p + i, k);
			n += k;
			i += k;
		} else {
			memcpy(buf + n, replacement_char, 3);
			n += 3;
			i++;
			if (invalid)
				(*invalid)++;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return TS_OK;
}

ts_status_t ts_utf8_from_cp1252(const char *data, size_t len, char **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	if (len > (SIZE_MAX - 1) / 3)
		return TS_ENOMEM;
	char *buf = malloc(len * 3 + 1);
	if (!buf)
		return TS_ENOMEM;
	const unsigned char *p = (const unsigned char *)data;
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		uint32_t cp = p[i];
		if (!cp)
			cp = 0xfffd;
		else if (cp >= 0x80 && cp < 0xa0)
			cp = cp1252_high[cp - 0x80];
		n += ts_utf8_put(buf + n, cp);
	}
	buf[n] = '\0';
	*out = buf;
	*outlen = n;
	return TS_OK;
}
