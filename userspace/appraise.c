// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The remote verifier (appraise.h): the quote's checks, the EK
 * certificate, the replay of the bundle's logs against the signed PCR
 * values, the baseline.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "appraise.h"
#include "evidence.h"
#include "memfs.h"
#include "sources.h"
#include "util.h"
#include "verify.h"
#include "vtrust.h"

#define VT_TPM_RH_ENDORSEMENT 0x4000000bu

/* where the bundle's logs appear to the replay (memfs.h) */
#define EV_ROOT "evidence:"
#define EV_LIST VT_SECURITYFS "/%s/binary_runtime_measurements"

static const char *const own_names[] = {
	[VT_AC_EVIDENCE_PARSE] = "evidence-parse",
	[VT_AC_AK_PUBLIC] = "ak-public",
	[VT_AC_EK_CERTIFICATE] = "ek-certificate",
	[VT_AC_REPLAY] = "replay",
	[VT_AC_BASELINE] = "baseline",
};

const char *vt_appraise_check_name(enum vt_appraise_check c)
{
	if (c >= VT_AC_QUOTE_FIRST && c < VT_AC_EK_CERTIFICATE)
		return vt_quote_check_names[c - VT_AC_QUOTE_FIRST];
	return c < VT_AC_COUNT ? own_names[c] : "?";
}

static void set(struct vt_appraisal *a, enum vt_appraise_check c,
		enum vt_check_state st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set(struct vt_appraisal *a, enum vt_appraise_check c,
		enum vt_check_state st, const char *fmt, ...)
{
	va_list ap;

	a->checks[c].state = st;
	va_start(ap, fmt);
	vsnprintf(a->checks[c].msg, sizeof(a->checks[c].msg), fmt, ap);
	va_end(ap);
}

/* ---- the AK ---- */

/*
 * The AK whose attributes and key the quote is checked with: the enrolled
 * TPMT_PUBLIC, or the bundle's when it has the enrolled Name and key.
 */
static const struct vt_tpm_public *ak_public(const struct vt_evidence *ev,
					     const struct vt_appraise_opts *o,
					     struct vt_tpm_public *buf,
					     struct vt_appraisal *a)
{
	uint8_t name[VT_TPM_NAME_MAX];
	size_t nlen = sizeof(name);
	EVP_PKEY *k;
	char why[160];
	int eq;

	if (o->ak) {
		set(a, VT_AC_AK_PUBLIC, VT_CHECK_PASS, "the enrolled TPMT_PUBLIC");
		return o->ak;
	}
	if (!o->ak_key || !o->ak_name) {
		set(a, VT_AC_AK_PUBLIC, VT_CHECK_FAIL, "a public key carries no "
		    "TPM attributes: the enrolled Name is needed with it");
		return NULL;
	}
	if (!ev->ak_tpm2b) {
		set(a, VT_AC_AK_PUBLIC, VT_CHECK_FAIL,
		    "the bundle has no ak.tpm2b_public");
		return NULL;
	}
	if (vt_tpm_public_parse(ev->ak_tpm2b, ev->ak_tpm2b_len, buf, why,
				sizeof(why))) {
		set(a, VT_AC_AK_PUBLIC, VT_CHECK_FAIL, "ak.tpm2b_public: %s",
		    why);
		return NULL;
	}
	if (vt_tpm_name(buf, name, &nlen) || nlen != o->ak_name_len ||
	    memcmp(name, o->ak_name, nlen)) {
		set(a, VT_AC_AK_PUBLIC, VT_CHECK_FAIL, "ak.tpm2b_public does "
		    "not have the enrolled Name");
		return NULL;
	}
	k = vt_tpm_public_pkey_unchecked(buf);
	eq = k ? EVP_PKEY_eq(k, o->ak_key) : 0;
	EVP_PKEY_free(k);
	ERR_clear_error();
	if (eq != 1) {
		set(a, VT_AC_AK_PUBLIC, VT_CHECK_FAIL, "ak.tpm2b_public does "
		    "not hold the enrolled key");
		return NULL;
	}
	set(a, VT_AC_AK_PUBLIC, VT_CHECK_PASS, "the bundle's TPMT_PUBLIC, "
	    "with the enrolled Name and key");
	return buf;
}

/* ---- the EK: qualified names, certificate ---- */

/* QN(B) = nameAlg(B) || H_nameAlg(B)(QN(parent) || Name(B)) */
static int qualify(const uint8_t *parent, size_t plen,
		   const struct vt_tpm_public *pub, uint8_t *out, size_t *len)
{
	uint8_t name[VT_TPM_NAME_MAX];
	size_t nlen = sizeof(name);
	const EVP_MD *md = vt_tpm_md(pub->name_alg);
	EVP_MD_CTX *ctx;
	unsigned int dlen;
	int ok;

	if (!md || vt_tpm_name(pub, name, &nlen) ||
	    *len < 2 + (size_t)EVP_MD_get_size(md))
		return -1;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) &&
	     EVP_DigestUpdate(ctx, parent, plen) &&
	     EVP_DigestUpdate(ctx, name, nlen) &&
	     EVP_DigestFinal_ex(ctx, out + 2, &dlen);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -1;
	out[0] = pub->name_alg >> 8;
	out[1] = pub->name_alg;
	*len = 2 + dlen;
	return 0;
}

