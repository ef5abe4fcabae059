"""A small ARN parser for the IAM principals aws-auth maps.

`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, with the resource split into its type
(`role`, `user`, `assumed-role`, ...), IAM path and name. Validation follows what the
authenticator can ever match, not what IAM accepts in general. The authenticator
compares lower-cased ARNs, so partition, service and resource type are normalised to
lower case here; the name keeps its case.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache

PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
SSO_PREFIX = "aws-reserved/sso.amazonaws.com/"
# AWS documentation accounts: flagged only with AA102's `forbid-example-accounts`.
EXAMPLE_ACCOUNTS = frozenset({"111122223333", "123456789012", "444455556666", "777788889999"})

# Template and variable syntax: none of these characters can appear in an IAM ARN.
_BRACKETED = re.compile(r"<[^<>]*>|\$\{[^}]*\}?|\{\{[^}]*\}\}|\$[A-Za-z_][A-Za-z0-9_]{2,}")
# Placeholder words written in the account field.
_ACCOUNT_WORD = re.compile(r"^(?:[Xx]{4,}|(?:AWS[_-]?)?ACCOUNT(?:[_-]?(?:ID|NUMBER))?|account[_-]?id)$")
_IAM_NAME = re.compile(r"[A-Za-z0-9_+=,.@-]+")
_SPACE = re.compile(r"\s")
NAMED_TYPES = ("role", "user", "assumed-role", "federated-user", "instance-profile", "group", "policy")


@dataclass(frozen=True, slots=True)
class Arn:
    text: str  # as written
    partition: str  # lower case
    service: str  # lower case
    region: str
    account: str
    type: str  # lower case: role, user, assumed-role, instance-profile, root, federated-user, fargateprofile...
    path: str  # between the type and the name, without slashes at the ends ('' when none)

    # Read from `text` when asked for: every distinct ARN of a run stays in the cache.
    @property
    def resource(self) -> str:
        """Everything after the account, as written."""
        return self.text.split(":", 5)[5]

    @property
    def name(self) -> str:
        """The last segment ('' for root)."""
        _, slash, rest = self.resource.partition("/")
        return rest.rsplit("/", 1)[-1] if slash else ""

    @property
    def sso(self) -> bool:
        """An IAM Identity Center role (its path is aws-reserved/sso.amazonaws.com/[REGION/])."""
        return (self.path + "/").lower().startswith(SSO_PREFIX)

    def without_path(self) -> str:
        """The ARN with its IAM path removed, everything else exactly as written."""
        if not self.path:
            return self.text
        head = self.text[: len(self.text) - len(self.resource)]
        return f"{head}{self.resource.split('/', 1)[0]}/{self.name}"

    @property
    def canonical(self) -> str:
        """The key the authenticator compares: lower case, roles without their path."""
        return (self.without_path() if self.type == "role" else self.text).lower()


@dataclass(frozen=True, slots=True)
class ArnError:
    """Why a text is not an ARN the authenticator could ever match."""

    kind: str  # placeholder, whitespace, character, form, partition, service, region, account, name
    reason: str  # completes "ARN '...' ..." : "contains the placeholder '<ACCOUNT_ID>'"

    def __str__(self) -> str:
        return self.reason


@cache
def analyse(text: str) -> Arn | ArnError:
    """The parts of `text`, or why it is not a usable principal ARN.

    Every mapping's ARN is read by several rules, one rule after the other: a bounded
    cache smaller than the number of distinct ARNs would miss on every call. The
    repeated parts (partition, service, account, type) are interned.
    """
    m = _BRACKETED.search(text)
    if m is not None:
        return ArnError("placeholder", f"contains the placeholder '{m.group(0)}'")
    if text != text.strip():
        return ArnError("whitespace", "has leading or trailing whitespace")
    if _SPACE.search(text):
        return ArnError("whitespace", "contains whitespace")
    odd = next((c for c in text if not "!" <= c <= "~"), None)
    if odd is not None:
        return ArnError("character", f"contains the character U+{ord(odd):04X}; ARNs are plain ASCII")
    parts = text.split(":", 5)
    if len(parts) != 6 or parts[0].lower() != "arn":
        return ArnError("form", "is not of the form arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE")
    _, partition, service, region, account, resource = parts
    partition, service = partition.lower(), service.lower()
    if _ACCOUNT_WORD.match(account):
        return ArnError("placeholder", f"contains the placeholder '{account}'")
    if partition not in PARTITIONS:
        return ArnError("partition", f"has unknown partition '{partition}' (known: {', '.join(PARTITIONS)})")
    if not service:
        return ArnError("service", "has no service (iam or sts)")
    if "*" in text or "?" in text:
        return ArnError("character", "contains a wildcard, but aws-auth compares ARNs literally")
    if account and not re.fullmatch(r"[0-9]{12}", account):
        return ArnError("account", f"has account '{account}', not a 12-digit AWS account id")
    if service in ("iam", "sts"):
        if not account:
            return ArnError("account", "has no account id")
        if region:
            return ArnError("region", f"has region '{region}'; IAM and STS ARNs have none (arn:PARTITION:{service}::ACCOUNT:...)")
    return _resource(text, partition, service, region, account, resource)


def _resource(text: str, partition: str, service: str, region: str, account: str, resource: str) -> Arn | ArnError:
    rtype, slash, rest = resource.partition("/")
    rtype = rtype.lower()
    segments = rest.split("/")
    if not rtype or (slash and not rest) or resource.endswith("/"):
        return ArnError("name", "has no resource name")
    if slash and "" in segments:
        return ArnError("name", "has an empty IAM path segment ('//')")
    name = segments[-1]
    if rtype in NAMED_TYPES and not name:
        return ArnError("name", f"has no {rtype} name")
    if service == "iam" and rtype in ("role", "user"):
        if not _IAM_NAME.fullmatch(name):
            return ArnError("name", f"has the {rtype} name '{name}'; IAM names use only letters, digits and _+=,.@-")
        if len(name) > 64:
            return ArnError("name", f"has a {rtype} name of {len(name)} characters; IAM allows at most 64")
    i = sys.intern
    return Arn(text, i(partition), i(service), i(region), i(account), i(rtype), "/".join(segments[:-1]))


def parse(text: str) -> Arn | None:
    """The parts of a well-formed ARN, or None (see `analyse` for why)."""
    got = analyse(text)
    return got if isinstance(got, Arn) else None


def problem(text: str) -> str | None:
    """Why `text` is not an ARN the authenticator could match, or None."""
    got = analyse(text)
    return got.reason if isinstance(got, ArnError) else None


def is_example_account(account: str) -> bool:
    return account in EXAMPLE_ACCOUNTS
