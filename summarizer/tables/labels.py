"""Matching the label text of a table row to a template row, robustly but never loosely.

Why not positions: real tables lose rows at page breaks, split labels across lines, carry
typos ("其他法律行政止公开") and truncations ("本年新"). A row is identified by its label;
position (template order) only breaks ties and guards the weak labels "其他" and "总计".
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from .. import pattern_cache
from ..schema import ACTIVE_2019, ACTIVE_2021, APPLICATIONS_2019, APPLICATIONS_2021, RowSpec

# bounded repetitions anchored at digit boundaries: linear on any text, even 10,000 digits in a row
# (circled numbers too: "③其他", a Word list's numbering)
_NUMBERING = pattern_cache.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.,，]|\(?[一二三四五六七八九十]{1,3}\)|\d{1,3}[.、,，)]|\(\d{1,3}\)|"
                                   r"[\u2460-\u2473][.、,，]?)")
_INNER_NUMBERING = pattern_cache.compile(r"(?:(?<!\d)\d{1,3}[.、,，)]|\([一二三四五六七八九十]{1,3}\)|（[一二三四五六七八九十]{1,3}）)")
MAX_LABEL = 120  # longer text is never a row label (and is not compared character by character)
_DROP_CHARS = str.maketrans("", "", " \t“”\"'‘’「」*")
_BR = pattern_cache.compile(r"<\s*br\s*/?\s*>", re.I)


def norm(text: str) -> str:
    """Label text without spaces, quotes, line-break tags and leading numbering ("（三）", "1.", "一、")."""
    if "<" in text:
        text = _BR.sub("", text)
    s = text.translate(_DROP_CHARS).replace("（", "(").replace("）", ")").replace("，", ",").replace("：", ":")
    if "档案" in s:  # Taiwan-style conversion of 文件 (規範性檔案 on traditional pages)
        s = s.replace("档案", "文件")
    if "资讯" in s:  # … and of 信息 (資訊)
        s = s.replace("资讯", "信息")
    for _ in range(3):
        m = _NUMBERING.match(s)
        if not m:
            break
        s = s[m.end():]
    return s


@lru_cache(maxsize=8192)
def variants(text: str) -> tuple[str, ...]:
    """The label itself, and the label after one or two stray leading characters.

    PDF text layers put the characters of a vertical merged cell ("三", "、", "本", "年"…) in
    front of the row labels they sit beside: "三 2.其他法律行政法规禁止公开".
    """
    s = _BR.sub("", text) if "<" in text else text
    s = s.translate(_DROP_CHARS)
    out = [norm(s)]
    for k in (1, 2):
        rest = s[k:]
        if _NUMBERING.match(rest):
            out.append(norm(rest))
    # a group label in front of the row label: "（四）无法提供 1.本机关不掌握相关政府信息"
    inner = list(_INNER_NUMBERING.finditer(s))
    if inner and inner[-1].start() > 0:
        out.append(norm(s[inner[-1].start():]))
    return tuple(out)


def _union(*specs) -> tuple[RowSpec, ...]:
    seen: dict[str, RowSpec] = {}
    for spec in specs:
        for row in spec.rows:
            if row.id in seen:
                old = seen[row.id]
                labels = tuple(dict.fromkeys(old.aliases + (row.label,) + row.aliases))
                seen[row.id] = RowSpec(old.id, old.label, old.columns, labels, old.weak, old.group)
            else:
                seen[row.id] = row
    return tuple(seen.values())


# Candidate rows in template order; the union of both formats, so the format can be decided later.
ACTIVE_ROWS = _union(ACTIVE_2019, ACTIVE_2021)
_APP_ORDER = [r.id for r in APPLICATIONS_2019.rows[:-3]] + ["other", "other_1", "other_2", "other_3", "total",
                                                             "carried_forward"]
_APP_BY_ID = {r.id: r for r in APPLICATIONS_2019.rows + APPLICATIONS_2021.rows}
APPLICATION_ROWS = tuple(_APP_BY_ID[i] for i in _APP_ORDER)
ROWS = {"active": ACTIVE_ROWS, "applications": APPLICATION_ROWS}


@lru_cache(maxsize=1024)
def _matcher(label: str) -> SequenceMatcher:
    """A SequenceMatcher holding `label` as its second sequence: the index it builds of the label
    is made once, not once per candidate text (set_seq1 keeps it)."""
    sm = SequenceMatcher(None)
    sm.set_seq2(label)
    return sm


def _score(v: str, label: str) -> float:
    if not v:
        return 0.0
    if v == label:
        return 1.0
    short = len(label) <= 4
    if label in v and len(v) <= len(label) + (2 if short else 5):
        return 0.95
    if not short and label.startswith(v) and len(v) >= max(4, len(label) // 2):
        return 0.9  # truncated label ("部分公开(区分处理的,只计这一情形,不")
    if short or abs(len(v) - len(label)) > max(3, len(label) // 3):
        return 0.0
    if 2.0 * min(len(v), len(label)) / (len(v) + len(label)) < 0.8:  # SequenceMatcher.real_quick_ratio
        return 0.0
    sm = _matcher(label)
    sm.set_seq1(v)
    if sm.quick_ratio() < 0.8:
        return 0.0
    r = sm.ratio()
    return r if r >= 0.8 else 0.0


@lru_cache(maxsize=4)
def _row_norms(table: str) -> tuple[tuple[str, ...], ...]:
    """Each template row's label and aliases, normalized once (not on every candidate lookup)."""
    return tuple(tuple(norm(label) for label in (row.label,) + row.aliases) for row in ROWS[table])


