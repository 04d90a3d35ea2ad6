// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A pure parser of TCG firmware event logs; see uefilog.h. Nothing here does
 * I/O or allocates memory: it may be fed any bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hex.h"
#include "uefilog.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

__attribute__((format(printf, 4, 5)))
static int fail(struct uefilog_error *err, size_t offset, uint64_t index,
		const char *fmt, ...)
{
	va_list ap;

	err->offset = offset;
	err->index = index;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- framing ---- */

/* TCG_EfiSpecIDEvent, at @off in the log, @len bytes. */
static int parse_spec_id(struct uefilog *l, size_t off, uint32_t len,
			 struct uefilog_error *err)
{
	const uint8_t *p = l->buf + off;
	struct uefilog_specid *s = &l->spec;
	uint32_t n, i, k, pos;

	/* signature, platform class, 4 version bytes, number of algorithms */
	if (len < 28)
		return fail(err, off + len, 0,
			    "Spec ID event is cut off: %u of at least 28 bytes",
			    len);
	s->platform_class = get32(p + 16);
	s->version_minor = p[20];
	s->version_major = p[21];
	s->errata = p[22];
	s->uintn_size = p[23];
	n = get32(p + 24);
	if (!n)
		return fail(err, off + 24, 0, "Spec ID event lists no algorithms");
	if (n > UEFILOG_ALGS_MAX)
		return fail(err, off + 24, 0,
			    "Spec ID event lists %u algorithms, more than the limit of %u",
			    n, UEFILOG_ALGS_MAX);
	pos = 28;
	if ((len - pos) / 4 < n)
		return fail(err, off + 24, 0,
			    "Spec ID event's %u algorithms exceed the %u bytes that remain",
			    n, len - pos);
	s->nr_algs = n;
	for (i = 0; i < n; i++, pos += 4) {
		s->algs[i].id = get16(p + pos);
		s->algs[i].size = get16(p + pos + 2);
		if (!s->algs[i].size || s->algs[i].size > UEFILOG_DIGEST_MAX)
			return fail(err, off + pos + 2, 0,
				    "algorithm 0x%04x has digest size %u, not 1-%u",
				    s->algs[i].id, s->algs[i].size,
				    UEFILOG_DIGEST_MAX);
		for (k = 0; k < i; k++)
			if (s->algs[k].id == s->algs[i].id)
				return fail(err, off + pos, 0,
					    "algorithm 0x%04x is listed twice",
					    s->algs[i].id);
	}
	if (pos == len)
		return fail(err, off + pos, 0,
			    "Spec ID event is cut off before its vendor info size");
	s->vendor_len = p[pos++];
	if (s->vendor_len > len - pos)
		return fail(err, off + pos - 1, 0,
			    "vendor info size %u exceeds the %u bytes that remain",
			    s->vendor_len, len - pos);
	s->vendor = p + pos;
	pos += s->vendor_len;
	if (pos != len)
		return fail(err, off + pos, 0,
			    "Spec ID event has %u bytes after its vendor info",
			    len - pos);
	return 0;
}

/* A TCG_PCR_EVENT (SHA-1 format) at l->pos. */
static int next_sha1(struct uefilog *l, struct uefilog_event *e,
		     struct uefilog_error *err)
{
	size_t off = l->pos, left = l->len - l->pos;
	const uint8_t *p = l->buf + off;
	uint32_t size;

	if (left < 32)
		return fail(err, l->len, l->index,
			    "event is cut off in its header (%zu of 32 bytes)",
			    left);
	size = get32(p + 28);
	if (size > left - 32)
		return fail(err, off + 28, l->index,
			    "event size %u exceeds the %zu bytes that remain",
			    size, left - 32);
	e->pcr = get32(p);
	e->type = get32(p + 4);
	e->sha1_format = true;
	e->nr_digests = 1;
	e->digests[0].alg = UEFILOG_SHA1_ALG;
	e->digests[0].size = UEFILOG_SHA1_SIZE;
	e->digests[0].bytes = p + 8;
	e->data = p + 32;
	e->data_len = size;
	e->size = 32 + (size_t)size;
	return 0;
}

/* A TCG_PCR_EVENT2 at l->pos. */
static int next_agile(struct uefilog *l, struct uefilog_event *e,
		      struct uefilog_error *err)
{
	size_t off = l->pos, left = l->len - l->pos, pos;
	const uint8_t *p = l->buf + off;
	const struct uefilog_alg *a;
	uint32_t count, size, i, k;
	uint16_t alg;

	if (left < 12)
		return fail(err, l->len, l->index,
			    "event is cut off in its header (%zu of 12 bytes)",
			    left);
	e->pcr = get32(p);
	e->type = get32(p + 4);
	count = get32(p + 8);
	if (!count)
		return fail(err, off + 8, l->index, "digest count is 0");
	if (count > l->spec.nr_algs)
		return fail(err, off + 8, l->index,
			    "digest count %u exceeds the %u algorithms of the Spec ID event",
			    count, l->spec.nr_algs);
	pos = 12;
	for (i = 0; i < count; i++) {
		if (left - pos < 2)
			return fail(err, l->len, l->index,
				    "event is cut off in digest %u's algorithm",
				    i);
		alg = get16(p + pos);
		a = uefilog_find_alg(l, alg);
		if (!a)
			return fail(err, off + pos, l->index,
				    "digest %u has algorithm 0x%04x, which the Spec ID event does not list",
				    i, alg);
		for (k = 0; k < i; k++)
			if (e->digests[k].alg == alg)
				return fail(err, off + pos, l->index,
					    "algorithm 0x%04x has two digests",
					    alg);
		pos += 2;
		if (left - pos < a->size)
			return fail(err, l->len, l->index,
				    "event is cut off in digest %u (%zu of %u bytes)",
				    i, left - pos, a->size);
		e->digests[i].alg = alg;
		e->digests[i].size = a->size;
		e->digests[i].bytes = p + pos;
		pos += a->size;
	}
	e->nr_digests = count;
	if (left - pos < 4)
		return fail(err, l->len, l->index,
			    "event is cut off in its event size (%zu of 4 bytes)",
			    left - pos);
	size = get32(p + pos);
	pos += 4;
	if (size > left - pos)
		return fail(err, off + pos - 4, l->index,
			    "event size %u exceeds the %zu bytes that remain",
			    size, left - pos);
	e->sha1_format = false;
	e->data = p + pos;
	e->data_len = size;
	e->size = pos + size;
	return 0;
}

/* Where the bytes at the end of the log that are all 0x00 or all 0xFF start. */
static size_t tail_start(const uint8_t *buf, size_t len)
{
	size_t i = len;

	if (!len || (buf[len - 1] != 0x00 && buf[len - 1] != 0xff))
		return len;
	while (i && buf[i - 1] == buf[len - 1])
		i--;
	return i;
}

int uefilog_open(struct uefilog *l, const uint8_t *buf, size_t len,
		 struct uefilog_error *err)
{
	struct uefilog_event e;

	memset(l, 0, sizeof(*l));
	l->buf = buf;
	l->len = len;
	l->tail = tail_start(buf, len);
	l->locality = -1;
	if (!len)
		return fail(err, 0, 0, "the log is empty");
	if (next_sha1(l, &e, err))
		return -1;
	if (e.type != EV_NO_ACTION || e.data_len < 16 ||
	    memcmp(e.data, UEFILOG_SPEC_ID_SIG, 16))
		return 0;
	l->agile = true;
	if (e.pcr)
		return fail(err, 0, 0, "Spec ID event is in PCR %u, not 0",
			    e.pcr);
	if (!vt_all_bytes(e.digests[0].bytes, UEFILOG_SHA1_SIZE, 0))
		return fail(err, 8, 0, "Spec ID event has a non-zero digest");
	return parse_spec_id(l, 32, e.data_len, err);
}

/* Is the rest of the log padding? Then it ends here. */
static bool padding(struct uefilog *l)
{
	if (l->pos < l->tail)
		return false;
	l->pad_len = l->len - l->pos;
	l->pad_byte = l->buf[l->pos];
	l->pos = l->len;
	return true;
}

/* A StartupLocality event: only in PCR 0, once, before PCR 0 is extended. */
static int check_locality(struct uefilog *l, const struct uefilog_event *e,
			  struct uefilog_error *err)
{
	uint8_t loc;

	if (e->data_len != 17)
		return fail(err, e->offset, e->index,
			    "StartupLocality event has %u bytes of data, not 17",
			    e->data_len);
	loc = e->data[16];
	if (e->pcr)
		return fail(err, e->offset, e->index,
			    "StartupLocality event is in PCR %u, not 0", e->pcr);
	if (l->pcr0_extended)
		return fail(err, e->offset, e->index,
			    "StartupLocality event comes after an event that extends PCR 0");
	if (l->locality >= 0)
		return fail(err, e->offset, e->index,
			    "a second StartupLocality event, with locality %u after %d",
			    loc, l->locality);
	if (loc != 0 && loc != 3 && loc != 4)
		return fail(err, e->offset, e->index,
			    "StartupLocality %u is not 0, 3 or 4", loc);
	l->locality = loc;
	return 0;
}

/* What the PFP requires of every event, past its framing. */
static int check_event(struct uefilog *l, const struct uefilog_event *e,
		       struct uefilog_error *err)
{
	unsigned int i;

	if (e->pcr >= UEFILOG_PCRS)
		return fail(err, e->offset, e->index,
			    "PCR index %u is not 0-%u", e->pcr,
			    UEFILOG_PCRS - 1);
	if (e->type != EV_NO_ACTION) {
		l->pcr0_extended |= !e->pcr;
		l->efi_seen |= e->type >= EV_EFI_EVENT_BASE;
		return 0;
	}
	for (i = 0; i < e->nr_digests; i++)
		if (!vt_all_bytes(e->digests[i].bytes, e->digests[i].size, 0))
			return fail(err, e->offset, e->index,
				    "EV_NO_ACTION event has a non-zero digest (algorithm 0x%04x)",
				    e->digests[i].alg);
	if (e->data_len >= 16 && !memcmp(e->data, UEFILOG_LOCALITY_SIG, 16))
		return check_locality(l, e, err);
	return 0;
}

int uefilog_next(struct uefilog *l, struct uefilog_event *e,
		 struct uefilog_error *err)
{
	int ret;

	if (l->pos >= l->len || padding(l))
		return 0;
	memset(e, 0, sizeof(*e));
	if (!l->index || !l->agile)
		ret = next_sha1(l, e, err);
	else
		ret = next_agile(l, e, err);
	if (ret)
		return -1;
	e->index = l->index;
	e->offset = l->pos;
	e->after_efi = l->efi_seen;
	if (check_event(l, e, err))
		return -1;
	l->index++;
	l->pos += e->size;
	return 1;
}

const struct uefilog_alg *uefilog_find_alg(const struct uefilog *l,
					   uint16_t alg)
{
	static const struct uefilog_alg sha1 = {
		UEFILOG_SHA1_ALG, UEFILOG_SHA1_SIZE
	};
	uint32_t i;

	if (!l->agile)
		return alg == UEFILOG_SHA1_ALG ? &sha1 : NULL;
	for (i = 0; i < l->spec.nr_algs; i++)
		if (l->spec.algs[i].id == alg)
			return &l->spec.algs[i];
	return NULL;
}

const struct uefilog_digest *uefilog_event_digest(const struct uefilog_event *e,
						  uint16_t alg)
{
	unsigned int i;

	for (i = 0; i < e->nr_digests; i++)
		if (e->digests[i].alg == alg)
			return &e->digests[i];
	return NULL;
}

/*
 * What an event's digest is a digest of, per type (TCG PC Client Platform
 * Firmware Profile, "Event Types", and the firmware that writes them).
 * D_DATA: the event data itself, so a replayer can check the two against
 * each other. D_VARDATA: the UEFI_VARIABLE_DATA, or only its VariableData.
 * D_OTHER: something the log does not hold (an image, a blob in memory, a
 * file), or a definition vtrust cannot confirm; the data is then only a
 * description and is not checked.
 */
enum digest_of {
	D_OTHER,
	D_DATA,
	D_VARDATA,
};

static const struct {
	uint32_t type;
	const char *name;
	enum digest_of digest;
} event_types[] = {
	{ EV_PREBOOT_CERT, "EV_PREBOOT_CERT", D_OTHER },
	/* the digest is of the POST code; the data only says where it is */
	{ EV_POST_CODE, "EV_POST_CODE", D_OTHER },
	{ EV_UNUSED, "EV_UNUSED", D_OTHER },
	/* not extended at all: the parser requires zero digests */
	{ EV_NO_ACTION, "EV_NO_ACTION", D_OTHER },
	/* the 4-byte separator value */
	{ EV_SEPARATOR, "EV_SEPARATOR", D_DATA },
	/* an ASCII string (SeaBIOS: "Calling INT 19h") */
	{ EV_ACTION, "EV_ACTION", D_DATA },
	/*
	 * TCG_PCClientTaggedEvent: SeaBIOS digests the whole structure, but
	 * Linux's EFI stub logs its initrd and command line as tagged events
	 * whose digest is of the initrd and the command line themselves.
	 */
	{ EV_EVENT_TAG, "EV_EVENT_TAG", D_OTHER },
	{ EV_S_CRTM_CONTENTS, "EV_S_CRTM_CONTENTS", D_OTHER },
	/* the version string, as OVMF measures it */
	{ EV_S_CRTM_VERSION, "EV_S_CRTM_VERSION", D_DATA },
	{ EV_CPU_MICROCODE, "EV_CPU_MICROCODE", D_OTHER },
	{ EV_PLATFORM_CONFIG_FLAGS, "EV_PLATFORM_CONFIG_FLAGS", D_DATA },
	/* not confirmed by any firmware at hand */
	{ EV_TABLE_OF_DEVICES, "EV_TABLE_OF_DEVICES", D_OTHER },
	/* the data that was hashed is the event data */
	{ EV_COMPACT_HASH, "EV_COMPACT_HASH", D_DATA },
	/*
	 * The digest is of the IPL code or data that was measured; the event
	 * data describes it. GRUB digests a command without the "grub_cmd: "
	 * prefix and NUL that its event data has, and a file's contents under
	 * the file's name; shim digests MokList and the like under their name.
	 */
	{ EV_IPL, "EV_IPL", D_OTHER },
	{ EV_IPL_PARTITION_DATA, "EV_IPL_PARTITION_DATA", D_OTHER },
	{ EV_NONHOST_CODE, "EV_NONHOST_CODE", D_OTHER },
	{ EV_NONHOST_CONFIG, "EV_NONHOST_CONFIG", D_OTHER },
	{ EV_NONHOST_INFO, "EV_NONHOST_INFO", D_OTHER },
	/* the string "BOOT ATTEMPTS OMITTED" */
	{ EV_OMIT_BOOT_DEVICE_EVENTS, "EV_OMIT_BOOT_DEVICE_EVENTS", D_DATA },
	{ EV_POST_CODE2, "EV_POST_CODE2", D_OTHER },
	{ EV_EFI_EVENT_BASE, "EV_EFI_EVENT_BASE", D_OTHER },
	/* the whole UEFI_VARIABLE_DATA (SecureBoot, PK, KEK, db, dbx) */
	{ EV_EFI_VARIABLE_DRIVER_CONFIG, "EV_EFI_VARIABLE_DRIVER_CONFIG",
	  D_DATA },
	/*
	 * The PFP digests the whole UEFI_VARIABLE_DATA, but EDK2 (OVMF)
	 * digests only the VariableData of BootOrder and Boot#### (the OVMF
	 * captures in tests/data show it). EV_EFI_VARIABLE_BOOT2 (PFP 1.05)
	 * gets the same leeway: firmware that moved from one to the other may
	 * have kept its digest. Either way the digest covers the variable's
	 * contents; with the short form its name and GUID are not covered.
	 */
	{ EV_EFI_VARIABLE_BOOT, "EV_EFI_VARIABLE_BOOT", D_VARDATA },
	{ EV_EFI_BOOT_SERVICES_APPLICATION, "EV_EFI_BOOT_SERVICES_APPLICATION",
	  D_OTHER },
	{ EV_EFI_BOOT_SERVICES_DRIVER, "EV_EFI_BOOT_SERVICES_DRIVER", D_OTHER },
	{ EV_EFI_RUNTIME_SERVICES_DRIVER, "EV_EFI_RUNTIME_SERVICES_DRIVER",
	  D_OTHER },
	/* UEFI_GPT_DATA: the header and the partition entries */
	{ EV_EFI_GPT_EVENT, "EV_EFI_GPT_EVENT", D_DATA },
	/* an ASCII string ("Calling EFI Application from Boot Option") */
	{ EV_EFI_ACTION, "EV_EFI_ACTION", D_DATA },
	{ EV_EFI_PLATFORM_FIRMWARE_BLOB, "EV_EFI_PLATFORM_FIRMWARE_BLOB",
	  D_OTHER },
	{ EV_EFI_HANDOFF_TABLES, "EV_EFI_HANDOFF_TABLES", D_OTHER },
	{ EV_EFI_PLATFORM_FIRMWARE_BLOB2, "EV_EFI_PLATFORM_FIRMWARE_BLOB2",
	  D_OTHER },
	{ EV_EFI_HANDOFF_TABLES2, "EV_EFI_HANDOFF_TABLES2", D_OTHER },
	{ EV_EFI_VARIABLE_BOOT2, "EV_EFI_VARIABLE_BOOT2", D_VARDATA },
	/* not confirmed by any firmware at hand */
	{ EV_EFI_GPT_EVENT2, "EV_EFI_GPT_EVENT2", D_OTHER },
	/*
	 * The data is the string "HCRTM"; the digest is what the TPM computed
	 * over the H-CRTM itself (TPM2_HashStart/SequenceUpdate at locality 4).
	 */
	{ EV_EFI_HCRTM_EVENT, "EV_EFI_HCRTM_EVENT", D_OTHER },
	/* the whole UEFI_VARIABLE_DATA of the db entry that allowed an image */
	{ EV_EFI_VARIABLE_AUTHORITY, "EV_EFI_VARIABLE_AUTHORITY", D_DATA },
	{ EV_EFI_SPDM_FIRMWARE_BLOB, "EV_EFI_SPDM_FIRMWARE_BLOB", D_OTHER },
	{ EV_EFI_SPDM_FIRMWARE_CONFIG, "EV_EFI_SPDM_FIRMWARE_CONFIG", D_OTHER },
	{ EV_EFI_SPDM_DEVICE_POLICY, "EV_EFI_SPDM_DEVICE_POLICY", D_OTHER },
	{ EV_EFI_SPDM_DEVICE_AUTHORITY, "EV_EFI_SPDM_DEVICE_AUTHORITY",
	  D_OTHER },
};

#define NR_EVENT_TYPES (sizeof(event_types) / sizeof(event_types[0]))

static int type_index(uint32_t type)
{
	unsigned int i;

	for (i = 0; i < NR_EVENT_TYPES; i++)
		if (event_types[i].type == type)
			return i;
	return -1;
}

const char *uefilog_type_name(uint32_t type)
{
	int i = type_index(type);

	return i < 0 ? NULL : event_types[i].name;
}

bool uefilog_digest_covers_data(const struct uefilog_event *e,
				const struct uefilog_info *in,
				const uint8_t **alt, size_t *alt_len)
{
	int i = type_index(e->type);

	*alt = NULL;
	*alt_len = 0;
	if (i < 0 || event_types[i].digest == D_OTHER)
		return false;
	if (event_types[i].digest == D_VARDATA &&
	    in->kind == UEFILOG_K_VARIABLE) {
		*alt = in->u.var.data;
		*alt_len = in->u.var.data_len;
	}
	return true;
}

bool uefilog_separator_error(const struct uefilog_event *e,
			     const struct uefilog_info *in)
{
	if (e->type != EV_SEPARATOR || in->kind != UEFILOG_K_SEPARATOR ||
	    !in->u.separator)
		return false;
	/* conventional BIOS: 0xFFFFFFFF is SeaBIOS's ordinary separator */
	return in->u.separator != 0xffffffff || e->after_efi;
}

/* ---- event data ---- */

static bool is_text_byte(uint8_t c)
{
	return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' || c == '\r';
}

/* Printable ASCII, then only NULs (none at all is fine). */
static bool looks_ascii(const uint8_t *p, size_t len)
{
	size_t i = 0;

	while (i < len && p[i])
		if (!is_text_byte(p[i++]))
			return false;
	while (i < len)
		if (p[i++])
			return false;
	return true;
}

/* UTF-16LE text without control characters, then only NUL units. */
static bool looks_utf16(const uint8_t *p, size_t len)
{
	size_t i = 0;
	uint16_t c;

	if (len % 2 || !len)
		return false;
	for (; i < len; i += 2) {
		c = get16(p + i);
		if (!c)
			break;
		if (c < 0x80 ? !is_text_byte(c) : c == 0xfffe || c == 0xffff)
			return false;
	}
	for (; i < len; i += 2)
		if (get16(p + i))
			return false;
	return true;
}

/* Strip NULs at the end of a string's bytes (units of @unit bytes). */
static uint32_t text_len(const uint8_t *p, uint32_t len, unsigned int unit)
{
	while (len >= unit && (unit == 1 ? !p[len - 1] : !get16(p + len - 2)))
		len -= unit;
	return len;
}

static bool decode_string(const struct uefilog_event *e,
			  struct uefilog_info *in)
{
	if (looks_ascii(e->data, e->data_len)) {
		in->kind = UEFILOG_K_STRING;
		in->u.str.text = e->data;
		in->u.str.len = text_len(e->data, e->data_len, 1);
		in->u.str.utf16 = false;
		return true;
	}
	if (looks_utf16(e->data, e->data_len)) {
		in->kind = UEFILOG_K_STRING;
		in->u.str.text = e->data;
		in->u.str.len = text_len(e->data, e->data_len, 2);
		in->u.str.utf16 = true;
		return true;
	}
	return false;
}

static void decode_no_action(const struct uefilog *l,
			     const struct uefilog_event *e,
			     struct uefilog_info *in)
{
	unsigned int i;

	if (!e->index && l->agile) {
		in->kind = UEFILOG_K_SPEC_ID;
		return;
	}
	if (e->data_len < 16 || e->data[15])
		return;
	for (i = 0; i < 15 && e->data[i]; i++)
		if (e->data[i] < 0x20 || e->data[i] >= 0x7f)
			return;
	if (!i)
		return;
	if (e->data_len == 17 && !memcmp(e->data, UEFILOG_LOCALITY_SIG, 16)) {
		in->kind = UEFILOG_K_LOCALITY;
		in->u.locality.locality = e->data[16];
		return;
	}
	in->kind = UEFILOG_K_NO_ACTION;
	memcpy(in->u.no_action.signature, e->data, i);
	in->u.no_action.signature[i] = '\0';
	in->u.no_action.rest = e->data + 16;
	in->u.no_action.rest_len = e->data_len - 16;
}

/* UEFI_VARIABLE_DATA */
static void decode_variable(const struct uefilog_event *e,
			    struct uefilog_info *in)
{
	const uint8_t *p = e->data;
	uint64_t nlen, dlen, left;

	if (e->data_len < 32)
		return;
	nlen = get64(p + 16);
	dlen = get64(p + 24);
	left = e->data_len - 32;
	if (nlen > left / 2 || dlen != left - 2 * nlen)
		return;
	in->kind = UEFILOG_K_VARIABLE;
	memcpy(in->u.var.guid.b, p, 16);
	in->u.var.name = p + 32;
	in->u.var.name_len = nlen;
	in->u.var.data = p + 32 + 2 * nlen;
	in->u.var.data_len = dlen;
}

/* UEFI_IMAGE_LOAD_EVENT */
static void decode_image(const struct uefilog_event *e,
			 struct uefilog_info *in)
{
	const uint8_t *p = e->data;

	if (e->data_len < 32 || get64(p + 24) != e->data_len - 32)
		return;
	in->kind = UEFILOG_K_IMAGE;
	in->u.image.location = get64(p);
	in->u.image.length = get64(p + 8);
	in->u.image.link_address = get64(p + 16);
	in->u.image.devpath = p + 32;
	in->u.image.devpath_len = e->data_len - 32;
}

/* UEFI_PLATFORM_FIRMWARE_BLOB, or BLOB2 with its description */
static void decode_blob(const struct uefilog_event *e, bool two,
			struct uefilog_info *in)
{
	const uint8_t *p = e->data;
	uint32_t d = 0;

	if (two) {
		if (!e->data_len)
			return;
		d = 1 + (uint32_t)p[0];
	}
	if (e->data_len != d + 16)
		return;
	in->kind = UEFILOG_K_BLOB;
	in->u.blob.desc = two ? p + 1 : NULL;
	in->u.blob.desc_len = two ? p[0] : 0;
	in->u.blob.base = get64(p + d);
	in->u.blob.length = get64(p + d + 8);
}

/* UEFI_HANDOFF_TABLE_POINTERS, or TABLE_POINTERS2 with its description */
static void decode_handoff(const struct uefilog_event *e, bool two,
			   struct uefilog_info *in)
{
	const uint8_t *p = e->data;
	uint32_t d = 0;
	uint64_t n;

	if (two) {
		if (!e->data_len)
			return;
		d = 1 + (uint32_t)p[0];
	}
	if (e->data_len < d + 8)
		return;
	n = get64(p + d);
	if (n != (e->data_len - d - 8) / 24 ||
	    (e->data_len - d - 8) % 24)
		return;
	in->kind = UEFILOG_K_HANDOFF;
	in->u.handoff.desc = two ? p + 1 : NULL;
	in->u.handoff.desc_len = two ? p[0] : 0;
	in->u.handoff.count = n;
	in->u.handoff.tables = p + d + 8;
}

#define GPT_HEADER_SIZE	92	/* EFI_PARTITION_TABLE_HEADER */
#define GPT_ENTRY_MIN	128	/* EFI_PARTITION_ENTRY */

/* UEFI_GPT_DATA */
static void decode_gpt(const struct uefilog_event *e, struct uefilog_info *in)
{
	const uint8_t *p = e->data;
	uint32_t esize;
	uint64_t n, left;

	if (e->data_len < GPT_HEADER_SIZE + 8)
		return;
	esize = get32(p + 84);
	n = get64(p + GPT_HEADER_SIZE);
	left = e->data_len - GPT_HEADER_SIZE - 8;
	if (esize < GPT_ENTRY_MIN || n > left / esize || n * esize != left)
		return;
	in->kind = UEFILOG_K_GPT;
	in->u.gpt.header = p;
	memcpy(in->u.gpt.disk_guid.b, p + 56, 16);
	in->u.gpt.entry_size = esize;
	in->u.gpt.count = n;
	in->u.gpt.entries = p + GPT_HEADER_SIZE + 8;
}

/* TCG_PCClientTaggedEvent */
static void decode_tagged(const struct uefilog_event *e,
			  struct uefilog_info *in)
{
	if (e->data_len < 8 || get32(e->data + 4) != e->data_len - 8)
		return;
	in->kind = UEFILOG_K_TAGGED;
	in->u.tagged.id = get32(e->data);
	in->u.tagged.data = e->data + 8;
	in->u.tagged.len = e->data_len - 8;
}

void uefilog_decode(const struct uefilog *l, const struct uefilog_event *e,
		    struct uefilog_info *in)
{
	memset(in, 0, sizeof(*in));
	in->kind = UEFILOG_K_RAW;
	switch (e->type) {
	case EV_NO_ACTION:
		decode_no_action(l, e, in);
		break;
	case EV_SEPARATOR:
		if (e->data_len == 4) {
			in->kind = UEFILOG_K_SEPARATOR;
			in->u.separator = get32(e->data);
		}
		break;
	case EV_EFI_VARIABLE_DRIVER_CONFIG:
	case EV_EFI_VARIABLE_BOOT:
	case EV_EFI_VARIABLE_BOOT2:
	case EV_EFI_VARIABLE_AUTHORITY:
		decode_variable(e, in);
		break;
	case EV_EFI_BOOT_SERVICES_APPLICATION:
	case EV_EFI_BOOT_SERVICES_DRIVER:
	case EV_EFI_RUNTIME_SERVICES_DRIVER:
		decode_image(e, in);
		break;
	case EV_EFI_PLATFORM_FIRMWARE_BLOB:
		decode_blob(e, false, in);
		break;
	case EV_EFI_PLATFORM_FIRMWARE_BLOB2:
		decode_blob(e, true, in);
		break;
	case EV_EFI_HANDOFF_TABLES:
		decode_handoff(e, false, in);
		break;
	case EV_EFI_HANDOFF_TABLES2:
		decode_handoff(e, true, in);
		break;
	case EV_EFI_GPT_EVENT:
		decode_gpt(e, in);
		break;
	case EV_EVENT_TAG:
		decode_tagged(e, in);
		break;
	case EV_POST_CODE:
	case EV_S_CRTM_CONTENTS:
		/* a string, or a UEFI_PLATFORM_FIRMWARE_BLOB */
		if (!decode_string(e, in))
			decode_blob(e, false, in);
		break;
	case EV_ACTION:
	case EV_EFI_ACTION:
	case EV_IPL:
	case EV_S_CRTM_VERSION:
	case EV_POST_CODE2:
	case EV_PLATFORM_CONFIG_FLAGS:
	case EV_COMPACT_HASH:
	case EV_OMIT_BOOT_DEVICE_EVENTS:
	case EV_NONHOST_INFO:
	case EV_EFI_HCRTM_EVENT:
		decode_string(e, in);
		break;
	default:
		break;
	}
}

/* ---- text ---- */

/*
 * An output buffer that truncates; out is always NUL-terminated. Text goes
 * in as pieces (one ASCII byte, a character's UTF-8 bytes, an escape) that
 * are written whole or not at all, and after the first piece that does not
 * fit nothing more is, so the text ends between two characters.
 */
struct sbuf {
	char *out;
	size_t size, len;
	bool full;
};

static void sb_init(struct sbuf *b, char *out, size_t size)
{
	b->out = out;
	b->size = size;
	b->len = 0;
	b->full = !size;
	if (size)
		out[0] = '\0';
}

static void sb_put(struct sbuf *b, const char *p, size_t n)
{
	if (b->full || n >= b->size - b->len) {
		b->full = true;
		return;
	}
	memcpy(b->out + b->len, p, n);
	b->len += n;
	b->out[b->len] = '\0';
}

static void sb_putc(struct sbuf *b, char c)
{
	sb_put(b, &c, 1);
}

/* ASCII text: each byte is a piece */
static void sb_puts(struct sbuf *b, const char *s)
{
	while (*s)
		sb_put(b, s++, 1);
}

/* ASCII text, as sb_puts() */
__attribute__((format(printf, 2, 3)))
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	sb_puts(b, tmp);
}

