// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrust verify, and vtrust baseline init, accept and history: the replay
 * first, then this boot against the baseline (compare.c).
 */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "baseline.h"
#include "bindex.h"
#include "collect.h"
#include "compare.h"
#include "replay.h"
#include "sources.h"
#include "util.h"
#include "verify.h"
#include "vtrust.h"

/* ---- the steps every command shares ---- */

int vt_check_boot(const struct vt_check_opts *o, bool quiet,
		  json_object **report, json_object **cur, size_t *problems)
{
	struct vt_replay_opts r = {
		.root = o->root,
		.sources = VT_SOURCES_ALL,
		.pcrs_arg = o->pcrs_arg,
		.pcr_table = o->pcr_table,
		.brief = true,
		.quiet = quiet,
	};
	struct vt_replay_out out = { 0 };
	int ret;

	*cur = NULL;
	*problems = 0;
	if (report)
		*report = NULL;
	if (!o->no_boot) {
		out.coll = vt_collector_new();
		if (!out.coll)
			return VT_EXIT_SYSTEM;
		if (o->filter)
			vt_collector_filter(out.coll, o->filter);
	}
	ret = vt_replay_run(&r, &out);
	*problems = out.problems;
	if (!ret && out.coll)
		ret = vt_collect_finish(out.coll, cur);
	vt_collector_free(out.coll);
	if (report)
		*report = out.report;
	else
		json_object_put(out.report);
	return ret;
}

/* ---- vtrust verify ---- */

static const char verify_usage[] =
"Usage: vtrust verify [--init] [--baseline PATH] [--reference FILE] [--json]\n"
"\n"
"Check this boot. First the replay, as 'vtrust replay' makes it: each source\n"
"read once, every bank the TPM has, every PCR a source uses. Lists that do\n"
"not match the TPM, or that it cannot vouch for, make the boot untrusted;\n"
"so do problems that no baseline can excuse: a gap in vtrust's list, a\n"
"history before vtrust started that nothing explains (an unload and\n"
"reload, a kexec), a bank the firmware log lacks, firmware event data that\n"
"contradict their digest, an error separator. Then this boot, taken from\n"
"the entries the PCRs vouch for and nothing else, is compared with the\n"
"baseline (BASELINE.md):\n"
"\n"
"  firmware  PCRs 0-3 and 5-7 of the firmware log, event by event, in order\n"
"  kernel    PCRs 4, 8, 9 and 10-23 of the firmware log: boot loader, kernel,\n"
"            command line, initrd, shim, systemd-stub\n"
"  ima       IMA's list as a set of name -> digest, and its violations\n"
"  vtrust    vtrust's list as a set of name -> digest\n"
"\n"
"An event that was added, removed or changed in the firmware or kernel\n"
"stage, a component of ima or vtrust that is new or has a digest that the\n"
"baseline does not know (or has retired), and a stage the baseline has and\n"
"this boot lacks, is a difference. Each is listed with its stage, PCR,\n"
"event type and name, the baseline's digest and this boot's, and an ID\n"
"that stays the same from run to run; the set of differences has an ID\n"
"too, for 'vtrust baseline accept'. Names come from the lists: only the\n"
"digests are covered by the PCRs.\n"
"\n"
"Run in the guest, verify reads the PCRs through the guest's kernel and\n"
"the baseline from its disk: its verdict is only as trustworthy as the\n"
"guest's root. A verdict that holds against root needs the PCRs quoted by\n"
"the TPM and checked on another host (remote attestation).\n"
"\n"
"Options:\n"
"  --init               the first boot: record this boot as the baseline\n"
"                       (it is not verified: exit 4); refused when a\n"
"                       baseline exists ('baseline init --force' replaces it)\n"
"  --baseline PATH      the baseline (default " VT_BASELINE_PATH ")\n"
"  --reference FILE     also trust vtrust components listed in FILE, lines\n"
"                       '<algo>:<hex> <name>' ('vtrust baseline generate')\n"
"  --json               print a JSON report (an error object on exit 2, 3)\n"
"  --pcrs SRC           where the PCR values come from (see 'vtrust replay')\n"
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 trusted, 1 untrusted (a problem or a difference), 2 bad\n"
"usage or input (no baseline, a broken one), 3 system error, 4 baseline\n"
"recorded (--init).\n";

