#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# vtrust with an SM3 PCR bank (a vTCM guest). swtpm has no SM3 bank, so the
# TPM here is tests/faketpm/faketpm, served to the kernel through vtpm_proxy
# with banks sha256 and sm3, extending with OpenSSL's SM3 (not vtrust's).
# Each bank's list is replayed twice, independently of vtrust: by faketpm
# --replay-list (OpenSSL EVP) and in shell (od, xxd, openssl dgst -sm3,
# busybox sha256sum), and compared with the PCR read through sysfs; for
# hash=sha256 and hash=sm3, the second load starting from the PCR values
# the first left (its vtrust-unload extend checked too). Then a TPM with a
# SHA3-256 bank, which vtrust cannot compute, must be refused.
# vm-run-args: --no-tpm --add tests/faketpm/faketpm
. /vtrust/tests/guest/lib.sh

FAKETPM=/extra/faketpm
[ -x $FAKETPM ] || fail "$FAKETPM missing (make -C tests/faketpm)"
openssl dgst -sm3 /dev/null > /dev/null 2>&1 || skip "openssl has no sm3"

SYS=/sys/class/tpm/tpm0

# pcr BANK N: PCR N of BANK through sysfs, lowercase hex.
pcr() {
	tr 'A-F' 'a-f' < $SYS/pcr-$1/$2
}

# dgst ALG: ALG digest of stdin, hex (SHA-256 with busybox: no process
# start of openssl, which is slow under TCG).
dgst() {
	case $1 in
	sha256) sha256sum | cut -d' ' -f1 ;;
	*) openssl dgst -$1 -r | cut -d' ' -f1 ;;
	esac
}

# extend ALG OLD DIGEST: ALG(OLD || DIGEST), all hex.
extend() {
	printf '%s%s' "$2" "$3" | xxd -r -p | dgst $1
}

