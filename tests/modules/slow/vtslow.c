// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A test module whose init takes wait_ms milliseconds, so that a test can
 * load vtrust while it is still in MODULE_STATE_COMING.
 */
#include <linux/module.h>
#include <linux/delay.h>

static uint wait_ms = 5000;
module_param(wait_ms, uint, 0444);
MODULE_PARM_DESC(wait_ms, "how long init takes, in milliseconds");

static int __init vtslow_init(void)
{
	msleep(wait_ms);
	return 0;
}

static void __exit vtslow_exit(void)
{
}

module_init(vtslow_init);
module_exit(vtslow_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vtrust test module with a slow init");
