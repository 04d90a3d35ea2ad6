// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Firmware signatures: "vtrust sign" writes <file>.p7s, "vtrust
 * verify-file" checks one offline, with the rules of vtrust.ko's
 * appraise_type=sig (kernel/fwsig.c) and of the kernel's PKCS#7 code for
 * firmware (VERIFYING_FIRMWARE_SIGNATURE): detached, id-data, signed
 * attributes with contentType and messageDigest, no S/MIME capabilities;
 * every signature that can be checked (its signer's certificate is given
 * or in the message) verifies, and at least one signer's key is trusted:
 * one of the given certificates, or a certificate in the message that one
 * of them signed (the kernel follows longer chains).
 */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fwsig.h"
#include "hex.h"
#include "util.h"
#include "vtrust.h"

/* The largest file "vtrust sign" and "vtrust verify-file" read. */
#define VT_FW_MAX ((size_t)1 << 30)

__attribute__((format(printf, 3, 4)))
static int why_set(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static void lower_name(char *out, size_t size, int nid)
{
	const char *sn = nid == NID_undef ? NULL : OBJ_nid2sn(nid);
	size_t i;

	snprintf(out, size, "%s", sn ? sn : "unknown");
	for (i = 0; out[i]; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] += 'a' - 'A';
}

/* A signer's id: "skid:<hex>", or "issuer-serial:<serial hex>:<first 8
 * bytes of SHA-256 of the issuer's DER, hex>". The length bounds below
 * keep either within VT_P7S_KEYID_MAX. */
static int signer_id(CMS_SignerInfo *si, char *out, size_t size)
{
	ASN1_OCTET_STRING *keyid = NULL;
	X509_NAME *issuer = NULL;
	ASN1_INTEGER *sno = NULL;
	uint8_t md[32], *der = NULL;
	size_t n;
	int len;

	if (CMS_SignerInfo_get0_signer_id(si, &keyid, &issuer, &sno) != 1)
		return -1;
	if (keyid) {
		if (!ASN1_STRING_length(keyid) || ASN1_STRING_length(keyid) > 64)
			return -1;
		n = snprintf(out, size, "skid:");
		vt_hex(out + n, ASN1_STRING_get0_data(keyid),
		       ASN1_STRING_length(keyid));
		return 0;
	}
	if (!issuer || !sno || ASN1_STRING_length(sno) <= 0 ||
	    ASN1_STRING_length(sno) > 32)
		return -1;
	len = i2d_X509_NAME(issuer, &der);
	if (len <= 0)
		return -1;
	EVP_Digest(der, len, md, NULL, EVP_sha256(), NULL);
	OPENSSL_free(der);
	n = snprintf(out, size, "issuer-serial:");
	vt_hex(out + n, ASN1_STRING_get0_data(sno), ASN1_STRING_length(sno));
	n = strlen(out);
	n += snprintf(out + n, size - n, ":");
	vt_hex(out + n, md, 8);
	return 0;
}

/*
 * Read @der; with @strict, check the firmware form too. Only the signers'
 * ids and algorithms otherwise (an IMA modsig, appended to a module).
 */
static CMS_ContentInfo *p7s_read(const uint8_t *der, size_t len, bool strict,
				 struct vt_p7s *out, char *why, size_t whylen)
{
	STACK_OF(CMS_SignerInfo) *sis;
	const unsigned char *p = der;
	CMS_ContentInfo *cms;
	X509_ALGOR *dig, *sig;
	CMS_SignerInfo *si;
	unsigned int i;
	int n;

	memset(out, 0, sizeof(*out));
	if (!len) {
		why_set(why, whylen, "bad-signature: the signature file is empty");
		return NULL;
	}
	if (len > VT_P7S_MAX) {
		why_set(why, whylen, "bad-signature: %zu bytes, over the kernel's 64 KiB", len);
		return NULL;
	}
	cms = d2i_CMS_ContentInfo(NULL, &p, (long)len);
	if (!cms) {
		why_set(why, whylen, "bad-signature: not DER CMS (PKCS#7), or cut short");
		return NULL;
	}
	if (p != der + len) {
		why_set(why, whylen, "bad-signature: %zu bytes after the signature",
			(size_t)(der + len - p));
		goto bad;
	}
	if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		why_set(why, whylen, "bad-signature: not SignedData");
		goto bad;
	}
	if (strict && CMS_is_detached(cms) != 1) {
		why_set(why, whylen, "bad-signature: not detached (it holds content)");
		goto bad;
	}
	if (strict && OBJ_obj2nid(CMS_get0_eContentType(cms)) != NID_pkcs7_data) {
		why_set(why, whylen, "bad-signature: content type is not id-data");
		goto bad;
	}
	sis = CMS_get0_SignerInfos(cms);
	n = sis ? sk_CMS_SignerInfo_num(sis) : 0;
	if (n <= 0 || n > VT_P7S_SIGNERS_MAX) {
		why_set(why, whylen, "bad-signature: %d signers (1-%d)", n,
			VT_P7S_SIGNERS_MAX);
		goto bad;
	}
	for (i = 0; i < (unsigned int)n; i++) {
		struct vt_p7s_signer *s = &out->signers[i];

		si = sk_CMS_SignerInfo_value(sis, i);
		if (signer_id(si, s->key_id, sizeof(s->key_id))) {
			why_set(why, whylen, "bad-signature: signer %u has no usable id", i);
			goto bad;
		}
		if (strict &&
		    (CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1) < 0 ||
		     CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1) < 0)) {
			why_set(why, whylen,
				"bad-signature: signer %u lacks signed contentType and messageDigest attributes (the kernel requires them for firmware)",
				i);
			goto bad;
		}
		if (strict &&
		    CMS_signed_get_attr_by_NID(si, NID_SMIMECapabilities, -1) >= 0) {
			why_set(why, whylen,
				"bad-signature: signer %u has S/MIME capabilities (the kernel takes them only in Authenticode)",
				i);
			goto bad;
		}
		CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, &sig);
		lower_name(s->digest, sizeof(s->digest),
			   dig ? OBJ_obj2nid(dig->algorithm) : NID_undef);
		lower_name(s->sig_alg, sizeof(s->sig_alg),
			   sig ? OBJ_obj2nid(sig->algorithm) : NID_undef);
	}
	out->nr_signers = n;
	return cms;
