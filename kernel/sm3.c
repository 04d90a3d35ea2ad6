// SPDX-License-Identifier: GPL-2.0-only
/*
 * SM3 cryptographic hash, written from GM/T 0004-2012 (pure: see pure.h).
 *
 * The message is padded as the standard describes (a 1 bit, zeros, then the
 * message length in bits as a 64-bit big-endian integer) and compressed one
 * 512-bit block at a time. Blocks are read straight from the caller's buffer
 * whenever a whole one is available; only a partial block is copied.
 */
#include "sm3.h"

static const u32 sm3_iv[8] = {
	0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600,
	0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
};

/*
 * T_j rotated left by j mod 32, the constant added in round j: T_j is
 * 0x79cc4519 for rounds 0-15 and 0x7a879d8a for rounds 16-63.
 */
static const u32 sm3_k[64] = {
	0x79cc4519, 0xf3988a32, 0xe7311465, 0xce6228cb, 0x9cc45197, 0x3988a32f,
	0x7311465e, 0xe6228cbc, 0xcc451979, 0x988a32f3, 0x311465e7, 0x6228cbce,
	0xc451979c, 0x88a32f39, 0x11465e73, 0x228cbce6, 0x9d8a7a87, 0x3b14f50f,
	0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3, 0x629ea1e7, 0xc53d43ce,
	0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec, 0xa7a879d8, 0x4f50f3b1,
	0x9ea1e762, 0x3d43cec5, 0x7a879d8a, 0xf50f3b14, 0xea1e7629, 0xd43cec53,
	0xa879d8a7, 0x50f3b14f, 0xa1e7629e, 0x43cec53d, 0x879d8a7a, 0x0f3b14f5,
	0x1e7629ea, 0x3cec53d4, 0x79d8a7a8, 0xf3b14f50, 0xe7629ea1, 0xcec53d43,
	0x9d8a7a87, 0x3b14f50f, 0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3,
	0x629ea1e7, 0xc53d43ce, 0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec,
	0xa7a879d8, 0x4f50f3b1, 0x9ea1e762, 0x3d43cec5,
};

