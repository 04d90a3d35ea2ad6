// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The start entry's text (kernel/startfmt.c) against strings written out
 * from docs/FORMATS.md: 1 bank, no TPM (aggregate=none, with a lockdown
 * level), 5 banks, 8 SHA-512 banks (the TPM of review finding F8, longer
 * than the old 1024-byte buffer). Each goes through the sizing call, a
 * buffer of exactly the right size and a buffer one byte short (refused
 * with -E2BIG, left empty), once in buffers of their exact size (KASAN
 * sees any write past them) and once with 8 bytes of slack that must stay
 * untouched. Then the refusals: a value that would break the token syntax
 * (empty, or a space, '=', ',', control, DEL or non-ASCII byte), in a
 * parameter value, a parameter name, the lockdown level or an algorithm
 * name, gives -EINVAL and an empty buffer; and a zero-size buffer gives
 * -E2BIG.
 */
#include <linux/string.h>

#include "vtrust_kunit.h"
#include "startfmt.h"

static const u8 instance[16] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

static const u8 zeros[64];
static const u8 ones[64] = {
	[0 ... 63] = 1,
};

static const struct vtrust_start_param params[] = {
	{ "pcr", NULL, 11 },
	{ "hash", "sha256", 0 },
	{ "policy", "default", 0 },
	{ "require_tpm", NULL, 0 },
	{ "on_extend_error", "log", 0 },
};

/* 32 bytes of ones and of zeros, in hex */
#define ONES_32 \
	"0101010101010101010101010101010101010101010101010101010101010101"
#define ZEROS_32 \
	"0000000000000000000000000000000000000000000000000000000000000000"

#define INSTANCE_TEXT " instance=00112233445566778899aabbccddeeff"

#define PARAMS_TEXT                                             \
	" param.pcr=11 param.hash=sha256 param.policy=default" \
	" param.require_tpm=0 param.on_extend_error=log"

/* The hex of @size bytes @byte (0 or 1), in test-managed memory */
static const char *hex_of(struct kunit *test, u8 byte, unsigned int size)
{
	char *s = kunit_kmalloc(test, 2 * size + 1, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	for (i = 0; i < size; i++) {
		s[2 * i] = '0';
		s[2 * i + 1] = '0' + byte;
	}
	s[2 * size] = '\0';
	return s;
}

/*
 * Format @info: the sizing call, then into n + 1 bytes (the text), then
 * into n bytes (-E2BIG, empty). With @slack 0 the buffers have exactly
 * that size, for KASAN; with 8 the bytes past them must stay 'X'.
 */
static void check_in(struct kunit *test, const struct vtrust_start_info *info,
		     const char *want, size_t slack)
{
	size_t n = strlen(want);
	char *buf = kunit_kmalloc(test, n + 1 + slack, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);

	memset(buf, 'X', n + 1 + slack);
	KUNIT_EXPECT_EQ(test, vtrust_start_format(buf, n + 1, info), (int)n);
	KUNIT_EXPECT_STREQ(test, buf, want);
	/* nothing past the NUL */
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(buf + n + 1, 'X', slack), NULL);

	/* one byte short: refused, empty, nothing past the buffer */
	memset(buf, 'X', n + 1 + slack);
	KUNIT_EXPECT_EQ(test, vtrust_start_format(buf, n, info), -E2BIG);
	KUNIT_EXPECT_EQ(test, buf[0], '\0');
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(buf + n, 'X', 1 + slack), NULL);
	kunit_kfree(test, buf);
}

static void check(struct kunit *test, const struct vtrust_start_info *info,
		  const char *want)
{
	KUNIT_EXPECT_EQ(test, vtrust_start_format(NULL, 0, info),
			(int)strlen(want));
	check_in(test, info, want, 0);
	check_in(test, info, want, 8);
}

/*
 * check() the info of a TPM: @pcr, @agg, the @nr_prior banks of @prior,
 * the instance, @pol and all the parameters.
 */
static void check_tpm(struct kunit *test, u32 pcr,
		      const struct vtrust_start_digest *agg,
		      const struct vtrust_start_digest *prior,
		      unsigned int nr_prior,
		      const struct vtrust_start_digest *pol, const char *want)
{
	const struct vtrust_start_info info = {
		.pcr = pcr, .aggregate = agg, .prior = prior,
		.nr_prior = nr_prior, .instance = instance,
		.instance_size = 16, .policy = pol, .params = params,
		.nr_params = ARRAY_SIZE(params),
	};

	check(test, &info, want);
}

