#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Coverage (review F4, F10): module parameters, the kexec command line,
# keys added to the kernel's trust keyrings, appraise rules with file
# conditions for init_module(2) buffers, and the optional hooks' status.
# vm-run-args: --add /usr/sbin/kexec --add /boot/vmlinuz-6.1.0-56-amd64
. /vtrust/tests/guest/lib.sh

sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
# buf_of NAME: the buf field (hex) of the ima-buf entry named NAME.
buf_of() {
	awk -v n="$1" '$5 == n { print $6 }' $VTFS/ascii_runtime_measurements
}

vt_load
expect_eq "unhooked" "" "$(vt_status unhooked)"

# Module parameters: an ima-buf entry holding them, before the module runs.
# kmod's insmod passes its arguments to the kernel exactly as given.
run /usr/local/sbin/insmod $MODS/vtt_0050.ko foo=bar baz=1
buf_of modparams:vtt_0050
expect_eq "modparams buf" "$(hexstr 'foo=bar baz=1')" "$(buf_of modparams:vtt_0050)"
expect_eq "modparams digest" "$(sha 'foo=bar baz=1')" "$(entry_digest modparams:vtt_0050)"
run insmod $MODS/vtt_0051.ko
expect_eq "modparams entries without parameters" 0 "$(entry_count_named modparams:vtt_0051)"

# The kexec command line, as IMA's KEXEC_CMDLINE.
kernel=$(ls /extra/vmlinuz-*)
cmdline="console=ttyS0 init=/bin/sh module_blacklist=vtrust"
run /extra/kexec -s -l $kernel --append="$cmdline"
expect_eq "kexec-cmdline buf" "$(hexstr "$cmdline")" "$(buf_of kexec-cmdline)"
expect_eq "kexec-cmdline digest" "$(sha "$cmdline")" "$(entry_digest kexec-cmdline)"
run /extra/kexec -s -u
vt_replay

# A key in .secondary_trusted_keys: root cannot add one from user space
# without a key signed by the kernel's built-in key, so the test module
# vtkey.ko adds it as the kernel would. Its entry's digest is the DER's.
cd /tmp
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=vtrust key test" \
	-keyout k.pem -outform DER -out c.der 2>/dev/null || fail "openssl req"
run insmod $VT/tests/modules/key/vtkey.ko cert=/tmp/c.der
name=$(awk '$5 ~ /^key:\.secondary_trusted_keys:/ { print $5 }' $VTFS/ascii_runtime_measurements)
echo "key entry: $name"
case $name in
key:.secondary_trusted_keys:vtrust_key_test:_*) ;;
*) fail "no key:.secondary_trusted_keys: entry for the new key" ;;
esac
expect_eq "key digest" "$(sha256sum c.der | cut -d' ' -f1)" "$(entry_digest "$name")"
cd /
vt_replay

# An appraise rule with a file condition fails closed for a buffer load:
# init_module(2) has no file, so its fsuuid is unknown and it is appraised.
uuid=$(cat /proc/sys/kernel/random/uuid)
printf 'measure func=MODULE_CHECK\nappraise func=MODULE_CHECK fsuuid=%s appraise_type=baseline\n' $uuid > $VTFS/policy
if $VT/tests/tools/initmod $MODS/vtt_0052.ko 2>/dev/null; then
	fail "init_module(2) escaped an appraise rule with a file condition"
fi
grep -q '^vtt_0052 ' /proc/modules && fail "vtt_0052 is live"
expect_eq "denied init_module" 1 "$(entry_count_named denied:init_module:vtt_0052)"
# A file load on another filesystem is not appraised by that rule.
run insmod $MODS/vtt_0053.ko
vt_replay
echo PASS
