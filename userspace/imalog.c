// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A pure, streaming parser of IMA binary measurement lists; see imalog.h.
 * Nothing here does I/O or allocates memory: it may be fed any bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hex.h"
#include "imalog.h"

struct field_def {
	const char *id;
	enum imalog_ftype type;
	enum imalog_frole role;	/* which shortcut of the entry it fills */
};

/* IMA's template fields (security/integrity/ima/ima_template.c). */
static const struct field_def field_defs[] = {
	{ "d", IMALOG_F_DIGEST, IMALOG_R_FILE_DIGEST },
	{ "n", IMALOG_F_STRING, IMALOG_R_EVENT_NAME },
	{ "d-ng", IMALOG_F_DIGEST_NG, IMALOG_R_FILE_DIGEST },
	{ "d-ngv2", IMALOG_F_DIGEST_NG, IMALOG_R_FILE_DIGEST },
	{ "n-ng", IMALOG_F_STRING, IMALOG_R_EVENT_NAME },
	{ "sig", IMALOG_F_HEX, IMALOG_R_NONE },
	{ "buf", IMALOG_F_HEX, IMALOG_R_BUF },
	{ "d-modsig", IMALOG_F_DIGEST_NG, IMALOG_R_NONE },
	{ "modsig", IMALOG_F_HEX, IMALOG_R_NONE },
	{ "evmsig", IMALOG_F_HEX, IMALOG_R_NONE },
	{ "iuid", IMALOG_F_UINT, IMALOG_R_NONE },
	{ "igid", IMALOG_F_UINT, IMALOG_R_NONE },
	{ "imode", IMALOG_F_UINT, IMALOG_R_NONE },
	{ "xattrnames", IMALOG_F_STRING, IMALOG_R_NONE },
	{ "xattrlengths", IMALOG_F_HEX, IMALOG_R_NONE },
	{ "xattrvalues", IMALOG_F_HEX, IMALOG_R_NONE },
};

#define NR_FIELD_DEFS (sizeof(field_defs) / sizeof(field_defs[0]))
#define FIELD_D 0
#define FIELD_N 1

/* IMA's named templates and their formats. */
static const struct {
	const char *name;
	const char *fmt;
} template_defs[] = {
	{ "ima-ng", "d-ng|n-ng" },
	{ "ima-buf", "d-ng|n-ng|buf" },
	{ "ima-sig", "d-ng|n-ng|sig" },
	{ "ima-modsig", "d-ng|n-ng|sig|d-modsig|modsig" },
	{ "ima-ngv2", "d-ngv2|n-ng" },
	{ "ima-sigv2", "d-ngv2|n-ng|sig" },
	{ "evm-sig",
	  "d-ng|n-ng|evmsig|xattrnames|xattrlengths|xattrvalues|iuid|igid|imode" },
};

#define NR_TEMPLATE_DEFS (sizeof(template_defs) / sizeof(template_defs[0]))

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

__attribute__((format(printf, 4, 5)))
static enum imalog_status fail(struct imalog_error *err, uint64_t offset,
			       uint64_t index, const char *fmt, ...)
{
	va_list ap;

	err->offset = offset;
	err->index = index;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return IMALOG_ERROR;
}

int imalog_init(struct imalog_parser *p, uint32_t digest_len)
{
	if (!digest_len || digest_len > IMALOG_DIGEST_MAX)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->digest_len = digest_len;
	p->cache_nr = -2;
	return 0;
}

/*
 * Resolve a format "id|id|..." into field_defs indices. Returns the number
 * of fields, or -1 if an id is unknown or there are too many.
 */
static int parse_fmt(const char *fmt, size_t len, uint8_t *ids)
{
	size_t start = 0, end;
	unsigned int k;
	int n = 0;

	while (start <= len) {
		for (end = start; end < len && fmt[end] != '|'; end++)
			;
		for (k = 0; k < NR_FIELD_DEFS; k++)
			if (strlen(field_defs[k].id) == end - start &&
			    !memcmp(field_defs[k].id, fmt + start, end - start))
				break;
		if (k == NR_FIELD_DEFS || n == IMALOG_FIELDS_MAX)
			return -1;
		ids[n++] = k;
		start = end + 1;
	}
	return n;
}

