// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * faketpm: a minimal TPM 2.0 served to the kernel through vtpm_proxy.
 *
 * It exists to test PCR banks that no available TPM emulator has (SM3 in
 * particular: Debian's swtpm/libtpms 0.9 has none). This file implements
 * what Linux 6.1 needs to register a TPM 2.0 chip and use its PCRs:
 *
 *   TPM2_Startup, TPM2_SelfTest, TPM2_Shutdown, TPM2_GetCapability
 *   (algorithms, handles, commands, ECC curves, PCR allocation, TPM
 *   properties), TPM2_PCR_Read, TPM2_PCR_Extend (one password session,
 *   empty auth), TPM2_GetRandom, and vtpm_proxy's own
 *   TPM2_CC_SET_LOCALITY;
 *
 * objects.c adds what a vTCM needs for attestation with SM2 keys (an EK,
 * an AK, Quote, ActivateCredential, policy sessions, contexts for the
 * kernel's resource manager). Anything else gets TPM_RC_COMMAND_CODE.
 * Every length in a command is checked; a malformed command gets a TPM
 * error response.
 *
 * Digests, signatures and key derivations are computed with OpenSSL
 * (deliberately not with vtrust's own code), so a test that compares
 * vtrust with this TPM checks vtrust against an independent
 * implementation.
 *
 * Usage: see usage() below.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/vtpm_proxy.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "faketpm.h"

#define TPM_CAP_ALGS 0x00000000
#define TPM_CAP_HANDLES 0x00000001
#define TPM_CAP_COMMANDS 0x00000002
#define TPM_CAP_PCRS 0x00000005
#define TPM_CAP_TPM_PROPERTIES 0x00000006

#define TPM_CAP_ECC_CURVES 0x00000008

#define MAX_PCR_READ_DIGESTS 8	/* TPML_DIGEST holds at most 8 */

/* ---- algorithms and banks --------------------------------------------- */

static const struct alg algs[] = {
	{ 0x0004, "sha1", "SHA1", 20 },
	{ 0x000B, "sha256", "SHA256", 32 },
	{ 0x000C, "sha384", "SHA384", 48 },
	{ 0x000D, "sha512", "SHA512", 64 },
	{ 0x0012, "sm3", "SM3", 32 },
	{ 0x0027, "sha3-256", "SHA3-256", 32 },
	{ 0x0028, "sha3-384", "SHA3-384", 48 },
	{ 0x0029, "sha3-512", "SHA3-512", 64 },
};
#define NR_ALGS (sizeof(algs) / sizeof(algs[0]))

struct bank banks[MAX_BANKS];
unsigned int nr_banks;
static bool started;
static bool allow_duplicates;	/* --duplicate-banks: a hostile TPM */
static uint32_t pcr_update_counter;

static FILE *logfp;
static bool verbose;

void logmsg(const char *fmt, ...)
{
	va_list ap;
	struct timespec ts;

	if (!logfp)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(logfp, "[%5ld.%03ld] ", (long)ts.tv_sec, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(logfp, fmt, ap);
	va_end(ap);
	fputc('\n', logfp);
	fflush(logfp);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("faketpm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

const struct alg *alg_by_id(uint16_t id)
{
	for (unsigned int i = 0; i < NR_ALGS; i++)
		if (algs[i].id == id)
			return &algs[i];
	return NULL;
}

static const struct alg *alg_by_name(const char *name)
{
	for (unsigned int i = 0; i < NR_ALGS; i++)
		if (!strcasecmp(algs[i].name, name))
			return &algs[i];
	return NULL;
}

const EVP_MD *md_of(const struct alg *a)
{
	const EVP_MD *md = EVP_get_digestbyname(a->evp);

	if (md && (unsigned int)EVP_MD_get_size(md) != a->size)
		md = NULL;
	return md;
}

struct bank *bank_by_id(uint16_t id)
{
	for (unsigned int i = 0; i < nr_banks; i++)
		if (banks[i].id == id)
			return &banks[i];
	return NULL;
}

/*
 * A bank spec: an algorithm name (sha1 sha256 sha384 sha512 sm3 sha3-256
 * sha3-384 sha3-512), or ID:SIZE with a hexadecimal TPM algorithm ID (0x...)
 * for a bank of SIZE-byte PCRs. An ID that faketpm knows is computed; any
 * other ID gives a bank that PCR_Read serves (all zeros) and that no
 * PCR_Extend can change.
 */
static void add_bank(const char *spec)
{
	struct bank *b;
	const struct alg *a;
	char *end;

	if (nr_banks == MAX_BANKS)
		die("at most %d banks", MAX_BANKS);
	b = &banks[nr_banks];
	a = alg_by_name(spec);
	if (a) {
		b->id = a->id;
		b->size = a->size;
	} else {
		unsigned long id, size;

		errno = 0;
		id = strtoul(spec, &end, 16);
		if (errno || end == spec || *end != ':' || id == 0 || id > 0xffff)
			die("--banks: '%s' is neither a known algorithm nor ID:SIZE", spec);
		size = strtoul(end + 1, &end, 10);
		if (*end || size == 0 || size > MAX_DIGEST)
			die("--banks: '%s': SIZE must be 1..%d", spec, MAX_DIGEST);
		b->id = (uint16_t)id;
		b->size = (unsigned int)size;
		a = alg_by_id(b->id);
		if (a && a->size != b->size)
			die("--banks: '%s': %s digests have %u bytes", spec, a->name, a->size);
	}
	if (bank_by_id(b->id) && !allow_duplicates)
		die("--banks: algorithm 0x%04x twice (see --duplicate-banks)", b->id);
	if (a) {
		b->md = md_of(a);
		if (!b->md)
			die("--banks: OpenSSL cannot compute %s", a->name);
		snprintf(b->name, sizeof(b->name), "%s", a->name);
	} else {
		snprintf(b->name, sizeof(b->name), "0x%04x", b->id);
	}
	nr_banks++;
}

/* ---- commands ----------------------------------------------------------- */

/*
 * Each handler parses the command's body (@r: after the header, or after
 * the handle and authorization areas where the command has them), appends
 * its response body to @w and returns a TPM_RC.
 */

/* The body of Startup and Shutdown: a TPM_SU (CLEAR or STATE), nothing more. */
static uint32_t parse_su(struct rd *r)
{
	uint16_t type;

	if (!get_u16(r, &type))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	if (r->left)
		return TPM_RC_SIZE;
	if (type > 1)
		return TPM_RC_VALUE | RC_P | RC_1;
	return TPM_RC_SUCCESS;
}

static uint32_t cmd_startup(struct rd *r, struct wr *w)
{
	uint32_t rc = parse_su(r);

	(void)w;
	if (rc)
		return rc;
	if (started)
		return TPM_RC_INITIALIZE;
	started = true;
	return TPM_RC_SUCCESS;
}

static uint32_t cmd_shutdown(struct rd *r, struct wr *w)
{
	(void)w;
	return parse_su(r);
}

static uint32_t cmd_self_test(struct rd *r, struct wr *w)
{
	uint8_t full;

	(void)w;
	if (!get_u8(r, &full))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	if (r->left)
		return TPM_RC_SIZE;
	if (full > 1)
		return TPM_RC_VALUE | RC_P | RC_1;
	return TPM_RC_SUCCESS;
}

static uint32_t cmd_get_random(struct rd *r, struct wr *w)
{
	uint16_t n;
	uint8_t buf[MAX_DIGEST];

	if (!get_u16(r, &n))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	if (r->left)
		return TPM_RC_SIZE;
	if (n > sizeof(buf))	/* at most the largest digest, as the spec says */
		n = sizeof(buf);
	if (RAND_bytes(buf, n) != 1)
		return 0x101;	/* TPM_RC_FAILURE */
	put_u16(w, n);
	put_bytes(w, buf, n);
	return TPM_RC_SUCCESS;
}

/* The commands served here (objects.c serves the others), sorted by cc. */
struct cc_attr {
	uint32_t cc;
	const char *name;
	unsigned int handles;	/* TPMA_CC cHandles */
	bool nv;
};

static const struct cc_attr commands[] = {
	{ TPM_CC_SELF_TEST, "SelfTest", 0, false },
	{ TPM_CC_STARTUP, "Startup", 0, false },
	{ TPM_CC_SHUTDOWN, "Shutdown", 0, true },
	{ TPM_CC_GET_CAPABILITY, "GetCapability", 0, false },
	{ TPM_CC_GET_RANDOM, "GetRandom", 0, false },
	{ TPM_CC_PCR_READ, "PCR_Read", 0, false },
	{ TPM_CC_PCR_EXTEND, "PCR_Extend", 1, true },
};
#define NR_OWN_COMMANDS (sizeof(commands) / sizeof(commands[0]))
#define NR_COMMANDS (NR_OWN_COMMANDS + FT_NR_CC)

/* TPMA_CC of every command, both tables merged, sorted by cc. */
static uint32_t cc_attrs[NR_COMMANDS];

static int cmp_cc(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a & 0xffff, y = *(const uint32_t *)b & 0xffff;

	return x < y ? -1 : x > y;
}

static void cc_attrs_init(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < NR_OWN_COMMANDS; i++)
		cc_attrs[n++] = (commands[i].cc & 0xffff) |
				(uint32_t)commands[i].nv << 22 |
				(uint32_t)commands[i].handles << 25;
	for (i = 0; i < FT_NR_CC; i++) {
		const struct ft_cc *c = ft_cc_at(i);

		cc_attrs[n++] = (c->cc & 0xffff) | (uint32_t)c->handles << 25 |
				(uint32_t)c->rhandle << 28;
	}
	qsort(cc_attrs, n, sizeof(cc_attrs[0]), cmp_cc);
}

struct prop {
	uint32_t id;
	uint32_t value;
};

#define FOURCC(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

/* TPM_PT_* (Part 2, 6.13), sorted by id. */
static const struct prop props[] = {
	{ 0x100, FOURCC('2', '.', '0', 0) },	/* FAMILY_INDICATOR */
	{ 0x101, 0 },				/* LEVEL */
	{ 0x102, 159 },				/* REVISION 1.59 */
	{ 0x103, 1 },				/* DAY_OF_YEAR */
	{ 0x104, 2024 },			/* YEAR */
	{ 0x105, FOURCC('F', 'A', 'K', 'E') },	/* MANUFACTURER */
	{ 0x106, FOURCC('f', 'a', 'k', 'e') },	/* VENDOR_STRING_1 */
	{ 0x107, FOURCC('t', 'p', 'm', 0) },	/* VENDOR_STRING_2 */
	{ 0x108, 0 },				/* VENDOR_STRING_3 */
	{ 0x109, 0 },				/* VENDOR_STRING_4 */
	{ 0x10A, 0 },				/* VENDOR_TPM_TYPE */
	{ 0x10B, 1 },				/* FIRMWARE_VERSION_1 */
	{ 0x10C, 0 },				/* FIRMWARE_VERSION_2 */
	{ 0x10D, 1024 },			/* INPUT_BUFFER */
	{ 0x10E, 0 },				/* HR_TRANSIENT_MIN */
	{ 0x10F, 0 },				/* HR_PERSISTENT_MIN */
	{ 0x110, 0 },				/* HR_LOADED_MIN */
	{ 0x111, 0 },				/* ACTIVE_SESSIONS_MAX */
	{ 0x112, NR_PCRS },			/* PCR_COUNT */
	{ 0x113, PCR_SELECT_MAX },		/* PCR_SELECT_MIN */
	{ 0x114, 0 },				/* CONTEXT_GAP_MAX */
	{ 0x116, 0 },				/* NV_COUNTERS_MAX */
	{ 0x117, 0 },				/* NV_INDEX_MAX */
	{ 0x118, 0 },				/* MEMORY */
	{ 0x119, 0 },				/* CLOCK_UPDATE */
	{ 0x11A, 0x000B },			/* CONTEXT_HASH */
	{ 0x11B, 0x0006 },			/* CONTEXT_SYM: AES */
	{ 0x11C, 128 },				/* CONTEXT_SYM_SIZE */
	{ 0x11D, 0 },				/* ORDERLY_COUNT */
	{ 0x11E, BUF_SIZE },			/* MAX_COMMAND_SIZE */
	{ 0x11F, BUF_SIZE },			/* MAX_RESPONSE_SIZE */
	{ 0x120, MAX_DIGEST },			/* MAX_DIGEST */
	{ 0x121, 0 },				/* MAX_OBJECT_CONTEXT */
	{ 0x122, 0 },				/* MAX_SESSION_CONTEXT */
	{ 0x123, 1 },				/* PS_FAMILY_INDICATOR */
	{ 0x124, 0 },				/* PS_LEVEL */
	{ 0x125, 0 },				/* PS_REVISION */
	{ 0x126, 0 },				/* PS_DAY_OF_YEAR */
	{ 0x127, 0 },				/* PS_YEAR */
	{ 0x128, 0 },				/* SPLIT_MAX */
	{ 0x129, NR_COMMANDS },			/* TOTAL_COMMANDS */
	{ 0x12A, NR_COMMANDS },			/* LIBRARY_COMMANDS */
	{ 0x12B, 0 },				/* VENDOR_COMMANDS */
	{ 0x12C, 1024 },			/* NV_BUFFER_MAX */
	{ 0x12D, 0 },				/* MODES */
	{ 0x200, 0 },				/* PERMANENT */
	{ 0x201, 0 },				/* STARTUP_CLEAR (set below) */
	{ 0x202, 0 },				/* HR_NV_INDEX */
	{ 0x203, 0 },				/* HR_LOADED */
	{ 0x204, 0 },				/* HR_LOADED_AVAIL */
	{ 0x205, 0 },				/* HR_ACTIVE */
	{ 0x206, 0 },				/* HR_ACTIVE_AVAIL */
	{ 0x207, 0 },				/* HR_TRANSIENT_AVAIL */
	{ 0x208, 0 },				/* HR_PERSISTENT */
	{ 0x209, 0 },				/* HR_PERSISTENT_AVAIL */
	{ 0x20A, 0 },				/* NV_COUNTERS */
	{ 0x20B, 0 },				/* NV_COUNTERS_AVAIL */
	{ 0x20C, 0 },				/* ALGORITHM_SET */
	{ 0x20D, 0 },				/* LOADED_CURVES */
	{ 0x20E, 0 },				/* LOCKOUT_COUNTER */
	{ 0x20F, 0 },				/* MAX_AUTH_FAIL */
	{ 0x210, 0 },				/* LOCKOUT_INTERVAL */
	{ 0x211, 0 },				/* LOCKOUT_RECOVERY */
	{ 0x212, 0 },				/* NV_WRITE_RECOVERY */
	{ 0x213, 0 },				/* AUDIT_COUNTER_0 */
	{ 0x214, 0 },				/* AUDIT_COUNTER_1 */
};
#define NR_PROPS (sizeof(props) / sizeof(props[0]))

/*
 * TPM_CAP_ALGS: the hashes OpenSSL computes, and what SM2 keys use (the
 * ECC object type, SM2 signatures, SM4 in CFB mode), sorted by id.
 */
struct cap_alg {
	uint16_t id;
	uint32_t attrs;		/* TPMA_ALGORITHM */
};

static const struct cap_alg key_algs[] = {
	{ TPM_ALG_SM4, 0x0002 },	/* symmetric */
	{ TPM_ALG_SM2, 0x0101 },	/* asymmetric, signing */
	{ TPM_ALG_ECC, 0x0009 },	/* asymmetric, object */
	{ TPM_ALG_CFB, 0x0202 },	/* symmetric, encrypting */
};

#define NR_KEY_ALGS (sizeof(key_algs) / sizeof(key_algs[0]))

static struct cap_alg cap_algs[NR_ALGS + NR_KEY_ALGS];
static unsigned int nr_cap_algs;

static int cmp_alg(const void *a, const void *b)
{
	const struct cap_alg *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void cap_algs_init(void)
{
	unsigned int i;

	for (i = 0; i < NR_ALGS; i++)
		if (md_of(&algs[i]))
			cap_algs[nr_cap_algs++] = (struct cap_alg){ algs[i].id, 0x4 };
	for (i = 0; i < NR_KEY_ALGS; i++)
		cap_algs[nr_cap_algs++] = key_algs[i];
	qsort(cap_algs, nr_cap_algs, sizeof(cap_algs[0]), cmp_alg);
}

/* How many items a capability list may hold in one response. */
#define MAX_CAP_ITEMS 128

static uint32_t cmd_get_capability(struct rd *r, struct wr *w)
{
	uint32_t cap, prop, count, n = 0, i;
	size_t count_off;

	if (!get_u32(r, &cap))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	if (!get_u32(r, &prop))
		return TPM_RC_INSUFFICIENT | RC_P | RC_2;
	if (!get_u32(r, &count))
		return TPM_RC_INSUFFICIENT | RC_P | RC_3;
	if (r->left)
		return TPM_RC_SIZE;
	if (count > MAX_CAP_ITEMS)
		count = MAX_CAP_ITEMS;

	switch (cap) {
	case TPM_CAP_ALGS:
		put_u8(w, 0);
		put_u32(w, cap);
		count_off = w->len;
		put_u32(w, 0);
		for (i = 0; i < nr_cap_algs; i++) {
			if (cap_algs[i].id < prop)
				continue;
			if (n == count) {
				w->b[10] = 1;	/* moreData */
				break;
			}
			put_u16(w, cap_algs[i].id);
			put_u32(w, cap_algs[i].attrs);
			n++;
		}
		set_u32(w, count_off, n);
		return TPM_RC_SUCCESS;
	case TPM_CAP_HANDLES:
		ft_cap_handles(prop, count, w);
		return TPM_RC_SUCCESS;
	case TPM_CAP_COMMANDS:
		put_u8(w, 0);
		put_u32(w, cap);
		count_off = w->len;
		put_u32(w, 0);
		for (i = 0; i < NR_COMMANDS; i++) {
			if ((cc_attrs[i] & 0xffff) < prop)
				continue;
			if (n == count) {
				w->b[10] = 1;
				break;
			}
			put_u32(w, cc_attrs[i]);
			n++;
		}
		set_u32(w, count_off, n);
		return TPM_RC_SUCCESS;
	case TPM_CAP_ECC_CURVES:
		put_u8(w, 0);
		put_u32(w, cap);
		put_u32(w, prop <= TPM_ECC_SM2_P256 && count);
		if (prop <= TPM_ECC_SM2_P256 && count)
			put_u16(w, TPM_ECC_SM2_P256);
		return TPM_RC_SUCCESS;
	case TPM_CAP_PCRS:
		/* The whole allocation; property and count do not apply. */
		put_u8(w, 0);
		put_u32(w, cap);
		put_u32(w, nr_banks);
		for (i = 0; i < nr_banks; i++) {
			put_u16(w, banks[i].id);
			put_u8(w, PCR_SELECT_MAX);
			for (unsigned int j = 0; j < PCR_SELECT_MAX; j++)
				put_u8(w, 0xff);
		}
		return TPM_RC_SUCCESS;
	case TPM_CAP_TPM_PROPERTIES:
		put_u8(w, 0);
		put_u32(w, cap);
		count_off = w->len;
		put_u32(w, 0);
		for (i = 0; i < NR_PROPS; i++) {
			uint32_t v = props[i].value;

			if (props[i].id < prop)
				continue;
			if (n == count) {
				w->b[10] = 1;	/* moreData */
				break;
			}
			if (props[i].id == 0x201)	/* phEnable shEnable ehEnable */
				v = started ? 0x7 : 0;
			put_u32(w, props[i].id);
			put_u32(w, v);
			n++;
		}
		set_u32(w, count_off, n);
		return TPM_RC_SUCCESS;
	default:
		return TPM_RC_VALUE | RC_P | RC_1;
	}
}

static uint32_t cmd_pcr_read(struct rd *r, struct wr *w)
{
	uint32_t count, ndig = 0;
	struct {
		uint16_t alg;
		uint8_t size;
		uint8_t sel[PCR_SELECT_MAX];
	} in[MAX_BANKS * 2];
	struct wr *dig;
	uint32_t rc = TPM_RC_SUCCESS;

	if (!get_u32(r, &count))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	if (count > sizeof(in) / sizeof(in[0]))
		return TPM_RC_SIZE | RC_P | RC_1;
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *sel;

		if (!get_u16(r, &in[i].alg) || !get_u8(r, &in[i].size))
			return TPM_RC_INSUFFICIENT | RC_P | RC_1;
		if (!alg_by_id(in[i].alg) && !bank_by_id(in[i].alg))
			return TPM_RC_HASH | RC_P | RC_1;
		if (in[i].size > PCR_SELECT_MAX)
			return TPM_RC_VALUE | RC_P | RC_1;
		if (!get_bytes(r, &sel, in[i].size))
			return TPM_RC_INSUFFICIENT | RC_P | RC_1;
		memcpy(in[i].sel, sel, in[i].size);
	}
	if (r->left)
		return TPM_RC_SIZE;

	dig = calloc(1, sizeof(*dig));
	if (!dig)
		return 0x101;	/* TPM_RC_FAILURE */
	put_u32(w, pcr_update_counter);
	put_u32(w, count);
	for (uint32_t i = 0; i < count; i++) {
		struct bank *b = bank_by_id(in[i].alg);

		for (unsigned int p = 0; p < in[i].size * 8u; p++) {
			uint8_t bit = 1 << (p & 7);

			if (!(in[i].sel[p >> 3] & bit))
				continue;
			/* unallocated bank, or no room left: not returned */
			if (!b || ndig == MAX_PCR_READ_DIGESTS) {
				in[i].sel[p >> 3] &= ~bit;
				continue;
			}
			put_u16(dig, b->size);
			put_bytes(dig, b->pcr[p], b->size);
			ndig++;
		}
		put_u16(w, in[i].alg);
		put_u8(w, in[i].size);
		put_bytes(w, in[i].sel, in[i].size);
	}
	put_u32(w, ndig);
	put_bytes(w, dig->b, dig->len);
	if (dig->overflow)
		rc = 0x101;
	free(dig);
	return rc;
}

/*
 * The authorization area of a command with one handle that needs USER
 * authorization: exactly one password session with an empty nonce and the
 * (empty) authValue of a PCR. @attrs gets the session attributes.
 */
static uint32_t parse_pw_session(struct rd *r, uint8_t *attrs)
{
	uint32_t size, handle;
	uint16_t nonce_size, hmac_size;
	const uint8_t *skip;
	struct rd a;

	if (!get_u32(r, &size))
		return TPM_RC_AUTHSIZE;
	if (size < 9 || size > r->left)
		return TPM_RC_AUTHSIZE;
	a.p = r->p;
	a.left = size;
	r->p += size;
	r->left -= size;

	if (!get_u32(&a, &handle) || !get_u16(&a, &nonce_size) ||
	    !get_bytes(&a, &skip, nonce_size) || !get_u8(&a, attrs) ||
	    !get_u16(&a, &hmac_size) || !get_bytes(&a, &skip, hmac_size))
		return TPM_RC_AUTHSIZE;
	if (handle != TPM_RS_PW)
		return TPM_RC_VALUE | RC_S | RC_1;	/* only password sessions */
	if (a.left)
		return TPM_RC_AUTHSIZE;		/* more sessions: not supported */
	if (nonce_size)
		return TPM_RC_SIZE | RC_S | RC_1;
	if (hmac_size)
		return TPM_RC_AUTH_FAIL | RC_S | RC_1;
	return TPM_RC_SUCCESS;
}

/*
 * --extend-gate FILE: while FILE exists, a PCR_Extend waits (a TPM that
 * is slow on demand). faketpm creates FILE.waiting while it waits, so a
 * test knows a command is held.
 */
static const char *extend_gate;

static void extend_gate_wait(void)
{
	char waiting[4096];
	int fd;

	if (!extend_gate || access(extend_gate, F_OK))
		return;
	snprintf(waiting, sizeof(waiting), "%s.waiting", extend_gate);
	fd = open(waiting, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0)
		close(fd);
	while (!access(extend_gate, F_OK))
		usleep(10000);
	unlink(waiting);
}

static uint32_t cmd_pcr_extend(struct rd *r, struct wr *w, uint8_t *attrs)
{
	uint32_t handle, count, rc;
	struct {
		struct bank *bank;
		const uint8_t *digest;
		unsigned int size;
	} in[16];

	if (!get_u32(r, &handle))
		return TPM_RC_COMMAND_SIZE;
	rc = parse_pw_session(r, attrs);
	if (rc)
		return rc;
	if (handle >= NR_PCRS && handle != TPM_RH_NULL)
		return TPM_RC_VALUE | RC_1;	/* handle 1 */

	if (!get_u32(r, &count))
		return TPM_RC_INSUFFICIENT | RC_P | RC_1;
	if (count > sizeof(in) / sizeof(in[0]))
		return TPM_RC_SIZE | RC_P | RC_1;
	for (uint32_t i = 0; i < count; i++) {
		uint16_t id;
		const struct alg *a;
		struct bank *b;

		if (!get_u16(r, &id))
			return TPM_RC_INSUFFICIENT | RC_P | RC_1;
		a = alg_by_id(id);
		b = bank_by_id(id);
		if (!a && !b)
			return TPM_RC_HASH | RC_P | RC_1;
		in[i].bank = b;
		in[i].size = b ? b->size : a->size;
		if (!get_bytes(r, &in[i].digest, in[i].size))
			return TPM_RC_INSUFFICIENT | RC_P | RC_1;
		if (b && !b->md)
			return TPM_RC_HASH | RC_P | RC_1;	/* cannot compute */
	}
	if (r->left)
		return TPM_RC_SIZE;

	if (handle != TPM_RH_NULL) {
		/* digests for banks that are not allocated are ignored */
		for (uint32_t i = 0; i < count; i++) {
			struct bank *b = in[i].bank;

			if (!b)
				continue;
			if (!ft_hash(b->md, b->pcr[handle], b->size, in[i].digest,
				   b->size, b->pcr[handle]))
				return 0x101;	/* TPM_RC_FAILURE */
		}
		pcr_update_counter++;
	}
	/* parameterSize, then the password session's response */
	put_u32(w, 0);
	put_u16(w, 0);		/* nonceTPM */
	put_u8(w, *attrs & 0x01);	/* continueSession */
	put_u16(w, 0);		/* hmac */
	return TPM_RC_SUCCESS;
}

static const char *cc_name(uint32_t cc)
{
	const struct ft_cc *c = ft_cc_find(cc);

	if (c)
		return c->name;
	for (unsigned int i = 0; i < NR_OWN_COMMANDS; i++)
		if (commands[i].cc == cc)
			return commands[i].name;
	return cc == TPM2_CC_SET_LOCALITY ? "SetLocality(vtpm_proxy)" : "?";
}

/* Execute one command of @len bytes; the response goes to @w. */
static void execute(const uint8_t *cmd, size_t len, struct wr *w)
{
	struct rd r = { cmd, len };
	uint16_t tag = 0;
	uint32_t size = 0, cc = 0, rc;
	uint8_t attrs = 0;
	unsigned int delay_ms = 0;
	bool sessions;

	w->len = 0;
	w->overflow = false;
	put_u16(w, TPM_ST_NO_SESSIONS);
	put_u32(w, 0);		/* size, set at the end */
	put_u32(w, 0);		/* rc */

	if (!get_u16(&r, &tag) || !get_u32(&r, &size) || !get_u32(&r, &cc)) {
		rc = TPM_RC_COMMAND_SIZE;
		goto out;
	}
	if (size != len) {
		rc = TPM_RC_COMMAND_SIZE;
		goto out;
	}
	if (tag != TPM_ST_NO_SESSIONS && tag != TPM_ST_SESSIONS) {
		rc = TPM_RC_BAD_TAG;
		goto out;
	}
	sessions = tag == TPM_ST_SESSIONS;

	if (cc == TPM2_CC_SET_LOCALITY) {
		/* vtpm_proxy's own command (ST_SESSIONS, one byte) */
		uint8_t loc;

		if (!get_u8(&r, &loc) || r.left)
			rc = TPM_RC_COMMAND_SIZE;
		else if (loc > 4)
			rc = TPM_RC_LOCALITY;
		else
			rc = TPM_RC_SUCCESS;
		goto out;
	}
	switch (ft_fault_for(cc_name(cc), &delay_ms)) {
	case FT_FAULT_RETRY:
		rc = TPM_RC_RETRY;
		goto out;
	case FT_FAULT_FAILURE:
		rc = TPM_RC_FAILURE;
		goto out;
	case FT_FAULT_TIMEOUT:
		nanosleep(&(struct timespec){ delay_ms / 1000,
					      delay_ms % 1000 * 1000000L }, NULL);
		break;
	case FT_FAULT_DISAPPEAR:
		logmsg("disappearing (exit without an answer)");
		exit(0);
	case FT_FAULT_NONE:
		break;
	}
	if (!started && cc != TPM_CC_STARTUP) {
		rc = TPM_RC_INITIALIZE;
		goto out;
	}
	if (cc == TPM_CC_PCR_EXTEND) {
		extend_gate_wait();
		if (!sessions) {
			rc = TPM_RC_AUTH_MISSING;
			goto out;
		}
		rc = cmd_pcr_extend(&r, w, &attrs);
		goto out;
	}
	if (ft_cc_find(cc)) {
		rc = ft_execute(cc, sessions, &r, w);
		goto out;
	}
	switch (cc) {
	case TPM_CC_STARTUP:
	case TPM_CC_SHUTDOWN:
	case TPM_CC_SELF_TEST:
	case TPM_CC_GET_CAPABILITY:
	case TPM_CC_GET_RANDOM:
	case TPM_CC_PCR_READ:
		if (sessions) {	/* no audit or encryption sessions here */
			rc = TPM_RC_AUTH_CONTEXT;
			goto out;
		}
		break;
	default:
		rc = TPM_RC_COMMAND_CODE;
		goto out;
	}
	switch (cc) {
	case TPM_CC_STARTUP:
		rc = cmd_startup(&r, w);
		break;
	case TPM_CC_SHUTDOWN:
		rc = cmd_shutdown(&r, w);
		break;
	case TPM_CC_SELF_TEST:
		rc = cmd_self_test(&r, w);
		break;
	case TPM_CC_GET_CAPABILITY:
		rc = cmd_get_capability(&r, w);
		break;
	case TPM_CC_GET_RANDOM:
		rc = cmd_get_random(&r, w);
		break;
	default:
		rc = cmd_pcr_read(&r, w);
		break;
	}
out:
	if (w->overflow)
		rc = 0x101;	/* TPM_RC_FAILURE; cannot happen */
	if (rc) {
		w->len = 10;	/* an error response is the header alone */
		w->overflow = false;
	} else if (tag == TPM_ST_SESSIONS) {
		w->b[0] = TPM_ST_SESSIONS >> 8;
		w->b[1] = TPM_ST_SESSIONS & 0xff;
	}
	set_u32(w, 2, (uint32_t)w->len);
	set_u32(w, 6, rc);
	if (verbose || rc)
		logmsg("cc 0x%08x %-18s len %4zu -> rc 0x%03x len %zu", cc,
		       cc_name(cc), len, rc, w->len);
}

/* ---- serving ------------------------------------------------------------ */

static int serve(int fd)
{
	static uint8_t cmd[BUF_SIZE + 1];
	static struct wr w;
	ssize_t n;

	for (;;) {
		n = read(fd, cmd, sizeof(cmd));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE) {	/* the chip is gone */
				logmsg("vtpm device closed (EPIPE): exiting");
				return 0;
			}
			logmsg("read: %s", strerror(errno));
			return 1;
		}
		if (n == 0) {
			logmsg("read: end of file: exiting");
			return 0;
		}
		execute(cmd, (size_t)n, &w);
		if (write(fd, w.b, w.len) != (ssize_t)w.len) {
			if (errno == EPIPE) {
				logmsg("vtpm device closed (EPIPE): exiting");
				return 0;
			}
			/* e.g. EIO: the kernel gave up waiting; go on */
			logmsg("write: %s", strerror(errno));
		}
	}
}

/* ---- a unix socket instead of vtpm_proxy (testing on the host) ------------- */

/* Read exactly @n bytes: 1, 0 at end of file before the first, -1. */
static int read_full(int fd, uint8_t *buf, size_t n)
{
	size_t done = 0;
	ssize_t k;

	while (done < n) {
		k = read(fd, buf + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k == 0 && done == 0 ? 0 : -1;
		done += (size_t)k;
	}
	return 1;
}

static bool write_full(int fd, const uint8_t *buf, size_t n)
{
	ssize_t k;

	while (n) {
		k = write(fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return false;
		buf += k;
		n -= (size_t)k;
	}
	return true;
}

/*
 * One TPM command or response, framed by its own header (size at bytes
 * 2-5), from @fd into @buf: its length, 0 at end of file, -1 if broken.
 */
static ssize_t read_frame(int fd, uint8_t *buf, size_t max)
{
	uint32_t size;
	int ret = read_full(fd, buf, 10);

	if (ret <= 0)
		return ret;
	size = (uint32_t)buf[2] << 24 | buf[3] << 16 | buf[4] << 8 | buf[5];
	if (size < 10 || size > max || read_full(fd, buf + 10, size - 10) != 1)
		return -1;
	return size;
}

static int unix_socket(const char *path, struct sockaddr_un *sa)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		die("%s: path too long", path);
	strcpy(sa->sun_path, path);
	return fd;
}

/*
 * --listen PATH: serve raw TPM commands on a unix socket, one connection
 * after the other, the TPM's state kept across them (as across the opens
 * of /dev/tpm0); Startup is sent by the first client.
 */
static _Noreturn void listen_unix(const char *path)
{
	static uint8_t cmd[BUF_SIZE];
	static struct wr w;
	struct sockaddr_un sa;
	int fd = unix_socket(path, &sa), c;
	ssize_t n;

	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 4))
		die("%s: %s", path, strerror(errno));
	logfp = stderr;
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		c = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0) {
			if (errno == EINTR)
				continue;
			die("accept: %s", strerror(errno));
		}
		while ((n = read_frame(c, cmd, sizeof(cmd))) > 0) {
			execute(cmd, (size_t)n, &w);
			if (!write_full(c, w.b, w.len))
				break;
		}
		close(c);
	}
}

