// SPDX-License-Identifier: GPL-2.0
/*
 * The .vtrust keyring, sealing, and signed updates.
 *
 * Before sealing, root adds X.509 keys to the .vtrust keyring (its serial
 * is in the status file: keyctl padd asymmetric "" <serial> < cert.der);
 * each key is measured as it is linked (KEY_CHECK, "key:.vtrust:<skid>").
 * Writing "seal" to the seal or status file then locks the keyring, the
 * policy and the baseline, and pins the module (rmmod is refused). From
 * then on the only way to change the policy or the baseline is a write to
 * "update" of a signed update:
 *
 *   content || PKCS#7 DER (detached, over content) || be32 sig_len ||
 *   "~vtrust-update~\n"
 *
 * where content starts with the line "vtrust-update <policy|baseline>
 * <seq>\n" and seq is one more than the last accepted update's ("seq:" in
 * status), so a replayed update is refused. The signature is checked with
 * verify_pkcs7_signature() against the .vtrust keyring. Every accepted
 * update is logged and extended as "vtrust-update:<target>:<seq>", its
 * digest covering the content. A refused update changes nothing.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/key.h>
#include <linux/cred.h>
#include <linux/verification.h>
#include <keys/asymmetric-type.h>
#include <crypto/public_key.h>

#include "vtrust.h"

#define VTRUST_UPDATE_MAGIC "~vtrust-update~\n"
#define VTRUST_UPDATE_MAGIC_LEN (sizeof(VTRUST_UPDATE_MAGIC) - 1)

static struct key *keyring;
static bool sealed;
static u64 update_seq;
static DEFINE_MUTEX(seal_mutex);

bool vtrust_sealed(void)
{
	return READ_ONCE(sealed);
}

/* Every key linked into .vtrust: measured, and refused once sealed. */
static int restrict_link(struct key *dest, const struct key_type *type,
			 const union key_payload *payload, struct key *unused)
{
	const struct asymmetric_key_ids *ids = payload->data[asym_key_ids];
	const struct public_key *pk = payload->data[asym_crypto];
	struct vtrust_event ev = { .func = VTRUST_KEY_CHECK };
	const struct asymmetric_key_id *skid;
	char name[64 + 2 * 64];
	char *p;

	if (vtrust_sealed())
		return -EPERM;
	if (type != &key_type_asymmetric || !pk)
		return -EOPNOTSUPP;
	p = name + sprintf(name, "key:.vtrust:");
	skid = ids ? ids->id[1] : NULL;
	if (skid && skid->len <= 64)
		bin2hex(p, skid->data, skid->len)[0] = '\0';
	else
		strscpy(p, "?", 2);
	ev.name = name;
	ev.buf = pk->key;
	ev.len = pk->keylen;
	return vtrust_measure(&ev);
}

int vtrust_seal(void)
{
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	int ret;

	ret = mutex_lock_interruptible(&seal_mutex);
	if (ret)
		return ret;
	if (sealed)
		goto out_unlock;
	/* The reference is never dropped: a sealed vtrust stays loaded. */
	__module_get(THIS_MODULE);
	WRITE_ONCE(sealed, true);
	pr_info("sealed: keyring, policy and baseline take signed updates only\n");
	if (!vtrust_hash(vtrust.content_alg, "vtrust-sealed", 13, digest))
		vtrust_log_digest("vtrust-sealed", digest, vtrust.pcr,
				  VTRUST_LOG_STATE);
out_unlock:
	mutex_unlock(&seal_mutex);
	return ret;
}

/* Split a signed update into content and signature. */
static int update_split(const char *data, size_t len, size_t *content_len,
			const void **sig, size_t *sig_len)
{
	size_t tail = VTRUST_UPDATE_MAGIC_LEN + 4;

	if (len < tail || memcmp(data + len - VTRUST_UPDATE_MAGIC_LEN,
				 VTRUST_UPDATE_MAGIC, VTRUST_UPDATE_MAGIC_LEN))
		return -EBADMSG;
	*sig_len = get_unaligned_be32(data + len - tail);
	if (*sig_len == 0 || *sig_len > len - tail)
		return -EBADMSG;
	*content_len = len - tail - *sig_len;
	*sig = data + *content_len;
	return 0;
}

