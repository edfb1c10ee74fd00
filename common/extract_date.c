/*
 * extract_date.c - read the dates articles carry and write them as ISO 8601.
 *
 * Accepted forms (English month and weekday names, any letter case, leading
 * and trailing white space ignored, nothing else may follow):
 *
 *   2025-02-07, 2025/02/07, 20250207                       ISO 8601 / RFC 3339
 *   2025-02-07T14:30:00Z, 2025-02-07 14:30, ...+01:00      with a time and zone
 *   20250207T143000Z, 20250207T1430+0100                   ISO 8601 basic form
 *   Fri, 07 Feb 2025 14:30:00 GMT, 7 Feb 25 14:30 +0100    RFC 822 / RFC 2822
 *   February 7, 2025, Feb. 7th 2025, Friday, Feb 7, 2025   US style
 *   7 February 2025, 7th Feb 2025 2:30 PM                  European style
 *   26-FEB-1987 15:01:01.79                                Reuters / SGML dumps
 *
 * The result is "YYYY-MM-DD" when no time is given, "YYYY-MM-DDTHH:MM:SS"
 * when one is. A time with a zone (Z, +HH:MM, +HHMM, +HH, GMT, UT, UTC and
 * the North American zones of RFC 822) is converted to UTC, which may move
 * the date; a time without a zone, or with a zone name not listed, is kept
 * as written. Fractions of a second are dropped, a leap second 60 becomes 59.
 * Two-digit years (RFC 822) below 50 are 20xx, others 19xx. Numeric dates
 * other than year-first (07/02/2025) are ambiguous and refused.
 */
#include "extract_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A cursor over the text being parsed. */
typedef struct cur {
	const char *p;
	const char *end;
} cur_t;

/* What was read: the calendar date, an optional time and an optional offset. */
typedef struct when {
	int year, month, day;     /* month 1..12, day 1..31 */
	int has_time;             /* hour/minute/second are set */
	int hour, minute, second; /* 0..23, 0..59, 0..59 */
	int has_zone;             /* offset is known: convert to UTC */
	int offset;               /* minutes east of UTC */
} when_t;

static const char *const months[12] = {"january",   "february", "march",    "april",
                                       "may",       "june",     "july",     "august",
                                       "september", "october",  "november", "december"};

static const char *const weekdays[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};

/* ASCII-only character classes: dates are read the same in every locale. */
static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Move C past white space. */
static void skip_blanks(cur_t *c)
{
	while (c->p < c->end && is_blank(*c->p))
		c->p++;
}

/* Consume the character CH if it is next. */
static int accept(cur_t *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return 1;
	}
	return 0;
}

/*
 * Read between MIN and MAX decimal digits into *V. Returns the number of
 * digits read (0 and the cursor unmoved when fewer than MIN).
 */
static int digits(cur_t *c, int min, int max, int *v)
{
	int n = 0, val = 0;
	const char *p = c->p;
	while (p < c->end && n < max && is_digit(*p)) {
		val = val * 10 + (*p - '0');
		p++;
		n++;
	}
	if (n < min)
		return 0;
	c->p = p;
	*v = val;
	return n;
}

/* Read a run of letters into WORD (lower case, at most WORDMAX-1 kept). */
static size_t word(cur_t *c, char *w, size_t wordmax)
{
	size_t n = 0;
	while (c->p < c->end && is_alpha(*c->p)) {
		if (n + 1 < wordmax)
			w[n] = (char)(*c->p | 0x20);
		n++;
		c->p++;
	}
	w[n < wordmax ? n : wordmax - 1] = '\0';
	return n;
}

/*
 * Is the lower-case word W (N letters) one of the names in LIST, in full or
 * cut to three or more letters ("feb", "sept", "thu", "thurs")? Returns the
 * 1-based index or 0.
 */
static int name_index(const char *w, size_t n, const char *const *list, int count)
{
	if (n < 3)
		return 0;
	for (int i = 0; i < count; i++)
		if (n <= strlen(list[i]) && !strncmp(w, list[i], n))
			return i + 1;
	return 0;
}

/* Read a month name ("Feb", "February", "Feb.") into *MONTH (1..12). */
static int month_name(cur_t *c, int *month)
{
	cur_t save = *c;
	char w[16];
	size_t n = word(c, w, sizeof w);
	int m = n < sizeof w ? name_index(w, n, months, 12) : 0;
	if (!m) {
		*c = save;
		return 0;
	}
	accept(c, '.');
	*month = m;
	return 1;
}

/* Skip an optional weekday name and the comma or dot after it. */
static void skip_weekday(cur_t *c)
{
	cur_t save = *c;
	char w[16];
	size_t n = word(c, w, sizeof w);
	if (!n || n >= sizeof w || !name_index(w, n, weekdays, 7)) {
		*c = save;
		return;
	}
	accept(c, '.');
	skip_blanks(c);
	accept(c, ',');
	skip_blanks(c);
}

