"""A report as normalized lines that still point back at the original text.

Why a line map: every finding must cite the original line number and an exact quote. We
normalize (full-width digits and signs, docx bookmarks, no-break spaces) for parsing, but keep
for each normalized character the index of the original character, so a span found in the
normalized text can be quoted verbatim from the original.
"""

from __future__ import annotations

import re

from . import pattern_cache

# a space a PDF export or a page's layout put between two ideographs, or between an ideograph and
# a digit ("一、概 述", "2022 年 政 府 信 息 公 开"): no space a writer of Chinese meant
_SPACED_OUT = pattern_cache.compile(r"(?<=[\u4e00-\u9fff\d])[ \u3000]+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])[ \u3000]+(?=\d)")


def without_spacing(text: str) -> str:
    """`text` without the spaces set between characters (see _SPACED_OUT)."""
    return _SPACED_OUT.sub("", text)


class InputError(Exception):
    """The file cannot be audited at all; the message names the problem (the caller adds the file)."""


class Line:
    """One line of a report. (A plain class, not a dataclass: the records made at start-up cost a
    dataclass's code generation, 2–3 M instructions each, on every run of the command.)"""

    __slots__ = ("no", "raw", "text", "idx", "furniture", "page")

    def __init__(self, no: int, raw: str, text: str, idx: list[int] | range | None = None,
                 furniture: bool = False, page: int | None = None) -> None:
        self.no = no  # 1-based line number in the original text
        self.raw = raw  # the original line, as decoded
        self.text = text  # normalized line used by the parsers
        self.idx = [] if idx is None else idx  # text[i] came from raw[idx[i]]
        self.furniture = furniture  # page furniture (footer, "扫一扫…"), ignored by parsers
        self.page = page  # 1-based page of paged sources (PDF, OCR, pdftotext's form feeds); else None

    def __repr__(self) -> str:
        return f"Line(no={self.no!r}, text={self.text!r})"


class Document:
    """A report's lines and what its reader knows about them (a plain class: see Line)."""

    def __init__(self, path: str, encoding: str, lines: list[Line], source_kind: str = "text",
                 notes: list[str] | None = None, covered: dict[int, frozenset[int]] | None = None,
                 grid_layout: bool = False, places: dict[int, str] | None = None,
                 low_confidence: dict[int, list[tuple[int, int, float]]] | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self.lines = lines
        self.source_kind = source_kind  # text / html / pdf / docx / ocr
        self.notes = [] if notes is None else notes  # what the reader had to do (OCR, repaired bytes…), for the reviewer
        # line number -> tab fields of that row covered by a merged cell (HTML rowspan/colspan, DOCX
        # merges, PDF spans), from the readers of structured tables; the extractor skips them
        self.covered = {} if covered is None else covered
        # True when the tab fields of table rows are the table's grid columns (HTML and DOCX tables laid
        # out by their spans): values may then be placed by column. PDF table detection is not that exact.
        self.grid_layout = grid_layout
        # line number -> where that line stands in the source file when a line number says little there
        # ("第2个表格第5行" for a Word table row)
        self.places = {} if places is None else places
        # OCR: line number → (start, end, confidence) spans of the raw line read below the
        # confidence threshold; the table extractor marks the cells in them (Facts.low_confidence_cells)
        self.low_confidence = {} if low_confidence is None else low_confidence

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, lines={len(self.lines)}, source_kind={self.source_kind!r})"

    def line(self, no: int) -> Line:
        return self.lines[no - 1]

    def quote(self, no: int, start: int = 0, end: int | None = None) -> str:
        """The original text behind normalized span [start, end) of line `no`."""
        ln = self.lines[no - 1]
        if not ln.text:
            return ln.raw.strip()
        end = len(ln.text) if end is None else end
        start = max(0, min(start, len(ln.text) - 1))
        end = max(start + 1, min(end, len(ln.text)))
        return ln.raw[ln.idx[start]: ln.idx[end - 1] + 1]

    def snippet(self, no: int, start: int, end: int, width: int = 60) -> str:
        """A readable quote around a span: extended to clause punctuation, at most ~width chars each side."""
        s, e = clause_bounds(self.lines[no - 1].text, start, end, width)
        return self.quote(no, s, e).strip()

    def full_quote(self, no: int) -> str:
        """The whole line as a quote; a very long line (flattened web text) only its first 300 characters."""
        return self.lines[no - 1].raw.strip()[:300]

    @property
    def n(self) -> int:
        return len(self.lines)


