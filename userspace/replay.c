// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrust replay: recompute the PCR values that the firmware event log and
 * the measurement lists imply, and compare them with the TPM's.
 */
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "algs.h"
#include "baseline.h"
#include "collect.h"
#include "hex.h"
#include "names.h"
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
"TPM's value. The TPM decides what is checked: every bank it has, every PCR\n"
"a source extends, and (with every source) every PCR that is not in its\n"
"reset state although no source explains it.\n"
"\n"
"  uefi    <securityfs>/tpm0/binary_bios_measurements, the firmware's TCG\n"
"          event log (crypto-agile or SHA-1), replayed into every PCR it\n"
"          names; PCRs 0-9 are compared with or without events. A bank the\n"
"          TPM has and the log lacks is unverifiable; an event whose data\n"
"          contradicts its digest where the TCG defines the digest as one of\n"
"          the data (EV_SEPARATOR, EV_EFI_ACTION, UEFI variables, ...) means\n"
"          the log was edited; an error separator is a problem. EV_NO_ACTION\n"
"          events are not extended; a StartupLocality event with locality 3\n"
"          (or 4) makes PCR 0 start at 00..03 (00..04).\n"
"  ima     IMA's default list and its per-bank lists\n"
"          (binary_runtime_measurements_<B>) where the kernel has them, read\n"
"          together once: their entries must agree. A bank without a list of\n"
"          its own gets B(template data), or, if only that matches, IMA's\n"
"          zero-padded SHA-1 digest (a bank IMA had no hash for: it carries\n"
"          SHA-1 strength only). A violation is extended as all 0xff. A zero\n"
"          boot_aggregate (IMA without a TPM) is believed only if PCR 10 is\n"
"          zero in every bank.\n"
"  vtrust  vtrust's default list and binary_runtime_measurements_<B> for\n"
"          every bank B, read together once. The start entry's prior= value\n"
"          counts only where it is what the sources replayed before leave in\n"
"          the PCR (zero, or the firmware log's events of that PCR): else the\n"
"          history before vtrust started is unverifiable. Its aggregate= must\n"
"          be the digest of PCRs 0-9. list-full, unhooked:,\n"
"          resident-bpf-unsafe: and extend-failed: entries are gaps.\n"
"\n"
"By default (--source all) every source the kernel shows is replayed and a\n"
"source it does not show is reported as absent. A source named with\n"
"--source must be there.\n"
"\n"
"The PCRs are read before the lists. When entries were added to a list after\n"
"its PCR was read, the replay reports a match up to the last entry the PCR\n"
"covers and how many entries came later; that point must lie at or after\n"
"the list's first entry. On a mismatch it names the first event or entry\n"
"from which the PCR can no longer match, or says that it is unknown.\n"
"\n"
"The text report is a table, a row per PCR and a column per bank; -v gives\n"
"a paragraph per PCR. Problems are listed after it.\n"
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
"  -v, --verbose        a paragraph per PCR instead of the table\n"
"  --json               print a JSON report\n"
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 match, 1 mismatch or unverifiable (nothing compared\n"
"included), 2 bad usage or input, 3 system error (a PCR unreadable).\n";

enum pcr_status {
	ST_MATCH,
	ST_PARTIAL,
	ST_MISMATCH,
	ST_UNVERIFIABLE,
	ST_UNEXPLAINED,
	ST_UNAVAILABLE,
	ST_UNCHECKED,
};

static const char *const status_names[] = {
	[ST_MATCH] = "match",
	[ST_PARTIAL] = "partial",
	[ST_MISMATCH] = "mismatch",
	[ST_UNVERIFIABLE] = "unverifiable",
	[ST_UNEXPLAINED] = "unexplained",
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
		return o->pcr_table || pcrs_from_file(o->pcrs_arg) ?
		       VT_EXIT_USAGE :
		       VT_EXIT_SYSTEM;
	}
	return 0;
}

/* Read every wanted PCR of every bank, before any list is read. */
static int read_pcrs(struct replay *r)
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
			st->r.matched_after = MATCH_NONE;
			st->r.after_match = -1;
			st->first_bad = -1;
			st->locality = -1;
			if (r->o->any_pcr_opt && !r->o->pcr_wanted[k]) {
				st->read_err = NOT_ASKED;
				continue;
			}
			st->read_err = vt_pcrs_read(r->pcrs, b->alg, k,
						    st->value);
			if (r->coll &&
			    vt_collect_pcr(r->coll, b->alg, k,
					   st->read_err ? NULL : st->value)) {
				vt_err("replay", "out of memory");
				return VT_EXIT_SYSTEM;
			}
		}
	}
	return 0;
}

