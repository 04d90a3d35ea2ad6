// SPDX-License-Identifier: GPL-2.0
/*
 * The replay of an IMA-format list (IMA's or vtrust's): every entry's
 * template digest is checked and extended into every bank of the pass,
 * from the start entry's prior= values for vtrust. See replay-int.h.
 */
#include <string.h>

#include "replay-int.h"
#include "listfile.h"
#include "util.h"
#include "vtrust.h"

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
		if (!ps->st.have_prior[alg->id]) {
			vt_err(vt_rp_pass_name(ps),
			       "start entry has no prior= value for bank %s: starting from zero",
			       alg->name);
			continue;
		}
		/* another source's list must have led up to prior= */
		if (st->src && st->src->src != ps->src) {
			st->chained = st->src;
			st->chain_bad = memcmp(st->run, ps->st.prior[alg->id],
					       alg->size);
			st->chained_entries = st->entries;
			st->entries = 0;
			st->src = ps;
			st->used = false;
			st->matched_after = MATCH_NONE;
		}
		memcpy(st->run, ps->st.prior[alg->id], alg->size);
		st->from_prior = true;
	}
	return 0;
}

static void digest_error(struct pass *ps, const struct imalog_entry *e,
			 const struct vt_alg *alg)
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
		vt_err(vt_rp_pass_name(ps),
		       "offset %llu (entry %llu): template digest does not match %s(template data)",
		       (unsigned long long)e->offset,
		       (unsigned long long)e->index, alg->name);
}

/*
 * IMA that found no TPM when it started ("TPM-bypass") logs a boot_aggregate
 * of zeros and never extends a PCR: its list has nothing to compare.
 */
static bool ima_bypass(const struct imalog_entry *e)
{
	const struct imalog_field *n = e->event_name, *d = e->file_digest;

	return n && d && n->str_len == 14 &&
	       !memcmp(n->data, "boot_aggregate", 14) && d->digest_len &&
	       vt_all_bytes(d->digest, d->digest_len, 0);
}

int vt_rp_run_list(struct pass *ps, struct imalog_entry *e)
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
			vt_err(vt_rp_pass_name(ps), "offset %llu (entry %llu): PCR %u is out of range",
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
		if (!e->index && ps->src == VT_SOURCE_IMA && ima_bypass(e))
			ps->bypass = true;
		if (ps->bypass) {
			ps->entries++;
			continue;
		}
		violation = ps->src == VT_SOURCE_IMA &&
			    vt_all_bytes(e->digest, e->digest_len, 0);
		bad = false;
		if (!violation && ps->have_verify) {
			if (vt_hash_digest(&ps->verify, e->data, e->data_len,
					   dig)) {
				ret = -vt_rp_hash_failed(ps->list_alg);
				break;
			}
			if (memcmp(dig, e->digest, e->digest_len))
				bad = true;
		}
		for (i = 0; i < ps->nr_banks; i++) {
			b = ps->banks[i];
			alg = b->alg;
			st = &b->pcr[e->pcr];
			vt_rp_touch(st, ps, alg);
			if (violation) {
				ext = ones;
				st->violations++;
			} else {
				if (vt_hash_digest(&b->hash, e->data,
						   e->data_len, dig)) {
					ret = -vt_rp_hash_failed(alg);
					goto out;
				}
				ext = dig;
				if (ps->list_digest[alg->id]) {
					if (memcmp(dig, e->digest, alg->size))
						bad = true;
					/* what the kernel extended */
					ext = e->digest;
				}
			}
			if (vt_hash_extend(&b->hash, st->run, ext)) {
				ret = -vt_rp_hash_failed(alg);
				goto out;
			}
			st->entries++;
			if (vt_rp_at_value(st, alg)) {
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
		vt_err(vt_rp_pass_name(ps), "%llu more entries with a wrong template digest",
		       (unsigned long long)(ps->digest_errors -
					    DIGEST_ERRORS_SHOWN));
	return ret < 0 ? -ret : 0;
}
