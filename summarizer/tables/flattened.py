"""Tables of web text flattened to one line: labels and values with spaces between, or run together.

Web pages scraped to text often lose every line break and cell boundary: table 三 becomes
"一、本年新收政府信息公开申请数量801000081二、上年结转…0000000三、本年度办理结果（一）予以公开…".
The row labels are fixed by the template, so they are found in the line in template order; what
stands between one label and the next is that row's values.

- Values separated by spaces (or one digit per cell) are read as written.
- Digits run together ("801000081" for seven cells) are split in every way that gives valid
  counts (no leading zeros), and a split is kept only if the template's own arithmetic holds:
  a row's 总计 is the sum of its columns, 一 + 二 = （七）总计 + 四 in every column, the outcome rows
  add up to （七）总计, and in table 四 维持 + 纠正 + 其他 + 尚未审结 = 总计. A row is read only when
  exactly one split survives; its cells are listed as recovered by arithmetic (Facts.recovered_cells),
  so checks on them are not independent evidence. Otherwise the row is reported unreadable with
  the number of candidate splits (S008) — never guessed.

Every search here is a plain `str.find` or a bounded regex over the line: linear in its length.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from .. import pattern_cache
from ..document import fold
from .labels import MIN_NOTE
from ..schema import (APPLICATION_COLUMNS, LITIGATION_COLUMNS, LITIGATION_GROUPS, OUTCOME_ROWS, RowSpec,
                      table_spec)

MAX_RUN = 48  # digits in one row's run beyond this are not split (no real row is that long)
MAX_CANDIDATES = 200  # per row; more means the digits say nothing
MAX_NOTE = 160  # characters a bracketed note after a row label may run to
MAX_COMBINATIONS = 200_000  # ambiguous rows tried together against the column sums

_VALUE_CHARS = pattern_cache.compile(r"[0-9.,\-+\s/—无]{0,400}")
_BLANKS = ("-", "—", "/", "--", "——", "无")
_LABEL_TAIL = pattern_cache.compile(r"[^\d\s.,+\-—/]{1,40}")
# The numbering printed before a row's label (text as document.py folds it: （一） → (一)).
_NUMBERING = {"new": "一、", "carried_over": "二、", "granted": "(一)", "partial": "(二)", "total": "(七)",
              "carried_forward": "四、"}


@dataclass
class FlatRow:
    """One template row found in the flattened text, with the text of its values."""

    table: str
    row_id: str
    columns: tuple[str, ...]
    label_start: int
    label_end: int
    run: str = ""
    run_start: int = 0
    candidates: list[tuple] = field(default_factory=list)
    direct: bool = False  # values read as written (spaces, or one digit per cell): not recovered
    reason: str = ""

    @property
    def key(self) -> str:
        return f"{self.table}.{self.row_id}"


@dataclass
class FlatTable:
    name: str
    rows: list[FlatRow]
    cells: dict[str, int | float | None]
    recovered: list[str]
    unreadable: dict[str, str]
    missing: list[str]


# ---------------------------------------------------------------- finding the rows


def _label_patterns(row: RowSpec) -> list[str]:
    """Texts that name this row in flattened text, longest first; weak labels with their numbering."""
    if row.id == "other_3":
        return ["3.其他", "3、其他"]
    if row.id == "total":
        return ["(七)总计", "七)总计", "总计"]
    if row.id == "other":
        return ["(六)其他处理"]
    labels = [row.label] + list(row.aliases)
    if "（" in row.label:
        labels.append(row.label.split("（")[0])
    return sorted({fold(x) for x in labels}, key=len, reverse=True)


def _item_number(row_id: str) -> str | None:
    m = re.fullmatch(r"(?:withheld|unable|rejected|other)_(\d)", row_id)
    return m.group(1) if m else None


_CJK_GAP = pattern_cache.compile(r"(?<=[\u4e00-\u9fff“”()]) +(?=[\u4e00-\u9fff“”()])")


def _compact(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """text[start:end] without the spaces between two Chinese characters (a label wrapped in its
    cell: "规范 性文件"), and for each kept character its position in `text`."""
    keep = []
    last = start
    out = []
    for m in _CJK_GAP.finditer(text, start, end):
        out.append(text[last:m.start()])
        keep.extend(range(last, m.start()))
        last = m.end()
    out.append(text[last:end])
    keep.extend(range(last, end))
    return "".join(out), keep


def _find_label(compact: str, label: str, pos: int, end: int) -> int:
    """Where `label` stands in compact[pos:end]: exactly, else with one character slipped (OCR or a
    typing slip: 行政讦可) within the next few hundred characters; -1 if not there."""
    q = compact.find(label, pos, end)
    if q >= 0 or len(label) < 4:
        return q
    allowed = 1 if len(label) < 8 else 2  # OCR slips: one in a short label, two in a long one
    stop = min(end, pos + 400) - len(label)
    for q in range(pos, stop + 1):
        misses = 0
        for a, b in zip(compact[q:q + len(label)], label):
            if a != b:
                misses += 1
                if misses > allowed:
                    break
        if 0 < misses <= allowed and (compact[q] == label[0] or compact[q + len(label) - 1] == label[-1]):
            return q
    return -1


def find_rows(text: str, start: int, end: int, table: str, fmt: str) -> list[FlatRow]:
    """The template rows of `table` found in text[start:end], in order, each with its value run."""
    spec = table_spec(table, fmt)
    compact, where = _compact(text, start, end)
    n = len(compact)
    found_rows: list[tuple[RowSpec, int, int]] = []
    pos = 0
    if table == "active":
        # the rows come after the table's own header: "规范性文件类11条" in the narrative before it
        # is not the row (a real page lost its 规章 row to it)
        heads = [q for q in (compact.find("第二十条", 0, n), compact.find("信息内容", 0, n)) if q >= 0]
        pos = min(heads) if heads else 0

    def exact(row: RowSpec, at: int) -> tuple[int, int] | None:
        best = None
        for label in _label_patterns(row):
            q = compact.find(label, at, n)
            if q >= 0 and (best is None or q < best[0]):
                best = (q, q + len(label))
        return best

    for i, row in enumerate(spec.rows):
        found = exact(row, pos)
        # a label standing only after the next rows' labels is not this table's row ("规章" in the
        # narrative that follows a table without a 规章 row)
        later = [f for f in (exact(r, pos) for r in spec.rows[i + 1:i + 4] if not r.weak) if f]
        if found is not None and later and found[0] > min(f[0] for f in later):
            found = None
        if found is None and row.id != "other_3":  # weak labels only with their numbering ("(六)其他处埋")
            for label in _label_patterns(row)[:1]:
                q = _find_label(compact, label, pos, min(f[0] for f in later) if later else n)
                if q >= 0:
                    found = (q, q + len(label))
        if found is None:
            continue
        q, e = found
        if compact.startswith(("(", "（"), e):
            # a bracket after the label belongs to it: the template's own ("部分公开(区分处理的…)") or
            # a provincial template's explanatory note ("规章(设区的市…提供相关数据)", labels.without_note)
            # (closed, at least MIN_NOTE long, and holding no digit or bracket: not the values and
            # the next label's "（五）" read as one note)
            closes = [c for c in (compact.find(")", e, e + MAX_NOTE), compact.find("）", e, e + MAX_NOTE)) if c > 0]
            note = compact[e + 1:min(closes)] if closes else ""
            if len(note) >= MIN_NOTE and not any(ch.isdigit() or ch in "(（" for ch in note):
                e = min(closes) + 1
            else:  # a note cut off before the values ("其他对外管理服务事项（指行政许可以外的…， 5 -3 32")
                cut = next((k for k in range(e + 1, min(n, e + MAX_NOTE)) if compact[k].isdigit() or compact[k] in "+-"), -1)
                note = compact[e + 1:cut] if cut > 0 else ""
                if len(note) >= MIN_NOTE and not any(ch in "(（)）" for ch in note):
                    e = cut
        found_rows.append((row, q, e))
        pos = e
    rows = [FlatRow(table, row.id, row.columns, where[q], where[e - 1] + 1) for row, q, e in found_rows]
    # each row's values: the value characters after its label, up to the next row's label (and its
    # own numbering, which may be glued to the digits before it: "…00000002.其他法律…")
    for i, r in enumerate(rows):
        stop = rows[i + 1].label_start if i + 1 < len(rows) else end
        if i + 1 < len(rows):
            nxt = rows[i + 1]
            k = _item_number(nxt.row_id)
            bare = stop
            while bare > r.label_end and text[bare - 1] == " ":
                bare -= 1  # "4. 保护第三方…": the numbering may stand apart from its label
            for mark in ([f"{k}.", f"{k}、"] if k else []) + [_NUMBERING.get(nxt.row_id, "\0")]:
                if text.startswith(mark, bare - len(mark)):
                    stop = bare - len(mark)
                    break
        # the rest of a label found by its short form or with a slip ("…缴纳费用、行政机关不再处理…")
        tail = _LABEL_TAIL.match(text, r.label_end, stop)
        if tail and text[tail.end():stop].lstrip(" ")[:1].isdigit():
            # (not a blank cell written 无 before the digits: "行政规范性文件无121" is 无 | 1 2 1 run together)
            r.label_end = tail.start() + len(tail.group(0).rstrip("无"))
        m = _VALUE_CHARS.match(text, r.label_end, stop)
        r.run_start = r.label_end
        r.run = m.group(0).rstrip() if m else ""
        tail = re.search(r"(?:19|20)\d\d$", r.run)
        if tail and text.startswith("年", r.run_start + len(r.run)) and len(r.run) > 4:
            r.run = r.run[:-4]  # the narrative after the table starts with a year: "…2000002" + "2025年，我局…"
    return rows


# ---------------------------------------------------------------- splitting runs


def _valid(part: str, col: str) -> int | float | None:
    """A cell's value if `part` is how one count or amount is written, else None."""
    if not part:
        return None
    # A sign may start any column's value here: a negative count is wrong (A006 says so), but a
    # reader cannot rule out that the report wrote one, so such splits stay candidates.
    neg = part.startswith("-")
    signed = neg or part.startswith("+")
    body = part[1:] if signed else part
    if not body or len(body) > 12:
        return None
    if col == "amount" and "." in body:
        whole, _, frac = body.partition(".")
        if not whole.isdigit() or not frac.isdigit() or (len(whole) > 1 and whole[0] == "0"):
            return None
        return float(body)
    if not body.isdigit() or (len(body) > 1 and body[0] == "0") or (signed and body == "0"):
        return None  # "-0" is never written: that dash is a blank cell
    return -int(body) if neg else int(body)


