"""What every per-report renderer shows, as plain data: headline facts, findings grouped by
severity and code, the rubric, the summary and the extracted tables.

Why here: markdown, HTML and Word show the same content; each renderer only decides how it
looks (and escapes every value, since most of it comes from the report).
"""

from __future__ import annotations

from ..models import SEVERITY_ORDER, AuditResult, Finding
from ..schema import (APPLICATION_COLUMN_LABELS, APPLICATION_COLUMNS, LITIGATION_COLUMN_LABELS, LITIGATION_COLUMNS,
                      LITIGATION_GROUP_LABELS, LITIGATION_GROUPS, TABLE_NAMES, TABLE_TITLES, table_spec)

SEVERITIES = ("error", "warning", "info")
SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
SEV_TITLE = {"error": "错误（error）", "warning": "警告（warning）", "info": "提示（info）"}
TABLE_STATUS = {"parsed": "已完整解析", "partial": "部分解析（缺行）", "unparsed": "无法解析", "missing": "缺失"}
FORMAT_ZH = {"2019": "2019（国办公开办函〔2019〕60号）", "2021": "2021（国办公开办函〔2021〕30号）"}
CRITERION_STATUS = {"not scored": "未评分", "not assessable": "无法评估", "partial": "部分评估",
                    "partially assessable": "部分评估", "not applicable": "不适用"}


