"""A run into an existing folder compares each file with the one on disk as it is rendered
(writer.Unchanged): a file found the same is not kept by the run, and what write_files then
does and reports is exactly what it does with every text in hand."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.writer as writer
from generator.cli import cli
from generator.errors import SpecError
from generator.writer import EditedFiles, Unchanged, write_files

from helpers.outputs import FILES as SAMPLES, SPEC, with_manifest


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def streamed(out: Path, files: dict[str, str]) -> tuple[dict[str, str | None], dict[str, str]]:
    """The run's files as the command line holds them after emitting each one to Unchanged."""
    found = Unchanged.start(out)
    assert found is not None
    held = {rel: None if rel != "manifest.json" and found.emit(rel, text) else text for rel, text in files.items()}
    return held, found.same


def twins(tmp_path: Path, files: dict[str, str]) -> tuple[Path, Path]:
    a, b = tmp_path / "plain", tmp_path / "streamed"
    write_files(a, files)
    write_files(b, files)
    return a, b


def test_files_the_same_on_disk_are_not_kept_and_the_outcome_is_write_files_own(tmp_path: Path) -> None:
    a, b = twins(tmp_path, with_manifest(SAMPLES))
    again = with_manifest({**SAMPLES, "python/get_pet.py": "print('changed')\n", "python/new.py": "x = 1\n"})
    del again["r/get_pet.R"]
    held, same = streamed(b, again)
    kept_as_is = ["README.md", "csharp/GetPet/GetPet.csproj", "csharp/GetPet/Program.cs"]
    assert sorted(rel for rel, text in held.items() if text is None) == kept_as_is == sorted(same)
    expected = write_files(a, again)
    report = write_files(b, held, same=same)
    assert report == expected and report.unchanged == kept_as_is
    assert report.removed == ["r/get_pet.R"]
    assert snapshot(b) == snapshot(a)  # the manifest too, with every file's SHA-256


def test_an_edited_file_is_left_to_write_files_which_refuses_it(tmp_path: Path) -> None:
    files = with_manifest(SAMPLES)
    a, b = twins(tmp_path, files)
    for folder in (a, b):
        (folder / "python/get_pet.py").write_text("print('mine')\n")
    held, same = streamed(b, files)
    assert held["python/get_pet.py"] is not None and "python/get_pet.py" not in same
    with pytest.raises(EditedFiles) as plain:
        write_files(a, files)
    with pytest.raises(EditedFiles) as streamed_error:
        write_files(b, held, same=same)
    assert str(streamed_error.value).replace(str(b), "<out>") == str(plain.value).replace(str(a), "<out>")


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_links_and_folders_leading_out_are_left_to_write_files(tmp_path: Path) -> None:
    files = with_manifest(SAMPLES)
    out = tmp_path / "out"
    write_files(out, files)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "get_pet.R").write_text(SAMPLES["r/get_pet.R"])
    os.replace(out / "python", tmp_path / "moved")
    (out / "python").symlink_to(outside, target_is_directory=True)  # a folder leading out
    (out / "README.md").unlink()
    (out / "README.md").symlink_to(outside / "get_pet.R")  # a link, even to the same bytes
    (out / "r/get_pet.R").unlink()
    (out / "r/get_pet.R").symlink_to(outside / "get_pet.R")
    held, same = streamed(out, files)
    assert sorted(same) == ["csharp/GetPet/GetPet.csproj", "csharp/GetPet/Program.cs"]
    with pytest.raises(SpecError):
        write_files(out, held, same=same)


def test_a_text_missing_without_its_hash_is_a_mistake_not_a_write(tmp_path: Path) -> None:
    files = with_manifest(SAMPLES)
    write_files(tmp_path, files)
    with pytest.raises(ValueError):
        write_files(tmp_path, {**files, "README.md": None})


def test_the_cli_regenerates_without_keeping_unchanged_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    first = runner.invoke(cli, ["generate", str(SPEC), "-o", str(out)])
    assert first.exit_code == 0, first.output
    edited = out / "python" / "requirements.txt"
    edited.write_text(edited.read_text() + "# mine\n")
    before = snapshot(out)
    seen: list[tuple[int, int]] = []
    real = writer.write_files

    def spy(out_dir, files, **kw):
        seen.append((sum(text is None for text in files.values()), len(kw.get("same") or {})))
        return real(out_dir, files, **kw)

    monkeypatch.setattr(writer, "write_files", spy)
    second = runner.invoke(cli, ["generate", str(SPEC), "-o", str(out), "--json"])
    assert second.exit_code == 2, second.output  # the edited file is refused, as ever
    assert snapshot(out) == before
    third = runner.invoke(cli, ["generate", str(SPEC), "-o", str(out), "--json", "--force"])
    assert third.exit_code == 0, third.output
    report = json.loads(third.output)["runs"][0]["files"]
    assert report["written"] == ["python/requirements.txt"] and len(report["unchanged"]) == len(before) - 1
    dropped, hashed = seen[-1]
    assert dropped == hashed == len(before) - 3  # all but the edited file, README.md and manifest.json
    assert snapshot(out) == {**before, "python/requirements.txt": edited.read_bytes()}
