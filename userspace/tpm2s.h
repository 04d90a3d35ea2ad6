/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Strict unmarshalling of the TPM 2.0 structures a quote verifier reads
 * (TPM2B_PUBLIC, TPMS_ATTEST, TPMT_SIGNATURE) and their conversion to
 * OpenSSL keys. No TPM access and no tpm2-tss: every size is checked against
 * both the buffer and the structure's own bound, algorithm IDs are checked
 * against the lists below, and bytes left after a structure are an error.
 *
 * The parsers copy what they read: the structures hold no pointers into the
 * caller's buffer.
 */
#ifndef VTRUST_TPM2S_H
#define VTRUST_TPM2S_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* TPM2_ALG_ID values used here (TPM 2.0 Part 2, table 9) */
#define VT_TPM_ALG_RSA		0x0001
#define VT_TPM_ALG_SHA1		0x0004
#define VT_TPM_ALG_AES		0x0006
#define VT_TPM_ALG_SHA256	0x000b
#define VT_TPM_ALG_SHA384	0x000c
#define VT_TPM_ALG_SHA512	0x000d
#define VT_TPM_ALG_NULL		0x0010
#define VT_TPM_ALG_SM3_256	0x0012
#define VT_TPM_ALG_SM4		0x0013
#define VT_TPM_ALG_RSASSA	0x0014
#define VT_TPM_ALG_RSAES	0x0015
#define VT_TPM_ALG_RSAPSS	0x0016
#define VT_TPM_ALG_OAEP		0x0017
#define VT_TPM_ALG_ECDSA	0x0018
#define VT_TPM_ALG_ECDH		0x0019
#define VT_TPM_ALG_ECDAA	0x001a
#define VT_TPM_ALG_SM2		0x001b
#define VT_TPM_ALG_ECSCHNORR	0x001c
#define VT_TPM_ALG_ECMQV	0x001d
#define VT_TPM_ALG_ECC		0x0023
#define VT_TPM_ALG_CAMELLIA	0x0026
#define VT_TPM_ALG_CFB		0x0043

/* TPM_ECC_CURVE */
#define VT_TPM_ECC_NIST_P256	0x0003
#define VT_TPM_ECC_NIST_P384	0x0004
#define VT_TPM_ECC_SM2_P256	0x0020

/* TPMA_OBJECT bits */
#define VT_TPMA_FIXED_TPM		(1u << 1)
#define VT_TPMA_ST_CLEAR		(1u << 2)
#define VT_TPMA_FIXED_PARENT		(1u << 4)
#define VT_TPMA_SENSITIVE_DATA_ORIGIN	(1u << 5)
#define VT_TPMA_USER_WITH_AUTH		(1u << 6)
#define VT_TPMA_ADMIN_WITH_POLICY	(1u << 7)
#define VT_TPMA_NO_DA			(1u << 10)
#define VT_TPMA_RESTRICTED		(1u << 16)
#define VT_TPMA_DECRYPT			(1u << 17)
#define VT_TPMA_SIGN			(1u << 18)

/* TPM_GENERATED_VALUE and TPM_ST attestation types */
#define VT_TPM_GENERATED_VALUE		0xff544347u
#define VT_TPM_ST_ATTEST_NV		0x8014
#define VT_TPM_ST_ATTEST_COMMAND_AUDIT	0x8015
#define VT_TPM_ST_ATTEST_SESSION_AUDIT	0x8016
#define VT_TPM_ST_ATTEST_CERTIFY	0x8017
#define VT_TPM_ST_ATTEST_QUOTE		0x8018
#define VT_TPM_ST_ATTEST_TIME		0x8019
#define VT_TPM_ST_ATTEST_CREATION	0x801a
#define VT_TPM_ST_ATTEST_NV_DIGEST	0x801c

/* Bounds (the largest sizes of the reference implementation, or above) */
#define VT_TPM_DIGEST_MAX	64	/* TPMU_HA: SHA-512 */
#define VT_TPM_NAME_MAX		(2 + VT_TPM_DIGEST_MAX)	/* TPMU_NAME */
#define VT_TPM_RSA_MAX		512	/* 4096-bit modulus */
#define VT_TPM_ECC_MAX		66	/* a P-521 coordinate */
#define VT_TPM_NV_MAX		2048	/* TPM2B_MAX_NV_BUFFER */
#define VT_TPM_PCR_BANKS_MAX	16	/* TPML_PCR_SELECTION count */
#define VT_TPM_PCR_SELECT_MAX	4	/* sizeofSelect: 32 PCRs */
/* the largest TPMT_PUBLIC these parsers accept (RSA-4096 with a policy) */
#define VT_TPM_PUBLIC_MAX	640