/* Rotate left by @n, 0 < n < 32. */
static inline u32 sm3_rol(u32 x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

static inline u32 sm3_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void sm3_put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* Permutations P0 (compression) and P1 (message expansion). */
static inline u32 sm3_p0(u32 x)
{
	return x ^ sm3_rol(x, 9) ^ sm3_rol(x, 17);
}

static inline u32 sm3_p1(u32 x)
{
	return x ^ sm3_rol(x, 15) ^ sm3_rol(x, 23);
}

/*
 * Round j of the compression function on the working registers A..H.
 * Instead of shifting all eight registers, the round writes the new A into
 * D's variable and the new E into H's, and rotates B and F in place; the
 * caller then renames the registers (A, B, C, D) -> (D, A, B, C) and
 * likewise for E..H, so four rounds bring every register back home.
 * @hi selects the boolean functions FF_j and GG_j of rounds 16-63.
 */
static inline void sm3_round(u32 a, u32 *b, u32 c, u32 *d, u32 e, u32 *f, u32 g,
			     u32 *h, unsigned int j, const u32 *w, int hi)
{
	u32 a12 = sm3_rol(a, 12);
	u32 ss1 = sm3_rol(a12 + e + sm3_k[j], 7);
	u32 ss2 = ss1 ^ a12;
	u32 ff, gg;

	if (hi) {
		ff = (a & *b) | (a & c) | (*b & c);
		gg = (e & *f) | (~e & g);
	} else {
		ff = a ^ *b ^ c;
		gg = e ^ *f ^ g;
	}
	*d = ff + *d + ss2 + (w[j] ^ w[j + 4]); /* TT1, the new A */
	*h = sm3_p0(gg + *h + ss1 + w[j]); /* P0(TT2), the new E */
	*b = sm3_rol(*b, 9);
	*f = sm3_rol(*f, 19);
}

/* Compress @nblocks consecutive 64-byte blocks at @p into @state. */
static void sm3_blocks(u32 state[8], const u8 *p, size_t nblocks)
{
	u32 a, b, c, d, e, f, g, h;
	u32 w[68];
	unsigned int j;

	while (nblocks--) {
		/* Message expansion: W_0..W_67 (W'_j is W_j ^ W_j+4). */
		for (j = 0; j < 16; j++)
			w[j] = sm3_get_be32(p + 4 * j);
		for (j = 16; j < 68; j++)
			w[j] = sm3_p1(w[j - 16] ^ w[j - 9] ^
				      sm3_rol(w[j - 3], 15)) ^
			       sm3_rol(w[j - 13], 7) ^ w[j - 6];

		a = state[0];
		b = state[1];
		c = state[2];
		d = state[3];
		e = state[4];
		f = state[5];
		g = state[6];
		h = state[7];

		/* Four rounds per pass bring the register names back home. */
		for (j = 0; j < 16; j += 4) {
			sm3_round(a, &b, c, &d, e, &f, g, &h, j, w, 0);
			sm3_round(d, &a, b, &c, h, &e, f, &g, j + 1, w, 0);
			sm3_round(c, &d, a, &b, g, &h, e, &f, j + 2, w, 0);
			sm3_round(b, &c, d, &a, f, &g, h, &e, j + 3, w, 0);
		}
		for (j = 16; j < 64; j += 4) {
			sm3_round(a, &b, c, &d, e, &f, g, &h, j, w, 1);
			sm3_round(d, &a, b, &c, h, &e, f, &g, j + 1, w, 1);
			sm3_round(c, &d, a, &b, g, &h, e, &f, j + 2, w, 1);
			sm3_round(b, &c, d, &a, f, &g, h, &e, j + 3, w, 1);
		}

		state[0] ^= a;
		state[1] ^= b;
		state[2] ^= c;
		state[3] ^= d;
		state[4] ^= e;
		state[5] ^= f;
		state[6] ^= g;
		state[7] ^= h;

		p += VTRUST_SM3_BLOCK_SIZE;
	}
}

void vtrust_sm3_init(struct vtrust_sm3_ctx *ctx)
{
	memcpy(ctx->state, sm3_iv, sizeof(ctx->state));
	ctx->count = 0;
	memset(ctx->buf, 0, sizeof(ctx->buf));
}

void vtrust_sm3_update(struct vtrust_sm3_ctx *ctx, const u8 *data, size_t len)
{
	size_t fill = ctx->count % VTRUST_SM3_BLOCK_SIZE;
	size_t n;

	if (!len)
		return;
	ctx->count += len;

	if (fill) {
		n = VTRUST_SM3_BLOCK_SIZE - fill;
		if (len < n) {
			memcpy(ctx->buf + fill, data, len);
			return;
		}
		memcpy(ctx->buf + fill, data, n);
		sm3_blocks(ctx->state, ctx->buf, 1);
		data += n;
		len -= n;
	}

	n = len / VTRUST_SM3_BLOCK_SIZE;
	if (n) {
		sm3_blocks(ctx->state, data, n);
		data += n * VTRUST_SM3_BLOCK_SIZE;
		len -= n * VTRUST_SM3_BLOCK_SIZE;
	}

	if (len)
		memcpy(ctx->buf, data, len);
}

/* Zero memory that is about to go dead without the compiler dropping it. */
static void sm3_wipe(void *p, size_t len)
{
	memset(p, 0, len);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

void vtrust_sm3_final(struct vtrust_sm3_ctx *ctx,
		      u8 out[VTRUST_SM3_DIGEST_SIZE])
{
	size_t fill = ctx->count % VTRUST_SM3_BLOCK_SIZE;
	u64 bits = ctx->count << 3;
	unsigned int i;

	ctx->buf[fill++] = 0x80;
	if (fill > VTRUST_SM3_BLOCK_SIZE - 8) {
		memset(ctx->buf + fill, 0, VTRUST_SM3_BLOCK_SIZE - fill);
		sm3_blocks(ctx->state, ctx->buf, 1);
		fill = 0;
	}
	memset(ctx->buf + fill, 0, VTRUST_SM3_BLOCK_SIZE - 8 - fill);
	sm3_put_be32(ctx->buf + VTRUST_SM3_BLOCK_SIZE - 8, bits >> 32);
	sm3_put_be32(ctx->buf + VTRUST_SM3_BLOCK_SIZE - 4, bits);
	sm3_blocks(ctx->state, ctx->buf, 1);

	for (i = 0; i < 8; i++)
		sm3_put_be32(out + 4 * i, ctx->state[i]);

	sm3_wipe(ctx, sizeof(*ctx));
}

void vtrust_sm3_digest(const u8 *data, size_t len,
		       u8 out[VTRUST_SM3_DIGEST_SIZE])
{
	struct vtrust_sm3_ctx ctx;

	vtrust_sm3_init(&ctx);
	vtrust_sm3_update(&ctx, data, len);
	vtrust_sm3_final(&ctx, out);
}
