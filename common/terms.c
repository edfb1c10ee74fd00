/*
 * terms.c - term and value conventions (see terms.h).
 */
#include "terms.h"

#include <stdio.h>
#include <string.h>

uint32_t ts_hash32(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

unsigned long long ts_hash64(const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned long long h = 14695981039346656037ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

ts_status_t ts_term_make(ts_buf_t *out, const char *prefix, const char *value, size_t len)
{
	ts_buf_clear(out);
	size_t plen = strlen(prefix);
	if (plen + len <= TS_TERM_MAX) {
		if (ts_buf_append(out, prefix, plen) || ts_buf_append(out, value, len))
			return TS_ENOMEM;
		return TS_OK;
	}
	/* Keep a prefix of the value on a UTF-8 boundary, then "#" and the hash. */
	size_t keep = TS_TERM_MAX - plen - 17;
	while (keep && ((unsigned char)value[keep] & 0xc0) == 0x80)
		keep--;
	char hash[18];
	snprintf(hash, sizeof hash, "#%016llx", ts_hash64(value, len));
	if (ts_buf_append(out, prefix, plen) || ts_buf_append(out, value, keep) ||
	    ts_buf_append(out, hash, 17))
		return TS_ENOMEM;
	return TS_OK;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int ts_date_value(const char *date, char *out, size_t outlen)
{
	if (!date || outlen < 15 || strlen(date) < 10 || !digits(date, 4) || date[4] != '-' ||
	    !digits(date + 5, 2) || date[7] != '-' || !digits(date + 8, 2))
		return -1;
	int month = (date[5] - '0') * 10 + (date[6] - '0');
	int day = (date[8] - '0') * 10 + (date[9] - '0');
	if (month < 1 || month > 12 || day < 1 || day > 31)
		return -1;
	memcpy(out, date, 4);
	memcpy(out + 4, date + 5, 2);
	memcpy(out + 6, date + 8, 2);
	out[8] = '\0';
	/* "THH:MM:SS" */
	if (strlen(date) >= 19 && (date[10] == 'T' || date[10] == ' ') && digits(date + 11, 2) &&
	    date[13] == ':' && digits(date + 14, 2) && date[16] == ':' && digits(date + 17, 2)) {
		memcpy(out + 8, date + 11, 2);
		memcpy(out + 10, date + 14, 2);
		memcpy(out + 12, date + 17, 2);
		out[14] = '\0';
	}
	return 0;
}
