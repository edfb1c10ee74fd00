/*
 * test_extract_html.c - the HTML extractor: metadata sources, block rules,
 * page furniture never indexed, charsets, depth limit, silence on stderr,
 * threads. Fixtures are in tests/corpora/formats/ (run from the repo root).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

#include "extract.h"
#include "extract_internal.h"
#include "testutil.h"

#define FIXTURES "tests/corpora/formats/"

/* ---- helpers ---------------------------------------------------------- */

/* Extract fixture NAME into L (zeroed first); returns the status. */
static ts_status_t extract_file(const char *name, ts_article_list_t *l)
{
	size_t len;
	char *data = tu_slurp(FIXTURES, name, &len);
	memset(l, 0, sizeof *l);
	ts_status_t st = ts_extract_html(data, len, NULL, l);
	free(data);
	return st;
}

/* Extract the NUL-terminated HTML string S into L (zeroed first). */
static ts_status_t extract_str(const char *s, ts_article_list_t *l)
{
	memset(l, 0, sizeof *l);
	return ts_extract_html(s, strlen(s), NULL, l);
}

static void assert_block(const ts_article_t *a, size_t i, ts_block_kind_t kind, const char *text)
{
	if (i >= a->nblocks)
		fail_msg("block %zu missing (article has %zu)", i, a->nblocks);
	assert_int_equal(a->blocks[i].kind, kind);
	assert_string_equal(a->blocks[i].text, text);
	assert_int_equal(a->blocks[i].len, strlen(text));
}

/* Does some block of A contain WORD? */
static int in_blocks(const ts_article_t *a, const char *word)
{
	for (size_t b = 0; b < a->nblocks; b++)
		if (strstr(a->blocks[b].text, word))
			return 1;
	return 0;
}

/* ---- metadata and blocks -------------------------------------------- */

static void test_article_page(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("article.html", &l), TS_OK);
	assert_int_equal(l.count, 1);
	assert_null(l.error);
	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->type, "html");
	/* " | Coastal Times" is the og:site_name: cut. */
	assert_string_equal(a->title, "Harbour Seals Return to the Thames Estuary");
	assert_string_equal(a->author, "Maria Keller");
	/* +01:00 converted to UTC */
	assert_string_equal(a->date, "2025-02-07T13:30:00");
	assert_string_equal(a->language, "en");
	assert_null(a->locator);
	assert_null(a->link);

	/* Blocks come from <article> only; the <h1> equal to the title and the
	 * byline are not blocks; entities decoded; inline markup joined. */
	assert_int_equal(a->nblocks, 7);
	assert_block(a, 0, TS_BLOCK_PARA,
	             "Harbour seals have returned to the Thames estuary in numbers not seen "
	             "since the 1950s, a survey published on Friday found.");
	assert_block(a, 1, TS_BLOCK_PARA,
	             "Researchers counted 797 pups \xE2\x80\x94 a rise of 12 % & more than "
	             "\"expected\" <said> the caf\xC3\xA9 owner \xE2\x80\x9CZo\xC3\xAB\xE2\x80\x9D "
	             "\xE2\x98\x83.");
	assert_block(a, 2, TS_BLOCK_HEADING, "Why the numbers matter");
	assert_block(a, 3, TS_BLOCK_PARA,
	             "Seals are an indicator species: their health reflects that of the whole "
	             "estuary.");
	assert_block(a, 4, TS_BLOCK_PARA, "The river is cleaner than it has been for a century.");
	assert_block(a, 5, TS_BLOCK_PARA, "Pups counted: 797");
	assert_block(a, 6, TS_BLOCK_PARA, "Adults counted: 3,200");

	const char *never[] = {"scriptneverindexed",
	                       "scriptparagraph",
	                       "Headerparagraph",
	                       "Navitem",
	                       "commentword",
	                       "inlinecomment",
	                       "Asideparagraph",
	                       "Formparagraph",
	                       "Noscriptparagraph",
	                       "Templateparagraph",
	                       "Iframetext",
	                       "Svgtitle",
	                       "Svgtext",
	                       "Sidebarparagraph",
	                       "Most read",
	                       "Footerparagraph",
	                       "latescript",
	                       "secretstyle",
	                       "font-family",
	                       "By Maria"};
	for (size_t i = 0; i < sizeof never / sizeof never[0]; i++)
		tu_assert_nowhere(&l, never[i]);
	assert_int_equal(l.invalid_bytes, 0);
	ts_article_list_release(&l);
}

