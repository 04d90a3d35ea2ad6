/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The replay engine behind `vtrust replay`, also run by `vtrust verify` and
 * `vtrust baseline` before they trust any list.
 */
#ifndef VTRUST_REPLAY_H
#define VTRUST_REPLAY_H

#include <stdbool.h>

#include <json-c/json.h>

#include "algs.h"

struct vt_replay_opts {
	const char *root;		/* prefix of /sys paths, "/" */
	unsigned int sources;		/* 1 << enum vt_source */
	bool explicit_sources;		/* a missing source is an error */
	const char *list;		/* one source read from this file */
	const char *pcrs_arg;		/* NULL/"auto", "sysfs", "tpm" or a file */
	const struct vt_pcr_table *pcr_table;	/* instead of pcrs_arg */
	bool banks_asked;
	bool bank_on[VT_ALG_COUNT];
	bool any_pcr_opt;
	bool pcr_wanted[VT_PCR_COUNT];
	bool json;			/* print JSON rather than text */
	bool brief;			/* text: problems, mismatches, result */
	bool verbose;			/* text: a paragraph per PCR */
	bool quiet;			/* print nothing (verify --json) */
};

struct vt_collector;
struct vt_pcr_table;

/* What a replay hands back to verify and baseline. */
struct vt_replay_out {
	struct vt_collector *coll;	/* in: gets every entry, or NULL */
	json_object *report;		/* the JSON report (the caller puts) */
	size_t problems;		/* problems found (gaps included) */
};

/*
 * Replay the chosen sources against the PCRs and print the report (unless
 * quiet). With @out, also hand back the JSON report and feed the
 * collector. Returns the exit code: 0 match, 1 mismatch (or evidence that
 * cannot be verified), 2 bad input, 3 system error. A problem that does not
 * contradict the PCRs (a gap in vtrust's list) leaves a match at 0 but is
 * counted in out->problems.
 */
int vt_replay_run(const struct vt_replay_opts *o, struct vt_replay_out *out);

/* The PCR backend named by @arg (NULL: auto). 0 or an exit code. */
struct vt_pcrs;
int vt_replay_open_pcrs(const char *root, const char *arg,
			struct vt_pcrs **out);

#endif /* VTRUST_REPLAY_H */
