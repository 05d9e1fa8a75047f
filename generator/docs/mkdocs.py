"""``--format mkdocs``: the Markdown pages with MkDocs Material content tabs (one tab per
language), under ``mkdocs/docs/``, and ``mkdocs/mkdocs.yml`` with the extensions the tabs
need and the nav entries."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

    from .view import DocsView

FOLDER = "mkdocs/"


def render(view: DocsView, env: jinja2.Environment, context: dict) -> dict[str, str]:
    common = dict(context, view=view, api=view.model)
    files = {f"{FOLDER}mkdocs.yml": env.get_template("mkdocs/mkdocs.yml.j2").render(**common),
             f"{FOLDER}docs/index.md": env.get_template("mkdocs/index.md.j2").render(**common)}
    page = env.get_template("mkdocs/page.md.j2")
    for group in view.groups:
        files[f"{FOLDER}docs/{group.slug}.md"] = page.render(group=group, **common)
    return files
