/*
 * xapian_wrap.h - the C interface to Xapian, the one place tsearch meets C++.
 *
 * Opaque handles: a writer (one per index, for the indexer), a reader (for
 * the searcher), a document under construction, a parsed query and a
 * result set. Every call returns a ts_status_t and never lets a C++
 * exception escape. When a call on a handle fails, the message is kept on
 * that handle (ts_writer_error / ts_reader_error) until the next failing
 * call. A lock held by another writer is TS_ELOCKED; a database that changed
 * under a reader is TS_EMODIFIED (reopen and retry); a damaged database is
 * TS_ECORRUPT; a missing one TS_ENOENT.
 */
#ifndef TS_XAPIAN_WRAP_H
#define TS_XAPIAN_WRAP_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ts_writer ts_writer_t;
typedef struct ts_reader ts_reader_t;
typedef struct ts_doc ts_doc_t;
typedef struct ts_query ts_query_t;
typedef struct ts_mset ts_mset_t;

/* Called for each term of a list; return non-zero to stop. */
typedef int (*ts_term_fn)(void *ctx, const char *term, size_t len);

/* The Xapian library version string ("1.4.22"). */
const char *ts_xapian_version(void);

/* ====================================================================== */
/* Documents                                                               */
/* ====================================================================== */

/*
 * A document under construction. Documents are independent objects: one
 * thread may build a document while another thread writes others.
 */
ts_status_t ts_doc_new(ts_doc_t **out);
void ts_doc_free(ts_doc_t *doc);

/* Add TERM at POSITION (1-based), raising its within-document frequency by WDFINC. */
ts_status_t ts_doc_add_posting(ts_doc_t *doc, const char *term, size_t len, uint32_t position,
                               uint32_t wdfinc);
/* Add TERM without a position, raising its within-document frequency by WDFINC. */
ts_status_t ts_doc_add_term(ts_doc_t *doc, const char *term, size_t len, uint32_t wdfinc);
/* Add a boolean (filter) TERM: no positions, no frequency, no effect on length. */
ts_status_t ts_doc_add_boolean(ts_doc_t *doc, const char *term, size_t len);
ts_status_t ts_doc_set_value(ts_doc_t *doc, unsigned slot, const char *value, size_t len);
ts_status_t ts_doc_set_data(ts_doc_t *doc, const char *data, size_t len);
/*
 * Give DOC a record for the text store (textstore.h). The writer that adds
 * DOC appends the record to its text store file and where it went to the
 * document data: varint file, varint offset, varint length.
 */
ts_status_t ts_doc_set_texts(ts_doc_t *doc, const char *rec, size_t len);
/* Number of postings added so far (a measure of the memory the document holds). */
size_t ts_doc_postings(const ts_doc_t *doc);

/* ====================================================================== */
/* Writer                                                                  */
/* ====================================================================== */

enum {
	TS_WRITER_CREATE = 1,    /* create the database when missing */
	TS_WRITER_OVERWRITE = 2, /* start from an empty database */
	TS_WRITER_NO_SYNC = 4,   /* don't fsync (scratch shards merged later) */
};

/* A new writer handle, not yet open; free with ts_writer_free. */
ts_status_t ts_writer_new(ts_writer_t **out);
/* Open the glass database at PATH (a directory) for writing. */
ts_status_t ts_writer_open(ts_writer_t *w, const char *path, int flags);
/*
 * The text store file (textstore.h) W appends records to: 0 unless set
 * (the single writer of an index), the shard number + 1 for a shard.
 * Every commit first puts the records on disk and records the file's
 * committed length in the same commit.
 */
void ts_writer_set_texts_file(ts_writer_t *w, unsigned file);
/*
 * Close the writer. Changes made outside a transaction are committed; a
 * transaction still open is cancelled. Accepts NULL.
 */
void ts_writer_free(ts_writer_t *w);
/* The message of the last failure on W ("" when none); borrowed. */
const char *ts_writer_error(const ts_writer_t *w);

