// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * quote-check: run vt_quote_verify() on files, for the tests.
 *
 *   quote-check --attest FILE --sig FILE --ak FILE --nonce HEX
 *               --pcrs SPEC [--values FILE] [--qualified-signer HEX] [--json]
 *
 * --attest: TPMS_ATTEST (tpm2_quote -m); --sig: TPMT_SIGNATURE (tpm2_quote
 * -s); --ak: TPM2B_PUBLIC (tpm2_createak -u); --pcrs: the selection asked
 * for, "sha256:0,1,2-5+sha1:0"; --values: the claimed PCR values, lines
 * "<bank> <pcr> <hex>" or tpm2_pcrread's output. Prints each check and its
 * result; exit 0 if the quote is accepted, 1 if not, 2 on a usage error.
 *
 *   quote-check --name FILE
 *
 * prints the Name (hex) of the TPM2B_PUBLIC in FILE, as vt_tpm_name()
 * computes it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "algs.h"
#include "hex.h"
#include "pcrs.h"
#include "quote.h"
#include "tpm2s.h"
#include "util.h"

#define FILE_MAX (1 << 20)

static int usage(const char *msg)
{
	fprintf(stderr, "quote-check: %s\nusage: quote-check --attest FILE "
		"--sig FILE --ak FILE --nonce HEX --pcrs SPEC [--values FILE] "
		"[--qualified-signer HEX] [--json]\n", msg);
	return 2;
}

static int read_hex(const char *hex, uint8_t **out, size_t *len)
{
	size_t n = strlen(hex);

	if (n % 2)
		return -1;
	*len = n / 2;
	*out = malloc(*len + 1);
	if (!*out || vt_unhex(*out, *len, hex, n))
		return -1;
	return 0;
}

static int load(const char *path, uint8_t **buf, size_t *len)
{
	int ret = vt_read_file(path, FILE_MAX, buf, len);

	if (ret)
		fprintf(stderr, "quote-check: %s: %s\n", path, strerror(-ret));
	return ret;
}

static void print_text(const struct vt_quote_result *res)
{
	unsigned int i;

	for (i = 0; i < VT_QC_COUNT; i++)
		printf("%s: %s: %s\n", vt_quote_check_names[i],
		       vt_check_state_name(res->checks[i].state),
		       res->checks[i].msg);
	printf("result: %s\n", res->ok ? "pass" : "fail");
}

static void print_json(const struct vt_quote_result *res)
{
	json_object *o = json_object_new_object(), *checks, *c, *cov;
	const struct vt_tpm_attest *a = &res->attest;
	char hex[2 * VT_DIGEST_MAX + 1];
	unsigned int i, p;

	json_object_object_add(o, "ok", json_object_new_boolean(res->ok));
	checks = json_object_new_object();
	for (i = 0; i < VT_QC_COUNT; i++) {
		c = json_object_new_object();
		json_object_object_add(c, "result", json_object_new_string(
			vt_check_state_name(res->checks[i].state)));
		json_object_object_add(c, "message",
				       json_object_new_string(res->checks[i].msg));
		json_object_object_add(checks, vt_quote_check_names[i], c);
	}
	json_object_object_add(o, "checks", checks);
	if (res->checks[VT_QC_ATTEST_PARSE].state == VT_CHECK_PASS) {
		c = json_object_new_object();
		json_object_object_add(c, "clock",
				       json_object_new_uint64(a->clock));
		json_object_object_add(c, "resetCount",
				       json_object_new_int64(a->reset_count));
		json_object_object_add(c, "restartCount",
				       json_object_new_int64(a->restart_count));
		json_object_object_add(c, "safe", json_object_new_int(a->safe));
		json_object_object_add(c, "firmwareVersion",
				       json_object_new_uint64(a->firmware_version));
		json_object_object_add(o, "attest", c);
	}
	cov = json_object_new_array();
	for (i = 0; i < VT_ALG_COUNT; i++) {
		for (p = 0; p < VT_PCR_COUNT; p++) {
			if (!res->covered.have[i][p])
				continue;
			c = json_object_new_object();
			json_object_object_add(c, "bank",
					       json_object_new_string(vt_algs[i].name));
			json_object_object_add(c, "pcr", json_object_new_int(p));
			vt_hex(hex, res->covered.value[i][p], vt_algs[i].size);
			json_object_object_add(c, "value",
					       json_object_new_string(hex));
			json_object_array_add(cov, c);
		}
	}
	json_object_object_add(o, "covered", cov);
	json_object_object_add(o, "ignored",
			       json_object_new_int(res->nr_ignored));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
	json_object_put(o);
}

