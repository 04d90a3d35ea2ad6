// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of the pure list parser on hand-built lists.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "imalog.h"

/* ---- a list builder ---- */

struct lb {
	uint8_t buf[1 << 16];
	size_t len;
	size_t bounds[64];	/* offsets where entries start, then the end */
	unsigned int nr;
};

static void put(struct lb *b, const void *p, size_t n)
{
	memcpy(b->buf + b->len, p, n);
	b->len += n;
}

static void put32(struct lb *b, uint32_t v)
{
	uint8_t p[4] = { v, v >> 8, v >> 16, v >> 24 };

	put(b, p, 4);
}

static void put_field(struct lb *b, const void *p, uint32_t n)
{
	put32(b, n);
	put(b, p, n);
}

/* "algo:" NUL digest */
static void put_dng(struct lb *b, const char *algo, uint8_t fill, size_t n)
{
	uint8_t f[128];
	size_t a = strlen(algo);

	memcpy(f, algo, a);
	f[a] = ':';
	f[a + 1] = 0;
	memset(f + a + 2, fill, n);
	put_field(b, f, a + 2 + n);
}

static void put_str(struct lb *b, const char *s)
{
	put_field(b, s, strlen(s) + 1);
}

static void begin(struct lb *b, uint32_t pcr, size_t dlen, uint8_t fill,
		  const char *tmpl)
{
	uint8_t d[64];

	b->bounds[b->nr++] = b->len;
	put32(b, pcr);
	memset(d, fill, dlen);
	put(b, d, dlen);
	put32(b, strlen(tmpl));
	put(b, tmpl, strlen(tmpl));
}

/* template data is written after a length placeholder; end() fills it */
static size_t data_start(struct lb *b)
{
	put32(b, 0);
	return b->len;
}

static void data_end(struct lb *b, size_t start)
{
	uint32_t n = b->len - start;
	uint8_t *p = b->buf + start - 4;

	p[0] = n;
	p[1] = n >> 8;
	p[2] = n >> 16;
	p[3] = n >> 24;
}

static void add_ng(struct lb *b, size_t dlen, uint32_t pcr, const char *name)
{
	size_t s;

	begin(b, pcr, dlen, 0x11, "ima-ng");
	s = data_start(b);
	put_dng(b, "sha256", 0x22, 32);
	put_str(b, name);
	data_end(b, s);
}

static void add_buf(struct lb *b, size_t dlen, const char *name,
		    const char *buf)
{
	size_t s;

	begin(b, 11, dlen, 0x33, "ima-buf");
	s = data_start(b);
	put_dng(b, "sha256", 0x44, 32);
	put_str(b, name);
	put_field(b, buf, strlen(buf));
	data_end(b, s);
}

static void add_sig(struct lb *b, size_t dlen, const char *sig)
{
	size_t s;

	begin(b, 10, dlen, 0x55, "ima-sig");
	s = data_start(b);
	put_dng(b, "sha512", 0x66, 64);
	put_str(b, "/usr/bin/signed");
	put_field(b, sig, strlen(sig));
	data_end(b, s);
}

static void add_modsig(struct lb *b, size_t dlen, bool with)
{
	size_t s;

	begin(b, 10, dlen, 0x77, "ima-modsig");
	s = data_start(b);
	put_dng(b, "sha256", 0x88, 32);
	put_str(b, "/lib/modules/x.ko");
	put_field(b, with ? "SIG" : "", with ? 3 : 0);
	if (with)
		put_dng(b, "sha1", 0x99, 20);
	else
		put32(b, 0);
	put_field(b, with ? "MODSIG" : "", with ? 6 : 0);
	data_end(b, s);
}

static void add_legacy(struct lb *b, size_t dlen, const char *name)
{
	uint8_t d[20];

	begin(b, 10, dlen, 0xaa, "ima");
	memset(d, 0xbb, sizeof(d));
	put(b, d, sizeof(d));
	put32(b, strlen(name));
	put(b, name, strlen(name));
}

static void add_raw(struct lb *b, size_t dlen, const char *tmpl,
		    const void *data, uint32_t n)
{
	begin(b, 12, dlen, 0xcc, tmpl);
	put_field(b, data, n);
}

static void finish(struct lb *b)
{
	b->bounds[b->nr] = b->len;
}

