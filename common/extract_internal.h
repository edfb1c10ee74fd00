/*
 * extract_internal.h - helpers the extractors share; not part of the
 * public interface (see extract.h).
 *
 * Dates (extract_date.c), charset conversion, libxml2 glue, text gathering
 * from a libxml2 tree and the HTML block walker (extract_html.c, which the
 * XML extractor reuses for the HTML inside feeds).
 */
#ifndef TS_EXTRACT_INTERNAL_H
#define TS_EXTRACT_INTERNAL_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "article.h"
#include "extract.h"
#include "status.h"
#include "utf8.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ====================================================================== */
/* Dates (extract_date.c)                                                 */
/* ====================================================================== */

/* Bytes ts_date_normalize needs in OUT: "YYYY-MM-DDTHH:MM:SS" and a NUL. */
#define TS_DATE_MAX 20

/*
 * Read the date IN/LEN (RFC 822, RFC 3339 / ISO 8601, "February 7, 2025",
 * "7 February 2025", "Feb 7, 2025", "20250207", "26-FEB-1987 15:01:01.79";
 * extract_date.c lists every form) and write it to OUT as "YYYY-MM-DD", or
 * "YYYY-MM-DDTHH:MM:SS" when a time is given (converted to UTC when a zone
 * is given, kept as written otherwise). OUTLEN must be at least
 * TS_DATE_MAX. Returns 0 on success; -1, with OUT empty, when IN is not a
 * date in one of those forms (or OUTLEN is too small).
 */
int ts_date_normalize(const char *in, size_t len, char *out, size_t outlen);

/* ====================================================================== */
/* Charsets (extract_html.c)                                              */
/* ====================================================================== */

/*
 * The charset label declared at the start of DATA/LEN (its first 8 KiB):
 * an XML declaration's encoding, else the first <meta> naming a charset
 * (<meta charset=X> or content="text/html; charset=X"). Returns 1 with the
 * label, lower-cased, in LABEL (at most MAX-1 bytes); 0 when none.
 */
int ts_charset_sniff(const char *data, size_t len, char *label, size_t max);

/*
 * As ts_charset_sniff, the XML declaration's encoding only: what an XML
 * document may declare (a <meta> inside one, say in a feed's CDATA, is
 * text, not a declaration).
 */
int ts_charset_declared(const char *data, size_t len, char *label, size_t max);

/*
 * Is LABEL a name that browsers decode as Windows-1252 (ISO-8859-1, Latin-1,
 * US-ASCII, cp1252 and their aliases; see the WHATWG Encoding Standard)?
 */
int ts_charset_is_cp1252(const char *label);

/* ====================================================================== */
/* libxml2 glue (extract_html.c)                                          */
/* ====================================================================== */

/*
 * What libxml2 reported during one parse, and the thread's previous error
 * handlers. libxml2 2.9 (built with threads, as Debian's is) keeps its error
 * callbacks per thread: ts_xml_diag_begin installs handlers that record
 * instead of printing, for the calling thread only, and ts_xml_diag_end
 * puts the previous ones back. Begin and end must pair on one thread;
 * pairs may nest (a feed item's HTML is parsed inside the feed's parse).
 */
typedef struct ts_xml_diag {
	unsigned max_depth; /* deepest element nesting accepted, the root being 1 */
	int too_deep;       /* the parse was stopped because max_depth was passed */
	int level;          /* xmlErrorLevel of the error kept; 0 when none */
	int code;           /* its xmlParserErrors code */
	int line;           /* its line (1-based); 0 when unknown */
	char msg[200];      /* its message: one line, no final newline */
	xmlStructuredErrorFunc saved_serror; /* the thread's handlers before begin */
	void *saved_sctx;
	xmlGenericErrorFunc saved_gerror;
	void *saved_gctx;
} ts_xml_diag_t;

/* Zero D, remember MAX_DEPTH and silence libxml2 on this thread. */
void ts_xml_diag_begin(ts_xml_diag_t *d, unsigned max_depth);

/* Restore the handlers ts_xml_diag_begin replaced. D's record stays. */
void ts_xml_diag_end(ts_xml_diag_t *d);

/*
 * Make the parser context CTXT (created by htmlNewParserCtxt when HTML is
 * set, xmlNewParserCtxt otherwise) stop as soon as an element nests deeper
 * than D->max_depth, setting D->too_deep. Uses CTXT->_private.
 */
void ts_xml_diag_attach(ts_xml_diag_t *d, xmlParserCtxtPtr ctxt, int html);

/* ====================================================================== */
/* Text from a libxml2 tree (extract_html.c)                              */
/* ====================================================================== */

