"""Turn the lines of a table region into a stream of cell tokens, whatever the layout.

Why one token stream: the same table arrives one cell per line, with " |" after each cell,
one row per line with tabs or spaces between cells, or as a markdown table. Deciding the
layout per line and emitting the same kinds of tokens lets one label-anchored matcher
(extract.py) read all of them.

Token kinds:
  TEXT   a label or header fragment
  NUM    a number cell (value parsed)
  EMPTY  an explicitly empty cell (a lone tab, an empty "|" cell, "/" or "—")
  BREAK  the end of a row, where the layout shows one (end of a row line, a blank line)
  PAD    one of the bare bars a scraper leaves after a row's last cell ("规章 | 0 | ||"): not a cell,
         unless the bars make the row exactly as wide as its table (extract.fit_row decides)

Two ways web pages write one cell per line without tabs are recognised per region
(`cell_lines`): a paragraph per cell, with a blank line between cells (a CMS that turns each
table cell into a <p>); and each cell followed by a bare "|" on the next line (a scraper that
puts the cell separator on its own line). Their cells are read like the " |" layout's.
"""

from __future__ import annotations

from typing import NamedTuple

from .. import pattern_cache
from ..document import Document
from .labels import is_row_label
from .values import LOST_GLYPHS, is_placeholder, parse_cell

TEXT, NUM, EMPTY, BREAK, SECTION, PAD = "TEXT", "NUM", "EMPTY", "BREAK", "SECTION", "PAD"


class Token:
    """One cell, label or mark of a table line (a plain class: see document.Line)."""

    __slots__ = ("kind", "line", "raw", "value", "start", "end", "col", "low_confidence")

    def __init__(self, kind: str, line: int, raw: str = "", value: int | float | None = None, start: int = 0,
                 end: int = 0, col: int | None = None, low_confidence: bool = False) -> None:
        self.kind = kind
        self.line = line
        self.raw = raw  # the cell text as normalized
        self.value = value
        self.start = start  # span in the normalized line, for quoting
        self.end = end
        self.col = col  # grid column (tab / markdown field index) where the layout has one
        self.low_confidence = low_confidence  # OCR read it below the threshold (Document.low_confidence)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and all(getattr(self, k) == getattr(other, k) for k in Token.__slots__)

    __hash__ = None  # (mutable, compared by value)

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, line={self.line!r}, raw={self.raw!r}, value={self.value!r}, col={self.col!r})"


# A running header: the report's title repeated at the top of each page ("…2023年度政府信息公开工作年度报告").
_RUNNING_HEADER = pattern_cache.compile(r"(?:政府)?信息公开(?:工作)?年度?报告\s*$")
# A table row is a few hundred characters; whole tables flattened onto one line are read by
# flattened.py. Cutting longer lines here bounds the token stream whatever a file holds.
MAX_ROW_CHARS = 10_000
_MD_SEPARATOR = pattern_cache.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PIECE = pattern_cache.compile(r"\S+")
_LOST_GLYPH = pattern_cache.compile(rf"(?:^|(?<=\s))[{LOST_GLYPHS}]{{1,2}}(?=\s*\d)")
_REMARK_SPAN = pattern_cache.compile(r"[（(][^（）()\n]{1,40}[）)]")


def without_remarks(text: str) -> str:
    """The text with each bracketed remark that holds a count ("（其中修订 16 件）", "(含自然失效29件)")
    blanked out, offsets kept: the remark annotates the cell before it, and its number is never a
    cell of the row (nor its words a row label)."""
    if "（" not in text and "(" not in text:
        return text
    parts, pos = [], 0
    for r in _REMARK_SPAN.finditer(text):
        body = r.group(0)
        if any("\u4e00" <= c <= "\u9fff" for c in body) and any(c.isdigit() for c in body):
            parts += [text[pos:r.start()], " " * len(body)]
            pos = r.end()
    return "".join(parts) + text[pos:] if parts else text