/* A parsed TPMT_PUBLIC of type RSA or ECC. */
struct vt_tpm_public {
	uint16_t type;		/* VT_TPM_ALG_RSA or VT_TPM_ALG_ECC */
	uint16_t name_alg;	/* a hash of algs.h */
	uint32_t attributes;	/* TPMA_OBJECT */
	uint16_t policy_len;
	uint8_t policy[VT_TPM_DIGEST_MAX];
	/* TPMT_SYM_DEF_OBJECT: bits and mode are 0 if sym_alg is NULL */
	uint16_t sym_alg, sym_bits, sym_mode;
	/* the key's scheme (VT_TPM_ALG_NULL if none) and its hash (or NULL) */
	uint16_t scheme, scheme_hash;
	uint16_t scheme_count;	/* ECDAA's count, else 0 */
	/* RSA */
	uint16_t rsa_bits;
	uint32_t rsa_exponent;	/* as marshalled: 0 means 65537 */
	uint16_t rsa_n_len;
	uint8_t rsa_n[VT_TPM_RSA_MAX];
	/* ECC */
	uint16_t curve, kdf, kdf_hash;
	uint16_t ecc_x_len, ecc_y_len;
	uint8_t ecc_x[VT_TPM_ECC_MAX], ecc_y[VT_TPM_ECC_MAX];
	/* the TPMT_PUBLIC exactly as marshalled (what the Name hashes) */
	size_t raw_len;
	uint8_t raw[VT_TPM_PUBLIC_MAX];
};

struct vt_tpm_pcr_select {
	uint16_t hash;		/* a hash of algs.h */
	uint8_t size;		/* sizeofSelect, at most VT_TPM_PCR_SELECT_MAX */
	uint32_t mask;		/* bit n: PCR n */
};

/* A parsed TPMS_ATTEST; the quote fields are set for type QUOTE only. */
struct vt_tpm_attest {
	uint32_t magic;
	uint16_t type;
	uint16_t signer_len;
	uint8_t signer[VT_TPM_NAME_MAX];	/* qualifiedSigner */
	uint16_t extra_len;
	uint8_t extra[VT_TPM_DIGEST_MAX];	/* extraData */
	uint64_t clock;
	uint32_t reset_count, restart_count;
	uint8_t safe;
	uint64_t firmware_version;
	/* TPMS_QUOTE_INFO */
	uint32_t nr_banks;
	struct vt_tpm_pcr_select banks[VT_TPM_PCR_BANKS_MAX];
	uint16_t pcr_digest_len;
	uint8_t pcr_digest[VT_TPM_DIGEST_MAX];
};

/* A parsed TPMT_SIGNATURE: RSASSA, RSAPSS, ECDSA or SM2. */
struct vt_tpm_signature {
	uint16_t alg, hash;
	uint16_t rsa_len;			/* RSASSA, RSAPSS */
	uint8_t rsa[VT_TPM_RSA_MAX];
	uint16_t r_len, s_len;			/* ECDSA, SM2 */
	uint8_t r[VT_TPM_ECC_MAX], s[VT_TPM_ECC_MAX];
};

/*
 * Parse a TPM2B_PUBLIC (a 2-byte size, then a TPMT_PUBLIC of exactly that
 * size), as tpm2-tools writes with "-u key.pub". Only RSA and ECC keys are
 * accepted. Returns 0, or -1 with the reason in @why.
 */
int vt_tpm_public_parse(const uint8_t *p, size_t len, struct vt_tpm_public *out,
			char *why, size_t whylen);

/*
 * The Name of @pub: nameAlg (2 bytes, big-endian) || H_nameAlg(TPMT_PUBLIC)
 * into @out; *@len is the room in @out on entry (VT_TPM_NAME_MAX is enough),
 * the Name's length on return. Returns 0, or -1.
 */
int vt_tpm_name(const struct vt_tpm_public *pub, uint8_t *out, size_t *len);

/*
 * An OpenSSL public key for @pub: RSA (any size the structure allows), ECC
 * on NIST P-256 or P-384, or SM2 (an EVP_PKEY of type SM2). The point or
 * modulus is checked. Returns NULL if the key is unsupported or invalid.
 */
EVP_PKEY *vt_tpm_public_pkey(const struct vt_tpm_public *pub);

/*
 * The same key without OpenSSL's validity check (EVP_PKEY_public_check:
 * for RSA a GCD with small primes, about a millisecond), to compare with a
 * key that was checked before. Never verify a signature with it.
 */
EVP_PKEY *vt_tpm_public_pkey_unchecked(const struct vt_tpm_public *pub);

/*
 * Parse a TPMS_ATTEST (the bytes the TPM signed, without a TPM2B size).
 * The magic is read but not checked here. Quotes are parsed in full; the
 * other attestation types are parsed field by field to the end but only
 * their header is kept. An unknown type is an error. Returns 0, or -1 with
 * the reason in @why.
 */
int vt_tpm_attest_parse(const uint8_t *p, size_t len, struct vt_tpm_attest *out,
			char *why, size_t whylen);

/* Parse a TPMT_SIGNATURE. Returns 0, or -1 with the reason in @why. */
int vt_tpm_signature_parse(const uint8_t *p, size_t len,
			   struct vt_tpm_signature *out, char *why,
			   size_t whylen);

/* The OpenSSL digest of a TPM hash algorithm ID of algs.h, or NULL. */
const EVP_MD *vt_tpm_md(uint16_t alg);

/* A name for a TPM algorithm ID ("sha256", "rsassa", ...) or "0x...". */
const char *vt_tpm_alg_name(uint16_t alg, char buf[8]);

#endif /* VTRUST_TPM2S_H */
