// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The replay of an IMA-format source (IMA's or vtrust's list). Its files
 * (the default one, SHA-1 template digests, and one per bank) are read
 * once, in lockstep: their template data must agree entry by entry, every
 * file's template digest is checked against the data, and each entry is
 * extended into every bank of the pass -- with the digest of the bank's own
 * file where there is one, else with the bank's hash of the template data.
 * vtrust's start entry sets the start value from prior=, which counts only
 * where it equals what the replayed sources before it leave in the PCR.
 * See replay-int.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "names.h"
#include "replay-int.h"
#include "util.h"
#include "vtrust.h"

static const uint8_t ones[VT_DIGEST_MAX] = {
	[0 ... VT_DIGEST_MAX - 1] = 0xff
};

/* Entries of vtrust's list after which the list is not whole. */
static const struct {
	const char *prefix;
	const char *why;
} gap_names[] = {
	{ "list-full", "the list is full: later loads were not logged" },
	{ "unhooked:", "a kind of load that vtrust does not see" },
	{ "resident-bpf-unsafe:",
	  "a BPF program that can skip vtrust's hooks was resident" },
	{ "extend-failed:", "an entry that its PCR does not cover" },
};

static int start_entry(struct pass *ps, const struct imalog_entry *e)
{
	struct pcr_state *st;
	const struct vt_alg *alg;
	char why[160];
	unsigned int i;

	if (vt_start_parse(e->buf->data, e->buf->len, &ps->st, why,
			   sizeof(why))) {
		vt_err(vt_rp_pass_name(ps), "offset %llu (entry 0): start entry: %s",
		       (unsigned long long)e->offset, why);
		return VT_EXIT_USAGE;
	}
	if (ps->st.pcr != e->pcr) {
		vt_err(vt_rp_pass_name(ps),
		       "offset %llu (entry 0): start entry says pcr=%u but extends PCR %u",
		       (unsigned long long)e->offset, ps->st.pcr, e->pcr);
		return VT_EXIT_USAGE;
	}
	ps->start = true;
	for (i = 0; i < ps->nr_banks; i++) {
		alg = ps->banks[i]->alg;
		st = &ps->banks[i]->pcr[e->pcr];
		vt_rp_touch(st, ps, alg);
		st->from_prior = true;
		/*
		 * prior= is the list's own word: it counts only where it is
		 * the value that the sources replayed before this list leave
		 * (zero, or the firmware log's events of this PCR).
		 */
		if (!ps->st.have_prior[alg->id]) {
			st->prior_bad = true;
			continue;
		}
		if (memcmp(ps->st.prior[alg->id], st->r.value, alg->size))
			st->prior_bad = true;
		memcpy(st->r.value, ps->st.prior[alg->id], alg->size);
		vt_rp_run_reset(st, &st->r, alg);
	}
	return 0;
}

/* prior= values that no replayed source explains: one problem per PCR. */
static int prior_problems(struct replay *r, struct pass *ps)
{
	unsigned int i, n = 0;
	char banks[96];
	size_t len = 0;

	banks[0] = '\0';
	for (i = 0; i < ps->nr_banks; i++) {
		if (!ps->banks[i]->pcr[ps->st.pcr].prior_bad)
			continue;
		n++;
		len += snprintf(banks + len, len < sizeof(banks) ?
				sizeof(banks) - len : 0, "%s%s", len ? " " : "",
				ps->banks[i]->alg->name);
	}
	if (!n)
		return 0;
	return vt_rp_problem(r, ps->src, ps->st.pcr, "unverifiable", true,
			     "history before vtrust started is unverifiable: the start entry's prior= (%s) is not what the replayed sources leave in PCR %u (an unload and reload, a kexec, or a forged list)",
			     banks, ps->st.pcr);
}

