/*
 * output.h - print results: for people (with highlights), as JSON / JSON
 * Lines (versioned schema, see README), TSV, TREC run lines, paths, counts.
 */
#ifndef TS_OUTPUT_H
#define TS_OUTPUT_H

#include <stdio.h>

#include "search.h"

#define TS_JSON_FORMAT_VERSION 1

typedef enum out_format {
	OUT_HUMAN,
	OUT_JSON,
	OUT_JSONL,
	OUT_TSV,
	OUT_TREC,
	OUT_PATHS,
	OUT_COUNT,
} out_format_t;

typedef struct out_opts {
	out_format_t format;
	int color;           /* ANSI highlights */
	int nul;             /* -0: paths end with NUL */
	const char *prefix;  /* prepended to stored paths to make them relative to
	                      * the current folder ("" or "../..") */
	const char *run_tag; /* TREC run name */
} out_opts_t;

/*
 * Write the results of QUERY (with batch ID, or NULL) to F. Returns 0, or
 * -1 when a write failed (errno says why).
 */
int output_results(FILE *f, const out_opts_t *o, const char *id, const char *query,
                   const result_view_t *v, const search_opts_t *so);

/* Batch mode: the error object (JSON Lines) for a query that failed. */
int output_batch_error(FILE *f, const out_opts_t *o, const char *id, const char *query,
                       const char *error, int code);

#endif
