"""The wheel carries the docs templates (pages, styles and script of the HTML page)."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contains_every_docs_template(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-w", str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    names = set(zipfile.ZipFile(next((tmp_path / "dist").glob("samplegen-*.whl"))).namelist())
    templates = [p.relative_to(ROOT / "templates").as_posix() for p in (ROOT / "templates" / "docs").rglob("*")
                 if p.is_file()]
    assert len(templates) >= 8
    assert sorted(t for t in templates if f"generator/templates/{t}" not in names) == []
    assert {"generator/docs/__init__.py", "generator/docs/redoc.py"} <= names
