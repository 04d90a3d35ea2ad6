#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A TPM that reports one PCR bank algorithm several times (review F8): 8
# banks of 64-byte digests, the size that overflowed the old start entry
# buffer. vtrust must refuse it with a dmesg line naming the algorithm,
# extend nothing, and leave no BUG/KASAN/WARNING on the console (vm-run
# fails on those). The TPM is tests/faketpm/faketpm --duplicate-banks.
#
# The repeated algorithm is SHA3-512, which the kernel has no sysfs pcr-
# group for: 8 x sha512 cannot be tested in a guest because the kernel's own
# tpm_sysfs_add_device() (6.1) writes one group per known bank into
# chip->groups[3 + TPM_MAX_HASHES] and overflows it (and a known algorithm
# twice makes sysfs refuse the chip with a duplicate-name warning). So on
# these kernels F8's overflow cannot be reached through vtpm_proxy; the
# refusal is what this test pins down. The start entry's text for
# 8 x sha512 is covered by tests/kunit/startfmt_kunit.c.
# vm-run-args: --no-tpm --add tests/faketpm/faketpm
. /vtrust/tests/guest/lib.sh

FAKETPM=/extra/faketpm
[ -x $FAKETPM ] || fail "$FAKETPM missing (make -C tests/faketpm)"
SYS=/sys/class/tpm/tpm0
run modprobe tpm_vtpm_proxy

# start BANKS: a faketpm with BANKS; waits for tpm0.
start() {
	echo "+ $FAKETPM --duplicate-banks --banks $1"
	dev=$($FAKETPM --duplicate-banks --banks $1 --pidfile /tmp/ft.pid \
		--log /tmp/ft.log) || fail "faketpm did not start"
	expect_eq "faketpm device" /dev/tpm0 "$dev"
}

stop() {
	local pid i=0
	pid=$(cat /tmp/ft.pid)
	run kill $pid
	while [ -e $SYS ] || kill -0 $pid 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "tpm0 still there 10 s after faketpm was killed"
		sleep 0.1
	done
}

# refused ALGID: insmod fails, dmesg names ALGID twice, sha256 PCR 11 zero.
refused() {
	local mark
	mark=$(dmesg | wc -l)
	echo "+ insmod $VT/kernel/vtrust.ko (must fail)"
	insmod $VT/kernel/vtrust.ko && fail "vtrust loaded with duplicate banks"
	dmesg | tail -n +$((mark + 1))
	dmesg | tail -n +$((mark + 1)) |
		grep -q "vtrust: the TPM reports PCR bank algorithm $1 twice: refused" ||
		fail "dmesg does not name the repeated algorithm $1"
	grep -q '^vtrust ' /proc/modules && fail "vtrust is loaded"
	[ ! -e $VTFS ] || fail "$VTFS exists"
	expect_eq "sha256 PCR 11 untouched" $(printf '%064d' 0) \
		"$(tr 'A-F' 'a-f' < $SYS/pcr-sha256/11)"
	expect_eq "tpm2_pcrread sha256:11" "0x$(printf '%064d' 0)" \
		"$(tpm2_pcrread sha256:11 | sed -n 's/^ *11 *: *//p')"
}

# 8 banks: sha256 and 7 x SHA3-512 (0x0029, 64 bytes).
start sha256,sha3-512,sha3-512,sha3-512,sha3-512,sha3-512,sha3-512,sha3-512
expect_eq "banks in sysfs" sha256 "$(echo $(tpm_banks))"
refused 0x0029
stop

# Three banks, one algorithm twice: the duplicate is checked before any bank
# is mapped, so dmesg names it (not "vtrust cannot compute its digest").
start sha256,sha3-256,sha3-256
refused 0x0027
stop

# A TPM with distinct banks is still accepted.
start sha256
vt_load
expect_eq banks sha256 "$(vt_status banks)"
run insmod $MODS/vtt_0210.ko
expect_eq extend_errors 0 "$(vt_status extend_errors)"
vt_unload
stop
echo "PASS"
