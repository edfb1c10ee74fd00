/*
 * evaluate.c - score a TREC run against TREC qrels: nDCG@10, MAP, P@10.
 *
 *   evaluate [-q] QRELS RUN
 *
 * QRELS: lines "QID ITER DOCNO GAIN" (GAIN an integer; <= 0 is judged not
 * relevant).  RUN: lines "QID Q0 DOCNO RANK SCORE TAG".  A run DOCNO that
 * is a file path ("docs/1234.txt") is mapped to the collection's doc id by
 * taking its basename without a short alphabetic extension ("1234").
 *
 * Measures, for each query of QRELS with at least one relevant document
 * (a query with no line in RUN counts with zeros), then averaged:
 *   ndcg_cut_10  DCG@10 / ideal DCG@10, DCG = sum gain_i / log2(i + 1) over
 *                ranks i = 1..10 (linear gain, as trec_eval); the ideal
 *                ranking sorts all judged documents of the query by gain.
 *   map          average precision: sum of precision@r over the ranks r of
 *                the relevant retrieved documents, divided by the number of
 *                relevant documents; over the whole run depth.
 *   P_10         relevant documents among the first 10, divided by 10.
 * The run is ordered by score (descending), then rank (ascending), then
 * line order; a DOCNO repeated within a query counts at its first place
 * only.  (trec_eval breaks score ties by DOCNO instead.)
 *
 * Output, trec_eval-like: "measure<TAB>all<TAB>value" and, with -q, the
 * same per query before.  Exit 0, or 2 on a usage or input error.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char *qid;   /* query id (owned) */
	char *docno; /* document id (owned) */
	int gain;    /* judged gain; <= 0 = not relevant */
} qrel_t;

typedef struct {
	char *qid;    /* query id (owned) */
	char *docno;  /* document id, path already mapped (owned) */
	long rank;    /* rank column of the run */
	double score; /* score column of the run */
	size_t line;  /* line number, last tie-breaker */
} hit_t;

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "evaluate: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
	exit(2);
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		die("out of memory", NULL);
	return p;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory", NULL);
	return p;
}

/* "dir/1234.txt" -> "1234": basename, minus an extension of 1-5 letters. */
static char *map_docno(const char *s)
{
	const char *b = strrchr(s, '/');
	char *d = xstrdup(b ? b + 1 : s);
	char *dot = strrchr(d, '.');
	if (dot && dot != d) {
		size_t n = strlen(dot + 1), i;
		int alpha = n >= 1 && n <= 5;
		for (i = 0; alpha && i < n; i++)
			if (!((dot[1 + i] >= 'a' && dot[1 + i] <= 'z') ||
			      (dot[1 + i] >= 'A' && dot[1 + i] <= 'Z')))
				alpha = 0;
		if (alpha)
			*dot = '\0';
	}
	return d;
}

static int cmp_qrel(const void *a, const void *b)
{
	const qrel_t *x = a, *y = b;
	int c = strcmp(x->qid, y->qid);
	return c ? c : strcmp(x->docno, y->docno);
}

static int cmp_hit(const void *a, const void *b)
{
	const hit_t *x = a, *y = b;
	int c = strcmp(x->qid, y->qid);
	if (c)
		return c;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->line < y->line ? -1 : (x->line > y->line);
}

static int cmp_gain_desc(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x < y) - (x > y);
}

