/*
 * indexdir.c - locating the index and managing its folder (see indexdir.h).
 */
#include "indexdir.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "path.h"

#define STUB_NAME "XAPIANDB"
#define LOCK_NAME "lock"

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *p = malloc(la + lb + 2);
	if (!p)
		return NULL;
	memcpy(p, a, la);
	p[la] = '/';
	memcpy(p + la + 1, b, lb + 1);
	return p;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

ts_status_t ts_indexdir_find(const char *explicit_path, char **path)
{
	*path = NULL;
	const char *p = explicit_path;
	if (!p || !*p)
		p = getenv(TS_INDEX_ENV);
	if (p && *p) {
		*path = strdup(p);
		return *path ? TS_OK : TS_ENOMEM;
	}
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return TS_EIO;
	for (;;) {
		char *candidate = join(strcmp(cwd, "/") ? cwd : "", TS_INDEX_DIRNAME);
		if (!candidate)
			return TS_ENOMEM;
		if (is_dir(candidate)) {
			*path = candidate;
			return TS_OK;
		}
		free(candidate);
		char *slash = strrchr(cwd, '/');
		if (!slash || slash == cwd) {
			if (!strcmp(cwd, "/"))
				break;
			strcpy(cwd, "/");
			continue;
		}
		*slash = '\0';
	}
	return TS_ENOENT;
}

ts_status_t ts_indexdir_root(const char *path, char **root)
{
	ts_status_t st = ts_path_absolute(path, root);
	if (st)
		return st;
	/* The folder that holds the index ("/" for "/" and "/idx"). */
	char *slash = strrchr(*root, '/');
	slash[slash == *root] = '\0';
	return TS_OK;
}

/*
 * The first two blank-separated words of stub line LINE into KIND and
 * TARGET (of KSIZE and TSIZE bytes), as sscanf's "%31s %3999s" reads them,
 * a word longer than its room going on into the next: how many were read.
 * (sscanf would bring a fresh process's query its scanf machinery, pages
 * of libc no other step touches.)
 */
static int stub_words(const char *line, char *kind, size_t ksize, char *target, size_t tsize)
{
	char *out[2] = {kind, target};
	size_t size[2] = {ksize, tsize};
	int n = 0;
	for (; n < 2; n++) {
		while (isspace((unsigned char)*line))
			line++;
		if (!*line)
			break;
		size_t k = 0;
		while (*line && !isspace((unsigned char)*line) && k + 1 < size[n])
			out[n][k++] = *line++;
		out[n][k] = '\0';
	}
	return n;
}

ts_status_t ts_indexdir_current(const char *path, char **name)
{
	*name = NULL;
	char *stub = join(path, STUB_NAME);
	if (!stub)
		return TS_ENOMEM;
	FILE *f = fopen(stub, "r");
	free(stub);
	if (!f)
		return errno == ENOENT ? TS_OK : TS_EIO;
	char line[512];
	ts_status_t st = TS_ECORRUPT;
	while (fgets(line, sizeof line, f)) {
		char kind[32], db[256];
		if (stub_words(line, kind, sizeof kind, db, sizeof db) == 2 &&
		    !strcmp(kind, "glass") && !strchr(db, '/')) {
			*name = strdup(db);
			st = *name ? TS_OK : TS_ENOMEM;
			break;
		}
	}
	fclose(f);
	return st;
}

int ts_indexdir_exists(const char *path)
{
	char *name = NULL;
	int ok = ts_indexdir_current(path, &name) == TS_OK && name;
	free(name);
	return ok;
}

ts_status_t ts_indexdir_next(const char *path, char **name)
{
	*name = NULL;
	DIR *d = opendir(path);
	if (!d)
		return TS_EIO;
	long max = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		long n;
		char extra;
		if (sscanf(e->d_name, "db-%ld%c", &n, &extra) == 1 && n > max)
			max = n;
	}
	closedir(d);
	char buf[32];
	snprintf(buf, sizeof buf, "db-%ld", max + 1);
	*name = strdup(buf);
	return *name ? TS_OK : TS_ENOMEM;
}

int ts_indexdir_sync(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

ts_status_t ts_indexdir_switch(const char *path, const char *name)
{
	char *stub = join(path, STUB_NAME);
	char *tmp = join(path, STUB_NAME ".tmp");
	ts_status_t st = TS_ENOMEM;
	if (!stub || !tmp)
		goto done;
	st = TS_EIO;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		goto done;
	char line[300];
	int n = snprintf(line, sizeof line, "glass %s\n", name);
	if (n < 0 || (size_t)n >= sizeof line || write(fd, line, (size_t)n) != n ||
	    fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		goto done;
	}
	close(fd);
	if (rename(tmp, stub) != 0) {
		unlink(tmp);
		goto done;
	}
	ts_indexdir_sync(path); /* the rename is durable */
	st = TS_OK;
done:
	free(stub);
	free(tmp);
	return st;
}

ts_status_t ts_indexdir_lock(const char *path, double wait, int *fd)
{
	*fd = -1;
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return TS_EIO;
	char *lock = join(path, LOCK_NAME);
	if (!lock)
		return TS_ENOMEM;
	int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	free(lock);
	if (lfd < 0)
		return TS_EIO;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (flock(lfd, LOCK_EX | LOCK_NB) == 0) {
			*fd = lfd;
			return TS_OK;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			close(lfd);
			return TS_EIO;
		}
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		double waited = (double)(now.tv_sec - start.tv_sec) +
		                (double)(now.tv_nsec - start.tv_nsec) / 1e9;
		if (waited >= wait) {
			close(lfd);
			return TS_ELOCKED;
		}
		struct timespec nap = {0, 50 * 1000 * 1000};
		nanosleep(&nap, NULL);
	}
}

