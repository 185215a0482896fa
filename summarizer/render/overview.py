"""The batch overview: ranking, index.md, overview.csv rows and the overview workbook.

Why one module: every overview ranks the batch the same way (most in need of review first).
"""

from __future__ import annotations

import csv
import io

from ..models import AuditResult


def _score(r: AuditResult):
    """The rubric total; without an LLM, the total of the rule-scored criteria (same for every report)."""
    for k in ("total", "scored_total"):
        v = (r.rubric or {}).get(k)
        if isinstance(v, (int, float)):
            return v
    return None


def ranked(results: list[AuditResult], names: list[str]) -> list[tuple[AuditResult, str]]:
    """Most in need of review first: unreadable, then most errors, lowest score, most warnings."""
    def key(rn):
        r, name = rn
        c = r.counts()
        s = _score(r)
        return (0 if r.error else 1, -c["error"], s if s is not None else float("inf"), -c["warning"], name)

    return sorted(zip(results, names), key=key)


def overview_markdown(results: list[AuditResult], names: list[str], pairs=None, notes=None) -> str:
    n_err = sum(1 for r in results if r.has_error_finding)
    n_bad = sum(1 for r in results if r.error)
    n_llm = sum(1 for r in results if r.llm.ran)
    out = ["# 批量审查总览", "",
           f"共 {len(results)} 份报告：{n_err} 份有错误级发现，{n_bad} 份无法审查，{n_llm} 份运行了大模型。"
           "按错误数、得分（低者在前）、警告数排序。", "",
           "| 排名 | 报告 | 机关 | 年度 | 格式 | 错误 | 警告 | 提示 | 得分 | 代码 |",
           "|---|---|---|---|---|---|---|---|---|---|"]
    for rank, (r, name) in enumerate(ranked(results, names), 1):
        link = f"[{_md_cell(name[:-3])}]({name.replace(' ', '%20')})"
        if r.error:
            out.append(f"| {rank} | {link} | 无法审查：{_md_cell(r.error)} | | | | | | | |")
            continue
        c = r.counts()
        s = _score(r)
        codes = " ".join(sorted({f.code for f in r.findings}))
        out.append(f"| {rank} | {link} | {_md_cell(r.facts.agency or '—')} | {r.facts.year or '—'} | "
                   f"{r.facts.format_version or '—'} | {c['error']} | {c['warning']} | {c['info']} | "
                   f"{'—' if s is None else s} | {codes} |")
    if pairs is not None:
        out += ["", "## 跨年度比对", ""]
        if not pairs:
            out.append("批次中没有同一机关相邻年度的报告，未做跨年度比对。")
        for p in sorted(pairs, key=lambda p: (names[p.cur])):
            a, b = results[p.prev], results[p.cur]
            if p.codes:
                found = "发现 " + "、".join(sorted(p.codes))
            elif p.compared:
                found = f"比对 {p.compared} 项，均一致"
            else:
                found = "表格未能解析，无可比数据"
            out.append(f"- {_md_cell(b.facts.agency or '')}：[{names[p.prev][:-3]}]({names[p.prev]})（{a.facts.year}）→ "
                       f"[{names[p.cur][:-3]}]({names[p.cur]})（{b.facts.year}）：{found}")
        for n in notes or []:
            out.append(f"- 注：{n}")
        out += ["", "配置大模型时，另对每对报告检查“上年报告所列问题本年是否说明整改”（X004，引文双方核验）；"
                    "未配置或使用 --no-llm 时此项未检查。"]
    return "\n".join(out) + "\n"


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


OVERVIEW_FIELDS = ["rank", "report"]


def overview_rows(results: list[AuditResult], names: list[str]) -> list[dict]:
    from .machine import csv_row

    return [{"rank": rank, "report": name, **csv_row(r)} for rank, (r, name) in enumerate(ranked(results, names), 1)]


def overview_csv(rows: list[dict]) -> str:
    from .machine import CSV_FIELDS

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=OVERVIEW_FIELDS + CSV_FIELDS)
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def overview_xlsx(rows: list[dict]) -> bytes | None:
    """The same table as overview.csv, with links to the per-report files; None without openpyxl."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError:
        return None
    from .machine import CSV_FIELDS

    wb = Workbook()
    ws = wb.active
    ws.title = "overview"
    fields = OVERVIEW_FIELDS + CSV_FIELDS
    ws.append(fields)
    for c in ws[1]:
        c.font = Font(bold=True)
    link_font = Font(color="0563C1", underline="single")
    for n, row in enumerate(rows, start=2):
        ws.append([row.get(f, "") for f in fields])
        cell = ws.cell(row=n, column=2)
        cell.hyperlink = row["report"]
        cell.font = link_font
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
