/*
 * output.c - result printers (see output.h).
 */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "utf8.h"

#define ANSI_HIT   "\x1b[1;31m"
#define ANSI_TITLE "\x1b[1m"
#define ANSI_DIM   "\x1b[2m"
#define ANSI_OFF   "\x1b[0m"

/*
 * How a file name is written. A name may hold any byte but '/' and NUL:
 * people see control characters as '?' (an escape sequence in a name must
 * never reach the terminal); tables and run files keep one line per hit;
 * --paths writes the bytes as they are, for xargs.
 */
typedef enum name_mode {
	NAME_RAW,   /* as stored */
	NAME_HUMAN, /* control characters as '?' */
	NAME_FIELD, /* tabs and line breaks as spaces */
	NAME_TOKEN, /* white space as '_' (TREC document numbers) */
} name_mode_t;

/* The bytes each MODE writes as a stand-in, and that stand-in. */
static const struct {
	const char *bytes;
	char stand_in;
} name_modes[] = {
    [NAME_RAW] = {"", 0},
    [NAME_HUMAN] = {"\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
                    "\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f",
                    '?'},
    [NAME_FIELD] = {"\t\n\r", ' '},
    [NAME_TOKEN] = {" \t\n\r", '_'},
};

static void put_name(FILE *f, const char *s, name_mode_t mode)
{
	while (*s) {
		/* A run written as it is, then one byte written as its stand-in. */
		size_t n = strcspn(s, name_modes[mode].bytes);
		fwrite(s, 1, n, f);
		s += n;
		if (*s) {
			fputc(name_modes[mode].stand_in, f);
			s++;
		}
	}
}

/* The folder to put before D's path (relative to the index's root) so that
 * it is relative to where the command runs, or NULL. */
static const char *path_prefix(const out_opts_t *o, const ts_docdata_t *d)
{
	return o->prefix && *o->prefix && d->path[0] != '/' ? o->prefix : NULL;
}

/* Write the path of D as seen from the current folder. */
static void put_path(FILE *f, const out_opts_t *o, const ts_docdata_t *d, name_mode_t mode)
{
	const char *prefix = path_prefix(o, d);
	if (prefix) {
		fputs(prefix, f);
		fputc('/', f);
	}
	put_name(f, d->path, mode);
}

/* A JSON string of S: invalid UTF-8 (possible in a file name) as U+FFFD. */
static json_object *json_name(const char *s)
{
	char *clean = NULL;
	size_t n;
	if (ts_utf8_valid(s, strlen(s)) || ts_utf8_sanitize(s, strlen(s), &clean, &n, NULL))
		return json_object_new_string(s);
	json_object *j = json_object_new_string_len(clean, (int)n);
	free(clean);
	return j;
}

/* Print S with highlights: ANSI when COLOR, [brackets] otherwise. */
static void put_highlighted(FILE *f, const ts_snippet_t *s, int color, const char *base)
{
	size_t at = 0;
	for (size_t i = 0; i < s->nspans; i++) {
		fwrite(s->text.data + at, 1, s->spans[i].start - at, f);
		fputs(color ? ANSI_HIT : "[", f);
		fwrite(s->text.data + s->spans[i].start, 1, s->spans[i].end - s->spans[i].start, f);
		if (color) {
			fputs(ANSI_OFF, f);
			fputs(base, f);
		} else {
			fputc(']', f);
		}
		at = s->spans[i].end;
	}
	fwrite(s->text.data + at, 1, s->text.len - at, f);
}

/* N in decimal, as fprintf's "%u". */
static void put_uint(FILE *f, unsigned n)
{
	char text[24];
	fwrite(text, 1, ts_format_uint(text, n), f);
}

/* SCORE with DECIMALS decimals, as fprintf's "%.*f" (ts_format_fixed). */
static void put_score(FILE *f, double score, int decimals)
{
	char text[32];
	size_t n = ts_format_fixed(text, sizeof text, score, decimals);
	if (n < sizeof text)
		fwrite(text, 1, n, f);
	else
		fprintf(f, "%.*f", decimals, score);
}

