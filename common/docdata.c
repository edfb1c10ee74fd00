/*
 * docdata.c - encode and decode the document data record (see docdata.h).
 */
#include "docdata.h"

#include <stdlib.h>
#include <string.h>

/* A short article's texts are its one chunk (chunk 0, kept in the data). */
_Static_assert(TS_TEXT_INLINE <= TS_TEXT_CHUNK, "an inline article must fit one chunk");

static ts_status_t put_str(ts_buf_t *b, const char *s)
{
	return ts_buf_append(b, s ? s : "", (s ? strlen(s) : 0) + 1);
}

/*
 * The chunk layout: blocks fill chunks in order; a block that would take a
 * non-empty chunk past TS_TEXT_CHUNK starts the next one. Calls FN(CTX,
 * block, chunk, offset) for each block.
 */
static ts_status_t
layout(const ts_article_t *a,
       ts_status_t (*fn)(void *ctx, size_t block, uint32_t chunk, uint32_t offset), void *ctx)
{
	uint32_t chunk = 0, used = 0;
	for (size_t i = 0; i < a->nblocks; i++) {
		if (used && used + a->blocks[i].len > TS_TEXT_CHUNK) {
			chunk++;
			used = 0;
		}
		ts_status_t st = fn(ctx, i, chunk, used);
		if (st)
			return st;
		used += (uint32_t)a->blocks[i].len;
	}
	return TS_OK;
}

typedef struct encode_ctx {
	const ts_article_t *a;
	const uint32_t *pos;
	ts_buf_t *out;
} encode_ctx_t;

static ts_status_t encode_block(void *vctx, size_t i, uint32_t chunk, uint32_t offset)
{
	encode_ctx_t *e = vctx;
	unsigned char kind = (unsigned char)e->a->blocks[i].kind;
	ts_status_t st = ts_buf_append(e->out, &kind, 1);
	if (!st)
		st = ts_buf_append_varint(e->out, e->pos[i]);
	if (!st)
		st = ts_buf_append_varint(e->out, chunk);
	if (!st)
		st = ts_buf_append_varint(e->out, offset);
	if (!st)
		st = ts_buf_append_varint(e->out, e->a->blocks[i].len);
	return st;
}

/* Whether the texts of A are short enough to go in its data. */
static int texts_inline(const ts_article_t *a, size_t *total)
{
	size_t n = 0;
	for (size_t i = 0; i < a->nblocks; i++)
		n += a->blocks[i].len;
	*total = n;
	return n && n <= TS_TEXT_INLINE;
}

ts_status_t ts_docdata_encode(const ts_article_t *a, const char *path, const uint32_t *pos,
                              ts_buf_t *out)
{
	ts_status_t st = ts_buf_append(out, "2", 1);
	const char *strs[] = {path,    a->locator, a->title, a->author,
	                      a->date, a->type,    a->link,  a->language};
	for (size_t i = 0; !st && i < sizeof strs / sizeof strs[0]; i++)
		st = put_str(out, strs[i]);
	if (!st)
		st = ts_buf_append_varint(out, a->nblocks);
	encode_ctx_t e = {a, pos, out};
	if (!st)
		st = layout(a, encode_block, &e);
	size_t total;
	int here = texts_inline(a, &total);
	if (!st)
		st = ts_buf_append_varint(out, here ? total : 0);
	for (size_t i = 0; !st && here && i < a->nblocks; i++)
		st = ts_buf_append(out, a->blocks[i].text, a->blocks[i].len);
	return st;
}

typedef struct chunks_ctx {
	const ts_article_t *a;
	ts_buf_t *buf;
	uint32_t chunk; /* the chunk in buf */
	ts_chunk_fn fn;
	void *ctx;
} chunks_ctx_t;

static ts_status_t chunk_block(void *vctx, size_t i, uint32_t chunk, uint32_t offset)
{
	(void)offset;
	chunks_ctx_t *c = vctx;
	if (chunk != c->chunk) {
		ts_status_t st = c->fn(c->ctx, c->chunk, c->buf->data, c->buf->len);
		if (st)
			return st;
		ts_buf_clear(c->buf);
		c->chunk = chunk;
	}
	return ts_buf_append(c->buf, c->a->blocks[i].text, c->a->blocks[i].len);
}

ts_status_t ts_docdata_chunks(const ts_article_t *a, ts_buf_t *buf, ts_chunk_fn fn, void *ctx)
{
	size_t total;
	if (!a->nblocks || texts_inline(a, &total))
		return TS_OK;
	ts_buf_clear(buf);
	chunks_ctx_t c = {a, buf, 0, fn, ctx};
	ts_status_t st = layout(a, chunk_block, &c);
	return st ? st : fn(ctx, c.chunk, buf->data ? buf->data : "", buf->len);
}

uint32_t ts_docdata_nchunks(const ts_docdata_t *d)
{
	return d->nblocks ? d->blocks[d->nblocks - 1].chunk + 1 : 0;
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
	if (!len || *p != '2')
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
	uint64_t prev_chunk = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t pos, chunk, offset, blen;
		if (p >= end)
			goto corrupt;
		out->blocks[i].kind = (unsigned char)*p++;
		if (get_varint(&p, end, &pos) || get_varint(&p, end, &chunk) ||
		    get_varint(&p, end, &offset) || get_varint(&p, end, &blen) ||
		    pos > UINT32_MAX || chunk < prev_chunk || chunk > prev_chunk + (i ? 1 : 0) ||
		    offset > UINT32_MAX || blen > UINT32_MAX)
			goto corrupt;
		prev_chunk = chunk;
		out->blocks[i].pos = (uint32_t)pos;
		out->blocks[i].chunk = (uint32_t)chunk;
		out->blocks[i].offset = (uint32_t)offset;
		out->blocks[i].len = (size_t)blen;
		out->blocks[i].text = NULL;
		out->nblocks++;
	}
	/* The length of the texts kept here (0: they are in values), the texts. */
	uint64_t tlen;
	if (get_varint(&p, end, &tlen) || tlen != (uint64_t)(end - p))
		goto corrupt;
	if (tlen) {
		/* The texts of a short article: its only chunk. */
		if (!n || out->blocks[n - 1].chunk != 0)
			goto corrupt;
		for (size_t i = 0; i < n; i++) {
			ts_docdata_block_t *b = &out->blocks[i];
			if ((uint64_t)b->offset + b->len > tlen)
				goto corrupt;
			b->text = p + b->offset;
		}
		out->text_inline = 1;
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
