// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trusted service's schema and challenges on db.h; see store.h. Each
 * statement is written once, in SQL that SQLite 3.35+ and PostgreSQL both
 * take.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "hex.h"
#include "store.h"

/*
 * The migrations, in order: migrations[i] takes a schema from version i
 * to i + 1. Never edit one that has shipped; add the next.
 */
static const char *const migrations[] = {
	/* 1: challenges */
	"CREATE TABLE challenges ("
	" nonce TEXT PRIMARY KEY,"
	" instance TEXT NOT NULL,"
	" purpose TEXT NOT NULL,"
	" expires BIGINT NOT NULL);"
	"CREATE INDEX challenges_expires ON challenges (expires)",
	/* 2: instances (enrolment: the EK and the AK an instance proved) */
	"CREATE TABLE instances ("
	" id TEXT PRIMARY KEY,"
	" ek_public TEXT NOT NULL,"
	" ek_certificate TEXT,"
	" ak_public TEXT NOT NULL,"
	" ak_name TEXT NOT NULL,"
	" enrolled BIGINT NOT NULL,"
	" interval_s BIGINT NOT NULL DEFAULT 3600)",
	/* 3: operator tokens (their SHA-256), enrolments under way */
	"CREATE TABLE tokens ("
	" hash TEXT PRIMARY KEY,"
	" created BIGINT NOT NULL);"
	"CREATE TABLE enrolments ("
	" nonce TEXT PRIMARY KEY,"
	" id TEXT NOT NULL,"
	" ek_public TEXT NOT NULL,"
	" ek_certificate TEXT,"
	" ak_public TEXT NOT NULL,"
	" ak_name TEXT NOT NULL,"
	" secret_hash TEXT NOT NULL,"
	" expires BIGINT NOT NULL)",
	/* 4: baselines (versions; the current one is not retired) and
	 * attestations (one per challenge answered, with its verdict) */
	"CREATE TABLE baselines ("
	" instance TEXT NOT NULL REFERENCES instances (id),"
	" version INTEGER NOT NULL,"
	" doc TEXT NOT NULL,"
	" created BIGINT NOT NULL,"
	" retired BIGINT,"
	" reason TEXT NOT NULL,"
	" PRIMARY KEY (instance, version));"
	"CREATE TABLE attestations ("
	" nonce TEXT PRIMARY KEY,"
	" instance TEXT NOT NULL REFERENCES instances (id),"
	" seq BIGINT NOT NULL,"
	" at BIGINT NOT NULL,"
	" verdict TEXT NOT NULL,"
	" reset_count BIGINT,"
	" detail TEXT NOT NULL,"
	" UNIQUE (instance, seq))",
	/* 5: the latest untrusted boot of each instance, for accept */
	"CREATE TABLE pending ("
	" instance TEXT PRIMARY KEY REFERENCES instances (id),"
	" nonce TEXT NOT NULL,"
	" set_id TEXT NOT NULL,"
	" boot TEXT NOT NULL,"
	" at BIGINT NOT NULL)",
	/* 6: the key that signs attestation results (ear.c) */
	"CREATE TABLE signing_keys ("
	" kid TEXT PRIMARY KEY,"
	" private_pem TEXT NOT NULL,"
	" created BIGINT NOT NULL)",
	/* 7: each instance's latest attestation kept on its row (its
	 * sequence number, verdict and time, and since when its verdict has
	 * been that one), written with the attestation: the fleet's list
	 * reads one row per instance, and the row's lock orders two
	 * attestations of one instance */
	"ALTER TABLE instances ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;"
	"ALTER TABLE instances ADD COLUMN verdict TEXT;"
	"ALTER TABLE instances ADD COLUMN last_at BIGINT;"
	"ALTER TABLE instances ADD COLUMN since BIGINT;"
	"UPDATE instances SET"
	" seq = COALESCE((SELECT MAX(seq) FROM attestations a"
	"  WHERE a.instance = instances.id), 0),"
	" verdict = (SELECT verdict FROM attestations a"
	"  WHERE a.instance = instances.id ORDER BY seq DESC LIMIT 1),"
	" last_at = (SELECT MAX(at) FROM attestations a"
	"  WHERE a.instance = instances.id);"
	/* the first attestation after the last one of another verdict */
	"UPDATE instances SET since = (SELECT MIN(at) FROM attestations a"
	" WHERE a.instance = instances.id AND a.seq > COALESCE("
	"  (SELECT MAX(seq) FROM attestations b"
	"   WHERE b.instance = instances.id AND b.verdict <> instances.verdict),"
	"  0));"
	/* an EK, and an AK, belong to one instance: their keys'
	 * fingerprints (SHA-256 of the SubjectPublicKeyInfo, hex) are
	 * unique (NULL for instances enrolled before: not checked) */
	"ALTER TABLE instances ADD COLUMN ek_key TEXT;"
	"ALTER TABLE instances ADD COLUMN ak_key TEXT;"
	"CREATE UNIQUE INDEX instances_ek_key ON instances (ek_key);"
	"CREATE UNIQUE INDEX instances_ak_key ON instances (ak_key)",
};

