// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A load generator for vtrustd: many instances with software-simulated
 * TPMs. Each instance has its own EK and AK (ECC P-256, held here), enrols
 * (the credential activated in software: ECDH, KDFe, KDFa, HMAC, AES-CFB,
 * as TPM2_ActivateCredential does), then attests once per boot: a
 * challenge, a TPMS_ATTEST quote over PCRs 0-15 of the sha256 bank with
 * the challenge's nonce and the boot's resetCount, signed with ECDSA, and
 * an evidence bundle (docs/FORMATS.md) with the firmware log given.
 *
 * Two phases: every instance is made and enrolled, then every instance
 * attests its boots. The figures (seconds, per_second, p50_ms, p99_ms)
 * are the second phase's, the attestations; enrol_seconds is the first's.
 * "enrolled N" is printed (and flushed) between the two.
 *
 * Boots are honest (the log of LOGDIR/honest), changed (LOGDIR/changed:
 * another event) or forged (honest, with the signed attest altered); the
 * expected verdicts are trusted, untrusted and invalid (boot 1 is always
 * honest: the baseline). Every answer is checked against the expectation.
 * With --check, each instance's attestations are then read back through
 * the operator API and must be exactly its boots' verdicts, in order.
 *
 * Usage: loadgen --url URL --instances N --boots B --threads T --logs DIR
 *                [--prefix P] [--token TOKEN --check]
 * LOGDIR holds honest, changed (binary firmware logs) and honest.pcrs,
 * changed.pcrs (16 lines: PCR 0-15 of sha256 in hex) (bench/service.py).
 * Prints one line of figures (key=value) and exits 0 when every verdict
 * was right.
 */
#include <curl/curl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hex.h"
#include "makecred.h"

#define ALG_SHA256	0x000b
#define ALG_ECC		0x0023
#define ALG_AES		0x0006
#define ALG_CFB		0x0043
#define ALG_NULL	0x0010
#define ALG_ECDSA	0x0018
#define CURVE_P256	0x0003
#define RH_ENDORSEMENT	0x4000000b

enum kind { HONEST, CHANGED, FORGED };

static const char *url, *logdir, *prefix = "load", *token;
static unsigned int n_inst = 100, n_boots = 10, n_threads = 4;
static int check;

static struct blob {
	uint8_t *p;
	size_t len;
	char *b64;
	uint8_t pcrs[16][32];
	char *pcrs_json;	/* {"0": "hex", ...} */
} logs[2];

static struct inst *insts;
static atomic_uint next_inst;
static atomic_ulong n_ok, n_wrong, n_errors;
static pthread_mutex_t lat_lock = PTHREAD_MUTEX_INITIALIZER;
static double *lat;
static size_t n_lat;

/* ---- byte buffers ---- */

struct buf {
	uint8_t p[2048];
	size_t n;
};

