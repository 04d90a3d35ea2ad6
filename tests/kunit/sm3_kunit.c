// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SM3 (kernel/sm3.c): the examples of GM/T 0004-2012 Appendix A and the
 * empty message (also with a NULL pointer), every message length from 0
 * to 300 bytes and a 1 MiB message against the kernel's own SM3
 * (crypto/sm3.c, an independent implementation), incremental updates split
 * at every offset and every pair of offsets against one-shot, one byte at
 * a time, final() wiping the context, and the digest written over the
 * message. Messages and digests sit in buffers of their exact size, so
 * KASAN sees any access past them.
 */
#include <crypto/sm3.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "vtrust_kunit.h"
#include "sm3.h"

#define DIGEST_SIZE VTRUST_SM3_DIGEST_SIZE

/* The kernel's SM3 library (crypto/sm3.c), the independent reference. */
static void ref_sm3(const u8 *msg, size_t len, u8 *out)
{
	struct sm3_state st;

	sm3_init(&st);
	sm3_update(&st, msg, len);
	sm3_final(&st, out);
}

/* @len deterministic bytes in a buffer of exactly that size */
static u8 *test_bytes(struct kunit *test, size_t len, u32 seed)
{
	u8 *p = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	vt_fill_bytes(p, len, seed);
	return p;
}

/*
 * vtrust's SM3 of @msg in @nr - 1 updates, the k-th from @cuts[k] to
 * @cuts[k + 1] (empty where they are equal).
 */
static void sm3_cut(const u8 *msg, const size_t *cuts, size_t nr, u8 *out)
{
	struct vtrust_sm3_ctx ctx;
	size_t k;

	vtrust_sm3_init(&ctx);
	for (k = 0; k + 1 < nr; k++)
		vtrust_sm3_update(&ctx, msg + cuts[k], cuts[k + 1] - cuts[k]);
	vtrust_sm3_final(&ctx, out);
}

/*
 * vtrust's SM3 of @len bytes at @msg in updates of @steps[0], @steps[1],
 * ... bytes, round robin, the last one cut short; returns how many.
 */
static size_t sm3_steps(const u8 *msg, size_t len, const size_t *steps,
			size_t nr, u8 *out)
{
	struct vtrust_sm3_ctx ctx;
	size_t off, n, k = 0;

	vtrust_sm3_init(&ctx);
	for (off = 0; off < len; off += n) {
		n = min(steps[k++ % nr], len - off);
		vtrust_sm3_update(&ctx, msg + off, n);
	}
	vtrust_sm3_final(&ctx, out);
	return k;
}

/* SM3 of the empty message */
#define SM3_EMPTY \
	"1ab21d83 55cfa17f 8e611948 31e81a8f 22bec8c7 28fefb74 7ed035eb 5082aa2b"

struct sm3_vector {
	const char *desc;
	const char *msg;
	const char *digest;
};

static const struct sm3_vector sm3_vectors[] = {
	{ "GM/T 0004-2012 A.1: abc", "abc",
	  "66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0" },
	{ "GM/T 0004-2012 A.2: abcd x16 (512 bits)",
	  "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd",
	  "debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732" },
	{ "empty message", "", SM3_EMPTY },
};

VT_ARRAY_PARAM_DESC(sm3_vector, sm3_vectors, desc);

/*
 * A standard vector: vtrust's digest, and the reference's (so the
 * cross-checks below rest on a reference that agrees with the standard).
 * An empty message is a zero-size allocation, ZERO_SIZE_PTR, which faults
 * if dereferenced.
 */
static void sm3_test_vector(struct kunit *test)
{
	const struct sm3_vector *v = test->param_value;
	size_t len = strlen(v->msg);
	u8 want[DIGEST_SIZE], ref[DIGEST_SIZE];
	u8 *msg = kunit_kmalloc(test, len, GFP_KERNEL);
	u8 *got = kunit_kmalloc(test, DIGEST_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, msg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, got);
	memcpy(msg, v->msg, len);
	KUNIT_ASSERT_EQ(test, vt_unhex(test, v->digest, want, sizeof(want)),
			sizeof(want));

	vtrust_sm3_digest(msg, len, got);
	VT_EXPECT_MEMEQ_MSG(test, got, want, DIGEST_SIZE, "vtrust_sm3_digest");
	ref_sm3(msg, len, ref);
	VT_EXPECT_MEMEQ_MSG(test, ref, want, DIGEST_SIZE, "reference sm3");
}

/* The empty message from a NULL pointer, one-shot and incremental. */
static void sm3_test_empty_null(struct kunit *test)
{
	struct vtrust_sm3_ctx ctx;
	u8 want[DIGEST_SIZE], got[DIGEST_SIZE];

	KUNIT_ASSERT_EQ(test, vt_unhex(test, SM3_EMPTY, want, sizeof(want)),
			sizeof(want));

	vtrust_sm3_digest(NULL, 0, got);
	VT_EXPECT_MEMEQ_MSG(test, got, want, DIGEST_SIZE,
			    "vtrust_sm3_digest(NULL, 0)");

	vtrust_sm3_init(&ctx);
	vtrust_sm3_update(&ctx, NULL, 0);
	vtrust_sm3_final(&ctx, got);
	VT_EXPECT_MEMEQ_MSG(test, got, want, DIGEST_SIZE, "update(NULL, 0)");
}

