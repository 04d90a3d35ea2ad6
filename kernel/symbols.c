// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel symbols that modules cannot link against.
 *
 * kallsyms_lookup_name() is not exported since 5.7; a kprobe placed on it
 * tells its address, and it then finds the rest. Every lookup is done once
 * at init, and a missing or implausible symbol fails the load.
 *
 * A lookup by name returns the first symbol of that name, and a data
 * symbol's address says nothing about its type. So each data symbol is
 * checked: kallsyms must name it back at offset 0 with the size of the
 * type vtrust takes it for, and where its contents can be checked without
 * harm (the module list holds vtrust itself), they are.
 *
 * kallsyms_lookup_name() and bpf_check() are called through static calls,
 * not pointers: see VTRUST_DEFINE_CALL in compat.h (IBT).
 */
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/kallsyms.h>
#include <linux/idr.h>
#include <linux/uaccess.h>

#include "vtrust.h"
#include "compat.h"

static struct list_head *sym_modules;
static struct mutex *sym_module_mutex;
static struct idr *sym_prog_idr;
static spinlock_t *sym_prog_idr_lock;

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

static unsigned long kallsyms(const char *name)
{
	return vtrust_call(vtrust_kallsyms)(name);
}

/*
 * Where is @addr in the kernel image's symbol @name? sprint_symbol() gives
 * "name+0xoffset/0xsize" (and " [module]" after it for a module's symbol),
 * where size runs to the next symbol, so it includes padding. Returns the
 * offset and sets *@size, or returns -1 if @addr is not in @name.
 */
static long sym_offset(unsigned long addr, const char *name,
		       unsigned long *size)
{
	char buf[KSYM_SYMBOL_LEN], want[KSYM_NAME_LEN + 4];
	unsigned long offset;
	char *p, *slash;

	sprint_symbol(buf, addr);
	snprintf(want, sizeof(want), "%s+0x", name);
	if (strncmp(buf, want, strlen(want)))
		return -1;
	p = buf + strlen(want);
	slash = strchr(p, '/');
	if (!slash || strncmp(slash, "/0x", 3))
		return -1;
	*slash = '\0';
	if (kstrtoul(p, 16, &offset) || kstrtoul(slash + 3, 16, size))
		return -1; /* " [module]" after the size: not the kernel's */
	return offset;
}

/* Is @addr the start of the kernel's @name, with room for @size bytes? */
static bool sym_is(unsigned long addr, const char *name, size_t size)
{
	unsigned long found;

	return sym_offset(addr, name, &found) == 0 && found >= size;
}

/*
 * Point vtrust_kallsyms at kallsyms_lookup_name(). The kprobe's address
 * may lie past the function's start (after its ENDBR64, or the NOP that
 * sealed it, on IBT kernels): a static call's target is the start.
 */
static bool find_kallsyms(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long addr, size;
	long offset;

	if (register_kprobe(&kp) < 0) {
		pr_err("cannot find kallsyms_lookup_name through a kprobe\n");
		return false;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
	offset = sym_offset(addr, kp.symbol_name, &size);
	if (offset < 0) {
		pr_err("the kprobe on kallsyms_lookup_name is at %pS\n",
		       (void *)addr);
		return false;
	}
	vtrust_call_set(vtrust_kallsyms, addr - offset);
	return true;
}

static void *lookup(const char *name, size_t size)
{
	unsigned long addr = kallsyms(name);

	if (!addr) {
		pr_err("cannot find the kernel symbol %s\n", name);
		return NULL;
	}
	if (!sym_is(addr, name, size)) {
		pr_err("the kernel symbol %s at %pS is not an object of at least %zu bytes in the kernel image\n",
		       name, (void *)addr, size);
		return NULL;
	}
	return (void *)addr;
}

/* Does the module list at @head hold vtrust? Run at init: vtrust is on it. */
static bool modules_holds_self(struct list_head *head)
{
	struct module *mod;
	bool found = false;

	rcu_read_lock();
	list_for_each_entry_rcu(mod, head, list) {
		if (mod == THIS_MODULE) {
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/*
 * The compiler may clone a function (foo.isra.0, foo.constprop.0) and
 * have the kernel call the clone: ftrace on foo would then see nothing.
 * For each function vtrust hooks (called after vtrust_symbols_init()).
 */
int vtrust_sym_no_clone(const char *name)
{
	static const char *const suffixes[] = { ".isra.0", ".constprop.0" };
	char clone[KSYM_NAME_LEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(suffixes); i++) {
		snprintf(clone, sizeof(clone), "%s%s", name, suffixes[i]);
		if (kallsyms(clone)) {
			pr_err("%s has a compiler clone %s that vtrust cannot hook\n",
			       name, clone);
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

int vtrust_symbols_init(void)
{
	void *bpf_check;
	int ret;

	if (!find_kallsyms())
		return -ENOENT;
	sym_modules = lookup("modules", sizeof(*sym_modules));
	sym_module_mutex = lookup("module_mutex", sizeof(*sym_module_mutex));
	sym_prog_idr = lookup("prog_idr", sizeof(*sym_prog_idr));
	sym_prog_idr_lock = lookup("prog_idr_lock", sizeof(*sym_prog_idr_lock));
	bpf_check = lookup("bpf_check", 0);
	if (!sym_modules || !sym_module_mutex || !sym_prog_idr ||
	    !sym_prog_idr_lock || !bpf_check)
		return -ENOENT;
	if (!modules_holds_self(sym_modules)) {
		pr_err("the kernel symbol modules is not the module list\n");
		return -ENOENT;
	}
	ret = vtrust_sym_no_clone("bpf_check");
	if (ret)
		return ret;
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

struct idr *vtrust_sym_prog_idr(void)
{
	return sym_prog_idr;
}

spinlock_t *vtrust_sym_prog_idr_lock(void)
{
	return sym_prog_idr_lock;
}

/* The address of a kernel function, for hooks that call the original. */
unsigned long vtrust_sym_lookup(const char *name)
{
	return kallsyms(name);
}
