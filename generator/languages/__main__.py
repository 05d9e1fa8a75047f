"""``python3 -m generator.languages <what>``: what scripts ask the registry (stdlib only, so it
runs before the package's dependencies are installed).

- ``apt-packages``: the Debian packages every language's toolchain needs, one per line;
- ``probes``: one line per language with tools to check: ``<name>\t<shell test>``;
- ``names``: the languages, one per line.
"""
from __future__ import annotations

import sys

from . import REGISTRY, apt_packages


def main(argv: list[str]) -> int:
    what = argv[0] if argv else ""
    if what == "apt-packages":
        lines = apt_packages()
    elif what == "probes":
        lines = [f"{lang.name}\t{lang.toolchain.probe}" for lang in REGISTRY if lang.toolchain.probe]
    elif what == "names":
        lines = [lang.name for lang in REGISTRY]
    else:
        print("usage: python3 -m generator.languages apt-packages|probes|names", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
