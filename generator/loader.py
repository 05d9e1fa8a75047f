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

import codecs
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from .errors import LENIENT_KEEPS_LAST, LENIENT_SKIPS, Diagnostic, SpecError, pointer
from .paths import inside
from .refs import UNRESOLVED_KEY, Resolver, split_pointer, walk

MAX_BYTES = 64 * 1024 * 1024  # one file, and all files of one definition together
MAX_DEPTH = 200  # nesting of mappings and sequences
MAX_ALIASES = 10_000  # YAML alias uses in one file
MAX_ALIAS_NODES = 1_000_000  # nodes added by expanding YAML aliases in one file
MAX_EXTERNAL_FILES = 500
EXTERNAL_KEY = "x-samplegen-external"

STDIN_NAME = "<stdin>"


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
    from .lines import locate

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


# --------------------------------------------------------------------------- reading


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


def _raise_hint(size: int) -> str:
    return f"--max-size {-(-size // (1024 * 1024))} (MiB) raises the limit"


def _too_large(size: int, max_bytes: int = MAX_BYTES) -> str:
    return (f"file is {size / (1024 * 1024):.1f} MiB; definitions larger than "
            f"{_mib(max_bytes)} MiB are refused ({_raise_hint(size)})")


def _read_file(path: str, display: str, max_bytes: int = MAX_BYTES) -> bytes:
    if path == "":
        raise SpecError("no file name given", display or "<empty path>")
    try:
        if os.path.isdir(path):
            raise SpecError("is a directory, not a definition file", display)
        with open(path, "rb") as fh:
            try:
                st = os.fstat(fh.fileno())
                if st.st_size > max_bytes:
                    raise SpecError(_too_large(st.st_size, max_bytes), display)
            except OSError:  # pragma: no cover - fstat on an open file does not fail in practice
                pass
            raw = fh.read(max_bytes + 1)
    except SpecError:
        raise
    except FileNotFoundError:
        raise SpecError("file not found", display) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a definition file", display) from None
    except PermissionError:
        raise SpecError("cannot read the file: permission denied", display) from None
    except OSError as exc:
        raise SpecError(f"cannot read the file: {exc.strerror or exc}", display) from None
    except ValueError:  # a NUL character in the path
        raise SpecError("invalid file name", display) from None
    if len(raw) > max_bytes:
        raise SpecError(f"file is more than {_mib(max_bytes)} MiB; definitions larger than "
                        f"{_mib(max_bytes)} MiB are refused ({_raise_hint(len(raw))})", display)
    return raw


def _line_col(raw: bytes | str, offset: int) -> tuple[int, int]:
    head = raw[:offset]
    nl = b"\n" if isinstance(head, bytes) else "\n"
    line = head.count(nl) + 1
    col = offset - (head.rfind(nl) + 1) + 1
    return line, col


