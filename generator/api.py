"""The pipeline: load -> validate -> normalize -> render. ``generate`` is pure."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from . import __version__, heap
from .errors import Diagnostic, SpecError
from .jsontext import indented
from .model import ApiModel, SkippedOperation, to_jsonable
from .normalize import NormalizeOptions, normalize
from .render import create_environment, render_targets
from .languages import DEFAULT_TARGETS, TARGETS


@dataclass
class Options:
    targets: tuple[str, ...] = DEFAULT_TARGETS
    operations: tuple[str, ...] = ()  # operation ids (or their file names); empty: all
    base_url: str | None = None
    lenient: bool = False
    auth_header_prefix: str = "Bearer "
    template_dirs: tuple[str, ...] = ()  # user template folders, searched first
    all_params: bool = False  # also send the optional parameters, with made-up values when needed
    # filters, applied after ``operations``: an operation is generated when it has one of ``tags``
    # (empty: any), none of ``exclude_tags`` and is not one of ``exclude_operations``
    tags: tuple[str, ...] = ()
    exclude_tags: tuple[str, ...] = ()
    exclude_operations: tuple[str, ...] = ()

    @property
    def filtered(self) -> bool:
        return bool(self.operations or self.tags or self.exclude_tags or self.exclude_operations)


@dataclass
class Result:
    files: dict[str, str | None]  # None for a file generate's ``emit`` took (see generate)
    model: ApiModel
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # operations lenient mode could not generate; ``location`` here is where the fault is, as
    # ``file#/pointer`` (``file:line:col #/pointer`` from generate_path)
    skipped: list[SkippedOperation] = field(default_factory=list)
    workflows: list = field(default_factory=list)  # an Arazzo document's (generator/workflows)


class ValidationFailed(SpecError):
    """The validator rejected the definition (strict mode)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        first = diagnostics[0]
        super().__init__(first.message, first.location)
        self.diagnostics = diagnostics


def build_model(data: dict, *, version: str, source: str = "", sha256: str = "",
                options: Options | None = None,
                on_operation: Callable[[Any], None] | None = None) -> tuple[ApiModel, list[Diagnostic]]:
    """The model. ``on_operation(op)``: each operation as soon as it is built and named (not
    called when filters of ``options`` leave operations out afterwards)."""
    options = options or Options()
    model, diags = normalize(data, version=version, source=source, sha256=sha256,
                             options=NormalizeOptions(base_url=options.base_url,
                                                      auth_header_prefix=options.auth_header_prefix,
                                                      lenient=options.lenient,
                                                      all_params=options.all_params,
                                                      on_operation=None if options.filtered else on_operation))
    if options.filtered:
        select(model, data, options)
    return model, diags


def _by_key(model: ApiModel, names: tuple[str, ...], option: str, source: str) -> dict[str, Any]:
    """The operations named (operationId or file name); an unknown name is an error."""
    by_key: dict[str, Any] = {}
    for op in model.operations:
        for key in (op.id, op.snake, op.pascal):
            by_key.setdefault(key, op)
    skipped = {s.id for s in model.skipped}
    missing = [n for n in names if n not in by_key and n not in skipped]
    if missing:
        known = ", ".join(op.id for op in model.operations)
        raise SpecError(f"no operation {missing[0]!r} in the definition ({option}; known: {known})", source)
    return {n: by_key[n] for n in names if n in by_key}


def _skipped_tags(data: dict, skipped: SkippedOperation) -> list[str]:
    """The tags of an operation lenient mode skipped, as far as the definition gives them."""
    item = data.get("paths", {}).get(skipped.path) if isinstance(data.get("paths"), dict) else None
    raw = _local_target(data, item)
    op = raw.get(skipped.method.lower()) if isinstance(raw, dict) and skipped.method else None
    tags = op.get("tags") if isinstance(op, dict) else None
    return [str(t) for t in tags] if isinstance(tags, list) else []


def select(model: ApiModel, data: dict, options: Options) -> None:
    """Keep the operations (and skipped operations) the filters of ``options`` let through.

    A filtered run only leaves operations out: regeneration keeps their files (generator.regen)."""
    source = model.source
    named = _by_key(model, options.operations, "--operation", source) if options.operations else None
    excluded = _by_key(model, options.exclude_operations, "--exclude-operation", source)
    if options.tags:
        known = {t for op in model.operations for t in op.tags} | \
            {t for s in model.skipped for t in _skipped_tags(data, s)}
        unknown = [t for t in options.tags if t not in known]
        if unknown:
            raise SpecError(f"no operation is tagged {unknown[0]!r} (--tag; known tags: "
                            f"{', '.join(sorted(known)) or 'none'})", source)

    def wanted(op_id: str, tags: list[str], op: Any = None) -> bool:
        if named is not None and not (op_id in options.operations or any(n is op for n in named.values())):
            return False
        if op_id in options.exclude_operations or any(n is op for n in excluded.values()):
            return False
        if options.tags and not set(tags) & set(options.tags):
            return False
        return not set(tags) & set(options.exclude_tags)

    model.operations = [op for op in model.operations if wanted(op.id, op.tags, op)]
    model.skipped = [s for s in model.skipped if wanted(s.id, _skipped_tags(data, s))]