/* a list of every kind of entry */
static void build_mixed(struct lb *b, size_t dlen)
{
	memset(b, 0, sizeof(*b));
	add_buf(b, dlen, "vtrust-start", "vtrust-start version=1 pcr=11");
	add_ng(b, dlen, 10, "/usr/lib/modules/a.ko");
	add_sig(b, dlen, "");
	add_sig(b, dlen, "\x03\x02\x01");
	add_modsig(b, dlen, true);
	add_modsig(b, dlen, false);
	add_legacy(b, dlen, "/bin/legacy");
	add_raw(b, dlen, "unknown-template", "\x02\0\0\0hi\x01\0\0\0!", 11);
	add_ng(b, dlen, 11, "resident:ext4");
	finish(b);
}

/* ---- collecting entries ---- */

struct seen {
	unsigned int n;
	uint64_t offset[64];
	uint32_t pcr[64];
	char name[64][IMALOG_NAME_MAX + 1];
	uint32_t data_len[64];
	unsigned int nr_fields[64];
};

static int collect(const struct imalog_entry *e, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 64) {
		s->offset[s->n] = e->offset;
		s->pcr[s->n] = e->pcr;
		snprintf(s->name[s->n], sizeof(s->name[0]), "%s",
			 e->template_name);
		s->data_len[s->n] = e->data_len;
		s->nr_fields[s->n] = e->nr_fields;
	}
	s->n++;
	return 0;
}

static struct imalog_entry *one(const uint8_t *buf, size_t len, size_t dlen,
				struct imalog_error *err)
{
	static struct imalog_entry e;
	struct imalog_parser p;
	size_t need;

	if (imalog_init(&p, dlen))
		return NULL;
	if (imalog_next(&p, buf, len, true, &e, &need, err) != IMALOG_ENTRY)
		return NULL;
	return &e;
}

static bool field_is(const struct imalog_field *f, const char *id,
		     const void *data, uint32_t len)
{
	return f->id && !strcmp(f->id, id) && f->len == len &&
	       !memcmp(f->data, data, len);
}

/* ---- tests ---- */

static void test_init(void)
{
	struct imalog_parser p;

	CHECK(imalog_init(&p, 0) == -EINVAL);
	CHECK(imalog_init(&p, 65) == -EINVAL);
	CHECK(imalog_init(&p, 20) == 0);
	CHECK(imalog_init(&p, 64) == 0);
}

static void test_ima_ng(void)
{
	static struct lb b;
	struct imalog_error err;
	struct imalog_entry *e;
	uint8_t d[32];

	memset(&b, 0, sizeof(b));
	add_ng(&b, 20, 10, "/usr/bin/true");
	e = one(b.buf, b.len, 20, &err);
	CHECK(e);
	if (!e)
		return;
	memset(d, 0x11, 20);
	CHECK(e->pcr == 10);
	CHECK(e->digest_len == 20 && !memcmp(e->digest, d, 20));
	CHECK(!strcmp(e->template_name, "ima-ng"));
	CHECK(e->known && !e->legacy && e->nr_fields == 2);
	CHECK(e->size == b.len && e->index == 0 && e->offset == 0);
	CHECK(e->data == b.buf + 4 + 20 + 4 + 6 + 4);
	CHECK(e->data_len == b.len - (4 + 20 + 4 + 6 + 4));
	CHECK(e->file_digest == &e->fields[0]);
	CHECK(e->file_digest->algo_len == 6 &&
	      !memcmp(e->file_digest->algo, "sha256", 6));
	memset(d, 0x22, 32);
	CHECK(e->file_digest->digest_len == 32 &&
	      !memcmp(e->file_digest->digest, d, 32));
	CHECK(e->event_name == &e->fields[1]);
	CHECK(e->event_name->str_len == 13 && e->event_name->len == 14 &&
	      !memcmp(e->event_name->data, "/usr/bin/true", 13));
	CHECK(!e->buf);
}

static void test_ima_buf_per_bank_digest(void)
{
	static struct lb b;
	struct imalog_error err;
	struct imalog_entry *e;
	uint8_t d[48];

	memset(&b, 0, sizeof(b));
	add_buf(&b, 48, "vtrust-start", "vtrust-start version=1");
	e = one(b.buf, b.len, 48, &err);
	CHECK(e);
	if (!e)
		return;
	memset(d, 0x33, 48);
	CHECK(e->pcr == 11 && e->digest_len == 48 && !memcmp(e->digest, d, 48));
	CHECK(!strcmp(e->template_name, "ima-buf") && e->nr_fields == 3);
	CHECK(e->buf == &e->fields[2]);
	CHECK(field_is(e->buf, "buf", "vtrust-start version=1", 22));
	CHECK(e->event_name->str_len == 12);
	/* the same bytes read with a 20-byte digest are garbage, not a crash */
	CHECK(!one(b.buf, b.len, 20, &err));
}

