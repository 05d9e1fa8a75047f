"""A run into an output folder that does not exist yet: written while it runs.

A folder that does not exist holds nothing of the user's, so nothing needs comparing or
checking file by file. The run's files go into a staging folder beside it
(``.samplegen-<random>.tmp`` in the same parent) as the run goes, and the staging folder
is renamed into place once the run is complete and its manifest written: the output folder
appears whole or not at all, and a failed or interrupted run removes the staging folder.

Creating tens of thousands of files is mostly kernel time. A helper process (a few lines of
Python, started with ``-I -S``) does it on the other core while this process works: each
operation's files are created empty, with their folders, as soon as the operation is in the
model (``announce``), and filled as they are rendered (``emit``). The helper reads them
from a pipe that this process fills without blocking, many files to a write (what the pipe
does not take waits, encoded, until the next write or the end of the run), so the run never
waits for the disk.
The files are plain writes: the staging folder is invisible to the user's tools until it is
renamed, so the temporary file and rename per file of ``generator.writer`` are not needed.

Each file is hashed as it is emitted (the manifest's SHA-256) and ``emit`` says it took the
file, so the run does not keep its text: a run holds one operation's files at a time, not
every file of the run.

Anything unexpected (the helper cannot start or fails, a file cannot be created, the output
folder appeared meanwhile, a path the final check refuses) abandons the staging folder and
leaves the run to ``writer.write_files``, which writes or refuses as it always does (with
the texts rendered again, when they were not kept): this is a faster route to the same
result, never a different result.
"""
from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import threading
from collections import deque
from pathlib import Path

from . import regen
from .errors import SpecError
from .regen import MANIFEST
from .writer import (
    TEMP_PREFIX, TEMP_SUFFIX, WriteReport, _atomic_write, _default_mode, _Encoded, _remove_empty_parents,
    _show, _this_run, check_paths, check_relative_path,
)

_HEAD = struct.Struct(">IQ")  # path length, data length; then the path (UTF-8) and the data
_ANNOUNCED = (1 << 64) - 1  # the data length of a file announced: created empty, written later
_PIPE_SIZE = 1 << 20  # bytes in flight to the helper (Linux's default limit for a pipe)
_BATCH = 1 << 16  # bytes that wait before a write to the pipe: one system call for many files

# The helper: reads (header, path, data) records from stdin and creates each file under the
# staging folder (argv[1]) with permissions argv[2]; a file announced (data length _ANNOUNCED,
# no data) is created empty, its folders with it, and opened again when its data comes. Any
# error ends it with a non-zero status.
_HELPER = r"""
import os, struct, sys
root, mode = sys.argv[1], int(sys.argv[2])
extra = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
create, reopen = os.O_WRONLY | os.O_CREAT | os.O_EXCL | extra, os.O_WRONLY | extra
head = struct.Struct(">IQ")
read = sys.stdin.buffer.read
made, empty = set(), set()
while True:
    h = read(head.size)
    if not h:
        break
    if len(h) != head.size:
        sys.exit(3)
    n, size = head.unpack(h)
    rel = read(n).decode("utf-8")
    data = b"" if size == ANNOUNCED else read(size)
    if len(data) != (0 if size == ANNOUNCED else size):
        sys.exit(3)
    folder = rel.rpartition("/")[0]
    if folder and folder not in made:
        os.makedirs(os.path.join(root, folder), exist_ok=True)
        made.add(folder)
    if size == ANNOUNCED:
        os.close(os.open(os.path.join(root, rel), create, mode))
        empty.add(rel)
        continue
    fd = os.open(os.path.join(root, rel), reopen if rel in empty else create, mode)
    empty.discard(rel)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
"""


