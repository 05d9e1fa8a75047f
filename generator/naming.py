"""Safe, stable names derived from the definition (operation ids, variables, files)."""
from __future__ import annotations

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


def safe_file_stem(name: str, suffix: str = "_op") -> str:
    """Avoid the device names Windows reserves for files (con, nul, com1, ...)."""
    return name + suffix if _RESERVED_STEMS.fullmatch(name) else name


class UniqueNames:
    """Hands out names unique case-insensitively (safe on case-insensitive file systems)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, name: str, sep: str = "_") -> str:
        candidate = name
        n = 2
        while candidate.lower() in self._taken:
            candidate = f"{name}{sep}{n}"
            n += 1
        self._taken.add(candidate.lower())
        return candidate
