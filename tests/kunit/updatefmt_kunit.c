// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The signed update's framing and header line (kernel/updatefmt.c): splits
 * accepted and refused (the magic missing or wrong, sig_len 0 or larger
 * than what precedes it, inputs shorter than the tail); header lines
 * accepted and refused by every rule (single spaces, four tokens, the
 * first "vtrust-update", <seq> decimal without sign or leading zero and
 * within a u64, <instance> 32 lowercase hex digits, the '\n' within the
 * first 128 bytes); every byte in the target, the seq and the instance;
 * the line length limit; the seq around powers of ten and U64_MAX; a whole
 * update taken apart; and every truncation of it. Inputs are passed in
 * allocations of exactly their length (no NUL), so KASAN sees any read
 * past them, and a refusal must leave the outputs untouched.
 */
#include <asm/unaligned.h>

#include "vtrust_kunit.h"
#include "updatefmt.h"

#define INST "00112233445566778899aabbccddeeff"
#define MAGIC VTRUST_UPDATE_MAGIC
#define LINE(target, seq, inst) \
	"vtrust-update " target " " seq " " inst "\n"
/* a string literal and its length, NUL bytes in it included */
#define BYTES(s) s, sizeof(s) - 1

static const u8 inst_bin[VTRUST_UPDATE_INSTANCE_SIZE] = {
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
};

/*
 * Split @data (allocated to exactly @len bytes); on success the parts lie
 * within it, the signature right after the content and up to the tail.
 */
static int split(struct kunit *test, const char *data, size_t len,
		 size_t *content_len, const void **sig, size_t *sig_len)
{
	size_t cl = 0xdead, sl = 0xbeef;
	const void *s = test;
	int ret;

	ret = vtrust_update_split(data, len, &cl, &s, &sl);
	if (ret) {
		KUNIT_EXPECT_EQ(test, ret, -EBADMSG);
		KUNIT_EXPECT_EQ(test, cl, (size_t)0xdead);
		KUNIT_EXPECT_EQ(test, sl, (size_t)0xbeef);
		KUNIT_EXPECT_PTR_EQ(test, s, (const void *)test);
		return ret;
	}
	KUNIT_EXPECT_GE(test, sl, (size_t)1);
	KUNIT_EXPECT_EQ(test, cl + sl + VTRUST_UPDATE_TAIL_LEN, len);
	KUNIT_EXPECT_PTR_EQ(test, s, (const void *)(data + cl));
	*content_len = cl;
	*sig = s;
	*sig_len = sl;
	return 0;
}

/*
 * Parse the header of @content (allocated to exactly @len bytes); on
 * success the target lies within the line and the body starts right
 * after the first '\n', which is within the first 128 bytes.
 */
static int header(struct kunit *test, const char *content, size_t len,
		  struct vtrust_update_header *hdr)
{
	struct vtrust_update_header h;
	const char *nl;
	int ret;

	memset(&h, 0x5a, sizeof(h));
	ret = vtrust_update_header(content, len, &h);
	if (ret) {
		struct vtrust_update_header untouched;

		memset(&untouched, 0x5a, sizeof(untouched));
		KUNIT_EXPECT_EQ(test, ret, -EBADMSG);
		VT_EXPECT_MEMEQ(test, &h, &untouched, sizeof(h));
		return ret;
	}
	nl = memchr(content, '\n', len);
	KUNIT_ASSERT_NOT_NULL(test, nl);
	KUNIT_EXPECT_EQ(test, h.body, (size_t)(nl + 1 - content));
	KUNIT_EXPECT_LE(test, h.body, (size_t)VTRUST_UPDATE_LINE_MAX);
	KUNIT_EXPECT_GE(test, h.target_len, (size_t)1);
	KUNIT_EXPECT_TRUE(test, h.target > content);
	KUNIT_EXPECT_TRUE(test, h.target + h.target_len < nl);
	KUNIT_EXPECT_PTR_EQ(test, memchr(h.target, ' ', h.target_len), NULL);
	*hdr = h;
	return 0;
}

