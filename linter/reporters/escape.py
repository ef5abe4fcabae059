"""Making repository strings inert in each output format, in one place.

Every name a report shows (ARNs, usernames, groups, file paths, messages) comes from a
file someone else wrote. Each format has its own way to turn text into a command: a
terminal escape, a GitHub workflow command in a job log, a Markdown link or image or
HTML tag or @mention in a pull-request comment, a Mermaid edge or directive. The access
reporters pass every such string through the escaper of their format, here.
"""

from __future__ import annotations

import re
import string

from .github import escape_data, escape_property
from .text import clean

__all__ = ["clean", "escape_data", "escape_property", "inert", "json_inert", "md_code", "md_text", "mermaid", "shorten", "text", "visible"]

WJ = "\u2060"  # WORD JOINER: invisible, breaks `@team` and `#123` so GitHub links neither
_MD_PUNCT = frozenset(string.punctuation)  # CommonMark escapes exactly these with a backslash
_MERMAID_SAFE = frozenset(string.ascii_letters + string.digits + " _-./:,@=+*'?!~^")  # not `$`: `$$` is math
_BACKTICKS = re.compile(r"`+")
_C1 = re.compile("[\x7f-\x9f]")
# Bidi controls and zero-width characters: invisible, yet they make one name look like
# another (`role/admin` reversed, or with a zero-width space inside). Shown as `\uXXXX`.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def inert(line: str) -> str:
    """No workflow command in a job log: the runner reads `::cmd::` at the start of a
    line (after leading spaces) and legacy `##[cmd]` anywhere. Shown in `clean`'s
    `\\xNN` notation."""
    line = line.replace("##[", "#\\x23[")
    stripped = line.lstrip()
    if stripped.startswith("::"):
        line = line[: len(line) - len(stripped)] + "\\x3a" + stripped[1:]
    return line


def visible(value: str) -> str:
    """`clean`, and bidi controls and zero-width characters shown as `\\uXXXX`."""
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", clean(value))


def text(value: str) -> str:
    """A repository string for terminal or log text: control characters shown, not sent."""
    return inert(visible(value))


def json_inert(dumped: str) -> str:
    """Serialized JSON safe to print to a terminal or a job log. `json.dumps` escapes C0
    controls but writes DEL and C1 (a terminal's CSI) raw; `##[` is a legacy workflow
    command. Both occur only inside strings, where a `\\uXXXX` escape decodes to the
    same value."""
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped).replace("##[", "#\\u0023[")


def shorten(value: str, limit: int) -> str:
    """At most `limit` characters (cut before escaping, so no escape is cut in half)."""
    return value if len(value) <= limit else value[: max(limit - 1, 0)] + "…"


def md_text(value: str) -> str:
    """Literal Markdown text, also inside a table cell: every ASCII punctuation character
    backslash-escaped (no emphasis, link, image, HTML, math, table pipe, autolink), line
    breaks shown as `\\x0a`, and a word joiner after `@` and `#` (no mention, no issue
    cross-reference, which GitHub finds after rendering)."""
    out = []
    for c in visible(value):
        out.append("\\" + c if c in _MD_PUNCT else c)
        if c in "@#":
            out.append(WJ)
    return "".join(out)


def md_code(value: str, table: bool = False) -> str:
    """A code span: GitHub renders nothing inside it (no link, HTML, mention or math).
    The fence is longer than any backtick run inside; `table=True` escapes `|`, which
    GFM splits cells on even inside code. Empty input gives `""`."""
    value = visible(value).replace("##[", f"##{WJ}[")
    if not value:
        return ""
    if table:
        value = value.replace("|", "\\|")
    fence = "`" * (max((len(m) for m in _BACKTICKS.findall(value)), default=0) + 1)
    if value.strip(" ") and (value[0] in "` " or value[-1] in "` "):
        value = f" {value} "
    return f"{fence}{value}{fence}"


def mermaid(value: str) -> str:
    """The text of a quoted Mermaid label (without its quotes): anything but letters,
    digits and harmless punctuation becomes a `#NNN;` entity, so no quote, bracket, pipe,
    `<`, `>`, `%`, `$`, backtick or `#` survives to end the label, draw an edge, start a
    directive or HTML, or switch on Markdown. Colons are encoded too where the label
    holds `style` or `classDef` (Mermaid's pre-pass would eat an entity's `;` there)."""
    value = visible(value)
    colon = "style" in value or "classDef" in value
    return "".join(c if c in _MERMAID_SAFE and not (colon and c == ":") else f"#{ord(c)};" for c in value)
