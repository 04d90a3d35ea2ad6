// SPDX-License-Identifier: GPL-2.0-only
/*
 * Load events: what each load path records, and the decision the policy
 * asks for (measure, appraise against the baseline, or nothing).
 *
 * Event names (docs/FORMATS.md): a load read from a file is named by the
 * file's absolute path; a load from a buffer by "<kind>:<detail>"; every
 * name escaped by vtrust_escape_name() (name.c). A content digest covers
 * the exact bytes the kernel read, except for partial firmware reads, which
 * the kernel never holds whole: vtrust reads that file itself.
 *
 * Fail closed: a load vtrust was asked to measure but could not (no memory,
 * a read error) is refused.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/cred.h>
#include <linux/ctype.h>
#include <linux/key.h>
#include <linux/magic.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/fs_struct.h>
#include <linux/path.h>
#include <linux/workqueue.h>

#include "vtrust.h"
#include "modinfo.h"
#include "name.h"

/* hash_file() reads a file this many bytes at a time. */
#define VTRUST_READ_STEP (64 * 1024)

static int measure_failed(const char *name, int ret)
{
	atomic_long_inc(&vtrust.measure_errors);
	pr_err_ratelimited("cannot measure %s: %d\n", name, ret);
	return ret;
}

/* The size of a d-ng field's data: "<algo>:" NUL digest. */
#define DNG_SIZE (VTRUST_ALGO_NAME_MAX + 2 + VTRUST_MAX_DIGEST_SIZE)

/*
 * Log an event of @tmpl: fields[0] and fields[1] are filled in here, d-ng
 * of @digest (in @dng, DNG_SIZE bytes) and n-ng of @name; the caller fills
 * in the others. A full list is -ENOSPC ("list-full" says so); any other
 * error is counted as a measurement error.
 */
static int log_fields(const struct vtrust_template_desc *tmpl,
		      struct vtrust_field *fields, u8 *dng, const char *name,
		      const u8 *digest, u32 pcr, unsigned int flags)
{
	struct vtrust_alg *alg = vtrust.content_alg;
	int ret;

	fields[0].data = dng;
	fields[0].len = vtrust_encode_dng(dng, DNG_SIZE, alg->dng_name, digest,
					  alg->size);
	fields[1].data = name;
	fields[1].len = strlen(name) + 1;
	/* d-modsig: what the detached signature covers, the whole file */
	if (tmpl == &vtrust_template_modsig)
		fields[3] = fields[0];
	ret = vtrust_log(tmpl, fields, pcr, flags);
	if (ret == -ENOSPC)
		return ret;
	return ret ? measure_failed(name, ret) : 0;
}

/* Log an ima-ng event whose content digest is @digest. */
int vtrust_log_digest(const char *name, const u8 *digest, u32 pcr,
		      unsigned int flags)
{
	struct vtrust_field fields[2];
	u8 dng[DNG_SIZE];

	return log_fields(&vtrust_template_ng, fields, dng, name, digest, pcr,
			  flags);
}

/* Log an ima-ng event whose content digest is that of @data. */
int vtrust_log_ng(const char *name, const void *data, size_t len,
		  unsigned int flags)
{
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	int ret;

	ret = vtrust_hash(vtrust.content_alg, data, len, digest);
	if (ret)
		return measure_failed(name, ret);
	return vtrust_log_digest(name, digest, vtrust.pcr, flags);
}

/*
 * Log an ima-buf event named @name holding @buf, whose content digest is
 * that of @buf. Errors as vtrust_log_digest()'s.
 */
int vtrust_log_buf(const char *name, const void *buf, size_t len, u32 pcr,
		   unsigned int flags)
{
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	struct vtrust_field fields[3];
	u8 dng[DNG_SIZE];
	int ret;

	ret = vtrust_hash(vtrust.content_alg, buf, len, digest);
	if (ret)
		return measure_failed(name, ret);
	fields[2].data = buf;
	fields[2].len = len;
	return log_fields(&vtrust_template_buf, fields, dng, name, digest, pcr,
			  flags);
}

static void event_attrs(const struct vtrust_event *ev,
			struct vtrust_event_attrs *a)
{
	struct inode *inode;

	memset(a, 0, sizeof(*a));
	a->func = ev->func;
	a->uid = from_kuid(&init_user_ns, current_uid());
	a->euid = from_kuid(&init_user_ns, current_euid());
	if (!ev->file)
		return;
	inode = file_inode(ev->file);
	a->has_file = 1;
	a->fowner = from_kuid(&init_user_ns, inode->i_uid);
	a->fsmagic = inode->i_sb->s_magic;
	memcpy(a->fsuuid, &inode->i_sb->s_uuid, sizeof(a->fsuuid));
}

