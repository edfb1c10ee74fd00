/*
 * textstore.c - records of long articles' texts and positions (see textstore.h).
 */
#include "textstore.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "indexdir.h"

uint32_t ts_texts_hash(const char *term, size_t len)
{
	/* FNV-1a, 64 bits, folded. */
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)term[i];
		h *= 0x100000001b3u;
	}
	return (uint32_t)(h ^ (h >> 32));
}

/* ====================================================================== */
/* Records                                                                 */
/* ====================================================================== */

static ts_status_t put_u32(ts_buf_t *out, uint32_t v)
{
	uint32_t le = htole32(v);
	return ts_buf_append(out, &le, 4);
}

ts_status_t ts_texts_builder_add(ts_texts_builder_t *b, const char *term, size_t len, uint32_t pos)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 256;
		uint64_t *p = realloc(b->pairs, cap * sizeof *p);
		if (!p)
			return TS_ENOMEM;
		b->pairs = p;
		b->cap = cap;
	}
	b->pairs[b->n++] = (uint64_t)ts_texts_hash(term, len) << 32 | pos;
	return TS_OK;
}

ts_status_t ts_texts_builder_token(ts_texts_builder_t *b, size_t block, size_t index, size_t start,
                                   size_t end)
{
	if (index >= UINT32_MAX || end > UINT32_MAX || block > UINT32_MAX)
		return TS_ETOOBIG;
	if (block >= b->capblocks) {
		size_t cap = block < 32 ? 64 : 2 * block;
		struct ts_texts_block_toks *n = realloc(b->blocks, cap * sizeof *n);
		if (!n)
			return TS_ENOMEM;
		memset(n + b->capblocks, 0, (cap - b->capblocks) * sizeof *n);
		b->blocks = n;
		b->capblocks = cap;
	}
	if (index ? block != b->block || index != b->blocks[block].ntok
	          : b->blocks[block].ntok != 0)
		return TS_EINVAL; /* not the next token of the block */
	if (!index)
		b->end = 0;
	if (start < b->end || end <= start)
		return TS_EINVAL;
	size_t before = b->toks.len;
	ts_status_t st = ts_buf_append_varint(&b->toks, start - b->end);
	if (!st)
		st = ts_buf_append_varint(&b->toks, end - start);
	if (st)
		return st;
	b->block = block;
	b->end = (uint32_t)end;
	b->blocks[block].ntok = (uint32_t)index + 1;
	b->blocks[block].toklen += (uint32_t)(b->toks.len - before);
	return TS_OK;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

ts_status_t ts_texts_builder_finish(ts_texts_builder_t *b, const ts_article_t *a,
                                    const uint32_t *pos, ts_buf_t *out)
{
	if (b->n)
		qsort(b->pairs, b->n, sizeof *b->pairs, cmp_u64);
	uint32_t nterms = 0;
	for (size_t i = 0; i < b->n; i++)
		if (!i || b->pairs[i] >> 32 != b->pairs[i - 1] >> 32)
			nterms++;
	ts_buf_t *lists = &b->lists;
	ts_buf_clear(lists);
	ts_status_t st = a->nblocks > UINT32_MAX ? TS_ETOOBIG : put_u32(out, (uint32_t)a->nblocks);
	if (!st)
		st = put_u32(out, nterms);
	uint64_t offset = 0, tables = 0;
	for (size_t i = 0; !st && i < a->nblocks; i++) {
		uint32_t ntok = i < b->capblocks ? b->blocks[i].ntok : 0;
		uint32_t toklen = i < b->capblocks ? b->blocks[i].toklen : 0;
		if (offset + a->blocks[i].len + toklen > UINT32_MAX) {
			st = TS_ETOOBIG;
			break;
		}
		uint32_t v[6] = {pos[i],
		                 (uint32_t)offset,
		                 (uint32_t)a->blocks[i].len,
		                 (uint32_t)a->blocks[i].kind,
		                 ntok,
		                 toklen};
		for (int k = 0; !st && k < 6; k++)
			st = put_u32(out, v[k]);
		offset += a->blocks[i].len + toklen;
		tables += toklen;
	}
	if (!st && tables != b->toks.len)
		st = TS_EINVAL; /* tokens noted for blocks the article does not have */
	for (size_t i = 0; !st && i < b->n; i++)
		if (!i || b->pairs[i] >> 32 != b->pairs[i - 1] >> 32)
			st = put_u32(out, (uint32_t)(b->pairs[i] >> 32));
	/* The lists, and where each ends. */
	for (size_t i = 0; !st && i < b->n; i++) {
		uint32_t h = (uint32_t)(b->pairs[i] >> 32), at = (uint32_t)b->pairs[i];
		int head = !i || b->pairs[i - 1] >> 32 != h;
		st = ts_buf_append_varint(lists, head ? at : at - (uint32_t)b->pairs[i - 1]);
		if (!st && (i + 1 == b->n || b->pairs[i + 1] >> 32 != h)) {
			if (lists->len > UINT32_MAX)
				st = TS_ETOOBIG;
			else
				st = put_u32(out, (uint32_t)lists->len);
		}
	}
	if (!st && lists->len)
		st = ts_buf_append(out, lists->data, lists->len);
	size_t table = 0;
	for (size_t i = 0; !st && i < a->nblocks; i++) {
		st = ts_buf_append(out, a->blocks[i].text, a->blocks[i].len);
		uint32_t toklen = i < b->capblocks ? b->blocks[i].toklen : 0;
		if (!st && toklen)
			st = ts_buf_append(out, b->toks.data + table, toklen);
		table += toklen;
	}
	ts_texts_builder_reset(b);
	return st;
}

void ts_texts_builder_reset(ts_texts_builder_t *b)
{
	b->n = 0;
	ts_buf_clear(&b->toks);
	if (b->blocks)
		memset(b->blocks, 0, b->capblocks * sizeof *b->blocks);
}

void ts_texts_builder_release(ts_texts_builder_t *b)
{
	free(b->pairs);
	ts_buf_release(&b->toks);
	free(b->blocks);
	ts_buf_release(&b->lists);
	memset(b, 0, sizeof *b);
}

/* Bytes of the text and token table of the block whose entry is at E. */
static uint64_t block_bytes(const unsigned char *e)
{
	return (uint64_t)ts_texts_u32(e + 8) + ts_texts_u32(e + 20);
}

/* Check the NB entries of the block table at P: the blocks' texts and
 * token tables follow one another, positions ascend, and a table has room
 * for its tokens (two varints each, of one to five bytes); *TEXTS is the
 * length they take together. */
static ts_status_t check_blocks(const unsigned char *p, uint32_t nb, uint64_t *texts)
{
	uint64_t at = 0;
	uint32_t last = 0;
	for (uint32_t i = 0; i < nb; i++) {
		const unsigned char *e = p + 24 * (size_t)i;
		uint32_t pos = ts_texts_u32(e), offset = ts_texts_u32(e + 4);
		uint32_t ntok = ts_texts_u32(e + 16), toklen = ts_texts_u32(e + 20);
		if (offset != at || pos < last || (uint64_t)toklen < 2 * (uint64_t)ntok ||
		    (uint64_t)toklen > 10 * (uint64_t)ntok)
			return TS_ECORRUPT;
		at += block_bytes(e);
		last = pos;
	}
	*texts = at;
	return TS_OK;
}

/* Split record REC into R: its LEN bytes when AVAIL is LEN, else its first
 * AVAIL bytes, which must hold all but the texts (left NULL). TEXTS: what
 * check_blocks found of its block table, when it has looked (else
 * UINT64_MAX, and split looks). */
static ts_status_t split(const char *rec, size_t avail, size_t len, uint64_t texts,
                         ts_texts_record_t *r)
{
	const unsigned char *p = (const unsigned char *)rec;
	if (len < 8 || avail < 8 || avail > len)
		return TS_ECORRUPT;
	uint32_t nb = ts_texts_u32(p), n = ts_texts_u32(p + 4);
	uint64_t head = 8 + 24 * (uint64_t)nb + 8 * (uint64_t)n;
	if (head > avail)
		return TS_ECORRUPT;
	r->nblocks = nb;
	r->nterms = n;
	r->blocks = p + 8;
	r->hashes = r->blocks + 24 * (size_t)nb;
	r->ends = r->hashes + 4 * (size_t)n;
	r->lists = r->ends + 4 * (size_t)n;
	r->listslen = n ? ts_texts_u32(r->ends + 4 * ((size_t)n - 1)) : 0;
	if (r->listslen > avail - head)
		return TS_ECORRUPT;
	r->texts = avail == len ? rec + head + r->listslen : NULL;
	r->textslen = len - head - r->listslen;
	if (texts == UINT64_MAX && check_blocks(r->blocks, nb, &texts))
		return TS_ECORRUPT;
	return texts == r->textslen ? TS_OK : TS_ECORRUPT;
}

/* Split record REC, AVAIL of its LEN bytes read, into R; R is left empty
 * when the record is damaged. */
static ts_status_t parse(const char *rec, size_t avail, size_t len, uint64_t texts,
                         ts_texts_record_t *r)
{
	ts_status_t st = split(rec, avail, len, texts, r);
	if (st)
		memset(r, 0, sizeof *r);
	return st;
}

ts_status_t ts_texts_record_parse(const char *rec, size_t len, ts_texts_record_t *r)
{
	return parse(rec, len, len, UINT64_MAX, r);
}

void ts_texts_record_block(const ts_texts_record_t *r, uint32_t i, ts_texts_block_t *b)
{
	const unsigned char *p = r->blocks + 24 * (size_t)i;
	b->pos = ts_texts_u32(p);
	b->offset = ts_texts_u32(p + 4);
	b->len = ts_texts_u32(p + 8);
	b->kind = ts_texts_u32(p + 12);
	b->ntok = ts_texts_u32(p + 16);
	b->toklen = ts_texts_u32(p + 20);
}

ts_status_t ts_texts_record_find(const ts_texts_record_t *r, uint32_t h, ts_texts_positions_t *it)
{
	memset(it, 0, sizeof *it);
	/* The first hash >= H. */
	size_t lo = 0, hi = r->nterms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ts_texts_u32(r->hashes + 4 * mid) < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == r->nterms || ts_texts_u32(r->hashes + 4 * lo) != h)
		return TS_OK;
	size_t start = lo ? ts_texts_u32(r->ends + 4 * (lo - 1)) : 0,
	       end = ts_texts_u32(r->ends + 4 * lo);
	if (start > end || end > r->listslen)
		return TS_ECORRUPT;
	it->p = r->lists + start;
	it->end = r->lists + end;
	return TS_OK;
}

