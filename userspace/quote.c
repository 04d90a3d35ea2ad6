// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The checks of a TPM2_Quote; see quote.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "quote.h"

const char *const vt_quote_check_names[VT_QC_COUNT] = {
	[VT_QC_ATTEST_PARSE] = "attest-parse",
	[VT_QC_SIGNATURE_PARSE] = "signature-parse",
	[VT_QC_AK_ATTRIBUTES] = "ak-attributes",
	[VT_QC_SIGNATURE_SCHEME] = "signature-scheme",
	[VT_QC_SIGNATURE] = "signature",
	[VT_QC_MAGIC] = "magic",
	[VT_QC_TYPE] = "type",
	[VT_QC_NONCE] = "nonce",
	[VT_QC_QUALIFIED_SIGNER] = "qualified-signer",
	[VT_QC_PCR_SELECTION] = "pcr-selection",
	[VT_QC_PCR_DIGEST] = "pcr-digest",
	[VT_QC_CLOCK_SAFE] = "clock-safe",
};

const char *vt_check_state_name(enum vt_check_state s)
{
	switch (s) {
	case VT_CHECK_PASS:
		return "pass";
	case VT_CHECK_FAIL:
		return "fail";
	case VT_CHECK_SKIPPED:
		return "skipped";
	default:
		return "not run";
	}
}

static void __attribute__((format(printf, 4, 5)))
set(struct vt_quote_result *res, enum vt_quote_check_id id,
    enum vt_check_state state, const char *fmt, ...)
{
	struct vt_quote_check *c = &res->checks[id];
	va_list ap;

	c->state = state;
	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
}

#define PASS(res, id, ...) set(res, id, VT_CHECK_PASS, __VA_ARGS__)
#define FAIL(res, id, ...) set(res, id, VT_CHECK_FAIL, __VA_ARGS__)

/* ---- ak-attributes ---- */

static const struct {
	uint32_t bit;
	bool want;
	const char *name;
} ak_bits[] = {
	{ VT_TPMA_RESTRICTED, true, "restricted" },
	{ VT_TPMA_SIGN, true, "sign" },
	{ VT_TPMA_DECRYPT, false, "decrypt" },
	{ VT_TPMA_FIXED_TPM, true, "fixedTPM" },
	{ VT_TPMA_FIXED_PARENT, true, "fixedParent" },
	{ VT_TPMA_SENSITIVE_DATA_ORIGIN, true, "sensitiveDataOrigin" },
};

/* The key type and curve each allowed signing scheme goes with */
static const struct {
	uint16_t scheme, type, curve;	/* curve 0: RSA */
} ak_schemes[] = {
	{ VT_TPM_ALG_RSASSA, VT_TPM_ALG_RSA, 0 },
	{ VT_TPM_ALG_RSAPSS, VT_TPM_ALG_RSA, 0 },
	{ VT_TPM_ALG_ECDSA, VT_TPM_ALG_ECC, VT_TPM_ECC_NIST_P256 },
	{ VT_TPM_ALG_ECDSA, VT_TPM_ALG_ECC, VT_TPM_ECC_NIST_P384 },
	{ VT_TPM_ALG_SM2, VT_TPM_ALG_ECC, VT_TPM_ECC_SM2_P256 },
};

static void check_ak(const struct vt_tpm_public *ak,
		     struct vt_quote_result *res)
{
	enum vt_quote_check_id id = VT_QC_AK_ATTRIBUTES;
	char b1[8], b2[8];
	unsigned int i;

