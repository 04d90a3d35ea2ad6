/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the kernel's binary measurement lists are.
 */
#ifndef VTRUST_SOURCES_H
#define VTRUST_SOURCES_H

#include <stdbool.h>
#include <stddef.h>

#include "algs.h"

enum vt_source {
	VT_SOURCE_VTRUST,	/* <securityfs>/vtrust/ */
	VT_SOURCE_IMA,		/* <securityfs>/ima/ */
	VT_SOURCE_UEFI,		/* <securityfs>/tpm0/binary_bios_measurements */
	VT_SOURCE_COUNT
};

/* Sets of sources, as bits (1 << enum vt_source). */
#define VT_SOURCES_ALL	((1U << VT_SOURCE_COUNT) - 1)

#define VT_SECURITYFS "sys/kernel/security"
#define VT_UEFI_LOG VT_SECURITYFS "/tpm0/binary_bios_measurements"
#define VT_UEFI_LOG_MAX (64U << 20)	/* bytes; real logs are kilobytes */

/* "vtrust", "ima" or "uefi". Returns 0 or -1. */
int vt_source_parse(const char *s, enum vt_source *out);

/*
 * A comma-separated set of sources, or "all" (uefi, ima and vtrust), as
 * bits into *out. Returns 0 or -1.
 */
int vt_sources_parse(const char *s, unsigned int *out);
const char *vt_source_name(enum vt_source src);

/* The firmware event log under @root. Returns 0, or -1 if it does not fit. */
int vt_source_uefi_log(const char *root, char *path, size_t size);

/*
 * Whether the kernel shows @src under @root at all: the vtrust or ima
 * directory, or the firmware log file.
 */
bool vt_source_present(enum vt_source src, const char *root);

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
