"""Run the enabled rules over loaded files: stamp, suppress, fingerprint, sort."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .accessentry import Declared
from .awsauth import AwsAuthDoc
from .cache import ContextFile, index_of
from .clusters import split
from .config import ClusterConfig, Config
from .loader import InputError, Limits, SourceFile, load_bytes, load_path
from .model import Finding, Rule, Severity, Violation
from .rbac import Index as RbacIndex
from .registry import all_rules, lookup
from .repo import Repos
from .suppress import Directive, scan
from .text import SourceText

if TYPE_CHECKING:
    from .eksaccess import EksCluster

APPROXIMATE = " (position approximate: the map is not a literal block scalar)"


@dataclass
class Project:
    """Everything linted in one run (plus repository context), for rules that look across files."""

    files: list[SourceFile]
    context_index: RbacIndex | None = None  # what files outside the linted set contribute
    context_groups: set[str] = field(default_factory=set)  # groups their aws-auth mappings provide
    cluster: str = ""  # the cluster these files make up ("" when the repository holds one)
    context_access: list[Declared] = field(default_factory=list)  # access entries other files declare
    configured: ClusterConfig | None = None  # the config's `clusters:` entry for this cluster
    _rbac: RbacIndex | None = None
    _eks: list[EksCluster] | None = None
    _paired: EksCluster | None = None

    @property
    def docs(self) -> list[AwsAuthDoc]:
        return [d for f in self.files for d in f.awsauth]

    @property
    def eks(self) -> list[EksCluster]:
        """The EKS clusters the files (and context) declare access for, built once."""
        if self._eks is None:
            from .eksaccess import clusters, paired

            self._eks = clusters([*(f.access for f in self.files), *self.context_access])
            c = self.configured
            self._paired = paired(self._eks, self.cluster or (c.name if c else ""), c.authentication_mode if c else None)
        return self._eks

    @property
    def eks_cluster(self) -> EksCluster | None:
        """The declared EKS cluster this repository cluster's aws-auth belongs to, if clear
        (with the mode the config gives it where no file does)."""
        _ = self.eks
        return self._paired

    @property
    def rbac(self) -> RbacIndex:
        """The RBAC index, built once on first use."""
        if self._rbac is None:
            from .rbac import build

            self._rbac = build(self.files)
            if self.context_index is not None:
                self._rbac.roles.extend(self.context_index.roles)
                self._rbac.context_subjects = self.context_index.context_subjects
        return self._rbac


@dataclass(slots=True)
class SuppressionContext:
    """What AL001/AL002 inspect: a file's directives after suppression was applied."""

    directives: list[Directive]
    active_codes: frozenset[str]


@dataclass
class RunResult:
    findings: list[Finding]
    rules: list[Rule]
    files: list[str] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    texts: dict[str, SourceText] = field(default_factory=dict)
    root: Path = field(default_factory=Path.cwd)  # report URIs of files outside any repository are relative to it
    repos: Repos = field(default_factory=Repos)  # which repository holds each file

    def relative(self, file: str) -> str:
        """`file` as reports name it: relative to the root of the repository holding it."""
        return self.repos.relative(file, self.root)

    def source_line(self, file: str, line: int) -> str | None:
        src = self.texts.get(file)
        return None if src is None or line > src.line_count else src.line(line)

    def failing(self, fail_on: Severity | None) -> list[Finding]:
        if fail_on is None:
            return []
        return [f for f in self.findings if f.suppressed is None and f.severity.rank >= fail_on.rank]

    def exit_code(self, fail_on: Severity | None) -> int:
        if any(not e.vanished for e in self.errors):
            return 2
        return 1 if self.failing(fail_on) else 0


