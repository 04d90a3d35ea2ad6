// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of tpm2s.c and quote.c on structures marshalled here by hand:
 * every size one over and at its bound, every truncation, a trailing byte,
 * 17 banks, sizeofSelect 5; the Name against SHA-256 of the bytes built.
 * Quotes signed in software with OpenSSL: SM2 over an SM3 bank (libtpms
 * in swtpm has no SM3), signed over the raw digest as a TPM does, must
 * pass, and the same signed with EVP_DigestSign (which adds Z_A) must
 * fail "signature"; ECDSA P-384 with SHA-384 likewise. The AK's attributes
 * and scheme are changed one at a time and "ak-attributes" must fail.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/sha.h>

#include "check.h"
#include "quote.h"
#include "tpm2s.h"

/* ---- a byte builder ---- */

struct buf {
	size_t n;
	uint8_t b[4096];
};

static void put(struct buf *b, uint64_t v, unsigned int size)
{
	while (size--)
		b->b[b->n++] = v >> (8 * size);
}

static void put_bytes(struct buf *b, const void *p, size_t len)
{
	memcpy(b->b + b->n, p, len);
	b->n += len;
}

/* a TPM2B of @len bytes of @fill */
static void put_2b(struct buf *b, size_t len, uint8_t fill)
{
	put(b, len, 2);
	memset(b->b + b->n, fill, len);
	b->n += len;
}

static void put_2b_bytes(struct buf *b, const void *p, size_t len)
{
	put(b, len, 2);
	put_bytes(b, p, len);
}

static const uint32_t ak_attrs = VT_TPMA_FIXED_TPM | VT_TPMA_FIXED_PARENT |
	VT_TPMA_SENSITIVE_DATA_ORIGIN | VT_TPMA_USER_WITH_AUTH |
	VT_TPMA_RESTRICTED | VT_TPMA_SIGN;

/* What to vary in the structures built */
struct spec {
	uint16_t type, name_alg, sym, scheme, hash, curve, rsa_bits;
	uint32_t attrs;
	size_t policy_len, n_len, x_len, y_len;
	const uint8_t *x, *y;
	int size_delta;		/* added to TPM2B_PUBLIC.size */
	bool trailing;
};

static const struct spec rsa_spec = {
	.type = VT_TPM_ALG_RSA, .name_alg = VT_TPM_ALG_SHA256,
	.sym = VT_TPM_ALG_NULL, .scheme = VT_TPM_ALG_RSASSA,
	.hash = VT_TPM_ALG_SHA256, .rsa_bits = 2048, .attrs = ak_attrs,
	.n_len = 256,
};

static const struct spec ecc_spec = {
	.type = VT_TPM_ALG_ECC, .name_alg = VT_TPM_ALG_SHA256,
	.sym = VT_TPM_ALG_NULL, .scheme = VT_TPM_ALG_ECDSA,
	.hash = VT_TPM_ALG_SHA256, .curve = VT_TPM_ECC_NIST_P256,
	.attrs = ak_attrs, .x_len = 32, .y_len = 32,
};

/* A TPM2B_PUBLIC as @s says */
static void build_public(struct buf *b, const struct spec *s)
{
	size_t start;

	b->n = 0;
	put(b, 0, 2);
	start = b->n;
	put(b, s->type, 2);
	put(b, s->name_alg, 2);
	put(b, s->attrs, 4);
	put_2b(b, s->policy_len, 0xaa);
	put(b, s->sym, 2);
	if (s->sym != VT_TPM_ALG_NULL) {
		put(b, 128, 2);
		put(b, VT_TPM_ALG_CFB, 2);
	}
	put(b, s->scheme, 2);
	if (s->scheme != VT_TPM_ALG_NULL)
		put(b, s->hash, 2);
	if (s->type == VT_TPM_ALG_RSA) {
		put(b, s->rsa_bits, 2);
		put(b, 0, 4);
		put_2b(b, s->n_len, 0xc5);
	} else {
		put(b, s->curve, 2);
		put(b, VT_TPM_ALG_NULL, 2);	/* kdf */
		if (s->x)
			put_2b_bytes(b, s->x, s->x_len);
		else
			put_2b(b, s->x_len, 1);
		if (s->y)
			put_2b_bytes(b, s->y, s->y_len);
		else
			put_2b(b, s->y_len, 2);
	}
	b->b[0] = (b->n - start + s->size_delta) >> 8;
	b->b[1] = (b->n - start + s->size_delta) & 0xff;
	if (s->trailing)
		put(b, 0, 1);
}

