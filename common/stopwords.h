/*
 * stopwords.h - words too common to say anything about a query's topic,
 * per language. A query written as prose drops them (they stay indexed:
 * phrases still find "the trade of" and the like).
 */
#ifndef TS_STOPWORDS_H
#define TS_STOPWORDS_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The stop list for stemmer algorithm LANGUAGE ("english"), as a
 * NULL-terminated array of folded words, or NULL when there is none.
 */
const char *const *ts_stopwords(const char *language);

#ifdef __cplusplus
}
#endif

#endif