def decode_bytes(raw: bytes, display: str) -> str:
    """Bytes -> text: UTF-8 only (a UTF-8 BOM is dropped); refuse everything else clearly."""
    if not raw:
        raise SpecError("file is empty", display)
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise SpecError("file is UTF-32 encoded (byte order mark); UTF-32 is not supported, save as UTF-8",
                        display)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpecError("file is UTF-16 encoded (byte order mark); UTF-16 is not supported, save as UTF-8",
                        display)
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
        if not raw:
            raise SpecError("file is empty (only a byte order mark)", display)
    nul = raw.find(b"\x00")
    if nul >= 0:
        guess = _utf16_32_without_bom(raw)
        if guess:
            raise SpecError(f"file looks {guess} encoded; {guess[:6]} is not supported, save as UTF-8",
                            display)
        line, col = _line_col(raw, nul)
        raise SpecError(f"binary file (NUL byte at byte offset {nul}); expected a JSON or YAML text file",
                        f"{display}:{line}:{col}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col(raw, exc.start)
        raise SpecError(f"not valid UTF-8 at byte offset {exc.start} (byte 0x{raw[exc.start]:02x}); "
                        "save the file as UTF-8", f"{display}:{line}:{col}") from None


def _utf16_32_without_bom(raw: bytes) -> str:
    """Recognise UTF-16/32 text (no BOM) by where the NUL bytes of ASCII characters sit."""
    head = raw[:256]
    n = len(head) - len(head) % 4
    if n < 4:
        n = len(head) - len(head) % 2
        if n < 2:
            return ""
    if n >= 4:
        quads = [head[i:i + 4] for i in range(0, n, 4)]
        if all(q[1:] == b"\0\0\0" and q[0] for q in quads):
            return "UTF-32 (little-endian)"
        if all(q[:3] == b"\0\0\0" and q[3] for q in quads):
            return "UTF-32 (big-endian)"
    pairs = [head[i:i + 2] for i in range(0, n - n % 2, 2)]
    ascii_le = sum(1 for p in pairs if p[1] == 0 and p[0] != 0)
    ascii_be = sum(1 for p in pairs if p[0] == 0 and p[1] != 0)
    if pairs and ascii_le >= len(pairs) * 0.6:
        return "UTF-16 (little-endian)"
    if pairs and ascii_be >= len(pairs) * 0.6:
        return "UTF-16 (big-endian)"
    return ""


def parse_bytes(raw: bytes, display: str, warnings: list[Diagnostic] | None = None) -> Any:
    """Decode and parse one JSON or YAML file with every bound applied."""
    return parse_text(decode_bytes(raw, display), display, warnings)


def parse_text(text: str, display: str, warnings: list[Diagnostic] | None = None) -> Any:
    """Parse one decoded JSON or YAML text. ``warnings`` given (lenient): a duplicate key is
    a warning there and the last value is kept; otherwise it is an error."""
    stripped = text.lstrip(" \t\r\n")
    if not stripped:
        raise SpecError("file contains only whitespace; expected a JSON or YAML definition", display)
    if stripped[0] in "{[":
        data = _parse_json(text, display, warnings)
    else:
        data = _parse_yaml(text, display, warnings)
    if _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(data, display)
    return data


# --------------------------------------------------------------------------- JSON


class _BadConstant(ValueError):
    pass


def _json_constant(name: str) -> Any:
    raise _BadConstant(name)


def _parse_json(text: str, display: str, warnings: list[Diagnostic] | None = None) -> Any:
    dups: list[bool] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict:
        d = dict(pairs)  # the last value of a duplicate key wins
        if len(d) != len(pairs) and not dups:
            dups.append(True)
        return d

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise SpecError(f"invalid JSON: {exc.msg}", f"{display}:{exc.lineno}:{exc.colno}") from None
    except _BadConstant as exc:
        where = display
        m = re.search(r"(?<![\w\"])" + re.escape(str(exc)) + r"(?![\w\"])", text)
        if m:
            line, col = _line_col(text, m.start())
            where = f"{display}:{line}:{col}"
        raise SpecError(f"invalid JSON: {exc} is not a JSON value", where) from None
    except RecursionError:
        offset = _json_depth_offset(text, MAX_DEPTH)
        line, col = _line_col(text, offset)
        raise SpecError(f"nesting deeper than {MAX_DEPTH} levels", f"{display}:{line}:{col}") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise SpecError(f"invalid JSON: {exc}", display) from None
    if dups:
        from .lines import json_duplicates

        found = json_duplicates(text)
        if not found:  # pragma: no cover - the scan sees what the parser saw
            raise SpecError("duplicate key in a JSON object", display, hint=LENIENT_KEEPS_LAST,
                            recoverable=True)
        for holder, key, first, second in found:
            _duplicate(display, holder, key, first, second, warnings)
    return data


def _duplicate(display: str, holder: str, key: str, first: tuple[int, int], second: tuple[int, int],
               warnings: list[Diagnostic] | None) -> None:
    """A key written twice in one mapping: an error, or (lenient) a warning; the last value wins."""
    ptr = _clean(("" if holder == "/" else holder) + pointer(key))
    where = f"{display}:{second[0]}:{second[1]} #{ptr}"
    a, b = (f"line {first[0]}", f"line {second[0]}") if first[0] != second[0] else (
        f"{first[0]}:{first[1]}", f"{second[0]}:{second[1]}")
    shown = _clean(key, 60)
    if warnings is None:
        raise SpecError(f"duplicate key {shown!r} at {a} and {b} (only one value would survive)", where,
                        hint=LENIENT_KEEPS_LAST, recoverable=True)
    warnings.append(Diagnostic("warning", where, f"duplicate key {shown!r} at {a} and {b}: "
                                                 f"the value at {b} (the last) is kept"))


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.S)


def _json_depth_offset(text: str, limit: int) -> int:
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > limit:
                return m.start()
        elif ch in "]}":
            depth -= 1
    return 0


# --------------------------------------------------------------------------- YAML


try:  # libyaml when available: the C parser makes events, we build the data ourselves
    from yaml.cyaml import CParser as _EventParser
except ImportError:  # pragma: no cover - pure Python fallback
    _EventParser = None

_CORE = "tag:yaml.org,2002:"
_BOOLS_NULLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
                "FALSE": False, "null": None, "Null": None, "NULL": None, "~": None}
_INT = re.compile(r"[-+]?[0-9]+")
_INT_OCT = re.compile(r"0o[0-7]+")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOATS = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"),
                   "+.inf": float("inf"), "+.Inf": float("inf"), "+.INF": float("inf"),
                   "-.inf": float("-inf"), "-.Inf": float("-inf"), "-.INF": float("-inf"),
                   ".nan": float("nan"), ".NaN": float("nan"), ".NAN": float("nan")}


def _plain_scalar(value: str) -> Any:
    """YAML 1.2 core schema resolution of an untagged plain scalar."""
    if not value:
        return None
    c = value[0]
    if c in "0123456789+-.":
        if _INT.fullmatch(value):
            return int(value)
        if _FLOAT.fullmatch(value):
            return float(value)
        if value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]
        return value
    if c in "tTfFnN~":
        return _BOOLS_NULLS.get(value, value)
    return value


def _plain_scalar_prefixed(value: str) -> Any:
    if value.startswith("0o") and _INT_OCT.fullmatch(value):
        return int(value[2:], 8)
    if value.startswith("0x") and _INT_HEX.fullmatch(value):
        return int(value[2:], 16)
    return _plain_scalar(value)


