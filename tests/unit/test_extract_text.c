/*
 * test_extract_text.c - plain-text articles (the seed article, hard-wrapped
 * text, bylines, dates, Markdown, line endings, BOMs, UTF-16, Windows-1252,
 * invalid bytes) and format detection.
 *
 * Run from the repository root: the fixtures are read from
 * tests/corpora/text/ and the seed article from ../shared/seeds/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "testutil.h"

/* The seed article, used in place: beside the project, or where this
 * machine keeps the shared files. */
#define SEED      "../shared/seeds/000_0b7fb2e2c523b373.txt"
#define SEED_WORK "/work/shared/seeds/000_0b7fb2e2c523b373.txt"
#define FIXTURE   "tests/corpora/text/"

/* ====================================================================== */
/* Helpers                                                                 */
/* ====================================================================== */

/* The seed article, or skip the test when it is not here. */
static char *read_seed(size_t *len)
{
	*len = 0; /* skip() does not return, but the compiler cannot know */
	char *data = tu_read_file(SEED, len);
	if (!data)
		data = tu_read_file(SEED_WORK, len);
	if (!data)
		skip();
	return data;
}

/* Extract DATA/LEN as text into a fresh LIST, expecting TS_OK. */
static void extract(const char *data, size_t len, ts_article_list_t *list)
{
	memset(list, 0, sizeof *list);
	ts_status_t st = ts_extract_text(data, len, NULL, list);
	if (st != TS_OK)
		fail_msg("ts_extract_text: %s (%s)", ts_status_str(st),
		         list->error ? list->error : "no message");
	for (size_t i = 0; i < list->count; i++) {
		const ts_article_t *a = &list->items[i];
		assert_string_equal(a->type, "text");
		/* Every string is valid UTF-8, trimmed, without runs of spaces. */
		const char *fields[] = {a->title, a->author, a->date};
		for (size_t f = 0; f < 3; f++)
			if (fields[f]) {
				assert_true(tu_utf8_valid(fields[f], strlen(fields[f])));
				assert_true(fields[f][0] != ' ');
			}
		for (size_t b = 0; b < a->nblocks; b++) {
			const ts_block_t *k = &a->blocks[b];
			assert_int_equal(strlen(k->text), k->len);
			assert_true(k->len > 0);
			assert_true(tu_utf8_valid(k->text, k->len));
			assert_true(k->text[0] != ' ' && k->text[k->len - 1] != ' ');
			assert_null(strstr(k->text, "  "));
			assert_null(strchr(k->text, '\r'));
			assert_null(strchr(k->text, '\n'));
		}
	}
}

static void assert_same_string(const char *a, const char *b)
{
	if (!a || !b) {
		if (a != b)
			fail_msg("'%s' != '%s'", a ? a : "(null)", b ? b : "(null)");
		return;
	}
	assert_string_equal(a, b);
}

/* Two extractions gave the same articles. */
static void assert_same_articles(const ts_article_list_t *x, const ts_article_list_t *y)
{
	assert_int_equal(x->count, y->count);
	for (size_t i = 0; i < x->count; i++) {
		const ts_article_t *a = &x->items[i], *b = &y->items[i];
		assert_same_string(a->title, b->title);
		assert_same_string(a->author, b->author);
		assert_same_string(a->date, b->date);
		assert_int_equal(a->nblocks, b->nblocks);
		for (size_t k = 0; k < a->nblocks; k++) {
			assert_int_equal(a->blocks[k].kind, b->blocks[k].kind);
			assert_string_equal(a->blocks[k].text, b->blocks[k].text);
		}
	}
}

