"""Numbers as reports write them: in table cells ("＋1", "103.9万元", "1,234") and in prose ("两件", "十二条")."""

from __future__ import annotations

import re

# A table cell value: optional sign, digits, optional decimals, optional unit.
_CELL_NUMBER = re.compile(r"^([+\-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(万元|元|件|条|个|项|次|家|人)?$")
# What a blank cell may be written as.
PLACEHOLDERS = {"", "/", "-", "--", "—", "——", "－", "无", "空", "\\", "、"}

CN_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def parse_cell(text: str) -> int | float | None:
    """The numeric value of a cell, or None when the cell is not a number.

    "减8" is -8 and "增3" is 3 (本年增/减 written in words).
    """
    t = text.replace(" ", "")
    if t.startswith("减") and t[1:].isdigit():
        return -int(t[1:])
    if t.startswith("增") and t[1:].isdigit():
        return int(t[1:])
    m = _CELL_NUMBER.match(t)
    if not m:
        return None
    sign, whole, frac, _unit = m.groups()
    whole = whole.replace(",", "")
    if frac:
        value: int | float = float(whole + frac)
    else:
        value = int(whole)
    return -value if sign == "-" else value


def is_placeholder(text: str) -> bool:
    return text.replace(" ", "") in PLACEHOLDERS


def cn_to_int(text: str) -> int | None:
    """Chinese numerals up to the ten-thousands ("三百零二", "十二", "两") → int; None if not one."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, section, number = 0, 0, 0
    for ch in text:
        if ch in CN_DIGITS:
            number = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            if unit == 10000:
                section = (section + number) * unit
                total += section
                section = 0
            else:
                section += (number or (1 if unit == 10 else 0)) * unit
            number = 0
        else:
            return None
    return total + section + number


NUM_TOKEN = r"(?:\d+(?:\.\d+)?|[零〇○一二两三四五六七八九十百千万]+)"


def to_number(text: str) -> int | float | None:
    """A prose number (Arabic or Chinese) → value."""
    text = text.replace(",", "")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return cn_to_int(text)
