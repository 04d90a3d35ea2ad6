// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrust baseline: init, accept, revoke, history and generate.
 *
 * accept and revoke change the baseline's stages themselves (BASELINE.md,
 * "Accepting and revoking"): an accepted firmware or kernel difference
 * replaces the baseline's events of its PCR by this boot's, an accepted
 * component digest replaces the name's old digests (unless --keep-old),
 * and what is replaced is retired, so that a later boot showing it again
 * is a rollback. The exceptions list is the ledger of what accept did, for
 * revoke and status; the comparison does not read it.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "baseline.h"
#include "compare.h"
#include "compset.h"
#include "kmodref.h"
#include "util.h"
#include "verify.h"
#include "vtrust.h"

enum {
	OPT_BASELINE = 256,
	OPT_FORCE,
	OPT_REASON,
	OPT_ALL,
	OPT_SET,
	OPT_EVENT,
	OPT_DIGEST,
	OPT_KEEP_OLD,
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
	{ "set", required_argument, NULL, OPT_SET },
	{ "event", required_argument, NULL, OPT_EVENT },
	{ "digest", required_argument, NULL, OPT_DIGEST },
	{ "keep-old", no_argument, NULL, OPT_KEEP_OLD },
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

#define COMMON_HELP \
"  --baseline PATH      the baseline (default " VT_BASELINE_PATH ")\n" \
"  --json               print a JSON result (on an error: {\"error\": ...,\n" \
"                       \"exit\": N})\n"
#define SYSTEM_HELP \
"  --pcrs SRC           where the PCR values come from (see 'vtrust replay')\n" \
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
#define EXIT_HELP \
"\nExit status: 0 ok, 1 the lists do not match the TPM, or (accept --all)\n" \
"the differences are not the set named; 2 bad usage or input (a broken\n" \
"baseline, an unknown event ID, a value that cannot be stored), 3 system\n" \
"error.\n"

static const char init_help[] =
"Usage: vtrust baseline init [--force] [--reason TEXT] [options]\n"
"\n"
"Record this boot as the baseline: every bank's PCR values, the events of\n"
"the firmware log in order (firmware: PCRs 0-3, 5-7; kernel: 4, 8-23) and\n"
"IMA's and vtrust's lists as name -> digests, IMA's violations by name. The\n"
"lists must match the TPM first. An existing baseline is refused unless\n"
"--force, which keeps it as PATH.old and carries its history on.\n"
"\nOptions:\n"
"  --force              replace an existing baseline\n"
"  --reason TEXT        why (up to 4096 bytes)\n"
COMMON_HELP SYSTEM_HELP EXIT_HELP;

static const char accept_help[] =
"Usage: vtrust baseline accept (--all --set ID | --event ID...) --reason TEXT\n"
"                              [--keep-old] [options]\n"
"\n"
"Make differences that 'vtrust verify' showed part of the baseline. A\n"
"firmware or kernel difference replaces the baseline's events of its PCR by\n"
"this boot's (every difference of that PCR must be accepted together); a\n"
"component's new digest replaces the digests of its name that this boot\n"
"did not show; a missing stage is removed; a violation is listed. What is\n"
"replaced is retired: a later boot showing it again is a 'rollback'. The\n"
"history records what, when, who (user, uid, SUDO_USER) and why.\n"
"\nOptions:\n"
"  --all                every open difference of this boot, if they are\n"
"                       still the set that verify printed:\n"
"  --set ID             the set ID that 'vtrust verify' printed\n"
"  --event ID           the difference with this ID (repeatable)\n"
"  --keep-old           retire nothing: old digests stay trusted\n"
"  --reason TEXT        why (required, up to 4096 bytes)\n"
COMMON_HELP SYSTEM_HELP EXIT_HELP;

static const char revoke_help[] =
"Usage: vtrust baseline revoke (--event ID | --digest ALGO:HEX) --reason TEXT\n"
"                              [options]\n"
"\n"
"Take trust back. --event names an accepted difference (see 'baseline\n"
"history'): a component digest or violation it added is removed, a missing\n"
"stage it removed comes back, and a PCR whose events it replaced gets its\n"
"old events back (refused if a later accept replaced them again). --digest\n"
"removes a file digest from every component of ima and vtrust. What is\n"
"removed is retired: a boot showing it is a 'rollback'.\n"
"\nOptions:\n"
"  --event ID           an accepted difference\n"
"  --digest ALGO:HEX    a component digest, as the baseline holds it\n"
"  --reason TEXT        why (required, up to 4096 bytes)\n"
COMMON_HELP EXIT_HELP;

static const char history_help[] =
"Usage: vtrust baseline history [--json] [--baseline PATH]\n"
"\n"
"Show the baseline's history: its creation, every init --force, accept and\n"
"revoke, with the accepted differences and their digests.\n"
"\nOptions:\n"
COMMON_HELP EXIT_HELP;

static const char generate_help[] =
"Usage: vtrust baseline generate --kernel-release VER [--hash sha256|sm3]\n"
"                                [--output FILE [--json]] [--modules-dir DIR]\n"
"                                [--compressed-digest raw|decompressed|auto]\n"
"\n"
"Write a reference of a kernel's modules for 'vtrust verify --reference':\n"
"one line '<algo>:<hex> <path>' per module, the digest of the bytes the\n"
"kernel will read when kmod loads it (see vtrust(8), REFERENCES).\n"
"\nOptions:\n"
"  --kernel-release VER the kernel whose modules to hash\n"
"  --hash ALG           sha256 (default) or sm3, as vtrust.ko hash=\n"
"  --output FILE        write FILE (atomically) instead of stdout\n"
"  --json               with --output: print a JSON result\n"
"  --modules-dir DIR    modules under DIR/<VER> (default /lib/modules)\n"
"  --compressed-digest M hash a compressed module (.ko.xz, .zst, .gz) as\n"
"                       its file (raw: kmod 31 and later hand it to a kernel\n"
"                       that decompresses it), as its decompressed image\n"
"                       (decompressed: kmod 30 and older), or as this\n"
"                       machine's kmod would load it into VER (auto, the\n"
"                       default)\n"
EXIT_HELP;

static const char baseline_usage[] =
"Usage: vtrust baseline init [--force] [--reason TEXT] [options]\n"
"       vtrust baseline accept (--all --set ID | --event ID...) --reason TEXT\n"
"       vtrust baseline revoke (--event ID | --digest ALGO:HEX) --reason TEXT\n"
"       vtrust baseline history [--json] [options]\n"
"       vtrust baseline generate --kernel-release VER [options]\n"
"\n"
"init      record this boot as the baseline\n"
"accept    make differences that 'vtrust verify' showed part of it\n"
"revoke    take an accepted difference or a component digest back\n"
"history   show the baseline's history\n"
"generate  write a reference of a kernel's modules\n"
"\n"
"'vtrust baseline SUBCOMMAND --help' shows each one's options. Every\n"
"subcommand takes --json.\n";

#define MAX_EVENTS 256

struct bargs {
	struct vt_check_opts o;
	bool force, all, keep_old;
	const char *reason, *set, *digest;
	const char *events[MAX_EVENTS];
	unsigned int nr_events;
	struct vt_kmodref_opts gen;
	unsigned int given;	/* bits: 1 << (OPT_x - OPT_BASELINE) */
};

/* Options each subcommand takes, as bits of struct bargs.given. */
#define BIT(opt) (1U << ((opt) - OPT_BASELINE))
#define COMMON (BIT(OPT_BASELINE) | BIT(OPT_JSON))
#define SYSTEM (BIT(OPT_PCRS) | BIT(OPT_SYSFS_ROOT))

static int do_init(struct bargs *a);
static int do_accept(struct bargs *a);
static int do_revoke(struct bargs *a);
static int do_history(struct bargs *a);
static int do_generate(struct bargs *a);

static const struct {
	const char *name;
	int (*run)(struct bargs *a);
	unsigned int options;
	const char *help;
} subcommands[] = {
	{ "init", do_init, COMMON | SYSTEM | BIT(OPT_FORCE) | BIT(OPT_REASON),
	  init_help },
	{ "accept", do_accept, COMMON | SYSTEM | BIT(OPT_REASON) |
	  BIT(OPT_ALL) | BIT(OPT_SET) | BIT(OPT_EVENT) | BIT(OPT_KEEP_OLD),
	  accept_help },
	{ "revoke", do_revoke, COMMON | BIT(OPT_REASON) | BIT(OPT_EVENT) |
	  BIT(OPT_DIGEST), revoke_help },
	{ "history", do_history, COMMON, history_help },
	{ "generate", do_generate, BIT(OPT_JSON) | BIT(OPT_KVER) |
	  BIT(OPT_HASH) | BIT(OPT_OUTPUT) | BIT(OPT_MODDIR) |
	  BIT(OPT_COMPRESSED), generate_help },
};

#define NR_SUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

/* The message of the last error this file reported, for --json. */
static char last_error[512];

__attribute__((format(printf, 3, 4)))
static int fail(int ret, const char *what, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	vt_err(what, "%s", last_error);
	return ret;
}

/* A usage error, remembered for --json. */
__attribute__((format(printf, 1, 2)))
static int usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	return vt_usage_err("baseline", "%s", last_error);
}