static void test_jsonld(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("jsonld.html", &l), TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	/* " - Northern Ledger" goes: what precedes it is the JSON-LD headline. */
	assert_string_equal(a->title, "Wind farm output hits record");
	assert_string_equal(a->author, "Jonas Becker");
	assert_string_equal(a->date, "2024-11-03T08:15:00");
	assert_string_equal(a->language, "de-DE");
	/* Only <main>: the teaser beside it is not read; the h1 is the title. */
	assert_int_equal(a->nblocks, 2);
	assert_block(a, 0, TS_BLOCK_PARA,
	             "Offshore wind farms produced a record share of the grid's electricity in "
	             "October.");
	assert_block(a, 1, TS_BLOCK_PARA,
	             "Operators credited new turbines commissioned over the summer.");
	tu_assert_nowhere(&l, "Teaserdiv");
	ts_article_list_release(&l);
}

static void test_jsonld_graph_and_lists(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("jsonld-graph.html", &l), TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	/* <title> wins over the JSON-LD headline, and has no site suffix to cut. */
	assert_string_equal(a->title, "Untitled page");
	/* Array at the top, @graph, @type as a list, author as a list of object and string. */
	assert_string_equal(a->author, "Ana Silva, Tom Reed");
	assert_string_equal(a->date, "2023-06-30");
	assert_string_equal(a->language, "pt");
	assert_int_equal(a->nblocks, 1);
	tu_assert_nowhere(&l, "not json");
	ts_article_list_release(&l);
}

static void test_opengraph(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("opengraph.html", &l), TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->title, "Les abeilles reviennent en ville");
	/* article:published_time beats <meta name="date"> and <time> */
	assert_string_equal(a->date, "2025-03-10T14:00:00");
	/* class="author-name" */
	assert_string_equal(a->author, "Claire Dubois");
	assert_string_equal(a->language, "fr");
	assert_int_equal(a->nblocks, 2);
	assert_block(a, 1, TS_BLOCK_PARA,
	             "Les apiculteurs amateurs sont de plus en plus nombreux.");
	ts_article_list_release(&l);
}

static void test_title_from_h1(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("h1-only.html", &l), TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->title, "Library opens late on Thursdays");
	/* rel="author", "By " removed */
	assert_string_equal(a->author, "Chidi Okafor");
	/* <time datetime> without a zone */
	assert_string_equal(a->date, "2025-04-03T18:00:00");
	assert_null(a->language);
	assert_int_equal(a->nblocks, 3);
	assert_block(a, 0, TS_BLOCK_HEADING, "New hours from April");
	assert_block(
	    a, 1, TS_BLOCK_PARA,
	    "The central library will stay open until nine in the evening every Thursday.");
	assert_block(a, 2, TS_BLOCK_PARA, "Opening 3 April.");
	ts_article_list_release(&l);
}

static void test_loose_text_without_p(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("divs-only.html", &l), TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->title, "Plain div page");
	assert_int_equal(a->nblocks, 4);
	assert_block(a, 0, TS_BLOCK_PARA, "First loose paragraph of a page built only of divs.");
	assert_block(a, 1, TS_BLOCK_PARA, "Second loose paragraph, nested deeper.");
	/* one <br> is a space, two end a paragraph */
	assert_block(a, 2, TS_BLOCK_PARA, "Line one of a third block continues after one break");
	assert_block(a, 3, TS_BLOCK_PARA, "and a fourth block after two breaks.");
	tu_assert_nowhere(&l, "Navdiv");
	ts_article_list_release(&l);

	/* With a <p> on the page, loose text beside it is not a paragraph. */
	assert_int_equal(
	    extract_str("<html><body><div>Share this story</div>"
	                "<p>The real paragraph.</p><div>Loose tail</div></body></html>",
	                &l),
	    TS_OK);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.items[0].nblocks, 1);
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "The real paragraph.");
	ts_article_list_release(&l);
}

