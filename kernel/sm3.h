/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SM3 cryptographic hash, GM/T 0004-2012 (pure: see pure.h).
 */
#ifndef _VTRUST_SM3_H
#define _VTRUST_SM3_H

#include "pure.h"

#define VTRUST_SM3_DIGEST_SIZE 32
#define VTRUST_SM3_BLOCK_SIZE 64

struct vtrust_sm3_ctx {
	u32 state[8];
	u64 count; /* bytes hashed so far */
	u8 buf[VTRUST_SM3_BLOCK_SIZE];
};

void vtrust_sm3_init(struct vtrust_sm3_ctx *ctx);
void vtrust_sm3_update(struct vtrust_sm3_ctx *ctx, const u8 *data, size_t len);
/* Writes the digest and wipes @ctx, which must be initialised again. */
void vtrust_sm3_final(struct vtrust_sm3_ctx *ctx,
		      u8 out[VTRUST_SM3_DIGEST_SIZE]);
void vtrust_sm3_digest(const u8 *data, size_t len,
		       u8 out[VTRUST_SM3_DIGEST_SIZE]);

#endif /* _VTRUST_SM3_H */