/* aggregate= must be the digest of this boot's PCRs 0-9 in its bank. */
static int check_aggregate(struct replay *r, struct pass *ps)
{
	const struct vt_alg *alg = ps->st.aggregate_alg;
	uint8_t sum[VT_DIGEST_MAX];
	struct bank *b;
	unsigned int k;
	bool tpm = false;

	for (k = 0; k < VT_ALG_COUNT; k++)
		tpm |= ps->st.have_prior[k];
	/* with a TPM (prior= values), vtrust always writes an aggregate */
	if (!alg && tpm)
		return vt_rp_problem(r, ps->src, ps->st.pcr, "unverifiable",
				     true,
				     "the start entry has prior= values but no aggregate= of a bank vtrust knows");
	if (!alg || (!r->bank_on[alg->id] && r->o->banks_asked))
		return 0;
	if (!r->bank_on[alg->id])
		return vt_rp_problem(r, ps->src, ps->st.pcr, "unverifiable",
				     true,
				     "the start entry's aggregate= is of %s, a bank the TPM does not have",
				     alg->name);
	b = &r->banks[alg->id];
	for (k = 0; k < 10; k++)
		if (b->pcr[k].read_err)
			return 0;
	if (vt_hash_start(&b->hash))
		return vt_rp_hash_failed(alg);
	/*
	 * vtrust's own PCR (8 or 9) held prior= when the aggregate was taken;
	 * prior= itself is checked against the replayed sources above.
	 */
	for (k = 0; k < 10; k++)
		if (vt_hash_update(&b->hash, k == ps->st.pcr &&
				   ps->st.have_prior[alg->id] ?
				   ps->st.prior[alg->id] : b->pcr[k].value,
				   alg->size))
			return vt_rp_hash_failed(alg);
	if (vt_hash_final(&b->hash, sum))
		return vt_rp_hash_failed(alg);
	if (!memcmp(sum, ps->st.aggregate, alg->size))
		return 0;
	return vt_rp_problem(r, ps->src, ps->st.pcr, "unverifiable", true,
			     "the start entry's aggregate= is not the %s digest of PCRs 0-9: the list did not start in this boot's state",
			     alg->name);
}

static void digest_error(struct pass *ps, const struct imalog_entry *e,
			 const struct list_file *f)
{
	struct pcr_state *st;
	unsigned int i;

	if (ps->first_digest_error < 0)
		ps->first_digest_error = e->index;
	for (i = 0; i < ps->nr_banks; i++) {
		st = &ps->banks[i]->pcr[e->pcr];
		if (st->first_bad < 0)
			st->first_bad = e->index;
	}
	if (++ps->digest_errors <= DIGEST_ERRORS_SHOWN)
		vt_err(f->path, "offset %llu (entry %llu): template digest does not match %s(template data)",
		       (unsigned long long)e->offset,
		       (unsigned long long)e->index, f->alg->name);
}

/*
 * IMA that found no TPM when it started ("TPM-bypass") logs a boot_aggregate
 * of zeros and never extends a PCR. The list says so; the TPM must agree.
 */
static bool ima_bypass(const struct imalog_entry *e)
{
	const struct imalog_field *n = e->event_name, *d = e->file_digest;

	return n && d && n->str_len == 14 &&
	       !memcmp(n->data, "boot_aggregate", 14) && d->digest_len &&
	       vt_all_bytes(d->digest, d->digest_len, 0);
}

static bool pcr_zero_everywhere(struct replay *r, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < VT_ALG_COUNT; i++)
		if (r->bank_on[i] &&
		    (r->banks[i].pcr[k].read_err ||
		     !vt_all_bytes(r->banks[i].pcr[k].value, vt_algs[i].size, 0)))
			return false;
	return true;
}

static int open_files(struct pass *ps)
{
	struct list_file *f;
	unsigned int i;
	int ret;

	for (i = 0; i < ps->nr_files; i++) {
		f = &ps->files[i];
		f->e = malloc(sizeof(*f->e));
		if (!f->e) {
			vt_err("replay", "out of memory");
			return VT_EXIT_SYSTEM;
		}
		ret = vt_list_open(&f->l, f->path, f->alg->size);
		if (ret)
			return ret;
		f->open = true;
	}
	return 0;
}

static void close_files(struct pass *ps)
{
	unsigned int i;

	for (i = 0; i < ps->nr_files; i++) {
		if (ps->files[i].open)
			vt_list_close(&ps->files[i].l);
		ps->files[i].open = false;
		free(ps->files[i].e);
		ps->files[i].e = NULL;
	}
}

static bool same_entry(const struct imalog_entry *a,
		       const struct imalog_entry *b)
{
	return a->pcr == b->pcr && a->data_len == b->data_len &&
	       !strcmp(a->template_name, b->template_name) &&
	       !memcmp(a->data, b->data, a->data_len);
}