static void assert_block(const ts_article_t *a, size_t i, ts_block_kind_t kind, const char *text)
{
	if (i >= a->nblocks)
		fail_msg("block %zu missing (%zu blocks), wanted '%s'", i, a->nblocks, text);
	if (a->blocks[i].kind != kind)
		fail_msg("block %zu '%s' is a %s, wanted a %s", i, a->blocks[i].text,
		         a->blocks[i].kind == TS_BLOCK_HEADING ? "heading" : "paragraph",
		         kind == TS_BLOCK_HEADING ? "heading" : "paragraph");
	assert_string_equal(a->blocks[i].text, text);
}

/* UTF-8 S/LEN as UTF-16 with a BOM (BE or LE), in a malloc'd buffer. */
static char *to_utf16(const char *s, size_t len, int be, size_t *outlen)
{
	unsigned char *out = malloc(len * 4 + 2);
	assert_non_null(out);
	size_t n = 0;
	out[n++] = be ? 0xfe : 0xff;
	out[n++] = be ? 0xff : 0xfe;
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		assert_true(k > 0);
		i += (size_t)k;
		uint16_t units[2];
		int nu = 1;
		if (cp >= 0x10000) {
			units[0] = (uint16_t)(0xd800 + ((cp - 0x10000) >> 10));
			units[1] = (uint16_t)(0xdc00 + ((cp - 0x10000) & 0x3ff));
			nu = 2;
		} else {
			units[0] = (uint16_t)cp;
		}
		for (int u = 0; u < nu; u++) {
			out[n++] = (unsigned char)(be ? units[u] >> 8 : units[u] & 0xff);
			out[n++] = (unsigned char)(be ? units[u] & 0xff : units[u] >> 8);
		}
	}
	*outlen = n;
	return (char *)out;
}

/* S/LEN with every "\n" turned into "\r\n", malloc'd. */
static char *to_crlf(const char *s, size_t len, size_t *outlen)
{
	char *out = malloc(len * 2 + 1);
	assert_non_null(out);
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			out[n++] = '\r';
		out[n++] = s[i];
	}
	*outlen = n;
	return out;
}

/* ====================================================================== */
/* The seed article                                                        */
/* ====================================================================== */

static const char *const seed_headings[] = {
    "Pacific Partners Balance Commerce and Confrontation",
    "Japanese Car Companies Look at Building New US Factories",
    "Nippon Steel\xe2\x80\x99s Evolving Strategy Toward U.S. Steel",
    "PM Ishiba\xe2\x80\x99s Adept Negotiations in the US Boost Ishiba\xe2\x80\x99s Political "
    "Clout in Japan",
    "Shared Interests Drive Future Policies",
};

static int is_seed_heading(const char *s, size_t n)
{
	for (size_t i = 0; i < 5; i++)
		if (strlen(seed_headings[i]) == n && !memcmp(seed_headings[i], s, n))
			return 1;
	return 0;
}

/* Check the article of the seed file against the file's own lines. */
static void check_seed_article(const char *data, size_t len, const ts_article_list_t *list)
{
	assert_int_equal(list->count, 1);
	const ts_article_t *a = &list->items[0];
	assert_string_equal(a->title, "US \xe2\x80\x93 Japan Trade: Contentious Issues, Common "
	                              "Concerns");
	assert_string_equal(a->author, "Eliana Pisons");
	assert_null(a->date);
	assert_int_equal(list->invalid_bytes, 0);

	/* Every non-empty line after the byline is one block, in file order. */
	size_t line = 0, b = 0, headings = 0, paras = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t s = i, e = end;
		while (s < e && (data[s] == ' ' || data[s] == '\t'))
			s++;
		while (e > s && (data[e - 1] == ' ' || data[e - 1] == '\t' || data[e - 1] == '\r'))
			e--;
		if (line++ >= 2 && e > s) {
			char *want = strndup(data + s, e - s);
			assert_non_null(want);
			int heading = is_seed_heading(want, e - s);
			assert_block(a, b++, heading ? TS_BLOCK_HEADING : TS_BLOCK_PARA, want);
			headings += heading;
			paras += !heading;
			free(want);
		}
		i = end + 1;
	}
	assert_int_equal(headings, 5);
	assert_true(paras >= 7);
	assert_int_equal(a->nblocks, b);

	/* The five headings, in order. */
	size_t h = 0;
	for (size_t i = 0; i < a->nblocks; i++)
		if (a->blocks[i].kind == TS_BLOCK_HEADING)
			assert_string_equal(a->blocks[i].text, seed_headings[h++]);
	assert_int_equal(h, 5);

	/* The last paragraph is the illustration credit. */
	const ts_block_t *last = &a->blocks[a->nblocks - 1];
	assert_int_equal(last->kind, TS_BLOCK_PARA);
	assert_true(!strncmp(last->text, "The illustrations", 17));
}

