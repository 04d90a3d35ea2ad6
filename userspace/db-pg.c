// SPDX-License-Identifier: GPL-2.0
/*
 * The PostgreSQL driver of db.h: "postgresql://..." (libpq's URI). A
 * connection found broken before a statement is reset first. One found
 * broken by a statement outside a transaction (a server that restarted
 * since: libpq learns it only then) is reset and the statement sent once
 * more; inside a transaction, or when that fails too, the caller gets
 * VT_DB_DOWN.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db.h"

struct pg {
	struct vt_db db;
	PGconn *c;
	char err[256];
};

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

	PQfinish(p->c);
	free(p);
}

/* A connection that went bad is made again before it is used. */
static bool ready(struct pg *p)
{
	if (PQstatus(p->c) == CONNECTION_OK)
		return true;
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
	r = PQexecParams(p->c, sql, n, NULL, params, NULL, NULL, 0);
	ret = status(p, r);
	if (ret == VT_DB_DOWN && idle && ready(p)) {
		PQclear(r);
		r = PQexecParams(p->c, sql, n, NULL, params, NULL, NULL, 0);
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
	.begin = "BEGIN",
	/* one migrating process at a time, until the transaction ends */
	.begin_schema = "BEGIN; SELECT pg_advisory_xact_lock(7274657)",
	.error = pg_error,
};
