// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrust verify-evidence: the remote verifier's command over appraise.h.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "appraise.h"
#include "baseline.h"
#include "compare.h"
#include "evidence.h"
#include "hex.h"
#include "util.h"
#include "vtrust.h"

#define AK_FILE_MAX 16384

static const char usage[] =
"Usage: vtrust verify-evidence FILE --nonce HEX --ak AK [--ak-name HEX]\n"
"                              [--pcrs SELECTION] [--baseline PATH [--init]]\n"
"                              [--reference FILE] [--ek-ca DIR] [--json]\n"
"\n"
"Judge an evidence bundle that 'vtrust quote' wrote in a guest (FILE, or -\n"
"for stdin; docs/FORMATS.md) on a verifier host, trusting nothing in it that\n"
"the TPM did not sign. The checks, in order, each named in the verdict:\n"
"\n"
"  evidence-parse   the bundle: known fields only, strict base64 and hex\n"
"  ak-public        the AK to check with: the one given here, never the\n"
"                   bundle's (a PEM needs --ak-name, see below)\n"
"  attest-parse, signature-parse, ak-attributes, signature-scheme,\n"
"  signature, magic, type, nonce, qualified-signer, pcr-selection,\n"
"  pcr-digest, clock-safe\n"
"                   the quote (the 2024 TPM CVEs' checks among them);\n"
"                   qualified-signer: the AK is the bundle's EK's child\n"
"  ek-certificate   with --ek-ca: the EK certificate chains to a CA in DIR\n"
"                   and holds the bundle's EK\n"
"  replay           the UEFI, IMA and vtrust logs replay to the signed PCR\n"
"                   values in every signed bank (the rules of 'vtrust\n"
"                   replay'; values outside the signed selection are unused)\n"
"  baseline         this boot against the baseline (BASELINE.md)\n"
"\n"
"Options:\n"
"  --nonce HEX         the nonce this verifier gave to 'vtrust quote'\n"
"  --ak AK             the enrolled AK: its TPM2B_PUBLIC (as 'tpm2_createak\n"
"                      -u' writes it) or its public key in PEM\n"
"  --ak-name HEX       with a PEM AK: the Name credential activation proved;\n"
"                      the bundle's ak.tpm2b_public must have it and the key\n"
"  --pcrs SELECTION    the selection asked for, e.g. sha256:0-15+sha1:0-15\n"
"                      (default: PCRs 0-15 of every bank the quote signed)\n"
"  --baseline PATH     compare with this baseline (without one the verdict\n"
"                      is at most 'valid')\n"
"  --init              no baseline at PATH yet: record this boot as the\n"
"                      first one (exit 4), if the evidence is valid\n"
"  --reference FILE    known-good digests, as for 'vtrust verify'\n"
"  --ek-ca DIR         trusted EK CA certificates (*.pem, *.crt; PEM)\n"
"  --json              print the verdict as JSON\n"
"\n"
"Exit status: 0 trusted (or valid, without --baseline); 1 untrusted or\n"
"invalid evidence (the verdict says which check failed and why); 2 bad\n"
"usage or unreadable input; 3 system error; 4 baseline recorded (--init).\n";

enum {
	OPT_NONCE = 256, OPT_AK, OPT_AK_NAME, OPT_PCRS, OPT_BASELINE, OPT_INIT,
	OPT_REFERENCE, OPT_EK_CA, OPT_JSON,
};

static const struct option options[] = {
	{ "nonce", required_argument, NULL, OPT_NONCE },
	{ "ak", required_argument, NULL, OPT_AK },
	{ "ak-name", required_argument, NULL, OPT_AK_NAME },
	{ "pcrs", required_argument, NULL, OPT_PCRS },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "init", no_argument, NULL, OPT_INIT },
	{ "reference", required_argument, NULL, OPT_REFERENCE },
	{ "ek-ca", required_argument, NULL, OPT_EK_CA },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct args {
	const char *file, *nonce, *ak, *ak_name, *pcrs, *baseline, *reference;
	const char *ek_ca;
	bool init, json;
};

struct inputs {
	uint8_t nonce[VT_EVIDENCE_NONCE_MAX];
	uint8_t ak_name[VT_TPM_NAME_MAX];
	struct vt_tpm_public ak;
	struct vt_quote_req sel;
	struct vt_appraise_opts o;
	uint8_t *text;
	size_t len;
};