/* The fields of template @name, or -1 if it is not known. */
static int template_fields(struct imalog_parser *p, const char *name,
			   size_t len, uint8_t *ids)
{
	unsigned int i;
	int n;

	if (p->cache_nr != -2 && len == p->cache_len &&
	    !memcmp(p->cache_name, name, len)) {
		if (p->cache_nr > 0)
			memcpy(ids, p->cache_ids, p->cache_nr);
		return p->cache_nr;
	}
	n = -1;
	for (i = 0; i < NR_TEMPLATE_DEFS; i++) {
		if (!strcmp(template_defs[i].name, name)) {
			n = parse_fmt(template_defs[i].fmt,
				      strlen(template_defs[i].fmt), ids);
			break;
		}
	}
	/* A custom template is listed under its format. */
	if (i == NR_TEMPLATE_DEFS)
		n = parse_fmt(name, len, ids);
	memcpy(p->cache_name, name, len + 1);
	p->cache_len = len;
	p->cache_nr = n;
	if (n > 0)
		memcpy(p->cache_ids, ids, n);
	return n;
}

/* Check and type one field of a known template. */
static enum imalog_status decode_field(struct imalog_field *f,
				       uint64_t offset, uint64_t index,
				       unsigned int nr,
				       struct imalog_error *err)
{
	const uint8_t *nul;

	switch (f->type) {
	case IMALOG_F_DIGEST:
		f->digest = f->data;
		f->digest_len = f->len;
		break;
	case IMALOG_F_DIGEST_NG:
		if (!f->len)
			break;
		nul = memchr(f->data, '\0', f->len);
		if (!nul)
			return fail(err, offset, index,
				    "field %u (%s) has no NUL after its algorithm",
				    nr, f->id);
		if (nul == f->data || nul[-1] != ':')
			return fail(err, offset, index,
				    "field %u (%s) has no \"<algo>:\" before its NUL",
				    nr, f->id);
		f->algo = (const char *)f->data;
		f->algo_len = nul - f->data - 1;
		f->digest = nul + 1;
		f->digest_len = f->len - (nul + 1 - f->data);
		break;
	case IMALOG_F_STRING:
		nul = memchr(f->data, '\0', f->len);
		f->str_len = nul ? (uint32_t)(nul - f->data) : f->len;
		break;
	default:
		break;
	}
	return IMALOG_ENTRY;
}

/*
 * Split template data into length-prefixed fields. @doff is the stream
 * offset of the data. With @ids (a known template) the data must hold
 * exactly @nr fields, else it is an error; without, a data that does not
 * split leaves the entry with no fields.
 */
static enum imalog_status split_fields(struct imalog_entry *e, uint64_t doff,
				       const uint8_t *ids, int nr,
				       struct imalog_error *err)
{
	const uint8_t *d = e->data;
	size_t pos = 0, left;
	uint32_t flen;
	unsigned int n = 0;
	struct imalog_field *f;
	enum imalog_status st;

	while (pos < e->data_len) {
		left = e->data_len - pos;
		if (ids && n == (unsigned int)nr)
			return fail(err, doff + pos, e->index,
				    "template data of %s has %zu bytes after its %d fields",
				    e->template_name, left, nr);
		if (!ids && n == IMALOG_FIELDS_MAX)
			goto unsplit;
		if (left < 4) {
			if (!ids)
				goto unsplit;
			return fail(err, doff + pos, e->index,
				    "field %u (%s) length is cut off: %zu bytes remain",
				    n, field_defs[ids[n]].id, left);
		}
		flen = get_le32(d + pos);
		if (flen > left - 4) {
			if (!ids)
				goto unsplit;
			return fail(err, doff + pos, e->index,
				    "field %u (%s) length %u exceeds the %zu bytes that remain",
				    n, field_defs[ids[n]].id, flen, left - 4);
		}
		f = &e->fields[n];
		memset(f, 0, sizeof(*f));
		f->data = d + pos + 4;
		f->len = flen;
		if (ids) {
			f->id = field_defs[ids[n]].id;
			f->type = field_defs[ids[n]].type;
			f->role = field_defs[ids[n]].role;
			st = decode_field(f, doff + pos, e->index, n, err);
			if (st != IMALOG_ENTRY)
				return st;
		} else {
			f->type = IMALOG_F_RAW;
		}
		pos += 4 + (size_t)flen;
		n++;
	}
	if (ids && n != (unsigned int)nr)
		return fail(err, doff + pos, e->index,
			    "template data of %s has %u of its %d fields",
			    e->template_name, n, nr);
	e->nr_fields = n;
	return IMALOG_ENTRY;
unsplit:
	e->nr_fields = 0;
	return IMALOG_ENTRY;
}