static int parse_public(const struct spec *s, struct vt_tpm_public *pub)
{
	struct buf b;
	char why[160];

	build_public(&b, s);
	return vt_tpm_public_parse(b.b, b.n, pub, why, sizeof(why));
}

static struct vt_tpm_public pub;

static void test_public_rsa(void)
{
	struct spec s = rsa_spec;
	uint8_t name[VT_TPM_NAME_MAX], want[SHA256_DIGEST_LENGTH];
	size_t nlen = sizeof(name);
	char why[160];
	struct buf b;
	size_t i;

	build_public(&b, &s);
	CHECK(!vt_tpm_public_parse(b.b, b.n, &pub, why, sizeof(why)));
	CHECK(pub.type == VT_TPM_ALG_RSA && pub.rsa_bits == 2048 &&
	      pub.rsa_n_len == 256 && pub.rsa_n[255] == 0xc5 &&
	      pub.scheme == VT_TPM_ALG_RSASSA &&
	      pub.scheme_hash == VT_TPM_ALG_SHA256 &&
	      pub.attributes == ak_attrs && pub.raw_len == b.n - 2);
	/* the Name: nameAlg || SHA-256(TPMT_PUBLIC) */
	SHA256(b.b + 2, b.n - 2, want);
	CHECK(!vt_tpm_name(&pub, name, &nlen) && nlen == 34 &&
	      name[0] == 0 && name[1] == 0x0b && !memcmp(name + 2, want, 32));
	nlen = 33;
	CHECK(vt_tpm_name(&pub, name, &nlen));
	/* every truncation fails, with a reason */
	for (i = 0; i < b.n; i++) {
		why[0] = '\0';
		CHECK(vt_tpm_public_parse(b.b, i, &pub, why, sizeof(why)));
		CHECK(why[0]);
	}
	/* the size one too big, one too small; a trailing byte */
	s.size_delta = 1;
	CHECK(parse_public(&s, &pub));
	s.size_delta = -1;
	CHECK(parse_public(&s, &pub));
	s.size_delta = 0;
	s.trailing = true;
	CHECK(parse_public(&s, &pub));
	/* the bounds of the TPM2Bs */
	s = rsa_spec;
	s.policy_len = 64;
	CHECK(!parse_public(&s, &pub) && pub.policy_len == 64);
	s.policy_len = 65;
	CHECK(parse_public(&s, &pub));
	s = rsa_spec;
	s.n_len = 512;
	CHECK(!parse_public(&s, &pub));
	s.n_len = 513;
	CHECK(parse_public(&s, &pub));
	/* an EK's symmetric definition; unknown algorithms */
	s = rsa_spec;
	s.sym = VT_TPM_ALG_AES;
	CHECK(!parse_public(&s, &pub) && pub.sym_bits == 128 &&
	      pub.sym_mode == VT_TPM_ALG_CFB);
	s.sym = 0x0099;
	CHECK(parse_public(&s, &pub));
	s = rsa_spec;
	s.name_alg = 0x0099;
	CHECK(parse_public(&s, &pub));
	s.name_alg = VT_TPM_ALG_NULL;
	CHECK(parse_public(&s, &pub));
	s = rsa_spec;
	s.hash = VT_TPM_ALG_NULL;
	CHECK(parse_public(&s, &pub));
	s = rsa_spec;
	s.scheme = VT_TPM_ALG_ECDSA;
	CHECK(parse_public(&s, &pub));
	s = rsa_spec;
	s.type = 0x0008;	/* KEYEDHASH */
	CHECK(parse_public(&s, &pub));
	/* a modulus whose size is not keyBits: parsed, but no key */
	s = rsa_spec;
	s.n_len = 255;
	CHECK(!parse_public(&s, &pub) && !vt_tpm_public_pkey(&pub));
}