bad:
	CMS_ContentInfo_free(cms);
	return NULL;
}

int vt_p7s_parse(const uint8_t *der, size_t len, struct vt_p7s *out,
		 char *why, size_t whylen)
{
	CMS_ContentInfo *cms = p7s_read(der, len, true, out, why, whylen);

	ERR_clear_error();
	if (!cms)
		return -1;
	CMS_ContentInfo_free(cms);
	return 0;
}

int vt_p7s_signers(const uint8_t *der, size_t len, struct vt_p7s *out)
{
	CMS_ContentInfo *cms;
	char why[160];

	cms = p7s_read(der, len, false, out, why, sizeof(why));
	ERR_clear_error();
	if (!cms)
		return -1;
	CMS_ContentInfo_free(cms);
	return 0;
}

static X509 *cert_read(const uint8_t *data, size_t len)
{
	const unsigned char *p = data;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	BIO *b;

	if (x)
		return x;
	b = BIO_new_mem_buf(data, (int)len);
	if (b) {
		x = PEM_read_bio_X509(b, NULL, NULL, NULL);
		BIO_free(b);
	}
	return x;
}

/* The signed messageDigest of @si equals @data's digest: 1, 0; -1 unknown md. */
static int digest_matches(CMS_SignerInfo *si, const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	ASN1_OCTET_STRING *want;
	const EVP_MD *type;
	unsigned int mdlen;
	X509_ALGOR *dig;

	CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, NULL);
	type = dig ? EVP_get_digestbyobj(dig->algorithm) : NULL;
	if (!type)
		return -1;
	if (!EVP_Digest(data, len, md, &mdlen, type, NULL))
		return -1;
	want = CMS_signed_get0_data_by_OBJ(si,
					   OBJ_nid2obj(NID_pkcs9_messageDigest),
					   -3, V_ASN1_OCTET_STRING);
	return want && (unsigned int)ASN1_STRING_length(want) == mdlen &&
	       !memcmp(ASN1_STRING_get0_data(want), md, mdlen);
}

