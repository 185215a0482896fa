"""PDF with a text layer: text lines outside tables, ruled tables as tab-separated rows (pdfplumber)."""

from __future__ import annotations

import io
import re

from ..document import InputError
from .cells import FOOTER, cell_text, row_line, squash



def _pdf_is_ruling(obj: dict) -> bool:
    """page.filter test keeping only what can be a visible table ruling.

    Word-made PDFs paint a filled, unstroked box behind every line of prose and behind every
    table cell. As table edges, the prose boxes turn each page into a one-column "table" glued
    onto the real ones, and the cell boxes follow Word's hidden cell grid rather than the drawn
    borders (e.g. splitting "行政诉讼" over columns it does not head). So only stroked shapes,
    lines and thin filled bars (a border drawn as a 0.5 pt rectangle) are kept."""
    if obj.get("object_type") != "rect" or obj.get("stroke"):
        return True
    return min(float(obj.get("width", 0)), float(obj.get("height", 0))) <= 3


def _pdf_is_not_line_background(width: float):
    """Fallback filter for pages whose tables are drawn only as filled cell boxes: keep those,
    but still drop the text-column-wide boxes Word paints behind lines of prose."""

    def keep(obj: dict) -> bool:
        if obj.get("object_type") != "rect" or obj.get("stroke"):
            return True
        w, h = float(obj.get("width", 0)), float(obj.get("height", 0))
        return min(w, h) <= 3 or w < 0.6 * width

    return keep


def _find_tables(page) -> list[tuple[tuple[float, float, float, float], list[list[str | None]]]]:
    """(bbox, rows) of the page's ruled tables: from visible rulings first, and only when that
    finds none, from filled cell boxes too."""
    for test in (_pdf_is_ruling, _pdf_is_not_line_background(float(page.width))):
        ruled = page.filter(test)
        settings = {}
        extra = _open_table_ends(ruled)
        if extra:
            settings["explicit_horizontal_lines"] = extra
        tables = []
        for table in ruled.find_tables(settings):
            rows = table.extract()
            if _pdf_is_table(rows):
                tables.append((table.bbox, rows))
        if tables:
            return tables
    return []


def _open_table_ends(page) -> list[float]:
    """y positions where a table runs off the page with no closing border.

    A table split by a page break has no bottom rule on the first page (nor a top rule on the
    next), so the rows at the break are not closed cells and pdfplumber drops them. When the
    lowest (highest) vertical rulings end where no horizontal ruling is, a horizontal line is
    supplied there."""
    edges = page.edges
    vertical = [e for e in edges if e.get("orientation") == "v" and float(e["bottom"]) - float(e["top"]) > 3]
    horizontal = [e for e in edges if e.get("orientation") == "h"]
    if len(vertical) < 2:
        return []
    out = []
    for y in (max(float(e["bottom"]) for e in vertical), min(float(e["top"]) for e in vertical)):
        ending = [e for e in vertical if abs(float(e["bottom"]) - y) <= 2 or abs(float(e["top"]) - y) <= 2]
        if len(ending) < 2:
            continue
        x0 = min(float(e["x0"]) for e in ending)
        x1 = max(float(e["x1"]) for e in ending)
        closed = any(abs(float(h["top"]) - y) <= 3 and float(h["x0"]) <= x0 + 3 and float(h["x1"]) >= x1 - 3
                     for h in horizontal)
        if not closed:
            out.append(y)
    return out


def _pdf_is_table(rows: list[list[str | None]]) -> bool:
    """A real statistics table has at least two columns somewhere and some text in it."""
    if not rows:
        return False
    if max(len(r) for r in rows) < 2:
        return False
    filled = [c for r in rows for c in r if c and c.strip()]
    return len(filled) >= 2


def _inside(obj: dict, bbox: tuple[float, float, float, float]) -> bool:
    x = (float(obj["x0"]) + float(obj["x1"])) / 2
    y = (float(obj["top"]) + float(obj["bottom"])) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _pdf_page_items(page) -> list[tuple[float, int, list[str]]]:
    """(top, order, lines) items for one page: text lines outside tables and table rows."""
    tables = _find_tables(page)
    boxes = [bbox for bbox, _ in tables]

    items: list[tuple[float, int, list[str]]] = []
    for bbox, rows in tables:
        out = []
        for row in rows:
            cells = [cell_text(c) for c in row]
            if any(cells):
                out.append(row_line(cells))
        items.append((float(bbox[1]), 1, out))

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        return not any(_inside(obj, b) for b in boxes)

    text_page = page.filter(outside) if boxes else page
    for line in text_page.extract_text_lines(return_chars=False, strip=True):
        text = squash(line.get("text", ""))
        if re.fullmatch(r"\d{1,3}", text) and float(line["top"]) > 0.9 * float(page.height):
            continue  # a bare page number in the bottom margin
        if text:
            items.append((float(line["top"]), 0, [text]))
    items.sort(key=lambda it: (it[0], it[1]))
    return items


