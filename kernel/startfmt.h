/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The text of the start entry (pure: see pure.h). The layout is described
 * in docs/FORMATS.md.
 */
#ifndef _VTRUST_STARTFMT_H
#define _VTRUST_STARTFMT_H

#include "pure.h"

#define VTRUST_START_NAME "vtrust-start"
#define VTRUST_START_VERSION 2

/* A digest with its algorithm's name: a bank's or a content hash's. */
struct vtrust_start_digest {
	const char *alg;
	const u8 *digest;
	unsigned int size;
};

/* A module parameter: a string, or (@str NULL) a number. */
struct vtrust_start_param {
	const char *key;
	const char *str;
	unsigned long num;
};

struct vtrust_start_info {
	u32 pcr;
	const struct vtrust_start_digest *aggregate; /* NULL: no TPM */
	const struct vtrust_start_digest *prior; /* one per bank */
	unsigned int nr_prior;
	const u8 *instance;
	unsigned int instance_size;
	const struct vtrust_start_digest *policy; /* the active policy */
	const char *lockdown; /* the kernel's lockdown level; NULL: left out */
	const struct vtrust_start_param *params;
	unsigned int nr_params;
};

/*
 * Write the start entry's text and its NUL into @out, at most @size bytes.
 * Returns its length without the NUL; with @out NULL and @size 0, the
 * length a buffer needs (less one). -E2BIG: @size is too small, and @out
 * holds an empty string. -EINVAL: a name or string value is empty or has a
 * byte that is not printable ASCII, or is a space, '=' or ','.
 */
int vtrust_start_format(char *out, size_t size,
			const struct vtrust_start_info *info);

#endif /* _VTRUST_STARTFMT_H */
