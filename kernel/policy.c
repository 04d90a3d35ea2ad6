// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtrust's policy language (pure: see pure.h; the language is described in
 * policy.h).
 *
 * The tokenizer is a table: a pattern is either a whole word ("measure") or
 * a keyword that ends in '=', '<' or '>' and is followed by its value
 * ("uid<1000"). A line is cut into words at spaces and tabs, each word is
 * looked up in the table, and one switch applies it to the rule. The checks
 * that need the whole rule (an option that does not fit the action, say) run
 * once the line has been read, so words may come in any order, as in IMA.
 *
 * Nothing here allocates: a rule is built on the stack and copied out only
 * once it has been accepted.
 */
#include "policy.h"

#define VT_UID_INVALID 0xffffffffU /* (uid_t)-1, refused as in IMA */

enum vt_slot {
	VT_SLOT_ACTION,
	VT_SLOT_FUNC,
	VT_SLOT_UID,
	VT_SLOT_EUID,
	VT_SLOT_FOWNER,
	VT_SLOT_FSMAGIC,
	VT_SLOT_FSUUID,
	VT_SLOT_PCR,
	VT_SLOT_TEMPLATE,
	VT_SLOT_APPRAISE_TYPE,
	VT_SLOT_NONE, /* not a keyword of vtrust: no duplicate check */
};

enum vt_token {
	VT_MEASURE,
	VT_DONT_MEASURE,
	VT_APPRAISE,
	VT_DONT_APPRAISE,
	VT_FUNC,
	VT_UID_EQ,
	VT_UID_LT,
	VT_UID_GT,
	VT_EUID_EQ,
	VT_EUID_LT,
	VT_EUID_GT,
	VT_FOWNER_EQ,
	VT_FOWNER_LT,
	VT_FOWNER_GT,
	VT_FSMAGIC,
	VT_FSUUID,
	VT_PCR,
	VT_TEMPLATE,
	VT_APPRAISE_TYPE,
	VT_IMA_ONLY, /* a keyword of IMA's that vtrust does not have */
	VT_UNKNOWN,
};

struct vt_pattern {
	const char *pattern;
	u8 token; /* enum vt_token */
	u8 slot; /* enum vt_slot */
};

