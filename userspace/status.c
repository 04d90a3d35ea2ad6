// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrust status: what is there to check on this machine.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "baseline.h"
#include "fwlog.h"
#include "pcrs.h"
#include "replay.h"
#include "sources.h"
#include "util.h"
#include "vtrust.h"

static const char status_usage[] =
"Usage: vtrust status [--json] [--baseline PATH] [options]\n"
"\n"
"Show whether vtrust.ko is loaded (/sys/module/vtrust) and its status\n"
"(<securityfs>/vtrust/status: mode, PCR, content hash, banks, counters),\n"
"the TPM and its PCR banks, how many entries vtrust's and IMA's lists hold,\n"
"the firmware event log, and the baseline: when it was made and updated,\n"
"its age and its exceptions. Missing pieces are reported, not errors.\n"
"\n"
"Options:\n"
"  --json               print a JSON object\n"
"  --baseline PATH      the baseline (default " VT_BASELINE_PATH ")\n"
"  --pcrs SRC           where the PCR banks are read (see 'vtrust replay')\n"
"  --sysfs-root DIR     prefix every /sys path with DIR (default /)\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 ok (whatever is missing), 2 bad usage, 3 system error.\n";

struct status {
	const char *root;
	const char *baseline;
	const char *pcrs_arg;
	bool json;
	json_object *o;		/* every fact, in print order */
};

static void put(struct status *s, const char *key, json_object *v)
{
	json_object_object_add(s->o, key, v);
}

static json_object *str(const char *v)
{
	return v ? json_object_new_string(v) : NULL;
}

/* A decimal count from a one-line sysfs file, or -1. */
static long long read_count(const char *root, const char *rel)
{
	char path[PATH_MAX], buf[64];
	long long n;
	char *end;

	if (vt_path(path, sizeof(path), root, "%s", rel) ||
	    vt_read_small(path, buf, sizeof(buf), NULL))
		return -1;
	errno = 0;
	n = strtoll(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || n < 0)
		return -1;
	return n;
}

static void module_status(struct status *s)
{
	char path[PATH_MAX], text[4096], *line, *save, *colon;
	json_object *st;
	int ret;

	vt_path(path, sizeof(path), s->root, "sys/module/vtrust");
	put(s, "module", json_object_new_string(vt_exists(path) ? "loaded" :
						"not loaded"));
	vt_path(path, sizeof(path), s->root, VT_SECURITYFS "/vtrust/status");
	ret = vt_read_small(path, text, sizeof(text), NULL);
	if (ret) {
		put(s, "module_status", json_object_new_string(
			    ret == -ENOENT ? "absent" : strerror(-ret)));
		return;
	}
	st = json_object_new_object();
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		colon = strstr(line, ": ");
		if (!colon)
			continue;
		*colon = '\0';
		json_object_object_add(st, line,
				       json_object_new_string(colon + 2));
	}
	put(s, "module_status", st);
}

static void tpm_status(struct status *s)
{
	char path[PATH_MAX], banks[128];
	struct vt_pcrs *pcrs = NULL;
	long long ver;
	size_t n = 0;
	unsigned int i;

	vt_path(path, sizeof(path), s->root, "sys/class/tpm/tpm0");
	put(s, "tpm", json_object_new_string(vt_exists(path) ? "present" :
					     "absent"));
	ver = read_count(s->root, "sys/class/tpm/tpm0/tpm_version_major");
	put(s, "tpm_version", ver >= 0 ? json_object_new_int64(ver) : NULL);
	/* quiet: a machine without a TPM is a fact here, not an error */
	vt_quiet_push();
	if (vt_replay_open_pcrs(s->root, s->pcrs_arg, &pcrs))
		pcrs = NULL;
	vt_quiet_pop();
	banks[0] = '\0';
	for (i = 0; pcrs && i < VT_ALG_COUNT; i++)
		if (vt_pcrs_has_bank(pcrs, &vt_algs[i]))
			n += snprintf(banks + n, sizeof(banks) - n, "%s%s",
				      n ? " " : "", vt_algs[i].name);
	put(s, "banks", pcrs ? json_object_new_string(banks) : NULL);
	put(s, "pcr_source", pcrs ? json_object_new_string(pcrs->where) : NULL);
	vt_pcrs_close(pcrs);
}

static void lists_status(struct status *s)
{
	json_object *st;
	const char *pcr = NULL;
	long long n;

	if (json_object_object_get_ex(s->o, "module_status", &st) &&
	    json_object_is_type(st, json_type_object))
		pcr = vt_json_str(st, "pcr");
	put(s, "vtrust_pcr", str(pcr));
	n = read_count(s->root, VT_SECURITYFS "/vtrust/runtime_measurements_count");
	put(s, "vtrust_entries", n >= 0 ? json_object_new_int64(n) : NULL);
	n = read_count(s->root, VT_SECURITYFS "/ima/runtime_measurements_count");
	put(s, "ima_entries", n >= 0 ? json_object_new_int64(n) : NULL);
}

