// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel symbols that modules cannot link against.
 *
 * kallsyms_lookup_name() is not exported since 5.7; a kprobe placed on it
 * tells its address, and it then finds the rest. Every lookup is done once
 * at init, and a missing symbol fails the load.
 */
#include <linux/module.h>
#include <linux/kprobes.h>

#include "vtrust.h"

typedef unsigned long (*vtrust_kallsyms_fn)(const char *name);

static struct list_head *sym_modules;
static struct mutex *sym_module_mutex;
static void *sym_bpf_check;

static vtrust_kallsyms_fn kallsyms;

static vtrust_kallsyms_fn find_kallsyms(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	void *addr;

	if (register_kprobe(&kp) < 0)
		return NULL;
	addr = kp.addr;
	unregister_kprobe(&kp);
	return (vtrust_kallsyms_fn)addr;
}

int vtrust_symbols_init(void)
{
	vtrust_kallsyms_fn lookup = find_kallsyms();

	kallsyms = lookup;
	if (!lookup) {
		pr_err("cannot find kallsyms_lookup_name through a kprobe\n");
		return -ENOENT;
	}
	sym_modules = (struct list_head *)lookup("modules");
	sym_module_mutex = (struct mutex *)lookup("module_mutex");
	if (!sym_modules || !sym_module_mutex) {
		pr_err("cannot find the kernel's module list\n");
		return -ENOENT;
	}
	sym_bpf_check = (void *)lookup("bpf_check");
	if (!sym_bpf_check) {
		pr_err("cannot find bpf_check\n");
		return -ENOENT;
	}
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

void *vtrust_sym_bpf_check(void)
{
	return sym_bpf_check;
}

/* The address of a kernel function, for wrappers that call the original. */
unsigned long vtrust_sym_lookup(const char *name)
{
	return kallsyms ? kallsyms(name) : 0;
}
