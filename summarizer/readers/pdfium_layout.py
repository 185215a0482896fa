"""A PDF page described from pypdfium2 the way pdfplumber describes it from pdfminer.

Why: pdfplumber's table finder and line grouping (used by readers/pdf.py) are what read ruled
tables with wrapped and merged cells right, but pdfplumber gets the characters and shapes they
work on from pdfminer, a pure-Python parser costing 50–80 ms a page. pypdfium2 (installed with
pdfplumber) reads them in C in a few milliseconds. `page_layout` turns a pypdfium2 page into a
`Layout` with the page interface the reader's layout rules use (width, height, edges, images,
filter_shapes, without_chars_in, visible_chars, find_tables, extract_text_lines; readers/pdf.py
gives a pdfplumber page the same through _PlumberPage), holding what pdfminer would give:

  - characters with pdfminer's boxes, as tuples (text, x0, x1, top, bottom): x0/x1 from the
    glyph advance and bottom = baseline + descent (pypdfium2's loose box gives both),
    top = bottom − font size (one em);
  - painted paths classified as pdfminer does (one segment → line, closed axis-aligned
    four-sided → rect, else curve; one shape per subpath), in top-down coordinates, as
    pdfplumber's object dicts (its edge code reads them).

pdfplumber's own edge merging and intersection then run on them. Its other steps are
re-implemented here with the same results and a fraction of the cost (it rebuilds sets, dicts
and text maps in inner loops): the cell search, the grouping of cells into tables, clustering,
a cell's text and the page's text lines. tests/test_pdf_fast.py checks them against
pdfplumber's originals, and whole PDFs (real and generated) against pdfplumber's reading.

Speed: reading is most of a PDF's audit, and most of reading is a few pdfium calls per
character and per page object (thousands a page); those go through `_plain` (no pypdfium2
pointer wrapping), and the Python around them is kept small (one struct unpack a character,
cheap exact rounding `_round4`, each baseline rounded once).

A page this description cannot model faithfully raises Unmodelled (rotated or skewed text,
shapes inside form XObjects, a rotated or offset page box); the reader then lets pdfplumber
read that page itself.
"""

from __future__ import annotations

import ctypes
import functools
import struct
from bisect import bisect_left
from itertools import islice
from operator import itemgetter
from types import SimpleNamespace


class Unmodelled(Exception):
    """The page uses something this description does not model: read it with pdfplumber."""


class Layout:
    """A page as the reader's layout rules use it (readers/pdf.py: the same interface as its
    _PlumberPage over a pdfplumber page). Shapes (lines, rects, curves, images) are
    pdfplumber-shaped dicts, as pdfplumber's edge code reads them; characters, a hundred times
    more numerous and read only here, are tuples (text, x0, x1, top, bottom) with pdfminer's
    boxes — cheaper to build and to read than dicts."""

    def __init__(self, width: float, height: float, chars: list[tuple], shapes: list[dict] = ()):
        self.width = width
        self.height = height
        self.bbox = (0, 0, width, height)
        self.chars = chars
        self.shapes = list(shapes)
        self.images = [o for o in self.shapes if o["object_type"] == "image"]
        self._edges: list[dict] | None = None

    @property
    def edges(self) -> list[dict]:
        """Lines, then rect sides, then curve segments: the order pdfplumber lists them."""
        if self._edges is None:
            from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

            lines = [line_to_edge(o) for o in self.shapes if o["object_type"] == "line"]
            rects = [e for o in self.shapes if o["object_type"] == "rect" for e in rect_to_edges(o)]
            curves = [e for o in self.shapes if o["object_type"] == "curve" for e in curve_to_edges(o)]
            self._edges = lines + rects + curves
        return self._edges

    def filter_shapes(self, test) -> "Layout":
        """The page with only the shapes `test` keeps (pdfplumber's page.filter, for a test
        that decides on shapes and keeps every character)."""
        return Layout(self.width, self.height, self.chars, [o for o in self.shapes if test(o)])

    def without_chars_in(self, boxes: list[tuple]) -> "Layout":
        """The page without the characters whose centre is in one of `boxes` (edges included)."""
        def outside(c: tuple) -> bool:
            h, v = (c[1] + c[2]) / 2, (c[3] + c[4]) / 2
            for x0, top, x1, bottom in boxes:
                if x0 <= h <= x1 and top <= v <= bottom:
                    return False
            return True

        return Layout(self.width, self.height, [c for c in self.chars if outside(c)], self.shapes)

    def visible_chars(self, limit: int) -> int:
        """How many characters are not white space, counted up to `limit`."""
        return sum(1 for _ in islice((c for c in self.chars if c[0].strip()), limit))

    def find_tables(self, settings=None) -> list["FoundTable"]:
        from pdfplumber.table import TableSettings

        tables = _finder(self, TableSettings.resolve(settings)).tables
        if not tables:
            return []
        # (horizontal centre, vertical centre, char): what places a character in a cell,
        # computed once for the page's tables
        placed = [((c[1] + c[2]) / 2, (c[3] + c[4]) / 2, c) for c in self.chars]
        return [FoundTable(t, placed) for t in tables]

    def extract_text_lines(self) -> list[dict]:
        """Page.extract_text_lines with its defaults (a text map without layout), as text and
        top: the page's words in their order, a new line wherever a word's top falls in another
        3 pt cluster than the word before's; words joined by single spaces."""
        return [{"text": " ".join(text for _, text in line), "top": min(top for top, _ in line)}
                for line in clusters(words(self.chars), _first, 3, preserve_order=True)]


