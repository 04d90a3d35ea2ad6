// SPDX-License-Identifier: GPL-2.0
/*
 * vtrust replay: recompute the PCR values a measurement list implies and
 * compare them with the TPM's.
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
#include "sources.h"
#include "start.h"
#include "util.h"
#include "vtrust.h"

static const char replay_usage[] =
"Usage: vtrust replay [options]\n"
"\n"
"Replay measurement lists and compare the result with the TPM's PCRs. For\n"
"every bank B, every entry's template digest is checked against B(template\n"
"data) and extended into its PCR: new = B(old || digest). Then each PCR the\n"
"list extends is compared with the TPM's value.\n"
"\n"
"  vtrust (default)  reads <securityfs>/vtrust/binary_runtime_measurements_<B>\n"
"                    for every bank B. The PCR's start value is B's prior=\n"
"                    value of the start entry (docs/FORMATS.md), else zero.\n"
"  --source ima      reads IMA's <securityfs>/ima/binary_runtime_measurements_<B>\n"
"                    if the kernel has it, else the default file, whose\n"
"                    template digests are SHA-1: other banks are computed from\n"
"                    the template data. A violation (all-zero template digest)\n"
"                    is extended as all 0xff, as IMA does.\n"
"\n"
"The PCRs are read before the lists. When entries were added to a list after\n"
"its PCR was read, the replay reports a match up to the last entry the PCR\n"
"covers and how many entries came later. On a mismatch it names the first\n"
"entry from which the list cannot match, or says that it is unknown.\n"
"\n"
"Options:\n"
"  --source vtrust|ima  which kernel lists to replay (default vtrust)\n"
"  --list FILE          replay FILE ('-': standard input) instead. A name\n"
"                       ending in _<bank> holds that bank's template digests,\n"
"                       any other SHA-1 ones; the other banks are computed\n"
"                       from the template data. --source ima applies IMA's\n"
"                       rule for violations to it.\n"
"  --bank ALG           replay bank ALG (repeatable; default: every bank the\n"
"                       TPM has): sha1 sha256 sha384 sha512 sm3_256\n"
"  --pcrs sysfs|FILE    read the PCRs from the TPM's sysfs files (default)\n"
"                       or from FILE: tpm2_pcrread's output, or lines\n"
"                       '<bank> <pcr> <hex>'\n"
"  --pcr N              read and compare PCR N only (repeatable; default:\n"
"                       all 0-23, one TPM command each)\n"
"  --json               print a JSON report\n"
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
"  -h, --help           this text\n"
"\n"
VT_EXIT_CODES;

#define MATCH_NONE		INT64_MIN
#define NOT_ASKED		1	/* read_err: PCR not in --pcr */
#define DIGEST_ERRORS_SHOWN	10

struct pcr_state {
	int read_err;		/* 0: value read; NOT_ASKED; -errno */
	uint8_t value[VT_DIGEST_MAX];	/* the TPM's */
	uint8_t run[VT_DIGEST_MAX];	/* the replay's */
	bool used;		/* the list extends this PCR */
	bool from_prior;	/* run started at the start entry's prior= */
	uint64_t entries;
	uint64_t violations;
	int64_t matched_after;	/* MATCH_NONE, -1 (start value) or index */
	uint64_t matched_entries;
	int64_t first_bad;	/* first entry with a wrong template digest */
};

struct pass;

struct bank {
	const struct vt_alg *alg;
	struct vt_hash hash;
	bool hash_ready;
	struct pass *pass;
	bool list_digest;	/* the pass's list holds this bank's digests */
	struct pcr_state pcr[VT_PCR_COUNT];
};

/* One list read once, extending one or more banks. */
struct pass {
	char path[PATH_MAX];
	const struct vt_alg *list_alg;
	struct bank *banks[VT_ALG_COUNT];
	unsigned int nr_banks;
	struct vt_hash verify;	/* list_alg, if no bank of the pass is it */
	bool have_verify;
	uint64_t entries;
	uint64_t digest_errors;
	int64_t first_digest_error;
	bool start;
	struct vt_start st;
};

struct replay {
	enum vt_source src;
	const char *root;
	const char *list;
	const char *pcrs_arg;
	bool json;
	bool any_pcr_opt;
	bool pcr_wanted[VT_PCR_COUNT];
	bool bank_on[VT_ALG_COUNT];
	struct vt_pcrs *pcrs;
	struct bank banks[VT_ALG_COUNT];
	struct pass passes[VT_ALG_COUNT + 1];
	unsigned int nr_passes;
};

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

