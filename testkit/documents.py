"""Generated reports as the files reviewers receive: an HTML page, a .docx, a PDF.

Why: the text layouts of synth.py are what a report looks like after someone copied it; real
batches hold the published files themselves, whose tables have merged cells (rowspan/colspan),
blank cells written as &nbsp;, labels wrapped inside cells, numbers inside <span>/<font>, and
pages. Each table is laid out here as the official template lays it out (国办公开办函〔2019〕60号 /
〔2021〕30号 Word templates: label columns merged down their groups, 申请人情况 / 法人或其他组织
spanning their columns, 行政复议 / 行政诉讼 over five and ten columns), then written with the
format's own means: HTML markup, python-docx merges, fpdf2 table spans.

A document is a list of blocks: ("p", text) for a line of text, ("table", Grid) for a table.
"""

from __future__ import annotations

import html
import io
import random
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # "label" / "header" / "value"


@dataclass
class Grid:
    """One table: rows of the cells that start in that row (positions covered by a span omitted)."""

    name: str
    rows: list[list[Cell]] = field(default_factory=list)
    width: int = 0


# ====================================================================== the template's grids

_ORG = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_LIT_COLS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def active_grid(rows, width: int = 4) -> Grid:
    """二、主动公开: a group title over the whole width, a header row, then label + values; a row
    with fewer values than the table is wide has its last value spread over the rest."""
    g = Grid("active", width=width)
    for row in rows:
        if row.kind == "group":
            g.rows.append([Cell(row.labels[0], colspan=width, kind="header")])
            continue
        labels = [x for x in row.labels if x] or [""]
        cells = [Cell(labels[-1] if len(labels) == 1 else "".join(labels), kind="header" if row.kind == "header"
                      else "label")]
        values = list(row.values)
        kind = "header" if row.kind == "header" else "value"
        for i, v in enumerate(values):
            span = width - len(values) if i == len(values) - 1 else 1
            cells.append(Cell(v, colspan=max(1, span), kind=kind))
        g.rows.append(cells)
    return g


def applications_grid(rows) -> Grid:
    """三、依申请: three label columns and seven value columns. The label of a row fills the label
    columns it does not share: 一、/二、/四、 span all three, （一）（二）（七） two, items one; a
    group cell (三、本年度办理结果, （三）不予公开 …) spans down the rows of its group."""
    g = Grid("applications", width=10)
    g.rows.append([Cell("", rowspan=3, colspan=3, kind="header"), Cell("申请人情况", colspan=7, kind="header")])
    g.rows.append([Cell("自然人", rowspan=2, kind="header"), Cell("法人或其他组织", colspan=5, kind="header"),
                   Cell("总计", rowspan=2, kind="header")])
    g.rows.append([Cell(o, kind="header") for o in _ORG])
    labels = [(list(r.labels) + ["", "", ""])[:3] for r in rows]
    n = len(rows)
    for i, row in enumerate(rows):
        lab = labels[i]
        cells: list[Cell] = []
        for col in range(3):
            text = lab[col]
            if not text:
                continue  # covered by a group cell above (or nothing: a row of the group below)
            if col < 2 and any(lab[col + 1:]):
                # a group cell: down over the rows that leave this column empty and go on to the right
                down = 1
                while i + down < n and not labels[i + down][col] and any(labels[i + down][col + 1:]):
                    down += 1
                cells.append(Cell(text, rowspan=down))
                continue
            cells.append(Cell(text, colspan=3 - col))  # the row's own label fills the label columns left
            break
        cells += [Cell(v, kind="value") for v in row.values]
        g.rows.append(cells)
    return g


def litigation_grid(rows) -> Grid:
    g = Grid("litigation", width=15)
    g.rows.append([Cell("行政复议", colspan=5, kind="header"), Cell("行政诉讼", colspan=10, kind="header")])
    g.rows.append([Cell(c, rowspan=2, kind="header") for c in _LIT_COLS]
                  + [Cell("未经复议直接起诉", colspan=5, kind="header"), Cell("复议后起诉", colspan=5, kind="header")])
    g.rows.append([Cell(c, kind="header") for c in _LIT_COLS * 2])
    for row in rows:
        g.rows.append([Cell(v, kind="value") for v in row.values])
    return g


def grid_of(name: str, rows) -> Grid:
    return {"active": active_grid, "applications": applications_grid, "litigation": litigation_grid}[name](rows)


# ====================================================================== HTML


@dataclass
class HtmlStyle:
    """How a CMS or Word export writes the page: each switch is something seen on real pages."""

    nbsp_blanks: bool = True  # a blank cell is &nbsp;
    p_in_cells: bool = False  # every cell text wrapped in <p> (Word export)
    span_numbers: bool = False  # numbers wrapped in <span style=…> / <font>
    br_in_labels: bool = False  # long labels broken with <br>
    chrome: bool = True  # site header, breadcrumb, share widgets around the article


