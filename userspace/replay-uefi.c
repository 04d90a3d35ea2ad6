// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The replay of the firmware's TCG event log into every PCR it names (0-23)
 * of every bank the TPM has: EV_NO_ACTION events are not extended; a
 * StartupLocality event sets PCR 0's start value. A bank the TPM has and the
 * log lacks, an event without a digest of a bank, an event whose data does
 * not match its digest where the TCG defines the digest as one of the data
 * (the log was edited), and a separator that signals an error are problems:
 * the log then proves nothing about the boot. See replay-int.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "replay-int.h"
#include "uefilog.h"
#include "util.h"
#include "vtrust.h"

static int log_error(const struct pass *ps, const struct uefilog_error *err)
{
	vt_err(vt_rp_pass_name(ps), "offset %zu (event %llu): %s", err->offset,
	       (unsigned long long)err->index, err->msg);
	return VT_EXIT_USAGE;
}

/* "event 12 (EV_EFI_ACTION \"Calling EFI Application...\")" */
static void event_what(const struct uefilog *l, const struct uefilog_event *e,
		       char *out, size_t size)
{
	struct uefilog_info info;
	const char *type = uefilog_type_name(e->type);
	char desc[96], tbuf[16];

	uefilog_decode(l, e, &info);
	uefilog_describe(e, &info, desc, sizeof(desc));
	if (!type) {
		snprintf(tbuf, sizeof(tbuf), "0x%08x", e->type);
		type = tbuf;
	}
	snprintf(out, size, "event %llu (%s %s)", (unsigned long long)e->index,
		 type, desc);
}

/* Which banks the log has, and the StartupLocality event. */
static int uefi_setup(struct replay *r, struct pass *ps, struct uefilog *l)
{
	const struct uefilog_alg *a;
	struct uefilog_error err;
	struct uefilog_event e;
	struct pcr_state *st;
	struct bank *b;
	unsigned int i;
	size_t n = 0;
	int ret;

	ps->agile = l->agile;
	for (i = 0; i < (l->agile ? l->spec.nr_algs : 1); i++) {
		const struct vt_alg *va = NULL;
		uint16_t id = l->agile ? l->spec.algs[i].id : UEFILOG_SHA1_ALG;
		unsigned int k;

		for (k = 0; k < VT_ALG_COUNT; k++)
			if (vt_algs[k].tpm_alg == id)
				va = &vt_algs[k];
		if (va)
			n += snprintf(ps->algs + n, sizeof(ps->algs) - n,
				      "%s%s", n ? " " : "", va->name);
		else
			n += snprintf(ps->algs + n, sizeof(ps->algs) - n,
				      "%s0x%04x", n ? " " : "", id);
		if (n >= sizeof(ps->algs))
			n = sizeof(ps->algs) - 1;
	}
	for (i = 0; i < ps->nr_banks; i++) {
		b = ps->banks[i];
		a = uefilog_find_alg(l, b->alg->tpm_alg);
		if (!a) {
			b->not_in_log = true;
			ret = vt_rp_problem(r, ps->src, -1, "unverifiable", true,
					    "the firmware log has no %s digests, a bank the TPM has: that bank's PCRs 0-9 are unverifiable",
					    b->alg->name);
			if (ret)
				return ret;
			continue;
		}
		if (a->size != b->alg->size) {
			vt_err(vt_rp_pass_name(ps), "the Spec ID event gives %s digests %u bytes, not %u",
			       b->alg->name, a->size, b->alg->size);
			return VT_EXIT_USAGE;
		}
	}
	/*
	 * The parser knows PCR 0's StartupLocality (0, 3 or 4, once, before
	 * PCR 0's first extend) by the time it hands out that extend; the
	 * start values are set before any event is replayed, so read the
	 * log through once first (the same buffer).
	 */
	while ((ret = uefilog_next(l, &e, &err)) == 1)
		;
	ps->locality = l->locality;
	if (ret < 0)
		return log_error(ps, &err);
	/* every PCR of the log is compared, events or not */
	for (i = 0; i < ps->nr_banks; i++) {
		b = ps->banks[i];
		for (n = 0; n < 10; n++)
			vt_rp_touch(&b->pcr[n], ps, b->alg);
		if (b->not_in_log)
			continue;
		st = &b->pcr[0];
		if (ps->locality > 0) {
			/* TPM2_Startup at locality 3 (4: H-CRTM) */
			memset(st->r.value, 0, b->alg->size);
			st->r.value[b->alg->size - 1] = ps->locality;
			st->locality = ps->locality;
			vt_rp_run_reset(st, &st->r, b->alg);
		}
	}
	return 0;
}

/* Does the event's digest in bank @b match its data, where it must? */
static int check_data(struct bank *b, const struct uefilog_event *e,
		      const struct uefilog_info *info,
		      const struct uefilog_digest *d, bool *bad)
{
	uint8_t dig[VT_DIGEST_MAX];
	const uint8_t *alt;
	size_t alt_len;

	*bad = false;
	if (!uefilog_digest_covers_data(e, info, &alt, &alt_len))
		return 0;
	if (vt_hash_digest(&b->hash, e->data, e->data_len, dig))
		return vt_rp_hash_failed(b->alg);
	if (!memcmp(dig, d->bytes, d->size))
		return 0;
	if (alt) {
		if (vt_hash_digest(&b->hash, alt, alt_len, dig))
			return vt_rp_hash_failed(b->alg);
		if (!memcmp(dig, d->bytes, d->size))
			return 0;
	}
	*bad = true;
	return 0;
}

