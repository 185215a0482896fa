"""The LLM part of one report's audit: two calls, verified, merged into the AuditResult.

Why two calls (not one per task, not one for all): the tasks need two different views.
Call 1 ("summary") summarises 总体情况 and 存在的主要问题及改进情况 — key points, problems,
measures and which measure answers which problem; call 2 ("judge") runs the narrative checks
N005/Q001–Q003 and judges the rubric's criteria L1, L3 (2021 format) and L4. L2 is not asked:
it follows from call 1's verified mapping. Judging in its own call keeps the judge from grading
its own summary, keeps each answer small enough for json_object-only providers, and lets one
part fail without losing the other. A re-ask is the only extra call: once after an invalid
answer (with the error), or once after an answer cut by max_tokens (with shorter lists).

Token budget: each prompt is built to stay under context.TARGET_INPUT_TOKENS (≈ 3,900 by a
conservative estimate): a compact Chinese example instead of a JSON schema (and no schema text
at all under --json-schema, where response_format carries it), table cells only for the judge
and only non-zero totals, long sections compacted (context.py), never cut at the top.

Everything the model returns goes through verify.py before it reaches the result; what fails
is dropped and counted. The deterministic findings are never touched.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .. import rubric as rubric_mod
from ..document import Document
from ..models import AuditResult
from .answers import AnswerError, JudgeAnswer, SummaryAnswer, parse_answer, strip_think
from .cache import ResponseCache, cache_key
from .client import AnswerFormatError, Budget, BudgetExhausted, ChatClient, EndpointUnavailable, LLMError
from .config import LLMConfig
from .context import (NUMERALS, SECTION_TITLES, TARGET_INPUT_TOKENS, Cut, Unit, allot, cells_for_prompt, compact,
                      section_ranges, section_units)
from .gate import EndpointGate
from .prompts import estimate_tokens, new_delimiter, render
from .verify import Allowed, clean_text, ground_findings, ground_scores, ground_summary

KEY_DELIMITER = "DATA-000000000000"  # stands in for the random delimiter in cache keys


@dataclass(frozen=True)
class CallSpec:
    name: str
    title: str
    template: str
    answer: type
    sections: tuple[int, ...]
    # max_tokens: room for the largest answer the prompt allows (list limits × ≤ 40-character
    # texts and quotes, ~110 tokens an item, plus margin); `short` limits for the re-ask after a cut.
    max_tokens: int = 4096
    limits: tuple[tuple[str, int], ...] = ()
    short: tuple[tuple[str, int], ...] = ()
    with_cells: bool = False


SUMMARY_CALL = CallSpec("summary", "摘要", "call_summary.j2", SummaryAnswer, (1, 5), max_tokens=5000,
                        limits=(("overall", 8), ("problems", 12), ("improvements", 12)),
                        short=(("overall", 6), ("problems", 8), ("improvements", 8)))
JUDGE_CALL = CallSpec("judge", "叙述检查与评分", "call_judge.j2", JudgeAnswer, (1, 5, 6), max_tokens=3000,
                      limits=(("findings", 8),), short=(("findings", 5),), with_cells=True)
CUT_NOTE = "上次回答超出长度被截断。请精简：列表不超过上面给出的条数，text 不超过30字，quote 不超过30字。"


# ---------------------------------------------------------------- what the model is given


@dataclass
class Context:
    """Everything about one report that the prompts are built from (before compaction)."""

    units: dict[int, list[Unit]]  # section -> its units (injection lines already marked)
    found: set[int]
    allowed: Allowed  # lines each section may be cited from (injection lines excluded)
    injected: list[int]
    variables: dict  # facts, cells, table notes, known findings, criteria, format version


def build_context(result: AuditResult, doc: Document, numbers: tuple[int, ...] = (1, 5, 6)) -> Context:
    from ..injection import injection_lines

    ranges = section_ranges(result, doc)
    injected = injection_lines(doc)
    bad = set(injected)
    units = {n: section_units(doc, ranges[n], bad) for n in numbers if n in ranges}
    f = result.facts
    period = f"{f.period.start} 至 {f.period.end}" if f.period else None
    facts = {"agency": clean_text(f.agency) if f.agency else None, "year": f.year, "format_version": f.format_version,
             "period": period, "issued_on": f.issued_on}
    cells, table_notes = cells_for_prompt(result)
    known = sorted({f"{x.code}（第{x.line}行）" for x in result.findings
                    if x.source == "rule" and x.line and x.code[0] in "NQ"})
    criteria = [{**c, "section_numerals": "、".join(NUMERALS[s - 1] for s in c["sections"])}
                for c in rubric_mod.judged_criteria(f.format_version)]
    variables = {"facts": facts, "cells": cells, "table_notes": table_notes, "known_findings": known,
                 "criteria": criteria, "format_version": f.format_version or ""}
    return Context(units=units, found=set(ranges), allowed=Allowed({n: set(r) - bad for n, r in ranges.items()}),
                   injected=injected, variables=variables)


@dataclass
class Prepared:
    """One call's prompt variables after compaction, and what was cut."""

    call: CallSpec
    variables: dict
    cuts: dict[int, Cut]


