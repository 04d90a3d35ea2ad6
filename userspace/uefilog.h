/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A pure parser of TCG firmware event logs, the log that the kernel shows in
 * /sys/kernel/security/tpm0/binary_bios_measurements. It does no I/O and
 * allocates nothing: the caller holds the whole log in memory (firmware logs
 * are kilobytes) and the parser hands out one event at a time, with pointers
 * into that buffer. Every size field is checked against the bytes that
 * remain before it is used. All integers are little-endian.
 *
 * Crypto-agile log (TCG PC Client Platform Firmware Profile, "Event Logging"):
 * the first event is a TCG_PCR_EVENT in the SHA-1 format,
 *
 *	u32 pcr_index			0
 *	u32 event_type			EV_NO_ACTION
 *	u8  digest[20]			zero
 *	u32 event_size
 *	u8  event[event_size]		TCG_EfiSpecIDEvent:
 *		u8  signature[16]	"Spec ID Event03\0"
 *		u32 platform_class
 *		u8  spec_version_minor, spec_version_major, spec_errata
 *		u8  uintn_size
 *		u32 number_of_algorithms
 *		{ u16 algorithm_id; u16 digest_size; } [number_of_algorithms]
 *		u8  vendor_info_size
 *		u8  vendor_info[vendor_info_size]
 *
 * and every later event is a TCG_PCR_EVENT2:
 *
 *	u32 pcr_index
 *	u32 event_type
 *	u32 digest_count		TPML_DIGEST_VALUES
 *	{ u16 hash_alg; u8 digest[size of hash_alg from the Spec ID event]; }
 *					[digest_count]
 *	u32 event_size
 *	u8  event[event_size]
 *
 * A log whose first event is not a Spec ID Event03 is read as a SHA-1 log
 * (TPM 1.2 and EFI_TCG2_EVENT_LOG_FORMAT_TCG_1_2): every event is a
 * TCG_PCR_EVENT.
 *
 * Bytes after the last event that are all 0x00 or all 0xFF (an ACPI log area
 * that the firmware did not fill, or an erased one in an offline copy) end
 * the log; struct uefilog counts them. The parser also rejects what the PC
 * Client PFP forbids in any event log: a PCR index of 24 or more, an
 * EV_NO_ACTION event with a non-zero digest, a Spec ID event outside PCR 0,
 * and a StartupLocality event anywhere but in PCR 0 before the first event
 * that extends PCR 0 (there may be one, with locality 0, 3 or 4).
 *
 * uefilog_decode() then types an event's data by its event type; data it
 * cannot type (an unknown event type, or a known one whose data does not
 * have the expected layout) is kind UEFILOG_K_RAW, which is not an error.
 */
