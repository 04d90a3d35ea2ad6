#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The baseline story across boots, under OVMF with a kept TPM and a kept
# /var/lib/vtrust (scripts/vm-run --firmware uefi --state --tpm-state):
#
#   A  plain boot          vtrust baseline init; vtrust verify: trusted
#   A  the same boot       vtrust verify: trusted (exit 0)
#   B  --append foo=bar    vtrust verify: untrusted (exit 1), naming PCR 9's
#                          command-line event (LoadOptions) with its old and
#                          new digests
#   C  B + vtt_0042.ko     vtrust verify: untrusted, naming vtt_0042;
#                          vtrust baseline accept --all --set ID --reason ...;
#                          vtrust verify: trusted
#   C  the same boot       vtrust verify: trusted; vtrust baseline history
#                          shows both changes
#
# Every boot loads an IMA policy measuring module loads and vtrust.ko, so
# both lists (PCRs 10 and 11) see vtt_0042.  A host-side test: run-all runs
# it on the host (header below); it calls scripts/vm-run itself.  Every boot
# runs this same file as its guest script and finds its step in
# /var/lib/vtrust/.t-baseline/step, so the initrd, and with it PCR 9, is
# byte-identical in every boot; the repo is copied first so that a rebuild
# in the work tree during the run cannot change it either.
#
#   tests/guest/t-baseline.sh          (VM_KEEP=1 keeps the work directory)
#
# vm-run-args: --host
set -u

guest() {
	local step vt=/vtrust/userspace/vtrust out=/var/lib/vtrust/.t-baseline
	step=$(cat $out/step)
	# The console stays for vm-run's checks; results go to $out.
	echo 1 > /proc/sys/kernel/printk
	echo 'measure func=MODULE_CHECK' > /sys/kernel/security/ima/policy ||
		{ echo "T-BASELINE: cannot load the IMA policy"; return 1; }
	/usr/local/sbin/insmod /vtrust/kernel/vtrust.ko ||
		{ echo "T-BASELINE: cannot load vtrust.ko"; return 1; }
	case $step in
	C*) /usr/local/sbin/insmod /vtrust/tests/modules/gen/vtt_0042.ko ||
		{ echo "T-BASELINE: cannot load vtt_0042.ko"; return 1; } ;;
	esac
	# The LoadOptions (command line) event's digests, per tpm2_eventlog.
	tpm2_eventlog /sys/kernel/security/tpm0/binary_bios_measurements |
		awk '/^- EventNum:/ { n = 0 }
		     /AlgorithmId:/ { a[++n] = $NF }
		     /^    Digest:/ { d = $NF; gsub(/"/, "", d); v[n] = d }
		     /^  Event: "ed223b8f/ { for (i = 1; i <= n; i++) print a[i], v[i] }' \
		> $out/$step.loadopts
	# PCRs 0-9 of every bank, for the harness's own check.
	for d in /sys/class/tpm/tpm0/pcr-*; do
		for n in 0 1 2 3 4 5 6 7 8 9; do echo "${d##*/pcr-} $n $(cat $d/$n)"; done
	done > $out/$step.pcrs
	# do NAME CMD...: run CMD, keep its output and status as $step.NAME.
	do_() {
		local name=$1
		shift
		echo "+ $*" > $out/$step.$name
		"$@" >> $out/$step.$name 2>&1
		echo $? > $out/$step.$name.rc
		cat $out/$step.$name
	}
	case $step in
	A-init)
		do_ init $vt baseline init --reason "t-baseline: first boot"
		do_ verify $vt verify ;;
	C-accept)
		do_ verify $vt verify
		# the set of differences the operator saw
		sid=$(sed -n 's/^differences (set \([0-9a-f]*\)):$/\1/p' \
			$out/$step.verify)
		do_ accept $vt baseline accept --all --set "$sid" \
			--reason "t-baseline: kernel command line foo=bar and module vtt_0042"
		do_ verify2 $vt verify
		do_ history $vt baseline history ;;
	*)
		do_ verify $vt verify
		do_ history $vt baseline history ;;
	esac
	do_ status $vt status
	sync
}

if [ "${1:-}" = guest ]; then
	guest
	exit
fi

# ---------------------------------------------------------------------------
# Host side

. "$(dirname "$0")/hostlib.sh" t-baseline
for cmd in verify baseline status; do
	"$VTRUST" $cmd --help > /dev/null 2>&1 ||
		skip "'vtrust $cmd' is not there yet ('vtrust $cmd --help' failed)"
done
[ -e "$top/kernel/vtrust.ko" ] && [ -e "$top/tests/modules/gen/vtt_0042.ko" ] ||
	fail "kernel/vtrust.ko or tests/modules/gen/vtt_0042.ko is not built (make)"

