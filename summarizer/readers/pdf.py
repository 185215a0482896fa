"""PDF with a text layer: text lines outside tables, ruled tables as tab-separated rows.

How a page is read: the layout rules below (which shapes are table rulings, pdfplumber's table
finder turning rulings into cells, its grouping of characters into lines) make wrapped cells,
merged cells and tables split over a page break come out right. They run on a description of
the page's characters and shapes taken from pypdfium2 (pdfium_layout.py: a few ms a page), the
one pdfplumber's own pdfminer parse would give (50–80 ms a page). A page that description
cannot model faithfully (rotated text, shapes inside form XObjects, an offset page box) is
read by pdfplumber itself, as is a file pypdfium2 cannot open.

Pages: `read_pages` returns each page's lines, or marks the page as a scan to OCR
(`_is_scanned` decides: almost no text layer, a page-sized image). `read_pdf` OCRs those
(readers/ocr.py) and joins the pages, marking each new page with a form feed at the start of its
first line (document.to_document counts them).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from itertools import islice

from ..document import InputError
from .cells import FOOTER, cell_text, row_line, squash

NO_TEXT_LAYER = "PDF 没有文字层（扫描件？需要先 OCR）（PDF has no text layer: scanned? OCR it first）"
ENCRYPTED = "PDF 已加密，需要密码才能打开（encrypted PDF: a password is needed）"


@dataclass
class PdfPage:
    """One page as read: its lines in reading order (tables as tab-separated rows), footers
    dropped; lines None for a scanned page left to OCR."""

    number: int  # 1-based
    lines: list[str] | None
    scanned: bool = False
    reader: str = "pdfium"  # "pdfium" (fast description) or "pdfminer" (pdfplumber's own parse)


# ---------------------------------------------------------------- layout rules (either source)


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
        ruled = page.filter_shapes(test)
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


def _page_lines(page) -> list[str]:
    """One page's lines in reading order: text lines outside tables, and each table row as one
    tab-separated line; `page` is a _PlumberPage or a pdfium_layout.Layout (same interface)."""
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

    text_page = page.without_chars_in(boxes) if boxes else page
    for line in text_page.extract_text_lines():
        text = squash(line.get("text", ""))
        if re.fullmatch(r"\d{1,3}", text) and float(line["top"]) > 0.9 * float(page.height):
            continue  # a bare page number in the bottom margin
        if text:
            items.append((float(line["top"]), 0, [text]))
    items.sort(key=lambda it: (it[0], it[1]))
    return [ln for _, _, chunk in items for ln in chunk]


class _PlumberPage:
    """A pdfplumber page with the interface of pdfium_layout.Layout, so that the layout rules
    above are written once for both descriptions of a page. (The Layout holds its characters
    as tuples, read only there; here they stay pdfplumber's dicts.)"""

    def __init__(self, page):
        self.page = page
        self.width = page.width
        self.height = page.height

    @property
    def edges(self) -> list[dict]:
        return self.page.edges

    @property
    def images(self) -> list[dict]:
        return self.page.images

    def filter_shapes(self, test) -> "_PlumberPage":
        """The page with only the shapes `test` keeps (a test that keeps every character)."""
        return _PlumberPage(self.page.filter(test))

    def without_chars_in(self, boxes: list[tuple]) -> "_PlumberPage":
        """The page without the characters whose centre is in one of `boxes` (edges included)."""
        def outside(obj: dict) -> bool:
            if obj.get("object_type") != "char":
                return True
            x = (float(obj["x0"]) + float(obj["x1"])) / 2
            y = (float(obj["top"]) + float(obj["bottom"])) / 2
            return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

        return _PlumberPage(self.page.filter(outside))

    def visible_chars(self, limit: int) -> int:
        """How many characters are not white space, counted up to `limit`."""
        return sum(1 for _ in islice((c for c in self.page.chars if c.get("text", "").strip()), limit))

    def find_tables(self, settings=None):
        return self.page.find_tables(settings)

    def extract_text_lines(self) -> list[dict]:
        return self.page.extract_text_lines(return_chars=False, strip=True)


# A page with fewer visible characters than this in its text layer, and an image covering
# much of it, is a scanned page (a CMS stamp or page number may still be text).
_SCANNED_MAX_CHARS = 20
_SCANNED_MIN_IMAGE_AREA = 0.3


def _is_scanned(page) -> bool:
    """Where "this page has no text layer" is decided: no (or almost no) text, but a page-sized
    image — a scan to OCR. `page` is a _PlumberPage or a pdfium_layout.Layout."""
    if page.visible_chars(_SCANNED_MAX_CHARS) >= _SCANNED_MAX_CHARS:
        return False  # counted only up to the threshold: a page of text is decided at once
    area = float(page.width) * float(page.height) or 1.0
    return any((float(im["x1"]) - float(im["x0"])) * (float(im["bottom"]) - float(im["top"])) >= _SCANNED_MIN_IMAGE_AREA * area
               for im in page.images)


# ---------------------------------------------------------------- reading a document


def read_pages(data: bytes, ocr: str = "off") -> list[PdfPage]:
    """Every page's lines, in page order; with `ocr` "auto" a scanned page (or with "force"
    every page) comes back as lines None, to OCR. Raises InputError for a file that is not a
    readable PDF or needs a password."""
    try:
        import pdfplumber  # noqa: F401  (its table finder runs on either description)
    except ImportError as exc:
        raise InputError("PDF 需要安装 pdfplumber：pip install pdfplumber") from exc
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError:  # pragma: no cover - installed with pdfplumber
        return _plumber_document(data, ocr)
    from .pdfium_layout import Unmodelled, page_layout

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            raise InputError(ENCRYPTED) from exc
        return _plumber_document(data, ocr)  # pdfminer is more forgiving of some damaged files
    plumber = _LazyPlumber(data)
    pages: list[PdfPage] = []
    try:
        for index in range(len(pdf)):
            if ocr == "force":
                pages.append(PdfPage(index + 1, None, scanned=True))
                continue
            page = _fast_page(pdf, index, raw, page_layout, Unmodelled, ocr)
            pages.append(page if page is not None else _plumber_page(plumber.page(index), index + 1, ocr))
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise InputError(f"无法解析 PDF（cannot parse PDF: {type(exc).__name__}: {exc}）") from exc
    finally:
        plumber.close()
        pdf.close()
    return pages


def _fast_page(pdf, index: int, raw, page_layout, unmodelled, ocr: str) -> PdfPage | None:
    """One page from pypdfium2's description; None when pdfplumber must read it instead (a page
    the description does not model, or any error on this path: pdfminer may still read it)."""
    try:
        page = pdf[index]
        try:
            layout = page_layout(page, raw)
        finally:
            page.close()
        return _page(layout, index + 1, ocr, "pdfium")
    except unmodelled:
        return None
    except Exception:  # a damaged page: let pdfminer try it
        return None


def _page(page, number: int, ocr: str, reader: str) -> PdfPage:
    scanned = _is_scanned(page)
    if scanned and ocr != "off":
        return PdfPage(number, None, scanned=True, reader=reader)
    lines = [ln for ln in _page_lines(page) if not FOOTER.match(ln)]
    return PdfPage(number, lines, scanned=scanned, reader=reader)


class _LazyPlumber:
    """pdfplumber's view of the same bytes, opened only if some page needs it."""

    def __init__(self, data: bytes):
        self.data = data
        self.pdf = None

    def page(self, index: int):
        if self.pdf is None:
            import pdfplumber

            self.pdf = pdfplumber.open(io.BytesIO(self.data))
        return self.pdf.pages[index]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _plumber_page(page, number: int, ocr: str = "off") -> PdfPage:
    return _page(_PlumberPage(page), number, ocr, "pdfminer")


def _plumber_document(data: bytes, ocr: str = "off") -> list[PdfPage]:
    """Every page through pdfplumber (pdfminer): for a file pypdfium2 cannot open."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if ocr == "force":
                return [PdfPage(n, None, scanned=True, reader="pdfminer") for n in range(1, len(pdf.pages) + 1)]
            return [_plumber_page(page, n, ocr) for n, page in enumerate(pdf.pages, start=1)]
    except Exception as exc:
        name = type(exc).__name__
        if "Password" in name or "Encrypt" in name:
            raise InputError(ENCRYPTED) from exc
        raise InputError(f"无法解析 PDF（cannot parse PDF: {name}: {exc}）") from exc


def pdf_to_text(data: bytes) -> str:
    """PDF bytes → report text from the text layer only (no OCR); see `read_pdf`."""
    return read_pdf(data, "off").text


def read_pdf(data: bytes, ocr: str = "auto"):
    """PDF bytes → ReadText, page by page in reading order: text lines outside tables as
    lines, each table row as one tab-separated line (None cells → ""). Page footers such as
    "- 3 -" are dropped; a table continued on the next page simply continues there. Pages are
    separated by a form feed at the start of a page's first line, so findings can cite the page.

    Scanned pages (no text layer, a page-sized image) go through OCR (readers/ocr.py) when
    `ocr` is "auto" and the extra is installed; "force" OCRs every page, "off" never."""
    from .ocr_layout import PageText, ReadText

    pages = read_pages(data, ocr)
    per_page: list[list[str] | None] = [p.lines for p in pages]  # None: a page to OCR
    scanned = [p.number - 1 for p in pages if p.scanned]
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
        numbers = "、".join(str(i + 1) for i in scanned)
        out.notes.append(f"第 {numbers} 页是扫描图像、没有文字层，未识别（{why}）；这些页的内容未审查")
    if not any(ln.strip() for ln in out.lines):
        raise InputError(NO_TEXT_LAYER)
    return out


def _install_hint() -> str:
    from .ocr_layout import INSTALL_HINT

    return INSTALL_HINT
