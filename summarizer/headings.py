"""The six section headings of a report ("一、总体情况" … "六、其他需要报告的事项").

Why its own module: paragraphs.py needs `heading_number` to stop joining wrapped lines at a
heading, and segment.py needs paragraphs; keeping headings apart breaks that import circle.
"""

from __future__ import annotations

import re

from . import pattern_cache
from .document import Document, without_spacing
from .models import Section
from .schema import SECTION_NUMERALS, SECTIONS

# Headings numbered 一 to 八: a report that inserts a section of its own ("五、信息处理费收取情况")
# numbers the official ones after it 六, 七 — they are still those sections (S009 reports the numbering).
_HEADING = pattern_cache.compile(r"^\s*(?:#+\s*)?(?:\*\*)?([一二三四五六七八])\s*[、.．,，]\s*(.{2,40}?)(?:\*\*)?\s*$")
_NUMERALS = "一二三四五六七八"
_NUMERAL_ALONE = pattern_cache.compile(r"^\s*(?:#+\s*)?(?:\*\*)?[一二三四五六七八]\s*[、.．,，]\s*(?:\*\*)?\s*$")
# Inline headings, for flattened web text where the whole report sits on one line.
_INLINE_TITLES = {
    # (with the words reports put before it: "一、本年度政府信息公开工作的总体情况")
    1: r"(?:(?:本年度|\d{4}年度?)?(?:政府信息公开|政务公开)(?:工作)?(?:的)?)?(?:总体情况|基本情况|概述|总体工作情况|总体概况|基本概况)",
    2: r"主动公开政府信息情况",
    3: r"收到和处理政府信息公开申请情况",
    4: r"(?:政府信息公开|因政府信息公开)[^。、]{0,12}?复议[^。]{0,16}?诉讼[^。]{0,6}?情况",
    5: r"(?:政府信息公开(?:工作)?)?存在(?:的)?(?:主要)?问题[^。]{0,12}?(?:情况|措施|举措|打算|计划|思路|安排)",
    6: r"其他需要报告的事项|需要说明的其他事项|其他需要说明的事项",
}


# a table of contents' entry: dot leaders and a page number ("四、…诉讼情况 ........ 12")
_TOC_ENTRY = pattern_cache.compile(r"(?:[.．…·•_]\s*){4,}\d{1,3}\s*$")


def heading_number(text: str) -> int | None:
    """The section number if this line is a section heading ("三、收到和处理…"), else None."""
    m = _HEADING.match(text.replace("\t", " ").strip())
    if not m or _TOC_ENTRY.search(text):
        return None
    number = _NUMERALS.index(m.group(1)) + 1
    title = without_spacing(m.group(2))  # "一、概 述", "二、主 动 公 开 …" (PDF text spaced out)
    if "数量" in title or "结果" in title or "结转" in title:  # rows of table 三 look like headings
        return None
    if number <= len(SECTIONS) and any(k in title for k in SECTIONS[number - 1].keywords):
        return number
    for other, pattern in _STRONG_TITLES.items():  # "一、主动公开政府信息情况" numbered wrongly
        if re.search(pattern, title):
            return other
    return None


_STRONG_TITLES = {
    2: r"^主动公开政府信息(?:的)?情况",
    3: r"^收到和处理政府信息公开申请(?:的)?情况",
    4: r"行政复议[、和及]行政诉讼(?:的)?情况$|被申请行政复议、提起行政诉讼",
    5: r"^(?:政府信息公开工作)?存在(?:的)?(?:主要)?问题(?:及|和|与|以及)",
    6: r"^其他需要报告的事项|^需要说明的其他事项|^其他需要说明的事项",
}


def heading_numeral(text: str) -> int | None:
    """The numeral a heading line is written with (一 → 1), for S009."""
    m = _HEADING.match(text.replace("\t", " ").strip())
    return _NUMERALS.index(m.group(1)) + 1 if m else None