def _cell_token(cell: str, line: int, start: int, col: int | None = None) -> Token:
    if "（" in cell or "(" in cell:
        bare = without_remarks(cell)
        if bare.strip():  # "22（其中修订16件）" is the cell 22; a cell that is only a remark stays text
            cell = bare
    stripped = cell.strip()
    offset = start + (len(cell) - len(cell.lstrip()))
    end = offset + len(stripped)
    if stripped.isascii() and stripped.isdigit() and len(stripped) <= 12:  # the common case, without regexes
        return Token(NUM, line, stripped, int(stripped), offset, end, col)
    if is_placeholder(stripped):
        return Token(EMPTY, line, stripped, None, offset, max(end, offset), col)
    value = parse_cell(stripped)
    if value is not None:
        return Token(NUM, line, stripped, value, offset, end, col)
    return Token(TEXT, line, stripped, None, offset, end, col)


def _split(text: str, sep: str) -> list[tuple[str, int]]:
    """Split keeping each part's start offset."""
    parts, pos = [], 0
    for part in text.split(sep):
        parts.append((part, pos))
        pos += len(part) + len(sep)
    return parts


def _open_row(text: str) -> bool:
    """A row of cells between bars without the outer ones ("规章 | 0 | 0 | 0", "行政许可 | 0"): a bar
    inside, none at either end, no tab, and its last cell a value or a blank mark."""
    stripped = text.strip()
    if "|" not in stripped or stripped.endswith("|") or stripped.startswith("|") or "\t" in stripped:
        return False
    last = stripped.rsplit("|", 1)[1].strip()
    return is_placeholder(last) or parse_cell(last) is not None


def layout_of(text: str) -> str:
    """The layout one line of a table region is written in."""
    body = text.lstrip("\t")
    stripped = text.strip()
    if not stripped.strip("| \t"):  # only bars, spaces and tabs (no set built over a long line)
        return "pipe"  # " |  |  |": empty cells of the pipe layout, not a markdown row
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 2:
        return "markdown"
    if "\t" not in body.rstrip("\t") and body.rstrip().endswith("|") and stripped != "|":
        return "pipe"  # "\t\t\t951  | ": a pipe cell indented with tabs (the tabs are not columns)
    if "\t" in body.rstrip("\t") or (text.startswith("\t\t") and body):
        return "tabs"
    if body.endswith("\t\t") and body.strip():
        return "tabs"  # "\t（六）其他处理\t\t\t…": a grid row whose cells are all blank
    if text.rstrip().endswith("|"):
        return "pipe"
    if _open_row(text):
        return "pipe"  # "规章 | 0 | 0 | 0": a bar row whose closing "|" the export left off (or put on the next line)
    if text.startswith("\t"):
        return "cells"
    return "plain"


_BAR_VALUE_CELL = pattern_cache.compile(r"^\s*[^|\s][^|]{0,20}?\s*\|\s*$")


def _between_bar_cells(doc: Document, no: int, end: int, tokens: list[Token], plan: "CellLines") -> bool:
    """A blank line between two cells of a row each closed by a bar ("   0  | ", or "0" with a bare
    "|" on the next line), the first a value or the row's label: spacing inside a row, not its end
    (the next row starts with its label, never with a number). A page's footer and running header
    between them are skipped too."""
    if not tokens or tokens[-1].line >= no:
        return False
    last_tok, last = tokens[-1], tokens[-1].line
    nxt = _next_cell_line(doc, no, end)
    if nxt is None:
        return False
    nxt_text = doc.line(nxt).text.strip()
    if last in plan.closed:
        cell = plan.singles.get(nxt)
        return nxt in plan.closed and cell is not None and cell.kind in (NUM, EMPTY)
    if last_tok.kind not in (NUM, EMPTY, TEXT):
        return False
    prev = doc.line(last).text
    if not (_BAR_VALUE_CELL.match(prev) or (prev.strip() == "|" and last_tok.kind == EMPTY)):
        return False  # ("|": a blank cell without its space)
    if nxt_text == "|":
        return last_tok.kind != TEXT  # a blank cell written without its space (or the row's padding)
    return bool(_BAR_VALUE_CELL.match(doc.line(nxt).text)) and _is_value_text(without_remarks(nxt_text[:-1]).strip())


