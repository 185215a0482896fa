"""Cross-year, with an LLM: are last year's listed problems addressed in this year's report? (X004)

One optional call per pair of consecutive reports of the same agency in a batch. The model lists
last year's problems (quoted from last year's section 五) and, for each, whether this year's
report states how it was rectified (quoted from this year's sections 一/五). Both quotes are
verified against their own report; last year's quote must be a problem sentence — not a
heading ("五、存在的主要问题及改进情况", "（一）存在的问题") and not a measure ("下一步，我局将…").
A problem judged not addressed becomes a warning on this year's report, cited at its section 五
heading, with last year's problem as related evidence, in our own words: the model's reason is
not shown (it cannot be checked).

The call is part of this year's report's LLM work: it runs in the batch's job pool once that
report's own calls are done, under the same `Budget` (--llm-budget bounds both together) and the
same endpoint gate. Its result is merged into the report by the batch, on the main thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import Field

from .. import pattern_cache
from ..document import Document
from ..models import AuditResult, Evidence, Finding
from .answers import _Answer
from .cache import ResponseCache, cache_key
from .client import Budget, BudgetExhausted, EndpointUnavailable, LLMError
from .config import LLMConfig
from .context import TARGET_INPUT_TOKENS, allot, compact, section_ranges, section_units
from .gate import EndpointGate
from .grounding import normalize, quote_is_heading, verify_quote
from .prompts import estimate_tokens, new_delimiter, render
from .tasks import CUT_NOTE, KEY_DELIMITER, CallSpec, Session

MAX_ITEMS = 10
# A paragraph that reports rectification or plans measures is not where last year's problems are listed.
_NOT_PROBLEM = pattern_cache.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．])?(?:下一步|下一年|今后|明年|我[局市县区委办]将|将进一步|将|"
                          r"上一?年度?(?:报告)?(?:中)?(?:所列|提出|指出)?的?问题(?:的)?整改|整改情况|整改措施|改进措施|改进情况|"
                          r"工作计划|针对上一?年度?)")


class FollowupItem(_Answer):
    problem_line: int = Field(description="去年报告中该问题所在行号（A 后面的数字）")
    problem_quote: str = Field(description="该行的逐字原文（8–40字）")
    addressed: bool = Field(description="今年报告是否说明了整改/改进情况")
    answer_line: int | None = Field(default=None, description="今年报告中说明整改情况的行号（B 后面的数字）")
    answer_quote: str | None = Field(default=None, description="该行的逐字原文")
    reason: str = Field(default="", description="一句中文理由")


class FollowupAnswer(_Answer):
    items: list[FollowupItem] = Field(default_factory=list)


FOLLOWUP_CALL = CallSpec("followup", "上年问题整改", "call_followup.j2", FollowupAnswer, (), max_tokens=3000,
                         limits=(("items", MAX_ITEMS),), short=(("items", 6),))


@dataclass
class Outcome:
    """What the X004 call of one pair adds to this year's report."""

    findings: list[Finding] = field(default_factory=list)
    dropped: int = 0
    notes: list[str] = field(default_factory=list)
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    usage: list[dict] = field(default_factory=list)
    seconds: float = 0.0


def _selected(select, ignore) -> bool:
    return (not select or any("X004".startswith(s) for s in select)) and \
        not (ignore and any("X004".startswith(s) for s in ignore))


