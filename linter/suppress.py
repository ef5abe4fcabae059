"""Inline suppression directives on physical lines.

`# awsauth-lint: disable=CODE[,CODE] [-- reason]` applies to findings that start on
its line, which works inside `mapRoles` block scalars too; `# awsauth-lint:
disable-file=CODE[,CODE]` on a line of its own applies to the whole file. Codes are
required (there is no blanket form); names are accepted as well as codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Span
from .text import SourceText

MARK = "awsauth-lint:"  # in every directive: a file without it has none
DIRECTIVE = re.compile(
    r"(?:^|(?<=\s))#\s*awsauth-lint:\s*(?P<kind>disable-file|disable)\s*=\s*"
    r"(?P<codes>[A-Za-z0-9_-]+(?:\s*,\s*[A-Za-z0-9_-]+)*)"
    r"(?:\s+--\s*(?P<reason>.*?))?\s*$"
)
TOKEN = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(slots=True)
class Directive:
    line: int
    file_wide: bool
    codes: list[tuple[str, Span]]  # as written, with where
    reason: str
    used: set[str] = field(default_factory=set)  # the written tokens that suppressed something


def scan(src: SourceText) -> list[Directive]:
    """Every directive in the file (cheap: a substring test guards the regex)."""
    found: list[Directive] = []
    if MARK not in src.text:
        return found
    for n, text in enumerate(src.lines, start=1):
        if MARK not in text:
            continue
        m = DIRECTIVE.search(text)
        if m is None:
            continue
        file_wide = m.group("kind") == "disable-file"
        if file_wide and text[: m.start()].strip():
            continue  # disable-file must stand on a line of its own
        base = m.start("codes")
        codes = [
            (t.group(0), Span.at(n, base + t.start() + 1, base + t.end() + 1))
            for t in TOKEN.finditer(m.group("codes"))
        ]
        found.append(Directive(n, file_wide, codes, (m.group("reason") or "").strip()))
    return found
