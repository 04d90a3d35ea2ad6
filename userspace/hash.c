// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Digests with OpenSSL's EVP; see hash.h.
 */
/* SHA1_Init() and its kin are deprecated in OpenSSL 3 in favour of EVP */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "hash.h"
#include "util.h"
#include "vtrust.h"

/* OpenSSL's SHA functions, by algorithm; their contexts live in fctx */
struct vt_hash_fast {
	enum vt_alg_id id;
	int (*init)(void *c);
	int (*update)(void *c, const void *data, size_t len);
	int (*final)(unsigned char *out, void *c);
	size_t ctx_size;
};

/* typed wrappers: calling SHA1_Init() through an int (*)(void *) is not C */
#define FAST(ALG, CTX, INIT, UPDATE, FINAL)				\
static int ALG##_init(void *c) { return INIT((CTX *)c); }		\
static int ALG##_update(void *c, const void *d, size_t n)		\
{									\
	return UPDATE((CTX *)c, d, n);					\
}									\
static int ALG##_final(unsigned char *out, void *c)			\
{									\
	return FINAL(out, (CTX *)c);					\
}

FAST(sha1, SHA_CTX, SHA1_Init, SHA1_Update, SHA1_Final)
FAST(sha256, SHA256_CTX, SHA256_Init, SHA256_Update, SHA256_Final)
FAST(sha384, SHA512_CTX, SHA384_Init, SHA384_Update, SHA384_Final)
FAST(sha512, SHA512_CTX, SHA512_Init, SHA512_Update, SHA512_Final)

static const struct vt_hash_fast fast[] = {
	{ VT_ALG_SHA1, sha1_init, sha1_update, sha1_final, sizeof(SHA_CTX) },
	{ VT_ALG_SHA256, sha256_init, sha256_update, sha256_final,
	  sizeof(SHA256_CTX) },
	{ VT_ALG_SHA384, sha384_init, sha384_update, sha384_final,
	  sizeof(SHA512_CTX) },
	{ VT_ALG_SHA512, sha512_init, sha512_update, sha512_final,
	  sizeof(SHA512_CTX) },
};

static const struct vt_hash_fast *fast_of(const struct vt_alg *alg)
{
	size_t i;

	for (i = 0; i < sizeof(fast) / sizeof(fast[0]); i++)
		if (fast[i].id == alg->id &&
		    fast[i].ctx_size <= sizeof(((struct vt_hash *)0)->fctx))
			return &fast[i];
	return NULL;
}

int vt_hash_init(struct vt_hash *h, const struct vt_alg *alg)
{
	unsigned long e;

	memset(h, 0, sizeof(*h));
	h->alg = alg;
	h->fast = fast_of(alg);
	if (h->fast)
		return 0;
	h->md = EVP_MD_fetch(NULL, alg->evp, NULL);
	if (!h->md) {
		e = ERR_get_error();
		vt_err(alg->name, "OpenSSL has no %s digest: %s", alg->evp,
		       e ? ERR_reason_error_string(e) : "unknown error");
		return VT_EXIT_SYSTEM;
	}
	if ((unsigned int)EVP_MD_get_size(h->md) != alg->size) {
		vt_err(alg->name, "OpenSSL's %s has size %d, not %u", alg->evp,
		       EVP_MD_get_size(h->md), alg->size);
		vt_hash_free(h);
		return VT_EXIT_SYSTEM;
	}
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx) {
		vt_err(alg->name, "out of memory");
		vt_hash_free(h);
		return VT_EXIT_SYSTEM;
	}
	return 0;
}

void vt_hash_free(struct vt_hash *h)
{
	EVP_MD_CTX_free(h->ctx);
	EVP_MD_free(h->md);
	h->ctx = NULL;
	h->md = NULL;
}

int vt_hash_start(struct vt_hash *h)
{
	if (h->fast)
		return h->fast->init(h->fctx) ? 0 : -1;
	return EVP_DigestInit_ex2(h->ctx, h->md, NULL) ? 0 : -1;
}

int vt_hash_update(struct vt_hash *h, const void *data, size_t len)
{
	if (h->fast)
		return h->fast->update(h->fctx, data, len) ? 0 : -1;
	return EVP_DigestUpdate(h->ctx, data, len) ? 0 : -1;
}

int vt_hash_final(struct vt_hash *h, uint8_t *out)
{
	if (h->fast)
		return h->fast->final(out, h->fctx) ? 0 : -1;
	return EVP_DigestFinal_ex(h->ctx, out, NULL) ? 0 : -1;
}

int vt_hash_digest(struct vt_hash *h, const void *data, size_t len,
		   uint8_t *out)
{
	if (vt_hash_start(h) || vt_hash_update(h, data, len) ||
	    vt_hash_final(h, out))
		return -1;
	return 0;
}

int vt_hash_extend(struct vt_hash *h, uint8_t *value, const uint8_t *digest)
{
	if (vt_hash_start(h) || vt_hash_update(h, value, h->alg->size) ||
	    vt_hash_update(h, digest, h->alg->size) || vt_hash_final(h, value))
		return -1;
	return 0;
}
