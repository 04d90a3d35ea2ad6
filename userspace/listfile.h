/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read a binary measurement list from a file in chunks and hand out its
 * entries one by one: memory stays under IMALOG_ENTRY_MAX plus a chunk,
 * whatever the length of the list.
 */
#ifndef VTRUST_LISTFILE_H
#define VTRUST_LISTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imalog.h"

struct vt_list {
	const char *path;	/* as given; "-" is stdin */
	int fd;
	uint8_t *buf;
	size_t size, start, end;
	bool eof;
	bool borrowed;		/* buf is a memfs file's data (memfs.h) */
	struct imalog_parser parser;
};

/* Returns 0, or prints why and returns an exit code. */
int vt_list_open(struct vt_list *l, const char *path, uint32_t digest_len);
void vt_list_close(struct vt_list *l);

/*
 * 1: *e is the next entry (valid until the next call); 0: end of the list;
 * negative: -(exit code) after printing why.
 */
int vt_list_next(struct vt_list *l, struct imalog_entry *e);

/*
 * The bank whose template digests a list file holds, from its name:
 * "..._<alg>" is that bank's, anything else SHA-1 (IMA's default file).
 */
const struct vt_alg *vt_list_digest_alg(const char *path);

#endif /* VTRUST_LISTFILE_H */