int vt_p7s_verify(const uint8_t *der, size_t len, const void *data,
		  size_t data_len, const struct vt_p7s_cert *certs,
		  unsigned int nr_certs, unsigned int *trusted, char *why,
		  size_t whylen)
{
	STACK_OF(X509) *given = sk_X509_new_null(), *inner = NULL;
	STACK_OF(CMS_SignerInfo) *sis;
	int ret = -1, found = -1, m, k;
	CMS_ContentInfo *cms;
	struct vt_p7s p7s;
	CMS_SignerInfo *si;
	unsigned int i, j;
	X509 *x, *signer;

	cms = p7s_read(der, len, true, &p7s, why, whylen);
	if (!cms || !given)
		goto out;
	for (j = 0; j < nr_certs; j++) {
		x = cert_read(certs[j].data, certs[j].len);
		if (!x || !sk_X509_push(given, x)) {
			X509_free(x);
			why_set(why, whylen, "unknown-key: certificate %u is not X.509 (DER or PEM)", j);
			goto out;
		}
	}
	inner = CMS_get1_certs(cms);
	sis = CMS_get0_SignerInfos(cms);
	for (i = 0; i < p7s.nr_signers; i++) {
		bool is_trusted = false;

		si = sk_CMS_SignerInfo_value(sis, i);
		signer = NULL;
		for (k = 0; k < sk_X509_num(given) && !signer; k++)
			if (!CMS_SignerInfo_cert_cmp(si, sk_X509_value(given, k))) {
				signer = sk_X509_value(given, k);
				is_trusted = true;
			}
		for (k = 0; inner && k < sk_X509_num(inner) && !signer; k++)
			if (!CMS_SignerInfo_cert_cmp(si, sk_X509_value(inner, k)))
				signer = sk_X509_value(inner, k);
		if (!signer) {
			/* the kernel cannot check this signer either: it only
			 * counts when another signer is trusted */
			continue;
		}
		for (k = 0; !is_trusted && k < sk_X509_num(given); k++)
			is_trusted = X509_verify(signer,
						 X509_get0_pubkey(sk_X509_value(given, k))) == 1;
		CMS_SignerInfo_set1_signer_cert(si, signer);
		m = digest_matches(si, data, data_len);
		if (m < 0) {
			why_set(why, whylen, "unsupported-algorithm: signer %u's digest %s",
				i, p7s.signers[i].digest);
			goto out;
		}
		if (!m) {
			why_set(why, whylen,
				"bad-signature: the file's %s digest is not the one signer %u signed (changed after signing?)",
				p7s.signers[i].digest, i);
			goto out;
		}
		if (CMS_SignerInfo_verify(si) != 1) {
			why_set(why, whylen,
				"bad-signature: signer %u's signature (%s) does not verify with %s",
				i, p7s.signers[i].sig_alg, p7s.signers[i].key_id);
			goto out;
		}
		if (is_trusted && found < 0)
			found = i;
	}
	if (found < 0) {
		why_set(why, whylen, "unknown-key: no signer's key is trusted (%s%s)",
			p7s.signers[0].key_id, p7s.nr_signers > 1 ? ", ..." : "");
		goto out;
	}
	*trusted = found;
	ret = 0;
out:
	ERR_clear_error();
	sk_X509_pop_free(inner, X509_free);
	sk_X509_pop_free(given, X509_free);
	CMS_ContentInfo_free(cms);
	return ret;
}

