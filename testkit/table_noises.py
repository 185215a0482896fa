"""Table noise: what real publishing does to the three tables, as switches of the generator.

Registered in noises.NOISES next to the narrative noises (same `generate(..., noise={...})`).
Each works in every layout: text layouts through `table(name, layout, lines, rng)` on the
rendered lines, file layouts (html / docx / pdf) through `grid(name, grid, rng)` on the
template grid (testkit/documents.Grid). Two noises change what a cell *is* (a blank written as a
dash, a blank 总计): they go through `blank(cells, fmt, rng) -> {key: written text}`, the cells
become None in the truth and S006 is expected — the tool must report the blank in its own
column, never shift the cells after it.
"""

from __future__ import annotations

import random
import re

from testkit.documents import Cell, Grid

# ---------------------------------------------------------------- blanks


_DASHES = ("—", "-", "－", "/", "无", "／", "——")
_SIGN_WORDS = ("增", "减")  # a 2019 table's 本年增/减 written without its number (dash_blanks)
_MARKS = _DASHES + _SIGN_WORDS  # every way a blank cell is written here
_BLANK_ROWS = tuple(f"withheld_{i}" for i in range(1, 9)) + tuple(f"unable_{i}" for i in range(1, 4)) + \
    tuple(f"rejected_{i}" for i in range(1, 6))
# rows an office may leave wholly empty: the sub-items, and the rows one level up whose label in
# the template's grid follows a merged group cell ("\t（二）部分公开\t\t…" in an HTML/DOCX export).
# Not the table's last row: in the paragraph layout its empty cells are blank lines before the
# next heading, which no reader can tell from spacing (S008 there is right, not a misread).
_WHOLE_BLANK_ROWS = _BLANK_ROWS + ("partial", "other", "carried_over")
_BLANK_COLS = ("research", "ngo", "law_firm")  # columns no defect of synth.py touches


def _zero_cells(cells: dict) -> list[str]:
    return [f"applications.{r}.{c}" for r in _BLANK_ROWS for c in _BLANK_COLS
            if cells.get(f"applications.{r}.{c}") == 0]


def dash_blanks(cells: dict, fmt: str, rng: random.Random) -> dict[str, str]:
    """One to three zero cells written as a dash, slash or 无 (a blank in its own column), and in the
    2019 table a zero change written as its sign word alone (增 / 减); or, one
    time in four, every zero of table 二 written with one mark (an office writing "/" for nothing:
    in a paragraph-per-cell page such a table has more marks than numbers)."""
    if rng.random() < 0.25:
        active = [k for k, v in cells.items() if k.startswith("active.") and v == 0]
        if len(active) >= 3:
            mark = rng.choice(_DASHES)
            return {k: mark for k in active}
    zeros = _zero_cells(cells)
    if cells.get("active.enforcement.decisions") == 0:
        zeros.append("active.enforcement.decisions")
    picked = rng.sample(zeros, min(len(zeros), rng.randint(1, 3)))
    out = {k: rng.choice(_DASHES) for k in picked}
    # the 2019 table's 本年增/减 left with its sign word and no number ("| 0 | 增 | 25 |")
    changes = [k for k, v in cells.items() if k.endswith(".change") and v == 0]
    if changes and rng.random() < 0.5:
        out[rng.choice(changes)] = rng.choice(_SIGN_WORDS)
    return out


def blank_last_cell(cells: dict, fmt: str, rng: random.Random) -> dict[str, str]:
    """A row whose last cell (总计) is left empty: a trailing tab, an empty last PDF cell."""
    rows = [r for r in _BLANK_ROWS if cells.get(f"applications.{r}.total") == 0]
    if not rows:
        return {}
    return {f"applications.{rng.choice(rows)}.total": ""}


def blank_rows(cells: dict, fmt: str, rng: random.Random) -> dict[str, str]:
    """One to four rows of table 三 whose every cell is 0 left wholly empty (an office with
    nothing to count fills in nothing): in the markdown and pipe layouts such a row is its labels
    followed only by empty cells, which must still be the row, not a column header."""
    cols = ("person", "company", "research", "ngo", "law_firm", "org_other", "total")
    rows = [r for r in _WHOLE_BLANK_ROWS if all(cells.get(f"applications.{r}.{c}") == 0 for c in cols)]
    picked = rng.sample(rows, min(len(rows), rng.randint(1, 4)))
    return {f"applications.{r}.{c}": "" for r in picked for c in cols}


