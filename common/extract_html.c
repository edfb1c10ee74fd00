/*
 * extract_html.c - HTML pages to articles, and the pieces the XML extractor
 * shares: charset decoding, libxml2 error capture and depth guard, text
 * gathering from a libxml2 tree, and the block walker.
 *
 * A page yields one article (type "html"):
 *  - title: og:title, else <title> (a " | Site" suffix cut when it is
 *    clearly the site's name, see strip_site_name), else the JSON-LD
 *    headline, else the first <h1>;
 *  - author: <meta name="author"> (and a few synonyms), else the JSON-LD
 *    author, else a rel="author" link, else an element whose class says
 *    "byline" or "author" ("By " removed);
 *  - date: article:published_time, else JSON-LD datePublished, else the
 *    other date metas, else the first <time datetime>, all through
 *    ts_date_normalize (a date it cannot read is left out);
 *  - language: <html lang>, else JSON-LD inLanguage, else the
 *    Content-Language meta;
 *  - blocks: from the largest <article>, else the first <main>, else
 *    <body> (see ts_html_blocks for what counts as a block).
 *
 * Charset: a UTF-8 or UTF-16 byte order mark wins; else the charset
 * declared in the first 8 KiB (<meta charset>, <meta http-equiv> content,
 * or an XML declaration). Labels of ISO-8859-1, ASCII and Windows-1252 all
 * decode as Windows-1252, as browsers do (so 0x80-0x9F are curly quotes and
 * the euro, not C1 controls). UTF-8 is decoded here with invalid bytes
 * replaced by U+FFFD (counted in invalid_bytes). Other labels go to
 * libxml2's iconv; an unknown label counts as no declaration. Without a
 * declaration, valid UTF-8 is UTF-8 and anything else is Windows-1252.
 * libxml2 is then told the encoding and to ignore the page's own hints, so
 * it never switches encoding halfway through.
 */
#include "extract.h"
#include "extract_internal.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/globals.h>
#include <libxml/parser.h>

/* Bytes at the start of a page searched for a charset declaration. */
#define SNIFF_BYTES    8192
/* Longest text taken as a byline, in bytes after normalization. */
#define BYLINE_MAX     120
/* JSON-LD: deepest nesting parsed, and array elements looked at. */
#define JSONLD_DEPTH   32
#define JSONLD_ITEMS   64
/* Authors joined from a JSON-LD list. */
#define JSONLD_AUTHORS 8

/* ====================================================================== */
/* Charsets                                                               */
/* ====================================================================== */

/* Case-insensitive search for NEEDLE (lower case) in HAY/LEN; NULL when absent. */
static const char *find_ci(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (!strncasecmp(hay + i, needle, n))
			return hay + i;
	return NULL;
}

/*
 * Copy the charset label at P (up to END) into LABEL (lower case, at most
 * MAX-1 bytes). Returns 1 when a label was there.
 */
static int read_label(const char *p, const char *end, char *label, size_t max)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p < end && (*p == '"' || *p == '\''))
		p++;
	size_t n = 0;
	while (p < end && n + 1 < max &&
	       ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	        *p == '-' || *p == '_' || *p == '.' || *p == ':')) {
		char c = *p++;
		label[n++] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	label[n] = '\0';
	return n > 0;
}

int ts_charset_declared(const char *data, size_t len, char *label, size_t max)
{
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
	if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		data += 3;
		n -= 3;
	}
	if (n <= 5 || strncmp(data, "<?xml", 5))
		return 0;
	const char *close = memchr(data, '>', n);
	const char *enc = close ? find_ci(data, (size_t)(close - data), "encoding") : NULL;
	const char *eq = enc ? memchr(enc, '=', (size_t)(close - enc)) : NULL;
	return eq && read_label(eq + 1, close, label, max);
}

int ts_charset_sniff(const char *data, size_t len, char *label, size_t max)
{
	if (ts_charset_declared(data, len, label, max))
		return 1;
	size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
	const char *end = data + n;
	const char *p = data;
	while ((p = find_ci(p, (size_t)(end - p), "<meta")) != NULL) {
		const char *close = memchr(p, '>', (size_t)(end - p));
		if (!close)
			break;
		const char *cs = find_ci(p, (size_t)(close - p), "charset");
		if (cs) {
			cs += 7;
			while (cs < close && (*cs == ' ' || *cs == '\t'))
				cs++;
			if (cs < close && *cs == '=' && read_label(cs + 1, close, label, max))
				return 1;
		}
		p = close;
	}
	return 0;
}

/* Is LABEL one of the (lower-case) names in the NULL-terminated LIST? */
static int label_in(const char *label, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(label, *list))
			return 1;
	return 0;
}

/* Is LABEL one of the names in LIST, ignoring ASCII case? */
static int label_in_ci(const char *label, const char *const *list)
{
	for (; *list; list++)
		if (!strcasecmp(label, *list))
			return 1;
	return 0;
}

int ts_charset_is_cp1252(const char *label)
{
	static const char *const cp1252_labels[] = {
	    "iso-8859-1",      "iso8859-1",  "iso_8859-1",
	    "latin1",          "l1",         "cp819",
	    "ibm819",          "iso-ir-100", "csisolatin1",
	    "us-ascii",        "ascii",      "ansi_x3.4-1968",
	    "windows-1252",    "cp1252",     "x-cp1252",
	    "iso_8859-1:1987", NULL};
	return label_in_ci(label, cp1252_labels);
}

/* How a page is to be decoded. */
typedef enum page_charset {
	CS_UTF8,   /* decode here, invalid bytes replaced */
	CS_CP1252, /* decode here as Windows-1252 */
	CS_LIBXML, /* let libxml2 decode: a byte order mark, or another declared label */
} page_charset_t;

