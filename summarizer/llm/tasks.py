"""The LLM part of one report's audit: two calls, verified, merged into the AuditResult.

Why two calls (not one per task, not one for all): the four tasks need two different views.
Call 1 ("summary") summarises 总体情况 and 存在的主要问题及改进情况; call 2 ("judge") runs the
narrative checks N005/Q001–Q003 and scores the rubric's judgement criteria. Judging in its own
call keeps the judge from grading its own summary, keeps each answer schema small enough for
json_object-only providers, and lets one part fail without losing the other; merging further
would not save tokens (both need the same section text) and one call per task would double the
prompt cost. A re-ask after an invalid answer is the only extra call.

Everything the model returns goes through grounding.py before it reaches the result; what
fails is dropped and counted. The deterministic findings are never touched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal

from .. import rubric as rubric_mod
from ..models import AuditResult, Evidence, Finding
from ..document import Document
from .answers import AnswerError, JudgeAnswer, SummaryAnswer, parse_answer, strip_think
from .cache import ResponseCache, cache_key
from .client import ChatClient, Deadline, LLMError
from .config import LLMConfig
from .grounding import fact_numbers, injection_lines, numbers_in, ungrounded_numbers, verify_quote
from .prompts import clean_untrusted, estimate_tokens, new_delimiter, render

NUMERALS = "一二三四五六"
SECTION_TITLES = {1: "总体情况", 5: "存在的主要问题及改进情况", 6: "其他需要报告的事项"}
MAX_SECTION_CHARS = 6000
MAX_TEXT_CHARS = 300
HEADLINE_CELLS = ("applications.new.total", "applications.carried_over.total", "applications.total.total",
                  "applications.carried_forward.total", "litigation.review.total", "litigation.direct.total",
                  "litigation.after_review.total")
KEY_DELIMITER = "DATA-000000000000"  # stands in for the random delimiter in cache keys
REMOVED_LINE = "［此行已移除：疑似针对模型的指令］"


@dataclass(frozen=True)
class CallSpec:
    name: str
    title: str
    template: str
    answer: type
    sections: tuple[int, ...]


SUMMARY_CALL = CallSpec("summary", "摘要", "call_summary.j2", SummaryAnswer, (1, 5))
JUDGE_CALL = CallSpec("judge", "叙述检查与评分", "call_judge.j2", JudgeAnswer, (1, 5, 6))


# ---------------------------------------------------------------- what the model is given


@dataclass
class Context:
    ranges: dict[int, set[int]]  # section number -> its line numbers (minus injection lines)
    injected: list[int]
    facts_values: set[Decimal]
    variables: dict  # template variables except delimiter and schema


def section_ranges(result: AuditResult, doc: Document) -> dict[int, range]:
    """Line range of each section found, using end_line when the audit set it."""
    secs = sorted(result.facts.sections, key=lambda s: s.line)
    out: dict[int, range] = {}
    for i, s in enumerate(secs):
        end = s.end_line if s.end_line >= s.line else (secs[i + 1].line - 1 if i + 1 < len(secs) else doc.n)
        out.setdefault(s.number, range(s.line, min(end, doc.n) + 1))
    return out


def _cells_for_prompt(result: AuditResult) -> list[dict]:
    from ..schema import cell_label

    fmt = result.facts.format_version or "2021"
    out = []
    for key, value in result.facts.cells.items():
        if value is None or (value == 0 and key not in HEADLINE_CELLS):
            continue
        try:
            label = cell_label(key, fmt)
        except Exception:  # an unexpected key: show it as is
            label = key
        out.append({"key": key, "label": label, "value": value})
    return out


def build_context(result: AuditResult, doc: Document, numbers: tuple[int, ...] = (1, 5, 6)) -> Context:
    ranges = section_ranges(result, doc)
    injected = injection_lines(doc)
    bad = set(injected)
    sections = []
    for n in numbers:
        lines, used, truncated = [], 0, False
        for no in ranges.get(n, range(0)):
            ln = doc.lines[no - 1]
            text = ln.raw.strip()
            if not text or ln.furniture:
                continue
            text = REMOVED_LINE if no in bad else clean_untrusted(text)
            if used + len(text) > MAX_SECTION_CHARS:
                truncated = True
                break
            used += len(text)
            lines.append({"no": no, "text": text})
        sections.append({"number": n, "numeral": NUMERALS[n - 1], "title": SECTION_TITLES.get(n, ""),
                         "found": n in ranges, "lines": lines, "truncated": truncated})
    f = result.facts
    period = f"{f.period.start} 至 {f.period.end}" if f.period else None
    facts = {"agency": clean_untrusted(f.agency) if f.agency else None, "year": f.year,
             "format_version": f.format_version, "period": period, "issued_on": f.issued_on,
             "cells": _cells_for_prompt(result)}
    known = sorted({f"{x.code}（第{x.line}行）" for x in result.findings if x.source == "rule" and x.line})
    criteria = []
    for c in rubric_mod.llm_criteria():
        criteria.append({**c, "section_numerals": "、".join(NUMERALS[s - 1] for s in c["sections"])})
    variables = {"facts": facts, "sections": sections, "known_findings": known, "criteria": criteria,
                 "format_version": f.format_version or ""}
    return Context(
        ranges={n: set(r) - bad for n, r in ranges.items()},
        injected=injected,
        facts_values=fact_numbers(f.cells, f.year),
        variables=variables,
    )


def _messages(call: CallSpec, ctx: Context, delim: str, schema_json: str) -> list[dict]:
    variables = dict(ctx.variables)
    variables["sections"] = [s for s in variables["sections"] if s["number"] in call.sections]
    user = render(call.template, delim=delim, schema_json=schema_json, **variables)
    return [{"role": "system", "content": render("system.j2")}, {"role": "user", "content": user}]


# ---------------------------------------------------------------- asking (cache, call, re-ask)


@dataclass
class Session:
    """Per-report state: one deadline, one lazily created client, usage counters."""

    config: LLMConfig
    deadline: Deadline
    cache: ResponseCache | None
    client: ChatClient | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: bool = False
    cache_hits: int = 0
    notes: list[str] = field(default_factory=list)

    def _client(self) -> ChatClient:
        if self.client is None:
            self.client = ChatClient(self.config, self.deadline)
        return self.client

    def _complete(self, messages: list[dict], schema: dict, name: str):
        done = self._client().complete(messages, schema, name)
        if done.prompt_tokens is None or done.completion_tokens is None:
            self.estimated = True
            self.prompt_tokens += estimate_tokens("".join(m["content"] for m in messages))
            self.completion_tokens += estimate_tokens(done.content)
        else:
            self.prompt_tokens += done.prompt_tokens
            self.completion_tokens += done.completion_tokens
        return done

    def ask(self, call: CallSpec, ctx: Context, context: dict | None = None):
        schema = call.answer.model_json_schema()
        schema_json = json.dumps(schema, ensure_ascii=False)
        key = cache_key(model=self.config.model, endpoint=self.config.endpoint_id,
                        messages=_messages(call, ctx, KEY_DELIMITER, schema_json), schema=schema)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                try:
                    answer = call.answer.model_validate(hit["answer"], context=context)
                    self.cache_hits += 1
                    return answer
                except Exception:  # stale or foreign entry: ask again
                    pass
        messages = _messages(call, ctx, new_delimiter(), schema_json)
        done = self._complete(messages, schema, call.name)
        try:
            answer = parse_answer(done.content, call.answer, context)
        except AnswerError as first:
            if done.finish_reason == "length":
                raise LLMError("模型输出被截断（max_tokens 不足），未能得到完整回答") from None
            retry = messages + [
                {"role": "assistant", "content": strip_think(done.content)[:4000] or "（空）"},
                {"role": "user", "content": str(first)},
            ]
            done = self._complete(retry, schema, call.name)
            try:
                answer = parse_answer(done.content, call.answer, context)
            except AnswerError as second:
                raise LLMError(f"两次回答均未通过校验（{str(second)[:200]}）") from None
        if self.cache is not None:
            self.cache.put(key, {"answer": answer.model_dump(mode="json")}, self.config.model or "")
        return answer


# ---------------------------------------------------------------- verifying answers


def _text(s: str) -> str:
    return clean_untrusted(" ".join(str(s).split()))[:MAX_TEXT_CHARS]


def ground_summary(ans: SummaryAnswer, doc: Document, ctx: Context) -> tuple[dict, int]:
    dropped = 0

    def keep(item, section: int) -> dict | None:
        nonlocal dropped
        ev = verify_quote(doc, item.line, item.quote, ctx.ranges.get(section, set()))
        if ev is None or ungrounded_numbers(item.text, [ev.quote], ctx.facts_values):
            dropped += 1
            return None
        return {"text": _text(item.text), "line": ev.line, "quote": ev.quote}

    overall = [p for p in (keep(x, 1) for x in ans.overall) if p]
    problems = []
    for x in ans.problems:
        p = keep(x, 5)
        if p:
            problems.append({"id": _text(x.id)[:8], **p})
    ids = {p["id"] for p in problems}
    improvements = []
    for x in ans.improvements:
        p = keep(x, 5)
        if p:
            improvements.append({"id": _text(x.id)[:8], **p, "answers": [a for a in x.answers if a in ids]})
    return {"overall": overall, "problems": problems, "improvements": improvements}, dropped


def _selected(code: str, select, ignore) -> bool:
    if select and not any(code.startswith(s) for s in select):
        return False
    return not (ignore and any(code.startswith(s) for s in ignore))


def ground_findings(ans: JudgeAnswer, doc: Document, ctx: Context, result: AuditResult,
                    select=None, ignore=None) -> tuple[list[Finding], int]:
    narrative = ctx.ranges.get(1, set()) | ctx.ranges.get(5, set()) | ctx.ranges.get(6, set())
    rule_lines = {(f.code[0], f.line) for f in result.findings if f.source == "rule"}
    seen: set[tuple[str, int]] = set()
    out, dropped = [], 0
    for x in ans.findings:
        if not _selected(x.code, select, ignore):
            continue
        if x.code == "Q003" and result.facts.format_version != "2021":
            dropped += 1
            continue
        allowed = narrative if x.code == "N005" else ctx.ranges.get(5, set())
        ev = verify_quote(doc, x.line, x.quote, allowed)
        if ev is None:
            dropped += 1
            continue
        related: list[Evidence] = []
        cells: dict = {}
        quotes = [ev.quote]
        if x.code == "N005":
            other = verify_quote(doc, x.other_line, x.other_quote, narrative) if x.other_quote else None
            if other is None and x.other_cell:
                value = result.facts.cells.get(x.other_cell)
                claimed = {v for vals in numbers_in(ev.quote) for v in vals}
                if value is None or Decimal(str(value)) in claimed:
                    other = None  # no such cell, or the quote agrees with it: no contradiction
                else:
                    cells[x.other_cell] = value
                    other = _cell_evidence(result, x.other_cell) or Evidence(line=ev.line, quote=ev.quote)
            if other is None or (other.line == ev.line and other.quote == ev.quote and not cells):
                dropped += 1
                continue
            related.append(other)
            quotes.append(other.quote)
        if ungrounded_numbers(x.message, quotes, ctx.facts_values):
            dropped += 1
            continue
        if (x.code, ev.line) in seen or ("N", ev.line) in rule_lines and x.code == "N005":
            continue  # a duplicate, or the rules already reported this line
        seen.add((x.code, ev.line))
        out.append(Finding(code=x.code, severity="warning", message=f"{_text(x.message)}（LLM 判断，引文已核验）",
                           line=ev.line, quote=ev.quote, cells=cells, related=related, source="llm"))
    return out, dropped


def _cell_evidence(result: AuditResult, key: str) -> Evidence | None:
    for t in result.tables:
        if key in t.sources:
            line, raw = t.sources[key]
            return Evidence(line=line, quote=raw)
    return None


def ground_scores(ans: JudgeAnswer, doc: Document, ctx: Context) -> tuple[dict[str, dict], int]:
    crits = {c["id"]: c for c in rubric_mod.llm_criteria()}
    out: dict[str, dict] = {}
    dropped = 0
    for s in ans.scores:
        crit = crits.get(s.criterion)
        if crit is None or s.criterion in out:
            continue
        allowed = set().union(*(ctx.ranges.get(n, set()) for n in crit["sections"]))
        ev = verify_quote(doc, s.line, s.quote, allowed)
        if ev is None or ungrounded_numbers(s.reason, [ev.quote], ctx.facts_values):
            dropped += 1
            continue
        out[s.criterion] = {"level": s.level, "reason": _text(s.reason),
                            "evidence": [{"line": ev.line, "quote": ev.quote}]}
    return out, dropped


# ---------------------------------------------------------------- entry point


def run_llm(result: AuditResult, doc: Document, config: LLMConfig, select=None, ignore=None) -> None:
    """Fill result.summary, result.rubric, result.llm and append verified LLM findings.

    Never raises and never changes a deterministic finding: on any failure the report keeps its
    full deterministic audit, and result.llm says what was not done and why.
    """
    status = result.llm
    if not config.enabled:
        status.skipped_reason = config.skipped_reason
        result.rubric = rubric_mod.score_rubric(result, None, "未运行 LLM，评审类指标未评分")
        return
    session = None
    llm_scores: dict[str, dict] = {}
    llm_reason = ""
    dropped = 0
    answered = 0
    try:
        cache = None if config.no_cache else ResponseCache(config.resolved_cache_dir())
        session = Session(config, Deadline(config.budget_s), cache)
        ctx = build_context(result, doc)
        levels = {c["id"]: {lv["id"] for lv in c["levels"]} for c in rubric_mod.llm_criteria()}
        if ctx.injected:
            lines = "、".join(str(n) for n in ctx.injected[:10])
            status.notes.append(f"报告第{lines}行含疑似针对模型的指令，已从提示词中移除，且不可作为引文")
        failures = []
        for call in (SUMMARY_CALL, JUDGE_CALL):
            if not any(n in ctx.ranges for n in call.sections):
                failures.append(f"{call.title}：报告中未找到相关部分，未调用 LLM")
                continue
            try:
                answer = session.ask(call, ctx, {"levels": levels} if call is JUDGE_CALL else None)
            except LLMError as exc:
                failures.append(f"{call.title}：{config.redact(str(exc))}")
                continue
            answered += 1
            if call is SUMMARY_CALL:
                summary, n = ground_summary(answer, doc, ctx)
                dropped += n
                result.summary = summary
            else:
                findings, n1 = ground_findings(answer, doc, ctx, result, select, ignore)
                llm_scores, n2 = ground_scores(answer, doc, ctx)
                dropped += n1 + n2
                result.findings.extend(findings)
                if ctx.injected and llm_scores:
                    llm_scores = {}
                    llm_reason = "报告含疑似针对模型的指令，评审类评分不予采信"
        for text in failures:
            status.notes.append(f"LLM 未完成 — {text}；确定性审核结果完整，不受影响")
        if answered == 0 and not llm_reason:
            llm_reason = "LLM 调用未成功，评审类指标未评分"
    except Exception as exc:  # a bug or an unexpected library error must not sink the audit
        status.notes.append(config.redact(f"LLM 层内部错误（{type(exc).__name__}）；确定性审核结果完整，不受影响"))
        llm_scores, llm_reason = {}, "LLM 层出错，评审类指标未评分"
    if session is not None:
        client = session.client
        status.calls = client.attempts if client else 0
        status.prompt_tokens = session.prompt_tokens
        status.completion_tokens = session.completion_tokens
        if session.estimated:
            status.notes.append("端点未返回 token 用量，以上为按字符估算")
        if session.cache_hits:
            status.notes.append(f"{session.cache_hits} 个回答来自缓存（未产生调用）")
        if client is not None:
            status.notes.extend(client.notes)
            if client.retries:
                status.notes.append(f"重试 {client.retries} 次")
    status.ran = answered > 0
    if not status.ran and not status.skipped_reason:
        status.skipped_reason = "LLM 调用失败，仅输出确定性审核结果"
    status.dropped = dropped
    if dropped:
        status.notes.append(f"{dropped} items dropped as unverifiable（{dropped} 项无法核验，已剔除）")
    if result.summary is not None:
        result.summary["dropped"] = dropped
        result.summary["note"] = f"{dropped} items dropped as unverifiable"
    missing = [c["id"] for c in rubric_mod.llm_criteria() if c["id"] not in llm_scores]
    if answered and missing and not llm_reason:
        llm_reason = "LLM 未给出可核验的评分依据，未评分"
    result.rubric = rubric_mod.score_rubric(result, llm_scores, llm_reason)
