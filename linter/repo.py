"""Git repositories: which one holds a file (report paths, fingerprints, context and
`--base` come from it), running git in one, and git's object ids of contents."""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from pathlib import Path


def git(root: Path | str, *args: str) -> subprocess.CompletedProcess[bytes] | None:
    """Run git in `root`; None when it cannot run or times out."""
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


def blob_id(data: bytes, like: str | None = None) -> str:
    """git's object id of `data` as a blob (SHA-256 when `like` is a SHA-256 id)."""
    import hashlib

    h = hashlib.sha256() if like is not None and len(like) == 64 else hashlib.sha1(usedforsecurity=False)
    h.update(b"blob %d\0" % len(data))
    h.update(data)
    return h.hexdigest()


def read_blob(root: Path, oid: str) -> bytes | None:
    """The content of git object `oid` (None when git cannot give it)."""
    proc = git(root, "cat-file", "blob", oid)
    return proc.stdout if proc is not None and proc.returncode == 0 else None


@lru_cache(maxsize=8)
def toplevel(start: str) -> Path | None:
    """The git work tree containing `start`, or None outside git (or without git)."""
    try:
        proc = subprocess.run(
            ["git", "-C", start, "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    out = proc.stdout.strip()
    return Path(out) if proc.returncode == 0 and out else None


def relative(path: str, root: Path) -> str:
    """`path` as a POSIX path relative to `root` (unchanged when outside it or not a file)."""
    if path == "-" or path.startswith("<"):
        return path
    try:
        rel = os.path.relpath(os.path.abspath(path), root)
    except ValueError:
        return path.replace(os.sep, "/")
    if rel.startswith(".."):
        return path.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


class Repos:
    """Which git repository holds each file: the work tree git finds from the file's own
    directory, whatever the working directory is.

    The nearest directory holding `.git` (a file in worktrees and submodules) is found by
    looking upward, one stat per directory, remembered; git confirms it once per
    repository (no second call for the working directory's own). Files of one directory
    share the answer, so thousands of files cost a handful of git runs at most. Paths are
    taken as spelled: a symlink is followed only where `.git` is found through it.
    """

    def __init__(self) -> None:
        self._dirs: dict[str, tuple[Path, str] | None] = {}  # directory as spelled -> (root, its path in root + "/")
        self._marks: dict[str, str | None] = {}  # absolute directory -> nearest directory holding .git
        self._tops: dict[str, tuple[Path | None, bool]] = {}  # such directory -> (git's top level, the same directory?)

    def where(self, path: str) -> tuple[Path, str] | None:
        """(root, POSIX path relative to it) of the file at `path`; None outside any repository."""
        if path == "-" or path.startswith("<"):
            return None
        directory, name = os.path.split(path)
        hit = self._dir(directory)
        return None if hit is None else (hit[0], hit[1] + name)

    def root(self, path: str) -> Path | None:
        """The work tree holding the file at `path` (None outside any repository)."""
        hit = None if path == "-" or path.startswith("<") else self._dir(os.path.dirname(path))
        return None if hit is None else hit[0]

    def root_of_directory(self, directory: str) -> Path | None:
        """The work tree holding `directory` (None outside any repository)."""
        hit = self._dir(directory)
        return None if hit is None else hit[0]

    def relative(self, path: str, default: Path) -> str:
        """`path` relative to its repository's root; outside any repository, to `default`."""
        hit = self.where(path)
        return hit[1] if hit is not None else relative(path, default)

    def _dir(self, directory: str) -> tuple[Path, str] | None:
        """A directory without `.git` is where its parent is, one level down: one stat,
        no path resolution. Only a directory holding `.git`, or the top of the path as
        spelled, is located from scratch."""
        chain: list[tuple[str, str]] = []  # (directory, its last component), innermost first
        d = directory
        while True:
            if d in self._dirs:
                hit = self._dirs[d]
                break
            parent, name = os.path.split(d)
            if name in ("", os.curdir, os.pardir) or parent == d or os.path.lexists(d + os.sep + ".git"):
                hit = self._dirs[d] = self._locate(d)
                break
            chain.append((d, name))
            d = parent
        for d, name in reversed(chain):
            hit = None if hit is None else (hit[0], f"{hit[1]}{name}/")
            self._dirs[d] = hit
        return hit

    def _locate(self, directory: str) -> tuple[Path, str] | None:
        here = os.path.abspath(directory or os.curdir)
        mark = self._mark(here)
        if mark is None:
            return None
        top, same = self._top(mark)
        if top is None:
            return None
        if same:  # the common case: no symlink or invalid `.git` in between, so no realpath
            rel = here[len(mark) :].strip(os.sep)
        else:
            rel = os.path.relpath(os.path.realpath(here), top)
            if rel == os.curdir:
                rel = ""
            elif rel == os.pardir or rel.startswith(os.pardir + os.sep):
                return None
        return top, (rel.replace(os.sep, "/") + "/") if rel else ""

    def _mark(self, here: str) -> str | None:
        seen: list[str] = []
        found: str | None = None
        current = here
        while True:
            if current in self._marks:
                found = self._marks[current]
                break
            seen.append(current)
            if os.path.lexists(os.path.join(current, ".git")):
                found = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for d in seen:
            self._marks[d] = found
        return found

    def _top(self, mark: str) -> tuple[Path | None, bool]:
        if mark not in self._tops:
            real = os.path.realpath(mark)
            cwd_top = toplevel(os.getcwd())
            top = cwd_top if cwd_top is not None and str(cwd_top) == real else toplevel(mark)
            self._tops[mark] = (top, top is not None and str(top) == real)
        return self._tops[mark]
