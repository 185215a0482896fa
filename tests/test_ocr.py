"""Scanned reports through offline OCR (issue 12).

Three kinds of test:
  - layout rebuild, low-confidence cells, S012 and the arithmetic skip: pure Python, always run;
  - the text path loads no OCR code, and without the extra a scan gets the clear message;
  - real OCR of scans typeset here from generated reports (testkit/scan.py): only where the
    `ocr` extra and a CJK font are installed, else skipped with the reason. A few pages only:
    the larger accuracy measurement is bench/ocr_bench.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.audit import audit_document
from summarizer.document import to_document
from summarizer.readers.ocr_layout import LOW_CONFIDENCE, Box, Grid, build_page
from testkit import synth

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- layout rebuild (no OCR needed)


def _grid(xs: list[float], ys: list[float], missing_h=(), missing_v=()) -> Grid:
    """A ruled table with rules at xs / ys; `missing_*` drop rule pieces to make merged cells:
    missing_h: (row edge index, column index) pieces; missing_v: (column edge index, row index)."""
    rules_h, rules_v = [], []
    for r, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if (r, c) not in missing_h:
                rules_h.append((y, xs[c], xs[c + 1]))
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (c, r) not in missing_v:
                rules_v.append((x, ys[r], ys[r + 1]))
    return Grid(xs[0], ys[0], xs[-1], ys[-1], rules_h, rules_v)


def _box(x0, y0, text, conf=0.99, w=None, h=30):
    return Box(x0, y0, x0 + (w or 28 * len(text)), y0 + h, text, conf)


def test_table_rows_from_rulings_with_wrapped_and_merged_cells():
    xs, ys = [100, 400, 500, 600], [100, 150, 250, 300]
    # row 0: "申请人情况" spans columns 1–2 (no rule between them), centred over the join;
    # row 1: the label wraps over two lines
    grid = _grid(xs, ys, missing_v={(2, 0)})
    boxes = [
        _box(110, 110, "信息内容"), _box(430, 110, "申请人情况", w=150),
        _box(110, 160, "一、本年新收政府"), _box(110, 200, "信息公开申请数量"),
        _box(440, 185, "12", w=25), _box(540, 185, "3", w=14, conf=0.5),
        _box(110, 260, "二、上年结转"), _box(540, 260, "0", w=14),
    ]
    page = build_page(boxes, [grid])
    assert page.lines == ["信息内容\t申请人情况\t", "一、本年新收政府信息公开申请数量\t12\t3", "二、上年结转\t\t0"]
    assert page.covered == {0: frozenset({2})}  # the header cell covers column 2: not a blank cell
    # the low-confidence "3" is marked by its span in the row line
    (start, end, conf), = page.low[1]
    assert page.lines[1][start:end] == "3" and conf == 0.5


def test_rowspan_label_goes_to_the_top_row_of_its_span():
    xs, ys = [100, 250, 400, 500], [100, 150, 200, 250]
    grid = _grid(xs, ys, missing_h={(2, 0)})  # column 0: rows 1 and 2 are one merged cell
    boxes = [_box(110, 110, "表头"), _box(110, 185, "（三）不予公开"),  # centred in the merged cell
             _box(260, 160, "1.属于国家秘密"), _box(420, 160, "2", w=14),
             _box(260, 210, "2.其他"), _box(420, 210, "5", w=14)]
    page = build_page(boxes, [grid])
    assert page.lines == ["表头\t\t", "（三）不予公开\t1.属于国家秘密\t2", "\t2.其他\t5"]
    assert page.covered == {2: frozenset({0})}


def test_paragraph_wrapped_by_the_page_is_joined_but_headings_and_sentence_ends_are_not():
    boxes = [
        _box(100, 100, "二、主动公开政府信息情况", w=400),
        _box(100, 150, "全年主动公开政府信息一百六十六条，其中部门", w=1000),
        _box(100, 200, "文件四十九条。", w=200),
        _box(100, 250, "本年度共收到申请一百一十件，结转下年度继续办", w=1000),
        _box(100, 300, "理三件。本段在页宽处以句号结束。一二三四五", w=1000),
        _box(100, 350, "三、收到和处理政府信息公开申请情况", w=600),
        _box(560, 1600, "- 2 -", w=60),
    ]
    page = build_page(boxes, [], page_width=1240)
    assert page.lines == ["二、主动公开政府信息情况",
                          "全年主动公开政府信息一百六十六条，其中部门文件四十九条。",
                          "本年度共收到申请一百一十件，结转下年度继续办理三件。本段在页宽处以句号结束。一二三四五",
                          "三、收到和处理政府信息公开申请情况"]  # the page footer is dropped


def test_short_lines_are_never_joined():
    """A page of short lines (the end of a report): the widest one is no wrapped paragraph."""
    boxes = [_box(100, 100, "六、其他需要报告的事项", w=300), _box(100, 150, "无", w=30),
             _box(100, 200, "某市某局", w=120), _box(100, 250, "2024年1月15日", w=200)]
    assert build_page(boxes, [], page_width=1240).lines == ["六、其他需要报告的事项", "无", "某市某局", "2024年1月15日"]


def test_unruled_table_columns_from_the_fullest_row():
    boxes = [_box(100, 100, "信息内容"), _box(500, 100, "本年制发件数", w=170), _box(700, 100, "本年废止件数", w=170),
             _box(900, 100, "现行有效件数", w=170),
             _box(100, 150, "规章"), _box(580, 150, "0", w=14), _box(780, 150, "0", w=14), _box(980, 150, "0", w=14),
             _box(100, 200, "行政规范性文件", w=200), _box(580, 200, "4", w=14), _box(980, 200, "31", w=28)]
    page = build_page(boxes, [])
    assert page.lines == ["信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t0\t0", "行政规范性文件\t4\t\t31"]


# ---------------------------------------------------------------- low-confidence cells (no OCR needed)


def _ocr_document(report: synth.SynthReport, low_cells: list[str]):
    """The report's text as an OCR Document whose given cells were read below the threshold."""
    doc = to_document(report.text, "scan.pdf", "ocr", "ocr")
    doc.source_kind = "ocr"
    # find each cell's row line and the value's position: the rows are "label\tv1\tv2…"
    from summarizer.audit import audit_text

    text_result = audit_text(report.text)
    sources = {k: v for t in text_result.tables for k, v in t.sources.items()}
    for key in low_cells:
        line, raw = sources[key]
        cells = doc.line(line).raw.split("\t")
        col = key.rsplit(".", 1)[1]
        from summarizer.schema import APPLICATION_COLUMNS

        index = len(cells) - len(APPLICATION_COLUMNS) + APPLICATION_COLUMNS.index(col)
        start = sum(len(c) + 1 for c in cells[:index])
        assert cells[index] == raw
        doc.low_confidence.setdefault(line, []).append((start, start + len(raw), 0.41))
    return doc