/* Decide how to decode DATA/LEN; for CS_LIBXML, *ENC is the label (NULL: the BOM). */
static page_charset_t choose_charset(const char *data, size_t len, char *label, size_t max,
                                     const char **enc)
{
	static const char *const utf8_labels[] = {"utf-8", "utf8", "unicode-1-1-utf-8",
	                                          /* a UTF-16 label on 8-bit bytes (WHATWG) */
	                                          "utf-16", "utf-16le", "utf-16be", NULL};
	const unsigned char *d = (const unsigned char *)data;
	*enc = NULL;
	if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
		return CS_UTF8;
	if (len >= 2 && ((d[0] == 0xff && d[1] == 0xfe) || (d[0] == 0xfe && d[1] == 0xff)))
		return CS_LIBXML;
	if (ts_charset_sniff(data, len, label, max)) {
		if (label_in(label, utf8_labels))
			return CS_UTF8;
		if (ts_charset_is_cp1252(label))
			return CS_CP1252;
		xmlCharEncodingHandlerPtr h = xmlFindCharEncodingHandler(label);
		if (h) {
			xmlCharEncCloseFunc(h);
			*enc = label;
			return CS_LIBXML;
		}
	}
	return ts_utf8_valid(data, len) ? CS_UTF8 : CS_CP1252;
}

/* ====================================================================== */
/* libxml2 glue                                                           */
/* ====================================================================== */

/* Keep the first error, or the first fatal one after a mere error. */
static void diag_structured(void *data, xmlErrorPtr err)
{
	ts_xml_diag_t *d = data;
	if (!d || !err || (int)err->level < XML_ERR_ERROR ||
	    (d->level && (int)err->level <= d->level))
		return;
	d->level = err->level;
	d->code = err->code;
	d->line = err->line;
	d->msg[0] = '\0';
	if (err->message) {
		size_t n = strcspn(err->message, "\r\n");
		if (n >= sizeof d->msg)
			n = sizeof d->msg - 1;
		memcpy(d->msg, err->message, n);
		d->msg[n] = '\0';
	}
}

/* libxml2's unstructured channel: say nothing. */
static void diag_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void ts_xml_diag_begin(ts_xml_diag_t *d, unsigned max_depth)
{
	memset(d, 0, sizeof *d);
	d->max_depth = max_depth;
	d->saved_serror = xmlStructuredError;
	d->saved_sctx = xmlStructuredErrorContext;
	d->saved_gerror = xmlGenericError;
	d->saved_gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(d, diag_structured);
	xmlSetGenericErrorFunc(d, diag_generic);
}

void ts_xml_diag_end(ts_xml_diag_t *d)
{
	xmlSetStructuredErrorFunc(d->saved_sctx, d->saved_serror);
	xmlSetGenericErrorFunc(d->saved_gctx, d->saved_gerror);
}

/* Stop CTXT when an element starts deeper than the limit; DEPTH counts the root as 1. */
static void depth_check(xmlParserCtxtPtr ctxt, int depth)
{
	ts_xml_diag_t *d = ctxt->_private;
	if (d && depth > 0 && (unsigned)depth > d->max_depth) {
		d->too_deep = 1;
		xmlStopParser(ctxt);
	}
}

/* The HTML parser pushes the element's name before calling startElement. */
static void html_start_guard(void *ud, const xmlChar *name, const xmlChar **atts)
{
	xmlParserCtxtPtr ctxt = ud;
	xmlSAX2StartElement(ud, name, atts);
	if (ctxt)
		depth_check(ctxt, ctxt->nameNr);
}

/* The XML parser pushes the element's name after calling startElementNs. */
static void xml_start_guard(void *ud, const xmlChar *localname, const xmlChar *prefix,
                            const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                            int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ud;
	xmlSAX2StartElementNs(ud, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
	                      nb_defaulted, attributes);
	if (ctxt)
		depth_check(ctxt, ctxt->nameNr + 1);
}

void ts_xml_diag_attach(ts_xml_diag_t *d, xmlParserCtxtPtr ctxt, int html)
{
	ctxt->_private = d;
	if (html)
		ctxt->sax->startElement = html_start_guard;
	else
		ctxt->sax->startElementNs = xml_start_guard;
}

/* ====================================================================== */
/* Element classes                                                        */
/* ====================================================================== */

typedef enum el_class {
	CL_OTHER = 0, /* a block container: div, section, table, ul... */
	CL_INLINE,    /* text-level markup: no boundary */
	CL_BR,        /* line break */
	CL_SCRIPT,    /* code or invisible content: never text */
	CL_SKIP,      /* page furniture: never blocks */
	CL_HEADING,   /* h1-h6 */
	CL_PARA,      /* paragraph-like: li, blockquote, td... */
	CL_P,         /* p itself */
} el_class_t;

/* Sorted by name for bsearch. */
static const struct tag {
	const char *name;
	el_class_t cls;
} tags[] = {
    {"a", CL_INLINE},        {"abbr", CL_INLINE},   {"acronym", CL_INLINE},
    {"aside", CL_SKIP},      {"audio", CL_SKIP},    {"b", CL_INLINE},
    {"bdi", CL_INLINE},      {"bdo", CL_INLINE},    {"big", CL_INLINE},
    {"blockquote", CL_PARA}, {"br", CL_BR},         {"button", CL_SKIP},
    {"canvas", CL_SKIP},     {"caption", CL_PARA},  {"cite", CL_INLINE},
    {"code", CL_INLINE},     {"data", CL_INLINE},   {"datalist", CL_SKIP},
    {"dd", CL_PARA},         {"del", CL_INLINE},    {"dfn", CL_INLINE},
    {"dt", CL_PARA},         {"em", CL_INLINE},     {"embed", CL_SKIP},
    {"figcaption", CL_PARA}, {"font", CL_INLINE},   {"footer", CL_SKIP},
    {"form", CL_SKIP},       {"h1", CL_HEADING},    {"h2", CL_HEADING},
    {"h3", CL_HEADING},      {"h4", CL_HEADING},    {"h5", CL_HEADING},
    {"h6", CL_HEADING},      {"head", CL_SKIP},     {"header", CL_SKIP},
    {"i", CL_INLINE},        {"iframe", CL_SKIP},   {"img", CL_INLINE},
    {"ins", CL_INLINE},      {"kbd", CL_INLINE},    {"label", CL_INLINE},
    {"li", CL_PARA},         {"mark", CL_INLINE},   {"math", CL_SKIP},
    {"nav", CL_SKIP},        {"nobr", CL_INLINE},   {"noscript", CL_SCRIPT},
    {"object", CL_SKIP},     {"p", CL_P},           {"pre", CL_PARA},
    {"q", CL_INLINE},        {"rp", CL_INLINE},     {"rt", CL_INLINE},
    {"ruby", CL_INLINE},     {"s", CL_INLINE},      {"samp", CL_INLINE},
    {"script", CL_SCRIPT},   {"select", CL_SKIP},   {"small", CL_INLINE},
    {"span", CL_INLINE},     {"strike", CL_INLINE}, {"strong", CL_INLINE},
    {"style", CL_SCRIPT},    {"sub", CL_INLINE},    {"sup", CL_INLINE},
    {"svg", CL_SKIP},        {"td", CL_PARA},       {"template", CL_SCRIPT},
    {"textarea", CL_SKIP},   {"th", CL_PARA},       {"time", CL_INLINE},
    {"tt", CL_INLINE},       {"u", CL_INLINE},      {"var", CL_INLINE},
    {"video", CL_SKIP},      {"wbr", CL_INLINE},
};