static const struct vt_pattern vt_patterns[] = {
	{ "measure", VT_MEASURE, VT_SLOT_ACTION },
	{ "dont_measure", VT_DONT_MEASURE, VT_SLOT_ACTION },
	{ "appraise", VT_APPRAISE, VT_SLOT_ACTION },
	{ "dont_appraise", VT_DONT_APPRAISE, VT_SLOT_ACTION },
	{ "func=", VT_FUNC, VT_SLOT_FUNC },
	{ "uid=", VT_UID_EQ, VT_SLOT_UID },
	{ "uid<", VT_UID_LT, VT_SLOT_UID },
	{ "uid>", VT_UID_GT, VT_SLOT_UID },
	{ "euid=", VT_EUID_EQ, VT_SLOT_EUID },
	{ "euid<", VT_EUID_LT, VT_SLOT_EUID },
	{ "euid>", VT_EUID_GT, VT_SLOT_EUID },
	{ "fowner=", VT_FOWNER_EQ, VT_SLOT_FOWNER },
	{ "fowner<", VT_FOWNER_LT, VT_SLOT_FOWNER },
	{ "fowner>", VT_FOWNER_GT, VT_SLOT_FOWNER },
	{ "fsmagic=", VT_FSMAGIC, VT_SLOT_FSMAGIC },
	{ "fsuuid=", VT_FSUUID, VT_SLOT_FSUUID },
	{ "pcr=", VT_PCR, VT_SLOT_PCR },
	{ "template=", VT_TEMPLATE, VT_SLOT_TEMPLATE },
	{ "appraise_type=", VT_APPRAISE_TYPE, VT_SLOT_APPRAISE_TYPE },
	/* IMA's, refused with a reason that says so */
	{ "audit", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "hash", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "dont_hash", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "mask=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "fsname=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "gid=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "gid<", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "gid>", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "egid=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "egid<", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "egid>", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "fgroup=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "fgroup<", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "fgroup>", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "subj_user=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "subj_role=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "subj_type=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "obj_user=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "obj_role=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "obj_type=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "digest_type=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "permit_directio", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "appraise_flag=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "appraise_algos=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "keyrings=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ "label=", VT_IMA_ONLY, VT_SLOT_NONE },
	{ NULL, VT_UNKNOWN, VT_SLOT_NONE }
};

static const char *const vt_func_names[VTRUST_FUNC_MAX] = {
	[VTRUST_MODULE_CHECK] = "MODULE_CHECK",
	[VTRUST_FIRMWARE_CHECK] = "FIRMWARE_CHECK",
	[VTRUST_KEXEC_KERNEL_CHECK] = "KEXEC_KERNEL_CHECK",
	[VTRUST_KEXEC_INITRAMFS_CHECK] = "KEXEC_INITRAMFS_CHECK",
	[VTRUST_POLICY_CHECK] = "POLICY_CHECK",
	[VTRUST_KEY_CHECK] = "KEY_CHECK",
	[VTRUST_BPF_CHECK] = "BPF_CHECK",
	[VTRUST_KEXEC_LOAD] = "KEXEC_LOAD",
};

/* A run of bytes inside the text; never NUL-terminated. */
struct vt_word {
	const char *p;
	size_t n;
};

static int vt_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int vt_control(char c)
{
	return (unsigned char)c < 0x20 || c == 0x7f;
}

static int vt_is(const struct vt_word *w, const char *s)
{
	size_t n = strlen(s);

	return w->n == n && !memcmp(w->p, s, n);
}

/* Find @w in vt_patterns; *@val gets what follows a '=', '<' or '>'. */
static const struct vt_pattern *vt_lookup(const struct vt_word *w,
					  struct vt_word *val)
{
	const struct vt_pattern *pat;
	size_t n;
	char last;

	for (pat = vt_patterns; pat->pattern; pat++) {
		n = strlen(pat->pattern);
		last = pat->pattern[n - 1];
		if (last == '=' || last == '<' || last == '>') {
			if (w->n >= n && !memcmp(w->p, pat->pattern, n)) {
				val->p = w->p + n;
				val->n = w->n - n;
				return pat;
			}
		} else if (vt_is(w, pat->pattern)) {
			val->p = w->p + n;
			val->n = 0;
			return pat;
		}
	}
	return pat; /* the last entry: VT_UNKNOWN */
}

/* A decimal number, digits only. */
static const char *vt_decimal(const struct vt_word *v, u32 *out)
{
	u64 x = 0;
	size_t i;

	if (!v->n)
		return "missing value";
	for (i = 0; i < v->n; i++) {
		if (v->p[i] < '0' || v->p[i] > '9')
			return "not a decimal number";
		x = x * 10 + (v->p[i] - '0');
		if (x > 0xffffffffU)
			return "value out of range";
	}
	*out = x;
	return NULL;
}

static const char *vt_id(const struct vt_word *v, enum vtrust_op op, u8 *opp,
			 u32 *idp)
{
	const char *reason;
	u32 id;

	reason = vt_decimal(v, &id);
	if (reason)
		return reason;
	if (id == VT_UID_INVALID)
		return "value out of range";
	*opp = op;
	*idp = id;
	return NULL;
}

/* Hexadecimal, "0x" or "0X" optional, up to 64 bits (kstrtoul, base 16). */
static const char *vt_hex64(const struct vt_word *v, u64 *out)
{
	const char *p = v->p;
	size_t n = v->n, i;
	u64 x = 0;
	int d;

	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		n -= 2;
	}
	if (!n)
		return "missing value";
	for (i = 0; i < n; i++) {
		d = vtrust_hexval(p[i]);
		if (d < 0)
			return "not a hex number";
		if (x >> 60)
			return "value out of range";
		x = x << 4 | d;
	}
	*out = x;
	return NULL;
}