/*
 * The AK's qualified name if it is a child of the bundle's EK, a primary
 * key of the endorsement hierarchy (as `vtrust ak create` makes it).
 * 0, or -1 if the bundle has no usable EK.
 */
static int ak_qualified_name(const struct vt_evidence *ev,
			     const struct vt_tpm_public *ak, uint8_t *out,
			     size_t *len)
{
	static const uint8_t rh[4] = { 0x40, 0x00, 0x00, 0x0b };
	struct vt_tpm_public ek;
	uint8_t qn[VT_TPM_NAME_MAX];
	size_t qlen = sizeof(qn);
	char why[160];

	if (!ev->ek_tpm2b ||
	    vt_tpm_public_parse(ev->ek_tpm2b, ev->ek_tpm2b_len, &ek, why,
				sizeof(why)))
		return -1;
	if (qualify(rh, sizeof(rh), &ek, qn, &qlen))
		return -1;
	return qualify(qn, qlen, ak, out, len);
}

static EVP_PKEY *pem_key(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	return k;
}

/* The EK certificate chains to @store and is for the bundle's EK. */
static void check_ek(const struct vt_evidence *ev, X509_STORE *store,
		     struct vt_appraisal *a)
{
	struct vt_tpm_public ek;
	X509_STORE_CTX *ctx = NULL;
	EVP_PKEY *tk = NULL, *pk = NULL;
	X509 *cert = NULL;
	BIO *bio = NULL;
	char why[160];
	int err;

	if (!store) {
		set(a, VT_AC_EK_CERTIFICATE, VT_CHECK_SKIPPED, "no EK CA given");
		return;
	}
	if (!ev->have_ek || !ev->ek_cert_pem) {
		set(a, VT_AC_EK_CERTIFICATE, VT_CHECK_FAIL,
		    "the bundle has no EK certificate");
		return;
	}
	bio = BIO_new_mem_buf(ev->ek_cert_pem, -1);
	cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	if (!cert) {
		set(a, VT_AC_EK_CERTIFICATE, VT_CHECK_FAIL,
		    "ek.certificate is not an X.509 certificate");
		goto out;
	}
	ctx = X509_STORE_CTX_new();
	if (!ctx || !X509_STORE_CTX_init(ctx, store, cert, NULL)) {
		set(a, VT_AC_EK_CERTIFICATE, VT_CHECK_FAIL, "out of memory");
		goto out;
	}
	if (X509_verify_cert(ctx) != 1) {
		err = X509_STORE_CTX_get_error(ctx);
		set(a, VT_AC_EK_CERTIFICATE, VT_CHECK_FAIL, "does not chain to "
		    "a given CA: %s", X509_verify_cert_error_string(err));
		goto out;
	}
	if (!ev->ek_tpm2b ||
	    vt_tpm_public_parse(ev->ek_tpm2b, ev->ek_tpm2b_len, &ek, why,
				sizeof(why)) ||
	    !(tk = vt_tpm_public_pkey_unchecked(&ek))) {
		set(a, VT_AC_EK_CERTIFICATE, VT_CHECK_FAIL,
		    "the bundle has no usable ek.tpm2b_public");
		goto out;
	}
	pk = pem_key(ev->ek_pem);
	if (EVP_PKEY_eq(X509_get0_pubkey(cert), tk) != 1 || !pk ||
	    EVP_PKEY_eq(pk, tk) != 1) {
		set(a, VT_AC_EK_CERTIFICATE, VT_CHECK_FAIL, "the certificate, "
		    "ek.public and ek.tpm2b_public are not one key");
		goto out;
	}
	set(a, VT_AC_EK_CERTIFICATE, VT_CHECK_PASS, "chains to a given CA; "
	    "the EK's key");
out:
	ERR_clear_error();
	EVP_PKEY_free(pk);
	EVP_PKEY_free(tk);
	X509_STORE_CTX_free(ctx);
	X509_free(cert);
	BIO_free(bio);
}

