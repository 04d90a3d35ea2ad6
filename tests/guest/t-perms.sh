#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Root-only files, and bad parameters refused before anything is extended.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

snapshot() {
	for b in $(tpm_banks); do pcr_value $b 11; done
}
before=$(snapshot)
for p in pcr=0 pcr=7 pcr=10 pcr=16 pcr=17 pcr=22 pcr=23 pcr=24 pcr=-1 pcr=abc hash=md5 hash= hash=sm3x list_max_kib=0 list_max_kib=2000000; do
	dmesg -c > /dev/null
	if insmod $VT/kernel/vtrust.ko $p 2> /tmp/insmod.err; then
		fail "insmod vtrust $p succeeded"
	fi
	msg=$(dmesg | grep -E 'vtrust: .*(pcr|hash|list_max_kib)' || true)
	[ -n "$msg" ] || { dmesg; fail "no dmesg line for $p"; }
	echo "ok: $p refused: $msg"
	[ ! -e $VTFS ] || fail "$VTFS exists after a refused load"
done
expect_eq "PCR 11 after refused loads" "$before" "$(snapshot)"

vt_load pcr=12
expect_eq pcr 12 "$(vt_status pcr)"
run insmod $MODS/vtt_0090.ko
vt_replay
for f in $VTFS/*; do
	if $VT/tests/tools/asuser 65534 cat $f > /dev/null 2>&1; then
		fail "uid 65534 can read $f"
	fi
	case ${f##*/} in
	status|policy|baseline) want=640 ;;
	seal|update) want=200 ;;
	*) want=440 ;;
	esac
	expect_eq "mode of $f" $want "$(stat -c %a $f)"
done
echo "ok: no file readable by uid 65534"
expect_eq "PCR 11 untouched with pcr=12" "$before" "$(snapshot)"
echo "PASS"
