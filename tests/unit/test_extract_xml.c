/*
 * test_extract_xml.c - the XML extractor: RSS, Atom, single articles,
 * news dumps, entities (internal, external, bombs), depth and article
 * limits, well-formedness errors, encodings, silence, threads. Fixtures
 * are in tests/corpora/formats/ (run from the repo root).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "extract.h"
#include "extract_internal.h"
#include "testutil.h"

#define FIXTURES "tests/corpora/formats/"

/* ---- helpers ---------------------------------------------------------- */

static ts_status_t extract_file(const char *name, const ts_extract_limits_t *lim,
                                ts_article_list_t *l)
{
	size_t len;
	char *data = tu_slurp(FIXTURES, name, &len);
	memset(l, 0, sizeof *l);
	ts_status_t st = ts_extract_xml(data, len, lim, l);
	free(data);
	return st;
}

static ts_status_t extract_str(const char *s, ts_article_list_t *l)
{
	memset(l, 0, sizeof *l);
	return ts_extract_xml(s, strlen(s), NULL, l);
}

static void assert_block(const ts_article_t *a, size_t i, ts_block_kind_t kind, const char *text)
{
	if (i >= a->nblocks)
		fail_msg("block %zu missing (article has %zu)", i, a->nblocks);
	assert_int_equal(a->blocks[i].kind, kind);
	assert_string_equal(a->blocks[i].text, text);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- feeds ------------------------------------------------------------- */

static void test_rss(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("feed-rss.xml", NULL, &l), TS_OK);
	assert_null(l.error);
	assert_int_equal(l.count, 3);

	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->type, "rss");
	assert_string_equal(a->title, "Flood defences completed ahead of winter");
	assert_string_equal(a->link, "https://news.example.org/2025/01/flood-defences");
	assert_string_equal(a->author, "Priya Natarajan");
	assert_string_equal(a->date, "2025-02-07T14:30:00");
	assert_string_equal(a->locator, "rvn-2025-0001");
	assert_string_equal(a->language, "en-gb");
	/* Escaped HTML in <description>: two paragraphs, the script dropped. */
	assert_int_equal(a->nblocks, 2);
	assert_block(a, 0, TS_BLOCK_PARA, "Engineers finished the new flood walls on Thursday.");
	assert_block(a, 1, TS_BLOCK_PARA, "The walls protect 2,000 homes & businesses.");

	a = &l.items[1];
	/* &amp;quot; in the title is HTML inside XML: decoded twice. */
	assert_string_equal(a->title, "Council approves \"green\" bus routes");
	assert_string_equal(a->author, "Sam Whitfield"); /* from "email (Name)" */
	assert_string_equal(a->date, "2025-02-06T08:00:00");
	/* No guid: the link locates the item. */
	assert_string_equal(a->locator, "https://news.example.org/2025/01/bus-routes");
	assert_int_equal(a->nblocks, 3);
	assert_block(a, 0, TS_BLOCK_PARA, "Three electric bus routes will start in March.");
	assert_block(a, 1, TS_BLOCK_HEADING, "Timetable");
	assert_block(a, 2, TS_BLOCK_PARA, "Buses run every 15 minutes.");

	a = &l.items[2];
	assert_string_equal(a->title, "Market day moves to Saturday");
	assert_null(a->author);
	assert_null(a->link);
	assert_string_equal(a->date, "2025-02-05"); /* dc:date */
	assert_string_equal(a->locator, "item 3");
	/* content:encoded preferred to description */
	assert_int_equal(a->nblocks, 2);
	assert_block(a, 0, TS_BLOCK_PARA,
	             "The weekly market will move to Saturdays from next month, the council said.");

	tu_assert_nowhere(&l, "feedscript");
	tu_assert_nowhere(&l, "Mediatitle");
	tu_assert_nowhere(&l, "River Valley News"); /* the channel is not an article */
	ts_article_list_release(&l);
}