static struct pass *new_pass(struct replay *r, enum vt_source src,
			     const char *path)
{
	struct pass *ps = &r->passes[r->nr_passes++];
	unsigned int i;

	ps->src = src;
	snprintf(ps->path, sizeof(ps->path), "%s", path);
	ps->first_digest_error = -1;
	ps->disagree = -1;
	ps->verified = -1;
	ps->locality = -1;
	for (i = 0; i < VT_ALG_COUNT; i++)
		if (r->bank_on[i])
			ps->banks[ps->nr_banks++] = &r->banks[i];
	return ps;
}

/* The list's name in the report. */
const char *vt_rp_pass_name(const struct pass *ps)
{
	return strcmp(ps->path, "-") ? ps->path : "stdin";
}

static int add_file(struct pass *ps, const char *path,
		    const struct vt_alg *alg)
{
	struct list_file *f = &ps->files[ps->nr_files++];

	snprintf(f->path, sizeof(f->path), "%s", path);
	f->alg = alg;
	if (ps->nr_files == 1)
		snprintf(ps->path, sizeof(ps->path), "%s", path);
	return 0;
}

/*
 * The files of one IMA-format source, read together: the default list and
 * every bank's own list that the kernel shows; --list: that one file.
 */
static int plan_list(struct replay *r, enum vt_source src)
{
	const struct vt_alg *dalg;
	char path[PATH_MAX];
	struct pass *ps;
	unsigned int i;

	ps = new_pass(r, src, r->o->list ? r->o->list : "");
	ps->files = calloc(LIST_FILES_MAX, sizeof(*ps->files));
	if (!ps->files) {
		vt_err("replay", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	if (r->o->list) {
		dalg = vt_list_digest_alg(r->o->list);
		add_file(ps, r->o->list, dalg);
		if (r->bank_on[dalg->id])
			ps->bank_file[dalg->id] = &ps->files[0];
		return 0;
	}
	if (vt_source_list(src, r->o->root, NULL, path, sizeof(path), &dalg))
		goto too_long;
	if (vt_exists(path) || src == VT_SOURCE_IMA) {
		add_file(ps, path, dalg);
		if (r->bank_on[dalg->id])
			ps->bank_file[dalg->id] = &ps->files[0];
	}
	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		if (vt_source_list(src, r->o->root, &vt_algs[i], path,
				   sizeof(path), &dalg))
			goto too_long;
		/* no list of its own (IMA's default file is SHA-1's) */
		if (dalg != &vt_algs[i] ||
		    (ps->nr_files && !strcmp(path, ps->files[0].path)))
			continue;
		ps->bank_file[i] = &ps->files[ps->nr_files];
		add_file(ps, path, dalg);
	}
	return 0;
too_long:
	vt_err(r->o->root, "path too long");
	return VT_EXIT_USAGE;
}

/* Sources in the order they are replayed and reported. */
static const enum vt_source report_order[3] = {
	VT_SOURCE_UEFI, VT_SOURCE_IMA, VT_SOURCE_VTRUST
};

static int plan_passes(struct replay *r)
{
	const struct vt_replay_opts *o = r->o;
	char path[PATH_MAX];
	enum vt_source src;
	unsigned int k;
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
			ret = plan_list(r, src);
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
		new_pass(r, src, path);
	}
	return 0;
}

static int init_hashes(struct replay *r)
{
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
	return 0;
}

static void free_replay(struct replay *r)
{
	struct pass *ps;
	unsigned int i;

	for (i = 0; i < VT_ALG_COUNT; i++)
		if (r->banks[i].hash_ready)
			vt_hash_free(&r->banks[i].hash);
	for (ps = r->passes; ps < r->passes + r->nr_passes; ps++) {
		for (i = 0; i < VT_ALG_COUNT; i++)
			if (ps->fhash_ready[i])
				vt_hash_free(&ps->fhash[i]);
		free(ps->files);
	}
	free(r->problems);
	vt_pcrs_close(r->pcrs);
	free(r);
}

/* ---- shared with replay-list.c and replay-uefi.c ---- */

int vt_rp_hash_failed(const struct vt_alg *alg)
{
	vt_err(alg->name, "OpenSSL failed to compute a digest");
	return VT_EXIT_SYSTEM;
}

