"""Under pre-commit: what the commit being made breaks in files it does not touch.

Renaming a group in a binding, or `git rm` of a binding file, leaves an aws-auth group
unbound, yet the aws-auth file is not part of the commit, so the hook never looks at it
(a deleted file is not even passed to it). Here every cluster the commit touches is
evaluated as the commit leaves it (the staged blobs; deletions and renames from
`git diff --cached --name-status -M`) and as HEAD has it, and what RB001/RB002 report
only after the commit, in aws-auth files it does not touch, is reported with the change
that caused it. What was already broken before the commit stays quiet.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from . import cache, clusters, discover
from .config import Config
from .engine import Project, RunResult, fingerprint, stamp
from .loader import Limits, SourceFile, load_path
from .model import Finding, Rule, Violation
from .registry import lookup
from .repo import git, toplevel

RULES = ("RB001", "RB002")


@dataclass(frozen=True, slots=True)
class Change:
    status: str  # A, M, D or R (git's letter)
    old: str  # repository-relative POSIX paths ("" for an added file's old name)
    new: str

    def says(self) -> str:
        return {"D": f"{self.old} was deleted", "R": f"{self.old} was renamed to {self.new}"}.get(
            self.status, f"{self.new} was changed"
        ) + " in this commit"


def staged_changes(root: Path) -> list[Change]:
    proc = git(root, "diff", "--cached", "--name-status", "-M", "-z")
    if proc is None or proc.returncode != 0:
        return []
    parts = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    out, i = [], 0
    while i < len(parts) - 1:
        status = parts[i][:1]
        if status in ("R", "C"):
            out.append(Change("R" if status == "R" else "A", parts[i + 1], parts[i + 2]))
            i += 3
        else:
            path = parts[i + 1]
            out.append(Change(status, path if status != "A" else "", path if status != "D" else ""))
            i += 2
    return out


def head_listing(root: Path) -> list[tuple[str, str | None]]:
    """The YAML/JSON files of HEAD with their blob ids (what the repository was before)."""
    proc = git(root, "ls-tree", "-r", "-z", "HEAD")
    if proc is None or proc.returncode != 0:
        return []
    out: list[tuple[str, str | None]] = []
    for line in proc.stdout.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, name = line.partition("\t")
        fields = meta.split(" ")
        if len(fields) == 3 and fields[1] == "blob" and name.endswith(discover.SUFFIXES):
            out.append((str(root / name), fields[2]))
    return out


def broken(named: list[str], config: Config, result: RunResult, use_cache: bool = True) -> list[Finding]:
    """Findings the commit creates in aws-auth files of the clusters it touches that it does
    not touch itself (so nobody would lint them)."""
    rules = [r for code in RULES if (r := lookup(code)) is not None and r in config.rules()]
    root = toplevel(os.getcwd())
    if not rules or root is None:
        return []
    changes = [c for c in staged_changes(root) if (c.old or c.new).endswith(discover.SUFFIXES)]
    if not changes:
        return []
    limits = Limits(config.max_file_size, config.max_alias_expansion)
    views = {
        when: _View(root, listing, cache.context(listing, limits, root, use_cache, index_only=True), config)
        for when, listing in (("after", discover.git_listing(root, index_only=True) or []), ("before", head_listing(root)))
    }
    touched = {p for c in changes for p in (c.old, c.new) if p}
    named_rel = {Path(os.path.abspath(p)).relative_to(root).as_posix() for p in named if p != "-" and _inside(p, root)}
    after, before = views["after"], views["before"]
    affected = {c.name for t in touched for view in views.values() for c in view.layout.of(t) if t in view.paths}
    out: list[Finding] = []
    for holder in sorted(after.holders - touched - named_rel):
        cl = [c for c in after.layout.of(holder) if c.name in affected]
        if not cl:
            continue
        sf = load_path(str(root / holder), os.path.relpath(root / holder), limits)
        if not isinstance(sf, SourceFile):
            continue
        for c in cl:
            was = before.around(holder, c.name)
            old = _violations(sf, was, rules, config)
            new = _violations(sf, after.around(holder, c.name), rules, config, had_rbac=not cache.index_of(was)[0].empty)
            for code, v in new - old:
                cause = _cause(sf, v, changes, before)
                found = stamp(next(r for r in rules if r.meta.code == code), replace(v, message=f"{v.message}; {cause}"),
                              sf.path, config.severity_for(next(r for r in rules if r.meta.code == code)), config)
                out.append(replace(found, cluster=c.name if after.layout.several else ""))
    loaded = _loaded(out, root, limits)
    for sf in loaded:  # their frames and the summary's count
        result.texts.setdefault(sf.path, sf.src)
        if sf.path not in result.files:
            result.files.append(sf.path)
    return fingerprint(out, loaded, result)


def _inside(path: str, root: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(root)
    except ValueError:
        return False
    return True


def _loaded(findings: list[Finding], root: Path, limits: Limits) -> list[SourceFile]:
    out = []
    for f in findings:
        sf = load_path(f.file, f.file, limits)
        if isinstance(sf, SourceFile):
            out.append(sf)
    return out


class _View:
    """The repository as HEAD has it, or as the commit leaves it: its clusters and what each
    file contributes."""

    def __init__(self, root: Path, listing: list[tuple[str, str | None]], context: list[cache.ContextFile], config: Config):
        rel = {p: Path(p).relative_to(root).as_posix() for p, _ in listing}
        self.files = {rel[c.path]: c for c in context if c.path in rel}
        self.paths = set(rel.values())
        self.holders = {r for r, c in self.files.items() if c.awsauth}
        configured = [(c.name, _wanted(config, c.name, root)) for c in config.clusters]
        self.layout = clusters.assemble(self.paths, self.holders, configured)

    def around(self, holder: str, cluster: str) -> list[cache.ContextFile]:
        return [c for r, c in self.files.items() if r != holder and any(x.name == cluster for x in self.layout.of(r))]


def _wanted(config: Config, name: str, root: Path) -> Callable[[str], bool]:
    return lambda r: name in config.clusters_of(str(root / r))


def _violations(
    sf: SourceFile, around: list[cache.ContextFile], rules: list[Rule], config: Config, had_rbac: bool = False
) -> set[tuple[str, Violation]]:
    index, groups = cache.index_of(around)
    if had_rbac and index.empty:  # the commit deletes the last binding: RBAC is not "elsewhere", it is gone
        index.context_subjects["(deleted in this commit)"] = {""}
    project = Project([sf], index, groups)
    return {(rule.meta.code, replace(v, fix=None)) for rule in rules for v in rule.check(project, **config.options_for(rule))}


def _cause(sf: SourceFile, v: Violation, changes: list[Change], before: _View) -> str:
    """The change that unbinds the name: a changed file that bound it at HEAD."""
    line = sf.src.line(v.span.start.line)
    name = line[v.span.start.column - 1 : v.span.end.column - 1] if v.span.start.line == v.span.end.line else ""
    culprits = [c for c in changes if c.old and before.files.get(c.old) is not None
                and any(n == name.strip("'\"") for _, n in before.files[c.old].subjects)]
    shown = culprits or changes
    return "no longer bound: " + "; ".join(c.says() for c in shown[:3]) + ("; ..." if len(shown) > 3 else "")