def pdf_to_text(data: bytes) -> str:
    """PDF bytes → report text from the text layer only (no OCR); see `read_pdf`."""
    return read_pdf(data, "off").text


# A page with fewer visible characters than this in its text layer, and an image covering
# much of it, is a scanned page (a CMS stamp or page number may still be text).
_SCANNED_MAX_CHARS = 20
_SCANNED_MIN_IMAGE_AREA = 0.3


def _is_scanned(page) -> bool:
    """No (or almost no) text layer, but a page-sized image: a scan to OCR."""
    chars = sum(1 for c in page.chars if c.get("text", "").strip())
    if chars >= _SCANNED_MAX_CHARS:
        return False
    area = float(page.width) * float(page.height) or 1.0
    return any((float(im["x1"]) - float(im["x0"])) * (float(im["bottom"]) - float(im["top"])) >= _SCANNED_MIN_IMAGE_AREA * area
               for im in page.images)


def read_pdf(data: bytes, ocr: str = "auto"):
    """PDF bytes → ReadText, page by page in reading order: text lines outside tables as
    lines, each table row as one tab-separated line (None cells → ""). Page footers such as
    "- 3 -" are dropped; a table continued on the next page simply continues there. Pages are
    separated by a form feed at the start of a page's first line, so findings can cite the page.

    Scanned pages (no text layer, a page-sized image) go through OCR (readers/ocr.py) when
    `ocr` is "auto" and the extra is installed; "force" OCRs every page, "off" never."""
    try:
        import pdfplumber  # lazy: heavy, and optional for text-only users
    except ImportError as exc:
        raise InputError("PDF 需要安装 pdfplumber：pip install pdfplumber") from exc
    from .ocr_layout import PageText, ReadText

    per_page: list[list[str] | None] = []  # None: a page to OCR
    scanned: list[int] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages):
                if ocr == "force" or _is_scanned(page):
                    scanned.append(number)
                    if ocr != "off":
                        per_page.append(None)
                        continue
                page_lines = [ln for _, _, chunk in _pdf_page_items(page) for ln in chunk]
                per_page.append([ln for ln in page_lines if not FOOTER.match(ln)])
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise InputError(f"无法解析 PDF（cannot parse PDF: {type(exc).__name__}: {exc}）") from exc
    out = ReadText()
    ocr_result = None
    if any(p is None for p in per_page):
        from . import ocr as ocr_mod

        if ocr == "force" or ocr_mod.available():
            ocr_result = ocr_mod.ocr_pdf(data, [i for i, p in enumerate(per_page) if p is None])
        else:  # auto without the extra: read what has a text layer, say what was left out
            per_page = [p if p is not None else [] for p in per_page]
    for number, page_lines in enumerate(per_page):
        # a new page starts with a form feed (document.to_document counts them)
        out.add_page(ocr_result.pages[number] if page_lines is None else PageText(page_lines), first=number == 0)
    if ocr_result is not None:
        out.ocr = True
        out.notes.append(ocr_result.note(len(per_page), forced=ocr == "force"))
        if not any(ln.strip() for ln in out.lines):
            raise InputError("PDF 是扫描件，OCR 未识别出文字（scanned PDF: OCR found no text）")
    elif scanned:
        why = "已使用 --no-ocr" if ocr == "off" else f"需要 OCR 扩展：{_install_hint()}"
        if not any(ln.strip() for ln in out.lines):
            raise InputError(f"PDF 没有文字层（扫描件），未识别（{why}）（PDF has no text layer: scanned）")
        pages = "、".join(str(i + 1) for i in scanned)
        out.notes.append(f"第 {pages} 页是扫描图像、没有文字层，未识别（{why}）；这些页的内容未审查")
    if not any(ln.strip() for ln in out.lines):
        raise InputError("PDF 没有文字层（扫描件？需要先 OCR）（PDF has no text layer: scanned? OCR it first）")
    return out


def _install_hint() -> str:
    from .ocr_layout import INSTALL_HINT

    return INSTALL_HINT
