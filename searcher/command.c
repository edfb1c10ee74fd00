/*
 * command.c - the query command: options, single queries, batch mode.
 *
 *   tsearch query [options] QUERY...
 *   tsearch query [options] --batch FILE|-
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "article.h"
#include "buf.h"
#include "cli.h"
#include "indexdir.h"
#include "output.h"
#include "path.h"
#include "command.h"
#include "search.h"

#define DEFAULT_LIMIT   10
#define DEFAULT_SNIPPET 200
#define MAX_LIMIT       100000

typedef struct options {
	const char *index;
	const char *batch;
	search_opts_t search;
	out_opts_t out;
	int color_mode; /* 0 auto, 1 always, -1 never */
} options_t;

static void usage(FILE *f)
{
	fputs("usage: tsearch query [options] QUERY...\n"
	      "       tsearch query [options] --batch FILE|-\n"
	      "\n"
	      "Search the index (found in .tsearch here or in a folder above).\n"
	      "\n"
	      "query language: words (stemmed), \"exact phrase\", AND OR NOT, -word +word,\n"
	      "  (brackets), NEAR ADJ, prefix*, title:WORD author:WORD in:FOLDER type:html\n"
	      "  lang:en, date:2025-01-01..2025-03-31, date:2025, date:2025-02, date:..2024\n"
	      "\n"
	      "  --index PATH          index to search (default: found from here, or "
	      "$TSEARCH_INDEX)\n"
	      "  -n, --limit N         results to show (default 10)\n"
	      "      --offset K        skip the first K results\n"
	      "      --any             match any word (default)\n"
	      "      --all             match every word\n"
	      "      --sort ORDER      relevance (default), date (oldest first), -date (newest)\n"
	      "      --json            one JSON object\n"
	      "      --jsonl           JSON Lines (one line per query)\n"
	      "      --format FMT      human, json, jsonl, tsv, trec\n"
	      "      --count           print the number of matches only\n"
	      "      --paths           print matching paths only, one per line\n"
	      "  -0, --null            with --paths: end paths with NUL (for xargs -0)\n"
	      "      --batch FILE      one query per line (or ID<TAB>QUERY); - for stdin\n"
	      "      --snippet-length N  about N bytes of snippet (default 200; 0 for none)\n"
	      "      --context N       show N more passages per result\n"
	      "      --explain         show how each term scored\n"
	      "      --spelling        run the corrected query when nothing matches\n"
	      "      --color[=WHEN]    highlight with colors: auto (default), always, never\n"
	      "      --bm25 K1,B       BM25 parameters (default 1.2,0.75)\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "exit codes: 0 results found, 1 no results, 2 bad option or query,\n"
	      "3 index missing or unusable, 4 output error\n",
	      f);
}