/* The header line: "vtrust-update <target> <seq>\n". */
static int update_header(const char *content, size_t len, char *target,
			 u64 *seq, size_t *body)
{
	const char *nl = memchr(content, '\n', min_t(size_t, len, 128));
	char line[128];

	if (!nl)
		return -EBADMSG;
	memcpy(line, content, nl - content);
	line[nl - content] = '\0';
	if (sscanf(line, "vtrust-update %15s %llu", target, seq) != 2)
		return -EBADMSG;
	*body = nl + 1 - content;
	return 0;
}

ssize_t vtrust_update_write(const char *data, size_t len)
{
	size_t content_len, sig_len, body;
	u8 digest[VTRUST_MAX_DIGEST_SIZE];
	char target[16], name[64];
	const void *sig;
	u64 seq;
	ssize_t ret;

	ret = update_split(data, len, &content_len, &sig, &sig_len);
	if (!ret)
		ret = update_header(data, content_len, target, &seq, &body);
	if (ret) {
		pr_err("update rejected: not a signed vtrust update\n");
		return ret;
	}
	ret = mutex_lock_interruptible(&seal_mutex);
	if (ret)
		return ret;
	ret = verify_pkcs7_signature(data, content_len, sig, sig_len, keyring,
				     VERIFYING_UNSPECIFIED_SIGNATURE, NULL,
				     NULL);
	if (ret) {
		pr_err("update rejected: signature: %zd\n", ret);
		ret = -EKEYREJECTED;
		goto out_unlock;
	}
	if (seq != update_seq + 1) {
		pr_err("update rejected: seq %llu, expected %llu (a replay?)\n",
		       seq, update_seq + 1);
		ret = -ESTALE;
		goto out_unlock;
	}
	if (!strcmp(target, "policy")) {
		ret = vtrust_rules_update(data + body, content_len - body);
	} else if (!strcmp(target, "baseline")) {
		ret = vtrust_baseline_update(data + body, content_len - body);
	} else {
		pr_err("update rejected: unknown target '%s'\n", target);
		ret = -EINVAL;
	}
	if (ret < 0)
		goto out_unlock;
	update_seq = seq;
	snprintf(name, sizeof(name), "vtrust-update:%s:%llu", target, seq);
	if (!vtrust_hash(vtrust.content_alg, data, content_len, digest))
		vtrust_log_digest(name, digest, vtrust.pcr, VTRUST_LOG_STATE);
	ret = len;
out_unlock:
	mutex_unlock(&seal_mutex);
	return ret;
}

void vtrust_seal_status(struct seq_file *m)
{
	seq_printf(m, "sealed: %s\n", vtrust_sealed() ? "yes" : "no");
	seq_printf(m, "keyring: %d\n", key_serial(keyring));
	seq_printf(m, "seq: %llu\n", READ_ONCE(update_seq));
}

int vtrust_seal_init(void)
{
	struct key_restriction *restriction;

	restriction = kzalloc(sizeof(*restriction), GFP_KERNEL);
	if (!restriction)
		return -ENOMEM;
	restriction->check = restrict_link;
	keyring = keyring_alloc(".vtrust", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				current_cred(),
				KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ |
					KEY_USR_WRITE | KEY_USR_SEARCH,
				KEY_ALLOC_NOT_IN_QUOTA, restriction, NULL);
	if (IS_ERR(keyring)) {
		pr_err("cannot create the .vtrust keyring: %ld\n",
		       PTR_ERR(keyring));
		kfree(restriction);
		return PTR_ERR(keyring);
	}
	return 0;
}

/* No key can be linked once the keyring is revoked. */
void vtrust_seal_exit(void)
{
	key_revoke(keyring);
	key_put(keyring);
}