# ---------------------------------------------------------------- from pypdfium2


def page_layout(page, raw) -> Layout:
    """A pypdfium2 page (raw = pypdfium2.raw) → Layout. Raises Unmodelled."""
    if page.get_rotation() % 360:
        raise Unmodelled("rotated page")
    box = page.get_mediabox()
    if abs(box[0]) > 0.01 or abs(box[1]) > 0.01 or page.get_cropbox() != box:
        raise Unmodelled("offset or cropped page box")
    width, height = page.get_size()
    shapes = _shapes(page, raw, height)
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage, raw, height)
    finally:
        textpage.close()
    return Layout(width, height, chars, shapes)


def _chars(textpage, raw, height: float) -> list[tuple]:
    """Characters with pdfminer's boxes, as (text, x0, x1, top, bottom). Characters pdfium generates (spaces it infers, line
    breaks) are not in the PDF and are left out.

    Speed matters (thousands of characters a report; this loop was a third of reading a PDF):
    the text comes in one call and three calls a character give the rest, made as plain calls
    (`_plain`), the two structs they fill are read with one unpack, and the rounding (float32 noise
    off) is done the cheap way with the same result as round(v, 4) — see `_round4` — with the
    few distinct baselines of a page rounded once each."""
    tp = textpage.raw
    count = raw.FPDFText_CountChars(tp)
    text = textpage.get_text_range(0, count) if count > 0 else ""
    if len(text) != count:  # characters outside the BMP: one call per character instead
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, i)) for i in range(count))
    # one buffer for both structs pdfium fills, read with one unpack: FS_MATRIX (a b c d e f)
    # then FS_RECTF (left top right bottom), all float32
    buffer = (ctypes.c_float * 10)()
    matrix_at = ctypes.addressof(buffer)
    rect_at = matrix_at + ctypes.sizeof(raw.FS_MATRIX)
    read = _MATRIX_AND_RECT.unpack_from
    fast = _plain_calls(raw)
    get_matrix, get_size, get_box, generated = fast.text_matrix, fast.font_size, fast.loose_box, fast.generated
    at = _address(tp)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    baselines = {}  # (float32 bottom, size) -> rounded (bottom, top): a line's characters share them
    out = []
    for i, ch in enumerate(text):
        if ch in " \r\n\x00" and (ch != " " or generated(at, i)):
            continue
        get_matrix(at, i, matrix_at)
        get_box(at, i, rect_at)
        a, b, c, d, _, _, x0, _, x1, y = read(buffer)  # x0, x1, y: left, right, bottom
        if b or c or a <= 0 or d <= 0:
            raise Unmodelled("rotated, mirrored or skewed text")
        size = get_size(at, i) * d
        if x1 - x0 > 3 * size > 0:
            # Vertical writing (a vertical CJK font, e.g. a merged row label set top to bottom):
            # pdfium's loose box is not the glyph's cell there. pdfminer's box is one em square
            # centred on the origin, starting 0.12 em above it (the default vertical metrics).
            raw.FPDFText_GetCharOrigin(tp, i, ox, oy)
            x0 = ox.value - size / 2
            x0, x1 = round(x0, 4), round(x0 + size, 4)
            bottom = round(height - oy.value - 0.12 * size + size, 4)
            top = round(bottom - size, 4)
        else:
            x0, x1 = round(x0 * 10000.0) / 10000.0, round(x1 * 10000.0) / 10000.0  # _round4, inlined
            key = (y, size)
            both = baselines.get(key)
            if both is None:
                bottom = round(height - y, 4)
                both = baselines[key] = (bottom, round(bottom - size, 4))
            bottom, top = both
        out.append((ch, x0, x1, top, bottom))
    return out


