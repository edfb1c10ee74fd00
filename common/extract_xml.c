/*
 * extract_xml.c - XML files to articles: RSS and Atom feeds, news-agency
 * dumps holding many articles, and single-article XML.
 *
 * The kind is read from the root element:
 *  - <rss> (RSS 0.9x/2.0) or <rdf:RDF> (RSS 1.0): each <item> is an article
 *    of type "rss" (see rss_item);
 *  - <feed> (Atom), or a lone Atom <entry>: each <entry> is an article of
 *    type "atom" (see atom_entry);
 *  - a container: the root's children repeat one element name at least
 *    twice (<newsitem>, <article>, <doc>, <story>, <record>...), that name
 *    is not itself a field name (title, p, body...) and its first element
 *    looks like an article (holds a title, paragraph or body element): one
 *    article of type "xml" per such child, the others ignored;
 *  - <html>: an XHTML page, read by the HTML rules (see xhtml_page);
 *  - otherwise the root is one article of type "xml", kept when a title or
 *    some text was found (see xml_article).
 *
 * Safety. libxml2 parses with XML_PARSE_NONET and without XML_PARSE_NOENT,
 * XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_HUGE and
 * XML_PARSE_RECOVER: no DTD or external entity is ever loaded (the SAX
 * hooks that could load one are also disabled), libxml2's own limits on
 * names, text nodes, nesting (256) and entity amplification stay in force,
 * and a file that is not well-formed (truncated, say) is TS_EPARSE with the
 * line and libxml2's reason. Declared entities stay as reference nodes and
 * are expanded by the policy in extract_internal.h, within a budget of
 * ENTITY_BUDGET bytes plus the file's size; a billion-laughs bomb is
 * refused by libxml2 ("entity reference loop") as TS_ETOOBIG before any
 * expansion happens. Elements nested deeper than limits->max_depth stop
 * the parse with TS_ETOOBIG (libxml2 stops at 257 levels whatever the
 * limit says).
 *
 * Encoding. The declared encoding (or UTF-8/UTF-16 by default) is honoured,
 * except that a file declared ISO-8859-1 (or ASCII) holding bytes
 * 0x80-0x9F is read as Windows-1252, as browsers and the HTML extractor do.
 * When libxml2 rejects the bytes as not in that encoding, or does not know
 * the declared one, the file is parsed once more, as UTF-8 when it is valid
 * UTF-8 and as Windows-1252 otherwise, ignoring the declaration: feeds that
 * declare UTF-8 and hold Latin-1 are common, and their words are worth
 * having.
 */
#include "extract.h"
#include "extract_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

/* Bytes of entity expansion allowed beyond the size of the file. */
#define ENTITY_BUDGET   (1u << 20)
/* Nodes looked at when deciding whether an element is an article. */
#define ARTICLE_SCAN    4096
/* Distinct child names tried when looking for a container's article element. */
#define CONTAINER_TRIES 16

/* One extraction: where articles go, and the limits. */
typedef struct xctx {
	ts_article_list_t *out;
	size_t base;             /* out->count when the extraction started */
	size_t max_articles;     /* limit on articles from this file */
	unsigned max_depth;      /* nesting limit, also for embedded HTML */
	ts_entity_budget_t ents; /* entity expansion still allowed */
} xctx_t;

/* ====================================================================== */
/* Parsing                                                                */
/* ====================================================================== */

/* Never resolve an external identifier (DTD or entity); libxml2 would not ask, but be sure. */
static xmlParserInputPtr refuse_entity(void *ctx, const xmlChar *public_id,
                                       const xmlChar *system_id)
{
	(void)ctx;
	(void)public_id;
	(void)system_id;
	return NULL;
}

/*
 * Parse BUF/LEN (LEN <= INT_MAX) into *DOC; ENC forces an encoding (and the
 * declaration is ignored), NULL reads the declaration. D records errors.
 * Returns TS_OK with *DOC set, or TS_EPARSE / TS_ETOOBIG / TS_ENOMEM with
 * *DOC NULL and D saying why.
 */
static ts_status_t parse_xml(const char *buf, size_t len, const char *enc, ts_xml_diag_t *d,
                             xmlDoc **doc)
{
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
	           XML_PARSE_COMPACT;
	if (enc)
		opts |= XML_PARSE_IGNORE_ENC;
	*doc = NULL;
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return TS_ENOMEM;
	ctxt->sax->resolveEntity = refuse_entity;
	ctxt->sax->externalSubset = NULL;
	ts_xml_diag_attach(d, ctxt, 0);
	*doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, enc, opts);
	xmlFreeParserCtxt(ctxt);
	if (d->too_deep) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return TS_ETOOBIG;
	}
	if (*doc)
		return TS_OK;
	if (d->code == XML_ERR_NO_MEMORY && !strstr(d->msg, "huge")) /* "huge text node" */
		return TS_ENOMEM;
	return TS_EPARSE;
}

