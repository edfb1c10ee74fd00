/*
 * cli.h - what the three programs share about talking to people:
 * messages with the fixed "tsearch: " prefix, exit codes, and checked
 * writes to stdout. Only the programs call these; the rest of common/
 * never prints.
 */
#ifndef TS_CLI_H
#define TS_CLI_H

#include <stdio.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Exit codes, documented in README and tsearch(1). */
enum {
	TS_EXIT_OK = 0,        /* success; for queries: results found */
	TS_EXIT_NOMATCH = 1,   /* query ran and found nothing (as grep) */
	TS_EXIT_USAGE = 2,     /* bad option, argument or query syntax */
	TS_EXIT_INDEX = 3,     /* index missing, unreadable, damaged or incompatible */
	TS_EXIT_IO = 4,        /* input/output error (disk full, unreadable input) */
	TS_EXIT_SKIPPED = 5,   /* indexing with --strict: some files were skipped */
	TS_EXIT_INTERNAL = 70, /* internal error (EX_SOFTWARE) */
	TS_EXIT_LOCKED = 75,   /* index locked by another writer (EX_TEMPFAIL) */
};

/* Messages: "tsearch: error: ..." on stderr, one line each. */
void ts_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ts_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void ts_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print an error and exit with CODE. */
void ts_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* The exit code that fits a failed status. */
int ts_exit_code(ts_status_t status);

/*
 * Flush stdout and report a failed write: returns 0 when all output was
 * written, TS_EXIT_IO after an error message otherwise. A reader that went
 * away (EPIPE) is not an error: the program just stops, quietly.
 */
int ts_stdout_close(void);

/* Ignore SIGPIPE and SIGXFSZ: a closed pipe shows as EPIPE, a file size limit as EFBIG. */
void ts_cli_init(void);

/* Has a write to stdout failed with EPIPE (the reader is gone)? */
int ts_stdout_broken(void);

/*
 * Option values. S, all of it, as a decimal integer from MIN to MAX (no
 * sign, no space): 0 with *OUT set, -1 when it is not one.
 */
int ts_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/*
 * S as a finite decimal number (no leading space; not "nan" or "inf"): 0
 * with *OUT set, -1 when it is not one. With REST NULL the number must be
 * all of S; else *REST is set to what follows it.
 */
int ts_parse_real(const char *s, const char **rest, double *out);

#ifdef __cplusplus
}
#endif

#endif
