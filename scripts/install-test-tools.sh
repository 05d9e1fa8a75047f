#!/usr/bin/env bash
# Installs everything the full test suite needs on a fresh Debian machine (run as root):
# Mono's C# compiler, R with httr2 and jsonlite, Node packages (Prism), and the Python package
# with its test dependencies (pinned by constraints.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

need_apt=0
for tool in mcs mono Rscript; do command -v "$tool" >/dev/null 2>&1 || need_apt=1; done
if [ "$need_apt" = 1 ] || ! Rscript -e 'library(httr2); library(jsonlite)' >/dev/null 2>&1 \
   || [ ! -e /usr/lib/mono/4.5/System.Net.Http.dll ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends \
    mono-mcs libmono-system-net-http4.0-cil r-base-core r-cran-httr2 r-cran-jsonlite
fi

if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Python: into the active virtual environment, else into .venv (created here), so that a
# system Python that refuses pip installs (Debian's "externally managed" one) works as well.
# Versions come from constraints.txt, so every machine tests the same libraries.
if [ -n "${VIRTUAL_ENV:-}" ]; then
  py=python3
else
  if ! [ -x .venv/bin/python ]; then
    if ! python3 -m venv .venv >/dev/null 2>&1; then
      rm -rf .venv
      $SUDO apt-get update -qq
      $SUDO apt-get install -y -qq --no-install-recommends python3-venv
      python3 -m venv .venv
    fi
  fi
  py=.venv/bin/python
fi
"$py" -m pip install --quiet --disable-pip-version-check -c constraints.txt '.[test]'
