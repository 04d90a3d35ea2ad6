// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the pure firmware event log parser: real OVMF and SeaBIOS
 * logs from tests/data/ (captured by tests/capture.py), and hand-built logs
 * with every kind of event, an SM3 bank and broken size fields. Run from
 * userspace/ (or with VT_TEST_DATA naming the data directory).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "uefilog.h"

/* ---- reading the test data ---- */

static uint8_t *read_data(const char *name, size_t *len)
{
	const char *dir = getenv("VT_TEST_DATA");
	char path[512];
	uint8_t *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: cannot open\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? n : 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

/* ---- a log builder ---- */

struct lb {
	uint8_t buf[1 << 15];
	size_t len;
	size_t bounds[64];	/* offsets where events start */
	size_t size_at[64];	/* offsets of their event_size fields */
	unsigned int nr;
	uint16_t algs[4];
	uint16_t sizes[4];
	unsigned int nr_algs;
};

static void put(struct lb *b, const void *p, size_t n)
{
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void put16(struct lb *b, uint16_t v)
{
	uint8_t p[2] = { v, v >> 8 };

	put(b, p, 2);
}

static void put32(struct lb *b, uint32_t v)
{
	uint8_t p[4] = { v, v >> 8, v >> 16, v >> 24 };

	put(b, p, 4);
}

static void put64(struct lb *b, uint64_t v)
{
	put32(b, v);
	put32(b, v >> 32);
}

static void header(struct lb *b, unsigned int nr, const uint16_t *algs,
		   const uint16_t *sizes)
{
	uint8_t zero[20] = { 0 };
	unsigned int i;

	memset(b, 0, sizeof(*b));
	b->nr_algs = nr;
	memcpy(b->algs, algs, nr * 2);
	memcpy(b->sizes, sizes, nr * 2);
	b->bounds[b->nr] = 0;
	put32(b, 0);
	put32(b, EV_NO_ACTION);
	put(b, zero, 20);
	b->size_at[b->nr++] = b->len;
	put32(b, 16 + 4 + 4 + 4 + 4 * nr + 1 + 2);
	put(b, UEFILOG_SPEC_ID_SIG, 16);
	put32(b, 0);
	put(b, "\0\2\0\2", 4);
	put32(b, nr);
	for (i = 0; i < nr; i++) {
		put16(b, algs[i]);
		put16(b, sizes[i]);
	}
	put(b, "\2ab", 3);	/* vendor info */
}

/* An event whose digests are filled with @fill (EV_NO_ACTION: zero). */
static void event(struct lb *b, uint32_t pcr, uint32_t type, uint8_t fill,
		  const void *data, uint32_t len)
{
	uint8_t d[64];
	unsigned int i;

	b->bounds[b->nr] = b->len;
	put32(b, pcr);
	put32(b, type);
	put32(b, b->nr_algs);
	for (i = 0; i < b->nr_algs; i++) {
		put16(b, b->algs[i]);
		memset(d, type == EV_NO_ACTION ? 0 : fill + i, b->sizes[i]);
		put(b, d, b->sizes[i]);
	}
	b->size_at[b->nr++] = b->len;
	put32(b, len);
	put(b, data, len);
}

static const uint16_t two_algs[] = { 0x000b, 0x0012 };	/* sha256, sm3 */
static const uint16_t two_sizes[] = { 32, 32 };

static const uint8_t global_guid[16] = {
	0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
	0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c
};

/* Every kind of event the decoder knows, and an unknown one. */
static void build_all(struct lb *b)
{
	struct lb d;
	static const uint8_t loc[17] = "StartupLocality\0\3";
	static const uint8_t name[] = { 'S', 0, 'B', 0 };
	uint8_t gpt[92] = { 0 }, part[128] = { 0 };
	uint8_t dp[] = {
		2, 1, 12, 0, 0xd0, 0x41, 0x03, 0x0a, 0, 0, 0, 0,
		1, 1, 6, 0, 0, 1,
		4, 4, 16, 0, 'a', 0, '.', 0, 'e', 0, 'f', 0, 'i', 0, 0, 0,
		0x7f, 0xff, 4, 0
	};

	header(b, 2, two_algs, two_sizes);
	event(b, 0, EV_NO_ACTION, 0, loc, sizeof(loc));
	event(b, 0, EV_S_CRTM_VERSION, 1, "v\0001\0\0\0", 6);
	memset(&d, 0, sizeof(d));
	put64(&d, 0x820000);
	put64(&d, 0xe0000);
	event(b, 0, EV_EFI_PLATFORM_FIRMWARE_BLOB, 2, d.buf, d.len);
	memset(&d, 0, sizeof(d));
	put(&d, global_guid, 16);
	put64(&d, 2);
	put64(&d, 1);
	put(&d, name, 4);
	put(&d, "\1", 1);
	event(b, 7, EV_EFI_VARIABLE_DRIVER_CONFIG, 3, d.buf, d.len);
	event(b, 7, EV_SEPARATOR, 4, "\0\0\0\0", 4);
	memset(&d, 0, sizeof(d));
	put64(&d, 0x1000);
	put64(&d, 0x2000);
	put64(&d, 0);
	put64(&d, sizeof(dp));
	put(&d, dp, sizeof(dp));
	event(b, 4, EV_EFI_BOOT_SERVICES_APPLICATION, 5, d.buf, d.len);
	event(b, 4, EV_EFI_ACTION, 6, "Calling EFI Application", 23);
	memset(&d, 0, sizeof(d));
	put64(&d, 1);
	put(&d, global_guid, 16);
	put64(&d, 0xdead0000);
	event(b, 1, EV_EFI_HANDOFF_TABLES, 7, d.buf, d.len);
	memset(&d, 0, sizeof(d));
	gpt[84] = 128;
	put(&d, gpt, sizeof(gpt));
	put64(&d, 1);
	part[56] = 'r';
	put(&d, part, sizeof(part));
	event(b, 5, EV_EFI_GPT_EVENT, 8, d.buf, d.len);
	event(b, 9, EV_EVENT_TAG, 9, "\xec\x22\x3b\x8f\x05\0\0\0hello", 13);
	event(b, 2, 0x12345678, 10, "\xff\xfe", 2);
	event(b, 3, EV_IPL, 11, "grub_cmd: linux\0", 16);
	b->bounds[b->nr] = b->len;
}

static int parse_all(const uint8_t *buf, size_t len, unsigned int *n,
		     struct uefilog_error *err)
{
	struct uefilog_info info;
	struct uefilog_event e;
	struct uefilog l;
	char desc[512];
	int ret;

	*n = 0;
	if (uefilog_open(&l, buf, len, err))
		return -1;
	while ((ret = uefilog_next(&l, &e, err)) == 1) {
		(*n)++;
		/* every decoder and printer runs over whatever parsed */
		uefilog_decode(&l, &e, &info);
		uefilog_describe(&e, &info, desc, sizeof(desc));
		if (info.kind == UEFILOG_K_IMAGE)
			uefilog_devpath_text(info.u.image.devpath,
					     info.u.image.devpath_len, desc, 64);
	}
	return ret;
}

/* ---- real logs ---- */

struct want {
	uint64_t index;
	uint32_t pcr;
	uint32_t type;
	enum uefilog_kind kind;
	const char *desc;
};

static void check_log(const char *name, unsigned int nr_algs,
		      unsigned int nr_events, const struct want *want,
		      unsigned int nr_want)
{
	struct uefilog_error err;
	struct uefilog_info info;
	struct uefilog_event e;
	struct uefilog l;
	unsigned int n = 0, k = 0;
	char desc[512];
	uint8_t *buf;
	size_t len;

	buf = read_data(name, &len);
	CHECK(buf);
	if (!buf)
		return;
	CHECK(!uefilog_open(&l, buf, len, &err));
	CHECK(l.agile && l.spec.nr_algs == nr_algs);
	while (uefilog_next(&l, &e, &err) == 1) {
		n++;
		CHECK(e.sha1_format == !e.index);
		CHECK(e.nr_digests == (e.index ? nr_algs : 1));
		if (k < nr_want && want[k].index == e.index) {
			uefilog_decode(&l, &e, &info);
			uefilog_describe(&e, &info, desc, sizeof(desc));
			CHECK(e.pcr == want[k].pcr);
			CHECK(e.type == want[k].type);
			CHECK(info.kind == want[k].kind);
			CHECK(!strcmp(desc, want[k].desc));
			if (strcmp(desc, want[k].desc))
				fprintf(stderr, "%s event %llu: '%s'\n", name,
					(unsigned long long)e.index, desc);
			k++;
		}
	}
	CHECK(n == nr_events);
	CHECK(k == nr_want);
	CHECK(l.pos == len);
	free(buf);
}

static void test_ovmf_log(void)
{
	static const struct want w[] = {
		{ 0, 0, EV_NO_ACTION, UEFILOG_K_SPEC_ID, "Spec ID Event03" },
		{ 1, 0, EV_S_CRTM_VERSION, UEFILOG_K_STRING, "(empty)" },
		{ 2, 0, EV_EFI_PLATFORM_FIRMWARE_BLOB, UEFILOG_K_BLOB,
		  "blob 0x820000+0xe0000" },
		{ 4, 7, EV_EFI_VARIABLE_DRIVER_CONFIG, UEFILOG_K_VARIABLE,
		  "SecureBoot" },
		{ 9, 7, EV_SEPARATOR, UEFILOG_K_SEPARATOR, "separator" },
		{ 10, 4, EV_EFI_BOOT_SERVICES_APPLICATION, UEFILOG_K_IMAGE,
		  "VenMedia(1428f772-b64a-441e-b8c3-9ebdd7f893c7)/kernel" },
		{ 12, 1, EV_EFI_VARIABLE_BOOT, UEFILOG_K_VARIABLE, "Boot0000" },
		{ 13, 4, EV_EFI_ACTION, UEFILOG_K_STRING,
		  "Calling EFI Application from Boot Option" },
		{ 22, 9, EV_EVENT_TAG, UEFILOG_K_TAGGED,
		  "tag 0x8f3b22ec Linux initrd" },
		{ 24, 5, EV_EFI_ACTION, UEFILOG_K_STRING,
		  "Exit Boot Services Returned with Success" },
	};

	check_log("ovmf-4bank/eventlog.bin", 4, 25, w, sizeof(w) / sizeof(w[0]));
	check_log("ovmf-sha256/eventlog.bin", 1, 25, w, sizeof(w) / sizeof(w[0]));
}

static void test_seabios_log(void)
{
	static const struct want w[] = {
		{ 0, 0, EV_NO_ACTION, UEFILOG_K_SPEC_ID, "Spec ID Event03" },
		{ 2, 2, EV_ACTION, UEFILOG_K_STRING, "Start Option ROM Scan" },
		{ 5, 4, EV_ACTION, UEFILOG_K_STRING, "Calling INT 19h" },
		{ 13, 7, EV_SEPARATOR, UEFILOG_K_SEPARATOR,
		  "separator 0xffffffff" },
	};

	check_log("seabios-4bank/eventlog.bin", 4, 14, w, sizeof(w) / sizeof(w[0]));
	check_log("seabios-sha256/eventlog.bin", 1, 14, w, sizeof(w) / sizeof(w[0]));
}

/* ---- hand-built logs ---- */

static void test_all_kinds(void)
{
	static const enum uefilog_kind kinds[] = {
		UEFILOG_K_SPEC_ID, UEFILOG_K_LOCALITY, UEFILOG_K_STRING,
		UEFILOG_K_BLOB, UEFILOG_K_VARIABLE, UEFILOG_K_SEPARATOR,
		UEFILOG_K_IMAGE, UEFILOG_K_STRING, UEFILOG_K_HANDOFF,
		UEFILOG_K_GPT, UEFILOG_K_TAGGED, UEFILOG_K_RAW,
		UEFILOG_K_STRING,
	};
	static const char *const descs[] = {
		"Spec ID Event03", "StartupLocality 3", "v1", "blob 0x820000+0xe0000",
		"SB", "separator", "PciRoot(0x0)/Pci(0x1,0x0)/a.efi",
		"Calling EFI Application", "tables EFI_GLOBAL_VARIABLE",
		"GPT 00000000-0000-0000-0000-000000000000",
		"tag 0x8f3b22ec hello", "fffe", "grub_cmd: linux",
	};
	const struct uefilog_digest *d;
	struct uefilog_error err;
	struct uefilog_info info;
	struct uefilog_event e;
	struct uefilog l;
	struct lb *b = calloc(1, sizeof(*b));
	unsigned int n = 0;
	char desc[256];

	build_all(b);
	CHECK(!uefilog_open(&l, b->buf, b->len, &err));
	CHECK(l.spec.nr_algs == 2 && l.spec.vendor_len == 2);
	CHECK(uefilog_find_alg(&l, 0x0012)->size == 32);
	CHECK(!uefilog_find_alg(&l, 0x0004));
	while (uefilog_next(&l, &e, &err) == 1) {
		CHECK(n < sizeof(kinds) / sizeof(kinds[0]));
		if (n >= sizeof(kinds) / sizeof(kinds[0]))
			break;
		CHECK(e.offset == b->bounds[n]);
		uefilog_decode(&l, &e, &info);
		uefilog_describe(&e, &info, desc, sizeof(desc));
		CHECK(info.kind == kinds[n]);
		CHECK(!strcmp(desc, descs[n]));
		if (strcmp(desc, descs[n]))
			fprintf(stderr, "event %u: '%s'\n", n, desc);
		if (n) {
			d = uefilog_event_digest(&e, 0x0012);
			CHECK(d && d->size == 32 &&
			      d->bytes[0] == (e.type == EV_NO_ACTION ? 0 : n));
		}
		n++;
	}
	CHECK(n == sizeof(kinds) / sizeof(kinds[0]));
	free(b);
}

static void test_text_helpers(void)
{
	static const uint8_t utf16[] = {
		'a', 0, 0xe9, 0, 0x3d, 0xd8, 0x00, 0xde, 0x00, 0xd8, 'b', 0,
		'\n', 0, 0, 0, 'x', 0
	};
	static const uint8_t hd[] = {
		4, 1, 42, 0, 1, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0,
		0, 0, 1, 0, 0, 0, 0, 0,
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		2, 2,
		4, 6, 20, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
		15, 16, 0x7f, 0xff, 4, 0
	};
	char out[128];

	uefilog_text(utf16, sizeof(utf16), true, out, sizeof(out));
	CHECK(!strcmp(out, "a\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd" "b\\x0a"));
	uefilog_text((const uint8_t *)"ab\x80", 3, false, out, sizeof(out));
	CHECK(!strcmp(out, "ab\xef\xbf\xbd"));
	CHECK(uefilog_text((const uint8_t *)"abcdef", 6, false, out, 4) == 3);
	CHECK(!strcmp(out, "abc"));
	uefilog_devpath_text(hd, sizeof(hd), out, sizeof(out));
	CHECK(!strcmp(out, "HD(1,GPT,04030201-0605-0807-090a-0b0c0d0e0f10,0x800,0x10000)/FvFile(04030201-0605-0807-090a-0b0c0d0e0f10)"));
	/* a node longer than the path */
	uefilog_devpath_text(hd, 10, out, sizeof(out));
	CHECK(!strcmp(out, "<bad>"));
	uefilog_devpath_text((const uint8_t *)"\x05\x01\x06\x00\xab\xcd", 6,
			     out, sizeof(out));
	CHECK(!strcmp(out, "Path(5,1,abcd)"));
	CHECK(!strcmp(uefilog_type_name(EV_EFI_VARIABLE_AUTHORITY),
		      "EV_EFI_VARIABLE_AUTHORITY"));
	CHECK(!uefilog_type_name(0x12345678));
}

static void test_sha1_log(void)
{
	struct uefilog_error err;
	struct uefilog_event e;
	struct uefilog l;
	struct lb b;
	uint8_t d[20];
	unsigned int n = 0;

	memset(&b, 0, sizeof(b));
	memset(d, 0x5a, sizeof(d));
	put32(&b, 0);
	put32(&b, EV_S_CRTM_VERSION);
	put(&b, d, 20);
	put32(&b, 2);
	put(&b, "v1", 2);
	put32(&b, 4);
	put32(&b, EV_SEPARATOR);
	put(&b, d, 20);
	put32(&b, 4);
	put(&b, "\0\0\0\0", 4);
	put(&b, "\0\0\0\0\0\0\0\0\0\0\0", 11);	/* an unused log area */
	CHECK(!uefilog_open(&l, b.buf, b.len, &err));
	CHECK(!l.agile);
	while (uefilog_next(&l, &e, &err) == 1) {
		CHECK(e.sha1_format && e.nr_digests == 1 &&
		      e.digests[0].alg == UEFILOG_SHA1_ALG);
		n++;
	}
	CHECK(n == 2);
	CHECK(l.pos == b.len);
	CHECK(uefilog_find_alg(&l, UEFILOG_SHA1_ALG)->size == 20);
	CHECK(!uefilog_find_alg(&l, 0x000b));
}

static void expect_error(const uint8_t *buf, size_t len, const char *msg)
{
	struct uefilog_error err;
	unsigned int n;

	err.msg[0] = '\0';
	CHECK(parse_all(buf, len, &n, &err) < 0);
	CHECK(strstr(err.msg, msg));
	if (!strstr(err.msg, msg))
		fprintf(stderr, "wanted '%s', got '%s'\n", msg, err.msg);
}

static void set32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void test_bad_headers(void)
{
	static const uint16_t big[] = { 0x000b, 0x0042 };
	static const uint16_t bigs[] = { 32, 65 };
	static const uint16_t dup[] = { 0x000b, 0x000b };
	struct lb *b = calloc(1, sizeof(*b));
	struct uefilog l;
	struct uefilog_error err;

	expect_error(b->buf, 0, "the log is empty");
	header(b, 2, big, bigs);
	expect_error(b->buf, b->len, "digest size 65, not 1-64");
	header(b, 2, dup, two_sizes);
	expect_error(b->buf, b->len, "algorithm 0x000b is listed twice");
	header(b, 2, two_algs, two_sizes);
	set32(b->buf + 32 + 24, 0);
	expect_error(b->buf, b->len, "lists no algorithms");
	set32(b->buf + 32 + 24, 17);
	expect_error(b->buf, b->len, "more than the limit of 16");
	set32(b->buf + 32 + 24, 3);
	expect_error(b->buf, b->len, "3 algorithms exceed the 11 bytes");
	header(b, 2, two_algs, two_sizes);
	b->buf[32 + 36] = 9;	/* vendor info size */
	expect_error(b->buf, b->len, "vendor info size 9 exceeds");
	header(b, 2, two_algs, two_sizes);
	set32(b->buf + 28, b->len - 32 + 1);
	put(b, "x", 1);
	expect_error(b->buf, b->len, "1 bytes after its vendor info");
	/* not a Spec ID event: a SHA-1 log */
	header(b, 2, two_algs, two_sizes);
	b->buf[32] = 'X';
	CHECK(!uefilog_open(&l, b->buf, b->len, &err) && !l.agile);
	free(b);
}

static void test_bad_events(void)
{
	struct lb *b = calloc(1, sizeof(*b));
	uint8_t *copy = malloc(sizeof(b->buf));
	size_t at;

	build_all(b);
	/* event 3's size: one more than remains */
	memcpy(copy, b->buf, b->len);
	at = b->size_at[3];
	set32(copy + at, b->len - at - 4 + 1);
	expect_error(copy, b->len, "event size");
	/* a digest count of 0, and of more than the Spec ID event lists */
	memcpy(copy, b->buf, b->len);
	set32(copy + b->bounds[2] + 8, 0);
	expect_error(copy, b->len, "digest count is 0");
	set32(copy + b->bounds[2] + 8, 3);
	expect_error(copy, b->len, "exceeds the 2 algorithms");
	/* an algorithm the Spec ID event does not list, and one twice */
	memcpy(copy, b->buf, b->len);
	copy[b->bounds[2] + 12] = 0x04;
	expect_error(copy, b->len, "algorithm 0x0004, which the Spec ID event does not list");
	memcpy(copy, b->buf, b->len);
	copy[b->bounds[2] + 12 + 34] = 0x0b;
	expect_error(copy, b->len, "algorithm 0x000b has two digests");
	/* the header's size */
	memcpy(copy, b->buf, b->len);
	set32(copy + 28, 0xffffffff);
	expect_error(copy, b->len, "event size 4294967295 exceeds");
	free(copy);
	free(b);
}

/* Copy exactly @len bytes so that ASan catches a read past them. */
static int parse_copy(const uint8_t *buf, size_t len, unsigned int *n,
		      struct uefilog_error *err)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	memcpy(copy, buf, len);
	ret = parse_all(copy, len, n, err);
	free(copy);
	return ret;
}

static void truncations(const uint8_t *buf, size_t len, const size_t *bounds,
			unsigned int nr)
{
	struct uefilog_error err;
	unsigned int n, k;
	size_t cut, z;
	int ret;

	for (cut = 0; cut < len; cut++) {
		err.msg[0] = '\0';
		ret = parse_copy(buf, cut, &n, &err);
		/* the last event boundary at or before the cut */
		for (k = 0; k + 1 < nr && bounds[k + 1] <= cut; k++)
			;
		for (z = bounds[k]; z < cut && !buf[z]; z++)
			;
		/*
		 * At an event boundary the log is shorter, not broken; zero
		 * bytes after it are an unused log area.
		 */
		if (cut && (bounds[k] == cut || (k && z == cut))) {
			CHECK(!ret && n == (bounds[k] == cut ? k : k));
			continue;
		}
		CHECK(ret < 0 && err.msg[0]);
		CHECK(err.offset <= cut);
	}
}

static void test_truncated_every_offset(void)
{
	struct lb *b = calloc(1, sizeof(*b));
	size_t bounds[64];
	uint8_t *buf;
	size_t len;

	build_all(b);
	truncations(b->buf, b->len, b->bounds, b->nr + 1);
	buf = read_data("ovmf-4bank/eventlog.bin", &len);
	if (buf) {
		/* boundaries from the parser itself: checked above */
		struct uefilog l;
		struct uefilog_event e;
		struct uefilog_error err;
		unsigned int n = 0;

		uefilog_open(&l, buf, len, &err);
		while (uefilog_next(&l, &e, &err) == 1 && n < 63)
			bounds[n++] = e.offset;
		bounds[n++] = len;
		truncations(buf, len, bounds, n);
		free(buf);
	}
	free(b);
}

/* Flip every bit of every size and count field: an error or a parse. */
static void test_bit_flips(void)
{
	struct lb *b = calloc(1, sizeof(*b));
	uint8_t *copy = malloc(sizeof(b->buf));
	struct uefilog_error err;
	unsigned int i, bit, n, errors = 0;
	size_t at;

	build_all(b);
	for (i = 0; i < b->nr; i++) {
		for (bit = 0; bit < 32; bit++) {
			/* the event size */
			memcpy(copy, b->buf, b->len);
			at = b->size_at[i];
			copy[at + bit / 8] ^= 1 << (bit % 8);
			if (parse_copy(copy, b->len, &n, &err) < 0)
				errors++;
			else
				CHECK(bit < 8);	/* only low bits can fit */
			/* the digest count */
			if (!i)
				continue;
			memcpy(copy, b->buf, b->len);
			copy[b->bounds[i] + 8 + bit / 8] ^= 1 << (bit % 8);
			CHECK(parse_copy(copy, b->len, &n, &err) < 0);
		}
	}
	CHECK(errors > 0);
	/* every bit of the whole log */
	for (at = 0; at < b->len; at++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(copy, b->buf, b->len);
			copy[at] ^= 1 << bit;
			parse_copy(copy, b->len, &n, &err);
		}
	}
	free(copy);
	free(b);
}