static void startfmt_test_one_bank(struct kunit *test)
{
	const struct vtrust_start_digest prior[] = { { "sha256", zeros, 32 } };
	const struct vtrust_start_digest agg = { "sha256", ones, 32 };
	const struct vtrust_start_digest pol = { "sha256", ones, 32 };

	check_tpm(test, 11, &agg, prior, 1, &pol,
		  "vtrust-start version=2 pcr=11 aggregate=sha256:" ONES_32
		  " prior=sha256:" ZEROS_32 INSTANCE_TEXT
		  " policy_digest=sha256:" ONES_32 PARAMS_TEXT);
}

static void startfmt_test_no_tpm(struct kunit *test)
{
	const struct vtrust_start_digest pol = { "sm3", ones, 32 };
	const struct vtrust_start_info info = {
		.pcr = 14, .instance = instance, .instance_size = 16,
		.policy = &pol, .lockdown = "integrity", .params = params,
		.nr_params = 1,
	};

	check(test, &info,
	      "vtrust-start version=2 pcr=14 aggregate=none prior=" INSTANCE_TEXT
	      " policy_digest=sm3:" ONES_32 " lockdown=integrity param.pcr=11");
}

static void startfmt_test_five_banks(struct kunit *test)
{
	static const char *const names[] = { "sha1", "sha256", "sha384",
					     "sha512", "sm3" };
	static const unsigned int sizes[] = { 20, 32, 48, 64, 32 };
	struct vtrust_start_digest prior[5];
	const struct vtrust_start_digest agg = { "sha384", ones, 48 };
	const struct vtrust_start_digest pol = { "sha384", zeros, 48 };
	const size_t cap = 2048;
	char *want = kunit_kmalloc(test, cap, GFP_KERNEL);
	const char *h[5];
	unsigned int i;
	size_t off;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, want);
	/* zeros, ones, zeros, ones, zeros */
	for (i = 0; i < 5; i++) {
		prior[i].alg = names[i];
		prior[i].digest = i % 2 ? ones : zeros;
		prior[i].size = sizes[i];
		h[i] = hex_of(test, i % 2, sizes[i]);
	}
	off = scnprintf(want, cap,
			"vtrust-start version=2 pcr=9 aggregate=sha384:%s",
			hex_of(test, 1, 48));
	off += scnprintf(want + off, cap - off, " prior=sha1:%s,sha256:%s",
			 h[0], h[1]);
	off += scnprintf(want + off, cap - off, ",sha384:%s,sha512:%s,sm3:%s",
			 h[2], h[3], h[4]);
	scnprintf(want + off, cap - off,
		  INSTANCE_TEXT " policy_digest=sha384:%s" PARAMS_TEXT,
		  hex_of(test, 0, 48));
	KUNIT_EXPECT_EQ(test, strlen(want), 833); /* counted with Python */
	check_tpm(test, 9, &agg, prior, 5, &pol, want);
}

/* Review F8: 8 SHA-512 banks made the old builder write 1270 bytes. */
static void startfmt_test_eight_sha512(struct kunit *test)
{
	struct vtrust_start_digest prior[8];
	const struct vtrust_start_digest agg = { "sha512", zeros, 64 };
	const struct vtrust_start_digest pol = { "sha512", zeros, 64 };
	const char *z = hex_of(test, 0, 64);
	const size_t cap = 4096;
	char *want = kunit_kmalloc(test, cap, GFP_KERNEL);
	size_t off = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, want);
	off += scnprintf(want + off, cap - off,
			 "vtrust-start version=2 pcr=11 aggregate=sha512:%s prior=",
			 z);
	for (i = 0; i < 8; i++) {
		prior[i] = (struct vtrust_start_digest){ "sha512", zeros, 64 };
		off += scnprintf(want + off, cap - off, "%ssha512:%s",
				 i ? "," : "", z);
	}
	scnprintf(want + off, cap - off,
		  INSTANCE_TEXT " policy_digest=sha512:%s" PARAMS_TEXT, z);
	/* longer than the old fixed 1024-byte buffer */
	KUNIT_EXPECT_GT(test, strlen(want), 1024);
	KUNIT_EXPECT_EQ(test, strlen(want), 1559); /* counted with Python */
	check_tpm(test, 11, &agg, prior, 8, &pol, want);
}