static int parse_uint(const char *s, const char *what, uint32_t max, uint32_t *out)
{
	unsigned long v;
	if (ts_parse_uint(s, 0, max, &v)) {
		ts_error("invalid %s '%s'", what, s);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_options(int argc, char **argv, options_t *o)
{
	enum {
		OPT_INDEX = 256,
		OPT_OFFSET,
		OPT_ANY,
		OPT_ALL,
		OPT_SORT,
		OPT_JSON,
		OPT_JSONL,
		OPT_FORMAT,
		OPT_COUNT,
		OPT_PATHS,
		OPT_BATCH,
		OPT_SNIPPET,
		OPT_CONTEXT,
		OPT_EXPLAIN,
		OPT_SPELLING,
		OPT_COLOR,
		OPT_BM25,
		OPT_TAG,
		OPT_EXPAND,
		OPT_NO_EXPAND,
		OPT_FEEDBACK,
		OPT_NO_STOP,
	};
	static const struct option longopts[] = {
	    {"index", required_argument, NULL, OPT_INDEX},
	    {"limit", required_argument, NULL, 'n'},
	    {"offset", required_argument, NULL, OPT_OFFSET},
	    {"any", no_argument, NULL, OPT_ANY},
	    {"all", no_argument, NULL, OPT_ALL},
	    {"sort", required_argument, NULL, OPT_SORT},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"jsonl", no_argument, NULL, OPT_JSONL},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"count", no_argument, NULL, OPT_COUNT},
	    {"paths", no_argument, NULL, OPT_PATHS},
	    {"null", no_argument, NULL, '0'},
	    {"batch", required_argument, NULL, OPT_BATCH},
	    {"snippet-length", required_argument, NULL, OPT_SNIPPET},
	    {"context", required_argument, NULL, OPT_CONTEXT},
	    {"explain", no_argument, NULL, OPT_EXPLAIN},
	    {"spelling", no_argument, NULL, OPT_SPELLING},
	    {"color", optional_argument, NULL, OPT_COLOR},
	    {"colour", optional_argument, NULL, OPT_COLOR},
	    {"bm25", required_argument, NULL, OPT_BM25},
	    {"run-tag", required_argument, NULL, OPT_TAG},
	    {"expand", no_argument, NULL, OPT_EXPAND},
	    {"no-expand", no_argument, NULL, OPT_NO_EXPAND},
	    {"feedback", required_argument, NULL, OPT_FEEDBACK},
	    {"no-stopwords", no_argument, NULL, OPT_NO_STOP},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof *o);
	o->search.limit = DEFAULT_LIMIT;
	o->search.snippet_length = DEFAULT_SNIPPET;
	o->search.snippets = 1;
	o->search.title_marks = 1;
	o->search.k1 = 1.2;
	o->search.b = 0.75;
	o->search.expand = -1;
	o->search.stopwords = 1;
	o->search.fb_docs = 15;
	o->search.fb_terms = 30;
	o->search.fb_weight = 0.4;
	o->search.fb_scheme = "trad";
	o->out.format = OUT_HUMAN;
	int c;
	uint32_t v;
	while ((c = getopt_long(argc, argv, "n:0h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_INDEX:
			o->index = optarg;
			break;
		case 'n':
			if (parse_uint(optarg, "--limit", MAX_LIMIT, &o->search.limit))
				return -1;
			break;
		case OPT_OFFSET:
			if (parse_uint(optarg, "--offset", UINT32_MAX / 2, &o->search.offset))
				return -1;
			break;
		case OPT_ANY:
			o->search.default_and = 0;
			break;
		case OPT_ALL:
			o->search.default_and = 1;
			break;
		case OPT_SORT:
			if (!strcmp(optarg, "relevance"))
				o->search.sort = TS_SORT_RELEVANCE;
			else if (!strcmp(optarg, "date") || !strcmp(optarg, "+date"))
				o->search.sort = TS_SORT_DATE_ASC;
			else if (!strcmp(optarg, "-date"))
				o->search.sort = TS_SORT_DATE_DESC;
			else {
				ts_error("invalid --sort '%s': expected relevance, date or -date",
				         optarg);
				return -1;
			}
			break;
		case OPT_JSON:
			o->out.format = OUT_JSON;
			break;
		case OPT_JSONL:
			o->out.format = OUT_JSONL;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "human"))
				o->out.format = OUT_HUMAN;
			else if (!strcmp(optarg, "json"))
				o->out.format = OUT_JSON;
			else if (!strcmp(optarg, "jsonl"))
				o->out.format = OUT_JSONL;
			else if (!strcmp(optarg, "tsv"))
				o->out.format = OUT_TSV;
			else if (!strcmp(optarg, "trec"))
				o->out.format = OUT_TREC;
			else {
				ts_error("invalid --format '%s': expected human, json, jsonl, tsv "
				         "or trec",
				         optarg);
				return -1;
			}
			break;
		case OPT_COUNT:
			o->out.format = OUT_COUNT;
			break;
		case OPT_PATHS:
			o->out.format = OUT_PATHS;
			break;
		case '0':
			o->out.nul = 1;
			break;
		case OPT_BATCH:
			o->batch = optarg;
			break;
		case OPT_SNIPPET:
			if (parse_uint(optarg, "--snippet-length", 100000, &v))
				return -1;
			o->search.snippet_length = v;
			o->search.snippets = v > 0;
			break;
		case OPT_CONTEXT:
			if (parse_uint(optarg, "--context", 100, &v))
				return -1;
			o->search.context = v;
			break;
		case OPT_EXPLAIN:
			o->search.explain = 1;
			break;
		case OPT_SPELLING:
			o->search.spelling = 1;
			break;
		case OPT_COLOR:
			if (!optarg || !strcmp(optarg, "always"))
				o->color_mode = 1;
			else if (!strcmp(optarg, "never"))
				o->color_mode = -1;
			else if (!strcmp(optarg, "auto"))
				o->color_mode = 0;
			else {
				ts_error("invalid --color '%s': expected auto, always or never",
				         optarg);
				return -1;
			}
			break;
		case OPT_BM25: {
			const char *rest;
			double k1, b;
			if (ts_parse_real(optarg, &rest, &k1) || *rest != ',' ||
			    ts_parse_real(rest + 1, NULL, &b) || k1 <= 0 || b < 0 || b > 1) {
				ts_error("invalid --bm25 '%s': expected K1,B with K1 > 0 and 0 <= "
				         "B <= 1",
				         optarg);
				return -1;
			}
			o->search.k1 = k1;
			o->search.b = b;
			break;
		}
		case OPT_EXPAND:
			o->search.expand = 1;
			break;
		case OPT_NO_STOP:
			o->search.stopwords = 0;
			break;
		case OPT_NO_EXPAND:
			o->search.expand = 0;
			break;
		case OPT_FEEDBACK: {
			/* DOCS,TERMS,WEIGHT[,SCHEME]: for tuning with the evaluation */
			unsigned d, t;
			double w;
			static char scheme[8] = "trad";
			int n = sscanf(optarg, "%u,%u,%lf,%7s", &d, &t, &w, scheme);
			if (n < 3 || d > 1000 || t > 1000 || w < 0 ||
			    (strcmp(scheme, "trad") && strcmp(scheme, "bo1"))) {
				ts_error("invalid --feedback '%s': expected "
				         "DOCS,TERMS,WEIGHT[,trad|bo1]",
				         optarg);
				return -1;
			}
			o->search.fb_docs = d;
			o->search.fb_terms = t;
			o->search.fb_weight = w;
			o->search.fb_scheme = scheme;
			break;
		}
		case OPT_TAG:
			o->out.run_tag = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(ts_stdout_close());
		default:
			usage(stderr);
			return -1;
		}
	}
	/* A better spelling costs lookups in the spelling table: it is looked
	 * up where a person sees it (one query's human or JSON output, not a
	 * batch), or when --spelling may run it. */
	o->search.suggest = o->search.spelling || (!o->batch && (o->out.format == OUT_HUMAN ||
	                                                         o->out.format == OUT_JSON ||
	                                                         o->out.format == OUT_JSONL));
	/* Formats that show no snippet need none built, and TSV shows the
	 * title plain. */
	if (o->out.format == OUT_TREC || o->out.format == OUT_PATHS || o->out.format == OUT_COUNT)
		o->search.snippets = 0;
	if (o->out.format == OUT_TSV)
		o->search.title_marks = 0;
	o->search.names_only =
	    !o->search.explain && (o->out.format == OUT_TREC || o->out.format == OUT_PATHS);
	if (o->out.format == OUT_COUNT) {
		o->search.limit = 0;
		o->search.exact_count = 1;
	}
	return 0;
}

