"""`awsauth-lint export access-entries`: the EKS access entries aws-auth should become.

Follows eksctl's migrator (`pkg/actions/accessentry/migrator.go`) and the EKS access entry
rules: node mappings become typed entries (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX,
HYBRID_LINUX) without username or groups; `system:masters` becomes a STANDARD entry with
AmazonEKSClusterAdminPolicy at cluster scope; other groups become kubernetesGroups.
Groups and usernames EKS refuses, and mapAccounts, are listed as not migratable.
It reads the effective state (`effective`): only what the current authenticator stores
is exported (the last of duplicate roles wins); dropped maps and entries, `sso:`
matchers, random winners and mappings that never matched anyone (an IAM path,
whitespace, an STS ARN) are listed as not migrated, with the reason.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from . import effective
from .awsauth import AwsAuthDoc
from .effective import LineState
from .nodes import Node
from .parsemap import CURRENT
from .parsemap import Entry as ModelEntry

ADMIN_POLICY = "arn:{partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
RESERVED = ("system:", "eks:", "aws:", "amazon:", "iam:")
NODE_TYPES = {"ec2-linux": "EC2_LINUX", "ec2-windows": "EC2_WINDOWS", "fargate": "FARGATE_LINUX", "hybrid": "HYBRID_LINUX"}


@dataclass(slots=True)
class Entry:
    principal_arn: str
    type: str = "STANDARD"
    username: str | None = None
    groups: list[str] = field(default_factory=list)
    policies: list[str] = field(default_factory=list)  # cluster-scoped policy ARNs
    source: str = ""  # file:line of the mapping
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Plan:
    entries: list[Entry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what cannot be migrated, and why
    incomplete: bool = False  # a whole map (or aws-auth) is dropped: nothing of it is exported


def _where(file: str, node: Node | None) -> str:
    return f"{file}:{node.span.start.line}" if node is not None else file


def plan(docs: list[AwsAuthDoc], sso_region: str | None = None) -> Plan:
    """What the current authenticator stores, as access entries (one aws-auth per file).
    `sso_region`: where the IAM Identity Center instance is, to put back the path its
    roles' real ARNs have (aws-auth needs it stripped, access entries need it)."""
    out = Plan()
    chosen: dict[str, tuple[str, ModelEntry]] = {}
    by_file: dict[str, list[AwsAuthDoc]] = {}
    for doc in docs:
        if doc.kind in ("configmap", "patch"):
            by_file.setdefault(doc.file, []).append(doc)
    for file, file_docs in by_file.items():
        st = effective.current(file_docs)
        if st is None:
            out.incomplete = True
            out.skipped.append(f"{file}: the API server refuses this aws-auth, so nothing in it is in effect; nothing exported")
            continue
        ls = st.lines[CURRENT]
        _dropped(out, file, ls)
        for e in ls.keys["mapRoles"].entries if "mapRoles" in ls.keys else ():
            if e.sso is None and ls.roles.get(e.arn.lower()) is not e:
                out.skipped.append(f"{_where(file, e.arn_node)}: {e.arn} is mapped again later; the later entry is used "
                                   "(the authenticator's last-wins; eksctl's migrator keeps the first)")
        for e in ls.roles.values():
            _choose(out, chosen, file, e)
        users = list(ls.users.values())
        for e in users:
            twins = [u for u in users if u.arn.lower() == e.arn.lower()]
            if len(twins) > 1:
                out.skipped.append(f"{_where(file, e.arn_node)}: {e.arn} differs from another mapUsers ARN only in case; "
                                   "the authenticator picks one at random per request: keep one, then export")
                continue
            _choose(out, chosen, file, e)
        for account, node in ls.accounts.items():
            out.skipped.append(f"{_where(file, node)}: mapAccounts {account} cannot be an access entry; "
                               "create entries for the roles that need access")
    for file, e in chosen.values():
        out.entries.append(_entry(file, e, sso_region))
    return out


def _dropped(out: Plan, file: str, ls: LineState) -> None:
    for key, kr in ls.keys.items():
        for p in kr.problems:
            if p.drops == "field":
                continue
            span = p.span
            where = f"{file}:{span.start.line}" if span is not None else file
            if p.drops == "key":
                out.incomplete = True
                out.skipped.append(f"{where}: the authenticator drops all of {key} ({p.message}): nothing from it is exported")
            else:
                out.skipped.append(f"{where}: the authenticator drops this {key} entry ({p.message}): not exported")


def never_matches(e: ModelEntry) -> str:
    """Why a stored mapping never matched anyone (exporting it would grant new access)."""
    arn = e.arn
    if arn != arn.strip():
        return "its ARN has surrounding whitespace"
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam":
        return "it is not an IAM role or user ARN (an STS session ARN, say)"
    resource = parts[5]
    if resource.startswith("role/") and resource.count("/") > 1:
        return "its role ARN has an IAM path (AA101), which callers never carry"
    if not resource.startswith(("role/", "user/")):
        return "it is not an IAM role or user ARN"
    from .arn import problem

    bad = problem(arn)
    return f"the ARN {bad}" if bad else ""