/*
 * Hash a file the kernel reads only in part (partial firmware reads), in
 * steps through a fixed buffer: time linear in the file's size, memory
 * constant. This is a read of its own, separate from the kernel's chunk
 * reads (see partial_stable()).
 */
static int hash_file(struct file *file, u8 *digest)
{
	loff_t size = i_size_read(file_inode(file)), pos = 0;
	struct vtrust_hash_ctx ctx;
	ssize_t n;
	void *buf;
	int ret;

	if (size < 0)
		return -EINVAL;
	buf = kmalloc(VTRUST_READ_STEP, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = vtrust_hash_init(&ctx, vtrust.content_alg);
	if (ret)
		goto out_free;
	while (pos < size) {
		n = kernel_read(file, buf,
				min_t(loff_t, size - pos, VTRUST_READ_STEP),
				&pos);
		if (n <= 0) {
			ret = n ? n : -EIO; /* the file shrank */
			goto out_abort;
		}
		ret = vtrust_hash_update(&ctx, buf, n);
		if (ret)
			goto out_abort;
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_abort;
		}
		cond_resched();
	}
	ret = vtrust_hash_final(&ctx, digest);
	goto out_free;

out_abort:
	vtrust_hash_abort(&ctx);
out_free:
	kfree(buf);
	return ret;
}

static int content_digest(const struct vtrust_event *ev, u8 *digest)
{
	if (ev->buf)
		return vtrust_hash(vtrust.content_alg, ev->buf, ev->len,
				   digest);
	if (ev->file)
		return hash_file(ev->file, digest);
	/* Nothing to verify (kexec_load): the digest of the event's name. */
	return vtrust_hash(vtrust.content_alg, ev->name, strlen(ev->name),
			   digest);
}

/*
 * A partial read is hashed by vtrust's own read of the file, not the
 * kernel's chunk reads: an appraise rule can trust it only where a second
 * read returns the same bytes, on filesystems whose data only this kernel
 * controls: block-device filesystems (not fuseblk), tmpfs and ramfs. FUSE,
 * network filesystems, 9p and virtiofs can serve each read differently.
 */
static bool partial_stable(const struct vtrust_event *ev)
{
	struct super_block *sb;

	if (!ev->partial)
		return true;
	sb = file_inode(ev->file)->i_sb;
	if (sb->s_magic == TMPFS_MAGIC || sb->s_magic == RAMFS_MAGIC)
		return true;
	return sb->s_bdev && (sb->s_type->fs_flags & FS_REQUIRES_DEV) &&
	       sb->s_magic != FUSE_SUPER_MAGIC;
}

/* Whether an appraise rule can trust @ev's digest; it says why not. */
static bool partial_stable_said(const struct vtrust_event *ev)
{
	if (partial_stable(ev))
		return true;
	pr_info_ratelimited("refused %s: partial read from %s\n", ev->name,
			    file_inode(ev->file)->i_sb->s_type->name);
	return false;
}

/*
 * Refuse the load and record the attempt as "denied:<name>", or, for a
 * signature rule, "denied:<reason>:<name>" (fwsig.c has the reasons).
 */
static int deny(const struct vtrust_event *ev, const u8 *digest, u32 pcr,
		const char *reason, const char *why)
{
	char *name;

	atomic_long_inc(&vtrust.denied);
	if (reason)
		name = kasprintf(GFP_KERNEL, "denied:%s:%s", reason, ev->name);
	else
		name = kasprintf(GFP_KERNEL, "denied:%s", ev->name);
	if (name) {
		vtrust_log_digest(name, digest, pcr, 0);
		kfree(name);
	}
	if (why)
		pr_info_ratelimited("refused %s: %s\n", ev->name, why);
	return -EACCES;
}

/*
 * A load that a signature verified: an ima-modsig entry, as IMA writes one
 * for a file with an appended signature, with the detached signature in
 * its place. d-ng and d-modsig are both the content digest (the signature
 * covers the whole file), sig is empty (no xattr), modsig is the .p7s as
 * read: a verifier finds in it who signed and can check it.
 */
static int log_signed(const char *name, const u8 *digest, u32 pcr,
		      const struct vtrust_fwsig *sig)
{
	struct vtrust_field fields[5];
	u8 dng[DNG_SIZE];

	fields[2].data = NULL;
	fields[2].len = 0;
	fields[4].data = sig->p7s;
	fields[4].len = sig->p7s_len;
	return log_fields(&vtrust_template_modsig, fields, dng, name, digest,
			  pcr, 0);
}

