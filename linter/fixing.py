"""`--fix` and `--diff` over files: fix each file's text, then write it back safely.

Only UTF-8 files (with or without a BOM) are rewritten; the BOM and every line ending
are kept. A file that changed on disk since it was read is left alone.
"""

from __future__ import annotations

import codecs
import difflib
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import engine
from .atomic import ChangedOnDisk, write_atomic
from .config import Config
from .fixer import fix_text
from .loader import load_bytes
from .model import Finding


@dataclass(slots=True)
class FixRun:
    diffs: list[str] = field(default_factory=list)
    stdin_text: str | None = None
    notes: list[str] = field(default_factory=list)
    fixed: int = 0


def _lint(name: str, config: Config, text: str) -> list[Finding]:
    return engine.lint([load_bytes(name, text.encode("utf-8"))], config).findings


def fix_files(
    files: list[str], config: Config, stdin: bytes | None, stdin_name: str, *, unsafe: bool, write: bool
) -> FixRun:
    run = FixRun()
    for path in files:
        is_stdin = path == "-"
        name = stdin_name if is_stdin else path
        try:
            data = (stdin or b"") if is_stdin else Path(path).read_bytes()
        except OSError:
            continue  # the lint run reports unreadable files
        bom = data.startswith(codecs.BOM_UTF8)
        try:
            text = data[3 if bom else 0 :].decode("utf-8")
        except UnicodeDecodeError:
            continue
        outcome = fix_text(text, partial(_lint, name, config), unsafe=unsafe)
        if is_stdin:
            run.stdin_text = outcome.text
        if outcome.text == text:
            continue
        run.fixed += outcome.applied
        run.diffs.append(
            "".join(
                difflib.unified_diff(
                    text.splitlines(keepends=True), outcome.text.splitlines(keepends=True), f"a/{name.lstrip('/')}", f"b/{name.lstrip('/')}"
                )
            )
        )
        if write and not is_stdin:
            try:
                write_atomic(path, (codecs.BOM_UTF8 if bom else b"") + outcome.text.encode("utf-8"), expect=data)
            except ChangedOnDisk:
                run.notes.append(f"{path}: changed on disk while fixing; not written")
            except OSError as e:
                run.notes.append(f"{path}: cannot write fixes: {e}")
    if write and run.fixed:
        run.notes.append(f"fixed {run.fixed} problem{'s' if run.fixed != 1 else ''}")
    return run
