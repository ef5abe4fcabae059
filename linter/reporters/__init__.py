"""Reporters: pure functions from a run's result to text. The CLI writes what they return."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..engine import RunResult


@dataclass(frozen=True, slots=True)
class RenderOptions:
    version: str = "0.0.0"
    color: bool = False
    show_suppressed: bool = False
    quiet: bool = False
    unsafe_fixes: bool = False  # unsafe fixes count as applicable (`--unsafe-fixes`)


Renderer = Callable[[RunResult, RenderOptions], str]


class Each(list):  # type: ignore[type-arg]
    """A list for `dumps` whose items are made one at a time as they are written: the
    report of tens of thousands of findings never holds all their dicts at once."""

    def __init__(self, items: Sequence[Any], make: Callable[[Any], object]) -> None:
        super().__init__()
        self.items, self.make = items, make

    def __iter__(self) -> Iterator[Any]:
        return map(self.make, self.items)

    def __len__(self) -> int:
        return len(self.items)


def dumps(doc: object) -> str:
    """`json.dumps(doc, indent=2, ensure_ascii=False)` without its list of every piece of
    the output (with an indent it joins a list of millions of small strings at the end);
    an `Each` in `doc` is written item by item."""
    import io
    import json

    out = io.StringIO()
    for chunk in json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(doc):
        out.write(chunk)
    return out.getvalue()


def _text(result: RunResult, opts: RenderOptions) -> str:
    from .text import render_text

    return render_text(result, opts)


def _json(result: RunResult, opts: RenderOptions) -> str:
    from .json import render_json

    return render_json(result, opts)


def _sarif(result: RunResult, opts: RenderOptions) -> str:
    from .sarif import render_sarif

    return render_sarif(result, opts)


def _github(result: RunResult, opts: RenderOptions) -> str:
    from .github import render_github

    return render_github(result, opts)


REPORTERS: Final[Mapping[str, Renderer]] = {"text": _text, "json": _json, "sarif": _sarif, "github": _github}