static void test_block_elements(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(
	    extract_str("<html><body><h3>Results</h3><table><tr><th>Team</th><td>Rovers</td></tr>"
	                "</table><blockquote><p>Quoted one.</p><p>Quoted two.</p></blockquote>"
	                "<ol><li>First <a href='#'>linked</a> item</li></ol>"
	                "<p>Text<script>skip()</script> after<style>p{}</style> script.</p>"
	                "<p>Para with<br>one break</p></body></html>",
	                &l),
	    TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	/* No <title>, no og:title, no h1: no title (an h3 is not a title). */
	assert_null(a->title);
	assert_int_equal(a->nblocks, 8);
	assert_block(a, 0, TS_BLOCK_HEADING, "Results");
	assert_block(a, 1, TS_BLOCK_PARA, "Team");
	assert_block(a, 2, TS_BLOCK_PARA, "Rovers");
	assert_block(a, 3, TS_BLOCK_PARA, "Quoted one.");
	assert_block(a, 4, TS_BLOCK_PARA, "Quoted two.");
	assert_block(a, 5, TS_BLOCK_PARA, "First linked item");
	assert_block(a, 6, TS_BLOCK_PARA, "Text after script.");
	assert_block(a, 7, TS_BLOCK_PARA, "Para with one break");
	ts_article_list_release(&l);
}

static void test_largest_article_wins(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_str("<html><body><article><p>Short teaser.</p></article>"
	                             "<article><p>The long main story, with many more words in "
	                             "it than the teaser has.</p></article>"
	                             "<aside><article><p>An aside article with even more words, "
	                             "words, words and words to be ignored.</p></article></aside>"
	                             "</body></html>",
	                             &l),
	                 TS_OK);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.items[0].nblocks, 1);
	assert_true(in_blocks(&l.items[0], "long main story"));
	ts_article_list_release(&l);
}

static void test_title_site_suffix(void **state)
{
	(void)state;
	ts_article_list_t l;
	/* Not clearly a site name: kept whole. */
	assert_int_equal(extract_str("<title>Biden - Trump debate draws record audience</title>"
	                             "<p>x</p>",
	                             &l),
	                 TS_OK);
	assert_string_equal(l.items[0].title, "Biden - Trump debate draws record audience");
	ts_article_list_release(&l);
	/* A bare domain after the separator. */
	assert_int_equal(extract_str("<title>Tide tables for March | Harbour.example.com</title>"
	                             "<p>x</p>",
	                             &l),
	                 TS_OK);
	assert_string_equal(l.items[0].title, "Tide tables for March");
	ts_article_list_release(&l);
	/* The site name first, as og:site_name declares it. */
	assert_int_equal(
	    extract_str("<head><meta property='og:site_name' content='Daily Post'>"
	                "<title>Daily Post \xE2\x80\x94 Ferry timetable changes</title>"
	                "</head><p>x</p>",
	                &l),
	    TS_OK);
	assert_string_equal(l.items[0].title, "Ferry timetable changes");
	ts_article_list_release(&l);
	/* og:title gets the same treatment. */
	assert_int_equal(
	    extract_str("<head><meta property='og:site_name' content='Daily Post'>"
	                "<meta property='og:title' content='Pier repairs begin | Daily "
	                "Post'></head><p>x</p>",
	                &l),
	    TS_OK);
	assert_string_equal(l.items[0].title, "Pier repairs begin");
	ts_article_list_release(&l);
	/* The only h1 is in a <header>: still the title, though headers are not blocks. */
	assert_int_equal(extract_str("<body><header><h1>Harbour news</h1><p>Menu</p></header>"
	                             "<p>Body text.</p></body>",
	                             &l),
	                 TS_OK);
	assert_string_equal(l.items[0].title, "Harbour news");
	assert_int_equal(l.items[0].nblocks, 1);
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "Body text.");
	ts_article_list_release(&l);
	/* Matching the page's h1. */
	assert_int_equal(extract_str("<title>Snow closes schools - Valley Radio</title>"
	                             "<h1>Snow closes schools</h1><p>x</p>",
	                             &l),
	                 TS_OK);
	assert_string_equal(l.items[0].title, "Snow closes schools");
	assert_int_equal(l.items[0].nblocks, 1); /* the h1 is not repeated as a heading */
	ts_article_list_release(&l);
}

/* ---- charsets ----------------------------------------------------------- */

static void test_latin1(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("latin1.html", &l), TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->title, "A\xC3\xB1o nuevo en M\xC3\xA1laga");
	assert_string_equal(a->language, "es");
	assert_int_equal(a->nblocks, 2);
	assert_block(a, 0, TS_BLOCK_PARA,
	             "Los ni\xC3\xB1os celebraron el a\xC3\xB1o nuevo en la plaza, seg\xC3\xBAn el "
	             "alcalde.");
	assert_block(a, 1, TS_BLOCK_PARA,
	             "Precio: 5 \xC2\xA2; temperatura 20 \xC2\xB0"
	             "C; \xC2\xAB"
	             "comillas\xC2\xBB y \xC3\xB1"
	             "and\xC3\xBA.");
	assert_int_equal(l.invalid_bytes, 0);
	ts_article_list_release(&l);
}