/* Group the following changes: they become visible and durable together. */
ts_status_t ts_writer_begin(ts_writer_t *w);
ts_status_t ts_writer_commit_tx(ts_writer_t *w);
ts_status_t ts_writer_cancel_tx(ts_writer_t *w);
/* Commit changes made outside a transaction. */
ts_status_t ts_writer_commit(ts_writer_t *w);

/* Add DOC as a new document (DOC stays owned by the caller, and unchanged). */
ts_status_t ts_writer_add(ts_writer_t *w, ts_doc_t *doc);
/* Replace the documents indexed by ID_TERM with DOC (adds it when none). */
ts_status_t ts_writer_replace(ts_writer_t *w, const char *id_term, size_t len, ts_doc_t *doc);
/* Delete every document indexed by TERM. */
ts_status_t ts_writer_delete(ts_writer_t *w, const char *term, size_t len);

ts_status_t ts_writer_set_metadata(ts_writer_t *w, const char *key, const char *value, size_t len);
/* *VALUE is malloc'd (caller frees), NUL-terminated; NULL/0 when the key is unset. */
ts_status_t ts_writer_get_metadata(ts_writer_t *w, const char *key, char **value, size_t *len);

/* Called for each metadata key; return non-zero to stop. */
typedef int (*ts_metadata_fn)(void *ctx, const char *key, size_t keylen, const char *value,
                              size_t valuelen);
/* Call FN for every metadata key starting with PREFIX, in key order. */
ts_status_t ts_writer_metadata_each(ts_writer_t *w, const char *prefix, ts_metadata_fn fn,
                                    void *ctx);

/* Add WORD to the spelling table with frequency FREQ. */
ts_status_t ts_writer_add_spelling(ts_writer_t *w, const char *word, size_t len, uint32_t freq);
/* Number of documents in the database. */
ts_status_t ts_writer_doccount(ts_writer_t *w, uint32_t *count);
/* Number of documents indexed by TERM. */
ts_status_t ts_writer_termfreq(ts_writer_t *w, const char *term, size_t len, uint32_t *freq);

/*
 * Merge the NSRC glass databases at SRCS into a new compacted database at
 * DST (which must not exist). Documents are renumbered one source after the
 * other. On failure a message is written to ERRBUF (ERRLEN bytes).
 */
ts_status_t ts_compact(const char *const *srcs, size_t nsrc, const char *dst, char *errbuf,
                       size_t errlen);

/* ====================================================================== */
/* Reader                                                                  */
/* ====================================================================== */

ts_status_t ts_reader_new(ts_reader_t **out);
/* Open the database at PATH (directory, or stub file listing shards). */
ts_status_t ts_reader_open(ts_reader_t *r, const char *path);
/* Open the database folder PATH (no stub in it), as the index writes it
 * (glass) without probing for other kinds first; any other kind too. */
ts_status_t ts_reader_open_folder(ts_reader_t *r, const char *path);
/* Move to the newest committed revision. */
ts_status_t ts_reader_reopen(ts_reader_t *r);
void ts_reader_free(ts_reader_t *r);
const char *ts_reader_error(const ts_reader_t *r);

ts_status_t ts_reader_get_metadata(ts_reader_t *r, const char *key, char **value, size_t *len);
/* As ts_writer_metadata_each, on a reader. */
ts_status_t ts_reader_metadata_each(ts_reader_t *r, const char *prefix, ts_metadata_fn fn,
                                    void *ctx);
ts_status_t ts_reader_doccount(ts_reader_t *r, uint32_t *count);
/* Sum of all document lengths (postings). */
ts_status_t ts_reader_total_length(ts_reader_t *r, uint64_t *total);
ts_status_t ts_reader_termfreq(ts_reader_t *r, const char *term, size_t len, uint32_t *freq);
/* Average document length, in postings. */
ts_status_t ts_reader_avglength(ts_reader_t *r, double *avg);
/* Length of document DOCID, and the within-document frequency of TERM in it. */
ts_status_t ts_reader_doclength(ts_reader_t *r, uint32_t docid, uint32_t *len);
ts_status_t ts_reader_wdf(ts_reader_t *r, uint32_t docid, const char *term, size_t len,
                          uint32_t *wdf);