/* Event data whose layout does not fit its type decodes as raw. */
static void test_malformed_data_is_raw(void)
{
	static const struct {
		uint32_t type;
		const char *data;
		uint32_t len;
	} cases[] = {
		{ EV_SEPARATOR, "\0\0\0", 3 },
		{ EV_EFI_VARIABLE_DRIVER_CONFIG, "short", 5 },
		{ EV_EFI_BOOT_SERVICES_APPLICATION, "short", 5 },
		{ EV_EFI_PLATFORM_FIRMWARE_BLOB, "0123456789abcde", 15 },
		{ EV_EFI_HANDOFF_TABLES, "\2\0\0\0\0\0\0\0", 8 },
		{ EV_EFI_GPT_EVENT, "x", 1 },
		{ EV_EVENT_TAG, "\x01\0\0\0\x09\0\0\0", 8 },
		{ EV_EFI_ACTION, "a\1b", 3 },
		{ EV_NO_ACTION, "StartupLocalit\0", 15 },
	};
	struct uefilog_error err;
	struct uefilog_info info;
	struct uefilog_event e;
	struct uefilog l;
	struct lb *b = calloc(1, sizeof(*b));
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		header(b, 2, two_algs, two_sizes);
		event(b, 1, cases[i].type, 0, cases[i].data, cases[i].len);
		CHECK(!uefilog_open(&l, b->buf, b->len, &err));
		CHECK(uefilog_next(&l, &e, &err) == 1);
		CHECK(uefilog_next(&l, &e, &err) == 1);
		uefilog_decode(&l, &e, &info);
		CHECK(info.kind == UEFILOG_K_RAW);
		if (info.kind != UEFILOG_K_RAW)
			fprintf(stderr, "case %u: kind %d\n", i, info.kind);
	}
	free(b);
}


