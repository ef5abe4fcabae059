"""Meta-tests: the registry, the rule docs, the fixtures and the catalogue agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from awsauth_lint import rules as rules_pkg
from awsauth_lint.registry import all_rules
from awsauth_lint.ruledocs import render_all
from helpers import FIXTURES, ROOT, lint_text, shared_path

RULES = all_rules()
IDS = [r.meta.code for r in RULES]


def test_registry_matches_directory() -> None:
    """Every rule module in rules/ is registered in ALL, and nothing else is."""
    on_disk = {p.stem for p in (ROOT / "rules").glob("*.py") if not p.stem.startswith("_")}
    registered = {m.__name__.rsplit(".", 1)[-1] for m in rules_pkg.ALL}
    assert on_disk == registered


def test_codes_and_names() -> None:
    """Codes are unique AA/AE/RB/AL codes; names are unique kebab-case violation names."""
    codes = [r.meta.code for r in RULES]
    names = [r.meta.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for r in RULES:
        assert re.fullmatch(r"(AA|AE|RB|AL)\d{3}", r.meta.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.meta.name)
        # Names describe the violation ("no-session-name" is the catalogue's: a username with no session name).
        assert not r.meta.name.startswith(("avoid-", "use-", "prefer-", "disallow-"))
        assert r.module.rsplit(".", 1)[-1] == f"{r.meta.code.lower()}_{r.meta.name.replace('-', '_')}"


def test_catalogue_matches_rules_md() -> None:
    """Codes, names and default severities equal the public catalogue in RULES.md."""
    text = shared_path("RULES.md").read_text(encoding="utf-8")
    table = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| ((?:AA|AE|RB|AL)\d{3}) \| ([a-z0-9-]+) \| ([a-z/]+) \|", text, re.M)
    }
    for r in RULES:
        assert r.meta.code in table, r.meta.code
        name, sev = table[r.meta.code]
        assert r.meta.name == name
        assert r.meta.default_severity.value in sev.split("/")


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_docstring_sections(rule) -> None:  # type: ignore[no-untyped-def]
    """Every rule documents what it does, why, and an example."""
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"):
        assert section in rule.doc, f"{rule.meta.code} lacks {section}"


def _block(doc: str, section: str) -> tuple[str, str] | None:
    m = re.search(rf"{re.escape(section)}\n```(\w*)\n(.*?)```", doc, re.S)
    return (m.group(1), m.group(2)) if m else None


def _wrap(fragment: str) -> str:
    """A doc example as a file: map keys (`mapRoles: |`...) become an aws-auth ConfigMap's
    data; a whole manifest is kept. In a multi-document example only the first document
    can be a fragment."""
    first, sep, rest = fragment.partition("\n---\n")
    if sep:
        return _wrap(first + "\n") + "---\n" + rest
    if fragment.lstrip().startswith(("apiVersion", "kind", "data")):
        return fragment
    body = "".join(f"  {line}\n" if line else "\n" for line in fragment.splitlines())
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n" + body


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("mapRoles: |\n  - rolearn: r\n", "data:\n  mapRoles: |\n    - rolearn: r\n"),
        ("kind: A\n---\nkind: B\n", "kind: A\n---\nkind: B\n"),
        ("apiVersion: v1\nkind: A\n---\nkind: B\n", "apiVersion: v1\nkind: A\n---\nkind: B\n"),
        ("mapRoles: |\n  - rolearn: r\n---\nkind: B\n", "data:\n  mapRoles: |\n    - rolearn: r\n---\nkind: B\n"),
    ],
)
def test_wrap(fragment: str, expected: str) -> None:
    """A fragment goes into an aws-auth's data; a manifest, first of several too, is kept whole."""
    wrapped = _wrap(fragment)
    assert wrapped.endswith(expected)
    assert wrapped.startswith("apiVersion: v1\nkind: ConfigMap\n") == fragment.startswith("mapRoles")


# Rules that fire only against a git base, and the test file that runs each with real git history.
NEEDS_GIT_BASE = {"AA402": "test_aa402.py", "AE405": "test_ae_cluster_rules.py"}


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_doc_examples_execute(rule) -> None:  # type: ignore[no-untyped-def]
    """The YAML under "Example" triggers the rule; the YAML under "Use instead" does not."""
    if rule.meta.code == "AA402":
        pytest.skip("needs a git base; tests/test_aa402.py runs it against real git history")
    example = _block(rule.doc, "## Example")
    instead = _block(rule.doc, "## Use instead")
    assert example is not None
    assert instead is not None
    for (lang, text), fires in ((example, True), (instead, False)):
        if lang != "yaml":
            continue
        found = [f for f in lint_text(_wrap(text)) if f.code == rule.meta.code and f.suppressed is None]
        assert bool(found) == fires, (rule.meta.code, "Example" if fires else "Use instead", found)


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_has_fixtures(rule) -> None:  # type: ignore[no-untyped-def]
    """Every rule has at least one fail and one pass fixture; a rule that needs a git base
    has its cases in the test file that builds that history (AA402's fixtures live in git)."""
    if rule.meta.code in NEEDS_GIT_BASE:
        tests = (ROOT / "tests" / NEEDS_GIT_BASE[rule.meta.code]).read_text(encoding="utf-8")
        assert rule.meta.code in tests
        assert '"--base"' in tests
        assert rule.meta.code != "AA402" or (FIXTURES / "git" / "aa402").is_dir()
        return
    base = FIXTURES / "rules" / rule.meta.code
    assert any((base / "fail").iterdir()), f"{rule.meta.code}: no fail fixture"
    assert any((base / "pass").iterdir()), f"{rule.meta.code}: no pass fixture"


def test_rule_docs_are_current() -> None:
    """docs/rules/ is exactly what the rule modules render (regenerate with ruledocs)."""
    docs = ROOT / "docs" / "rules"
    pages = render_all()
    assert {p.name for p in docs.glob("*.md")} == set(pages)
    for name, text in pages.items():
        assert (docs / name).read_text(encoding="utf-8") == text, f"docs/rules/{name} is stale"


def test_fixture_folders_name_real_rules() -> None:
    """No fixture folder for a code that does not exist."""
    codes = {r.meta.code for r in RULES}
    assert {p.name for p in (FIXTURES / "rules").iterdir()} <= codes


def test_path_type() -> None:
    """FIXTURES is a real directory (guards the parametrisation above)."""
    assert isinstance(FIXTURES, Path)
    assert FIXTURES.is_dir()