/* header() of "vtrust-update policy <seq> INST\n", <seq> printed by @fmt */
static __printf(3, 4) int seq_header(struct kunit *test,
				     struct vtrust_update_header *hdr,
				     const char *fmt, ...)
{
	char seq[64], line[128];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(seq, sizeof(seq), fmt, ap);
	va_end(ap);
	KUNIT_ASSERT_LT(test, len, sizeof(seq));
	len = snprintf(line, sizeof(line), "vtrust-update policy %s %s\n", seq,
		       INST);
	KUNIT_ASSERT_LT(test, len, sizeof(line));
	return header(test, vt_dup_exact(test, line, len), len, hdr);
}

/* An accepted header: @target, @seq, and the instance INST */
static void expect_header(struct kunit *test,
			  const struct vtrust_update_header *h,
			  const char *target, u64 seq)
{
	KUNIT_ASSERT_EQ(test, h->target_len, strlen(target));
	VT_EXPECT_MEMEQ(test, h->target, target, h->target_len);
	KUNIT_EXPECT_EQ(test, h->seq, seq);
	VT_EXPECT_MEMEQ(test, h->instance, inst_bin, sizeof(inst_bin));
}

struct split_case {
	const char *name;
	const char *head; /* content and signature, or the whole input */
	size_t head_len;
	bool raw; /* the input is @head only */
	u32 sig_len; /* the be32 field */
	const char *magic;
	size_t magic_len;
	int ret;
	size_t content_len; /* when accepted */
};

/* head || be32 sig_len || magic */
#define FRAMED(name, head, sig_len, magic, ret, content_len) \
	{ name, BYTES(head), false, sig_len, BYTES(magic), ret, content_len }
/* the input as it is */
#define RAW(name, input, ret, content_len) \
	{ name, BYTES(input), true, 0, NULL, 0, ret, content_len }

static const struct split_case split_cases[] = {
	FRAMED("content and sig", "CCCSS", 2, MAGIC, 0, 3),
	FRAMED("one-byte sig", "CCCS", 1, MAGIC, 0, 3),
	FRAMED("empty content", "SSSS", 4, MAGIC, 0, 0),
	FRAMED("magic in content", MAGIC "S", 1, MAGIC, 0, 16),
	FRAMED("NULs", "\0\0\0", 1, MAGIC, 0, 2),
	RAW("one byte and tail", "S\0\0\0\1" MAGIC, 0, 0),
	/* sig_len */
	FRAMED("sig_len 0", "CCCSS", 0, MAGIC, -EBADMSG, 0),
	FRAMED("sig_len 0, nothing before", "", 0, MAGIC, -EBADMSG, 0),
	FRAMED("sig_len 1, nothing before", "", 1, MAGIC, -EBADMSG, 0),
	FRAMED("sig_len one too big", "CCCSS", 6, MAGIC, -EBADMSG, 0),
	FRAMED("sig_len 0x80000000", "CCCSS", 0x80000000, MAGIC, -EBADMSG, 0),
	FRAMED("sig_len 0xffffffff", "CCCSS", 0xffffffff, MAGIC, -EBADMSG, 0),
	FRAMED("sig_len 2 little-endian", "CCCSS", 0x02000000, MAGIC,
	       -EBADMSG, 0),
	/* the magic */
	FRAMED("magic without newline", "CCCSS", 2, "~vtrust-update~",
	       -EBADMSG, 0),
	FRAMED("magic CRLF", "CCCSS", 2, "~vtrust-update~\r\n", -EBADMSG, 0),
	FRAMED("magic case", "CCCSS", 2, "~vtrust-Update~\n", -EBADMSG, 0),
	FRAMED("magic first byte", "CCCSS", 2, "-vtrust-update~\n", -EBADMSG,
	       0),
	FRAMED("newline after magic", "CCCSS", 2, MAGIC "\n", -EBADMSG, 0),
	FRAMED("space after magic", "CCCSS", 2, MAGIC " ", -EBADMSG, 0),
	FRAMED("NUL after magic", "CCCSS", 2, MAGIC "\0", -EBADMSG, 0),
	FRAMED("no magic", "CCCSS", 2, "", -EBADMSG, 0),
	/* shorter than the tail, or no tail */
	RAW("empty", "", -EBADMSG, 0),
	RAW("magic only", MAGIC, -EBADMSG, 0),
	RAW("3 bytes and magic", "\0\0\1" MAGIC, -EBADMSG, 0),
	RAW("tail only, sig_len 0", "\0\0\0\0" MAGIC, -EBADMSG, 0),
	RAW("tail only, sig_len 1", "\0\0\0\1" MAGIC, -EBADMSG, 0),
	RAW("header line only", LINE("policy", "1", INST), -EBADMSG, 0),
};

