/*
 * stopwords.c - stop lists (see stopwords.h).
 *
 * English: the function words of the Snowball project's English stop list
 * (pronouns, auxiliaries, articles, prepositions, conjunctions), plus the
 * question words natural-language queries start with.
 */
#include "stopwords.h"

#include <string.h>

static const char *const english[] = {
    "a",      "about",  "above", "after", "again",   "against",  "all",        "am",
    "an",     "and",    "any",   "are",   "as",      "at",       "be",         "because",
    "been",   "before", "being", "below", "between", "both",     "but",        "by",
    "can",    "could",  "did",   "do",    "does",    "doing",    "down",       "during",
    "each",   "few",    "for",   "from",  "further", "had",      "has",        "have",
    "having", "he",     "her",   "here",  "hers",    "herself",  "him",        "himself",
    "his",    "how",    "i",     "if",    "in",      "into",     "is",         "it",
    "its",    "itself", "just",  "me",    "more",    "most",     "my",         "myself",
    "no",     "nor",    "not",   "now",   "of",      "off",      "on",         "once",
    "only",   "or",     "other", "ought", "our",     "ours",     "ourselves",  "out",
    "over",   "own",    "same",  "she",   "should",  "so",       "some",       "such",
    "than",   "that",   "the",   "their", "theirs",  "them",     "themselves", "then",
    "there",  "these",  "they",  "this",  "those",   "through",  "to",         "too",
    "under",  "until",  "up",    "very",  "was",     "we",       "were",       "what",
    "when",   "where",  "which", "while", "who",     "whom",     "why",        "will",
    "with",   "would",  "you",   "your",  "yours",   "yourself", "yourselves", NULL,
};

const char *const *ts_stopwords(const char *language)
{
	if (language && (!strcmp(language, "english") || !strcmp(language, "porter")))
		return english;
	return NULL;
}
