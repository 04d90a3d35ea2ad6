// SPDX-License-Identifier: GPL-2.0-only
/*
 * /sys/kernel/security/vtrust/: the measurement lists in IMA's binary and
 * ascii layouts (docs/FORMATS.md), per bank, plus a count and a status.
 *
 * The list views share start/next/stop and differ only in show. A view's
 * bank travels in the inode's i_private: 0 is the default SHA-1 view, n is
 * bank n - 1. Every open file holds the unload guard (pin.c), so not even
 * a forced unload frees the module and the list under it. All files are
 * readable by root only.
 */
#include <linux/module.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/rculist.h>
#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vtrust.h"

#define VTRUST_FS_MODE 0440
#define VTRUST_FS_MODE_RW 0640
#define VTRUST_FS_MODE_WO 0200
/* dir + 2 default lists + 2 per bank + count + status + 4 control files */
#define VTRUST_FS_MAX (9 + 2 * TPM2_MAX_PCR_BANKS)
#define VTRUST_POLICY_WRITE_MAX (64 * 1024)
#define VTRUST_UPDATE_WRITE_MAX (16 * 1024 * 1024)

static struct dentry *vtrust_dentries[VTRUST_FS_MAX];
static unsigned int vtrust_nr_dentries;

static int view_bank(struct seq_file *m)
{
	return (long)m->private - 1;
}

static unsigned int view_digest_size(struct seq_file *m)
{
	int bank = view_bank(m);

	return bank < 0 ? VTRUST_SHA1_SIZE : vtrust.banks[bank].alg->size;
}

static void *list_start(struct seq_file *m, loff_t *pos)
{
	struct vtrust_entry *entry;
	loff_t n = *pos;

	rcu_read_lock();
	list_for_each_entry_rcu(entry, &vtrust_list, list) {
		if (!n--) {
			rcu_read_unlock();
			return entry;
		}
	}
	rcu_read_unlock();
	return NULL;
}

static void *list_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct vtrust_entry *entry = v;

	rcu_read_lock();
	entry = list_entry_rcu(entry->list.next, struct vtrust_entry, list);
	rcu_read_unlock();
	(*pos)++;
	return &entry->list == &vtrust_list ? NULL : entry;
}

static void list_stop(struct seq_file *m, void *v)
{
}

static void put_le32_seq(struct seq_file *m, u32 v)
{
	__le32 le = cpu_to_le32(v);

	seq_write(m, &le, sizeof(le));
}

static int binary_show(struct seq_file *m, void *v)
{
	struct vtrust_entry *entry = v;
	const char *name = entry->tmpl->name;

	put_le32_seq(m, entry->pcr);
	seq_write(m, vtrust_entry_digest(entry, view_bank(m)),
		  view_digest_size(m));
	put_le32_seq(m, strlen(name));
	seq_write(m, name, strlen(name));
	put_le32_seq(m, entry->data_len);
	seq_write(m, entry->data, entry->data_len);
	return 0;
}

static void put_hex(struct seq_file *m, const u8 *data, u32 len)
{
	u32 i;

	for (i = 0; i < len; i++)
		seq_printf(m, "%02x", data[i]);
}