/* ====================================================================== */
/* Writing a file                                                          */
/* ====================================================================== */

struct ts_texts_writer {
	int fd;
	unsigned file;
	int sync;
	uint64_t committed; /* length committed documents cover */
	uint64_t written;   /* bytes in the file */
	ts_buf_t buf;       /* appended, not yet written */
	char *path;
};

#define WRITE_AT (1u << 20) /* buffered bytes written out at once */

static void set_err(char *err, size_t errlen, const char *what, const char *path)
{
	if (err && errlen)
		snprintf(err, errlen, "%s '%s': %s", what, path, strerror(errno));
}

ts_status_t ts_texts_writer_open(ts_texts_writer_t **out, const char *dir, unsigned file,
                                 uint64_t committed, int sync, char *err, size_t errlen)
{
	*out = NULL;
	ts_texts_writer_t *w = calloc(1, sizeof *w);
	if (!w || !(w->path = malloc(strlen(dir) + sizeof TS_TEXTS_FILE + 12))) {
		free(w);
		return TS_ENOMEM;
	}
	sprintf(w->path, "%s/" TS_TEXTS_FILE "%u", dir, file);
	w->file = file;
	w->sync = sync;
	/* A file the index says holds records must be there already. */
	w->fd = open(w->path, O_RDWR | O_CLOEXEC | (committed ? 0 : O_CREAT), 0644);
	struct stat sb;
	if (w->fd < 0 || fstat(w->fd, &sb) < 0) {
		int missing = errno == ENOENT && committed;
		set_err(err, errlen, "cannot open", w->path);
		ts_texts_writer_free(w);
		return missing ? TS_ECORRUPT : TS_EIO;
	}
	if ((uint64_t)sb.st_size < committed) {
		if (err && errlen)
			snprintf(err, errlen,
			         "'%s' is shorter than the index says (%llu < %llu bytes)", w->path,
			         (unsigned long long)sb.st_size, (unsigned long long)committed);
		ts_texts_writer_free(w);
		return TS_ECORRUPT;
	}
	/* What an interrupted run appended goes. */
	if ((uint64_t)sb.st_size > committed && ftruncate(w->fd, (off_t)committed) < 0) {
		set_err(err, errlen, "cannot truncate", w->path);
		ts_texts_writer_free(w);
		return TS_EIO;
	}
	w->committed = w->written = committed;
	*out = w;
	return TS_OK;
}

