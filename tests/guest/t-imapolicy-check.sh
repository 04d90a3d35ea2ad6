#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# scripts/ima-policy-load's checker, on the host (no guest): a table of
# rules, each accepted or refused with the expected reason and line, under
# every shell (dash, bash, busybox sh) and awk (mawk, gawk, busybox awk) at
# hand; the vtrust rules also through vtrust's own parser (kernel/policy.c,
# built here), which must agree except where the checker is stricter on
# purpose; the load path against a fake securityfs (SECURITYFS=): one write
# per rule for IMA, the file as it is for vtrust, the kernel's error with
# the line, nothing written after a refused check.
#
#   tests/guest/t-imapolicy-check.sh
#
# vm-run-args: --host
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
IPL=$top/scripts/ima-policy-load
work=$(mktemp -d "${TMPDIR:-/tmp}/t-imapolicy-check.XXXXXX")
trap 'rm -rf "$work"' EXIT
nfail=0

fail() {
	echo "FAIL: $*"
	nfail=$((nfail + 1))
}

# Rules: TARGET|RULE|OK, or TARGET|RULE|text of the reason. A rule may hold
# '|' (keyrings=, imasig|modsig): the reason is after the last one.
cat > "$work/cases" <<'EOF'
ima|measure func=BPRM_CHECK|OK
ima|measure func=FOO_CHECK|unknown func=FOO_CHECK
ima|measure func=BPRM_CHECK func=MMAP_CHECK|duplicate keyword func
ima|measure func=BPF_CHECK|vtrust's, not an IMA hook
ima|measure measure|two actions
ima|measure dont_measure|two actions
ima|func=BPRM_CHECK|no action
ima|measure fsmagic=zz|not a hex number
ima|dont_measure fsmagic=0x9fa0|OK
ima|dont_measure fsmagic=9FA0|OK
ima|dont_measure fsmagic=0x1234567890|wider than
ima|measure uid=abc|not a decimal id
ima|measure uid=4294967295|not a decimal id
ima|measure uid=4294967294|OK
ima|measure uid=0 euid=0|uid and euid in one rule
ima|measure uid>0 uid<100|duplicate keyword uid
ima|measure fowner<1000 func=FILE_CHECK mask=MAY_READ|OK
ima|measure pcr>3|takes "=", not ">"
ima|measure pcr=24|not a PCR number
ima|appraise pcr=11|pcr= only goes with measure
ima|measure func=BPRM_CHECK template=ima-ng|OK
ima|template=ima-ng measure func=BPRM_CHECK|needs the measure action before it
ima|measure template=foo|not a template
ima|measure func=KEY_CHECK keyrings=.ima|.evm|OK
ima|measure func=BPRM_CHECK keyrings=.ima|does not go with func=BPRM_CHECK
ima|appraise func=KEY_CHECK|only takes measure and dont_measure
ima|measure func=KEY_CHECK euid=0|euid= does not go with func=KEY_CHECK
ima|measure func=CRITICAL_DATA label=vtrust|OK
ima|measure label=vtrust|does not go with a rule without func=
ima|measure func=MMAP_CHECK mask=MAY_EXEC|OK
ima|measure func=MMAP_CHECK mask=^MAY_EXEC|OK
ima|measure func=MMAP_CHECK mask=MAY_RUN|not [^]MAY_EXEC
ima|measure func=KEY_CHECK mask=MAY_EXEC|mask= does not go with func=KEY_CHECK
ima|appraise func=MODULE_CHECK appraise_type=imasig|modsig|OK
ima|appraise func=BPRM_CHECK appraise_type=imasig|modsig|only goes with MODULE_CHECK
ima|appraise func=MODULE_CHECK appraise_type=imasig appraise_flag=check_blacklist|check_blacklist needs appraise_type
ima|measure appraise_type=imasig|appraise_type= only goes with appraise
ima|appraise func=SETXATTR_CHECK appraise_algos=sha256,sha384|OK
ima|appraise func=SETXATTR_CHECK|needs appraise_algos
ima|appraise func=SETXATTR_CHECK appraise_algos=sha256,,sha1|not a comma-separated list
ima|appraise func=SETXATTR_CHECK appraise_algos=sha257|unknown hash algorithm sha257
ima|appraise func=BPRM_CHECK digest_type=verity appraise_type=sigv3|OK
ima|appraise func=BPRM_CHECK appraise_type=sigv3|needs digest_type=verity before it
ima|appraise func=BPRM_CHECK appraise_type=sigv3 digest_type=verity|needs digest_type=verity before it
ima|appraise func=BPRM_CHECK digest_type=verity|needs appraise_type=sigv3
ima|appraise func=MODULE_CHECK digest_type=verity appraise_type=sigv3|digest_type= does not go with func=MODULE_CHECK
ima|measure fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6|OK
ima|measure fsuuid=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f|not a UUID
ima|measure fsuuid=8bcbe394x4f13-4144-be8e-5aa9ea2ce2f6|not a UUID
ima|measure func=|no value after "func="
ima|measure bogus=1|unknown keyword "bogus="
ima|measure bogus|unknown word "bogus"
ima|measure func=BPRM_CHECK # comment|# starts a comment only
ima|measure=1|"measure" takes no value
ima|measure permit_directio permit_directio|duplicate keyword permit_directio
ima|measure func=BPRM_CHECK permit_directio|OK
ima|measure appraise_type=baseline|not imasig
ima|audit func=BPRM_CHECK|OK
ima|   measure	func=BPRM_CHECK   |OK
ima|measure subj_type=foo_t func=FILE_CHECK|OK
ima|measure func=KEY_CHECK subj_type=foo_t|subj_type= does not go with func=KEY_CHECK
ima|measure func=PATH_CHECK|OK
ima|measure func=FILE_MMAP mask=MAY_EXEC|OK
ima|measure func=KEXEC_CMDLINE fsmagic=0xef53|OK
ima|measure func=KEXEC_CMDLINE mask=MAY_READ|mask= does not go with func=KEXEC_CMDLINE
ima|measure mask|mask needs a value
vtrust|measure func=BPF_CHECK|OK
vtrust|measure func=KEXEC_LOAD pcr=12|OK
vtrust|measure func=BPRM_CHECK|an IMA hook that vtrust does not have
vtrust|measure func=NOPE|unknown func=NOPE
vtrust|audit func=MODULE_CHECK|audit is not a vtrust action
vtrust|measure mask=MAY_EXEC|mask= is ima's, not vtrust's
vtrust|measure func=MODULE_CHECK pcr=10|vtrust refuses PCRs
vtrust|measure func=MODULE_CHECK pcr=7|vtrust refuses PCRs
vtrust|measure func=MODULE_CHECK pcr=15|OK
vtrust|measure func=MODULE_CHECK pcr=16|vtrust refuses PCRs
vtrust|measure func=MODULE_CHECK pcr=23|vtrust refuses PCRs
vtrust|appraise func=MODULE_CHECK appraise_type=baseline|OK
vtrust|appraise func=MODULE_CHECK appraise_type=imasig|vtrust has appraise_type=baseline or sig
vtrust|appraise func=FIRMWARE_CHECK appraise_type=sig|OK
vtrust|appraise func=MODULE_CHECK appraise_type=sig|appraise_type=sig only goes with func=FIRMWARE_CHECK
vtrust|appraise appraise_type=sig|appraise_type=sig only goes with func=FIRMWARE_CHECK
vtrust|measure func=MODULE_CHECK appraise_type=baseline|appraise_type= only goes with appraise
vtrust|measure func=BPF_CHECK fsmagic=0xef53|fsmagic= needs a file, and func=BPF_CHECK loads none
vtrust|measure func=MODULE_CHECK fowner>999 uid<1000 euid=0|OK
vtrust|measure func=MODULE_CHECK template=ima-sig|not a template vtrust has
vtrust|measure func=MODULE_CHECK template=ima-ng|OK
vtrust|appraise func=MODULE_CHECK template=ima-ng|template= only goes with measure
vtrust|measure func=MODULE_CHECK gid=0|gid= is ima's, not vtrust's
vtrust|measure permit_directio|permit_directio is not a vtrust action or option
vtrust|appraise func=MODULE_CHECK|appraise needs appraise_type=baseline
vtrust|dont_appraise func=MODULE_CHECK|OK
vtrust|dont_appraise func=MODULE_CHECK appraise_type=baseline|appraise_type= only goes with appraise
vtrust|appraise func=KEY_CHECK appraise_type=baseline|func=KEY_CHECK only takes measure
vtrust|dont_appraise func=KEY_CHECK|func=KEY_CHECK only takes measure
vtrust|measure func=KEY_CHECK uid=0|OK
vtrust|measure func=KEXEC_LOAD fowner=0|fowner= needs a file
vtrust|measure func=MODULE_CHECK fsmagic=0XEF53|OK
ima|measure func=BPRM_CHECK|OK
EOF