/* Template data is built by vtrust, so its field lengths are trusted. */
static int ascii_show(struct seq_file *m, void *v)
{
	struct vtrust_entry *entry = v;
	const u8 *p = entry->data;
	unsigned int i;
	size_t alen;
	bool dng;
	u32 len;

	seq_printf(m, "%2u ", entry->pcr);
	put_hex(m, vtrust_entry_digest(entry, view_bank(m)),
		view_digest_size(m));
	seq_printf(m, " %s", entry->tmpl->name);
	for (i = 0; i < entry->tmpl->nr_fields; i++) {
		len = get_unaligned_le32(p);
		p += 4;
		seq_putc(m, ' ');
		dng = i == 0 ||
		      (i == 3 && entry->tmpl == &vtrust_template_modsig);
		if (dng && len) { /* d-ng, d-modsig: "algo:" NUL digest */
			alen = strnlen(p, len);
			seq_write(m, p, alen);
			if (alen < len)
				put_hex(m, p + alen + 1, len - alen - 1);
		} else if (i == 1) { /* n-ng: name NUL */
			seq_write(m, p, len ? len - 1 : 0);
		} else { /* buf, sig, modsig: hex, nothing when empty */
			put_hex(m, p, len);
		}
		p += len;
	}
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations binary_seqops = {
	.start = list_start,
	.next = list_next,
	.stop = list_stop,
	.show = binary_show,
};

static const struct seq_operations ascii_seqops = {
	.start = list_start,
	.next = list_next,
	.stop = list_stop,
	.show = ascii_show,
};

/*
 * Every open file holds the unload guard (pin.c) until it is released, so
 * that not even a forced unload frees the module under it.
 */
static int list_open(struct inode *inode, struct file *file,
		     const struct seq_operations *ops)
{
	int ret = vtrust_pin_get();

	if (ret)
		return ret;
	ret = seq_open(file, ops);
	if (ret) {
		vtrust_pin_put();
		return ret;
	}
	((struct seq_file *)file->private_data)->private = inode->i_private;
	return 0;
}

static int list_release(struct inode *inode, struct file *file)
{
	int ret = seq_release(inode, file);

	vtrust_pin_put();
	return ret;
}

static int pinned_single_open(struct file *file,
			      int (*show)(struct seq_file *, void *))
{
	int ret = vtrust_pin_get();

	if (ret)
		return ret;
	ret = single_open(file, show, NULL);
	if (ret)
		vtrust_pin_put();
	return ret;
}

static int pinned_single_release(struct inode *inode, struct file *file)
{
	int ret = single_release(inode, file);

	vtrust_pin_put();
	return ret;
}

static int pinned_open(struct inode *inode, struct file *file)
{
	return vtrust_pin_get();
}

static int pinned_release(struct inode *inode, struct file *file)
{
	vtrust_pin_put();
	return 0;
}

static int binary_open(struct inode *inode, struct file *file)
{
	return list_open(inode, file, &binary_seqops);
}

static int ascii_open(struct inode *inode, struct file *file)
{
	return list_open(inode, file, &ascii_seqops);
}

static const struct file_operations binary_fops = {
	.owner = THIS_MODULE,
	.open = binary_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = list_release,
};

static const struct file_operations ascii_fops = {
	.owner = THIS_MODULE,
	.open = ascii_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = list_release,
};

static int count_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%ld\n", atomic_long_read(&vtrust.entries));
	return 0;
}

static int status_show(struct seq_file *m, void *v)
{
	unsigned int i;

	seq_printf(m, "tpm: %s\n", vtrust.chip ? "present" : "absent");
	seq_printf(m, "mode: %s\n", vtrust.chip ? "measure" : "log-only");
	seq_printf(m, "instance: %*phN\n", VTRUST_INSTANCE_ID_SIZE,
		   vtrust.instance_id);
	seq_printf(m, "lockdown: %s\n", vtrust.lockdown);
	seq_printf(m, "pcr: %u\n", vtrust.pcr);
	seq_printf(m, "hash: %s\n", vtrust.content_alg->dng_name);
	seq_puts(m, "banks:");
	for (i = 0; i < vtrust.nr_banks; i++)
		seq_printf(m, " %s", vtrust.banks[i].alg->bank_name);
	seq_putc(m, '\n');
	seq_printf(m, "entries: %ld\n", atomic_long_read(&vtrust.entries));
	seq_printf(m, "repeats: %ld\n", atomic_long_read(&vtrust.repeats));
	seq_printf(m, "extend_errors: %ld\n",
		   atomic_long_read(&vtrust.extend_errors));
	seq_printf(m, "measure_errors: %ld\n",
		   atomic_long_read(&vtrust.measure_errors));
	seq_printf(m, "denied: %ld\n", atomic_long_read(&vtrust.denied));
	seq_printf(m, "list_full: %s\n", vtrust_list_full() ? "yes" : "no");
	seq_printf(m, "unlogged: %ld\n", atomic_long_read(&vtrust.unlogged));
	seq_printf(m, "baseline: %lu\n", vtrust_baseline_count());
	vtrust_hooks_status(m);
	vtrust_seal_status(m);
	seq_printf(m, "version: %s\n", VTRUST_VERSION);
	return 0;
}

