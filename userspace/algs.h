/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hash algorithms of TPM PCR banks (pure: no I/O, no OpenSSL).
 */
#ifndef VTRUST_ALGS_H
#define VTRUST_ALGS_H

#include <stddef.h>
#include <stdint.h>

enum vt_alg_id {
	VT_ALG_SHA1,
	VT_ALG_SHA256,
	VT_ALG_SHA384,
	VT_ALG_SHA512,
	VT_ALG_SM3_256,
	VT_ALG_COUNT
};

#define VT_DIGEST_MAX 64
#define VT_PCR_COUNT 24

struct vt_alg {
	enum vt_alg_id id;
	const char *name;	/* vtrust's bank name: sha1 ... sm3_256 */
	const char *kname;	/* the kernel's hash_algo_name: "sm3" for SM3 */
	const char *evp;	/* OpenSSL's name */
	unsigned int size;	/* digest size in bytes */
	uint16_t tpm_alg;	/* TPM2_ALG_ID */
};

extern const struct vt_alg vt_algs[VT_ALG_COUNT];

/*
 * Look an algorithm up by any of its names, case-insensitively: "sha256",
 * "SHA256", "sm3", "sm3_256", "sm3-256". Returns NULL if unknown.
 */
const struct vt_alg *vt_alg_find(const char *name, size_t len);

/* The algorithm with TPM2_ALG_ID @tpm_alg, or NULL. */
const struct vt_alg *vt_alg_by_tpm(uint16_t tpm_alg);

#endif /* VTRUST_ALGS_H */
