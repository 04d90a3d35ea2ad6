// SPDX-License-Identifier: GPL-2.0
/*
 * vtrust: measure every component the kernel loads at run time into every
 * active PCR bank of the TPM, and keep an IMA-format list of it.
 *
 * main.c only brings the parts up and down, in reverse order.
 */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/random.h>

#include "vtrust.h"

#define VTRUST_IMA_PCR 10
#define VTRUST_FIRMWARE_PCRS 8 /* PCRs 0-7 belong to the firmware */
#define VTRUST_NR_PCRS 24

static uint pcr = 11;
module_param(pcr, uint, 0444);
MODULE_PARM_DESC(pcr, "PCR to extend (default 11; not 0-7, not 10)");

static char *hash = "sha256";
module_param(hash, charp, 0444);
MODULE_PARM_DESC(hash,
		 "content digest: sha1, sha256 (default), sha384, sha512, sm3");

static char *policy = "default";
module_param(policy, charp, 0444);
MODULE_PARM_DESC(policy, "built-in policy: default (every func), modules");

struct vtrust_state vtrust = {
	.lock = __MUTEX_INITIALIZER(vtrust.lock),
};

static int check_params(void)
{
	if (pcr < VTRUST_FIRMWARE_PCRS) {
		pr_err("pcr=%u: PCRs 0-7 belong to the firmware\n", pcr);
		return -EINVAL;
	}
	if (pcr == VTRUST_IMA_PCR) {
		pr_err("pcr=%u: PCR 10 belongs to IMA\n", pcr);
		return -EINVAL;
	}
	if (pcr >= VTRUST_NR_PCRS) {
		pr_err("pcr=%u: a TPM has PCRs 0-23\n", pcr);
		return -EINVAL;
	}
	vtrust.pcr = pcr;
	return 0;
}

static int __init vtrust_init(void)
{
	int ret;

	ret = check_params();
	if (ret)
		return ret;
	get_random_bytes(vtrust.instance_id, sizeof(vtrust.instance_id));
	ret = vtrust_symbols_init();
	if (ret)
		return ret;
	ret = vtrust_algs_init(hash);
	if (ret)
		return ret;
	ret = vtrust_tpm_init();
	if (ret)
		goto err_algs;
	ret = vtrust_rules_init(policy);
	if (ret)
		goto err_tpm;
	ret = vtrust_baseline_init();
	if (ret)
		goto err_rules;
	ret = vtrust_queue_init();
	if (ret)
		goto err_baseline;
	ret = vtrust_measure_start();
	if (ret)
		goto err_queue;
	ret = vtrust_seal_init();
	if (ret)
		goto err_queue;
	ret = vtrust_hooks_init();
	if (ret)
		goto err_seal;
	ret = vtrust_measure_residents();
	if (ret)
		goto err_hooks;
	ret = vtrust_bpf_residents();
	if (ret)
		goto err_hooks;
	ret = vtrust_fs_init();
	if (ret)
		goto err_hooks;

	pr_info("measuring into PCR %u, %s content digests, %s\n", vtrust.pcr,
		vtrust.content_alg->dng_name,
		vtrust.chip ? "TPM present" : "no TPM: log-only mode");
	return 0;

err_hooks:
	vtrust_hooks_exit();
err_seal:
	vtrust_seal_exit();
err_queue:
	vtrust_queue_exit();
err_baseline:
	vtrust_baseline_exit();
err_rules:
	vtrust_rules_exit();
err_tpm:
	vtrust_tpm_exit();
err_algs:
	vtrust_algs_exit();
	return ret;
}

static void __exit vtrust_exit(void)
{
	vtrust_hooks_exit();
	vtrust_seal_exit();
	vtrust_measure_unload();
	vtrust_fs_exit();
	vtrust_queue_exit();
	vtrust_baseline_exit();
	vtrust_rules_exit();
	vtrust_tpm_exit();
	vtrust_algs_exit();
	pr_info("unloaded\n");
}

module_init(vtrust_init);
module_exit(vtrust_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Measure run-time kernel loads into every TPM PCR bank");
MODULE_AUTHOR("vtrust developers");