static int open_pcrs(struct replay *r)
{
	if (!r->pcrs_arg || !strcmp(r->pcrs_arg, "sysfs"))
		return vt_pcrs_open_sysfs(r->root, &r->pcrs);
	return vt_pcrs_open_file(r->pcrs_arg, &r->pcrs);
}

static int choose_banks(struct replay *r, bool asked)
{
	unsigned int i, n = 0;

	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (asked && r->bank_on[i] &&
		    !vt_pcrs_has_bank(r->pcrs, &vt_algs[i])) {
			vt_err(r->pcrs->where, "no %s bank", vt_algs[i].name);
			return VT_EXIT_USAGE;
		}
		if (!asked)
			r->bank_on[i] = vt_pcrs_has_bank(r->pcrs, &vt_algs[i]);
		n += r->bank_on[i];
	}
	if (!n) {
		vt_err(r->pcrs->where, "no PCR banks");
		return r->pcrs_arg && strcmp(r->pcrs_arg, "sysfs") ?
		       VT_EXIT_USAGE : VT_EXIT_SYSTEM;
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
			if (r->any_pcr_opt && !r->pcr_wanted[k]) {
				st->read_err = NOT_ASKED;
				continue;
			}
			st->read_err = vt_pcrs_read(r->pcrs, b->alg, k,
						    st->value);
		}
	}
}

static struct pass *new_pass(struct replay *r, const char *path,
			     const struct vt_alg *list_alg)
{
	struct pass *ps = &r->passes[r->nr_passes++];

	snprintf(ps->path, sizeof(ps->path), "%s", path);
	ps->list_alg = list_alg;
	ps->first_digest_error = -1;
	return ps;
}

/* The list's name in the report. */
static const char *pass_name(const struct pass *ps)
{
	return strcmp(ps->path, "-") ? ps->path : "stdin";
}

static void pass_add(struct pass *ps, struct bank *b)
{
	ps->banks[ps->nr_banks++] = b;
	b->pass = ps;
	b->list_digest = b->alg == ps->list_alg;
}