def _next_cell_line(doc: Document, no: int, end: int) -> int | None:
    """The next line after the blank line `no` that holds a cell: past more spacing, a page's footer
    (furniture, blank here) and its running header; None when there is none within a few lines."""
    for k in range(no + 1, min(end, no + 4) + 1):
        text = doc.line(k).text
        if not text.strip() or _RUNNING_HEADER.search(text):
            continue
        return k
    return None


def _is_value_text(text: str) -> bool:
    """A number or a blank mark: what a value cell holds."""
    return is_placeholder(text) or parse_cell(text) is not None


def tokenize_line(text: str, line: int, layout: str, covered: frozenset[int] = frozenset()) -> list[Token]:
    """Tokens of one non-blank line in a known layout.

    `covered`: tab fields that a merged cell (rowspan / colspan) covers, from the HTML / DOCX /
    PDF readers. They are not cells of this row: no token at all, never an EMPTY that would
    shift the values after it or be reported blank.
    """
    tokens: list[Token] = []
    if layout == "markdown":
        if _MD_SEPARATOR.match(text.strip()):
            return []
        inner_start = text.index("|") + 1
        inner_end = text.rindex("|")
        for col, (cell, pos) in enumerate(_split(text[inner_start:inner_end], "|")):
            tokens.append(_cell_token(cell, line, inner_start + pos, col))
        tokens.append(Token(BREAK, line))
        tokens = _without_indent(tokens)
    elif layout == "tabs":
        # trailing tabs are kept: "…\t0\t0\t" ends with a blank cell in its own column
        for col, (cell, pos) in enumerate(_split(text.rstrip(" "), "\t")):
            if col in covered:
                continue
            tokens.append(_cell_token(cell, line, pos, col))
        tokens.append(Token(BREAK, line))
        tokens = _without_indent(tokens)
    elif layout == "pipe":
        if text.strip() == "|":
            # a bare "|": an empty cell whose leading space was stripped by the export
            return [Token(EMPTY, line, "", None, text.index("|"), text.index("|"))]
        if set(text) == {"|"}:
            # "||", "|||": the marks a scraper leaves for merged cells between rows, not cells (a
            # blank cell is written " |")
            return [Token(BREAK, line)]
        body = text.rstrip()
        pad = _PIPE_PADDING.search(body)
        if pad and "|" in body[:pad.start()].strip(" |"):
            # "规章 | 0 | ||||||||": a scraper padding every row to one width; the run of bare pipes
            # ends the row (the cells before it are all it has), it holds no empty cells. (A label
            # followed by padding alone, "政府集中采购 | ||||", keeps its reading: a blank row.)
            padding, body = body[pad.start():], body[:pad.start()]
        else:
            padding = ""
        parts = _split(body, "|")
        if body.endswith("|"):
            parts = parts[:-1]  # the part after the last "|" is nothing (an open row keeps its last cell)
        for cell, pos in parts:
            tokens.append(_cell_token(cell, line, pos))
        # the spaces between the padding's bars, each a cell if the row proves to need them
        for k in range(padding.count("|") - 1):
            tokens.append(Token(PAD, line, "", None, len(body), len(body)))
    elif layout == "cells":
        tokens.append(_cell_token(text, line, 0))
    else:
        tokens.extend(_plain_tokens(text, line))
        tokens.append(Token(BREAK, line))
    return tokens


# a row's trailing run of pipes with two of them side by side: padding, not cells
_PIPE_PADDING = pattern_cache.compile(r"(?:\s*\|)*\|\|\s*$")
_GLUED = pattern_cache.compile(r"(\D*[\u4e00-\u9fff）)])(\d{1,12})")


