"""The live tier: run generated samples against a recording server and check what they send.

``verify(definition, targets)`` is the entry point; ``RecordingServer`` and the runners are
exported for tests that drive single samples; the comparator is ``generator.verify.compare``
(its ``compare`` and ``check_behaviour``).
"""
from __future__ import annotations

from .core import CaseResult, SampleJob, VerifyReport, run_job, run_jobs, verify
from .recorder import RecordedRequest, RecordingServer, Response
from .runners import missing_tools, require_tools, run_process

__all__ = [
    "CaseResult",
    "RecordedRequest",
    "RecordingServer",
    "Response",
    "SampleJob",
    "VerifyReport",
    "missing_tools",
    "require_tools",
    "run_job",
    "run_jobs",
    "run_process",
    "verify",
]
