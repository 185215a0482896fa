"""The date of issue (成文日期) and the agency that signs, from the end of a report.

Signatures come as two lines ("××局" / "2022年1月20日"), in Chinese numerals (二〇二二年一月二十日),
or at the end of one long flattened line ("…特此报告。××局 2021年1月20日"), possibly followed by
page furniture ("（联系人：…） 附件下载"). A date inside a sentence ("…于2022年1月10日前完成整改。")
is never a date of issue.
"""

from __future__ import annotations

import re

from . import pattern_cache
from .dates import find_dates
from .document import Document
from .title import plausible_agency

_TAIL_CHARS = 120  # a date of issue sits this close to the end of its line
# what may follow a date of issue on its line: contact brackets, attachments, the colophon of an
# official document (抄送：…。 ××办公室 2022年1月7日印发)
_AFTER_DATE = pattern_cache.compile(r"^\s*(?:[（(][^）)]*[）)]|附件(?:下载)?[:：]?|抄送[:：][^。]*。|\d{1,2}:\d{2}(?::\d{2})?|"
                         r"[\u4e00-\u9fff]{2,30}\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年[^。]{2,12}日\s*印发|\s)*$")


# page furniture a flattened page runs on with after the signature ("…二〇二〇年二月二十日分享到：…")
_WIDGETS = pattern_cache.compile(r"【[^】]{1,8}】|分享到|相关链接|【\s*打印|【\s*关闭|打印本页|关闭窗口|扫一扫|网站标识码|备案号|版权所有|"
                      r"主办单位|承办单位|技术支持|联系我们|网站地图|【\s*字体")


def _signature_date(text: str):
    """The date of issue on this line: the whole line, or the line's last date with nothing but
    furniture after it and a sentence end, a space or an agency name before it."""
    widget = _WIDGETS.search(text, max(0, len(text) - 400))
    if widget:
        text = text[:widget.start()]
    dates = [d for d in find_dates(text) if d.year]
    for d in reversed(dates[-3:]):
        if len(text) - d.end <= _TAIL_CHARS and _AFTER_DATE.match(text[d.end:]) and _before_ok(text, d):
            return d
    return None


def _before_ok(text: str, d) -> bool:
    before = text[: d.start].rstrip()
    if before.endswith((":", "：")):  # a page field such as 发布时间：2024-01-20
        return False
    return not before or before.endswith(("。", "！", "；")) or text[d.start - 1: d.start].isspace() \
        or bool(_agency_before(before))


def _agency_before(before: str) -> str | None:
    """The agency written just before a date of issue on the same line ("…特此报告。××局 ")."""
    tail = re.split(r"[。！；\s]", before.rstrip())[-1]
    return plausible_agency(tail)


def find_issue_date(doc: Document, after_line: int) -> tuple[str | None, int | None, str, str | None, int | None]:
    """(date, line, quote, signature agency, its line) from the last lines of the report."""
    lines = [ln for ln in doc.lines[after_line:] if ln.text.strip()]
    for idx in range(len(lines) - 1, max(-1, len(lines) - 13), -1):
        ln = lines[idx]
        text = ln.text.rstrip()
        d = _signature_date(text)
        if d is None:
            continue
        iso = d.iso()
        if not iso:
            continue
        quote = doc.quote(ln.no, d.start, d.end)
        before = text[: d.start].strip()
        agency, agency_line = None, None
        if before:
            agency = _agency_before(before)
            agency_line = ln.no if agency else None
        elif idx > 0:
            prev = lines[idx - 1]
            pt = prev.text.strip()
            if "。" not in pt:
                agency = plausible_agency(pt)
                agency_line = prev.no if agency else None
        return iso, ln.no, quote, agency, agency_line
    return None, None, "", None, None


# The page's metadata field 成文日期 / 发文日期 (web pages print it above the report, often as a row
# of a table: "| 内容分类: | 2024年 | 成文日期: | 2025-03-07 |"). Not 发布日期: publishing is not issuing.
_ISSUED_FIELD = pattern_cache.compile(r"(?:成文日期|发文日期|生成日期(?:/有效期)?)\s*[:：]?\s*\|?\s*")  # 生成日期: some portals' name for it


def issued_from_metadata(doc: Document, top: int) -> tuple[str | None, int | None, str]:
    """(date, line, quote) of the 成文日期 field among the first `top` lines, when the report's end
    carries no date of issue. The field's own date only: a field left empty gives nothing."""
    lines = doc.lines[:top]
    for i, ln in enumerate(lines):
        for m in _ISSUED_FIELD.finditer(ln.text):
            dates = find_dates(ln.text, m.end(), min(len(ln.text), m.end() + 24))
            if dates and dates[0].start == m.end() and dates[0].year and dates[0].iso():
                d = dates[0]
                return d.iso(), ln.no, doc.quote(ln.no, m.start(), d.end)
            if not ln.text[m.end():].strip(" |"):
                # the field's name ends its line, its value on the next one ("• 成文日期:" / "" / "2025-01-22")
                nxt = next((x for x in lines[i + 1:i + 3] if x.text.strip()), None)
                if nxt is not None and len(nxt.text.strip()) <= 24:
                    start = len(nxt.text) - len(nxt.text.lstrip(" |"))
                    dates = find_dates(nxt.text, start, len(nxt.text))
                    if dates and dates[0].start == start and dates[0].year and dates[0].iso():
                        d = dates[0]
                        return d.iso(), nxt.no, doc.quote(nxt.no, d.start, d.end)
    return None, None, ""


# a date printed on its own line right under the title ("（2025年1月20日）"), as some bodies set out
# their reports: the date of issue when the end carries none. The whole line must be that date
# (brackets and spaces aside): a page field (发布时间：…) or a sentence is not.
_DATE_LINE = pattern_cache.compile(r"^[\s（(【\[]*(?P<date>[^（）()【】\[\]]{6,20}?)[\s）)】\]]*$")


def issued_under_title(doc: Document, title_line: int | None) -> tuple[str | None, int | None, str]:
    """(date, line, quote) of a date standing alone in the two lines under the title."""
    if not title_line:
        return None, None, ""
    for ln in doc.lines[title_line: title_line + 2]:
        m = _DATE_LINE.match(ln.text)
        if not m:
            continue
        dates = find_dates(ln.text, m.start("date"), m.end("date"))
        if len(dates) == 1 and dates[0].year and (dates[0].start, dates[0].end) == (m.start("date"), m.end("date")) \
                and dates[0].iso():
            d = dates[0]
            return d.iso(), ln.no, doc.quote(ln.no, d.start, d.end)
    return None, None, ""
