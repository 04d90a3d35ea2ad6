// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware signature appraisal: "appraise func=FIRMWARE_CHECK
 * appraise_type=sig".
 *
 * A firmware file loads only when a detached PKCS#7 signature beside it,
 * "<file>.p7s" in the same directory (a regular file, not a symlink),
 * verifies over the file's bytes with verify_pkcs7_signature() against the
 * .vtrust keyring (seal.c), or, with the module parameter
 * fw_secondary_keyring=1, against the kernel's secondary trusted keyring
 * when .vtrust has no key for it. The signature is of the kernel's
 * firmware kind (VERIFYING_FIRMWARE_SIGNATURE): pkcs7-data content with
 * authenticated attributes (the kernel requires contentType and
 * messageDigest, and refuses S/MIME capabilities outside Authenticode), as
 * "openssl cms -sign -binary -nosmimecap" and "vtrust sign" write it. The
 * kernel's PKCS#7 rule applies: every signature it can check (its
 * signer's certificate is in the message, or its key in the keyring, and
 * its algorithms are in the crypto API) must verify, and at least one
 * signer's key, or a certificate in the message that leads to one, must be
 * in the keyring.
 *
 * A load with no file behind it (the sysfs fallback loader, platform
 * firmware) cannot carry a signature and is refused. A partial read is
 * verified over the whole file as vtrust reads it, on the filesystems
 * where a second read returns the same bytes (measure.c).
 *
 * Each refusal has a reason, a fixed word that the "denied:" entry carries
 * (docs/FORMATS.md): no-file, no-signature, bad-signature, unknown-key,
 * unsupported-algorithm, too-large here, and unstable-read (measure.c).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/dcache.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/verification.h>

#include "vtrust.h"

/* The largest signature file read, and the largest partial read verified. */
#define FWSIG_P7S_MAX (64 * 1024)
#define FWSIG_BLOB_MAX (256 * 1024 * 1024)

/* Read all of @file (at most @max bytes) into a new buffer (kvfree it). */
static int read_whole(struct file *file, size_t max, void **out, size_t *len)
{
	loff_t size = i_size_read(file_inode(file)), pos = 0;
	ssize_t n;
	void *buf;

	if (size < 0 || size > max)
		return -EFBIG;
	buf = kvmalloc(size ? size : 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	while (pos < size) {
		n = kernel_read(file, buf + pos, size - pos, &pos);
		if (n <= 0) {
			kvfree(buf);
			return n ? n : -EIO; /* the file shrank */
		}
		if (fatal_signal_pending(current)) {
			kvfree(buf);
			return -EINTR;
		}
	}
	*out = buf;
	*len = size;
	return 0;
}

/*
 * Open "<name>.p7s" in the directory of @file and read it into s->p7s.
 * Returns 0, or -ENOENT when there is none or it is not a regular file
 * (a symlink is not followed), or another error.
 */
static int read_p7s(struct file *file, struct vtrust_fwsig *s)
{
	struct name_snapshot snap;
	struct dentry *parent;
	struct file *sigf;
	struct path path;
	char *name;
	int ret;

	take_dentry_name_snapshot(&snap, file->f_path.dentry);
	name = kasprintf(GFP_KERNEL, "%s.p7s", snap.name.name);
	release_dentry_name_snapshot(&snap);
	if (!name)
		return -ENOMEM;
	ret = -ENOENT;
	if (strlen(name) > NAME_MAX)
		goto out_name;
	parent = dget_parent(file->f_path.dentry);
	path.dentry = lookup_positive_unlocked(name, parent, strlen(name));
	dput(parent);
	if (IS_ERR(path.dentry)) {
		ret = PTR_ERR(path.dentry);
		goto out_name;
	}
	path.mnt = file->f_path.mnt;
	ret = -ENOENT;
	if (!d_is_reg(path.dentry))
		goto out_dentry;
	sigf = dentry_open(&path, O_RDONLY, current_cred());
	if (IS_ERR(sigf)) {
		ret = PTR_ERR(sigf);
		goto out_dentry;
	}
	ret = read_whole(sigf, FWSIG_P7S_MAX, &s->p7s, &s->p7s_len);
	fput(sigf);
out_dentry:
	dput(path.dentry);
out_name:
	kfree(name);
	return ret;
}

static int verify(const struct vtrust_fwsig *s, const void *data, size_t len)
{
	int ret;

	ret = verify_pkcs7_signature(data, len, s->p7s, s->p7s_len,
				     vtrust_keyring(),
				     VERIFYING_FIRMWARE_SIGNATURE, NULL, NULL);
	if (ret == -ENOKEY && vtrust.fw_secondary_keyring)
		ret = verify_pkcs7_signature(data, len, s->p7s, s->p7s_len,
					     VERIFY_USE_SECONDARY_KEYRING,
					     VERIFYING_FIRMWARE_SIGNATURE, NULL,
					     NULL);
	return ret;
}

/*
 * Appraise @ev under a signature rule. On return 0, s->reason is NULL when
 * the signature verified (s->p7s holds it) and the refusal's reason when
 * not; s->buf, when set, holds the whole file of a partial read, which the
 * caller then measures instead of reading the file again. A negative
 * return is an error that stopped the check (no memory, a read error):
 * the caller fails the load. vtrust_fwsig_free() in every case.
 */
int vtrust_fwsig_check(const struct vtrust_event *ev, struct vtrust_fwsig *s)
{
	const void *data = ev->buf;
	size_t len = ev->len;
	int ret;

	memset(s, 0, sizeof(*s));
	if (!ev->file) {
		s->reason = "no-file";
		s->detail = "no file behind it can carry a signature";
		return 0;
	}
	if (ev->partial) {
		ret = read_whole(ev->file, FWSIG_BLOB_MAX, &s->buf, &s->len);
		if (ret == -EFBIG) {
			s->reason = "too-large";
			s->detail = "larger than vtrust verifies (256 MiB)";
			return 0;
		}
		if (ret)
			return ret;
		data = s->buf;
		len = s->len;
	}
	ret = read_p7s(ev->file, s);
	if (ret == -ENOENT) {
		s->reason = "no-signature";
		s->detail = "no <file>.p7s beside it";
		return 0;
	}
	if (ret == -EFBIG) {
		s->reason = "bad-signature";
		s->detail = "its .p7s is over 64 KiB";
		return 0;
	}
	if (ret)
		return ret;
	ret = verify(s, data, len);
	switch (ret) {
	case 0:
		return 0;
	case -ENOMEM:
		return ret;
	case -ENOKEY:
		s->reason = "unknown-key";
		s->detail = "no signer's key is in the keyring";
		return 0;
	case -ENOPKG:
	case -ENOENT: /* the crypto API has no such algorithm */
		s->reason = "unsupported-algorithm";
		s->detail =
			"this kernel's crypto API lacks its signature or hash algorithm";
		return 0;
	default:
		/* -EBADMSG (malformed), -EKEYREJECTED (does not verify) */
		s->reason = "bad-signature";
		s->detail = ret == -EBADMSG ? "the signature is malformed" :
					      "the signature does not verify";
		s->err = ret;
		return 0;
	}
}

void vtrust_fwsig_free(struct vtrust_fwsig *s)
{
	kvfree(s->buf);
	kvfree(s->p7s);
	s->buf = NULL;
	s->p7s = NULL;
}