static void test_public_ecc(void)
{
	struct spec s = ecc_spec;
	char why[160];
	struct buf b;
	size_t i;

	build_public(&b, &s);
	CHECK(!vt_tpm_public_parse(b.b, b.n, &pub, why, sizeof(why)));
	CHECK(pub.type == VT_TPM_ALG_ECC &&
	      pub.curve == VT_TPM_ECC_NIST_P256 && pub.ecc_x_len == 32 &&
	      pub.ecc_y_len == 32 && pub.kdf == VT_TPM_ALG_NULL);
	/* (1, 1...) is not on the curve */
	CHECK(!vt_tpm_public_pkey(&pub));
	for (i = 0; i < b.n; i++)
		CHECK(vt_tpm_public_parse(b.b, i, &pub, why, sizeof(why)));
	s.trailing = true;
	CHECK(parse_public(&s, &pub));
	s = ecc_spec;
	s.x_len = 66;
	CHECK(!parse_public(&s, &pub));
	s.x_len = 67;
	CHECK(parse_public(&s, &pub));
	s = ecc_spec;
	s.y_len = 67;
	CHECK(parse_public(&s, &pub));
	s = ecc_spec;
	s.scheme = VT_TPM_ALG_RSASSA;
	CHECK(parse_public(&s, &pub));
}

/* ---- TPMS_ATTEST ---- */

struct aspec {
	uint32_t magic;
	uint16_t type;
	size_t signer_len, extra_len, digest_len;
	const uint8_t *extra;
	uint8_t safe;
	uint32_t count;		/* banks (at most 17 are written) */
	uint8_t select_size;
	uint16_t bank_alg;
	uint32_t mask;
	const uint8_t *digest;
	bool trailing;
};

static const struct aspec quote_spec = {
	.magic = VT_TPM_GENERATED_VALUE, .type = VT_TPM_ST_ATTEST_QUOTE,
	.signer_len = 34, .extra_len = 32, .digest_len = 32, .safe = 1,
	.count = 1, .select_size = 3, .bank_alg = VT_TPM_ALG_SHA256,
	.mask = 0x3,
};

static void build_attest(struct buf *b, const struct aspec *s)
{
	uint32_t i, j;

	b->n = 0;
	put(b, s->magic, 4);
	put(b, s->type, 2);
	put_2b(b, s->signer_len, 0x51);
	if (s->extra)
		put_2b_bytes(b, s->extra, s->extra_len);
	else
		put_2b(b, s->extra_len, 0xe0);
	put(b, 0x0102030405060708ull, 8);	/* clock */
	put(b, 7, 4);				/* resetCount */
	put(b, 9, 4);				/* restartCount */
	put(b, s->safe, 1);
	put(b, 0x1122334455667788ull, 8);	/* firmwareVersion */
	if (s->type != VT_TPM_ST_ATTEST_QUOTE)
		return;
	put(b, s->count, 4);
	for (i = 0; i < s->count && i < 17; i++) {
		put(b, s->bank_alg, 2);
		put(b, s->select_size, 1);
		for (j = 0; j < s->select_size; j++)
			put(b, j < 4 ? s->mask >> (8 * j) : 0, 1);
	}
	if (s->digest)
		put_2b_bytes(b, s->digest, s->digest_len);
	else
		put_2b(b, s->digest_len, 0xd1);
	if (s->trailing)
		put(b, 0, 1);
}

static struct vt_tpm_attest att;

static int parse_attest(const struct aspec *s)
{
	struct buf b;
	char why[160];

	build_attest(&b, s);
	return vt_tpm_attest_parse(b.b, b.n, &att, why, sizeof(why));
}

