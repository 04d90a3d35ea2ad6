// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What this boot measured, in the baseline schema; see collect.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "baseline.h"
#include "bindex.h"
#include "collect.h"
#include "compset.h"
#include "fwlog.h"
#include "hash.h"
#include "hex.h"
#include "names.h"
#include "sources.h"
#include "uefilog.h"
#include "start.h"
#include "util.h"
#include "vtrust.h"

/*
 * vtrust's state: its configuration at start (the start entry without the
 * values that differ on every boot) and every state change after it, in
 * order. A boot that runs vtrust with another policy, other parameters or
 * without a policy write the baseline's boot made differs in the
 * component "vtrust-state", so a weaker vtrust cannot pass for the
 * baseline's by loading less.
 */
#define VT_STATE_NAME	"vtrust-state"

struct state_event {
	int64_t index;
	uint8_t digest[32];	/* sha256 of what the entry says */
};

#define BATCH	32
#define DIGEST_TEXT_MAX	(2 * VT_DIGEST_MAX + 40)

/* Entries of a filtered list that are yet to be looked up, packed. */
struct pending {
	int64_t index[BATCH];
	struct vt_bindex_query q[BATCH];
	size_t used;			/* of text */
	char text[BATCH * (VT_NAME_MAX + 1 + DIGEST_TEXT_MAX)];
};

struct vt_collector {
	json_object *pcrs;		/* bank -> [24 values] */
	json_object *stages;		/* firmware, kernel, ima, vtrust */
	/* the list being read: name -> digests with their first index */
	struct vt_compset *comps[VT_SOURCE_COUNT];
	/* vt_collector_filter(): the index, and per position of each list's
	 * table the first entry (plus one) that matched it, 0: none */
	const struct vt_bindex *filter;
	uint64_t *seen[VT_SOURCE_COUNT];
	/* entries waiting to be looked up together (vt_bindex_match_many) */
	struct pending *batch[VT_SOURCE_COUNT];
	size_t nr_batch[VT_SOURCE_COUNT];
	size_t next[VT_SOURCE_COUNT];	/* vt_bindex_match_many()'s */
	json_object *violations[VT_SOURCE_COUNT];	/* name -> index */
	struct state_event *state;	/* vtrust's start entry, then changes */
	size_t nr_state, cap_state;
};

struct vt_collector *vt_collector_new(void)
{
	struct vt_collector *c = calloc(1, sizeof(*c));

	if (!c)
		goto oom;
	c->pcrs = json_object_new_object();
	c->stages = json_object_new_object();
	if (!c->pcrs || !c->stages)
		goto oom;
	json_object_object_add(c->stages, "firmware", json_object_new_array());
	json_object_object_add(c->stages, "kernel", json_object_new_array());
	json_object_object_add(c->stages, "ima", NULL);
	json_object_object_add(c->stages, "vtrust", NULL);
	return c;
oom:
	vt_collector_free(c);
	vt_err("baseline", "out of memory");
	return NULL;
}

void vt_collector_free(struct vt_collector *c)
{
	unsigned int i;

	if (!c)
		return;
	json_object_put(c->pcrs);
	json_object_put(c->stages);
	for (i = 0; i < VT_SOURCE_COUNT; i++) {
		vt_compset_free(c->comps[i]);
		json_object_put(c->violations[i]);
		free(c->seen[i]);
		free(c->batch[i]);
	}
	free(c->state);
	free(c);
}

void vt_collector_filter(struct vt_collector *c, const struct vt_bindex *x)
{
	c->filter = x;
}

static enum vt_stage stage_of_source(enum vt_source src)
{
	return src == VT_SOURCE_IMA ? VT_STAGE_IMA : VT_STAGE_VTRUST;
}

/* A component of list @src, of entry @index: in @src's set. 0 or -1. */
static int keep(struct vt_collector *c, enum vt_source src, const char *name,
		size_t len, const char *digest, size_t dlen, int64_t index)
{
	struct vt_comp *comp;

	/* repeated names are merged when the list is done */
	comp = vt_compset_append(c->comps[src], name, len);
	return comp && vt_comp_add(c->comps[src], comp, digest, dlen,
				   index) >= 0 ? 0 : -1;
}