def clause_bounds(text: str, start: int, end: int, width: int = 60) -> tuple[int, int]:
    """Extend [start, end) to the surrounding clause (up to 。；！？ or a tab), ~width chars each side."""
    s = start
    while s > 0 and start - s < width and text[s - 1] not in "。；;！!？?\t":
        s -= 1
    e = end
    while e < len(text) and e - end < width and text[e] not in "。；;！!？?\t":
        e += 1
    while s < e and text[s] in " 　\t":
        s += 1
    return s, e


# ---------------------------------------------------------------- normalization

_BOOKMARK = pattern_cache.compile(r"\[bookmark: [^\]]*\]")
# Pinyin that copies of official pages put after a character ("规(guī)章", "乡(xiāng)人民政府"): not
# the report's text. Dropped from the normalized text (quotes keep it) when it follows a Chinese
# character and carries a tone mark, so "(a)" or "(PDF)" stay.
_TONE_MARKED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# (a space a converter put in, too; a pattern string: `re` compiles it at its first use, only for a
# line with a tone-marked letter, not at every start)
_PINYIN = rf"[(（][a-zü{_TONE_MARKED}](?: ?[a-zü{_TONE_MARKED}]){{0,7}}[)）]"


def _pinyin_spans(raw: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(_PINYIN, raw)
            if m.start() > 0 and "\u4e00" <= raw[m.start() - 1] <= "\u9fff"
            and any(c in _TONE_MARKED for c in m.group(0))]
_DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"}
# Page furniture: footers ("— 4 —", "- 4/7 -", "第 3 页 共 7 页", "共7页 第3页", "3 / 7", "Page 3 of 7"),
# a flip-book viewer's page heads ("Page 9 - 2020年报_审计局", "P. 9") and page widgets. A bare number
# is never furniture here: in the one-cell-per-line layout it is a cell.
_FURNITURE = pattern_cache.compile(
    r"^\s*(?:[-—–－]{1,2}\s*\d{1,3}(?:\s*/\s*\d{1,3})?\s*[-—–－]{1,2}|第\s*\d{1,3}\s*页(?:\s*[/,，]?\s*共\s*\d{1,3}\s*页)?|"
    r"共\s*\d{1,3}\s*页\s*[/,，]?\s*第\s*\d{1,3}\s*页|\d{1,3}\s*/\s*\d{1,3}|page\s*\d{1,3}(?:\s*of\s*\d{1,3})?|"
    r"page\s*\d{1,3}\s*[-—–]\s*.{1,80}|p\.\s*\d{1,3}|"
    r"扫一扫在手机上查看当前页面|【?\s*打印本页\s*】?|【?\s*关闭窗口\s*】?|分享到[:：].*|.*【\s*字体[:：].*)\s*$",
    re.I,
)