# A snapshot of what scripts/vm-run puts into the guest (see its --help),
# and of vm-run itself: every boot gets the same bytes.  Only the two
# modules the test loads: a smaller initrd boots faster under OVMF.
mkdir "$work/repo" "$work/state" "$work/tpm"
(
	cd "$top" &&
	{
		echo kernel/vtrust.ko
		echo tests/modules/gen/vtt_0042.ko
		echo userspace/vtrust
		find tests/tools -type f -perm -u+x 2>/dev/null
		find scripts/vm-run scripts/default-kver scripts/vm tests/guest tests/data \
			ima-policy ! -type d 2>/dev/null
	} | sed 's@^\./@@' | sort -u | cpio -pdm --quiet "$work/repo"
) || fail "cannot copy the repo's outputs"
mkdir "$work/state/.t-baseline"
res=$work/state/.t-baseline

# boot STEP [vm-run options...]: one boot that runs step STEP.
boot() {
	local step=$1 start rc
	shift
	echo "$step" > "$res/step"
	start=$SECONDS
	"$work/repo/scripts/vm-run" --firmware uefi --timeout 240 \
		--state "$work/state" --tpm-state "$work/tpm" "$@" \
		-- "$work/repo/tests/guest/t-baseline.sh" guest > "$work/$step.console" 2>&1
	rc=$?
	say "boot $step ($*): vm-run exit $rc, $((SECONDS - start))s"
	if [ $rc != 0 ]; then
		tail -n 30 "$work/$step.console"
		fail "boot $step: vm-run exited with $rc"
	fi
	[ -e "$res/$step.status.rc" ] || { tail -n 30 "$work/$step.console"; fail "boot $step: no results"; }
}

# expect_rc STEP NAME RC: the status of command NAME in boot STEP.
expect_rc() {
	local got
	got=$(cat "$res/$1.$2.rc" 2>/dev/null)
	if [ "$got" != "$3" ]; then
		cat "$res/$1.$2" 2>/dev/null
		fail "boot $1: $(head -n1 "$res/$1.$2" | cut -c3-): exit $got, expected $3"
	fi
	echo "ok: boot $1: $(head -n1 "$res/$1.$2" | cut -c3-): exit $3"
}

# expect_in STEP NAME WHAT REGEX: REGEX (grep -Ei) is in NAME's output.
expect_in() {
	grep -Eiq -- "$4" "$res/$1.$2" || { cat "$res/$1.$2"; fail "boot $1: $2 does not mention $3"; }
	echo "ok: boot $1: $2 mentions $3"
}

# 1. A: the baseline, then trusted.
boot A-init
cat "$res/A-init.init"
expect_rc A-init init 0
expect_rc A-init verify 0
# 2. A again: trusted.
boot A
cat "$res/A.verify"
expect_rc A verify 0
cmp -s "$res/A-init.pcrs" "$res/A.pcrs" ||
	fail "harness: PCRs 0-9 differ between two identical boots (scripts/vm-run)"
echo "ok: PCRs 0-9 are the same in both boots A"
# 3. B: another command line.
boot B --append foo=bar
cat "$res/B.verify"
cmp -s "$res/A.pcrs" "$res/B.pcrs" &&
	fail "harness: --append foo=bar did not change PCRs 0-9"
diff "$res/A.pcrs" "$res/B.pcrs" | grep -qvE '^[<>] [a-z0-9]+ 9 |^---|^[0-9]' &&
	fail "harness: --append foo=bar changed other PCRs than 9"
echo "ok: --append foo=bar changed PCR 9 only"
expect_rc B verify 1
expect_in B verify "PCR 9" 'pcr[^0-9a-z]*9([^0-9]|$)'
# Its old and new digests, in at least one bank (at least their first 12
# hex digits, should vtrust shorten them).
found=
while read -r alg old; do
	new=$(awk -v a="$alg" '$1 == a { print $2 }' "$res/B.loadopts")
	[ -n "$new" ] && [ "$new" != "$old" ] || continue
	if grep -qi "${old:0:12}" "$res/B.verify" && grep -qi "${new:0:12}" "$res/B.verify"; then
		found=$alg
		break
	fi
done < "$res/A.loadopts"
[ -n "$found" ] || fail "boot B: verify does not name the command-line event's old and new digests"
echo "ok: boot B: verify names the command-line event's old -> new $found digests"
# 4. C: B plus a module; accept both changes.
boot C-accept --append foo=bar
cat "$res/C-accept.verify"
cmp -s "$res/B.pcrs" "$res/C-accept.pcrs" ||
	fail "harness: PCRs 0-9 differ between boots B and C"
expect_rc C-accept verify 1
expect_in C-accept verify "vtt_0042" 'vtt_0042'
cat "$res/C-accept.accept"
expect_rc C-accept accept 0
expect_rc C-accept verify2 0
# 5. C again: trusted, and both changes in the history.
boot C --append foo=bar
cat "$res/C.verify" "$res/C.history"
expect_rc C verify 0
expect_rc C history 0
expect_in C history "the reason" 't-baseline: kernel command line foo=bar'
expect_in C history "vtt_0042" 'vtt_0042'
expect_in C history "PCR 9 or the command line" 'pcr[^0-9a-z]*9([^0-9]|$)|LoadOptions|command.line|cmdline'
cat "$res/C.status"
expect_rc C status 0
echo "PASS"