static void test_rss1_rdf(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(
	    extract_str(
	        "<?xml version='1.0'?>"
	        "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
	        "xmlns='http://purl.org/rss/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
	        "<channel rdf:about='http://ex.org/'><title>Feed</title>"
	        "<dc:language>nl</dc:language></channel>"
	        "<item rdf:about='http://ex.org/one'><title>One</title>"
	        "<description>First part.\n  \nSecond part.</description>"
	        "<dc:date>2024-12-24T18:00:00+01:00</dc:date></item>"
	        "<item rdf:about='http://ex.org/two'><title>Two</title></item>"
	        "</rdf:RDF>",
	        &l),
	    TS_OK);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.items[0].link, "http://ex.org/one");
	assert_string_equal(l.items[0].locator, "http://ex.org/one");
	assert_string_equal(l.items[0].date, "2024-12-24T17:00:00");
	assert_string_equal(l.items[0].language, "nl");
	/* Plain text description: paragraphs at blank lines. */
	assert_int_equal(l.items[0].nblocks, 2);
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "First part.");
	assert_block(&l.items[0], 1, TS_BLOCK_PARA, "Second part.");
	assert_string_equal(l.items[1].title, "Two");
	assert_int_equal(l.items[1].nblocks, 0);
	ts_article_list_release(&l);
}

static void test_atom(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("feed-atom.xml", NULL, &l), TS_OK);
	assert_int_equal(l.count, 3);

	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->type, "atom");
	assert_string_equal(a->title, "Comet C/2025 A1 brightens");        /* type="html" */
	assert_string_equal(a->link, "https://science.example.com/comet"); /* not rel="edit" */
	assert_string_equal(a->author, "Lena Fischer, Omar Haddad");
	assert_string_equal(a->date, "2025-02-07T08:00:00"); /* published, to UTC */
	assert_string_equal(a->locator, "tag:science.example.com,2025:comet");
	assert_string_equal(a->language, "en");
	assert_int_equal(a->nblocks, 2); /* content, not summary */
	assert_block(a, 0, TS_BLOCK_PARA, "Astronomers report the comet has brightened tenfold.");
	assert_block(a, 1, TS_BLOCK_PARA, "It may be visible to the naked eye in March.");

	a = &l.items[1];
	assert_string_equal(a->title, "Les glaciers reculent");               /* type="xhtml" */
	assert_string_equal(a->link, "https://science.example.com/glaciers"); /* no rel */
	assert_string_equal(a->author, "Science Desk Staff");                 /* the feed's */
	assert_string_equal(a->date, "2025-01-30T08:00:00");                  /* updated */
	assert_string_equal(a->language, "fr");
	/* XHTML content walked as HTML blocks; the script inside is not text. */
	assert_int_equal(a->nblocks, 3);
	assert_block(a, 0, TS_BLOCK_HEADING, "Mesures");
	assert_block(a, 1, TS_BLOCK_PARA,
	             "Les glaciers alpins ont perdu cinq pour cent de leur volume.");
	assert_block(a, 2, TS_BLOCK_PARA, "Mesures satellites");

	a = &l.items[2];
	assert_string_equal(a->date, "2025-01-29");
	assert_null(a->link);
	/* type="text": markup characters are text; blank lines split. */
	assert_int_equal(a->nblocks, 2);
	assert_block(a, 0, TS_BLOCK_PARA, "First plain paragraph with <tags> kept as text.");
	assert_block(a, 1, TS_BLOCK_PARA, "Second plain paragraph.");

	tu_assert_nowhere(&l, "xhtmlscript");
	tu_assert_nowhere(&l, "not used when content exists");
	ts_article_list_release(&l);
}

/* ---- generic XML -------------------------------------------------------- */

static void test_single_article(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("single-article.xml", NULL, &l), TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->type, "xml");
	assert_string_equal(a->title, "Orchard growers report bumper apple harvest");
	assert_string_equal(a->author, "Ruth Ellison");
	assert_string_equal(a->date, "2025-02-07");
	assert_string_equal(a->language, "en");
	assert_null(a->locator);
	assert_null(a->link);
	assert_int_equal(a->nblocks, 4);
	assert_block(a, 0, TS_BLOCK_PARA,
	             "Apple growers across the county reported their best harvest in a decade.");
	assert_block(a, 1, TS_BLOCK_PARA,
	             "A mild spring and a wet summer helped the fruit to swell.");
	assert_block(a, 2, TS_BLOCK_HEADING, "Prices expected to fall");
	assert_block(a, 3, TS_BLOCK_PARA, "Shoppers should see lower prices by March.");
	ts_article_list_release(&l);
}

