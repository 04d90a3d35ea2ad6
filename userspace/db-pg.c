// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The PostgreSQL driver of db.h: "postgresql://..." (libpq's URI). A
 * connection found broken before a statement is reset first. One found
 * broken by a statement outside a transaction (a server that restarted
 * since: libpq learns it only then) is reset and the statement sent once
 * more; inside a transaction, or when that fails too, the caller gets
 * VT_DB_DOWN. A connection prepares each of its first NR_STMTS statements
 * once (named vtN on the server, for the session) and runs it by name
 * after that: the server parses and plans it once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db.h"

#define NR_STMTS	64

struct pg {
	struct vt_db db;
	PGconn *c;
	char *stmts[NR_STMTS];		/* the SQL of statement vtN */
	unsigned int nr_stmts;
	char err[256];
};

/* A new session has no statements prepared. */
static void forget(struct pg *p)
{
	while (p->nr_stmts)
		free(p->stmts[--p->nr_stmts]);
}

static void quiet(void *arg, const char *msg)
{
	(void)arg, (void)msg;	/* NOTICEs ("... already exists, skipping") */
}

static void copy_err(struct pg *p, const char *msg)
{
	size_t n;

	snprintf(p->err, sizeof(p->err), "%s", msg && *msg ? msg :
		 "the server closed the connection");
	n = strlen(p->err);
	while (n && (p->err[n - 1] == '\n' || p->err[n - 1] == ' '))
		p->err[--n] = '\0';
}

static int pg_open(const char *url, struct vt_db **out, char *why,
		   size_t whylen)
{
	struct pg *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(why, whylen, "out of memory");
		return VT_DB_ERROR;
	}
	p->db.ops = &vt_db_pg;
	p->c = PQconnectdb(url);
	if (!p->c || PQstatus(p->c) != CONNECTION_OK) {
		copy_err(p, p->c ? PQerrorMessage(p->c) : "out of memory");
		snprintf(why, whylen, "%s", p->err);
		PQfinish(p->c);
		free(p);
		return VT_DB_DOWN;
	}
	PQsetNoticeProcessor(p->c, quiet, NULL);
	*out = &p->db;
	return VT_DB_OK;
}

static void pg_close(struct vt_db *db)
{
	struct pg *p = (struct pg *)db;

	forget(p);
	PQfinish(p->c);
	free(p);
}

/* A connection that went bad is made again before it is used. */
static bool ready(struct pg *p)
{
	if (PQstatus(p->c) == CONNECTION_OK)
		return true;
	forget(p);
	PQreset(p->c);
	if (PQstatus(p->c) != CONNECTION_OK) {
		copy_err(p, PQerrorMessage(p->c));
		return false;
	}
	PQsetNoticeProcessor(p->c, quiet, NULL);
	return true;
}

/* The result's status as db.h's; clears @r unless it has rows to read. */
static int status(struct pg *p, PGresult *r)
{
	const char *state;

	switch (r ? PQresultStatus(r) : PGRES_FATAL_ERROR) {
	case PGRES_COMMAND_OK:
	case PGRES_TUPLES_OK:
		return VT_DB_OK;
	default:
		break;
	}
	copy_err(p, r ? PQresultErrorMessage(r) : PQerrorMessage(p->c));
	if (PQstatus(p->c) != CONNECTION_OK)
		return VT_DB_DOWN;
	state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state && !strcmp(state, "23505"))		/* unique_violation */
		return VT_DB_CONFLICT;
	if (state && (!strcmp(state, "40001") ||	/* serialization */
		      !strcmp(state, "40P01")))		/* deadlock */
		return VT_DB_BUSY;
	return VT_DB_ERROR;
}

/*
 * Run @sql: by name if this session prepared it, prepared first if there
 * is room, else as it is. A statement the server no longer knows by its
 * name (SQLSTATE 26000) is run as it is.
 */
static PGresult *run(struct pg *p, const char *sql, unsigned int n,
		     const char *const *params)
{
	char name[16];
	unsigned int i;
	const char *state;
	PGresult *r;

	for (i = 0; i < p->nr_stmts; i++)
		if (!strcmp(p->stmts[i], sql))
			break;
	if (i == p->nr_stmts && i < NR_STMTS) {
		p->stmts[i] = strdup(sql);
		if (!p->stmts[i])
			goto plain;
		snprintf(name, sizeof(name), "vt%u", i);
		r = PQprepare(p->c, name, sql, n, NULL);
		if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
			free(p->stmts[i]);
			return r;	/* the statement's own error */
		}
		PQclear(r);
		p->nr_stmts++;
	}
	if (i == p->nr_stmts)
		goto plain;
	snprintf(name, sizeof(name), "vt%u", i);
	r = PQexecPrepared(p->c, name, n, params, NULL, NULL, 0);
	state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (!state || strcmp(state, "26000"))
		return r;
	PQclear(r);
plain:
	return PQexecParams(p->c, sql, n, NULL, params, NULL, NULL, 0);
}

static int pg_exec(struct vt_db *db, const char *sql, unsigned int n,
		   const char *const *params, vt_db_row_fn fn, void *ctx)
{
	struct pg *p = (struct pg *)db;
	const char *vals[32];
	int ret, rows, cols, i, k;
	bool idle;
	PGresult *r;

	if (!ready(p))
		return VT_DB_DOWN;
	idle = PQtransactionStatus(p->c) == PQTRANS_IDLE;
	r = run(p, sql, n, params);
	ret = status(p, r);
	if (ret == VT_DB_DOWN && idle && ready(p)) {
		PQclear(r);
		r = run(p, sql, n, params);
		ret = status(p, r);
	}
	if (ret)
		goto out;
	rows = PQntuples(r);
	cols = PQnfields(r);
	if (cols > (int)(sizeof(vals) / sizeof(vals[0]))) {
		copy_err(p, "more than 32 columns");
		ret = VT_DB_ERROR;
		goto out;
	}
	for (i = 0; fn && i < rows; i++) {
		for (k = 0; k < cols; k++)
			vals[k] = PQgetisnull(r, i, k) ? NULL :
				  PQgetvalue(r, i, k);
		ret = fn(ctx, cols, vals);
		if (ret)
			break;
	}
out:
	PQclear(r);
	return ret;
}

static int pg_script(struct vt_db *db, const char *sql)
{
	struct pg *p = (struct pg *)db;
	PGresult *r;
	int ret;

	if (!ready(p))
		return VT_DB_DOWN;
	r = PQexec(p->c, sql);
	ret = status(p, r);
	PQclear(r);
	return ret;
}

static int pg_txn(struct vt_db *db, enum vt_db_txn what)
{
	static const char *const sql[] = {
		[VT_DB_TXN_BEGIN] = "BEGIN",
		/* one migrating process at a time, until the transaction
		 * ends */
		[VT_DB_TXN_BEGIN_SCHEMA] =
			"BEGIN; SELECT pg_advisory_xact_lock(7274657)",
		[VT_DB_TXN_COMMIT] = "COMMIT",
		[VT_DB_TXN_ROLLBACK] = "ROLLBACK",
	};

	return pg_script(db, sql[what]);
}

static const char *pg_error(const struct vt_db *db)
{
	return ((const struct pg *)db)->err;
}

const struct vt_db_ops vt_db_pg = {
	.name = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.script = pg_script,
	.txn = pg_txn,
	.error = pg_error,
};
