/*
 * docbuild.c - article -> Xapian document (see docbuild.h, terms.h).
 */
#include "docbuild.h"

#include <stdlib.h>
#include <string.h>

#include "docdata.h"
#include "terms.h"
#include "textstore.h"

typedef struct emit_ctx {
	docbuild_t *b;
	ts_doc_t *doc;
	uint32_t pos;       /* next position */
	uint32_t wdf;       /* wdf per unprefixed posting */
	const char *prefix; /* field prefix for a second posting, or NULL */
	int positional;     /* add unprefixed postings with positions */
	int record;         /* note the terms for the text store record */
	size_t block;       /* the block being indexed, for the record */
	ts_status_t st;
} emit_ctx_t;

static int emit_token(void *vctx, const ts_token_t *t)
{
	emit_ctx_t *e = vctx;
	docbuild_t *b = e->b;
	uint32_t pos = e->pos++;
	if (e->positional)
		e->st = ts_doc_add_posting(e->doc, t->stem, t->stemlen, pos, e->wdf);
	else
		e->st = ts_doc_add_term(e->doc, t->stem, t->stemlen, e->wdf);
	if (!e->st && e->record &&
	    !(e->st = ts_texts_builder_add(&b->texts, t->stem, t->stemlen, pos)))
		e->st = ts_texts_builder_token(&b->texts, e->block, t->index, t->start, t->end);
	if (!e->st && e->prefix) {
		e->st = ts_term_make(&b->term, e->prefix, t->stem, t->stemlen);
		if (!e->st)
			e->st = ts_doc_add_posting(e->doc, b->term.data, b->term.len, pos, 1);
	}
	if (!e->st && b->spelling && ts_spelling_word(t->word, t->wordlen))
		e->st = wc_add(b->spelling, t->word, t->wordlen, 1);
	return e->st != TS_OK;
}

/* Run the analyzer over TEXT, adding postings through E. */
static ts_status_t index_text(emit_ctx_t *e, const char *text, size_t len)
{
	ts_analyze(e->b->stemmer, text, len, emit_token, e, &e->b->stats);
	return e->st;
}

static ts_status_t add_boolean(docbuild_t *b, ts_doc_t *doc, const char *prefix, const char *value,
                               size_t len)
{
	ts_status_t st = ts_term_make(&b->term, prefix, value, len);
	return st ? st : ts_doc_add_boolean(doc, b->term.data, b->term.len);
}

/*
 * Folder terms: every run of consecutive folder names of REL's directory
 * ("a/b/c/file": a, a/b, a/b/c, b, b/c, c), so in:c and in:a/b/c both work.
 * ".." components are left out.
 */
static ts_status_t add_folders(docbuild_t *b, ts_doc_t *doc, const char *rel)
{
	const char *comp[64];
	size_t clen[64], n = 0;
	const char *p = rel;
	for (;;) {
		const char *slash = strchr(p, '/');
		if (!slash)
			break; /* the file name itself */
		size_t len = (size_t)(slash - p);
		if (len && !(len == 2 && p[0] == '.' && p[1] == '.') &&
		    !(len == 1 && p[0] == '.') && n < 64) {
			comp[n] = p;
			clen[n] = len;
			n++;
		}
		p = slash + 1;
	}
	ts_buf_t path = {0};
	ts_status_t st = TS_OK;
	for (size_t i = 0; !st && i < n; i++) {
		ts_buf_clear(&path);
		for (size_t j = i; !st && j < n; j++) {
			if (j > i)
				st = ts_buf_append(&path, "/", 1);
			if (!st)
				st = ts_buf_append(&path, comp[j], clen[j]);
			if (!st)
				st = add_boolean(b, doc, TS_PREFIX_FOLDER, path.data, path.len);
		}
	}
	ts_buf_release(&path);
	return st;
}

/* The id term of the item at LOCATOR in the file at REL, into B->term. */
static ts_status_t item_term(docbuild_t *b, const char *rel, const char *locator)
{
	ts_buf_clear(&b->data);
	ts_status_t st;
	if ((st = ts_buf_puts(&b->data, rel)) || (st = ts_buf_puts(&b->data, "#")) ||
	    (st = ts_buf_puts(&b->data, locator)))
		return st;
	return ts_term_make(&b->term, TS_PREFIX_ID, b->data.data, b->data.len);
}

ts_status_t docbuild_file_term(ts_buf_t *out, const char *rel)
{
	return ts_term_make(out, TS_PREFIX_FILE, rel, strlen(rel));
}