/* A UUID, 8-4-4-4-12 hex digits of either case, nothing else. */
static const char *vt_uuid(const struct vt_word *v, u8 *out)
{
	size_t i = 0, j = 0;
	int hi, lo;

	if (v->n != 36)
		return "not a UUID";
	while (i < 36) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (v->p[i] != '-')
				return "not a UUID";
			i++;
			continue;
		}
		hi = vtrust_hexval(v->p[i]);
		lo = vtrust_hexval(v->p[i + 1]);
		if (hi < 0 || lo < 0)
			return "not a UUID";
		out[j++] = hi << 4 | lo;
		i += 2;
	}
	return NULL;
}

static const char *vt_pcr(const struct vt_word *v, u8 *out)
{
	const char *reason;
	u32 pcr;

	reason = vt_decimal(v, &pcr);
	if (reason)
		return reason;
	if (!vtrust_pcr_allowed(pcr))
		return "pcr must be 8, 9 or 11-15";
	*out = pcr;
	return NULL;
}

static const char *vt_func(const struct vt_word *v, u8 *out)
{
	unsigned int f;

	for (f = VTRUST_FUNC_NONE + 1; f < VTRUST_FUNC_MAX; f++) {
		if (vt_is(v, vt_func_names[f])) {
			*out = f;
			return NULL;
		}
	}
	return v->n ? "unknown func" : "missing value";
}

/* Apply one word (@token, with value @v) to @r. */
static const char *vt_apply(enum vt_token token, const struct vt_word *v,
			    struct vtrust_rule *r)
{
	const char *reason;

	switch (token) {
	case VT_MEASURE:
		r->action = VTRUST_MEASURE;
		break;
	case VT_DONT_MEASURE:
		r->action = VTRUST_DONT_MEASURE;
		break;
	case VT_APPRAISE:
		r->action = VTRUST_APPRAISE;
		break;
	case VT_DONT_APPRAISE:
		r->action = VTRUST_DONT_APPRAISE;
		break;
	case VT_FUNC:
		return vt_func(v, &r->func);
	case VT_UID_EQ:
	case VT_UID_LT:
	case VT_UID_GT:
		return vt_id(v, VTRUST_OP_EQ + (token - VT_UID_EQ), &r->uid_op,
			     &r->uid);
	case VT_EUID_EQ:
	case VT_EUID_LT:
	case VT_EUID_GT:
		return vt_id(v, VTRUST_OP_EQ + (token - VT_EUID_EQ),
			     &r->euid_op, &r->euid);
	case VT_FOWNER_EQ:
	case VT_FOWNER_LT:
	case VT_FOWNER_GT:
		return vt_id(v, VTRUST_OP_EQ + (token - VT_FOWNER_EQ),
			     &r->fowner_op, &r->fowner);
	case VT_FSMAGIC:
		reason = vt_hex64(v, &r->fsmagic);
		if (reason)
			return reason;
		r->flags |= VTRUST_RULE_FSMAGIC;
		break;
	case VT_FSUUID:
		reason = vt_uuid(v, r->fsuuid);
		if (reason)
			return reason;
		r->flags |= VTRUST_RULE_FSUUID;
		break;
	case VT_PCR:
		return vt_pcr(v, &r->pcr);
	case VT_TEMPLATE:
		if (!vt_is(v, "ima-ng"))
			return "the only template is ima-ng";
		r->flags |= VTRUST_RULE_TEMPLATE;
		break;
	case VT_APPRAISE_TYPE:
		if (vt_is(v, "baseline"))
			r->flags |= VTRUST_RULE_BASELINE;
		else if (vt_is(v, "sig"))
			r->flags |= VTRUST_RULE_SIG;
		else
			return "appraise_type is baseline or sig";
		break;
	case VT_IMA_ONLY:
		return "IMA keyword not supported by vtrust";
	default:
		return "unknown keyword";
	}
	return NULL;
}

static int vt_func_has_file(unsigned int func)
{
	return func != VTRUST_KEY_CHECK && func != VTRUST_BPF_CHECK &&
	       func != VTRUST_KEXEC_LOAD;
}

