// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The guest side of remote attestation, over tpm2-tss's ESAPI:
 *
 *   vtrust ek show             the endorsement key and its certificate
 *   vtrust ak create | show    the attestation key, persistent, under the EK
 *   vtrust credential activate a verifier's challenge to the AK and EK
 *                              (credential.c routes it here)
 *   vtrust quote               a quote, the quoted PCRs and the logs
 *
 * The AK is a child of the EK, so that it lives in the endorsement
 * hierarchy: the TPM then shows quotes its real resetCount, restartCount
 * and firmwareVersion (it obfuscates them for keys of other hierarchies).
 * The EK's authPolicy is PolicySecret(TPM_RH_ENDORSEMENT): each use of the
 * EK takes a policy session that ran it. The endorsement and owner
 * hierarchies' authorization values are assumed empty, as they are on cloud
 * vTPMs and most machines.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>

#include "algs.h"
#include "attest.h"
#include "esys.h"
#include "sources.h"
#include "util.h"
#include "vtrust.h"

/* The tpm2-tools credential file: "BADCC0DE", version 1, then the blobs. */
#define CRED_MAGIC	0xbadcc0deU
#define CRED_VERSION	1U
#define CRED_MAX	4096U

#define NONCE_MAX	64U		/* sizeof(TPMU_HA): TPM2B_DATA's limit */
#define QUOTE_TRIES	10
#define LOG_MAX		(1024UL << 20)	/* bytes per log */
#define PERSISTENT_FIRST 0x81000000U	/* the owner's persistent handles */
#define PERSISTENT_LAST	0x817fffffU

enum key_alg { KEY_RSA, KEY_ECC, KEY_SM2, KEY_ALG_COUNT };

static const char *const key_alg_names[KEY_ALG_COUNT] = {
	[KEY_RSA] = "rsa", [KEY_ECC] = "ecc", [KEY_SM2] = "sm2",
};

static const TPM2_HANDLE ek_cert_index[KEY_ALG_COUNT] = {
	[KEY_RSA] = VT_EK_CERT_RSA,
	[KEY_ECC] = VT_EK_CERT_ECC,
	[KEY_SM2] = VT_EK_CERT_SM2,
};

struct tpm {
	TSS2_TCTI_CONTEXT *tcti;
	ESYS_CONTEXT *esys;
	char where[PATH_MAX];
};

/* A key the TPM holds, with its public area as ReadPublic gives it. */
struct key {
	ESYS_TR tr;
	bool transient;		/* flush it when done */
	enum key_alg alg;
	TPM2B_PUBLIC *pub;
	TPM2B_NAME *name;
	TPM2B_NAME *qname;	/* qualified name */
};

/* ---- messages ---- */

static int tpm_fail(struct tpm *t, const char *what, TSS2_RC rc)
{
	vt_err(t->where, "%s: %s", what, Tss2_RC_Decode(rc));
	return VT_EXIT_SYSTEM;
}

/* ---- the TPM ---- */

static int tpm_open(struct tpm *t)
{
	return vt_esys_open(&t->tcti, &t->esys, t->where, sizeof(t->where));
}

static void tpm_close(struct tpm *t)
{
	vt_esys_close(&t->tcti, &t->esys);
}

static void key_free(struct tpm *t, struct key *k)
{
	if (k->tr != ESYS_TR_NONE && k->transient)
		Esys_FlushContext(t->esys, k->tr);
	k->tr = ESYS_TR_NONE;
	Esys_Free(k->pub);
	Esys_Free(k->name);
	Esys_Free(k->qname);
	k->pub = NULL;
	k->name = NULL;
	k->qname = NULL;
}

/* Is there something at handle @h (persistent or NV)? 0 or an exit code. */
static int handle_present(struct tpm *t, TPM2_HANDLE h, bool *present)
{
	TPMS_CAPABILITY_DATA *cap = NULL;
	TPMI_YES_NO more;
	TSS2_RC rc;

	rc = Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
				ESYS_TR_NONE, TPM2_CAP_HANDLES, h, 1, &more,
				&cap);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(t, "cannot list handles", rc);
	*present = cap->data.handles.count >= 1 &&
		   cap->data.handles.handle[0] == h;
	Esys_Free(cap);
	return 0;
}

/* A TPM property (TPM2_CAP_TPM_PROPERTIES), or @dflt if it has none. */
static uint32_t tpm_property(struct tpm *t, TPM2_PT pt, uint32_t dflt)
{
	TPMS_CAPABILITY_DATA *cap = NULL;
	TPMI_YES_NO more;
	uint32_t v = dflt;

	if (Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
			       ESYS_TR_NONE, TPM2_CAP_TPM_PROPERTIES, pt, 1,
			       &more, &cap) != TSS2_RC_SUCCESS)
		return dflt;
	if (cap->data.tpmProperties.count >= 1 &&
	    cap->data.tpmProperties.tpmProperty[0].property == pt)
		v = cap->data.tpmProperties.tpmProperty[0].value;
	Esys_Free(cap);
	return v;
}

/* Does the TPM implement algorithm @alg? */
static bool tpm_has_alg(struct tpm *t, TPM2_ALG_ID alg)
{
	TPMS_CAPABILITY_DATA *cap = NULL;
	TPMI_YES_NO more;
	bool ok;

	if (Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
			       ESYS_TR_NONE, TPM2_CAP_ALGS, alg, 1, &more,
			       &cap) != TSS2_RC_SUCCESS)
		return false;
	ok = cap->data.algorithms.count >= 1 &&
	     cap->data.algorithms.algProperties[0].alg == alg;
	Esys_Free(cap);
	return ok;
}

static bool tpm_has_curve(struct tpm *t, TPM2_ECC_CURVE curve)
{
	TPMS_CAPABILITY_DATA *cap = NULL;
	TPMI_YES_NO more;
	bool ok;

	if (Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
			       ESYS_TR_NONE, TPM2_CAP_ECC_CURVES, curve, 1,
			       &more, &cap) != TSS2_RC_SUCCESS)
		return false;
	ok = cap->data.eccCurves.count >= 1 &&
	     cap->data.eccCurves.eccCurves[0] == curve;
	Esys_Free(cap);
	return ok;
}

/* SM2 keys need the SM2 curve, SM3 (their nameAlg) and SM4 (the EK's). */
static int check_alg(struct tpm *t, enum key_alg alg)
{
	if (alg != KEY_SM2)
		return 0;
	if (tpm_has_curve(t, TPM2_ECC_SM2_P256) &&
	    tpm_has_alg(t, TPM2_ALG_SM3_256) && tpm_has_alg(t, TPM2_ALG_SM4))
		return 0;
	vt_err(t->where, "this TPM cannot make SM2 keys (it lacks the SM2 "
	       "P-256 curve, SM3 or SM4)");
	return VT_EXIT_SYSTEM;
}

/* The key's algorithm as vtrust names it, from its public area. */
static int alg_of(const TPMT_PUBLIC *p, enum key_alg *alg)
{
	if (p->type == TPM2_ALG_RSA) {
		*alg = KEY_RSA;
		return 0;
	}
	if (p->type != TPM2_ALG_ECC)
		return -1;
	*alg = p->parameters.eccDetail.curveID == TPM2_ECC_SM2_P256 ?
	       KEY_SM2 : KEY_ECC;
	return 0;
}

/* ReadPublic of @k->tr into @k. */
static int key_read(struct tpm *t, struct key *k, const char *what)
{
	TSS2_RC rc;

	rc = Esys_ReadPublic(t->esys, k->tr, ESYS_TR_NONE, ESYS_TR_NONE,
			     ESYS_TR_NONE, &k->pub, &k->name, &k->qname);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(t, what, rc);
	if (alg_of(&k->pub->publicArea, &k->alg)) {
		vt_err(t->where, "%s: not an RSA or ECC key", what);
		return VT_EXIT_USAGE;
	}
	return 0;
}

/*
 * The persistent key at @handle into @k. Nothing there: exit 2, with a
 * hint.
 */
static int key_at(struct tpm *t, TPM2_HANDLE handle, struct key *k)
{
	char what[64];
	bool present;
	TSS2_RC rc;
	int ret;

	ret = handle_present(t, handle, &present);
	if (ret)
		return ret;
	if (!present) {
		vt_err(t->where, "no key at 0x%08x ('vtrust ak create "
		       "--handle 0x%08x' makes an AK there)", handle, handle);
		return VT_EXIT_USAGE;
	}
	snprintf(what, sizeof(what), "cannot read the key at 0x%08x", handle);
	rc = Esys_TR_FromTPMPublic(t->esys, handle, ESYS_TR_NONE,
				   ESYS_TR_NONE, ESYS_TR_NONE, &k->tr);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(t, what, rc);
	k->transient = false;
	return key_read(t, k, what);
}

