"""YAML composition with exact spans: the only module that imports ruamel.yaml.

The file is composed (never constructed: no tag ever runs code), converted into
`nodes` with 1-based, end-exclusive spans, and the YAML *inside* aws-auth's map strings
is composed again with every inner position mapped back to the physical file through a
`Shift`. Literal blocks map arithmetically; quoted and plain scalars through a
character map that is verified against the parsed value; anything else (folded blocks)
falls back to the enclosing scalar's span, flagged `exact=False`.
"""

from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from .model import Position, Span, pack, pickled_by_init
from .nodes import Access, Map, Node, Scalar, Seq
from .text import LINE_BREAK, SourceText

# (index, line0, col0) of a mark in the parsed text -> 1-based position in the file.
Mapper = Callable[[int, int, int], Position]


@pickled_by_init()
@dataclass(slots=True)
class ParseError:
    message: str
    span: Span
    index: int = -1  # where in the parsed text (-1: unknown)


@pickled_by_init()
@dataclass(slots=True)
class Composed:
    """The documents of one YAML stream; `error` stops the stream where it occurred.

    `raw` holds documents composed but never converted, each with the `Access` that reads
    it, or what `compose_relevant`'s `read` made of them; whoever loads the file reads
    them and drops them.
    """

    docs: list[Node | None] = field(default_factory=list)
    doc_spans: list[Span] = field(default_factory=list)
    error: ParseError | None = None
    raw: list[Any] = field(default_factory=list)


def _outer(index: int, line: int, col: int) -> Position:
    return Position(line + 1, col + 1)


def _c_loader() -> Any:
    """ruamel.yaml's libyaml-based loader (extra `ruamel.yaml[libyaml]`), or None.

    Its marks count code points exactly as the pure parser does; it composes 10-20x
    faster, which is most of the run time on a repository.
    """
    try:
        from ruamel.yaml.cyaml import CSafeLoader

        CSafeLoader("a: 1").dispose()
    except Exception:  # not installed, or built without the extension
        return None
    return CSafeLoader


_C_LOADER: Any = False  # resolved on first use


_BRACKETS = re.compile(r"[\[\]{}]")
_DEEP_INDENT = re.compile(r"^ {256}", re.M)


def shallow(text: str, limit: int = 256) -> bool:
    """Whether nesting stays far below what the C composer's stack survives.

    The C composer recurses in C: a hostile, deeply nested document would crash the
    process, so such text goes to the pure parser, which fails safely. Brackets inside
    strings only make the estimate more cautious.
    """
    if _DEEP_INDENT.search(text):
        return False
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group(0) in "[{":
            depth += 1
            if depth > limit:
                return False
        elif depth:
            depth -= 1
    return True


def _roots_c(loader_cls: Any, text: str) -> Iterator[Any]:
    loader = loader_cls(text)
    try:
        while loader.check_node():
            yield loader.get_node()
    finally:
        loader.dispose()
        # The loader refers to itself (as its composer, constructor, resolver): left to the
        # cyclic collector, which runs rarely, it would keep a copy of the text for the run.
        loader.__dict__.clear()


def _roots_pure(text: str) -> Iterator[Any]:
    from ruamel.yaml import YAML

    yield from YAML(typ="safe", pure=True).compose_all(text)


def compose(text: str, mapper: Mapper = _outer, within: Span | None = None, convert: bool = True) -> Composed:
    """Compose every document of `text`, keeping those before any error.

    The C parser is tried first; on any error the pure parser (YAML 1.2, the reference
    for what is valid here) composes the text again and has the last word. `within` is
    the scalar that holds the text (see `embedded`); without `convert`, documents go to
    `raw`.
    """
    if convert and isinstance(mapper, LiteralShift):
        grouped = _in_groups(text, mapper, within)
        if grouped is not None:
            return grouped
    fast = _compose_c(text, mapper, within, convert)
    if fast is not None and fast.error is None:
        return fast
    return _compose(text, mapper, _roots_pure(text), within, convert)