static void test_newsitem(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("newsitem.xml", NULL, &l), TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	/* The headline beats the <title> (a slug, here "USA: " and the headline). */
	assert_string_equal(a->title, "Tylan stock jumps; weighs sale of company.");
	assert_string_equal(a->author, "Mike Ross");
	assert_string_equal(a->date, "1996-08-20"); /* from the date attribute */
	assert_string_equal(a->language, "en");
	assert_null(a->locator); /* a whole-file article */
	assert_int_equal(a->nblocks, 2);
	assert_block(a, 0, TS_BLOCK_PARA,
	             "The stock of Tylan General Inc. jumped Tuesday after the maker of "
	             "process-management equipment said it is exploring the sale of the company.");
	assert_block(a, 1, TS_BLOCK_PARA, "Tylan's shares rose $2.50 to $14.25 on the Nasdaq.");
	tu_assert_nowhere(&l, "Reuters Limited");
	tu_assert_nowhere(&l, "bip:countries");
	ts_article_list_release(&l);
}

static void test_news_dump(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("newsitems.xml", NULL, &l), TS_OK);
	assert_int_equal(l.count, 3);
	assert_string_equal(l.items[0].type, "xml");
	assert_string_equal(l.items[0].title, "First wire story");
	assert_string_equal(l.items[0].author, "Alice Moreau");
	assert_string_equal(l.items[0].date, "2025-02-01");
	assert_string_equal(l.items[0].locator, "n-1");
	assert_int_equal(l.items[0].nblocks, 1);

	assert_string_equal(l.items[1].title, "Second wire story");
	assert_string_equal(l.items[1].locator, "newsitem 2");
	assert_int_equal(l.items[1].nblocks, 2); /* text split at the blank line */
	assert_block(&l.items[1], 0, TS_BLOCK_PARA, "A story without paragraph elements.");
	assert_block(&l.items[1], 1, TS_BLOCK_PARA, "It has two blank-line separated parts.");

	assert_string_equal(l.items[2].locator, "n-3");
	assert_string_equal(l.items[2].date, "2025-02-03T11:00:00"); /* from the dateline */
	assert_int_equal(l.items[2].nblocks, 2);
	ts_article_list_release(&l);

	/* Repeated paragraphs are not a container: one article. */
	assert_int_equal(extract_str("<story><title>T</title><p>a</p><p>b</p><p>c</p></story>", &l),
	                 TS_OK);
	assert_int_equal(l.count, 1);
	assert_int_equal(l.items[0].nblocks, 3);
	ts_article_list_release(&l);

	/* TREC-style documents: <docno> locates them. */
	assert_int_equal(extract_str("<docs><doc><docno>AP-1</docno><text>One.</text></doc>"
	                             "<doc><docno>AP-2</docno><text>Two.</text></doc>"
	                             "<meta>not a doc</meta></docs>",
	                             &l),
	                 TS_OK);
	assert_int_equal(l.count, 2);
	assert_string_equal(l.items[0].locator, "AP-1");
	assert_string_equal(l.items[1].locator, "AP-2");
	assert_block(&l.items[1], 0, TS_BLOCK_PARA, "Two.");
	ts_article_list_release(&l);
}

static void test_xhtml_root(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(
	    extract_str("<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml' "
	                "xml:lang='it'><head><title>Pagina XHTML</title><script>nope()</script>"
	                "</head><body><nav><p>Menu</p></nav><h1>Pagina XHTML</h1><h2>Sezione</h2>"
	                "<p>Testo <em>vero</em>.</p><script>alsonope()</script></body></html>",
	                &l),
	    TS_OK);
	assert_int_equal(l.count, 1);
	const ts_article_t *a = &l.items[0];
	assert_string_equal(a->type, "xml");
	assert_string_equal(a->title, "Pagina XHTML");
	assert_string_equal(a->language, "it");
	assert_int_equal(a->nblocks, 2);
	assert_block(a, 0, TS_BLOCK_HEADING, "Sezione");
	assert_block(a, 1, TS_BLOCK_PARA, "Testo vero.");
	tu_assert_nowhere(&l, "nope");
	tu_assert_nowhere(&l, "Menu");
	ts_article_list_release(&l);
}