/* ---- templates ---- */

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/*
 * The EK's authPolicy, PolicySecret(TPM_RH_ENDORSEMENT) with an empty
 * policyRef: H(H(0...0 || TPM_CC_PolicySecret || TPM_RH_ENDORSEMENT)) in
 * hash @md (the name of TPM_RH_ENDORSEMENT is its handle).
 */
static int ek_policy(const char *md, TPM2B_DIGEST *out)
{
	uint8_t buf[TPM2_SHA512_DIGEST_SIZE + 8] = { 0 };
	unsigned int n = 0;
	const EVP_MD *m = EVP_get_digestbyname(md);

	if (!m || EVP_MD_get_size(m) > TPM2_SHA512_DIGEST_SIZE)
		return -1;
	n = EVP_MD_get_size(m);
	put_be32(buf + n, TPM2_CC_PolicySecret);
	put_be32(buf + n + 4, TPM2_RH_ENDORSEMENT);
	if (!EVP_Digest(buf, n + 8, out->buffer, NULL, m, NULL) ||
	    !EVP_Digest(out->buffer, n, out->buffer, NULL, m, NULL))
		return -1;
	out->size = n;
	return 0;
}

/*
 * The TCG default EK templates (EK Credential Profile): RSA 2048 ("L-1")
 * and ECC NIST P-256 ("L-2"), and for SM2 the same shape with SM3 and SM4.
 */
static int ek_template(enum key_alg alg, TPM2B_PUBLIC *out)
{
	TPMT_PUBLIC *p = &out->publicArea;

	memset(out, 0, sizeof(*out));
	p->nameAlg = alg == KEY_SM2 ? TPM2_ALG_SM3_256 : TPM2_ALG_SHA256;
	p->objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
			      TPMA_OBJECT_SENSITIVEDATAORIGIN |
			      TPMA_OBJECT_ADMINWITHPOLICY |
			      TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT;
	if (ek_policy(alg == KEY_SM2 ? "SM3" : "SHA256", &p->authPolicy))
		return -1;
	if (alg == KEY_RSA) {
		TPMS_RSA_PARMS *r = &p->parameters.rsaDetail;

		p->type = TPM2_ALG_RSA;
		r->symmetric.algorithm = TPM2_ALG_AES;
		r->symmetric.keyBits.aes = 128;
		r->symmetric.mode.aes = TPM2_ALG_CFB;
		r->scheme.scheme = TPM2_ALG_NULL;
		r->keyBits = 2048;
		r->exponent = 0;
		p->unique.rsa.size = 256;
	} else {
		TPMS_ECC_PARMS *e = &p->parameters.eccDetail;

		p->type = TPM2_ALG_ECC;
		e->symmetric.algorithm = alg == KEY_SM2 ? TPM2_ALG_SM4 :
				      TPM2_ALG_AES;
		e->symmetric.keyBits.sym = 128;
		e->symmetric.mode.sym = TPM2_ALG_CFB;
		e->scheme.scheme = TPM2_ALG_NULL;
		e->curveID = alg == KEY_SM2 ? TPM2_ECC_SM2_P256 :
			     TPM2_ECC_NIST_P256;
		e->kdf.scheme = TPM2_ALG_NULL;
		p->unique.ecc.x.size = 32;
		p->unique.ecc.y.size = 32;
	}
	return 0;
}

/*
 * The AK: a restricted signing key, RSA 2048 RSASSA-SHA256, ECC P-256
 * ECDSA-SHA256 or SM2 P-256 with SM3, its authValue empty.
 */
static void ak_template(enum key_alg alg, TPM2B_PUBLIC *out)
{
	TPMT_PUBLIC *p = &out->publicArea;

	memset(out, 0, sizeof(*out));
	p->nameAlg = alg == KEY_SM2 ? TPM2_ALG_SM3_256 : TPM2_ALG_SHA256;
	p->objectAttributes = TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_SIGN_ENCRYPT |
			      TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
			      TPMA_OBJECT_SENSITIVEDATAORIGIN |
			      TPMA_OBJECT_USERWITHAUTH;
	if (alg == KEY_RSA) {
		TPMS_RSA_PARMS *r = &p->parameters.rsaDetail;

		p->type = TPM2_ALG_RSA;
		r->symmetric.algorithm = TPM2_ALG_NULL;
		r->scheme.scheme = TPM2_ALG_RSASSA;
		r->scheme.details.rsassa.hashAlg = TPM2_ALG_SHA256;
		r->keyBits = 2048;
	} else {
		TPMS_ECC_PARMS *e = &p->parameters.eccDetail;

		p->type = TPM2_ALG_ECC;
		e->symmetric.algorithm = TPM2_ALG_NULL;
		e->scheme.scheme = alg == KEY_SM2 ? TPM2_ALG_SM2 :
				   TPM2_ALG_ECDSA;
		e->scheme.details.anySig.hashAlg = alg == KEY_SM2 ?
						   TPM2_ALG_SM3_256 :
						   TPM2_ALG_SHA256;
		e->curveID = alg == KEY_SM2 ? TPM2_ECC_SM2_P256 :
			     TPM2_ECC_NIST_P256;
		e->kdf.scheme = TPM2_ALG_NULL;
	}
}

/* ---- the EK ---- */

/* A policy session that ran PolicySecret(TPM_RH_ENDORSEMENT). */
static int ek_session(struct tpm *t, TPMI_ALG_HASH hash, ESYS_TR *sess)
{
	TPMT_SYM_DEF sym = { .algorithm = TPM2_ALG_NULL };
	TSS2_RC rc;

	rc = Esys_StartAuthSession(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
				   ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
				   NULL, TPM2_SE_POLICY, &sym, hash, sess);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(t, "cannot start a policy session", rc);
	rc = Esys_PolicySecret(t->esys, ESYS_TR_RH_ENDORSEMENT, *sess,
			       ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
			       NULL, NULL, NULL, 0, NULL, NULL);
	if (rc != TSS2_RC_SUCCESS) {
		Esys_FlushContext(t->esys, *sess);
		*sess = ESYS_TR_NONE;
		return tpm_fail(t, "PolicySecret(TPM_RH_ENDORSEMENT) failed "
				"(is the endorsement hierarchy's auth set?)",
				rc);
	}
	return 0;
}

/* The persistent RSA EK, if there is one of algorithm @alg. */
static int ek_persistent(struct tpm *t, enum key_alg alg, struct key *k)
{
	bool present;
	TSS2_RC rc;
	int ret;

	ret = handle_present(t, VT_EK_HANDLE_RSA, &present);
	if (ret || !present)
		return ret;
	rc = Esys_TR_FromTPMPublic(t->esys, VT_EK_HANDLE_RSA, ESYS_TR_NONE,
				   ESYS_TR_NONE, ESYS_TR_NONE, &k->tr);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(t, "cannot read the EK at 0x81010001", rc);
	k->transient = false;
	vt_quiet_push();
	ret = key_read(t, k, "cannot read the EK at 0x81010001");
	vt_quiet_pop();
	if (ret || k->alg != alg ||
	    !(k->pub->publicArea.objectAttributes & TPMA_OBJECT_DECRYPT) ||
	    !(k->pub->publicArea.objectAttributes & TPMA_OBJECT_RESTRICTED)) {
		/* not one of this algorithm: make the EK instead */
		Esys_TR_Close(t->esys, &k->tr);
		key_free(t, k);
	}
	return 0;
}

/*
 * The EK of algorithm @alg: the persistent one at 0x81010001 when it is of
 * that algorithm, else made from the default template with CreatePrimary
 * (the same template gives the same key every time).
 */
static int ek_load(struct tpm *t, enum key_alg alg, struct key *k)
{
	TPM2B_SENSITIVE_CREATE sens = { 0 };
	TPM2B_DATA outside = { 0 };
	TPML_PCR_SELECTION pcrs = { 0 };
	TPM2B_PUBLIC tmpl;
	TSS2_RC rc;
	int ret;

	k->tr = ESYS_TR_NONE;
	ret = check_alg(t, alg);
	if (ret)
		return ret;
	ret = ek_persistent(t, alg, k);
	if (ret || k->tr != ESYS_TR_NONE)
		return ret;
	if (ek_template(alg, &tmpl)) {
		vt_err("ek", "cannot compute the EK's policy (OpenSSL)");
		return VT_EXIT_SYSTEM;
	}
	rc = Esys_CreatePrimary(t->esys, ESYS_TR_RH_ENDORSEMENT,
				ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
				&sens, &tmpl, &outside, &pcrs, &k->tr, NULL,
				NULL, NULL, NULL);
	if (rc != TSS2_RC_SUCCESS) {
		k->tr = ESYS_TR_NONE;
		return tpm_fail(t, "cannot create the EK (CreatePrimary)", rc);
	}
	k->transient = true;
	return key_read(t, k, "cannot read the EK");
}

/*
 * The EK that is the parent of @ak: the one whose qualified name QN gives
 * the AK's, QN(AK) = nameAlg || H(QN(EK) || Name(AK)). RSA, ECC, then SM2,
 * each where the TPM has its algorithms.
 */