# ---------------------------------------------------------------- cell spellings


_FULLWIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def number_formats(key: str, text: str, rng: random.Random) -> str:
    """Counts as offices type them: 1,234 / 1，234, full-width digits, a unit in the cell (3件);
    amounts (万元 columns) also in 元 ("152790元" for 15.279) or with 万元 written in."""
    if key.endswith(".amount") and text and text.replace(".", "", 1).isdigit() and rng.random() < 0.5:
        yuan = round(float(text) * 10_000, 2)
        return (str(int(yuan)) if yuan == int(yuan) else f"{yuan:.2f}") + "元" if rng.random() < 0.6 else text + "万元"
    if not text or not text.lstrip("+-").isdigit():
        return text
    n = int(text)
    r = rng.random()
    if abs(n) >= 1000 and r < 0.6:
        return f"{n:,}".replace(",", rng.choice((",", "，")))
    if r < 0.15 and key.startswith("applications."):
        return text + "件"
    if r < 0.3:
        return text.translate(_FULLWIDTH)
    return text


_REMARK_COLUMNS = (".issued", ".repealed", ".new_made", ".new_published")


def cell_remarks(key: str, text: str, rng: random.Random) -> str:
    """A count annotated inside its cell, as offices write 规章/规范性文件 figures:
    "22（其中修订16件）", "55 (含自然失效 29 件)"; the cell is still 22 / 55."""
    if not key.startswith("active.") or not key.endswith(_REMARK_COLUMNS) or not text.isdigit() or int(text) < 2:
        return text
    if rng.random() < 0.5:
        return text
    k = rng.randint(1, int(text) - 1)
    words = "其中修订" if key.endswith((".issued", ".new_made")) else rng.choice(("含自然失效", "其中废止"))
    return rng.choice((f"{text}（{words}{k}件）", f"{text} ({words} {k} 件)", f"{text}（{words} {k} 件）"))


def lost_glyphs(key: str, text: str, rng: random.Random) -> str:
    """A character the page's encoding could not hold (a special space before the number) printed
    as "?" / "？" / U+FFFD: "? 0", "?12"; the cell is still the number."""
    if not text or not text.isdigit() or rng.random() < 0.85:
        return text
    return rng.choice(("? ", "?", "？", "\ufffd")) + text


# ---------------------------------------------------------------- labels


def _split_point(label: str, rng: random.Random) -> int:
    return rng.randint(2, max(2, min(len(label) - 2, 9)))


def _long_label_rows(lines: list[str], sep: str) -> list[int]:
    """Lines of value rows whose label is long enough to wrap."""
    out = []
    for i, line in enumerate(lines):
        fields = line.split(sep)
        labels = [f for f in fields if f.strip() and not _is_value(f)]
        values = [f for f in fields if _is_value(f)]
        if len(labels) >= 1 and values and len(labels[-1].strip()) >= 5:
            out.append(i)
    return out


_TRAILING_REMARK = re.compile(r"\s*[（(][^（）()]*[）)]\s*$")


def _is_value(text: str) -> bool:
    """A count as the noises write it, with or without a remark after it (5（其中修订2件）)."""
    t = _TRAILING_REMARK.sub("", text.strip()).lstrip("?？\ufffd")  # lost_glyphs: "? 0" is a count
    t = t.strip().replace(",", "").replace("，", "").translate({ord(c): None for c in "件万元+-.．＋－"})
    t = t.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return t.isdigit()