/*
 * The positions of TERM in document DOCID, ascending: *POS is malloc'd
 * (caller frees), *N its length; NULL/0 when the term is not in the document.
 */
ts_status_t ts_reader_positions(ts_reader_t *r, uint32_t docid, const char *term, size_t len,
                                uint32_t **pos, size_t *n);

/* Call FN for each term of document DOCID that starts with PREFIX (wildcard hits). */
ts_status_t ts_reader_doc_terms(ts_reader_t *r, uint32_t docid, const char *prefix, size_t len,
                                ts_term_fn fn, void *ctx);
/* Call FN for each term of the index that starts with PREFIX, in term order
 * (what a wildcard expands to); FN returning nonzero stops. */
ts_status_t ts_reader_terms(ts_reader_t *r, const char *prefix, size_t len, ts_term_fn fn,
                            void *ctx);
/* Best spelling correction for WORD, or NULL (malloc'd, caller frees). */
ts_status_t ts_reader_spelling(ts_reader_t *r, const char *word, size_t len, char **suggestion);

/* ====================================================================== */
/* Queries                                                                 */
/* ====================================================================== */

/* The words Xapian's QueryParser reads as operators (in upper case; in any
 * case with TS_Q_ANY_CASE), NULL-terminated. */
extern const char *const ts_query_operators[];

/* Bits for ts_query_opts_t.flags. */
enum {
	TS_Q_BOOLEAN = 1,   /* AND OR NOT XOR, brackets */
	TS_Q_PHRASE = 2,    /* "quoted phrases" */
	TS_Q_LOVEHATE = 4,  /* +word -word */
	TS_Q_WILDCARD = 8,  /* prefix* */
	TS_Q_PURE_NOT = 16, /* NOT word alone */
	TS_Q_ANY_CASE = 64, /* and/or/not in lower case are operators too */
	TS_Q_PARSER = 128,  /* Xapian's QueryParser even for plain words (see ts_query_parse) */
};

/* A field prefix ("title" -> "S"); boolean fields filter, others rank. */
typedef struct ts_field {
	const char *name;   /* as typed: "title" */
	const char *prefix; /* term prefix: "S" */
	int boolean;        /* filter only (in:, type:) */
} ts_field_t;

typedef struct ts_query_opts {
	int default_and;          /* default operator: AND when non-zero, else OR */
	unsigned flags;           /* TS_Q_* */
	ts_stemmer_t *stemmer;    /* stems every word (NULL: none); used only during parse */
	const ts_field_t *fields; /* NFIELDS field prefixes */
	size_t nfields;
	int date_slot;          /* value slot of dates for date:A..B, or -1 */
	const char *date_field; /* "date" */
	unsigned max_wildcard;  /* most terms a wildcard expands to (0: no limit) */
	const char *const
	    *stopwords; /* NULL-terminated words to drop, or NULL; the reader keeps a stopper per
	                   list, so it must outlive the reader (a static list) */
} ts_query_opts_t;

/*
 * Parse QUERY/LEN with Xapian's QueryParser; a query of a simple form (plain
 * words, words joined by one AND or OR, one "phrase" or one prefix*: ASCII
 * letters and digits, no stopper) is made into the query the parser would
 * give without building one (unless TS_Q_PARSER). On TS_EQUERY the message
 * (ts_reader_error) says what is wrong. The query is tied to R's database
 * (for wildcards).
 */
ts_status_t ts_query_parse(ts_reader_t *r, const char *query, size_t len,
                           const ts_query_opts_t *opts, ts_query_t **out);