/* The events of a log, or -1 with the parser's message in @msg. */
static int count_events(const uint8_t *buf, size_t len, struct uefilog *l,
			char *msg, size_t size)
{
	struct uefilog_error err;
	struct uefilog_event e;
	int n = 0, ret;

	msg[0] = '\0';
	if (uefilog_open(l, buf, len, &err)) {
		snprintf(msg, size, "%s", err.msg);
		return -1;
	}
	while ((ret = uefilog_next(l, &e, &err)) == 1)
		n++;
	if (ret < 0) {
		snprintf(msg, size, "%s", err.msg);
		return -1;
	}
	return n;
}

static void expect_events(struct lb *b, int n, const char *msg)
{
	struct uefilog l;
	char got[160];
	int ret;

	ret = count_events(b->buf, b->len, &l, got, sizeof(got));
	CHECK(ret == n);
	CHECK(msg ? strstr(got, msg) != NULL : !got[0]);
	if (ret != n || (msg && !strstr(got, msg)))
		fprintf(stderr, "wanted %d '%s', got %d '%s'\n", n,
			msg ? msg : "", ret, got);
}

/* Erased (0xFF) and unused (0x00) log areas end the log, and are counted. */
static void test_padding(void)
{
	static const size_t lens[] = { 1, 3, 31, 32, 4096 };
	struct lb *b = calloc(1, sizeof(*b));
	char msg[160];
	struct uefilog l;
	unsigned int i, k;
	size_t end;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			build_all(b);
			end = b->len;
			memset(b->buf + end, k ? 0xff : 0x00, lens[i]);
			b->len += lens[i];
			CHECK(count_events(b->buf, b->len, &l, msg,
					   sizeof(msg)) == (int)b->nr);
			CHECK(l.pad_len == lens[i] && l.pos == b->len);
			CHECK(l.pad_byte == (k ? 0xff : 0x00));
		}
	}
	/* no padding */
	build_all(b);
	CHECK(count_events(b->buf, b->len, &l, msg, sizeof(msg)) ==
	      (int)b->nr && l.pad_len == 0);
	/* all-zero SHA-1 events with a real one after them are events */
	memset(b, 0, sizeof(*b));
	for (k = 0; k < 12; k++) {
		if (!k || k == 11) {
			put32(b, 0);
			put32(b, EV_S_CRTM_VERSION);
			memset(b->buf + b->len, 0x5a, 20);
			b->len += 20;
			put32(b, 0);
		} else {
			memset(b->buf + b->len, 0, 32);
			b->len += 32;
		}
	}
	CHECK(count_events(b->buf, b->len, &l, msg, sizeof(msg)) == 12 &&
	      !l.agile && l.pad_len == 0);
	/* mixed: not padding, but an event that does not parse */
	memset(b->buf + b->len, 0xff, 40);
	b->buf[b->len + 39] = 0;
	b->len += 40;
	CHECK(count_events(b->buf, b->len, &l, msg, sizeof(msg)) < 0);
	free(b);
}