def _without_indent(tokens: list[Token]) -> list[Token]:
    """Empty fields before a line's label are the label columns' indentation ("\t\t8.属于行政"),
    never value cells: kept, they would join the row above when that row is wholly blank."""
    first_text = next((i for i, t in enumerate(tokens) if t.kind == TEXT), None)
    if not first_text or any(t.kind != EMPTY for t in tokens[:first_text]):
        return tokens
    return tokens[first_text:]


def _plain_tokens(text: str, line: int) -> list[Token]:
    """A line of space-separated pieces (PDF text layer, web text): labels and values in order.

    Consecutive label pieces form one TEXT token ("（一） 予以公开"); each number or blank
    placeholder ("—", "/", "无") is its own token, so "规章 0 — 0 行政规范性文件 2 1 15" gives
    TEXT NUM EMPTY NUM TEXT NUM NUM NUM. One pass over the pieces: linear in the line's length.
    """
    tokens: list[Token] = []
    label_start = label_end = -1
    text = without_remarks(text)
    if any(c in text for c in LOST_GLYPHS):
        # "规章 ? 0 0": a character the page's encoding lost, printed before a number; blanked in
        # place (same length) so that every token keeps its position in the line
        text = _LOST_GLYPH.sub(lambda m: " " * len(m.group(0)), text)
    for m in _PIECE.finditer(text):
        piece = m.group(0)
        glued = _GLUED.match(piece) if piece[-1:].isdigit() else None
        if glued and is_row_label(glued.group(1)):
            # "规章000": a row label with its cells run together and no separator; the digits are
            # kept as one cell (which columns they fill cannot be told), so the row is reported
            # unreadable (S008) rather than missing (S005) or blank (S006)
            if label_start >= 0:
                tokens.append(Token(TEXT, line, text[label_start:label_end], None, label_start, label_end))
                label_start = -1
            cut = m.start() + glued.end(1)
            tokens.append(Token(TEXT, line, glued.group(1), None, m.start(), cut))
            tokens.append(_cell_token(glued.group(2), line, cut))
            continue
        if len(piece) <= 24 and (is_placeholder(piece) or parse_cell(piece) is not None):
            if label_start >= 0:
                tokens.append(Token(TEXT, line, text[label_start:label_end], None, label_start, label_end))
                label_start = -1
            tokens.append(_cell_token(piece, line, m.start()))
        else:
            if label_start < 0:
                label_start = m.start()
            label_end = m.end()
    if label_start >= 0:
        tokens.append(Token(TEXT, line, text[label_start:label_end], None, label_start, label_end))
    if tokens and all(t.kind == EMPTY for t in tokens):
        # a line that is only "—" or "/" is a rule drawn in text, not a row of blank cells
        return [Token(TEXT, line, text.strip(), None, 0, len(text))]
    return tokens


def _single_cell(text: str, line: int) -> Token | None:
    """The one cell a line holds when it is a lone label, number or blank mark (bars at its
    start, as in "| 规章", are a separator, not part of the cell); None for a row of cells."""
    if layout_of(text) != "plain":
        return None
    lead = len(text) - len(text.lstrip(" \t|"))
    if is_placeholder(text[lead:].strip()):  # "—", "/", "无": here an empty cell, not a drawn rule
        return _cell_token(text[lead:], line, lead)
    toks = _plain_tokens(text[lead:], line)
    if len(toks) != 1:
        return None
    tok = toks[0]
    tok.start += lead
    tok.end += lead
    return tok


class CellLines(NamedTuple):
    """How a region writes one cell per line without tabs (see the module docstring).

    rhythm: blank lines between two cells of a paragraph-per-cell region (0 or 1; None when the
            region is not written so); each blank line beyond it inside a row (after its label
            or a value) is an empty cell (the page's empty <p>).
    closed: lines whose cell is ended by a bare "|" on the next non-blank line; bars: those "|" lines.
    """

    rhythm: int | None
    closed: frozenset[int]
    bars: frozenset[int]
    singles: dict[int, Token | None]  # each line's lone cell, read once


