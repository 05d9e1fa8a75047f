"""Safe, stable names derived from the definition (operation ids, variables, files)."""
from __future__ import annotations

import hashlib
import keyword
import re

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def words(text: str) -> list[str]:
    """Split any text into ASCII words: "getPetByID" -> ["get", "Pet", "By", "ID"]."""
    ascii_only = re.sub(r"[^A-Za-z0-9]+", " ", text)
    out: list[str] = []
    for chunk in ascii_only.split():
        out.extend(_WORD.findall(chunk))
    return out


def snake(text: str, fallback: str = "operation") -> str:
    parts = [w.lower() for w in words(text)]
    name = "_".join(parts) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return name


def pascal(text: str, fallback: str = "Operation") -> str:
    parts = words(text)
    name = "".join(w[:1].upper() + w[1:] for w in parts) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    return name


def upper_snake(text: str, fallback: str = "VALUE") -> str:
    name = "_".join(w.upper() for w in words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    return name


def operation_id_from(method: str, path: str) -> str:
    """A stable id for an operation without operationId: GET /pets/{petId} -> get_pets_petId."""
    segments = []
    for seg in path.split("/"):
        seg = seg.strip()
        if not seg:
            continue
        seg = re.sub(r"[{}]", "", seg)
        seg = re.sub(r"[^A-Za-z0-9]+", "_", seg).strip("_")
        if seg:
            segments.append(seg)
    return "_".join([method.lower()] + segments) if segments else f"{method.lower()}_root"


_RESERVED_STEMS = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin|conout)")
# Words a file's stem must not be: Python keywords (the file could not be imported) and R's
# reserved words.
_RESERVED_WORDS = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset({
    "if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE", "NULL",
    "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "in"})
MAX_NAME = 80


def _reserved(name: str) -> bool:
    return bool(_RESERVED_STEMS.fullmatch(name)) or name in _RESERVED_WORDS or name.lower() in _RESERVED_WORDS


def safe_file_stem(name: str, suffix: str = "_op") -> str:
    """A name fit for a file stem and an identifier: not a Windows device name (con, nul,
    com1, ...), not a Python or R reserved word, and at most MAX_NAME characters (a long
    name keeps its start and gets a short hash of the whole, so it stays unique)."""
    if len(name) > MAX_NAME:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        name = name[: MAX_NAME - 9].rstrip("_") + ("_" if "_" in name else "") + digest
    return name + suffix if _reserved(name) else name


class UniqueNames:
    """Hands out names unique case-insensitively (safe on case-insensitive file systems)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, name: str, sep: str = "_") -> str:
        candidate = name
        n = 2
        while candidate.lower() in self._taken or _reserved(candidate):
            candidate = f"{name}{sep}{n}"
            n += 1
        self._taken.add(candidate.lower())
        return candidate
