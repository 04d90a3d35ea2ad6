/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Detached firmware signatures (<file>.p7s), as vtrust.ko's
 * "appraise func=FIRMWARE_CHECK appraise_type=sig" takes them: a DER
 * CMS/PKCS#7 SignedData, detached, content type id-data, each signer with
 * signed attributes (contentType and messageDigest among them) and without
 * S/MIME capabilities. docs/FORMATS.md, "Firmware signatures".
 */
#ifndef VT_FWSIG_H
#define VT_FWSIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VT_P7S_MAX (64 * 1024) /* the kernel reads no more */
#define VT_P7S_SIGNERS_MAX 8
#define VT_P7S_KEYID_MAX 160 /* "skid:" + 64 bytes, "issuer-serial:" + 32 + 8 */

struct vt_p7s_signer {
	char key_id[VT_P7S_KEYID_MAX]; /* skid:<hex> | issuer-serial:<sha256 hex> */
	char digest[24]; /* the signer's digest algorithm: sha256, sm3, ... */
	char sig_alg[24]; /* rsa, ec, sm2, ... */
};

struct vt_p7s {
	unsigned int nr_signers;
	struct vt_p7s_signer signers[VT_P7S_SIGNERS_MAX];
};

/*
 * Read the signature @der of @len bytes and check its form. Returns 0 and
 * fills @out, or -1 with the reason in @why (a sentence that starts with
 * the kernel's word for it: "bad-signature: ...").
 */
int vt_p7s_parse(const uint8_t *der, size_t len, struct vt_p7s *out,
		 char *why, size_t whylen);

/*
 * The signers of any CMS/PKCS#7 SignedData @der (an ima-modsig entry's
 * modsig: a firmware signature, or a module's appended one), without the
 * firmware form's checks. Returns 0 and fills @out, or -1.
 */
int vt_p7s_signers(const uint8_t *der, size_t len, struct vt_p7s *out);

/*
 * Check @der over @data with the kernel's rules: its form (above); every
 * signer's signature verifies; at least one signer's key is one of the
 * @nr_certs X.509 certificates (DER or PEM bytes) in @certs. Returns 0
 * and the index of a trusted signer in *@trusted, or -1 and the reason in
 * @why, starting with one of bad-signature, unknown-key,
 * unsupported-algorithm.
 */
struct vt_p7s_cert {
	const uint8_t *data;
	size_t len;
};

int vt_p7s_verify(const uint8_t *der, size_t len, const void *data,
		  size_t data_len, const struct vt_p7s_cert *certs,
		  unsigned int nr_certs, unsigned int *trusted, char *why,
		  size_t whylen);

int cmd_sign(int argc, char *argv[]);
int cmd_verify_file(int argc, char *argv[]);

#endif /* VT_FWSIG_H */