int vt_rp_problem(struct replay *r, enum vt_source src, int pcr,
		  const char *kind, bool mismatch, const char *fmt, ...)
{
	struct vt_problem *p;
	char raw[sizeof(p->text)];
	va_list ap;
	size_t cap;

	if (r->nr_problems == r->cap_problems) {
		cap = r->cap_problems ? 2 * r->cap_problems : 8;
		p = realloc(r->problems, cap * sizeof(*p));
		if (!p) {
			vt_err("replay", "out of memory");
			return VT_EXIT_SYSTEM;
		}
		r->problems = p;
		r->cap_problems = cap;
	}
	p = &r->problems[r->nr_problems++];
	p->src = src;
	p->pcr = pcr;
	p->kind = kind;
	p->mismatch = mismatch;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* paths and names in it come from outside: text and JSON get them safe */
	if (vt_name_valid(raw, strlen(raw), sizeof(p->text) - 1))
		memcpy(p->text, raw, strlen(raw) + 1);
	else
		vt_name_escape((const uint8_t *)raw, strlen(raw), p->text,
			       sizeof(p->text) - 1, NULL);
	return 0;
}

void vt_rp_touch(struct pcr_state *st, const struct pass *ps,
		 const struct vt_alg *alg)
{
	if (st->src == ps)
		return;
	if (st->src && st->src->src != VT_SOURCE_UEFI) {
		if (!st->conflict)
			st->conflict = ps;
		return;
	}
	/* a list after the firmware log starts from the log's value */
	if (st->src) {
		st->chained = st->src;
		st->chained_entries = st->entries;
		st->entries = 0;
	}
	st->src = ps;
	st->used = true;
	/*
	 * IMA pads SHA-1 into a bank whose hash it could not allocate at its
	 * start. SHA-1 is IMA's own; SHA-256 is built in wherever it is IMA's
	 * default hash (IMA_DEFAULT_HASH_SHA256 needs CRYPTO_SHA256=y), as on
	 * every kernel vtrust supports: those two are never padded.
	 */
	st->alt_on = ps->src == VT_SOURCE_IMA && alg->id != VT_ALG_SHA1 &&
		     alg->id != VT_ALG_SHA256 && !ps->bank_file[alg->id];
	vt_rp_run_reset(st, &st->r, alg);
	if (st->alt_on)
		st->alt = st->r;
}

int vt_rp_extend(struct bank *b, struct pcr_state *st, struct run *run,
		 const uint8_t *digest, int64_t index, uint64_t entries)
{
	if (vt_rp_at(st, run->value, b->alg))
		run->after_match = index;
	if (vt_hash_extend(&b->hash, run->value, digest))
		return vt_rp_hash_failed(b->alg);
	if (vt_rp_at(st, run->value, b->alg)) {
		run->matched_after = index;
		run->matched_entries = entries;
	}
	return 0;
}

/* ---- report ---- */

static bool is_log(const struct pcr_state *st)
{
	return st->src && st->src->src == VT_SOURCE_UEFI;
}

/* Zero, or all 0xff (PCRs 17-22 before a D-RTM launch). */
static bool reset_value(const struct bank *b, const struct pcr_state *st)
{
	return vt_all_bytes(st->value, b->alg->size, 0) ||
	       vt_all_bytes(st->value, b->alg->size, 0xff);
}

static enum pcr_status pcr_status(const struct replay *r, const struct bank *b,
				  const struct pcr_state *st)
{
	if (st->read_err == NOT_ASKED)
		return ST_UNCHECKED;
	if (st->read_err)
		return ST_UNAVAILABLE;
	if (!st->src)
		return reset_value(b, st) ? ST_UNCHECKED : ST_UNEXPLAINED;
	if (st->conflict)
		return ST_MISMATCH;
	if (st->prior_bad || st->skipped || (is_log(st) && b->not_in_log))
		return ST_UNVERIFIABLE;
	if (!memcmp(st->r.value, st->value, b->alg->size))
		return ST_MATCH;
	/* a firmware log does not grow after the boot */
	if (st->r.matched_after >= 0 && !is_log(st))
		return ST_PARTIAL;
	(void)r;
	return ST_MISMATCH;
}

