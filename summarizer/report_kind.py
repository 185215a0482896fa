"""Which texts are annual reports, and which reports the government template applies to.

A batch holds pages of other kinds (a budget statement, a work summary, news of a meeting, a
notice about the reports, a report's 解读 page): auditing them as reports would raise an S001 for
every part, so they are refused with the reason. Reports that are not the government's (a
university's school-year report, an institute's or a company's) and reports from before the
template (2019) are audited for what applies, with a note saying which checks were skipped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from . import pattern_cache
from .document import Document

_REPORT_HINTS = pattern_cache.compile(r"政府信息公开|信息公开|政务公开|依申请公开|主动公开")


def plainly_not_a_report(doc: Document, facts) -> str | None:
    """The cheap test, before the tables are read: no part of a report and no 信息公开 wording at all."""
    if not facts.sections and not _REPORT_HINTS.search("\n".join(ln.text for ln in doc.lines[:400])):
        return "不是政府信息公开工作年度报告（没有报告的各部分标题、统计表，也没有“信息公开”字样）"
    return None


def refusal(doc: Document, facts, cells: dict) -> str | None:
    """Why the text, its tables read, is not an annual report to audit (a 解读 page, a page of
    another kind), or None when it is one."""
    if facts.title and _PART_OF_A_YEAR.search(facts.title):
        return f"不是政府信息公开工作年度报告：“{facts.title[:40]}”是半年、季度或月度的报告"
    no_report_body = not any(v is not None for v in cells.values()) and len(facts.sections) < 3
    if facts.title and (_INTERPRETATION.match(facts.title) or _INTERPRETATION_AFTER.search(doc.line(facts.title_line).text)) \
            and no_report_body:
        # (a 解读 page followed by the report itself, tables and parts, is audited as the report)
        return f"是年度报告的解读页面（“{facts.title[:40]}”），不是报告本身：请审查报告原文"
    if no_report_body and _INTERPRETS.search("".join(ln.text for ln in doc.lines[:12])):
        # "《××镇2023年…年度报告》已经编制完成…现就年报内容进行如下解读。"
        return "是年度报告的解读页面（正文说明“现就年报内容进行解读”），不是报告本身：请审查报告原文"
    return _not_a_report(doc, facts, cells)


class Exemption(NamedTuple):
    """Checks that do not apply to a report, and the note that says why."""
    codes: tuple[str, ...]  # finding-code prefixes to drop
    note: str


def exemption(facts, doc: Document | None = None, cells: dict | None = None) -> Exemption | None:
    """The template's checks that do not apply to this report, or None when they all do."""
    if _school_year(facts):
        # a university's report under 高等学校信息公开办法: its own outline, a school year (9月–8月)
        # and its own deadline — none of the government format's checks apply
        return Exemption(_TEMPLATE_CODES + ("P",),
                         "这是高等学校的学年信息公开年度报告（《高等学校信息公开办法》），不适用政府信息公开工作年度报告"
                         "的格式、统计期限和公布期限，相关检查已跳过")
    if _institution_report(facts):
        # a research institute's, hospital's or company's own information-disclosure report (公共企事业
        # 单位信息公开): its own outline, not the government template's six parts and three tables
        return Exemption(_TEMPLATE_CODES + ("P",),
                         f"这是“{facts.agency}”（公共企事业单位或科研机构）的信息公开工作报告，按其自身的规定编写，"
                         "不适用政府信息公开工作年度报告的六个部分、三张统计表和公布期限，相关检查已跳过")
    if facts.year is not None and facts.year < FIRST_FORMAT_YEAR and (
            _year_is_stated(facts, doc) or _old_outline(doc, cells)
            or (facts.issued_on is not None and facts.issued_on < FORMAT_ISSUED)):
        # reports before 2019 followed the older outline (no six official parts, no three tables):
        # measuring them against today's template would be an error for every part
        # (nor did that outline ask for a statistics-period sentence: P002 is the template's too)
        return Exemption(_TEMPLATE_CODES + ("P002",),
                         f"报告年度为{facts.year}年，早于现行年度报告格式（国办公开办函〔2019〕60号，自2019年度报告起施行）："
                         "六个部分、三张统计表和统计期限说明的检查不适用，已跳过")
    return None


