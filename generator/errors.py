"""Errors and diagnostics shared by every stage of the pipeline."""
from __future__ import annotations

from dataclasses import dataclass


def pointer(*parts: object) -> str:
    """Build a JSON pointer (RFC 6901) from path parts: pointer("paths", "/a/b", "get")."""
    out = ""
    for part in parts:
        out += "/" + str(part).replace("~", "~0").replace("/", "~1")
    return out or "/"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A finding about the input, carried as a value (never raised from deep inside)."""

    level: str  # "error" | "warning" | "info"
    location: str  # "<source>#<json pointer>" or "<source>:<line>:<col>"
    message: str

    def format(self) -> str:
        return f"{self.level}: {self.location}: {self.message}"


class SpecError(Exception):
    """Input that cannot be used at all: the CLI prints one line and exits 2."""

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def format(self) -> str:
        return f"error: {self.location}: {self.message}" if self.location else f"error: {self.message}"

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.format()
