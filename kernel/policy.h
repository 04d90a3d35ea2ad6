/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vtrust's policy language (pure: see pure.h).
 *
 * A policy is text, one rule per line; blank lines and lines whose first
 * non-blank character is '#' are ignored. A rule is words separated by spaces
 * or tabs, in any order, with IMA's syntax and meaning where IMA has the
 * keyword:
 *
 *   action     measure | dont_measure | appraise | dont_appraise
 *   func=      MODULE_CHECK | FIRMWARE_CHECK | KEXEC_KERNEL_CHECK |
 *              KEXEC_INITRAMFS_CHECK | POLICY_CHECK | KEY_CHECK |
 *              BPF_CHECK | KEXEC_LOAD                (no func=: any)
 *   uid= uid< uid> euid= euid< euid>                 decimal, the loader's
 *   fowner= fowner< fowner>                          decimal, the file's owner
 *   fsmagic=   hex, "0x" optional                    the file's filesystem
 *   fsuuid=    8-4-4-4-12 hex UUID                   the file's filesystem
 *   pcr=       8, 9 or 11-15                         measure only
 *   template=  ima-ng                                measure only
 *   appraise_type=baseline | sig                     appraise only, required
 *
 * fowner, fsmagic and fsuuid are file conditions: an event without a file
 * never matches a rule that has one, and a rule for a func that never has a
 * file (KEY_CHECK, BPF_CHECK, KEXEC_LOAD) may not have one. KEY_CHECK rules
 * may only measure or dont_measure (as in IMA). appraise_type=sig (a
 * detached signature beside the file: fwsig.c) goes only with
 * func=FIRMWARE_CHECK. Each of action, func, uid, euid, fowner, fsmagic,
 * fsuuid, pcr, template and appraise_type appears at most once in a rule:
 * "uid=0 uid>5" is a duplicate, as in IMA. Unlike IMA, a rule may have both
 * a uid and an euid condition.
 *
 * Numbers are digits only (no sign, no spaces); uids are 0-4294967294 (IMA
 * refuses 4294967295, the invalid uid).
 */
#ifndef _VTRUST_POLICY_H
#define _VTRUST_POLICY_H

#include "pure.h"

#define VTRUST_POLICY_LINE_MAX 1024 /* bytes in a line, not counting '\n' */
#define VTRUST_POLICY_RULES_MAX 1024 /* rules in a policy */
#define VTRUST_RULE_FORMAT_MAX 256 /* any normal form and its NUL fit */
#define VTRUST_POLICY_TOKEN_MAX 64 /* struct vtrust_policy_error.token */

enum vtrust_func {
	VTRUST_FUNC_NONE, /* in a rule: any func */
	VTRUST_MODULE_CHECK,
	VTRUST_FIRMWARE_CHECK,
	VTRUST_KEXEC_KERNEL_CHECK,
	VTRUST_KEXEC_INITRAMFS_CHECK,
	VTRUST_POLICY_CHECK,
	VTRUST_KEY_CHECK,
	VTRUST_BPF_CHECK,
	VTRUST_KEXEC_LOAD,
	VTRUST_FUNC_MAX
};

/* A rule's action (exactly one), and what vtrust_policy_match() returns */
#define VTRUST_MEASURE 0x1
#define VTRUST_DONT_MEASURE 0x2
#define VTRUST_APPRAISE 0x4
#define VTRUST_DONT_APPRAISE 0x8
/* Returned with VTRUST_APPRAISE when the deciding rule is appraise_type=sig */
#define VTRUST_APPRAISE_SIG 0x10

/* How a uid, euid or fowner condition compares the event's value */
enum vtrust_op {
	VTRUST_OP_NONE, /* no condition */
	VTRUST_OP_EQ, /* event == rule */
	VTRUST_OP_LT, /* event < rule */
	VTRUST_OP_GT, /* event > rule */
};

/* struct vtrust_rule.flags */
#define VTRUST_RULE_FSMAGIC 0x1 /* fsmagic= */
#define VTRUST_RULE_FSUUID 0x2 /* fsuuid= */
#define VTRUST_RULE_TEMPLATE 0x4 /* template=ima-ng */
#define VTRUST_RULE_BASELINE 0x8 /* appraise_type=baseline */
#define VTRUST_RULE_SIG 0x10 /* appraise_type=sig */

/*
 * One parsed rule: 48 bytes, no pointers, no padding. The parser zeroes a
 * rule before it fills it in, so two rules are the same rule exactly when
 * memcmp() says so. Fields of conditions that are absent are zero.
 */
