"""The progress bar: drawn on a terminal (a pseudo-terminal here), never in a pipe or with -q."""
from __future__ import annotations

import io
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from generator.api import Options, generate_path
from generator.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "specs" / "petstore.yaml"


def run_cli(tmp_path: Path, *args: str, terminal: bool) -> tuple[int, str, str]:
    """Run `samplegen generate` with stderr on a pseudo-terminal or a pipe; the bar shows at once."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), SAMPLEGEN_PROGRESS_DELAY="0",
               SAMPLEGEN_CACHE_DIR=str(tmp_path / "cache"))
    cmd = [sys.executable, "-m", "generator.cli", "generate", str(SPEC), "-o", str(tmp_path / "out"), *args]
    if not terminal:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        return proc.returncode, proc.stdout, proc.stderr
    master, slave = os.openpty()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            proc.kill()
            pytest.fail("samplegen did not finish")
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    out = proc.stdout.read()
    proc.stdout.close()
    return proc.wait(timeout=120), out, b"".join(chunks).decode("utf-8", "replace")


def test_bar_shows_on_a_terminal(tmp_path: Path) -> None:
    code, out, err = run_cli(tmp_path, terminal=True)
    assert code == 0
    ops = len(generate_path(SPEC, Options(lenient=True)).model.operations)
    assert f"{ops}/{ops} operations" in err
    assert "render" in err and "[" in err
    assert err.rstrip().endswith("\x1b[?25h")  # the bar's line is cleared at the end
    assert f"{ops} operations x 3 targets: wrote" in out  # the summary line stays


def test_no_bar_in_a_pipe(tmp_path: Path) -> None:
    code, out, err = run_cli(tmp_path, terminal=False)
    assert code == 0
    assert "operations x 3 targets: wrote" in out
    assert "\r" not in err and "render" not in err and "\x1b" not in err


def test_no_bar_with_quiet(tmp_path: Path) -> None:
    code, out, err = run_cli(tmp_path, "-q", terminal=True)
    assert code == 0
    assert out == ""
    assert "render" not in err and "\r" not in err


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bar_waits_for_the_delay() -> None:
    screen = FakeTerminal()
    with Progress(True, file=screen, delay=60) as progress:
        progress("render", 5, 10)
    assert screen.getvalue() == ""


def test_bar_counts_operations_and_rate() -> None:
    screen = FakeTerminal()
    with Progress(True, file=screen, delay=0) as progress:
        progress("validate", 0, 0)
        for done in range(1, 4):
            progress("render", done, 3)
        import time
        time.sleep(0.5)  # the drawing thread redraws
    text = screen.getvalue()
    assert "3/3 operations" in text and "/s" in text
    assert "validate" in text or "render" in text


def test_disabled_bar_draws_nothing() -> None:
    screen = FakeTerminal()
    with Progress(False, file=screen, delay=0) as progress:
        progress("render", 1, 1)
    assert screen.getvalue() == ""


def test_generate_reports_every_operation() -> None:
    calls: list[tuple[str, int, int]] = []
    result = generate_path(SPEC, Options(lenient=True), progress=lambda *a: calls.append(a))
    ops = len(result.model.operations)
    renders = [c for c in calls if c[0] == "render"]
    assert [c[0] for c in calls][:2] == ["load", "validate"]
    assert renders == [("render", i, ops) for i in range(1, ops + 1)]
