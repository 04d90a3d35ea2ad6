// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TPM: its PCR banks, PCR reads and extends.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "vtrust.h"

/* An algorithm @chip allocates twice, or 0. */
static u16 banks_repeat(struct tpm_chip *chip)
{
	unsigned int i, j;

	for (i = 0; i < chip->nr_allocated_banks; i++)
		for (j = 0; j < i; j++)
			if (chip->allocated_banks[i].alg_id ==
			    chip->allocated_banks[j].alg_id)
				return chip->allocated_banks[i].alg_id;
	return 0;
}

/*
 * Take the default TPM and map each allocated bank to an algorithm. A bank
 * vtrust cannot compute fails the load: extending it with anything else
 * would pad, truncate or fake its digest. So does an algorithm allocated
 * twice (the kernel does not remove duplicates): its bank files would share
 * a name, and no real TPM reports one. Without a TPM, vtrust runs in
 * log-only mode unless @require is set.
 */
int vtrust_tpm_init(bool require)
{
	struct tpm_chip *chip;
	unsigned int i, offset = VTRUST_SHA1_SIZE;
	struct vtrust_alg *alg;
	int ret;

	vtrust.digests_size = VTRUST_SHA1_SIZE;
	chip = tpm_default_chip();
	if (!chip) {
		if (require) {
			pr_err("require_tpm=1: no TPM found, not loading\n");
			return -ENODEV;
		}
		pr_info("no TPM: log-only mode, nothing is extended\n");
		return 0;
	}
	if (!tpm_is_tpm2(chip)) {
		pr_err("TPM 1.2 is not supported: it has a single SHA-1 bank and no multi-bank extend\n");
		ret = -ENODEV;
		goto out_put;
	}
	if (chip->nr_allocated_banks > TPM2_MAX_PCR_BANKS) {
		pr_err("the TPM reports %u PCR banks, more than %d: refused\n",
		       chip->nr_allocated_banks, TPM2_MAX_PCR_BANKS);
		ret = -EINVAL;
		goto out_put;
	}
	if (banks_repeat(chip)) {
		pr_err("the TPM reports PCR bank algorithm 0x%04x twice: refused\n",
		       banks_repeat(chip));
		ret = -EINVAL;
		goto out_put;
	}
	for (i = 0; i < chip->nr_allocated_banks; i++) {
		u16 id = chip->allocated_banks[i].alg_id;

		alg = vtrust_alg_by_tpm_id(id);
		if (!alg || alg->size != chip->allocated_banks[i].digest_size) {
			pr_err("PCR bank with TPM algorithm 0x%04x: vtrust cannot compute its digest\n",
			       id);
			ret = -EOPNOTSUPP;
			goto out_put;
		}
		ret = vtrust_alg_get(alg);
		if (ret) {
			pr_err("PCR bank %s: no hash implementation\n",
			       alg->bank_name);
			goto out_put;
		}
		vtrust.banks[i].alg = alg;
		vtrust.banks[i].offset = offset;
		offset += alg->size;
	}
	vtrust.extend_buf = kcalloc(chip->nr_allocated_banks,
				    sizeof(*vtrust.extend_buf), GFP_KERNEL);
	if (!vtrust.extend_buf) {
		ret = -ENOMEM;
		goto out_put;
	}
	vtrust.nr_banks = chip->nr_allocated_banks;
	vtrust.digests_size = offset;
	vtrust.chip = chip;
	return 0;

out_put:
	put_device(&chip->dev);
	return ret;
}

void vtrust_tpm_exit(void)
{
	if (vtrust.chip)
		put_device(&vtrust.chip->dev);
	vtrust.chip = NULL;
	kfree(vtrust.extend_buf);
	vtrust.extend_buf = NULL;
	vtrust.nr_banks = 0;
}

/* Does @chip allocate the banks vtrust mapped, in the same order? */
static bool banks_match(struct tpm_chip *chip)
{
	unsigned int i;

	if (chip->nr_allocated_banks != vtrust.nr_banks)
		return false;
	for (i = 0; i < vtrust.nr_banks; i++)
		if (chip->allocated_banks[i].alg_id !=
		    vtrust.banks[i].alg->tpm_id)
			return false;
	return true;
}

/*
 * After a failed extend: if the default TPM is now another chip (the driver
 * was unbound and bound again) with the same banks, use it from now on.
 * Returns whether the chip changed. Caller holds lock.
 */
static bool tpm_rechip(void)
{
	struct tpm_chip *chip = tpm_default_chip();

	if (!chip)
		return false;
	if (chip == vtrust.chip) {
		put_device(&chip->dev);
		return false;
	}
	if (!tpm_is_tpm2(chip) || !banks_match(chip)) {
		pr_err_ratelimited("new TPM: other PCR banks, not used\n");
		put_device(&chip->dev);
		return false;
	}
	pr_info("using the TPM that replaced the one vtrust had\n");
	put_device(&vtrust.chip->dev);
	WRITE_ONCE(vtrust.chip, chip);
	return true;
}

/*
 * Extend the entry's bank digests with one command; if that fails and the
 * TPM was replaced, once more with the new chip. A failure is counted in
 * status. Caller holds lock.
 */
int vtrust_tpm_extend(struct vtrust_entry *entry)
{
	unsigned int i;
	int ret;

	lockdep_assert_held(&vtrust.lock);
	if (!vtrust.chip)
		return 0;
	for (i = 0; i < vtrust.nr_banks; i++) {
		vtrust.extend_buf[i].alg_id = vtrust.banks[i].alg->tpm_id;
		memcpy(vtrust.extend_buf[i].digest,
		       entry->digests + vtrust.banks[i].offset,
		       vtrust.banks[i].alg->size);
	}
	ret = tpm_pcr_extend(vtrust.chip, entry->pcr, vtrust.extend_buf);
	if (ret && tpm_rechip())
		ret = tpm_pcr_extend(vtrust.chip, entry->pcr,
				     vtrust.extend_buf);
	if (ret) {
		atomic_long_inc(&vtrust.extend_errors);
		pr_err_ratelimited("PCR %u extend failed: %d\n", entry->pcr,
				   ret);
	}
	return ret;
}

/* Read PCR @pcr of bank number @bank into @out (the bank's size). */
int vtrust_tpm_read(u32 pcr, unsigned int bank, u8 *out)
{
	struct tpm_digest d = { .alg_id = vtrust.banks[bank].alg->tpm_id };
	int ret;

	ret = tpm_pcr_read(vtrust.chip, pcr, &d);
	if (!ret)
		memcpy(out, d.digest, vtrust.banks[bank].alg->size);
	return ret;
}