/* The checks that need the whole rule; @at holds the word of each slot. */
static const char *vt_check(const struct vtrust_rule *r,
			    const struct vt_word *at, struct vt_word *bad)
{
	static const u8 file_slots[] = { VT_SLOT_FOWNER, VT_SLOT_FSMAGIC,
					 VT_SLOT_FSUUID };
	unsigned int i;

	bad->n = 0;
	if (!r->action)
		return "no action";
	if (at[VT_SLOT_PCR].p && r->action != VTRUST_MEASURE) {
		*bad = at[VT_SLOT_PCR];
		return "pcr= only on measure rules";
	}
	if (at[VT_SLOT_TEMPLATE].p && r->action != VTRUST_MEASURE) {
		*bad = at[VT_SLOT_TEMPLATE];
		return "template= only on measure rules";
	}
	if (at[VT_SLOT_APPRAISE_TYPE].p && r->action != VTRUST_APPRAISE) {
		*bad = at[VT_SLOT_APPRAISE_TYPE];
		return "appraise_type= only on appraise rules";
	}
	if (r->action == VTRUST_APPRAISE &&
	    !(r->flags & (VTRUST_RULE_BASELINE | VTRUST_RULE_SIG))) {
		*bad = at[VT_SLOT_ACTION];
		return "appraise needs appraise_type=baseline or sig";
	}
	if ((r->flags & VTRUST_RULE_SIG) && r->func != VTRUST_FIRMWARE_CHECK) {
		*bad = at[VT_SLOT_APPRAISE_TYPE];
		return "appraise_type=sig only with func=FIRMWARE_CHECK";
	}
	if (r->func == VTRUST_KEY_CHECK &&
	    (r->action & (VTRUST_APPRAISE | VTRUST_DONT_APPRAISE))) {
		*bad = at[VT_SLOT_FUNC];
		return "KEY_CHECK rules only measure or dont_measure";
	}
	if (vt_func_has_file(r->func))
		return NULL;
	for (i = 0; i < sizeof(file_slots); i++) {
		if (at[file_slots[i]].p) {
			*bad = at[file_slots[i]];
			return "file condition on a func without a file";
		}
	}
	return NULL;
}

/*
 * Parse the rule in [@s, @s + @n), which is not blank, into @r. Returns NULL,
 * or the reason it is refused and the word at fault in *@bad (@bad->n is 0
 * when the fault is the rule as a whole).
 */
static const char *vt_parse_rule(const char *s, size_t n, struct vtrust_rule *r,
				 struct vt_word *bad)
{
	struct vt_word at[VT_SLOT_NONE];
	const struct vt_pattern *pat;
	struct vt_word val;
	const char *reason;
	size_t i = 0;
	int control;

	memset(r, 0, sizeof(*r));
	memset(at, 0, sizeof(at));
	while (i < n) {
		if (vt_blank(s[i])) {
			i++;
			continue;
		}
		bad->p = s + i;
		control = 0;
		for (; i < n && !vt_blank(s[i]); i++)
			control |= vt_control(s[i]);
		bad->n = s + i - bad->p;
		if (control)
			return "control character";

		pat = vt_lookup(bad, &val);
		if (pat->slot != VT_SLOT_NONE) {
			if (at[pat->slot].p)
				return pat->slot == VT_SLOT_ACTION ?
					       "more than one action" :
					       "duplicate keyword";
			at[pat->slot] = *bad;
		}
		reason = vt_apply(pat->token, &val, r);
		if (reason)
			return reason;
	}
	return vt_check(r, at, bad);
}

static void vt_error(struct vtrust_policy_error *err, unsigned int line,
		     const struct vt_word *w, const char *reason)
{
	size_t i, n = 0;
	unsigned char c;

	if (!err)
		return;
	err->line = line;
	err->reason = reason;
	if (w)
		n = w->n < sizeof(err->token) - 1 ? w->n :
						    sizeof(err->token) - 1;
	for (i = 0; i < n; i++) {
		c = w->p[i];
		err->token[i] = c < 0x20 || c > 0x7e ? '?' : c;
	}
	err->token[n] = '\0';
}

