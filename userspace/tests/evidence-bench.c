// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * evidence-bench: the verifier library in a loop, as the trusted service
 * runs it (one process, inputs loaded once, one vt_appraise() per bundle).
 *
 *   evidence-bench FILE NONCE_HEX AK_TPM2B [BASELINE|-] [SECONDS] [THREADS]
 *
 * Runs vt_appraise() on FILE again and again for SECONDS (default 3) of
 * CPU time in each of THREADS threads (default 1; 16 at most), all with
 * the same options, and prints one JSON line: the verdict, how many ran,
 * the CPU seconds they took and the rate per CPU second. Exit 0 if every
 * run in every thread gave the same verdict, 1 if not, 2 on bad input.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "appraise.h"
#include "baseline.h"
#include "evidence.h"
#include "hex.h"
#include "util.h"

struct run {
	const struct vt_appraise_opts *o;
	const char *baseline;	/* loaded by each thread for itself */
	const char *text;
	size_t len;
	double secs;
	size_t n;
	char result[16];
	int exit;
	bool same;
	double cpu;
};

/* Judge the bundle until @secs of this thread's CPU time have passed. */
static void *loop(void *arg)
{
	struct run *r = arg;
	struct vt_appraise_opts o = *r->o;
	struct vt_appraisal v;
	struct timespec ts;
	double t0, t;

	/* json-c's reference counts are not atomic: one baseline a thread */
	if (r->baseline && vt_baseline_load(r->baseline, &o.baseline)) {
		r->exit = 2;
		return NULL;
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	t0 = ts.tv_sec + ts.tv_nsec / 1e9;
	r->same = true;
	do {
		vt_appraise(r->text, r->len, &o, &v);
		if (!r->n)
			snprintf(r->result, sizeof(r->result), "%s", v.result);
		r->same &= !strcmp(r->result, v.result);
		r->exit = v.exit;
		r->n++;
		vt_appraisal_free(&v);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
		t = ts.tv_sec + ts.tv_nsec / 1e9 - t0;
	} while (t < r->secs);
	r->cpu = t;
	json_object_put(o.baseline);
	return NULL;
}

int main(int argc, char *argv[])
{
	static struct vt_tpm_public ak;
	struct vt_appraise_opts o = { 0 };
	struct run runs[16];
	pthread_t th[16];
	uint8_t nonce[64], *text = NULL, *akbuf = NULL;
	size_t len, aklen, nlen, n = 0;
	unsigned int i, threads = 1;
	double secs = 3, cpu = 0;
	char why[160];
	bool same = true;

	if (argc < 4 || argc > 7) {
		fprintf(stderr, "usage: evidence-bench FILE NONCE AK_TPM2B "
			"[BASELINE|-] [SECONDS] [THREADS]\n");
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
	if (argc > 5)
		secs = atof(argv[5]);
	if (argc > 6 && (vt_parse_uint(argv[6], 16, &threads) || !threads))
		return 2;
	o.nonce = nonce;
	o.nonce_len = nlen;
	o.ak = &ak;
	o.no_boot = true;	/* unless a baseline is given */
	o.ak_key = vt_tpm_public_pkey(&ak);	/* once, as a service would */
	for (i = 0; i < threads; i++) {
		runs[i] = (struct run){ .o = &o, .text = (const char *)text,
					.len = len, .secs = secs };
		if (argc > 4 && strcmp(argv[4], "-"))
			runs[i].baseline = argv[4];
		if (pthread_create(&th[i], NULL, loop, &runs[i]))
			return 3;
	}
	for (i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		n += runs[i].n;
		cpu += runs[i].cpu;
		same &= runs[i].n && runs[i].same &&
			!strcmp(runs[i].result, runs[0].result);
	}
	printf("{\"result\": \"%s\", \"exit\": %d, \"threads\": %u, "
	       "\"runs\": %zu, \"cpu_seconds\": %.3f, \"per_second\": %.1f}\n",
	       runs[0].result, runs[0].exit, threads, n, cpu, n / cpu);
	EVP_PKEY_free(o.ak_key);
	free(text);
	free(akbuf);
	return same ? 0 : 1;
}
