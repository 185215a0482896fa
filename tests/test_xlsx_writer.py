"""overview.xlsx is written without a library (render/xlsx.py): every part must be well-formed
XML that the package's content types and relationships name, and openpyxl (what Excel-compatible
readers rest on) must read back the same cells, styles, links, panes and filters."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

import pytest

from summarizer.models import AuditResult, Facts, Finding
from summarizer.outputs import OutputPlan, write_outputs
from summarizer.render.xlsx import column
from summarizer.rubric import score_rubric

openpyxl = pytest.importorskip("openpyxl")


def _results() -> list[AuditResult]:
    out = []
    for n, (agency, quote) in enumerate([("某县人民政府", "合计 12 件"), ("=HYPERLINK(\"http://x\")", "-5 件"),
                                         ("a & b <c> \"d\" 'e'", "第\x01一行\n第二行\t制表")]):
        f = Finding(code="A004", severity="error", message=f"总计 {n}", line=3 + n, quote=quote)
        w = Finding(code="N001", severity="warning", message="叙述与表格不一致", line=None, page=2, quote="")
        r = AuditResult(file=f"{n}-{agency[:3]}.txt", facts=Facts(agency=agency, year=2023), findings=[f, w])
        r.rubric = score_rubric(r)
        out.append(r)
    return out


def _write(tmp_path) -> bytes:
    results = _results()
    plan = OutputPlan.create(tmp_path, [r.file for r in results])
    write_outputs(plan, results)
    return (tmp_path / "overview.xlsx").read_bytes()


def test_every_part_is_well_formed_and_named_by_the_package(tmp_path):
    data = _write(tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        for name in names:
            ElementTree.fromstring(z.read(name))  # raises on anything not well-formed
        types = z.read("[Content_Types].xml").decode()
        for part in ("/xl/workbook.xml", "/xl/styles.xml", "/xl/worksheets/sheet1.xml", "/xl/worksheets/sheet3.xml"):
            assert f'PartName="{part}"' in types
        for rels in [n for n in names if n.endswith(".rels")]:
            owner = rels.replace("_rels/", "").removesuffix(".rels")  # the part these relationships belong to
            base = owner.rsplit("/", 1)[0] if "/" in owner else ""  # targets are relative to its folder
            for rel in ElementTree.fromstring(z.read(rels)):
                if rel.get("TargetMode") == "External":
                    assert not rel.get("Target").startswith(("/", "\\", "file:")) and ":" not in rel.get("Target")
                    continue
                target = f"{base}/{rel.get('Target')}" if base else rel.get("Target")
                assert target in names, (rels, target)


def test_openpyxl_reads_back_cells_styles_links_panes_and_filters(tmp_path):
    wb = openpyxl.load_workbook(io.BytesIO(_write(tmp_path)))
    assert wb.sheetnames == ["报告", "发现", "统计"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{column(ws.max_column)}{ws.max_row}"
        assert all(c.font.b for c in ws[1])
    reports, found = wb["报告"], wb["发现"]
    assert reports.column_dimensions["B"].width == 36
    agencies = {reports.cell(row=r, column=3).value for r in range(2, 5)}
    assert agencies == {"某县人民政府", "=HYPERLINK(\"http://x\")", "a & b <c> \"d\" 'e'"}
    for r in range(2, 5):
        link = reports.cell(row=r, column=2)
        assert link.hyperlink.target.endswith(".txt.md") and link.font.u == "single"
        rank = reports.cell(row=r, column=1)
        assert isinstance(rank.value, int) and rank.data_type == "n"
        agency = reports.cell(row=r, column=3)
        assert agency.data_type == "s" and agency.quotePrefix == agency.value.startswith("=")
    quotes = [found.cell(row=r, column=10).value for r in range(2, found.max_row + 1)]
    assert "-5 件" in quotes and "第一行\n第二行\t制表" in quotes  # the control character dropped
    minus = next(found.cell(row=r, column=10) for r in range(2, found.max_row + 1)
                 if found.cell(row=r, column=10).value == "-5 件")
    assert minus.quotePrefix and minus.data_type == "s"
    assert found.cell(row=2, column=8).value is None or isinstance(found.cell(row=2, column=8).value, int)


def test_column_letters():
    assert [column(n) for n in (1, 15, 26, 27, 52, 53, 702, 703)] == ["A", "O", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