static const char *read_error(int err)
{
	return err == -EBADMSG ? "not a hex value of the bank's size" :
	       err == -ENOENT ? "no such PCR" : strerror(-err);
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
	if (st->padded)
		printf(", padded SHA-1: SHA-1 strength only");
	if (st->chained)
		printf(" after %llu uefi event%s",
		       (unsigned long long)st->chained_entries,
		       st->chained_entries == 1 ? "" : "s");
	printf(")");
}

static void print_value(const char *label, const uint8_t *v, unsigned int n)
{
	printf("    %-8s ", label);
	vt_put_hex(stdout, v, n);
	putchar('\n');
}

/* Why a PCR cannot match, after "; ". */
static void print_culprit(const struct bank *b, const struct pcr_state *st,
			  enum pcr_status s)
{
	if (s == ST_UNEXPLAINED) {
		printf("it was extended, but no source that was read explains it");
	} else if (s == ST_UNVERIFIABLE) {
		/* to the PCR, or to it and on (entries added after it was read) */
		if (st->prior_bad && (vt_rp_at(st, st->r.value, b->alg) ||
				      st->r.matched_after != MATCH_NONE))
			printf("the list replays from prior= to the PCR, but ");
		printf("%s", st->prior_bad ?
		       "history before vtrust started is unverifiable" :
		       b->not_in_log ? "the firmware log has no digests of this bank" :
		       "events without a digest of this bank");
	} else if (st->conflict) {
		printf("the %s and %s lists both extend it, in an order that is unknown",
		       vt_source_name(st->src->src),
		       vt_source_name(st->conflict->src));
	} else if (is_log(st) && st->r.after_match >= 0) {
		printf("the log cannot match from %s on", st->after_match_what);
	} else if (is_log(st) && st->first_bad >= 0) {
		printf("the log stops matching at %s (its digest does not match its data)",
		       st->first_bad_what);
	} else if (is_log(st)) {
		printf("the event where the log stops matching is unknown");
	} else if (st->first_bad >= 0) {
		printf("the list stops matching at entry %lld (wrong template digest)",
		       (long long)st->first_bad);
	} else if (st->r.after_match >= 0) {
		printf("the list cannot match from entry %lld on",
		       (long long)st->r.after_match);
	} else {
		printf("the entry where the list stops matching is unknown");
	}
}

static void print_pcr(const struct bank *b, unsigned int k,
		      const struct pcr_state *st, enum pcr_status s)
{
	unsigned long long left = st->entries - st->r.matched_entries;

	printf("%-7s PCR %2u: ", b->alg->name, k);
	switch (s) {
	case ST_MATCH:
		printf("match");
		print_counts(st);
		break;
	case ST_PARTIAL:
		printf("match up to entry %lld", (long long)st->r.matched_after);
		print_counts(st);
		printf("; %llu later entr%s added after the PCR was read",
		       left, left == 1 ? "y was" : "ies were");
		break;
	case ST_MISMATCH:
	case ST_UNVERIFIABLE:
	case ST_UNEXPLAINED:
		printf("%s", s == ST_MISMATCH ? "MISMATCH" :
		       s == ST_UNEXPLAINED ? "UNEXPLAINED" : "UNVERIFIABLE");
		if (st->src)
			print_counts(st);
		printf("; ");
		print_culprit(b, st, s);
		break;
	case ST_UNAVAILABLE:
		printf("PCR unavailable: %s", read_error(st->read_err));
		if (st->src)
			print_counts(st);
		break;
	case ST_UNCHECKED:
		printf("not compared");
		if (st->src)
			print_counts(st);
		break;
	}
	putchar('\n');
	if (s == ST_MISMATCH || s == ST_UNEXPLAINED) {
		if (st->src)
			print_value("computed", st->r.value, b->alg->size);
		print_value("PCR", st->value, b->alg->size);
	}
}