static ts_status_t write_out(ts_texts_writer_t *w)
{
	size_t done = 0;
	while (done < w->buf.len) {
		ssize_t k = pwrite(w->fd, w->buf.data + done, w->buf.len - done,
		                   (off_t)(w->written + done));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return TS_EIO;
		done += (size_t)k;
	}
	w->written += done;
	ts_buf_clear(&w->buf);
	return TS_OK;
}

ts_status_t ts_texts_writer_append(ts_texts_writer_t *w, const char *rec, size_t len,
                                   uint64_t *offset)
{
	*offset = w->written + w->buf.len;
	ts_status_t st = ts_buf_append(&w->buf, rec, len);
	if (!st && w->buf.len >= WRITE_AT)
		st = write_out(w);
	return st;
}

uint64_t ts_texts_writer_pending(const ts_texts_writer_t *w)
{
	return w->written + w->buf.len - w->committed;
}

ts_status_t ts_texts_writer_flush(ts_texts_writer_t *w, uint64_t *size, char *err, size_t errlen)
{
	if (write_out(w) || (w->sync && fdatasync(w->fd) < 0)) {
		set_err(err, errlen, "cannot write", w->path);
		return TS_EIO;
	}
	*size = w->written;
	return TS_OK;
}

void ts_texts_writer_committed(ts_texts_writer_t *w)
{
	w->committed = w->written;
}

