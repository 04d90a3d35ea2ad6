// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The verifier side of credential protection, vtrust credential make: a
 * TPM2_MakeCredential in software (makecred.c) for an EK given as a PEM
 * public key (or certificate) or as its TPM2B_PUBLIC, written in tpm2-tools'
 * credential file format with the secret beside it.
 *
 * It needs no TPM and no tpm2-tss, so it lives apart from attest.c (the
 * guest side, over ESAPI) and works in the static build too. The
 * "credential" command group is routed here; "credential activate" goes on
 * to attest.c (or to nolibs.c's refusal in the static build).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "algs.h"
#include "attest.h"
#include "makecred.h"
#include "util.h"
#include "vtrust.h"

#define CMD		"credential make"

/* The tpm2-tools credential file: "BADCC0DE", version 1, then the blobs. */
#define CRED_MAGIC	0xbadcc0deU
#define CRED_VERSION	1U

#define SECRET_MAX	64U	/* a TPM2B_DIGEST: sizeof(TPMU_HA) */
#define SECRET_DEFAULT	32U
#define EK_FILE_MAX	(64U << 10)
#define NAME_MAX_BYTES	(2 + VT_DIGEST_MAX)

#define TPM_CC_POLICY_SECRET	0x00000151U
#define TPM_RH_ENDORSEMENT	0x4000000bU

/*
 * fixedTPM, fixedParent, sensitiveDataOrigin, adminWithPolicy, restricted,
 * decrypt: the attributes of the TCG default EK templates.
 */
#define EK_ATTRIBUTES		0x000300b2U

/*
 * The default EK templates (TCG EK Credential Profile, "L-1" RSA 2048 and
 * "L-2" ECC NIST P-256, and SM2 P-256 with SM3 and SM4 as vtrust ek show
 * makes it): what a PEM key lacks and MakeCredential needs. A key that a
 * TPM made from another template gives a credential the TPM refuses; its
 * TPM2B_PUBLIC says all, and is taken as it is.
 */
struct ek_template {
	const char *name;	/* as vtrust ek --alg names it */
	uint16_t type;
	uint16_t name_alg;
	uint16_t sym;		/* 128-bit CFB */
	uint16_t curve;		/* ECC only */
	unsigned int bytes;	/* of the modulus or of a coordinate */
};

static const struct ek_template ek_templates[] = {
	{ "rsa", TPM_ALG_RSA, 0x000b, TPM_ALG_AES, 0, 256 },
	{ "ecc", TPM_ALG_ECC, 0x000b, TPM_ALG_AES, TPM_ECC_NIST_P256, 32 },
	{ "sm2", TPM_ALG_ECC, 0x0012, TPM_ALG_SM4, TPM_ECC_SM2_P256, 32 },
};

/* The EK as MakeCredential takes it, and where it came from. */
struct ek {
	uint8_t pub[VT_MC_PUBLIC_MAX];	/* a marshalled TPM2B_PUBLIC */
	size_t len;
	const struct ek_template *tmpl;	/* NULL: read as a TPM2B_PUBLIC */
};

struct make_args {
	const char *ek;
	const char *out;
	const char *secret_out;
	const char *secret_in;
	unsigned int secret_len;
	uint8_t name[NAME_MAX_BYTES];
	size_t name_len;
	bool json;
};

/* ---- the EK's TPM2B_PUBLIC from a PEM key ---- */

/* A bounded big-endian writer: past the end it sets bad and writes nothing. */
struct wr {
	uint8_t *p;
	size_t cap, off;
	bool bad;
};

static void wr_bytes(struct wr *w, const void *data, size_t len)
{
	if (w->bad || w->cap - w->off < len) {
		w->bad = true;
		return;
	}
	memcpy(w->p + w->off, data, len);
	w->off += len;
}

static void wr_u16(struct wr *w, uint16_t v)
{
	uint8_t b[2] = { v >> 8, v & 0xff };

	wr_bytes(w, b, sizeof(b));
}

static void wr_u32(struct wr *w, uint32_t v)
{
	uint8_t b[4] = { v >> 24, v >> 16 & 0xff, v >> 8 & 0xff, v & 0xff };

	wr_bytes(w, b, sizeof(b));
}

static void wr_2b(struct wr *w, const uint8_t *data, size_t len)
{
	wr_u16(w, len);
	wr_bytes(w, data, len);
}

/*
 * The EK's authPolicy, PolicySecret(TPM_RH_ENDORSEMENT) with no policyRef:
 * H(H(zeros || TPM_CC_PolicySecret || TPM_RH_ENDORSEMENT)) in the nameAlg,
 * the Name of a hierarchy being its handle. Returns its size, or 0.
 */
static unsigned int ek_auth_policy(const struct vt_alg *alg, uint8_t *out)
{
	uint8_t msg[VT_DIGEST_MAX + 8] = { 0 };
	struct wr w = { msg + alg->size, 8, 0, false };
	const EVP_MD *md = EVP_get_digestbyname(alg->evp);

	wr_u32(&w, TPM_CC_POLICY_SECRET);
	wr_u32(&w, TPM_RH_ENDORSEMENT);
	if (!md || !EVP_Digest(msg, alg->size + 8, out, NULL, md, NULL) ||
	    !EVP_Digest(out, alg->size, out, NULL, md, NULL))
		return 0;
	return alg->size;
}

/* The BIGNUM parameter @param of @pkey, @len bytes big-endian, into @out. */
static int bn_param(EVP_PKEY *pkey, const char *param, uint8_t *out,
		    size_t len)
{
	BIGNUM *bn = NULL;
	int ret = -1;

	if (EVP_PKEY_get_bn_param(pkey, param, &bn) &&
	    BN_num_bytes(bn) <= (int)len &&
	    BN_bn2binpad(bn, out, len) == (int)len)
		ret = 0;
	BN_free(bn);
	return ret;
}

/* Which default template @pkey fits; NULL (and why) if none. */
static const struct ek_template *template_of(EVP_PKEY *pkey, const char *path)
{
	char group[64] = "";
	BIGNUM *e = NULL;
	bool f4;

	if (EVP_PKEY_is_a(pkey, "RSA")) {
		if (EVP_PKEY_get_bits(pkey) != 2048) {
			vt_err(path, "an RSA %d key: the default EK template is "
			       "RSA 2048 (give another EK as its TPM2B_PUBLIC)",
			       EVP_PKEY_get_bits(pkey));
			return NULL;
		}
		f4 = EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &e) &&
		     BN_is_word(e, 65537);
		BN_free(e);
		if (!f4) {
			vt_err(path, "an RSA exponent other than 65537: not "
			       "the default EK template (give the EK as its "
			       "TPM2B_PUBLIC)");
			return NULL;
		}
		return &ek_templates[0];
	}
	if (EVP_PKEY_is_a(pkey, "EC") || EVP_PKEY_is_a(pkey, "SM2"))
		EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
					       group, sizeof(group), NULL);
	if (!strcmp(group, "prime256v1"))
		return &ek_templates[1];
	if (!strcmp(group, "SM2"))
		return &ek_templates[2];
	vt_err(path, "a %s%s%s key: an EK is RSA 2048, ECC NIST P-256 or SM2 "
	       "P-256 (give another EK as its TPM2B_PUBLIC)",
	       EVP_PKEY_get0_type_name(pkey), *group ? " " : "", group);
	return NULL;
}