/*
 * Look the waiting entries of @src up in the index: one it has is seen,
 * the others are kept, in list order. 0 or -1.
 */
static int flush(struct vt_collector *c, enum vt_source src)
{
	enum vt_stage stage = stage_of_source(src);
	struct pending *p = c->batch[src];
	const struct vt_bindex_query *q;
	size_t i, n = c->nr_batch[src];

	c->nr_batch[src] = 0;
	if (!n)
		return 0;
	p->used = 0;
	vt_bindex_match_many(c->filter, stage, p->q, n, &c->next[src]);
	for (i = 0; i < n; i++) {
		q = &p->q[i];
		/* IMA's boot_aggregate is always kept (collect.h) */
		if (q->pos < 0 || (src == VT_SOURCE_IMA &&
				   !strcmp(q->name, "boot_aggregate"))) {
			if (keep(c, src, q->name, q->len, q->digest, q->dlen,
				 p->index[i]))
				return -1;
			continue;
		}
		if (!c->seen[src]) {
			c->seen[src] = calloc(vt_bindex_size(c->filter, stage),
					      sizeof(uint64_t));
			if (!c->seen[src])
				return -1;
		}
		if (!c->seen[src][q->pos])
			c->seen[src][q->pos] = p->index[i] + 1;
	}
	return 0;
}

/* An entry of a filtered list: it waits for the next flush. 0 or -1. */
static int filter_entry(struct vt_collector *c, enum vt_source src,
			const char *name, const char *digest, int64_t index)
{
	struct vt_bindex_query *q;
	struct pending *p;
	char *t;

	if (!c->batch[src]) {
		c->batch[src] = malloc(sizeof(*c->batch[src]));
		if (!c->batch[src])
			return -1;
		c->batch[src]->used = 0;
	}
	p = c->batch[src];
	q = &p->q[c->nr_batch[src]];
	p->index[c->nr_batch[src]++] = index;
	q->len = strlen(name);
	q->dlen = strlen(digest);
	t = p->text + p->used;
	memcpy(t, name, q->len + 1);
	memcpy(t + q->len + 1, digest, q->dlen + 1);
	q->name = t;
	q->digest = t + q->len + 1;
	p->used += q->len + q->dlen + 2;
	return c->nr_batch[src] == BATCH ? flush(c, src) : 0;
}

/*
 * A filtered list's set, entries 0..@through, made to look as the whole
 * list's would where the comparison can tell: its names in the order of
 * their first entry (the left-out entries' too: the order differences are
 * listed in), and the count of names left out, less those that @set has
 * too (with another digest), which @set counts itself. 0 or -1.
 */
static int settle_filtered(struct vt_collector *c, enum vt_source src,
			   struct vt_compset *set, int64_t through)
{
	enum vt_stage stage = stage_of_source(src);
	const uint64_t *seen = c->seen[src];
	const uint64_t last = (uint64_t)(through + 1);
	const struct vt_comp *comp;
	size_t n = 0, p, i = 0;
	int64_t pos, *keys;
	uint32_t k;
	int ret;

	if (!seen)
		return 0;
	for (p = 0; p < vt_bindex_size(c->filter, stage); p++)
		n += seen[p] && seen[p] <= last;
	keys = malloc(vt_compset_size(set) * sizeof(*keys) + 1);
	if (!keys)
		return -1;
	for (p = 0; p < vt_compset_size(set); p++)
		keys[p] = INT64_MAX;
	while ((comp = vt_compset_next(set, &i))) {
		for (k = 0; k < comp->nr; k++)
			if (comp->d[k].index < keys[i - 1])
				keys[i - 1] = comp->d[k].index;
		pos = vt_bindex_match(c->filter, stage, comp->name, comp->len,
				      NULL, 0, NULL);
		if (pos < 0 || !seen[pos] || seen[pos] > last)
			continue;
		n--;
		if ((int64_t)seen[pos] - 1 < keys[i - 1])
			keys[i - 1] = (int64_t)seen[pos] - 1;
	}
	vt_compset_set_elided(set, n);
	ret = vt_compset_sort(set, keys);
	free(keys);
	return ret;
}

