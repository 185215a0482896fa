"""Converters from HTML / .docx / PDF to the plain-text layout the parsers read.

Fixtures are built here (small HTML strings, a .docx made with python-docx, a PDF drawn with
fpdf2); the real corpus files are only smoke-tested when present, with short expected rows.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from summarizer.readers.cells import cell_text as _cell_text
from summarizer.readers.docx import docx_to_text
from summarizer.readers.html import html_to_text
from summarizer.readers import read_document

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"


def _rows(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


# ---------------------------------------------------------------- HTML

WORD_TABLE_PAGE = """<!DOCTYPE html>
<html><head><title>站点标题</title><style>p { color: red }</style>
<script>var x = "<td>不是表格</td>";</script></head>
<body>
<div class="header"><ul><li><a href="/">首页</a></li><li><a href="/x">政务公开</a></li></ul></div>
<nav>导航 菜单</nav>
<ul class="links"><li><a href="/a">走进某县</a></li><li><a href="/b">办事服务</a></li></ul>
<h1>某县某局2023年政府信息公开工作年度报告</h1>
<p style="text-indent:2em"><span>根据《条例》</span><span>要求，</span>
<span>现公布本</span>
<span>年度报告。</span></p>
<p>一、总体情况</p>
<p>全年共收到申请<b>26</b>件。<br>第二行</p>
<table border="1">
<tr><td colspan="3" rowspan="2"><p><span>（本列数据）</span></p></td><td colspan="2">申请人情况</td></tr>
<tr><td><p><span>自然</span></p><p><span>人</span></p></td><td>总计</td></tr>
<tr><td colspan="3"><p class=MsoNormal><span>一、本年新收政府信息公开申请数量</span><o:p></o:p></p></td>
    <td><p><span>26</span></p></td><td>26</td></tr>
<tr><td rowspan="2"><span>三、本年</span><span>度办理结果</span></td>
    <td colspan="2"><p><span>（二）部分公开（区分处理的，只计这一情形，</span></p>
    <p><span>不计其他情形）</span></p></td><td>&nbsp;</td><td>0</td></tr>
