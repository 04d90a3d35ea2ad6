// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: vtrust_policy_parse() on arbitrary text (libFuzzer's heap
 * copy of exactly @size bytes, no NUL).
 *
 * - Checking only (@rules NULL) and parsing into a short array agree: the
 *   same count, or the same error, or "too many rules" before the bad line.
 * - The error is well formed: a line inside the text, a NUL-terminated
 *   printable token, a reason.
 * - On error, no rule is written from the first one the bad line would have
 *   taken; nothing is ever written past the array (exact allocation).
 * - Every accepted rule's normal form fits VTRUST_RULE_FORMAT_MAX, parses
 *   back to the identical rule, and is its own normal form; formatting into
 *   a short buffer truncates like snprintf.
 * - vtrust_policy_match() agrees with a plain re-implementation of IMA's
 *   first-match rule for an event drawn from the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define MAX_RULES 32
#define SENTINEL 0xa5

static void check_error(const struct vtrust_policy_error *err, size_t size)
{
	size_t i, n;

	if (err->line < 1 || err->line > size + 1 || !err->reason)
		abort();
	n = strnlen(err->token, sizeof(err->token));
	if (n == sizeof(err->token))
		abort();
	for (i = 0; i < n; i++)
		if (err->token[i] < 0x20 || err->token[i] > 0x7e)
			abort();
}

/* Offset of the start of line @line (from 1) in @text */
static size_t line_start(const char *text, size_t size, unsigned int line)
{
	size_t pos = 0;

	while (--line) {
		const char *nl = memchr(text + pos, '\n', size - pos);

		if (!nl)
			abort();
		pos = nl - text + 1;
	}
	return pos;
}

static void round_trip(const struct vtrust_rule *r, size_t cut)
{
	char buf[VTRUST_RULE_FORMAT_MAX], again[VTRUST_RULE_FORMAT_MAX];
	struct vtrust_rule *back = malloc(sizeof(*back));
	char *small;
	int len;

	if (!back)
		abort();
	len = vtrust_rule_format(r, buf, sizeof(buf));
	if (len <= 0 || len >= VTRUST_RULE_FORMAT_MAX ||
	    strlen(buf) != (size_t)len)
		abort();
	if (vtrust_policy_parse(buf, len, back, 1, NULL) != 1 ||
	    memcmp(back, r, sizeof(*r)))
		abort();
	if (vtrust_rule_format(back, again, sizeof(again)) != len ||
	    strcmp(buf, again))
		abort();
	free(back);

	/* a buffer of @cut bytes: a NUL-terminated prefix */
	cut %= len + 2;
	small = malloc(cut ? cut : 1);
	if (!small)
		abort();
	if (vtrust_rule_format(r, cut ? small : NULL, cut) != len)
		abort();
	if (cut &&
	    (strnlen(small, cut) != (cut > (size_t)len ? len : cut - 1) ||
	     memcmp(small, buf, strlen(small))))
		abort();
	free(small);
}

/* IMA's matching, written out plainly */
static int cmp(u8 op, u32 ev, u32 rule)
{
	return op == VTRUST_OP_NONE || (op == VTRUST_OP_EQ && ev == rule) ||
	       (op == VTRUST_OP_LT && ev < rule) ||
	       (op == VTRUST_OP_GT && ev > rule);
}

static int holds(const struct vtrust_rule *r,
		 const struct vtrust_event_attrs *ev)
{
	int file = r->fowner_op ||
		   (r->flags & (VTRUST_RULE_FSMAGIC | VTRUST_RULE_FSUUID));

	if (file && !ev->has_file) /* unknown: appraise fails closed */
		return (r->func ? r->func == ev->func : ev->func != VTRUST_KEY_CHECK) &&
		       cmp(r->uid_op, ev->uid, r->uid) &&
		       cmp(r->euid_op, ev->euid, r->euid) &&
		       r->action == VTRUST_APPRAISE;
	return (r->func ? r->func == ev->func : ev->func != VTRUST_KEY_CHECK) &&
	       cmp(r->uid_op, ev->uid, r->uid) &&
	       cmp(r->euid_op, ev->euid, r->euid) &&
	       cmp(r->fowner_op, ev->fowner, r->fowner) &&
	       (!(r->flags & VTRUST_RULE_FSMAGIC) ||
		r->fsmagic == ev->fsmagic) &&
	       (!(r->flags & VTRUST_RULE_FSUUID) ||
		!memcmp(r->fsuuid, ev->fsuuid, 16));
}

