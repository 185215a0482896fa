"""Verifying what the model says against the report's own text.

Why: the LLM assists, the facts rule. Three tests, applied to every item the model returns:

  quote    occurs verbatim (after NFKC and whitespace removal) on the line the model names, or
           in the paragraph that line belongs to (hard-wrapped PDF text), inside the part of the
           report the task is about; it has substance (≥ MIN_QUOTE_CHARS characters of report
           text, at least MIN_QUOTE_WORDS of them not digits — "2024" is not evidence). The
           report's own text is shown, never the model's copy.
  numbers  every number in a claim — digit strings, Chinese numerals (〇/○/零, 两, 十/百/千/万/亿,
           "三次"), 万/亿 scaling — occurs in the claim's own cited quote(s), or is the value of
           the one table cell the claim names. "Equals some table cell somewhere" is not grounding.
  heading  a quote that is only a heading ("五、存在的主要问题及改进情况", "（二）存在的问题")
           is not a problem or a measure.
Anything else is dropped and counted.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .. import pattern_cache
from ..document import Document
from ..injection import injection_lines, is_injection  # noqa: F401  (re-exported)
from ..models import Evidence

MIN_QUOTE_CHARS = 8  # characters of report text (no spaces or punctuation)
MIN_QUOTE_WORDS = 4  # of which not digits
PARAGRAPH_WINDOW = 12  # lines a paragraph may extend either side of the named line
_WS = pattern_cache.compile(r"\s+")
_PUNCT_CATS = ("P", "S", "Z", "C")  # punctuation, symbols, spaces, controls: not "text"


def _norm_char(ch: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", ch))


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation → ASCII) with all whitespace removed."""
    return "".join(_norm_char(ch) for ch in text)


_EDGE = set("。，、；：！？,.;:!?…·-—_ ")


def _strip_edges(s: str) -> str:
    """Sentence punctuation a model adds or drops at the ends of a quote (brackets and quotation
    marks are kept: they are part of the text, and the shown quote stays balanced)."""
    a, b = 0, len(s)
    while a < b and s[a] in _EDGE:
        a += 1
    while b > a and s[b - 1] in _EDGE:
        b -= 1
    return s[a:b]


def substance(quote: str) -> tuple[int, int]:
    """(characters of text, of which not digits) in a quote, punctuation and spaces not counted."""
    chars = [c for c in normalize(quote) if unicodedata.category(c)[0] not in _PUNCT_CATS]
    return len(chars), sum(1 for c in chars if not c.isdigit())


def has_substance(quote: str, min_chars: int = MIN_QUOTE_CHARS) -> bool:
    n, words = substance(quote)
    return n >= min_chars and words >= min(MIN_QUOTE_WORDS, min_chars)


