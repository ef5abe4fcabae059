"""Who can get into each cluster, and with what power: the access review.

Per cluster, every principal that gets in — through the aws-auth rows the current
authenticator keeps (`effective`), or through EKS access entries (`eksaccess`), the
cluster's authentication mode deciding which store counts and an access entry
overriding the aws-auth row of its principal — with the username and groups it gets
(templates shown as templates), its access policies, and what RBAC plus those policies
let it do (`permissions`): a level per scope and the sensitive permissions it holds.
`access` (tables) and `access --base` (what a change does) read only this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Where = tuple[str, int, int]  # file, line, column


@dataclass(frozen=True, slots=True)
class Reason:
    """A grant that makes up a level or a sensitive permission, and where it is declared."""

    text: str  # "ClusterRoleBinding ops-admins -> ClusterRole/cluster-admin", "AmazonEKSViewPolicy (access policy)"
    subject: str = ""  # what it applies to: "group ops", "user alice", "policy" (an access policy), "built-in"
    role: str = ""  # "ClusterRole/cluster-admin", "Role/deployer", or the policy's name
    scope: str = "cluster"  # "cluster" or "namespace NAME"
    file: str = ""
    line: int = 0
    role_file: str = ""  # where the role it grants is defined (a change to the role changes the grant)
    role_line: int = 0


@dataclass(slots=True)
class Holder:
    """A principal that gets into the cluster, and what it may do there."""

    key: str  # identity across trees: "role arn:aws:iam::111122223333:role/ops" (lower case), "account 111122223333"
    principal: str  # the ARN as written (an access entry's keeps its IAM path), or the account id
    kind: str  # "role", "user" or "account"
    via: str  # "aws-auth mapRoles", "aws-auth mapUsers", "aws-auth mapAccounts", "access entry (eksctl)", ...
    where: Where  # the aws-auth row's ARN, or the access entry's principal
    username: str  # as configured: templates stay templates ("" for mapAccounts: the caller's ARN)
    groups: list[str] = field(default_factory=list)
    policies: list[tuple[str, str]] = field(default_factory=list)  # (policy name, "cluster" or "namespace a, b")
    levels: dict[str, str] = field(default_factory=dict)  # "cluster" and "namespace NAME" -> level
    sensitive: dict[str, list[str]] = field(default_factory=dict)  # id -> scopes ("cluster", "namespace NAME")
    reasons: list[Reason] = field(default_factory=list)  # the grants behind the levels
    notes: list[str] = field(default_factory=list)

    @property
    def level(self) -> str:
        """The highest level over every scope (for sorting and thresholds)."""
        return max(self.levels.values(), key=rank, default="nothing")


@dataclass(slots=True)
class Dead:
    """An aws-auth row or access entry that lets nobody in, and why."""

    principal: str
    where: Where
    reason: str
    key: str = ""


@dataclass(slots=True)
class ClusterAccess:
    name: str  # the cluster ("" when the repository holds one)
    mode: str | None  # the authentication mode, None when unknown or not declared
    mode_origin: str  # where the mode comes from, in words
    holders: list[Holder] = field(default_factory=list)
    dead: list[Dead] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# Levels, lowest first: "custom" is more than nothing and less than view, unless it holds a
# sensitive permission (reported apart).
ORDER = ("nothing", "custom", "view", "edit", "admin", "cluster-admin")


def rank(level: str) -> int:
    return ORDER.index(level) if level in ORDER else 0


@dataclass(slots=True)
class Change:
    """One thing a change does to who can do what on a cluster."""

    cluster: str
    principal: str  # as written in the new tree (or the base, for a removed principal)
    what: str  # "added", "removed", "username", "groups", "policies", "level", "sensitive"
    before: str  # "" for added
    after: str  # "" for removed
    escalation: bool  # a gain in power: listed first and marked
    where: str  # "file:line" in the new tree, or "deleted in this change"
    detail: str = ""  # a sentence saying what it means

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        return (0 if self.escalation else 1, self.cluster, self.principal, self.what)


@dataclass(slots=True)
class Diff:
    base: str  # the git ref compared with
    changes: list[Change] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)  # every cluster compared, in order

    @property
    def escalations(self) -> list[Change]:
        return [c for c in self.changes if c.escalation]
