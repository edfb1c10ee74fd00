/*
 * fuzz_extract_html.c - libFuzzer harness: ts_extract_html on arbitrary bytes,
 * with the default limits. Whatever the status, the articles produced keep
 * article.h's promises (valid UTF-8, normalized space) and are released.
 */
#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ts_extract_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ts_extract_limits_t limits = {TS_EXTRACT_MAX_DEPTH_DEFAULT,
	                                    TS_EXTRACT_MAX_ARTICLES_DEFAULT};
	ts_article_list_t list = {0};
	ts_status_t st = ts_extract_html((const char *)data, size, &limits, &list);
	FUZZ_CHECK(st < TS_STATUS_COUNT);
	FUZZ_CHECK(list.count <= limits.max_articles);
	if (st == TS_EPARSE || st == TS_ETOOBIG)
		FUZZ_CHECK(list.error != NULL);
	fuzz_check_articles(&list);
	ts_article_list_release(&list);
	return 0;
}
