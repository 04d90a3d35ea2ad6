// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrustd's cache of enrolled AKs (akcache.c), against keys made here with
 * OpenSSL and marshalled as a TPM would: each text gives back its own key
 * (EVP_PKEY_eq with the key it was made from) and public area, the second
 * time from the cache (the same key object); a text that does not parse,
 * or a point off the curve, gives -1 each time; threads asking at once
 * each get the right key; after a clear, keys are built again.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include "akcache.h"
#include "check.h"

#define NR_KEYS		40
#define NR_THREADS	4
#define NR_GETS		2000

static EVP_PKEY *keys[NR_KEYS];
static char *texts[NR_KEYS];
static uint8_t raws[NR_KEYS][128];
static size_t raw_lens[NR_KEYS];

static char *base64(const uint8_t *p, size_t n)
{
	char *s = malloc(4 * ((n + 2) / 3) + 1);

	if (s)
		EVP_EncodeBlock((unsigned char *)s, p, (int)n);
	return s;
}

static void put16(uint8_t *b, size_t *n, unsigned int v)
{
	b[(*n)++] = v >> 8;
	b[(*n)++] = v & 0xff;
}

/* TPM2B_PUBLIC of an ECDSA P-256 signing key with point @pt (04 x y). */
static size_t marshal(uint8_t *b, const uint8_t *pt)
{
	size_t n = 2;

	put16(b, &n, 0x0023);		/* TPM_ALG_ECC */
	put16(b, &n, 0x000b);		/* nameAlg SHA-256 */
	put16(b, &n, 0x0005);		/* objectAttributes, high half */
	put16(b, &n, 0x0072);		/* fixedTPM|fixedParent|sensitive...|sign */
	put16(b, &n, 0);		/* authPolicy */
	put16(b, &n, 0x0010);		/* symmetric: NULL */
	put16(b, &n, 0x0018);		/* scheme: ECDSA */
	put16(b, &n, 0x000b);		/* with SHA-256 */
	put16(b, &n, 0x0003);		/* NIST P-256 */
	put16(b, &n, 0x0010);		/* kdf: NULL */
	put16(b, &n, 32);
	memcpy(b + n, pt + 1, 32);
	n += 32;
	put16(b, &n, 32);
	memcpy(b + n, pt + 33, 32);
	n += 32;
	b[0] = (n - 2) >> 8;
	b[1] = (n - 2) & 0xff;
	return n;
}

static void setup(void)
{
	uint8_t pt[65];
	size_t len;
	unsigned int i;

	for (i = 0; i < NR_KEYS; i++) {
		keys[i] = EVP_EC_gen("P-256");
		if (!keys[i] ||
		    !EVP_PKEY_get_octet_string_param(keys[i],
						     OSSL_PKEY_PARAM_PUB_KEY,
						     pt, sizeof(pt), &len) ||
		    len != 65) {
			fprintf(stderr, "cannot make a P-256 key\n");
			exit(2);
		}
		raw_lens[i] = marshal(raws[i], pt);
		texts[i] = base64(raws[i], raw_lens[i]);
	}
}

/* @pub and @key are key i's. */
static int is_key(unsigned int i, const struct vt_tpm_public *pub,
		  EVP_PKEY *key)
{
	return EVP_PKEY_eq(key, keys[i]) == 1 &&
	       pub->raw_len == raw_lens[i] - 2 &&
	       !memcmp(pub->raw, raws[i] + 2, pub->raw_len);
}

static void test_keys(void)
{
	struct vt_tpm_public *pub = malloc(sizeof(*pub));
	EVP_PKEY *first[NR_KEYS], *k;
	unsigned int i;

	for (i = 0; i < NR_KEYS; i++) {
		first[i] = NULL;
		CHECK(!vt_akcache_get(texts[i], pub, &first[i]));
		CHECK(first[i] && is_key(i, pub, first[i]));
	}
	for (i = 0; i < NR_KEYS; i++) {
		CHECK(!vt_akcache_get(texts[i], pub, &k));
		/* from the cache: the same key, and still key i's */
		CHECK(k == first[i] && is_key(i, pub, k));
		CHECK(i == 0 || EVP_PKEY_eq(k, keys[i - 1]) != 1);
		EVP_PKEY_free(k);
	}
	/* after a clear, built again: another object, the same key */
	vt_akcache_clear();
	CHECK(!vt_akcache_get(texts[3], pub, &k));
	CHECK(k != first[3] && is_key(3, pub, k));
	EVP_PKEY_free(k);
	for (i = 0; i < NR_KEYS; i++)
		EVP_PKEY_free(first[i]);
	free(pub);
}

static void test_bad(void)
{
	struct vt_tpm_public *pub = malloc(sizeof(*pub));
	uint8_t b[128], pt[65];
	EVP_PKEY *k = (EVP_PKEY *)1;
	char *t;
	size_t n;

	CHECK(vt_akcache_get("", pub, &k) == -1 && !k);
	CHECK(vt_akcache_get("not base64!", pub, &k) == -1 && !k);
	/* a valid TPM2B_PUBLIC cut short */
	t = strdup(texts[0]);
	t[40] = '\0';
	CHECK(vt_akcache_get(t, pub, &k) == -1 && !k);
	free(t);
	/* the point (1, 1) is not on P-256: refused, every time */
	memset(pt, 0, sizeof(pt));
	pt[0] = 4;
	pt[32] = 1;
	pt[64] = 1;
	n = marshal(b, pt);
	t = base64(b, n);
	CHECK(vt_akcache_get(t, pub, &k) == -1 && !k);
	CHECK(vt_akcache_get(t, pub, &k) == -1 && !k);
	free(t);
	free(pub);
}

static void *asker(void *arg)
{
	struct vt_tpm_public *pub = malloc(sizeof(*pub));
	unsigned int seed = (unsigned int)(uintptr_t)arg, g, i;
	long wrong = 0;
	EVP_PKEY *k;

	for (g = 0; g < NR_GETS; g++) {
		i = rand_r(&seed) % NR_KEYS;
		if (vt_akcache_get(texts[i], pub, &k) || !is_key(i, pub, k))
			wrong++;
		EVP_PKEY_free(k);
		if (g % 500 == 499 && seed % 2)
			vt_akcache_clear();
	}
	free(pub);
	return (void *)wrong;
}

static void test_threads(void)
{
	pthread_t th[NR_THREADS];
	unsigned int i;
	void *wrong;

	vt_akcache_clear();
	for (i = 0; i < NR_THREADS; i++)
		CHECK(!pthread_create(&th[i], NULL, asker,
				      (void *)(uintptr_t)(i + 1)));
	for (i = 0; i < NR_THREADS; i++) {
		pthread_join(th[i], &wrong);
		CHECK(!wrong);
	}
}

int main(void)
{
	unsigned int i;

	setup();
	RUN(test_keys);
	RUN(test_bad);
	RUN(test_threads);
	vt_akcache_clear();
	for (i = 0; i < NR_KEYS; i++) {
		EVP_PKEY_free(keys[i]);
		free(texts[i]);
	}
	DONE();
}
