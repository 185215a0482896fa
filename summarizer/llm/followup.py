"""Cross-year, with an LLM: are last year's listed problems addressed in this year's report? (X004)

One optional call per pair of consecutive reports of the same agency in a batch. The model lists
last year's problems (quoted from last year's section 五) and, for each, whether this year's
report states how it was rectified (quoted from this year's sections 一/五). Both quotes are
verified against their own report; an unverifiable item is dropped and counted. A problem judged
not addressed becomes a warning on this year's report, cited at its section 五 heading, with last
year's problem as related evidence.
"""

from __future__ import annotations

from pydantic import Field

from ..models import AuditResult, Evidence, Finding
from ..document import Document
from .answers import _Answer
from .cache import ResponseCache
from .client import Deadline, LLMError
from .config import LLMConfig
from .grounding import injection_lines, verify_quote
from .prompts import clean_untrusted
from .tasks import MAX_SECTION_CHARS, CallSpec, Context, Session, _text, section_ranges


class FollowupItem(_Answer):
    problem_line: int = Field(description="去年报告中该问题所在行号（A 后面的数字）")
    problem_quote: str = Field(description="该行的逐字原文（至少4个字）")
    addressed: bool = Field(description="今年报告是否说明了整改/改进情况")
    answer_line: int | None = Field(default=None, description="今年报告中说明整改情况的行号（B 后面的数字）")
    answer_quote: str | None = Field(default=None, description="该行的逐字原文")
    reason: str = Field(description="一句中文理由")


class FollowupAnswer(_Answer):
    items: list[FollowupItem] = Field(default_factory=list)


FOLLOWUP_CALL = CallSpec("followup", "上年问题整改", "call_followup.j2", FollowupAnswer, ())


def _lines(doc: Document, numbers: set[int], bad: set[int]) -> list[dict]:
    out, used = [], 0
    for no in sorted(numbers):
        ln = doc.lines[no - 1]
        text = ln.raw.strip()
        if not text or ln.furniture or no in bad:
            continue
        text = clean_untrusted(text)
        if used + len(text) > MAX_SECTION_CHARS:
            break
        used += len(text)
        out.append({"no": no, "text": text})
    return out


def apply_followup(pairs, results: list[AuditResult], config: LLMConfig, select=None, ignore=None) -> None:
    """Run the X004 check for every cross-year pair and add its findings and usage to this year's result."""
    from ..readers import InputError, read_document

    code_on = (not select or any("X004".startswith(s) for s in select)) and \
        not (ignore and any("X004".startswith(s) for s in ignore))
    if not code_on or not config.enabled:
        return
    for pair in pairs:
        prev, cur = results[pair.prev], results[pair.cur]
        try:
            prev_doc, cur_doc = read_document(prev.file), read_document(cur.file)
        except (InputError, OSError):
            continue
        findings, dropped, notes, usage = check_followup(prev, prev_doc, cur, cur_doc, config)
        cur.findings.extend(findings)
        cur.llm.notes.extend(notes)
        cur.llm.dropped += dropped
        cur.llm.calls += usage[0]
        cur.llm.prompt_tokens += usage[1]
        cur.llm.completion_tokens += usage[2]
        if findings and "X004" not in pair.codes:
            pair.codes.append("X004")


def check_followup(prev: AuditResult, prev_doc: Document, cur: AuditResult, cur_doc: Document,
                   config: LLMConfig) -> tuple[list[Finding], int, list[str], tuple[int, int, int]]:
    """(X004 findings for `cur`, items dropped, notes, (calls, prompt tokens, completion tokens)). Never raises."""
    prev_ranges, cur_ranges = section_ranges(prev, prev_doc), section_ranges(cur, cur_doc)
    if 5 not in prev_ranges or 5 not in cur_ranges:
        return [], 0, ["上年问题整改（X004）：两份报告之一没有第五部分，未调用 LLM"], (0, 0, 0)
    prev_bad, cur_bad = set(injection_lines(prev_doc)), set(injection_lines(cur_doc))
    prev_allowed = set(prev_ranges[5]) - prev_bad
    cur_allowed = (set(cur_ranges.get(1, range(0))) | set(cur_ranges[5])) - cur_bad
    variables = {"prev": {"year": prev.facts.year, "lines": _lines(prev_doc, prev_allowed, prev_bad)},
                 "cur": {"year": cur.facts.year, "lines": _lines(cur_doc, cur_allowed, cur_bad)},
                 "sections": []}
    ctx = Context(ranges={}, injected=[], facts_values=set(), variables=variables)
    cache = None if config.no_cache else ResponseCache(config.resolved_cache_dir())
    session = Session(config, Deadline(config.budget_s), cache)
    def usage() -> tuple[int, int, int]:
        calls = session.client.attempts if session.client else 0
        return calls, session.prompt_tokens, session.completion_tokens

    try:
        answer = session.ask(FOLLOWUP_CALL, ctx)
    except LLMError as exc:
        return [], 0, [f"上年问题整改（X004）未完成：{config.redact(str(exc))}"], usage()
    except Exception as exc:  # never sink the batch
        return [], 0, [config.redact(f"上年问题整改（X004）内部错误（{type(exc).__name__}）")], usage()
    sec5 = min(cur_ranges[5])
    heading = Evidence(line=sec5, quote=cur_doc.full_quote(sec5))
    findings, dropped = [], 0
    for item in answer.items:
        problem = verify_quote(prev_doc, item.problem_line, item.problem_quote, prev_allowed)
        if problem is None:
            dropped += 1
            continue
        if item.addressed:
            if verify_quote(cur_doc, item.answer_line, item.answer_quote, cur_allowed) is None:
                dropped += 1  # a claimed rectification that is not in the text is not trusted
            continue
        findings.append(Finding(
            code="X004", severity="warning", source="llm", line=heading.line, quote=heading.quote,
            message=(f"{prev.facts.year}年度报告（{prev.file}）第{problem.line}行所列问题“{problem.quote[:60]}”，"
                     f"本年度报告未说明整改或改进情况：{_text(item.reason)}（LLM 判断，引文已核验）"),
            related=[problem]))
    notes = [f"上年问题整改（X004）：{len(answer.items)} 条上年问题，{len(findings)} 条未见整改说明"]
    if dropped:
        notes.append(f"上年问题整改（X004）：{dropped} items dropped as unverifiable")
    return findings, dropped, notes, usage()
