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
#include <linux/slab.h>
#include <linux/string.h>

/* @len bytes of @src in an allocation of exactly @len bytes */
static inline void *vt_dup_exact(struct kunit *test, const void *src,
				 size_t len)
{
	void *p = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	memcpy(p, src, len);
	return p;
}

/* Printable ASCII but '#', which would start a TAP directive */
static inline bool vt_desc_char(char c)
{
	return (u8)c < 0x7f && isprint(c) && c != '#';
}

/*
 * KUNIT_ARRAY_PARAM() describing each case by its string member
 * @desc_member (KUNIT_ARRAY_PARAM_DESC() came with 6.6).
 */
#define VT_ARRAY_PARAM_DESC(name, array, desc_member)			       \
	static const void *name##_gen_params(const void *prev, char *desc)    \
	{								       \
		typeof((array)[0]) *__next =				       \
			prev ? ((typeof(__next))prev) + 1 : (array);	       \
									       \
		if (__next - (array) < ARRAY_SIZE((array))) {		       \
			strscpy(desc, __next->desc_member,		       \
				KUNIT_PARAM_DESC_SIZE);			       \
			return __next;					       \
		}							       \
		return NULL;						       \
	}

/* The index of the first byte where @a and @b differ; @n if none does. */
static inline size_t vt_memdiff(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;
	size_t i;

	for (i = 0; i < n && p[i] == q[i]; i++)
		;
	return i;
}

/* At most this many bytes of each buffer are shown (%*ph takes 64). */
#define VT_MEMEQ_SHOW 64
/* A buffer's name, the offset shown from, and its bytes from there */
#define VT_MEMEQ_ROW \
	KUNIT_SUBTEST_INDENT KUNIT_SUBTEST_INDENT "%s[%zu..] == %*ph"

/*
 * @got and @want, @n bytes each, must be the same (KUNIT_EXPECT_MEMEQ()
 * came with 6.2). A mismatch names the first byte that differs and shows
 * both buffers in hex: whole when they are VT_MEMEQ_SHOW bytes or less,
 * else VT_MEMEQ_SHOW bytes from the 16-byte row holding that byte. @fail
 * is KUNIT_FAIL or KUNIT_ASSERT_FAILURE; @fmt must be a string literal.
 */
#define VT_MEMEQ_ASSERTION(test, fail, got, want, n, fmt, ...)		       \
do {									       \
	const u8 *__got = (const u8 *)(got);				       \
	const u8 *__want = (const u8 *)(want);				       \
	size_t __n = (n), __at = vt_memdiff(__got, __want, __n), __from;       \
	int __len;							       \
									       \
	if (likely(__at == __n))					       \
		break;							       \
	__from = __n <= VT_MEMEQ_SHOW ? 0 : round_down(__at, 16);	       \
	__len = min_t(size_t, __n - __from, VT_MEMEQ_SHOW);		       \
	fail(test,							       \
	     KUNIT_SUBTEST_INDENT "Expected %s == %s (%zu bytes), "	       \
	     "but byte %zu differs\n" VT_MEMEQ_ROW "\n" VT_MEMEQ_ROW fmt,     \
	     #got, #want, __n, __at, #got, __from, __len, __got + __from,      \
	     #want, __from, __len, __want + __from, ##__VA_ARGS__);	       \
} while (0)

#define VT_EXPECT_MEMEQ(test, got, want, n) \
	VT_MEMEQ_ASSERTION(test, KUNIT_FAIL, got, want, n, "")
#define VT_EXPECT_MEMEQ_MSG(test, got, want, n, fmt, ...)		\
	VT_MEMEQ_ASSERTION(test, KUNIT_FAIL, got, want, n,		\
			   "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)
/* Stops the test: in loops, the first mismatch rather than hundreds */
#define VT_ASSERT_MEMEQ(test, got, want, n) \
	VT_MEMEQ_ASSERTION(test, KUNIT_ASSERT_FAILURE, got, want, n, "")
#define VT_ASSERT_MEMEQ_MSG(test, got, want, n, fmt, ...)		\
	VT_MEMEQ_ASSERTION(test, KUNIT_ASSERT_FAILURE, got, want, n,	\
			   "\n" KUNIT_SUBTEST_INDENT fmt, ##__VA_ARGS__)

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

/* xorshift32: the next of a sequence that is the same on every run */
static inline u32 vt_xorshift32(u32 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

/*
 * Deterministic test bytes (xorshift32), for cases that need many inputs
 * without a random source that differs between runs.
 */
static inline void vt_fill_bytes(u8 *p, size_t len, u32 seed)
{
	u32 x = seed ? seed : 1;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = vt_xorshift32(&x) >> 24;
}

#endif /* _VTRUST_KUNIT_H */
