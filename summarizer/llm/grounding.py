"""Verifying what the model says against the text and the facts.

Why: the LLM assists, the facts rule. A quote counts only if it occurs verbatim (after
NFKC and whitespace normalisation) on the line the model names, inside the part of the report
the task is about; we then show the report's own text for that span, not the model's copy.
A number counts only if it equals a fact (a table cell, the report year) or a number in the
verified quote. Anything else is dropped and counted.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ..models import Evidence
from ..injection import _INJECTION, injection_lines  # noqa: F401  (re-exported)
from ..document import Document

MIN_QUOTE_CHARS = 4  # shorter quotes ("5件") would match almost anywhere
_EDGE = "。，、；;：:,.!！?？\"'“”‘’「」『』（）()【】《》…- "
_WS = re.compile(r"\s+")


def _norm_char(ch: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", ch))


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation → ASCII) with all whitespace removed."""
    return "".join(_norm_char(ch) for ch in text)


def verify_quote(doc: Document, line: int | None, quote: str | None, allowed: set[int] | None = None) -> Evidence | None:
    """The report's own text for `quote` at `line`, or None if it is not there (or not allowed)."""
    if not quote or not isinstance(line, int) or not 1 <= line <= doc.n:
        return None
    if allowed is not None and line not in allowed:
        return None
    want = normalize(quote).strip(_EDGE)
    if len(want) < MIN_QUOTE_CHARS:
        return None
    raw = doc.lines[line - 1].raw
    chars: list[str] = []
    index: list[int] = []  # normalized char -> index in raw
    for i, ch in enumerate(raw):
        for c in _norm_char(ch):
            chars.append(c)
            index.append(i)
    at = "".join(chars).find(want)
    if at < 0:
        return None
    start, end = index[at], index[at + len(want) - 1] + 1
    return Evidence(line=line, quote=raw[start:end])


# ---------------------------------------------------------------- numbers

_QUANT = "件条个次项篇期场人家份批名位类起宗笔户所座张套本页"
_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿"
_CN_RUN = re.compile(f"[{_CN_DIGITS}]+")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")


def _cn_value(run: str) -> Decimal | None:
    try:
        import cn2an  # lazy: only the LLM path needs it

        return Decimal(str(cn2an.cn2an(run, "normal")))
    except Exception:  # cn2an missing or not a numeral it accepts
        return None


def numbers_in(text: str) -> list[set[Decimal]]:
    """Every number in `text`, each as the set of values it may stand for.

    "1.2万条" may be 1.2 or 12000; "103.9万元" stays 103.9 (amounts are kept in 万元). Chinese
    numerals count when they contain 十/百/千/万 or precede a measure word ("三件"), so words
    like 统一 or 一是 are not numbers.
    """
    norm = unicodedata.normalize("NFKC", text)
    norm = re.sub(r"(?<=\d),(?=\d{3})", "", norm)
    found: list[set[Decimal]] = []
    for m in _ARABIC.finditer(norm):
        try:
            value = Decimal(m.group())
        except InvalidOperation:
            continue
        after = norm[m.end(): m.end() + 2]
        values = {value}
        if after.startswith(("万", "亿")) and not after.startswith("万元"):
            values.add(value * (10000 if after[0] == "万" else 100000000))
        found.append(values)
    for m in _CN_RUN.finditer(norm):
        run = m.group()
        after = norm[m.end(): m.end() + 1]
        if not (set(run) & set("十百千万亿")) and not (after and after in _QUANT):
            continue
        if run.endswith("万") and norm[m.end(): m.end() + 1] == "元":
            run = run[:-1]  # "十万元" → 10 (万元)
        value = _cn_value(run)
        if value is not None:
            found.append({value})
    return found


def fact_numbers(cells: dict, year: int | None) -> set[Decimal]:
    out: set[Decimal] = set()
    for v in cells.values():
        if isinstance(v, (int, float)):
            out.add(Decimal(str(v)).normalize())
    if year:
        out.add(Decimal(year))
    return out


def ungrounded_numbers(text: str, quotes: list[str], facts: set[Decimal]) -> list[str]:
    """The numbers of `text` that are neither a fact nor a number of one of `quotes` (as strings)."""
    allowed = {v.normalize() for v in facts}
    for q in quotes:
        for values in numbers_in(q):
            allowed |= {v.normalize() for v in values}
    bad = []
    for values in numbers_in(text):
        if not any(v.normalize() in allowed for v in values):
            bad.append(str(min(values)))
    return bad


# ---------------------------------------------------------------- injection