def _sections_var(ctx: Context, call: CallSpec, units: dict[int, list[Unit]], cuts: dict[int, Cut]) -> list[dict]:
    return [{"number": n, "numeral": NUMERALS[n - 1], "title": SECTION_TITLES.get(n, ""), "found": n in ctx.found,
             "units": units.get(n, []), "cut": n in cuts and cuts[n].cut} for n in call.sections]


def _render_user(call: CallSpec, variables: dict, delim: str, json_schema: bool) -> str:
    return render(call.template, delim=delim, json_schema=json_schema, with_cells=call.with_cells, **variables)


def prepare(call: CallSpec, ctx: Context, json_schema: bool = False, short: bool = False) -> Prepared:
    """The call's variables with its sections compacted so the whole prompt fits the token target."""
    limits = dict(call.short if short else call.limits)
    base = {**ctx.variables, "limits": limits}
    empty = {**base, "sections": _sections_var(ctx, call, {}, {})}
    overhead = estimate_tokens(render("system.j2") + _render_user(call, empty, KEY_DELIMITER, json_schema))
    sizes = {n: sum(len(u.text) + 6 for u in ctx.units.get(n, [])) for n in call.sections if n in ctx.units}
    budget = TARGET_INPUT_TOKENS - overhead
    for _ in range(3):  # the estimate counts prefixes and ASCII differently: settle in a few steps
        shares = allot(sizes, budget)
        units, cuts = {}, {}
        for n in sizes:
            units[n], cuts[n] = compact(ctx.units[n], max(200, shares[n] - 6 * len(ctx.units[n])), n)
        variables = {**base, "sections": _sections_var(ctx, call, units, cuts)}
        used = estimate_tokens(render("system.j2") + _render_user(call, variables, KEY_DELIMITER, json_schema))
        if used <= TARGET_INPUT_TOKENS:
            break
        budget -= used - TARGET_INPUT_TOKENS + 50
    return Prepared(call, variables, cuts)


def messages_for(prepared: Prepared, delim: str, json_schema: bool, note: str = "") -> list[dict]:
    user = _render_user(prepared.call, prepared.variables, delim, json_schema)
    if note:
        user += "\n" + note
    return [{"role": "system", "content": render("system.j2")}, {"role": "user", "content": user}]


def _messages(call: CallSpec, ctx: Context, delim: str, json_schema: bool = False) -> list[dict]:
    """The messages of one call as first sent (used by tests and the Batch API mode)."""
    return messages_for(prepare(call, ctx, json_schema), delim, json_schema)


def request_key(config: LLMConfig, call: CallSpec, prepared: Prepared) -> str:
    """The cache key of a call: model, endpoint, the prompt with a fixed delimiter, the answer schema."""
    return cache_key(model=config.model, endpoint=config.endpoint_id,
                     messages=messages_for(prepared, KEY_DELIMITER, config.use_json_schema),
                     schema=call.answer.model_json_schema())


