// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the start entry's parser (start.c): the input is the
 * buf of a start entry. vt_start_parse() must refuse it with a reason, or
 * accept it with a version it knows and a PCR below 24. An accepted entry
 * is written out again in the format of FORMATS.md, from the parsed values
 * only; that line must parse to the same values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "start.h"

#define LINE_MAX_LEN 2048

static size_t put_alg_hex(char *out, const struct vt_alg *a, const uint8_t *v)
{
	size_t n = strlen(a->name);

	memcpy(out, a->name, n);
	out[n++] = ':';
	vt_hex(out + n, v, a->size);
	return n + 2 * a->size;
}

/* The line that says what @st says. */
static size_t write_line(const struct vt_start *st, char *out)
{
	size_t n;
	unsigned int i;
	char sep = '=';

	n = sprintf(out, "%s version=%u pcr=%u", VT_START_NAME, st->version,
		    st->pcr);
	if (st->aggregate_alg) {
		n += sprintf(out + n, " aggregate=");
		n += put_alg_hex(out + n, st->aggregate_alg, st->aggregate);
	}
	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!st->have_prior[i])
			continue;
		n += sprintf(out + n, "%s", sep == '=' ? " prior=" : ",");
		n += put_alg_hex(out + n, &vt_algs[i], st->prior[i]);
		sep = ',';
	}
	return n;
}

static void check_same(const struct vt_start *a, const struct vt_start *b)
{
	unsigned int i;

	if (a->version != b->version || a->pcr != b->pcr ||
	    a->aggregate_alg != b->aggregate_alg)
		abort();
	if (a->aggregate_alg &&
	    memcmp(a->aggregate, b->aggregate, a->aggregate_alg->size))
		abort();
	for (i = 0; i < VT_ALG_COUNT; i++)
		if (a->have_prior[i] != b->have_prior[i] ||
		    (a->have_prior[i] &&
		     memcmp(a->prior[i], b->prior[i], vt_algs[i].size)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy: a read past the input is caught */
	uint8_t *copy = malloc(size ? size : 1);
	static char line[LINE_MAX_LEN];
	struct vt_start st, again;
	char why[160];
	size_t n;

	memcpy(copy, data, size);
	why[0] = '\0';
	if (vt_start_parse(copy, size, &st, why, sizeof(why))) {
		if (!why[0] || !memchr(why, '\0', sizeof(why)))
			abort();
		free(copy);
		return 0;
	}
	if ((st.version != 1 && st.version != 2) || st.pcr >= VT_PCR_COUNT)
		abort();
	n = write_line(&st, line);
	if (vt_start_parse((const uint8_t *)line, n, &again, why, sizeof(why)))
		abort();
	check_same(&st, &again);
	free(copy);
	return 0;
}
