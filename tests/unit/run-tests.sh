#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the unit test programs given as arguments and sum their results into a
# last line "N passed, N failed". Each program prints
# "vtrust-unit-result: <tests> <failed> <skipped>" after cmocka's report; a
# program that dies before that line, or exits non-zero after it (a leak
# found at exit, say), counts one more failure.
passed=0
failed=0
skipped=0
for t in "$@"; do
	out=$(mktemp)
	"$t" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	res=$(grep '^vtrust-unit-result: ' "$out" | tail -n 1)
	rm -f "$out"
	if [ -z "$res" ]; then
		echo "$t: exited with status $rc before reporting a result"
		failed=$((failed + 1))
		continue
	fi
	set -- $res
	passed=$((passed + $2 - $3 - $4))
	failed=$((failed + $3))
	skipped=$((skipped + $4))
	if [ "$rc" -ne 0 ] && [ "$3" -eq 0 ]; then
		echo "$t: exited with status $rc"
		failed=$((failed + 1))
	fi
done
[ "$skipped" -ne 0 ] && echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