def _compose_c(text: str, mapper: Mapper, within: Span | None, convert: bool) -> Composed | None:
    """What the C parser makes of `text`, or None when it is not to be used on it."""
    global _C_LOADER
    if _C_LOADER is False:
        _C_LOADER = _c_loader()
    if _C_LOADER is None or "\0" in text or not shallow(text):
        return None
    return _compose(text, mapper, _roots_c(_C_LOADER, text), within, convert)


GROUP = 512  # items of a long list composed together (see `_in_groups`)
_ITEM = re.compile(r"^-(?: |$)", re.M)
_NOT_IN_LIST = re.compile(r"^(?=[^ #\n])(?!- |-$)", re.M)  # a line at column 0 that starts no item


def _in_groups(text: str, mapper: LiteralShift, within: Span | None) -> Composed | None:
    """A long list (a map of thousands of entries) composed in groups of `GROUP` items:
    the parser's nodes of one group at a time are in memory, never those of the whole
    list, and when the C parser fails on an item (an unquoted ':' in a flow list, as in
    `[system:bootstrappers, system:nodes]`) only that item's group goes to the pure
    parser, which takes ten times as long, not the whole list.

    Only a plain block list is cut: every line at column 0 starts an item or is blank or
    a comment, and there are no anchors, aliases or line breaks other than `\\n`, so each
    item is the same text on its own as in the whole list (a quoted or flow value cut in
    two leaves a group that fails to parse). None (compose the whole) unless every group
    composes to a block list.
    """
    if _NOT_IN_LIST.search(text):
        return None
    starts = [m.start() for m in _ITEM.finditer(text)]
    if len(starts) < 2 * GROUP or any(c in text for c in "&*\r\x85\u2028\u2029"):
        return None
    bounds = [0, *starts[GROUP::GROUP], len(text)]
    items: list[Node] = []
    spans: list[Span] = []
    line = 0
    for start, end in pairwise(bounds):
        chunk = text[start:end]
        shifted = LiteralShift(mapper.first + line, mapper.indent)
        part = _compose_c(chunk, shifted, within, True)
        if part is None or part.error is not None:
            part = _compose(chunk, shifted, _roots_pure(chunk), within, True)
        root = part.docs[0] if len(part.docs) == 1 else None
        if part.error is not None or not isinstance(root, Seq) or root.flow or root.tag != "seq":
            return None
        items += root.items
        spans.append(part.doc_spans[0])
        line += chunk.count("\n")
    span = Span(spans[0].start, spans[-1].end, spans[0].exact and spans[-1].exact)
    return Composed([Seq(items, pack(span))], [span])


_DOC_MARK = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|$)", re.M)


def compose_relevant(
    text: str, wanted: tuple[str, ...], full: tuple[str, ...] | None = None, read: Callable[[Any, Access], Any] | None = None
) -> Composed:
    """Compose only the documents of `text` that mention one of `wanted`.

    Documents are cut at `---`/`...` lines (a document marker ends any block scalar, so
    the cut is exact) and each relevant one is composed on its own with its line offset;
    the Deployments next to a RoleBinding in a kustomize base are never parsed. If any
    relevant document fails, the whole stream is composed instead, so errors read the same.
    With `full`, a relevant document that mentions none of `full` is composed but not
    converted (`raw`): the RBAC index reads a few fields of each RoleBinding, and
    converting every node of thousands of them was most of a repository run. With `read`,
    `raw` holds what `read(document, access)` returns for each, called as soon as that
    document is composed: the parser's nodes of a file with many documents are never all
    in memory at once.
    """
    cuts = [m.start() for m in _DOC_MARK.finditer(text)]
    if not cuts:
        return _read(compose(text, convert=_converts(text, full)), read)
    bounds = [0, *cuts, len(text)] if cuts[0] else [*cuts, len(text)]
    out = Composed()
    line = text.count("\n", 0, bounds[0]) if bounds[0] else 0
    for start, end in pairwise(bounds):
        chunk = text[start:end]
        if any(w in chunk for w in wanted):
            part = compose(chunk, LiteralShift(line + 1, 0), convert=_converts(chunk, full))
            if part.error is not None:
                return compose(text)
            out.docs += part.docs
            out.doc_spans += part.doc_spans
            out.raw += _read(part, read).raw
        line += chunk.count("\n") if "\r" not in chunk else len(LINE_BREAK.findall(chunk))
    return out


