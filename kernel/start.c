// SPDX-License-Identifier: GPL-2.0-only
/*
 * Lifecycle events: the start entry that binds the list to this boot, the
 * modules resident before vtrust, and vtrust's own unload. Their layout is
 * documented in docs/FORMATS.md.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "vtrust.h"
#include "compat.h"

#define VTRUST_UNLOAD_NAME "vtrust-unload"
#define VTRUST_BOOT_PCRS 10 /* the boot aggregate covers PCRs 0-9 */

/* Which bank the boot aggregate uses: the content hash's, else the first. */
static int aggregate_bank(void)
{
	unsigned int i;

	for (i = 0; i < vtrust.nr_banks; i++)
		if (vtrust.banks[i].alg == vtrust.content_alg)
			return i;
	return 0;
}

static int boot_aggregate(unsigned int bank, u8 *out)
{
	unsigned int size = vtrust.banks[bank].alg->size;
	unsigned int i;
	u8 *pcrs;
	int ret = 0;

	pcrs = kmalloc_array(VTRUST_BOOT_PCRS, size, GFP_KERNEL);
	if (!pcrs)
		return -ENOMEM;
	for (i = 0; i < VTRUST_BOOT_PCRS && !ret; i++)
		ret = vtrust_tpm_read(i, bank, pcrs + i * size);
	if (!ret)
		ret = vtrust_hash(vtrust.banks[bank].alg, pcrs,
				  VTRUST_BOOT_PCRS * size, out);
	kfree(pcrs);
	return ret;
}

/*
 * What the start entry records: the boot aggregate, vtrust's PCR in every
 * bank, the policy's digest and the module parameters.
 */
struct start_data {
	u8 aggregate[VTRUST_MAX_DIGEST_SIZE];
	u8 prior[TPM2_MAX_PCR_BANKS][VTRUST_MAX_DIGEST_SIZE];
	u8 policy[VTRUST_MAX_DIGEST_SIZE];
	struct vtrust_start_digest agg_d;
	struct vtrust_start_digest prior_d[TPM2_MAX_PCR_BANKS];
	struct vtrust_start_digest policy_d;
	struct vtrust_start_param params[VTRUST_MAX_PARAMS];
};

static const struct vtrust_start_digest *
set_digest(struct vtrust_start_digest *d, struct vtrust_alg *alg,
	   const char *name, const u8 *digest)
{
	d->alg = name;
	d->digest = digest;
	d->size = alg->size;
	return d;
}

static int start_info(struct start_data *s, struct vtrust_start_info *info)
{
	unsigned int i;
	int bank, ret;

	info->pcr = vtrust.pcr;
	info->instance = vtrust.instance_id;
	info->instance_size = sizeof(vtrust.instance_id);
	info->lockdown = vtrust.lockdown;
	info->nr_params = vtrust_params(s->params, ARRAY_SIZE(s->params));
	info->params = s->params;
	ret = vtrust_rules_digest(vtrust.content_alg, s->policy);
	if (ret)
		return ret;
	info->policy = set_digest(&s->policy_d, vtrust.content_alg,
				  vtrust.content_alg->dng_name, s->policy);
	if (!vtrust.chip)
		return 0;

	bank = aggregate_bank();
	ret = boot_aggregate(bank, s->aggregate);
	if (ret)
		return ret;
	info->aggregate = set_digest(&s->agg_d, vtrust.banks[bank].alg,
				     vtrust.banks[bank].alg->bank_name,
				     s->aggregate);
	for (i = 0; i < vtrust.nr_banks; i++) {
		struct vtrust_alg *alg = vtrust.banks[i].alg;

		ret = vtrust_tpm_read(vtrust.pcr, i, s->prior[i]);
		if (ret)
			return ret;
		set_digest(&s->prior_d[i], alg, alg->bank_name, s->prior[i]);
	}
	info->prior = s->prior_d;
	info->nr_prior = vtrust.nr_banks;
	return 0;
}

/*
 * The start entry (docs/FORMATS.md): an ima-buf entry whose buf is the
 * text startfmt.c builds, in a buffer sized for it.
 */
int vtrust_measure_start(void)
{
	struct vtrust_start_info info = {};
	struct start_data *s;
	char *buf = NULL;
	int len, ret;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	ret = start_info(s, &info);
	if (ret) {
		pr_err("cannot read the TPM's PCRs or the policy for the start entry: %d\n",
		       ret);
		goto out_free;
	}
	len = vtrust_start_format(NULL, 0, &info);
	if (len >= 0) {
		buf = kmalloc(len + 1, GFP_KERNEL);
		ret = buf ? vtrust_start_format(buf, len + 1, &info) : -ENOMEM;
	} else {
		ret = len;
	}
	if (ret < 0) {
		pr_err("cannot build the start entry: %d\n", ret);
		goto out_free;
	}
	ret = vtrust_log_buf(VTRUST_START_NAME, buf, len, vtrust.pcr,
			     VTRUST_LOG_STATE);
out_free:
	kfree(buf);
	kfree(s);
	return ret;
}

int vtrust_measure_unload(void)
{
	return vtrust_log_ng(VTRUST_UNLOAD_NAME, VTRUST_UNLOAD_NAME,
			     strlen(VTRUST_UNLOAD_NAME), 0);
}

/* A resident module, collected under module_mutex and logged after. */
struct resident {
	struct list_head list;
	char *name;
	char *desc;
};

static char *resident_desc(struct module *mod)
{
	return kasprintf(GFP_KERNEL,
			 "name=%s version=%s srcversion=%s text=%u ro=%u",
			 mod->name, mod->version ?: "", mod->srcversion ?: "",
			 vtrust_module_text_size(mod),
			 vtrust_module_ro_size(mod));
}

static int residents_collect(struct list_head *out)
{
	struct mutex *lock = vtrust_sym_module_mutex();
	struct module *mod;
	struct resident *r;
	char *name;
	int ret = 0;

	mutex_lock(lock);
	list_for_each_entry(mod, vtrust_sym_modules(), list) {
		/*
		 * LIVE, and COMING: loaded (its code runs) with its init not
		 * yet finished. Skipped: GOING (on its way out) and UNFORMED
		 * (still being set up, its modinfo not yet read). A module
		 * that is UNFORMED here but was read before the hooks were
		 * installed is therefore not recorded.
		 */
		if (mod == THIS_MODULE || (mod->state != MODULE_STATE_LIVE &&
					   mod->state != MODULE_STATE_COMING))
			continue;
		r = kzalloc(sizeof(*r), GFP_KERNEL);
		if (!r) {
			ret = -ENOMEM;
			break;
		}
		list_add_tail(&r->list, out);
		name = vtrust_escape_dup(mod->name, GFP_KERNEL);
		if (name)
			r->name = kasprintf(GFP_KERNEL, "resident:%s", name);
		kfree(name);
		r->desc = resident_desc(mod);
		if (!r->name || !r->desc) {
			ret = -ENOMEM;
			break;
		}
	}
	mutex_unlock(lock);
	return ret;
}

int vtrust_measure_residents(void)
{
	struct resident *r, *tmp;
	LIST_HEAD(residents);
	int ret;

	ret = residents_collect(&residents);
	list_for_each_entry_safe(r, tmp, &residents, list) {
		if (!ret)
			ret = vtrust_log_ng(r->name, r->desc, strlen(r->desc),
					    0);
		list_del(&r->list);
		kfree(r->name);
		kfree(r->desc);
		kfree(r);
	}
	return ret;
}
