#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Changed bytes are never taken for approved bytes (review F2): two ext4
# images, identical but for the data blocks of m.ko (an approved module in
# the first, another module of the same size in the second), are attached
# in turn to the same loop device. Same device, inode, generation, size,
# times and i_version: only the bytes differ. Under an appraise rule the
# second load is refused with a denied: entry naming the new digest, and
# the replay matches. (vtrust's old file digest cache took the second file
# for the first.)
#
# A host-side test: the images are made here with mkfs.ext4 and debugfs,
# then one guest boots with them, loop.ko and ext4.ko.
# vm-run-args: --host
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
kver=$("$top/scripts/default-kver" "${VM_RUN_KERNEL:-default}")
mods=/lib/modules/$kver/kernel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The test modules built for that kernel (make kernels, for a non-default one).
gen=$top/tests/modules/gen
[ "$kver" = "$("$top/scripts/default-kver")" ] ||
	gen=$top/build/kernels/$kver/tests/modules/gen
a=$gen/vtt_0010.ko
b=$gen/vtt_0011.ko
size=$(stat -c %s "$a" "$b" | sort -n | tail -n1)
# Both padded with zeros to the same size (the loader ignores the tail).
cp "$a" "$work/a.ko"; truncate -s "$size" "$work/a.ko"
cp "$b" "$work/b.ko"; truncate -s "$size" "$work/b.ko"
cmp -s "$work/a.ko" "$work/b.ko" && { echo "FAIL: a.ko and b.ko are equal"; exit 1; }

export E2FSPROGS_FAKE_TIME=1700000000
mkfs.ext4 -q -F -b 4096 -U 8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6 \
	-E hash_seed=8bcbe394-4f13-4144-be8e-5aa9ea2ce2f6 "$work/img1" 8M
debugfs -w -R "write $work/a.ko m.ko" "$work/img1" >/dev/null 2>&1
cp "$work/img1" "$work/img2"
# Overwrite m.ko's data blocks in the copy with b.ko's bytes.
blocks=$(debugfs -R "blocks m.ko" "$work/img1" 2>/dev/null)
[ -n "$blocks" ] || { echo "FAIL: no blocks for m.ko"; exit 1; }
i=0
for blk in $blocks; do
	dd if="$work/b.ko" of="$work/img2" bs=4096 skip=$i seek="$blk" count=1 \
		conv=notrunc status=none
	i=$((i + 1))
done
echo "m.ko in blocks: $blocks"
debugfs -R "stat m.ko" "$work/img1" 2>/dev/null | head -n 12 > "$work/stat1"
debugfs -R "stat m.ko" "$work/img2" 2>/dev/null | head -n 12 > "$work/stat2"
cmp -s "$work/stat1" "$work/stat2" || { echo "FAIL: the inodes differ"; exit 1; }
debugfs -R "dump m.ko $work/m2.ko" "$work/img2" >/dev/null 2>&1
cmp -s "$work/m2.ko" "$work/b.ko" || { echo "FAIL: img2's m.ko is not b.ko"; exit 1; }

adds=()
for m in drivers/block/loop lib/crc16 fs/mbcache fs/jbd2/jbd2 fs/ext4/ext4; do
	f=$(ls "$mods/$m.ko"* 2>/dev/null | head -n1)
	if [ -n "$f" ]; then
		adds+=(--add "$f")
	elif ! grep -q "^kernel/$m.ko" "/lib/modules/$kver/modules.builtin"; then
		echo "FAIL: no $m.ko for $kver"; exit 1
	fi
done
sha_a=$(sha256sum "$work/a.ko" | cut -d' ' -f1)
sha_b=$(sha256sum "$work/b.ko" | cut -d' ' -f1)

"$top/scripts/vm-run" --add "$work/img1" --add "$work/img2" "${adds[@]}" - \
	"$sha_a" "$sha_b" <<'GUEST'
. /vtrust/tests/guest/lib.sh
sha_a=$1 sha_b=$2
run modprobe crc32c || fail "modprobe crc32c"
for m in loop crc16 mbcache jbd2 ext4; do
	f=$(ls /extra/$m.ko* 2>/dev/null) || continue	# built in
	run /usr/local/sbin/insmod $f || fail "insmod $m"
done
vt_load
printf 'sha256:%s a\n' $sha_a > $VTFS/baseline
printf 'measure func=MODULE_CHECK\nappraise func=MODULE_CHECK appraise_type=baseline\n' > $VTFS/policy
mkdir -p /mnt
attach() {
	run losetup /dev/loop0 /extra/$1 || fail "losetup $1"
	run mount -t ext4 -o ro /dev/loop0 /mnt || fail "mount $1"
	stat -c 'dev=%d ino=%i size=%s mtime=%Y ctime=%Z' /mnt/m.ko
}
detach() {
	run umount /mnt
	run losetup -d /dev/loop0
	echo 3 > /proc/sys/vm/drop_caches
}
attach img1
run insmod /mnt/m.ko || fail "the approved module was refused"
run rmmod vtt_0010
detach
attach img2
denied=$(vt_status denied)
if insmod /mnt/m.ko 2> /tmp/err; then fail "the swapped module was loaded"; fi
cat /tmp/err
grep -q '^vtt_0011 ' /proc/modules && fail "vtt_0011 is live"
[ "$(vt_status denied)" -gt "$denied" ] || fail "denied not counted"
expect_eq "denied digest" $sha_b "$(entry_digest denied:/mnt/m.ko)"
expect_eq "m.ko entries" $sha_a "$(entry_digest /mnt/m.ko)"
detach
vt_replay
echo PASS
GUEST