/* bsearch comparison of a lower-case name KEY with a tags[] entry. */
static int tag_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tag *)elem)->name);
}

/* The local name of an element: after any "prefix:" left by an unbound prefix. */
const char *ts_node_local_name(const xmlNode *n)
{
	const char *name = n->name ? (const char *)n->name : "";
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

/* The class of element N by its local name, ignoring case; CL_OTHER when unknown. */
static el_class_t classify(const xmlNode *n)
{
	char low[16];
	const char *name = ts_node_local_name(n);
	size_t i;
	for (i = 0; name[i] && i + 1 < sizeof low; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] | 0x20 : name[i]);
	if (name[i])
		return CL_OTHER;
	low[i] = '\0';
	const struct tag *t =
	    bsearch(low, tags, sizeof tags / sizeof tags[0], sizeof tags[0], tag_cmp);
	return t ? t->cls : CL_OTHER;
}

int ts_node_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !strcasecmp(ts_node_local_name(n), name);
}

/* ====================================================================== */
/* Text from a tree                                                       */
/* ====================================================================== */

void ts_text_add(ts_text_t *t, const char *s, size_t n)
{
	if (!n || t->nomem)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *p = realloc(t->s, cap);
		if (!p) {
			t->nomem = 1;
			return;
		}
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
}

/* A space, unless T is empty or already ends with one. */
static void add_space(ts_text_t *t)
{
	if (t->len && t->s[t->len - 1] != ' ')
		ts_text_add(t, " ", 1);
}

void ts_text_clear(ts_text_t *t)
{
	t->len = 0;
	if (t->s)
		t->s[0] = '\0';
}

void ts_text_release(ts_text_t *t)
{
	free(t->s);
	memset(t, 0, sizeof *t);
}

/* Append the text an entity reference stands for (policy in extract_internal.h). */
static void add_entity(ts_text_t *t, const xmlNode *ref)
{
	const xmlEntity *ent = ref->doc ? xmlGetDocEntity(ref->doc, ref->name) : NULL;
	if (ent) {
		if (!t->ents || ent->etype != XML_INTERNAL_GENERAL_ENTITY || !ent->content)
			return;
		const char *s = (const char *)ent->content;
		size_t n = strlen(s);
		if (memchr(s, '<', n) || memchr(s, '&', n))
			return;
		if (n > t->ents->left) {
			t->ents->exceeded = 1;
			return;
		}
		t->ents->left -= n;
		ts_text_add(t, s, n);
		return;
	}
	const htmlEntityDesc *h = htmlEntityLookup(ref->name);
	if (h) {
		char u[4];
		ts_text_add(t, u, ts_utf8_put(u, h->value));
	}
}

/* Append the text content of a text, CDATA or entity-reference node. */
static void add_leaf(ts_text_t *t, const xmlNode *n)
{
	if (n->type == XML_ENTITY_REF_NODE)
		add_entity(t, n);
	else if (n->content)
		ts_text_add(t, (const char *)n->content, strlen((const char *)n->content));
}

/* Is N a node whose content is text: text, CDATA or an entity reference? */
static int is_leaf_text(const xmlNode *n)
{
	return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE ||
	       n->type == XML_ENTITY_REF_NODE;
}

void ts_text_add_node(ts_text_t *t, const xmlNode *node, int skip_scripts)
{
	const xmlNode *n = node;
	while (n) {
		int down = 0;
		if (is_leaf_text(n)) {
			add_leaf(t, n);
		} else if (n->type == XML_ELEMENT_NODE) {
			el_class_t cls = classify(n);
			if (!(skip_scripts && cls == CL_SCRIPT)) {
				down = 1;
				if (cls != CL_INLINE)
					add_space(t);
			}
		} else if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE) {
			down = 1;
		}
		if (down && n->children) {
			n = n->children;
			continue;
		}
		while (n != node && !n->next) {
			n = n->parent;
			if (n && n->type == XML_ELEMENT_NODE && classify(n) != CL_INLINE)
				add_space(t);
		}
		if (!n || n == node)
			break;
		n = n->next;
	}
}

/*
 * The normalized text of NODE (ts_article_set rules) in a new string, or
 * NULL when empty. *ST becomes TS_ENOMEM on failure.
 */
static char *node_text(const xmlNode *node, ts_status_t *st)
{
	ts_text_t t;
	memset(&t, 0, sizeof t);
	char *s = NULL;
	ts_text_add_node(&t, node, 1);
	if (t.nomem)
		*st = TS_ENOMEM;
	else if (ts_article_set(&s, t.s, t.len, NULL))
		*st = TS_ENOMEM;
	ts_text_release(&t);
	return s;
}

/* The value of NODE's attribute NAME (exact, no namespace) or NULL; borrowed from the tree. */
static const char *attr(const xmlNode *node, const char *name)
{
	for (const xmlAttr *a = node->properties; a; a = a->next) {
		if (a->name && !strcasecmp((const char *)a->name, name)) {
			const xmlNode *c = a->children;
			if (c && c->type == XML_TEXT_NODE && !c->next && c->content)
				return (const char *)c->content;
			return NULL;
		}
	}
	return NULL;
}

/* Does the white-space separated list LIST hold WORD (ignoring case)? */
static int has_token(const char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p = list;
	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f')
			p++;
		size_t k = strcspn(p, " \t\n\r\f");
		if (k == n && !strncasecmp(p, word, n))
			return 1;
		p += k;
	}
	return 0;
}

