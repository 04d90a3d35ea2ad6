// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The policy language (kernel/policy.c): valid rules and their normal forms,
 * round trips (format, parse back, same rule and same text), malformed rules
 * (each refused with its line, word and reason, and no rule written that the
 * API does not promise), every rule of the malformed-policy corpus
 * (tests/data/bad-policy-rules.txt) refused alone with -EINVAL, line and
 * comment handling, the size limits, formatting into short buffers, the func
 * names, the built-in policies, IMA's own policy lines, the match semantics,
 * and random policies checked line by line against the whole.
 *
 * Texts are always passed in allocations of exactly their length (no NUL),
 * rule arrays in allocations of exactly @max rules, and the buffers of the
 * short-buffer formatting case in allocations of exactly @size bytes, so
 * KASAN sees any access past them.
 */
#include "vtrust_kunit.h"
#include "policy.h"

#define PT_SENTINEL 0xa5
#define PT_UUID "8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6"
#define PT_UUID_BYTES                                                     \
	{ 0x8b, 0xcb, 0xe3, 0x94, 0x4f, 0x13, 0x41, 0x44, 0xbe, 0x8e, 0x5a, \
	  0xa9, 0xea, 0x2c, 0xe2, 0xf6 }

/*
 * @s (@len bytes) appended to a parameter description at @n, escaped: a KTAP
 * result is one line, and a '#' in it would start a directive.
 */
static size_t pt_escape(char *desc, size_t n, const char *s, size_t len)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < len && n < KUNIT_PARAM_DESC_SIZE - 8; i++) {
		c = s[i];
		if (c == '\n' || c == '\t') {
			desc[n++] = '\\';
			desc[n++] = c == '\n' ? 'n' : 't';
		} else if (c < 0x20 || c >= 0x7f || c == '#' || c == '\\') {
			n += scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n,
				       "\\x%02x", c);
		} else {
			desc[n++] = c;
		}
	}
	desc[n] = '\0';
	return n;
}

static void pt_desc(const char *s, char *desc)
{
	pt_escape(desc, 0, s, strlen(s));
}

static struct vtrust_rule *pt_rules(struct kunit *test, unsigned int n)
{
	struct vtrust_rule *rules;

	rules = kunit_kmalloc_array(test, n, sizeof(*rules), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rules);
	return rules;
}

/* Parse a copy of @text in exactly @len bytes (0: ZERO_SIZE_PTR). */
static int pt_parse_n(struct kunit *test, const char *text, size_t len,
		      struct vtrust_rule *rules, unsigned int max,
		      struct vtrust_policy_error *err)
{
	char *copy = vt_dup_exact(test, text, len);
	int ret;

	ret = vtrust_policy_parse(copy, len, rules, max, err);
	kunit_kfree(test, copy);
	return ret;
}

static int pt_parse(struct kunit *test, const char *text,
		    struct vtrust_rule *rules, unsigned int max,
		    struct vtrust_policy_error *err)
{
	return pt_parse_n(test, text, strlen(text), rules, max, err);
}

/* pt_parse() into @rules all PT_SENTINEL (if any) with *@err zeroed */
static int pt_parse_clean(struct kunit *test, const char *text,
			  struct vtrust_rule *rules, unsigned int max,
			  struct vtrust_policy_error *err)
{
	if (rules)
		memset(rules, PT_SENTINEL, max * sizeof(*rules));
	memset(err, 0, sizeof(*err));
	return pt_parse(test, text, rules, max, err);
}

/* @line must be exactly one rule; it is returned in *@r. */
static void pt_parse_one(struct kunit *test, const char *line,
			 struct vtrust_rule *r)
{
	struct vtrust_policy_error err = { 0 };
	struct vtrust_rule *one = pt_rules(test, 1);
	int ret;

	ret = pt_parse(test, line, one, 1, &err);
	KUNIT_ASSERT_EQ_MSG(test, ret, 1, "'%s': line %u '%s': %s", line,
			    err.line, err.token,
			    err.reason ? err.reason : "-");
	*r = *one;
	kunit_kfree(test, one);
}

static void pt_format(struct kunit *test, const struct vtrust_rule *r,
		      char *buf)
{
	int n = vtrust_rule_format(r, buf, VTRUST_RULE_FORMAT_MAX);

	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_ASSERT_LT(test, n, VTRUST_RULE_FORMAT_MAX);
	KUNIT_ASSERT_EQ(test, strlen(buf), (size_t)n);
}

/* The normal form of @r parses back to @r, and is its own normal form. */
static void pt_round_trip(struct kunit *test, const struct vtrust_rule *r)
{
	char buf[VTRUST_RULE_FORMAT_MAX], buf2[VTRUST_RULE_FORMAT_MAX];
	struct vtrust_rule back;

	pt_format(test, r, buf);
	pt_parse_one(test, buf, &back);
	VT_EXPECT_MEMEQ(test, &back, r, sizeof(*r));
	pt_format(test, &back, buf2);
	KUNIT_EXPECT_STREQ(test, buf, buf2);
}

static void pt_expect_error(struct kunit *test,
			    const struct vtrust_policy_error *err,
			    unsigned int line, const char *rule,
			    const char *token, const char *reason)
{
	KUNIT_EXPECT_EQ_MSG(test, err->line, line, "'%s'", rule);
	KUNIT_EXPECT_STREQ_MSG(test, err->token, token, "'%s'", rule);
	KUNIT_ASSERT_NOT_NULL_MSG(test, err->reason, "'%s'", rule);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(err->reason, reason),
				  "'%s': reason '%s', want '%s'", rule,
				  err->reason, reason);
}

/* rules[@from] up to rules[@to] still hold PT_SENTINEL. */
static void pt_expect_untouched(struct kunit *test,
				const struct vtrust_rule *rules,
				unsigned int from, unsigned int to)
{
	const u8 *p = (const u8 *)&rules[from], *bad;
	size_t len = (to - from) * sizeof(*rules);

	bad = memchr_inv(p, PT_SENTINEL, len);
	KUNIT_EXPECT_PTR_EQ_MSG(test, bad, NULL, "rule %zu written",
				from + (bad ? bad - p : 0) / sizeof(*rules));
}

static void policy_test_layout(struct kunit *test)
{
	struct vtrust_rule r;

	/* fixed size, no padding: comparing bytes compares rules */
	KUNIT_EXPECT_EQ(test, sizeof(r), (size_t)48);
	KUNIT_EXPECT_EQ(test,
			sizeof(r.action) + sizeof(r.func) + sizeof(r.uid_op) +
				sizeof(r.euid_op) + sizeof(r.fowner_op) +
				sizeof(r.pcr) + sizeof(r.flags) +
				sizeof(r.uid) + sizeof(r.euid) +
				sizeof(r.fowner) + sizeof(r.reserved) +
				sizeof(r.fsmagic) + sizeof(r.fsuuid),
			sizeof(r));
}

/* Valid rules and their normal forms */
struct pt_valid {
	const char *in;
	const char *normal;
};

static const struct pt_valid valid_cases[] = {
	{ "measure", "measure" },
	{ "dont_measure", "dont_measure" },
	{ "dont_appraise", "dont_appraise" },
	{ "appraise appraise_type=baseline",
	  "appraise appraise_type=baseline" },
	{ "appraise func=FIRMWARE_CHECK appraise_type=sig",
	  "appraise func=FIRMWARE_CHECK appraise_type=sig" },
	{ "appraise_type=sig uid=0 appraise func=FIRMWARE_CHECK",
	  "appraise func=FIRMWARE_CHECK uid=0 appraise_type=sig" },
	{ "appraise\tfunc=FIRMWARE_CHECK fsmagic=EF53 appraise_type=sig",
	  "appraise func=FIRMWARE_CHECK fsmagic=0xef53 appraise_type=sig" },
	{ "measure func=MODULE_CHECK", "measure func=MODULE_CHECK" },
	{ "measure func=FIRMWARE_CHECK", "measure func=FIRMWARE_CHECK" },
	{ "measure func=KEXEC_KERNEL_CHECK",
	  "measure func=KEXEC_KERNEL_CHECK" },
	{ "measure func=KEXEC_INITRAMFS_CHECK",
	  "measure func=KEXEC_INITRAMFS_CHECK" },
	{ "measure func=POLICY_CHECK", "measure func=POLICY_CHECK" },
	{ "measure func=KEY_CHECK", "measure func=KEY_CHECK" },
	{ "measure func=BPF_CHECK", "measure func=BPF_CHECK" },
	{ "measure func=KEXEC_LOAD", "measure func=KEXEC_LOAD" },
	{ "  measure\tfunc=FIRMWARE_CHECK \t ", "measure func=FIRMWARE_CHECK" },
	{ "func=MODULE_CHECK measure", "measure func=MODULE_CHECK" },
	{ "measure uid=0", "measure uid=0" },
	{ "measure uid<1000", "measure uid<1000" },
	{ "measure uid>0", "measure uid>0" },
	{ "measure uid=4294967294", "measure uid=4294967294" },
	{ "measure uid=007", "measure uid=7" },
	{ "measure euid=0", "measure euid=0" },
	{ "measure euid<1000", "measure euid<1000" },
	{ "measure euid>999", "measure euid>999" },
	{ "measure fowner=0", "measure fowner=0" },
	{ "measure fowner<1000", "measure fowner<1000" },
	{ "measure fowner>4294967294", "measure fowner>4294967294" },
	{ "measure uid=0 euid=0", "measure uid=0 euid=0" },
	{ "measure fsmagic=9fa0", "measure fsmagic=0x9fa0" },
	{ "measure fsmagic=0X9FA0", "measure fsmagic=0x9fa0" },
	{ "dont_measure fsmagic=0x01021994", "dont_measure fsmagic=0x1021994" },
	{ "measure fsmagic=0", "measure fsmagic=0x0" },
	{ "measure fsmagic=0x0", "measure fsmagic=0x0" },
	{ "measure fsmagic=0xffffffffffffffff",
	  "measure fsmagic=0xffffffffffffffff" },
	{ "measure fsmagic=0x00000000000000000000001", "measure fsmagic=0x1" },
	{ "measure fsuuid=8BCBE394-4F13-4144-BE8E-5AA9EA2CE2F6",
	  "measure fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6" },
	{ "measure fsuuid=00000000-0000-0000-0000-000000000000",
	  "measure fsuuid=00000000-0000-0000-0000-000000000000" },
	{ "measure pcr=8", "measure pcr=8" },
	{ "measure pcr=9", "measure pcr=9" },
	{ "measure pcr=11", "measure pcr=11" },
	{ "measure pcr=15", "measure pcr=15" },
	{ "measure pcr=012", "measure pcr=12" },
	{ "measure template=ima-ng", "measure template=ima-ng" },
	{ "pcr=12 template=ima-ng fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6 "
	  "fsmagic=0x9fa0 fowner>5 euid<7 uid=0 func=MODULE_CHECK measure",
	  "measure func=MODULE_CHECK uid=0 euid<7 fowner>5 fsmagic=0x9fa0 "
	  "fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6 pcr=12 "
	  "template=ima-ng" },
	{ "appraise_type=baseline uid=0 func=MODULE_CHECK appraise",
	  "appraise func=MODULE_CHECK uid=0 appraise_type=baseline" },
	{ "dont_appraise func=FIRMWARE_CHECK fsmagic=0x9fa0",
	  "dont_appraise func=FIRMWARE_CHECK fsmagic=0x9fa0" },
	{ "measure func=KEY_CHECK uid=0 pcr=12",
	  "measure func=KEY_CHECK uid=0 pcr=12" },
	{ "measure func=BPF_CHECK euid>0", "measure func=BPF_CHECK euid>0" },
	{ "dont_measure func=KEXEC_LOAD", "dont_measure func=KEXEC_LOAD" },
	{ "dont_measure func=KEY_CHECK", "dont_measure func=KEY_CHECK" },
	{ "appraise func=BPF_CHECK appraise_type=baseline",
	  "appraise func=BPF_CHECK appraise_type=baseline" },
	{ "appraise func=KEXEC_LOAD appraise_type=baseline",
	  "appraise func=KEXEC_LOAD appraise_type=baseline" },
	{ "appraise fowner=0 appraise_type=baseline",
	  "appraise fowner=0 appraise_type=baseline" },
	{ "dont_appraise func=POLICY_CHECK fowner<1 fsmagic=1 "
	  "fsuuid=ffffffff-ffff-ffff-ffff-ffffffffffff",
	  "dont_appraise func=POLICY_CHECK fowner<1 fsmagic=0x1 "
	  "fsuuid=ffffffff-ffff-ffff-ffff-ffffffffffff" },
};

