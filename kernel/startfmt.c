// SPDX-License-Identifier: GPL-2.0-only
/*
 * The text of the start entry. Every write goes through put(), which
 * never writes past the buffer: a first pass with no buffer sizes it, a
 * second fills it, and a buffer that is too small gives -E2BIG.
 */
#include "startfmt.h"

struct startfmt {
	char *out;
	size_t size;
	size_t len; /* the whole text's length so far, written or not */
	int err;
};

static void put(struct startfmt *f, const char *s, size_t n)
{
	if (f->out && f->len + n < f->size)
		memcpy(f->out + f->len, s, n);
	f->len += n;
}

static void put_str(struct startfmt *f, const char *s)
{
	put(f, s, strlen(s));
}

/* A token name or value: printable ASCII without ' ', '=' and ','. */
static void put_token(struct startfmt *f, const char *s)
{
	const char *p;

	if (!*s)
		f->err = -EINVAL;
	for (p = s; *p; p++)
		if (*p <= ' ' || *p > '~' || *p == '=' || *p == ',')
			f->err = -EINVAL;
	put_str(f, s);
}

static void put_num(struct startfmt *f, unsigned long v)
{
	char d[20];
	int n = 0;

	do {
		d[sizeof(d) - 1 - n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	put(f, d + sizeof(d) - n, n);
}

static void put_hex(struct startfmt *f, const u8 *data, unsigned int len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;
	char b[2];

	for (i = 0; i < len; i++) {
		b[0] = hex[data[i] >> 4];
		b[1] = hex[data[i] & 0xf];
		put(f, b, 2);
	}
}

/* "<alg>:<hex>" */
static void put_digest(struct startfmt *f, const struct vtrust_start_digest *d)
{
	put_token(f, d->alg);
	put_str(f, ":");
	put_hex(f, d->digest, d->size);
}

static void put_key(struct startfmt *f, const char *key)
{
	put_str(f, " ");
	put_str(f, key);
	put_str(f, "=");
}

int vtrust_start_format(char *out, size_t size,
			const struct vtrust_start_info *info)
{
	struct startfmt f = { .out = out, .size = size };
	const struct vtrust_start_param *p;
	unsigned int i;

	put_str(&f, VTRUST_START_NAME " version=");
	put_num(&f, VTRUST_START_VERSION);
	put_key(&f, "pcr");
	put_num(&f, info->pcr);
	put_key(&f, "aggregate");
	if (info->aggregate)
		put_digest(&f, info->aggregate);
	else
		put_str(&f, "none");
	put_key(&f, "prior");
	for (i = 0; i < info->nr_prior; i++) {
		if (i)
			put_str(&f, ",");
		put_digest(&f, &info->prior[i]);
	}
	put_key(&f, "instance");
	put_hex(&f, info->instance, info->instance_size);
	put_key(&f, "policy_digest");
	put_digest(&f, info->policy);
	if (info->lockdown) {
		put_key(&f, "lockdown");
		put_token(&f, info->lockdown);
	}
	for (i = 0; i < info->nr_params; i++) {
		p = &info->params[i];
		put_str(&f, " param.");
		put_token(&f, p->key);
		put_str(&f, "=");
		if (p->str)
			put_token(&f, p->str);
		else
			put_num(&f, p->num);
	}

	if (f.err) {
		if (out && size)
			out[0] = '\0';
		return f.err;
	}
	if (!out && !size)
		return f.len;
	if (f.len >= size) {
		if (out && size)
			out[0] = '\0';
		return -E2BIG;
	}
	out[f.len] = '\0';
	return f.len;
}
