"""Load a definition: one bounded entry point for every input.

``load_document`` reads a path or raw bytes, refuses anything that is not a sane JSON or
YAML text (size, encoding, nesting depth, YAML alias bombs, duplicate keys), checks the
Swagger/OpenAPI version, screens every ``$ref`` and bundles relative external files into
the document, so that everything downstream only ever sees local ``#/...`` references.

All problems raise :class:`~generator.errors.SpecError` with a one-line message and a
location: ``file.yaml:12:3`` for text-level problems, ``file.json:4:9 #/json/pointer`` for
structural ones. In lenient mode the faults that only some operations reach (broken
references, duplicate keys) are warnings instead (``Document.warnings``).

YAML is read with the YAML 1.2 core schema: ``yes``/``no``/``on``/``off`` and dates stay
strings, ``true``/``false``, integers, floats and ``null`` are typed; mapping keys are
always the key's text (``200:`` is the key ``"200"``).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Diagnostic, SpecError
from .limits import (EXTERNAL_KEY, MAX_ALIAS_NODES, MAX_ALIASES, MAX_BYTES, MAX_DEPTH, MAX_EXTERNAL_FILES,
                     STDIN_NAME)
from .checks import _clean, _kind, _spec_version
from .reading import _read_file, _too_large, decode_bytes, parse_bytes, parse_text
from .bundle import _Bundler

__all__ = ["EXTERNAL_KEY", "MAX_ALIASES", "MAX_ALIAS_NODES", "MAX_BYTES", "MAX_DEPTH", "MAX_EXTERNAL_FILES",
           "STDIN_NAME", "Document", "add_lines", "decode_bytes", "load_document", "parse_bytes", "parse_text"]


@dataclass
class Document:
    data: dict  # the parsed top-level mapping, external refs already bundled in
    sha256: str  # hex sha256 of the source bytes (of the main file)
    source: str  # display name: the path as the user gave it, or "<stdin>"
    base_dir: Path | None  # folder of the file (None for stdin/bytes)
    version: str  # "2.0", "3.0" or "3.1"
    warnings: list[Diagnostic] = field(default_factory=list)  # lenient: faults it got past (file#/pointer)
    text: str = field(default="", repr=False)  # the main file's text, to place pointers on lines

    def locate(self, locations: list[str]) -> dict[str, str]:
        """``source#/pointer`` locations of this document -> ``source:line:col #/pointer``."""
        return add_lines(self.text, self.source, locations)


def add_lines(text: str, source: str, locations: list[str]) -> dict[str, str]:
    """Map ``source#/pointer`` strings to ``source:line:col #/pointer`` (others are left out)."""
    from ..lines import locate

    head = source + "#"
    wanted = {loc: loc[len(head):] for loc in locations if loc.startswith(head)}
    if not wanted or not text:
        return {}
    places = locate(text, set(wanted.values()))
    out = {}
    for loc, ptr in wanted.items():
        if ptr in places:
            line, col = places[ptr]
            out[loc] = f"{source}:{line}:{col} #{ptr}"
    return out


def load_document(source: str | os.PathLike | bytes, *, name: str | None = None,
                  allow_external_refs: bool = False, lenient: bool = False,
                  max_bytes: int = MAX_BYTES) -> Document:
    """Read, parse, check and bundle one definition. Raise SpecError on any problem.

    ``lenient``: faults that only some operations reach (a ``$ref`` to nothing, a file that
    is not there, a ``$ref`` cycle, a duplicate key) are returned as ``warnings`` instead;
    the references are left to fail when followed, so that the normalizer skips the
    operations that reach them. Safety refusals (paths outside the folder, URLs, size,
    nesting, YAML alias bombs) stay errors. ``max_bytes`` bounds the definition's size.
    """
    warnings: list[Diagnostic] = []
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        display = _clean(name or STDIN_NAME)
        if len(raw) > max_bytes:
            raise SpecError(_too_large(len(raw), max_bytes), display)
        path = None
    else:
        path = os.fspath(source)
        display = _clean(name or path)
        raw = _read_file(path, display, max_bytes)
    digest = hashlib.sha256(raw).hexdigest()
    text = decode_bytes(raw, display)
    data = parse_text(text, display, warnings if lenient else None)
    if not isinstance(data, dict):
        raise SpecError(f"the top level must be a mapping (JSON object), found {_kind(data)}", display)
    try:
        version = _spec_version(data, display)
        base_dir = Path(os.path.abspath(path)).parent if path is not None else None
        _Bundler(data, display, path, allow_external_refs, len(raw), max_bytes,
                 warnings if lenient else None).run()
    except SpecError as exc:
        placed = add_lines(text, display, [exc.location])
        if placed:
            exc.location = placed[exc.location]
        raise
    return Document(data=data, sha256=digest, source=display, base_dir=base_dir, version=version,
                    warnings=warnings, text=text)