static void test_seed_article(void **state)
{
	(void)state;
	size_t len;
	char *data = read_seed(&len);
	ts_article_list_t list;
	extract(data, len, &list);
	check_seed_article(data, len, &list);
	ts_article_list_release(&list);
	free(data);
}

/* The seed as UTF-16 (both byte orders) and with CRLF endings: the same article. */
static void test_seed_encodings(void **state)
{
	(void)state;
	size_t len;
	char *data = read_seed(&len);
	ts_article_list_t want;
	extract(data, len, &want);

	for (int be = 0; be <= 1; be++) {
		size_t n;
		char *u16 = to_utf16(data, len, be, &n);
		ts_article_list_t got;
		extract(u16, n, &got);
		assert_same_articles(&got, &want);
		assert_int_equal(got.invalid_bytes, 0);
		ts_article_list_release(&got);
		free(u16);
	}
	size_t n;
	char *crlf = to_crlf(data, len, &n);
	ts_article_list_t got;
	extract(crlf, n, &got);
	assert_same_articles(&got, &want);
	ts_article_list_release(&got);
	free(crlf);

	ts_article_list_release(&want);
	free(data);
}

/* ====================================================================== */
/* Layouts                                                                 */
/* ====================================================================== */

static void check_wrapped(const ts_article_list_t *list)
{
	assert_int_equal(list->count, 1);
	const ts_article_t *a = &list->items[0];
	assert_string_equal(a->title, "Steel Talks Resume in T\xc5\x8dky\xc5\x8d");
	assert_string_equal(a->author, "Jane Doe");
	assert_string_equal(a->date, "2025-03-03");
	assert_int_equal(a->nblocks, 5);
	assert_block(a, 0, TS_BLOCK_HEADING, "Background");
	assert_block(a, 1, TS_BLOCK_PARA,
	             "Negotiators from both countries met again on Monday to discuss the future "
	             "of the \xe2\x80\x9csteel\xe2\x80\x9d industry, after weeks of delays.");
	assert_block(a, 2, TS_BLOCK_PARA,
	             "The talks, which began in January, are expected to cost \xe2\x82\xac"
	             "5 billion \xf0\x9f\x97\xbe by the end of the month.");
	assert_block(a, 3, TS_BLOCK_HEADING, "Next Steps");
	assert_block(a, 4, TS_BLOCK_PARA, "Officials said a joint statement would follow.");
	assert_int_equal(list->invalid_bytes, 0);
}

static void test_hard_wrapped(void **state)
{
	(void)state;
	size_t len;
	char *data = tu_slurp(FIXTURE, "wrapped.txt", &len);
	ts_article_list_t list;
	extract(data, len, &list);
	check_wrapped(&list);
	ts_article_list_release(&list);
	free(data);
}