static void valid_desc(const struct pt_valid *c, char *desc)
{
	pt_desc(c->in, desc);
}

KUNIT_ARRAY_PARAM(valid, valid_cases, valid_desc);

static void policy_test_valid(struct kunit *test)
{
	const struct pt_valid *c = test->param_value;
	char buf[VTRUST_RULE_FORMAT_MAX];
	struct vtrust_rule r;

	pt_parse_one(test, c->in, &r);
	pt_format(test, &r, buf);
	KUNIT_EXPECT_STREQ(test, buf, c->normal);
	pt_round_trip(test, &r);
}

static void policy_test_fields(struct kunit *test)
{
	static const u8 uuid[16] = PT_UUID_BYTES;
	struct vtrust_rule r;

	pt_parse_one(test,
		     "measure func=KEXEC_KERNEL_CHECK uid<1000 euid>2 fowner=3 "
		     "fsmagic=0x1021994 fsuuid=" PT_UUID " pcr=14 "
		     "template=ima-ng",
		     &r);
	KUNIT_EXPECT_EQ(test, r.action, VTRUST_MEASURE);
	KUNIT_EXPECT_EQ(test, r.func, VTRUST_KEXEC_KERNEL_CHECK);
	KUNIT_EXPECT_EQ(test, r.uid_op, VTRUST_OP_LT);
	KUNIT_EXPECT_EQ(test, r.uid, 1000U);
	KUNIT_EXPECT_EQ(test, r.euid_op, VTRUST_OP_GT);
	KUNIT_EXPECT_EQ(test, r.euid, 2U);
	KUNIT_EXPECT_EQ(test, r.fowner_op, VTRUST_OP_EQ);
	KUNIT_EXPECT_EQ(test, r.fowner, 3U);
	KUNIT_EXPECT_EQ(test, r.flags,
			VTRUST_RULE_FSMAGIC | VTRUST_RULE_FSUUID |
				VTRUST_RULE_TEMPLATE);
	KUNIT_EXPECT_EQ(test, r.fsmagic, 0x1021994ULL);
	VT_EXPECT_MEMEQ(test, r.fsuuid, uuid, 16);
	KUNIT_EXPECT_EQ(test, r.pcr, 14);
	KUNIT_EXPECT_EQ(test, r.reserved, 0U);

	pt_parse_one(test, "appraise appraise_type=baseline", &r);
	KUNIT_EXPECT_EQ(test, r.action, VTRUST_APPRAISE);
	KUNIT_EXPECT_EQ(test, r.func, VTRUST_FUNC_NONE);
	KUNIT_EXPECT_EQ(test, r.flags, VTRUST_RULE_BASELINE);
	KUNIT_EXPECT_EQ(test, r.uid_op, VTRUST_OP_NONE);
	KUNIT_EXPECT_EQ(test, r.pcr, 0);

	pt_parse_one(test, "dont_appraise", &r);
	KUNIT_EXPECT_EQ(test, r.action, VTRUST_DONT_APPRAISE);
	pt_parse_one(test, "dont_measure", &r);
	KUNIT_EXPECT_EQ(test, r.action, VTRUST_DONT_MEASURE);

	/* uid 0 with = is a condition, distinct from no condition */
	pt_parse_one(test, "measure fowner=0", &r);
	KUNIT_EXPECT_EQ(test, r.fowner_op, VTRUST_OP_EQ);
	KUNIT_EXPECT_EQ(test, r.fowner, 0U);
	pt_parse_one(test, "measure fsmagic=0", &r);
	KUNIT_EXPECT_EQ(test, r.flags, VTRUST_RULE_FSMAGIC);
	KUNIT_EXPECT_EQ(test, r.fsmagic, 0ULL);
}

/*
 * Malformed rules: the word reported ("" for the rule as a whole) and a
 * fragment of the reason.
 */
struct pt_bad {
	const char *rule;
	const char *token;
	const char *reason;
};

