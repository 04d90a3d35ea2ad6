/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtrust baseline generate: a reference file of a kernel's modules, each
 * hashed as the kernel will see it when kmod loads it (see kmodref.c).
 */
#ifndef VTRUST_KMODREF_H
#define VTRUST_KMODREF_H

struct vt_kmodref_opts {
	const char *kernel_release;	/* required */
	const char *hash;		/* "sha256" (default) or "sm3" */
	const char *output;		/* NULL: standard output */
	const char *modules_dir;	/* NULL: /lib/modules */
};

/* Returns an exit code. */
int vt_kmodref_generate(const struct vt_kmodref_opts *o);

#endif /* VTRUST_KMODREF_H */
