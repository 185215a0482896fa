"""Hostile file names and report text render inert in markdown, HTML, CSV, XLSX and Word.

A report can be written by anyone and a file named anything: raw HTML, markdown links with
`javascript:`, table-breaking `|` and newlines, formulas (`=HYPERLINK(…)`), UNC and `file:`
paths. Each output is read back the way its reader would (a CommonMark+GFM renderer for
markdown, html.parser, the csv module, openpyxl, python-docx) and checked.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from summarizer.models import AuditResult, Facts, Finding
from summarizer.outputs import OutputPlan, write_outputs
from summarizer.rubric import score_rubric
from summarizer.render.escape import FORMULA_START, link_target, md, sheet_text

sys.path.insert(0, str(Path(__file__).parent))
from test_deliverables import assert_self_contained, n001_report, parse, run  # noqa: E402

HOSTILE_TEXT = '<img src=x onerror=alert(1)>[点我](javascript:alert(1))|<b>'
FORMULA = '=HYPERLINK("http://e.x","点")'
HOSTILE_NAMES = [
    "<img src=x onerror=alert(1)>.txt",
    "[点我](javascript:alert(1)).txt",
    "a|b](c) d.txt",
    "line\nbreak.txt",
    '=HYPERLINK("http:evil.example","x").txt',  # a name cannot hold "/"
    "\\\\host\\share\\x.txt",
    "file:C:\\x.txt",
    "-2+3.txt",
    "@SUM(A1).txt",
    "100% #1?.txt",
]


def hostile_report(seed: int) -> str:
    """A generated report whose N001 quote carries HTML, a javascript: link and a formula."""
    return n001_report(seed, before=FORMULA, after=HOSTILE_TEXT)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    pytest.importorskip("openpyxl")
    pytest.importorskip("docx")
    base = tmp_path_factory.mktemp("hostile")
    folder = base / "in"
    folder.mkdir()
    for n, name in enumerate(HOSTILE_NAMES):
        (folder / name).write_text(hostile_report(40 + n), encoding="utf-8")
    outs = {}
    for fmt in ("md", "html", "docx"):
        p = run(["--no-llm", str(folder), "-o", str(base / fmt), "--format", fmt])
        assert p.returncode == 1, p.stderr  # every report has its N001; nothing unreadable
        outs[fmt] = base / fmt
    results = json.loads((outs["md"] / "results.json").read_text(encoding="utf-8"))
    # the hostile text really reached the results: the test below is not vacuous
    assert all(any(HOSTILE_TEXT in f["quote"] for f in r["findings"]) for r in results)
    return outs


def rendered_markdown(text: str) -> str:
    from markdown_it import MarkdownIt  # installed with rich

    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(text)


def test_markdown_renders_no_html_and_no_live_links(hostile):
    out = hostile["md"]
    files = [p for p in out.rglob("*.md")]
    assert len(files) == len(HOSTILE_NAMES) + 1
    for path in files:
        html = rendered_markdown(path.read_text(encoding="utf-8"))
        page = parse_html(html)
        for tag, attrs in page.tags:
            assert tag not in ("img", "script"), (path.name, tag)
            href = attrs.get("href")
            if href is not None:
                assert ":" not in href.split("/")[0], href  # relative, no scheme
                assert (out / _unquote(href)).is_file(), href
    index = (out / "index.md").read_text(encoding="utf-8")
    table = [ln for ln in index.splitlines() if ln.startswith("| ") and ln[2].isdigit()]
    assert len(table) == len(HOSTILE_NAMES)
    rendered = rendered_markdown(index)
    assert rendered.count("<tr>") == len(HOSTILE_NAMES) + 1  # no row broken by | or a newline
    assert all(row.count("<td>") == 10 for row in rendered.split("<tr>")[2:])


def _unquote(href: str) -> str:
    from urllib.parse import unquote

    return unquote(href)


def parse_html(text: str):
    from test_deliverables import Page

    page = Page()
    page.feed(text)
    return page


def test_html_escapes_everything_and_stays_self_contained(hostile):
    out = hostile["html"]
    pages = list(out.rglob("*.html"))
    assert len(pages) == len(HOSTILE_NAMES) + 1
    for path in pages:
        page = parse(path)
        assert_self_contained(page)
        text = "".join(page.text)
        if path.name != "index.html":
            assert HOSTILE_TEXT in text  # shown, as text
        for tag, attrs in page.tags:
            href = attrs.get("href")
            if href is not None and not href.startswith("#L"):
                assert ":" not in href.split("/")[0] and not href.startswith(("/", "\\")), href
                assert (out / _unquote(href)).is_file()
    index = parse(out / "index.html")
    assert sum(1 for tag, a in index.tags if tag == "a") == len(HOSTILE_NAMES)


def test_csv_and_xlsx_have_no_live_formulas(hostile):
    import openpyxl

    out = hostile["md"]
    rows = list(csv.reader((out / "overview.csv").open(encoding="utf-8-sig", newline="")))
    cells = [c for row in rows for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    wb = openpyxl.load_workbook(out / "overview.xlsx")
    seen_formula_text = False
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str) and c.value.startswith(FORMULA_START):
                    assert c.quotePrefix, (ws.title, c.coordinate)
                    seen_formula_text = True
                if c.hyperlink is not None:
                    target = c.hyperlink.target
                    assert ":" not in target.split("/")[0] and not target.startswith(("/", "\\")), target
                    assert (out / _unquote(target)).is_file()
    assert seen_formula_text  # the hostile names and quotes are there, as text


def test_word_holds_the_text_literally(hostile):
    import docx

    for path in hostile["docx"].rglob("*.docx"):
        d = docx.Document(str(path))
        if path.name != "overview.docx":
            text = "\n".join(p.text for p in d.paragraphs)
            assert HOSTILE_TEXT in text and FORMULA in text


def result(file: str, cells: dict, quote: str) -> AuditResult:
    f = Finding(code="A004", severity="error", message=f"总计 {quote}", line=3, quote=quote)
    r = AuditResult(file=file, facts=Facts(agency=FORMULA, year=2023, cells=cells), findings=[f])
    r.rubric = score_rubric(r)
    return r


def test_negative_numbers_stay_numbers_while_formula_text_is_neutralized(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    r = result("-1.txt", {"litigation.review.total": -2, "applications.new.total": -3}, "-5 件")
    plan = OutputPlan.create(tmp_path, [r.file])
    write_outputs(plan, [r])
    row = next(csv.DictReader((tmp_path / "overview.csv").open(encoding="utf-8-sig", newline="")))
    assert row["review_total"] == "-2" and row["applications_new_total"] == "-3"  # numbers, unchanged
    assert row["file"] == "'-1.txt" and row["agency"] == "'" + FORMULA
    found = openpyxl.load_workbook(tmp_path / "overview.xlsx")["发现"]
    assert found.cell(row=2, column=10).value == "-5 件" and found.cell(row=2, column=10).quotePrefix
    reports = openpyxl.load_workbook(tmp_path / "overview.xlsx")["报告"]
    score = reports.cell(row=2, column=11)
    assert isinstance(score.value, (int, float)) and score.data_type == "n"


def test_escape_helpers():
    assert md("a|b\nc") == "a\\|b c"
    assert md("[x](javascript:y)") == "\\[x\\](javascript:y)"
    assert link_target("部门A/a b](c)|d#e?.md") == "部门A/a%20b%5D%28c%29%7Cd%23e%3F.md"
    assert link_target("file:C:\\x") == "file%3AC%3A%5Cx"
    assert sheet_text(-3) == -3 and sheet_text(2.5) == 2.5 and sheet_text("-3") == "'-3"
    assert sheet_text("\t=1") == "'\t=1" and sheet_text("正常") == "正常"
    out = io.StringIO()
    csv.writer(out).writerow([sheet_text("=1+1")])
    assert out.getvalue().startswith("'=1+1")


def test_html_escaping_is_the_standard_librarys():
    import html as std_html

    from summarizer.render.escape import html
    for text in ("<img src=x onerror=alert(1)>", "a & b \"c\" 'd'", "&amp; already", "规章 <b>0</b>", ""):
        assert html(text) == std_html.escape(text, quote=True)