/* vtrust sign */

static const char sign_usage[] =
	"Usage: vtrust sign --key KEY --cert CERT [--hash ALGO] [--json] FILE...\n"
	"\n"
	"Write FILE.p7s beside each FILE: a detached CMS signature over FILE's\n"
	"bytes, as vtrust.ko's 'appraise func=FIRMWARE_CHECK appraise_type=sig'\n"
	"takes it (signed attributes, no S/MIME capabilities, the signer named by\n"
	"its subject key identifier, no certificates). An existing FILE.p7s is\n"
	"replaced atomically. Each signature is checked against CERT before it is\n"
	"written.\n"
	"\n"
	"Options:\n"
	"  --key KEY    the private key (PEM): RSA, EC, or SM2\n"
	"  --cert CERT  its X.509 certificate (PEM or DER), with a subject key\n"
	"               identifier; the one enrolled in the .vtrust keyring\n"
	"  --hash ALGO  sha256 (default), sha384, sha512; sm3 for an SM2 key\n"
	"               (which takes only sm3)\n"
	"  --json       print the result as JSON\n"
	"  -h, --help   this help\n"
	"\n" VT_EXIT_CODES;

enum { OPT_KEY = 256, OPT_CERT, OPT_HASH, OPT_JSON, OPT_SIG };

static const struct option sign_options[] = {
	{ "key", required_argument, NULL, OPT_KEY },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "hash", required_argument, NULL, OPT_HASH },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static const EVP_MD *sign_md(const char *name, bool sm2)
{
	if (!name)
		return sm2 ? EVP_sm3() : EVP_sha256();
	if (sm2)
		return strcmp(name, "sm3") ? NULL : EVP_sm3();
	if (!strcmp(name, "sha256"))
		return EVP_sha256();
	if (!strcmp(name, "sha384"))
		return EVP_sha384();
	if (!strcmp(name, "sha512"))
		return EVP_sha512();
	return NULL;
}

/* The DER signature of @data (free it with OPENSSL_free), or NULL. */
static uint8_t *sign_one(const uint8_t *data, size_t len, X509 *cert,
			 EVP_PKEY *key, const EVP_MD *md, int *der_len)
{
	const unsigned int flags = CMS_BINARY | CMS_DETACHED | CMS_PARTIAL |
				   CMS_NOSMIMECAP | CMS_USE_KEYID |
				   CMS_NOCERTS;
	CMS_ContentInfo *cms;
	CMS_SignerInfo *si;
	uint8_t *der = NULL;
	X509_ALGOR *sig;
	BIO *in;

	in = BIO_new_mem_buf(len ? data : (const void *)"", (int)len);
	cms = in ? CMS_sign(NULL, NULL, NULL, NULL, flags) : NULL;
	si = cms ? CMS_add1_signer(cms, cert, key, md, flags) : NULL;
	if (!si)
		goto out;
	/* OpenSSL 3.0's CMS leaves an SM2 signer's signature algorithm
	 * empty: SM2-with-SM3 (GM/T 0010), as the kernel's PKCS#7 parser
	 * reads it */
	CMS_SignerInfo_get0_algs(si, NULL, NULL, NULL, &sig);
	if (EVP_PKEY_is_a(key, "SM2") && sig && !OBJ_length(sig->algorithm))
		X509_ALGOR_set0(sig, OBJ_nid2obj(NID_SM2_with_SM3), V_ASN1_UNDEF,
				NULL);
	if (!CMS_final(cms, in, NULL, flags))
		goto out;
	*der_len = i2d_CMS_ContentInfo(cms, &der);
	if (*der_len <= 0)
		der = NULL;
out:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return der;
}