/* Did the parse fail because the bytes are not in the encoding libxml2 expected? */
static int encoding_failure(const ts_xml_diag_t *d)
{
	return d->code == XML_ERR_UNSUPPORTED_ENCODING || d->code == XML_ERR_INVALID_ENCODING ||
	       d->code == XML_I18N_CONV_FAILED ||
	       (d->code == XML_ERR_INVALID_CHAR && strstr(d->msg, "not proper UTF-8"));
}

/* Does DATA/LEN hold a byte in 0x80-0x9F (C1 controls in Latin-1, letters in Windows-1252)? */
static int has_c1_bytes(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	for (size_t i = 0; i < len; i++)
		if (p[i] >= 0x80 && p[i] <= 0x9f)
			return 1;
	return 0;
}

/* Turn what D recorded into the status and OUT->error of a failed parse. */
static ts_status_t parse_failure(const ts_xml_diag_t *d, ts_status_t st, ts_article_list_t *out)
{
	char msg[sizeof d->msg];
	memcpy(msg, d->msg, sizeof msg);
	/* libxml2 capitalizes its messages; tsearch's are lower case. */
	if (msg[0] >= 'A' && msg[0] <= 'Z' && msg[1] >= 'a' && msg[1] <= 'z')
		msg[0] = (char)(msg[0] | 0x20);
	if (st == TS_ENOMEM) {
		ts_article_list_set_error(out, "out of memory");
		return st;
	}
	if (d->too_deep) {
		ts_article_list_set_error(out, "elements nested deeper than %u levels",
		                          d->max_depth);
		return TS_ETOOBIG;
	}
	if (strstr(msg, "xcessive depth")) {
		ts_article_list_set_error(
		    out, "line %d: elements nested deeper than libxml2's limit", d->line);
		return TS_ETOOBIG;
	}
	if (d->code == XML_ERR_ENTITY_LOOP || strstr(msg, "mplification")) {
		/* raised inside the entity's text: its line number means nothing */
		ts_article_list_set_error(out, "entity expansion refused: %s", msg);
		return TS_ETOOBIG;
	}
	if (strstr(msg, "huge") || strstr(msg, "too big") || strstr(msg, "too long")) {
		ts_article_list_set_error(out, "line %d: above libxml2's size limits: %s", d->line,
		                          msg);
		return TS_ETOOBIG;
	}
	if (msg[0] && d->line > 0)
		ts_article_list_set_error(out, "line %d: %s", d->line, msg);
	else if (msg[0])
		ts_article_list_set_error(out, "%s", msg);
	else
		ts_article_list_set_error(out, "not well-formed XML");
	return TS_EPARSE;
}

/* ====================================================================== */
/* Helpers                                                                */
/* ====================================================================== */

/* Is N an element named (ignoring case and prefix) one of NAMES? */
static int name_in(const xmlNode *n, const char *const *names)
{
	for (; *names; names++)
		if (ts_node_is(n, *names))
			return 1;
	return 0;
}

/*
 * The first child element of N named NAME: one in N's own namespace first
 * (so <title> wins over <media:title>), else any.
 */
static const xmlNode *child(const xmlNode *n, const char *name)
{
	const xmlNode *any = NULL;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!ts_node_is(c, name))
			continue;
		const char *cns = c->ns ? (const char *)c->ns->href : NULL;
		const char *pns = n->ns ? (const char *)n->ns->href : NULL;
		if (cns == pns || (cns && pns && !strcmp(cns, pns)))
			return c;
		if (!any)
			any = c;
	}
	return any;
}

/* The attribute NAME of N (any namespace, ignoring case), borrowed; NULL if absent. */
static const xmlAttr *find_attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (a->name && !strcasecmp((const char *)a->name, name))
			return a;
	return NULL;
}

/* Append the text of N (its subtree, or an attribute's value) to T. */
static void add_text(xctx_t *x, ts_text_t *t, const xmlNode *n)
{
	t->ents = &x->ents;
	if (n->type == XML_ATTRIBUTE_NODE) {
		for (const xmlNode *c = n->children; c; c = c->next)
			ts_text_add_node(t, c, 0);
	} else {
		ts_text_add_node(t, n, 0);
	}
}

/* Set FIELD to the normalized text of N (an element or attribute); no-op when N is NULL. */
static ts_status_t set_text(xctx_t *x, char **field, const xmlNode *n)
{
	if (!n)
		return TS_OK;
	ts_text_t t;
	memset(&t, 0, sizeof t);
	add_text(x, &t, n);
	ts_status_t st =
	    t.nomem ? TS_ENOMEM : ts_article_set(field, t.s, t.len, &x->out->invalid_bytes);
	ts_text_release(&t);
	return st;
}