static int oom(void)
{
	return fail(VT_EXIT_SYSTEM, "baseline", "out of memory");
}

static void print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int parse(struct bargs *a, int argc, char *argv[], const char *help)
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
		case OPT_SET:
			a->set = optarg;
			break;
		case OPT_EVENT:
			if (a->nr_events == MAX_EVENTS)
				return usage("more than %u --event options",
						    MAX_EVENTS);
			a->events[a->nr_events++] = optarg;
			break;
		case OPT_DIGEST:
			a->digest = optarg;
			break;
		case OPT_KEEP_OLD:
			a->keep_old = true;
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
			fputs(help, stdout);
			return -1;
		default:
			return vt_bad_option("baseline", c, argv);
		}
	}
	return 0;
}

/* The first option in @bits, for a message. */
static const char *option_name(unsigned int bits)
{
	const struct option *o;

	for (o = baseline_options; o->name; o++)
		if (o->val >= OPT_BASELINE && (bits & BIT(o->val)))
			return o->name;
	return "?";
}

static bool id_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 16;
}

static int check_reason(const char *reason)
{
	if (!reason || !reason[0])
		return usage("needs --reason TEXT");
	if (strlen(reason) > VT_REASON_MAX)
		return usage("--reason is longer than %u bytes",
				    VT_REASON_MAX);
	return 0;
}

/* Replay, then collect this boot (verify.h); 0 or an exit code. */
static int this_boot(struct bargs *a, const char *what, json_object **cur)
{
	size_t problems;
	int ret = vt_check_boot(&a->o, a->o.json, NULL, cur, &problems);

	if (ret == VT_EXIT_MISMATCH)
		return fail(ret, "baseline", "refusing to %s lists that do not match the TPM",
			    what);
	if (!ret && problems) {
		json_object_put(*cur);
		*cur = NULL;
		return fail(VT_EXIT_MISMATCH, "baseline",
			    "refusing to %s a boot with %zu problem%s (see 'vtrust replay')",
			    what, problems, problems == 1 ? "" : "s");
	}
	return ret;
}

/* ---- init ---- */

static int do_init(struct bargs *a)
{
	json_object *cur = NULL, *res;
	bool existed = vt_exists(a->o.baseline);
	int ret;

	if (a->reason && strlen(a->reason) > VT_REASON_MAX)
		return usage("--reason is longer than %u bytes",
				    VT_REASON_MAX);
	if (existed && !a->force)
		return fail(VT_EXIT_USAGE, a->o.baseline,
			    "a baseline exists (--force replaces it, and keeps it as %s.old)",
			    a->o.baseline);
	ret = this_boot(a, "record a baseline of", &cur);
	if (!ret)
		ret = vt_baseline_init(a->o.baseline, cur, a->reason, a->force,
				       a->o.json);
	json_object_put(cur);
	if (ret || !a->o.json)
		return ret;
	res = json_object_new_object();
	json_object_object_add(res, "result", json_object_new_string(
				       existed ? "replaced" : "created"));
	json_object_object_add(res, "exit", json_object_new_int(0));
	json_object_object_add(res, "baseline",
			       json_object_new_string(a->o.baseline));
	print_json(res);
	json_object_put(res);
	return 0;
}

/* ---- changing the stages ---- */

static json_object *stage_of(json_object *doc, enum vt_stage s)
{
	return json_object_object_get(json_object_object_get(doc, "stages"),
				      vt_stage_name(s));
}

