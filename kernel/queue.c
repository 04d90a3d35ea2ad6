// SPDX-License-Identifier: GPL-2.0-only
/*
 * The measurement list: append-only, walked by readers under RCU.
 *
 * Appends hold vtrust.lock (taken killably), a mutex rather than a
 * spinlock because the TPM extend that follows each append sleeps; holding
 * it across the extend keeps the PCR's extend order equal to the list
 * order. Entries are never removed while the module is loaded, so a reader
 * needs no lock that a loader waits on, however slow the TPM is.
 *
 * Repeats: an entry whose template data (and so name and content digest)
 * and PCR are already in the list is dropped before any TPM command, found
 * through a hash table keyed by the SHA-1 template digest. State changes
 * (VTRUST_LOG_STATE) are never dropped: writing policy A, then B, then A
 * again must leave A as the last policy in the list.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/rculist.h>
#include <linux/hashtable.h>
#include <linux/ima.h>

#include "vtrust.h"

#define VTRUST_HASH_BITS 12

#define VTRUST_LIST_FULL "list-full"

LIST_HEAD(vtrust_list);
static DEFINE_HASHTABLE(vtrust_htable, VTRUST_HASH_BITS);
/* Under vtrust.lock: */
static size_t list_bytes, list_max;
static struct vtrust_entry *list_full_entry; /* NULL once logged */

u8 *vtrust_entry_digest(struct vtrust_entry *entry, int bank)
{
	if (bank < 0)
		return entry->digests;
	return entry->digests + vtrust.banks[bank].offset;
}

static u32 entry_key(const struct vtrust_entry *entry)
{
	return get_unaligned_le32(entry->digests);
}

static bool entry_equal(const struct vtrust_entry *a,
			const struct vtrust_entry *b)
{
	return a->pcr == b->pcr && a->tmpl == b->tmpl &&
	       a->data_len == b->data_len &&
	       !memcmp(a->digests, b->digests, VTRUST_SHA1_SIZE) &&
	       !memcmp(a->data, b->data, a->data_len);
}

/* Caller holds rcu_read_lock() or vtrust.lock. */
static bool entry_known(const struct vtrust_entry *entry)
{
	struct vtrust_entry *e;

	hash_for_each_possible_rcu(vtrust_htable, e, hnode, entry_key(entry),
				   lockdep_is_held(&vtrust.lock))
		if (entry_equal(e, entry))
			return true;
	return false;
}

static bool entry_known_rcu(const struct vtrust_entry *entry)
{
	bool known;

	rcu_read_lock();
	known = entry_known(entry);
	rcu_read_unlock();
	return known;
}

