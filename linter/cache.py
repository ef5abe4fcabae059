"""A persistent cache of what context files contribute to cross-file rules.

Under pre-commit only the changed files are linted, but RB rules need every binding of
the repository. Re-parsing thousands of RBAC files per commit costs seconds, so what
each file contributes (its bindings, roles and aws-auth documents) is cached, keyed by
the SHA-256 of the file's bytes and the tool version: a changed file is a new key, so
the cache is never stale. It lives in the user's cache directory, never in the
repository: it is unpickled, and a repository (a fork's pull request) must never be able
to plant one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__, effective
from .accessentry import Declared
from .atomic import write_atomic
from .loader import Limits, SourceFile, load_bytes
from .markers import relevant
from .rbac import Index, RoleDef, build
from .repo import blob_id, read_blob

FORMAT = 7  # bump when what a file contributes changes (2: groups from the effective state; 3: holds an aws-auth; 4: Flux; 5: access entries; 6: managed node group and Fargate roles; 7: every eksctl ClusterConfig, node-group-only templates)

# What a context file contributes: bound subjects (kind, name), role definitions
# (kind, name, namespace), the groups its aws-auth mappings provide and whether it holds
# an aws-auth (clusters are found from where they are), the directories its Flux
# Kustomizations build and the access entries, cluster access configs and managed node
# group and Fargate roles it declares (None: none); None for a file that cannot matter.
# Plain data: small to store, fast to load.
Entry = tuple[list[tuple[str, str]], list[tuple[str, str, str | None]], list[str], bool, tuple[str, ...], Declared | None]


@dataclass(frozen=True, slots=True)
class ContextFile:
    """What one file outside the linted set contributes to cross-file verdicts."""

    path: str
    subjects: list[tuple[str, str]]
    roles: list[tuple[str, str, str | None]]
    groups: list[str]
    awsauth: bool
    flux: tuple[str, ...] = ()  # directories its Flux Kustomizations build
    access: Declared | None = None  # the access entries, cluster access configs and managed roles it declares


def index_of(files: list[ContextFile]) -> tuple[Index, set[str]]:
    """The RBAC index and mapped groups of some context files (those of one cluster)."""
    index, groups = Index(), set()
    for c in files:
        for kind, name in c.subjects:
            index.context_subjects.setdefault(kind, set()).add(name)
        index.roles.extend(RoleDef(c.path, kind, name, ns) for kind, name, ns in c.roles)
        groups.update(c.groups)
    return index, groups


def cache_file(root: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "awsauth-lint"
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return base / f"context-{digest}-{__version__}-{FORMAT}.pickle"


def _load(path: Path) -> dict[str, Entry | None]:
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _extract(sf: SourceFile) -> Entry:
    part = build([sf])
    subjects = [(s.kind, s.name.value) for b in part.bindings for s in b.subjects]
    roles = [(r.kind, r.name, r.namespace) for r in part.roles]
    groups = sorted({g.name for d in sf.awsauth for g in effective.mapped(d, "group")})
    access = sf.access
    declared = access if access.entries or access.configs or access.associations or access.managed else None
    return subjects, roles, groups, any(d.kind in ("configmap", "patch") for d in sf.awsauth), sf.flux, declared


def context(
    files: list[tuple[str, str | None]],
    limits: Limits,
    root: Path | None,
    use_cache: bool = True,
    index_only: bool = False,
) -> list[ContextFile]:
    """What each context file contributes (cached by content): the subjects and roles of
    its RBAC, the groups its aws-auth mappings provide, whether it holds an aws-auth.

    Entries are keyed by git's object id of the content: given by git for files it knows
    unchanged (such a file is read only when the cache has never seen that content),
    computed from the bytes for the others. A key names content, never a path or a
    time, so the cache cannot go stale. `index_only`: a file's content is its staged
    blob even where the work tree differs (the commit being made).
    """
    store = cache_file(root) if (use_cache and root is not None) else None
    old = _load(store) if store is not None else {}
    new: dict[str, Entry | None] = {}
    out: list[ContextFile] = []
    like = next((oid for _, oid in files if oid), None)
    for p, oid in files:
        if oid is not None and oid in old:
            entry = new[oid] = old[oid]
        else:
            try:
                data = Path(p).read_bytes()
            except OSError:
                data = None
            key = None if data is None else blob_id(data, like)  # not `oid`: the bytes read are what the entry describes
            if index_only and oid is not None and key != oid and root is not None:
                data, key = read_blob(root, oid), oid  # changed (or gone) since: the blob named is the truth
            if data is None or key is None:
                continue
            entry = new[key] = old[key] if key in old else _entry(p, data, limits)
        if entry is not None:
            subjects, roles, groups, awsauth, flux, declared = entry
            out.append(ContextFile(p, subjects, roles, groups, awsauth, flux, _moved(declared, p)))
    if store is not None and new.keys() != old.keys():
        try:
            store.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(store, pickle.dumps(new, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError, RecursionError, TypeError):
            pass  # a cache that cannot be written only costs time
    return out


def _moved(declared: Declared | None, path: str) -> Declared | None:
    """`declared` as read at `path`: an entry is keyed by content, so a file moved (or a
    copy of another) finds the access entries cached with the path they were first read
    at, which messages quote. A new value: the cached one may serve other paths too."""
    if declared is None:
        return None
    files = {c.file for c in declared.configs} | {e.file for e in declared.all_entries} | {m.file for m in declared.managed}
    if files <= {path}:
        return declared
    return Declared(
        [replace(e, file=path) for e in declared.entries],
        [replace(c, file=path) for c in declared.configs],
        [(replace(e, file=path), p) for e, p in declared.associations],
        [replace(m, file=path) for m in declared.managed],
    )


def _entry(path: str, data: bytes, limits: Limits) -> Entry | None:
    if not relevant(data):
        return None
    sf = load_bytes(path, data, limits)
    return _extract(sf) if isinstance(sf, SourceFile) else None
