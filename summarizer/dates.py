"""Dates as reports write them: 2020年1月1日, 二〇二〇年一月一日, 2019.1.1, 2019/01/01, 2019-01-01,
and 12月31日 with the year left to the context.

One tokenizer (`find_dates`) serves the statistics period and the date of issue, so a spelling
learnt once is read everywhere.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from . import pattern_cache
from .numbers import cn_to_int

_Y = r"\d{4}|[〇○零一二三四五六七八九]{4}"
_MD = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
# 日 left out before 起/止 in a period ("自2023年1月1起至2023年12月31止")
_DAY_END = r"\s*(?:[日号]|(?=[起止]))"
DATE_TOKEN = pattern_cache.compile(
    rf"(?P<y>{_Y})\s*年\s*(?P<m>{_MD}|元)\s*月\s*(?P<d>{_MD}){_DAY_END}"  # 元月: January
    rf"|(?<![\d年])(?P<m2>{_MD}|元)\s*月\s*(?P<d2>{_MD}){_DAY_END}"
    r"|(?<![\d.])(?P<y3>(?:19|20)\d{2})\s*(?P<sep>[./\-])\s*(?P<m3>\d{1,2})\s*(?P=sep)\s*(?P<d3>\d{1,2})(?![\d.])"
    # 年 dropped by the typist or the page: "20231月1日", "202312月31日" (the year is four digits)
    r"|(?<![\d.])(?P<y4>(?:19|20)\d{2})(?P<m4>1[0-2]|0?[1-9])\s*月\s*(?P<d4>\d{1,2})\s*[日号]"
)


class DateToken(NamedTuple):
    year: int | None  # None: "12月31日", the year comes from the context
    month: int
    day: int
    start: int
    end: int

    def iso(self, year: int | None = None) -> str | None:
        return iso_date(self.year or year, self.month, self.day)


def _num(text: str | None) -> int | None:
    if text is None:
        return None
    if text == "元":
        return 1
    return int(text) if text.isdigit() else cn_to_int(text)


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateToken]:
    """Every date in text[start:end], in order."""
    out = []
    for m in DATE_TOKEN.finditer(text, start, len(text) if end is None else end):
        if m.group("y"):
            y, mo, d = _num(m.group("y")), _num(m.group("m")), _num(m.group("d"))
        elif m.group("m2"):
            y, mo, d = None, _num(m.group("m2")), _num(m.group("d2"))
        elif m.group("y4"):
            y, mo, d = int(m.group("y4")), int(m.group("m4")), int(m.group("d4"))
        else:
            y, mo, d = int(m.group("y3")), int(m.group("m3")), int(m.group("d3"))
        if mo and d:
            out.append(DateToken(y, mo, d, m.start(), m.end()))
    return out


def iso_date(y: int | None, m: int, d: int) -> str | None:
    if y is None:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None
