// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The hash algorithms of TPM PCR banks (pure: no I/O, no OpenSSL).
 */
#include <string.h>
#include <strings.h>

#include "algs.h"

const struct vt_alg vt_algs[VT_ALG_COUNT] = {
	{ VT_ALG_SHA1, "sha1", "sha1", "SHA1", 20, 0x0004 },
	{ VT_ALG_SHA256, "sha256", "sha256", "SHA256", 32, 0x000b },
	{ VT_ALG_SHA384, "sha384", "sha384", "SHA384", 48, 0x000c },
	{ VT_ALG_SHA512, "sha512", "sha512", "SHA512", 64, 0x000d },
	{ VT_ALG_SM3_256, "sm3_256", "sm3", "SM3", 32, 0x0012 },
};

static int name_is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && !strncasecmp(name, want, len);
}

const struct vt_alg *vt_alg_find(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < VT_ALG_COUNT; i++)
		if (name_is(name, len, vt_algs[i].name) ||
		    name_is(name, len, vt_algs[i].kname))
			return &vt_algs[i];
	if (name_is(name, len, "sm3-256"))
		return &vt_algs[VT_ALG_SM3_256];
	return NULL;
}

const struct vt_alg *vt_alg_by_tpm(uint16_t tpm_alg)
{
	unsigned int i;

	for (i = 0; i < VT_ALG_COUNT; i++)
		if (vt_algs[i].tpm_alg == tpm_alg)
			return &vt_algs[i];
	return NULL;
}
