"""A small ARN parser for the IAM principals aws-auth maps.

`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, with the resource split into its type
(`role`, `user`, `assumed-role`, ...), IAM path and name. Validation follows what the
authenticator can ever match, not what IAM accepts in general.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
SSO_PREFIX = "aws-reserved/sso.amazonaws.com/"
PLACEHOLDER = re.compile(
    r"<[^>]*>|\$\{[^}]*\}|\$[A-Z_]{3,}|\{\{[^}]*\}\}|X{4,}|x{12}|\b(?:ACCOUNT[_-]?ID|ACCOUNT|AWS_ACCOUNT(?:_ID)?|"
    r"ROLE[_-]?NAME|YOUR[_-][A-Z_-]+|REPLACE[_-]?ME|CHANGE[_-]?ME)\b"
)
EXAMPLE_ACCOUNTS = ("111122223333", "123456789012", "444455556666", "777788889999")


@dataclass(frozen=True, slots=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str  # everything after the account
    type: str  # role, user, assumed-role, instance-profile, root, federated-user, ...
    path: str  # IAM path between the type and the name, without slashes at the ends
    name: str

    @property
    def sso(self) -> bool:
        """An IAM Identity Center role (its path is aws-reserved/sso.amazonaws.com/...)."""
        return (self.path + "/").startswith(SSO_PREFIX)

    def without_path(self) -> str:
        return f"arn:{self.partition}:{self.service}:{self.region}:{self.account}:{self.type}/{self.name}"


_SPACE = re.compile(r"\s")


@lru_cache(maxsize=65536)
def problem(text: str) -> str | None:
    """Why `text` is not an ARN the authenticator could match, or None."""
    m = PLACEHOLDER.search(text)
    if m is not None:
        return f"contains the placeholder '{m.group(0)}'"
    if text != text.strip():
        return "has leading or trailing whitespace"
    if _SPACE.search(text):
        return "contains whitespace"
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return "is not of the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE"
    _, partition, service, _region, account, resource = parts
    if partition not in PARTITIONS:
        return f"has unknown partition '{partition}' (known: {', '.join(PARTITIONS)})"
    if not service:
        return "has no service (iam or sts)"
    if account and not re.fullmatch(r"[0-9]{12}", account):
        return f"has account '{account}', not a 12-digit AWS account id"
    if not account and service in ("iam", "sts"):
        return "has no account id"
    if not resource or resource.endswith("/"):
        return "has no resource name"
    return None


@lru_cache(maxsize=65536)
def parse(text: str) -> Arn | None:
    """The parts of a well-formed ARN, or None (see `problem` for why)."""
    if problem(text) is not None:
        return None
    _, partition, service, region, account, resource = text.split(":", 5)
    if "/" in resource:
        rtype, rest = resource.split("/", 1)
        path, _, name = rest.rpartition("/")
    else:
        rtype, path, name = resource, "", ""
    return Arn(partition, service, region, account, resource, rtype, path, name)
