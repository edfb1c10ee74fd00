/*
 * docdata.c - encode and decode the document data record (see docdata.h).
 */
#include "docdata.h"

#include <stdlib.h>
#include <string.h>

static ts_status_t put_str(ts_buf_t *b, const char *s)
{
	return ts_buf_append(b, s ? s : "", (s ? strlen(s) : 0) + 1);
}

ts_status_t ts_docdata_encode(const ts_article_t *a, const char *path, const uint32_t *pos,
                              ts_buf_t *out)
{
	ts_status_t st = ts_buf_append(out, "1", 1);
	const char *strs[] = {path,    a->locator, a->title, a->author,
	                      a->date, a->type,    a->link,  a->language};
	for (size_t i = 0; !st && i < sizeof strs / sizeof strs[0]; i++)
		st = put_str(out, strs[i]);
	if (!st)
		st = ts_buf_append_varint(out, a->nblocks);
	for (size_t i = 0; !st && i < a->nblocks; i++) {
		unsigned char kind = (unsigned char)a->blocks[i].kind;
		st = ts_buf_append(out, &kind, 1);
		if (!st)
			st = ts_buf_append_varint(out, pos[i]);
		if (!st)
			st = ts_buf_append_varint(out, a->blocks[i].len);
		if (!st)
			st = ts_buf_append(out, a->blocks[i].text, a->blocks[i].len + 1);
	}
	return st;
}

/* Read a varint at *P (not past END) into *V. */
static int get_varint(const char **p, const char *end, uint64_t *v)
{
	uint64_t r = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*p >= end)
			return -1;
		unsigned char c = (unsigned char)*(*p)++;
		r |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

/* Read a NUL-terminated string at *P (not past END). */
static int get_str(const char **p, const char *end, const char **s)
{
	const char *nul = memchr(*p, '\0', (size_t)(end - *p));
	if (!nul)
		return -1;
	*s = *p;
	*p = nul + 1;
	return 0;
}

ts_status_t ts_docdata_decode(const char *data, size_t len, ts_docdata_t *out)
{
	memset(out, 0, sizeof *out);
	const char *p = data, *end = data + len;
	if (!len || *p != '1')
		return TS_ECORRUPT;
	p++;
	const char **strs[] = {&out->path, &out->locator, &out->title, &out->author,
	                       &out->date, &out->type,    &out->link,  &out->language};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (get_str(&p, end, strs[i]))
			goto corrupt;
	uint64_t n;
	if (get_varint(&p, end, &n) || n > (uint64_t)(end - p))
		goto corrupt;
	if (n) {
		out->blocks = calloc((size_t)n, sizeof *out->blocks);
		if (!out->blocks)
			return TS_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t pos, blen;
		if (p >= end)
			goto corrupt;
		out->blocks[i].kind = (unsigned char)*p++;
		if (get_varint(&p, end, &pos) || get_varint(&p, end, &blen) ||
		    blen >= (uint64_t)(end - p) || p[blen] != '\0' || pos > UINT32_MAX)
			goto corrupt;
		out->blocks[i].pos = (uint32_t)pos;
		out->blocks[i].text = p;
		out->blocks[i].len = (size_t)blen;
		p += blen + 1;
		out->nblocks++;
	}
	return TS_OK;
corrupt:
	ts_docdata_release(out);
	return TS_ECORRUPT;
}

void ts_docdata_release(ts_docdata_t *d)
{
	if (!d)
		return;
	free(d->blocks);
	memset(d, 0, sizeof *d);
}

long ts_docdata_block_at(const ts_docdata_t *d, uint32_t pos)
{
	if (!d->nblocks || pos < d->blocks[0].pos)
		return -1;
	size_t lo = 0, hi = d->nblocks; /* the answer is in [lo, hi) */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->blocks[mid].pos <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return (long)lo;
}
