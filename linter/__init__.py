"""awsauth-lint: a linter for Amazon EKS aws-auth ConfigMaps and the RBAC they rely on."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("awsauth-lint")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
