"""Jobs of the web page: every upload is one job in its own folder, run in a thread, at most MAX_RUNNING_JOBS at once
and MAX_WAITING_JOBS waiting; its progress is read by the page while it runs; its page and downloads are kept
RESULT_TTL_SECONDS after it finishes, then the folder is deleted. The uploaded files are deleted as soon as the job
ends. Finished jobs are bounded by count (MAX_KEPT_JOBS) and by memory (MAX_KEPT_RESULT_CELLS: the oldest jobs' scored
tables are dropped first, their pages and downloads stay).

All job folders of one server live in one folder of the system's temporary folder, `score-serve-*`, holding a lock file
while the server runs: it is deleted when the server stops (`close`), and a later server deletes any such folder whose
lock nobody holds any more (a server that was killed)."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

RESULT_TTL_SECONDS = 3600  # a finished job's page and downloads stay this long
MAX_RUNNING_JOBS = 2  # jobs working at once (scoring is CPU-bound; more would only share the processor)
MAX_WAITING_JOBS = 20  # jobs queued behind them; a further upload is refused with 服务器正忙
MAX_KEPT_JOBS = 100  # finished jobs kept; the oldest go first when there are more
# Scored tables (units × indicators) kept in memory for explain and reports, all finished jobs together: about 250 bytes
# a cell, so some 250 MB. Over it, the oldest jobs' tables are dropped; their pages and downloads stay.
MAX_KEPT_RESULT_CELLS = 1_000_000
ROOT_PREFIX = "score-serve-"
LOCK_NAME = "server.lock"

QUEUED, RUNNING, FINISHED = "queued", "running", "finished"


@dataclass
class Progress:
    """What a job is doing: written by its thread, read by the progress page (plain attribute writes)."""

    state: str = QUEUED
    fraction: float = 0.0  # 0..1
    line: str = ""
    started: float = 0.0

    def set(self, fraction: float, line: str) -> None:
        self.fraction, self.line = max(0.0, min(1.0, fraction)), line


@dataclass
class Job:
    """One upload: its folder, progress, finished page (body, status), downloads and results for later requests."""

    folder: Path
    expires: float
    progress: Progress = field(default_factory=Progress)
    finished: threading.Event = field(default_factory=threading.Event)
    page: tuple[bytes, int] | None = None
    files: dict[str, Path] = field(default_factory=dict)  # download name → file
    results: object = None  # Results of a run
    forms: list = field(default_factory=list)  # FormOutcome of each 自评表 reviewed
    inputs: list[Path] = field(default_factory=list)  # the uploads' sub-folders, deleted when the job ends
    # The indicator workbook read (an upload kept inside the folder, or a shipped set), the roles chosen for some of
    # its columns and the reading shown (column → role), for reading it again with other roles; gone with the folder.
    indicators: Path | None = None
    columns: dict = field(default_factory=dict)
    shown: dict = field(default_factory=dict)
    column_count: int = 0
    released: bool = False  # its scored tables were dropped to bound memory (pages and downloads stay)

    @property
    def cells(self) -> int:
        """Units × indicators of the scored tables it keeps."""
        tables = ([self.results] if self.results is not None else []) + [f.results for f in self.forms
                                                                          if getattr(f, "results", None) is not None]
        return sum(len(r.units) * max(1, sum(1 for _ in r.system.indicators())) for r in tables)

    def release(self) -> None:
        self.results, self.forms, self.released = None, [], True


class Busy(Exception):
    """Too many jobs waiting."""


class Jobs:
    """Jobs by an unguessable token; thread-safe, so two tabs running at once never share a folder, a token or a
    result. Expired jobs and their folders are removed on each access."""

    def __init__(self, running: int = MAX_RUNNING_JOBS, waiting: int = MAX_WAITING_JOBS, kept: int = MAX_KEPT_JOBS,
                 kept_cells: int = MAX_KEPT_RESULT_CELLS):
        self.items: dict[str, Job] = {}
        self.max_kept = kept
        self.max_kept_cells = kept_cells
        self._root: Path | None = None
        self._lock_file = None
        self.queue: list[str] = []  # tokens waiting, in order
        self.active = 0
        self.max_waiting = waiting
        self.slots = threading.Semaphore(running)
        self.lock = threading.Lock()

    @property
    def root(self) -> Path:
        """This server's folder (made on first use, after removing those that killed servers left)."""
        with self.lock:
            if self._root is None:
                remove_stale_roots()
                root = Path(tempfile.mkdtemp(prefix=ROOT_PREFIX))
                self._lock_file = hold_lock(root / LOCK_NAME)
                self._root = root
            return self._root

    def close(self) -> None:
        """The server stops: every job's folder goes."""
        with self.lock:
            root, handle, self._root, self._lock_file = self._root, self._lock_file, None, None
            self.items.clear()
        if handle is not None:
            handle.close()
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)

    def new(self) -> tuple[str, Job]:
        self.sweep()
        token = secrets.token_urlsafe(16)
        job = Job(Path(tempfile.mkdtemp(prefix="job-", dir=self.root)), time.time() + RESULT_TTL_SECONDS)
        with self.lock:
            self.items[token] = job
        return token, job

    def get(self, token: str) -> Job | None:
        self.sweep()
        with self.lock:
            return self.items.get(token)

    def drop(self, token: str) -> None:
        with self.lock:
            job = self.items.pop(token, None)
        if job is not None:
            shutil.rmtree(job.folder, ignore_errors=True)

    def sweep(self) -> None:
        now = time.time()
        with self.lock:
            finished = sorted((job.expires, t) for t, job in self.items.items() if job.finished.is_set())
        expired = [t for expires, t in finished if expires < now]
        expired += [t for _, t in finished[:max(0, len(finished) - self.max_kept)] if t not in expired]
        for token in expired:
            self.drop(token)
        self._bound_memory()

    def _bound_memory(self) -> None:
        """Drop the scored tables of the oldest finished jobs until those kept fit MAX_KEPT_RESULT_CELLS."""
        with self.lock:
            finished = sorted((job.expires, t) for t, job in self.items.items() if job.finished.is_set())
            sizes = [(self.items[t], self.items[t].cells) for _, t in finished]
            total = sum(size for _, size in sizes)
            for job, size in sizes:
                if total <= self.max_kept_cells:
                    break
                if size:
                    job.release()
                    total -= size

    def start(self, token: str, job: Job, work: Callable[[Job], tuple[bytes, int]],
              failed: Callable[[BaseException], tuple[bytes, int]]) -> None:
        """Queue `work(job)` → (page body, status); an exception becomes `failed(exc)`. Busy when the queue is full."""
        with self.lock:
            if len(self.queue) >= self.max_waiting:
                raise Busy()
            self.queue.append(token)
        threading.Thread(target=self._run, args=(token, job, work, failed), daemon=True).start()

    def ahead(self, token: str) -> int:
        """Jobs before this one: those working and those queued earlier."""
        with self.lock:
            return self.active + (self.queue.index(token) if token in self.queue else 0)

    def _run(self, token, job: Job, work, failed) -> None:
        with self.slots:
            with self.lock:
                self.queue.remove(token)
                self.active += 1
            job.progress.state, job.progress.started = RUNNING, time.time()
            try:
                job.page = work(job)
            except Exception as exc:  # the page says what went wrong; never a traceback
                job.page = failed(exc)
            finally:
                for folder in job.inputs:
                    shutil.rmtree(folder, ignore_errors=True)
                with self.lock:
                    self.active -= 1
                job.expires = time.time() + RESULT_TTL_SECONDS
                job.progress.state = FINISHED
                job.finished.set()
                self._bound_memory()


def hold_lock(path: Path):
    """An open file holding an exclusive lock on `path` while this process runs; None where locks are unavailable."""
    handle = open(path, "a+b")
    if not _try_lock(handle):
        handle.close()
        return None
    return handle


def _try_lock(handle) -> bool:
    try:
        if os.name == "nt":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def remove_stale_roots(folder: Path | None = None) -> list[Path]:
    """Delete the `score-serve-*` folders no running server holds (left by a server that was killed); return them."""
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    try:
        candidates = [p for p in folder.iterdir() if p.name.startswith(ROOT_PREFIX) and p.is_dir() and not p.is_symlink()]
    except OSError:
        return removed
    for root in candidates:
        lock = root / LOCK_NAME
        try:
            handle = open(lock, "r+b") if lock.is_file() else None
        except OSError:
            continue
        if handle is None:  # no lock file: a folder being made this instant, or damaged; only an old one goes
            try:
                if time.time() - root.stat().st_mtime < RESULT_TTL_SECONDS:
                    continue
            except OSError:
                continue
        elif not _try_lock(handle):
            handle.close()
            continue  # its server is running
        else:
            handle.close()
        shutil.rmtree(root, ignore_errors=True)
        removed.append(root)
    return removed
