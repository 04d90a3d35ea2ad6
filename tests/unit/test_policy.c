// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The policy language (kernel/policy.c): valid rules and their normal forms,
 * round trips, malformed rules (each refused with its line, word and reason,
 * and nothing written that the API does not promise), the size limits, IMA's
 * own policy lines, and the match semantics.
 *
 * Texts are always passed in allocations of exactly their length (no NUL),
 * and rule arrays in allocations of exactly @max rules, so AddressSanitizer
 * sees any access past either.
 */
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "policy.h"

#define SENTINEL 0xa5

static int parse_n(const char *text, size_t len, struct vtrust_rule *rules,
		   unsigned int max, struct vtrust_policy_error *err)
{
	char *copy = malloc(len ? len : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, text, len);
	ret = vtrust_policy_parse(copy, len, rules, max, err);
	free(copy);
	return ret;
}

static int parse(const char *text, struct vtrust_rule *rules, unsigned int max,
		 struct vtrust_policy_error *err)
{
	return parse_n(text, strlen(text), rules, max, err);
}

/* @line must be exactly one rule; it is returned in *@r. */
static void parse_one(const char *line, struct vtrust_rule *r)
{
	struct vtrust_rule *one = malloc(sizeof(*one));
	struct vtrust_policy_error err = { 0 };
	int ret;

	assert_non_null(one);
	ret = parse(line, one, 1, &err);
	if (ret != 1)
		print_error("'%s': %d, line %u '%s': %s\n", line, ret, err.line,
			    err.token, err.reason ? err.reason : "-");
	assert_int_equal(ret, 1);
	*r = *one;
	free(one);
}

static void format(const struct vtrust_rule *r, char *buf)
{
	int n = vtrust_rule_format(r, buf, VTRUST_RULE_FORMAT_MAX);

	assert_true(n > 0 && n < VTRUST_RULE_FORMAT_MAX);
	assert_int_equal(strlen(buf), n);
}

/* The normal form of @r parses back to @r, and is its own normal form. */
static void round_trip(const struct vtrust_rule *r)
{
	char buf[VTRUST_RULE_FORMAT_MAX], buf2[VTRUST_RULE_FORMAT_MAX];
	struct vtrust_rule back;

	format(r, buf);
	parse_one(buf, &back);
	assert_memory_equal(&back, r, sizeof(*r));
	format(&back, buf2);
	assert_string_equal(buf, buf2);
}

static void test_layout(void **state)
{
	struct vtrust_rule r;

	(void)state;
	/* fixed size, no padding: memcmp() compares rules */
	assert_int_equal(sizeof(r), 48);
	assert_int_equal(sizeof(r.action) + sizeof(r.func) + sizeof(r.uid_op) +
				 sizeof(r.euid_op) + sizeof(r.fowner_op) +
				 sizeof(r.pcr) + sizeof(r.flags) +
				 sizeof(r.uid) + sizeof(r.euid) +
				 sizeof(r.fowner) + sizeof(r.reserved) +
				 sizeof(r.fsmagic) + sizeof(r.fsuuid),
			 sizeof(r));
}

/* Valid rules and their normal forms */
static const struct {
	const char *in;
	const char *normal;
} valid[] = {
	{ "measure", "measure" },
	{ "dont_measure", "dont_measure" },
	{ "dont_appraise", "dont_appraise" },
	{ "appraise appraise_type=baseline",
	  "appraise appraise_type=baseline" },
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

static void test_valid(void **state)
{
	char buf[VTRUST_RULE_FORMAT_MAX];
	struct vtrust_rule r;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(valid); i++) {
		parse_one(valid[i].in, &r);
		format(&r, buf);
		assert_string_equal(buf, valid[i].normal);
		round_trip(&r);
	}
	print_message("%zu valid rules\n", ARRAY_SIZE(valid));
}

static void test_fields(void **state)
{
	static const u8 uuid[16] = { 0x8b, 0xcb, 0xe3, 0x94, 0x4f, 0x13,
				     0x41, 0x44, 0xbe, 0x8e, 0x5a, 0xa9,
				     0xea, 0x2c, 0xe2, 0xf6 };
	struct vtrust_rule r;

	(void)state;
	parse_one("measure func=KEXEC_KERNEL_CHECK uid<1000 euid>2 fowner=3 "
		  "fsmagic=0x1021994 fsuuid=8bcbe394-4f13-4144-be8e-"
		  "5aa9ea2ce2f6 pcr=14 template=ima-ng",
		  &r);
	assert_int_equal(r.action, VTRUST_MEASURE);
	assert_int_equal(r.func, VTRUST_KEXEC_KERNEL_CHECK);
	assert_int_equal(r.uid_op, VTRUST_OP_LT);
	assert_int_equal(r.uid, 1000);
	assert_int_equal(r.euid_op, VTRUST_OP_GT);
	assert_int_equal(r.euid, 2);
	assert_int_equal(r.fowner_op, VTRUST_OP_EQ);
	assert_int_equal(r.fowner, 3);
	assert_int_equal(r.flags, VTRUST_RULE_FSMAGIC | VTRUST_RULE_FSUUID |
					  VTRUST_RULE_TEMPLATE);
	assert_true(r.fsmagic == 0x1021994);
	assert_memory_equal(r.fsuuid, uuid, 16);
	assert_int_equal(r.pcr, 14);
	assert_int_equal(r.reserved, 0);

	parse_one("appraise appraise_type=baseline", &r);
	assert_int_equal(r.action, VTRUST_APPRAISE);
	assert_int_equal(r.func, VTRUST_FUNC_NONE);
	assert_int_equal(r.flags, VTRUST_RULE_BASELINE);
	assert_int_equal(r.uid_op, VTRUST_OP_NONE);
	assert_int_equal(r.pcr, 0);

	parse_one("dont_appraise", &r);
	assert_int_equal(r.action, VTRUST_DONT_APPRAISE);
	parse_one("dont_measure", &r);
	assert_int_equal(r.action, VTRUST_DONT_MEASURE);

	/* uid 0 with = is a condition, distinct from no condition */
	parse_one("measure fowner=0", &r);
	assert_int_equal(r.fowner_op, VTRUST_OP_EQ);
	assert_int_equal(r.fowner, 0);
	parse_one("measure fsmagic=0", &r);
	assert_int_equal(r.flags, VTRUST_RULE_FSMAGIC);
	assert_true(r.fsmagic == 0);
}

