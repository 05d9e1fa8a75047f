"""The project file: ``samplegen.toml`` (or ``[tool.samplegen]`` in ``pyproject.toml``).

Found in the current folder or a parent (``samplegen.toml`` first, then a ``pyproject.toml``
with a ``[tool.samplegen]`` table), or named with ``--config``. Read with ``tomllib``; its
structure is checked with schemas/config.schema.json. Every problem (TOML syntax, unknown
key, wrong type, missing file) is a ``ConfigError`` naming the file, the line and the key.
Paths in the file are relative to the file.
"""
from __future__ import annotations

import difflib
import json
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import SpecError

FILE_NAME = "samplegen.toml"
PYPROJECT = "pyproject.toml"
SCHEMA = "config.schema.json"
PROGRAMS = "programs"


class ConfigError(SpecError):
    """A problem in the configuration file: ``location`` is ``file:line``, ``key`` the key."""

    def __init__(self, message: str, file: Path | str, line: int | None = None, key: str = "") -> None:
        where = f"{file}:{line}" if line else str(file)
        super().__init__(f"{key}: {message}" if key else message, where)
        self.key = key
        self.more: list[ConfigError] = []  # further problems of the same file, printed after this one


@dataclass
class ApiEntry:
    """One ``[[api]]`` entry, its paths made absolute."""

    name: str
    definition: Path
    output: Path
    docs_output: Path  # the folder of the documentation formats
    formats: tuple[str, ...] = (PROGRAMS,)
    settings: dict[str, Any] = field(default_factory=dict)  # the other keys, as written
    templates: tuple[Path, ...] = ()
    line: int | None = None  # of its [[api]] header


@dataclass
class Config:
    path: Path
    apis: list[ApiEntry]
    lines: "_Lines | None" = None
    shown: str = ""  # the file's name in messages

    def error(self, parts: list, message: str) -> ConfigError:
        """An error about the key at ``parts`` (["api", 0, "formats"]), on its line."""
        return ConfigError(message, self.shown or str(self.path), self.lines.find(parts) if self.lines else None,
                           _key_name(parts))

    def select(self, name: str | None) -> list[ApiEntry]:
        if name is None:
            return list(self.apis)
        for api in self.apis:
            if api.name == name:
                return [api]
        raise ConfigError(f"no API named {name!r} (--api; known: {', '.join(a.name for a in self.apis)})",
                          self.shown or str(self.path))


