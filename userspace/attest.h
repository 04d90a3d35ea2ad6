/* SPDX-License-Identifier: GPL-2.0 */
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

#endif /* VTRUST_ATTEST_H */