static void test_ima_sig(void)
{
	static struct lb b;
	struct imalog_error err;
	struct imalog_entry *e;

	memset(&b, 0, sizeof(b));
	add_sig(&b, 20, "");
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && e->nr_fields == 3 && e->fields[2].len == 0 &&
	      !strcmp(e->fields[2].id, "sig"));
	CHECK(e && e->file_digest->digest_len == 64 &&
	      e->file_digest->algo_len == 6);
	memset(&b, 0, sizeof(b));
	add_sig(&b, 20, "\x03\x02\x01");
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && field_is(&e->fields[2], "sig", "\x03\x02\x01", 3) &&
	      e->fields[2].type == IMALOG_F_HEX);
}

static void test_ima_modsig(void)
{
	static struct lb b;
	struct imalog_error err;
	struct imalog_entry *e;

	memset(&b, 0, sizeof(b));
	add_modsig(&b, 20, true);
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && e->nr_fields == 5);
	if (!e)
		return;
	CHECK(!strcmp(e->fields[3].id, "d-modsig") &&
	      e->fields[3].algo_len == 4 && e->fields[3].digest_len == 20);
	CHECK(field_is(&e->fields[4], "modsig", "MODSIG", 6));
	CHECK(e->file_digest == &e->fields[0]);

	memset(&b, 0, sizeof(b));
	add_modsig(&b, 20, false);
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && e->nr_fields == 5 && e->fields[3].len == 0 &&
	      !e->fields[3].algo && e->fields[4].len == 0);
}

static void test_legacy_ima(void)
{
	static struct lb b;
	struct imalog_error err;
	struct imalog_entry *e;
	uint8_t want[276];

	memset(&b, 0, sizeof(b));
	add_legacy(&b, 20, "/bin/legacy");
	CHECK(b.len == 4 + 20 + 4 + 3 + 20 + 4 + 11);
	e = one(b.buf, b.len, 20, &err);
	CHECK(e);
	if (!e)
		return;
	memset(want, 0, sizeof(want));
	memset(want, 0xbb, 20);
	memcpy(want + 20, "/bin/legacy", 11);
	CHECK(e->legacy && e->known && e->size == b.len);
	CHECK(e->data_len == 276 && !memcmp(e->data, want, 276));
	CHECK(e->nr_fields == 2 && !strcmp(e->fields[0].id, "d") &&
	      e->fields[0].type == IMALOG_F_DIGEST &&
	      e->fields[0].digest_len == 20);
	CHECK(!strcmp(e->fields[1].id, "n") && e->fields[1].str_len == 11 &&
	      !memcmp(e->fields[1].data, "/bin/legacy", 11));
	CHECK(e->file_digest == &e->fields[0] &&
	      e->event_name == &e->fields[1]);
	/* the longest name, then one byte too long */
	memset(&b, 0, sizeof(b));
	{
		char name[257];

		memset(name, 'x', 256);
		name[255] = '\0';
		add_legacy(&b, 20, name);
		e = one(b.buf, b.len, 20, &err);
		CHECK(e && e->fields[1].len == 255 && e->data[275] == 0 &&
		      e->data[274] == 'x');
		memset(&b, 0, sizeof(b));
		name[255] = 'x';
		name[256] = '\0';
		add_legacy(&b, 20, name);
		CHECK(!one(b.buf, b.len, 20, &err));
		CHECK(err.offset == 4 + 20 + 4 + 3 + 20 &&
		      strstr(err.msg, "exceeds the limit"));
	}
}