static void human(FILE *f, const out_opts_t *o, const result_view_t *v, const search_opts_t *so)
{
	for (size_t i = 0; i < v->nhits; i++) {
		const hit_view_t *h = &v->hits[i];
		const ts_docdata_t *d = &h->doc;
		fprintf(f, "%2u. ", h->rank);
		if (o->color)
			fputs(ANSI_TITLE, f);
		if (h->title.text.len)
			put_highlighted(f, &h->title, o->color, o->color ? ANSI_TITLE : "");
		else
			fputs(*d->title ? d->title : "(untitled)", f);
		if (o->color)
			fputs(ANSI_OFF, f);
		fputs("\n    ", f);
		if (o->color)
			fputs(ANSI_DIM, f);
		if (*d->date)
			fprintf(f, "%.10s  ", d->date);
		put_path(f, o, d, NAME_HUMAN);
		if (*d->locator) {
			fputs(" [", f);
			put_name(f, d->locator, NAME_HUMAN);
			fputc(']', f);
		}
		fputs("  score ", f);
		put_score(f, h->score, 2);
		if (o->color)
			fputs(ANSI_OFF, f);
		fputc('\n', f);
		if (h->snippet.text.len) {
			fputs("    ", f);
			put_highlighted(f, &h->snippet, o->color, "");
			fputc('\n', f);
		}
		if (so->explain && h->explain.len) {
			const char *p = h->explain.data;
			while (*p) {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);
				fprintf(f, "      %.*s\n", (int)n, p);
				p += n + (nl ? 1 : 0);
			}
		}
		fputc('\n', f);
	}
	if (v->nhits)
		fprintf(f, "%zu of about %u results\n", v->nhits, v->total);
}

/*
 * Add KEY to object J: every key is a constant, and new in its object, so
 * json-c need neither copy it nor look for an existing one.
 */
static void add(json_object *j, const char *key, json_object *v)
{
	json_object_object_add_ex(j, key, v,
	                          JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_KEY_IS_CONSTANT);
}

static json_object *spans_json(const ts_snippet_t *s)
{
	json_object *a = json_object_new_array();
	for (size_t i = 0; i < s->nspans; i++) {
		json_object *r = json_object_new_array();
		json_object_array_add(r, json_object_new_int64((int64_t)s->spans[i].start));
		json_object_array_add(r, json_object_new_int64((int64_t)s->spans[i].end));
		json_object_array_add(a, r);
	}
	return a;
}

static json_object *str_or_null(const char *s)
{
	return (s && *s) ? json_object_new_string(s) : NULL;
}

static json_object *hit_json(const out_opts_t *o, const hit_view_t *h, const search_opts_t *so)
{
	const ts_docdata_t *d = &h->doc;
	json_object *j = json_object_new_object();
	add(j, "rank", json_object_new_int64(h->rank));
	/* Scores with four decimals: printed once, not by json-c's %.17g. */
	char score[32];
	ts_format_fixed(score, sizeof score, h->score, 4);
	add(j, "score", json_object_new_double_s(h->score, score));
	add(j, "title", json_object_new_string(d->title));
	if (so->snippets)
		add(j, "title_highlights", spans_json(&h->title));
	const char *prefix = path_prefix(o, d);
	if (prefix) {
		size_t n = strlen(prefix) + strlen(d->path) + 2;
		char *p = malloc(n);
		if (p) {
			snprintf(p, n, "%s/%s", prefix, d->path);
			add(j, "path", json_name(p));
			free(p);
		}
	} else {
		add(j, "path", json_name(d->path));
	}
	add(j, "locator", *d->locator ? json_name(d->locator) : NULL);
	add(j, "date", str_or_null(d->date));
	add(j, "author", str_or_null(d->author));
	add(j, "type", str_or_null(d->type));
	add(j, "language", str_or_null(d->language));
	add(j, "link", str_or_null(d->link));
	if (so->snippets) {
		add(j, "snippet",
		    json_object_new_string_len(h->snippet.text.data ? h->snippet.text.data : "",
		                               (int)h->snippet.text.len));
		add(j, "highlights", spans_json(&h->snippet));
	}
	if (so->explain)
		add(j, "explain", json_object_new_string(h->explain.data ? h->explain.data : ""));
	return j;
}

/* A new JSON object with what every answer starts with. */
static json_object *json_head(const char *id, const char *query)
{
	json_object *j = json_object_new_object();
	add(j, "format_version", json_object_new_int(TS_JSON_FORMAT_VERSION));
	if (id)
		add(j, "id", json_object_new_string(id));
	add(j, "query", json_object_new_string(query));
	return j;
}

