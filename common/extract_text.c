/*
 * extract_text.c - plain-text articles.
 *
 * The form, as news sites export it and as the project's seed article has it:
 *
 *   Title line
 *   | By Name |            (optional byline: "By Name" or "| By Name |")
 *   March 3, 2025          (optional date line, in any form ts_date_normalize reads)
 *   Heading                (short line without closing punctuation)
 *   Paragraph ...          (one per line, or hard-wrapped and separated by
 *                           blank lines)
 *
 * The text may be UTF-8 (with or without a BOM), UTF-16 with a BOM, or a
 * legacy 8-bit text, read as Windows-1252 when it holds no valid UTF-8
 * multi-byte sequence at all. Markdown headings ("# Title") lose their
 * hashes.
 */
#include "extract.h"
#include "extract_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* Longest line taken as a title, heading or byline, in bytes. */
#define TITLE_MAX     300
#define HEADING_MAX   160
#define HEADING_WORDS 20
/* Lines no longer than this, joined in blocks, mean hard-wrapped text. */
#define WRAP_WIDTH    100

/* ====================================================================== */
/* Decoding to UTF-8                                                       */
/* ====================================================================== */

/* UTF-16 (BOM at D[0..1]) to a new UTF-8 buffer; lone surrogates become U+FFFD. */
static char *from_utf16(const unsigned char *d, size_t len, size_t *outlen)
{
	int be = d[0] == 0xfe;
	char *out = malloc((len / 2) * 3 + 4);
	if (!out)
		return NULL;
	size_t n = 0;
	for (size_t i = 2; i + 1 < len; i += 2) {
		uint32_t u =
		    be ? (uint32_t)(d[i] << 8 | d[i + 1]) : (uint32_t)(d[i + 1] << 8 | d[i]);
		uint32_t cp = u;
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < len) {
			uint32_t lo = be ? (uint32_t)(d[i + 2] << 8 | d[i + 3])
			                 : (uint32_t)(d[i + 3] << 8 | d[i + 2]);
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
		}
		n += ts_utf8_put(out + n, cp);
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

/*
 * Classify D/LEN: does it hold invalid UTF-8, and does it hold at least one
 * valid multi-byte sequence?
 */
static void scan_utf8(const unsigned char *d, size_t len, int *invalid, int *multibyte)
{
	*invalid = *multibyte = 0;
	size_t i = 0;
	while (i < len) {
		if (d[i] < 0x80) {
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(d + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0) {
			*invalid = 1;
			i++;
		} else {
			*multibyte = 1;
			i += (size_t)k;
		}
		if (*invalid && *multibyte)
			return;
	}
}

/* ====================================================================== */
/* Lines                                                                   */
/* ====================================================================== */

typedef struct line {
	const char *p; /* first byte, after leading white space */
	size_t len;    /* bytes, without trailing white space and line end */
} line_t;

static int is_blank_byte(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Split TEXT into trimmed lines; *OUT is malloc'd. */
static ts_status_t split_lines(const char *text, size_t len, line_t **out, size_t *count)
{
	size_t cap = 64, n = 0;
	line_t *lines = malloc(cap * sizeof *lines);
	if (!lines)
		return TS_ENOMEM;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t a = i, b = end;
		while (a < b && is_blank_byte(text[a]))
			a++;
		while (b > a && is_blank_byte(text[b - 1]))
			b--;
		if (n == cap) {
			cap *= 2;
			line_t *l = realloc(lines, cap * sizeof *l);
			if (!l) {
				free(lines);
				return TS_ENOMEM;
			}
			lines = l;
		}
		lines[n].p = text + a;
		lines[n].len = b - a;
		n++;
		i = end + 1;
	}
	*out = lines;
	*count = n;
	return TS_OK;
}

/* Strip Markdown heading hashes ("## Heading"); returns whether there were any. */
static int strip_hashes(line_t *l)
{
	size_t i = 0;
	while (i < l->len && i < 6 && l->p[i] == '#')
		i++;
	if (!i || i >= l->len || l->p[i] != ' ')
		return 0;
	while (i < l->len && l->p[i] == ' ')
		i++;
	l->p += i;
	l->len -= i;
	return 1;
}

static size_t count_words(const line_t *l)
{
	size_t words = 0;
	int in = 0;
	for (size_t i = 0; i < l->len; i++) {
		int space = l->p[i] == ' ' || l->p[i] == '\t';
		if (!space && !in)
			words++;
		in = !space;
	}
	return words;
}

/* Does the line end like a sentence (or a quotation, or a list item)? */
static int ends_sentence(const line_t *l)
{
	static const char *const endings[] = {".",
	                                      "!",
	                                      "?",
	                                      ":",
	                                      ";",
	                                      ",",
	                                      "\"",
	                                      "\xe2\x80\x9d" /* ” */,
	                                      "\xe2\x80\xa6" /* … */,
	                                      "\xe2\x80\x99" /* ’ */,
	                                      NULL};
	for (const char *const *e = endings; *e; e++) {
		size_t n = strlen(*e);
		if (l->len >= n && !memcmp(l->p + l->len - n, *e, n))
			return 1;
	}
	return 0;
}

/* Is the line a bare web address? */
static int is_url(const line_t *l)
{
	if (l->len < 10 || l->len > 2000 || memchr(l->p, ' ', l->len))
		return 0;
	return !strncmp(l->p, "http://", 7) || !strncmp(l->p, "https://", 8);
}

static int looks_like_heading(const line_t *l)
{
	return l->len && l->len <= HEADING_MAX && count_words(l) <= HEADING_WORDS &&
	       !ends_sentence(l);
}

/*
 * A byline: "By Name", "| By Name |", "BY NAME". On success *NAME and *NLEN
 * hold the name within the line.
 */
static int parse_byline(const line_t *l, const char **name, size_t *nlen)
{
	const char *p = l->p, *e = l->p + l->len;
	while (p < e && (*p == '|' || *p == ' '))
		p++;
	while (e > p && (e[-1] == '|' || e[-1] == ' '))
		e--;
	if (e - p < 5 || (p[0] != 'B' && p[0] != 'b') || (p[1] != 'y' && p[1] != 'Y') ||
	    p[2] != ' ')
		return 0;
	p += 3;
	while (p < e && *p == ' ')
		p++;
	if (p >= e || e - p > 100 || !((*p >= 'A' && *p <= 'Z') || (unsigned char)*p >= 0x80))
		return 0;
	*name = p;
	*nlen = (size_t)(e - p);
	return 1;
}

/* ====================================================================== */
/* The extractor                                                           */
/* ====================================================================== */

/* Append the lines FIRST..LAST-1 joined by spaces as one block of KIND. */
static ts_status_t add_joined(ts_article_t *a, ts_block_kind_t kind, const line_t *lines,
                              size_t first, size_t last, ts_article_list_t *out)
{
	if (last == first + 1)
		return ts_article_add_block(a, kind, lines[first].p, lines[first].len,
		                            &out->invalid_bytes);
	size_t total = 0;
	for (size_t i = first; i < last; i++)
		total += lines[i].len + 1;
	char *buf = malloc(total + 1);
	if (!buf)
		return TS_ENOMEM;
	size_t n = 0;
	for (size_t i = first; i < last; i++) {
		if (n)
			buf[n++] = ' ';
		memcpy(buf + n, lines[i].p, lines[i].len);
		n += lines[i].len;
	}
	ts_status_t st = ts_article_add_block(a, kind, buf, n, &out->invalid_bytes);
	free(buf);
	return st;
}

/*
 * Is the body hard-wrapped? Every line is short and at least one
 * blank-separated block runs over several lines.
 */
static int is_wrapped(const line_t *lines, size_t first, size_t count)
{
	int multi = 0;
	for (size_t i = first; i < count; i++) {
		if (lines[i].len > WRAP_WIDTH)
			return 0;
		if (lines[i].len && i + 1 < count && lines[i + 1].len)
			multi = 1;
	}
	return multi;
}

static ts_status_t body_by_line(ts_article_t *a, line_t *lines, size_t first, size_t count,
                                ts_article_list_t *out)
{
	size_t last = count;
	while (last > first && !lines[last - 1].len)
		last--;
	for (size_t i = first; i < last; i++) {
		if (!lines[i].len)
			continue;
		int hashed = strip_hashes(&lines[i]);
		ts_block_kind_t kind = (hashed || (i + 1 < last && looks_like_heading(&lines[i])))
		                           ? TS_BLOCK_HEADING
		                           : TS_BLOCK_PARA;
		ts_status_t st = add_joined(a, kind, lines, i, i + 1, out);
		if (st)
			return st;
	}
	return TS_OK;
}

static ts_status_t body_wrapped(ts_article_t *a, line_t *lines, size_t first, size_t count,
                                ts_article_list_t *out)
{
	size_t i = first;
	while (i < count) {
		while (i < count && !lines[i].len)
			i++;
		if (i >= count)
			break;
		size_t j = i;
		while (j < count && lines[j].len)
			j++;
		int hashed = strip_hashes(&lines[i]);
		ts_block_kind_t kind = TS_BLOCK_PARA;
		if (hashed || (j == i + 1 && j < count && looks_like_heading(&lines[i])))
			kind = TS_BLOCK_HEADING;
		if (hashed && j > i + 1) {
			/* "# Heading" directly followed by its paragraph. */
			ts_status_t st = add_joined(a, TS_BLOCK_HEADING, lines, i, i + 1, out);
			if (st)
				return st;
			i++;
			kind = TS_BLOCK_PARA;
		}
		ts_status_t st = add_joined(a, kind, lines, i, j, out);
		if (st)
			return st;
		i = j;
	}
	return TS_OK;
}

ts_status_t ts_extract_text(const char *data, size_t len, const ts_extract_limits_t *limits,
                            ts_article_list_t *out)
{
	(void)limits;
	const unsigned char *d = (const unsigned char *)data;
	char *owned = NULL;
	const char *text = data;
	size_t tlen = len;
	line_t *lines = NULL;
	size_t nlines = 0;
	ts_status_t st = TS_OK;

	if (len >= 2 && ((d[0] == 0xff && d[1] == 0xfe) || (d[0] == 0xfe && d[1] == 0xff))) {
		owned = from_utf16(d, len, &tlen);
		if (!owned)
			return TS_ENOMEM;
		text = owned;
	} else {
		if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf) {
			text += 3;
			tlen -= 3;
		}
		int invalid, multibyte;
		scan_utf8((const unsigned char *)text, tlen, &invalid, &multibyte);
		if (invalid && !multibyte) {
			if (ts_utf8_from_cp1252(text, tlen, &owned, &tlen))
				return TS_ENOMEM;
			text = owned;
		}
	}

	st = split_lines(text, tlen, &lines, &nlines);
	if (st)
		goto done;

	size_t i = 0;
	while (i < nlines && !lines[i].len)
		i++;
	if (i >= nlines)
		goto done; /* nothing but white space: no article */

	ts_article_t *a;
	st = ts_article_list_add(out, &a);
	if (st)
		goto done;
	a->type = "text";

	/* Exported articles may open with their address and date before the
	 * title (livedoor and similar dumps): take them as link and date. */
	for (int k = 0; k < 2 && i < nlines; k++) {
		char iso[32];
		if (!a->link && is_url(&lines[i])) {
			st = ts_article_set(&a->link, lines[i].p, lines[i].len, NULL);
		} else if (!a->date && lines[i].len <= 40 &&
		           ts_date_normalize(lines[i].p, lines[i].len, iso, sizeof iso) == 0) {
			st = ts_article_set(&a->date, iso, strlen(iso), NULL);
		} else {
			break;
		}
		if (st)
			goto done;
		i++;
		while (i < nlines && !lines[i].len)
			i++;
	}
	if (i >= nlines) {
		ts_article_list_pop(out);
		goto done;
	}

	/* Title: the first line, unless it is a whole paragraph. */
	strip_hashes(&lines[i]);
	if (lines[i].len <= TITLE_MAX) {
		st = ts_article_set(&a->title, lines[i].p, lines[i].len, &out->invalid_bytes);
		if (st)
			goto done;
		i++;
	}

	/* Byline and date, in either order, right after the title. */
	for (int k = 0; k < 2; k++) {
		size_t j = i;
		while (j < nlines && !lines[j].len)
			j++;
		if (j >= nlines)
			break;
		const char *name;
		size_t nlen;
		char iso[32];
		if (!a->author && parse_byline(&lines[j], &name, &nlen)) {
			st = ts_article_set(&a->author, name, nlen, &out->invalid_bytes);
			if (st)
				goto done;
			i = j + 1;
		} else if (!a->date && lines[j].len <= 40 &&
		           ts_date_normalize(lines[j].p, lines[j].len, iso, sizeof iso) == 0) {
			st = ts_article_set(&a->date, iso, strlen(iso), NULL);
			if (st)
				goto done;
			i = j + 1;
		} else {
			break;
		}
	}

	if (is_wrapped(lines, i, nlines))
		st = body_wrapped(a, lines, i, nlines, out);
	else
		st = body_by_line(a, lines, i, nlines, out);
	if (!st && !a->title && !a->nblocks)
		ts_article_list_pop(out);

done:
	free(lines);
	free(owned);
	return st;
}