/*
 * The next entry of every file: 1 (all have one, and it is the same entry),
 * 0 (a file ended: the pass ends), or -(exit code).
 */
static int next_entry(struct replay *r, struct pass *ps)
{
	const struct imalog_entry *e0 = ps->files[0].e;
	unsigned int i;
	int ret;

	for (i = 0; i < ps->nr_files; i++) {
		ret = vt_list_next(&ps->files[i].l, ps->files[i].e);
		if (ret < 0)
			return ret;
		if (!ret) {
			/* another file had one more: it ended here */
			if (i)
				ps->longer = &ps->files[0];
			else if (ps->nr_files > 1 &&
				 vt_list_next(&ps->files[1].l,
					      ps->files[1].e) == 1)
				ps->longer = &ps->files[1];
			ps->shorter = &ps->files[i];
			return 0;
		}
	}
	for (i = 1; i < ps->nr_files; i++) {
		if (same_entry(e0, ps->files[i].e))
			continue;
		ps->disagree = e0->index;
		ret = vt_rp_problem(r, ps->src, -1, "disagree", true,
				    "%s and %s differ at entry %llu: lists that should hold the same entries do not",
				    ps->files[0].path, ps->files[i].path,
				    (unsigned long long)e0->index);
		return ret ? -ret : 0;
	}
	return 1;
}

/* @alg's digest of the entry's template data, computed once per entry. */
static int data_digest(struct pass *ps, const struct imalog_entry *e,
		       const struct vt_alg *alg, uint8_t dig[][VT_DIGEST_MAX],
		       bool *have)
{
	if (have[alg->id])
		return 0;
	if (!ps->fhash_ready[alg->id]) {
		if (vt_hash_init(&ps->fhash[alg->id], alg))
			return VT_EXIT_SYSTEM;
		ps->fhash_ready[alg->id] = true;
	}
	if (vt_hash_digest(&ps->fhash[alg->id], e->data, e->data_len,
			   dig[alg->id]))
		return vt_rp_hash_failed(alg);
	have[alg->id] = true;
	return 0;
}

/*
 * Check every file's template digest of the entry: the files of 256 bits
 * and more first, then the SHA-1 ones. A SHA-1 file is not hashed again
 * when it is the one the SHA-1 bank extends and a stronger file's digest
 * matched this entry: all files hold the same template data (next_entry()
 * compared them), the stronger digest proves them, and the SHA-1 bank's
 * replay checks the SHA-1 digests against the TPM. Any other SHA-1 file
 * (vtrust's default one, or IMA's without a SHA-1 bank) is checked, as
 * its digests are read for components without a name (collect.c).
 */
static int check_files(struct pass *ps, bool violation,
		       uint8_t dig[][VT_DIGEST_MAX], bool *have)
{
	const struct vt_alg *sha1 = &vt_algs[VT_ALG_SHA1];
	const struct imalog_entry *e;
	struct list_file *f;
	unsigned int i, k;
	bool bad = false, proven = false;
	int ret;

	for (k = 0; k < 2 * ps->nr_files; k++) {
		i = k % ps->nr_files;
		f = &ps->files[i];
		/* first round: the strong files; second: SHA-1's */
		if ((k < ps->nr_files) == (f->alg->size < 32))
			continue;
		e = f->e;
		if (proven && ps->bank_file[VT_ALG_SHA1] == f)
			continue;
		if (violation) {
			if (!vt_all_bytes(e->digest, e->digest_len, 0)) {
				digest_error(ps, e, f);
				bad = true;
			}
			continue;
		}
		ret = data_digest(ps, e, f->alg, dig, have);
		if (ret)
			return ret;
		if (!memcmp(dig[f->alg->id], e->digest, f->alg->size)) {
			proven |= f->alg->size >= 32;
			continue;
		}
		/* IMA's padded SHA-1 in a bank it had no hash for */
		if (ps->src == VT_SOURCE_IMA && f->alg != sha1) {
			ret = data_digest(ps, e, sha1, dig, have);
			if (ret)
				return ret;
			if (!memcmp(dig[VT_ALG_SHA1], e->digest, sha1->size) &&
			    vt_all_bytes(e->digest + sha1->size,
					 f->alg->size - sha1->size, 0)) {
				f->padded = true;
				continue;
			}
		}
		digest_error(ps, e, f);
		bad = true;
	}
	(void)bad;
	return 0;
}