def _splits(run: str, columns: tuple[str, ...], table: str = "", limit: int = MAX_CANDIDATES + 1) -> list[tuple]:
    """Every way to cut `run` into len(columns) valid values that keep the row's own sum (table
    三: 总计 = Σ; table 四: each group's 总计 = Σ), at most `limit`. A space in the run is a cell
    boundary that must be kept: "230 000023" is cut at the space and elsewhere. A 总计 is not
    searched for: it must be the digits that spell the sum, which keeps the search small."""
    n = len(columns)
    digits = run.replace(" ", "")
    boundaries: set[int] = set()
    pos = 0
    for piece in run.split():
        pos += len(piece)
        boundaries.add(pos)
    out: list[tuple] = []

    def sum_cell(k: int, acc: list) -> int | float | None:
        if table == "applications" and k == n - 1:
            return sum(acc)
        if table == "litigation" and k % 5 == 4:
            return sum(acc[-4:])
        return None

    def rec(pos: int, k: int, acc: list) -> None:
        if len(out) >= limit:
            return
        if k == n:
            if pos == len(digits):
                out.append(tuple(acc))
            return
        want = sum_cell(k, acc)
        if want is not None:
            text = str(want)
            cut = pos + len(text)
            if digits.startswith(text, pos) and not any(b in boundaries for b in range(pos + 1, cut)) \
                    and (cut == len(digits) or cut in boundaries or k < n - 1):
                acc.append(want)
                rec(cut, k + 1, acc)
                acc.pop()
            return
        remaining = n - k - 1
        for cut in range(pos + 1, len(digits) - remaining + 1):
            if any(b in boundaries for b in range(pos + 1, cut)):
                break  # a part never spans a space
            v = _valid(digits[pos:cut], columns[k])
            if v is None:
                if cut - pos > 13:
                    break
                continue
            acc.append(v)
            rec(cut, k + 1, acc)
            acc.pop()

    rec(0, 0, [])
    return out


