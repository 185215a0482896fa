"""HTML pages: blocks as lines, each <table> row as one tab-separated line, site chrome dropped.

Uses only the standard library's html.parser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .. import pattern_cache
from .cells import join_pieces, row_line, squash


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
_CHROME = pattern_cache.compile(r"nav|menu|^head|header|footer|^foot|share|search|breadcrumb|toolbar|sidebar|"
                     r"^top$|topbar|copyright|login|skip|bdshare|jiathis|qrcode|erweima")
_MAX_DEPTH = 200
_HIDDEN = pattern_cache.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


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
        text = squash(_plain(li))
        link_text = "".join(squash(_plain(a)) for a in _find_all(li, "a"))
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
    return join_pieces((squash(p) for p in "".join(parts).split("\n")), r"[0-9A-Za-z]")


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


def _grid(rows: list[list[_Node]]) -> list[tuple[str, frozenset[int]]]:
    """Lay the cells out on the table's grid as HTML does (rowspan/colspan, rowspan="0" to the
    end): each row becomes one tab-separated line whose field i is grid column i, the cell's
    text at its top-left position. Positions a merged cell covers are '' and are returned as
    `covered`, so the extractor never mistakes them for blank cells; a position no cell fills
    (a short row) is a real blank."""
    origin: dict[int, dict[int, str]] = {r: {} for r in range(len(rows))}  # row -> col -> text
    covered_at: dict[int, set[int]] = {r: set() for r in range(len(rows))}
    n_rows = len(rows)
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            while col in origin[r] or col in covered_at[r]:
                col += 1
            colspan = min(_span(cell, "colspan"), 200)
            raw_rowspan = cell.attrs.get("rowspan", "1").strip()
            rowspan = n_rows - r if raw_rowspan == "0" else _span(cell, "rowspan")
            rowspan = max(1, min(rowspan, n_rows - r))
            origin[r][col] = _cell_plain(cell)
            for rr in range(r, r + rowspan):
                covered_at[rr].update(range(col, col + colspan))
            covered_at[r].discard(col)
            col += colspan
    out: list[tuple[str, frozenset[int]]] = []
    for r in range(n_rows):
        cols = set(origin[r]) | covered_at[r]
        if not cols:
            continue
        fields = [origin[r].get(c, "") for c in range(max(cols) + 1)]
        if any(f.strip() for f in fields):
            out.append((row_line(fields), frozenset(covered_at[r] - set(origin[r]))))
    return out


def _render(root: _Node) -> list[tuple[str, frozenset[int]]]:
    """(line, covered tab fields) for every block and table row of the page, in order."""
    lines: list[tuple[str, frozenset[int]]] = []
    buf: list[str] = []
    none: frozenset[int] = frozenset()

    def flush() -> None:
        text = squash("".join(buf))
        buf.clear()
        if text:
            lines.append((text, none))

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
                            lines.append((cap, none))
                    lines.extend(_grid(rows))
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


def html_to_grid_text(text: str) -> tuple[str, dict[int, frozenset[int]]]:
    """HTML page → (report text, covered): blocks as lines, each <table> row as one
    tab-separated line on the table's grid, scripts/styles/navigation dropped; `covered` maps
    a line number (1-based) to the grid fields a merged cell covers there."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    lines = _render(builder.root)
    covered = {no: cov for no, (_, cov) in enumerate(lines, start=1) if cov}
    return "\n".join(line for line, _ in lines) + "\n", covered


def html_to_text(text: str) -> str:
    """HTML page → report text (see html_to_grid_text)."""
    return html_to_grid_text(text)[0]