/* PCR indexes, the Spec ID header and EV_NO_ACTION digests (PFP). */
static void test_pfp_rules(void)
{
	struct lb *b = calloc(1, sizeof(*b));

	header(b, 2, two_algs, two_sizes);
	event(b, 23, EV_EFI_ACTION, 1, "x", 1);
	expect_events(b, 2, NULL);
	event(b, 24, EV_EFI_ACTION, 1, "x", 1);
	expect_events(b, -1, "PCR index 24 is not 0-23");
	header(b, 2, two_algs, two_sizes);
	event(b, 0xffffffff, EV_NO_ACTION, 0, "x", 1);
	expect_events(b, -1, "PCR index 4294967295 is not 0-23");
	/* the Spec ID event: PCR 0, zero digest */
	header(b, 2, two_algs, two_sizes);
	set32(b->buf, 1);
	expect_events(b, -1, "Spec ID event is in PCR 1, not 0");
	header(b, 2, two_algs, two_sizes);
	b->buf[27] = 1;
	expect_events(b, -1, "Spec ID event has a non-zero digest");
	/* EV_NO_ACTION: never extended, so its digests are zero */
	header(b, 2, two_algs, two_sizes);
	event(b, 0, EV_NO_ACTION, 0, "SP800-155 Event\0", 16);
	expect_events(b, 2, NULL);
	b->buf[b->bounds[1] + 12 + 2 + 32 + 2 + 31] = 0x80;
	expect_events(b, -1, "EV_NO_ACTION event has a non-zero digest (algorithm 0x0012)");
	free(b);
}