/* The Windows-1252 page, whichever way it is (or is not) declared. */
static void check_cp1252(const char *name, const char *title)
{
	ts_article_list_t l;
	assert_int_equal(extract_file(name, &l), TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->title, title);
	assert_int_equal(a->nblocks, 2);
	assert_int_equal(l.invalid_bytes, 0);
	ts_article_list_release(&l);
}

static void test_cp1252(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("cp1252.html", &l), TS_OK);
	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->title, "Prices rise \xE2\x80\x93 again");
	/* 0x93 0x94 are curly quotes, 0x80 the euro, 0x97 an em dash. */
	assert_block(a, 0, TS_BLOCK_PARA,
	             "\xE2\x80\x9CPrices are rising,\xE2\x80\x9D she said. The ticket costs "
	             "\xE2\x82\xAC"
	             "12 \xE2\x80\x94 up from \xE2\x82\xAC"
	             "10.");
	assert_block(a, 1, TS_BLOCK_PARA,
	             "It\xE2\x80\x99s the caf\xC3\xA9\xE2\x80\x99s third increase\xE2\x80\xA6 this "
	             "year.");
	ts_article_list_release(&l);
	/* Declared ISO-8859-1 but holding 0x80-0x9F: read as Windows-1252, as browsers do. */
	check_cp1252("latin1-declared-cp1252.html", "Prices rise \xE2\x80\x93 again");
	assert_int_equal(extract_file("latin1-declared-cp1252.html", &l), TS_OK);
	assert_true(in_blocks(&l.items[0], "\xE2\x80\x9CPrices are rising,\xE2\x80\x9D"));
	assert_true(in_blocks(&l.items[0], "\xE2\x82\xAC"));
	ts_article_list_release(&l);
	/* No declaration and not UTF-8: Windows-1252. */
	assert_int_equal(extract_file("undeclared-cp1252.html", &l), TS_OK);
	assert_string_equal(l.items[0].title, "Cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
	                                      "e recipe");
	assert_block(
	    &l.items[0], 0, TS_BLOCK_PARA,
	    "Whisk the cr\xC3\xA8me with sugar \xE2\x80\x93 \xE2\x80\x9Cslowly\xE2\x80\x9D.");
	assert_int_equal(l.invalid_bytes, 0);
	ts_article_list_release(&l);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("invalid-utf8.html", &l), TS_OK);
	assert_int_equal(l.count, 1);
	/* Declared UTF-8: the one bad byte becomes U+FFFD, the rest stays UTF-8. */
	assert_int_equal(l.invalid_bytes, 1);
	assert_block(&l.items[0], 0, TS_BLOCK_PARA,
	             "Before \xEF\xBF\xBD after and na\xC3\xAFve text.");
	ts_article_list_release(&l);
}

static void test_other_charsets(void **state)
{
	(void)state;
	ts_article_list_t l;
	/* KOI8-R through libxml2's iconv. */
	assert_int_equal(extract_str("<html><head><meta charset=\"KOI8-R\">"
	                             "<title>\xF0\xD2\xC9\xD7\xC5\xD4 \xCD\xC9\xD2</title></head>"
	                             "<body><p>\xF0\xD2\xC9\xD7\xC5\xD4</p></body></html>",
	                             &l),
	                 TS_OK);
	assert_string_equal(l.items[0].title, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 "
	                                      "\xD0\xBC\xD0\xB8\xD1\x80");
	ts_article_list_release(&l);

	/* UTF-16LE with a byte order mark. */
	const char *ascii = "<html><head><title>Sixteen bits</title></head><body><p>Wide "
	                    "text</p></body></html>";
	size_t n = strlen(ascii);
	char *wide = calloc(2 * n + 2, 1);
	assert_non_null(wide);
	wide[0] = (char)0xff;
	wide[1] = (char)0xfe;
	for (size_t i = 0; i < n; i++)
		wide[2 + 2 * i] = ascii[i];
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_html(wide, 2 * n + 2, NULL, &l), TS_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.items[0].title, "Sixteen bits");
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "Wide text");
	ts_article_list_release(&l);
	free(wide);

	/* A UTF-8 byte order mark beats a declaration. */
	assert_int_equal(extract_str("\xEF\xBB\xBF<meta charset='iso-8859-1'><title>Caf\xC3\xA9"
	                             "</title>",
	                             &l),
	                 TS_OK);
	assert_string_equal(l.items[0].title, "Caf\xC3\xA9");
	ts_article_list_release(&l);
	/* An unknown label counts as no declaration: valid UTF-8 stays UTF-8. */
	assert_int_equal(extract_str("<meta charset='x-unknown-42'><title>Caf\xC3\xA9</title>", &l),
	                 TS_OK);
	assert_string_equal(l.items[0].title, "Caf\xC3\xA9");
	ts_article_list_release(&l);
}

