// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A test module. The build makes copies of it under other names by
 * replacing the placeholder name in the .ko, so every copy has its own
 * name and digest without another compile.
 */
#include <linux/module.h>

static int __init vtt_init(void)
{
	return 0;
}

static void __exit vtt_exit(void)
{
}

module_init(vtt_init);
module_exit(vtt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vtrust test module");
