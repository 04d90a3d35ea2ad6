// SPDX-License-Identifier: GPL-2.0-or-later
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
#include "fwsig.h"
#include "imalog.h"
#include "listfile.h"
#include "sources.h"
#include "uefilog.h"
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
"one line per entry (a field of a template is preceded by a space, and an\n"
"empty one prints nothing, so ima-sig without a signature ends in a space).\n"
"Text that the list holds (names, algorithms) is escaped so that no byte of\n"
"it reaches the terminal raw: a byte that is not UTF-8, a control character\n"
"and a backslash are shown as \\xNN, C1 controls and bidirectional\n"
"formatting characters as \\uNNNN. With --raw the lines are the same bytes\n"
"as the kernel's ascii_runtime_measurements, unescaped.\n"
"\n"
"With --source uefi it prints the firmware's TCG event log, by default\n"
"<securityfs>/tpm0/binary_bios_measurements: one line per event\n"
"\n"
"  #<index> PCR <pcr> <event type>: <what it measured>\n"
"\n"
"then the event's digests, one line per algorithm, and what its data holds\n"
"(UEFI variables, images and their device paths, firmware blobs, tables,\n"
"GPT partitions). An event type that vtrust does not know is shown with its\n"
"number and its data in hex. Text from the log has its control, C1 and\n"
"bidirectional formatting characters escaped as above. Bytes that are all\n"
"0x00 or all 0xff after the last event (an unused or erased log area) end\n"
"the log, and a last line counts them.\n"
"\n"
"Options:\n"
"  --list FILE          read FILE ('-': standard input). A name ending in\n"
"                       _<bank> (binary_runtime_measurements_sha256) holds\n"
"                       that bank's template digests, any other SHA-1 ones\n"
"  --source SOURCE      the list to read: vtrust (default), ima or uefi\n"
"  --bank ALG           the kernel list with bank ALG's template digests:\n"
"                       sha1 sha256 sha384 sha512 sm3_256\n"
"  --json               a JSON array, one entry or event object per line\n"
"                       (\"violation\": true on IMA's violation entries);\n"
"                       text that is not UTF-8 has its bad bytes, and its\n"
"                       backslashes, written as \\xNN\n"
"  --raw                the kernel's ascii format byte for byte, unescaped\n"
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
"  -h, --help           this text\n"
"\n"
VT_EXIT_CODES;

struct log_ctx {
	bool json;
	bool raw;
	char *buf;		/* hex and escaped text */
	size_t size;
};

/* Make room for @want bytes in c->buf. */
static char *room(struct log_ctx *c, size_t want)
{
	char *nbuf;

	if (want > c->size) {
		nbuf = realloc(c->buf, want);
		if (!nbuf)
			return NULL;
		c->buf = nbuf;
		c->size = want;
	}
	return c->buf;
}

/* ---- escaping ---- */

/* UTF-8 lead bytes: how many bytes follow, the bits kept, the least value. */
static const struct {
	uint8_t lo, hi, more, mask;
	uint32_t min;
} utf8_leads[] = {
	{ 0xc2, 0xdf, 1, 0x1f, 0x80 },
	{ 0xe0, 0xef, 2, 0x0f, 0x800 },
	{ 0xf0, 0xf4, 3, 0x07, 0x10000 },
};

/*
 * The code point of the UTF-8 sequence at @p (@len bytes left) and its
 * length in *n, or -1 if the bytes there are not UTF-8 (overlong forms,
 * surrogates and values above U+10FFFF are not).
 */
static int32_t utf8_char(const uint8_t *p, size_t len, size_t *n)
{
	unsigned int i, k;
	uint32_t c;

	*n = 1;
	if (p[0] < 0x80)
		return p[0];
	for (i = 0; i < sizeof(utf8_leads) / sizeof(utf8_leads[0]); i++)
		if (p[0] >= utf8_leads[i].lo && p[0] <= utf8_leads[i].hi)
			break;
	if (i == sizeof(utf8_leads) / sizeof(utf8_leads[0]) ||
	    len <= utf8_leads[i].more)
		return -1;
	c = p[0] & utf8_leads[i].mask;
	for (k = 1; k <= utf8_leads[i].more; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (p[k] & 0x3f);
	}
	if (c < utf8_leads[i].min || c > 0x10ffff ||
	    (c >= 0xd800 && c < 0xe000))
		return -1;
	*n = k;
	return c;
}

/*
 * @len bytes of text from the list as valid UTF-8 into c->buf, reversibly:
 * a byte that is not part of a UTF-8 character and a backslash become
 * "\xNN". For the terminal (not JSON) the characters that
 * uefilog_char_escaped() names become "\xNN" (below 0x80) or "\uNNNN".
 * Returns the text (NUL-terminated) or NULL when out of memory.
 */
static const char *escape(struct log_ctx *c, const uint8_t *p, size_t len)
{
	size_t i = 0, n, o = 0;
	int32_t ch;
	char *out = room(c, 4 * len + 1);

	if (!out)
		return NULL;
	for (; i < len; i += n) {
		ch = utf8_char(p + i, len - i, &n);
		if (ch < 0 || ch == '\\' ||
		    (!c->json && ch < 0x80 && uefilog_char_escaped(ch))) {
			o += sprintf(out + o, "\\x%02x", p[i]);
		} else if (!c->json && uefilog_char_escaped(ch)) {
			o += sprintf(out + o, "\\u%04x", ch);
		} else {
			memcpy(out + o, p + i, n);
			o += n;
		}
	}
	out[o] = '\0';
	return out;
}