/* Split LINE on blanks into at most MAX fields; returns the count. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	char *save = NULL, *t = strtok_r(line, " \t\r\n", &save);
	while (t && n < max) {
		f[n++] = t;
		t = strtok_r(NULL, " \t\r\n", &save);
	}
	return n;
}

static qrel_t *read_qrels(const char *path, size_t *count)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, *f[5];
	size_t cap = 0, n = 0, alloc = 0;
	qrel_t *q = NULL;
	if (!fp)
		die("cannot open qrels", path);
	while (getline(&line, &cap, fp) != -1) {
		int k = split(line, f, 5);
		if (k == 0)
			continue;
		if (k != 4)
			die("bad qrels line in", path);
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 1024;
			q = xrealloc(q, alloc * sizeof *q);
		}
		q[n].qid = xstrdup(f[0]);
		q[n].docno = xstrdup(f[2]);
		q[n].gain = atoi(f[3]);
		n++;
	}
	free(line);
	fclose(fp);
	qsort(q, n, sizeof *q, cmp_qrel);
	*count = n;
	return q;
}

static hit_t *read_run(const char *path, size_t *count)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL, *f[7];
	size_t cap = 0, n = 0, alloc = 0, lineno = 0;
	hit_t *h = NULL;
	if (!fp)
		die("cannot open run", path);
	while (getline(&line, &cap, fp) != -1) {
		int k;
		lineno++;
		k = split(line, f, 7);
		if (k == 0)
			continue;
		if (k < 5)
			die("bad run line in", path);
		if (n == alloc) {
			alloc = alloc ? 2 * alloc : 4096;
			h = xrealloc(h, alloc * sizeof *h);
		}
		h[n].qid = xstrdup(f[0]);
		h[n].docno = map_docno(f[2]);
		h[n].rank = atol(f[3]);
		h[n].score = strtod(f[4], NULL);
		h[n].line = lineno;
		n++;
	}
	free(line);
	fclose(fp);
	qsort(h, n, sizeof *h, cmp_hit);
	*count = n;
	return h;
}

/* Gain of DOCNO for the judgments Q[0..n) of one query; 0 if unjudged. */
static int gain_of(const qrel_t *q, size_t n, const char *docno)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(q[mid].docno, docno);
		if (c == 0)
			return q[mid].gain > 0 ? q[mid].gain : 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int per_query = 0;
	size_t nq = 0, nh = 0, i = 0, j = 0, nqueries = 0;
	double sum_ndcg = 0, sum_ap = 0, sum_p10 = 0;
	qrel_t *q;
	hit_t *h;

	if (argc > 1 && strcmp(argv[1], "-q") == 0) {
		per_query = 1;
		argc--;
		argv++;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: evaluate [-q] QRELS RUN\n");
		return 2;
	}
	q = read_qrels(argv[1], &nq);
	h = read_run(argv[2], &nh);

	while (i < nq) {
		size_t qend = i, nrel = 0, hstart, hend, nseen = 0, r, k;
		const char *qid = q[i].qid;
		int *gains;
		char **seen;
		double dcg = 0, idcg = 0, ap = 0, ndcg;
		size_t relret = 0, rel10 = 0, rank = 0;

		while (qend < nq && strcmp(q[qend].qid, qid) == 0)
			qend++;
		for (k = i; k < qend; k++)
			nrel += q[k].gain > 0;
		if (nrel == 0) {
			i = qend;
			continue;
		}
		/* ideal DCG@10 from all judged documents of the query */
		gains = xrealloc(NULL, (qend - i) * sizeof *gains);
		for (k = i; k < qend; k++)
			gains[k - i] = q[k].gain > 0 ? q[k].gain : 0;
		qsort(gains, qend - i, sizeof *gains, cmp_gain_desc);
		for (k = 0; k < qend - i && k < 10; k++)
			idcg += gains[k] / log2((double)k + 2.0);
		free(gains);

		/* run lines of this query (both arrays sorted by qid) */
		while (j < nh && strcmp(h[j].qid, qid) < 0)
			j++;
		hstart = j;
		while (j < nh && strcmp(h[j].qid, qid) == 0)
			j++;
		hend = j;
		seen = xrealloc(NULL, (hend - hstart + 1) * sizeof *seen);
		for (r = hstart; r < hend; r++) {
			/* skip a docno already ranked for this query; SEEN is
			 * kept sorted by insertion */
			size_t lo = 0, hi = nseen;
			int dup = 0;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				int c = strcmp(seen[mid], h[r].docno);
				if (c == 0) {
					dup = 1;
					break;
				}
				if (c < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (dup)
				continue;
			memmove(seen + lo + 1, seen + lo, (nseen - lo) * sizeof *seen);
			seen[lo] = h[r].docno;
			nseen++;
			rank++;
			int g = gain_of(q + i, qend - i, h[r].docno);
			if (rank <= 10) {
				dcg += g / log2((double)rank + 1.0);
				rel10 += g > 0;
			}
			if (g > 0) {
				relret++;
				ap += (double)relret / (double)rank;
			}
		}
		free(seen);
		ndcg = idcg > 0 ? dcg / idcg : 0;
		ap /= (double)nrel;
		if (per_query)
			printf("ndcg_cut_10\t%s\t%.4f\nmap\t%s\t%.4f\n"
			       "P_10\t%s\t%.4f\n",
			       qid, ndcg, qid, ap, qid, rel10 / 10.0);
		sum_ndcg += ndcg;
		sum_ap += ap;
		sum_p10 += rel10 / 10.0;
		nqueries++;
		i = qend;
	}
	printf("num_q\tall\t%zu\n", nqueries);
	printf("ndcg_cut_10\tall\t%.4f\n", nqueries ? sum_ndcg / nqueries : 0);
	printf("map\tall\t%.4f\n", nqueries ? sum_ap / nqueries : 0);
	printf("P_10\tall\t%.4f\n", nqueries ? sum_p10 / nqueries : 0);
	for (i = 0; i < nq; i++) {
		free(q[i].qid);
		free(q[i].docno);
	}
	for (i = 0; i < nh; i++) {
		free(h[i].qid);
		free(h[i].docno);
	}
	free(q);
	free(h);
	return 0;
}