static int write_p7s(const char *file, const uint8_t *der, size_t len)
{
	char path[4096], tmp[4200];
	int ret;

	if (snprintf(path, sizeof(path), "%s.p7s", file) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	ret = vt_write_temp(path, tmp, sizeof(tmp), der, len, 0644);
	if (ret)
		return ret;
	if (rename(tmp, path)) {
		ret = -errno;
		unlink(tmp);
	}
	return ret;
}

static EVP_PKEY *key_read(const char *path)
{
	EVP_PKEY *k = NULL;
	BIO *b = BIO_new_file(path, "r");

	if (b) {
		k = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
		BIO_free(b);
	}
	return k;
}

int cmd_sign(int argc, char *argv[])
{
	const char *key_path = NULL, *cert_path = NULL, *hash = NULL;
	int c, ret = VT_EXIT_SYSTEM, der_len = 0, i, err;
	struct vt_p7s_cert vc;
	uint8_t *cdata = NULL, *data, *der;
	json_object *arr = NULL;
	EVP_PKEY *key = NULL;
	char why[256], *cwhy;
	const EVP_MD *md;
	unsigned int tr;
	struct vt_p7s p;
	bool json = false, sm2;
	X509 *cert = NULL;
	size_t clen, len;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", sign_options, NULL)) != -1) {
		switch (c) {
		case OPT_KEY:
			key_path = optarg;
			break;
		case OPT_CERT:
			cert_path = optarg;
			break;
		case OPT_HASH:
			hash = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(sign_usage, stdout);
			return VT_EXIT_OK;
		default:
			return vt_bad_option("sign", c, argv);
		}
	}
	if (!key_path || !cert_path)
		return vt_usage_err("sign", "--key and --cert are required");
	if (optind >= argc)
		return vt_usage_err("sign", "no FILE to sign");
	key = key_read(key_path);
	if (!key) {
		vt_err("sign", "%s: not a PEM private key", key_path);
		ret = VT_EXIT_USAGE;
		goto out;
	}
	err = vt_read_file(cert_path, 1 << 20, &cdata, &clen);
	if (err) {
		vt_err("sign", "%s: %s", cert_path, strerror(-err));
		ret = err == -ENOENT || err == -EFBIG ? VT_EXIT_USAGE :
						      VT_EXIT_SYSTEM;
		goto out;
	}
	cert = cdata ? cert_read(cdata, clen) : NULL;
	if (!cert) {
		vt_err("sign", "%s: not an X.509 certificate (PEM or DER)", cert_path);
		ret = VT_EXIT_USAGE;
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		vt_err("sign", "%s does not hold the public key of %s", cert_path,
		       key_path);
		ret = VT_EXIT_USAGE;
		goto out;
	}
	if (!X509_get0_subject_key_id(cert)) {
		vt_err("sign", "%s has no subject key identifier (the kernel finds the key by it)",
		       cert_path);
		ret = VT_EXIT_USAGE;
		goto out;
	}
	sm2 = EVP_PKEY_is_a(key, "SM2");
	md = sign_md(hash, sm2);
	if (!md) {
		vt_err("sign", "--hash %s: %s", hash,
		       sm2 ? "an SM2 key signs with sm3 only" :
			     "not sha256, sha384 or sha512");
		ret = VT_EXIT_USAGE;
		goto out;
	}
	arr = json_object_new_array();
	vc.data = cdata;
	vc.len = clen;
	ret = VT_EXIT_OK;
	for (i = optind; i < argc; i++) {
		err = vt_read_file(argv[i], VT_FW_MAX, &data, &len);
		if (err) {
			vt_err("sign", "%s: %s", argv[i], strerror(-err));
			ret = VT_EXIT_SYSTEM;
			break;
		}
		der = sign_one(data, len, cert, key, md, &der_len);
		cwhy = NULL;
		if (!der) {
			cwhy = "OpenSSL could not sign";
		} else if (vt_p7s_verify(der, der_len, data, len, &vc, 1, &tr, why,
					 sizeof(why)) ||
			   vt_p7s_parse(der, der_len, &p, why, sizeof(why))) {
			cwhy = why;
		}
		free(data);
		if (cwhy) {
			vt_err("sign", "%s: %s", argv[i], cwhy);
			OPENSSL_free(der);
			ret = VT_EXIT_SYSTEM;
			break;
		}
		err = write_p7s(argv[i], der, der_len);
		OPENSSL_free(der);
		if (err) {
			vt_err("sign", "%s.p7s: %s", argv[i], strerror(-err));
			ret = VT_EXIT_SYSTEM;
			break;
		}
		if (json) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "file", json_object_new_string(argv[i]));
			json_object_object_add(o, "key_id",
					       json_object_new_string(p.signers[0].key_id));
			json_object_object_add(o, "digest",
					       json_object_new_string(p.signers[0].digest));
			json_object_array_add(arr, o);
		} else {
			printf("%s.p7s: signed by %s (%s)\n", argv[i],
			       p.signers[0].key_id, p.signers[0].digest);
		}
	}
	if (json)
		puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
