"""The files of a run as they were at a git ref (`access --base REF`).

Only what changed is read from git: `git diff --name-only REF` (plus untracked files)
names the files whose content differs from REF; every other file is the same object as
in the working tree and is reused as loaded. Changed and deleted files under the paths
linted are read from REF in one `git cat-file --batch` and loaded like any file, under
the name the working tree gives them (or would give them), so clusters are assembled
alike on both sides.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .loader import Limits, SourceFile, load_bytes
from .markers import relevant
from .repo import Repos, git


class BaseTreeError(Exception):
    """The ref cannot be read (exit 2)."""


def files_at(ref: str, current: list[SourceFile], paths: list[str], limits: Limits, repos: Repos | None = None) -> list[SourceFile]:
    """The relevant files under `paths` as they were at `ref` (each repository's own)."""
    if ref.startswith("-"):
        raise BaseTreeError(f"--base {ref!r} is not a git ref")
    repos = repos or Repos()
    by_root: dict[Path, list[str]] = {}
    for p in paths or ["."]:
        root = repos.root(p) if not os.path.isdir(p) else repos.root_of_directory(p)
        if root is None:
            raise BaseTreeError(f"--base needs a git repository, and {p} is not in one")
        by_root.setdefault(root, []).append(p)
    out: list[SourceFile] = []
    for root, given in by_root.items():
        out += _at(root, ref, [sf for sf in current if repos.root(sf.path) == root], given, limits)
    return out


def _at(root: Path, ref: str, current: list[SourceFile], given: list[str], limits: Limits) -> list[SourceFile]:
    if _run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is None:
        raise BaseTreeError(f"--base {ref!r} is not a commit in {root} (in CI, fetch it first, e.g. actions/checkout with fetch-depth: 0)")
    scope = [_rel(root, p) for p in given]
    specs = ["--", *[s or "." for s in scope]]
    changed = set(_lines(_run(root, "diff", "--name-only", "-z", "--no-renames", ref, *specs)))
    changed |= set(_lines(_run(root, "ls-files", "--others", "--exclude-standard", "-z", *specs)))
    by_rel = {_rel(root, sf.path): sf for sf in current}
    out = [sf for rel, sf in by_rel.items() if rel not in changed]
    listing = _run(root, "ls-tree", "-r", "-z", ref, *specs)
    wanted: list[tuple[str, str]] = []  # (oid, repository-relative path) of what to read from ref
    for item in _lines(listing):
        meta, _, rel = item.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and rel in changed:
            wanted.append((parts[2], rel))
    for (_oid, rel), data in zip(wanted, _cat(root, [oid for oid, _ in wanted]), strict=True):
        if data is None or not relevant(data):
            continue
        name = by_rel[rel].path if rel in by_rel else _display(root, rel)
        sf = load_bytes(name, data, limits)
        if isinstance(sf, SourceFile):
            out.append(sf)
    return out


def _rel(root: Path, p: str) -> str:
    r = os.path.relpath(os.path.abspath(p), root).replace(os.sep, "/")
    return "" if r == "." else r


def _display(root: Path, rel: str) -> str:
    """How the working tree names a file that no longer exists (relative to here)."""
    return os.path.relpath(root / rel)


def _run(root: Path, *args: str) -> bytes | None:
    proc = git(root, *args)
    if proc is None:
        raise BaseTreeError("cannot run git to read --base")
    return proc.stdout if proc.returncode == 0 else None


def _lines(out: bytes | None) -> list[str]:
    return [x for x in (out or b"").decode("utf-8", "surrogateescape").split("\0") if x]


def _cat(root: Path, oids: list[str]) -> list[bytes | None]:
    """The blobs' bytes, in one `git cat-file --batch`."""
    if not oids:
        return []
    try:
        proc = subprocess.run(["git", "-C", str(root), "cat-file", "--batch"], input="".join(o + "\n" for o in oids).encode(),
                              capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        raise BaseTreeError(f"cannot read --base objects: {e}") from e
    data, pos = proc.stdout, 0
    out: list[bytes | None] = []
    for _ in oids:
        end = data.index(b"\n", pos)
        header = data[pos:end].split()
        if len(header) < 3 or header[1] != b"blob":
            out.append(None)
            pos = end + 1
            continue
        size = int(header[2])
        out.append(data[end + 1 : end + 1 + size])
        pos = end + 1 + size + 1
    return out
