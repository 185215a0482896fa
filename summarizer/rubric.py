"""Scoring a report against prompts/rubric.toml (rubric as data).

Why split: the rule criteria (60 points) follow from the deterministic findings and so are
always scored; the judgement criteria (40 points) need an LLM whose verified answer is passed in
as `llm_scores` (and, for L2, the verified problem → measure mapping). Without one they are
"not scored" (score None) — never guessed. Only findings with source="rule" deduct points, so
the model cannot move the rule score.

Why every criterion carries what was assessable: a criterion whose inputs are missing — tables
unreadable or partly read, the date of issue not found, a section absent, its codes not run
under --select/--ignore, its text cut for the prompt — must not read as full marks. Each row has
`max` (its points), `assessable` (the points its available inputs support) and `score` (≤
assessable), with a status:

  scored          已评分    everything it rests on was available
  partial         部分评估  part of it was: score / assessable, and the reason names what is missing
  not assessable  无法评估  nothing it rests on was available
  not scored      未评分    an LLM criterion without a verified judgement
  not applicable  不适用    e.g. L3 on a 2019-format report (Q003 applies to the 2021 format only)

Totals: `score` / `assessable` (what renderers show as "x / y") and `max` (100); `total` is set
only when every applicable criterion was fully scored.

The inputs beyond the result itself (code selection, what the prompt cut, the mapping, the
cross-year overlap) are kept in rubric["inputs"], so re-scoring after cross-year findings keeps them.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .data_cache import load_toml
from .models import AuditResult

USABLE_TABLE_STATUS = ("parsed", "partial")
TABLE_ZH = {"active": "表二", "applications": "表三", "litigation": "表四"}
NUMERALS = "一二三四五六"
STATUS_ZH = {"scored": "已评分", "partial": "部分评估", "not assessable": "无法评估", "not scored": "未评分",
             "not applicable": "不适用"}


def rubric_path() -> Path:
    env = os.environ.get("AUDIT_PROMPTS_DIR")
    base = Path(env) if env else Path(__file__).resolve().parents[1] / "prompts"
    return base / "rubric.toml"


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    return load_toml(path)


def load_rubric() -> dict:
    return _load(str(rubric_path()))


def llm_criteria() -> list[dict]:
    return [c for c in load_rubric()["criteria"] if c["kind"] == "llm"]


def judged_criteria(format_version: str | None = None) -> list[dict]:
    """The criteria the judge call is asked about: LLM criteria not derived from the mapping and
    applicable to the format (all formats when it is unknown)."""
    out = []
    for c in llm_criteria():
        if c.get("from_mapping"):
            continue
        if format_version and c.get("formats") and format_version not in c["formats"]:
            continue
        out.append(c)
    return out


def applies(crit: dict, format_version: str | None) -> bool | None:
    """True/False, or None when the format version is unknown and the criterion depends on it."""
    formats = crit.get("formats")
    if not formats:
        return True
    if not format_version:
        return None
    return format_version in formats


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _selected(code: str, select, ignore) -> bool:
    if select and not any(code.startswith(s) for s in select):
        return False
    return not (ignore and any(code.startswith(s) for s in ignore))


# ---------------------------------------------------------------- rule criteria


def _rule_inputs(crit: dict, result: AuditResult, inputs: dict, exempt: list[str] = ()) -> tuple[float, list[str]]:
    """(share of the criterion whose inputs are available, reasons for what is missing); `exempt`:
    its codes that do not apply to this kind of report (they count as not run)."""
    lost, why = 0.0, []
    needs = crit.get("needs_tables")
    if needs:
        status = {t.name: t.status for t in result.tables}
        share = float(crit.get("tables_share", 1.0))
        if result.tables:  # no table info at all (a hand-made result): nothing to judge by
            per = share / len(needs)
            for name in needs:
                st = status.get(name, "missing")
                if st not in USABLE_TABLE_STATUS:
                    lost += per
                    why.append(f"{TABLE_ZH.get(name, name)}未能读取")
                elif st == "partial":
                    lost += per / 2
                    why.append(f"{TABLE_ZH.get(name, name)}部分未能读取")
    found = {s.number for s in result.facts.sections}
    for need in crit.get("needs", []):
        if "fact" in need and not getattr(result.facts, need["fact"], None):
            lost += float(need["share"])
            why.append(f"未识别{need.get('what', need['fact'])}")
        elif "section" in need and need["section"] not in found:
            lost += float(need["share"])
            why.append(f"未找到{need.get('what', '第' + NUMERALS[need['section'] - 1] + '部分')}")
    codes = list(crit.get("deductions", {}))
    off = [c for c in codes if not _selected(c, inputs.get("select"), inputs.get("ignore")) and c not in exempt]
    if codes and off:
        lost += (1.0 - lost) * len(off) / len(codes)
        why.append(f"未运行 {'、'.join(off)}（--select/--ignore）")
    if codes and exempt:
        lost += (1.0 - lost) * len(exempt) / len(codes)
        why.append(f"{'、'.join(exempt)} 不适用于此类报告")
    return max(0.0, 1.0 - lost), why


def _overlap_score(crit: dict, inputs: dict, result: AuditResult | None = None) -> tuple[float | None, str]:
    """(fraction of R6's points, reason) from the cross-year overlap, or (None, why not)."""
    ov = inputs.get("overlap")
    if not ov:
        if result is not None and (not result.facts.agency or result.facts.year is None):
            return None, "未识别发布机关或报告年度，无法与上一年度的报告配对比对重复度"
        return None, "批次中没有同一机关上一年度的报告，无法比对重复度"
    if ov.get("share") is None:
        return None, ov.get("reason") or "上一年度报告的第一、五部分未能读取，无法比对"
    share = float(ov["share"])
    free, zero = float(crit.get("overlap_free", 0.35)), float(crit.get("overlap_zero", 0.8))
    frac = 1.0 if share <= free else 0.0 if share >= zero else (zero - share) / (zero - free)
    # (whole percents rounded down: 59.6 % is "59%", under X005's 60 %, not "60%" with no X005)
    return frac, (f"第一、五部分与上一年度报告（{ov.get('prev_file', '')}）重复约 {int(share * 100)}%"
                  f"（≤{free:.0%} 满分，≥{zero:.0%} 不得分）")


def _score_rule(crit: dict, result: AuditResult, inputs: dict) -> dict:
    points = float(crit["points"])
    codes = list(crit.get("deductions", {}))
    exempt = [c for c in codes if c.startswith(tuple(result.exempt_codes))] if result.exempt_codes else []
    if codes and len(exempt) == len(codes):
        # a university's, an institute's or a pre-2019 report: the template's checks do not apply
        return {"score": None, "assessable": 0.0, "status": "not applicable",
                "reason": "不适用：此类报告不按政府信息公开工作年度报告的格式编写，相关检查已跳过", "findings": []}
    share, why = _rule_inputs(crit, result, inputs, exempt)
    if crit.get("from_overlap"):
        frac, reason = _overlap_score(crit, inputs, result)
        if frac is None or share <= 0:
            return {"score": None, "assessable": 0.0, "status": "not assessable",
                    "reason": reason if frac is None else "；".join(why), "findings": []}
        y = round(points * share, 1)
        status = "scored" if share >= 1 else "partial"
        return {"score": round(y * frac, 1), "assessable": y, "status": status,
                "reason": reason + (f"；部分评估：{'；'.join(why)}" if why else ""),
                "findings": ["X005"] if any(f.code == "X005" for f in result.findings) else []}
    if share <= 0:
        return {"score": None, "assessable": 0.0, "status": "not assessable",
                "reason": "无法评估：" + "；".join(why), "findings": []}
    y = round(points * share, 1)
    deductions: dict = crit.get("deductions", {})
    hits = [f for f in result.findings if f.source == "rule" and f.code in deductions]
    lost = sum(float(deductions[f.code]) for f in hits)
    score = round(max(0.0, y - lost), 1)
    parts = []
    if hits:
        counts: dict[str, int] = {}
        for f in hits:
            counts[f.code] = counts.get(f.code, 0) + 1
        parts.append("扣分：" + "、".join(f"{code}×{n}（每处扣{_fmt(deductions[code])}分）" for code, n in sorted(counts.items())))
    if share < 1:
        parts.append(f"部分评估（可评 {_fmt(y)} / {_fmt(points)} 分）：{'；'.join(why)}")
    elif not hits:
        parts.append("满分：" + crit.get("full_marks", ""))
    return {"score": score, "assessable": y, "status": "scored" if share >= 1 else "partial",
            "reason": "；".join(parts), "findings": sorted({f.code for f in hits})}


# ---------------------------------------------------------------- judged criteria


def mapping_level(crit: dict, mapping: dict) -> dict | None:
    """The L2 level that the verified problem → measure mapping earns, or None without problems."""
    problems, answered, measures = mapping.get("problems", 0), mapping.get("answered", 0), mapping.get("measures", 0)
    if problems <= 0 and measures <= 0:
        return None
    levels = sorted(crit["levels"], key=lambda lv: -float(lv.get("min_answered", 0)))
    if measures <= 0:
        return levels[-1]
    ratio = answered / problems if problems else 0.0
    for lv in levels[:-1]:
        if ratio >= float(lv.get("min_answered", 0)):
            return lv
    return levels[-2]


def _score_llm(crit: dict, result: AuditResult, judged: dict | None, inputs: dict, llm_reason: str) -> dict:
    points = float(crit["points"])
    fmt = result.facts.format_version
    ok = applies(crit, fmt)
    if ok is False:
        return {"score": None, "assessable": 0.0, "status": "not applicable",
                "reason": f"不适用：仅适用于 {'、'.join(crit['formats'])} 格式的报告（本报告为 {fmt} 格式）"}
    found = {s.number for s in result.facts.sections}
    missing = [n for n in crit.get("sections", []) if n not in found]
    if missing and len(missing) == len(crit.get("sections", [])):
        return {"score": None, "assessable": 0.0, "status": "not assessable",
                "reason": f"无法评估：报告中未找到第{'、'.join(NUMERALS[n - 1] for n in missing)}部分"}
    if ok is None:
        return {"score": None, "assessable": 0.0, "status": "not assessable",
                "reason": "无法评估：表格版式未识别，无法判断本项是否适用"}
    if crit.get("from_mapping"):
        mapping = inputs.get("mapping")
        level = mapping_level(crit, mapping) if mapping else None
        if level is None:
            reason = (inputs.get("mapping_reason") or llm_reason or "未运行 LLM，评审类指标未评分") if not mapping \
                else "摘要中没有可核验的问题或措施，未评分"
            return {"score": None, "assessable": None, "status": "not scored", "reason": reason}
        judged = {"level": level["id"], "evidence": [],
                  "reason": (f"经核验的 {mapping.get('problems', 0)} 个问题中 {mapping.get('answered', 0)} 个有对应措施"
                             f"（共 {mapping.get('measures', 0)} 项措施"
                             + (f"；{mapping['restated']} 处措施只是重复问题，不算对应" if mapping.get("restated") else "")
                             + "）")}
    if not judged:
        return {"score": None, "assessable": None, "status": "not scored",
                "reason": llm_reason or "未运行 LLM，评审类指标未评分"}
    level = next(lv for lv in crit["levels"] if lv["id"] == judged["level"])
    shares = [float(inputs.get("cut", {}).get(str(n), 1.0)) for n in crit.get("sections", []) if n in found]
    share = min(shares) if shares else 1.0
    y = round(points * share, 1)
    score = round(y * float(level["fraction"]), 1)
    reason = judged.get("reason", "")
    notes = []
    if share < 1:
        notes.append(f"部分评估：第{'、'.join(NUMERALS[n - 1] for n in crit['sections'])}部分过长，"
                     f"约 {share:.0%} 的内容送交模型（可评 {_fmt(y)} / {_fmt(points)} 分）")
    if inputs.get("injected"):
        cap = float(load_rubric().get("injection_cap", 0.5))
        if score > round(y * cap, 1):
            score = round(y * cap, 1)
        notes.append(f"报告含疑似针对模型的指令（N007），本项封顶为可评分数的 {cap:.0%}")
    return {"score": score, "assessable": y, "status": "scored" if share >= 1 else "partial",
            "level": level["id"], "level_text": level["text"], "reason": "；".join([reason] + notes if reason else notes),
            "evidence": judged.get("evidence", [])}


# ---------------------------------------------------------------- the rubric


def score_rubric(result: AuditResult, llm_scores: dict[str, dict] | None = None, llm_reason: str = "",
                 inputs: dict | None = None) -> dict:
    """The rubric for one report.

    `llm_scores` maps a judged criterion id to a verified judgement {"level", "reason",
    "evidence": [{"line", "quote"}]}; criteria missing from it are "not scored", with
    `llm_reason` (or a default) saying why. `inputs` (see the module docstring) may hold:
    select, ignore, cut {section: share sent}, injected, mapping {problems, answered, measures},
    mapping_reason, overlap {share, prev_file}.
    """
    rubric = load_rubric()
    previous = result.rubric or {}
    merged = dict(previous.get("inputs") or {})
    merged.update(inputs or {})
    inputs = merged
    if "injected" not in inputs:
        inputs["injected"] = any(f.code == "N007" for f in result.findings)
    if llm_scores is None and previous:
        # Re-scoring (e.g. after cross-year findings) keeps the LLM judgements already verified.
        rows = [c for c in previous.get("criteria", []) if c.get("kind") == "llm" and not c.get("derived")]
        llm_scores = {c["id"]: {"level": c["level"], "reason": c.get("judged_reason", c.get("reason", "")),
                                "evidence": c.get("evidence", [])}
                      for c in rows if c.get("level")}
        llm_reason = llm_reason or previous.get("llm_reason", "")
    llm_scores = llm_scores or {}
    rows = []
    for crit in rubric["criteria"]:
        row = {"id": crit["id"], "name": crit["name"], "kind": crit["kind"], "max": float(crit["points"])}
        if crit["kind"] == "rule":
            row.update(_score_rule(crit, result, inputs))
        else:
            judged = llm_scores.get(crit["id"])
            row.update(_score_llm(crit, result, judged, inputs, llm_reason))
            if crit.get("from_mapping"):
                row["derived"] = True
            elif judged:
                row["judged_reason"] = judged.get("reason", "")
        row["status_zh"] = STATUS_ZH[row["status"]]
        rows.append(row)

    def total(kind: str | None) -> tuple[float, float]:
        sel = [r for r in rows if (kind is None or r["kind"] == kind) and r["score"] is not None]
        return round(sum(r["score"] for r in sel), 1), round(sum(r["assessable"] for r in sel), 1)

    rule_score, rule_max = total("rule")
    llm_score, llm_max = total("llm")
    score, assessable = round(rule_score + llm_score, 1), round(rule_max + llm_max, 1)
    all_max = float(sum(r["max"] for r in rows))
    applicable = float(sum(r["max"] for r in rows if r["status"] != "not applicable"))
    complete = all(r["status"] in ("scored", "not applicable") for r in rows)
    missing = [r["id"] for r in rows if r["status"] == "not scored"]
    unassessable = [r["id"] for r in rows if r["status"] == "not assessable"]
    partial = [r["id"] for r in rows if r["status"] == "partial"]
    if complete:
        statement = f"{_fmt(score)} / {_fmt(applicable)}"
    elif llm_max == 0:
        statement = f"{_fmt(rule_score)} / {_fmt(rule_max)} scored by rules; judgement criteria not scored"
        if unassessable:
            statement += f" (not assessable: {', '.join(unassessable)})"
    else:
        statement = (f"{_fmt(score)} / {_fmt(assessable)} scored "
                     f"({_fmt(rule_score)} by rules, {_fmt(llm_score)} by LLM)")
        if missing:
            statement += f"; not scored: {', '.join(missing)}"
        if unassessable:
            statement += f"; not assessable: {', '.join(unassessable)}"
    if partial:
        statement += f"; partially assessed: {', '.join(partial)}"
    return {
        "version": rubric.get("version"),
        "criteria": rows,
        "score": score,
        "assessable": assessable,
        "denominator": assessable,  # what renderers show as "score / denominator"
        "max": all_max,
        "applicable": applicable,
        "display": f"{_fmt(score)} / {_fmt(assessable)}",
        "complete": complete,
        "total": score if complete else None,
        "rule_score": rule_score,
        "rule_max": rule_max,
        "llm_score": llm_score if llm_max else None,
        "llm_max": llm_max,
        "scored_total": score,
        "scored_max": assessable,
        "statement": statement,
        "llm_reason": llm_reason,
        "inputs": inputs,
    }
