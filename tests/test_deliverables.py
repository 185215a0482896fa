"""What a reviewer opens after `audit FOLDER -o OUT`: markdown, Word, HTML, Excel and CSV, read
back with the libraries Word/WPS/Excel compatibility rests on (python-docx, openpyxl, the csv
module with utf-8-sig, html.parser), for a batch of nested folders with files that cannot be
audited among the reports."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from testkit import synth

AUDIT = [sys.executable, "-m", "summarizer.cli"]
ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AUDIT_"))}
    base["PYTHONPATH"] = str(ROOT)
    return subprocess.run(AUDIT + args, capture_output=True, text=True, cwd=cwd, env={**base, **(env or {})},
                          timeout=300)


def n001_report(seed: int, before: str = "", after: str = "") -> str:
    """A generated report whose narrative count disagrees with table 三 (an N001 error); the
    sentence it is quoted from can carry extra text before and after the count."""
    r = synth.generate(seed, fmt="2021", layout="cells")
    lines = r.text.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("一、")) + 1
    n = r.cells["applications.new.total"] or 0
    lines.insert(at, f"{before}本年度共收到政府信息公开申请{n + 5}件{after}。")
    return "\n".join(lines)


def write_docx(path: Path, text: str) -> None:
    import docx

    d = docx.Document()
    for line in text.split("\n"):
        d.add_paragraph(line)
    d.save(str(path))


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Path:
    """部门A/ (an N001 error and a clean report), 部门B/ (a .docx and a .doc), and files that
    cannot be audited: an OFD, an image, an unknown extension."""
    pytest.importorskip("docx")
    root = tmp_path_factory.mktemp("batch") / "reports"
    (root / "部门A").mkdir(parents=True)
    (root / "部门B" / "二级").mkdir(parents=True)
    (root / "部门A" / "年报.txt").write_text(n001_report(21), encoding="utf-8")
    (root / "部门A" / "干净.txt").write_text(synth.generate(22, fmt="2019", layout="tabs").text, encoding="utf-8")
    write_docx(root / "部门B" / "二级" / "年报.docx", synth.generate(23, fmt="2021", layout="cells").text)
    (root / "部门B" / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (root / "扫描件.ofd").write_bytes(b"PK\x03\x04 ofd")
    (root / "封面.jpg").write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    (root / "说明.xyz").write_text("?", encoding="utf-8")
    return root


NO_SOFFICE = {"PATH": os.path.dirname(sys.executable)}  # the .doc is then "not audited, save as .docx"


@pytest.fixture(scope="module")
def outputs(batch, tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    base = tmp_path_factory.mktemp("out")
    got = {}
    for fmt in ("md", "docx", "html"):
        out = base / fmt
        # --no-ocr: the (broken) 封面.jpg is named as not audited whether or not the OCR extra is installed
        got[fmt] = (out, run(["--no-llm", "--no-ocr", str(batch), "-o", str(out),
                              "--format", fmt.upper() if fmt == "docx" else fmt], env=NO_SOFFICE))
    return got


def test_skipped_files_are_named_with_what_to_do_and_exit_2(outputs):
    out, p = outputs["md"]
    assert p.returncode == 2, p.stderr
    assert "Traceback" not in p.stderr
    for name, advice in (("旧版.doc", "另存为 .docx 或 PDF"), ("扫描件.ofd", "PDF"), ("封面.jpg", "图片"),
                         ("说明.xyz", "未知格式")):
        line = next(ln for ln in p.stderr.splitlines() if name in ln)
        assert "未审查" in line and advice in line
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "## 未审查的文件" in index and "部门B/旧版.doc" in index and "另存为 .docx 或 PDF" in index
    assert p.stderr.strip().splitlines()[-1].startswith("audit: 审查 3 份报告")  # the one-line summary


def test_markdown_keeps_relative_folders_groups_codes_and_shows_x_of_y(outputs):
    out, _ = outputs["md"]
    assert (out / "部门A" / "年报.txt.md").is_file() and (out / "部门B" / "二级" / "年报.docx.md").is_file()
    index = (out / "index.md").read_text(encoding="utf-8")
    first = next(ln for ln in index.splitlines() if ln.startswith("| 1 |"))
    assert "[部门A/年报.txt](部门A/年报.txt.md)" in first and "N001" in first
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    for r in results:
        rub = r["rubric"]
        shown = f"{rub['scored_total']:g} / {rub['scored_max']:g}"
        row = next(ln for ln in index.splitlines() if Path(r["file"]).name in ln and ln.startswith("| "))
        assert shown in row
    report = (out / "部门A" / "年报.txt.md").read_text(encoding="utf-8")
    assert "#### N001 叙述的收到申请数与表三不一致（1 处）" in report
    # one heading per code, however many findings it has
    clean = (out / "部门A" / "干净.txt.md").read_text(encoding="utf-8")
    for code in {ln.split()[1] for ln in clean.splitlines() if ln.startswith("#### ")}:
        assert clean.count(f"#### {code} ") == 1


def test_word_reports_and_overview_read_back(outputs):
    import docx

    out, p = outputs["docx"]
    assert p.returncode == 2
    d = docx.Document(str(out / "部门A" / "年报.txt.docx"))
    head = {row.cells[0].text: row.cells[1].text for row in d.tables[0].rows}
    for label in ("发布机关", "报告年度", "表格格式", "统计期限", "成文日期", "得分"):
        assert head.get(label), label
    assert " / " in head["得分"]
    text = "\n".join(par.text for par in d.paragraphs)
    assert "错误（error）：1 条" in text and "N001" in text and "引文：「本年度共收到政府信息公开申请" in text
    assert "抽取的统计表" in text and len(d.tables) >= 4  # header, rubric, and the extracted tables
    overview = docx.Document(str(out / "overview.docx"))
    ranking = overview.tables[0]
    assert [c.text for c in ranking.rows[0].cells][:3] == ["排名", "报告", "机关"]
    assert ranking.rows[1].cells[1].text == "部门A/年报.txt"
    assert "部门B/旧版.doc" in "\n".join(c.text for t in overview.tables for row in t.rows for c in row.cells)


class Page(HTMLParser):
    """Collects what self-containment and link checks need."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.in_mark = False
        self.marks: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        self.in_mark = tag == "mark" or self.in_mark

    def handle_endtag(self, tag):
        if tag == "mark":
            self.in_mark = False

    def handle_data(self, data):
        self.text.append(data)
        if self.in_mark:
            self.marks.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def assert_self_contained(page: Page) -> None:
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        assert not any(k.startswith("on") for k in attrs), attrs
        assert "src" not in attrs
    css = "".join(page.text)
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def test_html_pages_are_self_contained_and_link_findings_to_the_text(outputs):
    out, _ = outputs["html"]
    page = parse(out / "部门A" / "年报.txt.html")
    assert_self_contained(page)
    anchors = [a["href"] for tag, a in page.tags if tag == "a" and a.get("href", "").startswith("#L")]
    assert anchors and all(h[1:] in page.ids for h in anchors)
    assert any("本年度共收到政府信息公开申请" in m for m in page.marks)  # the quote is highlighted
    hit_lines = [a["id"] for tag, a in page.tags if tag == "li" and a.get("class") == "hit"]
    assert set(h[1:] for h in anchors) <= set(hit_lines)
    index = parse(out / "index.html")
    assert_self_contained(index)
    links = [a["href"] for tag, a in index.tags if tag == "a"]
    assert links[0] == "部门A/年报.txt.html"
    assert all((out / link).is_file() for link in links)


