/*
 * command.h - the query command, callable from the tsearch dispatcher as well
 * as from tsearch-query (a query then costs one program start, not two).
 */
#ifndef TS_SEARCHER_COMMAND_H
#define TS_SEARCHER_COMMAND_H

/* Run "tsearch query" with ARGV (ARGV[0] is the command name); returns the
 * exit code. After one query (not a batch) whose output went out, it ends
 * the process itself with that code instead (see end_process). */
int tsearch_query_main(int argc, char **argv);

#endif
