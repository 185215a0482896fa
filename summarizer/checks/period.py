"""P — statistics period, date of issue and its deadline, the year the narrative speaks of, table format."""

from __future__ import annotations

from .. import pattern_cache
from ..stat_period import STRONG_LEAD
from . import Context, check

# 本级人民政府 reports are due 31 March; its departments' (incl. its 办公室/办公厅) 31 January.
# Only a name that plainly is a department's gets the earlier date: a government named by its place
# ("桐梓县", "贵阳市", "上海市政府"), a township, a zone or no name at all gets 31 March (when in doubt
# the later deadline: no false P004).
# (a zone's 管理委员会 is its government; a 监督管理委员会 is a department)
_DEPARTMENT = pattern_cache.compile(r"(?:局|委|(?<![区园城港岛湖山]管理)委员会|办|办公室|办公厅|厅|(?<!行政公)(?<!行)署|中心|(?<!研究)所|站|队|(?<![医学生究计])院|部|部门|馆|(?<!办事)处|科|海关|人民银行)$")


# a township's, a street's or a zone's own office ("××街道办", "××镇党政办"): the body itself; and a
# government's general office (人民政府办公室 / 办公厅, 政府办): it often publishes its government's
# combined report under its own name ("由××县人民政府办公室综合各乡镇、各部门报告编制") — when in
# doubt, the later date
_OWN_OFFICE = pattern_cache.compile(r"(?:街道|党政|(?:党政|街道|镇|乡|办事处)综合)办(?:公室)?$|政府办(?:公室|公厅)?$|"
                                    r"(?:街道|镇|乡)党?工委$")  # (a street's 党工委 signs for the street too)


def _deadline(agency: str | None, year: int) -> tuple[str, str]:
    if year < 2019:
        # the 2008 条例 (第三十一条) gave every body until 31 March; the revised 条例 (2019) moved the
        # departments' date to 31 January, first for the 2019 reports
        return f"{year + 1}-03-31", "2019年以前的年度报告应于次年3月31日前公布（2008年《条例》第三十一条）"
    if agency and _DEPARTMENT.search(agency) and not _OWN_OFFICE.search(agency):
        return f"{year + 1}-01-31", "县级以上人民政府部门的报告应于次年1月31日前公布"
    return f"{year + 1}-03-31", "本级人民政府的报告应于次年3月31日前公布"


_GARBLED = "统计期限的日期残缺或写法无法识别（年、月、日缺字），无法核对统计期限；请按“自×年1月1日起至×年12月31日止”写明。"


@check("P001", "P002", "P009")
def statistics_period(ctx: Context):
    f = ctx.facts
    if f.period is None:
        from ..stat_period import unreadable_period

        second = next((s.line for s in f.sections if s.number == 2), None)
        garbled = unreadable_period(ctx.doc, second)
        if garbled:
            yield ctx.finding("P002", _GARBLED, garbled[0], garbled[1])
            return
        line, quote = ctx.anchor()
        if f.title_line:
            line, quote = f.title_line, ctx.doc.full_quote(f.title_line)
        yield ctx.finding("P002", "报告没有写明统计期限（如“本报告所列数据的统计期限自×年1月1日起至×年12月31日止”）。",
                          line, quote)
        return
    if not STRONG_LEAD.search(f.period.quote):
        # a period read from a weaker sentence ("…2025年度累计…") while the statistics-period sentence
        # itself is garbled ("统计期限为202511日至1231日"): that sentence is what P002 is about
        from ..stat_period import period_in, unreadable_period

        second = next((s.line for s in f.sections if s.number == 2), None)
        garbled = unreadable_period(ctx.doc, second)
        if garbled and garbled[0] != f.period.line and period_in(garbled[1]) is None:
            yield ctx.finding("P002", _GARBLED, garbled[0], garbled[1])
    glued = _GLUED_YEAR.search(f.period.quote)
    if glued:
        # (P009, info: common on real pages, a slip of the writer or of the page's text alike)
        yield ctx.finding("P009", f"统计期限的日期“{glued.group(0)}”年份与月份之间没有“年”字，已按{glued.group(1)}年"
                                  f"{int(glued.group(2))}月读出；请对照原文核实（原文如此则应更正）。",
                          f.period.line, f.period.quote)
    if f.year is None:
        return
    want_start, want_end = f"{f.year}-01-01", f"{f.year}-12-31"
    if (f.period.start, f.period.end) != (want_start, want_end):
        other = f.period.start[:4]
        if f.period.start[5:] == "01-01" and f.period.end == f"{other}-12-31":
            # a whole other year: which of the two is wrong the text cannot tell
            yield ctx.finding("P001", f"统计期限写为{other}年全年（{f.period.start}至{f.period.end}），而报告名称写的是{f.year}年度："
                                      f"两处年份不一致，统计期限或报告名称有一处写错。", f.period.line, f.period.quote)
            return
        yield ctx.finding("P001", f"统计期限写为{f.period.start}至{f.period.end}，与{f.year}年度报告应有的"
                                  f"{want_start}至{want_end}不符。", f.period.line, f.period.quote)


