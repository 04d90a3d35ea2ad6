// SPDX-License-Identifier: GPL-2.0
/*
 * vtrust replay: recompute the PCR values that the firmware event log and
 * the measurement lists imply, and compare them with the TPM's.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "algs.h"
#include "hash.h"
#include "imalog.h"
#include "listfile.h"
#include "pcrs.h"
#include "replay-int.h"
#include "sources.h"
#include "util.h"
#include "vtrust.h"

static const char replay_usage[] =
"Usage: vtrust replay [options]\n"
"\n"
"Replay the firmware event log and the measurement lists and compare the\n"
"result with the TPM's PCRs, bank by bank: every event or entry is extended\n"
"into its PCR, new = B(old || digest), and each PCR is compared with the\n"
"TPM's value.\n"
"\n"
"  uefi    <securityfs>/tpm0/binary_bios_measurements, the firmware's TCG\n"
"          event log (crypto-agile or SHA-1), replayed into PCRs 0-9: every\n"
"          one of them is compared, with or without events. EV_NO_ACTION\n"
"          events are not extended; a StartupLocality event with locality 3\n"
"          (or 4) makes PCR 0 start at 00..03 (00..04).\n"
"  ima     IMA's <securityfs>/ima/binary_runtime_measurements_<B> if the\n"
"          kernel has it, else the default file, whose template digests are\n"
"          SHA-1: other banks are computed from the template data. A\n"
"          violation (all-zero template digest) is extended as all 0xff.\n"
"  vtrust  <securityfs>/vtrust/binary_runtime_measurements_<B> for every bank\n"
"          B. The PCR's start value is B's prior= value of the start entry\n"
"          (docs/FORMATS.md), else zero.\n"
"\n"
"By default (--source all) every source the kernel shows is replayed and a\n"
"source it does not show is reported as absent, which is not a mismatch. A\n"
"source named with --source must be there.\n"
"\n"
"The PCRs are read before the lists. When entries were added to a list after\n"
"its PCR was read, the replay reports a match up to the last entry the PCR\n"
"covers and how many entries came later. On a mismatch it names the first\n"
"event or entry from which the PCR can no longer match, or says that it is\n"
"unknown. A firmware event whose digest the TCG defines as a digest of its\n"
"data (EV_SEPARATOR, EV_EFI_ACTION, UEFI variables, ...) is checked against\n"
"its data; a difference is a warning, and names the event on a mismatch.\n"
"\n"
"Options:\n"
"  --source LIST        sources, comma-separated: uefi, ima, vtrust or all\n"
"                       (default all)\n"
"  --list FILE          replay FILE ('-': standard input) as the one source\n"
"                       given with --source. For ima and vtrust, a name ending\n"
"                       in _<bank> holds that bank's template digests, any\n"
"                       other SHA-1 ones; the other banks are computed from\n"
"                       the template data. --source ima applies IMA's rule\n"
"                       for violations to it.\n"
"  --bank ALG           replay bank ALG (repeatable; default: every bank the\n"
"                       TPM has): sha1 sha256 sha384 sha512 sm3_256\n"
"  --pcrs SRC           where the PCR values come from: auto (default: the\n"
"                       TPM's sysfs files, and tpm2-tss for banks sysfs does\n"
"                       not show), sysfs, tpm (tpm2-tss ESAPI; TCTI from\n"
"                       $TPM2TOOLS_TCTI or $TCTI, else the default), or FILE:\n"
"                       tpm2_pcrread's output, or lines '<bank> <pcr> <hex>'\n"
"  --pcr N              read and compare PCR N only (repeatable; default:\n"
"                       all 0-23)\n"
"  --json               print a JSON report\n"
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
"  -h, --help           this text\n"
"\n"
VT_EXIT_CODES;

enum pcr_status {
	ST_MATCH,
	ST_PARTIAL,
	ST_MISMATCH,
	ST_UNAVAILABLE,
	ST_UNCHECKED,
};

static const char *const status_names[] = {
	[ST_MATCH] = "match",
	[ST_PARTIAL] = "partial",
	[ST_MISMATCH] = "mismatch",
	[ST_UNAVAILABLE] = "unavailable",
	[ST_UNCHECKED] = "unchecked",
};

/* ---- setup ---- */

