/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The steps that vtrust verify and vtrust baseline share: the replay, the
 * collection of this boot, the first baseline, history entries.
 */
#ifndef VTRUST_VERIFY_H
#define VTRUST_VERIFY_H

#include <stdbool.h>

#include <json-c/json.h>

struct vt_bindex;
struct vt_diffs;
struct vt_pcr_table;

struct vt_check_opts {
	const char *root;	/* prefix of /sys paths */
	const char *baseline;	/* its path */
	const char *pcrs_arg;	/* PCR backend, as replay --pcrs */
	const struct vt_pcr_table *pcr_table;	/* or these values */
	bool json;
	bool no_boot;		/* the caller needs no *cur: no collection */
	/* compare as it collects against this index (vt_collector_filter):
	 * *cur is then fit only for vt_compare() with its baseline */
	const struct vt_bindex *filter;
};

/*
 * Replay every source the kernel shows, once, and build this boot in the
 * baseline schema from the same entries, up to the point the PCRs vouch
 * for (collect.h). Prints the brief replay report unless @quiet; hands the
 * JSON report back in *report (may be NULL) and the number of problems (a
 * gap, history that cannot be verified: the boot is untrusted whatever the
 * baseline says) in *problems. *cur is set only on a match (exit 0).
 * Returns the replay's exit code.
 */
int vt_check_boot(const struct vt_check_opts *o, bool quiet,
		  json_object **report, json_object **cur, size_t *problems);

#endif /* VTRUST_VERIFY_H */
