"""Find the parts of a report: title, agency, year, statistics period, the six sections, date of issue.

Rules are deliberately literal (regexes over normalized lines) so every fact can be cited
with its line; anything not found stays None and is reported, never guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from .models import Facts, Period, Section
from .numbers import cn_to_int
from .document import Document
from .schema import SECTION_NUMERALS, SECTIONS

_HEADING = re.compile(r"^\s*(?:#+\s*)?(?:\*\*)?([一二三四五六])\s*[、.．,，]\s*(.{2,40}?)(?:\*\*)?\s*$")
# Inline headings, for flattened web text where the whole report sits on one line.
_INLINE_TITLES = {
    1: r"总体情况",
    2: r"主动公开政府信息情况",
    3: r"收到和处理政府信息公开申请情况",
    4: r"(?:政府信息公开|因政府信息公开)[^。、]{0,12}?复议[^。]{0,16}?诉讼[^。]{0,6}?情况",
    5: r"(?:政府信息公开工作)?存在的主要问题[^。]{0,12}?(?:情况|措施|举措|打算)",
    6: r"其他需要报告的事项",
}
_BREADCRUMB = re.compile(r"(>|》|当前位置|首页)")


def heading_number(text: str) -> int | None:
    """The section number if this line is a section heading ("三、收到和处理…"), else None."""
    m = _HEADING.match(text.replace("\t", " ").strip())
    if not m:
        return None
    number = SECTION_NUMERALS.index(m.group(1)) + 1
    title = m.group(2)
    if "数量" in title or "结果" in title or "结转" in title:  # rows of table 三 look like headings
        return None
    spec = SECTIONS[number - 1]
    if any(k in title for k in spec.keywords):
        return number
    for other, pattern in _STRONG_TITLES.items():  # "一、主动公开政府信息情况" numbered wrongly
        if re.search(pattern, title):
            return other
    return None


_STRONG_TITLES = {
    2: r"^主动公开政府信息(?:的)?情况",
    3: r"^收到和处理政府信息公开申请(?:的)?情况",
    4: r"行政复议[、和及]行政诉讼(?:的)?情况$|被申请行政复议、提起行政诉讼",
    5: r"^(?:政府信息公开工作)?存在的主要问题",
    6: r"^其他需要报告的事项",
}


def heading_numeral(text: str) -> int | None:
    """The numeral a heading line is written with (一 → 1), for S009."""
    m = _HEADING.match(text.replace("\t", " ").strip())
    return SECTION_NUMERALS.index(m.group(1)) + 1 if m else None


def _title_as_written(raw: str) -> str:
    """The heading's title as written, without its numeral ("一、总体情况" → "总体情况"; CLI.md)."""
    t = raw.strip().strip("#* ")
    return re.sub(r"^[一二三四五六]\s*[、.．,，]\s*", "", t).strip("* ") or raw.strip()


def find_sections(doc: Document) -> list[Section]:
    """Section headings in document order; the first heading of each number wins."""
    found: list[Section] = []
    seen: set[int] = set()
    for ln in doc.lines:
        if not ln.text.strip() or len(ln.text.strip()) > 45:
            continue
        number = heading_number(ln.text)
        if number and number not in seen:
            seen.add(number)
            found.append(Section(number=number, title=_title_as_written(ln.raw), line=ln.no))
    if len(found) < 3:
        found = _inline_sections(doc, found, seen)
    found.sort(key=lambda s: s.line)
    for i, sec in enumerate(found):
        sec.end_line = (found[i + 1].line - 1) if i + 1 < len(found) else doc.n
    return found


def _inline_sections(doc: Document, found: list[Section], seen: set[int]) -> list[Section]:
    for ln in doc.lines:
        for number, pattern in _INLINE_TITLES.items():
            if number in seen:
                continue
            m = re.search(rf"([{SECTION_NUMERALS}])、({pattern})", ln.text)
            if m and SECTION_NUMERALS.index(m.group(1)) + 1 == number:
                seen.add(number)
                found.append(Section(number=number, title=doc.quote(ln.no, m.start(2), m.end()), line=ln.no))
    return found


# ---------------------------------------------------------------- title, agency, year

_TITLE = re.compile(r"(\d{4})\s*年\s*(?:度)?\s*(?:政府)?信息公开(?:工作)?年度?报告")
_AGENCY_TAIL = re.compile(r"(人民政府|政府办公室|办公厅|办公室|委员会|管委会|管理委员会|局|委|厅|署|中心|院|办|所|街道|街道办事处|镇|乡|区|县|市|站|队|馆|会)$")


_TITLE_FULL = re.compile(r"^(?P<pre>.*?)(?P<year>\d{4})\s*年\s*度?\s*(?P<mid>[^，。,]{0,40}?)\s*(?:政府)?\s*信息公开\s*(?:工作)?\s*年\s*度?\s*报\s*告")


