/*
 * path.h - lexical path arithmetic (no symlinks resolved, no file touched
 * except getcwd).
 */
#ifndef TS_PATH_H
#define TS_PATH_H

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The absolute, normalized form of PATH ("." and ".." resolved lexically,
 * no trailing slash), relative paths taken from the current directory.
 * *OUT malloc'd.
 */
ts_status_t ts_path_absolute(const char *path, char **out);

/*
 * The path of absolute, normalized TARGET relative to absolute, normalized
 * folder BASE ("a/b", "../c/d", or "." when equal). *OUT malloc'd.
 */
ts_status_t ts_path_relative(const char *base, const char *target, char **out);

#ifdef __cplusplus
}
#endif

#endif
