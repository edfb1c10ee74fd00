/*
 * extract.h - turn the bytes of a file into articles.
 *
 * One entry point per format, plus format detection. Extractors are pure:
 * they read only the bytes they are given (never the network, never another
 * file, never an external entity), keep no global state, and are safe to call
 * from several threads at once once ts_extract_init() has run.
 */
#ifndef TS_EXTRACT_H
#define TS_EXTRACT_H

#include <stddef.h>

#include "article.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ts_format {
	TS_FORMAT_NONE = 0, /* not a document: binary, empty, or unknown type */
	TS_FORMAT_TEXT,     /* plain text article (.txt, .text, .md) */
	TS_FORMAT_HTML,     /* HTML or XHTML page */
	TS_FORMAT_XML       /* XML: article, news dump, RSS or Atom feed */
} ts_format_t;

/* Limits that bound the work and memory spent on one file. */
typedef struct ts_extract_limits {
	unsigned max_depth;  /* deepest element nesting accepted (XML/HTML) */
	size_t max_articles; /* most articles taken from one file */
} ts_extract_limits_t;

#define TS_EXTRACT_MAX_DEPTH_DEFAULT    256
#define TS_EXTRACT_MAX_ARTICLES_DEFAULT 100000

/* Once per process, before any thread calls an extractor (libxml2 setup). */
void ts_extract_init(void);
/* At exit: free libxml2's global state (keeps leak checkers quiet). */
void ts_extract_cleanup(void);

/* The bytes at the start of a file that ts_format_detect looks at. */
#define TS_FORMAT_SNIFF_BYTES 4096

/*
 * Decide the format of a file from its name PATH and its first bytes
 * DATA/LEN (the whole file or at least its first TS_FORMAT_SNIFF_BYTES). Files with a known
 * extension are still sniffed: a ".txt" holding NUL bytes is TS_FORMAT_NONE.
 * Files without a known extension are taken only when the content is clearly
 * text, HTML or XML. Empty files are TS_FORMAT_NONE.
 */
ts_format_t ts_format_detect(const char *path, const char *data, size_t len);

/* "text", "html", "xml" or "none". */
const char *ts_format_name(ts_format_t format);

/*
 * Extract the articles of DATA/LEN, in FORMAT, appending them to OUT.
 * LIMITS may be NULL for the defaults. Returns TS_OK when the file was
 * readable (possibly yielding zero articles), TS_EPARSE with OUT->error set
 * when it was not, TS_ETOOBIG when a limit was hit (OUT->error says which),
 * TS_ENOMEM on allocation failure. On failure OUT may hold articles that were
 * completed before the problem; the caller decides whether to keep them.
 */
ts_status_t ts_extract(ts_format_t format, const char *data, size_t len,
                       const ts_extract_limits_t *limits, ts_article_list_t *out);

ts_status_t ts_extract_text(const char *data, size_t len, const ts_extract_limits_t *limits,
                            ts_article_list_t *out);
ts_status_t ts_extract_html(const char *data, size_t len, const ts_extract_limits_t *limits,
                            ts_article_list_t *out);
ts_status_t ts_extract_xml(const char *data, size_t len, const ts_extract_limits_t *limits,
                           ts_article_list_t *out);

#ifdef __cplusplus
}
#endif

#endif
