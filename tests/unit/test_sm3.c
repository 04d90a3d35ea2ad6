// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SM3 (kernel/sm3.c): the examples of GM/T 0004-2012 Appendix A, the empty
 * message, incremental updates against one-shot, and OpenSSL's SM3 as an
 * independent implementation.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "unit.h"
#include "sm3.h"

static void check_digest(const void *msg, size_t len, const char *hex)
{
	u8 want[VTRUST_SM3_DIGEST_SIZE], got[VTRUST_SM3_DIGEST_SIZE];

	assert_int_equal(unit_unhex(hex, want, sizeof(want)), sizeof(want));
	vtrust_sm3_digest(msg, len, got);
	assert_memory_equal(got, want, sizeof(want));
}

static void openssl_sm3(const u8 *msg, size_t len, u8 *out)
{
	unsigned int olen = 0;

	assert_int_equal(EVP_Digest(msg, len, out, &olen, EVP_sm3(), NULL), 1);
	assert_int_equal(olen, VTRUST_SM3_DIGEST_SIZE);
}

/* Deterministic test bytes (xorshift32). */
static void fill_bytes(u8 *p, size_t len, u32 seed)
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

/* GM/T 0004-2012 Appendix A.1 */
static void test_abc(void **state)
{
	(void)state;
	check_digest(
		"abc", 3,
		"66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0");
}

/* GM/T 0004-2012 Appendix A.2: "abcd" 16 times, 512 bits */
static void test_abcd16(void **state)
{
	char msg[65] = "";
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		strcat(msg, "abcd");
	check_digest(
		msg, 64,
		"debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732");
}

static void test_empty(void **state)
{
	const char *hex =
		"1ab21d83 55cfa17f 8e611948 31e81a8f 22bec8c7 28fefb74 7ed035eb 5082aa2b";
	struct vtrust_sm3_ctx ctx;
	u8 want[32], got[32];

	(void)state;
	check_digest("", 0, hex);
	check_digest(NULL, 0, hex);

	unit_unhex(hex, want, sizeof(want));
	vtrust_sm3_init(&ctx);
	vtrust_sm3_update(&ctx, NULL, 0);
	vtrust_sm3_final(&ctx, got);
	assert_memory_equal(got, want, sizeof(want));
}

/* Every length across the padding boundaries of the first blocks. */
static void test_lengths_vs_openssl(void **state)
{
	u8 msg[300], want[32], got[32];
	size_t len;

	(void)state;
	fill_bytes(msg, sizeof(msg), 7);
	for (len = 0; len <= sizeof(msg); len++) {
		openssl_sm3(msg, len, want);
		vtrust_sm3_digest(msg, len, got);
		assert_memory_equal(got, want, sizeof(want));
	}
}

/* Two updates split at every offset give the one-shot digest. */
static void test_split_every_offset(void **state)
{
	u8 msg[200], want[32], got[32];
	struct vtrust_sm3_ctx ctx;
	size_t i;

	(void)state;
	fill_bytes(msg, sizeof(msg), 11);
	vtrust_sm3_digest(msg, sizeof(msg), want);
	for (i = 0; i <= sizeof(msg); i++) {
		vtrust_sm3_init(&ctx);
		vtrust_sm3_update(&ctx, msg, i);
		vtrust_sm3_update(&ctx, msg + i, sizeof(msg) - i);
		vtrust_sm3_final(&ctx, got);
		assert_memory_equal(got, want, sizeof(want));
	}
}

/* Three updates at every pair of offsets, with empty updates between. */
static void test_split_every_pair(void **state)
{
	u8 msg[150], want[32], got[32];
	struct vtrust_sm3_ctx ctx;
	size_t i, j;

	(void)state;
	fill_bytes(msg, sizeof(msg), 13);
	vtrust_sm3_digest(msg, sizeof(msg), want);
	for (i = 0; i <= sizeof(msg); i++) {
		for (j = i; j <= sizeof(msg); j++) {
			vtrust_sm3_init(&ctx);
			vtrust_sm3_update(&ctx, msg, i);
			vtrust_sm3_update(&ctx, msg + i, 0);
			vtrust_sm3_update(&ctx, msg + i, j - i);
			vtrust_sm3_update(&ctx, msg + j, sizeof(msg) - j);
			vtrust_sm3_final(&ctx, got);
			assert_memory_equal(got, want, sizeof(want));
		}
	}
}

static void test_byte_at_a_time(void **state)
{
	u8 msg[333], want[32], got[32];
	struct vtrust_sm3_ctx ctx;
	size_t i;

	(void)state;
	fill_bytes(msg, sizeof(msg), 17);
	openssl_sm3(msg, sizeof(msg), want);
	vtrust_sm3_init(&ctx);
	for (i = 0; i < sizeof(msg); i++)
		vtrust_sm3_update(&ctx, msg + i, 1);
	vtrust_sm3_final(&ctx, got);
	assert_memory_equal(got, want, sizeof(want));
}

/* 1 MiB, one-shot and in uneven pieces, against OpenSSL. */
static void test_1mb_vs_openssl(void **state)
{
	static const size_t steps[] = { 1, 63, 64, 65, 4096, 100003, 7 };
	const size_t len = 1 << 20;
	u8 want[32], got[32];
	struct vtrust_sm3_ctx ctx;
	size_t off, n, k = 0;
	u8 *msg;

	(void)state;
	msg = malloc(len);
	assert_non_null(msg);
	fill_bytes(msg, len, 19);
	openssl_sm3(msg, len, want);

	vtrust_sm3_digest(msg, len, got);
	assert_memory_equal(got, want, sizeof(want));

	vtrust_sm3_init(&ctx);
	for (off = 0; off < len; off += n) {
		n = steps[k++ % ARRAY_SIZE(steps)];
		if (n > len - off)
			n = len - off;
		vtrust_sm3_update(&ctx, msg + off, n);
	}
	vtrust_sm3_final(&ctx, got);
	assert_memory_equal(got, want, sizeof(want));
	free(msg);
}

/* final() leaves nothing of the state behind. */
static void test_final_wipes(void **state)
{
	static const u8 zero[sizeof(struct vtrust_sm3_ctx)];
	struct vtrust_sm3_ctx ctx;
	u8 out[32];

	(void)state;
	vtrust_sm3_init(&ctx);
	vtrust_sm3_update(&ctx, (const u8 *)"secret", 6);
	vtrust_sm3_final(&ctx, out);
	assert_memory_equal(&ctx, zero, sizeof(ctx));
}

/* The digest may be written over the message. */
static void test_out_aliases_input(void **state)
{
	u8 buf[64], want[32];

	(void)state;
	fill_bytes(buf, sizeof(buf), 23);
	openssl_sm3(buf, sizeof(buf), want);
	vtrust_sm3_digest(buf, sizeof(buf), buf);
	assert_memory_equal(buf, want, sizeof(want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_abc),
		cmocka_unit_test(test_abcd16),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_lengths_vs_openssl),
		cmocka_unit_test(test_split_every_offset),
		cmocka_unit_test(test_split_every_pair),
		cmocka_unit_test(test_byte_at_a_time),
		cmocka_unit_test(test_1mb_vs_openssl),
		cmocka_unit_test(test_final_wipes),
		cmocka_unit_test(test_out_aliases_input),
	};

	return UNIT_RUN(tests);
}