#undef FRAMED
#undef RAW

VT_ARRAY_PARAM_DESC(split, split_cases, name);

static void updatefmt_test_split(struct kunit *test)
{
	const struct split_case *c = test->param_value;
	size_t len, content_len, sig_len;
	const void *sig;
	char *data;
	int ret;

	len = c->head_len + (c->raw ? 0 : 4 + c->magic_len);
	data = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, data);
	memcpy(data, c->head, c->head_len);
	if (!c->raw) {
		put_unaligned_be32(c->sig_len, data + c->head_len);
		memcpy(data + c->head_len + 4, c->magic, c->magic_len);
	}
	ret = split(test, data, len, &content_len, &sig, &sig_len);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (ret)
		return;
	KUNIT_EXPECT_EQ(test, content_len, c->content_len);
	KUNIT_EXPECT_EQ(test, sig_len,
			len - VTRUST_UPDATE_TAIL_LEN - c->content_len);
}

struct header_case {
	const char *name;
	const char *text;
	size_t len;
	int ret;
	const char *target; /* when accepted; the instance is INST */
	u64 seq;
};

#define OK(name, text, target, seq) { name, BYTES(text), 0, target, seq }
#define BAD(name, text) { name, BYTES(text), -EBADMSG }

static const struct header_case header_cases[] = {
	OK("policy", LINE("policy", "1", INST), "policy", 1),
	OK("baseline, body", LINE("baseline", "2", INST) "sha256:00 x\n",
	   "baseline", 2),
	OK("body right after", LINE("policy", "3", INST) "\n\n", "policy", 3),
	OK("seq 0", LINE("policy", "0", INST), "policy", 0),
	OK("seq 10", LINE("policy", "10", INST), "policy", 10),
	OK("seq U64_MAX", LINE("policy", "18446744073709551615", INST),
	   "policy", U64_MAX),
	OK("seq U64_MAX - 1", LINE("policy", "18446744073709551614", INST),
	   "policy", U64_MAX - 1),
	OK("seq 10^19", LINE("policy", "10000000000000000000", INST),
	   "policy", 10000000000000000000ULL),
	OK("seq 19 nines", LINE("policy", "9999999999999999999", INST),
	   "policy", 9999999999999999999ULL),
	/* the target is any token: seal.c looks it up */
	OK("unknown target", LINE("nosuch", "1", INST), "nosuch", 1),
	OK("target x", LINE("x", "1", INST), "x", 1),
	OK("target tab CR", LINE("a\tb\r", "1", INST), "a\tb\r", 1),
	OK("target high bytes", LINE("\xc3\xa9\xff", "1", INST),
	   "\xc3\xa9\xff", 1),
	OK("target vtrust-update", LINE("vtrust-update", "1", INST),
	   "vtrust-update", 1),
	/* a NUL ends the line's text (the old C string parse): kept */
	OK("NUL then junk", "vtrust-update policy 1 " INST "\0 x y\n",
	   "policy", 1),
	OK("NUL right before newline", "vtrust-update policy 1 " INST "\0\n",
	   "policy", 1),
	BAD("NUL inside instance", "vtrust-update policy 1 0011\0" INST "\n"),
	BAD("NUL before instance", "vtrust-update policy 1\0 " INST "\n"),
	BAD("NUL first", "\0vtrust-update policy 1 " INST "\n"),
	BAD("NUL in target", "vtrust-update pol\0icy 1 " INST "\n"),
	/* the line */
	BAD("empty", ""),
	BAD("newline only", "\n"),
	BAD("no newline", "vtrust-update policy 1 " INST),
	BAD("no newline, body", "vtrust-update policy 1 " INST " body"),
	BAD("CRLF", "vtrust-update policy 1 " INST "\r\n"),
	BAD("CR", "vtrust-update policy 1 " INST "\rbody\n"),
	/* spaces and tokens */
	BAD("leading space", " " LINE("policy", "1", INST)),
	BAD("trailing space", "vtrust-update policy 1 " INST " \n"),
	BAD("two spaces", "vtrust-update  policy 1 " INST "\n"),
	BAD("two spaces before seq", "vtrust-update policy  1 " INST "\n"),
	BAD("two spaces before instance", "vtrust-update policy 1  " INST "\n"),
	BAD("tab separator", "vtrust-update\tpolicy 1 " INST "\n"),
	BAD("tab before seq", "vtrust-update policy\t1 " INST "\n"),
	BAD("three tokens", "vtrust-update policy " INST "\n"),
	BAD("two tokens", "vtrust-update policy\n"),
	BAD("one token", "vtrust-update\n"),
	BAD("five tokens", "vtrust-update policy 1 " INST " x\n"),
	BAD("five tokens, target", "vtrust-update policy x 1 " INST "\n"),
	BAD("only spaces", "    \n"),
	/* the first word */
	BAD("word case", "Vtrust-update policy 1 " INST "\n"),
	BAD("word longer", "vtrust-updates policy 1 " INST "\n"),
	BAD("word shorter", "vtrust-updat policy 1 " INST "\n"),
	BAD("word underscore", "vtrust_update policy 1 " INST "\n"),
	BAD("word magic", "~vtrust-update~ policy 1 " INST "\n"),
	/* seq */
	BAD("seq plus", LINE("policy", "+1", INST)),
	BAD("seq minus", LINE("policy", "-1", INST)),
	BAD("seq minus 0", LINE("policy", "-0", INST)),
	BAD("seq 01", LINE("policy", "01", INST)),
	BAD("seq 00", LINE("policy", "00", INST)),
	BAD("seq 0x1", LINE("policy", "0x1", INST)),
	BAD("seq hex", LINE("policy", "a", INST)),
	BAD("seq 1a", LINE("policy", "1a", INST)),
	BAD("seq 1.0", LINE("policy", "1.0", INST)),
	BAD("seq 1e3", LINE("policy", "1e3", INST)),
	BAD("seq arabic-indic", LINE("policy", "\xd9\xa1", INST)),
	BAD("seq U64_MAX + 1", LINE("policy", "18446744073709551616", INST)),
	BAD("seq U64_MAX + 4", LINE("policy", "18446744073709551619", INST)),
	BAD("seq 2^64 + 10", LINE("policy", "18446744073709551626", INST)),
	BAD("seq 20 nines", LINE("policy", "99999999999999999999", INST)),
	BAD("seq 10^20", LINE("policy", "100000000000000000000", INST)),
	BAD("seq U64_MAX * 10", LINE("policy", "184467440737095516150", INST)),
	BAD("seq 39 digits", LINE("policy",
		"340282366920938463463374607431768211457", INST)),
	/* instance */
	BAD("instance 31 digits", LINE("policy", "1",
		"00112233445566778899aabbccddeef")),
	BAD("instance 33 digits", LINE("policy", "1", INST "0")),
	BAD("instance 30 digits", LINE("policy", "1",
		"00112233445566778899aabbccddee")),
	BAD("instance 64 digits", LINE("policy", "1", INST INST)),
	BAD("instance uppercase", LINE("policy", "1",
		"00112233445566778899AABBCCDDEEFF")),
	BAD("instance one uppercase", LINE("policy", "1",
		"00112233445566778899aabbccddeeFf")),
	BAD("instance g", LINE("policy", "1",
		"g0112233445566778899aabbccddeeff")),
	BAD("instance colon", LINE("policy", "1",
		"00112233445566778899aabbccddee:f")),
	BAD("instance 0x", LINE("policy", "1",
		"0x112233445566778899aabbccddeeff")),
	BAD("instance dashes", LINE("policy", "1",
		"00112233-4455-6677-8899-aabbccddeeff")),
	BAD("instance missing", "vtrust-update policy 1 \n"),
};