def test_low_confidence_cell_raises_s012_instead_of_an_arithmetic_error():
    report = synth.generate(3, fmt="2021", layout="tabs", defect="a002_row_sum")
    text_codes = {f.code for f in audit_document(to_document(report.text, "x.txt", "utf-8")).findings}
    assert "A002" in text_codes
    # the defect moved 1 between two rows' 自然人 cells: those two cells are read with low confidence
    from summarizer.audit import audit_text

    moved = sorted(next(k for k in f.cells if k.endswith(".person"))
                   for f in audit_text(report.text).findings if f.code == "A002")
    assert len(moved) == 2
    result = audit_document(_ocr_document(report, moved))
    assert result.facts.low_confidence_cells == moved
    codes = [f.code for f in result.findings]
    assert "A002" not in codes  # each rests on a cell OCR was unsure of
    s012 = [f for f in result.findings if f.code == "S012"]
    assert sorted((k, v) for f in s012 for k, v in f.cells.items()) == [(k, result.facts.cells[k]) for k in moved]
    assert all(f.severity == "info" and "0.41" in f.message and "核对" in f.message for f in s012)


def test_high_confidence_cells_keep_the_arithmetic_checks():
    report = synth.generate(3, fmt="2021", layout="tabs", defect="a002_row_sum")
    doc = to_document(report.text, "scan.pdf", "ocr", "ocr")
    result = audit_document(doc)
    assert result.facts.low_confidence_cells == []
    assert "A002" in {f.code for f in result.findings} and "S012" not in {f.code for f in result.findings}


# ---------------------------------------------------------------- text path and missing extra


