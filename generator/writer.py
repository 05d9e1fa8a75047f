"""Write generated files into the output folder, safely.

- Only relative, portable paths inside the output folder are written (no ``..``, no
  absolute paths, no backslashes, no Windows-reserved names, no case-insensitive clashes,
  no symlinked folders leading outside).
- A file samplegen did not write (not listed in the previous ``manifest.json``) is never
  overwritten or removed; if it would have to be, nothing is written at all.
- A file samplegen wrote and the user edited since (its SHA-256 differs from the one the
  manifest recorded) is not overwritten or removed either, unless ``force``: nothing is
  written and ``EditedFiles`` names them. A file listed without a hash (manifests of older
  versions) counts as unedited.
- Which files of earlier runs stay and which are stale is ``generator.regen``'s decision
  (files of targets and operations not generated this run stay); stale ones are removed,
  with the folders they leave empty. Without a manifest that names its targets, every file
  of the previous run that is not generated again is stale.
- Unchanged files are not rewritten; changed ones are replaced atomically (temporary file in
  the same folder, then ``os.replace``). ``manifest.json`` is written last.

A run into a folder that does not exist yet can take a faster route to the same result
(``generator.staging``), falling back to ``write_files``. A run into an existing folder
compares each file with the one on disk as it is rendered (``Unchanged``), so that it need
not hold the texts of the files that stay as they are.
"""
from __future__ import annotations

import functools
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import regen
from .errors import SpecError
from .paths import inside
from .regen import MANIFEST
TEMP_PREFIX = ".samplegen-"
TEMP_SUFFIX = ".tmp"

_WINDOWS_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)")
_WINDOWS_BAD_CHARS = re.compile(r'[<>:"|?*\x00-\x1f]')


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # files of earlier runs left as they are
    edited: list[str] = field(default_factory=list)  # edited files this run replaces or removes


class EditedFiles(SpecError):
    """Generated files were edited since they were written; nothing was written."""

    def __init__(self, files: list[str], shown_dir: str) -> None:
        n = len(files)
        super().__init__(f"{n} generated file{'s' if n != 1 else ''} edited since samplegen wrote "
                         f"{'them' if n != 1 else 'it'}: {', '.join(_show(f) for f in files)}", shown_dir)
        self.files = files
        self.shown = [_show(f) for f in files]  # printable, for messages


def check_relative_path(rel: str) -> str | None:
    """Why `rel` is not a safe relative output path, or None when it is."""
    if not isinstance(rel, str) or rel == "":
        return "is empty"
    if "\0" in rel:
        return "contains a NUL character"
    if "\\" in rel:
        return "contains a backslash (use '/')"
    if rel.startswith("/") or re.match(r"[A-Za-z]:", rel):
        return "is an absolute path"
    for part in rel.split("/"):
        problem = _part_problem(part)
        if problem:
            return problem
    return None


@functools.lru_cache(maxsize=4096)  # a run's paths share their folders' names
def _part_problem(part: str) -> str | None:
    if part in ("", "."):
        return "has an empty or '.' component"
    if part == "..":
        return "contains '..'"
    if _WINDOWS_BAD_CHARS.search(part):
        return "contains a character that is not allowed in file names on Windows"
    if part.endswith((" ", ".")):
        return "has a component ending with a space or a dot"
    if _WINDOWS_RESERVED.fullmatch(part.split(".", 1)[0].rstrip(" ")):
        return f"uses the reserved Windows device name {part.split('.', 1)[0]!r}"
    if len(part.encode("utf-8", "surrogatepass")) > 255:
        return "has a component longer than 255 bytes"
    return None


def _show(rel: str) -> str:
    return rel.encode("unicode_escape").decode("ascii") if not rel.isprintable() else rel


def _encode(rel: str, text: str | bytes) -> bytes:
    if isinstance(text, bytes):
        return text
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise SpecError("generated text cannot be encoded as UTF-8", _show(rel)) from None