#undef OK
#undef BAD

VT_ARRAY_PARAM_DESC(header, header_cases, name);

static void updatefmt_test_header(struct kunit *test)
{
	const struct header_case *c = test->param_value;
	char *text = vt_dup_exact(test, c->text, c->len);
	struct vtrust_update_header h;
	int ret;

	ret = header(test, text, c->len, &h);
	KUNIT_ASSERT_EQ(test, ret, c->ret);
	if (!ret)
		expect_header(test, &h, c->target, c->seq);
}

/*
 * Every byte value in the target (its second byte), the seq (its second
 * digit) and the instance (its first and its last digit), in a line of
 * exactly its length.
 */
static void updatefmt_test_all_bytes(struct kunit *test)
{
	static const char base[] = LINE("policy", "12", INST);
	static const struct {
		const char *what;
		size_t at;
		char was;
	} spots[] = {
		{ "target", 15, 'o' },
		{ "seq", 22, '2' },
		{ "instance first", 24, '0' },
		{ "instance last", 55, 'f' },
	};
	const size_t len = sizeof(base) - 1;
	struct vtrust_update_header h;
	unsigned int c, i;
	char line[sizeof(base)];
	int ret, want;

	for (i = 0; i < ARRAY_SIZE(spots); i++) {
		KUNIT_ASSERT_EQ(test, base[spots[i].at], spots[i].was);
		for (c = 0; c < 256; c++) {
			bool digit = c >= '0' && c <= '9';
			bool hex = digit || (c >= 'a' && c <= 'f');

			memcpy(line, base, len);
			line[spots[i].at] = c;
			ret = header(test, vt_dup_exact(test, line, len), len,
				     &h);
			if (i == 0)
				want = c == ' ' || c == '\n' || c == '\0';
			else if (i == 1)
				want = !digit;
			else
				want = !hex;
			KUNIT_EXPECT_EQ_MSG(test, ret, want ? -EBADMSG : 0,
					    "%s byte 0x%02x", spots[i].what, c);
			if (ret)
				continue;
			if (i == 1)
				KUNIT_EXPECT_EQ(test, h.seq, (u64)(10 + c - '0'));
			if (i == 2)
				KUNIT_EXPECT_EQ(test, (int)h.instance[0],
						vtrust_hexval(c) << 4 | 0);
			if (i == 3)
				KUNIT_EXPECT_EQ(test, (int)h.instance[15],
						0xf0 | vtrust_hexval(c));
		}
	}
}

