// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit tests of compset.c: random adds, removals and cuts checked against
 * a model kept in json-c objects (name -> {digest -> index}), and the
 * serialization checked against json-c's own writer of the same content.
 */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compset.h"

/* The model's content as compact JSON, in the set's order. */
static char *model_text(json_object *model, json_object *order)
{
	json_object *out = json_object_new_object(), *last, *arr, *digests;
	size_t i, n = json_object_array_length(order);
	char *text;

	/* a name is where it was (re)added last */
	last = json_object_new_object();
	for (i = 0; i < n; i++)
		json_object_object_add(last, json_object_get_string(
					       json_object_array_get_idx(order, i)),
				       json_object_new_int64((int64_t)i));
	for (i = 0; i < n; i++) {
		const char *name = json_object_get_string(
			json_object_array_get_idx(order, i));

		if (json_object_get_int64(json_object_object_get(last, name)) !=
		    (int64_t)i ||
		    !json_object_object_get_ex(model, name, &digests) ||
		    !json_object_object_length(digests))
			continue;
		arr = json_object_new_array();
		json_object_object_foreach(digests, d, v) {
			(void)v;
			json_object_array_add(arr, json_object_new_string(d));
		}
		json_object_object_add(out, name, arr);
	}
	json_object_put(last);
	text = strdup(json_object_to_json_string_ext(out,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(out);
	return text;
}

static char *set_text(struct vt_compset *s)
{
	json_object *o = vt_compset_json(vt_compset_copy(s));
	char *text = strdup(json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return text;
}

/* Names that collide in few table slots and strings json-c escapes. */
static void name_of(unsigned int k, char *out, size_t size)
{
	static const char *const odd[] = {
		"a\"b", "back\\slash", "/etc/x", "tab\tx", "ctl\x01y", "\xc3\xa9t\xc3\xa9",
	};

	if (k % 7 == 0)
		snprintf(out, size, "%s%u", odd[k % 6], k);
	else
		snprintf(out, size, "/usr/lib/lib%07u.so", k);
}

static void test_against_model(void)
{
	struct vt_compset *s = vt_compset_new();
	json_object *model = json_object_new_object();
	json_object *order = json_object_new_array(), *digests;
	char name[64], dg[80], *a, *b;
	unsigned int i, seed = 1;
	struct vt_comp *c;

	for (i = 0; i < 60000; i++) {
		unsigned int k, op;

		seed = seed * 1103515245u + 12345u;
		k = (seed >> 8) % 3000;
		op = (seed >> 24) % 10;
		name_of(k, name, sizeof(name));
		snprintf(dg, sizeof(dg), "sha256:%064x", (seed >> 4) % 40);
		if (!json_object_object_get_ex(model, name, &digests)) {
			digests = json_object_new_object();
			json_object_object_add(model, name, digests);
		}
		if (op < 7) {
			/* a name whose digests all went is new again: last */
			if (!json_object_object_length(digests))
				json_object_array_add(order,
						      json_object_new_string(name));
			c = vt_compset_add(s, name, strlen(name));
			CHECK(c && vt_comp_add(s, c, dg, strlen(dg), i) ==
			      (json_object_object_get_ex(digests, dg, NULL) ?
			       0 : 1));
			if (!json_object_object_get_ex(digests, dg, NULL))
				json_object_object_add(digests, dg,
						       json_object_new_int(i));
		} else {
			c = vt_compset_get(s, name, strlen(name));
			CHECK(!!c == !!json_object_object_length(digests));
			CHECK(!c || vt_comp_remove(s, c, dg) ==
			      json_object_object_get_ex(digests, dg, NULL));
			json_object_object_del(digests, dg);
		}
	}
	a = model_text(model, order);
	b = set_text(s);
	CHECK(a && b && !strcmp(a, b));
	free(a);
	free(b);

	/* through: only digests first seen at or before an index */
	vt_compset_through(s, 30000);
	json_object_object_foreach(model, n, ds) {
		json_object *keep = json_object_new_object();

		json_object_object_foreach(ds, d, v)
			if (json_object_get_int(v) <= 30000)
				json_object_object_add(keep, d,
						       json_object_get(v));
		json_object_object_add(model, n, keep);
	}
	a = model_text(model, order);
	b = set_text(s);
	CHECK(a && b && !strcmp(a, b));
	free(a);
	free(b);
	json_object_object_foreach(model, n2, ds2)
		CHECK(!!vt_compset_get(s, n2, strlen(n2)) ==
		      !!json_object_object_length(ds2));
	json_object_put(model);
	json_object_put(order);
	vt_compset_free(s);
}

/* One name with many digests: the digest table, removal, and order. */
static void test_many_digests(void)
{
	struct vt_compset *s = vt_compset_new();
	struct vt_comp *c = vt_compset_add(s, "/etc/app.conf", 13);
	char dg[80];
	unsigned int i, n = 6000, bad = 0;

	for (i = 0; i < n; i++) {
		snprintf(dg, sizeof(dg), "sha256:%064x", i);
		bad += vt_comp_add(s, c, dg, strlen(dg), i) != 1;
	}
	for (i = 0; i < n; i += 2) {
		snprintf(dg, sizeof(dg), "sha256:%064x", i);
		bad += !vt_comp_remove(s, c, dg);
	}
	for (i = 0; i < n; i++) {
		snprintf(dg, sizeof(dg), "sha256:%064x", i);
		bad += !!vt_comp_find(c, dg) != (i % 2);
	}
	CHECK(!bad);
	CHECK(c->nr == n / 2);
	snprintf(dg, sizeof(dg), "sha256:%064x", 1);
	CHECK(!strcmp(c->d[0].s, dg));
	vt_compset_free(s);
}

/* The pretty layout is JSON that json-c reads back to the same content. */
static void test_pretty(void)
{
	struct vt_compset *s = vt_compset_new();
	struct vt_comp *c = vt_compset_add(s, "x\"y", 3);
	json_object *o, *back;
	const char *pretty;
	char *plain;

	vt_comp_add(s, c, "sha1:00", 7, 0);
	vt_comp_add(s, c, "sha1:11", 7, 1);
	c = vt_compset_add(s, "z", 1);
	vt_comp_add(s, c, "sha1:22", 7, 2);
	o = vt_compset_json(s);
	plain = strdup(json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	CHECK(!strcmp(plain,
		      "{\"x\\\"y\":[\"sha1:00\",\"sha1:11\"],\"z\":[\"sha1:22\"]}"));
	pretty = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						JSON_C_TO_STRING_SPACED);
	back = json_tokener_parse(pretty);
	CHECK(back && !strcmp(json_object_to_json_string_ext(back,
				JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE), plain));
	CHECK(vt_compset_of(o) == s);
	CHECK(!vt_compset_of(back));
	json_object_put(back);
	json_object_put(o);
	free(plain);
	/* empty */
	o = vt_compset_json(vt_compset_new());
	CHECK(!strcmp(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		      "{}"));
	json_object_put(o);
}

int main(void)
{
	RUN(test_against_model);
	RUN(test_many_digests);
	RUN(test_pretty);
	DONE();
}
