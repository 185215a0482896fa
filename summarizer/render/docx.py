"""Word output (python-docx, an extra): one .docx per report, fit to send as 审查意见, and an
overview .docx for a batch.

Content as in the markdown and HTML: a header table (机关/年度/格式/期限/成文日期/得分…),
findings grouped by severity and code with page/line and quote, the LLM summary when present,
the rubric and the extracted tables. Built only from python-docx's own template and styles
(Normal, Heading 1–3, Table Grid), which Word and WPS both open; the East Asian font is set
explicitly so Chinese text does not fall back to a Western face. Text is stripped of the
control characters XML cannot hold; a .docx has no markup to inject, so nothing else is needed.
"""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from ..models import AuditResult
from .common import (SEV_TITLE, all_tables, code_title, grouped, headline, llm_status, location, rubric_rows,
                     score_note, summary_sections)
from .escape import clean
from .overview import RANKING_HEAD, Batch, ranking_cells, statistics

FONT = "宋体"
GREY = RGBColor(0x55, 0x55, 0x55)


def _new() -> Document:
    doc = Document()
    for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
        style = doc.styles[name]
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), FONT)
    doc.styles["Normal"].font.size = Pt(10.5)
    return doc


def _table(doc, header: list[str], rows: list[list]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = clean("" if value is None else value)
    doc.add_paragraph()


def _quote(doc, text: str) -> None:
    p = doc.add_paragraph()
    run = p.add_run(clean(text))
    run.font.color.rgb = GREY
    p.paragraph_format.left_indent = Pt(18)


def render_docx(result: AuditResult) -> bytes:
    doc = _new()
    if result.error:
        doc.add_heading(clean(f"无法审查：{result.file}"), level=1)
        doc.add_paragraph(clean(result.error))
        return _bytes(doc)
    doc.add_heading("政府信息公开工作年度报告审查意见", level=1)
    doc.add_paragraph(clean(result.facts.title or result.facts.agency or result.file))
    doc.add_paragraph(clean(f"文件：{result.file}"))
    _table(doc, ["项目", "内容"], [list(row) for row in headline(result)])
    for note in result.input_notes:
        doc.add_paragraph(clean(f"读取说明：{note}"))
    doc.add_heading("发现", level=2)
    if not result.findings:
        doc.add_paragraph("未发现问题。")
    for sev, codes in grouped(result):
        total = sum(len(fs) for _, fs in codes)
        doc.add_heading(f"{SEV_TITLE[sev]}：{total} 条", level=3)
        for code, fs in codes:
            p = doc.add_paragraph()
            p.add_run(clean(f"{code} {code_title(code)}（{len(fs)} 处）")).bold = True
            for f in fs:
                src = "（大模型发现，引文已核验）" if f.source == "llm" else ""
                doc.add_paragraph(clean(f"{location(f)}：{f.message}{src}"), style="List Bullet")
                _quote(doc, f"引文：「{f.quote}」")
                for e in f.related:
                    _quote(doc, f"{location(e)}：「{e.quote}」")
    doc.add_paragraph(clean(llm_status(result)))
    for note in result.llm.notes:
        doc.add_paragraph(clean(note))
    sections = summary_sections(result)
    if sections:
        doc.add_heading("摘要（大模型辅助，引文均已核验）", level=2)
        for heading, items in sections:
            doc.add_heading(heading, level=3)
            if not items:
                doc.add_paragraph("（无可核验的条目）")
            for text, line, quote in items:
                doc.add_paragraph(clean(f"{text}（第{line}行：“{quote}”）"), style="List Bullet")
    if result.rubric:
        doc.add_heading(clean(f"评分：{score_note(result)}"), level=2)
        _table(doc, ["编号", "指标", "方式", "得分", "满分", "说明"], rubric_rows(result))
    doc.add_heading("抽取的统计表（供核对）", level=2)
    for title, status, blocks in all_tables(result):
        doc.add_heading(title, level=3)
        doc.add_paragraph(clean(status))
        for header, rows in blocks:
            _table(doc, header, rows)
    return _bytes(doc)


def overview_docx(batch: Batch) -> bytes:
    doc = _new()
    doc.add_heading("政府信息公开工作年度报告批量审查总览", level=1)
    doc.add_paragraph(batch.summary_line())
    rows = []
    for row in batch.rows:
        if row.result.error:
            rows.append([row.rank, row.label, f"无法审查：{row.result.error}"] + [""] * (len(RANKING_HEAD) - 3))
        else:
            rows.append([row.rank, row.label] + ranking_cells(row.result))
    _table(doc, RANKING_HEAD, rows)
    if batch.skipped:
        doc.add_heading("未审查的文件", level=2)
        _table(doc, ["文件", "原因与处理"], [[s.rel, s.reason] for s in batch.skipped])
    stats = statistics(batch.results)
    if stats:
        doc.add_heading("按代码统计", level=2)
        _table(doc, ["代码", "级别", "标题", "发现数", "涉及报告数"],
               [[e["code"], e["severity"], e["title"], e["findings"], e["reports"]] for e in stats])
    return _bytes(doc)


def _bytes(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