static int pcr_of(json_object *ev)
{
	return json_object_get_int(json_object_object_get(ev, "pcr"));
}

/* A new array of @arr's elements for which @keep(element, @arg) holds. */
static json_object *filter(json_object *arr,
			   bool (*keep)(json_object *, const void *),
			   const void *arg)
{
	json_object *out = json_object_new_array(), *e;
	size_t i, n = json_object_array_length(arr);

	for (i = 0; out && i < n; i++) {
		e = json_object_array_get_idx(arr, i);
		if (keep(e, arg) && json_object_array_add(out,
							  json_object_get(e))) {
			json_object_put(out);
			out = NULL;
		}
	}
	return out;
}

struct pcr_sel {
	enum vt_stage stage;
	int pcr;
};

static bool of_pcr(json_object *e, const void *arg)
{
	return pcr_of(e) == ((const struct pcr_sel *)arg)->pcr;
}

/*
 * Set the events of PCR @pcr of stage @stage of @doc to @events (all of
 * that PCR), where the PCR's first event was (else at the end).
 */
static int set_pcr_events(json_object *doc, enum vt_stage stage, int pcr,
			  json_object *events)
{
	json_object *old = stage_of(doc, stage), *arr, *e;
	size_t i, k, n = json_object_array_length(old);
	bool done = false;
	int ret = 0;

	arr = json_object_new_array();
	for (i = 0; arr && !ret && i <= n; i++) {
		e = i < n ? json_object_array_get_idx(old, i) : NULL;
		if (e && pcr_of(e) != pcr) {
			ret = json_object_array_add(arr, json_object_get(e));
			continue;
		}
		for (k = 0; !done && !ret &&
		     k < json_object_array_length(events); k++)
			ret = json_object_array_add(arr, json_object_get(
				json_object_array_get_idx(events, k)));
		done = true;
	}
	if (!arr || ret ||
	    json_object_object_add(json_object_object_get(doc, "stages"),
				   vt_stage_name(stage), arr)) {
		json_object_put(arr);
		return -1;
	}
	return 0;
}

static bool event_in(json_object *ev, json_object *events)
{
	size_t i, n = json_object_array_length(events);

	for (i = 0; i < n; i++)
		if (vt_digests_equal(json_object_object_get(ev, "digests"),
				     json_object_object_get(
					     json_object_array_get_idx(events, i),
					     "digests")))
			return true;
	return false;
}

/* A retired value of an ordered stage: the event with its stage. */
static int retire_event(json_object *doc, enum vt_stage stage,
			json_object *ev)
{
	json_object *r = json_object_new_object();

	if (!r || json_object_object_add(r, "stage", json_object_new_string(
						 vt_stage_name(stage))))
		goto fail;
	json_object_object_foreach(ev, key, val)
		if (json_object_object_add(r, key, json_object_get(val)))
			goto fail;
	if (json_object_array_add(json_object_object_get(doc, "retired"), r))
		goto fail;
	return 0;
fail:
	json_object_put(r);
	return -1;
}

struct unretire {
	enum vt_stage stage;
	int pcr;		/* ordered: these events of this PCR */
	json_object *events;
	const char *digest;	/* runtime: this digest */
};

static bool still_retired(json_object *r, const void *arg)
{
	const struct unretire *u = arg;
	enum vt_stage s;

	if (vt_stage_parse(vt_json_str(r, "stage"), &s) || s != u->stage)
		return true;
	if (u->digest)
		return !!strcmp(vt_json_str(r, "digest"), u->digest);
	/* separators are alike in every PCR: the PCR too */
	return pcr_of(r) != u->pcr || !event_in(r, u->events);
}

/* Remove from "retired" what is trusted again. */
static int unretire(json_object *doc, const struct unretire *u)
{
	json_object *arr = filter(json_object_object_get(doc, "retired"),
				  still_retired, u);

	return !arr || json_object_object_add(doc, "retired", arr) ? -1 : 0;
}

/*
 * Replace PCR @pcr's events of the baseline @doc by @events; the old ones
 * go into @replaced and, unless @keep_old or still there, into retired.
 */
static int replace_pcr(json_object *doc, enum vt_stage stage, int pcr,
		       json_object *events, bool keep_old,
		       json_object *replaced)
{
	struct pcr_sel sel = { stage, pcr };
	struct unretire u = { stage, pcr, events, NULL };
	json_object *old, *r;
	size_t i, n;
	int ret;

	old = filter(stage_of(doc, stage), of_pcr, &sel);
	r = json_object_new_object();
	if (!old || !r ||
	    json_object_object_add(r, "stage", json_object_new_string(
					   vt_stage_name(stage))) ||
	    json_object_object_add(r, "pcr", json_object_new_int(pcr)) ||
	    json_object_object_add(r, "old", json_object_get(old)) ||
	    json_object_object_add(r, "new", json_object_get(events)) ||
	    json_object_array_add(replaced, r)) {
		json_object_put(old);
		json_object_put(r);
		return -1;
	}
	ret = set_pcr_events(doc, stage, pcr, events) || unretire(doc, &u);
	n = json_object_array_length(old);
	for (i = 0; !ret && !keep_old && i < n; i++)
		if (!event_in(json_object_array_get_idx(old, i), events))
			ret = retire_event(doc, stage,
					   json_object_array_get_idx(old, i));
	json_object_put(old);
	return ret;
}

static int retire_digest(json_object *doc, enum vt_stage stage,
			 const char *name, const char *digest)
{
	json_object *r = json_object_new_object();

	if (!r || json_object_object_add(r, "stage", json_object_new_string(
						 vt_stage_name(stage))) ||
	    json_object_object_add(r, "name", json_object_new_string(name)) ||
	    json_object_object_add(r, "digest",
				   json_object_new_string(digest)) ||
	    json_object_array_add(json_object_object_get(doc, "retired"), r)) {
		json_object_put(r);
		return -1;
	}
	return 0;
}

static bool has_str(json_object *arr, const char *s)
{
	size_t i, n = arr ? json_object_array_length(arr) : 0;

	for (i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(
				    json_object_array_get_idx(arr, i)), s))
			return true;
	return false;
}

static bool not_str(json_object *e, const void *s)
{
	return !!strcmp(json_object_get_string(e), s);
}

