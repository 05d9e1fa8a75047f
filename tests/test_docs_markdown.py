"""The Markdown pages read by a CommonMark parser with GitHub's tables (markdown-it-py): every
snippet comes out as one code block with the language's info string and exactly its text;
the only HTML is the page's own (anchors, the collapsed complete program); headings, links
and table cells say what the definition says, whatever characters it holds."""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from generator import __version__
from generator.api import Options
from generator.docs import build_path
from generator.languages import REGISTRY
from generator.languages.text import one_line
from generator.render import render_snippet

try:
    import markdown_it
except ImportError:  # a test dependency (pyproject's test extra): missing fails under CI=true
    if os.environ.get("CI", "").lower() == "true":
        raise
    pytest.skip("markdown-it-py is not installed (pip install -c constraints.txt '.[test]')", allow_module_level=True)

ROOT = Path(__file__).resolve().parent.parent
DEFINITIONS = [ROOT / "tests" / "golden-docs" / "shop" / "definition.yaml", ROOT / "specs" / "petstore.yaml",
               ROOT / "tests" / "golden" / "hostile-strings" / "definition.json"]
OUR_HTML = re.compile(r'<a id="[A-Za-z0-9_.-]+">(</a>)?|</a>|<details><summary>Complete program</summary>|</details>')


def untab(text: str) -> str:
    """The content of MkDocs Material's tabs (``=== "X"``) and collapsed blocks (``??? x``) as
    its extensions read it: the marker line gone, the indented block under it dedented."""
    while re.search(r"^(=== |\?\?\? )", text, re.M):
        out, inside = [], False
        for line in text.split("\n"):
            if re.match(r"(=== |\?\?\? )", line):
                inside = True
                continue
            if inside and (line.startswith("    ") or not line.strip()):
                out.append(line[4:])
                continue
            inside = False
            out.append(line)
        text = "\n".join(out)
    return text


def parser():
    return markdown_it.MarkdownIt("commonmark").enable("table")


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("form", ["markdown", "mkdocs"])
def test_pages_parse_as_written(definition, form):
    result = build_path(definition, Options(targets=tuple(lang.name for lang in REGISTRY), lenient=True),
                        formats=(form,))
    pages = {path: text for path, text in result.files.items() if path.endswith(".md")}
    context = {"source_name": definition.name, "generator_version": __version__}
    fences: list[tuple[str, str]] = []
    headings: list[str] = []
    for path, text in pages.items():
        tokens = parser().parse(untab(text) if form == "mkdocs" else text)
        for i, tok in enumerate(tokens):
            if tok.type == "fence":
                fences.append((tok.info, tok.content))
            elif tok.type == "code_block":
                pytest.fail(f"{path}: an indented code block (something broke a fence):\n{tok.content[:300]}")
            elif tok.type in ("html_block", "html_inline"):
                assert OUR_HTML.fullmatch(tok.content.strip()), f"{path}: HTML from the definition: {tok.content!r}"
            elif tok.type == "heading_open" and tok.tag == "h2" and "index" not in path and "README" not in path:
                headings.append(tokens[i + 1].content)
            if tok.children:
                for child in tok.children:
                    if child.type == "html_inline":
                        assert OUR_HTML.fullmatch(child.content), f"{path}: HTML from the definition: {child.content!r}"
    ops = result.model.operations
    for op in ops:
        for lang in REGISTRY:
            snippet = render_snippet(result.model, op, lang, context)
            if form == "mkdocs":  # in a tab, a line of blanks is an empty line
                snippet = "\n".join(line if line.strip() else "" for line in snippet.split("\n"))
            assert (lang.info_string, snippet if snippet.endswith("\n") else snippet + "\n") in fences, \
                (definition.name, op.id, lang.name)
    code = [f for f in fences if f[0] in {lang.info_string for lang in REGISTRY}]
    partial = sum(1 for lang in REGISTRY if not lang.script_snippet)
    assert len(code) == len(ops) * (len(REGISTRY) + partial)
    rendered = [html.unescape(re.sub(r"<[^>]+>", "", parser().renderInline(h))) for h in headings]
    assert sorted(rendered) == sorted(one_line(op.summary) or op.id for op in ops)


def test_table_cells_keep_their_text():
    definition = DEFINITIONS[0]
    page = build_path(definition, formats=("markdown",)).files["items.md"]
    rendered = parser().render(page)
    cells = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td>(.*?)</td>", rendered, re.S)]
    assert "Text to search | with a pipe and `ticks`" in cells
    assert 'red ```shoes```' in cells
    rows = re.findall(r"<tr>(.*?)</tr>", rendered, re.S)
    widths = {len(re.findall(r"<t[hd]", r)) for r in rows}
    assert widths <= {2, 6}


def test_descriptions_cannot_make_headings_fences_or_html():
    readme = build_path(DEFINITIONS[0], formats=("markdown",)).files["README.md"]
    tokens = parser().parse(readme)
    assert [t.tag for t in tokens if t.type == "heading_open" and t.tag == "h1"] == ["h1"]
    assert not [t for t in tokens if t.type in ("fence", "code_block", "html_block")]
    text = parser().render(readme)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<h1>Shop &lt;API&gt; | docs</h1>" in text
