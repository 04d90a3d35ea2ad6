/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks of a TPM2_Quote: a TPMS_ATTEST (the bytes the TPM signed) and
 * its TPMT_SIGNATURE, against an enrolled AK, the nonce this verifier issued
 * and the PCR selection it asked for. Pure: no TPM, no I/O; OpenSSL only.
 *
 * Every check has a stable name (vt_quote_check_names[], API: reports and
 * tests use them) and ends pass, fail, skipped (an optional check without
 * its input) or not run (it needs a structure that did not parse). The
 * quote is accepted only if no check failed or was not run.
 */
#ifndef VTRUST_QUOTE_H
#define VTRUST_QUOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcrs.h"
#include "tpm2s.h"

#define VT_QUOTE_BANKS_MAX 8

/* What the verifier asked for. */
struct vt_quote_req {
	const uint8_t *nonce;
	size_t nonce_len;
	/* the requested selection: per bank (TPM hash alg ID), PCRs 0-23 */
	struct {
		uint16_t alg;
		uint32_t mask;
	} banks[VT_QUOTE_BANKS_MAX];
	unsigned int nr_banks;
	/* optional: the AK's expected qualified name (NULL: skipped) */
	const uint8_t *qualified_signer;
	size_t qualified_signer_len;
	/*
	 * optional: the AK's key as the caller built and checked it once
	 * (vt_tpm_public_pkey()); it must be the AK's (else "signature"
	 * fails). NULL: built and checked on each call, which for RSA costs
	 * about a millisecond.
	 */
	EVP_PKEY *ak_key;
};

enum vt_quote_check_id {
	VT_QC_ATTEST_PARSE,
	VT_QC_SIGNATURE_PARSE,
	VT_QC_AK_ATTRIBUTES,
	VT_QC_SIGNATURE_SCHEME,
	VT_QC_SIGNATURE,
	VT_QC_MAGIC,
	VT_QC_TYPE,
	VT_QC_NONCE,
	VT_QC_QUALIFIED_SIGNER,
	VT_QC_PCR_SELECTION,
	VT_QC_PCR_DIGEST,
	VT_QC_CLOCK_SAFE,
	VT_QC_COUNT
};

/* "attest-parse", "signature-parse", ... "clock-safe", by vt_quote_check_id */
extern const char *const vt_quote_check_names[VT_QC_COUNT];

enum vt_check_state {
	VT_CHECK_NOT_RUN,
	VT_CHECK_PASS,
	VT_CHECK_FAIL,
	VT_CHECK_SKIPPED,
};

/* "not run", "pass", "fail", "skipped" */
const char *vt_check_state_name(enum vt_check_state s);

struct vt_quote_check {
	enum vt_check_state state;
	char msg[192];
};

struct vt_quote_result {
	bool ok;		/* every check passed or was skipped */
	struct vt_quote_check checks[VT_QC_COUNT];
	/* the parsed attestation (valid if attest-parse passed) */
	struct vt_tpm_attest attest;
	/*
	 * The claimed values the pcr-digest check bound to the signature:
	 * every PCR of the signed selection, by bank and index. Empty unless
	 * pcr-digest passed; rely on it only if @ok.
	 */
	struct vt_pcr_table covered;
	/* claimed values outside the signed selection: not used */
	unsigned int nr_ignored;
	bool ignored[VT_ALG_COUNT][VT_PCR_COUNT];
};

/*
 * Run every check on the quote (@attest, @alen: TPMS_ATTEST; @sig, @slen:
 * TPMT_SIGNATURE) with the enrolled @ak, the request @req and the PCR
 * values the evidence claims (@values: pcrs.h's table, bank by algs.h ID,
 * then PCR index). Returns 0 if the quote is accepted,
 * 1 if not; @res says which check failed and why.
 */
int vt_quote_verify(const uint8_t *attest, size_t alen, const uint8_t *sig,
		    size_t slen, const struct vt_tpm_public *ak,
		    const struct vt_quote_req *req,
		    const struct vt_pcr_table *values,
		    struct vt_quote_result *res);

/*
 * A selection written "<bank>:<pcrs>[+<bank>:<pcrs>]...", the PCRs as
 * "0,1,2-5" (e.g. "sha256:0-15+sha1:0-15"), appended to @req's banks.
 * Returns 0, or -1 if it is not one.
 */
int vt_quote_selection_parse(const char *spec, struct vt_quote_req *req);

/*
 * The ak-attributes check alone, for enrolment: 0 if @ak may be an AK
 * (restricted signing key, fixedTPM, fixedParent, sensitiveDataOrigin, an
 * allowed scheme, no SHA-1), else -1; @why says what it found.
 */
int vt_quote_ak_check(const struct vt_tpm_public *ak, char *why, size_t len);

#endif /* VTRUST_QUOTE_H */
