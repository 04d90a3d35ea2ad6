// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of makecred.c:
 *  - vt_kdfa() against OpenSSL's KBKDF (SP 800-108 counter mode, HMAC,
 *    label || 0 || context || L) and vt_kdfe() against OpenSSL's SSKDF
 *    (SP 800-56C one-step, H(i || Z || FixedInfo)), for every hash;
 *  - credentials for RSA, NIST P-256/P-521 and SM2 (SM3, SM4-CFB) EKs made
 *    here with OpenSSL, opened by ActivateCredential written here from
 *    Part 1 with OpenSSL's KDFs and EVP_PKEY_decrypt (the only check of
 *    the SM2 path: swtpm has no SM3);
 *  - malformed TPM2B_PUBLIC inputs, names and secrets refused.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "algs.h"
#include "check.h"
#include "makecred.h"

static const uint16_t hashes[] = { 0x0004, 0x000b, 0x000c, 0x000d, 0x0012 };

/* OpenSSL's KDF @name with @p into @out (@len bytes); 0 or -1. */
static int ossl_kdf(const char *name, OSSL_PARAM *p, uint8_t *out,
		    size_t len)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, name, NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	int ret = ctx && EVP_KDF_derive(ctx, out, len, p) > 0 ? 0 : -1;

	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return ret;
}

/* KDFa as KBKDF: the context is u || v; @len bytes (L = 8 * len) */
static int ref_kdfa(uint16_t hash, const uint8_t *key, size_t klen,
		    const char *label, const uint8_t *u, size_t ulen,
		    const uint8_t *v, size_t vlen, uint8_t *out, size_t len)
{
	uint8_t ctxt[256];
	OSSL_PARAM p[7], *q = p;

	if (ulen + vlen > sizeof(ctxt))
		return -1;
	if (ulen)
		memcpy(ctxt, u, ulen);
	if (vlen)
		memcpy(ctxt + ulen, v, vlen);
	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MODE,
						"counter", 0);
	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MAC, "HMAC", 0);
	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
			(char *)vt_alg_by_tpm(hash)->evp, 0);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)key, klen);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
						 (void *)label, strlen(label));
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, ctxt,
						 ulen + vlen);
	*q = OSSL_PARAM_construct_end();
	return ossl_kdf("KBKDF", p, out, len);
}

/* KDFe as SSKDF: FixedInfo is label || 0 || u || v */
static int ref_kdfe(uint16_t hash, const uint8_t *z, size_t zlen,
		    const char *label, const uint8_t *u, size_t ulen,
		    const uint8_t *v, size_t vlen, uint8_t *out, size_t len)
{
	uint8_t info[256];
	size_t ll = strlen(label) + 1;
	OSSL_PARAM p[4], *q = p;

	if (ll + ulen + vlen > sizeof(info))
		return -1;
	memcpy(info, label, ll);
	if (ulen)
		memcpy(info + ll, u, ulen);
	if (vlen)
		memcpy(info + ll + ulen, v, vlen);
	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
			(char *)vt_alg_by_tpm(hash)->evp, 0);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)z, zlen);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info,
						 ll + ulen + vlen);
	*q = OSSL_PARAM_construct_end();
	return ossl_kdf("SSKDF", p, out, len);
}

static void test_kdfa_kdfe_against_openssl(void)
{
	static const size_t lens[] = { 1, 16, 20, 31, 32, 33, 48, 64, 65, 200 };
	uint8_t key[70], u[40], v[40], got[200], want[200];
	unsigned int h, i;

	for (h = 0; h < sizeof(hashes) / sizeof(hashes[0]); h++) {
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			size_t len = lens[i], klen = 1 + i * 7, ulen = i * 4;
			size_t vlen = (i % 3) * 9;

			CHECK(RAND_bytes(key, sizeof(key)) == 1);
			CHECK(RAND_bytes(u, sizeof(u)) == 1);
			CHECK(RAND_bytes(v, sizeof(v)) == 1);
			CHECK(!vt_kdfa(hashes[h], key, klen, "STORAGE", u, ulen,
				       v, vlen, len * 8, got));
			CHECK(!ref_kdfa(hashes[h], key, klen, "STORAGE", u, ulen,
					v, vlen, want, len));
			CHECK(!memcmp(got, want, len));
			CHECK(!vt_kdfe(hashes[h], key, klen, "IDENTITY", u,
				       ulen, v, vlen, len * 8, got));
			CHECK(!ref_kdfe(hashes[h], key, klen, "IDENTITY", u,
					ulen, v, vlen, want, len));
			CHECK(!memcmp(got, want, len));
		}
	}
}