/* Clean TEXT for echoing in JSON (valid UTF-8, no control characters). */
static char *clean_copy(const char *text, size_t len)
{
	char *s = NULL;
	if (ts_article_set(&s, text, len, NULL) != TS_OK || !s)
		return strdup("");
	return s;
}

static int report_query_error(const char *query, ts_status_t st, const char *err)
{
	(void)query;
	if (st == TS_EQUERY || st == TS_ETOOBIG) {
		ts_error("bad query: %s", err);
		return TS_EXIT_USAGE;
	}
	ts_error("search failed: %s", *err ? err : ts_status_str(st));
	return ts_exit_code(st);
}

/*
 * A single query's process ends as soon as its output is out, without
 * taking down what it built (the index's tables and caches, the results,
 * the stemmer) or running the libraries' exit handlers: the system reclaims
 * it all at once, and taking it down cost 3% of a query run as a process
 * of its own (bench/RESULTS.md, 2026-11-30 09:05). Builds with
 * AddressSanitizer take everything down, so that its leak check still
 * covers every path.
 */
static void end_process(int rc)
{
#ifndef __SANITIZE_ADDRESS__
	_exit(rc);
#else
	(void)rc;
#endif
}

/* The searcher of a single query, which end_process leaves to the system:
 * held here, it stays reachable to the end (a leak checker such as
 * valgrind's sees memory still held, not lost, once the optimizer no
 * longer keeps the caller's pointer). */