def test_workbook_sheets_headers_links_and_counts(outputs):
    openpyxl = pytest.importorskip("openpyxl")
    out, _ = outputs["md"]
    wb = openpyxl.load_workbook(out / "overview.xlsx")
    assert wb.sheetnames == ["报告", "发现", "统计"]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    reports, found, stats = wb["报告"], wb["发现"], wb["统计"]
    head = [c.value for c in reports[1]]
    assert head[:3] == ["排名", "报告", "机关"] and "得分" in head and "满分" in head
    for ws in (reports, found, stats):
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert max(d.width for d in ws.column_dimensions.values()) >= 20  # widths set, not the default 8.43
    rows = [[c.value for c in row] for row in reports.iter_rows(min_row=2)]
    audited = [r for r in rows if r[0] is not None]
    assert len(audited) == len(results) and audited[0][1] == "部门A/年报.txt"
    assert reports.cell(row=2, column=2).hyperlink.target == "部门A/年报.txt.md"
    assert all(isinstance(r[head.index("得分")], (int, float)) for r in audited)
    skipped = {r[1]: r[-1] for r in rows if r[0] is None}
    assert "另存为 .docx 或 PDF" in skipped["部门B/旧版.doc"]
    assert [c.value for c in found[1]] == ["报告", "机关", "年度", "代码", "级别", "标题", "页", "行", "说明", "引文"]
    assert found.max_row - 1 == sum(len(r["findings"]) for r in results)
    counted = {row[0].value: row[3].value for row in stats.iter_rows(min_row=2)}
    expect: dict[str, int] = {}
    for r in results:
        for f in r["findings"]:
            expect[f["code"]] = expect.get(f["code"], 0) + 1
    assert counted == expect