/* TPMT_PUBLIC's unique field: the modulus, or the point. */
static int put_unique(struct wr *w, EVP_PKEY *pkey,
		      const struct ek_template *t)
{
	uint8_t a[256], b[32];

	if (t->type == TPM_ALG_RSA) {
		if (bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, a, t->bytes))
			return -1;
		wr_2b(w, a, t->bytes);
		return 0;
	}
	if (bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, a, t->bytes) ||
	    bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, b, t->bytes))
		return -1;
	wr_2b(w, a, t->bytes);
	wr_2b(w, b, t->bytes);
	return 0;
}

/* The TPM2B_PUBLIC a TPM makes from template @t for the key @pkey. */
static int marshal_ek(EVP_PKEY *pkey, const struct ek_template *t,
		      struct ek *ek)
{
	const struct vt_alg *alg = vt_alg_by_tpm(t->name_alg);
	uint8_t policy[VT_DIGEST_MAX];
	struct wr w = { ek->pub, sizeof(ek->pub), 2, false };
	unsigned int plen;

	plen = ek_auth_policy(alg, policy);
	if (!plen)
		return -1;
	wr_u16(&w, t->type);
	wr_u16(&w, t->name_alg);
	wr_u32(&w, EK_ATTRIBUTES);
	wr_2b(&w, policy, plen);
	wr_u16(&w, t->sym);
	wr_u16(&w, 128);
	wr_u16(&w, TPM_ALG_CFB);
	wr_u16(&w, TPM_ALG_NULL);		/* scheme */
	if (t->type == TPM_ALG_RSA) {
		wr_u16(&w, 8 * t->bytes);	/* keyBits */
		wr_u32(&w, 0);			/* exponent: the default */
	} else {
		wr_u16(&w, t->curve);
		wr_u16(&w, TPM_ALG_NULL);	/* kdf */
	}
	if (put_unique(&w, pkey, t) || w.bad)
		return -1;
	ek->pub[0] = (w.off - 2) >> 8;
	ek->pub[1] = (w.off - 2) & 0xff;
	ek->len = w.off;
	ek->tmpl = t;
	return 0;
}

