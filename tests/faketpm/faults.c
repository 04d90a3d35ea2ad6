// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * faults.c: a TPM that fails on command (faketpm --faults FILE).
 *
 * FILE holds one rule per line ('#' starts a comment):
 *
 *   COMMAND FAULT [COUNT]
 *
 * COMMAND is a command's name as faketpm logs it (PCR_Extend, PCR_Read,
 * Quote, GetCapability, ...) or '*' for every TPM command (vtpm_proxy's own
 * SetLocality is never faulted). FAULT is one of
 *
 *   retry          answer TPM_RC_RETRY (0x922) instead of executing it
 *   failure        answer TPM_RC_FAILURE (0x101) instead of executing it
 *   timeout[=MS]   execute it, but answer MS milliseconds late (default
 *                  2000: after the kernel's 750 ms for a PCR_Extend)
 *   disappear      exit without an answer: vtpm_proxy's chip goes away
 *
 * COUNT is how many of the matching commands get the fault (default 1), or
 * '*' for all of them. The first rule that matches a command, and has
 * count left, applies. The file is read again whenever it changes (inode,
 * size or mtime; write a new file and rename it over the old one), which
 * starts every count afresh; no file means no faults. A file that does
 * not parse is refused as a whole: at startup faketpm exits with the
 * error, later it logs the error and injects nothing until the file is
 * fixed. Every injected fault is logged ("fault: ...", with --log).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "faketpm.h"

#define MAX_RULES 16

struct fault_kind {
	const char *name;
	enum ft_fault fault;
	bool has_ms;
};

static const struct fault_kind kinds[] = {
	{ "retry", FT_FAULT_RETRY, false },
	{ "failure", FT_FAULT_FAILURE, false },
	{ "timeout", FT_FAULT_TIMEOUT, true },
	{ "disappear", FT_FAULT_DISAPPEAR, false },
};

struct rule {
	char command[32];	/* "*" for any */
	enum ft_fault fault;
	unsigned int ms;
	bool forever;
	unsigned long count;	/* left, unless forever */
	unsigned long done;
};

static const char *faults_path;
static struct rule rules[MAX_RULES];
static unsigned int nr_rules;
static struct stat seen;	/* the file the rules came from */
static bool seen_any;

const char *ft_fault_name(enum ft_fault f)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].fault == f)
			return kinds[i].name;
	return "none";
}

/* Parse one rule into @r; an error message into @err. */
static bool parse_rule(char *line, struct rule *r, char *err, size_t errlen)
{
	char *cmd, *fault, *count, *extra, *eq, *end;
	const struct fault_kind *k = NULL;

	cmd = strtok(line, " \t");
	fault = strtok(NULL, " \t");
	count = strtok(NULL, " \t");
	extra = strtok(NULL, " \t");
	if (!fault || extra) {
		snprintf(err, errlen, "expected COMMAND FAULT [COUNT]");
		return false;
	}
	if (strlen(cmd) >= sizeof(r->command)) {
		snprintf(err, errlen, "command name too long");
		return false;
	}
	memset(r, 0, sizeof(*r));
	strcpy(r->command, cmd);
	eq = strchr(fault, '=');
	if (eq)
		*eq++ = '\0';
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, fault))
			k = &kinds[i];
	if (!k) {
		snprintf(err, errlen, "unknown fault '%s' (retry, failure, timeout[=MS], disappear)",
			 fault);
		return false;
	}
	r->fault = k->fault;
	r->ms = 2000;
	if (eq) {
		unsigned long ms;

		errno = 0;
		ms = strtoul(eq, &end, 10);
		if (!k->has_ms || !*eq || *end || errno || ms > 600000) {
			snprintf(err, errlen, "'%s=%s': only timeout takes =MS (0-600000)",
				 fault, eq);
			return false;
		}
		r->ms = (unsigned int)ms;
	}
	if (!count) {
		r->count = 1;
		return true;
	}
	if (!strcmp(count, "*")) {
		r->forever = true;
		return true;
	}
	errno = 0;
	r->count = strtoul(count, &end, 10);
	if (!*count || *end || errno || r->count == 0 || *count == '-') {
		snprintf(err, errlen, "COUNT '%s': a positive number or '*'", count);
		return false;
	}
	return true;
}

/* Read the rules from @path: true if they parse (or there is no file). */
static bool load(const char *path, char *err, size_t errlen)
{
	struct rule tmp[MAX_RULES];
	unsigned int n = 0, lineno = 0;
	char line[256], msg[160];
	FILE *f = fopen(path, "r");

	if (!f) {
		if (errno == ENOENT) {
			nr_rules = 0;
			return true;
		}
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		char *hash = strchr(line, '#'), *p = line;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			snprintf(err, errlen, "%s:%u: line too long", path, lineno);
			fclose(f);
			return false;
		}
		if (hash)
			*hash = '\0';
		line[strcspn(line, "\n")] = '\0';
		p += strspn(p, " \t");
		if (!*p)
			continue;
		if (n == MAX_RULES) {
			snprintf(err, errlen, "%s:%u: more than %d rules", path,
				 lineno, MAX_RULES);
			fclose(f);
			return false;
		}
		if (!parse_rule(p, &tmp[n], msg, sizeof(msg))) {
			snprintf(err, errlen, "%s:%u: %s", path, lineno, msg);
			fclose(f);
			return false;
		}
		n++;
	}
	fclose(f);
	memcpy(rules, tmp, sizeof(tmp[0]) * n);
	nr_rules = n;
	return true;
}

bool ft_faults_init(const char *path, char *err, size_t errlen)
{
	faults_path = path;
	seen_any = false;
	if (stat(path, &seen) == 0)
		seen_any = true;
	return load(path, err, errlen);
}

/* Reload the rules if the file changed since they were read. */
static void refresh(void)
{
	struct stat st;
	char err[256];
	bool exists = stat(faults_path, &st) == 0;

	if (exists == seen_any &&
	    (!exists || (st.st_ino == seen.st_ino && st.st_size == seen.st_size &&
			 st.st_mtim.tv_sec == seen.st_mtim.tv_sec &&
			 st.st_mtim.tv_nsec == seen.st_mtim.tv_nsec)))
		return;
	seen_any = exists;
	if (exists)
		seen = st;
	if (!load(faults_path, err, sizeof(err))) {
		nr_rules = 0;
		logmsg("faults: %s: no faults until it is fixed", err);
		return;
	}
	logmsg("faults: %u rule%s from %s", nr_rules, nr_rules == 1 ? "" : "s",
	       faults_path);
}

enum ft_fault ft_fault_for(const char *name, unsigned int *ms)
{
	struct rule *r;

	if (!faults_path)
		return FT_FAULT_NONE;
	refresh();
	for (unsigned int i = 0; i < nr_rules; i++) {
		r = &rules[i];
		if (strcmp(r->command, "*") && strcmp(r->command, name))
			continue;
		if (!r->forever && r->done == r->count)
			continue;
		r->done++;
		*ms = r->ms;
		if (r->forever)
			logmsg("fault: %s %s (%lu of *)", name,
			       ft_fault_name(r->fault), r->done);
		else
			logmsg("fault: %s %s (%lu of %lu)", name,
			       ft_fault_name(r->fault), r->done, r->count);
		return r->fault;
	}
	return FT_FAULT_NONE;
}