MIN_BLANK_ROW = 3  # empty paragraphs between two labels that are the first label's row, all blank
MIN_CELL_LINES = 12  # non-blank lines a region needs before it can be called one cell per paragraph


def cell_lines(doc: Document, start: int, end: int, headings: dict[int, int] | None = None) -> CellLines:
    """Find the two tab-less one-cell-per-line shapes in lines start..end.

    A paragraph-per-cell region: nearly every non-blank line is a single cell (85 %), a few of
    them numbers, and the usual gap between two lines is the same (the rhythm). Tab-indented
    cells, " |" cells and rows of several cells never qualify, so their reading is unchanged.
    """
    headings = headings or {}
    seen: list[tuple[int, str, int]] = []  # (line, text, blank lines before it)
    blanks = 0
    for no in range(start, end + 1):
        ln = doc.line(no)
        if ln.furniture or no in headings:
            continue
        text = ln.text[:MAX_ROW_CHARS]
        if not text.strip():
            blanks += 1
            continue
        seen.append((no, text, blanks))
        blanks = 0
    closed, bars, singles = set(), set(), {}
    for (no, text, _), (nxt, nxt_text, _) in zip(seen, seen[1:]):
        if nxt_text.strip() == "|" and _open_row(text):
            bars.add(nxt)  # the closing bar of "规章 | 0 | 0 | 0" on a line of its own
            continue
        if nxt_text.strip() == "|" and not text.rstrip().endswith("|"):
            singles[no] = _single_cell(text, no)
            if singles[no] is not None:
                closed.add(no)
                bars.add(nxt)
    rhythm = None
    if len(seen) >= MIN_CELL_LINES and _mostly_single_cells(seen, singles):
        gaps: dict[int, int] = {}
        for _, _, before in seen[1:]:
            gaps[before] = gaps.get(before, 0) + 1
        common = max(gaps, key=gaps.get)
        if common in (0, 1):
            rhythm = common
    return CellLines(rhythm, frozenset(closed), frozenset(bars), singles)


def _mostly_single_cells(seen: list[tuple[int, str, int]], singles: dict[int, Token | None]) -> bool:
    """85 % of the lines hold a single cell, at least three of them values: numbers, or blank
    marks ("/", "—": a table of one number and its blanks written "/" is still cells). Stops at
    the first line over the 15 % allowance, so a region of ordinary rows costs a few lines, not
    all. Each line's cell is kept in `singles` for the tokenizer."""
    allowed, misses, values = 0.15 * len(seen), 0, 0
    for no, text, _ in seen:
        tok = singles[no] if no in singles else singles.setdefault(no, _single_cell(text, no))
        if tok is None:
            misses += 1
            if misses > allowed:
                return False
        elif tok.kind == NUM or (tok.kind == EMPTY and tok.raw.strip()):
            values += 1
    return values >= 3


def _tabless(doc: Document, start: int, end: int) -> bool:
    """Whether lines start..end could be one cell per paragraph at all: enough lines, nearly all
    without a tab or a "|" (a cheap test before cell_lines reads the cells)."""
    allowed, rows, plain = 0.15 * (end - start + 1), 0, 0
    for no in range(start, end + 1):
        text = doc.line(no).text
        if "\t" in text or "|" in text:
            rows += 1
            if rows > allowed:
                return False  # (stops early: a part of tab rows is seen to be one in a few lines)
        elif text.strip():
            plain += 1
    return plain >= MIN_CELL_LINES and plain >= 0.85 * (plain + rows)