void ts_query_free(ts_query_t *q);
/* A readable form of the parsed query (borrowed from Q), for --explain. */
const char *ts_query_describe(const ts_query_t *q);
/* Are A and B the same query, down to their parameters (a wildcard's
 * expansion limit, which ts_query_describe does not show)? */
int ts_query_same(const ts_query_t *a, const ts_query_t *b);
/* Call FN for each distinct term of the query. */
void ts_query_terms(const ts_query_t *q, ts_term_fn fn, void *ctx);
/* Does the query hold nothing to search for? */
int ts_query_empty(const ts_query_t *q);

typedef enum ts_sort {
	TS_SORT_RELEVANCE = 0,
	TS_SORT_DATE_ASC,  /* oldest first, then relevance */
	TS_SORT_DATE_DESC, /* newest first, then relevance */
} ts_sort_t;

typedef struct ts_search_opts {
	uint32_t offset; /* hits to skip */
	uint32_t limit;  /* hits to return */
	ts_sort_t sort;
	int date_slot;           /* value slot for date sorting */
	double k1, b;            /* BM25 parameters (k1 <= 0: Xapian's defaults) */
	uint32_t check_at_least; /* documents to examine for a better estimate */
} ts_search_opts_t;

/* Run Q. The result set lives until ts_mset_free; R must outlive it. */
ts_status_t ts_reader_search(ts_reader_t *r, ts_query_t *q, const ts_search_opts_t *opts,
                             ts_mset_t **out);
void ts_mset_free(ts_mset_t *m);
size_t ts_mset_size(const ts_mset_t *m);
/* The number of documents TERM is in, as the search that made M counted it
 * (no lookup for a term of its query). */
ts_status_t ts_mset_termfreq(ts_reader_t *r, const ts_mset_t *m, const char *term, size_t len,
                             uint32_t *freq);
/* The document id of hit I (0 <= I < size), without reading the document. */
uint32_t ts_mset_docid(const ts_mset_t *m, size_t i);
/* Estimated number of matching documents, with bounds. */
void ts_mset_estimate(const ts_mset_t *m, uint32_t *estimate, uint32_t *lower, uint32_t *upper);

typedef struct ts_hit {
	uint32_t docid; /* document id (within the database opened) */
	uint32_t rank;  /* 0-based rank in the whole result list */
	double weight;  /* BM25 score */
	const char
	    *data; /* document data; borrowed from the mset, until the next call for this hit */
	size_t datalen;
} ts_hit_t;

/*
 * Pseudo-relevance feedback: take the first NREL hits of M (the result of
 * Q) as relevant, find the NTERMS terms that best tell them apart (Xapian's
 * expansion set, SCHEME "trad" or "bo1"; field and boolean terms and Q's own
 * terms left out), and make *OUT: Q with those terms added as optional,
 * weighted by WEIGHT. Optional: they rerank what Q matches, never widen
 * it, so filters and NOT keep their meaning. *OUT is a new query.
 */
ts_status_t ts_query_expand(ts_reader_t *r, ts_mset_t *m, const ts_query_t *q, unsigned nrel,
                            unsigned nterms, double weight, const char *scheme, ts_query_t **out);

/* Hit I (0 <= I < size), with its stored data. */
ts_status_t ts_mset_hit(ts_reader_t *r, ts_mset_t *m, size_t i, ts_hit_t *hit);
/*
 * As ts_mset_hit, but HIT->data holds value SLOT of the document instead of
 * its data (a small value is cheaper to read than the whole data).
 */
ts_status_t ts_mset_hit_value(ts_reader_t *r, ts_mset_t *m, size_t i, unsigned slot, ts_hit_t *hit);

/* The query terms hit I contains (wildcard expansions included). */
ts_status_t ts_mset_matching_terms(ts_reader_t *r, ts_mset_t *m, size_t i, ts_term_fn fn,
                                   void *ctx);

#ifdef __cplusplus
}
#endif

#endif
