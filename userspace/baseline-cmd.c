// SPDX-License-Identifier: GPL-2.0
/*
 * vtrust baseline: init, accept, history and generate.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "baseline.h"
#include "compare.h"
#include "kmodref.h"
#include "util.h"
#include "verify.h"
#include "vtrust.h"

static const char baseline_usage[] =
"Usage: vtrust baseline init [--force] [--reason TEXT] [options]\n"
"       vtrust baseline accept (--all | --event ID...) --reason TEXT [options]\n"
"       vtrust baseline history [--json] [options]\n"
"       vtrust baseline generate --kernel-release VER [--hash sha256|sm3]\n"
"                                [--output FILE] [--modules-dir DIR]\n"
"                                [--compressed-digest raw|decompressed|auto]\n"
"\n"
"init      record this boot as the baseline: every bank's PCR values, the\n"
"          firmware and kernel events of the firmware log in order, and IMA's\n"
"          and vtrust's lists as name -> digest. The lists must match the\n"
"          TPM first. An existing baseline is kept unless --force.\n"
"accept    add the differences that 'vtrust verify' shows to the baseline\n"
"          as trusted exceptions: all of them, or those named by their event\n"
"          ID. The history records what, when, who (user, uid, SUDO_USER) and\n"
"          why (--reason, required).\n"
"history   show the baseline's history: its creation and every accept.\n"
"generate  write a reference of a kernel's modules for 'vtrust verify\n"
"          --reference': one line '<algo>:<hex> <path>' per module, the\n"
"          digest of the bytes the kernel will read when kmod loads it\n"
"          (see vtrust(8), REFERENCES).\n"
"\n"
"Options:\n"
"  --baseline PATH      the baseline (default " VT_BASELINE_PATH ")\n"
"  --force              init: replace an existing baseline\n"
"  --reason TEXT        why (init: optional; accept: required)\n"
"  --all                accept: every difference\n"
"  --event ID           accept: the difference with this ID (repeatable)\n"
"  --json               history: print JSON\n"
"  --kernel-release VER generate: the kernel whose modules to hash\n"
"  --hash ALG           generate: sha256 (default) or sm3, as vtrust.ko hash=\n"
"  --output FILE        generate: write FILE (atomically) instead of stdout\n"
"  --modules-dir DIR    generate: modules under DIR/<VER> (default\n"
"                       /lib/modules)\n"
"  --compressed-digest M generate: hash a compressed module (.ko.xz, .zst,\n"
"                       .gz) as its file (raw: kmod 31 and later hand it to\n"
"                       a kernel that decompresses it), as its decompressed\n"
"                       image (decompressed: kmod 30 and older), or as this\n"
"                       machine's kmod would load it into VER (auto, the\n"
"                       default)\n"
"  --pcrs SRC           where the PCR values come from (see 'vtrust replay')\n"
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 ok, 1 the lists do not match the TPM (init, accept), 2 bad\n"
"usage or input (a broken baseline, an unknown event ID), 3 system error.\n";

enum {
	OPT_BASELINE = 256,
	OPT_FORCE,
	OPT_REASON,
	OPT_ALL,
	OPT_EVENT,
	OPT_JSON,
	OPT_KVER,
	OPT_HASH,
	OPT_OUTPUT,
	OPT_MODDIR,
	OPT_COMPRESSED,
	OPT_PCRS,
	OPT_SYSFS_ROOT,
};

static const struct option baseline_options[] = {
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "kernel-release", required_argument, NULL, OPT_KVER },
	{ "hash", required_argument, NULL, OPT_HASH },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "modules-dir", required_argument, NULL, OPT_MODDIR },
	{ "compressed-digest", required_argument, NULL, OPT_COMPRESSED },
	{ "pcrs", required_argument, NULL, OPT_PCRS },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

#define MAX_EVENTS 256

struct bargs {
	struct vt_check_opts o;
	bool force, all;
	const char *reason;
	const char *events[MAX_EVENTS];
	unsigned int nr_events;
	struct vt_kmodref_opts gen;
	unsigned int given;	/* bits: 1 << (OPT_x - OPT_BASELINE) */
};

