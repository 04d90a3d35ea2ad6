// SPDX-License-Identifier: GPL-2.0-only
/*
 * Load hooks by ftrace redirection.
 *
 * Why this design: a loadable module cannot register LSM hooks, and the
 * module notifier covers modules only. vtrust must see every load path
 * (modules, firmware, kexec images, policies, eBPF) at a point where it may
 * sleep (a TPM extend sleeps) and may refuse the load. The kernel's own
 * security_kernel_post_read_file() and security_kernel_post_load_data()
 * are such points: they run after the bytes are read and before they are
 * used, in process context, and their return value can fail the load. A
 * kprobe handler runs in atomic context and cannot extend a PCR.
 *
 * The same holds for security_kernel_read_file() (partial firmware reads,
 * which never reach the post-read hook), security_kernel_load_data()
 * (kexec_load(2), whose segments cannot be verified) and, for eBPF,
 * bpf_check(): it runs after the instructions are copied from user space
 * and before the verifier rewrites them, the JIT, or an ID or fd exist, and
 * a refusal there frees the program on the loader's normal error path.
 * The BPF LSM hooks come too early (before the copy) or too late.
 *
 * So each hooked function gets an ftrace_ops whose callback rewrites the
 * saved instruction pointer to a wrapper in this module. The wrapper
 * measures first, then calls the original function (the call comes from
 * inside vtrust, so the callback lets it through) only if vtrust did not
 * refuse the load. A wrapper must not tail-call the original: a tail
 * call's parent_ip is the outer caller's and the call would be redirected
 * again; every wrapper counts itself out after the call, and the files
 * with wrappers are built with -fno-optimize-sibling-calls.
 *
 * Flags: SAVE_REGS and IPMODIFY to redirect, RECURSION to let ftrace guard
 * against recursion, PERMANENT so that "sysctl kernel.ftrace_enabled=0"
 * cannot turn the hooks off (the sysctl is refused while they are in).
 * Only one IPMODIFY user may hook a function (livepatch would conflict);
 * that conflict fails the load, as does any hook that cannot be installed
 * (only an optional hook whose function the kernel lacks is left out, and
 * logged: vtrust_hooks_init()).
 *
 * Lifetime: the module refcount does not cover a task that is inside a
 * wrapper. Each wrapper counts itself in as its first statement and out as
 * its last. Between the redirection and the count a task cannot sleep, so
 * after the hooks are removed, one RCU-tasks grace period guarantees that
 * every redirected task has counted itself in; exit then waits for the
 * count to reach zero, and for a second grace period so that no task is
 * still on a wrapper's final instructions. Counting in the wrapper rather
 * than in the ftrace callback matters: a BPF fmod_ret program sharing the
 * function can skip the wrapper after the callback ran, and a count taken
 * in the callback would then never be released.
 */
#include <linux/module.h>
#include <linux/ftrace.h>
#include <linux/wait.h>
#include <linux/key.h>

#include "vtrust.h"
#include "compat.h"

static atomic_t inflight = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(inflight_wq);

/* The first statement of every wrapper. */
void vtrust_hook_enter(void)
{
	atomic_inc(&inflight);
}

/* The last statement of every wrapper before it returns. */
void vtrust_hook_leave(void)
{
	if (atomic_dec_and_test(&inflight))
		wake_up(&inflight_wq);
}

/*
 * Each wrapper measures (and appraises) first and calls the kernel's own
 * hook only if vtrust lets the load go ahead. Whatever another LSM returns
 * afterwards, a BPF LSM program's positive value included (callers take
 * any value >= 0 as success), cannot make a load escape measurement.
 */
static int vtrust_read_file(struct file *file, enum kernel_read_file_id id,
			    bool contents)
{
	int ret = 0;

	vtrust_hook_enter();
	if (!contents) /* a partial read: the post-read hook never runs */
		ret = vtrust_measure_file(file, NULL, 0, id);
	if (!ret)
		ret = security_kernel_read_file(file, id, contents);
	vtrust_hook_leave();
	return ret;
}