/* The first PUBLIC KEY in @bio, else the first CERTIFICATE's key. */
static EVP_PKEY *pem_key(const uint8_t *buf, size_t len)
{
	EVP_PKEY *pkey;
	X509 *cert;
	BIO *bio;

	bio = BIO_new_mem_buf(buf, len);
	if (!bio)
		return NULL;
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	if (!pkey && BIO_reset(bio) == 1) {
		cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		if (cert)
			pkey = X509_get_pubkey(cert);
		X509_free(cert);
	}
	BIO_free(bio);
	return pkey;
}

/*
 * The EK from @path: a PEM public key or certificate, on the default
 * template of its algorithm, or else the raw TPM2B_PUBLIC (as tpm2_createek
 * -u and tpm2_readpublic -o write it; makecred.c checks every field).
 */
static int read_ek(const char *path, struct ek *ek)
{
	const struct ek_template *t;
	EVP_PKEY *pkey = NULL;
	uint8_t *buf = NULL;
	size_t len;
	int ret;

	ret = vt_read_file(path, EK_FILE_MAX, &buf, &len);
	if (ret) {
		vt_err(path, "%s", strerror(-ret));
		return ret == -EFBIG ? VT_EXIT_USAGE : VT_EXIT_SYSTEM;
	}
	ret = VT_EXIT_USAGE;
	if (len >= 10 && !memcmp(buf, "-----BEGIN", 10)) {
		pkey = pem_key(buf, len);
		if (!pkey) {
			vt_err(path, "no PEM public key or certificate that "
			       "OpenSSL can read");
			goto out;
		}
		t = template_of(pkey, path);
		if (!t)
			goto out;
		if (marshal_ek(pkey, t, ek)) {
			vt_err(path, "cannot encode the key as a TPM2B_PUBLIC");
			ret = VT_EXIT_SYSTEM;
			goto out;
		}
	} else {
		if (len < 2 || len > sizeof(ek->pub) ||
		    (size_t)(buf[0] << 8 | buf[1]) != len - 2) {
			vt_err(path, "neither a PEM key nor a TPM2B_PUBLIC "
			       "(its first two bytes, the size, must be the "
			       "file's size less 2)");
			goto out;
		}
		memcpy(ek->pub, buf, len);
		ek->len = len;
		ek->tmpl = NULL;
	}
	ret = 0;
out:
	EVP_PKEY_free(pkey);
	free(buf);
	return ret;
}