/* ====================================================================== */
/* The block walker                                                       */
/* ====================================================================== */

/* What the text gathered since the last boundary is. */
typedef enum text_kind {
	K_NONE = 0,
	K_LOOSE, /* not inside any paragraph-like element */
	K_PARA,
	K_HEADING,
} text_kind_t;

typedef struct walker {
	ts_article_t *a;
	ts_article_list_t *list;
	const char *title;     /* headings equal to it are dropped */
	const xmlNode *region; /* the subtree walked */
	ts_text_t buf;         /* text since the last block boundary */
	text_kind_t kind;      /* what buf holds */
	int loose_ok;          /* region has no <p>: loose text makes paragraphs */
	int br;                /* the last thing seen was a lone <br> */
	ts_status_t st;
} walker_t;

/* The kind of text found at N: its innermost heading or paragraph-like ancestor. */
static text_kind_t context_kind(const xmlNode *n, const xmlNode *region)
{
	for (n = n->parent; n; n = n->parent) {
		if (n->type == XML_ELEMENT_NODE) {
			el_class_t cls = classify(n);
			if (cls == CL_HEADING)
				return K_HEADING;
			if (cls == CL_PARA || cls == CL_P)
				return K_PARA;
		}
		if (n == region)
			break;
	}
	return K_LOOSE;
}

/* End the current block: add what buf holds as a block, if it counts. */
static void flush(walker_t *w)
{
	if (!w->st && w->buf.nomem)
		w->st = TS_ENOMEM;
	if (!w->st && w->buf.len && (w->kind != K_LOOSE || w->loose_ok)) {
		size_t *invalid = &w->list->invalid_bytes;
		w->st =
		    w->kind == K_HEADING
		        ? ts_article_add_heading(w->a, w->buf.s, w->buf.len, w->title, invalid)
		        : ts_article_add_block(w->a, TS_BLOCK_PARA, w->buf.s, w->buf.len, invalid);
	}
	ts_text_clear(&w->buf);
	w->kind = K_NONE;
	w->br = 0;
}

/* Is N a byline ("By Jane Doe")? It gives the author, not a paragraph. */
static int is_byline(const xmlNode *n)
{
	const char *c = attr(n, "class");
	return c && find_ci(c, strlen(c), "byline");
}

/* Text at N: add it to the current block. */
static void walk_text(walker_t *w, const xmlNode *n)
{
	size_t before = w->buf.len;
	add_leaf(&w->buf, n);
	for (size_t i = before; i < w->buf.len; i++) {
		char c = w->buf.s[i];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
			w->br = 0;
			break;
		}
	}
	if (w->buf.len > before && w->kind == K_NONE)
		w->kind = context_kind(n, w->region);
}

/* Enter element N; returns 1 to walk its children. */
static int walk_enter(walker_t *w, const xmlNode *n)
{
	switch (classify(n)) {
	case CL_INLINE:
		return 1;
	case CL_BR:
		/* One <br> is a space, two in a row end a paragraph. */
		if (w->br) {
			flush(w);
		} else {
			ts_text_add(&w->buf, " ", 1);
			w->br = 1;
		}
		return 0;
	case CL_SCRIPT:
	case CL_SKIP:
		return 0;
	default:
		flush(w);
		return !is_byline(n);
	}
}

/* Leave element N: a boundary unless it is inline. */
static void walk_leave(walker_t *w, const xmlNode *n)
{
	if (classify(n) != CL_INLINE)
		flush(w);
}

/* Does REGION hold a <p> outside the subtrees never indexed? */
static int has_p(const xmlNode *region)
{
	const xmlNode *n = region->children;
	while (n) {
		int down = 0;
		if (n->type == XML_ELEMENT_NODE) {
			el_class_t cls = classify(n);
			if (cls == CL_P)
				return 1;
			down = cls != CL_SCRIPT && cls != CL_SKIP;
		}
		n = ts_node_next(n, region, down);
	}
	return 0;
}

/*
 * Blocks: the text of <p>, <li>, <blockquote>, <td>, <th>, <dd>, <dt>, <pre>,
 * <figcaption> and <caption> makes paragraphs, that of <h1>-<h6> headings; a
 * boundary falls wherever an element other than an inline one starts or
 * ends, and at two <br> in a row. Text outside all of those ("loose", as in
 * <div>text</div>) makes paragraphs only when the region holds no <p> at
 * all, so that pages built of bare <div>s still give their text while the
 * odd caption or "Share this" beside real paragraphs does not. <script>,
 * <style>, <noscript>, <template>, <nav>, <header>, <footer>, <aside>,
 * <form>, <iframe>, <svg>, <math>, media, buttons and form fields are
 * never read; comments are not text.
 */
ts_status_t ts_html_blocks(const xmlNode *region, const char *title, ts_entity_budget_t *ents,
                           ts_article_t *a, ts_article_list_t *list)
{
	walker_t w;
	memset(&w, 0, sizeof w);
	w.a = a;
	w.list = list;
	w.title = title;
	w.region = region;
	w.buf.ents = ents;
	w.loose_ok = !has_p(region);
	const xmlNode *n = region->children;
	while (n && !w.st) {
		int down = 0;
		if (is_leaf_text(n))
			walk_text(&w, n);
		else if (n->type == XML_ELEMENT_NODE)
			down = walk_enter(&w, n);
		if (down && n->children) {
			n = n->children;
			continue;
		}
		if (down)
			walk_leave(&w, n);
		while (!n->next) {
			n = n->parent;
			if (!n || n == region)
				goto done;
			walk_leave(&w, n);
		}
		n = n->next;
	}
done:
	flush(&w);
	ts_text_release(&w.buf);
	return w.st;
}

/* ====================================================================== */
/* Parsing                                                                */
/* ====================================================================== */

/*
 * Parse BUF/LEN (LEN <= INT_MAX) as HTML in ENC (NULL: from the byte order
 * mark) into *DOC, with D recording errors and guarding depth. *DOC may be
 * NULL (nothing to parse) when TS_OK is returned.
 */