static int remove_entry(const char *fpath, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(fpath) ? -1 : 0;
}

ts_status_t ts_indexdir_remove(const char *path)
{
	struct stat sb;
	if (lstat(path, &sb) != 0)
		return errno == ENOENT ? TS_OK : TS_EIO;
	return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? TS_OK : TS_EIO;
}

ts_status_t ts_indexdir_prune(const char *path)
{
	char *current = NULL;
	ts_status_t st = ts_indexdir_current(path, &current);
	if (st)
		return st;
	DIR *d = opendir(path);
	if (!d) {
		free(current);
		return TS_EIO;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		long n;
		char extra;
		int matched = sscanf(e->d_name, "db-%ld%c", &n, &extra);
		if (matched != 1 && !(matched == 2 && extra == '.'))
			continue; /* db-N and db-N.<anything> (db-N.shards) only */
		if (current && !strcmp(current, e->d_name))
			continue;
		char *victim = join(path, e->d_name);
		if (!victim) {
			st = TS_ENOMEM;
			break;
		}
		if (ts_indexdir_remove(victim))
			st = TS_EIO;
		free(victim);
	}
	closedir(d);
	free(current);
	return st;
}

static unsigned long long size_total;

static int add_size(const char *fpath, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)fpath;
	(void)ftw;
	if (type == FTW_F)
		size_total += (unsigned long long)sb->st_size;
	return 0;
}

ts_status_t ts_indexdir_size(const char *path, unsigned long long *bytes)
{
	size_total = 0;
	int rc = nftw(path, add_size, 16, FTW_PHYS);
	*bytes = size_total;
	return rc == 0 ? TS_OK : TS_EIO;
}

/* ====================================================================== */
/* Stub files                                                              */
/* ====================================================================== */

#define STUB_DEPTH 8

typedef struct stub_walk {
	dev_t dev[STUB_DEPTH + 1]; /* stub files on the way down */
	ino_t ino[STUB_DEPTH + 1];
	int depth;
	char *err;
	size_t errlen;
	int other;   /* a line that names no local database, or that Xapian rejects */
	int missing; /* a target that does not exist */
	char **dbs;  /* the database folders reached, in order (malloc'd) */
	size_t ndbs, cap;
	ts_stubs_t *top; /* what it found at the path it started from */
} stub_walk_t;

/* Note database folder PATH, reached by W. */
static ts_status_t reached(stub_walk_t *w, const char *path)
{
	if (w->ndbs == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 4;
		char **a = realloc(w->dbs, cap * sizeof *a);
		if (!a)
			return TS_ENOMEM;
		w->dbs = a;
		w->cap = cap;
	}
	if (!(w->dbs[w->ndbs] = strdup(path)))
		return TS_ENOMEM;
	w->ndbs++;
	return TS_OK;
}

static ts_status_t check_target(stub_walk_t *w, const char *path);

/* Most bytes of a stub file read (Xapian's are a line or two). */
#define STUB_MAX (1 << 20)

/*
 * The contents of the stub file FILE, SIZE bytes when it was looked at,
 * into *OUT (malloc'd, NUL-terminated); *OUT NULL when it cannot be read.
 * FD: the file opened already (closed here), or -1.
 */