static void test_unknown_template(void)
{
	static struct lb b;
	struct imalog_error err;
	struct imalog_entry *e;

	memset(&b, 0, sizeof(b));
	add_raw(&b, 20, "my-tmpl", "\x02\0\0\0hi\x01\0\0\0!", 11);
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && !e->known && e->nr_fields == 2);
	CHECK(e && !e->fields[0].id && e->fields[0].type == IMALOG_F_RAW &&
	      e->fields[0].len == 2 && e->fields[1].len == 1);
	CHECK(e && !e->file_digest && !e->event_name);
	/* data that does not split into fields stays whole */
	memset(&b, 0, sizeof(b));
	add_raw(&b, 20, "my-tmpl", "\x09\0\0\0hi", 6);
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && !e->known && e->nr_fields == 0 && e->data_len == 6);
	memset(&b, 0, sizeof(b));
	add_raw(&b, 20, "my-tmpl", "", 0);
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && e->nr_fields == 0 && e->data_len == 0);
	/* a known template with empty data is an error */
	memset(&b, 0, sizeof(b));
	add_raw(&b, 20, "ima-ng", "", 0);
	CHECK(!one(b.buf, b.len, 20, &err) && strstr(err.msg, "0 of its 2"));
}

static void test_custom_format(void)
{
	static struct lb b;
	struct imalog_error err;
	struct imalog_entry *e;
	size_t s;

	memset(&b, 0, sizeof(b));
	begin(&b, 10, 20, 1, "d-ng|n-ng|buf");
	s = data_start(&b);
	put_dng(&b, "sha384", 2, 48);
	put_str(&b, "kexec-cmdline");
	put_field(&b, "root=/dev/vda", 13);
	data_end(&b, s);
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && e->known && e->nr_fields == 3 && e->buf &&
	      e->file_digest->digest_len == 48);

	/* evm-sig: nine fields, uints shown as numbers */
	memset(&b, 0, sizeof(b));
	begin(&b, 10, 20, 1, "evm-sig");
	s = data_start(&b);
	put_dng(&b, "sha256", 2, 32);
	put_str(&b, "/etc/passwd");
	put_field(&b, "", 0);
	put_str(&b, "security.ima");
	put_field(&b, "\x02\0", 2);
	put_field(&b, "ab", 2);
	put_field(&b, "\xe8\x03\0\0", 4);
	put_field(&b, "\xe8\x03\0\0", 4);
	put_field(&b, "\xa4\x81", 2);
	data_end(&b, s);
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && e->known && e->nr_fields == 9 &&
	      e->fields[6].type == IMALOG_F_UINT &&
	      !strcmp(e->fields[8].id, "imode"));

	/* an unknown field id makes the template unknown */
	memset(&b, 0, sizeof(b));
	add_raw(&b, 20, "d-ng|nope", "\x01\0\0\0x", 5);
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && !e->known && e->nr_fields == 1);
}

static void test_mixed_list(void)
{
	static struct lb b;
	static struct seen s;
	struct imalog_error err;
	unsigned int i;

	build_mixed(&b, 32);
	memset(&s, 0, sizeof(s));
	CHECK(imalog_parse_buffer(b.buf, b.len, 32, collect, &s, &err) ==
	      b.nr);
	CHECK(s.n == b.nr);
	for (i = 0; i < b.nr && i < s.n; i++)
		CHECK(s.offset[i] == b.bounds[i]);
	CHECK(!strcmp(s.name[6], "ima") && s.data_len[6] == 276);
	CHECK(!strcmp(s.name[7], "unknown-template") && s.nr_fields[7] == 2);
	CHECK(s.pcr[8] == 11 && s.nr_fields[4] == 5);
	/* an empty list */
	CHECK(imalog_parse_buffer(b.buf, 0, 32, collect, &s, &err) == 0);
}

static bool is_bound(const struct lb *b, size_t off, unsigned int *idx)
{
	unsigned int i;

	for (i = 0; i <= b->nr; i++) {
		if (b->bounds[i] == off) {
			*idx = i;
			return true;
		}
		if (b->bounds[i] > off) {
			*idx = i - 1;
			return false;
		}
	}
	*idx = b->nr;
	return false;
}

