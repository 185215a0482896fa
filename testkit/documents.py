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

import hashlib
import html
import io
import os
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
    """A .docx whose tables carry real merges, written as Word writes them: w:gridSpan for a cell
    spanning columns, w:vMerge restart/continue for one spanning rows (python-docx's own
    cell.merge() is far too slow for a test suite)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    body = document.element.body
    for kind, block in blocks:
        if kind == "p":
            if block.strip():
                document.add_paragraph(block)
            continue
        grid: Grid = block
        below: dict[tuple[int, int], int] = {}  # (row, col) covered from above -> colspan of that cell
        rows_xml = []
        for r, row in enumerate(grid.rows):
            cells_xml = []
            c = 0
            queue = list(row)
            while c < grid.width:
                if (r, c) in below:
                    span = below[(r, c)]
                    cells_xml.append(_docx_cell("", span, "continue"))
                    c += span
                    continue
                if not queue:
                    break
                cell = queue.pop(0)
                merge = "restart" if cell.rowspan > 1 else None
                for rr in range(r + 1, r + cell.rowspan):
                    below[(rr, c)] = cell.colspan
                cells_xml.append(_docx_cell(cell.text, cell.colspan, merge))
                c += cell.colspan
            rows_xml.append("<w:tr>" + "".join(cells_xml) + "</w:tr>")
        cols = "".join("<w:gridCol w:w=\"800\"/>" for _ in range(grid.width))
        tbl = parse_xml(f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
                        f"<w:tblW w:w=\"0\" w:type=\"auto\"/></w:tblPr><w:tblGrid>{cols}</w:tblGrid>"
                        + "".join(rows_xml) + "</w:tbl>")
        body.insert(len(body) - 1, tbl)  # before the section properties
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _docx_cell(text: str, colspan: int, vmerge: str | None) -> str:
    props = ""
    if colspan > 1:
        props += f"<w:gridSpan w:val=\"{colspan}\"/>"
    if vmerge == "restart":
        props += "<w:vMerge w:val=\"restart\"/>"
    elif vmerge == "continue":
        props += "<w:vMerge/>"
    paras = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{html.escape(part, quote=False)}</w:t></w:r></w:p>"
                    for part in (text.split("\n") if text else [""]))
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paras}</w:tc>"


# ====================================================================== PDF


def cjk_font() -> Path | None:
    """A CJK TrueType font for fpdf2: the test extra's Noto Sans SC, cut down once (fontTools) to the
    characters reports use and cached beside the temp folder, since loading the whole 17 MB font
    costs seconds per PDF. None when the font package is absent."""
    try:
        import justmytype_intl_cjk
    except ImportError:
        return None
    base = Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanssc"
    found = sorted(base.glob("*.ttf"))
    if not found:
        return None
    import tempfile

    chars = _font_chars()
    key = hashlib.sha1(chars.encode("utf-8")).hexdigest()[:10]
    cache = Path(tempfile.gettempdir()) / f"gov-report-audit-cjk-{key}.ttf"
    if not cache.exists():
        from fontTools import subset

        options = subset.Options()
        options.layout_features = []
        options.notdef_outline = True
        font = subset.load_font(str(found[0]), options)
        sub = subset.Subsetter(options)
        sub.populate(text=chars)
        sub.subset(font)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        subset.save_font(font, str(tmp), options)
        os.replace(tmp, cache)
    return cache


def _font_chars() -> str:
    """Every character the generator can write: what synth.py, noises.py and the schema spell, in
    simplified and traditional forms (the `traditional` noise), plus ASCII and full-width forms."""
    here = Path(__file__).parent
    texts = [(here / name).read_text(encoding="utf-8") for name in ("synth.py", "noises.py", "table_noises.py")]
    texts.append(Path(__file__).parents[1].joinpath("summarizer", "schema.py").read_text(encoding="utf-8"))
    chars = set("".join(texts))
    chars.update(" ０１２３４５６７８９，．＋－／（）：；、。“”《》〔〕【】—…·～％頁")
    chars.update(chr(c) for c in range(0x20, 0x7F))
    try:
        import opencc

        for config in ("s2t", "s2tw", "s2hk"):
            conv = opencc.OpenCC(config)
            chars.update(conv.convert("\n".join(texts)))
    except ImportError:
        pass
    return "".join(sorted(chars))


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
        if widths:  # rows padded with empty cells (noise padding_cells) are wider than the template
            ncols = max(sum(c.colspan for c in row) for row in grid.rows)
            widths = widths + (8,) * max(0, ncols - len(widths))
        with pdf.table(text_align="CENTER", line_height=4.5, first_row_as_headings=False, col_widths=widths) as table:
            for row in grid.rows:
                r = table.row()
                for cell in row:
                    r.cell(cell.text, rowspan=cell.rowspan, colspan=cell.colspan)
        pdf.ln(2)
    return bytes(pdf.output())