static void sb_hex(struct sbuf *b, const uint8_t *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		sb_putc(b, digits[p[i] >> 4]);
		sb_putc(b, digits[p[i] & 15]);
	}
}

bool uefilog_char_escaped(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x061c ||
	       c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* One code point as UTF-8, or an escape for control and bidi characters. */
static void sb_char(struct sbuf *b, uint32_t c)
{
	char u[8];
	size_t n;

	if (uefilog_char_escaped(c)) {
		n = snprintf(u, sizeof(u), c < 0x80 ? "\\x%02x" : "\\u%04x",
			     c);
		sb_put(b, u, n);
		return;
	}
	if (c < 0x80) {
		u[0] = c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = 0xc0 | c >> 6;
		u[1] = 0x80 | (c & 0x3f);
		n = 2;
	} else if (c < 0x10000) {
		u[0] = 0xe0 | c >> 12;
		u[1] = 0x80 | ((c >> 6) & 0x3f);
		u[2] = 0x80 | (c & 0x3f);
		n = 3;
	} else {
		u[0] = 0xf0 | c >> 18;
		u[1] = 0x80 | ((c >> 12) & 0x3f);
		u[2] = 0x80 | ((c >> 6) & 0x3f);
		u[3] = 0x80 | (c & 0x3f);
		n = 4;
	}
	sb_put(b, u, n);
}

static void sb_text(struct sbuf *b, const uint8_t *p, size_t len, bool utf16)
{
	size_t i;
	uint32_t c, lo;

	if (!utf16) {
		for (i = 0; i < len && p[i]; i++)
			sb_char(b, p[i] < 0x80 ? p[i] : 0xfffd);
		return;
	}
	for (i = 0; i + 1 < len; i += 2) {
		c = get16(p + i);
		if (!c)
			break;
		if (c >= 0xd800 && c < 0xdc00 && i + 3 < len) {
			lo = get16(p + i + 2);
			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			} else {
				c = 0xfffd;
			}
		} else if (c >= 0xd800 && c < 0xe000) {
			c = 0xfffd;
		}
		sb_char(b, c);
	}
}