enum {
	OPT_INIT = 256,
	OPT_BASELINE,
	OPT_REFERENCE,
	OPT_JSON,
	OPT_PCRS,
	OPT_SYSFS_ROOT,
};

static const struct option verify_options[] = {
	{ "init", no_argument, NULL, OPT_INIT },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "reference", required_argument, NULL, OPT_REFERENCE },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "pcrs", required_argument, NULL, OPT_PCRS },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void print_json(json_object *root)
{
	puts(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* The problems of the replay's report ("problems" array). */
static json_object *problems_of(json_object *replay)
{
	json_object *p = NULL;

	if (replay)
		json_object_object_get_ex(replay, "problems", &p);
	return p;
}

static int report(const struct vt_check_opts *o, json_object *base,
		  const struct vt_diffs *ds, json_object *replay,
		  size_t problems)
{
	size_t open = vt_diffs_open(ds), i;
	json_object *root, *arr;
	int ret = open || problems ? VT_EXIT_MISMATCH : VT_EXIT_OK;
	char set[17];

	if (vt_diffs_set_id(ds, set)) {
		vt_err("verify", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	if (!o->json) {
		printf("baseline %s: created %s, updated %s\n", o->baseline,
		       vt_json_str(base, "created"), vt_json_str(base, "updated"));
		vt_diffs_print_stages(ds);
		if (open)
			printf("differences (set %s):\n", set);
		for (i = 0; i < ds->nr; i++)
			if (vt_diff_is_open(&ds->d[i]))
				vt_diff_print(&ds->d[i]);
		if (problems && open)
			printf("result: untrusted (%zu problem%s, %zu difference%s)\n",
			       problems, problems == 1 ? "" : "s", open,
			       open == 1 ? "" : "s");
		else if (problems)
			printf("result: untrusted (%zu problem%s)\n", problems,
			       problems == 1 ? "" : "s");
		else if (open)
			printf("result: untrusted (%zu difference%s)\n", open,
			       open == 1 ? "" : "s");
		else
			printf("result: trusted\n");
		return ret;
	}
	root = json_object_new_object();
	arr = json_object_new_array();
	for (i = 0; arr && i < ds->nr; i++)
		json_object_array_add(arr, vt_diff_json(&ds->d[i]));
	json_object_object_add(root, "result", json_object_new_string(
				       ret ? "untrusted" : "trusted"));
	json_object_object_add(root, "exit", json_object_new_int(ret));
	json_object_object_add(root, "baseline",
			       json_object_new_string(o->baseline));
	json_object_object_add(root, "created", json_object_new_string(
				       vt_json_str(base, "created")));
	json_object_object_add(root, "updated", json_object_new_string(
				       vt_json_str(base, "updated")));
	json_object_object_add(root, "problems",
			       json_object_get(problems_of(replay)));
	json_object_object_add(root, "replay", json_object_get(replay));
	json_object_object_add(root, "stages", vt_diffs_stages_json(ds));
	json_object_object_add(root, "set", open ?
			       json_object_new_string(set) : NULL);
	json_object_object_add(root, "differences", arr);
	print_json(root);
	json_object_put(root);
	return ret;
}

/*
 * A verdict without a comparison: the replay failed (untrusted), or an
 * error (exit 2 or 3). --json always gets one object.
 */
static int early_verdict(const struct vt_check_opts *o, json_object *replay,
			 int ret)
{
	json_object *root;

	if (!o->json) {
		if (ret == VT_EXIT_MISMATCH)
			printf("result: untrusted (the measurement lists do not match the TPM or cannot be verified)\n");
		return ret;
	}
	root = json_object_new_object();
	json_object_object_add(root, "result", json_object_new_string(
				       ret == VT_EXIT_MISMATCH ? "untrusted" :
				       "error"));
	json_object_object_add(root, "exit", json_object_new_int(ret));
	json_object_object_add(root, "baseline",
			       json_object_new_string(o->baseline));
	if (ret != VT_EXIT_MISMATCH)
		json_object_object_add(root, "error",
				       vt_json_text(vt_last_error()));
	json_object_object_add(root, "problems",
			       json_object_get(problems_of(replay)));
	json_object_object_add(root, "replay", json_object_get(replay));
	json_object_object_add(root, "stages", NULL);
	json_object_object_add(root, "differences", NULL);
	print_json(root);
	json_object_put(root);
	return ret;
}

/* verify --init on the first boot: recorded, not verified. */
static int first_boot(const struct vt_check_opts *o, json_object *replay)
{
	json_object *root;

	if (!o->json) {
		printf("result: recorded (first boot: the baseline was created from this boot, which was not verified)\n");
		return VT_EXIT_RECORDED;
	}
	root = json_object_new_object();
	json_object_object_add(root, "result", json_object_new_string("recorded"));
	json_object_object_add(root, "exit", json_object_new_int(VT_EXIT_RECORDED));
	json_object_object_add(root, "baseline",
			       json_object_new_string(o->baseline));
	json_object_object_add(root, "created_baseline",
			       json_object_new_boolean(true));
	json_object_object_add(root, "replay", json_object_get(replay));
	json_object_object_add(root, "differences", json_object_new_array());
	print_json(root);
	json_object_put(root);
	return VT_EXIT_RECORDED;
}

static int parse_verify(struct vt_check_opts *o, const char **reference,
			bool *init, int argc, char *argv[])
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", verify_options, NULL)) != -1) {
		switch (c) {
		case OPT_INIT:
			*init = true;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_REFERENCE:
			*reference = optarg;
			break;
		case OPT_JSON:
			o->json = true;
			break;
		case OPT_PCRS:
			o->pcrs_arg = optarg;
			break;
		case OPT_SYSFS_ROOT:
			o->root = optarg;
			break;
		case 'h':
			fputs(verify_usage, stdout);
			return -1;
		default:
			return vt_bad_option("verify", c, argv);
		}
	}
	if (optind < argc)
		return vt_usage_err("verify", "unexpected argument '%s'",
				    argv[optind]);
	return 0;
}

int cmd_verify(int argc, char *argv[])
{
	struct vt_check_opts o = { .root = "/", .baseline = VT_BASELINE_PATH };
	json_object *base = NULL, *cur = NULL, *ref = NULL, *replay = NULL;
	struct vt_bindex *idx = NULL;
	struct vt_diffs ds = { 0 };
	char why[256];
	const char *reference = NULL;
	bool init = false;
	size_t problems = 0;
	int ret;

	ret = parse_verify(&o, &reference, &init, argc, argv);
	if (ret)
		return ret < 0 ? VT_EXIT_OK : ret;
	if (reference) {
		ret = vt_reference_load(reference, &ref);
		if (ret)
			goto out_early;
	}
	/*
	 * A missing baseline is an error: verify never makes one, except
	 * --init on the first boot, and --init never replaces one.
	 */
	if (init && vt_exists(o.baseline)) {
		vt_err(o.baseline, "a baseline exists: --init records only the first one ('vtrust baseline init --force' replaces it)");
		ret = VT_EXIT_USAGE;
		goto out_early;
	}
	if (!init) {
		ret = vt_baseline_load_indexed(o.baseline, &base, &idx);
		if (ret)
			goto out_early;
	}
	o.filter = idx;
	ret = vt_check_boot(&o, o.json, &replay, &cur, &problems);
	if (ret)
		goto out_early;
	/* what the comparison looks up of the baseline's components */
	if (idx && vt_bindex_fill(idx, base, cur, why, sizeof(why))) {
		vt_err(o.baseline, "broken baseline index: %s (remove %s.idx: verify then reads the baseline in full)",
		       why, o.baseline);
		ret = early_verdict(&o, replay, strstr(why, "out of memory") ?
				    VT_EXIT_SYSTEM : VT_EXIT_USAGE);
		goto out;
	}
	if (init) {
		if (problems) {
			printf("refusing to record a baseline of a boot with %zu problem%s\n",
			       problems, problems == 1 ? "" : "s");
			ret = early_verdict(&o, replay, VT_EXIT_MISMATCH);
			goto out;
		}
		ret = vt_baseline_init(o.baseline, cur,
				       "verify --init: first boot", false,
				       o.json);
		if (!ret)
			ret = first_boot(&o, replay);
		else
			ret = early_verdict(&o, replay, ret);
		goto out;
	}
	ret = vt_compare(base, cur, ref, &ds) ? VT_EXIT_SYSTEM :
	      report(&o, base, &ds, replay, problems);
	goto out;
out_early:
	ret = early_verdict(&o, replay, ret);
out:
	vt_diffs_free(&ds);
	json_object_put(base);
	json_object_put(cur);
	json_object_put(ref);
	json_object_put(replay);
	vt_bindex_close(idx);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("verify", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret;
}
