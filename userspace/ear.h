/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Attestation results for relying parties: EAR (EAT Attestation Result)
 * claims in a JWT signed with ES256, and the JWK Set that publishes the
 * key. The key is the service's, kept in the database so that every
 * vtrustd process on it signs with the same one.
 */
#ifndef VTRUST_EAR_H
#define VTRUST_EAR_H

#include <stdint.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "db.h"

/* The signing key: the database's oldest, or a new P-256 key stored
 * there; its kid (the SHA-256 of its public key, hex) in @kid. */
EVP_PKEY *vt_ear_key(struct vt_db *db, int64_t now, char kid[65],
		     char *why, size_t whylen);

/*
 * The EAR claims of one attestation: the instance, its verdict, the boot,
 * the stages' appraisal (the verdict JSON's "stages"), the nonce.
 */
json_object *vt_ear_claims(const char *instance, const char *verdict,
			   int64_t boot, json_object *stages,
			   const char *nonce_hex, int64_t now);

/* Each stage's status from the verdict's "stages": "affirming",
 * "contraindicated" (differences, or missing), "none" (absent). */
json_object *vt_ear_stages(json_object *stages);

/* @claims as a compact JWS (ES256) with @kid: malloc'd, or NULL. */
char *vt_ear_sign(EVP_PKEY *key, const char *kid, json_object *claims);

/* {"keys": [the key's public JWK]} */
json_object *vt_ear_jwks(EVP_PKEY *key, const char *kid);

#endif /* VTRUST_EAR_H */
