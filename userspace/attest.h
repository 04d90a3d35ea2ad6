/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest side of remote attestation: vtrust ek, ak, credential activate
 * and quote (attest.c). In the static build (no tpm2-tss) nolibs.c stands
 * in and says so. The verifier's credential make is credential.c, which
 * needs no TPM.
 */
#ifndef VTRUST_ATTEST_H
#define VTRUST_ATTEST_H

/* Where 'vtrust ak create' makes the AK persistent unless told otherwise. */
#define VT_AK_HANDLE		0x81010002U
/* The TCG's handle of a persistent RSA EK, used when present. */
#define VT_EK_HANDLE_RSA	0x81010001U

/* The EK certificates' NV indices (TCG EK Credential Profile). */
#define VT_EK_CERT_RSA		0x01c00002U	/* RSA 2048 */
#define VT_EK_CERT_ECC		0x01c0000aU	/* ECC NIST P-256 */
#define VT_EK_CERT_SM2		0x01c0001aU	/* ECC SM2 P-256 */

int cmd_ek(int argc, char *argv[]);
/* vtrust agent (agent.c): the guest's side of vtrustd */
int cmd_agent(int argc, char *argv[]);
int cmd_ak(int argc, char *argv[]);
int cmd_quote(int argc, char *argv[]);

/* The credential group (credential.c): make, then activate below. */
int cmd_credential(int argc, char *argv[]);

/*
 * vtrust credential activate (argv[0] "credential", argv[1] "activate"),
 * or the help of the guest side's credential commands; credential.c's
 * cmd_credential() routes to it.
 */
int vt_credential_activate(int argc, char *argv[]);

/*
 * The same for `vtrust agent` (agent.c), in-process: results as JSON (what
 * --json prints) or bytes, nothing printed but errors (vt_err()). @alg is
 * "rsa", "ecc", "sm2" or NULL (rsa); the AK is at VT_AK_HANDLE.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

int vt_attest_ek(const char *alg, json_object **ek);
/* ak show, or ak create (which replaces a key at the handle) */
int vt_attest_ak(const char *alg, bool create, json_object **ak);
/* credential activate of the file @cred: the secret in @secret (room for
 * *@len bytes; its length back in *@len) */
int vt_attest_activate(const char *cred, uint8_t *secret, size_t *len);
/* quote with @nonce over the logs under @root (NULL: "/"): the bundle */
int vt_attest_quote(const uint8_t *nonce, size_t len, const char *root,
		    json_object **bundle);

#endif /* VTRUST_ATTEST_H */