size_t uefilog_text(const uint8_t *p, size_t len, bool utf16, char *out,
		    size_t size)
{
	struct sbuf b;

	sb_init(&b, out, size);
	sb_text(&b, p, len, utf16);
	return b.len;
}

void uefilog_guid_str(const struct uefilog_guid *g, char *out)
{
	const uint8_t *b = g->b;

	snprintf(out, 37,
		 "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 get32(b), get16(b + 4), get16(b + 6), b[8], b[9], b[10],
		 b[11], b[12], b[13], b[14], b[15]);
}

static const struct {
	const char *guid;
	const char *name;
} guid_names[] = {
	{ "8be4df61-93ca-11d2-aa0d-00e098032b8c", "EFI_GLOBAL_VARIABLE" },
	{ "d719b2cb-3d3a-4596-a3bc-dad00e67656f", "EFI_IMAGE_SECURITY_DATABASE" },
	{ "605dab50-e046-4300-abb6-3dd810dd8b23", "SHIM_LOCK" },
	{ "eb9d2d31-2d88-11d3-9a16-0090273fc14d", "SMBIOS_TABLE" },
	{ "f2fd1544-9794-4a2c-992e-e5bbcf20e394", "SMBIOS3_TABLE" },
	{ "eb9d2d30-2d88-11d3-9a16-0090273fc14d", "ACPI_TABLE" },
	{ "8868e871-e4f1-11d3-bc22-0080c73c8881", "ACPI_20_TABLE" },
	{ "1e2ed096-30e2-4254-bd89-863bbef82325", "TCG2_FINAL_EVENTS_TABLE" },
	{ "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f", "LINUX_EFI_INITRD_MEDIA" },
};

