/*
 * path.c - lexical path arithmetic (see path.h).
 */
#include "path.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

ts_status_t ts_path_absolute(const char *path, char **out)
{
	*out = NULL;
	ts_buf_t in = {0}, res = {0};
	ts_status_t st = TS_ENOMEM;
	if (path[0] != '/') {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd))
			return TS_EIO;
		if (ts_buf_puts(&in, cwd) || ts_buf_puts(&in, "/"))
			goto done;
	}
	if (ts_buf_puts(&in, path) || ts_buf_puts(&res, ""))
		goto done;
	/* Walk the components, keeping a stack in RES. */
	for (char *save, *tok = strtok_r(in.data, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			char *slash = strrchr(res.data, '/');
			res.len = slash ? (size_t)(slash - res.data) : 0;
			res.data[res.len] = '\0';
			continue;
		}
		if (ts_buf_puts(&res, "/") || ts_buf_puts(&res, tok))
			goto done;
	}
	if (!res.len && ts_buf_puts(&res, "/"))
		goto done;
	*out = res.data;
	res.data = NULL;
	st = TS_OK;
done:
	ts_buf_release(&in);
	ts_buf_release(&res);
	return st;
}

ts_status_t ts_path_relative(const char *base, const char *target, char **out)
{
	*out = NULL;
	/* Length of the common folder prefix, on a component boundary. */
	size_t common = 0, i = 0;
	if (!strcmp(base, "/")) {
		common = 0;
	} else {
		while (base[i] && target[i] && base[i] == target[i])
			i++;
		if (!base[i] && (target[i] == '/' || !target[i]))
			common = i;
		else if (!target[i] && base[i] == '/')
			common = i;
		else {
			while (i > 0 && base[i - 1] != '/')
				i--;
			common = i ? i - 1 : 0;
		}
	}
	ts_buf_t res = {0};
	if (ts_buf_puts(&res, ""))
		return TS_ENOMEM;
	/* One ".." for each component of BASE past the common prefix. */
	for (const char *p = base + common; *p; p++)
		if (*p == '/' && p[1] && ts_buf_puts(&res, res.len ? "/.." : ".."))
			goto oom;
	const char *rest = target + common;
	while (*rest == '/')
		rest++;
	if (*rest) {
		if (res.len && ts_buf_puts(&res, "/"))
			goto oom;
		if (ts_buf_puts(&res, rest))
			goto oom;
	}
	if (!res.len && ts_buf_puts(&res, "."))
		goto oom;
	*out = res.data;
	return TS_OK;
oom:
	ts_buf_release(&res);
	return TS_ENOMEM;
}