void ts_texts_writer_rollback(ts_texts_writer_t *w)
{
	ts_buf_clear(&w->buf);
	/* Bytes flushed for the cancelled commit go (else later appends
	 * overwrite them, and the next writer cuts what is left). */
	if (w->written > w->committed && ftruncate(w->fd, (off_t)w->committed) < 0) {
		/* harmless: they are past the committed length */
	}
	w->written = w->committed;
}

unsigned ts_texts_writer_file(const ts_texts_writer_t *w)
{
	return w->file;
}

void ts_texts_writer_free(ts_texts_writer_t *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	ts_buf_release(&w->buf);
	free(w->path);
	free(w);
}

ts_status_t ts_texts_adopt(const char *from, const char *to, unsigned file, char *err,
                           size_t errlen)
{
	char src[4096], dst[4096];
	snprintf(src, sizeof src, "%s/" TS_TEXTS_FILE "%u", from, file);
	snprintf(dst, sizeof dst, "%s/" TS_TEXTS_FILE "%u", to, file);
	if (access(src, F_OK) != 0)
		return TS_OK;
	if (rename(src, dst) != 0 || ts_indexdir_sync(dst) != 0 || ts_indexdir_sync(to) != 0) {
		set_err(err, errlen, "cannot move", src);
		return TS_EIO;
	}
	return TS_OK;
}

/* ====================================================================== */
/* Reading                                                                 */
/* ====================================================================== */

/*
 * Records are read with pread into one buffer that each read reuses. A query
 * run as a fresh process reads ten records or so, scattered over files of
 * tens of megabytes: mapping the files cost more (the mapping, a page fault
 * per record that maps sixteen pages around it, and unmapping them all at
 * exit) than reading just the records (bench/RESULTS.md, 2026-11-30 04:30).
 */
typedef struct texts_file {
	int fd;        /* -1 until opened */
	uint64_t size; /* as of the last fstat */
} texts_file_t;

typedef struct texts_dir {
	char *path;
	texts_file_t *files; /* by file number */
	size_t nfiles;
} texts_dir_t;

/* A buffer that grows. */
typedef struct texts_buf {
	char *data;
	size_t cap;
} texts_buf_t;

struct ts_texts {
	texts_dir_t *dirs;
	size_t ndirs;
	texts_buf_t rec;  /* the record last read */
	texts_buf_t text; /* the block text last read */
	/* Where the texts of the record last read are, when not read with it,
	 * and how many of their first bytes came with its head (in REC, from
	 * byte TEXTS_IN): the blocks those hold need no read. */
	const texts_dir_t *at_dir;
	uint32_t at_file;
	uint64_t at;
	size_t texts_in, texts_got;
};