static int ek_parent_of(struct tpm *t, const struct key *ak,
			TPM2_HANDLE handle, struct key *ek)
{
	const struct vt_alg *h;
	uint8_t buf[2 * sizeof(TPMU_NAME)], md[EVP_MAX_MD_SIZE];
	const TPM2B_NAME *q = ak->qname, *n = ak->name;
	unsigned int i, len;
	int ret;

	h = vt_alg_by_tpm(ak->pub->publicArea.nameAlg);
	if (!h || q->size != 2 + h->size) {
		vt_err(t->where, "the key at 0x%08x has an unknown name "
		       "algorithm", handle);
		return VT_EXIT_USAGE;
	}
	for (i = 0; i < KEY_ALG_COUNT; i++) {
		/* no EK of an algorithm the TPM lacks (a vTCM has no RSA) */
		if ((i == KEY_RSA && !tpm_has_alg(t, TPM2_ALG_RSA)) ||
		    (i == KEY_ECC && !tpm_has_curve(t, TPM2_ECC_NIST_P256)))
			continue;
		if (i == KEY_SM2) {
			vt_quiet_push();
			ret = check_alg(t, KEY_SM2);
			vt_quiet_pop();
			if (ret)
				continue;
		}
		memset(ek, 0, sizeof(*ek));
		ret = ek_load(t, i, ek);
		if (ret) {
			key_free(t, ek);
			return ret;
		}
		len = ek->qname->size + n->size;
		memcpy(buf, ek->qname->name, ek->qname->size);
		memcpy(buf + ek->qname->size, n->name, n->size);
		if (EVP_Digest(buf, len, md, NULL,
			       EVP_get_digestbyname(h->evp), NULL) &&
		    !memcmp(md, q->name + 2, h->size))
			return 0;
		key_free(t, ek);
	}
	vt_err(t->where, "the key at 0x%08x is not a child of this TPM's EK "
	       "(RSA, ECC or SM2, default template)", handle);
	return VT_EXIT_USAGE;
}

/*
 * The DER certificate in NV index @index into *der (NULL if there is none),
 * read in chunks of the TPM's largest NV read.
 */