int vt_replay_open_pcrs(const char *root, const char *arg,
			struct vt_pcrs **out)
{
	if (!arg || !strcmp(arg, "auto"))
		return vt_pcrs_open_auto(root, out);
	if (!strcmp(arg, "sysfs"))
		return vt_pcrs_open_sysfs(root, out);
	if (!strcmp(arg, "tpm"))
		return vt_pcrs_open_tpm(out);
	return vt_pcrs_open_file(arg, out);
}

static bool pcrs_from_file(const char *arg)
{
	return arg && strcmp(arg, "auto") && strcmp(arg, "sysfs") &&
	       strcmp(arg, "tpm");
}

static int choose_banks(struct replay *r)
{
	const struct vt_replay_opts *o = r->o;
	unsigned int i, n = 0;

	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (o->banks_asked && o->bank_on[i] &&
		    !vt_pcrs_has_bank(r->pcrs, &vt_algs[i])) {
			vt_err(r->pcrs->where, "no %s bank", vt_algs[i].name);
			return VT_EXIT_USAGE;
		}
		r->bank_on[i] = o->banks_asked ? o->bank_on[i] :
				vt_pcrs_has_bank(r->pcrs, &vt_algs[i]);
		n += r->bank_on[i];
	}
	if (!n) {
		vt_err(r->pcrs->where, "no PCR banks");
		return pcrs_from_file(o->pcrs_arg) ? VT_EXIT_USAGE :
		       VT_EXIT_SYSTEM;
	}
	return 0;
}

/* Read every wanted PCR of every bank, before any list is read. */
static void read_pcrs(struct replay *r)
{
	struct pcr_state *st;
	struct bank *b;
	unsigned int i, k;

	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		b = &r->banks[i];
		for (k = 0; k < VT_PCR_COUNT; k++) {
			st = &b->pcr[k];
			st->matched_after = MATCH_NONE;
			st->first_bad = -1;
			st->after_match = -1;
			st->locality = -1;
			if (r->o->any_pcr_opt && !r->o->pcr_wanted[k]) {
				st->read_err = NOT_ASKED;
				continue;
			}
			st->read_err = vt_pcrs_read(r->pcrs, b->alg, k,
						    st->value);
		}
	}
}

static struct pass *new_pass(struct replay *r, enum vt_source src,
			     const char *path, const struct vt_alg *list_alg)
{
	struct pass *ps = &r->passes[r->nr_passes++];

	ps->src = src;
	snprintf(ps->path, sizeof(ps->path), "%s", path);
	ps->list_alg = list_alg;
	ps->first_digest_error = -1;
	ps->locality = -1;
	return ps;
}

/* The list's name in the report. */
const char *vt_rp_pass_name(const struct pass *ps)
{
	return strcmp(ps->path, "-") ? ps->path : "stdin";
}

static void pass_add(struct pass *ps, struct bank *b)
{
	ps->banks[ps->nr_banks++] = b;
	ps->list_digest[b->alg->id] = b->alg == ps->list_alg;
}

/* The passes of one IMA-format source: a list per bank, or one shared. */
static int plan_lists(struct replay *r, enum vt_source src)
{
	const struct vt_alg *dalg;
	struct pass *shared = NULL, *ps, *first;
	char path[PATH_MAX];
	unsigned int i;

	if (r->o->list)
		shared = new_pass(r, src, r->o->list,
				  vt_list_digest_alg(r->o->list));
	first = r->passes + r->nr_passes;
	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		if (shared) {
			pass_add(shared, &r->banks[i]);
			continue;
		}
		if (vt_source_list(src, r->o->root, &vt_algs[i], path,
				   sizeof(path), &dalg)) {
			vt_err(r->o->root, "path too long");
			return VT_EXIT_USAGE;
		}
		if (dalg == &vt_algs[i]) {
			pass_add(new_pass(r, src, path, dalg), &r->banks[i]);
			continue;
		}
		/* IMA's default list serves every bank without its own */
		for (ps = first; ps < r->passes + r->nr_passes; ps++)
			if (!strcmp(ps->path, path))
				break;
		if (ps == r->passes + r->nr_passes)
			ps = new_pass(r, src, path, dalg);
		pass_add(ps, &r->banks[i]);
	}
	return 0;
}