static void test_attest_quote(void)
{
	struct aspec s = quote_spec;
	char why[160];
	struct buf b;
	size_t i;

	build_attest(&b, &s);
	CHECK(!vt_tpm_attest_parse(b.b, b.n, &att, why, sizeof(why)));
	CHECK(att.magic == VT_TPM_GENERATED_VALUE &&
	      att.type == VT_TPM_ST_ATTEST_QUOTE && att.signer_len == 34 &&
	      att.extra_len == 32 && att.clock == 0x0102030405060708ull &&
	      att.reset_count == 7 && att.restart_count == 9 &&
	      att.safe == 1 && att.firmware_version == 0x1122334455667788ull &&
	      att.nr_banks == 1 && att.banks[0].hash == VT_TPM_ALG_SHA256 &&
	      att.banks[0].size == 3 && att.banks[0].mask == 3 &&
	      att.pcr_digest_len == 32 && att.pcr_digest[31] == 0xd1);
	for (i = 0; i < b.n; i++) {
		why[0] = '\0';
		CHECK(vt_tpm_attest_parse(b.b, i, &att, why, sizeof(why)));
		CHECK(why[0]);
	}
	s.trailing = true;
	CHECK(parse_attest(&s));
	/* the magic is the "magic" check's, not the parser's */
	s = quote_spec;
	s.magic = 0xff544348;
	CHECK(!parse_attest(&s) && att.magic == 0xff544348);
	/* TPM2B bounds */
	s = quote_spec;
	s.signer_len = 66;
	CHECK(!parse_attest(&s));
	s.signer_len = 67;
	CHECK(parse_attest(&s));
	s = quote_spec;
	s.extra_len = 64;
	CHECK(!parse_attest(&s));
	s.extra_len = 65;
	CHECK(parse_attest(&s));
	s = quote_spec;
	s.digest_len = 64;
	CHECK(!parse_attest(&s));
	s.digest_len = 65;
	CHECK(parse_attest(&s));
	/* banks: 16 at most; sizeofSelect 4 at most */
	s = quote_spec;
	s.count = 16;
	CHECK(!parse_attest(&s) && att.nr_banks == 16);
	s.count = 17;
	CHECK(parse_attest(&s));
	s.count = 0xffffffff;
	CHECK(parse_attest(&s));
	s = quote_spec;
	s.select_size = 4;
	s.mask = 0x80000001;
	CHECK(!parse_attest(&s) && att.banks[0].mask == 0x80000001);
	s.select_size = 5;
	CHECK(parse_attest(&s));
	s.select_size = 0;
	CHECK(!parse_attest(&s) && att.banks[0].mask == 0);
	s = quote_spec;
	s.bank_alg = 0x0099;
	CHECK(parse_attest(&s));
	s = quote_spec;
	s.safe = 2;
	CHECK(parse_attest(&s));
	s = quote_spec;
	s.type = 0x8099;
	CHECK(parse_attest(&s));
}

static void test_attest_other_types(void)
{
	struct aspec s = quote_spec;
	char why[160];
	struct buf b;
	size_t i, n;

	/* certify: name, qualifiedName */
	s.type = VT_TPM_ST_ATTEST_CERTIFY;
	build_attest(&b, &s);
	put_2b(&b, 34, 1);
	put_2b(&b, 34, 2);
	CHECK(!vt_tpm_attest_parse(b.b, b.n, &att, why, sizeof(why)) &&
	      att.type == VT_TPM_ST_ATTEST_CERTIFY && att.nr_banks == 0);
	for (i = 0; i < b.n; i++)
		CHECK(vt_tpm_attest_parse(b.b, i, &att, why, sizeof(why)));
	b.b[b.n++] = 0;
	CHECK(vt_tpm_attest_parse(b.b, b.n, &att, why, sizeof(why)));
	/* NV certify: indexName, offset, nvContents (2048 at most) */
	s.type = VT_TPM_ST_ATTEST_NV;
	build_attest(&b, &s);
	n = b.n;
	put_2b(&b, 34, 1);
	put(&b, 0, 2);
	put_2b(&b, 2048, 3);
	CHECK(!vt_tpm_attest_parse(b.b, b.n, &att, why, sizeof(why)) &&
	      att.type == VT_TPM_ST_ATTEST_NV);
	b.n = n;
	put_2b(&b, 34, 1);
	put(&b, 0, 2);
	put_2b(&b, 2049, 3);
	CHECK(vt_tpm_attest_parse(b.b, b.n, &att, why, sizeof(why)));
	/* time: time, clockInfo, firmwareVersion */
	s.type = VT_TPM_ST_ATTEST_TIME;
	build_attest(&b, &s);
	put(&b, 1, 8);
	put(&b, 0, 8);		/* clockInfo */
	put(&b, 0, 8);
	put(&b, 1, 1);
	put(&b, 1, 8);
	CHECK(!vt_tpm_attest_parse(b.b, b.n, &att, why, sizeof(why)));
}

