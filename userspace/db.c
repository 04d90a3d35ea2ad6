// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The database interface's dispatch: the URL picks the driver; the rest
 * goes to it. See db.h.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"

static const struct {
	const char *prefix;
	const struct vt_db_ops *ops;
} drivers[] = {
	{ "sqlite:", &vt_db_sqlite },
	{ "postgresql://", &vt_db_pg },
	{ "postgres://", &vt_db_pg },
};

int vt_db_open(const char *url, struct vt_db **out, char *why, size_t whylen)
{
	unsigned int i;

	*out = NULL;
	for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (!strncmp(url, drivers[i].prefix, strlen(drivers[i].prefix)))
			return drivers[i].ops->open(url, out, why, whylen);
	snprintf(why, whylen, "%s: not a database URL (sqlite:PATH or "
		 "postgresql://...)", url);
	return VT_DB_ERROR;
}

void vt_db_close(struct vt_db *db)
{
	if (db)
		db->ops->close(db);
}

const char *vt_db_driver(const struct vt_db *db)
{
	return db->ops->name;
}

const char *vt_db_error(const struct vt_db *db)
{
	return db->ops->error(db);
}

int vt_db_exec(struct vt_db *db, const char *sql, unsigned int n,
	       const char *const *params, vt_db_row_fn fn, void *ctx)
{
	return db->ops->exec(db, sql, n, params, fn, ctx);
}

int vt_db_script(struct vt_db *db, const char *sql)
{
	return db->ops->script(db, sql);
}

int vt_db_begin(struct vt_db *db)
{
	return db->ops->txn(db, VT_DB_TXN_BEGIN);
}

int vt_db_begin_schema(struct vt_db *db)
{
	return db->ops->txn(db, VT_DB_TXN_BEGIN_SCHEMA);
}

int vt_db_commit(struct vt_db *db)
{
	return db->ops->txn(db, VT_DB_TXN_COMMIT);
}

int vt_db_rollback(struct vt_db *db)
{
	return db->ops->txn(db, VT_DB_TXN_ROLLBACK);
}