def _tagged_scalar(tag: str, value: str, where: str) -> Any:
    short = tag[len(_CORE):] if tag.startswith(_CORE) else None
    if short in ("str", "timestamp", "binary"):
        return value
    if short == "null":
        return None
    if short == "bool":
        low = value.lower()
        if low in ("true", "yes", "on"):
            return True
        if low in ("false", "no", "off"):
            return False
    elif short == "int":
        try:
            return int(value.replace("_", ""), 0)
        except ValueError:
            pass
    elif short == "float":
        if value in _SPECIAL_FLOATS:
            return _SPECIAL_FLOATS[value]
        try:
            return float(value.replace("_", ""))
        except ValueError:
            pass
    else:
        raise SpecError(f"unsupported YAML tag {_show_tag(tag)}", where)
    raise SpecError(f"{value!r} is not a valid value for the YAML tag {_show_tag(tag)}", where)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


def _mark(display: str, mark: Any) -> str:
    if mark is None:
        return display
    return f"{display}:{mark.line + 1}:{mark.column + 1}"


class _Frame:
    __slots__ = ("obj", "is_map", "key", "key_mark", "anchor", "start", "merges", "merge_pending", "marks", "name")

    def __init__(self, obj: Any, is_map: bool, anchor: str | None, start: int) -> None:
        self.obj = obj
        self.is_map = is_map
        self.key: Any = _NO_KEY
        self.key_mark: Any = None
        self.anchor = anchor
        self.start = start
        self.merges: list[dict] | None = None
        self.merge_pending = False
        self.marks: dict[str, Any] | None = None  # key -> where it was written
        self.name: Any = None  # its key or index in the enclosing collection


_NO_KEY = object()


def _parse_yaml(text: str, display: str, warnings: list[Diagnostic] | None = None) -> Any:
    try:
        return _YamlBuilder(text, display, warnings).build()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        index = getattr(mark, "index", None)
        deep = _yaml_flow_depth_offset(text, MAX_DEPTH, index if isinstance(index, int) else len(text))
        if deep is not None:  # some PyYAML versions give up on deep flow nesting before we see it
            line, col = _line_col(text, deep)
            raise SpecError(f"nesting deeper than {MAX_DEPTH} levels", f"{display}:{line}:{col}") from None
        problem = " ".join((exc.problem or "syntax error").split())
        if exc.context:
            context = " ".join(exc.context.split())
            cm, pm = exc.context_mark, exc.problem_mark
            if cm is not None and pm is not None and cm.line != pm.line:
                context += f" that starts at line {cm.line + 1}"
            problem = f"{problem} ({context})"
        index = getattr(mark, "index", None)
        if isinstance(index, int) and 0 <= index < len(text) and text[index] == "\t":
            problem += "; YAML does not allow tabs for indentation, use spaces"
        raise SpecError(f"invalid YAML: {_clean(problem)}", _mark(display, mark)) from None
    except yaml.reader.ReaderError as exc:
        where = display
        if isinstance(exc.position, int) and 0 <= exc.position <= len(text):
            line, col = _line_col(text, exc.position)
            where = f"{display}:{line}:{col}"
        char = exc.character
        code = ord(char) if isinstance(char, str) else char
        what = f"U+{code:04X}" if isinstance(code, int) else "a character"
        raise SpecError(f"invalid YAML: the control character {what} is not allowed in YAML text "
                        "(escape it inside a double-quoted string)", where) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"invalid YAML: {_clean(' '.join(str(exc).split()))}", display) from None
    except RecursionError:  # pragma: no cover - the builder is iterative; belt and braces
        raise SpecError(f"nesting deeper than {MAX_DEPTH} levels", display) from None


_YAML_FLOW_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'|#[^\n]*|[\[\]{}]', re.S)


def _yaml_flow_depth_offset(text: str, limit: int, end: int) -> int | None:
    """Where flow collections ([..], {..}) first nest deeper than `limit` before `end`, if they do."""
    depth = 0
    for m in _YAML_FLOW_TOKENS.finditer(text, 0, max(0, end) + 1):
        ch = m.group()
        if ch in "[{":
            depth += 1
            if depth > limit:
                return m.start()
        elif ch in "]}":
            depth = max(0, depth - 1)
    return None


