/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Comparing what this boot measured with a baseline (both in the baseline
 * schema, BASELINE.md):
 *
 *  - firmware and kernel stages, PCR by PCR, as ordered lists of events:
 *    the longest common subsequence of equal events (same PCR, equal
 *    digests in every bank both have) is kept; what is left over is
 *    removed, added, or, for a removed and an added event of the same type
 *    and name between the same kept events, changed;
 *  - ima and vtrust as sets: a name -> digest of this boot that the
 *    baseline has is fine, a known name with another digest is changed, an
 *    unknown name is new. A component absent this boot is fine.
 *
 * Each difference has a stable ID: the first 16 hex digits of the SHA-256
 * of its stage, kind, PCR, type, name and digests, so that the same
 * difference has the same ID on every run and `baseline accept --event ID`
 * can name it. A difference that an exception of the baseline covers is
 * "accepted"; a vtrust difference whose name and digest are in a reference
 * file (`baseline generate`) is "referenced". Neither makes a boot
 * untrusted.
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
	const char *kind;	/* changed, added, removed / changed, new */
	int pcr;		/* -1 for ima and vtrust (in the ID) */
	int list_pcr;		/* ima and vtrust: their list's PCR */
	const char *type;	/* ordered stages */
	const char *name;
	json_object *base;	/* baseline event, or its digests (runtime) */
	json_object *cur;	/* current event (ordered stages) */
	const char *digest;	/* current digest (runtime) */
	bool accepted;
	bool referenced;
};

struct vt_stage_count {
	size_t items;		/* events or components this boot */
	size_t diffs;
	size_t accepted;	/* of diffs: accepted or referenced */
	bool absent;		/* ima, vtrust: no list this boot */
};

struct vt_diffs {
	struct vt_diff *d;
	size_t nr, cap;
	struct vt_stage_count count[VT_STAGE_COUNT];
};

/*
 * Compare @cur with @base (which keep ownership; the differences point into
 * them). @ref is a reference (name -> digests object) or NULL. Returns 0 or
 * -1 (out of memory, printed).
 */
int vt_compare(json_object *base, json_object *cur, json_object *ref,
	       struct vt_diffs *out);
void vt_diffs_free(struct vt_diffs *ds);

/* Differences neither accepted nor referenced. */
size_t vt_diffs_open(const struct vt_diffs *ds);

/* The exception object that accepts @d (for the baseline's list). */
json_object *vt_diff_exception(const struct vt_diff *d);

/* The JSON of @d for reports. */
json_object *vt_diff_json(const struct vt_diff *d);

/* Print @d as one line (and a second for long digests). */
void vt_diff_print(const struct vt_diff *d);

/*
 * Read a reference file of "<algo>:<hex> <name>" lines ('#' comments) into
 * a name -> digests object. Returns 0, or prints why and returns an exit
 * code.
 */
int vt_reference_load(const char *path, json_object **out);

#endif /* VTRUST_COMPARE_H */
