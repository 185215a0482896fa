"""A — the 勾稽关系 of the tables. A relation is checked only when every cell it needs was read."""

from __future__ import annotations


from .. import pattern_cache
from ..schema import APPLICATION_COLUMNS, LITIGATION_COLUMNS, LITIGATION_GROUP_LABELS, LITIGATION_GROUPS, OUTCOME_ROWS
from . import Context, check


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _all(ctx: Context, keys: list[str]) -> list | None:
    """The values of `keys`, or None when any is absent or blank (the relation is then not checked)."""
    cells = ctx.cells
    vals = []
    for k in keys:
        v = cells.get(k)
        if v is None:
            return None
        vals.append(v)
    # OCR: a relation that needs a cell read below the confidence threshold is not checked, so a
    # misread digit never becomes an arithmetic error; S012 (checks/ocr_cells.py) lists the cell.
    low = ctx.facts.low_confidence_cells
    if low and any(k in low for k in keys):
        return None
    return vals


def _col_name(col: str) -> str:
    from ..schema import APPLICATION_COLUMN_LABELS

    return APPLICATION_COLUMN_LABELS[col]


@check("A001")
def carried_balance(ctx: Context):
    """一 + 二 = 三（七）+ 四 per column (the note printed in the table header)."""
    for col in APPLICATION_COLUMNS:
        keys = [f"applications.{r}.{col}" for r in ("new", "carried_over", "total", "carried_forward")]
        vals = _all(ctx, keys)
        if vals is None:
            continue
        new, carried, total, forward = vals
        left, right = new + carried, total + forward
        if left != right:
            line, quote = ctx.row_evidence("applications.total")
            yield ctx.finding(
                "A001",
                f"三表“{_col_name(col)}”列：本年新收{_fmt(new)} + 上年结转{_fmt(carried)} = {_fmt(left)}，"
                f"但办理结果总计{_fmt(total)} + 结转下年{_fmt(forward)} = {_fmt(right)}（相差{_fmt(left - right)}）。",
                line, quote, cells=dict(zip(keys, vals)),
                related=[e for e in (ctx.cell_evidence(keys[0]), ctx.cell_evidence(keys[3])) if e])


@check("A002")
def row_totals(ctx: Context):
    rows = list(dict.fromkeys(k.split(".")[1] for k in ctx.cells if k.startswith("applications.")))
    parts = APPLICATION_COLUMNS[:-1]
    for row in rows:
        keys = [f"applications.{row}.{c}" for c in parts]
        vals = _all(ctx, keys + [f"applications.{row}.total"])
        if vals is None:
            continue
        total = vals[-1]
        s = sum(vals[:-1])
        if s != total:
            line, quote = ctx.row_evidence(f"applications.{row}")
            label = ctx.label(f"applications.{row}.total").split("·")[0]
            detail = " + ".join(f"{_col_name(c)}{_fmt(v)}" for c, v in zip(parts, vals[:-1]))
            yield ctx.finding("A002", f"三表“{label}”行：{detail} = {_fmt(s)}，但总计为{_fmt(total)}（相差{_fmt(s - total)}）。",
                              line, quote, cells=dict(zip(keys + [f"applications.{row}.total"], vals)))


@check("A003")
def outcome_totals(ctx: Context):
    outcome_rows = list(OUTCOME_ROWS[ctx.fmt])
    if ctx.fmt == "2021" and "applications.other.total" in ctx.cells and "applications.other_1.total" not in ctx.cells:
        outcome_rows = [r for r in outcome_rows if not r.startswith("other_")] + ["other"]
    for col in APPLICATION_COLUMNS:
        keys = [f"applications.{r}.{col}" for r in outcome_rows]
        vals = _all(ctx, keys + [f"applications.total.{col}"])
        if vals is None:
            continue
        total = vals[-1]
        s = sum(vals[:-1])
        if s != total:
            line, quote = ctx.row_evidence("applications.total")
            nonzero = [f"{ctx.label(k).split('·')[0]}{_fmt(v)}" for k, v in zip(keys, vals[:-1]) if v]
            yield ctx.finding(
                "A003",
                f"三表“{_col_name(col)}”列：各办理结果之和为{_fmt(s)}（{'、'.join(nonzero) or '均为0'}），"
                f"但（七）总计为{_fmt(total)}（相差{_fmt(s - total)}）。",
                line, quote, cells=dict(zip(keys + [f"applications.total.{col}"], vals)))