static const struct pt_bad malformed_cases[] = {
	/* actions and keywords */
	{ "measur", "measur", "unknown keyword" },
	{ "MEASURE", "MEASURE", "unknown keyword" },
	{ "Measure func=MODULE_CHECK", "Measure", "unknown keyword" },
	{ "measure func=MODULE_CHECK foo", "foo", "unknown keyword" },
	{ "measure=", "measure=", "unknown keyword" },
	{ "=measure", "=measure", "unknown keyword" },
	{ "measure;", "measure;", "unknown keyword" },
	{ "measure, func=MODULE_CHECK", "measure,", "unknown keyword" },
	{ "measure func=MODULE_CHECK # trailing comment", "#",
	  "unknown keyword" },
	{ "measure FUNC=MODULE_CHECK", "FUNC=MODULE_CHECK", "unknown keyword" },
	{ "measure func:MODULE_CHECK", "func:MODULE_CHECK", "unknown keyword" },
	{ "measure uid!=5", "uid!=5", "unknown keyword" },
	{ "measure uid", "uid", "unknown keyword" },
	{ "measure \xc3\xa9", "??", "unknown keyword" },
	{ "measure measure", "measure", "more than one action" },
	{ "measure dont_measure", "dont_measure", "more than one action" },
	{ "dont_appraise appraise", "appraise", "more than one action" },
	{ "appraise appraise_type=baseline measure", "measure",
	  "more than one action" },
	{ "dont_measure dont_measure", "dont_measure", "more than one action" },
	{ "func=MODULE_CHECK", "", "no action" },
	{ "func=MODULE_CHECK uid=0", "", "no action" },
	{ "uid=0", "", "no action" },
	{ "pcr=11", "", "no action" },
	{ "appraise_type=baseline", "", "no action" },
	/* duplicates */
	{ "measure func=MODULE_CHECK func=FIRMWARE_CHECK",
	  "func=FIRMWARE_CHECK", "duplicate" },
	{ "measure func=MODULE_CHECK func=MODULE_CHECK", "func=MODULE_CHECK",
	  "duplicate" },
	{ "measure uid=0 uid=1", "uid=1", "duplicate" },
	{ "measure uid=0 uid<5", "uid<5", "duplicate" },
	{ "measure uid>0 uid<5", "uid<5", "duplicate" },
	{ "measure euid=0 euid>1", "euid>1", "duplicate" },
	{ "measure fowner=0 fowner=0", "fowner=0", "duplicate" },
	{ "measure fowner<9 fowner>1", "fowner>1", "duplicate" },
	{ "measure fsmagic=0x9fa0 fsmagic=0x9fa0", "fsmagic=0x9fa0",
	  "duplicate" },
	{ "measure fsuuid=" PT_UUID " fsuuid=" PT_UUID, "fsuuid=" PT_UUID,
	  "duplicate" },
	{ "measure pcr=11 pcr=12", "pcr=12", "duplicate" },
	{ "measure template=ima-ng template=ima-ng", "template=ima-ng",
	  "duplicate" },
	{ "appraise appraise_type=baseline appraise_type=baseline",
	  "appraise_type=baseline", "duplicate" },
	/* func= */
	{ "measure func=", "func=", "missing value" },
	{ "measure func= MODULE_CHECK", "func=", "missing value" },
	{ "measure func=module_check", "func=module_check", "unknown func" },
	{ "measure func=BPRM_CHECK", "func=BPRM_CHECK", "unknown func" },
	{ "measure func=FILE_CHECK", "func=FILE_CHECK", "unknown func" },
	{ "measure func=MMAP_CHECK", "func=MMAP_CHECK", "unknown func" },
	{ "measure func=FILE_MMAP", "func=FILE_MMAP", "unknown func" },
	{ "measure func=KEXEC_CMDLINE", "func=KEXEC_CMDLINE", "unknown func" },
	{ "measure func=CRITICAL_DATA", "func=CRITICAL_DATA", "unknown func" },
	{ "measure func=MODULE_CHECKX", "func=MODULE_CHECKX", "unknown func" },
	{ "measure func=MODULE", "func=MODULE", "unknown func" },
	{ "measure func=NONE", "func=NONE", "unknown func" },
	{ "measure func==MODULE_CHECK", "func==MODULE_CHECK", "unknown func" },
	{ "measure func=MODULE_CHECK,FIRMWARE_CHECK",
	  "func=MODULE_CHECK,FIRMWARE_CHECK", "unknown func" },
	{ "measure func=MODULE_CHECK|KEY_CHECK", "func=MODULE_CHECK|KEY_CHECK",
	  "unknown func" },
	/* uid, euid, fowner */
	{ "measure uid=", "uid=", "missing value" },
	{ "measure uid=abc", "uid=abc", "not a decimal" },
	{ "measure uid=-1", "uid=-1", "not a decimal" },
	{ "measure uid=+1", "uid=+1", "not a decimal" },
	{ "measure uid=4294967295", "uid=4294967295", "out of range" },
	{ "measure uid=4294967296", "uid=4294967296", "out of range" },
	{ "measure uid=99999999999999999999999", "uid=99999999999999999999999",
	  "out of range" },
	{ "measure uid=0x10", "uid=0x10", "not a decimal" },
	{ "measure uid=1.0", "uid=1.0", "not a decimal" },
	{ "measure uid=1a", "uid=1a", "not a decimal" },
	{ "measure uid<", "uid<", "missing value" },
	{ "measure uid>x", "uid>x", "not a decimal" },
	{ "measure uid=>1", "uid=>1", "not a decimal" },
	{ "measure uid<=5", "uid<=5", "not a decimal" },
	{ "measure euid=", "euid=", "missing value" },
	{ "measure euid<4294967295", "euid<4294967295", "out of range" },
	{ "measure euid>-0", "euid>-0", "not a decimal" },
	{ "measure fowner=", "fowner=", "missing value" },
	{ "measure fowner=root", "fowner=root", "not a decimal" },
	{ "measure fowner>4294967296", "fowner>4294967296", "out of range" },
	{ "measure fowner<1e3", "fowner<1e3", "not a decimal" },
	/* fsmagic */
	{ "measure fsmagic=", "fsmagic=", "missing value" },
	{ "measure fsmagic=0x", "fsmagic=0x", "missing value" },
	{ "measure fsmagic=0X", "fsmagic=0X", "missing value" },
	{ "measure fsmagic=xyz", "fsmagic=xyz", "not a hex" },
	{ "measure fsmagic=0x9fg0", "fsmagic=0x9fg0", "not a hex" },
	{ "measure fsmagic=0x10000000000000000", "fsmagic=0x10000000000000000",
	  "out of range" },
	{ "measure fsmagic=-1", "fsmagic=-1", "not a hex" },
	{ "measure fsmagic=0x-1", "fsmagic=0x-1", "not a hex" },
	{ "measure fsmagic=0xx9fa0", "fsmagic=0xx9fa0", "not a hex" },
	{ "measure fsmagic=x9fa0", "fsmagic=x9fa0", "not a hex" },
	{ "measure fsmagic=0x9fa0h", "fsmagic=0x9fa0h", "not a hex" },
	/* fsuuid */
	{ "measure fsuuid=", "fsuuid=", "not a UUID" },
	{ "measure fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f",
	  "fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f", "not a UUID" },
	{ "measure fsuuid=" PT_UUID "6", "fsuuid=" PT_UUID "6", "not a UUID" },
	{ "measure fsuuid=8bcbe3944f134144be8e5aa9ea2ce2f6",
	  "fsuuid=8bcbe3944f134144be8e5aa9ea2ce2f6", "not a UUID" },
	{ "measure fsuuid={" PT_UUID "}", "fsuuid={" PT_UUID "}",
	  "not a UUID" },
	{ "measure fsuuid=8bcbe394-4f13-4144-be8e_5aa9ea2ce2f6",
	  "fsuuid=8bcbe394-4f13-4144-be8e_5aa9ea2ce2f6", "not a UUID" },
	{ "measure fsuuid=8bcbe394-4f134-144-be8e-5aa9ea2ce2f6",
	  "fsuuid=8bcbe394-4f134-144-be8e-5aa9ea2ce2f6", "not a UUID" },
	{ "measure fsuuid=8bcbe39g-4f13-4144-be8e-5aa9ea2ce2f6",
	  "fsuuid=8bcbe39g-4f13-4144-be8e-5aa9ea2ce2f6", "not a UUID" },
	{ "measure fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2fz",
	  "fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2fz", "not a UUID" },
	{ "measure fsuuid=-8bcbe394-4f13-4144-be8e-5aa9ea2ce2f",
	  "fsuuid=-8bcbe394-4f13-4144-be8e-5aa9ea2ce2f", "not a UUID" },
	{ "measure fsuuid=0x8bcbe394-4f13-4144-be8e-5aa9ea2ce2",
	  "fsuuid=0x8bcbe394-4f13-4144-be8e-5aa9ea2ce2", "not a UUID" },
	/* pcr */
	{ "measure pcr=", "pcr=", "missing value" },
	{ "measure pcr=0", "pcr=0", "pcr must be" },
	{ "measure pcr=7", "pcr=7", "pcr must be" },
	{ "measure pcr=10", "pcr=10", "pcr must be" },
	{ "measure pcr=16", "pcr=16", "pcr must be" },
	{ "measure pcr=17", "pcr=17", "pcr must be" },
	{ "measure pcr=23", "pcr=23", "pcr must be" },
	{ "measure pcr=24", "pcr=24", "pcr must be" },
	{ "measure pcr=256", "pcr=256", "pcr must be" },
	{ "measure pcr=267", "pcr=267", "pcr must be" },
	{ "measure pcr=-1", "pcr=-1", "not a decimal" },
	{ "measure pcr=11a", "pcr=11a", "not a decimal" },
	{ "measure pcr=4294967307", "pcr=4294967307", "out of range" },
	{ "measure pcr=0x0b", "pcr=0x0b", "not a decimal" },
	/* template */
	{ "measure template=", "template=", "only template" },
	{ "measure template=ima", "template=ima", "only template" },
	{ "measure template=ima-sig", "template=ima-sig", "only template" },
	{ "measure template=ima-buf", "template=ima-buf", "only template" },
	{ "measure template=IMA-NG", "template=IMA-NG", "only template" },
	{ "measure template=ima-ngv2", "template=ima-ngv2", "only template" },
	/* appraise_type */
	{ "appraise appraise_type=", "appraise_type=", "appraise_type is baseline or sig" },
	{ "appraise appraise_type=imasig", "appraise_type=imasig",
	  "appraise_type is baseline or sig" },
	{ "appraise appraise_type=imasig|modsig", "appraise_type=imasig|modsig",
	  "appraise_type is baseline or sig" },
	{ "appraise appraise_type=sigv3", "appraise_type=sigv3",
	  "appraise_type is baseline or sig" },
	{ "appraise appraise_type=Baseline", "appraise_type=Baseline",
	  "appraise_type is baseline or sig" },
	/* options that do not fit the action */
	{ "dont_measure pcr=11", "pcr=11", "pcr= only on measure" },
	{ "appraise pcr=11 appraise_type=baseline", "pcr=11",
	  "pcr= only on measure" },
	{ "dont_appraise pcr=12", "pcr=12", "pcr= only on measure" },
	{ "dont_measure template=ima-ng", "template=ima-ng",
	  "template= only on measure" },
	{ "appraise template=ima-ng appraise_type=baseline", "template=ima-ng",
	  "template= only on measure" },
	{ "measure appraise_type=baseline", "appraise_type=baseline",
	  "only on appraise" },
	{ "dont_measure appraise_type=baseline", "appraise_type=baseline",
	  "only on appraise" },
	{ "dont_appraise appraise_type=baseline", "appraise_type=baseline",
	  "only on appraise" },
	{ "appraise", "appraise", "needs appraise_type=baseline" },
	{ "appraise appraise_type=sig", "appraise_type=sig",
	  "only with func=FIRMWARE_CHECK" },
	{ "appraise func=MODULE_CHECK appraise_type=sig", "appraise_type=sig",
	  "only with func=FIRMWARE_CHECK" },
	{ "appraise func=KEXEC_KERNEL_CHECK appraise_type=sig",
	  "appraise_type=sig", "only with func=FIRMWARE_CHECK" },
	{ "measure func=FIRMWARE_CHECK appraise_type=sig", "appraise_type=sig",
	  "only on appraise" },
	{ "dont_appraise func=FIRMWARE_CHECK appraise_type=sig",
	  "appraise_type=sig", "only on appraise" },
	{ "appraise func=FIRMWARE_CHECK appraise_type=Sig", "appraise_type=Sig",
	  "appraise_type is baseline or sig" },
	{ "appraise func=FIRMWARE_CHECK appraise_type=sig appraise_type=sig",
	  "appraise_type=sig", "duplicate" },
	{ "appraise func=FIRMWARE_CHECK appraise_type=sig "
	  "appraise_type=baseline", "appraise_type=baseline", "duplicate" },
	{ "appraise func=MODULE_CHECK", "appraise",
	  "needs appraise_type=baseline" },
	{ "func=FIRMWARE_CHECK appraise uid=0", "appraise",
	  "needs appraise_type=baseline" },
	/* funcs and what they allow */
	{ "appraise func=KEY_CHECK appraise_type=baseline", "func=KEY_CHECK",
	  "KEY_CHECK" },
	{ "dont_appraise func=KEY_CHECK", "func=KEY_CHECK", "KEY_CHECK" },
	{ "measure func=KEY_CHECK fowner=0", "fowner=0", "without a file" },
	{ "measure func=KEY_CHECK fsmagic=0x9fa0", "fsmagic=0x9fa0",
	  "without a file" },
	{ "measure func=BPF_CHECK fsuuid=" PT_UUID, "fsuuid=" PT_UUID,
	  "without a file" },
	{ "measure func=KEXEC_LOAD fowner<1000", "fowner<1000",
	  "without a file" },
	{ "dont_measure fsmagic=0x9fa0 func=BPF_CHECK", "fsmagic=0x9fa0",
	  "without a file" },
	{ "appraise func=KEXEC_LOAD fowner=0 appraise_type=baseline",
	  "fowner=0", "without a file" },
	/* IMA's keywords that vtrust does not have */
	{ "audit func=MODULE_CHECK", "audit", "IMA keyword" },
	{ "hash", "hash", "IMA keyword" },
	{ "dont_hash", "dont_hash", "IMA keyword" },
	{ "measure mask=MAY_READ", "mask=MAY_READ", "IMA keyword" },
	{ "measure gid=0", "gid=0", "IMA keyword" },
	{ "measure egid>0", "egid>0", "IMA keyword" },
	{ "measure fgroup=0", "fgroup=0", "IMA keyword" },
	{ "measure fsname=tmpfs", "fsname=tmpfs", "IMA keyword" },
	{ "measure subj_user=system_u", "subj_user=system_u", "IMA keyword" },
	{ "measure obj_type=var_log_t", "obj_type=var_log_t", "IMA keyword" },
	{ "measure func=KEY_CHECK keyrings=.ima", "keyrings=.ima",
	  "IMA keyword" },
	{ "measure digest_type=verity", "digest_type=verity", "IMA keyword" },
	{ "appraise permit_directio appraise_type=baseline", "permit_directio",
	  "IMA keyword" },
	{ "appraise appraise_flag=check_blacklist appraise_type=baseline",
	  "appraise_flag=check_blacklist", "IMA keyword" },
	{ "appraise appraise_algos=sha256 appraise_type=baseline",
	  "appraise_algos=sha256", "IMA keyword" },
	{ "measure label=selinux", "label=selinux", "IMA keyword" },
	/* control characters */
	{ "measure\r", "measure?", "control character" },
	{ "measure func=MODULE_CHECK\r", "func=MODULE_CHECK?",
	  "control character" },
	{ "measure\vfunc=MODULE_CHECK", "measure?func=MODULE_CHECK",
	  "control character" },
	{ "measure\x7f", "measure?", "control character" },
	{ "measure \x01", "?", "control character" },
	{ "measure\ffunc=KEY_CHECK", "measure?func=KEY_CHECK",
	  "control character" },
	{ "measure func=MODULE_CHECK\x1b[31m", "func=MODULE_CHECK?[31m",
	  "control character" },
};

