// SPDX-License-Identifier: GPL-2.0
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
#include "collect.h"
#include "fwlog.h"
#include "hash.h"
#include "listfile.h"
#include "pcrs.h"
#include "replay.h"
#include "sources.h"
#include "start.h"
#include "util.h"
#include "vtrust.h"

static int oom(void)
{
	vt_err("baseline", "out of memory");
	return VT_EXIT_SYSTEM;
}

static int add_pcrs(const struct vt_collect_opts *o, json_object *doc)
{
	uint8_t v[VT_DIGEST_MAX];
	struct vt_pcrs *pcrs;
	json_object *all, *arr;
	unsigned int i, k;
	bool on;
	int ret;

	ret = vt_replay_open_pcrs(o->root, o->pcrs_arg, &pcrs);
	if (ret)
		return ret;
	all = json_object_new_object();
	json_object_object_add(doc, "pcrs", all);
	for (i = 0; all && i < VT_ALG_COUNT; i++) {
		on = o->banks_asked ? o->bank_on[i] :
		     vt_pcrs_has_bank(pcrs, &vt_algs[i]);
		if (!on)
			continue;
		arr = json_object_new_array_ext(VT_PCR_COUNT);
		if (!arr)
			break;
		for (k = 0; k < VT_PCR_COUNT; k++)
			json_object_array_add(arr, vt_pcrs_read(pcrs, &vt_algs[i],
								k, v) ? NULL :
					      vt_json_hex(v, vt_algs[i].size));
		json_object_object_add(all, vt_algs[i].name, arr);
	}
	vt_pcrs_close(pcrs);
	return all ? 0 : oom();
}

/* ---- the firmware log ---- */

static json_object *event_json(const struct uefilog *l,
			       const struct uefilog_event *e)
{
	json_object *o, *d;
	struct uefilog_info in;
	const struct vt_alg *alg;
	char name[VT_NAME_MAX + 1], tbuf[16];
	unsigned int i, n = 0;

	d = json_object_new_object();
	if (!d)
		return NULL;
	for (i = 0; i < e->nr_digests; i++) {
		alg = vt_alg_by_tpm(e->digests[i].alg);
		if (!alg || alg->size != e->digests[i].size)
			continue;
		json_object_object_add(d, alg->name,
				       vt_json_hex(e->digests[i].bytes,
						   e->digests[i].size));
		n++;
	}
	if (!n) {
		json_object_put(d);
		return NULL;
	}
	uefilog_decode(l, e, &in);
	uefilog_describe(e, &in, name, sizeof(name));
	o = json_object_new_object();
	if (!o) {
		json_object_put(d);
		return NULL;
	}
	json_object_object_add(o, "pcr", json_object_new_int(e->pcr));
	json_object_object_add(o, "type", json_object_new_string(
				       vt_fwlog_type_name(e->type, tbuf,
							  sizeof(tbuf))));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "digests", d);
	return o;
}

static int add_firmware(const struct vt_collect_opts *o, json_object *stages)
{
	json_object *arr[2], *ev;
	struct uefilog_error err;
	struct uefilog_event e;
	struct vt_fwlog f;
	char path[PATH_MAX];
	unsigned long long skipped = 0;
	int stage, ret;

	arr[0] = json_object_new_array();
	arr[1] = json_object_new_array();
	json_object_object_add(stages, "firmware", arr[0]);
	json_object_object_add(stages, "kernel", arr[1]);
	if (!arr[0] || !arr[1])
		return oom();
	if (o->uefi_log) {
		snprintf(path, sizeof(path), "%s", o->uefi_log);
	} else if (vt_source_uefi_log(o->root, path, sizeof(path)) ||
		   !vt_exists(path)) {
		return 0;
	}
	ret = vt_fwlog_load(&f, path);
	if (ret)
		return ret;
	while ((ret = uefilog_next(&f.log, &e, &err)) == 1) {
		if (e.type == EV_NO_ACTION)
			continue;
		stage = vt_stage_of_pcr(e.pcr);
		if (stage < 0)
			continue;
		ev = event_json(&f.log, &e);
		if (!ev) {
			skipped++;
			continue;
		}
		json_object_array_add(arr[stage], ev);
	}
	vt_fwlog_free(&f);
	if (skipped)
		vt_err(path, "%llu events have no digest of a bank vtrust knows: left out",
		       skipped);
	return 0;
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
			char c = f->algo[i];

			out[i] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
				 c == '_' || c == '-' ? c :
				 c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : '-';
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

static int add_component(json_object *comps, const char *name,
			 const char *digest)
{
	json_object *arr;
	size_t i, n;

	if (!json_object_object_get_ex(comps, name, &arr)) {
		arr = json_object_new_array();
		if (!arr || json_object_object_add(comps, name, arr))
			return -1;
	}
	n = json_object_array_length(arr);
	for (i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(arr, i)),
			    digest))
			return 0;
	return json_object_array_add(arr, json_object_new_string(digest));
}

