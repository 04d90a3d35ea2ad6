// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtfw: a test module that loads one firmware file from its init, through
 * the firmware loader path chosen with mode=, so that guest tests can check
 * what vtrust (and IMA) measure for each path.
 *
 *   insmod vtfw.ko [name=FILE] [mode=direct|partial|sysfs|none] [timeout=SEC]
 *
 * direct   request_firmware(): the file from /lib/firmware, read whole.
 * partial  request_partial_firmware_into_buf(): the first VTFW_PARTIAL (64)
 *          bytes of the file, into a buffer of ours.
 * sysfs    request_firmware_nowait() with uevent=false: when the file is
 *          not in /lib/firmware, the sysfs fallback loader creates
 *          /sys/class/firmware/FILE/ and waits for user space to write
 *          "1" to loading, the blob to data, then "0" to loading ("-1"
 *          aborts). Without a uevent the loader has no timeout of its
 *          own, so init waits at most timeout= seconds (default 30), then
 *          aborts the request itself as user space would, by writing "-1"
 *          to loading.
 * none     load nothing.
 *
 * On success init prints "vtfw: MODE FILE: SIZE bytes, sha256 HEX" and
 * returns 0; otherwise it prints the error and returns it, so insmod fails
 * with the loader's error: -ENOENT for a missing file, -EACCES for one
 * that vtrust (or IMA) refused; for sysfs, -EAGAIN when user space aborted
 * (or the blob was refused), -ETIMEDOUT after timeout=, -EINTR if insmod
 * was killed while waiting.
 *
 * The firmware loader needs a struct device: a platform device "vtfw" is
 * registered for the lifetime of the module.
 */
#include <crypto/sha2.h>
#include <linux/completion.h>
#include <linux/firmware.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#define VTFW_PARTIAL 64

static char *name = "vtrust-test.bin";
module_param(name, charp, 0444);
MODULE_PARM_DESC(name, "firmware file name, relative to /lib/firmware");

static char *mode = "direct";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "direct, partial, sysfs or none");

static unsigned int timeout = 30;
module_param(timeout, uint, 0444);
MODULE_PARM_DESC(timeout, "sysfs: seconds to wait for user space (1-3600)");

static struct platform_device *vtfw_pdev;

/* Result of an asynchronous (sysfs) request, filled in by its callback. */
struct vtfw_async {
	struct completion done;
	const struct firmware *fw;
};

static void vtfw_report(const char *how, const u8 *data, size_t size)
{
	u8 digest[SHA256_DIGEST_SIZE];

	sha256(data, size, digest);
	pr_info("%s %s: %zu bytes, sha256 %*phN\n", how, name, size,
		SHA256_DIGEST_SIZE, digest);
}

static int vtfw_direct(struct device *dev)
{
	const struct firmware *fw;
	int ret;

	ret = request_firmware(&fw, name, dev);
	if (ret)
		return ret;
	vtfw_report("direct", fw->data, fw->size);
	release_firmware(fw);
	return 0;
}

static int vtfw_partial(struct device *dev)
{
	const struct firmware *fw;
	void *buf;
	int ret;

	buf = kmalloc(VTFW_PARTIAL, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = request_partial_firmware_into_buf(&fw, name, dev, buf,
						VTFW_PARTIAL, 0);
	if (ret)
		goto out_free_buf;
	vtfw_report("partial", fw->data, fw->size);
	release_firmware(fw);
out_free_buf:
	kfree(buf);
	return ret;
}

/*
 * Runs from the firmware loader's work item. complete() is the last thing
 * it does: init may return, and the module go away on failure, as soon as
 * it has been called.
 */
static void vtfw_async_done(const struct firmware *fw, void *context)
{
	struct vtfw_async *async = context;

	async->fw = fw;
	complete(&async->done);
}

/* Abort the pending sysfs request the way user space does. */
static int vtfw_sysfs_abort(void)
{
	char *dev_name, *path;
	struct file *file;
	loff_t pos = 0;
	ssize_t n;

	/* The fallback device is named after the file, '/' read as '!'. */
	dev_name = kstrdup(name, GFP_KERNEL);
	if (!dev_name)
		return -ENOMEM;
	strreplace(dev_name, '/', '!');
	path = kasprintf(GFP_KERNEL, "/sys/class/firmware/%s/loading",
			 dev_name);
	kfree(dev_name);
	if (!path)
		return -ENOMEM;
	file = filp_open(path, O_WRONLY, 0);
	kfree(path);
	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_write(file, "-1", 2, &pos);
	filp_close(file, NULL);
	return n < 0 ? n : 0;
}

static int vtfw_sysfs(struct device *dev)
{
	struct vtfw_async async = { .fw = NULL };
	long left;
	int ret;

	init_completion(&async.done);
	ret = request_firmware_nowait(THIS_MODULE, false, name, dev, GFP_KERNEL,
				      &async, vtfw_async_done);
	if (ret)
		return ret;
	left = wait_for_completion_killable_timeout(&async.done, timeout * HZ);
	if (left > 0) {
		/* Done: a NULL firmware means that user space aborted. */
		ret = -EAGAIN;
	} else {
		ret = left ? -EINTR : -ETIMEDOUT;
		pr_info("sysfs %s: %s, aborting\n", name,
			left ? "interrupted" : "timed out");
		/*
		 * The callback uses our stack and our code: it must have
		 * run before init returns. Until the fallback device shows
		 * up (the request may still be queued), retry the abort.
		 */
		do {
			vtfw_sysfs_abort();
		} while (!wait_for_completion_timeout(&async.done, HZ));
	}
	if (!async.fw)
		return ret;
	vtfw_report("sysfs", async.fw->data, async.fw->size);
	release_firmware(async.fw);
	return 0;
}

static int __init vtfw_init(void)
{
	int ret;

	if (!strcmp(mode, "none")) {
		pr_info("none\n");
		return 0;
	}
	if (strcmp(mode, "direct") && strcmp(mode, "partial") &&
	    strcmp(mode, "sysfs")) {
		pr_err("mode=%s: not direct, partial, sysfs or none\n", mode);
		return -EINVAL;
	}
	if (timeout < 1 || timeout > 3600) {
		pr_err("timeout=%u: not 1-3600 seconds\n", timeout);
		return -EINVAL;
	}
	vtfw_pdev = platform_device_register_simple("vtfw", -1, NULL, 0);
	if (IS_ERR(vtfw_pdev))
		return PTR_ERR(vtfw_pdev);

	if (!strcmp(mode, "direct"))
		ret = vtfw_direct(&vtfw_pdev->dev);
	else if (!strcmp(mode, "partial"))
		ret = vtfw_partial(&vtfw_pdev->dev);
	else
		ret = vtfw_sysfs(&vtfw_pdev->dev);
	if (ret) {
		pr_err("%s %s: error %d\n", mode, name, ret);
		goto out_unregister;
	}
	return 0;

out_unregister:
	platform_device_unregister(vtfw_pdev);
	return ret;
}

static void __exit vtfw_exit(void)
{
	platform_device_unregister(vtfw_pdev);
}

module_init(vtfw_init);
module_exit(vtfw_exit);
MODULE_DESCRIPTION("vtrust test: load a firmware file through a chosen path");
MODULE_LICENSE("GPL");
