"""``verify``: generate every sample of a definition, run each against a recording server,
and check that it sent exactly its SampleRequest and behaved as the contract says.

For every operation x target, three runs (each against a fresh recording):
1. success: the server answers 200 with JSON; the request is compared with the
   SampleRequest; the sample must exit 0 and print the status and the pretty-printed body;
2. error status: the server answers 404; the request is compared again (file uploads now
   read the file named by their variable); the sample must exit 1 and print both;
3. missing secret (only when the operation needs secrets and auth is not optional): the
   secrets are removed (then, when there are several, only the last one); the sample must
   exit 2, name the missing variable on stderr, send nothing;
4. transport error: API_BASE_URL names a port that refuses connections; exit 1.
A sample whose server is a template opening with a variable (``{Endpoint}/v1``) also runs
with that variable pointing at the recorder instead of API_BASE_URL (the requests must then
arrive under the rest of the template), and, when a variable has no default, with neither
set: exit 2 naming it, nothing sent.
Optionally each recorded request is replayed to Prism, an independent judge of whether the
request is valid for the definition.
"""
from __future__ import annotations

import contextlib
import json
import os
import queue
import socket
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ..model import SampleRequest
from .compare import check_behaviour, compare, split_token_requests
from .jobs import (BASE_PATH, ERROR_BODY, ERROR_STATUS, SECRETS, SUCCESS_BODY, UPLOAD_FROM_FILE, CaseResult, SampleJob,
                   VerifyReport, behaviour_shape)
from .recorder import TOKEN_PATH, RecordingServer
from .replay import _judge_results, _prism_available
from ..languages import LANGUAGES as TARGETS
from .runners import (
    RunResult,
    base_env,
    install_hint,
    missing_tools,
    run_process,
    sample_command,
)

__all__ = [
    "BASE_PATH",
    "SECRETS",
    "SUCCESS_BODY",
    "ERROR_BODY",
    "CaseResult",
    "SampleJob",
    "VerifyReport",
    "run_job",
    "run_jobs",
    "sample_env",
    "verify",
    "verify_generated",
]


# -- running one sample ------------------------------------------------------------------------