def generate(data: dict, *, version: str, options: Options | None = None, source: str = "",
             sha256: str = "", diagnostics: list[Diagnostic] | None = None,
             progress: Callable[[str, int, int], None] | None = None,
             emit: Callable[[str, str], bool | None] | None = None,
             announce: Callable[[str], None] | None = None) -> Result:
    """Pure: a parsed definition in, ``{path: text}`` out. No disk, network, clock or randomness.

    ``progress(phase, done, total)``, when given, is called as operations are rendered;
    ``emit(path, text)`` with each operation's file as soon as it is rendered (the result
    holds the same text, and the files not emitted; None for a file when ``emit`` returned a
    true value: the caller has it in hand, and a large run does not hold every text at once);
    ``announce(path)`` with the path of each operation's files as soon as the operation is in
    the model, before anything is rendered (only a failing run leaves an announced path out)."""
    options = options or Options()
    for name in options.targets:
        if name not in TARGETS:
            raise SpecError(f"unknown target {name!r} (known: {', '.join(TARGETS)})")
    targets = [TARGETS[name] for name in dict.fromkeys(options.targets)]

    def announced(op: Any) -> None:
        for target in targets:
            for _, path in target.per_operation(op):
                announce(path)

    model, diags = build_model(data, version=version, source=source, sha256=sha256, options=options,
                               on_operation=announced if announce is not None else None)
    heap.settle()  # the model lives as long as the run (the command line only; see generator.heap)
    diags = list(diagnostics or []) + diags
    context = {"source_name": PurePosixPath(source.replace("\\", "/")).name if source else "<stdin>",
               "generator_version": __version__}
    step = (lambda done, total: progress("render", done, total)) if progress else None
    files = render_targets(model, targets, context, options.template_dirs, step, emit)
    files["README.md"] = render_index(model, targets, context, options.template_dirs)
    files["manifest.json"] = manifest(model, targets, files, context, definition_operations(data))
    skipped = [replace(s, location=f"{source}#{s.location}") for s in model.skipped]
    return Result(files=dict(sorted(files.items())), model=model, diagnostics=diags, skipped=skipped)


def render_index(model: ApiModel, targets: list, context: dict, user_dirs: tuple[str, ...]) -> str:
    from .render import user_template_errors
    from .languages.text import comment_lines, one_line

    env = create_environment("common", {"one_line": one_line, "lines": comment_lines},
                             [Path(d) for d in user_dirs])
    with user_template_errors(user_dirs):
        return env.get_template("README.md.j2").render(api=model, targets=targets, **context)


def definition_operations(data: dict) -> list[str]:
    """Every operation of the definition as "METHOD /path", including ones not generated (left out
    by --operation, or skipped): regeneration removes only samples of operations missing here."""
    from .normalize import METHODS
    from .serialize import split_path_query

    found: set[str] = set()
    for key in ("paths", "x-ms-paths"):
        paths = data.get(key)
        for path_key, item in (paths.items() if isinstance(paths, dict) else ()):
            item = _local_target(data, item)
            if isinstance(item, dict):
                found.update(f"{m.upper()} {split_path_query(str(path_key))[0]}" for m in item if m in METHODS)
    return sorted(found)


def _local_target(data: dict, node: Any) -> Any:
    """Follow a path item's local $ref (a few hops at most); anything else as it is."""
    from .refs import split_pointer, walk

    for _ in range(16):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        try:
            node = walk(data, split_pointer(node["$ref"]))[1]
        except SpecError:
            return None
    return node


def manifest(model: ApiModel, targets: list, files: dict[str, str], context: dict,
             in_definition: list[str] | None = None) -> str:
    """What this run generates. "files" maps every path to the target and operation it belongs
    to; the writer merges this with the manifest of earlier runs and adds each file's SHA-256."""
    owners: dict[str, dict[str, str]] = {}
    ops = []
    for op in model.operations:
        for t in targets:
            for _, path in t.per_operation(op):
                owners[path] = {"target": t.name, "operation": op.id}
        ops.append({
            "id": op.id,
            "method": op.method,
            "path": op.path_template,
            "summary": op.summary,
            "files": {t.name: t.main_file(op) for t in targets},
        })
    for t in targets:
        for _, path in t.shared:
            owners[path] = {"target": t.name}
    data = {
        "generator": "samplegen",
        "version": context["generator_version"],
        "definition": {"source": context["source_name"], "sha256": model.sha256,
                       "title": model.title, "version": model.version,
                       "spec_version": model.spec_version},
        "targets": [t.name for t in targets],
        "operations": ops,
    }
    if in_definition is not None:
        data["definition_operations"] = list(in_definition)
    data["files"] = {path: owners.get(path, {}) for path in sorted(set(files) | {"README.md", "manifest.json"})}
    if model.skipped:
        data["skipped"] = [{"id": s.id, "method": s.method, "path": s.path, "reason": s.reason,
                            "location": s.location} for s in model.skipped]
    return indented(data, ensure_ascii=False) + "\n"


