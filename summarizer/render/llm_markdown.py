"""Markdown for the LLM-assisted parts of a report: summary, rubric table, LLM status.

Why separate from the main renderer: these parts may be absent (no LLM) and must then say so
plainly; every summary item carries the line and the report's own quote it was verified on;
ids (P1, I1) and criterion names are ours. The rubric shows each criterion's score over what
was assessable, with its status (已评分 / 部分评估 / 无法评估 / 未评分 / 不适用), and the total as
"x / y（满分 100）" — never full marks for what could not be checked.
"""

from __future__ import annotations

from ..models import AuditResult
from .escape import md

CALL_ZH = {"summary": "摘要", "judge": "评审", "followup": "上年整改"}
# texts, quotes and notes come from the report or the model: every one goes through md() (shown as text, never markup)


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _usage(result: AuditResult) -> str:
    """Tokens per request, e.g. "摘要 2,410+512、评审 2,980+390"."""
    parts = []
    for u in result.llm.usage:
        name = CALL_ZH.get(u.get("call"), u.get("call", ""))
        kind = "（重问）" if str(u.get("kind", "")).startswith("reask") else ""
        parts.append(f"{name}{kind} {u.get('prompt_tokens', 0):,}+{u.get('completion_tokens', 0):,}")
    return "、".join(parts)


def _status_line(result: AuditResult) -> str:
    llm = result.llm
    if not llm.ran:
        return (f"> 大模型部分未运行（{llm.skipped_reason or '未配置'}）：总体情况与问题改进摘要、N005 叙述矛盾、"
                f"Q001–Q003 质量判断和评分中的判断类指标均未生成；以上发现全部来自确定性规则。")
    per = _usage(result)
    return (f"> LLM：{llm.calls} 次请求，用时 {llm.seconds:g} 秒，token 用量 输入 {llm.prompt_tokens:,} / "
            f"输出 {llm.completion_tokens:,}{f'（每次请求 输入+输出：{per}）' if per else ''}；"
            f"{llm.dropped} items dropped as unverifiable（无法核验的条目已剔除）。")


def _cited(item: dict) -> str:
    return f"（第{item['line']}行：“{md(item['quote'])}”）"


def _summary(result: AuditResult) -> list[str]:
    out = ["## 摘要（LLM 辅助，引文均已核验）", ""]
    s = result.summary
    if s is None:
        out.append("未生成摘要（LLM 未运行或调用失败）。")
        return out + [""]
    for note in s.get("cut", []):
        out.append(f"_注：{md(note)}，摘要据压缩后的文字生成。_")
    if s.get("cut"):
        out.append("")
    out += ["### 总体情况", ""]
    out += [f"- {md(p['text'])}{_cited(p)}" for p in s.get("overall", [])] or ["- （无可核验的要点）"]
    out += ["", "### 存在的主要问题及改进情况", ""]
    problems = s.get("problems", [])
    improvements = s.get("improvements", [])
    out += [f"- **{md(p['id'])}** {md(p['text'])}{_cited(p)}" for p in problems] or ["- （无可核验的问题）"]
    out.append("")
    for m in improvements:
        answers = md("、".join(m.get("answers", [])) or "未对应任何问题")
        out.append(f"- **{md(m['id'])}** → {answers}：{md(m['text'])}{_cited(m)}")
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
    score, assessable = r.get("score", r.get("scored_total")), r.get("assessable", r.get("scored_max"))
    full = r.get("max", 100)
    if r.get("complete"):
        zh = f"全部适用指标均已评分（适用 {_num(r.get('applicable', full))} 分）"
    else:
        kinds = {}
        for c in r["criteria"]:
            if c["status"] not in ("scored", "not applicable"):
                kinds.setdefault(c.get("status_zh") or c["status"], []).append(c["id"])
        zh = "；".join(f"{k}：{'、'.join(v)}" for k, v in kinds.items()) + "；未评分或无法评估的指标不计入，也不猜测"
    out = ["## 评分", "", f"**得分 {_num(score)} / {_num(assessable)}**（满分 {_num(full)}；{zh}）  ",
           f"{md(r['statement'])}", "",
           "| 编号 | 指标 | 方式 | 状态 | 得分 / 可评 | 满分 | 说明 |", "|---|---|---|---|---|---|---|"]
    for c in r["criteria"]:
        kind = "规则" if c["kind"] == "rule" else "LLM"
        reason = c.get("reason", "")
        if c.get("level"):
            reason = f"{c['level']} 档（{c.get('level_text', '')}）：{reason}"
        for ev in c.get("evidence", [])[:1]:
            reason += f"（第{ev['line']}行：“{ev['quote']}”）"
        status = c.get("status_zh") or c["status"]
        got = "—" if c.get("score") is None else f"{_num(c['score'])} / {_num(c.get('assessable', c['max']))}"
        out.append(f"| {c['id']} | {md(c['name'])} | {kind} | {status} | {got} | {_num(c['max'])} | {md(reason)} |")
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
