// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Template encoders (kernel/template.c) against byte vectors laid out by
 * hand from docs/FORMATS.md: d-ng (sha256, sm3), ima-ng, ima-buf and a
 * binary list entry, each through the sizing call (NULL buffer), a buffer
 * one byte short (nothing written) and a large enough one (nothing written
 * past the encoding); a per-bank entry with a 32-byte template digest; the
 * IMA template digest (SHA-1 over the template data, computed with the
 * kernel's crypto API) of the ima-ng vector; and two binary lists captured
 * from a guest (tests/data/eventlogs/ovmf-ima: vtrust's list and IMA's
 * own), whose every entry's template digest must be the SHA-1 of its
 * template data and whose every entry must come back byte for byte when
 * its fields and the entry are encoded again. Output buffers are allocated
 * to their exact size, so KASAN sees any write past them.
 */
#include <crypto/hash.h>
#include <crypto/sha1.h>
#include <crypto/sha2.h>
#include <crypto/sm3.h>
#include <linux/string.h>

#include "vtrust_kunit.h"
#include "template.h"

static u32 le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

/* A buffer of exactly @size bytes, each @fill */
static u8 *test_buf(struct kunit *test, size_t size, u8 fill)
{
	u8 *p = kunit_kmalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	memset(p, fill, size);
	return p;
}

/* SHA-1 with the kernel's crypto API, the independent reference */
static void sha1(struct kunit *test, const void *data, size_t len,
		 u8 out[SHA1_DIGEST_SIZE])
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha1", 0, 0);
	int ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tfm);
	ret = crypto_shash_tfm_digest(tfm, data, len, out);
	crypto_free_shash(tfm);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

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

/* d-ng "sm3:" NUL digest: 37 bytes */
#define DNG_SM3_ABC                                                       \
	"73 6d 33 3a 00"                                                  \
	"66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b " \
	"8f4ba8e0"

/* ima-ng: d-ng (len 0x28) then n-ng "init_module:af_key" NUL (len 0x13) */
#define IMA_NG_AF_KEY                                      \
	"28000000" DNG_SHA256_ABC "13000000"               \
	"69 6e 69 74 5f 6d 6f 64 75 6c 65 3a 61 66 5f 6b " \
	"65 79 00"

/* SHA-1 of IMA_NG_AF_KEY, computed once with Python's hashlib */
#define IMA_NG_AF_KEY_SHA1 "9417c9ff89ab03e63bd91738d6adcbbb2399dc02"

/* ima-buf: d-ng (0x28), n-ng "vtrust-start" NUL (0x0d), buf "abc" (3) */
#define IMA_BUF_START                                    \
	"28000000" DNG_SHA256_ABC                        \
	"0d000000 76 74 72 75 73 74 2d 73 74 61 72 74 00" \
	"03000000 61 62 63"

/* binary entry: pcr 11, SHA-1 template digest, "ima-ng" (6), data (0x43) */
#define BINARY_AF_KEY                                                   \
	"0b000000" IMA_NG_AF_KEY_SHA1 "06000000 69 6d 61 2d 6e 67"     \
	"43000000" IMA_NG_AF_KEY

static const char af_key_name[] = "init_module:af_key";

/* The content digests above are what their comments say (kernel's own). */
static void template_test_content_digests(struct kunit *test)
{
	struct sm3_state st;
	u8 got[32];

	sha256("abc", 3, got);
	VT_EXPECT_MEMEQ(test, got, sha256_abc, 32);
	sm3_init(&st);
	sm3_update(&st, "abc", 3);
	sm3_final(&st, got);
	VT_EXPECT_MEMEQ(test, got, sm3_abc, 32);
}

/*
 * With the encoders, a template whose first field is the d-ng of @digest
 * (32 bytes of @algo; @dng_len bytes, encoded into exactly that many) and
 * whose other fields are @rest.
 */
static size_t encode_with_dng(struct kunit *test, u8 *out, size_t size,
			      const struct vtrust_template_desc *desc,
			      const char *algo, const u8 *digest,
			      size_t dng_len, const struct vtrust_field *rest)
{
	struct vtrust_field f[VTRUST_TEMPLATE_FIELDS_MAX];
	u8 *dng = test_buf(test, dng_len, 0);
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vtrust_encode_dng(dng, dng_len, algo, digest, 32),
			dng_len);
	f[0].data = dng;
	f[0].len = dng_len;
	for (i = 1; i < desc->nr_fields; i++)
		f[i] = rest[i - 1];
	return vtrust_encode_template(out, size, desc, f);
}

