"""Core value types: positions, spans, violations, findings and rule metadata.

Positions are 1-based (line and column, columns counted in Unicode code points) and
span ends are exclusive, exactly as SARIF's regions. Conversion from the parser's
0-based marks happens in one place (`source.py`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, Generic, Literal, NamedTuple, TypeVar

T = TypeVar("T")
C = TypeVar("C", bound=type)


def pickled_by_init(*rebuilt: str) -> Callable[[C], C]:
    """Pickle a slotted dataclass as a call of its constructor.

    Worker processes send files' nodes and RBAC objects back; the state methods that
    dataclasses generate for slots run a Python loop per object, and pickling this way is
    2-3x faster. Fields named in `rebuilt` are left out (`__post_init__` rebuilds them).
    """

    def deco(cls: C) -> C:
        names = [f.name for f in fields(cls) if f.name not in rebuilt]
        if any(not f.init for f in fields(cls) if f.name not in rebuilt):
            raise TypeError(f"{cls.__name__}: a field the constructor does not take would be lost")
        get = attrgetter(*names)
        one = len(names) == 1  # attrgetter of one name returns the value, not a tuple

        def reduce(self: object) -> tuple[type, tuple[object, ...]]:
            return (cls, (get(self),) if one else get(self))

        setattr(cls, "__reduce__", reduce)  # noqa: B010 (mypy rejects assigning to a method)
        return cls

    return deco


class Severity(enum.Enum):
    """Finding levels; the values are SARIF's `level` strings verbatim."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


class Position(NamedTuple):
    """A point in a file; ordered by line, then column.

    A named tuple rather than a frozen dataclass: a repository run creates hundreds of
    thousands of them, and a tuple is built several times faster.
    """

    line: int  # 1-based
    column: int  # 1-based, Unicode code points


class Span(NamedTuple):
    start: Position
    end: Position  # exclusive
    exact: bool = True  # False: only the enclosing scalar could be located

    @staticmethod
    def at(line: int, column: int, end_column: int | None = None) -> Span:
        """A one-line span (handy in tests and rules)."""
        return Span(Position(line, column), Position(line, end_column or column + 1))


def pack(span: Span) -> Span | int:
    """A span as one small int when it is exact and its numbers fit, else the span itself.

    A span is three tuples (about 200 bytes with its numbers), a large aws-auth has
    millions of nodes and most of their spans are never read: nodes and `Located` values
    keep this and rebuild the span when it is read (`unpack`).
    """
    (line, col), (end_line, end_col), exact = span
    lines = end_line - line
    if exact and 0 <= line < 1 << 24 and 0 <= col < 4096 and 0 <= lines < 4096 and 0 <= end_col < 4096:
        return line << 36 | lines << 24 | col << 12 | end_col
    return span


def unpack(at: Span | int) -> Span:
    if type(at) is not int:
        return at  # type: ignore[return-value]
    line = at >> 36
    lines = at >> 24 & 4095
    return Span(Position(line, at >> 12 & 4095), Position(line + lines if lines else line, at & 4095))


@pickled_by_init()
@dataclass(frozen=True, slots=True)
class Located(Generic[T]):
    """A value read from a manifest, with where it was written."""

    value: T
    at: Span | int  # the span, or `pack`ed (read `span`)
    path: str = ""  # the JSON path, or (with `step`) its beginning, shared with the values beside it
    step: str = ""  # the rest of the JSON path (`.username`): a large aws-auth has a million of them

    @property
    def span(self) -> Span:
        return unpack(self.at)

    @property
    def json_path(self) -> str:
        return self.path + self.step if self.step else self.path


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text of `span` with `text` (an insertion when the span is empty)."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    description: str
    edits: tuple[Edit, ...]
    safe: bool = True


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule yields: where, and what is wrong there."""

    span: Span
    message: str
    json_path: str = ""
    fix: Fix | None = None
    severity: Severity | None = None  # only for rules with two levels (AA103)
    file: str = ""  # only for project-scope rules, which see every file


@dataclass(frozen=True, slots=True)
class Finding:
    """What the engine reports: a violation stamped with the rule's identity."""

    file: str  # POSIX path as given / relative to the working directory
    span: Span
    code: str
    name: str
    severity: Severity
    message: str
    json_path: str = ""
    fix: Fix | None = None
    fingerprint: str = ""
    suppressed: str | None = None  # the suppression reason ("" if none given)
    cluster: str = ""  # a cross-file finding's cluster, when the repository holds several

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        s = self.span.start
        return (self.file, s.line, s.column, self.code, self.message)


Scope = Literal["file", "awsauth", "project", "suppression", "access"]  # access: once per declared access entry
# "safe": `--fix` applies the rule's fixes (a rule may still offer one particular fix as
# unsafe); "unsafe": only `--unsafe-fixes` does, they change the effective access.
Fixable = Literal["", "safe", "unsafe"]


@dataclass(frozen=True, slots=True)
class RuleMeta:
    code: str
    name: str
    summary: str
    default_severity: Severity
    scope: Scope
    options_schema: dict[str, Any] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    fixable: Fixable = ""


@dataclass(frozen=True, slots=True)
class Rule:
    meta: RuleMeta
    check: Callable[..., Iterator[Violation]]
    doc: str
    module: str