static int print_name(const char *path)
{
	static struct vt_tpm_public pub;
	uint8_t *buf = NULL, name[VT_TPM_NAME_MAX];
	size_t len = 0, nlen = sizeof(name);
	char why[160];
	int ret = 1;

	if (load(path, &buf, &len))
		return 1;
	if (vt_tpm_public_parse(buf ? buf : (const uint8_t *)"", len, &pub,
				why, sizeof(why)))
		fprintf(stderr, "quote-check: %s: %s\n", path, why);
	else if (vt_tpm_name(&pub, name, &nlen))
		fprintf(stderr, "quote-check: %s: no Name\n", path);
	else
		ret = 0;
	if (!ret) {
		vt_put_hex(stdout, name, nlen);
		putchar('\n');
	}
	free(buf);
	return ret;
}

int main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "attest", required_argument, NULL, 'a' },
		{ "sig", required_argument, NULL, 's' },
		{ "ak", required_argument, NULL, 'k' },
		{ "nonce", required_argument, NULL, 'n' },
		{ "pcrs", required_argument, NULL, 'p' },
		{ "values", required_argument, NULL, 'v' },
		{ "qualified-signer", required_argument, NULL, 'q' },
		{ "json", no_argument, NULL, 'j' },
		{ "name", required_argument, NULL, 'N' },
		{ NULL, 0, NULL, 0 }
	};
	const char *attest_path = NULL, *sig_path = NULL, *ak_path = NULL;
	const char *values_path = NULL, *nonce = NULL, *spec = NULL;
	const char *qs = NULL;
	uint8_t *attest = NULL, *sig = NULL, *akbuf = NULL, *vals = NULL;
	uint8_t *nonce_buf = NULL, *qs_buf = NULL;
	size_t alen = 0, slen = 0, klen = 0, vlen = 0;
	static struct vt_quote_result res;
	static struct vt_pcr_table values;
	static struct vt_tpm_public ak;
	struct vt_quote_req req = { 0 };
	bool json = false;
	char why[160];
	int c, ret = 2;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': attest_path = optarg; break;
		case 's': sig_path = optarg; break;
		case 'k': ak_path = optarg; break;
		case 'n': nonce = optarg; break;
		case 'p': spec = optarg; break;
		case 'v': values_path = optarg; break;
		case 'q': qs = optarg; break;
		case 'j': json = true; break;
		case 'N': return print_name(optarg);
		default: return usage("bad option");
		}
	}
	if (optind != argc || !attest_path || !sig_path || !ak_path ||
	    !nonce || !spec)
		return usage("missing or extra arguments");
	if (vt_quote_selection_parse(spec, &req))
		return usage("bad --pcrs");
	if (read_hex(nonce, &nonce_buf, &req.nonce_len)) {
		ret = usage("bad --nonce");
		goto out;
	}
	req.nonce = nonce_buf;
	if (qs) {
		if (read_hex(qs, &qs_buf, &req.qualified_signer_len)) {
			ret = usage("bad --qualified-signer");
			goto out;
		}
		req.qualified_signer = qs_buf;
	}
	if (load(attest_path, &attest, &alen) || load(sig_path, &sig, &slen) ||
	    load(ak_path, &akbuf, &klen))
		goto out;
	if (values_path) {
		if (load(values_path, &vals, &vlen))
			goto out;
		if (vt_pcrs_parse_text((const char *)vals, vlen, &values, why,
				       sizeof(why))) {
			fprintf(stderr, "quote-check: %s: %s\n", values_path,
				why);
			goto out;
		}
	}
	if (vt_tpm_public_parse(akbuf, klen, &ak, why, sizeof(why))) {
		fprintf(stderr, "quote-check: %s: %s\n", ak_path, why);
		goto out;
	}
	/* an empty file is a NULL buffer: the parsers see 0 bytes */
	ret = vt_quote_verify(attest ? attest : (const uint8_t *)"", alen,
			      sig ? sig : (const uint8_t *)"", slen, &ak, &req,
			      &values, &res);
	if (json)
		print_json(&res);
	else
		print_text(&res);
out:
	free(attest);
	free(sig);
	free(akbuf);
	free(vals);
	free(nonce_buf);
	free(qs_buf);
	return ret;
}