# an interpretation page of a report (文字解读:…年度报告, 图解…): audited as a report it would raise an
# S001 for every part; it is named instead
_INTERPRETATION = pattern_cache.compile(r"^\s*(?:文字|图文|图片|视频|政策)?解读\s*[:：|]?|^\s*图解|^\s*一图(?:读懂|看懂|解读)")
# … or after the report's name on its title line ("…年度报告解读", "《…年度报告》政策解读")
_INTERPRETATION_AFTER = pattern_cache.compile(r"(?:报告|年报)\s*》?\s*(?:的)?\s*(?:政策|文字|图文|图片)?解读")
# a report on part of a year ("2023年上半年…情况报告", "第一季度")
_PART_OF_A_YEAR = pattern_cache.compile(r"[上下]半年|半年度|季度|[一二三四五六七八九十\d]{1,2}\s*月份?(?:政府|政务|信息)")
_MODEL_ESSAY = pattern_cache.compile(r"范文|模板|样本|示例|素材|写作|参考")
# the page saying it interprets the report ("现就年报内容进行如下解读", "对…报告解读如下")
# (within one clause: "现将…情况报告如下：" / "（一）加强公开解读回应" is a report's preamble and its
# first heading, not a 解读 — a 2018 city report was refused so; lines are joined, a wrapped
# sentence still reads)
_INTERPRETS = pattern_cache.compile(r"现(?:就|对|将)(?:(?!如下)[^。:：；;]){0,30}?(?:进行)?(?:如下|以下|简要)?解读"
                                    r"|(?:报告|年报)[^。:：]{0,10}?解读如下")
# words only the report's own template has (its tables' rows and its parts' official titles)
_TEMPLATE_WORDS = pattern_cache.compile(r"本年新收政府信息公开申请数量|上年结转政府信息公开申请数量|第二十条第\s*[(（]|"
                                        r"收到和处理政府信息公开申请|政府信息公开行政复议")


def _not_a_report(doc: Document, facts, cells: dict) -> str | None:
    """Why the text is not an annual report (a page of another kind in the batch: a budget
    statement, a work summary, news of a meeting), or None when it is one. A report shows itself by
    any of: a table cell read, its template's own words, two of its parts with 信息公开 wording, or
    a title line that is the report's title (with a part found, or the line holding nothing else)."""
    if any(v is not None for v in cells.values()):
        return None
    title_line = doc.line(facts.title_line).text.strip() if facts.title_line else ""
    if facts.title and (_NOTICE_TITLE.search(facts.title) or (len(title_line) <= 80 and _NOTICE_TITLE.search(title_line))):
        return f"不是政府信息公开工作年度报告：“{facts.title[:40]}”是关于年度报告工作的通知、通报或部署，不是报告本身"
    if any(len(ln.text) <= 100 and "。" not in ln.text and _THE_FORMAT.search(ln.text) and not _CITES.search(ln.text)
           for ln in doc.lines[:12]):
        # the 国办 notice issuing the format, its blank tables attached: template words, no report
        return "不是政府信息公开工作年度报告：这是印发年度报告格式的通知或格式文本（表格为空白模板），不是报告本身"
    head = "\n".join(ln.text for ln in doc.lines[:600])
    articles = sum(1 for ln in doc.lines[:600] if _ARTICLE.match(ln.text))
    if articles >= 3:
        return ("不是政府信息公开工作年度报告：逐条写成“第×条”的是制度或办法（如关于年度报告的规定），不是报告本身")
    if facts.period is not None and _SELF_REFERENCE.search(head):
        return None  # "本报告所列数据的统计期限自…": a report that says what it covers (no title, no heading)
    if any(len(ln.text.strip()) <= 40 and _TEMPLATE_WORDS.search(ln.text) for ln in doc.lines[:600]):
        return None  # as a heading or a table row (news describing a report names them in a sentence)
    if len(facts.sections) >= 2 and _REPORT_HINTS.search(head):
        return None
    title_lines = "".join(doc.line(n).text for n in (facts.title_line, facts.title_line + 1)
                          if 1 <= n <= doc.n) if facts.title_line else ""
    if facts.title and (facts.sections or (_whole_line(doc, facts) and not _MODEL_ESSAY.search(title_lines))):
        return None  # (a title alone, but not a model essay's: "2025年智慧政务政务公开报告范文参考")
    # a headline above the part (a short line, no sentence) naming another kind of document
    top = "".join(t for ln in doc.lines[:facts.sections[0].line - 1][:8] if (t := ln.text.strip())
                  and len(t) <= 40 and not re.search(r"[。，,；;]", t)) if facts.sections else ""
    if _LISTS_ITS_PARTS.search(head) and sum(1 for t in _OFFICIAL_PART_TITLES if t in head) >= 3:
        return None  # the text lists its own official parts ("本报告由总体情况、主动公开政府信息情况、…组成")
    if _SUB_PARTS_OF_ONE.search(head) and len({m.group(0)[:2] for m in _SUB_PARTS_OF_ONE.finditer(head)}) >= 3:
        return None  # part 一's own sub-parts (主动公开情况, 依申请公开情况, 政府信息管理情况…): a report, however introduced
    if facts.sections and _SUMMED_UP.search("".join(ln.text for ln in doc.lines[:facts.sections[0].line - 1][-3:])):
        top += "总结"  # "…工作总结如下：" just above the part: a summary
    if len(facts.sections) == 1 and _part_as_titled(doc, facts.sections[0]) and not _OTHER_KIND.search(top) \
            and len({m.group(0) for m in _REPORT_HINTS.finditer(head)}) >= 2:
        return None  # one part of a report titled as reports title it (a page cut around it), 信息公开 in its text
    if not facts.title:  # (the text is no report by the tests above; this only names what it is)
        # a notice's own title names the reports as a task ("关于做好2016年…年度报告编制工作的通知"): no
        # report title is read from it, the notice is named all the same
        notice = next((t for ln in doc.lines[:8] if (t := ln.text.strip()) and len(t) <= 80
                       and ("年度报告" in t or "年报" in t) and _NOTICE_TITLE.search(t)), None)
        if notice:
            return f"不是政府信息公开工作年度报告：“{notice[:40]}”是关于年度报告工作的通知、通报或部署，不是报告本身"
    if facts.title:
        return f"不是政府信息公开工作年度报告：“{facts.title[:40]}”只是一行文字的一部分，也没有报告的各部分标题或统计表"
    if facts.sections:
        return ("不是政府信息公开工作年度报告：只有“" + facts.sections[0].title[:20]
                + "”一个像报告部分的标题，没有报告标题、其他部分或统计表")
    return "不是政府信息公开工作年度报告（没有找到六个部分的标题，也没有统计表）"


