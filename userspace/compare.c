// SPDX-License-Identifier: GPL-2.0
/*
 * Comparing this boot with a baseline; see compare.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "hash.h"
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

/* Equal digests in every bank that both have, and at least one. */
static bool digests_equal(json_object *a, json_object *b)
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
	       digests_equal(get(a, "digests"), get(b, "digests"));
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

	if (d->digest)
		snprintf(dig, sizeof(dig), "%s", d->digest);
	else
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

/* Does an exception of the baseline accept @d? */
static bool excepted(json_object *exc, const struct vt_diff *d)
{
	json_object *e, *mine;
	const char *kind;
	size_t i, n = exc ? json_object_array_length(exc) : 0;
	bool removal = !strcmp(d->kind, "removed");

	mine = d->cur ? d->cur : d->base;
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(exc, i);
		if (strcmp(str(e, "stage"), vt_stage_name(d->stage)))
			continue;
		kind = str(e, "kind");
		if (!vt_stage_ordered(d->stage)) {
			if (!strcmp(str(e, "name"), d->name) &&
			    !strcmp(str(e, "digest"), d->digest))
				return true;
			continue;
		}
		if (removal != !strcmp(kind, "removed"))
			continue;
		if (pcr_of(e) == d->pcr &&
		    digests_equal(get(e, "digests"), get(mine, "digests")))
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

static int emit(struct vt_diffs *ds, enum vt_stage stage, const char *kind,
		json_object *base, json_object *cur)
{
	struct vt_diff *d = new_diff(ds, stage, kind);
	json_object *ev = cur ? cur : base;

	if (!d)
		return -1;
	d->base = base;
	d->cur = cur;
	d->pcr = pcr_of(ev);
	d->type = str(ev, "type");
	d->name = str(ev, "name");
	return set_id(d);
}

/* Pair what a gap removed and added into changes, by type and name. */
static int flush(struct vt_diffs *ds, enum vt_stage stage, struct gap *g)
{
	size_t i, j;

	for (i = 0; i < g->nr; i++) {
		for (j = 0; j < g->na; j++)
			if (g->a[j] && same_what(g->r[i], g->a[j]))
				break;
		if (j < g->na) {
			if (emit(ds, stage, "changed", g->r[i], g->a[j]))
				return -1;
			g->a[j] = NULL;
		} else if (emit(ds, stage, "removed", g->r[i], NULL)) {
			return -1;
		}
	}
	for (j = 0; j < g->na; j++)
		if (g->a[j] && emit(ds, stage, "added", NULL, g->a[j]))
			return -1;
	g->nr = g->na = 0;
	return 0;
}

static int diff_pcr(struct vt_diffs *ds, enum vt_stage stage,
		    struct seq *b, struct seq *c)
{
	size_t n = b->n, m = c->n, i = 0, j = 0, w = m + 1;
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
				L[i * w + j] = events_equal(b->ev[i], c->ev[j]) ?
					       L[(i + 1) * w + j + 1] + 1 :
					       L[(i + 1) * w + j] > L[i * w + j + 1] ?
					       L[(i + 1) * w + j] : L[i * w + j + 1];
	}
	i = j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && events_equal(b->ev[i], c->ev[j]) &&
		    (!L || L[i * w + j] == L[(i + 1) * w + j + 1] + 1)) {
			if (flush(ds, stage, &g))
				goto out;
			i++;
			j++;
		} else if (i < n && (j == m || (L ? L[(i + 1) * w + j] >=
						 L[i * w + j + 1] : true))) {
			g.r[g.nr++] = b->ev[i++];
		} else {
			g.a[g.na++] = c->ev[j++];
		}
	}
	ret = flush(ds, stage, &g);
out:
	free(L);
	free(g.r);
	free(g.a);
	if (ret)
		vt_err("compare", "out of memory");
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

static int compare_ordered(struct vt_diffs *ds, enum vt_stage stage,
			   json_object *base, json_object *cur)
{
	struct seq b, c;
	int pcr, ret = 0;

	ds->count[stage].items = cur ? json_object_array_length(cur) : 0;
	for (pcr = 0; !ret && pcr < VT_PCR_COUNT; pcr++) {
		if (vt_stage_of_pcr(pcr) != (int)stage)
			continue;
		b.ev = c.ev = NULL;
		ret = pick(base, pcr, &b) || pick(cur, pcr, &c) ? -1 : 0;
		if (!ret && (b.n || c.n))
			ret = diff_pcr(ds, stage, &b, &c);
		free(b.ev);
		free(c.ev);
	}
	return ret;
}