class _Encoded(Mapping):
    """``files`` as UTF-8 bytes, in path order, encoded each time one is read: a large run does
    not hold a second copy of everything it writes. Assigned values (the merged manifest) are
    kept as given."""

    def __init__(self, files: dict[str, str | bytes]) -> None:
        self._files = files
        self._order = sorted(files)
        self._own: dict[str, bytes] = {}

    def __getitem__(self, rel: str) -> bytes:
        if rel in self._own:
            return self._own[rel]
        return _encode(rel, self._files[rel])

    def __setitem__(self, rel: str, data: bytes) -> None:
        if rel not in self._files and rel not in self._own:
            self._order = sorted(self._order + [rel])
        self._own[rel] = data

    def __contains__(self, rel: object) -> bool:
        return rel in self._files or rel in self._own

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def _previous_manifest(out_dir: Path) -> regen.Manifest | None:
    """The manifest of an earlier run, or None when there is none of ours."""
    path = out_dir / MANIFEST
    try:
        if path.is_symlink() or not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return regen.parse(data, lambda p: check_relative_path(p) is None)


def _this_run(files: Mapping[str, bytes]) -> regen.Manifest | None:
    """The manifest being written, when it says which targets this run generated."""
    try:
        data = json.loads(files[MANIFEST].decode("utf-8")) if MANIFEST in files else None
    except ValueError:
        return None
    found = regen.parse(data, lambda p: True)
    return found if found is not None and found.describes_run and isinstance(data.get("files"), dict) else None


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def check_paths(files: Mapping[str, object], shown_dir: str) -> None:
    """Raise SpecError unless every path is safe and no two would be the same file (or a file
    and a folder) on a case-insensitive file system."""
    folded: dict[str, str] = {}
    for rel in files:
        problem = check_relative_path(rel)
        if problem:
            raise SpecError(f"refusing to write {_show(str(rel))!r}: the path {problem}", shown_dir)
        key = rel.casefold()
        if key in folded:
            raise SpecError(f"refusing to write {_show(rel)!r} and {_show(folded[key])!r}: the two paths differ "
                            "only in case and would be the same file on Windows and macOS", shown_dir)
        folded[key] = rel
    for rel in files:
        parts = rel.casefold().split("/")
        for i in range(1, len(parts)):
            prefix = "/".join(parts[:i])
            if prefix in folded:
                raise SpecError(f"refusing to write {_show(rel)!r}: {_show(folded[prefix])!r} would have to be "
                                "both a file and a folder", shown_dir)


