"""Metrics of the eval harness, as small pure functions over plain data.

Why pure and dependency-free: the same functions score the offline CI run and a live run, and
tests/test_eval.py checks them on hand-computed examples. No numpy/scipy: the sets are small and
the formulas (Cohen's κ, Spearman's ρ with average ranks) fit in a few lines each.

Inputs are dicts and lists, never AuditResult objects, so a metric can be checked without
running the tool; eval/run.py does the conversion.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Iterable

# ---------------------------------------------------------------- values and cells

TOLERANCE = 1e-6


def same_value(a, b) -> bool:
    """Cell values agree: both null, or numbers equal (103.9 == 103.9; 5 == 5.0)."""
    if a is None or b is None:
        return a is None and b is None
    try:
        return abs(float(a) - float(b)) <= TOLERANCE
    except (TypeError, ValueError):
        return a == b


def _ignored(key: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(key, p) for p in patterns)


def cell_scores(labelled: dict, extracted: dict, complete: bool = True, ignore: Iterable[str] = ()) -> dict:
    """Compare extracted cells with labelled ones.

    correct/wrong/missing are counted over labelled keys (a labelled key the tool did not report
    is `missing`). `spurious` counts keys the tool reported that the label does not have; it is
    only meaningful when the label lists every cell of the text (`complete`), otherwise 0.
    Keys matching an `ignore` glob are left out on both sides (a row no canonical key fits).
    """
    ignore = tuple(ignore)
    out = {"labelled": 0, "correct": 0, "wrong": 0, "missing": 0, "spurious": 0, "errors": []}
    for key, want in labelled.items():
        if _ignored(key, ignore):
            continue
        out["labelled"] += 1
        if key not in extracted:
            out["missing"] += 1
            out["errors"].append({"key": key, "want": want, "got": "<absent>"})
        elif same_value(want, extracted[key]):
            out["correct"] += 1
        else:
            out["wrong"] += 1
            out["errors"].append({"key": key, "want": want, "got": extracted[key]})
    if complete:
        for key in extracted:
            if key not in labelled and not _ignored(key, ignore):
                out["spurious"] += 1
                out["errors"].append({"key": key, "want": "<absent>", "got": extracted[key]})
    return out


def ratio(num: float, den: float) -> float | None:
    """num/den, or None when there is nothing to measure (never a fake 0 or 1)."""
    return None if not den else num / den


def cell_accuracy(scores: list[dict]) -> float | None:
    """Correct cells over labelled + spurious cells, pooled over reports."""
    correct = sum(s["correct"] for s in scores)
    total = sum(s["labelled"] + s["spurious"] for s in scores)
    return ratio(correct, total)


# ---------------------------------------------------------------- metadata

META_FIELDS = ("agency", "year", "format_version", "period", "issued_on", "sections")


def _norm_period(p):
    if not p:
        return None
    return (str(p.get("start")), str(p.get("end")))


def meta_scores(label: dict, facts: dict) -> dict[str, bool]:
    """Field → correct, for the fields the label states (a field absent from the label is skipped).

    `agency` in a label may be a list of acceptable spellings (as written in the title vs the
    signature). `sections` compares the set of section numbers, and the start line where the
    label gives one.
    """
    out: dict[str, bool] = {}
    for field in META_FIELDS:
        if field not in label or label[field] is ...:
            continue
        want, got = label[field], facts.get(field)
        if field == "sections":
            if want is None:  # label says: not assessable (nonstandard numbering)
                continue
            got = got or []
            got_lines = {s.get("number"): s.get("line") for s in got}
            ok = {s["number"] for s in want} == set(got_lines)
            ok = ok and all(s.get("line") is None or got_lines.get(s["number"]) == s["line"] for s in want)
            out[field] = ok
        elif field == "agency":
            options = want if isinstance(want, list) else [want]
            out[field] = got in options
        elif field == "period":
            out[field] = _norm_period(want) == _norm_period(got)
        elif field == "year":
            out[field] = got is not None and want is not None and int(got) == int(want) or (got is None and want is None)
        else:
            out[field] = (str(got) if got is not None else None) == (str(want) if want is not None else None)
    return out


def meta_accuracy(per_report: list[dict[str, bool]]) -> dict[str, float | None]:
    """Per field and overall share of correct metadata fields."""
    out: dict[str, float | None] = {}
    for field in META_FIELDS:
        vals = [r[field] for r in per_report if field in r]
        out[field] = ratio(sum(vals), len(vals))
    allv = [v for r in per_report for v in r.values()]
    out["all"] = ratio(sum(allv), len(allv))
    return out


# ---------------------------------------------------------------- finding codes


def code_outcome(expected: Iterable[str], optional: Iterable[str], fired: Iterable[str]) -> dict[str, set[str]]:
    """TP/FP/FN code sets for one report. Codes are compared as a set (present or not).

    `optional` codes are judgement calls: firing them or not is neither rewarded nor penalised.
    """
    exp, opt, got = set(expected), set(optional), set(fired)
    return {"tp": exp & got, "fn": exp - got, "fp": got - exp - opt}


def prf(tp: int, fp: int, fn: int) -> dict:
    p = ratio(tp, tp + fp)
    r = ratio(tp, tp + fn)
    f1 = None if p is None or r is None or (p + r) == 0 else 2 * p * r / (p + r)
    if p is not None and r is not None and p + r == 0:
        f1 = 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f1}


def per_code_prf(outcomes: list[dict[str, set[str]]]) -> dict[str, dict]:
    """Per-code precision/recall/F1 plus a pooled `_micro` row."""
    counts: dict[str, list[int]] = {}
    for o in outcomes:
        for kind, idx in (("tp", 0), ("fp", 1), ("fn", 2)):
            for code in o[kind]:
                counts.setdefault(code, [0, 0, 0])[idx] += 1
    out = {code: prf(*c) for code, c in sorted(counts.items())}
    tot = [sum(c[i] for c in counts.values()) for i in range(3)]
    out["_micro"] = prf(*tot)
    return out


def false_alarm_rate(clean_fired: list[Iterable[str]]) -> float | None:
    """Share of clean reports (no defect planted) on which the tool raised any finding."""
    lists = [set(x) for x in clean_fired]
    return ratio(sum(1 for s in lists if s), len(lists))


# ---------------------------------------------------------------- parse coverage

USABLE = ("parsed", "partial")


def table_outcome(label: dict, status: str | None, n_cells: int) -> dict:
    """One table of one real report against its label {recoverable, accept}.

    recoverable=True: counted for coverage (usable = parsed/partial).
    recoverable=False: counted for honesty: the tool must not claim cells it cannot read.
    recoverable=None: unknown, only `accept` is checked.
    """
    return {
        "recoverable": label.get("recoverable"),
        "status": status,
        "usable": status in USABLE,
        "accepted": status in label.get("accept", []),
        "claimed_cells": n_cells,
    }


def coverage(outcomes: list[dict]) -> dict:
    rec = [o for o in outcomes if o["recoverable"] is True]
    unrec = [o for o in outcomes if o["recoverable"] is False]
    return {
        "recoverable_tables": len(rec),
        "parse_coverage": ratio(sum(o["usable"] for o in rec), len(rec)),
        "status_agreement": ratio(sum(o["accepted"] for o in outcomes), len(outcomes)),
        "unrecoverable_tables": len(unrec),
        "honest_unparsed": ratio(sum(1 for o in unrec if not o["usable"] and o["claimed_cells"] == 0), len(unrec)),
    }


# ---------------------------------------------------------------- LLM metrics


def cohen_kappa(a: list, b: list) -> float | None:
    """Cohen's κ of two raters over the same items. None when undefined (no items);
    1.0 when both raters agree perfectly even if only one category occurs."""
    if len(a) != len(b):
        raise ValueError("raters must rate the same items")
    n = len(a)
    if n == 0:
        return None
    cats = set(a) | set(b)
    po = sum(1 for x, y in zip(a, b) if x == y) / n
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    if pe == 1.0:
        return 1.0 if po == 1.0 else 0.0
    return (po - pe) / (1 - pe)


def _ranks(xs: list[float]) -> list[float]:
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    ranks = [0.0] * len(xs)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and xs[order[j + 1]] == xs[order[i]]:
            j += 1
        avg = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = avg
        i = j + 1
    return ranks


def spearman(x: list[float], y: list[float]) -> float | None:
    """Spearman's ρ (Pearson on average ranks). None when fewer than 3 pairs or a constant side."""
    if len(x) != len(y):
        raise ValueError("need paired samples")
    if len(x) < 3:
        return None
    rx, ry = _ranks(list(x)), _ranks(list(y))
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def grounding_rate(kept: int, returned: int) -> float | None:
    """Items kept after quote verification over items the model returned."""
    return ratio(kept, returned)


def mean(xs: Iterable[float]) -> float | None:
    xs = list(xs)
    return ratio(sum(xs), len(xs))