static int plan_passes(struct replay *r)
{
	const struct vt_alg *dalg;
	struct pass *shared = NULL, *ps;
	char path[PATH_MAX];
	unsigned int i;

	if (r->list)
		shared = new_pass(r, r->list, vt_list_digest_alg(r->list));
	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		if (shared) {
			pass_add(shared, &r->banks[i]);
			continue;
		}
		if (vt_source_list(r->src, r->root, &vt_algs[i], path,
				   sizeof(path), &dalg)) {
			vt_err(r->root, "path too long");
			return VT_EXIT_USAGE;
		}
		if (dalg == &vt_algs[i]) {
			pass_add(new_pass(r, path, dalg), &r->banks[i]);
			continue;
		}
		/* IMA's default list serves every bank without its own */
		for (ps = r->passes; ps < r->passes + r->nr_passes; ps++)
			if (!strcmp(ps->path, path))
				break;
		if (ps == r->passes + r->nr_passes)
			ps = new_pass(r, path, dalg);
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
		for (i = 0; i < ps->nr_banks; i++)
			if (ps->banks[i]->list_digest)
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

/* ---- replay ---- */

static int start_entry(struct pass *ps, const struct imalog_entry *e)
{
	struct pcr_state *st;
	const struct vt_alg *alg;
	char why[160];
	unsigned int i;

	if (vt_start_parse(e->buf->data, e->buf->len, &ps->st, why,
			   sizeof(why))) {
		vt_err(pass_name(ps), "offset %llu (entry 0): start entry: %s",
		       (unsigned long long)e->offset, why);
		return VT_EXIT_USAGE;
	}
	if (ps->st.pcr != e->pcr) {
		vt_err(pass_name(ps),
		       "offset %llu (entry 0): start entry says pcr=%u but extends PCR %u",
		       (unsigned long long)e->offset, ps->st.pcr, e->pcr);
		return VT_EXIT_USAGE;
	}
	ps->start = true;
	for (i = 0; i < ps->nr_banks; i++) {
		alg = ps->banks[i]->alg;
		st = &ps->banks[i]->pcr[e->pcr];
		if (!ps->st.have_prior[alg->id]) {
			vt_err(pass_name(ps),
			       "start entry has no prior= value for bank %s: starting from zero",
			       alg->name);
			continue;
		}
		memcpy(st->run, ps->st.prior[alg->id], alg->size);
		st->from_prior = true;
	}
	return 0;
}

static void digest_error(struct pass *ps, const struct imalog_entry *e,
			 const struct vt_alg *alg)
{
	unsigned int i;

	if (ps->first_digest_error < 0)
		ps->first_digest_error = e->index;
	for (i = 0; i < ps->nr_banks; i++)
		if (ps->banks[i]->pcr[e->pcr].first_bad < 0)
			ps->banks[i]->pcr[e->pcr].first_bad = e->index;
	if (++ps->digest_errors <= DIGEST_ERRORS_SHOWN)
		vt_err(pass_name(ps),
		       "offset %llu (entry %llu): template digest does not match %s(template data)",
		       (unsigned long long)e->offset,
		       (unsigned long long)e->index, alg->name);
}

static int hash_failed(const struct vt_alg *alg)
{
	vt_err(alg->name, "OpenSSL failed to compute a digest");
	return VT_EXIT_SYSTEM;
}

static int run_pass(struct replay *r, struct pass *ps, struct imalog_entry *e)
{
	static const uint8_t ones[VT_DIGEST_MAX] = {
		[0 ... VT_DIGEST_MAX - 1] = 0xff
	};
	uint8_t dig[VT_DIGEST_MAX];
	const uint8_t *ext;
	const struct vt_alg *alg;
	struct pcr_state *st;
	struct vt_list l;
	struct bank *b;
	bool violation, bad;
	unsigned int i;
	int ret;

	ret = vt_list_open(&l, ps->path, ps->list_alg->size);
	if (ret)
		return ret;
	while ((ret = vt_list_next(&l, e)) == 1) {
		if (e->pcr >= VT_PCR_COUNT) {
			vt_err(pass_name(ps), "offset %llu (entry %llu): PCR %u is out of range",
			       (unsigned long long)e->offset,
			       (unsigned long long)e->index, e->pcr);
			ret = -VT_EXIT_USAGE;
			break;
		}
		if (!e->index && vt_is_start_entry(e)) {
			ret = -start_entry(ps, e);
			if (ret)
				break;
		}
		violation = r->src == VT_SOURCE_IMA &&
			    vt_all_bytes(e->digest, e->digest_len, 0);
		bad = false;
		if (!violation && ps->have_verify) {
			if (vt_hash_digest(&ps->verify, e->data, e->data_len,
					   dig)) {
				ret = -hash_failed(ps->list_alg);
				break;
			}
			if (memcmp(dig, e->digest, e->digest_len))
				bad = true;
		}
		for (i = 0; i < ps->nr_banks; i++) {
			b = ps->banks[i];
			alg = b->alg;
			st = &b->pcr[e->pcr];
			if (!st->used) {
				st->used = true;
				if (!st->read_err &&
				    !memcmp(st->run, st->value, alg->size)) {
					st->matched_after = -1;
					st->matched_entries = 0;
				}
			}
			if (violation) {
				ext = ones;
				st->violations++;
			} else {
				if (vt_hash_digest(&b->hash, e->data,
						   e->data_len, dig)) {
					ret = -hash_failed(alg);
					goto out;
				}
				ext = dig;
				if (b->list_digest) {
					if (memcmp(dig, e->digest, alg->size))
						bad = true;
					/* what the kernel extended */
					ext = e->digest;
				}
			}
			if (vt_hash_extend(&b->hash, st->run, ext)) {
				ret = -hash_failed(alg);
				goto out;
			}
			st->entries++;
			if (!st->read_err &&
			    !memcmp(st->run, st->value, alg->size)) {
				st->matched_after = e->index;
				st->matched_entries = st->entries;
			}
		}
		if (bad)
			digest_error(ps, e, ps->list_alg);
		ps->entries++;
	}
out:
	vt_list_close(&l);
	if (ps->digest_errors > DIGEST_ERRORS_SHOWN)
		vt_err(pass_name(ps), "%llu more entries with a wrong template digest",
		       (unsigned long long)(ps->digest_errors -
					    DIGEST_ERRORS_SHOWN));
	return ret < 0 ? -ret : 0;
}

/* ---- report ---- */

static enum pcr_status pcr_status(const struct bank *b,
				  const struct pcr_state *st)
{
	if (st->read_err == NOT_ASKED)
		return ST_UNCHECKED;
	if (st->read_err)
		return ST_UNAVAILABLE;
	if (!memcmp(st->run, st->value, b->alg->size))
		return ST_MATCH;
	if (st->matched_after != MATCH_NONE)
		return ST_PARTIAL;
	return ST_MISMATCH;
}

static const char *read_error(int err)
{
	return err == -EBADMSG ? "not a hex value of the bank's size" :
	       err == -ENOENT ? "no such PCR" : strerror(-err);
}

static void print_counts(const struct pcr_state *st)
{
	printf(" (%llu entr%s", (unsigned long long)st->entries,
	       st->entries == 1 ? "y" : "ies");
	if (st->violations)
		printf(", %llu violation%s", (unsigned long long)st->violations,
		       st->violations == 1 ? "" : "s");
	if (st->from_prior)
		printf(", from prior=");
	printf(")");
}

static void print_value(const char *label, const uint8_t *v, unsigned int n)
{
	printf("    %-8s ", label);
	vt_put_hex(stdout, v, n);
	putchar('\n');
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
		if (st->first_bad >= 0)
			printf("; the list stops matching at entry %lld (wrong template digest)",
			       (long long)st->first_bad);
		else
			printf("; the entry where the list stops matching is unknown");
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

static json_object *pcr_json(const struct bank *b, unsigned int k,
			     const struct pcr_state *st, enum pcr_status s)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "bank", json_object_new_string(b->alg->name));
	json_object_object_add(o, "pcr", json_object_new_int(k));
	json_object_object_add(o, "status",
			       json_object_new_string(status_names[s]));
	json_object_object_add(o, "entries",
			       json_object_new_uint64(st->entries));
	json_object_object_add(o, "violations",
			       json_object_new_uint64(st->violations));
	json_object_object_add(o, "from_prior",
			       json_object_new_boolean(st->from_prior));
	json_object_object_add(o, "computed", hex_json(st->run, b->alg->size));
	json_object_object_add(o, "value", st->read_err ? NULL :
			       hex_json(st->value, b->alg->size));
	json_object_object_add(o, "matched_through", s == ST_PARTIAL ?
			       json_object_new_int64(st->matched_after) : NULL);
	json_object_object_add(o, "left_out", s == ST_PARTIAL ?
			       json_object_new_uint64(st->entries -
						      st->matched_entries) :
			       NULL);
	json_object_object_add(o, "first_bad_entry",
			       s == ST_MISMATCH && st->first_bad >= 0 ?
			       json_object_new_int64(st->first_bad) : NULL);
	json_object_object_add(o, "error", s == ST_UNAVAILABLE ?
			       json_object_new_string(read_error(st->read_err)) :
			       NULL);
	json_object_object_add(o, "list",
			       json_object_new_string(pass_name(b->pass)));
	return o;
}

