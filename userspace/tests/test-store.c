// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The store (store.c) on a database driver (db.h), the same tests for
 * each: run as `test-store URL` on an empty database, SQLite
 * (sqlite:PATH) or PostgreSQL (tests/pgcluster.py starts one). It checks
 * the migrations (from nothing, again, refused when the schema is newer,
 * two processes' worth of connections at once; a database with data
 * brought from version 6 to 7), the challenges (used
 * once, expired, wrong ones, hostile text as plain data), and that of
 * several connections racing for one challenge exactly one gets it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store.h"

static const char *url;

static struct vt_db *conn(void)
{
	struct vt_db *db;
	char why[256];

	if (vt_db_open(url, &db, why, sizeof(why))) {
		fprintf(stderr, "%s\n", why);
		exit(2);
	}
	return db;
}

struct racer {
	pthread_t th;
	struct vt_db *db;
	const char *nonce;
	int ret;
	char instance[64];
};

static void *migrate_one(void *arg)
{
	struct racer *r = arg;
	char why[256];
	int from;

	r->ret = vt_store_migrate(r->db, &from, why, sizeof(why));
	if (r->ret)
		fprintf(stderr, "migrate: %s\n", why);
	return NULL;
}

static void test_migrate(void)
{
	struct racer r[4];
	struct vt_db *db;
	char why[256];
	unsigned int i;
	int v, from = -1;

	/* several connections migrate an empty database at once */
	for (i = 0; i < 4; i++) {
		r[i].db = conn();
		CHECK(!pthread_create(&r[i].th, NULL, migrate_one, &r[i]));
	}
	for (i = 0; i < 4; i++) {
		pthread_join(r[i].th, NULL);
		CHECK(!r[i].ret);
		vt_db_close(r[i].db);
	}
	db = conn();
	CHECK(!vt_store_version(db, &v) && v == vt_store_schema_version());
	CHECK(v >= 2);
	/* again: nothing to do */
	CHECK(!vt_store_migrate(db, &from, why, sizeof(why)) && from == v);
	/* a newer schema is left alone */
	CHECK(!vt_db_exec(db, "INSERT INTO schema_version (version) "
			  "VALUES (99)", 0, NULL, NULL, NULL));
	CHECK(vt_store_migrate(db, NULL, why, sizeof(why)) == VT_STORE_NEWER);
	CHECK(strstr(why, "version 99, newer"));
	CHECK(!vt_db_exec(db, "DELETE FROM schema_version WHERE version = 99",
			  0, NULL, NULL, NULL));
	CHECK(!vt_store_migrate(db, &from, why, sizeof(why)) && from == v);
	vt_db_close(db);
}

static int one_text(void *ctx, unsigned int n, const char *const *v)
{
	snprintf(ctx, 32, "%s", n == 1 && v[0] ? v[0] : "(null)");
	return 0;
}

/*
 * Schema 7 keeps each instance's latest attestation on its row: a
 * database of version 6 with attestations gets them from its rows (the
 * verdict, its time, since when it has been that verdict), and new
 * attestations number on from there. The database is emptied after
 * (every table dropped), for test_migrate.
 */
