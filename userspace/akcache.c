// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The enrolled AKs vtrustd has read, kept for the process: an instance's
 * AK is stored as its TPM2B_PUBLIC in base64; decoding it, parsing it and
 * building and checking its key (an EC point on its curve, an RSA modulus)
 * took an eighth of an attestation's time when done at each one. Here it
 * is done once per AK.
 *
 * An entry is found by the stored text itself (compared whole, not only
 * its hash), so it can only ever stand for the key that text holds. At
 * most AKC_MAX entries: when full, the cache is emptied and fills again.
 * Threads share it under one mutex; the work of a miss is done outside
 * it. A key handed out is a reference of its own (EVP_PKEY_up_ref), and
 * keys are only read (verified with) after they are built.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "akcache.h"
#include "evidence.h"

#define AKC_BUCKETS	4096
#define AKC_MAX		65536

struct akc_entry {
	struct akc_entry *next;
	uint64_t hash;
	char *b64;
	struct vt_tpm_public pub;
	EVP_PKEY *key;
};

static pthread_mutex_t akc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct akc_entry *akc_table[AKC_BUCKETS];
static unsigned int akc_count;

/* FNV-1a, 64 bits */
static uint64_t text_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ULL;
	return h;
}

static void entry_free(struct akc_entry *e)
{
	EVP_PKEY_free(e->key);
	free(e->b64);
	free(e);
}

/* Under akc_lock. */
static void empty(void)
{
	struct akc_entry *e, *next;
	unsigned int i;

	for (i = 0; i < AKC_BUCKETS; i++) {
		for (e = akc_table[i]; e; e = next) {
			next = e->next;
			entry_free(e);
		}
		akc_table[i] = NULL;
	}
	akc_count = 0;
}

/* Under akc_lock: the entry for @b64, or NULL. */
static struct akc_entry *find(const char *b64, uint64_t hash)
{
	struct akc_entry *e;

	for (e = akc_table[hash % AKC_BUCKETS]; e; e = e->next)
		if (e->hash == hash && !strcmp(e->b64, b64))
			return e;
	return NULL;
}

/* A copy of @e's AK for the caller: 0, or -1 (no reference to be had). */
static int hand_out(const struct akc_entry *e, struct vt_tpm_public *pub,
		    EVP_PKEY **key)
{
	if (!EVP_PKEY_up_ref(e->key))
		return -1;
	*pub = e->pub;
	*key = e->key;
	return 0;
}

/* A new entry for @b64, decoded, parsed and its key checked; or NULL. */
static struct akc_entry *build(const char *b64, uint64_t hash)
{
	size_t len = strlen(b64);
	struct akc_entry *e;
	uint8_t *buf;
	char why[160];
	long n;

	e = calloc(1, sizeof(*e));
	buf = malloc(len / 4 * 3 + 3);
	if (!e || !buf || !(e->b64 = strdup(b64)))
		goto fail;
	n = vt_base64_decode(b64, len, buf);
	if (n < 0 || vt_tpm_public_parse(buf, n, &e->pub, why, sizeof(why)))
		goto fail;
	e->key = vt_tpm_public_pkey(&e->pub);
	if (!e->key)
		goto fail;
	e->hash = hash;
	free(buf);
	return e;
fail:
	ERR_clear_error();
	free(buf);
	if (e)
		entry_free(e);
	return NULL;
}

int vt_akcache_get(const char *b64, struct vt_tpm_public *pub,
		   EVP_PKEY **key)
{
	uint64_t hash = text_hash(b64);
	struct akc_entry *e, *fresh;
	int ret;

	*key = NULL;
	pthread_mutex_lock(&akc_lock);
	e = find(b64, hash);
	ret = e ? hand_out(e, pub, key) : 1;
	pthread_mutex_unlock(&akc_lock);
	if (ret <= 0)
		return ret;
	fresh = build(b64, hash);
	if (!fresh)
		return -1;
	pthread_mutex_lock(&akc_lock);
	e = find(b64, hash);	/* another thread may have been first */
	if (!e) {
		if (akc_count >= AKC_MAX)
			empty();
		e = fresh;
		e->next = akc_table[hash % AKC_BUCKETS];
		akc_table[hash % AKC_BUCKETS] = e;
		akc_count++;
		fresh = NULL;
	}
	ret = hand_out(e, pub, key);
	pthread_mutex_unlock(&akc_lock);
	if (fresh)
		entry_free(fresh);
	return ret;
}

void vt_akcache_clear(void)
{
	pthread_mutex_lock(&akc_lock);
	empty();
	pthread_mutex_unlock(&akc_lock);
}