static int vtrust_load_data(enum kernel_load_data_id id, bool contents)
{
	int ret;

	vtrust_hook_enter();
	ret = vtrust_measure_load(id);
	if (!ret)
		ret = security_kernel_load_data(id, contents);
	vtrust_hook_leave();
	return ret;
}

static int vtrust_post_read_file(struct file *file, char *buf, loff_t size,
				 enum kernel_read_file_id id)
{
	int ret;

	vtrust_hook_enter();
	ret = vtrust_measure_file(file, buf, size, id);
	if (!ret)
		ret = security_kernel_post_read_file(file, buf, size, id);
	vtrust_hook_leave();
	return ret;
}

static int vtrust_post_load_data(char *buf, loff_t size,
				 enum kernel_load_data_id id, char *description)
{
	int ret;

	vtrust_hook_enter();
	ret = vtrust_measure_data(buf, size, id, description);
	if (!ret)
		ret = security_kernel_post_load_data(buf, size, id,
						     description);
	vtrust_hook_leave();
	return ret;
}

/*
 * Hooks on functions that are not exported: the wrapper calls the original
 * through a static call (compat.h: IBT) pointed at the address kallsyms
 * gives. Both return nothing and only measure: they cannot refuse.
 */
static void kexec_cmdline_unset(int kernel_fd, const void *buf, int size)
{
}

static void key_post_unset(struct key *keyring, struct key *key,
			   const void *payload, size_t plen,
			   unsigned long flags, bool create)
{
}

VTRUST_DEFINE_CALL(vtrust_orig_kexec_cmdline, kexec_cmdline_unset);
VTRUST_DEFINE_CALL(vtrust_orig_key_post, key_post_unset);

static void set_kexec_cmdline(unsigned long addr)
{
	vtrust_call_set(vtrust_orig_kexec_cmdline, addr);
}

static void set_key_post(unsigned long addr)
{
	vtrust_call_set(vtrust_orig_key_post, addr);
}

static void vtrust_kexec_cmdline(int kernel_fd, const void *buf, int size)
{
	vtrust_hook_enter();
	vtrust_measure_kexec_cmdline(buf, size);
	vtrust_call(vtrust_orig_kexec_cmdline)(kernel_fd, buf, size);
	vtrust_hook_leave();
}

static void vtrust_key_post(struct key *keyring, struct key *key,
			    const void *payload, size_t plen,
			    unsigned long flags, bool create)
{
	vtrust_hook_enter();
	vtrust_measure_key(keyring, key, payload, plen);
	vtrust_call(vtrust_orig_key_post)(keyring, key, payload, plen, flags,
					  create);
	vtrust_hook_leave();
}

struct vtrust_hook {
	const char *symbol;
	void *wrapper;
	/* for a wrapper that calls the original by address: hand it over */
	void (*set_orig)(unsigned long addr);
	bool optional; /* a kernel may lack it: then logged, not fatal */
	struct ftrace_ops ops;
	bool installed;
};

enum {
	HOOK_POST_READ_FILE,
	HOOK_POST_LOAD_DATA,
	HOOK_READ_FILE,
	HOOK_LOAD_DATA,
	HOOK_BPF_CHECK,
	HOOK_KEXEC_CMDLINE,
	HOOK_KEY_POST,
	NR_HOOKS
};

static struct vtrust_hook vtrust_hooks[NR_HOOKS] = {
	[HOOK_POST_READ_FILE] = { "security_kernel_post_read_file",
				  vtrust_post_read_file },
	[HOOK_POST_LOAD_DATA] = { "security_kernel_post_load_data",
				  vtrust_post_load_data },
	[HOOK_READ_FILE] = { "security_kernel_read_file", vtrust_read_file },
	[HOOK_LOAD_DATA] = { "security_kernel_load_data", vtrust_load_data },
	/* symbols.c points bpf.c's static call at bpf_check() */
	[HOOK_BPF_CHECK] = { "bpf_check", vtrust_bpf_check },
	[HOOK_KEXEC_CMDLINE] = { "ima_kexec_cmdline", vtrust_kexec_cmdline,
				 set_kexec_cmdline, .optional = true },
	[HOOK_KEY_POST] = { VTRUST_KEY_POST_HOOK, vtrust_key_post, set_key_post,
			    .optional = true },
};

