// SPDX-License-Identifier: GPL-2.0
/*
 * The file digest cache: lets a reload of an unchanged module file skip
 * hashing its bytes again, as IMA's integrity cache does.
 *
 * A digest is reused only when the file is provably the one that was
 * hashed: same device, inode number and generation, size, mtime, ctime and
 * i_version. Every write through the kernel changes ctime (and i_version),
 * and a writer cannot be active while the kernel reads a module, because
 * kernel_read_file() holds deny_write_access() across the read and the
 * hook. Two more rules close the gaps:
 *  - a file whose ctime is less than VTRUST_CACHE_SETTLE old is not cached,
 *    since ctime has a coarse granularity and a write in the same tick
 *    would leave it unchanged;
 *  - only filesystems whose contents only this kernel can change are
 *    cached: block-device filesystems, tmpfs and ramfs. Network and FUSE
 *    filesystems (whose attributes a server controls) are always hashed.
 * What remains is the trust IMA also places in the page cache: a writer to
 * the raw block device is not seen. Load with cache=0 to hash every load.
 *
 * Lookups run under RCU; updates take cache_lock and replace entries.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/iversion.h>
#include <linux/magic.h>

#include "vtrust.h"

#define VTRUST_CACHE_BITS 10
#define VTRUST_CACHE_SETTLE_NS NSEC_PER_SEC

struct file_id {
	dev_t dev;
	unsigned long ino;
	u32 generation;
	loff_t size;
	struct timespec64 mtime;
	struct timespec64 ctime;
	u64 version;
};

struct cache_entry {
	struct hlist_node hnode;
	struct rcu_head rcu;
	struct file_id id;
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
};

static DEFINE_HASHTABLE(cache_table, VTRUST_CACHE_BITS);
static DEFINE_SPINLOCK(cache_lock);

static bool cacheable(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;

	if (!S_ISREG(inode->i_mode))
		return false;
	return (sb->s_type->fs_flags & FS_REQUIRES_DEV) ||
	       sb->s_magic == TMPFS_MAGIC || sb->s_magic == RAMFS_MAGIC;
}

static void file_id_get(struct inode *inode, struct file_id *id)
{
	memset(id, 0, sizeof(*id));
	id->dev = inode->i_sb->s_dev;
	id->ino = inode->i_ino;
	id->generation = inode->i_generation;
	id->size = i_size_read(inode);
	id->mtime = inode->i_mtime;
	id->ctime = inode->i_ctime;
	id->version = IS_I_VERSION(inode) ? inode_peek_iversion(inode) : 0;
}

static u32 file_id_key(const struct file_id *id)
{
	return (u32)id->ino ^ (u32)id->dev;
}

static bool file_id_equal(const struct file_id *a, const struct file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino &&
	       a->generation == b->generation && a->size == b->size &&
	       timespec64_equal(&a->mtime, &b->mtime) &&
	       timespec64_equal(&a->ctime, &b->ctime) &&
	       a->version == b->version;
}

/* Copy the cached content digest of @file into @digest if it is valid. */
bool vtrust_cache_lookup(struct file *file, u8 *digest)
{
	struct inode *inode = file_inode(file);
	struct cache_entry *e;
	struct file_id id;
	bool hit = false;

	if (!vtrust.cache || !cacheable(inode))
		return false;
	file_id_get(inode, &id);
	rcu_read_lock();
	hash_for_each_possible_rcu(cache_table, e, hnode, file_id_key(&id)) {
		if (file_id_equal(&e->id, &id)) {
			memcpy(digest, e->digest, vtrust.content_alg->size);
			hit = true;
			break;
		}
	}
	rcu_read_unlock();
	if (hit)
		atomic_long_inc(&vtrust.cache_hits);
	return hit;
}

/* Remember the content digest of @file, just hashed, if it is settled. */
void vtrust_cache_store(struct file *file, const u8 *digest)
{
	struct inode *inode = file_inode(file);
	struct cache_entry *e, *old;
	struct timespec64 now;
	struct hlist_node *tmp;

	if (!vtrust.cache || !cacheable(inode))
		return;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return; /* the next load hashes again */
	file_id_get(inode, &e->id);
	ktime_get_coarse_real_ts64(&now);
	if (timespec64_to_ns(&now) - timespec64_to_ns(&e->id.ctime) <
	    VTRUST_CACHE_SETTLE_NS) {
		kfree(e);
		return;
	}
	memcpy(e->digest, digest, vtrust.content_alg->size);

	spin_lock(&cache_lock);
	hash_for_each_possible_safe(cache_table, old, tmp, hnode,
				    file_id_key(&e->id)) {
		if (old->id.dev == e->id.dev && old->id.ino == e->id.ino) {
			hash_del_rcu(&old->hnode);
			kfree_rcu(old, rcu);
		}
	}
	hash_add_rcu(cache_table, &e->hnode, file_id_key(&e->id));
	spin_unlock(&cache_lock);
}

/* Called once no hook can reach the cache any more. */
void vtrust_cache_exit(void)
{
	struct cache_entry *e;
	struct hlist_node *tmp;
	int bkt;

	synchronize_rcu();
	hash_for_each_safe(cache_table, bkt, tmp, e, hnode) {
		hash_del(&e->hnode);
		kfree(e);
	}
}
