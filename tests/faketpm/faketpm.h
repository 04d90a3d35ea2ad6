/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * faketpm: what its files share. faketpm.c serves commands and holds the
 * PCRs; objects.c holds keys and sessions and the commands that use them;
 * tpmcrypto.c does the TPM's cryptography on OpenSSL (KDFa, KDFe, the
 * integrity-and-encryption wrap of Part 1, SM2).
 */
#ifndef FAKETPM_H
#define FAKETPM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>

/* ---- TPM 2.0 constants (TPM 2.0 Library, Part 2) ---------------------- */

#define TPM_ST_NO_SESSIONS 0x8001
#define TPM_ST_SESSIONS 0x8002
#define TPM_ST_ATTEST_QUOTE 0x8018
#define TPM_ST_CREATION 0x8021
#define TPM_ST_AUTH_SECRET 0x8023
#define TPM_GENERATED_VALUE 0xff544347

#define TPM_CC_EVICT_CONTROL 0x00000120
#define TPM_CC_CREATE_PRIMARY 0x00000131
#define TPM_CC_SELF_TEST 0x00000143
#define TPM_CC_STARTUP 0x00000144
#define TPM_CC_SHUTDOWN 0x00000145
#define TPM_CC_ACTIVATE_CREDENTIAL 0x00000147
#define TPM_CC_NV_READ 0x0000014E
#define TPM_CC_POLICY_SECRET 0x00000151
#define TPM_CC_CREATE 0x00000153
#define TPM_CC_LOAD 0x00000157
#define TPM_CC_QUOTE 0x00000158
#define TPM_CC_CONTEXT_LOAD 0x00000161
#define TPM_CC_CONTEXT_SAVE 0x00000162
#define TPM_CC_FLUSH_CONTEXT 0x00000165
#define TPM_CC_NV_READ_PUBLIC 0x00000169
#define TPM_CC_READ_PUBLIC 0x00000173
#define TPM_CC_START_AUTH_SESSION 0x00000176
#define TPM_CC_GET_CAPABILITY 0x0000017A
#define TPM_CC_GET_RANDOM 0x0000017B
#define TPM_CC_PCR_READ 0x0000017E
#define TPM_CC_PCR_EXTEND 0x00000182

#define TPM_RC_SUCCESS 0x000
#define TPM_RC_BAD_TAG 0x01E
/* format 0 */
#define TPM_RC_INITIALIZE 0x100
#define TPM_RC_FAILURE 0x101
#define TPM_RC_LOCALITY 0x107
#define TPM_RC_AUTH_MISSING 0x125
#define TPM_RC_AUTH_UNAVAILABLE 0x12F
#define TPM_RC_COMMAND_SIZE 0x142
#define TPM_RC_COMMAND_CODE 0x143
#define TPM_RC_AUTHSIZE 0x144
#define TPM_RC_AUTH_CONTEXT 0x145
#define TPM_RC_NV_SPACE 0x14B
#define TPM_RC_NV_DEFINED 0x14C
/* format 1: | RC_P (parameter), RC_S (session) or neither (handle), | N */
#define TPM_RC_ATTRIBUTES 0x082
#define TPM_RC_HASH 0x083
#define TPM_RC_VALUE 0x084
#define TPM_RC_HIERARCHY 0x085
#define TPM_RC_TYPE 0x08A
#define TPM_RC_HANDLE 0x08B
#define TPM_RC_KDF 0x08C
#define TPM_RC_RANGE 0x08D
#define TPM_RC_AUTH_FAIL 0x08E
#define TPM_RC_NONCE 0x08F
#define TPM_RC_SCHEME 0x092
#define TPM_RC_SIZE 0x095
#define TPM_RC_SYMMETRIC 0x096
#define TPM_RC_INSUFFICIENT 0x09A
#define TPM_RC_KEY 0x09C
#define TPM_RC_POLICY_FAIL 0x09D
#define TPM_RC_INTEGRITY 0x09F
#define TPM_RC_RESERVED_BITS 0x0A1
#define TPM_RC_BINDING 0x0A5
#define TPM_RC_CURVE 0x0A6
#define TPM_RC_ECC_POINT 0x0A7
/* warnings */
#define TPM_RC_OBJECT_MEMORY 0x902
#define TPM_RC_SESSION_HANDLES 0x905
#define TPM_RC_REFERENCE_H0 0x910
#define TPM_RC_REFERENCE_S0 0x918
#define RC_P 0x040
#define RC_S 0x800
#define RC_1 0x100
#define RC_2 0x200
#define RC_3 0x300
#define RC_4 0x400
#define RC_5 0x500
#define RC_N(n) ((uint32_t)(n) << 8)

