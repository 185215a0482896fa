"""Numbers as reports write them in prose ("两件", "十二条", "6,488", "2.17万"); table cells are read by
tables/values.py."""

from __future__ import annotations

import re

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}

# ====================================================================== prose numbers
#
# One parser for every number the narrative checks read. Officials write a count as 6488, 6,488,
# 6，488, 6 488, 2.17万, 1.2亿, 十三, 一百零三, 两, 二〇二三 (digit by digit, for years), with its
# unit attached or not (3件, 3 件, 3（件）). NUM_TOKEN finds them inside a regex; parse_number reads
# one. Hand-written rather than cn2an: cn2an costs ~0.1 s of import on the `audit --no-llm` path;
# tests/test_prose_numbers.py checks this parser against cn2an over a range of values.

_CN_DIGIT_CHARS = "零〇○一二两三四五六七八九"
# Repetition is bounded and a number starts only where a run of digits or numerals starts, so the
# search stays linear on any text (a 400-digit "number" is not a count: it is not read at all).
MAX_PROSE_DIGITS = 15
_ARABIC = (r"(?:\d{1,3}(?:[,，]\d{3}){1,4}(?![\d.])|\d{1,3}(?: \d{3}){1,4}(?![\d.])|"
           r"\d{1,15}(?:\.\d{1,6})?(?![\d]))(?:\s*[万亿])?")
_CN_CHARS = "零〇○一二两三四五六七八九十百千万亿"
_CHINESE = rf"(?<![{_CN_CHARS}])[零〇○一二两三四五六七八九十][{_CN_CHARS}]{{0,15}}(?![{_CN_CHARS}])"
NUM_TOKEN = rf"(?:(?<![\d.]){_ARABIC}|{_CHINESE})"
# between a count and its unit: nothing, a space, or an opening bracket ("3（件）")
UNIT_GAP = r"\s*[（(]?\s*"

_MULT = {"万": 10_000, "亿": 100_000_000}


class ProseNumber(float):
    """A number read from prose; `tolerance` is how far the true figure may lie from it.

    "2.17万" is 21700 give or take 50 (the writer rounded to 0.01万); "6,488" is exact (0).
    A float subclass so existing arithmetic keeps working; `value` gives an int when whole.
    """

    tolerance: float

    def __new__(cls, value: float, tolerance: float = 0.0):
        obj = super().__new__(cls, value)
        obj.tolerance = tolerance
        return obj

    @property
    def value(self) -> int | float:
        return int(self) if float(self).is_integer() else float(self)

    def matches(self, other: float) -> bool:
        """Equal to `other` within the rounding the writer used."""
        return abs(float(self) - float(other)) <= self.tolerance + 1e-9


def cn_to_int(text: str) -> int | None:
    """Chinese numerals → int: "三百零二" 302, "十二" 12, "两" 2, "一亿二千万" 120000000,
    and digit-by-digit "二〇二三" 2023. None if `text` is not one."""
    if not text:
        return None
    if text.isdigit() and text.isascii():
        return int(text)
    if len(text) > 1 and all(ch in CN_DIGITS for ch in text):  # 二〇二三 / 一九九八: digit by digit
        return int("".join(str(CN_DIGITS[ch]) for ch in text))
    total, section, number = 0, 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if unit >= 10000:
                section = (section + number) * unit
                if unit == 100_000_000:
                    total = (total + section)
                    section = 0
                else:
                    total += section
                    section = 0
            else:
                section += (number or (1 if unit == 10 else 0)) * unit
            number = 0
        else:
            return None
    return total + section + number


def parse_number(text: str) -> ProseNumber | None:
    """One prose number (a NUM_TOKEN match) → its value and rounding tolerance; None if not a number."""
    t = text.strip()
    if not t:
        return None
    mult, tol_unit = 1, 0.0
    if t[-1] in _MULT and t[:-1].strip() and (t[-2].isdigit() or t[-2] == " "):
        mult = _MULT[t[-1]]
        t = t[:-1].strip()
    if t[0].isdigit():
        t = re.sub(r"[,， ]", "", t)
        try:
            whole = float(t)
        except ValueError:
            return None
        if mult > 1:
            decimals = len(t.split(".")[1]) if "." in t else 0
            tol_unit = 0.5 * mult / (10 ** decimals)
        value = whole * mult
        return ProseNumber(round(value, 6), tol_unit)
    n = cn_to_int(t)
    return None if n is None else ProseNumber(n)


def to_number(text: str) -> int | float | None:
    """A prose number (Arabic or Chinese, separators, 万/亿) → value (int when whole)."""
    n = parse_number(text)
    return None if n is None else n.value
