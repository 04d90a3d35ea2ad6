/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the trusted service keeps, on db.h: the schema (numbered
 * migrations) and the challenges. Times are seconds since the epoch,
 * given by the caller (so that tests choose them).
 */
#ifndef VTRUST_STORE_H
#define VTRUST_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* Beyond db.h's codes. */
enum {
	VT_STORE_UNKNOWN = 16,	/* no such challenge (never made, or used) */
	VT_STORE_EXPIRED,	/* it was there, but too late: now removed */
	VT_STORE_NEWER,		/* the database's schema is newer than this */
};

/* The schema version this build writes. */
int vt_store_schema_version(void);

/*
 * Bring the schema to this build's version, one migration per transaction
 * under the schema lock (two processes at once are safe). *from (may be
 * NULL) gets the version found. A database of a newer schema is refused
 * (VT_STORE_NEWER) and not touched.
 */
int vt_store_migrate(struct vt_db *db, int *from, char *why, size_t whylen);
/* The same, up to schema version @to only (tests of a migration). */
int vt_store_migrate_to(struct vt_db *db, int to, int *from, char *why,
			size_t whylen);
/* The version the database has (0: none). */
int vt_store_version(struct vt_db *db, int *version);

#define VT_NONCE_BYTES	32
#define VT_NONCE_HEX	(2 * VT_NONCE_BYTES + 1)

/*
 * A new challenge for @instance and @purpose ("evidence", "enrol"): 32
 * random bytes, in lowercase hex in @nonce, valid until @now + @ttl.
 */
int vt_store_challenge_new(struct vt_db *db, const char *instance,
			   const char *purpose, int64_t now, int64_t ttl,
			   char nonce[VT_NONCE_HEX]);
/*
 * Use challenge @nonce once: it is removed in the same statement that
 * reads it (DELETE ... RETURNING), so of two requests that race for it
 * exactly one gets it. 0 and its instance and purpose; VT_STORE_UNKNOWN;
 * VT_STORE_EXPIRED (@now past its time); or a db.h error.
 */
int vt_store_challenge_take(struct vt_db *db, const char *nonce, int64_t now,
			    char *instance, size_t ilen, char *purpose,
			    size_t plen);
/* Remove the challenges that expired before @now; their count in *n. */
int vt_store_challenge_expire(struct vt_db *db, int64_t now, long *n);

/* Operator tokens, kept as the SHA-256 (hex) of the token. */
int vt_store_token_add(struct vt_db *db, const char *hash, int64_t now);
/* 0 if @hash is a token's, VT_STORE_UNKNOWN if not. */
int vt_store_token_check(struct vt_db *db, const char *hash);

/* An enrolled instance, or one being enrolled. */
struct vt_instance {
	char id[65];		/* [A-Za-z0-9._-], 1 to 64 */
	char *ek_public;	/* the EK's TPM2B_PUBLIC, base64 */
	char *ek_certificate;	/* PEM, or NULL */
	char *ak_public;	/* the AK's TPM2B_PUBLIC, base64 */
	char *ak_name;		/* hex */
	int64_t when;		/* enrolled at; for an enrolment, expires */
	int64_t interval;	/* seconds between attestations expected */
	char *secret_hash;	/* enrolment: SHA-256 (hex) of its secret */
	/* for vt_store_instance_add(): the fingerprints (SHA-256 of the
	 * SubjectPublicKeyInfo, hex) of the EK's and the AK's keys, each
	 * enrolled once ("": not recorded) */
	char ek_key[65], ak_key[65];
	/* an instance: its latest attestation's verdict ("" if none) and
	 * time (-1 if none), and the time of the first attestation since
	 * which every one had that verdict (-1 if none) */
	char verdict[16];
	int64_t last, since;
};

