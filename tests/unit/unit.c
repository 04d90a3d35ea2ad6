// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>

#include "unit.h"

unsigned int unit_skipped;

static int unit_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t unit_unhex(const char *hex, uint8_t *out, size_t size)
{
	size_t n = 0;
	int hi = -1, v;

	for (; *hex; hex++) {
		if (isspace((unsigned char)*hex))
			continue;
		v = unit_nibble(*hex);
		assert_true(v >= 0);
		if (hi < 0) {
			hi = v;
			continue;
		}
		assert_true(n < size);
		out[n++] = hi << 4 | v;
		hi = -1;
	}
	assert_true(hi < 0);
	return n;
}