static int extend_entry(struct pass *ps, const struct imalog_entry *e,
			bool violation, uint8_t dig[][VT_DIGEST_MAX],
			bool *have)
{
	uint8_t padded[VT_DIGEST_MAX];
	const uint8_t *ext;
	struct pcr_state *st;
	struct bank *b;
	unsigned int i;
	int ret;

	for (i = 0; i < ps->nr_banks; i++) {
		b = ps->banks[i];
		st = &b->pcr[e->pcr];
		vt_rp_touch(st, ps, b->alg);
		if (violation) {
			ext = ones;
			st->violations++;
		} else if (ps->bank_file[b->alg->id]) {
			/* what the kernel extended, checked above */
			ext = ps->bank_file[b->alg->id]->e->digest;
		} else {
			ret = data_digest(ps, e, b->alg, dig, have);
			if (ret)
				return ret;
			ext = dig[b->alg->id];
		}
		st->entries++;
		ret = vt_rp_extend(b, st, &st->r, ext, e->index, st->entries);
		if (ret)
			return ret;
		if (!st->alt_on)
			continue;
		if (!violation) {
			ret = data_digest(ps, e, &vt_algs[VT_ALG_SHA1], dig,
					  have);
			if (ret)
				return ret;
			memset(padded, 0, sizeof(padded));
			memcpy(padded, dig[VT_ALG_SHA1], vt_algs[VT_ALG_SHA1].size);
		}
		ret = vt_rp_extend(b, st, &st->alt, violation ? ones : padded,
				   e->index, st->entries);
		if (ret)
			return ret;
	}
	return 0;
}

/* A name that marks a gap in vtrust's list. */
static int check_gap(struct replay *r, struct pass *ps,
		     const struct imalog_entry *e)
{
	const struct imalog_field *n = e->event_name;
	char name[VT_NAME_MIN_MAX + 1];
	size_t len;
	unsigned int i;

	if (!n)
		return 0;
	for (i = 0; i < sizeof(gap_names) / sizeof(gap_names[0]); i++) {
		len = strlen(gap_names[i].prefix);
		if (n->str_len < len || memcmp(n->data, gap_names[i].prefix, len))
			continue;
		/* the list's bytes: escaped for the terminal and for JSON */
		vt_name_escape(n->data, n->str_len, name, VT_NAME_MIN_MAX,
			       NULL);
		return vt_rp_problem(r, ps->src, (int)e->pcr, "gap", false,
				     "entry %llu \"%s\": %s",
				     (unsigned long long)e->index, name,
				     gap_names[i].why);
	}
	return 0;
}

/* The first entry: the start entry of vtrust's list, IMA's bypass. */
static int first_entry(struct replay *r, struct pass *ps,
		       const struct imalog_entry *e)
{
	unsigned int i;

	if (ps->src == VT_SOURCE_VTRUST && vt_is_start_entry(e))
		return start_entry(ps, e);
	if (ps->src != VT_SOURCE_IMA || !ima_bypass(e))
		return 0;
	/* believed only if the TPM shows that IMA never extended */
	if (pcr_zero_everywhere(r, e->pcr)) {
		ps->bypass = true;
		return vt_rp_problem(r, ps->src, (int)e->pcr, "unverifiable",
				     false,
				     "IMA started without a TPM (a zero boot_aggregate, and PCR %u is zero): its list is not covered by any PCR",
				     e->pcr);
	}
	for (i = 0; i < ps->nr_banks; i++)
		ps->banks[i]->pcr[e->pcr].first_bad = 0;
	return vt_rp_problem(r, ps->src, (int)e->pcr, "edited", true,
			     "the list's zero boot_aggregate claims that IMA ran without a TPM, but PCR %u is not zero",
			     e->pcr);
}

