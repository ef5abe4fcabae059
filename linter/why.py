"""`awsauth-lint why IDENTITY`: why a caller is (not) authenticated, and what it may do.

Authentication is the effective-access model's verdict (`effective.decide`) on the
current authenticator line, with the legacy line's answer when it differs; one section
per cluster that has an aws-auth (`clusters`), each with that cluster's RBAC only. Authorisation follows the repository's RoleBindings and
ClusterRoleBindings plus the RBAC every EKS cluster has (`builtin_rbac`). Everything is
read from the linted files: nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import effective, why_entries
from .accessentry import AccessEntry
from .awsauth import AwsAuthDoc
from .builtin_rbac import BUILTIN_MEANING, BuiltinGrant, grants
from .effective import State, Verdict
from .eksaccess import clusters as eks_clusters
from .eksaccess import paired
from .identity import Caller
from .loader import SourceFile
from .model import Span
from .parsemap import CURRENT, LEGACY, LINES, Line
from .rbac import BUILTIN_CLUSTER_ROLES, Binding, Index, Rule, build
from .registry import all_rules


@dataclass(slots=True)
class Grant:
    """One binding of the repository that applies to the caller, and what its role allows."""

    binding: Binding
    via: str  # "group X" or "user X"
    scope: str  # "cluster-wide" or "namespace N"
    role: str  # "ClusterRole/view"
    rules: list[Rule] = field(default_factory=list)
    meaning: str = ""  # built-in roles and unresolved references


@dataclass(slots=True)
class Section:
    """The caller judged against one aws-auth (the one a file leaves the authenticator)."""

    file: str
    state: State | None
    verdicts: dict[Line, Verdict]
    notes: list[str] = field(default_factory=list)
    cluster: str = ""
    grants: list[Grant] = field(default_factory=list)
    builtin: list[BuiltinGrant] = field(default_factory=list)
    unbound: list[tuple[str, str]] = field(default_factory=list)  # group, hint
    mode: str | None = None  # the declared EKS cluster's authentication mode (None: unknown or none declared)
    access: AccessEntry | None = None  # the access entry that answers (why_entries)
    access_where: str = ""

    @property
    def verdict(self) -> Verdict:
        return self.verdicts[CURRENT]

    @property
    def differs(self) -> bool:
        return self.verdicts[CURRENT].key != self.verdicts[LEGACY].key

    @property
    def everything(self) -> bool:
        return self.verdict.authenticated and "system:masters" in self.verdict.groups


@dataclass(slots=True)
class Answer:
    caller: Caller
    sections: list[Section]

    @property
    def primary(self) -> Section:
        return next((s for s in self.sections if s.verdict.authenticated), self.sections[0])

    @property
    def authenticated(self) -> bool:
        v = self.primary.verdict
        return v.authenticated and all(o.authenticated for o in v.random)


def explain(c: Caller, clusters: list[tuple[str, list[SourceFile]]], modes: Mapping[str, str] | None = None) -> Answer:
    """The caller judged in each cluster (`clusters.by_cluster`) that has an aws-auth or
    declares access entries; the cluster's authentication mode decides which answers."""
    sections = []
    for name, files in clusters:
        docs = [d for sf in files for d in sf.awsauth if d.kind in ("configmap", "patch")]
        ec = paired(eks_clusters(sf.access for sf in files), name, (modes or {}).get(name))
        if not docs and (ec is None or not ec.standing):
            continue
        index = build(files)
        if docs:
            sec = _section(c, name, docs, index)
        else:
            sec = Section("", None, {line: effective.decide(None, c, line) for line in LINES}, cluster=name)
        if ec is not None and why_entries.apply(sec, c, ec):
            sec.grants, sec.builtin, sec.unbound = [], [], []
            _authorise(sec, sec.verdict, index)
        sections.append(sec)
    mentioned = [s for s in sections if s.notes or any(v.authenticated for v in s.verdicts.values())]
    sections = mentioned or sections  # the clusters where the caller appears, else all of them
    if not sections:
        none = {line: effective.decide(None, c, line) for line in LINES}
        sections = [Section("", None, none, ["no aws-auth ConfigMap (or data-only patch) and no access entry in the linted files"])]
    return Answer(c, sections)


def _section(c: Caller, cluster: str, docs: list[AwsAuthDoc], index: Index) -> Section:
    st = effective.current(docs)
    file = st.doc.file if st is not None else docs[-1].file
    sec = Section(file, st, {line: effective.decide(st, c, line) for line in LINES}, cluster=cluster)
    if st is None:
        for d in docs:
            for r in effective.state(d).refusals:
                sec.notes.append(f"{_at(file, r.node.span)}: {r.message}: nobody gets in with this version")
        return sec
    sec.notes += _notes(c, st)
    v = sec.verdict
    if v.authenticated:
        _authorise(sec, v, index)
    return sec


def _at(file: str, span: Span) -> str:
    return f"{file}:{span.start.line}:{span.start.column}"


def _culprit(doc: AwsAuthDoc, span: Span | None, code: str = "") -> str:
    """The structure finding that explains a dropped map or entry, as `CODE at f:l:c`: the
    model names it for the problems it finds; otherwise the first AA0xx finding there."""
    if span is None:
        return ""
    if code:
        return f"{code} at {_at(doc.file, span)}"
    for rule in all_rules():
        if rule.meta.scope != "awsauth" or not rule.meta.code.startswith("AA0"):
            continue
        for v in rule.check(doc):
            if v.span.start <= span.end and span.start <= v.span.end:
                return f"{rule.meta.code} at {_at(doc.file, v.span)}"
    return f"at {_at(doc.file, span)}"


