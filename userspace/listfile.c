// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stream a binary measurement list through the parser; see listfile.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "algs.h"
#include "listfile.h"
#include "memfs.h"
#include "util.h"
#include "vtrust.h"

#define VT_LIST_CHUNK (256 * 1024)

/* A file of a memfs mount is read where it lies: no copy, no reads. */
static int open_mem(struct vt_list *l, const char *path)
{
	const struct vt_memfile *f;
	bool dir;

	if (!vt_memfs_lookup(path, &f, &dir))
		return 1;
	if (!f) {
		vt_err(path, "%s", strerror(dir ? EISDIR : ENOENT));
		return VT_EXIT_SYSTEM;
	}
	l->fd = -1;
	l->borrowed = true;
	l->buf = (uint8_t *)f->data;
	l->size = l->end = f->len;
	l->eof = true;
	return 0;
}

int vt_list_open(struct vt_list *l, const char *path, uint32_t digest_len)
{
	int ret;

	memset(l, 0, sizeof(*l));
	l->path = path;
	if (imalog_init(&l->parser, digest_len)) {
		vt_err(path, "template digest size %u is not supported",
		       digest_len);
		return VT_EXIT_USAGE;
	}
	ret = open_mem(l, path);
	if (ret <= 0)
		return ret;
	if (!strcmp(path, "-")) {
		l->path = "stdin";
		l->fd = 0;
	} else {
		l->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (l->fd < 0) {
			vt_err(path, "%s", strerror(errno));
			return VT_EXIT_SYSTEM;
		}
	}
	l->size = VT_LIST_CHUNK;
	l->buf = malloc(l->size);
	if (!l->buf) {
		vt_err(path, "out of memory");
		vt_list_close(l);
		return VT_EXIT_SYSTEM;
	}
	return 0;
}

void vt_list_close(struct vt_list *l)
{
	if (l->fd > 0)
		close(l->fd);
	l->fd = -1;
	if (!l->borrowed)
		free(l->buf);
	l->buf = NULL;
}

/* Make room for @need bytes from start, then read what fits. */
static int fill(struct vt_list *l, size_t need)
{
	size_t have = l->end - l->start, size;
	uint8_t *nbuf;
	ssize_t n;

	if (l->borrowed) {	/* all of it is there */
		l->eof = true;
		return 0;
	}
	if (l->start + need > l->size) {
		memmove(l->buf, l->buf + l->start, have);
		l->start = 0;
		l->end = have;
	}
	if (need > l->size) {
		size = need + VT_LIST_CHUNK;
		nbuf = realloc(l->buf, size);
		if (!nbuf) {
			vt_err(l->path, "out of memory");
			return -VT_EXIT_SYSTEM;
		}
		l->buf = nbuf;
		l->size = size;
	}
	do {
		n = read(l->fd, l->buf + l->end, l->size - l->end);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		vt_err(l->path, "%s", strerror(errno));
		return -VT_EXIT_SYSTEM;
	}
	if (!n)
		l->eof = true;
	l->end += n;
	return 0;
}

int vt_list_next(struct vt_list *l, struct imalog_entry *e)
{
	struct imalog_error err;
	enum imalog_status st;
	size_t need;
	int ret;

	for (;;) {
		st = imalog_next(&l->parser, l->buf + l->start,
				 l->end - l->start, l->eof, e, &need, &err);
		switch (st) {
		case IMALOG_ENTRY:
			l->start += need;
			return 1;
		case IMALOG_END:
			return 0;
		case IMALOG_ERROR:
			vt_err(l->path, "offset %llu (entry %llu): %s",
			       (unsigned long long)err.offset,
			       (unsigned long long)err.index, err.msg);
			return -VT_EXIT_USAGE;
		case IMALOG_MORE:
			ret = fill(l, need);
			if (ret)
				return ret;
			break;
		}
	}
}

const struct vt_alg *vt_list_digest_alg(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *us;
	const struct vt_alg *alg;

	base = base ? base + 1 : path;
	/* "sm3_256" has an underscore of its own */
	us = strstr(base, "_sm3_256");
	if (us && !us[8])
		return &vt_algs[VT_ALG_SM3_256];
	us = strrchr(base, '_');
	if (us) {
		alg = vt_alg_find(us + 1, strlen(us + 1));
		if (alg)
			return alg;
	}
	return &vt_algs[VT_ALG_SHA1];
}