	for (i = 0; i < sizeof(ak_bits) / sizeof(ak_bits[0]); i++) {
		if (!!(ak->attributes & ak_bits[i].bit) != ak_bits[i].want) {
			FAIL(res, id, "%s is %s (objectAttributes 0x%08x)",
			     ak_bits[i].name, ak_bits[i].want ? "clear" : "set",
			     ak->attributes);
			return;
		}
	}
	for (i = 0; i < sizeof(ak_schemes) / sizeof(ak_schemes[0]); i++)
		if (ak_schemes[i].scheme == ak->scheme &&
		    ak_schemes[i].type == ak->type &&
		    (ak->type == VT_TPM_ALG_RSA ||
		     ak_schemes[i].curve == ak->curve))
			break;
	if (i == sizeof(ak_schemes) / sizeof(ak_schemes[0])) {
		if (ak->type == VT_TPM_ALG_ECC)
			FAIL(res, id, "scheme %s on curve 0x%04x is not allowed",
			     vt_tpm_alg_name(ak->scheme, b1), ak->curve);
		else
			FAIL(res, id, "scheme %s is not allowed for %s keys",
			     vt_tpm_alg_name(ak->scheme, b1),
			     vt_tpm_alg_name(ak->type, b2));
		return;
	}
	if (!vt_alg_by_tpm(ak->scheme_hash) ||
	    ak->scheme_hash == VT_TPM_ALG_SHA1) {
		FAIL(res, id, "scheme hash %s is not allowed",
		     vt_tpm_alg_name(ak->scheme_hash, b1));
		return;
	}
	if (ak->type == VT_TPM_ALG_RSA &&
	    (ak->rsa_bits < 2048 || ak->rsa_n_len * 8u != ak->rsa_bits)) {
		FAIL(res, id, "RSA key of %u bits with a %u-byte modulus",
		     ak->rsa_bits, ak->rsa_n_len);
		return;
	}
	PASS(res, id, "%s %s-%s", vt_tpm_alg_name(ak->type, b1),
	     vt_tpm_alg_name(ak->scheme, b2),
	     vt_alg_by_tpm(ak->scheme_hash)->name);
}

int vt_quote_ak_check(const struct vt_tpm_public *ak, char *why, size_t len)
{
	struct vt_quote_result *res = calloc(1, sizeof(*res));
	int ret;

	if (!res) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	check_ak(ak, res);
	ret = res->checks[VT_QC_AK_ATTRIBUTES].state == VT_CHECK_PASS ? 0 : -1;
	snprintf(why, len, "%s", res->checks[VT_QC_AK_ATTRIBUTES].msg);
	free(res);
	return ret;
}

/* ---- signature ---- */

/* The DER SEQUENCE{r, s} of an ECDSA or SM2 signature; its length or 0. */
static int ecc_der(const struct vt_tpm_signature *sig, uint8_t **der)
{
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig->r, sig->r_len, NULL);
	BIGNUM *s = BN_bin2bn(sig->s, sig->s_len, NULL);
	int len = 0;

	if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s))
		goto out;
	r = s = NULL;		/* owned by es */
	len = i2d_ECDSA_SIG(es, der);
	if (len < 0)
		len = 0;
out:
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(es);
	return len;
}

/* Does the signature's algorithm fit the key's type (and curve)? */
static bool sig_fits_key(const struct vt_tpm_signature *sig,
			 const struct vt_tpm_public *ak)
{
	switch (sig->alg) {
	case VT_TPM_ALG_RSASSA:
	case VT_TPM_ALG_RSAPSS:
		return ak->type == VT_TPM_ALG_RSA;
	case VT_TPM_ALG_ECDSA:
		return ak->type == VT_TPM_ALG_ECC &&
		       (ak->curve == VT_TPM_ECC_NIST_P256 ||
			ak->curve == VT_TPM_ECC_NIST_P384);
	case VT_TPM_ALG_SM2:
		return ak->type == VT_TPM_ALG_ECC &&
		       ak->curve == VT_TPM_ECC_SM2_P256;
	default:
		return false;
	}
}

/*
 * Verify @sig over H_sig.hash(@attest) with @ak. The TPM signs the digest:
 * RSASSA is PKCS#1 v1.5 with a DigestInfo, RSAPSS any salt length (TPMs use
 * the digest's length or the largest), ECDSA and SM2 sign the digest itself
 * (for SM2 no Z_A is added: EVP_PKEY_verify, not EVP_DigestVerify).
 */
/*
 * The AK's key: the caller's (checked once by it; it must be @ak's), or
 * built and checked now. NULL if unusable.
 */