# part 一 as a report titles it (not "收入支出决算总体情况说明", "××分局基本情况")
_PART_ONE = pattern_cache.compile(r"(?:本年度|[0-9]{4}年度?)?(?:政府信息公开|政务公开)?(?:工作)?(?:总体情况|基本情况|概述|总体公开情况|总体工作情况|总体概况|基本概况)")


def _part_as_titled(doc: Document, section) -> bool:
    """The part's heading (as read: simplified, folded) is a report's: its official title, or for
    part 一 the words reports use (总体情况, 基本情况, 概述) with nothing else around them."""
    from .headings import official_title

    text = doc.line(section.line).text.strip()
    text = re.sub(r"^[#*]*\s*(?:[一二三四五六1-6—―－\-ー]?\s*[、.．,，]|[(（][一二三四五六][)）]|第[一二三四五六]部分[、.．:：]?)\s*",
                  "", text)
    text = re.split(r"[\s:：。，,;；*#]", text, maxsplit=1)[0]  # the heading's words (a sentence may follow)
    return official_title(section.number, text) or (section.number == 1 and bool(_PART_ONE.fullmatch(text)))


# a notice about the reports ("关于做好2025年政府信息公开工作年度报告编制和发布工作的通知"), not one
_NOTICE_TITLE = pattern_cache.compile(r"关于(?:做好|开展|印发|编制|报送|公布|发布|加强|规范|进一步|认真)|(?:情况|工作)的?(?:通报|通知)$|"
                                      r"(?:年度报告|年报)(?:的)?(?:公布|发布|报送|编制)(?:工作)?情况")
# the format itself as a heading, or the notice that issues it (not a report citing it: 根据/按照…)
_THE_FORMAT = pattern_cache.compile(r"^\s*(?:中华人民共和国)?政府信息公开工作年度报告格式\s*(?:[(（]试行[)）])?\s*$|"
                                    r"关于印发[^。]{0,12}《?(?:中华人民共和国)?政府信息公开工作年度报告格式")
_CITES = pattern_cache.compile(r"根据|按照|依据|依照|参照|严格|贯彻|落实|要求")
# an article of rules at the start of its line ("第二条 报告的内容："): rules are written so, reports never
_ARTICLE = pattern_cache.compile(r"^\s*第[一二三四五六七八九十百]{1,4}条(?:\s|　|[:：])")
# the text speaking of itself as the report ("本报告…统计期限", "编制本报告", "报告数据统计期限")
_SELF_REFERENCE = pattern_cache.compile(r"本(?:年度)?报告|编制本报告|报告(?:中|所列)?(?:的)?数据")
_PREAMBLE_CUE = pattern_cache.compile(r"现公布|现将|现予|现发布|特向社会公布|向社会公布|向社会公开|本报告")
# the first lines naming a document of another kind (a summary, a plan, a budget, a notice)
# the text speaking of its own parts: "(本年度)报告由…组成", "本报告包括/分为…", "全文包括…"
_LISTS_ITS_PARTS = pattern_cache.compile(r"(?:本(?:年度)?)?报告由[^。]{0,160}?(?:组成|构成)|(?:本(?:年度)?)?报告(?:包括|分为|共分)|全文包括")
_OFFICIAL_PART_TITLES = ("主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议、行政诉讼情况", "存在的主要问题",
                         "其他需要报告的事项")
