/*
 * progress.c - progress bar (see progress.h).
 */
#include "progress.h"

#include <stdio.h>
#include <time.h>

#define BAR_WIDTH 24

double progress_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(progress_t *p, int enabled, size_t total)
{
	p->enabled = enabled;
	p->total = total;
	p->done = 0;
	p->articles = 0;
	p->bytes = 0;
	p->start = progress_now();
	p->last_draw = 0;
	p->drawn = 0;
}

void progress_tick(progress_t *p)
{
	if (!p->enabled)
		return;
	double now = progress_now();
	if (now - p->last_draw < 0.1 && p->done < p->total)
		return;
	p->last_draw = now;
	double elapsed = now - p->start;
	double frac = p->total ? (double)p->done / (double)p->total : 1.0;
	int fill = (int)(frac * BAR_WIDTH);
	char bar[BAR_WIDTH + 1];
	for (int i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR_WIDTH] = '\0';
	double rate = elapsed > 0 ? (double)p->articles / elapsed : 0;
	double mbs = elapsed > 0 ? (double)p->bytes / 1048576.0 / elapsed : 0;
	double eta = (p->done && p->done < p->total)
	                 ? elapsed * (double)(p->total - p->done) / (double)p->done
	                 : 0;
	fprintf(stderr, "\r[%s] %zu/%zu files  %.0f articles/s  %.1f MB/s  ETA %d:%02d\x1b[K", bar,
	        p->done, p->total, rate, mbs, (int)eta / 60, (int)eta % 60);
	fflush(stderr);
	p->drawn = 1;
}

void progress_clear(progress_t *p)
{
	if (!p->enabled || !p->drawn)
		return;
	fputs("\r\x1b[K", stderr);
	fflush(stderr);
	p->drawn = 0;
}
