/*
 * wordcount.h - a map from words to counts, for the spelling table.
 *
 * Open addressing over one arena of word bytes; grows by doubling. Not
 * thread-safe: each worker keeps its own.
 */
#ifndef TS_WORDCOUNT_H
#define TS_WORDCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

typedef struct wc_slot {
	uint32_t hash;  /* 0 = empty */
	uint32_t off;   /* arena offset of the word */
	uint32_t len;   /* bytes */
	uint32_t count; /* occurrences */
} wc_slot_t;

typedef struct wordcount {
	wc_slot_t *slots; /* owned; nslots, a power of two */
	size_t nslots;
	size_t used; /* occupied slots */
	char *arena; /* owned word bytes */
	size_t arena_len;
	size_t arena_cap;
} wordcount_t;

/* Add COUNT occurrences of WORD/LEN. */
ts_status_t wc_add(wordcount_t *wc, const char *word, size_t len, uint32_t count);

/* Call FN for every word; stops at the first non-zero status and returns it. */
ts_status_t wc_each(const wordcount_t *wc,
                    ts_status_t (*fn)(void *ctx, const char *word, size_t len, uint32_t count),
                    void *ctx);

/* Distinct words held. */
size_t wc_size(const wordcount_t *wc);

/* Forget every word, keep the memory. */
void wc_clear(wordcount_t *wc);

void wc_release(wordcount_t *wc);

#endif