/* Cut the list at every offset: whole entries parse, the rest is an error. */
static void test_truncated_every_offset(void)
{
	static struct lb b;
	static struct imalog_entry e;
	struct imalog_error err;
	struct imalog_parser p;
	enum imalog_status st;
	unsigned int idx;
	size_t len, need, base;
	long long n;
	int dl;
	static const size_t dlens[] = { 20, 32, 64 };

	for (dl = 0; dl < 3; dl++) {
		build_mixed(&b, dlens[dl]);
		for (len = 0; len < b.len; len++) {
			n = imalog_parse_buffer(b.buf, len, dlens[dl], NULL,
						NULL, &err);
			if (is_bound(&b, len, &idx)) {
				CHECK(n == idx);
				continue;
			}
			CHECK(n == -1);
			CHECK(err.index == idx);
			CHECK(err.offset >= b.bounds[idx] && err.offset <= len);
			CHECK(err.msg[0]);

			/* streaming: the same prefix asks for more */
			base = b.bounds[idx];
			imalog_init(&p, dlens[dl]);
			p.offset = base;
			p.index = idx;
			st = imalog_next(&p, b.buf + base, len - base, false,
					 &e, &need, &err);
			CHECK(st == IMALOG_MORE);
			CHECK(need > len - base);
			CHECK(need <= b.bounds[idx + 1] - base);
		}
	}
}

/* Feed the list in chunks of every size through a reassembly buffer. */
static void test_chunked_feeding(void)
{
	static struct lb b;
	static uint8_t win[1 << 16];
	static struct imalog_entry e;
	struct imalog_error err;
	struct imalog_parser p;
	enum imalog_status st;
	size_t chunk, fed, start, end, need;
	unsigned int n;

	build_mixed(&b, 20);
	for (chunk = 1; chunk <= 97; chunk += (chunk < 8 ? 1 : 13)) {
		imalog_init(&p, 20);
		fed = start = end = 0;
		n = 0;
		for (;;) {
			st = imalog_next(&p, win + start, end - start,
					 fed == b.len, &e, &need, &err);
			if (st == IMALOG_ENTRY) {
				CHECK(e.offset == b.bounds[n]);
				CHECK(e.index == n);
				start += need;
				n++;
				continue;
			}
			if (st != IMALOG_MORE)
				break;
			memmove(win, win + start, end - start);
			end -= start;
			start = 0;
			while (end < need && fed < b.len) {
				size_t k = b.len - fed < chunk ? b.len - fed :
					   chunk;

				memcpy(win + end, b.buf + fed, k);
				end += k;
				fed += k;
			}
		}
		CHECK(st == IMALOG_END);
		CHECK(n == b.nr);
	}
}

static uint8_t *header(uint8_t *p, uint32_t pcr, size_t dlen, uint32_t nlen)
{
	memset(p, 0, 4 + dlen + 4);
	p[0] = pcr;
	p[4 + dlen] = nlen;
	p[5 + dlen] = nlen >> 8;
	p[6 + dlen] = nlen >> 16;
	p[7 + dlen] = nlen >> 24;
	return p + 4 + dlen + 4;
}

static void le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void test_lengths_too_large(void)
{
	static uint8_t buf[256];
	struct imalog_error err;
	struct imalog_parser p;
	static struct imalog_entry e;
	uint8_t *q;
	size_t need;

	/* template name length: 0, huge, over the cap, over the bytes */
	header(buf, 10, 20, 0);
	CHECK(!one(buf, 28 + 10, 20, &err) && err.offset == 24 &&
	      strstr(err.msg, "is 0"));
	header(buf, 10, 20, 0xffffffff);
	CHECK(!one(buf, 28 + 10, 20, &err) && err.offset == 24 &&
	      strstr(err.msg, "limit"));
	header(buf, 10, 20, 256);
	CHECK(!one(buf, 28 + 10, 20, &err) && strstr(err.msg, "limit"));
	q = header(buf, 10, 20, 50);
	memset(q, 'a', 10);
	CHECK(!one(buf, 28 + 10, 20, &err) && err.offset == 24 &&
	      strstr(err.msg, "exceeds the 10 bytes that remain"));
	/* a name with a space or a NUL */
	memcpy(q, "ima ng", 6);
	header(buf, 10, 20, 6);
	CHECK(!one(buf, 28 + 6 + 4, 20, &err) && err.offset == 31 &&
	      strstr(err.msg, "0x20"));

	/* template data length: huge, over the cap, over the bytes */
	q = header(buf, 10, 20, 3);
	memcpy(q, "foo", 3);
	le32(q + 3, 0xffffffff);
	CHECK(!one(buf, 28 + 3 + 4 + 8, 20, &err) && err.offset == 31 &&
	      strstr(err.msg, "limit"));
	le32(q + 3, IMALOG_DATA_MAX + 1);
	CHECK(!one(buf, 28 + 3 + 4 + 8, 20, &err) && strstr(err.msg, "limit"));
	le32(q + 3, 100);
	CHECK(!one(buf, 28 + 3 + 4 + 8, 20, &err) && err.offset == 31 &&
	      strstr(err.msg, "exceeds the 8 bytes that remain"));
	/* ...and streaming, it asks for the whole entry */
	imalog_init(&p, 20);
	CHECK(imalog_next(&p, buf, 28 + 3 + 4 + 8, false, &e, &need, &err) ==
	      IMALOG_MORE && need == 28 + 3 + 4 + 100);
	le32(q + 3, IMALOG_DATA_MAX);
	CHECK(imalog_next(&p, buf, 28 + 3 + 4 + 8, false, &e, &need, &err) ==
	      IMALOG_MORE && need <= IMALOG_ENTRY_MAX);

	/* a field length larger than the template data */
	q = header(buf, 10, 20, 6);
	memcpy(q, "ima-ng", 6);
	le32(q + 6, 12);
	le32(q + 10, 9);	/* d-ng of 9 bytes, but 8 remain */
	memcpy(q + 14, "sha1:\0ab", 8);
	CHECK(!one(buf, 28 + 6 + 4 + 12, 20, &err) && err.offset == 38 &&
	      strstr(err.msg, "length 9 exceeds the 8 bytes"));
	le32(q + 10, 0xfffffffc);
	CHECK(!one(buf, 28 + 6 + 4 + 12, 20, &err) &&
	      strstr(err.msg, "exceeds"));
	/* a field length cut off */
	le32(q + 6, 2);
	CHECK(!one(buf, 28 + 6 + 4 + 2, 20, &err) && strstr(err.msg, "cut off"));
}

