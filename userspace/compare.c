// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Comparing this boot with a baseline; see compare.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compset.h"
#include "hash.h"
#include "names.h"
#include "util.h"
#include "vtrust.h"

/* Largest n * m for the LCS table; beyond it events are paired by index. */
#define LCS_MAX (4U << 20)
#define REF_MAX (256U << 20)

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (o)
		json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *str(json_object *o, const char *key)
{
	return json_object_get_string(get(o, key));
}

static int pcr_of(json_object *ev)
{
	return json_object_get_int(get(ev, "pcr"));
}

bool vt_digests_equal(json_object *a, json_object *b)
{
	json_object *w;
	int common = 0;

	json_object_object_foreach(a, key, v) {
		if (!json_object_object_get_ex(b, key, &w))
			continue;
		common++;
		if (strcmp(json_object_get_string(v), json_object_get_string(w)))
			return false;
	}
	return common > 0;
}

static bool events_equal(json_object *a, json_object *b)
{
	return pcr_of(a) == pcr_of(b) &&
	       vt_digests_equal(get(a, "digests"), get(b, "digests"));
}

static bool same_what(json_object *a, json_object *b)
{
	return !strcmp(str(a, "type"), str(b, "type")) &&
	       !strcmp(str(a, "name"), str(b, "name"));
}

/* ---- the difference list ---- */

static struct vt_diff *new_diff(struct vt_diffs *ds, enum vt_stage stage,
				const char *kind)
{
	struct vt_diff *n;
	size_t cap;

	if (ds->nr == ds->cap) {
		cap = ds->cap ? 2 * ds->cap : 32;
		n = realloc(ds->d, cap * sizeof(*n));
		if (!n)
			return NULL;
		ds->d = n;
		ds->cap = cap;
	}
	n = &ds->d[ds->nr++];
	memset(n, 0, sizeof(*n));
	n->stage = stage;
	n->kind = kind;
	n->pcr = -1;
	ds->count[stage].diffs++;
	return n;
}

/* "sha1=<hex>;sha256=<hex>;" in vtrust's bank order */
static void digests_text(json_object *d, char *out, size_t size)
{
	json_object *v;
	size_t n = 0;
	unsigned int i;

	out[0] = '\0';
	for (i = 0; i < VT_ALG_COUNT; i++) {
		if (!json_object_object_get_ex(d, vt_algs[i].name, &v))
			continue;
		n += snprintf(out + n, n < size ? size - n : 0, "%s=%s;",
			      vt_algs[i].name, json_object_get_string(v));
	}
}

static int set_id(struct vt_diff *d)
{
	char dig[VT_ALG_COUNT * (2 * VT_DIGEST_MAX + 16) + 1];
	char *text;
	struct vt_hash h;
	uint8_t sum[32];
	size_t len;
	int ret = -1;

	dig[0] = '\0';
	if (d->digest)
		snprintf(dig, sizeof(dig), "%s", d->digest);
	else if (vt_stage_ordered(d->stage))
		digests_text(get(d->cur ? d->cur : d->base, "digests"), dig,
			     sizeof(dig));
	len = strlen(d->name) + strlen(dig) + 128;
	text = malloc(len);
	if (!text)
		return -1;
	snprintf(text, len, "%s|%s|%d|%s|%s|%s", vt_stage_name(d->stage),
		 d->kind, d->pcr, d->type ? d->type : "", d->name, dig);
	if (!vt_hash_init(&h, &vt_algs[VT_ALG_SHA256])) {
		if (!vt_hash_digest(&h, text, strlen(text), sum)) {
			vt_hex(d->id, sum, 8);
			ret = 0;
		}
		vt_hash_free(&h);
	}
	free(text);
	return ret;
}

/* ---- lookups: json-c objects as hash sets ---- */

static bool in_set(json_object *set, const char *key)
{
	return set && json_object_object_get_ex(set, key, NULL);
}