/* Which model of a bank matched: the padded one only if it alone did. */
static void choose_model(struct pass *ps)
{
	struct pcr_state *st;
	unsigned int i, k;

	for (i = 0; i < ps->nr_banks; i++) {
		for (k = 0; k < VT_PCR_COUNT; k++) {
			st = &ps->banks[i]->pcr[k];
			if (!st->alt_on || st->src != ps)
				continue;
			if (st->r.matched_after != MATCH_NONE ||
			    st->alt.matched_after == MATCH_NONE)
				continue;
			st->r = st->alt;
			st->padded = true;
		}
	}
}

/*
 * Entries 0..verified are vouched for: for every PCR the list extends, in
 * every bank, the replay reached the TPM's value after the last of them
 * that extends it. -1 when the PCRs vouch for none.
 */
static void verified_point(struct pass *ps)
{
	const struct pcr_state *st;
	int64_t v = (int64_t)ps->entries - 1;
	unsigned int i, k;

	if (ps->disagree >= 0 && ps->disagree - 1 < v)
		v = ps->disagree - 1;
	for (i = 0; i < ps->nr_banks; i++) {
		for (k = 0; k < VT_PCR_COUNT; k++) {
			st = &ps->banks[i]->pcr[k];
			if (st->src != ps || !st->used)
				continue;
			/* unread: that PCR is reported unavailable (exit 3) */
			if (st->read_err) {
				ps->unread = true;
				continue;
			}
			if (vt_rp_at(st, st->r.value, ps->banks[i]->alg))
				continue;
			if (st->r.matched_after == MATCH_NONE)
				v = -1;
			else if (st->r.after_match >= 0 &&
				 st->r.after_match - 1 < v)
				v = st->r.after_match - 1;
		}
	}
	ps->verified = v;
}

static bool skipped(const struct pass *ps, uint64_t index)
{
	unsigned int i;

	for (i = 0; i < ps->nr_skip; i++)
		if (ps->skip[i] == index)
			return true;
	return false;
}

/*
 * An extend-failed:<index> mark of vtrust's list: the entry it names is in
 * the list but not in the PCR. Returns 0, RESTART when the pass must start
 * again without that entry (it was extended already), or an exit code.
 */
#define RESTART (-1)

static int failed_mark(struct replay *r, struct pass *ps,
		       const struct imalog_entry *e)
{
	const struct imalog_field *n = e->event_name;
	static const char mark[] = "extend-failed:";
	unsigned long long v = 0;
	uint32_t i;

	if (!n || n->str_len <= sizeof(mark) - 1 ||
	    memcmp(n->data, mark, sizeof(mark) - 1))
		return 0;
	for (i = sizeof(mark) - 1; i < n->str_len && v < e->index; i++) {
		if (n->data[i] < '0' || n->data[i] > '9')
			break;
		v = 10 * v + (n->data[i] - '0');
	}
	if (i < n->str_len || v >= e->index)
		return vt_rp_problem(r, ps->src, (int)e->pcr, "edited", true,
				     "entry %llu: a mark that names no earlier entry",
				     (unsigned long long)e->index);
	if (skipped(ps, v))
		return 0;
	if (ps->nr_skip == SKIP_MAX)
		return vt_rp_problem(r, ps->src, (int)e->pcr, "gap", true,
				     "more than %u entries whose extend failed: not replayed",
				     SKIP_MAX);
	ps->skip[ps->nr_skip++] = v;
	return RESTART;
}

static int run_entries(struct replay *r, struct pass *ps)
{
	uint8_t dig[VT_ALG_COUNT][VT_DIGEST_MAX];
	bool have[VT_ALG_COUNT];
	const struct imalog_entry *e;
	bool violation;
	int ret;

	while ((ret = next_entry(r, ps)) == 1) {
		e = ps->files[0].e;
		if (e->pcr >= VT_PCR_COUNT) {
			vt_err(vt_rp_pass_name(ps), "offset %llu (entry %llu): PCR %u is out of range",
			       (unsigned long long)e->offset,
			       (unsigned long long)e->index, e->pcr);
			return VT_EXIT_USAGE;
		}
		if (!e->index) {
			ps->first_pcr = e->pcr;
			ret = first_entry(r, ps, e);
			if (ret)
				return ret;
		}
		ps->entries++;
		if (ps->bypass)
			continue;
		memset(have, 0, sizeof(have));
		violation = ps->src == VT_SOURCE_IMA &&
			    vt_all_bytes(e->digest, e->digest_len, 0);
		ret = check_files(ps, violation, dig, have);
		if (ret)
			return ret;
		/* not in the PCR: neither extended nor a component */
		if (skipped(ps, e->index))
			continue;
		ret = extend_entry(ps, e, violation, dig, have);
		if (!ret && ps->src == VT_SOURCE_VTRUST)
			ret = failed_mark(r, ps, e);
		if (!ret && ps->src == VT_SOURCE_VTRUST)
			ret = check_gap(r, ps, e);
		if (!ret && r->coll &&
		    vt_collect_entry(r->coll, ps->src, e, violation)) {
			vt_err("replay", "out of memory");
			ret = VT_EXIT_SYSTEM;
		}
		if (ret)
			return ret;
	}
	return ret < 0 ? -ret : 0;
}

