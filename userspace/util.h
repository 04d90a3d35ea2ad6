/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the commands: messages, hex, paths, small files.
 */
#ifndef VTRUST_UTIL_H
#define VTRUST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hex.h"

/*
 * Print "vtrust: <what>: <why>" on stderr, unless vt_quiet is set (status
 * probes what it can, and reports what is missing itself).
 */
void vt_quiet_push(void);
void vt_quiet_pop(void);

/*
 * The last message vt_err() formed (printed or not), for JSON error
 * objects. It may hold bytes of a path that are not UTF-8.
 */
const char *vt_last_error(void);

__attribute__((format(printf, 2, 3)))
void vt_err(const char *what, const char *fmt, ...);

/* A usage error of @cmd: prints it with a pointer to --help, returns 2. */
__attribute__((format(printf, 2, 3)))
int vt_usage_err(const char *cmd, const char *fmt, ...);

/* getopt_long's '?' or ':' for @cmd: report the option, return 2. */
int vt_bad_option(const char *cmd, int c, char *argv[]);

/* Write @len bytes as lowercase hex to @f. */
void vt_put_hex(FILE *f, const uint8_t *in, size_t len);

/*
 * "<root>/<rest>" into @out, with @rest formatted. Returns 0, or -1 if it
 * does not fit.
 */
__attribute__((format(printf, 4, 5)))
int vt_path(char *out, size_t size, const char *root, const char *fmt, ...);

bool vt_exists(const char *path);

/*
 * Read a small file whole into @buf (NUL-terminated, at most size - 1
 * bytes). Returns 0 or -errno (-EFBIG if it does not fit).
 */
int vt_read_small(const char *path, char *buf, size_t size, size_t *len);

/*
 * Read a whole file ("-": standard input) into a new buffer of at most
 * @max bytes (*buf, freed by the caller; NULL for an empty file). Returns
 * 0 or -errno (-EFBIG if it is larger than @max).
 */
int vt_read_file(const char *path, size_t max, uint8_t **buf, size_t *len);

/* Exactly @len bytes at @off of @fd into @buf: 0, or -1 (errno; EIO at
 * the end of the file). */
int vt_pread_all(int fd, void *buf, size_t len, off_t off);

/*
 * @len bytes of @data into a new temporary file next to @path, "@path.XXXXXX"
 * (its name in @tmp, @size bytes), with @mode, synced and closed: the
 * caller renames it into place or unlinks it. Returns 0 or -errno; on an
 * error after it was made, the file is unlinked and @tmp emptied.
 */
int vt_write_temp(const char *path, char *tmp, size_t size, const void *data,
		  size_t len, unsigned int mode);

/* An instance's name at the trusted service: 1 to 64 of A-Z a-z 0-9 . _ - */
bool vt_instance_id_ok(const char *id);

/* Parse a decimal unsigned int up to @max. Returns 0 or -1. */
int vt_parse_uint(const char *s, unsigned int max, unsigned int *out);

#endif /* VTRUST_UTIL_H */
