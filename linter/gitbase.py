"""The git base of a run (`--base REF`): each aws-auth document as it was at REF.

Files are read with `git show REF:path` (no checkout) and paired with the working tree by
path and by the order of aws-auth documents in the file. A file that is new at REF (or
renamed: git paths are compared as they are) has no base.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from .loader import SourceFile, load_bytes
from .repo import relative, toplevel


class BaseError(Exception):
    """The base ref cannot be used (exit 2)."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60, check=False)


def attach(files: list[SourceFile], ref: str, cwd: str, strict: bool = True) -> None:
    """Give every aws-auth document its counterpart at `ref` (silently none outside git).

    `strict=False` (the implicit HEAD under pre-commit) is silent when the ref does not
    exist yet, as in a repository before its first commit.
    """
    root = toplevel(cwd)
    if root is None:
        return
    try:
        proc = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except (OSError, subprocess.SubprocessError) as e:
        raise BaseError(f"cannot run git to read --base {ref}: {e}") from None
    if proc.returncode != 0:
        if not strict:
            return
        raise BaseError(f"--base {ref!r} is not a commit in {root}")
    for sf in files:
        docs = [d for d in sf.awsauth if d.kind in ("configmap", "patch")]
        if not docs or sf.path == "-":
            continue
        rel = relative(sf.path, root)
        shown = _git(root, "show", f"{ref}:{rel}")
        if shown.returncode != 0:
            continue  # new (or renamed) since ref
        old = load_bytes(sf.path, shown.stdout)
        if not isinstance(old, SourceFile):
            continue
        old_docs = [d for d in old.awsauth if d.kind in ("configmap", "patch")]
        for doc, before in zip(docs, old_docs, strict=False):
            doc.base, doc.base_ref = before, ref