static void test_upgrade(void)
{
	static const char *const tables[] = {
		"attestations", "baselines", "pending", "challenges",
		"enrolments", "tokens", "signing_keys", "instances",
		"schema_version",
	};
	struct vt_db *db = conn();
	struct vt_instance got;
	char why[256], seq[32];
	const char *p[1] = { "n-new" };
	unsigned int i;
	int from = -1, v;

	CHECK(!vt_store_migrate_to(db, 6, &from, why, sizeof(why)) &&
	      from == 0);
	CHECK(!vt_store_version(db, &v) && v == 6);
	CHECK(!vt_db_script(db, "INSERT INTO instances (id, ek_public, "
			    "ak_public, ak_name, enrolled) VALUES "
			    "('old-1', 'RUs=', 'QUs=', '000b00', 50), "
			    "('old-2', 'RUs=', 'QUs=', '000b00', 50);"
			    "INSERT INTO attestations (nonce, instance, seq, "
			    "at, verdict, detail) VALUES "
			    "('n-1', 'old-1', 1, 100, 'trusted', '{}'), "
			    "('n-2', 'old-1', 2, 200, 'untrusted', '{}'), "
			    "('n-3', 'old-1', 3, 250, 'untrusted', '{}')"));
	CHECK(!vt_store_migrate(db, &from, why, sizeof(why)) && from == 6);
	/* untrusted since its attestation at 200 */
	CHECK(!vt_store_instance_get(db, "old-1", &got));
	CHECK(!strcmp(got.verdict, "untrusted") && got.last == 250 &&
	      got.since == 200);
	vt_instance_free(&got);
	CHECK(!vt_store_instance_get(db, "old-2", &got));
	CHECK(!strcmp(got.verdict, "") && got.last == -1 && got.since == -1);
	vt_instance_free(&got);
	/* the next attestation is number 4, and the latest; another of the
	 * same verdict leaves since where it was */
	CHECK(!vt_db_begin(db));
	CHECK(!vt_store_attestation_add(db, "n-new", "old-1", 300, "trusted",
					5, "{}"));
	CHECK(!vt_db_commit(db));
	CHECK(!vt_db_exec(db, "SELECT seq FROM attestations WHERE nonce = $1",
			  1, p, one_text, seq));
	CHECK(!strcmp(seq, "4"));
	CHECK(!vt_db_begin(db));
	CHECK(!vt_store_attestation_add(db, "n-new2", "old-1", 400, "trusted",
					6, "{}"));
	CHECK(!vt_db_commit(db));
	CHECK(!vt_store_instance_get(db, "old-1", &got));
	CHECK(!strcmp(got.verdict, "trusted") && got.last == 400 &&
	      got.since == 300);
	vt_instance_free(&got);
	/* the first attestation of a new instance */
	CHECK(!vt_db_begin(db));
	CHECK(!vt_store_attestation_add(db, "n-o2", "old-2", 500, "invalid",
					-1, "{}"));
	CHECK(!vt_db_commit(db));
	CHECK(!vt_store_instance_get(db, "old-2", &got));
	CHECK(!strcmp(got.verdict, "invalid") && got.last == 500 &&
	      got.since == 500);
	vt_instance_free(&got);
	/* no such instance: nothing written */
	CHECK(!vt_db_begin(db));
	CHECK(vt_store_attestation_add(db, "n-x", "none", 300, "trusted", 5,
				       "{}") == VT_STORE_UNKNOWN);
	CHECK(!vt_db_rollback(db));
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(why, sizeof(why), "DROP TABLE %s", tables[i]);
		CHECK(!vt_db_script(db, why));
	}
	vt_db_close(db);
}

