#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run-fuzz.sh TARGET SECONDS [libFuzzer options...]
# Runs build/fuzz_TARGET for SECONDS from corpus/TARGET (read only: new
# inputs go to build/work/TARGET, crashes to build/artifacts/TARGET/), then
# prints one summary line. Exits non-zero if the fuzzer found a problem.
t=$1
secs=$2
shift 2
mkdir -p "build/work/$t" "build/artifacts/$t"
log="build/fuzz_$t.log"
"./build/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
	-artifact_prefix="build/artifacts/$t/" "$@" \
	"build/work/$t" "corpus/$t" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
if [ "$rc" -ne 0 ]; then
	tail -n 60 "$log"
	echo "fuzz_$t: FAILED (status $rc) after ${runs:-?} runs, see $log and build/artifacts/$t/"
	exit 1
fi
echo "fuzz_$t: ok, ${secs}s, $runs runs, $eps exec/s, $cov"