struct vtrust_rule {
	u8 action; /* VTRUST_MEASURE, ... */
	u8 func; /* enum vtrust_func; VTRUST_FUNC_NONE: any */
	u8 uid_op; /* enum vtrust_op */
	u8 euid_op;
	u8 fowner_op;
	u8 pcr; /* 0: the module's pcr= */
	u16 flags; /* VTRUST_RULE_* */
	u32 uid;
	u32 euid;
	u32 fowner;
	u32 reserved; /* zero */
	u64 fsmagic;
	u8 fsuuid[16];
};

/*
 * Where and why a policy was refused. @line counts from 1. @token is the word
 * at fault (truncated, NUL-terminated, bytes outside printable ASCII shown as
 * '?'), or "" when the fault is the line as a whole. @reason is a constant
 * string.
 */
struct vtrust_policy_error {
	unsigned int line;
	char token[VTRUST_POLICY_TOKEN_MAX];
	const char *reason;
};

/*
 * Parse the policy @text of @len bytes (no NUL needed; the last line needs no
 * '\n') into @rules. At most min(@max, VTRUST_POLICY_RULES_MAX) rules are
 * accepted; with @rules NULL the text is only checked and counted, against
 * VTRUST_POLICY_RULES_MAX, and @max is ignored.
 *
 * Returns the number of rules; or -EINVAL for a malformed rule, -E2BIG for a
 * line longer than VTRUST_POLICY_LINE_MAX or one rule too many, with *@err
 * filled in if @err is not NULL. Rule i is written only once it and every
 * rule before it have been accepted, so on error @rules[i] for i at or past
 * the count of good rules before the faulty line is untouched, and nothing at
 * or past @rules[@max] is ever written. Stack use: about 500 bytes.
 */
int vtrust_policy_parse(const char *text, size_t len, struct vtrust_rule *rules,
			unsigned int max, struct vtrust_policy_error *err);

/*
 * The normal form of @rule: one line, no '\n', words in the order action,
 * func, uid, euid, fowner, fsmagic (lowercase hex with 0x), fsuuid
 * (lowercase), pcr, template, appraise_type, one space between words. It
 * parses back to the same rule. snprintf semantics: returns the length of the
 * whole form (< VTRUST_RULE_FORMAT_MAX) and writes at most @size bytes, always
 * NUL-terminated if @size is not 0.
 */
int vtrust_rule_format(const struct vtrust_rule *rule, char *buf, size_t size);

/* What vtrust_policy_match() is told about one load */
struct vtrust_event_attrs {
	enum vtrust_func func;
	u8 has_file; /* nonzero: fowner, fsmagic and fsuuid are valid */
	u32 uid; /* of the loading task */
	u32 euid;
	u32 fowner; /* of the file */
	u64 fsmagic; /* of the file's superblock */
	u8 fsuuid[16];
};

/*
 * IMA's semantics: the rules are tried in order; the first rule whose
 * conditions all hold and whose action is measure or dont_measure decides
 * measurement, and independently the first one whose action is appraise or
 * dont_appraise decides appraisal. Returns VTRUST_MEASURE and/or
 * VTRUST_APPRAISE (with VTRUST_APPRAISE_SIG when that rule is
 * appraise_type=sig), or 0. *@pcr (if @pcr is not NULL) gets the pcr= of the
 * deciding measure rule, 0 if it has none or nothing is measured. For an
 * event without a file, a rule's file conditions (fowner, fsmagic, fsuuid)
 * are unknown: an appraise rule then holds (fail closed), no other does.
 * As in IMA, a rule without func= does not apply to KEY_CHECK.
 */
unsigned int vtrust_policy_match(const struct vtrust_rule *rules,
				 unsigned int n,
				 const struct vtrust_event_attrs *ev, u32 *pcr);

/* "MODULE_CHECK", ...; NULL for VTRUST_FUNC_NONE or an invalid value */
const char *vtrust_func_name(enum vtrust_func func);

/* The built-in policies, by name for the module parameter */
struct vtrust_policy_builtin {
	const char *name;
	const char *text;
};

extern const char *const vtrust_policy_default; /* "default": every func */
extern const char *const vtrust_policy_modules; /* "modules": MODULE_CHECK */

/* Every built-in policy; the last entry is { NULL, NULL } */
extern const struct vtrust_policy_builtin vtrust_policy_builtins[];

/* The text of the built-in policy called @name, or NULL */
const char *vtrust_policy_lookup(const char *name);

#endif /* _VTRUST_POLICY_H */
