// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrustd's API under /v1 (docs/SERVICE.md), one handler per route:
 *
 *   POST /v1/enrol                  agent: EK and AK in, a credential out
 *   POST /v1/enrol/activate         agent: the credential's secret back
 *   POST /v1/instances/{}/challenge agent: a nonce for the next quote
 *   POST /v1/instances/{}/evidence?nonce=HEX
 *                                   agent: the bundle answering it; the
 *                                   first boot becomes the baseline
 *   POST /v1/instances/{}/accept    operator: the latest untrusted boot's
 *                                   differences into a new baseline
 *   POST /v1/instances/{}/revoke    operator: an accepted difference or a
 *                                   digest taken back (a new version)
 *   GET  /v1/instances              operator: every instance, its verdict
 *   GET  /v1/instances/{}           operator: one instance
 *
 * Enrolment binds an instance id to an EK and an AK: the AK's public area
 * must be an attestation key's (restricted signing, fixedTPM, ...), the
 * credential is made for the EK and the AK's Name in software, and the
 * instance exists only once its secret came back; an id enrolled with
 * other keys is refused, never replaced.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "akcache.h"
#include "appraise.h"
#include "baseline.h"
#include "compare.h"
#include "ear.h"
#include "evidence.h"
#include "hex.h"
#include "http.h"
#include "makecred.h"
#include "quote.h"
#include "store.h"
#include "tpm2s.h"
#include "util.h"
#include "vtrust.h"

#define ENROL_TTL	300	/* seconds to activate the credential */
#define CHALLENGE_TTL	300	/* seconds to answer a challenge */
#define INTERVAL	3600	/* default seconds between attestations */
#define MAX_INTERVAL	(7 * 86400)
#define SECRET_BYTES	32
#define EVIDENCE_MAX	(32u << 20)	/* bytes of bundle */
#define BOOTS_SHOWN	50

static const char *str_of(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* A nested object with only @known keys, or NULL after a 400. */
static json_object *sub_object(json_object *o, const char *key,
			       const char *const *known, struct vt_resp *resp)
{
	json_object *v;
	unsigned int i;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object)) {
		vt_resp_error(resp, 400, "\"%s\" must be an object", key);
		return NULL;
	}
	json_object_object_foreach(v, k, val) {
		(void)val;
		for (i = 0; known[i]; i++)
			if (!strcmp(k, known[i]))
				break;
		if (!known[i]) {
			vt_resp_error(resp, 400, "unknown field \"%s.%.64s\"",
				      key, k);
			return NULL;
		}
	}
	return v;
}

/* A base64 TPM2B_PUBLIC into @buf and @pub; 0, or -1 after a 400. */
static int public_of(const char *b64, const char *what, uint8_t *buf,
		     size_t room, size_t *len, struct vt_tpm_public *pub,
		     struct vt_resp *resp)
{
	char why[160];
	long n;

	if (!b64 || strlen(b64) / 4 * 3 > room) {
		vt_resp_error(resp, 400, "%s.tpm2b_public: missing or too long",
			      what);
		return -1;
	}
	n = vt_base64_decode(b64, strlen(b64), buf);
	if (n < 0) {
		vt_resp_error(resp, 400, "%s.tpm2b_public: not base64", what);
		return -1;
	}
	*len = n;
	if (vt_tpm_public_parse(buf, n, pub, why, sizeof(why))) {
		vt_resp_error(resp, 400, "%s.tpm2b_public: %s", what, why);
		return -1;
	}
	return 0;
}

/* The fingerprint of @pub's key: SHA-256 of its SubjectPublicKeyInfo
 * (DER), hex. 0, or -1. Two TPMT_PUBLICs of one key (other attributes or
 * policy) have the same. */
static int key_print(const struct vt_tpm_public *pub, char hex[65])
{
	EVP_PKEY *k = vt_tpm_public_pkey_unchecked(pub);
	unsigned char *der = NULL;
	int n = k ? i2d_PUBKEY(k, &der) : -1;

	if (n > 0)
		vt_sha256_hex(der, (size_t)n, hex);
	OPENSSL_free(der);
	EVP_PKEY_free(k);
	return n > 0 ? 0 : -1;
}

/* The certificate (PEM) holds the EK's key. */
static int cert_matches(const char *pem, const struct vt_tpm_public *ek)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	EVP_PKEY *k = vt_tpm_public_pkey_unchecked(ek);
	int ok = x && k && EVP_PKEY_eq(X509_get0_pubkey(x), k) == 1;

	EVP_PKEY_free(k);
	X509_free(x);
	BIO_free(bio);
	return ok ? 0 : -1;
}

static void db_failed(struct vt_db *db, int ret, struct vt_resp *resp)
{
	if (ret == VT_DB_DOWN || ret == VT_DB_BUSY)
		vt_resp_error(resp, 503, "the database is not there: %s",
			      vt_db_error(db));
	else
		vt_resp_error(resp, 500, "database: %s", vt_db_error(db));
}

