#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A TPM that fails on command (issue 12). The TPM is tests/faketpm/faketpm
# behind vtpm_proxy (banks sha256 and sm3) with --faults: PCR_Extend answers
# TPM_RC_RETRY a few times (the kernel retries: nothing lost) and for good
# (the kernel gives up), TPM_RC_FAILURE, answers too late (a timeout), and
# the TPM disappears in the middle of the run. For each: no crash and no
# hang (vm-run fails the test on any BUG, WARNING or Oops), every failed
# extend counted in status and marked in the list (extend-failed:<index>),
# `vtrust replay` reporting the gap, and once the fault clears, new loads
# extend again: the lists, replayed by faketpm with OpenSSL leaving out the
# marked entries, give PCR 11 in both banks as sysfs reads it. With
# on_extend_error=refuse the load whose extend fails is refused. Runs under
# Debian's kernel and, with VM_RUN_KERNEL=debug, under the debug kernel.
# vm-run-args: --no-tpm --add tests/faketpm/faketpm
. /vtrust/tests/guest/lib.sh

FAKETPM=/extra/faketpm
[ -x $FAKETPM ] || fail "$FAKETPM missing (make -C tests/faketpm)"
F=/tmp/faults
LOG=/tmp/ft.log
BANKS=sha256,sm3

# faults RULE...: the rules faketpm follows from its next command on.
faults() {
	printf '%s\n' "$@" > $F.new
	mv $F.new $F
	echo "+ faults: $*"
}

# injected TEXT: how many times faketpm logged "fault: TEXT".
injected() {
	grep -c "fault: $1" $LOG || true
}

start_faketpm() {
	dev=$($FAKETPM --banks $BANKS --pidfile /tmp/ft.pid --log $LOG --faults $F) ||
		fail "faketpm did not start"
	SYS=/sys/class/tpm/${dev#/dev/}
	echo "faketpm: $dev"
}

# load N: insmod vtt_N, which must succeed and be live.
load() {
	run insmod $MODS/vtt_$1.ko || fail "insmod vtt_$1"
	grep -q "^vtt_$1 " /proc/modules || fail "vtt_$1 is not live"
}

# marked N: vtt_N's entry is in the list and marked once.
marked() {
	local i
	i=$(entry_index $MODS/vtt_$1.ko)
	[ -n "$i" ] || fail "vtt_$1 is not in the list"
	expect_eq "marks of vtt_$1 (entry $i)" 1 "$(entry_count_named extend-failed:$i)"
}

# replay_ok: in every bank, faketpm's replay (OpenSSL) of the list without
# the marked entries gives PCR 11 as sysfs reads it.
replay_ok() {
	local b v p
	for b in sha256 sm3; do
		p=$(tr 'A-F' 'a-f' < $SYS/pcr-$b/11)
		cp $VTFS/binary_runtime_measurements_$b /tmp/list.$b
		[ "$p" = "$(tr 'A-F' 'a-f' < $SYS/pcr-$b/11)" ] ||
			fail "$b PCR 11 changed while the list was copied"
		v=$($FAKETPM --replay-list /tmp/list.$b --alg $b --prior-from-start \
			--skip-marked) || fail "faketpm --replay-list $b"
		expect_eq "$b PCR 11 = faketpm's replay without the marked entries" "$p" "$v"
	done
}

# gap_reported: `vtrust replay` lists the gap among its problems. (Its
# verdict stays "match": the PCR matches the list less the marked entries;
# `vtrust verify` is what calls a boot with a gap untrusted.)
gap_reported() {
	local rc=0
	$VTRUST replay --source vtrust > /tmp/replay.out 2>&1 || rc=$?
	if ! grep -q 'gap: entry [0-9]* "extend-failed:[0-9]*": an entry that its PCR does not cover' /tmp/replay.out; then
		cat /tmp/replay.out
		fail "vtrust replay (exit $rc) does not report the gap"
	fi
	echo "ok: vtrust replay reports the gap (exit $rc)"
}

run modprobe tpm_vtpm_proxy
rm -f $F
start_faketpm
vt_load
expect_eq extend_errors 0 "$(vt_status extend_errors)"
load 0230
replay_ok
run $VTRUST replay --source vtrust > /dev/null || fail "vtrust replay before any fault"

# --- TPM_RC_RETRY three times: the kernel retries, nothing is lost ----------
faults 'PCR_Extend retry 3'
load 0231
expect_eq "RETRY answers" 3 "$(injected 'PCR_Extend retry')"
expect_eq "extend_errors after RETRY x3" 0 "$(vt_status extend_errors)"
expect_eq "marks after RETRY x3" 0 "$(grep -c ' extend-failed:' $VTFS/ascii_runtime_measurements || true)"
replay_ok

# --- TPM_RC_RETRY for good: the kernel gives up ------------------------------
mark=$(dmesg | wc -l)
faults 'PCR_Extend retry *'
load 0232
dmesg | tail -n +$((mark + 1)) | grep -q 'in retry loop' ||
	fail "no 'in retry loop' from the TPM driver"
expect_eq "extend_errors after RETRY forever" 1 "$(vt_status extend_errors)"
rm -f $F
load 0233
marked 0232
expect_eq "extend_errors after the fault cleared" 1 "$(vt_status extend_errors)"
replay_ok
gap_reported

# --- TPM_RC_FAILURE ----------------------------------------------------------
faults 'PCR_Extend failure 2'
load 0234
load 0235
expect_eq "FAILURE answers" 2 "$(injected 'PCR_Extend failure')"
expect_eq "extend_errors after two FAILUREs" 3 "$(vt_status extend_errors)"
load 0236
marked 0234
marked 0235
expect_eq "extend_errors after the fault cleared" 3 "$(vt_status extend_errors)"
replay_ok

# Readers work whatever the TPM did.
for f in ascii_runtime_measurements binary_runtime_measurements \
	runtime_measurements_count status policy baseline; do
	cat $VTFS/$f > /dev/null || fail "reading $f failed"
done
vt_unload

# --- a timeout: the answer comes after the kernel stopped waiting ------------
# faketpm executes the extend and answers 2 s late; the kernel gives up
# after 750 ms. vtrust counts and marks it, but whether the PCR has it is
# unknown to the kernel: on a fresh load (so that this is the only mark),
# the PCR is either the replay without the marked entry or with it.
vt_load
load 0237
faults 'PCR_Extend timeout=2000 1'
load 0238
expect_eq "late answers" 1 "$(injected 'PCR_Extend timeout')"
expect_eq "extend_errors after a timeout" 1 "$(vt_status extend_errors)"
sleep 2	# faketpm answers late, then serves the next command
load 0239
marked 0238
expect_eq "extend_errors after the timeout" 1 "$(vt_status extend_errors)"
for b in sha256 sm3; do
	p=$(tr 'A-F' 'a-f' < $SYS/pcr-$b/11)
	cp $VTFS/binary_runtime_measurements_$b /tmp/list.$b
	without=$($FAKETPM --replay-list /tmp/list.$b --alg $b --prior-from-start \
		--skip-marked) || fail "faketpm --replay-list $b"
	with=$($FAKETPM --replay-list /tmp/list.$b --alg $b --prior-from-start) ||
		fail "faketpm --replay-list $b"
	case $p in
	"$without") echo "ok: $b PCR 11: the timed-out extend did not reach it" ;;
	"$with") echo "ok: $b PCR 11: the timed-out extend reached it (executed, answered late)" ;;
	*) fail "$b PCR 11 $p is neither the replay without the timed-out entry ($without) nor with it ($with)" ;;
	esac