static EVP_PKEY *ak_pkey(const struct vt_tpm_public *ak, EVP_PKEY *given)
{
	EVP_PKEY *k;
	int eq;

	if (!given)
		return vt_tpm_public_pkey(ak);
	k = vt_tpm_public_pkey_unchecked(ak);
	eq = k ? EVP_PKEY_eq(k, given) : 0;
	EVP_PKEY_free(k);
	if (eq != 1 || !EVP_PKEY_up_ref(given))
		return NULL;
	return given;
}

static void check_signature(const uint8_t *attest, size_t alen,
			    const struct vt_tpm_signature *sig,
			    const struct vt_tpm_public *ak, EVP_PKEY *given,
			    struct vt_quote_result *res)
{
	enum vt_quote_check_id id = VT_QC_SIGNATURE;
	const EVP_MD *md = vt_tpm_md(sig->hash);
	uint8_t digest[EVP_MAX_MD_SIZE], *der = NULL;
	const uint8_t *s;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	unsigned int dlen;
	size_t slen;
	char b1[8];
	int ret;

	if (!sig_fits_key(sig, ak)) {
		FAIL(res, id, "a %s signature from a %s key",
		     vt_tpm_alg_name(sig->alg, b1),
		     ak->type == VT_TPM_ALG_RSA ? "RSA" : "ECC");
		return;
	}
	if (!md || !EVP_Digest(attest, alen, digest, &dlen, md, NULL)) {
		FAIL(res, id, "cannot hash with 0x%04x", sig->hash);
		return;
	}
	pkey = ak_pkey(ak, given);
	if (!pkey) {
		FAIL(res, id, "the AK's public key is not usable");
		return;
	}
	if (sig->alg == VT_TPM_ALG_RSASSA || sig->alg == VT_TPM_ALG_RSAPSS) {
		s = sig->rsa;
		slen = sig->rsa_len;
	} else {
		ret = ecc_der(sig, &der);
		if (!ret)
			goto bad;
		s = der;
		slen = ret;
	}
	ctx = EVP_PKEY_CTX_new(pkey, NULL);
	if (!ctx || EVP_PKEY_verify_init(ctx) <= 0)
		goto bad;
	if (sig->alg == VT_TPM_ALG_RSASSA &&
	    (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0 ||
	     EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0))
		goto bad;
	if (sig->alg == VT_TPM_ALG_RSAPSS &&
	    (EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) <= 0 ||
	     EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0 ||
	     EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) <= 0 ||
	     EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, RSA_PSS_SALTLEN_AUTO) <= 0))
		goto bad;
	if (sig->alg == VT_TPM_ALG_ECDSA &&
	    EVP_PKEY_CTX_set_signature_md(ctx, md) <= 0)
		goto bad;
	if (EVP_PKEY_verify(ctx, s, slen, digest, dlen) != 1)
		goto bad;
	PASS(res, id, "%s-%s by the AK", vt_tpm_alg_name(sig->alg, b1),
	     vt_alg_by_tpm(sig->hash)->name);
	goto out;
bad:
	FAIL(res, id, "the %s-%s signature does not verify with the AK",
	     vt_tpm_alg_name(sig->alg, b1), vt_alg_by_tpm(sig->hash)->name);
out:
	ERR_clear_error();
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	OPENSSL_free(der);
}

/* ---- the attestation's fields ---- */

static void check_fields(const struct vt_tpm_attest *a,
			 const struct vt_tpm_public *ak,
			 const struct vt_quote_req *req,
			 struct vt_quote_result *res)
{
	uint8_t name[VT_TPM_NAME_MAX];
	size_t nlen = sizeof(name);