#ifndef VTRUST_UEFILOG_H
#define VTRUST_UEFILOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Event types (TCG PC Client Platform Firmware Profile, table 9). */
#define EV_PREBOOT_CERT			0x00000000
#define EV_POST_CODE			0x00000001
#define EV_UNUSED			0x00000002
#define EV_NO_ACTION			0x00000003
#define EV_SEPARATOR			0x00000004
#define EV_ACTION			0x00000005
#define EV_EVENT_TAG			0x00000006
#define EV_S_CRTM_CONTENTS		0x00000007
#define EV_S_CRTM_VERSION		0x00000008
#define EV_CPU_MICROCODE		0x00000009
#define EV_PLATFORM_CONFIG_FLAGS	0x0000000a
#define EV_TABLE_OF_DEVICES		0x0000000b
#define EV_COMPACT_HASH			0x0000000c
#define EV_IPL				0x0000000d
#define EV_IPL_PARTITION_DATA		0x0000000e
#define EV_NONHOST_CODE			0x0000000f
#define EV_NONHOST_CONFIG		0x00000010
#define EV_NONHOST_INFO			0x00000011
#define EV_OMIT_BOOT_DEVICE_EVENTS	0x00000012
#define EV_POST_CODE2			0x00000013
#define EV_EFI_EVENT_BASE		0x80000000
#define EV_EFI_VARIABLE_DRIVER_CONFIG	0x80000001
#define EV_EFI_VARIABLE_BOOT		0x80000002
#define EV_EFI_BOOT_SERVICES_APPLICATION 0x80000003
#define EV_EFI_BOOT_SERVICES_DRIVER	0x80000004
#define EV_EFI_RUNTIME_SERVICES_DRIVER	0x80000005
#define EV_EFI_GPT_EVENT		0x80000006
#define EV_EFI_ACTION			0x80000007
#define EV_EFI_PLATFORM_FIRMWARE_BLOB	0x80000008
#define EV_EFI_HANDOFF_TABLES		0x80000009
#define EV_EFI_PLATFORM_FIRMWARE_BLOB2	0x8000000a
#define EV_EFI_HANDOFF_TABLES2		0x8000000b
#define EV_EFI_VARIABLE_BOOT2		0x8000000c
#define EV_EFI_GPT_EVENT2		0x8000000d
#define EV_EFI_HCRTM_EVENT		0x80000010
#define EV_EFI_VARIABLE_AUTHORITY	0x800000e0
#define EV_EFI_SPDM_FIRMWARE_BLOB	0x800000e1
#define EV_EFI_SPDM_FIRMWARE_CONFIG	0x800000e2
#define EV_EFI_SPDM_DEVICE_POLICY	0x800000e3
#define EV_EFI_SPDM_DEVICE_AUTHORITY	0x800000e4

#define UEFILOG_SPEC_ID_SIG	"Spec ID Event03"	/* 16 bytes with its NUL */
#define UEFILOG_LOCALITY_SIG	"StartupLocality"	/* 16 bytes with its NUL */

#define UEFILOG_PCRS		24	/* PCR indexes 0-23 */
#define UEFILOG_ALGS_MAX	16	/* algorithms in the Spec ID event */
#define UEFILOG_DIGEST_MAX	64	/* bytes of one digest */
#define UEFILOG_SHA1_ALG	0x0004
#define UEFILOG_SHA1_SIZE	20

struct uefilog_alg {
	uint16_t id;		/* TPM2_ALG_ID */
	uint16_t size;		/* digest size in bytes, 1..UEFILOG_DIGEST_MAX */
};

struct uefilog_specid {
	uint32_t platform_class;
	uint8_t version_minor;
	uint8_t version_major;
	uint8_t errata;
	uint8_t uintn_size;
	uint32_t nr_algs;
	struct uefilog_alg algs[UEFILOG_ALGS_MAX];
	uint8_t vendor_len;
	const uint8_t *vendor;
};

struct uefilog_digest {
	uint16_t alg;
	uint16_t size;
	const uint8_t *bytes;
};

/* One event; its pointers point into the log buffer. */
struct uefilog_event {
	uint64_t index;		/* 0: the first event of the log */
	size_t offset;		/* of the event in the log */
	size_t size;		/* bytes it takes in the log */
	uint32_t pcr;
	uint32_t type;
	bool sha1_format;	/* a TCG_PCR_EVENT (the header, or a SHA-1 log) */
	unsigned int nr_digests;
	struct uefilog_digest digests[UEFILOG_ALGS_MAX];
	const uint8_t *data;	/* the event data */
	uint32_t data_len;
	bool after_efi;		/* an EV_EFI_* event came before this one */
};

struct uefilog_error {
	size_t offset;		/* of the bad bytes */
	uint64_t index;		/* of the event they belong to */
	char msg[160];		/* why, without offset or index */
};

struct uefilog {
	const uint8_t *buf;
	size_t len;
	size_t pos;		/* offset of the next event */
	size_t tail;		/* where the last bytes, all 0x00 or 0xff, begin */
	uint64_t index;		/* index of the next event */
	bool agile;		/* crypto-agile; else a SHA-1 log */
	struct uefilog_specid spec;	/* agile only */
	/* what the events parsed so far showed */
	int locality;		/* of the StartupLocality event; -1: none */
	bool pcr0_extended;	/* an event that extends PCR 0 came */
	bool efi_seen;		/* an EV_EFI_* event came */
	/* at the end: the padding after the last event */
	size_t pad_len;		/* bytes, 0 if none */
	uint8_t pad_byte;	/* 0x00 or 0xff */
};