def _title_as_written(raw: str) -> str:
    """The heading's title as written, without its numeral ("一、总体情况" → "总体情况"; CLI.md)."""
    t = raw.strip().strip("#* ")
    return re.sub(r"^[一二三四五六七八]\s*[、.．,，]\s*", "", t).strip("* ") or raw.strip()


def _contents_lines(doc: Document) -> set[int]:
    """Lines of a table of contents: three or more headings in a row with nothing between them
    ("一、总体情况" / "二、主动公开政府信息情况" / …, page numbers or not), each of them found again
    further down. (Headings of empty parts are consecutive too, but not repeated.)"""
    run: list[tuple[int, int]] = []  # (line, number) of consecutive heading lines
    for ln in doc.lines[:_CONTENTS_WITHIN]:
        text = ln.text.strip()
        if not text:
            continue
        number = _entry_number(text) if len(text) <= 60 and _ENTRY_WORD.search(text) else None
        if number is not None and number not in {n for _, n in run}:
            run.append((ln.no, number))
            continue
        if number is None and run and len(text) <= 60 and _TOC_SUB_ENTRY.match(text):
            continue  # "（一）主动公开政府信息情况 2": a sub-entry of the contents, with its page number
        if len(run) >= 3:
            break  # the contents end where a line is no entry or an entry comes again (the body)
        run = [(ln.no, number)] if number is not None else []
    if len(run) < 3:
        return set()
    numbers = {n for _, n in run}
    later = {_entry_number(ln.text.strip()) for ln in doc.lines[run[-1][0]:] if len(ln.text.strip()) <= 45}
    return {no for no, _ in run} if numbers <= later else set()


def _entry_number(text: str) -> int | None:
    """The part a heading or contents entry names: numbered, or an official title alone (its
    numeral lost), a page number after it or not."""
    text = _TOC_PAGE.sub("", text)
    number = heading_number(text)
    if number is None:
        bare = text.strip("#* ").replace(" ", "")
        number = next((n for n, title in _BARE_TITLES.items() if title.fullmatch(bare)), None)
    return number


# a contents sub-entry: sub-numbered ("（一）", "1.", "一是") and ending in its page number
_TOC_SUB_ENTRY = pattern_cache.compile(r"^(?:[(（][一二三四五六七八九十]+[)）]|\d{1,2}[.、．]|[一二三四五六七八九十]是)"
                                       r"[^；;]{1,50}?(?:\s|[.．…·•_])+\d{1,3}\s*$")
_CONTENTS_WITHIN = 150  # lines from the top where a table of contents can stand (after a cover page)
_ENTRY_WORD = pattern_cache.compile(r"情况|事项|问题")  # every part's title has one of them
# a page number after a contents entry ("一、总体情况 1", "一、总体情况……1")
_TOC_PAGE = pattern_cache.compile(r"(?:\s|[.．…·•_])*\d{1,3}\s*$")


def find_sections(doc: Document) -> list[Section]:
    """Section headings in document order; the first heading of each number wins."""
    found: list[Section] = []
    seen: set[int] = set()
    contents = _contents_lines(doc)
    for i, ln in enumerate(doc.lines):
        if not ln.text.strip() or len(ln.text.strip()) > 45 or ln.no in contents:
            continue
        number = heading_number(ln.text)
        if number is None and _NUMERAL_ALONE.match(ln.text) and i + 1 < len(doc.lines):
            # the numeral alone on its line, the title on the next ("一、" / "总体情况", as a page wraps it)
            number = heading_number(ln.text.strip() + doc.lines[i + 1].text.strip())
            if number and number not in seen:
                seen.add(number)
                found.append(Section(number=number, title=_title_as_written(doc.lines[i + 1].raw), line=ln.no))
            continue
        if number and number not in seen:
            seen.add(number)
            found.append(Section(number=number, title=_title_as_written(ln.raw), line=ln.no))
    if len(found) < len(SECTIONS):
        found = _alt_numbered_sections(doc, found, seen)
    if len(found) < len(SECTIONS):
        found = _bare_title_sections(doc, found, seen)
    if len(found) < 3:
        found = _inline_sections(doc, found, seen)
    elif len(found) < len(SECTIONS):
        found = _run_on_headings(doc, found, seen)
    found.sort(key=lambda s: (s.line, s.col))
    for i, sec in enumerate(found):
        sec.end_line = (found[i + 1].line - 1) if i + 1 < len(found) else doc.n
    return found


