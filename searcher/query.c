/*
 * query.c - query preparation (see query.h).
 */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "analyze.h"
#include "article.h"
#include "xapian_wrap.h"

/* Is WORD/LEN an operator keyword (upper case, NEAR/5 and ADJ/3 included)? */
static int is_operator(const char *w, size_t len)
{
	/* Brackets around it ("(AND", "NEAR/2)") make it no less an operator. */
	while (len && *w == '(')
		w++, len--;
	while (len && w[len - 1] == ')')
		len--;
	for (const char *const *op = ts_query_operators; *op; op++) {
		size_t n = strlen(*op);
		if (len >= n && !memcmp(w, *op, n) && (len == n || w[n] == '/'))
			return 1;
	}
	return 0;
}

/* Split TEXT on spaces; call FN for each word; stop when FN returns non-zero. */
static void each_word(const char *text, size_t len,
                      int (*fn)(void *ctx, const char *w, size_t n, size_t at), void *ctx)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && text[i] == ' ')
			i++;
		size_t j = i;
		while (j < len && text[j] != ' ')
			j++;
		if (j > i && fn(ctx, text + i, j - i, i))
			return;
		i = j;
	}
}

typedef struct census {
	size_t words, ops;
	int lower, upper;
} census_t;

static int count_word(void *ctx, const char *w, size_t n, size_t at)
{
	(void)at;
	census_t *c = ctx;
	if (is_operator(w, n))
		c->ops++;
	else
		c->words++;
	return 0;
}

/*
 * Whether T/LEN has lower-case letters (*LOWER) and upper- or title-case
 * ones (*UPPER). ASCII is classified here: a query of plain ASCII then
 * never reaches utf8proc's code and tables, which a fresh process would
 * otherwise fault in for this alone (three faults, each mapping 64 KiB,
 * about 8 us each with the unmapping at exit on a virtual machine).
 */
static void letter_cases(const char *t, size_t len, int *lower, int *upper)
{
	*lower = *upper = 0;
	size_t i = 0;
	while (i < len) {
		unsigned char a = (unsigned char)t[i];
		if (a < 0x80) {
			if (a >= 'a' && a <= 'z')
				*lower = 1;
			else if (a >= 'A' && a <= 'Z')
				*upper = 1;
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0) {
			i++;
			continue;
		}
		utf8proc_category_t c = utf8proc_category(cp);
		if (c == UTF8PROC_CATEGORY_LL)
			*lower = 1;
		else if (c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT)
			*upper = 1;
		i += (size_t)k;
	}
}

/* Replace BUF's text by its lower-case (case-folded) form. */
static ts_status_t lower_all(ts_buf_t *buf)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n =
	    utf8proc_map((const utf8proc_uint8_t *)buf->data, (utf8proc_ssize_t)buf->len, &out,
	                 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
	if (n < 0)
		return TS_EINVAL;
	ts_buf_clear(buf);
	ts_status_t st = ts_buf_append(buf, out, (size_t)n);
	free(out);
	return st;
}

/* Find what is wrong with the syntax, if anything, into PROBLEM. */
static int syntax_problem(const char *t, size_t len, char *problem, size_t plen)
{
	size_t quotes = 0, last_quote = 0;
	long depth = 0;
	for (size_t i = 0; i < len; i++) {
		if (t[i] == '"') {
			quotes++;
			last_quote = i;
		} else if (!(quotes % 2) && t[i] == '(') {
			depth++;
		} else if (!(quotes % 2) && t[i] == ')') {
			if (--depth < 0) {
				snprintf(problem, plen, "unmatched ')' at column %zu", i + 1);
				return 1;
			}
		}
	}
	if (quotes % 2) {
		snprintf(problem, plen, "unbalanced '\"' at column %zu", last_quote + 1);
		return 1;
	}
	if (depth > 0) {
		snprintf(problem, plen, "unclosed '(' (%ld missing ')')", depth);
		return 1;
	}
	/* Operators at the ends, or two in a row. */
	size_t i = 0, prev_end = 0;
	int prev_op = 1, first = 1; /* "at the start" counts as after an operator */
	char prev[8] = "";
	while (i < len) {
		while (i < len && t[i] == ' ')
			i++;
		size_t j = i;
		while (j < len && t[j] != ' ')
			j++;
		if (j == i)
			break;
		int op = is_operator(t + i, j - i);
		int is_not = j - i == 3 && !strncmp(t + i, "NOT", 3);
		/* NOT may open the query or follow AND, OR, XOR ("a AND NOT b"). */
		int not_ok = is_not && (first || !strcmp(prev, "AND") || !strcmp(prev, "OR") ||
		                        !strcmp(prev, "XOR"));
		if (op && prev_op && !not_ok) {
			snprintf(problem, plen, "operator '%.*s' at column %zu has nothing %s it",
			         (int)(j - i > 6 ? 6 : j - i), t + i, i + 1,
			         first ? "before" : "between it and the one before");
			return 1;
		}
		if (op)
			snprintf(prev, sizeof prev, "%.*s", (int)(j - i > 6 ? 6 : j - i), t + i);
		prev_op = op;
		prev_end = i + 1;
		first = 0;
		i = j;
	}
	if (prev_op && !first) {
		snprintf(problem, plen, "operator '%s' at column %zu has nothing after it", prev,
		         prev_end);
		return 1;
	}
	return 0;
}

