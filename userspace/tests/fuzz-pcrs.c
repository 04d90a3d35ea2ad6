// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the parser of PCR files (--pcrs FILE; pcrs.c's
 * vt_pcrs_parse_text()): the input is such a file. It must be refused with
 * a reason, or accepted; the values accepted are written out again as
 * "<bank> <pcr> <hex>" lines, which must parse to the same table.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "pcrs.h"

/* Every value of @t as a line; returns the length. */
static size_t write_table(const struct vt_pcr_table *t, char *out)
{
	unsigned int a, p;
	size_t n = 0;

	for (a = 0; a < VT_ALG_COUNT; a++) {
		for (p = 0; p < VT_PCR_COUNT; p++) {
			if (!t->have[a][p])
				continue;
			n += sprintf(out + n, "%s %u ", vt_algs[a].name, p);
			vt_hex(out + n, t->value[a][p], vt_algs[a].size);
			n += 2 * vt_algs[a].size;
			out[n++] = '\n';
		}
	}
	return n;
}

static void check_same(const struct vt_pcr_table *a,
		       const struct vt_pcr_table *b)
{
	unsigned int i, p;

	for (i = 0; i < VT_ALG_COUNT; i++)
		for (p = 0; p < VT_PCR_COUNT; p++)
			if (a->have[i][p] != b->have[i][p] ||
			    (a->have[i][p] && memcmp(a->value[i][p],
						     b->value[i][p],
						     vt_algs[i].size)))
				abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vt_pcr_table t, again;
	/* every bank and PCR: "sm3_256 23 " and 128 hex digits a line */
	static char text[VT_ALG_COUNT * VT_PCR_COUNT * 160];
	char *copy = malloc(size ? size : 1);
	char why[160];
	size_t n;

	memcpy(copy, data, size);
	why[0] = '\0';
	if (vt_pcrs_parse_text(copy, size, &t, why, sizeof(why))) {
		if (!why[0] || !memchr(why, '\0', sizeof(why)))
			abort();
		free(copy);
		return 0;
	}
	n = write_table(&t, text);
	if (vt_pcrs_parse_text(text, n, &again, why, sizeof(why)))
		abort();
	check_same(&t, &again);
	free(copy);
	return 0;
}