def test_overview_csv_has_a_bom_and_every_score_with_its_denominator(outputs):
    out, _ = outputs["md"]
    raw = (out / "overview.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader((out / "overview.csv").open(encoding="utf-8-sig", newline="")))
    audited = [r for r in rows if r["rank"]]
    assert len(audited) == 3
    assert all(r["score"] and r["score_max"] and float(r["score"]) <= float(r["score_max"]) for r in audited)
    assert {Path(r["file"]).name for r in rows if not r["rank"]} == {"旧版.doc", "扫描件.ofd", "封面.jpg", "说明.xyz"}


def test_statistics_after_the_results(batch, tmp_path):
    p = run(["--no-llm", str(batch / "部门A"), "--statistics"])
    assert p.returncode == 1
    tail = p.stdout.rstrip().splitlines()
    assert tail[-1].startswith("共 ") and "错误" in tail[-1]
    assert any(" N001 " in ln and "[错误]" in ln for ln in tail)
    j = run(["--no-llm", str(batch / "部门A"), "--statistics", "--format", "json"])
    assert len(json.loads(j.stdout)) == 2 and "N001" in j.stderr  # stdout stays valid JSON


def test_llm_summary_and_rubric_statuses_reach_word_and_html(tmp_path):
    """The verified summary and the rubric as its dict holds it (无法评估 / 部分评估 included)."""
    pytest.importorskip("docx")
    import docx

    from llm_fixtures import good_summary, make_doc, make_result
    from summarizer.outputs import OutputPlan, write_report
    from summarizer.rubric import score_rubric

    r = make_result()
    r.summary = good_summary()
    r.llm.ran = True
    r.rubric = score_rubric(r)
    crit = r.rubric["criteria"]
    crit[0].update(score=None, status="not assessable", reason="相关表格均未能解析")
    crit[1].update(score=4.0, status="partial", reason="表三未能解析，只按表二、表四评分")
    texts = {}
    for fmt in ("docx", "html"):
        plan = OutputPlan.create(tmp_path / fmt, [r.file], fmt)
        path = write_report(plan, 0, r, make_doc())
        if fmt == "docx":
            d = docx.Document(str(path))
            texts[fmt] = "\n".join([p.text for p in d.paragraphs] +
                                   [c.text for t in d.tables for row in t.rows for c in row.cells])
        else:
            texts[fmt] = "".join(parse(path).text)
    for text in texts.values():
        assert "栏目更新不及时，通知公告全年仅更新4次" in text and "I1 → P1：" in text
        assert "无法评估" in text and "4（部分评估）" in text and "相关表格均未能解析" in text
