#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The init_module(2) path: the event is named init_module:<name> and its
# digest covers the buffer that was passed in.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

vt_load
f=$MODS/vtt_0050.ko
run $VT/tests/tools/initmod $f
grep -q '^vtt_0050 ' /proc/modules || fail "vtt_0050 not loaded"
expect_eq "init_module entries" 1 "$(entry_count_named init_module:vtt_0050)"
expect_eq "init_module digest" "$(sha256sum $f | cut -d' ' -f1)" \
	"$(entry_digest init_module:vtt_0050)"

# finit_module(2) of another module, for comparison.
run insmod $MODS/vtt_0051.ko
expect_eq "finit_module digest" "$(sha256sum $MODS/vtt_0051.ko | cut -d' ' -f1)" \
	"$(entry_digest $MODS/vtt_0051.ko)"

# A buffer that is not an ELF module is refused by the kernel, after vtrust
# has recorded it: init_module:? (no .modinfo name).
head -c 4096 /dev/urandom > /tmp/junk.ko
if $VT/tests/tools/initmod /tmp/junk.ko; then fail "junk module loaded"; fi
expect_eq "junk entry" 1 "$(entry_count_named 'init_module:?')"
expect_eq "junk digest" "$(sha256sum /tmp/junk.ko | cut -d' ' -f1)" \
	"$(entry_digest 'init_module:?')"

vt_replay
evm_check
echo "PASS"