static json_object *culprit_json(const struct pcr_state *st,
				 enum pcr_status s)
{
	if (s == ST_UNVERIFIABLE)
		return json_object_new_string(st->prior_bad ? "prior" :
					      "bank");
	if (s == ST_UNEXPLAINED)
		return json_object_new_string("unexplained");
	if (s != ST_MISMATCH)
		return NULL;
	if (st->conflict)
		return json_object_new_string("conflict");
	if (st->r.after_match >= 0 && is_log(st))
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
		if (st->r.after_match >= 0)
			first_bad = st->r.after_match;
		else if (st->first_bad >= 0)
			first_bad = st->first_bad;
	}
	json_object_object_add(o, "bank", json_object_new_string(b->alg->name));
	json_object_object_add(o, "pcr", json_object_new_int(k));
	json_object_object_add(o, "status",
			       json_object_new_string(status_names[s]));
	json_object_object_add(o, "source", st->src ?
			       json_object_new_string(vt_source_name(st->src->src)) :
			       NULL);
	json_object_object_add(o, "entries",
			       json_object_new_uint64(st->entries));
	json_object_object_add(o, "violations",
			       json_object_new_uint64(st->violations));
	json_object_object_add(o, "from_prior",
			       json_object_new_boolean(st->from_prior));
	json_object_object_add(o, "padded_sha1",
			       json_object_new_boolean(st->padded));
	json_object_object_add(o, "chained_uefi_events", st->chained ?
			       json_object_new_uint64(st->chained_entries) :
			       NULL);
	json_object_object_add(o, "start_locality", st->locality >= 0 ?
			       json_object_new_int(st->locality) : NULL);
	json_object_object_add(o, "computed", st->src ?
			       vt_json_hex(st->r.value, b->alg->size) : NULL);
	json_object_object_add(o, "value", st->read_err ? NULL :
			       vt_json_hex(st->value, b->alg->size));
	json_object_object_add(o, "matched_through", s == ST_PARTIAL ?
			       json_object_new_int64(st->r.matched_after) :
			       NULL);
	json_object_object_add(o, "left_out", s == ST_PARTIAL ?
			       json_object_new_uint64(st->entries -
						      st->r.matched_entries) :
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
	json_object_object_add(o, "list", st->src ?
			       vt_json_text(vt_rp_pass_name(st->src)) : NULL);
	return o;
}

static json_object *pass_json(const struct pass *ps)
{
	json_object *o = json_object_new_object(), *arr, *start = NULL;
	unsigned int i;

	if (!o)
		return NULL;
	json_object_object_add(o, "source",
			       json_object_new_string(vt_source_name(ps->src)));
	json_object_object_add(o, "path", vt_json_text(vt_rp_pass_name(ps)));
	if (ps->src == VT_SOURCE_UEFI) {
		json_object_object_add(o, "format", json_object_new_string(
					       ps->agile ? "crypto-agile" : "sha1"));
		json_object_object_add(o, "algorithms",
				       json_object_new_string(ps->algs));
		json_object_object_add(o, "events",
				       json_object_new_uint64(ps->entries));
		json_object_object_add(o, "start_locality", ps->locality >= 0 ?
				       json_object_new_int(ps->locality) : NULL);
	} else {
		arr = json_object_new_array();
		for (i = 0; arr && i < ps->nr_files; i++)
			json_object_array_add(arr,
					      vt_json_text(ps->files[i].path));
		json_object_object_add(o, "files", arr);
		json_object_object_add(o, "entries",
				       json_object_new_uint64(ps->entries));
		json_object_object_add(o, "verified_through",
				       json_object_new_int64(ps->verified));
		json_object_object_add(o, "tpm_bypass",
				       json_object_new_boolean(ps->bypass));
		if (ps->start) {
			start = json_object_new_object();
			json_object_object_add(start, "version",
					       json_object_new_int(ps->st.version));
			json_object_object_add(start, "pcr",
					       json_object_new_int(ps->st.pcr));
		}
		json_object_object_add(o, "start", start);
	}
	arr = json_object_new_array();
	for (i = 0; arr && i < ps->nr_banks; i++) {
		if (ps->banks[i]->not_in_log && ps->src == VT_SOURCE_UEFI)
			continue;
		json_object_array_add(arr, json_object_new_string(
					      ps->banks[i]->alg->name));
	}
	json_object_object_add(o, "banks", arr);
	json_object_object_add(o, "digest_errors",
			       json_object_new_uint64(ps->digest_errors));
	json_object_object_add(o, "first_digest_error",
			       ps->first_digest_error >= 0 ?
			       json_object_new_int64(ps->first_digest_error) :
			       NULL);
	return o;
}

static json_object *problem_json(const struct vt_problem *p)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "source",
			       json_object_new_string(vt_source_name(p->src)));
	json_object_object_add(o, "pcr", p->pcr >= 0 ?
			       json_object_new_int(p->pcr) : NULL);
	json_object_object_add(o, "kind", json_object_new_string(p->kind));
	json_object_object_add(o, "text", vt_json_text(p->text));
	return o;
}