static void set_shortcuts(struct imalog_entry *e)
{
	unsigned int i;
	struct imalog_field *f;

	for (i = 0; i < e->nr_fields; i++) {
		f = &e->fields[i];
		if (f->role == IMALOG_R_FILE_DIGEST && !e->file_digest)
			e->file_digest = f;
		else if (f->role == IMALOG_R_EVENT_NAME && !e->event_name)
			e->event_name = f;
		else if (f->role == IMALOG_R_BUF && !e->buf)
			e->buf = f;
	}
}

/*
 * A template name length of 0 or above the limit. If the first entry's PCR
 * index and name length make sense only byte-swapped, the list is one that
 * IMA wrote on a big-endian host without ima_canonical_fmt, in that host's
 * byte order.
 */
static enum imalog_status bad_name_len(struct imalog_parser *p,
				       const uint8_t *buf, uint64_t off,
				       uint32_t nlen, struct imalog_error *err)
{
	uint32_t swapped = __builtin_bswap32(nlen);

	if (!p->index && swapped && swapped <= IMALOG_NAME_MAX &&
	    __builtin_bswap32(get_le32(buf)) < IMALOG_PCRS)
		return fail(err, off, p->index,
			    "a big-endian list (IMA on a big-endian host without ima_canonical_fmt): not supported");
	if (!nlen)
		return fail(err, off, p->index, "template name length is 0");
	return fail(err, off, p->index,
		    "template name length %u exceeds the limit of %u", nlen,
		    IMALOG_NAME_MAX);
}

/* Say which part of the fixed header a short buffer cuts off. */
static enum imalog_status truncated(struct imalog_parser *p, size_t len,
				    struct imalog_error *err)
{
	uint32_t d = p->digest_len;

	if (len < 4)
		return fail(err, p->offset + len, p->index,
			    "entry is cut off in its PCR field (%zu of 4 bytes)",
			    len);
	if (len < 4 + (size_t)d)
		return fail(err, p->offset + len, p->index,
			    "entry is cut off in its template digest (%zu of %u bytes)",
			    len - 4, d);
	return fail(err, p->offset + len, p->index,
		    "entry is cut off in its template name length (%zu of 4 bytes)",
		    len - 4 - d);
}

enum imalog_status imalog_next(struct imalog_parser *p, const uint8_t *buf,
			       size_t len, bool eof,
			       struct imalog_entry *e, size_t *need,
			       struct imalog_error *err)
{
	size_t d = p->digest_len, pos, hdr = 4 + d + 4, left;
	uint32_t nlen, dlen, evlen;
	uint8_t ids[IMALOG_FIELDS_MAX];
	uint64_t off = p->offset;
	enum imalog_status st;
	int nr;
	size_t i;

	*need = 0;
	if (!len && eof)
		return IMALOG_END;
	if (len < hdr) {
		*need = hdr;
		return eof ? truncated(p, len, err) : IMALOG_MORE;
	}

	nlen = get_le32(buf + 4 + d);
	if (!nlen || nlen > IMALOG_NAME_MAX)
		return bad_name_len(p, buf, off + 4 + d, nlen, err);
	if (len - hdr < nlen) {
		*need = hdr + nlen;
		if (!eof)
			return IMALOG_MORE;
		return fail(err, off + 4 + d, p->index,
			    "template name length %u exceeds the %zu bytes that remain",
			    nlen, len - hdr);
	}
	for (i = 0; i < nlen; i++)
		if (buf[hdr + i] <= ' ' || buf[hdr + i] >= 0x7f)
			return fail(err, off + hdr + i, p->index,
				    "template name has byte 0x%02x", buf[hdr + i]);

	/* every member but the arrays, which are filled as far as they are
	 * used (fields[] up to nr_fields, each cleared first) */
	e->size = 0;
	e->legacy = false;
	e->data = NULL;
	e->data_len = 0;
	e->known = false;
	e->nr_fields = 0;
	e->file_digest = NULL;
	e->event_name = NULL;
	e->buf = NULL;
	e->index = p->index;
	e->offset = off;
	e->pcr = get_le32(buf);
	e->digest = buf + 4;
	e->digest_len = d;
	e->violation = vt_all_bytes(e->digest, d, 0);
	memcpy(e->template_name, buf + hdr, nlen);
	e->template_name[nlen] = '\0';
	e->template_name_len = nlen;
	pos = hdr + nlen;
	left = len - pos;