def _read(composed: Composed, read: Callable[[Any, Access], Any] | None) -> Composed:
    if read is not None:
        composed.raw = [read(doc, access) for doc, access in composed.raw]
    return composed


def _converts(text: str, full: tuple[str, ...] | None) -> bool:
    return full is None or any(w in text for w in full)


def _compose(text: str, mapper: Mapper, roots: Iterator[Any], within: Span | None, convert: bool) -> Composed:
    out = Composed()
    conv = _Converter(text, mapper, within)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for root in roots:
                if not convert:
                    if root is not None:
                        out.raw.append((root, _Raw(conv)))
                    continue
                if conv.memo is not None:
                    conv.memo.clear()  # ids of freed nodes of earlier documents get reused
                node = conv.node(root) if root is not None else None
                out.docs.append(node)
                out.doc_spans.append(conv.span(root) if root is not None else conv.point(0, 0, 0))
    except RecursionError:
        out.error = ParseError("nesting too deep to lint", conv.point(0, 0, 0))
    except Exception as e:  # any parser failure is a finding, not a crash
        out.error = conv.error(e)
    return out


class _Raw:
    """`nodes.Access` over the parser's own nodes, for documents never converted."""

    __slots__ = ("conv",)

    def __init__(self, conv: _Converter) -> None:
        self.conv = conv

    def pairs(self, n: Any) -> list[tuple[Any, Any]] | None:
        return n.value if n is not None and n.id == "mapping" else None

    def items(self, n: Any) -> list[Any] | None:
        return n.value if n is not None and n.id == "sequence" else None

    def text(self, n: Any) -> str | None:
        return n.value if n is not None and n.id == "scalar" else None

    def span(self, n: Any) -> Span:
        return self.conv.span(n)