/* The checks of an appraise rule; 0 or the refusal (deny()'s -EACCES). */
static int appraise(const struct vtrust_event *ev, unsigned int actions,
		    const struct vtrust_fwsig *sig, const u8 *digest, u32 pcr)
{
	if (ev->unverifiable)
		return deny(ev, digest, pcr, NULL,
			    "its content cannot be verified");
	/* partial_stable_said() says why itself */
	if (!partial_stable_said(ev))
		return deny(ev, digest, pcr,
			    actions & VTRUST_APPRAISE_SIG ? "unstable-read" :
							    NULL,
			    NULL);
	if (actions & VTRUST_APPRAISE_SIG) {
		if (!sig->reason)
			return 0;
		if (sig->err)
			pr_info_ratelimited("refused %s: %s (%d)\n", ev->name,
					    sig->detail, sig->err);
		return deny(ev, digest, pcr, sig->reason,
			    sig->err ? NULL : sig->detail);
	}
	if (!vtrust_baseline_has(digest))
		return deny(ev, digest, pcr, NULL, "not in the baseline");
	return 0;
}

int vtrust_measure(const struct vtrust_event *ev)
{
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	struct vtrust_event_attrs attrs;
	struct vtrust_fwsig sig = {};
	struct vtrust_event e = *ev;
	unsigned int actions;
	u32 pcr = 0;
	int ret;

	event_attrs(ev, &attrs);
	actions = vtrust_rules_match(&attrs, &pcr);
	if (!actions)
		return 0;
	if (!pcr)
		pcr = vtrust.pcr;
	/*
	 * A signature rule reads the signature, and the whole file of a
	 * partial read, first: the digest is then that of the bytes the
	 * signature was checked over.
	 */
	if ((actions & VTRUST_APPRAISE_SIG) && partial_stable(ev)) {
		ret = vtrust_fwsig_check(ev, &sig);
		if (ret)
			goto out_failed;
		if (sig.buf) {
			e.buf = sig.buf;
			e.len = sig.len;
		}
	}
	ret = content_digest(&e, digest);
	if (ret)
		goto out_failed;
	if (actions & VTRUST_APPRAISE) {
		ret = appraise(ev, actions, &sig, digest, pcr);
		if (ret)
			goto out;
	}
	/*
	 * Once the list is full, a load can no longer be logged: it goes
	 * ahead unlogged (the "list-full" entry tells a verifier the list is
	 * incomplete), unless it is appraised: enforcement fails closed.
	 */
	if ((actions & VTRUST_APPRAISE) && vtrust_list_full()) {
		pr_info_ratelimited("refused %s: the list is full\n", ev->name);
		ret = -ENOSPC;
		goto out;
	}
	ret = 0;
	if (actions & VTRUST_MEASURE) {
		if (actions & VTRUST_APPRAISE_SIG)
			ret = log_signed(ev->name, digest, pcr, &sig);
		else
			ret = vtrust_log_digest(ev->name, digest, pcr, 0);
		if (ret == -ENOSPC && !(actions & VTRUST_APPRAISE))
			ret = 0;
	}
	goto out;

out_failed:
	ret = measure_failed(ev->name, ret);
out:
	vtrust_fwsig_free(&sig);
	return ret;
}

/* A name in a buffer of @size bytes, from unverified input (module names). */
char *vtrust_sanitize_size(char *name, size_t size)
{
	vtrust_escape_name(name, size, name);
	return name;
}

/* @src escaped whole, in a new buffer (kfree it); NULL without memory. */
char *vtrust_escape_dup(const char *src, gfp_t gfp)
{
	size_t len = 1;
	const char *p;
	char *name;

	for (p = src; *p; p++)
		len += vtrust_escaped_len(*p);
	name = kmalloc(len, gfp);
	if (name)
		vtrust_escape_name(name, len, src);
	return name;
}

struct path_work {
	struct work_struct work;
	const struct path *path;
	char *buf;
	char *name;
};

static void path_work_fn(struct work_struct *work)
{
	struct path_work *pw = container_of(work, struct path_work, work);

	pw->name = d_path(pw->path, pw->buf, PATH_MAX);
}

/*
 * d_absolute_path(), which IMA uses, is not exported. d_path() gives the
 * same path when the caller's root is init's (the root of init's mount
 * namespace): kernel threads share init's fs_struct, so a caller with
 * another root (chroot) has a worker call it. A path in another mount
 * namespace never meets that root and goes up to its namespace's root,
 * as with d_absolute_path().
 */
