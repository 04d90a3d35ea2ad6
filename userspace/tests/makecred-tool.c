// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A driver of makecred.c for tests/test-makecred.py:
 *
 *   makecred-tool --ek FILE --name HEX --secret FILE --out FILE
 *	the credential for the EK (a TPM2B_PUBLIC file, as tpm2_createek -u
 *	writes) and the AK Name, in tpm2-tools' file format: the magic
 *	0xbadcc0de and version 1 (32-bit big-endian), the TPM2B_ID_OBJECT,
 *	the TPM2B_ENCRYPTED_SECRET (what tpm2_activatecredential -i reads)
 *   makecred-tool kdfa|kdfe HASH KEY LABEL U V BITS
 *	prints vt_kdfa() or vt_kdfe() in hex; KEY (Z for kdfe), U and V are
 *	hex (may be empty), HASH a bank name (sha256, sm3_256 ...)
 *
 * Exit status: 0 done, 1 refused (the reason on stderr), 2 usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algs.h"
#include "hex.h"
#include "makecred.h"

#define FILE_MAX 4096

static int usage(void)
{
	fprintf(stderr,
		"usage: makecred-tool --ek FILE --name HEX --secret FILE --out FILE\n"
		"       makecred-tool kdfa|kdfe HASH KEY LABEL U V BITS\n");
	return 2;
}

/* All of @path (at most FILE_MAX bytes) into @buf; its size, or -1. */
static long slurp(const char *path, uint8_t *buf)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, FILE_MAX + 1, f);
	if (ferror(f) || n > FILE_MAX) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return n;
}

/* @s in hex into @buf (at most FILE_MAX bytes); its size, or -1. */
static long unhex(const char *s, uint8_t *buf)
{
	size_t len = strlen(s);

	if (len % 2 || len / 2 > FILE_MAX || vt_unhex(buf, len / 2, s, len))
		return -1;
	return len / 2;
}

static int kdf(char **argv)
{
	static uint8_t key[FILE_MAX], u[FILE_MAX], v[FILE_MAX], *out;
	const struct vt_alg *alg = vt_alg_find(argv[1], strlen(argv[1]));
	long klen = unhex(argv[2], key), ulen = unhex(argv[4], u);
	long vlen = unhex(argv[5], v);
	unsigned long bits = strtoul(argv[6], NULL, 10);
	char *hex;
	int ret;

	if (!alg || klen < 0 || ulen < 0 || vlen < 0 || !bits ||
	    bits > 1u << 20)
		return usage();
	out = malloc((bits + 7) / 8);
	hex = malloc((bits + 7) / 8 * 2 + 1);
	if (!out || !hex) {
		ret = 1;
		goto out;
	}
	if (!strcmp(argv[0], "kdfa"))
		ret = vt_kdfa(alg->tpm_alg, key, klen, argv[3], u, ulen, v,
			      vlen, bits, out);
	else
		ret = vt_kdfe(alg->tpm_alg, key, klen, argv[3], u, ulen, v,
			      vlen, bits, out);
	if (ret) {
		fprintf(stderr, "makecred-tool: %s failed\n", argv[0]);
		ret = 1;
		goto out;
	}
	vt_hex(hex, out, (bits + 7) / 8);
	printf("%s\n", hex);
out:
	free(out);
	free(hex);
	return ret;
}

int main(int argc, char **argv)
{
	static uint8_t ek[FILE_MAX], name[FILE_MAX], secret[FILE_MAX];
	static const uint8_t head[8] = { 0xba, 0xdc, 0xc0, 0xde, 0, 0, 0, 1 };
	const char *ek_path = NULL, *name_hex = NULL, *secret_path = NULL;
	const char *out_path = NULL;
	uint8_t *id = NULL, *es = NULL;
	long ek_len, name_len, secret_len;
	size_t id_len, es_len;
	char why[256];
	FILE *f;
	int i, ret = 1;

	if (argc == 8 && (!strcmp(argv[1], "kdfa") || !strcmp(argv[1], "kdfe")))
		return kdf(argv + 1);
	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--ek"))
			ek_path = argv[i + 1];
		else if (!strcmp(argv[i], "--name"))
			name_hex = argv[i + 1];
		else if (!strcmp(argv[i], "--secret"))
			secret_path = argv[i + 1];
		else if (!strcmp(argv[i], "--out"))
			out_path = argv[i + 1];
		else
			return usage();
	}
	if (i != argc || !ek_path || !name_hex || !secret_path || !out_path)
		return usage();
	ek_len = slurp(ek_path, ek);
	secret_len = slurp(secret_path, secret);
	name_len = unhex(name_hex, name);
	if (ek_len < 0 || secret_len < 0 || name_len < 0) {
		fprintf(stderr, "makecred-tool: cannot read the inputs\n");
		return 1;
	}
	if (vt_makecred(ek, ek_len, name, name_len, secret, secret_len,
			&id, &id_len, &es, &es_len, why, sizeof(why))) {
		fprintf(stderr, "makecred-tool: %s\n", why);
		return 1;
	}
	f = fopen(out_path, "wb");
	if (!f)
		goto out;
	if (fwrite(head, 1, sizeof(head), f) != sizeof(head) ||
	    fwrite(id, 1, id_len, f) != id_len ||
	    fwrite(es, 1, es_len, f) != es_len) {
		fclose(f);
		goto out;
	}
	if (!fclose(f))
		ret = 0;
out:
	if (ret)
		fprintf(stderr, "makecred-tool: cannot write %s\n", out_path);
	free(id);
	free(es);
	return ret;
}