static void test_line_endings_and_boms(void **state)
{
	(void)state;
	size_t len;
	char *data = tu_slurp(FIXTURE, "wrapped.txt", &len);
	ts_article_list_t list;

	size_t n;
	char *crlf = to_crlf(data, len, &n);
	extract(crlf, n, &list);
	check_wrapped(&list);
	ts_article_list_release(&list);

	/* UTF-8 BOM, on the LF and the CRLF versions. */
	char *bom = malloc(n + 3);
	assert_non_null(bom);
	memcpy(bom, "\xef\xbb\xbf", 3);
	memcpy(bom + 3, data, len);
	extract(bom, len + 3, &list);
	check_wrapped(&list);
	ts_article_list_release(&list);
	memcpy(bom + 3, crlf, n);
	extract(bom, n + 3, &list);
	check_wrapped(&list);
	ts_article_list_release(&list);
	free(bom);
	free(crlf);

	/* UTF-16 with a BOM, both byte orders (the text has a non-BMP character). */
	for (int be = 0; be <= 1; be++) {
		char *u16 = to_utf16(data, len, be, &n);
		extract(u16, n, &list);
		check_wrapped(&list);
		ts_article_list_release(&list);
		free(u16);
	}

	/* The CR of CRLF never reaches a block, even on blank lines. */
	const char *cr = "Title\r\n\r\nBody text here.\r\n";
	extract(cr, strlen(cr), &list);
	assert_int_equal(list.count, 1);
	assert_string_equal(list.items[0].title, "Title");
	assert_int_equal(list.items[0].nblocks, 1);
	assert_block(&list.items[0], 0, TS_BLOCK_PARA, "Body text here.");
	ts_article_list_release(&list);
	free(data);
}

static void test_bylines_and_dates(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *author, *date;
	} cases[] = {
	    {"Title\nBy Jane Doe\nBody paragraph.\n", "Jane Doe", NULL},
	    {"Title\n| By Jane Doe |\nBody paragraph.\n", "Jane Doe", NULL},
	    {"Title\n\n  by  Jane Doe  \n\nBody paragraph.\n", "Jane Doe", NULL},
	    {"Title\nBY JANE DOE\nBody paragraph.\n", "JANE DOE", NULL},
	    {"Title\nMarch 3, 2025\nBody paragraph.\n", NULL, "2025-03-03"},
	    {"Title\nBy Jane Doe\nMarch 3, 2025\nBody paragraph.\n", "Jane Doe", "2025-03-03"},
	    {"Title\nMarch 3, 2025\n| By Jane Doe |\nBody paragraph.\n", "Jane Doe", "2025-03-03"},
	    {"Title\n2025-02-07\nBody paragraph.\n", NULL, "2025-02-07"},
	    /* Not bylines: lower-case name, "By" inside a sentence. */
	    {"Title\nby the way, this is text.\n\nBody paragraph.\n", NULL, NULL},
	    {"Title\nBypass roads were closed.\n\nBody paragraph.\n", NULL, NULL},
	    {"Title\nMarch 3, 2025, was a busy day.\n\nBody paragraph.\n", NULL, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ts_article_list_t list;
		extract(cases[i].text, strlen(cases[i].text), &list);
		assert_int_equal(list.count, 1);
		const ts_article_t *a = &list.items[0];
		assert_string_equal(a->title, "Title");
		if ((a->author == NULL) != (cases[i].author == NULL) ||
		    (a->author && strcmp(a->author, cases[i].author)))
			fail_msg("case %zu: author '%s', wanted '%s'", i,
			         a->author ? a->author : "(null)",
			         cases[i].author ? cases[i].author : "(null)");
		if ((a->date == NULL) != (cases[i].date == NULL) ||
		    (a->date && strcmp(a->date, cases[i].date)))
			fail_msg("case %zu: date '%s', wanted '%s'", i,
			         a->date ? a->date : "(null)",
			         cases[i].date ? cases[i].date : "(null)");
		/* The body is still there, as the last block. */
		assert_true(a->nblocks >= 1);
		assert_string_equal(a->blocks[a->nblocks - 1].text, "Body paragraph.");
		ts_article_list_release(&list);
	}
}