/* Sources in the order they are replayed and reported. */
static const enum vt_source report_order[3] = {
	VT_SOURCE_UEFI, VT_SOURCE_IMA, VT_SOURCE_VTRUST
};

static int plan_passes(struct replay *r)
{
	const struct vt_replay_opts *o = r->o;
	char path[PATH_MAX];
	struct pass *ps;
	enum vt_source src;
	unsigned int i, k;
	int ret;

	for (k = 0; k < 3; k++) {
		src = report_order[k];
		if (!(o->sources & (1U << src)))
			continue;
		if (!o->explicit_sources && !o->list &&
		    !vt_source_present(src, o->root)) {
			r->absent[src] = true;
			if (src == VT_SOURCE_UEFI)
				vt_source_uefi_log(o->root, r->absent_path[src],
						   PATH_MAX);
			else
				vt_path(r->absent_path[src], PATH_MAX, o->root,
					VT_SECURITYFS "/%s",
					vt_source_name(src));
			continue;
		}
		if (src != VT_SOURCE_UEFI) {
			ret = plan_lists(r, src);
			if (ret)
				return ret;
			continue;
		}
		if (o->list) {
			snprintf(path, sizeof(path), "%s", o->list);
		} else if (vt_source_uefi_log(o->root, path, sizeof(path))) {
			vt_err(o->root, "path too long");
			return VT_EXIT_USAGE;
		}
		ps = new_pass(r, src, path, NULL);
		for (i = 0; i < VT_ALG_COUNT; i++)
			if (r->bank_on[i])
				pass_add(ps, &r->banks[i]);
	}
	return 0;
}

static int init_hashes(struct replay *r)
{
	struct pass *ps;
	unsigned int i;
	int ret;

	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		ret = vt_hash_init(&r->banks[i].hash, &vt_algs[i]);
		if (ret)
			return ret;
		r->banks[i].hash_ready = true;
	}
	for (ps = r->passes; ps < r->passes + r->nr_passes; ps++) {
		if (ps->src == VT_SOURCE_UEFI)
			continue;
		for (i = 0; i < ps->nr_banks; i++)
			if (ps->list_digest[ps->banks[i]->alg->id])
				break;
		if (i < ps->nr_banks)
			continue;
		ret = vt_hash_init(&ps->verify, ps->list_alg);
		if (ret)
			return ret;
		ps->have_verify = true;
	}
	return 0;
}

static void free_replay(struct replay *r)
{
	struct pass *ps;
	unsigned int i;

	for (i = 0; i < VT_ALG_COUNT; i++)
		if (r->banks[i].hash_ready)
			vt_hash_free(&r->banks[i].hash);
	for (ps = r->passes; ps < r->passes + r->nr_passes; ps++)
		if (ps->have_verify)
			vt_hash_free(&ps->verify);
	vt_pcrs_close(r->pcrs);
	free(r);
}

/* ---- shared with replay-list.c and replay-uefi.c ---- */

int vt_rp_hash_failed(const struct vt_alg *alg)
{
	vt_err(alg->name, "OpenSSL failed to compute a digest");
	return VT_EXIT_SYSTEM;
}

/* ---- report ---- */