/* Every length across the padding boundaries of the first blocks. */
static void sm3_test_lengths(struct kunit *test)
{
	u8 want[DIGEST_SIZE], got[DIGEST_SIZE];
	u8 *all = test_bytes(test, 300, 7), *msg;
	size_t len;

	for (len = 0; len <= 300; len++) {
		msg = kunit_kmalloc(test, len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, msg);
		memcpy(msg, all, len);
		ref_sm3(msg, len, want);
		vtrust_sm3_digest(msg, len, got);
		VT_ASSERT_MEMEQ_MSG(test, got, want, DIGEST_SIZE, "length %zu",
				    len);
		kunit_kfree(test, msg);
	}
}

/* Two updates split at every offset give the one-shot digest. */
static void sm3_test_split_every_offset(struct kunit *test)
{
	const size_t len = 200;
	u8 *msg = test_bytes(test, len, 11);
	u8 want[DIGEST_SIZE], got[DIGEST_SIZE];
	size_t i;

	vtrust_sm3_digest(msg, len, want);
	for (i = 0; i <= len; i++) {
		const size_t cuts[] = { 0, i, len };

		sm3_cut(msg, cuts, ARRAY_SIZE(cuts), got);
		VT_ASSERT_MEMEQ_MSG(test, got, want, DIGEST_SIZE,
				    "split at %zu", i);
	}
}

/* Three updates at every pair of offsets, with empty updates between. */
static void sm3_test_split_every_pair(struct kunit *test)
{
	const size_t len = 150;
	u8 *msg = test_bytes(test, len, 13);
	u8 want[DIGEST_SIZE], got[DIGEST_SIZE];
	size_t i, j;

	vtrust_sm3_digest(msg, len, want);
	for (i = 0; i <= len; i++) {
		for (j = i; j <= len; j++) {
			const size_t cuts[] = { 0, i, i, j, len };

			sm3_cut(msg, cuts, ARRAY_SIZE(cuts), got);
			VT_ASSERT_MEMEQ_MSG(test, got, want, DIGEST_SIZE,
					    "split at %zu and %zu", i, j);
		}
	}
}

static void sm3_test_byte_at_a_time(struct kunit *test)
{
	static const size_t one = 1;
	const size_t len = 333;
	u8 *msg = test_bytes(test, len, 17);
	u8 want[DIGEST_SIZE], got[DIGEST_SIZE];

	ref_sm3(msg, len, want);
	KUNIT_EXPECT_EQ(test, sm3_steps(msg, len, &one, 1, got), len);
	VT_EXPECT_MEMEQ_MSG(test, got, want, DIGEST_SIZE,
			    "333 one-byte updates");
}

/* 1 MiB, one-shot and in uneven pieces, against the reference. */
static void sm3_test_1mib(struct kunit *test)
{
	static const size_t steps[] = { 1, 63, 64, 65, 4096, 100003, 7 };
	const size_t len = SZ_1M;
	u8 *msg = test_bytes(test, len, 19);
	u8 want[DIGEST_SIZE], got[DIGEST_SIZE];
	size_t k;

	ref_sm3(msg, len, want);

	vtrust_sm3_digest(msg, len, got);
	VT_EXPECT_MEMEQ_MSG(test, got, want, DIGEST_SIZE, "one-shot");

	k = sm3_steps(msg, len, steps, ARRAY_SIZE(steps), got);
	VT_EXPECT_MEMEQ_MSG(test, got, want, DIGEST_SIZE, "%zu uneven updates",
			    k);
}

/* final() leaves nothing of the state behind. */
static void sm3_test_final_wipes(struct kunit *test)
{
	struct vtrust_sm3_ctx ctx;
	u8 out[DIGEST_SIZE];

	vtrust_sm3_init(&ctx);
	vtrust_sm3_update(&ctx, (const u8 *)"secret", 6);
	vtrust_sm3_final(&ctx, out);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(&ctx, 0, sizeof(ctx)), NULL);
}

/* The digest may be written over the message. */
static void sm3_test_out_aliases_input(struct kunit *test)
{
	const size_t len = 64;
	u8 *buf = test_bytes(test, len, 23);
	u8 want[DIGEST_SIZE];

	ref_sm3(buf, len, want);
	vtrust_sm3_digest(buf, len, buf);
	VT_EXPECT_MEMEQ_MSG(test, buf, want, DIGEST_SIZE,
			    "digest over its message");
}

static struct kunit_case sm3_test_cases[] = {
	KUNIT_CASE_PARAM(sm3_test_vector, sm3_vector_gen_params),
	KUNIT_CASE(sm3_test_empty_null),
	KUNIT_CASE(sm3_test_lengths),
	KUNIT_CASE(sm3_test_split_every_offset),
	KUNIT_CASE(sm3_test_split_every_pair),
	KUNIT_CASE(sm3_test_byte_at_a_time),
	KUNIT_CASE(sm3_test_1mib),
	KUNIT_CASE(sm3_test_final_wipes),
	KUNIT_CASE(sm3_test_out_aliases_input),
	{}
};

static struct kunit_suite sm3_test_suite = {
	.name = "vtrust_sm3",
	.test_cases = sm3_test_cases,
};

kunit_test_suite(sm3_test_suite);