static void test_not_an_article(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_str("<?xml version='1.0'?><config><setting name='a'>1</setting>"
	                             "<setting name='b'>2</setting></config>",
	                             &l),
	                 TS_OK);
	assert_int_equal(l.count, 0);
	assert_null(l.error);
	ts_article_list_release(&l);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_xml("", 0, NULL, &l), TS_OK);
	assert_int_equal(l.count, 0);
	assert_int_equal(ts_extract_xml("<a/>", 4, NULL, NULL), TS_EINVAL);
	ts_article_list_release(&l);
}

/* ---- entities and the network ----------------------------------------- */

static void test_internal_entities(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("internal-entity.xml", NULL, &l), TS_OK);
	assert_int_equal(l.count, 1);
	/* Plain internal entities expand; those holding markup or references do not. */
	assert_string_equal(l.items[0].title, "Northwind Cooperative annual report");
	assert_block(&l.items[0], 0, TS_BLOCK_PARA,
	             "The Northwind Cooperative grew by ten per cent & hired staff.");
	assert_block(&l.items[0], 1, TS_BLOCK_PARA, "Nested: [] Markup: []");
	ts_article_list_release(&l);

	/* Undeclared entities of an XHTML file whose DTD is not loaded: HTML's. */
	assert_int_equal(
	    extract_str("<?xml version='1.0'?><!DOCTYPE article PUBLIC '-//W3C//DTD XHTML 1.0 "
	                "Strict//EN' 'http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd'>"
	                "<article><title>Caf&eacute; menu</title><p>Cr&egrave;me &amp; "
	                "&unknownentity; tea</p></article>",
	                &l),
	    TS_OK);
	assert_string_equal(l.items[0].title, "Caf\xC3\xA9 menu");
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "Cr\xC3\xA8me & tea");
	ts_article_list_release(&l);
}

static void test_billion_laughs(void **state)
{
	(void)state;
	ts_article_list_t l;
	struct rusage before, after;
	getrusage(RUSAGE_SELF, &before);
	double t0 = now();
	ts_status_t st = extract_file("bomb.xml", NULL, &l);
	double elapsed = now() - t0;
	getrusage(RUSAGE_SELF, &after);
	assert_true(st == TS_ETOOBIG || st == TS_EPARSE);
	assert_int_equal(l.count, 0);
	assert_non_null(l.error);
	assert_true(elapsed < 1.0);
	/* peak memory grew by less than 64 MB (ru_maxrss is in KiB) */
	assert_true(after.ru_maxrss - before.ru_maxrss < 64 * 1024);
	ts_article_list_release(&l);
}

static void test_entity_budget(void **state)
{
	(void)state;
	/* One 64 KiB plain entity used 100 times: 6.4 MB from a 70 KB file. */
	size_t cap = 70000 + 100 * 8 + 256;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t n = (size_t)sprintf(s, "<?xml version='1.0'?><!DOCTYPE a [<!ENTITY big \"");
	for (int i = 0; i < 65536; i++)
		s[n++] = (char)('a' + i % 26);
	n += (size_t)sprintf(s + n, "\">]><a><title>Budget</title><p>");
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(s + n, "&big; ");
	n += (size_t)sprintf(s + n, "</p></a>");
	assert_true(n < cap);
	ts_article_list_t l;
	memset(&l, 0, sizeof l);
	double t0 = now();
	ts_status_t st = ts_extract_xml(s, n, NULL, &l);
	assert_true(now() - t0 < 1.0);
	if (st == TS_ETOOBIG) {
		assert_non_null(l.error);
		assert_non_null(strstr(l.error, "entity"));
	} else {
		/* libxml2 itself may refuse the amplification first */
		assert_int_equal(st, TS_EPARSE);
	}
	ts_article_list_release(&l);
	free(s);
}