int vtrust_policy_parse(const char *text, size_t len, struct vtrust_rule *rules,
			unsigned int max, struct vtrust_policy_error *err)
{
	unsigned int limit = VTRUST_POLICY_RULES_MAX, line = 0, n = 0;
	struct vtrust_rule r;
	struct vt_word bad;
	const char *s, *eol, *reason;
	size_t pos = 0, llen, i;

	if (rules && max < limit)
		limit = max;
	while (pos < len) {
		s = text + pos;
		eol = memchr(s, '\n', len - pos);
		llen = eol ? (size_t)(eol - s) : len - pos;
		pos += llen + 1;
		line++;
		if (llen > VTRUST_POLICY_LINE_MAX) {
			vt_error(err, line, NULL, "line too long");
			return -E2BIG;
		}
		for (i = 0; i < llen && vt_blank(s[i]); i++)
			;
		if (i == llen || s[i] == '#')
			continue;
		reason = vt_parse_rule(s + i, llen - i, &r, &bad);
		if (reason) {
			vt_error(err, line, &bad, reason);
			return -EINVAL;
		}
		if (n >= limit) {
			vt_error(err, line, NULL, "too many rules");
			return -E2BIG;
		}
		if (rules)
			rules[n] = r;
		n++;
	}
	return n;
}

/* An output buffer with snprintf semantics. */
struct vt_out {
	char *buf;
	size_t size;
	size_t len;
};

