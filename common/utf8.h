/*
 * utf8.h - UTF-8 checks and conversions shared by the extractors and the
 * output (where a file name may not be valid UTF-8).
 */
#ifndef TS_UTF8_H
#define TS_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write code point CP as UTF-8 at O (4 bytes room; U+FFFD for a surrogate or
 * anything past U+10FFFF); returns its length. */
size_t ts_utf8_put(char *o, uint32_t cp);

/* Is DATA/LEN valid UTF-8 (no overlong forms, surrogates or NUL bytes)? */
int ts_utf8_valid(const char *data, size_t len);

/*
 * Copy UTF-8 DATA/LEN into a new NUL-terminated string (*OUT, owned by the
 * caller) with every invalid sequence and NUL byte replaced by U+FFFD; the
 * number of bytes replaced is added to *INVALID (when not NULL).
 */
ts_status_t ts_utf8_sanitize(const char *data, size_t len, char **out, size_t *outlen,
                             size_t *invalid);

/*
 * Decode Windows-1252 DATA/LEN into a new NUL-terminated UTF-8 string
 * (*OUT, owned by the caller; *OUTLEN bytes). The five bytes Windows-1252
 * leaves unassigned (0x81 0x8D 0x8F 0x90 0x9D) map to the C1 controls, as
 * browsers do; NUL becomes U+FFFD. Latin-1 text decodes the same way.
 * Returns TS_ENOMEM (with *OUT NULL) when out of memory.
 */
ts_status_t ts_utf8_from_cp1252(const char *data, size_t len, char **out, size_t *outlen);

#ifdef __cplusplus
}
#endif

#endif
