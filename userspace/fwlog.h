/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firmware event log as a file: loading it whole and printing it
 * (`vtrust log --source uefi`). The parsing is uefilog.c's.
 */
#ifndef VTRUST_FWLOG_H
#define VTRUST_FWLOG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "uefilog.h"

struct vt_fwlog {
	char path[PATH_MAX];	/* for messages; "stdin" for "-" */
	uint8_t *buf;
	size_t len;
	struct uefilog log;	/* opened on buf */
};

/*
 * Read @path ("-": standard input) and check every event of it. Returns
 * 0, or prints why and returns an exit code (2 for a bad log, 3 when it
 * cannot be read).
 */
int vt_fwlog_load(struct vt_fwlog *f, const char *path);
void vt_fwlog_free(struct vt_fwlog *f);

/* Print the log at @path as text or JSON. Returns an exit code. */
int vt_fwlog_print(const char *path, bool json);

/* "sha256" for a known TPM algorithm, else "0x0012"-style into @buf. */
const char *vt_fwlog_alg_name(uint16_t alg, char *buf, size_t size);

/* The event's type name, or "0x%08x" into @buf (at least 11 bytes). */
const char *vt_fwlog_type_name(uint32_t type, char *buf, size_t size);

/* The JSON object of one event (as `vtrust log --json` prints it). */
json_object *vt_fwlog_event_json(const struct uefilog *l,
				 const struct uefilog_event *e);

#endif /* VTRUST_FWLOG_H */