def _rhythm_by_part(doc: Document, start: int, end: int, headings: dict[int, int] | None,
                    plan: CellLines) -> dict[int, int | None]:
    """The paragraph-per-cell rhythm of each part of the region (from its first line or section
    heading), where the region as a whole is not written so: one table may be one cell per
    paragraph while the next is rows of tabs (a page assembled from two sources). Empty when the
    whole region's reading applies everywhere."""
    if plan.rhythm is not None or not headings:
        return {}
    starts = [start] + sorted(no for no in headings if start < no <= end)
    parts = {}
    for first, nxt in zip(starts, starts[1:] + [end + 1]):
        if not _tabless(doc, first, nxt - 1):
            continue  # rows of tabs or pipes: no part of a paragraph-per-cell page
        rhythm = cell_lines(doc, first, nxt - 1, headings).rhythm
        if rhythm is not None:
            parts[first] = rhythm
    return parts


def tokenize(doc: Document, start: int, end: int, headings: dict[int, int] | None = None
             ) -> tuple[list[Token], dict[str, int]]:
    """Tokens of lines start..end (1-based, inclusive) and a count of the layouts seen.

    `headings` maps the line of a section heading to its number; it becomes a SECTION token.

    A line with no tab indent that follows a one-cell-per-line TEXT cell continues that
    cell's label ("本年新" / "制作数量"), even across one blank line ("（三）不予" / "" / "公开").
    """
    tokens: list[Token] = []
    layouts: dict[str, int] = {}
    prefix: str | None = None
    plan = cell_lines(doc, start, end, headings)
    by_part = _rhythm_by_part(doc, start, end, headings, plan)
    rhythm = by_part.get(start, plan.rhythm)
    blank_run = 0  # blank lines since the last cell (paragraph-per-cell regions)
    after_bare_bar = False  # the last line was a bare "|" (a blank cell of the pipe layout)
    last_kind: str | None = None  # kind of the last cell there
    for no in range(start, end + 1):
        ln = doc.line(no)
        text = ln.text[:MAX_ROW_CHARS]
        if headings and no in headings:
            tokens.append(Token(SECTION, no, ln.text.strip(), headings[no]))
            blank_run, last_kind = 0, None
            rhythm = by_part.get(no, plan.rhythm)
            continue
        if not text.strip():
            if ln.furniture:
                continue
            if rhythm is not None:
                blank_run += 1
                continue
            if "\t" in text:  # a lone tab: an empty cell of the one-cell-per-line layout
                tokens.append(Token(EMPTY, no, "", None, 0, 0))
            elif _between_bar_cells(doc, no, end, tokens, plan):
                continue  # "0 |" / "" / "0 |": an indented page's spacing between the cells of one row
            else:
                tokens.append(Token(BREAK, no))
            continue
        if _RUNNING_HEADER.search(text) and not any(ch.isdigit() for ch in text.split("报告")[-1]):
            continue  # the report's title printed again at the top of a page inside the table
        if _prose_number(doc, no, end, text):
            continue  # "本区累计主动公开政府信息" / "5928" / "条，全文电子化率达…": a sentence broken at its number
        if no in plan.bars:
            continue  # the "|" that ends the cell on the line above
        cell = None
        if rhythm is not None or no in plan.closed:
            cell = plan.singles[no] if no in plan.singles else _single_cell(text, no)
        if cell is not None:
            if rhythm is not None:
                extra = blank_run - rhythm
                # inside a row: before a value (after its label or a value), or after a value
                # (its last cells empty); between two labels only as a whole row of empty cells
                # (MIN_BLANK_ROW or more: a single stray empty paragraph there is not a cell)
                if extra > 0 and ((cell.kind in (NUM, EMPTY) and last_kind is not None)
                                  or (cell.kind == TEXT and last_kind in (NUM, EMPTY))
                                  or (cell.kind == TEXT and last_kind == TEXT and extra >= MIN_BLANK_ROW)):
                    tokens += [Token(EMPTY, no - extra + k, "", None, 0, 0) for k in range(extra)]
            blank_run, last_kind = 0, cell.kind
            kind = "paragraphs" if rhythm is not None else "pipe"
            layouts[kind] = layouts.get(kind, 0) + 1
            if no in doc.low_confidence:
                _mark_low_confidence([cell], ln, doc.low_confidence[no])
            tokens.append(cell)
            continue
        if blank_run:
            tokens.append(Token(BREAK, no - 1))  # a row of several cells after blank lines
            blank_run = 0
        last_kind = None
        layout = layout_of(text)
        if layout == "plain" and layouts.get("cells", 0) > layouts.get("plain", 0):
            # continuation of a label cell in the one-cell-per-line layout
            prev = [t for t in tokens[-3:]]
            while prev and prev[-1].kind == BREAK:
                prev.pop()
            if prev and prev[-1].kind == TEXT and parse_cell(text.strip()) is None:
                while tokens and tokens[-1].kind == BREAK:
                    tokens.pop()
                tokens[-1].raw += text.strip()
                continue
        if layout == "plain" and layouts.get("pipe", 0) > layouts.get("plain", 0) and no < end \
                and parse_cell(text.strip()) is None and layout_of(doc.line(no + 1).text) == "pipe":
            # the first part of a pipe cell wrapped before its " |" ("7.属于行" / "政执法案卷 |")
            prefix = (prefix or "") + text.strip()
            continue
        closing = _BAR_THEN_CELL.fullmatch(text.strip()) if layout == "markdown" and after_bare_bar else None
        if closing:
            # "|" / "|" / "| 0 | ||": one cell per line, each closed by a bar; this line's first bar
            # closes one more blank cell, then comes its one value and the row's padding
            layouts["pipe"] = layouts.get("pipe", 0) + 1
            bar = text.index("|")
            tokens.append(Token(EMPTY, no, "", None, bar, bar))
            if closing.group(1):
                tokens.append(_cell_token(closing.group(1), no, text.index(closing.group(1), bar + 1)))
            after_bare_bar = False
            continue
        after_bare_bar = text.strip() == "|"
        layouts[layout] = layouts.get(layout, 0) + 1
        line_tokens = tokenize_line(text, no, layout, doc.covered.get(no, frozenset()))
        if prefix:
            if line_tokens and line_tokens[0].kind == TEXT:
                line_tokens[0].raw = prefix + line_tokens[0].raw
            else:
                tokens.append(Token(TEXT, no - 1, prefix))
            prefix = None
        if no in doc.low_confidence:
            _mark_low_confidence(line_tokens, ln, doc.low_confidence[no])
        tokens.extend(line_tokens)
    return tokens, layouts


