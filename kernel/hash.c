// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hash algorithms: the content digest and every PCR bank's template digest.
 *
 * Every transform is allocated at init: allocating one inside a load hook
 * can make the crypto API call modprobe, which would re-enter the hook.
 * SM3 is not in Debian's crypto API, so vtrust computes it itself (sm3.c).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <crypto/hash.h>

#include "vtrust.h"
#include "sm3.h"

/* Every algorithm a bank or the content digest may use. */
static struct vtrust_alg vtrust_algs[] = {
	{ TPM_ALG_SHA1, "sha1", "sha1", "sha1", 20 },
	{ TPM_ALG_SHA256, "sha256", "sha256", "sha256", 32 },
	{ TPM_ALG_SHA384, "sha384", "sha384", "sha384", 48 },
	{ TPM_ALG_SHA512, "sha512", "sha512", "sha512", 64 },
	{ TPM_ALG_SM3_256, "sm3", "sm3", NULL, 32 },
};

/* Large buffers are hashed in steps, with a chance to reschedule. */
#define VTRUST_HASH_STEP (1024 * 1024)

struct vtrust_alg *vtrust_alg_by_tpm_id(u16 tpm_id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vtrust_algs); i++)
		if (vtrust_algs[i].tpm_id == tpm_id)
			return &vtrust_algs[i];
	return NULL;
}

static struct vtrust_alg *alg_by_dng_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vtrust_algs); i++)
		if (!strcmp(vtrust_algs[i].dng_name, name))
			return &vtrust_algs[i];
	return NULL;
}

int vtrust_alg_get(struct vtrust_alg *alg)
{
	struct crypto_shash *tfm;

	if (!alg->crypto_name || alg->tfm)
		return 0;
	tfm = crypto_alloc_shash(alg->crypto_name, 0, 0);
	if (IS_ERR(tfm)) {
		pr_err("cannot compute %s: crypto_alloc_shash: %ld\n",
		       alg->crypto_name, PTR_ERR(tfm));
		return PTR_ERR(tfm);
	}
	alg->tfm = tfm;
	return 0;
}

static int hash_sm3(const u8 *data, size_t len, u8 *out)
{
	struct vtrust_sm3_ctx *ctx;
	size_t step;

	ctx = kmalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	vtrust_sm3_init(ctx);
	while (len) {
		step = min_t(size_t, len, VTRUST_HASH_STEP);
		vtrust_sm3_update(ctx, data, step);
		data += step;
		len -= step;
		cond_resched();
	}
	vtrust_sm3_final(ctx, out);
	kfree(ctx);
	return 0;
}

static int hash_shash(struct crypto_shash *tfm, const u8 *data, size_t len,
		      u8 *out)
{
	SHASH_DESC_ON_STACK(desc, tfm);
	size_t step;
	int ret;

	if (len <= VTRUST_HASH_STEP)
		return crypto_shash_tfm_digest(tfm, data, len, out);

	desc->tfm = tfm;
	ret = crypto_shash_init(desc);
	while (!ret && len) {
		step = min_t(size_t, len, VTRUST_HASH_STEP);
		ret = crypto_shash_update(desc, data, step);
		data += step;
		len -= step;
		cond_resched();
	}
	if (!ret)
		ret = crypto_shash_final(desc, out);
	shash_desc_zero(desc);
	return ret;
}

int vtrust_hash(struct vtrust_alg *alg, const void *data, size_t len, u8 *out)
{
	if (!alg->tfm)
		return hash_sm3(data, len, out);
	return hash_shash(alg->tfm, data, len, out);
}

/*
 * Streaming: init, any number of updates, then final, which frees the
 * context; vtrust_hash_abort() frees it instead when the caller gives up.
 * The context is allocated once, so memory does not grow with the data.
 */
int vtrust_hash_init(struct vtrust_hash_ctx *ctx, struct vtrust_alg *alg)
{
	struct shash_desc *desc;
	int ret;

	ctx->alg = alg;
	if (!alg->tfm) {
		ctx->sm3 = kmalloc(sizeof(*ctx->sm3), GFP_KERNEL);
		if (!ctx->sm3)
			return -ENOMEM;
		vtrust_sm3_init(ctx->sm3);
		return 0;
	}
	desc = kmalloc(sizeof(*desc) + crypto_shash_descsize(alg->tfm),
		       GFP_KERNEL);
	if (!desc)
		return -ENOMEM;
	desc->tfm = alg->tfm;
	ret = crypto_shash_init(desc);
	if (ret) {
		kfree(desc);
		return ret;
	}
	ctx->desc = desc;
	return 0;
}

int vtrust_hash_update(struct vtrust_hash_ctx *ctx, const void *data,
		       size_t len)
{
	if (!ctx->alg->tfm) {
		vtrust_sm3_update(ctx->sm3, data, len);
		return 0;
	}
	return crypto_shash_update(ctx->desc, data, len);
}

void vtrust_hash_abort(struct vtrust_hash_ctx *ctx)
{
	if (!ctx->alg->tfm) {
		kfree_sensitive(ctx->sm3);
		ctx->sm3 = NULL;
		return;
	}
	shash_desc_zero(ctx->desc);
	kfree(ctx->desc);
	ctx->desc = NULL;
}

int vtrust_hash_final(struct vtrust_hash_ctx *ctx, u8 *out)
{
	int ret = 0;

	if (!ctx->alg->tfm)
		vtrust_sm3_final(ctx->sm3, out);
	else
		ret = crypto_shash_final(ctx->desc, out);
	vtrust_hash_abort(ctx);
	return ret;
}

/* Allocate SHA-1 (the default list's digest) and the content hash. */
int vtrust_algs_init(const char *content_hash)
{
	int ret;

	vtrust.content_alg = alg_by_dng_name(content_hash);
	if (!vtrust.content_alg) {
		pr_err("hash=%s: unknown; use sha1, sha256, sha384, sha512 or sm3\n",
		       content_hash);
		return -EINVAL;
	}
	vtrust.sha1 = vtrust_alg_by_tpm_id(TPM_ALG_SHA1);
	ret = vtrust_alg_get(vtrust.sha1);
	if (!ret)
		ret = vtrust_alg_get(vtrust.content_alg);
	if (ret)
		vtrust_algs_exit();
	return ret;
}

void vtrust_algs_exit(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vtrust_algs); i++) {
		if (vtrust_algs[i].tfm)
			crypto_free_shash(vtrust_algs[i].tfm);
		vtrust_algs[i].tfm = NULL;
	}
}
