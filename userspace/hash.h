/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Digests: one reused context per algorithm, so that hashing an entry
 * allocates nothing. SHA-1 and the SHA-2 family go straight to OpenSSL's
 * SHA functions (its EVP layer costs more than hashing a list entry
 * does); SM3 goes through EVP.
 */
#ifndef VTRUST_HASH_H
#define VTRUST_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "algs.h"

struct evp_md_st;
struct evp_md_ctx_st;

struct vt_hash_fast;

struct vt_hash {
	const struct vt_alg *alg;
	const struct vt_hash_fast *fast;	/* or NULL: EVP */
	struct evp_md_st *md;
	struct evp_md_ctx_st *ctx;
	/* room for the SHA functions' context (SHA512_CTX: 216 bytes) */
	uint64_t fctx[32];
};

/* Returns 0, or prints why and returns VT_EXIT_SYSTEM. */
int vt_hash_init(struct vt_hash *h, const struct vt_alg *alg);
void vt_hash_free(struct vt_hash *h);

/* out = H(data). Returns 0 or -1. */
int vt_hash_digest(struct vt_hash *h, const void *data, size_t len,
		   uint8_t *out);

/* A digest over several pieces: start, update..., final. 0 or -1. */
int vt_hash_start(struct vt_hash *h);
int vt_hash_update(struct vt_hash *h, const void *data, size_t len);
int vt_hash_final(struct vt_hash *h, uint8_t *out);

/* value = H(value || digest), both of the algorithm's size. 0 or -1. */
int vt_hash_extend(struct vt_hash *h, uint8_t *value, const uint8_t *digest);

#endif /* VTRUST_HASH_H */