static void test_kdf_bits(void)
{
	uint8_t out[8], key[4] = { 1, 2, 3, 4 };
	unsigned int i;

	/* a partial first byte keeps its low bits only */
	for (i = 0; i < 20; i++) {
		CHECK(!vt_kdfa(0x000b, key, 4, "x", NULL, 0, NULL, 0, 12, out));
		CHECK(out[0] < 16);
		CHECK(!vt_kdfe(0x000b, key, 4, "x", NULL, 0, NULL, 0, 9, out));
		CHECK(out[0] < 2);
		key[0]++;
	}
	CHECK(vt_kdfa(0x0001, key, 4, "x", NULL, 0, NULL, 0, 8, out) == -1);
	CHECK(vt_kdfa(0x000b, key, 4, "x", NULL, 0, NULL, 0, 0, out) == -1);
	CHECK(vt_kdfa(0x000b, key, 0, "x", NULL, 0, NULL, 0, 8, out) == -1);
	CHECK(vt_kdfe(0x000b, key, 4, "x", NULL, 0, NULL, 0,
		      (1u << 20) + 1, out) == -1);
}

/* A TPM2B_PUBLIC writer */
struct wr {
	uint8_t b[1200];
	size_t len;
};

static void w16(struct wr *w, uint16_t v)
{
	w->b[w->len++] = v >> 8;
	w->b[w->len++] = v;
}

static void w32(struct wr *w, uint32_t v)
{
	w16(w, v >> 16);
	w16(w, v);
}

static void w2b(struct wr *w, const uint8_t *p, size_t n)
{
	w16(w, n);
	memcpy(w->b + w->len, p, n);
	w->len += n;
}

/* the fields of a storage key's public area that tests change */
struct tmpl {
	uint16_t type, name_alg, sym, sym_bits, mode, scheme, curve, kdf;
	uint32_t attrs, exponent;
	uint16_t rsa_bits;
	size_t policy_len;
};

#define ATTRS 0x000300b2	/* the TCG EK's: restricted, decrypt ... */

static const struct tmpl rsa_tmpl = {
	0x0001, 0x000b, 0x0006, 128, 0x0043, 0x0010, 0, 0, ATTRS, 0, 2048, 32
};

static const struct tmpl ecc_tmpl = {
	0x0023, 0x000b, 0x0006, 128, 0x0043, 0x0010, 0x0003, 0x0010, ATTRS,
	0, 0, 32
};

static void build(struct wr *w, const struct tmpl *t, const uint8_t *a,
		  size_t alen, const uint8_t *b, size_t blen)
{
	static const uint8_t policy[80];

	w->len = 2;
	w16(w, t->type);
	w16(w, t->name_alg);
	w32(w, t->attrs);
	w2b(w, policy, t->policy_len);
	w16(w, t->sym);
	if (t->sym != 0x0010) {
		w16(w, t->sym_bits);
		w16(w, t->mode);
	}
	w16(w, t->scheme);
	if (t->type == 0x0023) {
		w16(w, t->curve);
		w16(w, t->kdf);
		w2b(w, a, alen);
		w2b(w, b, blen);
	} else {
		w16(w, t->rsa_bits);
		w32(w, t->exponent);
		w2b(w, a, alen);
	}
	w->b[0] = (w->len - 2) >> 8;
	w->b[1] = w->len - 2;
}

