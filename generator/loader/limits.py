"""The bounds every definition is read within."""
from __future__ import annotations





MAX_BYTES = 64 * 1024 * 1024  # one file, and all files of one definition together
MAX_DEPTH = 200  # nesting of mappings and sequences
MAX_ALIASES = 10_000  # YAML alias uses in one file
MAX_ALIAS_NODES = 1_000_000  # nodes added by expanding YAML aliases in one file
MAX_EXTERNAL_FILES = 500
EXTERNAL_KEY = "x-samplegen-external"

STDIN_NAME = "<stdin>"
