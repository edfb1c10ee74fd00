/*
 * cli.c - messages, exit codes and checked output for the programs.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void vmessage(const char *kind, const char *fmt, va_list ap)
{
	char buf[2048];
	vsnprintf(buf, sizeof buf, fmt, ap);
	/* One line, and nothing for the terminal to interpret, whatever the
	 * message quotes (a query, a file name): control characters become '?'. */
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
		else if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(stderr, "tsearch: %s%s\n", kind, buf);
}

void ts_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
}

void ts_warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

void ts_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

void ts_die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmessage("error: ", fmt, ap);
	va_end(ap);
	exit(code);
}

int ts_exit_code(ts_status_t status)
{
	switch (status) {
	case TS_OK:
		return TS_EXIT_OK;
	case TS_EINVAL:
	case TS_EQUERY:
	case TS_ELANG:
		return TS_EXIT_USAGE;
	case TS_ENOENT:
	case TS_ECORRUPT:
	case TS_EVERSION:
		return TS_EXIT_INDEX;
	case TS_EIO:
	case TS_ETOOBIG:
		return TS_EXIT_IO;
	case TS_ELOCKED:
		return TS_EXIT_LOCKED;
	default:
		return TS_EXIT_INTERNAL;
	}
}

void ts_cli_init(void)
{
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit (ulimit -f) then fails the write with EFBIG, reported
	 * as an I/O error (exit 4), instead of killing the process. */
	signal(SIGXFSZ, SIG_IGN);
}

int ts_stdout_broken(void)
{
	return ferror(stdout) && errno == EPIPE;
}

int ts_stdout_close(void)
{
	int err = fflush(stdout) != 0 || ferror(stdout);
	int saved = errno;
	if (!err)
		return 0;
	if (saved == EPIPE)
		return 0;
	ts_error("cannot write output: %s", strerror(saved));
	return TS_EXIT_IO;
}

int ts_parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	/* strtoul takes leading space and a sign ("-1" as ULONG_MAX): a digit first. */
	if (*s < '0' || *s > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int ts_parse_real(const char *s, const char **rest, double *out)
{
	if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '+'))
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || (rest ? 0 : *end != '\0'))
		return -1;
	if (rest)
		*rest = end;
	*out = v;
	return 0;
}
