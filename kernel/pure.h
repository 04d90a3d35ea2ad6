/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The environment of vtrust's pure files: code that compiles unchanged into
 * the module and into userspace unit tests and fuzzers. A pure file includes
 * this header and nothing else from the kernel or libc.
 */
#ifndef _VTRUST_PURE_H
#define _VTRUST_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#else
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <linux/types.h>

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
#endif

/* The value of one hex digit, or -1 (the parsers of policy.c, reflist.c). */
static inline int vtrust_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The PCRs vtrust may extend: those locality 0 can extend but not reset
 * (8-15), less IMA's 10. Not 0-7 (firmware), not 16 and 23 (resettable
 * from locality 0, so a reset could forge a fresh start), not 17-22
 * (locality 0 cannot extend them). For the module parameter and policy.
 */
static inline int vtrust_pcr_allowed(u32 pcr)
{
	return pcr >= 8 && pcr <= 15 && pcr != 10;
}

#endif /* _VTRUST_PURE_H */