/* ---- the quote ---- */

/* The selection asked for, or PCRs 0-15 of every bank the quote signed. */
static void default_selection(const struct vt_evidence *ev,
			      struct vt_quote_req *req)
{
	struct vt_tpm_attest at;
	char why[160];
	unsigned int i;

	if (vt_tpm_attest_parse(ev->attest, ev->attest_len, &at, why,
				sizeof(why)) || at.type != VT_TPM_ST_ATTEST_QUOTE)
		return;	/* attest-parse or type fails anyway */
	for (i = 0; i < at.nr_banks && i < VT_QUOTE_BANKS_MAX; i++) {
		req->banks[i].alg = at.banks[i].hash;
		req->banks[i].mask = 0xffff;
	}
	req->nr_banks = i;
}

static void check_quote(const struct vt_evidence *ev,
			const struct vt_appraise_opts *o,
			const struct vt_tpm_public *ak, struct vt_appraisal *a)
{
	struct vt_quote_req req = { 0 };
	uint8_t qn[VT_TPM_NAME_MAX];
	size_t qlen = sizeof(qn);
	unsigned int i;

	if (o->selection)
		req = *o->selection;
	else
		default_selection(ev, &req);
	req.nonce = o->nonce;
	req.nonce_len = o->nonce_len;
	req.ak_key = o->ak_key;
	if (!ak_qualified_name(ev, ak, qn, &qlen)) {
		req.qualified_signer = qn;
		req.qualified_signer_len = qlen;
	}
	vt_quote_verify(ev->attest, ev->attest_len, ev->sig, ev->sig_len, ak,
			&req, &ev->pcrs, &a->quote);
	for (i = 0; i < VT_QC_COUNT; i++) {
		a->checks[VT_AC_QUOTE_FIRST + i].state =
			a->quote.checks[i].state;
		memcpy(a->checks[VT_AC_QUOTE_FIRST + i].msg,
		       a->quote.checks[i].msg, sizeof(a->checks[0].msg));
	}
	if (!req.qualified_signer)
		set(a, VT_AC_QUOTE_FIRST + VT_QC_QUALIFIED_SIGNER,
		    VT_CHECK_SKIPPED, "the bundle has no EK TPMT_PUBLIC to "
		    "qualify the AK's Name with");
}

/* ---- the replay, from memory ---- */

struct ev_files {
	struct vt_memfile f[VT_SOURCE_COUNT * (1 + VT_ALG_COUNT)];
	char path[VT_SOURCE_COUNT * (1 + VT_ALG_COUNT)][96];
	size_t nr;
};

static void add_file(struct ev_files *fs, const struct vt_evidence_log *l,
		     const char *fmt, const char *dir, const char *bank)
{
	char *p = fs->path[fs->nr];

	if (!l->present)
		return;
	snprintf(p, sizeof(fs->path[0]), fmt, dir, bank);
	fs->f[fs->nr].path = p;
	fs->f[fs->nr].data = l->data ? l->data : (const uint8_t *)"";
	fs->f[fs->nr].len = l->len;
	fs->nr++;
}

/* The bundle's logs where the replay looks for a kernel's (sources.h). */
static void lay_out(const struct vt_evidence *ev, struct ev_files *fs)
{
	enum vt_source src;
	const char *dir;
	unsigned int b;

	fs->nr = 0;
	add_file(fs, &ev->log[VT_SOURCE_UEFI], "%s%s", VT_UEFI_LOG, "");
	for (src = 0; src < VT_SOURCE_COUNT; src++) {
		if (src == VT_SOURCE_UEFI)
			continue;
		dir = vt_source_name(src);
		add_file(fs, &ev->log[src], EV_LIST "%s", dir, "");
		/* IMA names SM3's file "sm3", vtrust "sm3_256" */
		for (b = 0; b < VT_ALG_COUNT; b++)
			add_file(fs, &ev->bank_log[src][b], EV_LIST "_%s", dir,
				 src == VT_SOURCE_IMA ? vt_algs[b].kname :
				 vt_algs[b].name);
	}
}

