// SPDX-License-Identifier: GPL-2.0-only
/*
 * The active policy: parsed whole into a new rule set and published with
 * RCU, or left as it was. Load hooks read it under rcu_read_lock() only.
 * Writes go through state.c, which logs each change before it is
 * published; rules_mutex only orders the publication itself. The language
 * is IMA's (policy.c).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/rcupdate.h>

#include "vtrust.h"

struct vtrust_ruleset {
	struct rcu_head rcu;
	unsigned int nr;
	struct vtrust_rule rules[];
};

static struct vtrust_ruleset __rcu *active;
static DEFINE_MUTEX(rules_mutex);

unsigned int vtrust_rules_match(const struct vtrust_event_attrs *attrs,
				u32 *pcr)
{
	struct vtrust_ruleset *set;
	unsigned int actions = 0;

	rcu_read_lock();
	set = rcu_dereference(active);
	if (set)
		actions = vtrust_policy_match(set->rules, set->nr, attrs, pcr);
	rcu_read_unlock();
	return actions;
}

static int parse_failed(const struct vtrust_policy_error *err, int ret)
{
	pr_err("policy rejected, nothing changed: line %u: '%s': %s\n",
	       err->line, err->token, err->reason ?: "invalid");
	return ret;
}

/* SHA-1 content digests are open to chosen-prefix collisions. */
static bool appraisal_allowed(const struct vtrust_ruleset *set)
{
	unsigned int i;

	if (vtrust.content_alg != vtrust.sha1)
		return true;
	for (i = 0; i < set->nr; i++) {
		if (set->rules[i].action == VTRUST_APPRAISE) {
			pr_err("policy rejected, nothing changed: appraise rules need hash= other than sha1\n");
			return false;
		}
	}
	return true;
}

/*
 * A policy change in two steps (state.c): prepare parses @text whole into
 * a new rule set, or fails and changes nothing; commit publishes it.
 */
void *vtrust_rules_prepare(const char *text, size_t len)
{
	struct vtrust_policy_error err = {};
	struct vtrust_ruleset *set;
	int nr;

	nr = vtrust_policy_parse(text, len, NULL, 0, &err);
	if (nr < 0)
		return ERR_PTR(parse_failed(&err, nr));
	set = kvmalloc(struct_size(set, rules, nr), GFP_KERNEL);
	if (!set)
		return ERR_PTR(-ENOMEM);
	set->nr = vtrust_policy_parse(text, len, set->rules, nr, &err);
	if (WARN_ON((int)set->nr != nr)) {
		kvfree(set);
		return ERR_PTR(-EINVAL);
	}
	if (!appraisal_allowed(set)) {
		kvfree(set);
		return ERR_PTR(-EINVAL);
	}
	return set;
}

void vtrust_rules_abort(void *change)
{
	kvfree(change);
}

void vtrust_rules_commit(void *change)
{
	struct vtrust_ruleset *old;

	mutex_lock(&rules_mutex);
	old = rcu_replace_pointer(active, change,
				  lockdep_is_held(&rules_mutex));
	mutex_unlock(&rules_mutex);
	if (old) {
		synchronize_rcu();
		kvfree(old);
	}
}

int vtrust_rules_show(struct seq_file *m)
{
	struct vtrust_ruleset *set;
	char line[VTRUST_RULE_FORMAT_MAX];
	unsigned int i;

	rcu_read_lock();
	set = rcu_dereference(active);
	for (i = 0; set && i < set->nr; i++) {
		vtrust_rule_format(&set->rules[i], line, sizeof(line));
		seq_printf(m, "%s\n", line);
	}
	rcu_read_unlock();
	return 0;
}

/*
 * The content digest (@alg) of the active policy exactly as the policy file
 * prints it: each rule's normal form and a newline. The start entry records
 * it, so a verifier can compare it with "cat policy | sha256sum".
 */
int vtrust_rules_digest(struct vtrust_alg *alg, u8 *out)
{
	struct vtrust_ruleset *set;
	size_t len = 0;
	unsigned int i;
	char *text;
	int ret;

	mutex_lock(&rules_mutex);
	set = rcu_dereference_protected(active, lockdep_is_held(&rules_mutex));
	text = kvmalloc(set ? set->nr * VTRUST_RULE_FORMAT_MAX + 1 : 1,
			GFP_KERNEL);
	if (!text) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	for (i = 0; set && i < set->nr; i++) {
		len += vtrust_rule_format(&set->rules[i], text + len,
					  VTRUST_RULE_FORMAT_MAX);
		text[len++] = '\n';
	}
	ret = vtrust_hash(alg, text, len, out);
	kvfree(text);
out_unlock:
	mutex_unlock(&rules_mutex);
	return ret;
}

int vtrust_rules_init(const char *builtin)
{
	const char *text = vtrust_policy_lookup(builtin);
	void *set;

	if (!text) {
		pr_err("policy=%s: no such built-in policy\n", builtin);
		return -EINVAL;
	}
	set = vtrust_rules_prepare(text, strlen(text));
	if (IS_ERR(set))
		return PTR_ERR(set);
	vtrust_rules_commit(set);
	return 0;
}

void vtrust_rules_exit(void)
{
	struct vtrust_ruleset *old;

	mutex_lock(&rules_mutex);
	old = rcu_replace_pointer(active, NULL, lockdep_is_held(&rules_mutex));
	mutex_unlock(&rules_mutex);
	synchronize_rcu();
	kvfree(old);
}