/* Build the ima-ng data of the af_key vector with the encoders. */
static size_t encode_af_key(struct kunit *test, u8 *out, size_t size)
{
	static const struct vtrust_field name = {
		af_key_name, sizeof(af_key_name) /* counts the NUL */
	};

	return encode_with_dng(test, out, size, &vtrust_template_ng, "sha256",
			       sha256_abc, 40, &name);
}

static size_t encode_dng_sha256(struct kunit *test, u8 *out, size_t size)
{
	return vtrust_encode_dng(out, size, "sha256", sha256_abc, 32);
}

static size_t encode_dng_sm3(struct kunit *test, u8 *out, size_t size)
{
	return vtrust_encode_dng(out, size, "sm3", sm3_abc, 32);
}

static size_t encode_ima_buf(struct kunit *test, u8 *out, size_t size)
{
	static const char name[] = "vtrust-start";
	static const struct vtrust_field rest[] = {
		{ name, sizeof(name) },
		{ "abc", 3 },
	};

	return encode_with_dng(test, out, size, &vtrust_template_buf, "sha256",
			       sha256_abc, 40, rest);
}

static size_t encode_binary_af_key(struct kunit *test, u8 *out, size_t size)
{
	u8 data[67], digest[SHA1_DIGEST_SIZE];
	size_t dlen;

	dlen = vt_unhex(test, IMA_NG_AF_KEY, data, sizeof(data));
	KUNIT_ASSERT_EQ(test, dlen, sizeof(data));
	vt_unhex(test, IMA_NG_AF_KEY_SHA1, digest, sizeof(digest));
	return vtrust_encode_binary_entry(out, size, 11, digest,
					  sizeof(digest), &vtrust_template_ng,
					  data, dlen);
}

struct encoder_case {
	const char *desc;
	size_t (*encode)(struct kunit *test, u8 *out, size_t size);
	const char *want; /* hex */
	size_t len;
};

static const struct encoder_case encoder_cases[] = {
	{ "d-ng sha256", encode_dng_sha256, DNG_SHA256_ABC, 40 },
	{ "d-ng sm3", encode_dng_sm3, DNG_SM3_ABC, 37 },
	{ "ima-ng init_module:af_key", encode_af_key, IMA_NG_AF_KEY, 67 },
	{ "ima-buf vtrust-start abc", encode_ima_buf, IMA_BUF_START,
	  4 + 40 + 4 + 13 + 4 + 3 },
	{ "binary entry ima-ng af_key", encode_binary_af_key, BINARY_AF_KEY,
	  4 + 20 + 4 + 6 + 4 + 67 },
};

VT_ARRAY_PARAM_DESC(encoder, encoder_cases, desc);

#define FILL 0xa5

/*
 * The sizing call gives the length; a buffer one byte short is left as it
 * was; one of exactly the length gets the vector; one 8 bytes larger gets
 * the vector and nothing after it.
 */
static void template_test_encoder(struct kunit *test)
{
	const struct encoder_case *c = test->param_value;
	u8 *want = test_buf(test, c->len, 0);
	u8 *out;

	KUNIT_ASSERT_EQ(test, vt_unhex(test, c->want, want, c->len), c->len);

	KUNIT_EXPECT_EQ(test, c->encode(test, NULL, 0), c->len);
	KUNIT_EXPECT_EQ(test, c->encode(test, NULL, c->len), c->len);

	out = test_buf(test, c->len - 1, FILL);
	KUNIT_EXPECT_EQ(test, c->encode(test, out, c->len - 1), c->len);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(out, FILL, c->len - 1), NULL);

	out = test_buf(test, c->len, FILL);
	KUNIT_EXPECT_EQ(test, c->encode(test, out, c->len), c->len);
	VT_EXPECT_MEMEQ(test, out, want, c->len);

	out = test_buf(test, c->len + 8, FILL);
	KUNIT_EXPECT_EQ(test, c->encode(test, out, c->len + 8), c->len);
	VT_EXPECT_MEMEQ(test, out, want, c->len);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(out + c->len, FILL, 8), NULL);
}