static void test_markdown(void **state)
{
	(void)state;
	size_t len;
	char *data = tu_slurp(FIXTURE, "markdown.md", &len);
	ts_article_list_t list;
	extract(data, len, &list);
	assert_int_equal(list.count, 1);
	const ts_article_t *a = &list.items[0];
	assert_string_equal(a->title, "Markdown Title");
	assert_int_equal(a->nblocks, 5);
	assert_block(a, 0, TS_BLOCK_PARA, "Intro paragraph that explains things.");
	assert_block(a, 1, TS_BLOCK_HEADING, "First Section");
	assert_block(a, 2, TS_BLOCK_PARA, "Text of the first section.");
	assert_block(a, 3, TS_BLOCK_HEADING, "Second Section");
	assert_block(a, 4, TS_BLOCK_PARA,
	             "Text right under the heading, wrapped onto a second line.");
	ts_article_list_release(&list);
	free(data);

	/* One paragraph per line; a "##" heading even when it ends like a sentence. */
	const char *md = "# The Title\n## Why?\nFirst paragraph.\n\n### Details\nSecond one.\n";
	extract(md, strlen(md), &list);
	a = &list.items[0];
	assert_string_equal(a->title, "The Title");
	assert_int_equal(a->nblocks, 4);
	assert_block(a, 0, TS_BLOCK_HEADING, "Why?");
	assert_block(a, 1, TS_BLOCK_PARA, "First paragraph.");
	assert_block(a, 2, TS_BLOCK_HEADING, "Details");
	assert_block(a, 3, TS_BLOCK_PARA, "Second one.");
	ts_article_list_release(&list);

	/* "#hashtag" keeps its hash: only "# " makes a Markdown heading. */
	const char *tag = "Title\n\n#hashtag\n\nLast line.\n";
	extract(tag, strlen(tag), &list);
	assert_string_equal(list.items[0].blocks[0].text, "#hashtag");
	ts_article_list_release(&list);
}

static void test_windows_1252(void **state)
{
	(void)state;
	size_t len;
	char *data = tu_slurp(FIXTURE, "cp1252.txt", &len);
	ts_article_list_t list;
	extract(data, len, &list);
	assert_int_equal(list.count, 1);
	const ts_article_t *a = &list.items[0];
	assert_string_equal(a->title, "Caf\xc3\xa9 Prices Rise");
	assert_int_equal(a->nblocks, 1);
	assert_block(a, 0, TS_BLOCK_PARA,
	             "The \xe2\x80\x9c"
	             "best\xe2\x80\x9d coffee now costs 5\xe2\x82\xac a cup.");
	assert_int_equal(list.invalid_bytes, 0);
	ts_article_list_release(&list);
	free(data);
}

static void test_invalid_bytes(void **state)
{
	(void)state;
	size_t len;
	char *data = tu_slurp(FIXTURE, "invalid-utf8.txt", &len);
	ts_article_list_t list;
	extract(data, len, &list);
	assert_int_equal(list.count, 1);
	const ts_article_t *a = &list.items[0];
	assert_string_equal(a->title, "Na\xc3\xafve Title");
	assert_int_equal(a->nblocks, 1);
	assert_block(
	    a, 0, TS_BLOCK_PARA,
	    "A caf\xc3\xa9 with a bad \xef\xbf\xbd byte and \xef\xbf\xbd\xef\xbf\xbd here.");
	assert_int_equal(list.invalid_bytes, 3);
	ts_article_list_release(&list);
	free(data);
}