/* ---- limits and hostile input ----------------------------------------- */

/* HTML of DEPTH nested elements (html and body count), text at the bottom. */
static char *nested_html(size_t depth, size_t *len)
{
	size_t divs = depth - 2;
	size_t cap = 32 + divs * 11 + 64;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t n = (size_t)sprintf(s, "<html><body>");
	for (size_t i = 0; i < divs - 1; i++)
		n += (size_t)sprintf(s + n, "<div>");
	n += (size_t)sprintf(s + n, "<p>deep text</p>");
	for (size_t i = 0; i < divs - 1; i++)
		n += (size_t)sprintf(s + n, "</div>");
	n += (size_t)sprintf(s + n, "</body></html>");
	*len = n;
	return s;
}

static void test_depth_limit(void **state)
{
	(void)state;
	ts_article_list_t l;
	size_t len;
	char *s;

	/* 100,000 levels: stopped early, TS_ETOOBIG, nothing extracted. */
	s = nested_html(100000, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_html(s, len, NULL, &l), TS_ETOOBIG);
	assert_int_equal(l.count, 0);
	assert_non_null(l.error);
	assert_non_null(strstr(l.error, "nested deeper than 256"));
	ts_article_list_release(&l);
	free(s);

	/* The default limit exactly: 256 levels pass, 257 do not. */
	s = nested_html(256, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_html(s, len, NULL, &l), TS_OK);
	assert_int_equal(l.count, 1);
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "deep text");
	ts_article_list_release(&l);
	free(s);
	s = nested_html(257, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_html(s, len, NULL, &l), TS_ETOOBIG);
	ts_article_list_release(&l);

	/* A caller's limit, both ways. */
	ts_extract_limits_t lim = {.max_depth = 1000, .max_articles = 0};
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_html(s, len, &lim, &l), TS_OK);
	assert_int_equal(l.count, 1);
	ts_article_list_release(&l);
	free(s);
	lim.max_depth = 10;
	s = nested_html(11, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_html(s, len, &lim, &l), TS_ETOOBIG);
	assert_non_null(strstr(l.error, "deeper than 10"));
	ts_article_list_release(&l);
	free(s);
	s = nested_html(10, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_html(s, len, &lim, &l), TS_OK);
	ts_article_list_release(&l);
	free(s);
}

