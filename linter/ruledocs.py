"""Generate `docs/rules/` from the rule modules' docstrings (one source for the docs).

`python -m awsauth_lint.ruledocs docs/rules` rewrites the folder; a test checks that the
committed files equal what this renders.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .model import Rule
from .registry import all_rules

FIX_NOTES = {
    "safe": "safe (`--fix` applies it; the effective access stays the same)",
    "unsafe": "unsafe (only with `--unsafe-fixes`: it changes who gets in, or as whom)",
}


def render_rule(rule: Rule) -> str:
    m = rule.meta
    lines = [
        f"# {m.code} {m.name}",
        "",
        f"{m.summary}.",
        "",
        f"- Default severity: `{m.default_severity.value}`",
        f"- Scope: {m.scope}" + (" (evaluated per cluster: [clusters](../clusters.md))" if m.scope == "project" else ""),
    ]
    if m.fixable:
        lines.append(f"- Fix: {FIX_NOTES[m.fixable]}")
    if m.options_schema:
        lines += ["", "## Options", "", "| option | type | description |", "| --- | --- | --- |"]
        for name, schema in sorted(m.options_schema.items()):
            typ = schema.get("type", "")
            typ = "/".join(typ) if isinstance(typ, list) else typ
            desc = schema.get("description", "").replace("|", "\\|")
            lines.append(f"| `{name}` | {typ} | {desc} |")
    lines += ["", rule.doc.strip(), ""]
    return "\n".join(lines)


def render_index(rules: tuple[Rule, ...]) -> str:
    lines = [
        "# Rules",
        "",
        "Generated from the rule modules by `python -m awsauth_lint.ruledocs docs/rules`.",
        "",
        "Fix: `safe` fixes are applied by `--fix`, `unsafe` ones only with `--unsafe-fixes`.",
        "",
        "Cross-file rules (scope `project`: RB001-RB005) are evaluated per cluster: the files deployed",
        "together, found as [clusters.md](../clusters.md) explains; their findings name the cluster",
        "when a repository holds several.",
        "",
        "| code | name | severity | fix | summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        m = r.meta
        lines.append(f"| [{m.code}]({m.code}.md) | {m.name} | {m.default_severity.value} | {m.fixable} | {m.summary} |")
    return "\n".join(lines) + "\n"


def render_all() -> dict[str, str]:
    rules = all_rules()
    out = {"README.md": render_index(rules)}
    out.update({f"{r.meta.code}.md": render_rule(r) for r in rules})
    return out


USAGE = "usage: python -m awsauth_lint.ruledocs [DIRECTORY]  (default docs/rules; its *.md files are rewritten)"


def main(argv: list[str]) -> int:
    """Write the pages into the one directory given; an option (`--help` included) or a
    second argument is a usage error (exit 2), never a directory of that name."""
    if len(argv) > 1 or (argv and argv[0].startswith("-")):
        print(USAGE, file=sys.stderr)
        return 2
    target = Path(argv[0] if argv else "docs/rules")
    target.mkdir(parents=True, exist_ok=True)
    pages = render_all()
    for old in target.glob("*.md"):
        if old.name not in pages:
            old.unlink()
    for name, text in pages.items():
        (target / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
