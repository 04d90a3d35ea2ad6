/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The framing and the header line of a signed update (pure: see pure.h),
 * as written to /sys/kernel/security/vtrust/update:
 *
 *   content || PKCS#7 DER (detached, over content) || be32 sig_len ||
 *   "~vtrust-update~\n"
 *
 * where content starts with the line
 *
 *   "vtrust-update <target> <seq> <instance>\n"
 *
 * Only the syntax is checked here; seal.c looks the target up, checks the
 * signature, the instance and the sequence number.
 */
#ifndef _VTRUST_UPDATEFMT_H
#define _VTRUST_UPDATEFMT_H

#include "pure.h"

#define VTRUST_UPDATE_MAGIC "~vtrust-update~\n"
#define VTRUST_UPDATE_MAGIC_LEN (sizeof(VTRUST_UPDATE_MAGIC) - 1)
/* be32 sig_len and the magic */
#define VTRUST_UPDATE_TAIL_LEN (4 + VTRUST_UPDATE_MAGIC_LEN)
/* The header line, its '\n' included, is at most this long. */
#define VTRUST_UPDATE_LINE_MAX 128
/* The instance id's size in bytes (32 hex digits in the header line). */
#define VTRUST_UPDATE_INSTANCE_SIZE 16
#define VTRUST_UPDATE_HEADER_WORD "vtrust-update"

struct vtrust_update_header {
	const char *target; /* in the content, not NUL-terminated */
	size_t target_len; /* at least 1, less than VTRUST_UPDATE_LINE_MAX */
	u64 seq;
	u8 instance[VTRUST_UPDATE_INSTANCE_SIZE];
	size_t body; /* offset of the body: just past the line's '\n' */
};

/*
 * Split a signed update, @len bytes at @data, into its content (the first
 * *@content_len bytes, possibly none) and its signature (*@sig_len bytes at
 * *@sig, right after the content, at least one). Returns 0, or -EBADMSG
 * (the outputs then untouched) if the magic is missing or sig_len is 0 or
 * larger than what precedes it.
 */
int vtrust_update_split(const char *data, size_t len, size_t *content_len,
			const void **sig, size_t *sig_len);

/*
 * Parse the header line of @content (@len bytes, no NUL needed): exactly
 * "vtrust-update <target> <seq> <instance>\n", single spaces, <target> any
 * bytes but space, <seq> a decimal u64 without sign or leading zero,
 * <instance> 32 lowercase hex digits, the '\n' within the first
 * VTRUST_UPDATE_LINE_MAX bytes. A NUL byte ends the line's text as in a C
 * string: what follows it up to the '\n' is ignored. Returns 0 with *@hdr
 * filled, or -EBADMSG (*@hdr untouched).
 */
int vtrust_update_header(const char *content, size_t len,
			 struct vtrust_update_header *hdr);

#endif /* _VTRUST_UPDATEFMT_H */