def sample_env(sample: SampleRequest, server_url: str, *, base_path: str = BASE_PATH, secrets: bool = True,
               extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a sample runs with: API_BASE_URL, the secrets it reads, nothing else."""
    values: dict[str, str] = {"API_BASE_URL": server_url + base_path}
    if any(p.kind == "oauth2_client_credentials" for p in sample.auth):
        values["API_TOKEN_URL"] = server_url + TOKEN_PATH
    if secrets:
        for name in sample.secret_vars:
            values[name] = SECRETS.get(name, f"live-{name.lower().replace('_', '-')}+/=")
    if extra:
        values.update(extra)
    return base_env(values)


def server_variable_env(sample: SampleRequest, server_url: str) -> tuple[dict[str, str], str] | None:
    """The variables that point a sample whose server is a template (``{Endpoint}/v1``) at
    ``server_url`` without API_BASE_URL, and the path the requests then go under.

    Possible when the template opens with a variable (it takes ``server_url``, with a
    trailing slash the sample must drop); the other variables keep their defaults, or get a
    made-up value when they have none. None when the template cannot lead to the recorder.
    """
    server = sample.server
    if server is None or not server.parts or server.parts[0][0] != "var":
        return None
    values: dict[str, str] = {}
    rest = ""
    for i, (kind, text, _strip) in enumerate(server.parts):
        if kind == "text":
            rest += text if i else ""
            continue
        var = next(v for v in server.variables if v.env_var == text)
        if i == 0:
            values[text] = server_url + "/"
            continue
        value = var.default if not var.required else f"live-{var.name.lower()}"
        if var.required:
            values[text] = value
        rest += value
    if "://" in rest or "?" in rest or "#" in rest:
        return None
    return values, "/" + rest.lstrip("/") if rest else ""


def _is_crash(res: RunResult, allowed: Iterable[int]) -> bool:
    return res.timed_out or res.returncode not in set(allowed)


def run_job(job: SampleJob, server: RecordingServer, *, timeout: float = 60, behaviours: bool = True,
            base_path: str = BASE_PATH, scratch: Path | None = None) -> CaseResult:
    """Run one sample (see the module docstring for the runs) and check every run."""
    result = CaseResult(job.operation_id, job.target, "ok", file=str(job.file))
    if job.build_error:
        result.status = "error"
        result.messages.append("did not compile")
        result.stderr_tail = job.build_error
        return result
    command = job.command or sample_command(job.target, job.file)
    sample = job.sample
    started = time.monotonic()
    messages: list[str] = []

    # 1. success
    server.take()
    server.respond(200, SUCCESS_BODY)
    env = sample_env(sample, server.url, base_path=base_path, extra=job.env)
    res = run_process(command, env, timeout=timeout, cwd=job.file.parent)
    recs = server.take()
    result.exit_code = res.returncode
    result.stderr_tail = res.tail()
    _, api = split_token_requests(sample, recs, env)
    result.recorded = api
    if res.timed_out or (not api and res.returncode != 0):
        result.status = "error"
        result.messages.append(
            f"timed out after {timeout:.0f}s (killed)" if res.timed_out else f"exit code {res.returncode}, no request sent"
        )
        result.duration = time.monotonic() - started
        return result
    added = TARGETS[job.target].toolchain.client_headers  # what its HTTP client adds by itself
    messages += compare(sample, recs, env, base_path, added)
    head = sample.method.upper() == "HEAD"  # a HEAD answer has no body to print
    messages += check_behaviour("success", res, status=200, response_body="" if head else SUCCESS_BODY,
                                content_type="" if head else "application/json", recorded=recs)
    crashed = _is_crash(res, (0, 1))
    if behaviours and job.behaviours and not crashed:
        # 2. error status (and uploads read from the file their variable names)
        server.respond(ERROR_STATUS, ERROR_BODY)
        extra: dict[str, str] = dict(job.env)
        if sample.file_vars:
            folder = scratch or Path(tempfile.mkdtemp(prefix="samplegen-upload-"))
            upload = folder / f"upload-{job.target}-{job.operation_id}.txt"
            upload.write_text(UPLOAD_FROM_FILE, encoding="utf-8")
            extra.update({spec.env_var: str(upload) for spec in sample.file_vars if spec.env_var})
        env2 = sample_env(sample, server.url, base_path=base_path, extra=extra)
        res2 = run_process(command, env2, timeout=timeout, cwd=job.file.parent)
        recs2 = server.take()
        more = compare(sample, recs2, env2, base_path, added)
        if sample.file_vars and scratch is None:
            shutil.rmtree(folder, ignore_errors=True)
        messages += [f"with file variables set: {m}" for m in more] if sample.file_vars else more
        messages += check_behaviour("error_status", res2, status=ERROR_STATUS, response_body="" if head else ERROR_BODY,
                                    content_type="" if head else "application/json", recorded=recs2)
        # 3. missing secrets
        if sample.secret_vars and not sample.auth_optional:
            server.respond(200, SUCCESS_BODY)
            env3 = sample_env(sample, server.url, base_path=base_path, secrets=False, extra=job.env)
            res3 = run_process(command, env3, timeout=timeout, cwd=job.file.parent)
            recs3 = server.take()
            messages += check_behaviour("missing_secret", res3, secret_vars=sample.secret_vars, recorded=recs3)
            if len(sample.secret_vars) > 1:
                # only the last one missing (e.g. API_PASSWORD): every variable must be checked
                last = sample.secret_vars[-1]
                env3b = sample_env(sample, server.url, base_path=base_path, extra=job.env)
                del env3b[last]
                res3b = run_process(command, env3b, timeout=timeout, cwd=job.file.parent)
                recs3b = server.take()
                messages += [m.replace("missing secret:", f"missing {last} only:", 1)
                             for m in check_behaviour("missing_secret", res3b, secret_vars=[last], recorded=recs3b)]
        # server variables instead of API_BASE_URL (API_ENDPOINT for {Endpoint}/v1 ...)
        if sample.server is not None:
            messages += _server_variable_runs(job, command, server, timeout)
        # 4. transport error: nothing listens at API_BASE_URL (a bound port that refuses)
        with _refusing_port() as port:
            env4 = sample_env(sample, f"http://127.0.0.1:{port}", base_path=base_path, extra=job.env)
            env4["API_TOKEN_URL"] = env.get("API_TOKEN_URL", "") and f"http://127.0.0.1:{port}{TOKEN_PATH}"
            if not env4["API_TOKEN_URL"]:
                del env4["API_TOKEN_URL"]
            res4 = run_process(command, env4, timeout=timeout, cwd=job.file.parent)
        messages += check_behaviour("transport_error", res4)
    server.respond(200, SUCCESS_BODY)
    result.messages = _dedupe(messages)
    if crashed and res.returncode not in (0, 1, 2):
        result.status = "error"
        result.messages.insert(0, f"exit code {res.returncode}")
    else:
        result.status = "ok" if not result.messages else "mismatch"
    result.duration = time.monotonic() - started
    return result


def _server_variable_runs(job: SampleJob, command: list[str], server: RecordingServer, timeout: float) -> list[str]:
    """A sample whose server is a template: it must reach the recorder through the template's
    variables alone (API_BASE_URL unset), and, when a variable without default is unset too,
    exit 2 naming it before sending anything."""
    sample = job.sample
    assert sample.server is not None
    messages: list[str] = []
    server.respond(200, SUCCESS_BODY)
    pointed = server_variable_env(sample, server.url)
    if pointed is not None:
        values, base_path = pointed
        env = sample_env(sample, server.url, extra={**job.env, **values})
        del env["API_BASE_URL"]
        res = run_process(command, env, timeout=timeout, cwd=job.file.parent)
        recs = server.take()
        shown = ", ".join(f"{k}={v}" for k, v in values.items())
        found = compare(sample, recs, env, base_path, TARGETS[job.target].toolchain.client_headers)
        found += check_behaviour("success", res, status=200,
                                 response_body="" if sample.method.upper() == "HEAD" else SUCCESS_BODY,
                                 content_type="" if sample.method.upper() == "HEAD" else "application/json",
                                 recorded=recs)
        messages += [f"with {shown} instead of API_BASE_URL: {m}" for m in found]
    required = [v.env_var for v in sample.server.required]
    if required:
        env = sample_env(sample, server.url, extra=job.env)
        del env["API_BASE_URL"]
        res = run_process(command, env, timeout=timeout, cwd=job.file.parent)
        recs = server.take()
        messages += [m.replace("missing secret:", "no server address:", 1)
                     for m in check_behaviour("missing_secret", res, secret_vars=required, recorded=recs)]
    return messages


@contextlib.contextmanager
def _refusing_port() -> Iterator[int]:
    """A loopback port that refuses connections while the block runs (bound, not listening)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
    finally:
        sock.close()


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def run_jobs(jobs: list[SampleJob], *, workers: int = 4, timeout: float = 60, behaviours: bool = True,
             base_path: str = BASE_PATH) -> list[CaseResult]:
    """Run jobs in parallel; each worker has its own recording server, so recordings never mix."""
    if not jobs:
        return []
    workers = max(1, min(workers, len(jobs)))
    servers: "queue.Queue[RecordingServer]" = queue.Queue()
    started = [RecordingServer().start() for _ in range(workers)]
    for s in started:
        servers.put(s)
    scratch = Path(tempfile.mkdtemp(prefix="samplegen-live-"))

    def one(job: SampleJob) -> CaseResult:
        server = servers.get()
        try:
            return run_job(job, server, timeout=timeout, behaviours=behaviours, base_path=base_path, scratch=scratch)
        except Exception as exc:  # a harness bug must not hide the other results
            return CaseResult(job.operation_id, job.target, "error", [f"harness error: {type(exc).__name__}: {exc}"], file=str(job.file))
        finally:
            server.take()
            servers.put(server)

    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, jobs))
    finally:
        for s in started:
            s.stop()
        shutil.rmtree(scratch, ignore_errors=True)