/*
 * Malformed rules: the word reported ("" for the rule as a whole) and a
 * fragment of the reason.
 */
#define U "8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6"
static const struct {
	const char *rule;
	const char *token;
	const char *reason;
} bad[] = {
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
	{ "measure fsuuid=" U " fsuuid=" U, "fsuuid=" U, "duplicate" },
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
	{ "measure fsuuid=" U "6", "fsuuid=" U "6", "not a UUID" },
	{ "measure fsuuid=8bcbe3944f134144be8e5aa9ea2ce2f6",
	  "fsuuid=8bcbe3944f134144be8e5aa9ea2ce2f6", "not a UUID" },
	{ "measure fsuuid={" U "}", "fsuuid={" U "}", "not a UUID" },
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
	{ "appraise appraise_type=", "appraise_type=", "only appraise_type" },
	{ "appraise appraise_type=imasig", "appraise_type=imasig",
	  "only appraise_type" },
	{ "appraise appraise_type=imasig|modsig", "appraise_type=imasig|modsig",
	  "only appraise_type" },
	{ "appraise appraise_type=sigv3", "appraise_type=sigv3",
	  "only appraise_type" },
	{ "appraise appraise_type=Baseline", "appraise_type=Baseline",
	  "only appraise_type" },
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
	{ "measure func=BPF_CHECK fsuuid=" U, "fsuuid=" U, "without a file" },
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

#undef U

static void expect_error(const struct vtrust_policy_error *err,
			 unsigned int line, const char *rule, const char *token,
			 const char *reason)
{
	if (err->line != line || strcmp(err->token, token) || !err->reason ||
	    !strstr(err->reason, reason))
		print_error("'%s': line %u '%s' %s; want line %u '%s' %s\n",
			    rule, err->line, err->token,
			    err->reason ? err->reason : "(null)", line, token,
			    reason);
	assert_int_equal(err->line, line);
	assert_string_equal(err->token, token);
	assert_non_null(err->reason);
	assert_non_null(strstr(err->reason, reason));
}

static void check_untouched(const struct vtrust_rule *rules, unsigned int from,
			    unsigned int to)
{
	const u8 *p = (const u8 *)&rules[from];
	size_t i;

	for (i = 0; i < (to - from) * sizeof(*rules); i++)
		assert_int_equal(p[i], SENTINEL);
}

static void test_malformed(void **state)
{
	static const char head[] = "measure func=MODULE_CHECK\n"
				   "\n"
				   "  # a comment\n"
				   "dont_measure uid=0\n";
	static const char tail[] = "\nmeasure\n";
	struct vtrust_policy_error err;
	struct vtrust_rule *rules;
	char text[2048];
	size_t i, j;

	(void)state;
	assert_true(ARRAY_SIZE(bad) >= 100);
	rules = malloc(8 * sizeof(*rules));
	assert_non_null(rules);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		/* alone, with and without a newline, and only checked */
		memset(rules, SENTINEL, 8 * sizeof(*rules));
		memset(&err, 0, sizeof(err));
		assert_int_equal(parse(bad[i].rule, rules, 8, &err), -EINVAL);
		expect_error(&err, 1, bad[i].rule, bad[i].token, bad[i].reason);
		check_untouched(rules, 0, 8);

		snprintf(text, sizeof(text), "%s\n", bad[i].rule);
		memset(&err, 0, sizeof(err));
		assert_int_equal(parse(text, NULL, 0, &err), -EINVAL);
		expect_error(&err, 1, bad[i].rule, bad[i].token, bad[i].reason);

		/* line 5 of a policy: the two rules before it only */
		snprintf(text, sizeof(text), "%s%s%s", head, bad[i].rule, tail);
		memset(rules, SENTINEL, 8 * sizeof(*rules));
		memset(&err, 0, sizeof(err));
		assert_int_equal(parse(text, rules, 8, &err), -EINVAL);
		expect_error(&err, 5, bad[i].rule, bad[i].token, bad[i].reason);
		assert_int_equal(rules[0].func, VTRUST_MODULE_CHECK);
		assert_int_equal(rules[1].action, VTRUST_DONT_MEASURE);
		check_untouched(rules, 2, 8);

		/* no error structure: same result */
		assert_int_equal(parse(text, rules, 8, NULL), -EINVAL);

		/* every truncation of the bad line parses or fails cleanly */
		for (j = 0; j <= strlen(bad[i].rule); j++)
			parse_n(bad[i].rule, j, rules, 8, &err);
	}
	free(rules);
	print_message("%zu malformed rules\n", ARRAY_SIZE(bad));
}

