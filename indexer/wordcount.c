/*
 * wordcount.c - word -> count map (see wordcount.h).
 */
#include "wordcount.h"

#include <stdlib.h>
#include <string.h>

#include "terms.h"

static ts_status_t grow(wordcount_t *wc)
{
	size_t n = wc->nslots ? wc->nslots * 2 : 1024;
	wc_slot_t *s = calloc(n, sizeof *s);
	if (!s)
		return TS_ENOMEM;
	for (size_t i = 0; i < wc->nslots; i++) {
		if (!wc->slots[i].hash)
			continue;
		size_t j = wc->slots[i].hash & (n - 1);
		while (s[j].hash)
			j = (j + 1) & (n - 1);
		s[j] = wc->slots[i];
	}
	free(wc->slots);
	wc->slots = s;
	wc->nslots = n;
	return TS_OK;
}

ts_status_t wc_add(wordcount_t *wc, const char *word, size_t len, uint32_t count)
{
	if ((wc->used + 1) * 2 > wc->nslots && grow(wc))
		return TS_ENOMEM;
	uint32_t h = ts_hash32(word, len);
	size_t mask = wc->nslots - 1, i = h & mask;
	for (; wc->slots[i].hash; i = (i + 1) & mask) {
		wc_slot_t *s = &wc->slots[i];
		if (s->hash == h && s->len == len && !memcmp(wc->arena + s->off, word, len)) {
			s->count += count;
			return TS_OK;
		}
	}
	if (wc->arena_len + len > wc->arena_cap) {
		size_t cap = wc->arena_cap ? wc->arena_cap * 2 : 65536;
		while (cap < wc->arena_len + len)
			cap *= 2;
		char *a = realloc(wc->arena, cap);
		if (!a)
			return TS_ENOMEM;
		wc->arena = a;
		wc->arena_cap = cap;
	}
	memcpy(wc->arena + wc->arena_len, word, len);
	wc->slots[i].hash = h;
	wc->slots[i].off = (uint32_t)wc->arena_len;
	wc->slots[i].len = (uint32_t)len;
	wc->slots[i].count = count;
	wc->arena_len += len;
	wc->used++;
	return TS_OK;
}

ts_status_t wc_each(const wordcount_t *wc,
                    ts_status_t (*fn)(void *ctx, const char *word, size_t len, uint32_t count),
                    void *ctx)
{
	for (size_t i = 0; i < wc->nslots; i++) {
		const wc_slot_t *s = &wc->slots[i];
		if (!s->hash)
			continue;
		ts_status_t st = fn(ctx, wc->arena + s->off, s->len, s->count);
		if (st)
			return st;
	}
	return TS_OK;
}

size_t wc_size(const wordcount_t *wc)
{
	return wc->used;
}

void wc_clear(wordcount_t *wc)
{
	if (wc->slots)
		memset(wc->slots, 0, wc->nslots * sizeof *wc->slots);
	wc->used = 0;
	wc->arena_len = 0;
}

void wc_release(wordcount_t *wc)
{
	if (!wc)
		return;
	free(wc->slots);
	free(wc->arena);
	memset(wc, 0, sizeof *wc);
}