static struct vt_compset *comps_of(json_object *st)
{
	return vt_compset_of(json_object_object_get(st, "components"));
}

/*
 * Remove @digest from component @name of @st; retire it. A component left
 * without digests goes. Returns 1 if it was there, 0 if not, -1.
 */
static int drop_digest(json_object *doc, enum vt_stage stage, json_object *st,
		       const char *name, const char *digest)
{
	struct vt_compset *set = comps_of(st);
	struct vt_comp *comp = set ? vt_compset_get(set, name, strlen(name)) :
			       NULL;
	char *dg;
	int ret;

	if (!vt_comp_find(comp, digest))
		return 0;
	/* @digest may be the one removed: a copy */
	dg = strdup(digest);
	if (!dg)
		return -1;
	vt_comp_remove(set, comp, dg);
	ret = retire_digest(doc, stage, comp->name, dg) ? -1 : 1;
	free(dg);
	return ret;
}

/* The baseline's runtime stage, created (empty) if it has none. */
static json_object *ensure_stage(json_object *doc, json_object *cur,
				 enum vt_stage stage)
{
	json_object *st = stage_of(doc, stage), *cs = stage_of(cur, stage);

	if (st)
		return st;
	st = json_object_new_object();
	if (!st ||
	    json_object_object_add(st, "pcr", json_object_get(
					   json_object_object_get(cs, "pcr"))) ||
	    json_object_object_add(st, "components",
				   vt_compset_json(vt_compset_new())) ||
	    !comps_of(st) ||
	    (stage == VT_STAGE_IMA &&
	     json_object_object_add(st, "violations", json_object_new_array())) ||
	    json_object_object_add(json_object_object_get(doc, "stages"),
				   vt_stage_name(stage), st))
		return NULL;
	return st;
}

/* ---- accept ---- */

struct accept {
	const struct vt_accept_req *a;
	json_object *base, *cur;
	struct vt_diffs ds;
	bool *pick;
	json_object *records, *replaced, *ids;
};

/* Pick the differences to accept; every --event must name an open one. */
static int select_diffs(struct accept *x)
{
	struct vt_diffs *ds = &x->ds;
	const struct vt_accept_req *a = x->a;
	unsigned int k;
	size_t i;
	bool found, known;

	for (i = 0; i < ds->nr; i++)
		x->pick[i] = a->all && vt_diff_is_open(&ds->d[i]);
	for (k = 0; k < a->nr_events; k++) {
		found = known = false;
		for (i = 0; i < ds->nr; i++) {
			if (strcmp(ds->d[i].id, a->events[k]))
				continue;
			known = true;
			if (!vt_diff_is_open(&ds->d[i]))
				continue;
			x->pick[i] = found = true;
		}
		if (!found)
			return fail(VT_EXIT_USAGE, a->events[k], "%s", known ?
				    "this difference is already trusted (in the reference)" :
				    "no difference of this boot has this event ID (see 'vtrust verify')");
	}
	return 0;
}

/*
 * A firmware or kernel PCR's events are replaced as a whole: every open
 * difference of a PCR with a picked one must be picked too.
 */
static int whole_pcrs(struct accept *x)
{
	const struct vt_diff *d, *e;
	size_t i, k;

	for (i = 0; i < x->ds.nr; i++) {
		d = &x->ds.d[i];
		if (!x->pick[i] || !vt_stage_ordered(d->stage))
			continue;
		for (k = 0; k < x->ds.nr; k++) {
			e = &x->ds.d[k];
			if (!x->pick[k] && vt_diff_is_open(e) &&
			    e->stage == d->stage && e->pcr == d->pcr)
				return fail(VT_EXIT_USAGE, e->id,
					    "accepting [%s] replaces the baseline's events of PCR %d by this boot's: accept this difference of PCR %d too",
					    d->id, d->pcr, d->pcr);
		}
	}
	return 0;
}

/* Accept the differences of PCR @pcr of @stage: take this boot's events. */
static int accept_pcr(struct accept *x, enum vt_stage stage, int pcr)
{
	struct pcr_sel sel = { stage, pcr };
	json_object *events = filter(stage_of(x->cur, stage), of_pcr, &sel);
	int ret;

	if (!events)
		return -1;
	ret = replace_pcr(x->base, stage, pcr, events, x->a->keep_old,
			  x->replaced);
	json_object_put(events);
	return ret;
}

/* The old digests of @name that this boot did not show: replaced. */
static int replace_digests(struct accept *x, enum vt_stage stage,
			   const char *name)
{
	json_object *st = stage_of(x->base, stage);
	struct vt_compset *set = comps_of(st), *cset;
	const struct vt_comp *seen, *comp;
	uint32_t k = 0;
	int ret = 0;

	cset = comps_of(stage_of(x->cur, stage));
	seen = cset ? vt_compset_get(cset, name, strlen(name)) : NULL;
	comp = set ? vt_compset_get(set, name, strlen(name)) : NULL;
	/* @comp's digests move down as one is dropped */
	while (ret >= 0 && comp && k < comp->nr) {
		if (vt_comp_find(seen, comp->d[k].s)) {
			k++;
			continue;
		}
		ret = drop_digest(x->base, stage, st, name, comp->d[k].s);
	}
	return ret < 0 ? -1 : 0;
}

static int add_digest(json_object *st, const char *name, const char *digest)
{
	struct vt_compset *set = comps_of(st);
	struct vt_comp *comp = set ? vt_compset_add(set, name, strlen(name)) :
			       NULL;

	return comp && vt_comp_add(set, comp, digest, strlen(digest), -1) >= 0 ?
	       0 : -1;
}

static int accept_runtime(struct accept *x, const struct vt_diff *d)
{
	struct unretire u = { d->stage, -1, NULL, d->digest };
	json_object *st;

	if (!strcmp(d->kind, "missing")) {
		json_object *r = json_object_new_object();

		if (!r || json_object_object_add(r, "stage",
						 json_object_new_string(
							 vt_stage_name(d->stage))) ||
		    json_object_object_add(r, "value", json_object_get(d->base)) ||
		    json_object_array_add(x->replaced, r)) {
			json_object_put(r);
			return -1;
		}
		return json_object_object_add(json_object_object_get(
			x->base, "stages"), vt_stage_name(d->stage), NULL);
	}
	st = ensure_stage(x->base, x->cur, d->stage);
	if (!st)
		return -1;
	if (!strcmp(d->kind, "violation"))
		return has_str(json_object_object_get(st, "violations"),
			       d->name) ? 0 :
		       json_object_array_add(json_object_object_get(st,
								    "violations"),
					     json_object_new_string(d->name));
	if (add_digest(st, d->name, d->digest) || unretire(x->base, &u))
		return -1;
	return x->a->keep_old || !strcmp(d->kind, "new") ? 0 :
	       replace_digests(x, d->stage, d->name);
}

