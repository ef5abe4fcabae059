"""Loading in worker processes (`--jobs`) gives exactly what one process gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from awsauth_lint import discover, engine, parallel
from awsauth_lint.config import Config
from awsauth_lint.engine import RunResult
from awsauth_lint.loader import InputError, Limits, SourceFile
from helpers import lint_cli
from test_recall import generate

RBAC = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ops, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: missing-role}
subjects:
  - {kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}
"""
AWSAUTH = """apiVersion: v1
kind: ConfigMap
metadata: {name: aws-auth, namespace: kube-system}
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/team/ops
      username: ops
      groups: [ops, system:masters]
"""


def rows(result: RunResult) -> list[tuple[object, ...]]:
    return [
        (f.file, f.span.start.line, f.span.start.column, f.span.end.line, f.span.end.column, f.code, f.message, f.fingerprint, f.suppressed)
        for f in result.findings
    ]


def run(root: Path, jobs: int) -> RunResult:
    cfg = Config()
    return engine.run(discover.expand([str(root)], cfg.exclude, cfg.root), cfg, jobs=jobs)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("parallel") / "corpus", "--files", str(parallel.MIN_FILES + 150))


def test_workers_find_exactly_what_one_process_finds(corpus: Path) -> None:
    one, two = run(corpus, 1), run(corpus, 2)
    assert len(one.files) >= parallel.MIN_FILES  # else the pool is never used
    assert {f.code for f in one.findings} >= {"AA101", "RB001", "AA301"}
    assert rows(two) == rows(one)
    assert two.files == one.files
    assert two.notices == one.notices


def test_cli_sarif_is_byte_identical(corpus: Path, tmp_path: Path) -> None:
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}.sarif"
        res = lint_cli(["--jobs", jobs, "--format", "sarif", "-o", str(out), "."], cwd=corpus)
        assert res.code == 1, res.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def many_files(tmp_path: Path) -> Path:
    """An aws-auth, a binding, a Deployment with a stale suppression and filler files."""
    (tmp_path / "aws-auth.yaml").write_text(AWSAUTH)
    (tmp_path / "rbac.yaml").write_text(RBAC)
    (tmp_path / "deploy.yaml").write_text("kind: Deployment  # awsauth-lint: disable=AA301\nmetadata: {name: web}\n")
    for n in range(parallel.MIN_FILES):
        (tmp_path / f"cm-{n:03}.yaml").write_text(f"kind: ConfigMap\nmetadata: {{name: cm-{n}}}\n")
    return tmp_path


def test_worker_results_keep_what_rules_need(tmp_path: Path) -> None:
    """Binding spans, suppression comments in files that cannot matter, the aws-auth tree."""
    root = many_files(tmp_path)
    got = {(Path(f.file).name, f.code, f.span.start.line, f.span.start.column) for f in run(root, 2).findings}
    assert got == {
        ("aws-auth.yaml", "AA101", 6, 16),
        ("aws-auth.yaml", "AA301", 8, 21),
        ("aws-auth.yaml", "AA401", 5, 3),
        ("rbac.yaml", "RB003", 4, 73),
        ("deploy.yaml", "AL001", 1, 43),
    }
    assert rows(run(root, 2)) == rows(run(root, 1))


def test_a_broken_pool_falls_back_to_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures.process import BrokenProcessPool

    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise BrokenProcessPool("a worker died")

    root = many_files(tmp_path)
    expected = rows(run(root, 1))
    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", Broken)
    assert rows(run(root, 2)) == expected


def test_a_result_that_cannot_travel_is_loaded_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's result that does not pickle sends the whole load back to this process."""
    root = many_files(tmp_path)
    expected = rows(run(root, 1))
    parent = os.getpid()
    real_compact, real_load = parallel.compact, parallel.load_path
    here: list[str] = []

    def compact(s: SourceFile | InputError) -> SourceFile | InputError | None:
        if os.getpid() != parent and isinstance(s, SourceFile) and s.awsauth:
            s.template = (lambda: None, "unpicklable")  # type: ignore[assignment]
        return real_compact(s)

    def load_path(path: str, display: str, limits: Limits) -> SourceFile | InputError:
        if os.getpid() == parent:
            here.append(path)
        return real_load(path, display, limits)

    monkeypatch.setattr(parallel, "compact", compact)
    monkeypatch.setattr(parallel, "load_path", load_path)
    assert rows(run(root, 2)) == expected
    # aws-auth.yaml sorts first: chunk 0, which the worker always takes; then every file is loaded here
    assert len(here) > len(list(root.iterdir()))


def test_jobs_must_not_be_negative(tmp_path: Path) -> None:
    res = lint_cli(["--jobs", "-1", "."], cwd=tmp_path)
    assert res.code == 2
    assert "--jobs" in res.stderr
