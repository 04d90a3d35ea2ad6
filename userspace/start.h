/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtrust's start entry (docs/FORMATS.md, "Start entry"): the buf of the
 * first entry of a list, an ima-buf entry named "vtrust-start":
 *
 *   vtrust-start version=2 pcr=11 aggregate=sha256:<hex> prior=sha1:<hex>,...
 *       instance=<hex> policy_digest=sha256:<hex> param.<name>=<value>...
 *
 * Versions 1 and 2 are read; version 2 only adds keys, which are not kept.
 * Pure: no I/O. Unknown keys and unknown algorithms in prior= are ignored so
 * that later versions of the module can add to the line.
 */
#ifndef VTRUST_START_H
#define VTRUST_START_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "algs.h"
#include "imalog.h"

#define VT_START_NAME "vtrust-start"

struct vt_start {
	unsigned int version;
	unsigned int pcr;
	const struct vt_alg *aggregate_alg;	/* NULL: none or unknown */
	uint8_t aggregate[VT_DIGEST_MAX];
	bool have_prior[VT_ALG_COUNT];
	uint8_t prior[VT_ALG_COUNT][VT_DIGEST_MAX];
};

/* Is @e vtrust's start entry (by template and name, not position)? */
bool vt_is_start_entry(const struct imalog_entry *e);

/*
 * Parse a start entry's buf. Returns 0, or -1 with the reason in @why.
 */
int vt_start_parse(const uint8_t *buf, size_t len, struct vt_start *s,
		   char *why, size_t whylen);

#endif /* VTRUST_START_H */
