"""`.awsauth-lint.yaml`: discovery, validation against `schemas/config.schema.json`."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Rule, Severity
from .nodes import to_python
from .registry import all_rules, lookup
from .selection import enabled, unknown

CONFIG_NAME = ".awsauth-lint.yaml"


class ConfigError(Exception):
    """A configuration problem: reported with exit code 2."""


@dataclass(frozen=True)
class ClusterConfig:
    """One entry of `clusters:`: a named cluster and the files (include globs) that make it up."""

    name: str
    include: tuple[str, ...]
    authentication_mode: str | None = None
    external_groups: tuple[str, ...] = ()
    node_role_arns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    fail_on: Severity | None = Severity.WARNING
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    rbac_paths: tuple[str, ...] = ()
    rbac_required: bool = False
    require_reason: bool = False
    max_file_size: int = 10 * 1024 * 1024
    max_alias_expansion: int = 100_000
    clusters: tuple[ClusterConfig, ...] = ()

    def rules(self) -> list[Rule]:
        return [r for r in all_rules() if enabled(r.meta, self.select, self.ignore)]

    def severity_for(self, rule: Rule) -> Severity:
        return self.severity.get(rule.meta.code, rule.meta.default_severity)

    def ignored_in(self, path: str, rule: Rule) -> bool:
        """Whether `per-file-ignores` switches `rule` off for the file at `path`."""
        if not self.per_file_ignores:
            return False
        from .discover import excluded

        return any(
            not enabled(rule.meta, ("ALL",), codes) and excluded(path, (pattern,), self.root)
            for pattern, codes in self.per_file_ignores
        )

    def cluster_named(self, name: str) -> ClusterConfig | None:
        """The configured cluster of that name; "" (a repository's only cluster) is the
        one configured cluster when there is exactly one."""
        if name == "" and len(self.clusters) == 1:
            return self.clusters[0]
        return next((c for c in self.clusters if c.name == name), None)

    def clusters_of(self, path: str) -> tuple[str, ...]:
        """Names of the configured clusters whose `include` globs match the file at `path`."""
        if not self.clusters:
            return ()
        from .discover import excluded

        return tuple(c.name for c in self.clusters if excluded(path, c.include, self.root))

    def options_for(self, rule: Rule) -> dict[str, Any]:
        raw = self.options.get(rule.meta.code, {})
        return {k.replace("-", "_"): v for k, v in raw.items()}


def find(start: Path) -> Path | None:
    """The nearest `.awsauth-lint.yaml` from `start` upward, stopping at the repository root."""
    here = start.resolve()
    for d in (here, *here.parents):
        candidate = d / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (d / ".git").exists():
            return None
    return None


def load(
    path: Path | None,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    fail_on: str | None = None,
    cwd: Path | None = None,
) -> Config:
    """Build the effective config: file (explicit or discovered), then CLI overrides."""
    cwd = cwd or Path.cwd()
    if path is None:
        path = find(cwd)
    raw: dict[str, Any] = _read(path) if path is not None else {}
    root = path.parent.resolve() if path is not None else cwd.resolve()
    where = str(path) if path is not None else "command line"
    sel = tuple(select) or tuple(raw.get("select", ()))
    ign = tuple(raw.get("ignore", ())) + tuple(ignore)
    metas = [r.meta for r in all_rules()] if (sel or ign or raw.get("per-file-ignores")) else []
    bad = unknown([*sel, *ign], metas)
    if bad:
        raise ConfigError(f"{where}: unknown rule code or name in select/ignore: {', '.join(bad)}")

    severity: dict[str, Severity] = {}
    for key, level in raw.get("severity", {}).items():
        severity[_code(key, where, "severity")] = Severity(level)

    options: dict[str, dict[str, Any]] = {}
    for key, opts in raw.get("rules", {}).items():
        rule = lookup(key)
        if rule is None:
            raise ConfigError(f"{where}: rules: unknown rule '{key}'")
        _check_options(rule, opts, where)
        options[rule.meta.code] = dict(opts)

    level = fail_on or raw.get("fail-on", "warning")
    rbac = raw.get("rbac", {})
    return Config(
        path=path,
        root=root,
        select=sel,
        ignore=ign,
        severity=severity,
        fail_on=None if level == "never" else Severity(level),
        exclude=tuple(raw.get("exclude", ())),
        per_file_ignores=_per_file(raw.get("per-file-ignores", {}), where, metas),
        options=options,
        rbac_paths=tuple(rbac.get("paths", ())),
        rbac_required=bool(rbac.get("required", False)),
        require_reason=bool(raw.get("suppressions", {}).get("require-reason", False)),
        max_file_size=int(raw.get("limits", {}).get("max-file-size", 10 * 1024 * 1024)),
        max_alias_expansion=int(raw.get("limits", {}).get("max-alias-expansion", 100_000)),
        clusters=_clusters(raw.get("clusters", {})),
    )


def _clusters(raw: dict[str, dict[str, Any]]) -> tuple[ClusterConfig, ...]:
    """The `clusters:` mapping (already validated against the schema), in the order written."""
    return tuple(
        ClusterConfig(
            name=name,
            include=tuple(body["include"]),
            authentication_mode=body.get("authentication-mode"),
            external_groups=tuple(body.get("external-groups", ())),
            node_role_arns=tuple(body.get("node-role-arns", ())),
        )
        for name, body in raw.items()
    )


def _per_file(raw: dict[str, list[str]], where: str, metas: list[Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    for codes in raw.values():
        bad = unknown(codes, metas)
        if bad:
            raise ConfigError(f"{where}: per-file-ignores: unknown rule code or name: {', '.join(bad)}")
    return tuple((pattern, tuple(codes)) for pattern, codes in raw.items())


def _code(key: str, where: str, section: str) -> str:
    rule = lookup(key)
    if rule is None:
        raise ConfigError(f"{where}: {section}: unknown rule '{key}'")
    return rule.meta.code


def _read(path: Path) -> dict[str, Any]:
    from .source import compose

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read config: {e}") from None
    composed = compose(text)
    if composed.error is not None:
        s = composed.error.span.start
        raise ConfigError(f"{path}:{s.line}:{s.column}: invalid YAML: {composed.error.message}")
    data = to_python(composed.docs[0]) if composed.docs else None
    if data is None:
        return {}
    _validate(data, "config", str(path), "")
    assert isinstance(data, dict)
    return data


def _check_options(rule: Rule, opts: Any, where: str) -> None:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": rule.meta.options_schema,
    }
    _validate(opts, schema, where, f"rules.{rule.meta.code}")


def _validate(data: Any, schema: str | dict[str, Any], where: str, prefix: str) -> None:
    import jsonschema

    from .schemas import load as load_schema

    resolved = load_schema(schema) if isinstance(schema, str) else schema
    validator = jsonschema.Draft202012Validator(resolved)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    e = errors[0]
    parts = [prefix] if prefix else []
    parts += [str(p) for p in e.absolute_path]
    if e.validator == "additionalProperties" and isinstance(e.instance, dict):
        allowed = set(e.schema.get("properties", {}))
        extra = sorted(k for k in e.instance if k not in allowed)
        key = ".".join([*parts, extra[0]]) if extra else ".".join(parts)
        raise ConfigError(f"{where}: unknown key '{key}'")
    if e.validator == "required" and isinstance(e.instance, dict):
        missing = [k for k in e.validator_value if k not in e.instance]
        raise ConfigError(f"{where}: key '{'.'.join([*parts, *missing[:1]])}' is required")
    if "propertyNames" in e.schema_path and isinstance(e.instance, str):
        raise ConfigError(f"{where}: key '{'.'.join([*parts, e.instance])}': invalid name: {e.message}")
    key = ".".join(parts) or "(top level)"
    raise ConfigError(f"{where}: key '{key}': {e.message}")


def relpath(path: str, root: Path) -> str:
    try:
        return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")
    except ValueError:
        return path