ts_status_t ts_texts_open(ts_texts_t **out, const char *const *dirs, size_t n)
{
	*out = NULL;
	ts_texts_t *t = calloc(1, sizeof *t);
	if (!t || !n || !(t->dirs = calloc(n, sizeof *t->dirs))) {
		free(t);
		return n ? TS_ENOMEM : TS_EINVAL;
	}
	t->ndirs = n;
	for (size_t i = 0; i < n; i++)
		if (!(t->dirs[i].path = strdup(dirs[i]))) {
			ts_texts_free(t);
			return TS_ENOMEM;
		}
	*out = t;
	return TS_OK;
}

/* File FILE of D, opened when first needed, its size read again when
 * STAT is set (it may have grown since: a reopened index). */
static ts_status_t texts_file(texts_dir_t *d, uint32_t file, int stat, texts_file_t **out,
                              char *err, size_t errlen)
{
	if (file >= TS_TEXTS_MAX_FILES) {
		if (err && errlen)
			snprintf(err, errlen, "text store file %u of '%s' cannot exist", file,
			         d->path);
		return TS_ECORRUPT;
	}
	if (file >= d->nfiles) {
		texts_file_t *f = realloc(d->files, (file + 1) * sizeof *f);
		if (!f)
			return TS_ENOMEM;
		for (size_t i = d->nfiles; i <= file; i++)
			f[i] = (texts_file_t){-1, 0};
		d->files = f;
		d->nfiles = file + 1;
	}
	texts_file_t *f = &d->files[file];
	*out = f;
	if (f->fd >= 0 && !stat)
		return TS_OK;
	char path[4096];
	snprintf(path, sizeof path, "%s/" TS_TEXTS_FILE "%u", d->path, file);
	if (f->fd < 0)
		f->fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (f->fd < 0 || fstat(f->fd, &sb) < 0) {
		set_err(err, errlen, "cannot read", path);
		return TS_ECORRUPT;
	}
	f->size = (uint64_t)sb.st_size;
	return TS_OK;
}

/* File FILE of the folder of DOCID, holding LEN bytes at OFFSET, into *D and *F. */
static ts_status_t locate(ts_texts_t *t, uint32_t docid, uint32_t file, uint64_t offset,
                          uint64_t len, texts_dir_t **d, texts_file_t **f, char *err, size_t errlen)
{
	if (!docid)
		return TS_EINVAL;
	*d = &t->dirs[(docid - 1) % t->ndirs];
	ts_status_t st = texts_file(*d, file, 0, f, err, errlen);
	if (!st && (offset > (*f)->size || len > (*f)->size - offset))
		st = texts_file(*d, file, 1, f, err, errlen);
	if (st)
		return st;
	if (offset > (*f)->size || len > (*f)->size - offset) {
		if (err && errlen)
			snprintf(err, errlen,
			         "'%s/" TS_TEXTS_FILE "%u' is shorter than the index says",
			         (*d)->path, file);
		return TS_ECORRUPT;
	}
	return TS_OK;
}

/* Room for LEN bytes in B. */
static ts_status_t reserve(texts_buf_t *b, uint64_t len)
{
	if (len <= b->cap && b->data)
		return TS_OK;
	if (len > SIZE_MAX - 1)
		return TS_ENOMEM;
	char *n = realloc(b->data, len ? (size_t)len : 1);
	if (!n)
		return TS_ENOMEM;
	b->data = n;
	b->cap = (size_t)len;
	return TS_OK;
}

