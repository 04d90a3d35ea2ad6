/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The replay engine's state, shared by replay.c (setup and report),
 * replay-list.c (IMA-format lists) and replay-uefi.c (the firmware log).
 *
 * Lifetime: one struct replay per run. The PCR values are read first; then
 * each source is read once, in one pass (a list's per-bank files in
 * lockstep), and every entry or event extends the running values of its
 * PCR in every bank and is handed to the collector (collect.c), if there is
 * one. What the PCRs vouch for is decided here, from the TPM's values: the
 * collector keeps only the entries up to the verified point of each source.
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
#include "listfile.h"
#include "pcrs.h"
#include "replay.h"
#include "sources.h"
#include "start.h"

#define MATCH_NONE		INT64_MIN
#define NOT_ASKED		1	/* read_err: PCR not in --pcr */
#define DIGEST_ERRORS_SHOWN	10
#define CULPRIT_MAX		160
#define LIST_FILES_MAX		(VT_ALG_COUNT + 1)
#define SKIP_MAX		64	/* extend-failed: marks honoured */

struct pass;
struct vt_collector;

/*
 * A running value and where it last equalled the TPM's. The padded-SHA-1
 * model is a second one of these (see struct pcr_state).
 */
struct run {
	uint8_t value[VT_DIGEST_MAX];
	int64_t matched_after;	/* MATCH_NONE, -1 (start value) or index */
	uint64_t matched_entries;
	int64_t after_match;	/* first entry or event after the last match */
};

struct pcr_state {
	int read_err;		/* 0: value read; NOT_ASKED; -errno */
	uint8_t value[VT_DIGEST_MAX];	/* the TPM's */
	struct run r;		/* the replay's */
	bool used;		/* a source extends it (uefi: PCRs 0-9 always) */
	bool from_prior;	/* r started at the start entry's prior= */
	bool prior_bad;		/* ... which no replayed source explains */
	int locality;		/* PCR 0 of the log: StartupLocality, or -1 */
	const struct pass *src;	/* the source that extends it last */
	const struct pass *conflict;	/* a second list source */
	const struct pass *chained;	/* the firmware log, before src */
	uint64_t chained_entries;	/* its events */
	uint64_t entries;
	uint64_t violations;
	uint64_t skipped;	/* log events without this bank's digest */
	int64_t first_bad;	/* first entry with a wrong digest */
	/*
	 * IMA extends SHA1(template data) zero-padded into a bank whose hash
	 * the kernel did not have when IMA started: replayed alongside when
	 * the bank has no list of its own, and used if only it matches.
	 */
	bool alt_on;
	bool padded;		/* the padded model was the one that matched */
	struct run alt;
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

/* One file of a list source: the default file or a bank's. */
struct list_file {
	char path[PATH_MAX];
	const struct vt_alg *alg;	/* its template digests */
	struct vt_list l;
	bool open;
	struct imalog_entry *e;
	bool padded;		/* IMA's: it holds padded SHA-1 digests */
};

/* Something that makes the evidence untrustworthy whatever it matches. */
struct vt_problem {
	enum vt_source src;
	int pcr;		/* -1: none */
	const char *kind;	/* "gap", "unverifiable", "edited", ... */
	bool mismatch;		/* also makes the replay's result a mismatch */
	char text[320];
};

/* One source read once: a list (its files in lockstep) or the log. */
struct pass {
	enum vt_source src;
	char path[PATH_MAX];	/* the first file, for messages */
	struct list_file *files;
	unsigned int nr_files;
	/* the file whose digests each bank extends, or NULL: computed */
	struct list_file *bank_file[VT_ALG_COUNT];
	struct bank *banks[VT_ALG_COUNT];
	unsigned int nr_banks;
	struct vt_hash fhash[VT_ALG_COUNT];	/* the files' algorithms */
	bool fhash_ready[VT_ALG_COUNT];
	uint64_t entries;	/* entries, or the log's events */
	uint64_t digest_errors;
	int64_t first_digest_error;
	int64_t disagree;	/* first entry where the files differ, or -1 */
	struct list_file *longer, *shorter;	/* files that ended apart */
	int64_t verified;	/* entries 0..verified are vouched for */
	unsigned int first_pcr;	/* the first entry's PCR */
	bool unread;		/* a PCR it extends was not read */
	/* entries that extend-failed: marks name: not extended, not kept */
	uint64_t skip[SKIP_MAX];
	unsigned int nr_skip;
	bool start;
	struct vt_start st;
	bool bypass;		/* IMA without a TPM: never extended */
	/* the firmware log */
	bool agile;
	size_t padding;		/* bytes of padding after the last event */
	int locality;		/* StartupLocality, or -1 */
	char algs[96];		/* its banks, for the report */
};

struct replay {
	const struct vt_replay_opts *o;
	struct vt_pcrs *pcrs;
	bool bank_on[VT_ALG_COUNT];
	struct bank banks[VT_ALG_COUNT];
	struct pass passes[VT_SOURCE_COUNT];
	unsigned int nr_passes;
	bool absent[VT_SOURCE_COUNT];
	char absent_path[VT_SOURCE_COUNT][PATH_MAX];
	struct vt_problem *problems;
	size_t nr_problems, cap_problems;
	struct vt_collector *coll;	/* NULL: replay only */
};

/* ---- replay.c ---- */

/* The list's name in messages: its path, or "stdin". */
const char *vt_rp_pass_name(const struct pass *ps);

/* Print that OpenSSL failed; returns VT_EXIT_SYSTEM. */
int vt_rp_hash_failed(const struct vt_alg *alg);

/* Note a problem. Returns 0, or VT_EXIT_SYSTEM (out of memory, printed). */
int vt_rp_problem(struct replay *r, enum vt_source src, int pcr,
		  const char *kind, bool mismatch, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * Is the running value @v the TPM's? (Twice per extend: inline, and the
 * first 8 bytes, which tell nearly every time, without a call.)
 */
static inline bool vt_rp_at(const struct pcr_state *st, const uint8_t *v,
			    const struct vt_alg *alg)
{
	uint64_t a, b;

	memcpy(&a, v, 8);
	memcpy(&b, st->value, 8);
	return a == b && !st->read_err && !memcmp(v, st->value, alg->size);
}

/* Start tracking @run from its current value. */
static inline void vt_rp_run_reset(const struct pcr_state *st,
				   struct run *run, const struct vt_alg *alg)
{
	run->matched_after = vt_rp_at(st, run->value, alg) ? -1 : MATCH_NONE;
	run->matched_entries = 0;
	run->after_match = -1;
}

/*
 * The first extend of a PCR by @ps. A list after the firmware log chains
 * to the log's value; a second list source is a conflict.
 */
void vt_rp_touch(struct pcr_state *st, const struct pass *ps,
		 const struct vt_alg *alg);

/* Extend @run by @digest for entry @index; @entries counts the PCR's. */
int vt_rp_extend(struct bank *b, struct pcr_state *st, struct run *run,
		 const uint8_t *digest, int64_t index, uint64_t entries);

/* ---- replay-list.c ---- */

/* Read an IMA-format source once and extend its banks. 0 or exit code. */
int vt_rp_run_list(struct replay *r, struct pass *ps);

/* ---- replay-uefi.c ---- */

/* Read the firmware log once and extend its banks. 0 or exit code. */
int vt_rp_run_uefi(struct replay *r, struct pass *ps);

#endif /* VTRUST_REPLAY_INT_H */