static int add_list(const char *path, enum vt_source src, json_object *stages)
{
	json_object *st, *comps;
	struct imalog_entry *e;
	struct vt_list l;
	char name[VT_NAME_MAX + 1], digest[2 * VT_DIGEST_MAX + 40];
	unsigned long long unnamed = 0;
	int ret, pcr = -1;

	e = malloc(sizeof(*e));
	st = json_object_new_object();
	comps = json_object_new_object();
	if (!e || !st || !comps) {
		free(e);
		json_object_put(st);
		json_object_put(comps);
		return oom();
	}
	ret = vt_list_open(&l, path, vt_list_digest_alg(path)->size);
	if (ret) {
		free(e);
		json_object_put(st);
		json_object_put(comps);
		return ret;
	}
	while ((ret = vt_list_next(&l, e)) == 1) {
		if (pcr < 0)
			pcr = e->pcr < VT_PCR_COUNT ? (int)e->pcr : 0;
		if (!e->event_name || !entry_digest(e, digest, sizeof(digest))) {
			unnamed++;
			continue;
		}
		vt_safe_name(e->event_name->data, e->event_name->str_len, name);
		/* structure, checked by the replay: not components */
		if (src == VT_SOURCE_VTRUST &&
		    (!strcmp(name, VT_START_NAME) ||
		     !strcmp(name, "vtrust-unload")))
			continue;
		if (!name[0] || add_component(comps, name, digest)) {
			unnamed++;
			continue;
		}
	}
	vt_list_close(&l);
	free(e);
	if (ret < 0) {
		json_object_put(st);
		json_object_put(comps);
		return -ret;
	}
	if (unnamed)
		vt_err(path, "%llu entries without a name or a file digest: left out",
		       unnamed);
	json_object_object_add(st, "pcr", json_object_new_int(pcr < 0 ?
			       (src == VT_SOURCE_IMA ? 10 : 11) : pcr));
	json_object_object_add(st, "components", comps);
	json_object_object_add(stages, vt_source_name(src), st);
	return 0;
}

static int add_runtime(const struct vt_collect_opts *o, enum vt_source src,
		       const char *given, json_object *stages)
{
	char path[PATH_MAX];

	if (given)
		return add_list(given, src, stages);
	if (vt_path(path, sizeof(path), o->root,
		    VT_SECURITYFS "/%s/binary_runtime_measurements",
		    vt_source_name(src)) || !vt_source_present(src, o->root)) {
		json_object_object_add(stages, vt_source_name(src), NULL);
		return 0;
	}
	return add_list(path, src, stages);
}

/*
 * IMA's boot_aggregate is a digest of PCRs 0-9 (0-7 for SHA-1), which the
 * firmware and kernel stages already compare event by event: when it is
 * the digest of this TPM's PCRs, it is no component of its own. (One that
 * is not stays, and shows as a difference.)
 */
static void drop_boot_aggregate(json_object *doc)
{
	json_object *comps, *digests, *bank, *v;
	const struct vt_alg *alg;
	const char *d, *colon;
	uint8_t pcr[VT_DIGEST_MAX], sum[VT_DIGEST_MAX];
	char hex[2 * VT_DIGEST_MAX + 1];
	struct vt_hash h;
	unsigned int k, n;
	bool ok = true;

	comps = json_object_object_get(json_object_object_get(
		json_object_object_get(doc, "stages"), "ima"), "components");
	if (!json_object_object_get_ex(comps, "boot_aggregate", &digests) ||
	    json_object_array_length(digests) != 1)
		return;
	d = json_object_get_string(json_object_array_get_idx(digests, 0));
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
		json_object_object_del(comps, "boot_aggregate");
}

int vt_collect(const struct vt_collect_opts *o, json_object **out)
{
	json_object *doc, *stages;
	struct utsname un;
	char now[32], host[256];
	int ret;

	*out = NULL;
	doc = json_object_new_object();
	stages = json_object_new_object();
	if (!doc || !stages) {
		json_object_put(doc);
		json_object_put(stages);
		return oom();
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
	ret = add_pcrs(o, doc);
	json_object_object_add(doc, "stages", stages);
	if (!ret)
		ret = add_firmware(o, stages);
	if (!ret)
		ret = add_runtime(o, VT_SOURCE_IMA, o->ima_list, stages);
	if (!ret)
		ret = add_runtime(o, VT_SOURCE_VTRUST, o->vtrust_list, stages);
	if (!ret)
		drop_boot_aggregate(doc);
	json_object_object_add(doc, "exceptions", json_object_new_array());
	json_object_object_add(doc, "history", json_object_new_array());
	if (ret) {
		json_object_put(doc);
		return ret;
	}
	*out = doc;
	return 0;
}