int vt_collect_pcr(struct vt_collector *c, const struct vt_alg *alg,
		   unsigned int k, const uint8_t *value)
{
	json_object *arr;

	if (!json_object_object_get_ex(c->pcrs, alg->name, &arr)) {
		arr = json_object_new_array_ext(VT_PCR_COUNT);
		if (!arr || json_object_object_add(c->pcrs, alg->name, arr))
			return -1;
	}
	return json_object_array_put_idx(arr, k, value ?
					 vt_json_hex(value, alg->size) : NULL);
}

/* ---- the firmware log ---- */

/*
 * The event in the baseline schema, into *out; NULL when it has no digest of
 * a replayed bank (the replay has reported that). 0, or -1: out of memory.
 */
static int event_json(const struct uefilog *l, const struct uefilog_event *e,
		      const bool banks[VT_ALG_COUNT], json_object **out)
{
	json_object *o, *d;
	struct uefilog_info in;
	const struct vt_alg *alg;
	char name[VT_NAME_MAX + 1], desc[VT_NAME_MAX + 1], tbuf[16];
	unsigned int i, n = 0;

	*out = NULL;
	d = json_object_new_object();
	if (!d)
		return -1;
	for (i = 0; i < e->nr_digests; i++) {
		alg = vt_alg_by_tpm(e->digests[i].alg);
		/* only digests the replay compared with the TPM */
		if (!alg || !banks[alg->id] || alg->size != e->digests[i].size)
			continue;
		json_object_object_add(d, alg->name,
				       vt_json_hex(e->digests[i].bytes,
						   e->digests[i].size));
		n++;
	}
	uefilog_decode(l, e, &in);
	uefilog_describe(e, &in, desc, sizeof(desc));
	/* a description vtrust wrote: stored as it is if it may be */
	if (vt_name_valid(desc, strlen(desc), VT_NAME_MAX))
		snprintf(name, sizeof(name), "%s", desc);
	else
		vt_name_escape((const uint8_t *)desc, strlen(desc), name,
			       VT_NAME_MAX, NULL);
	if (!n) {
		json_object_put(d);
		return 0;
	}
	o = json_object_new_object();
	if (!o) {
		json_object_put(d);
		return -1;
	}
	json_object_object_add(o, "pcr", json_object_new_int(e->pcr));
	json_object_object_add(o, "type", json_object_new_string(
				       vt_fwlog_type_name(e->type, tbuf,
							  sizeof(tbuf))));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "digests", d);
	*out = o;
	return 0;
}

int vt_collect_uefi(struct vt_collector *c, const uint8_t *buf, size_t len,
		    const bool banks[VT_ALG_COUNT])
{
	json_object *arr[2], *ev;
	struct uefilog_error err;
	struct uefilog_event e;
	struct uefilog l;
	int stage, ret;

	arr[0] = json_object_object_get(c->stages, "firmware");
	arr[1] = json_object_object_get(c->stages, "kernel");
	if (uefilog_open(&l, buf, len, &err))
		return -1;
	while ((ret = uefilog_next(&l, &e, &err)) == 1) {
		if (e.type == EV_NO_ACTION)
			continue;
		stage = vt_stage_of_pcr(e.pcr);
		if (stage < 0)
			continue;
		if (event_json(&l, &e, banks, &ev))
			return -1;
		if (ev && json_object_array_add(arr[stage], ev)) {
			json_object_put(ev);
			return -1;
		}
	}
	return ret < 0 ? -1 : 0;
}

/* ---- IMA's and vtrust's lists ---- */

/* "<algo>:<hex>" of an entry's file digest, or false if it has none. */
static bool entry_digest(const struct imalog_entry *e, char *out, size_t size)
{
	const struct imalog_field *f = e->file_digest;
	size_t n, i;

	if (!f || !f->digest_len || f->digest_len > VT_DIGEST_MAX)
		return false;
	if (f->type == IMALOG_F_DIGEST_NG) {
		n = f->algo_len < 32 ? f->algo_len : 32;
		if (!n)
			return false;
		for (i = 0; i < n; i++) {
			char ch = f->algo[i];

			out[i] = (ch >= 'a' && ch <= 'z') ||
				 (ch >= '0' && ch <= '9') ||
				 ch == '_' || ch == '-' ? ch :
				 ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : '-';
		}
	} else {
		n = 4;
		memcpy(out, "sha1", 4);
	}
	if (n + 1 + 2 * f->digest_len + 1 > size)
		return false;
	out[n] = ':';
	vt_hex(out + n + 1, f->digest, f->digest_len);
	return true;
}

