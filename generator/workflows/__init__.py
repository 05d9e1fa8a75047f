"""Workflows: runnable multi-step programs from an Arazzo 1.0 document.

``arazzo_path(source)`` tells whether a file is an Arazzo document (cheaply: its first bytes);
``generate_workflows_path`` loads it, validates it (schema, then references and
expressions), generates the per-operation samples of its source definition and one program
per workflow per target."""
from __future__ import annotations

import json
import os
import re
from pathlib import PurePosixPath
from typing import Any

from ..errors import Diagnostic, SpecError
from .build import Builder
from .document import WorkflowsInvalid, is_arazzo, open_document, place, read_document, source_path
from .model import Workflow

# a top-level YAML key at the start of a line, or the JSON key anywhere in the head (the
# parsed document decides: a definition that merely mentions it is read as a definition)
_ARAZZO_KEY = re.compile(rb"""(?m)^['"]?arazzo['"]?[ \t]*:|"arazzo"\s*:""")


def looks_like_arazzo(source: Any) -> bool:
    """Whether a file (or bytes) has a top-level ``arazzo`` key near its start; only the
    first 4 KiB are read, so definitions pay nothing."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        head = bytes(source[:4096])
    else:
        try:
            with open(os.fspath(source), "rb") as handle:
                head = handle.read(4096)
        except OSError:
            return False
    return bool(_ARAZZO_KEY.search(head))


def load_workflows(source: Any, options: Any, *, name: str | None = None, allow_external_refs: bool = False,
                   use_cache: bool = True, max_bytes: int | None = None, full_validation: bool = False):
    """(the Arazzo document, its source's name, the source definition's Document, its
    diagnostics), or None when ``source`` is not an Arazzo document. Raises SpecError."""
    from ..api import load_and_validate
    from ..loader import MAX_BYTES

    data, text, display, raw = read_document(source, name=name, max_bytes=max_bytes or MAX_BYTES)
    if not is_arazzo(data):
        return None
    doc = open_document(source, data, text, display, raw)
    descriptions = doc.data["sourceDescriptions"]
    if len(descriptions) != 1 or descriptions[0].get("type", "openapi") != "openapi":
        raise WorkflowsInvalid(place(doc, [Diagnostic("error", doc.where("sourceDescriptions"),
                               "exactly one source description, of type openapi, is supported")]))
    desc = descriptions[0]
    try:
        path = source_path(doc, 0, desc["url"], allow_external_refs)
    except SpecError as exc:
        raise WorkflowsInvalid(place(doc, [Diagnostic("error", exc.location, exc.message)])) from None
    shown = os.path.relpath(path) if not os.path.isabs(display) else path
    definition, diags = load_and_validate(path, name=shown, lenient=options.lenient,
                                          allow_external_refs=allow_external_refs, use_cache=use_cache,
                                          max_bytes=max_bytes, full_validation=full_validation)
    return doc, desc["name"], definition, diags


def generate_workflows_path(source: Any, options: Any, *, name: str | None = None,
                            allow_external_refs: bool = False, use_cache: bool = True,
                            max_bytes: int | None = None, progress: Any = None, full_validation: bool = False):
    """Like ``api.generate_path`` for an Arazzo document: the source definition's samples plus
    one program per workflow per target (a target without a workflow template is named in a
    warning). None when ``source`` is not an Arazzo document after all."""
    from ..api import generate, place as place_definition, placed_error

    loaded = load_workflows(source, options, name=name, allow_external_refs=allow_external_refs,
                            use_cache=use_cache, max_bytes=max_bytes, full_validation=full_validation)
    if loaded is None:
        return None
    doc, source_name, definition, diags = loaded
    try:
        result = generate(definition.data, version=definition.version, options=options, source=definition.source,
                          sha256=definition.sha256, progress=progress)
    except SpecError as exc:
        raise placed_error(definition, exc) from None
    result.diagnostics, result.skipped = place_definition(definition, diags + result.diagnostics,
                                                          result.model.skipped)
    model = result.model
    if options.operations:  # --operation chooses the samples written; the workflows need every operation
        from dataclasses import replace

        from ..api import build_model

        model = build_model(definition.data, version=definition.version, source=definition.source,
                            sha256=definition.sha256, options=replace(options, operations=()))[0]
    builder = Builder(doc, {source_name: model})
    workflows = builder.build()
    if builder.problems:
        raise WorkflowsInvalid(place(doc, builder.problems))
    add_workflow_files(result, workflows, options, PurePosixPath(doc.source.replace("\\", "/")).name)
    return result


def add_workflow_files(result: Any, workflows: list[Workflow], options: Any, arazzo_name: str) -> None:
    """The workflow programs, the index and the manifest that list them, into ``result``."""
    from .. import __version__
    from ..api import render_index
    from ..languages import TARGETS
    from ..render import environment_for, user_template_errors

    targets = [TARGETS[n] for n in dict.fromkeys(options.targets)]
    context = {"source_name": arazzo_name, "generator_version": __version__}
    files = dict(result.files)
    listed = []
    for wf in workflows:
        entry = {"id": wf.id, "summary": wf.summary, "steps": [s.id for s in wf.steps], "files": {}}
        for t in targets:
            if not t.workflow:
                continue
            with user_template_errors(options.template_dirs):
                env = environment_for(t, options.template_dirs)
                for template_name, out_path in t.workflow_files(wf):
                    files[out_path] = env.get_template(template_name).render(
                        wf=wf, op=wf, s=wf.shared, api=wf.api, target=t, **context)
            entry["files"][t.name] = t.workflow_files(wf)[0][1]
        listed.append(entry)
    for t in targets:
        if not t.workflow and workflows:
            result.diagnostics.append(Diagnostic("warning", arazzo_name, f"no workflow programs for {t.name}: "
                                                 f"{t.workflow_missing or 'not supported yet'}"))
    index_context = dict(context, source_name=result.model.source and PurePosixPath(
        result.model.source.replace("\\", "/")).name, arazzo_name=arazzo_name, workflows=listed)
    files["README.md"] = render_index(result.model, targets, index_context, options.template_dirs)
    manifest = json.loads(result.files["manifest.json"])
    owners = manifest["files"]
    for path in files:
        owners.setdefault(path, {})
    for entry in listed:
        for target_name, path in entry["files"].items():
            for _, p in TARGETS[target_name].workflow_files(next(w for w in workflows if w.id == entry["id"])):
                owners[p] = {"target": target_name}
    manifest["files"] = dict(sorted(owners.items()))
    manifest["workflows"] = listed
    manifest["arazzo"] = {"source": arazzo_name}
    files["manifest.json"] = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    result.files = dict(sorted(files.items()))
    result.workflows = workflows


__all__ = ["Workflow", "WorkflowsInvalid", "generate_workflows_path", "looks_like_arazzo", "load_workflows"]