/* Bytes that C strings cannot hold: NUL inside a rule */
static void test_nul(void **state)
{
	static const char text[] = "measure\0func=MODULE_CHECK\n";
	struct vtrust_policy_error err;

	(void)state;
	assert_int_equal(parse_n(text, sizeof(text) - 1, NULL, 0, &err),
			 -EINVAL);
	expect_error(&err, 1, "", "measure?func=MODULE_CHECK",
		     "control character");
	/* in a comment it is ignored, like every other byte there */
	assert_int_equal(parse_n("# \0x\nmeasure", 12, NULL, 0, &err), 1);
}

static void test_lines(void **state)
{
	struct vtrust_policy_error err;
	struct vtrust_rule rules[4];

	(void)state;
	assert_int_equal(parse("", rules, 4, &err), 0);
	assert_int_equal(parse("\n\n\n", rules, 4, &err), 0);
	assert_int_equal(parse(" \t \n#\n\t# x measure\n", rules, 4, &err), 0);
	assert_int_equal(parse("measure", rules, 4, &err), 1);
	assert_int_equal(parse("measure\n", rules, 4, &err), 1);
	assert_int_equal(parse("\n\nmeasure\n\ndont_measure", rules, 4, &err),
			 2);
	assert_int_equal(rules[0].action, VTRUST_MEASURE);
	assert_int_equal(rules[1].action, VTRUST_DONT_MEASURE);

	/* line numbers count blank and comment lines */
	assert_int_equal(parse("\n#\n\nmeasure\n\nbogus\n", rules, 4, &err),
			 -EINVAL);
	expect_error(&err, 6, "", "bogus", "unknown keyword");
	assert_int_equal(parse("measure\nbogus", rules, 4, &err), -EINVAL);
	expect_error(&err, 2, "", "bogus", "unknown keyword");
	/* the first bad line is reported */
	assert_int_equal(parse("x\ny\n", rules, 4, &err), -EINVAL);
	expect_error(&err, 1, "", "x", "unknown keyword");
	/* CRLF line ends */
	assert_int_equal(parse("# dos\r\nmeasure\r\n", rules, 4, &err),
			 -EINVAL);
	expect_error(&err, 2, "", "measure?", "control character");
	/* a lone '#' word after a rule is not a comment (as in IMA) */
	assert_int_equal(parse("measure #\n", rules, 4, &err), -EINVAL);
	expect_error(&err, 1, "", "#", "unknown keyword");
}

static void test_error_token(void **state)
{
	struct vtrust_policy_error err;
	char rule[300], want[VTRUST_POLICY_TOKEN_MAX];

	(void)state;
	/* a long word is cut to 63 bytes */
	memset(rule, 'x', 200);
	memcpy(rule, "measure func=", 13);
	memset(rule + 13, 'A', 150);
	rule[7] = ' ';
	rule[163] = '\0';
	assert_int_equal(parse(rule, NULL, 0, &err), -EINVAL);
	memcpy(want, "func=", 5);
	memset(want + 5, 'A', sizeof(want) - 6);
	want[sizeof(want) - 1] = '\0';
	assert_int_equal(strlen(err.token), VTRUST_POLICY_TOKEN_MAX - 1);
	assert_string_equal(err.token, want);
	assert_string_equal(err.reason, "unknown func");

	/* non-printable bytes are shown as '?' */
	assert_int_equal(parse("measure \x80\xff\x01~ ", NULL, 0, &err),
			 -EINVAL);
	assert_string_equal(err.token, "???~");
}

static char *repeat(const char *line, unsigned int n, size_t *len)
{
	size_t l = strlen(line);
	char *text = malloc(l * n + 1);
	unsigned int i;

	assert_non_null(text);
	for (i = 0; i < n; i++)
		memcpy(text + i * l, line, l);
	*len = l * n;
	return text;
}