/* Set FIELD to normalized S; no-op when S is NULL. */
static ts_status_t set_str(xctx_t *x, char **field, const char *s)
{
	return s ? ts_article_set(field, s, strlen(s), &x->out->invalid_bytes) : TS_OK;
}

/* Set A->date from the text of N when it reads as a date; returns 1 when set. */
static int set_date(xctx_t *x, ts_article_t *a, const xmlNode *n, ts_status_t *st)
{
	if (!n || a->date)
		return 0;
	ts_text_t t;
	char iso[TS_DATE_MAX];
	int ok = 0;
	memset(&t, 0, sizeof t);
	add_text(x, &t, n);
	if (t.nomem)
		*st = TS_ENOMEM;
	else if (t.len && !ts_date_normalize(t.s, t.len, iso, sizeof iso))
		ok = !(*st = set_str(x, &a->date, iso));
	ts_text_release(&t);
	return ok;
}

/* Set A->language from xml:lang on N or its ancestors, else from FALLBACK. */
static ts_status_t set_lang(xctx_t *x, ts_article_t *a, const xmlNode *n, const char *fallback)
{
	xmlChar *lang = xmlNodeGetLang(n);
	ts_status_t st = set_str(x, &a->language, lang ? (const char *)lang : fallback);
	xmlFree(lang);
	return st;
}

/* Does S/N look like HTML (a tag, or an entity or character reference)? */
static int looks_like_html(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		char c = s[i + 1];
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (s[i] == '<' && (alpha || c == '/' || c == '!'))
			return 1;
		if (s[i] == '&' && (alpha || c == '#')) {
			size_t j = i + 2;
			while (j < n && j < i + 12 && s[j] != ';' && s[j] != ' ' && s[j] != '&')
				j++;
			if (j < n && s[j] == ';')
				return 1;
		}
	}
	return 0;
}

/* Add plain text S/N to A as paragraphs separated by blank lines. */
static ts_status_t add_plain(xctx_t *x, ts_article_t *a, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\n')
			continue;
		size_t j = i + 1;
		while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
			j++;
		if (j < n && s[j] == '\n') {
			ts_status_t st = ts_article_add_block(a, TS_BLOCK_PARA, s + start,
			                                      i - start, &x->out->invalid_bytes);
			if (st)
				return st;
			start = j + 1;
			i = j;
		}
	}
	return ts_article_add_block(a, TS_BLOCK_PARA, s + start, n - start, &x->out->invalid_bytes);
}

/* Add the text of element N to A: as HTML when it looks like HTML, else as plain paragraphs. */
static ts_status_t add_body(xctx_t *x, ts_article_t *a, const xmlNode *n)
{
	ts_text_t t;
	memset(&t, 0, sizeof t);
	add_text(x, &t, n);
	ts_status_t st = TS_OK;
	if (t.nomem)
		st = TS_ENOMEM;
	else if (looks_like_html(t.s, t.len))
		st = ts_extract_html_fragment(t.s, t.len, x->max_depth, a->title, a, x->out);
	else if (t.len)
		st = add_plain(x, a, t.s, t.len);
	ts_text_release(&t);
	return st;
}

/* Set A->title from N, whose text may carry HTML (entities, tags) when HTML is set. */
static ts_status_t set_title(xctx_t *x, ts_article_t *a, const xmlNode *n, int html)
{
	if (!n)
		return TS_OK;
	ts_text_t t, h;
	memset(&t, 0, sizeof t);
	memset(&h, 0, sizeof h);
	add_text(x, &t, n);
	ts_status_t st = t.nomem ? TS_ENOMEM : TS_OK;
	if (!st && html && looks_like_html(t.s, t.len)) {
		st = ts_html_fragment_text(t.s, t.len, x->max_depth, &h, x->out);
		if (!st)
			st = ts_article_set(&a->title, h.s, h.len, &x->out->invalid_bytes);
	} else if (!st) {
		st = ts_article_set(&a->title, t.s, t.len, &x->out->invalid_bytes);
	}
	ts_text_release(&t);
	ts_text_release(&h);
	return st;
}

/* Start a new article of TYPE, unless the file already gave max_articles. */
static ts_status_t new_article(xctx_t *x, const char *type, ts_article_t **a)
{
	*a = NULL;
	if (x->out->count - x->base >= x->max_articles) {
		ts_article_list_set_error(x->out, "more than %zu articles in one file",
		                          x->max_articles);
		return TS_ETOOBIG;
	}
	ts_status_t st = ts_article_list_add(x->out, a);
	if (!st)
		(*a)->type = type;
	return st;
}