class _Converter:
    """ruamel nodes -> `nodes`, sharing aliased nodes instead of expanding them."""

    def __init__(self, text: str, mapper: Mapper, within: Span | None = None) -> None:
        self.mapper = mapper
        self.within = within
        self.shift = (mapper.first, mapper.indent) if isinstance(mapper, LiteralShift) else None
        if mapper is _outer:
            self.shift = (1, 0)
        # Only an alias (`*name`) makes a node appear twice; without one, nothing is memoised.
        self.memo: dict[int, Node] | None = {} if "*" in text else None
        self.text = text
        self._lines: list[str] | None = None
        self._starts: list[int] | None = None

    @property
    def lines(self) -> list[str]:
        """Physical lines of the text (split only when a span or error needs them)."""
        if self._lines is None:
            self._lines = LINE_BREAK.split(self.text)
        return self._lines

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in LINE_BREAK.finditer(self.text)]
        return self._starts

    def point(self, index: int, line: int, col: int) -> Span:
        p = self.mapper(index, line, col)
        return self.fit(Span(p, Position(p.line, p.column + 1)))

    def span(self, n: Any) -> Span:
        return self.fit(self._span(n))

    def fit(self, span: Span) -> Span:
        """The span as `within` allows: inside it when it is exact (an empty node after the
        last line of a block, an empty document after `---` say, would otherwise map past
        its end), else the whole of it (positions inside are not known)."""
        w = self.within
        if w is None or (w.exact and span.end <= w.end):
            return span
        if not w.exact:
            return w
        return Span(min(span.start, w.end), w.end, span.exact)

    def _span(self, n: Any) -> Span:
        s, e = n.start_mark, n.end_mark
        eline, ecol, eidx = e.line, e.column, e.index
        if self.shift is not None and (ecol or eline == s.line):  # the hot path: a literal block
            first, indent = self.shift
            line = first + s.line
            return Span(Position(line, indent + s.column + 1), Position(line if eline == s.line else first + eline, indent + ecol + 1))
        start = self.mapper(s.index, s.line, s.column)
        if ecol == 0 and eline > s.line:  # block nodes end at column 0 of the next line
            eline -= 1
            while eline > s.line and not self.lines[eline].strip():
                eline -= 1
            ecol = len(self.lines[eline].rstrip()) if eline < len(self.lines) else 0
            eidx = self.starts[eline] + ecol if eline < len(self.starts) else -1
        if (eline, ecol) == (s.line, s.column):
            return Span(start, start)
        return Span(start, self.mapper(eidx, eline, ecol))

    def error(self, e: Exception) -> ParseError:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        problem = getattr(e, "problem", None)
        context = getattr(e, "context", None)
        if problem:
            msg = f"{context}, {problem}" if context else str(problem)
        else:
            msg = str(e).splitlines()[0] if str(e) else type(e).__name__
        if mark is None:
            idx = getattr(e, "position", None)  # ReaderError
            line = self.lines_before(idx) if isinstance(idx, int) else 0
            return ParseError(msg, self.point(-1, line, 0), idx if isinstance(idx, int) else -1)
        line, col, index = mark.line, mark.column, mark.index
        if "<stream end>" in msg or line >= len(self.lines) or not self.lines[line].strip():
            # Point at the end of the last written line, not at a blank line after it.
            while line > 0 and (line >= len(self.lines) or not self.lines[line].strip()):
                line -= 1
            col = len(self.lines[line].rstrip()) if line < len(self.lines) else 0
            index = self.starts[line] + col if line < len(self.starts) else index
        return ParseError(msg, self.point(index, line, col), mark.index)

    def lines_before(self, index: int) -> int:
        total = 0
        for n, line in enumerate(self.lines):
            total += len(line) + 1
            if total > index:
                return n
        return max(len(self.lines) - 1, 0)

    def _tagged(self, i: int) -> str:
        """The tag written in the node's properties, where its mark starts (`&a !!str x`):
        "" for none, "!" for the non-specific tag (which yaml.v2 keeps as text), else "!!"."""
        text = self.text
        if not (0 <= i < len(text)) or text[i] not in "!&":
            return ""
        if text[i] == "&":
            while i < len(text) and text[i] not in " \t\r\n":
                i += 1
            while i < len(text) and text[i] in " \t\r\n":
                i += 1
        if not text.startswith("!", i):
            return ""
        return "!" if text[i + 1 : i + 2] in ("", " ", "\t", "\r", "\n", ",", "]", "}") else "!!"

    def node(self, n: Any) -> Node:
        """Our node for the parser's node `n`. The parser's children are dropped from `n` as
        they are converted, so its tree is freed while ours is built (`n` is not read again:
        a node reached twice, through an alias, comes from `memo`)."""
        memo = self.memo
        if memo is not None:
            got = memo.get(id(n))
            if got is not None:
                return got
        if n.tag in _EMPTY_TAGS:  # `!!` with nothing after it: libyaml-based parsers (yaml.v2 too) refuse it
            raise _TagError(n.start_mark)
        ct = n.ctag  # Tag objects are new per node; their resolved suffixes repeat
        tag = _TAGS.get(ct.suffix) if ct.handle is None else None
        if tag is None:
            tag = _short_tag(n.tag)
            if ct.handle is None:
                _TAGS[ct.suffix] = tag
        value = n.value
        if isinstance(value, str):
            if len(value) <= 48:  # keys, group names and usernames repeat from entry to entry: one string each
                value = sys.intern(value)
            written = self._tagged(n.start_mark.index)
            node: Node = Scalar(value, pack(self.span(n)), n.style or None, "!" if written == "!" else tag, bool(written))
            if memo is not None:
                memo[id(n)] = node
            return node
        flow = bool(n.flow_style)
        if n.id == "sequence":
            seq = Seq([], pack(self.span(n)), flow, tag)
            if memo is not None:
                memo[id(n)] = seq
            items = seq.items
            for i, c in enumerate(value):
                items.append(self.node(c))
                value[i] = None
            return seq
        mapping = Map([], pack(self.span(n)), flow, tag)
        if memo is not None:
            memo[id(n)] = mapping
        pairs = mapping.pairs
        for i, (k, v) in enumerate(value):
            pairs.append((self.node(k), self.node(v)))
            value[i] = None
        mapping.__post_init__()
        return mapping


