/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where the kernel's binary measurement lists are.
 */
#ifndef VTRUST_SOURCES_H
#define VTRUST_SOURCES_H

#include <stddef.h>

#include "algs.h"

enum vt_source {
	VT_SOURCE_VTRUST,	/* <securityfs>/vtrust/ */
	VT_SOURCE_IMA,		/* <securityfs>/ima/ */
};

#define VT_SECURITYFS "sys/kernel/security"

/* "vtrust" or "ima". Returns 0 or -1. */
int vt_source_parse(const char *s, enum vt_source *out);
const char *vt_source_name(enum vt_source src);

/*
 * The binary list of @src for bank @bank (NULL: the default file, SHA-1
 * template digests) under @root. Fills @path and *digest_alg, the bank
 * whose template digests the list holds. IMA in older kernels (6.1) has
 * only the default file: then that is returned for any bank, with SHA-1 as
 * *digest_alg. Returns 0, or -1 if the path does not fit.
 */
int vt_source_list(enum vt_source src, const char *root,
		   const struct vt_alg *bank, char *path, size_t size,
		   const struct vt_alg **digest_alg);

#endif /* VTRUST_SOURCES_H */
