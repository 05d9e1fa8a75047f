"""Broken and dangerous inputs: each one is refused with one clear line.

A case is a folder ``tests/bad_inputs/<case>/`` holding:

- the input: the file named ``input.*`` (``input.yaml``, ``input.json``, ``input.bin``, or a
  folder ``input/``); ``input.stdin.*`` is given as bytes on standard input instead; a file
  ``input-path.txt`` names the path to pass when it must not exist;
- any other files the input refers to (``common.yaml``, ``sub/...``);
- ``expected.txt``: a plain substring (not a regex) of the error message;
- optionally ``location.txt``: a plain substring of the error's location. Without it the
  location must start with the input's name;
- optionally ``lenient.txt``: the input is a fault ``--lenient`` gets past. Its first line is
  ``exit N`` (4: some operations were skipped; 0: only warnings), the others are lines that
  ``generate --lenient`` must print on stderr. The strict error must then name ``--lenient``.
  Without it the input must be refused in lenient mode too (safety refusals, unreadable text).

The test runs inside the case folder, so names in messages are short. Each case is checked
through ``load_document`` and, once the command line exists, through ``samplegen generate``
(exit code 2, one ``error:`` line on stderr, no traceback).

Some inputs are made at test time (too big or too deep to commit): see ``GENERATED``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from generator.errors import SpecError
from generator.loader import MAX_BYTES, load_document

CASES_DIR = Path(__file__).parent / "bad_inputs"
OK3J = '{\n  "openapi": "3.0.3",\n  "info": {"title": "t", "version": "1"},\n  "paths": {},\n'


@dataclass
class Case:
    name: str
    folder: Path
    input: str  # path relative to folder
    stdin: bool
    expected: str
    location: str | None
    lenient: list[str] | None = None  # lenient.txt: ["exit N", expected stderr lines...]


def _oversize(folder: Path) -> str:
    path = folder / "input.yaml"
    with open(path, "wb") as fh:  # sparse: takes no disk space
        fh.write(b"openapi: 3.0.3\n")
        fh.truncate(MAX_BYTES + 1024)
    return "input.yaml"


def _json_very_deep(folder: Path) -> str:
    (folder / "input.json").write_text(OK3J + '  "x-deep": ' + "[" * 100_000 + "]" * 100_000 + "\n}\n")
    return "input.json"


def _yaml_very_deep_block(folder: Path) -> str:
    (folder / "input.yaml").write_text("openapi: 3.0.3\nx-deep:\n" + "- " * 100_000 + "x\n")
    return "input.yaml"


def _stdin_too_big(folder: Path) -> str:
    (folder / "input.stdin.yaml").write_bytes(b"openapi: 3.0.3\n" + b"#" * MAX_BYTES)
    return "input.stdin.yaml"


GENERATED: dict[str, tuple[Callable[[Path], str], str, str | None]] = {
    "oversize-file": (_oversize, "definitions larger than 64 MiB are refused", None),
    "oversize-stdin": (_stdin_too_big, "definitions larger than 64 MiB are refused", "<stdin>"),
    "json-very-deep-nesting": (_json_very_deep, "nesting deeper than 200 levels", "input.json:5:"),
    "yaml-very-deep-nesting": (_yaml_very_deep_block, "nesting deeper than 200 levels", "input.yaml:3:"),
}


def _committed_cases() -> list[Case]:
    cases = []
    for folder in sorted(p for p in CASES_DIR.iterdir() if p.is_dir()):
        expected = (folder / "expected.txt").read_text(encoding="utf-8").rstrip("\n")
        loc_file = folder / "location.txt"
        location = loc_file.read_text(encoding="utf-8").rstrip("\n") if loc_file.exists() else None
        len_file = folder / "lenient.txt"
        lenient = len_file.read_text(encoding="utf-8").splitlines() if len_file.exists() else None
        named = folder / "input-path.txt"
        if named.exists():
            cases.append(Case(folder.name, folder, named.read_text().strip(), False, expected, location, lenient))
            continue
        inputs = sorted(p.name for p in folder.iterdir() if p.name.startswith("input"))
        assert len(inputs) == 1, f"{folder.name}: expected exactly one input.* entry, found {inputs}"
        stdin = inputs[0].startswith("input.stdin.")
        cases.append(Case(folder.name, folder, inputs[0], stdin, expected, location, lenient))
    return cases


COMMITTED = _committed_cases()


def test_there_are_enough_cases() -> None:
    assert len(COMMITTED) + len(GENERATED) >= 30


def _materialise(request_case: str, tmp_path: Path) -> Case:
    for case in COMMITTED:
        if case.name == request_case:
            return case
    make, expected, location = GENERATED[request_case]
    folder = tmp_path / request_case
    folder.mkdir()
    name = make(folder)
    return Case(request_case, folder, name, name.startswith("input.stdin."), expected, location)


ALL_NAMES = [c.name for c in COMMITTED] + sorted(GENERATED)


def _check_location(case: Case, location: str) -> None:
    assert location, "the error has no location"
    if case.location is not None:
        assert case.location in location, f"location {location!r} lacks {case.location!r}"
    elif case.stdin:
        assert location.startswith("<stdin>"), location
    else:
        assert location.startswith(case.input), f"location {location!r} does not name {case.input!r}"


@pytest.mark.parametrize("name", ALL_NAMES)
def test_loader_refuses(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _materialise(name, tmp_path)
    monkeypatch.chdir(case.folder)
    with pytest.raises(SpecError) as info:
        if case.stdin:
            load_document((case.folder / case.input).read_bytes())
        else:
            load_document(case.input)
    err = info.value
    assert case.expected in err.message, f"{err.format()!r} lacks {case.expected!r}"
    _check_location(case, err.location)
    line = err.format()
    assert "\n" not in line and "\r" not in line
    assert line.startswith("error: ")


def _cli():
    """The click group, or skip when the command line is not there yet."""
    try:
        import generator.cli as cli_module
    except ImportError:  # pragma: no cover - depends on the state of the tree
        pytest.skip("generator.cli is not importable yet")
    group = getattr(cli_module, "cli", None)
    if group is None or "generate" not in getattr(group, "commands", {}):
        pytest.skip("generator.cli has no `cli` group with a `generate` command yet")
    return group


@pytest.mark.parametrize("name", ALL_NAMES)
def test_cli_refuses(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    group = _cli()
    from click.testing import CliRunner

    case = _materialise(name, tmp_path)
    out = tmp_path / "out"
    monkeypatch.chdir(case.folder)
    runner = CliRunner()
    if case.stdin:
        result = runner.invoke(group, ["generate", "-", "-o", str(out)],
                               input=(case.folder / case.input).read_bytes())
    else:
        result = runner.invoke(group, ["generate", case.input, "-o", str(out)])
    stderr = result.stderr
    assert result.exit_code == 2, f"exit {result.exit_code}; stderr: {stderr!r}; exc: {result.exception!r}"
    assert "Traceback" not in stderr and "Traceback" not in result.stdout
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert lines[0].startswith("error:"), lines[0]
    assert case.expected in lines[0], f"{lines[0]!r} lacks {case.expected!r}"
    assert ("--lenient" in lines[0]) == (case.lenient is not None), lines[0]
    assert not out.exists() or not any(out.iterdir()), "nothing may be written for a refused input"


def test_there_are_lenient_cases() -> None:
    assert sum(1 for c in COMMITTED if c.lenient) >= 8


@pytest.mark.parametrize("name", ALL_NAMES)
def test_cli_lenient(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--lenient gets past the faults that only some operations reach, never past the others."""
    group = _cli()
    from click.testing import CliRunner

    case = _materialise(name, tmp_path)
    out = tmp_path / "out"
    monkeypatch.chdir(case.folder)
    runner = CliRunner()
    args = ["generate", "-" if case.stdin else case.input, "-o", str(out), "--lenient", "-t", "python"]
    result = runner.invoke(group, args, input=(case.folder / case.input).read_bytes() if case.stdin else None)
    stderr = result.stderr
    assert "Traceback" not in stderr and "Traceback" not in result.stdout
    if case.lenient is None:
        assert result.exit_code == 2, f"exit {result.exit_code}; stderr: {stderr!r}"
        assert not out.exists() or not any(out.iterdir()), "nothing may be written for a refused input"
        return
    code = int(case.lenient[0].split()[1])
    assert result.exit_code == code, f"exit {result.exit_code}; stderr: {stderr!r}; exc: {result.exception!r}"
    for line in case.lenient[1:]:
        assert line in stderr.splitlines(), f"stderr lacks the line {line!r}: {stderr!r}"
    manifest = __import__("json").loads((out / "manifest.json").read_text())
    skipped = [s["id"] for s in manifest.get("skipped", [])]
    assert skipped == [ln.split()[1].rstrip(":") for ln in case.lenient[1:] if ln.startswith("skipped ")]