/* An EK key pair of @t (RSA 2048, or ECC on @group) and its public area. */
static EVP_PKEY *make_ek(const struct tmpl *t, const char *group,
			 struct wr *w)
{
	uint8_t a[512], b[66];
	BIGNUM *x = NULL, *y = NULL;
	EVP_PKEY *pk;
	int n;

	if (t->type == 0x0001)
		pk = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	else
		pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", group);
	if (!pk)
		return NULL;
	if (t->type == 0x0001) {
		if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &x))
			goto fail;
		n = BN_bn2binpad(x, a, 256);
		build(w, t, a, n, NULL, 0);
	} else {
		n = (EVP_PKEY_get_bits(pk) + 7) / 8;
		if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
		    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_Y, &y) ||
		    BN_bn2binpad(x, a, n) != n || BN_bn2binpad(y, b, n) != n)
			goto fail;
		build(w, t, a, n, b, n);
	}
	BN_free(x);
	BN_free(y);
	return pk;
fail:
	BN_free(x);
	BN_free(y);
	EVP_PKEY_free(pk);
	return NULL;
}

/* The seed from TPM2B_ENCRYPTED_SECRET @es with the EK's private key. */
static int open_seed(EVP_PKEY *ek, const struct tmpl *t,
		     const uint8_t *es, size_t es_len, uint8_t *seed)
{
	const struct vt_alg *alg = vt_alg_by_tpm(t->name_alg);
	uint8_t pt[512], z[66], *label;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *eph = NULL;
	size_t len = alg->size, cb, zlen = sizeof(z);
	int ret = -1;

	if (es_len < 2 || (size_t)(es[0] << 8 | es[1]) != es_len - 2)
		return -1;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, ek, NULL);
	if (!ctx)
		return -1;
	if (t->type == 0x0001) {
		label = OPENSSL_memdup("IDENTITY", 9);
		if (EVP_PKEY_decrypt_init(ctx) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_oaep_md_name(ctx, alg->evp, NULL) <= 0 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md_name(ctx, alg->evp, NULL) <= 0 ||
		    EVP_PKEY_CTX_set0_rsa_oaep_label(ctx, label, 9) <= 0) {
			OPENSSL_free(label);
			goto out;
		}
		/* OpenSSL wants room for the modulus */
		len = sizeof(pt);
		if (EVP_PKEY_decrypt(ctx, pt, &len, es + 2, es_len - 2) <= 0 ||
		    len != alg->size)
			goto out;
		memcpy(seed, pt, len);
		ret = 0;
		goto out;
	}
	/* TPMS_ECC_POINT: x and y of equal size */
	cb = es[2] << 8 | es[3];
	if (cb > 66 || es_len != 2 + 2 + cb + 2 + cb)
		goto out;
	pt[0] = 4;
	memcpy(pt + 1, es + 4, cb);
	memcpy(pt + 1 + cb, es + 6 + cb, cb);
	/* the ephemeral key on the EK's parameters (SM2: see makecred.c) */
	eph = EVP_PKEY_new();
	if (!eph || EVP_PKEY_copy_parameters(eph, ek) != 1 ||
	    EVP_PKEY_set_octet_string_param(eph,
					    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
					    pt, 1 + 2 * cb) != 1 ||
	    EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_derive_set_peer(ctx, eph) <= 0 ||
	    EVP_PKEY_derive(ctx, z, &zlen) <= 0)
		goto out;
	/* the EK's x is in the public area: it was written at full size */
	{
		BIGNUM *x = NULL;
		uint8_t ekx[66];

		if (!EVP_PKEY_get_bn_param(ek, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
		    BN_bn2binpad(x, ekx, cb) != (int)cb) {
			BN_free(x);
			goto out;
		}
		BN_free(x);
		ret = ref_kdfe(t->name_alg, z, zlen, "IDENTITY", pt + 1, cb,
			       ekx, cb, seed, alg->size);
	}
out:
	EVP_PKEY_free(eph);
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

/*
 * ActivateCredential: the secret from the TPM2B_ID_OBJECT @id and @es, for
 * @name, into @out (its size), or -1.
 */
static int activate(EVP_PKEY *ek, const struct tmpl *t,
		    const uint8_t *name, size_t name_len,
		    const uint8_t *id, size_t id_len,
		    const uint8_t *es, size_t es_len, uint8_t *out)
{
	const struct vt_alg *alg = vt_alg_by_tpm(t->name_alg);
	const char *cipher = t->sym == 0x0013 ? "SM4-CFB" : "AES-128-CFB";
	uint8_t seed[64], key[16], hkey[64], mac[64], buf[2 + 64 + 2];
	static const uint8_t iv[16];
	EVP_CIPHER_CTX *c = NULL;
	size_t dsize = alg->size, elen, maclen;
	uint8_t mdata[66 + 2 + 64];
	int n, ret = -1;

	if (open_seed(ek, t, es, es_len, seed))
		return -1;
	if (id_len < 4 + dsize + 2 || (size_t)(id[0] << 8 | id[1]) != id_len - 2 ||
	    (size_t)(id[2] << 8 | id[3]) != dsize)
		return -1;
	elen = id_len - 4 - dsize;
	if (elen > sizeof(buf) || elen + name_len > sizeof(mdata))
		return -1;
	/* the outer HMAC over encIdentity || name, checked first */
	if (ref_kdfa(t->name_alg, seed, dsize, "INTEGRITY", NULL, 0, NULL, 0,
		     hkey, dsize))
		return -1;
	memcpy(mdata, id + 4 + dsize, elen);
	memcpy(mdata + elen, name, name_len);
	if (!EVP_Q_mac(NULL, "HMAC", NULL, alg->evp, NULL, hkey, dsize, mdata,
		       elen + name_len, mac, sizeof(mac), &maclen) ||
	    maclen != dsize || memcmp(mac, id + 4, dsize))
		return -1;
	if (ref_kdfa(t->name_alg, seed, dsize, "STORAGE", name, name_len,
		     NULL, 0, key, 16))
		return -1;
	c = EVP_CIPHER_CTX_new();
	if (!c || !EVP_DecryptInit_ex2(c, EVP_get_cipherbyname(cipher), key,
				       iv, NULL) ||
	    !EVP_DecryptUpdate(c, buf, &n, id + 4 + dsize, elen) ||
	    (size_t)n != elen || (size_t)(buf[0] << 8 | buf[1]) != elen - 2)
		goto out;
	memcpy(out, buf + 2, elen - 2);
	ret = elen - 2;
out:
	EVP_CIPHER_CTX_free(c);
	return ret;
}

static void round_trip(const struct tmpl *t, const char *group)
{
	const struct vt_alg *alg = vt_alg_by_tpm(t->name_alg);
	uint8_t name[2 + 32], secret[64], got[64];
	uint8_t *id = NULL, *es = NULL;
	size_t id_len, es_len, len;
	char why[200];
	struct wr w;
	EVP_PKEY *ek;

	ek = make_ek(t, group, &w);
	CHECK(ek);
	if (!ek)
		return;
	name[0] = 0x00;
	name[1] = 0x0b;
	for (len = 1; len <= alg->size; len += alg->size - 1) {
		CHECK(RAND_bytes(name + 2, 32) == 1);
		CHECK(RAND_bytes(secret, len) == 1);
		CHECK(!vt_makecred(w.b, w.len, name, sizeof(name), secret, len,
				   &id, &id_len, &es, &es_len, why,
				   sizeof(why)));
		if (!id)
			break;
		CHECK(activate(ek, t, name, sizeof(name), id, id_len,
			       es, es_len, got) == (int)len);
		CHECK(!memcmp(got, secret, len));
		/* another name: the outer HMAC differs */
		name[5] ^= 1;
		CHECK(activate(ek, t, name, sizeof(name), id, id_len,
			       es, es_len, got) == -1);
		free(id);
		free(es);
		id = es = NULL;
	}
	EVP_PKEY_free(ek);
}

static void test_round_trip_rsa(void)
{
	round_trip(&rsa_tmpl, NULL);
}

static void test_round_trip_p256(void)
{
	round_trip(&ecc_tmpl, "prime256v1");
}

static void test_round_trip_p521_sha512(void)
{
	struct tmpl t = ecc_tmpl;

	t.curve = 0x0005;
	t.name_alg = 0x000d;
	round_trip(&t, "secp521r1");
}

/* the TCG's SM2 EK: SM3-256, SM4-128-CFB, the SM2 curve */
static void test_round_trip_sm2(void)
{
	struct tmpl t = ecc_tmpl;

	t.curve = 0x0020;
	t.name_alg = 0x0012;
	t.sym = 0x0013;
	round_trip(&t, "SM2");
}

/* vt_makecred() of @w: must fail with @want in the reason */
static bool refused(const uint8_t *pub, size_t len, const uint8_t *name,
		    size_t name_len, size_t secret_len, const char *want)
{
	uint8_t secret[70] = { 1 }, *id = (uint8_t *)1, *es = (uint8_t *)1;
	size_t id_len = 1, es_len = 1;
	char why[200];

	if (vt_makecred(pub, len, name, name_len, secret, secret_len, &id,
			&id_len, &es, &es_len, why, sizeof(why)) != -1 ||
	    id || es || id_len || es_len)
		return false;
	if (!strstr(why, want)) {
		fprintf(stderr, "reason \"%s\", wanted \"%s\"\n", why, want);
		return false;
	}
	return true;
}

static const uint8_t ak_name[34] = { 0x00, 0x0b, 1, 2, 3 };

static bool bad_tmpl(const struct tmpl *t, const uint8_t *a, size_t alen,
		     const uint8_t *b, size_t blen, const char *want)
{
	struct wr w;

	build(&w, t, a, alen, b, blen);
	return refused(w.b, w.len, ak_name, sizeof(ak_name), 32, want);
}

static void test_malformed_public(void)
{
	static uint8_t big[VT_MC_PUBLIC_MAX + 1] = { 0x04, 0x00 };
	uint8_t n[600], x[80], y[80];
	struct tmpl t;
	struct wr w;
	EVP_PKEY *ek;
	size_t i;

	memset(n, 0xc5, sizeof(n));
	memset(x, 0x11, sizeof(x));
	memset(y, 0x22, sizeof(y));
	/* every truncation of a good public area, and a byte more */
	ek = make_ek(&ecc_tmpl, "prime256v1", &w);
	CHECK(ek);
	EVP_PKEY_free(ek);
	for (i = 0; i < w.len; i++)
		CHECK(refused(w.b, i, ak_name, sizeof(ak_name), 32, "EK public"));
	w.b[w.len] = 0;
	CHECK(refused(w.b, w.len + 1, ak_name, sizeof(ak_name), 32,
		      "not a TPM2B_PUBLIC"));
	/* a byte more inside the TPM2B */
	w.b[1]++;
	CHECK(refused(w.b, w.len + 1, ak_name, sizeof(ak_name), 32,
		      "1 bytes after the key"));
	ek = make_ek(&rsa_tmpl, NULL, &w);
	CHECK(ek);
	EVP_PKEY_free(ek);
	for (i = 0; i < w.len; i++)
		CHECK(refused(w.b, i, ak_name, sizeof(ak_name), 32, "EK public"));

	t = rsa_tmpl;
	t.type = 0x0008;	/* keyedhash */
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "type 0x0008, not RSA or ECC"));
	t = rsa_tmpl;
	t.name_alg = 0x0027;	/* sha3-256 */
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "nameAlg 0x0027"));
	t = rsa_tmpl;
	t.attrs = 0x00040072;	/* a signing key */
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "not a restricted decryption"));
	t.attrs = ATTRS | 0x00040000;
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "not a restricted decryption"));
	t = rsa_tmpl;
	t.policy_len = 65;
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "the public area is cut short"));
	t = rsa_tmpl;
	t.sym = 0x0010;
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "no symmetric algorithm"));
	t = rsa_tmpl;
	t.mode = 0x0040;	/* CTR */
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "mode 0x0040, not CFB"));
	t = rsa_tmpl;
	t.sym_bits = 64;
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "0x0006 with 64 bits"));
	t.sym = 0x0013;
	t.sym_bits = 256;
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "0x0013 with 256 bits"));
	t = rsa_tmpl;
	t.scheme = 0x0017;	/* OAEP */
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "scheme 0x0017"));
	t = rsa_tmpl;
	t.rsa_bits = 2047;
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "RSA 2047 bits"));
	t = rsa_tmpl;
	CHECK(bad_tmpl(&t, n, 255, NULL, 0, "a modulus of 255 bytes"));
	CHECK(bad_tmpl(&t, n, 513, NULL, 0, "the RSA key is cut short"));
	n[0] = 0x45;
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "shorter than 2048 bits"));
	n[0] = 0xc5;
	t.exponent = 4;
	CHECK(bad_tmpl(&t, n, 256, NULL, 0, "RSA exponent 4"));

	t = ecc_tmpl;
	t.curve = 0x0010;	/* BN P-256 */
	CHECK(bad_tmpl(&t, x, 32, y, 32, "curve 0x0010 is not supported"));
	t.curve = 0x0001;	/* NIST P-192 */
	CHECK(bad_tmpl(&t, x, 24, y, 24, "curve 0x0001 is not supported"));
	t = ecc_tmpl;
	t.kdf = 0x0020;		/* KDF1 SP800-56A */
	CHECK(bad_tmpl(&t, x, 32, y, 32, "kdf 0x0020"));
	t.kdf = 0x0010;
	CHECK(bad_tmpl(&t, x, 33, y, 32, "a point of 33 and 32 bytes"));
	CHECK(bad_tmpl(&t, x, 32, y, 0, "a point of 32 and 0 bytes"));
	CHECK(bad_tmpl(&t, x, 67, y, 32, "the ECC key is cut short"));
	/* not on the curve */
	CHECK(bad_tmpl(&t, x, 32, y, 32, "the EK's point failed"));
	/* too large as a whole */
	CHECK(refused(big, sizeof(big), ak_name, sizeof(ak_name), 32,
		      "more than 1024"));
}

