// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fdmod: load a module with finit_module(2) from a file that has no usual
 * path, to test how its event is named.
 *
 *   fdmod --memfd NAME FILE   copy FILE into a memfd named NAME, load that
 *   fdmod --unlink FILE       open FILE, unlink it, then load it
 *
 * Exit status 0 on success; otherwise 1 and "fdmod: FILE: <errno text>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "fdmod: %s: %s\n", what, strerror(errno));
	return 1;
}

static int copy_to_memfd(const char *name, const char *file)
{
	char buf[65536];
	ssize_t n;
	int in, fd;

	in = open(file, O_RDONLY);
	if (in < 0)
		return -1;
	fd = memfd_create(name, 0);
	if (fd < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			return -1;
	close(in);
	return n < 0 ? -1 : fd;
}

int main(int argc, char **argv)
{
	const char *file;
	int fd;

	if (argc == 4 && !strcmp(argv[1], "--memfd")) {
		file = argv[3];
		fd = copy_to_memfd(argv[2], file);
	} else if (argc == 3 && !strcmp(argv[1], "--unlink")) {
		file = argv[2];
		fd = open(file, O_RDONLY);
		if (fd >= 0 && unlink(file))
			return die(file);
	} else {
		fprintf(stderr, "usage: fdmod --memfd NAME FILE | --unlink FILE\n");
		return 2;
	}
	if (fd < 0)
		return die(file);
	if (syscall(SYS_finit_module, fd, "", 0))
		return die(file);
	return 0;
}
