"""The batch overview: ranking, index.md, overview.csv and the counts by code.

Why one module: every overview (index.md, index.html, overview.csv / .xlsx / .docx) ranks the
batch the same way — most in need of review first — and lists the files that were not audited
with what to do; the format modules only lay it out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ..models import SEVERITY_ORDER, AuditResult
from .common import code_title, num, score_pair, score_text
from .escape import link_target, md, sheet_text


@dataclass
class Row:
    """One audited input in the ranking."""

    rank: int
    result: AuditResult
    name: str  # its output file, relative to the output folder
    label: str  # its input name, relative to the folder given


@dataclass
class Batch:
    rows: list[Row]  # ranked
    input_rows: list[Row]  # the same rows in input order (cross-year pairs index these)
    skipped: list = field(default_factory=list)  # pipeline.Skipped
    pairs: list | None = None
    notes: list[str] = field(default_factory=list)
    fmt: str = "md"

    @classmethod
    def of(cls, plan, results: list[AuditResult], pairs=None, notes=None) -> "Batch":
        items = [(r, plan.names[i], plan.label(i)) for i, r in enumerate(results)]
        rows = [Row(n, r, name, label) for n, (r, name, label) in enumerate(ranked(items), 1)]
        by_name = {row.name: row for row in rows}
        input_rows = [by_name[plan.names[i]] for i in range(len(results))]
        return cls(rows=rows, input_rows=input_rows, skipped=list(plan.skipped), pairs=pairs,
                   notes=list(notes or []), fmt=plan.fmt)

    @property
    def results(self) -> list[AuditResult]:
        return [row.result for row in self.rows]

    def summary_line(self) -> str:
        results = self.results
        n_err = sum(1 for r in results if r.has_error_finding)
        n_bad = sum(1 for r in results if r.error)
        n_llm = sum(1 for r in results if r.llm.ran)
        skipped = f"，另有 {len(self.skipped)} 个文件未审查" if self.skipped else ""
        return (f"共 {len(results)} 份报告：{n_err} 份有错误级发现，{n_bad} 份无法审查，{n_llm} 份运行了大模型{skipped}。"
                "按错误数、得分（低者在前）、警告数排序。")


def ranked(items: list[tuple[AuditResult, str, str]]) -> list[tuple[AuditResult, str, str]]:
    """Most in need of review first: unreadable, then most errors, lowest score, most warnings."""
    def key(item):
        r, name, _label = item
        c = r.counts()
        pair = score_pair(r)
        ratio = pair[0] / pair[1] if pair else float("inf")
        return (0 if r.error else 1, -c["error"], ratio, -c["warning"], name)

    return sorted(items, key=key)


def statistics(results: list[AuditResult]) -> list[dict]:
    """Counts by code across the batch: [{code, severity, title, findings, reports}], most first."""
    counts: dict[str, dict] = {}
    for r in results:
        for code in {f.code for f in r.findings}:
            counts.setdefault(code, {"findings": 0, "reports": 0})["reports"] += 1
        for f in r.findings:
            entry = counts[f.code]
            entry["findings"] += 1
            entry["severity"] = f.severity
    rows = [{"code": c, "severity": e["severity"], "title": code_title(c), "findings": e["findings"],
             "reports": e["reports"]} for c, e in counts.items()]
    return sorted(rows, key=lambda e: (-e["findings"], SEVERITY_ORDER[e["severity"]], e["code"]))


RANKING_HEAD = ["排名", "报告", "机关", "年度", "格式", "错误", "警告", "提示", "得分", "代码"]


def ranking_cells(r: AuditResult) -> list:
    """The ranking's columns after 排名 and 报告, for an audited report (raw: the caller escapes)."""
    c = r.counts()
    return [r.facts.agency or "—", r.facts.year or "—", r.facts.format_version or "—", c["error"], c["warning"],
            c["info"], score_text(r), " ".join(sorted({f.code for f in r.findings}))]


def index_markdown(batch: Batch) -> str:
    out = ["# 批量审查总览", "", batch.summary_line(), "",
           "“得分 x / y”：y 是本报告能评分的指标的满分（未评分或无法评估的指标不计入），x 是所得分数。"
           "点击报告名打开该报告的审查意见。", "",
           "| " + " | ".join(RANKING_HEAD) + " |", "|---" * len(RANKING_HEAD) + "|"]
    for row in batch.rows:
        link = f"[{md(row.label)}]({link_target(row.name)})"
        if row.result.error:
            out.append(f"| {row.rank} | {link} | 无法审查：{md(row.result.error)} | | | | | | | |")
            continue
        out.append(f"| {row.rank} | {link} | " + " | ".join(md(x) for x in ranking_cells(row.result)) + " |")
    if batch.skipped:
        out += ["", "## 未审查的文件", "", "下列文件没有审查，请按说明处理后重新运行：", "",
                "| 文件 | 原因与处理 |", "|---|---|"]
        out += [f"| {md(s.rel)} | {md(s.reason)} |" for s in batch.skipped]
    if batch.pairs is not None:
        out += _cross_year(batch)
    for note in batch.notes:
        out.append(f"- 注：{md(note)}")
    return "\n".join(out) + "\n"


def _cross_year(batch: Batch) -> list[str]:
    out = ["", "## 跨年度比对", ""]
    if not batch.pairs:
        out.append("批次中没有同一机关相邻年度的报告，未做跨年度比对。")
    for p in sorted(batch.pairs or [], key=lambda p: batch.input_rows[p.cur].name):
        a, b = batch.input_rows[p.prev], batch.input_rows[p.cur]
        if p.codes:
            found = "发现 " + "、".join(sorted(p.codes))
        elif p.compared:
            found = f"比对 {p.compared} 项，均一致"
        else:
            found = "表格未能解析，无可比数据"
        out.append(f"- {md(b.result.facts.agency or '')}：[{md(a.label)}]({link_target(a.name)})（{a.result.facts.year}）→ "
                   f"[{md(b.label)}]({link_target(b.name)})（{b.result.facts.year}）：{found}")
    out += ["", "配置大模型时，另对每对报告检查“上年报告所列问题本年是否说明整改”（X004，引文双方核验）；"
                "未配置或使用 --no-llm 时此项未检查。"]
    return out


CSV_HEAD = ["rank", "report"]


def overview_rows(batch: Batch) -> list[dict]:
    """overview.csv rows: the ranking, then one row per file not audited (input_error says why)."""
    from .machine import csv_row

    rows = [{"rank": row.rank, "report": row.name, **csv_row(row.result)} for row in batch.rows]
    for s in batch.skipped:
        rows.append({"rank": "", "report": "", "file": s.path, "input_error": f"未审查：{s.reason}"})
    return rows


def overview_csv(batch: Batch) -> str:
    """UTF-8 with a byte order mark, so Excel and WPS on Chinese Windows read it as UTF-8;
    text that would start a formula is neutralized (escape.sheet_text)."""
    from .machine import CSV_FIELDS

    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.DictWriter(buf, fieldnames=CSV_HEAD + CSV_FIELDS, restval="")
    w.writeheader()
    for row in overview_rows(batch):
        w.writerow({k: sheet_text(v) for k, v in row.items()})
    return buf.getvalue()


__all__ = ["Batch", "RANKING_HEAD", "Row", "index_markdown", "num", "overview_csv", "overview_rows", "ranked",
           "ranking_cells", "statistics"]
