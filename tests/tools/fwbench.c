// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fwbench: time partial firmware loads in the guest, for bench/run partial.
 *
 *   fwbench LABEL ROUNDS VTFW_KO NAME...
 *
 * Each round loads VTFW_KO once per NAME with "mode=partial name=NAME"
 * (one request_partial_firmware_into_buf() of the file /lib/firmware/NAME)
 * and unloads it again; with FWBENCH_MODE=direct in the environment,
 * "mode=direct" (one request_firmware() of the whole file) instead. Only the finit_module(2) call is timed
 * (CLOCK_MONOTONIC). Prints one line per load:
 *
 *   RESULT LABEL NAME SIZE_BYTES us
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

int main(int argc, char **argv)
{
	const char *mode = getenv("FWBENCH_MODE");
	char params[512], path[512];
	int rounds, r, i, fd;
	struct stat st;
	double t0, t1;

	if (argc < 5) {
		fprintf(stderr, "usage: fwbench LABEL ROUNDS VTFW_KO NAME...\n");
		return 2;
	}
	if (!mode)
		mode = "partial";
	if (strcmp(mode, "partial") && strcmp(mode, "direct")) {
		fprintf(stderr, "fwbench: FWBENCH_MODE=%s: not partial or direct\n", mode);
		return 2;
	}
	rounds = atoi(argv[2]);
	for (r = 0; r < rounds; r++) {
		for (i = 4; i < argc; i++) {
			snprintf(path, sizeof(path), "/lib/firmware/%s", argv[i]);
			if (stat(path, &st)) {
				fprintf(stderr, "fwbench: %s: %s\n", path, strerror(errno));
				return 1;
			}
			snprintf(params, sizeof(params), "mode=%s name=%s", mode, argv[i]);
			fd = open(argv[3], O_RDONLY);
			if (fd < 0) {
				fprintf(stderr, "fwbench: %s: %s\n", argv[3], strerror(errno));
				return 1;
			}
			t0 = now_us();
			if (syscall(SYS_finit_module, fd, params, 0)) {
				fprintf(stderr, "fwbench: load %s: %s\n", argv[i], strerror(errno));
				return 1;
			}
			t1 = now_us();
			close(fd);
			if (syscall(SYS_delete_module, "vtfw", O_NONBLOCK)) {
				fprintf(stderr, "fwbench: unload vtfw: %s\n", strerror(errno));
				return 1;
			}
			printf("RESULT %s %s %lld %.0f\n", argv[1], argv[i],
			       (long long)st.st_size, t1 - t0);
			fflush(stdout);
		}
	}
	return 0;
}
