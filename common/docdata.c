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

ts_status_t ts_docdata_encode(const ts_article_t *a, const char *path, ts_buf_t *out)
{
	ts_status_t st = ts_buf_append(out, "3", 1);
	const char *strs[] = {path,    a->locator, a->title, a->author,
	                      a->date, a->type,    a->link,  a->language};
	for (size_t i = 0; !st && i < sizeof strs / sizeof strs[0]; i++)
		st = put_str(out, strs[i]);
	if (!st && a->nblocks)
		st = ts_buf_append(out, "s", 1);
	return st;
}

ts_status_t ts_docdata_append_where(ts_buf_t *out, uint64_t file, uint64_t offset, uint64_t len)
{
	ts_status_t st = ts_buf_append_varint(out, file);
	if (!st)
		st = ts_buf_append_varint(out, offset);
	return st ? st : ts_buf_append_varint(out, len);
}

/* Read a varint at *P (not past END) into *V. */
static int get_varint(const char **p, const char *end, uint64_t *v)
{
	const unsigned char *u = (const unsigned char *)*p;
	int r = ts_varint_get(&u, (const unsigned char *)end, 10, v);
	*p = (const char *)u;
	return r;
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
	if (p == end)
		return TS_OK; /* no blocks */
	uint64_t file;
	if (*p++ != 's' || get_varint(&p, end, &file) || get_varint(&p, end, &out->texts_offset) ||
	    get_varint(&p, end, &out->texts_len) || p != end || file > UINT32_MAX)
		goto corrupt;
	out->texts_file = (uint32_t)file;
	out->text_stored = 1;
	return TS_OK;
corrupt:
	memset(out, 0, sizeof *out);
	return TS_ECORRUPT;
}