# the template's sub-parts of part 一 (国办公开办函〔2021〕30号)
_SUB_PARTS_OF_ONE = pattern_cache.compile(r"(?:主动公开|依申请公开|政府信息管理|平台建设|监督保障)(?:政府信息)?(?:工作)?情况")
_SUMMED_UP = pattern_cache.compile(r"(?:总结|汇报)如下")
_OTHER_KIND = pattern_cache.compile(r"总结|汇报|要点|方案|计划|半年|季度|清单|指南|须知|决算|预算|通知|部署会|解读|制度|办法|规定|细则")


def _whole_line(doc: Document, facts) -> bool:
    """The title is (nearly) all its line says: a report's title, not a headline that mentions one
    ("召开2023年度政府信息公开工作年报编制和发布部署会")."""
    line = "".join(doc.line(facts.title_line).text.split()) if facts.title_line else ""
    line = line.rstrip("|｜")  # a page's layout residue after the title ("…年度报告 | ||||||")
    # (or the report names itself in its preamble: "…规定，现公布××办公厅2023年…年度报告。本报告由…")
    return len(line) - len("".join(facts.title.split())) <= 6 or bool(_PREAMBLE_CUE.search(line))




def _school_year(facts) -> bool:
    """A report for a school year: 学年 in its title, or a period from 1 September to 31 August."""
    if facts.title and "学年" in facts.title:
        return True
    p = facts.period
    return bool(p and p.start[5:] == "09-01" and p.end[5:] == "08-31")


_INSTITUTION = pattern_cache.compile(r"(?:研究所|研究院|研究中心|医院|大学|学院|学校|中学|小学|幼儿园|公司|集团|银行)$")


def _institution_report(facts) -> bool:
    """A public institution's or company's report: its title does not call it a government one
    (no 政府/政务 信息公开) and the body is a research institute, hospital, school or company."""
    return bool(facts.title and facts.agency and not re.search(r"政府|政务", facts.title)
                and _INSTITUTION.search(re.sub(r"\s*[(（][^()（）]*[)）]$", "", facts.agency)))


# the 2008 outline's own parts (政府信息公开的收费及减免情况, 咨询处理情况, 支出和收费): a report written to
# it, whose year may only be read from its body ("2015年，我局…")
_OLD_OUTLINE_WORDS = pattern_cache.compile(r"咨询处理情况|支出和收费|收费及减免|收费和减免|(?:支出|收费)(?:及|和)?(?:费用)?减免情况")


def _old_outline(doc: Document | None, cells: dict | None) -> bool:
    """The text follows the 2008 outline and nothing of the 2019 template: no table cell read, none
    of the template's own words."""
    if doc is None or (cells and any(v is not None for v in cells.values())):
        return False
    head = "\n".join(ln.text for ln in doc.lines[:600])
    return bool(_OLD_OUTLINE_WORDS.search(head)) and not _TEMPLATE_WORDS.search(head)


def _year_is_stated(facts, doc: Document | None = None) -> bool:
    """The year comes from the title, the statistics period or a sentence naming the report with it
    ("特向社会公布2014年××政府信息公开工作年度报告"), not from counting the years the body cites (a 2019
    report citing 2018 often must still be measured against the format)."""
    if facts.year_line is None:
        return False
    if facts.year_line in (facts.title_line, facts.period.line if facts.period else None):
        return True
    return doc is not None and bool(re.search(rf"{facts.year}\s*年度?[^。，,；;]{{0,40}}?(?:年度报告|年报)",
                                              doc.line(facts.year_line).text))


FIRST_FORMAT_YEAR = 2019  # the first report year of the official format with six parts and three tables
# signed before the format was issued (国办公开办函〔2019〕60号, late 2019): a report of an earlier year
FORMAT_ISSUED = "2019-07-01"
# checks that measure a report against that format: structure, tables, their arithmetic and the
# narrative compared with them
_TEMPLATE_CODES = ("S001", "S002", "S004", "S005", "S006", "S007", "S008", "S009", "S012", "P006", "P007", "A",
                   "N001", "N002", "N004", "N008", "Q004", "Q005")
