"""Writing generated files: never outside the folder, never over a file samplegen did not write."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import generator.writer as writer
from generator.errors import SpecError
from generator.writer import WriteReport, check_relative_path, write_files


def with_manifest(files: dict[str, str]) -> dict[str, str]:
    out = dict(files)
    out["manifest.json"] = json.dumps({"generator": "samplegen",
                                       "files": sorted(list(files) + ["manifest.json"])}, indent=2) + "\n"
    return out


FILES = with_manifest({
    "README.md": "# samples\n",
    "python/get_pet.py": "print('hi')\r\nprint('crlf kept')\n",
    "python/requirements.txt": "requests\n",
    "csharp/GetPet/Program.cs": "class Program {}\n",
})


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_first_write_creates_everything_exactly(tmp_path: Path) -> None:
    out = tmp_path / "out" / "nested"
    report = write_files(out, FILES)
    assert isinstance(report, WriteReport)
    assert sorted(report.written) == sorted(FILES) and report.unchanged == [] and report.removed == []
    assert snapshot(out) == {k: v.encode() for k, v in FILES.items()}
    assert (out / "python/get_pet.py").read_bytes() == b"print('hi')\r\nprint('crlf kept')\n"


def test_files_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_files(tmp_path, FILES)
    finally:
        os.umask(old)
    assert (tmp_path / "README.md").stat().st_mode & 0o777 == 0o644


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    past = 1_000_000_000
    for rel in FILES:
        os.utime(tmp_path / rel, (past, past))
    report = write_files(tmp_path, FILES)
    assert report.written == [] and sorted(report.unchanged) == sorted(FILES)
    for rel in FILES:
        assert (tmp_path / rel).stat().st_mtime == past


def test_changed_file_is_rewritten_others_keep_mtime(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    past = 1_000_000_000
    for rel in FILES:
        os.utime(tmp_path / rel, (past, past))
    changed = dict(FILES)
    changed["README.md"] = "# samples, again\n"
    report = write_files(tmp_path, changed)
    assert report.written == ["README.md"]
    assert (tmp_path / "README.md").read_text() == "# samples, again\n"
    assert (tmp_path / "python/get_pet.py").stat().st_mtime == past


def test_output_path_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("not a folder")
    with pytest.raises(SpecError, match="exists and is not a folder") as info:
        write_files(target, FILES)
    assert str(target) in info.value.format()


def test_output_folder_not_writable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer.os, "access", lambda *a, **k: False)
    with pytest.raises(SpecError, match="not writable"):
        write_files(tmp_path, FILES)
    with pytest.raises(SpecError, match="not writable"):
        write_files(tmp_path / "new", FILES)


def test_parent_of_output_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(SpecError, match="is not a folder"):
        write_files(tmp_path / "f" / "out", FILES)


@pytest.mark.parametrize("rel, why", [
    ("../evil.py", "'..'"),
    ("python/../../evil.py", "'..'"),
    ("/etc/passwd", "absolute"),
    ("C:/x.py", "absolute"),
    ("a\\b.py", "backslash"),
    ("a\0b.py", "NUL"),
    ("CON", "reserved Windows device name"),
    ("python/aux.py", "reserved Windows device name"),
    ("r/com1.R", "reserved Windows device name"),
    ("LPT9.txt", "reserved Windows device name"),
    ("a//b.py", "empty or '.'"),
    ("./a.py", "empty or '.'"),
    ("", "empty"),
    ("a?.py", "not allowed in file names on Windows"),
    ("dir./x.py", "ending with a space or a dot"),
])
def test_bad_relative_paths_are_refused(tmp_path: Path, rel: str, why: str) -> None:
    files = with_manifest({rel: "x\n", "README.md": "r\n"})
    with pytest.raises(SpecError, match="refusing to write") as info:
        write_files(tmp_path / "out", files)
    assert why in info.value.message
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.py").exists()


def test_good_relative_paths() -> None:
    for rel in ("README.md", "csharp/GetPet/Program.cs", "r/get_pet.R", "python/console_log.py",
                "python/conx.py", "a.b.c/d-e_f.txt"):
        assert check_relative_path(rel) is None, rel


def test_case_collision(tmp_path: Path) -> None:
    files = with_manifest({"python/GetPet.py": "a\n", "python/getpet.py": "b\n"})
    with pytest.raises(SpecError, match="differ only in case"):
        write_files(tmp_path, files)
    assert list(tmp_path.iterdir()) == []


def test_file_and_folder_clash(tmp_path: Path) -> None:
    files = with_manifest({"python": "a\n", "python/x.py": "b\n"})
    with pytest.raises(SpecError, match="both a file and a folder"):
        write_files(tmp_path, files)


def test_foreign_file_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "python").mkdir()
    (tmp_path / "python/get_pet.py").write_text("my own work\n")
    with pytest.raises(SpecError, match="exists and was not written by samplegen; move it or choose another folder") \
            as info:
        write_files(tmp_path, FILES)
    assert "python/get_pet.py" in info.value.message
    # nothing at all was written
    assert snapshot(tmp_path) == {"python/get_pet.py": b"my own work\n"}


def test_foreign_file_with_identical_content_is_fine(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text(FILES["README.md"])
    report = write_files(tmp_path, FILES)
    assert "README.md" in report.unchanged


def test_foreign_manifest_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"name": "my package"}\n')
    with pytest.raises(SpecError, match="manifest.json exists and was not written by samplegen"):
        write_files(tmp_path, FILES)
    assert (tmp_path / "manifest.json").read_text() == '{"name": "my package"}\n'


def test_stale_own_files_are_removed_with_their_empty_folders(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    (tmp_path / "python/notes.txt").write_text("mine\n")  # foreign, next to our files
    smaller = with_manifest({"README.md": "# samples\n", "python/requirements.txt": "requests\n"})
    report = write_files(tmp_path, smaller)
    assert sorted(report.removed) == ["csharp/GetPet/Program.cs", "python/get_pet.py"]
    assert not (tmp_path / "csharp").exists()
    assert (tmp_path / "python/notes.txt").read_text() == "mine\n"
    assert not (tmp_path / "python/get_pet.py").exists()
    assert json.loads((tmp_path / "manifest.json").read_text())["files"] == sorted(smaller)


def test_foreign_files_are_never_removed(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("user data\n")
    (tmp_path / "python").mkdir()
    (tmp_path / "python/mine.py").write_text("user code\n")
    write_files(tmp_path, FILES)
    write_files(tmp_path, with_manifest({"README.md": "x\n"}))
    assert (tmp_path / "keep.txt").read_text() == "user data\n"
    assert (tmp_path / "python/mine.py").read_text() == "user code\n"


def test_manifest_entries_outside_the_folder_are_ignored(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text(json.dumps({"generator": "samplegen",
                                                    "files": ["../victim.txt", "/etc/passwd", "manifest.json"]}))
    report = write_files(out, FILES)
    assert report.removed == []
    assert victim.read_text() == "precious\n"


def test_atomic_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    changed = {k: v + "# more\n" if k != "manifest.json" else v for k, v in FILES.items()}
    write_files(tmp_path, changed)
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(writer.TEMP_PREFIX)]
    assert leftovers == []


def test_failed_replace_keeps_the_old_file_and_no_temporary(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, FILES)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer.os, "replace", broken_replace)
    changed = dict(FILES)
    changed["README.md"] = "# new\n"
    with pytest.raises(SpecError, match="cannot write README.md: No space left on device"):
        write_files(tmp_path, changed)
    assert (tmp_path / "README.md").read_text() == "# samples\n"
    assert [p for p in tmp_path.rglob("*") if p.name.startswith(writer.TEMP_PREFIX)] == []


def test_manifest_is_written_last(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    real = writer._atomic_write

    def record(target, data, mode, shown, rel):
        order.append(rel)
        return real(target, data, mode, shown, rel)

    monkeypatch.setattr(writer, "_atomic_write", record)
    write_files(tmp_path, FILES)
    assert order[-1] == "manifest.json" and len(order) == len(FILES)


def test_dry_run_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = write_files(out, FILES, dry_run=True)
    assert sorted(report.written) == sorted(FILES)
    assert not out.exists()
    write_files(out, FILES)
    before = snapshot(out)
    smaller = with_manifest({"README.md": "changed\n"})
    report = write_files(out, smaller, dry_run=True)
    assert report.written == ["README.md", "manifest.json"]
    assert sorted(report.removed) == ["csharp/GetPet/Program.cs", "python/get_pet.py", "python/requirements.txt"]
    assert snapshot(out) == before


def test_symlinked_folder_leading_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    try:
        os.symlink(outside, out / "python")
    except OSError:  # pragma: no cover
        pytest.skip("symlinks not available")
    with pytest.raises(SpecError, match="symbolic link leading out of the output folder"):
        write_files(out, FILES)
    assert list(outside.iterdir()) == []


def test_folder_where_a_file_goes(tmp_path: Path) -> None:
    (tmp_path / "README.md").mkdir()
    with pytest.raises(SpecError, match="README.md exists and is a folder"):
        write_files(tmp_path, FILES)


def test_text_that_is_not_utf8_encodable(tmp_path: Path) -> None:
    files = with_manifest({"README.md": "bad \ud800\n"})
    with pytest.raises(SpecError, match="cannot be encoded as UTF-8"):
        write_files(tmp_path, files)


# -- regeneration: filtered runs keep the rest; edited files are never lost -----------------------

def run_files(targets: list[str], ops: dict[str, str], *, body: str = "v1", in_definition: list[str] | None = None,
              shared: bool = True) -> dict[str, str]:
    """Files of one run as generate() returns them: `ops` maps an operation id to its path."""
    files: dict[str, str] = {"README.md": f"# index {sorted(targets)} {sorted(ops)}\n"}
    owners: dict[str, dict[str, str]] = {}
    entries = []
    for op_id, path in ops.items():
        entry = {"id": op_id, "method": "GET", "path": path, "summary": "", "files": {}}
        for t in targets:
            rel = f"{t}/{op_id}.txt"
            files[rel] = f"{t} {op_id} {body}\n"
            owners[rel] = {"target": t, "operation": op_id}
            entry["files"][t] = rel
        entries.append(entry)
    if shared and "python" in targets:
        files["python/requirements.txt"] = "requests\n"
        owners["python/requirements.txt"] = {"target": "python"}
    data = {"generator": "samplegen", "targets": targets, "operations": entries,
            "definition_operations": sorted(in_definition if in_definition is not None
                                            else [f"GET {p}" for p in ops.values()]),
            "files": {rel: owners.get(rel, {}) for rel in sorted(list(files) + ["manifest.json"])}}
    files["manifest.json"] = json.dumps(data, indent=2) + "\n"
    return files


ALL_OPS = {"a": "/a", "b": "/b"}
DEFINED = ["GET /a", "GET /b"]


def on_disk_manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def test_filtered_target_run_removes_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["csharp", "python", "r"], ALL_OPS))
    report = write_files(tmp_path, run_files(["python-urllib"], ALL_OPS))
    assert report.removed == []
    assert sorted(report.kept) == ["csharp/a.txt", "csharp/b.txt", "python/a.txt", "python/b.txt",
                                   "python/requirements.txt", "r/a.txt", "r/b.txt"]
    for t in ("csharp", "python", "r", "python-urllib"):
        assert (tmp_path / t / "a.txt").read_text() == f"{t} a v1\n"
    manifest = on_disk_manifest(tmp_path)
    assert manifest["targets"] == ["python-urllib", "csharp", "python", "r"]
    assert manifest["operations"][0]["files"] == {"csharp": "csharp/a.txt", "python": "python/a.txt",
                                                  "python-urllib": "python-urllib/a.txt", "r": "r/a.txt"}
    assert set(manifest["files"]) == {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    # and the next unfiltered run still owns (and may replace) every one of them
    report = write_files(tmp_path, run_files(["csharp", "python", "r"], ALL_OPS, body="v2"))
    assert (tmp_path / "r/b.txt").read_text() == "r b v2\n"
    assert report.kept == ["python-urllib/a.txt", "python-urllib/b.txt"]


def test_filtered_operation_run_removes_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["python", "r"], ALL_OPS))
    report = write_files(tmp_path, run_files(["python"], {"b": "/b"}, body="v2", in_definition=DEFINED))
    assert report.removed == []
    assert (tmp_path / "python/a.txt").read_text() == "python a v1\n"
    assert (tmp_path / "python/b.txt").read_text() == "python b v2\n"
    manifest = on_disk_manifest(tmp_path)
    assert [op["id"] for op in manifest["operations"]] == ["a", "b"]  # in the order listed before
    assert manifest["operations"][0]["files"] == {"python": "python/a.txt", "r": "r/a.txt"}
    assert manifest["operations"][1]["files"] == {"python": "python/b.txt", "r": "r/b.txt"}
    # a new operation generated alone comes after them
    write_files(tmp_path, run_files(["python"], {"c": "/c"}, in_definition=DEFINED + ["GET /c"]))
    assert [op["id"] for op in on_disk_manifest(tmp_path)["operations"]] == ["a", "b", "c"]


def test_operation_that_left_the_definition_is_removed_in_every_target(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["python", "r"], ALL_OPS))
    report = write_files(tmp_path, run_files(["python"], {"a": "/a"}, in_definition=["GET /a"]))
    assert report.removed == ["python/b.txt", "r/b.txt"]
    assert not (tmp_path / "python/b.txt").exists() and not (tmp_path / "r/b.txt").exists()
    assert (tmp_path / "r/a.txt").is_file()
    manifest = on_disk_manifest(tmp_path)
    assert [op["id"] for op in manifest["operations"]] == ["a"]
    assert "r/b.txt" not in manifest["files"] and "r/a.txt" in manifest["files"]


def test_renamed_path_of_a_generated_target_is_removed(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["python", "r"], ALL_OPS))
    files = run_files(["python"], ALL_OPS)
    files["python/a_v2.txt"] = files.pop("python/a.txt")
    manifest = json.loads(files["manifest.json"])
    manifest["files"]["python/a_v2.txt"] = manifest["files"].pop("python/a.txt")
    manifest["operations"][0]["files"]["python"] = "python/a_v2.txt"
    files["manifest.json"] = json.dumps(manifest)
    report = write_files(tmp_path, files)
    assert report.removed == ["python/a.txt"]
    assert (tmp_path / "r/a.txt").is_file()


def test_renamed_operation_id(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["python", "r"], ALL_OPS))
    # every operation generated, `a` is now called `alpha` (same method and path)
    report = write_files(tmp_path, run_files(["python"], {"alpha": "/a", "b": "/b"}))
    assert report.removed == ["python/a.txt"]  # replaced by python/alpha.txt
    assert (tmp_path / "r/a.txt").is_file()  # not generated this time: kept
    # a run that left an operation out cannot tell a rename: nothing is removed
    write_files(tmp_path / "other", run_files(["python"], ALL_OPS))
    report = write_files(tmp_path / "other", run_files(["python"], {"alpha": "/a"}, in_definition=DEFINED))
    assert report.removed == []


def test_manifest_records_the_sha256_of_every_file_written(tmp_path: Path) -> None:
    import hashlib

    files = run_files(["python"], ALL_OPS)
    write_files(tmp_path, files)
    listed = on_disk_manifest(tmp_path)["files"]
    assert set(listed) == set(files)
    for rel in files:
        if rel == "manifest.json":
            assert "sha256" not in listed[rel]
        else:
            assert listed[rel]["sha256"] == hashlib.sha256((tmp_path / rel).read_bytes()).hexdigest()
    assert listed["python/a.txt"]["target"] == "python" and listed["python/a.txt"]["operation"] == "a"


def test_edited_file_is_not_overwritten_and_nothing_is_written(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["python"], ALL_OPS))
    (tmp_path / "python/a.txt").write_text("python a v1\nmy own line\n")
    before = snapshot(tmp_path)
    with pytest.raises(writer.EditedFiles) as info:
        write_files(tmp_path, run_files(["python"], ALL_OPS, body="v2"))
    assert info.value.files == ["python/a.txt"]
    assert "python/a.txt" in info.value.format()
    assert snapshot(tmp_path) == before
    # a run whose output equals the edited file has nothing to overwrite
    same = run_files(["python"], ALL_OPS)
    same["python/a.txt"] = "python a v1\nmy own line\n"
    assert "python/a.txt" in write_files(tmp_path, same).unchanged
    (tmp_path / "python/a.txt").write_text("edited again\n")
    report = write_files(tmp_path, run_files(["python"], ALL_OPS, body="v2"), force=True)
    assert report.edited == ["python/a.txt"]
    assert (tmp_path / "python/a.txt").read_text() == "python a v2\n"
    assert write_files(tmp_path, run_files(["python"], ALL_OPS, body="v3")).edited == []


def test_edited_file_of_a_removed_operation_is_not_removed(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["python"], ALL_OPS))
    (tmp_path / "python/b.txt").write_text("kept work\n")
    smaller = run_files(["python"], {"a": "/a"}, in_definition=["GET /a"])
    with pytest.raises(writer.EditedFiles, match="python/b.txt"):
        write_files(tmp_path, smaller)
    assert (tmp_path / "python/b.txt").read_text() == "kept work\n"
    report = write_files(tmp_path, smaller, dry_run=True)
    assert report.edited == ["python/b.txt"] and report.removed == ["python/b.txt"]
    write_files(tmp_path, smaller, force=True)
    assert not (tmp_path / "python/b.txt").exists()


def test_edited_file_of_a_target_not_generated_is_left_alone(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["python", "r"], ALL_OPS))
    (tmp_path / "r/a.txt").write_text("my R changes\n")
    report = write_files(tmp_path, run_files(["python"], ALL_OPS, body="v2"))
    assert report.edited == [] and "r/a.txt" in report.kept
    assert (tmp_path / "r/a.txt").read_text() == "my R changes\n"
    # its recorded hash is still the generated one, so the next run that generates r sees the edit
    with pytest.raises(writer.EditedFiles, match="r/a.txt"):
        write_files(tmp_path, run_files(["python", "r"], ALL_OPS, body="v2"))


def test_older_manifest_without_hashes_counts_as_owned_and_unedited(tmp_path: Path) -> None:
    old = {"python/a.txt": "python a v0\n", "python/b.txt": "python b v0\n", "r/a.txt": "r a v0\n",
           "csharp/A/Program.cs": "a\n", "csharp/A/A.csproj": "p\n", "README.md": "old\n"}
    for rel, text in old.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    (tmp_path / "manifest.json").write_text(json.dumps({
        "generator": "samplegen", "targets": ["csharp", "python", "r"],
        "operations": [{"id": "a", "method": "GET", "path": "/a",
                        "files": {"csharp": "csharp/A/Program.cs", "python": "python/a.txt", "r": "r/a.txt"}},
                       {"id": "b", "method": "GET", "path": "/b", "files": {"python": "python/b.txt"}}],
        "files": sorted(list(old) + ["README.md", "manifest.json"])}))
    (tmp_path / "python/a.txt").write_text("edited before hashes were recorded\n")
    report = write_files(tmp_path, run_files(["python"], ALL_OPS, shared=False))
    assert report.edited == [] and sorted(report.written) == ["README.md", "manifest.json", "python/a.txt",
                                                               "python/b.txt"]
    assert report.removed == []
    assert sorted(report.kept) == ["csharp/A/A.csproj", "csharp/A/Program.cs", "r/a.txt"]
    listed = on_disk_manifest(tmp_path)["files"]
    assert listed["csharp/A/A.csproj"] == {"target": "csharp", "operation": "a"}
    assert "sha256" in listed["python/a.txt"]


def test_kept_file_the_user_deleted_is_no_longer_listed(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["python", "r"], ALL_OPS))
    (tmp_path / "r/b.txt").unlink()
    write_files(tmp_path, run_files(["python"], ALL_OPS))
    manifest = on_disk_manifest(tmp_path)
    assert "r/b.txt" not in manifest["files"] and "r/a.txt" in manifest["files"]
    assert manifest["operations"][1]["files"] == {"python": "python/b.txt"}


def test_a_second_identical_filtered_run_changes_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, run_files(["python", "r"], ALL_OPS))
    write_files(tmp_path, run_files(["python-urllib"], ALL_OPS))
    report = write_files(tmp_path, run_files(["python-urllib"], ALL_OPS))
    assert report.written == [] and report.removed == []
