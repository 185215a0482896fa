"""The statistics period a report states (统计期限), in every spelling officials use.

Spellings seen: 自2020年1月1日起至2020年12月31日止, 2019.1.1-2019.12.31, 2019/01/01至2019/12/31,
2020年1月1日—12月31日, 自二〇二〇年一月一日起至二〇二〇年十二月三十一日止, 二〇二四年1月1日至12月31日,
统计期限为2022年度 / 2022年全年 / 2022年1月至12月 (a calendar year), after lead-ins such as 统计期限,
统计时限, 统计数据时限为, 数据统计期限, 数据截止期限为, 内容涵盖…期间, 统计期限内.

Rules: a lead-in, then within the same sentence two dates joined by a range word (至/到/—/-/~),
or a whole-year form; a cut-off alone (数据截止期限为2022年12月31日) states the calendar year up to
that date. Without a lead-in, only an exact 1 January – 31 December range before section 二
counts (a stated period must never be reported missing, and a guessed one must never be wrong).
"""

from __future__ import annotations


from . import pattern_cache
from .dates import find_dates
from .document import Document
from .models import Period
from .numbers import cn_to_int

_LEAD = pattern_cache.compile(
    r"统计(?:期限|时限|时间|区间|周期|范围|口径|期)|数据的?(?:统计)?(?:时间|期限|时限|区间|范围)|统计数据的?(?:时限|期限|时间)"
    r"|数据截[止至]|截止期限|时间段|起止时间|涵盖(?=[^。，,；;：:、]{0,8}[\d〇○零一二])|报告期|所列数据|时间跨度|时间范围"
)  # (涵盖 with a date right after it: "内容涵盖镇政府2019年…期间", not "涵盖政府日常工作、…2025年度累计")
_RANGE_WORD = pattern_cache.compile(r"\s*(?:[起始]\s*)?[,，]?\s*(?:至|到|—+|－|-|~|～|–|―+|－－)\s*$")  # "起,至" too
_CUTOFF = pattern_cache.compile(r"截[止至]")
_FIRST_DIGIT = pattern_cache.compile(r"\d|[〇○零一二三四五六七八九]{4}")
_YEAR = r"\d{4}|[〇○零一二三四五六七八九]{4}"
_WHOLE_YEAR = pattern_cache.compile(rf"(?P<y>{_YEAR})\s*年\s*(?:度(?!报告)|全年|1\s*月\s*(?:份)?\s*(?:至|到|-|—|－|~)\s*12\s*月(?!\s*\d))")
_SENTENCE_END = pattern_cache.compile(r"[。；;！？]")
_WINDOW = 70  # characters after a lead-in in which the period is stated


def _year(text: str) -> int:
    return int(text) if text.isdigit() else cn_to_int(text)


def period_in(text: str, start: int = 0) -> tuple[str, str, int, int] | None:
    """(start iso, end iso, span start, span end) of the first period stated after a lead-in."""
    for lead in _LEAD.finditer(text, start):
        stop_m = _SENTENCE_END.search(text, lead.end())
        stop = min(stop_m.start() if stop_m else len(text), lead.end() + _WINDOW)
        # a cut-off date stated after the lead-in's words ("数据统计时间截至2020年12月31日") too
        first_digit = _FIRST_DIGIT.search(text, lead.end(), stop)
        cutoff = bool(_CUTOFF.search(lead.group(0)) or _CUTOFF.search(text, lead.end(), first_digit.start() if first_digit else stop))
        found = _range_in(text, lead.end(), stop, cutoff=cutoff)
        if found:
            return found
    return None


def _range_in(text: str, lo: int, hi: int, cutoff: bool = False, whole_year: bool = True
              ) -> tuple[str, str, int, int] | None:
    dates = find_dates(text, lo, hi)
    for a, b in zip(dates, dates[1:]):
        # (a dash typed as the numeral 一 between two whole dates: "2023年1月1日一2023年12月31日")
        if a.year and (_RANGE_WORD.match(text[a.end: b.start]) or (b.year and text[a.end: b.start].strip() == "一")):
            s, e = a.iso(), b.iso(a.year)
            if s and e:
                return s, e, a.start, b.end
    whole = _WHOLE_YEAR.search(text, lo, hi) if whole_year else None
    if whole and (not dates or whole.start() <= dates[0].start):
        y = _year(whole.group("y"))
        return f"{y}-01-01", f"{y}-12-31", whole.start(), whole.end()
    if cutoff and dates and dates[0].year:
        end = dates[0].iso()
        if end:
            return f"{dates[0].year}-01-01", end, dates[0].start, dates[0].end
    return None


def plain_year_range(text: str) -> tuple[str, str, int, int] | None:
    """An exact 1 January – 31 December range stated without a lead-in."""
    found = _range_in(text, 0, len(text), whole_year=False)
    if found and found[0][5:] == "01-01" and found[1][5:] == "12-31" and found[0][:4] == found[1][:4]:
        return found
    return None


def find_period(doc: Document, before_line: int | None = None) -> Period | None:
    """The statistics period as stated, searched in paragraphs (PDF text wraps it over two lines)."""
    from .paragraphs import paragraphs

    candidates = [ln.no for ln in doc.lines if ln.text.strip() and "\t" not in ln.text]
    split = next((i for i, no in enumerate(candidates) if before_line and no >= before_line), len(candidates))
    head = paragraphs(doc, candidates[:split])  # the preamble first: where periods are stated
    for para in head + [p for p in paragraphs(doc, candidates[split:]) if _LEAD.search(p.text)]:
        if "年" not in para.text and "." not in para.text and "/" not in para.text:
            continue
        found = period_in(para.text)
        if found:
            return _period(doc, para, found)
    for para in head:
        if before_line and para.first_line >= before_line:
            break
        found = plain_year_range(para.text)
        if found:
            return _period(doc, para, found)
    return None


def _period(doc: Document, para, found) -> Period:
    start, end, s, e = found
    return Period(start=start, end=end, line=para.locate(s)[0], quote=para.quote(doc, s, e))



# a PDF text layer may space the words out ("数据统 计期限为 2023 1 1 日至…")
STRONG_LEAD = pattern_cache.compile(r"统\s?计\s?(?:期\s?限|时\s?限|期\s?为|时间段|时\s?间\s?为)|统计数据的?(?:时限|期限|时间段|时间)|数据统计(?:期限|时限)|"
                                     r"内容涵盖")


def unreadable_period(doc: Document, before_line: int | None = None) -> tuple[int, str] | None:
    """(line, quote) of a statistics-period sentence whose dates cannot be read ("统计期限自202111日起
    至20211230日止": a page that lost 年 and 月), for P002 to say so rather than "not stated"."""
    from .paragraphs import paragraphs

    lines = [ln.no for ln in doc.lines if ln.text.strip() and "\t" not in ln.text
             and (before_line is None or ln.no < before_line)]
    for para in paragraphs(doc, lines):
        for lead in STRONG_LEAD.finditer(para.text):
            stop_m = _SENTENCE_END.search(para.text, lead.end())
            stop = min(stop_m.start() if stop_m else len(para.text), lead.end() + _WINDOW)
            if sum(c.isdigit() for c in para.text[lead.end():stop]) >= 6:
                return para.locate(lead.start())[0], para.quote(doc, lead.start(), stop)
    return None