/* ---- the secret ---- */

static int read_secret(const struct make_args *a, uint8_t *secret,
		       size_t *len)
{
	uint8_t *buf = NULL;
	ssize_t n;
	int ret;

	if (!a->secret_in) {
		n = getrandom(secret, a->secret_len, 0);
		if (n != (ssize_t)a->secret_len) {
			vt_err(CMD, "getrandom: %s", n < 0 ? strerror(errno) :
			       "short read");
			return VT_EXIT_SYSTEM;
		}
		*len = a->secret_len;
		return 0;
	}
	ret = vt_read_file(a->secret_in, SECRET_MAX, &buf, len);
	if (ret == -EFBIG || (!ret && !*len)) {
		vt_err(a->secret_in, "a secret is 1 to %u bytes", SECRET_MAX);
		ret = VT_EXIT_USAGE;
	} else if (ret) {
		vt_err(a->secret_in, "%s", strerror(-ret));
		ret = VT_EXIT_SYSTEM;
	} else {
		memcpy(secret, buf, *len);
		OPENSSL_cleanse(buf, *len);
	}
	free(buf);
	return ret;
}

/* ---- the files: all staged, then all renamed, or none ---- */

struct out_file {
	const char *path;
	mode_t mode;
	char tmp[PATH_MAX + 16];
	bool staged;		/* tmp exists */
	bool placed;		/* renamed to path */
};

/* @len bytes of @data into a new temporary file next to @o->path. */
static int stage(struct out_file *o, const uint8_t *data, size_t len)
{
	int ret;

	ret = vt_write_temp(o->path, o->tmp, sizeof(o->tmp), data, len,
			    o->mode);
	o->staged = !ret;
	return ret;
}

/*
 * Rename every staged file into place. If a rename fails, the files already
 * placed are removed: a half-written pair is worse than none. (A rename
 * within a directory fails only if the target became a directory or the
 * file system failed, after staging succeeded there.)
 */
static int place_all(struct out_file *o, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (rename(o[i].tmp, o[i].path))
			goto out_unplace;
		o[i].staged = false;
		o[i].placed = true;
	}
	return 0;
out_unplace:
	vt_err(o[i].path, "%s", strerror(errno));
	while (i--) {
		unlink(o[i].path);
		o[i].placed = false;
	}
	return VT_EXIT_SYSTEM;
}

static void unstage_all(struct out_file *o, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (o[i].staged)
			unlink(o[i].tmp);
}

/* The credential file: the magic, the version, the two TPM2Bs as they are. */
static uint8_t *cred_file(const uint8_t *id, size_t id_len,
			  const uint8_t *es, size_t es_len, size_t *len)
{
	struct wr w = { NULL, 8 + id_len + es_len, 0, false };

	w.p = malloc(w.cap);
	if (!w.p)
		return NULL;
	wr_u32(&w, CRED_MAGIC);
	wr_u32(&w, CRED_VERSION);
	wr_bytes(&w, id, id_len);
	wr_bytes(&w, es, es_len);
	*len = w.off;
	return w.p;
}

/* ---- --json ---- */

static json_object *hex_json(const uint8_t *p, size_t len)
{
	char hex[2 * NAME_MAX_BYTES + 1];

	vt_hex(hex, p, len);
	return json_object_new_string(hex);
}

static json_object *b64_json(const uint8_t *p, size_t len)
{
	char b64[4 * ((VT_MC_PUBLIC_MAX + 2) / 3) + 1];

	EVP_EncodeBlock((unsigned char *)b64, p, len);
	return json_object_new_string(b64);
}

