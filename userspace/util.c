// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Helpers shared by the commands: messages, hex, paths, small files.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "memfs.h"
#include "util.h"
#include "vtrust.h"

/* per thread: the verifier library may run in several at once */
static _Thread_local int quiet;
static _Thread_local char last_error[512];

void vt_quiet_push(void)
{
	quiet++;
}

void vt_quiet_pop(void)
{
	quiet--;
}

/* "<what>: <message>" into last_error. */
static void keep(const char *what, const char *fmt, va_list ap)
{
	int n;

	n = snprintf(last_error, sizeof(last_error), "%s: ", what);
	if (n >= 0 && (size_t)n < sizeof(last_error))
		vsnprintf(last_error + n, sizeof(last_error) - n, fmt, ap);
}

void vt_err(const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	keep(what, fmt, ap);
	va_end(ap);
	if (quiet > 0)
		return;
	fflush(stdout);
	fprintf(stderr, "vtrust: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *vt_last_error(void)
{
	return last_error[0] ? last_error : "failed";
}

int vt_usage_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	/* kept for --json's error object, as vt_err() keeps its messages */
	va_start(ap, fmt);
	keep(cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "vtrust: %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'vtrust %s --help')\n", cmd);
	return VT_EXIT_USAGE;
}

int vt_bad_option(const char *cmd, int c, char *argv[])
{
	const char *opt = argv[optind - 1];

	if (c == ':')
		return vt_usage_err(cmd, "option '%s' needs an argument", opt);
	if (optopt)
		return vt_usage_err(cmd, "unknown option '-%c'", optopt);
	return vt_usage_err(cmd, "unknown option '%s'", opt);
}

void vt_put_hex(FILE *f, const uint8_t *in, size_t len)
{
	char buf[4097];
	size_t n;

	while (len) {
		n = len < 2048 ? len : 2048;
		vt_hex(buf, in, n);
		fwrite(buf, 1, 2 * n, f);
		in += n;
		len -= n;
	}
}

int vt_path(char *out, size_t size, const char *root, const char *fmt, ...)
{
	size_t rlen = strlen(root);
	va_list ap;
	int n;

	while (rlen && root[rlen - 1] == '/')
		rlen--;
	if (rlen + 1 >= size)
		return -1;
	memcpy(out, root, rlen);
	out[rlen] = '/';
	while (*fmt == '/')
		fmt++;
	va_start(ap, fmt);
	n = vsnprintf(out + rlen + 1, size - rlen - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - rlen - 1)
		return -1;
	return 0;
}

bool vt_exists(const char *path)
{
	const struct vt_memfile *f;
	struct stat st;
	bool dir;

	if (vt_memfs_lookup(path, &f, &dir))
		return f || dir;
	return !stat(path, &st);
}

int vt_read_small(const char *path, char *buf, size_t size, size_t *len)
{
	size_t got = 0;
	ssize_t n;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	for (;;) {
		if (got == size - 1) {
			char c;

			n = read(fd, &c, 1);
			if (n > 0)
				ret = -EFBIG;
			else if (n < 0)
				ret = -errno;
			break;
		}
		n = read(fd, buf + got, size - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (!n)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	if (len)
		*len = got;
	return ret;
}

/* A memfs file (memfs.h), copied: 0, -errno, or 1 if @path is not one. */
static int read_mem(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	const struct vt_memfile *f;
	bool dir;

	if (!vt_memfs_lookup(path, &f, &dir))
		return 1;
	if (!f)
		return dir ? -EISDIR : -ENOENT;
	if (f->len > max)
		return -EFBIG;
	if (!f->len)
		return 0;
	*buf = malloc(f->len);
	if (!*buf)
		return -ENOMEM;
	memcpy(*buf, f->data, f->len);
	*len = f->len;
	return 0;
}

int vt_read_file(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	size_t size = 0, got = 0;
	uint8_t *p = NULL, *np;
	struct stat st;
	ssize_t n;
	int fd, ret = 0;

	*buf = NULL;
	*len = 0;
	ret = read_mem(path, max, buf, len);
	if (ret <= 0)
		return ret;
	ret = 0;
	fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0)
		return -errno;
	/* a regular file's size is known: one buffer, one byte more to see
	 * the end (sysfs and securityfs files say 0 and grow the buffer) */
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size <= max) {
		size = (size_t)st.st_size + 1;
		p = malloc(size);
		if (!p) {
			if (fd > 0)
				close(fd);
			return -ENOMEM;
		}
	}
	for (;;) {
		if (got == size) {
			if (size > max) {
				ret = -EFBIG;
				break;
			}
			size = size ? 2 * size : 64 * 1024;
			if (size > max + 1)
				size = max + 1;
			np = realloc(p, size);
			if (!np) {
				ret = -ENOMEM;
				break;
			}
			p = np;
		}
		n = read(fd, p + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (!n)
			break;
		got += n;
	}
	if (!ret && got > max)
		ret = -EFBIG;
	if (fd > 0)
		close(fd);
	if (ret) {
		free(p);
		return ret;
	}
	if (!got) {
		free(p);
		p = NULL;
	}
	*buf = p;
	*len = got;
	return 0;
}

int vt_parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int vt_pread_all(int fd, void *buf, size_t len, off_t off)
{
	uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!n)
				errno = EIO;
			return -1;
		}
		p += n;
		len -= n;
		off += n;
	}
	return 0;
}

int vt_write_temp(const char *path, char *tmp, size_t size, const void *data,
		  size_t len, unsigned int mode)
{
	const uint8_t *p = data;
	ssize_t n;
	int fd, ret = 0;

	if (snprintf(tmp, size, "%s.XXXXXX", path) >= (int)size) {
		tmp[0] = '\0';
		return -ENAMETOOLONG;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		tmp[0] = '\0';
		return -errno;
	}
	if (fchmod(fd, mode))
		ret = -errno;
	while (!ret && len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		p += n;
		len -= n;
	}
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (ret) {
		unlink(tmp);
		tmp[0] = '\0';
	}
	return ret;
}

bool vt_instance_id_ok(const char *id)
{
	size_t n = strlen(id);

	return n >= 1 && n <= 64 && strspn(id, "abcdefghijklmnopqrstuvwxyz"
					   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789._-") == n;
}
