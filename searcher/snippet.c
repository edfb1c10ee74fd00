/*
 * snippet.c - best passage and highlights (see snippet.h).
 */
#include "snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char ellipsis[] = "\xe2\x80\xa6"; /* U+2026 */
#define ELLIPSIS_LEN 3
static const char separator[] = " \xe2\x80\xa6 "; /* between passages */
#define SEPARATOR_LEN 5

static int ends_with(const ts_buf_t *b, const char *tail, size_t n)
{
	return b->len >= n && !memcmp(b->data + b->len - n, tail, n);
}

void ts_match_add(ts_match_set_t *set, const char *text, size_t len, double weight, int prefix)
{
	if (!len || set->count >= TS_SNIPPET_MAX_TERMS)
		return;
	for (size_t i = 0; i < set->count; i++)
		if (set->terms[i].len == len && set->terms[i].prefix == prefix &&
		    !memcmp(set->terms[i].text, text, len))
			return;
	unsigned char c0 = (unsigned char)text[0];
	if (c0 < 0x80)
		set->firsts[c0] = 1;
	ts_match_term_t *t = &set->terms[set->count++];
	t->text = text;
	t->len = len;
	t->weight = weight > 0 ? weight : 1.0;
	t->prefix = prefix;
}

/* A token of the text and the term it matches (-1: none). */
typedef struct tok {
	size_t start, end;
	int term;
} tok_t;

typedef struct tok_list {
	tok_t *items;
	size_t count, cap;
	const ts_match_set_t *set;
	int oom;
	int filter; /* skip words that start as no term does (may_match) */
	/* Matches known beforehand (ts_snippet_build_known), else NULL. */
	const ts_known_match_t *known;
	size_t nknown;
	size_t target; /* the passage length, for how far to read */
	size_t reach;  /* no passage ends past this byte */
	int stopped;   /* the text was not read to its end */
	size_t first;  /* the number of the first token read */
	int windowed;  /* the best window is known: items [wfirst, wpast) */
	size_t wfirst, wpast;
} tok_list_t;

static int starts_with(const char *s, size_t n, const char *p, size_t plen)
{
	return n >= plen && !memcmp(s, p, plen);
}

static int match_of(const ts_match_set_t *set, const ts_token_t *t)
{
	for (size_t i = 0; i < set->count; i++) {
		const ts_match_term_t *m = &set->terms[i];
		if (m->prefix) {
			if (starts_with(t->word, t->wordlen, m->text, m->len) ||
			    starts_with(t->stem, t->stemlen, m->text, m->len))
				return (int)i;
		} else if (t->stemlen == m->len && !memcmp(t->stem, m->text, m->len)) {
			return (int)i;
		}
	}
	return -1;
}

/* Might word T match a term of SET, when the stemmer keeps all of a word
 * but the last two bytes of its stem (ts_stemmer_keeps_prefix)? A term
 * (a stem, or a prefix of stems or words) of N bytes then takes a word
 * that starts with its first N - 2 bytes (its first byte when N <= 2). */
static int may_match(const ts_match_set_t *set, const ts_token_t *t)
{
	unsigned char c0 = (unsigned char)t->word[0];
	if (c0 < 0x80 && !set->firsts[c0])
		return 0;
	for (size_t i = 0; i < set->count; i++) {
		const ts_match_term_t *m = &set->terms[i];
		size_t need = m->len > 2 ? m->len - 2 : 1;
		if (t->wordlen >= need && !memcmp(t->word, m->text, need))
			return 1;
	}
	return 0;
}

/* The term T matches, -1 for none. When FILTER is set (the stemmer keeps
 * the start of words), a word that starts as no term does cannot match
 * and is not stemmed. */
static int token_term(const ts_match_set_t *set, int filter, const ts_token_t *t)
{
	if (filter && !may_match(set, t))
		return -1;
	ts_token_t s = *t;
	if (set->stemmer &&
	    ts_stemmer_stem(set->stemmer, t->word, t->wordlen, &s.stem, &s.stemlen)) {
		s.stem = t->word;
		s.stemlen = t->wordlen;
	}
	return match_of(set, &s);
}

/* Mark known match M on its token of T[0..N-1], unless a term marked it
 * already (a word shows its first term): 1 when marked. */
static int mark_known(tok_t *t, size_t n, const ts_known_match_t *m)
{
	if (m->index >= n || t[m->index].term >= 0)
		return 0;
	t[m->index].term = m->term;
	return 1;
}

/* Add the token at bytes START..END of the text, of term TERM (-1: none);
 * non-zero once no passage can reach further. */