static void test_challenges(void)
{
	struct vt_db *db = conn();
	char n1[VT_NONCE_HEX], n2[VT_NONCE_HEX], inst[64], purpose[16];
	long gone;

	CHECK(!vt_store_challenge_new(db, "i-1", "evidence", 1000, 60, n1));
	CHECK(strlen(n1) == 64 && strspn(n1, "0123456789abcdef") == 64);
	CHECK(!vt_store_challenge_new(db, "i-2", "enrol", 1000, 60, n2));
	CHECK(strcmp(n1, n2));
	/* used once */
	CHECK(!vt_store_challenge_take(db, n1, 1030, inst, sizeof(inst),
				       purpose, sizeof(purpose)));
	CHECK(!strcmp(inst, "i-1") && !strcmp(purpose, "evidence"));
	CHECK(vt_store_challenge_take(db, n1, 1030, inst, sizeof(inst),
				      purpose, sizeof(purpose)) ==
	      VT_STORE_UNKNOWN);
	/* too late: refused, and gone */
	CHECK(vt_store_challenge_take(db, n2, 1061, inst, sizeof(inst),
				      purpose, sizeof(purpose)) ==
	      VT_STORE_EXPIRED);
	CHECK(vt_store_challenge_take(db, n2, 1000, inst, sizeof(inst),
				      purpose, sizeof(purpose)) ==
	      VT_STORE_UNKNOWN);
	/* never made; text that would be SQL is only data */
	CHECK(vt_store_challenge_take(db, "00", 1000, inst, sizeof(inst),
				      purpose, sizeof(purpose)) ==
	      VT_STORE_UNKNOWN);
	CHECK(!vt_store_challenge_new(db, "x' OR '1'='1", "evidence", 1000,
				      60, n1));
	CHECK(vt_store_challenge_take(db, "x' OR '1'='1", 1000, inst,
				      sizeof(inst), purpose,
				      sizeof(purpose)) == VT_STORE_UNKNOWN);
	CHECK(!vt_store_challenge_take(db, n1, 1000, inst, sizeof(inst),
				       purpose, sizeof(purpose)));
	CHECK(!strcmp(inst, "x' OR '1'='1"));
	/* the expired ones swept */
	CHECK(!vt_store_challenge_new(db, "i-3", "evidence", 2000, 10, n1));
	CHECK(!vt_store_challenge_new(db, "i-4", "evidence", 2000, 100, n2));
	CHECK(!vt_store_challenge_expire(db, 2050, &gone) && gone == 1);
	CHECK(vt_store_challenge_take(db, n1, 2000, inst, sizeof(inst),
				      purpose, sizeof(purpose)) ==
	      VT_STORE_UNKNOWN);
	CHECK(!vt_store_challenge_take(db, n2, 2050, inst, sizeof(inst),
				       purpose, sizeof(purpose)));
	/* a duplicate key is a conflict, not an error */
	CHECK(!vt_db_exec(db, "INSERT INTO challenges VALUES ('k', 'i', 'p', 1)",
			  0, NULL, NULL, NULL));
	CHECK(vt_db_exec(db, "INSERT INTO challenges VALUES ('k', 'i', 'p', 1)",
			 0, NULL, NULL, NULL) == VT_DB_CONFLICT);
	CHECK(vt_db_exec(db, "SELECT nope FROM challenges", 0, NULL, NULL,
			 NULL) == VT_DB_ERROR && *vt_db_error(db));
	vt_db_close(db);
}

static int collect_ids(void *ctx, const struct vt_instance *in)
{
	strcat(ctx, in->id);
	strcat(ctx, ",");
	return 0;
}

static void test_instances(void)
{
	struct vt_db *db = conn();
	struct vt_instance in = {
		.id = "web-1", .ek_public = "RUs=", .ek_certificate = NULL,
		.ak_public = "QUs=", .ak_name = "000b00", .when = 500,
		.interval = 60, .secret_hash = "ab",
	}, got;
	char ids[256] = "";

	/* tokens: by their hash */
	CHECK(!vt_store_token_add(db, "h1", 100));
	CHECK(!vt_store_token_check(db, "h1"));
	CHECK(vt_store_token_check(db, "h2") == VT_STORE_UNKNOWN);
	CHECK(vt_store_token_add(db, "h1", 100) == VT_DB_CONFLICT);
	/* an enrolment, used once, then the instance */
	CHECK(!vt_store_enrol_begin(db, "n1", &in, 600));
	CHECK(!vt_store_enrol_take(db, "n1", 550, &got));
	CHECK(!strcmp(got.id, "web-1") && !strcmp(got.secret_hash, "ab") &&
	      !got.ek_certificate && !strcmp(got.ak_name, "000b00") &&
	      got.when == 600);
	vt_instance_free(&got);
	CHECK(vt_store_enrol_take(db, "n1", 550, &got) == VT_STORE_UNKNOWN);
	CHECK(!vt_store_enrol_begin(db, "n2", &in, 600));
	CHECK(vt_store_enrol_take(db, "n2", 601, &got) == VT_STORE_EXPIRED);
	CHECK(!vt_store_instance_add(db, &in));
	CHECK(vt_store_instance_add(db, &in) == VT_DB_CONFLICT);
	in.ek_certificate = "-----BEGIN CERTIFICATE-----\n";
	snprintf(in.id, sizeof(in.id), "db-2");
	CHECK(!vt_store_instance_add(db, &in));
	CHECK(!vt_store_instance_get(db, "web-1", &got));
	CHECK(!strcmp(got.ek_public, "RUs=") && got.when == 500 &&
	      got.interval == 60 && !got.ek_certificate);
	vt_instance_free(&got);
	CHECK(!vt_store_instance_get(db, "db-2", &got));
	CHECK(got.ek_certificate && !strcmp(got.ek_certificate,
					    in.ek_certificate));
	vt_instance_free(&got);
	CHECK(vt_store_instance_get(db, "nope", &got) == VT_STORE_UNKNOWN);
	CHECK(!vt_store_instance_list(db, collect_ids, ids));
	CHECK(!strcmp(ids, "db-2,web-1,"));
	/* an EK's key, and an AK's, under one id only (none recorded: no
	 * rule, as for the two above) */
	snprintf(in.id, sizeof(in.id), "k-1");
	snprintf(in.ek_key, sizeof(in.ek_key), "%064d", 1);
	snprintf(in.ak_key, sizeof(in.ak_key), "%064d", 2);
	CHECK(!vt_store_instance_add(db, &in));
	CHECK(vt_store_instance_of_keys(db, in.ek_key, "x", got.id) == 0 &&
	      !strcmp(got.id, "k-1"));
	CHECK(vt_store_instance_of_keys(db, "x", in.ak_key, got.id) == 0 &&
	      !strcmp(got.id, "k-1"));
	CHECK(vt_store_instance_of_keys(db, "x", "y", got.id) ==
	      VT_STORE_UNKNOWN);
	snprintf(in.id, sizeof(in.id), "k-2");
	CHECK(vt_store_instance_add(db, &in) == VT_DB_CONFLICT);
	snprintf(in.ek_key, sizeof(in.ek_key), "%064d", 3);
	CHECK(vt_store_instance_add(db, &in) == VT_DB_CONFLICT);
	snprintf(in.ak_key, sizeof(in.ak_key), "%064d", 4);
	CHECK(!vt_store_instance_add(db, &in));
	vt_db_close(db);
}

