#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Event names as IMA writes them (review F11): the absolute path, not the
# one relative to a chroot, with no " (deleted)" suffix; a memfd's own name;
# spaces turned into '_'; control characters and backslashes escaped as
# \xHH, so that a file name cannot inject a line into the ascii list; also
# in names from unverified input (init_module images, resident modules). Where
# IMA measures the same load ("measure func=MODULE_CHECK template=ima-ng"),
# its entry has the same template digest, digest and name as vtrust's.
# IMA takes one policy per boot: this test owns the boot's IMA policy.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

IMAFS=/sys/kernel/security/ima
ASCII=$VTFS/ascii_runtime_measurements
KINSMOD=/usr/local/sbin/insmod	# kmod: finit_module(2) only
FDMOD=$VT/tests/tools/fdmod
sha() { sha256sum < "$1" | cut -d' ' -f1; }

# A copy of test module N; its name stays vtt_N.
mod() { cp $MODS/vtt_$1.ko "$2"; }

# digest_of NAME: the digest of vtrust's entry NAME (lib.sh's entry_digest
# passes NAME through awk -v, which would undo its backslash escapes).
digest_of() {
	N=$1 awk '$5 == ENVIRON["N"] { sub(/^[^:]*:/, "", $4); print $4 }' $ASCII
}

count_of() {
	N=$1 awk '$5 == ENVIRON["N"]' $ASCII | wc -l
}

# same_as_ima NAME: vtrust's entry NAME (fields 2-5: template digest,
# template, digest, name) is IMA's.
same_as_ima() {
	local v i
	v=$(N=$1 awk '$5 == ENVIRON["N"] { print $2, $3, $4, $5 }' $ASCII)
	i=$(N=$1 awk '$5 == ENVIRON["N"] { print $2, $3, $4, $5 }' \
		$IMAFS/ascii_runtime_measurements)
	[ -n "$v" ] || fail "no vtrust entry named $1"
	expect_eq "IMA's entry for $1" "$v" "$i"
}

# A line break in a name must not add a line to the ascii list.
lines_match_count() {
	expect_eq "ascii lines = runtime_measurements_count" "$(vt_count)" \
		"$(wc -l < $ASCII)"
}

printf 'measure func=MODULE_CHECK template=ima-ng\n' > /tmp/ima.policy
echo /tmp/ima.policy > $IMAFS/policy || fail "cannot load IMA's policy"
vt_load

# A space: '_' as in IMA's n-ng field.
mod 0200 "/tmp/a b.ko"
run $KINSMOD "/tmp/a b.ko"
expect_eq "/tmp/a b.ko logged as /tmp/a_b.ko" "$(sha "/tmp/a b.ko")" \
	"$(digest_of /tmp/a_b.ko)"
same_as_ima /tmp/a_b.ko

# A chroot: the path from the real root, not from the chroot.
mkdir -p /tmp/cr
cp /bin/busybox /tmp/cr/busybox
mod 0201 /tmp/cr/m201.ko
run chroot /tmp/cr /busybox insmod /m201.ko
expect_eq "chroot" "$(sha /tmp/cr/m201.ko)" "$(digest_of /tmp/cr/m201.ko)"
expect_eq "no entry relative to the chroot" 0 "$(count_of /m201.ko)"
same_as_ima /tmp/cr/m201.ko

# Another mount namespace, chrooted into a tmpfs mounted there: the path
# from that namespace's root.
mkdir -p /tmp/ns
mod 0202 /tmp/m202.ko
run unshare -m sh -c 'mount -t tmpfs none /tmp/ns && cp /bin/busybox /tmp/m202.ko /tmp/ns/ &&
	chroot /tmp/ns /busybox insmod /m202.ko' || fail "load in a mount namespace"
expect_eq "mount namespace" "$(sha /tmp/m202.ko)" "$(digest_of /tmp/ns/m202.ko)"
same_as_ima /tmp/ns/m202.ko

# An unlinked file: its path, without d_path()'s " (deleted)".
mod 0203 /tmp/m203.ko
want=$(sha /tmp/m203.ko)
run $FDMOD --unlink /tmp/m203.ko
expect_eq "unlinked file" "$want" "$(digest_of /tmp/m203.ko)"
same_as_ima /tmp/m203.ko

# A memfd: in no mount namespace, named by its dentry as IMA does.
mod 0204 /tmp/m204.ko
run $FDMOD --memfd vtmemfd /tmp/m204.ko
expect_eq "memfd" "$(sha /tmp/m204.ko)" "$(digest_of memfd:vtmemfd)"
same_as_ima memfd:vtmemfd

# A newline: escaped, so no injected line.
nl='
'
f="/tmp/x${nl}11 00 ima-ng sha256:00 /lib/good.ko"
mkdir -p "${f%/*}"
mod 0205 "$f"
run $KINSMOD "$f"
expect_eq "newline escaped" "$(sha "$f")" \
	"$(digest_of '/tmp/x\x0a11_00_ima-ng_sha256:00_/lib/good.ko')"
expect_eq "no injected /lib/good.ko entry" 0 "$(count_of /lib/good.ko)"
lines_match_count

# A backslash and other control characters: a backslash always starts
# an escape.
f=$(printf '/tmp/b\\x41\tc\033.ko')
mod 0206 "$f"
run $KINSMOD "$f"
expect_eq "backslash, tab, escape" "$(sha "$f")" \
	"$(digest_of '/tmp/b\x5cx41\x09c\x1b.ko')"

# init_module(2): the name comes from the image's .modinfo, unverified.
# Same-length names patched into a copy (as tests/modules/Makefile does;
# busybox sed keeps binary data).
sed 's/vtt_0207/v t_0207/g' $MODS/vtt_0207.ko > /tmp/sp.ko
sed 's/vtt_0208/v\nt_0208/g' $MODS/vtt_0208.ko > /tmp/nl.ko
cmp -s /tmp/sp.ko $MODS/vtt_0207.ko && fail "sed did not patch vtt_0207"
$VT/tests/tools/initmod /tmp/sp.ko || true
$VT/tests/tools/initmod /tmp/nl.ko || true
expect_eq "init_module name with a space" "$(sha /tmp/sp.ko)" \
	"$(digest_of init_module:v_t_0207)"
expect_eq "init_module name with a newline" "$(sha /tmp/nl.ko)" \
	"$(digest_of 'init_module:v\x0at_0208')"
lines_match_count
vt_replay
evm_check

# The kernel keeps such names: after a reload of vtrust, the resident
# entries are escaped too.
vt_unload
vt_load
for m in "v t_0207:resident:v_t_0207" "v${nl}t_0208:resident:v\x0at_0208"; do
	if [ -d "/sys/module/${m%%:*}" ]; then
		expect_eq "resident ${m#*:}" 1 "$(count_of "${m#*:}")"
	else
		echo "note: the kernel did not load module ${m%%:*}"
	fi
done
lines_match_count
vt_replay_reloaded
echo "PASS"