static searcher_t *volatile single_searcher;

static int run_single(searcher_t *s, options_t *o, const char *query)
{
	single_searcher = s;
	result_view_t v;
	char err[512] = "";
	ts_status_t st = searcher_run(s, query, strlen(query), &o->search, &v, err, sizeof err);
	if (st)
		return report_query_error(query, st, err);
	if (*v.note)
		ts_note("%s", v.note);
	int rc = v.total || v.nhits ? TS_EXIT_OK : TS_EXIT_NOMATCH;
	char *echo = clean_copy(query, strlen(query));
	if (output_results(stdout, &o->out, NULL, echo, &v, &o->search) && !ts_stdout_broken())
		rc = TS_EXIT_IO;
	free(echo);
	if (v.corrected && !v.used_corrected && o->out.format == OUT_HUMAN)
		ts_note("did you mean: %s", v.corrected);
	else if (v.used_corrected)
		ts_note("showing results for: %s", v.corrected);
	if (!v.total && !v.nhits && o->out.format == OUT_HUMAN)
		ts_note("no results for '%s'", query);
	int out = ts_stdout_close();
	end_process(out ? out : rc);
	result_view_release(&v);
	return out ? out : rc;
}

/* One line of a batch: "ID<TAB>QUERY" or "QUERY" (ID = line number). */
static int run_batch(searcher_t *s, options_t *o)
{
	FILE *in = stdin;
	if (strcmp(o->batch, "-") != 0) {
		in = fopen(o->batch, "r");
		if (!in) {
			ts_error("cannot open batch file '%s': %s", o->batch, strerror(errno));
			return TS_EXIT_USAGE;
		}
	}
	if (o->out.format == OUT_HUMAN || o->out.format == OUT_JSON)
		o->out.format = OUT_JSONL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int rc = TS_EXIT_OK;
	while ((n = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n)
			continue;
		char idbuf[32];
		const char *id = idbuf;
		const char *query = line;
		char *tab = memchr(line, '\t', (size_t)n);
		if (tab) {
			*tab = '\0';
			id = line;
			query = tab + 1;
		} else {
			snprintf(idbuf, sizeof idbuf, "%lu", lineno);
		}
		/* The line's own length: a NUL byte in it is a character to clean,
		 * not the end of the query. */
		size_t qlen = (size_t)n - (size_t)(query - line);
		char *cid = clean_copy(id, strlen(id));
		char *cquery = clean_copy(query, qlen);
		result_view_t v;
		char err[512] = "";
		ts_status_t st = searcher_run(s, query, qlen, &o->search, &v, err, sizeof err);
		int werr;
		if (st == TS_EQUERY || st == TS_ETOOBIG) {
			werr = output_batch_error(stdout, &o->out, cid, cquery, err, TS_EXIT_USAGE);
		} else if (st) {
			/* The index itself failed: no later query can do better. */
			free(cid);
			free(cquery);
			rc = report_query_error(query, st, err);
			break;
		} else {
			werr = output_results(stdout, &o->out, cid, cquery, &v, &o->search);
			result_view_release(&v);
		}
		free(cid);
		free(cquery);
		if (werr) {
			if (!ts_stdout_broken())
				rc = TS_EXIT_IO;
			break;
		}
	}
	if (ferror(in) && rc == TS_EXIT_OK) {
		ts_error("cannot read batch file '%s': %s", o->batch, strerror(errno));
		rc = TS_EXIT_IO;
	}
	free(line);
	if (in != stdin)
		fclose(in);
	int out = ts_stdout_close();
	return out ? out : rc;
}