def _row_sum_ok(values: tuple, table: str) -> bool:
    if table == "applications":
        return values[-1] == sum(values[:-1])
    if table == "litigation":
        return all(values[g * 5 + 4] == sum(values[g * 5:g * 5 + 4]) for g in range(3))
    return True


def _dash_may_be_blank(run: str, n: int) -> bool:
    """Whether the "-" in a run of n cells could each be a blank cell of its own: the dashes plus
    at least one cell per digit group fit in n ("2-23" in 3 columns: 2 | - | 23). "35-15" in two
    columns cannot be read so: there the dash is the sign of -15."""
    if "-" not in run:
        return False
    pieces = re.findall(r"-|[^-]+", run)
    return sum(1 for p in pieces if p == "-") + sum(1 for p in pieces if p != "-") <= n


def read_run(row: FlatRow) -> None:
    """Candidates of one row: read as written when the cells are separated, else the splits that
    keep the row's own sum."""
    run = row.run.replace(",", "").strip()
    n = len(row.columns)
    if not run:
        row.reason = "该行没有数值"
        return
    pieces = run.split()
    if len(pieces) == n and len(pieces) > 1:
        vals = [None if p in _BLANKS else _valid(p, col) for p, col in zip(pieces, row.columns)]
        if all(v is not None or p in _BLANKS for v, p in zip(vals, pieces)):
            row.candidates, row.direct = [tuple(vals)], True
            return
    if n == 1 and run in _BLANKS:
        row.candidates, row.direct = [(None,)], True  # a blank written as a dash: S006
        return
    if any(p in _BLANKS for p in pieces) or any(ch in run for ch in "/—无") or (n > 1 and " " not in run and _dash_may_be_blank(run, n)):
        # ("2-23": a blank written "-" between 2 and 23, or a sign, 2 | -2 | 3 — no one can tell)
        row.reason = f"“{run[:30]}”中的空格与占位符无法对应到{n}列"
        return
    if n == 1:
        v = _valid(run, row.columns[0])
        if v is None:
            row.reason = f"“{run[:20]}”不是一个数值"
            return
        row.candidates, row.direct = [(v,)], True
        return
    if run.isdigit() and len(run) == n:
        row.candidates, row.direct = [tuple(int(c) for c in run)], True
        return
    if len(run.replace(" ", "")) > MAX_RUN:
        row.reason = f"相连数字过长（{len(run)}位），无法拆分"
        return
    cands = [c for c in _splits(run, row.columns, row.table) if _row_sum_ok(c, row.table)]
    if len(cands) > MAX_CANDIDATES:
        row.reason = f"相连数字“{run}”可拆分为{MAX_CANDIDATES}种以上，无法确定"
        return
    row.candidates = cands
    if not cands:
        row.reason = f"相连数字“{run}”没有任何拆分方式符合表格的勾稽关系"
    elif len(cands) > 1:
        rule = "符合本行合计的" if row.table in ("applications", "litigation") else ""
        row.reason = f"相连数字“{run}”有{len(cands)}种{rule}拆分方式，无法确定"


