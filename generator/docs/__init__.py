"""``samplegen docs``: the samples of a definition in documentation formats.

``build`` is pure, like ``generator.api.generate``: a parsed definition in, ``{path: text}``
out (with ``manifest.json``, so that the writer regenerates the folder safely), plus
diagnostics. One module per format; each renders the same view (``view.py``) through its
templates in ``templates/docs/``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import __version__
from ..errors import Diagnostic, SpecError
from ..languages import TARGETS
from ..model import ApiModel
from . import html, markdown, mkdocs, redoc

FORMATS = {"markdown": markdown, "mkdocs": mkdocs, "redoc": redoc, "html": html}
DEFAULT_FORMATS = ("markdown",)


@dataclass
class DocsResult:
    files: dict[str, str]
    model: ApiModel
    diagnostics: list[Diagnostic] = field(default_factory=list)
    skipped: list = field(default_factory=list)


def build(data: dict, *, version: str, formats: tuple[str, ...] = DEFAULT_FORMATS, options=None,
          source: str = "", sha256: str = "", text: str = "", replace_code_samples: bool = False) -> DocsResult:
    """Pure: the docs files of a parsed definition. ``text``: the definition's own text (the
    ``redoc`` format writes it back with the samples added; without it, from ``data``).
    ``options``: ``generator.api.Options`` (targets default to every language)."""
    from ..api import Options, build_model, definition_operations
    from ..render import create_environment, user_template_errors
    from .responses import response_examples
    from .text import FILTERS
    from .view import build_view

    options = options or Options(targets=tuple(TARGETS))
    for name in formats:
        if name not in FORMATS:
            raise SpecError(f"unknown docs format {name!r} (known: {', '.join(FORMATS)})")
    for name in options.targets:
        if name not in TARGETS:
            raise SpecError(f"unknown target {name!r} (known: {', '.join(TARGETS)})")
    model, diags = build_model(data, version=version, source=source, sha256=sha256, options=options)
    source_name = PurePosixPath(source.replace("\\", "/")).name if source else "<stdin>"
    context = {"source_name": source_name, "generator_version": __version__}
    languages = [TARGETS[n] for n in dict.fromkeys(options.targets)]
    responses, _ = response_examples(data, model, source)
    tags = {str(t.get("name")): str(t.get("description") or "") for t in data.get("tags") or []
            if isinstance(t, dict)}
    view = build_view(model, languages, context, responses, tags, options.template_dirs)
    env = create_environment("docs", FILTERS, [Path(d) for d in options.template_dirs])
    files: dict[str, str] = {}
    owners: dict[str, str] = {}
    for name in dict.fromkeys(formats):
        with user_template_errors(options.template_dirs):
            made = FORMATS[name].render(view, env, dict(context, text=text, data=data, source=source,
                                                        diagnostics=diags,
                                                        replace_code_samples=replace_code_samples))
        for path in made:
            if path in files:
                raise SpecError(f"the {name} and {owners[path]} formats would both write {path}")
            owners[path] = name
        files.update(made)
    files["manifest.json"] = _manifest(model, context, files, owners, definition_operations(data))
    return DocsResult(dict(sorted(files.items())), model, diags, model.skipped)


def _manifest(model: ApiModel, context: dict, files: dict[str, str], owners: dict[str, str],
              in_definition: list[str]) -> str:
    """The writer's record of the run: each file belongs to its format ("docs:<format>"), so a
    run of other formats keeps it and a run of its format removes it when no longer written."""
    data = {
        "generator": "samplegen",
        "version": context["generator_version"],
        "definition": {"source": context["source_name"], "sha256": model.sha256, "title": model.title,
                       "version": model.version, "spec_version": model.spec_version},
        "targets": [f"docs:{name}" for name in dict.fromkeys(owners.values())],
        "operations": [],
        "definition_operations": in_definition,
        "files": {path: ({"target": f"docs:{owners[path]}"} if path in owners else {})
                  for path in sorted(set(files) | {"manifest.json"})},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def build_path(source, options=None, *, formats: tuple[str, ...] = DEFAULT_FORMATS, name: str | None = None,
               allow_external_refs: bool = False, use_cache: bool = True, max_bytes: int | None = None,
               full_validation: bool = False, replace_code_samples: bool = False) -> DocsResult:
    """Load, validate and build; every location is placed on its line of the file."""
    from ..api import Options, load_and_validate, place, placed_error

    options = options or Options(targets=tuple(TARGETS))
    doc, diags = load_and_validate(source, name=name, lenient=options.lenient,
                                   allow_external_refs=allow_external_refs, use_cache=use_cache,
                                   max_bytes=max_bytes, full_validation=full_validation)
    try:
        result = build(doc.data, version=doc.version, formats=formats, options=options, source=doc.source,
                       sha256=doc.sha256, text=doc.text, replace_code_samples=replace_code_samples)
    except SpecError as exc:
        raise placed_error(doc, exc) from None
    result.diagnostics, result.skipped = place(doc, diags + result.diagnostics, result.model.skipped)
    return result