static void enrol(struct vt_srv *srv, struct vt_db *db, struct vt_req *req,
		  struct vt_resp *resp)
{
	static const char *const top[] = { "id", "ek", "ak", NULL };
	static const char *const ek_keys[] = { "tpm2b_public", "certificate",
					       NULL };
	static const char *const ak_keys[] = { "tpm2b_public", NULL };
	uint8_t ekb[1024], akb[1024], name[VT_TPM_NAME_MAX], secret[SECRET_BYTES];
	struct vt_tpm_public *ek = NULL, *ak = NULL;
	struct vt_instance in = { 0 }, old = { 0 };
	char nonce[VT_NONCE_HEX], hash[65], why[160], name_hex[2 * VT_TPM_NAME_MAX + 1];
	json_object *o, *eko, *ako, *out;
	size_t ek_len, ak_len, name_len = sizeof(name), file_len;
	uint8_t *file = NULL;
	char *b64 = NULL;
	const char *id, *cert;
	int ret;

	o = vt_req_json(req, resp, top);
	if (!o)
		return;
	id = str_of(o, "id");
	if (!id || !vt_instance_id_ok(id)) {
		vt_resp_error(resp, 400, "\"id\": 1 to 64 of A-Z a-z 0-9 . _ -");
		goto out;
	}
	eko = sub_object(o, "ek", ek_keys, resp);
	ako = eko ? sub_object(o, "ak", ak_keys, resp) : NULL;
	if (!ako)
		goto out;
	ek = malloc(sizeof(*ek));
	ak = malloc(sizeof(*ak));
	if (!ek || !ak) {
		vt_resp_error(resp, 500, "out of memory");
		goto out;
	}
	if (public_of(str_of(eko, "tpm2b_public"), "ek", ekb, sizeof(ekb),
		      &ek_len, ek, resp) ||
	    public_of(str_of(ako, "tpm2b_public"), "ak", akb, sizeof(akb),
		      &ak_len, ak, resp))
		goto out;
	if (vt_quote_ak_check(ak, why, sizeof(why))) {
		vt_resp_error(resp, 400, "ak: not an attestation key: %s", why);
		goto out;
	}
	cert = str_of(eko, "certificate");
	if (cert && cert_matches(cert, ek)) {
		vt_resp_error(resp, 400, "ek.certificate: not a PEM certificate "
			      "of this EK");
		goto out;
	}
	if (vt_tpm_name(ak, name, &name_len)) {
		vt_resp_error(resp, 400, "ak: no Name");
		goto out;
	}
	vt_hex(name_hex, name, name_len);
	if (key_print(ek, in.ek_key) || key_print(ak, in.ak_key)) {
		vt_resp_error(resp, 400, "ek, ak: not public keys");
		goto out;
	}
	snprintf(in.id, sizeof(in.id), "%s", id);
	in.ek_public = (char *)str_of(eko, "tpm2b_public");
	in.ek_certificate = (char *)cert;
	in.ak_public = (char *)str_of(ako, "tpm2b_public");
	in.ak_name = name_hex;
	/* an id is enrolled once: the same keys again are fine */
	ret = vt_store_instance_get(db, id, &old);
	if (!ret) {
		if (strcmp(old.ek_public, in.ek_public) ||
		    strcmp(old.ak_public, in.ak_public))
			vt_resp_error(resp, 409, "%s is enrolled with another "
				      "EK or AK", id);
		else
			vt_resp_error(resp, 409, "%s is enrolled already", id);
		vt_instance_free(&old);
		goto out;
	} else if (ret != VT_STORE_UNKNOWN) {
		db_failed(db, ret, resp);
		goto out;
	}
	/* and an EK or AK is one instance's: a clone of another's TPM is
	 * not a new instance */
	ret = vt_store_instance_of_keys(db, in.ek_key, in.ak_key, old.id);
	if (!ret) {
		vt_resp_error(resp, 409, "this EK or AK is enrolled as %s",
			      old.id);
		goto out;
	} else if (ret != VT_STORE_UNKNOWN) {
		db_failed(db, ret, resp);
		goto out;
	}
	if (getrandom(secret, sizeof(secret), 0) != sizeof(secret) ||
	    vt_makecred_file(ekb, ek_len, name, name_len, secret,
			     sizeof(secret), &file, &file_len, why,
			     sizeof(why))) {
		vt_resp_error(resp, 400, "ek: no credential can be made for "
			      "it: %s", why);
		goto out;
	}
	vt_sha256_hex(secret, sizeof(secret), hash);
	in.secret_hash = hash;
	if (getrandom(secret, sizeof(secret), 0) != sizeof(secret))
		goto out;
	vt_hex(nonce, secret, sizeof(secret));
	ret = vt_store_enrol_begin(db, nonce, &in, srv->now() + ENROL_TTL);
	if (ret) {
		db_failed(db, ret, resp);
		goto out;
	}
	b64 = malloc(4 * ((file_len + 2) / 3) + 1);
	if (!b64)
		goto out;
	EVP_EncodeBlock((unsigned char *)b64, file, file_len);
	out = json_object_new_object();
	json_object_object_add(out, "nonce", json_object_new_string(nonce));
	json_object_object_add(out, "credential", json_object_new_string(b64));
	json_object_object_add(out, "ak_name", json_object_new_string(name_hex));
	json_object_object_add(out, "expires_in",
			       json_object_new_int(ENROL_TTL));
	resp->status = 201;
	resp->json = out;
out:
	free(b64);
	free(file);
	free(ek);
	free(ak);
	json_object_put(o);
}