_TAGS: dict[str | None, str] = {}  # a handle-less tag's suffix -> its short form
_EMPTY_TAGS = ("!!", "tag:yaml.org,2002:")


class _TagError(Exception):
    problem = "did not find expected tag URI"
    context = None

    def __init__(self, mark: Any) -> None:
        super().__init__(self.problem)
        self.problem_mark = mark


def _short_tag(tag: Any) -> str:
    t = str(getattr(tag, "value", tag) or "")
    return t.rsplit(":", 1)[-1] if t.startswith("tag:yaml.org,2002:") else t


# --- YAML inside a scalar ------------------------------------------------------------


def embedded(scalar: Scalar, src: SourceText) -> tuple[Composed, bool]:
    """Compose the YAML held in `scalar`; returns it and whether positions are exact.

    The authenticator parses it with Go's yaml.v2, which takes a tab between tokens as
    a separator where ruamel.yaml (like libyaml) refuses it, e.g. `rolearn:<TAB>arn:...`;
    such tabs are read as spaces (same length: positions are unchanged).
    """
    mapper = shift(scalar, src)
    within = scalar.span._replace(exact=False) if mapper is None else scalar.span
    text = scalar.value
    composed = compose(text, mapper or _outer, within=within)
    directive = _GO_REFUSED_DIRECTIVE.search(text) if "%" in text else None
    if directive is not None and composed.error is None:  # yaml.v2 knows YAML 1.1 and %TAG only
        composed.error = ParseError(
            f"found incompatible YAML document or unknown directive ({directive.group(0).strip()})",
            _fit_point(mapper or _outer, text, directive.start(), within),
            directive.start(),
        )
        composed.docs = []
    for _ in range(1000):
        err = composed.error
        if err is None or not (0 <= err.index < len(text)) or not _go_separator_tab(text, err.index):
            break
        end = err.index
        while end < len(text) and text[end] in " \t":
            end += 1
        text = text[: err.index] + " " * (end - err.index) + text[end:]
        composed = compose(text, mapper or _outer, within=within)
    return composed, mapper is not None


_GO_REFUSED_DIRECTIVE = re.compile(r"^%(?!TAG[ \t])(?!YAML[ \t]+1\.1[ \t]*(?:#.*)?$)\S*.*$", re.M)


def _fit_point(mapper: Mapper, text: str, index: int, within: Span) -> Span:
    line = text.count("\n", 0, index)
    col = index - (text.rfind("\n", 0, index) + 1)
    p = mapper(index, line, col)
    span = Span(p, Position(p.line, p.column + 1))
    return span if within.exact and span.end <= within.end else within


def _go_separator_tab(text: str, i: int) -> bool:
    """Whether yaml.v2's scanner skips the tab at `i` as whitespace between tokens: in flow
    context, or in block context where no simple key may start (after `key:`, a scalar, a
    closing bracket), i.e. not in indentation and not right after `-` or `?`."""
    if text[i] != "\t":
        return False
    start = max(text.rfind("\n", 0, i), text.rfind("\r", 0, i)) + 1
    before = text[start:i].rstrip(" \t")
    depth = 0
    for ch in text[:i]:
        depth += ch in "[{"
        depth -= depth > 0 and ch in "]}"
    return depth > 0 or (before != "" and before[-1] not in "-?")