# check_cases SHELL: every case through SHELL and the awk first in PATH.
check_cases() {
	local sh=$1 t rest rule want out rc n=0 bad=0
	while IFS= read -r l; do
		t=${l%%|*}
		rest=${l#*|}
		want=${rest##*|}
		rule=${rest%|*}
		printf '# a comment\n\n%s\n' "$rule" > "$work/p"
		rc=0
		out=$($sh "$IPL" --check --target "$t" "$work/p" 2>&1) || rc=$?
		n=$((n + 1))
		if [ "$want" = OK ]; then
			[ $rc = 0 ] && [ -z "$out" ] && continue
		else
			case $out in
			"ima-policy-load: $work/p:3: "*"$want"*) [ $rc = 2 ] && continue ;;
			esac
		fi
		bad=$((bad + 1))
		fail "[$sh, $(awk --version 2>&1 | head -n1 | cut -c1-20)] $t: '$rule': exit $rc, '$out'; expected '$want'"
	done < "$work/cases"
	[ $bad = 0 ] && echo "ok: $n rules checked with $sh and $2"
}

mkdir "$work/bin"
for awk in mawk gawk original-awk busybox; do
	command -v $awk > /dev/null || continue
	if [ $awk = busybox ]; then
		ln -sf "$(command -v busybox)" "$work/bin/awk"
	else
		ln -sf "$(command -v $awk)" "$work/bin/awk"
	fi
	for sh in dash bash "busybox sh"; do
		command -v ${sh%% *} > /dev/null || continue
		PATH=$work/bin:$PATH check_cases "$sh" "$awk"
	done
done

# vtrust's own parser must agree on every vtrust rule, but for the
# checker's deliberate extras (an empty policy, fsmagic wider than 32 bits).
if command -v cc > /dev/null; then
	cat > "$work/vtparse.c" <<'EOF'
#include <stdio.h>
#include "policy.h"

static char text[1 << 20];

int main(int argc, char **argv)
{
	struct vtrust_policy_error err = { 0 };
	FILE *f = fopen(argv[1], "rb");
	size_t len;
	int n;

	if (argc != 2 || !f)
		return 2;
	len = fread(text, 1, sizeof(text), f);
	n = vtrust_policy_parse(text, len, NULL, 0, &err);
	if (n < 0)
		printf("line %u: '%s': %s\n", err.line, err.token, err.reason);
	return n < 0;
}
EOF
	if cc -O1 -I"$top/kernel" -o "$work/vtparse" "$work/vtparse.c" \
		"$top/kernel/policy.c" 2> "$work/cc.err"; then
		n=0
		while IFS= read -r l; do
			t=${l%%|*}
			[ "$t" = vtrust ] || continue
			rest=${l#*|}
			rule=${rest%|*}
			printf '%s\n' "$rule" > "$work/p"
			krc=0 crc=0
			kout=$("$work/vtparse" "$work/p") || krc=$?
			sh "$IPL" --check --target vtrust "$work/p" 2> /dev/null || crc=$?
			n=$((n + 1))
			[ $krc = 0 ] && [ $crc = 0 ] && continue
			[ $krc != 0 ] && [ $crc != 0 ] && continue
			fail "vtrust's parser and the checker disagree on '$rule': kernel '$kout', checker exit $crc"
		done < "$work/cases"
		for f in vtrust-default vtrust-enforce; do
			n=$((n + 1))
			"$work/vtparse" "$top/ima-policy/$f.policy" ||
				fail "vtrust's parser refuses ima-policy/$f.policy"
		done
		echo "ok: vtrust's parser (kernel/policy.c) agrees on $n policies"
	else
		cat "$work/cc.err"
		fail "cannot build kernel/policy.c for the host"
	fi
else
	echo "note: no cc, vtrust's parser not compared"
fi

# The load path, against a fake securityfs.
fake=$work/fs
mkdir -p "$fake/ima" "$fake/vtrust"
: > "$fake/ima/policy"
: > "$fake/vtrust/policy"
SECURITYFS=$fake "$IPL" "$top/ima-policy/runtime.policy" ||
	fail "load into a fake IMA"
sed -e 's/^[ \t]*//' -e '/^#/d' -e '/^$/d' "$top/ima-policy/runtime.policy" |
	cmp -s - "$fake/ima/policy" ||
	fail "IMA did not get exactly the rules of runtime.policy"
SECURITYFS=$fake "$IPL" --target vtrust "$top/ima-policy/vtrust-enforce.policy" ||
	fail "load into a fake vtrust"
cmp -s "$top/ima-policy/vtrust-enforce.policy" "$fake/vtrust/policy" ||
	fail "vtrust did not get the file as it is"
: > "$fake/ima/policy"
sed 's/^measure func=BPRM_CHECK$/measure func=BPRM_CHEK/' \
	"$top/ima-policy/runtime.policy" > "$work/broken.policy"
rc=0
SECURITYFS=$fake "$IPL" "$work/broken.policy" 2> /dev/null || rc=$?
[ $rc = 2 ] && [ ! -s "$fake/ima/policy" ] ||
	fail "a refused policy: exit $rc (expected 2), or something was written"
# A kernel that refuses a write: /dev/full (ENOSPC) stands in.
ln -sf /dev/full "$fake/ima/policy"
rc=0
out=$(SECURITYFS=$fake "$IPL" "$top/ima-policy/runtime.policy" 2>&1) || rc=$?
first=$(grep -n '^[a-z]' "$top/ima-policy/runtime.policy" | head -n1 | cut -d: -f1)
case $out in
*"runtime.policy:$first: the kernel refused this rule: No space left on device"*)
	[ $rc = 1 ] || fail "a refused write: exit $rc, expected 1" ;;
*) fail "a refused write: '$out'" ;;
esac
rm "$fake/vtrust/policy"
rc=0
out=$(SECURITYFS=$fake "$IPL" --target vtrust "$top/ima-policy/vtrust-default.policy" 2>&1) || rc=$?
case $out in
*"no such file (vtrust.ko is not loaded"*) [ $rc = 1 ] || fail "no policy file: exit $rc" ;;
*) fail "no policy file: '$out'" ;;
esac
"$IPL" --help > /dev/null || fail "--help"
rc=0
"$IPL" --target foo x 2> /dev/null || rc=$?
[ $rc = 2 ] || fail "a bad --target: exit $rc, expected 2"
echo "ok: the load path against a fake securityfs"

[ $nfail = 0 ] || { echo "$nfail failure(s)"; exit 1; }
echo PASS