static void put16(struct buf *b, unsigned int v)
{
	b->p[b->n++] = v >> 8;
	b->p[b->n++] = v;
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

static void put64(struct buf *b, uint64_t v)
{
	put32(b, v >> 32);
	put32(b, (uint32_t)v);
}

static void putb(struct buf *b, const void *p, size_t n)
{
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void put2b(struct buf *b, const void *p, size_t n)
{
	put16(b, n);
	putb(b, p, n);
}

static char *b64(const uint8_t *p, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

static size_t unb64(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s);
	int len;

	if (3 * (n / 4) > max)
		return 0;
	len = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
	if (len < 0)
		return 0;
	if (n >= 1 && s[n - 1] == '=')
		len--;
	if (n >= 2 && s[n - 2] == '=')
		len--;
	return (size_t)len;
}

/* ---- keys ---- */

/* @k's SubjectPublicKeyInfo in PEM, as a json string. */
static json_object *pem_of(EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	json_object *o = NULL;
	char *p;
	long n;

	if (b && PEM_write_bio_PUBKEY(b, k) && (n = BIO_get_mem_data(b, &p)) > 0)
		o = json_object_new_string_len(p, (int)n);
	BIO_free(b);
	return o;
}

struct key {
	EVP_PKEY *k;
	uint8_t x[32], y[32];
	struct buf pub;		/* TPM2B_PUBLIC */
	uint8_t name[34];	/* nameAlg, SHA-256 of TPMT_PUBLIC */
};

static const uint8_t ek_policy[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xb3, 0xf8, 0x1a, 0x90, 0xcc,
	0x8d, 0x46, 0xa5, 0xd7, 0x24, 0xfd, 0x52, 0xd7, 0x6e, 0x06, 0x52,
	0x0b, 0x64, 0xf2, 0xa1, 0xda, 0x1b, 0x33, 0x14, 0x69, 0xaa,
};

static int make_key(struct key *k, int ek)
{
	BIGNUM *x = NULL, *y = NULL;
	struct buf t = { .n = 0 };

	k->k = EVP_EC_gen("P-256");
	if (!k->k ||
	    !EVP_PKEY_get_bn_param(k->k, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
	    !EVP_PKEY_get_bn_param(k->k, OSSL_PKEY_PARAM_EC_PUB_Y, &y) ||
	    BN_bn2binpad(x, k->x, 32) != 32 || BN_bn2binpad(y, k->y, 32) != 32)
		return -1;
	BN_free(x);
	BN_free(y);
	put16(&t, ALG_ECC);
	put16(&t, ALG_SHA256);
	if (ek) {
		/* fixedTPM fixedParent sensitiveDataOrigin adminWithPolicy
		 * restricted decrypt */
		put32(&t, 0x000300b2);
		put2b(&t, ek_policy, 32);
		put16(&t, ALG_AES);
		put16(&t, 128);
		put16(&t, ALG_CFB);
		put16(&t, ALG_NULL);
	} else {
		/* fixedTPM fixedParent sensitiveDataOrigin userWithAuth
		 * restricted sign */
		put32(&t, 0x00050072);
		put16(&t, 0);
		put16(&t, ALG_NULL);
		put16(&t, ALG_ECDSA);
		put16(&t, ALG_SHA256);
	}
	put16(&t, CURVE_P256);
	put16(&t, ALG_NULL);
	put2b(&t, k->x, 32);
	put2b(&t, k->y, 32);
	k->pub.n = 0;
	put2b(&k->pub, t.p, t.n);
	k->name[0] = 0;
	k->name[1] = 0x0b;
	SHA256(t.p, t.n, k->name + 2);
	return 0;
}

/* The EVP_PKEY of the P-256 point (@x, @y). */
static EVP_PKEY *point_key(const uint8_t *x, const uint8_t *y)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM *params = NULL;
	EVP_PKEY *k = NULL;
	uint8_t pt[65];

	pt[0] = 4;
	memcpy(pt + 1, x, 32);
	memcpy(pt + 33, y, 32);
	if (bld && ctx &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					    "prime256v1", 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pt,
					     sizeof(pt)) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) &&
	    EVP_PKEY_fromdata_init(ctx) > 0)
		EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	return k;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * TPM2_ActivateCredential in software for the ECC EK @ek and the AK Name
 * @name: the credential file (magic, version, TPM2B_ID_OBJECT,
 * TPM2B_ENCRYPTED_SECRET) into the secret. Its length, or -1.
 */
static int activate(const struct key *ek, const uint8_t *name,
		    const uint8_t *f, size_t len, uint8_t *secret)
{
	const uint8_t *id, *es, *hmac, *enc;
	size_t idn, esn, encn, zn = 32;
	uint8_t seed[32], sym[16], hkey[32], mac[32], z[32], dec[64];
	unsigned int maclen = 0;
	EVP_PKEY_CTX *dctx = NULL;
	EVP_CIPHER_CTX *c = NULL;
	EVP_PKEY *peer = NULL;
	int n, out = -1;

	if (len < 12 || get16(f + 8) + 10u > len)
		return -1;
	idn = get16(f + 8);
	id = f + 10;
	if (10 + idn + 2 > len)
		return -1;
	esn = get16(f + 10 + idn);
	es = f + 12 + idn;
	if (12 + idn + esn > len || esn < 4 + 64 || get16(es) != 32 ||
	    get16(es + 34) != 32 || idn < 2 + 32 || get16(id) != 32)
		return -1;
	peer = point_key(es + 2, es + 36);
	dctx = EVP_PKEY_CTX_new(ek->k, NULL);
	if (!peer || !dctx || EVP_PKEY_derive_init(dctx) <= 0 ||
	    EVP_PKEY_derive_set_peer(dctx, peer) <= 0 ||
	    EVP_PKEY_derive(dctx, z, &zn) <= 0 || zn != 32)
		goto out;
	if (vt_kdfe(ALG_SHA256, z, 32, "IDENTITY", es + 2, 32, ek->x, 32,
		    256, seed) ||
	    vt_kdfa(ALG_SHA256, seed, 32, "STORAGE", name, 34, NULL, 0, 128,
		    sym) ||
	    vt_kdfa(ALG_SHA256, seed, 32, "INTEGRITY", NULL, 0, NULL, 0, 256,
		    hkey))
		goto out;
	hmac = id + 2;
	enc = id + 34;
	encn = idn - 34;
	{
		uint8_t in[128];

		if (encn + 34 > sizeof(in))
			goto out;
		memcpy(in, enc, encn);
		memcpy(in + encn, name, 34);
		if (!HMAC(EVP_sha256(), hkey, 32, in, encn + 34, mac, &maclen) ||
		    maclen != 32 || memcmp(mac, hmac, 32))
			goto out;
	}
	c = EVP_CIPHER_CTX_new();
	{
		uint8_t iv[16] = { 0 };

		if (!c || encn > sizeof(dec) ||
		    !EVP_DecryptInit_ex(c, EVP_aes_128_cfb(), NULL, sym, iv) ||
		    !EVP_DecryptUpdate(c, dec, &n, enc, (int)encn) ||
		    (size_t)n != encn || encn < 2 || get16(dec) + 2u != encn)
			goto out;
	}
	memcpy(secret, dec + 2, encn - 2);
	out = (int)(encn - 2);
out:
	EVP_CIPHER_CTX_free(c);
	EVP_PKEY_CTX_free(dctx);
	EVP_PKEY_free(peer);
	return out;
}

/* ---- HTTP ---- */

struct resp {
	char *p;
	size_t n;
};

static size_t gather(char *p, size_t size, size_t nm, void *arg)
{
	struct resp *r = arg;
	char *q = realloc(r->p, r->n + size * nm + 1);

	if (!q)
		return 0;
	memcpy(q + r->n, p, size * nm);
	r->n += size * nm;
	q[r->n] = '\0';
	r->p = q;
	return size * nm;
}

/* @method @path with @body (may be NULL): the status, the JSON in *out. */
static long call(CURL *h, const char *method, const char *path,
		 const char *body, json_object **out)
{
	struct curl_slist *hdr = NULL;
	struct resp r = { NULL, 0 };
	char u[512], auth[200];
	long status = 0;

	snprintf(u, sizeof(u), "%s%s", url, path);
	curl_easy_setopt(h, CURLOPT_URL, u);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "");
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, body ? (long)strlen(body) : 0L);
	if (!strcmp(method, "GET"))
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	if (token) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		hdr = curl_slist_append(hdr, auth);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, gather);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 60L);
	if (curl_easy_perform(h) == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdr);
	*out = r.p ? json_tokener_parse(r.p) : NULL;
	free(r.p);
	return status;
}

