// SPDX-License-Identifier: GPL-2.0
/*
 * vtrust log: print a binary measurement list as IMA's ascii list or JSON.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "algs.h"
#include "fwlog.h"
#include "imalog.h"
#include "listfile.h"
#include "sources.h"
#include "util.h"
#include "vtrust.h"

static const char log_usage[] =
"Usage: vtrust log [options]\n"
"       vtrust log --source uefi [--json] [FILE]\n"
"\n"
"Print a binary measurement list, by default vtrust's\n"
"<securityfs>/vtrust/binary_runtime_measurements, in IMA's ascii format:\n"
"\n"
"  <pcr> <template digest> <template> <algo>:<digest> <name>[ <buf>]\n"
"\n"
"one line per entry, the same bytes as the kernel's ascii_runtime_measurements\n"
"(a field of a template is preceded by a space, and an empty one prints\n"
"nothing, so ima-sig without a signature ends in a space).\n"
"\n"
"With --source uefi it prints the firmware's TCG event log, by default\n"
"<securityfs>/tpm0/binary_bios_measurements: one line per event\n"
"\n"
"  #<index> PCR <pcr> <event type>: <what it measured>\n"
"\n"
"then the event's digests, one line per algorithm, and what its data holds\n"
"(UEFI variables, images and their device paths, firmware blobs, tables,\n"
"GPT partitions). An event type that vtrust does not know is shown with its\n"
"number and its data in hex.\n"
"\n"
"Options:\n"
"  --list FILE          read FILE ('-': standard input). A name ending in\n"
"                       _<bank> (binary_runtime_measurements_sha256) holds\n"
"                       that bank's template digests, any other SHA-1 ones\n"
"  --source SOURCE      the list to read: vtrust (default), ima or uefi\n"
"  --bank ALG           the kernel list with bank ALG's template digests:\n"
"                       sha1 sha256 sha384 sha512 sm3_256\n"
"  --json               a JSON array, one entry or event object per line\n"
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
"  -h, --help           this text\n"
"\n"
VT_EXIT_CODES;

struct log_ctx {
	bool json;
	char *hexbuf;
	size_t hexsize;
};

/* ---- ascii ---- */

static void put_uint(FILE *f, const uint8_t *d, uint32_t len)
{
	unsigned long long v = 0;
	uint32_t i;

	if (len != 1 && len != 2 && len != 4 && len != 8)
		return;
	for (i = 0; i < len; i++)
		v |= (unsigned long long)d[i] << (8 * i);
	fprintf(f, "%llu", v);
}

static void put_field(FILE *f, const struct imalog_field *fd)
{
	switch (fd->type) {
	case IMALOG_F_DIGEST_NG:
		/* "<algo>:" and the hex digest */
		fwrite(fd->algo, 1, fd->algo_len + 1, f);
		vt_put_hex(f, fd->digest, fd->digest_len);
		break;
	case IMALOG_F_STRING:
		fwrite(fd->data, 1, fd->str_len, f);
		break;
	case IMALOG_F_UINT:
		put_uint(f, fd->data, fd->len);
		break;
	default:
		vt_put_hex(f, fd->data, fd->len);
		break;
	}
}

static void print_ascii(const struct imalog_entry *e)
{
	unsigned int i;

	printf("%2u ", e->pcr);
	vt_put_hex(stdout, e->digest, e->digest_len);
	printf(" %s", e->template_name);
	if (!e->nr_fields && e->data_len) {
		putchar(' ');
		vt_put_hex(stdout, e->data, e->data_len);
	}
	for (i = 0; i < e->nr_fields; i++) {
		putchar(' ');
		if (e->fields[i].len)
			put_field(stdout, &e->fields[i]);
	}
	putchar('\n');
}

/* ---- json ---- */

static const char *hex_of(struct log_ctx *c, const uint8_t *d, size_t len)
{
	size_t want = 2 * len + 1;
	char *nbuf;

	if (want > c->hexsize) {
		nbuf = realloc(c->hexbuf, want);
		if (!nbuf)
			return NULL;
		c->hexbuf = nbuf;
		c->hexsize = want;
	}
	vt_hex(c->hexbuf, d, len);
	return c->hexbuf;
}

static int add_hex(struct log_ctx *c, json_object *o, const char *key,
		   const uint8_t *d, size_t len)
{
	const char *h = hex_of(c, d, len);

	if (!h)
		return -1;
	return json_object_object_add(o, key,
				      json_object_new_string_len(h, 2 * len));
}

static int add_str(json_object *o, const char *key, const void *s,
		   size_t len)
{
	return json_object_object_add(o, key,
				      json_object_new_string_len(s, len));
}

