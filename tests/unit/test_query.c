/*
 * test_query.c - query preparation: prose detection, broken syntax made
 * plain, date and folder shorthands, wildcard prefixes, limits, and
 * hostile bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../searcher/query.h"
#include "testutil.h"

/* Prepare NUL-terminated Q into P, expecting TS_OK. */
static void prepare(const char *q, query_prep_t *p)
{
	char err[160] = "";
	ts_status_t st = query_prepare(q, strlen(q), p, err, sizeof err);
	if (st != TS_OK)
		fail_msg("query '%s': %s (%s)", q, ts_status_str(st), err);
	assert_non_null(p->text.data);
	assert_true(tu_utf8_valid(p->text.data, p->text.len));
	assert_int_equal(strlen(p->text.data), p->text.len);
}

/* Prepare Q expecting failure ST, with a message. */
static void refuse(const char *q, size_t len, ts_status_t want)
{
	query_prep_t p;
	char err[160] = "";
	ts_status_t st = query_prepare(q, len, &p, err, sizeof err);
	if (st != want)
		fail_msg("query of %zu bytes: %s, wanted %s", len, ts_status_str(st),
		         ts_status_str(want));
	assert_true(err[0] != '\0');
	query_prep_release(&p);
}

/* The words of S separated by single spaces (for comparing plain queries). */
static const char *words(const char *s)
{
	static char out[1024];
	size_t n = 0;
	for (const char *p = s; *p && n + 2 < sizeof out; p++) {
		if (*p == ' ') {
			if (n && out[n - 1] != ' ')
				out[n++] = ' ';
		} else {
			out[n++] = *p;
		}
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

static void test_plain_words(void **state)
{
	(void)state;
	query_prep_t p;
	prepare("tariffs japan", &p);
	assert_string_equal(p.text.data, "tariffs japan");
	assert_int_equal(p.plain, 0);
	assert_int_equal(p.prose, 0);
	assert_int_equal(p.nprefixes, 0);
	query_prep_release(&p);

	/* Mixed case and operators: left for the parser. */
	prepare("Tariffs AND (Japan OR \"trade deficit\") NOT steel", &p);
	assert_string_equal(p.text.data, "Tariffs AND (Japan OR \"trade deficit\") NOT steel");
	assert_int_equal(p.plain, 0);
	assert_int_equal(p.prose, 0);
	query_prep_release(&p);

	/* NOT first is a pure NOT, not a dangling operator. */
	prepare("NOT steel", &p);
	assert_int_equal(p.plain, 0);
	query_prep_release(&p);

	/* White space runs and control characters collapse. */
	prepare("  tariffs \t\n japan  ", &p);
	assert_string_equal(p.text.data, "tariffs japan");
	query_prep_release(&p);
	query_prep_release(NULL);
}

static void test_shouted_prose(void **state)
{
	(void)state;
	query_prep_t p;
	prepare("MEASUREMENT OF DIELECTRIC CONSTANT OF LIQUIDS AND GASES", &p);
	assert_int_equal(p.prose, 1);
	assert_int_equal(p.plain, 0);
	assert_string_equal(p.text.data, "measurement of dielectric constant of liquids and gases");
	query_prep_release(&p);

	/* Non-ASCII capitals are lowered too. */
	prepare("\xc3\x89"
	        "COLE NORMALE",
	        &p);
	assert_int_equal(p.prose, 1);
	assert_string_equal(p.text.data, "\xc3\xa9"
	                                 "cole normale");
	query_prep_release(&p);

	/* Dense operators: Boolean, kept as typed. */
	prepare("TARIFFS AND JAPAN", &p);
	assert_int_equal(p.prose, 0);
	assert_int_equal(p.plain, 0);
	assert_string_equal(p.text.data, "TARIFFS AND JAPAN");
	query_prep_release(&p);

	prepare("TARIFFS OR JAPAN OR KOREA", &p);
	assert_int_equal(p.prose, 0);
	assert_string_equal(p.text.data, "TARIFFS OR JAPAN OR KOREA");
	query_prep_release(&p);

	/* One lower-case letter is enough to keep the query as typed. */
	prepare("MEASUREMENT OF DIELECTRIC CONSTANT OF LIQUIDS AND gases", &p);
	assert_int_equal(p.prose, 0);
	query_prep_release(&p);

	/* Digits only: neither shouted nor lowered. */
	prepare("2025 1990", &p);
	assert_int_equal(p.prose, 0);
	assert_string_equal(p.text.data, "2025 1990");
	query_prep_release(&p);
}

static void test_broken_syntax(void **state)
{
	(void)state;
	static const struct {
		const char *query;
		const char *named; /* the problem message must contain this */
		const char *plain; /* the words left */
	} cases[] = {
	    {"\"trade deficit", "\"", "trade deficit"},
	    {"tariffs \"trade deficit\" \"japan", "\"", "tariffs trade deficit japan"},
	    {"(tariffs OR japan", "(", "tariffs japan"},
	    {"((tariffs) OR (japan)", "(", "tariffs japan"},
	    {"tariffs) japan", ")", "tariffs japan"},
	    {"tariffs AND", "AND", "tariffs"},
	    {"OR tariffs", "OR", "tariffs"},
	    {"a AND OR b", "OR", "a b"},
	    {"tariffs japan NOT", "NOT", "tariffs japan"},
	    {"steel NEAR", "NEAR", "steel"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		query_prep_t p;
		prepare(cases[i].query, &p);
		if (!p.plain)
			fail_msg("'%s' was not made plain", cases[i].query);
		if (!strstr(p.problem, cases[i].named))
			fail_msg("'%s': problem '%s' does not name '%s'", cases[i].query, p.problem,
			         cases[i].named);
		assert_string_equal(words(p.text.data), cases[i].plain);
		/* No syntax is left. */
		assert_null(strpbrk(p.text.data, "\"()"));
		query_prep_release(&p);
	}
}

/*
 * "AND NOT" is one Xapian operator ("a AND NOT b"), not two in a row; with
 * the pure NOT the searcher enables, "a OR NOT b" parses as well.
 */
static void test_and_not_is_valid(void **state)
{
	(void)state;
	query_prep_t p;
	prepare("tariffs AND NOT japan", &p);
	if (p.plain)
		fail_msg("'tariffs AND NOT japan' made plain: %s", p.problem);
	assert_string_equal(p.text.data, "tariffs AND NOT japan");
	query_prep_release(&p);

	prepare("(tariffs OR duties) AND NOT (japan OR korea)", &p);
	assert_int_equal(p.plain, 0);
	query_prep_release(&p);

	prepare("tariffs OR NOT japan", &p);
	assert_int_equal(p.plain, 0);
	query_prep_release(&p);

	/* But "AND NOT" with nothing after it is still broken. */
	prepare("tariffs AND NOT", &p);
	assert_int_equal(p.plain, 1);
	query_prep_release(&p);
}

static void test_make_plain(void **state)
{
	(void)state;
	query_prep_t p;
	prepare("title:\"trade deficit\" AND (japan OR -korea) tari*", &p);
	assert_int_equal(p.plain, 0);
	query_make_plain(&p);
	assert_int_equal(p.plain, 1);
	assert_string_equal(words(p.text.data), "title trade deficit japan korea tari");
	query_prep_release(&p);
}

static void test_dates_and_folders(void **state)
{
	(void)state;
	query_prep_t p;
	prepare("date:2025", &p);
	assert_string_equal(p.text.data, "date:2025..2025");
	query_prep_release(&p);

	prepare("tariffs date:2025-02 japan", &p);
	assert_string_equal(p.text.data, "tariffs date:2025-02..2025-02 japan");
	query_prep_release(&p);

	prepare("date:2025-01..2025-03", &p);
	assert_string_equal(p.text.data, "date:2025-01..2025-03");
	query_prep_release(&p);

	prepare("steel date:..2024", &p);
	assert_string_equal(p.text.data, "steel date:..2024");
	query_prep_release(&p);

	prepare("in:./corpus/trade/ tariffs", &p);
	assert_string_equal(p.text.data, "in:corpus/trade tariffs");
	query_prep_release(&p);

	prepare("in:corpus/ in:././a//", &p);
	assert_string_equal(p.text.data, "in:corpus in:a");
	query_prep_release(&p);

	/* A shouted query keeps its shorthands working once lowered. */
	prepare("STEEL PRICES IN EUROPE DATE:2025", &p);
	assert_int_equal(p.prose, 1);
	assert_non_null(strstr(p.text.data, "date:2025..2025"));
	query_prep_release(&p);
}

static void test_wildcard_prefixes(void **state)
{
	(void)state;
	query_prep_t p;
	prepare("Tari* japan", &p);
	assert_int_equal(p.nprefixes, 1);
	assert_string_equal(p.prefixes[0], "tari");
	assert_string_equal(p.text.data, "Tari* japan");
	query_prep_release(&p);

	prepare("title:Jap* \xc3\x89"
	        "CO* x*",
	        &p);
	assert_int_equal(p.nprefixes, 3);
	assert_string_equal(p.prefixes[0], "jap");
	assert_string_equal(p.prefixes[1], "\xc3\xa9"
	                                   "co");
	assert_string_equal(p.prefixes[2], "x");
	query_prep_release(&p);

	/* A lone star, or one in the middle, is no prefix. */
	prepare("* ta*ri", &p);
	assert_int_equal(p.nprefixes, 0);
	query_prep_release(&p);

	/* At most QUERY_MAX_PREFIXES are remembered. */
	char q[1024] = "";
	for (int i = 0; i < QUERY_MAX_PREFIXES + 5; i++) {
		char w[16];
		snprintf(w, sizeof w, "w%c* ", 'a' + i);
		strcat(q, w);
	}
	prepare(q, &p);
	assert_int_equal(p.nprefixes, QUERY_MAX_PREFIXES);
	query_prep_release(&p);
}

/* Gathers "word@start-end " for each word a better spelling may replace. */
static int gather_spellable(void *ctx, const ts_token_t *t)
{
	char *out = ctx;
	size_t n = strlen(out);
	snprintf(out + n, 512 - n, "%.*s@%zu-%zu ", (int)t->wordlen, t->word, t->start, t->end);
	return 0;
}

/* The words of Q (prepared) a better spelling may replace, as gathered above. */
static void spellable(const char *q, const char *want)
{
	query_prep_t p;
	char got[512] = "";
	prepare(q, &p);
	assert_int_equal(query_each_spellable(&p, gather_spellable, got), 0);
	if (strcmp(got, want) != 0)
		fail_msg("query '%s' (prepared '%s'): respellable '%s', wanted '%s'", q,
		         p.text.data, got, want);
	query_prep_release(&p);
}

static void test_spellable_words(void **state)
{
	(void)state;
	/* Plain words, folded, with their place in the prepared text (where Han
	 * characters are quoted as a phrase). */
	spellable("Shipyrds in Korea", "shipyrds@0-8 korea@12-17 ");
	/* Not operators, wildcards, field names or values (a quoted value
	 * whole, an unquoted one up to the next space). */
	spellable("tarifs AND japn* NEAR/3 steel", "tarifs@0-6 steel@24-29 ");
	spellable("title:tarifs author:\"jon smith\" in:news/asia ships", "ships@45-50 ");
	spellable("\"tarifs japan\" -ships", "tarifs@1-7 japan@8-13 ships@16-21 ");
	/* Not too short or long, nor with digits, nor Han characters. */
	spellable("ox g7 b52s \xe6\x97\xa5\xe6\x9c\xac ships", "ships@22-27 ");
	/* Shouted prose: its operators are words. */
	spellable("SHIPS AND STEEL FROM KOREA",
	          "ships@0-5 and@6-9 steel@10-15 from@16-20 korea@21-26 ");
}

static void test_limits(void **state)
{
	(void)state;
	/* Bytes. */
	char *big = malloc(QUERY_MAX_BYTES + 2);
	assert_non_null(big);
	memset(big, 'a', QUERY_MAX_BYTES + 1);
	big[QUERY_MAX_BYTES + 1] = '\0';
	refuse(big, QUERY_MAX_BYTES + 1, TS_ETOOBIG);
	/* Exactly the limit, as one long word, is accepted. */
	big[QUERY_MAX_BYTES] = '\0';
	query_prep_t p;
	prepare(big, &p);
	query_prep_release(&p);
	free(big);

	/* Words. */
	char *many = malloc(QUERY_MAX_WORDS * 2 + 8);
	assert_non_null(many);
	many[0] = '\0';
	for (int i = 0; i < QUERY_MAX_WORDS; i++)
		strcat(many, "a ");
	prepare(many, &p);
	query_prep_release(&p);
	strcat(many, "b");
	refuse(many, strlen(many), TS_ETOOBIG);
	free(many);

	/* Bracket depth. */
	char deep[256] = "";
	for (int i = 0; i < QUERY_MAX_DEPTH; i++)
		strcat(deep, "(");
	strcat(deep, "a");
	for (int i = 0; i < QUERY_MAX_DEPTH; i++)
		strcat(deep, ")");
	prepare(deep, &p);
	assert_int_equal(p.plain, 0);
	query_prep_release(&p);
	char deeper[256] = "(";
	strcat(deeper, deep);
	strcat(deeper, ")");
	refuse(deeper, strlen(deeper), TS_ETOOBIG);
	/* Unclosed, deeper than the limit: still too deep. */
	memset(deeper, '(', 100);
	strcpy(deeper + 100, "a");
	refuse(deeper, strlen(deeper), TS_ETOOBIG);
}

static void test_nothing_to_search(void **state)
{
	(void)state;
	refuse("AND OR NOT", 10, TS_EQUERY);
	refuse("", 0, TS_EQUERY);
	refuse("   \t ", 5, TS_EQUERY);
	refuse("\x01\x02\x03", 3, TS_EQUERY);
	refuse("( ) \"\"", 6, TS_EQUERY);
	refuse("NEAR ADJ XOR", 12, TS_EQUERY);
}

static void test_hostile_bytes(void **state)
{
	(void)state;
	query_prep_t p;
	const char q[] = "tar\x01iffs \xff\xfe jap\xc3"
	                 "an\x7f \xed\xa0\x80 \x1b[1m";
	prepare(q, &p);
	for (size_t i = 0; i < p.text.len; i++)
		assert_true((unsigned char)p.text.data[i] >= 0x20 && p.text.data[i] != 0x7f);
	query_prep_release(&p);

	/* A NUL byte inside the query is a separator, not its end. */
	prepare("tariffs", &p);
	query_prep_release(&p);
	char err[160];
	assert_int_equal(query_prepare("tariffs\0japan", 13, &p, err, sizeof err), TS_OK);
	assert_string_equal(p.text.data, "tariffs japan");
	query_prep_release(&p);

	/* Random queries from a hostile alphabet: never a crash, always clean UTF-8. */
	static const char *const pieces[] = {
	    "a",
	    "B",
	    "AND",
	    "OR",
	    "NOT",
	    "NEAR",
	    "(",
	    ")",
	    "\"",
	    "*",
	    ":",
	    "date:",
	    "in:",
	    "..",
	    " ",
	    " ",
	    "\x01",
	    "\x7f",
	    "\xff",
	    "\xc3",
	    "\xc3\xa9",
	    "\xe6\x97\xa5",
	    "\xed\xa0\x80",
	    "\xc0\xaf",
	    "\t",
	    "\n",
	    "-",
	    "+",
	    "TARIFFS",
	};
	uint64_t seed = 11;
	char buf[400];
	for (int round = 0; round < 3000; round++) {
		size_t len = 0, want = tu_rand(&seed) % 300;
		while (len < want) {
			const char *piece =
			    pieces[tu_rand(&seed) % (sizeof pieces / sizeof pieces[0])];
			size_t n = strlen(piece);
			memcpy(buf + len, piece, n);
			len += n;
		}
		char *copy = malloc(len ? len : 1);
		assert_non_null(copy);
		memcpy(copy, buf, len);
		ts_status_t st = query_prepare(copy, len, &p, err, sizeof err);
		assert_true(st == TS_OK || st == TS_EQUERY || st == TS_ETOOBIG);
		if (st == TS_OK) {
			assert_true(tu_utf8_valid(p.text.data, p.text.len));
			for (size_t i = 0; i < p.text.len; i++)
				assert_true((unsigned char)p.text.data[i] >= 0x20);
			for (size_t i = 0; i < p.nprefixes; i++)
				assert_true(tu_utf8_valid(p.prefixes[i], strlen(p.prefixes[i])));
			if (p.plain)
				assert_true(p.problem[0] != '\0');
		} else {
			assert_true(err[0] != '\0');
		}
		query_prep_release(&p);
		free(copy);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_words),
	    cmocka_unit_test(test_shouted_prose),
	    cmocka_unit_test(test_broken_syntax),
	    cmocka_unit_test(test_and_not_is_valid),
	    cmocka_unit_test(test_make_plain),
	    cmocka_unit_test(test_dates_and_folders),
	    cmocka_unit_test(test_wildcard_prefixes),
	    cmocka_unit_test(test_spellable_words),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_nothing_to_search),
	    cmocka_unit_test(test_hostile_bytes),
	};
	return cmocka_run_group_tests_name("query", tests, NULL, NULL);
}
