// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modbench: time module loads in the guest, for bench/.
 *
 *   modbench LABEL ROUNDS FILE...
 *
 * Round 1 loads every FILE with finit_module(2) (first loads); each later
 * round unloads them all and loads them again (reloads). Only the
 * finit_module call is timed (CLOCK_MONOTONIC). Prints one line per round:
 *
 *   RESULT LABEL first|reload N median_us mean_us min_us max_us
 *
 * Modules stay loaded at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The module name is the file's base name without ".ko". */
static void modname(const char *path, char *out, size_t size)
{
	const char *base = strrchr(path, '/');

	snprintf(out, size, "%s", base ? base + 1 : path);
	out[strcspn(out, ".")] = '\0';
}

static void report(const char *label, const char *phase, double *t, int n)
{
	double sum = 0;
	int i;

	qsort(t, n, sizeof(*t), cmp_double);
	for (i = 0; i < n; i++)
		sum += t[i];
	printf("RESULT %s %s %d %.0f %.0f %.0f %.0f\n", label, phase, n,
	       t[n / 2], sum / n, t[0], t[n - 1]);
}

int main(int argc, char **argv)
{
	char name[256];
	int rounds, n, i, r, fd;
	double *t, t0;

	if (argc < 4) {
		fprintf(stderr, "usage: modbench LABEL ROUNDS FILE...\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	n = argc - 3;
	t = calloc(n, sizeof(*t));
	if (!t || rounds < 1)
		return 2;
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < n && r; i++) {
			modname(argv[3 + i], name, sizeof(name));
			if (syscall(SYS_delete_module, name, O_NONBLOCK)) {
				fprintf(stderr, "modbench: rmmod %s: %s\n",
					name, strerror(errno));
				return 1;
			}
		}
		for (i = 0; i < n; i++) {
			fd = open(argv[3 + i], O_RDONLY | O_CLOEXEC);
			if (fd < 0) {
				perror(argv[3 + i]);
				return 1;
			}
			t0 = now_us();
			if (syscall(SYS_finit_module, fd, "", 0)) {
				fprintf(stderr, "modbench: %s: %s\n",
					argv[3 + i], strerror(errno));
				return 1;
			}
			t[i] = now_us() - t0;
			close(fd);
		}
		report(argv[1], r ? "reload" : "first", t, n);
	}
	free(t);
	return 0;
}
