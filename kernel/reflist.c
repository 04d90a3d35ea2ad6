// SPDX-License-Identifier: GPL-2.0-only
/*
 * The reference baseline's line format (pure: see pure.h; the format is
 * described in reflist.h). The text comes from user space: every byte is
 * read through a length, nothing is assumed to be NUL-terminated, and an
 * entry is stored only once its whole line has been accepted.
 */
#include "reflist.h"

struct rl_algo {
	const char *name;
	u16 id;
	u8 size;
};

static const struct rl_algo rl_algos[] = {
	{ "sha1", VTRUST_REF_ALG_SHA1, 20 },
	{ "sha256", VTRUST_REF_ALG_SHA256, 32 },
	{ "sha384", VTRUST_REF_ALG_SHA384, 48 },
	{ "sha512", VTRUST_REF_ALG_SHA512, 64 },
	{ "sm3", VTRUST_REF_ALG_SM3, 32 },
	{ NULL, 0, 0 }
};

static int rl_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int rl_control(char c)
{
	return (unsigned char)c < 0x20 || c == 0x7f;
}

static const struct rl_algo *rl_algo_by_name(const char *s, size_t n)
{
	const struct rl_algo *a;

	for (a = rl_algos; a->name; a++)
		if (strlen(a->name) == n && !memcmp(a->name, s, n))
			return a;
	return NULL;
}

static int rl_fail(const char **reason, const char *why)
{
	if (reason)
		*reason = why;
	return -EINVAL;
}

int vtrust_reflist_parse_line(const char *line, size_t len,
			      struct vtrust_ref *out, const char **reason)
{
	const struct rl_algo *a;
	struct vtrust_ref ref;
	size_t i = 0, start, ndig;
	int hi, lo;

	while (i < len && rl_blank(line[i]))
		i++;
	if (i == len || line[i] == '#')
		return 0;
	for (start = i; start < len; start++)
		if (rl_control(line[start]) && line[start] != '\t')
			return rl_fail(reason, "control character");

	/* <algo>: */
	start = i;
	while (i < len && line[i] != ':' && !rl_blank(line[i]))
		i++;
	if (i == len || line[i] != ':')
		return rl_fail(reason, "no ':' after the algorithm");
	a = rl_algo_by_name(line + start, i - start);
	if (!a)
		return rl_fail(reason, "unknown algorithm");
	i++;

	/* <hex digest> */
	memset(&ref, 0, sizeof(ref));
	ref.algo = a->id;
	ref.digest_len = a->size;
	start = i;
	while (i < len && vtrust_hexval(line[i]) >= 0)
		i++;
	ndig = i - start;
	if (i < len && !rl_blank(line[i]))
		return rl_fail(reason, ndig == 2 * a->size ?
					       "no space after the digest" :
					       "not a hex digit in the digest");
	if (ndig != 2 * a->size)
		return rl_fail(reason,
			       "digest length does not match algorithm");
	for (ndig = 0; ndig < a->size; ndig++) {
		hi = vtrust_hexval(line[start + 2 * ndig]);
		lo = vtrust_hexval(line[start + 2 * ndig + 1]);
		ref.digest[ndig] = hi << 4 | lo;
	}

	/* [<blanks><name>[<blanks>]] */
	while (len > i && rl_blank(line[len - 1]))
		len--;
	while (i < len && rl_blank(line[i]))
		i++;
	for (start = i; i < len; i++)
		if (rl_control(line[i]))
			return rl_fail(reason, "tab in the name");
	if (len - start > VTRUST_REF_NAME_MAX)
		return rl_fail(reason, "name too long");
	if (len > start) {
		ref.name = line + start;
		ref.name_len = len - start;
	}
	*out = ref;
	return 1;
}

int vtrust_reflist_next(const char *text, size_t len, size_t *pos,
			unsigned int *line, struct vtrust_ref *out,
			const char **reason)
{
	const char *s, *eol;
	size_t llen;
	int ret;

	while (*pos < len) {
		s = text + *pos;
		eol = memchr(s, '\n', len - *pos);
		llen = eol ? (size_t)(eol - s) : len - *pos;
		*pos += eol ? llen + 1 : llen;
		if (line)
			(*line)++;
		ret = vtrust_reflist_parse_line(s, llen, out, reason);
		if (ret)
			return ret;
	}
	return 0;
}

int vtrust_reflist_check(const char *text, size_t len, unsigned int *nr_entries,
			 unsigned int *bad_line, const char **reason)
{
	struct vtrust_ref ref;
	unsigned int line = 0, n = 0;
	size_t pos = 0;
	int ret;

	while ((ret = vtrust_reflist_next(text, len, &pos, &line, &ref,
					  reason)) > 0)
		n++;
	if (ret < 0) {
		if (bad_line)
			*bad_line = line;
		return ret;
	}
	if (nr_entries)
		*nr_entries = n;
	return 0;
}

const char *vtrust_reflist_algo_name(u16 algo)
{
	const struct rl_algo *a;

	for (a = rl_algos; a->name; a++)
		if (a->id == algo)
			return a->name;
	return NULL;
}
