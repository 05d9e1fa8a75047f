"""A stateful fake of the bundled petstore, for the petstore workflow programs: POST /pets
creates a pet (or refuses it with 422), GET /pets/{id} reads it, GET /pets lists the pets
(with an X-Next header when ``next_page`` is set), DELETE /pets/{id} removes one and echoes
the X-Request-ID header."""
from __future__ import annotations

import json
from urllib.parse import unquote

from generator.verify.recorder import RecordedRequest, RecordingServer, Response

BASE = "/v1"


class PetService(RecordingServer):
    def __init__(self, *, refuse: bool = False, next_page: str | None = None) -> None:
        super().__init__(token_path=None)
        self.refuse = refuse
        self.next_page = next_page
        self.pets: dict[int, dict] = {3: {"id": 3, "name": "Old \"Tom\" 'é'", "photoUrls": []}}
        self.next_id = 7

    def response_for(self, rec: RecordedRequest) -> Response:
        with self._lock:
            segments = [unquote(s) for s in rec.path[len(BASE):].split("/")]
            if segments == ["", "pets"] and rec.method == "POST":
                if self.refuse:
                    return Response(422, {"code": 422, "message": "no more pets"})
                pet = dict(json.loads(rec.body), id=self.next_id)
                self.pets[self.next_id] = pet
                self.next_id += 1
                return Response(201, pet)
            if segments == ["", "pets"] and rec.method == "GET":
                headers = [("X-Next", self.next_page)] if self.next_page is not None else []
                return Response(200, list(self.pets.values()), headers=headers)
            if len(segments) == 3 and segments[1] == "pets" and segments[2].isdigit():
                pet = self.pets.get(int(segments[2]))
                if pet is None:
                    return Response(404, {"code": 404, "message": "no such pet"})
                if rec.method == "GET":
                    return Response(200, pet)
                if rec.method == "DELETE":
                    del self.pets[pet["id"]]
                    return Response(204, b"", content_type="",
                                    headers=[("X-Request-ID", rec.header("X-Request-ID") or "")])
            return Response(405, {"code": 405, "message": rec.method})