def num(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() else f"{x:g}"
    return str(x)


def at_least(result: AuditResult, min_severity: str = "info") -> AuditResult:
    """The result as shown with `--min-severity`: findings below it neither shown nor counted.
    The rubric is kept as scored (it rests on every finding)."""
    limit = SEVERITY_ORDER[min_severity]
    kept = [f for f in result.findings if SEVERITY_ORDER[f.severity] <= limit]
    if len(kept) == len(result.findings):
        return result
    return result.model_copy(update={"findings": kept})


def score_pair(result: AuditResult) -> tuple[float, float] | None:
    """(score, denominator) of the rubric as scored: the full total when every criterion was
    scored, else the scored part over the points it could give (never full marks for what
    could not be assessed). None without a rubric."""
    rub = result.rubric or {}
    pairs = (("score", "denominator"), ("total", "denominator"), ("scored_total", "denominator"),
             ("total", "max"), ("scored_total", "scored_max"))
    for a, b in pairs:
        x, y = rub.get(a), rub.get(b)
        if isinstance(x, (int, float)) and isinstance(y, (int, float)) and y:
            return float(x), float(y)
    return None


def score_text(result: AuditResult) -> str:
    """"45 / 60", or "—" when there is no score."""
    pair = score_pair(result)
    return "—" if pair is None else f"{num(pair[0])} / {num(pair[1])}"


def score_note(result: AuditResult) -> str:
    rub = result.rubric or {}
    pair = score_pair(result)
    if pair is None:
        return "未评分"
    full = rub.get("max")
    if rub.get("complete") or not isinstance(full, (int, float)) or pair[1] >= full:
        return f"{score_text(result)}（满分 {num(pair[1])}）"
    return f"{score_text(result)}（满分 {num(full)} 中有 {num(full - pair[1])} 分的指标未评分或无法评估，不计入）"


def location(f: Finding | object) -> str:
    """"第2页第14行", "第14行", or "—" when the finding has no line."""
    line = getattr(f, "line", None)
    page = getattr(f, "page", None)
    place = getattr(f, "place", None)
    if line is None:
        return "—"
    if place:
        return place  # a Word table row: "第2个表格第5行"
    return (f"第{page}页" if page else "") + f"第{line}行"


def code_title(code: str) -> str:
    from ..checks import catalogue

    return catalogue().get(code, {}).get("title", "")


def grouped(result: AuditResult) -> list[tuple[str, list[tuple[str, list[Finding]]]]]:
    """[(severity, [(code, findings of that code in text order)])], severities in order, codes
    in order of their first finding: one heading per code, however many places it fires."""
    out = []
    for sev in SEVERITIES:
        codes: dict[str, list[Finding]] = {}
        for f in result.findings:
            if f.severity == sev:
                codes.setdefault(f.code, []).append(f)
        if codes:
            out.append((sev, list(codes.items())))
    return out


def counts_text(result: AuditResult) -> str:
    c = result.counts()
    return f"错误 {c['error']}，警告 {c['warning']}，提示 {c['info']}"


def headline(result: AuditResult) -> list[tuple[str, str]]:
    """(label, value) rows of the header table. Values are raw: the renderer escapes them."""
    f = result.facts
    c = f.cells

    def cell(key: str) -> str:
        return ("（空）" if c[key] is None else num(c[key])) if key in c else "—"

    suit, note = "—", ""
    direct, after = c.get("litigation.direct.total"), c.get("litigation.after_review.total")
    if direct is not None and after is not None:
        suit = num(direct + after)
    elif direct is not None or after is not None:  # one group left blank: show what is there, say so
        blank = "复议后起诉" if direct is not None else "未经复议直接起诉"
        suit, note = num(direct if direct is not None else after), f"（{blank}总计为空）"
    sections = "、".join("一二三四五六"[s.number - 1] + f"（第{s.line}行）" for s in f.sections if 1 <= s.number <= 6)
    return [
        ("发布机关", f.agency or "未找到"),
        ("报告年度", str(f.year) if f.year else "未找到"),
        ("表格格式", FORMAT_ZH.get(f.format_version or "", "未识别")),
        ("统计期限", f"{f.period.start} 至 {f.period.end}" if f.period else "未写明"),
        ("成文日期", f.issued_on or "未找到"),
        ("得分", score_note(result)),
        ("各部分", sections or "未找到"),
        ("本年新收申请", f"{cell('applications.new.total')} 件（上年结转 {cell('applications.carried_over.total')}，"
                   f"办理结果总计 {cell('applications.total.total')}，结转下年 {cell('applications.carried_forward.total')}）"),
        ("行政复议 / 行政诉讼", f"{cell('litigation.review.total')} / {suit} 件{note}"),
        ("发现", counts_text(result)),
    ]


def llm_status(result: AuditResult) -> str:
    s = result.llm
    if s.ran:
        dropped = f"；{s.dropped} 项无法核验已剔除" if s.dropped else ""
        return (f"大模型部分：已运行（调用 {s.calls} 次，输入 {s.prompt_tokens} / 输出 {s.completion_tokens} tokens"
                f"{dropped}）")
    return (f"大模型部分未运行（{s.skipped_reason or '未配置大模型'}）：总体情况与问题改进摘要、N005 叙述矛盾、"
            "Q001–Q003 质量判断和评分中的判断类指标均未生成；以上发现全部来自确定性规则。")


def summary_sections(result: AuditResult) -> list[tuple[str, list[tuple[str, int | None, str]]]]:
    """[(heading, [(text, line, quote)])] of the verified LLM summary; [] without one."""
    s = result.summary
    if not s:
        return []

    def items(key: str, prefix=None):
        out = []
        for p in s.get(key, []) or []:
            text = str(p.get("text", ""))
            if prefix:
                text = prefix(p) + text
            out.append((text, p.get("line"), str(p.get("quote", ""))))
        return out

    def answers(m):
        got = "、".join(m.get("answers", []) or []) or "未对应任何问题"
        return f"{m.get('id', '')} → {got}："

    return [("总体情况", items("overall")),
            ("存在的主要问题", items("problems", lambda p: f"{p.get('id', '')} ")),
            ("改进情况", items("improvements", answers))]


def rubric_rows(result: AuditResult) -> list[list[str]]:
    """Rows [编号, 指标, 方式, 得分, 满分, 说明] of the rubric as the rubric dict holds it."""
    rub = result.rubric or {}
    rows = []
    for c in rub.get("criteria", []) or []:
        status = c.get("status", "")
        score = c.get("score")
        label = CRITERION_STATUS.get(status)
        if score is None:
            shown = label or "未评分"
        elif label and status != "not scored":
            shown = f"{num(score)}（{label}）"  # e.g. "4（部分评估）": scored on what could be assessed
        else:
            shown = num(score)
        reason = str(c.get("reason", ""))
        if c.get("level"):
            reason = f"{c['level']} 档（{c.get('level_text', '')}）：{reason}"
        for ev in (c.get("evidence") or [])[:1]:
            reason += f"（第{ev.get('line')}行：“{ev.get('quote', '')}”）"
        rows.append([str(c.get("id", "")), str(c.get("name", "")), "规则" if c.get("kind") == "rule" else "大模型",
                     shown, num(c.get("max")), reason])
    return rows


def table_blocks(result: AuditResult, name: str) -> tuple[str, str, list[tuple[list[str], list[list[str]]]]]:
    """(title, status line, [(header, rows)]) of one extracted table, for the reviewer to compare
    with the report. A missing row is shown as "（缺）" with dashes, a blank cell as "（空）"."""
    res = next((t for t in result.tables if t.name == name), None)
    title = TABLE_TITLES[name]
    if res is None:
        return title, "未抽取。", []
    status = f"状态：{TABLE_STATUS.get(res.status, res.status)}" + (f"；{res.reason}" if res.reason else "") + (
        f"；版式：{res.layout}" if res.layout else "")
    if res.status in ("missing", "unparsed"):
        return title, status, []
    cells = result.facts.cells

    def v(key: str) -> str:
        if key not in cells:
            return "—"
        return "（空）" if cells[key] is None else num(cells[key])

    from ..schema import assumed_format

    fmt = res.format_version or assumed_format(result.facts.format_version, result.facts.year)
    if name == "litigation":
        header = ["类别"] + [LITIGATION_COLUMN_LABELS[c] for c in LITIGATION_COLUMNS]
        rows = [[LITIGATION_GROUP_LABELS[g]] + [v(f"litigation.{g}.{c}") for c in LITIGATION_COLUMNS]
                for g in LITIGATION_GROUPS]
        return title, status, [(header, rows)]
    spec = table_spec(name, fmt)
    if name == "applications":
        header = ["行"] + [APPLICATION_COLUMN_LABELS[c] for c in APPLICATION_COLUMNS]
        row_ids = [row.id for row in spec.rows]
        if any(k.startswith("applications.other.") for k in cells) and "other" not in row_ids:
            row_ids.insert(row_ids.index("other_1"), "other")
        known = {x.id for x in spec.rows}
        rows = []
        for rid in row_ids:
            keys = [f"applications.{rid}.{c}" for c in APPLICATION_COLUMNS]
            label = (spec.row(rid).label if rid in known else "其他处理").split("（区分")[0]
            if not any(k in cells for k in keys):
                rows.append([f"{label}（缺）"] + ["—"] * len(keys))
            else:
                rows.append([label] + [v(k) for k in keys])
        return title, status, [(header, rows)]
    groups: dict[str, list] = {}
    for row in spec.rows:
        groups.setdefault(row.group, []).append(row)
    blocks = []
    for group, specs in groups.items():
        cols = specs[0].columns
        header = [group] + [spec.column_labels[c] for c in cols]
        rows = []
        for row in specs:
            keys = [f"active.{row.id}.{c}" for c in cols]
            if not any(k in cells for k in keys):
                rows.append([f"{row.label}（缺）"] + ["—"] * len(cols))
                continue
            rows.append([row.label] + [v(k) for k in keys])
            n = 1
            while f"active.{row.id}.{n}.{cols[0]}" in cells:
                sub = res.row_labels.get(f"active.{row.id}.{n}", f"子项{n}")
                rows.append([f"└ {sub}"] + [v(f"active.{row.id}.{n}.{c}") for c in cols])
                n += 1
        blocks.append((header, rows))
    return title, status, blocks


def all_tables(result: AuditResult):
    return [table_blocks(result, name) for name in TABLE_NAMES]


def evidence_lines(f: Finding) -> list[tuple[int, str]]:
    """(line, quote) of a finding and its related evidence, for highlighting the report text."""
    out = []
    if f.line is not None:
        out.append((f.line, f.quote))
    out += [(e.line, e.quote) for e in f.related if e.line is not None]
    return out