/* ---- TPMT_SIGNATURE ---- */

static struct vt_tpm_signature sig;

static int parse_sig(uint16_t alg, uint16_t hash, size_t a, size_t b2,
		     bool trailing)
{
	char why[160];
	struct buf b;

	b.n = 0;
	put(&b, alg, 2);
	put(&b, hash, 2);
	put_2b(&b, a, 0x11);
	if (alg == VT_TPM_ALG_ECDSA || alg == VT_TPM_ALG_SM2)
		put_2b(&b, b2, 0x22);
	if (trailing)
		put(&b, 0, 1);
	return vt_tpm_signature_parse(b.b, b.n, &sig, why, sizeof(why));
}

static void test_signature(void)
{
	uint8_t b[8] = { 0x00, 0x14, 0x00, 0x0b, 0x00, 0x02, 1, 2 };
	char why[160];
	size_t i;

	CHECK(!parse_sig(VT_TPM_ALG_RSASSA, VT_TPM_ALG_SHA256, 256, 0, false) &&
	      sig.alg == VT_TPM_ALG_RSASSA && sig.rsa_len == 256);
	CHECK(!parse_sig(VT_TPM_ALG_RSAPSS, VT_TPM_ALG_SHA384, 512, 0, false));
	CHECK(parse_sig(VT_TPM_ALG_RSASSA, VT_TPM_ALG_SHA256, 513, 0, false));
	CHECK(parse_sig(VT_TPM_ALG_RSASSA, VT_TPM_ALG_SHA256, 256, 0, true));
	CHECK(!parse_sig(VT_TPM_ALG_ECDSA, VT_TPM_ALG_SHA256, 32, 32, false) &&
	      sig.r_len == 32 && sig.s_len == 32 && sig.s[0] == 0x22);
	CHECK(!parse_sig(VT_TPM_ALG_SM2, VT_TPM_ALG_SM3_256, 66, 66, false));
	CHECK(parse_sig(VT_TPM_ALG_ECDSA, VT_TPM_ALG_SHA256, 67, 32, false));
	CHECK(parse_sig(VT_TPM_ALG_ECDSA, VT_TPM_ALG_SHA256, 32, 67, false));
	CHECK(parse_sig(VT_TPM_ALG_ECDSA, VT_TPM_ALG_SHA256, 32, 32, true));
	CHECK(parse_sig(VT_TPM_ALG_ECDSA, 0x0099, 32, 32, false));
	CHECK(parse_sig(VT_TPM_ALG_ECDAA, VT_TPM_ALG_SHA256, 32, 32, false));
	CHECK(parse_sig(VT_TPM_ALG_NULL, VT_TPM_ALG_SHA256, 0, 0, false));
	CHECK(!vt_tpm_signature_parse(b, sizeof(b), &sig, why, sizeof(why)));
	for (i = 0; i < sizeof(b); i++)
		CHECK(vt_tpm_signature_parse(b, i, &sig, why, sizeof(why)));
}

/* ---- quotes signed in software ---- */

