"""The fast PDF path (pypdfium2 page description, pdfium_layout.py) reads what pdfplumber reads.

Each PDF is read twice: page by page from pypdfium2's description (what the reader does) and
entirely by pdfplumber/pdfminer (the reader's fallback); the lines must be identical. PDFs are
drawn here with fpdf2 (tables with wrapped and merged cells, a table across a page break,
filled-box tables, curves, rotated text); the real corpus PDFs are compared when present. The
three re-implemented pdfplumber steps are also compared with pdfplumber's own on random input.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

pytest.importorskip("pdfplumber", reason="pdfplumber not installed: no PDF reading")
pytest.importorskip("pypdfium2", reason="pypdfium2 not installed (comes with pdfplumber)")
fpdf = pytest.importorskip("fpdf", reason="fpdf2 not installed (test-only dependency)")

from summarizer.document import InputError  # noqa: E402
from summarizer.readers import pdf as reader  # noqa: E402
from summarizer.readers import pdfium_layout  # noqa: E402
from summarizer.readers import read_document  # noqa: E402

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"


def both(data: bytes):
    fast = reader.read_pages(data)
    slow = reader._plumber_document(data)
    return fast, slow


def _grid(pdf, x0, y0, widths, heights, rows, style="D", fill=None):
    """A ruled table; rows[r][c] is a cell text (\\n for lines inside the cell) or None."""
    y = y0
    for r, h in enumerate(heights):
        x = x0
        for c, w in enumerate(widths):
            if fill:
                pdf.set_fill_color(*fill)
            pdf.rect(x, y, w, h, style=style)
            value = rows[r][c]
            if value:
                for k, part in enumerate(value.split("\n")):
                    pdf.text(x + 3, y + 12 + 11 * k, part)
            x += w
        y += h


def make_report_pdf() -> bytes:
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.set_fill_color(255, 255, 255)
    for i, y in enumerate((60, 80)):
        pdf.rect(60, y, 470, 18, style="F")  # Word's box behind a line of prose
        pdf.text(66, y + 13, f"Prose line {i + 1}, with numbers 12 and 3.5 inside.")
    _grid(pdf, 60, 120, (180, 90, 90, 90), (22, 36, 22, 22), [
        ("Item", "Issued", "Repealed", "Total"),
        ("Rules wrapped\nover two lines", "3", "0", "31"),
        ("Normative documents", "12", "4", "120"),
        ("Other", None, "1", ""),
    ])
    # a table that runs off the bottom of page 1: no closing rule
    y = 700
    pdf.line(60, y, 420, y)
    for x in (60, 240, 330, 420):
        pdf.line(x, y, x, 842)
    pdf.text(64, y + 14, "Carried")
    pdf.text(244, y + 14, "7")
    pdf.text(334, y + 14, "8")
    pdf.text(470, 820, "- 1 -")
    pdf.add_page()
    for x in (60, 240, 330, 420):
        pdf.line(x, 0, x, 60)
    pdf.line(60, 60, 420, 60)
    pdf.text(64, 30, "Continued")
    pdf.text(244, 30, "5")
    pdf.text(334, 30, "6")
    pdf.text(60, 100, "A curve follows.")
    pdf.ellipse(60, 120, 80, 40, style="D")
    pdf.bezier([(200, 120), (240, 160), (280, 120)])
    pdf.add_page()
    # a table drawn only as filled cell boxes, no rulings
    _grid(pdf, 60, 200, (150, 80), (22, 22), [("Filled", "Box"), ("A", "1")], style="F", fill=(230, 230, 230))
    pdf.text(60, 300, "Last line.")
    return bytes(pdf.output())


def test_fast_path_reads_what_pdfplumber_reads():
    fast, slow = both(make_report_pdf())
    assert [p.reader for p in fast] == ["pdfium"] * 3
    assert [p.lines for p in fast] == [p.lines for p in slow]
    page1 = fast[0].lines
    assert "Rules wrapped over two lines\t3\t0\t31" in page1  # a wrapped cell, one row
    assert "Other\t\t1\t" in page1
    assert "Carried\t7\t8" in page1  # the table's open end at the page break was closed
    assert fast[1].lines[:2] == ["Continued\t5\t6", "A curve follows."]
    assert fast[2].lines[:2] == ["Filled\tBox", "A\t1"]


@pytest.mark.parametrize("fills_only", [False, True])
def test_fast_path_on_the_reader_fixture(fills_only):
    from tests.test_formats import _make_pdf

    fast, slow = both(_make_pdf(fills_only))
    assert [p.lines for p in fast] == [p.lines for p in slow]
    assert all(p.reader == "pdfium" for p in fast)


def test_rotated_text_page_is_read_by_pdfplumber():
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.text(60, 60, "Upright page one.")
    pdf.add_page()
    pdf.text(60, 60, "Page two.")
    with pdf.rotation(90, 200, 200):
        pdf.text(200, 200, "Turned text")
    fast, slow = both(bytes(pdf.output()))
    assert [p.reader for p in fast] == ["pdfium", "pdfminer"]
    assert [p.lines for p in fast] == [p.lines for p in slow]


@pytest.mark.parametrize("name", ["2023_huaian_hongzequ.pdf", "2024_huaian_hongzequ.pdf",
                                  "2024_huaian_shizhengfu.pdf"])
def test_real_pdfs_read_identically(name):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"real corpus file {path} not present")
    fast, slow = both(path.read_bytes())
    assert all(p.reader == "pdfium" for p in fast)
    assert [p.lines for p in fast] == [p.lines for p in slow]


def test_encrypted_pdf_says_a_password_is_needed(tmp_path):
    pdf = fpdf.FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.text(20, 20, "Secret")
    pdf.set_encryption(owner_password="owner", user_password="user")
    path = tmp_path / "locked.pdf"
    path.write_bytes(bytes(pdf.output()))
    with pytest.raises(InputError, match="密码.*password"):
        read_document(path)


def test_pdf_without_text_layer(tmp_path):
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # a scan would be an image; no characters either way
    data = bytes(pdf.output())
    pages = reader.read_pages(data)
    assert [p.lines for p in pages] == [[]] and not pages[0].scanned  # blank, not a scan
    with pytest.raises(InputError, match="没有文字层"):
        reader.pdf_to_text(data)


def test_page_without_text_among_text_pages_keeps_page_numbers():
    pdf = fpdf.FPDF(unit="pt", format="A4")
    pdf.set_font("Helvetica", size=10)
    for text in ("One.", None, "Three."):
        pdf.add_page()
        if text:
            pdf.text(60, 60, text)
    pages = reader.read_pages(bytes(pdf.output()))
    assert [bool(p.lines) for p in pages] == [True, False, True]
    assert reader.pdf_to_text(bytes(pdf.output())).split("\n")[:3] == ["One.", "\f", "\fThree."]


# ---------------------------------------------------------------- the re-implemented steps


def _random_chars(rng: random.Random, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        top = rng.choice([10.0, 11.5, 13.2, 20.0, 24.0, 24.5]) + rng.random()
        x0 = rng.uniform(0, 100)
        size = rng.choice([9.0, 10.5])
        text = rng.choice("ab中文1 .,ﬁ")
        out.append({"object_type": "char", "text": text, "x0": x0, "x1": x0 + size * rng.choice([0.5, 1.0]),
                    "top": top, "bottom": top + size, "doctop": top, "size": size, "upright": True})
    return out


def test_extract_text_and_lines_match_pdfplumber():
    from pdfplumber import utils

    rng = random.Random(13)
    for _ in range(300):
        chars = _random_chars(rng, rng.randrange(1, 40))
        tuples = [(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in chars]  # the Layout's characters
        assert pdfium_layout.extract_text(tuples) == utils.extract_text(chars)
        layout = pdfium_layout.Layout(200, 200, tuples)
        theirs = utils.chars_to_textmap(chars, layout_bbox=layout.bbox, layout_width=200,
                                        layout_height=200).extract_text_lines(strip=True, return_chars=False)
        ours = layout.extract_text_lines()
        assert [(d["text"], d["top"]) for d in ours] == [(d["text"], d["top"]) for d in theirs]


def test_clusters_match_pdfplumber():
    from pdfplumber.utils import cluster_objects

    rng = random.Random(21)
    for _ in range(2000):
        items = [(rng.choice([0.0, 1.5, 3.0, 4.5, 6.0, 10.0, 13.0, 13.0001]) + rng.choice([0, rng.random()]), k)
                 for k in range(rng.randrange(0, 12))]
        for preserve in (False, True):
            assert pdfium_layout.clusters(items, pdfium_layout._first, 3, preserve) == \
                cluster_objects(items, pdfium_layout._first, 3, preserve_order=preserve)


def test_cell_grouping_matches_pdfplumber():
    from pdfplumber.table import cells_to_tables

    rng = random.Random(8)
    for _ in range(500):
        cells = set()
        for _ in range(rng.randrange(0, 30)):  # cells on a small grid: some touch, some do not
            x0, top = rng.randrange(0, 8) * 10, rng.randrange(0, 8) * 10
            cells.add((x0, top, x0 + rng.choice([10, 20]), top + rng.choice([10, 20])))
        cells = sorted(cells, key=lambda c: (c[0], c[1]))
        rng.shuffle(cells)
        ours = pdfium_layout.cells_to_tables(cells)
        theirs = cells_to_tables(cells)
        assert [sorted(t) for t in ours] == [sorted(t) for t in theirs]


def test_cell_search_matches_pdfplumber():
    from pdfplumber.table import edges_to_intersections, intersections_to_cells

    rng = random.Random(5)
    for _ in range(100):
        xs = sorted(rng.sample(range(0, 400, 10), rng.randrange(2, 8)))
        ys = sorted(rng.sample(range(0, 400, 10), rng.randrange(2, 8)))
        edges = []
        for y in ys:  # horizontal rules, some cut short
            a, b = xs[0], xs[-1] if rng.random() < 0.8 else rng.choice(xs)
            edges.append({"x0": a, "x1": b, "top": y, "bottom": y, "width": b - a, "height": 0, "orientation": "h"})
        for x in xs:
            a, b = ys[0], ys[-1] if rng.random() < 0.8 else rng.choice(ys)
            edges.append({"x0": x, "x1": x, "top": a, "bottom": b, "width": 0, "height": b - a, "orientation": "v"})
        points = edges_to_intersections(edges, 3, 3)
        assert pdfium_layout.intersections_to_cells(points) == intersections_to_cells(points)


@pytest.mark.parametrize("seed", range(6))
def test_generated_report_pdfs_read_identically(seed):
    """The generator's PDFs (the template's tables with merged cells, fpdf2 table spans, CJK
    text) read the same through both descriptions."""
    from testkit.documents import cjk_font
    from testkit.synth import generate

    if cjk_font() is None:
        pytest.skip("no CJK font for generated PDFs (the test extra installs one)")
    rep = generate(random.Random(seed), "2019" if seed % 2 else "2021", "pdf", None)
    fast, slow = both(rep.data)
    assert all(p.reader == "pdfium" for p in fast)
    assert [p.lines for p in fast] == [p.lines for p in slow]
    assert any("\t" in ln for p in fast for ln in p.lines)  # tables were read as rows


def test_round4_is_round_for_float32_values():
    """_chars rounds pdfium's float32 coordinates with _round4 (cheaper): the same as round(v, 4).
    (Only for float32 values: the double 0.00005, a hair above the tie, shows why.)"""
    import struct

    rng = random.Random(4)
    as_float32 = struct.Struct("f")

    def f32(v: float) -> float:
        return as_float32.unpack(as_float32.pack(v))[0]

    values = [f32(rng.uniform(-3000, 3000)) for _ in range(100000)]
    values += [k / 32 for k in range(-5000, 5000)]  # odd k: exact ties at the 5th decimal (half to even)
    values += [f32(v) for v in (0.0, -0.0, 0.00005, 1e6 + 0.5, 841.89, 595.276)]
    assert all(pdfium_layout._round4(v) == round(v, 4) for v in values)
