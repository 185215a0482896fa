"""overview.xlsx: the batch as a workbook a reviewer filters and sorts (openpyxl, an extra).

Sheets: 报告 (one row per input, the files not audited included with what to do), 发现 (one
row per finding) and 统计 (counts by code). Chinese headers, column widths, a frozen header row
and filters on every sheet.

Safety: every text cell is stored as text with Excel's "quote prefix" (what typing a leading
apostrophe does), so a value starting with = + - @ is never a formula, even after editing the
cell; numbers stay numbers. The only hyperlinks are to the report's own output file, relative
and percent-encoded — never to a path taken from the input.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .common import SEV_ZH, code_title, score_pair
from .escape import FORMULA_START, clean, link_target
from .overview import Batch, statistics

MAX_CELL = 32000  # Excel holds at most 32,767 characters in a cell
REPORT_HEAD = [("排名", 6), ("报告", 36), ("机关", 30), ("年度", 7), ("格式", 7), ("统计期限", 24), ("成文日期", 12),
               ("错误", 6), ("警告", 6), ("提示", 6), ("得分", 7), ("满分", 7), ("代码", 30), ("状态", 12),
               ("说明与处理", 50)]
FINDING_HEAD = [("报告", 36), ("机关", 30), ("年度", 7), ("代码", 7), ("级别", 7), ("标题", 24), ("页", 5), ("行", 6),
                ("说明", 70), ("引文", 60)]
STAT_HEAD = [("代码", 7), ("级别", 7), ("标题", 30), ("发现数", 8), ("涉及报告数", 10)]
LINK_FONT = Font(color="0563C1", underline="single")


def _cell(ws, value, font=None):
    """One cell: numbers as numbers, text as quote-prefixed text (never a formula)."""
    cell = WriteOnlyCell(ws)
    if value is None or value == "":
        pass
    elif isinstance(value, (bool, int, float)):
        cell.value = value
    else:
        text = clean(value)[:MAX_CELL]
        cell.value = text
        cell.data_type = "s"  # openpyxl takes a leading "=" as a formula: this is text
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def _sheet(ws, head: list[tuple[str, int]], rows: list[list], links: list[str] | None = None) -> None:
    """A sheet written row by row (openpyxl's write-only mode: each row goes straight to the
    file, about twice as fast as building every cell first). `links`: a hyperlink for the second
    cell of each row (the report's own output file)."""
    for col, (_, width) in enumerate(head, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(1, len(rows) + 1)}"
    bold = Font(bold=True)
    ws.append([_cell(ws, title, bold) for title, _ in head])
    for n, values in enumerate(rows):
        cells = [_cell(ws, value) for value in values]
        if links is not None and n < len(links):
            cells[1].hyperlink = links[n]
            cells[1].font = LINK_FONT
        ws.append(cells)


def _report_rows(batch: Batch) -> list[list]:
    rows = []
    for row in batch.rows:
        r, f = row.result, row.result.facts
        if r.error:
            rows.append([row.rank, row.label] + [""] * 11 + ["无法审查", r.error])
            continue
        c = r.counts()
        pair = score_pair(r)
        period = f"{f.period.start} 至 {f.period.end}" if f.period else ""
        rows.append([row.rank, row.label, f.agency or "", f.year or "", f.format_version or "", period,
                     f.issued_on or "", c["error"], c["warning"], c["info"],
                     _number(pair[0]) if pair else "", _number(pair[1]) if pair else "",
                     " ".join(sorted({x.code for x in r.findings})), "已审查", "；".join(r.input_notes)])
    for s in batch.skipped:
        rows.append(["", s.rel] + [""] * 11 + ["未审查", s.reason])
    return rows


def _number(x: float):
    return int(x) if float(x).is_integer() else x


def overview_xlsx(batch: Batch) -> bytes:
    wb = Workbook(write_only=True)
    _sheet(wb.create_sheet("报告"), REPORT_HEAD, _report_rows(batch),
           links=[link_target(row.name) for row in batch.rows])  # the report's own output file, relative

    rows = []
    for row in batch.rows:
        r = row.result
        for f in r.findings:
            rows.append([row.label, r.facts.agency or "", r.facts.year or "", f.code, SEV_ZH[f.severity],
                         code_title(f.code), f.page if f.page is not None else "",
                         f.line if f.line is not None else "", f.message, f.quote])
    _sheet(wb.create_sheet("发现"), FINDING_HEAD, rows)

    _sheet(wb.create_sheet("统计"), STAT_HEAD, [[e["code"], SEV_ZH[e["severity"]], e["title"], e["findings"], e["reports"]]
                                              for e in statistics(batch.results)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
