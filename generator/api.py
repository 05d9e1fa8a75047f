"""The pipeline: load -> validate -> normalize -> render. ``generate`` is pure."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from . import __version__
from .errors import Diagnostic, SpecError
from .model import ApiModel, to_jsonable
from .normalize import NormalizeOptions, normalize
from .render import create_environment, render_targets
from .targets import DEFAULT_TARGETS, TARGETS


@dataclass
class Options:
    targets: tuple[str, ...] = DEFAULT_TARGETS
    operations: tuple[str, ...] = ()  # operation ids (or their file names); empty: all
    base_url: str | None = None
    lenient: bool = False
    auth_header_prefix: str = "Bearer "
    template_dirs: tuple[str, ...] = ()  # user template folders, searched first


@dataclass
class Result:
    files: dict[str, str]
    model: ApiModel
    diagnostics: list[Diagnostic] = field(default_factory=list)


class ValidationFailed(SpecError):
    """The validator rejected the definition (strict mode)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        first = diagnostics[0]
        super().__init__(first.message, first.location)
        self.diagnostics = diagnostics


def build_model(data: dict, *, version: str, source: str = "", sha256: str = "",
                options: Options | None = None) -> tuple[ApiModel, list[Diagnostic]]:
    options = options or Options()
    model, diags = normalize(data, version=version, source=source, sha256=sha256,
                             options=NormalizeOptions(base_url=options.base_url,
                                                      auth_header_prefix=options.auth_header_prefix,
                                                      lenient=options.lenient))
    if options.operations:
        wanted = list(options.operations)
        by_key: dict[str, Any] = {}
        for op in model.operations:
            for key in (op.id, op.snake, op.pascal):
                by_key.setdefault(key, op)
        missing = [w for w in wanted if w not in by_key]
        if missing:
            known = ", ".join(op.id for op in model.operations)
            raise SpecError(f"no operation {missing[0]!r} in the definition (known: {known})", source)
        keep = {id(by_key[w]) for w in wanted}
        model.operations = [op for op in model.operations if id(op) in keep]
    return model, diags


def generate(data: dict, *, version: str, options: Options | None = None, source: str = "",
             sha256: str = "", diagnostics: list[Diagnostic] | None = None,
             progress: Callable[[str, int, int], None] | None = None) -> Result:
    """Pure: a parsed definition in, ``{path: text}`` out. No disk, network, clock or randomness.

    ``progress(phase, done, total)``, when given, is called as operations are rendered."""
    options = options or Options()
    for name in options.targets:
        if name not in TARGETS:
            raise SpecError(f"unknown target {name!r} (known: {', '.join(TARGETS)})")
    model, diags = build_model(data, version=version, source=source, sha256=sha256, options=options)
    diags = list(diagnostics or []) + diags
    context = {"source_name": PurePosixPath(source.replace("\\", "/")).name if source else "<stdin>",
               "generator_version": __version__}
    targets = [TARGETS[name] for name in dict.fromkeys(options.targets)]
    step = (lambda done, total: progress("render", done, total)) if progress else None
    files = render_targets(model, targets, context, options.template_dirs, step)
    files["README.md"] = render_index(model, targets, context, options.template_dirs)
    files["manifest.json"] = manifest(model, targets, files, context)
    return Result(files=dict(sorted(files.items())), model=model, diagnostics=diags)


def render_index(model: ApiModel, targets: list, context: dict, user_dirs: tuple[str, ...]) -> str:
    from .targets.text import comment_lines, one_line

    env = create_environment("common", {"one_line": one_line, "lines": comment_lines},
                             [Path(d) for d in user_dirs])
    return env.get_template("README.md.j2").render(api=model, targets=targets, **context)


def manifest(model: ApiModel, targets: list, files: dict[str, str], context: dict) -> str:
    ops = []
    for op in model.operations:
        ops.append({
            "id": op.id,
            "method": op.method,
            "path": op.path_template,
            "summary": op.summary,
            "files": {t.name: t.main_file(op) for t in targets},
        })
    data = {
        "generator": "samplegen",
        "version": context["generator_version"],
        "definition": {"source": context["source_name"], "sha256": model.sha256,
                       "title": model.title, "version": model.version,
                       "spec_version": model.spec_version},
        "targets": [t.name for t in targets],
        "operations": ops,
        "files": sorted(list(files) + ["README.md", "manifest.json"]),
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def model_json(model: ApiModel) -> str:
    """The model as JSON (a golden of its own); the source is reduced to its file name."""
    data = to_jsonable(model)
    data["source"] = PurePosixPath(str(data.get("source") or "").replace("\\", "/")).name
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def load_and_validate(source: str | os.PathLike | bytes, *, name: str | None = None,
                      lenient: bool = False, allow_external_refs: bool = False,
                      use_cache: bool = True, progress: Callable[[str, int, int], None] | None = None):
    """Load (bounded) and validate (cached). Strict: raise ValidationFailed; lenient: warnings."""
    from .loader import load_document
    from .validate import validate

    if progress:
        progress("load", 0, 0)
    doc = load_document(source, name=name, allow_external_refs=allow_external_refs)
    if progress:
        progress("validate", 0, 0)
    found = validate(doc.data, spec_version=doc.version, sha256=doc.sha256, source=doc.source,
                     use_cache=use_cache)
    if found and not lenient:
        raise ValidationFailed(found)
    diags = [Diagnostic("warning", d.location, d.message) for d in found]
    return doc, diags


def generate_path(source: str | os.PathLike | bytes, options: Options | None = None, *,
                  name: str | None = None, allow_external_refs: bool = False,
                  use_cache: bool = True, progress: Callable[[str, int, int], None] | None = None) -> Result:
    options = options or Options()
    doc, diags = load_and_validate(source, name=name, lenient=options.lenient,
                                   allow_external_refs=allow_external_refs, use_cache=use_cache,
                                   progress=progress)
    if progress:
        progress("model", 0, 0)
    return generate(doc.data, version=doc.version, options=options, source=doc.source,
                    sha256=doc.sha256, diagnostics=diags, progress=progress)
