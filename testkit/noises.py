"""Everyday noise of real publishing, as named switches of the generator: `generate(..., noise={...})`.

Why a registry: a clean generated report is written the way a template is; real reports are not.
Each phenomenon reviewers meet (6,488 with a separator, 2.17万条, 十三件, 二〇二三年, a period
written 2019.1.1-2019.12.31, the agency only in the page's metadata table, a page in 繁體…) is
one named switch here, documented once, working in every layout and both table formats. A noise
never changes what the report *says*: the expected cells, facts and codes of a generated report
are the same with and without it (only `traditional` rewrites the characters, and the tool reads
facts in simplified form). So the eval can score the tool per noise and with all noises at once.

Shape (for whoever adds a noise — the table noises go here too):

    NOISES["name"] = Noise(where=..., doc=..., text=None, cell=None, table=None)

`where` says which step of the generator consults the switch:
  numbers    how narrative counts are spelled (synth asks `spell_count`)
  period     how the statistics period sentence is spelled (`spell_period`)
  title      title / agency lines at the top
  page       web-page furniture around the report (metadata table, navigation, widgets)
  signature  the closing agency and date of issue
  lists      how section 一 enumerates its figures
  narrative  extra sentences a clean template would not have
  text       a transform of the whole assembled text: `text(text, rng) -> text`
  table      table noise: `cell(key, value_text, rng) -> text` is applied to every rendered cell
             value; `table(name, layout, lines, rng) -> lines` to every rendered table of the text
             layouts, `grid(name, grid, rng) -> grid` to every table of the file layouts (html,
             docx, pdf: testkit/documents.Grid)
Switches with only a `where` are read by testkit/synth.py at that step (`"name" in noise`).
Noise randomness comes from its own generator seeded from the report's seed, so the same seed
gives the same base report with or without noise.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable


@dataclass(frozen=True)
class Noise:
    where: str
    doc: str
    text: Callable[[str, random.Random], str] | None = None
    cell: Callable[[str, str, random.Random], str] | None = None
    table: Callable[[str, str, list[str], random.Random], list[str]] | None = None
    grid: Callable[[str, object, random.Random], object] | None = None
    blank: Callable[[dict, str, random.Random], dict[str, str]] | None = None


@lru_cache(maxsize=None)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def _traditional(text: str, rng: random.Random) -> str:
    """The whole page in 繁體 (the traditional-character version many mainland portals offer)."""
    # portals use different converters: OpenCC's standard, Taiwan and Hong Kong forms (爲/為, 着/著)
    return _converter(rng.choice(("s2t", "s2tw", "s2hk"))).convert(text)


# Tone-marked pinyin of characters every report has many of (mirror sites annotate some characters)
_PINYIN = {"规": "guī", "章": "zhāng", "乡": "xiāng", "政": "zhèng", "府": "fǔ", "信": "xìn", "息": "xī",
           "公": "gōng", "开": "kāi", "申": "shēn", "请": "qǐng", "处": "chǔ", "理": "lǐ", "复": "fù", "议": "yì",
           "诉": "sù", "讼": "sòng", "局": "jú", "县": "xiàn", "镇": "zhèn", "报": "bào", "告": "gào"}


def _pinyin(text: str, rng: random.Random) -> str:
    """Pinyin after some characters, as copies of official pages print it ("规(guī)章", "乡(xiāng)"):
    in labels, the title and the narrative alike, never inside a number."""
    out = []
    for ch in text:
        out.append(ch)
        if ch in _PINYIN and rng.random() < 0.15:
            out.append(f"({_PINYIN[ch]})" if rng.random() < 0.7 else f"（{_PINYIN[ch]}）")
    return "".join(out)


# Characters some PDF fonts map to the look-alike radical code points (⼀ U+2F00 for 一, ⻓ U+2ED3 for
# 长): the page shows the same glyph, the extracted text carries the radical.
_RADICALS = {"一": "\u2f00", "二": "\u2f06", "人": "\u2f08", "入": "\u2f0a", "八": "\u2f0b", "十": "\u2f17",
             "口": "\u2f1d", "大": "\u2f24", "子": "\u2f26", "工": "\u2f2f", "文": "\u2f42", "方": "\u2f45",
             "日": "\u2f47", "月": "\u2f49", "生": "\u2f63", "用": "\u2f64", "行": "\u2f8f", "言": "\u2f94",
             "长": "\u2ed3", "门": "\u2ed4", "页": "\u2eda", "车": "\u2ecb", "见": "\u2ec5", "风": "\u2edb",
             "马": "\u2ee2", "贝": "\u2ec9", "齐": "\u2eec", "龙": "\u2ef0", "黄": "\u2ee9", "青": "\u2ed8"}


def _radical_glyphs(text: str, rng: random.Random) -> str:
    """About a third of the characters above written as their radical look-alikes, everywhere:
    headings (⼀、总体情况), labels (⾏政许可), the title and the narrative."""
    return "".join(_RADICALS[ch] if ch in _RADICALS and rng.random() < 0.35 else ch for ch in text)


_COUNT_IN_PROSE = re.compile(r"(?<=[\u4e00-\u9fff])(\d+)(?=[条件个项次])")


def _number_lines(text: str, rng: random.Random) -> str:
    """In part 一, some counts set on a line of their own ("…主动公开信息" / "56" / "条，其中…"), as
    web pages that wrap numbers in their own element come out as text."""
    lines = text.split("\n")
    out, inside = [], False
    for line in lines:
        stripped = line.strip()
        if _PART_ONE_HEADING.search(stripped):
            inside = True  # (part 一's heading, not its contents entry with a page number)
            out.append(line)
            continue
        if _PART_TWO_STARTS.search(stripped) or "\t" in line or "|" in line:
            inside = False  # part 二's heading, numbered or not, or any table line
        if inside:
            line = _COUNT_IN_PROSE.sub(lambda m: f"\n{m.group(1)}\n" if rng.random() < 0.7 else m.group(1), line)
        out.append(line)
    return "\n".join(out)


_PART_ONE_HEADING = re.compile(r"(?:总体|總體|總体|总體)情[况況]$")
_PART_TWO_STARTS = re.compile(r"^\S{0,3}(?:主动公开政府信息|主動公開政府信息)(?:的)?情[况況]$")


NOISES: dict[str, Noise] = {
    "thousands_sep": Noise("numbers", "counts ≥ 1000 in the narrative, written 6,488 / 6，488 / 6 488 "
                                      "(section 一's publication figures are scaled up so they occur)"),
    "wan_units": Noise("numbers", "a large total written with 万 (2.17万条), and an amount with 亿元 / 万元 nearby"),
    "cn_numerals": Noise("numbers", "narrative counts in Chinese numerals: 十三件, 一百零三件, 两件"),
    "unit_spacing": Noise("numbers", "a count and its unit apart: 3 件, 3（件）"),
    "period_spelling": Noise("period", "the statistics period in one of the spellings officials use "
                                       "(2019.1.1-2019.12.31, 2019/01/01至2019/12/31, 2020年1月1日—12月31日, "
                                       "Chinese numerals, 统计期限为2022年度 / 全年) after one of the lead-ins "
                                       "(统计期限, 统计时限, 统计数据时限为, 数据统计期限, 数据截止期限为, 内容涵盖…期间)"),
    "cn_title_year": Noise("title", "the title's year in Chinese numerals: ××局二〇二三年政府信息公开工作年度报告"),
    "split_title": Noise("title", "the title broken over two lines at a random point (agency / year, or mid-phrase)"),
    "agency_in_body": Noise("title", "the title has no agency and the signature none either; the agency is named "
                                     "only in the preamble (本报告由××局编制 / ××局根据《条例》…)"),
    "page_metadata": Noise("page", "the metadata table web pages carry above the text (索引号 | … | 发布机构 | ××局, "
                                   "or 名称：××局 lines); the title itself names no agency"),
    "page_navigation": Noise("page", "navigation and widgets around the report: 您当前的位置：首页 » 信息公开 » …, "
                                     "公开方式 主动公开, 文号, 标题, 【打印】【关闭】, 分享到"),
    "lost_numbering": Noise("page", "one or two part headings without their numeral (主动公开政府信息情况 where "
                                    "二、主动公开政府信息情况 was printed: Word's automatic numbering lost in the export)"),
    "cn_issue_date": Noise("signature", "the date of issue in Chinese numerals: 二〇二二年一月二十日"),
    "flattened_signature": Noise("signature", "agency and date of issue at the end of the last paragraph's line "
                                              "(…特此报告。××局 2021年1月20日), no line break"),
    "nested_lists": Noise("lists", "an enumeration whose part is broken down again in parentheses: "
                                   "共437件，其中A类55件（含甲6件、乙3件）、B类341件…"),
    "bare_lists": Noise("lists", "enumerations without 其中 (共发布信息364条，工作动态17条、…), and sentences whose "
                                 "numbers are not parts of the total before them (other units, other things)"),
    "year_comparisons": Noise("narrative", "other years named in 总体情况 as comparisons or history: 较2023年增长, "
                                           "与上年相比, 2022年度报告中提出的问题"),
    "traditional": Noise("text", "the whole page in traditional characters (s2t)", text=_traditional),
    "pinyin": Noise("text", "tone-marked pinyin after some characters, as mirror sites print it: 规(guī)章, "
                            "乡(xiāng)人民政府 — in table labels, title and narrative", text=_pinyin),
    "radical_glyphs": Noise("text", "ideographs a PDF font maps to their radical look-alikes (⼀、总体情况, ⾏政许可, "
                                    "⻓沙): Kangxi radicals and simplified radical forms, in every part of the text",
                            text=_radical_glyphs),
    "number_lines": Noise("text", "in part 一, counts set on a line of their own (…主动公开信息 / 56 / 条，其中…), "
                                  "as pages that wrap numbers in an element of their own come out",
                          text=_number_lines),
    "contents_page": Noise("page", "a table of contents under the title: the part headings with dot leaders and "
                                   "page numbers, with a page number only, or bare; half the time part 一's "
                                   "sub-headings too ((一)… / 一是…) (no effect on flattened pages)"),
}


from testkit import table_noises as _t  # noqa: E402  (the table noises register here too)

NOISES.update({
    "dash_blanks": Noise("table", "one to three zero cells written as —, -, －, /, 无, ／, and a 2019 table's zero "
                                  "本年增/减 as its sign word alone (增, 减): blanks in their own columns (S006 expected)",
                         blank=_t.dash_blanks),
    "blank_rows": Noise("table", "one to four all-zero rows of table 三 left wholly empty: the row is still "
                                 "read, its cells blank (S006 expected)", blank=_t.blank_rows),
    "open_rows": Noise("table", "markdown rows without their outer bars (规章 | 0 | 0 | 0), the closing bar "
                                "sometimes on the next line", table=_t.open_rows),
    "blank_last_cell": Noise("table", "a row's last cell (总计) left empty: a trailing tab, an empty last cell "
                                      "(S006 expected)", blank=_t.blank_last_cell),
    "cell_number_formats": Noise("table", "cells written 1,234 / 1，234, in full-width digits, or with 件",
                                 cell=_t.number_formats),
    "broken_labels": Noise("table", "row labels wrapped over two lines in every layout (（一）予以 / 公开 3 0 …, "
                                    "| （一）予以<br>公开 |, a line break inside a Word or HTML cell)",
                           table=_t.broken_labels, grid=_t.broken_labels_grid),
    "label_slips": Noise("table", "one-character slips of OCR or typing in row labels (（一）子以公开, 行政讦可)",
                         table=_t.label_slips, grid=_t.label_slips_grid),
    "page_furniture": Noise("table", "a page break inside a table: footer (— 4 —, 第 3 页 共 7 页), running header, "
                                     "the column header printed again", table=_t.page_furniture,
                            grid=_t.page_furniture_grid),
    "stray_cells": Noise("table", "HTML/Word tables with an empty cell where a label should span two columns",
                         grid=_t.stray_cells_grid),
    "lost_glyphs": Noise("table", "a character the page's encoding lost printed as ?, ？ or U+FFFD before a cell's "
                                  "number (? 0, ?12)", cell=_t.lost_glyphs),
    "cell_remarks": Noise("table", "a count annotated in its cell: 22（其中修订16件）, 55 (含自然失效 29 件)",
                          cell=_t.cell_remarks),
    "label_notes": Noise("table", "row labels carrying an explanatory note, whole or cut off: 规章（设区的市、"
                                  "自治州人民政府应提供相关数据）, 规范性文件（行政机关制定发布的决定……",
                         table=_t.label_notes, grid=_t.label_notes_grid),
    "padding_cells": Noise("table", "an empty cell after each row's values (ragged web / Word tables); the pipe "
                           "layout's blank cells written '|' without their space",
                           table=_t.padding_cells, grid=_t.padding_cells_grid),
    "indented_cells": Noise("table", "table lines indented with spaces (full-width too) as an indented HTML source "
                                     "comes out; in the bar-closed layouts a blank or spaces-only line between "
                                     "two value cells of a row (   0  | / (blank) /    0  | )",
                            table=_t.indented_cells, grid=_t.indented_cells_grid),
})
TABLE_NOISE_NAMES = ("dash_blanks", "blank_rows", "blank_last_cell", "cell_number_formats", "broken_labels", "label_slips",
                     "page_furniture", "stray_cells", "padding_cells", "cell_remarks", "label_notes",
                     "open_rows", "lost_glyphs", "indented_cells")


def check_names(names) -> frozenset[str]:
    """The switch names, validated: an unknown name is a usage error, not silently ignored."""
    names = frozenset(names or ())
    unknown = names - set(NOISES)
    if unknown:
        raise ValueError(f"unknown noise {sorted(unknown)}; known: {sorted(NOISES)}")
    return names


# ====================================================================== spellings

_CN = "零一二三四五六七八九"


def cn_digits(n: int, zero: str = "〇") -> str:
    """Digit by digit, as years are written: 2023 → 二〇二三."""
    return "".join(zero if c == "0" else _CN[int(c)] for c in str(n))


def cn_numeral(n: int, rng: random.Random | None = None) -> str:
    """A count in Chinese numerals (0 < n < 10^8): 13 → 十三, 103 → 一百零三, 2 → 两 (sometimes 二)."""
    if n == 2 and (rng is None or rng.random() < 0.7):
        return "两"
    if n >= 10000:
        hi, lo = divmod(n, 10000)
        rest = "" if lo == 0 else ("零" if lo < 1000 else "") + cn_numeral(lo, None).replace("两", "二")
        return cn_numeral(hi, None).replace("两", "二") + "万" + rest
    out = []
    units = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
    zero = False
    for value, unit in units:
        d, n = divmod(n, value)
        if d:
            if zero and out:
                out.append("零")
            out.append(_CN[d] + unit)
            zero = False
        elif out:
            zero = True
    text = "".join(out)
    return text[1:] if text.startswith("一十") else text


def grouped(n: int, rng: random.Random) -> str:
    """A number with thousands separators: 6,488 / 6，488 / 6 488."""
    sep = rng.choice((",", "，", " "))
    return f"{n:,}".replace(",", sep)


def wan(n: int) -> str:
    """n (a multiple of 100) in 万: 21700 → 2.17万."""
    text = f"{n / 10000:.2f}".rstrip("0").rstrip(".")
    return text + "万"


def spell_count(n: int, unit: str, on: frozenset[str], rng: random.Random) -> str:
    """A count and its unit in one of the spellings the active number noises allow (plain if none)."""
    options: list[str] = []
    if "cn_numerals" in on and 0 < n < 100000:
        options.append(cn_numeral(n, rng) + unit)
    if "thousands_sep" in on and n >= 1000:
        options.append(grouped(n, rng) + unit)
    if "wan_units" in on and n >= 10000 and n % 100 == 0:
        options.append(wan(n) + unit)
    if "unit_spacing" in on:
        options += [f"{n} {unit}", f"{n}（{unit}）"]
    return rng.choice(options) if options else f"{n}{unit}"


def spell_date(y: int, m: int, d: int, style: str) -> str:
    if style == "cn":
        return f"{cn_digits(y)}年{cn_numeral(m).replace('两', '二')}月{cn_numeral(d).replace('两', '二')}日"
    if style == "dot":
        return f"{y}.{m}.{d}"
    if style == "slash":
        return f"{y}/{m:02d}/{d:02d}"
    if style == "dash":
        return f"{y}-{m:02d}-{d:02d}"
    return f"{y}年{m}月{d}日"


_LEADS = ("本报告所列数据的统计期限自{p}止。", "本报告中所列数据统计时限为{p}。", "本报告统计数据时限为{p}。",
          "本报告数据统计期限为{p}。", "本报告数据截止期限为{p}。", "报告内容涵盖{p}期间的政府信息公开工作情况。",
          "本报告所列数据统计期限为{p}。", "统计期限内的数据以本报告所列为准，统计期限为{p}。")


def spell_period(year: int, end_year: int, end_day: tuple[int, int], rng: random.Random) -> str:
    """A sentence stating the statistics period year-01-01 .. end_year-end_day, in a real spelling.

    Spellings that cannot carry a second year (…—12月31日, 2022年度) are used only when the period
    ends in the start year; the spelling with 起…止 keeps its own words.
    """
    em, ed = end_day
    same = end_year == year
    spellings = [
        lambda: f"{year}.1.1-{end_year}.{em}.{ed}",
        lambda: f"{spell_date(year, 1, 1, 'slash')}至{spell_date(end_year, em, ed, 'slash')}",
        lambda: f"{spell_date(year, 1, 1, 'cn')}至{spell_date(end_year, em, ed, 'cn')}",
        lambda: f"{spell_date(year, 1, 1, 'dash')}至{spell_date(end_year, em, ed, 'dash')}",
    ]
    if same:
        spellings += [
            lambda: f"{year}年1月1日{rng.choice(('—', '－', '-', '至', '到', '~'))}{em}月{ed}日",
            lambda: f"{cn_digits(year)}年1月1日至{em}月{ed}日",
        ]
    if same and (em, ed) == (12, 31):
        spellings += [lambda: f"{year}年度", lambda: f"{year}年全年", lambda: f"{year}年1月至12月"]
    period = rng.choice(spellings)()
    if rng.random() < 0.25 and not period.endswith(("年度", "全年", "12月")):
        a, b = (spell_date(year, 1, 1, "cn"), spell_date(end_year, em, ed, "cn")) if rng.random() < 0.5 else \
            (f"{year}年1月1日", f"{end_year}年{em}月{ed}日")
        return f"本报告所列数据的统计期限自{a}起至{b}止。"
    lead = rng.choice(_LEADS)
    if lead.startswith("本报告所列数据的统计期限自"):
        lead = "本报告所列数据统计期限为{p}。"
    return lead.format(p=period)
