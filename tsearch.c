/*
 * tsearch - the command people type: dispatches to the helper programs.
 *
 *   tsearch index ...   ->  tsearch-index ...
 *   tsearch query ...   ->  tsearch-query ...
 *   tsearch stats ...   ->  tsearch-index --stats ...
 *   tsearch help [CMD], tsearch --version
 *
 * Queries run in this process (the searcher is linked in: a query is one
 * program start). Other helpers are looked for in $TSEARCH_EXEC_PATH, next
 * to this program, and in ../libexec/tsearch relative to it (the installed
 * layout). They are exec'ed, so their exit codes are ours.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "searcher/command.h"

#define VERSION_TEXT "tsearch " TS_VERSION "\n"

typedef struct command {
	const char *name;                  /* as typed */
	const char *helper;                /* program to exec */
	const char *extra;                 /* argument inserted first, or NULL */
	const char *summary;               /* one line for help */
	int (*run)(int argc, char **argv); /* runs it in this process instead, or NULL */
} command_t;

/* Queries run in this process: one program start instead of two. */
static const command_t commands[] = {
    {"index", "tsearch-index", NULL, "build or update the index of folders of articles", NULL},
    {"query", "tsearch-query", NULL, "search the index (ranked results with snippets)",
     tsearch_query_main},
    {"search", "tsearch-query", NULL, "the same as query", tsearch_query_main},
    {"stats", "tsearch-index", "--stats", "figures and settings of the index", NULL},
};

/* Run CMD with ARGC/ARGV (ARGV[0] the command's name). */
static int run_command(const command_t *cmd, int argc, char **argv);

static void usage(FILE *f)
{
	fputs("usage: tsearch COMMAND [ARGS]\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fputs("  help     this help, or 'tsearch help COMMAND' for a command's options\n"
	      "\n"
	      "  tsearch index corpus/            index a folder (into .tsearch/ here)\n"
	      "  tsearch query \"tariffs Japan\"    ranked results with snippets\n"
	      "  tsearch query --batch q.txt      many queries, JSON lines out\n"
	      "\n"
	      "exit codes: 0 ok / results found, 1 no results, 2 usage or query error,\n"
	      "3 index missing or unusable, 4 I/O error, 5 files skipped (--strict),\n"
	      "75 index locked by another writer. See tsearch(1).\n",
	      f);
}

static const command_t *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* Folder holding this program (from /proc/self/exe), or "" when unknown. */
static void self_dir(char *out, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", out, len - 1);
	if (n <= 0) {
		out[0] = '\0';
		return;
	}
	out[n] = '\0';
	char *slash = strrchr(out, '/');
	if (slash)
		*slash = '\0';
}

/* Exec HELPER with ARGV (argv[0] replaced); returns only on failure. */
static int exec_helper(const command_t *cmd, int argc, char **argv)
{
	char **args = calloc((size_t)argc + 3, sizeof *args);
	if (!args) {
		fprintf(stderr, "tsearch: error: out of memory\n");
		return 70;
	}
	int n = 0;
	args[n++] = (char *)cmd->helper;
	if (cmd->extra)
		args[n++] = (char *)cmd->extra;
	for (int i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;

	char dir[PATH_MAX], path[PATH_MAX + 64];
	const char *env = getenv("TSEARCH_EXEC_PATH");
	if (env && *env) {
		snprintf(path, sizeof path, "%s/%s", env, cmd->helper);
		execv(path, args);
	}
	self_dir(dir, sizeof dir);
	if (dir[0]) {
		snprintf(path, sizeof path, "%s/%s", dir, cmd->helper);
		execv(path, args);
		snprintf(path, sizeof path, "%s/../libexec/tsearch/%s", dir, cmd->helper);
		execv(path, args);
	}
	fprintf(stderr, "tsearch: error: cannot run '%s': %s\n", cmd->helper, strerror(errno));
	free(args);
	return 70;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		fputs(VERSION_TEXT, stdout);
		return fflush(stdout) ? 4 : 0;
	}
	if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
		if (argc > 2) {
			const command_t *cmd = find_command(argv[2]);
			if (cmd) {
				static char help_opt[] = "--help";
				char *help[] = {argv[2], help_opt, NULL};
				return run_command(cmd, 2, help);
			}
			fprintf(stderr, "tsearch: error: unknown command '%s'\n", argv[2]);
			return 2;
		}
		usage(stdout);
		return fflush(stdout) ? 4 : 0;
	}
	const command_t *cmd = find_command(name);
	if (!cmd) {
		fprintf(stderr, "tsearch: error: unknown command '%s' (see 'tsearch help')\n",
		        name);
		return 2;
	}
	return run_command(cmd, argc - 1, argv + 1);
}

static int run_command(const command_t *cmd, int argc, char **argv)
{
	return cmd->run ? cmd->run(argc, argv) : exec_helper(cmd, argc, argv);
}
