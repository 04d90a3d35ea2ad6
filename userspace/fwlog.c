// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The firmware event log as a file; see fwlog.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "algs.h"
#include "fwlog.h"
#include "sources.h"
#include "util.h"
#include "vtrust.h"

#define TEXT_MAX 4096

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

const char *vt_fwlog_alg_name(uint16_t alg, char *buf, size_t size)
{
	const struct vt_alg *a = vt_alg_by_tpm(alg);

	if (a)
		return a->name;
	snprintf(buf, size, "0x%04x", alg);
	return buf;
}

const char *vt_fwlog_type_name(uint32_t type, char *buf, size_t size)
{
	const char *name = uefilog_type_name(type);

	if (name)
		return name;
	snprintf(buf, size, "0x%08x", type);
	return buf;
}

static int log_error(const char *path, const struct uefilog_error *err)
{
	vt_err(path, "offset %zu (event %llu): %s", err->offset,
	       (unsigned long long)err->index, err->msg);
	return VT_EXIT_USAGE;
}

int vt_fwlog_load(struct vt_fwlog *f, const char *path)
{
	struct uefilog_error err;
	struct uefilog_event e;
	struct uefilog check;
	int ret;

	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s",
		 strcmp(path, "-") ? path : "stdin");
	ret = vt_read_file(path, VT_UEFI_LOG_MAX, &f->buf, &f->len);
	if (ret) {
		vt_err(f->path, "%s", ret == -EFBIG ?
		       "larger than any firmware log" : strerror(-ret));
		return ret == -EFBIG ? VT_EXIT_USAGE : VT_EXIT_SYSTEM;
	}
	if (uefilog_open(&check, f->buf, f->len, &err))
		goto bad;
	while ((ret = uefilog_next(&check, &e, &err)) == 1)
		;
	if (ret < 0)
		goto bad;
	uefilog_open(&f->log, f->buf, f->len, &err);
	return 0;
bad:
	ret = log_error(f->path, &err);
	vt_fwlog_free(f);
	return ret;
}

void vt_fwlog_free(struct vt_fwlog *f)
{
	free(f->buf);
	f->buf = NULL;
}

/* ---- text ---- */

static void put_short_hex(const uint8_t *p, size_t len, size_t max)
{
	vt_put_hex(stdout, p, len > max ? max : len);
	if (len > max)
		printf("... (%zu bytes)", len);
}

static void print_guid(const struct uefilog_guid *g)
{
	const char *name = uefilog_guid_name(g);
	char s[37];

	uefilog_guid_str(g, s);
	printf("%s", s);
	if (name)
		printf(" (%s)", name);
}

static void print_spec_id(const struct uefilog *l)
{
	const struct uefilog_specid *s = &l->spec;
	char buf[8];
	uint32_t i;

	printf("  spec %u.%u errata %u, platform class %u, uintn size %u, algorithms",
	       s->version_major, s->version_minor, s->errata,
	       s->platform_class, s->uintn_size);
	for (i = 0; i < s->nr_algs; i++)
		printf(" %s/%u", vt_fwlog_alg_name(s->algs[i].id, buf,
						   sizeof(buf)),
		       s->algs[i].size);
	if (s->vendor_len) {
		printf(", vendor info ");
		vt_put_hex(stdout, s->vendor, s->vendor_len);
	}
	putchar('\n');
}

static void print_gpt(const struct uefilog_info *in)
{
	const uint8_t *p;
	struct uefilog_guid g;
	char name[TEXT_MAX];
	uint64_t i;

	printf("  disk ");
	print_guid(&in->u.gpt.disk_guid);
	printf(", %llu partition%s\n", (unsigned long long)in->u.gpt.count,
	       in->u.gpt.count == 1 ? "" : "s");
	for (i = 0; i < in->u.gpt.count; i++) {
		p = in->u.gpt.entries + i * in->u.gpt.entry_size;
		memcpy(g.b, p, 16);
		printf("  partition %llu: type ", (unsigned long long)i);
		print_guid(&g);
		memcpy(g.b, p + 16, 16);
		printf(" id ");
		print_guid(&g);
		uefilog_text(p + 56, 72, true, name, sizeof(name));
		printf(" lba %llu-%llu attributes 0x%llx \"%s\"\n",
		       (unsigned long long)get64(p + 32),
		       (unsigned long long)get64(p + 40),
		       (unsigned long long)get64(p + 48), name);
	}
}

