"""Plain-text report files: bytes to text, whatever the encoding (UTF-8, GB18030/GBK, UTF-16, Big5)."""

from __future__ import annotations

import re

from ..document import InputError


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