/*
 * Entity policy for XML trees (parsed without XML_PARSE_NOENT, so declared
 * entities stay as reference nodes):
 *  - an internal general entity whose replacement text holds no markup and
 *    no further reference ("&company;" -> "ACME Corp.") is expanded, while
 *    the document's budget of expanded bytes lasts;
 *  - an undeclared entity (an XHTML file whose DTD was not loaded) is looked
 *    up among the HTML entities (&nbsp; &eacute; ...);
 *  - anything else (external entities, entities holding markup or nested
 *    references) is dropped: its text is never read, fetched or expanded.
 */
typedef struct ts_entity_budget {
	size_t left;  /* bytes entity expansion may still add to the document's text */
	int exceeded; /* an expansion was refused because left ran out */
} ts_entity_budget_t;

/* A growable string, NUL-terminated when s is not NULL. */
typedef struct ts_text {
	char *s;                  /* owned */
	size_t len;               /* bytes, without the NUL */
	size_t cap;               /* bytes allocated */
	int nomem;                /* an append failed: the text is incomplete */
	ts_entity_budget_t *ents; /* borrowed; NULL: declared entities are dropped */
} ts_text_t;

/* Append S/N to T (on failure sets T->nomem and leaves T as it was). */
void ts_text_add(ts_text_t *t, const char *s, size_t n);

/*
 * Append the text of NODE and its descendants to T: text and CDATA as they
 * are, entity references by the policy above, a space at the edges of
 * elements other than inline HTML ones (so "<first>Jo</first><last>Ng</last>"
 * reads "Jo Ng" and "<b>bo</b>ld" reads "bold"). Comments and processing
 * instructions are skipped; so are <script>, <style>, <noscript> and
 * <template> when SKIP_SCRIPTS is set. Iterative: any depth is safe.
 */
void ts_text_add_node(ts_text_t *t, const xmlNode *node, int skip_scripts);

/* Empty T, keeping its memory and budget. */
void ts_text_clear(ts_text_t *t);

/* Free T's memory and zero it (the budget pointer too). */
void ts_text_release(ts_text_t *t);

/*
 * The node after N in document order without leaving SCOPE: N's first child
 * when DOWN, else the next sibling of N or of its nearest ancestor that has
 * one; NULL when the walk would leave SCOPE. Walks iterate with it, so any
 * depth of nesting is safe.
 */
static inline const xmlNode *ts_node_next(const xmlNode *n, const xmlNode *scope, int down)
{
	if (down && n->children)
		return n->children;
	while (n != scope && !n->next)
		n = n->parent;
	if (!n || n == scope)
		return NULL;
	return n->next;
}

/* N's name without any "prefix:" (left by an unbound prefix); "" for none. */
const char *ts_node_local_name(const xmlNode *n);

/* Is N an element whose local name (after any "prefix:") is NAME, ignoring case? */
int ts_node_is(const xmlNode *n, const char *name);

/* ====================================================================== */
/* HTML blocks (extract_html.c)                                           */
/* ====================================================================== */

/*
 * Append the headings and paragraphs found under REGION (an element of an
 * HTML tree, or of an XML tree holding XHTML) to A, with the rules of
 * ts_extract_html: <p>, <li>, <blockquote>, <td>... are paragraphs, <h1>-<h6>
 * headings, loose text counts only when REGION holds no <p>, scripts,
 * navigation and other page furniture are skipped. A heading equal to
 * TITLE (may be NULL) is dropped. ENTS is the XML document's entity budget
 * (NULL for HTML trees). Invalid UTF-8 replaced is counted in LIST.
 */
ts_status_t ts_html_blocks(const xmlNode *region, const char *title, ts_entity_budget_t *ents,
                           ts_article_t *a, ts_article_list_t *list);

/*
 * Parse the UTF-8 HTML fragment HTML/LEN (the decoded text of an RSS
 * description or an Atom content of type "html") and append its blocks to
 * A as ts_html_blocks does. Returns TS_ETOOBIG (LIST->error set) when the
 * fragment nests deeper than MAX_DEPTH, TS_ENOMEM when out of memory.
 */
ts_status_t ts_extract_html_fragment(const char *html, size_t len, unsigned max_depth,
                                     const char *title, ts_article_t *a, ts_article_list_t *list);

/*
 * The text of the HTML fragment HTML/LEN, entities decoded and tags removed
 * (for feed titles that carry markup), appended to T; invalid bytes and
 * the depth limit reported in LIST as by ts_extract_html_fragment.
 */
ts_status_t ts_html_fragment_text(const char *html, size_t len, unsigned max_depth, ts_text_t *t,
                                  ts_article_list_t *list);

#ifdef __cplusplus
}
#endif

#endif