static enum pcr_status pcr_status(const struct bank *b,
				  const struct pcr_state *st)
{
	if (st->read_err == NOT_ASKED)
		return ST_UNCHECKED;
	if (st->read_err)
		return ST_UNAVAILABLE;
	if (st->conflict || st->chain_bad)
		return ST_MISMATCH;
	if (!memcmp(st->run, st->value, b->alg->size))
		return ST_MATCH;
	/* a firmware log does not grow after the boot */
	if (st->matched_after != MATCH_NONE && st->src &&
	    st->src->src != VT_SOURCE_UEFI)
		return ST_PARTIAL;
	return ST_MISMATCH;
}

static const char *read_error(int err)
{
	return err == -EBADMSG ? "not a hex value of the bank's size" :
	       err == -ENOENT ? "no such PCR" : strerror(-err);
}

static bool is_log(const struct pcr_state *st)
{
	return st->src && st->src->src == VT_SOURCE_UEFI;
}

static void print_counts(const struct pcr_state *st)
{
	bool log = is_log(st);

	printf(" (%llu %s", (unsigned long long)st->entries,
	       log ? (st->entries == 1 ? "event" : "events") :
	       (st->entries == 1 ? "entry" : "entries"));
	if (st->violations)
		printf(", %llu violation%s", (unsigned long long)st->violations,
		       st->violations == 1 ? "" : "s");
	if (st->locality > 0)
		printf(", start locality %d", st->locality);
	if (st->skipped)
		printf(", %llu without a digest of this bank",
		       (unsigned long long)st->skipped);
	if (st->from_prior)
		printf(", from prior=");
	if (st->chained)
		printf(" after %llu %s %s",
		       (unsigned long long)st->chained_entries,
		       vt_source_name(st->chained->src),
		       st->chained->src == VT_SOURCE_UEFI ?
		       (st->chained_entries == 1 ? "event" : "events") :
		       (st->chained_entries == 1 ? "entry" : "entries"));
	printf(")");
}

static void print_value(const char *label, const uint8_t *v, unsigned int n)
{
	printf("    %-8s ", label);
	vt_put_hex(stdout, v, n);
	putchar('\n');
}

/* Why a mismatching PCR cannot match, after "; ". */
static void print_culprit(const struct pcr_state *st)
{
	if (st->conflict) {
		printf("the %s and %s lists both extend it, in an order that is unknown",
		       vt_source_name(st->src->src),
		       vt_source_name(st->conflict->src));
	} else if (st->chain_bad) {
		printf("the %s list does not end at the start entry's prior= value",
		       vt_source_name(st->chained->src));
	} else if (is_log(st) && st->after_match >= 0) {
		printf("the log cannot match from %s on", st->after_match_what);
	} else if (is_log(st) && st->first_bad >= 0) {
		printf("the log stops matching at %s (its digest does not match its data)",
		       st->first_bad_what);
	} else if (is_log(st)) {
		printf("the event where the log stops matching is unknown");
	} else if (st->first_bad >= 0) {
		printf("the list stops matching at entry %lld (wrong template digest)",
		       (long long)st->first_bad);
	} else {
		printf("the entry where the list stops matching is unknown");
	}
}

static void print_pcr(const struct bank *b, unsigned int k,
		      const struct pcr_state *st, enum pcr_status s)
{
	unsigned long long left = st->entries - st->matched_entries;

	printf("%-7s PCR %2u: ", b->alg->name, k);
	switch (s) {
	case ST_MATCH:
		printf("match");
		print_counts(st);
		break;
	case ST_PARTIAL:
		if (st->matched_after < 0)
			printf("match before the first entry");
		else
			printf("match up to entry %lld",
			       (long long)st->matched_after);
		print_counts(st);
		printf("; %llu later entr%s added after the PCR was read",
		       left, left == 1 ? "y was" : "ies were");
		break;
	case ST_MISMATCH:
		printf("MISMATCH");
		print_counts(st);
		printf("; ");
		print_culprit(st);
		break;
	case ST_UNAVAILABLE:
		printf("PCR unavailable: %s", read_error(st->read_err));
		print_counts(st);
		break;
	case ST_UNCHECKED:
		printf("not compared");
		print_counts(st);
		break;
	}
	putchar('\n');
	if (s == ST_MISMATCH) {
		print_value("computed", st->run, b->alg->size);
		print_value("PCR", st->value, b->alg->size);
	}
}

