// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SM3 throughput: vtrust_sm3 against OpenSSL's EVP_sm3 on the same buffer.
 * Not a test; built without sanitizers by "make bench".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <openssl/evp.h>

#include "sm3.h"

#define BUF_SIZE (1 << 20)

/* CPU time, so that other load on the machine counts less */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double run_vtrust(const u8 *buf, int rounds, u8 *out)
{
	double t = now();
	int i;

	for (i = 0; i < rounds; i++)
		vtrust_sm3_digest(buf, BUF_SIZE, out);
	return now() - t;
}

static double run_openssl(const u8 *buf, int rounds, u8 *out)
{
	double t = now();
	unsigned int olen;
	int i;

	for (i = 0; i < rounds; i++)
		EVP_Digest(buf, BUF_SIZE, out, &olen, EVP_sm3(), NULL);
	return now() - t;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 200;
	u8 a[32], b[32];
	double tv, to;
	u8 *buf;
	int i;

	buf = malloc(BUF_SIZE);
	if (!buf)
		return 1;
	for (i = 0; i < BUF_SIZE; i++)
		buf[i] = (u8)(i * 131 + (i >> 9));

	run_vtrust(buf, 5, a); /* warm up */
	run_openssl(buf, 5, b);
	tv = run_vtrust(buf, rounds, a);
	to = run_openssl(buf, rounds, b);
	if (memcmp(a, b, sizeof(a))) {
		fprintf(stderr, "digest mismatch\n");
		return 1;
	}
	printf("vtrust sm3:  %.1f MB/s\n", rounds / tv);
	printf("openssl sm3: %.1f MB/s\n", rounds / to);
	printf("ratio: %.2f\n", to / tv);
	free(buf);
	return 0;
}
