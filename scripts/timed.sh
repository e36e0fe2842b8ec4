#!/usr/bin/env bash
# Runs one part of a build and records how long it took: `timed.sh NAME COMMAND...`.
# Each part appends "NAME SECONDS STATUS" to $TIMINGS_FILE (when set) and prints "time: NAME N s".
set -uo pipefail
name="$1"; shift
start=$(date +%s)
"$@"
status=$?
elapsed=$(( $(date +%s) - start ))
echo "time: ${name} ${elapsed} s"
if [ -n "${TIMINGS_FILE:-}" ]; then echo "${name} ${elapsed} ${status}" >> "${TIMINGS_FILE}"; fi
exit "${status}"