/*
 * Start reading the log in buf[0..len): checks and decodes its first event
 * (the Spec ID event of a crypto-agile log). Returns 0, or -1 with *err.
 */
int uefilog_open(struct uefilog *l, const uint8_t *buf, size_t len,
		 struct uefilog_error *err);

/*
 * 1: *e is the next event (the first call gives the header); 0: end (then
 * l->pad_len says how many bytes of padding followed the last event);
 * -1: *err.
 */
int uefilog_next(struct uefilog *l, struct uefilog_event *e,
		 struct uefilog_error *err);

/* The Spec ID entry of algorithm @alg, or NULL if the log has none. */
const struct uefilog_alg *uefilog_find_alg(const struct uefilog *l,
					   uint16_t alg);

/* The event's digest of algorithm @alg, or NULL. */
const struct uefilog_digest *uefilog_event_digest(const struct uefilog_event *e,
						  uint16_t alg);

/* "EV_SEPARATOR", ...; NULL for an unknown type. */
const char *uefilog_type_name(uint32_t type);

/* ---- event data ---- */

enum uefilog_kind {
	UEFILOG_K_RAW,		/* untyped: shown as hex */
	UEFILOG_K_SPEC_ID,	/* EV_NO_ACTION "Spec ID Event03" */
	UEFILOG_K_LOCALITY,	/* EV_NO_ACTION "StartupLocality" */
	UEFILOG_K_NO_ACTION,	/* another EV_NO_ACTION with a signature */
	UEFILOG_K_SEPARATOR,	/* u32 */
	UEFILOG_K_STRING,	/* text: ASCII or UTF-16LE (str_utf16) */
	UEFILOG_K_VARIABLE,	/* UEFI_VARIABLE_DATA */
	UEFILOG_K_IMAGE,	/* UEFI_IMAGE_LOAD_EVENT */
	UEFILOG_K_BLOB,		/* UEFI_PLATFORM_FIRMWARE_BLOB(2) */
	UEFILOG_K_HANDOFF,	/* UEFI_HANDOFF_TABLE_POINTERS(2) */
	UEFILOG_K_GPT,		/* UEFI_GPT_DATA */
	UEFILOG_K_TAGGED,	/* TCG_PCClientTaggedEvent */
};

struct uefilog_guid {
	uint8_t b[16];		/* as stored: the first three fields little-endian */
};

struct uefilog_info {
	enum uefilog_kind kind;
	union {
		struct {
			uint8_t locality;
		} locality;
		struct {			/* UEFILOG_K_NO_ACTION */
			char signature[17];	/* printable, NUL-terminated */
			const uint8_t *rest;
			uint32_t rest_len;
		} no_action;
		uint32_t separator;
		struct {
			const uint8_t *text;	/* without a final NUL */
			uint32_t len;		/* bytes */
			bool utf16;
		} str;
		struct {
			struct uefilog_guid guid;
			const uint8_t *name;	/* UTF-16LE, name_len units */
			uint64_t name_len;
			const uint8_t *data;
			uint64_t data_len;
		} var;
		struct {
			uint64_t location;
			uint64_t length;
			uint64_t link_address;
			const uint8_t *devpath;
			uint64_t devpath_len;
		} image;
		struct {
			const uint8_t *desc;	/* BLOB2 only, else NULL */
			uint8_t desc_len;
			uint64_t base;
			uint64_t length;
		} blob;
		struct {
			const uint8_t *desc;	/* TABLES2 only, else NULL */
			uint8_t desc_len;
			uint64_t count;
			const uint8_t *tables;	/* count * (guid, u64 pointer) */
		} handoff;
		struct {
			const uint8_t *header;	/* EFI_PARTITION_TABLE_HEADER */
			struct uefilog_guid disk_guid;
			uint32_t entry_size;
			uint64_t count;
			const uint8_t *entries;	/* count * entry_size */
		} gpt;
		struct {
			uint32_t id;
			const uint8_t *data;
			uint32_t len;
		} tagged;
	} u;
};

