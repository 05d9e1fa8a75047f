"""YAML text, read with the YAML 1.2 core schema, bounded (depth, aliases), duplicate keys refused."""
from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import Diagnostic, SpecError, pointer
from .limits import MAX_ALIASES, MAX_ALIAS_NODES, MAX_DEPTH
from .checks import _clean, _line_col
from .json_text import _duplicate


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
