"""Markdown findings for a reviewer: headline facts, findings with evidence, the tables as read."""

from __future__ import annotations

from ..models import AuditResult, Finding
from ..schema import (APPLICATION_COLUMN_LABELS, APPLICATION_COLUMNS, LITIGATION_COLUMN_LABELS, LITIGATION_COLUMNS,
                      LITIGATION_GROUP_LABELS, LITIGATION_GROUPS, TABLE_TITLES, table_spec)

_SEV_TITLE = {"error": "错误（error）", "warning": "警告（warning）", "info": "提示（info）"}
_STATUS = {"parsed": "已完整解析", "partial": "部分解析（缺行）", "unparsed": "无法解析", "missing": "缺失"}


def _esc(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _v(value) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _where(page: int | None, line: int | None) -> str:
    """"第2页 第14行" for paged inputs (PDF, OCR), "第14行" otherwise."""
    return (f"第{page}页 " if page else "") + f"第{line}行"


def _finding(f: Finding) -> list[str]:
    src = "（大模型发现，引文已核验）" if f.source == "llm" else ""
    out = [f"- **{f.code}** {f.message}{src}",
           f"  - {_where(f.page, f.line)}：「{_esc(f.quote[:200])}{'…' if len(f.quote) > 200 else ''}」"]
    for e in f.related:
        out.append(f"  - {_where(e.page, e.line)}：「{_esc(e.quote[:200])}」")
    return out


def _headline(r: AuditResult) -> list[str]:
    f = r.facts
    period = f"{f.period.start} 至 {f.period.end}" if f.period else "未写明"
    fmt = {"2019": "2019（国办公开办函〔2019〕60号）", "2021": "2021（国办公开办函〔2021〕30号）"}.get(
        f.format_version or "", "未识别")
    c = f.cells
    counts = r.counts()

    def cell(key: str) -> str:
        return _v(c[key]) if key in c else "—"

    lit_suit = "—"
    if c.get("litigation.direct.total") is not None and c.get("litigation.after_review.total") is not None:
        lit_suit = _v(c["litigation.direct.total"] + c["litigation.after_review.total"])
    return [
        "| 项目 | 内容 |",
        "|---|---|",
        f"| 发布机关 | {_esc(f.agency or '未找到')} |",
        f"| 报告年度 | {f.year or '未找到'} |",
        f"| 表格格式 | {fmt} |",
        f"| 统计期限 | {period} |",
        f"| 成文日期 | {f.issued_on or '未找到'} |",
        f"| 各部分 | {'、'.join('一二三四五六'[s.number - 1] + f'（第{s.line}行）' for s in f.sections) or '未找到'} |",
        f"| 本年新收申请 | {cell('applications.new.total')} 件（上年结转 {cell('applications.carried_over.total')}，"
        f"办理结果总计 {cell('applications.total.total')}，结转下年 {cell('applications.carried_forward.total')}） |",
        f"| 行政复议 / 行政诉讼 | {cell('litigation.review.total')} / {lit_suit} 件 |",
        f"| 发现 | 错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['info']} |",
    ] + [f"| 文字来源 | {_esc(note)} |" for note in r.input_notes]  # e.g. OCR and its mean confidence


def _table_md(r: AuditResult, name: str) -> list[str]:
    res = next((t for t in r.tables if t.name == name), None)
    title = TABLE_TITLES[name]
    if res is None:
        return [f"### {title}", "", "未抽取。", ""]
    head = [f"### {title}", "", f"状态：{_STATUS[res.status]}" + (f"；{res.reason}" if res.reason else "")
            + (f"；版式：{res.layout}" if res.layout else ""), ""]
    cells = r.facts.cells
    if res.status in ("missing", "unparsed"):
        return head
    fmt = res.format_version or r.facts.format_version or "2021"
    if name == "litigation":
        lines = ["| 类别 | " + " | ".join(LITIGATION_COLUMN_LABELS[c] for c in LITIGATION_COLUMNS) + " |",
                 "|---" * (len(LITIGATION_COLUMNS) + 1) + "|"]
        for g in LITIGATION_GROUPS:
            lines.append(f"| {LITIGATION_GROUP_LABELS[g]} | " + " | ".join(
                _v(cells.get(f"litigation.{g}.{c}")) if f"litigation.{g}.{c}" in cells else "—"
                for c in LITIGATION_COLUMNS) + " |")
        return head + lines + [""]
    spec = table_spec(name, fmt)
    lines: list[str] = []
    if name == "applications":
        lines += ["| 行 | " + " | ".join(APPLICATION_COLUMN_LABELS[c] for c in APPLICATION_COLUMNS) + " |",
                  "|---" * (len(APPLICATION_COLUMNS) + 1) + "|"]
        row_ids = [row.id for row in spec.rows]
        if any(k.startswith("applications.other.") for k in cells) and "other" not in row_ids:
            row_ids.insert(row_ids.index("other_1"), "other")
        for rid in row_ids:
            keys = [f"applications.{rid}.{c}" for c in APPLICATION_COLUMNS]
            label = spec.row(rid).label if rid in [x.id for x in spec.rows] else "其他处理"
            label = label.split("（区分")[0]
            if not any(k in cells for k in keys):
                lines.append(f"| {_esc(label)}（缺） | " + " | ".join("—" for _ in keys) + " |")
            else:
                lines.append(f"| {_esc(label)} | " + " | ".join(_v(cells.get(k)) for k in keys) + " |")
        return head + lines + [""]
    groups: dict[str, list] = {}
    for row in spec.rows:
        groups.setdefault(row.group, []).append(row)
    for group, rows in groups.items():
        cols = rows[0].columns
        lines += [f"| {_esc(group)} | " + " | ".join(spec.column_labels[c] for c in cols) + " |",
                  "|---" * (len(cols) + 1) + "|"]
        for row in rows:
            keys = [f"active.{row.id}.{c}" for c in cols]
            if not any(k in cells for k in keys):
                lines.append(f"| {_esc(row.label)}（缺） | " + " | ".join("—" for _ in cols) + " |")
                continue
            lines.append(f"| {_esc(row.label)} | " + " | ".join(_v(cells.get(k)) for k in keys) + " |")
            n = 1
            while f"active.{row.id}.{n}.{cols[0]}" in cells:
                sub = res.row_labels.get(f"active.{row.id}.{n}", f"子项{n}")
                lines.append(f"| └ {_esc(sub)} | " + " | ".join(_v(cells.get(f"active.{row.id}.{n}.{c}")) for c in cols) + " |")
                n += 1
        lines.append("")
    return head + lines


def render_report(r: AuditResult, llm_section: str = "") -> str:
    """The markdown a reviewer reads for one report."""
    name = r.file
    if r.error:
        return f"# {name}\n\n**无法审查**：{r.error}\n"
    out = [f"# 年报审查：{_esc(r.facts.title or r.facts.agency or name)}", "", f"文件：`{name}`", ""]
    out += _headline(r) + [""]
    out += ["## 发现", ""]
    if not r.findings:
        out += ["未发现问题。", ""]
    for sev in ("error", "warning", "info"):
        group = [f for f in r.findings if f.severity == sev]
        if group:
            out += [f"### {_SEV_TITLE[sev]}：{len(group)} 条", ""]
            for f in group:
                out += _finding(f)
            out.append("")
    if llm_section:
        out += [llm_section.rstrip(), ""]
    if not llm_section:
        out += [_llm_line(r), ""]
    out += ["## 抽取的统计表（供核对）", ""]
    for name_ in ("active", "applications", "litigation"):
        out += _table_md(r, name_)
    return "\n".join(out).rstrip() + "\n"


def _llm_line(r: AuditResult) -> str:
    s = r.llm
    if s.ran:
        note = f"；{s.dropped} 项无法核验已丢弃" if s.dropped else ""
        extra = "；".join(s.notes)
        return (f"> 大模型部分：已运行（调用 {s.calls} 次，输入 {s.prompt_tokens} / 输出 {s.completion_tokens} tokens{note}）"
                + (f"；{extra}" if extra else ""))
    reason = s.skipped_reason or "未配置大模型"
    return (f"> 大模型部分未运行（{reason}）：总体情况与问题改进摘要、N005 叙述矛盾、Q001–Q003 质量判断和评分中的"
            f"判断项均未生成；以上发现全部来自确定性规则。")
