#!/usr/bin/env bash
# Runs the whole test suite: unit, golden, CLI, packaging and the live tier (every sample
# compiled and run against a recording server and judged by Prism). Extra arguments go to pytest:
# `bash scripts/run-tests.sh -m "not live"` is the fast tier (no compiler, sample or server).
set -uo pipefail
cd "$(dirname "$0")/.."
# The environment scripts/install-test-tools.sh installed into: the active virtual
# environment, else .venv when it exists, else python3.
py=python3
if [ -z "${VIRTUAL_ENV:-}" ] && [ -x .venv/bin/python ]; then py=.venv/bin/python; fi
"$py" -m pytest "$@"
rc=$?
if [ "$rc" = 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$rc"
