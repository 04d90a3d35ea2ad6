/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TPM2_MakeCredential in software (TPM 2.0 Part 1, "Credential Protection"),
 * for a verifier that binds an AK to an EK: no TPM is needed. The guest's
 * TPM returns the secret through TPM2_ActivateCredential only if it holds
 * the EK's private key and an object with the AK's Name.
 *
 * The EK is given as the TPM has it, a marshalled TPM2B_PUBLIC, and must be
 * a restricted decryption key (a storage key) with:
 *  - nameAlg SHA-1, SHA-256, SHA-384, SHA-512 or SM3-256;
 *  - symmetric AES-128/192/256-CFB or SM4-128-CFB;
 *  - scheme TPM_ALG_NULL (and for ECC the kdf TPM_ALG_NULL);
 *  - RSA 1024, 2048, 3072 or 4096 bits, or ECC on NIST P-256, P-384, P-521
 *    or SM2 P-256.
 * Each length is checked against its bound and trailing bytes are refused.
 *
 * The seed is shared as in Part 1, "Secret Sharing": RSA-OAEP (hash and
 * MGF1 hash: the EK's nameAlg, label "IDENTITY" with its NUL) of a random
 * seed of the nameAlg's digest size; for ECC, one-pass ECDH with an
 * ephemeral key on the EK's curve and seed = KDFe(nameAlg, Z, "IDENTITY",
 * ephemeral x, EK x, digest size * 8). Plain ECDH and KDFe are also used on
 * the SM2 curve (not the SM2 key exchange), as in the TPM's reference code;
 * that path is tested only in software (tests/test-kdf.c): swtpm has no SM3.
 */
#ifndef VTRUST_MAKECRED_H
#define VTRUST_MAKECRED_H

#include <stddef.h>
#include <stdint.h>

/* TPM2_ALG_ID and TPM2_ECC_CURVE values of the EK's public area */
#define TPM_ALG_RSA		0x0001
#define TPM_ALG_AES		0x0006
#define TPM_ALG_NULL		0x0010
#define TPM_ALG_SM4		0x0013
#define TPM_ALG_ECC		0x0023
#define TPM_ALG_CFB		0x0043

#define TPM_ECC_NIST_P256	0x0003
#define TPM_ECC_NIST_P384	0x0004
#define TPM_ECC_NIST_P521	0x0005
#define TPM_ECC_SM2_P256	0x0020

/* the largest TPM2B_PUBLIC accepted (an RSA 4096 key is about 600 bytes) */
#define VT_MC_PUBLIC_MAX	1024

/*
 * KDFa (Part 1, 11.4.10.2): SP 800-108 counter mode with HMAC(@hash_alg),
 * each block HMAC(@key, i || @label || 0 || @u || @v || @bits), i and bits
 * 32-bit big-endian. @label is a C string: its terminating NUL is part of
 * the input. @u and @v may be NULL when their length is 0. Writes
 * (@bits + 7) / 8 bytes to @out; if @bits is not a multiple of 8, the bits
 * above the low @bits % 8 of the first byte are cleared, as the TPM does.
 * @hash_alg is a TPM2_ALG_ID of algs.h. Returns 0, or -1 on an unknown
 * hash, an empty key, @bits 0 or above 2^20, or an OpenSSL failure.
 */
int vt_kdfa(uint16_t hash_alg, const uint8_t *key, size_t keylen,
	    const char *label, const uint8_t *u, size_t ulen,
	    const uint8_t *v, size_t vlen, uint32_t bits, uint8_t *out);

/*
 * KDFe (Part 1, 11.4.10.3): SP 800-56A concatenation with @hash_alg, each
 * block H(i || @z || @label || 0 || @u || @v), i 32-bit big-endian; the
 * output, the arguments and the errors are as in vt_kdfa(), but @z may be
 * empty.
 */
int vt_kdfe(uint16_t hash_alg, const uint8_t *z, size_t zlen,
	    const char *label, const uint8_t *u, size_t ulen,
	    const uint8_t *v, size_t vlen, uint32_t bits, uint8_t *out);

/*
 * Make a credential for the EK @ek (a marshalled TPM2B_PUBLIC of @ek_len
 * bytes) and the AK Name @name (a hash Name: a TPM2_ALG_ID of algs.h and a
 * digest of that size) holding @secret (1 to the EK nameAlg's digest size
 * bytes).
 *
 * On success returns 0 and sets @id_object to a malloc'd marshalled
 * TPM2B_ID_OBJECT (@id_len bytes) and @enc_secret to a malloc'd marshalled
 * TPM2B_ENCRYPTED_SECRET (@enc_len bytes): the two inputs of
 * TPM2_ActivateCredential. The caller frees them with free().
 * On failure returns -1 with the outputs NULL and 0, and a reason in @why
 * (@whylen bytes, may be 0).
 */
int vt_makecred(const uint8_t *ek, size_t ek_len,
		const uint8_t *name, size_t name_len,
		const uint8_t *secret, size_t secret_len,
		uint8_t **id_object, size_t *id_len,
		uint8_t **enc_secret, size_t *enc_len,
		char *why, size_t whylen);

/*
 * The same as the file that tpm2_makecredential writes and `vtrust
 * credential activate` reads: magic 0xbadcc0de, version 1 (big-endian
 * 32-bit words), the TPM2B_ID_OBJECT, the TPM2B_ENCRYPTED_SECRET. In a
 * malloc'd *@file of *@file_len bytes; -1 and @why on failure.
 */
int vt_makecred_file(const uint8_t *ek, size_t ek_len,
		     const uint8_t *name, size_t name_len,
		     const uint8_t *secret, size_t secret_len,
		     uint8_t **file, size_t *file_len, char *why,
		     size_t whylen);

#endif /* VTRUST_MAKECRED_H */