out:
	json_object_put(arr);
	X509_free(cert);
	free(cdata);
	EVP_PKEY_free(key);
	return ret;
}

/* vtrust verify-file */

static const char verify_file_usage[] =
	"Usage: vtrust verify-file --cert CERT [--cert CERT]... [--sig P7S] [--json] FILE...\n"
	"\n"
	"Check each FILE against its detached signature FILE.p7s (or P7S, for one\n"
	"FILE) with the rules of vtrust.ko's 'appraise func=FIRMWARE_CHECK\n"
	"appraise_type=sig': the signature's form (docs/FORMATS.md), every\n"
	"signer's signature over FILE, and at least one signer whose key is one\n"
	"of the CERTs (the keys in the .vtrust keyring) or is certified by one.\n"
	"A refusal names the kernel's reason: no-signature, bad-signature,\n"
	"unknown-key, unsupported-algorithm.\n"
	"\n"
	"Options:\n"
	"  --cert CERT  a trusted X.509 certificate (PEM or DER); repeatable\n"
	"  --sig P7S    the signature file, instead of FILE.p7s (one FILE only)\n"
	"  --json       print the results as JSON\n"
	"  -h, --help   this help\n"
	"\n" VT_EXIT_CODES;

static const struct option verify_file_options[] = {
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "sig", required_argument, NULL, OPT_SIG },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

#define VT_CERTS_MAX 64

/* Check one file; 0 good, 1 refused (@why), or -errno. */
static int verify_one(const char *file, const char *sig_path,
		      const struct vt_p7s_cert *certs, unsigned int nr,
		      struct vt_p7s *p, unsigned int *tr, char *why,
		      size_t whylen)
{
	uint8_t *data = NULL, *der = NULL;
	char path[4096];
	size_t len, dlen;
	int err;

	memset(p, 0, sizeof(*p));
	if (!sig_path) {
		if (snprintf(path, sizeof(path), "%s.p7s", file) >= (int)sizeof(path))
			return -ENAMETOOLONG;
		sig_path = path;
	}
	err = vt_read_file(file, VT_FW_MAX, &data, &len);
	if (err)
		return err;
	err = vt_read_file(sig_path, VT_P7S_MAX, &der, &dlen);
	if (err == -ENOENT) {
		why_set(why, whylen, "no-signature: no %s", sig_path);
		err = 1;
	} else if (err == -EFBIG) {
		why_set(why, whylen, "bad-signature: %s is over 64 KiB", sig_path);
		err = 1;
	} else if (!err) {
		err = vt_p7s_parse(der, dlen, p, why, whylen) ||
		      vt_p7s_verify(der, dlen, data, len, certs, nr, tr, why,
				    whylen);
	}
	free(der);
	free(data);
	return err;
}

