"""A run into a new output folder is written while it renders, through a staging folder
(generator.staging): the same files, bytes, permissions and report as write_files gives, the
folder appearing whole or not at all, and write_files taking over whenever anything is off."""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

import generator.staging as staging
from generator.cli import cli
from generator.errors import SpecError
from generator.staging import FreshFolder
from generator.writer import TEMP_PREFIX, write_files

from helpers.outputs import FILES, ROOT, SPEC, with_manifest


def tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under ``folder``: its bytes and permission bits; folders' permission bits."""
    out: dict[str, tuple[bytes, int]] = {}
    for path in sorted(folder.rglob("*")):
        mode = stat.S_IMODE(path.lstat().st_mode)
        out[path.relative_to(folder).as_posix()] = (path.read_bytes() if path.is_file() else b"<dir>", mode)
    return out


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(TEMP_PREFIX))


def stream(out: Path, files: dict[str, str], emitted: dict[str, str] | None = None,
           announced: list[str] | None = None):
    """Run a FreshFolder as the CLI does: announce, emit, then finish with the run's files."""
    fresh = FreshFolder.start(out)
    assert fresh is not None
    with fresh:
        for rel in announced if announced is not None else [r for r in files if r != "manifest.json"]:
            fresh.announce(rel)
        for rel, text in (files if emitted is None else emitted).items():
            if rel != "manifest.json":
                fresh.emit(rel, text)
        return fresh.finish(files)


def test_same_files_permissions_and_report_as_write_files(tmp_path: Path) -> None:
    files = with_manifest(FILES)
    report = stream(tmp_path / "fresh", files)
    assert report is not None, "the staging route was not taken"
    expected = write_files(tmp_path / "plain", files)
    assert tree(tmp_path / "fresh") == tree(tmp_path / "plain")
    assert (tmp_path / "fresh" / "python/get_pet.py").read_bytes() == b"print('hi')\r\nprint('crlf kept')\n"
    assert report.written == expected.written and report.unchanged == report.removed == report.kept == []
    assert json.loads((tmp_path / "fresh" / "manifest.json").read_text())["files"]["r/get_pet.R"]["sha256"]
    assert leftovers(tmp_path) == []


def test_files_changed_added_or_dropped_after_emitting_end_up_as_the_run_says(tmp_path: Path) -> None:
    emitted = {**FILES, "python/dropped.py": "x = 1\n"}
    final = with_manifest({**FILES, "python/get_pet.py": "print('changed')\n", "python/added.py": "y = 2\n"})
    announced = [*emitted, "csharp/Never/Program.cs", "csharp/Never/Never.csproj"]  # announced, never written
    assert stream(tmp_path / "fresh", final, emitted, announced) is not None
    write_files(tmp_path / "plain", final)
    assert tree(tmp_path / "fresh") == tree(tmp_path / "plain")


def test_texts_not_kept_by_the_run_are_written_and_hashed_as_emitted(tmp_path: Path) -> None:
    """The command line keeps no text it emitted (None in the run's files): the staging folder
    and its manifest are still exactly what write_files makes of the texts."""
    files = with_manifest(FILES)
    fresh = FreshFolder.start(tmp_path / "fresh")
    assert fresh is not None
    with fresh:
        for rel in FILES:
            if rel != "README.md":
                fresh.emit(rel, FILES[rel])
        held = {rel: (None if rel in FILES and rel != "README.md" else text) for rel, text in files.items()}
        report = fresh.finish(held)
    assert report is not None
    expected = write_files(tmp_path / "plain", files)
    assert tree(tmp_path / "fresh") == tree(tmp_path / "plain")
    assert sorted(report.written) == sorted(expected.written)


def test_a_text_not_kept_and_never_emitted_sends_the_run_to_write_files(tmp_path: Path) -> None:
    fresh = FreshFolder.start(tmp_path / "out")
    assert fresh is not None
    with fresh:
        fresh.emit("python/a.py", "a = 1\n")
        assert fresh.finish(with_manifest({"python/a.py": None, "python/b.py": None})) is None
    assert leftovers(tmp_path) == [] and not (tmp_path / "out").exists()