static void test_limits(void **state)
{
	struct vtrust_policy_error err;
	struct vtrust_rule *rules;
	char line[VTRUST_POLICY_LINE_MAX + 3];
	size_t len;
	char *text;

	(void)state;
	/* a line of exactly VTRUST_POLICY_LINE_MAX bytes, then one more */
	memset(line, ' ', sizeof(line));
	memcpy(line, "measure", 7);
	line[VTRUST_POLICY_LINE_MAX] = '\n';
	assert_int_equal(
		parse_n(line, VTRUST_POLICY_LINE_MAX + 1, NULL, 0, &err), 1);
	assert_int_equal(parse_n(line, VTRUST_POLICY_LINE_MAX, NULL, 0, &err),
			 1);
	line[VTRUST_POLICY_LINE_MAX] = ' ';
	line[VTRUST_POLICY_LINE_MAX + 1] = '\n';
	assert_int_equal(parse_n(line, VTRUST_POLICY_LINE_MAX + 2, NULL, 0,
				 &err),
			 -E2BIG);
	expect_error(&err, 1, "", "", "line too long");
	assert_int_equal(parse_n(line, VTRUST_POLICY_LINE_MAX + 1, NULL, 0,
				 &err),
			 -E2BIG);
	/* comments too */
	line[0] = '#';
	assert_int_equal(parse_n(line, VTRUST_POLICY_LINE_MAX + 1, NULL, 0,
				 &err),
			 -E2BIG);

	/* VTRUST_POLICY_RULES_MAX rules, then one more */
	text = repeat("measure\n", VTRUST_POLICY_RULES_MAX + 1, &len);
	rules = malloc(VTRUST_POLICY_RULES_MAX * sizeof(*rules));
	assert_non_null(rules);
	assert_int_equal(parse_n(text, len - 8, rules, VTRUST_POLICY_RULES_MAX,
				 &err),
			 VTRUST_POLICY_RULES_MAX);
	assert_int_equal(parse_n(text, len, rules, VTRUST_POLICY_RULES_MAX,
				 &err),
			 -E2BIG);
	expect_error(&err, VTRUST_POLICY_RULES_MAX + 1, "", "",
		     "too many rules");
	free(rules);
	/* a larger @max does not lift the cap; nor does @rules NULL */
	rules = malloc((VTRUST_POLICY_RULES_MAX + 1) * sizeof(*rules));
	assert_non_null(rules);
	memset(rules, SENTINEL, (VTRUST_POLICY_RULES_MAX + 1) * sizeof(*rules));
	assert_int_equal(parse_n(text, len, rules, VTRUST_POLICY_RULES_MAX + 1,
				 &err),
			 -E2BIG);
	check_untouched(rules, VTRUST_POLICY_RULES_MAX,
			VTRUST_POLICY_RULES_MAX + 1);
	assert_int_equal(parse_n(text, len, NULL, 0, &err), -E2BIG);
	assert_int_equal(parse_n(text, len - 8, NULL, 0, &err),
			 VTRUST_POLICY_RULES_MAX);
	free(rules);
	free(text);

	/* a smaller @max: nothing written past it (exact allocation) */
	text = repeat("measure\n#\n", 4, &len);
	rules = malloc(3 * sizeof(*rules));
	assert_non_null(rules);
	assert_int_equal(parse_n(text, len, rules, 3, &err), -E2BIG);
	expect_error(&err, 7, "", "", "too many rules");
	assert_int_equal(parse_n(text, len - 10, rules, 3, &err), 3);
	assert_int_equal(parse_n(text, len, NULL, 3, &err), 4);
	assert_int_equal(parse_n(text, len, NULL, 0, &err), 4);
	/* a malformed rule before the cap is reached is malformed */
	assert_int_equal(parse("measure\nmxasure\n", rules, 1, &err), -EINVAL);
	expect_error(&err, 2, "", "mxasure", "unknown keyword");
	assert_int_equal(parse("measure\nmeasure\nmxasure\n", rules, 1, &err),
			 -E2BIG);
	expect_error(&err, 2, "", "", "too many rules");
	free(rules);
	/* @max 0: only a policy without rules fits */
	assert_int_equal(parse_n(text, len, (struct vtrust_rule *)8, 0, &err),
			 -E2BIG);
	expect_error(&err, 1, "", "", "too many rules");
	assert_int_equal(
		parse("# nothing\n\n", (struct vtrust_rule *)8, 0, &err), 0);
	free(text);
}

static void test_format_sizes(void **state)
{
	struct vtrust_rule r;
	char full[VTRUST_RULE_FORMAT_MAX];
	char *buf;
	size_t size;
	int len;

	(void)state;
	parse_one("dont_appraise func=KEXEC_INITRAMFS_CHECK uid<4294967294 "
		  "euid>4294967294 fowner=4294967294 "
		  "fsmagic=0xffffffffffffffff "
		  "fsuuid=ffffffff-ffff-ffff-ffff-ffffffffffff",
		  &r);
	len = vtrust_rule_format(&r, full, sizeof(full));
	assert_int_equal(len, strlen(full));
	assert_int_equal(vtrust_rule_format(&r, NULL, 0), len);
	for (size = 1; size <= (size_t)len + 2; size++) {
		buf = malloc(size);
		assert_non_null(buf);
		assert_int_equal(vtrust_rule_format(&r, buf, size), len);
		if (size > (size_t)len) {
			assert_string_equal(buf, full);
		} else {
			assert_int_equal(buf[size - 1], '\0');
			assert_memory_equal(buf, full, size - 1);
		}
		free(buf);
	}

	/* the longest normal forms fit VTRUST_RULE_FORMAT_MAX */
	parse_one("measure func=KEXEC_INITRAMFS_CHECK uid<4294967294 "
		  "euid>4294967294 fowner=4294967294 "
		  "fsmagic=0xffffffffffffffff "
		  "fsuuid=ffffffff-ffff-ffff-ffff-ffffffffffff pcr=15 "
		  "template=ima-ng",
		  &r);
	assert_true(vtrust_rule_format(&r, NULL, 0) < VTRUST_RULE_FORMAT_MAX);
	parse_one("appraise func=KEXEC_INITRAMFS_CHECK uid<4294967294 "
		  "euid>4294967294 fowner=4294967294 "
		  "fsmagic=0xffffffffffffffff "
		  "fsuuid=ffffffff-ffff-ffff-ffff-ffffffffffff "
		  "appraise_type=baseline",
		  &r);
	assert_true(vtrust_rule_format(&r, NULL, 0) < VTRUST_RULE_FORMAT_MAX);
	round_trip(&r);
}

static void test_func_names(void **state)
{
	char line[64];
	struct vtrust_rule r;
	int f;

	(void)state;
	assert_null(vtrust_func_name(VTRUST_FUNC_NONE));
	assert_null(vtrust_func_name(VTRUST_FUNC_MAX));
	assert_null(vtrust_func_name((enum vtrust_func) - 1));
	assert_null(vtrust_func_name((enum vtrust_func)1000));
	assert_string_equal(vtrust_func_name(VTRUST_MODULE_CHECK),
			    "MODULE_CHECK");
	assert_string_equal(vtrust_func_name(VTRUST_KEXEC_LOAD), "KEXEC_LOAD");
	for (f = VTRUST_FUNC_NONE + 1; f < VTRUST_FUNC_MAX; f++) {
		assert_non_null(vtrust_func_name(f));
		snprintf(line, sizeof(line), "dont_measure func=%s",
			 vtrust_func_name(f));
		parse_one(line, &r);
		assert_int_equal(r.func, f);
	}
}