static const char *str_of(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) &&
	       json_object_is_type(v, json_type_string) ?
	       json_object_get_string(v) : NULL;
}

/* ---- one instance ---- */

struct inst {
	char id[64];
	struct key ek, ak;
	uint8_t qn[34];		/* the AK's qualified name */
	char *ak_json, *ek_json;	/* the bundle's "ak" and "ek" */
	bool enrolled;
};

static int enrol(CURL *h, struct inst *in)
{
	json_object *req = json_object_new_object(), *o, *ans = NULL;
	uint8_t cred[1024], secret[64];
	char *e = b64(in->ek.pub.p, in->ek.pub.n);
	char *a = b64(in->ak.pub.p, in->ak.pub.n), hex[129];
	size_t clen;
	long st;
	int n, ret = -1;

	json_object_object_add(req, "id", json_object_new_string(in->id));
	o = json_object_new_object();
	json_object_object_add(o, "tpm2b_public", json_object_new_string(e));
	json_object_object_add(req, "ek", o);
	o = json_object_new_object();
	json_object_object_add(o, "tpm2b_public", json_object_new_string(a));
	json_object_object_add(req, "ak", o);
	st = call(h, "POST", "/v1/enrol", json_object_to_json_string(req),
		  &ans);
	json_object_put(req);
	free(e);
	free(a);
	if (st != 201 || !str_of(ans, "credential") || !str_of(ans, "nonce")) {
		fprintf(stderr, "loadgen: %s: enrol: %ld %s\n", in->id, st,
			json_object_to_json_string(ans));
		goto out;
	}
	clen = unb64(str_of(ans, "credential"), cred, sizeof(cred));
	n = activate(&in->ek, in->ak.name, cred, clen, secret);
	if (n <= 0) {
		fprintf(stderr, "loadgen: %s: cannot activate\n", in->id);
		goto out;
	}
	vt_hex(hex, secret, (size_t)n);
	req = json_object_new_object();
	json_object_object_add(req, "nonce", json_object_new_string(
				       str_of(ans, "nonce")));
	json_object_object_add(req, "secret", json_object_new_string(hex));
	json_object_put(ans);
	ans = NULL;
	st = call(h, "POST", "/v1/enrol/activate",
		  json_object_to_json_string(req), &ans);
	json_object_put(req);
	if (st != 200) {
		fprintf(stderr, "loadgen: %s: activate: %ld %s\n", in->id, st,
			json_object_to_json_string(ans));
		goto out;
	}
	ret = 0;
out:
	json_object_put(ans);
	return ret;
}

