"""The golden cases: each directory of tests/golden/ is one case.

A case holds `definition.json|yaml` (or a `case.json` whose "definition" names a file relative
to the case, e.g. a bundled definition in specs/), optional generation options in
`case.json` ("base_url", "operations", "lenient", "all_params": generate --all-params), and `expected/`: every file the
generation writes, for every target, plus `model.json`.
"""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from generator.api import Options, Result, generate_path, model_json
from generator.languages import TARGETS

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
ALL_TARGETS = tuple(TARGETS)
_GENERATED: dict[tuple[str, str], Result] = {}


@dataclass
class Case:
    name: str
    folder: Path
    definition: Path
    options: Options

    @property
    def expected_dir(self) -> Path:
        return self.folder / "expected"

    def generate(self) -> Result:
        """The case's generation, made once per test session: every tier reads the same one
        (a Result is not changed by its readers)."""
        key = (str(self.definition), repr(self.options))
        if key not in _GENERATED:
            _GENERATED[key] = generate_path(self.definition, self.options)
        return _GENERATED[key]

    def actual_files(self) -> dict[str, str]:
        result = self.generate()
        files = dict(result.files)
        files["model.json"] = model_json(result.model)
        return files


def load_case(folder: Path) -> Case:
    config: dict = {}
    config_file = folder / "case.json"
    if config_file.exists():
        config = json.loads(config_file.read_text(encoding="utf-8"))
    if "definition" in config:
        definition = (folder / config["definition"]).resolve()
    else:
        found = sorted(folder.glob("definition.*"))
        if len(found) != 1:
            raise AssertionError(f"{folder}: expected exactly one definition.* file, found {len(found)}")
        definition = found[0]
    options = Options(targets=ALL_TARGETS, base_url=config.get("base_url"),
                      operations=tuple(config.get("operations", ())), lenient=bool(config.get("lenient")),
                      all_params=bool(config.get("all_params")))
    return Case(folder.name, folder, definition, options)


def all_cases() -> list[Case]:
    return [load_case(p) for p in sorted(GOLDEN.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def read_tree(folder: Path) -> dict[str, str]:
    """{relative path: text} of every file under ``folder`` (empty when it does not exist)."""
    out = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[path.relative_to(folder).as_posix()] = path.read_bytes().decode("utf-8")
    return out


def write_tree(folder: Path, files: dict[str, str]) -> int:
    """Make ``folder`` hold exactly ``files``; the number of files written or removed."""
    changed = 0
    existing = read_tree(folder)
    for rel in existing:
        if rel not in files:
            (folder / rel).unlink()
            changed += 1
    for rel, text in files.items():
        if existing.get(rel) != text:
            target = folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text.encode("utf-8"))
            changed += 1
    for d in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(d.iterdir()):
            d.rmdir()
    return changed


def compare_trees(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """What differs between the expected and the actual files: names and unified diffs."""
    problems = []
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    if missing:
        problems.append("files no longer generated: " + ", ".join(missing))
    if extra:
        problems.append("files generated but not in the expected files: " + ", ".join(extra))
    for rel in sorted(set(expected) & set(actual)):
        if expected[rel] != actual[rel]:
            diff = difflib.unified_diff(expected[rel].splitlines(True), actual[rel].splitlines(True),
                                        f"expected/{rel}", f"actual/{rel}")
            problems.append("".join(diff))
    return problems
