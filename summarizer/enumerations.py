"""Totals and the parts a sentence lists for them ("共437件，其中A类55件（含…）、B类341件…"), for N003.

Why a module of its own: deciding which numbers are *parts of a total* is where a careless rule
raises false errors. The rules, precision first:
  - the total is a count with a unit, the parts follow in the same sentence with the same unit;
  - a list introduced by 其中 / 包括 may be partial (Σ < total is fine), one introduced by
    分别为 / 分别是, or closed by a catch-all item (…、其他信息82条), claims to be complete (Σ ≠ total
    is a contradiction);
  - a list with no such word counts only when the total says 共/合计/总计 and the items follow
    it at once, separated by 、 — and, like 其中, only Σ > total contradicts;
  - a part broken down in parentheses ("A类55件（含甲6件、乙3件）") is one part: what is inside
    the brackets is not added again; a second level without brackets (…其中…含…) is ambiguous
    and skipped;
  - items are read one by one: "label number unit", the label short and not a different measure
    (累计, 同比, 占, %, 余…) nor a new heading ("…中:"); the list ends at the first item that is not one;
  - a count inside brackets ("25件（含结转1件），其中…") is never the total of what follows;
  - once the items add up to the total, what follows is another breakdown of it (by applicant,
    then by outcome), not more items;
  - parts that are publishing channels (网站、微信、抖音…) overlap (one item goes out on several),
    and a channel among kinds of information counts another way: no sum is implied.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from . import pattern_cache
from .numbers import NUM_TOKEN, UNIT_GAP, ProseNumber, parse_number

UNITS = "条|件|个|篇|次|项|期|份|场|家"
# The leading lookahead changes no match (a number starts with one of those characters) but lets
# `re` skip the positions that cannot start one: the search runs about twice as fast.
_TOTAL = pattern_cache.compile(
    rf"(?=[\d零〇○一二两三四五六七八九十])(?P<total>{NUM_TOKEN}){UNIT_GAP}(?P<unit>{UNITS})[）)]?(?P<more>余|多)?\s*"
    rf"(?:[，,：:]\s*)?(?P<kw>其中(?:包括|包含)?|分别为|分别是|包括|包含)?[:：,，]?"
)
_SENTENCE_END = pattern_cache.compile(r"[。；;！!？?]")
# an item runs to the next 、 or comma — but not a comma inside a number (6,488 / 6，488)
_ITEM_SPAN = pattern_cache.compile(r"(?:[^、，,]|[，,](?=\d{3}(?!\d)))+")
_BRACKETED = pattern_cache.compile(r"[（(][^（）()]*[）)]")
_HAS_NUMBER = pattern_cache.compile(r"\d|[零〇○一二两三四五六七八九十]")
_NESTED_WORD = pattern_cache.compile(r"其中|含|包括|包含")
_OTHER_DIMENSION = pattern_cache.compile(r"累计|历年|总数|不予公开|同比|环比|占|%|％|比例|率|以上|以下|余|约|近|超|较|增长|减少|下降")
_CHANNEL = pattern_cache.compile(r"网站|微信|微博|抖音|快手|头条|客户端|公众号|视频号|新媒体|APP|App|app|小程序|报刊|电视|广播")
# a place items are filed in besides their kind (the disclosure directory, a column): counted again there
_DIRECTORY = pattern_cache.compile(r"目录|专栏|栏目")
_CATCH_ALL = pattern_cache.compile(r"\s*(?:其他|其它|其余)")
_BARE_TOTAL_CUE = pattern_cache.compile(r"(?:共|合计|总计|总共|累计共)(?P<words>[^，,。；;、]{0,16})$")
# Without 其中/包括, what stands between 共 and the number must be a verb and a general object
# ("共发布信息364条，…"): a category there ("共主动公开机构概况2件，规划计划3件、…") is the list's
# first item, not its total.
_BARE_TOTAL_WORDS = pattern_cache.compile(
    r"\s*(?:计|有|达)?\s*(?:主动|依申请|累计|集中|及时|新|已|向社会)?"
    r"(?:公开|发布|收到|受理|办理|制发|印发|处理|答复|更新|推送|编发|上传|报送|录入|发|办结|接收|征集|制定|出台)?了?"
    r"(?:政府|政务|各类|相关|各项|规范性|政策|公开)*(?:信息|文件|数据|内容|稿件|事项|申请|件|条)?"
    r"(?:共|计|合计|数量|总数)?\s*(?:为|达|有)?\s*")


class Enumeration(NamedTuple):
    total: ProseNumber
    unit: str
    parts: list[ProseNumber]
    exhaustive: bool  # 分别为: the parts claim to be all of it
    start: int  # span in the paragraph text, for the quote
    end: int

    @property
    def parts_sum(self) -> float:
        return sum(float(p) for p in self.parts)

    def contradicts(self) -> bool:
        """Σ parts exceeds the total (any list) or differs from it (a complete list), beyond rounding."""
        slack = self.total.tolerance + sum(p.tolerance for p in self.parts) + 1e-9
        diff = self.parts_sum - float(self.total)
        return diff > slack or (self.exhaustive and -diff > slack)


def _blank_brackets(text: str) -> str:
    """Bracketed breakdowns replaced by spaces (same length, so offsets stay), units like （件） kept."""
    def repl(m: re.Match) -> str:
        inner = m.group(0)[1:-1]
        return " " * len(m.group(0)) if _HAS_NUMBER.search(inner) else m.group(0)

    prev = None
    while prev != text:  # nested brackets, innermost first
        prev, text = text, _BRACKETED.sub(repl, text)
    return text


def _item(segment: str, unit: str) -> ProseNumber | None:
    """The number of one list item "label number unit", or None when the segment is not one."""
    seg = segment.strip()
    m = re.fullmatch(rf"(?P<label>[^\d]{{0,20}}?)(?P<n>{NUM_TOKEN})(?P<more>余|多)?{UNIT_GAP}(?:{unit})[）)]?\s*", seg)
    if not m or _OTHER_DIMENSION.search(m.group("label")):
        return None
    label = m.group("label")
    if re.search(r"[:：]", label):  # "资源规划公示公告中:土地管理158件": a new heading, not an item of this total
        return None
    if label and label[-1] in "第":  # "第三条" is a provision, not a count
        return None
    if label.rstrip().endswith("各"):  # "意见征集及结果反馈各19条": N each, how many items is unsaid
        return None
    if re.search(r"的有?$|有$", label):  # "实现“一趟不用跑”的有45项": a subset with a property, not a part
        return None
    if re.match(r"\s*(?:以及|另外|另有|另|此外|同时|还|并)", label):  # "…1条，以及××2条": the sentence goes on, the list ended
        return None
    n = parse_number(m.group("n"))
    if n is not None and m.group("more"):
        n = ProseNumber(float(n), 0.0)
        n.at_least = True  # "40余篇": a lower bound (the parts can still be seen to exceed the total)
    return n


def _inside_brackets(text: str, pos: int) -> bool:
    """Whether `pos` is inside an open round bracket of `text` (either width)."""
    before = text[:pos]
    return before.count("(") + before.count("（") > before.count(")") + before.count("）")


_UNIT_IN_BRACKETS = pattern_cache.compile(rf"[（(]\s*({UNITS})\s*[）)]")


_COUNT = pattern_cache.compile(rf"(?:{NUM_TOKEN}){UNIT_GAP}(?P<unit>{UNITS})")


def _count_before(text: str, pos: int, unit: str) -> bool:
    """Whether the sentence already gave another count in the same unit before the total at `pos`
    (then which count a following 其中 breaks down is ambiguous)."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, pos - 120), pos)), default=max(0, pos - 120))
    return any(c.group("unit") == unit for c in _COUNT.finditer(text, start, pos))


