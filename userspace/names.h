/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Names as vtrust stores and shows them. Event names, component names,
 * reasons, host and user names come from logs, files and the environment:
 * any bytes. Stored (in a baseline, in JSON) they are escaped so that
 *
 *  - the text is valid UTF-8 without control, C1 or bidi/format characters
 *    (U+061C, U+200B-200F, U+2028-202E, U+2060-206F, U+FEFF, U+FFF9-FFFB):
 *    each byte of such a character, and each byte that is not part of valid
 *    UTF-8, is written "\xNN" (two lowercase hex digits);
 *  - a backslash is written "\\", so the escape can be undone;
 *  - an empty name is the token "(empty)", and a name that starts with '('
 *    has that '(' written "\x28", so the token is no real name;
 *  - a name whose escaped form is longer than the limit is cut after a
 *    whole character or escape and ends in "\...sha256:<16 hex digits>",
 *    the start of the SHA-256 of all its bytes. "\." is no escape of a
 *    whole name, so a cut name differs from every name that was not cut,
 *    and two long names that differ are cut differently (unless their
 *    SHA-256 agree in 64 bits).
 *
 * Shown (text output) any string goes through the display filter, which
 * writes the same characters as "\xNN" and leaves the rest as it is.
 */
#ifndef VTRUST_NAMES_H
#define VTRUST_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VT_NAME_MAX		4096	/* bytes of a stored event or component name */
#define VT_NAME_EMPTY		"(empty)"
#define VT_NAME_CUT_LEN		27	/* "\...sha256:" and 16 hex digits */
#define VT_NAME_MIN_MAX		64	/* the smallest limit the escape takes */

/*
 * Escape @len bytes at @p into @out (@max + 1 bytes, @max at least
 * VT_NAME_MIN_MAX). Returns the length written (at most @max); *cut (if
 * @cut is not NULL) tells whether the name was cut.
 */
size_t vt_name_escape(const uint8_t *p, size_t len, char *out, size_t max,
		      bool *cut);

/*
 * Undo vt_name_escape: the bytes of the stored name @s (@len bytes) into
 * @out (at least @len bytes), their number in *outlen. Returns 0 for a whole
 * name, 1 for a cut one (*outlen bytes of its start), -1 if @s is not
 * an escaped name.
 */
int vt_name_unescape(const char *s, size_t len, uint8_t *out, size_t *outlen);

/*
 * Is @s (@len bytes) safe to store and show: 1 to @max bytes of valid
 * UTF-8 without NUL, control, C1 or bidi/format characters?
 */
bool vt_name_valid(const char *s, size_t len, size_t max);

/* Write @s through the display filter. */
void vt_name_print(FILE *f, const char *s);

#endif /* VTRUST_NAMES_H */