int cmd_verify_file(int argc, char *argv[])
{
	struct vt_p7s_cert certs[VT_CERTS_MAX];
	uint8_t *cdata[VT_CERTS_MAX];
	unsigned int nr = 0, j, tr;
	const char *sig = NULL;
	json_object *arr;
	bool json = false;
	int c, i, err, ret = VT_EXIT_OK;
	struct vt_p7s p;
	char why[320];
	X509 *x;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", verify_file_options, NULL)) != -1) {
		switch (c) {
		case OPT_CERT:
			if (nr == VT_CERTS_MAX) {
				ret = vt_usage_err("verify-file", "more than %d --cert",
						   VT_CERTS_MAX);
				goto out;
			}
			err = vt_read_file(optarg, 1 << 20, &cdata[nr], &certs[nr].len);
			if (err || !cdata[nr]) {
				vt_err("verify-file", "%s: %s", optarg,
				       err ? strerror(-err) : "empty");
				ret = err && err != -ENOENT ? VT_EXIT_SYSTEM : VT_EXIT_USAGE;
				goto out;
			}
			certs[nr].data = cdata[nr];
			x = cert_read(cdata[nr], certs[nr].len);
			nr++;
			if (!x) {
				vt_err("verify-file", "%s: not an X.509 certificate (PEM or DER)",
				       optarg);
				ret = VT_EXIT_USAGE;
				goto out;
			}
			X509_free(x);
			break;
		case OPT_SIG:
			sig = optarg;
			break;
		case OPT_JSON:
			json = true;
			break;
		case 'h':
			fputs(verify_file_usage, stdout);
			goto out;
		default:
			ret = vt_bad_option("verify-file", c, argv);
			goto out;
		}
	}
	if (!nr) {
		ret = vt_usage_err("verify-file", "no --cert: which keys are trusted?");
		goto out;
	}
	if (optind >= argc || (sig && argc - optind > 1)) {
		ret = vt_usage_err("verify-file", optind >= argc ? "no FILE" :
				   "--sig goes with one FILE");
		goto out;
	}
	arr = json_object_new_array();
	for (i = optind; i < argc; i++) {
		err = verify_one(argv[i], sig, certs, nr, &p, &tr, why, sizeof(why));
		if (err < 0) {
			vt_err("verify-file", "%s: %s", argv[i], strerror(-err));
			ret = VT_EXIT_SYSTEM;
			break;
		}
		if (err)
			ret = VT_EXIT_MISMATCH;
		if (json) {
			json_object *o = json_object_new_object(), *s = json_object_new_array();

			json_object_object_add(o, "file", json_object_new_string(argv[i]));
			json_object_object_add(o, "verdict",
					       json_object_new_string(err ? "refused" : "good"));
			if (err) {
				json_object_object_add(o, "reason",
						       json_object_new_string_len(why, strcspn(why, ":")));
				json_object_object_add(o, "detail", json_object_new_string(why));
			} else {
				json_object_object_add(o, "key_id",
						       json_object_new_string(p.signers[tr].key_id));
			}
			for (j = 0; j < p.nr_signers; j++) {
				json_object *g = json_object_new_object();

				json_object_object_add(g, "key_id",
						       json_object_new_string(p.signers[j].key_id));
				json_object_object_add(g, "digest",
						       json_object_new_string(p.signers[j].digest));
				json_object_object_add(g, "signature",
						       json_object_new_string(p.signers[j].sig_alg));
				json_object_array_add(s, g);
			}
			json_object_object_add(o, "signers", s);
			json_object_array_add(arr, o);
		} else if (err) {
			printf("%s: refused: %s\n", argv[i], why);
		} else {
			printf("%s: good signature by %s (%s)\n", argv[i],
			       p.signers[tr].key_id, p.signers[tr].digest);
		}
	}
	if (json)
		puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
out:
	for (j = 0; j < nr; j++)
		free(cdata[j]);
	return ret;
}
