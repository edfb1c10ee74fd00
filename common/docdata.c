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

static size_t texts_total(const ts_article_t *a)
{
	size_t n = 0;
	for (size_t i = 0; i < a->nblocks; i++)
		n += a->blocks[i].len;
	return n;
}

int ts_docdata_texts_stored(const ts_article_t *a)
{
	return texts_total(a) > TS_TEXT_INLINE;
}

ts_status_t ts_docdata_encode(const ts_article_t *a, const char *path, const uint32_t *pos,
                              ts_buf_t *out)
{
	ts_status_t st = ts_buf_append(out, "3", 1);
	const char *strs[] = {path,    a->locator, a->title, a->author,
	                      a->date, a->type,    a->link,  a->language};
	for (size_t i = 0; !st && i < sizeof strs / sizeof strs[0]; i++)
		st = put_str(out, strs[i]);
	if (!st)
		st = ts_buf_append_varint(out, a->nblocks);
	size_t offset = 0;
	for (size_t i = 0; !st && i < a->nblocks; i++) {
		unsigned char kind = (unsigned char)a->blocks[i].kind;
		st = ts_buf_append(out, &kind, 1);
		if (!st)
			st = ts_buf_append_varint(out, pos[i]);
		if (!st)
			st = ts_buf_append_varint(out, offset);
		if (!st)
			st = ts_buf_append_varint(out, a->blocks[i].len);
		offset += a->blocks[i].len;
	}
	if (!st)
		st = ts_buf_append_varint(out, offset);
	if (st || !offset)
		return st;
	if (offset > TS_TEXT_INLINE)
		return ts_buf_append(out, "s", 1);
	st = ts_buf_append(out, "i", 1);
	for (size_t i = 0; !st && i < a->nblocks; i++)
		st = ts_buf_append(out, a->blocks[i].text, a->blocks[i].len);
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
	if (!len || *p != '3')
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
	uint64_t next = 0; /* where the next block's text starts */
	for (size_t i = 0; i < n; i++) {
		uint64_t pos, offset, blen;
		if (p >= end)
			goto corrupt;
		out->blocks[i].kind = (unsigned char)*p++;
		if (get_varint(&p, end, &pos) || get_varint(&p, end, &offset) ||
		    get_varint(&p, end, &blen) || pos > UINT32_MAX || offset != next ||
		    blen > UINT32_MAX - offset)
			goto corrupt;
		next = offset + blen;
		out->blocks[i].pos = (uint32_t)pos;
		out->blocks[i].offset = (uint32_t)offset;
		out->blocks[i].len = (size_t)blen;
		out->blocks[i].text = NULL;
		out->nblocks++;
	}
	uint64_t tlen;
	if (get_varint(&p, end, &tlen) || tlen != next)
		goto corrupt;
	out->texts_total = (size_t)tlen;
	if (!tlen) {
		if (p != end)
			goto corrupt;
	} else if (p < end && *p == 'i') {
		/* The texts of a short article. */
		p++;
		if (tlen != (uint64_t)(end - p))
			goto corrupt;
		for (size_t i = 0; i < n; i++)
			out->blocks[i].text = p + out->blocks[i].offset;
		out->text_inline = 1;
	} else if (p < end && *p == 's') {
		/* Where the record of a long one is. */
		p++;
		uint64_t file;
		if (get_varint(&p, end, &file) || get_varint(&p, end, &out->texts_offset) ||
		    get_varint(&p, end, &out->texts_len) || p != end || file > UINT32_MAX ||
		    out->texts_len < tlen)
			goto corrupt;
		out->texts_file = (uint32_t)file;
		out->text_stored = 1;
	} else {
		goto corrupt;
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

long ts_docdata_block_from(const ts_docdata_t *d, long from, uint32_t pos)
{
	long b = from < 0 ? -1 : from;
	while ((size_t)(b + 1) < d->nblocks && d->blocks[b + 1].pos <= pos)
		b++;
	return b;
}