def _address(handle) -> int:
    """The address a pypdfium2 handle (a typed pointer) holds."""
    return ctypes.cast(handle, ctypes.c_void_p).value


def _plain(fn, restype, *argtypes):
    """`fn`, a pypdfium2.raw function, declared to take and return plain addresses.

    pypdfium2's bindings check every argument against a typed pointer class and wrap every
    handle they return in a new pointer object. For the calls made once per character or page
    object (thousands a page) that is a quarter of their cost. The same C function, through
    its own function-pointer class (so the same calling convention), declared with void
    pointers, skips both."""
    f = type(fn)(_address(fn))
    f.argtypes = argtypes
    f.restype = restype
    return f


@functools.lru_cache(maxsize=None)
def _plain_calls(raw) -> SimpleNamespace:
    """The per-character and per-object pdfium calls, declared once (see `_plain`)."""
    p, i = ctypes.c_void_p, ctypes.c_int
    return SimpleNamespace(
        text_matrix=_plain(raw.FPDFText_GetMatrix, i, p, i, p),
        font_size=_plain(raw.FPDFText_GetFontSize, ctypes.c_double, p, i),
        loose_box=_plain(raw.FPDFText_GetLooseCharBox, i, p, i, p),
        generated=_plain(raw.FPDFText_IsGenerated, i, p, i),
        page_object=_plain(raw.FPDFPage_GetObject, p, p, i),
        object_type=_plain(raw.FPDFPageObj_GetType, i, p),
        segment=_plain(raw.FPDFPath_GetPathSegment, p, p, i),
        segment_point=_plain(raw.FPDFPathSegment_GetPoint, i, p, p, p),
        segment_type=_plain(raw.FPDFPathSegment_GetType, i, p),
        segment_close=_plain(raw.FPDFPathSegment_GetClose, i, p),
    )


_SIX_FLOATS = struct.Struct("6f")  # FS_MATRIX: a b c d e f
_MATRIX_AND_RECT = struct.Struct("10f")  # FS_MATRIX, then FS_RECTF: left top right bottom


def _round4(v: float) -> float:
    """round(v, 4) for a float32 value, three times faster.

    Exact, not approximate: a float32 has a 24-bit mantissa, so v * 10000 (14 more bits) is
    exact in a double; round() of it is the correctly rounded integer (half to even, as
    round(v, 4) rounds); and dividing that integer by 10000 gives the double nearest the
    decimal, which is what round(v, 4) returns."""
    return round(v * 10000.0) / 10000.0


def _shapes(page, raw, height: float) -> list[dict]:
    """The page's painted paths as pdfminer's lines, rects and curves, and its images (their
    page boxes: what tells a scanned page). Every text run is a page object too (hundreds a
    page): the loop looks at each through plain calls (`_plain`), and asks pypdfium2 for the
    typed handle of the few it reads further."""
    out: list[dict] = []
    handle = page.raw
    fast = _plain_calls(raw)
    get_object, get_type, at = fast.page_object, fast.object_type, _address(handle)
    path, image, form = raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE, raw.FPDF_PAGEOBJ_FORM
    wanted = frozenset((path, image, form))
    for k in range(raw.FPDFPage_CountObjects(handle)):
        kind = get_type(get_object(at, k))
        if kind not in wanted:
            continue  # text, shading
        obj = raw.FPDFPage_GetObject(handle, k)  # the typed handle the other calls take
        if kind == path:
            out += _path_shapes(obj, raw, height)
        elif kind == image:
            out.append(_image(obj, raw, height))
        elif kind == form:
            has = _form_has(obj, raw)
            if path in has:
                raise Unmodelled("shapes inside a form XObject")
            if image in has:
                out.append(_image(obj, raw, height))  # a scan wrapped in a form: the form's box
    return out


