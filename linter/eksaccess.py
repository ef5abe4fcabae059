"""The EKS clusters a set of files declares access for: each cluster's authentication mode
and its access entries, across files and formats.

A file declares entries for a cluster by name (eksctl `metadata.name`, CloudFormation
`ClusterName`, ACK `clusterName`, Crossplane `clusterName`) or by reference (CloudFormation
`!Ref Logical`, ACK `clusterRef`, Crossplane `clusterNameRef`): a reference finds the
cluster object of that name (a CloudFormation logical id only in its own template), and
that object's cluster name joins it with entries written by name. A cluster no file
defines has an unknown mode; an entry whose cluster is an intrinsic or a selector is
grouped with the entries of the same expression in the same file. Nothing is guessed:
a cluster's mode is known only from a literal (or from the format's default when its
cluster object writes none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .accessentry import AccessConfig, AccessEntry, Declared, ManagedRole, Policy
from .arn import parse

EXACT_MODES = ("CONFIG_MAP", "API_AND_CONFIG_MAP", "API")


@dataclass(slots=True)
class EksCluster:
    """One EKS cluster as the files declare it."""

    name: str  # the EKS cluster name, else what references call it ("" when unknown)
    configs: list[AccessConfig] = field(default_factory=list)  # the objects defining it (usually one)
    entries: list[AccessEntry] = field(default_factory=list)  # entries and Crossplane associations
    configured: str | None = None  # the config's `clusters:` mode, for a cluster no file defines
    managed: list[ManagedRole] = field(default_factory=list)  # roles EKS makes its own entries for (AE103)

    @property
    def config(self) -> AccessConfig | None:
        return self.configs[0] if self.configs else None

    @property
    def mode(self) -> str | None:
        """The authentication mode, None when unknown (no cluster object and none
        configured, or an intrinsic)."""
        c = self.config
        if c is None:
            return self.configured
        if c.mode is None:
            return c.default_mode
        return c.mode.value if c.mode.value in EXACT_MODES else None

    @property
    def mode_written(self) -> bool:
        c = self.config
        return c is not None and c.mode is not None

    @property
    def standing(self) -> list[AccessEntry]:
        """The entries proper (not Crossplane policy associations)."""
        return [e for e in self.entries if not e.association]


def clusters(declared: Iterable[Declared]) -> list[EksCluster]:
    """Group what the files declare by EKS cluster, in the order first declared."""
    declared = list(declared)
    out: list[EksCluster] = []
    by_name: dict[str, EksCluster] = {}
    by_ref: dict[tuple[str, str], EksCluster] = {}  # (file or "", object name) -> cluster
    for d in declared:
        for c in d.configs:
            name = c.cluster.value if c.cluster is not None and c.cluster.value else ""
            ec = by_name.get(name) if name else None
            if ec is None:
                ec = EksCluster(name or c.name)
                out.append(ec)
                if name:
                    by_name[name] = ec
            ec.configs.append(c)
            if c.name:
                by_ref[(c.file if c.format == "cloudformation" else "", c.name)] = ec
            if c.format == "cloudformation" and c.cluster is not None and c.cluster.ref:
                # `Name: !Ref ClusterName`: an entry's `ClusterName: !Ref ClusterName` is this cluster
                by_ref.setdefault((c.file, c.cluster.ref), ec)
    for d in declared:
        for e in d.all_entries:
            _cluster_of(e, out, by_name, by_ref).entries.append(e)
    for d in declared:
        for m in d.managed:
            ec = _managed_cluster(m, by_name, by_ref)
            if ec is not None:
                ec.managed.append(m)
    return out


def _managed_cluster(
    m: ManagedRole, by_name: dict[str, EksCluster], by_ref: dict[tuple[str, str], EksCluster]
) -> EksCluster | None:
    """The cluster of a managed node group or Fargate profile, matched as an entry's is, by
    name or by a reference in its own template, among the clusters already found; None
    when there is none (no cluster is made for it) or its cluster is another intrinsic."""
    t = m.cluster
    if t is not None and t.value:
        return by_name.get(t.value)
    if t is not None and t.ref is not None:
        return by_ref.get((m.file if m.format == "cloudformation" else "", t.ref))
    return None


def _cluster_of(
    e: AccessEntry, out: list[EksCluster], by_name: dict[str, EksCluster], by_ref: dict[tuple[str, str], EksCluster]
) -> EksCluster:
    t = e.cluster
    if e.format == "eksctl" and t is not None and t.value:
        return by_name[t.value] if t.value in by_name else _new(out, by_name, t.value)
    if t is not None and t.value:
        return by_name.get(t.value) or _new(out, by_name, t.value)
    if t is not None and t.ref is not None:
        key = (e.file if e.format == "cloudformation" else "", t.ref)
        if key not in by_ref:
            by_ref[key] = _new(out, {}, "")
            by_ref[key].name = t.ref
        return by_ref[key]
    what = f"{e.file}\0{t.pattern if t is not None else ''}\0{t.kind if t is not None else 'none'}"
    key = ("?", what)
    if key not in by_ref:
        by_ref[key] = _new(out, {}, "")
    return by_ref[key]


def _new(out: list[EksCluster], by_name: dict[str, EksCluster], name: str) -> EksCluster:
    ec = EksCluster(name)
    out.append(ec)
    if name:
        by_name[name] = ec
    return ec


def for_awsauth(found: list[EksCluster], project_cluster: str) -> EksCluster | None:
    """The declared cluster an aws-auth of a repository cluster belongs to: the one named
    like the repository cluster, else in a repository of one cluster the only one declared,
    else in a repository of several the only one declared in a file under a directory of
    the repository cluster's name (one in a shared file is not this cluster's for being the
    only one); None when that is not clear."""
    named = [c for c in found if c.name and c.name == project_cluster]
    if len(named) == 1:
        return named[0]
    if not project_cluster:
        return found[0] if len(found) == 1 else None
    step = f"/{project_cluster}/"
    files = [[x.file for x in c.configs] + [x.file for x in c.entries] for c in found]
    located = [c for c, names in zip(found, files, strict=True) if any(step in "/" + f.replace("\\", "/") for f in names)]
    return located[0] if len(located) == 1 else None


def paired(found: list[EksCluster], project_cluster: str, configured: str | None = None) -> EksCluster | None:
    """`for_awsauth`, with the mode the config gives the repository cluster (`clusters:`
    `authentication-mode`): it fills in the mode of a declared cluster no file defines,
    and stands for the cluster when none is declared (added to `found`). A mode a file
    writes is never overridden."""
    ec = for_awsauth(found, project_cluster)
    if configured is None:
        return ec
    if ec is None:
        ec = EksCluster(project_cluster, configured=configured)
        found.append(ec)
    elif ec.config is None:
        ec.configured = configured
    return ec


def principal_key(arn: str) -> tuple[str, str, str, str] | None:
    """What identifies an IAM principal for EKS: partition, account, role or user, and the
    lower-cased name without its path (IAM names are unique per account whatever their
    path, and case-insensitive). None for anything else."""
    a = parse(arn)
    if a is None or a.service != "iam" or a.type not in ("role", "user") or not a.name:
        return None
    return (a.partition, a.account, a.type, a.name.lower())


def policy_name(p: Policy) -> str | None:
    """The access policy's name from its ARN (`.../cluster-access-policy/<Name>`), if known."""
    if p.arn is None or not p.arn.value or "cluster-access-policy/" not in p.arn.value:
        return None
    return p.arn.value.rsplit("/", 1)[1] or None


