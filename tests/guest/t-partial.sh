#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Partial firmware reads (review F9): request_partial_firmware_into_buf()
# never hands vtrust the whole file, so vtrust hashes the file itself, in
# steps through a small buffer.
#   - The event has the digest of the whole file (sha256sum), for a file of
#     several hash steps and not a multiple of one.
#   - A file over 256 MiB (main's whole-file buffer limit) is measured too.
#   - Under "appraise func=FIRMWARE_CHECK appraise_type=baseline", a partial
#     read from 9p (the --state share) is refused with EACCES even though
#     its digest is in the baseline: 9p can serve vtrust's read and the
#     kernel's chunk read different bytes. It is logged as denied:<path>.
#     A direct read of the same file, and a partial read of the same bytes
#     from tmpfs, are accepted.
#   - Under "appraise func=FIRMWARE_CHECK appraise_type=sig" the same 9p
#     partial read is refused as denied:unstable-read:<path> although its
#     signature is good; a direct read of it loads.
#   - The same with hash=sha512 and hash=sm3.
# vm-run-args: --state build/state-t-partial --mem 1024
. /vtrust/tests/guest/lib.sh

sha() { sha256sum "$1" | cut -d' ' -f1; }

grep -q ' /var/lib/vtrust 9p ' /proc/mounts ||
	fail "/var/lib/vtrust is not 9p: $(grep ' /var/lib/vtrust ' /proc/mounts)"
vt_load
mkdir -p /lib/firmware
fwdir=$(readlink -f /lib/firmware)	# the event names the real path

# The whole file's digest: 3 MiB + 1 byte.
head -c 3145729 /dev/urandom > $fwdir/vt-part.bin
fw partial vt-part.bin || fail "partial read of vt-part.bin"
expect_eq "partial read: digest of the whole file" "$(sha $fwdir/vt-part.bin)" \
	"$(entry_digest $fwdir/vt-part.bin)"

# Over 256 MiB (sparse on tmpfs: no memory used).
mkdir -p /mnt/big
mount -t tmpfs -o size=400m none /mnt/big
truncate -s 300M /mnt/big/vt-big.bin
echo 1 >> /mnt/big/vt-big.bin
ln -sf /mnt/big/vt-big.bin $fwdir/vt-big.bin
fw partial vt-big.bin || fail "partial read of a 300 MiB file"
expect_eq "partial read of 300 MiB" "$(sha /mnt/big/vt-big.bin)" \
	"$(entry_digest /mnt/big/vt-big.bin)"
umount /mnt/big

# The same bytes on 9p and on tmpfs, both in the baseline.
head -c 100000 /dev/urandom > /var/lib/vtrust/vt-9p.bin
mkdir -p /mnt/t
mount -t tmpfs none /mnt/t
cp /var/lib/vtrust/vt-9p.bin /mnt/t/vt-tmpfs.bin
ln -sf /var/lib/vtrust/vt-9p.bin $fwdir/vt-9p.bin
ln -sf /mnt/t/vt-tmpfs.bin $fwdir/vt-tmpfs.bin
want=$(sha /var/lib/vtrust/vt-9p.bin)
printf 'sha256:%s\nsha256:%s\n' "$want" "$(sha $FW)" > $VTFS/baseline
printf 'measure\nappraise func=FIRMWARE_CHECK appraise_type=baseline\n' > $VTFS/policy

fw partial vt-9p.bin && fail "a partial read from 9p was accepted under an appraise rule"
grep -q 'error -13' /tmp/fw.err || dmesg | grep -q 'vtfw: partial vt-9p.bin: error -13' ||
	fail "partial read from 9p: not EACCES"
expect_eq "denied 9p partial read" "$want" "$(entry_digest denied:/var/lib/vtrust/vt-9p.bin)"
dmesg | grep 'partial read from 9p' || fail "no dmesg line naming 9p"

fw direct vt-9p.bin || fail "a direct read from 9p was refused"
expect_eq "direct read from 9p" "$want" "$(entry_digest /var/lib/vtrust/vt-9p.bin)"
fw partial vt-tmpfs.bin || fail "a partial read from tmpfs was refused"
expect_eq "partial read from tmpfs" "$want" "$(entry_digest /mnt/t/vt-tmpfs.bin)"
expect_eq "denied count" 1 "$(vt_status denied)"

# The same under a signature rule: a file signed by an enrolled key is
# refused on a partial read from 9p (unstable-read), and loads whole.
(cd /tmp && mk_keys 1)
run keyctl padd asymmetric "" "$(vt_status keyring)" < /tmp/c1.der
run $VTRUST sign --key /tmp/k1.pem --cert /tmp/c1.pem /var/lib/vtrust/vt-9p.bin
printf 'measure\nappraise func=FIRMWARE_CHECK appraise_type=sig\n' > $VTFS/policy
fw partial vt-9p.bin && fail "a partial read from 9p was accepted under a signature rule"
expect_eq "denied 9p partial read (sig)" "$want" \
	"$(entry_digest denied:unstable-read:/var/lib/vtrust/vt-9p.bin)"
fw direct vt-9p.bin || fail "a signed direct read from 9p was refused"
fw partial vt-tmpfs.bin && fail "an unsigned partial read from tmpfs was accepted"
expect_eq "denied tmpfs partial read (sig)" "$want" \
	"$(entry_digest denied:no-signature:/mnt/t/vt-tmpfs.bin)"

rm -f /var/lib/vtrust/vt-9p.bin /var/lib/vtrust/vt-9p.bin.p7s
vt_replay
evm_check

# The streaming hash with the other content digests: SHA-512 (crypto API)
# and SM3 (vtrust's own), against sha512sum and OpenSSL.
f=$fwdir/vt-part.bin
vt_unload
vt_load hash=sha512
fw partial vt-part.bin || fail "partial read with hash=sha512"
expect_eq "partial read, sha512" "sha512:$(sha512sum $f | cut -d' ' -f1)" \
	"$(awk -v n=$f '$5 == n { print $4 }' $VTFS/ascii_runtime_measurements)"
vt_unload
if openssl dgst -sm3 /dev/null > /dev/null 2>&1; then
	vt_load hash=sm3
	fw partial vt-part.bin || fail "partial read with hash=sm3"
	expect_eq "partial read, sm3" "sm3:$(openssl dgst -sm3 -r $f | cut -d' ' -f1)" \
		"$(awk -v n=$f '$5 == n { print $4 }' $VTFS/ascii_runtime_measurements)"
	vt_replay_reloaded
else
	echo "note: openssl has no sm3, SM3 not checked"
fi
echo "PASS"