def _image(obj, raw, height: float) -> dict:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    return {"object_type": "image", "x0": left.value, "x1": right.value,
            "top": height - top.value, "bottom": height - bottom.value}


def _form_has(form, raw, depth: int = 0) -> set[int]:
    """The kinds of object a form XObject holds, nested forms included."""
    kinds: set[int] = set()
    for k in range(raw.FPDFFormObj_CountObjects(form)):
        obj = raw.FPDFFormObj_GetObject(form, k)
        kind = raw.FPDFPageObj_GetType(obj)
        kinds.add(kind)
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            kinds |= _form_has(obj, raw, depth + 1)
    return kinds


def _path_shapes(obj, raw, height: float) -> list[dict]:
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    raw.FPDFPath_GetDrawMode(obj, fill, stroke)
    if not fill.value and not stroke.value:
        return []  # not painted (pdfminer never sees it)
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    ma, mb, mc, md, me, mf = _SIX_FLOATS.unpack_from(m)
    x, y = ctypes.c_float(), ctypes.c_float()
    fast = _plain_calls(raw)
    get_segment, get_point, get_kind, get_close = fast.segment, fast.segment_point, fast.segment_type, fast.segment_close
    at, x_at, y_at = _address(obj), ctypes.addressof(x), ctypes.addressof(y)
    bezier, moveto = raw.FPDF_SEGMENT_BEZIERTO, raw.FPDF_SEGMENT_MOVETO
    ops: list[tuple[str, tuple[float, float]]] = []  # pdfminer's operators with their end points
    curve_points = 0
    for s in range(raw.FPDFPath_CountSegments(obj)):
        seg = get_segment(at, s)
        get_point(seg, x_at, y_at)
        px, py = x.value, y.value
        point = (round(ma * px + mc * py + me, 4), round(height - (mb * px + md * py + mf), 4))
        kind = get_kind(seg)
        if kind == bezier:
            curve_points += 1
            if curve_points % 3 == 0:  # two control points, then the end point
                ops.append(("c", point))
        else:
            curve_points = 0
            ops.append(("m" if kind == moveto else "l", point))
        if get_close(seg):
            ops.append(("h", point))
    shapes = []
    start = 0
    for i in range(1, len(ops) + 1):  # one shape per subpath: pdfminer splits at each "m"
        if i == len(ops) or ops[i][0] == "m":
            shape = _classify(ops[start:i], bool(stroke.value), bool(fill.value), height)
            if shape:
                shapes.append(shape)
            start = i
    return shapes


def _classify(ops, stroke: bool, fill: bool, height: float) -> dict | None:
    """pdfminer's converter.paint_path rules for one subpath."""
    if not ops or ops[0][0] != "m":
        return None
    shape = "".join(op for op, _ in ops)
    pts = [ops[0][1] if op == "h" else p for op, p in ops]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    xs = [p[0] for p in pts]
    tops = [p[1] for p in pts]
    x0, x1, top, bottom = min(xs), max(xs), min(tops), max(tops)
    obj = {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top, "y0": height - bottom,
           "y1": height - top, "width": x1 - x0, "height": bottom - top, "stroke": stroke, "fill": fill,
           "pts": pts}
    if shape in ("ml", "mlh"):
        obj["object_type"] = "line"
    elif shape in ("mlllh", "mllll") and pts[0] == pts[4] and _axis_aligned(pts):
        obj["object_type"] = "rect"
    else:
        obj["object_type"] = "curve"
    return obj


def _axis_aligned(pts) -> bool:
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = pts[:4]
    return (ax == bx and by == cy and cx == dx and dy == ay) or (ay == by and bx == cx and cy == dy and dx == ax)


# ---------------------------------------------------------------- pdfplumber's steps, faster