static void test_empty_and_odd_input(void **state)
{
	(void)state;
	ts_article_list_t list;
	const char *blank = " \n\t\r\n  \n\f\n";
	extract(blank, strlen(blank), &list);
	assert_int_equal(list.count, 0);
	ts_article_list_release(&list);
	extract("", 0, &list);
	assert_int_equal(list.count, 0);
	ts_article_list_release(&list);
	extract("\xef\xbb\xbf\n\n", 5, &list);
	assert_int_equal(list.count, 0);
	ts_article_list_release(&list);
	extract("\xff\xfe", 2, &list); /* a UTF-16 BOM and nothing else */
	assert_int_equal(list.count, 0);
	ts_article_list_release(&list);

	/* A title alone is an article. */
	extract("Just a Title\n", 13, &list);
	assert_int_equal(list.count, 1);
	assert_string_equal(list.items[0].title, "Just a Title");
	assert_int_equal(list.items[0].nblocks, 0);
	ts_article_list_release(&list);

	/* A first line too long for a title is a paragraph. */
	char longline[600];
	memset(longline, 0, sizeof longline);
	for (int i = 0; i < 40; i++)
		strcat(longline, "word word. ");
	strcat(longline, "\nSecond line.\n");
	extract(longline, strlen(longline), &list);
	assert_int_equal(list.count, 1);
	assert_null(list.items[0].title);
	assert_int_equal(list.items[0].nblocks, 2);
	assert_int_equal(list.items[0].blocks[0].kind, TS_BLOCK_PARA);
	ts_article_list_release(&list);

	/* An odd-length UTF-16 file: the dangling byte is dropped, nothing breaks. */
	const char u16[] = "\xff\xfeT\0i\0t\0l\0e\0\n\0B\0o\0d\0y\0.\0X";
	extract(u16, sizeof u16 - 1, &list);
	assert_int_equal(list.count, 1);
	assert_string_equal(list.items[0].title, "Title");
	assert_block(&list.items[0], 0, TS_BLOCK_PARA, "Body.");
	ts_article_list_release(&list);

	/* A lone surrogate in UTF-16 becomes U+FFFD. */
	const char lone[] = "\xff\xfeT\0i\0\x00\xd8\n\0";
	extract(lone, sizeof lone - 1, &list);
	assert_int_equal(list.count, 1);
	assert_string_equal(list.items[0].title, "Ti\xef\xbf\xbd");
	ts_article_list_release(&list);
}

/* ====================================================================== */
/* Format detection                                                        */
/* ====================================================================== */

static ts_format_t detect(const char *path, const char *data)
{
	return ts_format_detect(path, data, strlen(data));
}

