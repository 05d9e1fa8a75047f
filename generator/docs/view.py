"""What a docs page shows of a definition: the operations grouped by tag, and for each one
its URL, parameters, headers, request and response examples and the snippet in every
selected language. Plain data; every format prints it through its own templates."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ..languages import Language
from ..languages.text import one_line
from ..model import ApiModel, Body, Operation
from ..normalize.media import is_json_media
from ..render import render_snippet, render_targets

_SAFE_ANCHOR = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


@dataclass
class CodeSample:
    name: str  # the language's name in the registry
    title: str  # the tab's title (the label, told apart when two languages share one)
    info_string: str  # Markdown fence info string
    label: str
    source: str  # the snippet
    program: str = ""  # the complete program, when the snippet is not a whole script
    program_file: str = ""  # where `samplegen generate` writes that program


@dataclass
class Row:
    name: str
    location: str
    required: bool
    type: str
    description: str
    example: str


@dataclass
class OperationDoc:
    op: Operation
    anchor: str
    page: str  # the page (file name) of its group
    url: str
    params: list[Row] = field(default_factory=list)
    headers: list[tuple[str, str]] = field(default_factory=list)
    env_vars: list[tuple[str, str]] = field(default_factory=list)
    body_media: str = ""
    body_example: str = ""
    body_info: str = ""  # the fence info string of the body example ("json" or "")
    response_status: str = ""
    response_media: str = ""
    response_example: str = ""
    response_info: str = ""
    samples: list[CodeSample] = field(default_factory=list)

    @property
    def title(self) -> str:
        return one_line(self.op.summary) or self.op.id


@dataclass
class Group:
    title: str
    slug: str  # page file stem
    description: str = ""
    operations: list[OperationDoc] = field(default_factory=list)


@dataclass
class DocsView:
    model: ApiModel
    groups: list[Group]
    languages: list[tuple[str, str]]  # (name, tab title) of every language shown

    @property
    def operations(self) -> list[OperationDoc]:
        return [o for g in self.groups for o in g.operations]


def tab_titles(languages: list[Language]) -> list[str]:
    """The label of each language; a label shared by several keeps its first language, the
    others add their name ("Python", "Python (python-urllib)")."""
    seen: set[str] = set()
    out = []
    for lang in languages:
        out.append(lang.label if lang.label not in seen else f"{lang.label} ({lang.name})")
        seen.add(lang.label)
    return out


def _slug(text: str, fallback: str) -> str:
    return _SLUG_DROP.sub("-", text.lower()).strip("-")[:80].strip("-") or fallback


def _unique(name: str, taken: set[str]) -> str:
    out, n = name, 2
    while out.casefold() in taken:
        out, n = f"{name}-{n}", n + 1
    taken.add(out.casefold())
    return out


def body_example(body: Body | None) -> str:
    """The request body as it is sent (files named, not read)."""
    if body is None:
        return ""
    if body.kind == "json":
        return json.dumps(body.json, indent=2, ensure_ascii=False)
    if body.kind == "form":
        return urlencode([(f.name, f.value or "") for f in body.fields])
    if body.kind == "multipart":
        lines = []
        for f in body.fields:
            if f.file is not None:
                lines.append(f"{f.name}: file {f.file.filename} ({f.file.content_type}; from {f.file.env_var})")
            else:
                lines.append(f"{f.name}: {f.value or ''}" + (f" ({f.content_type})" if f.content_type else ""))
        return "\n".join(lines)
    if body.kind == "binary" and body.file is not None:
        return f"the file named by {body.file.env_var}"
    return body.text


def _type_of(schema: dict) -> str:
    if not isinstance(schema, dict):
        return ""
    kind = schema.get("type", "")
    if isinstance(kind, list):
        kind = " | ".join(str(k) for k in kind)
    if kind == "array" and isinstance(schema.get("items"), dict):
        inner = _type_of(schema["items"])
        kind = f"array of {inner}" if inner else "array"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if kind and isinstance(fmt, str) else str(kind or "")


def _example_text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _url(op: Operation) -> str:
    s = op.sample
    base = ""
    if s is not None:
        base = s.server.url_template if s.server is not None else s.base_url
    fixed = [(n, v) for n, v, var in (s.query_items if s is not None else []) if not var]
    return (base.rstrip("/") or "{API_BASE_URL}") + op.path_template + (f"?{urlencode(fixed)}" if fixed else "")


def build_view(model: ApiModel, languages: list[Language], context: dict, responses: dict,
               tag_text: dict[str, str], user_dirs: tuple[str, ...] = ()) -> DocsView:
    """``responses``: operation id -> (status, media type, example text), see ``responses.py``;
    ``tag_text``: tag name -> its description."""
    titles = tab_titles(languages)
    partial = [lang for lang in languages if not lang.script_snippet]
    programs = render_targets(model, partial, context, user_dirs) if partial else {}
    groups: dict[str, Group] = {}
    taken: set[str] = {"readme", "index"}
    anchors: set[str] = set()
    for op in model.operations:
        tag = op.tags[0] if op.tags else ""
        if tag not in groups:
            groups[tag] = Group(title=tag or "Other operations", slug=_unique(_slug(tag, "tag") if tag else "other-operations", taken),
                                description=tag_text.get(tag, ""))
        group = groups[tag]
        anchor = op.id if _SAFE_ANCHOR.fullmatch(op.id) and op.id not in anchors else op.snake
        while anchor in anchors:
            anchor += "_"
        anchors.add(anchor)
        doc = OperationDoc(op=op, anchor=anchor, page=group.slug, url=_url(op))
        for p in op.parameters:
            doc.params.append(Row(p.name, p.location, p.required, _type_of(p.schema), one_line(p.description),
                                  _example_text(p.example) if p.has_example or p.sent else ""))
        s = op.sample
        if s is not None:
            doc.headers = list(s.headers)
            if s.body is not None:
                doc.headers.append(("Content-Type", s.body.media_type))
            doc.env_vars = list(s.env_vars)
            doc.body_media = s.body.media_type if s.body is not None else ""
            doc.body_example = body_example(s.body)
            doc.body_info = "json" if s.body is not None and s.body.kind == "json" else ""
            for lang, title in zip(languages, titles):
                sample = CodeSample(lang.name, title, lang.info_string, lang.label,
                                    render_snippet(model, op, lang, context, user_dirs))
                if not lang.script_snippet:
                    sample.program_file = lang.main_file(op)
                    sample.program = programs[sample.program_file]
                doc.samples.append(sample)
        doc.response_status, doc.response_media, doc.response_example = responses.get(op.id, ("", "", ""))
        doc.response_info = "json" if is_json_media(doc.response_media) else ""
        group.operations.append(doc)
    ordered = [g for tag, g in groups.items() if tag] + ([groups[""]] if "" in groups else [])
    return DocsView(model, ordered, [(lang.name, t) for lang, t in zip(languages, titles)])