static int entry_bank_digests(struct vtrust_entry *entry)
{
	unsigned int i;
	int ret;

	for (i = 0; i < vtrust.nr_banks; i++) {
		struct vtrust_alg *alg = vtrust.banks[i].alg;
		u8 *out = vtrust_entry_digest(entry, i);

		if (alg == vtrust.sha1) {
			memcpy(out, entry->digests, VTRUST_SHA1_SIZE);
			continue;
		}
		ret = vtrust_hash(alg, entry->data, entry->data_len, out);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * IMA mirroring: with "measure func=CRITICAL_DATA label=vtrust" in IMA's
 * policy, IMA records every new entry too (its name, and the template data
 * as the buffer), so agents that read only IMA's list see vtrust's events.
 * Without that rule IMA ignores the call.
 */
static void mirror(const struct vtrust_entry *entry,
		   const struct vtrust_field *fields)
{
	ima_measure_critical_data("vtrust", fields[1].data, entry->data,
				  entry->data_len, false, NULL, 0);
}

/* An entry for @fields, with its SHA-1 and every bank's template digest. */
static struct vtrust_entry *entry_new(const struct vtrust_template_desc *tmpl,
				      const struct vtrust_field *fields,
				      u32 pcr)
{
	struct vtrust_entry *entry;
	size_t len;
	int ret;

	len = vtrust_encode_template(NULL, 0, tmpl, fields);
	if (len > U32_MAX - sizeof(*entry) - vtrust.digests_size)
		return ERR_PTR(-E2BIG);
	entry = kmalloc(sizeof(*entry) + vtrust.digests_size + len, GFP_KERNEL);
	if (!entry)
		return ERR_PTR(-ENOMEM);
	entry->tmpl = tmpl;
	entry->pcr = pcr;
	entry->data_len = len;
	entry->data = entry->digests + vtrust.digests_size;
	vtrust_encode_template(entry->data, len, tmpl, fields);
	ret = vtrust_hash(vtrust.sha1, entry->data, len, entry->digests);
	if (!ret)
		ret = entry_bank_digests(entry);
	if (ret) {
		kfree(entry);
		return ERR_PTR(ret);
	}
	return entry;
}

static size_t entry_size(const struct vtrust_entry *entry)
{
	return sizeof(*entry) + vtrust.digests_size + entry->data_len;
}

/* Append @entry to the list; returns its index. Caller holds vtrust.lock. */
static unsigned long append(struct vtrust_entry *entry)
{
	lockdep_assert_held(&vtrust.lock);
	list_add_tail_rcu(&entry->list, &vtrust_list);
	hash_add_rcu(vtrust_htable, &entry->hnode, entry_key(entry));
	list_bytes += entry_size(entry);
	return atomic_long_inc_return(&vtrust.entries) - 1;
}

/*
 * Failed extends. An entry whose extend failed is in the list but not in
 * the PCR. At the next extend that succeeds, vtrust appends for each such
 * entry an ima-ng entry "extend-failed:<index>" (<index>: the failed
 * entry's position in the list, from 0) to the failed entry's PCR, and
 * extends it; a replayer skips the entries these marks name. A mark whose
 * own extend fails is marked in turn. Marks are not counted against
 * list_max. All under vtrust.lock.
 */
struct vtrust_unextended {
	struct list_head list;
	unsigned long index;
	u32 pcr;
};

static LIST_HEAD(unextended);

static struct vtrust_entry *mark_new(const struct vtrust_unextended *u)
{
	u8 dng[VTRUST_ALGO_NAME_MAX + 2 + VTRUST_MAX_DIGEST_SIZE];
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	struct vtrust_alg *alg = vtrust.content_alg;
	struct vtrust_field fields[2];
	char name[32];
	int len, ret;

	len = scnprintf(name, sizeof(name), "extend-failed:%lu", u->index);
	ret = vtrust_hash(alg, name, len, digest);
	if (ret)
		return ERR_PTR(ret);
	fields[0].data = dng;
	fields[0].len = vtrust_encode_dng(dng, sizeof(dng), alg->dng_name,
					  digest, alg->size);
	fields[1].data = name;
	fields[1].len = len + 1;
	return entry_new(&vtrust_template_ng, fields, u->pcr);
}

/* The TPM works again: mark what it missed, oldest first. */
static void marks_flush(void)
{
	struct vtrust_unextended *u;
	struct vtrust_entry *mark;

	while ((u = list_first_entry_or_null(&unextended,
					     struct vtrust_unextended, list))) {
		mark = mark_new(u);
		if (IS_ERR(mark))
			return; /* u stays, for the next extend */
		list_del(&u->list);
		u->index = append(mark);
		if (vtrust_tpm_extend(mark)) {
			list_add(&u->list, &unextended);
			return;
		}
		kfree(u);
	}
}

/*
 * Extend the new entry number @index, or remember it for a mark. Returns
 * -EIO if the extend failed. Caller holds vtrust.lock.
 */
static int extend_or_mark(struct vtrust_entry *entry, unsigned long index)
{
	struct vtrust_unextended *u;

	if (vtrust_tpm_extend(entry)) {
		u = kmalloc(sizeof(*u), GFP_KERNEL);
		if (u) {
			u->index = index;
			u->pcr = entry->pcr;
			list_add_tail(&u->list, &unextended);
		} else {
			atomic_long_inc(&vtrust.measure_errors);
			pr_err("no memory to mark entry %lu\n", index);
		}
		return -EIO;
	}
	marks_flush();
	return 0;
}

/*
 * Record one event: encode its template data, compute the SHA-1 and every
 * bank's template digest, append it and extend the PCR. A failed extend
 * keeps the entry, is counted in status and marked in the list (above);
 * with on_extend_error=refuse it also fails the call with -EIO.
 *
 * The list may hold list_max bytes. The first event that does not fit is
 * replaced by the "list-full" event (made at init, so it cannot fail),
 * which tells a verifier the list is incomplete from there on; that event
 * and every later one get -ENOSPC. vtrust_measure() decides what a load
 * then does.
 */
int vtrust_log(const struct vtrust_template_desc *tmpl,
	       const struct vtrust_field *fields, u32 pcr, unsigned int flags)
{
	struct vtrust_entry *entry;
	unsigned long index;
	int ret;

	entry = entry_new(tmpl, fields, pcr);
	if (IS_ERR(entry))
		return PTR_ERR(entry);
	if (!(flags & VTRUST_LOG_STATE) && entry_known_rcu(entry))
		goto out_repeat;

	ret = mutex_lock_killable(&vtrust.lock);
	if (ret)
		goto out_free;
	if (!(flags & VTRUST_LOG_STATE) && entry_known(entry)) {
		mutex_unlock(&vtrust.lock);
		goto out_repeat;
	}
	if (list_bytes + entry_size(entry) > list_max) {
		if (list_full_entry) {
			pr_err("the list is full (%zu bytes; list_max_kib=%lu): logging list-full, no more entries\n",
			       list_bytes, list_max >> 10);
			index = append(list_full_entry);
			extend_or_mark(list_full_entry, index);
			list_full_entry = NULL;
		}
		mutex_unlock(&vtrust.lock);
		atomic_long_inc(&vtrust.unlogged);
		ret = -ENOSPC;
		goto out_free;
	}
	index = append(entry);
	ret = extend_or_mark(entry, index);
	mutex_unlock(&vtrust.lock);
	mirror(entry, fields);
	/* A state change stays made: its entry is in the list, and marked. */
	if (vtrust.on_extend_error != VTRUST_EXTEND_REFUSE ||
	    (flags & VTRUST_LOG_STATE))
		return 0;
	return ret;

out_repeat:
	atomic_long_inc(&vtrust.repeats);
	ret = 0;
out_free:
	kfree(entry);
	return ret;
}

bool vtrust_list_full(void)
{
	return !READ_ONCE(list_full_entry);
}

int vtrust_queue_init(unsigned long max_bytes)
{
	u8 dng[VTRUST_ALGO_NAME_MAX + 2 + VTRUST_MAX_DIGEST_SIZE];
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	struct vtrust_alg *alg = vtrust.content_alg;
	struct vtrust_field fields[2];
	struct vtrust_entry *entry;
	int ret;

	hash_init(vtrust_htable);
	atomic_long_set(&vtrust.entries, 0);
	list_bytes = 0;
	list_max = max_bytes;
	ret = vtrust_hash(alg, VTRUST_LIST_FULL, strlen(VTRUST_LIST_FULL),
			  digest);
	if (ret)
		return ret;
	fields[0].data = dng;
	fields[0].len = vtrust_encode_dng(dng, sizeof(dng), alg->dng_name,
					  digest, alg->size);
	fields[1].data = VTRUST_LIST_FULL;
	fields[1].len = sizeof(VTRUST_LIST_FULL);
	entry = entry_new(&vtrust_template_ng, fields, vtrust.pcr);
	if (IS_ERR(entry))
		return PTR_ERR(entry);
	list_full_entry = entry;
	return 0;
}

/* Called once no hook and no reader can reach the list any more. */
void vtrust_queue_exit(void)
{
	struct vtrust_unextended *u, *utmp;
	struct vtrust_entry *entry, *tmp;

	list_for_each_entry_safe(entry, tmp, &vtrust_list, list) {
		list_del(&entry->list);
		kfree(entry);
	}
	list_for_each_entry_safe(u, utmp, &unextended, list) {
		list_del(&u->list);
		kfree(u);
	}
	hash_init(vtrust_htable);
	kfree(list_full_entry);
	list_full_entry = NULL;
}
