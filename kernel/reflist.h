/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reference baseline, as written to /sys/kernel/security/vtrust/baseline
 * (pure: see pure.h). One entry per line:
 *
 *   <algo>:<hex digest>[<spaces or tabs><name>]
 *
 * <algo> is sha1, sha256, sha384, sha512 or sm3 (lowercase); the digest has
 * exactly twice the algorithm's digest size in hex digits, of either case.
 * The name is the rest of the line less the spaces and tabs at its ends, up
 * to VTRUST_REF_NAME_MAX bytes with no control character (tabs included) in
 * it. Spaces and tabs before the entry are allowed; lines that are empty,
 * blank, or whose first non-blank character is '#' are ignored. Lines end in
 * '\n'; '\r' is a control character, so files with CRLF line ends are
 * refused.
 */
#ifndef _VTRUST_REFLIST_H
#define _VTRUST_REFLIST_H

#include "pure.h"

#define VTRUST_REF_DIGEST_MAX 64
#define VTRUST_REF_NAME_MAX 255

/* TPM_ALG_* ids of the digest algorithms (linux/tpm.h has the same values) */
#define VTRUST_REF_ALG_SHA1 0x0004
#define VTRUST_REF_ALG_SHA256 0x000B
#define VTRUST_REF_ALG_SHA384 0x000C
#define VTRUST_REF_ALG_SHA512 0x000D
#define VTRUST_REF_ALG_SM3 0x0012

struct vtrust_ref {
	u16 algo; /* VTRUST_REF_ALG_* */
	u8 digest_len; /* the algorithm's digest size */
	u8 digest[VTRUST_REF_DIGEST_MAX]; /* zero past digest_len */
	u16 name_len; /* 0: no name */
	const char *name; /* in the parsed text, not NUL-terminated */
};

/*
 * Parse one line, [@line, @line + @len), without its '\n'. Returns 1 for an
 * entry, which is stored in *@out (zeroed first; @out->name points into
 * @line, so copy the name if it is kept); 0 for a blank or comment line;
 * -EINVAL for anything else, with a constant string in *@reason (if @reason
 * is not NULL). *@out is written only when 1 is returned.
 */
int vtrust_reflist_parse_line(const char *line, size_t len,
			      struct vtrust_ref *out, const char **reason);

/*
 * The next entry of @text (@len bytes, no NUL needed, the last line needs no
 * '\n') from offset *@pos, which starts at 0 and is moved past each line
 * read. Returns 1 with an entry in *@out, 0 at the end of the text, -EINVAL
 * for a bad line, with *@reason as above. *@line (if not NULL) counts the
 * lines read, so after an error it is the number of the bad line, from 1.
 */
int vtrust_reflist_next(const char *text, size_t len, size_t *pos,
			unsigned int *line, struct vtrust_ref *out,
			const char **reason);

/*
 * Check every line of a whole write before any of it is applied. Returns 0
 * and the number of entries in *@nr_entries, or -EINVAL with the number of
 * the first bad line (from 1) in *@bad_line and why in *@reason. Each out
 * pointer may be NULL. Apply the text afterwards with vtrust_reflist_next().
 */
int vtrust_reflist_check(const char *text, size_t len, unsigned int *nr_entries,
			 unsigned int *bad_line, const char **reason);

/* "sha256", ... for a VTRUST_REF_ALG_* id; NULL for another id */
const char *vtrust_reflist_algo_name(u16 algo);

#endif /* _VTRUST_REFLIST_H */
