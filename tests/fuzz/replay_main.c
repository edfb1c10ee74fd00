/*
 * replay_main.c - run a libFuzzer harness without the fuzzing engine.
 *
 *   replay-NAME PATH...
 *
 * Each PATH is a file, or a folder whose files (not sub-folders) are read
 * in name order; every file is handed once to LLVMFuzzerTestOneInput. Built
 * with AddressSanitizer and UBSan, this replays the seed corpus and the
 * kept crash inputs (tests/fuzz/regressions/NAME/) in `make check`. Exit
 * status 0 when every input ran (a crash aborts the process), 2 when a path
 * could not be read.
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			uint8_t *n = realloc(buf, cap);
			if (!n) {
				fclose(f);
				free(buf);
				return -1;
			}
			buf = n;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		if (!got)
			break;
		len += got;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		perror(path);
		free(buf);
		return -1;
	}
	/* An exact-size copy, so that ASan sees reads past the end. */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(buf);
		return -1;
	}
	if (len)
		memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

static int visible(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Replay PATH (a file, or the files of a folder); returns inputs run, -1 on error. */
static long replay_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path) ? -1 : 1;
	struct dirent **names;
	int n = scandir(path, &names, visible, alphasort);
	if (n < 0) {
		perror(path);
		return -1;
	}
	long count = 0;
	for (int i = 0; i < n; i++) {
		char file[PATH_MAX];
		struct stat fs;
		if ((size_t)snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name) <
		        sizeof file &&
		    stat(file, &fs) == 0 && S_ISREG(fs.st_mode)) {
			if (getenv("REPLAY_VERBOSE"))
				fprintf(stderr, "replay %s\n", file);
			if (replay_file(file))
				count = -1;
			else if (count >= 0)
				count++;
		}
		free(names[i]);
	}
	free(names);
	return count;
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	long total = 0;
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		long n = replay_path(argv[i]);
		if (n < 0)
			rc = 2;
		else
			total += n;
	}
	const char *name = strrchr(argv[0], '/');
	printf("%s: %ld inputs replayed\n", name ? name + 1 : argv[0], total);
	return rc;
}
