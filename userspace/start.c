// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrust's start entry; see start.h.
 */
#include <stdio.h>
#include <string.h>

#include "start.h"
#include "hex.h"

bool vt_is_start_entry(const struct imalog_entry *e)
{
	const struct imalog_field *n = e->event_name;

	return e->known && !strcmp(e->template_name, "ima-buf") && n &&
	       e->buf && n->str_len == strlen(VT_START_NAME) &&
	       !memcmp(n->data, VT_START_NAME, n->str_len);
}

/* An unsigned decimal of @len characters, at most 2^31 - 1. */
static int parse_num(const char *s, size_t len, unsigned int *out)
{
	unsigned long v = 0;
	size_t i;

	if (!len || len > 10)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 0x7fffffff)
		return -1;
	*out = v;
	return 0;
}

/* "<alg>:<hex>". Returns the algorithm (NULL if unknown), -1 on error. */
static int parse_alg_hex(const char *s, size_t len, const struct vt_alg **alg,
			 uint8_t *out)
{
	const char *colon = memchr(s, ':', len);

	if (!colon)
		return -1;
	*alg = vt_alg_find(s, colon - s);
	if (!*alg)
		return 0;
	return vt_unhex(out, (*alg)->size, colon + 1, len - (colon + 1 - s));
}

static int parse_prior(const char *s, size_t len, struct vt_start *st,
		       char *why, size_t whylen)
{
	const struct vt_alg *alg;
	uint8_t value[VT_DIGEST_MAX];
	const char *end = s + len, *comma;

	while (s < end) {
		comma = memchr(s, ',', end - s);
		if (!comma)
			comma = end;
		if (parse_alg_hex(s, comma - s, &alg, value)) {
			snprintf(why, whylen, "bad prior= value '%.*s'",
				 (int)(comma - s > 80 ? 80 : comma - s), s);
			return -1;
		}
		if (alg) {
			if (st->have_prior[alg->id]) {
				snprintf(why, whylen,
					 "prior= has %s twice", alg->name);
				return -1;
			}
			st->have_prior[alg->id] = true;
			memcpy(st->prior[alg->id], value, alg->size);
		}
		s = comma + 1;
	}
	return 0;
}

int vt_start_parse(const uint8_t *buf, size_t len, struct vt_start *st,
		   char *why, size_t whylen)
{
	const char *s = (const char *)buf, *end = s + len, *tok, *eq;
	size_t n, klen, vlen;
	bool have_version = false, have_pcr = false, first = true;

	memset(st, 0, sizeof(*st));
	while (s < end) {
		tok = s;
		while (s < end && *s != ' ')
			s++;
		n = s - tok;
		if (s < end)
			s++;
		if (!n) {
			snprintf(why, whylen, "empty token");
			return -1;
		}
		if (first) {
			if (n != strlen(VT_START_NAME) ||
			    memcmp(tok, VT_START_NAME, n)) {
				snprintf(why, whylen,
					 "buf does not begin with \"%s\"",
					 VT_START_NAME);
				return -1;
			}
			first = false;
			continue;
		}
		eq = memchr(tok, '=', n);
		if (!eq) {
			snprintf(why, whylen, "token without '=': '%.*s'",
				 (int)(n > 80 ? 80 : n), tok);
			return -1;
		}
		klen = eq - tok;
		vlen = n - klen - 1;
		if (klen == 7 && !memcmp(tok, "version", 7)) {
			if (parse_num(eq + 1, vlen, &st->version)) {
				snprintf(why, whylen, "bad version=");
				return -1;
			}
			have_version = true;
		} else if (klen == 3 && !memcmp(tok, "pcr", 3)) {
			if (parse_num(eq + 1, vlen, &st->pcr) ||
			    st->pcr >= VT_PCR_COUNT) {
				snprintf(why, whylen, "bad pcr=");
				return -1;
			}
			have_pcr = true;
		} else if (klen == 9 && !memcmp(tok, "aggregate", 9)) {
			if (vlen == 4 && !memcmp(eq + 1, "none", 4))
				continue;
			/* an unknown algorithm leaves aggregate_alg NULL */
			if (parse_alg_hex(eq + 1, vlen, &st->aggregate_alg,
					  st->aggregate)) {
				snprintf(why, whylen, "bad aggregate=");
				return -1;
			}
		} else if (klen == 5 && !memcmp(tok, "prior", 5)) {
			if (parse_prior(eq + 1, vlen, st, why, whylen))
				return -1;
		}
	}
	if (first) {
		snprintf(why, whylen, "buf is empty");
		return -1;
	}
	if (!have_version) {
		snprintf(why, whylen, "no version=");
		return -1;
	}
	if (st->version != 1 && st->version != 2) {
		snprintf(why, whylen, "unsupported version=%u", st->version);
		return -1;
	}
	if (!have_pcr) {
		snprintf(why, whylen, "no pcr=");
		return -1;
	}
	return 0;
}