static enum kind plan(unsigned int i, unsigned int boot)
{
	if (boot == 1)
		return HONEST;
	if ((i + boot) % 7 == 0)
		return CHANGED;
	if ((i * 3 + boot) % 11 == 0)
		return FORGED;
	return HONEST;
}

static const char *expected(enum kind k)
{
	return k == HONEST ? "trusted" : k == CHANGED ? "untrusted" :
	       "invalid";
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The bundle of boot @boot (@k) for @nonce (hex). */
static char *bundle(const struct inst *in, unsigned int boot, enum kind k,
		    const char *nonce)
{
	const struct blob *log = &logs[k == CHANGED];
	struct buf at = { .n = 0 }, sig = { .n = 0 };
	uint8_t nb[64], dig[32], der[80], rb[32], sb[32];
	size_t nlen = strlen(nonce) / 2, dlen = sizeof(der);
	const BIGNUM *r, *s;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *x = NULL, *ab, *sb64;
	ECDSA_SIG *es;
	const unsigned char *dp = der;

	if (nlen > sizeof(nb) || vt_unhex(nb, nlen, nonce, 2 * nlen))
		return NULL;
	SHA256(&log->pcrs[0][0], sizeof(log->pcrs), dig);
	put32(&at, 0xff544347);		/* TPM_GENERATED_VALUE */
	put16(&at, 0x8018);		/* TPM_ST_ATTEST_QUOTE */
	put2b(&at, in->qn, 34);
	put2b(&at, nb, nlen);
	put64(&at, 1000000ull * boot);	/* clock */
	put32(&at, boot);		/* resetCount: one per boot */
	put32(&at, 0);
	at.p[at.n++] = 1;		/* safe */
	put64(&at, 0x2023000000000000ull);
	put32(&at, 1);			/* TPML_PCR_SELECTION */
	put16(&at, ALG_SHA256);
	at.p[at.n++] = 3;
	at.p[at.n++] = 0xff;
	at.p[at.n++] = 0xff;
	at.p[at.n++] = 0;
	put2b(&at, dig, 32);
	/* ECDSA over SHA-256 of the attest */
	if (!md || EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
				      in->ak.k) <= 0 ||
	    EVP_DigestSign(md, der, &dlen, at.p, at.n) <= 0) {
		EVP_MD_CTX_free(md);
		return NULL;
	}
	EVP_MD_CTX_free(md);
	es = d2i_ECDSA_SIG(NULL, &dp, (long)dlen);
	if (!es)
		return NULL;
	ECDSA_SIG_get0(es, &r, &s);
	BN_bn2binpad(r, rb, 32);
	BN_bn2binpad(s, sb, 32);
	ECDSA_SIG_free(es);
	put16(&sig, ALG_ECDSA);
	put16(&sig, ALG_SHA256);
	put2b(&sig, rb, 32);
	put2b(&sig, sb, 32);
	if (k == FORGED)
		at.p[at.n - 1] ^= 1;	/* another pcrDigest, same signature */

	ab = b64(at.p, at.n);
	sb64 = b64(sig.p, sig.n);
	if (ab && sb64 &&
	    asprintf(&x, "{\"format\":\"vtrust-evidence\",\"version\":1,"
		     "\"nonce\":\"%s\",\"ak\":%s,\"quote\":{\"attest\":"
		     "\"%s\",\"signature\":\"%s\"},\"pcrs\":{\"sha256\":%s},"
		     "\"logs\":{\"uefi\":\"%s\",\"ima\":null,\"vtrust\":"
		     "null},\"ek\":%s,\"collected\":{\"time\":"
		     "\"2026-11-29T00:00:00Z\",\"tool\":\"loadgen\"}}",
		     nonce, in->ak_json, ab, sb64, log->pcrs_json, log->b64,
		     in->ek_json) < 0)
		x = NULL;
	free(ab);
	free(sb64);
	return x;
}

