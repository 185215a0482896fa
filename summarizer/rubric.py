"""Scoring a report against prompts/rubric.toml (rubric as data).

Why split: the rule criteria (about 60 points) follow from the deterministic findings and so are
always scored; the judgement criteria (about 40 points) need an LLM whose verified answer is
passed in as `llm_scores`. Without one they are "not scored" (score None) — never guessed.
Only findings with source="rule" deduct points, so the model cannot move the rule score.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from .models import AuditResult

USABLE_TABLE_STATUS = ("parsed", "partial")


def rubric_path() -> Path:
    env = os.environ.get("AUDIT_PROMPTS_DIR")
    base = Path(env) if env else Path(__file__).resolve().parents[1] / "prompts"
    return base / "rubric.toml"


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def load_rubric() -> dict:
    return _load(str(rubric_path()))


def llm_criteria() -> list[dict]:
    return [c for c in load_rubric()["criteria"] if c["kind"] == "llm"]


def _fmt(x: float | None) -> str:
    if x is None:
        return "—"
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def _score_rule(crit: dict, result: AuditResult) -> dict:
    needs = crit.get("needs_tables")
    if needs and result.tables:
        usable = [t.name for t in result.tables if t.name in needs and t.status in USABLE_TABLE_STATUS]
        if not usable:
            return {"score": None, "status": "not assessable", "reason": "相关表格均未能解析，无法按规则评分", "findings": []}
    deductions: dict = crit.get("deductions", {})
    hits = [f for f in result.findings if f.source == "rule" and f.code in deductions]
    lost = sum(float(deductions[f.code]) for f in hits)
    score = max(0.0, float(crit["points"]) - lost)
    if hits:
        counts: dict[str, int] = {}
        for f in hits:
            counts[f.code] = counts.get(f.code, 0) + 1
        parts = [f"{code}×{n}（每处扣{_fmt(deductions[code])}分）" for code, n in sorted(counts.items())]
        reason = "扣分：" + "、".join(parts)
    else:
        reason = "满分：" + crit.get("full_marks", "")
    return {"score": score, "status": "scored", "reason": reason, "findings": sorted({f.code for f in hits})}


def score_rubric(result: AuditResult, llm_scores: dict[str, dict] | None = None, llm_reason: str = "") -> dict:
    """The rubric for one report.

    `llm_scores` maps an LLM criterion id to a verified judgement
    {"level", "reason", "evidence": [{"line", "quote"}]}; criteria missing from it are "not
    scored", with `llm_reason` (or a default) saying why.
    """
    rubric = load_rubric()
    if llm_scores is None and result.rubric:
        # Re-scoring (e.g. after more rule findings) keeps the LLM judgements already verified.
        previous = [c for c in result.rubric.get("criteria", []) if c.get("kind") == "llm"]
        llm_scores = {c["id"]: {"level": c["level"], "reason": c.get("reason", ""), "evidence": c.get("evidence", [])}
                      for c in previous if c.get("score") is not None and c.get("level")}
        llm_reason = llm_reason or next((c.get("reason", "") for c in previous if c.get("score") is None), "")
    llm_scores = llm_scores or {}
    rows = []
    for crit in rubric["criteria"]:
        row = {"id": crit["id"], "name": crit["name"], "kind": crit["kind"], "max": float(crit["points"])}
        if crit["kind"] == "rule":
            row.update(_score_rule(crit, result))
        elif crit["id"] in llm_scores:
            judged = llm_scores[crit["id"]]
            level = next(lv for lv in crit["levels"] if lv["id"] == judged["level"])
            row.update({
                "score": round(float(crit["points"]) * float(level["fraction"]), 1),
                "status": "scored",
                "level": level["id"],
                "level_text": level["text"],
                "reason": judged.get("reason", ""),
                "evidence": judged.get("evidence", []),
            })
        else:
            row.update({"score": None, "status": "not scored",
                        "reason": llm_reason or "未运行 LLM，评审类指标未评分"})
        rows.append(row)

    def total(kind: str | None) -> tuple[float, float]:
        sel = [r for r in rows if (kind is None or r["kind"] == kind) and r["score"] is not None]
        return round(sum(r["score"] for r in sel), 1), sum(r["max"] for r in sel)

    rule_score, rule_max = total("rule")
    llm_score, llm_max = total("llm")
    all_max = sum(r["max"] for r in rows)
    rule_full = sum(r["max"] for r in rows if r["kind"] == "rule")
    missing = [r["id"] for r in rows if r["score"] is None]
    if not missing:
        statement = f"{_fmt(round(rule_score + llm_score, 1))} / {_fmt(all_max)}"
    elif llm_max == 0:
        statement = f"{_fmt(rule_score)} / {_fmt(rule_max)} scored by rules; judgement criteria not scored"
        if rule_max < rule_full:
            statement += f" (not assessable: {', '.join(r['id'] for r in rows if r['kind'] == 'rule' and r['score'] is None)})"
    else:
        statement = (f"{_fmt(round(rule_score + llm_score, 1))} / {_fmt(rule_max + llm_max)} scored "
                     f"({_fmt(rule_score)} by rules, {_fmt(llm_score)} by LLM); not scored: {', '.join(missing)}")
    return {
        "version": rubric.get("version"),
        "criteria": rows,
        "rule_score": rule_score,
        "rule_max": rule_max,
        "llm_score": llm_score if llm_max else None,
        "llm_max": llm_max,
        "total": round(rule_score + llm_score, 1) if not missing else None,
        "scored_total": round(rule_score + llm_score, 1),
        "scored_max": rule_max + llm_max,
        "max": all_max,
        "complete": not missing,
        "statement": statement,
    }
