"""Synthetic 政府信息公开工作年度报告 whose every fact is known, for property tests, eval and bench.

Why: real reports come without ground truth, and the five seeds are nearly all zeros. A generator
that knows each cell lets the tests check that extraction round-trips on every layout the seeds
show, that a clean report raises nothing, and that each injected defect is found by exactly the
check meant for it.

Pipeline of `generate` (each step one function):
  1. draw the agency, the year and the table values (all 勾稽关系 hold);
  2. apply a *cell* defect (A00x, S006, S005/S004 omissions) to the values;
  3. write the narrative from the final values (so it agrees with the tables unless an N/P/Q
     defect deliberately makes it disagree);
  4. render the three tables in one layout ("cells", "pipe", "tabs", "markdown");
  5. assemble title, preamble, six sections, signature; apply *structural* defects (S001–S003).
`SynthReport.cells` is exactly what a perfect extractor returns (FORMAT.md keys; blank = None).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from testkit.noises import NOISES, check_names, cn_digits, spell_count, spell_date, spell_period
from summarizer.schema import (
    APPLICATION_COLUMNS,
    LITIGATION_COLUMN_LABELS,
    LITIGATION_COLUMNS,
    LITIGATION_GROUPS,
    OUTCOME_ROWS,
    TABLE_NAMES,
    TABLE_TITLES,
    table_spec,
)

# report text as copied or exported; "paragraphs" and "bars" are web pages' one cell per line
# without tabs (a blank line between cells / a "|" line after each cell)
LAYOUTS = ("cells", "pipe", "tabs", "markdown", "paragraphs", "bars")
# web text flattened to one line: cells separated by spaces, or run together (truth: flat_oracle.py)
FLAT_LAYOUTS = ("flat", "flat_joined")
FILE_LAYOUTS = ("html", "docx", "pdf")  # the published file itself (SynthReport.data), see documents.py
ALL_LAYOUTS = LAYOUTS + FLAT_LAYOUTS + FILE_LAYOUTS
FORMATS = ("2019", "2021")

# defect name -> the CHECKS.md code it must produce.
DEFECTS: dict[str, str] = {
    "missing_section": "S001",  # section 五 or 六 (heading and body) dropped
    "sections_swapped": "S002",  # two sections exchanged
    "no_title_agency": "S003",  # no title, the agency named nowhere
    "missing_table": "S004",  # one table's body dropped, its heading kept
    "missing_rows": "S005",  # some all-zero template rows of the applications table dropped
    "blank_cell": "S006",  # one zero cell of the applications table left empty
    "extra_row": "S007",  # an extra non-template row with values in the active table
    "period_two_years": "P001",  # 统计期限 Y-01-01 .. (Y+1)-12-31
    "period_wrong_end": "P001",  # 统计期限 Y-01-01 .. Y-12-21 (a slip of one digit)
    "no_period": "P002",  # no 统计期限 sentence
    "issued_in_year": "P003",  # signed inside the report year
    "issued_late": "P004",  # signed after the legal deadline
    "narrative_other_year": "P005",  # 总体情况 opens with "Y-1年，我局…"
    "stale_stat_year": "P005",  # a statistics sentence of 总体情况 says "Y-1年，在主动公开的N条…"
    "stale_format": "P006",  # 2019-format tables in a report of 2021 or later
    "a001_balance": "A001",  # 一+二 ≠ 三(七)+四 in two columns; A002/A003 hold
    "a002_row_sum": "A002",  # 1 moved between two outcome rows' 自然人 cells; column sums hold
    "a003_outcome_sum": "A003",  # 三(七) and 四 shifted by 1 in opposite directions
    "a004_litigation_total": "A004",  # one 总计 of table 四 off by one
    "a005_cumulative": "A005",  # 对外公开总数量 < 本年新公开数量 / 现行有效 < 本年制发
    "a006_negative": "A006",  # a negative 处理决定数量
    "n001_received": "N001",  # narrative's number of applications ≠ applications.new.total
    "n002_litigation": "N002",  # narrative's 复议/诉讼 count ≠ table 四
    "n003_enumeration": "N003",  # "…T条，其中…" with Σ > T, or "…T条，分别为…" with Σ ≠ T
    "n004_normative": "N004",  # narrative's 规范性文件 count ≠ table 二
    "q004_no_fee": "Q004",  # 2021 format, section 六 without a 信息处理费 statement
    "q005_no_platform": "Q005",  # 总体情况 without 平台建设
}

# Defects that are another spelling of the same mistake as an earlier one (same code).
DEFECT_VARIANTS: dict[str, str] = {"period_wrong_end": "period_two_years", "stale_stat_year": "narrative_other_year"}

# Codes a defect necessarily produces besides its own. None of the current defects needs one:
# each is engineered so that only its own code can fire (see the per-defect comments below).
# Keep this explicit so a future defect documents its companions here, not by loosening tests.
DEFECT_COMPANIONS: dict[str, frozenset[str]] = {name: frozenset() for name in DEFECTS}
# A stale report cites the 2019 "格式（试行）" in its preamble as well as using 2019 tables: P007 is
# the true companion of P006 there.
DEFECT_COMPANIONS["stale_format"] = frozenset({"P007"})

# Defects that only make sense in one table format force it (P006 needs 2019 tables, Q004 the
# 2021 template's section 六 rule).
DEFECT_FORMAT: dict[str, str] = {"stale_format": "2019", "q004_no_fee": "2021"}


@dataclass
class SynthReport:
    text: str
    cells: dict[str, int | float | None]
    facts: dict
    layout: str
    fmt: str
    defect: str | None
    expected_codes: set[str] = field(default_factory=set)
    noise: frozenset[str] = frozenset()
    optional_codes: set[str] = field(default_factory=set)  # may fire or not (e.g. S007 on a slipped label)
    # file layouts: the file's bytes and its suffix (`text` then holds the report as plain lines)
    data: bytes | None = None
    suffix: str = ".txt"

    def write(self, folder, stem: str = "report") -> str:
        """Write the report as the file a reviewer would get; returns its path."""
        from pathlib import Path

        path = Path(folder) / f"{stem}{self.suffix}"
        if self.data is not None:
            path.write_bytes(self.data)
        else:
            path.write_text(self.text, encoding="utf-8")
        return str(path)


# ====================================================================== agency and dates

_CITIES = ("攀枝花市", "泉州市", "大同市", "岳阳市", "株洲市", "衡阳市", "铜陵市", "淮安市", "丽水市",
           "湛江市", "宜宾市", "绵阳市", "南平市", "九江市", "赣州市", "邢台市")
_DISTRICTS = ("东区", "西区", "城关区", "青山区", "江北区", "南湖区", "新城区", "河西区", "临江区", "白云区")
_COUNTIES = ("安平县", "清河县", "永宁县", "宁远县", "长丰县", "石门县", "宜良县", "富顺县")
_DEPARTMENTS = ("商务局", "教育局", "财政局", "民政局", "司法局", "交通运输局", "卫生健康委员会",
                "市场监督管理局", "生态环境局", "自然资源局", "住房和城乡建设局", "文化和旅游局",
                "人力资源和社会保障局", "统计局", "审计局", "农业农村局", "发展和改革委员会")


@dataclass
class _Agency:
    name: str
    kind: str  # "department" (deadline 1月31日) or "government" (本级人民政府, deadline 3月31日)
    self_ref: str  # how the narrative names itself: 我局 / 我委 / 我区 …


def _agency(rng: random.Random) -> _Agency:
    city = rng.choice(_CITIES)
    place = rng.choice(_DISTRICTS + _COUNTIES)
    level = "县" if place.endswith("县") else "区"
    if rng.random() < 0.2:
        return _Agency(f"{city}{place}人民政府", "government", f"我{level}")
    dept = rng.choice(_DEPARTMENTS)
    prefix = city + place if rng.random() < 0.7 else city
    self_ref = "我委" if dept.endswith("委员会") else "我局"
    return _Agency(prefix + dept, "department", self_ref)


def _date_text(y: int, m: int, d: int, spaced: bool) -> str:
    return f"{y} 年 {m} 月 {d} 日" if spaced else f"{y}年{m}月{d}日"


# ====================================================================== table values


def _small(rng: random.Random, p_zero: float, hi: int) -> int:
    """Mostly small counts, with a given share of zeros."""
    if rng.random() < p_zero:
        return 0
    return rng.randint(1, hi)


def _not_triple(vals: list[int], rng: random.Random) -> None:
    """Avoid the suspicious 'same non-zero number in every column' row (seed 001, 12/12/12)."""
    if len(vals) == 3 and vals[0] == vals[1] == vals[2] and vals[0] != 0:
        vals[2] += rng.randint(1, 9)


def _active_values(rng: random.Random, fmt: str, subrows: list[str]) -> dict[str, int | float]:
    c: dict[str, int | float] = {}
    if fmt == "2019":
        for col in ("new_made", "new_published", "total_published"):
            c[f"active.regulations.{col}"] = 0  # districts and counties have no rule-making power
        made = _small(rng, 0.35, 8)
        pub = max(0, made - rng.randint(0, min(2, made)))
        total = pub + _small(rng, 0.2, 40)
        trio = [made, pub, total]
        _not_triple(trio, rng)
        for col, v in zip(("new_made", "new_published", "total_published"), trio):
            c[f"active.normative_documents.{col}"] = v
        for row, hi in (("licensing", 40), ("other_services", 60), ("penalty", 20), ("enforcement", 5)):
            if row == "other_services" and subrows:
                sums = [0, 0, 0]
                for i, _ in enumerate(subrows, start=1):
                    vals = _item_row(rng, hi)
                    for j, col in enumerate(("previous", "change", "decisions")):
                        c[f"active.other_services.{i}.{col}"] = vals[j]
                        sums[j] += vals[j]
                for j, col in enumerate(("previous", "change", "decisions")):
                    c[f"active.other_services.{col}"] = sums[j]
                continue
            vals = _item_row(rng, hi)
            for j, col in enumerate(("previous", "change", "decisions")):
                c[f"active.{row}.{col}"] = vals[j]
        prev = _small(rng, 0.5, 5)
        c["active.fees.previous"] = prev
        c["active.fees.change"] = rng.randint(-prev, 2) if prev else rng.choice((0, 0, 1))
        projects = _small(rng, 0.5, 12)
        c["active.procurement.projects"] = projects
        c["active.procurement.amount"] = _amount(rng) if projects else 0
    else:
        for col in ("issued", "repealed", "in_force"):
            c[f"active.regulations.{col}"] = 0
        issued = _small(rng, 0.35, 8)
        repealed = _small(rng, 0.6, 4)
        in_force = issued + rng.randint(0, 40)
        trio = [issued, repealed, in_force]
        _not_triple(trio, rng)
        for col, v in zip(("issued", "repealed", "in_force"), trio):
            c[f"active.normative_documents.{col}"] = v
        c["active.licensing.decisions"] = _small(rng, 0.3, rng.choice((20, 300, 900)))
        c["active.penalty.decisions"] = _small(rng, 0.4, rng.choice((10, 150)))
        c["active.enforcement.decisions"] = _small(rng, 0.7, 8)
        c["active.fees.amount"] = _amount(rng) if rng.random() < 0.35 else 0
    return c


def _item_row(rng: random.Random, hi: int) -> list[int]:
    """上一年项目数量, 本年增/减, 处理决定数量 of one 2019 row: previous + change ≥ 0."""
    prev = _small(rng, 0.4, hi)
    change = rng.randint(-min(3, prev), 4) if rng.random() < 0.6 else 0
    decisions = _small(rng, 0.3, rng.choice((10, 80, 600))) if prev + change > 0 else 0
    vals = [prev, change, decisions]
    _not_triple(vals, rng)
    return vals


def _amount(rng: random.Random) -> float:
    """An amount in 万元 with 1–2 decimals, stored exactly as it will be printed."""
    places = rng.choice((1, 2))
    return float(f"{rng.uniform(0.5, 900):.{places}f}")


# Weights of the outcome rows when applications are distributed (common ones first).
_OUTCOME_WEIGHTS = {
    "granted": 40, "partial": 8, "withheld_1": 1, "withheld_2": 1, "withheld_3": 1, "withheld_4": 3,
    "withheld_5": 1, "withheld_6": 2, "withheld_7": 1, "withheld_8": 1, "unable_1": 14, "unable_2": 3,
    "unable_3": 2, "rejected_1": 4, "rejected_2": 4, "rejected_3": 1, "rejected_4": 1, "rejected_5": 1,
    "other": 4, "other_1": 2, "other_2": 1, "other_3": 2,
}
_APPLICANT_WEIGHTS = (80, 12, 1, 2, 3, 2)  # person, company, research, ngo, law_firm, org_other


def _applications_values(rng: random.Random, fmt: str, busy: bool) -> dict[str, int]:
    """Table 三 with A001–A003 holding by construction: per column, what came in is closed or carried."""
    cols = APPLICATION_COLUMNS[:-1]
    outcomes = OUTCOME_ROWS[fmt]
    n_new = 0
    if busy or rng.random() > 0.35:
        n_new = rng.choice((rng.randint(1, 8), rng.randint(1, 30), rng.randint(50, 400) if rng.random() < 0.15 else 3))
    new = dict.fromkeys(cols, 0)
    for col in rng.choices(cols, weights=_APPLICANT_WEIGHTS, k=n_new):
        new[col] += 1
    if busy and new["person"] == 0:
        new["person"] = 1
    carried = dict.fromkeys(cols, 0)
    if sum(new.values()) and rng.random() < 0.3:
        carried["person"] = rng.randint(1, 3)
    rows: dict[str, dict[str, int]] = {r: dict.fromkeys(cols, 0) for r in outcomes}
    forward = dict.fromkeys(cols, 0)
    for col in cols:
        pool = new[col] + carried[col]
        keep_one = 1 if busy and col == "person" else 0  # busy: at least one closed 自然人 application
        if pool > keep_one and rng.random() < 0.25:
            forward[col] = rng.randint(1, max(1, min(3, pool - keep_one)))
        closed = pool - forward[col]
        weights = [_OUTCOME_WEIGHTS[r] for r in outcomes]
        for r in rng.choices(outcomes, weights=weights, k=closed):
            rows[r][col] += 1
    table = {"new": new, "carried_over": carried, **rows}
    table["total"] = {col: sum(rows[r][col] for r in outcomes) for col in cols}
    table["carried_forward"] = forward
    cells: dict[str, int] = {}
    for row in table_spec("applications", fmt).rows:
        vals = table[row.id]
        for col in cols:
            cells[f"applications.{row.id}.{col}"] = vals[col]
        cells[f"applications.{row.id}.total"] = sum(vals.values())
    return cells


def _litigation_values(rng: random.Random, applications: int) -> dict[str, int]:
    """Table 四 with A004 holding; a few cases at most, and only when the agency had applications."""
    cells = {}
    budget = applications // 2
    for g in LITIGATION_GROUPS:
        parts = [0, 0, 0, 0]
        if budget and rng.random() < (0.35 if g == "review" else 0.15):
            for _ in range(rng.randint(1, min(3, budget))):
                parts[rng.choices(range(4), weights=(5, 2, 1, 2))[0]] += 1
            budget -= sum(parts)
        for col, v in zip(LITIGATION_COLUMNS[:-1], parts):
            cells[f"litigation.{g}.{col}"] = v
        cells[f"litigation.{g}.total"] = sum(parts)
    return cells


# ====================================================================== cell defects


def _apply_cell_defect(rng: random.Random, defect: str | None, fmt: str, cells: dict) -> set[str]:
    """Change the values for an A00x/S006 defect; return keys the text will not contain (S004/S005).

    Each A defect is built so that the other arithmetic relations still hold:
    A001 shifts 二 by +1 in 自然人 and 总计 (row sum intact, 二 is not an outcome row);
    A002 moves 1 between two outcome rows in 自然人 only (column sums intact, both row sums off);
    A003 moves 1 from 四 to 三(七) in 自然人 and 总计 (A001 and both row sums intact);
    A004 changes one litigation 总计 and nothing else; A005 lowers the cumulative column
    (keeping 现行有效 ≥ 制发 − 废止); A006 makes a 处理决定数量 negative (no sum involves it).
    """
    omitted: set[str] = set()
    a = "applications"
    if defect == "a001_balance":
        cells[f"{a}.carried_over.person"] += 1
        cells[f"{a}.carried_over.total"] += 1
    elif defect == "a002_row_sum":
        donors = [r for r in OUTCOME_ROWS[fmt] if cells[f"{a}.{r}.person"] >= 1]
        src = rng.choice(donors)
        dst = rng.choice([r for r in OUTCOME_ROWS[fmt] if r != src])
        cells[f"{a}.{src}.person"] -= 1
        cells[f"{a}.{dst}.person"] += 1
    elif defect == "a003_outcome_sum":
        step = 1 if cells[f"{a}.carried_forward.person"] >= 1 else -1
        for col in ("person", "total"):
            cells[f"{a}.total.{col}"] += step
            cells[f"{a}.carried_forward.{col}"] -= step
    elif defect == "a004_litigation_total":
        key = f"litigation.{rng.choice(LITIGATION_GROUPS)}.total"
        cells[key] += -1 if cells[key] > 0 and rng.random() < 0.5 else rng.randint(1, 2)
    elif defect == "a005_cumulative":
        if fmt == "2019":
            if cells["active.normative_documents.new_published"] == 0:
                n = rng.randint(1, 5)
                cells["active.normative_documents.new_made"] = n
                cells["active.normative_documents.new_published"] = n
            pub = cells["active.normative_documents.new_published"]
            cells["active.normative_documents.total_published"] = pub - rng.randint(1, pub)
        else:
            # below 制发 − 废止: a document issued this year may be repealed this year (3, 1, 2 is no defect)
            repealed = cells["active.normative_documents.repealed"]
            issued = max(1, cells["active.normative_documents.issued"], repealed + 1)
            cells["active.normative_documents.issued"] = issued
            cells["active.normative_documents.in_force"] = issued - repealed - rng.randint(1, issued - repealed)
    elif defect == "a006_negative":
        cells["active.licensing.decisions"] = -rng.randint(1, 30)
    elif defect == "blank_cell":
        zeros = [k for k in cells if k.startswith(f"{a}.") and k.split(".")[1] in OUTCOME_ROWS[fmt]
                 and not k.endswith(".total") and cells[k] == 0]
        cells[rng.choice(zeros)] = None
    elif defect == "missing_table":
        name = rng.choice(TABLE_NAMES)
        omitted = {k for k in cells if k.startswith(name + ".")}
    elif defect == "missing_rows":
        droppable = [f"withheld_{i}" for i in range(2, 9)] + ["unable_2", "unable_3"] + \
                    [f"rejected_{i}" for i in range(2, 6)]
        rows = rng.sample(droppable, rng.randint(1, 3))
        for r in rows:  # zero them first so A003 holds over the rows that remain
            for col in APPLICATION_COLUMNS:
                if cells[f"{a}.{r}.{col}"]:
                    _move_to_granted(cells, r, col)
        omitted = {f"{a}.{r}.{col}" for r in rows for col in APPLICATION_COLUMNS}
    return omitted


def _move_to_granted(cells: dict, row: str, col: str) -> None:
    v = cells[f"applications.{row}.{col}"]
    cells[f"applications.{row}.{col}"] = 0
    cells[f"applications.granted.{col}"] += v


# ====================================================================== value rendering

_FULLWIDTH = str.maketrans("0123456789+-", "０１２３４５６７８９＋－")


@dataclass
class _Style:
    """Per-report typographic habits (all invisible to a correct extractor)."""

    fullwidth: bool
    plus: str  # "" / "+" / "＋": how a positive 本年增/减 is written (2019)
    amount_unit: bool  # "103.9万元" inside the cell
    spaced_dates: bool
    para_blank: bool  # blank line between paragraphs
    indent: str
    halfwidth_punct: bool  # pipe layout: "(一)" instead of "（一）" (web scrape, seed 003)


def _style(rng: random.Random, layout: str) -> _Style:
    return _Style(
        fullwidth=rng.random() < 0.15,
        plus=rng.choice(("", "+", "＋")),
        amount_unit=rng.random() < 0.3,
        spaced_dates=rng.random() < 0.15,
        para_blank=rng.random() < 0.5,
        indent=rng.choice(("", "", "　　", "    ")),
        halfwidth_punct=layout == "pipe" and rng.random() < 0.5,
    )


def _value_text(key: str, value, style: _Style, rng: random.Random) -> str:
    if value is None:
        return ""
    col = key.rsplit(".", 1)[1]
    if isinstance(value, float):
        text = repr(value)
        if style.amount_unit:
            text += "万元"
    elif col == "change" and value > 0 and style.plus:
        text = style.plus + str(value)
    else:
        text = str(value)
    if style.fullwidth and rng.random() < 0.5:
        text = text.translate(_FULLWIDTH)
    return text


# ====================================================================== abstract tables


@dataclass
class _Row:
    """One table row: leading label cells, then value cells (rendered text; "" = blank)."""

    kind: str  # "group" | "header" | "data"
    labels: list[str]
    values: list[str] = field(default_factory=list)


_GROUP_NAMES = {"不予公开": "（三）不予公开", "无法提供": "（四）无法提供", "不予处理": "（五）不予处理",
                "其他处理": "（六）其他处理"}
_CN_NUM = "一二三四五六七"

_EXTRA_ROWS = ("其他主动公开文件", "其他文件")


def _active_rows(fmt: str, cells: dict, subrows: list[str], vt, extra: bool, rng: random.Random) -> list[_Row]:
    spec = table_spec("active", fmt)
    out: list[_Row] = []
    groups: list[str] = []
    for r in spec.rows:
        if r.group not in groups:
            groups.append(r.group)
    for g in groups:
        rows = [r for r in spec.rows if r.group == g]
        out.append(_Row("group", [g]))
        out.append(_Row("header", ["信息内容"], [_column_label(spec.column_labels[c], rng) for c in rows[0].columns]))
        for r in rows:
            if r.id == "other_services" and subrows:
                for i, sub in enumerate(subrows, start=1):
                    labels = [r.label if i == 1 else "", sub]
                    out.append(_Row("data", labels, [vt(f"active.{r.id}.{i}.{c}") for c in r.columns]))
                continue
            label = r.label
            if r.id == "normative_documents" and fmt == "2021" and rng.random() < 0.2:
                label = "规范性文件"  # some 2021+ reports keep the 2019 wording (岳阳市信访局 2021)
            out.append(_Row("data", [label], [vt(f"active.{r.id}.{c}") for c in r.columns]))
            if extra and r.id == "normative_documents":
                vals = [rng.randint(1, 6), rng.randint(1, 6), rng.randint(7, 30)]
                out.append(_Row("data", [rng.choice(_EXTRA_ROWS)], [str(v) for v in vals]))
    return out


def _column_label(label: str, rng: random.Random) -> str:
    """Local wordings of a column header seen in real reports (seed 002: 采购总金额（万元，保留四位小数）)."""
    if label == "采购总金额" and rng.random() < 0.25:
        return rng.choice(("采购总金额（万元）", "采购总金额（万元，保留四位小数）"))
    return label


def _application_labels(fmt: str) -> dict[str, list[str]]:
    """Row id -> label cells as the docx template lays them out (seed 000): group cell first."""
    spec = table_spec("applications", fmt)
    labels: dict[str, list[str]] = {}
    seen_groups: set[str] = set()
    outcome_no = 0
    item_no = 0
    for r in spec.rows:
        if r.id == "new":
            labels[r.id] = ["一、" + r.label]
        elif r.id == "carried_over":
            labels[r.id] = ["二、" + r.label]
        elif r.id == "carried_forward":
            labels[r.id] = ["四、" + r.label]
        elif r.id in ("granted", "partial", "total", "other"):
            outcome_no += 1
            lab = f"（{_CN_NUM[outcome_no - 1]}）{r.label}"
            labels[r.id] = ["三、本年度办理结果", lab] if r.id == "granted" else ["", lab]
            if r.id == "other":
                seen_groups.add(r.group)
        else:
            if r.group not in seen_groups:
                seen_groups.add(r.group)
                outcome_no += 1
                item_no = 0
                group_cell = f"（{_CN_NUM[outcome_no - 1]}）{r.group}"
            else:
                group_cell = ""
            item_no += 1
            labels[r.id] = ["", group_cell, f"{item_no}.{r.label}"]
    return labels


def _application_rows(fmt: str, vt, omitted: set[str]) -> list[_Row]:
    labels = _application_labels(fmt)
    out = []
    for r in table_spec("applications", fmt).rows:
        if f"applications.{r.id}.total" in omitted:
            continue
        out.append(_Row("data", labels[r.id], [vt(f"applications.{r.id}.{c}") for c in APPLICATION_COLUMNS]))
    return out


def _litigation_values_row(vt) -> _Row:
    return _Row("data", [], [vt(f"litigation.{g}.{c}") for g in LITIGATION_GROUPS for c in LITIGATION_COLUMNS])


_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_ORG = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
_LIT_COLS = tuple(LITIGATION_COLUMN_LABELS[c] for c in LITIGATION_COLUMNS)


# ====================================================================== layouts


def _render_cells(name: str, rows: list[_Row], rng: random.Random) -> list[str]:
    """One cell per line, tab-indented, blank line between rows (.docx copied to text; seeds 000–002)."""
    out: list[str] = []
    if name == "applications":
        out += ["\t" + _NOTE, "\t申请人情况", "", "\t", "\t自然人", "\t法人或其他组织", "\t总计", "",
                "\t", "\t", *("\t" + o for o in _ORG), "\t", ""]
    if name == "litigation":
        first = ["\t结", "果", "维", "持"] if rng.random() < 0.3 else ["\t结果维持"]
        total = "\t总 计" if rng.random() < 0.3 else "\t总计"
        out += ["\t行政复议", "\t行政诉讼", "", *first, *("\t" + c for c in _LIT_COLS[1:4]), total,
                "\t未经复议直接起诉", "\t复议后起诉", "", *["\t"] * 5, *("\t" + c for c in _LIT_COLS * 2), ""]
    for row in rows:
        for cell in row.labels + row.values:
            out += _cell_lines(cell, row.kind, rng)
        out.append("")
    return out


def _cell_lines(cell: str, kind: str, rng: random.Random) -> list[str]:
    if kind == "header" and cell.startswith("本年新") and rng.random() < 0.5:
        return ["\t本年新", cell[3:]]
    if cell in _GROUP_NAMES.values() and cell != "（六）其他处理" and rng.random() < 0.35:
        return ["\t" + cell[:5], "", cell[5:]]  # "（三）不予" / "" / "公开" (seed 002)
    return ["\t" + cell]


def _render_pipe(name: str, rows: list[_Row], rng: random.Random) -> list[str]:
    """Each cell followed by " |" on its own line, runs of "|" for spanned cells (seed 003)."""
    out: list[str] = []
    cut_header = rng.random() < 0.3  # seed 003 prints both 本年新… headers as "本年新"
    if name == "applications":
        out += [_NOTE + " |", "申请人情况 |", "||||||||", "自然人 |", "法人或其他组织 |", "总计 |", "|||||||",
                *(o + " |" for o in _ORG), "|||||"]
    if name == "litigation":
        out += ["行政复议 |", "行政诉讼 |", "|" * 13, *(c + " |" for c in _LIT_COLS), "未经复议直接起诉 |",
                "复议后起诉 |", "|" * 8, *(c + " |" for c in _LIT_COLS * 2), "|" * 5]
    for row in rows:
        if row.kind == "group":
            out += [row.labels[0] + " |", "|||"]
            continue
        lead = 0
        while lead < len(row.labels) and row.labels[lead] == "":
            lead += 1
        if name == "applications":
            out.append("|" * lead if lead else "||")
        for cell in row.labels[lead:]:
            out.append(cell + " |")
        for cell in row.values:
            if row.kind == "header" and cut_header and cell.startswith("本年新"):
                cell = "本年新"
            out.append(f"{cell} |")
        if name == "active" and len(row.values) < 3:
            out.append("|" * (3 - len(row.values)))
    return out


def _render_tabs(name: str, rows: list[_Row], rng: random.Random) -> list[str]:
    """One row per line, cells separated by tabs (PDF / spreadsheet export; seed 004)."""
    out: list[str] = []
    if name == "applications":
        out.append(_NOTE + "\t\t\t申请人情况")
        out.append("\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计")
        if rng.random() < 0.4:  # header spread over two lines
            out.append("\t\t\t\t商业\t科研\t社会公\t法律服\t其他\t")
            out.append("\t\t\t\t企业\t机构\t益组织\t务机构\t\t")
        else:
            out.append("\t\t\t\t" + "\t".join(_ORG) + "\t")
    if name == "litigation":
        out.append("行政复议" + "\t" * 5 + "行政诉讼")
        out.append("\t" * 5 + "未经复议直接起诉" + "\t" * 5 + "复议后起诉")
        if rng.random() < 0.4:
            out.append("\t".join(["结果", "结果", "其他", "尚未", "总计"] * 3))
            out.append("\t".join(["维持", "纠正", "结果", "审结", ""] * 3))
        else:
            out.append("\t".join(_LIT_COLS * 3))
    for row in rows:
        labels = row.labels
        if name == "applications":
            labels = (labels + ["", "", ""])[:3]
        if row.kind == "group":
            out.append(labels[0] + "\t" * 3)
        else:
            out.append("\t".join(labels + row.values))
    return out


def _render_markdown(name: str, rows: list[_Row], rng: random.Random) -> list[str]:
    """Markdown pipe tables with header and separator rows (PDF-to-markdown converters)."""

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    def sep(n: int) -> str:
        return "|" + "---|" * n

    out: list[str] = []
    if name == "active":
        group_as_row = rng.random() < 0.5
        for row in rows:
            if row.kind == "group":
                if out:
                    out.append("")
                group = row.labels[0]
            elif row.kind == "header":
                n = 1 + len(row.values)
                if group_as_row:
                    out += [line([group] + [""] * (n - 1)), sep(n), line(row.labels + row.values)]
                else:
                    out += [f"**{group}**", "", line(row.labels + row.values), sep(n)]
            else:
                out.append(line(row.labels + row.values))
        return out
    if name == "applications":
        if rng.random() < 0.5:
            out += [line([_NOTE, "", "", "申请人情况"] + [""] * 6), sep(10),
                    line(["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"]),
                    line(["", "", "", ""] + list(_ORG) + [""])]
        else:
            out += [line(["", "", "", "自然人", *_ORG, "总计"]), sep(10)]
        for row in rows:
            out.append(line((row.labels + ["", "", ""])[:3] + row.values))
        return out
    out += [line(["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9), sep(15),
            line([""] * 5 + ["未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""]),
            line(list(_LIT_COLS * 3))]
    for row in rows:
        out.append(line(row.values))
    return out


def _cell_sequence(name: str, rows: list[_Row]) -> list[str]:
    """Every cell of the table in reading order, as a web page's one-cell-per-line text gives
    them: the column headers, then each row's labels and values ("" = an empty cell). Leading
    empty label cells (merged label columns) have no cell of their own."""
    out: list[str] = []
    if name == "applications":
        out += [_NOTE, "申请人情况", "自然人", "法人或其他组织", "总计", *_ORG]
    if name == "litigation":
        out += ["行政复议", "行政诉讼", *_LIT_COLS, "未经复议直接起诉", "复议后起诉", *(_LIT_COLS * 2)]
    for row in rows:
        labels = list(row.labels)
        while labels and labels[0] == "":
            labels.pop(0)
        out += labels + list(row.values)
    return out


def _render_paragraphs(name: str, rows: list[_Row], rng: random.Random) -> list[str]:
    """A paragraph per cell, a blank line after each; an empty cell is an empty paragraph, one
    more blank line (a CMS that turns every table cell into a <p>: seen on county and township
    pages, with or without leading spaces)."""
    indent = " " if rng.random() < 0.3 else ""
    out: list[str] = []
    for cell in _cell_sequence(name, rows):
        out += [indent + cell, ""] if cell else [""]
    return out


def _render_bars(name: str, rows: list[_Row], rng: random.Random) -> list[str]:
    """Each cell on its own line and a bare "|" on the next (a scraper that writes the cell
    separator as a line of its own); an empty cell is a "|" after a "|"."""
    bar = " |" if rng.random() < 0.3 else "|"
    out: list[str] = []
    for cell in _cell_sequence(name, rows):
        out += [cell, bar] if cell else [bar]
    return out


_RENDERERS = {"cells": _render_cells, "pipe": _render_pipe, "tabs": _render_tabs, "markdown": _render_markdown,
              "paragraphs": _render_paragraphs, "bars": _render_bars}


# ====================================================================== narrative

_CATEGORIES = ("工作动态", "通知公告", "政策文件", "政策解读", "人事信息", "财政预决算", "规划计划", "部门文件")

_PROBLEMS = (
    ("政策解读形式较为单一，图解、音视频等多样化解读占比不高",
     "丰富政策解读形式，对重要政策文件同步制作图解或短视频解读，提高解读的可读性"),
    ("部分栏目信息更新不够及时，个别栏目存在较长时间未更新的情况",
     "建立栏目更新台账，明确各科室信息报送时限，每月对栏目更新情况进行自查"),
    ("工作人员业务能力有待提升，对《条例》的理解和把握还不够深入",
     "每半年组织一次政务公开业务培训，重点学习《条例》及依申请公开办理规范"),
    ("依申请公开答复文书的规范性有待加强，个别答复引用法律条款不够准确",
     "制定依申请公开答复文书模板，答复前由法制机构进行合法性审查"),
    ("主动公开目录与实际公开内容衔接不够紧密，部分事项未及时纳入目录",
     "对照主动公开基本目录逐项梳理，动态调整目录内容并及时公开"),
    ("政务新媒体与门户网站信息发布协同不足，同一信息发布时间不一致",
     "统一信息发布审核流程，实现门户网站与政务新媒体同步发布"),
)

_MANAGE = (
    "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，明确信息发布审核流程，防止泄密和不当公开。",
    "及时梳理和更新政府信息公开指南和主动公开目录，规范政府信息的登记、分类、保存和归档工作，做到有据可查。",
    "建立健全信息发布协调机制，对拟公开信息的准确性、规范性进行把关，确保公开信息内容准确、表述规范。",
)
_PLATFORM = (
    "依托政府门户网站信息公开专栏，持续优化栏目设置，及时更新各类信息；同时用好政务新媒体平台，拓宽信息发布渠道，提升公开实效。",
    "加强政府网站和政务新媒体平台建设，完善政策文件、政策解读、通知公告等栏目，确保平台安全稳定运行。",
)
_SUPERVISE = (
    "成立政务公开工作领导小组，主要负责同志任组长，明确专人负责日常工作；将政务公开纳入年度目标考核，定期开展自查，发现问题及时整改。",
    "健全政务公开监督保障机制，组织开展政务公开业务培训{n}次，强化考核评议和责任追究，推动各项工作落到实处。",
)


@dataclass
class _Narrative:
    """What the narrative states; an N/P/Q defect sets a value that disagrees with the tables."""

    received: int  # applications.new.total as stated
    review: int | None  # 行政复议 count as stated; None = no litigation sentence
    litigation: int | None
    normative: int | None  # 规范性文件 issued as stated; None = no sentence
    enum_total_delta: int = 0
    opening_year: int = 0
    platform: bool = True
    stale_stat_year: bool = False


@dataclass
class _NoiseCtx:
    """The active noise switches (testkit/noises.py) and their own random generator."""

    on: frozenset[str]
    rng: random.Random

    def __contains__(self, name: str) -> bool:
        return name in self.on

    def count(self, n: int, unit: str) -> str:
        """A narrative count in a spelling the number noises allow (plain when none is on)."""
        return spell_count(n, unit, self.on, self.rng)

    def hooks(self, kind: str) -> list:
        return [hook for _, hook in self.named_hooks(kind)]

    def named_hooks(self, kind: str) -> list:
        return [(n, getattr(NOISES[n], kind)) for n in sorted(self.on) if getattr(NOISES[n], kind) is not None]


def _section_one(rng: random.Random, ag: _Agency, year: int, fmt: str, cells: dict, nar: _Narrative,
                 nz: _NoiseCtx) -> list[str]:
    """Paragraphs of 一、总体情况 covering the five parts; only the platform part names platforms."""
    me = ag.self_ref
    c = nz.count
    paras = [f"{nar.opening_year}年，{me}认真贯彻落实《中华人民共和国政府信息公开条例》，坚持以公开为常态、"
             "不公开为例外，围绕中心工作，扎实推进政府信息公开各项工作，现将有关情况报告如下。"]
    parts = rng.sample(_CATEGORIES, rng.randint(3, 5))
    counts = [rng.randint(1, 60) for _ in parts]
    exhaustive = rng.random() >= 0.5
    quarters = [rng.randint(5, 60) for _ in range(4)]
    big = "thousands_sep" in nz or "wan_units" in nz
    if big:  # real totals run to thousands: scale so separators and 万 occur
        counts = [n * nz.rng.randint(40, 300) for n in counts]
        quarters = [n * 100 * nz.rng.randint(2, 6) for n in quarters]
    delta = nar.enum_total_delta * (1000 if big else 1)  # beyond the rounding of figures in 万
    bare = "bare_lists" in nz and nz.rng.random() < 0.5
    if not exhaustive:
        # "其中" may list only some kinds, so parts short of the total are not a contradiction:
        # the N003 defect makes the parts overshoot the stated total.
        total = sum(counts) - abs(delta)
        if big and "wan_units" in nz:  # a total that 万 can state exactly
            total = (total // 100) * 100 if delta else -(-total // 100) * 100
        items = [f"{p}{c(n, '条')}" for p, n in zip(parts, counts)]
        if "nested_lists" in nz:  # one part broken down again: its sub-parts are not parts of the total
            i = nz.rng.randrange(len(items))
            a = nz.rng.randint(0, counts[i])
            b = nz.rng.randint(0, counts[i] - a)
            items[i] += f"（含{_SUBKINDS[0]}{c(a, '条')}、{_SUBKINDS[1]}{c(b, '条')}）"
        enum = "、".join(items)
        if bare:  # no 其中: the items follow the total at once, joined by 、
            active = f"全年共主动公开政府信息{c(total, '条')}，{enum}。"
        else:
            active = f"全年主动公开政府信息{c(total, '条')}，其中{enum}。"
    else:
        # "分别为" claims the list is exhaustive: any difference is a contradiction.
        total = sum(quarters) + delta
        enum = "，".join(f"第{q}季度{c(n, '条')}" for q, n in zip("一二三四", quarters))
        active = f"全年共主动公开政府信息{c(total, '条')}，分别为：{enum}。"
    if nar.stale_stat_year:
        active += f"{year - 1}年，在主动公开的{c(sum(counts), '条')}信息中，政策文件类信息占比较高。"
    if nar.normative is not None:
        word = "行政规范性文件" if fmt == "2021" else "规范性文件"
        active += rng.choice(("全年制发{w}{n}。", "本年度印发{w}{n}。")).format(w=word, n=c(nar.normative, "件"))
    if "nested_lists" in nz:
        a, b = nz.rng.randint(2, 40), nz.rng.randint(1, 30)
        a1 = nz.rng.randint(1, a)
        a2 = nz.rng.randint(0, a - a1)
        active += (f"全年办理人大代表建议和政协委员提案共{c(a + b, '件')}，其中人大代表建议{c(a, '件')}"
                   f"（含重点建议{c(a1, '件')}、一般建议{c(a2, '件')}）、政协委员提案{c(b, '件')}，均已按时办结。")
    if "bare_lists" in nz:
        # not parts of anything: other units, other things, a figure that is not a sum
        active += (f"全年组织政务公开培训{c(nz.rng.randint(1, 6), '次')}、参训人员{c(nz.rng.randint(20, 300), '人次')}，"
                   f"回应公众关切{c(nz.rng.randint(1, 40), '条')}。")
    if "year_comparisons" in nz:
        active += nz.rng.choice((f"主动公开信息数量较{year - 1}年增长{nz.rng.randint(2, 40)}%。",
                                 f"与{year - 1}年相比，主动公开信息数量有所增加。",
                                 f"{year - 1}年以来，{me}持续完善主动公开目录。"))
    active += "对涉及群众切身利益的重要政策，做到政策文件与解读材料同步起草、同步审签、同步发布。"
    if nar.received:
        apply = rng.choice(("全年共收到政府信息公开申请{n}", "本年度共收到政府信息公开申请{n}",
                            "全年新收政府信息公开申请{n}")).format(n=c(nar.received, "件"))
        if cells["applications.carried_over.total"]:
            apply += f"，上年结转{c(cells['applications.carried_over.total'], '件')}"
        apply += "，均在法定期限内予以答复。" if not cells["applications.carried_forward.total"] else \
            f"，结转下年度继续办理{c(cells['applications.carried_forward.total'], '件')}。"
    else:
        apply = rng.choice(("全年未收到政府信息公开申请", "本年度未收到政府信息公开申请"))
        carried = cells["applications.carried_over.total"]
        apply += f"，上年结转{c(carried, '件')}。" if carried else "。"
    if nar.review is not None:
        if nar.review == 0 and nar.litigation == 0 and rng.random() < 0.4:
            apply += "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"
        else:
            apply += rng.choice(("全年因政府信息公开引起行政复议{m}、行政诉讼{k}。",
                                 "因政府信息公开工作被申请行政复议{m}、被提起行政诉讼{k}。")).format(
                m=c(nar.review, "件") if nar.review else "0件", k=c(nar.litigation, "件") if nar.litigation else "0件")
    if "year_comparisons" in nz:
        apply += nz.rng.choice((f"针对{year - 1}年度报告中提出的问题，{me}已逐项整改。",
                                f"依申请公开数量与{year - 1}年基本持平。"))
    apply += "进一步规范依申请公开受理、审查、答复等环节，做到依法依规、及时准确。"
    blocks = [("主动公开情况", active), ("依申请公开情况", apply), ("政府信息管理情况", rng.choice(_MANAGE))]
    if nar.platform:
        platform = rng.choice(_PLATFORM)
        if "wan_units" in nz:
            platform += (f"全年网站访问量达{nz.rng.randint(11, 99) / 10:g}万人次，"
                         f"政务新媒体粉丝{nz.rng.randint(11, 99) / 10:g}万人。")
        blocks.append(("平台建设情况", platform))
    blocks.append(("监督保障情况", rng.choice(_SUPERVISE).format(n=rng.randint(1, 4))))
    inline = rng.random() < 0.5
    for i, (title, body) in enumerate(blocks):
        head = f"（{_CN_NUM[i]}）{title}"
        if inline:
            paras.append(f"{head}。{body}")
        else:
            paras += [head, body]
    return paras


_SUBKINDS = ("规范性文件", "其他文件")


def _section_five(rng: random.Random, ag: _Agency, fmt: str) -> list[str]:
    pairs = rng.sample(_PROBLEMS, rng.randint(2, 3))
    me = ag.self_ref
    paras = []
    if fmt == "2021":
        prev = rng.choice([p for p in _PROBLEMS if p not in pairs])
        paras.append(f"（一）上一年度问题整改情况。针对上一年度报告中提出的“{prev[0]}”问题，{me}{prev[1]}，"
                     "相关问题已整改到位。")
        paras.append("（二）存在的主要问题。" + "；".join(f"{_ordinal(i)}是{p}" for i, (p, _) in enumerate(pairs)) + "。")
        paras.append("（三）改进措施。" + "；".join(f"{_ordinal(i)}是{m}" for i, (_, m) in enumerate(pairs)) + "。")
    else:
        paras.append(f"{me}政府信息公开工作还存在一些不足：" +
                     "；".join(f"{_ordinal(i)}是{p}" for i, (p, _) in enumerate(pairs)) + "。")
        paras.append("下一步，" + "；".join(f"{_ordinal(i)}是{m}" for i, (_, m) in enumerate(pairs)) + "。")
    return paras


def _ordinal(i: int) -> str:
    return "一二三四五"[i]


def _section_six(rng: random.Random, ag: _Agency, fmt: str, year: int, fee_statement: bool) -> list[str]:
    extra = rng.choice((
        None,
        f"{year}年，{ag.self_ref}共承办人大代表建议{rng.randint(1, 9)}件、政协委员提案{rng.randint(1, 9)}件，"
        "均已按时办结并公开答复情况。",
        f"{year}年{rng.randint(5, 11)}月，{ag.self_ref}组织开展政府开放日活动，邀请人大代表、政协委员和群众代表参加。",
    ))
    paras = []
    if fee_statement:
        fee = rng.choice((None, None, rng.randint(1, 9) * 10))
        paras.append("本年度未收取信息处理费。" if fee is None else
                     f"依据《政府信息公开信息处理费管理办法》，本年度共收取信息处理费{fee}元。")
    if extra:
        paras.append(extra)
    if not paras:
        paras.append(rng.choice(("无。", "无其他需要报告的事项。")))
    return paras


# ====================================================================== assembly

_FIVE_TITLES = ("存在的主要问题及改进情况", "存在的主要问题和改进措施", "存在问题及下一步工作打算")


def generate(rng: random.Random | int, fmt: str = "2021", layout: str = "cells",
             defect: str | None = None, noise=None) -> SynthReport:
    """One synthetic report. Same seed and arguments → same report (all randomness from `rng`).

    `noise`: names from testkit/noises.py NOISES; they change how the report is written, never
    what it says (cells, facts and expected codes are those of the same report without noise).
    """
    if not isinstance(rng, random.Random):
        rng = random.Random(rng)
    if layout not in ALL_LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; one of {ALL_LAYOUTS}")
    if defect is not None and defect not in DEFECTS:
        raise ValueError(f"unknown defect {defect!r}; one of {sorted(DEFECTS)}")
    on = check_names(noise)
    # noise draws from its own generator (seeded without consuming `rng`): the base report stays the same
    nz = _NoiseCtx(on, random.Random(hash(rng.getstate()[1]) if on else 0))
    fmt = DEFECT_FORMAT.get(defect or "", fmt)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    style = _style(rng, layout)

    # 1. who, when, values
    ag = _agency(rng)
    if defect == "stale_format":
        year = rng.randint(2021, 2024)
    else:
        year = rng.randint(2019, 2020) if fmt == "2019" else rng.randint(2021, 2024)
    subrows = ["行政检查", "行政确认"] if fmt == "2019" and layout in ("cells", "tabs") and rng.random() < 0.25 else []
    busy = defect in ("a002_row_sum", "a003_outcome_sum")
    cells: dict = {}
    cells.update(_active_values(rng, fmt, subrows))
    cells.update(_applications_values(rng, fmt, busy))
    apps = cells["applications.new.total"] + cells["applications.carried_over.total"]
    cells.update(_litigation_values(rng, apps))

    # 2. cell defects
    omitted = _apply_cell_defect(rng, defect, fmt, cells)

    # 3. narrative (from the final values)
    review = cells["litigation.review.total"]
    suits = cells["litigation.direct.total"] + cells["litigation.after_review.total"]
    normative_col = "new_made" if fmt == "2019" else "issued"
    nar = _Narrative(
        received=cells["applications.new.total"],
        review=review if defect != "a004_litigation_total" and rng.random() < 0.85 else None,
        litigation=suits,
        normative=cells[f"active.normative_documents.{normative_col}"] if rng.random() < 0.8 else None,
        opening_year=year,
    )
    _apply_narrative_defect(rng, defect, fmt, cells, nar, year)

    # 4. tables
    cell_hooks = nz.hooks("cell")
    written_blank: dict[str, str] = {}  # blank cells the table noises write as "—", "/", "无" …
    if defect not in ("a002_row_sum", "blank_cell", "missing_rows", "missing_table"):
        for hook in nz.hooks("blank"):
            for key, written in hook(cells, fmt, nz.rng).items():
                cells[key] = None
                written_blank[key] = written

    flat = layout in FLAT_LAYOUTS
    if flat:  # a flattened page keeps the digits only: no units or separators in cells, no page furniture
        cell_hooks = []
    written: dict[str, str] = {}  # key -> the cell as written (flat layouts: what the oracle reads)

    def vt(key: str) -> str:
        if key in written_blank:
            text = written_blank[key]
        else:
            text = _value_text(key, cells[key], style, rng)
            for hook in cell_hooks:
                text = hook(key, text, nz.rng)
        written[key] = text
        return text

    dropped_table = next((k.split(".")[0] for k in omitted), None) if defect == "missing_table" else None
    rows = {
        "active": _active_rows(fmt, cells, subrows, vt, defect == "extra_row", rng),
        "applications": _application_rows(fmt, vt, omitted),
        "litigation": [_litigation_values_row(vt)],
    }
    grids: dict = {}
    render = _RENDERERS.get("tabs" if flat else layout) or _grid_marker(grids)
    tables = {name: ([] if name == dropped_table else render(name, rows[name], rng)) for name in TABLE_NAMES}
    for name_, hook in nz.named_hooks("table"):
        if flat and name_ == "page_furniture":
            continue
        tables = {name: (hook(name, "tabs" if flat else layout, lines, nz.rng) if lines else lines)
                  for name, lines in tables.items()}
    for hook in nz.hooks("grid"):
        grids = {name: hook(name, grid, nz.rng) for name, grid in grids.items()}

    # 5. document
    issued = _issue_date(rng, ag, year, defect)
    text = _assemble(rng, ag, year, fmt, defect, nar, cells, tables, style, issued, nz, flat)
    if style.halfwidth_punct:
        text = text.translate(str.maketrans("（）：，", "():,"))
    for name_, hook in nz.named_hooks("text"):
        if layout == "pdf" and name_ in _GLYPH_NOISES:
            continue
        text = hook(text, nz.rng)
    data, suffix = None, ".txt"
    if flat:
        text = _flatten(text, joined=layout == "flat_joined")
    if layout in FILE_LAYOUTS:
        data, suffix = _as_file(layout, text, grids, nz, rng)
        text = "\n".join("" if ln.startswith(_TABLE_MARK) else ln for ln in text.split("\n"))

    expected = {k: v for k, v in cells.items() if k not in omitted}
    period_end = year + 1 if defect == "period_two_years" else year
    end_day = "12-21" if defect == "period_wrong_end" else "12-31"
    facts = {
        "agency": None if defect == "no_title_agency" else ag.name,
        "year": year,
        "format_version": fmt,
        "period": None if defect == "no_period" else {"start": f"{year}-01-01", "end": f"{period_end}-{end_day}"},
        "issued_on": issued.isoformat(),
        "agency_kind": ag.kind,
    }
    codes = set() if defect is None else {DEFECTS[defect]} | set(DEFECT_COMPANIONS[defect])
    if written_blank:
        codes.add("S006")
    optional = {"S007"} if "label_slips" in on else set()
    if "page_metadata" in on and defect == "issued_late":
        optional.add("P008")  # the page's 发布日期 (when its style prints one) is the late date too
    if flat:
        expected, codes, optional = _flat_truth(expected, written, fmt, codes, optional, layout == "flat_joined")
    return SynthReport(text=text, cells=expected, facts=facts, layout=layout, fmt=fmt, defect=defect,
                       expected_codes=codes, noise=on, data=data, suffix=suffix, optional_codes=optional)


def _flatten(text: str, joined: bool) -> str:
    """Web text as crawlers keep it: the title lines, then the whole body on one line; table cells
    separated by one space, or (joined) by nothing at all."""
    lines = text.split("\n")
    head = 0
    while head < min(len(lines), 6) and "。" not in lines[head] and not lines[head].lstrip().startswith("一、"):
        head += 1
    body = []
    for ln in lines[head:]:
        ln = ln.strip(" 　")
        if not ln:
            continue
        if "\t" in ln:
            cells = [c.strip() for c in ln.split("\t") if c.strip()]
            ln = ("" if joined else " ").join(cells)
            ln = ln if joined else f" {ln} "
        body.append(ln)
    return "\n".join(lines[:head] + ["".join(body).replace("  ", " ")]) + "\n"


_FLAT_CELL_CODES = {"N001": ("applications.new.total",), "N002": ("litigation.review.total",),
                    "N004": ("active.normative_documents.issued", "active.normative_documents.new_made")}


def _flat_truth(cells: dict, written: dict, fmt: str, codes: set, optional: set, joined: bool):
    """What a careful reader recovers from flattened text (flat_oracle.py): rows that cannot be read
    leave the truth and S008 is expected; table checks on them become optional."""
    from testkit.flat_oracle import recoverable

    out: dict = {}
    unreadable = False
    for name in TABLE_NAMES:
        keys = [k for k in cells if k.startswith(name + ".")]
        if not keys:
            continue
        spec = table_spec(name, fmt)
        rows: dict[str, list[str]] = {}
        columns: dict[str, tuple[str, ...]] = {}
        if name == "litigation":
            lit = [f"litigation.{g}.{c}" for g in LITIGATION_GROUPS for c in LITIGATION_COLUMNS]
            rows["litigation.all"] = [written.get(k, "") for k in lit]
            columns["litigation.all"] = tuple(k.rsplit(".", 1)[1] for k in lit)
        else:
            for r in spec.rows:
                rk = f"{name}.{r.id}"
                row_keys = [f"{rk}.{c}" for c in r.columns]
                if all(k in cells for k in row_keys):
                    rows[rk] = [written.get(k, "") for k in row_keys]
                    columns[rk] = r.columns
        got = recoverable(rows, columns, name, fmt, joined)
        for rk, vals in got.items():
            if vals is None:
                unreadable = True
                continue
            if rk == "litigation.all":
                out.update({k: cells[k] for k in cells if k.startswith("litigation.")})
            else:
                out.update({k: cells[k] for k in cells if k.rsplit(".", 1)[0] == rk})
    codes = set(codes)
    for code in list(codes):
        needs = _FLAT_CELL_CODES.get(code)
        if code[0] == "A" or code in ("S005", "S006", "S007") or (needs and not any(k in out for k in needs)):
            codes.discard(code)
            optional = optional | {code}
    if unreadable:
        codes.add("S008")
    optional = optional | {"S005", "S007"}
    return out, codes, optional


_TABLE_MARK = "\x1e"  # a line standing for a table of a file layout, until the file is built


def _grid_marker(grids: dict):
    """The table renderer of the file layouts: lays the table out on the template's grid
    (documents.py) and leaves a marker line where it stands in the text."""
    from testkit import documents

    def render(name: str, rows: list, rng: random.Random) -> list[str]:
        grids[name] = documents.grid_of(name, rows)
        return [_TABLE_MARK + name]

    return render


# text noises a generated PDF cannot carry: its embedded font has no glyph for the radical code points
# (a real PDF's font has them), so the PDF layout leaves them out
_GLYPH_NOISES = frozenset({"radical_glyphs"})


def _as_file(layout: str, text: str, grids: dict, nz, rng: random.Random) -> tuple[bytes, str]:
    """The assembled report as an HTML page, a .docx or a PDF; text hooks (e.g. 繁體) reach the
    tables' cells too."""
    from testkit import documents

    text_hooks = [hook for name, hook in nz.named_hooks("text") if not (layout == "pdf" and name in _GLYPH_NOISES)]
    blocks: list = []
    for line in text.split("\n"):
        if line.startswith(_TABLE_MARK):
            grid = grids[line[1:]]
            for row in grid.rows:
                for cell in row:
                    for hook in text_hooks:
                        cell.text = hook(cell.text, nz.rng)
            blocks.append(("table", grid))
        else:
            blocks.append(("p", line))
    if layout == "html":
        return documents.to_html(blocks, rng).encode("utf-8"), ".html"
    if layout == "docx":
        return documents.to_docx(blocks), ".docx"
    font = documents.cjk_font()
    if font is None:
        raise RuntimeError("the pdf layout needs a CJK font: pip install justmytype-intl-cjk (the test extra)")
    return documents.to_pdf(blocks, font), ".pdf"