static void test_empty_and_garbage(void **state)
{
	(void)state;
	ts_article_list_t l;
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_html("", 0, NULL, &l), TS_OK);
	assert_int_equal(ts_extract_html(NULL, 0, NULL, &l), TS_OK);
	assert_int_equal(l.count, 0);
	assert_int_equal(ts_extract_html("<p>x</p>", 8, NULL, NULL), TS_EINVAL);
	assert_int_equal(ts_extract_html(NULL, 5, NULL, &l), TS_EINVAL);
	ts_article_list_release(&l);

	/* Nothing to index: no article. */
	assert_int_equal(extract_str("<html><head></head><body>  </body></html>", &l), TS_OK);
	assert_int_equal(l.count, 0);
	ts_article_list_release(&l);
	assert_int_equal(extract_str("<!-- only a comment -->", &l), TS_OK);
	assert_int_equal(l.count, 0);
	ts_article_list_release(&l);

	/* Binary noise, NUL bytes and broken markup: no crash, any status but a crash. */
	unsigned char noise[4096];
	uint32_t x = 12345;
	for (int round = 0; round < 20; round++) {
		for (size_t i = 0; i < sizeof noise; i++) {
			x = x * 1103515245u + 12345u;
			noise[i] = (unsigned char)(x >> 16);
			if (round % 2 && noise[i] % 7 == 0)
				noise[i] = (unsigned char)"<>/&;p\""[noise[i] % 7];
		}
		/* and through each decoding path: libxml2's iconv, UTF-16, UTF-8 */
		if (round % 4 == 1)
			memcpy(noise, "<meta charset=koi8-r>", 21);
		else if (round % 4 == 2)
			memcpy(noise, "\xff\xfe<\0p\0>\0", 8);
		else if (round % 4 == 3)
			memcpy(noise, "<meta charset=utf-8>", 20);
		memset(&l, 0, sizeof l);
		ts_status_t st = ts_extract_html((const char *)noise, sizeof noise, NULL, &l);
		assert_true(st == TS_OK || st == TS_ETOOBIG);
		ts_article_list_release(&l);
	}
	assert_int_equal(extract_str("<p>unclosed <b>bold <i>italic <p>next</div></span>", &l),
	                 TS_OK);
	assert_int_equal(l.count, 1);
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "unclosed bold italic");
	assert_block(&l.items[0], 1, TS_BLOCK_PARA, "next");
	ts_article_list_release(&l);
	/* NUL bytes in the middle are replaced, not the end of the text. */
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_html("<p>before\0after</p>", 19, NULL, &l), TS_OK);
	assert_block(&l.items[0], 0, TS_BLOCK_PARA,
	             "before\xEF\xBF\xBD"
	             "after");
	ts_article_list_release(&l);
}

static void test_appends_to_list(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_str("<title>One</title><p>first</p>", &l), TS_OK);
	assert_int_equal(ts_extract_html("<title>Two</title><p>second</p>", 31, NULL, &l), TS_OK);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.items[0].title, "One");
	assert_string_equal(l.items[1].title, "Two");
	ts_article_list_release(&l);
}

static void test_fragment(void **state)
{
	(void)state;
	ts_article_list_t l;
	ts_article_t *a;
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_article_list_add(&l, &a), TS_OK);
	const char *f1 = "Plain words &amp; an entity";
	assert_int_equal(ts_extract_html_fragment(f1, strlen(f1), 256, NULL, a, &l), TS_OK);
	const char *f2 =
	    "<h2>Same As Title</h2><h2>Other heading</h2><p>One</p><p>Two<br><br>Three</p>";
	assert_int_equal(ts_extract_html_fragment(f2, strlen(f2), 256, "same as title", a, &l),
	                 TS_OK);
	assert_int_equal(a->nblocks, 5);
	assert_block(a, 0, TS_BLOCK_PARA, "Plain words & an entity");
	assert_block(a, 1, TS_BLOCK_HEADING, "Other heading");
	assert_block(a, 2, TS_BLOCK_PARA, "One");
	assert_block(a, 3, TS_BLOCK_PARA, "Two");
	assert_block(a, 4, TS_BLOCK_PARA, "Three");
	/* Too deep for the limit given. */
	const char *f3 = "<div><div><div><div><p>deep</p></div></div></div></div>";
	assert_int_equal(ts_extract_html_fragment(f3, strlen(f3), 4, NULL, a, &l), TS_ETOOBIG);
	assert_non_null(l.error);
	ts_article_list_release(&l);

	ts_text_t t;
	memset(&t, 0, sizeof t);
	memset(&l, 0, sizeof l);
	const char *f4 = "Comet <i>C/2025&nbsp;A1</i> &amp; more<script>x()</script>";
	assert_int_equal(ts_html_fragment_text(f4, strlen(f4), 256, &t, &l), TS_OK);
	assert_non_null(t.s);
	assert_non_null(strstr(t.s, "Comet C/2025\xC2\xA0"
	                            "A1 & more"));
	assert_null(strstr(t.s, "x()"));
	assert_null(l.error);
	assert_int_equal(l.invalid_bytes, 0);
	ts_text_release(&t);
	/* Text of a fragment: invalid bytes counted, too deep reported as for blocks. */
	memset(&t, 0, sizeof t);
	const char *f5 = "bad \xff byte";
	assert_int_equal(ts_html_fragment_text(f5, strlen(f5), 256, &t, &l), TS_OK);
	assert_int_equal(l.invalid_bytes, 1);
	ts_text_release(&t);
	memset(&t, 0, sizeof t);
	assert_int_equal(ts_html_fragment_text(f3, strlen(f3), 4, &t, &l), TS_ETOOBIG);
	assert_non_null(l.error);
	assert_non_null(strstr(l.error, "deeper than 4"));
	ts_text_release(&t);
	ts_article_list_release(&l);
}

