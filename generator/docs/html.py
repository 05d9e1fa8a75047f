"""``--format html``: one self-contained ``index.html``, an API help page: the operations by
tag in a list with a filter box, and for the chosen one its request URL, parameters,
headers, body and response examples and the code in tabs (one per language) with a copy
button. No external assets: the styles, the script and the data are inside the page.

The list is written as HTML; each operation's details are kept as JSON in the page and
built when it is shown, so that a definition with a thousand operations loads quickly."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

    from .view import DocsView, OperationDoc

FILE = "index.html"


def operation_data(o: OperationDoc) -> dict:
    """What the page's script needs to show one operation (short keys: the page carries
    one of these per operation)."""
    op = o.op
    data: dict = {"id": op.id, "a": o.anchor, "m": op.method, "p": op.path_template, "u": o.url,
                  "s": op.summary, "d": op.description, "t": o.page,
                  "code": [c.source for c in o.samples]}
    if op.deprecated:
        data["dep"] = True
    if o.params:
        data["params"] = [[r.name, r.location, r.required, r.type, r.description, r.example] for r in o.params]
    if o.headers:
        data["h"] = [list(pair) for pair in o.headers]
    if o.env_vars:
        data["env"] = [list(pair) for pair in o.env_vars]
    if o.body_media:
        data["body"] = [o.body_media, o.body_example]
    if o.response_status:
        data["resp"] = [o.response_status, o.response_media, o.response_example]
    programs = {str(i): [c.program_file, c.program] for i, c in enumerate(o.samples) if c.program}
    if programs:
        data["prog"] = programs
    return data


def render(view: DocsView, env: jinja2.Environment, context: dict) -> dict[str, str]:
    data = {"title": view.model.title, "languages": [title for _, title in view.languages],
            "ops": [operation_data(o) for o in view.operations]}
    page = env.get_template("html/index.html.j2").render(dict(context, view=view, api=view.model, data=data))
    return {FILE: page}
