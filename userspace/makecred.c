// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TPM2_MakeCredential in software on OpenSSL 3 (see makecred.h): the EK's
 * TPM2B_PUBLIC read with a bounded big-endian reader, the seed shared with
 * RSA-OAEP or ECDH and KDFe, then KDFa, AES/SM4-CFB and an HMAC.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "algs.h"
#include "makecred.h"

#define TPMA_OBJECT_RESTRICTED	(1u << 16)
#define TPMA_OBJECT_DECRYPT	(1u << 17)
#define TPMA_OBJECT_SIGN	(1u << 18)

#define KDF_BITS_MAX		(1u << 20)
#define RSA_BYTES_MAX		512	/* RSA 4096 */
#define ECC_BYTES_MAX		66	/* NIST P-521 */
#define SYM_KEY_MAX		32	/* AES-256 */

struct curve {
	uint16_t id;
	const char *group;	/* OpenSSL's name */
	unsigned int bytes;	/* of a coordinate */
};

static const struct curve curves[] = {
	{ TPM_ECC_NIST_P256, "prime256v1", 32 },
	{ TPM_ECC_NIST_P384, "secp384r1", 48 },
	{ TPM_ECC_NIST_P521, "secp521r1", 66 },
	{ TPM_ECC_SM2_P256, "SM2", 32 },
};

struct sym {
	uint16_t alg;
	unsigned int bits;
	const char *cipher;	/* OpenSSL's name of its CFB mode */
};

static const struct sym syms[] = {
	{ TPM_ALG_AES, 128, "AES-128-CFB" },
	{ TPM_ALG_AES, 192, "AES-192-CFB" },
	{ TPM_ALG_AES, 256, "AES-256-CFB" },
	{ TPM_ALG_SM4, 128, "SM4-CFB" },
};

/* the fields of the EK's public area that MakeCredential uses */
struct ek_pub {
	uint16_t type;
	const struct vt_alg *name_alg;
	const struct sym *sym;
	/* RSA */
	uint32_t exponent;
	const uint8_t *n;
	size_t n_len;
	/* ECC */
	const struct curve *curve;
	const uint8_t *x, *y;
	size_t x_len, y_len;
};