	if (a->magic == VT_TPM_GENERATED_VALUE)
		PASS(res, VT_QC_MAGIC, "TPM_GENERATED_VALUE");
	else
		FAIL(res, VT_QC_MAGIC, "0x%08x is not TPM_GENERATED_VALUE "
		     "(0x%08x): the TPM did not make this structure", a->magic,
		     VT_TPM_GENERATED_VALUE);
	if (a->type == VT_TPM_ST_ATTEST_QUOTE)
		PASS(res, VT_QC_TYPE, "TPM_ST_ATTEST_QUOTE");
	else
		FAIL(res, VT_QC_TYPE, "0x%04x is not TPM_ST_ATTEST_QUOTE "
		     "(0x%04x)", a->type, VT_TPM_ST_ATTEST_QUOTE);
	if (a->extra_len == req->nonce_len &&
	    !CRYPTO_memcmp(a->extra, req->nonce, req->nonce_len))
		PASS(res, VT_QC_NONCE, "%zu bytes", req->nonce_len);
	else
		FAIL(res, VT_QC_NONCE, "extraData (%u bytes) is not the nonce "
		     "(%zu bytes)", a->extra_len, req->nonce_len);
	if (!req->qualified_signer)
		set(res, VT_QC_QUALIFIED_SIGNER, VT_CHECK_SKIPPED,
		    "no expected qualified name");
	else if (a->signer_len == req->qualified_signer_len &&
		 !memcmp(a->signer, req->qualified_signer, a->signer_len))
		PASS(res, VT_QC_QUALIFIED_SIGNER, "as expected");
	else
		FAIL(res, VT_QC_QUALIFIED_SIGNER, "qualifiedSigner is not "
		     "the AK's qualified name");
	/* a Name is not a qualified name, but the mix-up is worth saying */
	if (res->checks[VT_QC_QUALIFIED_SIGNER].state == VT_CHECK_FAIL &&
	    !vt_tpm_name(ak, name, &nlen) &&
	    nlen == req->qualified_signer_len &&
	    !memcmp(name, req->qualified_signer, nlen))
		FAIL(res, VT_QC_QUALIFIED_SIGNER, "the expected value is the "
		     "AK's Name, not its qualified name");
	if (a->safe == 1)
		PASS(res, VT_QC_CLOCK_SAFE, "safe");
	else
		FAIL(res, VT_QC_CLOCK_SAFE, "clockInfo.safe is 0: the clock "
		     "may have gone back since the last reading");
}

/* ---- pcr-selection ---- */

static int find_bank(const struct vt_tpm_attest *a, uint16_t alg)
{
	uint32_t i;

	for (i = 0; i < a->nr_banks; i++)
		if (a->banks[i].hash == alg)
			return i;
	return -1;
}

static void check_selection(const struct vt_tpm_attest *a,
			    const struct vt_quote_req *req,
			    struct vt_quote_result *res)
{
	enum vt_quote_check_id id = VT_QC_PCR_SELECTION;
	unsigned int i, j;
	char b1[8];
	int k;

	for (i = 0; i < a->nr_banks; i++) {
		for (j = 0; j < i; j++)
			if (a->banks[j].hash == a->banks[i].hash) {
				FAIL(res, id, "bank %s is selected twice",
				     vt_tpm_alg_name(a->banks[i].hash, b1));
				return;
			}
	}
	for (i = 0; i < req->nr_banks; i++) {
		for (j = 0; j < i; j++)
			if (req->banks[j].alg == req->banks[i].alg) {
				FAIL(res, id, "bank %s is requested twice",
				     vt_tpm_alg_name(req->banks[i].alg, b1));
				return;
			}
		k = find_bank(a, req->banks[i].alg);
		if (k < 0) {
			FAIL(res, id, "bank %s was requested but not signed",
			     vt_tpm_alg_name(req->banks[i].alg, b1));
			return;
		}
		if (a->banks[k].mask != req->banks[i].mask) {
			FAIL(res, id, "bank %s: PCRs 0x%06x signed, 0x%06x "
			     "requested",
			     vt_tpm_alg_name(req->banks[i].alg, b1),
			     a->banks[k].mask, req->banks[i].mask);
			return;
		}
	}
	/* every requested bank is signed, once: are there others? */
	if (a->nr_banks != req->nr_banks) {
		for (i = 0; i < a->nr_banks; i++) {
			for (j = 0; j < req->nr_banks; j++)
				if (req->banks[j].alg == a->banks[i].hash)
					break;
			if (j == req->nr_banks)
				break;
		}
		FAIL(res, id, "bank %s was signed but not requested",
		     vt_tpm_alg_name(a->banks[i].hash, b1));
		return;
	}
	PASS(res, id, "%u banks as requested", req->nr_banks);
}

/* ---- pcr-digest ---- */