static void print_pass(const struct pass *ps)
{
	if (ps->src != VT_SOURCE_UEFI) {
		printf("%s list %s", vt_source_name(ps->src),
		       vt_rp_pass_name(ps));
		if (ps->nr_files > 1)
			printf(" and %u per-bank lists", ps->nr_files - 1);
		printf(": %llu entr%s", (unsigned long long)ps->entries,
		       ps->entries == 1 ? "y" : "ies");
		if (ps->verified + 1 < (int64_t)ps->entries && !ps->bypass)
			printf(", the PCRs cover %lld",
			       (long long)(ps->verified + 1));
		if (ps->digest_errors)
			printf(", %llu with a wrong template digest (first: entry %lld)",
			       (unsigned long long)ps->digest_errors,
			       (long long)ps->first_digest_error);
		putchar('\n');
		return;
	}
	printf("uefi log %s: %llu event%s (%s: %s)", vt_rp_pass_name(ps),
	       (unsigned long long)ps->entries, ps->entries == 1 ? "" : "s",
	       ps->agile ? "crypto-agile" : "SHA-1 format", ps->algs);
	if (ps->digest_errors)
		printf(", %llu whose digest does not match their data (first: event %lld)",
		       (unsigned long long)ps->digest_errors,
		       (long long)ps->first_digest_error);
	putchar('\n');
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
	bool unverifiable;
	bool unavailable;
	unsigned int used;
	unsigned int compared;
	enum pcr_status st[VT_PCR_COUNT][VT_ALG_COUNT];
	bool row[VT_PCR_COUNT];
};

/* Is PCR @k of bank @b part of the report? */
static bool reported(const struct replay *r, const struct bank *b,
		     const struct pcr_state *st, enum pcr_status s)
{
	if (st->src)
		return true;
	if (st->read_err == NOT_ASKED)
		return false;
	/* unexplained values count only when every source was read */
	return s == ST_UNEXPLAINED && r->o->sources == VT_SOURCES_ALL &&
	       !r->o->list;
	(void)b;
}

static void tally(struct replay *r, struct report_state *rs)
{
	const struct pcr_state *st;
	const struct bank *b;
	enum pcr_status s;
	unsigned int i, k;

	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		b = &r->banks[i];
		for (k = 0; k < VT_PCR_COUNT; k++) {
			st = &b->pcr[k];
			s = pcr_status(r, b, st);
			if (!reported(r, b, st, s)) {
				rs->st[k][i] = ST_UNCHECKED;
				continue;
			}
			rs->st[k][i] = s;
			rs->row[k] = true;
			rs->used++;
			rs->compared += s == ST_MATCH || s == ST_PARTIAL;
			rs->mismatch |= s == ST_MISMATCH || s == ST_UNEXPLAINED;
			rs->unverifiable |= s == ST_UNVERIFIABLE;
			rs->unavailable |= s == ST_UNAVAILABLE;
		}
	}
}

static int pcrs_json(struct replay *r, const struct report_state *rs,
		     json_object *pcrs)
{
	json_object *obj;
	unsigned int i, k;

	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		for (k = 0; k < VT_PCR_COUNT; k++) {
			if (!rs->row[k] || (rs->st[k][i] == ST_UNCHECKED &&
					    !r->banks[i].pcr[k].src))
				continue;
			obj = pcr_json(&r->banks[i], k, &r->banks[i].pcr[k],
				       rs->st[k][i]);
			if (!obj || json_object_array_add(pcrs, obj))
				return -1;
		}
	}
	return 0;
}

static const char *const cell_names[] = {
	[ST_MATCH] = "match",
	[ST_PARTIAL] = "match+",
	[ST_MISMATCH] = "MISMATCH",
	[ST_UNVERIFIABLE] = "UNVERIF",
	[ST_UNEXPLAINED] = "UNEXPL",
	[ST_UNAVAILABLE] = "n/a",
	[ST_UNCHECKED] = "-",
};

