#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# TPM failure modes (review F12, issue 7 item 10).
# With a TPM (swtpm): the TPM driver is unbound, so extends fail: a module
# load goes ahead (on_extend_error=log, the default), the failure is counted
# in status, and once the driver is bound again (a new chip) vtrust extends
# again and appends "extend-failed:<index>" for the entry the PCR lacks. The
# list, replayed in shell with sha256sum and skipping the marked entries,
# gives PCR 11 as sysfs reads it. With on_extend_error=refuse the load whose
# extend fails is refused and the module is not live.
# Without a TPM: require_tpm=1 refuses to load, with a dmesg line.
# vm-run-args:
# vm-run-args: --no-tpm
. /vtrust/tests/guest/lib.sh

SYS=/sys/class/tpm/tpm0

# dmesg_since MARK PATTERN: a dmesg line after line MARK matches PATTERN.
dmesg_since() {
	dmesg | tail -n +$(($1 + 1)) | grep -q "$2"
}

if [ ! -e $SYS ]; then
	mark=$(dmesg | wc -l)
	echo "+ insmod vtrust.ko require_tpm=1 (no TPM: must fail)"
	insmod $VT/kernel/vtrust.ko require_tpm=1 &&
		fail "vtrust loaded without a TPM and require_tpm=1"
	dmesg | tail -n +$((mark + 1))
	dmesg_since $mark 'vtrust: require_tpm=1: no TPM found, not loading' ||
		fail "no require_tpm line in dmesg"
	grep -q '^vtrust ' /proc/modules && fail "vtrust is loaded"
	[ ! -e $VTFS ] || fail "$VTFS exists"
	echo "ok: require_tpm=1 refused without a TPM"
	vt_load require_tpm=0
	expect_eq mode log-only "$(vt_status mode)"
	vt_unload
	echo "PASS"
	exit 0
fi

dev=$(readlink -f $SYS/device)
drv=$(readlink -f $dev/driver)
echo "TPM device ${dev##*/}, driver $drv"

unbind() {
	echo "+ echo ${dev##*/} > $drv/unbind"
	echo ${dev##*/} > $drv/unbind
	[ ! -e $SYS ] || fail "tpm0 still there after unbind"
}

# The new chip gets a new number while the old one is still referenced (by
# IMA and by vtrust), so SYS moves to it.
bind() {
	local i=0 t
	echo "+ echo ${dev##*/} > $drv/bind"
	echo ${dev##*/} > $drv/bind
	while :; do
		for t in /sys/class/tpm/tpm*; do
			[ -e $t/pcr-sha256/11 ] && break 2
		done
		i=$((i + 1))
		[ $i -lt 100 ] || fail "no TPM 10 s after bind"
		sleep 0.1
	done
	SYS=$t
	echo "the TPM is now $SYS"
}

# replay SKIP: PCR 11's sha256 value from the sha256 list, starting from the
# start entry's prior=, skipping entries named by extend-failed marks when
# SKIP is 1.
replay() {
	local list=$VTFS/ascii_runtime_measurements_sha256 v skip= n=0 p d name
	v=$(head -n1 $list | awk '{ print $6 }' | xxd -r -p | tr ' ,' '\n\n' |
		sed -n 's/^\(prior=\)\{0,1\}sha256://p')
	[ ${#v} -eq 64 ] || fail "no sha256 prior= in the start entry"
	[ "$1" = 1 ] &&
		skip=$(sed -n 's/.* extend-failed:\([0-9]*\)$/\1/p' $list | tr '\n' ' ')
	while read -r p d _ _ name _; do
		case " $skip " in *" $n "*) n=$((n + 1)); continue ;; esac
		[ "$p" = 11 ] && v=$(printf '%s%s' $v $d | xxd -r -p | sha256sum | cut -d' ' -f1)
		n=$((n + 1))
	done < $list
	echo $v
}

pcr11() {
	tr 'A-F' 'a-f' < $SYS/pcr-sha256/11
}

# check_mark NAME: the entry named NAME is marked, once, by an entry whose
# d-ng is sha256 of its name, and the marked replay gives PCR 11.
check_mark() {
	local i
	i=$(entry_index "$1")
	[ -n "$i" ] || fail "no entry $1"
	expect_eq "marks for $1 (entry $i)" 1 "$(entry_count_named extend-failed:$i)"
	expect_eq "d-ng of extend-failed:$i" \
		"$(printf extend-failed:$i | sha256sum | cut -d' ' -f1)" \
		"$(entry_digest extend-failed:$i)"
	expect_eq "PCR 11 = shell replay skipping marked entries" \
		"$(replay 1)" "$(pcr11)"
	[ "$(replay 0)" != "$(pcr11)" ] ||
		fail "the replay without skipping matches too: the mark is not needed"
	echo "ok: the replay needs the mark"
}

# --- on_extend_error=log (the default) ---------------------------------------
vt_load
run insmod $MODS/vtt_0200.ko
expect_eq extend_errors 0 "$(vt_status extend_errors)"
expect_eq "PCR 11 = shell replay" "$(replay 1)" "$(pcr11)"

unbind
run insmod $MODS/vtt_0201.ko || fail "insmod vtt_0201 failed with the TPM unbound (log mode)"
grep -q '^vtt_0201 ' /proc/modules || fail "vtt_0201 is not live"
expect_eq "extend_errors after a load without TPM" 1 "$(vt_status extend_errors)"
[ -n "$(entry_index $MODS/vtt_0201.ko)" ] || fail "vtt_0201 is not in the list"
bind
run insmod $MODS/vtt_0202.ko
expect_eq "extend_errors after rebind" 1 "$(vt_status extend_errors)"
expect_eq "tpm" present "$(vt_status tpm)"
check_mark $MODS/vtt_0201.ko
[ "$(entry_index extend-failed:$(entry_index $MODS/vtt_0201.ko))" -gt "$(entry_index $MODS/vtt_0202.ko)" ] ||
	fail "the mark precedes the first extend that succeeded"
vt_unload

# --- on_extend_error=refuse ---------------------------------------------------
vt_load on_extend_error=refuse
run insmod $MODS/vtt_0203.ko
unbind
mark=$(dmesg | wc -l)
echo "+ insmod vtt_0204.ko (TPM unbound, on_extend_error=refuse: must fail)"
insmod $MODS/vtt_0204.ko && fail "vtt_0204 loaded though its extend failed"
grep -q '^vtt_0204 ' /proc/modules && fail "vtt_0204 is live"
dmesg | tail -n +$((mark + 1))
dmesg_since $mark 'vtrust: PCR 11 extend failed' || fail "no extend failure in dmesg"
# busybox insmod tries finit_module, then init_module: two refused loads
expect_eq "extend_errors" 2 "$(vt_status extend_errors)"
bind
run insmod $MODS/vtt_0205.ko
grep -q '^vtt_0205 ' /proc/modules || fail "vtt_0205 is not live"
expect_eq "extend_errors after rebind" 2 "$(vt_status extend_errors)"
check_mark $MODS/vtt_0204.ko
check_mark init_module:vtt_0204
vt_unload
echo "PASS"