class _YamlBuilder:
    """Builds plain Python data straight from parser events, iteratively.

    Bounds nesting depth, alias use and alias expansion, refuses duplicate and non-scalar
    mapping keys, recursive aliases, unknown tags and multiple documents.
    """

    def __init__(self, text: str, display: str, warnings: list[Diagnostic] | None = None) -> None:
        self.display = display
        self.warnings = warnings  # lenient: duplicate keys are reported here
        self.stack: list[_Frame] = []
        self.parser = _EventParser(text) if _EventParser is not None else yaml.SafeLoader(text)
        self.anchors: dict[str, tuple[Any, int, str | None]] = {}  # value, size, raw scalar text
        self.open_anchors: set[str] = set()
        self.nodes = 0
        self.alias_nodes = 0
        self.aliases = 0

    def build(self) -> Any:
        p = self.parser
        try:
            get = p.get_event
            ev = get()  # StreamStart
            ev = get()
            if isinstance(ev, yaml.StreamEndEvent):
                raise SpecError("file contains no definition (only comments or blank lines)", self.display)
            result = self._document()
            get()  # DocumentEnd
            ev = get()
            if isinstance(ev, yaml.DocumentStartEvent):
                raise SpecError("file holds more than one YAML document ('---'); keep one definition per file",
                                _mark(self.display, ev.start_mark))
            return result
        finally:
            dispose = getattr(p, "dispose", None)
            if dispose is not None:
                dispose()

    def _where(self, ev: Any) -> str:
        return _mark(self.display, ev.start_mark)

    def _document(self) -> Any:  # noqa: C901 - one event loop, kept together for speed
        get = self.parser.get_event
        stack: list[_Frame] = self.stack
        anchors = self.anchors
        ScalarEvent = yaml.ScalarEvent
        MappingStartEvent = yaml.MappingStartEvent
        SequenceStartEvent = yaml.SequenceStartEvent
        AliasEvent = yaml.AliasEvent
        plain = _plain_scalar
        while True:
            ev = get()
            cls = ev.__class__
            raw: str | None = None
            if cls is ScalarEvent:
                self.nodes += 1
                raw = ev.value
                tag = ev.tag
                if tag is None and ev.implicit[0]:
                    value = plain(raw)
                    if value.__class__ is str and raw[:2] in ("0o", "0x"):
                        value = _plain_scalar_prefixed(raw)
                elif tag is None or tag == "!":
                    value = raw
                else:
                    value = _tagged_scalar(tag, raw, self._where(ev))
                if ev.anchor is not None:
                    anchors[ev.anchor] = (value, 1, raw)
                if stack:
                    top = stack[-1]
                    if top.is_map and top.key is _NO_KEY:
                        self._set_key(top, raw, ev, tag is None and ev.implicit[0])
                        continue
                    self._add(top, value, ev)
                    continue
                return value
            if cls is MappingStartEvent or cls is SequenceStartEvent:
                self.nodes += 1
                if len(stack) >= MAX_DEPTH:
                    raise SpecError(f"nesting deeper than {MAX_DEPTH} levels", self._where(ev))
                tag = ev.tag
                is_map = cls is MappingStartEvent
                if tag is not None and tag != "!" and tag != (_CORE + ("map" if is_map else "seq")):
                    raise SpecError(f"unsupported YAML tag {_show_tag(tag)}", self._where(ev))
                obj: Any = {} if is_map else []
                name: Any = None
                if stack:
                    top = stack[-1]
                    name = top.key if top.is_map else len(top.obj)
                    if top.is_map and top.key is _NO_KEY:
                        raise SpecError("a mapping key must be a string, not a "
                                        f"{'mapping' if is_map else 'sequence'}", self._where(ev))
                    if not top.merge_pending:
                        self._add(top, obj, ev)
                if ev.anchor is not None:
                    self.open_anchors.add(ev.anchor)
                frame = _Frame(obj, is_map, ev.anchor, self.nodes)
                frame.name = name
                stack.append(frame)
                continue
            if cls is AliasEvent:
                name = ev.anchor
                if name in self.open_anchors:
                    raise SpecError(f"alias *{name} refers to a node that contains it (a recursive structure)",
                                    self._where(ev))
                if name not in anchors:
                    raise SpecError(f"alias *{name} is used before an anchor &{name} is defined",
                                    self._where(ev))
                value, size, raw = anchors[name]
                self.aliases += 1
                self.nodes += size
                self.alias_nodes += size
                if self.aliases > MAX_ALIASES or self.alias_nodes > MAX_ALIAS_NODES:
                    raise SpecError("too many YAML alias expansions (more than "
                                    f"{MAX_ALIASES} aliases or {MAX_ALIAS_NODES} nodes added by them): "
                                    "refusing a possible 'billion laughs' document", self._where(ev))
                if stack:
                    top = stack[-1]
                    if top.is_map and top.key is _NO_KEY:
                        if raw is None:
                            raise SpecError(f"a mapping key must be a string, not the alias *{name} of a "
                                            "collection", self._where(ev))
                        self._set_key(top, raw, ev, False)
                        continue
                    self._add(top, value, ev)
                    continue
                return value
            # end of a collection
            if not stack:  # pragma: no cover - the parser never produces this
                raise SpecError("invalid YAML event stream", self.display)
            frame = stack.pop()
            if frame.is_map and frame.merges:
                explicit = dict(frame.obj)
                frame.obj.clear()
                for src in frame.merges:
                    for k, v in src.items():
                        if k not in frame.obj:
                            frame.obj[k] = v
                frame.obj.update(explicit)
            if frame.anchor is not None:
                self.open_anchors.discard(frame.anchor)
                anchors[frame.anchor] = (frame.obj, self.nodes - frame.start + 1, None)
            if stack:
                top = stack[-1]
                if top.merge_pending:
                    self._merge(top, frame.obj, ev)
                continue
            return frame.obj

    def _set_key(self, frame: _Frame, key: str, ev: Any, plain: bool) -> None:
        if plain and key == "<<":
            frame.merge_pending = True
            frame.key = key
            frame.key_mark = ev.start_mark
            return
        marks = frame.marks
        if marks is None:
            marks = frame.marks = {}
        if key in frame.obj:
            first = marks.get(key)
            here = ev.start_mark
            _duplicate(self.display, self._pointer(), key,
                       (first.line + 1, first.column + 1) if first is not None else (0, 0),
                       (here.line + 1, here.column + 1), self.warnings)
        marks[key] = ev.start_mark
        frame.key = key
        frame.key_mark = ev.start_mark

    def _pointer(self) -> str:
        """JSON pointer of the innermost open collection (only computed for a report)."""
        return pointer(*(f.name for f in self.stack[1:]))

    def _add(self, frame: _Frame, value: Any, ev: Any) -> None:
        if not frame.is_map:
            frame.obj.append(value)
            return
        if frame.merge_pending:
            self._merge(frame, value, ev)
            return
        frame.obj[frame.key] = value
        frame.key = _NO_KEY

    def _merge(self, frame: _Frame, value: Any, ev: Any) -> None:
        sources = value if isinstance(value, list) else [value]
        if not all(isinstance(s, dict) for s in sources):
            raise SpecError("the merge key '<<' needs a mapping or a list of mappings",
                            _mark(self.display, frame.key_mark))
        if frame.merges is None:
            frame.merges = []
        frame.merges.extend(sources)
        frame.merge_pending = False
        frame.key = _NO_KEY