def _choose(out: Plan, chosen: dict[str, tuple[str, ModelEntry]], file: str, e: ModelEntry) -> None:
    if e.sso is not None:
        out.skipped.append(f"{_where(file, e.node)}: an sso: matcher entry matches nobody (the SSORoleMatch feature gate "
                           "is off): not exported")
        return
    why = never_matches(e)
    if why:
        out.skipped.append(f"{_where(file, e.arn_node)}: {e.arn.strip()} never matched any caller in aws-auth ({why}); "
                           "an access entry for it would grant access nobody had: not exported")
        return
    key = e.arn.lower()
    if key in chosen:
        prev_file, prev = chosen[key]
        out.skipped.append(
            f"{_where(prev_file, prev.arn_node)}: {prev.arn} is mapped again later; the later entry is used "
            "(the authenticator's last-wins; eksctl's migrator keeps the first)"
        )
    chosen[key] = (file, e)


def _entry(file: str, m: ModelEntry, sso_region: str | None = None) -> Entry:
    from .rules._common import node_kind

    arn = m.arn
    src = _where(file, m.arn_node)
    groups = tuple(m.groups or ())
    kind = node_kind(m.username or None, groups, arn.rsplit("/", 1)[-1])
    if kind is not None and ":role/" in arn:
        return Entry(arn, NODE_TYPES[kind], source=src)
    e = Entry(arn, source=src)
    if kind is not None:
        e.notes.append("an IAM user mapped as a node: node types accept roles only, so it stays a STANDARD entry")
    name = arn.rsplit("/", 1)[-1]
    if ":role/" in arn and name.lower().startswith(SSO_ROLE):
        e.principal_arn = sso_arn(arn, sso_region)
        if sso_region is None:
            e.notes.append(f"IAM Identity Center role: its real ARN has the path {SSO_PATH}<region>/; replace <region> "
                           "with the Identity Center region (or pass --sso-region), or drop '<region>/' if "
                           f"`aws iam get-role --role-name {name}` prints the path without one (AE101 flags it until then)")
    elif ":role/" in arn:
        e.notes.append("if the role has an IAM path, put it back in this ARN: access entries need the role's real ARN")
    user = m.username
    if user and user.startswith(RESERVED):
        e.notes.append(f"username '{user}' has a prefix EKS refuses; left for EKS to generate")
    elif user and re.search(r"\{\{SessionName(Raw)?\}\}", user) and ":" not in user.split("{{SessionName", 1)[0]:
        e.notes.append(f"username '{user}' has no ':' before {{{{SessionName}}}}, which EKS refuses (AE203); left for EKS "
                       "to generate (arn:...:assumed-role/NAME/{{SessionName}}): bindings of the old username need updating")
    elif user:
        e.username = user
    partition = arn.split(":")[1]
    for g in groups:
        if g == "system:masters":
            e.policies.append(ADMIN_POLICY.format(partition=partition))
        elif g.startswith("system:"):
            e.notes.append(f"group '{g}' cannot be migrated: EKS refuses groups starting with system:")
        elif g:
            e.groups.append(g)
    return e


SSO_ROLE = "awsreservedsso_"
SSO_PATH = "aws-reserved/sso.amazonaws.com/"


def sso_arn(arn: str, region: str | None) -> str:
    """An IAM Identity Center role's real ARN from the path-stripped form aws-auth needs;
    `<region>` stands for a region not given (AE101 flags it)."""
    head, _, name = arn.rpartition("/")
    return f"{head}/{SSO_PATH}{region or '<region>'}/{name}"