/* The fingerprints of an enrolment's EK and AK (checked at enrol): 0, or
 * -1 after a 500. */
static int keys_of(struct vt_instance *in, struct vt_resp *resp)
{
	struct vt_tpm_public *pub = malloc(sizeof(*pub));
	uint8_t buf[1024];
	size_t len;
	int ret = -1;

	if (pub &&
	    !public_of(in->ek_public, "ek", buf, sizeof(buf), &len, pub,
		       resp) && !key_print(pub, in->ek_key) &&
	    !public_of(in->ak_public, "ak", buf, sizeof(buf), &len, pub,
		       resp) && !key_print(pub, in->ak_key))
		ret = 0;
	free(pub);
	if (ret)
		vt_resp_error(resp, 500, "the enrolment's keys cannot be read");
	return ret;
}

static void activate(struct vt_srv *srv, struct vt_db *db, struct vt_req *req,
		     struct vt_resp *resp)
{
	static const char *const top[] = { "nonce", "secret", "interval",
					   NULL };
	uint8_t secret[SECRET_BYTES];
	struct vt_instance in;
	const char *nonce, *hex;
	json_object *o, *out, *iv;
	int64_t interval = INTERVAL;
	char hash[65];
	int ret;

	o = vt_req_json(req, resp, top);
	if (!o)
		return;
	/* how often the agent attests: unmeasured after two of them */
	if (json_object_object_get_ex(o, "interval", &iv)) {
		interval = json_object_is_type(iv, json_type_int) ?
			   json_object_get_int64(iv) : 0;
		if (interval < 1 || interval > MAX_INTERVAL) {
			vt_resp_error(resp, 400, "\"interval\": seconds, 1 to %d",
				      MAX_INTERVAL);
			goto out;
		}
	}
	nonce = str_of(o, "nonce");
	hex = str_of(o, "secret");
	if (!nonce || !hex || strlen(hex) != 2 * SECRET_BYTES ||
	    vt_unhex(secret, sizeof(secret), hex, strlen(hex))) {
		vt_resp_error(resp, 400, "\"nonce\" and \"secret\" (%u bytes "
			      "in hex) are needed", SECRET_BYTES);
		goto out;
	}
	ret = vt_store_enrol_take(db, nonce, srv->now(), &in);
	if (ret == VT_STORE_UNKNOWN || ret == VT_STORE_EXPIRED) {
		vt_resp_error(resp, ret == VT_STORE_UNKNOWN ? 404 : 410,
			      "no enrolment under this nonce (%s): enrol again",
			      ret == VT_STORE_UNKNOWN ? "unknown or used" :
			      "expired");
		goto out;
	}
	if (ret) {
		db_failed(db, ret, resp);
		goto out;
	}
	vt_sha256_hex(secret, sizeof(secret), hash);
	if (strcmp(hash, in.secret_hash)) {
		vt_resp_error(resp, 403, "not the credential's secret: the "
			      "enrolment is over, enrol again");
		goto free_in;
	}
	in.when = srv->now();
	in.interval = interval;
	if (keys_of(&in, resp))
		goto free_in;
	ret = vt_store_instance_add(db, &in);
	if (ret == VT_DB_CONFLICT) {
		/* enrolled meanwhile, under this id or another */
		vt_resp_error(resp, 409, "%s, or its EK or AK, is enrolled "
			      "already", in.id);
		goto free_in;
	}
	if (ret) {
		db_failed(db, ret, resp);
		goto free_in;
	}
	out = json_object_new_object();
	json_object_object_add(out, "id", json_object_new_string(in.id));
	json_object_object_add(out, "enrolled", json_object_new_boolean(1));
	resp->json = out;
	resp->status = 200;
free_in:
	vt_instance_free(&in);
out:
	json_object_put(o);
}

/* The instance the path names: 0, or -1 after a 404 or 503 answer. */
static int instance_of(struct vt_db *db, struct vt_req *req,
		       struct vt_resp *resp, struct vt_instance *in)
{
	int ret = vt_store_instance_get(db, req->arg, in);

