// SPDX-License-Identifier: GPL-2.0
/*
 * Load events: what each load path records, and the decision the policy
 * asks for (measure, appraise against the baseline, or nothing).
 *
 * Event names (docs/FORMATS.md): a load read from a file is named by the
 * file's path; a load from a buffer by "<kind>:<detail>". A content digest
 * covers the exact bytes the kernel read, except for partial firmware reads,
 * which the kernel never holds whole: vtrust reads that file itself.
 *
 * Fail closed: a load vtrust was asked to measure but could not (no memory,
 * a read error) is refused.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/fs.h>
#include <linux/cred.h>
#include <linux/ctype.h>

#include "vtrust.h"
#include "modinfo.h"

#define VTRUST_FILE_MAX (256 * 1024 * 1024)

static int measure_failed(const char *name, int ret)
{
	atomic_long_inc(&vtrust.measure_errors);
	pr_err_ratelimited("cannot measure %s: %d\n", name, ret);
	return ret;
}

/* Log an ima-ng event whose content digest is @digest. */
int vtrust_log_digest(const char *name, const u8 *digest, u32 pcr,
		      unsigned int flags)
{
	u8 dng[VTRUST_ALGO_NAME_MAX + 2 + VTRUST_MAX_DIGEST_SIZE];
	struct vtrust_alg *alg = vtrust.content_alg;
	struct vtrust_field fields[2];
	int ret;

	fields[0].data = dng;
	fields[0].len = vtrust_encode_dng(dng, sizeof(dng), alg->dng_name,
					  digest, alg->size);
	fields[1].data = name;
	fields[1].len = strlen(name) + 1;
	ret = vtrust_log(&vtrust_template_ng, fields, pcr, flags);
	if (ret == -ENOSPC) /* the list is full: "list-full" says so */
		return ret;
	return ret ? measure_failed(name, ret) : 0;
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

/* Hash a file the kernel reads only in part (partial firmware reads). */
static int hash_file(struct file *file, u8 *digest)
{
	loff_t size = i_size_read(file_inode(file)), pos = 0;
	ssize_t n;
	void *buf;
	int ret;

	if (size < 0 || size > VTRUST_FILE_MAX)
		return -EFBIG;
	buf = vmalloc(size ? size : 1);
	if (!buf)
		return -ENOMEM;
	while (pos < size) {
		n = kernel_read(file, buf + pos, size - pos, &pos);
		if (n <= 0) {
			ret = n ? n : -EIO;
			goto out_free;
		}
	}
	ret = vtrust_hash(vtrust.content_alg, buf, size, digest);
out_free:
	vfree(buf);
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

/* Refuse the load and record the attempt as "denied:<name>". */
static int deny(const struct vtrust_event *ev, const u8 *digest, u32 pcr)
{
	char *name;

	atomic_long_inc(&vtrust.denied);
	name = kasprintf(GFP_KERNEL, "denied:%s", ev->name);
	if (name) {
		vtrust_log_digest(name, digest, pcr, 0);
		kfree(name);
	}
	pr_info_ratelimited("refused %s: not in the baseline\n", ev->name);
	return -EACCES;
}

int vtrust_measure(const struct vtrust_event *ev)
{
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	struct vtrust_event_attrs attrs;
	unsigned int actions;
	u32 pcr = 0;
	int ret;

	event_attrs(ev, &attrs);
	actions = vtrust_rules_match(&attrs, &pcr);
	if (!actions)
		return 0;
	if (!pcr)
		pcr = vtrust.pcr;
	ret = content_digest(ev, digest);
	if (ret)
		return measure_failed(ev->name, ret);
	if ((actions & VTRUST_APPRAISE) &&
	    (ev->unverifiable || !vtrust_baseline_has(digest)))
		return deny(ev, digest, pcr);
	/*
	 * Once the list is full, a load can no longer be logged: it goes
	 * ahead unlogged (the "list-full" entry tells a verifier the list is
	 * incomplete), unless it is appraised: enforcement fails closed.
	 */
	if ((actions & VTRUST_APPRAISE) && vtrust_list_full()) {
		pr_info_ratelimited("refused %s: the list is full\n", ev->name);
		return -ENOSPC;
	}
	if (actions & VTRUST_MEASURE) {
		ret = vtrust_log_digest(ev->name, digest, pcr, 0);
		if (ret == -ENOSPC && !(actions & VTRUST_APPRAISE))
			return 0;
		return ret;
	}
	return 0;
}

/* A name built from unverified input: keep the ascii list parseable. */
char *vtrust_sanitize(char *name)
{
	char *p;

	for (p = name; *p; p++)
		if (!isgraph(*p))
			*p = '?';
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
		.func = read_func(id), .file = file, .buf = buf, .len = len
	};
	char *pathbuf;
	int ret;

	if (ev.func == VTRUST_FUNC_NONE)
		return 0;
	pathbuf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!pathbuf)
		return -ENOMEM;
	ev.name = d_path(&file->f_path, pathbuf, PATH_MAX);
	if (IS_ERR(ev.name)) {
		snprintf(pathbuf, PATH_MAX, "%pD", file);
		ev.name = pathbuf;
	}
	ret = vtrust_measure(&ev);
	kfree(pathbuf);
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
