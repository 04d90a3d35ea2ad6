// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * initmod: load a module through init_module(2), never finit_module(2).
 *
 *   initmod FILE [PARAMS]
 *
 * Exit status 0 on success; otherwise 1 and "initmod: FILE: <errno text>".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *params = argc > 2 ? argv[2] : "";
	struct stat st;
	char *buf;
	ssize_t n;
	size_t off = 0;
	int fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: initmod FILE [PARAMS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "initmod: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		fprintf(stderr, "initmod: out of memory\n");
		return 1;
	}
	while (off < (size_t)st.st_size) {
		n = read(fd, buf + off, st.st_size - off);
		if (n <= 0) {
			fprintf(stderr, "initmod: %s: short read\n", argv[1]);
			return 1;
		}
		off += n;
	}
	close(fd);
	if (syscall(SYS_init_module, buf, off, params)) {
		fprintf(stderr, "initmod: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	free(buf);
	return 0;
}