/*
 * An entry without a name or a file digest still counts (fail closed): it
 * is the component "<template NAME>" with its template digest.
 */
static void anonymous(const struct imalog_entry *e, char *name, char *digest,
		      size_t size)
{
	uint8_t t[IMALOG_NAME_MAX + 16];
	int n;

	n = snprintf((char *)t, sizeof(t), "<template %s>", e->template_name);
	vt_safe_name(t, n > 0 ? (size_t)n : 0, name);
	memcpy(digest, "template:", 9);
	vt_hex(digest + 9, e->digest, e->digest_len < (size - 10) / 2 ?
	       e->digest_len : (size - 10) / 2);
}

static int note(json_object *set, const char *key, int64_t index)
{
	json_object *v;

	if (json_object_object_get_ex(set, key, &v))
		return 0;
	v = json_object_new_int64(index);
	if (!v || json_object_object_add(set, key, v)) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static const char *const state_names[] = {
	"vtrust-policy", "vtrust-baseline", "vtrust-sealed", "vtrust-update:",
};

/* The start entry's line without prior=, aggregate= and instance=. */
static int config_digest(const struct imalog_entry *e, struct vt_hash *h)
{
	const uint8_t *p = e->buf->data, *end = p + e->buf->len, *q;
	static const char *const boot_only[] = {
		"prior=", "aggregate=", "instance=",
	};
	unsigned int i;

	if (vt_hash_start(h))
		return -1;
	for (; p < end; p = q + 1) {
		q = memchr(p, ' ', end - p);
		if (!q)
			q = end;
		for (i = 0; i < 3; i++)
			if ((size_t)(q - p) >= strlen(boot_only[i]) &&
			    !memcmp(p, boot_only[i], strlen(boot_only[i])))
				break;
		if (i < 3)
			continue;
		if (vt_hash_update(h, p, q - p) || vt_hash_update(h, " ", 1))
			return -1;
	}
	return 0;
}

/* A state event of vtrust's list (or its start entry): kept in order. */
static int note_state(struct vt_collector *c, const struct imalog_entry *e,
		      const char *name, const char *digest)
{
	struct state_event *n;
	struct vt_hash h;
	bool start = !e->index && !strcmp(name, VT_START_NAME);
	unsigned int i;
	int ret;

	for (i = 0; !start && i < 4; i++)
		if (!strncmp(name, state_names[i], strlen(state_names[i])))
			break;
	if (!start && i == 4)
		return 0;
	if (start && !e->buf)
		return 0;
	if (c->nr_state == c->cap_state) {
		n = realloc(c->state, (c->cap_state ? 2 * c->cap_state : 8) *
			    sizeof(*n));
		if (!n)
			return -1;
		c->state = n;
		c->cap_state = c->cap_state ? 2 * c->cap_state : 8;
	}
	n = &c->state[c->nr_state];
	if (vt_hash_init(&h, &vt_algs[VT_ALG_SHA256]))
		return -1;
	ret = start ? config_digest(e, &h) :
	      vt_hash_start(&h) || vt_hash_update(&h, name, strlen(name) + 1) ||
	      vt_hash_update(&h, digest, strlen(digest));
	ret = ret || vt_hash_final(&h, n->digest);
	vt_hash_free(&h);
	if (ret)
		return -1;
	n->index = (int64_t)e->index;
	c->nr_state++;
	return 0;
}

/* The "vtrust-state" component of entries 0..@through. */
static int add_state(struct vt_collector *c, struct vt_compset *comps,
		     int64_t through)
{
	char digest[8 + 2 * 32];
	struct vt_comp *comp;
	uint8_t sum[32];
	struct vt_hash h;
	size_t i;
	int ret;

	if (!c->nr_state || c->state[0].index > through)
		return 0;
	if (vt_hash_init(&h, &vt_algs[VT_ALG_SHA256]))
		return -1;
	ret = vt_hash_start(&h);
	for (i = 0; !ret && i < c->nr_state && c->state[i].index <= through;
	     i++)
		ret = vt_hash_update(&h, c->state[i].digest, 32);
	ret = ret || vt_hash_final(&h, sum);
	vt_hash_free(&h);
	if (ret)
		return -1;
	memcpy(digest, "sha256:", 7);
	vt_hex(digest + 7, sum, 32);
	comp = vt_compset_add(comps, VT_STATE_NAME, strlen(VT_STATE_NAME));
	return comp && vt_comp_add(comps, comp, digest, strlen(digest),
				   through) >= 0 ? 0 : -1;
}

int vt_collect_entry(struct vt_collector *c, enum vt_source src,
		     const struct imalog_entry *e, bool violation)
{
	char name[VT_NAME_MAX + 1], digest[DIGEST_TEXT_MAX];

	if (!c->comps[src]) {
		c->comps[src] = vt_compset_new();
		c->violations[src] = json_object_new_object();
		if (!c->comps[src] || !c->violations[src])
			return -1;
	}
	if (e->event_name)
		vt_safe_name(e->event_name->data, e->event_name->str_len, name);
	/* IMA's mark of a measurement it could not take: not a component */
	if (violation)
		return note(c->violations[src], e->event_name ? name :
			    "<unnamed>", (int64_t)e->index);
	if (!e->event_name || !name[0] ||
	    !entry_digest(e, digest, sizeof(digest)))
		anonymous(e, name, digest, sizeof(digest));
	if (src == VT_SOURCE_VTRUST && note_state(c, e, name, digest))
		return -1;
	/* structure, checked by the replay: not components */
	if (src == VT_SOURCE_VTRUST &&
	    ((!e->index && !strcmp(name, VT_START_NAME)) ||
	     !strcmp(name, "vtrust-unload")))
		return 0;
	if (c->filter)
		return filter_entry(c, src, name, digest, (int64_t)e->index);
	return keep(c, src, name, strlen(name), digest, strlen(digest),
		    (int64_t)e->index);
}

void vt_collect_list_reset(struct vt_collector *c, enum vt_source src)
{
	if (src == VT_SOURCE_VTRUST)
		c->nr_state = 0;
	vt_compset_free(c->comps[src]);
	json_object_put(c->violations[src]);
	free(c->seen[src]);
	c->comps[src] = NULL;
	c->violations[src] = NULL;
	c->seen[src] = NULL;
	c->nr_batch[src] = 0;
	if (c->batch[src])
		c->batch[src]->used = 0;
	c->next[src] = 0;
}

/* The keys of @set whose index is at most @through, as an array. */
static json_object *keys_through(json_object *set, int64_t through)
{
	json_object *arr = json_object_new_array();

	if (!arr)
		return NULL;
	json_object_object_foreach(set, key, v) {
		if (json_object_get_int64(v) > through)
			continue;
		if (json_object_array_add(arr, json_object_new_string(key))) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}

int vt_collect_list_done(struct vt_collector *c, enum vt_source src,
			 int64_t through, unsigned int pcr)
{
	json_object *st = NULL, *comps = NULL, *viol = NULL;
	struct vt_compset *set = c->comps[src];

	/* the stage is null when the PCRs vouch for nothing of it */
	if (through < -1 || !set)
		goto out;
	if (c->filter && flush(c, src))
		return -1;
	c->comps[src] = NULL;
	if (vt_compset_settle(set, NULL)) {
		vt_compset_free(set);
		return -1;
	}
	vt_compset_through(set, through);
	if (src == VT_SOURCE_VTRUST && add_state(c, set, through)) {
		vt_compset_free(set);
		return -1;
	}
	if (c->filter && settle_filtered(c, src, set, through)) {
		vt_compset_free(set);
		return -1;
	}
	st = json_object_new_object();
	comps = vt_compset_json(set);
	viol = keys_through(c->violations[src], through);
	if (!st || !comps || !viol)
		goto oom;
	json_object_object_add(st, "pcr", json_object_new_int(pcr));
	json_object_object_add(st, "components", comps);
	if (src == VT_SOURCE_IMA)
		json_object_object_add(st, "violations", viol);
	else
		json_object_put(viol);
	comps = viol = NULL;
out:
	json_object_object_add(c->stages, vt_source_name(src), st);
	vt_compset_free(c->comps[src]);
	json_object_put(c->violations[src]);
	c->comps[src] = NULL;
	c->violations[src] = NULL;
	c->nr_batch[src] = 0;
	if (c->batch[src])
		c->batch[src]->used = 0;
	return 0;
oom:
	json_object_put(st);
	json_object_put(comps);
	json_object_put(viol);
	return -1;
}

/*
 * IMA's boot_aggregate is a digest of PCRs 0-9 (0-7 for SHA-1), which the
 * firmware and kernel stages already compare event by event: when it is
 * the digest of this TPM's PCRs, it is no component of its own. (One that
 * is not stays, and shows as a difference.)
 */
static void drop_boot_aggregate(json_object *doc)
{
	struct vt_compset *comps;
	struct vt_comp *comp;
	json_object *bank, *v;
	const struct vt_alg *alg;
	const char *d, *colon;
	uint8_t pcr[VT_DIGEST_MAX], sum[VT_DIGEST_MAX];
	char hex[2 * VT_DIGEST_MAX + 1];
	struct vt_hash h;
	unsigned int k, n;
	bool ok = true;

	comps = vt_compset_of(json_object_object_get(json_object_object_get(
		json_object_object_get(doc, "stages"), "ima"), "components"));
	comp = comps ? vt_compset_get(comps, "boot_aggregate", 14) : NULL;
	if (!comp || comp->nr != 1)
		return;
	d = comp->d[0].s;
	colon = strchr(d, ':');
	alg = colon ? vt_alg_find(d, colon - d) : NULL;
	if (!alg || !json_object_object_get_ex(json_object_object_get(doc, "pcrs"),
					       alg->name, &bank) ||
	    vt_hash_init(&h, alg))
		return;
	n = alg->id == VT_ALG_SHA1 ? 8 : 10;
	ok = !vt_hash_start(&h);
	for (k = 0; ok && k < n; k++) {
		v = json_object_array_get_idx(bank, k);
		ok = v && !vt_unhex(pcr, alg->size, json_object_get_string(v),
				   json_object_get_string_len(v)) &&
		     !vt_hash_update(&h, pcr, alg->size);
	}
	ok = ok && !vt_hash_final(&h, sum);
	vt_hash_free(&h);
	if (!ok)
		return;
	vt_hex(hex, sum, alg->size);
	if (!strcmp(colon + 1, hex))
		vt_comp_remove(comps, comp, d);
}

int vt_collect_finish(struct vt_collector *c, json_object **out)
{
	json_object *doc;
	struct utsname un;
	char now[32], host[256];

	*out = NULL;
	doc = json_object_new_object();
	if (!doc) {
		vt_err("baseline", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	vt_now_iso(now, sizeof(now));
	if (gethostname(host, sizeof(host)))
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	json_object_object_add(doc, "format",
			       json_object_new_string(VT_BASELINE_FORMAT));
	json_object_object_add(doc, "version",
			       json_object_new_int(VT_BASELINE_VERSION));
	json_object_object_add(doc, "created", json_object_new_string(now));
	json_object_object_add(doc, "updated", json_object_new_string(now));
	json_object_object_add(doc, "host", host[0] ?
			       json_object_new_string(host) : NULL);
	json_object_object_add(doc, "kernel_release", !uname(&un) ?
			       json_object_new_string(un.release) : NULL);
	json_object_object_add(doc, "pcrs", c->pcrs);
	json_object_object_add(doc, "stages", c->stages);
	c->pcrs = c->stages = NULL;
	drop_boot_aggregate(doc);
	json_object_object_add(doc, "exceptions", json_object_new_array());
	json_object_object_add(doc, "history", json_object_new_array());
	*out = doc;
	return 0;
}