static int parse_args(struct args *a, int argc, char *argv[])
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case OPT_NONCE: a->nonce = optarg; break;
		case OPT_AK: a->ak = optarg; break;
		case OPT_AK_NAME: a->ak_name = optarg; break;
		case OPT_PCRS: a->pcrs = optarg; break;
		case OPT_BASELINE: a->baseline = optarg; break;
		case OPT_INIT: a->init = true; break;
		case OPT_REFERENCE: a->reference = optarg; break;
		case OPT_EK_CA: a->ek_ca = optarg; break;
		case OPT_JSON: a->json = true; break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		default:
			return vt_bad_option("verify-evidence", c, argv);
		}
	}
	if (optind + 1 != argc)
		return vt_usage_err("verify-evidence", optind < argc ?
				    "one evidence file, not %d" :
				    "no evidence file", argc - optind);
	a->file = argv[optind];
	if (!a->nonce || !a->ak)
		return vt_usage_err("verify-evidence", "--nonce and --ak are "
				    "required");
	if (a->init && !a->baseline)
		return vt_usage_err("verify-evidence", "--init needs --baseline");
	return 0;
}

static int hex_arg(const char *what, const char *s, uint8_t *out, size_t max,
		   size_t *len)
{
	size_t n = strlen(s);

	if (!n || n % 2 || n / 2 > max || vt_unhex(out, n / 2, s, n))
		return vt_usage_err("verify-evidence", "%s: not 1 to %zu bytes "
				    "of hex", what, max);
	*len = n / 2;
	return 0;
}

static bool key_valid(EVP_PKEY *k)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k, NULL);
	bool ok = ctx && EVP_PKEY_public_check(ctx) == 1;

	EVP_PKEY_CTX_free(ctx);
	return ok;
}

/* --ak: a PEM public key, or a TPM2B_PUBLIC. */
static int load_ak(const char *path, struct inputs *in)
{
	uint8_t *buf = NULL;
	char why[160];
	size_t len;
	BIO *bio;
	int ret = vt_read_file(path, AK_FILE_MAX, &buf, &len);

	if (ret) {
		vt_err(path, "%s", strerror(-ret));
		return ret == -EFBIG ? VT_EXIT_USAGE : VT_EXIT_SYSTEM;
	}
	if (len > 10 && !memcmp(buf, "-----BEGIN", 10)) {
		bio = BIO_new_mem_buf(buf, len);
		in->o.ak_key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) :
			       NULL;
		BIO_free(bio);
		ret = in->o.ak_key && key_valid(in->o.ak_key) ? 0 :
		      VT_EXIT_USAGE;
		ERR_clear_error();
		if (ret)
			vt_err(path, "not a valid PEM public key");
	} else if (vt_tpm_public_parse(buf ? buf : (const uint8_t *)"", len,
				       &in->ak, why, sizeof(why))) {
		vt_err(path, "neither a PEM public key nor a TPM2B_PUBLIC: %s",
		       why);
		ret = VT_EXIT_USAGE;
	} else if (!(in->o.ak_key = vt_tpm_public_pkey(&in->ak))) {
		vt_err(path, "the TPM2B_PUBLIC's key is not usable");
		ret = VT_EXIT_USAGE;
	} else {
		in->o.ak = &in->ak;
	}
	ERR_clear_error();
	free(buf);
	return ret;
}

static bool is_cert_file(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && (!strcmp(name + n - 4, ".pem") ||
			 !strcmp(name + n - 4, ".crt"));
}

/* Every certificate in DIR's *.pem and *.crt files. */
static int load_cas(const char *dir, X509_STORE **out)
{
	X509_STORE *st = X509_STORE_new();
	char path[4096];
	struct dirent *de;
	unsigned int n = 0;
	X509 *x;
	FILE *f;
	DIR *d;

	d = opendir(dir);
	if (!d || !st) {
		vt_err(dir, "%s", d ? "out of memory" : strerror(errno));
		if (d)
			closedir(d);
		X509_STORE_free(st);
		return d ? VT_EXIT_SYSTEM : VT_EXIT_USAGE;
	}
	while ((de = readdir(d))) {
		if (!is_cert_file(de->d_name) ||
		    vt_path(path, sizeof(path), dir, "%s", de->d_name))
			continue;
		f = fopen(path, "re");
		if (!f)
			continue;
		while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
			n += X509_STORE_add_cert(st, x) == 1;
			X509_free(x);
		}
		fclose(f);
	}
	closedir(d);
	ERR_clear_error();
	if (!n) {
		vt_err(dir, "no PEM certificate in *.pem or *.crt");
		X509_STORE_free(st);
		return VT_EXIT_USAGE;
	}
	*out = st;
	return 0;
}