/* One attestation; 0 when the verdict was the expected one. */
static int attest(CURL *h, const struct inst *in, unsigned int boot,
		  enum kind k)
{
	json_object *ans = NULL;
	char path[256], nonce[129], *b;
	const char *v;
	double t = now_s();
	long st;
	int ret = -1;

	snprintf(path, sizeof(path), "/v1/instances/%s/challenge", in->id);
	st = call(h, "POST", path, NULL, &ans);
	if (st != 201 || !str_of(ans, "nonce")) {
		fprintf(stderr, "loadgen: %s: challenge: %ld\n", in->id, st);
		json_object_put(ans);
		atomic_fetch_add(&n_errors, 1);
		return -1;
	}
	snprintf(nonce, sizeof(nonce), "%s", str_of(ans, "nonce"));
	json_object_put(ans);
	b = bundle(in, boot, k, nonce);
	snprintf(path, sizeof(path), "/v1/instances/%s/evidence?nonce=%s",
		 in->id, nonce);
	st = b ? call(h, "POST", path, b, &ans) : 0;
	free(b);
	v = str_of(ans, "verdict");
	if (st == 200 && v && !strcmp(v, expected(k))) {
		atomic_fetch_add(&n_ok, 1);
		ret = 0;
	} else if (st == 200 && v) {
		fprintf(stderr, "loadgen: %s boot %u: %s, not %s\n", in->id,
			boot, v, expected(k));
		atomic_fetch_add(&n_wrong, 1);
	} else {
		fprintf(stderr, "loadgen: %s boot %u: evidence: %ld\n", in->id,
			boot, st);
		atomic_fetch_add(&n_errors, 1);
	}
	json_object_put(ans);
	t = now_s() - t;
	pthread_mutex_lock(&lat_lock);
	lat[n_lat++] = t;
	pthread_mutex_unlock(&lat_lock);
	return ret;
}

