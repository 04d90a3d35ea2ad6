// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * faketpm's cryptography, on OpenSSL, written from the TPM 2.0 Library
 * specification (Part 1: 11.4.9 KDFa, 11.4.10.3 KDFe, 22-24 the
 * integrity-and-encryption wrap of protected storage and credentials) and
 * kept apart from vtrust's own code, so that a test of vtrust against
 * faketpm compares two implementations.
 *
 * The one symmetric algorithm is SM4-128 in CFB mode with a zero IV, the
 * one curve SM2 P-256: faketpm's keys are SM2 keys with SM3 names.
 */
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "faketpm.h"

#define KDF_MAX 128		/* bytes a KDF here makes at most */
#define KDF_IN_MAX 512		/* its label and context at most */
#define SYM_KEY_BYTES 16	/* SM4-128 */

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* H(a || b); either may be empty. */
bool ft_hash(const EVP_MD *md, const void *a, size_t alen, const void *b,
	     size_t blen, uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok;

	if (!ctx)
		return false;
	ok = EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	     EVP_DigestUpdate(ctx, a, alen) == 1 &&
	     EVP_DigestUpdate(ctx, b, blen) == 1 &&
	     EVP_DigestFinal_ex(ctx, out, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

/*
 * The input of one KDF round after the counter: for KDFa
 * label || 0 || u || v || [bits]32, for KDFe Z || label || 0 || u || v.
 * A label is a C string; its terminating zero is the 0 octet.
 */
static size_t kdf_input(uint8_t *buf, const uint8_t *z, size_t zlen,
			const char *label, const uint8_t *u, size_t ulen,
			const uint8_t *v, size_t vlen, const uint32_t *bits)
{
	const struct {
		const void *p;
		size_t len;
	} part[] = {
		{ z, zlen }, { label, strlen(label) + 1 }, { u, ulen }, { v, vlen },
	};
	size_t n = 0;

	if (zlen + part[1].len + ulen + vlen + 4 > KDF_IN_MAX)
		return 0;
	for (unsigned int i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
		if (!part[i].len)	/* an empty part may be NULL */
			continue;
		memcpy(buf + n, part[i].p, part[i].len);
		n += part[i].len;
	}
	if (bits) {
		be32(buf + n, *bits);
		n += 4;
	}
	return n;
}

/* KDFa (Part 1, 11.4.9.2): HMAC(key, [i]32 || label || 0 || u || v || [bits]32). */
bool ft_kdfa(const EVP_MD *md, const uint8_t *key, size_t klen,
	     const char *label, const uint8_t *u, size_t ulen,
	     const uint8_t *v, size_t vlen, unsigned int bits, uint8_t *out)
{
	uint8_t in[4 + KDF_IN_MAX], block[EVP_MAX_MD_SIZE];
	size_t bytes = bits / 8, done = 0, n;
	uint32_t b32 = bits, i;
	unsigned int hlen;

	if (bits % 8 || !bytes || bytes > KDF_MAX)
		return false;
	n = kdf_input(in + 4, NULL, 0, label, u, ulen, v, vlen, &b32);
	if (!n)
		return false;
	for (i = 1; done < bytes; i++) {
		be32(in, i);
		if (!HMAC(md, key, (int)klen, in, 4 + n, block, &hlen))
			return false;
		if (hlen > bytes - done)
			hlen = bytes - done;
		memcpy(out + done, block, hlen);
		done += hlen;
	}
	OPENSSL_cleanse(block, sizeof(block));
	return true;
}

/* KDFe (Part 1, 11.4.10.3): H([i]32 || Z || label || 0 || u || v). */
bool ft_kdfe(const EVP_MD *md, const uint8_t *z, size_t zlen,
	     const char *label, const uint8_t *u, size_t ulen,
	     const uint8_t *v, size_t vlen, unsigned int bits, uint8_t *out)
{
	uint8_t in[4 + KDF_IN_MAX], block[EVP_MAX_MD_SIZE];
	size_t bytes = bits / 8, done = 0, n, hlen = EVP_MD_get_size(md);
	uint32_t i;

	if (bits % 8 || !bytes || bytes > KDF_MAX)
		return false;
	n = kdf_input(in + 4, z, zlen, label, u, ulen, v, vlen, NULL);
	if (!n)
		return false;
	for (i = 1; done < bytes; i++) {
		be32(in, i);
		if (EVP_Digest(in, 4 + n, block, NULL, md, NULL) != 1)
			return false;
		if (hlen > bytes - done)
			hlen = bytes - done;
		memcpy(out + done, block, hlen);
		done += hlen;
	}
	OPENSSL_cleanse(in, sizeof(in));
	OPENSSL_cleanse(block, sizeof(block));
	return true;
}

/* SM4-128-CFB with a zero IV, in place. */
static bool sm4_cfb(const uint8_t *key, uint8_t *buf, size_t len, bool enc)
{
	static const uint8_t iv[16];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	const EVP_CIPHER *c = EVP_get_cipherbyname("SM4-CFB");
	int n = 0, m = 0;
	bool ok;

	ok = ctx && c && EVP_CipherInit_ex(ctx, c, NULL, key, iv, enc) == 1 &&
	     EVP_CipherUpdate(ctx, buf, &n, buf, (int)len) == 1 &&
	     EVP_CipherFinal_ex(ctx, buf + n, &m) == 1 &&
	     (size_t)(n + m) == len;
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/* The two keys of a wrap: KDFa "STORAGE" over @name, KDFa "INTEGRITY". */
static bool wrap_keys(const EVP_MD *md, const uint8_t *seed, size_t seedlen,
		      const uint8_t *name, size_t namelen, uint8_t *sym,
		      uint8_t *hmac_key)
{
	unsigned int hbits = (unsigned int)EVP_MD_get_size(md) * 8;

	return ft_kdfa(md, seed, seedlen, "STORAGE", name, namelen, NULL, 0,
		       SYM_KEY_BYTES * 8, sym) &&
	       ft_kdfa(md, seed, seedlen, "INTEGRITY", NULL, 0, NULL, 0, hbits,
		       hmac_key);
}

/* HMAC(@key, @enc || @name) into @out. */
static bool wrap_hmac(const EVP_MD *md, const uint8_t *key, const uint8_t *enc,
		      size_t len, const uint8_t *name, size_t namelen,
		      uint8_t *out)
{
	uint8_t buf[BUF_SIZE];
	unsigned int n;

	if (len + namelen > sizeof(buf))
		return false;
	memcpy(buf, enc, len);
	memcpy(buf + len, name, namelen);
	return HMAC(md, key, EVP_MD_get_size(md), buf, len + namelen, out, &n);
}

/*
 * Wrap @in (Part 1, 23.3 and 24.4): integrity TPM2B || SM4-CFB(in), the
 * keys from @seed and the @name it is bound to. Returns the length written
 * to @out, 0 on failure.
 */
size_t ft_wrap(const EVP_MD *md, const uint8_t *seed, size_t seedlen,
	       const uint8_t *name, size_t namelen, const uint8_t *in,
	       size_t len, uint8_t *out, size_t outmax)
{
	uint8_t sym[SYM_KEY_BYTES], hkey[EVP_MAX_MD_SIZE];
	size_t hlen = EVP_MD_get_size(md);
	uint8_t *enc = out + 2 + hlen;
	bool ok;

	if (2 + hlen + len > outmax)
		return 0;
	memcpy(enc, in, len);
	out[0] = hlen >> 8;
	out[1] = hlen & 0xff;
	ok = wrap_keys(md, seed, seedlen, name, namelen, sym, hkey) &&
	     sm4_cfb(sym, enc, len, true) &&
	     wrap_hmac(md, hkey, enc, len, name, namelen, out + 2);
	OPENSSL_cleanse(sym, sizeof(sym));
	OPENSSL_cleanse(hkey, sizeof(hkey));
	return ok ? 2 + hlen + len : 0;
}

/*
 * Undo ft_wrap(): 0 and the plaintext in @out (*@outlen bytes, at most
 * the input's length), 1 if the integrity value is missing or wrong, -1
 * if OpenSSL fails.
 */
int ft_unwrap(const EVP_MD *md, const uint8_t *seed, size_t seedlen,
	      const uint8_t *name, size_t namelen, const uint8_t *in,
	      size_t len, uint8_t *out, size_t *outlen)
{
	uint8_t sym[SYM_KEY_BYTES], hkey[EVP_MAX_MD_SIZE], mac[EVP_MAX_MD_SIZE];
	size_t hlen = EVP_MD_get_size(md), elen;
	int ret = -1;

	if (len < 2 || (size_t)(in[0] << 8 | in[1]) != hlen || len - 2 < hlen)
		return 1;
	elen = len - 2 - hlen;
	if (!wrap_keys(md, seed, seedlen, name, namelen, sym, hkey) ||
	    !wrap_hmac(md, hkey, in + 2 + hlen, elen, name, namelen, mac))
		goto out;
	ret = 1;
	if (CRYPTO_memcmp(mac, in + 2, hlen))
		goto out;
	memcpy(out, in + 2 + hlen, elen);
	ret = sm4_cfb(sym, out, elen, false) ? 0 : -1;
	*outlen = elen;
out:
	OPENSSL_cleanse(sym, sizeof(sym));
	OPENSSL_cleanse(hkey, sizeof(hkey));
	return ret;
}

/* ---- SM2 ---------------------------------------------------------------- */

static EC_GROUP *sm2_group(void)
{
	return EC_GROUP_new_by_curve_name(NID_sm2);
}

/*
 * A private key from @bytes (32, e.g. a KDF's output): accepted if it is
 * in [1, n-2] as SM2 needs, into @d. False: take other bytes.
 */
bool ft_sm2_scalar(const uint8_t *bytes, uint8_t *d)
{
	EC_GROUP *g = sm2_group();
	BIGNUM *k = BN_bin2bn(bytes, SM2_BYTES, NULL), *max = BN_new();
	bool ok = false;

	if (g && k && max && BN_copy(max, EC_GROUP_get0_order(g)) &&
	    BN_sub_word(max, 1))
		ok = !BN_is_zero(k) && BN_cmp(k, max) < 0 &&
		     BN_bn2binpad(k, d, SM2_BYTES) == SM2_BYTES;
	BN_clear_free(k);
	BN_free(max);
	EC_GROUP_free(g);
	return ok;
}

bool ft_sm2_random(uint8_t *d)
{
	uint8_t b[SM2_BYTES];

	for (int i = 0; i < 64; i++) {
		if (RAND_priv_bytes(b, sizeof(b)) != 1)
			return false;
		if (ft_sm2_scalar(b, d)) {
			OPENSSL_cleanse(b, sizeof(b));
			return true;
		}
	}
	return false;
}

/* @d times @p (the generator if @p is NULL) into @out. */
static bool sm2_mul(EC_GROUP *g, const uint8_t *d, const EC_POINT *p,
		    EC_POINT *out, BN_CTX *bn)
{
	BIGNUM *k = BN_bin2bn(d, SM2_BYTES, NULL);
	bool ok;

	ok = k && (p ? EC_POINT_mul(g, out, NULL, p, k, bn) :
		       EC_POINT_mul(g, out, k, NULL, NULL, bn)) == 1;
	BN_clear_free(k);
	return ok;
}

static bool point_xy(EC_GROUP *g, const EC_POINT *p, uint8_t *x, uint8_t *y,
		     BN_CTX *bn)
{
	BIGNUM *bx = BN_new(), *by = BN_new();
	bool ok;

	ok = bx && by && !EC_POINT_is_at_infinity(g, p) &&
	     EC_POINT_get_affine_coordinates(g, p, bx, by, bn) == 1 &&
	     BN_bn2binpad(bx, x, SM2_BYTES) == SM2_BYTES &&
	     (!y || BN_bn2binpad(by, y, SM2_BYTES) == SM2_BYTES);
	BN_free(bx);
	BN_free(by);
	return ok;
}

/* The public point d*G of @d. */
bool ft_sm2_public(const uint8_t *d, uint8_t *x, uint8_t *y)
{
	EC_GROUP *g = sm2_group();
	EC_POINT *p = g ? EC_POINT_new(g) : NULL;
	BN_CTX *bn = BN_CTX_new();
	bool ok;

	ok = p && bn && sm2_mul(g, d, NULL, p, bn) && point_xy(g, p, x, y, bn);
	BN_CTX_free(bn);
	EC_POINT_free(p);
	EC_GROUP_free(g);
	return ok;
}

/*
 * ECDH: the x coordinate of @d times the point (@px, @py) into @zx.
 * 0, 1 if the point is not on the curve (or is the identity), -1 if
 * OpenSSL fails.
 */
int ft_sm2_ecdh(const uint8_t *d, const uint8_t *px, size_t pxlen,
		const uint8_t *py, size_t pylen, uint8_t *zx)
{
	EC_GROUP *g = sm2_group();
	EC_POINT *q = g ? EC_POINT_new(g) : NULL, *z = g ? EC_POINT_new(g) : NULL;
	BIGNUM *x = BN_bin2bn(px, (int)pxlen, NULL);
	BIGNUM *y = BN_bin2bn(py, (int)pylen, NULL);
	BN_CTX *bn = BN_CTX_new();
	int ret = -1;

	if (!q || !z || !x || !y || !bn)
		goto out;
	/* setting the coordinates checks that the point is on the curve */
	ret = 1;
	if (pxlen > SM2_BYTES || pylen > SM2_BYTES ||
	    EC_POINT_set_affine_coordinates(g, q, x, y, bn) != 1)
		goto out;
	ret = -1;
	if (!sm2_mul(g, d, q, z, bn))
		goto out;
	ret = point_xy(g, z, zx, NULL, bn) ? 0 : 1;
out:
	BN_CTX_free(bn);
	BN_free(x);
	BN_free(y);
	EC_POINT_free(q);
	EC_POINT_free(z);
	EC_GROUP_free(g);
	return ret;
}

/* An EVP_PKEY of type SM2 for the private key @d. */
static EVP_PKEY *sm2_pkey(const uint8_t *d)
{
	uint8_t pt[1 + 2 * SM2_BYTES];
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *k = BN_bin2bn(d, SM2_BYTES, NULL);

	pt[0] = 0x04;
	if (!bld || !k || !ft_sm2_public(d, pt + 1, pt + 1 + SM2_BYTES) ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					     "SM2", 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, k) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt,
					      sizeof(pt)))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR, params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(k);
	return pkey;
}

/*
 * An SM2 signature of @digest itself, as a TPM makes it: the digest is the
 * e of the SM2 signature, with no Z_A (EVP_PKEY_sign, not EVP_DigestSign).
 * r and s into @r and @s, 32 bytes each.
 */
bool ft_sm2_sign(const uint8_t *d, const uint8_t *digest, size_t dlen,
		 uint8_t *r, uint8_t *s)
{
	EVP_PKEY *pkey = sm2_pkey(d);
	EVP_PKEY_CTX *ctx = pkey ? EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL) :
			    NULL;
	uint8_t der[128];
	const uint8_t *p = der;
	size_t len = sizeof(der);
	ECDSA_SIG *sig = NULL;
	const BIGNUM *br, *bs;
	bool ok = false;

	if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_sign(ctx, der, &len, digest, dlen) <= 0)
		goto out;
	sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	if (!sig)
		goto out;
	ECDSA_SIG_get0(sig, &br, &bs);
	ok = BN_bn2binpad(br, r, SM2_BYTES) == SM2_BYTES &&
	     BN_bn2binpad(bs, s, SM2_BYTES) == SM2_BYTES;
out:
	ECDSA_SIG_free(sig);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return ok;
}
