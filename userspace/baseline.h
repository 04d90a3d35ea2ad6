/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Baselines: what a trusted boot of this machine measured, kept as JSON in
 * the schema of BASELINE.md. The file and the state collected from the
 * running system share that schema, so that both are json-c objects and a
 * comparison is a walk over two of them.
 *
 * The loader (vt_baseline_parse) is strict: any key, type, size or value
 * that the schema does not allow, and any change that bypassed vtrust (the
 * checksum over the rest of the file), rejects the whole file.
 */
#ifndef VTRUST_BASELINE_H
#define VTRUST_BASELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "algs.h"
#include "names.h"

#define VT_BASELINE_PATH	"/var/lib/vtrust/baseline.json"
#define VT_BASELINE_FORMAT	"vtrust-baseline"
#define VT_BASELINE_VERSION	2
#define VT_BASELINE_MAX		(512U << 20)	/* bytes */
#define VT_REASON_MAX		4096	/* bytes of --reason, as given */
#define VT_USER_MAX		256	/* bytes of a stored host or user name */

/* Stages, in the order they are reported. */
enum vt_stage {
	VT_STAGE_FIRMWARE,	/* PCRs 0-3, 5-7 of the firmware log, in order */
	VT_STAGE_KERNEL,	/* PCRs 4, 8-23: boot loader, kernel, command
				 * line, shim's and systemd-stub's PCRs */
	VT_STAGE_IMA,		/* IMA's list: name -> digests */
	VT_STAGE_VTRUST,	/* vtrust's list: name -> digests */
	VT_STAGE_COUNT
};

const char *vt_stage_name(enum vt_stage s);
int vt_stage_parse(const char *s, enum vt_stage *out);

/* The stage of a firmware log event in PCR @pcr, or -1 for none (24+). */
int vt_stage_of_pcr(uint32_t pcr);

static inline bool vt_stage_ordered(enum vt_stage s)
{
	return s == VT_STAGE_FIRMWARE || s == VT_STAGE_KERNEL;
}

/*
 * Check a baseline held in @text: JSON, the schema, the checksum. On
 * success *out is the document (the caller puts it) and 0 is returned;
 * else -1 with the reason in @why.
 */
/*
 * Read the runtime stages' "components" objects of @doc (in "stages" and
 * in history's replaced values) into component sets (compset.h), checking
 * them as the loader does: for documents that were not loaded (tests).
 * 0, or -1 with the reason in @why.
 */
int vt_baseline_sets(json_object *doc, char *why, size_t whylen);
int vt_baseline_parse(const char *text, size_t len, json_object **out,
		      char *why, size_t whylen);

/*
 * Read and check the baseline at @path. Returns 0, or prints why and
 * returns 2 (missing, broken or hand-edited) or 3 (unreadable).
 */
int vt_baseline_load(const char *path, json_object **out);

struct vt_bindex;

/*
 * vt_baseline_load() for a verifier: where the baseline's index
 * (bindex.h) is for the file as it is, the document comes without the
 * runtime stages' components (their sets are empty) and *@idx is the
 * index, which has them; else *@idx is NULL and the document whole. A
 * broken index is said on stderr and not used.
 */
int vt_baseline_load_indexed(const char *path, json_object **out,
			     struct vt_bindex **idx);

/*
 * Set the checksum and write @doc to @path atomically: a temporary file in
 * the same directory (created 0700 if missing), mode 0600, fsync, rename,
 * fsync of the directory. The text is first read back with
 * vt_baseline_parse: what the loader would refuse is not written (2). A
 * failure leaves the old file as it was. Then the index "<path>.idx"
 * (bindex.h); a failure there is said on stderr and is no error. Returns 0, or prints why and
 * returns 2 or 3.
 */
int vt_baseline_save(const char *path, json_object *doc);

/*
 * The same without a file: set the checksum and return @doc's text
 * (malloc'd, NUL-terminated, *@len bytes), read back first; NULL and @why
 * if the loader would refuse it.
 */