/* Options each subcommand takes, as bits of struct bargs.given. */
#define BIT(opt) (1U << ((opt) - OPT_BASELINE))
#define COMMON (BIT(OPT_BASELINE) | BIT(OPT_PCRS) | BIT(OPT_SYSFS_ROOT))

static const struct {
	const char *name;
	unsigned int options;
} subcommands[] = {
	{ "init", COMMON | BIT(OPT_FORCE) | BIT(OPT_REASON) },
	{ "accept", COMMON | BIT(OPT_REASON) | BIT(OPT_ALL) | BIT(OPT_EVENT) },
	{ "history", COMMON | BIT(OPT_JSON) },
	{ "generate", BIT(OPT_KVER) | BIT(OPT_HASH) | BIT(OPT_OUTPUT) |
		      BIT(OPT_MODDIR) | BIT(OPT_COMPRESSED) },
};

static int parse(struct bargs *a, int argc, char *argv[])
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", baseline_options,
				NULL)) != -1) {
		if (c >= OPT_BASELINE)
			a->given |= BIT(c);
		switch (c) {
		case OPT_BASELINE:
			a->o.baseline = optarg;
			break;
		case OPT_FORCE:
			a->force = true;
			break;
		case OPT_REASON:
			a->reason = optarg;
			break;
		case OPT_ALL:
			a->all = true;
			break;
		case OPT_EVENT:
			if (a->nr_events == MAX_EVENTS)
				return vt_usage_err("baseline", "more than %u --event options",
						    MAX_EVENTS);
			a->events[a->nr_events++] = optarg;
			break;
		case OPT_JSON:
			a->o.json = true;
			break;
		case OPT_KVER:
			a->gen.kernel_release = optarg;
			break;
		case OPT_HASH:
			a->gen.hash = optarg;
			break;
		case OPT_OUTPUT:
			a->gen.output = optarg;
			break;
		case OPT_MODDIR:
			a->gen.modules_dir = optarg;
			break;
		case OPT_COMPRESSED:
			a->gen.compressed_digest = optarg;
			break;
		case OPT_PCRS:
			a->o.pcrs_arg = optarg;
			break;
		case OPT_SYSFS_ROOT:
			a->o.root = optarg;
			break;
		case 'h':
			fputs(baseline_usage, stdout);
			return -1;
		default:
			return vt_bad_option("baseline", c, argv);
		}
	}
	return 0;
}

/* ---- init ---- */

static int do_init(struct bargs *a)
{
	json_object *cur = NULL;
	size_t problems;
	int ret;

	if (vt_exists(a->o.baseline) && !a->force) {
		vt_err(a->o.baseline, "a baseline exists (--force replaces it)");
		return VT_EXIT_USAGE;
	}
	ret = vt_check_boot(&a->o, false, NULL, &cur, &problems);
	if (ret == VT_EXIT_MISMATCH)
		printf("refusing to record a baseline of lists that do not match the TPM\n");
	if (!ret && problems) {
		printf("refusing to record a baseline of a boot with %zu problem%s\n",
		       problems, problems == 1 ? "" : "s");
		ret = VT_EXIT_MISMATCH;
	}
	if (!ret)
		ret = vt_check_init(&a->o, a->reason, cur);
	json_object_put(cur);
	return ret;
}

/* ---- accept ---- */

static bool id_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 16;
}