def _finder(page: Layout, settings):
    """pdfplumber's TableFinder with its cell search and cell grouping done by
    intersections_to_cells and cells_to_tables below."""
    from pdfplumber.table import Table, TableFinder, edges_to_intersections

    class Finder(TableFinder):
        def __init__(self, page, settings):  # TableFinder.__init__, one step swapped
            self.page = page
            self.settings = settings
            self.edges = self.get_edges()
            self.intersections = edges_to_intersections(self.edges, settings.intersection_x_tolerance,
                                                        settings.intersection_y_tolerance)
            self.cells = intersections_to_cells(self.intersections)
            self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]

    return Finder(page, settings)


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """pdfplumber.table.intersections_to_cells: the same cells in the same order, without
    rebuilding every point's edge sets for each pair it tests, nor rescanning all later points
    for each point's row and column."""
    points = sorted(intersections)
    boxes: dict[int, tuple] = {}  # id(edge) -> its bbox: an edge touches many points, boxed once

    def box(e: dict) -> tuple:
        b = boxes.get(id(e))
        if b is None:
            b = boxes[id(e)] = (e["x0"], e["top"], e["x1"], e["bottom"])
        return b

    v_sets = {p: set(map(box, intersections[p]["v"])) for p in points}
    h_sets = {p: set(map(box, intersections[p]["h"])) for p in points}

    columns: dict = {}
    rows: dict = {}
    for p in points:  # in sorted order, as pdfplumber scans them
        columns.setdefault(p[0], []).append(p)
        rows.setdefault(p[1], []).append(p)

    # the points below a point (right of it) are the rest of its column's (row's) list
    place = {p: k for column in columns.values() for k, p in enumerate(column)}
    place_in_row = {p: k for row in rows.values() for k, p in enumerate(row)}

    # Two points connect when an edge runs through both: a vertical one for points one above
    # the other, a horizontal one for points side by side (pdfplumber's edge_connects, which
    # tests both, reduces to this: every pair tested shares exactly one coordinate).
    def smallest_cell(pt):
        pt_v, pt_h = v_sets[pt], h_sets[pt]
        for below in columns[pt[0]][place[pt] + 1:]:
            if pt_v.isdisjoint(v_sets[below]):
                continue
            below_h = h_sets[below]
            for right in rows[pt[1]][place_in_row[pt] + 1:]:
                if pt_h.isdisjoint(h_sets[right]):
                    continue
                corner = (right[0], below[1])
                if (corner in intersections and not v_sets[corner].isdisjoint(v_sets[right])
                        and not h_sets[corner].isdisjoint(below_h)):
                    return (pt[0], pt[1], corner[0], corner[1])
        return None

    return [cell for cell in map(smallest_cell, points[:-1]) if cell]


def cells_to_tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber.table.cells_to_tables: cells sharing a corner, directly or through others,
    form one table; tables of more than one cell, ordered by their top-left corner.

    pdfplumber grows each table by passes over the remaining cells, removing each one it
    takes from a list: quadratic in a table's cells or worse. Here each corner is owned by
    the first cell that has it and cells meeting there are joined (union-find): linear. The
    tables are the same; the cells within one are listed in page order rather than in the
    order pdfplumber took them, which nothing reads (Table.rows and Table.bbox sort them)."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[tuple]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(root(i), []).append(cell)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


class FoundTable:
    """A found table: its bbox, and its rows as pdfplumber's Table.extract gives them."""

    def __init__(self, table, placed: list[tuple[float, float, tuple]]):
        self.table = table
        self.bbox = table.bbox
        x0, top, x1, bottom = self.bbox
        # the (horizontal centre, vertical centre, char) of the page's characters inside the
        # table: a superset of any cell's
        self.placed = [p for p in placed if x0 <= p[0] <= x1 and top <= p[1] <= bottom]

    def extract(self) -> list[list[str | None]]:
        """Table.extract: a cell holds the characters whose centre is inside it (left and top
        edges included, right and bottom excluded); its text as extract_text gives it. None
        for a grid position no cell covers.

        A row's characters are found by bisecting the table's characters sorted by vertical
        centre (not by testing all of them for each row), then put back in page order, which
        the text of a cell depends on."""
        placed = self.placed
        order = sorted(range(len(placed)), key=lambda k: placed[k][1])
        centres = [placed[k][1] for k in order]
        out = []
        for row in self.table.rows:
            rx0, rtop, rx1, rbottom = row.bbox
            band = order[bisect_left(centres, rtop):bisect_left(centres, rbottom)]  # rtop <= v < rbottom
            in_row = [p for p in map(placed.__getitem__, sorted(band)) if rx0 <= p[0] < rx1]
            cells = []
            for cell in row.cells:
                if cell is None:
                    cells.append(None)
                    continue
                x0, top, x1, bottom = cell
                cells.append(extract_text([c for h, v, c in in_row if x0 <= h < x1 and top <= v < bottom]))
            out.append(cells)
        return out


