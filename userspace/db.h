/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The trusted service's database: one small interface, two drivers
 * (db-sqlite.c, db-pg.c), chosen by the URL:
 *
 *   sqlite:PATH                  SQLite 3, WAL mode, PATH created if missing
 *   postgresql://... | postgres://...   PostgreSQL through libpq (its URI
 *                                syntax, e.g. postgresql:///vtrust?host=/run/pg)
 *
 * Statements are written once for both: parameters $1..$n, passed and
 * returned as text (NULL for SQL NULL), and only SQL both engines take
 * (DELETE ... RETURNING among it). A connection is used by one thread at
 * a time; each thread opens its own.
 */
#ifndef VTRUST_DB_H
#define VTRUST_DB_H

#include <stdbool.h>
#include <stddef.h>

struct vt_db;

/* What vt_db_exec() and the others return. */
enum {
	VT_DB_OK = 0,
	VT_DB_ERROR,		/* the statement failed: vt_db_error() says why */
	VT_DB_CONFLICT,		/* a unique or primary key was already there */
	VT_DB_BUSY,		/* a lock or serialization failure: try again */
	VT_DB_DOWN,		/* the server is away (PostgreSQL); outside
				   a transaction, the statement was tried
				   once more on a new connection first */
};

/* Called for each row: @vals[0..@n) as text, NULL for SQL NULL. A non-zero
 * return stops the rows and is vt_db_exec()'s return. */
typedef int (*vt_db_row_fn)(void *ctx, unsigned int n,
			    const char *const *vals);

/* Open @url; on failure *out is NULL and @why says why. */
int vt_db_open(const char *url, struct vt_db **out, char *why, size_t whylen);
void vt_db_close(struct vt_db *db);
/* "sqlite" or "postgresql" */
const char *vt_db_driver(const struct vt_db *db);
/* The last failure's text (the engine's own words). */
const char *vt_db_error(const struct vt_db *db);

/* One statement with @n text parameters; its rows to @fn (may be NULL). */
int vt_db_exec(struct vt_db *db, const char *sql, unsigned int n,
	       const char *const *params, vt_db_row_fn fn, void *ctx);
/* Several statements without parameters (schema migrations). */
int vt_db_script(struct vt_db *db, const char *sql);

/*
 * Transactions. vt_db_begin_schema() also takes the database-wide lock
 * that makes two processes migrating at once run one after the other
 * (SQLite's write lock, a PostgreSQL advisory lock).
 */
int vt_db_begin(struct vt_db *db);
int vt_db_begin_schema(struct vt_db *db);
int vt_db_commit(struct vt_db *db);
int vt_db_rollback(struct vt_db *db);

/* For the drivers (db-sqlite.c, db-pg.c). */
enum vt_db_txn {
	VT_DB_TXN_BEGIN,
	VT_DB_TXN_BEGIN_SCHEMA,
	VT_DB_TXN_COMMIT,
	VT_DB_TXN_ROLLBACK,
};

struct vt_db_ops {
	const char *name;
	int (*open)(const char *url, struct vt_db **out, char *why,
		    size_t whylen);
	void (*close)(struct vt_db *db);
	int (*exec)(struct vt_db *db, const char *sql, unsigned int n,
		    const char *const *params, vt_db_row_fn fn, void *ctx);
	int (*script)(struct vt_db *db, const char *sql);
	int (*txn)(struct vt_db *db, enum vt_db_txn what);
	const char *(*error)(const struct vt_db *db);
};

/* Every driver's connection starts with this. */
struct vt_db {
	const struct vt_db_ops *ops;
};

extern const struct vt_db_ops vt_db_sqlite, vt_db_pg;

#endif /* VTRUST_DB_H */
