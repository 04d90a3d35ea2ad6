// SPDX-License-Identifier: GPL-2.0
/*
 * The SQLite driver of db.h: "sqlite:PATH". WAL mode (readers do not wait
 * for the writer), a busy timeout for writers, foreign keys on. Parameters
 * $1..$n are SQLite's named parameters of those names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "db.h"

#define BUSY_MS		10000

struct sq {
	struct vt_db db;
	sqlite3 *h;
	char err[256];
};

static int fail(struct sq *s, int rc)
{
	int ext = sqlite3_extended_errcode(s->h);

	snprintf(s->err, sizeof(s->err), "%s", sqlite3_errmsg(s->h));
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return VT_DB_BUSY;
	if (ext == SQLITE_CONSTRAINT_UNIQUE ||
	    ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return VT_DB_CONFLICT;
	return VT_DB_ERROR;
}

static int sq_open(const char *url, struct vt_db **out, char *why,
		   size_t whylen)
{
	const char *path = url + strlen("sqlite:");
	struct sq *s;
	int rc;

	if (!*path) {
		snprintf(why, whylen, "%s: no path after sqlite:", url);
		return VT_DB_ERROR;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(why, whylen, "out of memory");
		return VT_DB_ERROR;
	}
	s->db.ops = &vt_db_sqlite;
	rc = sqlite3_open_v2(path, &s->h, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		goto bad;
	sqlite3_busy_timeout(s->h, BUSY_MS);
	rc = sqlite3_exec(s->h, "PRAGMA journal_mode = WAL; "
			  "PRAGMA synchronous = NORMAL; "
			  "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto bad;
	*out = &s->db;
	return VT_DB_OK;
bad:
	snprintf(why, whylen, "%s: %s", path,
		 s->h ? sqlite3_errmsg(s->h) : sqlite3_errstr(rc));
	sqlite3_close(s->h);
	free(s);
	return VT_DB_ERROR;
}

static void sq_close(struct vt_db *db)
{
	struct sq *s = (struct sq *)db;

	sqlite3_close(s->h);
	free(s);
}

static int sq_exec(struct vt_db *db, const char *sql, unsigned int n,
		   const char *const *params, vt_db_row_fn fn, void *ctx)
{
	struct sq *s = (struct sq *)db;
	const char *vals[32];
	sqlite3_stmt *st;
	char name[16];
	unsigned int i, cols;
	int rc, ret = VT_DB_OK, idx;

	rc = sqlite3_prepare_v2(s->h, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fail(s, rc);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "$%u", i + 1);
		idx = sqlite3_bind_parameter_index(st, name);
		if (!idx)
			continue;	/* a parameter the statement does not use */
		rc = params[i] ? sqlite3_bind_text(st, idx, params[i], -1,
						   SQLITE_STATIC) :
				 sqlite3_bind_null(st, idx);
		if (rc != SQLITE_OK)
			goto out_fail;
	}
	cols = sqlite3_column_count(st);
	if (cols > sizeof(vals) / sizeof(vals[0])) {
		snprintf(s->err, sizeof(s->err), "more than 32 columns");
		ret = VT_DB_ERROR;
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < cols; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		if (fn && (ret = fn(ctx, cols, vals)))
			goto out;
	}
	if (rc == SQLITE_DONE)
		goto out;
out_fail:
	ret = fail(s, rc);
out:
	sqlite3_finalize(st);
	return ret;
}

static int sq_script(struct vt_db *db, const char *sql)
{
	struct sq *s = (struct sq *)db;
	int rc = sqlite3_exec(s->h, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? VT_DB_OK : fail(s, rc);
}

static const char *sq_error(const struct vt_db *db)
{
	return ((const struct sq *)db)->err;
}

const struct vt_db_ops vt_db_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.script = sq_script,
	/* a writer's lock at once: no deadlock upgrading a read lock */
	.begin = "BEGIN IMMEDIATE",
	.begin_schema = "BEGIN IMMEDIATE",
	.error = sq_error,
};
