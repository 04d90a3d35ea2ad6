// SPDX-License-Identifier: GPL-2.0
/*
 * Lifecycle events: the start entry that binds the list to this boot, the
 * modules resident before vtrust, and vtrust's own unload. Their layout is
 * documented in docs/FORMATS.md.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "vtrust.h"
#include "compat.h"

#define VTRUST_START_NAME "vtrust-start"
#define VTRUST_UNLOAD_NAME "vtrust-unload"
#define VTRUST_START_VERSION 1
#define VTRUST_BOOT_PCRS 10 /* the boot aggregate covers PCRs 0-9 */

/* Log an ima-ng lifecycle event: d-ng is the content hash of @buf. */
static int log_ng(const char *name, const void *buf, size_t len)
{
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	int ret;

	ret = vtrust_hash(vtrust.content_alg, buf, len, digest);
	if (!ret)
		ret = vtrust_log_digest(name, digest, vtrust.pcr, 0);
	return ret;
}

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

/* Append "<prefix><hex of @len bytes>" to the buffer at @p. */
static char *put_hex(char *p, const char *prefix, const u8 *data,
		     unsigned int len)
{
	p += sprintf(p, "%s", prefix);
	return bin2hex(p, data, len);
}

/*
 * The start entry's buf: the boot aggregate and the value of vtrust's PCR
 * in every bank before this list's first extend.
 */
static int start_buf(char *buf)
{
	u8 value[VTRUST_MAX_DIGEST_SIZE];
	char *p = buf;
	unsigned int i;
	int bank, ret;

	p += sprintf(p, "%s version=%d pcr=%u", VTRUST_START_NAME,
		     VTRUST_START_VERSION, vtrust.pcr);
	if (!vtrust.chip) {
		p += sprintf(p, " aggregate=none prior=");
		return p - buf;
	}
	bank = aggregate_bank();
	ret = boot_aggregate(bank, value);
	if (ret)
		return ret;
	p += sprintf(p, " aggregate=%s:", vtrust.banks[bank].alg->bank_name);
	p = bin2hex(p, value, vtrust.banks[bank].alg->size);
	p += sprintf(p, " prior=");
	for (i = 0; i < vtrust.nr_banks; i++) {
		struct vtrust_alg *alg = vtrust.banks[i].alg;
		char prefix[VTRUST_ALGO_NAME_MAX + 2];

		ret = vtrust_tpm_read(vtrust.pcr, i, value);
		if (ret)
			return ret;
		snprintf(prefix, sizeof(prefix), "%s%s:", i ? "," : "",
			 alg->bank_name);
		p = put_hex(p, prefix, value, alg->size);
	}
	return p - buf;
}

/* Sized for five banks of up to 64 bytes in hex, plus the labels. */
#define VTRUST_START_BUF_MAX 1024

int vtrust_measure_start(void)
{
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	u8 dng[VTRUST_ALGO_NAME_MAX + 2 + VTRUST_MAX_DIGEST_SIZE];
	struct vtrust_alg *alg = vtrust.content_alg;
	struct vtrust_field fields[3];
	char *buf;
	int len, ret;

	buf = kzalloc(VTRUST_START_BUF_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = start_buf(buf);
	if (len < 0) {
		ret = len;
		pr_err("cannot read the TPM's PCRs for the start entry: %d\n",
		       ret);
		goto out_free;
	}
	ret = vtrust_hash(alg, buf, len, digest);
	if (ret)
		goto out_free;
	fields[0].data = dng;
	fields[0].len = vtrust_encode_dng(dng, sizeof(dng), alg->dng_name,
					  digest, alg->size);
	fields[1].data = VTRUST_START_NAME;
	fields[1].len = sizeof(VTRUST_START_NAME);
	fields[2].data = buf;
	fields[2].len = len;
	ret = vtrust_log(&vtrust_template_buf, fields, vtrust.pcr,
			 VTRUST_LOG_STATE);
out_free:
	kfree(buf);
	return ret;
}

int vtrust_measure_unload(void)
{
	return log_ng(VTRUST_UNLOAD_NAME, VTRUST_UNLOAD_NAME,
		      strlen(VTRUST_UNLOAD_NAME));
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
		if (mod == THIS_MODULE || mod->state != MODULE_STATE_LIVE)
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
			ret = log_ng(r->name, r->desc, strlen(r->desc));
		list_del(&r->list);
		kfree(r->name);
		kfree(r->desc);
		kfree(r);
	}
	return ret;
}
