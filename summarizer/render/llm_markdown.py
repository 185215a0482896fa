"""Markdown for the LLM-assisted parts of a report: summary, rubric table, LLM status.

Why separate from the main renderer: these parts may be absent (no LLM) and must then say so
plainly; every summary item carries the line and the report's own quote it was verified on.
"""

from __future__ import annotations

from ..models import AuditResult
from .common import CRITERION_STATUS
from .escape import md

# summary texts and quotes come from the report (through the model): shown as text, never markup
_cell = md


def _num(x: float | None) -> str:
    if x is None:
        return "未评分"
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _status_line(result: AuditResult) -> str:
    llm = result.llm
    if not llm.ran:
        return (f"> 大模型部分未运行（{llm.skipped_reason or '未配置'}）：总体情况与问题改进摘要、N005 叙述矛盾、"
                f"Q001–Q003 质量判断和评分中的判断类指标均未生成；以上发现全部来自确定性规则。")
    return (f"> LLM：{llm.calls} 次请求，token 用量 输入 {llm.prompt_tokens} / 输出 {llm.completion_tokens}；"
            f"{llm.dropped} items dropped as unverifiable（无法核验的条目已剔除）。")


def _summary(result: AuditResult) -> list[str]:
    out = ["## 摘要（LLM 辅助，引文均已核验）", ""]
    s = result.summary
    if s is None:
        out.append("未生成摘要（LLM 未运行或调用失败）。")
        return out + [""]
    out += ["### 总体情况", ""]
    out += [f"- {md(p['text'])}（第{p['line']}行：“{md(p['quote'])}”）" for p in s.get("overall", [])] or ["- （无可核验的要点）"]
    out += ["", "### 存在的主要问题及改进情况", ""]
    problems = s.get("problems", [])
    improvements = s.get("improvements", [])
    out += [f"- **{md(p['id'])}** {md(p['text'])}（第{p['line']}行：“{md(p['quote'])}”）" for p in problems] or ["- （无可核验的问题）"]
    out.append("")
    for m in improvements:
        answers = md("、".join(m.get("answers", [])) or "未对应任何问题")
        out.append(f"- **{md(m['id'])}** → {answers}：{md(m['text'])}（第{m['line']}行：“{md(m['quote'])}”）")
    if not improvements:
        out.append("- （无可核验的改进措施）")
    answered = {a for m in improvements for a in m.get("answers", [])}
    orphans = [p["id"] for p in problems if p["id"] not in answered]
    if problems and orphans:
        out.append(f"- 没有对应措施的问题：{md('、'.join(orphans))}")
    if s.get("dropped"):
        out += ["", f"_{s['dropped']} items dropped as unverifiable._"]
    return out + [""]


def _rubric(result: AuditResult) -> list[str]:
    r = result.rubric
    if not r:
        return []
    zh = ("满分100，全部指标已评分" if r.get("complete") else
          f"已评分指标满分{_num(r.get('scored_max'))}；判断类指标未评分，不给出总分，也不猜测")
    out = ["## 评分", "", f"**得分 {_num(r.get('scored_total'))} / {_num(r.get('scored_max'))}**（{zh}）  ",
           f"{md(r['statement'])}", "",
           "| 编号 | 指标 | 方式 | 得分 | 满分 | 说明 |", "|---|---|---|---|---|---|"]
    for c in r["criteria"]:
        kind = "规则" if c["kind"] == "rule" else "LLM"
        reason = c.get("reason", "")
        if c.get("level"):
            reason = f"{c['level']} 档（{c.get('level_text', '')}）：{reason}"
        for ev in c.get("evidence", [])[:1]:
            reason += f"（第{ev['line']}行：“{ev['quote']}”）"
        status = CRITERION_STATUS.get(c.get("status", ""))
        score = _num(c["score"]) if c["score"] is not None else (status or "未评分")
        if c["score"] is not None and status and c.get("status") != "not scored":
            score += f"（{status}）"
        out.append(f"| {c['id']} | {_cell(c['name'])} | {kind} | {score} | {_num(c['max'])} | {_cell(reason)} |")
    return out + [""]


def render_llm_sections(result: AuditResult) -> str:
    """The summary section, the rubric table and the LLM status, as markdown."""
    lines = [_status_line(result), ""]
    for note in result.llm.notes:
        lines.append(f"> - {md(note)}")
    if result.llm.notes:
        lines.append("")
    if result.llm.ran or result.summary is not None:
        lines += _summary(result)
    lines += _rubric(result)
    return "\n".join(lines).rstrip() + "\n"