def model_json(model: ApiModel) -> str:
    """The model as JSON (a golden of its own); the source is reduced to its file name."""
    data = to_jsonable(model)
    if not data.get("skipped"):
        data.pop("skipped", None)
    data["source"] = PurePosixPath(str(data.get("source") or "").replace("\\", "/")).name
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_and_validate(source: str | os.PathLike | bytes, *, name: str | None = None,
                      lenient: bool = False, allow_external_refs: bool = False,
                      use_cache: bool = True, max_bytes: int | None = None,
                      progress: Callable[[str, int, int], None] | None = None,
                      full_validation: bool = False):
    """Load (bounded) and validate (cached). Strict: raise ValidationFailed; lenient: warnings.
    ``full_validation``: openapi-spec-validator itself rather than the fast checks.

    Errors raised are placed on their line (``file.yaml:12:5 #/json/pointer``); the warnings
    returned are at ``file#/json/pointer``: ``place`` puts everything on lines in one go."""
    from .loader import MAX_BYTES, load_document
    from .validate import VALIDATOR_STOPPED, validate

    if progress:
        progress("load", 0, 0)
    doc = load_document(source, name=name, allow_external_refs=allow_external_refs, lenient=lenient,
                        max_bytes=max_bytes or MAX_BYTES)
    if progress:
        progress("validate", 0, 0)
    found = validate(doc.data, spec_version=doc.version, sha256=doc.sha256, source=doc.source,
                     use_cache=use_cache, full=full_validation)
    if doc.warnings:  # references lenient mode got past: the validator trips on them
        found = [replace(d, message=f"{VALIDATOR_STOPPED}: it cannot follow the references above")
                 if d.message.startswith(VALIDATOR_STOPPED) else d for d in found]
    if not lenient and any(d.level == "error" for d in found):
        raise ValidationFailed(place(doc, found, [])[0])
    diags = list(doc.warnings) + [Diagnostic("warning", d.location, d.message) for d in found]
    return doc, diags


def place(doc, diags: list[Diagnostic], skipped: list[SkippedOperation]
          ) -> tuple[list[Diagnostic], list[SkippedOperation]]:
    """Diagnostics (``file#/pointer``) and skipped operations (``/pointer``) placed on their
    line in ``doc``: ``file:line:col #/pointer``. One scan of the text for all of them."""
    where = [f"{doc.source}#{s.location}" for s in skipped]
    placed = doc.locate([d.location for d in diags] + where)
    return ([replace(d, location=placed.get(d.location, d.location)) for d in diags],
            [replace(s, location=placed.get(loc, loc)) for s, loc in zip(skipped, where)])


def placed_error(doc, exc: SpecError) -> SpecError:
    """``exc`` with its location placed on its line in ``doc``."""
    exc.location = doc.locate([exc.location]).get(exc.location, exc.location)
    return exc


def generate_path(source: str | os.PathLike | bytes, options: Options | None = None, *,
                  name: str | None = None, allow_external_refs: bool = False,
                  use_cache: bool = True, max_bytes: int | None = None,
                  progress: Callable[[str, int, int], None] | None = None,
                  full_validation: bool = False, emit: Callable[[str, str], bool | None] | None = None,
                  announce: Callable[[str], None] | None = None) -> Result:
    """Load, validate and generate; every location is placed on its line of the file.
    ``emit``, ``announce``: as for ``generate`` (not called for an Arazzo document)."""
    options = options or Options()
    from .workflows import generate_workflows_path, looks_like_arazzo

    if looks_like_arazzo(source):  # an Arazzo document: its definition's samples and its workflows
        result = generate_workflows_path(source, options, name=name, allow_external_refs=allow_external_refs,
                                         use_cache=use_cache, max_bytes=max_bytes, progress=progress,
                                         full_validation=full_validation)
        if result is not None:
            return result
    doc, diags = load_and_validate(source, name=name, lenient=options.lenient,
                                   allow_external_refs=allow_external_refs, use_cache=use_cache,
                                   max_bytes=max_bytes, progress=progress, full_validation=full_validation)
    heap.settle()
    if progress:
        progress("model", 0, 0)
    try:
        result = generate(doc.data, version=doc.version, options=options, source=doc.source,
                          sha256=doc.sha256, progress=progress, emit=emit, announce=announce)
    except SpecError as exc:
        raise placed_error(doc, exc) from None
    result.diagnostics, result.skipped = place(doc, diags + result.diagnostics, result.model.skipped)
    return result