char *vt_baseline_text(json_object *doc, size_t *len, char *why,
		       size_t whylen);

/*
 * Make @cur (this boot in the baseline schema) a first baseline in place,
 * for a verifier that keeps it elsewhere than a file: times, @host and the
 * kernel @release (both escaped; NULL: this machine's), empty retired and
 * exceptions, a history of one "init" entry with @reason. 0, or -1 (out of
 * memory).
 */
int vt_baseline_first(json_object *cur, const char *reason, const char *host,
		      const char *release);

/*
 * A history entry: the time, @action, who (uid, user, $SUDO_USER) and why
 * (@reason, may be NULL), every string through the name escape; @ids (an
 * array of event IDs, taken) may be NULL for none.
 */
json_object *vt_baseline_history(const char *action, const char *reason,
				 json_object *ids);

/*
 * Record this boot (@cur, in the baseline schema, from the collection;
 * changed in place, the caller still puts it) as the baseline at @path:
 * the host and kernel release (escaped) and the times are set here. An existing file is
 * refused (2) unless @force; with @force it is kept as "<path>.old", and
 * if it loads, its history goes on in the new file. The new history ends
 * in an "init" or "init --force" entry with @reason. Unless @quiet, says
 * so on stdout. Returns 0 or an exit code.
 */
int vt_baseline_init(const char *path, json_object *cur, const char *reason,
		     bool force, bool quiet);

/* What to accept of a boot's differences (vtrust baseline accept). */
struct vt_accept_req {
	bool all;			/* every open difference ... */
	const char *set;		/* ... if they are this set (16 hex) */
	const char *const *events;	/* or these event IDs */
	unsigned int nr_events;
	bool keep_old;			/* the old digests stay trusted */
	const char *reason;
	bool quiet;			/* print nothing */
};

/*
 * Accept @r's differences of this boot (@cur, the baseline schema) into
 * @base, in memory (BASELINE.md, "Accepting and revoking"); @base gets the
 * history entry and the exceptions. *@records: the accepted differences
 * (an empty array: nothing was open), *@replaced: what they replaced.
 * Returns 0, or an exit code with the reason said through vt_err():
 * 1 (--all and the open differences are another set), 2 (an event that
 * is no open difference; a PCR accepted in part), 3.
 */
int vt_baseline_accept(json_object *base, json_object *cur,
		       const struct vt_accept_req *r, json_object **records,
		       json_object **replaced);

/*
 * Take trust back in @base, in memory (vtrust baseline revoke): @event, an
 * accepted difference in effect (its old events or digests come back), or
 * @digest ("ALGO:HEX"), a component digest. Adds the history entry.
 * *@records: what was revoked. Returns 0, or an exit code with the reason
 * said through vt_err(): 2 (no such difference or digest; a later accept
 * replaced it again), 3.
 */
int vt_baseline_revoke(json_object *base, const char *event,
		       const char *digest, const char *reason,
		       json_object **records);

/* "sha256:<hex>" of the document without its "checksum" key, into @out. */
int vt_baseline_checksum(json_object *doc, char *out, size_t size);

/* The current UTC time as "2026-11-27T10:00:00Z" (21 bytes). */
void vt_now_iso(char *out, size_t size);

/* Seconds since the ISO time @iso, or -1 if it is not one. */
long long vt_age_of(const char *iso);

/* vt_name_escape() to at most VT_NAME_MAX bytes; @out has VT_NAME_MAX + 1. */
void vt_safe_name(const uint8_t *p, size_t len, char *out);

/* Small json-c helpers. */
json_object *vt_json_hex(const uint8_t *p, size_t len);
/* A path or message from outside as a JSON string: escaped if not UTF-8. */
json_object *vt_json_text(const char *text);
const char *vt_json_str(json_object *o, const char *key);

#endif /* VTRUST_BASELINE_H */