static void replay(const struct vt_evidence *ev, const struct vt_appraise_opts *o,
		   struct vt_appraisal *a)
{
	struct vt_check_opts co = {
		.root = EV_ROOT,
		.pcr_table = &a->quote.covered,
		.no_boot = o->no_boot && !o->baseline,
	};
	struct vt_memfs mfs = { .root = EV_ROOT };
	struct ev_files *fs = malloc(sizeof(*fs));
	int ret;

	if (!fs) {
		a->exit = VT_EXIT_SYSTEM;
		set(a, VT_AC_REPLAY, VT_CHECK_NOT_RUN, "out of memory");
		return;
	}
	lay_out(ev, fs);
	mfs.files = fs->f;
	mfs.nr = fs->nr;
	vt_memfs_mount(&mfs);
	vt_quiet_push();
	ret = vt_check_boot(&co, true, &a->replay, &a->boot, &a->problems);
	vt_quiet_pop();
	vt_memfs_mount(NULL);
	free(fs);
	if (!ret && !a->problems)
		set(a, VT_AC_REPLAY, VT_CHECK_PASS, "every log replays to the "
		    "quoted PCR values");
	else if (!ret)
		set(a, VT_AC_REPLAY, VT_CHECK_FAIL, "the logs replay, with %zu "
		    "problem%s", a->problems, a->problems == 1 ? "" : "s");
	else if (ret == VT_EXIT_MISMATCH)
		set(a, VT_AC_REPLAY, VT_CHECK_FAIL, "the logs do not replay "
		    "to the quoted PCR values, or cannot be verified");
	else
		set(a, VT_AC_REPLAY, VT_CHECK_FAIL, "%s", vt_last_error());
}

/* ---- the verdict ---- */

static bool failed(const struct vt_appraisal *a, enum vt_appraise_check from,
		   enum vt_appraise_check to)
{
	enum vt_appraise_check c;

	for (c = from; c < to; c++)
		if (a->checks[c].state == VT_CHECK_FAIL ||
		    a->checks[c].state == VT_CHECK_NOT_RUN)
			return true;
	return false;
}

static void compare(const struct vt_appraise_opts *o, struct vt_appraisal *a)
{
	size_t open;

	if (!o->baseline) {
		set(a, VT_AC_BASELINE, VT_CHECK_SKIPPED, "no baseline given");
		return;
	}
	if (vt_compare(o->baseline, a->boot, o->reference, &a->diffs)) {
		a->exit = VT_EXIT_SYSTEM;
		set(a, VT_AC_BASELINE, VT_CHECK_NOT_RUN, "out of memory");
		return;
	}
	a->compared = true;
	open = vt_diffs_open(&a->diffs);
	if (open)
		set(a, VT_AC_BASELINE, VT_CHECK_FAIL, "%zu difference%s", open,
		    open == 1 ? "" : "s");
	else
		set(a, VT_AC_BASELINE, VT_CHECK_PASS, "no difference");
}

int vt_appraise(const char *text, size_t len, const struct vt_appraise_opts *o,
		struct vt_appraisal *a)
{
	const struct vt_tpm_public *ak;
	struct vt_tpm_public *akbuf;
	struct vt_evidence *ev = NULL;
	enum vt_appraise_check c;
	char why[192];
	int ret;

	memset(a, 0, sizeof(*a));
	a->result = "invalid";
	a->exit = VT_EXIT_MISMATCH;
	akbuf = malloc(sizeof(*akbuf));
	ret = akbuf ? vt_evidence_parse(text, len, &ev, why, sizeof(why)) :
	      -ENOMEM;
	if (ret == -ENOMEM) {
		free(akbuf);
		a->exit = VT_EXIT_SYSTEM;
		a->result = "error";
		return a->exit;
	}
	if (ret) {
		set(a, VT_AC_EVIDENCE_PARSE, VT_CHECK_FAIL, "%s", why);
		goto out;
	}
	set(a, VT_AC_EVIDENCE_PARSE, VT_CHECK_PASS, "%zu bytes", len);
	ak = ak_public(ev, o, akbuf, a);
	if (!ak)
		goto out;
	check_quote(ev, o, ak, a);
	check_ek(ev, o->ek_ca, a);
	if (failed(a, 0, VT_AC_REPLAY))
		goto out;
	/* only now are the PCR values the TPM's (a->quote.covered) */
	replay(ev, o, a);
	if (a->exit == VT_EXIT_SYSTEM || failed(a, VT_AC_REPLAY, VT_AC_BASELINE)) {
		a->result = a->exit == VT_EXIT_SYSTEM ? "error" : "untrusted";
		goto out;
	}
	compare(o, a);
	if (a->exit == VT_EXIT_SYSTEM)
		a->result = "error";
	else if (a->checks[VT_AC_BASELINE].state == VT_CHECK_FAIL)
		a->result = "untrusted";
	else
		a->exit = VT_EXIT_OK;
	if (!a->exit)
		a->result = o->baseline ? "trusted" : "valid";
out:
	for (c = 0; c < VT_AC_COUNT; c++)
		if (a->checks[c].state == VT_CHECK_NOT_RUN && !a->checks[c].msg[0])
			snprintf(a->checks[c].msg, sizeof(a->checks[c].msg),
				 "an earlier check failed");
	vt_evidence_free(ev);
	free(akbuf);
	return a->exit;
}

