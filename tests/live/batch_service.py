"""A stateful fake of the Azure ML batch execution service, for the workflow programs.

It records every request (it is a RecordingServer) and answers as the service would: POST
/jobs creates a job, POST /jobs/{id}/start starts it, GET /jobs/{id} reports NotStarted,
then Running, then (``outcome``) Finished with its result locations, Failed, or never
anything but Running. Unknown ids get 404."""
from __future__ import annotations

from urllib.parse import unquote

from generator.verify.recorder import RecordedRequest, RecordingServer, Response

BASE = "/ws"  # the path part of API_BASE_URL


class BatchService(RecordingServer):
    def __init__(self, *, job_id: str = "job-1", outcome: str = "Finished", running_polls: int = 1,
                 results: dict | None = None, header: tuple[str, str] | None = None) -> None:
        super().__init__(token_path=None)
        self.job_id = job_id
        self.outcome = outcome  # Finished | Failed | never
        self.running_polls = running_polls  # Running answers before the outcome
        self.results = results or {"output1": {"RelativeLocation": "adultcensus/output1.csv",
                                               "BaseLocation": "https://acct.blob.core.windows.net/",
                                               "SasBlobToken": "?sv=1&sig=x"}}
        self.header = header
        self.started = False
        self.polls = 0

    def _status(self) -> dict:
        self.polls += 1
        if not self.started:
            return {"StatusCode": "NotStarted"}
        if self.outcome == "never" or self.polls <= 1 + self.running_polls:
            return {"StatusCode": "Running"}
        if self.outcome == "Failed":
            return {"StatusCode": "Failed", "Details": "the input blob is missing"}
        return {"StatusCode": "Finished", "Results": self.results}

    def response_for(self, rec: RecordedRequest) -> Response:
        with self._lock:
            segments = [unquote(s) for s in rec.path[len(BASE):].split("/")]
            headers = [self.header] if self.header else []
            if rec.method == "POST" and segments == ["", "jobs"]:
                return Response(200, self.job_id, headers=headers)
            if len(segments) < 3 or segments[:2] != ["", "jobs"] or segments[2] != self.job_id:
                return Response(404, {"error": {"code": "NotFound", "message": "no such job"}})
            if rec.method == "POST" and segments[3:] == ["start"]:
                self.started = True
                return Response(200, b"", headers=headers)
            if rec.method == "GET" and len(segments) == 3:
                return Response(200, self._status(), headers=headers)
            return Response(405, {"error": {"code": "MethodNotAllowed", "message": rec.method}})
