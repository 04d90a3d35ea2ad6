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

# Firmware requests through the test module tests/modules/fw/vtfw.ko, loaded
# with kmod's insmod (one finit_module(2): busybox's would retry a refused
# load through init_module(2)).
FW=$VT/tests/modules/fw/vtfw.ko
KINSMOD=/usr/local/sbin/insmod

# fw MODE NAME: load vtfw.ko for one request of /lib/firmware/NAME (MODE
# direct or partial) and unload it; exit status of insmod, its stderr in
# /tmp/fw.err.
fw() {
	echo "+ insmod vtfw.ko mode=$1 name=$2"
	$KINSMOD $FW mode=$1 name=$2 2> /tmp/fw.err || { cat /tmp/fw.err; return 1; }
	rmmod vtfw
}

# fw_sysfs NAME FILE: a request of NAME, which is not in /lib/firmware,
# answered with FILE's bytes through the sysfs fallback loader (kernels with
# CONFIG_FW_LOADER_USER_HELPER: /sys/class/firmware). Exit status of
# insmod; vtfw is unloaded again.
fw_sysfs() {
	local d=/sys/class/firmware/$1 i pid rc=0
	$KINSMOD $FW name=$1 mode=sysfs 2> /tmp/fw.err &
	pid=$!
	for i in $(seq 100); do [ -e $d/loading ] && break; sleep 0.1; done
	[ -e $d/loading ] || fail "no $d"
	echo 1 > $d/loading
	cat "$2" > $d/data
	# the load happens at this write: a refusal fails it
	echo 0 2> /dev/null > $d/loading || echo "note: the write of 0 to $d/loading failed"
	wait $pid || rc=$?
	[ $rc != 0 ] || rmmod vtfw
	return $rc
}

# mk_keys N...: an RSA-2048 key kN.pem and its self-signed certificate
# cN.pem and cN.der (with a subject key identifier) in the current
# directory, for each N.
mk_keys() {
	local k
	cat > ossl.cnf <<'CNF'
[req]
distinguished_name = dn
x509_extensions = v3
prompt = no
[dn]
CN = vtrust test signing key
[v3]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
basicConstraints = critical,CA:FALSE
keyUsage = digitalSignature
CNF
	for k; do
		openssl req -config ossl.cnf -x509 -newkey rsa:2048 -nodes -days 2 \
			-keyout k$k.pem -out c$k.pem 2>/dev/null || fail "openssl req"
		openssl x509 -in c$k.pem -outform DER -out c$k.der || fail "openssl x509"
	done
}