/* Add @key to @set (a json-c object, the value unused). 0 or -1. */
static int set_add(json_object *set, const char *key)
{
	return json_object_object_add(set, key, NULL);
}

/* "<pcr>|<bank>|<hex>" of one bank of an event. */
static void bank_key(char *out, size_t size, int pcr, const char *bank,
		     json_object *hex)
{
	snprintf(out, size, "%d|%s|%s", pcr, bank, json_object_get_string(hex));
}

#define BANK_KEY_MAX (2 * VT_DIGEST_MAX + 32)

/*
 * What the comparison looks up: the baseline's retired values (a
 * "<pcr>|<bank>|<hex>" -> event object for the ordered stages, a set of
 * digests for each runtime stage) and the reference.
 */
struct cmp {
	struct vt_diffs *ds;
	json_object *ref;
	json_object *retired_ev;
	json_object *retired_rt[VT_STAGE_COUNT];
};

static int index_retired(struct cmp *c, json_object *retired)
{
	char key[BANK_KEY_MAX];
	enum vt_stage stage;
	json_object *e;
	size_t i, n = retired ? json_object_array_length(retired) : 0;

	c->retired_ev = json_object_new_object();
	for (i = 0; i < VT_STAGE_COUNT; i++)
		c->retired_rt[i] = json_object_new_object();
	for (i = 0; i < VT_STAGE_COUNT; i++)
		if (!c->retired_ev || !c->retired_rt[i])
			return -1;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(retired, i);
		if (vt_stage_parse(str(e, "stage"), &stage))
			continue;
		if (!vt_stage_ordered(stage)) {
			if (set_add(c->retired_rt[stage], str(e, "digest")))
				return -1;
			continue;
		}
		json_object_object_foreach(get(e, "digests"), bank, hex) {
			bank_key(key, sizeof(key), pcr_of(e), bank, hex);
			if (json_object_object_add(c->retired_ev, key,
						   json_object_get(e)))
				return -1;
		}
	}
	return 0;
}

static void cmp_free(struct cmp *c)
{
	unsigned int i;

	json_object_put(c->retired_ev);
	for (i = 0; i < VT_STAGE_COUNT; i++)
		json_object_put(c->retired_rt[i]);
}

/* Is @ev (of this boot) an event that an accept or revoke retired? */
static bool retired_event(struct cmp *c, json_object *ev)
{
	char key[BANK_KEY_MAX];
	json_object *r;

	json_object_object_foreach(get(ev, "digests"), bank, hex) {
		bank_key(key, sizeof(key), pcr_of(ev), bank, hex);
		if (json_object_object_get_ex(c->retired_ev, key, &r) &&
		    vt_digests_equal(get(r, "digests"), get(ev, "digests")))
			return true;
	}
	return false;
}

/* ---- ordered stages ---- */

struct seq {
	json_object **ev;
	size_t n;
};

struct gap {
	json_object **r, **a;
	size_t nr, na;
};

static int emit(struct cmp *c, enum vt_stage stage, const char *kind,
		json_object *base, json_object *cur)
{
	struct vt_diff *d = new_diff(c->ds, stage, kind);
	json_object *ev = cur ? cur : base;

	if (!d)
		return -1;
	if (cur && retired_event(c, cur))
		d->kind = "rollback";
	d->base = base;
	d->cur = cur;
	d->pcr = pcr_of(ev);
	d->type = str(ev, "type");
	d->name = str(ev, "name");
	return set_id(d);
}

/* Pair what a gap removed and added into changes, by type and name. */
static int flush(struct cmp *c, enum vt_stage stage, struct gap *g)
{
	size_t i, j;

	for (i = 0; i < g->nr; i++) {
		for (j = 0; j < g->na; j++)
			if (g->a[j] && same_what(g->r[i], g->a[j]))
				break;
		if (j < g->na) {
			if (emit(c, stage, "changed", g->r[i], g->a[j]))
				return -1;
			g->a[j] = NULL;
		} else if (emit(c, stage, "removed", g->r[i], NULL)) {
			return -1;
		}
	}
	for (j = 0; j < g->na; j++)
		if (g->a[j] && emit(c, stage, "added", NULL, g->a[j]))
			return -1;
	g->nr = g->na = 0;
	return 0;
}