def find(start: Path) -> Path | None:
    """The configuration file for ``start``: in it or the nearest parent that has one."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if (folder / FILE_NAME).is_file():
            return folder / FILE_NAME
        project = folder / PYPROJECT
        if project.is_file():
            try:
                data = tomllib.loads(project.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue  # not ours to judge
            if isinstance(data.get("tool"), dict) and "samplegen" in data["tool"]:
                return project
    return None


def schema() -> dict:
    """The structure of the file; target names are those of this installation."""
    from .languages import TARGETS

    data = json.loads(resources.files("generator.schemas").joinpath(SCHEMA).read_text(encoding="utf-8"))
    data["$defs"]["api"]["properties"]["targets"]["items"]["enum"] = list(TARGETS)
    return data


def load(path: Path, shown: str | None = None) -> Config:
    """Read, check and resolve the file; ConfigError on any problem. ``shown``: the file's name
    in messages (default: ``path``)."""
    path = Path(path)
    shown = shown or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such configuration file", shown) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the configuration file: {getattr(exc, 'strerror', None) or exc}",
                          shown) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else getattr(exc, "lineno", None)
        raise ConfigError(f"not valid TOML: {str(exc).split(' (at line')[0]}", shown, line) from None
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT:
        tool = data.get("tool")
        if not (isinstance(tool, dict) and isinstance(tool.get("samplegen"), dict)):
            raise ConfigError("has no [tool.samplegen] table", shown)
        data, prefix = tool["samplegen"], ("tool", "samplegen")
    lines = _Lines(text, prefix)
    problems = _check_structure(data, lines)
    if problems:
        raise _first(problems, shown)
    return Config(path, _resolve(data, path, shown, lines), lines, shown)


def _first(problems: list[tuple[int | None, str, str]], shown: str) -> ConfigError:
    """One error: the first problem; the others are listed after it on their own lines."""
    problems.sort(key=lambda p: (p[0] is None, p[0] or 0, p[1]))
    line, key, message = problems[0]
    exc = ConfigError(message, shown, line, key)
    exc.more = [ConfigError(m, shown, ln, k) for ln, k, m in problems[1:]]
    return exc


def _key_name(parts: list) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _check_structure(data: dict, lines: "_Lines") -> list[tuple[int | None, str, str]]:
    import jsonschema_rs

    full = schema()
    validator = jsonschema_rs.validator_for(full)
    problems = []
    for err in validator.iter_errors(data):
        where = list(err.instance_path)
        kind = type(err.kind).__name__
        if kind == "AdditionalProperties":
            allowed = _schema_at(full, list(err.schema_path)[:-1]).get("properties", {})
            for key in err.kind.unexpected:
                close = difflib.get_close_matches(key, list(allowed), n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(allowed)}"
                problems.append((lines.find(where + [key]), _key_name(where + [key]), f"unknown key ({hint})"))
        elif kind == "Required":
            problems.append((lines.find(where), _key_name(where + [err.kind.property]), "missing key"))
        elif kind == "Type":
            expected = " or ".join(err.kind.types)
            problems.append((lines.find(where), _key_name(where),
                             f"must be {_article(expected)}, not {_toml_type(err.instance)}"))
        elif kind == "Enum":
            problems.append((lines.find(where), _key_name(where),
                             f"{err.instance!r} is not one of {', '.join(map(str, err.kind.options))}"))
        elif kind == "OneOfNotValid":
            problems.append((lines.find(where), _key_name(where),
                             f"must be a string or an array of strings, not {_toml_type(err.instance)}"))
        elif kind == "MinItems":
            problems.append((lines.find(where), _key_name(where), "must not be empty"))
        elif kind == "MinLength":
            problems.append((lines.find(where), _key_name(where), "must not be empty"))
        elif kind == "Pattern":
            problems.append((lines.find(where), _key_name(where),
                             "may hold only letters, digits, '.', '_' and '-' (and start with a letter or digit)"))
        else:  # pragma: no cover - a keyword the schema does not use yet
            problems.append((lines.find(where), _key_name(where), err.message))
    return problems


def _schema_at(root: dict, path: list) -> dict:
    node: Any = root
    for part in path:
        node = node[part]
        if isinstance(node, dict) and "$ref" in node and set(node) == {"$ref"}:
            node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
    if isinstance(node, dict) and "$ref" in node:
        node = root["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _article(text: str) -> str:
    return ("an " if text[:1] in "aeiou" else "a ") + text


def _toml_type(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array",
            dict: "a table"}.get(type(value), type(value).__name__)


def _resolve(data: dict, path: Path, shown: str, lines: "_Lines") -> list[ApiEntry]:
    """Entries with absolute paths; missing files, clashing names and shared outputs are errors."""
    base = path.parent.absolute()
    entries: list[ApiEntry] = []
    names: dict[str, int] = {}
    outputs: dict[Path, int] = {}
    for i, raw in enumerate(data["api"]):
        def fail(key: str, message: str) -> ConfigError:
            return ConfigError(message, shown, lines.find(["api", i, key]), _key_name(["api", i, key]))

        definition = base / raw["definition"]
        if not definition.is_file():
            raise fail("definition", f"no such file: {raw['definition']}")
        templates = raw.get("templates", [])
        templates = [templates] if isinstance(templates, str) else templates
        for folder in templates:
            if not (base / folder).is_dir():
                raise fail("templates", f"no such folder: {folder}")
        output = base / raw["output"]
        if output.exists() and not output.is_dir():
            raise fail("output", f"exists and is not a folder: {raw['output']}")
        name = raw.get("name") or definition.stem
        if name in names:
            key = "name" if "name" in raw else "definition"
            raise fail(key, f"the name {name!r} is taken by api[{names[name]}]; give this entry a name = \"...\"")
        names[name] = i
        real = output.resolve()
        for other, j in outputs.items():
            if real == other or real.is_relative_to(other) or other.is_relative_to(real):
                how = "is" if real == other else "is inside, or holds,"
                raise fail("output", f"the folder {how} the output of api[{j}]; each API needs a folder of its own")
        outputs[real] = i
        settings = {k: v for k, v in raw.items()
                    if k not in ("name", "definition", "output", "docs_output", "formats", "templates")}
        formats = tuple(dict.fromkeys(raw.get("formats", [PROGRAMS])))
        docs_output = base / raw["docs_output"] if "docs_output" in raw else \
            output / "docs" if PROGRAMS in formats else output
        entries.append(ApiEntry(name=name, definition=definition, output=output, docs_output=docs_output,
                                formats=formats,
                                settings=settings, templates=tuple(base / t for t in templates),
                                line=lines.find(["api", i])))
    return entries


class _Lines:
    """Finds the line of a key in the file's text, simply: tomllib gives no positions.

    ``["api", 1, "targets"]`` is the ``targets =`` line under the second ``[[api]]`` header;
    a key that cannot be found gives its table's header line, or None."""

    _HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]*?)\s*\]\]?\s*(#.*)?$")

    def __init__(self, text: str, prefix: tuple[str, ...]) -> None:
        self.lines = text.splitlines()
        self.prefix = ".".join(prefix)
        self.headers: list[tuple[int, str, bool]] = []  # (line number, table name, array of tables)
        for n, line in enumerate(self.lines, 1):
            m = self._HEADER.match(line)
            if m:
                name = re.sub(r"\s*\.\s*", ".", m.group(2)).replace('"', "").replace("'", "")
                self.headers.append((n, name, m.group(1) == "[["))

    def _block(self, start: int) -> range:
        after = [n for n, _, _ in self.headers if n > start]
        return range(start + 1, after[0] if after else len(self.lines) + 1)

    def _key_in(self, block: range, key: str) -> int | None:
        pattern = re.compile(rf"\s*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*[=.]")
        for n in block:
            if pattern.match(self.lines[n - 1]):
                return n
        return None

    def find(self, parts: list) -> int | None:
        table = f"{self.prefix}.api" if self.prefix else "api"
        if len(parts) >= 2 and parts[0] == "api" and isinstance(parts[1], int):
            starts = [n for n, name, array in self.headers if array and name == table]
            if parts[1] < len(starts):
                start = starts[parts[1]]
                if len(parts) >= 3 and isinstance(parts[2], str):
                    return self._key_in(self._block(start), parts[2]) or start
                return start
            return self._top_key("api")
        if parts and isinstance(parts[0], str):
            return self._top_key(parts[0])
        return self._top_key(None)

    def _top_key(self, key: str | None) -> int | None:
        if self.prefix:
            starts = [n for n, name, array in self.headers if not array and name == self.prefix]
            if not starts:
                return None
            block = self._block(starts[0])
            return (self._key_in(block, key) if key else None) or starts[0]
        first = self.headers[0][0] if self.headers else len(self.lines) + 1
        found = self._key_in(range(1, first), key) if key else None
        if found is None and key:  # a table of that name ([api] instead of [[api]], say)
            found = next((n for n, name, _ in self.headers if name == key), None)
        return found
