"""Plain-text report files: bytes to text, whatever the encoding (UTF-8, GB18030/GBK, UTF-16, Big5).

A UTF-8 file damaged in the two ways copies and exports commonly damage it — the last
multi-byte character cut off (a truncated download or copy), a few stray NUL bytes (a bad
export or a disk error) — is read anyway: the cut tail becomes U+FFFD, the NULs are dropped,
and a note says what was repaired (Document.notes → AuditResult.input_notes; check S011 turns
it into an info finding). Anything else that is not text is refused as before.
"""

from __future__ import annotations


from .. import pattern_cache
from ..document import InputError

# Repair notes (Document.notes). Check S011 recognises them by REPAIR_NOTE and cites the line
# a note names ("第 N 行"), else the last line (cut tail) or the first.
CUT_TAIL_NOTE = "文件末尾的 UTF-8 字符不完整（文件可能被截断），已替换为 �"
REPAIR_NOTE = pattern_cache.compile(r"^(?:文件末尾的 UTF-8 字符不完整|删除了 \d+ 个空字节)")
MAX_NUL_SHARE = 0.01  # more NUL bytes than this is not "a few stray ones": binary or UTF-16


class Repairs:
    """What decoding had to repair (a plain class: see document.Line)."""

    def __init__(self, nuls: int = 0, first_nul_line: int | None = None, cut_tail: bool = False) -> None:
        self.nuls = nuls  # NUL bytes dropped
        self.first_nul_line = first_nul_line  # line of the first one, counted as to_document counts
        self.cut_tail = cut_tail  # the last character was incomplete and became U+FFFD

    def notes(self, with_lines: bool = True) -> list[str]:
        """Repair notes for Document.notes; with_lines=False when the text read is not the
        decoded text line for line (HTML: the line of a NUL is a line of the source)."""
        out = []
        if self.nuls:
            where = f"，第一个在第 {self.first_nul_line} 行" if with_lines and self.first_nul_line else ""
            out.append(f"删除了 {self.nuls} 个空字节（NUL{where}），其余内容按 UTF-8 读取")
        if self.cut_tail:
            out.append(CUT_TAIL_NOTE)
        return out


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Bytes → (text, encoding name). Raises InputError for empty or binary input."""
    text, enc, _repairs = decode_report(data)
    return text, enc


def decode_report(data: bytes) -> tuple[str, str, Repairs]:
    """Bytes → (text, encoding name, repairs). Raises InputError for empty or binary input."""
    if not data.strip(b" \t\r\n\x00"):
        raise InputError("文件为空（empty file）")
    if data.startswith(b"\xef\xbb\xbf"):
        text, repairs = _utf8_tolerant(data[3:])
        if text is None:
            text, repairs = data[3:].decode("utf-8", errors="replace"), Repairs()
        return text, "utf-8-sig", repairs
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", Repairs()
    if b"\x00" in data:
        text, repairs = _utf8_tolerant(data)
        if text is not None:
            return text, "utf-8", repairs
    # UTF-16 without BOM: every other byte NUL in ASCII-heavy text, or CJK pairs; try both orders.
    if b"\x00" in data[:4096]:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, enc, Repairs()
        raise InputError("二进制文件，不是文本报告（binary file, not a text report）")
    text, repairs = _utf8_tolerant(data)
    if text is not None:
        return text, "utf-8", repairs
    gb_text = None
    try:
        gb_text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any bytes; trust it when the words of a report come out of it
    if gb_text is not None and _looks_like_text(gb_text) and _REPORT_WORDS.search(gb_text):
        return gb_text, "gb18030", Repairs()
    try:
        from charset_normalizer import from_bytes  # lazy: only for odd encodings

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - library failure
        best = None
    if best is not None and _looks_like_text(str(best)):
        return str(best), best.encoding, Repairs()
    if gb_text is not None and _looks_like_text(gb_text):
        return gb_text, "gb18030", Repairs()
    raise InputError("无法识别文件编码（unreadable encoding: not UTF-8, GB18030/GBK or UTF-16）")


def _utf8_tolerant(data: bytes) -> tuple[str | None, Repairs]:
    """UTF-8 text, repaired if only its last character is cut or a few stray NULs are in it;
    None when the bytes are not UTF-8 that way."""
    repairs = Repairs()
    nuls = data.count(b"\x00")
    if nuls:
        if nuls > MAX_NUL_SHARE * len(data):
            return None, repairs
        head = data[:data.index(b"\x00")].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        repairs.nuls, repairs.first_nul_line = nuls, head.count(b"\n") + 1
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), repairs
    except UnicodeDecodeError as exc:
        if exc.end != len(data) or len(data) - exc.start > 3 or exc.reason != "unexpected end of data":
            return None, repairs
        try:
            text = data[:exc.start].decode("utf-8")
        except UnicodeDecodeError:
            return None, repairs
        repairs.cut_tail = True
        return text + "\ufffd", repairs


_REPORT_WORDS = pattern_cache.compile("信息公开|年度报告|总体情况|政务公开")


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text[:20000] if (ord(ch) < 32 and ch not in "\t\r\n\f") or ch == "\ufffd")
    return bad / max(1, min(len(text), 20000)) < 0.01
