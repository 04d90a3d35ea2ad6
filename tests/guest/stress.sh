#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# stress.sh [CYCLES] [--debug]: CYCLES (default 1000) load/unload cycles of
# vtrust while, all the time, 4 module loaders (insmod/rmmod of test
# modules), a firmware requester (vtfw, request_firmware), an eBPF loader
# (bpfload, BPF_PROG_LOAD), a reader of every list, status and count file,
# and a policy writer and a baseline writer run. After each load, the
# replay matches in every bank (the first load of the boot from zero, the
# later ones from the start entry's prior=). Every 50 cycles a forced
# unload is tried while a list file is open (refused), and at the end
# while sealed (refused). Then the workers stop by themselves.
# With --debug (the debug kernel, scripts/debug-kernel), kmemleak must be
# there: its old reports are cleared before the run and a scan after it
# must find none. vm-run fails the run on any BUG, WARNING, Oops (KASAN,
# lockdep, DEBUG_OBJECTS, KFENCE and DEBUG_LIST report through those).
# Run by t-debug.sh (make check, 1000 cycles) and make stress (10000);
# the last line gives the cycles run and their time.
. /vtrust/tests/guest/lib.sh

CYCLES=${1:-1000}
DEBUG=0
[ "${2:-}" = --debug ] && DEBUG=1
KL=/sys/kernel/debug/kmemleak
STOP=/tmp/stop
BPFLOAD=$VT/tests/tools/bpfload
FW=$VT/tests/modules/fw/vtfw.ko

if [ $DEBUG = 1 ]; then
	[ -w $KL ] || fail "no $KL: not the debug kernel?"
	grep -q vtrust-debug /proc/version || fail "not the debug kernel: $(cat /proc/version)"
	echo clear > $KL
fi
mkdir -p /lib/firmware
fwdir=$(readlink -f /lib/firmware)
head -c 4096 /dev/urandom > $fwdir/vtrust-stress.bin