static void test_bad_fields(void)
{
	static struct lb b;
	struct imalog_error err;
	size_t s;

	/* d-ng without a NUL */
	memset(&b, 0, sizeof(b));
	begin(&b, 10, 20, 0, "ima-ng");
	s = data_start(&b);
	put_field(&b, "sha256:abc", 10);
	put_str(&b, "/x");
	data_end(&b, s);
	CHECK(!one(b.buf, b.len, 20, &err) && strstr(err.msg, "no NUL"));
	/* d-ng without "algo:" */
	memset(&b, 0, sizeof(b));
	begin(&b, 10, 20, 0, "ima-ng");
	s = data_start(&b);
	put_field(&b, "sha256\0abc", 10);
	put_str(&b, "/x");
	data_end(&b, s);
	CHECK(!one(b.buf, b.len, 20, &err) && strstr(err.msg, "<algo>:"));
	/* ima-ng with three fields */
	memset(&b, 0, sizeof(b));
	begin(&b, 10, 20, 0, "ima-ng");
	s = data_start(&b);
	put_dng(&b, "sha1", 0, 20);
	put_str(&b, "/x");
	put_str(&b, "extra");
	data_end(&b, s);
	CHECK(!one(b.buf, b.len, 20, &err) && strstr(err.msg, "after its 2"));
	/* ima-buf with two */
	memset(&b, 0, sizeof(b));
	begin(&b, 10, 20, 0, "ima-buf");
	s = data_start(&b);
	put_dng(&b, "sha1", 0, 20);
	put_str(&b, "/x");
	data_end(&b, s);
	CHECK(!one(b.buf, b.len, 20, &err) && strstr(err.msg, "2 of its 3"));
	/* a known template with bytes after the last field */
	memset(&b, 0, sizeof(b));
	begin(&b, 10, 20, 0, "ima-ng");
	s = data_start(&b);
	put_dng(&b, "sha1", 0, 20);
	put_str(&b, "/x");
	put(&b, "zz", 2);
	data_end(&b, s);
	CHECK(!one(b.buf, b.len, 20, &err));
	/* a name without its NUL is accepted */
	memset(&b, 0, sizeof(b));
	begin(&b, 10, 20, 0, "ima-ng");
	s = data_start(&b);
	put_dng(&b, "sha1", 0, 20);
	put_field(&b, "/x", 2);
	data_end(&b, s);
	CHECK(one(b.buf, b.len, 20, &err));
}