	if (ret == VT_STORE_UNKNOWN)
		vt_resp_error(resp, 404, "no instance %.64s", req->arg);
	else if (ret)
		db_failed(db, ret, resp);
	return ret ? -1 : 0;
}

static void challenge(struct vt_srv *srv, struct vt_db *db,
		      struct vt_req *req, struct vt_resp *resp)
{
	char nonce[VT_NONCE_HEX];
	struct vt_instance in;
	json_object *out;
	int ret;

	if (instance_of(db, req, resp, &in))
		return;
	vt_instance_free(&in);
	ret = vt_store_challenge_new(db, req->arg, "evidence", srv->now(),
				     CHALLENGE_TTL, nonce);
	if (ret) {
		db_failed(db, ret, resp);
		return;
	}
	out = json_object_new_object();
	json_object_object_add(out, "nonce", json_object_new_string(nonce));
	json_object_object_add(out, "expires_in",
			       json_object_new_int(CHALLENGE_TTL));
	resp->json = out;
	resp->status = 201;
}

/*
 * The instance's current baseline, loaded: 0 and *@doc, VT_STORE_UNKNOWN
 * (none yet; nothing answered), or -1 after a 500 or 503 answer.
 */
static int current_baseline(struct vt_db *db, const char *id, int *version,
			    json_object **doc, struct vt_resp *resp)
{
	char why[256], *text = NULL;
	int ret;

	*doc = NULL;
	ret = vt_store_baseline_current(db, id, version, &text);
	if (ret == VT_STORE_UNKNOWN)
		return ret;
	if (ret) {
		db_failed(db, ret, resp);
		return -1;
	}
	ret = vt_baseline_parse(text, strlen(text), doc, why, sizeof(why));
	free(text);
	if (ret) {
		vt_resp_error(resp, 500, "the stored baseline: %s", why);
		return -1;
	}
	return 0;
}

/*
 * The first boot after enrolment, verified (valid), becomes baseline
 * version 1: its text (malloc'd), or NULL after an answer.
 */
static char *first_baseline(const char *id, struct vt_appraisal *a,
			    struct vt_resp *resp)
{
	char why[256], *text;
	size_t len;

	if (vt_baseline_first(a->boot, "the first boot after enrolment", id,
			      NULL)) {
		vt_resp_error(resp, 500, "out of memory");
		return NULL;
	}
	text = vt_baseline_text(a->boot, &len, why, sizeof(why));
	if (!text)
		vt_resp_error(resp, 500, "the baseline of this boot: %s", why);
	return text;
}

/*
 * One transaction: the first baseline (@first, if not NULL), the
 * attestation with its result @j, and what an operator may accept (this
 * boot, if it differs; nothing, after a trusted one). 0, or -1 after an
 * answer.
 */
static int record(struct vt_srv *srv, struct vt_db *db, const char *id,
		  const char *nonce, const char *first, const char *verdict,
		  int64_t reset, json_object *j, struct vt_appraisal *a,
		  struct vt_resp *resp)
{
	char set_id[17];
	int ret;

	ret = vt_db_begin(db);
	if (!ret && first)
		ret = vt_store_baseline_add(db, id, 1, first, srv->now(),
					    "the first boot after enrolment");
	if (!ret)
		ret = vt_store_attestation_add(db, nonce, id, srv->now(),
					       verdict, reset,
					       json_object_to_json_string_ext(
						       j,
						       JSON_C_TO_STRING_PLAIN));
	if (!ret && !strcmp(verdict, "untrusted") && a->compared && a->boot &&
	    !vt_diffs_set_id(&a->diffs, set_id))
		ret = vt_store_pending_set(db, id, nonce, set_id,
					   json_object_to_json_string_ext(
						   a->boot,
						   JSON_C_TO_STRING_PLAIN),
					   srv->now());
	else if (!ret && !strcmp(verdict, "trusted"))
		ret = vt_store_pending_clear(db, id);
	if (!ret)
		ret = vt_db_commit(db);
	if (!ret)
		return 0;
	vt_db_rollback(db);
	if (first && ret == VT_DB_CONFLICT)
		/* another attestation recorded one first: judge again */
		vt_resp_error(resp, 503, "a baseline was recorded meanwhile: "
			      "take a new challenge");
	else
		db_failed(db, ret, resp);
	return -1;
}

static void evidence(struct vt_srv *srv, struct vt_db *db,
		     struct vt_req *req, struct vt_resp *resp)
{
	struct vt_appraise_opts o = { 0 };
	struct vt_appraisal a = { 0 };
	struct vt_instance in = { 0 };
	struct vt_tpm_public *ak = NULL;
	uint8_t nonce[VT_NONCE_BYTES];
	char inst[72], purpose[16], *ear, *first = NULL;
	json_object *doc = NULL, *j, *claims;
	int64_t reset = -1;
	const char *verdict;
	int ret, version;
	bool appraised = false;