/*
 * Runs of Han and kana are written without spaces, and each character is
 * a token of its own (see analyze.h): "日本経済" becomes the phrase
 * "\"日 本 経 済\"", so that it finds the word and not each character
 * anywhere. Inside quotes the characters are only spaced out.
 */
static ts_status_t cjk_phrases(ts_buf_t *buf)
{
	const unsigned char *t = (const unsigned char *)buf->data;
	size_t len = buf->len, i = 0;
	while (i < len && t[i] < 0x80)
		i++;
	if (i == len)
		return TS_OK; /* ASCII: no such run */
	i = 0;
	ts_buf_t out = {0};
	ts_status_t st = TS_OK;
	int quoted = 0, changed = 0;
	while (i < len && !st) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(t + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0 || !ts_char_is_cjk(cp)) {
			if (t[i] == '"')
				quoted = !quoted;
			st = ts_buf_append(&out, t + i, k > 0 ? (size_t)k : 1);
			i += k > 0 ? (size_t)k : 1;
			continue;
		}
		/* A run of CJK characters starts at i. */
		size_t j = i, n = 0;
		while (j < len) {
			utf8proc_ssize_t k2 =
			    utf8proc_iterate(t + j, (utf8proc_ssize_t)(len - j), &cp);
			if (k2 <= 0 || !ts_char_is_cjk(cp))
				break;
			j += (size_t)k2;
			n++;
		}
		if (n < 2) {
			st = ts_buf_append(&out, t + i, j - i);
			i = j;
			continue;
		}
		changed = 1;
		if (!quoted)
			st = ts_buf_append(&out, "\"", 1);
		while (!st && i < j) {
			utf8proc_ssize_t k2 =
			    utf8proc_iterate(t + i, (utf8proc_ssize_t)(len - i), &cp);
			st = ts_buf_append(&out, t + i, (size_t)k2);
			i += (size_t)k2;
			if (!st && i < j)
				st = ts_buf_append(&out, " ", 1);
		}
		if (!st && !quoted)
			st = ts_buf_append(&out, "\" ", 2);
	}
	if (!st && changed) {
		ts_buf_release(buf);
		*buf = out;
	} else {
		ts_buf_release(&out);
	}
	return st;
}

/* "date:2025" -> "date:2025..2025" (a range processor only sees ranges). */
static ts_status_t expand_dates(ts_buf_t *buf)
{
	ts_buf_t out = {0};
	ts_status_t st = TS_OK;
	const char *t = buf->data;
	size_t len = buf->len, i = 0;
	while (i < len && !st) {
		size_t j = i;
		while (j < len && t[j] != ' ')
			j++;
		const char *w = t + i;
		size_t n = j - i;
		if (n > 5 && !memcmp(w, "date:", 5) && !memmem(w, n, "..", 2)) {
			st = ts_buf_append(&out, w, n);
			if (!st)
				st = ts_buf_puts(&out, "..");
			if (!st)
				st = ts_buf_append(&out, w + 5, n - 5);
		} else if (n > 3 && !memcmp(w, "in:", 3)) {
			/* in:./corpus/trade/ -> in:corpus/trade */
			const char *v = w + 3;
			size_t vn = n - 3;
			while (vn >= 2 && v[0] == '.' && v[1] == '/') {
				v += 2;
				vn -= 2;
			}
			while (vn > 1 && v[vn - 1] == '/')
				vn--;
			st = ts_buf_puts(&out, "in:");
			if (!st)
				st = ts_buf_append(&out, v, vn);
		} else {
			st = ts_buf_append(&out, w, n);
		}
		if (!st && j < len)
			st = ts_buf_puts(&out, " ");
		i = j + (j < len);
	}
	if (!st) {
		ts_buf_release(buf);
		*buf = out;
	} else {
		ts_buf_release(&out);
	}
	return st;
}

static int first_token(void *ctx, const ts_token_t *t)
{
	ts_buf_t *b = ctx;
	ts_buf_append(b, t->word, t->wordlen);
	return 1;
}

/* Remember the folded prefix of each "word*" for highlighting. */
static int note_prefix(void *ctx, const char *w, size_t n, size_t at)
{
	(void)at;
	query_prep_t *p = ctx;
	if (n < 2 || w[n - 1] != '*' || p->nprefixes >= QUERY_MAX_PREFIXES)
		return 0;
	const char *colon = memchr(w, ':', n);
	if (colon)
		n -= (size_t)(colon + 1 - w), w = colon + 1;
	ts_buf_t b = {0};
	ts_tokenize(w, n - 1, first_token, &b, NULL);
	if (b.len)
		p->prefixes[p->nprefixes++] = b.data;
	else
		ts_buf_release(&b);
	return 0;
}

