// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reference baseline: the digests that "appraise ... appraise_type=
 * baseline" rules let through. Lines are "<algo>:<hex digest> [name]"
 * (reflist.c parses them); names are checked but not kept.
 *
 * A write is checked whole first, then every entry is allocated, then the
 * write is logged (state.c), and only then inserted: a bad line or a
 * failed allocation changes nothing. Each write(2) must hold whole lines;
 * a large baseline takes several writes. A write of exactly "clear"
 * empties the baseline. Every line must use vtrust's hash= algorithm.
 *
 * Lookups are O(1): a hash table of 2^16 buckets keyed by the digest's
 * first bytes, walked under RCU. Memory: one kmalloc per digest of
 * sizeof(struct ref) + the digest (24 + 32 = 56 bytes for SHA-256, served
 * from the 64-byte slab), plus 512 KiB of bucket heads: about 6.9 MB for
 * 100,000 SHA-256 digests.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/hashtable.h>
#include <linux/rculist.h>

#include "vtrust.h"
#include "reflist.h"

#define VTRUST_BASELINE_BITS 16

struct ref {
	struct hlist_node node;
	u16 algo; /* TPM_ALG_* */
	u8 len;
	u8 digest[];
};

static struct hlist_head *table;
static DEFINE_MUTEX(baseline_mutex);
static unsigned long nr_refs;

static struct hlist_head *bucket(const u8 *digest)
{
	return &table[hash_32(get_unaligned_le32(digest), VTRUST_BASELINE_BITS)];
}

static bool ref_find(u16 algo, const u8 *digest, u8 len)
{
	struct ref *r;

	hlist_for_each_entry_rcu(r, bucket(digest), node,
				 lockdep_is_held(&baseline_mutex))
		if (r->algo == algo && r->len == len &&
		    !memcmp(r->digest, digest, len))
			return true;
	return false;
}

/* Is the content digest @digest (vtrust's hash= algorithm) in the baseline? */
bool vtrust_baseline_has(const u8 *digest)
{
	bool found;

	rcu_read_lock();
	found = ref_find(vtrust.content_alg->tpm_id, digest,
			 vtrust.content_alg->size);
	rcu_read_unlock();
	return found;
}

static void baseline_clear(void)
{
	struct hlist_node *tmp;
	struct ref *r;
	unsigned int i;

	lockdep_assert_held(&baseline_mutex);
	for (i = 0; i < (1U << VTRUST_BASELINE_BITS); i++) {
		hlist_for_each_entry_safe(r, tmp, &table[i], node) {
			hlist_del_rcu(&r->node);
			kfree_rcu_mightsleep(r);
		}
	}
	WRITE_ONCE(nr_refs, 0);
}

static void free_list(struct hlist_head *list)
{
	struct hlist_node *tmp;
	struct ref *r;

	hlist_for_each_entry_safe(r, tmp, list, node)
		kfree(r);
}

/* Allocate every entry of @text (already checked) onto @list. */
static int refs_alloc(const char *text, size_t len, struct hlist_head *list)
{
	struct vtrust_ref ref;
	const char *reason;
	size_t pos = 0;
	struct ref *r;
	int ret;

	while ((ret = vtrust_reflist_next(text, len, &pos, NULL, &ref,
					  &reason)) > 0) {
		r = kmalloc(struct_size(r, digest, ref.digest_len), GFP_KERNEL);
		if (!r)
			return -ENOMEM;
		r->algo = ref.algo;
		r->len = ref.digest_len;
		memcpy(r->digest, ref.digest, ref.digest_len);
		hlist_add_head(&r->node, list);
		cond_resched();
	}
	return ret;
}

/*
 * A baseline change in two steps (state.c): prepare checks @text whole and
 * allocates every entry, or fails and changes nothing; commit inserts them
 * (or empties the baseline for "clear").
 */
struct baseline_change {
	bool clear;
	struct hlist_head refs;
};

/* Every line must use vtrust's content algorithm, else it could never match. */
static int check_algo(const char *text, size_t len)
{
	struct vtrust_ref ref;
	const char *reason;
	unsigned int line = 0;
	size_t pos = 0;
	int ret;

	while ((ret = vtrust_reflist_next(text, len, &pos, NULL, &ref,
					  &reason)) > 0) {
		line++;
		if (ref.algo != vtrust.content_alg->tpm_id) {
			pr_err("baseline rejected, nothing changed: line %u: not a %s digest (vtrust's hash=)\n",
			       line, vtrust.content_alg->dng_name);
			return -EINVAL;
		}
	}
	return ret;
}

void *vtrust_baseline_prepare(const char *text, size_t len)
{
	struct baseline_change *c;
	unsigned int nr, bad_line;
	const char *reason;
	int ret;

	if (len > VTRUST_BASELINE_WRITE_MAX)
		return ERR_PTR(-EFBIG);
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	INIT_HLIST_HEAD(&c->refs);
	if ((len == 5 || len == 6) && !strncmp(text, "clear\n", len)) {
		c->clear = true;
		return c;
	}
	ret = vtrust_reflist_check(text, len, &nr, &bad_line, &reason);
	if (ret < 0) {
		pr_err("baseline rejected, nothing changed: line %u: %s\n",
		       bad_line, reason ?: "invalid");
		goto out_free;
	}
	ret = check_algo(text, len);
	if (!ret)
		ret = refs_alloc(text, len, &c->refs);
	if (!ret)
		return c;
out_free:
	vtrust_baseline_abort(c);
	return ERR_PTR(ret);
}

void vtrust_baseline_abort(void *change)
{
	struct baseline_change *c = change;

	free_list(&c->refs);
	kfree(c);
}

void vtrust_baseline_commit(void *change)
{
	struct baseline_change *c = change;
	struct hlist_node *tmp;
	struct ref *r;

	mutex_lock(&baseline_mutex);
	if (c->clear)
		baseline_clear();
	hlist_for_each_entry_safe(r, tmp, &c->refs, node) {
		hlist_del(&r->node);
		if (ref_find(r->algo, r->digest, r->len)) {
			kfree(r);
			continue;
		}
		hlist_add_head_rcu(&r->node, bucket(r->digest));
		WRITE_ONCE(nr_refs, nr_refs + 1);
	}
	mutex_unlock(&baseline_mutex);
	kfree(c);
}

int vtrust_baseline_show(struct seq_file *m)
{
	seq_printf(m, "entries: %lu\n", READ_ONCE(nr_refs));
	return 0;
}

unsigned long vtrust_baseline_count(void)
{
	return READ_ONCE(nr_refs);
}

int vtrust_baseline_init(void)
{
	unsigned int i;

	table = kvmalloc_array(1U << VTRUST_BASELINE_BITS, sizeof(*table),
			       GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < (1U << VTRUST_BASELINE_BITS); i++)
		INIT_HLIST_HEAD(&table[i]);
	return 0;
}

/* Called once no hook can look up the baseline any more. */
void vtrust_baseline_exit(void)
{
	unsigned int i;

	if (!table)
		return;
	for (i = 0; i < (1U << VTRUST_BASELINE_BITS); i++)
		free_list(&table[i]);
	kvfree(table);
	table = NULL;
}
