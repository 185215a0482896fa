"""Rebuilding a page's text from OCR boxes: ordinary lines, and each table row as one TAB line.

Why a separate, pure module: OCR gives a bag of text boxes with coordinates and confidences;
the rest of the audit reads the layout every reader emits (readers/cells.py). Turning the
boxes into that layout is plain geometry, testable without the OCR engine.

How:
  - Tables come from the ruling lines found on the image (ocr.py finds them): a box whose
    centre lies in a table goes to the grid cell it sits in. A merged cell (a rule missing
    beside or above the box) is written once, at its top-left grid position, and the positions
    it covers stay empty, as the HTML and PDF readers do. The boxes of one cell (a label
    wrapped over three lines) are joined top to bottom without separators.
  - A page with boxes in a table-like arrangement but no rulings falls back to baselines:
    boxes sharing a baseline form one row, and the columns are the x ranges of the row with
    the most cells (the header or a full data row); every other row's boxes are put in the
    column they overlap most, and columns with nothing are empty cells.
  - Other boxes become lines (boxes sharing a baseline, left to right). A paragraph that the
    page wrapped is joined again: a line that reaches the right edge of the text, does not end
    a sentence and is followed by a line starting at the left edge continues on it.
  - Each emitted line carries the spans (start, end, confidence) of the boxes read below the
    confidence threshold, so the extractor can mark those table cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import pattern_cache
from .cells import FOOTER, join_pieces, squash

INSTALL_HINT = "pip install 'gov-report-audit[ocr]'（在项目目录中：pip install -e '.[ocr]'）"

# A table cell read with less confidence than this is "low confidence" (Facts.low_confidence_cells):
# it is listed for the reviewer to check (S012) and no arithmetic error rests on it alone.
LOW_CONFIDENCE = 0.90

_HEADING = pattern_cache.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])")
_SENTENCE_END = "。；;：:！!？?”"
_CJK = pattern_cache.compile(r"[\u3400-\u9fff]")


@dataclass
class Box:
    """One OCR text box, axis-aligned, in page pixels."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    conf: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


@dataclass
class Grid:
    """A ruled table: its ruling segments. rules_h: (y, x0, x1); rules_v: (x, y0, y1)."""

    x0: float
    y0: float
    x1: float
    y1: float
    rules_h: list[tuple[float, float, float]]
    rules_v: list[tuple[float, float, float]]

    def contains(self, b: Box) -> bool:
        return self.x0 <= b.cx <= self.x1 and self.y0 <= b.cy <= self.y1


@dataclass
class PageText:
    """A page as text lines, with the low-confidence spans of each line (by index in `lines`)."""

    lines: list[str] = field(default_factory=list)
    low: dict[int, list[tuple[int, int, float]]] = field(default_factory=dict)
    covered: dict[int, frozenset[int]] = field(default_factory=dict)  # line index → tab fields of merged cells


@dataclass
class ReadText:
    """What a paged reader hands to read_document: the text lines, the low-confidence spans by
    0-based line index (OCR), notes for the reviewer, and whether any page was OCR'd."""

    lines: list[str] = field(default_factory=list)
    low: dict[int, list[tuple[int, int, float]]] = field(default_factory=dict)
    covered: dict[int, frozenset[int]] = field(default_factory=dict)  # tab fields a merged cell covers (Document.covered)
    notes: list[str] = field(default_factory=list)
    ocr: bool = False

    def add_page(self, page: "PageText", first: bool) -> None:
        """Append one page's lines (a form feed starts every page but the first)."""
        base = len(self.lines)
        self.low.update({base + i: spans for i, spans in page.low.items()})
        self.covered.update({base + i: cov for i, cov in page.covered.items()})
        lines = list(page.lines) or [""]
        if not first:
            lines[0] = "\f" + lines[0]
        self.lines.extend(lines)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