struct soft {
	const char *type;	/* EVP_PKEY type: "SM2", "EC" */
	const char *group;
	uint16_t curve, scheme, hash;
	unsigned int size;	/* coordinate size */
	EVP_PKEY *key;
	uint8_t x[VT_TPM_ECC_MAX], y[VT_TPM_ECC_MAX];
};

static int soft_keygen(struct soft *k)
{
	uint8_t point[1 + 2 * VT_TPM_ECC_MAX];
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, k->type, NULL);
	OSSL_PARAM params[2];
	size_t len = 0;
	int ret = -1;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     (char *)k->group, 0);
	params[1] = OSSL_PARAM_construct_end();
	k->key = NULL;
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_params(ctx, params) <= 0 ||
	    EVP_PKEY_keygen(ctx, &k->key) <= 0 ||
	    !EVP_PKEY_get_octet_string_param(k->key, OSSL_PKEY_PARAM_PUB_KEY,
					     point, sizeof(point), &len) ||
	    len != 1 + 2 * k->size || point[0] != 4)
		goto out;
	memcpy(k->x, point + 1, k->size);
	memcpy(k->y, point + 1 + k->size, k->size);
	ret = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	return ret;
}

/* The TPMT_SIGNATURE of a DER ECDSA/SM2 signature, r and s padded */
static void put_ecc_sig(struct buf *b, const struct soft *k,
			const uint8_t *der, size_t len)
{
	const uint8_t *p = der;
	ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, len);
	uint8_t r[VT_TPM_ECC_MAX], s[VT_TPM_ECC_MAX];

	BN_bn2binpad(ECDSA_SIG_get0_r(es), r, k->size);
	BN_bn2binpad(ECDSA_SIG_get0_s(es), s, k->size);
	ECDSA_SIG_free(es);
	b->n = 0;
	put(b, k->scheme, 2);
	put(b, k->hash, 2);
	put_2b_bytes(b, r, k->size);
	put_2b_bytes(b, s, k->size);
}

/* Sign the digest of @msg itself, as a TPM does (no Z_A for SM2) */
static void sign_raw(struct buf *out, const struct soft *k, const void *msg,
		     size_t len)
{
	uint8_t digest[EVP_MAX_MD_SIZE], der[256];
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(k->key, NULL);
	size_t dlen = sizeof(der);
	unsigned int n;

	EVP_Digest(msg, len, digest, &n, vt_tpm_md(k->hash), NULL);
	CHECK(ctx && EVP_PKEY_sign_init(ctx) > 0 &&
	      EVP_PKEY_sign(ctx, der, &dlen, digest, n) > 0);
	EVP_PKEY_CTX_free(ctx);
	put_ecc_sig(out, k, der, dlen);
}

/* The standard way: EVP_DigestSign (for SM2, over Z_A || msg) */
static void sign_digestsign(struct buf *out, const struct soft *k,
			    const void *msg, size_t len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t dlen = 256;
	uint8_t der[256];

	CHECK(ctx && EVP_DigestSignInit(ctx, NULL, vt_tpm_md(k->hash), NULL,
					k->key) > 0 &&
	      EVP_DigestSign(ctx, der, &dlen, msg, len) > 0);
	EVP_MD_CTX_free(ctx);
	put_ecc_sig(out, k, der, dlen);
}

static struct vt_quote_result res;
static struct vt_pcr_table values;

static bool only_failed(unsigned int failed)
{
	unsigned int i;

	for (i = 0; i < VT_QC_COUNT; i++) {
		enum vt_check_state want = failed >> i & 1 ? VT_CHECK_FAIL :
					   VT_CHECK_PASS;

		if (i == VT_QC_QUALIFIED_SIGNER &&
		    res.checks[i].state == VT_CHECK_SKIPPED)
			continue;
		if (res.checks[i].state != want) {
			fprintf(stderr, "%s: %s: %s\n",
				vt_quote_check_names[i],
				vt_check_state_name(res.checks[i].state),
				res.checks[i].msg);
			return false;
		}
	}
	return res.ok == !failed;
}

#define BIT(id) (1u << (id))

