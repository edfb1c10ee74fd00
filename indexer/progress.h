/*
 * progress.h - the indexer's progress bar on stderr (terminals only).
 */
#ifndef TS_PROGRESS_H
#define TS_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

typedef struct progress {
	int enabled;      /* draw at all (stderr is a terminal, not -q) */
	size_t total;     /* files to process */
	size_t done;      /* files processed */
	size_t articles;  /* articles written */
	uint64_t bytes;   /* bytes read */
	double start;     /* seconds, monotonic */
	double last_draw; /* seconds, monotonic */
	int drawn;        /* a line is on the screen */
} progress_t;

/* Monotonic clock in seconds. */
double progress_now(void);

void progress_init(progress_t *p, int enabled, size_t total);
/* Redraw when due (at most ten times a second). */
void progress_tick(progress_t *p);
/* Erase the bar (before printing a message, and at the end). */
void progress_clear(progress_t *p);

#endif