# "20231月1日至202312月31日": a year run into its month (the 年 lost), read leniently by the dates
_GLUED_YEAR = pattern_cache.compile(r"(?<![\d.])((?:19|20)\d{2})(1[0-2]|0?[1-9])月")


@check("P003", "P004")
def issue_date(ctx: Context):
    f = ctx.facts
    if not f.issued_on or f.year is None:
        return
    if f.issued_on <= f"{f.year}-12-30":
        yield ctx.finding("P003", f"落款日期{f.issued_on}早于{f.year}年度结束，报告不可能在统计年度结束前成文（疑为笔误或套用旧稿）。",
                          f.issued_line, f.issued_quote)
        return
    deadline, rule = _deadline(f.agency, f.year)
    if f.issued_on > f"{f.year + 1}-12-31" and _top_of_page(f):
        # a date from the top of the page (under the title, a 生成日期 field), years after the report:
        # the portal re-posting it after a move ("湖北省邮政管理局2010年…报告" / "2015-07-23"), not its
        # signature — no deadline can be judged from it
        return
    if f.issued_on > deadline:
        yield ctx.finding("P004", f"落款日期{f.issued_on}晚于法定期限{deadline}（{rule}，《政府信息公开条例》第四十九条）。",
                          f.issued_line, f.issued_quote)


def _top_of_page(f) -> bool:
    """Whether the date of issue was taken from above the report's body (the fallbacks: a date under
    the title, the page's 成文日期 / 生成日期 field), not from a signature at its end."""
    if not f.issued_line:
        return False
    body = f.sections[0].line if f.sections else None
    return (f.title_line is not None and f.issued_line <= f.title_line + 2) or (body is not None and f.issued_line < body)


_YEAR_AS_REPORT_YEAR = pattern_cache.compile(r"(?:^|[。；;\s])((?:19|20)\d{2})\s*年(?:度)?\s*[，,]?\s*(?:我|全|本|区|县|市|共|主动|累计|在|依托|通过)")


# a sentence about an earlier year's evaluation or award is background, not the year narrated
# ("2019年，在国务院办公厅组织的政务公开评估中，××被评为优秀单位。2020年，××…")
_BACKGROUND = pattern_cache.compile(r"[^。；;]*?(?:评估|评议|评为|获评|荣获|表彰|考核中|测评)")
_YEAR_OPENING = pattern_cache.compile(r"\s*((?:19|20)\d{2})\s*年(?:度)?\s*[，,]?\s*(?:我|全|本|区|县|市|共|主动|累计|在|依托|通过)")