/* Finish A: drop it when it holds neither a title nor text; check the entity budget. */
static ts_status_t end_article(xctx_t *x, ts_article_t *a, ts_status_t st)
{
	if (!st && !a->title && !a->nblocks)
		ts_article_list_pop(x->out);
	if (!st && x->ents.exceeded) {
		ts_article_list_set_error(x->out, "entity expansion exceeds %zu bytes",
		                          (size_t)ENTITY_BUDGET);
		return TS_ETOOBIG;
	}
	return st;
}

/* ====================================================================== */
/* RSS                                                                    */
/* ====================================================================== */

/* "jane@example.com (Jane Doe)" -> "Jane Doe"; otherwise the whole text. */
static ts_status_t set_rss_author(xctx_t *x, ts_article_t *a, const xmlNode *n)
{
	ts_status_t st = set_text(x, &a->author, n);
	char *s = a->author;
	if (st || !s)
		return st;
	char *open = strchr(s, '(');
	char *close = open ? strrchr(open, ')') : NULL;
	if (open && close && close > open + 1 && memchr(s, '@', (size_t)(open - s)))
		return ts_article_set(&a->author, open + 1, (size_t)(close - open - 1), NULL);
	return TS_OK;
}

/*
 * One RSS <item>: title (HTML entities and tags decoded), link (<link>, or
 * a permalink <guid>, or rdf:about), author (<dc:creator>, else <author>),
 * date (<pubDate>, else <dc:date>), locator (<guid>, else the link, else
 * "item N"), blocks from <content:encoded>, else <description>.
 */
static ts_status_t rss_item(xctx_t *x, const xmlNode *item, size_t index, const char *feed_lang)
{
	ts_article_t *a;
	ts_status_t st = new_article(x, "rss", &a);
	if (st)
		return st;
	const xmlNode *guid = child(item, "guid");
	const xmlAttr *about = find_attr(item, "about");
	if ((st = set_title(x, a, child(item, "title"), 1)) ||
	    (st = set_text(x, &a->link, child(item, "link"))))
		goto done;
	if (!a->link && guid) {
		const xmlAttr *perma = find_attr(guid, "isPermaLink");
		const xmlNode *v = perma && perma->children ? perma->children : NULL;
		if (!(v && v->content && !strcmp((const char *)v->content, "false")) &&
		    (st = set_text(x, &a->link, guid)))
			goto done;
	}
	if (!a->link && about && (st = set_text(x, &a->link, (const xmlNode *)about)))
		goto done;
	const xmlNode *creator = child(item, "creator");
	if ((st = creator ? set_text(x, &a->author, creator)
	                  : set_rss_author(x, a, child(item, "author"))))
		goto done;
	if (!set_date(x, a, child(item, "pubDate"), &st) && !st)
		set_date(x, a, child(item, "date"), &st);
	if (st)
		goto done;
	if ((st = set_text(x, &a->locator, guid)))
		goto done;
	if (!a->locator && a->link && (st = set_str(x, &a->locator, a->link)))
		goto done;
	if (!a->locator) {
		char loc[32];
		snprintf(loc, sizeof loc, "item %zu", index);
		if ((st = set_str(x, &a->locator, loc)))
			goto done;
	}
	if ((st = set_lang(x, a, item, feed_lang)))
		goto done;
	const xmlNode *body = child(item, "encoded");
	if (!body || !body->children)
		body = child(item, "description");
	if (body)
		st = add_body(x, a, body);
done:
	return end_article(x, a, st);
}

/* An RSS 0.9x/2.0 <rss> or RSS 1.0 <rdf:RDF> root: items in <channel> or beside it. */
static ts_status_t rss_feed(xctx_t *x, const xmlNode *root)
{
	const xmlNode *channel = child(root, "channel");
	char *lang = NULL;
	ts_status_t st = TS_OK;
	if (channel) {
		const xmlNode *l = child(channel, "language");
		if ((st = set_text(x, &lang, l ? l : child(channel, "lang"))))
			goto done;
	}
	size_t index = 0;
	const xmlNode *parents[2] = {channel, root};
	for (int p = 0; p < 2 && !st; p++) {
		if (!parents[p])
			continue;
		for (const xmlNode *c = parents[p]->children; c && !st; c = c->next)
			if (ts_node_is(c, "item"))
				st = rss_item(x, c, ++index, lang);
	}
done:
	free(lang);
	return st;
}

/* ====================================================================== */
/* Atom                                                                   */
/* ====================================================================== */