class Unchanged:
    """A run into an existing output folder: each file, as it is rendered (``emit``), is
    compared with the file on disk. When they are the same, ``write_files`` would leave it
    alone, so ``emit`` says so and the run need not keep the text; ``same`` (path -> SHA-256)
    goes to ``write_files`` with the run's files. Anything in doubt (a link, a folder on the
    way missing or leading out) is left to ``write_files``."""

    def __init__(self, out_dir: Path, root: str) -> None:
        self.out_dir, self._root, self._prefix = out_dir, root, os.path.join(out_dir, "")
        self.same: dict[str, str] = {}
        self._checked: dict[str, bool] = {}

    @classmethod
    def start(cls, out_dir: str | os.PathLike) -> Unchanged | None:
        out_dir = Path(out_dir)
        return cls(out_dir, os.path.realpath(out_dir)) if out_dir.is_dir() else None

    def emit(self, rel: str, text: str) -> bool:
        # a path write_files refuses is refused there all the same, whatever is said here
        if rel in self.same:
            return False
        try:
            data = text.encode("utf-8")
            if not _check_parents(self.out_dir, rel, self._root, self._checked):
                return False
            fd = os.open(self._prefix + rel, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
            try:
                found = os.fstat(fd)
                if not stat.S_ISREG(found.st_mode) or found.st_size != len(data) or \
                        os.read(fd, len(data) + 1) != data:
                    return False
            finally:
                os.close(fd)
            if os.name != "posix" and os.path.islink(self._prefix + rel):  # no O_NOFOLLOW
                return False
        except (OSError, SpecError, UnicodeEncodeError):
            return False
        self.same[rel] = regen.sha256(data)
        return True


def write_files(out_dir: Path, files: dict[str, str], *, dry_run: bool = False,
                force: bool = False, same: Mapping[str, str] | None = None) -> WriteReport:
    """Write `files` (relative POSIX path -> text) under `out_dir`; see the module doc.

    ``dry_run``: decide everything, write nothing (edited files are reported, not refused).
    ``force``: replace and remove edited files too (never a file samplegen did not write).
    ``same``: files found the same on disk as they were rendered (``Unchanged``), by path
    with their SHA-256; their text in ``files`` is None.
    """
    same = {rel: digest for rel, digest in (same or {}).items() if files.get(rel, "") is None}
    missing = [rel for rel, text in files.items() if text is None and rel not in same]
    if missing:
        raise ValueError(f"no text for {missing[0]!r}")
    out_dir = Path(out_dir)
    shown_dir = _show(str(out_dir))

    # 1. the paths themselves
    check_paths(files, shown_dir)


    # 2. the output folder
    if out_dir.exists() or out_dir.is_symlink():
        if not out_dir.is_dir():
            raise SpecError("the output path exists and is not a folder", shown_dir)
        if not os.access(out_dir, os.W_OK | os.X_OK):
            raise SpecError("the output folder is not writable", shown_dir)
        previous = _previous_manifest(out_dir)
    else:
        parent = out_dir.absolute().parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            raise SpecError(f"cannot create the output folder: {_show(str(parent))} is not a folder", shown_dir)
        if not os.access(parent, os.W_OK | os.X_OK):
            raise SpecError(f"cannot create the output folder: {_show(str(parent))} is not writable",
                            shown_dir)
        previous = None
    root = os.path.realpath(out_dir) if out_dir.exists() else None
    recorded = previous.files if previous else {}
    owned = set(recorded)

    # 3. the manifest: this run's merged with the previous one
    contents = _Encoded(files)
    report = WriteReport()
    run = _this_run(contents)
    if run is not None:
        def still_there(rel: str) -> bool:
            target = out_dir / rel
            return root is not None and _parents_inside(out_dir, rel, root) and \
                (target.is_symlink() or target.is_file())

        plan = regen.merge(run, previous, contents, still_there, same)
        contents[MANIFEST] = plan.manifest.encode("utf-8")
        candidates, report.kept = plan.stale, plan.kept
    else:
        candidates = sorted(owned - set(files))

    # 4. what to do with every file; refuse before touching anything
    to_write: list[str] = []
    checked: dict[str, bool] = {}  # folder (relative) -> whether it exists, checked once per run
    for rel in contents:
        if files.get(rel, "") is None:  # found the same on disk (see Unchanged)
            report.unchanged.append(rel)
            continue
        data = contents[rel]
        target = out_dir / rel
        if root is not None and not _check_parents(out_dir, rel, root, checked):
            mode_now = None  # a folder on the way is missing: so is the file
        else:
            try:
                mode_now = os.lstat(target).st_mode
            except FileNotFoundError:
                mode_now = None
        if mode_now is not None:
            link = stat.S_ISLNK(mode_now)
            if stat.S_ISDIR(mode_now):
                raise SpecError(f"{_show(rel)} exists and is a folder; move it or choose another folder",
                                shown_dir)
            if not link:
                try:
                    current = target.read_bytes()
                except OSError as exc:
                    raise SpecError(f"cannot read {_show(rel)}: {exc.strerror or exc}", shown_dir) from None
                if current == data:
                    report.unchanged.append(rel)
                    continue
            if rel not in owned:
                raise SpecError(f"{_show(rel)} exists and was not written by samplegen; move it or choose "
                                "another folder", shown_dir)
            if not link and _edited(current, recorded[rel]):
                report.edited.append(rel)
        report.written.append(rel)
        to_write.append(rel)

    stale: list[str] = []
    if root is not None:
        for rel in candidates:
            target = out_dir / rel
            if not _parents_inside(out_dir, rel, root):
                continue
            if target.is_symlink() or target.is_file():
                stale.append(rel)
                if not target.is_symlink() and recorded[rel].sha256 is not None:
                    try:
                        if _edited(target.read_bytes(), recorded[rel]):
                            report.edited.append(rel)
                    except OSError as exc:
                        raise SpecError(f"cannot read {_show(rel)}: {exc.strerror or exc}", shown_dir) from None
    report.removed = list(stale)
    report.edited.sort()
    if dry_run:
        return report
    if report.edited and not force:
        raise EditedFiles(report.edited, shown_dir)

    # 5. do it: files, then stale files, then the manifest
    mode = _default_mode()
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest: tuple[str, bytes] | None = None
    for rel in to_write:
        if rel == MANIFEST:
            manifest = (rel, contents[rel])
            continue
        _atomic_write(out_dir / rel, contents[rel], mode, shown_dir, rel)
    for rel in stale:
        target = out_dir / rel
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise SpecError(f"cannot remove {_show(rel)}: {exc.strerror or exc}", shown_dir) from None
        _remove_empty_parents(out_dir, rel)
    if manifest is not None:
        _atomic_write(out_dir / manifest[0], manifest[1], mode, shown_dir, manifest[0])
    return report


def differences(out_dir: Path, files: dict[str, str]) -> list[tuple[str, str]]:
    """``--check``: (what, path) of every file on disk that differs from what a run would
    write, sorted by path: "changed", "missing", or "extra" (a file the run would remove).
    Writes nothing."""
    out_dir = Path(out_dir)
    report = write_files(out_dir, files, dry_run=True)
    found = [(rel, "changed" if (out_dir / rel).exists() or (out_dir / rel).is_symlink() else "missing")
             for rel in report.written] + [(rel, "extra") for rel in report.removed]
    return [(what, rel) for rel, what in sorted(found)]


def _edited(current: bytes, owned: regen.Owned) -> bool:
    return owned.sha256 is not None and regen.sha256(current) != owned.sha256


def _check_parents(out_dir: Path, rel: str, root: str, checked: dict[str, bool]) -> bool:
    """Every existing folder on the way must be a real folder inside the output folder (a
    symbolic link to one is allowed); return whether they all exist. ``checked``: the folders
    already seen this run (relative path -> exists)."""
    parts = rel.split("/")
    for i in range(1, len(parts)):
        sub = "/".join(parts[:i])
        known = checked.get(sub)
        if known is not None:
            if not known:
                return False
            continue
        current = out_dir / sub
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            checked[sub] = False
            return False
        if stat.S_ISLNK(mode):
            real = os.path.realpath(current)
            if not inside(real, root) or not os.path.isdir(real):
                raise SpecError(f"refusing to write {_show(rel)}: {_show(sub)} is a symbolic link leading out of "
                                "the output folder", _show(str(out_dir)))
        elif not stat.S_ISDIR(mode):
            raise SpecError(f"refusing to write {_show(rel)}: {_show(sub)} exists and is a file; move it or "
                            "choose another folder", _show(str(out_dir)))
        checked[sub] = True
    return True


def _parents_inside(out_dir: Path, rel: str, root: str) -> bool:
    parent = (out_dir / rel).parent
    if not parent.exists():
        return False
    return inside(os.path.realpath(parent), root)


def _atomic_write(target: Path, data: bytes, mode: int, shown_dir: str, rel: str) -> None:
    """Write `data` to a new temporary file beside `target`, then ``os.replace`` it over `target`.

    Readers and a crashed or failing run see the old file or the new one, never a part of one,
    and no temporary file is left. Files are not flushed to disk one by one (an ``fsync`` per
    file cost more than all the rest of a large run): only the manifest is, since it says which
    files samplegen owns. After a power loss, a sample may come back empty or old, and the next
    run, finding it in the manifest, rewrites it; a file missing from the manifest is refused,
    never overwritten.
    """
    try:
        fd, tmp = _create_temporary(target, mode)
    except OSError as exc:
        raise SpecError(f"cannot write {_show(rel)}: {exc.strerror or exc}", shown_dir) from None
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if rel == MANIFEST:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise SpecError(f"cannot write {_show(rel)}: {exc.strerror or exc}", shown_dir) from None
        raise


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _create_temporary(target: Path, mode: int) -> tuple[int, str]:
    """A new, empty file in `target`'s folder (created when missing), with permissions `mode`.

    `mode` already has the umask taken out (``_default_mode``), so creating the file with it
    gives the final permissions without a ``chmod``.
    """
    folder = os.fspath(target.parent)
    for attempt in range(100):
        tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.urandom(6).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, _TEMP_FLAGS, mode), tmp
        except FileExistsError:
            continue
        except FileNotFoundError:
            if attempt:
                raise
            os.makedirs(folder, exist_ok=True)
    raise FileExistsError(f"no free temporary file name in {folder}")


def _remove_empty_parents(out_dir: Path, rel: str) -> None:
    parts = rel.split("/")[:-1]
    while parts:
        folder = out_dir.joinpath(*parts)
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            return
        parts.pop()