static int ek_cert(struct tpm *t, TPM2_HANDLE index, uint8_t **der,
		   size_t *len)
{
	TPM2B_NV_PUBLIC *nvpub = NULL;
	TPM2B_MAX_NV_BUFFER *data = NULL;
	ESYS_TR nv = ESYS_TR_NONE, auth;
	uint32_t chunk, size, off = 0, n;
	bool present;
	uint8_t *buf = NULL;
	TSS2_RC rc;
	int ret;

	*der = NULL;
	*len = 0;
	ret = handle_present(t, index, &present);
	if (ret || !present)
		return ret;
	rc = Esys_TR_FromTPMPublic(t->esys, index, ESYS_TR_NONE, ESYS_TR_NONE,
				   ESYS_TR_NONE, &nv);
	if (rc == TSS2_RC_SUCCESS)
		rc = Esys_NV_ReadPublic(t->esys, nv, ESYS_TR_NONE, ESYS_TR_NONE,
					ESYS_TR_NONE, &nvpub, NULL);
	if (rc != TSS2_RC_SUCCESS) {
		ret = tpm_fail(t, "cannot read the EK certificate's NV index",
			       rc);
		goto out;
	}
	size = nvpub->nvPublic.dataSize;
	auth = nvpub->nvPublic.attributes & TPMA_NV_AUTHREAD ? nv :
	       ESYS_TR_RH_OWNER;
	chunk = tpm_property(t, TPM2_PT_NV_BUFFER_MAX, 512);
	if (chunk > sizeof(data->buffer))
		chunk = sizeof(data->buffer);
	if (!chunk)
		chunk = 512;
	buf = malloc(size ? size : 1);
	if (!buf) {
		vt_err("ek", "out of memory");
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	while (off < size) {
		n = size - off < chunk ? size - off : chunk;
		rc = Esys_NV_Read(t->esys, auth, nv, ESYS_TR_PASSWORD,
				  ESYS_TR_NONE, ESYS_TR_NONE, n, off, &data);
		if (rc != TSS2_RC_SUCCESS) {
			ret = tpm_fail(t, "cannot read the EK certificate", rc);
			goto out;
		}
		if (data->size != n) {
			vt_err(t->where, "NV_Read returned %u bytes, not %u",
			       data->size, n);
			Esys_Free(data);
			ret = VT_EXIT_SYSTEM;
			goto out;
		}
		memcpy(buf + off, data->buffer, n);
		Esys_Free(data);
		off += n;
	}
	*der = buf;
	*len = size;
	buf = NULL;
	ret = 0;
out:
	free(buf);
	Esys_Free(nvpub);
	if (nv != ESYS_TR_NONE)
		Esys_TR_Close(t->esys, &nv);
	return ret;
}

/* ---- encodings ---- */

static char *base64(const uint8_t *in, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	if (out)
		EVP_EncodeBlock((unsigned char *)out, in, len);
	return out;
}

static char *hex_of(const uint8_t *in, size_t len)
{
	char *out = malloc(2 * len + 1);

	if (out)
		vt_hex(out, in, len);
	return out;
}

static char *bio_string(BIO *bio)
{
	char *data, *s = NULL;
	long n = BIO_get_mem_data(bio, &data);

	if (n >= 0)
		s = strndup(data, n);
	return s;
}

/* The public key of @p as a PEM SubjectPublicKeyInfo. */
static char *public_pem(const TPMT_PUBLIC *p)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	uint8_t point[1 + 2 * TPM2_MAX_ECC_KEY_BYTES];
	const char *type = "RSA", *group = NULL;
	BIO *bio = NULL;
	char *pem = NULL;
	unsigned int fsize = 32;

	if (!bld)
		return NULL;
	if (p->type == TPM2_ALG_RSA) {
		n = BN_bin2bn(p->unique.rsa.buffer, p->unique.rsa.size, NULL);
		e = BN_new();
		if (!n || !e || !BN_set_word(e, p->parameters.rsaDetail.exponent ?
					     p->parameters.rsaDetail.exponent :
					     65537) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
			goto out;
	} else if (p->type == TPM2_ALG_ECC) {
		const TPMS_ECC_POINT *pt = &p->unique.ecc;

		type = "EC";
		switch (p->parameters.eccDetail.curveID) {
		case TPM2_ECC_NIST_P256:
			group = "prime256v1";
			break;
		case TPM2_ECC_NIST_P384:
			group = "secp384r1";
			fsize = 48;
			break;
		case TPM2_ECC_NIST_P521:
			group = "secp521r1";
			fsize = 66;
			break;
		case TPM2_ECC_SM2_P256:
			group = "SM2";
			type = "SM2";
			break;
		default:
			goto out;
		}
		if (pt->x.size > fsize || pt->y.size > fsize)
			goto out;
		/* uncompressed point, each coordinate left-padded */
		memset(point, 0, sizeof(point));
		point[0] = 4;
		memcpy(point + 1 + fsize - pt->x.size, pt->x.buffer, pt->x.size);
		memcpy(point + 1 + 2 * fsize - pt->y.size, pt->y.buffer,
		       pt->y.size);
		if (!OSSL_PARAM_BLD_push_utf8_string(
			    bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
		    !OSSL_PARAM_BLD_push_octet_string(
			    bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * fsize))
			goto out;
	} else {
		goto out;
	}
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto out;
	bio = BIO_new(BIO_s_mem());
	if (bio && PEM_write_bio_PUBKEY(bio, pkey))
		pem = bio_string(bio);
out:
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pem;
}

/* DER bytes as a PEM "CERTIFICATE", byte for byte (not re-encoded). */
static char *cert_pem(const uint8_t *der, size_t len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem = NULL;

	if (bio && PEM_write_bio(bio, "CERTIFICATE", "", der, len) > 0)
		pem = bio_string(bio);
	BIO_free(bio);
	return pem;
}

/* TPM2B_PUBLIC as Tss2_MU_TPM2B_PUBLIC_Marshal writes it, in base64. */
static char *public_b64(const TPM2B_PUBLIC *pub)
{
	uint8_t buf[sizeof(TPM2B_PUBLIC)];
	size_t off = 0;

	if (Tss2_MU_TPM2B_PUBLIC_Marshal(pub, buf, sizeof(buf), &off) !=
	    TSS2_RC_SUCCESS)
		return NULL;
	return base64(buf, off);
}

static json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/*
 * The public facts of @k as JSON: public (PEM), name (hex), tpm2b_public
 * (base64). NULL if out of memory or the key cannot be encoded.
 */
static json_object *key_json(const struct key *k)
{
	char *pem = public_pem(&k->pub->publicArea);
	char *name = hex_of(k->name->name, k->name->size);
	char *b64 = public_b64(k->pub);
	json_object *o = NULL;

	if (pem && name && b64) {
		o = json_object_new_object();
		json_object_object_add(o, "public", jstr(pem));
		json_object_object_add(o, "name", jstr(name));
		json_object_object_add(o, "tpm2b_public", jstr(b64));
	}
	free(pem);
	free(name);
	free(b64);
	if (!o)
		vt_err("vtrust", "cannot encode the key's public area");
	return o;
}

static const char *jget(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static void print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* ---- files ---- */

/* @len bytes to a temporary file next to @path, renamed over it. */
static int write_atomic(const char *path, const void *data, size_t len,
			mode_t mode)
{
	char tmp[PATH_MAX + 16];
	int ret;

	ret = vt_write_temp(path, tmp, sizeof(tmp), data, len, mode);
	if (!ret && rename(tmp, path)) {
		ret = -errno;
		unlink(tmp);
	}
	return ret;
}

/* ---- arguments ---- */

enum {
	OPT_ALG = 1U << 0,
	OPT_HANDLE = 1U << 1,
	OPT_FORCE = 1U << 2,
	OPT_JSON = 1U << 3,
	OPT_OUT = 1U << 4,
	OPT_NONCE = 1U << 5,
	OPT_PCRS = 1U << 6,
	OPT_SYSFS_ROOT = 1U << 7,
};

static const struct option options[] = {
	{ "alg", required_argument, NULL, OPT_ALG },
	{ "handle", required_argument, NULL, OPT_HANDLE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "nonce", required_argument, NULL, OPT_NONCE },
	{ "pcrs", required_argument, NULL, OPT_PCRS },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct args {
	const char *cmd;	/* "ek show", ... for messages */
	unsigned int given;	/* OPT_* */
	enum key_alg alg;
	TPM2_HANDLE handle;
	bool json;
	const char *out;
	uint8_t nonce[NONCE_MAX];
	unsigned int nonce_len;
	uint32_t pcrs;		/* bit n: PCR n */
	const char *root;
	const char *file;	/* credential activate's FILE */
	/* the agent's calls (vt_attest_*()): results here, nothing printed */
	json_object **capture;
	uint8_t *secret;
	size_t *secret_len;
};

static int parse_alg(const char *s, enum key_alg *alg)
{
	unsigned int i;

	for (i = 0; i < KEY_ALG_COUNT; i++) {
		if (!strcmp(s, key_alg_names[i])) {
			*alg = i;
			return 0;
		}
	}
	return -1;
}

static int parse_handle(const char *s, TPM2_HANDLE *h)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 16);
	if (errno || end == s || *end || *s == '-' || *s == '+' ||
	    v < PERSISTENT_FIRST || v > PERSISTENT_LAST)
		return -1;
	*h = v;
	return 0;
}

/* "0-7,10,11": PCRs 0 to 23, as bits. */
static int parse_pcrs(const char *s, uint32_t *out)
{
	unsigned long a, b;
	char *end;

	*out = 0;
	for (;;) {
		if (*s < '0' || *s > '9')
			return -1;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			s = end + 1;
			if (*s < '0' || *s > '9')
				return -1;
			b = strtoul(s, &end, 10);
		}
		if (a > b || b >= VT_PCR_COUNT)
			return -1;
		for (; a <= b; a++)
			*out |= 1U << a;
		if (!*end)
			return 0;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

static int parse_nonce(const char *s, struct args *a)
{
	size_t len = strlen(s);

	if (!len || len % 2 || len / 2 > NONCE_MAX ||
	    vt_unhex(a->nonce, len / 2, s, len))
		return -1;
	a->nonce_len = len / 2;
	return 0;
}

/* ---- vtrust ek show ---- */

static int ek_show(struct args *a)
{
	struct tpm t = { 0 };
	struct key ek = { .tr = ESYS_TR_NONE };
	json_object *o = NULL;
	uint8_t *der = NULL;
	char *pem = NULL;
	size_t len;
	int ret;

	ret = tpm_open(&t);
	if (ret)
		return ret;
	ret = ek_load(&t, a->alg, &ek);
	if (!ret)
		ret = ek_cert(&t, ek_cert_index[a->alg], &der, &len);
	if (ret)
		goto out;
	o = key_json(&ek);
	if (der)
		pem = cert_pem(der, len);
	if (!o || (der && !pem)) {
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	json_object_object_add(o, "certificate", jstr(pem));
	if (a->capture) {
		json_object_object_add(o, "algorithm", json_object_new_string(
					       key_alg_names[a->alg]));
		*a->capture = json_object_get(o);
	} else if (a->json) {
		json_object_object_add(o, "algorithm", json_object_new_string(
					       key_alg_names[a->alg]));
		print_json(o);
	} else {
		fputs(jget(o, "public"), stdout);
		if (pem)
			fputs(pem, stdout);
		else
			fprintf(stderr, "vtrust: ek show: no EK certificate "
				"at NV 0x%08x\n", ek_cert_index[a->alg]);
	}
out:
	json_object_put(o);
	free(pem);
	free(der);
	key_free(&t, &ek);
	tpm_close(&t);
	return ret;
}

/* ---- vtrust ak create, ak show ---- */

static int evict(struct tpm *t, TPM2_HANDLE handle)
{
	ESYS_TR tr, gone;
	TSS2_RC rc;

	rc = Esys_TR_FromTPMPublic(t->esys, handle, ESYS_TR_NONE,
				   ESYS_TR_NONE, ESYS_TR_NONE, &tr);
	if (rc == TSS2_RC_SUCCESS)
		rc = Esys_EvictControl(t->esys, ESYS_TR_RH_OWNER, tr,
				       ESYS_TR_PASSWORD, ESYS_TR_NONE,
				       ESYS_TR_NONE, handle, &gone);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(t, "cannot evict the key there", rc);
	return 0;
}

static void print_key(const struct args *a, TPM2_HANDLE handle,
		      const struct key *k, json_object *o)
{
	char hex[16];

	snprintf(hex, sizeof(hex), "0x%08x", handle);
	if (a->json || a->capture) {
		json_object_object_add(o, "handle", json_object_new_string(hex));
		json_object_object_add(o, "algorithm", json_object_new_string(
					       key_alg_names[k->alg]));
		if (a->capture)
			*a->capture = json_object_get(o);
		else
			print_json(o);
		return;
	}
	printf("handle: %s\nname: %s\nalgorithm: %s\n%s", hex,
	       jget(o, "name"), key_alg_names[k->alg], jget(o, "public"));
}

static int ak_create(struct args *a)
{
	TPM2B_SENSITIVE_CREATE sens = { 0 };
	TPM2B_DATA outside = { 0 };
	TPML_PCR_SELECTION pcrs = { 0 };
	TPM2B_PRIVATE *priv = NULL;
	TPM2B_PUBLIC tmpl, *pub = NULL;
	struct tpm t = { 0 };
	struct key ek = { .tr = ESYS_TR_NONE };
	struct key ak = { .tr = ESYS_TR_NONE };
	ESYS_TR sess = ESYS_TR_NONE, loaded = ESYS_TR_NONE;
	json_object *o = NULL;
	bool present;
	TSS2_RC rc;
	int ret;

	ret = tpm_open(&t);
	if (ret)
		return ret;
	ret = handle_present(&t, a->handle, &present);
	if (ret)
		goto out;
	if (present && !(a->given & OPT_FORCE)) {
		vt_err(a->cmd, "0x%08x is in use (--force evicts what is "
		       "there)", a->handle);
		ret = VT_EXIT_USAGE;
		goto out;
	}
	ret = ek_load(&t, a->alg, &ek);
	if (ret)
		goto out;
	ak_template(a->alg, &tmpl);
	ret = ek_session(&t, ek.pub->publicArea.nameAlg, &sess);
	if (ret)
		goto out;
	rc = Esys_Create(t.esys, ek.tr, sess, ESYS_TR_NONE, ESYS_TR_NONE,
			 &sens, &tmpl, &outside, &pcrs, &priv, &pub, NULL,
			 NULL, NULL);
	Esys_FlushContext(t.esys, sess);
	sess = ESYS_TR_NONE;
	if (rc != TSS2_RC_SUCCESS) {
		ret = tpm_fail(&t, "cannot create the AK", rc);
		goto out;
	}
	ret = ek_session(&t, ek.pub->publicArea.nameAlg, &sess);
	if (ret)
		goto out;
	rc = Esys_Load(t.esys, ek.tr, sess, ESYS_TR_NONE, ESYS_TR_NONE, priv,
		       pub, &loaded);
	Esys_FlushContext(t.esys, sess);
	sess = ESYS_TR_NONE;
	if (rc != TSS2_RC_SUCCESS) {
		loaded = ESYS_TR_NONE;
		ret = tpm_fail(&t, "cannot load the AK", rc);
		goto out;
	}
	if (present) {
		ret = evict(&t, a->handle);
		if (ret)
			goto out;
	}
	rc = Esys_EvictControl(t.esys, ESYS_TR_RH_OWNER, loaded,
			       ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
			       a->handle, &ak.tr);
	if (rc != TSS2_RC_SUCCESS) {
		ak.tr = ESYS_TR_NONE;
		ret = tpm_fail(&t, "cannot make the AK persistent", rc);
		goto out;
	}
	ret = key_read(&t, &ak, "cannot read the new AK");
	if (ret)
		goto out;
	o = key_json(&ak);
	if (!o) {
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	print_key(a, a->handle, &ak, o);
out:
	json_object_put(o);
	if (loaded != ESYS_TR_NONE)
		Esys_FlushContext(t.esys, loaded);
	Esys_Free(priv);
	Esys_Free(pub);
	key_free(&t, &ak);
	key_free(&t, &ek);
	tpm_close(&t);
	return ret;
}

static int ak_show(struct args *a)
{
	struct tpm t = { 0 };
	struct key ak = { .tr = ESYS_TR_NONE };
	json_object *o = NULL;
	int ret;

	ret = tpm_open(&t);
	if (ret)
		return ret;
	ret = key_at(&t, a->handle, &ak);
	if (ret)
		goto out;
	o = key_json(&ak);
	if (!o) {
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	print_key(a, a->handle, &ak, o);
out:
	json_object_put(o);
	key_free(&t, &ak);
	tpm_close(&t);
	return ret;
}

/* ---- vtrust credential activate ---- */

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The tpm2-tools credential file: magic, version, the two TPM2Bs. */
static int read_cred(const char *path, TPM2B_ID_OBJECT *blob,
		     TPM2B_ENCRYPTED_SECRET *secret)
{
	uint8_t *buf;
	size_t len, off = 8;
	int ret;

	ret = vt_read_file(path, CRED_MAX, &buf, &len);
	if (ret) {
		vt_err(path, "%s", strerror(-ret));
		return ret == -EFBIG ? VT_EXIT_USAGE : VT_EXIT_SYSTEM;
	}
	ret = VT_EXIT_USAGE;
	if (len < 8 || be32(buf) != CRED_MAGIC) {
		vt_err(path, "not a credential file (tpm2_makecredential's "
		       "format: magic 0xbadcc0de)");
		goto out;
	}
	if (be32(buf + 4) != CRED_VERSION) {
		vt_err(path, "credential file version %u (only 1 is known)",
		       be32(buf + 4));
		goto out;
	}
	memset(blob, 0, sizeof(*blob));
	memset(secret, 0, sizeof(*secret));
	if (Tss2_MU_TPM2B_ID_OBJECT_Unmarshal(buf, len, &off, blob) ||
	    Tss2_MU_TPM2B_ENCRYPTED_SECRET_Unmarshal(buf, len, &off,
						     secret) ||
	    off != len) {
		vt_err(path, "a broken credential file (its sizes do not add "
		       "up)");
		goto out;
	}
	ret = 0;
out:
	free(buf);
	return ret;
}

/*
 * A TPM error about a parameter (the blob or the secret): the credential
 * was made for another AK or EK, or damaged on the way.
 */
static bool bad_parameter(TSS2_RC rc)
{
	return (rc & TSS2_RC_LAYER_MASK) == TSS2_TPM_RC_LAYER &&
	       (rc & TPM2_RC_FMT1) && (rc & TPM2_RC_P);
}

static int credential_activate(struct args *a)
{
	TPM2B_ID_OBJECT blob;
	TPM2B_ENCRYPTED_SECRET secret;
	TPM2B_DIGEST *info = NULL;
	struct tpm t = { 0 };
	struct key ak = { .tr = ESYS_TR_NONE };
	struct key ek = { .tr = ESYS_TR_NONE };
	ESYS_TR sess = ESYS_TR_NONE;
	TSS2_RC rc;
	int ret;

	ret = read_cred(a->file, &blob, &secret);
	if (ret)
		return ret;
	ret = tpm_open(&t);
	if (ret)
		return ret;
	ret = key_at(&t, a->handle, &ak);
	if (!ret)
		ret = ek_parent_of(&t, &ak, a->handle, &ek);
	if (!ret)
		ret = ek_session(&t, ek.pub->publicArea.nameAlg, &sess);
	if (ret)
		goto out;
	rc = Esys_ActivateCredential(t.esys, ak.tr, ek.tr, ESYS_TR_PASSWORD,
				     sess, ESYS_TR_NONE, &blob, &secret,
				     &info);
	Esys_FlushContext(t.esys, sess);
	if (rc != TSS2_RC_SUCCESS) {
		if (bad_parameter(rc)) {
			vt_err(a->file, "the TPM refuses the credential: it "
			       "was not made for the AK at 0x%08x and its EK, "
			       "or it is damaged (%s)", a->handle,
			       Tss2_RC_Decode(rc));
			ret = VT_EXIT_USAGE;
		} else {
			ret = tpm_fail(&t, "ActivateCredential failed", rc);
		}
		goto out;
	}
	if (a->secret) {
		if (info->size > *a->secret_len) {
			vt_err(a->file, "the secret is longer than %zu bytes",
			       *a->secret_len);
			ret = VT_EXIT_USAGE;
		} else {
			memcpy(a->secret, info->buffer, info->size);
			*a->secret_len = info->size;
		}
	} else if (a->out) {
		ret = write_atomic(a->out, info->buffer, info->size, 0600);
		if (ret) {
			vt_err(a->out, "%s", strerror(-ret));
			ret = VT_EXIT_SYSTEM;
		}
	} else {
		vt_put_hex(stdout, info->buffer, info->size);
		putchar('\n');
	}
out:
	Esys_Free(info);
	key_free(&t, &ek);
	key_free(&t, &ak);
	tpm_close(&t);
	return ret;
}

/* ---- vtrust quote ---- */

struct pcr_values {
	bool have[VT_ALG_COUNT][VT_PCR_COUNT];
	uint8_t value[VT_ALG_COUNT][VT_PCR_COUNT][VT_DIGEST_MAX];
};

static bool selected(const TPMS_PCR_SELECTION *s, unsigned int pcr)
{
	return pcr / 8 < s->sizeofSelect && pcr / 8 < TPM2_PCR_SELECT_MAX &&
	       (s->pcrSelect[pcr / 8] & (1U << (pcr % 8)));
}

/*
 * Every bank the TPM has allocated (that vtrust knows), each with the PCRs
 * of @want that it has.
 */
static int quote_selection(struct tpm *t, uint32_t want,
			   TPML_PCR_SELECTION *sel)
{
	TPMS_CAPABILITY_DATA *cap = NULL;
	TPMS_PCR_SELECTION *s, *d;
	TPMI_YES_NO more;
	unsigned int i, k;
	TSS2_RC rc;

	memset(sel, 0, sizeof(*sel));
	rc = Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
				ESYS_TR_NONE, TPM2_CAP_PCRS, 0, 1, &more, &cap);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(t, "cannot list the PCR banks", rc);
	for (i = 0; i < cap->data.assignedPCR.count &&
	     i < TPM2_NUM_PCR_BANKS; i++) {
		s = &cap->data.assignedPCR.pcrSelections[i];
		if (!vt_alg_by_tpm(s->hash))
			continue;
		d = &sel->pcrSelections[sel->count];
		d->hash = s->hash;
		d->sizeofSelect = 3;
		for (k = 0; k < VT_PCR_COUNT; k++)
			if ((want & (1U << k)) && selected(s, k))
				d->pcrSelect[k / 8] |= 1U << (k % 8);
		if (d->pcrSelect[0] || d->pcrSelect[1] || d->pcrSelect[2])
			sel->count++;
	}
	Esys_Free(cap);
	if (!sel->count) {
		vt_err(t->where, "no allocated PCR bank has the PCRs asked "
		       "for");
		return VT_EXIT_USAGE;
	}
	return 0;
}

/* Read the PCRs of @sel into @v, as many calls as the TPM needs. */
static int read_pcrs(struct tpm *t, const TPML_PCR_SELECTION *sel,
		     struct pcr_values *v)
{
	TPML_PCR_SELECTION rest, *got = NULL;
	TPML_DIGEST *values = NULL;
	const struct vt_alg *alg;
	unsigned int i, k, n, progress;
	UINT32 counter;
	TSS2_RC rc;

	memset(v->have, 0, sizeof(v->have));
	for (;;) {
		rest = *sel;
		n = 0;
		for (i = 0; i < rest.count; i++) {
			alg = vt_alg_by_tpm(rest.pcrSelections[i].hash);
			for (k = 0; k < VT_PCR_COUNT; k++)
				if (v->have[alg->id][k])
					rest.pcrSelections[i].pcrSelect[k / 8] &=
						~(1U << (k % 8));
				else if (selected(&rest.pcrSelections[i], k))
					n++;
		}
		if (!n)
			return 0;
		rc = Esys_PCR_Read(t->esys, ESYS_TR_NONE, ESYS_TR_NONE,
				   ESYS_TR_NONE, &rest, &counter, &got,
				   &values);
		if (rc != TSS2_RC_SUCCESS)
			return tpm_fail(t, "cannot read the PCRs", rc);
		progress = n = 0;
		for (i = 0; i < got->count; i++) {
			alg = vt_alg_by_tpm(got->pcrSelections[i].hash);
			for (k = 0; alg && k < VT_PCR_COUNT; k++) {
				if (!selected(&got->pcrSelections[i], k))
					continue;
				if (n >= values->count ||
				    values->digests[n].size != alg->size)
					break;
				memcpy(v->value[alg->id][k],
				       values->digests[n].buffer, alg->size);
				if (!v->have[alg->id][k])
					progress++;
				v->have[alg->id][k] = true;
				n++;
			}
		}
		Esys_Free(got);
		Esys_Free(values);
		got = NULL;
		values = NULL;
		if (!progress) {
			vt_err(t->where, "PCR_Read returns no more of the "
			       "quoted PCRs");
			return VT_EXIT_SYSTEM;
		}
	}
}

/* H(the values of @sel, bank by bank, PCRs in ascending order). */
static int pcr_digest(const TPML_PCR_SELECTION *sel,
		      const struct pcr_values *v, const struct vt_alg *h,
		      uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const struct vt_alg *alg;
	unsigned int i, k;
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_get_digestbyname(h->evp),
				      NULL);
	for (i = 0; ok && i < sel->count; i++) {
		alg = vt_alg_by_tpm(sel->pcrSelections[i].hash);
		for (k = 0; ok && k < VT_PCR_COUNT; k++)
			if (selected(&sel->pcrSelections[i], k))
				ok = EVP_DigestUpdate(ctx, v->value[alg->id][k],
						      alg->size);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* The hash of a quote's signature (every TPM signature names it first). */
static const struct vt_alg *sig_hash(const TPMT_SIGNATURE *sig)
{
	switch (sig->sigAlg) {
	case TPM2_ALG_RSASSA:
	case TPM2_ALG_RSAPSS:
		return vt_alg_by_tpm(sig->signature.rsassa.hash);
	case TPM2_ALG_ECDSA:
	case TPM2_ALG_SM2:
	case TPM2_ALG_ECSCHNORR:
	case TPM2_ALG_ECDAA:
		return vt_alg_by_tpm(sig->signature.ecdsa.hash);
	default:
		return NULL;
	}
}

struct quote {
	TPM2B_ATTEST *attest;
	TPMT_SIGNATURE *sig;
	TPMS_ATTEST info;	/* attest, unmarshalled */
	struct pcr_values pcrs;
};

static void quote_free(struct quote *q)
{
	Esys_Free(q->attest);
	Esys_Free(q->sig);
	q->attest = NULL;
	q->sig = NULL;
}

/*
 * Quote, then read the PCRs of the signed selection until they give the
 * quote's pcrDigest: an extend between the two calls changes them, and
 * then both are made again, up to QUOTE_TRIES times.
 */
static int quote_and_read(struct tpm *t, struct args *a, const struct key *ak,
			  const TPML_PCR_SELECTION *sel, struct quote *q)
{
	TPMT_SIG_SCHEME scheme = { .scheme = TPM2_ALG_NULL };
	TPM2B_DATA nonce = { .size = a->nonce_len };
	const TPMS_QUOTE_INFO *qi;
	const struct vt_alg *h;
	uint8_t digest[VT_DIGEST_MAX];
	unsigned int i;
	size_t off;
	TSS2_RC rc;
	int tries, ret;

	memcpy(nonce.buffer, a->nonce, a->nonce_len);
	for (tries = 0; tries < QUOTE_TRIES; tries++) {
		quote_free(q);
		rc = Esys_Quote(t->esys, ak->tr, ESYS_TR_PASSWORD, ESYS_TR_NONE,
				ESYS_TR_NONE, &nonce, &scheme, sel, &q->attest,
				&q->sig);
		if (rc != TSS2_RC_SUCCESS)
			return tpm_fail(t, "Quote failed", rc);
		off = 0;
		memset(&q->info, 0, sizeof(q->info));
		if (Tss2_MU_TPMS_ATTEST_Unmarshal(q->attest->attestationData,
						  q->attest->size, &off,
						  &q->info) ||
		    off != q->attest->size ||
		    q->info.magic != TPM2_GENERATED_VALUE ||
		    q->info.type != TPM2_ST_ATTEST_QUOTE) {
			vt_err(t->where, "the TPM's quote is not a TPMS_ATTEST "
			       "of a quote");
			return VT_EXIT_SYSTEM;
		}
		qi = &q->info.attested.quote;
		h = sig_hash(q->sig);
		if (!h || qi->pcrDigest.size != h->size) {
			vt_err(t->where, "the quote's signature hash is not "
			       "one vtrust knows");
			return VT_EXIT_SYSTEM;
		}
		for (i = 0; i < qi->pcrSelect.count; i++) {
			if (!vt_alg_by_tpm(qi->pcrSelect.pcrSelections[i].hash)) {
				vt_err(t->where, "the quote selects an "
				       "unknown bank");
				return VT_EXIT_SYSTEM;
			}
		}
		ret = read_pcrs(t, &qi->pcrSelect, &q->pcrs);
		if (ret)
			return ret;
		if (pcr_digest(&qi->pcrSelect, &q->pcrs, h, digest)) {
			vt_err("quote", "cannot hash the PCR values (OpenSSL)");
			return VT_EXIT_SYSTEM;
		}
		if (!memcmp(digest, qi->pcrDigest.buffer, h->size))
			return 0;
	}
	vt_err(t->where, "the PCRs changed between the quote and reading "
	       "them, %d times in a row (extends race the quote): try again",
	       QUOTE_TRIES);
	return VT_EXIT_SYSTEM;
}

/* A log file in base64 under @key; a missing file is null. */
static int add_log(json_object *logs, const char *key, const char *path,
		   bool optional)
{
	uint8_t *buf;
	size_t len;
	char *b64;
	int ret;

	ret = vt_read_file(path, LOG_MAX, &buf, &len);
	if (ret == -ENOENT) {
		if (!optional)
			json_object_object_add(logs, key, NULL);
		return 0;
	}
	if (ret) {
		vt_err(path, "%s", strerror(-ret));
		return VT_EXIT_SYSTEM;
	}
	b64 = base64(buf, len);
	free(buf);
	if (!b64) {
		vt_err(path, "out of memory");
		return VT_EXIT_SYSTEM;
	}
	json_object_object_add(logs, key, json_object_new_string(b64));
	free(b64);
	return 0;
}

#define LIST_NAME "binary_runtime_measurements"

/*
 * The firmware log, IMA's and vtrust's lists (and their per-bank files),
 * read after the quote: each holds at least what the quote covers.
 */
static json_object *read_logs(const char *root, int *ret)
{
	static const char *const dirs[] = { "ima", "vtrust" };
	json_object *logs = json_object_new_object();
	const struct vt_alg *alg;
	char path[PATH_MAX], key[32];
	const char *file;
	unsigned int d, i;

	*ret = VT_EXIT_SYSTEM;
	if (!logs)
		return NULL;
	if (vt_source_uefi_log(root, path, sizeof(path)))
		goto toolong;
	*ret = add_log(logs, "uefi", path, false);
	for (d = 0; !*ret && d < 2; d++) {
		if (vt_path(path, sizeof(path), root, VT_SECURITYFS "/%s/"
			    LIST_NAME, dirs[d]))
			goto toolong;
		*ret = add_log(logs, dirs[d], path, false);
		for (i = 0; !*ret && i < VT_ALG_COUNT; i++) {
			alg = &vt_algs[i];
			/* IMA names SM3 "sm3", vtrust "sm3_256"; try both */
			file = d == 0 ? alg->kname : alg->name;
			snprintf(key, sizeof(key), "%s_%s", dirs[d], alg->name);
			if (vt_path(path, sizeof(path), root, VT_SECURITYFS
				    "/%s/" LIST_NAME "_%s", dirs[d], file))
				goto toolong;
			if (!vt_exists(path) && vt_path(path, sizeof(path),
					root, VT_SECURITYFS "/%s/" LIST_NAME
					"_%s", dirs[d], d == 0 ? alg->name :
					alg->kname))
				goto toolong;
			*ret = add_log(logs, key, path, true);
		}
	}
	if (!*ret)
		return logs;
	json_object_put(logs);
	return NULL;
toolong:
	vt_err(root, "path too long");
	*ret = VT_EXIT_USAGE;
	json_object_put(logs);
	return NULL;
}

static json_object *pcrs_json(const struct quote *q)
{
	const TPML_PCR_SELECTION *sel = &q->info.attested.quote.pcrSelect;
	const struct vt_alg *alg;
	json_object *o = json_object_new_object(), *bank;
	char hex[2 * VT_DIGEST_MAX + 1], num[4];
	unsigned int i, k;

	for (i = 0; o && i < sel->count; i++) {
		alg = vt_alg_by_tpm(sel->pcrSelections[i].hash);
		bank = json_object_new_object();
		for (k = 0; k < VT_PCR_COUNT; k++) {
			if (!selected(&sel->pcrSelections[i], k))
				continue;
			vt_hex(hex, q->pcrs.value[alg->id][k], alg->size);
			snprintf(num, sizeof(num), "%u", k);
			json_object_object_add(bank, num,
					       json_object_new_string(hex));
		}
		json_object_object_add(o, alg->name, bank);
	}
	return o;
}

static json_object *bundle(struct args *a, const struct key *ak,
			   json_object *ek, const struct quote *q,
			   json_object *logs)
{
	uint8_t sig[sizeof(TPMT_SIGNATURE)];
	char hex[2 * NONCE_MAX + 1], when[32], handle[16];
	char *attest_b64, *sig_b64 = NULL;
	json_object *o, *akj, *qj, *col;
	size_t off = 0;
	time_t now = time(NULL);
	struct tm tm;

	akj = key_json(ak);
	if (!akj)
		return NULL;
	snprintf(handle, sizeof(handle), "0x%08x", a->handle);
	json_object_object_add(akj, "handle", json_object_new_string(handle));
	attest_b64 = base64(q->attest->attestationData, q->attest->size);
	if (!Tss2_MU_TPMT_SIGNATURE_Marshal(q->sig, sig, sizeof(sig), &off))
		sig_b64 = base64(sig, off);
	if (!attest_b64 || !sig_b64) {
		free(attest_b64);
		free(sig_b64);
		json_object_put(akj);
		vt_err("quote", "cannot encode the quote");
		return NULL;
	}
	qj = json_object_new_object();
	json_object_object_add(qj, "attest", json_object_new_string(attest_b64));
	json_object_object_add(qj, "signature", json_object_new_string(sig_b64));
	free(attest_b64);
	free(sig_b64);
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	col = json_object_new_object();
	json_object_object_add(col, "time", json_object_new_string(when));
	json_object_object_add(col, "tool",
			       json_object_new_string("vtrust " VTRUST_VERSION));
	vt_hex(hex, a->nonce, a->nonce_len);
	o = json_object_new_object();
	json_object_object_add(o, "format",
			       json_object_new_string("vtrust-evidence"));
	json_object_object_add(o, "version", json_object_new_int(1));
	json_object_object_add(o, "nonce", json_object_new_string(hex));
	json_object_object_add(o, "ak", akj);
	json_object_object_add(o, "quote", qj);
	json_object_object_add(o, "pcrs", pcrs_json(q));
	json_object_object_add(o, "logs", json_object_get(logs));
	json_object_object_add(o, "ek", json_object_get(ek));
	json_object_object_add(o, "collected", col);
	return o;
}

/* The EK of the bundle: the AK's parent, with its certificate. */
static json_object *ek_json(struct tpm *t, const struct key *ek)
{
	json_object *o = key_json(ek);
	uint8_t *der = NULL;
	char *pem = NULL;
	size_t len;

	if (!o)
		return NULL;
	if (ek_cert(t, ek_cert_index[ek->alg], &der, &len) ||
	    (der && !(pem = cert_pem(der, len)))) {
		free(der);
		json_object_put(o);
		return NULL;
	}
	json_object_object_del(o, "name");
	json_object_object_add(o, "certificate", jstr(pem));
	free(pem);
	free(der);
	return o;
}

static int quote(struct args *a)
{
	struct tpm t = { 0 };
	struct key ak = { .tr = ESYS_TR_NONE };
	struct key ek = { .tr = ESYS_TR_NONE };
	struct quote *q = NULL;
	TPML_PCR_SELECTION sel;
	json_object *ekj = NULL, *logs = NULL, *doc = NULL;
	const TPMA_OBJECT need = TPMA_OBJECT_RESTRICTED |
				 TPMA_OBJECT_SIGN_ENCRYPT;
	const char *text;
	int ret;

	ret = tpm_open(&t);
	if (ret)
		return ret;
	ret = key_at(&t, a->handle, &ak);
	if (ret)
		goto out;
	if ((ak.pub->publicArea.objectAttributes & need) != need) {
		vt_err(t.where, "the key at 0x%08x is not a restricted "
		       "signing key (an AK)", a->handle);
		ret = VT_EXIT_USAGE;
		goto out;
	}
	ret = ek_parent_of(&t, &ak, a->handle, &ek);
	if (ret)
		goto out;
	ekj = ek_json(&t, &ek);
	key_free(&t, &ek);
	if (!ekj) {
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	ret = quote_selection(&t, a->pcrs, &sel);
	if (ret)
		goto out;
	q = calloc(1, sizeof(*q));
	if (!q) {
		vt_err("quote", "out of memory");
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	ret = quote_and_read(&t, a, &ak, &sel, q);
	if (ret)
		goto out;
	logs = read_logs(a->root, &ret);
	if (!logs)
		goto out;
	doc = bundle(a, &ak, ekj, q, logs);
	if (!doc) {
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	if (a->capture) {
		*a->capture = json_object_get(doc);
		goto out;
	}
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	ret = write_atomic(a->out, text, strlen(text), 0644);
	if (ret) {
		vt_err(a->out, "%s", strerror(-ret));
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	printf("evidence: %s\n", a->out);
out:
	json_object_put(doc);
	json_object_put(logs);
	json_object_put(ekj);
	if (q)
		quote_free(q);
	free(q);
	key_free(&t, &ek);
	key_free(&t, &ak);
	tpm_close(&t);
	return ret;
}

/* ---- the command table ---- */

#define EXIT_HELP \
"\nExit status: 0 ok, 2 bad usage or input (no key at the handle, a\n" \
"credential not made for this AK), 3 system or TPM error.\n"
#define TCTI_HELP \
"The TPM is reached through tpm2-tss: $TPM2TOOLS_TCTI or $TCTI names the\n" \
"TCTI (default: tctildr's search, /dev/tpmrm0 first).\n"

static const char ek_show_help[] =
"Usage: vtrust ek show [--alg rsa|ecc|sm2] [--json]\n"
"\n"
"Print the endorsement key's public key (PEM), then its certificate (PEM)\n"
"if the TPM holds one in NV (0x01c00002 RSA, 0x01c0000a ECC, 0x01c0001a\n"
"SM2). The EK is the persistent one at 0x81010001 when it is of that\n"
"algorithm, else the one of the TCG default template (RSA 2048, ECC NIST\n"
"P-256; SM2 P-256 with SM3 and SM4 where the TPM has them), made with\n"
"CreatePrimary in the endorsement hierarchy and not kept.\n"
"\nOptions:\n"
"  --alg ALG            rsa (default), ecc or sm2\n"
"  --json               print public, certificate (or null), tpm2b_public\n"
"                       (base64), name (hex) and algorithm\n"
"  -h, --help           this text\n\n" TCTI_HELP EXIT_HELP;

static const char ak_create_help[] =
"Usage: vtrust ak create [--alg rsa|ecc|sm2] [--handle HEX] [--force]\n"
"                        [--json]\n"
"\n"
"Create an attestation key under the EK of the same algorithm (so that it\n"
"is in the endorsement hierarchy and quotes show the TPM's real reset and\n"
"restart counts), a restricted signing key (RSA 2048 RSASSA-SHA256, ECC\n"
"P-256 ECDSA-SHA256, SM2 with SM3) that only the TPM holds and that needs\n"
"no password, and make it persistent. Print its handle, name and public\n"
"key.\n"
"\nOptions:\n"
"  --alg ALG            rsa (default), ecc or sm2\n"
"  --handle HEX         the persistent handle (default 0x81010002)\n"
"  --force              evict what is at the handle first\n"
"  --json               print handle, name, public, algorithm, tpm2b_public\n"
"  -h, --help           this text\n\n" TCTI_HELP EXIT_HELP;

static const char ak_show_help[] =
"Usage: vtrust ak show [--handle HEX] [--json]\n"
"\n"
"Print the AK's handle, name (hex), algorithm and public key (PEM).\n"
"\nOptions:\n"
"  --handle HEX         the persistent handle (default 0x81010002)\n"
"  --json               print handle, name, public, algorithm and\n"
"                       tpm2b_public (base64 of the marshalled TPM2B_PUBLIC)\n"
"  -h, --help           this text\n\n" TCTI_HELP EXIT_HELP;

static const char credential_activate_help[] =
"Usage: vtrust credential activate FILE [--handle HEX] [--out FILE]\n"
"\n"
"Recover the secret of a credential made for the AK and its EK\n"
"(TPM2_ActivateCredential): only this TPM, holding both, can. FILE is in\n"
"tpm2_makecredential's format: the magic 0xbadcc0de and the version 1\n"
"(big-endian 32 bits each), then the TPM2B_ID_OBJECT and the\n"
"TPM2B_ENCRYPTED_SECRET as marshalled. The EK is found from the AK's\n"
"qualified name. The secret is printed in hex.\n"
"\nOptions:\n"
"  --handle HEX         the AK's persistent handle (default 0x81010002)\n"
"  --out FILE           write the secret's raw bytes to FILE (mode 0600)\n"
"  -h, --help           this text\n\n" TCTI_HELP EXIT_HELP;

static const char quote_help[] =
"Usage: vtrust quote --nonce HEX [--pcrs LIST] [--handle HEX] --out FILE\n"
"                    [--sysfs-root DIR]\n"
"\n"
"Quote PCRs with the AK, the nonce as qualifying data, in every bank the\n"
"TPM has allocated; read the quoted PCRs until their values give the\n"
"quote's digest (an extend in between makes quote and read again, up to\n"
"10 times); then read the firmware event log, IMA's and vtrust's lists\n"
"(and their per-bank files); write the evidence bundle, JSON, to FILE\n"
"atomically (see FORMATS.md, \"Evidence bundle\").\n"
"\nOptions:\n"
"  --nonce HEX          the verifier's nonce, 1 to 64 bytes\n"
"  --pcrs LIST          the PCRs, e.g. 0-7,10,11 (default 0-15)\n"
"  --handle HEX         the AK's persistent handle (default 0x81010002)\n"
"  --out FILE           where to write the bundle\n"
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
"  -h, --help           this text\n\n" TCTI_HELP EXIT_HELP;

struct sub {
	const char *cmd;
	const char *name;	/* NULL: the command has no subcommands */
	int (*run)(struct args *a);
	unsigned int options;	/* OPT_* */
	bool file;		/* takes FILE */
	const char *help;
};

static const struct sub subs[] = {
	{ "ek", "show", ek_show, OPT_ALG | OPT_JSON, false, ek_show_help },
	{ "ak", "create", ak_create, OPT_ALG | OPT_HANDLE | OPT_FORCE |
	  OPT_JSON, false, ak_create_help },
	{ "ak", "show", ak_show, OPT_HANDLE | OPT_JSON, false, ak_show_help },
	{ "credential", "activate", credential_activate, OPT_HANDLE | OPT_OUT,
	  true, credential_activate_help },
	{ "quote", NULL, quote, OPT_NONCE | OPT_PCRS | OPT_HANDLE | OPT_OUT |
	  OPT_SYSFS_ROOT, false, quote_help },
};

#define NR_SUBS (sizeof(subs) / sizeof(subs[0]))

static const char *option_name(unsigned int bit)
{
	unsigned int i;

	for (i = 0; options[i].name; i++)
		if ((unsigned int)options[i].val == bit)
			return options[i].name;
	return "?";
}

/* Returns 0, -1 after --help, or an exit code. */
static int parse(const struct sub *s, struct args *a, int argc, char *argv[])
{
	const char *cmd = a->cmd;
	unsigned int extra;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(s->help, stdout);
			return -1;
		case OPT_ALG:
			if (parse_alg(optarg, &a->alg))
				return vt_usage_err(cmd, "--alg: rsa, ecc or "
						    "sm2, not '%s'", optarg);
			break;
		case OPT_HANDLE:
			if (parse_handle(optarg, &a->handle))
				return vt_usage_err(cmd, "--handle: a "
						    "persistent handle, "
						    "0x81000000 to 0x817fffff, "
						    "not '%s'", optarg);
			break;
		case OPT_FORCE:
			break;
		case OPT_JSON:
			a->json = true;
			break;
		case OPT_OUT:
			if (!*optarg)
				return vt_usage_err(cmd, "--out: empty");
			a->out = optarg;
			break;
		case OPT_NONCE:
			if (parse_nonce(optarg, a))
				return vt_usage_err(cmd, "--nonce: 1 to %u bytes "
						    "in hex", NONCE_MAX);
			break;
		case OPT_PCRS:
			if (parse_pcrs(optarg, &a->pcrs))
				return vt_usage_err(cmd, "--pcrs: a list such "
						    "as 0-7,10 of PCRs 0 to "
						    "23, not '%s'", optarg);
			break;
		case OPT_SYSFS_ROOT:
			a->root = optarg;
			break;
		default:
			return vt_bad_option(cmd, c, argv);
		}
		if (c >= OPT_ALG && c <= OPT_SYSFS_ROOT)
			a->given |= c;
	}
	extra = a->given & ~s->options;
	if (extra)
		return vt_usage_err(cmd, "no --%s here",
				    option_name(extra & -extra));
	if (s->file) {
		if (optind >= argc)
			return vt_usage_err(cmd, "no FILE");
		a->file = argv[optind++];
	}
	if (optind < argc)
		return vt_usage_err(cmd, "unexpected argument '%s'",
				    argv[optind]);
	if (s->run == quote && !(a->given & OPT_NONCE))
		return vt_usage_err(cmd, "--nonce is required");
	if (s->run == quote && !a->out)
		return vt_usage_err(cmd, "--out is required");
	return 0;
}

static void json_error(int ret)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "error",
			       json_object_new_string(vt_last_error()));
	json_object_object_add(o, "exit", json_object_new_int(ret));
	print_json(o);
	json_object_put(o);
}

static int dispatch(const char *cmd, int argc, char *argv[])
{
	struct args a = {
		.alg = KEY_RSA,
		.handle = VT_AK_HANDLE,
		.pcrs = 0xffff,
		.root = "/",
	};
	const struct sub *s = NULL;
	char name[64];
	unsigned int i;
	int ret;

	for (i = 0; i < NR_SUBS; i++) {
		if (strcmp(subs[i].cmd, cmd))
			continue;
		if (!subs[i].name) {
			s = &subs[i];
			break;
		}
		if (argc >= 2 && !strcmp(argv[1], subs[i].name)) {
			s = &subs[i];
			argc--;
			argv++;
			break;
		}
	}
	if (!s) {
		if (argc >= 2 && (!strcmp(argv[1], "-h") ||
				  !strcmp(argv[1], "--help"))) {
			for (i = 0; i < NR_SUBS; i++)
				if (!strcmp(subs[i].cmd, cmd))
					fputs(subs[i].help, stdout);
			return VT_EXIT_OK;
		}
		if (argc < 2 || argv[1][0] == '-')
			return vt_usage_err(cmd, "no subcommand");
		return vt_usage_err(cmd, "unknown subcommand '%s'", argv[1]);
	}
	snprintf(name, sizeof(name), "%s%s%s", cmd, s->name ? " " : "",
		 s->name ? s->name : "");
	a.cmd = name;
	ret = parse(s, &a, argc, argv);
	if (ret < 0)
		return VT_EXIT_OK;
	if (!ret)
		ret = s->run(&a);
	if (ret && a.json)
		json_error(ret);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err(name, "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret;
}

int cmd_ek(int argc, char *argv[])
{
	return dispatch("ek", argc, argv);
}

int cmd_ak(int argc, char *argv[])
{
	return dispatch("ak", argc, argv);
}

int vt_credential_activate(int argc, char *argv[])
{
	return dispatch("credential", argc, argv);
}

int cmd_quote(int argc, char *argv[])
{
	return dispatch("quote", argc, argv);
}

/* ---- the agent's calls ---- */

static int agent_args(struct args *a, const char *cmd, const char *alg)
{
	*a = (struct args){
		.cmd = cmd, .alg = KEY_RSA, .handle = VT_AK_HANDLE,
		.pcrs = 0xffff, .root = "/", .json = true,
	};
	if (alg && parse_alg(alg, &a->alg)) {
		vt_err(cmd, "unknown algorithm '%s' (rsa, ecc, sm2)", alg);
		return VT_EXIT_USAGE;
	}
	return 0;
}

int vt_attest_ek(const char *alg, json_object **ek)
{
	struct args a;
	int ret = agent_args(&a, "ek show", alg);

	*ek = NULL;
	a.capture = ek;
	return ret ? ret : ek_show(&a);
}

int vt_attest_ak(const char *alg, bool create, json_object **ak)
{
	struct args a;
	int ret = agent_args(&a, create ? "ak create" : "ak show", alg);

	*ak = NULL;
	a.capture = ak;
	return ret ? ret : create ? ak_create(&a) : ak_show(&a);
}

int vt_attest_activate(const char *cred, uint8_t *secret, size_t *len)
{
	struct args a;
	int ret = agent_args(&a, "credential activate", NULL);

	a.file = cred;
	a.secret = secret;
	a.secret_len = len;
	return ret ? ret : credential_activate(&a);
}

int vt_attest_quote(const uint8_t *nonce, size_t len, const char *root,
		    json_object **bundle)
{
	struct args a;
	int ret = agent_args(&a, "quote", NULL);

	*bundle = NULL;
	if (ret)
		return ret;
	if (!len || len > sizeof(a.nonce)) {
		vt_err("quote", "a nonce of 1 to %zu bytes", sizeof(a.nonce));
		return VT_EXIT_USAGE;
	}
	memcpy(a.nonce, nonce, len);
	a.nonce_len = len;
	a.root = root ? root : "/";
	a.capture = bundle;
	return quote(&a);
}