static json_object *pass_json(const struct pass *ps)
{
	json_object *o = json_object_new_object(), *banks, *name, *start = NULL;
	unsigned int i;

	if (!o)
		return NULL;
	json_object_object_add(o, "path", json_object_new_string(pass_name(ps)));
	json_object_object_add(o, "digest_bank",
			       json_object_new_string(ps->list_alg->name));
	json_object_object_add(o, "entries", json_object_new_uint64(ps->entries));
	banks = json_object_new_array();
	for (i = 0; banks && i < ps->nr_banks; i++) {
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
	json_object_object_add(o, "start", start);
	json_object_object_add(o, "digest_errors",
			       json_object_new_uint64(ps->digest_errors));
	json_object_object_add(o, "first_digest_error",
			       ps->first_digest_error >= 0 ?
			       json_object_new_int64(ps->first_digest_error) :
			       NULL);
	return o;
}

static int report(struct replay *r)
{
	bool mismatch = false, unavailable = false;
	json_object *root = NULL, *pcrs = NULL, *lists = NULL, *o;
	const struct pcr_state *st;
	const struct pass *ps;
	const struct bank *b;
	enum pcr_status s;
	const char *result;
	unsigned int i, k, used = 0;
	int ret;

	if (r->json) {
		root = json_object_new_object();
		pcrs = json_object_new_array();
		lists = json_object_new_array();
		if (!root || !pcrs || !lists)
			goto oom;
		for (ps = r->passes; ps < r->passes + r->nr_passes; ps++) {
			o = pass_json(ps);
			if (!o || json_object_array_add(lists, o))
				goto oom;
		}
	} else {
		for (ps = r->passes; ps < r->passes + r->nr_passes; ps++) {
			printf("list %s: %llu entr%s", pass_name(ps),
			       (unsigned long long)ps->entries,
			       ps->entries == 1 ? "y" : "ies");
			if (ps->digest_errors)
				printf(", %llu with a wrong template digest (first: entry %lld)",
				       (unsigned long long)ps->digest_errors,
				       (long long)ps->first_digest_error);
			putchar('\n');
		}
	}
	for (ps = r->passes; ps < r->passes + r->nr_passes; ps++)
		mismatch |= ps->digest_errors > 0;
	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!r->bank_on[i])
			continue;
		b = &r->banks[i];
		for (k = 0; k < VT_PCR_COUNT; k++) {
			st = &b->pcr[k];
			if (!st->used)
				continue;
			used++;
			s = pcr_status(b, st);
			mismatch |= s == ST_MISMATCH;
			unavailable |= s == ST_UNAVAILABLE;
			if (!r->json) {
				print_pcr(b, k, st, s);
				continue;
			}
			o = pcr_json(b, k, st, s);
			if (!o || json_object_array_add(pcrs, o))
				goto oom;
		}
	}
	ret = mismatch ? VT_EXIT_MISMATCH :
	      unavailable ? VT_EXIT_SYSTEM : VT_EXIT_OK;
	result = mismatch ? "mismatch" : unavailable ? "unavailable" : "match";
	if (r->json) {
		json_object_object_add(root, "source",
				       json_object_new_string(vt_source_name(r->src)));
		json_object_object_add(root, "result",
				       json_object_new_string(result));
		json_object_object_add(root, "exit", json_object_new_int(ret));
		json_object_object_add(root, "lists", lists);
		json_object_object_add(root, "pcrs", pcrs);
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
	} else {
		if (!used)
			printf("no entries: nothing to compare\n");
		printf("result: %s\n", result);
	}
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("replay", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret;
oom:
	json_object_put(root);
	json_object_put(pcrs);
	json_object_put(lists);
	vt_err("replay", "out of memory");
	return VT_EXIT_SYSTEM;
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

static int parse_args(struct replay *r, int argc, char *argv[], bool *asked)
{
	const struct vt_alg *alg;
	unsigned int pcr;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", replay_options, NULL)) != -1) {
		switch (c) {
		case OPT_LIST:
			r->list = optarg;
			break;
		case OPT_SOURCE:
			if (vt_source_parse(optarg, &r->src))
				return vt_usage_err("replay", "unknown source '%s'",
						    optarg);
			break;
		case OPT_BANK:
			alg = vt_alg_find(optarg, strlen(optarg));
			if (!alg)
				return vt_usage_err("replay", "unknown bank '%s'",
						    optarg);
			r->bank_on[alg->id] = true;
			*asked = true;
			break;
		case OPT_PCRS:
			r->pcrs_arg = optarg;
			break;
		case OPT_PCR:
			if (vt_parse_uint(optarg, VT_PCR_COUNT - 1, &pcr))
				return vt_usage_err("replay",
						    "bad PCR '%s': not 0-%u",
						    optarg, VT_PCR_COUNT - 1);
			r->pcr_wanted[pcr] = true;
			r->any_pcr_opt = true;
			break;
		case OPT_JSON:
			r->json = true;
			break;
		case OPT_SYSFS_ROOT:
			r->root = optarg;
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
	return 0;
}

int cmd_replay(int argc, char *argv[])
{
	struct imalog_entry *e = NULL;
	struct replay *r;
	bool asked = false;
	unsigned int i;
	int ret;

	r = calloc(1, sizeof(*r));
	if (!r) {
		vt_err("replay", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	r->root = "/";
	r->src = VT_SOURCE_VTRUST;
	for (i = 0; i < VT_ALG_COUNT; i++)
		r->banks[i].alg = &vt_algs[i];

	ret = parse_args(r, argc, argv, &asked);
	if (ret) {
		free_replay(r);
		return ret < 0 ? VT_EXIT_OK : ret;
	}
	ret = open_pcrs(r);
	if (!ret)
		ret = choose_banks(r, asked);
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
		ret = run_pass(r, &r->passes[i], e);
		if (ret)
			goto out;
	}
	ret = report(r);
out:
	free(e);
	free_replay(r);
	return ret;
}
