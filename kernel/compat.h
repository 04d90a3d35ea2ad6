/* SPDX-License-Identifier: GPL-2.0-only */
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
#include <linux/static_call.h>

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

/* bpf.c: the wrapper hooks.c redirects bpf_check() to */
int vtrust_bpf_check(VTRUST_BPF_CHECK_PARAMS);

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
 * Calls to kernel functions vtrust knows only by address (found through
 * kallsyms, not exported): kallsyms_lookup_name() and bpf_check().
 *
 * A kernel built with CONFIG_X86_KERNEL_IBT (Debian's 6.12; not its 6.1
 * kernels) seals at boot the ENDBR64 of every function whose address the
 * kernel itself never takes, kallsyms_lookup_name() and bpf_check() among
 * them, overwriting it with a NOP. On a CPU that enforces IBT an indirect
 * call must land on an ENDBR64, so a call through a pointer to either
 * raises #CP ("Missing ENDBR"). A static call reaches its target with a
 * direct call or jump, which IBT does not check, and it works the same on
 * kernels without IBT.
 *
 *   VTRUST_DEFINE_CALL(name, stub)  a call site type, initially @stub (a
 *                                   function of the target's type)
 *   vtrust_call_set(name, addr)     point it at the function at @addr
 *   vtrust_call(name)(args...)      call it
 */
#define VTRUST_DEFINE_CALL(name, stub) DEFINE_STATIC_CALL(name, stub)
#define vtrust_call_set(name, addr) static_call_update(name, (void *)(addr))
#define vtrust_call(name) static_call(name)

/* bpf_check(), for bpf.c's wrapper; symbols.c defines and sets it. */
DECLARE_STATIC_CALL(vtrust_orig_bpf_check, bpf_check);

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