@check("P005")
def narrative_year(ctx: Context):
    f = ctx.facts
    if f.year is None:
        return
    sec1 = next((s for s in f.sections if s.number == 1), None)
    for no, a, b in ctx.section_spans(1):
        text = ctx.doc.line(no).text
        matches = list(_YEAR_AS_REPORT_YEAR.finditer(text, a, b))
        if sec1 is not None and no == sec1.line and sec1.col:
            # flattened text: the body runs on right after the heading ("一、总体情况2023年，我局…")
            head = _YEAR_OPENING.search(text, a, min(b, a + 24))
            matches = ([head] if head else []) + matches
        for m in matches:
            y = int(m.group(1))
            if y != f.year and not _BACKGROUND.match(text, m.end(), min(b, m.end() + 60)):
                why = "疑为套用往年文稿" if y < f.year else "请核对报告年度：标题或说明中的年份可能写错"
                yield ctx.finding("P005", f"总体情况把{y}年当作报告年度叙述，而本报告是{f.year}年度报告（{why}）。",
                                  no, ctx.doc.snippet(no, m.start(1), m.end()))
                return


@check("P006")
def format_matches_year(ctx: Context):
    f = ctx.facts
    if f.year is None or f.format_version is None:
        return
    want = "2021" if f.year >= 2021 else "2019"
    if f.format_version == want:
        return
    res = ctx.tables.get("active")
    line = (res.first_line if res and res.first_line else None) or ctx.anchor()[0]
    names = {"2019": "国办公开办函〔2019〕60号（试行）格式", "2021": "国办公开办函〔2021〕30号格式"}
    yield ctx.finding("P006", f"表格使用{names[f.format_version]}（依据：{ctx.format_evidence}），"
                              f"而{f.year}年度报告应使用{names[want]}。", line, ctx.doc.full_quote(line))


_STALE_FORMAT = pattern_cache.compile(r"年度报告格式[（(]试行[）)]")


@check("P007")
def stale_format_citation(ctx: Context):
    f = ctx.facts
    if f.year is None or f.year < 2021:
        return
    sec2 = next((s for s in f.sections if s.number == 2), None)
    first, col = (sec2.line, sec2.col) if sec2 else (ctx.doc.n, 0)
    for ln in ctx.doc.lines[: first]:
        m = _STALE_FORMAT.search(ln.text, 0, col if ln.no == first else len(ln.text))
        if m:
            yield ctx.finding("P007", f"{f.year}年度报告仍依据“年度报告格式（试行）”（2019年格式）编制，应依据国办公开办函〔2021〕30号格式。",
                              ln.no, ctx.doc.snippet(ln.no, m.start(), m.end()))
            return


# the page's own publication field (web pages print it above or below the report): 发布日期 / 发布时间 /
# 公开日期, a date right after it
_PUBLISHED_FIELD = pattern_cache.compile(r"(?:发布日期|发布时间|公开日期|公布日期|上网时间|信息提供日期)\s*[:：]?\s*\|?\s*")


@check("P008")
def published_late(ctx: Context):
    """The page says it was published after the deadline. Info only: a site rebuilt or a page edited
    may carry a later date than the first publication, which the text cannot show."""
    from ..dates import find_dates

    f = ctx.facts
    if f.year is None:
        return
    first = f.sections[0].line if f.sections else 40
    lines = ctx.doc.lines[: max(first, 1) + 2] + ctx.doc.lines[-8:]
    deadline, rule = _deadline(f.agency, f.year)
    for ln in lines:
        for m in _PUBLISHED_FIELD.finditer(ln.text):
            dates = find_dates(ln.text, m.end(), min(len(ln.text), m.end() + 24))
            if not dates or dates[0].start != m.end() or not dates[0].year:
                continue
            day = dates[0].iso()
            if day and day > deadline:
                yield ctx.finding("P008", f"页面标注的发布日期{day}晚于法定公布期限{deadline}（{rule}）；如该日期即首次公布的日期，"
                                          "报告未按时公布（网站改版或修改后重新发布的页面，日期可能晚于首次公布，请核实）。",
                                  ln.no, ctx.doc.snippet(ln.no, m.start(), dates[0].end))
            return