static void test_external_file_entity(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("xxe-file.xml", NULL, &l), TS_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.items[0].title, "External entity test");
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "Before the entity: after the entity.");
	tu_assert_nowhere(&l, "root:");
	tu_assert_nowhere(&l, "/bin/");
	tu_assert_nowhere(&l, "nologin");
	ts_article_list_release(&l);
}

/* A TCP listener on 127.0.0.1; returns the socket and its port through PORT. */
static int listen_local(int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(fd >= 0);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(fd, 8), 0);
	socklen_t sl = sizeof sa;
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &sl), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

/*
 * A thread accepting (and at once closing, so that a client would fail
 * fast rather than wait) every connection to the listener, counting them.
 */
typedef struct acceptor {
	int fd;
	int stop;        /* set by the test, read by the thread (atomics) */
	int connections; /* accepted so far */
} acceptor_t;

static void *acceptor_main(void *arg)
{
	acceptor_t *ac = arg;
	while (!__atomic_load_n(&ac->stop, __ATOMIC_SEQ_CST)) {
		struct pollfd p = {.fd = ac->fd, .events = POLLIN, .revents = 0};
		if (poll(&p, 1, 20) > 0) {
			int c = accept(ac->fd, NULL, NULL);
			if (c >= 0) {
				__atomic_add_fetch(&ac->connections, 1, __ATOMIC_SEQ_CST);
				close(c);
			}
		}
	}
	return NULL;
}

static void test_external_http_entity(void **state)
{
	(void)state;
	ts_article_list_t l;
	/* The fixture as it is (port 9, discard). */
	double t0 = now();
	assert_int_equal(extract_file("xxe-http.xml", NULL, &l), TS_OK);
	assert_true(now() - t0 < 1.0);
	assert_int_equal(l.count, 1);
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "Remote: end.");
	ts_article_list_release(&l);

	/* And against a live listener: no connection may ever arrive. */
	acceptor_t ac = {.fd = -1, .stop = 0, .connections = 0};
	int port;
	ac.fd = listen_local(&port);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, acceptor_main, &ac), 0);
	char doc[1024];
	snprintf(doc, sizeof doc,
	         "<?xml version='1.0'?>\n"
	         "<!DOCTYPE article SYSTEM 'http://127.0.0.1:%d/evil.dtd' [\n"
	         "  <!ENTITY remote SYSTEM 'http://127.0.0.1:%d/secret.txt'>\n"
	         "  <!ENTITY %% pe SYSTEM 'http://127.0.0.1:%d/pe.dtd'>\n"
	         "  <!ENTITY %% pe2 SYSTEM 'http://127.0.0.1:%d/pe2.dtd'> %%pe2;\n"
	         "]>\n<article><title>&remote;Remote</title><p>A &remote; B</p>"
	         "<p attr='&remote;'>C</p></article>",
	         port, port, port, port);
	ts_status_t st = extract_str(doc, &l);
	assert_true(st == TS_OK || st == TS_EPARSE);
	ts_article_list_release(&l);
	/* The HTML extractor on the same text does not fetch either. */
	memset(&l, 0, sizeof l);
	ts_extract_html(doc, strlen(doc), NULL, &l);
	ts_article_list_release(&l);
	usleep(100 * 1000); /* let a connection in flight be counted */
	__atomic_store_n(&ac.stop, 1, __ATOMIC_SEQ_CST);
	assert_int_equal(pthread_join(th, NULL), 0);
	close(ac.fd);
	assert_int_equal(ac.connections, 0);
}

/* ---- limits and errors ------------------------------------------------- */

/* XML of DEPTH nested elements, a paragraph at the bottom. */
static char *nested_xml(size_t depth, size_t *len)
{
	size_t cap = 64 + depth * 8;
	char *s = malloc(cap);
	assert_non_null(s);
	size_t n = (size_t)sprintf(s, "<?xml version='1.0'?>");
	for (size_t i = 0; i < depth - 1; i++)
		n += (size_t)sprintf(s + n, "<a>");
	n += (size_t)sprintf(s + n, "<p>deep</p>");
	for (size_t i = 0; i < depth - 1; i++)
		n += (size_t)sprintf(s + n, "</a>");
	*len = n;
	return s;
}