def broken_labels(name: str, layout: str, lines: list[str], rng: random.Random) -> list[str]:
    """A row label wrapped over two lines: the first part alone, the rest with the values
    ("（一）予以" / "公开\t3\t0…"; markdown "| （一）予以<br>公开 | 3 |" or two rows)."""
    if name == "litigation":
        return lines
    out = list(lines)
    if layout == "tabs":
        cands = _long_label_rows(out, "\t")
        for i in sorted(rng.sample(cands, min(len(cands), 2)), reverse=True):
            fields = out[i].split("\t")
            j = max(k for k, f in enumerate(fields) if f.strip() and not _is_value(f))
            cut = _split_point(fields[j], rng)
            first = fields[:j] + [fields[j][:cut]]
            second = [""] * j + [fields[j][cut:]] + fields[j + 1:]
            out[i:i + 1] = ["\t".join(first), "\t".join(second)]
    elif layout == "markdown":
        cands = [i for i in _long_label_rows([ln.strip("|") for ln in out], "|")]
        for i in sorted(rng.sample(cands, min(len(cands), 2)), reverse=True):
            fields = out[i].strip().strip("|").split("|")
            j = max(k for k, f in enumerate(fields) if f.strip() and not _is_value(f))
            label = fields[j].strip()
            cut = _split_point(label, rng)
            if rng.random() < 0.5:
                fields[j] = f" {label[:cut]}<br>{label[cut:]} "
                out[i] = "|" + "|".join(fields) + "|"
            else:
                first = ["  "] * len(fields)
                first[j] = f" {label[:cut]} "
                fields[j] = f" {label[cut:]} "
                out[i:i + 1] = ["|" + "|".join(first) + "|", "|" + "|".join(fields) + "|"]
    elif layout == "pipe":
        cands = [i for i, ln in enumerate(out) if ln.endswith(" |") and len(ln) > 8 and not _is_value(ln[:-2])
                 and ("（" in ln or "、" in ln or "." in ln)]
        for i in sorted(rng.sample(cands, min(len(cands), 2)), reverse=True):
            label = out[i][:-2]
            cut = _split_point(label, rng)
            out[i:i + 1] = [label[:cut], label[cut:] + " |"]
    elif layout == "cells":
        cands = [i for i, ln in enumerate(out) if ln.startswith("\t") and len(ln.strip()) >= 6
                 and not _is_value(ln) and ("（" in ln or "、" in ln or "." in ln)]
        for i in sorted(rng.sample(cands, min(len(cands), 2)), reverse=True):
            label = out[i][1:]
            cut = _split_point(label, rng)
            out[i:i + 1] = ["\t" + label[:cut], label[cut:]]
    return out


def broken_labels_grid(name: str, grid: Grid, rng: random.Random) -> Grid:
    """A long label cell with a line break inside (<br> in HTML, a paragraph break in Word)."""
    cells = [c for row in grid.rows for c in row if c.kind == "label" and len(c.text) >= 6]
    for c in rng.sample(cells, min(len(cells), 3)):
        cut = _split_point(c.text, rng)
        c.text = c.text[:cut] + "\n" + c.text[cut:]
    return grid


# One-character slips of OCR or typing, each to a character that looks alike.
_SLIPS = {"予": "子", "许": "讦", "息": "自", "请": "清", "持": "特", "理": "埋", "复": "夏", "审": "宙",
          "掌": "撑", "确": "碗", "制": "刺", "收": "枚", "处": "外", "罚": "罸", "强": "弦"}


def _slip(label: str, rng: random.Random) -> str:
    spots = [i for i, ch in enumerate(label) if ch in _SLIPS]
    if not spots:
        return label
    i = rng.choice(spots)
    return label[:i] + _SLIPS[label[i]] + label[i + 1:]


def label_slips(name: str, layout: str, lines: list[str], rng: random.Random) -> list[str]:
    """One or two row labels with a one-character slip (（一）子以公开, 行政讦可)."""
    cands = [i for i, ln in enumerate(lines) if any(ch in _SLIPS for ch in ln) and any(c.isdigit() for c in ln)
             or (layout in ("cells", "pipe") and any(ch in _SLIPS for ch in ln) and len(ln.strip()) < 30)]
    cands = [i for i in cands if "二十条" not in lines[i] and "勾稽" not in lines[i]]
    out = list(lines)
    for i in rng.sample(cands, min(len(cands), 2)):
        out[i] = _slip(out[i], rng)
    return out


def label_slips_grid(name: str, grid: Grid, rng: random.Random) -> Grid:
    cells = [c for row in grid.rows for c in row if c.kind == "label" and any(ch in _SLIPS for ch in c.text)]
    for c in rng.sample(cells, min(len(cells), 2)):
        c.text = _slip(c.text, rng)
    return grid


# ---------------------------------------------------------------- explanatory notes in labels

# Provincial templates that explain a row inside its label (seen in Hubei reports of 2020–2021).
_NOTES = {"规章": "（设区的市、自治州人民政府应提供相关数据）",
          "规范性文件": "（行政机关制定发布的决定、公告、通告、意见、通知，以及标题采用“规定”“办法”等字样的公文）",
          "其他对外管理服务事项": "（指行政许可以外的政务服务事项，含行政确认、行政奖励、行政裁决等）",
          "行政许可": "（指本年作出的许可决定）"}


