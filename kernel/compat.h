/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vtrust builds for (Debian 12's 6.1,
 * 6.1 cloud and 6.12) lives here, as one helper or macro each. No other
 * file tests LINUX_VERSION_CODE.
 */
#ifndef _VTRUST_COMPAT_H
#define _VTRUST_COMPAT_H

#include <linux/version.h>
#include <linux/module.h>
#include <linux/bpf.h>
#ifdef CONFIG_X86_KERNEL_IBT
#include <asm/ibt.h>
#endif

/* The unaligned access helpers moved to linux/ in 6.12. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* bpf_check() takes the size of the user's attr since 6.4. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define VTRUST_BPF_CHECK_PARAMS                                       \
	struct bpf_prog **prog, union bpf_attr *attr, bpfptr_t uattr, \
		u32 uattr_size
#define VTRUST_BPF_CHECK_ARGS prog, attr, uattr, uattr_size
#else
#define VTRUST_BPF_CHECK_PARAMS \
	struct bpf_prog **prog, union bpf_attr *attr, bpfptr_t uattr
#define VTRUST_BPF_CHECK_ARGS prog, attr, uattr
#endif

/*
 * Keys added to a keyring: IMA's hook until 6.8, the LSM hook since (IMA
 * became an LSM). Same parameters; vtrust hooks it to measure keys.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define VTRUST_KEY_POST_HOOK "security_key_post_create_or_update"
#else
#define VTRUST_KEY_POST_HOOK "ima_post_key_create_or_update"
#endif

/*
 * Can @fn be called through a pointer? Not on a CPU that enforces IBT if
 * the kernel sealed the function's ENDBR (it does for every function whose
 * address it never takes): the call would raise #CP.
 */
static inline bool vtrust_ibt_callable(const void *fn)
{
#ifdef CONFIG_X86_KERNEL_IBT
	if (cpu_feature_enabled(X86_FEATURE_IBT))
		return is_endbr(*(const u32 *)fn);
#endif
	return true;
}

/* A module's text and read-only sizes: core_layout until 6.4, mem[] since. */
static inline unsigned int vtrust_module_text_size(const struct module *mod)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return mod->mem[MOD_TEXT].size;
#else
	return mod->core_layout.text_size;
#endif
}

static inline unsigned int vtrust_module_ro_size(const struct module *mod)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return mod->mem[MOD_TEXT].size + mod->mem[MOD_RODATA].size;
#else
	return mod->core_layout.ro_size;
#endif
}

#endif /* _VTRUST_COMPAT_H */