static int fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (whylen) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* A bounded big-endian reader: past the end it sets bad and reads zeros. */
struct rd {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

static bool rd_has(struct rd *r, size_t n)
{
	if (r->bad || r->len - r->off < n)
		r->bad = true;
	return !r->bad;
}

static uint16_t rd_u16(struct rd *r)
{
	uint16_t v;

	if (!rd_has(r, 2))
		return 0;
	v = (uint16_t)(r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

static uint32_t rd_u32(struct rd *r)
{
	uint32_t v;

	if (!rd_has(r, 4))
		return 0;
	v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
	    (uint32_t)r->p[r->off + 2] << 8 | r->p[r->off + 3];
	r->off += 4;
	return v;
}

/*
 * A TPM2B of at most @max bytes: its buffer and size in @len. A larger
 * size sets bad (as the TPM refuses it), as does a buffer past the end.
 */
static const uint8_t *rd_2b(struct rd *r, size_t max, size_t *len)
{
	const uint8_t *p;

	*len = rd_u16(r);
	if (*len > max)
		r->bad = true;
	if (!rd_has(r, *len))
		return NULL;
	p = r->p + r->off;
	r->off += *len;
	return p;
}

#define TRUNC(what) fail(why, whylen, "EK public: %s is cut short or too long", \
			 what)

/* TPMT_SYM_DEF_OBJECT: a block cipher in CFB mode (a storage key has one) */
static int parse_sym(struct rd *r, struct ek_pub *ek, char *why,
		     size_t whylen)
{
	uint16_t alg, bits, mode;
	unsigned int i;

	alg = rd_u16(r);
	if (alg == TPM_ALG_NULL)
		return fail(why, whylen,
			    "EK public: no symmetric algorithm (not a storage key)");
	bits = rd_u16(r);
	mode = rd_u16(r);
	if (r->bad)
		return TRUNC("the symmetric algorithm");
	if (mode != TPM_ALG_CFB)
		return fail(why, whylen,
			    "EK public: symmetric mode 0x%04x, not CFB", mode);
	for (i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		if (syms[i].alg == alg && syms[i].bits == bits) {
			ek->sym = &syms[i];
			return 0;
		}
	}
	return fail(why, whylen,
		    "EK public: symmetric algorithm 0x%04x with %u bits is not supported",
		    alg, bits);
}

static int parse_rsa(struct rd *r, struct ek_pub *ek, char *why,
		     size_t whylen)
{
	uint16_t bits;

	bits = rd_u16(r);
	ek->exponent = rd_u32(r);
	ek->n = rd_2b(r, RSA_BYTES_MAX, &ek->n_len);
	if (r->bad)
		return TRUNC("the RSA key");
	if (bits != 1024 && bits != 2048 && bits != 3072 && bits != 4096)
		return fail(why, whylen, "EK public: RSA %u bits is not supported",
			    bits);
	if (ek->n_len != bits / 8u)
		return fail(why, whylen,
			    "EK public: a modulus of %zu bytes for RSA %u",
			    ek->n_len, bits);
	if (!(ek->n[0] & 0x80))
		return fail(why, whylen,
			    "EK public: the modulus is shorter than %u bits",
			    bits);
	if (!ek->exponent)
		ek->exponent = 65537;
	if (ek->exponent < 3 || !(ek->exponent & 1))
		return fail(why, whylen, "EK public: RSA exponent %u",
			    ek->exponent);
	return 0;
}

static int parse_ecc(struct rd *r, struct ek_pub *ek, char *why,
		     size_t whylen)
{
	uint16_t id, kdf;
	unsigned int i;

	id = rd_u16(r);
	kdf = rd_u16(r);
	ek->x = rd_2b(r, ECC_BYTES_MAX, &ek->x_len);
	ek->y = rd_2b(r, ECC_BYTES_MAX, &ek->y_len);
	if (r->bad)
		return TRUNC("the ECC key");
	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].id == id)
			ek->curve = &curves[i];
	if (!ek->curve)
		return fail(why, whylen, "EK public: curve 0x%04x is not supported",
			    id);
	if (kdf != TPM_ALG_NULL)
		return fail(why, whylen,
			    "EK public: kdf 0x%04x (a storage key has none)", kdf);
	if (!ek->x_len || ek->x_len > ek->curve->bytes || !ek->y_len ||
	    ek->y_len > ek->curve->bytes)
		return fail(why, whylen,
			    "EK public: a point of %zu and %zu bytes on a curve of %u",
			    ek->x_len, ek->y_len, ek->curve->bytes);
	return 0;
}

/* The TPM2B_PUBLIC of a storage key: all of @len bytes, each field bounded. */
static int parse_ek(const uint8_t *buf, size_t len, struct ek_pub *ek,
		    char *why, size_t whylen)
{
	struct rd r = { buf, len, 0, false };
	uint16_t size, name_alg, scheme;
	uint32_t attrs;
	size_t plen;

	memset(ek, 0, sizeof(*ek));
	if (len > VT_MC_PUBLIC_MAX)
		return fail(why, whylen, "EK public: %zu bytes, more than %d",
			    len, VT_MC_PUBLIC_MAX);
	size = rd_u16(&r);
	if (r.bad || size != len - 2)
		return fail(why, whylen,
			    "EK public: %zu bytes, not a TPM2B_PUBLIC of %u bytes",
			    len, size);
	ek->type = rd_u16(&r);
	name_alg = rd_u16(&r);
	attrs = rd_u32(&r);
	rd_2b(&r, VT_DIGEST_MAX, &plen);
	if (r.bad)
		return TRUNC("the public area");
	if (ek->type != TPM_ALG_RSA && ek->type != TPM_ALG_ECC)
		return fail(why, whylen, "EK public: type 0x%04x, not RSA or ECC",
			    ek->type);
	ek->name_alg = vt_alg_by_tpm(name_alg);
	if (!ek->name_alg)
		return fail(why, whylen, "EK public: nameAlg 0x%04x is not supported",
			    name_alg);
	if ((attrs & (TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT |
		      TPMA_OBJECT_SIGN)) !=
	    (TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT))
		return fail(why, whylen,
			    "EK public: attributes 0x%08x, not a restricted decryption key",
			    attrs);
	if (parse_sym(&r, ek, why, whylen))
		return -1;
	scheme = rd_u16(&r);
	if (r.bad)
		return TRUNC("the scheme");
	if (scheme != TPM_ALG_NULL)
		return fail(why, whylen,
			    "EK public: scheme 0x%04x (a storage key has none)",
			    scheme);
	if (ek->type == TPM_ALG_RSA ? parse_rsa(&r, ek, why, whylen) :
	    parse_ecc(&r, ek, why, whylen))
		return -1;
	if (r.off != len)
		return fail(why, whylen, "EK public: %zu bytes after the key",
			    len - r.off);
	return 0;
}

