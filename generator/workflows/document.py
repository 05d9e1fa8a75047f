"""Reading an Arazzo 1.0 document: bounded like a definition, checked against the Arazzo
JSON Schema (``arazzo-1.0.schema.json``, written from the specification's text), its
``sourceDescriptions`` loaded by relative path from its own folder (URLs never fetched)."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, SpecError, pointer
from ..loader import MAX_BYTES, add_lines, decode_bytes, parse_text
from ..loader.checks import _clean
from ..loader.reading import _read_file

SCHEMA = Path(__file__).with_name("arazzo-1.0.schema.json")


@dataclass
class ArazzoDocument:
    data: dict
    source: str  # display name of the file
    base_dir: Path | None
    text: str = field(default="", repr=False)
    sha256: str = ""

    def where(self, *parts: object) -> str:
        return f"{self.source}#{pointer(*parts)}"

    def locate(self, locations: list[str]) -> dict[str, str]:
        return add_lines(self.text, self.source, locations)


class WorkflowsInvalid(SpecError):
    """The Arazzo document has problems (each one a located Diagnostic)."""

    closing = "the Arazzo document is not valid ({n} problem{s} above)"

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__(diagnostics[0].message, diagnostics[0].location)
        self.diagnostics = diagnostics


def read_document(source: str | os.PathLike | bytes, *, name: str | None = None,
                  max_bytes: int = MAX_BYTES) -> tuple[Any, str, str, bytes]:
    """Read and parse a file (or bytes): (data, text, display name, raw bytes)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
        display = _clean(name or "<stdin>")
    else:
        display = _clean(name or os.fspath(source))
        raw = _read_file(os.fspath(source), display, max_bytes)
    text = decode_bytes(raw, display)
    return parse_text(text, display), text, display, raw


def is_arazzo(data: Any) -> bool:
    return isinstance(data, dict) and "arazzo" in data and "openapi" not in data and "swagger" not in data


def open_document(source: str | os.PathLike | bytes, data: Any, text: str, display: str,
                  raw: bytes) -> ArazzoDocument:
    import hashlib

    if isinstance(source, (bytes, bytearray, memoryview)):
        raise SpecError("an Arazzo document must be read from a file: its sourceDescriptions are "
                        "found relative to its folder", display)
    base = Path(os.path.abspath(os.fspath(source))).parent
    doc = ArazzoDocument(data=data, source=display, base_dir=base, text=text,
                         sha256=hashlib.sha256(raw).hexdigest())
    found = schema_findings(doc)
    if found:
        raise WorkflowsInvalid(place(doc, found))
    return doc


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def schema_findings(doc: ArazzoDocument) -> list[Diagnostic]:
    """Every place the document breaks the Arazzo schema, one message each, in document order."""
    out = []
    for err in _validator().iter_errors(doc.data):
        path = list(err.instance_path)
        message = _clean(str(err.message), 160)
        out.append(Diagnostic("error", doc.where(*path), f"Arazzo schema: {message}"))
    return sorted(set(out), key=lambda d: (d.location, d.message))


def place(doc: ArazzoDocument, diags: list[Diagnostic]) -> list[Diagnostic]:
    placed = doc.locate([d.location for d in diags])
    return [Diagnostic(d.level, placed.get(d.location, d.location), d.message) for d in diags]


def source_path(doc: ArazzoDocument, index: int, url: str, allow_external: bool) -> str:
    """The file a sourceDescription's ``url`` names: a relative path inside the document's
    folder (``allow_external``: anywhere on disk); never a URL."""
    where = doc.where("sourceDescriptions", index, "url")
    if "://" in url or url.startswith("//"):
        raise SpecError(f"source description {url!r} is a URL: samplegen never fetches URLs; save the "
                        "definition beside the Arazzo document and name it by relative path", where)
    if url.startswith("file:"):
        url = url[5:]
    relative = url.split("#", 1)[0]
    assert doc.base_dir is not None
    full = os.path.normpath(os.path.join(doc.base_dir, relative))
    inside = os.path.commonpath([full, str(doc.base_dir)]) == str(doc.base_dir)
    if not inside and not allow_external:
        raise SpecError(f"source description {url!r} is outside the Arazzo document's folder "
                        "(--allow-external-refs allows it)", where)
    if not os.path.isfile(full):
        raise SpecError(f"source description {url!r}: no such file", where)
    return full
