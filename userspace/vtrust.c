// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtrust: read and check vtrust's and IMA's measurement lists.
 */
#include <stdio.h>
#include <string.h>

#include "appraise.h"
#include "attest.h"
#include "fwsig.h"
#include "util.h"
#include "vtrust.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *description;
} commands[] = {
	{ "log", cmd_log, "print a measurement list or the firmware event log" },
	{ "replay", cmd_replay, "replay the firmware log and the lists against the TPM's PCRs" },
	{ "verify", cmd_verify, "replay, then compare this boot with the baseline" },
	{ "baseline", cmd_baseline, "record, accept into and show the baseline; reference files" },
	{ "status", cmd_status, "vtrust.ko, the TPM, the lists and the baseline at a glance" },
	{ "ek", cmd_ek, "show the TPM's endorsement key and its certificate" },
	{ "ak", cmd_ak, "create or show the attestation key (under the EK)" },
	{ "credential", cmd_credential, "make a credential for an AK (verifier), activate it (guest)" },
	{ "quote", cmd_quote, "quote the PCRs, read them and the logs: an evidence bundle" },
	{ "agent", cmd_agent, "attest this machine to the trusted service (vtrustd), now and then" },
	{ "verify-evidence", cmd_verify_evidence, "judge an evidence bundle: quote, logs, baseline (verifier side)" },
	{ "sign", cmd_sign, "sign firmware files for appraise_type=sig: FILE.p7s" },
	{ "verify-file", cmd_verify_file, "check a file's FILE.p7s offline, with vtrust.ko's rules" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void show_usage(FILE *f)
{
	unsigned int i;

	fputs("Usage: vtrust <command> [options]\n"
	      "       vtrust <command> --help\n"
	      "       vtrust --version\n"
	      "\n"
	      "Check the firmware's event log and the measurement lists that vtrust\n"
	      "(the module-load measurement module) and IMA keep in\n"
	      "/sys/kernel/security against the TPM, and each boot against a\n"
	      "baseline of a trusted one. See vtrust(8).\n"
	      "\n"
	      "Commands:\n", f);
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
			commands[i].description);
	fputs("\n" VT_EXIT_CODES, f);
}

int main(int argc, char *argv[])
{
	const char *cmd;
	char *help[] = { NULL, "--help", NULL };
	unsigned int i;

	if (argc < 2) {
		show_usage(stderr);
		return VT_EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		show_usage(stdout);
		return VT_EXIT_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf("vtrust %s\n", VTRUST_VERSION);
		return VT_EXIT_OK;
	}
	if (!strcmp(cmd, "help")) {
		if (argc < 3) {
			show_usage(stdout);
			return VT_EXIT_OK;
		}
		cmd = argv[2];
		help[0] = argv[2];
		argc = 2;
		argv = help;
	} else {
		argc--;
		argv++;
	}
	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].fn(argc, argv);
	vt_err(cmd, "unknown command (see 'vtrust --help')");
	return VT_EXIT_USAGE;
}