_text = itemgetter(0)  # of a character tuple (text, x0, x1, top, bottom)
_x0 = itemgetter(1)
_top = itemgetter(3)


def _first(item: tuple) -> float:
    return item[0]


def clusters(items: list, key, tolerance: float, preserve_order: bool = False) -> list[list]:
    """pdfplumber.utils.cluster_objects (tolerance > 0): the same groups in the same order.

    Its values are clustered by chaining (a value within `tolerance` of the previous distinct
    value joins its cluster); groups are the clusters in value order, items in their order
    within each, or with `preserve_order` runs of consecutive items of one cluster. Written
    out because it runs for every table cell twice and pdfplumber's general version (a
    cluster dict built through itertools, a sort and a groupby each call) was most of a cell's
    cost; most cells hold one line, which is answered without building anything."""
    values = sorted(set(map(key, items)))
    if not values:
        return []
    if values[-1] <= values[0] + tolerance:  # one cluster (values sorted: every gap is smaller)
        return [list(items)]
    index = {}
    n = 0
    last = values[0]
    for v in values:
        if v > last + tolerance:
            n += 1
        index[v] = n
        last = v
    if preserve_order:
        out: list[list] = []
        previous = -1
        for item in items:
            k = index[key(item)]
            if k == previous:
                out[-1].append(item)
            else:
                out.append([item])
                previous = k
        return out
    groups: list[list] = [[] for _ in range(n + 1)]
    for item in items:
        groups[index[key(item)]].append(item)
    return groups


@functools.lru_cache(maxsize=None)
def _ligatures() -> dict:
    """pdfplumber's ligature expansion (ﬁ → fi …) as a str.translate table."""
    from pdfplumber.utils.text import LIGATURES

    return str.maketrans(LIGATURES)


def words(chars: list[tuple]) -> list[tuple[float, str]]:
    """pdfplumber's WordExtractor with its defaults, for upright left-to-right characters, as
    (top, text) pairs in its order: characters clustered into lines by top (3 pt) and sorted by
    x; a word ends at white space, at a gap over 3 pt, or where the next character moves back
    or off the line; ligatures expanded (each character's text is one code point here, so one
    translate of the word does what pdfplumber's lookup per character does)."""
    ligatures = _ligatures()
    out: list[tuple[float, str]] = []

    def close(word: list[tuple]) -> None:
        if word:
            out.append((min(map(_top, word)), "".join(map(_text, word)).translate(ligatures)))

    for line in clusters(chars, _top, 3):
        word: list[tuple] = []
        last: tuple = ()  # word[-1] while word is not empty
        line.sort(key=_x0)  # a list of clusters' own (stable, as sorted is)
        for c in line:  # c: (text, x0, x1, top, bottom)
            if c[0].isspace():
                close(word)
                word = []
                continue
            x0 = c[1]
            if word and (x0 < last[1] or x0 > last[2] + 3 or abs(c[3] - last[3]) > 3):
                close(word)
                word = [c]
            else:
                word.append(c)
            last = c
        close(word)
    return out


def extract_text(chars: list[tuple]) -> str:
    """pdfplumber.utils.extract_text with its defaults: the words clustered into lines by top
    (3 pt), joined by spaces, lines by newlines."""
    if not chars:
        return ""
    if len(chars) == 1:  # half the cells of a report's tables: one digit
        text = chars[0][0]
        return "" if text.isspace() else text.translate(_ligatures())
    found = words(chars)
    if len(found) == 1:  # most cells: one number or one word, one line
        return found[0][1]
    return "\n".join(" ".join(text for _, text in line) for line in clusters(found, _first, 3))
