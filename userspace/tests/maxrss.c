// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * maxrss FILE CMD [ARG]...: run CMD and write its peak RSS in KiB to FILE.
 * A small parent, so that the child's high-water mark (which Linux keeps
 * across fork and exec) is its own and not the test runner's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	struct rusage ru;
	int status;
	FILE *f;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: maxrss FILE CMD [ARG]...\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 3;
	if (!pid) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		return 3;
	f = fopen(argv[1], "w");
	if (!f || fprintf(f, "%ld\n", ru.ru_maxrss) < 0 || fclose(f))
		return 3;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
