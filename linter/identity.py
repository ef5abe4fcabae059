"""Who the authenticator sees: the caller's canonical ARN, and templates rendered for it.

Mirrors aws-iam-authenticator v0.7.18 `arn.Canonicalize`, `getIdentityFromSTSResponse`
and `renderTemplate` (the same logic in v0.5.27): an STS `assumed-role/NAME/SESSION`
becomes `iam ... role/NAME` without any IAM path; the session name is what follows the
last `/`; users, the root user and federated users have no session name (a federated
user's `{{SessionName}}` is empty). A partition the authenticator does not know, or a
resource that is not a role, user, root or federated user, fails at the STS step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .parsemap import PARTITIONS

INSTANCE_ID = re.compile(r"i-([0-9A-Za-z_]{8}|[0-9A-Za-z_]{17})\Z")
DNS_NAME = "<private DNS name of {}>"  # what {{EC2PrivateDNSName}} becomes: EC2 knows it, we do not
ACCESS_KEY = "<access key id>"


class IdentityError(ValueError):
    """IDENTITY is not something STS could answer (the authenticator would reject it too)."""


@dataclass(frozen=True, slots=True)
class Caller:
    arn: str  # as given
    canonical: str  # what the authenticator looks up ("" when the STS step fails)
    account: str
    kind: str  # role, user, root, federated-user, or "" when the STS step fails
    session: str = ""
    error: str = ""  # why the authenticator rejects the caller before any lookup
    converted: str = ""  # a role ARN given instead of an assumed-role ARN: the ARN used


def caller(arn: str, session_name: str | None = None) -> Caller:
    """Canonicalise what `aws sts get-caller-identity` prints, as the authenticator does.

    A plain role ARN (`iam ... role/[PATH/]NAME`) is taken as that role assumed with
    `session_name`: that is what its callers look like to STS.
    """
    text = arn.strip()
    parts = text.split(":", 5)
    if not text.startswith("arn:") or len(parts) != 6:
        raise IdentityError(f"not an ARN: {arn!r}")
    _, part, service, _, account, resource = parts
    if service == "iam" and resource.startswith("role/"):
        name = resource.rsplit("/", 1)[-1]
        assumed = f"arn:{part}:sts::{account}:assumed-role/{name}/{session_name or ''}"
        return _canonical(assumed, part, "sts", account, assumed.split(":", 5)[5], converted=assumed)
    return _canonical(text, part, service, account, resource)


def _canonical(arn: str, part: str, service: str, account: str, resource: str, converted: str = "") -> Caller:
    def fail(why: str) -> Caller:
        return Caller(arn, "", account, "", error=why, converted=converted)

    if part not in PARTITIONS:
        return fail(f"arn '{arn}' does not have a recognized partition")
    pieces = resource.split("/")
    head = pieces[0]
    if service == "sts" and head == "federated-user":
        return Caller(arn, arn, account, "federated-user", converted=converted)
    if service == "sts" and head == "assumed-role":
        if len(pieces) < 3:
            raise IdentityError(f"assumed-role ARN without a session name: {arn}")
        role = "/".join(pieces[1:-1])
        return Caller(arn, f"arn:{part}:iam::{account}:role/{role}", account, "role", pieces[-1], converted=converted)
    if service == "iam" and head in ("role", "user", "root"):
        return Caller(arn, arn, account, head, converted=converted)
    raise IdentityError(f"not a caller identity the authenticator maps (a role, user, root or federated user): {arn}")


def render(template: str, c: Caller) -> tuple[str, str]:
    """`renderTemplate`: (text, error). Only `{{EC2PrivateDNSName}}` can fail: it needs a
    session name that is an EC2 instance id."""
    if "{{EC2PrivateDNSName}}" in template:
        if not INSTANCE_ID.match(c.session):
            return "", f"{{{{EC2PrivateDNSName}}}} needs an EC2 instance id as the session name, not '{c.session}'"
        template = template.replace("{{EC2PrivateDNSName}}", DNS_NAME.format(c.session))
    template = template.replace("{{AccountID}}", c.account)
    template = template.replace("{{SessionName}}", c.session.replace("@", "-"))
    template = template.replace("{{SessionNameRaw}}", c.session)
    return template.replace("{{AccessKeyID}}", ACCESS_KEY), ""