static int diff_pcr(struct cmp *c, enum vt_stage stage, struct seq *b,
		    struct seq *cs)
{
	size_t n = b->n, m = cs->n, i = 0, j = 0, w = m + 1;
	uint32_t *L = NULL;
	struct gap g = { 0 };
	int ret = -1;

	g.r = malloc((n + 1) * sizeof(*g.r));
	g.a = malloc((m + 1) * sizeof(*g.a));
	if (!g.r || !g.a)
		goto out;
	if (n && m && n * m <= LCS_MAX) {
		L = calloc((n + 1) * w, sizeof(*L));
		if (!L)
			goto out;
		for (i = n; i-- > 0;)
			for (j = m; j-- > 0;)
				L[i * w + j] = events_equal(b->ev[i], cs->ev[j]) ?
					       L[(i + 1) * w + j + 1] + 1 :
					       L[(i + 1) * w + j] > L[i * w + j + 1] ?
					       L[(i + 1) * w + j] : L[i * w + j + 1];
	}
	i = j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && events_equal(b->ev[i], cs->ev[j]) &&
		    (!L || L[i * w + j] == L[(i + 1) * w + j + 1] + 1)) {
			if (flush(c, stage, &g))
				goto out;
			i++;
			j++;
		} else if (i < n && (j == m || (L ? L[(i + 1) * w + j] >=
						 L[i * w + j + 1] : true))) {
			g.r[g.nr++] = b->ev[i++];
		} else {
			g.a[g.na++] = cs->ev[j++];
		}
	}
	ret = flush(c, stage, &g);
out:
	free(L);
	free(g.r);
	free(g.a);
	return ret;
}

/* The events of @arr in PCR @pcr, in order. */
static int pick(json_object *arr, int pcr, struct seq *s)
{
	size_t i, n = arr ? json_object_array_length(arr) : 0;

	s->n = 0;
	s->ev = malloc((n + 1) * sizeof(*s->ev));
	if (!s->ev)
		return -1;
	for (i = 0; i < n; i++)
		if (pcr_of(json_object_array_get_idx(arr, i)) == pcr)
			s->ev[s->n++] = json_object_array_get_idx(arr, i);
	return 0;
}

static int compare_ordered(struct cmp *c, enum vt_stage stage,
			   json_object *base, json_object *cur)
{
	struct seq b, cs;
	int pcr, ret = 0;

	c->ds->count[stage].items = cur ? json_object_array_length(cur) : 0;
	for (pcr = 0; !ret && pcr < VT_PCR_COUNT; pcr++) {
		if (vt_stage_of_pcr(pcr) != (int)stage)
			continue;
		b.ev = cs.ev = NULL;
		ret = pick(base, pcr, &b) || pick(cur, pcr, &cs) ? -1 : 0;
		if (!ret && (b.n || cs.n))
			ret = diff_pcr(c, stage, &b, &cs);
		free(b.ev);
		free(cs.ev);
	}
	return ret;
}

/* ---- ima and vtrust ---- */

/* "init_module:snd-hda" and "/lib/.../snd_hda.ko.xz" are the same module:
 * both give "snd_hda". Returns false for a path that is no module. */
static bool module_key(const char *name, bool path, char *out, size_t size)
{
	const char *base = path ? strrchr(name, '/') : NULL;
	size_t i, n;

	base = base ? base + 1 : name;
	n = path ? strcspn(base, ".") : strlen(base);
	if ((path && strncmp(base + n, ".ko", 3)) || !n || n >= size)
		return false;
	for (i = 0; i < n; i++)
		out[i] = base[i] == '-' ? '_' : base[i];
	out[n] = '\0';
	return true;
}