/* The EK's Name: nameAlg || H(TPMT_PUBLIC) (vt_makecred() checked it). */
static json_object *ek_name_json(const struct ek *ek)
{
	const struct vt_alg *alg = vt_alg_by_tpm(ek->pub[4] << 8 | ek->pub[5]);
	uint8_t name[NAME_MAX_BYTES];
	const EVP_MD *md;

	md = alg ? EVP_get_digestbyname(alg->evp) : NULL;
	if (!md || !EVP_Digest(ek->pub + 2, ek->len - 2, name + 2, NULL, md,
			       NULL))
		return NULL;
	name[0] = alg->tpm_alg >> 8;
	name[1] = alg->tpm_alg & 0xff;
	return hex_json(name, 2 + alg->size);
}

static void print_made(const struct make_args *a, const struct ek *ek,
		       size_t secret_len)
{
	json_object *o = json_object_new_object();
	json_object *e = json_object_new_object();

	json_object_object_add(o, "credential", json_object_new_string(a->out));
	json_object_object_add(o, "secret_out", a->secret_out ?
			       json_object_new_string(a->secret_out) : NULL);
	json_object_object_add(o, "secret_bytes",
			       json_object_new_int(secret_len));
	json_object_object_add(o, "ak_name", hex_json(a->name, a->name_len));
	json_object_object_add(e, "template", ek->tmpl ?
			       json_object_new_string(ek->tmpl->name) : NULL);
	json_object_object_add(e, "name", ek_name_json(ek));
	json_object_object_add(e, "tpm2b_public", b64_json(ek->pub, ek->len));
	json_object_object_add(o, "ek", e);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void print_error(int ret)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "error",
			       json_object_new_string(vt_last_error()));
	json_object_object_add(o, "exit", json_object_new_int(ret));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

/* ---- vtrust credential make ---- */

static int make(const struct make_args *a)
{
	uint8_t secret[SECRET_MAX], *id = NULL, *es = NULL, *cred = NULL;
	size_t secret_len = 0, id_len, es_len, cred_len;
	struct out_file files[2] = {
		{ .path = a->out, .mode = 0644 },
		{ .path = a->secret_out, .mode = 0600 },
	};
	unsigned int nfiles = a->secret_out ? 2 : 1, i;
	char why[256];
	struct ek ek;
	int ret;

	ret = read_ek(a->ek, &ek);
	if (ret)
		return ret;
	ret = read_secret(a, secret, &secret_len);
	if (ret)
		return ret;
	if (vt_makecred(ek.pub, ek.len, a->name, a->name_len, secret,
			secret_len, &id, &id_len, &es, &es_len, why,
			sizeof(why))) {
		vt_err(a->ek, "%s", why);
		ret = VT_EXIT_USAGE;
		goto out_cleanse;
	}
	cred = cred_file(id, id_len, es, es_len, &cred_len);
	if (!cred) {
		vt_err(CMD, "out of memory");
		ret = VT_EXIT_SYSTEM;
		goto out_free;
	}
	for (i = 0; i < nfiles; i++) {
		ret = i ? stage(&files[i], secret, secret_len) :
			  stage(&files[i], cred, cred_len);
		if (ret) {
			vt_err(files[i].path, "%s", strerror(-ret));
			ret = VT_EXIT_SYSTEM;
			goto out_unstage;
		}
	}
	ret = place_all(files, nfiles);
	if (!ret && a->json)
		print_made(a, &ek, secret_len);
out_unstage:
	unstage_all(files, nfiles);
	free(cred);
out_free:
	free(id);
	free(es);
out_cleanse:
	OPENSSL_cleanse(secret, sizeof(secret));
	return ret;
}