static_assert(ARRAY_SIZE(malformed_cases) >= 100);

static void bad_desc(const struct pt_bad *c, char *desc)
{
	pt_desc(c->rule, desc);
}

KUNIT_ARRAY_PARAM(malformed, malformed_cases, bad_desc);

static void policy_test_malformed(struct kunit *test)
{
	static const char head[] = "measure func=MODULE_CHECK\n"
				   "\n"
				   "  # a comment\n"
				   "dont_measure uid=0\n";
	static const char tail[] = "\nmeasure\n";
	const struct pt_bad *c = test->param_value;
	struct vtrust_rule *rules = pt_rules(test, 8);
	struct vtrust_policy_error err;
	size_t size = strlen(head) + strlen(c->rule) + strlen(tail) + 1, j;
	char *text = kunit_kmalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, text);

	/* alone, with and without a newline, and only checked */
	KUNIT_EXPECT_EQ(test, pt_parse_clean(test, c->rule, rules, 8, &err),
			-EINVAL);
	pt_expect_error(test, &err, 1, c->rule, c->token, c->reason);
	pt_expect_untouched(test, rules, 0, 8);

	snprintf(text, size, "%s\n", c->rule);
	KUNIT_EXPECT_EQ(test, pt_parse_clean(test, text, NULL, 0, &err),
			-EINVAL);
	pt_expect_error(test, &err, 1, c->rule, c->token, c->reason);

	/* line 5 of a policy: the two rules before it only */
	snprintf(text, size, "%s%s%s", head, c->rule, tail);
	KUNIT_EXPECT_EQ(test, pt_parse_clean(test, text, rules, 8, &err),
			-EINVAL);
	pt_expect_error(test, &err, 5, c->rule, c->token, c->reason);
	KUNIT_EXPECT_EQ(test, rules[0].func, VTRUST_MODULE_CHECK);
	KUNIT_EXPECT_EQ(test, rules[1].action, VTRUST_DONT_MEASURE);
	pt_expect_untouched(test, rules, 2, 8);

	/* no error structure: same result */
	KUNIT_EXPECT_EQ(test, pt_parse(test, text, rules, 8, NULL), -EINVAL);

	/* every truncation of the bad line parses or fails cleanly */
	for (j = 0; j <= strlen(c->rule); j++)
		pt_parse_n(test, c->rule, j, rules, 8, &err);
}

/* The malformed-policy corpus, generated by scripts/kunit */
static const char *const corpus_rules[] = {
#include "bad_policy_rules.h"
};

static_assert(ARRAY_SIZE(corpus_rules) > 0);

static void corpus_desc(const char *const *rule, char *desc)
{
	pt_desc(*rule, desc);
}

KUNIT_ARRAY_PARAM(corpus, corpus_rules, corpus_desc);

/*
 * Each rule alone is refused as malformed (-EINVAL, on line 1, with a
 * reason), the same way when only checked, and no rule is written; after a
 * good rule, only the good rule is.
 */
static void policy_test_corpus(struct kunit *test)
{
	const char *rule = *(const char *const *)test->param_value;
	struct vtrust_policy_error err, err2;
	struct vtrust_rule *rules = pt_rules(test, 8);
	size_t size = strlen(rule) + 10;
	char *text = kunit_kmalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, text);

	KUNIT_EXPECT_EQ(test, pt_parse_clean(test, rule, rules, 8, &err),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err.line, 1U);
	KUNIT_EXPECT_NOT_NULL(test, err.reason);
	pt_expect_untouched(test, rules, 0, 8);

	KUNIT_EXPECT_EQ(test, pt_parse_clean(test, rule, NULL, 0, &err2),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err2.line, 1U);
	KUNIT_EXPECT_STREQ(test, err2.token, err.token);
	KUNIT_EXPECT_PTR_EQ(test, err2.reason, err.reason);

	snprintf(text, size, "measure\n%s\n", rule);
	KUNIT_EXPECT_EQ(test, pt_parse_clean(test, text, rules, 8, &err2),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, err2.line, 2U);
	KUNIT_EXPECT_PTR_EQ(test, err2.reason, err.reason);
	KUNIT_EXPECT_EQ(test, rules[0].action, VTRUST_MEASURE);
	pt_expect_untouched(test, rules, 1, 8);
}

/*
 * Whole texts: line numbers, blank and comment lines, line ends, and bytes
 * that C strings cannot hold.
 */
struct pt_text {
	const char *text;
	size_t len; /* 0: strlen(@text) */
	int ret;
	unsigned int line; /* of the error, if @ret < 0 */
	const char *token;
	const char *reason;
	u8 actions[4]; /* of the rules, if @ret > 0 */
};

static const struct pt_text lines_cases[] = {
	{ "", 0, 0 },
	{ "\n\n\n", 0, 0 },
	{ " \t \n#\n\t# x measure\n", 0, 0 },
	{ "measure", 0, 1, .actions = { VTRUST_MEASURE } },
	{ "measure\n", 0, 1, .actions = { VTRUST_MEASURE } },
	{ "\n\nmeasure\n\ndont_measure", 0, 2,
	  .actions = { VTRUST_MEASURE, VTRUST_DONT_MEASURE } },
	/* line numbers count blank and comment lines */
	{ "\n#\n\nmeasure\n\nbogus\n", 0, -EINVAL, 6, "bogus",
	  "unknown keyword" },
	{ "measure\nbogus", 0, -EINVAL, 2, "bogus", "unknown keyword" },
	/* the first bad line is reported */
	{ "x\ny\n", 0, -EINVAL, 1, "x", "unknown keyword" },
	/* CRLF line ends */
	{ "# dos\r\nmeasure\r\n", 0, -EINVAL, 2, "measure?",
	  "control character" },
	/* a lone '#' word after a rule is not a comment (as in IMA) */
	{ "measure #\n", 0, -EINVAL, 1, "#", "unknown keyword" },
};

/* NUL inside a rule; in a comment it is ignored, like every other byte */
static const struct pt_text nul_cases[] = {
	{ "measure\0func=MODULE_CHECK\n", 26, -EINVAL, 1,
	  "measure?func=MODULE_CHECK", "control character" },
	{ "# \0x\nmeasure", 12, 1, .actions = { VTRUST_MEASURE } },
};

static void text_desc(const struct pt_text *c, char *desc)
{
	pt_escape(desc, 0, c->text, c->len ? c->len : strlen(c->text));
}

KUNIT_ARRAY_PARAM(lines, lines_cases, text_desc);
KUNIT_ARRAY_PARAM(nul, nul_cases, text_desc);

/* Parsed into rules and only checked: the same result. */
static void pt_check_text(struct kunit *test, const struct pt_text *c)
{
	size_t len = c->len ? c->len : strlen(c->text);
	struct vtrust_rule *rules = pt_rules(test, 4);
	struct vtrust_policy_error err;
	int i, ret;

	memset(&err, 0, sizeof(err));
	ret = pt_parse_n(test, c->text, len, rules, 4, &err);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (ret < 0)
		pt_expect_error(test, &err, c->line, c->text, c->token,
				c->reason);
	for (i = 0; i < ret; i++)
		KUNIT_EXPECT_EQ(test, rules[i].action, c->actions[i]);

	memset(&err, 0, sizeof(err));
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, c->text, len, NULL, 0, &err),
			c->ret);
	if (ret < 0)
		pt_expect_error(test, &err, c->line, c->text, c->token,
				c->reason);
}

static void policy_test_lines(struct kunit *test)
{
	pt_check_text(test, test->param_value);
}

static void policy_test_nul(struct kunit *test)
{
	pt_check_text(test, test->param_value);
}

static void policy_test_error_token(struct kunit *test)
{
	char rule[300], want[VTRUST_POLICY_TOKEN_MAX];
	struct vtrust_policy_error err;

	/* a long word is cut to 63 bytes */
	memset(rule, 'x', 200);
	memcpy(rule, "measure func=", 13);
	memset(rule + 13, 'A', 150);
	rule[7] = ' ';
	rule[163] = '\0';
	KUNIT_EXPECT_EQ(test, pt_parse(test, rule, NULL, 0, &err), -EINVAL);
	memcpy(want, "func=", 5);
	memset(want + 5, 'A', sizeof(want) - 6);
	want[sizeof(want) - 1] = '\0';
	KUNIT_EXPECT_EQ(test, strlen(err.token),
			(size_t)VTRUST_POLICY_TOKEN_MAX - 1);
	KUNIT_EXPECT_STREQ(test, err.token, want);
	KUNIT_EXPECT_STREQ(test, err.reason, "unknown func");

	/* non-printable bytes are shown as '?' */
	KUNIT_EXPECT_EQ(test,
			pt_parse(test, "measure \x80\xff\x01~ ", NULL, 0, &err),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, err.token, "???~");
}

/* @n copies of @line, not NUL-terminated, in an exact allocation */
static char *pt_repeat(struct kunit *test, const char *line, unsigned int n,
		       size_t *len)
{
	size_t l = strlen(line);
	char *text = kunit_kmalloc(test, l * n, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, text);
	for (i = 0; i < n; i++)
		memcpy(text + i * l, line, l);
	*len = l * n;
	return text;
}

