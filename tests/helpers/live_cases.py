"""The definitions the live tier runs: bundled, real-world, golden cases and grid fixtures."""
from __future__ import annotations

import json
from pathlib import Path

from .grid import fixtures

ROOT = Path(__file__).resolve().parents[2]
REAL_SPECS = ROOT.parent / "shared" / "real-specs"
if not REAL_SPECS.is_dir():  # pragma: no cover - layout fallback (a worktree beside the main checkout)
    REAL_SPECS = Path("/work/shared/real-specs")
_SPEC_SUFFIXES = (".json", ".yaml", ".yml")
ALL_PARAMS: set[str] = set()  # ids of the golden cases generated with --all-params (case.json)


def live_definitions() -> list[tuple[str, Path]]:
    """(id, path) of every definition the live tier runs, in a stable order.

    specs/*, ../shared/real-specs/*, tests/golden/<case>/definition.* (plus a golden
    case.json's "definition" when it is not one of the others, or when the case generates
    with "all_params": those ids are in ALL_PARAMS) and tests/grid/<fixture>/definition.yaml.
    """
    found: list[tuple[str, Path]] = []
    seen: set[tuple[Path, bool]] = set()

    def add(ident: str, path: Path, all_params: bool = False) -> None:
        real = path.resolve()
        if (real, all_params) not in seen:
            seen.add((real, all_params))
            found.append((ident, path))
            if all_params:
                ALL_PARAMS.add(ident)

    for path in sorted((ROOT / "specs").glob("*")):
        if path.suffix in _SPEC_SUFFIXES and ".arazzo." not in path.name:  # Arazzo: test_live_workflows
            add(f"specs/{path.name}", path)
    if REAL_SPECS.is_dir():
        for path in sorted(REAL_SPECS.glob("*")):
            if path.suffix in _SPEC_SUFFIXES:
                add(f"real-specs/{path.name}", path)
    for case in sorted((ROOT / "tests" / "golden").glob("*")):
        if not case.is_dir():
            continue
        defs = sorted(p for p in case.glob("definition.*") if p.suffix in _SPEC_SUFFIXES)
        config: dict = {}
        if (case / "case.json").is_file():
            try:
                config = json.loads((case / "case.json").read_text(encoding="utf-8"))
            except ValueError:
                config = {}
        named = config.get("definition")
        if not defs and isinstance(named, str):
            defs = [(case / named)]
        for path in defs:
            if path.is_file():
                add(f"golden/{case.name}", path, bool(config.get("all_params")))
    for fixture in fixtures():
        add(f"grid/{fixture.name}", fixture.definition)
    return found
