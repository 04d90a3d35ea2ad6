/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The replay engine's state, shared by replay.c (setup and report),
 * replay-list.c (IMA-format lists) and replay-uefi.c (the firmware log).
 *
 * Lifetime: one struct replay per run; the PCR values are read first, then
 * each pass reads its list once and extends the running values of its
 * banks' PCRs; the report reads the state last.
 */
#ifndef VTRUST_REPLAY_INT_H
#define VTRUST_REPLAY_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "algs.h"
#include "hash.h"
#include "imalog.h"
#include "pcrs.h"
#include "replay.h"
#include "sources.h"
#include "start.h"

#define MATCH_NONE		INT64_MIN
#define NOT_ASKED		1	/* read_err: PCR not in --pcr */
#define DIGEST_ERRORS_SHOWN	10
#define UEFI_PCRS		10	/* the firmware log: PCRs 0-9 */
#define CULPRIT_MAX		160

struct pass;

struct pcr_state {
	int read_err;		/* 0: value read; NOT_ASKED; -errno */
	uint8_t value[VT_DIGEST_MAX];	/* the TPM's */
	uint8_t run[VT_DIGEST_MAX];	/* the replay's */
	bool used;		/* a list or the log extends (uefi: covers) it */
	bool from_prior;	/* run started at the start entry's prior= */
	int locality;		/* PCR 0 of the log: StartupLocality, or -1 */
	const struct pass *src;	/* the list that extends it */
	const struct pass *conflict;	/* another source's list that does too */
	const struct pass *chained;	/* a list before vtrust's prior= */
	bool chain_bad;		/* which did not end at prior= */
	uint64_t chained_entries;	/* its entries or events */
	uint64_t entries;
	uint64_t violations;
	uint64_t skipped;	/* log events without this bank's digest */
	int64_t matched_after;	/* MATCH_NONE, -1 (start value) or index */
	uint64_t matched_entries;
	int64_t after_match;	/* log: first event after the last match */
	int64_t first_bad;	/* first entry with a wrong digest */
	char after_match_what[CULPRIT_MAX];
	char first_bad_what[CULPRIT_MAX];
};

struct bank {
	const struct vt_alg *alg;
	struct vt_hash hash;
	bool hash_ready;
	bool not_in_log;	/* the firmware log has no digests of it */
	struct pcr_state pcr[VT_PCR_COUNT];
};

/* One list (or the firmware log) read once, extending one or more banks. */
struct pass {
	enum vt_source src;
	char path[PATH_MAX];
	const struct vt_alg *list_alg;	/* the list's template digests */
	struct bank *banks[VT_ALG_COUNT];
	unsigned int nr_banks;
	bool list_digest[VT_ALG_COUNT];	/* the list holds this bank's digests */
	struct vt_hash verify;	/* list_alg, if no bank of the pass is it */
	bool have_verify;
	uint64_t entries;	/* entries, or the log's events */
	uint64_t digest_errors;
	int64_t first_digest_error;
	bool start;
	struct vt_start st;
	bool bypass;		/* IMA without a TPM: never extended */
	/* the firmware log */
	bool agile;
	uint64_t not_replayed;	/* events of PCRs 10 and up */
	int locality;		/* StartupLocality, or -1 */
	char algs[96];		/* its banks, for the report */
};

struct replay {
	const struct vt_replay_opts *o;
	struct vt_pcrs *pcrs;
	bool bank_on[VT_ALG_COUNT];
	struct bank banks[VT_ALG_COUNT];
	struct pass passes[2 * VT_ALG_COUNT + 2];
	unsigned int nr_passes;
	bool absent[VT_SOURCE_COUNT];
	char absent_path[VT_SOURCE_COUNT][PATH_MAX];
};

/* ---- replay.c ---- */

/* The list's name in messages: its path, or "stdin". */
const char *vt_rp_pass_name(const struct pass *ps);

/* Print that OpenSSL failed; returns VT_EXIT_SYSTEM. */
int vt_rp_hash_failed(const struct vt_alg *alg);

/* Is the running value of @st the TPM's? (Per entry: inline.) */
static inline bool vt_rp_at_value(const struct pcr_state *st,
				  const struct vt_alg *alg)
{
	return !st->read_err && !memcmp(st->run, st->value, alg->size);
}

/* The first extend of a PCR by @ps; notes a second source. */
static inline void vt_rp_touch(struct pcr_state *st, const struct pass *ps,
			       const struct vt_alg *alg)
{
	if (!st->src)
		st->src = ps;
	else if (st->src->src != ps->src && !st->conflict)
		st->conflict = ps;
	if (st->used)
		return;
	st->used = true;
	if (vt_rp_at_value(st, alg)) {
		st->matched_after = -1;
		st->matched_entries = 0;
	}
}

/* ---- replay-list.c ---- */

/* Read an IMA-format list and extend its banks. 0 or an exit code. */
int vt_rp_run_list(struct pass *ps, struct imalog_entry *e);

/* ---- replay-uefi.c ---- */

/* Read the firmware log and extend PCRs 0-9 of its banks. */
int vt_rp_run_uefi(struct pass *ps);

#endif /* VTRUST_REPLAY_INT_H */
