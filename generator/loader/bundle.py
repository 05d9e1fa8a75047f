"""$ref screening, and bundling relative external files into the document."""
from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import unquote


from ..errors import LENIENT_SKIPS, Diagnostic, SpecError, pointer
from ..paths import inside
from ..refs import UNRESOLVED_KEY, Resolver, split_pointer, walk
from .limits import EXTERNAL_KEY, MAX_BYTES, MAX_DEPTH, MAX_EXTERNAL_FILES
from .checks import _clean, _kind
from .reading import _mib, _raise_hint, _read_file, parse_bytes


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
