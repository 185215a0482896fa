"""S — structure: sections present and in order, title and agency, tables present and complete."""

from __future__ import annotations

import re

from ..models import Evidence
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
        msg = "报告没有标题，标题位置和落款都找不到发布机关名称（正文中提到的机关名称不作为发布机关）；报告以此行开头。"
    elif not f.title:
        where = ("仅见于落款" if f.signature_line and f.agency_line == f.signature_line
                 else f"见于第{f.agency_line}行" if f.agency_line else "见于正文")
        msg = f"报告开头没有“××年政府信息公开工作年度报告”式的标题（发布机关“{f.agency}”{where}）。"
    else:
        msg = f"标题“{f.title}”中没有发布机关名称，落款也没有。"
        line, quote = f.title_line or line, ctx.doc.full_quote(f.title_line) if f.title_line else quote
    yield ctx.finding("S003", msg, line, quote)


def _table_words_anywhere(ctx: Context, name: str) -> bool:
    from ..tables.extract import HEADER_ONLY, missing_reason

    text = "\n".join(ln.text for ln in ctx.doc.lines)
    return missing_reason(name, text) == HEADER_ONLY


@check("S004", "S008")
def tables_present(ctx: Context):
    present = {s.number: s for s in ctx.facts.sections}
    for name, res in ctx.tables.items():
        sec = present.get(_TABLE_SECTION[name])
        if res.status == "missing":
            if sec:
                line, quote = sec.line, ctx.doc.full_quote(sec.line)
                msg = f"“{TABLE_TITLES[name]}”{res.reason or '标题下没有表格文字（表格缺失）'}。"
            else:
                line, quote = ctx.anchor()
                msg = f"全文没有“{TABLE_TITLES[name]}”统计表（既无标题也无表格行）。"
                if _table_words_anywhere(ctx, name):
                    msg = f"全文没有“{TABLE_TITLES[name]}”的标题，也未读出该表的数值（文中只见到它的表头或行名）。"
            yield ctx.finding("S004", msg, line, quote)
        elif res.status == "unparsed":
            line = res.first_line or (sec.line if sec else ctx.anchor()[0])
            quote = ctx.doc.full_quote(line)
            if sec is not None and sec.end_line <= sec.line:
                # flattened text: cite the section's own heading inside the long line
                quote = f"{'一二三四五六'[sec.number - 1]}、{sec.title}"
            elif len(quote) > 120:
                quote = quote[:120]
            yield ctx.finding("S008", f"“{TABLE_TITLES[name]}”无法解析：{res.reason}。", line, quote)
        elif res.unreadable_rows:
            # one finding per table for all its rows whose values could not be placed in columns
            keys = list(res.unreadable_rows)
            line = res.row_lines.get(keys[0]) or res.first_line or ctx.anchor()[0]
            # the first such row's label with its numbers (a flattened line is too long to quote whole)
            quote = res.row_quotes.get(keys[0]) or ctx.doc.full_quote(line)
            shown = "；".join(res.unreadable_rows[k] for k in keys[:6]) + (f"；等{len(keys)}行" if len(keys) > 6 else "")
            yield ctx.finding("S008", f"“{TABLE_TITLES[name]}”有{len(keys)}行的数值无法对应到列，未提取（不推测、不按空格处理，"
                                      f"相关勾稽核算已跳过）：{shown}。", line, quote)


@check("S005")
def missing_rows(ctx: Context):
    for name, res in ctx.tables.items():
        if res.status != "partial" or not res.missing_rows or name == "litigation":
            continue
        spec = table_spec(name, res.format_version or ctx.fmt)
        # a row whose label the page damaged ("政许可" for 行政许可) is there: S007 names it, with the
        # template row it is nearest to; only rows with no such stand-in are missing
        damaged = {extra.get("nearest") for extra in res.extra_rows}
        missing = [r for r in res.missing_rows if spec.row(r).label not in damaged]
        if missing and missing[0] == spec.rows[0].id and any((extra.get("nearest") or "").startswith("（这是表头的列名")
                                                              for extra in res.extra_rows):
            missing = missing[1:]  # the first row under the header lost its name: S007 says so
        if not missing:
            continue
        labels = [spec.row(r).label.split("（区分")[0] for r in missing]
        # cite where the gap is: the row read just before the first missing one, else the table's start
        ids = [r.id for r in spec.rows]
        first_missing = ids.index(missing[0])
        before = [rid for rid in ids[:first_missing] if f"{name}.{rid}" in res.row_lines]
        if before:
            line = res.row_lines[f"{name}.{before[-1]}"]
            where = f"缺行从第{line}行之后开始"
        else:
            line = res.first_line
            where = f"表格从第{line}行才开始，此前的行缺失" if line else ""
        quote = ctx.doc.full_quote(line) if line else ctx.anchor()[1]
        shown = "、".join(labels[:12]) + (f"等{len(labels)}行" if len(labels) > 12 else "")
        yield ctx.finding("S005", f"“{TABLE_TITLES[name]}”缺少模板中的{len(labels)}行：{shown}"
                                  f"{'（' + where + '，常见原因：跨页丢失）' if where else ''}。"
                                  f"缺行的数值未作推测，相关勾稽核算已跳过。", line or ctx.anchor()[0], quote)


