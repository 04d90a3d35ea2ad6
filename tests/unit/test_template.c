// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Template encoders (kernel/template.c) against byte vectors laid out by hand
 * from docs/FORMATS.md, and the IMA template digest (SHA-1 over the template
 * data) computed with OpenSSL.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/sha.h>

#include "unit.h"
#include "template.h"

/* SHA-256("abc"), the content digest used in the vectors below */
static const u8 sha256_abc[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
	0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
	0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

/* SM3("abc"), GM/T 0004-2012 A.1 */
static const u8 sm3_abc[32] = {
	0x66, 0xc7, 0xf0, 0xf4, 0x62, 0xee, 0xed, 0xd9, 0xd1, 0xf2, 0xd4,
	0x6b, 0xdc, 0x10, 0xe4, 0xe2, 0x41, 0x67, 0xc4, 0x87, 0x5c, 0xf2,
	0xf7, 0xa2, 0x29, 0x7d, 0xa0, 0x2b, 0x8f, 0x4b, 0xa8, 0xe0,
};

/* d-ng "sha256:" NUL digest: 40 bytes */
#define DNG_SHA256_ABC                                                    \
	"73 68 61 32 35 36 3a 00"                                         \
	"ba7816bf 8f01cfea 414140de 5dae2223 b00361a3 96177a9c b410ff61 " \
	"f20015ad"

/* ima-ng: d-ng (len 0x28) then n-ng "init_module:af_key" NUL (len 0x13) */
#define IMA_NG_AF_KEY                                      \
	"28000000" DNG_SHA256_ABC "13000000"               \
	"69 6e 69 74 5f 6d 6f 64 75 6c 65 3a 61 66 5f 6b " \
	"65 79 00"

/* SHA-1 of IMA_NG_AF_KEY, computed once with Python's hashlib */
#define IMA_NG_AF_KEY_SHA1 "9417c9ff89ab03e63bd91738d6adcbbb2399dc02"

static const char af_key_name[] = "init_module:af_key";

static size_t unhex(const char *hex, u8 *out, size_t size)
{
	return unit_unhex(hex, out, size);
}

static void test_dng(void **state)
{
	u8 want[64], out[64];
	size_t n;

	(void)state;
	n = unhex(DNG_SHA256_ABC, want, sizeof(want));
	assert_int_equal(n, 40);

	/* sizing: NULL out, then too small by one: nothing written */
	assert_int_equal(vtrust_encode_dng(NULL, 0, "sha256", sha256_abc, 32),
			 40);
	memset(out, 0xa5, sizeof(out));
	assert_int_equal(vtrust_encode_dng(out, 39, "sha256", sha256_abc, 32),
			 40);
	for (n = 0; n < sizeof(out); n++)
		assert_int_equal(out[n], 0xa5);

	assert_int_equal(vtrust_encode_dng(out, 40, "sha256", sha256_abc, 32),
			 40);
	assert_memory_equal(out, want, 40);
	assert_int_equal(out[40], 0xa5);
}

static void test_dng_sm3(void **state)
{
	u8 want[38], out[38];

	(void)state;
	memcpy(want, "sm3:\0", 5);
	memcpy(want + 5, sm3_abc, 32);
	assert_int_equal(
		vtrust_encode_dng(out, sizeof(out), "sm3", sm3_abc, 32), 37);
	assert_memory_equal(out, want, 37);
}

/* Build the ima-ng data of the af_key vector with the encoders. */
static size_t encode_af_key(u8 *out, size_t size)
{
	struct vtrust_field f[2];
	u8 dng[40];

	assert_int_equal(vtrust_encode_dng(dng, sizeof(dng), "sha256",
					   sha256_abc, 32),
			 40);
	f[0].data = dng;
	f[0].len = sizeof(dng);
	f[1].data = af_key_name;
	f[1].len = sizeof(af_key_name); /* counts the NUL */
	return vtrust_encode_template(out, size, &vtrust_template_ng, f);
}

static void test_ima_ng(void **state)
{
	u8 want[128], out[128];
	size_t n, i;

	(void)state;
	n = unhex(IMA_NG_AF_KEY, want, sizeof(want));
	assert_int_equal(n, 67);

	assert_int_equal(encode_af_key(NULL, 0), 67);
	memset(out, 0x5a, sizeof(out));
	assert_int_equal(encode_af_key(out, 66), 67);
	for (i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0x5a);

	assert_int_equal(encode_af_key(out, sizeof(out)), 67);
	assert_memory_equal(out, want, 67);
	assert_int_equal(out[67], 0x5a);
}

/*
 * IMA's template digest for ima-ng is SHA-1 over, for each field, its u32
 * length then its bytes: lay those bytes out here field by field, without
 * the encoders, and compare digests.
 */
static void test_ima_ng_sha1(void **state)
{
	u8 raw[128], out[128], want[20], got[20], anchor[20];
	size_t n = 0, len;

	(void)state;
	raw[n++] = 40;
	raw[n++] = 0;
	raw[n++] = 0;
	raw[n++] = 0;
	memcpy(raw + n, "sha256:", 7);
	n += 7;
	raw[n++] = 0;
	memcpy(raw + n, sha256_abc, 32);
	n += 32;
	raw[n++] = sizeof(af_key_name);
	raw[n++] = 0;
	raw[n++] = 0;
	raw[n++] = 0;
	memcpy(raw + n, af_key_name, sizeof(af_key_name));
	n += sizeof(af_key_name);
	assert_int_equal(n, 67);

	SHA1(raw, n, want);
	unhex(IMA_NG_AF_KEY_SHA1, anchor, sizeof(anchor));
	assert_memory_equal(want, anchor, 20);

	len = encode_af_key(out, sizeof(out));
	assert_int_equal(len, n);
	SHA1(out, len, got);
	assert_memory_equal(got, want, 20);
}

static void test_ima_buf(void **state)
{
	static const char name[] = "vtrust-start";
	struct vtrust_field f[3];
	u8 want[128], out[128], dng[40];
	size_t n;

	(void)state;
	/* d-ng (0x28), n-ng "vtrust-start" NUL (0x0d), buf "abc" (3) */
	n = unhex("28000000" DNG_SHA256_ABC
		  "0d000000 76 74 72 75 73 74 2d 73 74 61 72 74 00"
		  "03000000 61 62 63",
		  want, sizeof(want));
	assert_int_equal(n, 4 + 40 + 4 + 13 + 4 + 3);

	vtrust_encode_dng(dng, sizeof(dng), "sha256", sha256_abc, 32);
	f[0].data = dng;
	f[0].len = sizeof(dng);
	f[1].data = name;
	f[1].len = sizeof(name);
	f[2].data = "abc";
	f[2].len = 3;

	assert_int_equal(
		vtrust_encode_template(NULL, 0, &vtrust_template_buf, f), n);
	memset(out, 0, sizeof(out));
	assert_int_equal(
		vtrust_encode_template(out, n - 1, &vtrust_template_buf, f), n);
	assert_int_equal(out[0], 0);
	assert_int_equal(
		vtrust_encode_template(out, n, &vtrust_template_buf, f), n);
	assert_memory_equal(out, want, n);
}

static void test_binary_entry(void **state)
{
	u8 data[128], digest[20], want[256], out[256];
	size_t dlen, n, i;

	(void)state;
	dlen = unhex(IMA_NG_AF_KEY, data, sizeof(data));
	unhex(IMA_NG_AF_KEY_SHA1, digest, sizeof(digest));

	/* pcr 11, SHA-1 template digest, "ima-ng" (6), data (0x43) */
	n = unhex("0b000000" IMA_NG_AF_KEY_SHA1 "06000000 69 6d 61 2d 6e 67"
		  "43000000" IMA_NG_AF_KEY,
		  want, sizeof(want));
	assert_int_equal(n, 4 + 20 + 4 + 6 + 4 + 67);

	assert_int_equal(vtrust_encode_binary_entry(NULL, 0, 11, digest, 20,
						    &vtrust_template_ng, data,
						    dlen),
			 n);
	memset(out, 0xee, sizeof(out));
	assert_int_equal(vtrust_encode_binary_entry(out, n - 1, 11, digest, 20,
						    &vtrust_template_ng, data,
						    dlen),
			 n);
	for (i = 0; i < sizeof(out); i++)
		assert_int_equal(out[i], 0xee);
	assert_int_equal(vtrust_encode_binary_entry(out, n, 11, digest, 20,
						    &vtrust_template_ng, data,
						    dlen),
			 n);
	assert_memory_equal(out, want, n);
	assert_int_equal(out[n], 0xee);
}

/* A per-bank entry: 32-byte template digest, SM3 content digest. */
static void test_binary_entry_sm3_bank(void **state)
{
	static const char name[] = "vtrust-unload";
	struct vtrust_field f[2];
	u8 dng[37], data[64], out[160], digest[32];
	size_t dlen, n;

	(void)state;
	vtrust_encode_dng(dng, sizeof(dng), "sm3", sm3_abc, 32);
	f[0].data = dng;
	f[0].len = sizeof(dng);
	f[1].data = name;
	f[1].len = sizeof(name);
	dlen = vtrust_encode_template(data, sizeof(data), &vtrust_template_ng,
				      f);
	assert_int_equal(dlen, 4 + 37 + 4 + 14);
	memset(digest, 0x3c, sizeof(digest));

	n = vtrust_encode_binary_entry(out, sizeof(out), 10, digest, 32,
				       &vtrust_template_ng, data, dlen);
	assert_int_equal(n, 4 + 32 + 4 + 6 + 4 + dlen);
	assert_int_equal(out[0], 10);
	assert_memory_equal(out + 4, digest, 32);
	assert_int_equal(out[36], 6);
	assert_memory_equal(out + 40, "ima-ng", 6);
	assert_int_equal(out[46], dlen);
	assert_int_equal(out[47], 0);
	assert_memory_equal(out + 50, data, dlen);
}

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/*
 * If this machine runs IMA and its list is readable (or VTRUST_IMA_LOG names
 * a copy of a binary list), every ima-ng entry's template digest must be the
 * SHA-1 of its template data, and re-encoding its fields and the entry must
 * give back the same bytes.
 */
static void test_real_ima_log(void **state)
{
	const char *path = getenv("VTRUST_IMA_LOG");
	size_t len = 0, off = 0, checked = 0;
	static u8 buf[1 << 22];
	FILE *f;

	(void)state;
	if (!path)
		path = "/sys/kernel/security/ima/binary_runtime_measurements";
	f = fopen(path, "rb");
	if (!f)
		UNIT_SKIP("no readable IMA list at %s\n", path);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);

	while (off + 28 <= len) {
		const u8 *e = buf + off, *data;
		u32 nlen = le32(e + 24), dlen, f0, f1;
		u8 sha1[20], re[4096];
		struct vtrust_field fl[2];

		assert_true(nlen < 256);
		if (off + 32 + nlen > len ||
		    off + 32 + nlen + le32(e + 28 + nlen) > len) {
			/* only a list cut short by our buffer may end early */
			assert_int_equal(len, sizeof(buf));
			break;
		}
		dlen = le32(e + 28 + nlen);
		data = e + 32 + nlen;
		off += 32 + nlen + dlen;
		if (nlen != 6 || memcmp(e + 28, "ima-ng", 6) || dlen > 2048)
			continue;
		SHA1(data, dlen, sha1);
		if (memcmp(e + 4, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
			   20)) /* not a violation */
			assert_memory_equal(sha1, e + 4, 20);

		f0 = le32(data);
		assert_true(8 + f0 <= dlen);
		f1 = le32(data + 4 + f0);
		assert_int_equal(8 + f0 + f1, dlen);
		fl[0].data = data + 4;
		fl[0].len = f0;
		fl[1].data = data + 8 + f0;
		fl[1].len = f1;
		assert_int_equal(vtrust_encode_template(re, sizeof(re),
							&vtrust_template_ng,
							fl),
				 dlen);
		assert_memory_equal(re, data, dlen);
		assert_int_equal(vtrust_encode_binary_entry(
					 re, sizeof(re), le32(e), e + 4, 20,
					 &vtrust_template_ng, data, dlen),
				 32 + nlen + dlen);
		assert_memory_equal(re, e, 32 + nlen + dlen);
		checked++;
	}
	if (len < sizeof(buf))
		assert_int_equal(off, len);
	print_message("checked %zu ima-ng entries of %s\n", checked, path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dng),
		cmocka_unit_test(test_dng_sm3),
		cmocka_unit_test(test_ima_ng),
		cmocka_unit_test(test_ima_ng_sha1),
		cmocka_unit_test(test_ima_buf),
		cmocka_unit_test(test_binary_entry),
		cmocka_unit_test(test_binary_entry_sm3_bank),
		cmocka_unit_test(test_real_ima_log),
	};

	return UNIT_RUN(tests);
}