const char *uefilog_guid_name(const struct uefilog_guid *g)
{
	char s[37];
	unsigned int i;

	uefilog_guid_str(g, s);
	for (i = 0; i < sizeof(guid_names) / sizeof(guid_names[0]); i++)
		if (!strcmp(s, guid_names[i].guid))
			return guid_names[i].name;
	return NULL;
}

static void sb_guid(struct sbuf *b, const uint8_t *p)
{
	struct uefilog_guid g;
	char s[37];

	memcpy(g.b, p, 16);
	uefilog_guid_str(&g, s);
	sb_puts(b, s);
}

/* One device path node's text; @p points at its data, @n bytes of it. */
static void devpath_node(struct sbuf *b, uint8_t type, uint8_t sub,
			 const uint8_t *p, size_t n)
{
	uint32_t hid;

	switch (type << 8 | sub) {
	case 0x0101:	/* PCI */
		if (n == 2) {
			sb_printf(b, "Pci(0x%x,0x%x)", p[1], p[0]);
			return;
		}
		break;
	case 0x0103:	/* memory mapped */
		if (n == 20) {
			sb_printf(b, "MemoryMapped(0x%x,0x%llx,0x%llx)",
				  get32(p), (unsigned long long)get64(p + 4),
				  (unsigned long long)get64(p + 12));
			return;
		}
		break;
	case 0x0104:	/* vendor hardware */
	case 0x030a:	/* vendor messaging */
	case 0x0403:	/* vendor media */
		if (n >= 16) {
			sb_puts(b, type == 1 ? "VenHw(" : type == 3 ?
				"VenMsg(" : "VenMedia(");
			sb_guid(b, p);
			if (n > 16) {
				sb_putc(b, ',');
				sb_hex(b, p + 16, n - 16);
			}
			sb_putc(b, ')');
			return;
		}
		break;
	case 0x0201:	/* ACPI */
		if (n == 8) {
			hid = get32(p);
			if (hid == 0x0a0341d0)
				sb_printf(b, "PciRoot(0x%x)", get32(p + 4));
			else if (hid == 0x0a0841d0)
				sb_printf(b, "PcieRoot(0x%x)", get32(p + 4));
			else
				sb_printf(b, "Acpi(0x%08x,0x%x)", hid,
					  get32(p + 4));
			return;
		}
		break;
	case 0x0302:	/* SCSI */
		if (n == 4) {
			sb_printf(b, "Scsi(0x%x,0x%x)", get16(p), get16(p + 2));
			return;
		}
		break;
	case 0x0312:	/* SATA */
		if (n == 6) {
			sb_printf(b, "Sata(0x%x,0x%x,0x%x)", get16(p),
				  get16(p + 2), get16(p + 4));
			return;
		}
		break;
	case 0x0317:	/* NVMe namespace */
		if (n == 12) {
			sb_printf(b, "NVMe(0x%x,", get32(p));
			sb_hex(b, p + 4, 8);
			sb_putc(b, ')');
			return;
		}
		break;
	case 0x0401:	/* hard drive */
		if (n == 38) {
			sb_printf(b, "HD(%u,", get32(p));
			if (p[37] == 2) {
				sb_puts(b, "GPT,");
				sb_guid(b, p + 20);
			} else if (p[37] == 1) {
				sb_printf(b, "MBR,0x%08x", get32(p + 20));
			} else {
				sb_printf(b, "%u,", p[37]);
				sb_hex(b, p + 20, 16);
			}
			sb_printf(b, ",0x%llx,0x%llx)",
				  (unsigned long long)get64(p + 4),
				  (unsigned long long)get64(p + 12));
			return;
		}
		break;
	case 0x0402:	/* CD-ROM */
		if (n == 20) {
			sb_printf(b, "CDROM(0x%x,0x%llx,0x%llx)", get32(p),
				  (unsigned long long)get64(p + 4),
				  (unsigned long long)get64(p + 12));
			return;
		}
		break;
	case 0x0404:	/* file path */
		sb_text(b, p, n, true);
		return;
	case 0x0406:	/* PIWG firmware file */
	case 0x0407:	/* PIWG firmware volume */
		if (n == 16) {
			sb_puts(b, sub == 6 ? "FvFile(" : "Fv(");
			sb_guid(b, p);
			sb_putc(b, ')');
			return;
		}
		break;
	case 0x0408:	/* relative offset range */
		if (n == 20) {
			sb_printf(b, "Offset(0x%llx,0x%llx)",
				  (unsigned long long)get64(p + 4),
				  (unsigned long long)get64(p + 12));
			return;
		}
		break;
	default:
		break;
	}
	sb_printf(b, "Path(%u,%u,", type, sub);
	sb_hex(b, p, n);
	sb_putc(b, ')');
}