/* Run the pass; again from the start while marks name extended entries. */
static int run_pass(struct replay *r, struct pass *ps)
{
	struct pcr_state (*saved)[VT_PCR_COUNT];
	size_t problems = r->nr_problems;
	struct pass first = *ps;
	unsigned int i, nr_skip;
	int ret;

	saved = malloc(VT_ALG_COUNT * sizeof(*saved));
	if (!saved) {
		vt_err("replay", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	for (i = 0; i < VT_ALG_COUNT; i++)
		memcpy(saved[i], r->banks[i].pcr, sizeof(saved[i]));
	for (;;) {
		ret = open_files(ps);
		if (!ret)
			ret = run_entries(r, ps);
		close_files(ps);
		if (ret != RESTART)
			break;
		/* the same source again, from its first byte */
		nr_skip = ps->nr_skip;
		memcpy(first.skip, ps->skip, sizeof(first.skip));
		memcpy(first.fhash, ps->fhash, sizeof(first.fhash));
		memcpy(first.fhash_ready, ps->fhash_ready,
		       sizeof(first.fhash_ready));
		*ps = first;
		ps->nr_skip = nr_skip;
		for (i = 0; i < VT_ALG_COUNT; i++)
			memcpy(r->banks[i].pcr, saved[i], sizeof(saved[i]));
		r->nr_problems = problems;
		if (r->coll)
			vt_collect_list_reset(r->coll, ps->src);
	}
	free(saved);
	return ret;
}

int vt_rp_run_list(struct replay *r, struct pass *ps)
{
	unsigned int pcr;
	int ret;

	ret = run_pass(r, ps);
	if (ps->digest_errors > DIGEST_ERRORS_SHOWN)
		vt_err(vt_rp_pass_name(ps), "%llu more entries with a wrong template digest",
		       (unsigned long long)(ps->digest_errors -
					    DIGEST_ERRORS_SHOWN));
	if (ret)
		return ret;
	choose_model(ps);
	verified_point(ps);
	if (ps->bypass)
		ps->verified = -1;
	if (ps->start) {
		ret = prior_problems(r, ps);
		if (!ret)
			ret = check_aggregate(r, ps);
		if (ret)
			return ret;
	}
	/*
	 * Files read a moment apart may end apart, honestly (the later ones
	 * hold entries the PCRs were read before); where the PCRs vouch for
	 * none of the shared entries, say which file is longer.
	 */
	if (ps->longer && ps->verified < 0) {
		ret = vt_rp_problem(r, ps->src, -1, "disagree", true,
				    "%s holds more entries than %s (%llu): lists that should hold the same entries do not",
				    ps->longer->path, ps->shorter->path,
				    (unsigned long long)ps->entries);
		if (ret)
			return ret;
	}
	/* the start entry is the first thing the PCR must vouch for */
	if (ps->entries && ps->verified < 0 && !ps->bypass && !ps->unread) {
		ret = vt_rp_problem(r, ps->src, -1, "unverifiable", true,
				    "the PCRs do not cover the list's first entry");
		if (ret)
			return ret;
	}
	if (!r->coll)
		return 0;
	pcr = ps->entries ? ps->first_pcr :
	      ps->src == VT_SOURCE_IMA ? 10 : 11;
	if (vt_collect_list_done(r->coll, ps->src, ps->bypass ? -2 :
				 ps->verified, pcr)) {
		vt_err("replay", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	return 0;
}
