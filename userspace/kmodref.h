/* SPDX-License-Identifier: GPL-2.0-or-later */
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
	/*
	 * How a compressed module is hashed: "raw" (the file: kmod >= 31
	 * hands it to a kernel that decompresses it), "decompressed" (its
	 * image: kmod 30 decompresses it first) or "auto" (NULL: as this
	 * machine's kmod would load it into kernel_release).
	 */
	const char *compressed_digest;
};

/* Returns an exit code. */
int vt_kmodref_generate(const struct vt_kmodref_opts *o);

#endif /* VTRUST_KMODREF_H */