# One-to-one character normalization: full-width ASCII → ASCII, odd spaces → space, minus signs → "-",
# look-alike ideographs → ideographs.
_ONE_TO_ONE = {o: o - 0xFEE0 for o in range(0xFF01, 0xFF5F)}
_ONE_TO_ONE.update({ord(c): " " for c in "\u3000\u00a0\u2002\u2003\u2009"})
_ONE_TO_ONE.update({ord(c): "-" for c in "\u2212\u2012\u2013"})
# The Kangxi radicals U+2F00..U+2FD5 that some PDF fonts emit for ordinary characters ("⼀、总体情况",
# "⾏政许可"), each as the ideograph NFKC maps it to (tests/test_real_spellings.py checks the list),
# and the simplified radical forms (⻓ U+2ED3 for 长, ⻔ for 门, ⻚ for 页 …), which NFKC leaves alone.
KANGXI_RADICALS = ("一丨丶丿乙亅二亠人儿入八冂冖冫几凵刀力勹匕匚匸十卜卩厂厶又口囗土士夂夊夕大女子宀寸小尢尸屮山巛工己巾干幺广廴廾弋弓彐彡彳心戈戶手支攴文斗斤方无日"
                   "曰月木欠止歹殳毋比毛氏气水火爪父爻爿片牙牛犬玄玉瓜瓦甘生用田疋疒癶白皮皿目矛矢石示禸禾穴立竹米糸缶网羊羽老而耒耳聿肉臣自至臼舌舛舟艮色艸虍虫血行"
                   "衣襾見角言谷豆豕豸貝赤走足身車辛辰辵邑酉釆里金長門阜隶隹雨靑非面革韋韭音頁風飛食首香馬骨高髟鬥鬯鬲鬼魚鳥鹵鹿麥麻黃黍黑黹黽鼎鼓鼠鼻齊齒龍龜龠")
_ONE_TO_ONE.update({0x2F00 + i: ord(c) for i, c in enumerate(KANGXI_RADICALS)})
_ONE_TO_ONE.update({ord(r): ord(c) for r, c in zip("⻓⻔⻚⻋⻅⻛⻢⻉⻬⻰⻩⻘⻄⻆⻮⻳", "长门页车见风马贝齐龙黄青西角齿龟")})
_FOLD_TO = {chr(o): chr(t) if isinstance(t, int) else t for o, t in _ONE_TO_ONE.items()}
_FOLDED = pattern_cache.compile("[" + "".join(sorted(_FOLD_TO)) + "]")
_NEEDS_SLOW = pattern_cache.compile("[\u200b\u200c\u200d\ufeff\u2060" + _TONE_MARKED + "]|\\[bookmark")


MAX_LINE_CHARS = 100_000  # characters of one line that are read (a flattened report is ~10,000–50,000)


def fold(text: str) -> str:
    """The one-to-one part of normalization (full-width ASCII → ASCII, odd spaces, minus signs), for
    patterns that must match normalized text ("（七）总计" is "(七)总计" there)."""
    if text.isascii():
        return text
    # str.translate looks every character up in a dict (the slowest step of reading a report);
    # replacing only the few distinct characters that occur is several times faster, same result
    for ch in set(_FOLDED.findall(text)):
        text = text.replace(ch, _FOLD_TO[ch])
    return text


def normalize_line(raw: str) -> tuple[str, list[int] | range]:
    """Normalize one line; returns the text and the index map back to `raw`.

    Fast path: when nothing is removed, normalization is one character for one character and
    the map is the identity.
    """
    if not _NEEDS_SLOW.search(raw):
        return fold(raw), range(len(raw))
    spans = [(m.start(), m.end()) for m in _BOOKMARK.finditer(raw)] if "[bookmark" in raw else []
    spans = sorted(spans + _pinyin_spans(raw))
    out: list[str] = []
    idx: list[int] = []
    i = 0
    si = 0
    while i < len(raw):
        if si < len(spans) and i == spans[si][0]:
            i = spans[si][1]
            si += 1
            continue
        ch = raw[i]
        if ch in _DROP:
            i += 1
            continue
        out.append(_FOLD_TO.get(ch, ch))  # the same one-to-one folding as fold()
        idx.append(i)
        i += 1
    return "".join(out), idx