/* Pick the differences to accept; every --event must name one. */
static int select_diffs(struct bargs *a, struct vt_diffs *ds, bool *pick)
{
	unsigned int k;
	size_t i;
	bool found, known;

	for (i = 0; i < ds->nr; i++)
		pick[i] = a->all && !ds->d[i].accepted && !ds->d[i].referenced;
	for (k = 0; k < a->nr_events; k++) {
		found = known = false;
		for (i = 0; i < ds->nr; i++) {
			if (strcmp(ds->d[i].id, a->events[k]))
				continue;
			known = true;
			if (ds->d[i].accepted || ds->d[i].referenced)
				continue;
			pick[i] = found = true;
		}
		if (!found) {
			vt_err(a->events[k], known ?
			       "this difference is already trusted" :
			       "no difference of this boot has this event ID (see 'vtrust verify')");
			return VT_EXIT_USAGE;
		}
	}
	return 0;
}

static int add_exceptions(json_object *base, struct vt_diffs *ds,
			  const bool *pick, const char *reason, size_t *n)
{
	json_object *exc = json_object_object_get(base, "exceptions");
	json_object *ids = json_object_new_array(), *e, *hist;
	char now[32];
	size_t i;

	*n = 0;
	for (i = 0; ids && i < ds->nr; i++) {
		if (!pick[i])
			continue;
		e = vt_diff_exception(&ds->d[i]);
		if (!e || json_object_array_add(exc, e))
			goto oom;
		json_object_array_add(ids, json_object_new_string(ds->d[i].id));
		printf("accepted [%s] %s \"%s\"\n", ds->d[i].id,
		       vt_stage_name(ds->d[i].stage), ds->d[i].name);
		(*n)++;
	}
	hist = vt_history_entry("accept", reason, ids);
	if (!hist)
		goto oom;
	json_object_array_add(json_object_object_get(base, "history"), hist);
	vt_now_iso(now, sizeof(now));
	json_object_object_add(base, "updated", json_object_new_string(now));
	return 0;
oom:
	vt_err("baseline", "out of memory");
	return VT_EXIT_SYSTEM;
}

static int do_accept(struct bargs *a)
{
	json_object *base = NULL, *cur = NULL;
	struct vt_diffs ds = { 0 };
	bool *pick = NULL;
	unsigned int k;
	size_t n = 0, problems;
	int ret;

	if (!a->all && !a->nr_events)
		return vt_usage_err("baseline", "accept needs --all or --event ID");
	if (a->all && a->nr_events)
		return vt_usage_err("baseline", "--all and --event exclude each other");
	if (!a->reason || !a->reason[0])
		return vt_usage_err("baseline", "accept needs --reason TEXT");
	if (strlen(a->reason) > 4096)
		return vt_usage_err("baseline", "--reason is longer than 4096 bytes");
	for (k = 0; k < a->nr_events; k++)
		if (!id_ok(a->events[k]))
			return vt_usage_err("baseline", "'%s' is not an event ID (16 hex digits)",
					    a->events[k]);
	ret = vt_baseline_load(a->o.baseline, &base);
	if (ret)
		return ret;
	ret = vt_check_boot(&a->o, false, NULL, &cur, &problems);
	if (ret == VT_EXIT_MISMATCH)
		printf("refusing to accept differences of lists that do not match the TPM\n");
	if (!ret && problems) {
		printf("refusing to accept differences of a boot with %zu problem%s\n",
		       problems, problems == 1 ? "" : "s");
		ret = VT_EXIT_MISMATCH;
	}
	if (ret)
		goto out;
	if (vt_compare(base, cur, NULL, &ds)) {
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	pick = calloc(ds.nr + 1, sizeof(*pick));
	if (!pick) {
		vt_err("baseline", "out of memory");
		ret = VT_EXIT_SYSTEM;
		goto out;
	}
	ret = select_diffs(a, &ds, pick);
	if (ret)
		goto out;
	for (k = 0; k < ds.nr && !pick[k]; k++)
		;
	if (k == ds.nr) {
		printf("nothing to accept: this boot is as in the baseline\n");
		goto out;
	}
	ret = add_exceptions(base, &ds, pick, a->reason, &n);
	if (!ret)
		ret = vt_baseline_save(a->o.baseline, base);
	if (!ret)
		printf("%zu difference%s accepted into %s\n", n,
		       n == 1 ? "" : "s", a->o.baseline);
out:
	free(pick);
	vt_diffs_free(&ds);
	json_object_put(base);
	json_object_put(cur);
	return ret;
}

/* ---- history ---- */

static json_object *find_exception(json_object *exc, const char *id)
{
	json_object *e;
	size_t i, n = json_object_array_length(exc);

	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(exc, i);
		if (!strcmp(vt_json_str(e, "id"), id))
			return e;
	}
	return NULL;
}

