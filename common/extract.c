/*
 * extract.c - format detection and dispatch to the extractors.
 */
#include "extract.h"

#include <string.h>
#include <strings.h>

#include <libxml/parser.h>

void ts_extract_init(void)
{
	xmlInitParser();
}

void ts_extract_cleanup(void)
{
	xmlCleanupParser();
}

const char *ts_format_name(ts_format_t format)
{
	switch (format) {
	case TS_FORMAT_TEXT:
		return "text";
	case TS_FORMAT_HTML:
		return "html";
	case TS_FORMAT_XML:
		return "xml";
	default:
		return "none";
	}
}

/* The extension of PATH's last component, without the dot, or "". */
static const char *extension(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	return (dot && dot != base) ? dot + 1 : "";
}

static int ext_in(const char *ext, const char *const *list)
{
	for (; *list; list++)
		if (!strcasecmp(ext, *list))
			return 1;
	return 0;
}

static const char *const text_exts[] = {"txt", "text", "md", "markdown", NULL};
static const char *const html_exts[] = {"html", "htm", "xhtml", "shtml", NULL};
static const char *const xml_exts[] = {"xml", "rss", "atom", "rdf", "nml", NULL};

/* Does DATA start with a UTF-16 byte order mark? */
static int utf16_bom(const unsigned char *d, size_t len)
{
	return len >= 2 && ((d[0] == 0xff && d[1] == 0xfe) || (d[0] == 0xfe && d[1] == 0xff));
}

/*
 * Does the sample look like text? No NUL bytes, and few C0 controls other
 * than tab, newline, carriage return and form feed.
 */
static int looks_like_text(const unsigned char *d, size_t len)
{
	size_t controls = 0;
	for (size_t i = 0; i < len; i++) {
		if (!d[i])
			return 0;
		if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\r' && d[i] != '\f')
			controls++;
	}
	return controls * 100 <= len; /* at most 1% */
}

/* Skip a UTF-8 BOM and white space; return the offset of the first markup byte. */
static size_t skip_lead(const unsigned char *d, size_t len)
{
	size_t i = 0;
	if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
		i = 3;
	while (i < len && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return i;
}

/* Case-insensitive search for NEEDLE in the first LEN bytes of HAY. */
static int contains_ci(const unsigned char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++)
		if (!strncasecmp((const char *)hay + i, needle, n))
			return 1;
	return 0;
}

ts_format_t ts_format_detect(const char *path, const char *data, size_t len)
{
	const unsigned char *d = (const unsigned char *)data;
	if (!len)
		return TS_FORMAT_NONE;
	size_t sample = len < TS_FORMAT_SNIFF_BYTES ? len : TS_FORMAT_SNIFF_BYTES;
	const char *ext = extension(path);
	int bom16 = utf16_bom(d, len);
	if (!bom16 && !looks_like_text(d, sample))
		return TS_FORMAT_NONE;
	if (ext_in(ext, text_exts))
		return TS_FORMAT_TEXT;
	if (ext_in(ext, html_exts))
		return TS_FORMAT_HTML;
	if (ext_in(ext, xml_exts))
		return TS_FORMAT_XML;
	if (*ext && strlen(ext) <= 5) {
		/* Some other known kind of file (.c, .json, .csv, .pdf): not an article,
		 * unless its content declares itself markup. */
		size_t i = skip_lead(d, sample);
		if (i < sample && d[i] == '<') {
			if (contains_ci(d + i, sample - i, "<html"))
				return TS_FORMAT_HTML;
			if (contains_ci(d + i, sample - i, "<?xml") &&
			    (contains_ci(d + i, sample - i, "<rss") ||
			     contains_ci(d + i, sample - i, "<feed")))
				return TS_FORMAT_XML;
		}
		return TS_FORMAT_NONE;
	}
	/* No extension (or an odd one): judge by content. */
	if (bom16)
		return TS_FORMAT_TEXT;
	size_t i = skip_lead(d, sample);
	if (i < sample && d[i] == '<') {
		if (contains_ci(d + i, sample - i, "<!doctype html") ||
		    contains_ci(d + i, sample - i, "<html"))
			return TS_FORMAT_HTML;
		if (!strncmp((const char *)d + i, "<?xml", sample - i < 5 ? sample - i : 5))
			return TS_FORMAT_XML;
	}
	return TS_FORMAT_TEXT;
}

ts_status_t ts_extract(ts_format_t format, const char *data, size_t len,
                       const ts_extract_limits_t *limits, ts_article_list_t *out)
{
	switch (format) {
	case TS_FORMAT_TEXT:
		return ts_extract_text(data, len, limits, out);
	case TS_FORMAT_HTML:
		return ts_extract_html(data, len, limits, out);
	case TS_FORMAT_XML:
		return ts_extract_xml(data, len, limits, out);
	default:
		ts_article_list_set_error(out, "not a text, HTML or XML document");
		return TS_EUNSUPPORTED;
	}
}