/* Append the <name> of every <author> child of N to T, comma-separated. */
static void atom_authors(xctx_t *x, const xmlNode *n, ts_text_t *t)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!ts_node_is(c, "author"))
			continue;
		const xmlNode *name = child(c, "name");
		if (!name)
			continue;
		while (t->len && t->s[t->len - 1] == ' ')
			t->len--;
		if (t->len)
			ts_text_add(t, ", ", 2);
		add_text(x, t, name);
	}
}

/* The "type" attribute of an Atom text construct: 't'ext, 'h'tml, 'x'html or 'o'ther. */
static char atom_type(const xmlNode *n)
{
	const xmlAttr *a = find_attr(n, "type");
	const char *v =
	    a && a->children && a->children->content ? (const char *)a->children->content : "text";
	if (!strcasecmp(v, "text") || !strncasecmp(v, "text/", 5))
		return 't';
	if (!strcasecmp(v, "html") || !strcasecmp(v, "text/html"))
		return 'h';
	if (!strcasecmp(v, "xhtml") || !strcasecmp(v, "application/xhtml+xml"))
		return 'x';
	return 'o';
}

/* Blocks of an Atom <content> or <summary>, by its type. */
static ts_status_t atom_body(xctx_t *x, ts_article_t *a, const xmlNode *n)
{
	ts_text_t t;
	ts_status_t st = TS_OK;
	switch (atom_type(n)) {
	case 'h':
		memset(&t, 0, sizeof t);
		add_text(x, &t, n);
		st = t.nomem
		         ? TS_ENOMEM
		         : ts_extract_html_fragment(t.s, t.len, x->max_depth, a->title, a, x->out);
		ts_text_release(&t);
		return st;
	case 'x':
		return ts_html_blocks(n, a->title, &x->ents, a, x->out);
	case 't':
		memset(&t, 0, sizeof t);
		add_text(x, &t, n);
		st = t.nomem ? TS_ENOMEM : add_plain(x, a, t.s, t.len);
		ts_text_release(&t);
		return st;
	default:
		return TS_OK; /* base64 media, or a src= reference: no text here */
	}
}

/*
 * One Atom <entry>: title (by its type), link (rel="alternate" or no rel),
 * author names (else the feed's, FEED_AUTHOR), date (<published>, else
 * <updated>), locator (<id>, else the link, else "entry N"), blocks from
 * <content> (unless it points elsewhere with src=), else <summary>.
 */
static ts_status_t atom_entry(xctx_t *x, const xmlNode *entry, size_t index,
                              const char *feed_author)
{
	ts_article_t *a;
	ts_text_t t;
	memset(&t, 0, sizeof t);
	ts_status_t st = new_article(x, "atom", &a);
	if (st)
		return st;
	const xmlNode *title = child(entry, "title");
	if (title) {
		char type = atom_type(title);
		st = set_title(x, a, title, type == 'h' || type == 'x');
		if (st)
			goto done;
	}
	for (const xmlNode *c = entry->children; c && !a->link; c = c->next) {
		if (!ts_node_is(c, "link"))
			continue;
		const xmlAttr *rel = find_attr(c, "rel");
		const xmlAttr *href = find_attr(c, "href");
		const char *r = rel && rel->children && rel->children->content
		                    ? (const char *)rel->children->content
		                    : "alternate";
		if (href && !strcasecmp(r, "alternate") &&
		    (st = set_text(x, &a->link, (const xmlNode *)href)))
			goto done;
	}
	atom_authors(x, entry, &t);
	if (t.nomem) {
		st = TS_ENOMEM;
		goto done;
	}
	if ((st = t.len ? ts_article_set(&a->author, t.s, t.len, &x->out->invalid_bytes)
	                : set_str(x, &a->author, feed_author)))
		goto done;
	if (!set_date(x, a, child(entry, "published"), &st) && !st)
		set_date(x, a, child(entry, "updated"), &st);
	if (st || (st = set_text(x, &a->locator, child(entry, "id"))))
		goto done;
	if (!a->locator && a->link && (st = set_str(x, &a->locator, a->link)))
		goto done;
	if (!a->locator) {
		char loc[32];
		snprintf(loc, sizeof loc, "entry %zu", index);
		if ((st = set_str(x, &a->locator, loc)))
			goto done;
	}
	if ((st = set_lang(x, a, entry, NULL)))
		goto done;
	const xmlNode *body = child(entry, "content");
	if (body && find_attr(body, "src"))
		body = NULL;
	if (!body)
		body = child(entry, "summary");
	if (body)
		st = atom_body(x, a, body);
done:
	ts_text_release(&t);
	return end_article(x, a, st);
}