/* ---- ima and vtrust ---- */

static bool has_digest(json_object *arr, const char *digest)
{
	size_t i, n = arr ? json_object_array_length(arr) : 0;

	for (i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(arr, i)),
			    digest))
			return true;
	return false;
}

/* "init_module:snd-hda" and "/lib/.../snd_hda.ko.xz" are the same module. */
static bool same_module(const char *mod, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i, n;

	base = base ? base + 1 : path;
	n = strcspn(base, ".");
	if (strncmp(base + n, ".ko", 3) || strlen(mod) != n)
		return false;
	for (i = 0; i < n; i++) {
		char a = mod[i] == '-' ? '_' : mod[i];
		char b = base[i] == '-' ? '_' : base[i];

		if (a != b)
			return false;
	}
	return true;
}

static bool referenced(json_object *ref, const char *name, const char *digest)
{
	char alt[VT_NAME_MAX + 8];

	if (!ref)
		return false;
	if (has_digest(get(ref, name), digest) || has_digest(get(ref, ""), digest))
		return true;
	/* d_path resolves /lib to /usr/lib on a merged-/usr system */
	if (!strncmp(name, "/usr/lib/modules/", 17)) {
		snprintf(alt, sizeof(alt), "%s", name + 4);
		return has_digest(get(ref, alt), digest);
	}
	if (!strncmp(name, "/lib/modules/", 13)) {
		snprintf(alt, sizeof(alt), "/usr%s", name);
		return has_digest(get(ref, alt), digest);
	}
	if (!strncmp(name, "init_module:", 12)) {
		json_object_object_foreach(ref, path, digests) {
			if (same_module(name + 12, path) &&
			    has_digest(digests, digest))
				return true;
		}
	}
	return false;
}

static int compare_runtime(struct vt_diffs *ds, enum vt_stage stage,
			   json_object *base, json_object *cur,
			   json_object *ref)
{
	json_object *bcomps = get(base, "components"), *known, *dv;
	struct vt_diff *d;
	size_t i, n;

	if (!cur) {
		ds->count[stage].absent = true;
		return 0;
	}
	json_object_object_foreach(get(cur, "components"), name, digests) {
		ds->count[stage].items++;
		known = get(bcomps, name);
		n = json_object_array_length(digests);
		for (i = 0; i < n; i++) {
			dv = json_object_array_get_idx(digests, i);
			if (has_digest(known, json_object_get_string(dv)))
				continue;
			d = new_diff(ds, stage, known ? "changed" : "new");
			if (!d)
				return -1;
			d->name = name;
			d->base = known;
			d->digest = json_object_get_string(dv);
			d->list_pcr = json_object_get_int(get(cur, "pcr"));
			d->referenced = stage == VT_STAGE_VTRUST &&
					referenced(ref, name, d->digest);
			if (set_id(d))
				return -1;
		}
	}
	return 0;
}

int vt_compare(json_object *base, json_object *cur, json_object *ref,
	       struct vt_diffs *ds)
{
	json_object *bs = get(base, "stages"), *cs = get(cur, "stages");
	json_object *exc = get(base, "exceptions");
	struct vt_diff *d;
	unsigned int s;
	size_t i;
	int ret = 0;

	memset(ds, 0, sizeof(*ds));
	for (s = 0; !ret && s < VT_STAGE_COUNT; s++) {
		if (vt_stage_ordered(s))
			ret = compare_ordered(ds, s, get(bs, vt_stage_name(s)),
					      get(cs, vt_stage_name(s)));
		else
			ret = compare_runtime(ds, s, get(bs, vt_stage_name(s)),
					      get(cs, vt_stage_name(s)), ref);
	}
	if (ret) {
		vt_err("compare", "out of memory");
		vt_diffs_free(ds);
		return -1;
	}
	for (i = 0; i < ds->nr; i++) {
		d = &ds->d[i];
		d->accepted = excepted(exc, d);
		if (d->accepted || d->referenced)
			ds->count[d->stage].accepted++;
	}
	return 0;
}