def _notes(c: Caller, st: State) -> list[str]:
    out: list[str] = []
    doc = st.doc
    want = c.canonical.lower()
    mapped = all(effective.decide(st, c, line).authenticated for line in LINES)
    said: dict[tuple[str, str, str], list[Line]] = {}
    spans: dict[tuple[str, str, str], tuple[Span | None, str]] = {}
    for line in LINES:
        for key, kr in st.lines[line].keys.items():
            for p in kr.problems:
                hit = p.node is not None and want != "" and want in _text(doc, p.node.span).lower()
                if (p.drops == "key" and not mapped) or (p.drops == "entry" and hit):
                    k = (key, p.drops, p.message)
                    said.setdefault(k, []).append(line)
                    spans[k] = (p.span, p.code)
    for (key, drops, message), lines in said.items():
        who = "both authenticator lines drop" if len(lines) == 2 else f"the {_name(lines[0])} drops"
        what = f"every entry of {key}" if drops == "key" else f"the {key} entry for this caller"
        culprit = _culprit(doc, *spans[(key, drops, message)])
        out.append(f"{who} {what}: {message} ({culprit})")
    for key, node in st.ignored_keys:
        if key.lower().replace("_", "").replace("-", "").rstrip("s") in ("maprole", "mapuser", "mapaccount"):
            out.append(f"data key '{key}' is never read (only mapRoles, mapUsers and mapAccounts are): AA010 at {_at(doc.file, node.span)}")
    out += near_misses(c, st)
    v = effective.decide(st, c, CURRENT)
    if v.authenticated and v.via in ("mapRoles", "mapUsers"):
        same = [e for e in st.lines[CURRENT].keys[v.via].entries if e.arn.lower() == want]
        if len(same) > 1:
            out.append(f"{len(same)} {v.via} entries match; the last one (shown) wins")
    if v.random:
        arns = ", ".join(sorted({o.entry.arn for o in v.random if o.entry is not None}))
        out.append(f"several mapUsers entries differ only in case ({arns}): the current authenticator keeps all of "
                   "them and which one answers is random per request")
    old = effective.decide(st, c, LEGACY)
    if v.key != old.key and (v.entry or old.entry) is not None and not said:
        entry = v.entry or old.entry
        assert entry is not None
        out.append(f"the two lines read this entry differently: {_culprit(doc, entry.node.span)}")
    if not v.authenticated and v.reason and v.entry is not None:
        out.append(f"the matching entry cannot be rendered: {v.reason}")
    return list(dict.fromkeys(out))


def _name(line: Line) -> str:
    return "current authenticator (v0.6.30+)" if line == CURRENT else "legacy authenticator (v0.5.x)"


def _text(doc: AwsAuthDoc, span: Span) -> str:
    lines = doc.src.lines[span.start.line - 1 : span.end.line]
    return "\n".join(lines)


def near_misses(c: Caller, st: State) -> list[str]:
    """Why a caller that is not mapped might have expected to be."""
    if not c.canonical or any(st.lines[line].keys and effective.decide(st, c, line).authenticated for line in LINES):
        return []
    out: list[str] = []
    name = c.canonical.rsplit("/", 1)[-1].lower()
    for e in st.lines[CURRENT].entries + st.lines[LEGACY].entries:
        low = e.arn.lower()
        where = _at(st.doc.file, e.arn_node.span) if e.arn_node is not None else st.doc.file
        if low.strip() != low and low.strip() == c.canonical.lower():
            out.append(f"{where}: the mapped ARN has surrounding whitespace, so it never matches")
        elif low.rsplit("/", 1)[-1] == name and low != c.canonical.lower() and f":{c.account}:" in low:
            if "aws-reserved/sso.amazonaws.com" in low:
                out.append(f"{where}: mapped with its IAM Identity Center path ({e.arn}); the authenticator "
                           f"sees {c.canonical} (no path), so map that instead")
            elif ":role/" in low and c.kind == "role":
                out.append(f"{where}: mapped with an IAM path ({e.arn}); callers are seen without it: map {c.canonical}")
            elif e.key != ("mapRoles" if c.kind == "role" else "mapUsers"):
                out.append(f"{where}: a similar ARN is in {e.key} ({e.arn})")
    return list(dict.fromkeys(out))


def _authorise(sec: Section, v: Verdict, index: Index) -> None:
    groups = set(v.groups)
    bound: set[str] = set()
    for b in index.bindings:
        for s in b.subjects:
            if (s.kind == "Group" and s.name.value in groups) or (s.kind == "User" and s.name.value == v.username):
                bound.add(s.name.value) if s.kind == "Group" else None
                sec.grants.append(_grant(b, f"{s.kind.lower()} {s.name.value}", index))
    sec.builtin = grants(v.groups)
    builtin_groups = {g.subject.removeprefix("group ") for g in sec.builtin}
    for g in sorted(groups - bound - builtin_groups):
        if not g.startswith(("system:", "eks:")):
            sec.unbound.append((g, index.group_hint(g)))


def _grant(b: Binding, via: str, index: Index) -> Grant:
    scope = "cluster-wide" if b.kind == "ClusterRoleBinding" else f"namespace {b.namespace or '(unset)'}"
    name = b.role_name.value if b.role_name else "?"
    g = Grant(b, via, scope, f"{b.role_kind}/{name}")
    if b.role_kind == "ClusterRole" and (name in BUILTIN_CLUSTER_ROLES or name.startswith("system:")):
        g.meaning = BUILTIN_MEANING.get(name, "a built-in Kubernetes role")
        return g
    defs = [
        r
        for r in index.roles
        if r.kind == b.role_kind and r.name == name and (r.kind == "ClusterRole" or r.namespace in (None, b.namespace))
    ]
    if not defs:
        g.meaning = "defined nowhere in the linted files (RB003): grants nothing"
    for d in defs:
        g.rules.extend(d.rules)
    return g