class FreshFolder:
    """Use as a context manager around the run: ``announce`` each operation's files as the
    operation is built, ``emit`` each file as it is rendered, then ``finish``. Leaving the
    block without a successful ``finish`` removes the staging folder."""

    def __init__(self, out_dir: Path, staging: Path, helper: subprocess.Popen) -> None:
        self.out_dir = out_dir
        self.staging = staging
        self._helper = helper
        self._fd = helper.stdin.fileno()
        self._sent: dict[str, str] = {}  # path -> SHA-256 of the bytes emitted
        self._announced: set[str] = set()
        self._waiting: deque[tuple[str, bytes | None]] = deque()  # announced or emitted, not yet in the pipe
        self._queued = 0  # about the bytes of the records waiting
        self._part = memoryview(b"")  # the rest of a record the pipe did not take yet
        self._failed = False
        self._done = False
        os.set_blocking(self._fd, False)  # rendering never waits for the helper

    @classmethod
    def start(cls, out_dir: str | os.PathLike) -> FreshFolder | None:
        """A staging folder for ``out_dir``, or None when this route does not apply: the folder
        (or a link of that name) exists, or its parent folder does not, or not on POSIX."""
        out_dir = Path(out_dir)
        if os.name != "posix" or os.path.lexists(out_dir):  # non-blocking pipes: POSIX
            return None
        parent = out_dir.absolute().parent
        if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
            return None
        staging = None
        try:
            for _ in range(100):
                candidate = parent / f"{TEMP_PREFIX}{os.urandom(6).hex()}{TEMP_SUFFIX}"
                try:
                    os.mkdir(candidate)  # 0o777 less the umask, as the output folder would be
                except FileExistsError:
                    continue
                staging = candidate
                break
            if staging is None:
                return None
            helper = subprocess.Popen([sys.executable, "-I", "-S", "-c", f"ANNOUNCED = {_ANNOUNCED}\n{_HELPER}",
                                       str(staging), str(_default_mode())],
                                      stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                      bufsize=0)
        except (OSError, ValueError):
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            return None
        try:  # a larger pipe (Linux): more of the run in flight
            import fcntl
            fcntl.fcntl(helper.stdin.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
        except (ImportError, AttributeError, OSError):
            pass
        return cls(out_dir, staging, helper)

    def __enter__(self) -> FreshFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._done:
            self.abandon()

    # -- while building the model and rendering --------------------------------------------------
    def announce(self, rel: str) -> None:
        """A file the run will write: the helper creates it (empty) and its folders now, while
        the model is still being built, since creating files is what takes the kernel long."""
        if self._failed:
            return
        if check_relative_path(rel) is not None or rel in self._announced:
            self._failed = True
            return
        self._announced.add(rel)
        self._queue(rel, None)

    def emit(self, rel: str, text: str) -> bool:
        """A rendered file of the run. It is encoded and hashed here (for the manifest); True
        when it is taken, so that the run need not keep the text (see ``generate``)."""
        if self._failed:
            return False
        if rel in self._sent or (rel not in self._announced and check_relative_path(rel) is not None):
            self._failed = True  # the final check refuses it; write_files gives the error
            return False
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # write_files gives the error
            self._failed = True
            self._waiting.clear()
            return False
        self._sent[rel] = regen.sha256(data)
        self._queue(rel, data)
        return True

    def _queue(self, rel: str, data: bytes | None) -> None:
        """A record waits; the pipe gets a write once a batch of them is waiting."""
        self._waiting.append((rel, data))
        self._queued += _HEAD.size + len(rel) + (len(data) if data is not None else 0)
        if self._queued >= _BATCH:
            self._pump()

    def _pump(self) -> None:
        """Put waiting files into the pipe, as much as it takes now, many in each write; the
        rest waits for the next call or the end of the run."""
        try:
            while True:
                if not self._part:
                    if not self._waiting:
                        self._queued = 0
                        return
                    self._part = memoryview(self._batch())
                written = os.write(self._fd, self._part)
                self._part = self._part[written:]
        except BlockingIOError:
            return
        except (OSError, ValueError):  # the helper ended early, or a path cannot be encoded
            self._failed = True
            self._waiting.clear()

    # -- at the end -------------------------------------------------------------------------------
    def finish(self, files: dict[str, str | None]) -> WriteReport | None:
        """Complete the staging folder with the run's remaining files and its manifest and rename
        it into place. None (and nothing written) when this route failed: use write_files
        (with every text: a file None in ``files`` is one emitted and not kept).

        The files still waiting go to the helper from a thread while this one checks the paths
        and builds the manifest, so that a slow disk and that work overlap too."""
        shown_dir = _show(str(self.out_dir))
        drain = threading.Thread(target=self._drain, name="samplegen-staging", daemon=True)
        drain.start()
        ready = False
        try:
            check_paths(files, shown_dir)  # a path refused here: write_files says why
            digests = {rel: self._sent.get(rel) for rel, text in files.items() if text is None}
            if not self._failed and None not in digests.values():
                contents = _Encoded(files)  # the texts of the files not emitted (or kept)
                run = _this_run(contents)
                if run is not None:
                    contents[MANIFEST] = regen.merge(run, None, contents, lambda rel: False,
                                                     digests).manifest.encode("utf-8")
                ready = True
        except SpecError:
            pass
        finally:
            if not ready:
                self._helper.kill()  # the thread's write fails at once
            drain.join()  # before anything closes the pipe
        if not ready or self._helper.wait() != 0 or self._failed:
            self.abandon()
            return None
        try:
            report = self._complete(files, contents, shown_dir)
            if os.path.lexists(self.out_dir):
                raise FileExistsError(self.out_dir)
            os.rename(self.staging, self.out_dir)
        except (OSError, SpecError):
            self.abandon()
            return None
        self._done = True
        return report

    def _batch(self) -> bytes:
        """Waiting records, up to about a pipe's worth, as one string of bytes."""
        chunk: list[bytes] = []
        size = 0
        while self._waiting and size < _PIPE_SIZE:
            record = _record(*self._waiting.popleft())
            chunk += record
            size += sum(map(len, record))
        self._queued = max(0, self._queued - size)
        return b"".join(chunk)

    def _drain(self) -> None:
        """Every waiting file into the pipe (in large writes), then the end of the stream."""
        try:
            if not self._failed:
                os.set_blocking(self._fd, True)
                while self._part or self._waiting:
                    view = self._part if self._part else memoryview(self._batch())
                    self._part = memoryview(b"")
                    while view:
                        view = view[os.write(self._fd, view):]
        except (OSError, ValueError):  # as in _pump
            self._failed = True
            self._waiting.clear()
        finally:
            try:
                self._helper.stdin.close()
            except OSError:
                self._failed = True

    def _complete(self, files: dict[str, str | None], contents: _Encoded, shown_dir: str) -> WriteReport:
        """What ``write_files`` would write into a new folder: the files not sent (or changed
        since), then the manifest (merged as it merges it, with no earlier run)."""
        mode = _default_mode()
        for rel in sorted((self._sent.keys() | self._announced) - files.keys()):
            (self.staging / rel).unlink()
            _remove_empty_parents(self.staging, rel)
        for rel in contents:
            if rel == MANIFEST or (files[rel] is None and rel in self._sent):
                continue
            data = contents[rel]
            if self._sent.get(rel) != regen.sha256(data):  # not sent, or a text kept and changed since
                _atomic_write(self.staging / rel, data, mode, shown_dir, rel)
        if MANIFEST in contents:
            _atomic_write(self.staging / MANIFEST, contents[MANIFEST], mode, shown_dir, MANIFEST)
        return WriteReport(written=list(contents))

    def abandon(self) -> None:
        """Stop the helper and remove the staging folder (everything in it is this run's)."""
        self._done = True
        self._failed = True
        self._waiting.clear()
        if self._helper.poll() is None:
            self._helper.kill()
        self._helper.wait()
        try:
            self._helper.stdin.close()
        except OSError:
            pass
        shutil.rmtree(self.staging, ignore_errors=True)


def _record(rel: str, data: bytes | None) -> tuple[bytes, ...]:
    """What the helper reads for one file: header, path, data (none for a file announced)."""
    name = rel.encode("utf-8")
    if data is None:
        return _HEAD.pack(len(name), _ANNOUNCED), name
    return _HEAD.pack(len(name), len(data)), name, data