def planned_requests(result: AuditResult, doc: Document, config: LLMConfig) -> list[dict]:
    """The requests the online mode would send first for one report: [{call, key, body}] (Batch API mode)."""
    ctx = build_context(result, doc)
    out = []
    for call in (SUMMARY_CALL, JUDGE_CALL):
        if not any(n in ctx.found for n in call.sections):
            continue
        prepared = prepare(call, ctx, config.use_json_schema)
        schema = call.answer.model_json_schema()
        if config.use_json_schema:
            fmt = {"type": "json_schema", "json_schema": {"name": call.name, "schema": schema, "strict": False}}
        else:
            fmt = {"type": "json_object"}
        body = {"model": config.model, "messages": messages_for(prepared, new_delimiter(), config.use_json_schema),
                "response_format": fmt, "temperature": config.temperature,
                "max_tokens": min(call.max_tokens, config.max_tokens)}
        if config.extra_body:
            body.update(config.extra_body)
        out.append({"call": call.name, "key": request_key(config, call, prepared), "body": body})
    return out


# ---------------------------------------------------------------- asking (cache, call, re-ask)


@dataclass
class Session:
    """Per-report state: one budget, one lazily created client, usage per call."""

    config: LLMConfig
    budget: Budget
    cache: ResponseCache | None
    client: ChatClient | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: bool = False
    cache_hits: int = 0
    usage: list[dict] = field(default_factory=list)
    started: bool = False

    def _client(self) -> ChatClient:
        if self.client is None:
            self.client = ChatClient(self.config, self.budget)
        return self.client

    def begin(self) -> None:
        """The budget's clock starts with the first request, not before."""
        if not self.started:
            self.started = True
            self.budget.begin()

    def end(self) -> None:
        if self.started:
            self.started = False
            self.budget.end()
        if self.client is not None:
            self.client.close()

    def _complete(self, call: CallSpec, build, max_tokens: int, kind: str):
        client = self._client()  # importing openai and building the client is not charged
        self.begin()
        t0 = time.monotonic()
        schema = call.answer.model_json_schema()
        done = client.complete(build, schema, call.name, min(max_tokens, self.config.max_tokens))
        messages = build(client.json_schema_ok)
        if done.prompt_tokens is None or done.completion_tokens is None:
            self.estimated = True
            p, c = estimate_tokens("".join(m["content"] for m in messages)), estimate_tokens(done.content)
        else:
            p, c = done.prompt_tokens, done.completion_tokens
        self.prompt_tokens += p
        self.completion_tokens += c
        self.usage.append({"call": call.name, "kind": kind, "prompt_tokens": p, "completion_tokens": c,
                           "estimated": done.prompt_tokens is None, "seconds": round(time.monotonic() - t0, 2)})
        return done

    def converse(self, call: CallSpec, build, short_build, context: dict | None = None, answer_type=None):
        """Ask, parse and validate, with at most one re-ask: after an answer cut by max_tokens (a
        fresh prompt asking for shorter lists, `short_build()`), or after an invalid one (the
        answer and the validation error sent back). Raises LLMError when both fail."""
        answer_type = answer_type or call.answer
        done = self._complete(call, build, call.max_tokens, "first")
        answer, first = None, None
        try:
            answer = parse_answer(done.content, answer_type, context)
        except AnswerError as exc:
            first = exc
        if done.finish_reason != "length" and first is None:
            return answer
        if done.finish_reason == "length":
            # Cut (even if some JSON parsed, its lists are incomplete): ask for shorter lists.
            done = self._complete(call, short_build(), call.max_tokens, "reask-length")
        else:
            previous = strip_think(done.content)[:2000] or "（空）"
            done = self._complete(call, lambda js: build(js) + [
                {"role": "assistant", "content": previous}, {"role": "user", "content": str(first)}],
                call.max_tokens, "reask-invalid")
        try:
            answer = parse_answer(done.content, answer_type, context)
        except AnswerError as second:
            raise LLMError(f"两次回答均无效：{second.public}") from None
        if done.finish_reason == "length":
            raise LLMError("回答两次因长度被截断（max_tokens 不足），未采用")
        return answer

    def ask(self, call: CallSpec, ctx: Context, context: dict | None = None):
        """(validated answer, Prepared) — from the cache, or asked with at most one re-ask."""
        json_schema = self.config.use_json_schema
        prepared = prepare(call, ctx, json_schema)
        key = request_key(self.config, call, prepared)
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                try:
                    answer = call.answer.model_validate(hit["answer"], context=context)
                    if hit.get("filtered"):
                        answer._filtered = int(hit["filtered"])  # what validation left out, as on the first run
                    self.cache_hits += 1
                    return answer, prepared
                except Exception:  # stale or foreign entry: ask again
                    pass
        delim = new_delimiter()
        answer = self.converse(call, lambda js: messages_for(prepared, delim, js),
                               lambda: _short_builder(call, ctx, json_schema), context)
        if self.cache is not None:
            value = {"answer": answer.model_dump(mode="json")}
            if getattr(answer, "_filtered", 0):
                value["filtered"] = answer._filtered
            self.cache.put(key, value, self.config.model or "")
        return answer, prepared