static void test_biggest_entry(void)
{
	size_t len = 4 + 20 + 4 + 3 + 4 + IMALOG_DATA_MAX;
	uint8_t *buf = calloc(1, len + 1);
	struct imalog_error err;
	uint8_t *q;

	CHECK(buf);
	if (!buf)
		return;
	q = header(buf, 1, 20, 3);
	memcpy(q, "big", 3);
	le32(q + 3, IMALOG_DATA_MAX);
	CHECK(imalog_parse_buffer(buf, len, 20, NULL, NULL, &err) == 1);
	CHECK(imalog_parse_buffer(buf, len - 1, 20, NULL, NULL, &err) == -1);
	free(buf);
}

static void test_pcr_value_is_not_checked(void)
{
	static struct lb b;
	struct imalog_error err;
	struct imalog_entry *e;

	memset(&b, 0, sizeof(b));
	add_ng(&b, 20, 0xffffffff, "/x");
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && e->pcr == 0xffffffff);
}

static int stop_after_two(const struct imalog_entry *e, void *ctx)
{
	(void)ctx;
	return e->index == 1;
}

static void test_callback_stops(void)
{
	static struct lb b;
	struct imalog_error err;

	build_mixed(&b, 20);
	CHECK(imalog_parse_buffer(b.buf, b.len, 20, stop_after_two, NULL,
				  &err) == 2);
	CHECK(imalog_parse_buffer(b.buf, b.len, 0, NULL, NULL, &err) == -1);
}

/* Random mutations: under ASan and UBSan, nothing may crash. */
static void test_random_mutations(void)
{
	static struct lb b, m;
	struct imalog_error err;
	uint32_t seed = 12345;
	unsigned int i, k, flips;
	long long n;
	size_t pos;

	build_mixed(&b, 20);
	for (i = 0; i < 30000; i++) {
		m = b;
		seed = seed * 1103515245 + 12345;
		flips = 1 + (seed >> 16) % 4;
		for (k = 0; k < flips; k++) {
			seed = seed * 1103515245 + 12345;
			pos = (seed >> 8) % m.len;
			seed = seed * 1103515245 + 12345;
			m.buf[pos] = seed >> 24;
		}
		seed = seed * 1103515245 + 12345;
		n = imalog_parse_buffer(m.buf, m.len - (seed >> 16) % 8, 20,
					NULL, NULL, &err);
		CHECK(n >= -1 && n <= (long long)b.nr + 1);
		if (n < 0)
			CHECK(err.offset <= m.len && err.msg[0]);
	}
}

/* ---- real lists (tests/data/, captured in guests) ---- */

