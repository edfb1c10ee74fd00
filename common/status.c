/*
 * status.c - messages for the status codes.
 */
#include "status.h"

static const char *const messages[TS_STATUS_COUNT] = {
    [TS_OK] = "success",
    [TS_ENOMEM] = "out of memory",
    [TS_EINVAL] = "invalid argument",
    [TS_EIO] = "input/output error",
    [TS_ENOENT] = "not found",
    [TS_ELOCKED] = "index is locked by another writer",
    [TS_ECORRUPT] = "index is damaged or is not a tsearch index",
    [TS_EVERSION] = "index format version not supported",
    [TS_EQUERY] = "query syntax error",
    [TS_EPARSE] = "document could not be parsed",
    [TS_ETOOBIG] = "input exceeds a configured limit",
    [TS_ELANG] = "unknown language",
    [TS_EMODIFIED] = "index was modified while being read",
    [TS_EUNSUPPORTED] = "unsupported file type",
    [TS_EXAPIAN] = "xapian error",
    [TS_EINTERNAL] = "internal error",
};

const char *ts_status_str(ts_status_t status)
{
	if ((unsigned)status >= TS_STATUS_COUNT || !messages[status])
		return "unknown status";
	return messages[status];
}
