#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The start entry (docs/FORMATS.md, "Start entry", version 2) checked against
# sources independent of vtrust: the instance id against status, the policy
# digest against sha256sum/openssl of the policy file, the parameters against
# the insmod command line and /sys/module/vtrust/parameters, the boot
# aggregate against PCRs 0-9 read through sysfs, prior= against PCR 11 read
# before insmod, and the entry's d-ng against sha256sum of its buf. A bad
# on_extend_error= is refused with a dmesg line naming it.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

SYS=/sys/class/tpm/tpm0

lower() {
	tr 'A-F' 'a-f'
}

# start_text: the start entry's buf as text.
start_text() {
	head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $6 }' |
		xxd -r -p
}

# kv KEY: the value of KEY= in the start entry.
kv() {
	start_text | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# dgst ALG: ALG digest of stdin, hex.
dgst() {
	case $1 in
	sha256) sha256sum | cut -d' ' -f1 ;;
	*) openssl dgst -$1 -r | cut -d' ' -f1 ;;
	esac
}

# aggregate ALG: ALG over PCRs 0-9 of bank ALG, as sysfs gives them.
aggregate() {
	local n
	for n in 0 1 2 3 4 5 6 7 8 9; do
		pcr_value $1 $n
	done | tr -d '\n' | xxd -r -p | dgst $1
}

# check_start HASH POLICY REQUIRE ONERR PRIOR: the start entry of the loaded
# vtrust; PRIOR is "bank:hex,..." of PCR 11 read before insmod.
check_start() {
	local text pcr
	text=$(start_text)
	echo "start entry: $text"
	pcr=$(vt_status pcr)
	expect_eq "entry name" vtrust-start \
		"$(head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $5 }')"
	expect_eq "first word" vtrust-start "${text%% *}"
	expect_eq version 2 "$(kv version)"
	expect_eq pcr "$pcr" "$(kv pcr)"
	expect_eq "instance = status instance" "$(vt_status instance)" \
		"$(kv instance)"
	expect_eq "instance: 32 hex digits" 32 "$(kv instance | tr -cd 0-9a-f | wc -c)"
	# The kernel's own word on its lockdown level: "[none] integrity ...".
	expect_eq "lockdown = the kernel's" \
		"$(sed -n 's/.*\[\([a-z]*\)\].*/\1/p' /sys/kernel/security/lockdown)" \
		"$(kv lockdown)"
	expect_eq "lockdown = status lockdown" "$(vt_status lockdown)" "$(kv lockdown)"
	expect_eq "policy_digest = $1 of the policy file" \
		"$1:$(dgst $1 < $VTFS/policy)" "$(kv policy_digest)"
	expect_eq "aggregate = $1 over sysfs PCRs 0-9" \
		"$1:$(aggregate $1 | lower)" "$(kv aggregate)"
	expect_eq "prior = PCR $pcr before insmod" "$5" "$(kv prior)"
	expect_eq param.pcr "$(cat /sys/module/vtrust/parameters/pcr)" \
		"$(kv param.pcr)"
	expect_eq param.hash "$1" "$(kv param.hash)"
	expect_eq param.policy "$2" "$(kv param.policy)"
	expect_eq param.require_tpm "$3" "$(kv param.require_tpm)"
	expect_eq param.on_extend_error "$4" "$(kv param.on_extend_error)"
	expect_eq "sysfs on_extend_error" "$4" \
		"$(cat /sys/module/vtrust/parameters/on_extend_error)"
	expect_eq "start entry d-ng = $1 of its buf" \
		"$1:$(start_text | dgst $1)" \
		"$(head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $4 }')"
	# The userspace parser still reads it, and the list replays.
	vt_replay_here
}

# prior PCR: "bank:hex,..." of PCR in every bank, in the order of $banks
# (status order).
prior() {
	local b out=
	for b in $banks; do
		out="$out${out:+,}$b:$(pcr_value $b $1 | lower)"
	done
	echo "$out"
}

[ -e $SYS ] || fail "no TPM"

# --- defaults --------------------------------------------------------------
p0=$(for b in $(tpm_banks); do pcr_value $b 11; done)
vt_load
pcr=$(vt_status pcr)
# banks in status order: the order of prior=
want=
for b in $(vt_status banks); do
	want="$want${want:+,}$b:$(printf '%0*d' $(($(pcr_value $b 0 | wc -c) - 1)) 0)"
done
expect_eq "PCR $pcr was zero before the first insmod" \
	"$(echo $p0 | tr -d ' 0')" ""
check_start sha256 default 0 log "$want"
id1=$(vt_status instance)
banks=$(vt_status banks)
vt_unload

# --- every parameter changed -------------------------------------------------
want=$(prior $pcr)
vt_load hash=sha384 policy=modules require_tpm=1 on_extend_error=refuse
check_start sha384 modules 1 refuse "$want"
[ "$(vt_status instance)" != "$id1" ] || fail "the instance id did not change"
echo "ok: a new instance id at every insmod"
vt_unload

# --- a bad on_extend_error= -------------------------------------------------
mark=$(dmesg | wc -l)
echo "+ insmod vtrust.ko on_extend_error=ignore (must fail)"
insmod $VT/kernel/vtrust.ko on_extend_error=ignore &&
	fail "vtrust loaded with on_extend_error=ignore"
dmesg | tail -n +$((mark + 1))
dmesg | tail -n +$((mark + 1)) |
	grep -q 'vtrust: on_extend_error=ignore: must be log or refuse' ||
	fail "dmesg does not name on_extend_error="
grep -q '^vtrust ' /proc/modules && fail "vtrust is loaded"
echo "PASS"