static void test_depth_limit(void **state)
{
	(void)state;
	ts_article_list_t l;
	size_t len;
	char *s = nested_xml(100000, &len);
	memset(&l, 0, sizeof l);
	double t0 = now();
	assert_int_equal(ts_extract_xml(s, len, NULL, &l), TS_ETOOBIG);
	assert_true(now() - t0 < 1.0);
	assert_int_equal(l.count, 0);
	assert_non_null(strstr(l.error, "nested deeper than 256"));
	ts_article_list_release(&l);
	free(s);

	s = nested_xml(256, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_xml(s, len, NULL, &l), TS_OK);
	assert_int_equal(l.count, 1);
	assert_block(&l.items[0], 0, TS_BLOCK_PARA, "deep");
	ts_article_list_release(&l);
	free(s);

	s = nested_xml(257, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_xml(s, len, NULL, &l), TS_ETOOBIG);
	ts_article_list_release(&l);
	free(s);

	ts_extract_limits_t lim = {.max_depth = 5, .max_articles = 0};
	s = nested_xml(5, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_xml(s, len, &lim, &l), TS_OK);
	ts_article_list_release(&l);
	free(s);
	s = nested_xml(6, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_xml(s, len, &lim, &l), TS_ETOOBIG);
	assert_non_null(strstr(l.error, "deeper than 5"));
	ts_article_list_release(&l);
	free(s);

	/* A limit above libxml2's own (XML_PARSE_HUGE is never set): libxml2's wins. */
	lim.max_depth = 1000;
	s = nested_xml(300, &len);
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_xml(s, len, &lim, &l), TS_ETOOBIG);
	assert_non_null(strstr(l.error, "libxml2's limit"));
	ts_article_list_release(&l);
	free(s);

	/* HTML inside a feed item counts too. */
	lim.max_depth = 20;
	char feed[2048];
	size_t n = (size_t)sprintf(feed, "<rss><channel><item><title>Deep</title><description>");
	for (int i = 0; i < 30; i++)
		n += (size_t)sprintf(feed + n, "&lt;div&gt;");
	sprintf(feed + n, "text</description></item></channel></rss>");
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_xml(feed, strlen(feed), &lim, &l), TS_ETOOBIG);
	assert_non_null(l.error);
	ts_article_list_release(&l);
}

static void test_max_articles(void **state)
{
	(void)state;
	ts_article_list_t l;
	ts_extract_limits_t lim = {.max_depth = 0, .max_articles = 2};
	assert_int_equal(extract_file("feed-rss.xml", &lim, &l), TS_ETOOBIG);
	assert_int_equal(l.count, 2); /* the ones completed are kept */
	assert_non_null(strstr(l.error, "more than 2 articles"));
	ts_article_list_release(&l);

	/* The limit counts this file's articles, not those already in the list. */
	size_t len;
	char *data = tu_slurp(FIXTURES, "newsitems.xml", &len);
	assert_int_equal(extract_file("feed-rss.xml", NULL, &l), TS_OK);
	lim.max_articles = 3;
	assert_int_equal(ts_extract_xml(data, len, &lim, &l), TS_OK);
	assert_int_equal(l.count, 6);
	assert_string_equal(l.items[3].title, "First wire story");
	ts_article_list_release(&l);
	free(data);
}

static void test_libxml2_size_limits(void **state)
{
	(void)state;
	/* A CDATA section above libxml2's 10 MB limit (XML_PARSE_HUGE is never set). */
	const char *head = "<a><title>t</title><p><![CDATA[";
	const char *tail = "]]></p></a>";
	size_t body = 11u << 20;
	size_t len = strlen(head) + body + strlen(tail);
	char *s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, head, strlen(head));
	for (size_t i = 0; i < body; i++)
		s[strlen(head) + i] = i % 6 == 5 ? ' ' : 'w';
	memcpy(s + strlen(head) + body, tail, strlen(tail) + 1);
	ts_article_list_t l;
	memset(&l, 0, sizeof l);
	assert_int_equal(ts_extract_xml(s, len, NULL, &l), TS_ETOOBIG);
	assert_int_equal(l.count, 0);
	assert_non_null(strstr(l.error, "size limits"));
	ts_article_list_release(&l);
	free(s);
}