static void test_builtins(void **state)
{
	const struct vtrust_policy_builtin *b;
	struct vtrust_rule rules[VTRUST_FUNC_MAX];
	struct vtrust_policy_error err;
	char buf[VTRUST_RULE_FORMAT_MAX];
	unsigned int i, n = 0;
	int nr;

	(void)state;
	assert_ptr_equal(vtrust_policy_lookup("default"),
			 vtrust_policy_default);
	assert_ptr_equal(vtrust_policy_lookup("modules"),
			 vtrust_policy_modules);
	assert_null(vtrust_policy_lookup("Default"));
	assert_null(vtrust_policy_lookup(""));
	assert_null(vtrust_policy_lookup("default "));

	for (b = vtrust_policy_builtins; b->name; b++, n++) {
		const char *p = b->text;

		nr = parse(b->text, rules, ARRAY_SIZE(rules), &err);
		assert_true(nr > 0);
		/* each line of a built-in policy is its rule's normal form */
		for (i = 0; i < (unsigned int)nr; i++) {
			format(&rules[i], buf);
			assert_memory_equal(p, buf, strlen(buf));
			p += strlen(buf);
			assert_int_equal(*p++, '\n');
		}
		assert_int_equal(*p, '\0');
		assert_ptr_equal(vtrust_policy_lookup(b->name), b->text);
	}
	assert_int_equal(n, 2);

	/* default: every func; modules: MODULE_CHECK only */
	nr = parse(vtrust_policy_default, rules, ARRAY_SIZE(rules), &err);
	assert_int_equal(nr, VTRUST_FUNC_MAX - 1);
	for (i = 0; i < (unsigned int)nr; i++) {
		assert_int_equal(rules[i].action, VTRUST_MEASURE);
		assert_int_equal(rules[i].func, i + 1);
	}
	nr = parse(vtrust_policy_modules, rules, ARRAY_SIZE(rules), &err);
	assert_int_equal(nr, 1);
	assert_int_equal(rules[0].func, VTRUST_MODULE_CHECK);
}

/*
 * IMA's syntax: the lines Documentation/ABI/testing/ima_policy shows for the
 * keywords vtrust shares with IMA, and IMA's own read-back format (each word
 * followed by a space).
 */
static void test_ima_compat(void **state)
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
	/* IMA's own words, vtrust's pcr numbers */
	static const char *const ok[] = {
		"measure func=KEXEC_KERNEL_CHECK pcr=14",
		"measure func=KEXEC_INITRAMFS_CHECK pcr=15",
		"measure func=KEY_CHECK",
		"measure func=MODULE_CHECK uid=0",
		"measure func=FIRMWARE_CHECK euid=0",
		"dont_measure fowner=0",
		"measure func=MODULE_CHECK fsuuid="
		"8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6",
		"measure func=MODULE_CHECK uid<1000",
		"measure func=MODULE_CHECK uid>999",
		"measure func=MODULE_CHECK fowner<1000",
		"measure func=MODULE_CHECK template=ima-ng",
		/* IMA's read-back: a space after every word */
		"measure func=MODULE_CHECK ",
		"dont_measure fsmagic=0x9fa0 ",
		"measure func=KEY_CHECK uid=0 pcr=12 ",
	};
	/* IMA's lines that vtrust refuses, and why */
	static const struct {
		const char *rule, *token, *reason;
	} refused[] = {
		{ "measure func=KEXEC_KERNEL_CHECK pcr=4", "pcr=4",
		  "pcr must be" },
		{ "measure func=KEXEC_INITRAMFS_CHECK pcr=5", "pcr=5",
		  "pcr must be" },
		{ "appraise fowner=0", "appraise", "appraise_type=baseline" },
		{ "appraise func=KEXEC_KERNEL_CHECK appraise_type=imasig|modsig",
		  "appraise_type=imasig|modsig", "only appraise_type" },
		{ "measure func=KEY_CHECK keyrings=.builtin_trusted_keys|.ima",
		  "keyrings=.builtin_trusted_keys|.ima", "IMA keyword" },
		{ "measure func=BPRM_CHECK", "func=BPRM_CHECK",
		  "unknown func" },
		{ "measure func=FILE_MMAP mask=MAY_EXEC", "func=FILE_MMAP",
		  "unknown func" },
		{ "measure func=FILE_CHECK mask=MAY_READ uid=0",
		  "func=FILE_CHECK", "unknown func" },
		{ "appraise func=SETXATTR_CHECK appraise_algos=sha256,sha384",
		  "func=SETXATTR_CHECK", "unknown func" },
		{ "measure func=FILE_CHECK digest_type=verity "
		  "template=ima-ngv2",
		  "func=FILE_CHECK", "unknown func" },
		{ "measure template=ima-sig", "template=ima-sig",
		  "only template" },
		{ "dont_measure obj_type=var_log_t", "obj_type=var_log_t",
		  "IMA keyword" },
		{ "measure subj_user=_ func=MODULE_CHECK", "subj_user=_",
		  "IMA keyword" },
	};
	struct vtrust_rule rules[64], r;
	struct vtrust_policy_error err;
	char buf[VTRUST_RULE_FORMAT_MAX];
	size_t i;
	int nr;

	(void)state;
	nr = parse(ima_default, rules, ARRAY_SIZE(rules), &err);
	assert_int_equal(nr, 25);
	for (i = 0; i < 21; i++) {
		assert_true(rules[i].action == VTRUST_DONT_MEASURE ||
			    rules[i].action == VTRUST_DONT_APPRAISE);
		assert_int_equal(rules[i].flags, VTRUST_RULE_FSMAGIC);
	}
	assert_true(rules[0].fsmagic == 0x9fa0);
	assert_true(rules[6].fsmagic == 0x01021994);
	format(&rules[6], buf);
	/* ima_policy_show() prints fsmagic=0x%lx */
	assert_string_equal(buf, "dont_measure fsmagic=0x1021994");
	assert_int_equal(rules[21].func, VTRUST_MODULE_CHECK);
	assert_int_equal(rules[24].func, VTRUST_POLICY_CHECK);
	for (i = 0; i < (size_t)nr; i++)
		round_trip(&rules[i]);

	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		parse_one(ok[i], &r);
		round_trip(&r);
	}
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		assert_int_equal(parse(refused[i].rule, NULL, 0, &err),
				 -EINVAL);
		expect_error(&err, 1, refused[i].rule, refused[i].token,
			     refused[i].reason);
	}
}