static const uint8_t loc3[17] = "StartupLocality\0\3";

static void test_startup_locality_rules(void)
{
	struct lb *b = calloc(1, sizeof(*b));
	uint8_t loc[17];
	struct uefilog l;
	char msg[160];

	/* before PCR 0's first extend, after other PCRs' events: fine */
	header(b, 2, two_algs, two_sizes);
	event(b, 7, EV_EFI_ACTION, 1, "x", 1);
	event(b, 0, EV_NO_ACTION, 0, loc3, sizeof(loc3));
	event(b, 0, EV_S_CRTM_VERSION, 1, "v", 1);
	CHECK(count_events(b->buf, b->len, &l, msg, sizeof(msg)) == 4);
	CHECK(l.locality == 3);
	/* none at all */
	header(b, 2, two_algs, two_sizes);
	CHECK(count_events(b->buf, b->len, &l, msg, sizeof(msg)) == 1);
	CHECK(l.locality == -1);
	/* after PCR 0 was extended */
	header(b, 2, two_algs, two_sizes);
	event(b, 0, EV_S_CRTM_VERSION, 1, "v", 1);
	event(b, 0, EV_NO_ACTION, 0, loc3, sizeof(loc3));
	expect_events(b, -1, "comes after an event that extends PCR 0");
	/* in another PCR */
	header(b, 2, two_algs, two_sizes);
	event(b, 1, EV_NO_ACTION, 0, loc3, sizeof(loc3));
	expect_events(b, -1, "StartupLocality event is in PCR 1, not 0");
	/* twice, a locality the PFP does not have, a wrong size */
	header(b, 2, two_algs, two_sizes);
	event(b, 0, EV_NO_ACTION, 0, loc3, sizeof(loc3));
	event(b, 0, EV_NO_ACTION, 0, loc3, sizeof(loc3));
	expect_events(b, -1, "a second StartupLocality event, with locality 3 after 3");
	memcpy(loc, loc3, sizeof(loc));
	loc[16] = 2;
	header(b, 2, two_algs, two_sizes);
	event(b, 0, EV_NO_ACTION, 0, loc, sizeof(loc));
	expect_events(b, -1, "StartupLocality 2 is not 0, 3 or 4");
	header(b, 2, two_algs, two_sizes);
	event(b, 0, EV_NO_ACTION, 0, loc3, 16);
	expect_events(b, -1, "StartupLocality event has 16 bytes of data, not 17");
	free(b);
}