/* Skip an English ordinal suffix after a day number ("7th", "1st"). */
static void skip_ordinal(cur_t *c)
{
	static const char *const sfx[] = {"st", "nd", "rd", "th"};
	if (c->end - c->p < 2)
		return;
	for (int i = 0; i < 4; i++) {
		if (!strncasecmp(c->p, sfx[i], 2) && (c->end - c->p == 2 || !is_alpha(c->p[2]))) {
			c->p += 2;
			return;
		}
	}
}

/* A year of 4 digits, or of 2 (RFC 822) when TWO_OK. */
static int year(cur_t *c, int two_ok, int *y)
{
	const char *start = c->p;
	int n = digits(c, 2, 4, y);
	if (n == 4)
		return 1;
	if (n == 2 && two_ok) {
		*y += *y < 50 ? 2000 : 1900;
		return 1;
	}
	c->p = start;
	return 0;
}

/*
 * A zone: Z, +HH:MM, +HHMM, +HH, or a name. Unknown names are consumed but
 * leave the zone unknown (the time is kept as written). Returns 0 when the
 * text there is not a zone at all.
 */
static int zone(cur_t *c, when_t *w)
{
	static const struct {
		const char *name;
		int offset; /* minutes east of UTC */
	} names[] = {
	    {"z", 0},         {"ut", 0},        {"utc", 0},       {"gmt", 0},
	    {"est", -5 * 60}, {"edt", -4 * 60}, {"cst", -6 * 60}, {"cdt", -5 * 60},
	    {"mst", -7 * 60}, {"mdt", -6 * 60}, {"pst", -8 * 60}, {"pdt", -7 * 60},
	};
	if (c->p >= c->end)
		return 0;
	if (*c->p == '+' || *c->p == '-') {
		int sign = *c->p == '-' ? -1 : 1;
		cur_t save = *c;
		int hh, mm = 0;
		c->p++;
		int n = digits(c, 2, 4, &hh);
		if (n == 4) {
			mm = hh % 100;
			hh /= 100;
		} else if (n == 2) {
			if (accept(c, ':') && !digits(c, 2, 2, &mm)) {
				*c = save;
				return 0;
			}
		} else {
			*c = save;
			return 0;
		}
		if (hh > 23 || mm > 59) {
			*c = save;
			return 0;
		}
		w->has_zone = 1;
		w->offset = sign * (hh * 60 + mm);
		return 1;
	}
	if (!is_alpha(*c->p))
		return 0;
	char nm[8];
	size_t n = word(c, nm, sizeof nm);
	if (n >= sizeof nm)
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!strcmp(nm, names[i].name)) {
			w->has_zone = 1;
			w->offset = names[i].offset;
			/* "GMT+01:00" and "UTC-5" */
			if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
				return zone(c, w);
			return 1;
		}
	}
	/* Another zone abbreviation (CET, JST, ...): accept, do not convert. */
	return n >= 1 && n <= 5;
}

/*
 * A time HH:MM[:SS[.fff]] with an optional AM/PM, then an optional zone.
 * Returns 0 (cursor unmoved) when no time is there.
 */
static int clock_time(cur_t *c, when_t *w)
{
	cur_t save = *c;
	int h, m, s = 0;
	if (!digits(c, 1, 2, &h) || !accept(c, ':') || !digits(c, 2, 2, &m))
		goto fail;
	if (accept(c, ':')) {
		if (!digits(c, 2, 2, &s))
			goto fail;
		if (accept(c, '.') || accept(c, ',')) {
			int frac;
			if (!digits(c, 1, 9, &frac))
				goto fail;
		}
	}
	/* AM / PM, also "a.m." */
	cur_t before = *c;
	skip_blanks(c);
	if (c->end - c->p >= 2 && (c->p[0] | 0x20) != 'z') {
		char a = (char)(c->p[0] | 0x20);
		const char *q = c->p + 1;
		if (q < c->end && *q == '.')
			q++;
		if ((a == 'a' || a == 'p') && q < c->end && (*q | 0x20) == 'm' &&
		    (q + 1 == c->end || !is_alpha(q[1]))) {
			if (h < 1 || h > 12)
				goto fail;
			h = h % 12 + (a == 'p' ? 12 : 0);
			c->p = q + 1;
			accept(c, '.');
		} else {
			*c = before;
		}
	} else {
		*c = before;
	}
	if (h > 23 || m > 59 || s > 60)
		goto fail;
	w->has_time = 1;
	w->hour = h;
	w->minute = m;
	w->second = s == 60 ? 59 : s;
	/* The zone may follow directly (RFC 3339) or after a space. */
	before = *c;
	skip_blanks(c);
	if (!zone(c, w))
		*c = before;
	return 1;
fail:
	*c = save;
	return 0;
}

