"""Writes are atomic: temp file + rename, mode kept, never half-written, never over a changed file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from awsauth_lint import atomic
from awsauth_lint.atomic import ChangedOnDisk, write_atomic


def test_replace_keeps_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    f = tmp_path / "baseline.json"
    f.write_text("old")
    f.chmod(0o600)
    write_atomic(f, "new")
    assert f.read_text() == "new"
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["baseline.json"]


def test_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    f = tmp_path / "aws-auth.yaml"
    f.write_bytes(b"edited meanwhile")
    with pytest.raises(ChangedOnDisk):
        write_atomic(f, b"fixed", expect=b"as read")
    assert f.read_bytes() == b"edited meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["aws-auth.yaml"]


def test_failure_mid_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "aws-auth.yaml"
    f.write_text("original")

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(f, "half")
    assert f.read_text() == "original"
    assert [p.name for p in tmp_path.iterdir()] == ["aws-auth.yaml"]


def test_new_file_gets_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.sarif", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.sarif").stat().st_mode) == 0o644