<tr><td colspan="2">（七）总计</td><td>26<td>26
</table>
<p>五、存在的主要问题</p>
<p style="display:none">隐藏文字</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;某县某局</p>
<p>　　　2024年1月17日</p>
<div class="footer">版权所有 主办单位</div>
<iframe src="/footer.shtml">iframe text</iframe>
</body></html>
"""


def test_html_blocks_and_chrome():
    text = html_to_text(WORD_TABLE_PAGE)
    lines = text.splitlines()
    assert "某县某局2023年政府信息公开工作年度报告" in lines
    # spans across source lines are joined; no spaces between Chinese characters
    assert "根据《条例》要求，现公布本年度报告。" in lines
    assert "全年共收到申请26件。" in lines and "第二行" in lines
    # signature and date kept, padding gone
    assert lines[-2:] == ["某县某局", "2024年1月17日"]
    for chrome in ("站点标题", "不是表格", "首页", "导航", "走进某县", "隐藏文字", "版权所有", "iframe text", "color"):
        assert chrome not in text, chrome
    # reading order: the table sits between its surrounding paragraphs
    assert lines.index("一、总体情况") < lines.index("（本列数据）\t\t\t申请人情况\t") < lines.index("五、存在的主要问题")


def test_html_table_rows_are_tab_separated_with_merged_cells_once():
    rows = _rows(html_to_text(WORD_TABLE_PAGE))
    assert rows[0] == ["（本列数据）", "", "", "申请人情况", ""]
    assert rows[1] == ["", "", "", "自然人", "总计"]  # rowspan-covered positions left empty
    assert rows[2] == ["一、本年新收政府信息公开申请数量", "", "", "26", "26"]
    assert rows[3] == ["三、本年度办理结果", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "", "0"]
    assert rows[4] == ["", "（七）总计", "", "26", "26"]  # unclosed <td>s of the last row


def test_html_layout_table_is_read_as_blocks():
    page = """<table><tr><td>
      <p>一、总体情况</p><p>正文。</p>
      <table><tr><td>规章</td><td>0</td></tr></table>
    </td></tr></table>"""
    lines = html_to_text(page).splitlines()
    assert lines == ["一、总体情况", "正文。", "规章\t0"]


def test_html_chrome_class_does_not_drop_report():
    body = "".join(f"<p>第{i}段：政府信息公开工作的详细说明文字，用来超过长度阈值。</p>" for i in range(30))
    page = f'<div class="main-header-content">{body}<table><tr><td>规章</td><td>1</td></tr></table></div>'
    text = html_to_text(page)
    assert "第29段" in text and "规章\t1" in text


def test_html_through_read_document(tmp_path):
    f = tmp_path / "r.html"
    f.write_text(WORD_TABLE_PAGE, encoding="utf-8")
    doc = read_document(f)
    assert doc.source_kind == "html"
    assert any(ln.text == "一、本年新收政府信息公开申请数量\t\t\t26\t26" for ln in doc.lines)


# ---------------------------------------------------------------- cells


def test_cell_text_joins_wrapped_lines():
    assert _cell_text("（二）部分公开（区分处理的，只计这一情 形，不\n计其他情形）") == \
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert _cell_text("结果\n维持") == "结果维持"
    assert _cell_text("7730.\n28") == "7730.28"
    assert _cell_text("Partial\ndisclosure") == "Partial disclosure"
    assert _cell_text(None) == "" and _cell_text("  \n ") == ""


# ---------------------------------------------------------------- DOCX


def _make_docx() -> bytes:
    docx = pytest.importorskip("docx", reason="python-docx not installed")
    d = docx.Document()
    d.add_paragraph("某局2023年政府信息公开工作年度报告")
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=4, cols=4)
    t.cell(0, 0).merge(t.cell(1, 1))  # 2x2 block, top-left
    t.cell(0, 0).text = "（本列数据）"
    t.cell(0, 2).merge(t.cell(0, 3)).text = "申请人情况"
    t.cell(1, 2).text = "自然人"
    t.cell(1, 3).text = "总计"
    t.cell(2, 0).merge(t.cell(2, 1)).text = "一、本年新收政府信息公开申请数量"
    t.cell(2, 2).text = "5"
    t.cell(2, 3).text = "5"
    t.cell(3, 0).merge(t.cell(3, 1))
    c = t.cell(3, 0)
    c.paragraphs[0].text = "（二）部分公开（区分处理的，"
    c.add_paragraph("只计这一情形，不计其他情形）")
    t.cell(3, 2).text = "0"
    t.cell(3, 3).text = "0"
    d.add_paragraph("")
    d.add_paragraph("某局\n2024年1月17日")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_paragraphs_and_tables_in_body_order():
    text = docx_to_text(_make_docx())
    lines = text.splitlines()
    assert lines[:2] == ["某局2023年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    assert lines[2].split("\t") == ["（本列数据）", "", "申请人情况", ""]
    assert lines[3].split("\t") == ["", "", "自然人", "总计"]
    assert lines[4].split("\t") == ["一、本年新收政府信息公开申请数量", "", "5", "5"]
    assert lines[5].split("\t") == ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "", "0", "0"]
    assert lines[6:] == ["某局", "2024年1月17日"]


def test_docx_through_read_document(tmp_path):
    f = tmp_path / "r.docx"
    f.write_bytes(_make_docx())
    doc = read_document(f)
    assert doc.source_kind == "docx"
    assert any(ln.text.startswith("一、本年新收政府信息公开申请数量\t") for ln in doc.lines)


def test_docx_garbage_is_input_error():
    pytest.importorskip("docx", reason="python-docx not installed")
    from summarizer.document import InputError

    with pytest.raises(InputError):
        docx_to_text(b"PK\x03\x04 not really a zip")


# ---------------------------------------------------------------- PDF


def _make_pdf(fills_only: bool = False) -> bytes:
    """Two pages: prose on a white full-width background box (as Word exports it), a ruled
    table with a two-line cell, prose below, and page footers "- 1 -" / a bare "2".
    fills_only: draw the table cells as filled unstroked boxes only (no rulings)."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 not installed (test-only dependency)")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.set_fill_color(255, 255, 255)
    for i, y in enumerate((80, 107, 134)):
        pdf.rect(74, y, 444, 27, style="F")  # line background
        pdf.text(80, y + 18, f"Paragraph line {i + 1} above the table.")
    # ruled table: 3 rows x 3 columns, stroked cell borders
    x0, y0, widths, h = 74, 200, (200, 100, 100), 30
    data = [("Item", "Issued", "Total"), (None, "3", "8"), ("Regulations", "0", "0")]
    for r, row in enumerate(data):
        x = x0
        for c, value in enumerate(row):
            if fills_only:
                pdf.set_fill_color(230, 230, 230)
                pdf.rect(x, y0 + r * h, widths[c], h, style="F")
            else:
                pdf.rect(x, y0 + r * h, widths[c], h, style="D")
            if value:
                pdf.text(x + 4, y0 + r * h + 19, value)
            x += widths[c]
    # row 1, col 0: a label wrapped on two lines inside one cell
    pdf.text(x0 + 4, y0 + h + 12, "Normative")
    pdf.text(x0 + 4, y0 + h + 25, "documents")
    pdf.text(80, 330, "Text below the table.")
    pdf.text(290, 800, "- 1 -")
    pdf.add_page()
    pdf.text(80, 100, "Second page text.")
    pdf.text(295, 810, "2")
    return bytes(pdf.output())