# --------------------------------------------------------------------------- checks


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]|\\U0000[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(data: Any, display: str) -> None:
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if _SURROGATE.search(k):
                    raise SpecError("a key contains a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape)",
                                    f"{display}#{_clean(pointer(*path, k))}")
                stack.append((v, path + (k,)))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                stack.append((v, path + (i,)))
        elif isinstance(node, str) and _SURROGATE.search(node):
            raise SpecError("a string contains a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape)",
                            f"{display}#{_clean(pointer(*path))}")


def _clean(text: str, limit: int = 0) -> str:
    """Text safe for a one-line message: control, separator and surrogate characters escaped."""
    if limit and len(text) > limit:
        text = text[:limit] + "..."
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                       else f"\\U{code:08x}")
    return "".join(out)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__  # pragma: no cover


_SUPPORTED = "samplegen reads Swagger 2.0 and OpenAPI 3.0 / 3.1"
_OPENAPI_VERSION = re.compile(r"3\.([01])(?:\.\d+)?(?:[-+][0-9A-Za-z.-]*)?")


def _spec_version(data: dict, display: str) -> str:
    has_swagger = "swagger" in data
    has_openapi = "openapi" in data
    if has_swagger and has_openapi:
        raise SpecError("the definition has both 'swagger' and 'openapi' at the top level; keep the one "
                        "that matches it", f"{display}#/")
    if has_swagger:
        value = data["swagger"]
        if value in ("2.0", "2") or (isinstance(value, (int, float)) and not isinstance(value, bool)
                                      and value == 2):
            data["swagger"] = "2.0"
            return "2.0"
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            raise SpecError(f"swagger {_clean(str(value), 40)} is not supported ({_SUPPORTED})", f"{display}#/swagger")
        raise SpecError(f"'swagger' must be the string \"2.0\", found {_kind(value)}", f"{display}#/swagger")
    if has_openapi:
        value = data["openapi"]
        if isinstance(value, str):
            m = _OPENAPI_VERSION.fullmatch(value.strip())
            if m:
                return "3." + m.group(1)
            raise SpecError(f"openapi {_clean(value, 40)} is not supported ({_SUPPORTED})",
                            f"{display}#/openapi")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value in (3.0, 3.1):
                raise SpecError(f"'openapi' must be a version string such as \"{value}.0\" (quote it)",
                                f"{display}#/openapi")
            raise SpecError(f"openapi {value} is not supported ({_SUPPORTED})", f"{display}#/openapi")
        raise SpecError(f"'openapi' must be a version string such as \"3.0.3\", found {_kind(value)}",
                        f"{display}#/openapi")
    if "swaggerVersion" in data:
        raise SpecError(f"swaggerVersion {_clean(str(data['swaggerVersion']), 40)} (Swagger 1.x) is not supported "
                        f"({_SUPPORTED}); convert it to OpenAPI first", f"{display}#/swaggerVersion")
    raise SpecError("not a Swagger/OpenAPI definition: the top level has neither 'swagger: \"2.0\"' nor "
                    "'openapi: 3.x.y'", f"{display}#/")


# --------------------------------------------------------------------------- $ref screening