/* An Atom <feed> (entries may fall back on the feed's authors), or a lone <entry>. */
static ts_status_t atom_feed(xctx_t *x, const xmlNode *root)
{
	ts_text_t t;
	char *author = NULL;
	memset(&t, 0, sizeof t);
	ts_status_t st = TS_OK;
	if (ts_node_is(root, "entry")) {
		st = atom_entry(x, root, 1, NULL);
		goto done;
	}
	atom_authors(x, root, &t);
	if (t.nomem || (t.len && ts_article_set(&author, t.s, t.len, NULL))) {
		st = TS_ENOMEM;
		goto done;
	}
	size_t index = 0;
	for (const xmlNode *c = root->children; c && !st; c = c->next)
		if (ts_node_is(c, "entry"))
			st = atom_entry(x, c, ++index, author);
done:
	ts_text_release(&t);
	free(author);
	return st;
}

/* ====================================================================== */
/* Generic XML articles                                                   */
/* ====================================================================== */

static const char *const title_names[] = {"title", "headline", "hl1", "article-title", NULL};
static const char *const author_names[] = {"author", "byline", "by", "creator", NULL};
static const char *const date_names[] = {"date",      "dateline",   "pubdate",
                                         "published", "date.issue", NULL};
static const char *const para_names[] = {"p", "para", "paragraph", NULL};
static const char *const heading_names[] = {"h1",      "h2",  "h3",          "h4",
                                            "h5",      "h6",  "heading",     "subtitle",
                                            "subhead", "hl2", "subheadline", NULL};
static const char *const body_names[] = {"body", "text", "content", "description", NULL};
/* Attributes that may carry an article's or a date element's date. */
static const char *const date_attrs[] = {"date", "pubdate", "published", "datetime",
                                         "norm", "value",   "when",      NULL};

/* Is N a field of an article rather than an article? */
static int is_field(const xmlNode *n)
{
	return name_in(n, title_names) || name_in(n, author_names) || name_in(n, date_names) ||
	       name_in(n, para_names) || name_in(n, heading_names) || name_in(n, body_names);
}

/* Does E hold a title, paragraph or body element (within the first ARTICLE_SCAN nodes)? */
static int article_like(const xmlNode *e)
{
	size_t seen = 0;
	const xmlNode *n = e->children;
	while (n && seen++ < ARTICLE_SCAN) {
		if (n->type == XML_ELEMENT_NODE &&
		    (name_in(n, title_names) || name_in(n, para_names) || name_in(n, body_names)))
			return 1;
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (!n->next) {
			n = n->parent;
			if (!n || n == e)
				return 0;
		}
		n = n->next;
	}
	return 0;
}

/*
 * The element name the root's children repeat, when ROOT is a container of
 * articles; NULL otherwise.
 */
static const xmlChar *container_name(const xmlNode *root)
{
	int tries = 0;
	for (const xmlNode *c = root->children; c && tries < CONTAINER_TRIES; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || is_field(c))
			continue;
		tries++;
		size_t same = 0;
		for (const xmlNode *d = root->children; d && same < 2; d = d->next)
			if (d->type == XML_ELEMENT_NODE && !xmlStrcasecmp(d->name, c->name))
				same++;
		if (same >= 2 && article_like(c))
			return c->name;
	}
	return NULL;
}

/* Try the date attributes of N; returns 1 when A->date was set. */
static int date_from_attrs(xctx_t *x, ts_article_t *a, const xmlNode *n, ts_status_t *st)
{
	for (const char *const *name = date_attrs; *name && !a->date && !*st; name++) {
		const xmlAttr *at = find_attr(n, *name);
		if (at && set_date(x, a, (const xmlNode *)at, st))
			return 1;
	}
	return 0;
}

/* Set A->author from an author element: its <name> child when it has one. */
static ts_status_t set_author(xctx_t *x, ts_article_t *a, const xmlNode *n)
{
	const xmlNode *name = child(n, "name");
	ts_status_t st = set_text(x, &a->author, name ? name : n);
	if (!st && a->author && !strncasecmp(a->author, "by ", 3))
		st = set_str(x, &a->author, a->author + 3);
	return st;
}

/* Add the text of N as a block of KIND (a heading equal to the title is dropped). */
static ts_status_t add_element_block(xctx_t *x, ts_article_t *a, const xmlNode *n,
                                     ts_block_kind_t kind)
{
	ts_text_t t;
	memset(&t, 0, sizeof t);
	add_text(x, &t, n);
	ts_status_t st = t.nomem ? TS_ENOMEM : TS_OK;
	if (!st)
		st = kind == TS_BLOCK_HEADING
		         ? ts_article_add_heading(a, t.s, t.len, a->title, &x->out->invalid_bytes)
		         : ts_article_add_block(a, kind, t.s, t.len, &x->out->invalid_bytes);
	ts_text_release(&t);
	return st;
}

