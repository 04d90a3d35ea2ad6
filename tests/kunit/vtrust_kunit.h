/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Shared by vtrust's KUnit suites (tests/kunit/, built by scripts/kunit
 * into lib/vtrust/ of a User-Mode Linux kernel).
 */
#ifndef _VTRUST_KUNIT_H
#define _VTRUST_KUNIT_H

#include <kunit/test.h>
#include <linux/ctype.h>
#include <linux/kernel.h>

/*
 * Hex string (spaces allowed) to bytes; returns the number of bytes. A
 * malformed string or one longer than @size fails @test.
 */
static inline size_t vt_unhex(struct kunit *test, const char *hex, u8 *out,
			      size_t size)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *hex; hex++) {
		if (isspace(*hex))
			continue;
		v = hex_to_bin(*hex);
		KUNIT_ASSERT_GE_MSG(test, v, 0, "bad hex digit '%c'", *hex);
		if (hi < 0) {
			hi = v;
			continue;
		}
		KUNIT_ASSERT_LT(test, n, size);
		out[n++] = hi << 4 | v;
		hi = -1;
	}
	KUNIT_ASSERT_LT(test, hi, 0);
	return n;
}

/*
 * Deterministic test bytes (xorshift32), for cases that need many inputs
 * without a random source that differs between runs.
 */
static inline void vt_fill_bytes(u8 *p, size_t len, u32 seed)
{
	u32 x = seed ? seed : 1;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = x >> 24;
	}
}

#endif /* _VTRUST_KUNIT_H */
