"""Resource bombs finish quickly with a clear verdict (time bounds are generous, not benchmarks)."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import lint_cli

HEAD = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: aws-auth, namespace: kube-system}\ndata:\n"
NODE = "    - rolearn: arn:aws:iam::111122223333:role/eks-node\n      username: system:node:{{EC2PrivateDNSName}}\n      groups: [system:bootstrappers, system:nodes]\n"


def laughs(indent: str, levels: int = 9) -> str:
    lines = [f"{indent}a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"{indent}a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_in_the_file(tmp_path: Path) -> None:
    """Aliases in the manifest are never expanded: the run is fast and clean of crashes."""
    text = HEAD + "  mapRoles: |\n" + NODE + "extra:\n" + laughs("  ")
    (tmp_path / "aws-auth.yaml").write_text(text)
    out = lint_cli(["aws-auth.yaml"], tmp_path, timeout=60)
    assert out.code in (0, 1)
    assert out.seconds < 30


def test_billion_laughs_inside_map_roles(tmp_path: Path) -> None:
    """An alias bomb inside mapRoles is reported as unparsable for the authenticator, quickly."""
    inner = "    - rolearn: arn:aws:iam::111122223333:role/x\n      bomb:\n" + laughs("        ")
    (tmp_path / "aws-auth.yaml").write_text(HEAD + "  mapRoles: |\n" + NODE + inner)
    out = lint_cli(["--select", "AA001", "aws-auth.yaml"], tmp_path, timeout=60)
    assert out.code == 1
    assert "aws-auth.yaml:5:13: AA001 mapRoles does not parse: YAML aliases add more than 100,000 nodes" in out.stdout
    assert out.seconds < 30


def test_deep_nesting(tmp_path: Path) -> None:
    """Nesting far past Python's recursion limit is an AA001 finding, not a RecursionError."""
    depth = 50_000
    (tmp_path / "aws-auth.yaml").write_text(HEAD + "  mapRoles: " + "[" * depth + "]" * depth + "\n")
    out = lint_cli(["aws-auth.yaml"], tmp_path, timeout=120)
    assert out.code == 1
    assert "AA001" in out.stdout
    inner = HEAD + "  mapRoles: |\n    " + "[" * depth + "]" * depth + "\n"
    (tmp_path / "aws-auth.yaml").write_text(inner)
    out = lint_cli(["aws-auth.yaml"], tmp_path, timeout=120)
    assert out.code == 1
    assert "nesting too deep" in out.stdout


def test_huge_relevant_file_hits_the_size_limit(tmp_path: Path) -> None:
    """A 100 MB file that mentions aws-auth is refused by the size limit, clearly, exit 2."""
    big = tmp_path / "aws-auth.yaml"
    with big.open("w") as fh:
        fh.write(HEAD + "  mapRoles: |\n" + NODE)
        chunk = "# " + "x" * 1022 + "\n"
        for _ in range(100 * 1024):
            fh.write(chunk)
    (tmp_path / "ok.yaml").write_text(HEAD + "  mapRoles: |\n" + NODE)
    out = lint_cli(["."], tmp_path, timeout=120)
    assert out.code == 2
    assert re.search(r"aws-auth\.yaml: error: [\d,]{11} bytes is over the 10,485,760-byte limit \(limits\.max-file-size\); not linted", out.stderr)
    assert "No problems found in 1 file." in out.stdout  # ok.yaml was still linted


def test_huge_irrelevant_file_is_cheap(tmp_path: Path) -> None:
    """A 100 MB manifest that cannot matter is read, not parsed."""
    big = tmp_path / "dashboards.yaml"
    with big.open("w") as fh:
        chunk = "key: " + "v" * 1018 + "\n"
        for _ in range(100 * 1024):
            fh.write(chunk)
    out = lint_cli(["."], tmp_path, timeout=120)
    assert out.code == 0
    assert out.seconds < 60


def test_twenty_thousand_entries(tmp_path: Path) -> None:
    """A 20,000-entry mapRoles (3 MB, over the 1 MiB a cluster allows) finishes in bounded time."""
    entries = "".join(
        f"    - rolearn: arn:aws:iam::111122223333:role/team-{i}\n      username: team-{i}:{{{{SessionName}}}}\n      groups: [team-{i % 50}]\n"
        for i in range(20_000)
    )
    (tmp_path / "aws-auth.yaml").write_text(HEAD + "  mapRoles: |\n" + NODE + entries)
    out = lint_cli(["--select", "AA0,AA1,AA2,AA3,AA4", "aws-auth.yaml"], tmp_path, timeout=300)
    # the only finding: the API server refuses a ConfigMap over 1 MiB
    assert out.code == 1, out.stdout[-2000:]
    assert out.stdout.startswith("aws-auth.yaml:5:3: AA002 data is larger than 1048576 bytes"), out.stdout[-2000:]
    assert "Found 1 problem" in out.stdout


def test_very_long_line(tmp_path: Path) -> None:
    """A 5 MB single-line value inside mapRoles is linted without trouble."""
    long = "x" * 5_000_000
    (tmp_path / "aws-auth.yaml").write_text(HEAD + "  mapRoles: |\n" + NODE + f"    - rolearn: arn:aws:iam::111122223333:role/{long}\n      username: u\n")
    out = lint_cli(["--quiet", "aws-auth.yaml"], tmp_path, timeout=120)
    assert out.code in (0, 1)