void vt_instance_free(struct vt_instance *in);
/* VT_DB_CONFLICT if the id exists, or its EK's or AK's key is enrolled. */
int vt_store_instance_add(struct vt_db *db, const struct vt_instance *in);
/* The instance (the first by id) whose EK's key is @ek_key or whose AK's
 * key is @ak_key: 0 and @id, or VT_STORE_UNKNOWN. */
int vt_store_instance_of_keys(struct vt_db *db, const char *ek_key,
			      const char *ak_key, char id[65]);
/* 0 and *in (free with vt_instance_free()), or VT_STORE_UNKNOWN. */
int vt_store_instance_get(struct vt_db *db, const char *id,
			  struct vt_instance *in);
typedef int (*vt_store_instance_fn)(void *ctx, const struct vt_instance *in);
/* Each instance, by id; a non-zero return of @fn stops and is returned. */
int vt_store_instance_list(struct vt_db *db, vt_store_instance_fn fn,
			   void *ctx);

/*
 * An enrolment under way: the instance as it presented itself and the
 * hash of the secret its credential holds, under challenge @nonce until
 * @expires. vt_store_enrol_take() uses it once (as challenges are).
 */
int vt_store_enrol_begin(struct vt_db *db, const char *nonce,
			 const struct vt_instance *in, int64_t expires);
int vt_store_enrol_take(struct vt_db *db, const char *nonce, int64_t now,
			struct vt_instance *in);

/*
 * The instance's current baseline (the newest version not retired): its
 * version and text (malloc'd), or VT_STORE_UNKNOWN if it has none yet.
 */
int vt_store_baseline_current(struct vt_db *db, const char *instance,
			      int *version, char **doc);
/* Version @version of the baseline; VT_DB_CONFLICT if it exists (another
 * request recorded it first). */
int vt_store_baseline_add(struct vt_db *db, const char *instance,
			  int version, const char *doc, int64_t now,
			  const char *reason);

/*
 * An attestation: the challenge it answered, when, its verdict, the boot
 * it was about (the quote's resetCount; -1 if it was not verified) and
 * the verdict's JSON. It becomes the instance's latest (its row's seq,
 * verdict and last_at). Two statements: call it inside a transaction.
 * VT_STORE_UNKNOWN if there is no such instance.
 */
int vt_store_attestation_add(struct vt_db *db, const char *nonce,
			     const char *instance, int64_t now,
			     const char *verdict, int64_t reset_count,
			     const char *detail);
typedef int (*vt_store_attestation_fn)(void *ctx, int64_t at,
				       const char *verdict,
				       int64_t reset_count, const char *detail);
/* The newest @limit attestations of @instance, newest first. */
int vt_store_attestations(struct vt_db *db, const char *instance,
			  unsigned int limit, vt_store_attestation_fn fn,
			  void *ctx);

typedef int (*vt_store_version_fn)(void *ctx, int version, int64_t created,
				   int64_t retired, const char *reason);
/* Each baseline version of @instance, oldest first (retired: -1 if not). */
int vt_store_baselines(struct vt_db *db, const char *instance,
		       vt_store_version_fn fn, void *ctx);

/* Retire version @version of the instance's baseline (it must be the
 * current one: VT_STORE_UNKNOWN if it is not). */
int vt_store_baseline_retire(struct vt_db *db, const char *instance,
			     int version, int64_t now);

/*
 * The latest untrusted boot of an instance, for accept: the attestation's
 * nonce, its set of differences (16 hex) and the boot in the baseline
 * schema (JSON text). One per instance; a trusted boot clears it.
 */
int vt_store_pending_set(struct vt_db *db, const char *instance,
			 const char *nonce, const char *set_id,
			 const char *boot, int64_t now);
int vt_store_pending_clear(struct vt_db *db, const char *instance);
/* Its set and boot (malloc'd), or VT_STORE_UNKNOWN. */
int vt_store_pending_get(struct vt_db *db, const char *instance,
			 char **set_id, char **boot);

#endif /* VTRUST_STORE_H */