static ts_status_t parse_html(const char *buf, size_t len, const char *enc, ts_xml_diag_t *d,
                              xmlDoc **doc)
{
	/* XML_PARSE_HUGE: without it libxml2 (recovering) silently drops the rest
	 * of a page after a text node of 10 MB. HTML declares no entities, the
	 * depth is guarded by D, and the file size by the caller's limit. */
	const int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
	                 HTML_PARSE_NOWARNING | HTML_PARSE_NODEFDTD | HTML_PARSE_COMPACT |
	                 HTML_PARSE_IGNORE_ENC | XML_PARSE_HUGE;
	*doc = NULL;
	htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
	if (!ctxt)
		return TS_ENOMEM;
	ts_xml_diag_attach(d, ctxt, 1);
	*doc = htmlCtxtReadMemory(ctxt, buf, (int)len, NULL, enc, opts);
	htmlFreeParserCtxt(ctxt);
	if (d->too_deep) {
		xmlFreeDoc(*doc);
		*doc = NULL;
		return TS_ETOOBIG;
	}
	if (!*doc && d->code == XML_ERR_NO_MEMORY)
		return TS_ENOMEM;
	return TS_OK;
}

/*
 * The first element named NAME under (or at) ROOT, not inside never-indexed
 * subtrees except <header> (where a page's <h1> often is).
 */
static const xmlNode *find_element(const xmlNode *root, const char *name)
{
	const xmlNode *n = root;
	while (n) {
		int down = 0;
		if (n->type == XML_ELEMENT_NODE) {
			if (ts_node_is(n, name))
				return n;
			el_class_t cls = classify(n);
			down = cls != CL_SCRIPT && (cls != CL_SKIP || ts_node_is(n, "header"));
		} else if (n->type == XML_HTML_DOCUMENT_NODE || n->type == XML_DOCUMENT_NODE) {
			down = 1;
		}
		n = ts_node_next(n, root, down);
	}
	return NULL;
}

/* Record in LIST that the depth limit MAX_DEPTH stopped the parse. */
static void report_too_deep(ts_article_list_t *list, unsigned max_depth)
{
	ts_article_list_set_error(list, "elements nested deeper than %u levels", max_depth);
}

/* A parsed HTML fragment; BODY is the node to read (NULL: nothing). */
typedef struct fragment {
	ts_xml_diag_t d;
	xmlDoc *doc;
	char *clean; /* the fragment with invalid UTF-8 replaced */
	const xmlNode *body;
} fragment_t;

/*
 * Parse the HTML fragment HTML/LEN into F (invalid UTF-8 replaced and
 * counted in LIST, the depth limit reported there). Release F with
 * fragment_close, whatever this returns.
 */
static ts_status_t fragment_open(fragment_t *f, const char *html, size_t len, unsigned max_depth,
                                 ts_article_list_t *list)
{
	memset(f, 0, sizeof *f);
	ts_xml_diag_begin(&f->d, max_depth);
	if (!len)
		return TS_OK;
	if (len > INT_MAX)
		return TS_ETOOBIG;
	if (!ts_utf8_valid(html, len)) {
		size_t cleanlen;
		ts_status_t st =
		    ts_utf8_sanitize(html, len, &f->clean, &cleanlen, &list->invalid_bytes);
		if (st)
			return st;
		if (cleanlen > INT_MAX)
			return TS_ETOOBIG;
		html = f->clean;
		len = cleanlen;
	}
	ts_status_t st = parse_html(html, len, "UTF-8", &f->d, &f->doc);
	if (st == TS_ETOOBIG)
		report_too_deep(list, max_depth);
	if (st || !f->doc)
		return st;
	f->body = find_element((const xmlNode *)f->doc, "body");
	if (!f->body)
		f->body = (const xmlNode *)f->doc;
	return TS_OK;
}

static void fragment_close(fragment_t *f)
{
	xmlFreeDoc(f->doc);
	ts_xml_diag_end(&f->d);
	free(f->clean);
}

ts_status_t ts_extract_html_fragment(const char *html, size_t len, unsigned max_depth,
                                     const char *title, ts_article_t *a, ts_article_list_t *list)
{
	fragment_t f;
	ts_status_t st = fragment_open(&f, html, len, max_depth, list);
	if (!st && f.body)
		st = ts_html_blocks(f.body, title, NULL, a, list);
	fragment_close(&f);
	return st;
}

ts_status_t ts_html_fragment_text(const char *html, size_t len, unsigned max_depth, ts_text_t *t,
                                  ts_article_list_t *list)
{
	fragment_t f;
	ts_status_t st = fragment_open(&f, html, len, max_depth, list);
	if (!st && f.body) {
		ts_text_add_node(t, f.body, 1);
		if (t->nomem)
			st = TS_ENOMEM;
	}
	fragment_close(&f);
	return st;
}

/* ====================================================================== */
/* Page metadata                                                          */
/* ====================================================================== */

/* What the page says about itself; strings are owned and normalized. */
typedef struct page_meta {
	char *title;                 /* <title> */
	char *og_title;              /* og:title, twitter:title */
	char *site_name;             /* og:site_name, application-name */
	char *author;                /* <meta name="author"> and synonyms */
	char *rel_author;            /* <a rel="author"> text */
	char *language;              /* <html lang> */
	char *meta_lang;             /* <meta http-equiv="content-language"> */
	char *ld_headline;           /* JSON-LD article: headline */
	char *ld_author;             /* JSON-LD article: author name(s) */
	char *ld_lang;               /* JSON-LD article: inLanguage */
	int ld_found;                /* an article object was found in JSON-LD */
	char date_pub[TS_DATE_MAX];  /* article:published_time */
	char date_ld[TS_DATE_MAX];   /* JSON-LD datePublished */
	char date_meta[TS_DATE_MAX]; /* other date metas */
	char date_time[TS_DATE_MAX]; /* first <time datetime> */
	ts_status_t st;
} page_meta_t;

/* Free what M owns and zero it. */
static void page_meta_release(page_meta_t *m)
{
	free(m->title);
	free(m->og_title);
	free(m->site_name);
	free(m->author);
	free(m->rel_author);
	free(m->language);
	free(m->meta_lang);
	free(m->ld_headline);
	free(m->ld_author);
	free(m->ld_lang);
	memset(m, 0, sizeof *m);
}