def table_rows_from_cells(cells: dict, fmt: str, rng: random.Random, subrows: list[str] | None = None
                          ) -> dict[str, list[str]]:
    """The three tables of `cells` (FORMAT.md keys) written one row per line ("tabs" layout).

    For re-typesetting a report whose own tables came in another layout (testkit/scan.py); a
    cell not in `cells` is left blank; `subrows` are the labels of 其他对外管理服务事项's sub-rows."""
    style = _Style(fullwidth=False, plus="", amount_unit=False, spaced_dates=False, para_blank=False,
                   indent="", halfwidth_punct=False)

    def vt(key: str) -> str:
        return _value_text(key, cells[key], style, rng) if key in cells else ""

    rows = {
        "active": _active_rows(fmt, cells, subrows or [], vt, False, rng),
        "applications": _application_rows(fmt, vt, set()),
        "litigation": [_litigation_values_row(vt)],
    }
    return {name: _render_tabs(name, rows[name], rng) for name in TABLE_NAMES}


def _apply_narrative_defect(rng: random.Random, defect: str | None, fmt: str, cells: dict, nar: _Narrative,
                            year: int) -> None:
    if defect == "n001_received":
        true, carried = cells["applications.new.total"], cells["applications.carried_over.total"]
        d = rng.randint(1, 5)
        while d == carried:  # "收到 N+结转" could be read as 共办理; keep the stated number unambiguous
            d += 1
        nar.received = true + d
    elif defect == "n002_litigation":
        if nar.review is None:
            nar.review = cells["litigation.review.total"]
        if rng.random() < 0.5:
            nar.review += rng.randint(1, 3)
        else:
            nar.litigation += rng.randint(1, 3)
    elif defect == "n003_enumeration":
        nar.enum_total_delta = rng.choice((-1, 1)) * rng.randint(1, 4)
    elif defect == "n004_normative":
        row = [v for k, v in cells.items() if k.startswith("active.normative_documents.")]
        stated = cells["active.normative_documents." + ("new_made" if fmt == "2019" else "issued")] + 1
        while stated in row:
            stated += 1
        nar.normative = stated
    elif defect == "narrative_other_year":
        nar.opening_year = year - 1
    elif defect == "stale_stat_year":
        nar.stale_stat_year = True
    elif defect == "q005_no_platform":
        nar.platform = False