def _indexed(raw: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(raw):
        for c in _norm_char(ch):
            chars.append(c)
            index.append(i)
    return "".join(chars), index


def _paragraph_lines(doc: Document, line: int, allowed: set[int] | None) -> list[int]:
    """The lines of the paragraph holding `line` (hard wraps joined), within `allowed`."""
    from ..paragraphs import paragraphs

    lo = max(1, line - PARAGRAPH_WINDOW)
    hi = min(doc.n, line + PARAGRAPH_WINDOW)
    window = [n for n in range(lo, hi + 1) if allowed is None or n in allowed]
    for para in paragraphs(doc, window):
        nos = [no for _, no, _ in para.spans]
        if line in nos:
            return nos
    return [line]


def verify_quote(doc: Document, line: int | None, quote: str | None, allowed: set[int] | None = None,
                 min_chars: int = MIN_QUOTE_CHARS) -> Evidence | None:
    """The report's own text for `quote` at `line` (or in its paragraph), or None if it is not there."""
    if not quote or not isinstance(line, int) or isinstance(line, bool) or not 1 <= line <= doc.n:
        return None
    if allowed is not None and line not in allowed:
        return None
    want = _strip_edges(normalize(quote))
    if not want or not has_substance(want, min_chars):
        return None
    text, index = _indexed(doc.lines[line - 1].raw)
    at = text.find(want)
    if at >= 0:
        raw = doc.lines[line - 1].raw
        return Evidence(line=line, quote=raw[index[at]: index[at + len(want) - 1] + 1])
    # Not on the line alone: try the paragraph the line belongs to (a sentence wrapped over lines).
    nos = _paragraph_lines(doc, line, allowed)
    if len(nos) < 2:
        return None
    joined, where = "", []  # where[k] = (line, raw index) of joined[k]
    for no in nos:
        t, idx = _indexed(doc.lines[no - 1].raw)
        joined += t
        where += [(no, i) for i in idx]
    at = joined.find(want)
    if at < 0:
        return None
    first, last = where[at], where[at + len(want) - 1]
    parts = []
    for no in nos:
        if not first[0] <= no <= last[0]:
            continue
        raw = doc.lines[no - 1].raw
        s = first[1] if no == first[0] else 0
        e = last[1] + 1 if no == last[0] else len(raw.rstrip())
        parts.append(raw[s:e].strip() if no not in (first[0], last[0]) else raw[s:e])
    return Evidence(line=first[0], quote="".join(parts))


# ---------------------------------------------------------------- headings

_ENUM = r"(?:[（(]?[一二三四五六七八九十]+[)）、.．]|[（(]?\d{1,2}[)）、.．]|第[一二三四五六七八九十]+[部分条项点]?[、，,]?)"
_HEADING_WORDS = pattern_cache.compile(
    rf"^{_ENUM}?\s*(?:本年度|上一?年度?|上年|存在的?|当前|目前|今后|下一步|主要)?"
    r"(?:存在的?|主要)?(?:问题|不足)?(?:及|和|与|、)?(?:工作)?(?:改进|整改|落实)?(?:情况|措施|方向|计划|打算|举措)?"
    r"(?:及|和|与|、)?(?:改进|整改)?(?:情况|措施|计划)?[。：:；;，,]?$")


def is_heading(text: str) -> bool:
    """A section or sub-heading (“五、存在的主要问题及改进情况”, “（一）存在的问题”, “下一步工作计划”)."""
    t = normalize(text)
    if not t:
        return True
    if _HEADING_WORDS.match(t):
        return True
    from ..segment import heading_number

    # A numbered short line without a sentence in it is a heading ("（二）改进措施").
    if re.match(_ENUM, t) and len(t) <= 16 and not re.search(r"[。；;，,]", t[:-1]):
        return True
    return heading_number(text.strip()) is not None and len(t) <= 20


_HEADING_PREFIX = pattern_cache.compile(
    rf"^{_ENUM}?\s*(?:本年度|上一?年度?|上年|存在的?|当前|目前|今后|下一步|主要)?(?:存在的?|主要)?(?:问题|不足)"
    r"(?:及|和|与|、)?(?:工作)?(?:改进|整改|落实)?(?:情况|措施|方向|计划|打算|举措)?[。：:；;，,]"
    rf"|^{_ENUM}?\s*(?:改进|整改)(?:情况|措施)[。：:；;，,]")


def quote_is_heading(doc: Document, ev: Evidence) -> bool:
    """The verified quote is a heading, sits on a short heading line, or is little more than a
    heading ("（二）存在的主要问题。一是政": what follows the heading must have substance itself)."""
    if is_heading(ev.quote) or is_heading(doc.lines[ev.line - 1].raw):
        return True
    t = normalize(ev.quote)
    m = _HEADING_PREFIX.match(t)
    return bool(m) and not has_substance(t[m.end():])


# ---------------------------------------------------------------- numbers

_QUANT = "件条个次项篇期场人家份批名位类起宗笔户所座张套本页年月日天周倍成轮届批处台辆元万亿%"
_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN_UNITS = "十百千万亿"
_CN_RUN = pattern_cache.compile(f"[{''.join(_CN_DIGIT)}{_CN_UNITS}]+")
_ARABIC = pattern_cache.compile(r"\d+(?:\.\d+)?")
_NOT_NUMBERS = ("一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是", "一一", "统一",
                "唯一", "进一步", "一些", "一般", "一起", "一体", "一致", "一直", "一定", "一律", "一并", "同一", "第一时间",
                "一网", "一窗", "一站", "一门", "一次办", "一件事", "两个维护", "两个确立", "三公", "三安全一稳定",
                "五公开", "四类", "三类", "十四五", "十三五", "十五五")


def _cn_value(run: str) -> Decimal | None:
    if all(c in _CN_DIGIT for c in run):
        if len(run) == 1:
            return Decimal(_CN_DIGIT[run])
        if "两" in run:
            return None
        return Decimal("".join(str(_CN_DIGIT[c]) for c in run))  # 二〇二四 → 2024
    try:
        import cn2an  # lazy: only the LLM path needs it

        return Decimal(str(cn2an.cn2an(run.replace("〇", "零").replace("○", "零").replace("两", "二"), "normal")))
    except Exception:  # cn2an missing or not a numeral it accepts
        return None


def numbers_in(text: str) -> list[set[Decimal]]:
    """Every number in `text`, each as the set of values it may stand for.

    "1.2万条" may be 1.2 or 12000; "103.9万元" stays 103.9 (amounts are kept in 万元). A run of
    Chinese numerals counts when it has a unit (十/百/千/万/亿), a zero (〇/○/零), several digits
    (二〇二四), or a measure word after it (三件, 两次, 一项); fixed words such as 一是, 统一,
    进一步, 十四五 are not numbers.
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
    masked = norm
    for word in _NOT_NUMBERS:
        masked = masked.replace(word, "#" * len(word))
    for m in _CN_RUN.finditer(masked):
        run = m.group()
        after = masked[m.end(): m.end() + 1]
        strong = set(run) & set(_CN_UNITS + "零〇○") or len(run) >= 2
        if not strong and not (after and after in _QUANT):
            continue
        if run.endswith("万") and after == "元":
            run = run[:-1]  # "十万元" → 10 (万元)
        if not run:
            continue
        value = _cn_value(run)
        if value is not None:
            found.append({value})
    return found


def ungrounded_numbers(text: str, quotes: list[str], extra: set[Decimal] | frozenset = frozenset()) -> list[str]:
    """The numbers of `text` found in none of `quotes` (nor in `extra`, e.g. the one cell a claim names)."""
    allowed = {v.normalize() for v in extra}
    for q in quotes:
        for values in numbers_in(q):
            allowed |= {v.normalize() for v in values}
    bad = []
    for values in numbers_in(text):
        if not any(v.normalize() in allowed for v in values):
            bad.append(str(min(values)))
    return bad


# ---------------------------------------------------------------- topics

def common_run(a: str, b: str, n: int = 3) -> bool:
    """Whether two texts share a run of `n` CJK characters (digits and punctuation ignored)."""
    ta = "".join(c for c in normalize(a) if "\u4e00" <= c <= "\u9fff")
    tb = "".join(c for c in normalize(b) if "\u4e00" <= c <= "\u9fff")
    grams = {ta[i:i + n] for i in range(len(ta) - n + 1)}
    return any(tb[i:i + n] in grams for i in range(len(tb) - n + 1))
