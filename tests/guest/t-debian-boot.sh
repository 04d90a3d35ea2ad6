#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real Debian 12 guest (scripts/vm-run --image debian, its disk image
# built and cached by scripts/debian-image): booted the way a cloud VM
# boots (OVMF, grub, Debian's kernel and initramfs, systemd), with swtpm
# as its TPM. Two boots of one machine (--disk):
#
#   1  --add FILE   PID 1 is systemd; /dev/tpmrm0 and the firmware's TPM
#                   event log exist; the kernel is Debian's 6.1; / is ext4
#                   on the virtio disk; the --add file is in /extra; writes
#                   a token to /root; exits 7, which must be vm-run's status
#   2               the token is still there, /extra is empty again; exit 0
#
# A host-side test (header below).
#
#   tests/guest/t-debian-boot.sh        (VM_KEEP=1 keeps the work directory)
#
# vm-run-args: --host
set -u

# guest check TOKEN | guest again TOKEN: the checks inside the guest; each
# failure is printed as "T-DEBIAN-BOOT: ..." and the status is then 1.
guest() {
	local what=$1 token=$2 bad=0 kver root drv
	no() { echo "T-DEBIAN-BOOT: $*"; bad=1; }
	if [ "$what" = again ]; then
		[ "$(cat /root/t-debian-boot.token 2>/dev/null)" = "$token" ] ||
			no "/root/t-debian-boot.token of the first boot is not there"
		[ -z "$(ls -A /extra)" ] || no "/extra still has: $(ls -A /extra)"
		[ $bad = 0 ] && echo "T-DEBIAN-BOOT: second boot ok"
		return $bad
	fi
	[ "$(cat /proc/1/comm)" = systemd ] || no "PID 1 is $(cat /proc/1/comm), not systemd"
	case $(readlink /proc/1/exe) in
	*/lib/systemd/systemd) ;;
	*) no "PID 1 runs $(readlink /proc/1/exe)" ;;
	esac
	[ -c /dev/tpmrm0 ] || no "no /dev/tpmrm0"
	[ -s /sys/kernel/security/tpm0/binary_bios_measurements ] ||
	[ "$(head -c 64 /sys/kernel/security/tpm0/binary_bios_measurements 2>/dev/null | wc -c)" = 64 ] ||
		no "no TPM event log in /sys/kernel/security/tpm0/binary_bios_measurements"
	kver=$(uname -r)
	[[ $kver =~ ^6\.1\.0-[0-9]+-amd64$ ]] || no "kernel $kver is not Debian's 6.1"
	grep -q 'Debian 6\.1\.' /proc/version || no "not Debian's kernel: $(cat /proc/version)"
	dpkg -S "/boot/vmlinuz-$kver" >/dev/null 2>&1 ||
		no "/boot/vmlinuz-$kver is not from a package"
	root="$(findmnt -n -o FSTYPE /) $(findmnt -n -o SOURCE /)"
	[ "$root" = "ext4 /dev/vda2" ] || no "/ is '$root', not ext4 on /dev/vda2"
	drv=$(basename "$(readlink -f /sys/block/vda/device/driver)")
	[ "$drv" = virtio_blk ] || no "/dev/vda's driver is '$drv', not virtio_blk"
	[ "$(hostname)" = vtrust-guest ] || no "hostname is $(hostname)"
	[ "$(cat /extra/t-debian-boot.add 2>/dev/null)" = "$token" ] ||
		no "the --add file is not /extra/t-debian-boot.add"
	echo "$token" > /root/t-debian-boot.token
	echo "T-DEBIAN-BOOT: systemd $(systemctl --version | head -n1 | cut -d' ' -f2)," \
		"kernel $kver, / $root, $(systemctl is-system-running)"
	[ $bad = 0 ] || return 1
	return 7
}

if [ "${1:-}" = guest ]; then
	shift
	guest "$@"
	exit
fi

# ---------------------------------------------------------------------------
# Host side

. "$(dirname "$0")/hostlib.sh" t-debian-boot
# The image boots its own kernel: nothing to do on another one.
case ${VM_RUN_KERNEL:-default} in
default) ;;
*) skip "the Debian image boots its own kernel (VM_RUN_KERNEL=$VM_RUN_KERNEL)" ;;
esac

# The image: built now if it is not cached (minutes), so that the boots
# below are timed alone.
start=$SECONDS
image=$("$top/scripts/debian-image") || fail "scripts/debian-image could not build the image"
say "image $image ($(du -m "$image" | cut -f1) MiB; $((SECONDS - start))s to get it)"

# What the image mode's options refuse: usage errors (status 2, a reason)
# before anything boots.
echo true > "$work/true.sh"
usage() {
	local why=$1 out rc
	shift
	out=$("$top/scripts/vm-run" "$@" "$work/true.sh" 2>&1)
	rc=$?
	[ "$rc" = 2 ] && grep -q -- "$why" <<<"$out" ||
		fail "vm-run $*: exit $rc, not 2 with '$why': $out"
}
usage '--secure-boot needs --image' --secure-boot
usage '--mok needs --secure-boot' --image debian --mok "$work/true.sh"
usage "--mok: '$work/none' is not a readable file" --image debian \
	--secure-boot --mok "$work/none"
echo "ok: --secure-boot and --mok refuse what they cannot do"

token=$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')
echo "$token" > "$work/t-debian-boot.add"

# boot STEP EXPECTED [vm-run options...] -- ARGS: one boot of the kept disk;
# vm-run's status must be EXPECTED.
boot() {
	local step=$1 want=$2 start vrc
	shift 2
	start=$SECONDS
	"$top/scripts/vm-run" --image debian --disk "$work/disk.qcow2" --timeout 300 \
		"$@" > "$work/$step.console" 2>&1
	vrc=$?
	say "boot $step: vm-run exit $vrc, $((SECONDS - start))s"
	grep '^T-DEBIAN-BOOT:' "$work/$step.console" | sed 's/^/    /'
	if [ "$vrc" != "$want" ]; then
		tail -n 40 "$work/$step.console"
		fail "boot $step: vm-run exited with $vrc, not $want"
	fi
	grep -q '^VM-RUN-SCRIPT-START' "$work/$step.console" ||
		fail "boot $step: no VM-RUN-SCRIPT-START on the console"
}

boot 1 7 --add "$work/t-debian-boot.add" -- "$top/tests/guest/t-debian-boot.sh" guest check "$token"
grep -q 'Welcome to GRUB' "$work/1.console" || fail "boot 1: grub did not boot it"
grep -q 'Welcome to .*Debian GNU/Linux 12' "$work/1.console" ||
	fail "boot 1: systemd did not greet Debian 12"
echo "ok: boot 1: systemd, TPM and its event log, Debian's 6.1 kernel, ext4 on virtio; status 7 came back"

boot 2 0 -- "$top/tests/guest/t-debian-boot.sh" guest again "$token"
echo "ok: boot 2: the first boot's file is on the kept disk"
echo PASS