# -- verify --------------------------------------------------------------------------------------


def _write_files(files: dict[str, str], root: Path) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")


def verify(
    definition_path: str | os.PathLike,
    targets: Iterable[str] | None = None,
    *,
    operations: Iterable[str] | None = None,
    prism: bool = True,
    timeout: float = 60,
    jobs: int = 4,
    lenient: bool = True,
    behaviours: bool | str | Callable[[SampleJob], bool] = True,
    judge: Any = None,
    workdir: str | os.PathLike | None = None,
    raise_spec_errors: bool = False,
    name: str | None = None,
    max_bytes: int | None = None,
    all_params: bool = False,
    tags: Iterable[str] = (),
    exclude_tags: Iterable[str] = (),
    exclude_operations: Iterable[str] = (),
) -> VerifyReport:
    """Generate, run, compare (and judge with Prism); see the module docstring.

    ``targets``: names of languages (default: every one in the registry). A target whose
    tools are missing is reported as skipped. ``lenient`` generates from definitions the
    validator rejects (the operations that cannot be generated are listed as notes).
    ``judge``: an already started PrismJudge to reuse. ``workdir``: keep the generated
    files there instead of a temporary folder (written as ``generate`` writes: edited and
    foreign files are refused). ``raise_spec_errors``: let a definition that cannot be
    generated raise its SpecError instead of being reported. ``name``: the definition's name
    in the samples and the report (e.g. ``<stdin>``), instead of its path. ``all_params``: send the
    optional parameters too (``generate --all-params``). ``behaviours``: True runs the
    behaviour runs (error status, missing secrets, server variables, refused connection) for
    every sample; "per-shape" for the first sample of each language with a given
    ``behaviour_shape`` only (every request is still run and compared); False for none; a
    function of the ``SampleJob`` for the samples it returns True for (e.g. one shape once
    across several definitions: ``jobs.first_of_each_shape``).
    ``tags``, ``exclude_tags``, ``exclude_operations``: the filters of ``generate`` (``Options``).
    """
    from ..api import Options, generate_path
    from ..errors import SpecError

    started = time.monotonic()
    targets = list(dict.fromkeys(targets or TARGETS))
    unknown = [t for t in targets if t not in TARGETS]
    if unknown:
        raise ValueError(f"unknown target(s) {unknown} (known: {', '.join(TARGETS)})")
    report = VerifyReport(definition=name or str(definition_path), targets=targets)
    try:
        result = generate_path(
            str(definition_path),
            Options(targets=tuple(targets), operations=tuple(operations or ()), base_url=None, lenient=lenient,
                    all_params=all_params, tags=tuple(tags), exclude_tags=tuple(exclude_tags),
                    exclude_operations=tuple(exclude_operations)),
            name=name,
            max_bytes=max_bytes,
        )
    except SpecError as exc:
        if raise_spec_errors:
            raise
        report.errors.append(f"generation failed: {exc.format()}")
        report.duration = time.monotonic() - started
        return report
    return verify_generated(result, definition_path, targets, prism=prism, timeout=timeout, jobs=jobs,
                            behaviours=behaviours, judge=judge, workdir=workdir, _report=report, _started=started)


