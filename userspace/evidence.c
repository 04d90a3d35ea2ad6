// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The evidence bundle parser (evidence.h). The JSON is read by jsonread.c
 * (strict: no duplicate keys, integers only, bounded depth); this file
 * walks the result with one table per object, so that a key it does not
 * know, a missing key or a value of the wrong type is refused by name.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "evidence.h"
#include "scratch.h"
#include "hex.h"
#include "jsonread.h"
#include "util.h"

struct walk {
	struct vt_evidence *ev;
	char *why;
	size_t whylen;
	const char *where;	/* the object being walked: "ak", "quote", ... */
	bool oom;
};

static int bad(struct walk *w, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct walk *w, const char *key, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (w->where)
		snprintf(w->why, w->whylen, "%s.%s: %s", w->where, key, msg);
	else
		snprintf(w->why, w->whylen, "%s: %s", key, msg);
	return -1;
}

/* ---- base64 and hex ---- */

/*
 * A character's 6-bit value shifted to its place in a quad's 24 bits, one
 * table per place; a character outside the alphabet sets bit 31.
 */
#define B64_BAD 0x80000000u
static uint32_t b64_at[4][256];

static void b64_init(void)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "abcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned int i, k;

	for (k = 0; k < 4; k++) {
		for (i = 0; i < 256; i++)
			b64_at[k][i] = B64_BAD;
		for (i = 0; i < 64; i++)
			b64_at[k][(unsigned char)abc[i]] = i << (18 - 6 * k);
	}
}