	if (strlen(req->nonce) != 2 * VT_NONCE_BYTES ||
	    vt_unhex(nonce, sizeof(nonce), req->nonce, strlen(req->nonce))) {
		vt_resp_error(resp, 400, "?nonce=: the challenge's %u bytes in "
			      "hex", VT_NONCE_BYTES);
		return;
	}
	/* the challenge is used here, whatever the evidence is worth */
	ret = vt_store_challenge_take(db, req->nonce, srv->now(), inst,
				      sizeof(inst), purpose, sizeof(purpose));
	if (ret == VT_STORE_UNKNOWN || ret == VT_STORE_EXPIRED) {
		vt_resp_error(resp, ret == VT_STORE_UNKNOWN ? 404 : 410,
			      "no challenge %s (%s): take a new one",
			      req->nonce, ret == VT_STORE_UNKNOWN ?
			      "unknown or used" : "expired");
		return;
	}
	if (ret) {
		db_failed(db, ret, resp);
		return;
	}
	if (strcmp(inst, req->arg) || strcmp(purpose, "evidence")) {
		vt_resp_error(resp, 403, "the challenge is not one for "
			      "evidence of %.64s", req->arg);
		return;
	}
	if (instance_of(db, req, resp, &in))
		return;
	ak = malloc(sizeof(*ak));
	if (!ak || vt_akcache_get(in.ak_public, ak, &o.ak_key)) {
		vt_resp_error(resp, 500, "the enrolled AK cannot be read");
		goto out;
	}
	o.ak = ak;
	o.nonce = nonce;
	o.nonce_len = sizeof(nonce);
	if (current_baseline(db, in.id, &version, &doc, resp) < 0)
		goto out;
	o.baseline = doc;
	ret = vt_appraise(req->body ? req->body : "", req->len, &o, &a);
	appraised = true;
	if (ret == VT_EXIT_SYSTEM || !a.result || !strcmp(a.result, "error")) {
		vt_resp_error(resp, 500, "the verifier failed");
		goto out;
	}
	if (!doc && !strcmp(a.result, "valid")) {
		first = first_baseline(in.id, &a, resp);
		if (!first)
			goto out;
		a.result = "trusted";
	}
	verdict = !strcmp(a.result, "trusted") ? "trusted" :
		  !strcmp(a.result, "untrusted") ? "untrusted" : "invalid";
	/* the boot, if the TPM signed it */
	if (a.quote.checks[VT_QC_SIGNATURE].state == VT_CHECK_PASS)
		reset = a.quote.attest.reset_count;
	j = vt_appraisal_json(&a);
	if (!j) {
		vt_resp_error(resp, 500, "out of memory");
		goto out;
	}
	json_object_object_add(j, "verdict", json_object_new_string(verdict));
	json_object_object_add(j, "baseline_version",
			       json_object_new_int(doc ? version : 1));
	/* the result for relying parties, signed */
	claims = vt_ear_claims(in.id, verdict, reset,
			       json_object_object_get(j, "stages"), req->nonce,
			       srv->now());
	ear = claims ? vt_ear_sign(srv->ear_key, srv->kid, claims) : NULL;
	json_object_put(claims);
	if (!ear) {
		json_object_put(j);
		vt_resp_error(resp, 500, "cannot sign the result");
		goto out;
	}
	json_object_object_add(j, "ear", json_object_new_string(ear));
	free(ear);
	if (record(srv, db, in.id, req->nonce, first, verdict, reset, j, &a,
		   resp)) {
		json_object_put(j);
		goto out;
	}
	resp->json = j;
	resp->status = 200;
out:
	if (appraised)
		vt_appraisal_free(&a);
	EVP_PKEY_free(o.ak_key);
	json_object_put(doc);
	free(first);
	free(ak);
	vt_instance_free(&in);
}

/*
 * @base (changed from version @version) as the next version of @id's
 * baseline, the old one retired, in one transaction (and the pending boot
 * cleared, after an accept). 0, or -1 after an answer: 409 when the
 * baseline changed meanwhile.
 */
static int new_version(struct vt_srv *srv, struct vt_db *db, const char *id,
		       int version, json_object *base, const char *reason,
		       bool clear_pending, struct vt_resp *resp)
{
	char why[256], *text;
	size_t len;
	int ret;

	text = vt_baseline_text(base, &len, why, sizeof(why));
	if (!text) {
		vt_resp_error(resp, 500, "the new baseline: %s", why);
		return -1;
	}
	ret = vt_db_begin(db);
	if (!ret)
		ret = vt_store_baseline_retire(db, id, version, srv->now());
	if (!ret)
		ret = vt_store_baseline_add(db, id, version + 1, text,
					    srv->now(), reason);
	if (!ret && clear_pending)
		ret = vt_store_pending_clear(db, id);
	if (!ret)
		ret = vt_db_commit(db);
	free(text);
	if (!ret)
		return 0;
	vt_db_rollback(db);
	if (ret == VT_STORE_UNKNOWN || ret == VT_DB_CONFLICT)
		vt_resp_error(resp, 409, "the baseline changed meanwhile: "
			      "look again");
	else
		db_failed(db, ret, resp);
	return -1;
}

