"""Media types: which kind of body each is, and which one a sample sends."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import SERVER_TOKEN

if TYPE_CHECKING:
    from ..model import Operation


METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IGNORED_HEADERS = {"accept", "content-type", "authorization"}
DEFAULT_FILE_CONTENT = "sample file content\n"
_TOKEN = SERVER_TOKEN  # {name} in a path or server template


@dataclass
class NormalizeOptions:
    base_url: str | None = None  # replaces the definition's server as the samples' default
    auth_header_prefix: str = "Bearer "  # for apiKey schemes in the Authorization header
    lenient: bool = False
    all_params: bool = False  # also send the optional parameters (with made-up values)
    # called with each operation as soon as it is in the model (named), before the next is read
    on_operation: Callable[[Operation], None] | None = field(default=None, compare=False, repr=False)


def is_json_media(media: str) -> bool:
    m = media.split(";")[0].strip().lower()
    return m in ("application/json", "text/json") or m.endswith("+json")


def media_kind(media: str) -> str:
    m = media.split(";")[0].strip().lower()
    if is_json_media(m):
        return "json"
    if m == "application/x-www-form-urlencoded":
        return "form"
    if m.startswith("multipart/"):
        return "multipart"
    if m.startswith("text/") or m in ("application/xml",) or m.endswith("+xml"):
        return "text"
    if m in ("*/*", "application/*"):
        return "json"
    return "binary"


_KIND_RANK = {"json": 0, "form": 1, "multipart": 2, "text": 3, "binary": 4}
_RANGE_DEFAULTS = {"*": "application/json", "application": "application/json", "text": "text/plain",
                   "image": "image/png", "audio": "audio/mpeg", "video": "video/mp4"}


def concrete_media(media: str) -> str:
    """The Content-Type to send for a declared media type: a range (``*/*``, ``text/*``) is not
    a type; its usual member is sent (``application/json``, ``text/plain``...)."""
    base = media.split(";")[0].strip().lower()
    if base.endswith("/*"):
        return _RANGE_DEFAULTS.get(base[:-2], "application/octet-stream")
    return media


def choose_media(media_types: list[str]) -> str:
    """Prefer JSON (exactly application/json first), then form, multipart, text, binary."""
    def rank(item: tuple[int, str]) -> tuple[int, int, int]:
        idx, media = item
        exact = 0 if media.split(";")[0].strip().lower() == "application/json" else 1
        return (_KIND_RANK[media_kind(media)], exact, idx)

    return min(enumerate(media_types), key=rank)[1]


def _file_ext(content_type: str) -> str:
    m = content_type.split(";")[0].strip().lower()
    known = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "application/pdf": "pdf",
             "application/json": "json", "text/plain": "txt", "text/csv": "csv",
             "application/zip": "zip", "application/xml": "xml", "text/xml": "xml"}
    return known.get(m, "bin")