static void uefi_status(struct status *s)
{
	struct uefilog_error err;
	struct uefilog_event e;
	struct vt_fwlog f;
	char path[PATH_MAX];
	long long n = 0;
	int ret;

	vt_source_uefi_log(s->root, path, sizeof(path));
	if (!vt_exists(path)) {
		put(s, "uefi_log", json_object_new_string("absent"));
		return;
	}
	vt_quiet_push();
	ret = vt_fwlog_load(&f, path);
	vt_quiet_pop();
	if (ret) {
		put(s, "uefi_log", json_object_new_string(
			    ret == VT_EXIT_USAGE ? "broken" : "unreadable"));
		return;
	}
	while (uefilog_next(&f.log, &e, &err) == 1)
		n++;
	put(s, "uefi_log", json_object_new_string(f.log.agile ?
						  "crypto-agile" : "sha1"));
	put(s, "uefi_events", json_object_new_int64(n));
	vt_fwlog_free(&f);
}

static void baseline_status(struct status *s)
{
	json_object *doc = NULL;
	char why[512], age[64];
	const char *updated;
	long long secs;
	uint8_t *buf;
	size_t len;
	int ret;

	put(s, "baseline", json_object_new_string(s->baseline));
	ret = vt_read_file(s->baseline, VT_BASELINE_MAX, &buf, &len);
	if (ret) {
		put(s, "baseline_state", json_object_new_string(
			    ret == -ENOENT ? "absent" : strerror(-ret)));
		return;
	}
	ret = vt_baseline_parse(buf ? (const char *)buf : "", len, &doc, why,
				sizeof(why));
	free(buf);
	if (ret) {
		put(s, "baseline_state", json_object_new_string("broken"));
		put(s, "baseline_error", json_object_new_string(why));
		return;
	}
	put(s, "baseline_state", json_object_new_string("ok"));
	put(s, "baseline_created", str(vt_json_str(doc, "created")));
	updated = vt_json_str(doc, "updated");
	put(s, "baseline_updated", str(updated));
	secs = vt_age_of(updated);
	put(s, "baseline_age_seconds", secs >= 0 ?
	    json_object_new_int64(secs) : NULL);
	if (secs >= 0) {
		snprintf(age, sizeof(age), "%lldd %lldh %lldm", secs / 86400,
			 secs / 3600 % 24, secs / 60 % 60);
		put(s, "baseline_age", json_object_new_string(age));
	}
	put(s, "baseline_exceptions", json_object_new_int64(
		    json_object_array_length(json_object_object_get(doc,
								    "exceptions"))));
	json_object_put(doc);
}

static void print_text(struct status *s)
{
	json_object_object_foreach(s->o, key, val) {
		if (json_object_is_type(val, json_type_object)) {
			json_object_object_foreach(val, k2, v2)
				printf("module.%s: %s\n", k2,
				       json_object_get_string(v2));
			continue;
		}
		printf("%s: %s\n", key, val ? json_object_get_string(val) :
		       "unknown");
	}
}

enum {
	OPT_JSON = 256,
	OPT_BASELINE,
	OPT_PCRS,
	OPT_SYSFS_ROOT,
};

static const struct option status_options[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "pcrs", required_argument, NULL, OPT_PCRS },
	{ "sysfs-root", required_argument, NULL, OPT_SYSFS_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

int cmd_status(int argc, char *argv[])
{
	struct status s = {
		.root = "/",
		.baseline = VT_BASELINE_PATH,
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", status_options, NULL)) != -1) {
		switch (c) {
		case OPT_JSON:
			s.json = true;
			break;
		case OPT_BASELINE:
			s.baseline = optarg;
			break;
		case OPT_PCRS:
			s.pcrs_arg = optarg;
			break;
		case OPT_SYSFS_ROOT:
			s.root = optarg;
			break;
		case 'h':
			fputs(status_usage, stdout);
			return VT_EXIT_OK;
		default:
			return vt_bad_option("status", c, argv);
		}
	}
	if (optind < argc)
		return vt_usage_err("status", "unexpected argument '%s'",
				    argv[optind]);
	s.o = json_object_new_object();
	if (!s.o) {
		vt_err("status", "out of memory");
		return VT_EXIT_SYSTEM;
	}
	module_status(&s);
	tpm_status(&s);
	lists_status(&s);
	uefi_status(&s);
	baseline_status(&s);
	if (s.json)
		puts(json_object_to_json_string_ext(s.o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		print_text(&s);
	json_object_put(s.o);
	if (fflush(stdout) || ferror(stdout)) {
		vt_err("status", "cannot write the output");
		return VT_EXIT_SYSTEM;
	}
	return VT_EXIT_OK;
}
