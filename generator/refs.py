"""Local `$ref` resolution: iterative, memoized, cycle-aware.

Only document-local references (``#/...``) are resolved here; the loader has already
inlined or refused everything else.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .errors import SpecError, pointer

# A bundled stand-in for an external reference the loader could not follow (lenient mode):
# ``{UNRESOLVED_KEY: "why"}``. Following a reference to it fails with that reason.
UNRESOLVED_KEY = "x-samplegen-unresolved"


def split_pointer(ref: str) -> list[str]:
    """Turn ``#/a/b~1c`` into ``["a", "b/c"]``; raise on a malformed pointer."""
    return list(_split_pointer(ref))


@lru_cache(maxsize=4096)  # the references a definition repeats most
def _split_pointer(ref: str) -> tuple[str, ...]:
    if not ref.startswith("#"):
        raise SpecError(f"external $ref {ref!r} is not resolved here", "")
    frag = ref[1:]
    if frag == "":
        return ()
    if not frag.startswith("/"):
        raise SpecError(f"malformed JSON pointer in $ref {ref!r}: it must start with '#/'")
    if "~" in frag and _BAD_TILDE.search(frag):
        raise SpecError(f"malformed JSON pointer in $ref {ref!r}: '~' must be followed by 0 or 1")
    return tuple(_percent_decode(raw.replace("~1", "/").replace("~0", "~")) if "~" in raw else _percent_decode(raw)
                 for raw in frag[1:].split("/"))


_BAD_TILDE = re.compile(r"~(?![01])")


def walk(document: Any, parts: list[str]) -> tuple[bool, Any]:
    """The node at ``parts`` (a pointer split by ``split_pointer``) under ``document``:
    ``(True, node)``, or ``(False, None)`` when the pointer leads nowhere."""
    node = document
    for part in parts:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False, None
    return True, node


def _percent_decode(text: str) -> str:
    if "%" not in text:
        return text
    from urllib.parse import unquote

    return unquote(text)


class Resolver:
    """Resolves local references of one document.

    ``deref(node)`` follows a chain of ``$ref`` objects to the first node that is not a
    reference and returns it together with the JSON pointer it was found at. A chain that
    loops (``A -> B -> A``) raises SpecError; a schema that *contains* itself further down
    is fine, callers cut recursion themselves.

    Every reference that could not be followed (to nothing, a cycle, a malformed pointer)
    is also recorded in ``failures``, even when the caller catches the error: lenient mode
    skips the operations whose reading reached one.
    """

    def __init__(self, document: Any, source: str = "") -> None:
        self.document = document
        self.source = source
        self._cache: dict[str, tuple[Any, str]] = {}
        self.failures: list[SpecError] = []

    def lookup(self, ref: str, where: str = "") -> Any:
        found, node = walk(self.document, split_pointer(ref))
        if not found:
            raise SpecError(f"$ref {ref!r} points to nothing", self.at(where))
        return node

    def at(self, where: str) -> str:
        return f"{self.source}#{where}" if self.source else f"#{where}"

    def deref(self, node: Any, where: str = "") -> tuple[Any, str]:
        """Follow ``$ref`` chains iteratively; return (target, pointer_of_target)."""
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node, where
        try:
            return self._deref(node, where)
        except SpecError as exc:
            exc.recoverable = True
            if not exc.location:
                exc.location = self.at(where)
            self.failures.append(exc)
            raise

    def _deref(self, node: dict, where: str) -> tuple[Any, str]:
        first = node["$ref"]
        if first in self._cache:
            return self._cache[first]
        seen: list[str] = []
        current = node
        loc = where
        while isinstance(current, dict) and isinstance(current.get("$ref"), str):
            ref = current["$ref"]
            if ref in self._cache:
                current, loc = self._cache[ref]
                break
            if ref in seen:
                chain = " -> ".join(seen + [ref])
                raise SpecError(f"$ref cycle: {chain}", self.at(where))
            seen.append(ref)
            current = self.lookup(ref, loc)
            loc = pointer(*split_pointer(ref))
            if isinstance(current, dict) and isinstance(current.get(UNRESOLVED_KEY), str):
                raise SpecError(current[UNRESOLVED_KEY], self.at(where))
        result = (current, loc)
        for ref in seen:
            self._cache[ref] = result
        return result

    def resolve(self, node: Any, where: str = "") -> Any:
        return self.deref(node, where)[0]