def _same_unit_after(text: str, pos: int, unit: str) -> bool:
    """Whether the sentence goes on after the semicolon at `pos` with another count in `unit`."""
    end = text.find("。", pos)
    end = len(text) if end < 0 else end
    return any(c.group("unit") == unit for c in _COUNT.finditer(text, pos, end))


def _first_breakdown(parts: list[ProseNumber], total: ProseNumber) -> list[ProseNumber]:
    """The parts up to where they first add up to the total. What follows then is a second
    breakdown of the same total ("申请7件，其中自然人6件、法人1件，予以公开1件、不掌握4件…"), not
    more parts of the first."""
    running, slack = 0.0, total.tolerance + 1e-9
    for i, p in enumerate(parts[:-1]):
        running += float(p)
        rest = sum(float(q) for q in parts[i + 1:])
        # two items or more add up to the total, and the rest could be another breakdown of it
        # (one item left over is cut too: "…信函申请26件，网络申请8件，已按时办结33件", "…上年结转2件"
        # are other measures far more often than a forgotten part — a real excess hidden so, "…13条、
        # 监管信息5条" past a total of 115, is the price)
        if i >= 1 and abs(running - float(total)) <= slack and 0 < rest <= float(total) + slack:
            return parts[:i + 1]
    return parts


def find_enumerations(text: str) -> list[Enumeration]:
    """Every total-with-parts in a paragraph's text."""
    if not _HAS_NUMBER.search(text):
        return []
    # "3（条）" → "3 条 " (same length: spans still point into the paragraph)
    text = _UNIT_IN_BRACKETS.sub(lambda m: " " + m.group(1) + " " * (len(m.group(0)) - 2), text)
    out: list[Enumeration] = []
    for m in _TOTAL.finditer(text):
        if m.group("more") or text[max(0, m.start() - 1): m.start()] in ("余", "约", "近", "超"):
            continue
        if _inside_brackets(text, m.start()):
            continue  # "25件(含2024年结转1件)，其中…": the bracket's 1件 is no total of what follows
        kw = m.group("kw")
        if kw is None:
            cue = _BARE_TOTAL_CUE.search(text[max(0, m.start() - 20): m.start()])
            if not cue or not _BARE_TOTAL_WORDS.fullmatch(cue.group("words")):
                continue
        if kw is None and text[m.end() - 1: m.end()] not in "，,：:":
            continue  # a bare list must follow its total at once
        unit = m.group("unit")
        if _count_before(text, m.start(), unit):
            continue  # "收到申请9件，上年结转1件，其中网络申请5件、…": 其中 may break down 9 + 1, not 1
        end_m = _SENTENCE_END.search(text, m.end())
        stop = end_m.start() if end_m else len(text)
        if end_m and end_m.group(0) in "；;" and _same_unit_after(text, stop, unit):
            continue  # "其中，复议7件，维持6件，未结1件；诉讼4件，…": which counts are parts is ambiguous
        body = _blank_brackets(text[m.end(): stop])
        if _NESTED_WORD.search(body):
            continue  # a second level without brackets: which numbers are parts is ambiguous
        parts: list[ProseNumber] = []
        items: list[str] = []  # each part's text
        used = 0
        segs = list(_ITEM_SPAN.finditer(body))
        k = 0
        while k < len(segs):
            seg_m = segs[k]
            seg, seg_end = seg_m.group(0), seg_m.end()
            if kw is not None and k + 1 < len(segs) and not _HAS_NUMBER.search(seg) \
                    and body[seg_end: seg_end + 1] == "、":
                # "其中统计分析、资料40余篇": a label naming two things joined by 、, one count for both
                seg, seg_end = body[seg_m.start(): segs[k + 1].end()], segs[k + 1].end()
                k += 1
            n = _item(seg, unit)
            if n is None:
                break
            parts.append(n)
            items.append(seg)
            used = seg_end
            k += 1
            if kw is None and body[seg_end: seg_end + 1] not in ("、", ""):
                break  # a bare list is held together by 、 only
        total = parse_number(m.group("total"))
        if total is None:
            continue
        parts = _first_breakdown(parts, total)
        if len(parts) < 2:
            continue
        items = items[:len(parts)]  # (_first_breakdown may have cut the parts)
        approximate = any(getattr(p, "at_least", False) for p in parts)
        if any(_CHANNEL.search(item) for item in items):
            # "网站65条、微信497条、抖音157条": one item goes out on several channels, parts overlap; and
            # a channel among kinds ("公告类930条，工作动态类1730条，微信公众号发布2715条") is another measure
            continue
        if any(_DIRECTORY.search(item) for item in items):
            continue  # "重点领域1334条，政务动态2476条，信息公开目录1898条": a place among kinds, parts overlap
        # a list closed by a catch-all ("…、其他公开事项82条") claims to be all of it, like 分别为
        closed = kw is not None and not approximate and bool(_CATCH_ALL.match(items[-1])) \
            and not any(c.group("unit") == unit for c in _COUNT.finditer(body, used))  # (nothing counted after it)
        out.append(Enumeration(total=total, unit=unit, parts=parts, exhaustive=(kw in ("分别为", "分别是") and not approximate) or closed,
                               start=m.start(), end=m.end() + used))
    return out