static char *absolute_path(const struct path *path, char *buf)
{
	struct path root, init_root;
	struct path_work pw = { .path = path, .buf = buf };
	bool same = false;

	if (current->fs) {
		get_fs_root(current->fs, &root);
		task_lock(&init_task);
		get_fs_root(init_task.fs, &init_root);
		task_unlock(&init_task);
		same = path_equal(&root, &init_root);
		path_put(&init_root);
		path_put(&root);
	}
	if (same)
		return d_path(path, buf, PATH_MAX);
	INIT_WORK_ONSTACK(&pw.work, path_work_fn);
	queue_work(system_unbound_wq, &pw.work);
	flush_work(&pw.work);
	destroy_work_on_stack(&pw.work);
	return pw.name;
}

/* The escaped name of @path, as IMA's ima_d_path() names it; kfree it. */
static char *file_name(const struct path *path)
{
	const struct dentry *dentry = path->dentry;
	static const char deleted[] = " (deleted)";
	struct name_snapshot snap;
	char *pathbuf, *p, *name;

	pathbuf = __getname();
	if (!pathbuf)
		return NULL;
	p = ERR_PTR(-EINVAL);
	/* A pseudo file (memfd) is in no mount namespace: no path. */
	if (!dentry->d_op || !dentry->d_op->d_dname)
		p = absolute_path(path, pathbuf);
	if (IS_ERR(p)) {
		/* As IMA: the file's own name. */
		take_dentry_name_snapshot(&snap, path->dentry);
		strscpy(pathbuf, snap.name.name, NAME_MAX);
		release_dentry_name_snapshot(&snap);
		p = pathbuf;
	} else if (d_unlinked(dentry) && strlen(p) >= sizeof(deleted) - 1 &&
		   !strcmp(p + strlen(p) - (sizeof(deleted) - 1), deleted)) {
		/* d_path() appends it to an unlinked file's path, IMA not. */
		p[strlen(p) - (sizeof(deleted) - 1)] = '\0';
	}
	name = vtrust_escape_dup(p, GFP_KERNEL);
	__putname(pathbuf);
	return name;
}

static enum vtrust_func read_func(enum kernel_read_file_id id)
{
	switch (id) {
	case READING_MODULE:
		return VTRUST_MODULE_CHECK;
	case READING_FIRMWARE:
		return VTRUST_FIRMWARE_CHECK;
	case READING_KEXEC_IMAGE:
		return VTRUST_KEXEC_KERNEL_CHECK;
	case READING_KEXEC_INITRAMFS:
		return VTRUST_KEXEC_INITRAMFS_CHECK;
	case READING_POLICY:
		return VTRUST_POLICY_CHECK;
	default:
		return VTRUST_FUNC_NONE;
	}
}

/* A file read whole: @buf holds what the kernel read. @buf NULL: partial. */
int vtrust_measure_file(struct file *file, const void *buf, size_t len,
			enum kernel_read_file_id id)
{
	struct vtrust_event ev = {
		.func = read_func(id),
		.file = file,
		.buf = buf,
		.len = len,
		.partial = !buf,
	};
	char *name;
	int ret;

	if (ev.func == VTRUST_FUNC_NONE)
		return 0;
	name = file_name(&file->f_path);
	if (!name)
		return -ENOMEM;
	ev.name = name;
	ret = vtrust_measure(&ev);
	kfree(name);
	return ret;
}

/* A buffer: init_module(2), or firmware pushed through the sysfs loader. */
int vtrust_measure_data(const void *buf, size_t len,
			enum kernel_load_data_id id, const char *description)
{
	struct vtrust_event ev = { .buf = buf, .len = len };
	char modname[MODULE_NAME_LEN];
	char name[64 + MODULE_NAME_LEN];

	switch (id) {
	case LOADING_MODULE:
		ev.func = VTRUST_MODULE_CHECK;
		if (vtrust_modinfo_name(buf, len, modname, sizeof(modname)))
			strscpy(modname, "?", sizeof(modname));
		snprintf(name, sizeof(name), "init_module:%s", modname);
		break;
	case LOADING_FIRMWARE:
		ev.func = VTRUST_FIRMWARE_CHECK;
		snprintf(name, sizeof(name), "firmware:%s", description ?: "?");
		break;
	default:
		return 0;
	}
	ev.name = vtrust_sanitize(name);
	return vtrust_measure(&ev);
}