def run(
    paths: Iterable[str],
    config: Config,
    stdin: bytes | None = None,
    stdin_name: str = "-",
    context: Iterable[tuple[str, str | None]] | Mapping[Path | None, list[tuple[str, str | None]]] = (),
    base: str | None = None,
    base_strict: bool = True,
    use_cache: bool = True,
    jobs: int = 1,
    index_only: bool = False,
) -> RunResult:
    """Lint `paths`; `context` files (path, git object id or None) only feed cross-file
    rules (their findings are not reported), each for files of its own repository; a
    mapping gives them by repository root (None: files outside any repository).

    `index_only`: context files are read as staged (pre-commit: the commit being made).
    With `base`, aws-auth documents are compared with their version at that git ref in
    their own repository (raises gitbase.BaseError for a ref git does not know).
    """
    from .parallel import load_all

    paths = list(paths)
    repos = Repos()
    limits = Limits(config.max_file_size, config.max_alias_expansion)
    if "-" in paths:
        sources = [load_bytes(stdin_name, stdin or b"", limits) if p == "-" else load_path(p, p, limits) for p in paths]
    else:
        sources = load_all(paths, limits, jobs)
    ctx: dict[Path | None, list[ContextFile]] = {}
    by_repo = _by_repository(context, repos)
    if any(isinstance(s, SourceFile) and s.relevant for s in sources):  # else nothing can use it
        from .cache import context as load_context

        for root, files in by_repo.items():
            if files:
                ctx[root] = load_context(files, limits, root, use_cache, index_only)
    if base:
        from .gitbase import attach

        attach([s for s in sources if isinstance(s, SourceFile)], base, repos, strict=base_strict)
    listings = {root: list(files) for root, files in by_repo.items()}
    return lint(sources, config, context=ctx, repos=repos, listings=listings, use_cache=use_cache)


def _by_repository(
    context: Iterable[tuple[str, str | None]] | Mapping[Path | None, list[tuple[str, str | None]]], repos: Repos
) -> Mapping[Path | None, list[tuple[str, str | None]]]:
    if isinstance(context, Mapping):
        return context
    out: dict[Path | None, list[tuple[str, str | None]]] = {}
    for item in context:
        out.setdefault(repos.root(item[0]), []).append(item)
    return out


def repo_root(config: Config) -> Path:
    """The git top level of the working directory, else the config's directory."""
    from .repo import toplevel

    return toplevel(os.getcwd()) or config.root