static bool referenced(json_object *ref, const char *name, const char *digest)
{
	json_object *names = get(ref, "names");
	char alt[VT_NAME_MAX + 8];

	if (!ref)
		return false;
	if (in_set(get(names, name), digest) || in_set(get(names, ""), digest))
		return true;
	/* d_path resolves /lib to /usr/lib on a merged-/usr system */
	if (!strncmp(name, "/usr/lib/modules/", 17))
		return in_set(get(names, name + 4), digest);
	if (!strncmp(name, "/lib/modules/", 13)) {
		snprintf(alt, sizeof(alt), "/usr%s", name);
		return in_set(get(names, alt), digest);
	}
	return !strncmp(name, "init_module:", 12) &&
	       module_key(name + 12, false, alt, sizeof(alt)) &&
	       in_set(get(get(ref, "modules"), alt), digest);
}

/* The components of a runtime stage (NULL: none). */
static struct vt_compset *comps_of(json_object *st)
{
	return vt_compset_of(get(st, "components"));
}

static struct vt_diff *runtime_diff(struct cmp *c, enum vt_stage stage,
				    const char *kind, const char *name,
				    json_object *st)
{
	struct vt_diff *d = new_diff(c->ds, stage, kind);

	if (!d)
		return NULL;
	d->name = name;
	d->list_pcr = json_object_get_int(get(st, "pcr"));
	return d;
}

/* The baseline has the stage, this boot does not. */
static int stage_missing(struct cmp *c, enum vt_stage stage, json_object *base)
{
	struct vt_diff *d = runtime_diff(c, stage, "missing",
					 vt_stage_name(stage), base);

	c->ds->count[stage].missing = true;
	if (!d)
		return -1;
	d->base = base;
	return set_id(d);
}

static int component_diffs(struct cmp *c, enum vt_stage stage,
			   json_object *base, json_object *cur)
{
	struct vt_compset *bset = comps_of(base), *cset = comps_of(cur);
	const struct vt_comp *comp, *known;
	struct vt_diff *d;
	const char *kind;
	size_t i = 0;
	uint32_t k;
	int ret = 0;

	/* a filtered collection counted what it left out (collect.h) */
	c->ds->count[stage].items += cset ? vt_compset_elided(cset) : 0;
	while (!ret && cset && (comp = vt_compset_next(cset, &i))) {
		c->ds->count[stage].items++;
		known = bset ? vt_compset_get_as(bset, comp) : NULL;
		for (k = 0; !ret && k < comp->nr; k++) {
			if (vt_comp_find(known, comp->d[k].s))
				continue;
			kind = in_set(c->retired_rt[stage], comp->d[k].s) ?
			       "rollback" : known ? "changed" : "new";
			d = runtime_diff(c, stage, kind, comp->name, cur);
			if (!d)
				return -1;
			/* a copy: accept changes the baseline's digests */
			if (known) {
				d->base = vt_comp_digests_json(known);
				d->own_base = true;
				if (!d->base)
					return -1;
			}
			d->digest = comp->d[k].s;
			d->referenced = stage == VT_STAGE_VTRUST &&
					referenced(c->ref, comp->name,
						   d->digest);
			ret = set_id(d);
		}
	}
	return ret;
}