static const char make_help[] =
"Usage: vtrust credential make --ek FILE --ak-name HEX --out FILE\n"
"                              (--secret-out FILE [--secret-len N] |\n"
"                               --secret FILE [--secret-out FILE]) [--json]\n"
"\n"
"Make a credential for an AK and its EK, as TPM2_MakeCredential does, in\n"
"software (no TPM needed): only the TPM that holds the EK and an object\n"
"with the AK's name recovers the secret ('vtrust credential activate',\n"
"tpm2_activatecredential). The seed is shared with RSA-OAEP (label\n"
"\"IDENTITY\") or ECDH and KDFe; KDFa, AES-CFB (SM4-CFB for SM2) and an\n"
"HMAC protect the secret. The credential is written in tpm2-tools' format\n"
"(magic 0xbadcc0de, version 1, TPM2B_ID_OBJECT, TPM2B_ENCRYPTED_SECRET);\n"
"both files are written to temporary files and renamed into place, and on\n"
"any error neither is left.\n"
"\n"
"The EK FILE is a PEM public key (or an EK certificate), or the EK's\n"
"TPM2B_PUBLIC as tpm2_createek -u or tpm2_readpublic -o write it. A PEM\n"
"key lacks the EK's nameAlg and symmetric algorithm, which the TPM uses:\n"
"it is assumed to be of the TCG default EK template of its algorithm,\n"
"RSA 2048 (exponent 65537) or ECC NIST P-256 with SHA-256 and AES-128-CFB,\n"
"SM2 P-256 with SM3 and SM4-128-CFB (as 'vtrust ek show' makes them).\n"
"For any other EK give its TPM2B_PUBLIC.\n"
"\nOptions:\n"
"  --ek FILE            the EK: PEM public key or certificate, TPM2B_PUBLIC\n"
"  --ak-name HEX        the AK's name: its nameAlg (e.g. 000b, SHA-256) and\n"
"                       the digest ('vtrust ak show' prints it)\n"
"  --out FILE           where to write the credential\n"
"  --secret-out FILE    where to write the secret's raw bytes (mode 0600);\n"
"                       needed unless --secret is given\n"
"  --secret-len N       a random secret (getrandom) of N bytes, 1 to 64, at\n"
"                       most the EK nameAlg's digest size (default 32)\n"
"  --secret FILE        the secret's raw bytes instead, 1 to 64\n"
"  --json               print the files, the AK name, the secret's size and\n"
"                       the EK (template, name, tpm2b_public); never the\n"
"                       secret\n"
"  -h, --help           this text\n"
"\nExit status: 0 made, 2 bad usage or input (an EK, name or secret that\n"
"cannot make a credential), 3 system error (a file that cannot be read or\n"
"written).\n";

enum {
	OPT_EK = 1,
	OPT_AK_NAME,
	OPT_OUT,
	OPT_SECRET_OUT,
	OPT_SECRET_LEN,
	OPT_SECRET,
	OPT_JSON,
};

static const struct option make_options[] = {
	{ "ek", required_argument, NULL, OPT_EK },
	{ "ak-name", required_argument, NULL, OPT_AK_NAME },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "secret-out", required_argument, NULL, OPT_SECRET_OUT },
	{ "secret-len", required_argument, NULL, OPT_SECRET_LEN },
	{ "secret", required_argument, NULL, OPT_SECRET },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* A hash Name: a known nameAlg and a digest of its size (at most 66 bytes). */
static int parse_name(const char *s, struct make_args *a)
{
	const struct vt_alg *alg;
	size_t len = strlen(s);
	uint16_t id;

	if (len % 2 || len / 2 < 2 || len / 2 > sizeof(a->name) ||
	    vt_unhex(a->name, len / 2, s, len))
		return vt_usage_err(CMD, "--ak-name: a nameAlg and a digest in "
				    "hex, not '%s'", s);
	a->name_len = len / 2;
	id = a->name[0] << 8 | a->name[1];
	alg = vt_alg_by_tpm(id);
	if (!alg)
		return vt_usage_err(CMD, "--ak-name: nameAlg 0x%04x is not "
				    "sha1, sha256, sha384, sha512 or sm3_256",
				    id);
	if (a->name_len != 2 + alg->size)
		return vt_usage_err(CMD, "--ak-name: %zu bytes of %s digest, "
				    "wanted %u", a->name_len - 2, alg->name,
				    alg->size);
	return 0;
}

