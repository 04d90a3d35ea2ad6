// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtkey.ko: adds the X.509 certificate in the file @cert to one of the
 * kernel's own trust keyrings (@keyring: the kernel variable that holds
 * it, secondary_trusted_keys by default), bypassing the keyring's
 * restriction as only the kernel itself may. It exists to test that
 * vtrust measures keys added to those keyrings (root cannot add one from
 * user space without a key signed by the kernel's built-in key). A test
 * module only: it defeats what the restriction protects.
 */
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/key.h>
#include <linux/cred.h>
#include <linux/vmalloc.h>
#include <linux/kernel_read_file.h>

static char *cert;
module_param(cert, charp, 0444);
MODULE_PARM_DESC(cert, "path of a DER X.509 certificate");

static char *keyring = "secondary_trusted_keys";
module_param(keyring, charp, 0444);
MODULE_PARM_DESC(keyring, "kernel variable holding the keyring");

/* The test runs under qemu TCG, which has no IBT: a pointer call is fine. */
static unsigned long lookup(const char *name)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long (*kallsyms)(const char *name);

	if (register_kprobe(&kp) < 0)
		return 0;
	kallsyms = (void *)kp.addr;
	unregister_kprobe(&kp);
	return kallsyms(name);
}

static int __init vtkey_init(void)
{
	struct key **var, *dest;
	key_ref_t key;
	void *buf = NULL;
	ssize_t len;

	if (!cert)
		return -EINVAL;
	var = (struct key **)lookup(keyring);
	if (!var || !*var) {
		pr_err("vtkey: no keyring in %s\n", keyring);
		return -ENOENT;
	}
	dest = *var;
	len = kernel_read_file_from_path(cert, 0, &buf, 1 << 20, NULL,
					 READING_X509_CERTIFICATE);
	if (len < 0)
		return len;
	key = key_create_or_update(make_key_ref(dest, 1), "asymmetric", NULL,
				   buf, len,
				   (KEY_POS_ALL & ~KEY_POS_SETATTR) |
					   KEY_USR_VIEW | KEY_USR_READ,
				   KEY_ALLOC_NOT_IN_QUOTA |
					   KEY_ALLOC_BYPASS_RESTRICTION);
	vfree(buf);
	if (IS_ERR(key)) {
		pr_err("vtkey: key_create_or_update: %ld\n", PTR_ERR(key));
		return PTR_ERR(key);
	}
	pr_info("vtkey: added key %d to %s\n", key_serial(key_ref_to_ptr(key)),
		dest->description);
	key_ref_put(key);
	return 0;
}

static void __exit vtkey_exit(void)
{
}

module_init(vtkey_init);
module_exit(vtkey_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vtrust test: a key in a kernel trust keyring");