static int count_open(struct inode *inode, struct file *file)
{
	return pinned_single_open(file, count_show);
}

static int status_open(struct inode *inode, struct file *file)
{
	return pinned_single_open(file, status_show);
}

static const struct file_operations count_fops = {
	.owner = THIS_MODULE,
	.open = count_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = pinned_single_release,
};

static ssize_t status_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos);

static const struct file_operations status_fops = {
	.owner = THIS_MODULE,
	.open = status_open,
	.read = seq_read,
	.write = status_write,
	.llseek = seq_lseek,
	.release = pinned_single_release,
};

/*
 * Every control write: CAP_SYS_ADMIN, a size cap, and the handler sees
 * the whole write at once. @whole: the file takes one write per open
 * (policy, update); the baseline takes several, each of whole lines.
 */
static ssize_t control_write(struct file *file, const char __user *ubuf,
			     size_t len, loff_t *ppos, size_t max, bool whole,
			     ssize_t (*fn)(const char *text, size_t len))
{
	ssize_t ret;
	char *buf;

	/* Both the opener and the writer: no confused deputy. */
	if (!file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN) ||
	    !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (whole && *ppos != 0)
		return -EINVAL;
	if (!len)
		return -EINVAL;
	if (len > max)
		return -EFBIG;
	buf = vmemdup_user(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = fn(buf, len);
	kvfree(buf);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static ssize_t seal_text(const char *text, size_t len)
{
	if (len > 5 || (len == 5 && text[4] != '\n') || len < 4 ||
	    memcmp(text, "seal", 4))
		return -EINVAL;
	return vtrust_seal() ?: len;
}

static ssize_t status_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	return control_write(file, ubuf, len, ppos, 16, true, seal_text);
}

static ssize_t policy_text(const char *text, size_t len)
{
	return vtrust_state_write("policy", text, len);
}

static ssize_t baseline_text(const char *text, size_t len)
{
	return vtrust_state_write("baseline", text, len);
}

static ssize_t policy_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	return control_write(file, ubuf, len, ppos, VTRUST_POLICY_WRITE_MAX,
			     true, policy_text);
}

static ssize_t baseline_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	return control_write(file, ubuf, len, ppos, VTRUST_BASELINE_WRITE_MAX,
			     false, baseline_text);
}

static ssize_t update_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	return control_write(file, ubuf, len, ppos, VTRUST_UPDATE_WRITE_MAX,
			     true, vtrust_update_write);
}

static int policy_show(struct seq_file *m, void *v)
{
	return vtrust_rules_show(m);
}

static int baseline_show(struct seq_file *m, void *v)
{
	return vtrust_baseline_show(m);
}

static int policy_open(struct inode *inode, struct file *file)
{
	return pinned_single_open(file, policy_show);
}

static int baseline_open(struct inode *inode, struct file *file)
{
	return pinned_single_open(file, baseline_show);
}

static const struct file_operations policy_fops = {
	.owner = THIS_MODULE,
	.open = policy_open,
	.read = seq_read,
	.write = policy_write,
	.llseek = seq_lseek,
	.release = pinned_single_release,
};

static const struct file_operations baseline_fops = {
	.owner = THIS_MODULE,
	.open = baseline_open,
	.read = seq_read,
	.write = baseline_write,
	.llseek = seq_lseek,
	.release = pinned_single_release,
};

static const struct file_operations seal_fops = {
	.owner = THIS_MODULE,
	.open = pinned_open,
	.release = pinned_release,
	.write = status_write,
	.llseek = noop_llseek,
};

