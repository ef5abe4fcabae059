"""Decoding file bytes and splitting them into lines the way the YAML parser counts them."""

from __future__ import annotations

import codecs
import re
from array import array

# The parser counts these as line breaks (CRLF is one break).
LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class DecodeError(ValueError):
    """The bytes are not text we can lint; `line` is 1-based when known."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.line = line


def decode(data: bytes) -> str:
    """Decode file bytes: UTF-8 (BOM optional) or UTF-16/32 with a BOM; BOM removed."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(enc)
            except UnicodeDecodeError as e:
                raise DecodeError(f"invalid {enc} text ({e.reason})") from None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise DecodeError("binary file (contains NUL bytes)", line)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise DecodeError(f"not valid UTF-8 (byte 0x{data[e.start]:02x})", line) from None


class SourceText:
    """The decoded text of a file; its physical lines are split only when first needed.

    `line(n)` reads one line through the offsets where lines start (8 bytes a line), so
    reporting on a large file never holds every line as a string of its own.
    """

    __slots__ = ("_lines", "_starts", "text")

    def __init__(self, text: str, lines: list[str] | None = None) -> None:
        self.text = text
        self._lines = lines
        self._starts: array[int] | None = None

    @classmethod
    def of(cls, text: str) -> SourceText:
        return cls(text)

    @property
    def lines(self) -> list[str]:
        """Physical lines without terminators (a final terminator adds no empty line)."""
        if self._lines is None:
            lines = LINE_BREAK.split(self.text)
            if len(lines) > 1 and lines[-1] == "":
                lines.pop()
            self._lines = lines
        return self._lines

    @property
    def starts(self) -> array[int]:
        """The offset where each physical line starts."""
        if self._starts is None:
            starts = array("q", [0])
            starts.extend(m.end() for m in LINE_BREAK.finditer(self.text))
            if len(starts) > 1 and starts[-1] == len(self.text):
                starts.pop()  # a final terminator adds no empty line
            self._starts = starts
        return self._starts

    @property
    def line_count(self) -> int:
        return len(self._lines) if self._lines is not None else len(self.starts)

    @property
    def newline(self) -> str:
        m = LINE_BREAK.search(self.text)
        return m.group(0) if m else "\n"

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset, counting breaks as the parser does."""
        line, start = 1, 0
        for m in LINE_BREAK.finditer(self.text, 0, offset):
            line, start = line + 1, m.end()
        return line, offset - start + 1

    def line(self, n: int) -> str:
        """Physical line `n` (1-based), or '' past the end."""
        if self._lines is not None:
            return self._lines[n - 1] if 0 < n <= len(self._lines) else ""
        starts = self.starts
        if not 0 < n <= len(starts):
            return ""
        text = self.text[starts[n - 1] : starts[n] if n < len(starts) else len(self.text)]
        if text.endswith("\r\n"):
            return text[:-2]
        return text[:-1] if text and LINE_BREAK.match(text[-1]) else text
