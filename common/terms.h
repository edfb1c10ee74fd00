/*
 * terms.h - how articles become Xapian terms: the conventions the indexer
 * writes and the searcher reads.
 *
 * Term scheme "stems-positional" (format 1): every word is indexed once,
 * as its stem, with its positions (as SQLite FTS5 does with a porter
 * tokenizer). Phrases and NEAR match on stems. Prefixed terms:
 *   S<stem>   title words (with positions)        title:
 *   A<stem>   author words (with positions)       author:
 *   P<path>   each folder holding the file, as a path relative to the
 *             root and each tail of it ("corpus/trade", "trade")   in:
 *   T<type>   text, html, xml, rss, atom           type:
 *   L<lang>   declared language                    lang:
 *   F<path>   the file the article came from (deleting a file deletes these);
 *             the unique id of a whole-file article
 *   Q<id>     unique id of an item of a feed or dump (path, "#", locator)
 * Value slot TS_SLOT_DATE holds the date as "YYYYMMDD" or "YYYYMMDDHHMMSS",
 * so that string order is date order. Value slot TS_SLOT_NAME holds the
 * path, a NUL and the item locator: all that --paths and TREC runs print,
 * readable without reading the whole document data.
 */
#ifndef TS_TERMS_H
#define TS_TERMS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TS_PREFIX_TITLE  "S"
#define TS_PREFIX_AUTHOR "A"
#define TS_PREFIX_FOLDER "P"
#define TS_PREFIX_TYPE   "T"
#define TS_PREFIX_LANG   "L"
#define TS_PREFIX_ID     "Q"
#define TS_PREFIX_FILE   "F"

#define TS_SLOT_DATE 0
#define TS_SLOT_NAME 1

/* Xapian refuses terms longer than 245 bytes. */
#define TS_TERM_MAX 240

/*
 * Make the term PREFIX + VALUE in OUT (cleared first). A term that would
 * be longer than TS_TERM_MAX keeps its first bytes and ends with a hash of
 * the whole value, so it stays unique and deterministic.
 */
ts_status_t ts_term_make(ts_buf_t *out, const char *prefix, const char *value, size_t len);

/*
 * Turn an ISO 8601 date ("2025-02-07", "2025-02-07T14:30:00Z") into the
 * sortable value ("20250207", "20250207143000") in OUT (at least 15 bytes).
 * Returns 0, or -1 when DATE does not start with a valid YYYY-MM-DD.
 */
int ts_date_value(const char *date, char *out, size_t outlen);

/* 64-bit FNV-1a hash of DATA/LEN (file signatures, long terms). */
unsigned long long ts_hash64(const void *data, size_t len);

/* 32-bit FNV-1a hash of DATA/LEN, never 0 (0 can mark an empty hash slot). */
uint32_t ts_hash32(const void *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
