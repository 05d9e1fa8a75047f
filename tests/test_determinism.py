"""Output is deterministic, byte for byte: a run under another hash seed, in a fresh process,
writes the same bytes as this session (whose generations every other tier reads too)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

from helpers.golden_cases import all_cases
from generator.api import Options, generate_path
from generator.languages import TARGETS

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import hashlib, json, sys
sys.path.insert(0, sys.argv[1]); sys.path.insert(0, sys.argv[1] + "/tests")
from helpers.golden_cases import all_cases
from generator.api import Options, generate_path
from generator.languages import TARGETS
digest = {}
for case in all_cases():
    for rel, text in case.actual_files().items():
        digest[case.name + "/" + rel] = hashlib.sha256(text.encode("utf-8")).hexdigest()
for spec in sorted((__import__("pathlib").Path(sys.argv[1]) / "specs").iterdir()):
    result = generate_path(spec, Options(targets=tuple(TARGETS)))
    for rel, text in result.files.items():
        digest[spec.name + "/" + rel] = hashlib.sha256(text.encode("utf-8")).hexdigest()
print(json.dumps({"hash": hash("samplegen"), "digest": digest}, sort_keys=True))
"""


def digest_here() -> dict:
    digest = {}
    for case in all_cases():
        for rel, text in case.actual_files().items():
            digest[case.name + "/" + rel] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    for spec in sorted((ROOT / "specs").iterdir()):
        result = generate_path(spec, Options(targets=tuple(TARGETS)))
        for rel, text in result.files.items():
            digest[spec.name + "/" + rel] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return digest


def run_with_seed(seed: str, cache: Path) -> dict:
    env = dict(os.environ, PYTHONHASHSEED=seed, SAMPLEGEN_CACHE_DIR=str(cache))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    return json.loads(proc.stdout)


def test_same_bytes_under_another_hash_seed(tmp_path):
    ours = os.environ.get("PYTHONHASHSEED", "")
    other = run_with_seed(str(int(ours) + 1) if ours.isdigit() else "4242", tmp_path / "cache")
    assert other["hash"] != hash("samplegen"), "the two runs must use different hash seeds"
    first, second = digest_here(), other["digest"]
    assert len(first) > 300
    assert first == second, sorted(k for k in set(first) | set(second) if first.get(k) != second.get(k))[:20]
