// SPDX-License-Identifier: GPL-2.0
/*
 * evidence-bench: the verifier library in a loop, as the trusted service
 * runs it (one process, inputs loaded once, one vt_appraise() per bundle).
 *
 *   evidence-bench FILE NONCE_HEX AK_TPM2B [BASELINE] [SECONDS]
 *
 * Runs vt_appraise() on FILE again and again for SECONDS (default 3) of
 * CPU time and prints one JSON line: the verdict of the last run, how many
 * ran, the CPU seconds they took and the rate. Exit 0 if every run gave
 * the same verdict as the first, 1 if not, 2 on bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "appraise.h"
#include "baseline.h"
#include "evidence.h"
#include "hex.h"
#include "util.h"

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char *argv[])
{
	static struct vt_tpm_public ak;
	struct vt_appraise_opts o = { 0 };
	struct vt_appraisal v;
	uint8_t nonce[64], *text = NULL, *akbuf = NULL;
	size_t len, aklen, n = 0, nlen;
	double secs = 3, t0, t;
	const char *first = NULL;
	char why[160];
	int same = 1;

	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: evidence-bench FILE NONCE AK_TPM2B "
			"[BASELINE] [SECONDS]\n");
		return 2;
	}
	nlen = strlen(argv[2]) / 2;
	if (nlen > sizeof(nonce) ||
	    vt_unhex(nonce, nlen, argv[2], strlen(argv[2])) ||
	    vt_read_file(argv[1], VT_EVIDENCE_MAX, &text, &len) ||
	    vt_read_file(argv[3], 4096, &akbuf, &aklen) ||
	    vt_tpm_public_parse(akbuf, aklen, &ak, why, sizeof(why))) {
		fprintf(stderr, "evidence-bench: bad input\n");
		return 2;
	}
	if (argc > 4 && strcmp(argv[4], "-") &&
	    vt_baseline_load(argv[4], &o.baseline))
		return 2;
	if (argc > 5)
		secs = atof(argv[5]);
	o.nonce = nonce;
	o.nonce_len = nlen;
	o.ak = &ak;
	o.ak_key = vt_tpm_public_pkey(&ak);	/* once, as a service would */
	t0 = cpu_now();
	do {
		vt_appraise((const char *)text, len, &o, &v);
		if (!first)
			first = v.result;
		same &= !strcmp(first, v.result);
		n++;
		t = cpu_now() - t0;
		if (t < secs)
			vt_appraisal_free(&v);
	} while (t < secs);
	printf("{\"result\": \"%s\", \"exit\": %d, \"runs\": %zu, "
	       "\"cpu_seconds\": %.3f, \"per_second\": %.1f}\n", v.result,
	       v.exit, n, t, n / t);
	vt_appraisal_free(&v);
	json_object_put(o.baseline);
	free(text);
	free(akbuf);
	EVP_PKEY_free(o.ak_key);
	return same ? 0 : 1;
}