/* The separators of the log in @b: their uefilog_separator_error(). */
static unsigned int separator_errors(struct lb *b, bool *err_of)
{
	struct uefilog_error err;
	struct uefilog_info info;
	struct uefilog_event e;
	struct uefilog l;
	unsigned int n = 0;

	CHECK(!uefilog_open(&l, b->buf, b->len, &err));
	while (uefilog_next(&l, &e, &err) == 1) {
		uefilog_decode(&l, &e, &info);
		if (e.type == EV_SEPARATOR)
			err_of[n++] = uefilog_separator_error(&e, &info);
		else
			CHECK(!uefilog_separator_error(&e, &info));
	}
	return n;
}

static void test_separator_errors(void)
{
	struct lb *b = calloc(1, sizeof(*b));
	bool err[8];

	/* before any EV_EFI_* event: a conventional BIOS's 0xFFFFFFFF is fine */
	header(b, 2, two_algs, two_sizes);
	event(b, 0, EV_SEPARATOR, 1, "\0\0\0\0", 4);
	event(b, 1, EV_SEPARATOR, 1, "\xff\xff\xff\xff", 4);
	event(b, 2, EV_SEPARATOR, 1, "\1\0\0\0", 4);
	event(b, 3, EV_SEPARATOR, 1, "\2\0\0\0", 4);
	event(b, 4, EV_SEPARATOR, 1, "\0\0\0", 3);	/* no value */
	/* after one: the PFP's error values */
	event(b, 5, EV_EFI_ACTION, 1, "x", 1);
	event(b, 5, EV_SEPARATOR, 1, "\xff\xff\xff\xff", 4);
	event(b, 6, EV_SEPARATOR, 1, "\1\0\0\0", 4);
	event(b, 7, EV_SEPARATOR, 1, "\0\0\0\0", 4);
	CHECK(separator_errors(b, err) == 8);
	CHECK(!err[0] && !err[1] && err[2] && err[3] && !err[4]);
	CHECK(err[5] && err[6] && !err[7]);
	free(b);
}