static void print_details(const struct uefilog *l,
			  const struct uefilog_event *e,
			  const struct uefilog_info *in)
{
	struct uefilog_guid g;
	char text[TEXT_MAX];
	uint64_t i;

	switch (in->kind) {
	case UEFILOG_K_SPEC_ID:
		print_spec_id(l);
		break;
	case UEFILOG_K_NO_ACTION:
		printf("  %u bytes after the signature: ",
		       in->u.no_action.rest_len);
		put_short_hex(in->u.no_action.rest, in->u.no_action.rest_len,
			      64);
		putchar('\n');
		break;
	case UEFILOG_K_VARIABLE:
		printf("  variable ");
		print_guid(&in->u.var.guid);
		uefilog_text(in->u.var.name, 2 * in->u.var.name_len, true,
			     text, sizeof(text));
		printf(" %s, %llu byte%s", text,
		       (unsigned long long)in->u.var.data_len,
		       in->u.var.data_len == 1 ? "" : "s");
		if (in->u.var.data_len)
			printf(": ");
		put_short_hex(in->u.var.data, in->u.var.data_len, 64);
		putchar('\n');
		break;
	case UEFILOG_K_IMAGE:
		uefilog_devpath_text(in->u.image.devpath,
				     in->u.image.devpath_len, text,
				     sizeof(text));
		printf("  image at 0x%llx, %llu bytes, linked at 0x%llx: %s\n",
		       (unsigned long long)in->u.image.location,
		       (unsigned long long)in->u.image.length,
		       (unsigned long long)in->u.image.link_address, text);
		break;
	case UEFILOG_K_BLOB:
		printf("  blob at 0x%llx, %llu bytes\n",
		       (unsigned long long)in->u.blob.base,
		       (unsigned long long)in->u.blob.length);
		break;
	case UEFILOG_K_HANDOFF:
		for (i = 0; i < in->u.handoff.count; i++) {
			memcpy(g.b, in->u.handoff.tables + 24 * i, 16);
			printf("  table ");
			print_guid(&g);
			printf(" at 0x%llx\n", (unsigned long long)
			       get64(in->u.handoff.tables + 24 * i + 16));
		}
		break;
	case UEFILOG_K_GPT:
		print_gpt(in);
		break;
	case UEFILOG_K_TAGGED:
		printf("  tagged event 0x%08x, %u bytes\n", in->u.tagged.id,
		       in->u.tagged.len);
		break;
	case UEFILOG_K_RAW:
		if (e->data_len) {
			printf("  data: ");
			vt_put_hex(stdout, e->data, e->data_len);
			putchar('\n');
		}
		break;
	default:
		break;
	}
}

static void print_event(const struct uefilog *l, const struct uefilog_event *e)
{
	struct uefilog_info in;
	char desc[TEXT_MAX], buf[16];
	unsigned int i;

	uefilog_decode(l, e, &in);
	uefilog_describe(e, &in, desc, sizeof(desc));
	printf("#%llu PCR %u %s: %s\n", (unsigned long long)e->index, e->pcr,
	       vt_fwlog_type_name(e->type, buf, sizeof(buf)), desc);
	for (i = 0; i < e->nr_digests; i++) {
		printf("  %-7s ", vt_fwlog_alg_name(e->digests[i].alg, buf,
						    sizeof(buf)));
		vt_put_hex(stdout, e->digests[i].bytes, e->digests[i].size);
		putchar('\n');
	}
	print_details(l, e, &in);
}

/* ---- json ---- */

static json_object *hex_json(const uint8_t *p, size_t len)
{
	json_object *o;
	char *h = malloc(2 * len + 1);

	if (!h)
		return NULL;
	vt_hex(h, p, len);
	o = json_object_new_string_len(h, 2 * len);
	free(h);
	return o;
}

static json_object *text_json(const uint8_t *p, size_t len, bool utf16)
{
	char *t = malloc(TEXT_MAX * 4);
	json_object *o;

	if (!t)
		return NULL;
	uefilog_text(p, len, utf16, t, TEXT_MAX * 4);
	o = json_object_new_string(t);
	free(t);
	return o;
}