/* The prefix that turns stored paths (relative to the root) into paths from here. */
static char *path_prefix(const char *index)
{
	char *root = NULL, *cwd_abs = NULL, *rel = NULL;
	if (ts_indexdir_root(index, &root) || ts_path_absolute(".", &cwd_abs) ||
	    ts_path_relative(cwd_abs, root, &rel)) {
		free(root);
		free(cwd_abs);
		return strdup("");
	}
	free(root);
	free(cwd_abs);
	if (!strcmp(rel, ".")) {
		free(rel);
		return strdup("");
	}
	return rel;
}

int tsearch_query_main(int argc, char **argv)
{
	ts_cli_init();
	options_t o;
	if (parse_options(argc, argv, &o))
		return TS_EXIT_USAGE;
	ts_buf_t query = {0};
	for (int i = optind; i < argc; i++) {
		if (query.len)
			ts_buf_puts(&query, " ");
		ts_buf_puts(&query, argv[i]);
	}
	if (!o.batch && !query.len) {
		ts_error("no query (usage: tsearch query QUERY, or --batch FILE)");
		return TS_EXIT_USAGE;
	}
	if (o.batch && query.len) {
		ts_error("give either a query or --batch, not both");
		ts_buf_release(&query);
		return TS_EXIT_USAGE;
	}

	const char *no_color = getenv("NO_COLOR");
	int tty = isatty(STDOUT_FILENO);
	o.out.color = o.color_mode > 0 || (o.color_mode == 0 && tty && !(no_color && *no_color));
	/* One query's results leave in one write. Into a pipe or a file, from
	 * a buffer of ours: stdio then skips the look at stdout it takes before
	 * its first write (an fstat and a terminal check). A terminal keeps its
	 * line buffering, so that notes on stderr come after the results. */
	static char outbuf[16384];
	if (!o.batch && !tty)
		setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);

	char *index = NULL;
	ts_status_t st = ts_indexdir_find(o.index, &index);
	if (st) {
		ts_error("no index found (looked for '%s' here and in the folders above; run "
		         "'tsearch index DIR' first)",
		         TS_INDEX_DIRNAME);
		ts_buf_release(&query);
		return TS_EXIT_INDEX;
	}
	char *prefix = path_prefix(index);
	o.out.prefix = prefix;
	searcher_t *s = NULL;
	char *err = NULL;
	st = searcher_open(index, &s, &err);
	int rc;
	if (st) {
		ts_error("%s", err ? err : ts_status_str(st));
		rc = ts_exit_code(st) == TS_EXIT_USAGE ? TS_EXIT_INDEX : ts_exit_code(st);
		if (st == TS_ECORRUPT || st == TS_EVERSION || st == TS_ENOENT)
			rc = TS_EXIT_INDEX;
	} else if (o.batch) {
		rc = run_batch(s, &o);
	} else {
		rc = run_single(s, &o, query.data);
	}
	free(err);
	searcher_free(s);
	free(prefix);
	free(index);
	ts_buf_release(&query);
	return rc;
}
