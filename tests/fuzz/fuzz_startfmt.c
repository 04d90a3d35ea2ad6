// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target: the start entry's text (kernel/startfmt.c). The input
 * gives the number of banks, each digest's size, the names and parameter
 * values (NUL-separated strings, any bytes) and a buffer size. Checked:
 * the sizing call and the filling call agree; the text is that long, NUL-
 * terminated, printable ASCII; a smaller buffer (allocated exactly, so ASan
 * sees any write past it) gives -E2BIG and an empty string; a refused value
 * (-EINVAL) is refused the same way by both calls.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "startfmt.h"

#define MAX_BANKS 8
#define MAX_PARAMS 6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated string of the input, or "x" when it runs out. */
static const char *next_str(const uint8_t **p, const uint8_t *end)
{
	const uint8_t *nul = memchr(*p, 0, end - *p);
	const char *s;

	if (!nul)
		return "x";
	s = (const char *)*p;
	*p = nul + 1;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u8 digest[64] = { 0xab, 0xcd };
	struct vtrust_start_digest prior[MAX_BANKS], agg, pol;
	struct vtrust_start_param params[MAX_PARAMS];
	struct vtrust_start_info info = { 0 };
	const uint8_t *p = data, *end = data + size;
	unsigned int i, nr_banks, nr_params, cut;
	int len, ret;
	char *buf;

	if (size < 4)
		return 0;
	nr_banks = p[0] % (MAX_BANKS + 1);
	nr_params = p[1] % (MAX_PARAMS + 1);
	cut = p[2];
	info.pcr = p[3];
	p += 4;
	for (i = 0; i < nr_banks; i++) {
		prior[i].size = p < end ? *p++ % 65 : 20;
		prior[i].digest = digest;
		prior[i].alg = next_str(&p, end);
	}
	agg = (struct vtrust_start_digest){ next_str(&p, end), digest, 32 };
	pol = (struct vtrust_start_digest){ next_str(&p, end), digest, 48 };
	for (i = 0; i < nr_params; i++) {
		params[i].key = next_str(&p, end);
		params[i].str = i % 2 ? NULL : next_str(&p, end);
		params[i].num = i * 1000003UL;
	}
	info.prior = prior;
	info.nr_prior = nr_banks;
	info.aggregate = cut & 1 ? &agg : NULL;
	info.policy = &pol;
	info.instance = digest;
	info.instance_size = 16;
	info.params = params;
	info.nr_params = nr_params;

	len = vtrust_start_format(NULL, 0, &info);
	buf = malloc(len > 0 ? len + 1 : 1);
	if (!buf)
		abort();
	if (len < 0) {
		if (len != -EINVAL)
			abort();
		buf[0] = 'X';
		if (vtrust_start_format(buf, 1, &info) != -EINVAL || buf[0])
			abort();
		free(buf);
		return 0;
	}
	ret = vtrust_start_format(buf, len + 1, &info);
	if (ret != len || strlen(buf) != (size_t)len)
		abort();
	for (i = 0; i < (unsigned int)len; i++)
		if (buf[i] < ' ' || buf[i] > '~')
			abort();
	free(buf);

	/* a buffer cut short: refused, empty, nothing written past it */
	cut %= len + 1;
	buf = malloc(cut ? cut : 1);
	if (!buf)
		abort();
	ret = vtrust_start_format(buf, cut, &info);
	if (ret != -E2BIG || (cut && buf[0]))
		abort();
	free(buf);
	return 0;
}