def _variables(prev: AuditResult, prev_doc: Document, cur: AuditResult, cur_doc: Document, prev_bad, cur_bad,
               json_schema: bool, short: bool) -> dict:
    """Prompt variables with both sides compacted to the token target (last year 40 %, this year 60 %)."""
    pr, cr = section_ranges(prev, prev_doc), section_ranges(cur, cur_doc)
    prev_units = section_units(prev_doc, pr[5], prev_bad)
    cur_units = [u for n in (1, 5) if n in cr for u in section_units(cur_doc, cr[n], cur_bad)]
    limits = dict(FOLLOWUP_CALL.short if short else FOLLOWUP_CALL.limits)

    def render_with(p, c):
        return render("call_followup.j2", delim=KEY_DELIMITER, json_schema=json_schema, limits=limits,
                      prev={"year": prev.facts.year, "units": p}, cur={"year": cur.facts.year, "units": c})

    overhead = estimate_tokens(render("system.j2") + render_with([], []))
    sizes = {5: sum(len(u.text) + 6 for u in prev_units), 1: sum(len(u.text) + 6 for u in cur_units)}
    shares = allot(sizes, TARGET_INPUT_TOKENS - overhead)
    p_units, p_cut = compact(prev_units, max(200, shares[5] - 6 * len(prev_units)), 5)
    c_units, c_cut = compact(cur_units, max(200, shares[1] - 6 * len(cur_units)), 5)
    return {"limits": limits, "prev": {"year": prev.facts.year, "units": p_units},
            "cur": {"year": cur.facts.year, "units": c_units}, "cut": p_cut.cut or c_cut.cut}


def check_followup(prev: AuditResult, prev_doc: Document, cur: AuditResult, cur_doc: Document, config: LLMConfig,
                   budget: Budget | None = None, gate: EndpointGate | None = None) -> Outcome:
    """The X004 outcome for this year's report. Never raises."""
    from ..injection import injection_lines

    out = Outcome()
    prev_ranges, cur_ranges = section_ranges(prev, prev_doc), section_ranges(cur, cur_doc)
    if 5 not in prev_ranges or 5 not in cur_ranges:
        out.notes.append("上年问题整改（X004）：两份报告之一没有第五部分，未调用 LLM")
        return out
    if gate is not None and gate.closed:
        out.notes.append("上年问题整改（X004）未运行：大模型端点不可用")
        return out
    prev_bad, cur_bad = set(injection_lines(prev_doc)), set(injection_lines(cur_doc))
    prev_allowed = set(prev_ranges[5]) - prev_bad
    cur_allowed = (set(cur_ranges.get(1, range(0))) | set(cur_ranges[5])) - cur_bad
    budget = budget or Budget(config.budget_s)
    cache = None if config.no_cache else ResponseCache(config.resolved_cache_dir())
    session = Session(config, budget, cache)
    answer = None
    try:
        answer = _ask(session, config, prev, prev_doc, cur, cur_doc, prev_bad, cur_bad)
    except EndpointUnavailable as exc:
        if gate is not None:
            gate.trip(str(exc))
        out.notes.append(f"上年问题整改（X004）未完成：{config.redact(str(exc))}")
    except (BudgetExhausted, LLMError) as exc:
        out.notes.append(f"上年问题整改（X004）未完成：{config.redact(str(exc))}")
    except Exception as exc:  # never sink the batch
        out.notes.append(config.redact(f"上年问题整改（X004）内部错误（{type(exc).__name__}）"))
    finally:
        session.end()
        out.calls = session.client.attempts if session.client else 0
        out.prompt_tokens, out.completion_tokens = session.prompt_tokens, session.completion_tokens
        out.usage = session.usage
        out.seconds = round(budget.used, 2)
    if answer is None:
        return out
    sec5 = min(cur_ranges[5])
    heading = Evidence(line=sec5, quote=cur_doc.full_quote(sec5))
    seen: set[int] = set()
    for item in answer.items[:MAX_ITEMS]:
        problem = verify_quote(prev_doc, item.problem_line, item.problem_quote, prev_allowed)
        if problem is None or quote_is_heading(prev_doc, problem) or _not_a_problem(prev_doc, problem, prev_allowed):
            out.dropped += 1
            continue
        if item.addressed:
            if verify_quote(cur_doc, item.answer_line, item.answer_quote, cur_allowed) is None:
                out.dropped += 1  # a claimed rectification that is not in the text is not trusted
            continue
        if problem.line in seen:
            continue
        seen.add(problem.line)
        out.findings.append(Finding(
            code="X004", severity="warning", source="llm", line=heading.line, quote=heading.quote,
            message=(f"{prev.facts.year}年度报告（{prev.file}）第{problem.line}行所列问题“{problem.quote[:60]}”，"
                     "本年度报告未见整改或改进情况的说明（上年引文已核验）"),
            related=[problem]))
    out.dropped += max(0, len(answer.items) - MAX_ITEMS)
    out.notes.append(f"上年问题整改（X004）：模型列出上年问题 {len(answer.items)} 条，"
                     f"{len(out.findings)} 条经核验未见整改说明")
    if out.dropped:
        out.notes.append(f"上年问题整改（X004）：{out.dropped} items dropped as unverifiable")
    return out


