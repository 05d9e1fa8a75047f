"""Snippets: what a docs page shows of each operation, in each target. The program is built
from the snippet template, so the snippet text of every golden operation appears in its
program (after removing the indentation the program adds); the live tier runs the snippets
that are complete scripts (tests/live/test_live_snippets.py)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator import __version__
from generator.render import render_snippet
from generator.languages import TARGETS
from helpers.golden_cases import all_cases

CASES = all_cases()


def _context(case) -> dict:
    return {"source_name": Path(case.definition).name, "generator_version": __version__}


def contains_snippet(program: str, snippet: str) -> bool:
    """Whether ``snippet`` is a run of whole lines of ``program``, once the indentation common
    to those program lines is removed."""
    if program.startswith(snippet) or ("\n" + snippet) in program:
        return True  # as it is (dedent would also blank whitespace-only lines)
    want = snippet.splitlines()
    have = program.splitlines()
    return any(textwrap.dedent("\n".join(have[start:start + len(want)])).splitlines() == want
               for start in range(len(have) - len(want) + 1))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_program_contains_its_snippet(case):
    result = case.generate()
    checked = 0
    for op in result.model.operations:
        for target in TARGETS.values():
            snippet = render_snippet(result.model, op, target, _context(case))
            program = result.files[target.main_file(op)]
            assert snippet.strip(), f"{target.name} {op.id}: empty snippet"
            assert contains_snippet(program, snippet), (
                f"{case.name}: the {target.name} snippet of {op.id} is not in {target.main_file(op)}:\n{snippet}")
            checked += 1
    assert checked == len(result.model.operations) * len(TARGETS)


def test_script_snippets_are_programs_without_their_opening_comment():
    """A Python or R snippet is the whole script: what the program adds is its opening
    comment (and the Python shebang), so pasted into a file it runs as the program does."""
    case = next(c for c in CASES if c.name == "petstore")
    result = case.generate()
    op = result.model.operations[0]
    for name in ("python", "python-urllib", "r"):
        snippet = render_snippet(result.model, op, TARGETS[name], _context(case))
        program = result.files[TARGETS[name].main_file(op)]
        head = program[: program.index(snippet)]
        assert program.endswith(snippet)
        assert all(line.startswith("#") or not line.strip() for line in head.splitlines()), head


def test_csharp_snippet_is_the_indented_request_block():
    case = next(c for c in CASES if c.name == "petstore")
    result = case.generate()
    op = result.model.operations[0]
    snippet = render_snippet(result.model, op, TARGETS["csharp"], _context(case))
    program = result.files[TARGETS["csharp"].main_file(op)]
    assert not snippet.startswith(" ")
    assert textwrap.indent(snippet, " " * 12) in program
    assert "static async Task<int> MainAsync()" not in snippet


def test_a_changed_snippet_template_changes_the_program(tmp_path):
    """The program includes the snippet template: overriding the snippet (--templates) is
    seen in the program, so the two cannot drift apart."""
    from generator.api import Options, generate_path

    case = next(c for c in CASES if c.name == "petstore")
    custom = tmp_path / "tpl" / "python"
    custom.mkdir(parents=True)
    (custom / "snippet.py.j2").write_text("print({{ op.id | lit }})\n", encoding="utf-8")
    result = generate_path(case.definition, Options(targets=("python",), template_dirs=(str(tmp_path / "tpl"),)))
    op = result.model.operations[0]
    program = result.files[TARGETS["python"].main_file(op)]
    assert program.endswith(f'\nprint("{op.id}")\n')


def test_contains_snippet_finds_only_whole_runs():
    program = "def main():\n    a = 1\n    b = 2\n\n    c = 3\n"
    assert contains_snippet(program, "a = 1\nb = 2\n\nc = 3\n")
    assert not contains_snippet(program, "a = 1\nc = 3\n")
    assert not contains_snippet(program, "a = 2\n")
