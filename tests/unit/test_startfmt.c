// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The start entry's text (kernel/startfmt.c) against strings written out
 * from docs/FORMATS.md: 1 bank, 5 banks, 8 SHA-512 banks (the TPM of review
 * finding F8), the sizing call, and the refusals (a buffer one byte short,
 * a value that would break the token syntax).
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "startfmt.h"

static const u8 instance[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

static u8 zeros[64];
static u8 ones[64];

static const struct vtrust_start_param params[] = {
	{ "pcr", NULL, 11 },
	{ "hash", "sha256", 0 },
	{ "policy", "default", 0 },
	{ "require_tpm", NULL, 0 },
	{ "on_extend_error", "log", 0 },
};

/* @n characters @c */
static char *rep(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Format @info twice (sizing, then filling) and compare with @want. */
static void check(const struct vtrust_start_info *info, const char *want)
{
	size_t n = strlen(want);
	char *buf;

	assert_int_equal(vtrust_start_format(NULL, 0, info), (int)n);
	buf = malloc(n + 1 + 8);
	assert_non_null(buf);
	memset(buf, 'X', n + 1 + 8);
	assert_int_equal(vtrust_start_format(buf, n + 1, info), (int)n);
	assert_string_equal(buf, want);
	/* nothing past the NUL */
	assert_memory_equal(buf + n + 1, "XXXXXXXX", 8);

	/* one byte short: refused, empty, nothing past the buffer */
	memset(buf, 'X', n + 1 + 8);
	assert_int_equal(vtrust_start_format(buf, n, info), -E2BIG);
	assert_int_equal(buf[0], '\0');
	assert_memory_equal(buf + n, "XXXXXXXXX", 9);
	free(buf);
}

static void test_one_bank(void **state)
{
	const struct vtrust_start_digest prior[] = { { "sha256", zeros, 32 } };
	const struct vtrust_start_digest agg = { "sha256", ones, 32 };
	const struct vtrust_start_digest pol = { "sha256", ones, 32 };
	const struct vtrust_start_info info = {
		.pcr = 11, .aggregate = &agg, .prior = prior, .nr_prior = 1,
		.instance = instance, .instance_size = 16, .policy = &pol,
		.params = params, .nr_params = 5,
	};

	(void)state;
	check(&info,
	      "vtrust-start version=2 pcr=11 aggregate=sha256:"
	      "0101010101010101010101010101010101010101010101010101010101010101"
	      " prior=sha256:"
	      "0000000000000000000000000000000000000000000000000000000000000000"
	      " instance=00112233445566778899aabbccddeeff policy_digest=sha256:"
	      "0101010101010101010101010101010101010101010101010101010101010101"
	      " param.pcr=11 param.hash=sha256 param.policy=default"
	      " param.require_tpm=0 param.on_extend_error=log");
}

static void test_no_tpm(void **state)
{
	const struct vtrust_start_digest pol = { "sm3", ones, 32 };
	const struct vtrust_start_info info = {
		.pcr = 14, .instance = instance, .instance_size = 16,
		.policy = &pol, .lockdown = "integrity", .params = params,
		.nr_params = 1,
	};

	(void)state;
	check(&info,
	      "vtrust-start version=2 pcr=14 aggregate=none prior="
	      " instance=00112233445566778899aabbccddeeff policy_digest=sm3:"
	      "0101010101010101010101010101010101010101010101010101010101010101"
	      " lockdown=integrity param.pcr=11");
}

static void test_five_banks(void **state)
{
	static const char *const names[] = { "sha1", "sha256", "sha384",
					     "sha512", "sm3" };
	static const unsigned int sizes[] = { 20, 32, 48, 64, 32 };
	struct vtrust_start_digest prior[5];
	const struct vtrust_start_digest agg = { "sha384", ones, 48 };
	const struct vtrust_start_digest pol = { "sha384", zeros, 48 };
	struct vtrust_start_info info = {
		.pcr = 9, .aggregate = &agg, .prior = prior, .nr_prior = 5,
		.instance = instance, .instance_size = 16, .policy = &pol,
		.params = params, .nr_params = 5,
	};
	char want[2048];
	char *h0[5];
	unsigned int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		prior[i].alg = names[i];
		prior[i].digest = i % 2 ? ones : zeros;
		prior[i].size = sizes[i];
		h0[i] = rep(i % 2 ? '1' : '0', 2 * sizes[i]);
		/* "01" pairs for ones, "00" for zeros */
		if (i % 2)
			for (size_t j = 0; j < 2 * sizes[i]; j += 2)
				h0[i][j] = '0';
	}
	/* the aggregate (ones) and policy (zeros) digests: 48 bytes */
	{
		char *agg_hex = rep('0', 96), *pol_hex = rep('0', 96);

		for (i = 1; i < 96; i += 2)
			agg_hex[i] = '1';
		snprintf(want, sizeof(want),
			 "vtrust-start version=2 pcr=9 aggregate=sha384:%s"
			 " prior=sha1:%s,sha256:%s,sha384:%s,sha512:%s,sm3:%s"
			 " instance=00112233445566778899aabbccddeeff"
			 " policy_digest=sha384:%s"
			 " param.pcr=11 param.hash=sha256 param.policy=default"
			 " param.require_tpm=0 param.on_extend_error=log",
			 agg_hex, h0[0], h0[1], h0[2], h0[3], h0[4], pol_hex);
		free(agg_hex);
		free(pol_hex);
	}
	check(&info, want);
	assert_int_equal(strlen(want), 833); /* counted with Python */
	for (i = 0; i < 5; i++)
		free(h0[i]);
}

/* Review F8: 8 SHA-512 banks made the old builder write 1270 bytes. */
static void test_eight_sha512(void **state)
{
	struct vtrust_start_digest prior[8];
	const struct vtrust_start_digest agg = { "sha512", zeros, 64 };
	const struct vtrust_start_digest pol = { "sha512", zeros, 64 };
	struct vtrust_start_info info = {
		.pcr = 11, .aggregate = &agg, .prior = prior, .nr_prior = 8,
		.instance = instance, .instance_size = 16, .policy = &pol,
		.params = params, .nr_params = 5,
	};
	char *z = rep('0', 128), *want;
	size_t off = 0, cap = 4096;
	unsigned int i;

	(void)state;
	want = malloc(cap);
	assert_non_null(want);
	off += snprintf(want + off, cap - off,
			"vtrust-start version=2 pcr=11 aggregate=sha512:%s prior=",
			z);
	for (i = 0; i < 8; i++) {
		prior[i] = (struct vtrust_start_digest){ "sha512", zeros, 64 };
		off += snprintf(want + off, cap - off, "%ssha512:%s",
				i ? "," : "", z);
	}
	snprintf(want + off, cap - off,
		 " instance=00112233445566778899aabbccddeeff"
		 " policy_digest=sha512:%s"
		 " param.pcr=11 param.hash=sha256 param.policy=default"
		 " param.require_tpm=0 param.on_extend_error=log",
		 z);
	check(&info, want);
	/* longer than the old fixed 1024-byte buffer */
	assert_true(strlen(want) > 1024);
	free(want);
	free(z);
}

static void test_bad_values(void **state)
{
	const struct vtrust_start_digest pol = { "sha256", zeros, 32 };
	struct vtrust_start_param p = { "policy", "a b", 0 };
	struct vtrust_start_info info = {
		.pcr = 11, .instance = instance, .instance_size = 16,
		.policy = &pol, .params = &p, .nr_params = 1,
	};
	static const char *const bad[] = { "a b", "a=b", "a,b", "", "a\nb",
					   "\x7f", "\xc3\xa9" };
	char buf[512];
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		p.str = bad[i];
		memset(buf, 'X', sizeof(buf));
		assert_int_equal(vtrust_start_format(buf, sizeof(buf), &info),
				 -EINVAL);
		assert_int_equal(buf[0], '\0');
		assert_int_equal(vtrust_start_format(NULL, 0, &info), -EINVAL);
	}
	p.str = "default";
	p.key = "po licy";
	assert_int_equal(vtrust_start_format(buf, sizeof(buf), &info), -EINVAL);
	p.key = "policy";
	assert_true(vtrust_start_format(buf, sizeof(buf), &info) > 0);
	/* a zero-size buffer is too small */
	assert_int_equal(vtrust_start_format(buf, 0, &info), -E2BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_bank),
		cmocka_unit_test(test_no_tpm),
		cmocka_unit_test(test_five_banks),
		cmocka_unit_test(test_eight_sha512),
		cmocka_unit_test(test_bad_values),
	};

	memset(ones, 1, sizeof(ones));
	return UNIT_RUN(tests);
}