int vt_kdfa(uint16_t hash_alg, const uint8_t *key, size_t keylen,
	    const char *label, const uint8_t *u, size_t ulen,
	    const uint8_t *v, size_t vlen, uint32_t bits, uint8_t *out)
{
	const struct vt_alg *alg = vt_alg_by_tpm(hash_alg);
	uint8_t block[EVP_MAX_MD_SIZE], cnt[4], lbits[4];
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac = NULL;
	OSSL_PARAM params[2];
	size_t outlen, done, blen, n;
	uint32_t i;
	int ret = -1;

	if (!alg || !bits || bits > KDF_BITS_MAX || !keylen)
		return -1;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		goto out;
	ctx = EVP_MAC_CTX_new(mac);
	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)alg->evp, 0);
	params[1] = OSSL_PARAM_construct_end();
	outlen = (bits + 7) / 8;
	put32(lbits, bits);
	for (i = 1, done = 0; done < outlen; i++) {
		put32(cnt, i);
		if (!EVP_MAC_init(ctx, key, keylen, params) ||
		    !EVP_MAC_update(ctx, cnt, 4) ||
		    !EVP_MAC_update(ctx, (const uint8_t *)label,
				    strlen(label) + 1) ||
		    (ulen && !EVP_MAC_update(ctx, u, ulen)) ||
		    (vlen && !EVP_MAC_update(ctx, v, vlen)) ||
		    !EVP_MAC_update(ctx, lbits, 4) ||
		    !EVP_MAC_final(ctx, block, &blen, sizeof(block)))
			goto out;
		n = outlen - done < blen ? outlen - done : blen;
		memcpy(out + done, block, n);
		done += n;
	}
	if (bits % 8)
		out[0] &= (1u << (bits % 8)) - 1;
	ret = 0;
out:
	OPENSSL_cleanse(block, sizeof(block));
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int vt_kdfe(uint16_t hash_alg, const uint8_t *z, size_t zlen,
	    const char *label, const uint8_t *u, size_t ulen,
	    const uint8_t *v, size_t vlen, uint32_t bits, uint8_t *out)
{
	const struct vt_alg *alg = vt_alg_by_tpm(hash_alg);
	uint8_t block[EVP_MAX_MD_SIZE], cnt[4];
	EVP_MD_CTX *ctx = NULL;
	EVP_MD *md = NULL;
	size_t outlen, done, n;
	unsigned int blen;
	uint32_t i;
	int ret = -1;

	if (!alg || !bits || bits > KDF_BITS_MAX)
		return -1;
	md = EVP_MD_fetch(NULL, alg->evp, NULL);
	if (!md)
		goto out;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		goto out;
	outlen = (bits + 7) / 8;
	for (i = 1, done = 0; done < outlen; i++) {
		put32(cnt, i);
		if (!EVP_DigestInit_ex2(ctx, md, NULL) ||
		    !EVP_DigestUpdate(ctx, cnt, 4) ||
		    (zlen && !EVP_DigestUpdate(ctx, z, zlen)) ||
		    !EVP_DigestUpdate(ctx, label, strlen(label) + 1) ||
		    (ulen && !EVP_DigestUpdate(ctx, u, ulen)) ||
		    (vlen && !EVP_DigestUpdate(ctx, v, vlen)) ||
		    !EVP_DigestFinal_ex(ctx, block, &blen))
			goto out;
		n = outlen - done < blen ? outlen - done : blen;
		memcpy(out + done, block, n);
		done += n;
	}
	if (bits % 8)
		out[0] &= (1u << (bits % 8)) - 1;
	ret = 0;
out:
	OPENSSL_cleanse(block, sizeof(block));
	EVP_MD_CTX_free(ctx);
	EVP_MD_free(md);
	return ret;
}

