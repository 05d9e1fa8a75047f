"""The MkDocs pages read by the extensions MkDocs Material's tabs need (Python-Markdown with
pymdown-extensions' tabbed, superfences and details, as mkdocs/mkdocs.yml lists them): one
tab set per operation, one tab per language titled as the registry says, holding exactly the
snippet; the complete program of a language whose snippet is not a whole script in a
collapsed block of its tab."""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.docs import build_path
from generator.docs.view import tab_titles
from generator.languages import REGISTRY
from generator.render import render_snippet

try:
    import markdown
    import pymdownx  # noqa: F401
except ImportError:  # test dependencies (pyproject's test extra): missing fails under CI=true
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("Markdown and pymdown-extensions are not installed (pip install -c constraints.txt '.[test]')",
                allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = [ROOT / "tests" / "golden-docs" / "shop" / "definition.yaml", ROOT / "specs" / "petstore.yaml",
               ROOT / "tests" / "golden" / "hostile-strings" / "definition.json"]


def convert(text: str, config: dict) -> str:
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    settings = {next(iter(e)): e[next(iter(e))] for e in config["markdown_extensions"] if isinstance(e, dict)}
    settings["pymdownx.highlight"] = {"use_pygments": False}
    return markdown.Markdown(extensions=names + ["tables", "pymdownx.highlight"], extension_configs=settings).convert(text)


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda p: p.parent.name)
def test_tabs_hold_the_snippets(definition):
    result = build_path(definition, formats=("mkdocs",))
    config = yaml.safe_load(result.files["mkdocs/mkdocs.yml"])
    context = {"source_name": definition.name, "generator_version": __version__}
    by_anchor = {}
    for path, text in result.files.items():
        if path.startswith("mkdocs/docs/") and path != "mkdocs/docs/index.md":
            page = convert(text, config)
            for anchor, section in re.findall(r'<a id="([^"]+)"></a>(.*?)(?=<a id="|\Z)', page, re.S):
                by_anchor[anchor] = section
    assert len(by_anchor) == len(result.model.operations)
    titles = tab_titles(list(REGISTRY))
    for op in result.model.operations:
        anchor = next(a for a in by_anchor if a in (op.id, op.snake) or a.rstrip("_") in (op.id, op.snake))
        section = by_anchor[anchor]
        assert section.count('class="tabbed-set') == 1, op.id
        labels = [html.unescape(x) for x in re.findall(r"<label for=[^>]+>(.*?)</label>", section)]
        assert labels == titles
        blocks = re.findall(r'<div class="tabbed-block">(.*?)(?=<div class="tabbed-block">|\Z)', section, re.S)
        assert len(blocks) == len(REGISTRY)
        for lang, block in zip(REGISTRY, blocks):
            codes = [html.unescape(c) for c in re.findall(r"<code[^>]*>(.*?)</code>", block, re.S)]
            snippet = render_snippet(result.model, op, lang, context)
            snippet = "\n".join(line if line.strip() else "" for line in snippet.split("\n"))
            assert codes and codes[0].rstrip("\n") == snippet.rstrip("\n"), (op.id, lang.name)
            assert (block.count("<details") == 1) == (not lang.script_snippet), (op.id, lang.name)
