"""Turning HTML, PDF and .docx reports into plain text the parsers already understand.

Why one shared text layout: the table extractor reads plain lines, so every converter here
emits the same shape — ordinary text as one line per block/paragraph, and every table row as
ONE line of tab-separated cell texts. Merged cells are written once (top-left position) and the
positions they cover are left as empty strings, so column positions stay stable across rows.

Heavy libraries (pdfplumber, python-docx) are imported inside the functions that need them, so
auditing a .txt never pays for them; HTML uses only the standard library.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

# ---------------------------------------------------------------- shared helpers

# CJK ideographs plus CJK / full-width punctuation: a space between two of these is never
# meaningful in a Chinese report (it comes from justified PDF text or HTML source line breaks).
_CJK = r"\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2018-\u201d\u2026"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009\u200b]+")
# Page footers: "- 3 -", "— 3 —", "第 3 页", "第 3 页 共 5 页", "3 / 5".
_FOOTER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)


def _squash(text: str) -> str:
    """Collapse all whitespace to single spaces and drop spaces between CJK characters."""
    text = _WS.sub(" ", text).strip()
    return _CJK_GAP.sub("", text)


def _cell_text(text: str | None) -> str:
    """A table cell as one string: its lines joined without separators (Chinese labels wrap
    mid-word, e.g. "…只计这一情" / "形，不计其他情形）", and numbers wrap mid-number in narrow
    cells), whitespace collapsed, no tabs. Only two Latin words keep a space between them."""
    if not text:
        return ""
    return _join_pieces((part.strip() for part in text.splitlines()), r"[A-Za-z]")


def _join_pieces(pieces, word: str) -> str:
    """Join text pieces without separators (Chinese), except a space between two `word` characters."""
    out = ""
    for piece in pieces:
        if not piece:
            continue
        if out and re.match(word, piece) and re.search(word + "$", out):
            out += " "
        out += piece
    return _squash(out)


def _row_line(cells: list[str]) -> str:
    return "\t".join(c.replace("\t", " ") for c in cells)


# ---------------------------------------------------------------- HTML

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
         "source", "track", "wbr", "keygen", "basefont", "frame"}
# Elements whose content is never report text.
_SKIP = {"script", "style", "head", "title", "noscript", "template", "iframe", "frame", "frameset",
         "select", "option", "button", "textarea", "svg", "object", "embed", "canvas", "nav",
         "form", "map", "audio", "video", "xml"}
_BLOCK = {"address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
          "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3",
          "h4", "h5", "h6", "header", "hr", "html", "li", "main", "menu", "ol", "p", "pre",
          "section", "summary", "table", "ul", "caption", "tbody", "thead", "tfoot", "tr", "td", "th"}
# A start tag of one of these closes an open <p> (HTML's implied end tags).
_CLOSES_P = _BLOCK - {"body", "html", "td", "th", "tr", "tbody", "thead", "tfoot", "caption", "li",
                      "dd", "dt"}
# class/id words that mark site chrome (header bar, menus, footers, share buttons…).
_CHROME = re.compile(r"nav|menu|^head|header|footer|^foot|share|search|breadcrumb|toolbar|sidebar|"
                     r"^top$|topbar|copyright|login|skip|bdshare|jiathis|qrcode|erweima")
_MAX_DEPTH = 200
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class _Node:
    __slots__ = ("tag", "attrs", "children", "parent")

    def __init__(self, tag: str, attrs: dict[str, str], parent: "_Node | None"):
        self.tag = tag
        self.attrs = attrs
        self.children: list["_Node | str"] = []
        self.parent = parent


class _TreeBuilder(HTMLParser):
    """A forgiving tree builder: html.parser only tokenizes, so the implied end tags that real
    (Word-exported, CMS-generated) pages rely on — unclosed <p>, <td>, <tr>, <li> — are applied
    here, well enough for text extraction."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {}, None)
        self.stack: list[_Node] = [self.root]

    # -- helpers
    def _close_to(self, tags: set[str], stop: set[str]) -> None:
        """Pop up to and including the nearest open element in `tags`, not crossing `stop`."""
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in tags:
                del self.stack[i:]
                return
            if tag in stop:
                return

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag in ("td", "th"):
            self._close_to({"td", "th"}, {"table", "tr"})
        elif tag == "tr":
            self._close_to({"tr"}, {"table"})
        elif tag in ("thead", "tbody", "tfoot"):
            self._close_to({"thead", "tbody", "tfoot"}, {"table"})
        elif tag == "li":
            self._close_to({"li"}, {"ul", "ol", "table", "td", "th"})
        elif tag in ("dt", "dd"):
            self._close_to({"dt", "dd"}, {"dl", "table", "td", "th"})
        if tag in _CLOSES_P:
            self._close_to({"p"}, {"table", "td", "th", "div", "li", "body"})
        node = _Node(tag, {k.lower(): (v or "") for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        # Past a sane depth (thousands of unclosed <font>s) children go to the current node,
        # so the recursive rendering below cannot overflow the stack.
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag.lower() not in _VOID and self.stack[-1].tag == tag.lower():
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _VOID:
            return
        # An end tag closes the nearest open element of that name, but a stray </td> or </p>
        # must not climb out of the table it sits in.
        stop = {"table"} if tag in ("td", "th", "tr", "tbody", "thead", "tfoot", "p") else set()
        self._close_to({tag}, stop)

    def handle_data(self, data: str) -> None:
        if data:
            self.stack[-1].children.append(data)


def _is_chrome(node: _Node) -> bool:
    """Site furniture to drop: <nav>-like blocks by class/id, hidden elements, link-only lists."""
    if node.tag in _SKIP:
        return True
    if _HIDDEN.search(node.attrs.get("style", "")) or "hidden" in node.attrs:
        return True
    # Not <p>/<span>: report text lives there (Word even styles body paragraphs "MsoHeader").
    if node.tag in ("div", "ul", "ol", "header", "footer", "aside", "section", "table"):
        words = (node.attrs.get("class", "") + " " + node.attrs.get("id", "")).lower().split()
        if any(_CHROME.search(w) for w in words) and not _has_report_content(node):
            return True
    if node.tag in ("ul", "ol") and _is_link_list(node):
        return True
    return False


def _has_report_content(node: _Node) -> bool:
    """Guard against dropping the report itself when its container has a chrome-like class."""
    if _find(node, "table") is not None:
        return True
    return len(_plain(node)) > 400


def _is_link_list(node: _Node) -> bool:
    """A <ul> whose every item's text is link text is a menu, not report content."""
    items = [c for c in node.children if isinstance(c, _Node) and c.tag == "li"]
    if not items:
        return False
    for li in items:
        text = _squash(_plain(li))
        link_text = "".join(_squash(_plain(a)) for a in _find_all(li, "a"))
        if text and len(link_text) < len(text.replace(" ", "")) * 0.8:
            return False
    return True


def _find(node: _Node, tag: str) -> _Node | None:
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                return child
            found = _find(child, tag)
            if found is not None:
                return found
    return None


def _find_all(node: _Node, tag: str) -> list[_Node]:
    out: list[_Node] = []
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                out.append(child)
            out.extend(_find_all(child, tag))
    return out


def _plain(node: _Node) -> str:
    """All text below a node, skipping script/style, with no separators between blocks."""
    parts: list[str] = []

    def walk(n: _Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag not in _SKIP:
                walk(child)

    walk(node)
    return "".join(parts)


def _cell_plain(node: _Node) -> str:
    """A cell's text: Word-exported cells split one label over several <p>/<span>; joining
    them without spaces rebuilds it ("申请人情" + "况"). A <br> or <p> between two Latin/digit
    runs still gets a space so "2023" and "12" do not fuse."""
    parts: list[str] = []

    def walk(n: _Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in _SKIP or _HIDDEN.search(child.attrs.get("style", "")):
                continue
            elif child.tag == "br" or child.tag in _BLOCK:
                parts.append("\n")
                walk(child)
                parts.append("\n")
            else:
                walk(child)

    walk(node)
    # block elements inside one HTML cell: Latin words and numbers in separate blocks stay apart
    return _join_pieces((_squash(p) for p in "".join(parts).split("\n")), r"[0-9A-Za-z]")


def _table_rows(table: _Node) -> list[list[_Node]]:
    """The <tr>s of a table (through thead/tbody/tfoot, not into nested tables), as cell lists."""
    rows: list[list[_Node]] = []

    def walk(n: _Node) -> None:
        for child in n.children:
            if not isinstance(child, _Node):
                continue
            if child.tag == "tr":
                rows.append([c for c in child.children if isinstance(c, _Node) and c.tag in ("td", "th")])
            elif child.tag in ("thead", "tbody", "tfoot") or (child.tag not in ("table", "td", "th")
                                                               and child.tag not in _SKIP):
                walk(child)

    walk(table)
    return rows


def _is_layout_table(table: _Node, rows: list[list[_Node]]) -> bool:
    """Old CMS pages wrap the whole article in tables used for layout; those must be read as
    ordinary blocks, not flattened into one giant row. A table holding another table, or with
    at most one cell per row, is treated as layout."""
    if not rows:
        return True
    for row in rows:
        for cell in row:
            if _find(cell, "table") is not None:
                return True
    return max(len(r) for r in rows) <= 1


def _span(node: _Node, name: str) -> int:
    try:
        return max(1, min(int(re.sub(r"[^0-9]", "", node.attrs.get(name, "1")) or "1"), 200))
    except ValueError:
        return 1


def _grid_lines(rows: list[list[_Node]]) -> list[str]:
    """Lay the cells out on a grid honouring colspan/rowspan; covered positions stay ''."""
    lines: list[str] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan from above
    for row in rows:
        out: list[str] = []
        col = 0

        def skip_covered() -> None:
            nonlocal col
            while pending.get(col, 0) > 0:
                out.append("")
                col += 1

        for cell in row:
            skip_covered()
            colspan, rowspan = _span(cell, "colspan"), _span(cell, "rowspan")
            out.append(_cell_plain(cell))
            out.extend([""] * (colspan - 1))
            if rowspan > 1:
                for c in range(col, col + colspan):
                    pending[c] = max(pending.get(c, 0), rowspan)  # decremented below, this row included
            col += colspan
        # columns covered from above to the right of the last cell
        if pending:
            while col <= max(pending) and col < 500:
                if pending.get(col, 0) > 0:
                    out.append("")
                else:
                    break
                col += 1
        for c in list(pending):
            pending[c] -= 1
            if pending[c] <= 0:
                del pending[c]
        if any(cell.strip() for cell in out):
            lines.append(_row_line(out))
    return lines


def _render(root: _Node) -> list[str]:
    lines: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = _squash("".join(buf))
        buf.clear()
        if text:
            lines.append(text)

    def walk(node: _Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                buf.append(child)
                continue
            if _is_chrome(child):
                continue
            if child.tag == "br":
                flush()
            elif child.tag == "table":
                rows = _table_rows(child)
                flush()
                if _is_layout_table(child, rows):
                    walk(child)
                else:
                    caption = _find(child, "caption")
                    if caption is not None:
                        cap = _cell_plain(caption)
                        if cap:
                            lines.append(cap)
                    lines.extend(_grid_lines(rows))
                flush()
            elif child.tag in _BLOCK:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return lines


def html_to_text(text: str) -> str:
    """HTML page → report text: blocks as lines, each <table> row as one tab-separated line,
    scripts/styles/navigation dropped. Uses only the standard library's html.parser."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return "\n".join(_render(builder.root)) + "\n"


# ---------------------------------------------------------------- PDF


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
            cells = [_cell_text(c) for c in row]
            if any(cells):
                out.append(_row_line(cells))
        items.append((float(bbox[1]), 1, out))

    def outside(obj: dict) -> bool:
        if obj.get("object_type") != "char":
            return True
        return not any(_inside(obj, b) for b in boxes)

    text_page = page.filter(outside) if boxes else page
    for line in text_page.extract_text_lines(return_chars=False, strip=True):
        text = _squash(line.get("text", ""))
        if re.fullmatch(r"\d{1,3}", text) and float(line["top"]) > 0.9 * float(page.height):
            continue  # a bare page number in the bottom margin
        if text:
            items.append((float(line["top"]), 0, [text]))
    items.sort(key=lambda it: (it[0], it[1]))
    return items


def pdf_to_text(data: bytes) -> str:
    """PDF bytes → report text, page by page in reading order: text lines outside tables as
    lines, each table row as one tab-separated line (None cells → ""). Page footers such as
    "- 3 -" are dropped; a table continued on the next page simply continues there."""
    from .reading import InputError

    try:
        import pdfplumber  # lazy: heavy, and optional for text-only users
    except ImportError as exc:
        raise InputError("PDF 需要安装 pdfplumber：pip install pdfplumber") from exc

    lines: list[str] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                page_lines = [ln for _, _, chunk in _pdf_page_items(page) for ln in chunk]
                lines.extend(ln for ln in page_lines if not _FOOTER.match(ln))
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of errors on damaged files
        raise InputError(f"无法解析 PDF（cannot parse PDF: {type(exc).__name__}: {exc}）") from exc
    if not any(ln.strip() for ln in lines):
        raise InputError("PDF 没有文字层（扫描件？需要先 OCR）（PDF has no text layer: scanned? OCR it first）")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- DOCX


def docx_to_text(data: bytes) -> str:
    """.docx bytes → report text: paragraphs and tables in body order; each table row as one
    tab-separated line. python-docx returns the same cell object for every grid position a
    merged cell covers, so a repeat is written once and its covered positions left ''."""
    from .reading import InputError

    try:
        import docx  # python-docx; lazy: heavy, and optional for text-only users
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:
        raise InputError(".docx 需要安装 python-docx：pip install python-docx") from exc

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise InputError(f"无法解析 .docx（cannot parse .docx: {type(exc).__name__}: {exc}）") from exc

    lines: list[str] = []

    def emit_table(table) -> None:
        # <w:tc> elements already written, keyed by id; the dict keeps the lxml proxies alive so
        # an id cannot be reused by another element while the table is being read.
        seen: dict[int, object] = {}
        for row in table.rows:
            out: list[str] = [""] * int(getattr(row, "grid_cols_before", 0) or 0)
            nested = []
            for cell in row.cells:
                key = id(cell._tc)
                if key in seen:
                    out.append("")
                    continue
                seen[key] = cell._tc
                out.append(_cell_text("\n".join(p.text for p in cell.paragraphs)))
                nested.extend(cell.tables)
            if any(out):
                lines.append(_row_line(out))
            for inner in nested:  # rare; keep their rows rather than lose them
                emit_table(inner)

    def walk(parent) -> None:
        for child in parent.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
            if tag == "p":
                # Tabs inside a paragraph are kept: a table typed with tab stops then reads as
                # the tab-separated row layout the table extractor understands.
                text = Paragraph(child, document).text
                for part in text.splitlines():
                    part = part.strip()
                    if part:
                        lines.append(part)
            elif tag == "tbl":
                emit_table(Table(child, document))
            elif tag in ("sdt", "sdtContent", "customXml", "ins", "smartTag"):
                walk(child)  # content controls and tracked insertions wrap real paragraphs

    walk(document.element.body)
    return "\n".join(lines) + "\n"
