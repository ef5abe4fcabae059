"""`clusters:` in `.awsauth-lint.yaml`: loaded into ClusterConfig, validated like the rest, matched by glob."""

from __future__ import annotations

from pathlib import Path

import pytest
from awsauth_lint import config as config_mod
from awsauth_lint.config import ClusterConfig, Config
from helpers import lint_cli

VALID = """\
clusters:
  prod:
    include: ["clusters/prod/**", "rbac/**"]
    authentication-mode: API_AND_CONFIG_MAP
    external-groups: [oncall]
    node-role-arns: ["arn:aws:iam::*:role/prod-nodes"]
  staging:
    include: ["clusters/staging/**", "rbac/**"]
  eu-west-1.dev_2:
    include: [clusters/dev/aws-auth.yaml]
    authentication-mode: CONFIG_MAP
"""


def test_valid_clusters_load_in_the_order_written(tmp_path: Path) -> None:
    """Every key becomes a field of ClusterConfig; omitted options take their defaults."""
    path = tmp_path / ".awsauth-lint.yaml"
    path.write_text(VALID)
    cfg = config_mod.load(path)
    assert cfg.clusters == (
        ClusterConfig(
            name="prod",
            include=("clusters/prod/**", "rbac/**"),
            authentication_mode="API_AND_CONFIG_MAP",
            external_groups=("oncall",),
            node_role_arns=("arn:aws:iam::*:role/prod-nodes",),
        ),
        ClusterConfig(name="staging", include=("clusters/staging/**", "rbac/**")),
        ClusterConfig(
            name="eu-west-1.dev_2", include=("clusters/dev/aws-auth.yaml",), authentication_mode="CONFIG_MAP"
        ),
    )
    hash(cfg.clusters)  # frozen all the way down


def test_no_clusters_key_and_an_empty_mapping_mean_no_configured_clusters(tmp_path: Path) -> None:
    path = tmp_path / ".awsauth-lint.yaml"
    path.write_text("fail-on: error\n")
    assert config_mod.load(path).clusters == ()
    path.write_text("clusters: {}\n")
    assert config_mod.load(path).clusters == ()
    assert Config().clusters == ()
    assert Config().clusters_of("clusters/prod/aws-auth.yaml") == ()


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("clusters:\n  prod: {authentication-mode: API}\n", "key 'clusters.prod.include' is required"),
        ("clusters:\n  prod: {include: []}\n", "key 'clusters.prod.include'"),
        ("clusters:\n  prod: {include: clusters/prod}\n", "key 'clusters.prod.include'"),
        ("clusters:\n  prod: {include: ['']}\n", "key 'clusters.prod.include.0'"),
        (
            "clusters:\n  prod: {include: [a], authentication-mode: api}\n",
            "key 'clusters.prod.authentication-mode': 'api' is not one of",
        ),
        ("clusters:\n  prod/eu: {include: [a]}\n", "key 'clusters.prod/eu': invalid name"),
        ("clusters:\n  -prod: {include: [a]}\n", "key 'clusters.-prod': invalid name"),
        ("clusters:\n  'prod eu': {include: [a]}\n", "key 'clusters.prod eu': invalid name"),
        ("clusters:\n  prod: {include: [a], node-roles: [x]}\n", "unknown key 'clusters.prod.node-roles'"),
        ("clusters:\n  prod: {include: [a], external-groups: oncall}\n", "key 'clusters.prod.external-groups'"),
        ("clusters:\n  prod: {include: [a], node-role-arns: [1]}\n", "key 'clusters.prod.node-role-arns.0'"),
        ("clusters: [prod]\n", "key 'clusters'"),
        ("clusters:\n", "key 'clusters'"),
        ("clusters:\n  prod: [clusters/prod/**]\n", "key 'clusters.prod'"),
    ],
)
def test_bad_clusters_are_exit_2_naming_the_key(tmp_path: Path, body: str, needle: str) -> None:
    """Each wrong shape stops the CLI with exit 2 and a message naming the key and the file."""
    (tmp_path / ".awsauth-lint.yaml").write_text(body)
    (tmp_path / "empty.yaml").write_text("a: 1\n")
    out = lint_cli(["empty.yaml"], cwd=tmp_path)
    assert out.code == 2, out.stdout + out.stderr
    assert needle in out.stderr
    assert ".awsauth-lint.yaml" in out.stderr
    with pytest.raises(config_mod.ConfigError):
        config_mod.load(tmp_path / ".awsauth-lint.yaml")


def test_valid_clusters_pass_the_cli(tmp_path: Path) -> None:
    (tmp_path / ".awsauth-lint.yaml").write_text(VALID)
    (tmp_path / "empty.yaml").write_text("a: 1\n")
    out = lint_cli(["empty.yaml"], cwd=tmp_path)
    assert out.code == 0, out.stderr


def test_clusters_of_matches_include_globs_like_exclude(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Names of every cluster whose globs match, in config order; relative to the config file."""
    path = tmp_path / ".awsauth-lint.yaml"
    path.write_text(
        VALID + "  shared-only:\n    include: [rbac]\n  any-kustomization:\n    include: [kustomization.yaml]\n"
    )
    cfg = config_mod.load(path)
    root = tmp_path
    assert cfg.clusters_of(str(root / "clusters/prod/aws-auth.yaml")) == ("prod",)
    assert cfg.clusters_of(str(root / "clusters/staging/deep/er/binding.yaml")) == ("staging",)
    assert cfg.clusters_of(str(root / "rbac/admins.yaml")) == ("prod", "staging", "shared-only")
    assert cfg.clusters_of(str(root / "clusters/dev/aws-auth.yaml")) == ("eu-west-1.dev_2",)
    assert cfg.clusters_of(str(root / "clusters/dev/other.yaml")) == ()
    assert cfg.clusters_of(str(root / "clusters/production/aws-auth.yaml")) == ()
    # a pattern without '/' matches a path component anywhere, as in exclude
    assert cfg.clusters_of(str(root / "env/prod/kustomization.yaml")) == ("any-kustomization",)
    assert cfg.clusters_of("-") == ()
    # relative paths are taken from the working directory, globs from the config file's directory
    sub = root / "clusters"
    sub.mkdir()
    monkeypatch.chdir(sub)
    assert cfg.clusters_of("prod/aws-auth.yaml") == ("prod",)
    assert cfg.clusters_of("../rbac/x.yaml") == ("prod", "staging", "shared-only")