# Where a "$ref" key is data rather than a reference: literal values ...
_LITERAL_KEYS = frozenset(("example", "default", "enum", "const", "value"))
# ... and maps whose keys are names chosen by the author (a property may be called "$ref").
_NAME_MAP_KEYS = frozenset((
    "properties", "patternProperties", "definitions", "$defs", "schemas", "parameters", "responses",
    "securityDefinitions", "securitySchemes", "headers", "examples", "requestBodies", "links",
    "callbacks", "pathItems", "content", "encoding", "variables", "paths", "webhooks",
    "dependentSchemas",
))
_KW, _NAMES, _LIT = 0, 1, 2

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _scan(root: Any, display: str, lit_ids: set[int], depth0: int = 0) -> list[dict]:
    """Iteratively visit the whole tree: bound depth, collect dicts holding a "$ref" reference.

    Literal zones (examples, defaults, enums, extensions) are not searched for references;
    their containers are recorded in `lit_ids` so that a reference pointing into one gets
    its target screened after all.
    """
    holders: list[dict] = []
    stack: list[tuple[Any, int, int]] = [(root, depth0, _KW)]
    pop = stack.pop
    push = stack.append
    add_lit = lit_ids.add
    while stack:
        node, depth, state = pop()
        if depth >= MAX_DEPTH:
            where = _find_pointer(root, node)
            raise SpecError(f"nesting deeper than {MAX_DEPTH} levels",
                            f"{display}#{_short(where)}" if where is not None else display)
        d1 = depth + 1
        if node.__class__ is dict:
            if state == _KW:
                if "$ref" in node:
                    holders.append(node)
                for k, v in node.items():
                    c = v.__class__
                    if c is dict or c is list:
                        if k in _LITERAL_KEYS or k[:2] == "x-" or (k == "examples" and c is list):
                            add_lit(id(v))
                            push((v, d1, _LIT))
                        elif k in _NAME_MAP_KEYS and c is dict:
                            push((v, d1, _NAMES))
                        else:
                            push((v, d1, _KW))
            elif state == _NAMES:
                if "$ref" in node and node["$ref"].__class__ is str:
                    holders.append(node)
                for v in node.values():
                    c = v.__class__
                    if c is dict or c is list:
                        push((v, d1, _KW))
            else:
                for v in node.values():
                    c = v.__class__
                    if c is dict or c is list:
                        add_lit(id(v))
                        push((v, d1, _LIT))
        else:  # list
            st = _KW if state == _NAMES else state
            for v in node:
                c = v.__class__
                if c is dict or c is list:
                    if st == _LIT:
                        add_lit(id(v))
                    push((v, d1, st))
    return holders


_SPLIT_CACHE: dict[str, list[str]] = {}


def _split(ref: str) -> list[str]:
    """refs.split_pointer, with a fast path for plain pointers and a cache."""
    parts = _SPLIT_CACHE.get(ref)
    if parts is None:
        if ref.startswith("#/") and "~" not in ref and "%" not in ref:
            parts = ref[2:].split("/")
        else:
            parts = split_pointer(ref)
        if len(_SPLIT_CACHE) > 100_000:
            _SPLIT_CACHE.clear()
        _SPLIT_CACHE[ref] = parts
    return parts


def _short(where: str, keep: int = 12) -> str:
    parts = where.split("/")
    if len(parts) <= keep + 1:
        return where
    return "/".join(parts[:keep + 1]) + "/..."


def _find_pointer(root: Any, target: Any) -> str | None:
    """JSON pointer of the first place `target` (by identity) occurs under root."""
    if root is target:
        return ""
    stack: list[tuple[Any, tuple]] = [(root, ())]
    seen: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for k, v in items:
            if v is target:
                return _clean(pointer(*path, k))
            if isinstance(v, (dict, list)):
                stack.append((v, path + (k,)))
    return None


