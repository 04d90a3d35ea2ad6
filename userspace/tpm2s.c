// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Strict unmarshalling of TPM 2.0 structures; see tpm2s.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include "algs.h"
#include "tpm2s.h"

/* ---- a bounded big-endian reader ---- */

struct rd {
	const uint8_t *p;
	size_t len, off;
	bool err;
	char *why;
	size_t whylen;
};

static void rd_init(struct rd *r, const uint8_t *p, size_t len, char *why,
		    size_t whylen)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = false;
	r->why = why;
	r->whylen = whylen;
	if (why && whylen)
		why[0] = '\0';
}

/* Record the first error only; later reads of a failed reader do nothing. */
static void __attribute__((format(printf, 2, 3)))
rd_fail(struct rd *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err)
		return;
	r->err = true;
	if (!r->why || !r->whylen)
		return;
	va_start(ap, fmt);
	vsnprintf(r->why, r->whylen, fmt, ap);
	va_end(ap);
}

/* The next @n bytes, or NULL (and an error) if the buffer ends first. */
static const uint8_t *rd_take(struct rd *r, size_t n, const char *what)
{
	const uint8_t *q;

	if (r->err)
		return NULL;
	if (r->len - r->off < n) {
		rd_fail(r, "%s: %zu bytes needed at offset %zu, %zu left", what,
			n, r->off, r->len - r->off);
		return NULL;
	}
	q = r->p + r->off;
	r->off += n;
	return q;
}

static uint64_t rd_be(struct rd *r, size_t n, const char *what)
{
	const uint8_t *q = rd_take(r, n, what);
	uint64_t v = 0;
	size_t i;

	if (!q)
		return 0;
	for (i = 0; i < n; i++)
		v = v << 8 | q[i];
	return v;
}

static uint8_t rd_u8(struct rd *r, const char *what)
{
	return (uint8_t)rd_be(r, 1, what);
}

static uint16_t rd_u16(struct rd *r, const char *what)
{
	return (uint16_t)rd_be(r, 2, what);
}

static uint32_t rd_u32(struct rd *r, const char *what)
{
	return (uint32_t)rd_be(r, 4, what);
}

static uint64_t rd_u64(struct rd *r, const char *what)
{
	return rd_be(r, 8, what);
}

/*
 * A TPM2B: a 2-byte size of at most @max, then that many bytes, copied to
 * @out (room for @max) unless @out is NULL. Returns the size.
 */
static uint16_t rd_tpm2b(struct rd *r, size_t max, uint8_t *out,
			 const char *what)
{
	uint16_t n = rd_u16(r, what);
	const uint8_t *q;

	if (r->err)
		return 0;
	if (n > max) {
		rd_fail(r, "%s: size %u is more than %zu", what, n, max);
		return 0;
	}
	q = rd_take(r, n, what);
	if (!q)
		return 0;
	if (out)
		memcpy(out, q, n);
	return n;
}

/* The end of a structure: no bytes may follow. */
static void rd_end(struct rd *r, const char *what)
{
	if (!r->err && r->off != r->len)
		rd_fail(r, "%s: %zu trailing bytes", what, r->len - r->off);
}

/* A hash algorithm ID of algs.h (@null_ok: or TPM_ALG_NULL). */
static uint16_t rd_hash(struct rd *r, bool null_ok, const char *what)
{
	uint16_t alg = rd_u16(r, what);

	if (r->err)
		return 0;
	if (null_ok && alg == VT_TPM_ALG_NULL)
		return alg;
	if (!vt_alg_by_tpm(alg))
		rd_fail(r, "%s: unknown hash algorithm 0x%04x", what, alg);
	return alg;
}

static int rd_done(struct rd *r)
{
	return r->err ? -1 : 0;
}

/* ---- algorithms ---- */

const EVP_MD *vt_tpm_md(uint16_t alg)
{
	const struct vt_alg *a = vt_alg_by_tpm(alg);

	return a ? EVP_get_digestbyname(a->evp) : NULL;
}

