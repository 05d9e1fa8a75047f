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
