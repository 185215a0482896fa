"""Reading a report file into normalized lines that still point back at the original text.

Why a line map: every finding must cite the original line number and an exact quote. We
normalize (full-width digits and signs, docx bookmarks, no-break spaces) for parsing, but keep
for each normalized character the index of the original character, so a span found in the
normalized text can be quoted verbatim from the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024  # larger inputs are refused with a clear message

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}


class InputError(Exception):
    """The file cannot be audited at all; the message names the problem (the caller adds the file)."""


@dataclass
class Line:
    no: int  # 1-based line number in the original text
    raw: str  # the original line, as decoded
    text: str  # normalized line used by the parsers
    idx: list[int] | range = field(repr=False, default_factory=list)  # text[i] came from raw[idx[i]]
    furniture: bool = False  # page furniture (footer, "扫一扫…"), ignored by parsers


@dataclass
class Document:
    path: str
    encoding: str
    lines: list[Line]
    source_kind: str = "text"  # text / html / pdf / docx

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


# ---------------------------------------------------------------- decoding


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding name). Raises InputError for empty or binary input."""
    if not data.strip(b" \t\r\n\x00"):
        raise InputError("文件为空（empty file）")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    # UTF-16 without BOM: every other byte NUL in ASCII-heavy text, or CJK pairs; try both orders.
    if b"\x00" in data[:4096]:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, enc
        raise InputError("二进制文件，不是文本报告（binary file, not a text report）")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    gb_text = None
    try:
        gb_text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any bytes; trust it when the words of a report come out of it
    if gb_text is not None and _looks_like_text(gb_text) and _REPORT_WORDS.search(gb_text):
        return gb_text, "gb18030"
    try:
        from charset_normalizer import from_bytes  # lazy: only for odd encodings

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - library failure
        best = None
    if best is not None and _looks_like_text(str(best)):
        return str(best), best.encoding
    if gb_text is not None and _looks_like_text(gb_text):
        return gb_text, "gb18030"
    raise InputError("无法识别文件编码（unreadable encoding: not UTF-8, GB18030/GBK or UTF-16）")


_REPORT_WORDS = re.compile("信息公开|年度报告|总体情况|政务公开")


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text[:20000] if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\ufffd")
    return bad / max(1, min(len(text), 20000)) < 0.01


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
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for no, raw in enumerate(text.split("\n"), start=1):
        norm, idx = normalize_line(raw)
        furniture = bool(norm.strip()) and bool(_FURNITURE.match(norm))
        if furniture:
            norm, idx = "", []
        # keep tabs: a lone tab is an empty table cell in the one-cell-per-line layout
        kept = norm.rstrip(" \r\n")
        lines.append(Line(no, raw, kept, idx[: len(kept)], furniture))
    return Document(path=path, encoding=encoding, lines=lines, source_kind=source_kind)


# ---------------------------------------------------------------- files


def read_document(path: str | Path) -> Document:
    """Read one report file. Raises InputError with a reviewer-readable reason."""
    p = Path(path)
    if not p.exists():
        raise InputError("文件不存在（no such file）")
    if p.is_dir():
        raise InputError("是目录而不是文件（is a directory）")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"无法读取（cannot stat: {exc.strerror}）") from exc
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size // (1024 * 1024)} MiB，上限 {MAX_BYTES // (1024 * 1024)} MiB; file too large）")
    suffix = p.suffix.lower()
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取（cannot read: {exc.strerror}）") from exc
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        from .formats import pdf_to_text  # lazy: pdfplumber is heavy and optional

        return to_document(pdf_to_text(data), str(path), "pdf", "pdf")
    if suffix == ".docx" or (data.startswith(b"PK\x03\x04") and b"word/" in data[:4000]):
        from .formats import docx_to_text

        return to_document(docx_to_text(data), str(path), "docx", "docx")
    text, enc = decode_bytes(data)
    if suffix in HTML_SUFFIXES or re.match(r"\s*(<!DOCTYPE html|<html)", text[:500], re.I):
        from .formats import html_to_text

        return to_document(html_to_text(text), str(path), enc, "html")
    return to_document(text, str(path), enc)