def _not_a_problem(doc: Document, ev: Evidence, allowed: set[int]) -> bool:
    """The quote is a measure or a rectification report (by its own start or its paragraph's), not a problem."""
    from .grounding import _paragraph_lines

    first = _paragraph_lines(doc, ev.line, allowed)[0]
    return bool(_NOT_PROBLEM.match(normalize(ev.quote)) or _NOT_PROBLEM.match(normalize(doc.lines[first - 1].raw)))


def _ask(session: Session, config: LLMConfig, prev, prev_doc, cur, cur_doc, prev_bad, cur_bad):
    js = config.use_json_schema
    variables = _variables(prev, prev_doc, cur, cur_doc, prev_bad, cur_bad, js, short=False)

    def build(delim, v, note=""):
        def messages(json_schema: bool) -> list[dict]:
            user = render("call_followup.j2", delim=delim, json_schema=json_schema, limits=v["limits"],
                          prev=v["prev"], cur=v["cur"])
            return [{"role": "system", "content": render("system.j2")},
                    {"role": "user", "content": user + ("\n" + note if note else "")}]
        return messages

    key = cache_key(model=config.model, endpoint=config.endpoint_id, messages=build(KEY_DELIMITER, variables)(js),
                    schema=FollowupAnswer.model_json_schema())
    if session.cache is not None:
        hit = session.cache.get(key)
        if hit is not None:
            try:
                answer = FollowupAnswer.model_validate(hit["answer"])
                session.cache_hits += 1
                return answer
            except Exception:
                pass

    def short_build():
        short = _variables(prev, prev_doc, cur, cur_doc, prev_bad, cur_bad, js, short=True)
        return build(new_delimiter(), short, CUT_NOTE)

    answer = session.converse(FOLLOWUP_CALL, build(new_delimiter(), variables), short_build)
    if session.cache is not None:
        session.cache.put(key, {"answer": answer.model_dump(mode="json")}, config.model or "")
    return answer


def followup_job(prev: AuditResult, cur: AuditResult, config: LLMConfig, select=None, ignore=None,
                 budget: Budget | None = None, gate: EndpointGate | None = None) -> Outcome:
    """The X004 work of one pair, for the batch's job pool: re-reads both reports. Never raises."""
    from ..readers import InputError, read_document

    if not _selected(select, ignore) or not config.enabled:
        return Outcome()
    try:
        prev_doc, cur_doc = read_document(prev.file), read_document(cur.file)
    except (InputError, OSError):
        return Outcome(notes=["上年问题整改（X004）：两份报告之一未能重新读取，未调用 LLM"])
    except Exception as exc:  # a reader bug must not sink the batch
        return Outcome(notes=[f"上年问题整改（X004）：重新读取报告出错（{type(exc).__name__}）"])
    return check_followup(prev, prev_doc, cur, cur_doc, config, budget, gate)


