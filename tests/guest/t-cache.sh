#!/bin/sh
# The file digest cache: a reload of an unchanged file skips hashing, a
# rewritten file (same inode, same size) is hashed again, and cache=0 turns
# it off.
# vm-run-args:
. /vtrust/tests/guest/lib.sh

vt_load
expect_eq cache on "$(vt_status cache)"
cp $MODS/vtt_0030.ko /tmp/m.ko
sleep 2		# older than the cache's settle time
run insmod /tmp/m.ko
run rmmod vtt_0030
run insmod /tmp/m.ko
expect_eq "cache hits after a reload" 1 "$(vt_status cache_hits)"
expect_eq "entries named /tmp/m.ko" 1 "$(entry_count_named /tmp/m.ko)"
run rmmod vtt_0030

# Same inode and size, other bytes: a new digest, never the cached one.
cat $MODS/vtt_0031.ko > /tmp/m.ko
run insmod /tmp/m.ko
expect_eq "entries named /tmp/m.ko" 2 "$(entry_count_named /tmp/m.ko)"
got=$(awk '$5 == "/tmp/m.ko" { sub(/^[^:]*:/, "", $4); print $4 }' \
	$VTFS/ascii_runtime_measurements | tail -n1)
expect_eq "digest after a rewrite" "$(sha256sum $MODS/vtt_0031.ko | cut -d' ' -f1)" "$got"
expect_eq "cache hits after a rewrite" 1 "$(vt_status cache_hits)"
run rmmod vtt_0031
vt_replay
evm_check
vt_unload

vt_load cache=0
expect_eq cache off "$(vt_status cache)"
run insmod $MODS/vtt_0032.ko
run rmmod vtt_0032
run insmod $MODS/vtt_0032.ko
expect_eq "cache hits with cache=0" 0 "$(vt_status cache_hits)"
expect_eq "repeats with cache=0" 1 "$(vt_status repeats)"
echo "PASS"