def _issue_date(rng: random.Random, ag: _Agency, year: int, defect: str | None) -> dt.date:
    """Clean: 5–25 January of the next year, inside every deadline (条例 第四十九条)."""
    if defect == "issued_in_year":
        return dt.date(year, rng.randint(1, 11), rng.randint(1, 28))
    if defect == "issued_late":
        if ag.kind == "government":
            return dt.date(year + 1, 4, rng.randint(2, 28))
        return dt.date(year + 1, rng.randint(2, 3), rng.randint(3, 25))
    return dt.date(year + 1, 1, rng.randint(5, 25))


_NAV_TOP = ("您当前的位置：首页 » 信息公开 » 法定主动公开内容 » 政府信息公开年报", "当前位置：首页 > 政务公开 > 年度报告",
            "您所在的位置：首页 >> 政府信息公开 >> 政府信息公开年报")
_NAV_FIELDS = ("公开方式 主动公开", "公开方式：主动公开", "文号", "文号：无", "标题", "【字体：大 中 小】",
               "分享到：微信 微博 QQ空间", "浏览次数：128")
_NAV_BOTTOM = ("【打印本页】 【关闭窗口】", "分享到：", "扫一扫在手机打开当前页", "【我要纠错】", "相关链接",
               "网站标识码：3501000001 备案号：闽ICP备05005735号")