/* ISO 8601 basic time after the 'T' of "20250207T143000Z". */
static int basic_time(cur_t *c, when_t *w)
{
	int hhmm, ss = 0;
	const char *start = c->p;
	int n = digits(c, 4, 6, &hhmm);
	if (n == 6) {
		ss = hhmm % 100;
		hhmm /= 100;
	} else if (n != 4) {
		c->p = start;
		return 0;
	}
	int h = hhmm / 100, m = hhmm % 100;
	if (h > 23 || m > 59 || ss > 60)
		return 0;
	w->has_time = 1;
	w->hour = h;
	w->minute = m;
	w->second = ss == 60 ? 59 : ss;
	if (accept(c, '.') || accept(c, ',')) {
		int frac;
		if (!digits(c, 1, 9, &frac))
			return 0;
	}
	zone(c, w);
	return 1;
}

/* Year-first numeric dates: 2025-02-07, 2025/02/07, 20250207, with a time. */
static int parse_iso(cur_t *c, when_t *w)
{
	const char *start = c->p;
	int n = digits(c, 4, 8, &w->year);
	if (n == 8) {
		w->day = w->year % 100;
		w->month = w->year / 100 % 100;
		w->year /= 10000;
		if (accept(c, 'T') || accept(c, 't'))
			return basic_time(c, w);
		return 1;
	}
	if (n != 4)
		goto fail;
	char sep = c->p < c->end ? *c->p : 0;
	if ((sep != '-' && sep != '/' && sep != '.') || !accept(c, sep))
		goto fail;
	if (!digits(c, 1, 2, &w->month) || !accept(c, sep) || !digits(c, 1, 2, &w->day))
		goto fail;
	if (accept(c, 'T') || accept(c, 't')) {
		if (!clock_time(c, w))
			goto fail;
	} else {
		cur_t before = *c;
		skip_blanks(c);
		if (!clock_time(c, w))
			*c = before;
	}
	return 1;
fail:
	c->p = start;
	return 0;
}

/*
 * Dates with a month name, in either order, with an optional weekday in
 * front and an optional time (RFC 822 puts it after the year, others
 * after an "at"), or the Reuters form 26-FEB-1987.
 */
static int parse_words(cur_t *c, when_t *w)
{
	skip_weekday(c);
	if (c->p < c->end && is_digit(*c->p)) {
		/* 7 February 2025 / 07 Feb 25 / 26-FEB-1987 */
		if (!digits(c, 1, 2, &w->day))
			return 0;
		skip_ordinal(c);
		int dashed = accept(c, '-');
		if (!dashed)
			skip_blanks(c);
		if (!month_name(c, &w->month))
			return 0;
		if (dashed) {
			if (!accept(c, '-'))
				return 0;
		} else {
			skip_blanks(c);
			accept(c, ',');
			skip_blanks(c);
		}
		if (!year(c, !dashed, &w->year))
			return 0;
	} else {
		/* February 7, 2025 / Feb. 7th 2025 */
		if (!month_name(c, &w->month))
			return 0;
		skip_blanks(c);
		if (!digits(c, 1, 2, &w->day))
			return 0;
		skip_ordinal(c);
		skip_blanks(c);
		accept(c, ',');
		skip_blanks(c);
		if (!year(c, 0, &w->year))
			return 0;
	}
	cur_t before = *c;
	skip_blanks(c);
	accept(c, ',');
	skip_blanks(c);
	if (c->end - c->p > 3 && !strncasecmp(c->p, "at", 2) && is_blank(c->p[2])) {
		c->p += 2;
		skip_blanks(c);
	}
	if (!clock_time(c, w))
		*c = before;
	return 1;
}

/* Is Y a Gregorian leap year? */
static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month M (1..12) of year Y. */
static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, and back (Howard
 * Hinnant's algorithms: eras of 400 years, March-based years so that the
 * leap day is the last of the year).
 */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int ts_date_normalize(const char *in, size_t len, char *out, size_t outlen)
{
	if (out && outlen)
		out[0] = '\0';
	if (!in || !out || outlen < TS_DATE_MAX)
		return -1;
	cur_t c = {in, in + len};
	when_t w;
	memset(&w, 0, sizeof w);
	skip_blanks(&c);
	while (c.end > c.p && is_blank(c.end[-1]))
		c.end--;
	const char *start = c.p;
	if (!parse_iso(&c, &w)) {
		memset(&w, 0, sizeof w);
		c.p = start;
		if (!parse_words(&c, &w))
			return -1;
	}
	if (c.p != c.end)
		return -1;
	if (w.year < 1 || w.year > 9999 || w.month < 1 || w.month > 12 || w.day < 1 ||
	    w.day > days_in_month(w.year, w.month))
		return -1;
	if (w.has_time && w.has_zone && w.offset) {
		long minutes = days_from_civil(w.year, w.month, w.day) * 1440L + w.hour * 60L +
		               w.minute - w.offset;
		long days = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
		long rest = minutes - days * 1440;
		civil_from_days(days, &w.year, &w.month, &w.day);
		w.hour = (int)(rest / 60);
		w.minute = (int)(rest % 60);
		if (w.year < 1 || w.year > 9999)
			return -1;
	}
	if (w.has_time)
		snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d", w.year, w.month, w.day,
		         w.hour, w.minute, w.second);
	else
		snprintf(out, outlen, "%04d-%02d-%02d", w.year, w.month, w.day);
	return 0;
}