#define NR_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int vt_store_schema_version(void)
{
	return NR_MIGRATIONS;
}

static int one_int(void *ctx, unsigned int n, const char *const *v)
{
	*(int *)ctx = n && v[0] ? atoi(v[0]) : 0;
	return 0;
}

static const char version_table[] =
	"CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";

int vt_store_version(struct vt_db *db, int *version)
{
	int ret;

	*version = 0;
	ret = vt_db_begin_schema(db);
	if (ret)
		return ret;
	ret = vt_db_script(db, version_table);
	if (!ret)
		ret = vt_db_exec(db, "SELECT MAX(version) FROM schema_version",
				 0, NULL, one_int, version);
	if (ret) {
		vt_db_rollback(db);
		return ret;
	}
	return vt_db_commit(db);
}

int vt_store_migrate(struct vt_db *db, int *from, char *why, size_t whylen)
{
	return vt_store_migrate_to(db, NR_MIGRATIONS, from, why, whylen);
}

int vt_store_migrate_to(struct vt_db *db, int to, int *from, char *why,
			size_t whylen)
{
	char num[16];
	const char *p[1] = { num };
	int v, ret, first = -1;

	if (to < 0 || to > NR_MIGRATIONS) {
		snprintf(why, whylen, "no schema version %d", to);
		return VT_DB_ERROR;
	}
	v = 0;
	for (;;) {
		/* the version under the schema lock: another process may be
		 * migrating too */
		ret = vt_db_begin_schema(db);
		if (ret)
			goto fail;
		ret = vt_db_script(db, version_table);
		if (!ret)
			ret = vt_db_exec(db, "SELECT MAX(version) FROM "
					 "schema_version", 0, NULL, one_int, &v);
		if (ret)
			goto rollback;
		if (first < 0)
			first = v;
		if (v > NR_MIGRATIONS) {
			vt_db_rollback(db);
			snprintf(why, whylen, "the database's schema is version "
				 "%d, newer than this vtrustd's %d: not touched",
				 v, NR_MIGRATIONS);
			return VT_STORE_NEWER;
		}
		if (v >= to)
			break;
		ret = vt_db_script(db, migrations[v]);
		if (ret)
			goto rollback;
		snprintf(num, sizeof(num), "%d", v + 1);
		ret = vt_db_exec(db, "INSERT INTO schema_version (version) "
				 "VALUES (CAST($1 AS INTEGER))", 1, p, NULL,
				 NULL);
		if (ret)
			goto rollback;
		ret = vt_db_commit(db);
		if (ret)
			goto fail;
	}
	ret = vt_db_commit(db);
	if (ret)
		goto fail;
	if (from)
		*from = first;
	return 0;
rollback:
	snprintf(why, whylen, "schema version %d: %s", v + 1, vt_db_error(db));
	vt_db_rollback(db);
	return ret;
fail:
	snprintf(why, whylen, "%s", vt_db_error(db));
	return ret;
}

int vt_store_challenge_new(struct vt_db *db, const char *instance,
			   const char *purpose, int64_t now, int64_t ttl,
			   char nonce[VT_NONCE_HEX])
{
	uint8_t raw[VT_NONCE_BYTES];
	char exp[24];
	const char *p[4] = { nonce, instance, purpose, exp };

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return VT_DB_ERROR;
	vt_hex(nonce, raw, sizeof(raw));
	snprintf(exp, sizeof(exp), "%" PRId64, now + ttl);
	return vt_db_exec(db, "INSERT INTO challenges (nonce, instance, "
			  "purpose, expires) VALUES ($1, $2, $3, "
			  "CAST($4 AS BIGINT))", 4, p, NULL, NULL);
}

