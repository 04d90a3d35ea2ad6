#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Every load path produces its documented event, with the digest of what
# was loaded, and the replay still matches every bank.
# vm-run-args: --add /usr/sbin/kexec --add /boot/vmlinuz-6.1.0-56-amd64
. /vtrust/tests/guest/lib.sh

sha() { sha256sum "$1" | cut -d' ' -f1; }
vt_load
mkdir -p /lib/firmware
fwdir=$(readlink -f /lib/firmware)	# the event names the real path
head -c 10000 /dev/urandom > $fwdir/vtrust-direct.bin
head -c 20000 /dev/urandom > $fwdir/vtrust-partial.bin
head -c 3000 /dev/urandom > /tmp/vtrust-sysfs.bin

# request_firmware(): the whole file, read by the kernel.
run insmod $FW name=vtrust-direct.bin mode=direct
run rmmod vtfw
expect_eq "firmware (direct)" "$(sha $fwdir/vtrust-direct.bin)" \
	"$(entry_digest $fwdir/vtrust-direct.bin)"
# A partial read never reaches the post-read hook: vtrust reads the file.
run insmod $FW name=vtrust-partial.bin mode=partial
run rmmod vtfw
expect_eq "firmware (partial)" "$(sha $fwdir/vtrust-partial.bin)" \
	"$(entry_digest $fwdir/vtrust-partial.bin)"
# The sysfs fallback loader: user space pushes the bytes.  Only kernels
# built with CONFIG_FW_LOADER_USER_HELPER have it (Debian's cloud kernel
# does not; there, no firmware class in sysfs).
if [ -d /sys/class/firmware ]; then
	fw_sysfs vtrust-sysfs.bin /tmp/vtrust-sysfs.bin || fail "vtfw mode=sysfs failed"
	expect_eq "firmware (sysfs fallback)" "$(sha /tmp/vtrust-sysfs.bin)" \
		"$(entry_digest firmware:blob)"
else
	echo "skip: firmware (sysfs fallback): not in this kernel"
fi

# kexec_file_load(2): the kernel image and the initramfs.
head -c 100000 /dev/urandom > /tmp/initrd.img
run /extra/kexec -s -l /extra/vmlinuz-6.1.0-56-amd64 --initrd=/tmp/initrd.img
expect_eq "kexec kernel" "$(sha /extra/vmlinuz-6.1.0-56-amd64)" \
	"$(entry_digest /extra/vmlinuz-6.1.0-56-amd64)"
expect_eq "kexec initramfs" "$(sha /tmp/initrd.img)" "$(entry_digest /tmp/initrd.img)"
run /extra/kexec -s -u
# kexec_load(2): an event that says it happened, unverifiable.
run /extra/kexec -c -l /extra/vmlinuz-6.1.0-56-amd64
expect_eq "kexec_load event" 1 "$(entry_count_named kexec_load:unverifiable)"
run /extra/kexec -u

# An IMA policy loaded by path.
printf 'measure func=MODULE_CHECK\n' > /tmp/ima.policy
echo /tmp/ima.policy > /sys/kernel/security/ima/policy
expect_eq "IMA policy file" "$(sha /tmp/ima.policy)" "$(entry_digest /tmp/ima.policy)"

# eBPF: the instructions as submitted, with the type and the name.
out=$($VT/tests/tools/bpfload --name vtprog)
echo "$out"
want=$(echo "$out" | sed -n 's/.*sha256=\([0-9a-f]*\).*/\1/p')
[ -n "$want" ] || fail "bpfload printed no digest"
expect_eq "bpf program" "$want" "$(entry_digest bpf:1:vtprog)"

vt_replay
evm_check
echo "PASS"