static bool in_selection(const struct vt_tpm_attest *a, uint16_t alg,
			 unsigned int pcr)
{
	int k = find_bank(a, alg);

	return k >= 0 && (a->banks[k].mask >> pcr & 1);
}

/*
 * pcrDigest = H_hash(the values of the signed selection: bank by bank as
 * listed, PCRs in ascending order). Only the signed selection says which
 * claimed value is which PCR.
 */
static void check_pcr_digest(const struct vt_tpm_attest *a, uint16_t hash,
			     const struct vt_pcr_table *values,
			     struct vt_quote_result *res)
{
	enum vt_quote_check_id id = VT_QC_PCR_DIGEST;
	const EVP_MD *md = vt_tpm_md(hash);
	uint8_t digest[EVP_MAX_MD_SIZE];
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const struct vt_alg *alg;
	unsigned int i, pcr, dlen, n = 0;
	char b1[8];

	if (!ctx || !md || !EVP_DigestInit_ex(ctx, md, NULL)) {
		FAIL(res, id, "cannot hash with %s",
		     vt_tpm_alg_name(hash, b1));
		goto out;
	}
	for (i = 0; i < a->nr_banks; i++) {
		alg = vt_alg_by_tpm(a->banks[i].hash);
		for (pcr = 0; pcr < 32; pcr++) {
			if (!(a->banks[i].mask >> pcr & 1))
				continue;
			if (pcr >= VT_PCR_COUNT) {
				FAIL(res, id, "PCR %u of %s is selected: only "
				     "0-%u are known", pcr, alg->name,
				     VT_PCR_COUNT - 1);
				goto out;
			}
			if (!values->have[alg->id][pcr]) {
				FAIL(res, id, "no value for PCR %u of %s",
				     pcr, alg->name);
				goto out;
			}
			EVP_DigestUpdate(ctx, values->value[alg->id][pcr],
					 alg->size);
			n++;
		}
	}
	if (!EVP_DigestFinal_ex(ctx, digest, &dlen)) {
		FAIL(res, id, "cannot hash with %s",
		     vt_tpm_alg_name(hash, b1));
		goto out;
	}
	if (dlen != a->pcr_digest_len ||
	    CRYPTO_memcmp(digest, a->pcr_digest, dlen)) {
		FAIL(res, id, "the %u claimed values do not hash (%s) to the "
		     "signed pcrDigest", n, vt_tpm_alg_name(hash, b1));
		goto out;
	}
	for (i = 0; i < a->nr_banks; i++) {
		alg = vt_alg_by_tpm(a->banks[i].hash);
		for (pcr = 0; pcr < VT_PCR_COUNT; pcr++) {
			if (!(a->banks[i].mask >> pcr & 1))
				continue;
			res->covered.have[alg->id][pcr] = true;
			memcpy(res->covered.value[alg->id][pcr],
			       values->value[alg->id][pcr], alg->size);
		}
	}
	PASS(res, id, "%u values covered, %u outside the signed selection "
	     "ignored", n, res->nr_ignored);
out:
	EVP_MD_CTX_free(ctx);
}

static void note_ignored(const struct vt_tpm_attest *a,
			 const struct vt_pcr_table *values,
			 struct vt_quote_result *res)
{
	unsigned int i, pcr;

	for (i = 0; i < VT_ALG_COUNT; i++)
		for (pcr = 0; pcr < VT_PCR_COUNT; pcr++)
			if (values->have[i][pcr] &&
			    !in_selection(a, vt_algs[i].tpm_alg, pcr)) {
				res->ignored[i][pcr] = true;
				res->nr_ignored++;
			}
}

int vt_quote_verify(const uint8_t *attest, size_t alen, const uint8_t *sig,
		    size_t slen, const struct vt_tpm_public *ak,
		    const struct vt_quote_req *req,
		    const struct vt_pcr_table *values,
		    struct vt_quote_result *res)
{
	struct vt_tpm_signature s;
	bool have_attest, have_sig;
	char why[160];
	uint16_t hash;
	char b1[8], b2[8], b3[8], b4[8];
	unsigned int i;