/* IMA's violations: a name the baseline does not list is a difference. */
static int violation_diffs(struct cmp *c, json_object *base, json_object *cur)
{
	json_object *bv = get(base, "violations"), *cv = get(cur, "violations");
	json_object *set = json_object_new_object();
	size_t i, n = bv ? json_object_array_length(bv) : 0;
	struct vt_diff *d;
	int ret = set ? 0 : -1;

	for (i = 0; !ret && i < n; i++)
		ret = set_add(set, json_object_get_string(
				      json_object_array_get_idx(bv, i)));
	n = cv ? json_object_array_length(cv) : 0;
	for (i = 0; !ret && i < n; i++) {
		const char *name = json_object_get_string(
			json_object_array_get_idx(cv, i));

		if (in_set(set, name))
			continue;
		d = runtime_diff(c, VT_STAGE_IMA, "violation", name, cur);
		ret = d ? set_id(d) : -1;
	}
	json_object_put(set);
	return ret;
}

static int compare_runtime(struct cmp *c, enum vt_stage stage,
			   json_object *base, json_object *cur)
{
	if (!cur && !base) {
		c->ds->count[stage].absent = true;
		return 0;
	}
	if (!cur)
		return stage_missing(c, stage, base);
	if (component_diffs(c, stage, base, cur))
		return -1;
	return stage == VT_STAGE_IMA ? violation_diffs(c, base, cur) : 0;
}

int vt_compare(json_object *base, json_object *cur, json_object *ref,
	       struct vt_diffs *ds)
{
	json_object *bs = get(base, "stages"), *cs = get(cur, "stages");
	struct cmp c = { .ds = ds, .ref = ref };
	unsigned int s;
	size_t i;
	int ret;

	memset(ds, 0, sizeof(*ds));
	ret = index_retired(&c, get(base, "retired"));
	for (s = 0; !ret && s < VT_STAGE_COUNT; s++) {
		if (vt_stage_ordered(s))
			ret = compare_ordered(&c, s, get(bs, vt_stage_name(s)),
					      get(cs, vt_stage_name(s)));
		else
			ret = compare_runtime(&c, s, get(bs, vt_stage_name(s)),
					      get(cs, vt_stage_name(s)));
	}
	cmp_free(&c);
	if (ret) {
		vt_err("compare", "out of memory");
		vt_diffs_free(ds);
		return -1;
	}
	for (i = 0; i < ds->nr; i++)
		if (ds->d[i].referenced)
			ds->count[ds->d[i].stage].accepted++;
	return 0;
}

void vt_diffs_free(struct vt_diffs *ds)
{
	size_t i;

	for (i = 0; i < ds->nr; i++)
		if (ds->d[i].own_base)
			json_object_put(ds->d[i].base);
	free(ds->d);
	ds->d = NULL;
	ds->nr = ds->cap = 0;
}

