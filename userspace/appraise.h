/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The remote verifier: an evidence bundle (evidence.h) judged against what
 * the verifier itself holds: the AK it enrolled, the nonce it issued, the
 * PCR selection it asked for, the instance's baseline and the EK CAs it
 * trusts. The TPM's signature decides what is checked: the quote is
 * verified first (quote.h), then each log is replayed against the signed
 * PCR values only (the replay of `vtrust replay`, with all its rules),
 * then the boot those entries describe is compared with the baseline.
 *
 * This is the library the trusted service links: no output, no global
 * state (the lists are replayed from memory, memfs.h, in the calling
 * thread), one call per bundle.
 */
#ifndef VTRUST_APPRAISE_H
#define VTRUST_APPRAISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>
#include <openssl/x509.h>

#include "compare.h"
#include "quote.h"
#include "tpm2s.h"

/* The checks, in the order they are made; names are API (see below). */
enum vt_appraise_check {
	VT_AC_EVIDENCE_PARSE,
	VT_AC_AK_PUBLIC,
	VT_AC_QUOTE_FIRST,	/* vt_quote_check_id's checks, in order */
	VT_AC_EK_CERTIFICATE = VT_AC_QUOTE_FIRST + VT_QC_COUNT,
	VT_AC_REPLAY,
	VT_AC_BASELINE,
	VT_AC_COUNT
};

/*
 * The name of check @c: "evidence-parse", "ak-public", then quote.h's
 * ("attest-parse" ... "clock-safe"), "ek-certificate", "replay",
 * "baseline".
 */
const char *vt_appraise_check_name(enum vt_appraise_check c);

struct vt_appraise_opts {
	const uint8_t *nonce;		/* the nonce this verifier issued */
	size_t nonce_len;
	/*
	 * The enrolled AK: its TPMT_PUBLIC (@ak), or only its key (@ak_key,
	 * from a PEM) and then @ak_name, the Name that credential activation
	 * proved: the bundle's ak.tpm2b_public is used if it has that Name
	 * and that key. @ak_key is the caller's, checked once by it
	 * (EVP_PKEY_public_check(), or vt_tpm_public_pkey()); with @ak it is
	 * optional, and saves building and checking the key on each call.
	 */
	const struct vt_tpm_public *ak;
	EVP_PKEY *ak_key;
	const uint8_t *ak_name;
	size_t ak_name_len;
	/* the selection asked for; NULL: PCRs 0-15 of every signed bank */
	const struct vt_quote_req *selection;
	json_object *baseline;		/* the instance's, or NULL */
	json_object *reference;		/* a reference file's, or NULL */
	X509_STORE *ek_ca;		/* EK CAs; NULL: not checked */
	/*
	 * No baseline given and none to record from this appraisal: the
	 * replay builds no boot (boot stays NULL), which saves a third of
	 * its time. Ignored with a baseline.
	 */
	bool no_boot;
};

struct vt_appraisal {
	int exit;		/* 0 trusted (valid without a baseline), 1 not,
				   3 out of memory */
	const char *result;	/* "trusted", "valid", "untrusted", "invalid" */
	struct {
		enum vt_check_state state;
		char msg[192];
	} checks[VT_AC_COUNT];
	struct vt_quote_result quote;
	json_object *replay;	/* the replay's JSON report, or NULL */
	json_object *boot;	/* the boot in the baseline schema (replay
				   passed), for a first baseline */
	size_t problems;	/* the replay's problems */
	bool compared;		/* diffs is valid */
	struct vt_diffs diffs;
};

/*
 * Judge the bundle @text (@len bytes) with @o into @out (free with
 * vt_appraisal_free()). Returns out->exit.
 */
int vt_appraise(const char *text, size_t len, const struct vt_appraise_opts *o,
		struct vt_appraisal *out);

/* The verdict as JSON (docs/FORMATS.md, "Evidence verdict"). */
json_object *vt_appraisal_json(const struct vt_appraisal *a);

void vt_appraisal_free(struct vt_appraisal *a);

/* vtrust verify-evidence (evidence-cmd.c) */
int cmd_verify_evidence(int argc, char *argv[]);

#endif /* VTRUST_APPRAISE_H */
