// SPDX-License-Identifier: GPL-2.0-only
/*
 * The .vtrust keyring, sealing, and signed updates.
 *
 * Before sealing, root adds X.509 keys to the .vtrust keyring (its serial
 * is in the status file: keyctl padd asymmetric "" <serial> < cert.der);
 * each key is measured as it is linked (KEY_CHECK, "key:.vtrust:<skid>").
 * Writing "seal" to the seal or status file then locks the keyring, the
 * policy and the baseline, and makes vtrust unremovable, "rmmod -f"
 * included (pin.c). From then on the only way to change the policy or the
 * baseline is a write to "update" of a signed update:
 *
 *   content || PKCS#7 DER (detached, over content) || be32 sig_len ||
 *   "~vtrust-update~\n"
 *
 * where content starts with the line
 *
 *   "vtrust-update <policy|baseline> <seq> <instance>\n"
 *
 * <instance> is this vtrust's instance id (32 lowercase hex digits in
 * status, random at every insmod) and <seq> is one more than the last
 * accepted update's ("seq:" in status). So an update applies once, to one
 * running vtrust: not again, not after a reload or a reboot, and not on
 * another machine. The signature is checked with verify_pkcs7_signature()
 * against the .vtrust keyring. An accepted update is logged as
 * "vtrust-update:<target>:<seq>", its digest covering the content, before
 * it takes effect (state.c). A refused update changes nothing. The framing
 * and the header line are parsed by updatefmt.c (pure: its KUnit suite and
 * fuzzer run the same code).
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/key.h>
#include <linux/cred.h>
#include <linux/verification.h>
#include <linux/string.h>
#include <keys/asymmetric-type.h>
#include <crypto/public_key.h>

#include "vtrust.h"
#include "updatefmt.h"

static struct key *keyring;
static u64 update_seq; /* written under the state lock */

/* Every key linked into .vtrust: measured, and refused once sealed. */
static int restrict_link(struct key *dest, const struct key_type *type,
			 const union key_payload *payload, struct key *unused)
{
	const struct asymmetric_key_ids *ids = payload->data[asym_key_ids];
	const struct public_key *pk = payload->data[asym_crypto];
	struct vtrust_event ev = { .func = VTRUST_KEY_CHECK };
	const struct asymmetric_key_id *skid;
	char name[sizeof("key:.vtrust:") + 2 * 64];
	int ret;

	if (type != &key_type_asymmetric || !pk)
		return -EOPNOTSUPP;
	skid = ids ? ids->id[1] : NULL;
	if (skid && skid->len <= 64)
		snprintf(name, sizeof(name), "key:.vtrust:%*phN", skid->len,
			 skid->data);
	else
		strscpy(name, "key:.vtrust:?", sizeof(name));
	ev.name = name;
	ev.buf = pk->key;
	ev.len = pk->keylen;
	/* Under the state lock: no key can be linked after the seal. */
	ret = vtrust_state_lock();
	if (ret)
		return ret;
	ret = vtrust_sealed() ? -EPERM : vtrust_measure(&ev);
	vtrust_state_unlock();
	return ret;
}

int vtrust_seal(void)
{
	int ret;

	ret = vtrust_state_lock();
	if (ret)
		return ret;
	if (vtrust_sealed())
		goto out_unlock;
	/* The guard is never dropped: a sealed vtrust stays loaded. */
	ret = vtrust_pin_get();
	if (ret) {
		pr_err("seal refused: cannot guard against unloading: %d\n",
		       ret);
		goto out_unlock;
	}
	if (!vtrust_pinned()) {
		vtrust_pin_put();
		pr_err("seal refused: this kernel does not keep a used module loaded\n");
		ret = -EOPNOTSUPP;
		goto out_unlock;
	}
	ret = vtrust_state_log("vtrust-sealed", "vtrust-sealed", 13);
	if (ret) {
		vtrust_pin_put();
		goto out_unlock;
	}
	vtrust_state_seal();
	pr_info("sealed: keyring, policy and baseline take signed updates only; vtrust cannot be unloaded\n");
out_unlock:
	vtrust_state_unlock();
	return ret;
}

/*
 * The header's target, looked up by name: -EBADMSG for one that does not
 * exist, as for any other malformed header.
 */
static int update_target(const struct vtrust_update_header *hdr,
			 const struct vtrust_target **target)
{
	char name[VTRUST_UPDATE_LINE_MAX];

	if (hdr->target_len >= sizeof(name))
		return -EBADMSG;
	memcpy(name, hdr->target, hdr->target_len);
	name[hdr->target_len] = '\0';
	*target = vtrust_target_find(name);
	return *target ? 0 : -EBADMSG;
}

ssize_t vtrust_update_write(const char *data, size_t len)
{
	const struct vtrust_target *target;
	struct vtrust_update_header hdr;
	size_t content_len, sig_len;
	char name[64];
	const void *sig;
	ssize_t ret;

	BUILD_BUG_ON(VTRUST_UPDATE_INSTANCE_SIZE != VTRUST_INSTANCE_ID_SIZE);
	ret = vtrust_update_split(data, len, &content_len, &sig, &sig_len);
	if (!ret)
		ret = vtrust_update_header(data, content_len, &hdr);
	if (!ret)
		ret = update_target(&hdr, &target);
	if (ret) {
		pr_err("update rejected: not a signed vtrust update\n");
		return ret;
	}
	ret = vtrust_state_lock();
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
	if (memcmp(hdr.instance, vtrust.instance_id, sizeof(hdr.instance))) {
		pr_err("update rejected: made for instance %*phN, this is %*phN\n",
		       VTRUST_INSTANCE_ID_SIZE, hdr.instance,
		       VTRUST_INSTANCE_ID_SIZE, vtrust.instance_id);
		ret = -ESTALE;
		goto out_unlock;
	}
	if (hdr.seq != update_seq + 1) {
		pr_err("update rejected: seq %llu, expected %llu (a replay?)\n",
		       hdr.seq, update_seq + 1);
		ret = -ESTALE;
		goto out_unlock;
	}
	snprintf(name, sizeof(name), "vtrust-update:%s:%llu", target->name,
		 hdr.seq);
	ret = vtrust_state_change(target, data + hdr.body,
				  content_len - hdr.body, name, data,
				  content_len);
	if (ret)
		goto out_unlock;
	WRITE_ONCE(update_seq, hdr.seq);
	ret = len;
out_unlock:
	vtrust_state_unlock();
	return ret;
}

/* The .vtrust keyring, for signature checks (fwsig.c). */
struct key *vtrust_keyring(void)
{
	return keyring;
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