/* Values that would break the token syntax */
static const char *const bad_tokens[] = {
	"a b", "a=b", "a,b", "", "a\nb", "\x7f", "\xc3\xa9",
};

static void bad_token_desc(const char *const *t, char *desc)
{
	const char *s = *t;
	size_t n = 0;

	n += scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n, "\"");
	for (; *s; s++)
		n += scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n,
			       *s >= ' ' && *s <= '~' ? "%c" : "\\x%02x",
			       (u8)*s);
	scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n, "\"");
}

KUNIT_ARRAY_PARAM(bad_token, bad_tokens, bad_token_desc);

/* -EINVAL, into a buffer (left empty) or from the sizing call */
static void expect_einval(struct kunit *test,
			  const struct vtrust_start_info *info,
			  const char *where)
{
	char *buf = kunit_kmalloc(test, 512, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memset(buf, 'X', 512);
	KUNIT_EXPECT_EQ_MSG(test, vtrust_start_format(buf, 512, info), -EINVAL,
			    "in %s", where);
	KUNIT_EXPECT_EQ_MSG(test, buf[0], '\0', "in %s", where);
	KUNIT_EXPECT_EQ_MSG(test, vtrust_start_format(NULL, 0, info), -EINVAL,
			    "in %s", where);
	kunit_kfree(test, buf);
}

/* A bad token refused wherever a token goes */
static void startfmt_test_bad_token(struct kunit *test)
{
	const char *bad = *(const char *const *)test->param_value;
	struct vtrust_start_digest pol = { "sha256", zeros, 32 };
	struct vtrust_start_param p = { "policy", "default", 0 };
	struct vtrust_start_info info = {
		.pcr = 11, .instance = instance, .instance_size = 16,
		.policy = &pol, .params = &p, .nr_params = 1,
	};

	p.str = bad;
	expect_einval(test, &info, "a parameter value");
	p.str = "default";

	p.key = bad;
	expect_einval(test, &info, "a parameter name");
	p.key = "policy";

	info.lockdown = bad;
	expect_einval(test, &info, "the lockdown level");
	info.lockdown = NULL;

	pol.alg = bad;
	expect_einval(test, &info, "an algorithm name");
	pol.alg = "sha256";

	/* and the same info without it is fine */
	KUNIT_EXPECT_GT(test, vtrust_start_format(NULL, 0, &info), 0);
}

static void startfmt_test_key_and_zero_size(struct kunit *test)
{
	const struct vtrust_start_digest pol = { "sha256", zeros, 32 };
	struct vtrust_start_param p = { "po licy", "default", 0 };
	const struct vtrust_start_info info = {
		.pcr = 11, .instance = instance, .instance_size = 16,
		.policy = &pol, .params = &p, .nr_params = 1,
	};
	char buf[512];

	KUNIT_EXPECT_EQ(test, vtrust_start_format(buf, sizeof(buf), &info),
			-EINVAL);
	p.key = "policy";
	KUNIT_EXPECT_GT(test, vtrust_start_format(buf, sizeof(buf), &info), 0);
	/* a zero-size buffer is too small, and left alone */
	memset(buf, 'X', sizeof(buf));
	KUNIT_EXPECT_EQ(test, vtrust_start_format(buf, 0, &info), -E2BIG);
	KUNIT_EXPECT_EQ(test, buf[0], 'X');
}

static struct kunit_case startfmt_test_cases[] = {
	KUNIT_CASE(startfmt_test_one_bank),
	KUNIT_CASE(startfmt_test_no_tpm),
	KUNIT_CASE(startfmt_test_five_banks),
	KUNIT_CASE(startfmt_test_eight_sha512),
	KUNIT_CASE_PARAM(startfmt_test_bad_token, bad_token_gen_params),
	KUNIT_CASE(startfmt_test_key_and_zero_size),
	{}
};

static struct kunit_suite startfmt_test_suite = {
	.name = "vtrust_startfmt",
	.test_cases = startfmt_test_cases,
};

kunit_test_suite(startfmt_test_suite);