done
vt_unload

# --- on_extend_error=refuse ---------------------------------------------------
vt_load on_extend_error=refuse
load 0240
# Every extend fails while the load is tried: busybox's insmod falls back
# from finit_module(2) to init_module(2) when the first is refused, and that
# second attempt is measured (init_module:vtt_0241) and refused too.
faults 'PCR_Extend failure *'
echo "+ insmod vtt_0241.ko (FAILURE, on_extend_error=refuse: must fail)"
insmod $MODS/vtt_0241.ko && fail "vtt_0241 loaded though its extends failed"
grep -q '^vtt_0241 ' /proc/modules && fail "vtt_0241 is live"
errs=$(vt_status extend_errors)
[ "$errs" -ge 1 ] || fail "extend_errors (refuse): $errs"
echo "ok: extend_errors (refuse) = $errs"
rm -f $F
load 0242
marked 0241
for n in $(awk '$5 ~ /^extend-failed:/ { sub(/^extend-failed:/, "", $5); print $5 }' \
	$VTFS/ascii_runtime_measurements); do
	awk -v i=$n 'NR - 1 == i { print "ok: marked: " $5 }' $VTFS/ascii_runtime_measurements
done
expect_eq "marks = extend_errors (refuse)" "$errs" \
	"$(grep -c ' extend-failed:' $VTFS/ascii_runtime_measurements)"
replay_ok
vt_unload

# --- the TPM disappears mid-run -------------------------------------------------
vt_load
load 0250
faults 'PCR_Extend disappear'
load 0251
i=0
while kill -0 "$(cat /tmp/ft.pid)" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "faketpm still running after 'disappear'"
	sleep 0.1
done
expect_eq "disappeared" 1 "$(injected 'PCR_Extend disappear')"
expect_eq "extend_errors after the TPM disappeared" 1 "$(vt_status extend_errors)"
load 0252
expect_eq "extend_errors with no TPM" 2 "$(vt_status extend_errors)"
cat $VTFS/status > /dev/null || fail "status unreadable without a TPM"
rc=0
$VTRUST replay --source vtrust > /tmp/replay.out 2>&1 || rc=$?
cat /tmp/replay.out
[ $rc = 3 ] && grep -q 'no TPM' /tmp/replay.out ||
	fail "vtrust replay without a TPM: exit $rc, not 3 with 'no TPM'"
echo "ok: vtrust replay says there is no TPM (exit 3)"
# A new TPM with the same banks: vtrust takes it, and loads extend again
# (into the new TPM's PCRs, which have none of the earlier events: the
# replay then says MISMATCH, as it must).
faults_before=$(grep -c 'fault: ' $LOG || true)
rm -f $F $LOG
start_faketpm
load 0253
expect_eq "extend_errors with the new TPM" 2 "$(vt_status extend_errors)"
marked 0251
marked 0252
dmesg | grep -q 'vtrust: using the TPM that replaced the one vtrust had' ||
	fail "vtrust did not take the new TPM"
vt_unload
# And a fresh load of vtrust on the new TPM replays from its prior=.
vt_load
load 0254
replay_ok
vt_unload
echo "faults injected and survived: $((faults_before + $(grep -c 'fault: ' $LOG || true)))"
echo "PASS"