static void policy_test_limits(struct kunit *test)
{
	const unsigned int max = VTRUST_POLICY_RULES_MAX;
	struct vtrust_policy_error err;
	struct vtrust_rule *rules;
	size_t len;
	char *line, *text;

	/* a line of exactly VTRUST_POLICY_LINE_MAX bytes, then one more */
	line = kunit_kmalloc(test, VTRUST_POLICY_LINE_MAX + 2, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, line);
	memset(line, ' ', VTRUST_POLICY_LINE_MAX + 2);
	memcpy(line, "measure", 7);
	line[VTRUST_POLICY_LINE_MAX] = '\n';
	KUNIT_EXPECT_EQ(test,
			pt_parse_n(test, line, VTRUST_POLICY_LINE_MAX + 1,
				   NULL, 0, &err),
			1);
	KUNIT_EXPECT_EQ(test,
			pt_parse_n(test, line, VTRUST_POLICY_LINE_MAX, NULL, 0,
				   &err),
			1);
	line[VTRUST_POLICY_LINE_MAX] = ' ';
	line[VTRUST_POLICY_LINE_MAX + 1] = '\n';
	KUNIT_EXPECT_EQ(test,
			pt_parse_n(test, line, VTRUST_POLICY_LINE_MAX + 2,
				   NULL, 0, &err),
			-E2BIG);
	pt_expect_error(test, &err, 1, "", "", "line too long");
	KUNIT_EXPECT_EQ(test,
			pt_parse_n(test, line, VTRUST_POLICY_LINE_MAX + 1,
				   NULL, 0, &err),
			-E2BIG);
	/* comments too */
	line[0] = '#';
	KUNIT_EXPECT_EQ(test,
			pt_parse_n(test, line, VTRUST_POLICY_LINE_MAX + 1,
				   NULL, 0, &err),
			-E2BIG);

	/* VTRUST_POLICY_RULES_MAX rules, then one more */
	text = pt_repeat(test, "measure\n", max + 1, &len);
	rules = pt_rules(test, max);
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len - 8, rules, max, &err),
			(int)max);
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len, rules, max, &err),
			-E2BIG);
	pt_expect_error(test, &err, max + 1, "", "", "too many rules");
	kunit_kfree(test, rules);
	/* a larger @max does not lift the cap; nor does @rules NULL */
	rules = pt_rules(test, max + 1);
	memset(rules, PT_SENTINEL, (max + 1) * sizeof(*rules));
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len, rules, max + 1, &err),
			-E2BIG);
	pt_expect_untouched(test, rules, max, max + 1);
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len, NULL, 0, &err),
			-E2BIG);
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len - 8, NULL, 0, &err),
			(int)max);
	kunit_kfree(test, rules);
	kunit_kfree(test, text);

	/* a smaller @max: nothing written past it (exact allocation) */
	text = pt_repeat(test, "measure\n#\n", 4, &len);
	rules = pt_rules(test, 3);
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len, rules, 3, &err),
			-E2BIG);
	pt_expect_error(test, &err, 7, "", "", "too many rules");
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len - 10, rules, 3, &err),
			3);
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len, NULL, 3, &err), 4);
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len, NULL, 0, &err), 4);
	kunit_kfree(test, rules);
	/* a malformed rule before the cap is reached is malformed */
	rules = pt_rules(test, 1);
	KUNIT_EXPECT_EQ(test,
			pt_parse(test, "measure\nmxasure\n", rules, 1, &err),
			-EINVAL);
	pt_expect_error(test, &err, 2, "", "mxasure", "unknown keyword");
	KUNIT_EXPECT_EQ(test,
			pt_parse(test, "measure\nmeasure\nmxasure\n", rules, 1,
				 &err),
			-E2BIG);
	pt_expect_error(test, &err, 2, "", "", "too many rules");
	kunit_kfree(test, rules);
	/*
	 * @max 0: only a policy without rules fits. ZERO_SIZE_PTR is what
	 * kmalloc(0) returns; any access through it faults.
	 */
	rules = ZERO_SIZE_PTR;
	KUNIT_EXPECT_EQ(test, pt_parse_n(test, text, len, rules, 0, &err),
			-E2BIG);
	pt_expect_error(test, &err, 1, "", "", "too many rules");
	KUNIT_EXPECT_EQ(test, pt_parse(test, "# nothing\n\n", rules, 0, &err),
			0);
}