def is_row_label(text: str, min_length: int = 1) -> bool:
    """Whether `text` is exactly a template row's label or alias in table 二 or 三 (numbering,
    spaces and quotes aside) — not a fuzzy match: "1.属于国家" is only the first part of one."""
    n = norm(text)
    return len(n) >= min_length and any(n in row for table in ("active", "applications") for row in _row_norms(table))


MIN_NOTE = 4  # characters inside brackets that make an explanatory note, not a numbering like "（一）"
# short notes some templates add to a label ("规章(制度)", "行政许可（件）")
_SHORT_NOTES = frozenset({"制度", "件", "个", "项", "条", "次", "宗", "万元", "元"})


def without_note(text: str) -> str:
    """The label without an explanatory note in brackets after it.

    Some provincial templates explain a row inside its label: "规章（设区的市、自治州人民政府应提供
    相关数据）", "规范性文件（行政机关制定发布的决定、公告、通告、意见、通知，以及标题采用……）".
    The note (closed or cut off) is dropped; the label before it names the row. Brackets at the
    start (numbering) or with fewer than MIN_NOTE characters are kept.
    """
    opens = [i for i in (text.find("（", 2), text.find("(", 2)) if i >= 2]
    if not opens:
        return text
    start = min(opens)
    closes = [i for i in (text.find("）", start), text.find(")", start)) if i > start]
    end = min(closes) if closes else len(text)
    if end - start - 1 < MIN_NOTE and text[start + 1:end] not in _SHORT_NOTES:
        return text
    return (text[:start] + text[end + 1:]).strip()


@lru_cache(maxsize=8192)
def candidates(text: str, table: str) -> tuple[tuple[int, float], ...]:
    """(row index, score) for every template row of `table` this text could be the label of:
    the text as written, and without an explanatory note (`without_note`)."""
    bare = without_note(text)
    if len(bare) > MAX_LABEL:
        return ()
    rows = ROWS[table]
    vs = variants(text) if len(text) <= MAX_LABEL else ()
    if bare != text:
        vs += tuple(v for v in variants(bare) if v not in vs)
    out = []
    for i, (row, nls) in enumerate(zip(rows, _row_norms(table))):
        best = 0.0
        for nl in nls:
            for v in vs:
                if row.weak:
                    s = 1.0 if v == nl else 0.0
                else:
                    s = _score(v, nl)
                best = max(best, s)
        if best > 0:
            out.append((i, best))
    return tuple(out)


_NUMBERED_WEAK = pattern_cache.compile(r"[(（]\s*七\s*[)）]\s*总\s*计")
# How far back the last matched row may be for a weak label to count ("其他" only after 1./2.).
_WEAK_WINDOW = {"other_3": 2, "total": 5}


def match_row(text: str, table: str, last_index: int, allow_weak: bool = True,
              done: frozenset[int] | set[int] | None = None) -> int | None:
    """The template row this label names, given the last row matched.

    Rows normally move forward. `done` lists rows already read: a strong label may name a row
    out of template order (converters reorder rows) as long as that row was not read yet.
    `allow_weak` is False when no values follow the text: "总计"/"其他" are then column headers,
    and weak labels only count right after the rows they follow.
    """
    best: tuple[float, int, int] | None = None
    numbered = bool(_NUMBERED_WEAK.search(text))  # "（七）总计", "（六）其他处理": the numbering names the row
    for i, score in candidates(text, table):
        row = ROWS[table][i]
        forward = i > last_index
        if not forward and (row.weak or done is None or i in done):
            continue
        if row.weak and not numbered and (not allow_weak or last_index < i - _WEAK_WINDOW.get(row.id, 5)):
            continue
        key = (score, int(forward), -i)
        if best is None or key > best:
            best = key
    if best is None:
        return _slipped_row(text, table, last_index, done)
    return -best[2]


def _one_slip(a: str, b: str) -> bool:
    """Same length, exactly one character different (an OCR or typing slip: 子以公开 / 予以公开)."""
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b)) == 1


def _slipped_row(text: str, table: str, last_index: int, done) -> int | None:
    """A short label with a one-character slip, accepted only as one of the next two template
    rows: where the row is expected, 行政讦可 can only be 行政许可; elsewhere it is not read."""
    bare = without_note(text)
    if len(bare) > MAX_LABEL:
        return None
    vs = (variants(text) if len(text) <= MAX_LABEL else ()) + (variants(bare) if bare != text else ())
    rows = ROWS[table]
    norms = _row_norms(table)
    for i in range(last_index + 1, min(last_index + 3, len(rows))):
        if rows[i].weak or (done is not None and i in done):
            continue
        for nl in norms[i]:
            if len(nl) >= 3 and any(len(v) == len(nl) and _one_slip(v, nl) for v in vs):
                return i
    return None


def nearest_label(text: str, table: str) -> str:
    """The template label most like this text, for S007 messages."""
    v = norm(text)
    best, best_label = 0.0, ""
    for row in ROWS[table]:
        r = SequenceMatcher(None, v, norm(row.label)).ratio()
        if r > best:
            best, best_label = r, row.label
    return best_label