/*
 * IMA's template digest for ima-ng is SHA-1 over, for each field, its u32
 * length then its bytes: lay those bytes out here field by field, without
 * the encoders, and compare digests.
 */
static void template_test_ima_ng_sha1(struct kunit *test)
{
	u8 raw[67], want[SHA1_DIGEST_SIZE], got[SHA1_DIGEST_SIZE];
	u8 anchor[SHA1_DIGEST_SIZE];
	size_t n = 0, len;
	u8 *out;

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
	KUNIT_ASSERT_EQ(test, n, 67);

	sha1(test, raw, n, want);
	vt_unhex(test, IMA_NG_AF_KEY_SHA1, anchor, sizeof(anchor));
	VT_EXPECT_MEMEQ(test, want, anchor, SHA1_DIGEST_SIZE);

	out = test_buf(test, n, FILL);
	len = encode_af_key(test, out, n);
	KUNIT_ASSERT_EQ(test, len, n);
	sha1(test, out, len, got);
	VT_EXPECT_MEMEQ(test, got, want, SHA1_DIGEST_SIZE);
}

/* A per-bank entry: 32-byte template digest, SM3 content digest. */
static void template_test_binary_entry_sm3_bank(struct kunit *test)
{
	static const char name[] = "vtrust-unload";
	static const struct vtrust_field rest = { name, sizeof(name) };
	u8 data[64], digest[32];
	size_t dlen, n;
	u8 *out;

	dlen = encode_with_dng(test, data, sizeof(data), &vtrust_template_ng,
			       "sm3", sm3_abc, 37, &rest);
	KUNIT_ASSERT_EQ(test, dlen, 4 + 37 + 4 + 14);
	memset(digest, 0x3c, sizeof(digest));

	n = vtrust_encode_binary_entry(NULL, 0, 10, digest, 32,
				       &vtrust_template_ng, data, dlen);
	KUNIT_ASSERT_EQ(test, n, 4 + 32 + 4 + 6 + 4 + dlen);
	out = test_buf(test, n, FILL);
	KUNIT_ASSERT_EQ(test,
			vtrust_encode_binary_entry(out, n, 10, digest, 32,
						   &vtrust_template_ng, data,
						   dlen),
			n);
	KUNIT_EXPECT_EQ(test, out[0], 10);
	KUNIT_EXPECT_EQ(test, out[1] | out[2] | out[3], 0);
	VT_EXPECT_MEMEQ(test, out + 4, digest, 32);
	KUNIT_EXPECT_EQ(test, out[36], 6);
	VT_EXPECT_MEMEQ(test, out + 40, "ima-ng", 6);
	KUNIT_EXPECT_EQ(test, out[46], dlen);
	KUNIT_EXPECT_EQ(test, out[47], 0);
	VT_EXPECT_MEMEQ(test, out + 50, data, dlen);
}

/*
 * tests/data/eventlogs/ovmf-ima/vtrust/binary_runtime_measurements:
 * vtrust's list, SHA-1 template digests; 1 ima-buf entry (vtrust-start)
 * and 17 ima-ng entries.
 */