static int uefi_event(struct replay *r, struct pass *ps,
		      const struct uefilog *l, const struct uefilog_event *e)
{
	const struct uefilog_digest *d;
	struct uefilog_info info;
	struct pcr_state *st;
	struct bank *b;
	bool bad, any_bad = false;
	char what[CULPRIT_MAX];
	unsigned int i;
	int ret;

	uefilog_decode(l, e, &info);
	what[0] = '\0';
	for (i = 0; i < ps->nr_banks; i++) {
		b = ps->banks[i];
		if (b->not_in_log)
			continue;
		st = &b->pcr[e->pcr];
		vt_rp_touch(st, ps, b->alg);
		d = uefilog_event_digest(e, b->alg->tpm_alg);
		if (!d) {
			if (!st->skipped++) {
				event_what(l, e, what, sizeof(what));
				ret = vt_rp_problem(r, ps->src, (int)e->pcr,
						    "unverifiable", true,
						    "%s has no %s digest: PCR %u of that bank is unverifiable",
						    what, b->alg->name, e->pcr);
				if (ret)
					return ret;
			}
			continue;
		}
		ret = check_data(b, e, &info, d, &bad);
		if (ret)
			return ret;
		if (!what[0] && (bad || (vt_rp_at(st, st->r.value, b->alg) &&
					 st->r.after_match < 0)))
			event_what(l, e, what, sizeof(what));
		if (bad && st->first_bad < 0) {
			st->first_bad = e->index;
			snprintf(st->first_bad_what, CULPRIT_MAX, "%s", what);
		}
		any_bad |= bad;
		/* matching until this event: it is the first that may not */
		if (vt_rp_at(st, st->r.value, b->alg)) {
			if (!what[0])
				event_what(l, e, what, sizeof(what));
			snprintf(st->after_match_what, CULPRIT_MAX, "%s", what);
		}
		st->entries++;
		ret = vt_rp_extend(b, st, &st->r, d->bytes, e->index,
				   st->entries);
		if (ret)
			return ret;
	}
	if (!what[0] && (any_bad || uefilog_separator_error(e, &info)))
		event_what(l, e, what, sizeof(what));
	if (uefilog_separator_error(e, &info)) {
		ret = vt_rp_problem(r, ps->src, (int)e->pcr, "error", true,
				    "%s: the firmware signals an error in PCR %u's measurements",
				    what, e->pcr);
		if (ret)
			return ret;
	}
	if (!any_bad)
		return 0;
	if (ps->first_digest_error < 0)
		ps->first_digest_error = e->index;
	if (++ps->digest_errors > DIGEST_ERRORS_SHOWN)
		return 0;
	return vt_rp_problem(r, ps->src, (int)e->pcr, "edited", true,
			     "the data of %s does not match its digest: the log was edited",
			     what);
}

int vt_rp_run_uefi(struct replay *r, struct pass *ps)
{
	struct uefilog_error err;
	struct uefilog_event e;
	struct uefilog l;
	bool banks[VT_ALG_COUNT] = { false };
	uint8_t *buf;
	size_t len;
	unsigned int i;
	int ret;

	ret = vt_read_file(ps->path, VT_UEFI_LOG_MAX, &buf, &len);
	if (ret) {
		vt_err(vt_rp_pass_name(ps), "%s", ret == -EFBIG ?
		       "larger than any firmware log" : strerror(-ret));
		return ret == -EFBIG ? VT_EXIT_USAGE : VT_EXIT_SYSTEM;
	}
	if (uefilog_open(&l, buf, len, &err)) {
		ret = log_error(ps, &err);
		goto out;
	}
	ret = uefi_setup(r, ps, &l);
	if (ret)
		goto out;
	/* the same bytes again, from the start: nothing is read twice */
	uefilog_open(&l, buf, len, &err);
	while ((ret = uefilog_next(&l, &e, &err)) == 1) {
		ps->entries++;
		if (e.type == EV_NO_ACTION)
			continue;
		if (e.pcr >= VT_PCR_COUNT) {
			vt_err(vt_rp_pass_name(ps), "offset %zu (event %llu): PCR %u is out of range",
			       e.offset, (unsigned long long)e.index, e.pcr);
			ret = VT_EXIT_USAGE;
			goto out;
		}
		ret = uefi_event(r, ps, &l, &e);
		if (ret)
			goto out;
	}
	ret = ret < 0 ? log_error(ps, &err) : 0;
	if (ps->digest_errors > DIGEST_ERRORS_SHOWN)
		vt_err(vt_rp_pass_name(ps), "warning: %llu more events whose digest does not match their data",
		       (unsigned long long)(ps->digest_errors -
					    DIGEST_ERRORS_SHOWN));
	if (ret || !r->coll)
		goto out;
	for (i = 0; i < ps->nr_banks; i++)
		banks[ps->banks[i]->alg->id] = !ps->banks[i]->not_in_log;
	if (vt_collect_uefi(r->coll, buf, len, banks)) {
		vt_err("replay", "out of memory");
		ret = VT_EXIT_SYSTEM;
	}
out:
	free(buf);
	return ret;
}
