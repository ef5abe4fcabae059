"""The version, the CHANGELOG's release heading and the tags the docs pin all name one release."""

from __future__ import annotations

import re

import awsauth_lint
from helpers import ROOT

OUR_REPO = "https://github.com/awsauth-lint/awsauth-lint"


def user_docs() -> list[str]:
    """The pages users copy pins from: README.md and docs/ (CONTRIBUTING.md has placeholders)."""
    return [(ROOT / "README.md").read_text(), *(p.read_text() for p in sorted((ROOT / "docs").rglob("*.md")))]


def changelog_release() -> str:
    """The version of the first release section; only an `[Unreleased]` section may precede it."""
    headings = re.findall(r"^## (.*)$", (ROOT / "CHANGELOG.md").read_text(), re.M)
    if headings and headings[0] == "[Unreleased]":
        headings = headings[1:]
    assert headings, "CHANGELOG.md has no release section"
    m = re.fullmatch(r"\[(\d+\.\d+\.\d+)\](?: - \d{4}-\d{2}-\d{2})?", headings[0])
    assert m is not None, f"first CHANGELOG section is neither [Unreleased] nor a release: {headings[0]!r}"
    return m.group(1)


def pinned_refs(text: str) -> list[str]:
    """Every ref the text pins this project at: `rev:` under our pre-commit repo, `…/awsauth-lint@ref`."""
    refs = re.findall(r"awsauth-lint/awsauth-lint(?:\.git)?@([^\s\"'`/]+)", text)
    repo = None
    for line in text.splitlines():
        if m := re.match(r"\s*-?\s*repo:\s*(\S+)", line):
            repo = m.group(1)
        elif m := re.match(r"\s*rev:\s*['\"]?([^\s'\"#]+)", line):
            assert repo is not None, f"`{line.strip()}` without a repo"
            if repo.removesuffix(".git") == OUR_REPO:
                refs.append(m.group(1))
    return refs


def test_version_is_a_literal_release_number() -> None:
    source = (ROOT / "linter" / "__init__.py").read_text()
    m = re.search(r'^__version__ = "(\d+\.\d+\.\d+)"$', source, re.M)
    assert m is not None
    assert m.group(1) == awsauth_lint.__version__


def test_changelog_release_is_the_version() -> None:
    """The first CHANGELOG release is the package version, with a link to its tag."""
    version = awsauth_lint.__version__
    assert changelog_release() == version
    link = f"[{version}]: {OUR_REPO}/releases/tag/v{version}"
    assert link in (ROOT / "CHANGELOG.md").read_text().splitlines()


def test_docs_pin_the_version() -> None:
    """Every `rev:` and `@v…` that README.md and docs/ tell users to pin is `v<version>`."""
    refs = [ref for text in user_docs() for ref in pinned_refs(text)]
    readme = (ROOT / "README.md").read_text()
    assert pinned_refs(readme), "README.md shows no pre-commit rev"
    assert len(refs) >= 3, refs
    assert set(refs) == {f"v{awsauth_lint.__version__}"}


def test_pinned_refs_reader() -> None:
    """The reader above finds pins in the forms the docs use, and ignores other repositories."""
    text = f"""
repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v9.9.9
  - repo: {OUR_REPO}
    rev: "v1.2.3"  # pinned
      - uses: awsauth-lint/awsauth-lint@v1.2.4
      - uses: actions/checkout@v5
      - run: pip install "git+{OUR_REPO}@v1.2.5"
"""
    assert sorted(pinned_refs(text)) == ["v1.2.3", "v1.2.4", "v1.2.5"]


def test_release_process_is_written_down() -> None:
    """CONTRIBUTING.md says how a release is cut: version, CHANGELOG section, tag."""
    text = (ROOT / "CONTRIBUTING.md").read_text()
    for needed in ("linter/__init__.py", "CHANGELOG.md", "git tag -a vX.Y.Z", "git push origin main vX.Y.Z"):
        assert needed in text, needed
