"""An output folder's files as a run hands them to the writer: a few samples and a manifest
that describes the run (tests of generator.staging and generator.writer)."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SPEC = ROOT / "specs" / "azureml-adult-income.json"

FILES = {
    "README.md": "# samples\n",
    "csharp/GetPet/Program.cs": "class Program {}\n",
    "csharp/GetPet/GetPet.csproj": "<Project/>\n",
    "python/get_pet.py": "print('hi')\r\nprint('crlf kept')\n",
    "r/get_pet.R": "cat('ü \\u00fc')\n",
}


def with_manifest(files: dict[str, str]) -> dict[str, str]:
    """``files`` and a manifest naming the run's targets, so the writer merges it and records hashes."""
    out = dict(files)
    out["manifest.json"] = json.dumps({"generator": "samplegen", "format": 2, "targets": ["csharp", "python", "r"],
                                       "operations": [], "files": {p: {} for p in files}}, indent=2) + "\n"
    return out
