"""What the HTML, PDF and .docx readers share: how a table cell and a table row become text.

Why one shared text layout: the table extractor reads plain lines, so every reader
emits the same shape — ordinary text as one line per block/paragraph, and every table row as
ONE line of tab-separated cell texts. Merged cells are written once (top-left position) and the
positions they cover are left as empty strings, so column positions stay stable across rows.
"""

from __future__ import annotations

import re
from .. import pattern_cache

# CJK ideographs plus CJK / full-width punctuation: a space between two of these is never
# meaningful in a Chinese report (it comes from justified PDF text or HTML source line breaks).
_CJK = r"\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201d\u2026"
_CJK_GAP = pattern_cache.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")
_WS = pattern_cache.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009\u200b]+")
# Page footers: "- 3 -", "— 3 —", "第 3 页", "第 3 页 共 5 页", "3 / 5".
FOOTER = pattern_cache.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)


def squash(text: str) -> str:
    """Collapse all whitespace to single spaces and drop spaces between CJK characters."""
    text = _WS.sub(" ", text).strip()
    return _CJK_GAP.sub("", text)


def cell_text(text: str | None) -> str:
    """A table cell as one string: its lines joined without separators (Chinese labels wrap
    mid-word, e.g. "…只计这一情" / "形，不计其他情形）", and numbers wrap mid-number in narrow
    cells), whitespace collapsed, no tabs. Only two Latin words keep a space between them."""
    if not text:
        return ""
    return join_pieces((part.strip() for part in text.splitlines()), r"[A-Za-z]")


def join_pieces(pieces, word: str) -> str:
    """Join text pieces without separators (Chinese), except a space between two `word` characters."""
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out and re.match(word, piece) and re.search(word + "$", out):
            out += " "
        out += piece
    return squash(out)


def row_line(cells: list[str]) -> str:
    return "\t".join(c.replace("\t", " ") for c in cells)