static int add_tok(tok_list_t *l, size_t start, size_t end, int term)
{
	/* The first word out of reach is the last one read: the passage ends
	 * before it, and where it starts bounds the punctuation kept. */
	if (start > l->reach)
		l->stopped = 1;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 128;
		tok_t *n = realloc(l->items, cap * sizeof *n);
		if (!n) {
			l->oom = 1;
			return 1;
		}
		l->items = n;
		l->cap = cap;
	}
	l->items[l->count++] = (tok_t){start, end, term};
	return l->stopped;
}

static int collect(void *ctx, const ts_token_t *t)
{
	tok_list_t *l = ctx;
	return add_tok(l, t->start, t->end, token_term(l->set, l->filter, t));
}

static ts_status_t add_span(ts_snippet_t *s, size_t start, size_t end)
{
	/* Join with the previous span when only spaces lie between them. */
	if (s->nspans) {
		ts_span_t *last = &s->spans[s->nspans - 1];
		size_t i = last->end;
		while (i < start && s->text.data[i] == ' ')
			i++;
		if (i == start) {
			last->end = end;
			return TS_OK;
		}
	}
	if (s->nspans == s->capspans) {
		size_t cap = s->capspans ? s->capspans * 2 : 8;
		ts_span_t *n = realloc(s->spans, cap * sizeof *n);
		if (!n)
			return TS_ENOMEM;
		s->spans = n;
		s->capspans = cap;
	}
	s->spans[s->nspans].start = start;
	s->spans[s->nspans].end = end;
	s->nspans++;
	return TS_OK;
}

/* The score of the tokens [FIRST, LAST) of L: the weights of their distinct
 * terms, and a small bonus per match (as best_window counts). */
static double window_score(const tok_list_t *l, const ts_match_set_t *set, size_t first,
                           size_t last)
{
	unsigned counts[TS_SNIPPET_MAX_TERMS] = {0};
	double score = 0;
	for (size_t k = first; k < last; k++) {
		int t = l->items[k].term;
		if (t >= 0) {
			if (!counts[t]++)
				score += set->terms[t].weight;
			score += 0.01;
		}
	}
	return score;
}

/*
 * Choose the window of tokens [*FIRST, *LAST) fitting in TARGET bytes with
 * the best weighted count of distinct terms (a small bonus per repeated
 * match; the earliest window wins ties). Its score is summed again in order
 * (window_score): the same for the same window, whatever was read before it
 * (the sliding sum carries rounding).
 */
static double best_window(const tok_list_t *l, const ts_match_set_t *set, size_t target,
                          size_t *first, size_t *last)
{
	unsigned counts[TS_SNIPPET_MAX_TERMS] = {0};
	double score = 0, best = -1;
	size_t i = 0;
	*first = 0;
	*last = 0;
	for (size_t j = 0; j < l->count; j++) {
		int t = l->items[j].term;
		if (t >= 0) {
			if (!counts[t]++)
				score += set->terms[t].weight;
			score += 0.01;
		}
		while (i < j && l->items[j].end - l->items[i].start > target) {
			int u = l->items[i].term;
			if (u >= 0) {
				if (!--counts[u])
					score -= set->terms[u].weight;
				score -= 0.01;
			}
			i++;
		}
		if (score > best + 1e-9) {
			best = score;
			*first = i;
			*last = j + 1;
		}
	}
	return best < 0 ? 0 : window_score(l, set, *first, *last);
}

static ts_status_t build(const char *text, size_t len, tok_list_t l, size_t target,
                         ts_snippet_t *out);

/*
 * Read the tokens of block B (its TEXT's token table) into L, marking the
 * known matches. With a passage length shorter than the text, only the
 * tokens a passage can reach are read: the passage holds the best window of
 * matches, the one best_window finds over the matches alone (a window's
 * score changes only at a match, so it is the same one), and no passage
 * starts more than L->target bytes before its first match or ends more than
 * that after the start of its last. TS_ECORRUPT for a damaged table.
 */