static const struct {
	uint16_t id;
	const char *name;
} alg_names[] = {
	{ VT_TPM_ALG_RSA, "rsa" }, { VT_TPM_ALG_SHA1, "sha1" },
	{ VT_TPM_ALG_AES, "aes" }, { VT_TPM_ALG_SHA256, "sha256" },
	{ VT_TPM_ALG_SHA384, "sha384" }, { VT_TPM_ALG_SHA512, "sha512" },
	{ VT_TPM_ALG_NULL, "null" }, { VT_TPM_ALG_SM3_256, "sm3_256" },
	{ VT_TPM_ALG_SM4, "sm4" }, { VT_TPM_ALG_RSASSA, "rsassa" },
	{ VT_TPM_ALG_RSAES, "rsaes" }, { VT_TPM_ALG_RSAPSS, "rsapss" },
	{ VT_TPM_ALG_OAEP, "oaep" }, { VT_TPM_ALG_ECDSA, "ecdsa" },
	{ VT_TPM_ALG_ECDH, "ecdh" }, { VT_TPM_ALG_ECDAA, "ecdaa" },
	{ VT_TPM_ALG_SM2, "sm2" }, { VT_TPM_ALG_ECSCHNORR, "ecschnorr" },
	{ VT_TPM_ALG_ECMQV, "ecmqv" }, { VT_TPM_ALG_ECC, "ecc" },
	{ VT_TPM_ALG_CAMELLIA, "camellia" },
};

const char *vt_tpm_alg_name(uint16_t alg, char buf[8])
{
	size_t i;

	for (i = 0; i < sizeof(alg_names) / sizeof(alg_names[0]); i++)
		if (alg_names[i].id == alg)
			return alg_names[i].name;
	snprintf(buf, 8, "0x%04x", alg);
	return buf;
}

/* ---- TPM2B_PUBLIC ---- */

/* TPMT_SYM_DEF_OBJECT */
static void rd_sym(struct rd *r, struct vt_tpm_public *k)
{
	k->sym_alg = rd_u16(r, "symmetric.algorithm");
	k->sym_bits = k->sym_mode = 0;
	switch (k->sym_alg) {
	case VT_TPM_ALG_NULL:
		return;
	case VT_TPM_ALG_AES:
	case VT_TPM_ALG_SM4:
	case VT_TPM_ALG_CAMELLIA:
		k->sym_bits = rd_u16(r, "symmetric.keyBits");
		k->sym_mode = rd_u16(r, "symmetric.mode");
		return;
	default:
		rd_fail(r, "symmetric.algorithm: unknown 0x%04x", k->sym_alg);
	}
}

/* TPMT_RSA_SCHEME */
static void rd_rsa_scheme(struct rd *r, struct vt_tpm_public *k)
{
	k->scheme = rd_u16(r, "scheme");
	k->scheme_hash = VT_TPM_ALG_NULL;
	switch (k->scheme) {
	case VT_TPM_ALG_NULL:
	case VT_TPM_ALG_RSAES:	/* TPMS_ENC_SCHEME_RSAES is empty */
		return;
	case VT_TPM_ALG_RSASSA:
	case VT_TPM_ALG_RSAPSS:
	case VT_TPM_ALG_OAEP:
		k->scheme_hash = rd_hash(r, false, "scheme.hashAlg");
		return;
	default:
		rd_fail(r, "scheme: unknown RSA scheme 0x%04x", k->scheme);
	}
}

/* TPMT_ECC_SCHEME */
static void rd_ecc_scheme(struct rd *r, struct vt_tpm_public *k)
{
	k->scheme = rd_u16(r, "scheme");
	k->scheme_hash = VT_TPM_ALG_NULL;
	k->scheme_count = 0;
	switch (k->scheme) {
	case VT_TPM_ALG_NULL:
		return;
	case VT_TPM_ALG_ECDAA:
		k->scheme_hash = rd_hash(r, false, "scheme.hashAlg");
		k->scheme_count = rd_u16(r, "scheme.count");
		return;
	case VT_TPM_ALG_ECDSA:
	case VT_TPM_ALG_ECDH:
	case VT_TPM_ALG_SM2:
	case VT_TPM_ALG_ECSCHNORR:
	case VT_TPM_ALG_ECMQV:
		k->scheme_hash = rd_hash(r, false, "scheme.hashAlg");
		return;
	default:
		rd_fail(r, "scheme: unknown ECC scheme 0x%04x", k->scheme);
	}
}

/* TPMT_KDF_SCHEME: MGF1, KDF1_SP800_56A, KDF2, KDF1_SP800_108 or NULL */
static void rd_kdf(struct rd *r, struct vt_tpm_public *k)
{
	k->kdf = rd_u16(r, "kdf");
	k->kdf_hash = VT_TPM_ALG_NULL;
	if (k->kdf == VT_TPM_ALG_NULL)
		return;
	if (k->kdf == 0x0007 || (k->kdf >= 0x0020 && k->kdf <= 0x0022))
		k->kdf_hash = rd_hash(r, false, "kdf.hashAlg");
	else
		rd_fail(r, "kdf: unknown 0x%04x", k->kdf);
}