def _short_builder(call: CallSpec, ctx: Context, json_schema: bool):
    """Messages for the re-ask after a cut answer: shorter list limits and a note saying why."""
    prepared = prepare(call, ctx, json_schema, short=True)
    delim = new_delimiter()
    return lambda js: messages_for(prepared, delim, js, CUT_NOTE)


# ---------------------------------------------------------------- consistency between findings and scores


def _reconcile_q003(findings: list, scores: dict) -> int:
    """Q003 says 五 does not report last year's rectification; a verified L3 at level A/B quotes
    text that does. A positive quote outweighs a claim of absence: drop the Q003 (counted)."""
    l3 = scores.get("L3")
    if not l3 or l3["level"] in ("D",):
        return 0
    before = len(findings)
    findings[:] = [f for f in findings if f.code != "Q003"]
    return before - len(findings)


# ---------------------------------------------------------------- entry point


def run_llm(result: AuditResult, doc: Document, config: LLMConfig, select=None, ignore=None,
            budget: Budget | None = None, gate: EndpointGate | None = None) -> None:
    """Fill result.summary, result.rubric, result.llm and append verified LLM findings.

    Never raises and never changes a deterministic finding: on any failure the report keeps its
    full deterministic audit, and result.llm says what was not done and why. `budget` is the
    report's LLM time (shared with its cross-year call in a batch); `gate` the batch's verdict on
    the endpoint.
    """
    status = result.llm
    inputs: dict = {"select": select, "ignore": ignore}
    if not config.enabled:
        status.skipped_reason = config.skipped_reason
        result.rubric = rubric_mod.score_rubric(result, None, "未运行 LLM，评审类指标未评分", inputs)
        return
    gate = gate or EndpointGate(config, stream=_Silent())
    if gate.closed:
        status.skipped_reason = gate.skipped_reason()
        result.rubric = rubric_mod.score_rubric(result, None, "大模型端点不可用，评审类指标未评分", inputs)
        return
    budget = budget or Budget(config.budget_s)
    session = None
    llm_scores: dict[str, dict] = {}
    llm_reason = ""
    dropped = 0
    answered = 0
    cuts: dict[int, Cut] = {}
    try:
        cache = None if config.no_cache else ResponseCache(config.resolved_cache_dir())
        session = Session(config, budget, cache)
        ctx = build_context(result, doc)
        criteria = ctx.variables["criteria"]
        levels = {c["id"]: {lv["id"] for lv in c["levels"]} for c in criteria}
        inputs["injected"] = bool(ctx.injected)
        if ctx.injected:
            lines = "、".join(str(n) for n in ctx.injected[:10])
            status.notes.append(f"报告第{lines}行含疑似针对模型的指令（N007）：这些行作为不可信内容隐去、不可引用；"
                                f"评审类得分封顶为可评分数的 {float(rubric_mod.load_rubric().get('injection_cap', 0.5)):.0%}")
        failures = []
        for call in (SUMMARY_CALL, JUDGE_CALL):
            if not any(n in ctx.found for n in call.sections):
                failures.append(f"{call.title}：报告中未找到相关部分，未调用 LLM")
                if call is SUMMARY_CALL:
                    inputs["mapping_reason"] = "报告中未找到第一、五部分，未生成问题与措施的对应关系"
                continue
            try:
                answer, prepared = session.ask(call, ctx, {"levels": levels} if call is JUDGE_CALL else None)
            except EndpointUnavailable as exc:
                gate.trip(str(exc))
                failures.append(f"{call.title}：{config.redact(str(exc))}；本报告其余调用已跳过")
                break
            except BudgetExhausted as exc:
                failures.append(f"{call.title}：{config.redact(str(exc))}")
                break
            except AnswerFormatError as exc:
                failures.append(f"{call.title}：{config.redact(str(exc))}")
                continue
            except LLMError as exc:
                failures.append(f"{call.title}：{config.redact(str(exc))}")
                continue
            answered += 1
            for n, cut in prepared.cuts.items():
                if cut.cut and (n not in cuts or cut.share < cuts[n].share):
                    cuts[n] = cut
            if call is SUMMARY_CALL:
                summary, n, mapping = ground_summary(answer, doc, ctx.allowed)
                dropped += n
                result.summary = summary
                inputs["mapping"] = mapping
            else:
                findings, n1 = ground_findings(answer, doc, ctx.allowed, result, select, ignore)
                llm_scores, n2 = ground_scores(answer, doc, ctx.allowed, criteria)
                dropped += n1 + n2 + _reconcile_q003(findings, llm_scores)
                result.findings.extend(findings)
        if SUMMARY_CALL.name not in {u["call"] for u in session.usage} and "mapping" not in inputs \
                and "mapping_reason" not in inputs:
            inputs["mapping_reason"] = "摘要调用未成功，L2 未评分"
        for text in failures:
            status.notes.append(f"LLM 未完成 — {text}；确定性审核结果完整，不受影响")
        if answered == 0:
            llm_reason = "LLM 调用未成功，评审类指标未评分"
    except Exception as exc:  # a bug or an unexpected library error must not sink the audit
        status.notes.append(config.redact(f"LLM 层内部错误（{type(exc).__name__}）；确定性审核结果完整，不受影响"))
        llm_scores, llm_reason = {}, "LLM 层出错，评审类指标未评分"
        inputs.pop("mapping", None)
        result.summary = None
    finally:
        if session is not None:
            session.end()
    for n, cut in sorted(cuts.items()):
        status.notes.append(cut.describe() + "；依据该部分的评分项为“部分评估”")
    inputs["cut"] = {str(n): round(c.share, 3) for n, c in cuts.items()}
    _record_usage(status, session, budget)
    status.ran = answered > 0
    if not status.ran and not status.skipped_reason:
        status.skipped_reason = (gate.skipped_reason() if gate.closed else "LLM 调用失败，仅输出确定性审核结果")
    status.dropped = dropped
    if dropped:
        status.notes.append(f"{dropped} items dropped as unverifiable（{dropped} 项无法核验，已剔除）")
    if result.summary is not None:
        result.summary["dropped"] = dropped
        result.summary["note"] = f"{dropped} items dropped as unverifiable"
        result.summary["cut"] = [c.describe() for _, c in sorted(cuts.items())]
    asked = [c["id"] for c in ctx_criteria(result)]
    if answered and any(c not in llm_scores for c in asked) and not llm_reason:
        llm_reason = "LLM 未给出可核验的评分依据，未评分"
    result.rubric = rubric_mod.score_rubric(result, llm_scores, llm_reason, inputs)


def ctx_criteria(result: AuditResult) -> list[dict]:
    return rubric_mod.judged_criteria(result.facts.format_version)


def _record_usage(status, session: Session | None, budget: Budget) -> None:
    if session is None:
        return
    client = session.client
    status.calls += client.attempts if client else 0
    status.prompt_tokens += session.prompt_tokens
    status.completion_tokens += session.completion_tokens
    status.usage = list(status.usage) + session.usage
    status.seconds = round(budget.used, 2)
    if session.estimated:
        status.notes.append("端点未返回 token 用量，以上为按字符估算")
    if session.cache_hits:
        status.notes.append(f"{session.cache_hits} 个回答来自缓存（未产生调用）")
    if client is not None:
        status.notes.extend(n for n in client.notes if n not in status.notes)
        if client.retries:
            status.notes.append(f"重试 {client.retries} 次")


class _Silent:
    """A stream for the gate of a single run_llm call outside a batch (the notes say it all)."""

    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass


__all__ = ["run_llm", "build_context", "prepare", "messages_for", "planned_requests", "SUMMARY_CALL", "JUDGE_CALL",
           "KEY_DELIMITER", "Context", "Session", "CallSpec", "section_ranges"]