def _c(text: str) -> str:
    """Text safe inside a `#` comment of any output: no line break can end the comment."""
    return "".join(" " if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029\x85" else ch for ch in text)


def _request(e: Entry, cluster: str) -> dict[str, Any]:
    body: dict[str, Any] = {"clusterName": cluster, "principalArn": e.principal_arn, "type": e.type}
    if e.username:
        body["username"] = e.username
    if e.groups:
        body["kubernetesGroups"] = e.groups
    return body


def render_json(p: Plan, cluster: str) -> str:
    items: list[dict[str, Any]] = []
    for e in p.entries:
        items.append({"operation": "CreateAccessEntry", "request": _request(e, cluster), "source": e.source, "notes": e.notes})
        for pol in e.policies:
            items.append(
                {
                    "operation": "AssociateAccessPolicy",
                    "request": {"clusterName": cluster, "principalArn": e.principal_arn, "policyArn": pol, "accessScope": {"type": "cluster"}},
                    "source": e.source,
                    "notes": [],
                }
            )
    return json.dumps({"requests": items, "not_migrated": p.skipped}, indent=2) + "\n"


def render_aws_cli(p: Plan, cluster: str) -> str:
    q = shlex.quote
    lines = ["#!/usr/bin/env bash", "# Review before running: EKS access entries generated from aws-auth.", "set -euo pipefail", f"CLUSTER={q(cluster)}", ""]
    for e in p.entries:
        lines.append(f"# from {_c(e.source)}")
        lines += [f"# NOTE: {_c(n)}" for n in e.notes]
        cmd = f'aws eks create-access-entry --cluster-name "$CLUSTER" --principal-arn {q(e.principal_arn)} --type {e.type}'
        if e.username:
            cmd += f" --username {q(e.username)}"
        if e.groups:
            cmd += " --kubernetes-groups " + " ".join(q(g) for g in e.groups)
        lines.append(cmd)
        for pol in e.policies:
            lines.append(
                f'aws eks associate-access-policy --cluster-name "$CLUSTER" --principal-arn {q(e.principal_arn)} '
                f"--policy-arn {q(pol)} --access-scope type=cluster"
            )
        lines.append("")
    lines += [f"# NOT MIGRATED: {_c(s)}" for s in p.skipped]
    return "\n".join(lines) + "\n"


def _yaml_str(s: str) -> str:
    return json.dumps(s)  # a JSON string is a valid, safely quoted YAML scalar


def render_eksctl(p: Plan, cluster: str) -> str:
    lines = [
        "# eksctl ClusterConfig: merge accessConfig into the cluster's own (eksctl's default mode, API_AND_CONFIG_MAP,",
        "# reads both access entries and aws-auth; an access entry overrides the aws-auth row of its principal)",
        "apiVersion: eksctl.io/v1alpha5",
        "kind: ClusterConfig",
        "metadata:",
        f"  name: {_yaml_str(cluster)}",
        "accessConfig:",
        "  accessEntries:" if p.entries else "  accessEntries: []",
    ]
    for e in p.entries:
        lines.append(f"    # from {_c(e.source)}")
        lines += [f"    # NOTE: {_c(n)}" for n in e.notes]
        lines.append(f"    - principalARN: {_yaml_str(e.principal_arn)}")
        lines.append(f"      type: {e.type}")
        if e.username:
            lines.append(f"      kubernetesUsername: {_yaml_str(e.username)}")
        if e.groups:
            lines.append("      kubernetesGroups: [" + ", ".join(_yaml_str(g) for g in e.groups) + "]")
        if e.policies:
            lines.append("      accessPolicies:")
            for pol in e.policies:
                lines += [f"        - policyARN: {_yaml_str(pol)}", "          accessScope:", "            type: cluster"]
    lines += [f"# NOT MIGRATED: {_c(s)}" for s in p.skipped]
    return "\n".join(lines) + "\n"


def _hcl(s: str) -> str:
    return json.dumps(s).replace("${", "$${").replace("%{", "%%{")


def _tf_names(entries: list[Entry]) -> dict[str, str]:
    """Terraform addresses from the principal (`role_admins`, `user_alice`), so reordering
    aws-auth never renames a resource; the account is added only where names collide."""
    def base(arn: str, with_account: bool) -> str:
        parts = arn.split(":", 5)
        kind, _, name = parts[5].partition("/")
        raw = f"{kind}_{name.rsplit('/', 1)[-1]}" + (f"_{parts[4]}" if with_account else "")
        return re.sub(r"[^A-Za-z0-9_-]", "_", raw)

    first = [base(e.principal_arn, False) for e in entries]
    names = {}
    for e, name in zip(entries, first, strict=True):
        clash = first.count(name) > 1 or sum(n.lower() == name.lower() for n in first) > 1
        names[e.principal_arn] = base(e.principal_arn, True) if clash else name
    return names


def render_terraform(p: Plan, cluster: str) -> str:
    blocks = [f'locals {{\n  eks_cluster_name = {_hcl(cluster)}\n}}\n']
    names = _tf_names(p.entries)
    for e in p.entries:
        name = names[e.principal_arn]
        notes = "".join(f"# NOTE: {_c(n)}\n" for n in e.notes)
        body = ["  cluster_name  = local.eks_cluster_name", f"  principal_arn = {_hcl(e.principal_arn)}", f"  type          = {_hcl(e.type)}"]
        if e.username:
            body.append(f"  user_name     = {_hcl(e.username)}")
        if e.groups:
            body.append("  kubernetes_groups = [" + ", ".join(_hcl(g) for g in e.groups) + "]")
        blocks.append(f'# from {_c(e.source)}\n{notes}resource "aws_eks_access_entry" "{name}" {{\n' + "\n".join(body) + "\n}\n")
        for j, pol in enumerate(e.policies):
            blocks.append(
                f'resource "aws_eks_access_policy_association" "{name}_policy_{j}" {{\n'
                "  cluster_name  = local.eks_cluster_name\n"
                f"  principal_arn = aws_eks_access_entry.{name}.principal_arn\n"
                f"  policy_arn    = {_hcl(pol)}\n"
                "  access_scope {\n    type = \"cluster\"\n  }\n}\n"
            )
    blocks += [f"# NOT MIGRATED: {_c(s)}\n" for s in p.skipped]
    return "\n".join(blocks)


RENDERERS = {"json": render_json, "aws-cli": render_aws_cli, "eksctl": render_eksctl, "terraform": render_terraform}