@check("S009")
def section_numbering(ctx: Context):
    from ..headings import alt_numbered, heading_numeral

    # headings numbered as sub-items ("(二)主动公开政府信息情况", "1. 总体情况"): one finding for all
    styled = [sec for sec in sorted(ctx.facts.sections, key=lambda s: s.line)
              if not sec.col and heading_numeral(ctx.doc.line(sec.line).text) is None
              and alt_numbered(ctx.doc.line(sec.line).text.strip()) == sec.number]
    if styled:
        num = "一二三四五六"
        listed = "、".join(f"“{ctx.doc.line(sec.line).text.strip()}”" for sec in styled)
        official = "、".join(f"“{num[sec.number - 1]}、”" for sec in styled)
        yield ctx.finding("S009", f"{listed}按小标题的样式编号，按官方格式应为{official}（已按第"
                                  f"{'、'.join(num[sec.number - 1] for sec in styled)}部分识别）。",
                          styled[0].line, ctx.doc.full_quote(styled[0].line))

    num = "一二三四五六七八"
    # one cause, one finding: consecutive headings off by the same amount (one section inserted or
    # dropped shifts every heading after it) are one S009
    runs: list[list[tuple]] = []
    current: list[tuple] = []
    for sec in sorted(ctx.facts.sections, key=lambda s: (s.line, s.col)):
        written = heading_numeral(ctx.doc.line(sec.line).text) if not sec.col else None
        shift = (written - sec.number) if written else 0
        if shift and current and current[-1][2] == shift:
            current.append((sec, written, shift))
            continue
        if current:
            runs.append(current)
        current = [(sec, written, shift)] if shift else []
    if current:
        runs.append(current)
    for run in runs:
        first = run[0][0]
        parts = "、".join(f"“{sec.title}”编号为“{num[w - 1]}、”" for sec, w, _ in run)
        should = "、".join(f"第{num[sec.number - 1]}部分" for sec, _, _ in run)
        cause = "（同一处编号错位，后续标题随之错位）" if len(run) > 1 else ""
        yield ctx.finding("S009", f"{parts}，按官方格式应为{should}{cause}。", first.line, ctx.doc.full_quote(first.line))


_MAX_S006_ROWS = 3  # more rows with blanks than this in one table: one summary finding


@check("S006")
def empty_cells(ctx: Context):
    by_row: dict[str, list[str]] = {}
    for key, value in ctx.cells.items():
        if value is None:
            row = key.rsplit(".", 1)[0]
            by_row.setdefault(row, []).append(key)
    by_table: dict[str, list[str]] = {}
    for row in by_row:
        by_table.setdefault(row.split(".")[0], []).append(row)
    for table, rows in by_table.items():
        if len(rows) <= _MAX_S006_ROWS or table == "litigation":
            continue
        keys = [k for r in rows for k in by_row.pop(r)]
        res = ctx.tables[table]
        lines = [res.row_lines[r] for r in rows if res.row_lines.get(r)]
        line = min(lines) if lines else res.first_line  # the first blank row in the text, not in dict order
        order = {c: i for i, c in enumerate(table_spec(table, ctx.fmt).column_labels)}
        cols = list(dict.fromkeys(ctx.label(k).split("·")[-1]
                                  for k in sorted(keys, key=lambda k: order.get(k.rsplit(".", 1)[1], 99))))
        yield ctx.finding("S006", f"“{TABLE_TITLES[table]}”有{len(rows)}行共{len(keys)}个空单元格（涉及列：{'、'.join(cols)}；"
                                  f"首个在第{line}行）。空格按“无数据”处理，未当作0参与核算；没有数据时应填0。",
                          line, ctx.doc.full_quote(line), cells={k: None for k in keys})
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
        yield ctx.finding("S006", f"单元格为空：{names}。空格按“无数据”处理，未当作0参与核算。",
                          line, ctx.doc.full_quote(line), cells={k: None for k in keys})


