/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What this boot measured, in the baseline schema (BASELINE.md), built
 * from the entries and events the replay read -- the same bytes, in the
 * same pass -- and only from those that the TPM's PCRs vouch for: the
 * replay hands each entry over as it reads it and, at the end of a source,
 * says up to which entry the PCRs cover it. Nothing here reads a file.
 *
 *  - pcrs: the values the replay read, of the banks it replayed;
 *  - firmware and kernel stages: the firmware log's events, with the
 *    digests of the replayed banks only;
 *  - ima and vtrust: name -> digests sets, IMA's violations apart.
 */
#ifndef VTRUST_COLLECT_H
#define VTRUST_COLLECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "algs.h"
#include "imalog.h"
#include "sources.h"

struct vt_collector;

/* NULL: out of memory (printed). */
struct vt_collector *vt_collector_new(void);
void vt_collector_free(struct vt_collector *c);

struct vt_bindex;

/*
 * Compare as it collects, for a verifier: an entry of IMA's or vtrust's
 * list whose name the baseline index @x (which outlives the collector)
 * has in that stage with the entry's digest can be no difference, so it
 * is counted and not kept (compset.h, "elided"): the stage's set holds the
 * other entries and vtrust's state only, and the document is no record of
 * this boot: fit for vt_compare() with that baseline (after
 * vt_bindex_fill()), never to be saved or accepted. IMA's boot_aggregate
 * is always kept (the finish drops it when it is the digest of this TPM's
 * PCRs).
 */
void vt_collector_filter(struct vt_collector *c, const struct vt_bindex *x);

/* The TPM's value of PCR @k in bank @alg (NULL: unreadable). 0 or -1. */
int vt_collect_pcr(struct vt_collector *c, const struct vt_alg *alg,
		   unsigned int k, const uint8_t *value);

/*
 * An entry of list source @src, in list order; @violation: IMA's mark of a
 * measurement it could not take (no component: its name is not covered by
 * the PCR). 0 or -1 (out of memory).
 */
int vt_collect_entry(struct vt_collector *c, enum vt_source src,
		     const struct imalog_entry *e, bool violation);

/* Forget what @src's entries gave so far: the replay reads it again. */
void vt_collect_list_reset(struct vt_collector *c, enum vt_source src);

/*
 * The end of list source @src: keep entries 0..@through (-1: none) on PCR
 * @pcr. A source that was not read is null in the document. 0 or -1.
 */
int vt_collect_list_done(struct vt_collector *c, enum vt_source src,
			 int64_t through, unsigned int pcr);

/*
 * The firmware log in @buf (the bytes the replay read), with the digests
 * of the banks in @banks. Returns 0, or -1 (out of memory or a log that
 * does not parse, which the replay has already refused).
 */
int vt_collect_uefi(struct vt_collector *c, const uint8_t *buf, size_t len,
		    const bool banks[VT_ALG_COUNT]);

/*
 * The document: format, version, times, host, kernel release, pcrs,
 * stages; empty exceptions and history; no checksum. The collector keeps
 * nothing of it. Returns 0, or prints why and returns an exit code.
 */
int vt_collect_finish(struct vt_collector *c, json_object **out);

#endif /* VTRUST_COLLECT_H */