static void test_format_detect(void **state)
{
	(void)state;
	const char *text = "Title\n\nSome text.\n";
	assert_int_equal(detect("a.txt", text), TS_FORMAT_TEXT);
	assert_int_equal(detect("dir/a.md", text), TS_FORMAT_TEXT);
	assert_int_equal(detect("A.TXT", text), TS_FORMAT_TEXT);
	assert_int_equal(detect("a.html", "<p>x</p>"), TS_FORMAT_HTML);
	assert_int_equal(detect("a.htm", "<p>x</p>"), TS_FORMAT_HTML);
	assert_int_equal(detect("a.xml", "<?xml version=\"1.0\"?><a/>"), TS_FORMAT_XML);
	assert_int_equal(detect("feed.rss", "<rss><channel/></rss>"), TS_FORMAT_XML);
	assert_int_equal(detect("feed.atom", "<feed/>"), TS_FORMAT_XML);

	/* No extension: judged by content. */
	assert_int_equal(detect("README", text), TS_FORMAT_TEXT);
	assert_int_equal(detect("some.dir/article", text), TS_FORMAT_TEXT);
	assert_int_equal(detect("page", "<!DOCTYPE html>\n<html><body>x</body></html>"),
	                 TS_FORMAT_HTML);
	assert_int_equal(detect("page", "\xef\xbb\xbf  \n<!doctype HTML><p>x"), TS_FORMAT_HTML);
	assert_int_equal(detect("feed", "<?xml version=\"1.0\"?>\n<rss/>"), TS_FORMAT_XML);
	assert_int_equal(detect("feed", "\n  <?xml version=\"1.0\"?><doc/>"), TS_FORMAT_XML);

	/* Not documents. */
	const char nul[] = "Title\n\nText with a \0 NUL byte.\n";
	assert_int_equal(ts_format_detect("a.txt", nul, sizeof nul - 1), TS_FORMAT_NONE);
	assert_int_equal(ts_format_detect("noext", nul, sizeof nul - 1), TS_FORMAT_NONE);
	const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nstream\n\0\0\x01\x02";
	assert_int_equal(ts_format_detect("a.pdf", pdf, sizeof pdf - 1), TS_FORMAT_NONE);
	const char jpg[] = "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01";
	assert_int_equal(ts_format_detect("a.jpg", jpg, sizeof jpg - 1), TS_FORMAT_NONE);
	assert_int_equal(detect("a.c", "#include <stdio.h>\nint main(void) { return 0; }\n"),
	                 TS_FORMAT_NONE);
	assert_int_equal(detect("a.json", "{\"title\": \"x\", \"body\": \"y\"}\n"), TS_FORMAT_NONE);
	assert_int_equal(detect("a.pdf", "plain words"), TS_FORMAT_NONE);
	assert_int_equal(ts_format_detect("a.txt", "", 0), TS_FORMAT_NONE);
	assert_int_equal(ts_format_detect("README", "", 0), TS_FORMAT_NONE);
	/* Terminal escape soup is not text. */
	assert_int_equal(detect("log", "\x1b[1m\x1b[2J\x01\x02\x03\x04\x05\x06\x07\x08 x"),
	                 TS_FORMAT_NONE);

	/* UTF-16 with a BOM holds NUL bytes, and is text all the same. */
	const char u16[] = "\xff\xfeT\0i\0t\0l\0e\0\n\0";
	assert_int_equal(ts_format_detect("a.txt", u16, sizeof u16 - 1), TS_FORMAT_TEXT);
	assert_int_equal(ts_format_detect("README", u16, sizeof u16 - 1), TS_FORMAT_TEXT);
	const char u16be[] = "\xfe\xff\0T\0i\0t\0l\0e\0\n";
	assert_int_equal(ts_format_detect("a.txt", u16be, sizeof u16be - 1), TS_FORMAT_TEXT);

	assert_string_equal(ts_format_name(TS_FORMAT_TEXT), "text");
	assert_string_equal(ts_format_name(TS_FORMAT_HTML), "html");
	assert_string_equal(ts_format_name(TS_FORMAT_XML), "xml");
	assert_string_equal(ts_format_name(TS_FORMAT_NONE), "none");
}

/* ts_extract dispatches on the format, and refuses TS_FORMAT_NONE. */
static void test_extract_dispatch(void **state)
{
	(void)state;
	ts_article_list_t list = {0};
	const char *text = "Title\n\nBody.\n";
	assert_int_equal(ts_extract(TS_FORMAT_TEXT, text, strlen(text), NULL, &list), TS_OK);
	assert_int_equal(list.count, 1);
	ts_article_list_release(&list);
	assert_int_equal(ts_extract(TS_FORMAT_NONE, text, strlen(text), NULL, &list),
	                 TS_EUNSUPPORTED);
	assert_non_null(list.error);
	assert_int_equal(list.count, 0);
	ts_article_list_release(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seed_article),
	    cmocka_unit_test(test_seed_encodings),
	    cmocka_unit_test(test_hard_wrapped),
	    cmocka_unit_test(test_line_endings_and_boms),
	    cmocka_unit_test(test_bylines_and_dates),
	    cmocka_unit_test(test_markdown),
	    cmocka_unit_test(test_windows_1252),
	    cmocka_unit_test(test_invalid_bytes),
	    cmocka_unit_test(test_empty_and_odd_input),
	    cmocka_unit_test(test_format_detect),
	    cmocka_unit_test(test_extract_dispatch),
	};
	return cmocka_run_group_tests_name("extract_text", tests, tu_extract_setup,
	                                   tu_extract_teardown);
}