#define TPM_RS_PW 0x40000009
#define TPM_RH_OWNER 0x40000001
#define TPM_RH_NULL 0x40000007
#define TPM_RH_ENDORSEMENT 0x4000000B

#define TPM_ALG_SHA256 0x000B
#define TPM_ALG_NULL 0x0010
#define TPM_ALG_SM3_256 0x0012
#define TPM_ALG_SM4 0x0013
#define TPM_ALG_SM2 0x001B
#define TPM_ALG_ECC 0x0023
#define TPM_ALG_CFB 0x0043
#define TPM_ECC_SM2_P256 0x0020

#define NR_PCRS 24
#define PCR_SELECT_MAX ((NR_PCRS + 7) / 8)
#define MAX_BANKS 8		/* the kernel's TPM2_MAX_PCR_BANKS */
#define MAX_DIGEST 64
#define BUF_SIZE 4096		/* the kernel's TPM_BUFSIZE */

/* ---- algorithms and banks (faketpm.c) ---------------------------------- */

struct alg {
	uint16_t id;
	const char *name;	/* the kernel's sysfs pcr-<name> where it has one */
	const char *evp;	/* OpenSSL digest name */
	unsigned int size;
};

struct bank {
	uint16_t id;
	unsigned int size;
	const EVP_MD *md;	/* NULL: a bank faketpm cannot compute */
	char name[32];
	uint8_t pcr[NR_PCRS][MAX_DIGEST];
};

extern struct bank banks[MAX_BANKS];
extern unsigned int nr_banks;

const struct alg *alg_by_id(uint16_t id);
const EVP_MD *md_of(const struct alg *a);
struct bank *bank_by_id(uint16_t id);
void logmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- marshalling ------------------------------------------------------- */

/* A command being parsed: every get_* checks what is left first. */
struct rd {
	const uint8_t *p;
	size_t left;
};

static inline bool get_bytes(struct rd *r, const uint8_t **v, size_t n)
{
	if (r->left < n)
		return false;
	*v = r->p;
	r->p += n;
	r->left -= n;
	return true;
}

static inline bool get_u8(struct rd *r, uint8_t *v)
{
	const uint8_t *p;

	if (!get_bytes(r, &p, 1))
		return false;
	*v = p[0];
	return true;
}

static inline bool get_u16(struct rd *r, uint16_t *v)
{
	const uint8_t *p;

	if (!get_bytes(r, &p, 2))
		return false;
	*v = (uint16_t)(p[0] << 8 | p[1]);
	return true;
}

static inline bool get_u32(struct rd *r, uint32_t *v)
{
	const uint8_t *p;

	if (!get_bytes(r, &p, 4))
		return false;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	     (uint32_t)p[2] << 8 | p[3];
	return true;
}

/*
 * A TPM2B of at most @max bytes: its size, then *@v points at its bytes.
 * False if it is longer than @max or than what is left.
 */
static inline bool get_2b(struct rd *r, const uint8_t **v, uint16_t *size,
			  size_t max)
{
	return get_u16(r, size) && *size <= max && get_bytes(r, v, *size);
}

/* A response being built; an overflow is remembered, not written. */
struct wr {
	uint8_t b[BUF_SIZE];
	size_t len;
	bool overflow;
};

static inline void put_bytes(struct wr *w, const void *v, size_t n)
{
	if (w->overflow || n > sizeof(w->b) - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->b + w->len, v, n);
	w->len += n;
}

static inline void put_u8(struct wr *w, uint8_t v)
{
	put_bytes(w, &v, 1);
}

static inline void put_u16(struct wr *w, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	put_bytes(w, b, 2);
}

static inline void put_u32(struct wr *w, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };

	put_bytes(w, b, 4);
}