/* A public key of @type from @params, or NULL. */
static EVP_PKEY *pkey_from(const char *type, OSSL_PARAM_BLD *bld)
{
	EVP_PKEY_CTX *ctx = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY *pkey = NULL;

	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params)
		goto out;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

/*
 * RSA: a random seed, encrypted with OAEP. Writes the seed to @seed and
 * returns the malloc'd TPM2B_ENCRYPTED_SECRET, or NULL.
 */
static uint8_t *rsa_seed(const struct ek_pub *ek, uint8_t *seed,
			 size_t *es_len, char *why, size_t whylen)
{
	const char *md = ek->name_alg->evp;
	size_t slen = ek->name_alg->size, clen;
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	uint8_t *es = NULL, *label = NULL;

	n = BN_bin2bn(ek->n, ek->n_len, NULL);
	e = BN_new();
	bld = OSSL_PARAM_BLD_new();
	if (!n || !e || !bld || !BN_set_word(e, ek->exponent) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		goto fail;
	pkey = pkey_from("RSA", bld);
	if (!pkey)
		goto fail;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!ctx || EVP_PKEY_encrypt_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_oaep_md_name(ctx, md, NULL) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_mgf1_md_name(ctx, md, NULL) <= 0)
		goto fail;
	/* "IDENTITY" and its NUL; the context owns the label once it is set */
	label = OPENSSL_memdup("IDENTITY", sizeof("IDENTITY"));
	if (!label)
		goto fail;
	if (EVP_PKEY_CTX_set0_rsa_oaep_label(ctx, label,
					     sizeof("IDENTITY")) <= 0) {
		OPENSSL_free(label);
		goto fail;
	}
	if (RAND_bytes(seed, slen) != 1)
		goto fail;
	clen = ek->n_len;
	es = malloc(2 + clen);
	if (!es || EVP_PKEY_encrypt(ctx, es + 2, &clen, seed, slen) <= 0 ||
	    clen != ek->n_len)
		goto fail;
	put16(es, clen);
	*es_len = 2 + clen;
	goto out;
fail:
	fail(why, whylen, "RSA-OAEP of the seed failed");
	free(es);
	es = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return es;
}

/*
 * ECC: ECDH of an ephemeral key with the EK and KDFe. Writes the seed to
 * @seed and returns the malloc'd TPM2B_ENCRYPTED_SECRET (the ephemeral
 * public point, a TPMS_ECC_POINT), or NULL.
 */