ts_status_t docbuild_article(docbuild_t *b, const ts_article_t *a, const char *rel, ts_doc_t **out)
{
	*out = NULL;
	ts_doc_t *doc = NULL;
	ts_status_t st = ts_doc_new(&doc);
	if (st)
		return st;
	if (a->nblocks > b->poscap) {
		size_t cap = a->nblocks * 2;
		uint32_t *p = realloc(b->pos, cap * sizeof *p);
		if (!p) {
			st = TS_ENOMEM;
			goto fail;
		}
		b->pos = p;
		b->poscap = cap;
	}

	emit_ctx_t e = {b, doc, TS_POS_TITLE, b->title_wdf, TS_PREFIX_TITLE, 1, 0, 0, TS_OK};
	if (a->title && (st = index_text(&e, a->title, strlen(a->title))))
		goto fail;
	if (a->author) {
		/* Author words: field terms with positions, and plain terms without. */
		e.pos += TS_POS_GAP;
		e.prefix = TS_PREFIX_AUTHOR;
		e.wdf = 1;
		e.positional = 0;
		if ((st = index_text(&e, a->author, strlen(a->author))))
			goto fail;
	}
	e.prefix = NULL;
	e.wdf = 1;
	e.positional = 1;
	e.record = a->nblocks > 0;
	ts_texts_builder_reset(&b->texts);
	for (size_t i = 0; i < a->nblocks; i++) {
		e.pos += TS_POS_GAP;
		e.block = i;
		b->pos[i] = e.pos;
		if ((st = index_text(&e, a->blocks[i].text, a->blocks[i].len)))
			goto fail;
	}

	/* The file term identifies a whole-file article; an item of a feed or
	 * dump also gets its own id term. (A unique term is the dearest kind to
	 * write: one is enough where one identifies.) */
	if (a->locator && *a->locator &&
	    ((st = item_term(b, rel, a->locator)) ||
	     (st = ts_doc_add_boolean(doc, b->term.data, b->term.len))))
		goto fail;
	if ((st = docbuild_file_term(&b->term, rel)) ||
	    (st = ts_doc_add_boolean(doc, b->term.data, b->term.len)) ||
	    (st = add_folders(b, doc, rel)))
		goto fail;
	if (a->type && (st = add_boolean(b, doc, TS_PREFIX_TYPE, a->type, strlen(a->type))))
		goto fail;
	/* The declared language, else the index's: "en-GB" -> "en". */
	const char *language = a->language ? a->language : ts_stemmer_code(b->stemmer);
	size_t n = strcspn(language, "-_");
	char lang[16];
	if (n && n < sizeof lang) {
		for (size_t i = 0; i < n; i++)
			lang[i] = (char)(language[i] | 0x20);
		if ((st = add_boolean(b, doc, TS_PREFIX_LANG, lang, n)))
			goto fail;
	}
	char value[16];
	if (a->date && ts_date_value(a->date, value, sizeof value) == 0 &&
	    (st = ts_doc_set_value(doc, TS_SLOT_DATE, value, strlen(value))))
		goto fail;

	/* The name value: path, NUL, locator. */
	ts_buf_clear(&b->data);
	if ((st = ts_buf_append(&b->data, rel, strlen(rel) + 1)) ||
	    (a->locator && (st = ts_buf_puts(&b->data, a->locator))) ||
	    (st = ts_doc_set_value(doc, TS_SLOT_NAME, b->data.data, b->data.len)))
		goto fail;

	ts_buf_clear(&b->data);
	ts_article_t shown = *a; /* borrowed fields, never released */
	shown.language = (char *)language;
	if ((st = ts_docdata_encode(&shown, rel, &b->data)) ||
	    (st = ts_doc_set_data(doc, b->data.data, b->data.len)))
		goto fail;
	if (e.record) {
		ts_buf_clear(&b->data);
		if ((st = ts_texts_builder_finish(&b->texts, a, b->pos, &b->data)) ||
		    (st = ts_doc_set_texts(doc, b->data.data, b->data.len)))
			goto fail;
	}
	*out = doc;
	return TS_OK;
fail:
	ts_doc_free(doc);
	return st;
}

void docbuild_release(docbuild_t *b)
{
	if (!b)
		return;
	ts_buf_release(&b->term);
	ts_buf_release(&b->data);
	ts_texts_builder_release(&b->texts);
	free(b->pos);
	b->pos = NULL;
	b->poscap = 0;
}
