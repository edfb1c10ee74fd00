/*
 * status.h - status codes shared by every part of tsearch.
 *
 * Every fallible function in common/ returns a ts_status_t and hands its
 * results back through out-parameters. TS_OK is zero so that `if (st)`
 * reads as "if it failed".
 */
#ifndef TS_STATUS_H
#define TS_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ts_status {
	TS_OK = 0,
	TS_ENOMEM,       /* out of memory */
	TS_EINVAL,       /* invalid argument (a caller's mistake) */
	TS_EIO,          /* read or write failed (errno-level trouble) */
	TS_ENOENT,       /* file, index or key not found */
	TS_ELOCKED,      /* index locked by another writer (retryable) */
	TS_ECORRUPT,     /* index damaged or not an index */
	TS_EVERSION,     /* index written by an unknown format version */
	TS_EQUERY,       /* query could not be parsed */
	TS_EPARSE,       /* document could not be parsed */
	TS_ETOOBIG,      /* input above a configured limit */
	TS_ELANG,        /* unknown language / stemmer */
	TS_EMODIFIED,    /* index changed under a reader: reopen and retry */
	TS_EUNSUPPORTED, /* file type not handled */
	TS_EXAPIAN,      /* any other Xapian error */
	TS_EINTERNAL,    /* an unexpected exception or internal fault */
	TS_STATUS_COUNT
} ts_status_t;

/* A short, lower-case English description of STATUS; never NULL. */
const char *ts_status_str(ts_status_t status);

#ifdef __cplusplus
}
#endif

#endif
