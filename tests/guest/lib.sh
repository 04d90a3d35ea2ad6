# SPDX-License-Identifier: GPL-2.0-or-later
# Shared helpers for guest tests (sourced by tests/guest/t-*.sh inside the
# guest booted by scripts/vm-run). Exit codes: 0 pass, 1 fail, 77 skip.

set -e
VT=/vtrust
VTFS=/sys/kernel/security/vtrust
VTRUST=$VT/userspace/vtrust
MODS=$VT/tests/modules/gen

# Log each command before running it.
run() {
	echo "+ $*"
	"$@"
}

fail() {
	echo "FAIL: $*"
	exit 1
}

skip() {
	echo "SKIP: $*"
	exit 77
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
	echo "ok: $1 = $3"
}

vt_load() {
	run insmod $VT/kernel/vtrust.ko "$@" || fail "insmod vtrust $*"
}

vt_unload() {
	run rmmod vtrust || fail "rmmod vtrust"
}

vt_count() {
	cat $VTFS/runtime_measurements_count
}

vt_status() {
	sed -n "s/^$1: //p" $VTFS/status
}

# The TPM's banks, from sysfs.
tpm_banks() {
	for d in /sys/class/tpm/tpm0/pcr-*; do
		[ -d "$d" ] && echo "${d##*/pcr-}"
	done
}

pcr_value() {
	cat /sys/class/tpm/tpm0/pcr-$1/$2
}

# Replay every bank's list against the TPM with vtrust's own replayer.
vt_replay() {
	run $VTRUST replay "$@" || fail "vtrust replay $*"
}

# After an unload and a new load in the same boot, vtrust's list replays
# from its start entry's prior= to the PCR in every bank, but nothing
# explains prior=: the replay must say that the history before vtrust
# started is unverifiable, and exit 1.
vt_replay_reloaded() {
	local rc=0 pcr
	pcr=$(vt_status pcr)
	$VTRUST replay -v > /tmp/replay.out 2>&1 || rc=$?
	if [ $rc != 1 ] ||
	   ! grep -q "PCR $pcr: UNVERIFIABLE (.*from prior=); the list replays from prior= to the PCR, but history before vtrust started is unverifiable" /tmp/replay.out ||
	   grep -q 'MISMATCH' /tmp/replay.out; then
		cat /tmp/replay.out
		fail "replay after a reload (exit $rc): not one whose only fault is the history before vtrust started"
	fi
	echo "ok: replay after a reload: the list replays from prior=, history before it unverifiable"
}

# Is this vtrust's list the first in this boot (every prior= value zero)?
vt_first_load() {
	! head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $6 }' |
		xxd -r -p | tr ' ' '\n' | sed -n 's/^prior=//p' | tr ',' '\n' |
		cut -d: -f2 | grep -qv '^0*$'
}

# The replay that fits: a match on the first load, else vt_replay_reloaded.
vt_replay_here() {
	if vt_first_load; then vt_replay "$@"; else vt_replay_reloaded; fi
}

# Independent check: evmctl (ima-evm-utils) replays the default list in the
# sha1 and sha256 banks and compares them with the TPM. It assumes PCRs start
# at zero, so it only applies to the first load of vtrust in a boot.
evm_check() {
	local args="" b f n
	for b in sha1 sha256; do
		[ -d /sys/class/tpm/tpm0/pcr-$b ] || continue
		f=/tmp/pcrs.$b
		: > $f
		for n in $(seq 0 23); do
			printf 'PCR-%02d: %s\n' $n "$(pcr_value $b $n)" >> $f
		done
		args="$args --pcrs $b,$f"
	done
	[ -n "$args" ] || fail "evm_check: no sha1 or sha256 bank"
	echo "+ evmctl ima_measurement -v$args $VTFS/binary_runtime_measurements"
	evmctl ima_measurement -v $args $VTFS/binary_runtime_measurements \
		> /tmp/evmctl.out 2>&1 || { cat /tmp/evmctl.out; fail "evmctl ima_measurement"; }
	grep -q 'Matched per TPM bank calculated digest' /tmp/evmctl.out ||
		{ cat /tmp/evmctl.out; fail "evmctl did not match the TPM's PCRs"; }
	echo "ok: evmctl ima_measurement matched the TPM"
}

# entry_digest NAME: the d-ng hex digest of the entry named NAME.
entry_digest() {
	awk -v n="$1" '$5 == n { sub(/^[^:]*:/, "", $4); print $4 }' \
		$VTFS/ascii_runtime_measurements
}

# entry_index NAME: the position (from 0) of the entry named NAME.
entry_index() {
	awk -v n="$1" '$5 == n { print NR - 1 }' $VTFS/ascii_runtime_measurements
}

entry_count_named() {
	awk -v n="$1" '$5 == n' $VTFS/ascii_runtime_measurements | wc -l
}

# hexstr STRING: the bytes of STRING in lowercase hex.
hexstr() {
	printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
}

# ipl RC TEXT ARG...: run ima-policy-load ($IPL, which the test sets); expect
# exit RC and TEXT in its output.
ipl() {
	local want=$1 text=$2 out rc=0
	shift 2
	echo "+ ima-policy-load $*"
	out=$(sh $IPL "$@" 2>&1) || rc=$?
	[ -z "$out" ] || echo "$out"
	[ "$rc" = "$want" ] || fail "ima-policy-load $*: exit $rc, expected $want"
	case $out in
	*"$text"*) ;;
	*) fail "ima-policy-load $*: no '$text' in its output" ;;
	esac
}