static json_object *hex_json(const uint8_t *v, unsigned int n)
{
	char hex[2 * VT_DIGEST_MAX + 1];

	vt_hex(hex, v, n);
	return json_object_new_string(hex);
}

static json_object *culprit_json(const struct pcr_state *st,
				 enum pcr_status s)
{
	if (s != ST_MISMATCH)
		return NULL;
	if (st->conflict)
		return json_object_new_string("conflict");
	if (st->chain_bad)
		return json_object_new_string("prior");
	if (st->after_match >= 0 && is_log(st))
		return json_object_new_string(st->after_match_what);
	if (st->first_bad >= 0 && is_log(st))
		return json_object_new_string(st->first_bad_what);
	return NULL;
}

static json_object *pcr_json(const struct bank *b, unsigned int k,
			     const struct pcr_state *st, enum pcr_status s)
{
	json_object *o = json_object_new_object();
	int64_t first_bad = -1;

	if (!o)
		return NULL;
	if (s == ST_MISMATCH) {
		if (is_log(st) && st->after_match >= 0)
			first_bad = st->after_match;
		else if (st->first_bad >= 0)
			first_bad = st->first_bad;
	}
	json_object_object_add(o, "bank", json_object_new_string(b->alg->name));
	json_object_object_add(o, "pcr", json_object_new_int(k));
	json_object_object_add(o, "status",
			       json_object_new_string(status_names[s]));
	json_object_object_add(o, "source",
			       json_object_new_string(vt_source_name(st->src->src)));
	json_object_object_add(o, "entries",
			       json_object_new_uint64(st->entries));
	json_object_object_add(o, "violations",
			       json_object_new_uint64(st->violations));
	json_object_object_add(o, "from_prior",
			       json_object_new_boolean(st->from_prior));
	json_object_object_add(o, "start_locality", st->locality >= 0 ?
			       json_object_new_int(st->locality) : NULL);
	json_object_object_add(o, "computed", hex_json(st->run, b->alg->size));
	json_object_object_add(o, "value", st->read_err ? NULL :
			       hex_json(st->value, b->alg->size));
	json_object_object_add(o, "matched_through", s == ST_PARTIAL ?
			       json_object_new_int64(st->matched_after) : NULL);
	json_object_object_add(o, "left_out", s == ST_PARTIAL ?
			       json_object_new_uint64(st->entries -
						      st->matched_entries) :
			       NULL);
	json_object_object_add(o, "first_bad_entry", first_bad >= 0 ?
			       json_object_new_int64(first_bad) : NULL);
	json_object_object_add(o, "culprit", culprit_json(st, s));
	json_object_object_add(o, "conflict", st->conflict ?
			       json_object_new_string(vt_source_name(st->conflict->src)) :
			       NULL);
	json_object_object_add(o, "error", s == ST_UNAVAILABLE ?
			       json_object_new_string(read_error(st->read_err)) :
			       NULL);
	json_object_object_add(o, "list",
			       json_object_new_string(vt_rp_pass_name(st->src)));
	return o;
}