def test_text_path_imports_no_ocr_code(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(synth.generate(1, layout="tabs").text, encoding="utf-8")
    code = ("import sys\nfrom summarizer.cli import main\nsys.argv = ['audit', '--no-llm', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = ['summarizer.readers.ocr', 'summarizer.readers.ocr_layout', 'summarizer.readers.image', "
            "'rapidocr', 'onnxruntime', 'numpy', 'cv2', 'PIL', 'pypdfium2']\n"
            "print('LOADED', [m for m in heavy if m in sys.modules], file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "LOADED []" in out.stderr, out.stderr[-2000:]
    assert "## " in out.stdout or "发布机关" in out.stdout


def _blank_scan_pdf(path: Path) -> None:
    """An image-only PDF (a grey box on a white page): a scan, no text layer, no font needed."""
    Image = pytest.importorskip("PIL.Image", reason="Pillow not installed (comes with pdfplumber)")
    img = Image.new("L", (1240, 1754), 255)
    img.paste(80, (200, 200, 1000, 260))
    img.save(path, "PDF", resolution=150.0)


def test_scan_without_the_extra_gets_the_install_line(tmp_path):
    pytest.importorskip("pdfplumber", reason="pdfplumber not installed")
    pdf = tmp_path / "scan.pdf"
    _blank_scan_pdf(pdf)
    png = tmp_path / "scan.png"
    pytest.importorskip("PIL.Image").new("L", (200, 100), 255).save(png)
    # emulate a machine without the extra: rapidocr cannot be imported (in this process: --procs 1)
    code = ("import sys\nsys.modules['rapidocr'] = None\nfrom summarizer.cli import main\n"
            "sys.argv = ['audit', '--no-llm', '--procs', '1'] + sys.argv[1:]\nmain()\n")
    out = subprocess.run([sys.executable, "-c", code, str(pdf), str(png)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert f"{pdf}: PDF 没有文字层（扫描件）" in out.stderr and "pip install" in out.stderr
    assert f"{png}: 未审查：图片" in out.stderr and "pip install -e '.[ocr]'" in out.stderr


def test_no_ocr_flag_refuses_scans_plainly(tmp_path):
    pytest.importorskip("pdfplumber", reason="pdfplumber not installed")
    pdf = tmp_path / "scan.pdf"
    _blank_scan_pdf(pdf)
    out = subprocess.run([sys.executable, "-m", "summarizer.cli", "--no-llm", "--no-ocr", str(pdf)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 2 and "--no-ocr" in out.stderr and "Traceback" not in out.stderr


# ---------------------------------------------------------------- real OCR (extra + CJK font)


def _ocr_ready():
    from summarizer.readers import ocr

    if not ocr.available():
        pytest.skip("OCR extra not installed (pip install -e '.[ocr]')")
    from testkit.scan import NO_FONT_REASON, find_cjk_font

    font = find_cjk_font()
    if font is None:
        pytest.skip(NO_FONT_REASON)
    return font


def _accuracy(truth: dict, cells: dict) -> float:
    return sum(1 for k, v in truth.items() if k in cells and cells[k] == v) / len(truth)


@pytest.fixture(scope="module")
def clean_scan(tmp_path_factory):
    font = _ocr_ready()
    from testkit.scan import image_pdf, render_pages

    report = synth.generate(11, fmt="2021", layout="tabs")
    path = tmp_path_factory.mktemp("scan") / "clean_2021.pdf"
    path.write_bytes(image_pdf(render_pages(report.text, font)))
    return report, path


def test_scanned_pdf_reads_like_the_text(clean_scan):
    from summarizer.readers import read_document

    report, path = clean_scan
    doc = read_document(path)
    assert doc.source_kind == "ocr" and any(ln.page and ln.page > 1 for ln in doc.lines)
    result = audit_document(doc)
    assert _accuracy(report.cells, result.facts.cells) >= 0.98
    f = result.facts
    assert (f.agency, f.year, f.format_version, f.issued_on) == (
        report.facts["agency"], report.facts["year"], report.facts["format_version"], report.facts["issued_on"])
    assert f.period is not None and (f.period.start, f.period.end) == (report.facts["period"]["start"],
                                                                       report.facts["period"]["end"])
    assert not [x for x in result.findings if x.code.startswith("A") and x.severity == "error"]
    assert result.source_kind == "ocr"
    assert any("OCR" in n and "平均置信度" in n for n in result.input_notes)


def test_scanned_tiff_with_a_defect_gives_the_text_findings_offline_and_quietly(tmp_path):
    """The CLI on a two-frame… multi-page TIFF of a report with an A001 defect, with networking
    blocked: same findings as the text, pages cited, nothing from RapidOCR on stderr."""
    font = _ocr_ready()
    from testkit.scan import render_pages

    report = synth.generate(5, fmt="2019", layout="tabs", defect="a001_balance")
    pages = render_pages(report.text, font)
    tif = tmp_path / "scan.tif"
    pages[0].save(tif, save_all=True, append_images=pages[1:], compression="tiff_deflate", dpi=(150, 150))
    txt = tmp_path / "scan.txt"
    txt.write_text(report.text, encoding="utf-8")
    block_network = (
        "import socket, sys\n"
        "def _refuse(*a, **k):\n    raise OSError('network access attempted during OCR')\n"
        "socket.socket.connect = _refuse\nsocket.create_connection = _refuse\nsocket.getaddrinfo = _refuse\n"
        "from summarizer.cli import main\nsys.argv = ['audit', '--no-llm', '--format', 'json'] + sys.argv[1:]\nmain()\n")
    out = subprocess.run([sys.executable, "-c", block_network, str(tif), str(txt)], capture_output=True, text=True,
                         cwd=ROOT, timeout=600, env={**os.environ, "CI": "1"})
    assert out.returncode == 1, out.stderr[-3000:]  # A001 is an error finding
    # only the tool's own lines (its one-line summary): no RapidOCR / onnxruntime log lines
    assert all(ln.startswith("audit: ") for ln in out.stderr.splitlines()), out.stderr[-3000:]
    assert "RapidOCR" not in out.stderr and "[INFO]" not in out.stderr + out.stdout  # stdout parses as JSON below
    scan, text = json.loads(out.stdout)
    assert scan["source_kind"] == "ocr" and text["source_kind"] == "text"
    assert sorted(f["code"] for f in scan["findings"]) == sorted(f["code"] for f in text["findings"])
    assert "A001" in {f["code"] for f in scan["findings"]}
    assert all(f["page"] for f in scan["findings"] if f["line"])
    assert _accuracy(report.cells, scan["facts"]["cells"]) >= 0.98


def test_digit_only_reading_turns_letters_into_the_digits_they_are():
    font = _ocr_ready()
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    from summarizer.readers import ocr

    img = Image.new("RGB", (120, 50), "white")
    ImageDraw.Draw(img).text((10, 8), "1O7", font=ImageFont.truetype(str(font), 30), fill="black")
    rgb = np.asarray(img)
    text, conf = ocr.digit_reading(ocr.engine(), rgb, Box(0, 0, 120, 50, "1O7", 0.5))
    assert text == "107" and 0 < conf <= 1


def test_missing_models_fail_clearly(tmp_path):
    _ocr_ready()
    code = ("import sys\nfrom summarizer.readers import read_document\nfrom summarizer.document import InputError\n"
            "try:\n    read_document(sys.argv[1])\nexcept InputError as e:\n    print('ERR', e)\n")
    pdf = tmp_path / "scan.pdf"
    _blank_scan_pdf(pdf)
    out = subprocess.run([sys.executable, "-c", code, str(pdf)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={**os.environ, "AUDIT_OCR_MODEL_DIR": str(tmp_path / "empty")})
    assert "ERR OCR 模型文件缺失" in out.stdout and "不在运行时下载" in out.stdout, out.stdout + out.stderr


def test_low_confidence_threshold_is_a_probability():
    assert 0.5 < LOW_CONFIDENCE < 1


# ---------------------------------------------------------------- mixed PDFs, progress, batch planning


def _mixed_pdf() -> bytes:
    """Page 1 has a text layer; page 2 is a full-page image (a scanned page, nothing legible)."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 not installed (test-only dependency)")
    Image = pytest.importorskip("PIL.Image", reason="Pillow not installed (comes with pdfplumber)")
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    for i in range(3):
        pdf.text(80, 100 + 20 * i, f"Text layer line {i + 1} of the first page.")
    pdf.add_page()
    img = Image.new("L", (620, 877), 255)
    img.paste(60, (100, 100, 500, 130))
    pdf.image(img, x=0, y=0, w=595, h=842)
    return bytes(pdf.output())


def test_mixed_pdf_reads_text_pages_and_names_the_scanned_ones(tmp_path):
    pytest.importorskip("pdfplumber", reason="pdfplumber not installed")
    from summarizer.readers import read_document

    path = tmp_path / "mixed.pdf"
    path.write_bytes(_mixed_pdf())
    doc = read_document(path, ocr="off")
    assert doc.source_kind == "pdf"
    assert any("Text layer line 3" in ln.raw for ln in doc.lines)
    assert doc.notes == ["第 2 页是扫描图像、没有文字层，未识别（已使用 --no-ocr）；这些页的内容未审查"]


def test_a_progress_opened_inside_another_adds_a_line_to_it():
    from summarizer.progress import Progress

    with Progress(3, enabled=True, label="审查") as outer:
        with Progress(2, enabled=True, label="OCR") as inner:
            assert inner._bar is outer._bar and len(outer._bar.tasks) == 2
            inner.advance(1, note="第 1 页")
        assert len(outer._bar.tasks) == 1  # the page bar is gone, the report bar stays
        outer.advance(1)
    assert Progress._live is None


def test_batches_with_two_scans_use_the_process_pool(tmp_path):
    Image = pytest.importorskip("PIL.Image", reason="Pillow not installed")
    from summarizer.batch import _scans
    from summarizer.pipeline import Options

    paths = []
    for name in ("a.png", "b.tif"):
        Image.new("L", (20, 20), 255).save(tmp_path / name)
        paths.append(str(tmp_path / name))
    (tmp_path / "c.txt").write_text("x", encoding="utf-8")
    todo = list(enumerate(paths + [str(tmp_path / "c.txt")]))
    assert _scans(todo, Options()) == 2
    assert _scans(todo, Options(ocr="off")) == 0


def test_folder_inputs_take_scans_but_not_the_images_of_a_saved_web_page(tmp_path):
    from summarizer.pipeline import collect_inputs, ocr_available

    (tmp_path / "page_files").mkdir()
    for name in ("scan.png", "scan2.TIFF", "page.html", "page_files/image001.png", "notes.docx"):
        (tmp_path / name).write_bytes(b"x")
    inputs = collect_inputs([str(tmp_path)])
    scans = ["scan.png", "scan2.TIFF"]
    taken = sorted(Path(p).name for p in inputs.files)
    named = sorted(Path(s.rel).name for s in inputs.skipped)
    # with the extra, scans are audited; without it they are named with what to do
    assert taken == sorted(["notes.docx", "page.html"] + (scans if ocr_available() else []))
    assert named == ([] if ocr_available() else scans)  # the saved page's picture is neither


def test_a_page_scanned_askew_is_turned_straight():
    font = _ocr_ready()
    import numpy as np
    from PIL import Image

    from summarizer.readers import ocr
    from testkit.scan import render_pages

    page = render_pages(synth.generate(2, layout="tabs").text, font)[1]
    for angle in (1.3, -0.8):
        turned = page.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        assert abs(ocr.straightening_angle(np.asarray(turned.convert("RGB"))) + angle) <= 0.15
    assert ocr.straightening_angle(np.asarray(page.convert("RGB"))) == 0


def test_page_images_of_every_mode_become_white_pages_with_dark_ink():
    pytest.importorskip("numpy", reason="numpy comes with the ocr extra")
    from PIL import Image

    from summarizer.readers.ocr import _page_rgb

    transparent = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    transparent.putpixel((5, 5), (0, 0, 0, 255))
    sixteen = Image.new("I;16", (10, 10), 60000)
    sixteen.putpixel((5, 5), 1000)
    for img in (transparent, sixteen, Image.new("1", (10, 10), 1), Image.new("P", (10, 10), 0)):
        rgb = _page_rgb(img)
        assert rgb.shape == (10, 10, 3) and rgb.dtype.name == "uint8"
        if img.mode in ("RGBA", "I;16"):
            assert rgb[0, 0].tolist() == [255, 255, 255] and rgb[5, 5].tolist() == [0, 0, 0]


def test_a_lone_line_on_an_empty_page_is_read():
    """The date of issue alone on the last page: the detector misses it on the full page."""
    font = _ocr_ready()
    from summarizer.readers import ocr
    from testkit.scan import render_pages

    page = render_pages("2020 年 1 月 5 日\n", font)[0]
    import numpy as np

    assert ocr.ocr_image(np.asarray(page.convert("RGB")))[0].lines == ["2020年1月5日"]


def test_ocr_flag_reads_even_pages_that_have_a_text_layer(tmp_path):
    _ocr_ready()
    from summarizer.readers import read_document

    path = tmp_path / "mixed.pdf"
    path.write_bytes(_mixed_pdf())
    auto = read_document(path)  # page 1 from its text layer, page 2 (a scan with no text) through OCR
    assert auto.source_kind == "ocr" and auto.notes[0].startswith("第 2 页没有文字层，文字经 OCR 识别")
    assert any("Text layer line 3" in ln.raw for ln in auto.lines)
    forced = read_document(path, ocr="force")
    assert forced.source_kind == "ocr" and forced.notes[0].startswith("全部 2 页按 --ocr 要求，文字经 OCR 识别")
    assert any("line3" in ln.raw.replace(" ", "").lower() for ln in forced.lines)  # read from the image now