static ts_status_t collect_table(tok_list_t *l, const char *text, const ts_texts_block_t *b)
{
	ts_texts_tokens_t it;
	ts_texts_tokens_init(&it, b, text);
	uint32_t start, end;
	int more = 0, stop = 0;
	if (!l->nknown || l->target >= b->len) {
		/* Every token (a passage may span the text), or, without a match,
		 * those a passage from the first word takes. */
		for (uint32_t k = 0; !stop && (more = ts_texts_tokens_next(&it, &start, &end)) > 0;
		     k++) {
			if (!k && !l->nknown)
				l->reach = (size_t)start + l->target;
			stop = add_tok(l, start, end, -1);
		}
		if (more < 0 || l->oom)
			return more < 0 ? TS_ECORRUPT : TS_ENOMEM;
		for (size_t k = 0; k < l->nknown; k++)
			mark_known(l->items, l->count, &l->known[k]);
		return TS_OK;
	}
	/* The tokens up to the first one out of every passage's reach, in room
	 * made at once for as many as there can be: those up to the last match,
	 * and past it one for every two bytes of a passage (a letter and a
	 * space), the block's count at most. */
	uint32_t last = l->known[l->nknown - 1].index;
	size_t cap = (size_t)last + 2 + l->target / 2;
	if (cap > b->ntok)
		cap = b->ntok ? b->ntok : 1;
	tok_t *t = malloc(cap * sizeof *t);
	size_t n = 0, nm = 0;
	size_t limit = SIZE_MAX;
	ts_status_t st = t ? TS_OK : TS_ENOMEM;
	while (!st && (more = ts_texts_tokens_next(&it, &start, &end)) > 0) {
		if (n == cap) {
			cap *= 2;
			tok_t *g = realloc(t, cap * sizeof *t);
			if (!g) {
				st = TS_ENOMEM;
				break;
			}
			t = g;
		}
		t[n++] = (tok_t){start, end, -1};
		if (n - 1 == last)
			limit = (size_t)start + l->target;
		if (start > limit)
			break;
	}
	if (more < 0)
		st = TS_ECORRUPT;
	/* The matches, marked on their tokens (a word's first term), and the
	 * best window of them. */
	tok_list_t m;
	memset(&m, 0, sizeof m);
	size_t *mi = NULL; /* their tokens' numbers */
	if (!st && (!(m.items = malloc(l->nknown * sizeof *m.items)) ||
	            !(mi = malloc(l->nknown * sizeof *mi))))
		st = TS_ENOMEM;
	for (size_t k = 0; !st && k < l->nknown; k++) {
		size_t i = l->known[k].index;
		if (mark_known(t, n, &l->known[k])) {
			mi[nm] = i;
			m.items[nm++] = t[i];
		}
	}
	m.count = nm;
	size_t first = 0, past = 0, k = 0, reach = l->target;
	if (!st && nm)
		best_window(&m, l->set, l->target, &first, &past);
	if (past > first) {
		/* The passage holds the window and spreads the room left, a third
		 * of it before (build): from the last token that far back. */
		size_t lo = m.items[first].start, used = m.items[past - 1].end - lo;
		size_t before = (l->target > used ? l->target - used : 0) / 3;
		while (k + 1 < n && t[k + 1].start + before < lo)
			k++;
		if (!(t[k].start + before < lo))
			k = 0;
		l->windowed = 1;
		l->wfirst = mi[first] - k;
		l->wpast = mi[past - 1] + 1 - k;
		reach = lo + l->target;
	}
	free(m.items);
	free(mi);
	if (st) {
		free(t);
		return st;
	}
	/* Those tokens, up to the first past the passage's reach (the last
	 * read: it bounds the punctuation kept), are the list. */
	size_t e = k;
	while (e < n && t[e].start <= reach)
		e++;
	l->stopped = e < n;
	if (l->stopped)
		e++;
	if (k)
		memmove(t, t + k, (e - k) * sizeof *t);
	free(l->items);
	l->items = t;
	l->count = e - k;
	l->cap = cap;
	l->first = k;
	return TS_OK;
}

/* The snippet of TEXT/LEN, its matches found by SET or, when KNOWN is not
 * NULL, given as KNOWN[0..N-1], the words' places by the token table of
 * block B that follows TEXT. */
static ts_status_t snippet(const char *text, size_t len, const ts_match_set_t *set,
                           const ts_known_match_t *known, size_t n, const ts_texts_block_t *b,
                           size_t target, ts_snippet_t *out)
{
	tok_list_t l;
	memset(&l, 0, sizeof l);
	l.set = set;
	l.known = known;
	l.nknown = n;
	l.target = target ? target : len;
	l.reach = SIZE_MAX;
	l.filter = ts_stemmer_keeps_prefix(set->stemmer);
	/* The words, their matches marked (known: only where they are). */
	if (known) {
		ts_status_t st = collect_table(&l, text, b);
		if (st) {
			free(l.items);
			return st;
		}
	} else {
		ts_tokenize(text, len, collect, &l, NULL);
	}
	return build(text, len, l, target, out);
}