/*
 * The '\n' must be within the first VTRUST_UPDATE_LINE_MAX bytes: lines of
 * every length up to past the limit (the target padded), alone and with a
 * body after them.
 */
static void updatefmt_test_line_length(struct kunit *test)
{
	static const char rest[] = " 1 " INST "\n";
	const size_t word = sizeof(VTRUST_UPDATE_HEADER_WORD " ") - 1;
	const size_t fixed = word + sizeof(rest) - 1;
	char buf[VTRUST_UPDATE_LINE_MAX + 64];
	struct vtrust_update_header h;
	size_t t, len, body;
	int ret;

	for (t = 1; fixed + t <= VTRUST_UPDATE_LINE_MAX + 8; t++) {
		memcpy(buf, VTRUST_UPDATE_HEADER_WORD " ", word);
		memset(buf + word, 't', t);
		memcpy(buf + word + t, rest, sizeof(rest) - 1);
		len = word + t + sizeof(rest) - 1;
		for (body = 0; body <= 40; body += 40) {
			memset(buf + len, 'b', body);
			ret = header(test, vt_dup_exact(test, buf, len + body),
				     len + body, &h);
			KUNIT_EXPECT_EQ_MSG(test, ret,
					    len <= VTRUST_UPDATE_LINE_MAX ?
						    0 : -EBADMSG,
					    "line of %zu bytes, body %zu", len,
					    body);
			if (!ret) {
				KUNIT_EXPECT_EQ(test, h.body, len);
				KUNIT_EXPECT_EQ(test, h.target_len, t);
			}
		}
	}
}