/*
 * Accept differences of the instance's latest untrusted boot into its
 * baseline: a new version, the old one retired, in one transaction.
 */
static void accept_diffs(struct vt_srv *srv, struct vt_db *db,
			 struct vt_req *req, struct vt_resp *resp)
{
	static const char *const top[] = { "all", "set", "event", "reason",
					   "keep_old", NULL };
	struct vt_accept_req r = { .quiet = true };
	json_object *o, *v, *base = NULL, *cur = NULL, *records = NULL;
	json_object *replaced = NULL, *out;
	char *set_id = NULL, *boot = NULL;
	const char *event;
	char why[256];
	int ret, version;

	o = vt_req_json(req, resp, top);
	if (!o)
		return;
	r.all = json_object_object_get_ex(o, "all", &v) &&
		json_object_get_boolean(v);
	r.keep_old = json_object_object_get_ex(o, "keep_old", &v) &&
		     json_object_get_boolean(v);
	r.reason = str_of(o, "reason");
	event = str_of(o, "event");
	if (!r.reason || !*r.reason || r.all == !!event) {
		vt_resp_error(resp, 400, "{\"all\": true} or {\"event\": ID}, "
			      "and a \"reason\"");
		goto out;
	}
	if (event) {
		r.events = &event;
		r.nr_events = 1;
	}
	ret = vt_store_pending_get(db, req->arg, &set_id, &boot);
	if (ret == VT_STORE_UNKNOWN) {
		vt_resp_error(resp, 409, "%.64s has no untrusted boot to accept",
			      req->arg);
		goto out;
	}
	if (ret) {
		db_failed(db, ret, resp);
		goto out;
	}
	/* --all of the CLI: the set the operator saw, if given */
	r.set = str_of(o, "set") ? str_of(o, "set") : set_id;
	ret = current_baseline(db, req->arg, &version, &base, resp);
	if (ret == VT_STORE_UNKNOWN)
		vt_resp_error(resp, 500, "%.64s has an untrusted boot but no "
			      "baseline", req->arg);
	if (ret)
		goto out;
	cur = json_tokener_parse(boot);
	if (!cur || vt_baseline_sets(cur, why, sizeof(why))) {
		vt_resp_error(resp, 500, "the stored boot: %s",
			      cur ? why : "not JSON");
		goto out;
	}
	vt_quiet_push();
	ret = vt_baseline_accept(base, cur, &r, &records, &replaced);
	vt_quiet_pop();
	if (ret) {
		vt_resp_error(resp, ret == VT_EXIT_SYSTEM ? 500 : 409, "%s",
			      vt_last_error());
		goto out;
	}
	if (!json_object_array_length(records)) {
		vt_resp_error(resp, 409, "nothing to accept: the boot is as in "
			      "the baseline");
		goto out;
	}
	if (new_version(srv, db, req->arg, version, base, r.reason, true,
			resp))
		goto out;
	out = json_object_new_object();
	json_object_object_add(out, "accepted", json_object_get(records));
	json_object_object_add(out, "replaced", json_object_get(replaced));
	json_object_object_add(out, "baseline_version",
			       json_object_new_int(version + 1));
	resp->json = out;
	resp->status = 200;
out:
	json_object_put(records);
	json_object_put(replaced);
	json_object_put(base);
	json_object_put(cur);
	free(set_id);
	free(boot);
	json_object_put(o);
}

/*
 * Take trust back: an accepted difference ({"event": ID}) or a component
 * digest ({"digest": "ALGO:HEX"}), as 'vtrust baseline revoke' does, into a
 * new baseline version.
 */
static void revoke_trust(struct vt_srv *srv, struct vt_db *db,
			 struct vt_req *req, struct vt_resp *resp)
{
	static const char *const top[] = { "event", "digest", "reason", NULL };
	json_object *o, *base = NULL, *records = NULL, *out;
	const char *event, *digest, *reason;
	int ret, version;

	o = vt_req_json(req, resp, top);
	if (!o)
		return;
	event = str_of(o, "event");
	digest = str_of(o, "digest");
	reason = str_of(o, "reason");
	if (!reason || !*reason || !event == !digest ||
	    (digest && !strchr(digest, ':'))) {
		vt_resp_error(resp, 400, "{\"event\": ID} or {\"digest\": "
			      "\"ALGO:HEX\"}, and a \"reason\"");
		goto out;
	}
	ret = current_baseline(db, req->arg, &version, &base, resp);
	if (ret == VT_STORE_UNKNOWN)
		vt_resp_error(resp, 404, "%.64s has no baseline", req->arg);
	if (ret)
		goto out;
	vt_quiet_push();
	ret = vt_baseline_revoke(base, event, digest, reason, &records);
	vt_quiet_pop();
	if (ret) {
		vt_resp_error(resp, ret == VT_EXIT_SYSTEM ? 500 : 409, "%s",
			      vt_last_error());
		goto out;
	}
	if (new_version(srv, db, req->arg, version, base, reason, false, resp))
		goto out;
	out = json_object_new_object();
	json_object_object_add(out, "revoked", json_object_get(records));
	json_object_object_add(out, "baseline_version",
			       json_object_new_int(version + 1));
	resp->json = out;
	resp->status = 200;
out:
	json_object_put(records);
	json_object_put(base);
	json_object_put(o);
}