static const char **path_of(struct make_args *a, int opt)
{
	switch (opt) {
	case OPT_EK:
		return &a->ek;
	case OPT_OUT:
		return &a->out;
	case OPT_SECRET_OUT:
		return &a->secret_out;
	case OPT_SECRET:
		return &a->secret_in;
	}
	return NULL;
}

/* Returns 0, -1 after --help, or an exit code. */
static int parse_make(struct make_args *a, int argc, char *argv[])
{
	bool have_len = false;
	const char **path;
	int c, ret;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":h", make_options, NULL)) != -1) {
		path = path_of(a, c);
		if (path) {
			if (!*optarg)
				return vt_usage_err(CMD, "%s: empty",
						    argv[optind - 1]);
			*path = optarg;
			continue;
		}
		switch (c) {
		case 'h':
			fputs(make_help, stdout);
			return -1;
		case OPT_AK_NAME:
			ret = parse_name(optarg, a);
			if (ret)
				return ret;
			break;
		case OPT_SECRET_LEN:
			if (vt_parse_uint(optarg, SECRET_MAX, &a->secret_len) ||
			    !a->secret_len)
				return vt_usage_err(CMD, "--secret-len: 1 to "
						    "%u, not '%s'", SECRET_MAX,
						    optarg);
			have_len = true;
			break;
		case OPT_JSON:
			a->json = true;
			break;
		default:
			return vt_bad_option(CMD, c, argv);
		}
	}
	if (optind < argc)
		return vt_usage_err(CMD, "unexpected argument '%s'",
				    argv[optind]);
	if (!a->ek || !a->name_len || !a->out)
		return vt_usage_err(CMD, "--ek, --ak-name and --out are "
				    "required");
	if (!a->secret_in && !a->secret_out)
		return vt_usage_err(CMD, "--secret-out is required (or give "
				    "the secret with --secret)");
	if (a->secret_in && have_len)
		return vt_usage_err(CMD, "--secret and --secret-len exclude "
				    "each other");
	if (a->secret_out && !strcmp(a->out, a->secret_out))
		return vt_usage_err(CMD, "--out and --secret-out are the same "
				    "file");
	return 0;
}

static int credential_make(int argc, char *argv[])
{
	struct make_args a = { .secret_len = SECRET_DEFAULT };
	int ret;

	ret = parse_make(&a, argc - 1, argv + 1);
	if (ret < 0)
		return VT_EXIT_OK;
	if (!ret)
		ret = make(&a);
	if (ret && a.json)
		print_error(ret);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err(CMD, "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret;
}

/* ---- the credential command group ---- */

/* Each is given the group's arguments: argv[1] is its own name. */
static const struct {
	const char *name;
	int (*run)(int argc, char *argv[]);
} credential_subs[] = {
	{ "make", credential_make },		/* verifier: here */
	{ "activate", vt_credential_activate },	/* guest: attest.c */
};

#define NR_SUBS (sizeof(credential_subs) / sizeof(credential_subs[0]))

int cmd_credential(int argc, char *argv[])
{
	unsigned int i;

	if (argc >= 2 &&
	    (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(make_help, stdout);
		putchar('\n');
		return vt_credential_activate(argc, argv);
	}
	for (i = 0; i < NR_SUBS; i++)
		if (argc >= 2 && !strcmp(argv[1], credential_subs[i].name))
			return credential_subs[i].run(argc, argv);
	if (argc < 2 || argv[1][0] == '-')
		return vt_usage_err("credential", "no subcommand (make or "
				    "activate)");
	return vt_usage_err("credential", "unknown subcommand '%s'", argv[1]);
}