/* Every seq around the powers of ten and around U64_MAX, in decimal. */
static void updatefmt_test_seq_values(struct kunit *test)
{
	struct vtrust_update_header h;
	u64 p = 1, v;
	int i, d;

	for (i = 0; i < 20; i++, p *= 10) {
		for (d = -2; d <= 2; d++) {
			v = p + d;
			if (d < 0 && p < (u64)-d)
				continue;
			KUNIT_ASSERT_EQ(test, seq_header(test, &h, "%llu", v),
					0);
			KUNIT_EXPECT_EQ(test, h.seq, v);
		}
	}
	for (v = U64_MAX - 20; v != 0; v++) {
		KUNIT_ASSERT_EQ(test, seq_header(test, &h, "%llu", v), 0);
		KUNIT_EXPECT_EQ(test, h.seq, v);
	}
	/* U64_MAX with one more digit, each digit: all too big */
	for (d = 0; d <= 9; d++)
		KUNIT_EXPECT_EQ(test, seq_header(test, &h, "%llu%d", U64_MAX, d),
				-EBADMSG);
	/* U64_MAX + 1 to U64_MAX + 4: too big only in the last digit */
	for (d = 6; d <= 9; d++)
		KUNIT_EXPECT_EQ(test,
				seq_header(test, &h, "1844674407370955161%d", d),
				-EBADMSG);
}

#define CONTENT LINE("policy", "42", INST) "measure func=MODULE_CHECK\n"

/* A whole update: content, a fake signature of @sig_size bytes, the tail. */
static size_t make_update(char *buf, size_t sig_size)
{
	size_t n = sizeof(CONTENT) - 1;

	memcpy(buf, CONTENT, n);
	memset(buf + n, 0x30, sig_size);
	n += sig_size;
	put_unaligned_be32(sig_size, buf + n);
	memcpy(buf + n + 4, MAGIC, VTRUST_UPDATE_MAGIC_LEN);
	return n + VTRUST_UPDATE_TAIL_LEN;
}