@dataclass
class _Piece:
    """Text placed on the page (a line or a table row) with its spans, sorted by `top`."""

    top: float
    text: str
    spans: list[tuple[int, int, float]]
    x0: float = 0.0
    x1: float = 0.0
    table: bool = False
    covered: frozenset[int] = frozenset()  # tab fields covered by a merged cell


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted distinct positions, values within `tol` of each other merged (their mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _covered(segments: list[tuple[float, float, float]], pos: float, at: float, tol: float) -> bool:
    """Is there a ruling at `pos` (±tol) that spans the point `at` along its length?"""
    return any(abs(p - pos) <= tol and a - tol <= at <= b + tol for p, a, b in segments)


def _index(edges: list[float], v: float) -> int:
    """The interval [edges[i], edges[i+1]) holding v (clamped)."""
    for i in range(len(edges) - 1):
        if v < edges[i + 1]:
            return i
    return max(0, len(edges) - 2)


def _join_boxes(boxes: list[Box]) -> tuple[str, list[tuple[int, int, float]]]:
    """Boxes of one cell or one line → text and the low-confidence spans inside it.

    Boxes on one baseline are joined left to right, lines of a wrapped cell top to bottom,
    with no separator between CJK pieces (Chinese labels wrap mid-word) and a space between
    two Latin/digit pieces so that two numbers never fuse."""
    text, spans = "", []
    for b in _reading_order(boxes):
        piece = squash(b.text)
        if not piece:
            continue
        if text and re.match(r"[0-9A-Za-z]", piece) and re.search(r"[0-9A-Za-z]$", text):
            text += " "
        start = len(text)
        text += piece
        if b.conf < LOW_CONFIDENCE:
            spans.append((start, len(text), round(b.conf, 3)))
    return text, spans


def _reading_order(boxes: list[Box]) -> list[Box]:
    """Top to bottom by baseline rows, left to right within a row."""
    rows: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        if rows and abs(b.cy - rows[-1][-1].cy) <= 0.5 * max(b.h, rows[-1][-1].h):
            rows[-1].append(b)
        else:
            rows.append([b])
    return [b for row in rows for b in sorted(row, key=lambda b: b.x0)]


def _row_pieces(cells: list[tuple[str, list[tuple[int, int, float]]]], top: float, x0: float, x1: float) -> _Piece:
    """One table row: cells joined by TABs, cell spans shifted to line offsets."""
    text, spans = "", []
    for i, (cell, cell_spans) in enumerate(cells):
        if i:
            text += "\t"
        base = len(text)
        text += cell.replace("\t", " ")
        spans += [(base + s, base + e, c) for s, e, c in cell_spans]
    return _Piece(top, text, spans, x0, x1, table=True)


def _grid_rows(grid: Grid, boxes: list[Box]) -> list[_Piece]:
    """A ruled table → one piece per grid row that has text."""
    tol = 4.0
    ys = _cluster([y for y, _, _ in grid.rules_h], tol)
    xs = _cluster([x for x, _, _ in grid.rules_v], tol)
    if len(ys) < 2 or len(xs) < 2:
        return []
    cells: dict[tuple[int, int], list[Box]] = {}
    for b in boxes:
        r, c = _index(ys, b.cy), _index(xs, b.cx)
        # merged cells: move up / left while the rule above / to the left is missing at the box
        while r > 0 and not _covered(grid.rules_h, ys[r], b.cx, tol):
            r -= 1
        while c > 0 and not _covered(grid.rules_v, xs[c], b.cy, tol):
            c -= 1
        cells.setdefault((r, c), []).append(b)
    out = []
    for r in range(len(ys) - 1):
        row = [_join_boxes(cells.get((r, c), [])) for c in range(len(xs) - 1)]
        if any(text for text, _ in row):
            piece = _row_pieces(row, ys[r], xs[0], xs[-1])
            mid_y = (ys[r] + ys[r + 1]) / 2
            # a grid position whose left or top rule is missing belongs to a merged cell
            piece.covered = frozenset(
                c for c in range(len(xs) - 1)
                if (c > 0 and not _covered(grid.rules_v, xs[c], mid_y, tol))
                or (r > 0 and not _covered(grid.rules_h, ys[r], (xs[c] + xs[c + 1]) / 2, tol)))
            out.append(piece)
    return out


def _baselines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes grouped into visual lines (shared baseline), each sorted left to right."""
    lines: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        for line in lines:
            ref = line[0]
            overlap = min(b.y1, ref.y1) - max(b.y0, ref.y0)
            if overlap >= 0.5 * min(b.h, ref.h) and abs(b.cy - ref.cy) <= 0.5 * max(b.h, ref.h):
                line.append(b)
                break
        else:
            lines.append([b])
    for line in lines:
        line.sort(key=lambda b: b.x0)
    lines.sort(key=lambda ln: min(b.y0 for b in ln))
    return lines


def _gap_split(line: list[Box], gap: float) -> list[list[Box]]:
    """Split a visual line where the space between two boxes is wider than `gap` (cell borders)."""
    parts: list[list[Box]] = [[line[0]]]
    for a, b in zip(line, line[1:]):
        if b.x0 - a.x1 > gap:
            parts.append([b])
        else:
            parts[-1].append(b)
    return parts


def _unruled_tables(lines: list[list[Box]], char: float) -> tuple[list[_Piece], list[list[Box]]]:
    """Table rows among visual lines without rulings: runs of ≥ 3 lines that split into ≥ 2
    cells at wide gaps. Columns from the x ranges of the run's fullest row."""
    gap = 2.5 * char
    split = [_gap_split(ln, gap) for ln in lines]
    pieces: list[_Piece] = []
    rest: list[list[Box]] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(split[j]) >= 2:
            j += 1
        if j - i >= 3:
            run = split[i:j]
            widest = max(run, key=len)
            cols = [(min(b.x0 for b in cell), max(b.x1 for b in cell)) for cell in widest]
            for cells in run:
                slots: list[list[Box]] = [[] for _ in cols]
                for b in (b for cell in cells for b in cell):  # each box to the column it overlaps most
                    best = max(range(len(cols)), key=lambda k: (min(b.x1, cols[k][1]) - max(b.x0, cols[k][0]),
                                                               -abs(b.cx - sum(cols[k]) / 2)))
                    slots[best].append(b)
                row = [_join_boxes(s) for s in slots]
                top = min(b.y0 for cell in cells for b in cell)
                pieces.append(_row_pieces(row, top, cols[0][0], cols[-1][1]))
            i = j
        else:
            rest.extend(lines[i:max(j, i + 1)])
            i = max(j, i + 1)
    return pieces, rest


def _reflow(pieces: list[_Piece], left: float, right: float, char: float) -> list[_Piece]:
    """Join the lines of a paragraph the page wrapped (see the module docstring). Only lines
    that fill the text column count as wrapped: a short heading followed by "无" is not."""
    out: list[_Piece] = []
    for p in pieces:
        prev = out[-1] if out else None
        if (prev is not None and not prev.table and not p.table
                and prev.x1 >= right - 1.5 * char and prev.x0 <= left + 2.5 * char
                and p.x0 <= left + 0.6 * char
                and prev.text and prev.text[-1] not in _SENTENCE_END
                and not _HEADING.match(p.text) and not FOOTER.match(p.text)):
            glue = " " if re.search(r"[0-9A-Za-z]$", prev.text) and re.match(r"[0-9A-Za-z]", p.text) else ""
            base = len(prev.text) + len(glue)
            prev.text += glue + p.text
            prev.spans += [(base + s, base + e, c) for s, e, c in p.spans]
            prev.x1 = p.x1
            continue
        out.append(_Piece(p.top, p.text, list(p.spans), p.x0, p.x1, p.table))
    return out


def build_page(boxes: list[Box], grids: list[Grid], page_width: float | None = None) -> PageText:
    """One page's boxes (and its ruled tables) → PageText in reading order. `page_width` (pixels)
    tells a full text column from a page of short lines, whose lines are never joined."""
    boxes = [b for b in boxes if squash(b.text)]
    if not boxes:
        return PageText()
    char = sorted(b.h for b in boxes)[len(boxes) // 2]  # median box height ≈ one character
    pieces: list[_Piece] = []
    free = []
    for b in boxes:
        grid = next((g for g in grids if g.contains(b)), None)
        if grid is None:
            free.append(b)
    for g in grids:
        pieces += _grid_rows(g, [b for b in boxes if g.contains(b)])
    lines = _baselines(free)
    table_rows, lines = _unruled_tables(lines, char) if lines else ([], [])
    pieces += table_rows
    for ln in lines:
        text, spans = _join_boxes(ln)
        if text and not FOOTER.match(text) and not re.fullmatch(r"\d{1,3}", text):
            pieces.append(_Piece(min(b.y0 for b in ln), text, spans, min(b.x0 for b in ln), max(b.x1 for b in ln)))
    pieces.sort(key=lambda p: p.top)
    text_pieces = [p for p in pieces if not p.table]
    if text_pieces:
        left = min(p.x0 for p in text_pieces)
        right = max(p.x1 for p in text_pieces)
        width = page_width or max(b.x1 for b in boxes)
        if right - left >= 0.5 * width and right - left >= 20 * char:  # a real text column
            pieces = _reflow(pieces, left, right, char)
    page = PageText()
    for p in pieces:
        if p.spans:
            page.low[len(page.lines)] = p.spans
        if p.covered:
            page.covered[len(page.lines)] = p.covered
        page.lines.append(p.text)
    return page


def looks_numeric(text: str) -> bool:
    """A cell the recognizer may have read as letters though it holds digits ("1O", "Z", "l")."""
    t = text.replace(" ", "")
    return bool(t) and not _CJK.search(t.replace("万元", "")) and bool(re.search(r"[0-9OoIlZzSsB|〇]", t))


def clean_number(text: str) -> bool:
    return bool(re.fullmatch(r"[+\-＋－]?\d+(?:[.,]\d+)*(?:万元)?", text.replace(" ", "")))


__all__ = ["Box", "Grid", "PageText", "ReadText", "INSTALL_HINT", "LOW_CONFIDENCE", "build_page", "looks_numeric", "clean_number", "join_pieces"]
