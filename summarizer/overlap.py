"""雷同/照抄 (X005, rubric R6): how much of this year's 一 and 五 repeats the agency's report of last year.

Why: 国办公开办函〔2021〕30号 names 雷同 among the four failure modes of annual reports — the
narrative copied from the year before with the numbers changed. Rule-based, no LLM: the share
of this year's characters in sections 一 and 五 covered by character 8-grams that also occur
in last year's 一 and 五 (whitespace and punctuation removed, every digit run replaced by one
placeholder, so "主动公开信息126条" and "主动公开信息131条" count as the same sentence).

An 8-gram is long enough that stock phrases ("政府信息公开", "进一步加强") do not make a match on
their own, and short enough to catch a sentence copied with one word changed. Measured on real
consecutive-year pairs; the thresholds live with the rubric (overlap_free / overlap_zero) and
X005 fires at X005_SHARE. Runs for pairs of consecutive-year reports of one agency in a batch
(crossyear.match_pairs); both reports are re-read, as the other cross-year checks do.
"""

from __future__ import annotations

import re
import unicodedata

from .models import Evidence, Finding

GRAM = 8
MIN_CHARS = 120  # below this much text in 一 + 五, a share says nothing
X005_SHARE = 0.6


def _skeleton(text: str) -> str:
    """Text without spaces and punctuation, each number replaced by '#'."""
    t = unicodedata.normalize("NFKC", text)
    t = re.sub(r"\d+(?:\.\d+)?", "#", t)
    return "".join(c for c in t if c == "#" or unicodedata.category(c)[0] in ("L", "N"))


def section_text(result, doc, number: int) -> tuple[str, int | None]:
    """(skeleton of the section body, its heading line) or ("", None) when the section is not found."""
    from .llm.context import section_ranges  # no openai import: context.py is plain Python

    rng = section_ranges(result, doc).get(number)
    if not rng:
        return "", None
    body = [doc.lines[n - 1].raw for n in rng if n != rng.start and not doc.lines[n - 1].furniture]
    return _skeleton("".join(body)), rng.start


def coverage(cur: str, prev: str, n: int = GRAM) -> tuple[int, int]:
    """(characters of `cur` covered by n-grams that also occur in `prev`, len(cur))."""
    if len(cur) < n or len(prev) < n:
        return 0, len(cur)
    grams = {prev[i:i + n] for i in range(len(prev) - n + 1)}
    covered = [False] * len(cur)
    for i in range(len(cur) - n + 1):
        if cur[i:i + n] in grams:
            for k in range(i, i + n):
                covered[k] = True
    return sum(covered), len(cur)


def measure(prev, prev_doc, cur, cur_doc) -> dict:
    """{share, sections: {1: share, 5: share}, lines: {n: heading line}, prev_lines} for one pair."""
    covered = total = 0
    per: dict[str, float] = {}
    lines, prev_lines = {}, {}
    for n in (1, 5):
        c_text, c_line = section_text(cur, cur_doc, n)
        p_text, p_line = section_text(prev, prev_doc, n)
        if not c_text or not p_text:
            continue
        k, m = coverage(c_text, p_text)
        covered += k
        total += m
        per[str(n)] = round(k / m, 3) if m else 0.0
        lines[n], prev_lines[n] = c_line, p_line
    out = {"prev_file": prev.file, "sections": per}
    if total < MIN_CHARS:
        out.update(share=None, reason="两份报告的第一、五部分内容过少或未能识别，无法比对重复度")
        return out
    out.update(share=round(covered / total, 3), lines=lines, prev_lines=prev_lines)
    return out


def finding(result: dict, prev, prev_doc, cur, cur_doc) -> Finding | None:
    """The X005 finding for this year's report when the share reaches X005_SHARE."""
    from .checks import catalogue

    share = result.get("share")
    if share is None or share < X005_SHARE:
        return None
    per = result["sections"]
    worst = max(per, key=lambda k: per[k])
    line, prev_line = result["lines"][int(worst)], result["prev_lines"][int(worst)]
    detail = "，".join(f"第{'一' if k == '1' else '五'}部分 {v:.0%}" for k, v in sorted(per.items()))
    return Finding(
        code="X005", severity=catalogue()["X005"]["severity"], line=line, quote=cur_doc.full_quote(line),
        message=(f"第一、五部分约 {share:.0%} 的文字与上一年度报告（{prev.file}）相同（{detail}；数字不计），"
                 "疑似沿用上年文稿（“雷同”）。"),
        related=[Evidence(line=prev_line, quote=prev_doc.full_quote(prev_line))])


def overlap_on(select=None, ignore=None) -> bool:
    """Whether X005 is selected (--select / --ignore prefixes, as for every code)."""
    return (not select or any("X005".startswith(s) for s in select)) and \
        not (ignore and any("X005".startswith(s) for s in ignore))


def pair_overlap(prev, prev_doc, cur, cur_doc, on: bool = True) -> tuple[dict, Finding | None]:
    """One pair: (the rubric's R6 input {share, prev_file, sections, reason}, the X005 finding or None).

    `prev_doc` / `cur_doc` are the re-read Documents, or None when a report could not be read again.
    """
    if prev_doc is None or cur_doc is None:
        return {"prev_file": prev.file, "share": None, "reason": "上一年度或本年度报告未能重新读取，无法比对重复度"}, None
    info = measure(prev, prev_doc, cur, cur_doc)
    f = finding(info, prev, prev_doc, cur, cur_doc) if on else None
    return {k: v for k, v in info.items() if k in ("share", "prev_file", "sections", "reason")}, f


def rescore_with_overlap(cur, overlap: dict) -> None:
    """Give this year's rubric its R6 input (kept in rubric["inputs"] for later re-scoring)."""
    from .rubric import score_rubric

    if cur.rubric is not None:
        cur.rubric = score_rubric(cur, inputs={"overlap": overlap})


def apply_overlap(pairs, results, read, select=None, ignore=None) -> None:
    """Measure every pair, add X005 to this year's report, and give the rubric its R6 input.

    `read(result)` returns the re-read Document or None. Reports without a pair keep R6
    "无法评估" (no previous year in the batch).
    """
    on = overlap_on(select, ignore)
    for p in pairs:
        prev, cur = results[p.prev], results[p.cur]
        info, f = pair_overlap(prev, read(prev), cur, read(cur), on)
        if f is not None:
            cur.findings.append(f)
            if "X005" not in p.codes:
                p.codes.append("X005")
        rescore_with_overlap(cur, info)
