"""Turning a validated answer into what a reviewer sees — only what survives verification.

Every string shown comes from one of two places: the report itself (verified quotes, shown in
the report's own spelling) or our own words (ids P1/I1, criterion names and levels from
rubric.toml, notes). The model's free text (a key point's text, a finding's message, a score's
reason) is shown only when every number in it occurs in the item's own verified quote(s) (or is
the one table cell the item names), it is not itself addressed to a model (injection.py), and
it is clipped to one line. Anything else is dropped and counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..document import Document
from ..injection import is_injection, strip_hidden
from ..models import AuditResult, Evidence, Finding
from .grounding import common_run, normalize, numbers_in, quote_is_heading, ungrounded_numbers, verify_quote

MAX_TEXT_CHARS = 120
LIMITS = {"overall": 8, "problems": 12, "improvements": 12, "findings": 8}


def clean_text(s: str) -> str:
    """Model text fit to show: no invisible characters or delimiter look-alikes, one line, clipped.
    (Its numbers and injection-likeness are checked on the NFKC form, see _text_ok.)"""
    return " ".join(strip_hidden(str(s)).split())[:MAX_TEXT_CHARS]


def _text_ok(text: str, quotes: list[str], extra: set[Decimal] | frozenset = frozenset()) -> bool:
    return bool(text.strip()) and not ungrounded_numbers(text, quotes, extra) and not is_injection(text)


@dataclass
class Allowed:
    """The lines each section may be cited from (injection lines excluded)."""

    ranges: dict[int, set[int]]

    def of(self, *sections: int) -> set[int]:
        return set().union(*(self.ranges.get(n, set()) for n in sections)) if sections else set()


def ground_summary(ans, doc: Document, allowed: Allowed) -> tuple[dict, int, dict]:
    """(summary with our ids, items dropped, mapping {problems, answered, measures, restated}).

    The mapping (which measure answers which problem) is the model's judgement between two verified
    items; L2 is computed from it (rubric.mapping_level)."""
    dropped = 0

    def keep(item, section: int, body: bool) -> dict | None:
        nonlocal dropped
        ev = verify_quote(doc, item.line, item.quote, allowed.of(section))
        text = clean_text(item.text)
        if ev is None or (body and quote_is_heading(doc, ev)) or not _text_ok(text, [ev.quote]):
            dropped += 1
            return None
        return {"text": text, "line": ev.line, "quote": ev.quote}

    def capped(items, limit: int):
        nonlocal dropped
        dropped += max(0, len(items) - limit)
        return items[:limit]

    overall = [p for p in (keep(x, 1, False) for x in capped(ans.overall, LIMITS["overall"])) if p]
    problems, by_model_id = [], {}
    for x in capped(ans.problems, LIMITS["problems"]):
        p = keep(x, 5, True)
        if p:
            pid = f"P{len(problems) + 1}"
            by_model_id.setdefault(str(x.id).strip(), pid)
            problems.append({"id": pid, **p})
    improvements, answered, restated = [], set(), 0
    problem_by_id = {p["id"]: p for p in problems}
    for x in capped(ans.improvements, LIMITS["improvements"]):
        m = keep(x, 5, True)
        if not m:
            continue
        answers = []
        for a in x.answers:
            pid = by_model_id.get(str(a).strip())
            if pid is None or pid in answers:
                continue
            # A pairing counts between two verified items; a "measure" that only restates its problem
            # ("思想认识有待提高" → "提高思想认识") answers nothing (rubric L2: 措施是否只是重复问题).
            if restates(m["quote"], problem_by_id[pid]["quote"]):
                restated += 1
                continue
            answers.append(pid)
        improvements.append({"id": f"I{len(improvements) + 1}", **m, "answers": answers})
        answered |= set(answers)
    mapping = {"problems": len(problems), "answered": len(answered), "measures": len(improvements),
               "restated": restated}
    return {"overall": overall, "problems": problems, "improvements": improvements}, dropped, mapping


RESTATED = 0.7  # share of a measure's character pairs found in its problem: a restatement, not a measure


def restates(measure: str, problem: str) -> bool:
    """Whether the measure's text is (nearly) its problem's words again."""
    def pairs(t: str) -> list[str]:
        t = "".join(c for c in normalize(t) if "\u4e00" <= c <= "\u9fff")
        return [t[i:i + 2] for i in range(len(t) - 1)]

    mine, theirs = pairs(measure), set(pairs(problem))
    return bool(mine) and sum(1 for p in mine if p in theirs) / len(mine) >= RESTATED


def _selected(code: str, select, ignore) -> bool:
    if select and not any(code.startswith(s) for s in select):
        return False
    return not (ignore and any(code.startswith(s) for s in ignore))


# ---------------------------------------------------------------- N005: which cell a quote talks about

_ROW_WORDS = {
    "applications.new": ("新收", "收到", "受理", "接收", "本年申请"),
    "applications.carried_over": ("上年结转",),
    "applications.total": ("办结", "办理完毕", "答复", "办理结果", "处理"),
    "applications.carried_forward": ("结转下年", "结转至下", "顺延", "转入下"),
    "applications.granted": ("予以公开", "同意公开"),
    "applications.partial": ("部分公开",),
    "litigation.review": ("行政复议", "复议"),
    "litigation.direct": ("行政诉讼", "起诉", "诉讼"),
    "litigation.after_review": ("复议后起诉", "复议后"),
}
_GENERIC = ("政府信息公开", "政府信息", "数量", "本年", "情况", "总计", "件数", "事项")


def _label_words(key: str, fmt: str) -> tuple[list[str], list[str]]:
    """(words naming the cell's row, words naming its column) — for matching a quote to a cell."""
    from ..schema import cell_label

    try:
        label = cell_label(key, fmt)
    except Exception:
        return [], []
    row, _, col = label.partition("·")
    for g in _GENERIC:
        row = row.replace(g, "")
    row_key = ".".join(key.split(".")[:2])
    words = [w for w in (row,) if len(w) >= 2] + list(_ROW_WORDS.get(row_key, ()))
    cols = [] if col in ("总计", "") or key.startswith("applications.") and key.endswith(".total") else [col]
    return words, cols


def quote_names_cell(quote: str, key: str, cells: dict, fmt: str) -> bool:
    """Whether `quote` talks about cell `key` — its row (label or known keyword) and, for a
    non-total column, its column — and not more specifically about another row."""
    words, cols = _label_words(key, fmt)

    def score(ws: list[str]) -> int:
        best = 0
        for w in ws:
            if w and w in quote:
                best = max(best, len(w))
            elif len(w) >= 3 and common_run(w, quote, 3):
                best = max(best, 3)
        return best

    mine = score(words)
    if mine < 2 or any(c not in quote for c in cols):
        return False
    table = key.split(".")[0]
    for other in cells:
        if other == key or not other.startswith(table + ".") or other.rsplit(".", 1)[-1] != key.rsplit(".", 1)[-1]:
            continue
        if ".".join(other.split(".")[:2]) == ".".join(key.split(".")[:2]):
            continue
        if score(_label_words(other, fmt)[0]) > mine:
            return False  # the quote is about another row ("上年结转" named as 新收)
    return True


# ---------------------------------------------------------------- findings and scores


def ground_findings(ans, doc: Document, allowed: Allowed, result: AuditResult, select=None, ignore=None) -> tuple[list[Finding], int]:
    narrative = allowed.of(1, 5, 6)
    rule_lines = {(f.code[0], f.line) for f in result.findings if f.source == "rule"}
    from ..schema import assumed_format

    fmt = assumed_format(result.facts.format_version, result.facts.year)
    seen: set[tuple[str, int]] = set()
    out, dropped = [], 0
    for x in ans.findings[: LIMITS["findings"]]:
        if not _selected(x.code, select, ignore):
            continue
        if x.code == "Q003" and result.facts.format_version != "2021":
            dropped += 1
            continue
        ev = verify_quote(doc, x.line, x.quote, narrative if x.code == "N005" else allowed.of(5))
        message = clean_text(x.message)
        if ev is None or (x.code in ("Q001", "Q002") and quote_is_heading(doc, ev)):
            dropped += 1
            continue
        related: list[Evidence] = []
        cells: dict = {}
        quotes = [ev.quote]
        extra: set[Decimal] = set()
        if x.code == "N005":
            other = None
            if x.other_quote:
                cand = verify_quote(doc, x.other_line, x.other_quote, narrative)
                if cand is not None and (cand.line, cand.quote) != (ev.line, ev.quote) \
                        and common_run(ev.quote, cand.quote, 3):
                    other = cand
            elif x.other_cell:
                value = result.facts.cells.get(x.other_cell)
                claimed = {v.normalize() for vals in numbers_in(ev.quote) for v in vals}
                if value is not None and claimed and Decimal(str(value)).normalize() not in claimed \
                        and quote_names_cell(ev.quote, x.other_cell, result.facts.cells, fmt):
                    cells[x.other_cell] = value
                    extra.add(Decimal(str(value)))
                    other = _cell_evidence(result, doc, x.other_cell)
            if other is None:
                dropped += 1
                continue
            related.append(other)
            quotes.append(other.quote)
        if not _text_ok(message, quotes, extra):
            dropped += 1
            continue
        if (x.code, ev.line) in seen or (("N", ev.line) in rule_lines and x.code == "N005"):
            continue  # a duplicate, or the rules already reported this line
        seen.add((x.code, ev.line))
        out.append(Finding(code=x.code, severity="warning", message=message,
                           line=ev.line, quote=ev.quote, cells=cells, related=related, source="llm"))
    dropped += max(0, len(ans.findings) - LIMITS["findings"])
    return out, dropped


def _cell_evidence(result: AuditResult, doc: Document, key: str) -> Evidence | None:
    """The table row the cell was read from, as written (the reviewer sees the row, not a bare number)."""
    for t in result.tables:
        if key in t.sources:
            line, raw = t.sources[key]
            quote = doc.full_quote(line) if 1 <= line <= doc.n else ""
            return Evidence(line=line, quote=quote or str(raw))
    return None


def ground_scores(ans, doc: Document, allowed: Allowed, criteria: list[dict]) -> tuple[dict[str, dict], int]:
    """Verified judgements {criterion: {level, reason, evidence}} for the criteria asked about."""
    crits = {c["id"]: c for c in criteria}
    out: dict[str, dict] = {}
    dropped = getattr(ans, "_filtered", 0) or 0
    for s in ans.scores:
        crit = crits.get(s.criterion)
        if crit is None or s.criterion in out:
            dropped += 1
            continue
        ev = verify_quote(doc, s.line, s.quote, allowed.of(*crit["sections"]))
        reason = clean_text(s.reason)
        if ev is None or not _text_ok(reason, [ev.quote]):
            dropped += 1
            continue
        out[s.criterion] = {"level": s.level, "reason": reason, "evidence": [{"line": ev.line, "quote": ev.quote}]}
    return out, dropped