	memset(res, 0, sizeof(*res));
	have_attest = !vt_tpm_attest_parse(attest, alen, &res->attest, why,
					   sizeof(why));
	if (have_attest)
		PASS(res, VT_QC_ATTEST_PARSE, "%zu bytes", alen);
	else
		FAIL(res, VT_QC_ATTEST_PARSE, "%s", why);
	have_sig = !vt_tpm_signature_parse(sig, slen, &s, why, sizeof(why));
	if (have_sig)
		PASS(res, VT_QC_SIGNATURE_PARSE, "%zu bytes", slen);
	else
		FAIL(res, VT_QC_SIGNATURE_PARSE, "%s", why);

	check_ak(ak, res);
	if (have_sig) {
		if (s.alg == ak->scheme && s.hash == ak->scheme_hash)
			PASS(res, VT_QC_SIGNATURE_SCHEME, "%s-%s",
			     vt_tpm_alg_name(s.alg, b1),
			     vt_tpm_alg_name(s.hash, b2));
		else
			FAIL(res, VT_QC_SIGNATURE_SCHEME, "%s-%s, but the AK's "
			     "scheme is %s-%s", vt_tpm_alg_name(s.alg, b1),
			     vt_tpm_alg_name(s.hash, b2),
			     vt_tpm_alg_name(ak->scheme, b3),
			     vt_tpm_alg_name(ak->scheme_hash, b4));
		check_signature(attest, alen, &s, ak, req->ak_key, res);
	}

	if (have_attest) {
		check_fields(&res->attest, ak, req, res);
		if (res->attest.type == VT_TPM_ST_ATTEST_QUOTE) {
			check_selection(&res->attest, req, res);
			note_ignored(&res->attest, values, res);
			/* the signing scheme's hash, as the TPM used it */
			hash = have_sig ? s.hash : ak->scheme_hash;
			if (have_sig || ak->scheme != VT_TPM_ALG_NULL)
				check_pcr_digest(&res->attest, hash, values,
						 res);
		} else {
			snprintf(res->checks[VT_QC_PCR_SELECTION].msg,
				 sizeof(res->checks[0].msg),
				 "not run: the attestation is not a quote");
			snprintf(res->checks[VT_QC_PCR_DIGEST].msg,
				 sizeof(res->checks[0].msg),
				 "not run: the attestation is not a quote");
		}
	}

	res->ok = true;
	for (i = 0; i < VT_QC_COUNT; i++) {
		if (res->checks[i].state == VT_CHECK_NOT_RUN &&
		    !res->checks[i].msg[0])
			snprintf(res->checks[i].msg, sizeof(res->checks[i].msg),
				 "not run: a structure it needs did not parse");
		if (res->checks[i].state != VT_CHECK_PASS &&
		    res->checks[i].state != VT_CHECK_SKIPPED)
			res->ok = false;
	}
	return res->ok ? 0 : 1;
}

int vt_quote_selection_parse(const char *spec, struct vt_quote_req *req)
{
	const char *p = spec, *colon, *end;
	const struct vt_alg *alg;
	unsigned long a, b;
	char *e;

	while (*p) {
		if (req->nr_banks == VT_QUOTE_BANKS_MAX)
			return -1;
		colon = strchr(p, ':');
		if (!colon)
			return -1;
		alg = vt_alg_find(p, colon - p);
		if (!alg)
			return -1;
		req->banks[req->nr_banks].alg = alg->tpm_alg;
		req->banks[req->nr_banks].mask = 0;
		end = strchr(colon, '+');
		if (!end)
			end = colon + strlen(colon);
		p = colon + 1;
		while (p < end) {
			errno = 0;
			a = strtoul(p, &e, 10);
			b = a;
			if (e == p || errno)
				return -1;
			if (*e == '-') {
				p = e + 1;
				b = strtoul(p, &e, 10);
				if (e == p || errno)
					return -1;
			}
			if (a > b || b >= VT_PCR_COUNT)
				return -1;
			for (; a <= b; a++)
				req->banks[req->nr_banks].mask |= 1u << a;
			p = e;
			if (*p == ',')
				p++;
			else if (p != end)
				return -1;
		}
		req->nr_banks++;
		if (*end == '+')
			end++;
		p = end;
	}
	return 0;
}
