/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A pure, streaming parser of IMA binary measurement lists: it does no I/O
 * and allocates nothing. The caller hands it bytes; it frames one entry at a
 * time and decodes the template data. Entry layout (little-endian: the
 * kernel writes its lists in host order unless ima_canonical_fmt is set, so
 * a list from a big-endian host without it is refused, with a message that
 * says so):
 *
 *	u32  pcr
 *	u8   template_digest[D]	D is given by the caller
 *	u32  template_name_len
 *	char template_name[template_name_len]
 *	u32  template_data_len	(absent for the legacy "ima" template)
 *	u8   template_data[template_data_len]
 *
 * The legacy "ima" template has, instead of the length and the data, a
 * 20-byte file digest, a u32 event name length and the event name without
 * its NUL (kernel 6.1 ima_measurements_show()). IMA hashes it as the digest
 * followed by the name in a zero-padded 256-byte field; the parser rebuilds
 * those 276 bytes so that entry->data is always what the template digest
 * covers.
 *
 * Limits, checked before any length is used (each also against the bytes
 * that remain):
 *	template digest		1..IMALOG_DIGEST_MAX bytes
 *	template name		1..IMALOG_NAME_MAX bytes, printable ASCII
 *	template data		0..IMALOG_DATA_MAX bytes (1 MiB; IMA's largest
 *				real entries, ima-modsig and ima-buf of keys,
 *				are a few KiB)
 *	legacy event name	0..IMALOG_EVENT_NAME_MAX bytes
 *	fields of a template	IMALOG_FIELDS_MAX
 */
#ifndef VTRUST_IMALOG_H
#define VTRUST_IMALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMALOG_DIGEST_MAX	64
#define IMALOG_NAME_MAX		255
#define IMALOG_DATA_MAX		(1U << 20)
#define IMALOG_EVENT_NAME_MAX	255
#define IMALOG_FIELDS_MAX	16
#define IMALOG_PCRS		24	/* a TPM's PCR indexes */
#define IMALOG_LEGACY_DIGEST	20
#define IMALOG_LEGACY_DATA	(IMALOG_LEGACY_DIGEST + IMALOG_EVENT_NAME_MAX + 1)
/* The most bytes one entry can take in a list. */
#define IMALOG_ENTRY_MAX	(4 + IMALOG_DIGEST_MAX + 4 + IMALOG_NAME_MAX + \
				 4 + IMALOG_DATA_MAX)

/* How a template field is shown in IMA's ascii list. */
enum imalog_ftype {
	IMALOG_F_RAW,		/* field of an unknown template: hex */
	IMALOG_F_DIGEST,	/* "d": a bare digest, hex */
	IMALOG_F_DIGEST_NG,	/* "d-ng", "d-ngv2", "d-modsig": "<algo>:" NUL digest */
	IMALOG_F_STRING,	/* "n", "n-ng", "xattrnames": text up to a NUL */
	IMALOG_F_HEX,		/* "sig", "buf", "modsig", ...: hex */
	IMALOG_F_UINT,		/* "iuid", "igid", "imode": 1, 2, 4 or 8 bytes */
};

/* Which of an entry's shortcuts a field fills (the first of its role). */
enum imalog_frole {
	IMALOG_R_NONE,
	IMALOG_R_FILE_DIGEST,	/* "d", "d-ng", "d-ngv2": file_digest */
	IMALOG_R_EVENT_NAME,	/* "n", "n-ng": event_name */
	IMALOG_R_BUF,		/* "buf": buf */
};

struct imalog_field {
	const char *id;		/* "d-ng", ...; NULL in an unknown template */
	enum imalog_ftype type;
	enum imalog_frole role;
	const uint8_t *data;	/* the field's bytes, without its length */
	uint32_t len;
	/* IMALOG_F_DIGEST_NG with len > 0: */
	const char *algo;	/* "sha256", "ima:sha256" (not NUL-terminated) */
	uint32_t algo_len;
	/* IMALOG_F_DIGEST and IMALOG_F_DIGEST_NG: */
	const uint8_t *digest;
	uint32_t digest_len;
	/* IMALOG_F_STRING: the text before the first NUL */
	uint32_t str_len;
};