/* ---- ascii ---- */

/* Text from the list: escaped, or as it is with --raw. */
static int put_text(struct log_ctx *c, const void *p, size_t len)
{
	const char *t;

	if (c->raw) {
		fwrite(p, 1, len, stdout);
		return 0;
	}
	t = escape(c, p, len);
	if (!t)
		return -1;
	fputs(t, stdout);
	return 0;
}

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

static int put_field(struct log_ctx *c, const struct imalog_field *fd)
{
	switch (fd->type) {
	case IMALOG_F_DIGEST_NG:
		/* "<algo>:" and the hex digest */
		if (put_text(c, fd->algo, fd->algo_len + 1))
			return -1;
		vt_put_hex(stdout, fd->digest, fd->digest_len);
		return 0;
	case IMALOG_F_STRING:
		return put_text(c, fd->data, fd->str_len);
	case IMALOG_F_UINT:
		put_uint(stdout, fd->data, fd->len);
		return 0;
	default:
		vt_put_hex(stdout, fd->data, fd->len);
		return 0;
	}
}

static int print_ascii(struct log_ctx *c, const struct imalog_entry *e)
{
	unsigned int i;

	printf("%2u ", e->pcr);
	vt_put_hex(stdout, e->digest, e->digest_len);
	putchar(' ');
	if (put_text(c, e->template_name, e->template_name_len))
		return -1;
	if (!e->nr_fields && e->data_len) {
		putchar(' ');
		vt_put_hex(stdout, e->data, e->data_len);
	}
	for (i = 0; i < e->nr_fields; i++) {
		putchar(' ');
		if (e->fields[i].len && put_field(c, &e->fields[i]))
			return -1;
	}
	putchar('\n');
	return 0;
}

/* ---- json ---- */

static const char *hex_of(struct log_ctx *c, const uint8_t *d, size_t len)
{
	char *h = room(c, 2 * len + 1);

	if (h)
		vt_hex(h, d, len);
	return h;
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

/*
 * An entry with a modsig field (ima-modsig: signed firmware, or a module
 * with an appended signature): "signers", the ids of the signature's
 * signers (fwsig.h). The kernel checked the signature against its keyring
 * before it logged the entry; nothing is checked here.
 */
static int add_signers(json_object *o, const struct imalog_entry *e)
{
	struct vt_p7s p;
	json_object *a;
	unsigned int i;

	for (i = 0; i < e->nr_fields; i++)
		if (e->fields[i].id && !strcmp(e->fields[i].id, "modsig") &&
		    e->fields[i].len)
			break;
	if (i == e->nr_fields ||
	    vt_p7s_signers(e->fields[i].data, e->fields[i].len, &p))
		return 0;
	a = json_object_new_array();
	if (!a)
		return -1;
	for (i = 0; i < p.nr_signers; i++)
		if (json_object_array_add(a, json_object_new_string(p.signers[i].key_id)))
			break;
	return json_object_object_add(o, "signers", a);
}

/* Text from the list, escaped to valid UTF-8 (escape()). */
static int add_str(struct log_ctx *c, json_object *o, const char *key,
		   const void *s, size_t len)
{
	const char *t = escape(c, s, len);

	if (!t)
		return -1;
	return json_object_object_add(o, key, json_object_new_string(t));
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
		ret = add_str(c, o, "algo", f->algo, f->algo_len);
		ret |= add_hex(c, o, "digest", f->digest, f->digest_len);
		break;
	case IMALOG_F_DIGEST:
		ret = add_hex(c, o, "digest", f->digest, f->digest_len);
		break;
	case IMALOG_F_STRING:
		ret = add_str(c, o, "value", f->data, f->str_len);
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
	    add_str(c, o, "template", e->template_name,
		    e->template_name_len))
		goto out;
	if (e->violation &&
	    json_object_object_add(o, "violation", json_object_new_boolean(1)))
		goto out;
	fd = e->file_digest;
	if (fd && fd->type == IMALOG_F_DIGEST_NG && fd->len &&
	    add_str(c, o, "algo", fd->algo, fd->algo_len))
		goto out;
	if (fd && fd->digest &&
	    add_hex(c, o, "digest", fd->digest, fd->digest_len))
		goto out;
	if (e->event_name &&
	    add_str(c, o, "name", e->event_name->data,
		    e->event_name->str_len))
		goto out;
	if (add_signers(o, e))
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
	OPT_RAW,
	OPT_SYSFS_ROOT,
};

static const struct option log_options[] = {
	{ "list", required_argument, NULL, OPT_LIST },
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "bank", required_argument, NULL, OPT_BANK },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "raw", no_argument, NULL, OPT_RAW },
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
		case OPT_RAW:
			ctx.raw = true;
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
	if (ctx.raw && ctx.json)
		return vt_usage_err("log", "--raw and --json exclude each other");
	if (src == VT_SOURCE_UEFI) {
		if (ctx.raw)
			return vt_usage_err("log", "--raw does not apply to the uefi log");
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
			if (!print_ascii(&ctx, e))
				continue;
			vt_err("log", "out of memory");
			ret = -VT_EXIT_SYSTEM;
			break;
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
	free(ctx.buf);
	free(e);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("log", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret < 0 ? -ret : VT_EXIT_OK;
}