static unsigned int ref_match(const struct vtrust_rule *rules, int n,
			      const struct vtrust_event_attrs *ev, u32 *pcr)
{
	unsigned int act = 0;
	int i, m = 0, a = 0;

	*pcr = 0;
	for (i = 0; i < n; i++) {
		if (!holds(&rules[i], ev))
			continue;
		if (!m && (rules[i].action == VTRUST_MEASURE ||
			   rules[i].action == VTRUST_DONT_MEASURE)) {
			m = 1;
			if (rules[i].action == VTRUST_MEASURE) {
				act |= VTRUST_MEASURE;
				*pcr = rules[i].pcr;
			}
		}
		if (!a && (rules[i].action == VTRUST_APPRAISE ||
			   rules[i].action == VTRUST_DONT_APPRAISE)) {
			a = 1;
			if (rules[i].action == VTRUST_APPRAISE)
				act |= VTRUST_APPRAISE;
		}
	}
	return act;
}

/* An event from the rules' own values (so that conditions can hold) */
static void make_event(const struct vtrust_rule *rules, int n,
		       const uint8_t *data, size_t size,
		       struct vtrust_event_attrs *ev)
{
	uint8_t b[4] = { 0 };
	const struct vtrust_rule *r;

	memcpy(b, data, size < 4 ? size : 4);
	memset(ev, 0, sizeof(*ev));
	r = &rules[b[0] % n];
	ev->func = b[1] % (VTRUST_FUNC_MAX + 1);
	ev->has_file = b[1] & 0x80;
	ev->uid = r->uid + (b[2] & 3) - 1;
	ev->euid = rules[b[3] % n].euid + ((b[2] >> 2) & 3) - 1;
	ev->fowner = r->fowner + ((b[2] >> 4) & 3) - 1;
	ev->fsmagic = (b[3] & 1) ? r->fsmagic : rules[0].fsmagic;
	memcpy(ev->fsuuid, (b[3] & 2) ? r->fsuuid : rules[0].fsuuid, 16);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct vtrust_policy_error err, err0;
	struct vtrust_event_attrs ev;
	struct vtrust_rule *rules;
	unsigned int act, ref;
	int nr0, nr, before, i;
	size_t k;
	u32 pcr, rpcr;

	nr0 = vtrust_policy_parse(text, size, NULL, 0, &err0);
	if (nr0 < 0) {
		if (nr0 != -EINVAL && nr0 != -E2BIG)
			abort();
		check_error(&err0, size);
	} else if (nr0 > VTRUST_POLICY_RULES_MAX) {
		abort();
	}

	rules = malloc(MAX_RULES * sizeof(*rules));
	if (!rules)
		abort();
	memset(rules, SENTINEL, MAX_RULES * sizeof(*rules));
	nr = vtrust_policy_parse(text, size, rules, MAX_RULES, &err);
	if (nr >= 0) {
		if (nr != nr0)
			abort();
	} else {
		check_error(&err, size);
		if (nr0 >= 0 || err.line < err0.line) {
			/* the short array filled up first */
			if (nr != -E2BIG ||
			    strcmp(err.reason, "too many rules"))
				abort();
			if (nr0 >= 0 && nr0 <= MAX_RULES)
				abort();
		} else if (nr != nr0 || err.line != err0.line ||
			   strcmp(err.token, err0.token) ||
			   strcmp(err.reason, err0.reason)) {
			abort();
		}
		/* the rules of the lines before the bad one only */
		before = vtrust_policy_parse(
			text, line_start(text, size, err.line), NULL, 0, NULL);
		if (before < 0 || before > MAX_RULES)
			abort();
		for (k = before * sizeof(*rules);
		     k < MAX_RULES * sizeof(*rules); k++)
			if (((uint8_t *)rules)[k] != SENTINEL)
				abort();
		free(rules);
		return 0;
	}

	for (i = 0; i < nr; i++) {
		if (!rules[i].action || rules[i].func >= VTRUST_FUNC_MAX ||
		    rules[i].reserved)
			abort();
		round_trip(&rules[i], size + i);
	}
	if (nr) {
		make_event(rules, nr, data, size, &ev);
		act = vtrust_policy_match(rules, nr, &ev, &pcr);
		ref = ref_match(rules, nr, &ev, &rpcr);
		if (act != ref || pcr != rpcr)
			abort();
		if (act & ~(VTRUST_MEASURE | VTRUST_APPRAISE))
			abort();
		if (pcr && (!(act & VTRUST_MEASURE) || pcr < 8 || pcr == 10 ||
			    pcr > 23))
			abort();
	}
	free(rules);
	return 0;
}