def _page_metadata(nz: _NoiseCtx, ag: _Agency, year: int, issued) -> list[str]:
    """The metadata table of a government portal page above the report (索引号 / 发布机构 / 名称 …)."""
    r = nz.rng
    index = f"{r.randint(10000000, 99999999)}X-{r.randint(1, 9):02d}-{year + 1}-{r.randint(1, 99):04d}"
    date = f"{issued.year}-{issued.month:02d}-{issued.day:02d}"
    style = r.randrange(3)
    if style == 0:  # one pipe row, as table cells copied to text
        return [f"索引号 | {index} | 分类 | 政府信息公开年报 | 发布机构 | {ag.name} | 成文日期 | {date} | 发布日期 | {date}", ""]
    if style == 1:  # one field per line
        return [f"索引号：{index}", "主题分类：政府信息公开年报", f"发布机构：{ag.name}", f"生成日期：{date}",
                "文号：", ""]
    return [f"名称：{ag.name}", f"索引号：{index}", "发文字号：", f"发布日期：{date}", ""]


def _contents(rng: random.Random, headings: list[str]) -> list[str]:
    """A table of contents of the part headings as printed (Word's 目录 field, copied as text)."""
    style = rng.choice(("dots", "ellipsis", "page", "bare"))
    # Word's 目录 often lists the sub-headings of part 一 too, with their page numbers
    subs = style != "bare" and rng.random() < 0.5
    out, page = [rng.choice(("目  录", "目录")), ""], 1

    def entry(text: str) -> str:
        return {"dots": f"{text} {'.' * rng.randint(8, 40)} {page}", "ellipsis": f"{text}{'…' * rng.randint(3, 12)}{page}",
                "page": f"{text}  {page}", "bare": text}[style]

    for i, heading in enumerate(headings):
        page += rng.randint(0, 3)
        out.append(entry(heading))
        if subs and i == 0:
            for k, sub in enumerate(rng.sample(_CONTENTS_SUBS, 3)):
                page += rng.randint(0, 1)
                out.append(entry(f"（{'一二三'[k]}）{sub}" if rng.random() < 0.7 else f"{'一二三'[k]}是{sub}。"))
    return out + [""]