/*
 * --connect PATH: relay commands from stdin to a faketpm --listen and its
 * responses to stdout: for tpm2-tss's TCTI "cmd:faketpm --connect PATH".
 */
static int connect_unix(const char *path)
{
	static uint8_t buf[BUF_SIZE];
	struct sockaddr_un sa;
	int fd = unix_socket(path, &sa);
	ssize_t n;

	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("%s: %s", path, strerror(errno));
	while ((n = read_frame(0, buf, sizeof(buf))) > 0) {
		if (!write_full(fd, buf, (size_t)n))
			die("%s: write: %s", path, strerror(errno));
		n = read_frame(fd, buf, sizeof(buf));
		if (n <= 0 || !write_full(1, buf, (size_t)n))
			die("%s: no response", path);
	}
	return n < 0 ? 1 : 0;
}

/* Whether /sys/class/<cls>/<cls>N/dev exists. */
static bool class_dev_exists(const char *cls, unsigned int n)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/class/%s/%s%u/dev", cls, cls, n);
	return access(path, F_OK) == 0;
}

/* ---- list replay (independent of vtrust's code) -------------------------- */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool parse_hex(const char *s, size_t slen, uint8_t *out, size_t n)
{
	if (slen != 2 * n)
		return false;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/*
 * From a vtrust-start entry's template data (ima-buf: d-ng, n-ng, buf),
 * take the value of @alg in the buf's "prior=" token.
 */
static bool start_prior(const uint8_t *data, size_t len, const char *alg,
			uint8_t *out, size_t size)
{
	const uint8_t *f[3];
	size_t flen[3], off = 0;
	char *buf, *tok, *save, *item, *save2;
	bool found = false;

	for (int i = 0; i < 3; i++) {
		if (len - off < 4)
			return false;
		flen[i] = le32(data + off);
		off += 4;
		if (flen[i] > len - off)
			return false;
		f[i] = data + off;
		off += flen[i];
	}
	if (off != len || flen[1] != sizeof("vtrust-start") ||
	    memcmp(f[1], "vtrust-start", sizeof("vtrust-start")))
		return false;
	buf = strndup((const char *)f[2], flen[2]);
	if (!buf)
		return false;
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strncmp(tok, "prior=", 6))
			continue;
		for (item = strtok_r(tok + 6, ",", &save2); item;
		     item = strtok_r(NULL, ",", &save2)) {
			char *colon = strchr(item, ':');

			if (colon && (size_t)(colon - item) == strlen(alg) &&
			    !strncmp(item, alg, strlen(alg)))
				found = parse_hex(colon + 1, strlen(colon + 1), out, size);
		}
	}
	free(buf);
	return found;
}