def random_html_style(rng: random.Random) -> HtmlStyle:
    return HtmlStyle(nbsp_blanks=rng.random() < 0.7, p_in_cells=rng.random() < 0.4,
                     span_numbers=rng.random() < 0.4, br_in_labels=rng.random() < 0.3, chrome=rng.random() < 0.7)


def _html_cell(cell: Cell, style: HtmlStyle, rng: random.Random) -> str:
    text = html.escape(cell.text)
    if not cell.text.strip():
        text = "&nbsp;" if style.nbsp_blanks else ""
    elif cell.kind == "value" and style.span_numbers:
        text = rng.choice((f'<span style="font-family:宋体;font-size:10.5pt">{text}</span>',
                           f'<font face="宋体">{text}</font>'))
    elif "\n" in cell.text:
        text = "<br>".join(html.escape(part) for part in cell.text.split("\n"))
    elif cell.kind == "label" and style.br_in_labels and len(cell.text) > 8:
        cut = rng.randint(3, len(cell.text) - 3)
        text = html.escape(cell.text[:cut]) + "<br>" + html.escape(cell.text[cut:])
    if style.p_in_cells and cell.text.strip():
        text = f'<p class="MsoNormal" align="center">{text}</p>'
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    return f"<td{attrs}>{text}</td>"


def to_html(blocks: list, rng: random.Random, style: HtmlStyle | None = None, title: str = "") -> str:
    style = style or random_html_style(rng)
    out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\">", f"<title>{html.escape(title)}</title>",
           "<style>td{border:1px solid #000}</style></head><body>"]
    if style.chrome:
        out += ['<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>'
                '</ul></div>', '<div class="breadcrumb">您当前的位置：<a href="/">首页</a> » <a href="#">信息公开</a></div>']
    out.append('<div class="article">')
    for kind, body in blocks:
        if kind == "p":
            out.append(f"<p>{html.escape(body)}</p>" if body.strip() else "")
        else:
            out.append('<table border="1" cellspacing="0" cellpadding="0">')
            for row in body.rows:
                out.append("<tr>" + "".join(_html_cell(c, style, rng) for c in row) + "</tr>")
            out.append("</table>")
    out.append("</div>")
    if style.chrome:
        out.append('<div class="footer">【<a href="javascript:window.print()">打印本页</a>】'
                   '【<a href="javascript:window.close()">关闭窗口</a>】 版权所有 网站标识码</div>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ====================================================================== DOCX


def to_docx(blocks: list) -> bytes:
    """A .docx with real merged cells (python-docx's merge)."""
    import docx

    document = docx.Document()
    for kind, body in blocks:
        if kind == "p":
            if body.strip():
                document.add_paragraph(body)
            continue
        grid: Grid = body
        table = document.add_table(rows=len(grid.rows), cols=grid.width)
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(grid.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                top = table.cell(r, c)
                if cell.rowspan > 1 or cell.colspan > 1:
                    top = top.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
                top.text = cell.text
                for rr in range(r, r + cell.rowspan):
                    for cc in range(c, c + cell.colspan):
                        taken.add((rr, cc))
                c += cell.colspan
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# ====================================================================== PDF


def cjk_font() -> Path | None:
    """A CJK TrueType font for fpdf2, from the test extra's font package; None when absent."""
    try:
        import justmytype_intl_cjk
    except ImportError:
        return None
    base = Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanssc"
    found = sorted(base.glob("*.ttf"))
    return found[0] if found else None


def to_pdf(blocks: list, font: Path) -> bytes:
    """A ruled-table PDF as Word prints it: text lines, then each table with its spans, pages
    broken where they fall (a table may run over a page break)."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.add_font("cjk", "", str(font))
    pdf.set_font("cjk", size=9)
    for kind, body in blocks:
        if kind == "p":
            if body.strip():
                pdf.set_x(pdf.l_margin)
                pdf.multi_cell(0, 5, body, new_x="LMARGIN", new_y="NEXT")
            continue
        grid: Grid = body
        pdf.set_x(pdf.l_margin)
        widths = {"active": (34, 22, 22, 22), "applications": (16, 16, 40) + (12,) * 7}.get(grid.name)
        with pdf.table(text_align="CENTER", line_height=4.5, first_row_as_headings=False, col_widths=widths) as table:
            for row in grid.rows:
                r = table.row()
                for cell in row:
                    r.cell(cell.text, rowspan=cell.rowspan, colspan=cell.colspan)
        pdf.ln(2)
    return bytes(pdf.output())