/*
 * uefilog_digest_covers_data() for every type vtrust names: the types whose
 * digest the PFP defines over the event data, and only those. The list is
 * written out here from the specification, not taken from uefilog.c.
 */
static void test_digest_covers_data(void)
{
	static const uint32_t covered[] = {
		EV_SEPARATOR, EV_ACTION, EV_S_CRTM_VERSION,
		EV_PLATFORM_CONFIG_FLAGS, EV_COMPACT_HASH,
		EV_OMIT_BOOT_DEVICE_EVENTS, EV_EFI_VARIABLE_DRIVER_CONFIG,
		EV_EFI_VARIABLE_BOOT, EV_EFI_VARIABLE_BOOT2, EV_EFI_GPT_EVENT,
		EV_EFI_ACTION, EV_EFI_VARIABLE_AUTHORITY,
	};
	static const uint32_t boot_vars[] = {
		EV_EFI_VARIABLE_BOOT, EV_EFI_VARIABLE_BOOT2,
	};
	struct uefilog_info info;
	struct uefilog_event e;
	struct uefilog l;
	const uint8_t *alt;
	uint8_t var[32 + 4 + 3];
	size_t alt_len;
	uint32_t type;
	unsigned int i;
	bool want, is_boot;

	memset(&l, 0, sizeof(l));
	memset(var, 0, sizeof(var));
	var[16] = 2;		/* name: 2 UTF-16 units */
	var[24] = 3;		/* data: 3 bytes */
	memcpy(var + 32, "B\0o\0xyz", 7);
	for (type = 0; type <= 0x800000ff; type++) {
		if (type == 0x20)
			type = EV_EFI_EVENT_BASE;
		memset(&e, 0, sizeof(e));
		e.index = 1;
		e.type = type;
		e.data = var;
		e.data_len = sizeof(var);
		uefilog_decode(&l, &e, &info);
		for (i = 0, want = false; i < sizeof(covered) / 4; i++)
			want |= covered[i] == type;
		for (i = 0, is_boot = false; i < sizeof(boot_vars) / 4; i++)
			is_boot |= boot_vars[i] == type;
		CHECK(uefilog_digest_covers_data(&e, &info, &alt, &alt_len) ==
		      want);
		if (want != uefilog_digest_covers_data(&e, &info, &alt,
						       &alt_len))
			fprintf(stderr, "type 0x%08x\n", type);
		/* only Boot#### may digest its VariableData alone */
		CHECK(is_boot ? alt == var + 36 && alt_len == 3 : !alt);
	}
}