static json_object *pass_json(const struct pass *ps)
{
	json_object *o = json_object_new_object(), *banks, *name, *start = NULL;
	unsigned int i;

	if (!o)
		return NULL;
	json_object_object_add(o, "source",
			       json_object_new_string(vt_source_name(ps->src)));
	json_object_object_add(o, "path", json_object_new_string(vt_rp_pass_name(ps)));
	if (ps->src == VT_SOURCE_UEFI) {
		json_object_object_add(o, "format", json_object_new_string(
					       ps->agile ? "crypto-agile" : "sha1"));
		json_object_object_add(o, "algorithms",
				       json_object_new_string(ps->algs));
		json_object_object_add(o, "events",
				       json_object_new_uint64(ps->entries));
		json_object_object_add(o, "not_replayed",
				       json_object_new_uint64(ps->not_replayed));
		json_object_object_add(o, "start_locality", ps->locality >= 0 ?
				       json_object_new_int(ps->locality) : NULL);
	} else {
		json_object_object_add(o, "digest_bank",
				       json_object_new_string(ps->list_alg->name));
		json_object_object_add(o, "entries",
				       json_object_new_uint64(ps->entries));
		json_object_object_add(o, "tpm_bypass",
				       json_object_new_boolean(ps->bypass));
	}
	banks = json_object_new_array();
	for (i = 0; banks && i < ps->nr_banks; i++) {
		if (ps->banks[i]->not_in_log && ps->src == VT_SOURCE_UEFI)
			continue;
		name = json_object_new_string(ps->banks[i]->alg->name);
		json_object_array_add(banks, name);
	}
	json_object_object_add(o, "banks", banks);
	if (ps->start) {
		start = json_object_new_object();
		json_object_object_add(start, "version",
				       json_object_new_int(ps->st.version));
		json_object_object_add(start, "pcr",
				       json_object_new_int(ps->st.pcr));
	}
	if (ps->src != VT_SOURCE_UEFI)
		json_object_object_add(o, "start", start);
	json_object_object_add(o, "digest_errors",
			       json_object_new_uint64(ps->digest_errors));
	json_object_object_add(o, "first_digest_error",
			       ps->first_digest_error >= 0 ?
			       json_object_new_int64(ps->first_digest_error) :
			       NULL);
	return o;
}

static void print_pass(const struct replay *r, const struct pass *ps)
{
	unsigned int i;

	if (ps->src != VT_SOURCE_UEFI) {
		printf("list %s: %llu entr%s", vt_rp_pass_name(ps),
		       (unsigned long long)ps->entries,
		       ps->entries == 1 ? "y" : "ies");
		if (ps->digest_errors)
			printf(", %llu with a wrong template digest (first: entry %lld)",
			       (unsigned long long)ps->digest_errors,
			       (long long)ps->first_digest_error);
		if (ps->bypass)
			printf(", not compared: IMA started without a TPM (its boot_aggregate is zero) and extends no PCR");
		putchar('\n');
		return;
	}
	printf("uefi log %s: %llu event%s (%s: %s)", vt_rp_pass_name(ps),
	       (unsigned long long)ps->entries, ps->entries == 1 ? "" : "s",
	       ps->agile ? "crypto-agile" : "SHA-1 format", ps->algs);
	if (ps->not_replayed)
		printf(", %llu for PCRs above 9 not replayed",
		       (unsigned long long)ps->not_replayed);
	if (ps->digest_errors)
		printf(", %llu whose digest does not match their data (first: event %lld)",
		       (unsigned long long)ps->digest_errors,
		       (long long)ps->first_digest_error);
	putchar('\n');
	for (i = 0; i < VT_ALG_COUNT; i++)
		if (r->bank_on[i] && r->banks[i].not_in_log)
			printf("uefi log %s: no %s digests: that bank's PCRs 0-9 are not compared\n",
			       vt_rp_pass_name(ps), vt_algs[i].name);
}

/* "uefi,ima,vtrust" */
static const char *sources_text(unsigned int sources)
{
	static char text[32];
	size_t n = 0;
	unsigned int i;

	text[0] = '\0';
	for (i = 0; i < 3; i++)
		if (sources & (1U << report_order[i]))
			n += snprintf(text + n, sizeof(text) - n, "%s%s",
				      n ? "," : "",
				      vt_source_name(report_order[i]));
	return text;
}

struct report_state {
	bool mismatch;
	bool unavailable;
	unsigned int used;
	unsigned int compared;
};