static void sb_devpath(struct sbuf *b, const uint8_t *p, size_t len)
{
	size_t pos = 0;
	uint16_t nlen;
	bool first = true;

	while (pos < len) {
		if (len - pos < 4 || (nlen = get16(p + pos + 2)) < 4 ||
		    nlen > len - pos) {
			sb_puts(b, first ? "<bad>" : "/<bad>");
			return;
		}
		if (p[pos] == 0x7f) {
			if (p[pos + 1] == 0xff)
				return;
			sb_putc(b, ',');
			first = true;
			pos += nlen;
			continue;
		}
		if (!first)
			sb_putc(b, '/');
		devpath_node(b, p[pos], p[pos + 1], p + pos + 4, nlen - 4);
		first = false;
		pos += nlen;
	}
}

size_t uefilog_devpath_text(const uint8_t *p, size_t len, char *out,
			    size_t size)
{
	struct sbuf b;

	sb_init(&b, out, size);
	sb_devpath(&b, p, len);
	return b.len;
}

/* At most 32 bytes of hex, with "..." if there is more. */
static void sb_short_hex(struct sbuf *b, const uint8_t *p, size_t len)
{
	sb_hex(b, p, len > 32 ? 32 : len);
	if (len > 32)
		sb_puts(b, "...");
}