static inline uint32_t quad(const unsigned char *p)
{
	return b64_at[0][p[0]] | b64_at[1][p[1]] | b64_at[2][p[2]] |
	       b64_at[3][p[3]];
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define B64_AVX2 1

/*
 * 32 characters at a time while at least 44 remain before @full (so that
 * the 32-byte store, of which 24 bytes count, stays inside the output):
 * the number of characters decoded, or -1 if one is outside the alphabet.
 *
 * Each byte x is checked by its nibbles: bad_lo[x & 15] & bad_hi[x >> 4]
 * is non-zero exactly for bytes outside A-Z a-z 0-9 + /. Bit 0x01: high
 * nibble 0, 1 or 8-15 (never valid); 0x02: 0x2_ other than '+' and '/';
 * 0x04: 0x3_ above '9'; 0x08: 0x40 and 0x60; 0x10: 0x5_ and 0x7_ above
 * 'Z' and 'z'. The 6-bit value is x plus an offset chosen by the high
 * nibble (by 1 for '/', which shares '+''s nibble). Then each 32-bit lane
 * of four values is packed to 24 bits and the bytes put in order.
 */
__attribute__((target("avx2")))
static size_t b64_avx2(const unsigned char *p, size_t full, uint8_t *out)
{
	const __m256i bad_lo = _mm256_setr_epi8(
		0x0b, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03,
		0x03, 0x03, 0x07, 0x15, 0x17, 0x17, 0x17, 0x15,
		0x0b, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03, 0x03,
		0x03, 0x03, 0x07, 0x15, 0x17, 0x17, 0x17, 0x15);
	const __m256i bad_hi = _mm256_setr_epi8(
		0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x08, 0x10,
		0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
		0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x08, 0x10,
		0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01);
	const __m256i offset = _mm256_setr_epi8(
		0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
	const __m256i order = _mm256_setr_epi8(
		2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1,
		2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
	const __m256i nib = _mm256_set1_epi8(0x0f);
	const __m256i slash = _mm256_set1_epi8('/');
	const __m256i pack = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
	__m256i x, hi, lo, v;
	size_t i = 0;

	for (; i + 44 <= full; i += 32, out += 24) {
		x = _mm256_loadu_si256((const __m256i *)(p + i));
		hi = _mm256_and_si256(_mm256_srli_epi32(x, 4), nib);
		lo = _mm256_and_si256(x, nib);
		if (!_mm256_testz_si256(_mm256_shuffle_epi8(bad_lo, lo),
					_mm256_shuffle_epi8(bad_hi, hi)))
			return (size_t)-1;
		hi = _mm256_add_epi8(hi, _mm256_cmpeq_epi8(x, slash));
		v = _mm256_add_epi8(x, _mm256_shuffle_epi8(offset, hi));
		/* [a b c d] -> a<<6|b, c<<6|d -> a<<18|b<<12|c<<6|d */
		v = _mm256_maddubs_epi16(v, _mm256_set1_epi32(0x01400140));
		v = _mm256_madd_epi16(v, _mm256_set1_epi32(0x00011000));
		v = _mm256_shuffle_epi8(v, order);
		v = _mm256_permutevar8x32_epi32(v, pack);
		_mm256_storeu_si256((__m256i *)out, v);
	}
	return i;
}
#endif

static long b64_decode(const char *s, size_t len, uint8_t *out, bool simd)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, o = 0, pad = 0, full;
	uint32_t v;

	pthread_once(&once, b64_init);
	if (len % 4)
		return -1;
	if (len && p[len - 1] == '=')
		pad = p[len - 2] == '=' ? 2 : 1;
	/* every quad but a padded last one: four characters, three bytes */
	full = pad ? len - 4 : len;
#ifdef B64_AVX2
	if (simd && __builtin_cpu_supports("avx2")) {
		i = b64_avx2(p, full, out);
		if (i == (size_t)-1)
			return -1;
		o = i / 4 * 3;
	}
#else
	(void)simd;
#endif
	for (; i < full; i += 4, o += 3) {
		v = quad(p + i);
		if (v & B64_BAD)
			return -1;
		out[o] = v >> 16;
		out[o + 1] = v >> 8;
		out[o + 2] = v;
	}
	if (!pad)
		return (long)o;
	v = b64_at[0][p[i]] | b64_at[1][p[i + 1]] |
	    (pad == 1 ? b64_at[2][p[i + 2]] : 0);
	/* the bits that padding leaves over must be zero (one encoding) */
	if (v & B64_BAD || v & (pad == 2 ? 0xffff : 0xff))
		return -1;
	out[o++] = v >> 16;
	if (pad == 1)
		out[o++] = v >> 8;
	return (long)o;
}

long vt_base64_decode(const char *s, size_t len, uint8_t *out)
{
	return b64_decode(s, len, out, true);
}

long vt_base64_decode_portable(const char *s, size_t len, uint8_t *out)
{
	return b64_decode(s, len, out, false);
}

/* A base64 string value into a new buffer (NULL when empty). */
static int take_b64(struct walk *w, const char *key, json_object *v,
		    size_t max, uint8_t **out, size_t *len)
{
	const char *s = json_object_get_string(v);
	size_t slen = json_object_get_string_len(v);
	long n;

	*out = NULL;
	*len = 0;
	if (!json_object_is_type(v, json_type_string))
		return bad(w, key, "not a string");
	if (slen / 4 * 3 > max + 2)
		return bad(w, key, "longer than %zu bytes", max);
	if (!slen)
		return 0;
	*out = malloc(slen / 4 * 3);
	if (!*out) {
		w->oom = true;
		return -1;
	}
	n = vt_base64_decode(s, slen, *out);
	if (n < 0)
		return bad(w, key, "not base64 (standard alphabet, padded, "
			   "no line breaks)");
	if ((size_t)n > max)
		return bad(w, key, "longer than %zu bytes", max);
	*len = n;
	return 0;
}

/* Lowercase hex of 1 to @max bytes. */
static int take_hex(struct walk *w, const char *key, json_object *v,
		    uint8_t *out, size_t max, size_t *len)
{
	const char *s = json_object_get_string(v);
	size_t slen = json_object_get_string_len(v), i;

	if (!json_object_is_type(v, json_type_string))
		return bad(w, key, "not a string");
	for (i = 0; i < slen; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return bad(w, key, "not lowercase hex");
	if (!slen || slen % 2 || slen / 2 > max)
		return bad(w, key, "not 1 to %zu bytes of hex", max);
	*len = slen / 2;
	return vt_unhex(out, *len, s, slen) ? bad(w, key, "not hex") : 0;
}

/* A PEM text: "-----BEGIN <label>-----" ... ; copied. */
static int take_pem(struct walk *w, const char *key, json_object *v,
		    const char *label, char **out)
{
	const char *s = json_object_get_string(v);
	size_t slen = json_object_get_string_len(v);
	char begin[64];

	if (!json_object_is_type(v, json_type_string))
		return bad(w, key, "not a string");
	snprintf(begin, sizeof(begin), "-----BEGIN %s-----\n", label);
	if (slen > VT_EVIDENCE_PEM_MAX || strlen(s) != slen ||
	    strncmp(s, begin, strlen(begin)))
		return bad(w, key, "not a PEM %s", label);
	*out = strdup(s);
	if (!*out) {
		w->oom = true;
		return -1;
	}
	return 0;
}

static int take_text(struct walk *w, const char *key, json_object *v,
		     char *out, size_t size)
{
	const char *s = json_object_get_string(v);
	size_t slen = json_object_get_string_len(v), i;

	if (!json_object_is_type(v, json_type_string))
		return bad(w, key, "not a string");
	if (slen >= size)
		return bad(w, key, "longer than %zu characters", size - 1);
	for (i = 0; i < slen; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return bad(w, key, "not printable ASCII");
	memcpy(out, s, slen + 1);
	return 0;
}

/* ---- the objects, one table each ---- */

struct field {
	const char *key;
	bool required;
	bool nullable;
	int (*take)(struct walk *w, const char *key, json_object *v);
};

static int walk_object(struct walk *w, const char *where, json_object *o,
		       const struct field *fields, size_t nr)
{
	const char *saved = w->where;
	bool seen[16] = { false };
	size_t i;
	int ret = 0;

	w->where = where;
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(w->why, w->whylen, "%s: not an object",
			 where ? where : "the bundle");
		return -1;
	}
	json_object_object_foreach(o, key, v) {
		for (i = 0; i < nr; i++)
			if (!strcmp(key, fields[i].key))
				break;
		if (i == nr) {
			ret = bad(w, key, "not a field of version %d",
				  VT_EVIDENCE_VERSION);
			goto out;
		}
		seen[i] = true;
		if (!v && fields[i].nullable)
			continue;
		if (!v) {
			ret = bad(w, key, "null");
			goto out;
		}
		ret = fields[i].take(w, key, v);
		if (ret)
			goto out;
	}
	for (i = 0; i < nr; i++) {
		if (fields[i].required && !seen[i]) {
			ret = bad(w, fields[i].key, "missing");
			goto out;
		}
	}
out:
	w->where = saved;
	return ret;
}

static int take_format(struct walk *w, const char *key, json_object *v)
{
	if (!json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "vtrust-evidence"))
		return bad(w, key, "not \"vtrust-evidence\"");
	return 0;
}

static int take_version(struct walk *w, const char *key, json_object *v)
{
	if (!json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != VT_EVIDENCE_VERSION)
		return bad(w, key, "not %d (the version this verifier reads)",
			   VT_EVIDENCE_VERSION);
	return 0;
}

static int take_nonce(struct walk *w, const char *key, json_object *v)
{
	return take_hex(w, key, v, w->ev->nonce, sizeof(w->ev->nonce),
			&w->ev->nonce_len);
}

static int take_ak_public(struct walk *w, const char *key, json_object *v)
{
	return take_pem(w, key, v, "PUBLIC KEY", &w->ev->ak_pem);
}

static int take_ak_name(struct walk *w, const char *key, json_object *v)
{
	return take_hex(w, key, v, w->ev->ak_name, sizeof(w->ev->ak_name),
			&w->ev->ak_name_len);
}

static int take_ak_tpm2b(struct walk *w, const char *key, json_object *v)
{
	return take_b64(w, key, v, 2 + VT_TPM_PUBLIC_MAX, &w->ev->ak_tpm2b,
			&w->ev->ak_tpm2b_len);
}

static int take_ak_handle(struct walk *w, const char *key, json_object *v)
{
	const char *s = json_object_get_string(v);
	uint8_t b[4];

	if (!json_object_is_type(v, json_type_string) || strlen(s) != 10 ||
	    strncmp(s, "0x", 2) || strspn(s + 2, "0123456789abcdef") != 8 ||
	    vt_unhex(b, 4, s + 2, 8))
		return bad(w, key, "not 0x and 8 lowercase hex digits");
	w->ev->ak_handle = (uint32_t)b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	return 0;
}

static const struct field ak_fields[] = {
	{ "public", true, false, take_ak_public },
	{ "name", true, false, take_ak_name },
	{ "tpm2b_public", false, false, take_ak_tpm2b },
	{ "handle", false, false, take_ak_handle },
};

static int take_ak(struct walk *w, const char *key, json_object *v)
{
	return walk_object(w, key, v, ak_fields,
			   sizeof(ak_fields) / sizeof(ak_fields[0]));
}

static int take_attest(struct walk *w, const char *key, json_object *v)
{
	int ret = take_b64(w, key, v, VT_EVIDENCE_ATTEST_MAX, &w->ev->attest,
			   &w->ev->attest_len);

	return !ret && !w->ev->attest_len ? bad(w, key, "empty") : ret;
}

static int take_signature(struct walk *w, const char *key, json_object *v)
{
	int ret = take_b64(w, key, v, VT_EVIDENCE_SIG_MAX, &w->ev->sig,
			   &w->ev->sig_len);

	return !ret && !w->ev->sig_len ? bad(w, key, "empty") : ret;
}

static const struct field quote_fields[] = {
	{ "attest", true, false, take_attest },
	{ "signature", true, false, take_signature },
};

static int take_quote(struct walk *w, const char *key, json_object *v)
{
	return walk_object(w, key, v, quote_fields,
			   sizeof(quote_fields) / sizeof(quote_fields[0]));
}

/* pcrs: { "<bank>": { "<index>": "<hex>" } }, the banks by vtrust's names */
static int take_bank(struct walk *w, const char *bank, json_object *o)
{
	const struct vt_alg *alg = vt_alg_find(bank, strlen(bank));
	struct vt_pcr_table *t = &w->ev->pcrs;
	unsigned int pcr;
	size_t len;

	if (!alg || strcmp(alg->name, bank))
		return bad(w, bank, "not a bank (sha1, sha256, sha384, "
			   "sha512, sm3_256)");
	if (!json_object_is_type(o, json_type_object))
		return bad(w, bank, "not an object");
	json_object_object_foreach(o, idx, v) {
		if (vt_parse_uint(idx, VT_PCR_COUNT - 1, &pcr) ||
		    (idx[0] == '0' && idx[1]))
			return bad(w, bank, "\"%.8s\" is not a PCR index "
				   "(0-%d, decimal)", idx, VT_PCR_COUNT - 1);
		if (!v)
			return bad(w, bank, "PCR %u: null", pcr);
		if (take_hex(w, bank, v, t->value[alg->id][pcr], alg->size,
			     &len))
			return -1;
		if (len != alg->size)
			return bad(w, bank, "PCR %u: %zu bytes, not %u", pcr,
				   len, alg->size);
		t->have[alg->id][pcr] = true;
	}
	return 0;
}

static int take_pcrs(struct walk *w, const char *key, json_object *v)
{
	const char *saved = w->where;
	int ret = 0;

	if (!json_object_is_type(v, json_type_object))
		return bad(w, key, "not an object");
	w->where = key;
	json_object_object_foreach(v, bank, o) {
		ret = take_bank(w, bank, o);
		if (ret)
			break;
	}
	w->where = saved;
	return ret;
}

/*
 * logs: "uefi", "ima", "vtrust" (null: no such file), "ima_<bank>" and
 * "vtrust_<bank>" (the per-bank files, by vtrust's bank names).
 */
static int log_slot(const char *key, struct vt_evidence *ev,
		    struct vt_evidence_log **out, bool *per_bank)
{
	enum vt_source src;
	const struct vt_alg *alg;
	const char *us = strchr(key, '_');
	char name[16];
	size_t n = us ? (size_t)(us - key) : strlen(key);

	if (n >= sizeof(name))
		return -1;
	memcpy(name, key, n);
	name[n] = '\0';
	if (vt_source_parse(name, &src))
		return -1;
	*per_bank = us;
	if (!us) {
		*out = &ev->log[src];
		return 0;
	}
	alg = vt_alg_find(us + 1, strlen(us + 1));
	if (src == VT_SOURCE_UEFI || !alg || strcmp(alg->name, us + 1))
		return -1;
	*out = &ev->bank_log[src][alg->id];
	return 0;
}


/*
 * The base64 text @s (*@len bytes) with each "\/" as "/", in the thread's
 * scratch memory (freed with the walk's logs); NULL if it holds another
 * escape (or, with w->oom set, no memory).
 */
static char *unslash(struct walk *w, const char *s, size_t *len)
{
	char *out = vt_scratch_alloc(*len ? *len : 1), *o = out;
	size_t i;

	if (!out) {
		w->oom = true;
		return NULL;
	}
	for (i = 0; i < *len; i++) {
		if (s[i] == '\\' && (i + 1 == *len || s[++i] != '/')) {
			vt_scratch_free(out);
			return NULL;
		}
		*o++ = s[i];
	}
	*len = o - out;
	return out;
}

/*
 * A log, read by the JSON reader's hook (the logs are most of a bundle:
 * their base64 is decoded from the text as it lies, with no copy in
 * between). Stores true for a log, null for none, in the document.
 */
static int log_hook(struct vt_jread *r, void *ctx, const char *const *keys,
		    size_t depth, json_object **out)
{
	struct walk *w = ctx;
	struct vt_evidence_log *l;
	char *unslashed = NULL;
	const char *s;
	bool per_bank;
	size_t len;
	long n;
	int null;

	*out = NULL;
	if (depth != 2 || log_slot(keys[1], w->ev, &l, &per_bank))
		return vt_jread_fail(r, "logs.%.32s: not a log (uefi, ima, "
				     "vtrust, ima_<bank>, vtrust_<bank>)",
				     keys[depth - 1]);
	/* a second "logs" object's members come here before the reader
	 * sees the key twice */
	if (l->present || l->data)
		return vt_jread_fail(r, "logs.%s twice", keys[1]);
	null = vt_jread_null(r);
	if (null < 0)
		return -1;
	if (null && per_bank)
		return vt_jread_fail(r, "logs.%s: null (a per-bank list is "
				     "left out when there is none)", keys[1]);
	if (null)
		return 0;
	/* base64 has no byte that a JSON string must escape: every byte is
	 * checked by the decoder; only '/' may come escaped (json-c's
	 * default), and is unescaped first */
	if (vt_jread_string_raw(r, &s, &len))
		return -1;
	if (memchr(s, '\\', len)) {
		s = unslashed = unslash(w, s, &len);
		if (!s)
			return vt_jread_fail(r, "logs.%s: %s", keys[1], w->oom ?
					     "out of memory" : "a JSON escape "
					     "other than \\/ in base64");
	}
	if (len / 4 * 3 > VT_EVIDENCE_MAX) {
		vt_scratch_free(unslashed);
		return vt_jread_fail(r, "logs.%s: longer than %u bytes",
				     keys[1], VT_EVIDENCE_MAX);
	}
	if (len) {
		l->data = vt_scratch_alloc(len / 4 * 3);
		if (!l->data) {
			vt_scratch_free(unslashed);
			w->oom = true;
			return vt_jread_fail(r, "out of memory");
		}
		n = vt_base64_decode(s, len, l->data);
		vt_scratch_free(unslashed);
		unslashed = NULL;
		if (n < 0)
			return vt_jread_fail(r, "logs.%s: not base64 (standard "
					     "alphabet, padded, no line "
					     "breaks)", keys[1]);
		l->len = n;
	}
	vt_scratch_free(unslashed);
	l->present = true;
	*out = json_object_new_boolean(1);
	if (!*out) {
		w->oom = true;
		return vt_jread_fail(r, "out of memory");
	}
	return 0;
}

static const char *const logs_path[] = { "logs", "*", NULL };
static const struct vt_jread_hook hooks[] = {
	{ logs_path, log_hook },
};

/* What log_hook() left: every source's default file named. */
static int take_logs(struct walk *w, const char *key, json_object *v)
{
	enum vt_source src;

	if (!json_object_is_type(v, json_type_object))
		return bad(w, key, "not an object");
	for (src = 0; src < VT_SOURCE_COUNT; src++) {
		if (!json_object_object_get_ex(v, vt_source_name(src), NULL)) {
			w->where = key;
			bad(w, vt_source_name(src), "missing");
			w->where = NULL;
			return -1;
		}
	}
	return 0;
}

static int take_ek_public(struct walk *w, const char *key, json_object *v)
{
	return take_pem(w, key, v, "PUBLIC KEY", &w->ev->ek_pem);
}

static int take_ek_cert(struct walk *w, const char *key, json_object *v)
{
	return take_pem(w, key, v, "CERTIFICATE", &w->ev->ek_cert_pem);
}

static int take_ek_tpm2b(struct walk *w, const char *key, json_object *v)
{
	return take_b64(w, key, v, 2 + VT_TPM_PUBLIC_MAX, &w->ev->ek_tpm2b,
			&w->ev->ek_tpm2b_len);
}

static const struct field ek_fields[] = {
	{ "public", true, false, take_ek_public },
	{ "certificate", true, true, take_ek_cert },
	{ "tpm2b_public", false, false, take_ek_tpm2b },
};

static int take_ek(struct walk *w, const char *key, json_object *v)
{
	w->ev->have_ek = true;
	return walk_object(w, key, v, ek_fields,
			   sizeof(ek_fields) / sizeof(ek_fields[0]));
}

static int take_time(struct walk *w, const char *key, json_object *v)
{
	return take_text(w, key, v, w->ev->collected_time,
			 sizeof(w->ev->collected_time));
}

static int take_tool(struct walk *w, const char *key, json_object *v)
{
	return take_text(w, key, v, w->ev->collected_tool,
			 sizeof(w->ev->collected_tool));
}

static const struct field collected_fields[] = {
	{ "time", true, false, take_time },
	{ "tool", true, false, take_tool },
};

static int take_collected(struct walk *w, const char *key, json_object *v)
{
	return walk_object(w, key, v, collected_fields,
			   sizeof(collected_fields) /
			   sizeof(collected_fields[0]));
}

static const struct field bundle_fields[] = {
	{ "format", true, false, take_format },
	{ "version", true, false, take_version },
	{ "nonce", true, false, take_nonce },
	{ "ak", true, false, take_ak },
	{ "quote", true, false, take_quote },
	{ "pcrs", true, false, take_pcrs },
	{ "logs", true, false, take_logs },
	{ "ek", false, true, take_ek },
	{ "collected", false, false, take_collected },
};

void vt_evidence_free(struct vt_evidence *ev)
{
	unsigned int s, b;

	if (!ev)
		return;
	free(ev->ak_pem);
	free(ev->ak_tpm2b);
	free(ev->attest);
	free(ev->sig);
	for (s = 0; s < VT_SOURCE_COUNT; s++) {
		vt_scratch_free(ev->log[s].data);
		for (b = 0; b < VT_ALG_COUNT; b++)
			vt_scratch_free(ev->bank_log[s][b].data);
	}
	free(ev->ek_pem);
	free(ev->ek_cert_pem);
	free(ev->ek_tpm2b);
	free(ev);
}

int vt_evidence_parse(const char *text, size_t len, struct vt_evidence **out,
		      char *why, size_t whylen)
{
	struct walk w = { .why = why, .whylen = whylen };
	struct vt_jread_opts jo = {
		.hooks = hooks, .nr_hooks = 1, .ctx = &w, .max_depth = 4,
	};
	json_object *doc = NULL;
	int ret;

	*out = NULL;
	if (len > VT_EVIDENCE_MAX) {
		snprintf(why, whylen, "larger than %u bytes", VT_EVIDENCE_MAX);
		return -1;
	}
	w.ev = calloc(1, sizeof(*w.ev));
	if (!w.ev)
		return -ENOMEM;
	if (vt_jread(text, len, &jo, &doc, why, whylen)) {
		vt_evidence_free(w.ev);
		return w.oom ? -ENOMEM : -1;
	}
	ret = walk_object(&w, NULL, doc, bundle_fields,
			  sizeof(bundle_fields) / sizeof(bundle_fields[0]));
	json_object_put(doc);
	if (w.oom)
		ret = -ENOMEM;
	if (ret) {
		vt_evidence_free(w.ev);
		return ret;
	}
	*out = w.ev;
	return 0;
}
