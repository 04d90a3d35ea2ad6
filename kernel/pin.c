// SPDX-License-Identifier: GPL-2.0-only
/*
 * The unload guard: while vtrust is sealed, or while any of its files is
 * open, delete_module(2) must fail, forced or not.
 *
 * The module refcount is not enough: with CONFIG_MODULE_FORCE_UNLOAD=y
 * (Debian's kernels) "rmmod -f" ignores it, runs vtrust's exit and frees
 * the module under open files, whose f_op then points into freed memory.
 * delete_module(2) does make one check that force does not skip: a module
 * that other modules use ("source_list" not empty) is never unloaded. So
 * the guard is a use of vtrust by vtrust itself, the same struct
 * module_use the module loader adds when one module links against
 * another, added and removed under the kernel's module_mutex. lsmod then
 * shows vtrust as "used by vtrust".
 *
 * A use can only be added while the module is LIVE: delete_module(2) holds
 * module_mutex from its source_list check until it marks the module GOING,
 * so once the guard is in, no unload can be under way. The guard counts
 * its holders: a sealed vtrust holds it for good, each open file until it
 * is released.
 *
 * The last release removes the guard while the releasing task is still in
 * vtrust's release() and about to drop the file's module reference in
 * __fput(). A forced unload that slips in there is safe: before vtrust's
 * exit frees anything, it waits for an RCU-tasks grace period
 * (vtrust_hooks_exit()), which the releasing task can only let pass once
 * it has left __fput()'s non-sleeping tail, fops_put() included.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "vtrust.h"

/* Both under the kernel's module_mutex. */
static struct module_use *guard;
static unsigned long holders;

/* Hold the guard; fails once an unload has begun. */
int vtrust_pin_get(void)
{
	struct mutex *lock = vtrust_sym_module_mutex();
	struct module_use *use;
	int ret = 0;

	use = kmalloc(sizeof(*use), GFP_KERNEL); /* freed if not needed */
	if (!use)
		return -ENOMEM;
	mutex_lock(lock);
	if (THIS_MODULE->state != MODULE_STATE_LIVE) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (!guard) {
		use->source = THIS_MODULE;
		use->target = THIS_MODULE;
		list_add(&use->source_list, &THIS_MODULE->source_list);
		list_add(&use->target_list, &THIS_MODULE->target_list);
		guard = use;
		use = NULL;
	}
	holders++;
out_unlock:
	mutex_unlock(lock);
	kfree(use);
	return ret;
}

void vtrust_pin_put(void)
{
	struct mutex *lock = vtrust_sym_module_mutex();
	struct module_use *use = NULL;

	mutex_lock(lock);
	if (!WARN_ON(!holders) && !--holders) {
		use = guard;
		list_del(&use->source_list);
		list_del(&use->target_list);
		guard = NULL;
	}
	mutex_unlock(lock);
	kfree(use);
}

/* Does delete_module(2) see the guard? (For seal's check and status.) */
bool vtrust_pinned(void)
{
	struct mutex *lock = vtrust_sym_module_mutex();
	bool pinned;

	mutex_lock(lock);
	pinned = !list_empty(&THIS_MODULE->source_list);
	mutex_unlock(lock);
	return pinned;
}