# ---------------------------------------------------------------- the table's own arithmetic


def _column_constraints_ok(chosen: dict[str, tuple], fmt: str) -> bool:
    """一 + 二 = （七） + 四 and Σ outcome rows = （七） per column, for the rows that are known."""
    outcomes = [r for r in OUTCOME_ROWS[fmt] if r in chosen]
    for c in range(len(APPLICATION_COLUMNS)):
        if all(r in chosen for r in ("new", "carried_over", "total", "carried_forward")):
            if chosen["new"][c] + chosen["carried_over"][c] != chosen["total"][c] + chosen["carried_forward"][c]:
                return False
        if "total" in chosen and len(outcomes) == len(OUTCOME_ROWS[fmt]):
            if sum(chosen[r][c] for r in outcomes) != chosen["total"][c]:
                return False
    return True


def _resolve_applications(rows: list[FlatRow], fmt: str) -> None:
    """Ambiguous rows of table 三 tried together against the column sums; a row is kept only if
    every surviving combination gives it the same values."""
    fixed = {r.row_id: r.candidates[0] for r in rows if len(r.candidates) == 1}
    open_rows = [r for r in rows if len(r.candidates) > 1]
    if not open_rows:
        return
    total = 1
    for r in open_rows:
        total *= len(r.candidates)
    if total > MAX_COMBINATIONS or any(not r.candidates for r in rows):
        for r in open_rows:
            r.reason = f"相连数字“{r.run}”有{len(r.candidates)}种符合本行合计的拆分方式，无法确定"
            r.candidates = []
        return
    seen: list[set] = [set() for _ in open_rows]
    for combo in itertools.product(*(r.candidates for r in open_rows)):
        chosen = dict(fixed)
        chosen.update({r.row_id: c for r, c in zip(open_rows, combo)})
        if _column_constraints_ok(chosen, fmt):
            for s, c in zip(seen, combo):
                s.add(c)
    for r, s in zip(open_rows, seen):
        if len(s) == 1:
            r.candidates = [next(iter(s))]
        else:
            n = len(r.candidates) if not s else len(s)
            r.reason = f"相连数字“{r.run}”有{n}种拆分方式符合表格的勾稽关系，无法确定"
            r.candidates = []