@pytest.mark.parametrize("fills_only", [False, True])
def test_pdf_tables_as_tab_rows_in_reading_order(fills_only):
    pytest.importorskip("pdfplumber", reason="pdfplumber not installed")
    from summarizer.readers.pdf import pdf_to_text

    lines = pdf_to_text(_make_pdf(fills_only)).rstrip("\n").split("\n")  # splitlines() would split at \f
    assert lines == [
        "Paragraph line 1 above the table.",
        "Paragraph line 2 above the table.",
        "Paragraph line 3 above the table.",
        "Item\tIssued\tTotal",
        "Normative documents\t3\t8",
        "Regulations\t0\t0",
        "Text below the table.",
        "\fSecond page text.",  # a form feed starts each new page
    ]
    from summarizer.document import to_document

    doc = to_document("\n".join(lines), "x.pdf", "pdf", "pdf")
    assert [ln.page for ln in doc.lines] == [1] * 7 + [2]
    assert doc.lines[-1].raw == "Second page text."  # the form feed is not part of any quote


def test_pdf_garbage_is_input_error():
    pytest.importorskip("pdfplumber", reason="pdfplumber not installed")
    from summarizer.readers.pdf import pdf_to_text
    from summarizer.document import InputError

    with pytest.raises(InputError):
        pdf_to_text(b"%PDF-1.4\nnot really a pdf")


def test_pdf_without_pdfplumber_says_how_to_install(monkeypatch):
    import builtins

    from summarizer.readers.pdf import pdf_to_text
    from summarizer.document import InputError

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "pdfplumber":
            raise ImportError("no pdfplumber")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(InputError, match="pip install pdfplumber"):
        pdf_to_text(b"%PDF-1.4")


# ---------------------------------------------------------------- real corpus (smoke)


def _real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real corpus file {path} not present")
    return path


def _texts(path: Path) -> list[str]:
    """The original lines (before document.py's full-width normalization)."""
    return [ln.raw for ln in read_document(path).lines]


@pytest.mark.parametrize(
    "name, expected",
    [
        # table 4 data row; 行政复议 总计 really is printed 0 in the PDF (a real defect)
        ("2023_huaian_hongzequ.pdf", "10\t1\t0\t0\t0\t0\t0\t0\t0\t0\t5\t0\t0\t0\t0"),
        ("2024_huaian_hongzequ.pdf", "1\t1\t0\t0\t2\t1\t0\t0\t0\t1\t2\t0\t1\t0\t3"),
        ("2024_huaian_shizhengfu.pdf", "72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20"),
    ],
)
def test_real_pdf(name, expected):
    pytest.importorskip("pdfplumber", reason="pdfplumber not installed: real PDFs cannot be read")
    texts = _texts(_real(name))
    assert expected in texts
    assert any(t.startswith("一、本年新收政府信息公开申请数量\t") for t in texts)
    assert any("\t（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t" in t for t in texts)
    assert not any(t.strip() in ("- 1 -", "- 2 -", "- 3 -") for t in texts)
    assert any(t == "四、政府信息公开行政复议、行政诉讼情况" for t in texts)


def test_real_html():
    texts = _texts(_real("2023_shuyang_fagaiju.html"))
    assert "沭阳县发展和改革局2023年政府信息公开年度报告" in texts
    assert "一、本年新收政府信息公开申请数量\t\t\t26\t\t\t\t\t\t26" in texts
    assert "0\t0\t0\t1\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0" in texts
    assert "规范性文件\t8\t0\t18" in texts
    assert texts.count("六、其他需要报告的事项") == 1
    assert [t for t in texts if t][-2:] == ["沭阳县发展和改革局", "2024年1月17日"]
    joined = "\n".join(texts)
    for chrome in ("websiteCode", "繁體版", "无障碍", "走进沭阳", "智能问答"):
        assert chrome not in joined, chrome