/* Write J (pretty or on one line) and a newline to F, and free J. */
static void json_emit(FILE *f, json_object *j, int pretty)
{
	size_t len;
	const char *s = json_object_to_json_string_length(
	    j,
	    JSON_C_TO_STRING_NOSLASHESCAPE |
	        (pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN),
	    &len);
	fwrite(s, 1, len, f);
	fputc('\n', f);
	json_object_put(j);
}

static int json_out(FILE *f, const out_opts_t *o, const char *id, const char *query,
                    const result_view_t *v, const search_opts_t *so)
{
	json_object *j = json_head(id, query);
	add(j, "total", json_object_new_int64(v->total));
	add(j, "offset", json_object_new_int64(so->offset));
	if (v->corrected) {
		add(j, "did_you_mean", json_object_new_string(v->corrected));
		add(j, "corrected", json_object_new_boolean(v->used_corrected));
	}
	if (*v->note)
		add(j, "note", json_object_new_string(v->note));
	json_object *hits = json_object_new_array();
	for (size_t i = 0; i < v->nhits; i++)
		json_object_array_add(hits, hit_json(o, &v->hits[i], so));
	add(j, "hits", hits);
	json_emit(f, j, o->format == OUT_JSON);
	return 0;
}

static void tsv(FILE *f, const out_opts_t *o, const char *id, const result_view_t *v)
{
	for (size_t i = 0; i < v->nhits; i++) {
		const hit_view_t *h = &v->hits[i];
		if (id) {
			put_name(f, id, NAME_FIELD);
			fputc('\t', f);
		}
		put_uint(f, h->rank);
		fputc('\t', f);
		put_score(f, h->score, 4);
		fputc('\t', f);
		put_path(f, o, &h->doc, NAME_FIELD);
		fputc('\t', f);
		put_name(f, h->doc.locator, NAME_FIELD);
		fputc('\t', f);
		put_name(f, h->doc.date, NAME_FIELD);
		fputc('\t', f);
		put_name(f, h->doc.title, NAME_FIELD);
		fputc('\t', f);
		if (h->snippet.text.len)
			put_name(f, h->snippet.text.data, NAME_FIELD);
		fputc('\n', f);
	}
}

/* TREC run format: QID Q0 DOCNO RANK SCORE TAG (DOCNO without white space). */
static void trec(FILE *f, const out_opts_t *o, const char *id, const result_view_t *v)
{
	for (size_t i = 0; i < v->nhits; i++) {
		const hit_view_t *h = &v->hits[i];
		fprintf(f, "%s Q0 ", id ? id : "1");
		put_name(f, h->doc.path, NAME_TOKEN);
		if (*h->doc.locator) {
			fputc('#', f);
			put_name(f, h->doc.locator, NAME_TOKEN);
		}
		fprintf(f, " %u %.6f %s\n", h->rank, h->score, o->run_tag ? o->run_tag : "tsearch");
	}
}

static void paths(FILE *f, const out_opts_t *o, const result_view_t *v)
{
	for (size_t i = 0; i < v->nhits; i++) {
		/* Items of one feed share a path: print it once. */
		int dup = 0;
		for (size_t j = 0; j < i && !dup; j++)
			dup = !strcmp(v->hits[j].doc.path, v->hits[i].doc.path);
		if (dup)
			continue;
		put_path(f, o, &v->hits[i].doc, NAME_RAW);
		fputc(o->nul ? '\0' : '\n', f);
	}
}

int output_results(FILE *f, const out_opts_t *o, const char *id, const char *query,
                   const result_view_t *v, const search_opts_t *so)
{
	switch (o->format) {
	case OUT_HUMAN:
		human(f, o, v, so);
		break;
	case OUT_JSON:
	case OUT_JSONL:
		json_out(f, o, id, query, v, so);
		break;
	case OUT_TSV:
		tsv(f, o, id, v);
		break;
	case OUT_TREC:
		trec(f, o, id, v);
		break;
	case OUT_PATHS:
		paths(f, o, v);
		break;
	case OUT_COUNT:
		if (id)
			fprintf(f, "%s\t", id);
		fprintf(f, "%u\n", v->total);
		break;
	}
	return ferror(f) ? -1 : 0;
}

int output_batch_error(FILE *f, const out_opts_t *o, const char *id, const char *query,
                       const char *error, int code)
{
	if (o->format != OUT_JSON && o->format != OUT_JSONL)
		return 0;
	json_object *j = json_head(id, query);
	add(j, "error", json_object_new_string(error));
	add(j, "exit_code", json_object_new_int(code));
	json_emit(f, j, 0);
	return ferror(f) ? -1 : 0;
}