/* ---- silence, thread safety --------------------------------------------- */

static void noisy_inputs(void)
{
	static const char *inputs[] = {
	    "<html><body><p>unclosed <b><i></p></div></span>&bogus; <<<>>></body>",
	    "<meta charset='KOI8-R'><p>\xff\xfe\xfd</p>",
	    "<meta charset='utf-16'><p>\xff</p>",
	    "<?xml version='1.0' encoding='klingon'?><html><p>x</p></html>",
	    "<!DOCTYPE html SYSTEM 'http://127.0.0.1:9/x.dtd'><p>&nbsp;&#xD800;&#0;</p>",
	};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		ts_article_list_t l;
		memset(&l, 0, sizeof l);
		ts_extract_html(inputs[i], strlen(inputs[i]), NULL, &l);
		ts_article_list_release(&l);
	}
	size_t len;
	char *s = nested_html(2000, &len);
	ts_article_list_t l;
	memset(&l, 0, sizeof l);
	ts_extract_html(s, len, NULL, &l);
	ts_article_list_release(&l);
	free(s);
}

static int my_handler_calls;
static void my_handler(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
	my_handler_calls++;
}

static void test_silent_and_handlers_restored(void **state)
{
	(void)state;
	assert_int_equal(tu_stderr_bytes_during(noisy_inputs), 0);
	/* The caller's own libxml2 handler is back afterwards, and was not called. */
	int tag;
	xmlSetStructuredErrorFunc(&tag, my_handler);
	noisy_inputs();
	assert_ptr_equal(xmlStructuredError, my_handler);
	assert_ptr_equal(xmlStructuredErrorContext, &tag);
	assert_int_equal(my_handler_calls, 0);
	xmlSetStructuredErrorFunc(NULL, NULL);
}

#define THREADS 4
#define ROUNDS  40

static void *thread_main(void *arg)
{
	static const char *const titles[] = {
	    "Harbour Seals Return to the Thames Estuary", "Prices rise \xE2\x80\x93 again",
	    "Wind farm output hits record", "A\xC3\xB1o nuevo en M\xC3\xA1laga"};
	char **data = arg;
	long bad = 0;
	for (int r = 0; r < ROUNDS; r++) {
		for (size_t i = 0; i < 4; i++) {
			ts_article_list_t l;
			memset(&l, 0, sizeof l);
			if (ts_extract_html(data[i], strlen(data[i]), NULL, &l) != TS_OK ||
			    l.count != 1 || !l.items[0].title ||
			    strcmp(l.items[0].title, titles[i]))
				bad++;
			ts_article_list_release(&l);
		}
		size_t len;
		char *deep = nested_html(1000, &len);
		ts_article_list_t l;
		memset(&l, 0, sizeof l);
		if (ts_extract_html(deep, len, NULL, &l) != TS_ETOOBIG)
			bad++;
		ts_article_list_release(&l);
		free(deep);
	}
	return (void *)bad;
}

static void test_threads(void **state)
{
	(void)state;
	const char *names[] = {"article.html", "cp1252.html", "jsonld.html", "latin1.html"};
	char *data[4];
	size_t len;
	for (size_t i = 0; i < 4; i++)
		data[i] = tu_slurp(FIXTURES, names[i], &len);
	tu_run_threads(THREADS, thread_main, data);
	for (size_t i = 0; i < 4; i++)
		free(data[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_article_page),
	    cmocka_unit_test(test_jsonld),
	    cmocka_unit_test(test_jsonld_graph_and_lists),
	    cmocka_unit_test(test_opengraph),
	    cmocka_unit_test(test_title_from_h1),
	    cmocka_unit_test(test_loose_text_without_p),
	    cmocka_unit_test(test_block_elements),
	    cmocka_unit_test(test_largest_article_wins),
	    cmocka_unit_test(test_title_site_suffix),
	    cmocka_unit_test(test_latin1),
	    cmocka_unit_test(test_cp1252),
	    cmocka_unit_test(test_invalid_utf8),
	    cmocka_unit_test(test_other_charsets),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_empty_and_garbage),
	    cmocka_unit_test(test_appends_to_list),
	    cmocka_unit_test(test_fragment),
	    cmocka_unit_test(test_silent_and_handlers_restored),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, tu_extract_setup, tu_extract_teardown);
}