struct taken {
	bool found;
	char *instance, *purpose;
	size_t ilen, plen;
	int64_t expires;
};

static int take_row(void *ctx, unsigned int n, const char *const *v)
{
	struct taken *t = ctx;

	if (n != 3 || !v[0] || !v[1] || !v[2])
		return VT_DB_ERROR;
	t->found = true;
	snprintf(t->instance, t->ilen, "%s", v[0]);
	snprintf(t->purpose, t->plen, "%s", v[1]);
	t->expires = strtoll(v[2], NULL, 10);
	return 0;
}

int vt_store_challenge_take(struct vt_db *db, const char *nonce, int64_t now,
			    char *instance, size_t ilen, char *purpose,
			    size_t plen)
{
	struct taken t = { .instance = instance, .purpose = purpose,
			   .ilen = ilen, .plen = plen };
	const char *p[1] = { nonce };
	int ret;

	ret = vt_db_exec(db, "DELETE FROM challenges WHERE nonce = $1 "
			 "RETURNING instance, purpose, expires", 1, p,
			 take_row, &t);
	if (ret)
		return ret;
	if (!t.found)
		return VT_STORE_UNKNOWN;
	return now > t.expires ? VT_STORE_EXPIRED : 0;
}

static int count_rows(void *ctx, unsigned int n, const char *const *v)
{
	(void)n, (void)v;
	++*(long *)ctx;
	return 0;
}

int vt_store_challenge_expire(struct vt_db *db, int64_t now, long *n)
{
	char t[24];
	const char *p[1] = { t };

	*n = 0;
	snprintf(t, sizeof(t), "%" PRId64, now);
	return vt_db_exec(db, "DELETE FROM challenges WHERE expires < "
			  "CAST($1 AS BIGINT) RETURNING nonce", 1, p,
			  count_rows, n);
}

/* ---- tokens ---- */

int vt_store_token_add(struct vt_db *db, const char *hash, int64_t now)
{
	char t[24];
	const char *p[2] = { hash, t };

	snprintf(t, sizeof(t), "%" PRId64, now);
	return vt_db_exec(db, "INSERT INTO tokens (hash, created) VALUES "
			  "($1, CAST($2 AS BIGINT))", 2, p, NULL, NULL);
}

static int found_row(void *ctx, unsigned int n, const char *const *v)
{
	(void)n, (void)v;
	*(bool *)ctx = true;
	return 0;
}

int vt_store_token_check(struct vt_db *db, const char *hash)
{
	const char *p[1] = { hash };
	bool found = false;
	int ret;

	ret = vt_db_exec(db, "SELECT 1 FROM tokens WHERE hash = $1", 1, p,
			 found_row, &found);
	return ret ? ret : found ? 0 : VT_STORE_UNKNOWN;
}

/* ---- instances and enrolments ---- */

void vt_instance_free(struct vt_instance *in)
{
	free(in->ek_public);
	free(in->ek_certificate);
	free(in->ak_public);
	free(in->ak_name);
	free(in->secret_hash);
	memset(in, 0, sizeof(*in));
}

static char *dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

/* Columns id, ek_public, ek_certificate, ak_public, ak_name, then one
 * number (enrolled or expires), then interval_s or secret_hash; for an
 * instance, then its latest verdict, that attestation's time and since
 * when the verdict has been that one (NULL: none). */
struct inst_rows {
	struct vt_instance *in;
	bool found, enrolment;
	vt_store_instance_fn fn;
	void *ctx;
};

static int inst_row(void *ctx, unsigned int n, const char *const *v)
{
	struct inst_rows *r = ctx;
	struct vt_instance one = { 0 }, *in = r->fn ? &one : r->in;
	bool oom = false;
	int ret = 0;

	if (n != (r->enrolment ? 7u : 10u) || !v[0] || !v[1] || !v[3] ||
	    !v[4] || !v[5] || !v[6])
		return VT_DB_ERROR;
	if (!r->enrolment) {
		snprintf(in->verdict, sizeof(in->verdict), "%s",
			 v[7] ? v[7] : "");
		in->last = v[8] ? strtoll(v[8], NULL, 10) : -1;
		in->since = v[9] ? strtoll(v[9], NULL, 10) : -1;
	}
	snprintf(in->id, sizeof(in->id), "%s", v[0]);
	in->ek_public = dup_or_null(v[1], &oom);
	in->ek_certificate = dup_or_null(v[2], &oom);
	in->ak_public = dup_or_null(v[3], &oom);
	in->ak_name = dup_or_null(v[4], &oom);
	in->when = strtoll(v[5], NULL, 10);
	if (r->enrolment)
		in->secret_hash = dup_or_null(v[6], &oom);
	else
		in->interval = strtoll(v[6], NULL, 10);
	r->found = true;
	if (oom)
		ret = VT_DB_ERROR;
	else if (r->fn)
		ret = r->fn(r->ctx, in);
	if (r->fn)
		vt_instance_free(&one);
	return ret;
}

