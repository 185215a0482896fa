"""S — structure: sections present and in order, title and agency, tables present and complete."""

from __future__ import annotations

from ..schema import SECTIONS, TABLE_TITLES, table_spec
from . import Context, check

_TABLE_SECTION = {"active": 2, "applications": 3, "litigation": 4}


@check("S001")
def missing_sections(ctx: Context):
    present = {s.number: s for s in ctx.facts.sections}
    for spec in SECTIONS:
        if spec.number in present:
            continue
        later = [s for s in ctx.facts.sections if s.number > spec.number]
        if later:
            anchor = min(later, key=lambda s: s.line)
            line, quote = anchor.line, ctx.doc.full_quote(anchor.line)
            where = f"应位于第{line}行“{anchor.title}”之前"
        else:
            line, quote = ctx.anchor()
            where = "全文未找到"
        hint = ""
        table = next((t for t, n in _TABLE_SECTION.items() if n == spec.number), None)
        if table and ctx.tables[table].status in ("parsed", "partial") and ctx.tables[table].first_line:
            hint = f"（第{ctx.tables[table].first_line}行起有该部分表格内容，标题可能在跨页或复制时丢失）"
        yield ctx.finding("S001", f"缺少第{'一二三四五六'[spec.number - 1]}部分“{spec.title}”的标题，{where}{hint}。",
                          line, quote)


@check("S002")
def section_order(ctx: Context):
    secs = sorted(ctx.facts.sections, key=lambda s: s.line)
    for prev, cur in zip(secs, secs[1:]):
        if cur.number < prev.number:
            yield ctx.finding("S002", f"第{cur.line}行“{cur.title}”出现在第{prev.line}行“{prev.title}”之后，顺序颠倒。",
                              cur.line, ctx.doc.full_quote(cur.line))


@check("S003")
def title_and_agency(ctx: Context):
    f = ctx.facts
    if f.title and f.agency:
        return
    line, quote = ctx.anchor()
    if not f.title and not f.agency:
        msg = "报告没有标题，全文（标题、落款）也找不到发布机关名称；报告以此行开头。"
    elif not f.title:
        msg = f"报告开头没有“××年政府信息公开工作年度报告”式的标题（发布机关“{f.agency}”仅见于落款）。"
    else:
        msg = f"标题“{f.title}”中没有发布机关名称，落款也没有。"
        line, quote = f.title_line or line, ctx.doc.full_quote(f.title_line) if f.title_line else quote
    yield ctx.finding("S003", msg, line, quote)


@check("S004", "S008")
def tables_present(ctx: Context):
    present = {s.number: s for s in ctx.facts.sections}
    for name, res in ctx.tables.items():
        sec = present.get(_TABLE_SECTION[name])
        if res.status == "missing":
            if sec:
                line, quote = sec.line, ctx.doc.full_quote(sec.line)
                msg = f"“{TABLE_TITLES[name]}”标题下没有表格文字：{res.reason or '表格缺失'}。"
            else:
                line, quote = ctx.anchor()
                msg = f"全文没有“{TABLE_TITLES[name]}”统计表（既无标题也无表格行）。"
            yield ctx.finding("S004", msg, line, quote)
        elif res.status == "unparsed":
            line = res.first_line or (sec.line if sec else ctx.anchor()[0])
            quote = ctx.doc.full_quote(line)
            if len(quote) > 120:
                quote = quote[:120]
            yield ctx.finding("S008", f"“{TABLE_TITLES[name]}”无法解析：{res.reason}。", line, quote)


@check("S005")
def missing_rows(ctx: Context):
    for name, res in ctx.tables.items():
        if res.status != "partial" or not res.missing_rows or name == "litigation":
            continue
        spec = table_spec(name, res.format_version or ctx.fmt)
        labels = [spec.row(r).label.split("（区分")[0] for r in res.missing_rows]
        line = res.first_line
        quote = ctx.doc.full_quote(line) if line else ctx.anchor()[1]
        shown = "、".join(labels[:12]) + (f"等{len(labels)}行" if len(labels) > 12 else "")
        yield ctx.finding("S005", f"“{TABLE_TITLES[name]}”缺少模板中的{len(labels)}行：{shown}。"
                                  f"缺行的数值未作推测，相关勾稽核算已跳过。", line or ctx.anchor()[0], quote)


@check("S006")
def empty_cells(ctx: Context):
    by_row: dict[str, list[str]] = {}
    for key, value in ctx.cells.items():
        if value is None:
            row = key.rsplit(".", 1)[0]
            by_row.setdefault(row, []).append(key)
    for row, keys in by_row.items():
        table = row.split(".")[0]
        res = ctx.tables[table]
        if table == "litigation":
            line, _ = res.sources.get(keys[0], (res.first_line, ""))
        else:
            line = res.row_lines.get(row) or res.sources.get(keys[0], (res.first_line, ""))[0]
        if line is None:
            continue
        names = "、".join(ctx.label(k) for k in keys)
        extra = f"（{res.reason}）" if res.reason and "单元格" in res.reason and table != "litigation" else ""
        yield ctx.finding("S006", f"单元格为空：{names}。空格按“无数据”处理，未当作0参与核算{extra}。",
                          line, ctx.doc.full_quote(line), cells={k: None for k in keys})


@check("S007")
def extra_rows(ctx: Context):
    for name, res in ctx.tables.items():
        for extra in res.extra_rows:
            nearest = extra.get("nearest") or ""
            hint = f"，最接近的模板行为“{nearest}”" if nearest and not nearest.startswith("（") else nearest
            yield ctx.finding("S007", f"“{TABLE_TITLES[name]}”中有模板外的行“{extra['label']}”{hint}。",
                              extra["line"], ctx.doc.full_quote(extra["line"]))