def merge_outcome(cur: AuditResult, outcome: Outcome, pair=None) -> None:
    """Add an X004 outcome to this year's report (main thread, after the report's own LLM work)."""
    cur.findings.extend(outcome.findings)
    cur.llm.notes.extend(outcome.notes)
    cur.llm.dropped += outcome.dropped
    cur.llm.calls += outcome.calls
    cur.llm.prompt_tokens += outcome.prompt_tokens
    cur.llm.completion_tokens += outcome.completion_tokens
    cur.llm.usage = list(cur.llm.usage) + outcome.usage
    cur.llm.seconds = max(cur.llm.seconds, outcome.seconds)
    if pair is not None and outcome.findings and "X004" not in pair.codes:
        pair.codes.append("X004")


def apply_followup(pairs, results: list[AuditResult], config: LLMConfig, select=None, ignore=None) -> None:
    """Run X004 for every pair one after another (callers without a job pool; the batch uses followup_job)."""
    if not _selected(select, ignore) or not config.enabled:
        return
    gate = EndpointGate(config)
    for pair in pairs:
        merge_outcome(results[pair.cur], followup_job(results[pair.prev], results[pair.cur], config, select, ignore,
                                                      gate=gate), pair)


class FollowupScheduler:
    """X004 jobs of a batch, in the same job pool as the reports.

    Pairs are known once every report's deterministic audit is done (`plan`); a pair's job is
    submitted as soon as that and this year's report's own LLM work are both done (`report_done`),
    so it runs under the same budget, after it, never alongside it. Outcomes are merged on the
    main thread at the end (`merge`), after the rule-based cross-year checks.
    """

    def __init__(self, config: LLMConfig, select=None, ignore=None, gate: EndpointGate | None = None, limiter=None):
        self.config = config
        self.select, self.ignore = select, ignore
        self.gate = gate
        self.limiter = limiter
        self.budgets: dict[int, Budget] = {}
        self.pairs: list | None = None
        self.done: set[int] = set()
        self.submitted: set[tuple[int, int]] = set()
        self.outcomes: dict[tuple[int, int], Outcome] = {}
        self.results: list[AuditResult] = []

    def budget(self, i: int) -> Budget:
        """The LLM budget of report i (its own calls and the X004 call of the pair it closes)."""
        if i not in self.budgets:
            self.budgets[i] = Budget(self.config.budget_s)
        return self.budgets[i]

    def plan(self, results: list[AuditResult], submit) -> None:
        """Match the pairs (deterministic facts only) and submit the jobs whose report is done."""
        from ..crossyear import match_pairs

        self.results = results
        self.pairs = match_pairs(results)[0] if _selected(self.select, self.ignore) and self.config.enabled else []
        for i in sorted(self.done):
            self._submit_ready(i, submit)

    def report_done(self, i: int, submit) -> None:
        self.done.add(i)
        if self.pairs is not None:
            self._submit_ready(i, submit)

    def _submit_ready(self, i: int, submit) -> None:
        for p in self.pairs or []:
            key = (p.prev, p.cur)
            if p.cur == i and key not in self.submitted:
                self.submitted.add(key)
                submit(key, self._job, self.results[p.prev], self.results[p.cur], self.budget(p.cur))

    def _job(self, prev: AuditResult, cur: AuditResult, budget: Budget) -> Outcome:
        if self.limiter is not None:
            self.limiter.wait()
        try:
            return followup_job(prev, cur, self.config, self.select, self.ignore, budget, self.gate)
        except Exception as exc:  # belt and braces: followup_job never raises
            return Outcome(notes=[f"上年问题整改（X004）内部错误（{type(exc).__name__}）"])

    def collect(self, key: tuple[int, int], outcome: Outcome) -> None:
        self.outcomes[key] = outcome

    def merge(self, results: list[AuditResult], pairs) -> None:
        """Add each pair's X004 outcome to this year's report (and its code to the pair)."""
        for p in pairs:
            outcome = self.outcomes.get((p.prev, p.cur))
            if outcome is not None:
                merge_outcome(results[p.cur], outcome, p)