/* A whole update taken apart as seal.c does. */
static void updatefmt_test_update(struct kunit *test)
{
	static const size_t sig_sizes[] = { 1, 2, 255, 256, 300, 70000 };
	const size_t content = sizeof(CONTENT) - 1;
	struct vtrust_update_header h;
	size_t i, len, content_len, sig_len;
	const void *sig;
	char *buf;

	for (i = 0; i < ARRAY_SIZE(sig_sizes); i++) {
		buf = kunit_kmalloc(test, content + sig_sizes[i] +
					      VTRUST_UPDATE_TAIL_LEN,
				    GFP_KERNEL);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
		len = make_update(buf, sig_sizes[i]);
		KUNIT_ASSERT_EQ(test,
				split(test, buf, len, &content_len, &sig,
				      &sig_len),
				0);
		KUNIT_EXPECT_EQ(test, content_len, content);
		KUNIT_EXPECT_EQ(test, sig_len, sig_sizes[i]);
		KUNIT_ASSERT_EQ(test, header(test, buf, content_len, &h), 0);
		expect_header(test, &h, "policy", 42);
		KUNIT_EXPECT_EQ(test, h.body,
				sizeof(LINE("policy", "42", INST)) - 1);
		VT_EXPECT_MEMEQ(test, buf + h.body,
				"measure func=MODULE_CHECK\n",
				content_len - h.body);
	}
}

/*
 * Every truncation of a whole update: each prefix is refused by the split;
 * each suffix splits (until the signature is reached) into a content no
 * longer starting with the header; each prefix of the content is refused
 * by the header parser until it holds the whole line. All in allocations
 * of exactly their length.
 */
static void updatefmt_test_truncated(struct kunit *test)
{
	const size_t content = sizeof(CONTENT) - 1;
	const size_t line = sizeof(LINE("policy", "42", INST)) - 1;
	char full[sizeof(CONTENT) - 1 + 32 + VTRUST_UPDATE_TAIL_LEN];
	struct vtrust_update_header h;
	size_t len, n, content_len, sig_len;
	const void *sig;
	int ret;

	len = make_update(full, 32);
	KUNIT_ASSERT_EQ(test, len, sizeof(full));
	for (n = 0; n < len; n++) {
		/* the first n bytes */
		ret = split(test, vt_dup_exact(test, full, n), n, &content_len,
			    &sig, &sig_len);
		KUNIT_EXPECT_EQ_MSG(test, ret, -EBADMSG, "prefix of %zu", n);

		/* all but the first n bytes */
		ret = split(test, vt_dup_exact(test, full + n, len - n), len - n,
			    &content_len, &sig, &sig_len);
		if (n + 32 + VTRUST_UPDATE_TAIL_LEN > len) {
			KUNIT_EXPECT_EQ_MSG(test, ret, -EBADMSG,
					    "suffix of %zu", len - n);
			continue;
		}
		KUNIT_ASSERT_EQ_MSG(test, ret, 0, "suffix of %zu", len - n);
		KUNIT_EXPECT_EQ(test, content_len, content - n);
		KUNIT_EXPECT_EQ(test, sig_len, (size_t)32);
		ret = header(test, vt_dup_exact(test, full + n, content_len),
			     content_len, &h);
		KUNIT_EXPECT_EQ_MSG(test, ret, n ? -EBADMSG : 0,
				    "content less its first %zu bytes", n);
	}
	for (n = 0; n <= content; n++) {
		ret = header(test, vt_dup_exact(test, full, n), n, &h);
		KUNIT_EXPECT_EQ_MSG(test, ret, n < line ? -EBADMSG : 0,
				    "content of %zu bytes", n);
		if (!ret)
			KUNIT_EXPECT_EQ(test, h.body, line);
	}
}

static struct kunit_case updatefmt_test_cases[] = {
	KUNIT_CASE_PARAM(updatefmt_test_split, split_gen_params),
	KUNIT_CASE_PARAM(updatefmt_test_header, header_gen_params),
	KUNIT_CASE(updatefmt_test_all_bytes),
	KUNIT_CASE(updatefmt_test_line_length),
	KUNIT_CASE(updatefmt_test_seq_values),
	KUNIT_CASE(updatefmt_test_update),
	KUNIT_CASE(updatefmt_test_truncated),
	{}
};

static struct kunit_suite updatefmt_test_suite = {
	.name = "vtrust_updatefmt",
	.test_cases = updatefmt_test_cases,
};

kunit_test_suite(updatefmt_test_suite);