size_t vt_diffs_open(const struct vt_diffs *ds)
{
	size_t i, n = 0;

	for (i = 0; i < ds->nr; i++)
		n += vt_diff_is_open(&ds->d[i]);
	return n;
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int vt_diffs_set_id(const struct vt_diffs *ds, char out[17])
{
	const char **ids = malloc((ds->nr + 1) * sizeof(*ids));
	struct vt_hash h;
	uint8_t sum[32];
	size_t i, n = 0;
	int ret = -1;

	if (!ids)
		return -1;
	for (i = 0; i < ds->nr; i++)
		if (vt_diff_is_open(&ds->d[i]))
			ids[n++] = ds->d[i].id;
	qsort(ids, n, sizeof(*ids), cmp_id);
	if (!vt_hash_init(&h, &vt_algs[VT_ALG_SHA256])) {
		ret = vt_hash_start(&h);
		for (i = 0; !ret && i < n; i++)
			ret = vt_hash_update(&h, ids[i], 16) ||
			      vt_hash_update(&h, "\n", 1);
		if (!ret)
			ret = vt_hash_final(&h, sum);
		vt_hash_free(&h);
	}
	free(ids);
	if (!ret)
		vt_hex(out, sum, 8);
	return ret;
}

/* ---- output ---- */

/* The digests of @d's side @cur (this boot) or the baseline's, for records
 * and reports: an event's digests; a component's digest or digests. */
static json_object *side(const struct vt_diff *d, bool cur)
{
	if (vt_stage_ordered(d->stage)) {
		json_object *ev = cur ? d->cur : d->base;

		return ev ? json_object_get(get(ev, "digests")) : NULL;
	}
	if (!strcmp(d->kind, "missing") || !strcmp(d->kind, "violation"))
		return NULL;
	if (cur)
		return json_object_new_string(d->digest);
	/* the diff's own copy of the baseline's digests (component_diffs):
	 * nothing changes it, so the record takes a reference */
	return d->base ? json_object_get(d->base) : NULL;
}

json_object *vt_diff_record(const struct vt_diff *d)
{
	json_object *o = json_object_new_object();
	bool ordered = vt_stage_ordered(d->stage);

	if (!o)
		return NULL;
	if (json_object_object_add(o, "id", json_object_new_string(d->id)) ||
	    json_object_object_add(o, "stage", json_object_new_string(
					   vt_stage_name(d->stage))) ||
	    json_object_object_add(o, "kind",
				   json_object_new_string(d->kind)) ||
	    json_object_object_add(o, "pcr", ordered ?
				   json_object_new_int(d->pcr) : NULL) ||
	    json_object_object_add(o, "type", ordered ?
				   json_object_new_string(d->type) : NULL) ||
	    json_object_object_add(o, "name",
				   json_object_new_string(d->name)) ||
	    json_object_object_add(o, "old", side(d, false)) ||
	    json_object_object_add(o, "new", side(d, true))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *vt_diff_json(const struct vt_diff *d)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "id", json_object_new_string(d->id));
	json_object_object_add(o, "stage",
			       json_object_new_string(vt_stage_name(d->stage)));
	json_object_object_add(o, "kind", json_object_new_string(d->kind));
	json_object_object_add(o, "pcr", json_object_new_int(d->pcr >= 0 ?
							     d->pcr :
							     d->list_pcr));
	json_object_object_add(o, "type", d->type ?
			       json_object_new_string(d->type) : NULL);
	json_object_object_add(o, "name", json_object_new_string(d->name));
	json_object_object_add(o, "baseline", side(d, false));
	json_object_object_add(o, "current", side(d, true));
	json_object_object_add(o, "accepted",
			       json_object_new_boolean(d->accepted));
	json_object_object_add(o, "referenced",
			       json_object_new_boolean(d->referenced));
	return o;
}

/* The bank to show: sha256 if both sides have it, else a common one. */
static const char *show_bank(json_object *a, json_object *b)
{
	static const unsigned int pref[] = {
		VT_ALG_SHA256, VT_ALG_SM3_256, VT_ALG_SHA384, VT_ALG_SHA512,
		VT_ALG_SHA1
	};
	json_object *da = get(a, "digests"), *db = get(b, "digests");
	unsigned int i;

	for (i = 0; i < VT_ALG_COUNT; i++)
		if (get(da, vt_algs[pref[i]].name) &&
		    (!b || get(db, vt_algs[pref[i]].name)))
			return vt_algs[pref[i]].name;
	for (i = 0; i < VT_ALG_COUNT; i++)
		if (get(da, vt_algs[pref[i]].name))
			return vt_algs[pref[i]].name;
	return NULL;
}

static void print_event_digest(json_object *ev, const char *bank)
{
	json_object *v = get(get(ev, "digests"), bank);

	if (!ev)
		printf("(none)");
	else if (v)
		printf("%s:%s", bank, json_object_get_string(v));
	else
		printf("(no %s digest)", bank);
}

static void print_ordered(const struct vt_diff *d)
{
	const char *bank = d->cur && d->base ? show_bank(d->base, d->cur) :
			   show_bank(d->cur ? d->cur : d->base, NULL);

	print_event_digest(d->base, bank);
	printf(" -> ");
	print_event_digest(d->cur, bank);
}

static void print_runtime(const struct vt_diff *d)
{
	size_t i, n = d->base ? json_object_array_length(d->base) : 0;

	for (i = 0; i < n; i++)
		printf("%s%s", i ? "," : "", json_object_get_string(
			       json_object_array_get_idx(d->base, i)));
	printf("%s-> %s", n ? " " : "(none) ", d->digest);
}

void vt_diff_print(const struct vt_diff *d)
{
	printf("  [%s] %s PCR %d", d->id, vt_stage_name(d->stage),
	       d->pcr >= 0 ? d->pcr : d->list_pcr);
	if (!strcmp(d->kind, "missing")) {
		printf(": missing: the baseline has this stage, this boot has no %s list\n",
		       vt_stage_name(d->stage));
		return;
	}
	if (d->type)
		printf(" %s", d->type);
	printf(" \"");
	vt_name_print(stdout, d->name);
	printf("\": %s", d->kind);
	if (!strcmp(d->kind, "violation")) {
		printf(" (IMA could not measure it as it was: open for write or read)\n");
		return;
	}
	putchar(' ');
	if (vt_stage_ordered(d->stage))
		print_ordered(d);
	else
		print_runtime(d);
	if (!strcmp(d->kind, "rollback"))
		printf(" (a value the baseline retired)");
	if (d->referenced)
		printf(" (in the reference)");
	putchar('\n');
}

void vt_diffs_print_stages(const struct vt_diffs *ds)
{
	const struct vt_stage_count *c;
	size_t open;
	unsigned int s;

	for (s = 0; s < VT_STAGE_COUNT; s++) {
		c = &ds->count[s];
		open = c->diffs - c->accepted;
		printf("%-8s ", vt_stage_name(s));
		if (c->absent || c->missing) {
			printf("absent this boot%s\n", c->missing ?
			       ", 1 difference: the baseline has it" : "");
			continue;
		}
		printf("%zu %s", c->items, vt_stage_ordered(s) ?
		       (c->items == 1 ? "event" : "events") :
		       (c->items == 1 ? "component" : "components"));
		if (open)
			printf(", %zu difference%s", open, open == 1 ? "" : "s");
		else
			printf(", as in the baseline");
		if (c->accepted)
			printf(", %zu accepted difference%s (in the reference)",
			       c->accepted, c->accepted == 1 ? "" : "s");
		putchar('\n');
	}
}

/* ---- reference files ---- */

/*
 * One line of a reference: the kernel's baseline format (kernel/reflist.h),
 *
 *	<algo>:<hex digest>[<spaces or tabs><name>]
 *
 * with <algo> sha1, sha256, sha384, sha512 or sm3, the digest in either
 * case, the name up to 255 bytes without control characters. Blank lines
 * and lines whose first non-blank character is '#' are skipped. Returns 1
 * with the lowercase "<algo>:<hex>" in @digest and the name (possibly
 * empty) in @name, 0 for a line to skip, -1 for a bad one.
 */
static int ref_line(const char *s, size_t n, char *digest, char *name)
{
	static const struct { const char *name; unsigned int size; } algs[] = {
		{ "sha1", 20 }, { "sha256", 32 }, { "sha384", 48 },
		{ "sha512", 64 }, { "sm3", 32 },
	};
	size_t i = 0, a, h, k, e;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] == '#')
		return 0;
	for (k = i; k < n && s[k] != ':'; k++)
		;
	a = k - i;
	for (e = 0; e < sizeof(algs) / sizeof(algs[0]); e++)
		if (strlen(algs[e].name) == a && !memcmp(s + i, algs[e].name, a))
			break;
	if (k == n || e == sizeof(algs) / sizeof(algs[0]))
		return -1;
	h = 2 * algs[e].size;
	if (n - k - 1 < h)
		return -1;
	memcpy(digest, s + i, a + 1);
	for (i = 0; i < h; i++) {
		char c = s[k + 1 + i];

		if (c >= 'A' && c <= 'F')
			c += 'a' - 'A';
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		digest[a + 1 + i] = c;
	}
	digest[a + 1 + h] = '\0';
	i = k + 1 + h;
	if (i < n && s[i] != ' ' && s[i] != '\t')
		return -1;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n - i > 255)
		return -1;
	for (k = i; k < n; k++)
		if ((unsigned char)s[k] < 0x20 || s[k] == 0x7f)
			return -1;
	memcpy(name, s + i, n - i);
	name[n - i] = '\0';
	return 1;
}