static void soft_quote(struct soft *k)
{
	static const uint8_t nonce[32] = "a nonce of thirty-two bytes.....";
	const struct vt_alg *bank = vt_alg_by_tpm(k->hash);
	struct vt_quote_req req = { .nonce = nonce, .nonce_len = 32 };
	uint8_t digest[EVP_MAX_MD_SIZE];
	struct aspec as = quote_spec;
	struct spec ps = ecc_spec;
	struct buf pb, ab, sb;
	char why[160];
	unsigned int n, pcr;

	CHECK(!soft_keygen(k));
	if (!k->key)
		return;
	ps.scheme = k->scheme;
	ps.hash = k->hash;
	ps.curve = k->curve;
	ps.x = k->x;
	ps.y = k->y;
	ps.x_len = ps.y_len = k->size;
	build_public(&pb, &ps);
	CHECK(!vt_tpm_public_parse(pb.b, pb.n, &pub, why, sizeof(why)));

	/* PCRs 0, 1 and 7 of the key's hash bank; a value outside */
	memset(&values, 0, sizeof(values));
	for (pcr = 0; pcr < 8; pcr++) {
		values.have[bank->id][pcr] = true;
		memset(values.value[bank->id][pcr], 0x30 + pcr, bank->size);
	}
	{
		EVP_MD_CTX *c = EVP_MD_CTX_new();

		EVP_DigestInit_ex(c, vt_tpm_md(k->hash), NULL);
		EVP_DigestUpdate(c, values.value[bank->id][0], bank->size);
		EVP_DigestUpdate(c, values.value[bank->id][1], bank->size);
		EVP_DigestUpdate(c, values.value[bank->id][7], bank->size);
		EVP_DigestFinal_ex(c, digest, &n);
		EVP_MD_CTX_free(c);
	}
	req.banks[0].alg = k->hash;
	req.banks[0].mask = 0x83;
	req.nr_banks = 1;
	as.extra = nonce;
	as.bank_alg = k->hash;
	as.mask = 0x83;
	as.digest = digest;
	as.digest_len = n;
	build_attest(&ab, &as);

	sign_raw(&sb, k, ab.b, ab.n);
	CHECK(!vt_quote_verify(ab.b, ab.n, sb.b, sb.n, &pub, &req, &values,
			       &res));
	CHECK(only_failed(0));
	CHECK(res.nr_ignored == 5 && res.covered.have[bank->id][7] &&
	      !res.covered.have[bank->id][2]);
	/* a bit of the attestation changed */
	ab.b[ab.n - 1] ^= 1;
	CHECK(vt_quote_verify(ab.b, ab.n, sb.b, sb.n, &pub, &req, &values,
			      &res));
	CHECK(only_failed(BIT(VT_QC_SIGNATURE) | BIT(VT_QC_PCR_DIGEST)));
	ab.b[ab.n - 1] ^= 1;
	/* signed with EVP_DigestSign: over SM3(Z_A || attest) for SM2 */
	sign_digestsign(&sb, k, ab.b, ab.n);
	if (!strcmp(k->type, "SM2")) {
		CHECK(vt_quote_verify(ab.b, ab.n, sb.b, sb.n, &pub, &req,
				      &values, &res));
		CHECK(only_failed(BIT(VT_QC_SIGNATURE)));
	} else {
		/* for ECDSA, EVP_DigestSign signs H(attest) too */
		CHECK(!vt_quote_verify(ab.b, ab.n, sb.b, sb.n, &pub, &req,
				       &values, &res));
	}
	/* the right signature with another scheme or hash in TPMT_SIGNATURE */
	sign_raw(&sb, k, ab.b, ab.n);
	sb.b[1] = k->scheme == VT_TPM_ALG_SM2 ? VT_TPM_ALG_ECDSA :
		  VT_TPM_ALG_SM2;
	CHECK(vt_quote_verify(ab.b, ab.n, sb.b, sb.n, &pub, &req, &values,
			      &res));
	CHECK(only_failed(BIT(VT_QC_SIGNATURE_SCHEME) | BIT(VT_QC_SIGNATURE)));
	EVP_PKEY_free(k->key);
}