static void policy_test_format_sizes(struct kunit *test)
{
	char full[VTRUST_RULE_FORMAT_MAX];
	struct vtrust_rule r;
	size_t size;
	char *buf;
	int len;

	pt_parse_one(test,
		     "dont_appraise func=KEXEC_INITRAMFS_CHECK uid<4294967294 "
		     "euid>4294967294 fowner=4294967294 "
		     "fsmagic=0xffffffffffffffff "
		     "fsuuid=ffffffff-ffff-ffff-ffff-ffffffffffff",
		     &r);
	len = vtrust_rule_format(&r, full, sizeof(full));
	KUNIT_ASSERT_EQ(test, (size_t)len, strlen(full));
	KUNIT_EXPECT_EQ(test, vtrust_rule_format(&r, NULL, 0), len);
	for (size = 1; size <= (size_t)len + 2; size++) {
		buf = kunit_kmalloc(test, size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
		KUNIT_EXPECT_EQ(test, vtrust_rule_format(&r, buf, size), len);
		if (size > (size_t)len) {
			KUNIT_EXPECT_STREQ(test, buf, full);
		} else {
			KUNIT_EXPECT_EQ(test, buf[size - 1], '\0');
			VT_EXPECT_MEMEQ_MSG(test, buf, full, size - 1,
					    "size %zu", size);
		}
		kunit_kfree(test, buf);
	}

	/* the longest normal forms fit VTRUST_RULE_FORMAT_MAX */
	pt_parse_one(test,
		     "measure func=KEXEC_INITRAMFS_CHECK uid<4294967294 "
		     "euid>4294967294 fowner=4294967294 "
		     "fsmagic=0xffffffffffffffff "
		     "fsuuid=ffffffff-ffff-ffff-ffff-ffffffffffff pcr=15 "
		     "template=ima-ng",
		     &r);
	KUNIT_EXPECT_LT(test, vtrust_rule_format(&r, NULL, 0),
			VTRUST_RULE_FORMAT_MAX);
	pt_parse_one(test,
		     "appraise func=KEXEC_INITRAMFS_CHECK uid<4294967294 "
		     "euid>4294967294 fowner=4294967294 "
		     "fsmagic=0xffffffffffffffff "
		     "fsuuid=ffffffff-ffff-ffff-ffff-ffffffffffff "
		     "appraise_type=baseline",
		     &r);
	KUNIT_EXPECT_LT(test, vtrust_rule_format(&r, NULL, 0),
			VTRUST_RULE_FORMAT_MAX);
	pt_round_trip(test, &r);
}

static void policy_test_func_names(struct kunit *test)
{
	struct vtrust_rule r;
	char line[64];
	int f;

	KUNIT_EXPECT_NULL(test, vtrust_func_name(VTRUST_FUNC_NONE));
	KUNIT_EXPECT_NULL(test, vtrust_func_name(VTRUST_FUNC_MAX));
	KUNIT_EXPECT_NULL(test, vtrust_func_name((enum vtrust_func)-1));
	KUNIT_EXPECT_NULL(test, vtrust_func_name((enum vtrust_func)1000));
	KUNIT_EXPECT_STREQ(test, vtrust_func_name(VTRUST_MODULE_CHECK),
			   "MODULE_CHECK");
	KUNIT_EXPECT_STREQ(test, vtrust_func_name(VTRUST_KEXEC_LOAD),
			   "KEXEC_LOAD");
	for (f = VTRUST_FUNC_NONE + 1; f < VTRUST_FUNC_MAX; f++) {
		KUNIT_ASSERT_NOT_NULL(test, vtrust_func_name(f));
		snprintf(line, sizeof(line), "dont_measure func=%s",
			 vtrust_func_name(f));
		pt_parse_one(test, line, &r);
		KUNIT_EXPECT_EQ(test, r.func, f);
	}
}

static void policy_test_builtins(struct kunit *test)
{
	struct vtrust_rule *rules = pt_rules(test, VTRUST_FUNC_MAX);
	const struct vtrust_policy_builtin *b;
	char buf[VTRUST_RULE_FORMAT_MAX];
	struct vtrust_policy_error err;
	unsigned int i, n = 0;
	const char *p;
	int nr;

	KUNIT_EXPECT_PTR_EQ(test, vtrust_policy_lookup("default"),
			    vtrust_policy_default);
	KUNIT_EXPECT_PTR_EQ(test, vtrust_policy_lookup("modules"),
			    vtrust_policy_modules);
	KUNIT_EXPECT_NULL(test, vtrust_policy_lookup("Default"));
	KUNIT_EXPECT_NULL(test, vtrust_policy_lookup(""));
	KUNIT_EXPECT_NULL(test, vtrust_policy_lookup("default "));

	for (b = vtrust_policy_builtins; b->name; b++, n++) {
		p = b->text;
		nr = pt_parse(test, b->text, rules, VTRUST_FUNC_MAX, &err);
		KUNIT_ASSERT_GT(test, nr, 0);
		/* each line of a built-in policy is its rule's normal form */
		for (i = 0; i < (unsigned int)nr; i++) {
			pt_format(test, &rules[i], buf);
			KUNIT_ASSERT_EQ_MSG(test, strncmp(p, buf, strlen(buf)),
					    0, "%s: rule %u", b->name, i);
			p += strlen(buf);
			KUNIT_ASSERT_EQ(test, *p, '\n');
			p++;
		}
		KUNIT_EXPECT_EQ(test, *p, '\0');
		KUNIT_EXPECT_PTR_EQ(test, vtrust_policy_lookup(b->name),
				    b->text);
	}
	KUNIT_EXPECT_EQ(test, n, 2U);

	/* default: every func; modules: MODULE_CHECK only */
	nr = pt_parse(test, vtrust_policy_default, rules, VTRUST_FUNC_MAX,
		      &err);
	KUNIT_ASSERT_EQ(test, nr, VTRUST_FUNC_MAX - 1);
	for (i = 0; i < (unsigned int)nr; i++) {
		KUNIT_EXPECT_EQ(test, rules[i].action, VTRUST_MEASURE);
		KUNIT_EXPECT_EQ(test, rules[i].func, i + 1);
	}
	nr = pt_parse(test, vtrust_policy_modules, rules, VTRUST_FUNC_MAX,
		      &err);
	KUNIT_ASSERT_EQ(test, nr, 1);
	KUNIT_EXPECT_EQ(test, rules[0].func, VTRUST_MODULE_CHECK);
}

/*
 * IMA's syntax: the lines Documentation/ABI/testing/ima_policy shows for the
 * keywords vtrust shares with IMA, and IMA's own read-back format (each word
 * followed by a space).
 */
static void policy_test_ima_default(struct kunit *test)
{
	static const char ima_default[] = "# PROC_SUPER_MAGIC\n"
					  "dont_measure fsmagic=0x9fa0\n"
					  "dont_appraise fsmagic=0x9fa0\n"
					  "# SYSFS_MAGIC\n"
					  "dont_measure fsmagic=0x62656572\n"
					  "dont_appraise fsmagic=0x62656572\n"
					  "# DEBUGFS_MAGIC\n"
					  "dont_measure fsmagic=0x64626720\n"
					  "dont_appraise fsmagic=0x64626720\n"
					  "# TMPFS_MAGIC\n"
					  "dont_measure fsmagic=0x01021994\n"
					  "dont_appraise fsmagic=0x01021994\n"
					  "# RAMFS_MAGIC\n"
					  "dont_appraise fsmagic=0x858458f6\n"
					  "# DEVPTS_SUPER_MAGIC\n"
					  "dont_measure fsmagic=0x1cd1\n"
					  "dont_appraise fsmagic=0x1cd1\n"
					  "# BINFMTFS_MAGIC\n"
					  "dont_measure fsmagic=0x42494e4d\n"
					  "dont_appraise fsmagic=0x42494e4d\n"
					  "# SECURITYFS_MAGIC\n"
					  "dont_measure fsmagic=0x73636673\n"
					  "dont_appraise fsmagic=0x73636673\n"
					  "# SELINUX_MAGIC\n"
					  "dont_measure fsmagic=0xf97cff8c\n"
					  "dont_appraise fsmagic=0xf97cff8c\n"
					  "# CGROUP_SUPER_MAGIC\n"
					  "dont_measure fsmagic=0x27e0eb\n"
					  "dont_appraise fsmagic=0x27e0eb\n"
					  "# NSFS_MAGIC\n"
					  "dont_measure fsmagic=0x6e736673\n"
					  "dont_appraise fsmagic=0x6e736673\n"
					  "\n"
					  "measure func=MODULE_CHECK\n"
					  "measure func=FIRMWARE_CHECK\n"
					  "measure func=KEY_CHECK\n"
					  "measure func=POLICY_CHECK\n";
	struct vtrust_rule *rules = pt_rules(test, 64);
	char buf[VTRUST_RULE_FORMAT_MAX];
	struct vtrust_policy_error err;
	int i, nr;

	nr = pt_parse(test, ima_default, rules, 64, &err);
	KUNIT_ASSERT_EQ(test, nr, 25);
	for (i = 0; i < 21; i++) {
		u8 action = rules[i].action;

		KUNIT_EXPECT_TRUE(test, action == VTRUST_DONT_MEASURE ||
				  action == VTRUST_DONT_APPRAISE);
		KUNIT_EXPECT_EQ(test, rules[i].flags, VTRUST_RULE_FSMAGIC);
	}
	KUNIT_EXPECT_EQ(test, rules[0].fsmagic, 0x9fa0ULL);
	KUNIT_EXPECT_EQ(test, rules[6].fsmagic, 0x01021994ULL);
	pt_format(test, &rules[6], buf);
	/* ima_policy_show() prints fsmagic=0x%lx */
	KUNIT_EXPECT_STREQ(test, buf, "dont_measure fsmagic=0x1021994");
	KUNIT_EXPECT_EQ(test, rules[21].func, VTRUST_MODULE_CHECK);
	KUNIT_EXPECT_EQ(test, rules[24].func, VTRUST_POLICY_CHECK);
	for (i = 0; i < nr; i++)
		pt_round_trip(test, &rules[i]);
}

/* IMA's own words, vtrust's pcr numbers */
static const char *const ima_ok_rules[] = {
	"measure func=KEXEC_KERNEL_CHECK pcr=14",
	"measure func=KEXEC_INITRAMFS_CHECK pcr=15",
	"measure func=KEY_CHECK",
	"measure func=MODULE_CHECK uid=0",
	"measure func=FIRMWARE_CHECK euid=0",
	"dont_measure fowner=0",
	"measure func=MODULE_CHECK fsuuid=" PT_UUID,
	"measure func=MODULE_CHECK uid<1000",
	"measure func=MODULE_CHECK uid>999",
	"measure func=MODULE_CHECK fowner<1000",
	"measure func=MODULE_CHECK template=ima-ng",
	/* IMA's read-back: a space after every word */
	"measure func=MODULE_CHECK ",
	"dont_measure fsmagic=0x9fa0 ",
	"measure func=KEY_CHECK uid=0 pcr=12 ",
};

KUNIT_ARRAY_PARAM(ima_ok, ima_ok_rules, corpus_desc);

static void policy_test_ima_ok(struct kunit *test)
{
	const char *rule = *(const char *const *)test->param_value;
	struct vtrust_rule r;

	pt_parse_one(test, rule, &r);
	pt_round_trip(test, &r);
}

/* IMA's lines that vtrust refuses, and why */
static const struct pt_bad ima_refused_cases[] = {
	{ "measure func=KEXEC_KERNEL_CHECK pcr=4", "pcr=4", "pcr must be" },
	{ "measure func=KEXEC_INITRAMFS_CHECK pcr=5", "pcr=5", "pcr must be" },
	{ "appraise fowner=0", "appraise", "appraise_type=baseline" },
	{ "appraise func=KEXEC_KERNEL_CHECK appraise_type=imasig|modsig",
	  "appraise_type=imasig|modsig", "appraise_type is baseline or sig" },
	{ "measure func=KEY_CHECK keyrings=.builtin_trusted_keys|.ima",
	  "keyrings=.builtin_trusted_keys|.ima", "IMA keyword" },
	{ "measure func=BPRM_CHECK", "func=BPRM_CHECK", "unknown func" },
	{ "measure func=FILE_MMAP mask=MAY_EXEC", "func=FILE_MMAP",
	  "unknown func" },
	{ "measure func=FILE_CHECK mask=MAY_READ uid=0", "func=FILE_CHECK",
	  "unknown func" },
	{ "appraise func=SETXATTR_CHECK appraise_algos=sha256,sha384",
	  "func=SETXATTR_CHECK", "unknown func" },
	{ "measure func=FILE_CHECK digest_type=verity template=ima-ngv2",
	  "func=FILE_CHECK", "unknown func" },
	{ "measure template=ima-sig", "template=ima-sig", "only template" },
	{ "dont_measure obj_type=var_log_t", "obj_type=var_log_t",
	  "IMA keyword" },
	{ "measure subj_user=_ func=MODULE_CHECK", "subj_user=_",
	  "IMA keyword" },
};

KUNIT_ARRAY_PARAM(ima_refused, ima_refused_cases, bad_desc);

static void policy_test_ima_refused(struct kunit *test)
{
	const struct pt_bad *c = test->param_value;
	struct vtrust_policy_error err;

	KUNIT_EXPECT_EQ(test, pt_parse(test, c->rule, NULL, 0, &err), -EINVAL);
	pt_expect_error(test, &err, 1, c->rule, c->token, c->reason);
}

/* Match semantics */

static struct vtrust_rule *pt_policy(struct kunit *test, const char *text,
				     unsigned int *n)
{
	struct vtrust_rule *rules = pt_rules(test, 64);
	struct vtrust_policy_error err;
	int nr;

	nr = pt_parse(test, text, rules, 64, &err);
	KUNIT_ASSERT_GE_MSG(test, nr, 0, "line %u '%s': %s", err.line,
			    err.token, err.reason);
	*n = nr;
	return rules;
}

static unsigned int pt_match(struct kunit *test, const char *text,
			     const struct vtrust_event_attrs *ev, u32 *pcr)
{
	struct vtrust_rule *rules;
	unsigned int n, ret;

	rules = pt_policy(test, text, &n);
	ret = vtrust_policy_match(rules, n, ev, pcr);
	kunit_kfree(test, rules);
	return ret;
}

static struct vtrust_event_attrs pt_ev_file(enum vtrust_func func, u32 uid,
					    u32 fowner, u64 fsmagic)
{
	struct vtrust_event_attrs ev;

	memset(&ev, 0, sizeof(ev));
	ev.func = func;
	ev.has_file = 1;
	ev.uid = uid;
	ev.euid = uid;
	ev.fowner = fowner;
	ev.fsmagic = fsmagic;
	return ev;
}

/* A policy, an event, what the policy decides for it, and the pcr */
struct pt_match {
	const char *text;
	struct vtrust_event_attrs ev;
	unsigned int want;
	u32 pcr;
};

#define PT_FILE(f, ...) { .func = (f), .has_file = 1, __VA_ARGS__ }
#define PT_NOFILE(f, ...) { .func = (f), __VA_ARGS__ }
#define M VTRUST_MEASURE
#define A VTRUST_APPRAISE

static void match_desc(const struct pt_match *c, char *desc)
{
	const char *func = vtrust_func_name(c->ev.func);
	size_t n = pt_escape(desc, 0, c->text, strlen(c->text));

	if (n > KUNIT_PARAM_DESC_SIZE - 40)
		n = KUNIT_PARAM_DESC_SIZE - 40;
	scnprintf(desc + n, KUNIT_PARAM_DESC_SIZE - n,
		  " @ %s %u/%u/%u 0x%llx%s", func ? func : "-", c->ev.uid,
		  c->ev.euid, c->ev.fowner, c->ev.fsmagic,
		  c->ev.has_file ? "" : " nofile");
}

/* Every call writes *@pcr; @pcr NULL changes nothing else. */
static void pt_check_match(struct kunit *test, const struct pt_match *c)
{
	struct vtrust_rule *rules;
	unsigned int n;
	u32 pcr = 99;

	rules = pt_policy(test, c->text, &n);
	KUNIT_EXPECT_EQ(test, vtrust_policy_match(rules, n, &c->ev, &pcr),
			c->want);
	KUNIT_EXPECT_EQ(test, pcr, c->pcr);
	KUNIT_EXPECT_EQ(test, vtrust_policy_match(rules, n, &c->ev, NULL),
			c->want);
	kunit_kfree(test, rules);
}

/* Rule order; measure and appraise decided separately */
static const struct pt_match match_order_cases[] = {
	/* nothing matches: nothing to do */
	{ "", PT_FILE(VTRUST_MODULE_CHECK), 0, 0 },
	{ "measure func=FIRMWARE_CHECK", PT_FILE(VTRUST_MODULE_CHECK), 0, 0 },
	/* the first measure rule that matches decides, with its pcr */
	{ "measure func=MODULE_CHECK pcr=12\nmeasure pcr=13\n",
	  PT_FILE(VTRUST_MODULE_CHECK), M, 12 },
	{ "measure func=MODULE_CHECK pcr=12\nmeasure pcr=13\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK), M, 13 },
	{ "measure\nmeasure pcr=13\n", PT_FILE(VTRUST_FIRMWARE_CHECK), M, 0 },
	/* dont_measure before measure wins, and the other way round */
	{ "dont_measure func=FIRMWARE_CHECK\nmeasure pcr=14\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK), 0, 0 },
	{ "dont_measure func=FIRMWARE_CHECK\nmeasure pcr=14\n",
	  PT_FILE(VTRUST_MODULE_CHECK), M, 14 },
	{ "measure func=FIRMWARE_CHECK\ndont_measure func=FIRMWARE_CHECK\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK), M, 0 },
	/* measure and appraise are decided separately */
	{ "dont_measure\nappraise appraise_type=baseline\n",
	  PT_FILE(VTRUST_MODULE_CHECK), A, 0 },
	{ "appraise appraise_type=baseline\nmeasure pcr=15\n",
	  PT_FILE(VTRUST_MODULE_CHECK), A | M, 15 },
	{ "dont_appraise func=MODULE_CHECK\nappraise appraise_type=baseline\n"
	  "measure\n",
	  PT_FILE(VTRUST_MODULE_CHECK), M, 0 },
	{ "dont_appraise func=MODULE_CHECK\nappraise appraise_type=baseline\n"
	  "measure\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK), M | A, 0 },
	{ "dont_appraise\n", PT_FILE(VTRUST_FIRMWARE_CHECK), 0, 0 },
	/* a signature rule says so; the first appraise rule decides */
	{ "appraise func=FIRMWARE_CHECK appraise_type=sig\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK), A | VTRUST_APPRAISE_SIG, 0 },
	{ "appraise func=FIRMWARE_CHECK appraise_type=sig\n",
	  PT_NOFILE(VTRUST_FIRMWARE_CHECK), A | VTRUST_APPRAISE_SIG, 0 },
	{ "appraise func=FIRMWARE_CHECK appraise_type=sig\n",
	  PT_FILE(VTRUST_MODULE_CHECK), 0, 0 },
	{ "appraise func=FIRMWARE_CHECK fsmagic=0xef53 appraise_type=sig\n",
	  PT_NOFILE(VTRUST_FIRMWARE_CHECK), A | VTRUST_APPRAISE_SIG, 0 },
	{ "appraise func=FIRMWARE_CHECK appraise_type=baseline\n"
	  "appraise func=FIRMWARE_CHECK appraise_type=sig\nmeasure\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK), A | M, 0 },
	{ "appraise func=FIRMWARE_CHECK appraise_type=sig\n"
	  "appraise appraise_type=baseline\nmeasure pcr=12\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK), A | VTRUST_APPRAISE_SIG | M, 12 },
	{ "dont_appraise func=FIRMWARE_CHECK\n"
	  "appraise func=FIRMWARE_CHECK appraise_type=sig\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK), 0, 0 },
	/* an event with no func matches only rules without func= */
	{ "measure func=MODULE_CHECK\n", PT_FILE(VTRUST_FUNC_NONE), 0, 0 },
	{ "measure func=MODULE_CHECK\nmeasure pcr=9\n",
	  PT_FILE(VTRUST_FUNC_NONE), M, 9 },
};

KUNIT_ARRAY_PARAM(match_order, match_order_cases, match_desc);

static void policy_test_match_order(struct kunit *test)
{
	pt_check_match(test, test->param_value);
}

/* No rules at all: nothing to do */
static void policy_test_match_empty(struct kunit *test)
{
	struct vtrust_event_attrs ev = pt_ev_file(VTRUST_MODULE_CHECK, 0, 0, 0);
	u32 pcr = 99;

	KUNIT_EXPECT_EQ(test, vtrust_policy_match(NULL, 0, &ev, NULL), 0U);
	KUNIT_EXPECT_EQ(test, vtrust_policy_match(NULL, 0, &ev, &pcr), 0U);
	KUNIT_EXPECT_EQ(test, pcr, 0U);
}

/* uid, euid and fowner: a condition, a value that holds, one that does not */
struct pt_id {
	const char *cond;
	u32 yes, no;
};

static const struct pt_id match_id_cases[] = {
	{ "=1000", 1000, 999 },
	{ "=1000", 1000, 1001 },
	{ "<1000", 999, 1000 },
	{ "<1000", 0, 1001 },
	{ ">1000", 1001, 1000 },
	{ ">1000", 4294967295U, 999 },
	{ "=0", 0, 1 },
	{ ">0", 1, 0 },
	{ "<1", 0, 1 },
	{ ">4294967293", 4294967294U, 0 },
	{ "<4294967294", 4294967293U, 4294967294U },
};

static void id_desc(const struct pt_id *c, char *desc)
{
	scnprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s yes %u no %u", c->cond,
		  c->yes, c->no);
}

KUNIT_ARRAY_PARAM(match_ids, match_id_cases, id_desc);

static u32 *pt_ev_id(struct vtrust_event_attrs *ev, size_t k)
{
	return k == 0 ? &ev->uid : k == 1 ? &ev->euid : &ev->fowner;
}

static void policy_test_match_ids(struct kunit *test)
{
	static const char *const names[] = { "uid", "euid", "fowner" };
	const struct pt_id *c = test->param_value;
	struct vtrust_event_attrs ev;
	char text[64];
	size_t k;

	for (k = 0; k < ARRAY_SIZE(names); k++) {
		snprintf(text, sizeof(text), "measure %s%s", names[k], c->cond);
		ev = pt_ev_file(VTRUST_MODULE_CHECK, 7, 7, 0);
		*pt_ev_id(&ev, k) = c->yes;
		KUNIT_EXPECT_EQ_MSG(test, pt_match(test, text, &ev, NULL), M,
				    "%s: %u", text, c->yes);
		*pt_ev_id(&ev, k) = c->no;
		KUNIT_EXPECT_EQ_MSG(test, pt_match(test, text, &ev, NULL), 0U,
				    "%s: %u", text, c->no);
	}
}

/* uid and euid are distinct; keys only by an explicit func=KEY_CHECK */
static const struct pt_match match_uid_key_cases[] = {
	{ "measure euid=0", PT_FILE(VTRUST_MODULE_CHECK, .euid = 5), 0, 0 },
	{ "measure uid=0", PT_FILE(VTRUST_MODULE_CHECK, .euid = 5), M, 0 },
	{ "measure uid=0 euid=5", PT_FILE(VTRUST_MODULE_CHECK, .euid = 5), M,
	  0 },
	{ "measure uid=0 euid=0", PT_FILE(VTRUST_MODULE_CHECK, .euid = 5), 0,
	  0 },
	/* uid conditions hold without a file */
	{ "measure uid=0", PT_NOFILE(VTRUST_MODULE_CHECK, .euid = 5), M, 0 },
	/* keys: only an explicit func=KEY_CHECK applies, as in IMA */
	{ "measure", PT_NOFILE(VTRUST_KEY_CHECK, .euid = 5), 0, 0 },
	{ "measure uid=0", PT_NOFILE(VTRUST_KEY_CHECK, .euid = 5), 0, 0 },
	{ "measure func=KEY_CHECK", PT_NOFILE(VTRUST_KEY_CHECK, .euid = 5), M,
	  0 },
	{ "dont_measure\nmeasure func=KEY_CHECK",
	  PT_NOFILE(VTRUST_KEY_CHECK, .euid = 5), M, 0 },
};

KUNIT_ARRAY_PARAM(match_uid_key, match_uid_key_cases, match_desc);

static void policy_test_match_uid_key(struct kunit *test)
{
	pt_check_match(test, test->param_value);
}

#define PT_ALL                                                           \
	"measure func=MODULE_CHECK uid=0 euid<1 fowner=0 fsmagic=0x9fa0 " \
	"fsuuid=" PT_UUID " pcr=14"
#define PT_NULL_UUID "00000000-0000-0000-0000-000000000000"

/* File conditions: fsmagic, fsuuid, fowner; events without a file */
static const struct pt_match match_file_cases[] = {
	/* fsmagic */
	{ "measure fsmagic=0x9fa0",
	  PT_FILE(VTRUST_FIRMWARE_CHECK, .fsmagic = 0x9fa0), M, 0 },
	{ "measure fsmagic=9FA0",
	  PT_FILE(VTRUST_FIRMWARE_CHECK, .fsmagic = 0x9fa0), M, 0 },
	{ "measure fsmagic=0x9fa1",
	  PT_FILE(VTRUST_FIRMWARE_CHECK, .fsmagic = 0x9fa0), 0, 0 },
	{ "dont_measure fsmagic=0x9fa0\nmeasure\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK, .fsmagic = 0x9fa0), 0, 0 },
	{ "dont_measure fsmagic=0x9fa0\nmeasure\n",
	  PT_FILE(VTRUST_FIRMWARE_CHECK, .fsmagic = 0x1021994), M, 0 },
	/* all 64 bits compared */
	{ "measure fsmagic=0x9fa0",
	  PT_FILE(VTRUST_FIRMWARE_CHECK, .fsmagic = 0xffffffff00009fa0ULL), 0,
	  0 },
	{ "measure fsmagic=0xffffffff00009fa0",
	  PT_FILE(VTRUST_FIRMWARE_CHECK, .fsmagic = 0xffffffff00009fa0ULL), M,
	  0 },
	/* fsmagic=0 matches a file whose fsmagic is 0, but not no file */
	{ "measure fsmagic=0", PT_FILE(VTRUST_FIRMWARE_CHECK), M, 0 },
	{ "measure fsmagic=0", PT_NOFILE(VTRUST_FIRMWARE_CHECK), 0, 0 },
	/* fsuuid (every byte: policy_test_match_fsuuid_bytes) */
	{ "measure fsuuid=" PT_UUID,
	  PT_FILE(VTRUST_MODULE_CHECK, .fsuuid = PT_UUID_BYTES), M, 0 },
	{ "measure fsuuid=" PT_UUID,
	  PT_NOFILE(VTRUST_MODULE_CHECK, .fsuuid = PT_UUID_BYTES), 0, 0 },
	/* the null UUID is a condition like any other */
	{ "measure fsuuid=" PT_NULL_UUID, PT_FILE(VTRUST_MODULE_CHECK), M, 0 },
	{ "measure fsuuid=" PT_NULL_UUID, PT_NOFILE(VTRUST_MODULE_CHECK), 0,
	  0 },
	/* an event without a file never matches a file condition */
	{ "measure fowner=0", PT_NOFILE(VTRUST_MODULE_CHECK), 0, 0 },
	{ "measure fowner<1", PT_NOFILE(VTRUST_MODULE_CHECK), 0, 0 },
	{ "measure fowner>4294967294", PT_NOFILE(VTRUST_MODULE_CHECK), 0, 0 },
	{ "dont_measure fowner=0\nmeasure", PT_NOFILE(VTRUST_MODULE_CHECK), M,
	  0 },
	{ "measure func=MODULE_CHECK", PT_NOFILE(VTRUST_MODULE_CHECK), M, 0 },
	/* but an appraise rule with a file condition fails closed */
	{ "appraise fowner=0 appraise_type=baseline",
	  PT_NOFILE(VTRUST_MODULE_CHECK), A, 0 },
	{ "appraise func=MODULE_CHECK fsuuid=" PT_UUID
	  " appraise_type=baseline",
	  PT_NOFILE(VTRUST_MODULE_CHECK), A, 0 },
	{ "dont_appraise fsmagic=0x9fa0\nappraise appraise_type=baseline",
	  PT_NOFILE(VTRUST_MODULE_CHECK), A, 0 },
	{ "appraise func=FIRMWARE_CHECK fowner=0 appraise_type=baseline",
	  PT_NOFILE(VTRUST_MODULE_CHECK), 0, 0 },
	/* any nonzero has_file is true */
	{ "measure fowner=0", { .func = VTRUST_MODULE_CHECK, .has_file = 0x80 },
	  M, 0 },
	/* all conditions must hold */
	{ PT_ALL,
	  PT_FILE(VTRUST_MODULE_CHECK, .fsmagic = 0x9fa0,
		  .fsuuid = PT_UUID_BYTES),
	  M, 14 },
	{ PT_ALL,
	  PT_FILE(VTRUST_FIRMWARE_CHECK, .fsmagic = 0x9fa0,
		  .fsuuid = PT_UUID_BYTES),
	  0, 0 },
	{ PT_ALL,
	  PT_FILE(VTRUST_MODULE_CHECK, .uid = 1, .fsmagic = 0x9fa0,
		  .fsuuid = PT_UUID_BYTES),
	  0, 0 },
	{ PT_ALL,
	  PT_FILE(VTRUST_MODULE_CHECK, .euid = 1, .fsmagic = 0x9fa0,
		  .fsuuid = PT_UUID_BYTES),
	  0, 0 },
	{ PT_ALL,
	  PT_FILE(VTRUST_MODULE_CHECK, .fowner = 1, .fsmagic = 0x9fa0,
		  .fsuuid = PT_UUID_BYTES),
	  0, 0 },
	{ PT_ALL,
	  PT_FILE(VTRUST_MODULE_CHECK, .fsmagic = 1,
		  .fsuuid = PT_UUID_BYTES),
	  0, 0 },
};

KUNIT_ARRAY_PARAM(match_file, match_file_cases, match_desc);

static void policy_test_match_file(struct kunit *test)
{
	pt_check_match(test, test->param_value);
}

/* fsuuid= compares every byte */
static void policy_test_match_fsuuid_bytes(struct kunit *test)
{
	static const u8 uuid[16] = PT_UUID_BYTES;
	const char *text = "measure fsuuid=" PT_UUID;
	struct vtrust_event_attrs ev = pt_ev_file(VTRUST_MODULE_CHECK, 0, 0, 0);
	size_t i;

	memcpy(ev.fsuuid, uuid, 16);
	KUNIT_EXPECT_EQ(test, pt_match(test, text, &ev, NULL), M);
	for (i = 0; i < 16; i++) {
		ev.fsuuid[i] ^= 1;
		KUNIT_EXPECT_EQ_MSG(test, pt_match(test, text, &ev, NULL), 0U,
				    "byte %zu", i);
		ev.fsuuid[i] ^= 1;
	}
}

static void policy_test_match_builtins(struct kunit *test)
{
	const char *def = vtrust_policy_default, *mods = vtrust_policy_modules;
	struct vtrust_event_attrs ev;
	unsigned int want;
	int f;

	for (f = VTRUST_FUNC_NONE + 1; f < VTRUST_FUNC_MAX; f++) {
		ev = pt_ev_file(f, 1000, 1000, 0x9fa0);
		ev.has_file = f != VTRUST_KEY_CHECK && f != VTRUST_BPF_CHECK &&
			      f != VTRUST_KEXEC_LOAD;
		want = f == VTRUST_MODULE_CHECK ? M : 0;
		KUNIT_EXPECT_EQ(test, pt_match(test, def, &ev, NULL), M);
		KUNIT_EXPECT_EQ(test, pt_match(test, mods, &ev, NULL), want);
	}
}

#undef M
#undef A

/*
 * Random policies from a vocabulary of good and bad words: the whole text is
 * accepted exactly when each of its lines is, with the same rules, and every
 * rule round-trips. The words are picked by vt_fill_bytes(), so every run
 * tries the same policies.
 */
static void policy_test_random(struct kunit *test)
{
	static const char *const actions[] = {
		"measure",
		"dont_measure",
		"appraise",
		"dont_appraise",
	};
	static const char *const words[] = {
		"func=MODULE_CHECK",
		"func=KEY_CHECK",
		"func=BPF_CHECK",
		"func=FIRMWARE_CHECK",
		"func=KEXEC_LOAD",
		"func=POLICY_CHECK",
		"uid=0",
		"uid<1000",
		"euid>5",
		"euid=4294967294",
		"fowner=0",
		"fowner<4294967294",
		"fsmagic=0x9fa0",
		"fsmagic=ffffffffffffffff",
		"fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6",
		"pcr=11",
		"pcr=15",
		"template=ima-ng",
		"appraise_type=baseline",
		"appraise_type=baseline",
		"\t",
		"measure",
		"pcr=10",
		"uid=x",
		"bogus",
		"#",
	};
	const size_t size = 4096;
	struct vtrust_rule *rules = pt_rules(test, 4), *one = pt_rules(test, 1);
	char *text = kunit_kmalloc(test, size, GFP_KERNEL);
	struct vtrust_policy_error err, err1;
	size_t len, start[4], end[4];
	unsigned int accepted = 0, i, r;
	int nr, nr1, k, w, lines, good;
	u8 rnd[32];

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, text);
	for (i = 0; i < 20000; i++) {
		/* at most 1 + 4 * (1 + 1 + 4) = 25 bytes are used */
		vt_fill_bytes(rnd, sizeof(rnd), 20261127 + i * 2654435761U);
		r = 0;
		len = 0;
		lines = 1 + rnd[r++] % 4;
		for (k = 0; k < lines; k++) {
			start[k] = len;
			len += scnprintf(text + len, size - len, "%s",
					 actions[rnd[r++] % 4]);
			for (w = rnd[r++] % 5; w > 0; w--)
				len += scnprintf(text + len, size - len, " %s",
						 words[rnd[r++] %
						       ARRAY_SIZE(words)]);
			end[k] = len;
			text[len++] = '\n';
		}
		nr = pt_parse_n(test, text, len, rules, 4, &err);
		KUNIT_ASSERT_TRUE(test, nr == lines || nr == -EINVAL);
		good = 0;
		for (k = 0; k < lines; k++) {
			memset(one, PT_SENTINEL, sizeof(*one));
			nr1 = pt_parse_n(test, text + start[k],
					 end[k] - start[k], one, 1, &err1);
			KUNIT_ASSERT_TRUE(test, nr1 == 1 || nr1 == -EINVAL);
			if (nr1 < 0) {
				/* the whole text failed here first */
				KUNIT_ASSERT_EQ(test, nr, -EINVAL);
				KUNIT_ASSERT_EQ(test, err.line,
						(unsigned int)k + 1);
				KUNIT_ASSERT_STREQ(test, err.token, err1.token);
				KUNIT_ASSERT_STREQ(test, err.reason,
						   err1.reason);
				break;
			}
			good++;
			pt_round_trip(test, one);
			if (nr > 0)
				VT_EXPECT_MEMEQ(test, one, &rules[k],
						sizeof(*one));
		}
		KUNIT_ASSERT_TRUE(test, nr < 0 || good == lines);
		if (nr > 0)
			accepted += nr;
	}
	kunit_info(test, "%u random rules accepted and round-tripped\n",
		   accepted);
	KUNIT_EXPECT_GT(test, accepted, 1000U);
}

static struct kunit_case policy_test_cases[] = {
	KUNIT_CASE(policy_test_layout),
	KUNIT_CASE_PARAM(policy_test_valid, valid_gen_params),
	KUNIT_CASE(policy_test_fields),
	KUNIT_CASE_PARAM(policy_test_malformed, malformed_gen_params),
	KUNIT_CASE_PARAM(policy_test_corpus, corpus_gen_params),
	KUNIT_CASE_PARAM(policy_test_nul, nul_gen_params),
	KUNIT_CASE_PARAM(policy_test_lines, lines_gen_params),
	KUNIT_CASE(policy_test_error_token),
	KUNIT_CASE(policy_test_limits),
	KUNIT_CASE(policy_test_format_sizes),
	KUNIT_CASE(policy_test_func_names),
	KUNIT_CASE(policy_test_builtins),
	KUNIT_CASE(policy_test_ima_default),
	KUNIT_CASE_PARAM(policy_test_ima_ok, ima_ok_gen_params),
	KUNIT_CASE_PARAM(policy_test_ima_refused, ima_refused_gen_params),
	KUNIT_CASE_PARAM(policy_test_match_order, match_order_gen_params),
	KUNIT_CASE(policy_test_match_empty),
	KUNIT_CASE_PARAM(policy_test_match_ids, match_ids_gen_params),
	KUNIT_CASE_PARAM(policy_test_match_uid_key, match_uid_key_gen_params),
	KUNIT_CASE_PARAM(policy_test_match_file, match_file_gen_params),
	KUNIT_CASE(policy_test_match_fsuuid_bytes),
	KUNIT_CASE(policy_test_match_builtins),
	KUNIT_CASE(policy_test_random),
	{}
};

static struct kunit_suite policy_test_suite = {
	.name = "vtrust_policy",
	.test_cases = policy_test_cases,
};

kunit_test_suite(policy_test_suite);