static json_object *guid_json(const struct uefilog_guid *g)
{
	char s[37];

	uefilog_guid_str(g, s);
	return json_object_new_string(s);
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *spec_id_json(const struct uefilog *l, json_object *o)
{
	const struct uefilog_specid *s = &l->spec;
	json_object *algs = json_object_new_array(), *a;
	char buf[8], ver[16];
	uint32_t i;

	snprintf(ver, sizeof(ver), "%u.%u", s->version_major,
		 s->version_minor);
	add(o, "platform_class", json_object_new_int64(s->platform_class));
	add(o, "spec_version", json_object_new_string(ver));
	add(o, "errata", json_object_new_int(s->errata));
	add(o, "uintn_size", json_object_new_int(s->uintn_size));
	for (i = 0; algs && i < s->nr_algs; i++) {
		a = json_object_new_object();
		add(a, "id", json_object_new_int(s->algs[i].id));
		add(a, "name", json_object_new_string(
			    vt_fwlog_alg_name(s->algs[i].id, buf, sizeof(buf))));
		add(a, "size", json_object_new_int(s->algs[i].size));
		json_object_array_add(algs, a);
	}
	add(o, "algorithms", algs);
	add(o, "vendor_info", hex_json(s->vendor, s->vendor_len));
	return o;
}

static json_object *gpt_json(const struct uefilog_info *in, json_object *o)
{
	json_object *parts = json_object_new_array(), *p;
	const uint8_t *e;
	struct uefilog_guid g;
	uint64_t i;

	add(o, "disk_guid", guid_json(&in->u.gpt.disk_guid));
	for (i = 0; parts && i < in->u.gpt.count; i++) {
		e = in->u.gpt.entries + i * in->u.gpt.entry_size;
		p = json_object_new_object();
		memcpy(g.b, e, 16);
		add(p, "type", guid_json(&g));
		memcpy(g.b, e + 16, 16);
		add(p, "guid", guid_json(&g));
		add(p, "first_lba", json_object_new_uint64(get64(e + 32)));
		add(p, "last_lba", json_object_new_uint64(get64(e + 40)));
		add(p, "attributes", json_object_new_uint64(get64(e + 48)));
		add(p, "name", text_json(e + 56, 72, true));
		json_object_array_add(parts, p);
	}
	add(o, "partitions", parts);
	return o;
}

static json_object *handoff_json(const struct uefilog_info *in,
				 json_object *o)
{
	json_object *tables = json_object_new_array(), *t;
	struct uefilog_guid g;
	const char *name;
	uint64_t i;

	if (in->u.handoff.desc)
		add(o, "description", text_json(in->u.handoff.desc,
						in->u.handoff.desc_len, false));
	for (i = 0; tables && i < in->u.handoff.count; i++) {
		memcpy(g.b, in->u.handoff.tables + 24 * i, 16);
		t = json_object_new_object();
		add(t, "guid", guid_json(&g));
		name = uefilog_guid_name(&g);
		add(t, "name", name ? json_object_new_string(name) : NULL);
		add(t, "address", json_object_new_uint64(
			    get64(in->u.handoff.tables + 24 * i + 16)));
		json_object_array_add(tables, t);
	}
	add(o, "tables", tables);
	return o;
}

static const char *const kind_names[] = {
	[UEFILOG_K_RAW] = "raw",
	[UEFILOG_K_SPEC_ID] = "spec_id",
	[UEFILOG_K_LOCALITY] = "startup_locality",
	[UEFILOG_K_NO_ACTION] = "no_action",
	[UEFILOG_K_SEPARATOR] = "separator",
	[UEFILOG_K_STRING] = "string",
	[UEFILOG_K_VARIABLE] = "variable",
	[UEFILOG_K_IMAGE] = "image",
	[UEFILOG_K_BLOB] = "blob",
	[UEFILOG_K_HANDOFF] = "handoff_tables",
	[UEFILOG_K_GPT] = "gpt",
	[UEFILOG_K_TAGGED] = "tagged",
};

static json_object *info_json(const struct uefilog *l,
			      const struct uefilog_info *in)
{
	json_object *o = json_object_new_object();
	char text[TEXT_MAX];
	const char *name;

	if (!o)
		return NULL;
	add(o, "kind", json_object_new_string(kind_names[in->kind]));
	switch (in->kind) {
	case UEFILOG_K_SPEC_ID:
		return spec_id_json(l, o);
	case UEFILOG_K_LOCALITY:
		add(o, "locality",
		    json_object_new_int(in->u.locality.locality));
		break;
	case UEFILOG_K_NO_ACTION:
		add(o, "signature",
		    json_object_new_string(in->u.no_action.signature));
		add(o, "rest", hex_json(in->u.no_action.rest,
					in->u.no_action.rest_len));
		break;
	case UEFILOG_K_SEPARATOR:
		add(o, "value", json_object_new_int64(in->u.separator));
		break;
	case UEFILOG_K_STRING:
		add(o, "encoding", json_object_new_string(in->u.str.utf16 ?
							  "utf-16" : "ascii"));
		add(o, "text", text_json(in->u.str.text, in->u.str.len,
					 in->u.str.utf16));
		break;
	case UEFILOG_K_VARIABLE:
		add(o, "guid", guid_json(&in->u.var.guid));
		name = uefilog_guid_name(&in->u.var.guid);
		add(o, "guid_name", name ? json_object_new_string(name) : NULL);
		add(o, "name", text_json(in->u.var.name,
					 2 * in->u.var.name_len, true));
		add(o, "data", hex_json(in->u.var.data, in->u.var.data_len));
		break;
	case UEFILOG_K_IMAGE:
		add(o, "location", json_object_new_uint64(in->u.image.location));
		add(o, "length", json_object_new_uint64(in->u.image.length));
		add(o, "link_address",
		    json_object_new_uint64(in->u.image.link_address));
		uefilog_devpath_text(in->u.image.devpath,
				     in->u.image.devpath_len, text,
				     sizeof(text));
		add(o, "device_path", json_object_new_string(text));
		break;
	case UEFILOG_K_BLOB:
		if (in->u.blob.desc)
			add(o, "description", text_json(in->u.blob.desc,
							in->u.blob.desc_len,
							false));
		add(o, "base", json_object_new_uint64(in->u.blob.base));
		add(o, "length", json_object_new_uint64(in->u.blob.length));
		break;
	case UEFILOG_K_HANDOFF:
		return handoff_json(in, o);
	case UEFILOG_K_GPT:
		return gpt_json(in, o);
	case UEFILOG_K_TAGGED:
		add(o, "id", json_object_new_int64(in->u.tagged.id));
		add(o, "data", hex_json(in->u.tagged.data, in->u.tagged.len));
		break;
	case UEFILOG_K_RAW:
		break;
	}
	return o;
}

json_object *vt_fwlog_event_json(const struct uefilog *l,
				 const struct uefilog_event *e)
{
	json_object *o = json_object_new_object(), *d;
	struct uefilog_info in;
	const char *type;
	char buf[16], desc[TEXT_MAX];
	unsigned int i;

	if (!o)
		return NULL;
	uefilog_decode(l, e, &in);
	uefilog_describe(e, &in, desc, sizeof(desc));
	type = uefilog_type_name(e->type);
	add(o, "index", json_object_new_uint64(e->index));
	add(o, "offset", json_object_new_uint64(e->offset));
	add(o, "pcr", json_object_new_int64(e->pcr));
	add(o, "type", type ? json_object_new_string(type) : NULL);
	add(o, "type_value", json_object_new_int64(e->type));
	d = json_object_new_object();
	for (i = 0; d && i < e->nr_digests; i++)
		add(d, vt_fwlog_alg_name(e->digests[i].alg, buf, sizeof(buf)),
		    hex_json(e->digests[i].bytes, e->digests[i].size));
	add(o, "digests", d);
	add(o, "description", json_object_new_string(desc));
	add(o, "event", info_json(l, &in));
	add(o, "data", hex_json(e->data, e->data_len));
	return o;
}

/* ---- the command ---- */

int vt_fwlog_print(const char *path, bool json)
{
	struct uefilog_error err;
	struct uefilog_event e;
	struct uefilog l;
	const char *name = strcmp(path, "-") ? path : "stdin";
	json_object *o;
	uint8_t *buf;
	size_t len;
	unsigned long long n = 0;
	int ret;

	ret = vt_read_file(path, VT_UEFI_LOG_MAX, &buf, &len);
	if (ret) {
		vt_err(name, "%s", ret == -EFBIG ?
		       "larger than any firmware log" : strerror(-ret));
		return ret == -EFBIG ? VT_EXIT_USAGE : VT_EXIT_SYSTEM;
	}
	if (uefilog_open(&l, buf, len, &err)) {
		free(buf);
		return log_error(name, &err);
	}
	if (json)
		fputs("[", stdout);
	while ((ret = uefilog_next(&l, &e, &err)) == 1) {
		if (!json) {
			print_event(&l, &e);
			continue;
		}
		o = vt_fwlog_event_json(&l, &e);
		if (!o) {
			vt_err("log", "out of memory");
			ret = -VT_EXIT_SYSTEM;
			break;
		}
		fputs(n++ ? ",\n" : "\n", stdout);
		fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE),
		      stdout);
		json_object_put(o);
	}
	if (ret < 0 && ret != -VT_EXIT_SYSTEM)
		ret = -log_error(name, &err);
	else if (json)
		fputs(n ? "\n]\n" : "]\n", stdout);
	else if (l.pad_len)
		printf("%zu bytes of 0x%02x padding after the last event\n",
		       l.pad_len, l.pad_byte);
	free(buf);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("log", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret < 0 ? -ret : VT_EXIT_OK;
}