static void hexprint(FILE *f, const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", d[i]);
	fputc('\n', f);
}

/*
 * Replay an IMA-layout binary list whose template digests are @alg's:
 * check every entry's template digest against H(template data), fold the
 * entries for @pcr into the running value and print it in hex.
 */
/*
 * If @data (@len bytes of ima-ng template data: d-ng, n-ng) names an
 * "extend-failed:<index>" mark, its index into @index.
 */
static bool mark_index(const uint8_t *data, size_t len, unsigned long *index)
{
	static const char mark[] = "extend-failed:";
	size_t off, nlen;
	char name[40], *end;

	if (len < 4 || le32(data) > len - 4)
		return false;
	off = 4 + le32(data);
	if (len - off < 4)
		return false;
	nlen = le32(data + off);
	off += 4;
	if (nlen != len - off || nlen < sizeof(mark) || nlen > sizeof(name) ||
	    data[off + nlen - 1] || memcmp(data + off, mark, sizeof(mark) - 1))
		return false;
	memcpy(name, data + off, nlen);
	errno = 0;
	*index = strtoul(name + sizeof(mark) - 1, &end, 10);
	return !errno && *end == '\0' && end != name + sizeof(mark) - 1;
}

static int replay_list(const char *path, const char *algname, const char *prior_hex,
		       bool prior_from_start, unsigned int pcr, bool skip_marked)
{
	const struct alg *a = alg_by_name(algname);
	const EVP_MD *md;
	uint8_t value[MAX_DIGEST] = { 0 }, d[MAX_DIGEST];
	uint8_t *list = NULL;
	size_t len = 0, cap = 0, off = 0;
	unsigned long entries = 0, folded = 0;
	FILE *f;

	if (!a)
		die("--alg: unknown algorithm '%s'", algname);
	md = md_of(a);
	if (!md)
		die("OpenSSL cannot compute %s", a->name);
	if (prior_hex && !parse_hex(prior_hex, strlen(prior_hex), value, a->size))
		die("--prior: not %u bytes of hex", a->size);

	f = fopen(path, "rb");
	if (!f)
		die("%s: %s", path, strerror(errno));
	for (;;) {
		size_t n;

		if (len == cap) {
			cap = cap ? 2 * cap : 65536;
			list = realloc(list, cap);
			if (!list)
				die("out of memory");
		}
		n = fread(list + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	if (ferror(f))
		die("%s: read error", path);
	fclose(f);

	/*
	 * --skip-marked: a first pass finds the entries that extend-failed
	 * marks name (the mark comes after the entry it names).
	 */
	uint8_t *marked = calloc(len / (4 + a->size + 8) + 1, 1);

	if (!marked)
		die("out of memory");
	for (int pass = skip_marked ? 0 : 1; pass < 2; pass++) {
		off = 0;
		entries = 0;
		folded = 0;
		while (off < len) {
			uint32_t epcr, nlen, dlen;
			const uint8_t *digest, *data;
			unsigned long mi;

			if (len - off < 4 + a->size + 4)
				die("entry %lu: truncated header", entries);
			epcr = le32(list + off);
			digest = list + off + 4;
			off += 4 + a->size;
			nlen = le32(list + off);
			off += 4;
			if (nlen > len - off || len - off - nlen < 4)
				die("entry %lu: truncated template name", entries);
			off += nlen;
			dlen = le32(list + off);
			off += 4;
			if (dlen > len - off)
				die("entry %lu: truncated template data", entries);
			data = list + off;
			off += dlen;

			if (pass == 0) {
				if (mark_index(data, dlen, &mi)) {
					if (mi >= entries)
						die("entry %lu: marks entry %lu, not an earlier one",
						    entries, mi);
					marked[mi] = 1;
				}
				entries++;
				continue;
			}
			if (EVP_Digest(data, dlen, d, NULL, md, NULL) != 1)
				die("EVP_Digest failed");
			if (memcmp(d, digest, a->size))
				die("entry %lu: template digest is not %s(template data)",
				    entries, a->name);
			if (entries == 0 && prior_from_start &&
			    !start_prior(data, dlen, a->name, value, a->size))
				die("entry 0: not a vtrust-start entry with prior=%s:<hex>",
				    a->name);
			if (epcr == pcr && !marked[entries]) {
				if (!ft_hash(md, value, a->size, d, a->size, value))
					die("hash failed");
				folded++;
			}
			entries++;
		}
	}
	free(list);
	free(marked);
	fprintf(stderr, "faketpm: %lu entries, %lu for PCR %u, template digests ok\n",
		entries, folded, pcr);
	hexprint(stdout, value, a->size);
	return 0;
}

/* ---- main ---------------------------------------------------------------- */

static void usage(FILE *f)
{
	fputs("Usage: faketpm [--banks LIST] [--foreground] [--pidfile FILE] [--log FILE]\n"
	      "               [--verbose] [--wait SEC] [--duplicate-banks]\n"
	      "               [--extend-gate FILE] [--faults FILE]\n"
	      "       faketpm --stdio [--banks LIST] [--verbose]\n"
	      "       faketpm --listen SOCKET [--banks LIST] [--verbose]\n"
	      "       faketpm --connect SOCKET\n"
	      "       faketpm --replay-list FILE --alg ALG [--prior HEX | --prior-from-start]\n"
	      "               [--pcr N] [--skip-marked]\n"
	      "\n"
	      "Serve a minimal TPM 2.0 to the kernel through vtpm_proxy (/dev/vtpmx):\n"
	      "create the device, go to the background, and once the kernel has\n"
	      "registered the chip print its node (/dev/tpmN) on stdout and exit 0.\n"
	      "The server stops when killed (the chip then goes away).\n"
	      "\n"
	      "  --banks LIST     PCR banks, comma-separated (default sha256): sha1,\n"
	      "                   sha256, sha384, sha512, sm3, sha3-256, sha3-384,\n"
	      "                   sha3-512, or ID:SIZE (hex TPM algorithm ID, digest\n"
	      "                   size): a bank faketpm cannot extend unless it knows ID\n"
	      "  --duplicate-banks  allow an algorithm twice in --banks (no real TPM\n"
	      "                   does): GetCapability reports each; PCR_Read and\n"
	      "                   PCR_Extend reach the first bank of that algorithm\n"
	      "  --foreground     serve in the foreground; print the node on stderr\n"
	      "  --pidfile FILE   write the server's pid to FILE\n"
	      "  --log FILE       log failed commands (all with --verbose) to FILE\n"
	      "  --wait SEC       how long to wait for the registration (default 60)\n"
	      "  --extend-gate F  while file F exists, PCR_Extend waits (and F.waiting\n"
	      "                   exists while one does)\n"
	      "  --faults FILE    fail commands on demand, as FILE's rules say (read\n"
	      "                   again whenever FILE changes): lines of\n"
	      "                   \"COMMAND FAULT [COUNT]\", COMMAND a name as logged\n"
	      "                   or '*', FAULT retry, failure, timeout[=MS] or\n"
	      "                   disappear, COUNT a number (default 1) or '*'\n"
	      "                   (see faults.c)\n"
	      "  --stdio          testing without vtpm_proxy: execute commands framed\n"
	      "                   as be32 length + command from stdin, write the\n"
	      "                   responses to stdout\n"
	      "  --listen SOCKET  testing without vtpm_proxy: serve raw commands on a\n"
	      "                   unix socket, one connection after the other, state\n"
	      "                   kept (send Startup first)\n"
	      "  --connect SOCKET relay raw commands from stdin to SOCKET and the\n"
	      "                   responses to stdout (TCTI \"cmd:faketpm --connect S\")\n"
	      "  --replay-list F  replay a binary measurement list (IMA layout) with\n"
	      "                   template digests of ALG: check each template digest\n"
	      "                   and print the PCR value the entries for PCR N (default\n"
	      "                   11) give, starting from HEX (default zeros) or the\n"
	      "                   prior= value of the list's vtrust-start entry\n"
	      "  --skip-marked    with --replay-list: leave out the entries that\n"
	      "                   vtrust's extend-failed:<index> marks name\n",
	      f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "banks", required_argument, NULL, 'b' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "duplicate-banks", no_argument, NULL, 'D' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "log", required_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "wait", required_argument, NULL, 'w' },
		{ "stdio", no_argument, NULL, 'o' },
		{ "replay-list", required_argument, NULL, 'r' },
		{ "alg", required_argument, NULL, 'a' },
		{ "prior", required_argument, NULL, 'P' },
		{ "prior-from-start", no_argument, NULL, 'S' },
		{ "pcr", required_argument, NULL, 'n' },
		{ "extend-gate", required_argument, NULL, 'g' },
		{ "listen", required_argument, NULL, 'L' },
		{ "connect", required_argument, NULL, 'C' },
		{ "faults", required_argument, NULL, 'F' },
		{ "skip-marked", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *bank_list = "sha256", *pidfile = NULL, *logpath = NULL;
	const char *replay = NULL, *alg = NULL, *prior = NULL;
	const char *listen_path = NULL, *connect_path = NULL, *faults = NULL;
	bool foreground = false, stdio = false, from_start = false;
	bool skip_marked = false;
	unsigned int wait_sec = 60, pcr = 11;
	struct vtpm_proxy_new_dev nd;
	int c, vtpmx, rc;
	pid_t pid;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bank_list = optarg; break;
		case 'f': foreground = true; break;
		case 'D': allow_duplicates = true; break;
		case 'p': pidfile = optarg; break;
		case 'l': logpath = optarg; break;
		case 'v': verbose = true; break;
		case 'w': wait_sec = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'o': stdio = true; break;
		case 'r': replay = optarg; break;
		case 'a': alg = optarg; break;
		case 'P': prior = optarg; break;
		case 'S': from_start = true; break;
		case 'n': pcr = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'g': extend_gate = optarg; break;
		case 'L': listen_path = optarg; break;
		case 'C': connect_path = optarg; break;
		case 'F': faults = optarg; break;
		case 'K': skip_marked = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	if (connect_path)
		return connect_unix(connect_path);
	if (replay) {
		if (!alg)
			die("--replay-list needs --alg");
		if (prior && from_start)
			die("--prior and --prior-from-start exclude each other");
		return replay_list(replay, alg, prior, from_start, pcr,
				   skip_marked);
	}

	{
		char *list = strdup(bank_list), *tok, *save;

		if (!list)
			die("out of memory");
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			add_bank(tok);
		free(list);
		if (!nr_banks)
			die("--banks: no bank");
	}
	if (faults) {
		char err[256];

		if (!ft_faults_init(faults, err, sizeof(err)))
			die("--faults: %s", err);
	}
	cap_algs_init();
	cc_attrs_init();
	if (!ft_objects_init())
		die("cannot make the hierarchies' seeds (OpenSSL)");

	if (listen_path)
		listen_unix(listen_path);
	if (stdio) {
		/*
		 * Testing without vtpm_proxy: frames of "be32 length, command"
		 * on stdin; the responses (self-delimiting) go to stdout.
		 */
		static uint8_t cmd[BUF_SIZE + 1];
		static struct wr w;
		uint8_t hdr[4];

		logfp = stderr;
		while (fread(hdr, 1, 4, stdin) == 4) {
			uint32_t n = (uint32_t)hdr[0] << 24 | hdr[1] << 16 |
				     hdr[2] << 8 | hdr[3];

			if (n > sizeof(cmd) || fread(cmd, 1, n, stdin) != n)
				die("--stdio: bad frame");
			execute(cmd, n, &w);
			/* each response at once: a client may wait for it */
			if (fwrite(w.b, 1, w.len, stdout) != w.len || fflush(stdout))
				return 1;
		}
		return fflush(stdout) ? 1 : 0;
	}

	if (logpath) {
		logfp = fopen(logpath, "a");
		if (!logfp)
			die("%s: %s", logpath, strerror(errno));
	} else if (foreground) {
		logfp = stderr;
	}

	vtpmx = open("/dev/vtpmx", O_RDWR | O_CLOEXEC);
	if (vtpmx < 0)
		die("/dev/vtpmx: %s (modprobe tpm_vtpm_proxy)", strerror(errno));
	memset(&nd, 0, sizeof(nd));
	nd.flags = VTPM_PROXY_FLAG_TPM2;
	if (ioctl(vtpmx, VTPM_PROXY_IOC_NEW_DEV, &nd) < 0)
		die("VTPM_PROXY_IOC_NEW_DEV: %s", strerror(errno));
	close(vtpmx);
	logmsg("vtpm_proxy: tpm%u (%u:%u), fd %u, banks %s", nd.tpm_num,
	       nd.major, nd.minor, nd.fd, bank_list);

	if (foreground) {
		if (pidfile) {
			FILE *pf = fopen(pidfile, "w");

			if (!pf)
				die("%s: %s", pidfile, strerror(errno));
			fprintf(pf, "%d\n", (int)getpid());
			fclose(pf);
		}
		fprintf(stderr, "faketpm: serving /dev/tpm%u (%u:%u)\n", nd.tpm_num,
			nd.major, nd.minor);
		return serve((int)nd.fd);
	}

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		setsid();
		signal(SIGHUP, SIG_IGN);
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
		}
		if (chdir("/") != 0)
			_exit(1);
		_exit(serve((int)nd.fd));
	}
	close((int)nd.fd);	/* the server holds the only reference now */
	if (pidfile) {
		FILE *pf = fopen(pidfile, "w");

		if (!pf) {
			kill(pid, SIGTERM);
			die("%s: %s", pidfile, strerror(errno));
		}
		fprintf(pf, "%d\n", (int)pid);
		fclose(pf);
	}

	/*
	 * The kernel registers the chip in a work item that talks to the
	 * server: wait for its last visible steps, /dev/tpmN and (TPM 2.0)
	 * /dev/tpmrmN. tpm_add_char_device() publishes the chip to the
	 * kernel's users (tpm_default_chip()) right after adding tpmrmN,
	 * with no TPM command in between; give that a moment too.
	 */
	for (unsigned long ms = 0;; ms += 10) {
		int status;

		if (waitpid(pid, &status, WNOHANG) == pid)
			die("tpm%u: the server exited (status 0x%x) before the kernel registered the chip%s",
			    nd.tpm_num, status, logpath ? "; see the log" : "");
		if (class_dev_exists("tpm", nd.tpm_num) &&
		    class_dev_exists("tpmrm", nd.tpm_num))
			break;
		if (ms >= wait_sec * 1000UL) {
			kill(pid, SIGTERM);
			die("tpm%u: not registered after %u s", nd.tpm_num, wait_sec);
		}
		usleep(10000);
	}
	usleep(100000);
	rc = printf("/dev/tpm%u\n", nd.tpm_num);
	fprintf(stderr, "faketpm: /dev/tpm%u (%u:%u) registered, server pid %d, banks %s\n",
		nd.tpm_num, nd.major, nd.minor, (int)pid, bank_list);
	return rc < 0 || fflush(stdout) ? 1 : 0;
}
