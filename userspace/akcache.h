/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Enrolled AKs, parsed and their keys checked once per process (akcache.c).
 */
#ifndef VTRUST_AKCACHE_H
#define VTRUST_AKCACHE_H

#include <openssl/evp.h>

#include "tpm2s.h"

/*
 * The AK whose TPM2B_PUBLIC is @b64 (base64, as stored at enrolment):
 * 0 with *@pub and *@key (a reference: EVP_PKEY_free() it), or -1 if it
 * does not parse or its key is not one (nothing kept then).
 */
int vt_akcache_get(const char *b64, struct vt_tpm_public *pub,
		   EVP_PKEY **key);
/* Drop every entry (at exit, for leak checkers). */
void vt_akcache_clear(void);

#endif /* VTRUST_AKCACHE_H */