# A section heading numbered as a sub-item ("(二)行政机关主动公开政府信息情况", "1. 总体情况") or as a
# part ("第一部分 总体情况"): seen on
# real pages that number the six parts their own way. Accepted only where the official heading of
# that number is missing, between the sections found before and after it, with the numeral equal
# to the section's number and the section's words in the title; S009 reports the numbering.
# (a pattern string: compiled by `re` at its first use — only reports missing an official heading)
_ALT_HEADING = (r"^\s*(?:#+\s*)?(?:\*\*)?(?:[(（]\s*(?P<paren>[一二三四五六])\s*[)）]\s*[、.．]?|(?P<arabic>[1-6])\s*[.、．](?!\d)|"
                r"第\s*(?P<part>[一二三四五六])\s*部分\s*[、.．:：]?)\s*(?P<title>.{2,40}?)(?:\*\*)?\s*$")
_ALT_SECTION_WORDS = {1: r"总体|基本情况|概述", 2: r"主动公开", 3: r"收到和处理|依申请公开政府信息情况|公开申请",
                      4: r"复议", 5: r"存在的主要问题|存在问题|主要问题", 6: r"其他需要报告|其他事项|需要说明"}


def alt_numbered(text: str) -> int | None:
    """The number of a heading written as a sub-item ("(三)…", "3. …"), if its title names that section."""
    m = re.match(_ALT_HEADING, text.replace("\t", " "))
    if not m:
        return None
    numeral = m.group("paren") or m.group("part")
    number = _NUMERALS.index(numeral) + 1 if numeral else int(m.group("arabic"))
    title = m.group("title")
    if re.search(r"数量|件数|结果|结转|。|[;；]\s*$", title):
        return None  # a table row, a sentence that opens with a list number, an item of a list ("…件数;")
    return number if re.search(_ALT_SECTION_WORDS[number], title) else None


def _alt_numbered_sections(doc: Document, found: list[Section], seen: set[int]) -> list[Section]:
    """Sections written as sub-items, never after an officially numbered heading: after "一、总体情况"
    a "(二)政府信息主动公开情况" is that section's own sub-item (a real page cut inside 一)."""
    by_number = {s.number: s.line for s in found}
    first_official = min(by_number.values(), default=doc.n + 1)
    for ln in doc.lines:
        if ln.no > first_official:
            break
        text = ln.text.strip()
        if not text or len(text) > 45:
            continue
        number = alt_numbered(text)
        if number is None or number in seen:
            continue
        lo = max((line for n, line in by_number.items() if n < number), default=0)
        hi = min((line for n, line in by_number.items() if n > number), default=doc.n + 1)
        if lo < ln.no < hi:
            seen.add(number)
            by_number[number] = ln.no
            raw = re.match(_ALT_HEADING, ln.raw.replace("\t", " "))
            found.append(Section(number=number, title=raw.group("title").strip() if raw else text, line=ln.no))
    return found


# A part's official title alone on its line, its numeral lost (Word's automatic numbering does not
# survive every export: "主动公开政府信息情况" where "二、主动公开政府信息情况" was printed). Only the
# whole title, only where that part's numbered heading is missing, between its neighbours.
# A numeral garbled into a look-alike mark ("—、总体情况": an em dash for 一) counts as lost.
_LOOKALIKE_NUMERAL = pattern_cache.compile(r"^(?:[—―－\-ー_~·•●■◆▲□]{1,2}[、.．,，]?|[、.．,，])")  # or no mark: "、主动…"
_BARE_TITLES = {
    1: pattern_cache.compile(r"(?:本年度)?(?:政府信息公开(?:工作)?)?总体情况"),
    2: pattern_cache.compile(r"主动公开政府信息(?:的)?情况"),
    3: pattern_cache.compile(r"收到和处理政府信息公开申请(?:的)?情况"),
    4: pattern_cache.compile(r"政府信息公开行政复议[、和及]行政诉讼(?:的)?情况"),
    5: pattern_cache.compile(r"(?:政府信息公开(?:工作)?)?存在的主要问题及改进情况"),
    6: pattern_cache.compile(r"其他需要报告的事项"),
}