/* Add @digest to the set @key of @o (created). 0 or -1. */
static int ref_add(json_object *o, const char *key, const char *digest)
{
	json_object *set;

	if (!json_object_object_get_ex(o, key, &set)) {
		set = json_object_new_object();
		if (!set || json_object_object_add(o, key, set))
			return -1;
	}
	return set_add(set, digest);
}

/* A reference: {"names": {name: {digest...}}, "modules": {key: {...}}}. */
static json_object *ref_new(void)
{
	json_object *ref = json_object_new_object();

	if (ref && (json_object_object_add(ref, "names",
					   json_object_new_object()) ||
		    json_object_object_add(ref, "modules",
					   json_object_new_object()) ||
		    !get(ref, "names") || !get(ref, "modules"))) {
		json_object_put(ref);
		ref = NULL;
	}
	return ref;
}

int vt_reference_load(const char *path, json_object **out)
{
	char digest[2 * VT_DIGEST_MAX + 16], name[256], mod[256];
	const char *s, *end, *nl;
	json_object *ref;
	unsigned long line = 0;
	uint8_t *buf;
	size_t len;
	int ret;

	ret = vt_read_file(path, REF_MAX, &buf, &len);
	if (ret) {
		vt_err(path, "%s", ret == -EFBIG ? "too large for a reference" :
		       strerror(-ret));
		return ret == -EFBIG ? VT_EXIT_USAGE : VT_EXIT_SYSTEM;
	}
	ref = ref_new();
	/* an empty file has no buffer */
	s = (const char *)buf;
	end = len ? s + len : s;
	while (ref && s && s < end) {
		line++;
		nl = memchr(s, '\n', end - s);
		ret = ref_line(s, (nl ? nl : end) - s, digest, name);
		if (ret < 0) {
			vt_err(path, "line %lu: not \"<algo>:<hex digest> <name>\" (algo sha1, sha256, sha384, sha512 or sm3)",
			       line);
			json_object_put(ref);
			free(buf);
			return VT_EXIT_USAGE;
		}
		/* "": a digest trusted under any name */
		if (ret && (ref_add(get(ref, "names"), name, digest) ||
			    (module_key(name, true, mod, sizeof(mod)) &&
			     ref_add(get(ref, "modules"), mod, digest)))) {
			json_object_put(ref);
			ref = NULL;
		}
		s = nl ? nl + 1 : NULL;
	}
	free(buf);
	if (!ref) {
		vt_err(path, "out of memory");
		return VT_EXIT_SYSTEM;
	}
	*out = ref;
	return 0;
}

json_object *vt_diffs_stages_json(const struct vt_diffs *ds)
{
	json_object *o = json_object_new_object(), *st;
	const struct vt_stage_count *c;
	unsigned int s;

	for (s = 0; o && s < VT_STAGE_COUNT; s++) {
		c = &ds->count[s];
		st = json_object_new_object();
		json_object_object_add(st, "absent",
				       json_object_new_boolean(c->absent));
		json_object_object_add(st, "missing",
				       json_object_new_boolean(c->missing));
		json_object_object_add(st, "items", json_object_new_uint64(c->items));
		json_object_object_add(st, "differences",
				       json_object_new_uint64(c->diffs - c->accepted));
		json_object_object_add(st, "accepted",
				       json_object_new_uint64(c->accepted));
		json_object_object_add(o, vt_stage_name(s), st);
	}
	return o;
}
