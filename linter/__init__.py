"""awsauth-lint: a linter for Amazon EKS aws-auth ConfigMaps and the RBAC they rely on."""

from __future__ import annotations

# The single source of the version (pyproject.toml reads it); kept literal because
# importlib.metadata costs ~10 ms at start-up, paid by every pre-commit run.
__version__ = "0.1.0"