	if (nlen == 3 && !memcmp(e->template_name, "ima", 3)) {
		/* digest[20], u32 event name length, event name */
		if (left < IMALOG_LEGACY_DIGEST + 4) {
			*need = pos + IMALOG_LEGACY_DIGEST + 4;
			if (!eof)
				return IMALOG_MORE;
			return fail(err, off + len, p->index,
				    "ima entry is cut off in its %s",
				    left < IMALOG_LEGACY_DIGEST ?
				    "file digest" : "event name length");
		}
		evlen = get_le32(buf + pos + IMALOG_LEGACY_DIGEST);
		if (evlen > IMALOG_EVENT_NAME_MAX)
			return fail(err, off + pos + IMALOG_LEGACY_DIGEST,
				    p->index,
				    "event name length %u exceeds the limit of %u",
				    evlen, IMALOG_EVENT_NAME_MAX);
		left -= IMALOG_LEGACY_DIGEST + 4;
		if (left < evlen) {
			*need = pos + IMALOG_LEGACY_DIGEST + 4 + evlen;
			if (!eof)
				return IMALOG_MORE;
			return fail(err, off + pos + IMALOG_LEGACY_DIGEST,
				    p->index,
				    "event name length %u exceeds the %zu bytes that remain",
				    evlen, left);
		}
		e->legacy = true;
		memcpy(e->legacy_data, buf + pos, IMALOG_LEGACY_DIGEST);
		memcpy(e->legacy_data + IMALOG_LEGACY_DIGEST,
		       buf + pos + IMALOG_LEGACY_DIGEST + 4, evlen);
		memset(e->legacy_data + IMALOG_LEGACY_DIGEST + evlen, 0,
		       IMALOG_EVENT_NAME_MAX + 1 - evlen);
		e->data = e->legacy_data;
		e->data_len = IMALOG_LEGACY_DATA;
		e->known = true;
		e->nr_fields = 2;
		memset(e->fields, 0, 2 * sizeof(e->fields[0]));
		e->fields[0].id = field_defs[FIELD_D].id;
		e->fields[0].type = IMALOG_F_DIGEST;
		e->fields[0].data = e->legacy_data;
		e->fields[0].len = IMALOG_LEGACY_DIGEST;
		e->fields[0].digest = e->legacy_data;
		e->fields[0].digest_len = IMALOG_LEGACY_DIGEST;
		e->fields[1].id = field_defs[FIELD_N].id;
		e->fields[1].type = IMALOG_F_STRING;
		e->fields[1].data = e->legacy_data + IMALOG_LEGACY_DIGEST;
		e->fields[1].len = evlen;
		e->fields[1].str_len = evlen;
		e->file_digest = &e->fields[0];
		e->event_name = &e->fields[1];
		e->size = pos + IMALOG_LEGACY_DIGEST + 4 + evlen;
		goto done;
	}

	if (left < 4) {
		*need = pos + 4;
		if (!eof)
			return IMALOG_MORE;
		return fail(err, off + len, p->index,
			    "entry is cut off in its template data length (%zu of 4 bytes)",
			    left);
	}
	dlen = get_le32(buf + pos);
	if (dlen > IMALOG_DATA_MAX)
		return fail(err, off + pos, p->index,
			    "template data length %u exceeds the limit of %u",
			    dlen, IMALOG_DATA_MAX);
	if (left - 4 < dlen) {
		*need = pos + 4 + dlen;
		if (!eof)
			return IMALOG_MORE;
		return fail(err, off + pos, p->index,
			    "template data length %u exceeds the %zu bytes that remain",
			    dlen, left - 4);
	}
	e->data = buf + pos + 4;
	e->data_len = dlen;
	e->size = pos + 4 + dlen;

	nr = template_fields(p, e->template_name, nlen, ids);
	e->known = nr > 0;
	st = split_fields(e, off + pos + 4, nr > 0 ? ids : NULL, nr, err);
	if (st != IMALOG_ENTRY)
		return st;
done:
	set_shortcuts(e);
	*need = e->size;
	p->offset += e->size;
	p->index++;
	return IMALOG_ENTRY;
}

long long imalog_parse_buffer(const uint8_t *buf, size_t len,
			      uint32_t digest_len,
			      int (*fn)(const struct imalog_entry *e, void *ctx),
			      void *ctx, struct imalog_error *err)
{
	struct imalog_parser p;
	struct imalog_entry e;
	enum imalog_status st;
	size_t pos = 0, used;
	long long n = 0;

	if (imalog_init(&p, digest_len)) {
		fail(err, 0, 0, "template digest size %u is not 1-%u",
		     digest_len, IMALOG_DIGEST_MAX);
		return -1;
	}
	for (;;) {
		st = imalog_next(&p, buf + pos, len - pos, true, &e, &used,
				 err);
		if (st == IMALOG_END)
			return n;
		if (st != IMALOG_ENTRY)
			return -1;
		pos += used;
		n++;
		if (fn && fn(&e, ctx))
			return n;
	}
}
