#!/usr/bin/env bash
# Run the kit's tests N times in a row with both cores kept busy by two busy-loop processes.
# usage: tools/stress.sh REPO VENV N   (STRESS_TESTS="tests/test_x.py ..." narrows the tests)
set -u
repo=$1; venv=$2; n=${3:-10}
hogs=()
for i in 1 2; do python3 -c 'while True: pass' & hogs+=($!); done
trap 'kill ${hogs[@]} 2>/dev/null' EXIT
cd "$repo"
pass=0; fail=0
for i in $(seq 1 "$n"); do
  start=$(date +%s)
  if "$venv/bin/python" -m pytest -q ${STRESS_TESTS:-} > "/tmp/stress.$i.log" 2>&1; then
    pass=$((pass+1)); verdict=pass
  else
    fail=$((fail+1)); verdict=FAIL
  fi
  echo "run $i: $verdict in $(( $(date +%s) - start )) s: $(tail -1 /tmp/stress.$i.log)"
done
echo "passed $pass of $n runs (failed $fail)"
