/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What this boot measured, in the baseline schema (BASELINE.md): the PCR
 * values of every bank, the firmware and kernel events of the firmware log,
 * and IMA's and vtrust's lists as name -> digests.
 */
#ifndef VTRUST_COLLECT_H
#define VTRUST_COLLECT_H

#include <stdbool.h>

#include <json-c/json.h>

#include "algs.h"

struct vt_collect_opts {
	const char *root;	/* prefix of /sys paths */
	const char *pcrs_arg;	/* NULL/"auto", "sysfs", "tpm" or a file */
	bool banks_asked;
	bool bank_on[VT_ALG_COUNT];
	/* instead of the kernel's files (tests, offline checks) */
	const char *uefi_log;
	const char *ima_list;
	const char *vtrust_list;
};

/*
 * A new baseline document of the running system: format, version, times,
 * host, kernel release, pcrs, stages; empty exceptions and history; no
 * checksum. A source that the kernel does not show gives an empty stage
 * (firmware and kernel) or null (ima and vtrust). Returns 0, or prints why
 * and returns an exit code.
 */
int vt_collect(const struct vt_collect_opts *o, json_object **out);

#endif /* VTRUST_COLLECT_H */