def to_document(text: str, path: str, encoding: str, source_kind: str = "text") -> Document:
    """Split text into Lines. A form feed ("\\f") at the start of a line starts a new page: the
    paged readers (PDF, OCR) separate pages that way, as pdftotext does, so evidence can cite
    "第2页 第14行"; text without form feeds has no pages (page None)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paged = "\f" in text
    page = 1 if paged else None
    lines = []
    long_lines: list[int] = []
    for no, raw in enumerate(text.split("\n"), start=1):
        if paged and raw.startswith("\f"):
            page += len(raw) - len(raw.lstrip("\f"))
            raw = raw.lstrip("\f")
        if len(raw) > MAX_LINE_CHARS:
            # no report has a line this long; reading only its start (normalizing only that, too)
            # keeps every search linear and quick whatever a broken export or a hostile file holds
            norm, idx = normalize_line(raw[:MAX_LINE_CHARS])
            long_lines.append(no)
        else:
            norm, idx = normalize_line(raw)
        # keep tabs: a lone tab is an empty table cell in the one-cell-per-line layout
        kept = norm.rstrip(" \r\n")
        lines.append(Line(no, raw, kept, idx[: len(kept)], False, page))
    doc = Document(path=path, encoding=encoding, lines=lines, source_kind=source_kind)
    if long_lines:
        shown = "、".join(str(n) for n in long_lines[:5])
        doc.notes.append(f"第{shown}行超过{MAX_LINE_CHARS}个字符，只读取了每行的前{MAX_LINE_CHARS}个字符")
    if looks_traditional(lines):
        simplify(lines)
        doc.notes.append("正文为繁体字，已按简体字识别（引文保留原文）")
    for ln in lines:  # after simplification: "第 3 頁 共 7 頁" is furniture too
        # only a short line is furniture: a flattened page's one long line may start with a widget
        if ln.text.strip() and len(ln.text) <= 80 and _FURNITURE.match(ln.text):
            ln.text, ln.idx, ln.furniture = "", [], True
    return doc


# ---------------------------------------------------------------- traditional characters

# Characters common in any report and written differently in 繁體 (報告, 公開, 條例, 資訊, 機關…).
_TRADITIONAL_MARKS = frozenset("報開條關區縣務國機會應當這個為爲們發過時實問題數據總計處構請檔辦審僅鄉鎮廳決")
_SAMPLE_CHARS = 4000
_TRADITIONAL_RE = pattern_cache.compile("[" + "".join(sorted(_TRADITIONAL_MARKS)) + "]")


def looks_traditional(lines: list[Line]) -> bool:
    """Pages in 繁體 (traditional versions of mainland sites) are reports too: detect them cheaply
    (no converter import for the usual simplified text)."""
    sample, size = [], 0
    for ln in lines:
        sample.append(ln.text)
        size += len(ln.text)
        if size >= _SAMPLE_CHARS:
            break
    return len(_TRADITIONAL_RE.findall("".join(sample)[:_SAMPLE_CHARS])) >= 8


def simplify(lines: list[Line]) -> None:
    """Convert each line's normalized text to simplified characters (OpenCC t2s), keeping the
    index map to the original: the parsers match in simplified form, quotes stay as written.
    (OpenCC hk2s: traditional and Hong Kong variant forms to simplified.)"""
    conv = _t2s()
    for ln in lines:
        if not ln.text:
            continue
        out = conv.convert(ln.text)
        if len(out) != len(ln.text):  # a phrase changed length: convert character by character
            out = "".join(c if len(c) == 1 else ch for ch, c in ((ch, conv.convert(ch)) for ch in ln.text))
        # 資訊 is 繁體 usage's word for 信息 (政府資訊公開): the same length, so the index map holds
        ln.text = out.replace("资讯", "信息")


_CONVERTER = None


def _t2s():
    global _CONVERTER
    if _CONVERTER is None:
        import opencc  # lazy: only traditional-character reports need it

        _CONVERTER = opencc.OpenCC("hk2s")  # t2s plus the Hong Kong variants (衞 → 卫)
    return _CONVERTER