/* Is @symbol a function vtrust hooks? */
bool vtrust_hooks_cover(const char *symbol)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vtrust_hooks); i++)
		if (!strcmp(vtrust_hooks[i].symbol, symbol))
			return true;
	return false;
}

static void notrace vtrust_ftrace_thunk(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *ops,
					struct ftrace_regs *fregs)
{
	struct vtrust_hook *hook = container_of(ops, struct vtrust_hook, ops);
	struct pt_regs *regs = ftrace_get_regs(fregs);

	if (within_module(parent_ip, THIS_MODULE))
		return;
	instruction_pointer_set(regs, (unsigned long)hook->wrapper);
}

static int hook_install(struct vtrust_hook *hook)
{
	char sym[KSYM_NAME_LEN];
	int ret;

	/* A compiler clone the kernel calls instead would escape the hook. */
	ret = vtrust_sym_no_clone(hook->symbol);
	if (ret)
		return ret;
	if (hook->set_orig) {
		unsigned long addr = vtrust_sym_lookup(hook->symbol);

		if (!addr) {
			pr_err("cannot hook %s: no such symbol\n",
			       hook->symbol);
			return -ENOENT;
		}
		hook->set_orig(addr);
	}
	strscpy(sym, hook->symbol, sizeof(sym));
	hook->ops.func = vtrust_ftrace_thunk;
	hook->ops.flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION |
			  FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_PERMANENT;
	ret = ftrace_set_filter(&hook->ops, sym, strlen(sym), 0);
	if (ret) {
		pr_err("cannot hook %s: ftrace_set_filter: %d\n", hook->symbol,
		       ret);
		return ret;
	}
	ret = register_ftrace_function(&hook->ops);
	if (ret) {
		pr_err("cannot hook %s: register_ftrace_function: %d (is another IPMODIFY user such as livepatch on it, or kernel.ftrace_enabled 0?)\n",
		       hook->symbol, ret);
		ftrace_free_filter(&hook->ops);
		return ret;
	}
	hook->installed = true;
	return 0;
}

static void hook_remove(struct vtrust_hook *hook)
{
	int ret;

	if (!hook->installed)
		return;
	ret = unregister_ftrace_function(&hook->ops);
	WARN_ON(ret);
	ftrace_free_filter(&hook->ops);
	hook->installed = false;
}

void vtrust_hooks_exit(void)
{
	int i;

	for (i = ARRAY_SIZE(vtrust_hooks) - 1; i >= 0; i--)
		hook_remove(&vtrust_hooks[i]);
	/* Every task redirected before the removal has now counted itself in. */
	synchronize_rcu_tasks();
	wait_event(inflight_wq, !atomic_read(&inflight));
	/* And every task that counted itself out has left the wrapper. */
	synchronize_rcu_tasks();
}

/*
 * Install every hook, or none: a hook ftrace cannot redirect fails the
 * load. Only an optional hook whose function the kernel lacks (IMA's, on
 * a kernel without IMA) is left out; that gap is named in status
 * ("unhooked:") and logged as an "unhooked:<symbol>" event.
 */
int vtrust_hooks_init(void)
{
	char name[KSYM_NAME_LEN + 16];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(vtrust_hooks); i++) {
		ret = hook_install(&vtrust_hooks[i]);
		if (ret == -ENOENT && vtrust_hooks[i].optional) {
			snprintf(name, sizeof(name), "unhooked:%s",
				 vtrust_hooks[i].symbol);
			ret = vtrust_log_ng(name, name, strlen(name),
					    VTRUST_LOG_STATE);
		}
		if (ret) {
			vtrust_hooks_exit();
			return ret;
		}
	}
	return 0;
}

/* The hooks that are not in, for status. */
void vtrust_hooks_status(struct seq_file *m)
{
	unsigned int i;

	seq_puts(m, "unhooked:");
	for (i = 0; i < ARRAY_SIZE(vtrust_hooks); i++)
		if (!vtrust_hooks[i].installed)
			seq_printf(m, " %s", vtrust_hooks[i].symbol);
	seq_putc(m, '\n');
}
