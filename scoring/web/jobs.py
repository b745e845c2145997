"""Jobs of the web page: every upload is one job in its own temporary folder, run in a thread, at most
MAX_RUNNING_JOBS at once and MAX_WAITING_JOBS waiting; its progress is read by the page while it runs; its page and
downloads are kept RESULT_TTL_SECONDS after it finishes, then the folder is deleted. The uploaded files are deleted
as soon as the job ends."""

from __future__ import annotations

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
MAX_KEPT_JOBS = 100  # finished jobs kept (results stay in memory); the oldest go first when there are more

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


class Busy(Exception):
    """Too many jobs waiting."""


class Jobs:
    """Jobs by an unguessable token; thread-safe, so two tabs running at once never share a folder, a token or a
    result. Expired jobs and their folders are removed on each access."""

    def __init__(self, running: int = MAX_RUNNING_JOBS, waiting: int = MAX_WAITING_JOBS, kept: int = MAX_KEPT_JOBS):
        self.items: dict[str, Job] = {}
        self.max_kept = kept
        self.queue: list[str] = []  # tokens waiting, in order
        self.active = 0
        self.max_waiting = waiting
        self.slots = threading.Semaphore(running)
        self.lock = threading.Lock()

    def new(self) -> tuple[str, Job]:
        self.sweep()
        token = secrets.token_urlsafe(16)
        job = Job(Path(tempfile.mkdtemp(prefix="score-web-")), time.time() + RESULT_TTL_SECONDS)
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