int vt_store_instance_add(struct vt_db *db, const struct vt_instance *in)
{
	char when[24], ival[24];
	const char *p[9] = { in->id, in->ek_public, in->ek_certificate,
			     in->ak_public, in->ak_name, when, ival,
			     in->ek_key[0] ? in->ek_key : NULL,
			     in->ak_key[0] ? in->ak_key : NULL };

	snprintf(when, sizeof(when), "%" PRId64, in->when);
	snprintf(ival, sizeof(ival), "%" PRId64, in->interval);
	return vt_db_exec(db, "INSERT INTO instances (id, ek_public, "
			  "ek_certificate, ak_public, ak_name, enrolled, "
			  "interval_s, ek_key, ak_key) VALUES ($1, $2, $3, $4, "
			  "$5, CAST($6 AS BIGINT), CAST($7 AS BIGINT), $8, $9)",
			  9, p, NULL, NULL);
}

static int copy_id(void *ctx, unsigned int n, const char *const *v)
{
	if (n != 1 || !v[0])
		return VT_DB_ERROR;
	snprintf(ctx, 65, "%s", v[0]);
	return 0;
}

int vt_store_instance_of_keys(struct vt_db *db, const char *ek_key,
			      const char *ak_key, char id[65])
{
	const char *p[2] = { ek_key, ak_key };
	int ret;

	*id = '\0';
	ret = vt_db_exec(db, "SELECT id FROM instances WHERE ek_key = $1 OR "
			 "ak_key = $2 ORDER BY id LIMIT 1", 2, p, copy_id, id);
	return ret ? ret : *id ? 0 : VT_STORE_UNKNOWN;
}

int vt_store_instance_get(struct vt_db *db, const char *id,
			  struct vt_instance *in)
{
	struct inst_rows r = { .in = in };
	const char *p[1] = { id };
	int ret;

	memset(in, 0, sizeof(*in));
	ret = vt_db_exec(db, "SELECT id, ek_public, ek_certificate, ak_public, "
			 "ak_name, enrolled, interval_s, verdict, last_at, since "
			 "FROM instances WHERE id = $1", 1, p, inst_row, &r);
	if (ret)
		vt_instance_free(in);
	return ret ? ret : r.found ? 0 : VT_STORE_UNKNOWN;
}

int vt_store_instance_list(struct vt_db *db, vt_store_instance_fn fn,
			   void *ctx)
{
	struct inst_rows r = { .fn = fn, .ctx = ctx };

	return vt_db_exec(db, "SELECT id, ek_public, ek_certificate, "
			  "ak_public, ak_name, enrolled, interval_s, verdict, "
			  "last_at, since FROM instances ORDER BY id", 0, NULL,
			  inst_row, &r);
}

int vt_store_enrol_begin(struct vt_db *db, const char *nonce,
			 const struct vt_instance *in, int64_t expires)
{
	char exp[24];
	const char *p[8] = { nonce, in->id, in->ek_public, in->ek_certificate,
			     in->ak_public, in->ak_name, in->secret_hash, exp };

	snprintf(exp, sizeof(exp), "%" PRId64, expires);
	return vt_db_exec(db, "INSERT INTO enrolments (nonce, id, ek_public, "
			  "ek_certificate, ak_public, ak_name, secret_hash, "
			  "expires) VALUES ($1, $2, $3, $4, $5, $6, $7, "
			  "CAST($8 AS BIGINT))", 8, p, NULL, NULL);
}

int vt_store_enrol_take(struct vt_db *db, const char *nonce, int64_t now,
			struct vt_instance *in)
{
	struct inst_rows r = { .in = in, .enrolment = true };
	const char *p[1] = { nonce };
	int ret;