def lint(
    sources: list[SourceFile | InputError],
    config: Config,
    root: Path | None = None,
    context: Mapping[Path | None, list[ContextFile]] | None = None,
    repos: Repos | None = None,
    listings: Mapping[Path | None, list[tuple[str, str | None]]] | None = None,
    use_cache: bool = True,
) -> RunResult:
    """Run the rules over loaded files. Cross-file rules see one cluster of one repository
    at a time (files outside any repository together): bindings of one checkout, or of
    one cluster, never satisfy a group mapped in another. `context`: what the rest of each
    repository contributes, by repository root."""
    rules = config.rules()
    files = [s for s in sources if isinstance(s, SourceFile)]
    errors = [s for s in sources if isinstance(s, InputError)]
    repos = repos or Repos()
    result = RunResult(
        [], rules, [f.path for f in files], errors, texts={f.path: f.src for f in files}, root=root or repo_root(config), repos=repos
    )
    by_scope: dict[str, list[Rule]] = {}
    for r in rules:
        by_scope.setdefault(r.meta.scope, []).append(r)
    raw: dict[str, list[Finding]] = {f.path: [] for f in files}
    for sf in files:
        if not sf.relevant:  # never composed: nothing for a rule to see (most files of a repository)
            continue
        for rule in by_scope.get("file", []):
            raw[sf.path] += _apply(rule, sf, sf.path, config, result)
        for doc in sf.awsauth:
            for rule in by_scope.get("awsauth", []):
                raw[sf.path] += _apply(rule, doc, sf.path, config, result)
        for entry in sf.access.all_entries:  # entries, then Crossplane policy associations
            for rule in by_scope.get("access", []):
                raw[sf.path] += _apply(rule, entry, sf.path, config, result)
    every: set[str] = set()  # the clusters of the repositories linted (for findings all of them share)
    clusters_of: dict[str, set[str]] = {}  # a linted file's clusters (several for a shared file)
    projects: dict[Path | None, list[SourceFile]] = {}
    linted: dict[Path | None, list[str]] = {}  # every linted file's name, for finding clusters (kustomize)
    for sf in files:
        if sf.relevant:  # the others contribute nothing
            projects.setdefault(repos.root(sf.path), []).append(sf)
    if projects:
        only = next(iter(projects)) if len(projects) == 1 else None
        for sf in files:  # one repository (the usual run): no lookup per file
            linted.setdefault(only if only is not None else repos.root(sf.path), []).append(sf.path)
    for key, members in projects.items():
        known = [*(listings or {}).get(key, ()), *((p, None) for p in linted.get(key, ()))]
        parts = split(key, members, (context or {}).get(key) or [], known, config, repos, use_cache)
        every |= {p[0] for p in parts} if len(parts) > 1 else set()
        for name, mine, _ in parts:
            for sf in mine:
                clusters_of.setdefault(sf.path, set()).add(name)
        for name, mine, around in parts:
            index, groups = index_of(around) if around else (None, set())
            declared = [c.access for c in around if c.access is not None]
            configured = config.cluster_named(name)
            project = Project(mine, index, groups, cluster=name, context_access=declared, configured=configured)
            for rule in by_scope.get("project", []):
                extra = _cluster_options(rule, config, configured)
                for f in _apply(rule, project, "", config, result, extra):
                    if f.file in raw:  # context files inform, they are not reported
                        raw[f.file].append(replace(f, cluster=project.cluster) if project.cluster else f)
            _rbac_notice(project, rules, config, result)
    raw = {path: _merge_clusters(found, clusters_of.get(path, set()), every) for path, found in raw.items()}
    active = frozenset(r.meta.code for r in rules)
    sup_rules = by_scope.get("suppression", [])
    for sf in files:
        findings = raw.get(sf.path, [])
        directives = scan(sf.src)
        if directives:
            findings = _suppress(findings, directives)
            ctx = SuppressionContext(directives, frozenset(c for c in active if not _ignored(config, sf.path, c)))
            for rule in sup_rules:
                findings += _apply(rule, ctx, sf.path, config, result)
        result.findings += findings
    result.findings = fingerprint(sorted(result.findings, key=lambda f: f.sort_key), files, result)
    return result


def _merge_clusters(found: list[Finding], mine: set[str], every: set[str]) -> list[Finding]:
    """A shared file (in several clusters) has a cross-file finding only when every cluster
    it is in reports it alike (a binding in `rbac/` is not "unmapped" because one cluster
    does not map its group); named once, with its clusters, or "every cluster"."""
    out: dict[tuple[object, ...], tuple[Finding, set[str]]] = {}
    for f in found:
        key = (f.span, f.code, f.message, f.json_path)
        prev = out.get(key)
        out[key] = (f, {f.cluster}) if prev is None else (prev[0], prev[1] | {f.cluster})
    kept = []
    for f, names in out.values():
        if not f.cluster:
            kept.append(f)
        elif names >= mine:
            label = "every cluster" if len(names) > 1 and names >= every else ", ".join(sorted(names))
            kept.append(replace(f, cluster=label))
    return kept


def _rbac_notice(project: Project, rules: list[Rule], config: Config, result: RunResult) -> None:
    """Say once that RBAC was not found, instead of flooding RB001/RB002 findings: where
    aws-auth maps groups or usernames, or a STANDARD access entry names groups or a
    username, that RB001/RB002 would have checked."""
    if not any(r.meta.code in ("RB001", "RB002") for r in rules):
        return
    if not project.rbac.empty:
        return
    mapped = any(m.groups or m.username for d in project.docs for m in d.mappings)
    if not mapped and not any(  # the access entries RB001/RB002 would check (those of the linted files)
        e.type_value == "STANDARD" and (e.groups or e.username is not None) for f in project.files for e in f.access.entries
    ):
        return
    message = "no RBAC (Role/ClusterRole/RoleBinding/ClusterRoleBinding) found, so RB001/RB002 did not run"
    if config.rbac_required:
        error = InputError("(rbac)", message + " and the config says `rbac: {required: true}`")
        if error not in result.errors:  # once, however many repositories lack RBAC
            result.errors.append(error)
    elif message + "; set `rbac.paths` to where bindings live" not in result.notices:
        result.notices.append(message + "; set `rbac.paths` to where bindings live")