static void vt_putc(struct vt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void vt_puts(struct vt_out *o, const char *s)
{
	while (*s)
		vt_putc(o, *s++);
}

static void vt_putnum(struct vt_out *o, u64 x, unsigned int base)
{
	static const char digits[] = "0123456789abcdef";
	char d[24];
	int i = 0;

	do {
		d[i++] = digits[x % base];
		x /= base;
	} while (x);
	while (i)
		vt_putc(o, d[--i]);
}

static void vt_put_id(struct vt_out *o, const char *name, u8 op, u32 id)
{
	static const char ops[] = "?=<>";

	if (op == VTRUST_OP_NONE)
		return;
	vt_putc(o, ' ');
	vt_puts(o, name);
	vt_putc(o, op <= VTRUST_OP_GT ? ops[op] : '?');
	vt_putnum(o, id, 10);
}

static const char *vt_action_name(u8 action)
{
	switch (action) {
	case VTRUST_MEASURE:
		return "measure";
	case VTRUST_DONT_MEASURE:
		return "dont_measure";
	case VTRUST_APPRAISE:
		return "appraise";
	case VTRUST_DONT_APPRAISE:
		return "dont_appraise";
	default:
		return "?";
	}
}

int vtrust_rule_format(const struct vtrust_rule *rule, char *buf, size_t size)
{
	struct vt_out o = { buf, size, 0 };
	const char *func = vtrust_func_name(rule->func);
	unsigned int i;

	vt_puts(&o, vt_action_name(rule->action));
	if (func) {
		vt_puts(&o, " func=");
		vt_puts(&o, func);
	}
	vt_put_id(&o, "uid", rule->uid_op, rule->uid);
	vt_put_id(&o, "euid", rule->euid_op, rule->euid);
	vt_put_id(&o, "fowner", rule->fowner_op, rule->fowner);
	if (rule->flags & VTRUST_RULE_FSMAGIC) {
		vt_puts(&o, " fsmagic=0x");
		vt_putnum(&o, rule->fsmagic, 16);
	}
	if (rule->flags & VTRUST_RULE_FSUUID) {
		vt_puts(&o, " fsuuid=");
		for (i = 0; i < 16; i++) {
			if (i == 4 || i == 6 || i == 8 || i == 10)
				vt_putc(&o, '-');
			vt_putc(&o, "0123456789abcdef"[rule->fsuuid[i] >> 4]);
			vt_putc(&o, "0123456789abcdef"[rule->fsuuid[i] & 15]);
		}
	}
	if (rule->pcr) {
		vt_puts(&o, " pcr=");
		vt_putnum(&o, rule->pcr, 10);
	}
	if (rule->flags & VTRUST_RULE_TEMPLATE)
		vt_puts(&o, " template=ima-ng");
	if (rule->flags & VTRUST_RULE_BASELINE)
		vt_puts(&o, " appraise_type=baseline");
	if (rule->flags & VTRUST_RULE_SIG)
		vt_puts(&o, " appraise_type=sig");
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len;
}

static int vt_cmp(u8 op, u32 ev, u32 rule)
{
	switch (op) {
	case VTRUST_OP_EQ:
		return ev == rule;
	case VTRUST_OP_LT:
		return ev < rule;
	case VTRUST_OP_GT:
		return ev > rule;
	default:
		return 1;
	}
}

static int vt_matches(const struct vtrust_rule *r,
		      const struct vtrust_event_attrs *ev)
{
	/* As in IMA, keys are matched only by an explicit func=KEY_CHECK. */
	if (r->func == VTRUST_FUNC_NONE ? ev->func == VTRUST_KEY_CHECK :
					  r->func != ev->func)
		return 0;
	if (!vt_cmp(r->uid_op, ev->uid, r->uid) ||
	    !vt_cmp(r->euid_op, ev->euid, r->euid))
		return 0;
	if (!r->fowner_op &&
	    !(r->flags & (VTRUST_RULE_FSMAGIC | VTRUST_RULE_FSUUID)))
		return 1;
	/*
	 * File conditions, for an event without a file (init_module(2), a
	 * firmware buffer): unknown. An appraise rule then applies (fail
	 * closed, as IMA refuses such loads when their func is appraised),
	 * any other rule does not.
	 */
	if (!ev->has_file)
		return r->action == VTRUST_APPRAISE;
	if (!vt_cmp(r->fowner_op, ev->fowner, r->fowner))
		return 0;
	if ((r->flags & VTRUST_RULE_FSMAGIC) && r->fsmagic != ev->fsmagic)
		return 0;
	if ((r->flags & VTRUST_RULE_FSUUID) &&
	    memcmp(r->fsuuid, ev->fsuuid, sizeof(r->fsuuid)))
		return 0;
	return 1;
}

unsigned int vtrust_policy_match(const struct vtrust_rule *rules,
				 unsigned int n,
				 const struct vtrust_event_attrs *ev, u32 *pcr)
{
	const unsigned int measure = VTRUST_MEASURE | VTRUST_DONT_MEASURE;
	const unsigned int appraise = VTRUST_APPRAISE | VTRUST_DONT_APPRAISE;
	unsigned int open = measure | appraise, act = 0, i;
	u32 p = 0;

	for (i = 0; i < n && open; i++) {
		if (!(rules[i].action & open) || !vt_matches(&rules[i], ev))
			continue;
		if (rules[i].action & measure) {
			open &= ~measure;
			if (rules[i].action == VTRUST_MEASURE) {
				act |= VTRUST_MEASURE;
				p = rules[i].pcr;
			}
		} else {
			open &= ~appraise;
			if (rules[i].action == VTRUST_APPRAISE)
				act |= rules[i].flags & VTRUST_RULE_SIG ?
					       VTRUST_APPRAISE |
						       VTRUST_APPRAISE_SIG :
					       VTRUST_APPRAISE;
		}
	}
	if (pcr)
		*pcr = p;
	return act;
}

const char *vtrust_func_name(enum vtrust_func func)
{
	if (func == VTRUST_FUNC_NONE || (unsigned int)func >= VTRUST_FUNC_MAX)
		return NULL;
	return vt_func_names[func];
}

static const char vt_policy_default[] = "measure func=MODULE_CHECK\n"
					"measure func=FIRMWARE_CHECK\n"
					"measure func=KEXEC_KERNEL_CHECK\n"
					"measure func=KEXEC_INITRAMFS_CHECK\n"
					"measure func=POLICY_CHECK\n"
					"measure func=KEY_CHECK\n"
					"measure func=BPF_CHECK\n"
					"measure func=KEXEC_LOAD\n";

static const char vt_policy_modules[] = "measure func=MODULE_CHECK\n";

const char *const vtrust_policy_default = vt_policy_default;
const char *const vtrust_policy_modules = vt_policy_modules;

const struct vtrust_policy_builtin vtrust_policy_builtins[] = {
	{ "default", vt_policy_default },
	{ "modules", vt_policy_modules },
	{ NULL, NULL }
};

const char *vtrust_policy_lookup(const char *name)
{
	const struct vtrust_policy_builtin *b;

	for (b = vtrust_policy_builtins; b->name; b++)
		if (!strcmp(b->name, name))
			return b->text;
	return NULL;
}