static int report_pcrs(struct replay *r, json_object *pcrs, bool text,
		       struct report_state *rs)
{
	const struct vt_replay_opts *o = r->o;
	const struct pcr_state *st;
	const struct bank *b;
	enum pcr_status s;
	json_object *obj;
	unsigned int i, k;

	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		b = &r->banks[i];
		for (k = 0; k < VT_PCR_COUNT; k++) {
			st = &b->pcr[k];
			if (!st->used && !st->chained)
				continue;
			rs->used++;
			s = pcr_status(b, st);
			rs->compared += s == ST_MATCH || s == ST_PARTIAL ||
					s == ST_MISMATCH;
			rs->mismatch |= s == ST_MISMATCH;
			rs->unavailable |= s == ST_UNAVAILABLE;
			if (pcrs) {
				obj = pcr_json(b, k, st, s);
				if (!obj || json_object_array_add(pcrs, obj))
					return -1;
			}
			if (text && (!o->brief || s != ST_MATCH))
				print_pcr(b, k, st, s);
		}
	}
	return 0;
}

static int report(struct replay *r, json_object **out)
{
	const struct vt_replay_opts *o = r->o;
	bool want_json = o->json || out, text = !o->json && !o->quiet;
	json_object *root = NULL, *pcrs = NULL, *lists = NULL, *absent = NULL;
	struct report_state rs = { 0 };
	const struct pass *ps;
	const char *result;
	json_object *obj;
	unsigned int i;
	int ret;

	if (want_json) {
		root = json_object_new_object();
		pcrs = json_object_new_array();
		lists = json_object_new_array();
		absent = json_object_new_array();
		if (!root || !pcrs || !lists || !absent)
			goto oom;
		for (ps = r->passes; ps < r->passes + r->nr_passes; ps++) {
			obj = pass_json(ps);
			if (!obj || json_object_array_add(lists, obj))
				goto oom;
		}
		for (i = 0; i < 3; i++)
			if (r->absent[report_order[i]])
				json_object_array_add(absent,
						      json_object_new_string(vt_source_name(report_order[i])));
	}
	if (text) {
		for (ps = r->passes; ps < r->passes + r->nr_passes; ps++)
			if (!o->brief || ps->digest_errors)
				print_pass(r, ps);
		for (i = 0; i < 3; i++)
			if (r->absent[report_order[i]] && !o->brief)
				printf("%s: absent (no %s)\n",
				       vt_source_name(report_order[i]),
				       r->absent_path[report_order[i]]);
	}
	for (ps = r->passes; ps < r->passes + r->nr_passes; ps++)
		rs.mismatch |= ps->digest_errors > 0 &&
			       ps->src != VT_SOURCE_UEFI;
	if (report_pcrs(r, want_json ? pcrs : NULL, text, &rs))
		goto oom;
	ret = rs.mismatch ? VT_EXIT_MISMATCH :
	      rs.unavailable ? VT_EXIT_SYSTEM : VT_EXIT_OK;
	result = rs.mismatch ? "mismatch" : rs.unavailable ? "unavailable" :
		 "match";
	if (want_json) {
		json_object_object_add(root, "source",
				       json_object_new_string(sources_text(o->sources)));
		json_object_object_add(root, "absent", absent);
		absent = NULL;
		json_object_object_add(root, "result",
				       json_object_new_string(result));
		json_object_object_add(root, "exit", json_object_new_int(ret));
		json_object_object_add(root, "lists", lists);
		json_object_object_add(root, "pcrs", pcrs);
		lists = pcrs = NULL;
	}
	if (want_json && o->json && !o->quiet)
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	if (text) {
		if (!rs.used && !o->brief)
			printf("no entries: nothing to compare\n");
		printf("%s: %s\n", o->brief ? "replay" : "result", result);
	}
	if (out)
		*out = root;
	else
		json_object_put(root);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("replay", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret;
oom:
	json_object_put(root);
	json_object_put(pcrs);
	json_object_put(lists);
	json_object_put(absent);
	vt_err("replay", "out of memory");
	return VT_EXIT_SYSTEM;
}

int vt_replay_run(const struct vt_replay_opts *o, json_object **out)
{
	struct imalog_entry *e = NULL;
	struct replay *r;
	unsigned int i;
	int ret;

	if (out)
		*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r) {
		vt_err("replay", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	r->o = o;
	for (i = 0; i < VT_ALG_COUNT; i++)
		r->banks[i].alg = &vt_algs[i];
	ret = vt_replay_open_pcrs(o->root, o->pcrs_arg, &r->pcrs);
	if (!ret)
		ret = choose_banks(r);
	if (!ret)
		ret = plan_passes(r);
	if (!ret)
		ret = init_hashes(r);
	if (ret)
		goto out;
	/* the PCRs first: a list can only be ahead of them, never behind */
	read_pcrs(r);
	e = malloc(sizeof(*e));
	if (!e) {
		vt_err("replay", "out of memory");
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	for (i = 0; i < r->nr_passes; i++) {
		if (r->passes[i].src == VT_SOURCE_UEFI)
			ret = vt_rp_run_uefi(&r->passes[i]);
		else
			ret = vt_rp_run_list(&r->passes[i], e);
		if (ret)
			goto out;
	}
	ret = report(r, out);
out:
	free(e);
	free_replay(r);
	return ret;
}

/* ---- command ---- */

enum {
	OPT_LIST = 256,
	OPT_SOURCE,
	OPT_BANK,
	OPT_PCRS,
	OPT_PCR,
	OPT_JSON,
	OPT_SYSFS_ROOT,
};

static const struct option replay_options[] = {
	{ "list", required_argument, NULL, OPT_LIST },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "bank", required_argument, NULL, OPT_BANK },
	{ "pcrs", required_argument, NULL, OPT_PCRS },
	{ "pcr", required_argument, NULL, OPT_PCR },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int parse_args(struct vt_replay_opts *o, int argc, char *argv[])
{
	const struct vt_alg *alg;
	unsigned int pcr;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", replay_options, NULL)) != -1) {
		switch (c) {
		case OPT_LIST:
			o->list = optarg;
			break;
		case OPT_SOURCE:
			if (vt_sources_parse(optarg, &o->sources))
				return vt_usage_err("replay", "unknown source '%s'",
						    optarg);
			o->explicit_sources = !!strcmp(optarg, "all");
			break;
		case OPT_BANK:
			alg = vt_alg_find(optarg, strlen(optarg));
			if (!alg)
				return vt_usage_err("replay", "unknown bank '%s'",
						    optarg);
			o->bank_on[alg->id] = true;
			o->banks_asked = true;
			break;
		case OPT_PCRS:
			o->pcrs_arg = optarg;
			break;
		case OPT_PCR:
			if (vt_parse_uint(optarg, VT_PCR_COUNT - 1, &pcr))
				return vt_usage_err("replay",
						    "bad PCR '%s': not 0-%u",
						    optarg, VT_PCR_COUNT - 1);
			o->pcr_wanted[pcr] = true;
			o->any_pcr_opt = true;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_SYSFS_ROOT:
			o->root = optarg;
			break;
		case 'h':
			fputs(replay_usage, stdout);
			return -1;
		default:
			return vt_bad_option("replay", c, argv);
		}
	}
	if (optind < argc)
		return vt_usage_err("replay", "unexpected argument '%s'",
				    argv[optind]);
	/* a list file without --source is vtrust's, as it always was */
	if (o->list && !o->explicit_sources)
		o->sources = 1U << VT_SOURCE_VTRUST;
	if (o->list && (o->sources & (o->sources - 1)))
		return vt_usage_err("replay",
				    "--list needs one source: --source uefi, ima or vtrust");
	return 0;
}

int cmd_replay(int argc, char *argv[])
{
	struct vt_replay_opts o = {
		.root = "/",
		.sources = VT_SOURCES_ALL,
	};
	int ret;

	ret = parse_args(&o, argc, argv);
	if (ret)
		return ret < 0 ? VT_EXIT_OK : ret;
	return vt_replay_run(&o, NULL);
}