	memset(in, 0, sizeof(*in));
	ret = vt_db_exec(db, "DELETE FROM enrolments WHERE nonce = $1 "
			 "RETURNING id, ek_public, ek_certificate, ak_public, "
			 "ak_name, expires, secret_hash", 1, p, inst_row, &r);
	if (ret) {
		vt_instance_free(in);
		return ret;
	}
	if (!r.found)
		return VT_STORE_UNKNOWN;
	if (now > in->when) {
		vt_instance_free(in);
		return VT_STORE_EXPIRED;
	}
	return 0;
}

/* ---- baselines and attestations ---- */

struct text_row {
	char *text;
	int version;
	bool found, oom;
};

static int baseline_row(void *ctx, unsigned int n, const char *const *v)
{
	struct text_row *t = ctx;

	if (n != 2 || !v[0] || !v[1])
		return VT_DB_ERROR;
	t->found = true;
	t->version = atoi(v[0]);
	t->text = strdup(v[1]);
	return t->text ? 0 : VT_DB_ERROR;
}

int vt_store_baseline_current(struct vt_db *db, const char *instance,
			      int *version, char **doc)
{
	struct text_row t = { 0 };
	const char *p[1] = { instance };
	int ret;

	*doc = NULL;
	ret = vt_db_exec(db, "SELECT version, doc FROM baselines WHERE "
			 "instance = $1 AND retired IS NULL ORDER BY version "
			 "DESC LIMIT 1", 1, p, baseline_row, &t);
	if (ret) {
		free(t.text);
		return ret;
	}
	if (!t.found)
		return VT_STORE_UNKNOWN;
	*version = t.version;
	*doc = t.text;
	return 0;
}

int vt_store_baseline_add(struct vt_db *db, const char *instance,
			  int version, const char *doc, int64_t now,
			  const char *reason)
{
	char ver[16], t[24];
	const char *p[5] = { instance, ver, doc, t, reason };

	snprintf(ver, sizeof(ver), "%d", version);
	snprintf(t, sizeof(t), "%" PRId64, now);
	return vt_db_exec(db, "INSERT INTO baselines (instance, version, doc, "
			  "created, reason) VALUES ($1, CAST($2 AS INTEGER), "
			  "$3, CAST($4 AS BIGINT), $5)", 5, p, NULL, NULL);
}

static int copy_seq(void *ctx, unsigned int n, const char *const *v)
{
	if (n != 1 || !v[0] || strlen(v[0]) >= 24)
		return VT_DB_ERROR;
	strcpy(ctx, v[0]);
	return 0;
}

int vt_store_attestation_add(struct vt_db *db, const char *nonce,
			     const char *instance, int64_t now,
			     const char *verdict, int64_t reset_count,
			     const char *detail)
{
	char t[24], rc[24], seq[24] = "";
	const char *p[7] = { nonce, instance, t, verdict,
			     reset_count < 0 ? NULL : rc, detail, seq };
	const char *u[3] = { instance, verdict, t };
	int ret;

	snprintf(t, sizeof(t), "%" PRId64, now);
	snprintf(rc, sizeof(rc), "%" PRId64, reset_count);
	/* the instance's next number, its row locked until the end of the
	 * transaction: another attestation of it waits (PostgreSQL) or
	 * cannot have begun (SQLite's one writer) */
	ret = vt_db_exec(db, "UPDATE instances SET seq = seq + 1, since = "
			 "CASE WHEN verdict = $2 THEN since ELSE CAST($3 AS "
			 "BIGINT) END, verdict = $2, last_at = CAST($3 AS "
			 "BIGINT) WHERE id = $1 RETURNING seq", 3, u, copy_seq,
			 seq);
	if (!ret && !*seq)
		ret = VT_STORE_UNKNOWN;
	if (!ret)
		ret = vt_db_exec(db, "INSERT INTO attestations (nonce, "
				 "instance, seq, at, verdict, reset_count, "
				 "detail) VALUES ($1, $2, CAST($7 AS BIGINT), "
				 "CAST($3 AS BIGINT), $4, CAST($5 AS BIGINT), "
				 "$6)", 7, p, NULL, NULL);
	return ret;
}

struct att_rows {
	vt_store_attestation_fn fn;
	void *ctx;
};

static int att_row(void *ctx, unsigned int n, const char *const *v)
{
	struct att_rows *r = ctx;

	if (n != 4 || !v[0] || !v[1] || !v[3])
		return VT_DB_ERROR;
	return r->fn(r->ctx, strtoll(v[0], NULL, 10), v[1],
		     v[2] ? strtoll(v[2], NULL, 10) : -1, v[3]);
}