def official_title(number: int, text: str) -> bool:
    """Whether `text` (no numeral, no spaces) is part `number`'s official title."""
    title = _BARE_TITLES.get(number)
    return bool(title and title.fullmatch(text))


def _bare_title_sections(doc: Document, found: list[Section], seen: set[int]) -> list[Section]:
    by_number = {s.number: s.line for s in found}
    for number, title in _BARE_TITLES.items():
        if number in seen:
            continue
        lo = max((line for n, line in by_number.items() if n < number), default=0)
        hi = min((line for n, line in by_number.items() if n > number), default=doc.n + 1)
        for no in range(lo + 1, hi):
            text = _LOOKALIKE_NUMERAL.sub("", doc.line(no).text.strip().strip("#* ").replace(" ", ""))
            if text and len(text) <= 30 and title.fullmatch(text):
                seen.add(number)
                by_number[number] = no
                found.append(Section(number=number, title=text, line=no))
                break
    return found


def _run_on_headings(doc: Document, found: list[Section], seen: set[int]) -> list[Section]:
    """A heading the page ran on with the text around it ("…其他需要报告事项。 一、本年度政府信息公开工作的
    总体情况 (一)主动公开…", seen on a real county page), looked for only where its section is missing
    and only between the sections found before and after it; it must open a sentence, and its title
    may carry a short qualifier ("本年度政府信息公开工作的总体情况")."""
    by_number = {s.number: s.line for s in found}
    for number, pattern in _INLINE_TITLES.items():
        if number in seen:
            continue
        lo = max((line for n, line in by_number.items() if n < number), default=1)
        hi = min((line for n, line in by_number.items() if n > number), default=doc.n)
        rx = pattern_cache.compile(rf"(?:^|(?<=[。；;！？!?\s]))({SECTION_NUMERALS[number - 1]})\s*[、.．]\s*"
                        rf"((?:[^。，,；;\s]{{0,16}}?)(?:{pattern}))")
        for no in range(lo, hi + 1):
            m = rx.search(doc.line(no).text)
            if m:
                seen.add(number)
                found.append(Section(number=number, title=doc.quote(no, m.start(2), m.end()), line=no, col=m.start(1)))
                break
    return found


# the next part named right after a part's title in a list of the parts ("一、总体情况，二、主动公开…")
_LISTED_NEXT = pattern_cache.compile(r"[^。]{0,6}?[,，、；;]\s*[一二三四五六]\s*[、.．]")


def _inline_sections(doc: Document, found: list[Section], seen: set[int]) -> list[Section]:
    for ln in doc.lines:
        for number, pattern in _INLINE_TITLES.items():
            if number in seen:
                continue
            # the separator is sometimes lost in scraping ("一总体情况"); the title then must follow at once.
            # Never right after "," "、", nor after ":" when the next part follows in a list: "本报告分为六个
            # 部分:一、总体情况,二、…" lists the parts (a false S002); after anything else it may be a heading
            # run on ("…13575394432.52元三、收到和处理…", "…特编制此报告：一、总体情况2022年，…")
            m = next((m for m in re.finditer(rf"(?<![,，、])([{SECTION_NUMERALS}])\s*[、.．]?\s*({pattern})", ln.text)
                      if not (m.start() > 0 and ln.text[m.start() - 1] in ":："
                              and _LISTED_NEXT.match(ln.text, m.end()))), None)
            if m and SECTION_NUMERALS.index(m.group(1)) + 1 == number:
                seen.add(number)
                found.append(Section(number=number, title=doc.quote(ln.no, m.start(2), m.end()), line=ln.no,
                                     col=m.start(1)))
    return found