/* Match semantics */

static struct vtrust_rule *policy(const char *text, unsigned int *n)
{
	struct vtrust_policy_error err;
	struct vtrust_rule *rules = malloc(64 * sizeof(*rules));
	int nr;

	assert_non_null(rules);
	nr = parse(text, rules, 64, &err);
	if (nr < 0)
		print_error("line %u '%s': %s\n", err.line, err.token,
			    err.reason);
	assert_true(nr >= 0);
	*n = nr;
	return rules;
}

static struct vtrust_event_attrs ev_file(enum vtrust_func func, u32 uid,
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

static unsigned int match(const char *text, const struct vtrust_event_attrs *ev,
			  u32 *pcr)
{
	struct vtrust_rule *rules;
	unsigned int n, ret;

	rules = policy(text, &n);
	ret = vtrust_policy_match(rules, n, ev, pcr);
	free(rules);
	return ret;
}

static void test_match_order(void **state)
{
	struct vtrust_event_attrs mod = ev_file(VTRUST_MODULE_CHECK, 0, 0, 0);
	struct vtrust_event_attrs fw = ev_file(VTRUST_FIRMWARE_CHECK, 0, 0, 0);
	u32 pcr;

	(void)state;
	/* nothing matches: nothing to do */
	pcr = 99;
	assert_int_equal(match("", &mod, &pcr), 0);
	assert_int_equal(pcr, 0);
	assert_int_equal(vtrust_policy_match(NULL, 0, &mod, NULL), 0);
	assert_int_equal(match("measure func=FIRMWARE_CHECK", &mod, &pcr), 0);

	/* the first measure rule that matches decides, with its pcr */
	assert_int_equal(match("measure func=MODULE_CHECK pcr=12\n"
			       "measure pcr=13\n",
			       &mod, &pcr),
			 VTRUST_MEASURE);
	assert_int_equal(pcr, 12);
	assert_int_equal(match("measure func=MODULE_CHECK pcr=12\n"
			       "measure pcr=13\n",
			       &fw, &pcr),
			 VTRUST_MEASURE);
	assert_int_equal(pcr, 13);
	assert_int_equal(match("measure\nmeasure pcr=13\n", &fw, &pcr),
			 VTRUST_MEASURE);
	assert_int_equal(pcr, 0);

	/* dont_measure before measure wins, and the other way round */
	assert_int_equal(match("dont_measure func=FIRMWARE_CHECK\n"
			       "measure pcr=14\n",
			       &fw, &pcr),
			 0);
	assert_int_equal(pcr, 0);
	assert_int_equal(match("dont_measure func=FIRMWARE_CHECK\n"
			       "measure pcr=14\n",
			       &mod, &pcr),
			 VTRUST_MEASURE);
	assert_int_equal(pcr, 14);
	assert_int_equal(match("measure func=FIRMWARE_CHECK\n"
			       "dont_measure func=FIRMWARE_CHECK\n",
			       &fw, &pcr),
			 VTRUST_MEASURE);

	/* measure and appraise are decided separately */
	assert_int_equal(match("dont_measure\n"
			       "appraise appraise_type=baseline\n",
			       &mod, &pcr),
			 VTRUST_APPRAISE);
	assert_int_equal(match("appraise appraise_type=baseline\n"
			       "measure pcr=15\n",
			       &mod, &pcr),
			 VTRUST_APPRAISE | VTRUST_MEASURE);
	assert_int_equal(pcr, 15);
	assert_int_equal(match("dont_appraise func=MODULE_CHECK\n"
			       "appraise appraise_type=baseline\n"
			       "measure\n",
			       &mod, &pcr),
			 VTRUST_MEASURE);
	assert_int_equal(match("dont_appraise func=MODULE_CHECK\n"
			       "appraise appraise_type=baseline\n"
			       "measure\n",
			       &fw, &pcr),
			 VTRUST_MEASURE | VTRUST_APPRAISE);
	assert_int_equal(match("dont_appraise\n", &fw, &pcr), 0);

	/* an event with no func matches only rules without func= */
	mod.func = VTRUST_FUNC_NONE;
	assert_int_equal(match("measure func=MODULE_CHECK\n", &mod, &pcr), 0);
	assert_int_equal(match("measure func=MODULE_CHECK\nmeasure pcr=9\n",
			       &mod, &pcr),
			 VTRUST_MEASURE);
	assert_int_equal(pcr, 9);
}

static void test_match_ids(void **state)
{
	static const struct {
		const char *cond;
		u32 yes, no;
	} ids[] = {
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
	static const char *const names[] = { "uid", "euid", "fowner" };
	struct vtrust_event_attrs ev;
	char text[64];
	size_t i, k;
	u32 v;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(names); k++) {
		for (i = 0; i < ARRAY_SIZE(ids); i++) {
			snprintf(text, sizeof(text), "measure %s%s", names[k],
				 ids[i].cond);
			ev = ev_file(VTRUST_MODULE_CHECK, 7, 7, 0);
			v = ids[i].yes;
			*(k == 0 ? &ev.uid :
			  k == 1 ? &ev.euid :
				   &ev.fowner) = v;
			assert_int_equal(match(text, &ev, NULL),
					 VTRUST_MEASURE);
			v = ids[i].no;
			*(k == 0 ? &ev.uid :
			  k == 1 ? &ev.euid :
				   &ev.fowner) = v;
			assert_int_equal(match(text, &ev, NULL), 0);
		}
	}
	/* uid and euid are distinct */
	ev = ev_file(VTRUST_MODULE_CHECK, 0, 0, 0);
	ev.euid = 5;
	assert_int_equal(match("measure euid=0", &ev, NULL), 0);
	assert_int_equal(match("measure uid=0", &ev, NULL), VTRUST_MEASURE);
	assert_int_equal(match("measure uid=0 euid=5", &ev, NULL),
			 VTRUST_MEASURE);
	assert_int_equal(match("measure uid=0 euid=0", &ev, NULL), 0);
	/* uid conditions hold without a file */
	ev.has_file = 0;
	assert_int_equal(match("measure uid=0", &ev, NULL), VTRUST_MEASURE);
	/* keys: only an explicit func=KEY_CHECK applies, as in IMA */
	ev.func = VTRUST_KEY_CHECK;
	assert_int_equal(match("measure", &ev, NULL), 0);
	assert_int_equal(match("measure uid=0", &ev, NULL), 0);
	assert_int_equal(match("measure func=KEY_CHECK", &ev, NULL),
			 VTRUST_MEASURE);
	assert_int_equal(match("dont_measure\nmeasure func=KEY_CHECK", &ev,
			       NULL),
			 VTRUST_MEASURE);
}

static void test_match_file(void **state)
{
	static const char uuid_text[] = "8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6";
	static const u8 uuid[16] = { 0x8b, 0xcb, 0xe3, 0x94, 0x4f, 0x13,
				     0x41, 0x44, 0xbe, 0x8e, 0x5a, 0xa9,
				     0xea, 0x2c, 0xe2, 0xf6 };
	struct vtrust_event_attrs ev;
	char text[128];
	size_t i;

	(void)state;
	/* fsmagic */
	ev = ev_file(VTRUST_FIRMWARE_CHECK, 0, 0, 0x9fa0);
	assert_int_equal(match("measure fsmagic=0x9fa0", &ev, NULL),
			 VTRUST_MEASURE);
	assert_int_equal(match("measure fsmagic=9FA0", &ev, NULL),
			 VTRUST_MEASURE);
	assert_int_equal(match("measure fsmagic=0x9fa1", &ev, NULL), 0);
	assert_int_equal(
		match("dont_measure fsmagic=0x9fa0\nmeasure\n", &ev, NULL), 0);
	ev.fsmagic = 0x1021994;
	assert_int_equal(match("dont_measure fsmagic=0x9fa0\nmeasure\n", &ev,
			       NULL),
			 VTRUST_MEASURE);
	ev.fsmagic = 0xffffffff00009fa0ULL; /* all 64 bits compared */
	assert_int_equal(match("measure fsmagic=0x9fa0", &ev, NULL), 0);
	assert_int_equal(match("measure fsmagic=0xffffffff00009fa0", &ev, NULL),
			 VTRUST_MEASURE);
	/* fsmagic=0 matches a file whose fsmagic is 0, but not no file */
	ev.fsmagic = 0;
	assert_int_equal(match("measure fsmagic=0", &ev, NULL), VTRUST_MEASURE);
	ev.has_file = 0;
	assert_int_equal(match("measure fsmagic=0", &ev, NULL), 0);

	/* fsuuid: every byte */
	ev = ev_file(VTRUST_MODULE_CHECK, 0, 0, 0);
	memcpy(ev.fsuuid, uuid, 16);
	snprintf(text, sizeof(text), "measure fsuuid=%s", uuid_text);
	assert_int_equal(match(text, &ev, NULL), VTRUST_MEASURE);
	for (i = 0; i < 16; i++) {
		ev.fsuuid[i] ^= 1;
		assert_int_equal(match(text, &ev, NULL), 0);
		ev.fsuuid[i] ^= 1;
	}
	ev.has_file = 0;
	assert_int_equal(match(text, &ev, NULL), 0);
	/* the null UUID is a condition like any other */
	ev = ev_file(VTRUST_MODULE_CHECK, 0, 0, 0);
	assert_int_equal(match("measure "
			       "fsuuid=00000000-0000-0000-0000-000000000000",
			       &ev, NULL),
			 VTRUST_MEASURE);
	ev.has_file = 0;
	assert_int_equal(match("measure "
			       "fsuuid=00000000-0000-0000-0000-000000000000",
			       &ev, NULL),
			 0);

	/* an event without a file never matches a file condition */
	ev = ev_file(VTRUST_MODULE_CHECK, 0, 0, 0);
	ev.has_file = 0;
	assert_int_equal(match("measure fowner=0", &ev, NULL), 0);
	assert_int_equal(match("measure fowner<1", &ev, NULL), 0);
	assert_int_equal(match("measure fowner>4294967294", &ev, NULL), 0);
	assert_int_equal(match("dont_measure fowner=0\nmeasure", &ev, NULL),
			 VTRUST_MEASURE);
	assert_int_equal(match("measure func=MODULE_CHECK", &ev, NULL),
			 VTRUST_MEASURE);
	/* but an appraise rule with a file condition fails closed */
	assert_int_equal(match("appraise fowner=0 appraise_type=baseline",
			       &ev, NULL),
			 VTRUST_APPRAISE);
	snprintf(text, sizeof(text),
		 "appraise func=MODULE_CHECK fsuuid=%s appraise_type=baseline",
		 uuid_text);
	assert_int_equal(match(text, &ev, NULL), VTRUST_APPRAISE);
	assert_int_equal(match("dont_appraise fsmagic=0x9fa0\n"
			       "appraise appraise_type=baseline",
			       &ev, NULL),
			 VTRUST_APPRAISE);
	assert_int_equal(match("appraise func=FIRMWARE_CHECK fowner=0 "
			       "appraise_type=baseline",
			       &ev, NULL),
			 0);
	/* any nonzero has_file is true */
	ev.has_file = 0x80;
	assert_int_equal(match("measure fowner=0", &ev, NULL), VTRUST_MEASURE);

	/* all conditions must hold */
	ev = ev_file(VTRUST_MODULE_CHECK, 0, 0, 0x9fa0);
	memcpy(ev.fsuuid, uuid, 16);
	snprintf(text, sizeof(text),
		 "measure func=MODULE_CHECK uid=0 euid<1 fowner=0 "
		 "fsmagic=0x9fa0 fsuuid=%s pcr=14",
		 uuid_text);
	assert_int_equal(match(text, &ev, NULL), VTRUST_MEASURE);
	ev.func = VTRUST_FIRMWARE_CHECK;
	assert_int_equal(match(text, &ev, NULL), 0);
	ev.func = VTRUST_MODULE_CHECK;
	ev.uid = 1;
	assert_int_equal(match(text, &ev, NULL), 0);
	ev.uid = 0;
	ev.euid = 1;
	assert_int_equal(match(text, &ev, NULL), 0);
	ev.euid = 0;
	ev.fowner = 1;
	assert_int_equal(match(text, &ev, NULL), 0);
	ev.fowner = 0;
	ev.fsmagic = 1;
	assert_int_equal(match(text, &ev, NULL), 0);
}

static void test_match_builtins(void **state)
{
	struct vtrust_event_attrs ev;
	int f;

	(void)state;
	for (f = VTRUST_FUNC_NONE + 1; f < VTRUST_FUNC_MAX; f++) {
		ev = ev_file(f, 1000, 1000, 0x9fa0);
		ev.has_file = f != VTRUST_KEY_CHECK && f != VTRUST_BPF_CHECK &&
			      f != VTRUST_KEXEC_LOAD;
		assert_int_equal(match(vtrust_policy_default, &ev, NULL),
				 VTRUST_MEASURE);
		assert_int_equal(match(vtrust_policy_modules, &ev, NULL),
				 f == VTRUST_MODULE_CHECK ? VTRUST_MEASURE : 0);
	}
}

/*
 * Random policies from a vocabulary of good and bad words: the whole text is
 * accepted exactly when each of its lines is, with the same rules, and every
 * rule round-trips.
 */
static void test_random(void **state)
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
	struct vtrust_policy_error err, err1;
	struct vtrust_rule *rules, *one;
	char text[4096];
	size_t len, start[4], end[4];
	unsigned int accepted = 0, i;
	int nr, nr1, k, w, lines, good;

	(void)state;
	srand(20261127);
	rules = malloc(4 * sizeof(*rules));
	one = malloc(sizeof(*one));
	assert_non_null(rules);
	assert_non_null(one);
	for (i = 0; i < 20000; i++) {
		len = 0;
		lines = 1 + rand() % 4;
		for (k = 0; k < lines; k++) {
			start[k] = len;
			len += snprintf(text + len, sizeof(text) - len, "%s",
					actions[rand() % 4]);
			for (w = rand() % 5; w > 0; w--)
				len += snprintf(
					text + len, sizeof(text) - len, " %s",
					words[rand() % ARRAY_SIZE(words)]);
			end[k] = len;
			text[len++] = '\n';
		}
		nr = parse_n(text, len, rules, 4, &err);
		assert_true(nr == lines || nr == -EINVAL);
		good = 0;
		for (k = 0; k < lines; k++) {
			memset(one, SENTINEL, sizeof(*one));
			nr1 = parse_n(text + start[k], end[k] - start[k], one,
				      1, &err1);
			assert_true(nr1 == 1 || nr1 == -EINVAL);
			if (nr1 < 0) {
				/* the whole text failed here first */
				assert_int_equal(nr, -EINVAL);
				assert_int_equal(err.line, k + 1);
				assert_string_equal(err.token, err1.token);
				assert_string_equal(err.reason, err1.reason);
				break;
			}
			good++;
			round_trip(one);
			if (nr > 0)
				assert_memory_equal(one, &rules[k],
						    sizeof(*one));
		}
		assert_true(nr < 0 || good == lines);
		if (nr > 0)
			accepted += nr;
	}
	print_message("%u random rules accepted and round-tripped\n", accepted);
	assert_true(accepted > 1000);
	free(rules);
	free(one);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nul),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_error_token),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_format_sizes),
		cmocka_unit_test(test_func_names),
		cmocka_unit_test(test_builtins),
		cmocka_unit_test(test_ima_compat),
		cmocka_unit_test(test_match_order),
		cmocka_unit_test(test_match_ids),
		cmocka_unit_test(test_match_file),
		cmocka_unit_test(test_match_builtins),
		cmocka_unit_test(test_random),
	};

	return UNIT_RUN(tests);
}