int vt_store_attestations(struct vt_db *db, const char *instance,
			  unsigned int limit, vt_store_attestation_fn fn,
			  void *ctx)
{
	struct att_rows r = { fn, ctx };
	char lim[16];
	const char *p[2] = { instance, lim };

	snprintf(lim, sizeof(lim), "%u", limit);
	return vt_db_exec(db, "SELECT at, verdict, reset_count, detail FROM "
			  "attestations WHERE instance = $1 ORDER BY seq DESC "
			  "LIMIT CAST($2 AS INTEGER)", 2, p,
			  att_row, &r);
}

/* ---- pending boots (accept) ---- */

int vt_store_pending_set(struct vt_db *db, const char *instance,
			 const char *nonce, const char *set_id,
			 const char *boot, int64_t now)
{
	char t[24];
	const char *p[5] = { instance, nonce, set_id, boot, t };

	snprintf(t, sizeof(t), "%" PRId64, now);
	return vt_db_exec(db, "INSERT INTO pending (instance, nonce, set_id, "
			  "boot, at) VALUES ($1, $2, $3, $4, CAST($5 AS "
			  "BIGINT)) ON CONFLICT (instance) DO UPDATE SET "
			  "nonce = excluded.nonce, set_id = excluded.set_id, "
			  "boot = excluded.boot, at = excluded.at", 5, p, NULL,
			  NULL);
}

int vt_store_pending_clear(struct vt_db *db, const char *instance)
{
	const char *p[1] = { instance };

	return vt_db_exec(db, "DELETE FROM pending WHERE instance = $1", 1, p,
			  NULL, NULL);
}

struct pending_row {
	char *set_id, *boot;
	bool found;
};

static int pending_row(void *ctx, unsigned int n, const char *const *v)
{
	struct pending_row *r = ctx;

	if (n != 2 || !v[0] || !v[1])
		return VT_DB_ERROR;
	r->found = true;
	r->set_id = strdup(v[0]);
	r->boot = strdup(v[1]);
	return r->set_id && r->boot ? 0 : VT_DB_ERROR;
}

int vt_store_pending_get(struct vt_db *db, const char *instance,
			 char **set_id, char **boot)
{
	struct pending_row r = { 0 };
	const char *p[1] = { instance };
	int ret;

	ret = vt_db_exec(db, "SELECT set_id, boot FROM pending WHERE "
			 "instance = $1", 1, p, pending_row, &r);
	if (ret || !r.found) {
		free(r.set_id);
		free(r.boot);
		return ret ? ret : VT_STORE_UNKNOWN;
	}
	*set_id = r.set_id;
	*boot = r.boot;
	return 0;
}

int vt_store_baseline_retire(struct vt_db *db, const char *instance,
			     int version, int64_t now)
{
	char ver[16], t[24];
	const char *p[3] = { instance, ver, t };
	long n = 0;
	int ret;

	snprintf(ver, sizeof(ver), "%d", version);
	snprintf(t, sizeof(t), "%" PRId64, now);
	ret = vt_db_exec(db, "UPDATE baselines SET retired = CAST($3 AS "
			 "BIGINT) WHERE instance = $1 AND version = CAST($2 AS "
			 "INTEGER) AND retired IS NULL RETURNING version", 3, p,
			 count_rows, &n);
	return ret ? ret : n == 1 ? 0 : VT_STORE_UNKNOWN;
}

struct version_rows {
	vt_store_version_fn fn;
	void *ctx;
};

static int version_row(void *ctx, unsigned int n, const char *const *v)
{
	struct version_rows *r = ctx;

	if (n != 4 || !v[0] || !v[1] || !v[3])
		return VT_DB_ERROR;
	return r->fn(r->ctx, atoi(v[0]), strtoll(v[1], NULL, 10),
		     v[2] ? strtoll(v[2], NULL, 10) : -1, v[3]);
}

int vt_store_baselines(struct vt_db *db, const char *instance,
		       vt_store_version_fn fn, void *ctx)
{
	struct version_rows r = { fn, ctx };
	const char *p[1] = { instance };

	return vt_db_exec(db, "SELECT version, created, retired, reason FROM "
			  "baselines WHERE instance = $1 ORDER BY version", 1,
			  p, version_row, &r);
}