static void print_accepted(json_object *rec)
{
	json_object *v = json_object_object_get(rec, "new");

	printf("accepted [%s] %s %s \"", vt_json_str(rec, "id"),
	       vt_json_str(rec, "stage"), vt_json_str(rec, "kind"));
	vt_name_print(stdout, vt_json_str(rec, "name"));
	printf("\"");
	if (json_object_is_type(v, json_type_string)) {
		printf(" %s", json_object_get_string(v));
	} else if (v) {
		json_object_object_foreach(v, bank, hex)
			printf(" %s:%s", bank, json_object_get_string(hex));
	}
	putchar('\n');
}

/* The records of the picked differences (before the stages change: the
 * differences point into them). */
static int make_records(struct accept *x)
{
	json_object *rec;
	size_t i;

	for (i = 0; i < x->ds.nr; i++) {
		if (!x->pick[i])
			continue;
		rec = vt_diff_record(&x->ds.d[i]);
		if (!rec || json_object_array_add(x->records, rec) ||
		    json_object_array_add(x->ids, json_object_new_string(
						  x->ds.d[i].id)))
			return -1;
		if (!x->a->quiet)
			print_accepted(rec);
	}
	return 0;
}

static int apply(struct accept *x)
{
	const struct vt_diff *d;
	bool done[VT_STAGE_COUNT][VT_PCR_COUNT] = { { false } };
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < x->ds.nr; i++) {
		d = &x->ds.d[i];
		if (!x->pick[i])
			continue;
		if (!vt_stage_ordered(d->stage)) {
			ret = accept_runtime(x, d);
		} else if (!done[d->stage][d->pcr]) {
			done[d->stage][d->pcr] = true;
			ret = accept_pcr(x, d->stage, d->pcr);
		}
	}
	return ret;
}