ts_status_t ts_snippet_build(const char *text, size_t len, const ts_match_set_t *set, size_t target,
                             ts_snippet_t *out)
{
	return snippet(text, len, set, NULL, 0, NULL, target, out);
}

ts_status_t ts_snippet_build_known(const char *text, size_t len, const ts_match_set_t *set,
                                   const ts_known_match_t *matches, size_t n,
                                   const ts_texts_block_t *b, size_t target, ts_snippet_t *out)
{
	if (!matches || !b || b->len != len)
		return TS_EINVAL;
	return snippet(text, len, set, matches, n, b, target, out);
}

/* The snippet of TEXT/LEN from its tokens L (freed), appended to OUT. */
static ts_status_t build(const char *text, size_t len, tok_list_t l, size_t target,
                         ts_snippet_t *out)
{
	const ts_match_set_t *set = l.set;
	ts_status_t st = TS_OK;
	if (l.oom) {
		st = TS_ENOMEM;
		goto done;
	}
	size_t s = 0, e = len;
	double score = 0;
	if (target && len > target && l.count) {
		size_t first, last;
		if (l.windowed) { /* found from the matches alone (collect_table) */
			first = l.wfirst;
			last = l.wpast;
			score = window_score(&l, set, first, last);
		} else {
			score = best_window(&l, set, target, &first, &last);
		}
		/* best_window's window runs back as far as TARGET allows: hold it to
		 * its matches, so that the room left is spread on both sides below. */
		while (score > 0 && l.items[first].term < 0)
			first++;
		while (score > 0 && l.items[last - 1].term < 0)
			last--;
		/* Spread the room left over on both sides, on token boundaries. */
		size_t used = l.items[last - 1].end - l.items[first].start;
		size_t room = target > used ? target - used : 0;
		size_t before = room / 3;
		while (first > 0 &&
		       l.items[last - 1].end - l.items[first - 1].start <= used + before)
			first--;
		while (last < l.count && l.items[last].end - l.items[first].start <= target)
			last++;
		s = first || l.first ? l.items[first].start : 0;
		e = l.items[last - 1].end;
		/* Keep the punctuation that closes the last word ("deficit."). */
		while (e < len && e - l.items[last - 1].end < 4 && text[e] != ' ' &&
		       (last >= l.count || e < l.items[last].start))
			e++;
		while (e < len && ((unsigned char)text[e] & 0xc0) == 0x80)
			e--; /* never inside a UTF-8 sequence */
		if (last >= l.count && !l.stopped)
			e = len;
	} else {
		unsigned seen[TS_SNIPPET_MAX_TERMS] = {0};
		for (size_t i = 0; i < l.count; i++) {
			int t = l.items[i].term;
			if (t >= 0 && !seen[t]++)
				score += set->terms[t].weight;
		}
	}
	out->score += score;
	if (s > 0 && !ends_with(&out->text, separator, SEPARATOR_LEN) &&
	    (st = ts_buf_append(&out->text, ellipsis, ELLIPSIS_LEN)))
		goto done;
	size_t shift = out->text.len;
	if ((st = ts_buf_append(&out->text, text + s, e - s)))
		goto done;
	for (size_t i = 0; i < l.count; i++) {
		tok_t *k = &l.items[i];
		if (k->term < 0 || k->start < s || k->end > e)
			continue;
		if ((st = add_span(out, shift + k->start - s, shift + k->end - s)))
			goto done;
	}
	if (e < len && (st = ts_buf_append(&out->text, ellipsis, ELLIPSIS_LEN)))
		goto done;
done:
	free(l.items);
	return st;
}

ts_status_t ts_snippet_separate(ts_snippet_t *out)
{
	/* A passage cut at its end ends in an ellipsis: the separator has one.
	 * (Spans never cover it: it follows the last word.) */
	if (ends_with(&out->text, ellipsis, ELLIPSIS_LEN)) {
		out->text.len -= ELLIPSIS_LEN;
		out->text.data[out->text.len] = '\0';
	}
	return ts_buf_append(&out->text, separator, SEPARATOR_LEN);
}

ts_status_t ts_snippet_append_plain(ts_snippet_t *out, const char *text, size_t len)
{
	return ts_buf_append(&out->text, text, len);
}

void ts_snippet_clear(ts_snippet_t *s)
{
	ts_buf_clear(&s->text);
	s->nspans = 0;
	s->score = 0;
}

void ts_snippet_release(ts_snippet_t *s)
{
	if (!s)
		return;
	ts_buf_release(&s->text);
	free(s->spans);
	memset(s, 0, sizeof *s);
}
