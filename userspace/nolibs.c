// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * For the static build (make static): Debian ships no static libkmod or
 * tpm2-tss, so vtrust.static is built without them. These stand in for
 * kmodref.c, pcrs-tpm.c and attest.c and say so (credential make, in
 * credential.c, needs neither and is built).
 */
#include <stdio.h>
#include <string.h>

#include "attest.h"
#include "kmodref.h"
#include "pcrs.h"
#include "util.h"
#include "vtrust.h"

int vt_kmodref_generate(const struct vt_kmodref_opts *o)
{
	(void)o;
	vt_err("generate", "this vtrust is built without libkmod (make static)");
	return VT_EXIT_SYSTEM;
}

int vt_pcrs_open_tpm(struct vt_pcrs **out)
{
	(void)out;
	vt_err("tpm", "this vtrust is built without tpm2-tss (make static)");
	return VT_EXIT_SYSTEM;
}

int vt_pcrs_open_auto(const char *root, struct vt_pcrs **out)
{
	return vt_pcrs_open_sysfs(root, out);
}

/* ek, ak, credential activate, quote: tpm2-tss's ESAPI throughout */
static int no_esys(const char *cmd, int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	vt_err(cmd, "this vtrust is built without tpm2-tss (make static): "
	       "use the full build");
	return VT_EXIT_SYSTEM;
}

int cmd_ek(int argc, char *argv[])
{
	return no_esys("ek", argc, argv);
}

int cmd_ak(int argc, char *argv[])
{
	return no_esys("ak", argc, argv);
}

/* credential make (credential.c) needs no TPM; activate does */
int vt_credential_activate(int argc, char *argv[])
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			puts("vtrust credential activate: not in this build "
			     "(no tpm2-tss)");
			return VT_EXIT_OK;
		}
	}
	return no_esys("credential activate", argc, argv);
}

int cmd_quote(int argc, char *argv[])
{
	return no_esys("quote", argc, argv);
}

int cmd_agent(int argc, char *argv[])
{
	return no_esys("agent", argc, argv);
}

int vt_attest_ek(const char *alg, json_object **ek)
{
	(void)alg;
	*ek = NULL;
	return no_esys("ek show", 0, NULL);
}

int vt_attest_ak(const char *alg, bool create, json_object **ak)
{
	(void)alg, (void)create;
	*ak = NULL;
	return no_esys("ak", 0, NULL);
}

int vt_attest_activate(const char *cred, uint8_t *secret, size_t *len)
{
	(void)cred, (void)secret, (void)len;
	return no_esys("credential activate", 0, NULL);
}

int vt_attest_quote(const uint8_t *nonce, size_t len, const char *root,
		    json_object **bundle)
{
	(void)nonce, (void)len, (void)root;
	*bundle = NULL;
	return no_esys("quote", 0, NULL);
}
