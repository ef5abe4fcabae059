"""Per-rule options change exactly what their docs say, through the config."""

from __future__ import annotations

from pathlib import Path

import pytest
from awsauth_lint import config as config_mod
from awsauth_lint.config import Config
from awsauth_lint.engine import lint
from awsauth_lint.loader import load_bytes
from awsauth_lint.model import Rule
from helpers import NODE_HEAD, lint_text

HEAD = NODE_HEAD


def codes_at(text: str, code: str, **options: object) -> list[tuple[int, int]]:
    cfg = Config(options={code: options})
    found = lint([load_bytes("aws-auth.yaml", text.encode())], cfg).findings
    return [(f.span.start.line, f.span.start.column) for f in found if f.code == code and f.suppressed is None]


def test_aa301_allow_list() -> None:
    """A break-glass role matching an `allow` glob may have system:masters."""
    text = HEAD + (
        "    - rolearn: arn:aws:iam::111122223333:role/BreakGlass\n      username: bg\n      groups: [system:masters]\n"
        "    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups: [system:masters]\n"
    )
    assert codes_at(text, "AA301") == [(11, 16), (14, 16)]
    assert codes_at(text, "AA301", allow=["arn:aws:iam::*:role/breakglass"]) == [(14, 16)]


def test_aa401_required_node_roles() -> None:
    """Every required node role glob must be mapped as a node."""
    assert codes_at(HEAD, "AA401") == []
    assert codes_at(HEAD, "AA401", **{"required-node-roles": ["*:role/eks-node"]}) == []
    assert codes_at(HEAD, "AA401", **{"required-node-roles": ["*:role/windows-*"]}) == [(5, 3)]


def test_aa102_example_accounts() -> None:
    """Documentation accounts are flagged only when asked."""
    text = HEAD.replace("111122223333", "123456789012")
    assert codes_at(text, "AA102") == []
    assert codes_at(text, "AA102", **{"forbid-example-accounts": True}) == [(6, 16)]


def test_aa105_configured_partition() -> None:
    """With `partition` set, every ARN in another partition is flagged, even when alone."""
    assert codes_at(HEAD, "AA105") == []
    assert codes_at(HEAD, "AA105", partition="aws-cn") == [(6, 16)]


def test_aa201_include_map_users() -> None:
    """mapUsers usernames are checked only with include-map-users."""
    text = HEAD + "  mapUsers: |\n    - userarn: arn:aws:iam::111122223333:user/Alice\n      username: Alice\n"
    assert codes_at(text, "AA201") == []
    assert codes_at(text, "AA201", **{"include-map-users": True}) == [(11, 17)]


def test_aa206_human_role_patterns() -> None:
    """human-role-patterns replaces the default name heuristics (SSO roles always count)."""
    text = HEAD + "    - rolearn: arn:aws:iam::111122223333:role/payments-team\n      username: payments\n      groups: [p]\n"
    assert codes_at(text, "AA206") == []
    assert codes_at(text, "AA206", **{"human-role-patterns": ["*-team"]}) == [(10, 17)]


def test_options_validated_against_the_rule_schema(tmp_path: Path) -> None:
    """A wrong option type is a config error naming the option."""
    cfg = tmp_path / ".awsauth-lint.yaml"
    cfg.write_text("rules:\n  system-masters-group: {allow: arn:aws:iam::*:role/x}\n")
    with pytest.raises(config_mod.ConfigError, match=r"rules\.AA301\.allow"):
        config_mod.load(cfg)


def test_crashing_rule_is_an_internal_error_not_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that raises is reported with its code and the file, and forces exit 2."""
    from awsauth_lint import registry

    rules = registry.all_rules()
    target = next(r for r in rules if r.meta.code == "AA101")

    def boom(doc: object) -> object:
        raise RuntimeError("kaboom")

    broken = tuple(Rule(r.meta, boom, r.doc, r.module) if r is target else r for r in rules)
    monkeypatch.setattr(registry, "all_rules", lambda: broken)
    monkeypatch.setattr(config_mod, "all_rules", lambda: broken)
    result = lint([load_bytes("aws-auth.yaml", HEAD.encode())], Config())
    assert result.exit_code(None) == 2
    assert [e.render() for e in result.errors] == [
        "aws-auth.yaml: error: internal error in rule AA101 (role-arn-with-path): RuntimeError('kaboom')"
    ]
    assert lint_text(HEAD) == []