/* Set *FIELD to normalized S/N unless already set. */
static void meta_set(page_meta_t *m, char **field, const char *s, size_t n)
{
	if (*field || !s || m->st)
		return;
	if (ts_article_set(field, s, n, NULL))
		m->st = TS_ENOMEM;
}

/* meta_set for a NUL-terminated S (NULL: nothing). */
static void meta_set_str(page_meta_t *m, char **field, const char *s)
{
	if (s)
		meta_set(m, field, s, strlen(s));
}

/* Normalize the date S into DATE unless DATE is already set or S is not a date. */
static void meta_date(char *date, const char *s)
{
	if (!date[0] && s)
		ts_date_normalize(s, strlen(s), date, TS_DATE_MAX);
}

/* Does S look like a URL or a path (an author meta that points at a profile page)? */
static int is_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8) || s[0] == '/';
}

/* One <meta> element. */
static void meta_element(page_meta_t *m, const xmlNode *n)
{
	static const char *const date_names[] = {"date",
	                                         "pubdate",
	                                         "publishdate",
	                                         "publish-date",
	                                         "publish_date",
	                                         "publication_date",
	                                         "dc.date",
	                                         "dc.date.issued",
	                                         "dcterms.date",
	                                         "dcterms.created",
	                                         "dcterms.issued",
	                                         "article.published",
	                                         "sailthru.date",
	                                         "parsely-pub-date",
	                                         "datepublished",
	                                         "og:published_time",
	                                         NULL};
	static const char *const author_names[] = {
	    "author", "dc.creator",      "dcterms.creator", "article:author",
	    "byl",    "sailthru.author", "parsely-author",  NULL};
	const char *content = attr(n, "content");
	if (!content)
		return;
	const char *keys[3] = {attr(n, "property"), attr(n, "name"), attr(n, "itemprop")};
	for (int i = 0; i < 3; i++) {
		const char *k = keys[i];
		if (!k)
			continue;
		if (!strcasecmp(k, "og:title") || !strcasecmp(k, "twitter:title")) {
			meta_set_str(m, &m->og_title, content);
		} else if (!strcasecmp(k, "og:site_name") || !strcasecmp(k, "application-name")) {
			meta_set_str(m, &m->site_name, content);
		} else if (!strcasecmp(k, "article:published_time")) {
			meta_date(m->date_pub, content);
		} else if (label_in_ci(k, date_names)) {
			meta_date(m->date_meta, content);
		} else if (label_in_ci(k, author_names) && !is_url(content)) {
			const char *s = content;
			if (!strncasecmp(s, "by ", 3))
				s += 3;
			meta_set_str(m, &m->author, s);
		}
	}
	const char *equiv = attr(n, "http-equiv");
	if (equiv && !strcasecmp(equiv, "content-language"))
		meta_set_str(m, &m->meta_lang, content);
}

/* ---- JSON-LD ---------------------------------------------------------- */

/* Is the @type T (a string or a list of them) an article? */
static int ld_is_article(json_object *t)
{
	if (json_object_is_type(t, json_type_array)) {
		size_t n = json_object_array_length(t);
		for (size_t i = 0; i < n && i < JSONLD_ITEMS; i++)
			if (ld_is_article(json_object_array_get_idx(t, i)))
				return 1;
		return 0;
	}
	if (!json_object_is_type(t, json_type_string))
		return 0;
	const char *s = json_object_get_string(t);
	size_t n = strlen(s);
	/* NewsArticle, Article, ReportageNewsArticle, "https://schema.org/Article"... */
	return (n >= 7 && !strcmp(s + n - 7, "Article")) ||
	       (n >= 11 && !strcmp(s + n - 11, "BlogPosting"));
}

/* The first article object in O: O itself, an element of a list, or of @graph. */
static json_object *ld_find_article(json_object *o, int depth)
{
	json_object *v;
	if (!o || depth > 4)
		return NULL;
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);
		for (size_t i = 0; i < n && i < JSONLD_ITEMS; i++) {
			json_object *r =
			    ld_find_article(json_object_array_get_idx(o, i), depth + 1);
			if (r)
				return r;
		}
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object))
		return NULL;
	if (json_object_object_get_ex(o, "@type", &v) && ld_is_article(v))
		return o;
	if (json_object_object_get_ex(o, "@graph", &v))
		return ld_find_article(v, depth + 1);
	if (json_object_object_get_ex(o, "mainEntity", &v))
		return ld_find_article(v, depth + 1);
	return NULL;
}

/* The string member KEY of object O, or NULL. */
static const char *ld_string(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Append the name of the author A (a string or an object with "name") to T. */
static void ld_author_name(ts_text_t *t, json_object *a)
{
	const char *name = NULL;
	if (json_object_is_type(a, json_type_string))
		name = json_object_get_string(a);
	else if (json_object_is_type(a, json_type_object))
		name = ld_string(a, "name");
	if (!name || !*name)
		return;
	if (t->len)
		ts_text_add(t, ", ", 2);
	ts_text_add(t, name, strlen(name));
}

/* Take headline, author, datePublished and inLanguage from the article object ART. */
static void ld_take(page_meta_t *m, json_object *art)
{
	json_object *v;
	const char *s = ld_string(art, "headline");
	meta_set_str(m, &m->ld_headline, s ? s : ld_string(art, "name"));
	if (json_object_object_get_ex(art, "author", &v)) {
		ts_text_t t;
		memset(&t, 0, sizeof t);
		if (json_object_is_type(v, json_type_array)) {
			size_t n = json_object_array_length(v);
			for (size_t i = 0; i < n && i < JSONLD_AUTHORS; i++)
				ld_author_name(&t, json_object_array_get_idx(v, i));
		} else {
			ld_author_name(&t, v);
		}
		if (t.nomem)
			m->st = TS_ENOMEM;
		meta_set(m, &m->ld_author, t.s, t.len);
		ts_text_release(&t);
	}
	s = ld_string(art, "datePublished");
	meta_date(m->date_ld, s ? s : ld_string(art, "dateCreated"));
	meta_set_str(m, &m->ld_lang, ld_string(art, "inLanguage"));
	m->ld_found = 1;
}

/* A <script type="application/ld+json"> element. */
static void ld_script(page_meta_t *m, const xmlNode *n)
{
	ts_text_t t;
	memset(&t, 0, sizeof t);
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is_leaf_text(c))
			add_leaf(&t, c);
	if (t.len && t.len <= INT_MAX && !t.nomem) {
		json_tokener *tok = json_tokener_new_ex(JSONLD_DEPTH);
		if (tok) {
			json_object *root = json_tokener_parse_ex(tok, t.s, (int)t.len);
			if (root && json_tokener_get_error(tok) == json_tokener_success) {
				json_object *art = ld_find_article(root, 0);
				if (art)
					ld_take(m, art);
			}
			json_object_put(root);
			json_tokener_free(tok);
		} else {
			m->st = TS_ENOMEM;
		}
	}
	if (t.nomem)
		m->st = TS_ENOMEM;
	ts_text_release(&t);
}

