// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the .p7s reading path (fwsig.c): vt_p7s_parse()
 * and vt_p7s_verify() over a fixed content with two trusted certificates
 * (RSA and SM2; tests/corpus-p7s/ holds signatures by their keys, made by
 * "vtrust sign" and openssl cms). The input is the signature's bytes.
 *
 * - Neither crashes, and each refusal has a reason that starts with one of
 *   the kernel's words;
 * - what parses has 1-8 signers, each with an id, a digest and an
 *   algorithm name, and vt_p7s_signers() (no firmware form checks, for
 *   "vtrust log") gives the same signers;
 * - what vt_p7s_verify() accepts parses, names a signer that exists, and
 *   OpenSSL's own CMS_verify() accepts too (every signer's signature over
 *   the content, with the signer certificates from the trusted ones or the
 *   message), except where OpenSSL refuses for SignedData's own list of
 *   digest algorithms, which the kernel does not read (a digest it does
 *   not know, or none that matches a signer's).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "fwsig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char content[] = "vtrust fuzz content\n";

static const char rsa_cert[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIDFzCCAf+gAwIBAgIUSg9GzB9EEwXQHwtuQKAwouEyr7YwDQYJKoZIhvcNAQEL\n"
	"BQAwGjEYMBYGA1UEAwwPdnRydXN0IGZ1enogcnNhMCAXDTI2MTEyOTE4NDIyM1oY\n"
	"DzIxMjYxMTA1MTg0MjIzWjAaMRgwFgYDVQQDDA92dHJ1c3QgZnV6eiByc2EwggEi\n"
	"MA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCmXxk8rJs+Vjdl+r784/HsjC12\n"
	"4iooZ7CpfVFz1lPCLRYEBxBJeFFiqem3sd+M9A6byqnsHX3Ill+K8g+yIybuYjNZ\n"
	"8XZTKfE5QT9PuYzsw1uhgSR5RYHEmVVTf6el/nViG7QA42FmWF6Juq+YE6CJEHuI\n"
	"Oxeyf7It2purbUB+bpdKZYP6WCga9a0Ll2D3n4TWoC5k6IxcTxoz1TM4e+2mrZE/\n"
	"gLSsquqsj++1v3g8nDdSkbK9FUm9VwNB1x/5YvWACmOeUdL7UniWUhIHZeoXXdPZ\n"
	"TnqpPvJX9uZOt/nde6BwAyqWFtodRfrsuOWD88Q44sMfvvMAzH1ymsmebL99AgMB\n"
	"AAGjUzBRMB0GA1UdDgQWBBQwf3Ix+j+mT5JMC5OxOh3DiIUAsjAfBgNVHSMEGDAW\n"
	"gBQwf3Ix+j+mT5JMC5OxOh3DiIUAsjAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3\n"
	"DQEBCwUAA4IBAQBuVmgz5Bw7JyjP2I5og1HZ3758E4juLSFRpovwNfwl9I86OrJO\n"
	"XU7YgiDr5sTznh4nBl9GCVDIKbvsv3EO9wztYQe8C3s1vNdP7g4R7vYYfn9KVNXy\n"
	"M7u14fqOAkXivXrufETjatHIhJWtYBx+14ys1/FYPmMv+EFkuKhkiTlkXUBzS3/p\n"
	"oGHLuv9q5uQfwqdoPE+FBvL5wPgt/fNlZoIYTwTAxYaibTgO6JY3FVV47ITHzVfE\n"
	"m6fQYFycLAi1RhlzKFOdqtWNA+45vETKBW81fCxV8XUAGiP+CiSfcP1i34f3ysnV\n"
	"B13f02JPVSrjxyGMccHlUf4JFvrLPImGgeTh\n"
	"-----END CERTIFICATE-----\n"
;

static const char sm2_cert[] =
	"-----BEGIN CERTIFICATE-----\n"
	"MIIBjDCCATGgAwIBAgIUMZoDCLuZ10DS0lZuQI10ViCdDGEwCgYIKoEcz1UBg3Uw\n"
	"GjEYMBYGA1UEAwwPdnRydXN0IGZ1enogc20yMCAXDTI2MTEyOTE4NDIyM1oYDzIx\n"
	"MjYxMTA1MTg0MjIzWjAaMRgwFgYDVQQDDA92dHJ1c3QgZnV6eiBzbTIwWTATBgcq\n"
	"hkjOPQIBBggqgRzPVQGCLQNCAARU8xPXm4a9sQytjs1w4JRHNp9usutsJYQRjqbQ\n"
	"kTAD/LmOHZ8sWUrYvYZvWSIwnTHlA8T0vIO8fr1WLeMDNGY+o1MwUTAdBgNVHQ4E\n"
	"FgQUsW99cTTyaSDRAwozvpaY3GrAm84wHwYDVR0jBBgwFoAUsW99cTTyaSDRAwoz\n"
	"vpaY3GrAm84wDwYDVR0TAQH/BAUwAwEB/zAKBggqgRzPVQGDdQNJADBGAiEAvF6g\n"
	"D8+EHxKdWwrWWtkhk2/YgJCBWq42jvFxwrynb7oCIQCUzWqg1g9UpCWzlrHms2Qz\n"
	"wO8kJOW2urCpG4Sq6/gNXg==\n"
	"-----END CERTIFICATE-----\n"
;

static const char *const words[] = {
	"bad-signature: ", "unknown-key: ", "unsupported-algorithm: ",
};

static bool has_word(const char *why)
{
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strncmp(why, words[i], strlen(words[i])))
			return true;
	return false;
}

/* OpenSSL's verdict on every signer's signature over the content; true
 * also when it refuses for SignedData's digestAlgorithms alone. */
static bool openssl_verifies(const uint8_t *data, size_t size)
{
	const unsigned char *p = data;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)size);
	STACK_OF(X509) *certs = sk_X509_new_null();
	const char *pem[] = { rsa_cert, sm2_cert };
	BIO *mem = BIO_new_mem_buf(content, sizeof(content) - 1), *b;
	/* a filter on the memory BIO: CMS_verify() in OpenSSL 3.0 copies a
	 * memory BIO's content into a BIO that its error paths leak */
	BIO *in = BIO_push(BIO_new(BIO_f_buffer()), mem);
	bool ok = false;
	unsigned long e;
	unsigned int i;
	X509 *x;

	if (!cms || !certs || !in)
		abort();
	for (i = 0; i < 2; i++) {
		b = BIO_new_mem_buf(pem[i], -1);
		x = b ? PEM_read_bio_X509(b, NULL, NULL, NULL) : NULL;
		if (!x || !sk_X509_push(certs, x))
			abort();
		BIO_free(b);
	}
	ok = CMS_verify(cms, certs, NULL, in, NULL,
			CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
	while (!ok && (e = ERR_get_error()))
		ok = ERR_GET_LIB(e) == ERR_LIB_CMS &&
		     (ERR_GET_REASON(e) == CMS_R_UNKNOWN_DIGEST_ALGORITHM ||
		      ERR_GET_REASON(e) == CMS_R_NO_MATCHING_DIGEST);
	BIO_free_all(in);
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	ERR_clear_error();
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct vt_p7s_cert certs[] = {
		{ (const uint8_t *)rsa_cert, sizeof(rsa_cert) - 1 },
		{ (const uint8_t *)sm2_cert, sizeof(sm2_cert) - 1 },
	};
	unsigned int i, trusted = 99;
	struct vt_p7s p, q;
	char why[256];
	int parsed, ret;

	memset(why, 'x', sizeof(why));
	parsed = vt_p7s_parse(data, size, &p, why, sizeof(why));
	if (parsed) {
		if (!memchr(why, '\0', sizeof(why)) ||
		    strncmp(why, "bad-signature: ", 15))
			abort();
	} else {
		if (!p.nr_signers || p.nr_signers > VT_P7S_SIGNERS_MAX)
			abort();
		for (i = 0; i < p.nr_signers; i++)
			if ((strncmp(p.signers[i].key_id, "skid:", 5) &&
			     strncmp(p.signers[i].key_id, "issuer-serial:", 14)) ||
			    !p.signers[i].digest[0] || !p.signers[i].sig_alg[0])
				abort();
	}
	if (!vt_p7s_signers(data, size, &q)) {
		if (!q.nr_signers || q.nr_signers > VT_P7S_SIGNERS_MAX)
			abort();
		if (!parsed && memcmp(&p, &q, sizeof(p)))
			abort();
	} else if (!parsed) {
		abort();
	}
	memset(why, 'x', sizeof(why));
	ret = vt_p7s_verify(data, size, content, sizeof(content) - 1, certs, 2,
			    &trusted, why, sizeof(why));
	if (ret) {
		if (!memchr(why, '\0', sizeof(why)) || !has_word(why))
			abort();
		return 0;
	}
	if (parsed || trusted >= p.nr_signers || !openssl_verifies(data, size))
		abort();
	return 0;
}