static const struct file_operations update_fops = {
	.owner = THIS_MODULE,
	.open = pinned_open,
	.release = pinned_release,
	.write = update_write,
	.llseek = noop_llseek,
};

static int fs_add_mode(const char *name, struct dentry *parent, long bank,
		       const struct file_operations *fops, umode_t mode)
{
	struct dentry *d;

	if (WARN_ON(vtrust_nr_dentries >= VTRUST_FS_MAX))
		return -ENOSPC;
	if (fops)
		d = securityfs_create_file(name, mode, parent, (void *)bank,
					   fops);
	else
		d = securityfs_create_dir(name, NULL);
	if (IS_ERR(d)) {
		pr_err("cannot create securityfs entry %s: %ld\n", name,
		       PTR_ERR(d));
		return PTR_ERR(d);
	}
	vtrust_dentries[vtrust_nr_dentries++] = d;
	return 0;
}

static int fs_add(const char *name, struct dentry *parent, long bank,
		  const struct file_operations *fops)
{
	return fs_add_mode(name, parent, bank, fops, VTRUST_FS_MODE);
}

static int fs_add_bank(struct dentry *dir, int bank)
{
	const char *alg = vtrust.banks[bank].alg->bank_name;
	char name[64];
	int ret;

	snprintf(name, sizeof(name), "binary_runtime_measurements_%s", alg);
	ret = fs_add(name, dir, bank + 1, &binary_fops);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "ascii_runtime_measurements_%s", alg);
	return fs_add(name, dir, bank + 1, &ascii_fops);
}

/*
 * Remove @d so that no lookup finds it again. securityfs_remove() unlinks
 * a file but leaves its dentry hashed while anyone holds it (a lookup or a
 * refused open in progress); the directory then looks not empty, its
 * removal fails unseen, and the next insmod cannot create it (EEXIST).
 * d_drop() unhashes the entry: new lookups miss it, and the directory
 * counts as empty.
 */
static void fs_remove(struct dentry *d)
{
	dget(d);
	securityfs_remove(d);
	d_drop(d);
	dput(d);
}

/*
 * First thing at unload: an open that finds a file of a module that is
 * going gets ENODEV from the VFS, with a warning (fops_get() fails); the
 * sooner the files are gone, the fewer such opens.
 */
void vtrust_fs_exit(void)
{
	while (vtrust_nr_dentries)
		fs_remove(vtrust_dentries[--vtrust_nr_dentries]);
}

int vtrust_fs_init(void)
{
	struct dentry *dir;
	unsigned int i;
	int ret;

	ret = fs_add("vtrust", NULL, 0, NULL);
	if (ret)
		return ret;
	dir = vtrust_dentries[0];
	ret = fs_add("binary_runtime_measurements", dir, 0, &binary_fops);
	if (!ret)
		ret = fs_add("ascii_runtime_measurements", dir, 0, &ascii_fops);
	for (i = 0; !ret && i < vtrust.nr_banks; i++)
		ret = fs_add_bank(dir, i);
	if (!ret)
		ret = fs_add("runtime_measurements_count", dir, 0, &count_fops);
	if (!ret)
		ret = fs_add_mode("status", dir, 0, &status_fops,
				  VTRUST_FS_MODE_RW);
	if (!ret)
		ret = fs_add_mode("policy", dir, 0, &policy_fops,
				  VTRUST_FS_MODE_RW);
	if (!ret)
		ret = fs_add_mode("baseline", dir, 0, &baseline_fops,
				  VTRUST_FS_MODE_RW);
	if (!ret)
		ret = fs_add_mode("seal", dir, 0, &seal_fops,
				  VTRUST_FS_MODE_WO);
	if (!ret)
		ret = fs_add_mode("update", dir, 0, &update_fops,
				  VTRUST_FS_MODE_WO);
	if (ret)
		vtrust_fs_exit();
	return ret;
}
