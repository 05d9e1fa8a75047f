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
    location: str  # "<source>#<json pointer>", "<source>:<line>:<col>", or both: "<source>:<line>:<col> #<pointer>"
    message: str

    def format(self) -> str:
        return f"{self.level}: {self.location}: {self.message}"


# What --lenient does with a fault it can get past; strict mode's message names it.
LENIENT_SKIPS = "--lenient skips the operations that reach it and generates the others"
LENIENT_KEEPS_LAST = "--lenient keeps the last value, with a warning"


class SpecError(Exception):
    """Input that cannot be used at all: the CLI prints one line and exits 2.

    ``hint`` says how to get past it (e.g. that ``--lenient`` skips what it affects); it is
    printed after the message. ``recoverable``: lenient mode can get past this fault by
    skipping the operations that reach it (safety refusals are never recoverable).
    """

    def __init__(self, message: str, location: str = "", *, hint: str = "",
                 recoverable: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        self.recoverable = recoverable

    def format(self) -> str:
        text = f"{self.message} ({self.hint})" if self.hint else self.message
        return f"error: {self.location}: {text}" if self.location else f"error: {text}"

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.format()
