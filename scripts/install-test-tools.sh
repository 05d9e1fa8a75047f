#!/usr/bin/env bash
# Installs everything the full test suite needs on a fresh Debian machine (run as root):
# every language's toolchain (from the language registry), Node packages (Prism), and the Python package
# with its test dependencies (pinned by constraints.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

# The Debian packages and the check of each language's tools come from the language registry
# (generator/languages; standard library only, so this runs before the pip install below).
probes=$(python3 -m generator.languages probes)
packages=$(python3 -m generator.languages apt-packages)
need_apt=0
while IFS="$(printf '\t')" read -r _name probe; do
  [ -n "$probe" ] || continue
  sh -c "$probe" >/dev/null 2>&1 || need_apt=1
done <<EOF_PROBES
$probes
EOF_PROBES
if [ "$need_apt" = 1 ]; then
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086  # one word per package
  $SUDO apt-get install -y -qq --no-install-recommends $packages
fi

# The docs HTML page is tested in Debian's headless chromium, driven by Selenium through
# chromium-driver (tests/test_docs_browser.py); no browser is downloaded.
if ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium chromium-driver
fi

if [ -f package-lock.json ]; then
  # Prism comes from npm; Debian's own nodejs package ships without it (NodeSource's has it)
  if ! command -v npm >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends npm
  fi
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
