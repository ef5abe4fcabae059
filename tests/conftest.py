"""pytest fixtures and options (helpers live in `helpers.py`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Callable[[str, Path], None]:
    """Compare against a stored snapshot; `--update-snapshots` rewrites, a missing one fails."""
    update = request.config.getoption("--update-snapshots")

    def check(actual: str, path: Path) -> None:
        if update or not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            if not update:
                pytest.fail(f"new snapshot written to {path}; review it and re-run")
        assert actual == path.read_text(encoding="utf-8")

    return check


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-snapshots", action="store_true", help="rewrite snapshot files")


@pytest.fixture(params=["c", "pure"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with the C composer (when installed) and with the pure-Python one."""
    from awsauth_lint import source

    if request.param == "pure":
        monkeypatch.setattr(source, "_C_LOADER", None)
    else:
        if source._c_loader() is None:
            pytest.skip("ruamel.yaml's C extension is not installed")
        monkeypatch.setattr(source, "_C_LOADER", source._c_loader())
    return str(request.param)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the user's real cache directory."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
