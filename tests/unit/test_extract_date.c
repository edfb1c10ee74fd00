/*
 * test_extract_date.c - ts_date_normalize: every accepted form, zone
 * conversion, calendar validation and refusals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "extract_internal.h"

/* Normalize IN and return the result ("" when refused); static buffer. */
static const char *norm(const char *in)
{
	static char out[TS_DATE_MAX];
	if (ts_date_normalize(in, strlen(in), out, sizeof out) != 0) {
		assert_string_equal(out, "");
		return "";
	}
	return out;
}

static void test_iso_dates(void **state)
{
	(void)state;
	assert_string_equal(norm("2025-02-07"), "2025-02-07");
	assert_string_equal(norm("  2025-02-07\n"), "2025-02-07");
	assert_string_equal(norm("2025/02/07"), "2025-02-07");
	assert_string_equal(norm("2025-2-7"), "2025-02-07");
	assert_string_equal(norm("20250207"), "2025-02-07");
	assert_string_equal(norm("1996-08-20"), "1996-08-20");
}

static void test_iso_times_and_zones(void **state)
{
	(void)state;
	assert_string_equal(norm("2025-02-07T14:30:00Z"), "2025-02-07T14:30:00");
	assert_string_equal(norm("2025-02-07t14:30:00z"), "2025-02-07T14:30:00");
	assert_string_equal(norm("2025-02-07T14:30:00.123Z"), "2025-02-07T14:30:00");
	assert_string_equal(norm("2025-02-07T14:30:00+01:00"), "2025-02-07T13:30:00");
	assert_string_equal(norm("2025-02-07T14:30:00-0530"), "2025-02-07T20:00:00");
	assert_string_equal(norm("2025-02-07T14:30+02"), "2025-02-07T12:30:00");
	assert_string_equal(norm("2025-02-07 14:30"), "2025-02-07T14:30:00");
	assert_string_equal(norm("2025-02-07 14:30:05 +0000"), "2025-02-07T14:30:05");
	/* No zone: the time is kept as written. */
	assert_string_equal(norm("2025-04-03T18:00"), "2025-04-03T18:00:00");
	/* Zone conversion crosses midnight, a month and a year. */
	assert_string_equal(norm("2025-01-01T01:00:00+02:00"), "2024-12-31T23:00:00");
	assert_string_equal(norm("2024-02-28T23:30:00-01:00"), "2024-02-29T00:30:00");
	assert_string_equal(norm("2023-02-28T23:30:00-01:00"), "2023-03-01T00:30:00");
	/* ISO 8601 basic form, as NITF's norm attributes have it. */
	assert_string_equal(norm("20250207T143000Z"), "2025-02-07T14:30:00");
	assert_string_equal(norm("20250207T1430+0100"), "2025-02-07T13:30:00");
	/* Leap second. */
	assert_string_equal(norm("2016-12-31T23:59:60Z"), "2016-12-31T23:59:59");
}

static void test_rfc822(void **state)
{
	(void)state;
	assert_string_equal(norm("Fri, 07 Feb 2025 14:30:00 GMT"), "2025-02-07T14:30:00");
	assert_string_equal(norm("Thu, 06 Feb 2025 09:00:00 +0100"), "2025-02-06T08:00:00");
	assert_string_equal(norm("Fri, 7 Feb 2025 14:30 EST"), "2025-02-07T19:30:00");
	assert_string_equal(norm("Sat, 08 Feb 2025 01:00:00 PDT"), "2025-02-08T08:00:00");
	assert_string_equal(norm("07 Feb 2025 14:30:00 UT"), "2025-02-07T14:30:00");
	/* Two-digit years (RFC 822). */
	assert_string_equal(norm("Fri, 07 Feb 25 14:30:00 GMT"), "2025-02-07T14:30:00");
	assert_string_equal(norm("20 Aug 96"), "1996-08-20");
	/* An unknown zone name: accepted, not converted. */
	assert_string_equal(norm("Fri, 07 Feb 2025 14:30:00 CET"), "2025-02-07T14:30:00");
}