def _cluster_options(rule: Rule, config: Config, cluster: ClusterConfig | None) -> dict[str, Any]:
    """A configured cluster's `external-groups` add to RB001's and RB004's own."""
    if cluster is None or not cluster.external_groups or "external-groups" not in rule.meta.options_schema:
        return {}
    return {"external_groups": [*config.options_for(rule).get("external_groups", []), *cluster.external_groups]}


def _apply(
    rule: Rule, item: object, path: str, config: Config, result: RunResult, extra: dict[str, Any] | None = None
) -> Iterator[Finding]:
    try:
        options = config.options_for(rule)
        violations = list(rule.check(item, **({**options, **extra} if extra else options)))
    except Exception as e:  # a crashing rule must never look clean
        where = path or "(project)"
        result.errors.append(InputError(where, f"internal error in rule {rule.meta.code} ({rule.meta.name}): {e!r}"))
        return iter(())
    if not violations:  # most checks of most items: nothing to stamp
        return iter(())
    severity = config.severity_for(rule)
    stamped = (stamp(rule, v, path, severity, config) for v in violations)
    return (f for f in stamped if not config.ignored_in(f.file, rule))


def stamp(rule: Rule, v: Violation, path: str, severity: Severity, config: Config) -> Finding:
    if v.severity is not None and rule.meta.code not in config.severity:
        severity = v.severity
    message = v.message if v.span.exact else v.message + APPROXIMATE
    return Finding(v.file or path, v.span, rule.meta.code, rule.meta.name, severity, message, v.json_path, v.fix)


def _suppress(findings: list[Finding], directives: list[Directive]) -> list[Finding]:
    by_line: dict[int, list[Directive]] = {}
    whole = [d for d in directives if d.file_wide]
    for d in directives:
        if not d.file_wide:
            by_line.setdefault(d.line, []).append(d)
    out = []
    for f in findings:
        for d in by_line.get(f.span.start.line, []) + whole:
            token = next((t for t, _ in d.codes if _names(t, f)), None)
            if token is not None:
                d.used.add(token)
                f = replace(f, suppressed=d.reason)
                break
        out.append(f)
    return out


def _ignored(config: Config, path: str, code: str) -> bool:
    rule = lookup(code)
    return rule is not None and config.ignored_in(path, rule)


def _names(token: str, f: Finding) -> bool:
    return token.upper() == f.code or token.lower() == f.name


def known_code(token: str) -> str | None:
    rule = lookup(token)
    return rule.meta.code if rule is not None else None


def fingerprint(findings: list[Finding], files: list[SourceFile], result: RunResult) -> list[Finding]:
    """Stable ids: code, repository-relative file, json path and flagged text, never line numbers.

    List indexes are left out of the path (`mapRoles[]`), so a mapping added above does not
    change the ids below it; a counter tells identical findings in one file apart.
    """
    import re

    texts = {f.path: f.src for f in files}
    seen: dict[str, int] = {}
    out = []
    for f in findings:
        src = texts.get(f.file)
        snippet = ""
        if src is not None:
            line = src.line(f.span.start.line)
            end = f.span.end.column - 1 if f.span.end.line == f.span.start.line else len(line)
            snippet = line[f.span.start.column - 1 : end].strip()
        key = "\0".join((f.code, result.relative(f.file), re.sub(r"\[\d+\]", "[]", f.json_path), snippet))
        n = seen.get(key, 0)
        seen[key] = n + 1
        digest = hashlib.sha256(f"{key}\0{n}".encode()).hexdigest()[:32]
        out.append(replace(f, fingerprint=digest))
    return out


def all_codes() -> frozenset[str]:
    return frozenset(r.meta.code for r in all_rules())