# Workers: each loops until $STOP exists and counts what failed. Failures
# while vtrust is (un)loading are expected for the files; the loaders'
# loads must all succeed (no policy here refuses anything).
# cycle_module NAME KO [ARG...]: insmod KO (with ARGs), then rmmod NAME;
# counts a load in n and a failure of either in bad.
cycle_module() {
	local name=$1 ko=$2
	shift 2
	if insmod "$ko" "$@"; then
		rmmod "$name" || bad=$((bad + 1))
	else
		bad=$((bad + 1))
	fi
	n=$((n + 1))
}
loader() {
	local w=$1 i m bad=0 n=0
	while [ ! -e $STOP ]; do
		for i in 0 1 2 3 4 5 6 7 8 9; do
			m=vtt_0$((100 + w * 10 + i))
			cycle_module $m $MODS/$m.ko
		done
	done
	echo "loader $w: $n loads, $bad failed"
	[ $bad = 0 ]
}
firmware() {
	local n=0 bad=0
	while [ ! -e $STOP ]; do
		cycle_module vtfw $FW name=vtrust-stress.bin mode=direct
	done
	echo "firmware: $n requests, $bad failed"
	[ $bad = 0 ]
}
bpf() {
	local n=0 bad=0
	while [ ! -e $STOP ]; do
		$BPFLOAD --imm $((n % 8)) > /dev/null || bad=$((bad + 1))
		n=$((n + 1))
	done
	echo "bpf: $n program loads, $bad failed"
	[ $bad = 0 ]
}
reader() {
	local n=0 f
	while [ ! -e $STOP ]; do
		for f in $VTFS/*_runtime_measurements* $VTFS/status $VTFS/policy \
			$VTFS/baseline; do
			cat $f > /dev/null 2>&1 || true
		done
		n=$((n + 1))
	done
	echo "reader: $n passes"
}
policy_writer() {
	local n=0
	while [ ! -e $STOP ]; do
		printf 'measure func=MODULE_CHECK\nmeasure func=FIRMWARE_CHECK\nmeasure func=BPF_CHECK\nmeasure\n' \
			2>/dev/null > $VTFS/policy || true
		n=$((n + 1))
		sleep 0.1
	done
	echo "policy writer: $n writes"
}
baseline_writer() {
	local n=0
	while [ ! -e $STOP ]; do
		printf 'sha256:%064x stress-%d\n' $n $n 2>/dev/null > $VTFS/baseline || true
		n=$((n + 1))
		sleep 0.1
	done
	echo "baseline writer: $n writes"
}

# unload: rmmod vtrust, waiting out a reader that holds a file open (the
# unload guard refuses it then); at most 10 s.
unload() {
	local i=0
	until rmmod vtrust 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "cycle $c: rmmod vtrust failed for 10 s"
		sleep 0.05
	done
	busy=$((busy + i))
}

rm -f $STOP
pids=
# The workers run at the lowest priority: what matters is that they are
# there at every moment of a cycle, not how much of the CPU they take
# from the cycles (two virtual CPUs under TCG).
for w in 0 1 2 3; do
	loader $w > /tmp/w.loader$w 2>&1 &
	pids="$pids $!"
done
for w in firmware bpf reader policy_writer baseline_writer; do
	$w > /tmp/w.$w 2>&1 &
	pids="$pids $!"
done
renice -n 19 $pids > /dev/null

busy=0
start=$(date +%s)
c=0
while [ $c -lt $CYCLES ]; do
	c=$((c + 1))
	insmod $VT/kernel/vtrust.ko || fail "cycle $c: insmod vtrust"
	if [ $c = 1 ] && vt_first_load; then
		$VTRUST replay --source vtrust > /tmp/replay.out 2>&1 ||
			{ cat /tmp/replay.out; fail "cycle $c: replay"; }
	else
		vt_replay_reloaded
	fi
	if [ $((c % 50)) = 0 ]; then
		exec 3< $VTFS/ascii_runtime_measurements
		rmmod -f vtrust 2>/dev/null && fail "cycle $c: rmmod -f with a list file open"
		exec 3<&-
	fi
	unload
	[ $((c % 10)) != 0 ] || echo "ok: $c cycles, $(( $(date +%s) - start )) s"
done
secs=$(( $(date +%s) - start ))

# Sealed: no unload, forced or not (with the workers still running).
insmod $VT/kernel/vtrust.ko || fail "insmod vtrust (to seal)"
echo seal > $VTFS/seal || fail "seal"
rmmod vtrust 2>/dev/null && fail "rmmod of a sealed vtrust"
rmmod -f vtrust 2>/dev/null && fail "rmmod -f of a sealed vtrust"
/usr/local/sbin/rmmod -f vtrust 2>/dev/null && fail "kmod's rmmod -f of a sealed vtrust"
expect_eq "sealed after rmmod -f" yes "$(vt_status sealed)"

touch $STOP
rc=0
for p in $pids; do wait $p || rc=1; done
cat /tmp/w.*
[ $rc = 0 ] || fail "a worker's loads failed"
vt_replay_reloaded

if [ $DEBUG = 1 ]; then
	# kmemleak reports an object once it has been unreferenced for 5 s,
	# found by a scan: wait, then scan twice.
	sleep 6
	echo scan > $KL
	echo scan > $KL
	if [ -s $KL ]; then
		head -c 20000 $KL
		fail "kmemleak: $(grep -c '^unreferenced object' $KL) suspected leaks"
	fi
	echo "ok: kmemleak found no leak"
fi
# An open that reaches a list file after rmmod has begun (the module is
# going, its files not yet removed) fails with ENODEV, and the VFS warns
# (fops_get() fails in do_dentry_open()): securityfs has no active
# references of its own. t-debug.sh allows exactly that warning; this
# counts it.
warns=$(dmesg | grep -c 'WARNING: .* at fs/open.c:[0-9]* do_dentry_open' || true)
echo "stress: $c cycles in $secs s, rmmod retried $busy times (files open), workers clean, $warns opens refused while vtrust was going (do_dentry_open warnings)"
echo "PASS"