/*
 * One article from element E (type "xml"). In reading order: the first
 * title element (title, headline, hl1, article-title) is the title, unless
 * a <title> is followed by a headline (then the headline is), and later
 * ones are headings; the first author element (author, byline, by,
 * creator) the author; the first element among date, dateline, pubdate,
 * published, date.issue whose text (or norm/value/when attribute) reads as
 * a date the date, after E's own date attributes; p, para and paragraph
 * make paragraphs and h1-h6, heading, subtitle, subhead, hl2 headings.
 * With no paragraph element at all, the text of body, text, content and
 * description elements is split into paragraphs at blank lines (or read as
 * HTML when it is escaped HTML). Language from xml:lang.
 */
static ts_status_t xml_article(xctx_t *x, const xmlNode *e, const char *locator)
{
	ts_article_t *a;
	size_t paras = 0;
	ts_status_t st = new_article(x, "xml", &a);
	if (st)
		return st;
	if ((st = set_str(x, &a->locator, locator)) || (st = set_lang(x, a, e, NULL)))
		goto done;
	date_from_attrs(x, a, e, &st);
	int slug_title = 0; /* the title so far came from a <title> element */
	const xmlNode *n = e->children;
	while (n && !st) {
		int down = 0;
		if (n->type != XML_ELEMENT_NODE) {
			/* text between fields: not a block */
		} else if (name_in(n, title_names)) {
			/* A headline beats a <title>: in NewsML and agency dumps the
			 * title is the slug ("KOREA-SHIPBUILDING/USA"). */
			int headline = !ts_node_is(n, "title");
			if (!a->title || (headline && slug_title)) {
				free(a->title);
				a->title = NULL;
				st = set_title(x, a, n, 0);
				slug_title = !headline;
			} else {
				st = add_element_block(x, a, n, TS_BLOCK_HEADING);
			}
		} else if (name_in(n, author_names)) {
			if (!a->author)
				st = set_author(x, a, n);
		} else if (name_in(n, date_names)) {
			if (!a->date && !set_date(x, a, n, &st) && !st)
				date_from_attrs(x, a, n, &st);
		} else if (name_in(n, para_names)) {
			st = add_element_block(x, a, n, TS_BLOCK_PARA);
			paras++;
		} else if (name_in(n, heading_names)) {
			st = add_element_block(x, a, n, TS_BLOCK_HEADING);
		} else {
			down = 1;
		}
		n = ts_node_next(n, e, down);
	}
	if (st || paras)
		goto done;
	/* No paragraph elements: the outermost body-like elements, as text. */
	n = e->children;
	while (n && !st) {
		int down = 0;
		if (n->type == XML_ELEMENT_NODE) {
			if (name_in(n, body_names))
				st = add_body(x, a, n);
			else
				down = !is_field(n);
		}
		n = ts_node_next(n, e, down);
	}
done:
	return end_article(x, a, st);
}

/* The first element named NAME under ROOT (ROOT excluded), in document order. */
static const xmlNode *first_element(const xmlNode *root, const char *name)
{
	for (const xmlNode *n = ts_node_next(root, root, 1); n;
	     n = ts_node_next(n, root, n->type == XML_ELEMENT_NODE))
		if (ts_node_is(n, name))
			return n;
	return NULL;
}

/*
 * An XHTML page in a .xml file (root <html>): one article of type "xml",
 * title from <title> (else the first <h1>), language from xml:lang or lang,
 * blocks from <body> by the HTML rules (scripts and navigation skipped).
 */
static ts_status_t xhtml_page(xctx_t *x, const xmlNode *root)
{
	ts_article_t *a;
	ts_status_t st = new_article(x, "xml", &a);
	if (st)
		return st;
	const xmlNode *head = child(root, "head");
	const xmlNode *body = child(root, "body");
	const xmlAttr *lang = find_attr(root, "lang");
	if ((st = set_title(x, a, head ? child(head, "title") : NULL, 0)))
		goto done;
	if (!a->title && (st = set_title(x, a, first_element(root, "h1"), 0)))
		goto done;
	if ((st = lang ? set_text(x, &a->language, (const xmlNode *)lang)
	               : set_lang(x, a, root, NULL)))
		goto done;
	st = ts_html_blocks(body ? body : root, a->title, &x->ents, a, x->out);
done:
	return end_article(x, a, st);
}

/* The locator of container child C: its id or itemid attribute, a <docno>, else "NAME N". */
static ts_status_t item_locator(xctx_t *x, const xmlNode *c, size_t index, char **loc)
{
	const xmlAttr *id = find_attr(c, "id");
	if (!id)
		id = find_attr(c, "itemid");
	ts_status_t st = set_text(x, loc, id ? (const xmlNode *)id : child(c, "docno"));
	if (!st && !*loc) {
		char buf[96];
		snprintf(buf, sizeof buf, "%.60s %zu", ts_node_local_name(c), index);
		st = set_str(x, loc, buf);
	}
	return st;
}