static uint8_t *ecc_seed(const struct ek_pub *ek, uint8_t *seed,
			 size_t *es_len, char *why, size_t whylen)
{
	unsigned int cb = ek->curve->bytes;
	uint8_t pt[1 + 2 * ECC_BYTES_MAX], z[ECC_BYTES_MAX];
	EVP_PKEY *peer = NULL, *eph = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t ptlen, zlen;
	uint8_t *es = NULL, *p;
	const char *what;

	/*
	 * The ephemeral key first, then the EK's public key on its domain
	 * parameters: OpenSSL 3.0's "EC" key management refuses to import a
	 * key on the SM2 curve and "SM2" keys have no ECDH, but an "EC" key
	 * generated on the SM2 curve does ECDH, so one path serves all curves.
	 * Setting the point checks that it is on the curve.
	 */
	what = "ECDH";
	eph = EVP_PKEY_Q_keygen(NULL, NULL, "EC", ek->curve->group);
	if (!eph)
		goto fail;
	memset(pt, 0, sizeof(pt));
	pt[0] = 0x04;
	memcpy(pt + 1 + cb - ek->x_len, ek->x, ek->x_len);
	memcpy(pt + 1 + 2 * cb - ek->y_len, ek->y, ek->y_len);
	what = "the EK's point";
	peer = EVP_PKEY_new();
	if (!peer || EVP_PKEY_copy_parameters(peer, eph) != 1 ||
	    EVP_PKEY_set_octet_string_param(peer,
					    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
					    pt, 1 + 2 * cb) != 1)
		goto fail;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, peer, NULL);
	if (!ctx || EVP_PKEY_public_check(ctx) != 1)
		goto fail;
	EVP_PKEY_CTX_free(ctx);

	what = "ECDH";
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, eph, NULL);
	zlen = sizeof(z);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_derive_set_peer(ctx, peer) <= 0 ||
	    EVP_PKEY_derive(ctx, z, &zlen) <= 0 || zlen != cb)
		goto fail;
	if (!EVP_PKEY_get_octet_string_param(eph,
					     OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
					     pt, sizeof(pt), &ptlen) ||
	    ptlen != 1 + 2 * cb || pt[0] != 0x04)
		goto fail;
	/* PartyUInfo: the ephemeral x; PartyVInfo: the EK's x as it has it */
	what = "KDFe";
	if (vt_kdfe(ek->name_alg->tpm_alg, z, zlen, "IDENTITY", pt + 1, cb,
		    ek->x, ek->x_len, ek->name_alg->size * 8, seed))
		goto fail;
	es = malloc(2 + 2 + cb + 2 + cb);
	if (!es)
		goto fail;
	p = es;
	put16(p, 2 + cb + 2 + cb);
	put16(p + 2, cb);
	memcpy(p + 4, pt + 1, cb);
	put16(p + 4 + cb, cb);
	memcpy(p + 6 + cb, pt + 1 + cb, cb);
	*es_len = 2 + 2 + cb + 2 + cb;
	goto out;
fail:
	fail(why, whylen, "ECC seed: %s failed", what);
out:
	OPENSSL_cleanse(z, sizeof(z));
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(eph);
	EVP_PKEY_free(peer);
	return es;
}

/* @len bytes of @in encrypted with @cipher in CFB mode, IV zero. */
static int cfb_encrypt(const char *cipher, const uint8_t *key,
		       size_t keylen, const uint8_t *in, size_t len,
		       uint8_t *out)
{
	static const uint8_t iv[16];
	EVP_CIPHER_CTX *ctx = NULL;
	EVP_CIPHER *c = NULL;
	int n, m, ret = -1;

	c = EVP_CIPHER_fetch(NULL, cipher, NULL);
	if (!c || (size_t)EVP_CIPHER_get_key_length(c) != keylen ||
	    EVP_CIPHER_get_iv_length(c) != sizeof(iv))
		goto out;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx || !EVP_EncryptInit_ex2(ctx, c, key, iv, NULL) ||
	    !EVP_EncryptUpdate(ctx, out, &n, in, len) ||
	    !EVP_EncryptFinal_ex(ctx, out + n, &m) || (size_t)(n + m) != len)
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return ret;
}

/* HMAC(@md, @key) of @a then @b into @out (EVP_MAX_MD_SIZE bytes). */
static int hmac2(const char *md, const uint8_t *key, size_t keylen,
		 const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
		 uint8_t *out)
{
	EVP_MAC_CTX *ctx = NULL;
	EVP_MAC *mac = NULL;
	OSSL_PARAM params[2];
	size_t outlen;
	int ret = -1;

	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!mac)
		goto out;
	ctx = EVP_MAC_CTX_new(mac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)md, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!ctx || !EVP_MAC_init(ctx, key, keylen, params) ||
	    !EVP_MAC_update(ctx, a, alen) || !EVP_MAC_update(ctx, b, blen) ||
	    !EVP_MAC_final(ctx, out, &outlen, EVP_MAX_MD_SIZE))
		goto out;
	ret = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ret;
}

