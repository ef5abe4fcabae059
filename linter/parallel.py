"""Loading many files in worker processes, results in input order.

Loading (read, decide relevance, compose, extract RBAC) is nearly all of a repository
run and every file is independent, so it is spread over processes. What comes back is
kept small, because pickling a node tree costs about as much as composing it: a file
without aws-auth returns its text, its parse error and its RBAC contribution (taken
at load time), never its nodes. aws-auth files (a handful per repository) come back whole.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from .loader import InputError, Limits, SourceFile, load_path
from .source import Composed
from .suppress import MARK
from .text import SourceText

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

EMPTY = SourceText("")  # the text of a file that cannot matter, once it has been read
MIN_FILES = 256  # below this, starting workers costs more than it saves


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def load_all(paths: list[str], limits: Limits, jobs: int) -> list[SourceFile | InputError]:
    """`load_path` for every path, in order; in `jobs` processes when that pays.

    This process is one of the `jobs`: it takes chunks from the back of the queue while
    `jobs - 1` workers take them from the front, so nothing it loads is pickled.
    """
    if jobs <= 1 or len(paths) < MIN_FILES:
        return [load_path(p, p, limits) for p in paths]
    from concurrent.futures import ProcessPoolExecutor  # imported only when used: start-up time

    # Strided chunks: the files that cost (aws-auth, RBAC) sit together in a repository
    # (`clusters/*/kube-system/`), and contiguous chunks would give them all to one process.
    n = min(jobs * 16, len(paths) // 32)
    chunks = [paths[k::n] for k in range(n)]
    parts: list[list[SourceFile | InputError | None] | None] = [None] * n
    try:
        with ProcessPoolExecutor(jobs - 1, mp_context=_context()) as pool:
            futures = [pool.submit(load_chunk, c, limits) for c in chunks]
            for k in reversed(range(n)):
                if futures[k].cancel():  # not started by a worker yet: do it here
                    parts[k] = load_chunk(chunks[k], limits)
            for k in range(n):
                if parts[k] is None:
                    parts[k] = futures[k].result()
    except Exception:  # a worker died (BrokenProcessPool), none could start (OSError), a result
        return [load_path(p, p, limits) for p in paths]  # would not pickle: do it all here
    out: list[SourceFile | InputError | None] = [None] * len(paths)
    for k, part in enumerate(parts):
        out[k::n] = part or []
    return [SourceFile(p, EMPTY) if s is None else s for p, s in zip(paths, out, strict=True)]


def _context() -> BaseContext:
    import multiprocessing

    # fork starts a worker in milliseconds with everything imported; elsewhere (macOS,
    # Windows) the platform's default start method is the safe one.
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


def load_chunk(paths: list[str], limits: Limits) -> list[SourceFile | InputError | None]:
    return [compact(load_path(p, p, limits)) for p in paths]


def compact(s: SourceFile | InputError) -> SourceFile | InputError | None:
    """The file as the other process needs it: node trees only where aws-auth lives.

    A file that cannot matter is never reported on unless it holds a suppression
    comment (AL001/AL002): then None stands for it (most files of a repository).
    """
    if not isinstance(s, SourceFile):
        return s
    if not s.relevant:
        return s if MARK in s.src.text else None
    if not s.awsauth:  # its RBAC contribution was taken at load time
        s.composed = Composed(error=s.composed.error)
    return s