ts_status_t query_prepare(const char *query, size_t len, query_prep_t *out, char *err,
                          size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (len > QUERY_MAX_BYTES) {
		snprintf(err, errlen, "query is longer than %d bytes", QUERY_MAX_BYTES);
		return TS_ETOOBIG;
	}
	/* Control characters and invalid UTF-8 become spaces and U+FFFD. */
	char *clean = NULL;
	ts_status_t st = ts_article_set(&clean, query, len, NULL);
	if (st)
		return st;
	if (!clean) {
		snprintf(err, errlen, "empty query");
		return TS_EQUERY;
	}
	st = ts_buf_puts(&out->text, clean);
	free(clean);
	if (st)
		return st;

	census_t c = {0};
	each_word(out->text.data, out->text.len, count_word, &c);
	if (c.words + c.ops > QUERY_MAX_WORDS) {
		snprintf(err, errlen, "query has more than %d words", QUERY_MAX_WORDS);
		return TS_ETOOBIG;
	}
	long depth = 0, max_depth = 0;
	for (size_t i = 0; i < out->text.len; i++) {
		if (out->text.data[i] == '(' && ++depth > max_depth)
			max_depth = depth;
		else if (out->text.data[i] == ')')
			depth--;
	}
	if (max_depth > QUERY_MAX_DEPTH) {
		snprintf(err, errlen, "brackets nested deeper than %d", QUERY_MAX_DEPTH);
		return TS_ETOOBIG;
	}

	letter_cases(out->text.data, out->text.len, &c.lower, &c.upper);
	if (!c.lower && c.upper && (!c.ops || c.words > 2 * c.ops + 1)) {
		out->prose = 1;
		if ((st = lower_all(&out->text)))
			return st;
	} else if (syntax_problem(out->text.data, out->text.len, out->problem,
	                          sizeof out->problem)) {
		query_make_plain(out);
	}
	if ((st = expand_dates(&out->text)) || (st = cjk_phrases(&out->text)))
		return st;
	each_word(out->text.data, out->text.len, note_prefix, out);

	/* Something to search for must remain. */
	int any = 0;
	for (size_t i = 0; i < out->text.len && !any; i++) {
		unsigned char ch = (unsigned char)out->text.data[i];
		any = ch >= 0x80 || (ch >= '0' && ch <= '9') ||
		      ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
	}
	if (any && !out->prose) {
		census_t after = {0};
		each_word(out->text.data, out->text.len, count_word, &after);
		any = after.words > 0;
	}
	if (!any) {
		snprintf(err, errlen, "query has no words to search for");
		return TS_EQUERY;
	}
	return TS_OK;
}

void query_make_plain(query_prep_t *p)
{
	p->plain = 1;
	for (size_t i = 0; i < p->text.len; i++)
		if (strchr("\"()[]{}*+-:^~", p->text.data[i]))
			p->text.data[i] = ' ';
	/* Operator words go: they were the syntax that failed. */
	size_t i = 0, len = p->text.len;
	char *t = p->text.data;
	while (i < len) {
		while (i < len && t[i] == ' ')
			i++;
		size_t j = i;
		while (j < len && t[j] != ' ')
			j++;
		if (j > i && is_operator(t + i, j - i))
			memset(t + i, ' ', j - i);
		i = j;
	}
}

typedef struct spellable {
	const query_prep_t *p;
	ts_token_fn fn;
	void *ctx;
	size_t seen;      /* the text before this is scanned for quotes */
	int quoted;       /* inside "..." */
	int field_quote;  /* ... that follows a field name */
	size_t field_end; /* an unquoted field value runs to here */
} spellable_t;

static int spellable_token(void *vctx, const ts_token_t *t)
{
	spellable_t *sp = vctx;
	const char *text = sp->p->text.data;
	size_t len = sp->p->text.len;
	for (; sp->seen < t->start; sp->seen++)
		if (text[sp->seen] == '"') {
			sp->quoted = !sp->quoted;
			sp->field_quote = sp->quoted && sp->seen && text[sp->seen - 1] == ':';
		}
	sp->seen = t->end;
	if (t->start && text[t->start - 1] == ':') {
		const char *space = memchr(text + t->start, ' ', len - t->start);
		sp->field_end = space ? (size_t)(space - text) : len;
	}
	if (sp->field_quote || t->start < sp->field_end)
		return 0;
	if (t->end < len && (text[t->end] == ':' || text[t->end] == '*'))
		return 0;
	if (!sp->p->plain && !sp->p->prose && is_operator(text + t->start, t->end - t->start))
		return 0;
	if (!ts_spelling_word(t->word, t->wordlen))
		return 0;
	return sp->fn(sp->ctx, t);
}

int query_each_spellable(const query_prep_t *p, ts_token_fn fn, void *ctx)
{
	spellable_t sp = {.p = p, .fn = fn, .ctx = ctx};
	return ts_tokenize(p->text.data, p->text.len, spellable_token, &sp, NULL);
}

void query_prep_release(query_prep_t *p)
{
	if (!p)
		return;
	ts_buf_release(&p->text);
	for (size_t i = 0; i < p->nprefixes; i++)
		free(p->prefixes[i]);
	memset(p, 0, sizeof *p);
}