/*
 * An instance's verdict: its latest attestation's, or "unmeasured" when it
 * has none or its latest is older than two of its intervals (it went
 * quiet).
 */
static const char *verdict_of(const struct vt_instance *in, int64_t now)
{
	if (!in->verdict[0] || in->last < 0 ||
	    now - in->last > 2 * in->interval)
		return "unmeasured";
	return in->verdict;
}

/*
 * Since when the instance's verdict has been the one it is: the first of
 * its latest run of attestations with that verdict; for "unmeasured", its
 * enrolment if it never attested, else the time it went quiet (two
 * intervals after its latest attestation).
 */
static int64_t verdict_since(const struct vt_instance *in,
			     const char *verdict)
{
	if (strcmp(verdict, "unmeasured"))
		return in->since;
	if (!in->verdict[0] || in->last < 0)
		return in->when;
	return in->last + 2 * in->interval;
}

static json_object *instance_json(struct vt_srv *srv,
				  const struct vt_instance *in, bool whole)
{
	json_object *o = json_object_new_object();
	const char *verdict = verdict_of(in, srv->now());
	int64_t since = verdict_since(in, verdict);

	json_object_object_add(o, "id", json_object_new_string(in->id));
	json_object_object_add(o, "verdict", json_object_new_string(verdict));
	json_object_object_add(o, "since", since < 0 ? NULL :
			       json_object_new_int64(since));
	json_object_object_add(o, "last_attestation", in->last < 0 ? NULL :
			       json_object_new_int64(in->last));
	json_object_object_add(o, "enrolled", json_object_new_int64(in->when));
	if (!whole)
		return o;
	json_object_object_add(o, "interval", json_object_new_int64(
				       in->interval));
	json_object_object_add(o, "ak_name",
			       json_object_new_string(in->ak_name));
	json_object_object_add(o, "ek_certificate",
			       json_object_new_boolean(!!in->ek_certificate));
	return o;
}

struct listing {
	struct vt_srv *srv;
	json_object *a;
	const char *only;	/* a verdict, or NULL for all */
};

static int list_one(void *ctx, const struct vt_instance *in)
{
	struct listing *l = ctx;

	if (l->only && strcmp(verdict_of(in, l->srv->now()), l->only))
		return 0;
	return json_object_array_add(l->a, instance_json(l->srv, in, false));
}

/* An attestation for the operator: when, the verdict, the boot, and what
 * differed (the verdict's "differences" and failed checks). */
static int attestation_one(void *ctx, int64_t at, const char *verdict,
			   int64_t reset_count, const char *detail)
{
	json_object *o = json_object_new_object(), *d, *v;

	json_object_object_add(o, "at", json_object_new_int64(at));
	json_object_object_add(o, "verdict", json_object_new_string(verdict));
	json_object_object_add(o, "boot", reset_count < 0 ? NULL :
			       json_object_new_int64(reset_count));
	d = json_tokener_parse(detail);
	if (d && json_object_object_get_ex(d, "differences", &v))
		json_object_object_add(o, "differences", json_object_get(v));
	if (d && json_object_object_get_ex(d, "checks", &v))
		json_object_object_add(o, "checks", json_object_get(v));
	if (d && json_object_object_get_ex(d, "ear", &v))
		json_object_object_add(o, "ear", json_object_get(v));
	json_object_object_add(o, "stages", vt_ear_stages(
				       d ? json_object_object_get(d, "stages") :
				       NULL));
	json_object_put(d);
	return json_object_array_add(ctx, o);
}

static void list(struct vt_srv *srv, struct vt_db *db, struct vt_req *req,
		 struct vt_resp *resp)
{
	static const char *const verdicts[] = {
		"trusted", "untrusted", "invalid", "unmeasured",
	};
	struct listing l = { srv, NULL, NULL };
	unsigned int i;
	int ret;

	for (i = 0; *req->verdict && i < sizeof(verdicts) / sizeof(verdicts[0]);
	     i++)
		if (!strcmp(req->verdict, verdicts[i]))
			l.only = verdicts[i];
	if (*req->verdict && !l.only) {
		vt_resp_error(resp, 400, "?verdict=: one of trusted, untrusted, "
			      "invalid, unmeasured");
		return;
	}
	l.a = json_object_new_array();
	ret = vt_store_instance_list(db, list_one, &l);
	if (ret) {
		json_object_put(l.a);
		db_failed(db, ret, resp);
		return;
	}
	resp->json = l.a;
	resp->status = 200;
}

