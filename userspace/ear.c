// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * EAR results signed with ES256 (RFC 7515, 7518), and the JWK Set; see
 * ear.h. The claims follow the EAR draft's names (eat_profile, iat,
 * eat_nonce, ear.verifier-id, submods with ear.status); vtrust's own are
 * prefixed "vtrust.".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>

#include "ear.h"
#include "hex.h"
#include "store.h"

#define EAR_PROFILE	"tag:github.com,2023:veraison/ear"

/* base64url without padding of @len bytes: malloc'd */
static char *b64url(const void *p, size_t len)
{
	char *s = malloc(4 * ((len + 2) / 3) + 1);
	size_t i, n;

	if (!s)
		return NULL;
	n = EVP_EncodeBlock((unsigned char *)s, p, len);
	while (n && s[n - 1] == '=')
		n--;
	s[n] = '\0';
	for (i = 0; i < n; i++)
		s[i] = s[i] == '+' ? '-' : s[i] == '/' ? '_' : s[i];
	return s;
}

static int point(EVP_PKEY *key, uint8_t xy[65])
{
	size_t len = 65;

	return EVP_PKEY_get_octet_string_param(key,
					       OSSL_PKEY_PARAM_PUB_KEY, xy, 65,
					       &len) && len == 65 && xy[0] == 4 ?
	       0 : -1;
}

static int kid_of(EVP_PKEY *key, char kid[65])
{
	uint8_t xy[65], md[32];

	if (point(key, xy))
		return -1;
	EVP_Digest(xy, sizeof(xy), md, NULL, EVP_sha256(), NULL);
	vt_hex(kid, md, sizeof(md));
	return 0;
}

struct pem_row {
	char *pem;
};

static int pem_row(void *ctx, unsigned int n, const char *const *v)
{
	struct pem_row *r = ctx;

	if (n != 1 || !v[0] || r->pem)
		return 0;
	r->pem = strdup(v[0]);
	return r->pem ? 0 : VT_DB_ERROR;
}

static EVP_PKEY *oldest(struct vt_db *db, int *ret)
{
	struct pem_row r = { NULL };
	EVP_PKEY *key = NULL;
	BIO *bio;

	*ret = vt_db_exec(db, "SELECT private_pem FROM signing_keys ORDER BY "
			  "created, kid LIMIT 1", 0, NULL, pem_row, &r);
	if (*ret || !r.pem)
		return NULL;
	bio = BIO_new_mem_buf(r.pem, -1);
	if (bio)
		key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	free(r.pem);
	return key;
}

EVP_PKEY *vt_ear_key(struct vt_db *db, int64_t now, char kid[65],
		     char *why, size_t whylen)
{
	EVP_PKEY *key;
	BIO *bio = NULL;
	char t[24], *pem;
	const char *p[3];
	long len;
	int ret;

	key = oldest(db, &ret);
	if (!key && !ret) {
		/* none yet: make one; of two processes doing so at once, both
		 * then sign with the oldest */
		key = EVP_EC_gen("P-256");
		bio = BIO_new(BIO_s_mem());
		if (!key || !bio || kid_of(key, kid) ||
		    !PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL,
					      NULL)) {
			snprintf(why, whylen, "cannot make a signing key");
			goto fail;
		}
		len = BIO_get_mem_data(bio, &pem);
		pem = strndup(pem, len);
		snprintf(t, sizeof(t), "%lld", (long long)now);
		p[0] = kid;
		p[1] = pem;
		p[2] = t;
		ret = pem ? vt_db_exec(db, "INSERT INTO signing_keys (kid, "
				       "private_pem, created) VALUES ($1, $2, "
				       "CAST($3 AS BIGINT))", 3, p, NULL,
				       NULL) : VT_DB_ERROR;
		free(pem);
		BIO_free(bio);
		bio = NULL;
		EVP_PKEY_free(key);
		if (ret && ret != VT_DB_CONFLICT) {
			snprintf(why, whylen, "%s", vt_db_error(db));
			return NULL;
		}
		key = oldest(db, &ret);
	}
	if (!key || kid_of(key, kid)) {
		snprintf(why, whylen, "no signing key: %s",
			 ret ? vt_db_error(db) : "a stored key does not load");
		goto fail;
	}
	return key;
fail:
	BIO_free(bio);
	EVP_PKEY_free(key);
	return NULL;
}

static const char *stage_status(json_object *st)
{
	json_object *v;

	if (json_object_object_get_ex(st, "absent", &v) &&
	    json_object_get_boolean(v))
		return "none";
	if ((json_object_object_get_ex(st, "missing", &v) &&
	     json_object_get_boolean(v)) ||
	    (json_object_object_get_ex(st, "differences", &v) &&
	     json_object_get_int(v)))
		return "contraindicated";
	return "affirming";
}

json_object *vt_ear_stages(json_object *stages)
{
	json_object *sts = json_object_new_object();

	if (sts && json_object_is_type(stages, json_type_object)) {
		json_object_object_foreach(stages, name, st)
			json_object_object_add(sts, name, json_object_new_string(
						       stage_status(st)));
	}
	return sts;
}

