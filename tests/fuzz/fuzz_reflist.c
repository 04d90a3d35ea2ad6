// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: vtrust_reflist_check() on an arbitrary write (libFuzzer's
 * heap copy of exactly @size bytes, no NUL).
 *
 * - vtrust_reflist_next() over the same text agrees with the check: the same
 *   number of entries, or the same bad line and reason.
 * - Each line, parsed alone from an allocation of exactly its length, gives
 *   the same answer; *out is written only for an entry.
 * - Every entry is well formed (the algorithm's digest size, a name inside
 *   its line, of at most VTRUST_REF_NAME_MAX bytes, with no control
 *   character and no blank at either end), and printing it back in the
 *   canonical form parses to the same entry.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reflist.h"

#define SENTINEL 0x5a

static unsigned int algo_size(u16 algo)
{
	switch (algo) {
	case VTRUST_REF_ALG_SHA1:
		return 20;
	case VTRUST_REF_ALG_SHA256:
	case VTRUST_REF_ALG_SM3:
		return 32;
	case VTRUST_REF_ALG_SHA384:
		return 48;
	case VTRUST_REF_ALG_SHA512:
		return 64;
	default:
		abort();
	}
}

static void check_entry(const struct vtrust_ref *r, const char *line,
			size_t len)
{
	char buf[8 + 2 * VTRUST_REF_DIGEST_MAX + 1 + VTRUST_REF_NAME_MAX + 1];
	struct vtrust_ref back;
	const char *reason;
	size_t i, n;

	if (r->digest_len != algo_size(r->algo) ||
	    !vtrust_reflist_algo_name(r->algo))
		abort();
	for (i = r->digest_len; i < VTRUST_REF_DIGEST_MAX; i++)
		if (r->digest[i])
			abort();
	if (r->name_len) {
		if (r->name < line || r->name + r->name_len > line + len ||
		    r->name_len > VTRUST_REF_NAME_MAX)
			abort();
		if (r->name[0] == ' ' || r->name[r->name_len - 1] == ' ')
			abort();
		for (i = 0; i < r->name_len; i++)
			if ((unsigned char)r->name[i] < 0x20 ||
			    r->name[i] == 0x7f)
				abort();
	} else if (r->name) {
		abort();
	}

	/* the canonical form: lowercase hex, one space, the name */
	n = snprintf(buf, sizeof(buf),
		     "%s:", vtrust_reflist_algo_name(r->algo));
	for (i = 0; i < r->digest_len; i++)
		n += snprintf(buf + n, sizeof(buf) - n, "%02x", r->digest[i]);
	if (r->name_len) {
		buf[n++] = ' ';
		memcpy(buf + n, r->name, r->name_len);
		n += r->name_len;
	}
	if (vtrust_reflist_parse_line(buf, n, &back, &reason) != 1 ||
	    back.algo != r->algo || back.digest_len != r->digest_len ||
	    memcmp(back.digest, r->digest, sizeof(r->digest)) ||
	    back.name_len != r->name_len ||
	    (r->name_len && memcmp(back.name, r->name, r->name_len)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *reason, *reason2, *nl;
	unsigned int nr = 0, bad = 0, line = 0, entries = 0, l = 0;
	struct vtrust_ref r, r2, keep;
	size_t pos = 0, len;
	char *copy;
	int ret, ret2;

	ret = vtrust_reflist_check(text, size, &nr, &bad, &reason);
	if (ret != 0 && ret != -EINVAL)
		abort();
	if (ret < 0 && (!reason || bad < 1 || bad > size))
		abort();

	/* next(), and each line alone */
	memset(&keep, SENTINEL, sizeof(keep));
	for (;;) {
		ret2 = vtrust_reflist_next(text, size, &pos, &line, &r,
					   &reason2);
		if (ret2 <= 0)
			break;
		entries++;
		check_entry(&r, text, size);
	}
	if (ret == 0 && (ret2 != 0 || entries != nr || pos != size))
		abort();
	if (ret < 0 && (ret2 != ret || line != bad || strcmp(reason, reason2)))
		abort();

	for (pos = 0; pos < size; pos = nl ? (size_t)(nl - text) + 1 : size) {
		nl = memchr(text + pos, '\n', size - pos);
		len = nl ? (size_t)(nl - text) - pos : size - pos;
		l++;
		copy = malloc(len ? len : 1);
		if (!copy)
			abort();
		memcpy(copy, text + pos, len);
		r2 = keep;
		ret2 = vtrust_reflist_parse_line(copy, len, &r2, &reason2);
		if (ret2 == 1)
			check_entry(&r2, copy, len);
		else if (memcmp(&r2, &keep, sizeof(r2)))
			abort();
		free(copy);
		if (ret2 < 0) {
			if (ret == 0 || l != bad || strcmp(reason, reason2))
				abort();
			break;
		}
		if (ret < 0 && l == bad)
			abort();
	}
	return 0;
}