int vt_tpm_public_parse(const uint8_t *p, size_t len, struct vt_tpm_public *out,
			char *why, size_t whylen)
{
	struct rd r;
	uint16_t size;

	memset(out, 0, sizeof(*out));
	rd_init(&r, p, len, why, whylen);
	size = rd_u16(&r, "TPM2B_PUBLIC.size");
	if (r.err)
		return -1;
	if (size != len - 2) {
		rd_fail(&r, "TPM2B_PUBLIC.size: %u, but %zu bytes follow", size,
			len - 2);
		return -1;
	}
	if (size > VT_TPM_PUBLIC_MAX) {
		rd_fail(&r, "TPM2B_PUBLIC.size: %u is more than %u", size,
			VT_TPM_PUBLIC_MAX);
		return -1;
	}
	memcpy(out->raw, p + 2, size);
	out->raw_len = size;

	out->type = rd_u16(&r, "type");
	if (!r.err && out->type != VT_TPM_ALG_RSA &&
	    out->type != VT_TPM_ALG_ECC)
		rd_fail(&r, "type: 0x%04x is not RSA or ECC", out->type);
	out->name_alg = rd_hash(&r, false, "nameAlg");
	out->attributes = rd_u32(&r, "objectAttributes");
	out->policy_len = rd_tpm2b(&r, VT_TPM_DIGEST_MAX, out->policy,
				   "authPolicy");
	rd_sym(&r, out);
	if (out->type == VT_TPM_ALG_RSA) {
		rd_rsa_scheme(&r, out);
		out->rsa_bits = rd_u16(&r, "keyBits");
		out->rsa_exponent = rd_u32(&r, "exponent");
		out->rsa_n_len = rd_tpm2b(&r, VT_TPM_RSA_MAX, out->rsa_n,
					  "unique.rsa");
	} else {
		rd_ecc_scheme(&r, out);
		out->curve = rd_u16(&r, "curveID");
		rd_kdf(&r, out);
		out->ecc_x_len = rd_tpm2b(&r, VT_TPM_ECC_MAX, out->ecc_x,
					  "unique.ecc.x");
		out->ecc_y_len = rd_tpm2b(&r, VT_TPM_ECC_MAX, out->ecc_y,
					  "unique.ecc.y");
	}
	rd_end(&r, "TPMT_PUBLIC");
	return rd_done(&r);
}

int vt_tpm_name(const struct vt_tpm_public *pub, uint8_t *out, size_t *len)
{
	const EVP_MD *md = vt_tpm_md(pub->name_alg);
	unsigned int n;

	if (!md || *len < 2 + (size_t)EVP_MD_get_size(md))
		return -1;
	out[0] = pub->name_alg >> 8;
	out[1] = pub->name_alg & 0xff;
	if (!EVP_Digest(pub->raw, pub->raw_len, out + 2, &n, md, NULL))
		return -1;
	*len = 2 + n;
	return 0;
}

/* ---- OpenSSL keys ---- */

static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld,
			       bool check)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = NULL, *chk = NULL;
	EVP_PKEY *pkey = NULL;

	if (!params)
		return NULL;
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto out;
	/* the point is on the curve; the RSA modulus is odd and sane */
	if (!check)
		goto out;
	chk = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	if (!chk || EVP_PKEY_public_check(chk) <= 0) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
out:
	EVP_PKEY_CTX_free(chk);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

