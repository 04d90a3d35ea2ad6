// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SQLite driver of db.h: "sqlite:PATH". WAL mode (readers do not wait
 * for the writer), a busy timeout for writers, foreign keys on. Parameters
 * $1..$n are SQLite's named parameters of those names. A connection keeps
 * its last NR_STMTS statements prepared (the store's statements are a few
 * dozen fixed strings; parsing one again cost more than running it).
 *
 * SQLite has one writer at a time, and a writer that finds the lock taken
 * sleeps and polls (1, 2, 5 ... 100 ms). The connections of one process to
 * one PATH therefore also share a mutex, held by a write transaction from
 * its BEGIN to its end and around a write statement outside one: they
 * queue on it and are woken at once. Other processes on the same file
 * (or the same file by another PATH) still meet at SQLite's lock.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db.h"

#define BUSY_MS		10000
#define NR_STMTS	64

/* The connections of this process to one PATH. */
struct sq_file {
	struct sq_file *next;
	char *path;
	unsigned int refs;
	pthread_mutex_t writer;
};

static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sq_file *files;

struct sq {
	struct vt_db db;
	sqlite3 *h;
	struct sq_file *file;
	bool writing;			/* holds file->writer */
	struct {
		char *sql;		/* a copy: the key */
		sqlite3_stmt *st;
	} stmts[NR_STMTS];
	unsigned int next;		/* the slot replaced next when full */
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

static struct sq_file *file_get(const char *path)
{
	struct sq_file *f;

	pthread_mutex_lock(&files_lock);
	for (f = files; f; f = f->next)
		if (!strcmp(f->path, path))
			break;
	if (!f) {
		f = calloc(1, sizeof(*f));
		if (f && !(f->path = strdup(path))) {
			free(f);
			f = NULL;
		}
		if (f) {
			pthread_mutex_init(&f->writer, NULL);
			f->next = files;
			files = f;
		}
	}
	if (f)
		f->refs++;
	pthread_mutex_unlock(&files_lock);
	return f;
}

static void file_put(struct sq_file *f)
{
	struct sq_file **p;

	pthread_mutex_lock(&files_lock);
	if (!--f->refs) {
		for (p = &files; *p != f; p = &(*p)->next)
			;
		*p = f->next;
		pthread_mutex_destroy(&f->writer);
		free(f->path);
		free(f);
	}
	pthread_mutex_unlock(&files_lock);
}

static void write_lock(struct sq *s)
{
	pthread_mutex_lock(&s->file->writer);
	s->writing = true;
}

static void write_unlock(struct sq *s)
{
	if (s->writing) {
		s->writing = false;
		pthread_mutex_unlock(&s->file->writer);
	}
}

static int sq_open(const char *url, struct vt_db **out, char *why,
		   size_t whylen)
{
	const char *path = url + strlen("sqlite:");
	unsigned int waited;
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
	s->file = file_get(path);
	if (!s->file) {
		free(s);
		snprintf(why, whylen, "out of memory");
		return VT_DB_ERROR;
	}
	rc = sqlite3_open_v2(path, &s->h, SQLITE_OPEN_READWRITE |
			     SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		goto bad;
	sqlite3_busy_timeout(s->h, BUSY_MS);
	/* switching a new file to WAL takes its lock without the busy
	 * handler: another process opening it at the same moment gets
	 * SQLITE_BUSY at once, so wait here as the handler would */
	for (waited = 0;; waited += 20) {
		rc = sqlite3_exec(s->h, "PRAGMA journal_mode = WAL; "
				  "PRAGMA synchronous = NORMAL; "
				  "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
		if (rc != SQLITE_BUSY || waited >= BUSY_MS)
			break;
		usleep(20 * 1000);
	}
	if (rc != SQLITE_OK)
		goto bad;
	*out = &s->db;
	return VT_DB_OK;
bad:
	snprintf(why, whylen, "%s: %s", path,
		 s->h ? sqlite3_errmsg(s->h) : sqlite3_errstr(rc));
	sqlite3_close(s->h);
	file_put(s->file);
	free(s);
	return VT_DB_ERROR;
}

static void sq_close(struct vt_db *db)
{
	struct sq *s = (struct sq *)db;
	unsigned int i;

	for (i = 0; i < NR_STMTS; i++) {
		sqlite3_finalize(s->stmts[i].st);
		free(s->stmts[i].sql);
	}
	sqlite3_close(s->h);
	write_unlock(s);
	file_put(s->file);
	free(s);
}

/*
 * @sql prepared: the connection's kept statement, or a new one kept in
 * place of the oldest. A statement that cannot be kept (no memory for its
 * key, or the oldest is still running: a row callback's own statement)
 * is prepared for this call only: *@kept says which.
 */
static int prepare(struct sq *s, const char *sql, sqlite3_stmt **st,
		   bool *kept)
{
	unsigned int i, slot;
	char *key;
	int rc;

	for (i = 0; i < NR_STMTS && s->stmts[i].sql; i++)
		if (!strcmp(s->stmts[i].sql, sql)) {
			*st = s->stmts[i].st;
			*kept = true;
			return SQLITE_OK;
		}
	rc = sqlite3_prepare_v3(s->h, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
				NULL);
	*kept = false;
	if (rc != SQLITE_OK)
		return rc;
	slot = i < NR_STMTS ? i : s->next % NR_STMTS;
	if (s->stmts[slot].st && sqlite3_stmt_busy(s->stmts[slot].st))
		return SQLITE_OK;
	key = strdup(sql);
	if (!key)
		return SQLITE_OK;
	if (i == NR_STMTS)
		s->next++;
	sqlite3_finalize(s->stmts[slot].st);
	free(s->stmts[slot].sql);
	s->stmts[slot].sql = key;
	s->stmts[slot].st = *st;
	*kept = true;
	return SQLITE_OK;
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
	bool kept, lock = false;

	rc = prepare(s, sql, &st, &kept);
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
	/* a write outside a transaction: its turn among this process's */
	lock = !s->writing && !sqlite3_stmt_readonly(st);
	if (lock)
		write_lock(s);
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
	if (lock)
		write_unlock(s);
	if (kept) {
		/* ready for the next call; the parameters are not kept */
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	} else {
		sqlite3_finalize(st);
	}
	return ret;
}

static int sq_script(struct vt_db *db, const char *sql)
{
	struct sq *s = (struct sq *)db;
	int rc = sqlite3_exec(s->h, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? VT_DB_OK : fail(s, rc);
}

/*
 * Transactions write (BEGIN IMMEDIATE: the write lock at once, so no
 * deadlock upgrading a read lock), under the process's writer mutex.
 */
static int sq_txn(struct vt_db *db, enum vt_db_txn what)
{
	struct sq *s = (struct sq *)db;
	int ret;

	switch (what) {
	case VT_DB_TXN_BEGIN:
	case VT_DB_TXN_BEGIN_SCHEMA:
		if (!s->writing)
			write_lock(s);
		ret = sq_script(db, "BEGIN IMMEDIATE");
		if (ret)
			write_unlock(s);
		return ret;
	case VT_DB_TXN_COMMIT:
		ret = sq_script(db, "COMMIT");
		break;
	default:
		ret = sq_script(db, "ROLLBACK");
		break;
	}
	/* over, unless a failed COMMIT left it open for a ROLLBACK */
	if (sqlite3_get_autocommit(s->h))
		write_unlock(s);
	return ret;
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
	.txn = sq_txn,
	.error = sq_error,
};
