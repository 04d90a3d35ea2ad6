// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the list parser. The first byte picks the template
 * digest size (20, 32, 48 or 64) and a split point; the rest is the list.
 * The list is parsed whole, then streamed in two pieces, and both must give
 * the same entries. Start entries are fed to the start parser.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imalog.h"
#include "start.h"

static const uint32_t sizes[] = { 20, 32, 48, 64 };

struct sum {
	uint64_t n;
	uint64_t offsets;
	uint64_t data;
};

static void account(struct sum *s, const struct imalog_entry *e)
{
	struct vt_start st;
	char why[160];
	unsigned int i, zero = 0;

	/* a violation is exactly an all-zero template digest */
	for (i = 0; i < e->digest_len; i++)
		zero += !e->digest[i];
	if (e->violation != (zero == e->digest_len))
		abort();
	s->n++;
	s->offsets += e->offset + e->size;
	s->data += e->data_len + e->nr_fields;
	/* touch every byte the entry points at: ASan checks the bounds */
	for (i = 0; i < e->nr_fields; i++) {
		if (e->fields[i].len)
			s->data += e->fields[i].data[e->fields[i].len - 1];
		if (e->fields[i].digest_len)
			s->data += e->fields[i].digest[e->fields[i].digest_len - 1];
		if (e->fields[i].algo_len)
			s->data += e->fields[i].algo[e->fields[i].algo_len - 1];
	}
	if (e->data_len)
		s->data += e->data[e->data_len - 1];
	s->data += e->digest[e->digest_len - 1];
	if (vt_is_start_entry(e))
		vt_start_parse(e->buf->data, e->buf->len, &st, why, sizeof(why));
}

static int whole_cb(const struct imalog_entry *e, void *ctx)
{
	account(ctx, e);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct imalog_entry e;
	struct sum whole = { 0 }, streamed = { 0 };
	struct imalog_error err;
	struct imalog_parser p;
	enum imalog_status st;
	size_t split, have, start = 0, need;
	uint32_t dlen;
	long long n;
	uint8_t *copy;

	if (!size)
		return 0;
	dlen = sizes[data[0] & 3];
	data++;
	size--;
	n = imalog_parse_buffer(data, size, dlen, whole_cb, &whole, &err);
	if (n < 0 && !err.msg[0])
		abort();

	/*
	 * A copy of exactly the bytes offered at each step, so that ASan
	 * sees any read past what the parser was given.
	 */
	split = size ? (size_t)data[0] * 7 % (size + 1) : 0;
	imalog_init(&p, dlen);
	have = split;
	for (;;) {
		copy = malloc(have - start + 1);
		memcpy(copy, data + start, have - start);
		st = imalog_next(&p, copy, have - start, have == size, &e,
				 &need, &err);
		if (st == IMALOG_ENTRY) {
			account(&streamed, &e);
			start += need;
		}
		free(copy);
		if (st == IMALOG_ENTRY)
			continue;
		if (st == IMALOG_MORE) {
			if (need <= have - start || need > IMALOG_ENTRY_MAX)
				abort();
			have = size;
			continue;
		}
		break;
	}
	if ((st == IMALOG_END) != (n >= 0))
		abort();
	if (streamed.n != whole.n || streamed.offsets != whole.offsets ||
	    streamed.data != whole.data)
		abort();
	return 0;
}
