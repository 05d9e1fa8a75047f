#!/usr/bin/env bash
# Installs everything the full test suite needs on a fresh Debian machine (run as root):
# Mono's C# compiler, R with httr2 and jsonlite, Node packages (Prism), and the Python package.
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

python3 -m pip install --quiet --disable-pip-version-check '.[test]'