static const char *const vtrust_list[] = {
	"0b000000356a903e81f581f6546f08ce5fa3f43681e4a31d07000000696d612d",
	"6275661c020000280000007368613235363a00edabfdd9f4980801f022a2a21f",
	"569aafb4c6841976b73b72253d3ab9b2e5f63a0d0000007674727573742d7374",
	"61727400db0100007674727573742d73746172742076657273696f6e3d312070",
	"63723d3131206167677265676174653d7368613235363a633564316134323934",
	"3363333136333836353662306532636332313237383136636538383933636135",
	"3661333139343135646165333833386432653530373930207072696f723d7368",
	"61313a3030303030303030303030303030303030303030303030303030303030",
	"30303030303030303030302c7368613235363a30303030303030303030303030",
	"3030303030303030303030303030303030303030303030303030303030303030",
	"303030303030303030303030303030303030302c7368613338343a3030303030",
	"3030303030303030303030303030303030303030303030303030303030303030",
	"3030303030303030303030303030303030303030303030303030303030303030",
	"3030303030303030303030303030303030303030303030303030302c73686135",
	"31323a3030303030303030303030303030303030303030303030303030303030",
	"3030303030303030303030303030303030303030303030303030303030303030",
	"3030303030303030303030303030303030303030303030303030303030303030",
	"3030303030303030303030303030303030303030303030303030303030303030",
	"3030300b000000be3c61ee3f53af6487d1afad8aa5fa82c78a9b790600000069",
	"6d612d6e673c000000280000007368613235363a00a03d0a4f355f336e86f565",
	"c8362b0a5cfac9cb4d60db4632e2ae4ee1e422b5a50c0000007265736964656e",
	"743a3970000b00000020fd2ccaf0e16778004d93ae0a2860f40071acb9060000",
	"00696d612d6e6741000000280000007368613235363a00904bbfa898a5e0d933",
	"bfa7045738e9fafa78d60068be98f68fd5cc12eeea1fd3110000007265736964",
	"656e743a66736361636865000b000000711b71ee040ce33bdcd46e66c2989a45",
	"69ef087106000000696d612d6e673f000000280000007368613235363a00b15b",
	"c10c9b055fbd78b76826f48d02f723cf25e875a9bb3dbbf0e5f718debf3a0f00",
	"00007265736964656e743a6e65746673000b000000d43de4c71bf46f02fb1ab0",
	"d6eeca5c398fb76c6306000000696d612d6e6746000000280000007368613235",
	"363a00e1f243ed067c6d5015d52443bd9bc723dfa8fb375328bd84d3a0b08150",
	"4f5ae0160000007265736964656e743a39706e65745f76697274696f000b0000",
	"00f9ca0aa9a6a72cb4f7561a407b59954a80d28a4106000000696d612d6e673f",
	"000000280000007368613235363a0006b202e56ecceba4ec46df2e58a1ab81f9",
	"82307098836ed56829d409941fa5a20f0000007265736964656e743a39706e65",
	"74000b000000ba4cf80f949b8a6b8af4b5f4faed115e5f64a4ab06000000696d",
	"612d6e6744000000280000007368613235363a0068e9bed22755c24fdcee70a8",
	"4802ef2f0ffe6b50882abb9b5837af211df48033140000007265736964656e74",
	"3a76697274696f5f706369000b000000f14baf1482a3b28a8c409d07fde0e982",
	"17489c6806000000696d612d6e6740000000280000007368613235363a00fef9",
	"97c6cd80a7bf366ddf0b31629d07f688e15085623a97142e953fc923da771000",
	"00007265736964656e743a76697274696f000b000000db30c90cf5abfdb3a872",
	"4cfd8155d302713a97fd06000000696d612d6e67450000002800000073686132",
	"35363a007f78d188e0c782cda01b12df12d09a0a441418d8e95f7ccc413b96af",
	"a3c974bc150000007265736964656e743a76697274696f5f72696e67000b0000",
	"00e2ebea9d633746c2433cb24f979b59711438af3706000000696d612d6e674f",
	"000000280000007368613235363a00789c3b44958ff655abc4c0b203e91f3d94",
	"a7d0cfe960efc0a4d9763e306c0d9d1f0000007265736964656e743a76697274",
	"696f5f7063695f6c65676163795f646576000b00000070734ff8b2ef72415691",
	"baab4e3b90278079329b06000000696d612d6e674f0000002800000073686132",
	"35363a00ba5e00447cd0b7a6b15f77b8b0800e291db7a675c865cf8ef0df179f",
	"dd33371e1f0000007265736964656e743a76697274696f5f7063695f6d6f6465",
	"726e5f646576000b0000002652f66388cdd5e6ed755e5b2d05bf02c81b3f6606",
	"000000696d612d6e6746000000280000007368613235363a00d3e2c1a633a0c7",
	"0e54a44656b998bcb7fbf1b16dde4868c47c9d09352dc0211e16000000726573",
	"6964656e743a7368613531325f7373736533000b00000063279431bc40b022c0",
	"68d929c47f476560582e1606000000696d612d6e674800000028000000736861",
	"3235363a00c2e035b8a4aec6ec7f55e4331e1a0f598f975b7716e2078f324ba8",
	"7f5b944f26180000007265736964656e743a7368613531325f67656e65726963",
	"000b000000405dd4cea20fd5ae9964193c7f224aa8e0ba87d606000000696d61",
	"2d6e6756000000280000007368613235363a0053f64e537a7547bcdf86bb6fb6",
	"f331568cae9dc3475b30a9fab9666feb64a83f260000002f7674727573742f74",
	"657374732f6d6f64756c65732f67656e2f7674745f303030302e6b6f000b0000",
	"002068a48da1ec4d0222b8c03a6e6f6ab4260ac04406000000696d612d6e6756",
	"000000280000007368613235363a0005e2127862864563f1ae90ddf6ba186d7c",
	"d458edba53d578f9dffd25fbee640e260000002f7674727573742f7465737473",
	"2f6d6f64756c65732f67656e2f7674745f303030312e6b6f000b000000b125a1",
	"09a944b67911406d4cdc55e8d9dfad2bf306000000696d612d6e675600000028",
	"0000007368613235363a008d9459c4375b93f23dfe5ccc42c0101ba755d78c12",
	"5da798b8d8c1edf5c687f8260000002f7674727573742f74657374732f6d6f64",
	"756c65732f67656e2f7674745f303030322e6b6f000b00000035e90a6ed5b821",
	"ddee67547744d6b7ac39ae368c06000000696d612d6e67560000002800000073",
	"68613235363a001c8085ee5ae5cb17483edf3f24faf2c609cde054e92ffbc0d8",
	"1962c2a84fe550260000002f7674727573742f74657374732f6d6f64756c6573",
	"2f67656e2f7674745f303030332e6b6f000b00000093fab1c840747d788af854",
	"898c61b8d72d05520d06000000696d612d6e6756000000280000007368613235",
	"363a0067e0644c21776b4f36d492c5db4bd0cfe25761ac5c9676b6168e837d4f",
	"2f4fb5260000002f7674727573742f74657374732f6d6f64756c65732f67656e",
	"2f7674745f303030342e6b6f00",
};

