// SPDX-License-Identifier: GPL-2.0-only
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
#include "pure.h"

static uint pcr = 11;
module_param(pcr, uint, 0444);
MODULE_PARM_DESC(pcr, "PCR to extend: 8, 9 or 11-15 (default 11)");

static char *hash = "sha256";
module_param(hash, charp, 0444);
MODULE_PARM_DESC(hash,
		 "content digest: sha1, sha256 (default), sha384, sha512, sm3");

static char *policy = "default";
module_param(policy, charp, 0444);
MODULE_PARM_DESC(policy, "built-in policy: default (every func), modules");

static ulong list_max_kib = 65536;
module_param(list_max_kib, ulong, 0444);
MODULE_PARM_DESC(list_max_kib,
		 "memory the list may use, in KiB (default 65536; 64-1048576)");

static bool require_tpm;
module_param(require_tpm, bool, 0444);
MODULE_PARM_DESC(require_tpm,
		 "refuse to load without a TPM 2.0 (default 0: log-only mode)");

static char *on_extend_error = "log";
module_param(on_extend_error, charp, 0444);
MODULE_PARM_DESC(on_extend_error,
		 "a failed PCR extend: log (default), refuse (the load fails)");

static bool fw_secondary_keyring;
module_param(fw_secondary_keyring, bool, 0444);
MODULE_PARM_DESC(fw_secondary_keyring,
		 "sig rules also trust .secondary_trusted_keys (default 0)");

struct vtrust_state vtrust = {
	.lock = __MUTEX_INITIALIZER(vtrust.lock),
};

static int check_params(void)
{
	if (!vtrust_pcr_allowed(pcr)) {
		pr_err("pcr=%u: use 8, 9 or 11-15: 0-7 belong to the firmware, 10 to IMA, 16 and 23 can be reset and 17-22 not extended from locality 0\n",
		       pcr);
		return -EINVAL;
	}
	if (list_max_kib < 64 || list_max_kib > 1024 * 1024) {
		pr_err("list_max_kib=%lu: use 64 to 1048576 (KiB)\n",
		       list_max_kib);
		return -EINVAL;
	}
	vtrust.pcr = pcr;
	vtrust.fw_secondary_keyring = fw_secondary_keyring;
	return 0;
}

static int check_tpm_params(void)
{
	if (!strcmp(on_extend_error, "log")) {
		vtrust.on_extend_error = VTRUST_EXTEND_LOG;
	} else if (!strcmp(on_extend_error, "refuse")) {
		vtrust.on_extend_error = VTRUST_EXTEND_REFUSE;
	} else {
		pr_err("on_extend_error=%s: must be log or refuse\n",
		       on_extend_error);
		return -EINVAL;
	}
	return 0;
}

/*
 * The kernel's lockdown level, read once at init: without lockdown root
 * can write kernel memory without loading anything (README, threat model),
 * so the start entry and status say which level vtrust runs under.
 */
static void read_lockdown(void)
{
	if (security_locked_down(LOCKDOWN_KCORE))
		vtrust.lockdown = "confidentiality";
	else if (security_locked_down(LOCKDOWN_DEV_MEM))
		vtrust.lockdown = "integrity";
	else
		vtrust.lockdown = "none";
}

/*
 * The module parameters as the start entry records them, in this order. A
 * new parameter gets a row here (docs/FORMATS.md, start entry).
 */
unsigned int vtrust_params(struct vtrust_start_param *params, unsigned int max)
{
	const struct vtrust_start_param all[] = {
		{ .key = "pcr", .num = pcr },
		{ .key = "hash", .str = hash },
		{ .key = "policy", .str = policy },
		{ .key = "require_tpm", .num = require_tpm },
		{ .key = "on_extend_error", .str = on_extend_error },
		{ .key = "list_max_kib", .num = list_max_kib },
		{ .key = "fw_secondary_keyring", .num = fw_secondary_keyring },
	};
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(all) > VTRUST_MAX_PARAMS);
	for (i = 0; i < ARRAY_SIZE(all) && i < max; i++)
		params[i] = all[i];
	return i;
}

static int __init vtrust_init(void)
{
	int ret;

	ret = check_params();
	if (ret)
		return ret;
	ret = check_tpm_params();
	if (ret)
		return ret;
	get_random_bytes(vtrust.instance_id, sizeof(vtrust.instance_id));
	read_lockdown();
	ret = vtrust_symbols_init();
	if (ret)
		return ret;
	ret = vtrust_algs_init(hash);
	if (ret)
		return ret;
	ret = vtrust_tpm_init(require_tpm);
	if (ret)
		goto err_algs;
	ret = vtrust_rules_init(policy);
	if (ret)
		goto err_tpm;
	ret = vtrust_baseline_init();
	if (ret)
		goto err_rules;
	ret = vtrust_queue_init(list_max_kib << 10);
	if (ret)
		goto err_baseline;
	ret = vtrust_measure_start();
	if (ret)
		goto err_queue;
	ret = vtrust_seal_init();
	if (ret)
		goto err_queue;
	ret = vtrust_modparams_init();
	if (ret)
		goto err_seal;
	ret = vtrust_hooks_init();
	if (ret)
		goto err_modparams;
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
err_modparams:
	vtrust_modparams_exit();
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
	vtrust_fs_exit();
	vtrust_hooks_exit();
	vtrust_modparams_exit();
	vtrust_seal_exit();
	vtrust_measure_unload();
	vtrust_queue_exit();
	vtrust_baseline_exit();
	vtrust_rules_exit();
	vtrust_tpm_exit();
	vtrust_algs_exit();
	pr_info("unloaded\n");
}

module_init(vtrust_init);
module_exit(vtrust_exit);

MODULE_VERSION(VTRUST_VERSION);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Measure run-time kernel loads into every TPM PCR bank");
MODULE_AUTHOR("vtrust developers");