# le32 HEX: R = the little-endian u32 whose 4 bytes HEX gives (no fork).
le32() {
	[ ${#1} -eq 8 ] || fail "shell replay: truncated list"
	R=$((0x${1:6:2}${1:4:2}${1:2:2}${1:0:2}))
}

# sh_replay FILE ALG SIZE PRIOR: replay a binary list (IMA layout, template
# digests of ALG with SIZE bytes) in shell; check every template digest,
# print the value PCR 11 gets from PRIOR. Offsets count hex digits; the
# substrings ${h:off:len} are busybox ash's (the guest's /bin/sh).
sh_replay() {
	local h alg=$2 d=$(($3 * 2)) v=$4 off=0 p dig o dlen calc n=0
	h=$(od -An -v -tx1 "$1" | tr -d ' \n')
	while [ $off -lt ${#h} ]; do
		le32 ${h:$off:8}
		p=$R
		dig=${h:$((off + 8)):$d}
		le32 ${h:$((off + 8 + d)):8}
		o=$((off + 16 + d + 2 * R))
		le32 ${h:$o:8}
		dlen=$R
		calc=$(echo ${h:$((o + 8)):$((2 * dlen))} | xxd -r -p | dgst $alg)
		[ "$calc" = "$dig" ] ||
			fail "shell replay: entry $n of $1: template digest $dig, $alg(template data) $calc"
		[ "$p" != 11 ] || v=$(extend $alg "$v" "$dig")
		off=$((o + 8 + 2 * dlen))
		n=$((n + 1))
	done
	[ $off -eq ${#h} ] || fail "shell replay: $1: truncated entry $n"
	echo "shell replay: $n entries of $1" >&2
	echo "$v"
}

# start_prior BANK: the start entry's prior= value for BANK.
start_prior() {
	head -n1 $VTFS/ascii_runtime_measurements | awk '{ print $6 }' |
		xxd -r -p | tr ' ,' '\n\n' | sed -n "s/^\(prior=\)\{0,1\}$1://p"
}

# check_bank BANK SIZE PRIOR: the bank's list, replayed twice from PRIOR,
# gives PCR 11 as sysfs reads it.
check_bank() {
	local b=$1 before after c s
	before=$(pcr $b 11)
	cp $VTFS/binary_runtime_measurements_$b /tmp/list.$b
	after=$(pcr $b 11)
	expect_eq "$b PCR 11 stable while copying the list" "$before" "$after"
	expect_eq "$b list: start entry's prior=" "$3" "$(start_prior $b)"
	c=$($FAKETPM --replay-list /tmp/list.$b --alg $b --prior-from-start) ||
		fail "faketpm --replay-list $b"
	expect_eq "$b PCR 11 = faketpm replay of the $b list" "$c" "$after"
	s=$(sh_replay /tmp/list.$b $b $2 $3)
	expect_eq "$b PCR 11 = shell replay of the $b list" "$s" "$after"
}

# unload_tdata ALG: the template data of the vtrust-unload entry (ima-ng)
# with content hash ALG, hex.
unload_tdata() {
	local dh len
	dh=$(printf vtrust-unload | dgst $1)
	len=$(( ${#1} + 2 + ${#dh} / 2 ))
	printf '%02x000000%s3a00%s0e000000%s00' $len "$(hexstr $1)" "$dh" \
		"$(hexstr vtrust-unload)"
}

# unload_check ALG: rmmod vtrust; each bank's PCR 11 must take one extend
# with the bank's digest of the vtrust-unload entry.
unload_check() {
	local td x256 xsm3
	td=$(unload_tdata $1)
	x256=$(pcr sha256 11)
	xsm3=$(pcr sm3 11)
	vt_unload
	expect_eq "sha256 PCR 11 after rmmod (hash=$1)" \
		"$(extend sha256 $x256 "$(echo $td | xxd -r -p | dgst sha256)")" \
		"$(pcr sha256 11)"
	expect_eq "sm3 PCR 11 after rmmod (hash=$1)" \
		"$(extend sm3 $xsm3 "$(echo $td | xxd -r -p | dgst sm3)")" \
		"$(pcr sm3 11)"
}

# --- the TPM -------------------------------------------------------------
run modprobe tpm_vtpm_proxy
echo "+ $FAKETPM --banks sha256,sm3 --pidfile /tmp/ft1.pid --log /tmp/ft1.log"
t0=$(cut -d' ' -f1 /proc/uptime)
dev=$($FAKETPM --banks sha256,sm3 --pidfile /tmp/ft1.pid --log /tmp/ft1.log) ||
	fail "faketpm did not start"
echo "faketpm: $dev registered (uptime $t0 -> $(cut -d' ' -f1 /proc/uptime))"
expect_eq "faketpm device" /dev/tpm0 "$dev"
expect_eq "banks in sysfs" "sha256 sm3" "$(echo $(tpm_banks))"
[ -d $SYS/pcr-sm3 ] || fail "no $SYS/pcr-sm3"
zero=$(printf '%064d' 0)
for b in sha256 sm3; do
	expect_eq "$b PCR 11 at start" $zero "$(pcr $b 11)"
done
expect_eq "hwrng" 16 "$(head -c 16 /dev/hwrng | wc -c)"
# tpm2-tools through the kernel's resource manager (/dev/tpmrm0)
expect_eq "tpm2_pcrread sm3_256:11" "0x$(printf '%064d' 0 | tr a-f A-F)" \
	"$(tpm2_pcrread sm3_256:11 | sed -n 's/^ *11 *: *//p')"
# A malformed command through /dev/tpm0 (a TPML_PCR_SELECTION of 5
# selections and no data) gets TPM_RC_INSUFFICIENT, and faketpm lives on.
exec 3<>/dev/tpm0
echo 80010000000e0000017e00000005 | xxd -r -p >&3
expect_eq "malformed PCR_Read response" "80010000000a000001da" \
	"$(od -An -tx1 -N10 <&3 | tr -d ' \n')"
exec 3>&-
kill -0 "$(cat /tmp/ft1.pid)" || fail "faketpm died"

# --- hash=sha256 (the default) --------------------------------------------
p256=$(pcr sha256 11)
psm3=$(pcr sm3 11)
vt_load
expect_eq tpm present "$(vt_status tpm)"
expect_eq mode measure "$(vt_status mode)"
expect_eq hash sha256 "$(vt_status hash)"
expect_eq banks "sha256 sm3" "$(vt_status banks)"
for i in 0160 0161 0162 0163 0164; do
	run insmod $MODS/vtt_$i.ko
	expect_eq "d-ng of vtt_$i" "$(sha256sum $MODS/vtt_$i.ko | cut -d' ' -f1)" \
		"$(entry_digest $MODS/vtt_$i.ko)"
done
[ "$(pcr sm3 11)" != $zero ] || fail "the SM3 bank was not extended"
check_bank sm3 32 $psm3
check_bank sha256 32 $p256
expect_eq "tpm2_pcrread sm3_256:11" "0x$(pcr sm3 11 | tr a-f A-F)" \
	"$(tpm2_pcrread sm3_256:11 | sed -n 's/^ *11 *: *//p')"
vt_replay
evm_check
expect_eq extend_errors 0 "$(vt_status extend_errors)"
unload_check sha256

# --- hash=sm3, from the PCR values the first load left --------------------
p256=$(pcr sha256 11)
psm3=$(pcr sm3 11)
vt_load hash=sm3
expect_eq hash sm3 "$(vt_status hash)"
expect_eq banks "sha256 sm3" "$(vt_status banks)"
for i in 0165 0166 0167 0168 0169; do
	run insmod $MODS/vtt_$i.ko
	expect_eq "d-ng of vtt_$i" "sm3:$(dgst sm3 < $MODS/vtt_$i.ko)" \
		"$(awk -v n=$MODS/vtt_$i.ko '$5 == n { print $4 }' $VTFS/ascii_runtime_measurements)"
done
check_bank sm3 32 $psm3
check_bank sha256 32 $p256
vt_replay_reloaded
expect_eq extend_errors 0 "$(vt_status extend_errors)"
unload_check sm3
# Errors faketpm answered: only the first TPM2_SelfTest (TPM_RC_INITIALIZE,
# before the kernel's TPM2_Startup) and the malformed command above.
grep ' rc 0x' /tmp/ft1.log | grep -v -e ' rc 0x100 ' -e ' rc 0x1da ' &&
	fail "faketpm answered a kernel command with an error"

# --- a bank vtrust cannot compute: SHA3-256 (TPM_ALG 0x0027) ----------------
pid=$(cat /tmp/ft1.pid)
run kill $pid
i=0
while [ -e $SYS ] || kill -0 $pid 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "tpm0 still there 10 s after faketpm was killed"
	sleep 0.1
done
echo "+ $FAKETPM --banks sha256,sha3-256 --pidfile /tmp/ft2.pid --log /tmp/ft2.log"
dev=$($FAKETPM --banks sha256,sha3-256 --pidfile /tmp/ft2.pid --log /tmp/ft2.log) ||
	fail "faketpm (sha3-256) did not start"
expect_eq "faketpm device" /dev/tpm0 "$dev"
expect_eq "banks in sysfs (the kernel has no pcr-sha3-256)" sha256 "$(echo $(tpm_banks))"
mark=$(dmesg | wc -l)
echo "+ insmod $VT/kernel/vtrust.ko (must fail)"
insmod $VT/kernel/vtrust.ko && fail "vtrust loaded with a SHA3-256 bank"
dmesg | tail -n +$((mark + 1))
dmesg | tail -n +$((mark + 1)) |
	grep -q 'vtrust: PCR bank with TPM algorithm 0x0027: vtrust cannot compute its digest' ||
	fail "dmesg does not name the SHA3-256 bank"
echo "ok: insmod refused, dmesg names bank 0x0027"
grep -q '^vtrust ' /proc/modules && fail "vtrust is loaded"
[ ! -e $VTFS ] || fail "$VTFS exists"
expect_eq "sha256 PCR 11 untouched" $zero "$(pcr sha256 11)"
run kill "$(cat /tmp/ft2.pid)"
echo "PASS"