static int do_history(struct bargs *a)
{
	json_object *base, *hist, *exc, *h, *ids, *e, *root, *pcr;
	const char *s;
	size_t i, k, n;
	int ret;

	ret = vt_baseline_load(a->o.baseline, &base);
	if (ret)
		return ret;
	hist = json_object_object_get(base, "history");
	exc = json_object_object_get(base, "exceptions");
	if (a->o.json) {
		root = json_object_new_object();
		json_object_object_add(root, "baseline",
				       json_object_new_string(a->o.baseline));
		json_object_object_add(root, "history", json_object_get(hist));
		json_object_object_add(root, "exceptions", json_object_get(exc));
		puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(root);
		json_object_put(base);
		return VT_EXIT_OK;
	}
	n = json_object_array_length(hist);
	for (i = 0; i < n; i++) {
		h = json_object_array_get_idx(hist, i);
		s = vt_json_str(h, "user");
		printf("%s %s by %s (uid %lld", vt_json_str(h, "time"),
		       vt_json_str(h, "action"), s ? s : "?",
		       (long long)json_object_get_int64(
			       json_object_object_get(h, "uid")));
		s = vt_json_str(h, "sudo_user");
		if (s)
			printf(", sudo from %s", s);
		s = vt_json_str(h, "reason");
		printf(")%s%s\n", s ? ": " : "", s ? s : "");
		ids = json_object_object_get(h, "events");
		for (k = 0; k < json_object_array_length(ids); k++) {
			s = json_object_get_string(json_object_array_get_idx(ids, k));
			e = find_exception(exc, s);
			printf("  [%s]", s);
			if (e) {
				printf(" %s", vt_json_str(e, "stage"));
				pcr = json_object_object_get(e, "pcr");
				if (pcr)
					printf(" PCR %d", json_object_get_int(pcr));
				if (vt_json_str(e, "type"))
					printf(" %s", vt_json_str(e, "type"));
				printf(" \"%s\" %s", vt_json_str(e, "name"),
				       vt_json_str(e, "kind"));
			}
			putchar('\n');
		}
	}
	if (!n)
		printf("no history\n");
	json_object_put(base);
	return VT_EXIT_OK;
}

int cmd_baseline(int argc, char *argv[])
{
	struct bargs a = {
		.o = { .root = "/", .baseline = VT_BASELINE_PATH },
	};
	const char *sub;
	unsigned int i;
	int ret;

	if (argc >= 2 && (!strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		fputs(baseline_usage, stdout);
		return VT_EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-')
		return vt_usage_err("baseline", "no subcommand: init, accept, history or generate");
	sub = argv[1];
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(sub, subcommands[i].name))
			break;
	if (i == sizeof(subcommands) / sizeof(subcommands[0]))
		return vt_usage_err("baseline", "unknown subcommand '%s'", sub);
	ret = parse(&a, argc - 1, argv + 1);
	if (ret)
		return ret < 0 ? VT_EXIT_OK : ret;
	if (optind < argc - 1)
		return vt_usage_err("baseline", "unexpected argument '%s'",
				    argv[optind + 1]);
	if (a.given & ~subcommands[i].options)
		return vt_usage_err("baseline", "an option that '%s' does not take",
				    sub);
	switch (i) {
	case 0:
		ret = do_init(&a);
		break;
	case 1:
		ret = do_accept(&a);
		break;
	case 2:
		ret = do_history(&a);
		break;
	default:
		ret = vt_kmodref_generate(&a.gen);
		break;
	}
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("baseline", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret;
}