/* The history entry and the ledger. */
static int record(struct accept *x, const char *action)
{
	json_object *h, *exc = json_object_object_get(x->base, "exceptions");
	char now[32];
	size_t i, n = json_object_array_length(x->records);

	h = vt_baseline_history(action, x->a->reason, json_object_get(x->ids));
	if (!h || json_object_object_add(h, "differences",
					 json_object_get(x->records)) ||
	    json_object_object_add(h, "replaced",
				   json_object_get(x->replaced)) ||
	    json_object_array_add(json_object_object_get(x->base, "history"),
				  h)) {
		json_object_put(h);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (json_object_array_add(exc, json_object_get(
				json_object_array_get_idx(x->records, i))))
			return -1;
	vt_now_iso(now, sizeof(now));
	return json_object_object_add(x->base, "updated",
				      json_object_new_string(now));
}

static int accept_args(struct bargs *a)
{
	unsigned int k;

	if (!a->all && !a->nr_events)
		return usage("accept needs --all --set ID or --event ID");
	if (a->all && a->nr_events)
		return usage("--all and --event exclude each other");
	if (a->all != !!a->set)
		return usage(a->all ?
				    "--all needs --set ID, the set of differences that 'vtrust verify' printed" :
				    "--set goes with --all");
	if (a->set && !id_ok(a->set))
		return usage("'%s' is not a set ID (16 hex digits)",
				    a->set);
	for (k = 0; k < a->nr_events; k++)
		if (!id_ok(a->events[k]))
			return usage("'%s' is not an event ID (16 hex digits)",
					    a->events[k]);
	return check_reason(a->reason);
}

/* --all: the open differences must be the set the operator saw. */
static int same_set(struct accept *x)
{
	char id[17];

	if (!x->a->all)
		return 0;
	if (vt_diffs_set_id(&x->ds, id))
		return oom();
	if (strcmp(id, x->a->set))
		return fail(VT_EXIT_MISMATCH, "baseline",
			    "the open differences of this boot are set %s, not %s: run 'vtrust verify' and review them again",
			    id, x->a->set);
	return 0;
}

static int accept_result(struct bargs *a, json_object *records,
			 json_object *replaced)
{
	json_object *res;
	size_t n = json_object_array_length(records);

	if (!a->o.json) {
		if (n)
			printf("%zu difference%s accepted into %s\n", n,
			       n == 1 ? "" : "s", a->o.baseline);
		else
			printf("nothing to accept: this boot is as in the baseline\n");
		return 0;
	}
	res = json_object_new_object();
	json_object_object_add(res, "result", json_object_new_string(
				       n ? "accepted" : "nothing"));
	json_object_object_add(res, "exit", json_object_new_int(0));
	json_object_object_add(res, "baseline",
			       json_object_new_string(a->o.baseline));
	json_object_object_add(res, "accepted", json_object_get(records));
	json_object_object_add(res, "replaced", json_object_get(replaced));
	print_json(res);
	json_object_put(res);
	return 0;
}

int vt_baseline_accept(json_object *base, json_object *cur,
		       const struct vt_accept_req *r, json_object **records,
		       json_object **replaced)
{
	struct accept x = { .a = r, .base = base, .cur = cur };
	int ret;

	*records = *replaced = NULL;
	if (vt_compare(x.base, x.cur, NULL, &x.ds))
		return VT_EXIT_SYSTEM;
	x.pick = calloc(x.ds.nr + 1, sizeof(*x.pick));
	x.records = json_object_new_array();
	x.replaced = json_object_new_array();
	x.ids = json_object_new_array();
	if (!x.pick || !x.records || !x.replaced || !x.ids) {
		ret = oom();
		goto out;
	}
	ret = same_set(&x);
	if (!ret)
		ret = select_diffs(&x);
	if (!ret)
		ret = whole_pcrs(&x);
	if (ret)
		goto out;
	if (make_records(&x) || (json_object_array_length(x.records) &&
				 (apply(&x) || record(&x, "accept")))) {
		ret = oom();
		goto out;
	}
	*records = json_object_get(x.records);
	*replaced = json_object_get(x.replaced);
out:
	free(x.pick);
	vt_diffs_free(&x.ds);
	json_object_put(x.records);
	json_object_put(x.replaced);
	json_object_put(x.ids);
	return ret;
}

static int do_accept(struct bargs *a)
{
	struct vt_accept_req r;
	json_object *base = NULL, *cur = NULL, *records = NULL;
	json_object *replaced = NULL;
	int ret;

	ret = accept_args(a);
	if (ret)
		return ret;
	r = (struct vt_accept_req){
		.all = a->all, .set = a->set,
		.events = a->events, .nr_events = a->nr_events,
		.keep_old = a->keep_old, .reason = a->reason,
		.quiet = a->o.json,
	};
	ret = vt_baseline_load(a->o.baseline, &base);
	if (!ret)
		ret = this_boot(a, "accept differences of", &cur);
	if (!ret)
		ret = vt_baseline_accept(base, cur, &r, &records, &replaced);
	if (!ret && json_object_array_length(records))
		ret = vt_baseline_save(a->o.baseline, base);
	if (!ret)
		ret = accept_result(a, records, replaced);
	json_object_put(records);
	json_object_put(replaced);
	json_object_put(base);
	json_object_put(cur);
	return ret;
}

/* ---- revoke ---- */

/* The last history entry whose accept recorded difference @id. */
static json_object *accepted_by(json_object *base, const char *id)
{
	json_object *hist = json_object_object_get(base, "history"), *h, *ds;
	size_t i, k, n = json_object_array_length(hist);

	for (i = n; i-- > 0;) {
		h = json_object_array_get_idx(hist, i);
		ds = json_object_object_get(h, "differences");
		if (strcmp(vt_json_str(h, "action"), "accept"))
			continue;
		for (k = 0; k < json_object_array_length(ds); k++)
			if (!strcmp(vt_json_str(json_object_array_get_idx(ds, k),
						"id"), id))
				return h;
	}
	return NULL;
}

/* What entry @h replaced of @stage (and @pcr, for an ordered stage). */
static json_object *replaced_in(json_object *h, enum vt_stage stage, int pcr)
{
	json_object *arr = json_object_object_get(h, "replaced"), *r;
	size_t i, n = arr ? json_object_array_length(arr) : 0;

	for (i = 0; i < n; i++) {
		r = json_object_array_get_idx(arr, i);
		if (!strcmp(vt_json_str(r, "stage"), vt_stage_name(stage)) &&
		    (!vt_stage_ordered(stage) || pcr_of(r) == pcr))
			return r;
	}
	return NULL;
}

struct revoke {
	const char *event, *digest;	/* one of them */
	json_object *base, *records, *replaced;
};

/* Two sequences of events with equal digests, in order. */
static bool same_events(json_object *a, json_object *b)
{
	size_t i, n = json_object_array_length(a);

	if (n != json_object_array_length(b))
		return false;
	for (i = 0; i < n; i++)
		if (!vt_digests_equal(json_object_object_get(
					      json_object_array_get_idx(a, i),
					      "digests"),
				      json_object_object_get(
					      json_object_array_get_idx(b, i),
					      "digests")))
			return false;
	return true;
}

/*
 * An accept's PCR events, given back: only while the PCR still has the
 * events that accept put in (no later accept replaced them, or it was
 * revoked).
 */
static int revoke_pcr(struct revoke *r, json_object *h, enum vt_stage stage,
		      int pcr)
{
	struct pcr_sel sel = { stage, pcr };
	json_object *rep = replaced_in(h, stage, pcr), *now;
	bool same;

	if (!rep)
		return fail(VT_EXIT_USAGE, "baseline",
			    "the history has no events of PCR %d to go back to",
			    pcr);
	now = filter(stage_of(r->base, stage), of_pcr, &sel);
	if (!now)
		return oom();
	same = same_events(now, json_object_object_get(rep, "new"));
	json_object_put(now);
	if (!same)
		return fail(VT_EXIT_USAGE, "baseline",
			    "PCR %d's events were replaced again since that accept: revoke the later one first",
			    pcr);
	return replace_pcr(r->base, stage, pcr,
			   json_object_object_get(rep, "old"), false,
			   r->replaced) ? oom() : 0;
}

static int revoke_stage(struct revoke *r, json_object *h, enum vt_stage stage)
{
	json_object *old = replaced_in(h, stage, -1), *value, *viol;
	json_object *st = NULL, *comps = NULL, *vcopy = NULL;
	struct vt_compset *set;

	if (!old || stage_of(r->base, stage))
		return fail(VT_EXIT_USAGE, "baseline",
			    "stage %s is in the baseline again: nothing to give back",
			    vt_stage_name(stage));
	/* a copy: the history keeps what it recorded */
	value = json_object_object_get(old, "value");
	viol = json_object_object_get(value, "violations");
	set = comps_of(value) ? vt_compset_copy(comps_of(value)) : NULL;
	comps = set ? vt_compset_json(set) : NULL;
	if (!comps || (viol && json_object_deep_copy(viol, &vcopy, NULL)))
		goto oom;
	st = json_object_new_object();
	if (!st || json_object_object_add(st, "pcr", json_object_get(
						  json_object_object_get(value,
									 "pcr"))))
		goto oom;
	json_object_object_add(st, "components", comps);
	comps = NULL;
	if (vcopy) {
		json_object_object_add(st, "violations", vcopy);
		vcopy = NULL;
	}
	if (json_object_object_add(json_object_object_get(r->base, "stages"),
				   vt_stage_name(stage), st))
		goto oom;
	return 0;
oom:
	json_object_put(st);
	json_object_put(comps);
	json_object_put(vcopy);
	return oom();
}

static int revoke_component(struct revoke *r, json_object *rec,
			    enum vt_stage stage)
{
	json_object *st = stage_of(r->base, stage), *arr;
	const char *kind = vt_json_str(rec, "kind"), *name;
	int ret;

	name = vt_json_str(rec, "name");
	if (!strcmp(kind, "violation")) {
		arr = json_object_object_get(st, "violations");
		arr = arr ? filter(arr, not_str, name) : NULL;
		return !arr || json_object_object_add(st, "violations", arr) ?
		       oom() : 0;
	}
	ret = drop_digest(r->base, stage, st, name, vt_json_str(rec, "new"));
	if (ret < 0)
		return oom();
	return ret ? 0 : fail(VT_EXIT_USAGE, "baseline",
			      "the baseline no longer has that digest under that name");
}

/* Records that a revoke leaves in effect: not @id, and for a PCR whose
 * events it gave back, none that @h accepted in that PCR. */
struct revoked {
	const char *id;
	json_object *h;
	json_object *rec;
};

static bool in_effect(json_object *e, const void *arg)
{
	const struct revoked *r = arg;
	json_object *ds = json_object_object_get(r->h, "differences");
	size_t i, n = json_object_array_length(ds);

	if (!strcmp(vt_json_str(e, "id"), r->id))
		return false;
	if (!json_object_object_get(r->rec, "pcr") ||
	    strcmp(vt_json_str(e, "stage"), vt_json_str(r->rec, "stage")) ||
	    pcr_of(e) != pcr_of(r->rec))
		return true;
	for (i = 0; i < n; i++)
		if (!strcmp(vt_json_str(json_object_array_get_idx(ds, i), "id"),
			    vt_json_str(e, "id")))
			return false;
	return true;
}

static int revoke_event(struct revoke *r)
{
	const char *id = r->event;
	json_object *rec = NULL, *h, *exc, *kept;
	enum vt_stage stage;
	size_t i;
	int ret;

	exc = json_object_object_get(r->base, "exceptions");
	for (i = 0; !rec && i < json_object_array_length(exc); i++)
		if (!strcmp(vt_json_str(json_object_array_get_idx(exc, i),
					"id"), id))
			rec = json_object_array_get_idx(exc, i);
	h = rec ? accepted_by(r->base, id) : NULL;
	if (!h)
		return fail(VT_EXIT_USAGE, id, "no accepted difference in effect has this ID (see 'vtrust baseline history')");
	vt_stage_parse(vt_json_str(rec, "stage"), &stage);
	if (json_object_array_add(r->records, json_object_get(rec)))
		return oom();
	if (vt_stage_ordered(stage))
		ret = revoke_pcr(r, h, stage, pcr_of(rec));
	else if (!strcmp(vt_json_str(rec, "kind"), "missing"))
		ret = revoke_stage(r, h, stage);
	else
		ret = revoke_component(r, rec, stage);
	if (ret)
		return ret;
	kept = filter(exc, in_effect, &(struct revoked){ id, h, rec });
	return !kept || json_object_object_add(r->base, "exceptions", kept) ?
	       oom() : 0;
}

static int revoke_digest(struct revoke *r)
{
	struct vt_compset *set;
	struct vt_comp *comp;
	enum vt_stage s;
	size_t i, n = 0;

	for (s = VT_STAGE_IMA; s <= VT_STAGE_VTRUST; s++) {
		set = comps_of(stage_of(r->base, s));
		/* removing keeps entries where they are: walking on is safe */
		for (i = 0; set && (comp = vt_compset_next(set, &i));) {
			if (!vt_comp_find(comp, r->digest))
				continue;
			if (drop_digest(r->base, s, stage_of(r->base, s),
					comp->name, r->digest) < 0)
				return oom();
			n++;
		}
	}
	if (!n)
		return fail(VT_EXIT_USAGE, r->digest,
			    "no component of the baseline has this digest");
	return 0;
}

static int revoke_result(struct bargs *a, struct revoke *r)
{
	json_object *res;

	if (!a->o.json) {
		printf("revoked %s in %s\n", r->digest ? r->digest :
		       r->event, a->o.baseline);
		return 0;
	}
	res = json_object_new_object();
	json_object_object_add(res, "result", json_object_new_string("revoked"));
	json_object_object_add(res, "exit", json_object_new_int(0));
	json_object_object_add(res, "baseline",
			       json_object_new_string(a->o.baseline));
	json_object_object_add(res, "revoked", json_object_get(r->records));
	json_object_object_add(res, "digest", r->digest ?
			       json_object_new_string(r->digest) : NULL);
	print_json(res);
	json_object_put(res);
	return 0;
}

static int revoke_args(struct bargs *a)
{
	if ((a->nr_events != 0) == !!a->digest || a->nr_events > 1)
		return usage("revoke needs one --event ID or one --digest ALGO:HEX");
	if (a->nr_events && !id_ok(a->events[0]))
		return usage("'%s' is not an event ID (16 hex digits)",
				    a->events[0]);
	if (a->digest && !strchr(a->digest, ':'))
		return usage("'%s' is not ALGO:HEX", a->digest);
	return check_reason(a->reason);
}

int vt_baseline_revoke(json_object *base, const char *event,
		       const char *digest, const char *reason,
		       json_object **records)
{
	struct revoke r = { .event = event, .digest = digest, .base = base };
	json_object *h = NULL, *ids;
	int ret;

	*records = NULL;
	r.records = json_object_new_array();
	r.replaced = json_object_new_array();
	ids = json_object_new_array();
	ret = r.records && r.replaced && ids ? 0 : oom();
	if (!ret)
		ret = digest ? revoke_digest(&r) : revoke_event(&r);
	if (ret)
		goto out;
	if (event)
		json_object_array_add(ids, json_object_new_string(event));
	h = vt_baseline_history("revoke", reason, json_object_get(ids));
	if (!h || json_object_object_add(h, "differences",
					 json_object_get(r.records)) ||
	    json_object_object_add(h, "replaced", json_object_get(r.replaced)) ||
	    (digest && json_object_object_add(h, "digest",
					      json_object_new_string(digest))) ||
	    json_object_array_add(json_object_object_get(base, "history"), h)) {
		json_object_put(h);
		ret = oom();
		goto out;
	}
	*records = json_object_get(r.records);
out:
	json_object_put(ids);
	json_object_put(r.records);
	json_object_put(r.replaced);
	return ret;
}

static int do_revoke(struct bargs *a)
{
	struct revoke r = { .event = a->nr_events ? a->events[0] : NULL,
			    .digest = a->digest };
	int ret;

	ret = revoke_args(a);
	if (!ret)
		ret = vt_baseline_load(a->o.baseline, &r.base);
	if (ret)
		return ret;
	ret = vt_baseline_revoke(r.base, r.event, r.digest, a->reason,
				 &r.records);
	if (!ret)
		ret = vt_baseline_save(a->o.baseline, r.base);
	if (!ret)
		ret = revoke_result(a, &r);
	json_object_put(r.records);
	json_object_put(r.base);
	return ret;
}

/* ---- history ---- */

static void print_digests(json_object *v)
{
	size_t i;

	if (!v) {
		printf("(none)");
	} else if (json_object_is_type(v, json_type_string)) {
		printf("%s", json_object_get_string(v));
	} else if (json_object_is_type(v, json_type_array)) {
		for (i = 0; i < json_object_array_length(v); i++)
			printf("%s%s", i ? "," : "", json_object_get_string(
				       json_object_array_get_idx(v, i)));
	} else {
		i = 0;
		json_object_object_foreach(v, bank, hex)
			printf("%s%s:%s", i++ ? "," : "", bank,
			       json_object_get_string(hex));
	}
}

static void print_record(json_object *e)
{
	json_object *pcr = json_object_object_get(e, "pcr");

	printf("  [%s] %s", vt_json_str(e, "id"), vt_json_str(e, "stage"));
	if (pcr)
		printf(" PCR %d", json_object_get_int(pcr));
	if (vt_json_str(e, "type"))
		printf(" %s", vt_json_str(e, "type"));
	printf(" \"");
	vt_name_print(stdout, vt_json_str(e, "name"));
	printf("\" %s ", vt_json_str(e, "kind"));
	print_digests(json_object_object_get(e, "old"));
	printf(" -> ");
	print_digests(json_object_object_get(e, "new"));
	putchar('\n');
}

static void print_entry(json_object *h)
{
	json_object *recs = json_object_object_get(h, "differences");
	const char *s;
	size_t k;

	s = vt_json_str(h, "user");
	printf("%s %s by ", vt_json_str(h, "time"), vt_json_str(h, "action"));
	vt_name_print(stdout, s ? s : "?");
	printf(" (uid %lld", (long long)json_object_get_int64(
		       json_object_object_get(h, "uid")));
	s = vt_json_str(h, "sudo_user");
	if (s) {
		printf(", sudo from ");
		vt_name_print(stdout, s);
	}
	s = vt_json_str(h, "reason");
	printf(")%s", s ? ": " : "");
	if (s)
		vt_name_print(stdout, s);
	putchar('\n');
	s = vt_json_str(h, "digest");
	if (s)
		printf("  digest %s\n", s);
	s = vt_json_str(h, "previous");
	if (s)
		printf("  replaced a baseline file of %s\n", s);
	for (k = 0; recs && k < json_object_array_length(recs); k++)
		print_record(json_object_array_get_idx(recs, k));
}

static int do_history(struct bargs *a)
{
	json_object *base, *hist, *root;
	size_t i, n;
	int ret;

	ret = vt_baseline_load(a->o.baseline, &base);
	if (ret)
		return ret;
	hist = json_object_object_get(base, "history");
	if (a->o.json) {
		root = json_object_new_object();
		json_object_object_add(root, "baseline",
				       json_object_new_string(a->o.baseline));
		json_object_object_add(root, "history", json_object_get(hist));
		json_object_object_add(root, "exceptions", json_object_get(
					       json_object_object_get(base,
								      "exceptions")));
		json_object_object_add(root, "retired", json_object_get(
					       json_object_object_get(base,
								      "retired")));
		print_json(root);
		json_object_put(root);
		json_object_put(base);
		return VT_EXIT_OK;
	}
	n = json_object_array_length(hist);
	for (i = 0; i < n; i++)
		print_entry(json_object_array_get_idx(hist, i));
	if (!n)
		printf("no history\n");
	json_object_put(base);
	return VT_EXIT_OK;
}

/* ---- generate ---- */

static int do_generate(struct bargs *a)
{
	json_object *res;
	int ret;

	if (a->o.json && !a->gen.output)
		return usage("generate --json needs --output FILE (the reference goes there)");
	ret = vt_kmodref_generate(&a->gen);
	if (ret || !a->o.json)
		return ret;
	res = json_object_new_object();
	json_object_object_add(res, "result", json_object_new_string("written"));
	json_object_object_add(res, "exit", json_object_new_int(0));
	json_object_object_add(res, "output",
			       json_object_new_string(a->gen.output));
	json_object_object_add(res, "kernel_release",
			       json_object_new_string(a->gen.kernel_release));
	print_json(res);
	json_object_put(res);
	return 0;
}

/* --json: an error is a JSON object too. */
static void json_error(int ret)
{
	static const char *const generic[] = {
		[VT_EXIT_MISMATCH] = "the lists do not match the TPM",
		[VT_EXIT_USAGE] = "bad usage or input (see the standard error)",
		[VT_EXIT_SYSTEM] = "system error (see the standard error)",
	};
	json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(
				       last_error[0] ? last_error :
				       ret <= VT_EXIT_SYSTEM ? generic[ret] :
				       "error"));
	json_object_object_add(o, "exit", json_object_new_int(ret));
	print_json(o);
	json_object_put(o);
}