def shift(scalar: Scalar, src: SourceText) -> Mapper | None:
    """A mapper from positions in `scalar.value` to the file, or None if not exact."""
    if scalar.style == "|":
        return _literal_shift(scalar, src)
    if scalar.style in ('"', "'", None):
        table = _char_map(scalar, src)
        if table is None:
            return None
        end = scalar.span.end

        def by_index(index: int, line: int, col: int) -> Position:
            if 0 <= index < len(table):
                return table[index]
            if index < 0:
                return scalar.span.start
            return end if scalar.style is None else Position(end.line, end.column - 1)

        return by_index
    return None


def _literal_shift(scalar: Scalar, src: SourceText) -> Mapper:
    header_line = scalar.span.start.line
    header = src.line(header_line)[scalar.span.start.column :]
    digits = [c for c in header.split("#")[0] if c.isdigit()]
    if digits:
        parent = len(header_line_text := src.line(header_line)) - len(header_line_text.lstrip(" "))
        indent = parent + int(digits[0])
    else:
        indent = 0
        for n in range(header_line + 1, scalar.span.end.line + 1):
            text = src.line(n)
            if text.strip(" "):
                indent = len(text) - len(text.lstrip(" "))
                break
    return LiteralShift(header_line + 1, indent)


class LiteralShift:
    """Inner (line, col) -> file position for a literal block: a constant shift."""

    __slots__ = ("first", "indent")

    def __init__(self, first: int, indent: int) -> None:
        self.first, self.indent = first, indent

    def __call__(self, index: int, line: int, col: int) -> Position:
        return Position(self.first + line, self.indent + col + 1)


def _char_map(scalar: Scalar, src: SourceText) -> list[Position] | None:
    """Source position of every character of a quoted or plain scalar's value."""
    style, value = scalar.style, scalar.value
    out: list[Position] = []
    ws: list[Position] = []
    line = scalar.span.start.line
    i = scalar.span.start.column - 1 + (0 if style is None else 1)
    end = scalar.span.end
    nlines = src.line_count
    while line <= nlines:
        text = src.line(line)
        escaped_break = False
        while i < len(text):
            if style is None and Position(line, i + 1) >= end:
                return out if _agrees(out, value, src) else None
            ch = text[i]
            if style is not None and ch == style:
                if style == "'" and text[i + 1 : i + 2] == "'":
                    out.extend(ws)
                    ws.clear()
                    out.append(Position(line, i + 1))
                    i += 2
                    continue
                out.extend(ws)
                return out if _agrees(out, value, src) else None
            if style == '"' and ch == "\\":
                nxt = text[i + 1 : i + 2]
                if nxt == "":
                    out.extend(ws)
                    ws.clear()
                    escaped_break = True
                    break
                width = {"x": 4, "u": 6, "U": 10}.get(nxt, 2)
                out.extend(ws)
                ws.clear()
                out.append(Position(line, i + 1))
                i += width
                continue
            if ch in " \t":
                ws.append(Position(line, i + 1))
            else:
                out.extend(ws)
                ws.clear()
                out.append(Position(line, i + 1))
            i += 1
        if style is None and Position(line, i + 1) >= end:
            out.extend(ws)
            return out if _agrees(out, value, src) else None
        ws.clear()
        brk = Position(line, len(text) + 1)
        line += 1
        empties = 0
        while line <= nlines and not src.line(line).strip(" \t"):
            empties += 1
            line += 1
        if not escaped_break:
            out.extend([brk] * max(empties, 1))
        nxt_text = src.line(line)
        i = len(nxt_text) - len(nxt_text.lstrip(" \t"))
    return None


def _agrees(table: list[Position], value: str, src: SourceText) -> bool:
    if len(table) != len(value):
        return False
    for p, ch in zip(table, value, strict=True):
        text = src.line(p.line)
        s = text[p.column - 1] if p.column - 1 < len(text) else "\n"
        if ch not in " \n" and s not in "\\'" and s != ch:
            return False
    return True