# ---------------------------------------------------------------- one table


def extract_flat_table(text: str, start: int, end: int, table: str, fmt: str) -> FlatTable:
    """Table `active` or `applications` from text[start:end] of a flattened line."""
    rows = find_rows(text, start, end, table, fmt)
    for r in rows:
        read_run(r)
    if table == "applications":
        _resolve_applications(rows, fmt)
    cells: dict[str, int | float | None] = {}
    recovered: list[str] = []
    unreadable: dict[str, str] = {}
    for r in rows:
        if len(r.candidates) != 1:
            unreadable[r.key] = r.reason or "无法确定各数值对应的列"
            continue
        for col, v in zip(r.columns, r.candidates[0]):
            key = f"{r.key}.{col}"
            cells[key] = v
            if not r.direct:
                recovered.append(key)
    found = {r.row_id for r in rows}
    missing = [row.id for row in table_spec(table, fmt).rows if row.id not in found]
    return FlatTable(table, rows, cells, recovered, unreadable, missing)


_LIT_HEAD_END = pattern_cache.compile(r"(?:总计|审结)(?=[\s\d])")


def extract_flat_litigation(text: str, start: int, end: int) -> FlatTable:
    """Table 四: fifteen values after its last header word, up to section 五."""
    columns = tuple(c for _ in LITIGATION_GROUPS for c in LITIGATION_COLUMNS)
    last = None
    for m in _LIT_HEAD_END.finditer(text, start, end):
        last = m
    row = FlatRow("litigation", "all", columns, last.start() if last else start, last.end() if last else start)
    if last is not None:
        m = _VALUE_CHARS.match(text, row.label_end, end)
        row.run_start, row.run = row.label_end, (m.group(0).rstrip() if m else "")
        read_run(row)
    else:
        row.reason = "未找到表头"
    cells: dict[str, int | float | None] = {}
    recovered: list[str] = []
    unreadable: dict[str, str] = {}
    if len(row.candidates) == 1:
        for i, g in enumerate(LITIGATION_GROUPS):
            for j, c in enumerate(LITIGATION_COLUMNS):
                key = f"litigation.{g}.{c}"
                cells[key] = row.candidates[0][i * 5 + j]
                if not row.direct:
                    recovered.append(key)
    else:
        n = len(row.candidates)
        unreadable["litigation"] = row.reason or f"相连数字“{row.run}”有{n}种符合勾稽关系的拆分方式，无法确定"
    return FlatTable("litigation", [row] if last is not None else [], cells, recovered, unreadable, [])