/* Decode and describe an event of @type with @len bytes of @data. */
static enum uefilog_kind describe(uint32_t type, const void *data,
				  uint32_t len, char *out, size_t size)
{
	struct uefilog_info info;
	struct uefilog_event e;
	struct uefilog l;

	memset(&l, 0, sizeof(l));
	memset(&e, 0, sizeof(e));
	e.index = 1;
	e.type = type;
	e.data = data;
	e.data_len = len;
	uefilog_decode(&l, &e, &info);
	uefilog_describe(&e, &info, out, size);
	return info.kind;
}

/* Names are never empty, and text is cut only between characters. */
static void test_names_and_truncation(void)
{
	static const uint8_t euro16[] = { 0xac, 0x20, 0xac, 0x20, 0xac, 0x20 };
	static const uint8_t ctl16[] = {
		0x2e, 0x20, 'a', 0, 0x85, 0, 0x1b, 0, 0x66, 0x20, 0x1c, 0x06
	};
	uint8_t var[32] = { 0 }, img[32 + 4] = { 0 };
	char out[64];
	size_t n;

	/* a variable without a name, an image without a device path */
	CHECK(describe(EV_EFI_VARIABLE_DRIVER_CONFIG, var, sizeof(var), out,
		       sizeof(out)) == UEFILOG_K_VARIABLE);
	CHECK(!strcmp(out, "(empty)"));
	img[24] = 4;
	memcpy(img + 32, "\x7f\xff\x04\x00", 4);
	CHECK(describe(EV_EFI_BOOT_SERVICES_APPLICATION, img, sizeof(img), out,
		       sizeof(out)) == UEFILOG_K_IMAGE);
	CHECK(!strcmp(out, "(empty)"));
	/* an empty string and an empty TABLES2 description */
	CHECK(describe(EV_EFI_ACTION, "\0\0", 2, out, sizeof(out)) ==
	      UEFILOG_K_STRING && !strcmp(out, "(empty)"));
	CHECK(describe(EV_EFI_HANDOFF_TABLES2, "\0\0\0\0\0\0\0\0\0", 9, out,
		       sizeof(out)) == UEFILOG_K_HANDOFF &&
	      !strcmp(out, "tables"));
	/* too small for the whole name: cut, never empty */
	CHECK(describe(EV_EFI_ACTION, "Calling", 7, out, 4) ==
	      UEFILOG_K_STRING && !strcmp(out, "Cal"));
	CHECK(describe(EV_EFI_ACTION, "\0", 1, out, 3) == UEFILOG_K_STRING &&
	      !strcmp(out, "(e"));
	/* U+20AC is 3 bytes of UTF-8: 8 bytes hold two and the NUL */
	for (n = 1; n <= 11; n++) {
		memset(out, 'x', sizeof(out));
		CHECK(uefilog_text(euro16, sizeof(euro16), true, out, n) ==
		      (n - 1) / 3 * 3);
		CHECK(strlen(out) == (n - 1) / 3 * 3);
	}
	/* escapes are whole too: "\x0a" is 4 bytes */
	CHECK(uefilog_text((const uint8_t *)"a\n", 2, false, out, 5) == 1);
	CHECK(uefilog_text((const uint8_t *)"a\n", 2, false, out, 6) == 5);
	CHECK(!strcmp(out, "a\\x0a"));
	/* bidi overrides, C1 and ESC are escaped */
	uefilog_text(ctl16, sizeof(ctl16), true, out, sizeof(out));
	CHECK(!strcmp(out, "\\u202ea\\u0085\\x1b\\u2066\\u061c"));
}

int main(void)
{
	RUN(test_ovmf_log);
	RUN(test_seabios_log);
	RUN(test_all_kinds);
	RUN(test_text_helpers);
	RUN(test_sha1_log);
	RUN(test_bad_headers);
	RUN(test_bad_events);
	RUN(test_truncated_every_offset);
	RUN(test_bit_flips);
	RUN(test_malformed_data_is_raw);
	RUN(test_padding);
	RUN(test_pfp_rules);
	RUN(test_startup_locality_rules);
	RUN(test_separator_errors);
	RUN(test_digest_covers_data);
	RUN(test_names_and_truncation);
	DONE();
}