/*
 * tests/data/eventlogs/ovmf-ima/ima/binary_runtime_measurements: IMA's
 * list of the same boot, written by the kernel's IMA; 14 ima-sig entries
 * (no signatures) and 1 ima-buf entry (.builtin_trusted_keys).
 */
static const char *const ima_list[] = {
	"0a000000adc7163abd58755d30e6fe594494d0c43ceae36c07000000696d612d",
	"73696743000000280000007368613235363a00c5d1a42943c31638656b0e2cc2",
	"127816ce8893ca56a319415dae3838d2e507900f000000626f6f745f61676772",
	"656761746500000000000a0000002b227524fe5b9f01543db577305683e12e9d",
	"1a5907000000696d612d62756676050000280000007368613235363a00e10cdf",
	"e6ca9402f53845865d09305a63eef0fdfeb3d92a28cafca181326008ed160000",
	"002e6275696c74696e5f747275737465645f6b657973002c0500003082052830",
	"820310a003020102021466f54e1566a043cc3030420e181cf850fb9f42ac300d",
	"06092a864886f70d01010b0500302e312c302a06035504030c234275696c6420",
	"74696d65206175746f67656e657261746564206b65726e656c206b6579302017",
	"0d3236313131363131343635375a180f32313236313032333131343635375a30",
	"2e312c302a06035504030c234275696c642074696d65206175746f67656e6572",
	"61746564206b65726e656c206b657930820222300d06092a864886f70d010101",
	"05000382020f003082020a0282020100ad7ad18f1b735a79e2233e96d99cc3ad",
	"e5dbbfe77d01dfb5203cb43fce83838073c259930466c77d7752d709fa011b30",
	"eef2ad880af659a00cb3636fd5305e40da49ff7509103106d1fe4915a7d9d25b",
	"bc5651c457593ab9bf078d741f1a02f77579d94fbba8f7f23accc5197555ec50",
	"97f79a08f196fa4d9085d1a4f35ff1d62879792a5bdd3cad3901e419770f5d6f",
	"36464430b23ec00100123f65d0a8510acff6916c35c5a2805a905413877db6fa",
	"ea6f2d7a43a230f0deae18c8f086247994983ec4be2377840c9d2e1670f2b04d",
	"ad5d875ef91e0121824b912a8e86996e8d4f3f8e3cd3e41156d8666e5e83b29b",
	"0bf0813fe98a3da0b03eaa9f56b696bff23e622a5035da82b88e92ebda53f7bc",
	"f08abf78c4b636b3c7be2fc7b799ad1378ded2bc1148998d3a38a11c3b301254",
	"b548bc7a9ec00594bc2df627b33491980cfc9bcc840eef9f74fda2b1237b6cca",
	"31059094b8d69c8cc7ec8f1c9f8de32812d1bfa5116bbe74bf31c1869931a83d",
	"43d25938ce2f95826d1fe1171bf1af34f33537e19b8d34a9fe2f7eeb14408d02",
	"da590168210f1e100dc6001c6182d867400bf5e3c1fe5ad8da41aff462b9f702",
	"713e71648d7cf46123905df8952015210cf10edf85b021b7d59496099e6ea060",
	"5957ac2ce34909e1f4cf6c33331767a07dadcb9912df4971ae2abf6c43a594c2",
	"94902a5cbff37444d63a7b407f93ffb50203010001a33c303a300c0603551d13",
	"0101ff04023000300b0603551d0f040403020780301d0603551d0e0416041489",
	"63f707e289edc09df337a240938134371a5bb8300d06092a864886f70d01010b",
	"050003820201005728adb5d5ed2261b6a2856d65f40f7273572fcf87b0d339ed",
	"5b44430c5a51ace1eea972915a63b76c79b09d2914f94c752f55df9e8c5657cf",
	"27341b88fe53df9841a6faa458d2eac1371f3fbfcd12bb0dbf4800d33dda7b5b",
	"55f48398dc78ca8e000193cdce11897e37e32742399de4c5050ddb739d2eb56f",
	"bd0e76cc36b1df7246db31b86dcbc4b67b775e130f17d9f2fe9789307d414a47",
	"02c51969fcd61ff389fb29cb20a0c63f35770de540b1ddd253b564b13cc005b0",
	"9e7651966243074b31563f5ba8c19a47fd5b91b77d310e95e41170c799653b86",
	"63f9192d21dd951b624c4e2486ce58734636bcdee774f3c37ce5cf8298d5d173",
	"6491242f97a4ebd6ee3d19ac8011c6f3136346b705005f474380b13c86345b53",
	"fdf1a3b5dcb4fae04b4a3870e9c5f98c367c189584abda61c5c7b61130d7cb81",
	"95e470bd6e684d9cad964c33ba2d1cdf427b565b1d3764cbae7f2977d1a51e5b",
	"4a05a99b9a9071cfea0afba0067d2d009e059a22aa3ba88a8a1c9bb329fad574",
	"c52c6d9b6caea5da297029f4c6c760ead21e9ff3bfe1d8134be3675e386c6c53",
	"b428a2a1204f77cf482b6ea22df7bed868acf90e34eae8ce9af88afc4b39abca",
	"ff2b14d2ff1da4d0810147e7fbe141857ab453374e76e9b6366c555879176e7b",
	"25356c78119289854811a7de377b5b794970a960fb2e8a9bc38f8c3664416ded",
	"e1b9f49f2b05b10a0000006a5230a9c8ee3448e65d258f2450b6e06bb2c03c07",
	"000000696d612d7369675f000000280000007368613235363a0037412b7ac110",
	"63c25a375bdff6f4fdb340362f926cd9c3a55962e8a9c9bc702e2b0000002f75",
	"73722f6c69622f7838365f36342d6c696e75782d676e752f6c69627a7374642e",
	"736f2e312e352e3400000000000a0000007c441a61557dfec11f346029272fde",
	"9b6efd1d2107000000696d612d7369675f000000280000007368613235363a00",
	"aaead752b2f290547267341891424f17244d86a95202c3f3a41cc75c77d76821",
	"2b0000002f7573722f6c69622f7838365f36342d6c696e75782d676e752f6c69",
	"626c7a6d612e736f2e352e342e3100000000000a000000347ed28fa611ccbbf4",
	"feeb469f5c8565e9514b8307000000696d612d7369675d000000280000007368",
	"613235363a00aa01e614af634bc7c8b678c9250b5c4f613c61989bacf0a5d6ae",
	"d6570e7dcabd290000002f7573722f6c69622f7838365f36342d6c696e75782d",
	"676e752f6c696263727970746f2e736f2e3300000000000a00000034ece9d344",
	"63800a80275a6c1d917e3684160e3507000000696d612d736967580000002800",
	"00007368613235363a006b4a45352fd0c540a9c7c718f35ce8c8e46a4e482f9d",
	"3885a910c32d1a0e1421240000002f7573722f6c69622f7838365f36342d6c69",
	"6e75782d676e752f6c6962632e736f2e3600000000000a0000000c8b302320fc",
	"edaef5c4d5107395e34f0eb502ab07000000696d612d73696764000000280000",
	"007368613235363a001014fb8aa2033300104070ea62a257225ce6e00822e853",
	"ace1bfcc896e1c6e96300000002f7573722f6c69622f6d6f64756c65732f362e",
	"312e302d35362d616d6436342f6d6f64756c65732e736f667464657000000000",
	"000a00000050ac567e94a043b3d93a945da62cb072f3be7b9f07000000696d61",
	"2d7369674d000000280000007368613235363a001fd85f8a9fc83bcf378d8d62",
	"5138c6c3600d799c252c10bc8f2094ec9c41aa8f190000002f7674727573742f",
	"6b65726e656c2f7674727573742e6b6f00000000000a000000bea0fcd5d88ae8",
	"5cb52bf74343d0a16079b4bbf307000000696d612d7369675a00000028000000",
	"7368613235363a0053f64e537a7547bcdf86bb6fb6f331568cae9dc3475b30a9",
	"fab9666feb64a83f260000002f7674727573742f74657374732f6d6f64756c65",
	"732f67656e2f7674745f303030302e6b6f00000000000a0000004f66b80b251d",
	"ed87be0878edd595ef47c2684bbf07000000696d612d7369675a000000280000",
	"007368613235363a0005e2127862864563f1ae90ddf6ba186d7cd458edba53d5",
	"78f9dffd25fbee640e260000002f7674727573742f74657374732f6d6f64756c",
	"65732f67656e2f7674745f303030312e6b6f00000000000a000000a3532981c6",
	"16a5cebe42b2e1973eecb0d9f089b207000000696d612d7369675a0000002800",
	"00007368613235363a008d9459c4375b93f23dfe5ccc42c0101ba755d78c125d",
	"a798b8d8c1edf5c687f8260000002f7674727573742f74657374732f6d6f6475",
	"6c65732f67656e2f7674745f303030322e6b6f00000000000a000000e4a568ee",
	"12c751aed6123515efd71a2853952ef207000000696d612d7369675a00000028",
	"0000007368613235363a001c8085ee5ae5cb17483edf3f24faf2c609cde054e9",
	"2ffbc0d81962c2a84fe550260000002f7674727573742f74657374732f6d6f64",
	"756c65732f67656e2f7674745f303030332e6b6f00000000000a000000d93f65",
	"33e3c5b8ed7c22a1ca50724c227d37d0b707000000696d612d7369675a000000",
	"280000007368613235363a0067e0644c21776b4f36d492c5db4bd0cfe25761ac",
	"5c9676b6168e837d4f2f4fb5260000002f7674727573742f74657374732f6d6f",
	"64756c65732f67656e2f7674745f303030342e6b6f00000000000a00000078fa",
	"945d48a591301b421386526969fe14f2f34507000000696d612d736967420000",
	"00280000007368613235363a00d67fd2f903fcef79fe6c820952d102f7b27ad8",
	"846436a2c0badbf1b9406299310e0000002f746d702f66696c652d6f6e650000",
	"0000000a0000007931403419a799a073aa3ba1f3d31a02ad8e46440700000069",
	"6d612d73696742000000280000007368613235363a00d6371c4c4395218472dd",
	"25a04f53fad1db3a3413e02cc7eae8784e0d3297e06c0e0000002f746d702f66",
	"696c652d74776f0000000000",
};

