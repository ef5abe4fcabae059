"""`awsauth-lint export access-entries`: the EKS access entries aws-auth should become.

Follows eksctl's migrator (`pkg/actions/accessentry/migrator.go`) and the EKS access entry
rules: node mappings become typed entries (EC2_LINUX, EC2_WINDOWS, FARGATE_LINUX,
HYBRID_LINUX) without username or groups; `system:masters` becomes a STANDARD entry with
AmazonEKSClusterAdminPolicy at cluster scope; other groups become kubernetesGroups.
Groups and usernames EKS refuses, and mapAccounts, are listed as not migratable.
Duplicates resolve as the authenticator does (the last role entry wins).
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from .awsauth import AwsAuthDoc, Mapping

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


def plan(docs: list[AwsAuthDoc]) -> Plan:
    from .rules._common import node_kind

    out = Plan()
    chosen: dict[str, tuple[AwsAuthDoc, Mapping]] = {}
    for doc in docs:
        if doc.kind not in ("configmap", "patch"):
            continue
        for m in [*doc.map_roles, *doc.map_users]:
            if m.arn is None or not m.arn.value.strip():
                continue
            key = m.arn.value.strip().lower()
            if key in chosen:
                prev_doc, prev = chosen[key]
                where = f"{prev_doc.file}:{prev.arn.span.start.line}" if prev.arn else prev_doc.file
                out.skipped.append(
                    f"{where}: {prev.arn.value if prev.arn else key} is mapped again later; the later entry is used "
                    "(the authenticator's last-wins; eksctl's migrator keeps the first)"
                )
            chosen[key] = (doc, m)
        for account in doc.map_accounts:
            out.skipped.append(
                f"{doc.file}:{account.span.start.line}: mapAccounts {account.value} cannot be an access entry; "
                "create entries for the roles that need access"
            )
    for doc, m in chosen.values():
        assert m.arn is not None
        arn = m.arn.value.strip()
        src = f"{doc.file}:{m.arn.span.start.line}"
        role_name = arn.rsplit("/", 1)[-1]
        kind = node_kind(m.username.value if m.username else None, m.group_names, role_name)
        if kind is not None:
            out.entries.append(Entry(arn, NODE_TYPES[kind], source=src))
            continue
        e = Entry(arn, source=src)
        if ":role/" in arn and arn.split(":role/", 1)[1].count("/"):
            e.notes.append("this ARN has an IAM path, so the aws-auth mapping never matched (AA101); access entries do match it")
        elif ":role/" in arn:
            e.notes.append("if the role has an IAM path, put it back in this ARN: access entries need the role's real ARN")
        user = m.username.value if m.username else ""
        if user and user.startswith(RESERVED):
            e.notes.append(f"username '{user}' has a prefix EKS refuses; left for EKS to generate")
        elif user:
            e.username = user
        partition = arn.split(":")[1] if arn.count(":") >= 5 else "aws"
        for g in m.group_names:
            if g == "system:masters":
                e.policies.append(ADMIN_POLICY.format(partition=partition))
            elif g.startswith("system:"):
                e.notes.append(f"group '{g}' cannot be migrated: EKS refuses groups starting with system:")
            else:
                e.groups.append(g)
        out.entries.append(e)
    return out


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
    lines = ["# accessConfig fragment for an eksctl ClusterConfig", "accessConfig:", "  accessEntries:"]
    for e in p.entries:
        lines.append(f"    # from {_c(e.source)}")
        lines += [f"    # NOTE: {_c(n)}" for n in e.notes]
        lines.append(f"    - principalARN: {_yaml_str(e.principal_arn)}")
        lines.append(f"      type: {e.type}")
        if e.username:
            lines.append(f"      username: {_yaml_str(e.username)}")
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


def render_terraform(p: Plan, cluster: str) -> str:
    blocks = [f'locals {{\n  eks_cluster_name = {_hcl(cluster)}\n}}\n']
    for i, e in enumerate(p.entries):
        name = f"entry_{i}"
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