static int run_sub(struct bargs *a, unsigned int i, int argc, char *argv[])
{
	unsigned int extra;
	int ret;

	ret = parse(a, argc, argv, subcommands[i].help);
	if (ret)
		return ret;
	if (optind < argc)
		return usage("unexpected argument '%s'",
				    argv[optind]);
	extra = a->given & ~subcommands[i].options;
	if (extra)
		return usage("'%s' does not take --%s",
				    subcommands[i].name, option_name(extra));
	return subcommands[i].run(a);
}

int cmd_baseline(int argc, char *argv[])
{
	struct bargs a = {
		.o = { .root = "/", .baseline = VT_BASELINE_PATH },
	};
	unsigned int i;
	int ret;

	if (argc >= 2 && (!strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		fputs(baseline_usage, stdout);
		return VT_EXIT_OK;
	}
	if (argc < 2 || argv[1][0] == '-')
		return usage("no subcommand: init, accept, revoke, history or generate");
	for (i = 0; i < NR_SUBCOMMANDS; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			break;
	if (i == NR_SUBCOMMANDS)
		return usage("unknown subcommand '%s'",
				    argv[1]);
	ret = run_sub(&a, i, argc - 1, argv + 1);
	if (ret < 0)
		return VT_EXIT_OK;	/* --help */
	if (ret && a.o.json)
		json_error(ret);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("baseline", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return ret;
}
