#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Guest side of bench/run enforce: the cost of enforcement per module load
# (appraise against the baseline) over measurement alone, with a baseline
# of 100 and of 100,000 digests. The same 100k-vs-100 difference bounds
# the cost of one lookup.
set -e
MODS=/vtrust/tests/modules/gen
VTFS=/sys/kernel/security/vtrust
N=${N:-40}
ROUNDS=${ROUNDS:-3}
mods() {
	for i in $(seq $1 $(($1 + N - 1))); do echo $MODS/vtt_$(printf %04d $i).ko; done
}
unload() {
	for f in "$@"; do n=${f##*/}; rmmod ${n%.ko}; done
}
# random_refs COUNT: COUNT random sha256 baseline lines.
random_refs() {
	head -c $(($1 * 32)) /dev/urandom | od -An -v -tx1 | tr -d ' \n' |
		fold -w 64 | sed 's/^/sha256:/'
}
cat $MODS/*.ko > /dev/null
insmod /vtrust/kernel/vtrust.ko

# Distinct modules per setup, so that every first load is new to vtrust.
for f in $(mods 0) $(mods 100) $(mods 200); do
	printf 'sha256:%s\n' "$(sha256sum $f | cut -d' ' -f1)"
done > /tmp/real
random_refs 100 > /tmp/small
set -- $(mods 0)
random_refs 100000 > /tmp/big
cat /tmp/small /tmp/real > $VTFS/baseline
/vtrust/tests/tools/modbench measure $ROUNDS "$@"
unload "$@"

printf 'measure\nappraise func=MODULE_CHECK appraise_type=baseline\n' > $VTFS/policy
set -- $(mods 100)
/vtrust/tests/tools/modbench enforce-100 $ROUNDS "$@"
unload "$@"

t0=$(date +%s)
head -n 50000 /tmp/big > /tmp/big1
tail -n 50000 /tmp/big > /tmp/big2
dd if=/tmp/big1 of=$VTFS/baseline bs=4M 2>/dev/null
dd if=/tmp/big2 of=$VTFS/baseline bs=4M 2>/dev/null
echo "baseline: $(cat $VTFS/baseline) (written in $(($(date +%s) - t0)) s)"
grep -E 'MemAvailable|Slab' /proc/meminfo
set -- $(mods 200)
/vtrust/tests/tools/modbench enforce-100k $ROUNDS "$@"
unload "$@"