/* The table: a row per PCR, a column per bank. */
static void print_table(struct replay *r, const struct report_state *rs)
{
	const struct pcr_state *st;
	const char *src;
	unsigned int i, k;
	bool padded = false, partial = false;

	printf("PCR  source ");
	for (i = 0; i < VT_ALG_COUNT; i++)
		if (r->bank_on[i])
			printf(" %-9s", vt_algs[i].name);
	putchar('\n');
	for (k = 0; k < VT_PCR_COUNT; k++) {
		if (!rs->row[k])
			continue;
		src = "-";
		for (i = 0; i < VT_ALG_COUNT; i++)
			if (r->bank_on[i] && r->banks[i].pcr[k].src)
				src = vt_source_name(r->banks[i].pcr[k].src->src);
		printf("%3u  %-7s", k, src);
		for (i = 0; i < VT_ALG_COUNT; i++) {
			if (!r->bank_on[i])
				continue;
			st = &r->banks[i].pcr[k];
			printf(" %-9s", st->padded && rs->st[k][i] == ST_MATCH ?
			       "match*" : cell_names[rs->st[k][i]]);
			padded |= st->padded;
			partial |= rs->st[k][i] == ST_PARTIAL;
		}
		putchar('\n');
	}
	if (partial)
		printf("match+: matches up to the last entry the PCR covers; later entries came after it was read\n");
	if (padded)
		printf("match*: IMA extended zero-padded SHA-1 into this bank: SHA-1 strength only\n");
}

static void print_problems(const struct replay *r)
{
	const struct vt_problem *p;

	if (!r->nr_problems)
		return;
	printf("problems:\n");
	for (p = r->problems; p < r->problems + r->nr_problems; p++) {
		printf("  %s", vt_source_name(p->src));
		if (p->pcr >= 0)
			printf(" PCR %d", p->pcr);
		printf(": %s: %s\n", p->kind, p->text);
	}
}

/* The per-PCR lines: all (-v), or only those that are not a match. */
static void print_pcrs(struct replay *r, const struct report_state *rs,
		       bool all)
{
	unsigned int i, k;
	enum pcr_status s;

	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		for (k = 0; k < VT_PCR_COUNT; k++) {
			s = rs->st[k][i];
			if (!rs->row[k] || (s == ST_UNCHECKED &&
					    !r->banks[i].pcr[k].src))
				continue;
			if (all || (s != ST_MATCH && s != ST_PARTIAL &&
				    s != ST_UNCHECKED))
				print_pcr(&r->banks[i], k, &r->banks[i].pcr[k],
					  s);
		}
	}
}

/* verify's note on banks that IMA filled with padded SHA-1. */
static void print_padded(const struct replay *r)
{
	unsigned int i, k;

	for (i = 0; i < VT_ALG_COUNT; i++)
		for (k = 0; r->bank_on[i] && k < VT_PCR_COUNT; k++)
			if (r->banks[i].pcr[k].padded)
				printf("note: %s PCR %u holds IMA's zero-padded SHA-1 digests: SHA-1 strength only\n",
				       vt_algs[i].name, k);
}

static void print_text(struct replay *r, const struct report_state *rs)
{
	const struct vt_replay_opts *o = r->o;
	const struct pass *ps;
	unsigned int i;

	if (!o->brief) {
		for (ps = r->passes; ps < r->passes + r->nr_passes; ps++)
			print_pass(ps);
		for (i = 0; i < 3; i++)
			if (r->absent[report_order[i]])
				printf("%s: absent (no %s)\n",
				       vt_source_name(report_order[i]),
				       r->absent_path[report_order[i]]);
	}
	if (o->verbose)
		print_pcrs(r, rs, true);
	else if (!o->brief && rs->used)
		print_table(r, rs);
	if (!o->verbose)
		print_pcrs(r, rs, false);
	if (o->brief)
		print_padded(r);
	print_problems(r);
	if (!rs->compared)
		printf("nothing was compared with the TPM\n");
}