static void test_words(void **state)
{
	(void)state;
	assert_string_equal(norm("February 7, 2025"), "2025-02-07");
	assert_string_equal(norm("Feb 7, 2025"), "2025-02-07");
	assert_string_equal(norm("Feb. 7, 2025"), "2025-02-07");
	assert_string_equal(norm("february 7th 2025"), "2025-02-07");
	assert_string_equal(norm("Friday, February 7, 2025"), "2025-02-07");
	assert_string_equal(norm("7 February 2025"), "2025-02-07");
	assert_string_equal(norm("7th Feb 2025"), "2025-02-07");
	assert_string_equal(norm("Sept 30, 2024"), "2024-09-30");
	assert_string_equal(norm("March 3, 2025"), "2025-03-03");
	assert_string_equal(norm("February 7, 2025 at 2:30 PM"), "2025-02-07T14:30:00");
	assert_string_equal(norm("Feb 7, 2025 12:05 a.m."), "2025-02-07T00:05:00");
	assert_string_equal(norm("Feb 7, 2025 2:30 PM EST"), "2025-02-07T19:30:00");
}

static void test_reuters(void **state)
{
	(void)state;
	assert_string_equal(norm("26-FEB-1987 15:01:01.79"), "1987-02-26T15:01:01");
	assert_string_equal(norm(" 3-MAR-1987 09:18:21.26"), "1987-03-03T09:18:21");
	assert_string_equal(norm("26-FEB-1987"), "1987-02-26");
}

static void test_calendar_checks(void **state)
{
	(void)state;
	assert_string_equal(norm("2024-02-29"), "2024-02-29");
	assert_string_equal(norm("2000-02-29"), "2000-02-29");
	assert_string_equal(norm("2023-02-29"), "");
	assert_string_equal(norm("1900-02-29"), "");
	assert_string_equal(norm("2025-04-31"), "");
	assert_string_equal(norm("2025-13-01"), "");
	assert_string_equal(norm("2025-00-10"), "");
	assert_string_equal(norm("2025-02-07T24:00:00Z"), "");
	assert_string_equal(norm("2025-02-07T12:60:00Z"), "");
	assert_string_equal(norm("February 30, 2025"), "");
	assert_string_equal(norm("Feb 7, 2025 13:00 PM"), "");
	/* Converting would leave the year range. */
	assert_string_equal(norm("0001-01-01T00:30:00+01:00"), "");
}

static void test_refusals(void **state)
{
	(void)state;
	const char *bad[] = {
	    "",
	    "   ",
	    "yesterday",
	    "2025",
	    "2025-02",
	    "07/02/2025",          /* ambiguous day/month order */
	    "2025-02-07 and more", /* trailing words */
	    "WASHINGTON, Feb 7",   /* a dateline */
	    "Feb 2025",
	    "Febtember 7, 2025",
	    "2025-02-07T14",
	    "2025-02-07T14:30:00+25:00",
	    "202502070",
	    "Fri,",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char out[TS_DATE_MAX] = "junk";
		assert_int_equal(ts_date_normalize(bad[i], strlen(bad[i]), out, sizeof out), -1);
		assert_string_equal(out, "");
	}
}

static void test_buffer_and_length(void **state)
{
	(void)state;
	char small[TS_DATE_MAX - 1];
	char out[TS_DATE_MAX];
	/* OUT too small for a date with a time: refused, not truncated. */
	assert_int_equal(ts_date_normalize("2025-02-07", 10, small, sizeof small), -1);
	assert_int_equal(ts_date_normalize(NULL, 0, out, sizeof out), -1);
	/* LEN is honoured: no NUL needed, bytes after LEN ignored. */
	const char text[] = "2025-02-07T14:30:00Zgarbage";
	assert_int_equal(ts_date_normalize(text, 20, out, sizeof out), 0);
	assert_string_equal(out, "2025-02-07T14:30:00");
	assert_int_equal(ts_date_normalize(text, 10, out, sizeof out), 0);
	assert_string_equal(out, "2025-02-07");
	assert_int_equal(ts_date_normalize(text, 9, out, sizeof out), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_iso_dates), cmocka_unit_test(test_iso_times_and_zones),
	    cmocka_unit_test(test_rfc822),    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_reuters),   cmocka_unit_test(test_calendar_checks),
	    cmocka_unit_test(test_refusals),  cmocka_unit_test(test_buffer_and_length),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
