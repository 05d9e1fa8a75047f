"""Regeneration: what a run may replace or remove, given the manifest of the run before.

The manifest ``generate()`` returns describes one run: its targets, its operations, every
operation of the definition (``definition_operations``, "METHOD /path") and, in "files", the
target and operation each file belongs to. ``merge`` combines it with the previous manifest:

- files of targets or operations this run did not generate stay, and stay listed (owned);
- stale (removed) are the files of operations that left the definition, and the files of a
  target generated this run that it no longer writes: a renamed path, an operation renamed
  in a run that generated every operation, a shared file the target no longer has;
- every file written is listed with its SHA-256, so a later run can tell that it was edited.

A manifest written before hashes were recorded ("files" is a plain list) still works: its
files count as owned and unedited, belong to the target named by their first folder and to
the operation whose listed file they are (or share a folder with).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from .jsontext import indented

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Owned:
    """One file a manifest lists: the target and operation it belongs to, its recorded hash."""

    target: str | None = None
    operation: str | None = None
    sha256: str | None = None

    def as_json(self) -> dict[str, str]:
        out = {"target": self.target, "operation": self.operation, "sha256": self.sha256}
        return {k: v for k, v in out.items() if v is not None}


@dataclass
class Manifest:
    data: dict
    files: dict[str, Owned]

    @property
    def describes_run(self) -> bool:
        """Whether it says which targets the run generated (every manifest samplegen writes does)."""
        return isinstance(self.data.get("targets"), list)

    @property
    def targets(self) -> list[str]:
        return [t for t in self.data.get("targets") or [] if isinstance(t, str)]

    @property
    def operations(self) -> list[dict]:
        return [op for op in self.data.get("operations") or []
                if isinstance(op, dict) and isinstance(op.get("id"), str)]

    @property
    def in_definition(self) -> set[str] | None:
        found = self.data.get("definition_operations")
        return {k for k in found if isinstance(k, str)} if isinstance(found, list) else None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _files_of(op: dict) -> dict[str, str]:
    files = op.get("files")
    return {t: p for t, p in files.items() if isinstance(t, str) and isinstance(p, str)} \
        if isinstance(files, dict) else {}


def parse(data: Any, valid_path: Callable[[str], bool]) -> Manifest | None:
    """A manifest samplegen wrote (current or older format), or None."""
    if not isinstance(data, dict) or data.get("generator", "samplegen") != "samplegen":
        return None
    raw = data.get("files")
    files: dict[str, Owned] = {}
    if isinstance(raw, dict):
        for path, info in raw.items():
            if isinstance(path, str) and valid_path(path):
                info = info if isinstance(info, dict) else {}
                digest = _text(info.get("sha256"))
                files[path] = Owned(_text(info.get("target")), _text(info.get("operation")),
                                    digest.lower() if digest else None)
    elif isinstance(raw, list):
        files = _attribute_listed(data, [p for p in raw if isinstance(p, str) and valid_path(p)])
    else:
        return None
    files.setdefault(MANIFEST, Owned())
    return Manifest(data, files)


def _attribute_listed(data: dict, paths: list[str]) -> dict[str, Owned]:
    """Owners for an older manifest's plain list of files (no hashes)."""
    manifest = Manifest(data, {})
    main: dict[str, tuple[str, str]] = {}
    folders: dict[str, tuple[str, str]] = {}
    for op in manifest.operations:
        for target, path in _files_of(op).items():
            main[path] = (target, op["id"])
            folder = path.rsplit("/", 1)[0] if "/" in path else ""
            if "/" in folder:  # a folder of its own (csharp/<Name>/), not the target's folder
                folders[folder] = (target, op["id"])
    out: dict[str, Owned] = {}
    for path in paths:
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        if path in main:
            out[path] = Owned(*main[path])
        elif folder in folders:
            out[path] = Owned(*folders[folder])
        else:
            out[path] = Owned(path.split("/", 1)[0] if folder else None)
    return out


@dataclass
class Plan:
    manifest: str  # the manifest to write
    stale: list[str]  # files of earlier runs to remove
    kept: list[str]  # files of earlier runs that stay as they are


def merge(new: Manifest, previous: Manifest | None, contents: Mapping[str, bytes],
          exists: Callable[[str], bool], digests: Mapping[str, str] | None = None) -> Plan:
    """Combine this run's manifest with the previous one; see the module doc.

    ``contents``: the bytes this run writes, by path; ``exists``: whether a file of an earlier
    run is still on disk (a file the user deleted is no longer listed); ``digests``: the
    SHA-256 of files already hashed, by path (their ``contents`` are not read).
    """
    run_targets = set(new.targets)
    generated = {op["id"]: op for op in new.operations}
    in_definition = new.in_definition
    previous_ops = {op["id"]: op for op in previous.operations} if previous else {}
    every_op_generated = in_definition is not None and \
        {f"{op.get('method')} {op.get('path')}" for op in generated.values()} >= in_definition

    def state(op_id: str) -> str:
        if op_id in generated:
            return "generated"
        entry = previous_ops.get(op_id)
        if entry is None:
            return "other"
        key = f"{entry.get('method')} {entry.get('path')}"
        if in_definition is not None and key not in in_definition:
            return "gone"
        # its method and path are still there under another id: renamed, when nothing was left out
        return "renamed" if every_op_generated else "other"

    stale: list[str] = []
    kept: dict[str, Owned] = {}
    for path, owned in sorted((previous.files if previous else {}).items()):
        if path in contents:
            continue
        if owned.operation is not None:
            st = state(owned.operation)
            remove = st == "gone" or (st in ("generated", "renamed") and owned.target in run_targets)
        else:
            remove = owned.target is None or owned.target in run_targets
        if remove:
            stale.append(path)
        elif exists(path):
            kept[path] = owned

    entries: dict[str, dict] = {}
    for op in new.operations:
        earlier = {t: p for t, p in _files_of(previous_ops.get(op["id"], {})).items()
                   if t not in run_targets and p in kept}
        entries[op["id"]] = dict(op, files=dict(sorted({**earlier, **_files_of(op)}.items()))) if earlier else op
    for op_id, op in previous_ops.items():
        if op_id in generated or state(op_id) == "gone":
            continue
        files = {t: p for t, p in _files_of(op).items() if p in kept}
        if files:
            entries[op_id] = dict(op, files=files)
    # the definition's order after a run of every operation; otherwise the order listed before
    order = list(generated) if every_op_generated else [i for i in previous_ops if i in entries]
    operations = [entries[i] for i in dict.fromkeys(order + list(entries))]

    listed = new.files
    files: dict[str, dict[str, str]] = {}
    for path in sorted(set(contents) | set(kept) | {MANIFEST}):
        if path in kept:
            files[path] = kept[path].as_json()
        else:
            owner = listed.get(path, Owned())
            if path == MANIFEST or path not in contents:
                digest = None
            else:
                digest = digests[path] if digests and path in digests else sha256(contents[path])
            files[path] = Owned(owner.target, owner.operation, digest).as_json()
    targets = new.targets + sorted({o.target for o in kept.values() if o.target} - run_targets)
    data = dict(new.data, targets=targets, operations=operations, files=files)
    return Plan(indented(data, ensure_ascii=False) + "\n", stale, sorted(kept))
