// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols that modules cannot link against.
 *
 * kallsyms_lookup_name() is not exported since 5.7; a kprobe placed on it
 * tells its address, and it then finds the rest. Every lookup is done once
 * at init, and a missing symbol fails the load. Both kallsyms_lookup_name()
 * and bpf_check() are called through static calls, not pointers: see
 * VTRUST_DEFINE_CALL in compat.h (IBT).
 */
#include <linux/module.h>
#include <linux/kprobes.h>

#include "vtrust.h"
#include "compat.h"

static unsigned long kallsyms_unset(const char *name)
{
	return 0;
}

static int bpf_check_unset(VTRUST_BPF_CHECK_PARAMS)
{
	return -EOPNOTSUPP;
}

VTRUST_DEFINE_CALL(vtrust_kallsyms, kallsyms_unset);
VTRUST_DEFINE_CALL(vtrust_orig_bpf_check, bpf_check_unset);

static struct list_head *sym_modules;
static struct mutex *sym_module_mutex;

static unsigned long lookup(const char *name)
{
	return vtrust_call(vtrust_kallsyms)(name);
}

/*
 * Point vtrust_kallsyms at kallsyms_lookup_name(). On a kernel built with
 * IBT a kprobe's address is past the function's ENDBR64 (or the NOP that
 * sealed it), so kallsyms_lookup_name() then tells its own start: a static
 * call's target should be a function's start.
 */
static bool find_kallsyms(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr;

	if (register_kprobe(&kp) < 0)
		return false;
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	vtrust_call_set(vtrust_kallsyms, addr);
	addr = lookup("kallsyms_lookup_name");
	if (!addr)
		return false;
	vtrust_call_set(vtrust_kallsyms, addr);
	return true;
}

int vtrust_symbols_init(void)
{
	unsigned long bpf_check;

	if (!find_kallsyms()) {
		pr_err("cannot find kallsyms_lookup_name through a kprobe\n");
		return -ENOENT;
	}
	sym_modules = (struct list_head *)lookup("modules");
	sym_module_mutex = (struct mutex *)lookup("module_mutex");
	if (!sym_modules || !sym_module_mutex) {
		pr_err("cannot find the kernel's module list\n");
		return -ENOENT;
	}
	bpf_check = lookup("bpf_check");
	if (!bpf_check) {
		pr_err("cannot find bpf_check\n");
		return -ENOENT;
	}
	vtrust_call_set(vtrust_orig_bpf_check, bpf_check);
	return 0;
}

struct list_head *vtrust_sym_modules(void)
{
	return sym_modules;
}

struct mutex *vtrust_sym_module_mutex(void)
{
	return sym_module_mutex;
}

/* The address of a kernel function, for hooks that call the original. */
unsigned long vtrust_sym_lookup(const char *name)
{
	return lookup(name);
}