static void test_truncated(void **state)
{
	(void)state;
	ts_article_list_t l;
	assert_int_equal(extract_file("truncated.xml", NULL, &l), TS_EPARSE);
	assert_int_equal(l.count, 0);
	assert_non_null(l.error);
	assert_int_equal(strncmp(l.error, "line 7: ", 8), 0);
	assert_non_null(strstr(l.error, "premature end of data"));
	ts_article_list_release(&l);

	/* Not XML at all, and mismatched tags: TS_EPARSE with a line. */
	assert_int_equal(extract_str("this is not xml", &l), TS_EPARSE);
	assert_non_null(l.error);
	ts_article_list_release(&l);
	assert_int_equal(extract_str("<a>\n<b>\n</a>", &l), TS_EPARSE);
	assert_int_equal(strncmp(l.error, "line 3: ", 8), 0);
	ts_article_list_release(&l);
	/* No recovery: an undefined entity without a DTD is an error. */
	assert_int_equal(extract_str("<a><p>&nope;</p></a>", &l), TS_EPARSE);
	ts_article_list_release(&l);
}

static void test_encodings(void **state)
{
	(void)state;
	ts_article_list_t l;
	/* Declares UTF-8, holds Windows-1252: read again as Windows-1252. */
	assert_int_equal(extract_file("wrong-encoding.xml", NULL, &l), TS_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.items[0].title, "Caf\xC3\xA9 society");
	assert_block(&l.items[0], 0, TS_BLOCK_PARA,
	             "The caf\xC3\xA9 on the corner serves cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"
	             "e \xE2\x80\x9C"
	             "daily\xE2\x80\x9D.");
	ts_article_list_release(&l);
	/* Declares an encoding nobody knows: read as UTF-8 (it is valid UTF-8). */
	assert_int_equal(extract_file("unknown-encoding.xml", NULL, &l), TS_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.items[0].title, "Unknown encoding declared");
	ts_article_list_release(&l);
	/* ISO-8859-1 declared and true: honoured. */
	assert_int_equal(extract_str("<?xml version='1.0' encoding='ISO-8859-1'?>"
	                             "<article><title>Se\xF1or</title></article>",
	                             &l),
	                 TS_OK);
	assert_string_equal(l.items[0].title, "Se\xC3\xB1or");
	ts_article_list_release(&l);
	/* Declared ISO-8859-1 holding 0x93/0x94/0x80: Windows-1252, as browsers read it. */
	assert_int_equal(extract_str("<?xml version='1.0' encoding='iso-8859-1'?>"
	                             "<article><title>\x93Quoted\x94 \x80"
	                             "5</title></article>",
	                             &l),
	                 TS_OK);
	assert_string_equal(l.items[0].title, "\xE2\x80\x9CQuoted\xE2\x80\x9D \xE2\x82\xAC"
	                                      "5");
	ts_article_list_release(&l);
	/* A <meta charset> inside a feed's CDATA is text, not a declaration: the
	 * UTF-8 feed (no encoding declared) stays UTF-8. */
	assert_int_equal(extract_str("<?xml version='1.0'?><rss><channel><item>"
	                             "<title>Caf\xC3\xA9 \xE2\x80\x93 news</title><description>"
	                             "<![CDATA[<meta charset=\"iso-8859-1\"><p>Body.</p>]]>"
	                             "</description></item></channel></rss>",
	                             &l),
	                 TS_OK);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.items[0].title, "Caf\xC3\xA9 \xE2\x80\x93 news");
	ts_article_list_release(&l);
	/* A bad encoding is no excuse for bad structure: still TS_EPARSE. */
	assert_int_equal(extract_str("<?xml version='1.0' encoding='UTF-8'?><a>caf\xE9</b>", &l),
	                 TS_EPARSE);
	assert_int_equal(l.count, 0);
	ts_article_list_release(&l);
}