def find_title(doc: Document, first_section_line: int) -> tuple[str | None, int | None, str | None, int | None, int | None]:
    """(title, title line, agency, agency line, year) from the lines before section 一.

    Titles come as "<agency>2020年政府信息公开工作年度报告", as the agency on the line above,
    or as "2025 年<agency>政府信息公开" / "工作年度报告" wrapped over two lines.
    """
    limit = min(first_section_line - 1 if first_section_line else 15, 40)
    lines = [ln for ln in doc.lines[:limit]]
    for i, ln in enumerate(lines):
        text = _clean_title_line(ln.text)
        if not text or _BREADCRUMB.search(text) or len(text) > 80 or "。" in text:
            continue
        joined = text
        if "报告" not in text and i + 1 < len(lines):
            joined = text + _clean_title_line(lines[i + 1].text)
        m = _TITLE_FULL.match(joined)
        if not m or len(m.group("pre")) > 40:
            continue
        year = int(m.group("year"))
        agency = (m.group("pre").strip(" ：:，,#*") or m.group("mid").strip(" ：:，,#*")) or None
        agency_line = ln.no if agency else None
        if not agency:
            for prev in reversed(doc.lines[: ln.no - 1]):
                t = _clean_title_line(prev.text)
                if not t:
                    continue
                if len(t) <= 40 and _AGENCY_TAIL.search(t) and not _BREADCRUMB.search(t):
                    agency, agency_line = t, prev.no
                break
        title = joined[: m.end()]
        if agency and agency not in title:
            title = f"{agency}{title}"
        return title, ln.no, agency, agency_line, year
    return None, None, None, None, None


def _clean_title_line(text: str) -> str:
    """A candidate title line without crawler labels ("标题:") and markdown marks."""
    text = text.strip().strip("#* ")
    return re.sub(r"^(?:标题|题目|title)\s*[:：]\s*", "", text, flags=re.I)


def year_from_body(doc: Document, facts: Facts) -> tuple[int | None, int | None]:
    """The year a report covers when the title does not say: preamble period, else the most cited year."""
    if facts.period:
        return int(facts.period.start[:4]), facts.period.line
    counts: Counter[int] = Counter()
    first_line: dict[int, int] = {}
    for ln in doc.lines[:200]:
        for m in re.finditer(r"(20[0-4]\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)", ln.text):
            y = int(m.group(1))
            counts[y] += 1
            first_line.setdefault(y, ln.no)
    if not counts:
        return None, None
    y, _ = counts.most_common(1)[0]
    return y, first_line[y]


# ---------------------------------------------------------------- period

_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_PERIOD = re.compile(
    r"(?:统计(?:期限|时限|时间|区间|周期|范围|口径)|数据(?:统计)?(?:时间|期限)|时间段|起止时间)[^。；]{0,20}?"
    + _DATE + r"\s*(?:起)?\s*(?:至|到|—|-|~|～)\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日"
)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def find_period(doc: Document) -> Period | None:
    """The statistics period as stated, searched in paragraphs (PDF text wraps it over two lines)."""
    from .paragraphs import paragraphs

    candidates = [ln.no for ln in doc.lines if ln.text.strip() and "\t" not in ln.text]
    for para in paragraphs(doc, candidates):
        if "年" not in para.text:
            continue
        m = _PERIOD.search(para.text)
        if not m:
            continue
        y1, m1, d1, y2, m2, d2 = m.groups()
        start = _iso(int(y1), int(m1), int(d1))
        end = _iso(int(y2 or y1), int(m2), int(d2))
        if not start or not end:
            continue
        line = para.locate(m.start(1))[0]
        return Period(start=start, end=end, line=line, quote=para.quote(doc, m.start(1), m.end()))
    return None


# ---------------------------------------------------------------- date of issue

_ISSUE = re.compile(r"^\s*" + _DATE + r"\s*$")
_ISSUE_CN = re.compile(r"^\s*([零〇○一二三四五六七八九]{4})\s*年\s*([十一二三四五六七八九]{1,3})\s*月\s*([十一二三四五六七八九]{1,3})\s*日\s*$")


def find_issue_date(doc: Document, after_line: int) -> tuple[str | None, int | None, str, str | None, int | None]:
    """(date, line, quote, signature agency, its line) from the last lines of the report."""
    lines = [ln for ln in doc.lines[after_line:] if ln.text.strip()]
    for ln in reversed(lines[-12:]):
        text = ln.text.strip()
        iso = None
        m = _ISSUE.match(text)
        if m:
            iso = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        else:
            mc = _ISSUE_CN.match(text)
            if mc:
                y = int("".join(str(cn_to_int(c)) for c in mc.group(1)))
                mo, d = cn_to_int(mc.group(2)), cn_to_int(mc.group(3))
                if mo and d:
                    iso = _iso(y, mo, d)
        if iso:
            agency, agency_line = None, None
            idx = lines.index(ln)
            if idx > 0:
                prev = lines[idx - 1]
                pt = prev.text.strip()
                if len(pt) <= 40 and _AGENCY_TAIL.search(pt) and "。" not in pt:
                    agency, agency_line = pt, prev.no
            return iso, ln.no, ln.raw.strip(), agency, agency_line
    return None, None, "", None, None


def segment(doc: Document) -> Facts:
    """All facts that come from the text outside the tables."""
    facts = Facts()
    facts.sections = find_sections(doc)
    first = facts.sections[0].line if facts.sections else 0
    title, title_line, agency, agency_line, year = find_title(doc, first)
    facts.title, facts.title_line = title, title_line
    facts.agency, facts.agency_line = agency, agency_line
    facts.period = find_period(doc)
    if year:
        facts.year, facts.year_line = year, title_line
    last_sec = facts.sections[-1].line if facts.sections else 0
    issued, issued_line, issued_quote, sig_agency, sig_line = find_issue_date(doc, last_sec)
    facts.issued_on, facts.issued_line, facts.issued_quote = issued, issued_line, issued_quote
    facts.signature_agency, facts.signature_line = sig_agency, sig_line
    if not facts.agency and sig_agency:
        facts.agency, facts.agency_line = sig_agency, sig_line
    if facts.year is None:
        facts.year, facts.year_line = year_from_body(doc, facts)
    return facts
