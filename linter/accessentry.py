"""EKS access entries declared as code: one model for every format that declares them.

eksctl `ClusterConfig.accessConfig`, CloudFormation `AWS::EKS::AccessEntry` and
`AWS::EKS::Cluster.AccessConfig`, ACK `AccessEntry`/`Cluster`, Crossplane `AccessEntry`,
`AccessPolicyAssociation` and `Cluster`: each format module turns its documents into
these values, with the exact source position of every field, and the access-entry rules
(AExxx) read only these. Facts and field names: ACCESS-ENTRIES.md of the project brief,
summarised in docs/access-entries.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .model import Span, pickled_by_init

Format = Literal["eksctl", "cloudformation", "ack", "crossplane"]
NODE_TYPES = ("EC2_LINUX", "EC2_WINDOWS", "FARGATE_LINUX", "HYBRID_LINUX", "HYPERPOD_LINUX")
TYPES = ("STANDARD", "EC2", *NODE_TYPES)
MODES = ("CONFIG_MAP", "API_AND_CONFIG_MAP", "API")


@pickled_by_init()
@dataclass(frozen=True, slots=True)
class Text:
    """A value as declared. `value` None: unknown at lint time (a CloudFormation intrinsic
    such as `!Ref`); `pattern` is then the text of a `!Sub`/`!Join` whose parts are known
    pseudo-parameters or literals, with each unknown part as `*` (checkable in shape).
    A reference to another object (`!Ref X`, ACK `clusterRef`, Crossplane `...Ref`) has
    value None and `ref` the name it refers to."""

    value: str | None
    span: Span
    json_path: str = ""
    pattern: str | None = None
    # the YAML type it was written as ("str", "int", "float", "bool", "seq", "map"), or
    # "intrinsic" (CloudFormation), "ref" (a reference by name), "selector" (by labels)
    kind: str = "str"
    ref: str | None = None  # the logical id or object name a reference names

    @property
    def known(self) -> bool:
        return self.value is not None


@pickled_by_init()
@dataclass(slots=True)
class Scope:
    type: Text | None  # "cluster" | "namespace"
    namespaces: list[Text] = field(default_factory=list)
    span: Span | None = None
    json_path: str = ""


@pickled_by_init()
@dataclass(slots=True)
class Policy:
    """An access policy associated with an entry (or a Crossplane AccessPolicyAssociation)."""

    arn: Text | None
    scopes: list[Scope] = field(default_factory=list)  # Crossplane: a list; the others: one
    span: Span | None = None
    json_path: str = ""


@pickled_by_init()
@dataclass(slots=True)
class AccessEntry:
    file: str
    format: Format
    span: Span  # the entry's mapping
    json_path: str
    cluster: Text | None = None  # the cluster name as declared (eksctl metadata.name, ClusterName, clusterName/Ref)
    principal: Text | None = None
    type: Text | None = None  # None: the API's default, STANDARD
    username: Text | None = None
    groups: list[Text] = field(default_factory=list)
    policies: list[Policy] = field(default_factory=list)
    problems: list[tuple[Span, str, str]] = field(default_factory=list)  # (where, message, json path): shape errors for AE001
    name: str = ""  # what references name it by: metadata.name (ACK, Crossplane), the logical id (CloudFormation)
    association: bool = False  # a Crossplane AccessPolicyAssociation: its one policy, for the entry it names

    @property
    def type_value(self) -> str:
        return "STANDARD" if self.type is None or self.type.value is None else self.type.value


@pickled_by_init()
@dataclass(slots=True)
class AccessConfig:
    """A cluster's `accessConfig`: how it authenticates. Every cluster a file defines has one,
    written or not (then `span` and `json_path` are the cluster's own and `mode` None)."""

    file: str
    format: Format
    span: Span
    json_path: str
    cluster: Text | None = None
    mode: Text | None = None  # None: the format's default (docs/access-entries.md has them per tool)
    bootstrap_admin: Text | None = None  # bootstrapClusterCreatorAdminPermissions as written
    name: str = ""  # what entries' references name: metadata.name (eksctl, ACK, Crossplane), the logical id (CloudFormation)
    default_mode: str = "CONFIG_MAP"  # the mode when none is written (the format's default, docs/access-entries.md)
    problems: list[tuple[Span, str, str]] = field(default_factory=list)  # shape errors, as for entries
    base: AccessConfig | None = None  # the same cluster's config at the git base (AE405)
    base_ref: str = ""

    @property
    def effective_mode(self) -> str | None:
        """The mode EKS applies: as written, the format's default when absent, None when
        unknown at lint time (an intrinsic) or not one of the exact values."""
        if self.mode is None:
            return self.default_mode
        return self.mode.value if self.mode.value in MODES else None


@pickled_by_init()
@dataclass(frozen=True, slots=True)
class ManagedRole:
    """A role EKS creates its own access entry for: the node role of a managed node group
    or the pod execution role of a Fargate profile (eksctl `managedNodeGroups[].iam.
    instanceRoleARN`, `fargateProfiles[].podExecutionRoleARN`; CloudFormation
    `AWS::EKS::Nodegroup.NodeRole`, `AWS::EKS::FargateProfile.PodExecutionRoleArn`)."""

    file: str
    format: Format
    cluster: Text | None  # as for entries: eksctl metadata.name, CloudFormation ClusterName
    role: Text
    what: str  # for messages: "managed node group 'ng-1'", "Fargate profile 'default'"
    span: Span  # the node group's or profile's mapping
    # An intrinsic role (`!GetAtt NodeRole.Arn`): the JSON paths of the access entries of
    # the same template whose PrincipalArn is the very same expression (never guessed).
    same: tuple[str, ...] = ()


@pickled_by_init()
@dataclass(slots=True)
class Declared:
    """What one file declares."""

    entries: list[AccessEntry] = field(default_factory=list)
    configs: list[AccessConfig] = field(default_factory=list)
    associations: list[tuple[AccessEntry, Policy]] = field(default_factory=list)  # Crossplane: (who, policy) by reference
    managed: list[ManagedRole] = field(default_factory=list)  # roles EKS makes its own entries for

    @property
    def all_entries(self) -> list[AccessEntry]:
        """What rules of scope "access" check: every entry, then every association's (whose
        `policies` hold the association's policy)."""
        return [*self.entries, *(e for e, _ in self.associations)]

    def extend(self, other: Declared) -> None:
        self.entries += other.entries
        self.configs += other.configs
        self.associations += other.associations
        self.managed += other.managed