class _Bundler:
    """Screens every $ref and copies the targets of relative external refs into the document."""

    def __init__(self, data: dict, display: str, path: str | None, allow_external: bool,
                 size: int, max_bytes: int = MAX_BYTES, warnings: list[Diagnostic] | None = None) -> None:
        self.data = data
        self.display = display
        self.allow = allow_external
        self.total_bytes = size
        self.max_bytes = max_bytes
        self.warnings = warnings  # lenient: broken references are reported here, not raised
        self.broken: set[int] = set()  # holders whose reference could not be followed
        if path is not None:
            self.main_dir = os.path.dirname(os.path.abspath(path))
            self.root = os.path.realpath(self.main_dir)
            self.main_real = os.path.realpath(path)
        else:
            self.main_dir = None
            self.root = None
            self.main_real = None
        self.files: dict[str, tuple[Any, str]] = {}  # realpath -> (data, display)
        self.entries: dict[tuple[str, str], str] = {}  # (realpath, fragment) -> key
        self.store: dict[str, Any] = {}
        self.used_keys: set[str] = set()
        existing = data.get(EXTERNAL_KEY)
        if isinstance(existing, dict):
            self.used_keys.update(existing)
        self.queue: list[tuple[str, Any, str, str, str]] = []
        self.holders: list[dict] = []
        self.lit_ids: set[int] = set()

    # -- main flow

    def run(self) -> None:
        holders = _scan(self.data, self.display, self.lit_ids)
        self._screen_all(holders, self.data, self.display, None, None)
        self._drain_queue()
        resolver = Resolver(self.data, self.display)
        # A reference into a literal zone (an example, an extension...) makes that zone a
        # definition after all: screen it too, until nothing new turns up.
        pending = list(self.holders)
        done: set[int] = set()
        while pending:
            holder = pending.pop()
            if id(holder) in done:
                continue
            done.add(id(holder))
            ref = holder["$ref"]
            if id(holder) in self.broken:
                continue
            found_it, target = walk(self.data, _split(ref))
            if not found_it:
                self._fault(self._relocate(SpecError(f"$ref {ref!r} points to nothing", ""), holder), holder)
                continue
            if isinstance(target, (dict, list)) and id(target) in self.lit_ids:
                self.lit_ids.discard(id(target))
                before = len(self.holders)
                found = _scan(target, self.display, self.lit_ids)
                self._screen_all(found, self.data, self.display, None, None)
                self._drain_queue()
                pending.extend(self.holders[before:])
        for holder in self.holders:
            if id(holder) in self.broken:
                continue
            try:
                resolver.deref(holder, "")
            except SpecError as exc:
                self._fault(self._relocate(exc, holder), holder)

    def _fault(self, exc: SpecError, holder: dict, *, stand_in: bool = False) -> None:
        """A reference that cannot be followed: an error (strict), or a warning (lenient); the
        operations that reach it are skipped later. ``stand_in``: the reference is replaced
        by one to a bundled note of why (for references that are not local)."""
        exc.recoverable = True
        if self.warnings is None:
            exc.hint = exc.hint or LENIENT_SKIPS
            raise exc
        self.broken.add(id(holder))
        self.warnings.append(Diagnostic("warning", exc.location, exc.message))
        if stand_in:
            n = 1
            while f"unresolved_{n}" in self.used_keys:
                n += 1
            key = f"unresolved_{n}"
            self.used_keys.add(key)
            self.store[key] = {UNRESOLVED_KEY: exc.message}
            holder["$ref"] = "#" + pointer(EXTERNAL_KEY, key)

    def _screen_all(self, holders: list[dict], tree: Any, disp: str, real: str | None,
                    frag: str | None) -> None:
        for holder in holders:
            try:
                self._screen(holder, tree, disp, real, frag)
            except SpecError as exc:
                if not exc.recoverable:
                    raise
                self._fault(exc, holder, stand_in=True)
        self.holders.extend(holders)

    def _drain_queue(self) -> None:
        while self.queue:
            key, node, real, disp, frag = self.queue.pop(0)
            inner = _scan(node, disp, self.lit_ids, depth0=2)
            self._screen_all(inner, node, disp, real, frag)
        self._store_in_document()

    def _store_in_document(self) -> None:
        if not self.store:
            return
        existing = self.data.get(EXTERNAL_KEY)
        if isinstance(existing, dict):
            existing.update(self.store)
        else:
            self.data[EXTERNAL_KEY] = self.store

    def _relocate(self, exc: SpecError, holder: dict) -> SpecError:
        if exc.location and not exc.location.endswith("#"):
            return exc
        where = _find_pointer(self.data, holder)
        return SpecError(exc.message, f"{self.display}#{where}" if where is not None else self.display,
                         hint=exc.hint, recoverable=exc.recoverable)

    # -- one reference

    def _loc(self, tree: Any, holder: dict, disp: str, frag: str | None) -> str:
        where = _find_pointer(tree, holder)
        if where is None:
            return disp
        return f"{disp}#{(frag or '')}{where}"

    def _screen(self, holder: dict, tree: Any, disp: str, real: str | None, frag: str | None) -> None:
        """Check one "$ref" holder found in `tree` (the main document, or a copied external node
        that came from file `real` at pointer `frag`); rewrite external refs to local ones."""
        ref = holder["$ref"]
        if not isinstance(ref, str):
            raise SpecError(f"$ref must be a string, found {_kind(ref)}", self._loc(tree, holder, disp, frag),
                            recoverable=True)
        if ref == "":
            raise SpecError("$ref is empty", self._loc(tree, holder, disp, frag), recoverable=True)
        if ref.startswith("#"):
            try:
                _split(ref)
            except SpecError as exc:
                raise SpecError(exc.message, self._loc(tree, holder, disp, frag), recoverable=True) from None
            if real is None:
                return  # a local ref of the main document: checked once everything is bundled
            holder["$ref"] = self._entry(real, ref[1:], ref, tree, holder, disp, frag)
            return
        holder["$ref"] = self._external(ref, tree, holder, disp, real, frag)

    def _external(self, ref: str, tree: Any, holder: dict, disp: str, real: str | None,
                  frag: str | None) -> str:
        def fail(message: str) -> SpecError:
            return SpecError(message, self._loc(tree, holder, disp, frag))

        if _SCHEME.match(ref) and not re.match(r"[A-Za-z]:[\\/]", ref):
            scheme = ref.split(":", 1)[0].lower()
            if scheme in ("http", "https", "ftp"):
                raise fail(f"$ref {ref!r}: fetching definitions over the network is not supported; "
                           "download the file next to the definition and refer to it by a relative path")
            raise fail(f"$ref {ref!r}: {scheme}: URLs are not supported; refer to a file by a path relative "
                       "to the definition")
        if ref.startswith("//"):
            raise fail(f"$ref {ref!r}: fetching definitions over the network is not supported")
        file_part, _, fragment = ref.partition("#")
        file_part = unquote(file_part)
        fragment = "#" + fragment
        try:
            _split(fragment)
        except SpecError as exc:
            bad = fail(exc.message)
            bad.recoverable = True
            raise bad from None
        if "\0" in file_part:
            raise fail(f"$ref {ref!r}: a file name cannot contain a NUL character")
        if "\\" in file_part:
            raise fail(f"$ref {ref!r}: use '/' in file paths, not '\\'")
        is_abs = os.path.isabs(file_part) or bool(re.match(r"[A-Za-z]:[\\/]", file_part))
        if real is None and self.main_dir is None and not self.allow:
            raise fail(f"$ref {ref!r}: external references cannot be followed when the definition comes from "
                       "standard input; pass the file's path instead (or allow external refs)")
        if is_abs and not self.allow:
            raise fail(f"$ref {ref!r} is an absolute path outside the definition's folder; only files inside "
                       "that folder are read (--allow-external-refs allows it)")
        base = os.path.dirname(real) if real is not None else (self.main_dir or os.getcwd())
        target = os.path.realpath(os.path.join(base, file_part))
        if not self.allow and self.root is not None and not inside(target, self.root):
            raise fail(f"$ref {ref!r} points outside the definition's folder; only files inside that folder "
                       "are read (--allow-external-refs allows it)")
        return self._entry_from_file(target, fragment, ref, tree, holder, disp, frag)

    def _entry_from_file(self, target: str, fragment: str, ref: str, tree: Any, holder: dict,
                         disp: str, frag: str | None) -> str:
        if target == self.main_real:
            return fragment  # a reference back into the main document is simply local
        if target not in self.files:
            self._load(target, ref, tree, holder, disp, frag)
        return self._entry(target, fragment[1:], ref, tree, holder, disp, frag)

    def _load(self, target: str, ref: str, tree: Any, holder: dict, disp: str, frag: str | None) -> None:
        loc = self._loc(tree, holder, disp, frag)
        if len(self.files) >= MAX_EXTERNAL_FILES:
            raise SpecError(f"$ref {ref!r}: more than {MAX_EXTERNAL_FILES} external files", loc)
        shown = self._display_of(target)
        if not os.path.exists(target):
            raise SpecError(f"$ref {ref!r}: file not found: {shown}", loc, recoverable=True)
        if os.path.isdir(target):
            raise SpecError(f"$ref {ref!r}: {shown} is a directory, not a file", loc, recoverable=True)
        if not os.path.isfile(target):
            raise SpecError(f"$ref {ref!r}: {shown} is not a regular file", loc, recoverable=True)
        raw = _read_file(target, shown, self.max_bytes)
        self.total_bytes += len(raw)
        if self.total_bytes > self.max_bytes:
            raise SpecError(f"$ref {ref!r}: the definition and its referenced files together exceed "
                            f"{_mib(self.max_bytes)} MiB ({_raise_hint(self.total_bytes)})", loc)
        self.files[target] = (parse_bytes(raw, shown, self.warnings), shown)

    def _display_of(self, target: str) -> str:
        if self.root is not None and inside(target, self.root) and self.main_dir is not None:
            rel = os.path.relpath(target, self.root)
            shown_dir = os.path.dirname(self.display)
            return _clean(os.path.join(shown_dir, rel) if shown_dir else rel)
        return _clean(target)

    def _entry(self, real: str, fragment: str, ref: str, tree: Any, holder: dict, disp: str,
               frag: str | None) -> str:
        """Local ref (into the bundle) for the node at `fragment` of external file `real`."""
        key = self.entries.get((real, fragment))
        if key is None:
            if real not in self.files:  # pragma: no cover - files are loaded before entries are made
                raise SpecError(f"$ref {ref!r}: file was not loaded", disp)
            data, shown = self.files[real]
            found_it, node = walk(data, _split("#" + fragment))
            if not found_it:
                raise SpecError(f"$ref {ref!r} points to nothing: {shown} has no #{fragment}",
                                self._loc(tree, holder, disp, frag), recoverable=True)
            key = self._new_key(real, fragment)
            self.entries[(real, fragment)] = key
            node = _copy_tree(node)
            self.store[key] = node
            if isinstance(node, (dict, list)):
                self.queue.append((key, node, real, shown, fragment))
        return "#" + pointer(EXTERNAL_KEY, key)

    def _new_key(self, real: str, fragment: str) -> str:
        if self.root is not None and inside(real, self.root):
            name = os.path.relpath(real, self.root).replace(os.sep, "/")
        else:
            name = real.lstrip("/\\")
        label = name + ("_" + fragment.strip("/") if fragment.strip("/") else "")
        label = re.sub(r"[^A-Za-z0-9._-]+", "_", label).strip("_") or "file"
        key = label
        n = 2
        while key in self.used_keys:
            key = f"{label}_{n}"
            n += 1
        self.used_keys.add(key)
        return key


def _copy_tree(node: Any) -> Any:
    """Copy nested dicts and lists iteratively (shared nodes stay shared in the copy)."""
    if not isinstance(node, (dict, list)):
        return node
    memo: dict[int, Any] = {}

    def fresh(value: Any) -> Any:
        if isinstance(value, dict):
            out: Any = {}
        elif isinstance(value, list):
            out = []
        else:
            return value
        if id(value) in memo:
            return memo[id(value)]
        memo[id(value)] = out
        todo.append((value, out))
        return out

    todo: list[tuple[Any, Any]] = []
    top = fresh(node)
    while todo:
        src, dst = todo.pop()
        if isinstance(src, dict):
            for k, v in src.items():
                dst[k] = fresh(v)
        else:
            dst.extend(fresh(v) for v in src)
    return top