/* Any other XML: a container of articles, or one article. */
static ts_status_t generic(xctx_t *x, const xmlNode *root)
{
	const xmlChar *name = container_name(root);
	if (!name)
		return xml_article(x, root, NULL);
	ts_status_t st = TS_OK;
	size_t index = 0;
	for (const xmlNode *c = root->children; c && !st; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || xmlStrcasecmp(c->name, name))
			continue;
		char *loc = NULL;
		st = item_locator(x, c, ++index, &loc);
		if (!st)
			st = xml_article(x, c, loc);
		free(loc);
	}
	return st;
}

/* ====================================================================== */
/* Entry point                                                            */
/* ====================================================================== */

ts_status_t ts_extract_xml(const char *data, size_t len, const ts_extract_limits_t *limits,
                           ts_article_list_t *out)
{
	if (!out)
		return TS_EINVAL;
	if (!data && len) {
		ts_article_list_set_error(out, "no data");
		return TS_EINVAL;
	}
	xctx_t x;
	memset(&x, 0, sizeof x);
	x.out = out;
	x.base = out->count;
	x.max_depth =
	    limits && limits->max_depth ? limits->max_depth : TS_EXTRACT_MAX_DEPTH_DEFAULT;
	x.max_articles =
	    limits && limits->max_articles ? limits->max_articles : TS_EXTRACT_MAX_ARTICLES_DEFAULT;
	x.ents.left = ENTITY_BUDGET + len;

	ts_xml_diag_t d;
	xmlDoc *doc = NULL;
	char *conv = NULL;
	ts_status_t st = TS_OK;
	ts_xml_diag_begin(&d, x.max_depth);
	if (!len)
		goto done;
	if (len > INT_MAX) {
		ts_article_list_set_error(out, "file too large for the XML parser (%zu bytes)",
		                          len);
		st = TS_ETOOBIG;
		goto done;
	}
	char label[40];
	if (ts_charset_declared(data, len, label, sizeof label) && ts_charset_is_cp1252(label) &&
	    has_c1_bytes(data, len)) {
		/* Declared Latin-1 but holding 0x80-0x9F: Windows-1252, as browsers read it. */
		size_t buflen;
		if ((st = ts_utf8_from_cp1252(data, len, &conv, &buflen)))
			goto done;
		if (buflen > INT_MAX) {
			ts_article_list_set_error(out, "file too large for the XML parser");
			st = TS_ETOOBIG;
			goto done;
		}
		st = parse_xml(conv, buflen, "UTF-8", &d, &doc);
	} else {
		st = parse_xml(data, len, NULL, &d, &doc);
	}
	if (st == TS_EPARSE && !conv && encoding_failure(&d)) {
		/* Not in its declared encoding: read it as UTF-8 or Windows-1252. */
		const char *buf = data;
		size_t buflen = len;
		if (!ts_utf8_valid(data, len)) {
			if ((st = ts_utf8_from_cp1252(data, len, &conv, &buflen)))
				goto done;
			buf = conv;
		}
		if (buflen > INT_MAX) {
			ts_article_list_set_error(out, "file too large for the XML parser");
			st = TS_ETOOBIG;
			goto done;
		}
		ts_xml_diag_t retry;
		ts_xml_diag_begin(&retry, x.max_depth);
		st = parse_xml(buf, buflen, "UTF-8", &retry, &doc);
		ts_xml_diag_end(&retry);
		if (st != TS_EPARSE || retry.too_deep) {
			/* the original complaint explains a second failure better */
			d.too_deep = retry.too_deep;
			d.level = retry.level;
			d.code = retry.code;
			d.line = retry.line;
			memcpy(d.msg, retry.msg, sizeof d.msg);
		}
	}
	if (st) {
		st = parse_failure(&d, st, out);
		goto done;
	}
	const xmlNode *root = xmlDocGetRootElement(doc);
	if (!root)
		goto done;
	if (ts_node_is(root, "rss") || ts_node_is(root, "RDF"))
		st = rss_feed(&x, root);
	else if (ts_node_is(root, "feed") || ts_node_is(root, "entry"))
		st = atom_feed(&x, root);
	else if (ts_node_is(root, "html"))
		st = xhtml_page(&x, root);
	else
		st = generic(&x, root);
done:
	xmlFreeDoc(doc);
	ts_xml_diag_end(&d);
	free(conv);
	if (st == TS_ENOMEM)
		ts_article_list_set_error(out, "out of memory");
	return st;
}
