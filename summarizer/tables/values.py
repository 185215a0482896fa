"""What one table cell holds: a number, a blank (written as "", "—", "/", "无" …), or text.

Kept apart from the narrative's number reading (numbers.py): a cell is a whole, short string,
so the rules can be strict — a cell is a number only if ALL of it is one.
"""

from __future__ import annotations

from .. import pattern_cache

# A table cell value: optional sign, digits (thousands separators allowed), optional decimals,
# optional unit. At most 12 integer digits: a longer run is not a count or an amount any report
# holds (it is run-together cells or garbage), and Python refuses to convert very long ones.
MAX_DIGITS = 12
_CELL_NUMBER = pattern_cache.compile(r"(--|[+\-]?)(\d{1,3}(?:,\d{3})+|\d{1,12})(\.\d{1,6})?(万元|元|万|件|条|个|项|次|家|人|篇)?")
_SIGNED_WORD = pattern_cache.compile(r"(减|增)(\d{1,12})")
LOST_GLYPHS = "?？\ufffd"  # what a page's lost encoding prints for a character
_NO_CHANGE = frozenset({"未增未减", "无增减", "无增无减", "持平", "不增不减"})
# How a blank cell is written ("／", "－", "＿" arrive here already folded to ASCII by document.py).
PLACEHOLDERS = frozenset({"", "/", "//", "-", "--", "---", "—", "——", "―", "一", "无", "空", "\\", "、", "…", "……",
                          "×", "_", "__", "╱", "/ /",
                          # the 2019 table's 本年增/减 column with its sign word and no number ("| 0 | 增 | 25 |")
                          "增", "减", "+", "增加", "减少"})


def parse_cell(text: str) -> int | float | None:
    """The numeric value of a cell, or None when the cell is not (wholly) a number.

    "＋1" and "+1" are 1, "－2" is -2 (also typed twice: "--253"), "1,234" is 1234, "103.9万元" is
    103.9, "3件" is 3, "140万" is 1,400,000; "减8" is -8 and "增3" is 3 (本年增/减 written in words). The unit is not
    applied here: see `amount_in_wan`.
    """
    t = text.replace(" ", "")
    if not t or len(t) > 24:
        return None
    if t.isascii() and t.isdigit():
        return int(t) if len(t) <= MAX_DIGITS else None
    if t in _NO_CHANGE:
        return 0  # the 2019 table's 本年增/减 column: "未增未减", "无增减", "持平"
    m = _SIGNED_WORD.fullmatch(t)
    if m:
        return -int(m.group(2)) if m.group(1) == "减" else int(m.group(2))
    m = _CELL_NUMBER.fullmatch(t)
    if not m and t[0] in LOST_GLYPHS:
        # "? 0": a character the page's encoding could not hold (a special space) came out as "?"
        # or U+FFFD before the number; the number itself is intact (digits survive every encoding)
        m = _CELL_NUMBER.fullmatch(t.lstrip(LOST_GLYPHS)) if len(t) - len(t.lstrip(LOST_GLYPHS)) <= 2 else None
        if m and m.group(1):
            return None  # "?-3": a sign after the lost character is not a cell anyone wrote
    if not m:
        return None
    sign, whole, frac, unit = m.groups()
    whole = whole.replace(",", "")
    if len(whole) > MAX_DIGITS:
        return None
    value: int | float = float(whole + frac) if frac else int(whole)
    if unit == "万":
        # "140万" is 1,400,000 (a count); in an amount column amount_in_wan makes it 140 万元 again
        value = round(value * 10_000, 2)
        value = int(value) if value == int(value) else value
    return -value if sign in ("-", "--") else value


def amount_in_wan(text: str, value: int | float) -> int | float:
    """An amount cell's value in 万元, the unit of the template's amount columns (收费金额, 采购总金额):
    a cell that says 元 ("152790元") is converted (15.279); a bare number or 万元 is taken as written."""
    t = text.replace(" ", "")
    if (t.endswith("元") and not t.endswith("万元")) or t.endswith("万"):
        wan = round(value / 10_000, 6)  # (a bare 万 was multiplied out by parse_cell)
        return int(wan) if wan == int(wan) else wan
    return value


def is_placeholder(text: str) -> bool:
    """A cell written as a dash, slash, 无 … : a blank in its own column (FORMAT.md)."""
    return text.replace(" ", "").replace("\u3000", "") in PLACEHOLDERS


def is_value(text: str) -> bool:
    """A cell that is a number or a blank placeholder (not a label)."""
    return is_placeholder(text) or parse_cell(text) is not None