static void test_bad_name_and_secret(void)
{
	uint8_t name[66] = { 0x00, 0x0b };
	uint8_t *id, *es;
	size_t id_len, es_len;
	struct wr w;
	EVP_PKEY *ek;

	ek = make_ek(&ecc_tmpl, "prime256v1", &w);
	CHECK(ek);
	EVP_PKEY_free(ek);
	CHECK(refused(w.b, w.len, name, 33, 32, "AK name: 33 bytes"));
	CHECK(refused(w.b, w.len, name, 1, 32, "AK name: 1 bytes"));
	name[1] = 0x0c;		/* SHA-384 with a SHA-256 digest */
	CHECK(refused(w.b, w.len, name, 34, 32, "AK name: 34 bytes"));
	name[1] = 0x0b;
	CHECK(refused(w.b, w.len, name, 34, 0, "secret: 0 bytes"));
	CHECK(refused(w.b, w.len, name, 34, 33, "secret: 33 bytes"));
	/* a SHA-384 Name for a SHA-256 EK is a Name like any other */
	name[1] = 0x0c;
	CHECK(!vt_makecred(w.b, w.len, name, 50, name, 32, &id, &id_len, &es,
			   &es_len, NULL, 0));
	CHECK(id_len == 2 + 2 + 32 + 2 + 32 && es_len == 2 + 2 + 32 + 2 + 32);
	free(id);
	free(es);
}

int main(void)
{
	RUN(test_kdfa_kdfe_against_openssl);
	RUN(test_kdf_bits);
	RUN(test_round_trip_rsa);
	RUN(test_round_trip_p256);
	RUN(test_round_trip_p521_sha512);
	RUN(test_round_trip_sm2);
	RUN(test_malformed_public);
	RUN(test_bad_name_and_secret);
	DONE();
}