def _noted(text: str, cut: bool) -> str:
    for label, note in _NOTES.items():
        at = text.find(label)
        if at >= 0:
            end = at + len(label)
            note = note[:len(note) // 2] if cut else note  # a note cut off by the page or the converter
            return text[:end] + note + text[end:]
    return text


def label_notes(name: str, layout: str, lines: list[str], rng: random.Random) -> list[str]:
    """Row labels carrying an explanatory note in brackets, whole or cut off (规章（设区的市……）)."""
    if name != "active":
        return lines
    cut = rng.random() < 0.3
    return [_noted(ln, cut) if any(lab in ln for lab in _NOTES) and "信息内容" not in ln else ln
            for ln in lines]


def label_notes_grid(name: str, grid: Grid, rng: random.Random) -> Grid:
    if name == "active":
        cut = rng.random() < 0.3
        for row in grid.rows:
            for c in row:
                if c.kind == "label":
                    c.text = _noted(c.text, cut)
    return grid


# ---------------------------------------------------------------- page furniture


def _footer(rng: random.Random) -> str:
    n = rng.randint(2, 9)
    return rng.choice((f"— {n} —", f"- {n} -", f"第 {n} 页 共 {n + 3} 页", f"第{n}页", f"{n} / {n + 3}"))


_RUNNING = ("政府信息公开工作年度报告", "2023年度政府信息公开工作年度报告")


def page_furniture(name: str, layout: str, lines: list[str], rng: random.Random) -> list[str]:
    """A page break inside the table: a footer, the running header, and (row layouts) the
    table's column header printed again at the top of the next page."""
    if name == "litigation" or len(lines) < 8:
        return lines
    rows = [i for i, ln in enumerate(lines) if any(c.isdigit() for c in ln)]
    if len(rows) < 4:
        return lines
    at = rng.choice(rows[2:-1])
    while at > 0 and not any(c.isdigit() for c in lines[at - 1]) and layout == "cells":
        at -= 1  # one cell per line: break between rows, not inside one
    furniture = [_footer(rng)] + ([rng.choice(_RUNNING)] if rng.random() < 0.5 else [])
    if name == "applications" and layout in ("tabs", "markdown") and rng.random() < 0.6:
        head = [ln for ln in lines[:6] if "自然人" in ln or "商业企业" in ln]
        if layout == "markdown":
            head = [ln for ln in head if "自然人" in ln]
            if head:
                head += ["|" + "---|" * (head[0].count("|") - 1)]
        furniture += head
    if layout == "markdown":
        furniture = [""] + furniture + [""]
    return lines[:at] + furniture + lines[at:]


def page_furniture_grid(name: str, grid: Grid, rng: random.Random) -> Grid:
    """The column header rows repeated inside the table (a table continued on a new page)."""
    if name != "applications":
        return grid
    head = [[Cell(c.text, c.rowspan, c.colspan, c.kind) for c in row] for row in grid.rows[:3]]
    # between 二、上年结转 and 三、本年度办理结果: no rowspan crosses there
    grid.rows[5:5] = head
    return grid


# ---------------------------------------------------------------- padding cells


def _pipe_value(line: str) -> bool:
    """A pipe-layout cell line holding a value or a blank ("3 |", " |", "— |", "|")."""
    line = line.rstrip(" ")  # (indented_cells: "    3 | ")
    if not line.endswith("|") or line.count("|") != 1:
        return False
    body = line[:-1].strip()
    return body == "" or _is_value(body) or body in _MARKS


def padding_cells(name: str, layout: str, lines: list[str], rng: random.Random) -> list[str]:
    """Empty cells after each row's values, as web pages and exports leave them (a label spanning
    two columns of the grid, a ragged HTML table). In the one-cell-per-line layouts each is a cell
    line of its own ("|", a lone tab); in the pipe layout the export also drops the space before
    a blank cell's "|" (" |" → "|"), so a blank cell and padding look alike."""
    out: list[str] = []
    if layout == "pipe":
        for i, ln in enumerate(lines):
            value = _pipe_value(ln)
            out.append("|" if value and ln.strip() == "|" else ln)
            # (spacing lines inside a row, indented_cells, are not its end)
            nxt = next((x for x in lines[i + 1:] if x.strip()), None)
            if value and not (nxt is not None and _pipe_value(nxt) and lines[i + 1].strip() in ("", nxt.strip())):
                out.append("|")
    elif layout == "cells":
        for i, ln in enumerate(lines):
            out.append(ln)
            value = ln.startswith("\t") and (_is_value(ln) or ln[1:].strip() in _MARKS or ln == "\t")
            if value and _is_value(ln) and (i + 1 == len(lines) or lines[i + 1] == ""):
                out.append("\t")
    elif layout == "tabs":
        out = [ln + "\t" if _is_value(ln.rsplit("\t", 1)[-1]) else ln for ln in lines]
    elif layout == "markdown":
        out = [ln + " |" if ln.endswith("|") and _is_value(ln[:-1].rsplit("|", 1)[-1]) else ln for ln in lines]
    else:
        out = list(lines)
    return out


def padding_cells_grid(name: str, grid: Grid, rng: random.Random) -> Grid:
    """An empty cell after the values of every value row (a ragged HTML / Word table)."""
    for row in grid.rows:
        if row and row[-1].kind == "value":
            row.append(Cell("", kind="value"))
    return grid


# ---------------------------------------------------------------- HTML grids


def stray_cells_grid(name: str, grid: Grid, rng: random.Random) -> Grid:
    """Hand-edited HTML: a label that should span two columns is one cell followed by an empty
    <td> — the values after it still stand under their headers."""
    if name != "applications":
        return grid
    rows = [row for row in grid.rows if row and row[0].kind == "label" and row[0].colspan == 2]
    for row in rng.sample(rows, min(len(rows), 2)):
        row[0].colspan = 1
        row.insert(1, Cell("", kind="label"))
    return grid


# ---------------------------------------------------------------- open rows


def open_rows(name: str, layout: str, lines: list[str], rng: random.Random) -> list[str]:
    """Bar rows without their outer bars, as some pages and markdown exports write them ("规章 | 0 |
    0 | 0", valid GitHub markdown), the closing bar sometimes on a line of its own; the scraper
    drops the empty merged cells before a row's label. Markdown layout only (the other layouts
    have no bar rows); headers and separators keep their bars."""
    if layout != "markdown":
        return list(lines)
    out: list[str] = []
    for ln in lines:
        cells = [c.strip() for c in ln.strip().strip("|").split("|")] if ln.startswith("|") else None
        if not cells or not any(_is_value(c) for c in cells) or set(ln) <= set("|-: ") or cells[-1] == "":
            out.append(ln)  # (a row ending in a blank cell stays closed: "… | 0 | " would read as closed)
            continue
        while cells and cells[0] == "":
            cells.pop(0)
        out.append(" | ".join(cells))
        if rng.random() < 0.4:
            out.append("|")
    return out


# ---------------------------------------------------------------- indented cells


_INDENTS = ("  ", "    ", "        ", "\u3000\u3000", " \u3000")


def indented_cells(name: str, layout: str, lines: list[str], rng: random.Random) -> list[str]:
    """A page whose HTML source was indented: every table line starts with spaces (full-width
    ones too) and may end with some; in the bar-closed layouts ("   0  | ", "0" / "|") a blank or
    spaces-only line sits between two value cells of one row, as the source's line breaks come out
    (real pages: each <td> on its own indented line). One-cell-per-line tab layouts keep their
    leading tab (it is the layout) and get trailing spaces only."""
    if layout not in ("pipe", "bars", "tabs", "markdown", "paragraphs", "cells"):
        return list(lines)  # the file layouts' grids: indented_cells_grid
    indent = rng.choice(_INDENTS)
    trail = rng.choice(("", " ", "  "))
    out: list[str] = []
    for i, ln in enumerate(lines):
        if not ln.strip():
            out.append(ln)
            continue
        if layout == "cells":
            out.append(ln + trail if not ln.endswith("\t") else ln)
            continue
        out.append(indent + ln + (trail if layout in ("pipe", "bars") else ""))
        if i + 1 < len(lines) and rng.random() < 0.5:
            nxt = lines[i + 1]
            if layout == "pipe" and _pipe_value(ln) and _pipe_value(nxt):
                out.append(rng.choice(("", indent)))
            elif layout == "bars" and ln.strip() == "|" and _is_value(nxt):
                out.append(rng.choice(("", indent)))
    return out


def indented_cells_grid(name: str, grid: Grid, rng: random.Random) -> Grid:
    """The same source in a Word / HTML / PDF table: cell texts with spaces (full-width too) and a
    line break around them."""
    for row in grid.rows:
        for cell in row:
            if cell.text and rng.random() < 0.5:
                cell.text = rng.choice(_INDENTS) + cell.text + rng.choice(("", " ", "\n"))
    return grid