/* LEN bytes at OFFSET of file FILE of D (open as FD) into OUT. */
static ts_status_t read_at(const texts_dir_t *d, uint32_t file, int fd, char *out, uint64_t len,
                           uint64_t offset, char *err, size_t errlen)
{
	for (uint64_t got = 0; got < len;) {
		ssize_t k = pread(fd, out + got, len - got, (off_t)(offset + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) { /* an error, or cut short since the fstat */
			char path[4096];
			snprintf(path, sizeof path, "%s/" TS_TEXTS_FILE "%u", d->path, file);
			if (k < 0)
				set_err(err, errlen, "cannot read", path);
			else if (err && errlen)
				snprintf(err, errlen, "'%s' is shorter than the index says", path);
			return k < 0 ? TS_EIO : TS_ECORRUPT;
		}
		got += (uint64_t)k;
	}
	return TS_OK;
}

/* Bytes *GOT up to WANT of the record at OFFSET of file FILE (F) of D, read
 * after the *GOT bytes of T's buffer already read. */
static ts_status_t read_more(ts_texts_t *t, const texts_dir_t *d, uint32_t file,
                             const texts_file_t *f, uint64_t offset, uint64_t want, uint64_t *got,
                             char *err, size_t errlen)
{
	if (want <= *got)
		return TS_OK;
	ts_status_t st = reserve(&t->rec, want);
	if (!st)
		st = read_at(d, file, f->fd, t->rec.data + *got, want - *got, offset + *got, err,
		             errlen);
	if (!st)
		*got = want;
	return st;
}

ts_status_t ts_texts_read(ts_texts_t *t, uint32_t docid, uint32_t file, uint64_t offset,
                          uint64_t len, ts_texts_record_t *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	t->at_dir = NULL;
	texts_dir_t *d;
	texts_file_t *f;
	ts_status_t st = locate(t, docid, file, offset, len, &d, &f, err, errlen);
	/* A short record at once; of a long one, its head first. */
	uint64_t got = len < TS_TEXTS_FIRST_READ ? len : TS_TEXTS_FIRST_READ;
	uint64_t texts = UINT64_MAX; /* its block table not checked yet */
	if (!st)
		st = reserve(&t->rec, got);
	if (!st)
		st = read_at(d, file, f->fd, t->rec.data, got, offset, err, errlen);
	if (st)
		return st;
	if (got < len) {
		/* All but the texts, which the block table says the length of:
		 * the table first when the first read did not hold it all. */
		uint32_t nb = ts_texts_u32((const unsigned char *)t->rec.data);
		uint64_t table = 8 + 24 * (uint64_t)nb;
		if (table > len)
			return TS_ECORRUPT;
		if ((st = read_more(t, d, file, f, offset, table, &got, err, errlen)))
			return st;
		if (check_blocks((const unsigned char *)t->rec.data + 8, nb, &texts) ||
		    texts > len - table)
			return TS_ECORRUPT;
		if ((st = read_more(t, d, file, f, offset, len - texts, &got, err, errlen)))
			return st;
	}
	if ((st = parse(t->rec.data, (size_t)got, (size_t)len, texts, r)))
		return st;
	if (!r->texts) {
		t->at_dir = d;
		t->at_file = file;
		t->at = offset + (len - r->textslen);
		t->texts_in = (size_t)(len - r->textslen);
		t->texts_got = got > t->texts_in ? (size_t)got - t->texts_in : 0;
	}
	return TS_OK;
}

ts_status_t ts_texts_block_text(ts_texts_t *t, const ts_texts_record_t *r,
                                const ts_texts_block_t *b, const char **text, char *err,
                                size_t errlen)
{
	*text = NULL;
	if ((uint64_t)b->offset + b->len + b->toklen > r->textslen)
		return TS_EINVAL;
	if (r->texts) {
		*text = r->texts + b->offset;
		return TS_OK;
	}
	if (!t->at_dir)
		return TS_EINVAL; /* not the record last read */
	const texts_dir_t *d = t->at_dir;
	uint64_t n = (uint64_t)b->len + b->toklen;
	if (b->offset + n <= t->texts_got) { /* read with the head */
		*text = t->rec.data + t->texts_in + b->offset;
		return TS_OK;
	}
	ts_status_t st = reserve(&t->text, n);
	if (!st)
		st = read_at(d, t->at_file, d->files[t->at_file].fd, t->text.data, n,
		             t->at + b->offset, err, errlen);
	if (!st)
		*text = t->text.data;
	return st;
}

void ts_texts_free(ts_texts_t *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ndirs; i++) {
		for (size_t j = 0; j < t->dirs[i].nfiles; j++)
			if (t->dirs[i].files[j].fd >= 0)
				close(t->dirs[i].files[j].fd);
		free(t->dirs[i].files);
		free(t->dirs[i].path);
	}
	free(t->dirs);
	free(t->rec.data);
	free(t->text.data);
	free(t);
}