void vt_appraisal_free(struct vt_appraisal *a)
{
	if (a->compared)
		vt_diffs_free(&a->diffs);
	json_object_put(a->replay);
	json_object_put(a->boot);
	memset(a, 0, sizeof(*a));
}

static json_object *quote_json(const struct vt_appraisal *a)
{
	const struct vt_tpm_attest *at = &a->quote.attest;
	json_object *o, *sel, *bank, *pcrs;
	const struct vt_alg *alg;
	unsigned int i, p;

	if (a->quote.checks[VT_QC_ATTEST_PARSE].state != VT_CHECK_PASS)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "clock", json_object_new_uint64(at->clock));
	json_object_object_add(o, "resetCount",
			       json_object_new_int64(at->reset_count));
	json_object_object_add(o, "restartCount",
			       json_object_new_int64(at->restart_count));
	json_object_object_add(o, "safe", json_object_new_boolean(at->safe));
	json_object_object_add(o, "firmwareVersion",
			       json_object_new_uint64(at->firmware_version));
	sel = json_object_new_object();
	for (i = 0; i < at->nr_banks; i++) {
		alg = vt_alg_by_tpm(at->banks[i].hash);
		pcrs = json_object_new_array();
		for (p = 0; p < 32; p++)
			if (at->banks[i].mask & 1u << p)
				json_object_array_add(pcrs, json_object_new_int(p));
		bank = pcrs;
		json_object_object_add(sel, alg ? alg->name : "?", bank);
	}
	json_object_object_add(o, "selection", sel);
	return o;
}

static json_object *problems_of(json_object *replay)
{
	json_object *p = NULL;

	if (replay)
		json_object_object_get_ex(replay, "problems", &p);
	return json_object_get(p);
}

json_object *vt_appraisal_json(const struct vt_appraisal *a)
{
	json_object *o = json_object_new_object(), *checks, *c, *diffs;
	unsigned int i;
	char set_id[17];

	if (!o)
		return NULL;
	json_object_object_add(o, "result", json_object_new_string(a->result));
	json_object_object_add(o, "exit", json_object_new_int(a->exit));
	checks = json_object_new_array();
	for (i = 0; i < VT_AC_COUNT; i++) {
		c = json_object_new_object();
		json_object_object_add(c, "name", json_object_new_string(
			vt_appraise_check_name(i)));
		json_object_object_add(c, "result", json_object_new_string(
			vt_check_state_name(a->checks[i].state)));
		json_object_object_add(c, "message",
				       vt_json_text(a->checks[i].msg));
		json_object_array_add(checks, c);
	}
	json_object_object_add(o, "checks", checks);
	json_object_object_add(o, "quote", quote_json(a));
	json_object_object_add(o, "problems", problems_of(a->replay));
	json_object_object_add(o, "replay", json_object_get(a->replay));
	if (!a->compared) {
		json_object_object_add(o, "stages", NULL);
		json_object_object_add(o, "set", NULL);
		json_object_object_add(o, "differences", NULL);
		return o;
	}
	diffs = json_object_new_array();
	for (i = 0; i < a->diffs.nr; i++)
		json_object_array_add(diffs, vt_diff_json(&a->diffs.d[i]));
	json_object_object_add(o, "stages",
			       vt_diffs_stages_json(&a->diffs));
	json_object_object_add(o, "set",
			       vt_diffs_open(&a->diffs) &&
			       !vt_diffs_set_id(&a->diffs, set_id) ?
			       json_object_new_string(set_id) : NULL);
	json_object_object_add(o, "differences", diffs);
	return o;
}