_CONTENTS_SUBS = ("主动公开政府信息情况", "依申请公开情况", "政府信息管理情况", "平台建设情况", "监督保障情况",
                  "围绕机制保障强化公开", "健全工作机制")


def _assemble(rng: random.Random, ag: _Agency, year: int, fmt: str, defect: str | None, nar: _Narrative,
              cells: dict, tables: dict[str, list[str]], style: _Style, issued, nz: _NoiseCtx,
              flat: bool = False) -> str:
    sp = style.spaced_dates
    no_agency = defect == "no_title_agency"
    # noises that take the agency out of the title and the signature (it stays in the body / page)
    hidden = not no_agency and ("agency_in_body" in nz or "page_metadata" in nz)
    lines: list[str] = []

    def para(text: str) -> None:
        lines.append(style.indent + text)
        if style.para_blank:
            lines.append("")

    if "page_navigation" in nz:
        lines += [nz.rng.choice(_NAV_TOP), ""]
    elif rng.random() < 0.15:
        lines += ["首页 > 政务公开 > 政府信息公开年度报告", ""]
    if "page_metadata" in nz and not no_agency:
        lines += _page_metadata(nz, ag, year, issued)
    if "page_navigation" in nz:
        lines += nz.rng.sample(_NAV_FIELDS, 3) + [""]
    year_word = f"{year} 年" if sp else f"{year}年"
    if "cn_title_year" in nz:
        year_word = f"{cn_digits(year, nz.rng.choice('〇○零'))}年"
    if not no_agency:
        title = f"{year_word}{rng.choice(('', '度'))}政府信息公开工作年度报告"
        one_line = rng.random() < 0.3
        if hidden:
            title_lines = [title]
        elif one_line:
            title_lines = [ag.name + title]
        else:
            title_lines = [ag.name] + ([""] if rng.random() < 0.5 else []) + [title]
        if "split_title" in nz:
            full = ("" if hidden else ag.name) + title
            if nz.rng.random() < 0.3:  # a page that sets a blank line between the halves, cut after the year
                cut = full.index("年") + 1
                title_lines = [full[:cut], "", full[cut:]]
            else:
                cut = nz.rng.randint(3, len(full) - 4)
                title_lines = [full[:cut], full[cut:]]
        lines += title_lines + [""]
    basis = ("《中华人民共和国政府信息公开工作年度报告格式（试行）》" if fmt == "2019" else
             "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）")
    pre = f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{basis}要求，编制本报告。"
    if "agency_in_body" in nz and not no_agency:
        pre = nz.rng.choice((f"{ag.name}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{basis}要求，编制本报告。",
                             f"本报告由{ag.name}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和{basis}要求编制。"))
    if defect != "no_period":
        end = year + 1 if defect == "period_two_years" else year
        end_day = (12, 21) if defect == "period_wrong_end" else (12, 31)
        if "period_spelling" in nz:
            pre += spell_period(year, end, end_day, nz.rng)
        else:
            a, b = _date_text(year, 1, 1, sp), _date_text(end, *end_day, sp)
            pre += rng.choice((f"本报告所列数据的统计期限自{a}起至{b}止。", f"本报告中所列数据的统计期限自{a}至{b}。",
                               f"本报告所列数据统计期限为{a}至{b}。"))
    contents_at = len(lines)
    if not no_agency and rng.random() < 0.5:
        pre += f"如对本报告有任何疑问，请与{ag.name}办公室联系（联系电话：0{rng.randint(100, 999)}-{rng.randint(2000000, 8999999)}）。"
    para(pre)

    five_title = rng.choice(_FIVE_TITLES)
    # number, heading, body lines, whether the body is narrative (paragraphs) or a rendered table
    sections: list[tuple[int, str, list[str], bool]] = [
        (1, "一、总体情况", _section_one(rng, ag, year, fmt, cells, nar, nz), True)]
    for n, name in ((2, "active"), (3, "applications"), (4, "litigation")):
        sections.append((n, TABLE_TITLES[name], tables[name], False))
    sections.append((5, "五、" + five_title, _section_five(rng, ag, fmt), True))
    # 2021 template: say whether 信息处理费 was charged; a stale-format report of 2021+ says it too
    fee = (fmt == "2021" and defect != "q004_no_fee") or defect == "stale_format"
    sections.append((6, "六、其他需要报告的事项", _section_six(rng, ag, fmt, year, fee), True))

    if defect == "missing_section":
        drop = rng.choice((5, 6))
        sections = [s for s in sections if s[0] != drop]
    elif defect == "sections_swapped":
        a_, b_ = rng.choice(((5, 6), (2, 3), (3, 4), (1, 2)))
        i, j = a_ - 1, b_ - 1
        sections[i], sections[j] = sections[j], sections[i]

    if "lost_numbering" in nz and not flat and defect not in ("sections_swapped", "missing_section"):
        # Word's automatic numbering lost in the export: the official title alone on its line (a
        # flattened page has no lines to keep it apart: there the noise does nothing)
        official = [i for i, (n, heading, _, _) in enumerate(sections)
                    if n in (2, 3, 4, 6) or heading == "五、存在的主要问题及改进情况"]
        for i in nz.rng.sample(official, min(len(official), nz.rng.randint(1, 2))):
            n, heading, body, narrative = sections[i]
            sections[i] = (n, heading.split("、", 1)[1], body, narrative)
    if "contents_page" in nz and not flat:
        # under the title, or between the preamble and part 一 (its last entry right above the body's
        # first heading)
        at = contents_at if nz.rng.random() < 0.5 else len(lines)
        lines[at:at] = _contents(nz.rng, [heading for _, heading, _, _ in sections])
    for _, heading, body, narrative in sections:
        lines.append(heading)
        if narrative:
            for p in body:
                para(p)
        else:
            lines += body
            lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    date_style = "cn" if "cn_issue_date" in nz else "plain"
    date = spell_date(issued.year, issued.month, issued.day, date_style) if date_style == "cn" else \
        _date_text(issued.year, issued.month, issued.day, sp)
    signer = None if no_agency or hidden else ag.name
    if "flattened_signature" in nz:
        lines[-1] += "特此报告。" + (f"{signer} " if signer else "") + date
    else:
        lines.append("")
        if signer:
            lines.append(signer)
        lines.append(date)
    if "page_navigation" in nz:
        lines += [""] + nz.rng.sample(_NAV_BOTTOM, 3)
    return "\n".join(lines) + "\n"
