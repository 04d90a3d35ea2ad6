/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The evidence bundle that `vtrust quote` writes (docs/FORMATS.md,
 * "Evidence bundle"), parsed strictly and trusting nothing in it: every
 * key known for its version, every type and size checked, base64 and hex
 * decoded strictly, nothing left unread. What it holds is what the guest
 * claims; appraise.h decides what of it the TPM vouches for.
 */
#ifndef VTRUST_EVIDENCE_H
#define VTRUST_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algs.h"
#include "pcrs.h"
#include "sources.h"
#include "tpm2s.h"

#define VT_EVIDENCE_VERSION	1
#define VT_EVIDENCE_MAX		(512U << 20)	/* bytes of JSON */
#define VT_EVIDENCE_NONCE_MAX	64
#define VT_EVIDENCE_ATTEST_MAX	1024	/* a TPMS_ATTEST of a quote */
#define VT_EVIDENCE_SIG_MAX	(8 + VT_TPM_RSA_MAX)	/* TPMT_SIGNATURE */
#define VT_EVIDENCE_PEM_MAX	16384

/* A log as the bundle carries it. */
struct vt_evidence_log {
	bool present;		/* false: null or (per-bank) absent */
	uint8_t *data;		/* decoded; NULL if empty */
	size_t len;
};

struct vt_evidence {
	uint8_t nonce[VT_EVIDENCE_NONCE_MAX];
	size_t nonce_len;
	/* ak: hints; the verifier uses the AK it enrolled */
	char *ak_pem;
	uint8_t ak_name[VT_TPM_NAME_MAX];
	size_t ak_name_len;
	uint8_t *ak_tpm2b;	/* TPM2B_PUBLIC, or NULL */
	size_t ak_tpm2b_len;
	uint32_t ak_handle;
	/* quote */
	uint8_t *attest;
	size_t attest_len;
	uint8_t *sig;
	size_t sig_len;
	/* the claimed PCR values */
	struct vt_pcr_table pcrs;
	/* logs: the default file of each source, and per-bank files */
	struct vt_evidence_log log[VT_SOURCE_COUNT];
	struct vt_evidence_log bank_log[VT_SOURCE_COUNT][VT_ALG_COUNT];
	/* ek (optional as a whole) */
	bool have_ek;
	char *ek_pem;
	char *ek_cert_pem;	/* NULL: none */
	uint8_t *ek_tpm2b;	/* NULL: none */
	size_t ek_tpm2b_len;
	/* collected: not covered by anything, for display */
	char collected_time[32];
	char collected_tool[64];
};

/*
 * Parse a bundle (@len bytes of JSON). Returns 0 with *out set (free with
 * vt_evidence_free()), -1 with the reason in @why (which names the field),
 * or -ENOMEM.
 */
int vt_evidence_parse(const char *text, size_t len, struct vt_evidence **out,
		      char *why, size_t whylen);
void vt_evidence_free(struct vt_evidence *ev);

/*
 * Strict base64 (RFC 4648, standard alphabet, padded, no line breaks, the
 * unused bits of the last character zero) of @len characters into @out
 * (room for len / 4 * 3 bytes). Returns the decoded length, or -1.
 */
long vt_base64_decode(const char *s, size_t len, uint8_t *out);
/* The same without the AVX2 path, to test one against the other. */
long vt_base64_decode_portable(const char *s, size_t len, uint8_t *out);

#endif /* VTRUST_EVIDENCE_H */