json_object *vt_ear_claims(const char *instance, const char *verdict,
			   int64_t boot, json_object *stages,
			   const char *nonce_hex, int64_t now)
{
	json_object *o = json_object_new_object(), *sub, *vid, *subs, *sts;
	uint8_t nonce[64];
	size_t n = strlen(nonce_hex) / 2;
	char *b;

	if (!o)
		return NULL;
	json_object_object_add(o, "eat_profile",
			       json_object_new_string(EAR_PROFILE));
	json_object_object_add(o, "iat", json_object_new_int64(now));
	if (n <= sizeof(nonce) && !vt_unhex(nonce, n, nonce_hex, 2 * n)) {
		b = b64url(nonce, n);
		json_object_object_add(o, "eat_nonce", json_object_new_string(
					       b ? b : ""));
		free(b);
	}
	vid = json_object_new_object();
	json_object_object_add(vid, "developer",
			       json_object_new_string("vtrust"));
	json_object_object_add(vid, "build",
			       json_object_new_string("vtrustd 1"));
	json_object_object_add(o, "ear.verifier-id", vid);
	sub = json_object_new_object();
	json_object_object_add(sub, "ear.status", json_object_new_string(
				       !strcmp(verdict, "trusted") ?
				       "affirming" : "contraindicated"));
	json_object_object_add(sub, "vtrust.instance",
			       json_object_new_string(instance));
	json_object_object_add(sub, "vtrust.verdict",
			       json_object_new_string(verdict));
	json_object_object_add(sub, "vtrust.boot", boot < 0 ? NULL :
			       json_object_new_int64(boot));
	sts = vt_ear_stages(stages);
	json_object_object_add(sub, "vtrust.stages", sts);
	subs = json_object_new_object();
	json_object_object_add(subs, "vtrust", sub);
	json_object_object_add(o, "submods", subs);
	return o;
}

char *vt_ear_sign(EVP_PKEY *key, const char *kid, json_object *claims)
{
	json_object *hdr = json_object_new_object();
	uint8_t der[80], raw[64];
	const BIGNUM *r, *s;
	const unsigned char *dp = der;
	EVP_MD_CTX *ctx = NULL;
	ECDSA_SIG *sig = NULL;
	char *h = NULL, *c = NULL, *in = NULL, *sg = NULL, *out = NULL;
	size_t dlen = sizeof(der), len;

	json_object_object_add(hdr, "alg", json_object_new_string("ES256"));
	json_object_object_add(hdr, "typ", json_object_new_string("JWT"));
	json_object_object_add(hdr, "kid", json_object_new_string(kid));
	h = b64url(json_object_to_json_string_ext(hdr, JSON_C_TO_STRING_PLAIN),
		   strlen(json_object_to_json_string_ext(
			   hdr, JSON_C_TO_STRING_PLAIN)));
	c = b64url(json_object_to_json_string_ext(claims,
						  JSON_C_TO_STRING_PLAIN),
		   strlen(json_object_to_json_string_ext(
			   claims, JSON_C_TO_STRING_PLAIN)));
	if (!h || !c)
		goto out;
	len = strlen(h) + 1 + strlen(c);
	in = malloc(len + 1);
	if (!in)
		goto out;
	snprintf(in, len + 1, "%s.%s", h, c);
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) != 1 ||
	    EVP_DigestSign(ctx, der, &dlen, (uint8_t *)in, len) != 1)
		goto out;
	/* JWS wants r || s, 32 bytes each, not the DER SEQUENCE */
	sig = d2i_ECDSA_SIG(NULL, &dp, dlen);
	if (!sig)
		goto out;
	ECDSA_SIG_get0(sig, &r, &s);
	if (BN_bn2binpad(r, raw, 32) != 32 || BN_bn2binpad(s, raw + 32, 32) != 32)
		goto out;
	sg = b64url(raw, sizeof(raw));
	if (!sg)
		goto out;
	out = malloc(len + 1 + strlen(sg) + 1);
	if (out)
		sprintf(out, "%s.%s", in, sg);
out:
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(ctx);
	json_object_put(hdr);
	free(h);
	free(c);
	free(in);
	free(sg);
	return out;
}

json_object *vt_ear_jwks(EVP_PKEY *key, const char *kid)
{
	json_object *o, *k, *keys;
	uint8_t xy[65];
	char *x, *y;

	if (point(key, xy))
		return NULL;
	x = b64url(xy + 1, 32);
	y = b64url(xy + 33, 32);
	k = json_object_new_object();
	json_object_object_add(k, "kty", json_object_new_string("EC"));
	json_object_object_add(k, "crv", json_object_new_string("P-256"));
	json_object_object_add(k, "x", json_object_new_string(x ? x : ""));
	json_object_object_add(k, "y", json_object_new_string(y ? y : ""));
	json_object_object_add(k, "kid", json_object_new_string(kid));
	json_object_object_add(k, "alg", json_object_new_string("ES256"));
	json_object_object_add(k, "use", json_object_new_string("sig"));
	free(x);
	free(y);
	keys = json_object_new_array();
	json_object_array_add(keys, k);
	o = json_object_new_object();
	json_object_object_add(o, "keys", keys);
	return o;
}