static EVP_PKEY *rsa_pkey(const struct vt_tpm_public *pub, bool check)
{
	uint32_t e = pub->rsa_exponent ? pub->rsa_exponent : 65537;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *n = BN_bin2bn(pub->rsa_n, pub->rsa_n_len, NULL);
	BIGNUM *bn_e = BN_new();
	EVP_PKEY *pkey = NULL;

	if (pub->rsa_n_len * 8u != pub->rsa_bits || !pub->rsa_n_len ||
	    !(pub->rsa_n[0] & 0x80))
		goto out;
	if (!bld || !n || !bn_e || !BN_set_word(bn_e, e) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
		goto out;
	pkey = pkey_fromdata("RSA", bld, check);
out:
	BN_free(bn_e);
	BN_free(n);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static const struct {
	uint16_t curve;
	const char *type;	/* the EVP_PKEY type */
	const char *group;	/* OpenSSL's group name */
	unsigned int size;	/* coordinate size in bytes */
} curves[] = {
	{ VT_TPM_ECC_NIST_P256, "EC", "prime256v1", 32 },
	{ VT_TPM_ECC_NIST_P384, "EC", "secp384r1", 48 },
	{ VT_TPM_ECC_SM2_P256, "SM2", "SM2", 32 },
};

static EVP_PKEY *ecc_pkey(const struct vt_tpm_public *pub, bool check)
{
	uint8_t point[1 + 2 * VT_TPM_ECC_MAX];
	OSSL_PARAM_BLD *bld = NULL;
	EVP_PKEY *pkey = NULL;
	unsigned int i, size;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (curves[i].curve == pub->curve)
			break;
	if (i == sizeof(curves) / sizeof(curves[0]))
		return NULL;
	/* the TPM pads each coordinate to the curve's size */
	size = curves[i].size;
	if (pub->ecc_x_len != size || pub->ecc_y_len != size)
		return NULL;
	point[0] = 0x04;
	memcpy(point + 1, pub->ecc_x, size);
	memcpy(point + 1 + size, pub->ecc_y, size);
	bld = OSSL_PARAM_BLD_new();
	if (bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    curves[i].group, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					     point, 1 + 2 * size))
		pkey = pkey_fromdata(curves[i].type, bld, check);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

static EVP_PKEY *pkey(const struct vt_tpm_public *pub, bool check)
{
	switch (pub->type) {
	case VT_TPM_ALG_RSA:
		return rsa_pkey(pub, check);
	case VT_TPM_ALG_ECC:
		return ecc_pkey(pub, check);
	default:
		return NULL;
	}
}

EVP_PKEY *vt_tpm_public_pkey(const struct vt_tpm_public *pub)
{
	return pkey(pub, true);
}

EVP_PKEY *vt_tpm_public_pkey_unchecked(const struct vt_tpm_public *pub)
{
	return pkey(pub, false);
}

/* ---- TPMS_ATTEST ---- */

/* TPMS_CLOCK_INFO */
static void rd_clock(struct rd *r, struct vt_tpm_attest *a)
{
	a->clock = rd_u64(r, "clockInfo.clock");
	a->reset_count = rd_u32(r, "clockInfo.resetCount");
	a->restart_count = rd_u32(r, "clockInfo.restartCount");
	a->safe = rd_u8(r, "clockInfo.safe");
	if (!r->err && a->safe > 1)
		rd_fail(r, "clockInfo.safe: %u is not a TPMI_YES_NO", a->safe);
}

/* TPMS_QUOTE_INFO */
static void rd_quote(struct rd *r, struct vt_tpm_attest *a)
{
	uint32_t i, j;

	a->nr_banks = rd_u32(r, "pcrSelect.count");
	if (!r->err && a->nr_banks > VT_TPM_PCR_BANKS_MAX) {
		rd_fail(r, "pcrSelect.count: %u is more than %u", a->nr_banks,
			VT_TPM_PCR_BANKS_MAX);
		a->nr_banks = 0;
		return;
	}
	for (i = 0; i < a->nr_banks && !r->err; i++) {
		struct vt_tpm_pcr_select *s = &a->banks[i];
		const uint8_t *bits;

		s->hash = rd_hash(r, false, "pcrSelect.hash");
		s->size = rd_u8(r, "pcrSelect.sizeofSelect");
		if (!r->err && s->size > VT_TPM_PCR_SELECT_MAX) {
			rd_fail(r, "pcrSelect.sizeofSelect: %u is more than %u",
				s->size, VT_TPM_PCR_SELECT_MAX);
			break;
		}
		bits = rd_take(r, s->size, "pcrSelect.pcrSelect");
		s->mask = 0;
		for (j = 0; bits && j < s->size; j++)
			s->mask |= (uint32_t)bits[j] << (8 * j);
	}
	a->pcr_digest_len = rd_tpm2b(r, VT_TPM_DIGEST_MAX, a->pcr_digest,
				     "pcrDigest");
}

/* How the other attestation types are laid out, to skip them exactly */
enum field {
	F_END,
	F_NAME,		/* TPM2B_NAME */
	F_DIGEST,	/* TPM2B_DIGEST */
	F_NV,		/* TPM2B_MAX_NV_BUFFER */
	F_U8,
	F_U16,
	F_U64,
	F_CLOCK,	/* TPMS_CLOCK_INFO */
};

static const struct {
	uint16_t type;
	enum field fields[5];
} other_types[] = {
	/* TPMS_CERTIFY_INFO: name, qualifiedName */
	{ VT_TPM_ST_ATTEST_CERTIFY, { F_NAME, F_NAME } },
	/* TPMS_NV_CERTIFY_INFO: indexName, offset, nvContents */
	{ VT_TPM_ST_ATTEST_NV, { F_NAME, F_U16, F_NV } },
	/* TPMS_NV_DIGEST_CERTIFY_INFO: indexName, nvDigest */
	{ VT_TPM_ST_ATTEST_NV_DIGEST, { F_NAME, F_DIGEST } },
	/* TPMS_CREATION_INFO: objectName, creationHash */
	{ VT_TPM_ST_ATTEST_CREATION, { F_NAME, F_DIGEST } },
	/* TPMS_COMMAND_AUDIT_INFO: auditCounter, digestAlg, two digests */
	{ VT_TPM_ST_ATTEST_COMMAND_AUDIT,
	  { F_U64, F_U16, F_DIGEST, F_DIGEST } },
	/* TPMS_SESSION_AUDIT_INFO: exclusiveSession, sessionDigest */
	{ VT_TPM_ST_ATTEST_SESSION_AUDIT, { F_U8, F_DIGEST } },
	/* TPMS_TIME_ATTEST_INFO: time, clockInfo, firmwareVersion */
	{ VT_TPM_ST_ATTEST_TIME, { F_U64, F_CLOCK, F_U64 } },
};

static void rd_other(struct rd *r, uint16_t type)
{
	struct vt_tpm_attest scratch;
	unsigned int i, f;

	for (i = 0; i < sizeof(other_types) / sizeof(other_types[0]); i++)
		if (other_types[i].type == type)
			break;
	if (i == sizeof(other_types) / sizeof(other_types[0])) {
		rd_fail(r, "type: unknown attestation type 0x%04x", type);
		return;
	}
	for (f = 0; f < 5 && other_types[i].fields[f] != F_END; f++) {
		switch (other_types[i].fields[f]) {
		case F_NAME:
			rd_tpm2b(r, VT_TPM_NAME_MAX, NULL, "attested.name");
			break;
		case F_DIGEST:
			rd_tpm2b(r, VT_TPM_DIGEST_MAX, NULL, "attested.digest");
			break;
		case F_NV:
			rd_tpm2b(r, VT_TPM_NV_MAX, NULL, "attested.nvContents");
			break;
		case F_U8:
			rd_u8(r, "attested");
			break;
		case F_U16:
			rd_u16(r, "attested");
			break;
		case F_U64:
			rd_u64(r, "attested");
			break;
		case F_CLOCK:
			rd_clock(r, &scratch);
			break;
		case F_END:
			break;
		}
	}
}

int vt_tpm_attest_parse(const uint8_t *p, size_t len, struct vt_tpm_attest *out,
			char *why, size_t whylen)
{
	struct rd r;

	memset(out, 0, sizeof(*out));
	rd_init(&r, p, len, why, whylen);
	out->magic = rd_u32(&r, "magic");
	out->type = rd_u16(&r, "type");
	out->signer_len = rd_tpm2b(&r, VT_TPM_NAME_MAX, out->signer,
				   "qualifiedSigner");
	out->extra_len = rd_tpm2b(&r, VT_TPM_DIGEST_MAX, out->extra,
				  "extraData");
	rd_clock(&r, out);
	out->firmware_version = rd_u64(&r, "firmwareVersion");
	if (r.err)
		return -1;
	if (out->type == VT_TPM_ST_ATTEST_QUOTE)
		rd_quote(&r, out);
	else
		rd_other(&r, out->type);
	rd_end(&r, "TPMS_ATTEST");
	return rd_done(&r);
}

/* ---- TPMT_SIGNATURE ---- */

int vt_tpm_signature_parse(const uint8_t *p, size_t len,
			   struct vt_tpm_signature *out, char *why,
			   size_t whylen)
{
	struct rd r;

	memset(out, 0, sizeof(*out));
	rd_init(&r, p, len, why, whylen);
	out->alg = rd_u16(&r, "sigAlg");
	if (r.err)
		return -1;
	switch (out->alg) {
	case VT_TPM_ALG_RSASSA:
	case VT_TPM_ALG_RSAPSS:
		out->hash = rd_hash(&r, false, "signature.hash");
		out->rsa_len = rd_tpm2b(&r, VT_TPM_RSA_MAX, out->rsa,
					"signature.sig");
		break;
	case VT_TPM_ALG_ECDSA:
	case VT_TPM_ALG_SM2:
		out->hash = rd_hash(&r, false, "signature.hash");
		out->r_len = rd_tpm2b(&r, VT_TPM_ECC_MAX, out->r,
				      "signature.signatureR");
		out->s_len = rd_tpm2b(&r, VT_TPM_ECC_MAX, out->s,
				      "signature.signatureS");
		break;
	default:
		rd_fail(&r, "sigAlg: unsupported 0x%04x", out->alg);
	}
	rd_end(&r, "TPMT_SIGNATURE");
	return rd_done(&r);
}