/* "tables EFI_GLOBAL_VARIABLE 8868e871-..." */
static void sb_tables(struct sbuf *b, const struct uefilog_info *in)
{
	struct uefilog_guid g;
	const char *name;
	uint64_t i;

	sb_puts(b, "tables");
	for (i = 0; i < in->u.handoff.count; i++) {
		memcpy(g.b, in->u.handoff.tables + 24 * i, 16);
		name = uefilog_guid_name(&g);
		sb_putc(b, ' ');
		if (name)
			sb_puts(b, name);
		else
			sb_guid(b, g.b);
	}
}

void uefilog_describe(const struct uefilog_event *e,
		      const struct uefilog_info *in, char *out, size_t size)
{
	struct sbuf b;

	sb_init(&b, out, size);
	switch (in->kind) {
	case UEFILOG_K_SPEC_ID:
		sb_puts(&b, UEFILOG_SPEC_ID_SIG);
		break;
	case UEFILOG_K_LOCALITY:
		sb_printf(&b, "%s %u", UEFILOG_LOCALITY_SIG,
			  in->u.locality.locality);
		break;
	case UEFILOG_K_NO_ACTION:
		sb_puts(&b, in->u.no_action.signature);
		break;
	case UEFILOG_K_SEPARATOR:
		if (in->u.separator)
			sb_printf(&b, "separator 0x%08x", in->u.separator);
		else
			sb_puts(&b, "separator");
		break;
	case UEFILOG_K_STRING:
		sb_text(&b, in->u.str.text, in->u.str.len, in->u.str.utf16);
		break;
	case UEFILOG_K_VARIABLE:
		sb_text(&b, in->u.var.name, 2 * in->u.var.name_len, true);
		break;
	case UEFILOG_K_IMAGE:
		sb_devpath(&b, in->u.image.devpath, in->u.image.devpath_len);
		break;
	case UEFILOG_K_BLOB:
		if (in->u.blob.desc) {
			sb_text(&b, in->u.blob.desc, in->u.blob.desc_len,
				false);
			if (b.len)
				sb_putc(&b, ' ');
		}
		sb_printf(&b, "blob 0x%llx+0x%llx",
			  (unsigned long long)in->u.blob.base,
			  (unsigned long long)in->u.blob.length);
		break;
	case UEFILOG_K_HANDOFF:
		if (in->u.handoff.desc)
			sb_text(&b, in->u.handoff.desc, in->u.handoff.desc_len,
				false);
		if (!b.len)
			sb_tables(&b, in);
		break;
	case UEFILOG_K_GPT:
		sb_puts(&b, "GPT ");
		sb_guid(&b, in->u.gpt.disk_guid.b);
		break;
	case UEFILOG_K_TAGGED:
		sb_printf(&b, "tag 0x%08x ", in->u.tagged.id);
		if (looks_ascii(in->u.tagged.data, in->u.tagged.len))
			sb_text(&b, in->u.tagged.data, in->u.tagged.len,
				false);
		else
			sb_short_hex(&b, in->u.tagged.data, in->u.tagged.len);
		break;
	case UEFILOG_K_RAW:
		if (e->data_len)
			sb_short_hex(&b, e->data, e->data_len);
		else
			sb_puts(&b, "(no data)");
		break;
	}
	if (!b.len) {
		b.full = !size;
		sb_puts(&b, "(empty)");
	}
}