/*
 * One entry. Its pointers point into the caller's buffer or into the entry
 * itself (legacy "ima" template), so it is valid until the buffer changes
 * and must not be copied by value.
 */
struct imalog_entry {
	uint64_t index;		/* 0 for the first entry of the stream */
	uint64_t offset;	/* stream offset of the entry */
	size_t size;		/* bytes the entry takes in the list */
	uint32_t pcr;
	const uint8_t *digest;	/* template digest */
	uint32_t digest_len;
	/*
	 * An all-zero template digest: IMA's record of a violation (a file
	 * opened for writing while measured, or measured while open for
	 * writing). IMA extends all 0xff bytes for it instead, so the PCR
	 * does not cover the entry's template data, not even its name.
	 */
	bool violation;
	char template_name[IMALOG_NAME_MAX + 1];	/* NUL-terminated */
	uint32_t template_name_len;
	bool legacy;		/* the "ima" template */
	const uint8_t *data;	/* template data, as the template digest covers it */
	uint32_t data_len;
	/*
	 * Fields of the template data. A known template (ima-ng, ima-buf,
	 * ima-sig, ima-modsig, ima-ngv2, ima-sigv2, evm-sig, ima, or a custom
	 * "d-ng|n-ng|..." format) has its fields checked and typed. An
	 * unknown template has its data split into untyped length-prefixed
	 * fields if it splits exactly, else nr_fields is 0.
	 */
	bool known;
	unsigned int nr_fields;
	struct imalog_field fields[IMALOG_FIELDS_MAX];
	/* Shortcuts into fields[], NULL when absent. */
	const struct imalog_field *file_digest;	/* d, d-ng or d-ngv2 */
	const struct imalog_field *event_name;		/* n or n-ng */
	const struct imalog_field *buf;		/* buf */
	uint8_t legacy_data[IMALOG_LEGACY_DATA];
};

struct imalog_error {
	uint64_t offset;	/* stream offset of the bad bytes */
	uint64_t index;		/* index of the entry they belong to */
	char msg[160];		/* why, without offset or index */
};

struct imalog_parser {
	uint32_t digest_len;
	uint64_t offset;	/* stream offset of the next entry */
	uint64_t index;		/* index of the next entry */
	/* cache: the template of the previous entry */
	char cache_name[IMALOG_NAME_MAX + 1];
	size_t cache_len;
	int cache_nr;		/* -1: unknown template, -2: cache empty */
	uint8_t cache_ids[IMALOG_FIELDS_MAX];
};

enum imalog_status {
	IMALOG_ERROR = -1,	/* *err says where and why */
	IMALOG_END = 0,		/* no bytes left and eof */
	IMALOG_ENTRY = 1,	/* *entry is the next entry, *need its size */
	IMALOG_MORE = 2,	/* the entry needs at least *need bytes */
};

/* Returns 0, or -EINVAL if digest_len is 0 or larger than IMALOG_DIGEST_MAX. */
int imalog_init(struct imalog_parser *p, uint32_t digest_len);

/*
 * Frame and decode the entry that starts at buf[0]. len is how many bytes
 * the caller has; eof says that no more will come, so that a short buffer
 * is a truncated list rather than a reason to ask for more. On
 * IMALOG_ENTRY the caller drops *need bytes and calls again; on IMALOG_MORE
 * it calls again with at least *need bytes (never more than
 * IMALOG_ENTRY_MAX) or with eof set. The parser keeps the stream offset and
 * the entry index.
 */
enum imalog_status imalog_next(struct imalog_parser *p, const uint8_t *buf,
			       size_t len, bool eof,
			       struct imalog_entry *entry, size_t *need,
			       struct imalog_error *err);

/*
 * Parse a whole list held in memory, calling fn for every entry; fn returns
 * 0 to go on, anything else to stop. Returns the number of entries parsed,
 * or -1 with *err filled in.
 */
long long imalog_parse_buffer(const uint8_t *buf, size_t len,
			      uint32_t digest_len,
			      int (*fn)(const struct imalog_entry *e, void *ctx),
			      void *ctx, struct imalog_error *err);

#endif /* VTRUST_IMALOG_H */
