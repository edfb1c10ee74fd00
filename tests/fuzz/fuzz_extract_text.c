/*
 * fuzz_extract_text.c - libFuzzer harness: ts_extract_text on arbitrary bytes,
 * with the default limits. Whatever the status, the articles produced keep
 * article.h's promises (valid UTF-8, normalized space) and are released.
 */
#include <stddef.h>
#include <stdint.h>

#include "extract.h"
#include "fuzz_util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return fuzz_extract_init(argc, argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_extract_one(ts_extract_text, data, size);
}