def test_the_cli_writes_a_new_folder_as_it_writes_an_existing_empty_one(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[bool] = []
    finish = FreshFolder.finish

    def spy(self: FreshFolder, files: dict[str, str]):
        # the run handed every sample's text to the staging folder and kept none of them
        assert [rel for rel, text in files.items() if text is None] == sorted(self._sent)
        assert len(self._sent) > len(files) / 2  # the rest: README.md, manifest.json, files shared by operations
        report = finish(self, files)
        taken.append(report is not None)
        return report

    monkeypatch.setattr(FreshFolder, "finish", spy)
    (tmp_path / "empty").mkdir()
    runner = CliRunner()
    reports = {}
    for name in ("empty", "new"):
        result = runner.invoke(cli, ["generate", str(SPEC), "-o", str(tmp_path / name), "--json"])
        assert result.exit_code == 0, result.output
        reports[name] = result.output.replace(str(tmp_path / name), "<out>")
    assert taken == [True], "only the new folder goes through the staging folder"
    assert tree(tmp_path / "new") == tree(tmp_path / "empty")
    assert reports["new"] == reports["empty"] and '"written"' in reports["new"]
    assert leftovers(tmp_path) == []


def test_when_the_staging_route_fails_the_cli_renders_again_and_writes_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    (tmp_path / "empty").mkdir()
    plain = runner.invoke(cli, ["generate", str(SPEC), "-o", str(tmp_path / "empty"), "--json"])
    assert plain.exit_code == 0, plain.output
    monkeypatch.setattr(staging, "_HELPER", "import sys; sys.stdin.buffer.read(10); sys.exit(1)")
    failed: list[bool] = []
    finish = FreshFolder.finish
    monkeypatch.setattr(FreshFolder, "finish", lambda self, files: failed.append(None in files.values())
                        or finish(self, files))
    result = runner.invoke(cli, ["generate", str(SPEC), "-o", str(tmp_path / "new"), "--json"])
    assert result.exit_code == 0, result.output
    assert failed == [True], "the staging route was taken, without the texts, and failed"
    assert tree(tmp_path / "new") == tree(tmp_path / "empty")
    assert result.output.replace(str(tmp_path / "new"), "<out>") == \
        plain.output.replace(str(tmp_path / "empty"), "<out>")
    assert leftovers(tmp_path) == []


def test_a_failing_run_leaves_no_output_folder_and_no_staging_folder(tmp_path: Path) -> None:
    templates = tmp_path / "templates" / "python"
    templates.mkdir(parents=True)
    # the python sample of the last operation fails to render, after the others were emitted
    (templates / "program.py.j2").write_text("{{ undefined_thing.attr if op is sameas api.operations[-1] "
                                             "else op.id }}\n")
    result = CliRunner().invoke(cli, ["generate", str(SPEC), "-o", str(tmp_path / "out"),
                                       "--templates", str(tmp_path / "templates")])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []


def test_an_interrupted_run_removes_the_staging_folder_and_stops_the_helper(tmp_path: Path) -> None:
    fresh = FreshFolder.start(tmp_path / "out")
    assert fresh is not None
    with pytest.raises(KeyboardInterrupt):
        with fresh:
            fresh.emit("python/a.py", "a = 1\n" * 100_000)
            raise KeyboardInterrupt
    assert fresh._helper.poll() is not None
    assert leftovers(tmp_path) == [] and not (tmp_path / "out").exists()


@pytest.mark.parametrize("trouble", ["helper fails", "bad path", "same path twice", "not utf-8",
                                     "folder appeared", "file and folder", "announced twice", "bad announcement"])
def test_write_files_takes_over_when_anything_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     trouble: str) -> None:
    out = tmp_path / "out"
    files = with_manifest(FILES)
    if trouble == "helper fails":
        monkeypatch.setattr(staging, "_HELPER", "import sys; sys.stdin.buffer.read(10); sys.exit(1)")
    fresh = FreshFolder.start(out)
    assert fresh is not None
    with fresh:
        for rel, text in FILES.items():
            fresh.emit(rel, text)
        if trouble == "bad path":
            fresh.emit("../escape.py", "x\n")
        elif trouble == "same path twice":
            fresh.emit("README.md", "# again\n")
        elif trouble == "not utf-8":
            fresh.emit("python/lone.py", "\udc80\n")
        elif trouble == "folder appeared":
            out.mkdir()
            (out / "mine.txt").write_text("the user's\n")
        elif trouble == "file and folder":
            fresh.emit("README.md/inner.txt", "x\n")
        elif trouble == "announced twice":
            fresh.announce("python/twice.py")
            fresh.announce("python/twice.py")
        elif trouble == "bad announcement":
            fresh.announce("/etc/escape.py")
        assert fresh.finish(files) is None
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "escape.py").exists()
    if trouble == "folder appeared":
        assert (out / "mine.txt").read_text() == "the user's\n" and len(list(out.iterdir())) == 1
    else:
        assert not out.exists()
    report = write_files(out, files)  # what the CLI does next
    assert sorted(report.written) == sorted(files)