struct real_list {
	const char *desc;
	const char *const *hex; /* 32 bytes a line, the last shorter */
	unsigned int lines;
	size_t len;
	unsigned int entries;
};

static const struct real_list real_lists[] = {
	{ "ovmf-ima/vtrust", vtrust_list, ARRAY_SIZE(vtrust_list), 2477, 18 },
	{ "ovmf-ima/ima", ima_list, ARRAY_SIZE(ima_list), 3180, 15 },
};

VT_ARRAY_PARAM_DESC(real_list, real_lists, desc);

static const struct vtrust_template_desc template_sig = { "ima-sig", 3 };

static const struct vtrust_template_desc *
template_by_name(const u8 *name, u32 len)
{
	static const struct vtrust_template_desc *const all[] = {
		&vtrust_template_ng, &vtrust_template_buf, &template_sig,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(all); i++)
		if (strlen(all[i]->name) == len &&
		    !memcmp(all[i]->name, name, len))
			return all[i];
	return NULL;
}

/*
 * Every entry of a real binary list: its template digest is the SHA-1 of
 * its template data (unless all zero, a violation), and encoding its
 * fields again, then the entry, gives back the same bytes.
 */
static void template_test_real_list(struct kunit *test)
{
	static const u8 violation[SHA1_DIGEST_SIZE];
	const struct real_list *l = test->param_value;
	struct vtrust_field fl[VTRUST_TEMPLATE_FIELDS_MAX];
	const struct vtrust_template_desc *desc;
	u8 *buf = test_buf(test, l->len, 0);
	size_t off = 0, elen, n;
	unsigned int entries = 0, i;
	u8 sha[SHA1_DIGEST_SIZE];
	u32 nlen, dlen, flen;
	const u8 *e, *data;
	u8 *re;

	for (i = 0; i < l->lines; i++)
		off += vt_unhex(test, l->hex[i], buf + off, l->len - off);
	KUNIT_ASSERT_EQ(test, off, l->len);
	off = 0;

	while (off < l->len) {
		e = buf + off;
		KUNIT_ASSERT_LE_MSG(test, off + 28, l->len, "entry %u", entries);
		nlen = le32(e + 24);
		KUNIT_ASSERT_LT_MSG(test, nlen, 256, "entry %u", entries);
		KUNIT_ASSERT_LE_MSG(test, off + 32 + nlen, l->len, "entry %u",
				    entries);
		dlen = le32(e + 28 + nlen);
		KUNIT_ASSERT_LE_MSG(test, off + 32 + nlen + dlen, l->len,
				    "entry %u", entries);
		data = e + 32 + nlen;
		elen = 32 + nlen + dlen;
		off += elen;

		sha1(test, data, dlen, sha);
		if (memcmp(e + 4, violation, sizeof(violation)))
			VT_EXPECT_MEMEQ_MSG(test, sha, e + 4, SHA1_DIGEST_SIZE,
					    "entry %u: template digest",
					    entries);

		desc = template_by_name(e + 28, nlen);
		KUNIT_ASSERT_NOT_NULL_MSG(test, desc, "entry %u: template %.*s",
					  entries, nlen, e + 28);
		for (i = 0, n = 0; i < desc->nr_fields; i++) {
			KUNIT_ASSERT_LE_MSG(test, n + 4, dlen,
					    "entry %u field %u", entries, i);
			flen = le32(data + n);
			KUNIT_ASSERT_LE_MSG(test, n + 4 + flen, dlen,
					    "entry %u field %u", entries, i);
			fl[i].data = data + n + 4;
			fl[i].len = flen;
			n += 4 + flen;
		}
		KUNIT_ASSERT_EQ_MSG(test, n, dlen, "entry %u: fields", entries);

		re = test_buf(test, dlen, FILL);
		KUNIT_EXPECT_EQ_MSG(test,
				    vtrust_encode_template(re, dlen, desc, fl),
				    dlen, "entry %u: template data", entries);
		VT_EXPECT_MEMEQ_MSG(test, re, data, dlen,
				    "entry %u: template data", entries);
		kunit_kfree(test, re);

		re = test_buf(test, elen, FILL);
		KUNIT_EXPECT_EQ_MSG(test,
				    vtrust_encode_binary_entry(re, elen,
							       le32(e), e + 4,
							       SHA1_DIGEST_SIZE,
							       desc, data,
							       dlen),
				    elen, "entry %u", entries);
		VT_EXPECT_MEMEQ_MSG(test, re, e, elen, "entry %u", entries);
		kunit_kfree(test, re);
		entries++;
	}
	KUNIT_EXPECT_EQ(test, off, l->len);
	KUNIT_EXPECT_EQ(test, entries, l->entries);
}

static struct kunit_case template_test_cases[] = {
	KUNIT_CASE(template_test_content_digests),
	KUNIT_CASE_PARAM(template_test_encoder, encoder_gen_params),
	KUNIT_CASE(template_test_ima_ng_sha1),
	KUNIT_CASE(template_test_binary_entry_sm3_bank),
	KUNIT_CASE_PARAM(template_test_real_list, real_list_gen_params),
	{}
};

static struct kunit_suite template_test_suite = {
	.name = "vtrust_template",
	.test_cases = template_test_cases,
};

kunit_test_suite(template_test_suite);
