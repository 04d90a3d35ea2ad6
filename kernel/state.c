// SPDX-License-Identifier: GPL-2.0-only
/*
 * State changes: the policy, the baseline, the seal, signed updates and
 * keys linked into .vtrust. One rule holds for all of them, under one
 * lock (state_mutex):
 *
 *   every change is checked against the seal, prepared, logged and only
 *   then made, in this order and under the lock; if it cannot be logged,
 *   it is not made.
 *
 * So the list shows every change in the order the changes took effect,
 * with nothing taking effect before its entry (loads that race a change
 * see the old state, and its entry comes after theirs at worst), and a
 * write that passed the seal check cannot land after the "vtrust-sealed"
 * entry. State events are never dropped as repeats (VTRUST_LOG_STATE).
 *
 * Lock order: a keyring's semaphore -> state_mutex -> rules_mutex,
 * baseline_mutex or the kernel's module_mutex (pin.c, at seal) ->
 * vtrust.lock.
 */
#include <linux/module.h>
#include <linux/err.h>

#include "vtrust.h"

static DEFINE_MUTEX(state_mutex);
static bool sealed; /* written under state_mutex */

/* What can be changed, by a direct write before the seal or an update. */
static const struct vtrust_target targets[] = {
	{ "policy", "vtrust-policy", vtrust_rules_prepare, vtrust_rules_commit,
	  vtrust_rules_abort },
	{ "baseline", "vtrust-baseline", vtrust_baseline_prepare,
	  vtrust_baseline_commit, vtrust_baseline_abort },
};

const struct vtrust_target *vtrust_target_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(targets); i++)
		if (!strcmp(targets[i].name, name))
			return &targets[i];
	return NULL;
}

int vtrust_state_lock(void)
{
	return mutex_lock_interruptible(&state_mutex);
}

void vtrust_state_unlock(void)
{
	mutex_unlock(&state_mutex);
}

bool vtrust_sealed(void)
{
	return READ_ONCE(sealed);
}

/* Caller holds the state lock and has logged the seal. */
void vtrust_state_seal(void)
{
	lockdep_assert_held(&state_mutex);
	WRITE_ONCE(sealed, true);
}

/* Log a state event named @event whose digest covers @data. */
int vtrust_state_log(const char *event, const void *data, size_t len)
{
	int ret;

	lockdep_assert_held(&state_mutex);
	ret = vtrust_log_ng(event, data, len, VTRUST_LOG_STATE);
	if (ret)
		pr_err("%s refused: it cannot be logged (%d)\n", event, ret);
	return ret;
}

/*
 * Prepare @target's change from @text, log @event over @logged, then make
 * the change. Caller holds the state lock.
 */
int vtrust_state_change(const struct vtrust_target *target, const char *text,
			size_t len, const char *event, const void *logged,
			size_t logged_len)
{
	void *change;
	int ret;

	lockdep_assert_held(&state_mutex);
	change = target->prepare(text, len);
	if (IS_ERR(change))
		return PTR_ERR(change);
	ret = vtrust_state_log(event, logged, logged_len);
	if (ret) {
		target->abort(change);
		return ret;
	}
	target->commit(change);
	return 0;
}

/* A direct write to the policy or baseline file: refused once sealed. */
ssize_t vtrust_state_write(const char *name, const char *text, size_t len)
{
	const struct vtrust_target *target = vtrust_target_find(name);
	int ret;

	if (WARN_ON(!target))
		return -EINVAL;
	ret = vtrust_state_lock();
	if (ret)
		return ret;
	if (sealed)
		ret = -EPERM;
	else
		ret = vtrust_state_change(target, text, len, target->event,
					  text, len);
	vtrust_state_unlock();
	return ret ? ret : len;
}