@check("A004")
def litigation_totals(ctx: Context):
    for g in LITIGATION_GROUPS:
        keys = [f"litigation.{g}.{c}" for c in LITIGATION_COLUMNS]
        vals = _all(ctx, keys)
        if vals is None:
            continue
        *parts, total = vals
        s = sum(parts)
        if s != total:
            ev = ctx.cell_evidence(keys[-1])
            line, quote = (ev.line, ev.quote) if ev else ctx.anchor()
            detail = f"结果维持{_fmt(parts[0])} + 结果纠正{_fmt(parts[1])} + 其他结果{_fmt(parts[2])} + 尚未审结{_fmt(parts[3])}"
            yield ctx.finding("A004", f"四表“{LITIGATION_GROUP_LABELS[g]}”：{detail} = {_fmt(s)}，但总计为{_fmt(total)}"
                                      f"（相差{_fmt(s - total)}）。", line, quote, cells=dict(zip(keys, vals)))


@check("A005")
def cumulative_below_year(ctx: Context):
    """The cumulative column below the year's. In the 2021 table a document issued this year may be
    repealed this year too: 现行有效 3 − 1 = 2 after 制发 3, 废止 1 is no defect, so the bound there is
    制发 − 废止 (a blank 废止 counts as none)."""
    for row, row_label in (("regulations", "规章"), ("normative_documents", "规范性文件")):
        if ctx.fmt == "2019":
            keys = [f"active.{row}.total_published", f"active.{row}.new_published"]
            vals = _all(ctx, keys)
            if vals is None or vals[0] >= vals[1]:
                continue
            message = f"对外公开总数量{_fmt(vals[0])}小于本年新公开数量{_fmt(vals[1])}，累计数不应小于本年数。"
        else:
            keys = [f"active.{row}.in_force", f"active.{row}.issued"]
            vals = _all(ctx, keys)
            if vals is None:
                continue
            repealed = ctx.cells.get(f"active.{row}.repealed") or 0
            if vals[0] >= vals[1] - repealed:
                continue
            if repealed:
                keys.append(f"active.{row}.repealed")
                vals = [*vals, repealed]
                message = (f"现行有效件数{_fmt(vals[0])}小于本年制发件数{_fmt(vals[1])}减去本年废止件数{_fmt(repealed)}"
                           f"（{_fmt(vals[1] - repealed)}）：即使本年制发的全部在本年废止，现行有效的也不应少于此数。")
            else:
                message = f"现行有效件数{_fmt(vals[0])}小于本年制发件数{_fmt(vals[1])}，累计数不应小于本年数。"
        line, quote = ctx.row_evidence(f"active.{row}")
        yield ctx.finding("A005", f"二表“{row_label}”：{message}", line, quote, cells=dict(zip(keys, vals)))


@check("A006")
def negative_counts(ctx: Context):
    for key, value in ctx.cells.items():
        if value is None or value >= 0 or key.endswith(".change"):
            continue
        if key in ctx.facts.low_confidence_cells:  # OCR, low confidence: S012 instead (see _all)
            continue
        ev = ctx.cell_evidence(key)
        line, quote = (ev.line, ev.quote) if ev else ctx.anchor()
        yield ctx.finding("A006", f"“{ctx.label(key)}”为负数{_fmt(value)}，该项只能是0或正数。", line, quote,
                          cells={key: value})


@check("A007")
def previous_plus_change(ctx: Context):
    if ctx.fmt != "2019":
        return
    rows = sorted({k.rsplit(".", 1)[0] for k in ctx.cells if k.startswith("active.") and k.endswith(".change")})
    for row in rows:
        vals = _all(ctx, [f"{row}.previous", f"{row}.change"])
        if vals is None:
            continue
        if vals[0] + vals[1] < 0:
            line, quote = ctx.row_evidence(row)
            yield ctx.finding("A007", f"二表“{ctx.label(row + '.previous').split('·')[0]}”：上一年项目数量{_fmt(vals[0])}"
                                      f"加本年增/减{_fmt(vals[1])}为{_fmt(vals[0] + vals[1])}，项目数不可能为负。",
                              line, quote, cells={f"{row}.previous": vals[0], f"{row}.change": vals[1]})