static void test_sm2_quote(void)
{
	struct soft k = { "SM2", "SM2", VT_TPM_ECC_SM2_P256, VT_TPM_ALG_SM2,
			  VT_TPM_ALG_SM3_256, 32, NULL, { 0 }, { 0 } };

	soft_quote(&k);
}

static void test_ecdsa_p384_quote(void)
{
	struct soft k = { "EC", "secp384r1", VT_TPM_ECC_NIST_P384,
			  VT_TPM_ALG_ECDSA, VT_TPM_ALG_SHA384, 48, NULL,
			  { 0 }, { 0 } };

	soft_quote(&k);
}

/* ---- ak-attributes ---- */

static bool ak_ok(const struct spec *s)
{
	struct vt_quote_req req = { 0 };

	memset(&values, 0, sizeof(values));
	if (parse_public(s, &pub))
		return false;
	vt_quote_verify((const uint8_t *)"", 0, (const uint8_t *)"", 0, &pub,
			&req, &values, &res);
	return res.checks[VT_QC_AK_ATTRIBUTES].state == VT_CHECK_PASS;
}

static void test_ak_attributes(void)
{
	static const uint32_t bits[] = {
		VT_TPMA_RESTRICTED, VT_TPMA_SIGN, VT_TPMA_DECRYPT,
		VT_TPMA_FIXED_TPM, VT_TPMA_FIXED_PARENT,
		VT_TPMA_SENSITIVE_DATA_ORIGIN,
	};
	struct spec s = rsa_spec;
	unsigned int i;

	CHECK(ak_ok(&s));
	/* the other checks are not run: nothing parsed */
	CHECK(res.checks[VT_QC_MAGIC].state == VT_CHECK_NOT_RUN &&
	      res.checks[VT_QC_SIGNATURE].state == VT_CHECK_NOT_RUN && !res.ok);
	for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++) {
		s.attrs = ak_attrs ^ bits[i];
		CHECK(!ak_ok(&s));
	}
	s = rsa_spec;
	s.attrs |= VT_TPMA_NO_DA | VT_TPMA_ADMIN_WITH_POLICY;
	CHECK(ak_ok(&s));
	s = rsa_spec;
	s.hash = VT_TPM_ALG_SHA1;
	CHECK(!ak_ok(&s));
	s.hash = VT_TPM_ALG_SHA384;
	CHECK(ak_ok(&s));
	s = rsa_spec;
	s.scheme = VT_TPM_ALG_NULL;
	CHECK(!ak_ok(&s));
	s.scheme = VT_TPM_ALG_OAEP;
	CHECK(!ak_ok(&s));
	s.scheme = VT_TPM_ALG_RSAPSS;
	CHECK(ak_ok(&s));
	s = rsa_spec;
	s.rsa_bits = 1024;
	s.n_len = 128;
	CHECK(!ak_ok(&s));
	s = ecc_spec;
	CHECK(ak_ok(&s));
	s.curve = VT_TPM_ECC_NIST_P384;
	CHECK(ak_ok(&s));
	s.curve = 0x0005;	/* P-521: not on the list */
	CHECK(!ak_ok(&s));
	s.curve = VT_TPM_ECC_SM2_P256;
	CHECK(!ak_ok(&s));
	s.scheme = VT_TPM_ALG_SM2;
	s.hash = VT_TPM_ALG_SM3_256;
	CHECK(ak_ok(&s));
	s.curve = VT_TPM_ECC_NIST_P256;
	CHECK(!ak_ok(&s));
}

int main(void)
{
	RUN(test_public_rsa);
	RUN(test_public_ecc);
	RUN(test_attest_quote);
	RUN(test_attest_other_types);
	RUN(test_signature);
	RUN(test_sm2_quote);
	RUN(test_ecdsa_p384_quote);
	RUN(test_ak_attributes);
	DONE();
}