static json_object *field_json(struct log_ctx *c, const struct imalog_field *f)
{
	json_object *o = json_object_new_object();
	unsigned long long v = 0;
	uint32_t i;
	int ret = 0;

	if (!o)
		return NULL;
	json_object_object_add(o, "id", f->id ? json_object_new_string(f->id) :
			       NULL);
	switch (f->type) {
	case IMALOG_F_DIGEST_NG:
		if (!f->len) {
			ret = add_hex(c, o, "hex", f->data, 0);
			break;
		}
		ret = add_str(o, "algo", f->algo, f->algo_len);
		ret |= add_hex(c, o, "digest", f->digest, f->digest_len);
		break;
	case IMALOG_F_DIGEST:
		ret = add_hex(c, o, "digest", f->digest, f->digest_len);
		break;
	case IMALOG_F_STRING:
		ret = add_str(o, "value", f->data, f->str_len);
		break;
	case IMALOG_F_UINT:
		if (f->len != 1 && f->len != 2 && f->len != 4 && f->len != 8) {
			ret = add_hex(c, o, "hex", f->data, f->len);
			break;
		}
		for (i = 0; i < f->len; i++)
			v |= (unsigned long long)f->data[i] << (8 * i);
		ret = json_object_object_add(o, "value",
					     json_object_new_uint64(v));
		break;
	default:
		ret = add_hex(c, o, "hex", f->data, f->len);
		break;
	}
	if (ret) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int print_json(struct log_ctx *c, const struct imalog_entry *e)
{
	json_object *o = json_object_new_object(), *fields = NULL, *f;
	const struct imalog_field *fd;
	unsigned int i;
	int ret = -1;

	if (!o)
		return -1;
	if (json_object_object_add(o, "index", json_object_new_uint64(e->index)) ||
	    json_object_object_add(o, "offset", json_object_new_uint64(e->offset)) ||
	    json_object_object_add(o, "pcr", json_object_new_uint64(e->pcr)) ||
	    add_hex(c, o, "template_digest", e->digest, e->digest_len) ||
	    add_str(o, "template", e->template_name, e->template_name_len))
		goto out;
	fd = e->file_digest;
	if (fd && fd->type == IMALOG_F_DIGEST_NG && fd->len &&
	    add_str(o, "algo", fd->algo, fd->algo_len))
		goto out;
	if (fd && fd->digest &&
	    add_hex(c, o, "digest", fd->digest, fd->digest_len))
		goto out;
	if (e->event_name &&
	    add_str(o, "name", e->event_name->data, e->event_name->str_len))
		goto out;
	if (!e->nr_fields) {
		if (add_hex(c, o, "data", e->data, e->data_len))
			goto out;
	} else {
		fields = json_object_new_array();
		if (!fields)
			goto out;
		for (i = 0; i < e->nr_fields; i++) {
			f = field_json(c, &e->fields[i]);
			if (!f || json_object_array_add(fields, f)) {
				json_object_put(f);
				json_object_put(fields);
				goto out;
			}
		}
		if (json_object_object_add(o, "fields", fields)) {
			json_object_put(fields);
			goto out;
		}
	}
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					     JSON_C_TO_STRING_NOSLASHESCAPE),
	      stdout);
	ret = 0;
out:
	json_object_put(o);
	return ret;
}

enum {
	OPT_LIST = 256,
	OPT_SOURCE,
	OPT_BANK,
	OPT_JSON,
	OPT_SYSFS_ROOT,
};

static const struct option log_options[] = {
	{ "list", required_argument, NULL, OPT_LIST },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "bank", required_argument, NULL, OPT_BANK },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int cmd_log(int argc, char *argv[])
{
	const char *list = NULL, *root = "/";
	const struct vt_alg *bank = NULL, *dalg;
	enum vt_source src = VT_SOURCE_VTRUST;
	struct log_ctx ctx = { 0 };
	char path[PATH_MAX];
	struct imalog_entry *e;
	struct vt_list l;
	unsigned long long n = 0;
	int c, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", log_options, NULL)) != -1) {
		switch (c) {
		case OPT_LIST:
			list = optarg;
			break;
		case OPT_SOURCE:
			if (vt_source_parse(optarg, &src))
				return vt_usage_err("log", "unknown source '%s'",
						    optarg);
			break;
		case OPT_BANK:
			bank = vt_alg_find(optarg, strlen(optarg));
			if (!bank)
				return vt_usage_err("log", "unknown bank '%s'",
						    optarg);
			break;
		case OPT_JSON:
			ctx.json = true;
			break;
		case OPT_SYSFS_ROOT:
			root = optarg;
			break;
		case 'h':
			fputs(log_usage, stdout);
			return VT_EXIT_OK;
		default:
			return vt_bad_option("log", c, argv);
		}
	}
	if (src == VT_SOURCE_UEFI && optind < argc && !list)
		list = argv[optind++];
	if (optind < argc)
		return vt_usage_err("log", "unexpected argument '%s'",
				    argv[optind]);
	if (list && bank)
		return vt_usage_err("log", "--list and --bank exclude each other");
	if (src == VT_SOURCE_UEFI) {
		if (bank)
			return vt_usage_err("log", "--bank does not apply to the uefi log");
		if (!list) {
			if (vt_source_uefi_log(root, path, sizeof(path))) {
				vt_err("log", "path too long");
				return VT_EXIT_USAGE;
			}
			list = path;
		}
		return vt_fwlog_print(list, ctx.json);
	}

	if (list) {
		dalg = vt_list_digest_alg(list);
	} else {
		if (vt_source_list(src, root, bank, path, sizeof(path), &dalg)) {
			vt_err("log", "path too long");
			return VT_EXIT_USAGE;
		}
		if (bank && dalg != bank) {
			vt_err(path, "the kernel has no %s list of its own, only this SHA-1 one",
			       bank->name);
			return VT_EXIT_SYSTEM;
		}
		list = path;
	}

	e = malloc(sizeof(*e));
	if (!e) {
		vt_err("log", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	ret = vt_list_open(&l, list, dalg->size);
	if (ret) {
		free(e);
		return ret;
	}
	if (ctx.json)
		fputs("[", stdout);
	while ((ret = vt_list_next(&l, e)) == 1) {
		if (!ctx.json) {
			print_ascii(e);
			continue;
		}
		fputs(n ? ",\n" : "\n", stdout);
		if (print_json(&ctx, e)) {
			vt_err("log", "out of memory");
			ret = -VT_EXIT_SYSTEM;
			break;
		}
		n++;
	}
	if (ctx.json && !ret)
		fputs(n ? "\n]\n" : "]\n", stdout);
	vt_list_close(&l);
	free(ctx.hexbuf);
	free(e);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("log", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret < 0 ? -ret : VT_EXIT_OK;
}
