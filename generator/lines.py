"""Where a JSON pointer sits in the definition's text: ``pointer -> (line, column)``.

Paid only when there is something to report: one scan of the text that follows only the
branches leading to the wanted pointers. A mapping member is placed at its key, a list item
at its first character. A pointer that cannot be found (it goes through a YAML alias or
merge, or into a bundled external file) gets the place of its deepest ancestor found.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

import yaml

from .errors import pointer as make_pointer

Place = tuple[int, int]  # 1-based line and column


def _prefixes(pointers: Iterable[str]) -> set[str]:
    out = {""}
    for p in pointers:
        parts = p.split("/")
        for i in range(1, len(parts) + 1):
            out.add("/".join(parts[:i]))
    return out


def locate(text: str, pointers: Iterable[str]) -> dict[str, Place]:
    """Places of the wanted pointers ("" or "/a/b"); unknown ones fall back to an ancestor."""
    wanted = {"" if p in ("", "/") else p for p in pointers}
    if not wanted:
        return {}
    prefixes = _prefixes(wanted)
    stripped = text.lstrip(" \t\r\n")
    try:
        if stripped[:1] in ("{", "["):
            found = _scan_json(text, prefixes)
        else:
            found = _scan_yaml(text, prefixes)
    except Exception:  # noqa: BLE001 - a place is a nicety; never fail a report over it
        found = {}
    out: dict[str, Place] = {}
    for p in wanted:
        probe = p
        while probe not in found and probe:
            probe = probe.rsplit("/", 1)[0]
        if probe in found:
            out[p] = found[probe]
    for p in pointers:
        if p == "/" and "" in out:
            out["/"] = out[""]
    return out


# --------------------------------------------------------------------------- YAML


def _scan_yaml(text: str, prefixes: set[str]) -> dict[str, Place]:
    try:
        from yaml.cyaml import CParser as Parser
    except ImportError:  # pragma: no cover
        Parser = yaml.SafeLoader  # type: ignore[misc,assignment]
    parser = Parser(text)
    found: dict[str, Place] = {}
    # frames: [is_map, pointer, next key or index, key place]
    stack: list[list[Any]] = []
    skip = 0
    try:
        while True:
            ev = parser.get_event()
            if isinstance(ev, (yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                break
            if isinstance(ev, (yaml.StreamStartEvent, yaml.DocumentStartEvent)):
                continue
            is_start = isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent))
            is_end = isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent))
            if skip:
                skip += 1 if is_start else -1 if is_end else 0
                continue
            if is_end:
                stack.pop()
                continue
            mark = ev.start_mark
            place = (mark.line + 1, mark.column + 1)
            if not stack:
                here = ""
            else:
                top = stack[-1]
                if top[0]:
                    if top[2] is None:  # a key
                        top[2] = str(getattr(ev, "value", ""))
                        top[3] = place
                        continue
                    here = top[1] + make_pointer(top[2])
                    place = top[3]
                    top[2] = None
                else:
                    here = top[1] + make_pointer(top[2])
                    top[2] += 1
            if here in prefixes:
                found[here] = place
                if is_start:
                    stack.append([isinstance(ev, yaml.MappingStartEvent), here, None if isinstance(
                        ev, yaml.MappingStartEvent) else 0, None])
            elif is_start:
                skip = 1
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    return found


# --------------------------------------------------------------------------- JSON

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)
_SPACE = re.compile(r"[ \t\n\r]*")


def _scan_json(text: str, prefixes: set[str]) -> dict[str, Place]:
    """Offsets of the wanted pointers, following only the members and items on their way; every
    other value is stepped over by the json module's C scanner (GitHub's 13 MB definition:
    about a quarter of the time of tokenizing it all)."""
    skip_value = json.JSONDecoder().scan_once  # (value, end) of the value at an offset
    scanstring = json.decoder.scanstring
    offsets: dict[str, int] = {}

    def space(i: int) -> int:
        return _SPACE.match(text, i).end()

    def value(i: int, here: str) -> int:
        """Scan the value at ``i`` (wanted: ``here`` is in prefixes); return where it ends."""
        c = text[i]
        if c == "{":
            i = space(i + 1)
            if text[i] == "}":
                return i + 1
            while True:
                at = i
                key, i = scanstring(text, i + 1)
                i = space(i)
                if text[i] != ":":
                    raise ValueError(f"':' expected at {i}")
                i = space(i + 1)
                child = here + make_pointer(key)
                if child in prefixes:
                    offsets[child] = at
                    i = value(i, child)
                else:
                    i = skip_value(text, i)[1]
                i = space(i)
                if text[i] == ",":
                    i = space(i + 1)
                    continue
                if text[i] != "}":
                    raise ValueError(f"'}}' expected at {i}")
                return i + 1
        if c == "[":
            i = space(i + 1)
            if text[i] == "]":
                return i + 1
            index = 0
            while True:
                child = f"{here}/{index}"
                if child in prefixes:
                    offsets[child] = i
                    i = value(i, child)
                else:
                    i = skip_value(text, i)[1]
                index += 1
                i = space(i)
                if text[i] == ",":
                    i = space(i + 1)
                    continue
                if text[i] != "]":
                    raise ValueError(f"']' expected at {i}")
                return i + 1
        return skip_value(text, i)[1]

    start = space(0)
    offsets[""] = start
    try:
        value(start, "")
    except (ValueError, IndexError, StopIteration):
        pass  # not JSON after all, or cut short: the places found so far stand
    return _places(text, offsets)


def _places(text: str, offsets: dict[str, int]) -> dict[str, Place]:
    """``_place`` of many offsets, counting the lines of the text once, in order."""
    out: dict[str, Place] = {}
    line, last, line_start = 1, 0, 0
    for p, off in sorted(offsets.items(), key=lambda item: item[1]):
        newlines = text.count("\n", last, off)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", last, off) + 1
        last = off
        out[p] = line, off - line_start + 1
    return out


def _place(text: str, offset: int) -> Place:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def json_duplicates(text: str) -> list[tuple[str, str, Place, Place]]:
    """Every key written twice in one JSON object: (pointer of the object, key, place of the
    previous one, place of this one), in text order."""
    out: list[tuple[str, str, int, int]] = []
    stack: list[list[Any]] = []  # [is_object, pointer, key or index, keys seen, expecting key]
    for m in _TOKEN.finditer(text):
        tok = m.group()
        c = tok[0]
        if c in "}]":
            stack.pop()
            continue
        if c in ",:":
            if c == "," and stack and stack[-1][0]:
                stack[-1][4] = True
            continue
        if stack and stack[-1][0] and stack[-1][4]:
            top = stack[-1]
            key = json.loads(tok) if "\\" in tok else tok[1:-1]
            if key in top[3]:
                out.append((top[1] or "/", key, top[3][key], m.start()))
            top[3][key] = m.start()
            top[2] = key
            top[4] = False
            continue
        if not stack:
            here = ""
        else:
            top = stack[-1]
            here = top[1] + make_pointer(top[2])
            if not top[0]:
                top[2] += 1
        if c in "{[":
            stack.append([c == "{", here, 0, {}, c == "{"])
    return [(p, k, _place(text, a), _place(text, b)) for p, k, a, b in out]
