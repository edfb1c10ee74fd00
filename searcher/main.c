/*
 * tsearch-query - search the index (see command.c).
 */
#include "command.h"

int main(int argc, char **argv)
{
	return tsearch_query_main(argc, argv);
}
