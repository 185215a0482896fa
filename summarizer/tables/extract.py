"""Extract the three standard tables from a report, deterministically, into canonical cell keys.

How: the lines from section 二 to section 五 become one token stream (tokenize.py). A single
pass walks it: a TEXT token that names a template row (labels.py) opens that row and the
value tokens after it fill it; section headings and the first label of the next table switch
tables. Values that come *before* their label (PDF text layers centre numbers vertically)
are held as orphans and given to the next row that has none. Nothing is invented: a row not
found is missing (S005), a blank cell is None (S006), a layout that yields no rows is
reported unparsed with the reason.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .. import pattern_cache
from ..models import Section, TableResult
from ..document import Document
from ..schema import (assumed_format, ACTIVE_2019, ACTIVE_2021, APPLICATION_COLUMN_LABELS, APPLICATION_COLUMNS, LITIGATION_COLUMNS, LITIGATION_GROUPS,
                      TABLE_NAMES, table_spec)
from .labels import ROWS, is_row_label, match_row, nearest_label
from .tokenize import BREAK, EMPTY, NUM, PAD, SECTION, TEXT, Token, tokenize
from .values import amount_in_wan

_LITIGATION_HEADER = pattern_cache.compile(r"行政复议|行政诉讼|结果维持|复议后起诉|未经复议")
_MODE_OF_SECTION = {2: "active", 3: "applications", 4: "litigation"}


def _litigation_group(text: str) -> str | None:
    """The litigation group a header names on its own ("### 行政诉讼（复议后起诉）"), else None."""
    t = text.replace(" ", "")
    if "复议后起诉" in t and "未经" not in t:
        return "after_review"
    if ("未经复议" in t or "直接起诉" in t) and "复议后" not in t:
        return "direct"
    if "行政复议" in t and "诉讼" not in t and "结果" not in t:
        return "review"
    return None
# Text inside a table that is not a row: remarks, units, column and group headers.
_REMARK = pattern_cache.compile(r"[（(]?\s*(?:其中|注|说明|备注|单位|数据来源|第二十条|信息内容|申请人情况|本列数据|合计数|含)")
_FMT_2019_HEADERS = pattern_cache.compile(r"新制作|新公开|对外公开总数|上一年项目数|采购项目|采购总金额")
_FMT_2021_HEADERS = pattern_cache.compile(r"制发件数|废止件数|现行有效|收费金额")
# table 二's group and column headers, which a table flattened onto one line runs into the next row's
# label ("第二十条第(五)项 信息内容 本年处理决定数量 行政许可 0")
_ACTIVE_HEADER_WORDS = pattern_cache.compile(
    r"第二十条第\s*[(（][一二三四五六七八九十]{1,3}[)）]\s*项|信息内容|本年制发件数|本年废止件数|现行有效件数|本年处理决定数量|"
    r"本年收费金额\s*(?:[(（]\s*单位\s*[:：]?\s*万元\s*[)）])?|上一年项目数量|本年增\s*/\s*减|处理决定数量|本年新制作数量|"
    r"本年新公开数量|对外公开总数量|采购项目数量|采购总金额\s*(?:[(（]\s*单位\s*[:：]?\s*万元\s*[)）])?")


def _after_headers(tok: Token) -> tuple[Token, str] | None:
    """The row label after the table headers run into it, and those headers; None when none are."""
    last = None
    for last in _ACTIVE_HEADER_WORDS.finditer(tok.raw):
        pass
    if last is None or not tok.raw[last.end():].strip():
        return None
    label = tok.raw[last.end():].lstrip()
    start = tok.end - len(label)
    return Token(TEXT, tok.line, label, None, start, tok.end, tok.col), tok.raw[:last.end()]
# the second table's column labels in full (the fallback above reads text that may be narrative)
_FMT_2019_COLUMNS = pattern_cache.compile(r"新制作数量|新公开数量|对外公开总数量")
_FMT_2021_COLUMNS = pattern_cache.compile(r"制发件数|废止件数|现行有效件数")


class RowHit:
    """A row label found in a table, with the value tokens read for it (a plain class: see
    document.Line)."""

    __slots__ = ("table", "index", "label", "line", "values", "parent", "subrows", "pads")

    def __init__(self, table: str, index: int | None, label: str, line: int, values: list[Token] | None = None,
                 parent: "RowHit | None" = None, subrows: list["RowHit"] | None = None) -> None:
        self.table = table
        self.index = index  # index in labels.ROWS[table]; None for a row not in the template
        self.label = label
        self.line = line
        self.values = [] if values is None else values
        self.parent = parent
        self.subrows = [] if subrows is None else subrows
        self.pads: list[Token] = []  # bare bars after its last cell (tokenize.PAD), not cells yet

    def __repr__(self) -> str:
        return f"RowHit({self.table!r}, {self.index!r}, {self.label!r}, line={self.line!r})"

    @property
    def row_id(self) -> str | None:
        return None if self.index is None else ROWS[self.table][self.index].id

    def nums(self) -> int:
        return sum(1 for t in self.values if t.kind == NUM)


class Extraction(NamedTuple):
    tables: dict[str, TableResult]
    cells: dict[str, int | float | None]
    format_version: str | None
    format_evidence: str
    recovered: list[str]  # cells split from run-together digits by arithmetic
    low_confidence: list[str]  # cells whose token OCR read below the threshold


def fit(values: list[Token], n: int, trailing_first: bool = False) -> tuple[list[Token | None], str]:
    """Fit a row's value tokens to its n columns: drop surplus empty cells at the edges.

    Leading empties come from merged label columns ("→→8. 属于行政查询事项→0…"), trailing
    ones from merged cells after the row, or from a bar closing each row ("行政处罚 |" / "|" /
    "+239 |" / "239 |" / "|": a blank first cell, then the row's closing bar). `trailing_first`:
    the table's other rows end in such a blank, so a surplus blank there goes first. Returns the
    n cells (None where a cell is absent) and a note when the row does not fit.
    """
    vals = list(values)

    def surplus(tok: Token) -> bool:  # (a blank written as a mark, "—" or "/", is a cell someone filled in)
        return tok.kind == EMPTY and not tok.raw.strip()

    if trailing_first:
        while len(vals) > n and surplus(vals[-1]):
            vals.pop()
    while len(vals) > n and surplus(vals[0]):
        vals.pop(0)
    while len(vals) > n and surplus(vals[-1]):
        vals.pop()
    if len(vals) > n:
        nums = sum(1 for t in vals if t.kind == NUM)
        return [None] * n, f"该行有{len(vals)}个单元格（其中{nums}个数值），多于模板的{n}列，无法对应"
    if len(vals) < n:
        # which column is missing cannot be known: nothing is assigned by position
        shown = "、".join(t.raw or "空" for t in vals)
        return [None] * n, f"该行只有{len(vals)}个单元格（{shown}），模板应有{n}列，无法确定各数值对应的列，未提取"
    return vals, ""


def _cell_per_line(tokens: list[Token], per_line: dict[int, list[str]], lone: set[int]) -> bool:
    """Whether table 三's own lines hold one number each (a page whose other tables are rows):
    more lines of a lone number than lines of several numbers between its heading and the next."""
    start = next((i for i, t in enumerate(tokens) if t.kind == SECTION and int(t.value or 0) == 3), None)
    if start is None:
        return False
    lines: set[int] = set()
    for tok in tokens[start + 1:]:
        if tok.kind == SECTION:
            break
        lines.add(tok.line)
    several = sum(1 for ln in lines if per_line[ln].count(NUM) >= 2)
    return len(lines & lone) > several


class _Walker:
    """One pass over the token stream; see the module docstring."""

    def __init__(self) -> None:
        self.mode: str | None = None
        self.hits: dict[str, list[RowHit]] = {"active": [], "applications": []}
        self.extra: dict[str, list[RowHit]] = {"active": [], "applications": []}
        self.current: RowHit | None = None
        self.orphans: list[Token] = []
        self.orphan_label: str = ""
        self.section_lines: list[int] = []  # lines of the part headings met
        self.lit_values: list[Token] = []
        self.lit_groups: dict[str, list[Token]] = {}
        self.pending: list[RowHit] = []
        self.fifo = False  # set by extract() for row-per-line layouts (not one cell per line)
        self.lit_group: str | None = None
        self.lit_frozen = False
        self.header_text: dict[str, list[str]] = {"active": [], "applications": []}
        # text cells with a grid column, per table, for the header → column map (grid layouts)
        self.grid_text: dict[str, list[Token]] = {"active": [], "applications": [], "litigation": []}
        self.first_line: dict[str, int] = {}
        self.last_line: dict[str, int] = {}

    def names_a_row(self, text: str) -> bool:
        """Whether `text` names a template row here (slips accepted where the row is expected;
        weak labels only with their numbering)."""
        if _WEAK_NUMBERED.search(text):
            return True
        tables = [self.mode] if self.mode in ("active", "applications") else ["active", "applications"]
        return any(match_row(text, t, self.last_index(t), allow_weak=False, done=self.done(t)) is not None
                   for t in tables)

    def done(self, table: str) -> set[int]:
        return {h.index for h in self.hits[table] if h.index is not None}

    def last_index(self, table: str) -> int:
        """The template row read last in `table`, the open row included."""
        hits = self.hits[table]
        last = hits[-1].index if hits else -1
        cur = self.current
        if cur is not None and cur.table == table and cur.index is not None:
            last = max(last, cur.index)
        return last

    def close(self) -> None:
        row = self.current
        self.current = None
        if row is None:
            return
        if (self.fifo and row.table == "applications" and not row.values and not self.orphans
                and row.index is not None and row.row_id != "other"):
            # labels first, values later (converted tables): the next numbers-only row is its
            self.pending.append(row)
            return
        if row.nums() == 0 and self.orphans:
            row.values = self.orphans
            self.orphans = []
        elif self.orphans:
            self.extra[row.table].append(RowHit(row.table, None, self.orphan_label or "（无标签的数值行）",
                                                self.orphans[0].line, self.orphans))
            self.orphans = []
        if row.index is None:
            parent = row.parent
            marked = parent is not None and any(t.kind == EMPTY and t.raw.strip() for t in row.values)
            if row.nums() == 0 and not marked:
                return  # (a sub-row whose cells are all written "—" is still its parent's sub-row)
            if parent is not None and parent.nums() == 0 and (not parent.subrows or parent.subrows[-1] is not row):
                parent.subrows.append(row)
            else:
                self.extra[row.table].append(row)
            return
        self.hits[row.table].append(row)

    def mark(self, table: str, line: int) -> None:
        self.first_line.setdefault(table, line)
        self.last_line[table] = line

    def text(self, tok: Token, inline_values: bool, values_follow: bool = True, header_cell: bool = False) -> None:
        """`header_cell`: another text cell follows on the same line — a header row, not a row label."""
        weak_ok = values_follow or bool(self.orphans)
        if tok.col is not None and self.mode in self.grid_text:
            self.grid_text[self.mode].append(tok)
        if self.mode == "litigation":
            self.close()
            group = _litigation_group(tok.raw)
            if group:
                self.lit_group = group
            if not self.lit_frozen:
                if sum(1 for t in self.lit_values if t.kind == NUM) >= 15:
                    self.lit_frozen = True
                else:
                    self.lit_values = []
            return
        if self.mode is None and not values_follow and not any(self.hits.values()):
            return  # before any heading or row, a table word with no numbers after it is the page's
            # chrome ("行政规范性文件" as a menu item), never a row of blank cells
        if self.mode in (None, "active"):
            idx = match_row(tok.raw, "active", self.last_index("active"), done=self.done("active"))
            if idx is None and (split := _after_headers(tok)) is not None:
                idx = match_row(split[0].raw, "active", self.last_index("active"), done=self.done("active"))
                if idx is not None:
                    self.header_text["active"].append(split[1])
                    tok = split[0]
            cur = self.current
            if idx is not None and cur is not None and cur.index == idx and cur.nums() == 0:
                self.current = None  # the open row named again by a fuller label ("行政事业性" / "收费 0")
                self.open("active", idx, tok, inline_values)
                return
            if idx is not None:
                self.close()
                self.mode = "active"
                self.open("active", idx, tok, inline_values)
                return
            app = None if header_cell else match_row(tok.raw, "applications", -1)
            if app is not None and not ROWS["applications"][app].weak:
                self.close()
                self.mode = "applications"
                self.open("applications", app, tok, inline_values)
                return
            self.close()
            if self.mode == "active":
                self.header_text["active"].append(tok.raw)
                parent = self.hits["active"][-1] if self.hits["active"] else None
                self.current = RowHit("active", None, tok.raw, tok.line, parent=parent)
            return
        if self.mode == "applications":
            cur = self.current
            last = self.last_index("applications")
            if cur is not None and not cur.values and cur.index is not None:
                # the open row may be named again by a better label (markdown heading + table row);
                # not a row that has its cells, all blank ("7.属于行政执法案卷" + seven empty cells
                # is done: the next "8.属于行政" starts row 8, it does not rename row 7)
                idx = match_row(tok.raw, "applications", cur.index - 1, weak_ok)
                if idx == cur.index:
                    self.current = None
                    self.open("applications", idx, tok, inline_values)
                    return
            idx = None if header_cell else match_row(
                tok.raw, "applications", last if cur is None or cur.index is None else max(last, cur.index), weak_ok,
                done=self.done("applications") | ({cur.index} if cur is not None and cur.index is not None else set()))
            if idx is not None:
                self.close()
                self.open("applications", idx, tok, inline_values)
                return
            if self.hits["applications"] and _LITIGATION_HEADER.search(tok.raw) and not re.search(r"申请|公开", tok.raw):
                self.close()
                self.flush_pending()
                self.mode = "litigation"
                self.lit_group = _litigation_group(tok.raw)
                self.mark("litigation", tok.line)
                return
            if cur is not None and cur.nums() == 0:
                return  # a label continued on the next line ("1、申请人无正当理由逾期不补" / "正、行政机关…")
            self.close()
            self.header_text["applications"].append(tok.raw)
            self.orphan_label = tok.raw
            self.mark("applications", tok.line)

    def open(self, table: str, idx: int, tok: Token, inline_values: bool = False) -> None:
        self.current = RowHit(table, idx, tok.raw, tok.line)
        self.mark(table, tok.line)
        if self.orphans and not inline_values:
            # numbers printed just above their label (PDF text layers centre them vertically)
            self.current.values = self.orphans
            self.orphans = []

    def flush_pending(self) -> None:
        """Rows whose values never came: they stay empty (S006), never take other rows' values."""
        for row in self.pending:
            self.hits[row.table].append(row)
        self.pending = []

    def value(self, tok: Token) -> None:
        if (self.pending and self.mode == "applications"
                and (self.current is None or tok.line != self.current.line)):
            row = self.pending[0]
            row.values.append(tok)
            self.mark(row.table, tok.line)
            if len(row.values) >= len(ROWS["applications"][row.index].columns):
                self.hits[row.table].append(self.pending.pop(0))
            return
        if self.mode == "litigation":
            if self.lit_group:
                self.lit_groups.setdefault(self.lit_group, []).append(tok)
            if not self.lit_frozen:
                self.lit_values.append(tok)
                self.mark("litigation", tok.line)
            return
        if self.current is not None:
            self.current.values.append(tok)
            self.mark(self.current.table, tok.line)
        elif tok.kind == NUM and self.mode in ("active", "applications"):
            self.orphans.append(tok)

    def pad(self, tok: Token) -> None:
        """A padding bar after the cells of the current row's line: kept aside on the row."""
        row = self.current
        if row is not None and row.values and row.values[-1].line == tok.line:
            row.pads.append(tok)

    def brk(self) -> None:
        if self.current is not None and self.current.nums() > 0:
            self.close()

    def section(self, tok: Token) -> None:
        self.section_lines.append(tok.line)
        self.close()
        self.flush_pending()
        self.orphans = []
        mode = _MODE_OF_SECTION.get(int(tok.value or 0), "done")
        if self.mode == "litigation" and mode != "litigation":
            self.lit_frozen = True
        self.mode = mode

    def run(self, tokens: list[Token]) -> None:
        # a line that is one bare number, in a row-per-line layout of table 三, is a page number
        # or a converter's stray digit (7 cells per row), never a row
        per_line: dict[int, list[str]] = {}
        for tok in tokens:
            per_line.setdefault(tok.line, []).append(tok.kind)
        lone = {ln for ln, kinds in per_line.items() if kinds.count(NUM) == 1 and TEXT not in kinds
                and EMPTY not in kinds}
        if self.fifo and _cell_per_line(tokens, per_line, lone):
            self.fifo = False  # table 三 itself is one cell per line (二 and 四 rows): its lone numbers are cells
        # column-header lines (自然人 … 总计, repeated after a page break): several short text cells,
        # no numbers, no row numbering
        texts: dict[int, list[str]] = {}
        for tok in tokens:
            if tok.kind == TEXT:
                texts.setdefault(tok.line, []).append(tok.raw)
        header_lines = {ln for ln, ts in texts.items() if len(ts) >= 2 and NUM not in per_line[ln]
                        and all(len(t) <= 7 and not _ROW_NUMBERING.match(t) for t in ts)}
        num_lines = {ln for ln, kinds in per_line.items() if NUM in kinds}
        # a row whose value cells are all blank ("| （一）予以公开 |  |  | … |", an office with no
        # applications leaving the cells empty): two or more blank cells after its last label.
        # It is a row like one with numbers, never a header line.
        value_lines = num_lines | {ln for ln, kinds in per_line.items()
                                   if TEXT in kinds and _blank_after_label(kinds) >= 2}
        first_text: dict[int, int] = {}
        last_text_at: dict[int, int] = {}
        for i, tok in enumerate(tokens):
            if tok.kind == TEXT:
                first_text.setdefault(tok.line, i)
                last_text_at[tok.line] = i
        fragment: Token | None = None  # a label alone on its line: maybe the first part of the next one
        for i, tok in enumerate(tokens):
            if tok.kind == NUM and self.fifo and self.mode == "applications" and tok.line in lone:
                continue
            if tok.kind == SECTION:
                fragment = None
                self.section(tok)
            elif tok.kind == TEXT:
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                inline = nxt is not None and nxt.kind in (NUM, EMPTY) and nxt.line == tok.line
                follow = next((t for t in tokens[i + 1:i + 4] if t.kind != BREAK), None)
                # a header cell: another text cell follows on its line, or precedes it on a line of no numbers
                header = (nxt is not None and nxt.kind == TEXT and nxt.line == tok.line
                          and tok.line not in value_lines) or (
                    tok.line not in value_lines and first_text[tok.line] < i)
                if (fragment is not None and inline and 0 < tok.line - fragment.line <= 8
                        and (fragment.col is None or tok.col is None or fragment.col == tok.col)):
                    # only blank lines, page furniture or a repeated column header between the two parts
                    joined = _joined_label(fragment, tok, self.names_a_row)
                    if joined is not tok:
                        tok, fragment = joined, None
                last_text = last_text_at[tok.line] == i
                if tok.line in header_lines:
                    pass  # a repeated column header between the parts of a wrapped label
                elif last_text and tok.line not in num_lines:
                    fragment = tok  # (a blank row too: "2.重复 |  | …" may be the first part of "申请 | 0 | …")
                elif fragment is not None and tok.line != fragment.line and inline:
                    fragment = None
                self.text(tok, inline, follow is not None and follow.kind in (NUM, EMPTY), header)
            elif tok.kind in (NUM, EMPTY):
                if tok.kind == NUM and fragment is not None and tok.line != fragment.line:
                    fragment = None
                self.value(tok)
            elif tok.kind == BREAK:
                self.brk()
            elif tok.kind == PAD:
                self.pad(tok)
        self.close()
        self.flush_pending()


def _blank_after_label(kinds: list[str]) -> int:
    """How many blank cells follow the last label cell of a line (token kinds in order), up to its end."""
    last = max(i for i, k in enumerate(kinds) if k == TEXT)
    rest = [k for k in kinds[last + 1:] if k != BREAK]
    return len(rest) if rest and all(k == EMPTY for k in rest) else 0


_ROW_NUMBERING = pattern_cache.compile(r"^\s*(?:[一二三四五六七]、|[(（][一二三四五六七][)）]|\d+[.、．])")
# weak labels ("总计", "其他") count only with their numbering
_WEAK_NUMBERED = pattern_cache.compile(r"[(（]\s*七\s*[)）]\s*总\s*计|[(（]\s*六\s*[)）]\s*其他处理|^\s*3\s*[.、．]\s*其他\s*$")


def _whole_label(text: str) -> bool:
    """Whether `text` is a whole template row label, not the first part of a longer one; 4+
    characters: "其他", "总计" are weak labels that also open longer ones."""
    return is_row_label(text, min_length=4)


def _joined_label(fragment: Token, tok: Token, names) -> Token:
    """A row label wrapped over two lines ("（一）予以" / "公开\t3\t0…", "其他" / "对外管理服务事项 0 0 0"):
    the part with the values is read with the part before it when only the two together name a row."""
    joined = fragment.raw + tok.raw
    if names(tok.raw) or not names(joined) or _whole_label(fragment.raw):
        return tok  # (a fragment that is a row's label exactly is that row — a blank one — not a first part)
    return Token(TEXT, tok.line, joined, None, tok.start, tok.end, tok.col)


# ---------------------------------------------------------------- format and cells


def _decide_format(w: _Walker) -> tuple[str | None, str]:
    heads = " ".join(w.header_text["active"] + [h.label for h in w.hits["active"]])
    if _FMT_2021_HEADERS.search(heads) and not _FMT_2019_HEADERS.search(heads):
        return "2021", "二表列名（本年制发件数/本年废止件数/现行有效件数）"
    if _FMT_2019_HEADERS.search(heads) and not _FMT_2021_HEADERS.search(heads):
        return "2019", "二表列名（本年新制作数量/本年新公开数量/对外公开总数量）"
    app_ids = {h.row_id for h in w.hits["applications"]}
    if app_ids & {"other_1", "other_2", "other_3"}:
        return "2021", "三表（六）其他处理分三个子项"
    if "other" in app_ids and any(h.row_id == "other" and h.nums() for h in w.hits["applications"]):
        return "2019", "三表（六）其他处理为单行"
    for h in w.hits["active"]:
        if h.row_id in ("licensing", "penalty", "enforcement") and h.nums():
            return ("2019", "二表（五）（六）项为三列") if h.nums() >= 3 else ("2021", "二表（五）（六）项为一列")
    if any(h.row_id in ("other_services", "procurement") for h in w.hits["active"]):
        return "2019", "二表含（九）政府集中采购/其他对外管理服务事项"
    return None, ""


_APP_HEADER_NOISE = ("法人或其他组织", "申请人情况", "申请人", "情况")


def _application_column_map(w: "_Walker", num_lines: set[int]) -> dict[int, str]:
    """Grid column → applications column id, for layouts that keep a grid (HTML, DOCX, PDF tables,
    tab exports): from the header words above each data column ("自然人", "商业" + "企业", …),
    else from where the values of most rows stand. Empty when neither is unambiguous.

    Why: with a grid, a value is assigned by the column it stands in, so a stray empty cell in
    the label area or a blank last cell can never shift the values after it.
    """
    hits = [h for h in w.hits["applications"] if h.values]
    data_cols = sorted({t.col for h in hits for t in h.values if t.kind == NUM and t.col is not None})
    if not data_cols:
        return {}
    heads: dict[int, str] = {}
    for tok in w.grid_text["applications"]:
        if tok.line not in num_lines and tok.col in data_cols:
            heads[tok.col] = heads.get(tok.col, "") + tok.raw.replace(" ", "")
    found: dict[str, int] = {}
    for col, text in heads.items():
        for noise in _APP_HEADER_NOISE:
            text = text.replace(noise, "")
        for cid in APPLICATION_COLUMNS:
            label = APPLICATION_COLUMN_LABELS[cid]
            if text.endswith(label) or (cid != "org_other" and label in text):
                found.setdefault(cid, col)
                break
    cols = [found.get(c) for c in APPLICATION_COLUMNS]
    if None not in cols and cols == sorted(set(cols)):
        return {col: cid for cid, col in zip(APPLICATION_COLUMNS, cols)}
    # no usable header: the value positions most rows share
    shapes: dict[tuple[int, ...], int] = {}
    for h in hits:
        shape = tuple(t.col for t in h.values if t.kind in (NUM, EMPTY) and t.col is not None)
        if len(shape) == len(APPLICATION_COLUMNS):
            shapes[shape] = shapes.get(shape, 0) + 1
    if shapes:
        shape, count = max(shapes.items(), key=lambda kv: kv[1])
        if count * 2 > len(hits) and list(shape) == sorted(set(shape)):
            return {col: cid for cid, col in zip(APPLICATION_COLUMNS, shape)}
    return {}


def fit_by_column(values: list[Token], columns: tuple[str, ...], colmap: dict[int, str]
                  ) -> tuple[list[Token | None], str] | None:
    """Assign a row's values by their grid column. None when the row has no grid columns.

    A position of the map with no token is a blank cell (a short row, a trailing blank). A number
    standing outside the mapped columns means the row does not line up with the header: nothing
    is assigned and the note says so (never a silently shifted row).
    """
    if not values or any(t.col is None for t in values):
        return None
    by_col = {cid: col for col, cid in colmap.items()}
    if any(c not in by_col for c in columns):
        return None
    stray = [t for t in values if t.col not in colmap and t.kind == NUM]
    if stray:
        shown = "、".join(t.raw for t in stray)
        return [None] * len(columns), f"该行的数值（{shown}）不在表头各列之下，与表头不对齐，未提取"
    at = {t.col: t for t in values}
    return [at.get(by_col[c]) for c in columns], ""


def _cells_of_row(table: str, key_prefix: str, hit: RowHit, columns: tuple[str, ...],
                  cells: dict, sources: dict, low: set[str], colmap: dict[int, str] | None = None,
                  blank_if_empty: bool = False, trailing_first: bool = False, last: bool = False) -> str:
    """Write one row's cells; a row that cannot be assigned to its columns writes no cells at
    all (its values are unknown, not blank) and returns the reason."""
    if (not hit.values and not last) or (blank_if_empty and all(t.kind == EMPTY for t in hit.values)):
        # a row with no cell at all (the page dropped its empty cells) cannot be misaligned, and a
        # table with no number at all was left blank: every cell blank (S006). (The table's last row
        # with no cell may be where the text was cut: unreadable, S008.)
        fitted, note = [None] * len(columns), ""
    else:
        values = hit.values
        if hit.pads and len(values) < len(columns) and len(values) + len(hit.pads) == len(columns):
            # "行政规范性文件 | 2 | ||" in a page padding every row to its table's width: the bars
            # make the row exactly as wide as its columns, so they are its blank cells
            values = values + [Token(EMPTY, t.line, "", None, t.start, t.end) for t in hit.pads]
        by_column = fit_by_column(values, columns, colmap) if colmap else None
        fitted, note = by_column if by_column is not None else fit(values, len(columns), trailing_first)
    if note:
        return note
    for col, tok in zip(columns, fitted):
        key = f"{key_prefix}.{col}"
        if tok is None or tok.kind == EMPTY:
            cells[key] = None
            sources[key] = (tok.line if tok else hit.line, tok.raw if tok else "")
        else:
            cells[key] = amount_in_wan(tok.raw, tok.value) if col == "amount" else tok.value
            sources[key] = (tok.line, tok.raw)
        if tok is not None and tok.low_confidence:
            low.add(key)
    return note


def _rows_end_in_a_blank(hits: list[RowHit], spec, spec_ids: list[str]) -> bool:
    """Whether the table's rows with one cell too many end in the surplus blank (a bar closing
    each row) more often than they start with one (a merged label column)."""
    lead = trail = 0
    for hit in hits:
        for row in [hit, *hit.subrows]:
            rid = hit.row_id
            if rid not in spec_ids or len(row.values) <= len(spec.row(rid).columns):
                continue
            first, last = row.values[0], row.values[-1]
            lead += first.kind == EMPTY and not first.raw.strip()
            trail += last.kind == EMPTY and not last.raw.strip()
    if trail and trail == lead:
        # blank at both ends of every long row ("|" ×6, "0 |", "|" under a merged group label): the
        # rows that fit end in their 总计 as a rule, so the trailing blank is the one too many
        exact = [row for hit in hits for row in [hit, *hit.subrows]
                 if hit.row_id in spec_ids and row.values and len(row.values) == len(spec.row(hit.row_id).columns)]
        ends_blank = sum(1 for row in exact if row.values[-1].kind == EMPTY and not row.values[-1].raw.strip())
        return bool(exact) and ends_blank * 2 < len(exact)
    return trail > lead


def _build_row_table(w: _Walker, table: str, fmt: str, result: TableResult, cells: dict, low: set[str],
                     colmap: dict[int, str] | None = None) -> None:
    spec = table_spec(table, fmt)
    spec_ids = [r.id for r in spec.rows]
    found: set[str] = set()
    # no number anywhere in the table (labels alone, or labels and blank cells): a row with no cell
    # of its own was left empty like the others, not unreadable
    labels_only = all(h.nums() == 0 and all(sub.nums() == 0 for sub in h.subrows) for h in w.hits[table])
    trailing_first = _rows_end_in_a_blank(w.hits[table], spec, spec_ids)
    # the table's last row, where the text may have been cut — not when a part's heading follows it
    last_row = w.hits[table][-1] if w.hits[table] else None
    if last_row is not None and any(line > last_row.line for line in w.section_lines):
        last_row = None
    for hit in w.hits[table]:
        rid = hit.row_id
        if rid not in spec_ids:
            if hit.nums() or hit.subrows:
                result.extra_rows.append({"label": hit.label, "line": hit.line,
                                          "nearest": "（该格式模板无此行）"})
            continue
        columns = spec.row(rid).columns
        prefix = f"{table}.{rid}"
        found.add(rid)
        result.row_lines[prefix] = hit.line
        if hit.subrows and hit.nums() == 0:
            unreadable = False
            for n, sub in enumerate(hit.subrows, start=1):
                note = _cells_of_row(table, f"{prefix}.{n}", sub, columns, cells, result.sources, low, colmap,
                                     labels_only, trailing_first, last=hit is last_row and sub is hit.subrows[-1])
                result.row_labels[f"{prefix}.{n}"] = sub.label
                result.row_lines[f"{prefix}.{n}"] = sub.line
                if note:
                    result.unreadable_rows[f"{prefix}.{n}"] = f"{sub.label}（第{sub.line}行）：{note}"
                    unreadable = True
            if unreadable:
                continue  # the parent's sum would be partial
            for col in columns:
                if any(f"{prefix}.{n}.{col}" in low for n in range(1, len(hit.subrows) + 1)):
                    low.add(f"{prefix}.{col}")  # a sum of sub-rows is as uncertain as its parts
                vals = [cells.get(f"{prefix}.{n}.{col}") for n in range(1, len(hit.subrows) + 1)]
                nums = [v for v in vals if v is not None]
                cells[f"{prefix}.{col}"] = sum(nums) if nums else None
                result.sources[f"{prefix}.{col}"] = (hit.line, hit.label)
        else:
            note = _cells_of_row(table, prefix, hit, columns, cells, result.sources, low, colmap, labels_only,
                                 trailing_first, last=hit is last_row)
            if note:
                result.unreadable_rows[prefix] = f"{hit.label}（第{hit.line}行）：{note}"
    for extra in w.extra[table]:
        if _REMARK.match(extra.label.strip()):
            continue  # a remark or header inside the table ("（其中修订16件）", "注：…", "第二十条第（一）项")
        if table == "active" and _column_name(extra.label):
            # "现行有效件数" then a blank label cell and "0 0 0": the header's last cell, the row's name lost
            result.extra_rows.append({"label": extra.label, "line": extra.line,
                                      "nearest": "（这是表头的列名：其后一行数值的行名是空的，行名可能在网页或导出时丢失，数值未提取）"})
            continue
        result.extra_rows.append({"label": extra.label, "line": extra.line, "nearest": nearest_label(extra.label, table)})
    other_hit = next((h for h in w.hits[table] if h.row_id == "other" and h.nums()), None)
    if table == "applications" and fmt == "2021" and other_hit and not found & {"other_1", "other_2", "other_3"}:
        # the 2019 single row （六）其他处理 kept in a 2021 report: keep its values, say so (S007)
        note = _cells_of_row(table, "applications.other", other_hit, spec.row("other_1").columns, cells,
                             result.sources, low, colmap)
        if note:
            result.unreadable_rows["applications.other"] = f"{other_hit.label}（第{other_hit.line}行）：{note}"
        result.row_lines["applications.other"] = other_hit.line
        found |= {"other_1", "other_2", "other_3"}
        result.extra_rows = [e for e in result.extra_rows if e["line"] != other_hit.line]
        result.extra_rows.append({"label": other_hit.label, "line": other_hit.line,
                                  "nearest": "（2021年格式中“（六）其他处理”应分为三个子项，此处按2019年格式填为一行）"})
    result.missing_rows = [rid for rid in spec_ids if rid not in found]
    result.format_version = fmt


def _build_litigation(w: _Walker, result: TableResult, cells: dict, low: set[str]) -> None:
    values = w.lit_values
    n = len(LITIGATION_GROUPS) * len(LITIGATION_COLUMNS)
    per_group = [w.lit_groups.get(g, []) for g in LITIGATION_GROUPS]
    if len(values) < n and all(len(fit(v, 5)[0]) == 5 and not fit(v, 5)[1] for v in per_group if v) \
            and all(sum(1 for t in v if t.kind == NUM) for v in per_group):
        values = [t for v in per_group for t in fit(v, 5)[0]]  # one small table per group
    if sum(1 for t in values if t.kind == NUM) == 0:
        return
    fitted, note = fit(values, n)
    if note:
        # the numbers are there but cannot be placed (a row whose blank cells the page dropped): they
        # are unreadable (S008), never blank cells (S006) — and none is written
        first = next(t for t in values if t.kind == NUM)
        result.unreadable_rows["litigation"] = f"行政复议、行政诉讼数值（第{first.line}行）：{note}"
        result.reason = note
        result.status = "partial"
        return
    i = 0
    for g in LITIGATION_GROUPS:
        for c in LITIGATION_COLUMNS:
            tok = fitted[i]
            key = f"litigation.{g}.{c}"
            cells[key] = None if tok is None or tok.kind == EMPTY else tok.value
            result.sources[key] = (tok.line, tok.raw) if tok else (values[-1].line, "")
            if tok is not None and tok.low_confidence:
                low.add(key)
            i += 1
    result.reason = note
    result.status = "parsed" if not note else "partial"


# a row label with its digits glued on ("规章000…"); not a count in a sentence ("制定规范性文件8件")
_RUN_TOGETHER = pattern_cache.compile(r"(?:规章|规范性文件|行政许可|行政处罚|申请数量|予以公开|结果维持|总计)[+\-]?\d+"
                                      r"(?![\d.]*\s*(?:件|条|个|项|次|宗|份|万|亿|%|％|人|余))")


def extract(doc: Document, sections: list[Section], year: int | None = None) -> Extraction:
    """Extract the three tables from the region between section 二 and section 五."""
    by_number = {s.number: s for s in sections}
    table_sections = [by_number[n].line for n in (2, 3, 4) if n in by_number]
    start = min(table_sections) if table_sections else 1
    if 2 not in by_number and table_sections:
        # 二's heading lost but a later one found ("四、…" only): table 二 (and 三) may stand right
        # under 一, so read from there as a report without headings is read
        start = by_number[1].line + 1 if 1 in by_number and by_number[1].line < start else 1
    end_candidates = [s.line - 1 for s in sections if s.number >= 5 and s.line > start]
    end = min(end_candidates) if end_candidates else doc.n
    headings = {s.line: s.number for s in sections if start <= s.line <= end}
    tokens, layouts = tokenize(doc, start, end, headings)
    w = _Walker()
    main_layout = max(layouts, key=layouts.get) if layouts else None
    w.fifo = main_layout in ("markdown", "plain", "tabs")
    if 2 not in by_number:
        w.mode = None
    w.run(tokens)
    num_lines = {t.line for t in tokens if t.kind == NUM}
    fmt, evidence = _decide_format(w)
    layout = max(layouts, key=layouts.get) if layouts else None
    cells: dict[str, int | float | None] = {}
    low: set[str] = set()  # OCR: cells read below the confidence threshold
    tables: dict[str, TableResult] = {}
    flat = _flattened_spans(doc, sections)
    recovered: list[str] = []
    if flat and fmt is None:
        line, a, b = flat.get("active") or next(iter(flat.values()))
        fmt, evidence = _flat_format(doc.line(line).text[a:max(b for _, _, b in flat.values())])
    for name in TABLE_NAMES:
        res = TableResult(name=name, status="missing", layout=layout,
                          first_line=w.first_line.get(name), last_line=w.last_line.get(name))
        if name in flat:
            _build_flat(doc, name, flat[name], fmt or assumed_format(None, year), res, cells, recovered)
        elif name == "litigation":
            _build_litigation(w, res, cells, low)
        elif w.hits[name] or w.extra[name]:
            colmap = _application_column_map(w, num_lines) if name == "applications" and doc.grid_layout else None
            _build_row_table(w, name, fmt or assumed_format(None, year), res, cells, low, colmap)
            res.status = "partial" if res.missing_rows else "parsed"
        tables[name] = res
    _explain_unparsed(doc, sections, tables)
    if fmt is None and table_sections:
        # tables unreadable (flattened web text) but their column labels still tell the format —
        # only inside the tables' sections, and only by whole column labels: the narrative's
        # "创新公开形式" or "现行有效的规范性文件" says nothing about the tables (a false P006 error
        # on a real page whose tables were images)
        region = "".join(doc.line(n).text for n in range(start, end + 1))
        new, old = _FMT_2021_COLUMNS.search(region), _FMT_2019_COLUMNS.search(region)
        if new and not old:
            fmt, evidence = "2021", "二表列名（本年制发件数/现行有效件数），表格数值未能提取"
        elif old and not new:
            fmt, evidence = "2019", "二表列名（本年新制作数量/对外公开总数量），表格数值未能提取"
    return Extraction(tables=tables, cells=cells, format_version=fmt, format_evidence=evidence, recovered=recovered,
                      low_confidence=sorted(k for k in low if k in cells))


_MIN_FLAT_TABLE = 40  # characters after a line's last heading that can hold a table


_COLUMN_NAMES = frozenset(re.sub(r"[\s（）()：:]", "", label) for spec in (ACTIVE_2019, ACTIVE_2021)
                          for label in [*spec.column_labels.values(), "信息内容"])


def _column_name(label: str) -> bool:
    """Whether a table-二 'row' is one of the table's column names (a header cell, not a row)."""
    return re.sub(r"[\s（）()：:]", "", label) in _COLUMN_NAMES


def _flattened_spans(doc: Document, sections: list[Section]) -> dict[str, tuple[int, int, int]]:
    """Tables whose section heading sits inside a long line (web text flattened to one line):
    name -> (line, start, end) of the table's part of that line, up to the next heading on it."""
    spans: dict[str, tuple[int, int, int]] = {}
    for sec in sections:
        name = _MODE_OF_SECTION.get(sec.number)
        text = doc.line(sec.line).text
        if name is None or len(text) < 150:
            continue
        later = [s.col for s in sections if s.line == sec.line and s.col > sec.col]
        end = min(later) if later else len(text)
        if not later and end - sec.col < _MIN_FLAT_TABLE:
            continue  # the heading ends the long line: its table is on the lines below it
        spans[name] = (sec.line, sec.col, end)
    return spans


def _flat_format(text: str) -> tuple[str | None, str]:
    new, old = _FMT_2021_HEADERS.search(text), _FMT_2019_HEADERS.search(text)
    if new and not old:
        return "2021", "二表列名（本年制发件数/本年废止件数/现行有效件数）"
    if old and not new:
        return "2019", "二表列名（本年新制作数量/本年新公开数量/对外公开总数量）"
    if "逾期不补正" in text:
        return "2021", "三表（六）其他处理分三个子项"
    if re.search(r"\(六\)其他处理\s*\d", text):
        return "2019", "三表（六）其他处理为单行"
    return None, ""


def _build_flat(doc: Document, name: str, span: tuple[int, int, int], fmt: str, res: TableResult,
                cells: dict, recovered: list[str]) -> None:
    """A table of flattened web text (tables/flattened.py) into the TableResult and the cells."""
    from .flattened import extract_flat_litigation, extract_flat_table

    line, start, end = span
    text = doc.line(line).text
    flat = (extract_flat_litigation(text, start, end) if name == "litigation"
            else extract_flat_table(text, start, end, name, fmt))
    res.layout, res.first_line, res.last_line, res.format_version = "flattened", line, line, fmt
    cells.update(flat.cells)
    recovered.extend(flat.recovered)
    for row in flat.rows:
        key = f"{name}.{row.row_id}" if name != "litigation" else "litigation"
        res.row_lines[key] = line
        res.row_quotes[key] = doc.quote(line, row.label_start, row.run_start + len(row.run)).strip()
        for col in row.columns:
            res.sources[f"{row.key}.{col}"] = (line, row.run)
    if name == "litigation":
        for key in flat.cells:
            res.sources[key] = (line, flat.rows[0].run if flat.rows else "")
            res.row_quotes[key.rsplit(".", 1)[0]] = res.row_quotes.get("litigation", "")
    res.unreadable_rows = {k: f"{_row_name(k, fmt)}：{why}" for k, why in flat.unreadable.items()}
    res.missing_rows = flat.missing if flat.rows else []
    if not flat.rows or not any(r.run.strip() for r in flat.rows):
        res.status, res.reason = "missing", missing_reason(name, text[start:end])
        res.missing_rows, res.unreadable_rows = [], {}
    elif not flat.cells:
        res.status = "unparsed"
        res.reason = ("网页文字被压平，表格单元格首尾相连，无法唯一拆分：" + "；".join(res.unreadable_rows.values())[:300]
                      if res.unreadable_rows else "网页文字被压平，未找到表格行")
        res.unreadable_rows = {}
    else:
        res.status = "partial" if (flat.unreadable or flat.missing) else "parsed"
        if flat.recovered:
            res.reason = f"网页文字被压平；{len(flat.recovered)}个单元格由相连数字按表格勾稽关系唯一拆分得到"


# words only a table's own header or row labels use: a section holding them has the table's
# frame, only no numbers (a blank template, or a page cut after the header)
_TABLE_WORDS = {
    "active": pattern_cache.compile(r"制发件数|废止件数|现行有效件数|处理决定数量|新制作数量|新公开数量|对外公开总数量|采购总金额"),
    # (not 法人或其他组织 alone: sentences say "未收到公民、法人或其他组织…申请")
    "applications": pattern_cache.compile(r"申请人情况|商业企业|科研机构|社会公益组织|法律服务机构"),
    "litigation": pattern_cache.compile(r"结果维持|结果纠正|尚未审结|未经复议直接起诉|复议后起诉"),
}
NO_TABLE_TEXT = "标题下没有表格文字（可能是图片或被删除）"
_SHORT_NUMBER = pattern_cache.compile(r"(?:^|[\s|])[+\-]?\d{1,9}(?:\.\d+)?(?=$|[\s|])", re.M)


def _looks_tabular(name: str, text: str) -> bool:
    """Whether a section with no table read still holds table text: the table's own words, or
    numbers standing alone as cells do. A sentence in its place ("本年度共受理申请1件，已按时答复。")
    does not: that table is missing (S004), not unreadable (S008)."""
    if not re.search(r"\d", text):
        return False  # no number at all: the header alone, or nothing (missing_reason says which)
    return bool(_TABLE_WORDS[name].search(text)) or len(_SHORT_NUMBER.findall(text)) >= 3
HEADER_ONLY = "标题下只有表头或行名，没有数值（空白的模板，或表格内容被截断、删除）"


def missing_reason(name: str, text: str) -> str:
    """Why a table with no numbers under its heading is missing: no table text at all, or only
    its header (S004 says which; "可能是图片" would send the reviewer looking for an image)."""
    return HEADER_ONLY if _TABLE_WORDS[name].search(text) else NO_TABLE_TEXT


def _row_name(key: str, fmt: str) -> str:
    table, _, row = key.partition(".")
    if table == "litigation" or not row:
        return "行政复议、行政诉讼数值"
    try:
        return table_spec(table, fmt).row(row).label.split("（区分")[0]
    except KeyError:
        return row


def _explain_unparsed(doc: Document, sections: list[Section], tables: dict[str, TableResult]) -> None:
    """A table whose section is present but that yielded no cells: say why, never guess values."""
    by_number = {s.number: s for s in sections}
    for name in TABLE_NAMES:
        res = tables[name]
        if res.status != "missing" or res.layout == "flattened":
            continue
        sec = by_number.get({"active": 2, "applications": 3, "litigation": 4}[name])
        if sec is None:
            continue
        if sec.end_line <= sec.line:  # flattened text: the section shares its line with the others
            text = doc.line(sec.line).text
            joined = "\n" + text[sec.col:sec.col + 3000]
        else:
            joined = "\n".join(doc.line(i).text for i in range(sec.line, min(sec.end_line, sec.line + 400) + 1))
        res.first_line = sec.line
        if _RUN_TOGETHER.search(joined):
            res.status = "unparsed"
            res.reason = "表格单元格首尾相连、没有分隔符（网页抓取后被压平），多位数无法可靠拆分，未提取数值"
        elif _looks_tabular(name, joined.split("\n", 1)[-1] if sec.end_line > sec.line else joined):
            res.status = "unparsed"
            res.reason = "未识别出表格行：排版方式无法识别，未提取数值"
        else:
            res.reason = missing_reason(name, joined)