def at(file: str, line: int) -> str:
    """Where something is, as messages name it: an absolute path (a context file of the
    repository, a file given so) relative to the working directory when under it, as
    reports name files; else as given (no machine path where a relative one says it)."""
    import os.path  # here: the rest of the module needs no os

    if os.path.isabs(file):
        try:
            rel = os.path.relpath(file)
        except ValueError:  # another drive
            rel = os.pardir
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            file = rel.replace(os.sep, "/")
    return f"{file}:{line}"


def mode_origin(ec: EksCluster) -> str:
    """Where a cluster's mode comes from, for messages: the line that writes it, or the
    format's default."""
    c = ec.config
    if c is None:
        return "set by the config's clusters: entry" if ec.configured else "no file defines the cluster"
    if c.mode is not None:
        return f"set at {at(c.file, c.mode.span.start.line)}"
    return f"the {FORMAT_NAMES[c.format]} default, {at(c.file, c.span.start.line)} sets no mode"


FORMAT_NAMES = {"eksctl": "eksctl", "cloudformation": "CloudFormation", "ack": "ACK", "crossplane": "Crossplane"}


def label(ec: EksCluster) -> str:
    return f"cluster '{ec.name}'" if ec.name else "the cluster"


def default_username(arn: str) -> str:
    """The username EKS gives an entry that writes none: for a role, its assumed-role
    session ARN with `{{SessionName}}`; for a user, the user ARN (ACCESS-ENTRIES.md §1.4)."""
    a = parse(arn)
    if a is not None and a.type == "role":
        return f"arn:{a.partition}:sts::{a.account}:assumed-role/{a.name}/{{{{SessionName}}}}"
    return arn


def grants(e: AccessEntry) -> str:
    """What an entry gives, in words: username, groups and policies with their scopes."""
    principal = e.principal.value if e.principal is not None and e.principal.value else ""
    if e.username is not None:
        user = f"username '{e.username.value}'" if e.username.value is not None else "a username unknown at lint time"
    else:
        user = f"username '{default_username(principal)}' (EKS's default)" if principal else "EKS's default username"
    if e.type_value != "STANDARD":
        return f"the node identity of type {e.type_value}"
    groups = [g.value for g in e.groups if g.value is not None]
    parts = [user, f"groups [{', '.join(groups)}]" if groups else "no groups"]
    for p in e.policies:
        name = policy_name(p) or "a policy unknown at lint time"
        scopes = [s for s in p.scopes if s.type is not None and s.type.value]
        where = "; ".join(
            "cluster-wide" if s.type is not None and s.type.value == "cluster"
            else "in namespaces " + ", ".join(n.value or "?" for n in s.namespaces)
            for s in scopes
        )
        parts.append(f"{name} {where}".strip())
    return ", ".join(parts)
