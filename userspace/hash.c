// SPDX-License-Identifier: GPL-2.0
/*
 * Digests with OpenSSL's EVP; see hash.h.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "hash.h"
#include "util.h"
#include "vtrust.h"

int vt_hash_init(struct vt_hash *h, const struct vt_alg *alg)
{
	unsigned long e;

	memset(h, 0, sizeof(*h));
	h->alg = alg;
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

int vt_hash_digest(struct vt_hash *h, const void *data, size_t len,
		   uint8_t *out)
{
	if (!EVP_DigestInit_ex2(h->ctx, h->md, NULL) ||
	    !EVP_DigestUpdate(h->ctx, data, len) ||
	    !EVP_DigestFinal_ex(h->ctx, out, NULL))
		return -1;
	return 0;
}

int vt_hash_start(struct vt_hash *h)
{
	return EVP_DigestInit_ex2(h->ctx, h->md, NULL) ? 0 : -1;
}

int vt_hash_update(struct vt_hash *h, const void *data, size_t len)
{
	return EVP_DigestUpdate(h->ctx, data, len) ? 0 : -1;
}

int vt_hash_final(struct vt_hash *h, uint8_t *out)
{
	return EVP_DigestFinal_ex(h->ctx, out, NULL) ? 0 : -1;
}

int vt_hash_extend(struct vt_hash *h, uint8_t *value, const uint8_t *digest)
{
	if (!EVP_DigestInit_ex2(h->ctx, h->md, NULL) ||
	    !EVP_DigestUpdate(h->ctx, value, h->alg->size) ||
	    !EVP_DigestUpdate(h->ctx, digest, h->alg->size) ||
	    !EVP_DigestFinal_ex(h->ctx, value, NULL))
		return -1;
	return 0;
}