static ts_status_t read_stub(const char *file, off_t size, int fd, char **out)
{
	*out = NULL;
	if (fd < 0)
		fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return TS_OK;
	size_t cap = size > 0 && size < STUB_MAX ? (size_t)size + 1 : 4096, len = 0;
	char *buf = malloc(cap + 1);
	ts_status_t st = buf ? TS_OK : TS_ENOMEM;
	while (!st) {
		/* A read short of what was asked ends the file (it is no pipe). */
		ssize_t got = read(fd, buf + len, cap - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
		if (len < cap)
			break;
		if (cap >= STUB_MAX)
			break; /* no stub: Xapian will say what it is */
		char *more = realloc(buf, 2 * cap + 1);
		if (!more) {
			st = TS_ENOMEM;
		} else {
			buf = more;
			cap *= 2;
		}
	}
	close(fd);
	if (st) {
		free(buf);
		return st;
	}
	buf[len] = '\0';
	*out = buf;
	return TS_OK;
}

/* Follow the entries of the stub file FILE (SB: what stat said of it; FD:
 * the file opened already, closed here, or -1). */
static ts_status_t check_stub_file(stub_walk_t *w, const char *file, const struct stat *sb, int fd)
{
	ts_status_t st = TS_OK;
	for (int i = 0; !st && i < w->depth; i++)
		if (w->dev[i] == sb->st_dev && w->ino[i] == sb->st_ino) {
			snprintf(w->err, w->errlen, "stub file '%s' names itself, directly or not",
			         file);
			st = TS_ECORRUPT;
		}
	if (!st && w->depth >= STUB_DEPTH) {
		snprintf(w->err, w->errlen, "stub files nested deeper than %d at '%s'", STUB_DEPTH,
		         file);
		st = TS_ECORRUPT;
	}
	if (st) {
		if (fd >= 0)
			close(fd);
		return st;
	}
	char *text;
	st = read_stub(file, sb->st_size, fd, &text);
	if (st || !text)
		return st;
	w->dev[w->depth] = sb->st_dev;
	w->ino[w->depth] = sb->st_ino;
	w->depth++;
	for (char *line = text, *next; !st && *line; line = next) {
		char *nl = strchr(line, '\n');
		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		char kind[32], target[4000];
		int n = stub_words(line, kind, sizeof kind, target, sizeof target);
		if (n >= 1 && kind[0] == '#')
			continue; /* a comment */
		if (n != 2 || !strcmp(kind, "remote") || !strcmp(kind, "inmemory")) {
			if (n >= 1)
				w->other = 1;
			continue;
		}
		char *full = NULL;
		if (target[0] == '/') {
			full = strdup(target);
		} else {
			const char *slash = strrchr(file, '/');
			size_t dirlen = slash ? (size_t)(slash - file) + 1 : 0;
			full = malloc(dirlen + strlen(target) + 1);
			if (full) {
				memcpy(full, file, dirlen);
				strcpy(full + dirlen, target);
			}
		}
		if (!full) {
			st = TS_ENOMEM;
			break;
		}
		st = check_target(w, full);
		free(full);
	}
	free(text);
	w->depth--;
	return st;
}

/* Is STUB (a folder's STUB_NAME) a stub file: what stat says of it in *SB. */
static int stub_at(const char *stub, struct stat *sb)
{
	return stat(stub, sb) == 0 && S_ISREG(sb->st_mode);
}

int ts_indexdir_stub_stat(const char *path, struct stat *sb)
{
	char *stub = join(path, STUB_NAME);
	if (!stub)
		return -1;
	int has = stub_at(stub, sb);
	free(stub);
	return has;
}

/*
 * PATH: a database folder, a folder with a stub, or a stub file. A folder's
 * stub file is opened at once, and what it is asked of the open file: most
 * paths are folders with a stub (an index) or without one (its database),
 * and looking at the folder and at the file by name first costs a fresh
 * process two more system calls, each walking the whole path.
 */
static ts_status_t check_target(stub_walk_t *w, const char *path)
{
	int top = !w->depth; /* no stub file led here */
	char *stub = join(path, STUB_NAME);
	if (!stub)
		return TS_ENOMEM;
	/* The stub file, what it is (opened, or when it cannot be, by name). */
	struct stat sb;
	int fd = open(stub, O_RDONLY | O_CLOEXEC);
	int is_stub = fd >= 0 ? fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)
	                      : errno != ENOENT && errno != ENOTDIR && stub_at(stub, &sb);
	if (fd >= 0 && !is_stub) {
		close(fd);
		fd = -1;
	}
	ts_status_t st = TS_OK;
	if (is_stub) {
		if (top) {
			w->top->has_stub = 1;
			w->top->stub = sb;
		}
		st = check_stub_file(w, stub, &sb, fd);
	} else if (stat(path, &sb) != 0) {
		w->missing = 1; /* Xapian's to report */
		if (top)
			w->top->missing = 1;
	} else if (!S_ISDIR(sb.st_mode)) {
		st = check_stub_file(w, path, &sb, -1);
	} else {
		st = reached(w, path);
	}
	free(stub);
	return st;
}

ts_status_t ts_indexdir_stubs(const char *path, ts_stubs_t *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	stub_walk_t w = {.depth = 0, .err = err, .errlen = errlen, .top = out};
	ts_status_t st = check_target(&w, path);
	if (!st && !w.other && !w.missing && w.ndbs) {
		out->dbs = w.dbs;
		out->n = w.ndbs;
		return TS_OK;
	}
	ts_indexdir_databases_free(w.dbs, w.ndbs);
	return st;
}

ts_status_t ts_indexdir_check_stubs(const char *path, char ***dbs, size_t *n, char *err,
                                    size_t errlen)
{
	ts_stubs_t found;
	ts_status_t st = ts_indexdir_stubs(path, &found, err, errlen);
	if (dbs) {
		*dbs = found.dbs;
		*n = found.n;
	} else {
		ts_indexdir_databases_free(found.dbs, found.n);
	}
	return st;
}

void ts_indexdir_databases_free(char **dbs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(dbs[i]);
	free(dbs);
}
