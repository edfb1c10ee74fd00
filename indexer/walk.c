/*
 * walk.c - list the files under the folders to index (see walk.h).
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "path.h"

/* A folder on the way down, to detect symlink loops. */
typedef struct ancestor {
	dev_t dev;
	ino_t ino;
	const struct ancestor *up;
} ancestor_t;

static void problem(const walk_opts_t *o, walk_list_t *list, const char *path, const char *why)
{
	list->problems++;
	if (o->on_problem)
		o->on_problem(o->ctx, path, why);
}

static ts_status_t add_file(const walk_opts_t *o, walk_list_t *list, const char *abs,
                            const struct stat *st)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 256;
		walk_file_t *f = realloc(list->files, cap * sizeof *f);
		if (!f)
			return TS_ENOMEM;
		list->files = f;
		list->cap = cap;
	}
	walk_file_t *f = &list->files[list->count];
	memset(f, 0, sizeof *f);
	f->abs = strdup(abs);
	if (!f->abs || ts_path_relative(o->root, abs, &f->rel)) {
		free(f->abs);
		return TS_ENOMEM;
	}
	f->size = (uint64_t)st->st_size;
	f->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	list->count++;
	return TS_OK;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static ts_status_t walk_dir(const char *abs, const struct stat *dst, const ancestor_t *up,
                            const walk_opts_t *o, walk_list_t *list);

/* Handle one entry ABS (already lstat'ed into LST). */
static ts_status_t walk_entry(const char *abs, struct stat *lst, const ancestor_t *up,
                              const walk_opts_t *o, walk_list_t *list)
{
	struct stat st = *lst;
	if (S_ISLNK(lst->st_mode)) {
		if (!o->follow_symlinks) {
			list->links_skipped++;
			return TS_OK;
		}
		if (stat(abs, &st) != 0) {
			problem(o, list, abs,
			        errno == ENOENT ? "broken symbolic link" : strerror(errno));
			return TS_OK;
		}
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(abs, &st, up, o, list);
	if (S_ISREG(st.st_mode))
		return add_file(o, list, abs, &st);
	return TS_OK; /* devices, sockets, fifos: never read */
}

static ts_status_t walk_dir(const char *abs, const struct stat *dst, const ancestor_t *up,
                            const walk_opts_t *o, walk_list_t *list)
{
	for (const ancestor_t *a = up; a; a = a->up)
		if (a->dev == dst->st_dev && a->ino == dst->st_ino) {
			problem(o, list, abs, "symbolic link loop");
			return TS_OK;
		}
	if (o->skip && !strcmp(abs, o->skip))
		return TS_OK;
	ancestor_t me = {dst->st_dev, dst->st_ino, up};
	DIR *d = opendir(abs);
	if (!d) {
		problem(o, list, abs, strerror(errno));
		return TS_OK;
	}
	/* Read all names first, then sort: the walk order is the index order. */
	char **names = NULL;
	size_t n = 0, cap = 0;
	ts_status_t st = TS_OK;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				st = TS_ENOMEM;
				break;
			}
			names = nn;
		}
		if (!(names[n] = strdup(e->d_name))) {
			st = TS_ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, cmp_name);
	ts_buf_t child = {0};
	for (size_t i = 0; !st && i < n; i++) {
		ts_buf_clear(&child);
		if (ts_buf_puts(&child, abs) || ts_buf_puts(&child, strcmp(abs, "/") ? "/" : "") ||
		    ts_buf_puts(&child, names[i])) {
			st = TS_ENOMEM;
			break;
		}
		struct stat lst;
		if (lstat(child.data, &lst) != 0) {
			/* Removed between readdir and lstat: nothing to index. */
			if (errno != ENOENT)
				problem(o, list, child.data, strerror(errno));
			continue;
		}
		st = walk_entry(child.data, &lst, &me, o, list);
	}
	ts_buf_release(&child);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return st;
}

ts_status_t walk_path(const char *path, const walk_opts_t *o, walk_list_t *list)
{
	char *abs = NULL;
	ts_status_t st = ts_path_absolute(path, &abs);
	if (st)
		return st;
	struct stat lst;
	if (lstat(abs, &lst) != 0) {
		st = errno == ENOENT ? TS_ENOENT : TS_EIO;
		free(abs);
		return st;
	}
	/* A link named on the command line is always followed, as ls and find -H do. */
	if (S_ISLNK(lst.st_mode) && stat(abs, &lst) != 0) {
		free(abs);
		return TS_ENOENT;
	}
	st = walk_entry(abs, &lst, NULL, o, list);
	free(abs);
	return st;
}

static int cmp_file(const void *a, const void *b)
{
	return strcmp(((const walk_file_t *)a)->rel, ((const walk_file_t *)b)->rel);
}

void walk_finish(walk_list_t *list)
{
	if (list->count > 1)
		qsort(list->files, list->count, sizeof *list->files, cmp_file);
	size_t out = 0;
	for (size_t i = 0; i < list->count; i++) {
		if (out && !strcmp(list->files[out - 1].rel, list->files[i].rel)) {
			free(list->files[i].abs);
			free(list->files[i].rel);
			continue;
		}
		list->files[out++] = list->files[i];
	}
	list->count = out;
}

void walk_list_release(walk_list_t *list)
{
	if (!list)
		return;
	for (size_t i = 0; i < list->count; i++) {
		free(list->files[i].abs);
		free(list->files[i].rel);
	}
	free(list->files);
	memset(list, 0, sizeof *list);
}
