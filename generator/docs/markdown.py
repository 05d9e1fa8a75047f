"""``--format markdown``: ``README.md`` (the index) and one page per tag, the code of each
language in a fenced block with the language's info string."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

    from .view import DocsView

FOLDER = ""  # pages at the top of the output folder


def render(view: DocsView, env: jinja2.Environment, context: dict) -> dict[str, str]:
    common = dict(context, view=view, api=view.model)
    files = {f"{FOLDER}README.md": env.get_template("markdown/index.md.j2").render(**common)}
    page = env.get_template("markdown/page.md.j2")
    for group in view.groups:
        files[f"{FOLDER}{group.slug}.md"] = page.render(group=group, **common)
    return files
