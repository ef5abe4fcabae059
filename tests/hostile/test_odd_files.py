"""Odd files get a one-line diagnostic naming them; the rest of the run goes on."""

from __future__ import annotations

import builtins
import os
from pathlib import Path

import pytest
from awsauth_lint import loader
from awsauth_lint.model import Severity
from helpers import lint_cli, lint_paths

GOOD = """apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/team/ops
      username: ops
      groups: [system:bootstrappers, system:nodes]
"""


def with_good(tmp_path: Path) -> None:
    (tmp_path / "aws-auth.yaml").write_text(GOOD)


@pytest.mark.parametrize(
    ("name", "data", "stderr", "code"),
    [
        ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00aws-auth", "binary.yaml:3: error: binary file (contains NUL bytes)", 2),
        ("latin1.yaml", "kind: ConfigMap # café\n".encode("latin-1"), "latin1.yaml:1: error: not valid UTF-8 (byte 0xe9)", 2),
        ("nul.yaml", b"kind: ConfigMap\nname: a\x00b\n", "nul.yaml:2: error: binary file (contains NUL bytes)", 2),
        ("empty.yaml", b"", "", 1),
        ("comments.yaml", b"# only a comment\n# aws-auth lives elsewhere\n", "", 1),
        ("utf16.yaml", "\ufeff".encode("utf-16-le") + GOOD.replace("role/team/ops", "role/ops").encode("utf-16-le"), "", 1),
        ("bad-utf16.yaml", b"\xff\xfe\x00\xd8", "bad-utf16.yaml: error: invalid utf-16-le text", 2),
    ],
)
def test_odd_file_beside_a_good_one(tmp_path: Path, name: str, data: bytes, stderr: str, code: int) -> None:
    """Each odd file is named once on stderr (or linted), and aws-auth.yaml is still reported."""
    with_good(tmp_path)
    (tmp_path / name).write_bytes(data)
    out = lint_cli(["--quiet", "."], tmp_path, timeout=60)
    assert out.code == code
    assert "aws-auth.yaml:6:16: AA101" in out.stdout
    if stderr:
        assert stderr in out.stderr
        assert len(out.stderr.splitlines()) == 1
    else:
        assert out.stderr == ""


def test_utf16_file_is_linted(tmp_path: Path) -> None:
    """UTF-16 with a BOM is decoded and linted like UTF-8."""
    (tmp_path / "auth.yaml").write_bytes("\ufeff".encode("utf-16-le") + GOOD.encode("utf-16-le"))
    out = lint_cli(["--quiet", "auth.yaml"], tmp_path, timeout=60)
    assert "auth.yaml:6:16: AA101" in out.stdout


def test_symlink_loop_and_directory_named_yaml(tmp_path: Path) -> None:
    """Symlink loops are not followed; a directory named *.yaml is walked, not read."""
    with_good(tmp_path)
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.yaml").symlink_to(tmp_path / "self.yaml")
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "dir.yaml" / "inner.yaml").write_text(GOOD)
    out = lint_cli(["--quiet", "."], tmp_path, timeout=60)
    assert "aws-auth.yaml:6:16: AA101" in out.stdout
    assert "dir.yaml/inner.yaml:6:16: AA101" in out.stdout
    assert out.stdout.count("AA101") == 2


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that cannot be opened is an input error naming it; the others are linted."""
    with_good(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text(GOOD)
    real_open = builtins.open

    def deny(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file).endswith("secret.yaml"):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(loader, "open", deny, raising=False)
    result = lint_paths([tmp_path])
    assert [e.render() for e in result.errors] == [f"{secret}: error: cannot read file: Permission denied"]
    assert result.exit_code(Severity.WARNING) == 2
    assert any(f.code == "AA101" for f in result.findings)


def test_file_deleted_while_walking(tmp_path: Path) -> None:
    """A file that vanishes between discovery and reading is noted, without failing the run."""
    with_good(tmp_path)
    gone = str(tmp_path / "gone.yaml")
    from awsauth_lint import engine
    from awsauth_lint.config import Config

    result = engine.run([str(tmp_path / "aws-auth.yaml"), gone], Config())
    assert [e.render() for e in result.errors] == [f"{gone}: error: vanished while linting (deleted or moved)"]
    assert result.exit_code(Severity.WARNING) == 1  # the AA101 finding, not the vanished file


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode; covered by the monkeypatched test")
def test_unreadable_by_mode(tmp_path: Path) -> None:
    with_good(tmp_path)
    (tmp_path / "locked.yaml").write_text(GOOD)
    (tmp_path / "locked.yaml").chmod(0)
    out = lint_cli(["--quiet", "."], tmp_path)
    assert out.code == 2
    assert "locked.yaml: error: cannot read file" in out.stderr