static void *take_one(void *arg)
{
	struct racer *r = arg;
	char purpose[16];

	r->ret = vt_store_challenge_take(r->db, r->nonce, 0, r->instance,
					 sizeof(r->instance), purpose,
					 sizeof(purpose));
	return NULL;
}

#define RACERS	6
#define ROUNDS	20

static void test_race(void)
{
	struct racer r[RACERS];
	struct vt_db *db = conn();
	char nonce[VT_NONCE_HEX];
	unsigned int i, k, won, lost;
	bool ok = true;

	for (i = 0; i < RACERS; i++)
		r[i].db = conn();
	for (k = 0; k < ROUNDS; k++) {
		CHECK(!vt_store_challenge_new(db, "racer", "evidence", 0, 60,
					      nonce));
		for (i = 0; i < RACERS; i++) {
			r[i].nonce = nonce;
			CHECK(!pthread_create(&r[i].th, NULL, take_one, &r[i]));
		}
		won = lost = 0;
		for (i = 0; i < RACERS; i++) {
			pthread_join(r[i].th, NULL);
			won += !r[i].ret;
			lost += r[i].ret == VT_STORE_UNKNOWN;
		}
		ok &= won == 1 && lost == RACERS - 1;
	}
	CHECK(ok);
	for (i = 0; i < RACERS; i++)
		vt_db_close(r[i].db);
	vt_db_close(db);
}

static void test_bad_urls(void)
{
	struct vt_db *db = (struct vt_db *)1;
	char why[256];

	CHECK(vt_db_open("mysql://x", &db, why, sizeof(why)) == VT_DB_ERROR);
	CHECK(!db && strstr(why, "not a database URL"));
	CHECK(vt_db_open("sqlite:", &db, why, sizeof(why)) == VT_DB_ERROR);
	CHECK(vt_db_open("sqlite:/nonexistent/dir/x.db", &db, why,
			 sizeof(why)) == VT_DB_ERROR && !db);
	CHECK(vt_db_open("postgresql://127.0.0.1:1/none?connect_timeout=2",
			 &db, why, sizeof(why)) == VT_DB_DOWN && !db);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test-store URL (an empty database)\n");
		return 2;
	}
	url = argv[1];
	printf("     (%s)\n", url);
	RUN(test_upgrade);
	RUN(test_migrate);
	RUN(test_challenges);
	RUN(test_instances);
	RUN(test_race);
	RUN(test_bad_urls);
	DONE();
}