static uint8_t *read_data(const char *name, size_t *len)
{
	const char *dir = getenv("VT_TEST_DATA");
	char path[512];
	uint8_t *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
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

struct names {
	unsigned int n;
	char first[64];
	char last[256];
};

static int note(const struct imalog_entry *e, void *ctx)
{
	struct names *s = ctx;
	const struct imalog_field *f = e->event_name;

	if (f && !s->n)
		snprintf(s->first, sizeof(s->first), "%.*s", (int)f->str_len,
			 f->data);
	if (f)
		snprintf(s->last, sizeof(s->last), "%.*s", (int)f->str_len,
			 f->data);
	s->n++;
	return 0;
}

/* Whole, then cut at every offset into an exact-size copy (ASan). */
static void check_real(const char *name, uint32_t dlen, unsigned int entries,
		       const char *first, const char *last)
{
	struct imalog_error err;
	struct names s = { 0 };
	uint8_t *buf, *copy;
	size_t len, cut;
	long long n, whole;

	buf = read_data(name, &len);
	CHECK(buf);
	if (!buf)
		return;
	whole = imalog_parse_buffer(buf, len, dlen, note, &s, &err);
	CHECK(whole == entries && s.n == entries);
	CHECK(!strcmp(s.first, first));
	CHECK(!strcmp(s.last, last));
	if (strcmp(s.last, last))
		fprintf(stderr, "%s: last entry '%s'\n", name, s.last);
	for (cut = 0; cut < len; cut++) {
		copy = malloc(cut ? cut : 1);
		memcpy(copy, buf, cut);
		n = imalog_parse_buffer(copy, cut, dlen, NULL, NULL, &err);
		CHECK(n >= 0 ? n < whole : err.msg[0] && err.offset <= cut);
		free(copy);
	}
	free(buf);
}

/* Swap every u32 that IMA writes in host order: the list of a big-endian host. */
static void swap32(uint8_t *p)
{
	uint8_t q[4] = { p[3], p[2], p[1], p[0] };

	memcpy(p, q, 4);
}

static void test_big_endian_list(void)
{
	static struct lb b;
	struct imalog_error err;
	size_t at;

	memset(&b, 0, sizeof(b));
	add_ng(&b, 20, 10, "/usr/bin/true");
	add_ng(&b, 20, 10, "/usr/bin/false");
	CHECK(one(b.buf, b.len, 20, &err));
	/* the first entry as a big-endian host writes it */
	at = 0;
	swap32(b.buf + at);				/* pcr */
	swap32(b.buf + at + 24);			/* template name length */
	swap32(b.buf + at + 24 + 4 + 6);		/* template data length */
	err.msg[0] = '\0';
	CHECK(!one(b.buf, b.len, 20, &err));
	CHECK(!strcmp(err.msg, "a big-endian list (IMA on a big-endian host without ima_canonical_fmt): not supported"));
	CHECK(err.offset == 24 && err.index == 0);
	/* the same bytes later in a list are only a bad length */
	memset(&b, 0, sizeof(b));
	add_ng(&b, 20, 10, "/usr/bin/true");
	at = b.len;
	add_ng(&b, 20, 10, "/usr/bin/false");
	swap32(b.buf + at);
	swap32(b.buf + at + 24);
	CHECK(imalog_parse_buffer(b.buf, b.len, 20, NULL, NULL, &err) < 0);
	CHECK(err.index == 1 && strstr(err.msg, "exceeds the limit of 255"));
	/* a PCR index that makes no sense either way: not called big-endian */
	memset(&b, 0, sizeof(b));
	add_ng(&b, 20, 0x00ff0000, "/x");
	swap32(b.buf + 24);
	CHECK(!one(b.buf, b.len, 20, &err));
	CHECK(strstr(err.msg, "exceeds the limit of 255"));
}

static void test_violation_flag(void)
{
	static struct lb b;
	struct imalog_error err;
	struct imalog_entry *e;
	size_t s;

	memset(&b, 0, sizeof(b));
	begin(&b, 10, 32, 0x00, "ima-ng");
	s = data_start(&b);
	put_dng(&b, "sha256", 0x00, 32);
	put_str(&b, "/tmp/written");
	data_end(&b, s);
	e = one(b.buf, b.len, 32, &err);
	CHECK(e && e->violation);
	/* one non-zero byte, anywhere: an ordinary entry */
	b.buf[4 + 31] = 1;
	e = one(b.buf, b.len, 32, &err);
	CHECK(e && !e->violation);
	b.buf[4 + 31] = 0;
	b.buf[4] = 0x80;
	e = one(b.buf, b.len, 32, &err);
	CHECK(e && !e->violation);
	memset(&b, 0, sizeof(b));
	add_ng(&b, 20, 10, "/usr/bin/true");
	e = one(b.buf, b.len, 20, &err);
	CHECK(e && !e->violation);
}

static void test_real_lists(void)
{
	check_real("ovmf-4bank/ima.bin", 20, 1, "boot_aggregate",
		   "boot_aggregate");
	check_real("ovmf-4bank/vtrust/binary_runtime_measurements", 20, 6,
		   "vtrust-start", "/vtrust/tests/modules/gen/vtt_0002.ko");
	check_real("seabios-4bank/vtrust/binary_runtime_measurements_sha512",
		   64, 6, "vtrust-start", "/vtrust/tests/modules/gen/vtt_0002.ko");
	check_real("seabios-4bank/vtrust/binary_runtime_measurements_sha384",
		   48, 6, "vtrust-start", "/vtrust/tests/modules/gen/vtt_0002.ko");
}

int main(void)
{
	RUN(test_init);
	RUN(test_ima_ng);
	RUN(test_ima_buf_per_bank_digest);
	RUN(test_ima_sig);
	RUN(test_ima_modsig);
	RUN(test_legacy_ima);
	RUN(test_unknown_template);
	RUN(test_custom_format);
	RUN(test_mixed_list);
	RUN(test_truncated_every_offset);
	RUN(test_chunked_feeding);
	RUN(test_lengths_too_large);
	RUN(test_bad_fields);
	RUN(test_biggest_entry);
	RUN(test_pcr_value_is_not_checked);
	RUN(test_callback_stops);
	RUN(test_random_mutations);
	RUN(test_real_lists);
	RUN(test_big_endian_list);
	RUN(test_violation_flag);
	DONE();
}