_BAR_THEN_CELL = pattern_cache.compile(r"\|\s*([^|]*?)\s*\|(?:\s*\|)*")
_LONE_NUMBER = pattern_cache.compile(r"\s*\d[\d,，.]*\s*[%％]?\s*")
# a sentence going on after a number that was set on a line of its own (a web page's <span>)
_SENTENCE_GOES_ON = pattern_cache.compile(r"\s*(?:[条件个项次人家宗份余万亿]|[%％])?\s*[，,。；;、]|\s*[条件个项次人家宗份][\u4e00-\u9fff]{2,}")


def _prose_number(doc: Document, no: int, end: int, text: str) -> bool:
    """A number alone on its line whose sentence goes on at the start of the next line
    ("5928" / "条,全文电子化率达"): words of a paragraph, never a table cell."""
    if not _LONE_NUMBER.fullmatch(text):
        return False
    for nxt in range(no + 1, min(end, no + 2) + 1):
        following = doc.line(nxt).text
        if following.strip():
            return bool(_SENTENCE_GOES_ON.match(following))
    return False


def _mark_low_confidence(tokens: list[Token], ln, spans: list[tuple[int, int, float]]) -> None:
    """OCR: a token whose text lies in a span read below the confidence threshold is marked."""
    for tok in tokens:
        if tok.kind in (NUM, EMPTY, TEXT) and tok.end > tok.start:
            raw_start, raw_end = ln.idx[tok.start], ln.idx[tok.end - 1] + 1
            tok.low_confidence = any(s < raw_end and raw_start < e for s, e, _c in spans)