void vt_diffs_free(struct vt_diffs *ds)
{
	free(ds->d);
	ds->d = NULL;
	ds->nr = ds->cap = 0;
}

size_t vt_diffs_open(const struct vt_diffs *ds)
{
	size_t i, n = 0;

	for (i = 0; i < ds->nr; i++)
		n += !ds->d[i].accepted && !ds->d[i].referenced;
	return n;
}

/* ---- output ---- */

json_object *vt_diff_exception(const struct vt_diff *d)
{
	json_object *o = json_object_new_object(), *ev;

	if (!o)
		return NULL;
	json_object_object_add(o, "id", json_object_new_string(d->id));
	json_object_object_add(o, "stage",
			       json_object_new_string(vt_stage_name(d->stage)));
	json_object_object_add(o, "kind", json_object_new_string(d->kind));
	if (!vt_stage_ordered(d->stage)) {
		json_object_object_add(o, "name", json_object_new_string(d->name));
		json_object_object_add(o, "digest",
				       json_object_new_string(d->digest));
		return o;
	}
	ev = d->cur ? d->cur : d->base;
	json_object_object_add(o, "pcr", json_object_new_int(d->pcr));
	json_object_object_add(o, "type", json_object_new_string(d->type));
	json_object_object_add(o, "name", json_object_new_string(d->name));
	json_object_object_add(o, "digests",
			       json_object_get(get(ev, "digests")));
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
	if (vt_stage_ordered(d->stage)) {
		json_object_object_add(o, "baseline", d->base ?
				       json_object_get(get(d->base, "digests")) :
				       NULL);
		json_object_object_add(o, "current", d->cur ?
				       json_object_get(get(d->cur, "digests")) :
				       NULL);
	} else {
		json_object_object_add(o, "baseline", json_object_get(d->base));
		json_object_object_add(o, "current",
				       json_object_new_string(d->digest));
	}
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

	if (v)
		printf("%s:%s", bank, json_object_get_string(v));
	else
		printf("(no %s digest)", bank);
}

void vt_diff_print(const struct vt_diff *d)
{
	const char *bank;
	size_t i, n;

	printf("  [%s] %s PCR %d", d->id, vt_stage_name(d->stage),
	       d->pcr >= 0 ? d->pcr : d->list_pcr);
	if (d->type)
		printf(" %s", d->type);
	printf(" \"%s\": %s ", d->name, d->kind);
	if (vt_stage_ordered(d->stage)) {
		bank = d->cur && d->base ? show_bank(d->base, d->cur) :
		       show_bank(d->cur ? d->cur : d->base, NULL);
		if (d->base)
			print_event_digest(d->base, bank);
		else
			printf("(none)");
		printf(" -> ");
		if (d->cur)
			print_event_digest(d->cur, bank);
		else
			printf("(none)");
	} else {
		n = d->base ? json_object_array_length(d->base) : 0;
		for (i = 0; i < n; i++)
			printf("%s%s", i ? "," : "", json_object_get_string(
				       json_object_array_get_idx(d->base, i)));
		printf("%s-> %s", n ? " " : "(none) ", d->digest);
	}
	if (d->accepted)
		printf(" (accepted)");
	else if (d->referenced)
		printf(" (in the reference)");
	putchar('\n');
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

int vt_reference_load(const char *path, json_object **out)
{
	char digest[2 * VT_DIGEST_MAX + 16], name[256];
	const char *s, *end, *nl;
	json_object *ref, *arr;
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
	ref = json_object_new_object();
	if (!ref) {
		free(buf);
		vt_err(path, "out of memory");
		return VT_EXIT_SYSTEM;
	}
	s = (const char *)buf;
	end = s + len;
	while (s && s < end) {
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
		if (ret && !json_object_object_get_ex(ref, name, &arr)) {
			arr = json_object_new_array();
			json_object_object_add(ref, name, arr);
		}
		if (ret && !has_digest(arr, digest))
			json_object_array_add(arr, json_object_new_string(digest));
		s = nl ? nl + 1 : NULL;
	}
	free(buf);
	*out = ref;
	return 0;
}
