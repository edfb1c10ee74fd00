/*
 * floor.c - the floor for indexing time: read every file of a tree and
 * tokenize it, doing nothing else.  No engine can index faster than this.
 *
 *   floor tok DIR...     read + tokenize (runs of ASCII letters/digits,
 *                        ASCII lower-cased; other bytes separate tokens)
 *   floor stem DIR...    the same, and libstemmer's English stemmer on
 *                        every token
 *   floor vocab DIR...   the same as tok, and count distinct tokens
 *                        (a hash set: not a timing mode)
 *
 * Prints "files N bytes N tokens N [stemmed_bytes N] [distinct N]".
 * Exit 0, 1 on an I/O error, 2 on a usage error.
 * Build: cc -O2 -std=c11 floor.c -o floor -lstemmer
 */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum mode {
	MODE_TOK,
	MODE_STEM,
	MODE_VOCAB
};

static enum mode mode;
static struct sb_stemmer *stemmer;
static char *buf;      /* file contents */
static size_t buf_cap; /* bytes allocated for buf */
static unsigned long long n_files, n_bytes, n_tokens, n_stem_bytes;
static int io_error;

/* ---- distinct-token set (vocab mode): open addressing, FNV-1a ---- */
static char **set_keys; /* owned token copies, NULL = empty slot */
static size_t set_cap, set_len;

static unsigned long long hash(const char *s, size_t n)
{
	unsigned long long h = 1469598103934665603ULL;
	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void set_add(const char *tok, size_t n);

static void set_grow(void)
{
	char **old = set_keys;
	size_t oldcap = set_cap, i;
	set_cap = set_cap ? 2 * set_cap : 1 << 16;
	set_keys = calloc(set_cap, sizeof *set_keys);
	if (!set_keys) {
		perror("floor");
		exit(1);
	}
	set_len = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i]) {
			set_add(old[i], strlen(old[i]));
			free(old[i]);
		}
	free(old);
}

static void set_add(const char *tok, size_t n)
{
	size_t i;
	if (2 * (set_len + 1) > set_cap)
		set_grow();
	i = hash(tok, n) & (set_cap - 1);
	while (set_keys[i]) {
		if (strlen(set_keys[i]) == n && memcmp(set_keys[i], tok, n) == 0)
			return;
		i = (i + 1) & (set_cap - 1);
	}
	set_keys[i] = malloc(n + 1);
	if (!set_keys[i]) {
		perror("floor");
		exit(1);
	}
	memcpy(set_keys[i], tok, n);
	set_keys[i][n] = '\0';
	set_len++;
}

/* Tokenize BUF[0..len) in place (lower-casing) and feed each token on. */
static void tokenize(char *p, size_t len)
{
	size_t i = 0;
	while (i < len) {
		size_t start;
		while (i < len) {
			unsigned char c = (unsigned char)p[i];
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9'))
				break;
			i++;
		}
		start = i;
		while (i < len) {
			unsigned char c = (unsigned char)p[i];
			if (c >= 'A' && c <= 'Z')
				p[i] = (char)(c + 32);
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				break;
			i++;
		}
		if (i > start) {
			n_tokens++;
			if (mode == MODE_STEM) {
				const sb_symbol *s = sb_stemmer_stem(
				    stemmer, (const sb_symbol *)p + start, (int)(i - start));
				if (s)
					n_stem_bytes +=
					    (unsigned long long)sb_stemmer_length(stemmer);
			} else if (mode == MODE_VOCAB) {
				set_add(p + start, i - start);
			}
		}
	}
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	int fd;
	size_t got = 0;
	const char *base;
	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	base = strrchr(path, '/');
	if (strcmp(base ? base + 1 : path, ".stamp") == 0)
		return 0;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		perror(path);
		io_error = 1;
		return 0;
	}
	if ((size_t)st->st_size + 1 > buf_cap) {
		buf_cap = (size_t)st->st_size + 1;
		buf = realloc(buf, buf_cap);
		if (!buf) {
			perror("floor");
			exit(1);
		}
	}
	for (;;) {
		ssize_t r = read(fd, buf + got, buf_cap - got);
		if (r < 0) {
			perror(path);
			io_error = 1;
			break;
		}
		if (r == 0)
			break;
		got += (size_t)r;
		if (got == buf_cap)
			break;
	}
	close(fd);
	n_files++;
	n_bytes += got;
	tokenize(buf, got);
	return 0;
}

int main(int argc, char **argv)
{
	int i;
	if (argc < 3)
		goto usage;
	if (strcmp(argv[1], "tok") == 0)
		mode = MODE_TOK;
	else if (strcmp(argv[1], "stem") == 0)
		mode = MODE_STEM;
	else if (strcmp(argv[1], "vocab") == 0)
		mode = MODE_VOCAB;
	else
		goto usage;
	if (mode == MODE_STEM) {
		stemmer = sb_stemmer_new("english", "UTF_8");
		if (!stemmer) {
			fprintf(stderr, "floor: no english stemmer\n");
			return 1;
		}
	}
	for (i = 2; i < argc; i++)
		if (nftw(argv[i], visit, 32, FTW_PHYS) != 0) {
			perror(argv[i]);
			io_error = 1;
		}
	printf("files %llu bytes %llu tokens %llu", n_files, n_bytes, n_tokens);
	if (mode == MODE_STEM)
		printf(" stemmed_bytes %llu", n_stem_bytes);
	if (mode == MODE_VOCAB)
		printf(" distinct %zu", set_len);
	printf("\n");
	if (stemmer)
		sb_stemmer_delete(stemmer);
	free(buf);
	return io_error;
usage:
	fprintf(stderr, "usage: floor tok|stem|vocab DIR...\n");
	return 2;
}