/* ---- the metadata walk ------------------------------------------------ */

/* Visit every element of DOC (outside <svg>, <math> and <template>) for metadata. */
static void meta_walk(page_meta_t *m, const xmlDoc *doc)
{
	const xmlNode *root = (const xmlNode *)doc;
	const xmlNode *n = root->children;
	while (n && !m->st) {
		int down = 0;
		if (n->type == XML_ELEMENT_NODE) {
			down = 1;
			if (ts_node_is(n, "svg") || ts_node_is(n, "math") ||
			    ts_node_is(n, "template")) {
				down = 0;
			} else if (ts_node_is(n, "html")) {
				const char *lang = attr(n, "lang");
				meta_set_str(m, &m->language, lang ? lang : attr(n, "xml:lang"));
			} else if (ts_node_is(n, "title")) {
				if (!m->title)
					m->title = node_text(n, &m->st);
				down = 0;
			} else if (ts_node_is(n, "meta")) {
				meta_element(m, n);
			} else if (ts_node_is(n, "script")) {
				const char *type = attr(n, "type");
				if (!m->ld_found && type && find_ci(type, strlen(type), "ld+json"))
					ld_script(m, n);
				down = 0;
			} else if (ts_node_is(n, "a")) {
				const char *rel = attr(n, "rel");
				if (!m->rel_author && rel && has_token(rel, "author"))
					m->rel_author = node_text(n, &m->st);
			} else if (ts_node_is(n, "time")) {
				meta_date(m->date_time, attr(n, "datetime"));
			}
		}
		n = ts_node_next(n, root, down);
	}
}

/* Remove a leading "By " (any case) from S, in place. */
static void strip_by(char *s)
{
	if (s && !strncasecmp(s, "by ", 3))
		memmove(s, s + 3, strlen(s + 3) + 1);
}

/*
 * The byline under SCOPE: the first element whose class names "byline" or
 * "author" and whose text is short enough to be a name ("By " removed).
 * Headers are searched (bylines live there); other furniture is not.
 */
static char *find_byline(const xmlNode *scope, ts_status_t *st)
{
	const xmlNode *n = scope;
	while (n) {
		int down = 0;
		if (n->type == XML_ELEMENT_NODE) {
			el_class_t cls = classify(n);
			down = cls != CL_SCRIPT && (cls != CL_SKIP || ts_node_is(n, "header"));
			const char *c = attr(n, "class");
			if (down && c &&
			    (find_ci(c, strlen(c), "byline") || find_ci(c, strlen(c), "author"))) {
				char *s = node_text(n, st);
				strip_by(s);
				if (s && *s && strlen(s) <= BYLINE_MAX)
					return s;
				free(s);
				if (*st)
					return NULL;
			}
		} else if (n->type == XML_HTML_DOCUMENT_NODE || n->type == XML_DOCUMENT_NODE) {
			down = 1;
		}
		n = ts_node_next(n, scope, down);
	}
	return NULL;
}

/* ---- region and title ------------------------------------------------- */

/* Bytes of text under N, outside never-indexed subtrees. */
static size_t text_bytes(const xmlNode *top)
{
	size_t total = 0;
	const xmlNode *n = top->children;
	while (n) {
		int down = 0;
		if (n->type == XML_TEXT_NODE && n->content) {
			total += strlen((const char *)n->content);
		} else if (n->type == XML_ELEMENT_NODE) {
			el_class_t cls = classify(n);
			down = cls != CL_SCRIPT && cls != CL_SKIP;
		}
		n = ts_node_next(n, top, down);
	}
	return total;
}

/*
 * Where the article's blocks are: the <article> with the most text (pages
 * carry teasers and comments in <article>s too), else the first <main>,
 * else <body>, else the whole tree. Articles inside navigation, asides and
 * footers do not count.
 */
static const xmlNode *choose_region(const xmlDoc *doc)
{
	const xmlNode *root = (const xmlNode *)doc;
	const xmlNode *best = NULL, *main_el = NULL, *body = NULL;
	size_t best_bytes = 0;
	const xmlNode *n = root->children;
	while (n) {
		int down = 0;
		if (n->type == XML_ELEMENT_NODE) {
			el_class_t cls = classify(n);
			down = cls != CL_SCRIPT && cls != CL_SKIP;
			if (down && ts_node_is(n, "article")) {
				size_t b = text_bytes(n);
				if (!best || b > best_bytes) {
					best = n;
					best_bytes = b;
				}
				down = 0; /* nested articles are parts of this one */
			} else if (!main_el && ts_node_is(n, "main")) {
				main_el = n;
			} else if (!body && ts_node_is(n, "body")) {
				body = n;
			}
		}
		n = ts_node_next(n, root, down);
	}
	if (best)
		return best;
	if (main_el)
		return main_el;
	if (body)
		return body;
	return root;
}

/* Separators between a headline and a site name in <title>. */
static const char *const title_seps[] = {" | ",        " - ",  " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                         " \xC2\xB7 ", " :: ", " \xC2\xBB ",     NULL};

/* Does S look like a bare domain name ("example.com", "News.Example.org")? */
static int is_domain(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 60 || strchr(s, ' '))
		return 0;
	const char *dot = strrchr(s, '.');
	return dot && dot != s && dot[1] && strlen(dot + 1) <= 6;
}