static int report(struct replay *r, struct vt_replay_out *out)
{
	const struct vt_replay_opts *o = r->o;
	bool want_json = o->json || out, text = !o->json && !o->quiet;
	json_object *root = NULL, *pcrs = NULL, *lists = NULL, *absent = NULL;
	json_object *probs = NULL, *obj;
	struct report_state *rs;
	const struct pass *ps;
	const char *result;
	bool mismatch;
	unsigned int i;
	size_t n;
	int ret;

	rs = calloc(1, sizeof(*rs));
	if (!rs)
		goto oom;
	tally(r, rs);
	mismatch = rs->mismatch;
	for (ps = r->passes; ps < r->passes + r->nr_passes; ps++)
		mismatch |= ps->digest_errors > 0 && ps->src != VT_SOURCE_UEFI;
	for (n = 0; n < r->nr_problems; n++)
		mismatch |= r->problems[n].mismatch;
	ret = mismatch || rs->unverifiable ? VT_EXIT_MISMATCH :
	      rs->unavailable ? VT_EXIT_SYSTEM :
	      !rs->compared ? VT_EXIT_MISMATCH : VT_EXIT_OK;
	result = mismatch ? "mismatch" : rs->unverifiable ? "unverifiable" :
		 rs->unavailable ? "unavailable" :
		 !rs->compared ? "unverifiable" : "match";
	if (want_json) {
		root = json_object_new_object();
		pcrs = json_object_new_array();
		lists = json_object_new_array();
		absent = json_object_new_array();
		probs = json_object_new_array();
		if (!root || !pcrs || !lists || !absent || !probs)
			goto oom;
		for (ps = r->passes; ps < r->passes + r->nr_passes; ps++) {
			obj = pass_json(ps);
			if (!obj || json_object_array_add(lists, obj))
				goto oom;
		}
		for (n = 0; n < r->nr_problems; n++) {
			obj = problem_json(&r->problems[n]);
			if (!obj || json_object_array_add(probs, obj))
				goto oom;
		}
		for (i = 0; i < 3; i++)
			if (r->absent[report_order[i]])
				json_object_array_add(absent,
						      json_object_new_string(vt_source_name(report_order[i])));
		if (pcrs_json(r, rs, pcrs))
			goto oom;
		json_object_object_add(root, "source",
				       json_object_new_string(sources_text(o->sources)));
		json_object_object_add(root, "absent", absent);
		json_object_object_add(root, "result",
				       json_object_new_string(result));
		json_object_object_add(root, "exit", json_object_new_int(ret));
		json_object_object_add(root, "compared",
				       json_object_new_uint64(rs->compared));
		json_object_object_add(root, "problems", probs);
		json_object_object_add(root, "lists", lists);
		json_object_object_add(root, "pcrs", pcrs);
		absent = lists = pcrs = probs = NULL;
	}
	if (want_json && o->json && !o->quiet)
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	if (text) {
		print_text(r, rs);
		printf("%s: %s\n", o->brief ? "replay" : "result", result);
	}
	free(rs);
	if (out) {
		out->report = root;
		out->problems = r->nr_problems;
	} else {
		json_object_put(root);
	}
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("replay", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret;
oom:
	free(rs);
	json_object_put(root);
	json_object_put(pcrs);
	json_object_put(lists);
	json_object_put(absent);
	json_object_put(probs);
	vt_err("replay", "out of memory");
	return VT_EXIT_SYSTEM;
}

/* A JSON error object for --json runs that end before the report. */
static void json_error(int ret)
{
	json_object *root = json_object_new_object();

	if (!root)
		return;
	json_object_object_add(root, "result", json_object_new_string("error"));
	json_object_object_add(root, "exit", json_object_new_int(ret));
	json_object_object_add(root, "error", vt_json_text(vt_last_error()));
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

int vt_replay_run(const struct vt_replay_opts *o, struct vt_replay_out *out)
{
	struct replay *r;
	unsigned int i;
	int ret;

	if (out) {
		out->report = NULL;
		out->problems = 0;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		vt_err("replay", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	r->o = o;
	r->coll = out ? out->coll : NULL;
	for (i = 0; i < VT_ALG_COUNT; i++)
		r->banks[i].alg = &vt_algs[i];
	ret = o->pcr_table ? vt_pcrs_open_table(o->pcr_table, "the quote",
						&r->pcrs) :
	      vt_replay_open_pcrs(o->root, o->pcrs_arg, &r->pcrs);
	if (!ret)
		ret = choose_banks(r);
	if (!ret)
		ret = plan_passes(r);
	if (!ret)
		ret = init_hashes(r);
	/* the PCRs first: a list can only be ahead of them, never behind */
	if (!ret)
		ret = read_pcrs(r);
	for (i = 0; !ret && i < r->nr_passes; i++) {
		if (r->passes[i].src == VT_SOURCE_UEFI)
			ret = vt_rp_run_uefi(r, &r->passes[i]);
		else
			ret = vt_rp_run_list(r, &r->passes[i]);
	}
	/* a source that was not read is null in the collected document */
	if (!ret)
		ret = report(r, out);
	else if (o->json && !o->quiet)
		json_error(ret);
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
	{ "verbose", no_argument, NULL, 'v' },
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
	while ((c = getopt_long(argc, argv, ":hv", replay_options, NULL)) != -1) {
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
		case 'v':
			o->verbose = true;
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