def test_not_taken_for_an_existing_folder_a_link_or_a_missing_parent(tmp_path: Path) -> None:
    (tmp_path / "there").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    assert FreshFolder.start(tmp_path / "there") is None
    assert FreshFolder.start(tmp_path / "link") is None
    assert FreshFolder.start(tmp_path / "missing" / "out") is None
    assert leftovers(tmp_path) == []


def test_refused_paths_still_give_write_files_error(tmp_path: Path) -> None:
    files = with_manifest({**FILES, "python/Get.py": "a\n", "python/get.py": "b\n"})
    assert stream(tmp_path / "out", files) is None
    with pytest.raises(SpecError, match="differ only in case"):
        write_files(tmp_path / "out", files)
    assert not (tmp_path / "out").exists() and leftovers(tmp_path) == []


def test_permissions_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert stream(tmp_path / "out", with_manifest(FILES)) is not None
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o750
    assert stat.S_IMODE((tmp_path / "out" / "csharp" / "GetPet").stat().st_mode) == 0o750
    assert stat.S_IMODE((tmp_path / "out" / "README.md").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "out" / "manifest.json").stat().st_mode) == 0o640


def test_a_backlog_larger_than_the_pipe_arrives_whole(tmp_path: Path) -> None:
    # 24 MB emitted at once: most of it waits, and goes to the helper when the run finishes
    files = {f"python/op_{i:04d}.py": f"# {i}\n" + "x = '" + "é" * 6000 + "'\n" for i in range(2000)}
    files = with_manifest({**files, "csharp/Big/Program.cs": "// " + "y" * 3_000_000 + "\n"})
    assert stream(tmp_path / "out", files) is not None
    write_files(tmp_path / "plain", files)
    assert tree(tmp_path / "out") == tree(tmp_path / "plain")


def test_files_are_announced_while_the_model_is_built_unless_filters_leave_some_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, str]] = []
    announce, emit = FreshFolder.announce, FreshFolder.emit
    monkeypatch.setattr(FreshFolder, "announce", lambda self, rel: (seen.append(("announce", rel)),
                                                                    announce(self, rel))[1])
    monkeypatch.setattr(FreshFolder, "emit", lambda self, rel, text: (seen.append(("emit", rel)),
                                                                      emit(self, rel, text))[1])
    runner = CliRunner()
    result = runner.invoke(cli, ["generate", str(SPEC), "-o", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    announced = [rel for what, rel in seen if what == "announce"]
    emitted = [rel for what, rel in seen if what == "emit"]
    assert announced == emitted and len(emitted) == 6 * 5  # six operations: C# (three files), Python, R
    assert seen.index(("emit", emitted[0])) > seen.index(("announce", announced[-1]))  # model, then render
    seen.clear()
    result = runner.invoke(cli, ["generate", str(SPEC), "-o", str(tmp_path / "one"), "--operation", "execute"])
    assert result.exit_code == 0, result.output
    assert [what for what, _ in seen] == ["emit"] * 5
    assert tree(tmp_path / "all") != tree(tmp_path / "one") and leftovers(tmp_path) == []


def test_a_terminated_run_removes_its_staging_folder(tmp_path: Path) -> None:
    """SIGTERM (what CI timeouts and process managers send) unwinds like Ctrl-C."""
    import signal
    import subprocess
    import sys
    import time

    paths = {f"/items{i}/{{id}}": {"post": {
        "operationId": f"updateItem{i}",
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
            f"field{j}": {"type": "string", "description": "text " * 20} for j in range(30)}}}}},
        "responses": {"200": {"description": "ok"}}}} for i in range(3000)}
    spec = tmp_path / "big.json"
    spec.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "big", "version": "1"},
                                "servers": [{"url": "https://example.com"}], "paths": paths}))
    work = tmp_path / "work"
    work.mkdir()
    proc = subprocess.Popen([sys.executable, "-m", "generator.cli", "generate", str(spec), "-o", str(work / "out"),
                             "-q"], cwd=ROOT, env={**os.environ, "SAMPLEGEN_CACHE_DIR": str(tmp_path / "cache")},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not leftovers(work) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None and leftovers(work), "the run ended before its staging folder was seen"
    time.sleep(0.5)  # into the model or the rendering
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err.decode()
    assert b"Traceback" not in err and b"error: terminated" in err
    assert leftovers(work) == [] and not (work / "out").exists()