@check("S007")
def extra_rows(ctx: Context):
    for name, res in ctx.tables.items():
        for extra in res.extra_rows:
            nearest = extra.get("nearest") or ""
            if nearest and nearest.replace("行政", "") == extra["label"].replace("行政", ""):
                hint = "（与模板行同名：重复出现，或位置不符合模板顺序）"
            else:
                hint = f"，最接近的模板行为“{nearest}”" if nearest and not nearest.startswith("（") else nearest
            yield ctx.finding("S007", f"“{TABLE_TITLES[name]}”中有模板外的行“{extra['label']}”{hint}。",
                              extra["line"], ctx.doc.full_quote(extra["line"]))


def _agency_key(name: str) -> str:
    """The name without spaces and brackets, and without the generic tail a signature adds or drops
    ("杨林镇人民政府" / "衡阳市衡东县杨林镇", "××街道办事处" / "××街道", "××苏木党政综合办公室" / "××苏木":
    a township signing through its own office), and without a 政府 written into a department's
    short name ("××自治区政府国资委"): one body, not two."""
    key = re.sub(r"[\s（）()“”]", "", name)
    key = re.sub(r"(?<=[镇乡木])(?:人民政府|政府)?(?:党政(?:综合)?办公室|党政办)?$|(?<=街道)(?:办事处)?(?:党政(?:综合)?办公室|党政办)?$",
                 "", key) or key
    return re.sub(r"(?<=[省市区县州旗盟])政府(?=[\u4e00-\u9fff]{2,4}$)", "", key) or key


def _one_slip(a: str, b: str) -> bool:
    """Two long names one character apart, a character dropped in one ("威海市文登人民政府办公室" /
    "威海市文登区人民政府办公室"): a slip in writing one body's name, not two bodies. (One character
    *changed* is not tolerated: "东区" / "西区" are two bodies.)"""
    if min(len(a), len(b)) < 8 or abs(len(a) - len(b)) != 1:
        return False
    short, long_ = sorted((a, b), key=len)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def _same_body(x: str, y: str) -> bool:
    """One body under two spellings: one name inside the other, one character dropped, or one the
    abbreviation of the other (its characters in order within the other's: 亳州高新区 /
    亳州高新技术产业开发区管理委员会, 住建局 / 住房和城乡建设局, 发改局 / 发展和改革局)."""
    a, b = _agency_key(x), _agency_key(y)
    return a in b or b in a or _one_slip(a, b) or _abbreviates(a, b) or _abbreviates(b, a)


def _abbreviates(short: str, long_: str) -> bool:
    if len(short) < 3 or len(short) >= len(long_):
        return False
    rest = iter(long_)
    return all(ch in rest for ch in short)


@check("S010")
def agency_consistency(ctx: Context):
    f = ctx.facts
    if not f.agency or f.agency_line is None:
        return
    sig = (f.signature_agency, f.signature_line) if f.signature_agency else None
    if sig and sig[1] != f.agency_line and not _same_body(f.agency, sig[0]):
        yield ctx.finding("S010", f"标题中的发布机关“{f.agency}”与第{sig[1]}行落款“{sig[0]}”不一致（疑为套用其他单位文稿）。",
                          sig[1], ctx.doc.full_quote(sig[1]),
                          related=[Evidence(line=f.agency_line, quote=ctx.doc.full_quote(f.agency_line))])
        return
    if f.agency_line != f.title_line:
        return  # the agency was not read from a title: nothing to hold the preamble against
    from ..title import report_named_in_body

    second = next((s.line for s in f.sections if s.number == 2), None)
    named = report_named_in_body(ctx.doc, f.agency_line + 1, second or min(f.agency_line + 40, ctx.doc.n))
    if named and not _same_body(f.agency, named[0]):
        yield ctx.finding("S010", f"正文第{named[1]}行称本报告为“{named[0]}”的年度报告，与标题中的发布机关“{f.agency}”"
                                  "不一致（疑为套用其他单位文稿）。", named[1], ctx.doc.full_quote(named[1]),
                          related=[Evidence(line=f.agency_line, quote=ctx.doc.full_quote(f.agency_line))])