static void test_garbage(void **state)
{
	(void)state;
	unsigned char noise[4096];
	uint32_t x = 777;
	for (int round = 0; round < 40; round++) {
		size_t n = sizeof noise;
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			noise[i] = (unsigned char)(x >> 16);
			if (round % 2 && noise[i] % 5 == 0)
				noise[i] = (unsigned char)"<>/&;"[noise[i] % 5];
		}
		if (round % 4 == 3)
			memcpy(noise, "<?xml version='1.0'?><rss><channel><item><title>", 49);
		ts_article_list_t l;
		memset(&l, 0, sizeof l);
		ts_status_t st = ts_extract_xml((const char *)noise, n, NULL, &l);
		assert_true(st == TS_OK || st == TS_EPARSE || st == TS_ETOOBIG);
		if (st != TS_OK)
			assert_non_null(l.error);
		ts_article_list_release(&l);
	}
}

/* ---- silence, threads ------------------------------------------------- */

static void noisy_inputs(void)
{
	const char *files[] = {"truncated.xml", "bomb.xml",           "xxe-file.xml",
	                       "xxe-http.xml",  "wrong-encoding.xml", "unknown-encoding.xml"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		ts_article_list_t l;
		extract_file(files[i], NULL, &l);
		ts_article_list_release(&l);
	}
	const char *strs[] = {"<a>&undefined;</a>", "<a><b></a>", "<?xml version='9'?><a/>",
	                      "<a xmlns:x='y'><x:b><c:d/></x:b></a>",
	                      "<?xml version='1.0' encoding='UTF-16'?><a/>",
	                      /* conversion errors are raised without a parser context */
	                      "<?xml version='1.0' encoding='ISO-8859-3'?><a><p>caf\xa5</p></a>"};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		ts_article_list_t l;
		extract_str(strs[i], &l);
		ts_article_list_release(&l);
	}
}

static void test_silent(void **state)
{
	(void)state;
	assert_int_equal(tu_stderr_bytes_during(noisy_inputs), 0);
}

#define THREADS 4
#define ROUNDS  25

static void *thread_main(void *arg)
{
	(void)arg;
	long bad = 0;
	for (int r = 0; r < ROUNDS; r++) {
		ts_article_list_t l;
		if (extract_file("feed-rss.xml", NULL, &l) != TS_OK || l.count != 3 ||
		    strcmp(l.items[1].author, "Sam Whitfield"))
			bad++;
		ts_article_list_release(&l);
		if (extract_file("feed-atom.xml", NULL, &l) != TS_OK || l.count != 3)
			bad++;
		ts_article_list_release(&l);
		if (extract_file("truncated.xml", NULL, &l) != TS_EPARSE || !l.error ||
		    strncmp(l.error, "line 7: ", 8))
			bad++;
		ts_article_list_release(&l);
		ts_status_t st = extract_file("bomb.xml", NULL, &l);
		if (st != TS_ETOOBIG && st != TS_EPARSE)
			bad++;
		ts_article_list_release(&l);
		if (extract_file("wrong-encoding.xml", NULL, &l) != TS_OK || l.count != 1)
			bad++;
		ts_article_list_release(&l);
	}
	return (void *)bad;
}

static void test_threads(void **state)
{
	(void)state;
	tu_run_threads(THREADS, thread_main, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rss),
	    cmocka_unit_test(test_rss1_rdf),
	    cmocka_unit_test(test_atom),
	    cmocka_unit_test(test_single_article),
	    cmocka_unit_test(test_newsitem),
	    cmocka_unit_test(test_news_dump),
	    cmocka_unit_test(test_xhtml_root),
	    cmocka_unit_test(test_not_an_article),
	    cmocka_unit_test(test_internal_entities),
	    cmocka_unit_test(test_billion_laughs),
	    cmocka_unit_test(test_entity_budget),
	    cmocka_unit_test(test_external_file_entity),
	    cmocka_unit_test(test_external_http_entity),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_max_articles),
	    cmocka_unit_test(test_libxml2_size_limits),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_encodings),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_silent),
	    cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, tu_extract_setup, tu_extract_teardown);
}