/*
 * Cut the site's name from a <title>, in place, but only when it clearly is
 * one: "Headline | Site" when Site is the page's og:site_name (or
 * application-name) or a bare domain, or when Headline is exactly the
 * page's own HEADLINE (JSON-LD) or H1; "Site | Headline" when Site is the
 * declared site name. A title such as "Biden - Trump debate" is kept.
 */
static void strip_site_name(char *title, const char *site, const char *headline, const char *h1)
{
	const char *last = NULL, *first = NULL;
	size_t lastlen = 0, firstlen = 0;
	for (const char *const *sep = title_seps; *sep; sep++) {
		size_t k = strlen(*sep);
		for (const char *p = strstr(title, *sep); p; p = strstr(p + 1, *sep)) {
			if (!first || p < first) {
				first = p;
				firstlen = k;
			}
			if (!last || p > last) {
				last = p;
				lastlen = k;
			}
		}
	}
	if (!last)
		return;
	const char *suffix = last + lastlen;
	size_t prefix_len = (size_t)(last - title);
	if ((site && !strcasecmp(suffix, site)) || is_domain(suffix) ||
	    (headline && strlen(headline) == prefix_len &&
	     !strncasecmp(title, headline, prefix_len)) ||
	    (h1 && strlen(h1) == prefix_len && !strncasecmp(title, h1, prefix_len))) {
		title[prefix_len] = '\0';
		return;
	}
	if (site && strlen(site) == (size_t)(first - title) &&
	    !strncasecmp(title, site, (size_t)(first - title)))
		memmove(title, first + firstlen, strlen(first + firstlen) + 1);
}

/* ====================================================================== */
/* A whole page                                                           */
/* ====================================================================== */

/* Fill A from the parsed page DOC. */
static ts_status_t page_article(const xmlDoc *doc, ts_article_t *a, ts_article_list_t *list)
{
	page_meta_t m;
	char *h1 = NULL, *byline = NULL;
	memset(&m, 0, sizeof m);
	ts_status_t st = TS_OK;
	meta_walk(&m, doc);
	if ((st = m.st))
		goto done;
	const xmlNode *region = choose_region(doc);
	const xmlNode *h1_el = find_element(region, "h1");
	if (!h1_el)
		h1_el = find_element((const xmlNode *)doc, "h1");
	if (h1_el && !(h1 = node_text(h1_el, &st)) && st)
		goto done;

	/* Title */
	if (m.og_title)
		strip_site_name(m.og_title, m.site_name, m.ld_headline, h1);
	if (m.title)
		strip_site_name(m.title, m.site_name, m.ld_headline, h1);
	const char *title = m.og_title ? m.og_title : m.title;
	if (!title || !*title)
		title = m.ld_headline ? m.ld_headline : h1;
	if (title && (st = ts_article_set(&a->title, title, strlen(title), NULL)))
		goto done;

	/* Author */
	const char *author = m.author ? m.author : m.ld_author ? m.ld_author : m.rel_author;
	if (m.rel_author)
		strip_by(m.rel_author);
	if (!author) {
		byline = find_byline(region, &st);
		if (!byline && !st)
			byline = find_byline((const xmlNode *)doc, &st);
		if (st)
			goto done;
		author = byline;
	}
	if (author && (st = ts_article_set(&a->author, author, strlen(author), NULL)))
		goto done;

	/* Date */
	const char *dates[] = {m.date_pub, m.date_ld, m.date_meta, m.date_time};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		if (dates[i][0]) {
			if ((st = ts_article_set(&a->date, dates[i], strlen(dates[i]), NULL)))
				goto done;
			break;
		}
	}

	/* Language */
	const char *lang = m.language ? m.language : m.ld_lang ? m.ld_lang : m.meta_lang;
	if (lang && (st = ts_article_set(&a->language, lang, strlen(lang), NULL)))
		goto done;

	st = ts_html_blocks(region, a->title, NULL, a, list);
done:
	free(h1);
	free(byline);
	page_meta_release(&m);
	return st;
}

ts_status_t ts_extract_html(const char *data, size_t len, const ts_extract_limits_t *limits,
                            ts_article_list_t *out)
{
	if (!out)
		return TS_EINVAL;
	if (!data && len) {
		ts_article_list_set_error(out, "no data");
		return TS_EINVAL;
	}
	unsigned max_depth =
	    limits && limits->max_depth ? limits->max_depth : TS_EXTRACT_MAX_DEPTH_DEFAULT;
	ts_xml_diag_t d;
	xmlDoc *doc = NULL;
	char *conv = NULL;
	char label[40];
	const char *enc = "UTF-8";
	const char *buf = data;
	size_t buflen = len;
	ts_status_t st = TS_OK;
	ts_xml_diag_begin(&d, max_depth);
	if (!len)
		goto done;

	switch (choose_charset(data, len, label, sizeof label, &enc)) {
	case CS_UTF8:
		enc = "UTF-8";
		if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
			buf += 3;
			buflen -= 3;
		}
		if (!ts_utf8_valid(buf, buflen))
			st = ts_utf8_sanitize(buf, buflen, &conv, &buflen, &out->invalid_bytes);
		break;
	case CS_CP1252:
		enc = "UTF-8";
		st = ts_utf8_from_cp1252(data, len, &conv, &buflen);
		break;
	case CS_LIBXML:
		break;
	}
	if (st)
		goto done;
	if (conv)
		buf = conv;
	if (buflen > INT_MAX) {
		ts_article_list_set_error(out, "file too large for the HTML parser (%zu bytes)",
		                          buflen);
		st = TS_ETOOBIG;
		goto done;
	}
	st = parse_html(buf, buflen, enc, &d, &doc);
	if (st == TS_ETOOBIG)
		report_too_deep(out, max_depth);
	if (st || !doc)
		goto done;

	ts_article_t *a;
	if ((st = ts_article_list_add(out, &a)))
		goto done;
	a->type = "html";
	st = page_article(doc, a, out);
	if (!st && !a->title && !a->nblocks)
		ts_article_list_pop(out);
done:
	xmlFreeDoc(doc);
	ts_xml_diag_end(&d);
	free(conv);
	if (st == TS_ENOMEM)
		ts_article_list_set_error(out, "out of memory");
	return st;
}
