"""One report in, one AuditResult out: read → segment → extract tables → checks → verified findings.

This module is the deterministic core the CLI, the LLM layer, the eval harness and the
benchmarks all call. It never imports the LLM stack.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from . import pattern_cache
from .checks import Context, run_checks
from .models import SEVERITY_ORDER, AuditResult, Finding
from .document import MAX_LINE_CHARS, Document, InputError, to_document
from .readers import read_document
from .segment import segment
from .tables.extract import extract

_REPORT_HINTS = pattern_cache.compile(r"政府信息公开|信息公开|政务公开|依申请公开|主动公开")


def _ws(s: str) -> str:
    return re.sub(r"\s+", "", s)


def verified(doc: Document, finding: Finding) -> bool:
    """A finding is shown only if its quote occurs verbatim (whitespace aside) at its line."""
    return _quote_at(doc, finding.line, finding.quote) and all(_quote_at(doc, e.line, e.quote) for e in finding.related)


def _quote_at(doc: Document, line: int | None, quote: str) -> bool:
    """The quote starts on `line` (it may run on over hard-wrapped lines that follow)."""
    if line is None or not (1 <= line <= doc.n) or not quote:
        return False
    q = _ws(quote)
    # the part of each line the audit reads (document.MAX_LINE_CHARS; a little more for removed marks)
    limit = MAX_LINE_CHARS + 1000
    first = _ws(doc.line(line).raw[:limit])
    if q in first:
        return True
    joined = "".join(_ws(doc.line(n).raw[:limit]) for n in range(line, min(doc.n, line + 6) + 1))
    return joined.find(q) != -1 and joined.find(q) < len(first)


# an interpretation page of a report (文字解读:…年度报告, 图解…): audited as a report it would raise an
# S001 for every part; it is named instead
_INTERPRETATION = pattern_cache.compile(r"^\s*(?:文字|图文|图片|视频|政策)?解读\s*[:：|]?|^\s*图解|^\s*一图(?:读懂|看懂|解读)")


def audit_document(doc: Document, select: Iterable[str] | None = None,
                   ignore: Iterable[str] | None = None) -> AuditResult:
    """The deterministic audit of a document that was read successfully."""
    facts = segment(doc)
    if not facts.sections and not _REPORT_HINTS.search("\n".join(ln.text for ln in doc.lines[:400])):
        raise InputError("不是政府信息公开工作年度报告（no report sections, tables or 信息公开 wording found）")
    if facts.title and _INTERPRETATION.match(facts.title):
        raise InputError(f"是年度报告的解读页面（“{facts.title[:40]}”），不是报告本身：请审查报告原文")
    ex = extract(doc, facts.sections)
    facts.cells = ex.cells
    facts.recovered_cells = ex.recovered
    facts.format_version = ex.format_version
    facts.low_confidence_cells = ex.low_confidence
    if not facts.sections and not ex.cells and not facts.title:
        raise InputError("不是政府信息公开工作年度报告（没有找到六个部分的标题，也没有统计表）")
    ctx = Context(doc=doc, facts=facts, tables=ex.tables, format_evidence=ex.format_evidence)
    findings = [f for f in run_checks(ctx, select, ignore) if verified(doc, f)]
    notes = list(doc.notes)
    if _school_year(facts):
        # a university's report under 高等学校信息公开办法: its own outline, a school year (9月–8月)
        # and its own deadline — none of the government format's checks apply
        findings = [f for f in findings if not f.code.startswith(_TEMPLATE_CODES + ("P",))]
        notes.append("这是高等学校的学年信息公开年度报告（《高等学校信息公开办法》），不适用政府信息公开工作年度报告"
                     "的格式、统计期限和公布期限，相关检查已跳过")
    elif facts.year is not None and facts.year < FIRST_FORMAT_YEAR and _year_is_stated(facts):
        # reports before 2019 followed the older outline (no six official parts, no three tables):
        # measuring them against today's template would be an error for every part
        findings = [f for f in findings if not f.code.startswith(_TEMPLATE_CODES)]
        notes.append(f"报告年度为{facts.year}年，早于现行年度报告格式（国办公开办函〔2019〕60号，自2019年度报告起施行）："
                     "六个部分和三张统计表的检查不适用，已跳过")
    for f in findings:
        _set_pages(doc, f)
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0, f.code))
    return AuditResult(file=doc.path, facts=facts, findings=findings, tables=list(ex.tables.values()),
                       source_kind=doc.source_kind, input_notes=notes)


def _school_year(facts) -> bool:
    """A report for a school year: 学年 in its title, or a period from 1 September to 31 August."""
    if facts.title and "学年" in facts.title:
        return True
    p = facts.period
    return bool(p and p.start[5:] == "09-01" and p.end[5:] == "08-31")


def _year_is_stated(facts) -> bool:
    """The year comes from the title or the statistics period, not from counting the years the body
    cites (a 2019 report citing 2018 often must still be measured against the format)."""
    return facts.year_line is not None and facts.year_line in (facts.title_line, facts.period.line if facts.period else None)


FIRST_FORMAT_YEAR = 2019  # the first report year of the official format with six parts and three tables
# checks that measure a report against that format: structure, tables, their arithmetic and the
# narrative compared with them
_TEMPLATE_CODES = ("S001", "S002", "S004", "S005", "S006", "S007", "S008", "S009", "S012", "P006", "P007", "A",
                   "N001", "N002", "N004", "N008", "Q004", "Q005")


def _set_pages(doc: Document, finding: Finding) -> None:
    """Paged inputs: each piece of evidence also cites its page ("第2页 第14行"); Word tables their
    table and row ("第2个表格第5行")."""
    if finding.line is not None and 1 <= finding.line <= doc.n:
        finding.page = doc.line(finding.line).page
        finding.place = doc.places.get(finding.line)
    for e in finding.related:
        if 1 <= e.line <= doc.n:
            e.page = doc.line(e.line).page
            e.place = doc.places.get(e.line)


def audit_text(text: str, name: str = "<text>", select: Iterable[str] | None = None,
               ignore: Iterable[str] | None = None) -> AuditResult:
    """Audit report text already in memory (tests, generator, benchmarks)."""
    return audit_document(to_document(text, name, "utf-8"), select, ignore)


def audit_path(path: str | Path, select: Iterable[str] | None = None,
               ignore: Iterable[str] | None = None, ocr: str = "auto") -> tuple[AuditResult, Document | None]:
    """Audit one file. Unreadable input gives a result with `error` set instead of raising.
    `ocr`: auto / force / off, for scanned pages (readers.read_document)."""
    try:
        doc = read_document(path, ocr)
        return audit_document(doc, select, ignore), doc
    except InputError as exc:
        return AuditResult(file=str(path), error=str(exc)), None
