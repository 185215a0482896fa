"""A report as normalized lines that still point back at the original text.

Why a line map: every finding must cite the original line number and an exact quote. We
normalize (full-width digits and signs, docx bookmarks, no-break spaces) for parsing, but keep
for each normalized character the index of the original character, so a span found in the
normalized text can be quoted verbatim from the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

class InputError(Exception):
    """The file cannot be audited at all; the message names the problem (the caller adds the file)."""


@dataclass
class Line:
    no: int  # 1-based line number in the original text
    raw: str  # the original line, as decoded
    text: str  # normalized line used by the parsers
    idx: list[int] | range = field(repr=False, default_factory=list)  # text[i] came from raw[idx[i]]
    furniture: bool = False  # page furniture (footer, "扫一扫…"), ignored by parsers
    page: int | None = None  # 1-based page of paged sources (PDF, OCR, pdftotext's form feeds); else None


@dataclass
class Document:
    path: str
    encoding: str
    lines: list[Line]
    source_kind: str = "text"  # text / html / pdf / docx / ocr
    notes: list[str] = field(default_factory=list)  # what the reader had to do (OCR, repaired bytes…), for the reviewer
    # OCR: line number → (start, end, confidence) spans of the raw line read below the
    # confidence threshold; the table extractor marks the cells in them (Facts.low_confidence_cells)
    low_confidence: dict[int, list[tuple[int, int, float]]] = field(default_factory=dict)

    def line(self, no: int) -> Line:
        return self.lines[no - 1]

    def quote(self, no: int, start: int = 0, end: int | None = None) -> str:
        """The original text behind normalized span [start, end) of line `no`."""
        ln = self.lines[no - 1]
        if not ln.text:
            return ln.raw.strip()
        end = len(ln.text) if end is None else end
        start = max(0, min(start, len(ln.text) - 1))
        end = max(start + 1, min(end, len(ln.text)))
        return ln.raw[ln.idx[start]: ln.idx[end - 1] + 1]

    def snippet(self, no: int, start: int, end: int, width: int = 60) -> str:
        """A readable quote around a span: extended to clause punctuation, at most ~width chars each side."""
        s, e = clause_bounds(self.lines[no - 1].text, start, end, width)
        return self.quote(no, s, e).strip()

    def full_quote(self, no: int) -> str:
        return self.lines[no - 1].raw.strip()

    @property
    def n(self) -> int:
        return len(self.lines)


def clause_bounds(text: str, start: int, end: int, width: int = 60) -> tuple[int, int]:
    """Extend [start, end) to the surrounding clause (up to 。；！？ or a tab), ~width chars each side."""
    s = start
    while s > 0 and start - s < width and text[s - 1] not in "。；;！!？?\t":
        s -= 1
    e = end
    while e < len(text) and e - end < width and text[e] not in "。；;！!？?\t":
        e += 1
    while s < e and text[s] in " 　\t":
        s += 1
    return s, e


# ---------------------------------------------------------------- normalization

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"}
_FURNITURE = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|扫一扫在手机上查看当前页面|"
    r"【?\s*打印本页\s*】?|【?\s*关闭窗口\s*】?|分享到[:：].*|.*【\s*字体[:：].*)\s*$"
)


# One-to-one character normalization: full-width ASCII → ASCII, odd spaces → space, minus signs → "-".
_ONE_TO_ONE = {o: o - 0xFEE0 for o in range(0xFF01, 0xFF5F)}
_ONE_TO_ONE.update({ord(c): " " for c in "\u3000\u00a0\u2002\u2003\u2009"})
_ONE_TO_ONE.update({ord(c): "-" for c in "\u2212\u2012\u2013"})
_NEEDS_SLOW = re.compile("[\u200b\u200c\u200d\ufeff\u2060]|\\[bookmark")


def normalize_line(raw: str) -> tuple[str, list[int] | range]:
    """Normalize one line; returns the text and the index map back to `raw`.

    Fast path: when nothing is removed, normalization is one character for one character and
    the map is the identity.
    """
    if not _NEEDS_SLOW.search(raw):
        return raw.translate(_ONE_TO_ONE), range(len(raw))
    spans = [(m.start(), m.end()) for m in _BOOKMARK.finditer(raw)] if "[bookmark" in raw else []
    out: list[str] = []
    idx: list[int] = []
    i = 0
    si = 0
    while i < len(raw):
        if si < len(spans) and i == spans[si][0]:
            i = spans[si][1]
            si += 1
            continue
        ch = raw[i]
        o = ord(ch)
        if ch in _DROP:
            i += 1
            continue
        if 0xFF01 <= o <= 0xFF5E:
            ch = chr(o - 0xFEE0)
        elif ch in "\u3000\u00a0\u2002\u2003\u2009":
            ch = " "
        elif ch in "\u2212\u2012\u2013":  # minus sign, figure dash, en dash
            ch = "-"
        out.append(ch)
        idx.append(i)
        i += 1
    return "".join(out), idx


def to_document(text: str, path: str, encoding: str, source_kind: str = "text") -> Document:
    """Split text into Lines. A form feed ("\\f") at the start of a line starts a new page: the
    paged readers (PDF, OCR) separate pages that way, as pdftotext does, so evidence can cite
    "第2页 第14行"; text without form feeds has no pages (page None)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paged = "\f" in text
    page = 1 if paged else None
    lines = []
    for no, raw in enumerate(text.split("\n"), start=1):
        if paged and raw.startswith("\f"):
            page += len(raw) - len(raw.lstrip("\f"))
            raw = raw.lstrip("\f")
        norm, idx = normalize_line(raw)
        furniture = bool(norm.strip()) and bool(_FURNITURE.match(norm))
        if furniture:
            norm, idx = "", []
        # keep tabs: a lone tab is an empty table cell in the one-cell-per-line layout
        kept = norm.rstrip(" \r\n")
        lines.append(Line(no, raw, kept, idx[: len(kept)], furniture, page))
    return Document(path=path, encoding=encoding, lines=lines, source_kind=source_kind)