static int load_inputs(const struct args *a, struct inputs *in)
{
	int ret;

	ret = hex_arg("--nonce", a->nonce, in->nonce, sizeof(in->nonce),
		      &in->o.nonce_len);
	in->o.nonce = in->nonce;
	if (!ret && a->ak_name) {
		ret = hex_arg("--ak-name", a->ak_name, in->ak_name,
			      sizeof(in->ak_name), &in->o.ak_name_len);
		in->o.ak_name = in->ak_name;
	}
	if (!ret && a->pcrs) {
		if (vt_quote_selection_parse(a->pcrs, &in->sel) ||
		    !in->sel.nr_banks)
			return vt_usage_err("verify-evidence", "--pcrs: not a "
					    "selection such as sha256:0-15");
		in->o.selection = &in->sel;
	}
	if (!ret)
		ret = load_ak(a->ak, in);
	if (!ret && a->ek_ca)
		ret = load_cas(a->ek_ca, &in->o.ek_ca);
	if (!ret && a->reference)
		ret = vt_reference_load(a->reference, &in->o.reference);
	in->o.no_boot = !a->baseline;	/* nothing to compare or record */
	if (!ret && a->init && vt_exists(a->baseline)) {
		vt_err(a->baseline, "a baseline exists: --init records only the first one");
		ret = VT_EXIT_USAGE;
	} else if (!ret && a->baseline && !a->init) {
		ret = vt_baseline_load(a->baseline, &in->o.baseline);
	}
	if (!ret) {
		ret = vt_read_file(a->file, VT_EVIDENCE_MAX, &in->text,
				   &in->len);
		if (ret)
			vt_err(a->file, "%s", ret == -EFBIG ?
			       "larger than an evidence bundle may be" :
			       strerror(-ret));
		ret = ret == -EFBIG ? VT_EXIT_USAGE :
		      ret ? VT_EXIT_USAGE : 0;
	}
	return ret;
}

static void free_inputs(struct inputs *in)
{
	EVP_PKEY_free(in->o.ak_key);
	X509_STORE_free(in->o.ek_ca);
	json_object_put(in->o.reference);
	json_object_put(in->o.baseline);
	free(in->text);
}

static const char *jstr(json_object *o, const char *key)
{
	const char *s = vt_json_str(o, key);

	return s ? s : "?";
}

/* The replay's problems, as 'vtrust replay' prints them. */
static void print_problems(json_object *replay)
{
	json_object *probs, *p, *pcr;
	size_t i, n;

	if (!replay || !json_object_object_get_ex(replay, "problems", &probs))
		return;
	n = json_object_array_length(probs);
	if (n)
		printf("problems:\n");
	for (i = 0; i < n; i++) {
		p = json_object_array_get_idx(probs, i);
		printf("  %s", jstr(p, "source"));
		if (json_object_object_get_ex(p, "pcr", &pcr) && pcr)
			printf(" PCR %d", json_object_get_int(pcr));
		printf(": %s: %s\n", jstr(p, "kind"), jstr(p, "text"));
	}
}

static void print_text(const struct vt_appraisal *v)
{
	unsigned int i;

	for (i = 0; i < VT_AC_COUNT; i++)
		printf("%-18s %-8s %s\n", vt_appraise_check_name(i),
		       vt_check_state_name(v->checks[i].state),
		       v->checks[i].msg);
	print_problems(v->replay);
	if (v->compared) {
		vt_diffs_print_stages(&v->diffs);
		for (i = 0; i < v->diffs.nr; i++)
			if (vt_diff_is_open(&v->diffs.d[i]))
				vt_diff_print(&v->diffs.d[i]);
	}
	printf("result: %s\n", v->result);
}

/* --json gets one object, also when the inputs could not be read. */
static void print_error(int ret)
{
	json_object *j = json_object_new_object();

	json_object_object_add(j, "result", json_object_new_string("error"));
	json_object_object_add(j, "exit", json_object_new_int(ret));
	json_object_object_add(j, "error", vt_json_text(vt_last_error()));
	puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(j);
}

/* --init: the first baseline, from a boot that is valid evidence. */
static int record(const struct args *a, struct vt_appraisal *v)
{
	int ret;

	if (v->exit)
		return v->exit;
	ret = vt_baseline_init(a->baseline, v->boot, "verify-evidence --init: "
			       "first boot", false, a->json);
	if (ret)
		return ret;
	v->result = "recorded";
	v->exit = VT_EXIT_RECORDED;
	return v->exit;
}

int cmd_verify_evidence(int argc, char *argv[])
{
	struct args a = { 0 };
	struct inputs *in;
	struct vt_appraisal v;
	json_object *j;
	int ret;

	ret = parse_args(&a, argc, argv);
	if (ret)
		return ret < 0 ? VT_EXIT_OK : ret;
	in = calloc(1, sizeof(*in));
	if (!in) {
		vt_err("verify-evidence", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	ret = load_inputs(&a, in);
	if (ret) {
		if (a.json)
			print_error(ret);
		goto out;
	}
	ret = vt_appraise((const char *)(in->text ? in->text : (uint8_t *)""),
			  in->len, &in->o, &v);
	if (a.init && !in->o.baseline)
		ret = record(&a, &v);
	if (ret == VT_EXIT_SYSTEM && !v.result)
		vt_err("verify-evidence", "out of memory");
	if (a.json) {
		j = vt_appraisal_json(&v);
		puts(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(j);
	} else {
		print_text(&v);
	}
	vt_appraisal_free(&v);
out:
	free_inputs(in);
	free(in);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("verify-evidence", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret;
}