def verify_generated(
    result: Any,
    definition_path: str | os.PathLike,
    targets: Iterable[str] | None = None,
    *,
    prism: bool = True,
    timeout: float = 60,
    jobs: int = 4,
    behaviours: bool | str | Callable[[SampleJob], bool] = True,
    judge: Any = None,
    workdir: str | os.PathLike | None = None,
    _report: VerifyReport | None = None,
    _started: float | None = None,
) -> VerifyReport:
    """Like ``verify`` for an already generated ``Result`` (files, model, diagnostics)."""
    started = _started if _started is not None else time.monotonic()
    targets = list(dict.fromkeys(targets or TARGETS))
    report = _report or VerifyReport(definition=str(definition_path), targets=targets)
    report.diagnostics = [d.format() for d in result.diagnostics]
    report.found, report.skipped_operations = list(result.diagnostics), list(result.skipped)
    report.notes += [d.format() for d in result.diagnostics if d.level == "error" or "skip" in d.message.lower()]
    report.notes += [s.format() for s in result.skipped]

    tmp = None
    if workdir is None:
        tmp = tempfile.mkdtemp(prefix="samplegen-verify-")
        root = Path(tmp)
    else:
        from ..errors import SpecError
        from ..writer import EditedFiles, write_files

        # absolute: the samples run from their own folder, so a relative path would be doubled
        root = Path(workdir).absolute()
        try:
            write_files(root, result.files)
        except EditedFiles as exc:
            raise SpecError(f"{exc.message}; keep the samples in another folder, or move the edited files "
                            "out of this one", exc.location) from None
    try:
        if tmp is not None:
            _write_files(result.files, root)
        manifest = json.loads(result.files["manifest.json"])
        by_id = {op.id: op for op in result.model.operations}
        entries = []
        for entry in manifest.get("operations", []):
            op = by_id.get(entry["id"])
            if op is None:
                report.errors.append(f"manifest names operation {entry['id']!r}, which is not in the model")
                continue
            entries.append((entry, op))
        if not entries:
            report.notes.append("no operation was generated")

        runnable: list[str] = []
        for target in targets:
            missing = missing_tools(target)
            if missing:
                report.skipped_targets[target] = f"missing {', '.join(missing)}; {install_hint(target)}"
            else:
                runnable.append(target)

        builds = {}  # language -> its batch build (e.g. every C# program in one compiler call)
        for target in runnable:
            build = TARGETS[target].toolchain.build
            programs = [root / e["files"][target] for e, _ in entries if target in e.get("files", {})]
            if build is not None and programs:
                builds[target] = build(programs, root / f".build-{target}")

        job_list: list[SampleJob] = []
        for target in targets:
            for entry, op in entries:
                rel = entry.get("files", {}).get(target)
                if target in report.skipped_targets:
                    report.results.append(CaseResult(op.id, target, "skipped", [report.skipped_targets[target]], file=rel or ""))
                    continue
                if rel is None or not (root / rel).exists():
                    report.results.append(CaseResult(op.id, target, "error", [f"no {target} file generated"], file=rel or ""))
                    continue
                if op.sample is None:
                    report.results.append(CaseResult(op.id, target, "error", ["the model has no sample for this operation"], file=rel))
                    continue
                job = SampleJob(op.id, target, root / rel, op.sample)
                if target in builds:
                    path = (root / rel).resolve()
                    job.build_error = builds[target].error(path)
                    if not job.build_error:
                        job.command = builds[target].command(path)
                job_list.append(job)
        if behaviours == "per-shape":
            seen: set[tuple] = set()
            for job in job_list:
                key = (job.target, behaviour_shape(job.sample))
                job.behaviours = key not in seen
                seen.add(key)
        elif callable(behaviours):
            for job in job_list:
                job.behaviours = bool(behaviours(job))
        done = run_jobs(job_list, workers=jobs, timeout=timeout, behaviours=bool(behaviours))
        for r in done:
            r.file = os.path.relpath(r.file, root) if os.path.isabs(r.file) else r.file
        report.results += done

        if prism and any(r.recorded for r in done):
            if judge is not None:
                _judge_results(done, judge)
            else:
                available, why = _prism_available()
                if available:
                    from .prism import PrismError, PrismJudge

                    try:
                        with PrismJudge(Path(definition_path)) as started_judge:
                            _judge_results(done, started_judge)
                            report.notes += [f"prism: {n}" for n in started_judge.rewrite_notes]
                    except PrismError as exc:
                        report.errors.append(f"prism: {exc}")
                elif os.environ.get("CI", "").lower() == "true":
                    report.errors.append(why)
                else:
                    report.notes.append(f"{why}: requests not judged by Prism")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    order = {t: i for i, t in enumerate(targets)}
    report.results.sort(key=lambda r: order.get(r.target, 99))
    report.duration = time.monotonic() - started
    return report