int vt_makecred(const uint8_t *ek_pub, size_t ek_len,
		const uint8_t *name, size_t name_len,
		const uint8_t *secret, size_t secret_len,
		uint8_t **id_object, size_t *id_len,
		uint8_t **enc_secret, size_t *enc_len,
		char *why, size_t whylen)
{
	uint8_t seed[VT_DIGEST_MAX], sym_key[SYM_KEY_MAX];
	uint8_t hmac_key[VT_DIGEST_MAX], hmac[EVP_MAX_MD_SIZE];
	uint8_t plain[2 + VT_DIGEST_MAX];
	const struct vt_alg *alg, *name_alg;
	uint8_t *id = NULL, *es = NULL, *enc;
	size_t es_len = 0, dsize, plen, ilen;
	struct ek_pub ek;
	int ret = -1;

	*id_object = *enc_secret = NULL;
	*id_len = *enc_len = 0;
	if (whylen)
		why[0] = '\0';
	if (parse_ek(ek_pub, ek_len, &ek, why, whylen))
		return -1;
	alg = ek.name_alg;
	dsize = alg->size;
	name_alg = name_len >= 2 ? vt_alg_by_tpm(name[0] << 8 | name[1]) :
		   NULL;
	if (!name_alg || name_len != 2 + name_alg->size)
		return fail(why, whylen,
			    "AK name: %zu bytes, not a hash algorithm and its digest",
			    name_len);
	if (!secret_len || secret_len > dsize)
		return fail(why, whylen,
			    "secret: %zu bytes, wanted 1 to %zu (the EK's %s)",
			    secret_len, dsize, alg->name);

	if (ek.type == TPM_ALG_RSA)
		es = rsa_seed(&ek, seed, &es_len, why, whylen);
	else
		es = ecc_seed(&ek, seed, &es_len, why, whylen);
	if (!es)
		goto out;

	/* TPM2B_ID_OBJECT: size, TPM2B_DIGEST(outerHMAC), encIdentity */
	plen = 2 + secret_len;
	ilen = 2 + 2 + dsize + plen;
	id = malloc(ilen);
	if (!id) {
		fail(why, whylen, "out of memory");
		goto out;
	}
	put16(id, ilen - 2);
	put16(id + 2, dsize);
	enc = id + 4 + dsize;
	put16(plain, secret_len);
	memcpy(plain + 2, secret, secret_len);
	if (vt_kdfa(alg->tpm_alg, seed, dsize, "STORAGE", name, name_len,
		    NULL, 0, ek.sym->bits, sym_key) ||
	    cfb_encrypt(ek.sym->cipher, sym_key, ek.sym->bits / 8, plain, plen,
			enc) ||
	    vt_kdfa(alg->tpm_alg, seed, dsize, "INTEGRITY", NULL, 0, NULL, 0,
		    dsize * 8, hmac_key) ||
	    hmac2(alg->evp, hmac_key, dsize, enc, plen, name, name_len,
		  hmac)) {
		fail(why, whylen, "KDFa, %s or HMAC failed", ek.sym->cipher);
		goto out;
	}
	memcpy(id + 4, hmac, dsize);
	*id_object = id;
	*id_len = ilen;
	*enc_secret = es;
	*enc_len = es_len;
	id = es = NULL;
	ret = 0;
out:
	OPENSSL_cleanse(seed, sizeof(seed));
	OPENSSL_cleanse(sym_key, sizeof(sym_key));
	OPENSSL_cleanse(hmac_key, sizeof(hmac_key));
	OPENSSL_cleanse(plain, sizeof(plain));
	free(id);
	free(es);
	return ret;
}

int vt_makecred_file(const uint8_t *ek, size_t ek_len,
		     const uint8_t *name, size_t name_len,
		     const uint8_t *secret, size_t secret_len,
		     uint8_t **file, size_t *file_len, char *why, size_t whylen)
{
	static const uint8_t head[8] = {
		0xba, 0xdc, 0xc0, 0xde,		/* magic */
		0x00, 0x00, 0x00, 0x01,		/* version */
	};
	uint8_t *id = NULL, *es = NULL;
	size_t id_len = 0, es_len = 0;

	*file = NULL;
	*file_len = 0;
	if (vt_makecred(ek, ek_len, name, name_len, secret, secret_len, &id,
			&id_len, &es, &es_len, why, whylen))
		return -1;
	*file = malloc(sizeof(head) + id_len + es_len);
	if (*file) {
		memcpy(*file, head, sizeof(head));
		memcpy(*file + sizeof(head), id, id_len);
		memcpy(*file + sizeof(head) + id_len, es, es_len);
		*file_len = sizeof(head) + id_len + es_len;
	} else if (whylen) {
		snprintf(why, whylen, "out of memory");
	}
	free(id);
	free(es);
	return *file ? 0 : -1;
}
