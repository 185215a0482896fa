"""Logical paragraphs over hard-wrapped lines, with positions that map back to original lines.

Why: PDF text layers and converted markdown break sentences every ~28 characters
("…受理政府" / "信息公开申请 17 件"), so per-line regexes miss them. Narrative checks search a
paragraph's joined text and quote the original text of the lines the match spans; the
finding cites the first of those lines.
"""

from __future__ import annotations

from typing import Iterable

from .document import Document, clause_bounds
from .headings import heading_number

_SENTENCE_END = tuple("。！？；：!?;:")
_COUNT_END = frozenset("0123456789零〇○一二两三四五六七八九十百千万")
_UNIT_START = frozenset("件条个项次人元万亿篇份家户余起宗年")  # (年: "2021" / "年，我局…")


class Paragraph:
    """Lines joined into one paragraph, with where each came from (a plain class: see
    document.Line)."""

    __slots__ = ("text", "spans")

    def __init__(self, text: str = "", spans: list[tuple[int, int, int]] | None = None) -> None:
        self.text = text
        # (offset in text, line number, length) for each joined line
        self.spans = [] if spans is None else spans

    def __repr__(self) -> str:
        return f"Paragraph({self.text[:40]!r}…)"

    def add(self, line_no: int, text: str) -> None:
        self.spans.append((len(self.text), line_no, len(text)))
        self.text += text

    def locate(self, pos: int) -> tuple[int, int]:
        """(line number, column in that line's normalized text) of a position in `text`."""
        for off, no, n in reversed(self.spans):
            if pos >= off:
                return no, min(pos - off, max(n - 1, 0))
        off, no, n = self.spans[0]
        return no, 0

    def quote(self, doc: Document, start: int, end: int) -> str:
        """The original text behind [start, end) of the joined text, across lines."""
        parts = []
        for off, no, n in self.spans:
            s, e = max(start, off), min(end, off + n)
            if s < e:
                parts.append(doc.quote(no, s - off, e - off))
        return "".join(parts).strip()

    def evidence(self, doc: Document, start: int, end: int, width: int = 60) -> tuple[int, str]:
        """(line where the quote starts, quote) for a match at [start, end)."""
        s, e = self._clause(start, end, width)
        return self.locate(s)[0], self.quote(doc, s, e)

    def snippet(self, doc: Document, start: int, end: int, width: int = 60) -> str:
        s, e = self._clause(start, end, width)
        return self.quote(doc, s, e)

    def _clause(self, start: int, end: int, width: int) -> tuple[int, int]:
        return clause_bounds(self.text, start, end, width)

    @property
    def first_line(self) -> int:
        return self.spans[0][1]


def paragraphs(doc: Document, line_numbers: Iterable[int]) -> list[Paragraph]:
    """Join each line with the next when the first does not end a sentence (a hard wrap)."""
    out: list[Paragraph] = []
    cur: Paragraph | None = None
    prev_no = -2
    for no in line_numbers:
        text = doc.line(no).text
        stripped = text.strip()
        if not stripped:
            cur = None
            prev_no = no
            continue
        prev = doc.line(prev_no).text.strip() if cur is not None else ""
        # a count cut from its unit by the wrap ("…第四季度12800" / "条。…") always continues
        cut_count = bool(prev) and prev[-1] in _COUNT_END and stripped[0] in _UNIT_START
        # …or a count set on a line of its own ("…第三季度" / "47" / "条，…": a page's <span>)
        lone_count = len(stripped) <= 12 and stripped[0].isdigit() and stripped.replace(",", "").replace(".", "").isdigit()
        joinable = (
            cur is not None
            and no == prev_no + 1
            and not cur.text.rstrip().endswith(_SENTENCE_END)
            and (len(prev) >= 15 or cut_count or lone_count)
            and heading_number(stripped) is None
            and "\t" not in text
        )
        if not joinable:
            cur = Paragraph()
            out.append(cur)
        cur.add(no, text)
        prev_no = no
    return out