/* The attestations the service keeps for @in, newest first, as planned. */
static int check_one(CURL *h, const struct inst *in, unsigned int i)
{
	json_object *ans = NULL, *arr;
	char path[128];
	unsigned int b, n;
	int ret = -1;

	snprintf(path, sizeof(path), "/v1/instances/%s", in->id);
	if (call(h, "GET", path, NULL, &ans) != 200 ||
	    !json_object_object_get_ex(ans, "attestations", &arr))
		goto out;
	n = (unsigned int)json_object_array_length(arr);
	if (n != (n_boots < 50 ? n_boots : 50))
		goto out;
	for (b = 0; b < n; b++) {
		const char *v = str_of(json_object_array_get_idx(arr, b),
				       "verdict");

		if (!v || strcmp(v, expected(plan(i, n_boots - b))))
			goto out;
	}
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "loadgen: %s: the service's attestations are "
			"not its boots: %.300s\n", in->id,
			json_object_to_json_string(ans));
	json_object_put(ans);
	return ret;
}

/* The bundle's "ak" and "ek" members, the same at every boot. */
static int render_keys(struct inst *in)
{
	struct key *k[2] = { &in->ak, &in->ek };
	char **out[2] = { &in->ak_json, &in->ek_json };
	json_object *a;
	char hex[69], *x;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		a = json_object_new_object();
		json_object_object_add(a, "public", pem_of(k[i]->k));
		if (i == 0) {
			vt_hex(hex, in->ak.name, 34);
			json_object_object_add(a, "name",
					       json_object_new_string(hex));
		} else {
			json_object_object_add(a, "certificate", NULL);
		}
		x = b64(k[i]->pub.p, k[i]->pub.n);
		json_object_object_add(a, "tpm2b_public",
				       json_object_new_string(x));
		free(x);
		if (i == 0)
			json_object_object_add(a, "handle",
					       json_object_new_string(
						       "0x81010002"));
		*out[i] = strdup(json_object_to_json_string_ext(
			a, JSON_C_TO_STRING_PLAIN |
			JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(a);
		if (!*out[i])
			return -1;
	}
	return 0;
}

/* Phase one: instance i made (its keys) and enrolled. */
static void *enrol_worker(void *arg)
{
	CURL *h = curl_easy_init();
	struct inst *in;
	unsigned int i;

	(void)arg;
	while ((i = atomic_fetch_add(&next_inst, 1)) < n_inst) {
		in = &insts[i];
		snprintf(in->id, sizeof(in->id), "%s-%05u", prefix, i);
		if (make_key(&in->ek, 1) || make_key(&in->ak, 0) ||
		    render_keys(in)) {
			atomic_fetch_add(&n_errors, 1);
			continue;
		}
		{
			/* QN(EK) = H(handle || Name(EK)), QN(AK) = H(QN(EK) ||
			 * Name(AK)), each with the nameAlg in front */
			uint8_t t[4 + 34 + 34], qe[34];

			t[0] = 0x40;
			t[1] = 0;
			t[2] = 0;
			t[3] = 0x0b;
			memcpy(t + 4, in->ek.name, 34);
			qe[0] = 0;
			qe[1] = 0x0b;
			SHA256(t, 38, qe + 2);
			memcpy(t, qe, 34);
			memcpy(t + 34, in->ak.name, 34);
			in->qn[0] = 0;
			in->qn[1] = 0x0b;
			SHA256(t, 68, in->qn + 2);
		}
		if (enrol(h, in))
			atomic_fetch_add(&n_errors, 1);
		else
			in->enrolled = true;
	}
	curl_easy_cleanup(h);
	return NULL;
}

/* Phase two: each enrolled instance's boots, in order, then its check. */
static void *attest_worker(void *arg)
{
	CURL *h = curl_easy_init();
	unsigned int i, b;

	(void)arg;
	while ((i = atomic_fetch_add(&next_inst, 1)) < n_inst) {
		if (!insts[i].enrolled)
			continue;
		for (b = 1; b <= n_boots; b++)
			attest(h, &insts[i], b, plan(i, b));
		if (check && check_one(h, &insts[i], i))
			atomic_fetch_add(&n_wrong, 1);
	}
	curl_easy_cleanup(h);
	return NULL;
}

/* Run @fn in n_threads threads over the instances; the seconds taken. */
static double phase(void *(*fn)(void *))
{
	pthread_t th[64];
	unsigned int i;
	double t0 = now_s();

	atomic_store(&next_inst, 0);
	for (i = 0; i < n_threads; i++)
		pthread_create(&th[i], NULL, fn, NULL);
	for (i = 0; i < n_threads; i++)
		pthread_join(th[i], NULL);
	return now_s() - t0;
}

static int load(struct blob *b, const char *name)
{
	char path[512], line[128];
	FILE *f;
	long n;
	int i;

	snprintf(path, sizeof(path), "%s/%s", logdir, name);
	f = fopen(path, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET))
		return -1;
	b->p = malloc((size_t)n);
	b->len = fread(b->p, 1, (size_t)n, f);
	fclose(f);
	b->b64 = b64(b->p, b->len);
	snprintf(path, sizeof(path), "%s/%s.pcrs", logdir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	for (i = 0; i < 16; i++)
		if (!fgets(line, sizeof(line), f) ||
		    vt_unhex(b->pcrs[i], 32, line, 64))
			break;
	fclose(f);
	if (i != 16)
		return -1;
	{
		json_object *a = json_object_new_object();
		char hex[65], idx[4];

		for (i = 0; i < 16; i++) {
			vt_hex(hex, b->pcrs[i], 32);
			snprintf(idx, sizeof(idx), "%d", i);
			json_object_object_add(a, idx,
					       json_object_new_string(hex));
		}
		b->pcrs_json = strdup(json_object_to_json_string_ext(
			a, JSON_C_TO_STRING_PLAIN));
		json_object_put(a);
	}
	return b->pcrs_json ? 0 : -1;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "instances", required_argument, NULL, 'n' },
		{ "boots", required_argument, NULL, 'b' },
		{ "threads", required_argument, NULL, 't' },
		{ "logs", required_argument, NULL, 'l' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "token", required_argument, NULL, 'k' },
		{ "check", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	double t, te;
	unsigned int i;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'u': url = optarg; break;
		case 'n': n_inst = (unsigned int)atoi(optarg); break;
		case 'b': n_boots = (unsigned int)atoi(optarg); break;
		case 't': n_threads = (unsigned int)atoi(optarg); break;
		case 'l': logdir = optarg; break;
		case 'p': prefix = optarg; break;
		case 'k': token = optarg; break;
		case 'c': check = 1; break;
		default: return 2;
		}
	}
	if (!url || !logdir || !n_threads || n_threads > 64 || !n_boots ||
	    (check && !token)) {
		fprintf(stderr, "usage: loadgen --url URL --logs DIR [--instances N] [--boots B] [--threads T] [--prefix P] [--token T --check]\n");
		return 2;
	}
	if (load(&logs[0], "honest") || load(&logs[1], "changed")) {
		fprintf(stderr, "loadgen: %s: no honest and changed logs\n",
			logdir);
		return 2;
	}
	lat = calloc((size_t)n_inst * n_boots + 1, sizeof(*lat));
	insts = calloc(n_inst + 1, sizeof(*insts));
	if (!lat || !insts)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	te = phase(enrol_worker);
	for (c = 0, i = 0; i < n_inst; i++)
		c += insts[i].enrolled;
	printf("enrolled %d\n", c);
	fflush(stdout);
	t = phase(attest_worker);
	qsort(lat, n_lat, sizeof(*lat), by_value);
	printf("instances=%u boots=%u threads=%u attestations=%zu right=%lu "
	       "wrong=%lu errors=%lu enrol_seconds=%.2f seconds=%.2f "
	       "per_second=%.0f p50_ms=%.1f p99_ms=%.1f\n", n_inst, n_boots,
	       n_threads, n_lat, (unsigned long)n_ok, (unsigned long)n_wrong,
	       (unsigned long)n_errors, te, t, n_lat / t,
	       n_lat ? 1000 * lat[n_lat / 2] : 0,
	       n_lat ? 1000 * lat[(size_t)(n_lat * 0.99)] : 0);
	curl_global_cleanup();
	for (i = 0; i < n_inst; i++) {
		EVP_PKEY_free(insts[i].ek.k);
		EVP_PKEY_free(insts[i].ak.k);
		free(insts[i].ak_json);
		free(insts[i].ek_json);
	}
	free(insts);
	return n_wrong || n_errors ? 1 : 0;
}
