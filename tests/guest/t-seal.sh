#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Sealing: keys enrolled in .vtrust before the seal; after it, unsigned,
# wrongly signed and replayed updates are refused with nothing changed, a
# signed update is applied and logged, new keys are refused, and neither
# rmmod nor rmmod -f unloads vtrust. Updates name the instance they are
# for: one made for an earlier load (a reload, a reboot, another machine)
# is refused. An open list file keeps even an unsealed vtrust from a
# forced unload (no use-after-free).
# vm-run-args:
. /vtrust/tests/guest/lib.sh

cd /tmp
mk_keys 1 2

# be32 N: four bytes, big-endian.
be32() {
	printf "\\$(printf %03o $(($1 >> 24 & 255)))\\$(printf %03o $(($1 >> 16 & 255)))\\$(printf %03o $(($1 >> 8 & 255)))\\$(printf %03o $(($1 & 255)))"
}
# mkupdate OUT TARGET SEQ KEY BODYFILE [INSTANCE]: a signed update
# (kernel/seal.c) for this vtrust's instance, or INSTANCE.
mkupdate() {
	{ printf 'vtrust-update %s %s %s\n' $2 $3 ${6:-$(vt_status instance)}; cat $5; } > $1.content
	openssl smime -sign -nocerts -noattr -binary -md sha256 -in $1.content \
		-signer c$4.pem -inkey k$4.pem -outform DER -out $1.sig || fail "openssl smime"
	{ cat $1.content $1.sig; be32 $(wc -c < $1.sig); printf '~vtrust-update~\n'; } > $1
}
# write_update FILE: one write(2) of the whole file.
write_update() {
	dd if=$1 of=$VTFS/update bs=1M count=1 2>/dev/null
}

# An open list file keeps vtrust from a forced unload, sealed or not.
vt_load
exec 3< $VTFS/ascii_runtime_measurements
if rmmod -f vtrust 2>/dev/null; then fail "rmmod -f unloaded vtrust under an open list file"; fi
[ -e $VTFS/status ] || fail "vtrust is gone"
head -c 100 <&3 > /dev/null || fail "the open list file cannot be read"
exec 3<&-
echo "ok: an open list file keeps vtrust loaded, even against rmmod -f"

# An update made for this load applies; after a reload it is refused.
keyring=$(vt_status keyring)
run keyctl padd asymmetric "" $keyring < c1.der
printf 'measure func=MODULE_CHECK\n' > body0
mkupdate u0 policy 1 1 body0
old_instance=$(vt_status instance)
run write_update u0
expect_eq "seq before the reload" 1 "$(vt_status seq)"
vt_unload
vt_load
[ "$(vt_status instance)" != "$old_instance" ] || fail "the instance id did not change with the reload"
keyring=$(vt_status keyring)
run keyctl padd asymmetric "" $keyring < c1.der
if write_update u0; then fail "an update for an earlier instance was accepted"; fi
mkupdate u0b policy 1 1 body0 $old_instance
if write_update u0b; then fail "an update naming another instance was accepted"; fi
dmesg | grep -q "update rejected: made for instance $old_instance" || fail "no dmesg line for the refused update"
expect_eq "seq after refused updates" 0 "$(vt_status seq)"
echo "ok: updates for another instance are refused"
vt_unload

vt_load
keyring=$(vt_status keyring)
run keyctl padd asymmetric "" $keyring < c1.der
skid=$(openssl x509 -in c1.pem -noout -ext subjectKeyIdentifier | tail -n1 | tr -d ' :' | tr A-F a-f)
expect_eq "key event" 1 "$(entry_count_named key:.vtrust:$skid)"

run sh -c "echo seal > $VTFS/seal"
expect_eq sealed yes "$(vt_status sealed)"
policy=$(cat $VTFS/policy)

# Direct writes are refused once sealed.
if printf 'measure func=MODULE_CHECK\n' > $VTFS/policy 2>/dev/null; then fail "unsigned policy write accepted"; fi
if printf 'sha256:%064d\n' 0 > $VTFS/baseline 2>/dev/null; then fail "unsigned baseline write accepted"; fi
expect_eq "policy after unsigned writes" "$policy" "$(cat $VTFS/policy)"

printf 'measure func=MODULE_CHECK\nmeasure func=FIRMWARE_CHECK\n' > body1
# Unsigned: the content without a signature.
{ printf 'vtrust-update policy 1\n'; cat body1; } > unsigned
if write_update unsigned; then fail "an unsigned update was accepted"; fi
# Signed by a key that is not in .vtrust.
mkupdate u-other policy 1 2 body1
if write_update u-other; then fail "an update signed by another key was accepted"; fi
expect_eq "policy after refused updates" "$policy" "$(cat $VTFS/policy)"
# Signed by the enrolled key: applied and logged.
mkupdate u1 policy 1 1 body1
run write_update u1
expect_eq "policy after a signed update" "$(cat body1)" "$(cat $VTFS/policy)"
expect_eq seq 1 "$(vt_status seq)"
expect_eq "update event" "$(sha256sum u1.content | cut -d' ' -f1)" "$(entry_digest vtrust-update:policy:1)"
# Replayed: the same signed update again.
if write_update u1; then fail "a replayed update was accepted"; fi
expect_eq seq 1 "$(vt_status seq)"
# A tampered update: the signature no longer matches.
sed 's/FIRMWARE_CHECK/BPF_CHECK/' u1 > u1-tampered
sed -i 's/vtrust-update policy 1/vtrust-update policy 2/' u1-tampered
if write_update u1-tampered; then fail "a tampered update was accepted"; fi
# A signed baseline update.
printf 'sha256:%s\n' "$(sha256sum $MODS/vtt_0140.ko | cut -d' ' -f1)" > body2
mkupdate u2 baseline 2 1 body2
run write_update u2
expect_eq "baseline after a signed update" "entries: 1" "$(cat $VTFS/baseline)"

# The keyring is closed and the module stays.
if keyctl padd asymmetric "" $keyring < c2.der 2>/dev/null; then fail "a key was added after sealing"; fi
if rmmod vtrust 2>/dev/null; then fail "rmmod succeeded on a sealed vtrust"; fi
[ -e $VTFS/status ] || fail "vtrust is gone"
if rmmod -f vtrust 2>/dev/null; then fail "rmmod -f succeeded on a sealed vtrust"; fi
if /usr/local/sbin/rmmod -f vtrust 2>/dev/null; then fail "kmod's rmmod -f succeeded on a sealed vtrust"; fi
expect_eq "sealed after rmmod -f" yes "$(vt_status sealed)"
grep -q '^vtrust .* vtrust,' /proc/modules || fail "/proc/modules does not show the guard"
echo "ok: new keys, rmmod and rmmod -f refused"
vt_replay_here
echo "PASS"