static void show(struct vt_srv *srv, struct vt_db *db, struct vt_req *req,
		 struct vt_resp *resp)
{
	struct vt_instance in;
	json_object *boots;
	int ret;

	if (instance_of(db, req, resp, &in))
		return;
	boots = json_object_new_array();
	ret = vt_store_attestations(db, in.id, BOOTS_SHOWN, attestation_one,
				    boots);
	if (ret) {
		json_object_put(boots);
		vt_instance_free(&in);
		db_failed(db, ret, resp);
		return;
	}
	resp->json = instance_json(srv, &in, true);
	json_object_object_add(resp->json, "attestations", boots);
	resp->status = 200;
	vt_instance_free(&in);
}

/* The status page (page/): files linked into vtrustd (ld -r -b binary). */
#define PAGE_FILE(sym)							\
	extern const char _binary_page_##sym##_start[];			\
	extern const char _binary_page_##sym##_end[]
PAGE_FILE(index_html);
PAGE_FILE(page_js);
PAGE_FILE(page_css);

static void page_file(struct vt_resp *resp, const char *start,
		      const char *end, const char *type)
{
	resp->body = start;
	resp->len = end - start;
	resp->type = type;
	resp->status = 200;
}

static void page(struct vt_srv *srv, struct vt_db *db, struct vt_req *req,
		 struct vt_resp *resp)
{
	(void)srv, (void)db;
	if (!strcmp(req->path, "/page.js"))
		page_file(resp, _binary_page_page_js_start,
			  _binary_page_page_js_end,
			  "text/javascript; charset=utf-8");
	else if (!strcmp(req->path, "/page.css"))
		page_file(resp, _binary_page_page_css_start,
			  _binary_page_page_css_end, "text/css; charset=utf-8");
	else
		page_file(resp, _binary_page_index_html_start,
			  _binary_page_index_html_end,
			  "text/html; charset=utf-8");
}

static int version_one(void *ctx, int version, int64_t created,
		       int64_t retired, const char *reason)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "version", json_object_new_int(version));
	json_object_object_add(o, "created", json_object_new_int64(created));
	json_object_object_add(o, "retired", retired < 0 ? NULL :
			       json_object_new_int64(retired));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	return json_object_array_add(ctx, o);
}

/* The baseline's versions: the first boot, then each accept. */
static void baselines(struct vt_srv *srv, struct vt_db *db,
		      struct vt_req *req, struct vt_resp *resp)
{
	struct vt_instance in;
	json_object *a;
	int ret;

	(void)srv;
	if (instance_of(db, req, resp, &in))
		return;
	vt_instance_free(&in);
	a = json_object_new_array();
	ret = vt_store_baselines(db, req->arg, version_one, a);
	if (ret) {
		json_object_put(a);
		db_failed(db, ret, resp);
		return;
	}
	resp->json = a;
	resp->status = 200;
}

static void jwks(struct vt_srv *srv, struct vt_db *db, struct vt_req *req,
		 struct vt_resp *resp)
{
	(void)db, (void)req;
	resp->json = vt_ear_jwks(srv->ear_key, srv->kid);
	if (resp->json)
		resp->status = 200;
	else
		vt_resp_error(resp, 500, "no signing key");
}

const struct vt_route vt_routes[] = {
	{ "GET", "/", VT_AUTH_AGENT, 0, page },
	{ "GET", "/page.js", VT_AUTH_AGENT, 0, page },
	{ "GET", "/page.css", VT_AUTH_AGENT, 0, page },
	{ "GET", "/v1/jwks", VT_AUTH_AGENT, 0, jwks },
	{ "POST", "/v1/enrol", VT_AUTH_AGENT, 0, enrol },
	{ "POST", "/v1/enrol/activate", VT_AUTH_AGENT, 0, activate },
	{ "POST", "/v1/instances/{}/challenge", VT_AUTH_AGENT, 0, challenge },
	{ "POST", "/v1/instances/{}/evidence", VT_AUTH_AGENT, EVIDENCE_MAX,
	  evidence },
	{ "POST", "/v1/instances/{}/accept", VT_AUTH_OPERATOR, 0,
	  accept_diffs },
	{ "POST", "/v1/instances/{}/revoke", VT_AUTH_OPERATOR, 0,
	  revoke_trust },
	{ "GET", "/v1/instances", VT_AUTH_OPERATOR, 0, list },
	{ "GET", "/v1/instances/{}", VT_AUTH_OPERATOR, 0, show },
	{ "GET", "/v1/instances/{}/baselines", VT_AUTH_OPERATOR, 0,
	  baselines },
};

const unsigned int vt_nr_routes = sizeof(vt_routes) / sizeof(vt_routes[0]);