/* kexec_load(2): its segments cannot be verified, only the attempt. */
int vtrust_measure_load(enum kernel_load_data_id id)
{
	struct vtrust_event ev = {
		.func = VTRUST_KEXEC_LOAD,
		.name = "kexec_load:unverifiable",
		.unverifiable = true,
	};

	if (id != LOADING_KEXEC_IMAGE)
		return 0;
	return vtrust_measure(&ev);
}

/*
 * The command line of a kexec_file_load(2) kernel, as IMA's KEXEC_CMDLINE
 * records it: an ima-buf "kexec-cmdline" entry holding the line. Measured
 * when the policy measures KEXEC_KERNEL_CHECK. The kernel calls this after
 * it read the image and the initramfs, and cannot be refused here.
 */
void vtrust_measure_kexec_cmdline(const void *buf, int size)
{
	struct vtrust_event ev = { .func = VTRUST_KEXEC_KERNEL_CHECK };
	struct vtrust_event_attrs attrs;
	u32 pcr = 0;

	if (size < 0)
		return;
	event_attrs(&ev, &attrs);
	if (vtrust_rules_match(&attrs, &pcr) & VTRUST_MEASURE)
		vtrust_log_buf("kexec-cmdline", buf, size, pcr ?: vtrust.pcr,
			       0);
}

/* The kernel's keyrings whose keys decide what it trusts. */
static const char *const measured_keyrings[] = {
	".builtin_trusted_keys",
	".secondary_trusted_keys",
	".machine",
	".platform",
	".ima",
	".evm",
	".blacklist",
};

/*
 * A key added to (or updated in) one of the kernel's trust keyrings: a
 * KEY_CHECK event "key:<keyring>:<key description>" over the payload (the
 * certificate, for X.509 keys), as IMA measures keys. It runs after the
 * key is linked and cannot refuse it. Keys of .vtrust are measured, and
 * can be refused, by its restrict_link (seal.c).
 */
void vtrust_measure_key(struct key *keyring, struct key *key,
			const void *payload, size_t plen)
{
	struct vtrust_event ev = { .func = VTRUST_KEY_CHECK,
				   .buf = payload,
				   .len = plen };
	unsigned int i;
	char *raw, *name;

	if (!keyring || !keyring->description || !payload)
		return;
	for (i = 0; i < ARRAY_SIZE(measured_keyrings); i++)
		if (!strcmp(keyring->description, measured_keyrings[i]))
			break;
	if (i == ARRAY_SIZE(measured_keyrings))
		return;
	raw = kasprintf(GFP_KERNEL, "key:%s:%s", keyring->description,
			key->description ?: "?");
	name = raw ? vtrust_escape_dup(raw, GFP_KERNEL) : NULL;
	kfree(raw);
	if (!name) {
		measure_failed(keyring->description, -ENOMEM);
		return;
	}
	ev.name = name;
	vtrust_measure(&ev);
	kfree(name);
}

/*
 * Module parameters (the uargs of init_module(2) and finit_module(2)):
 * they change what a module does, but no load hook sees them. The module
 * notifier does, while the module is COMING, before its init runs: an
 * ima-buf "modparams:<name>" entry holding the parameters, when the
 * policy measures MODULE_CHECK and there are any. If it cannot be logged,
 * the module's load fails.
 */
static int modparams_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct vtrust_event ev = { .func = VTRUST_MODULE_CHECK };
	char name[sizeof("modparams:") + MODULE_NAME_LEN];
	struct vtrust_event_attrs attrs;
	struct module *mod = data;
	u32 pcr = 0;
	int ret;

	if (action != MODULE_STATE_COMING || !mod->args || !*mod->args)
		return NOTIFY_DONE;
	event_attrs(&ev, &attrs);
	if (!(vtrust_rules_match(&attrs, &pcr) & VTRUST_MEASURE))
		return NOTIFY_DONE;
	snprintf(name, sizeof(name), "modparams:%s", mod->name);
	ret = vtrust_log_buf(vtrust_sanitize(name), mod->args,
			     strlen(mod->args), pcr ?: vtrust.pcr, 0);
	/* A full list: the module loads unlogged, as any unappraised load. */
	return ret == -ENOSPC ? NOTIFY_DONE : notifier_from_errno(ret);
}

static struct notifier_block modparams_nb = {
	.notifier_call = modparams_notify,
};

int vtrust_modparams_init(void)
{
	return register_module_notifier(&modparams_nb);
}

void vtrust_modparams_exit(void)
{
	unregister_module_notifier(&modparams_nb);
}