/*
 * Type the event's data. The Spec ID event is decoded from l->spec. Never
 * fails: data without the layout its type calls for is UEFILOG_K_RAW.
 */
void uefilog_decode(const struct uefilog *l, const struct uefilog_event *e,
		    struct uefilog_info *info);

/* GUID in the registry form "8be4df61-93ca-11d2-aa0d-00e098032b8c" (37 bytes). */
void uefilog_guid_str(const struct uefilog_guid *g, char *out);

/* Well-known GUIDs by name ("EFI_GLOBAL_VARIABLE"), else NULL. */
const char *uefilog_guid_name(const struct uefilog_guid *g);

/*
 * Text of @len bytes of ASCII or UTF-16LE (@utf16) into @out as UTF-8,
 * NUL-terminated, stopping at a NUL. Characters below 0x20 and 0x7f become
 * "\xNN"; C1 controls (U+0080-U+009F) and the bidirectional formatting
 * characters (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) become
 * "\uNNNN"; a byte above 0x7f in ASCII text and invalid UTF-16 become
 * U+FFFD. Truncated to fit @size, only between two characters (never
 * inside a UTF-8 sequence or an escape). Returns the length written.
 */
size_t uefilog_text(const uint8_t *p, size_t len, bool utf16, char *out,
		    size_t size);

/*
 * Whether text for a terminal shows code point @c as an escape: C0 controls,
 * DEL, C1 controls and the bidirectional formatting characters, which could
 * move the cursor, recolour or reorder what a person reads.
 */
bool uefilog_char_escaped(uint32_t c);

/*
 * An EFI device path as text ("PciRoot(0x0)/Pci(0x1,0x0)/\EFI\BOOT.EFI"),
 * truncated like uefilog_text(). Nodes it does not know are
 * "Path(type,subtype,hex)"; a malformed path ends in "/<bad>". Returns the
 * length written.
 */
size_t uefilog_devpath_text(const uint8_t *p, size_t len, char *out,
			    size_t size);

/*
 * One line that names the event for people and for baselines: the variable
 * name, the image path, the string, "separator", ... NUL-terminated, valid
 * UTF-8, truncated like uefilog_text(). A name that would be empty (a
 * variable without a name, an image without a device path, an empty
 * string) is "(empty)", so with @size 2 or more the line is never empty.
 */
void uefilog_describe(const struct uefilog_event *e,
		      const struct uefilog_info *info, char *out, size_t size);

/*
 * Whether the TCG PC Client PFP defines the event's digest as a digest of
 * its event data (EV_SEPARATOR, EV_EFI_ACTION, UEFI variables, ...; the
 * table in uefilog.c says which types and why), so that a replayer can
 * check it: a digest that does not match is a log whose data was edited.
 * Sets @alt to another range of the data that firmware may digest instead
 * (the VariableData of a Boot#### variable), or to NULL.
 */
bool uefilog_digest_covers_data(const struct uefilog_event *e,
				const struct uefilog_info *info,
				const uint8_t **alt, size_t *alt_len);

/*
 * Whether the event is a separator that signals a firmware error, which a
 * verifier must not trust. The PFP's separator value is 0x00000000, and
 * 0x00000001 or 0xFFFFFFFF for an error; any other non-zero value is not
 * defined and counts as an error too. Conventional BIOS firmware (SeaBIOS)
 * writes 0xFFFFFFFF as its ordinary separator, so in a log without any
 * EV_EFI_* event before it 0xFFFFFFFF is not an error. A separator whose
 * data is not 4 bytes has no value and is not an error here (its digest
 * then does not match its data; see uefilog_digest_covers_data()).
 */
bool uefilog_separator_error(const struct uefilog_event *e,
			     const struct uefilog_info *info);

#endif /* VTRUST_UEFILOG_H */
