/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Comparing what this boot measured with a baseline (both in the baseline
 * schema, BASELINE.md):
 *
 *  - firmware and kernel stages, PCR by PCR, as ordered lists of events:
 *    the longest common subsequence of equal events (same PCR, equal
 *    digests in every bank both have) is kept; what is left over is
 *    removed, added, or, for a removed and an added event of the same type
 *    and name between the same kept events, changed. An added or changed
 *    event equal to one the baseline retired is a rollback;
 *  - ima and vtrust as sets: a name -> digest of this boot that the
 *    baseline has is fine; a digest the baseline retired is a rollback,
 *    else a known name with another digest is changed and an unknown name
 *    new. A component absent this boot is fine. A stage that the baseline
 *    has and this boot lacks is missing; an IMA violation (a name) that the
 *    baseline does not list is a violation.
 *
 * Each difference has a stable ID: the first 16 hex digits of the SHA-256
 * of its stage, kind, PCR, type, name and digests, so that the same
 * difference has the same ID on every run and `baseline accept --event ID`
 * can name it. Accepting changes the baseline's stages (baseline-cmd.c),
 * so a later comparison finds no difference there at all. A vtrust
 * difference whose name and digest are in a reference file (`baseline
 * generate`) is "referenced" and makes no boot untrusted.
 */
#ifndef VTRUST_COMPARE_H
#define VTRUST_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "baseline.h"

struct vt_diff {
	char id[17];
	enum vt_stage stage;
	/* firmware, kernel: changed, added, removed, rollback; ima, vtrust:
	 * new, changed, rollback, missing (the stage), violation (ima) */
	const char *kind;
	int pcr;		/* -1 for ima and vtrust (in the ID) */
	int list_pcr;		/* ima and vtrust: their list's PCR */
	const char *type;	/* ordered stages */
	const char *name;	/* missing: the stage's name */
	json_object *base;	/* baseline event; runtime: a copy of the
				 * name's digests (NULL if new), missing: the
				 * stage */
	bool own_base;		/* base is the copy, freed with the diffs */
	json_object *cur;	/* current event (ordered stages) */
	const char *digest;	/* current digest (new, changed, rollback) */
	/* Always false: accept changes the stages (schema 2), nothing is left
	 * to accept a difference by. Kept for verify.c, which reads it. */
	bool accepted;
	bool referenced;
};

struct vt_stage_count {
	size_t items;		/* events or components this boot */
	size_t diffs;
	size_t accepted;	/* of diffs: referenced */
	bool absent;		/* ima, vtrust: no list this boot nor in the
				 * baseline */
	bool missing;		/* ima, vtrust: in the baseline, not this boot */
};

struct vt_diffs {
	struct vt_diff *d;
	size_t nr, cap;
	struct vt_stage_count count[VT_STAGE_COUNT];
};

static inline bool vt_diff_is_open(const struct vt_diff *d)
{
	return !d->accepted && !d->referenced;
}

/*
 * Compare @cur with @base (which keep ownership; the differences point into
 * them). @ref is a reference (vt_reference_load) or NULL. Lookups are hash
 * sets: the cost is linear in the sizes of both (the LCS of a PCR's events
 * is bounded by LCS_MAX cells). Returns 0 or -1 (out of memory, printed).
 */
int vt_compare(json_object *base, json_object *cur, json_object *ref,
	       struct vt_diffs *out);
void vt_diffs_free(struct vt_diffs *ds);

/* Two events' "digests": equal in every bank both have, at least one. */
bool vt_digests_equal(json_object *a, json_object *b);

/* Differences that make the boot untrusted (not referenced). */
size_t vt_diffs_open(const struct vt_diffs *ds);

/*
 * The ID of the set of open differences: the first 16 hex digits of the
 * SHA-256 of their IDs, sorted, each followed by '\n' (an empty set hashes
 * nothing). verify prints it; `baseline accept --all --set ID` takes only
 * this set. Returns 0 or -1.
 */
int vt_diffs_set_id(const struct vt_diffs *ds, char out[17]);

/* The record of accepted @d, for the baseline's exceptions and history:
 * id, stage, kind, pcr, type, name, old and new digests (BASELINE.md). */
json_object *vt_diff_record(const struct vt_diff *d);

/* The JSON of @d for reports. */
json_object *vt_diff_json(const struct vt_diff *d);

/* Print @d as one line; the name through the display filter. */
void vt_diff_print(const struct vt_diff *d);

/* One line per stage: events or components, differences, referenced. */
void vt_diffs_print_stages(const struct vt_diffs *ds);

/* The same counts as JSON: { "<stage>": { "absent", "missing", "items",
 * "differences", "accepted" } }. */
json_object *vt_diffs_stages_json(const struct vt_diffs *ds);

/*
 * Read a reference file of "<algo>:<hex> <name>" lines ('#' comments) into
 * {"names": {name: {digest: null, ...}}, "modules": {module: {...}}}, the
 * module key of a path ".../snd-hda.ko.xz" being "snd_hda". Returns 0, or
 * prints why and returns an exit code.
 */
int vt_reference_load(const char *path, json_object **out);

#endif /* VTRUST_COMPARE_H */