@check("A008")
def procurement_pairs(ctx: Context):
    if ctx.fmt != "2019":
        return
    vals = _all(ctx, ["active.procurement.projects", "active.procurement.amount"])
    if vals is None:
        return
    projects, amount = vals
    if (projects == 0) != (amount == 0):
        line, quote = ctx.row_evidence("active.procurement")
        yield ctx.finding("A008", f"二表“政府集中采购”：采购项目数量{_fmt(projects)}，采购总金额{_fmt(amount)}，二者应同为0或同不为0。",
                          line, quote, cells={"active.procurement.projects": projects, "active.procurement.amount": amount})


@check("A009")
def identical_triples(ctx: Context):
    if ctx.fmt != "2019":
        return
    for row in ("licensing", "other_services", "penalty", "enforcement"):
        keys = [f"active.{row}.{c}" for c in ("previous", "change", "decisions")]
        vals = _all(ctx, keys)
        if vals is None or vals[0] == 0 or len(set(vals)) != 1:
            continue
        line, quote = ctx.row_evidence(f"active.{row}")
        yield ctx.finding("A009", f"二表“{ctx.label(keys[0]).split('·')[0]}”三列均为{_fmt(vals[0])}（上一年项目数量、本年增/减、"
                                  f"处理决定数量），疑似把一个数填进了各列，请核实。", line, quote, cells=dict(zip(keys, vals)))


# Bodies that cannot make 规章 (立法法第九十三条: only the governments of provinces, 设区的市 and
# 自治州 make local rules; 国务院部门 departmental rules): townships, streets, counties, districts
# and development zones, and their departments. Read from the agency's name; a name that does not
# say (XX市人民政府: a 设区的市 or a 县级市?) is never judged.
# a township is 乡/镇 after its name and before the end of the name or what a township's body is called
# ("××镇人民政府", "××乡便民服务中心") — not 城乡 / 乡村振兴 / 乡镇企业, not 镇江 / 镇雄 (cities named 镇…)
_NO_RULES = pattern_cache.compile(r"(?<=[\u4e00-\u9fff])(?<!城)[乡镇](?=$|人民政府|政府|党|便民|综合|财政|机关|办|[（(])|"
                       r"街道|苏木|县|旗|开发区|高新区|园区|"
                       r"(?<!自治)(?<!行政)(?<!实验)(?<!试验)(?<!示范)(?<!合作)(?<!新)(?<!贸)区(?!域)")
# (special zones — 新区, 综合实验区, 自贸区 — vary in level and in the powers delegated to them: not judged)


def _below_rule_making(agency: str | None) -> str | None:
    if not agency:
        return None
    found = [m.group(0) for m in _NO_RULES.finditer(agency)]
    # the most local level named ("某某县某某镇人民政府" is a township's)
    return min(found, key=lambda w: _LOCAL_FIRST.index(w) if w in _LOCAL_FIRST else len(_LOCAL_FIRST)) if found else None


_LOCAL_FIRST = ("乡", "镇", "街道", "苏木", "开发区", "高新区", "园区", "区", "县", "旗")


@check("A010")
def rules_from_a_body_without_rule_making_power(ctx: Context):
    level = _below_rule_making(ctx.facts.agency)
    if level is None:
        return
    # rules made (2021: issued, repealed, in force; 2019: 新制作 only — 新公开 / 对外公开总数 may count
    # rules of the level above that the body published); never a cell recovered from run-together digits
    cols = ("issued", "repealed", "in_force") if ctx.fmt == "2021" else ("new_made",)
    keys = [f"active.regulations.{c}" for c in cols]
    uncertain = set(ctx.facts.recovered_cells) | set(ctx.facts.low_confidence_cells)
    filled = {k: ctx.cells[k] for k in keys
              if isinstance(ctx.cells.get(k), (int, float)) and ctx.cells[k] > 0 and k not in uncertain}
    if not filled:
        return
    line, quote = ctx.row_evidence("active.regulations")
    shown = "、".join(f"{ctx.label(k).split('·')[-1]}{_fmt(v)}" for k, v in filled.items())
    yield ctx.finding("A010", f"发布机关“{ctx.facts.agency}”属县级及以下机关或其部门（名称含“{level}”），无权制定规章"
                              f"（《立法法》第九十三条），"
                              f"二表“规章”一行却填报了数量（{shown}）；常见原因是把规范性文件或上级规章计入此行，请核实。",
                      line, quote, cells=filled)
