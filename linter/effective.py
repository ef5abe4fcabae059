"""The effective state of an aws-auth: what each authenticator line stores, and its verdicts.

This is the one place that knows what the authenticator keeps. `why`, `export`, the RBAC
rules and the structure rules read it; none of them reads the raw maps.

Per line (`parsemap.CURRENT`, v0.6.30-v0.7.x, and `parsemap.LEGACY`, v0.5.8-v0.5.27):
the result of `ParseMap` for each exact data key, then the `MapStore` the watch handler
fills: roles by lower-cased ARN (the last entry wins), users by ARN as written on the
current line (two ARNs differing only in case are both kept and a request finds one of
them at random) and lower-cased on the legacy line, accounts as a set. A caller is then
looked up as `ConfigMapMapper.Map` and `doMapping` do: roles, users, then mapAccounts.
The `SSORoleMatch` feature gate is off by default upstream, so `sso:` entries never match.
Sources: aws-iam-authenticator v0.7.18 / v0.5.27 `pkg/mapper/configmap`,
`pkg/server/server.go` (`doMapping`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import apiserver
from .apiserver import READ_KEYS, Refusal
from .awsauth import AwsAuthDoc
from .identity import Caller, render
from .model import Span
from .nodes import Node
from .parsemap import LINES, Entry, KeyResult, Line, parse_key


@dataclass(slots=True)
class LineState:
    """What one authenticator line keeps of one aws-auth."""

    line: Line
    keys: dict[str, KeyResult] = field(default_factory=dict)
    roles: dict[str, Entry] = field(default_factory=dict)
    users: dict[str, Entry] = field(default_factory=dict)
    accounts: dict[str, Node] = field(default_factory=dict)

    @property
    def entries(self) -> list[Entry]:
        return [e for k in ("mapRoles", "mapUsers") if k in self.keys for e in self.keys[k].entries]


@dataclass(slots=True)
class State:
    """One aws-auth object and what reaches each line of the authenticator."""

    doc: AwsAuthDoc
    refusals: list[Refusal] = field(default_factory=list)  # non-empty: nothing reaches the authenticator
    ignored_keys: list[tuple[str, Node]] = field(default_factory=list)  # data keys it never reads
    lines: dict[Line, LineState] = field(default_factory=dict)

    @property
    def accepted(self) -> bool:
        return not self.refusals


def state(doc: AwsAuthDoc) -> State:
    """The effective state of `doc` (computed once per document)."""
    if doc.effective is None:
        doc.effective = _compute(doc)
    st: State = doc.effective
    return st


def _compute(doc: AwsAuthDoc) -> State:
    st = State(doc, apiserver.refusals(doc))
    values = apiserver.data_values(doc)
    st.ignored_keys = [(k, kn) for k, (kn, _) in values.items() if k not in READ_KEYS]
    for line in LINES:
        ls = st.lines[line] = LineState(line)
        if not st.accepted:
            continue
        for key in READ_KEYS:
            if key not in values:
                continue
            text = apiserver.text_of(values[key][1])
            em = doc.maps.get(key)
            root = em.root if em is not None and em.fatal is None else None
            ls.keys[key] = parse_key(key, text, root, em.fatal if em is not None else None, line)
        _store(ls)
    return st


def _store(ls: LineState) -> None:
    """`saveMap`: the store the lookups read."""
    for e in ls.keys["mapRoles"].entries if "mapRoles" in ls.keys else []:
        ls.roles[e.arn.lower() if e.arn or e.sso is None else e.sso.arn_like()] = e
    for e in ls.keys["mapUsers"].entries if "mapUsers" in ls.keys else []:
        ls.users[e.arn if ls.line == "v0.7" else e.arn.lower()] = e
    if "mapAccounts" in ls.keys:
        for account, node in ls.keys["mapAccounts"].accounts:
            ls.accounts[account] = node


@dataclass(slots=True)
class Verdict:
    """What one line answers for one caller."""

    line: Line
    authenticated: bool
    via: str = ""  # mapRoles, mapUsers, mapAccounts
    username: str = ""
    groups: list[str] = field(default_factory=list)
    entry: Entry | None = None
    reason: str = ""  # why not authenticated
    random: list[Verdict] = field(default_factory=list)  # the possible answers when several entries match

    @property
    def key(self) -> tuple[bool, str, str, tuple[str, ...]]:
        return (self.authenticated, self.via, self.username, tuple(sorted(self.groups)))


def decide(st: State | None, c: Caller, line: Line) -> Verdict:
    """`doMapping` on one line for one caller against this aws-auth (None: no aws-auth)."""
    if c.error:
        return Verdict(line, False, reason=f"the STS step fails: {c.error}")
    if st is None or not st.accepted:
        return Verdict(line, False, reason="no aws-auth reaches the authenticator")
    ls = st.lines[line]
    want = c.canonical.lower()
    for via, store in (("mapRoles", ls.roles), ("mapUsers", ls.users)):
        hits = [e for e in store.values() if e.arn and e.arn.lower() == want]
        if len(hits) > 1:
            options = [_mapped(line, via, e, c) for e in hits]
            first = options[0]
            return Verdict(line, first.authenticated, via, first.username, first.groups, first.entry, first.reason, options)
        if hits:
            return _mapped(line, via, hits[0], c)
    if c.account in ls.accounts:
        return Verdict(line, True, "mapAccounts", c.canonical)
    return Verdict(line, False, reason="no mapRoles, mapUsers or mapAccounts entry matches")


def _mapped(line: Line, via: str, e: Entry, c: Caller) -> Verdict:
    username, err = render(e.username, c)
    groups: list[str] = []
    for g in e.groups or []:
        text, gerr = render(g, c)
        err = err or gerr
        groups.append(text)
    if err:
        return Verdict(line, False, via, entry=e, reason=err)
    return Verdict(line, True, via, username, groups, e)


def current(docs: list[AwsAuthDoc]) -> State | None:
    """Of the aws-auth objects in one file, the one the authenticator ends up with."""
    got = apiserver.delivered(docs)
    return state(got[-1]) if got else None


def stored_accounts(doc: AwsAuthDoc) -> list[tuple[str, Node]]:
    """The mapAccounts entries as both lines store them (yaml.v2 into strings on each)."""
    kr = state(doc).lines[LINES[0]].keys.get("mapAccounts")
    return list(kr.accounts) if kr is not None else []


@dataclass(frozen=True, slots=True)
class Mapped:
    """A group or username some authenticator line stores, and where it is written."""

    name: str
    span: Span
    json_path: str
    file: str
    has_groups: bool  # the entry it belongs to has groups (RB002 asks about users without)
    username: str = ""  # the username of the entry it belongs to


def mapped(doc: AwsAuthDoc, what: str) -> list[Mapped]:
    """Every group (`what="group"`) or username (`"username"`) that an entry stored by
    either line gives; eksctl's iamIdentityMappings, which eksctl writes into aws-auth,
    count as written. A group only a dropped entry (or map) provides is not mapped."""
    if doc.kind == "eksctl":
        return [
            Mapped(x.value, x.span, x.json_path, doc.file, bool(m.groups), m.username.value if m.username else "")
            for m in doc.eksctl
            for x in (m.groups if what == "group" else (m.username,) if m.username else ())
        ]
    out: list[Mapped] = []
    seen: set[int] = set()
    for ls in state(doc).lines.values():
        for e in ls.entries:
            base = f"{doc.path}.data.{e.key}[{e.index}]"
            if what == "group":
                named = [(g, n, f"{base}.groups[{k}]") for k, (g, n) in enumerate(zip(e.groups or [], e.group_nodes, strict=False))]
            else:
                named = [(e.username, e.username_node, f"{base}.username")] if e.username_node is not None else []
            for name, node, path in named:
                if name and id(node) not in seen:
                    seen.add(id(node))
                    out.append(Mapped(name, node.span, path, doc.file, bool(e.groups), e.username))
    return out