static inline void put_u64(struct wr *w, uint64_t v)
{
	put_u32(w, (uint32_t)(v >> 32));
	put_u32(w, (uint32_t)v);
}

static inline void put_2b(struct wr *w, const void *v, size_t n)
{
	put_u16(w, (uint16_t)n);
	put_bytes(w, v, n);
}

static inline void set_u16(struct wr *w, size_t off, uint16_t v)
{
	if (off + 2 > w->len)
		return;
	w->b[off] = v >> 8;
	w->b[off + 1] = v;
}

static inline void set_u32(struct wr *w, size_t off, uint32_t v)
{
	if (off + 4 > w->len)
		return;
	w->b[off] = v >> 24;
	w->b[off + 1] = v >> 16;
	w->b[off + 2] = v >> 8;
	w->b[off + 3] = v;
}

/* ---- objects.c: keys, sessions, and the commands that use them --------- */

/* The TPMA_CC facts of a command objects.c serves. */
struct ft_cc {
	uint32_t cc;
	const char *name;
	unsigned int handles;	/* cHandles */
	bool rhandle;		/* the response has a handle */
};

#define FT_NR_CC 14		/* the commands of objects.c */

bool ft_objects_init(void);
const struct ft_cc *ft_cc_find(uint32_t cc);
const struct ft_cc *ft_cc_at(unsigned int i);	/* i < FT_NR_CC */
/* Execute @cc (one of ft_cc_table); @w holds the 10-byte header. */
uint32_t ft_execute(uint32_t cc, bool sessions, struct rd *r, struct wr *w);
/* TPM_CAP_HANDLES of @prop's handle type, from @prop on, at most @count. */
void ft_cap_handles(uint32_t prop, uint32_t count, struct wr *w);

/* ---- tpmcrypto.c ------------------------------------------------------- */

#define SM2_BYTES 32

bool ft_kdfa(const EVP_MD *md, const uint8_t *key, size_t klen,
	     const char *label, const uint8_t *u, size_t ulen,
	     const uint8_t *v, size_t vlen, unsigned int bits, uint8_t *out);
bool ft_kdfe(const EVP_MD *md, const uint8_t *z, size_t zlen,
	     const char *label, const uint8_t *u, size_t ulen,
	     const uint8_t *v, size_t vlen, unsigned int bits, uint8_t *out);
bool ft_hash(const EVP_MD *md, const void *a, size_t alen, const void *b,
	     size_t blen, uint8_t *out);
size_t ft_wrap(const EVP_MD *md, const uint8_t *seed, size_t seedlen,
	       const uint8_t *name, size_t namelen, const uint8_t *in,
	       size_t len, uint8_t *out, size_t outmax);
int ft_unwrap(const EVP_MD *md, const uint8_t *seed, size_t seedlen,
	      const uint8_t *name, size_t namelen, const uint8_t *in,
	      size_t len, uint8_t *out, size_t *outlen);
bool ft_sm2_scalar(const uint8_t *bytes, uint8_t *d);
bool ft_sm2_random(uint8_t *d);
bool ft_sm2_public(const uint8_t *d, uint8_t *x, uint8_t *y);
int ft_sm2_ecdh(const uint8_t *d, const uint8_t *px, size_t pxlen,
		const uint8_t *py, size_t pylen, uint8_t *zx);
bool ft_sm2_sign(const uint8_t *d, const uint8_t *digest, size_t dlen,
		 uint8_t *r, uint8_t *s);

/* ---- faults.c ---------------------------------------------------------- */

#define TPM_RC_RETRY 0x922

enum ft_fault {
	FT_FAULT_NONE,
	FT_FAULT_RETRY,
	FT_FAULT_FAILURE,
	FT_FAULT_TIMEOUT,
	FT_FAULT_DISAPPEAR,
};

/* --faults PATH: read the rules (false, with @err, if they do not parse). */
bool ft_faults_init(const char *path, char *err, size_t errlen);
/* The fault for the command named @name now (and for a timeout, @ms). */
enum ft_fault ft_fault_for(const char *name, unsigned int *ms);
const char *ft_fault_name(enum ft_fault f);

#endif /* FAKETPM_H */
