#!/usr/bin/env bash
# Runs the whole test suite: unit, golden, CLI, packaging and the live tier (every sample
# compiled and run against a recording server and judged by Prism).
#
# With no arguments the two tiers run side by side, each in its own pytest process: the fast
# tier (`-m "not live"`, Python only) uses the processor time the live tier leaves while its
# samples and servers start; the live tier's report is printed after the fast tier's. Each
# has its own temporary folder, so neither can see the other's files. With arguments, one
# pytest runs with them: `bash scripts/run-tests.sh -m "not live"` is the fast tier alone.
# Exit status: 0 when every selected test passed; pytest's status otherwise, and 1 when a
# pytest collected no tests (its status 5).
set -uo pipefail
cd "$(dirname "$0")/.."
# The environment scripts/install-test-tools.sh installed into: the active virtual
# environment, else .venv when it exists, else python3.
py=python3
if [ -z "${VIRTUAL_ENV:-}" ] && [ -x .venv/bin/python ]; then py=.venv/bin/python; fi

status() {  # status NAME RC: pytest's exit status, with "no tests collected" made a failure
  if [ "$2" = 5 ]; then
    echo "error: pytest collected no tests ($1)" >&2
    return 1
  fi
  return "$2"
}

if [ "$#" -gt 0 ]; then
  "$py" -m pytest "$@"
  status "pytest $*" $?
  exit $?
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/samplegen-tests.XXXXXX")
live_pid=
stop() {
  if [ -n "$live_pid" ]; then kill "$live_pid" 2>/dev/null; wait "$live_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

"$py" -m pytest -m live -p no:cacheprovider --basetemp="$work/live" >"$work/live.log" 2>&1 &
live_pid=$!
echo "== fast tier (-m 'not live'); the live tier runs beside it and reports below"
"$py" -m pytest -m "not live" -p no:cacheprovider --basetemp="$work/fast"
status "fast tier" $?
fast=$?
wait "$live_pid"
live_rc=$?
live_pid=
echo
echo "== live tier (-m live)"
cat "$work/live.log"
status "live tier" "$live_rc"
live=$?
if [ "$fast" != 0 ]; then exit "$fast"; fi
exit "$live"
