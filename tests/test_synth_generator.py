"""Unit tests of the synthetic report generator itself (no extractor involved).

Why: the property tests trust `SynthReport.cells`, `facts` and `expected_codes`; if the generator
were wrong, those tests would blame the extractor for the generator's bugs. So here the
generator's claims are checked against the text it writes, with small independent parsers,
and its tables against an independent implementation of the 勾稽关系 of CHECKS.md.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from summarizer.schema import (
    APPLICATION_COLUMNS,
    LITIGATION_COLUMNS,
    LITIGATION_GROUPS,
    OUTCOME_ROWS,
    all_keys,
    table_spec,
)
from testkit.synth import DEFECT_FORMAT, DEFECT_VARIANTS, DEFECTS, FORMATS, LAYOUTS, SynthReport, generate

SEEDS = range(12)
COMBOS = list(itertools.product(FORMATS, LAYOUTS))

_FW = str.maketrans("０１２３４５６７８９＋－．（）：，", "0123456789+-.():,")
HEADINGS = {1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
            4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、", 6: "六、其他需要报告的事项"}


# ---------------------------------------------------------------- independent helpers


def arithmetic_violations(cells: dict, fmt: str) -> set[str]:
    """The A codes of CHECKS.md that the cells violate (missing or blank cells are skipped)."""
    out: set[str] = set()
    a = "applications"

    def get(k):
        return cells.get(k)

    rows = [r.id for r in table_spec(a, fmt).rows]
    for c in APPLICATION_COLUMNS:
        v = [get(f"{a}.{r}.{c}") for r in ("new", "carried_over", "total", "carried_forward")]
        if None not in v and v[0] + v[1] != v[2] + v[3]:
            out.add("A001")
        parts = [get(f"{a}.{r}.{c}") for r in OUTCOME_ROWS[fmt] if f"{a}.{r}.{c}" in cells]
        if get(f"{a}.total.{c}") is not None and None not in parts and get(f"{a}.total.{c}") != sum(parts):
            out.add("A003")
    for r in rows:
        vals = [get(f"{a}.{r}.{c}") for c in APPLICATION_COLUMNS]
        if f"{a}.{r}.total" in cells and None not in vals and vals[-1] != sum(vals[:-1]):
            out.add("A002")
    for g in LITIGATION_GROUPS:
        vals = [get(f"litigation.{g}.{c}") for c in LITIGATION_COLUMNS]
        if None not in vals and vals[-1] != sum(vals[:-1]):
            out.add("A004")
    for row in ("regulations", "normative_documents"):
        lo, hi = ("new_published", "total_published") if fmt == "2019" else ("issued", "in_force")
        lo_v, hi_v = get(f"active.{row}.{lo}"), get(f"active.{row}.{hi}")
        # (2021: what was issued this year may be repealed this year: the bound is 制发 − 废止)
        repealed = (get(f"active.{row}.repealed") or 0) if fmt == "2021" else 0
        if lo_v is not None and hi_v is not None and hi_v < lo_v - repealed:
            out.add("A005")
    if any(v is not None and v < 0 for k, v in cells.items() if not k.endswith(".change")):
        out.add("A006")
    return out


def lines_of(r: SynthReport) -> list[str]:
    return [ln.translate(_FW) for ln in r.text.split("\n")]


def heading_positions(r: SynthReport) -> dict[int, int]:
    pos = {}
    for i, ln in enumerate(lines_of(r)):
        for n, h in HEADINGS.items():
            h = h.translate(_FW)
            if ln.strip() == h or (n == 5 and ln.startswith("五、存在")):
                pos[n] = i
    return pos


def section_text(r: SynthReport, n: int) -> str:
    pos = heading_positions(r)
    start = pos[n]
    later = [p for p in pos.values() if p > start]
    end = min(later) if later else len(lines_of(r))
    return "\n".join(lines_of(r)[start + 1:end])


def narrative_numbers(r: SynthReport) -> dict:
    """What section 一 states, parsed with the phrases the generator is documented to use."""
    one = section_text(r, 1)
    out: dict = {}
    m = re.search(r"(?:收到|新收)政府信息公开申请(\d+)件", one)
    out["received"] = int(m.group(1)) if m else (0 if "未收到政府信息公开申请" in one else None)
    m = re.search(r"行政复议(\d+)件、(?:被提起)?行政诉讼(\d+)件", one)
    out["review"], out["suits"] = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    m = re.search(r"(?:制发|印发)(?:行政)?规范性文件(\d+)件", one)
    out["normative"] = int(m.group(1)) if m else None
    m = re.search(r"主动公开政府信息(\d+)条,(?:其中|分别为:)(.*?)。", one)
    out["enum_total"] = int(m.group(1))
    out["enum_sum"] = sum(int(x) for x in re.findall(r"(\d+)条", m.group(2)))
    return out


def parse_value(text: str):
    text = text.replace("万元", "")
    if text == "":
        return None
    return float(text) if "." in text else int(text)


# ---------------------------------------------------------------- clean reports


@pytest.mark.parametrize("fmt,layout", COMBOS)
def test_deterministic_per_seed(fmt, layout):
    a, b = generate(7, fmt, layout), generate(7, fmt, layout)
    assert a.text == b.text and a.cells == b.cells and a.facts == b.facts
    texts = {generate(s, fmt, layout).text for s in range(5)}
    assert len(texts) == 5, "different seeds should give different reports"


def test_random_instance_and_int_seed_agree():
    import random

    assert generate(random.Random(42), "2019", "tabs").text == generate(42, "2019", "tabs").text


@pytest.mark.parametrize("fmt,layout", COMBOS)
def test_clean_cells_are_complete_and_consistent(fmt, layout):
    for seed in SEEDS:
        r = generate(seed, fmt, layout)
        assert r.defect is None and r.expected_codes == set()
        template = set(all_keys(fmt))
        extra = set(r.cells) - template
        assert template <= set(r.cells)
        assert all(re.fullmatch(r"active\.other_services\.[12]\.(previous|change|decisions)", k) for k in extra), extra
        for col in ("previous", "change", "decisions") if extra else ():
            assert r.cells[f"active.other_services.{col}"] == sum(
                r.cells[f"active.other_services.{i}.{col}"] for i in (1, 2))
        assert None not in r.cells.values()
        assert arithmetic_violations(r.cells, fmt) == set(), (seed, arithmetic_violations(r.cells, fmt))
        if fmt == "2021":
            assert r.cells["active.normative_documents.in_force"] >= (
                r.cells["active.normative_documents.issued"] - r.cells["active.normative_documents.repealed"])


@pytest.mark.parametrize("fmt,layout", COMBOS)
def test_clean_facts_match_text(fmt, layout):
    for seed in SEEDS:
        r = generate(seed, fmt, layout)
        y = r.facts["year"]
        assert r.fmt == r.facts["format_version"] == fmt
        assert (2019 <= y <= 2020) if fmt == "2019" else (2021 <= y <= 2024)
        head = "\n".join(lines_of(r)[:6]).replace(" ", "")
        assert r.facts["agency"] in head and f"{y}年" in head and "政府信息公开工作年度报告" in head
        assert r.facts["period"] == {"start": f"{y}-01-01", "end": f"{y}-12-31"}
        flat = r.text.translate(_FW).replace(" ", "")
        assert re.search(fr"统计期限(?:自|为){y}年1月1日(?:起)?至{y}年12月31日", flat)
        issued = dt.date.fromisoformat(r.facts["issued_on"])
        assert dt.date(y + 1, 1, 5) <= issued <= dt.date(y + 1, 1, 25)
        last = [ln for ln in lines_of(r) if ln.strip()][-1].replace(" ", "")
        assert last == f"{issued.year}年{issued.month}月{issued.day}日"
        pos = heading_positions(r)
        assert sorted(pos) == [1, 2, 3, 4, 5, 6] and [pos[n] for n in range(1, 7)] == sorted(pos.values())


@pytest.mark.parametrize("fmt,layout", COMBOS)
def test_clean_narrative_agrees_with_tables(fmt, layout):
    for seed in SEEDS:
        r = generate(seed, fmt, layout)
        c = r.cells
        nums = narrative_numbers(r)
        assert nums["received"] == c["applications.new.total"]
        if nums["review"] is not None:
            assert nums["review"] == c["litigation.review.total"]
            assert nums["suits"] == c["litigation.direct.total"] + c["litigation.after_review.total"]
        if nums["normative"] is not None:
            col = "new_made" if fmt == "2019" else "issued"
            assert nums["normative"] == c[f"active.normative_documents.{col}"]
        assert nums["enum_total"] == nums["enum_sum"]
        one = section_text(r, 1)
        for part in ("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障"):
            assert part in one
        assert not re.search(r"(?<!\d)(?!%d)\d{4}年" % r.facts["year"], one), "no other year in 总体情况"
        six = section_text(r, 6)
        assert ("信息处理费" in six) == (fmt == "2021")


@pytest.mark.parametrize("fmt", FORMATS)
def test_tabs_layout_prints_the_cells(fmt):
    """Independent re-reading of the simplest layout: every application and litigation value is printed."""
    for seed in SEEDS:
        r = generate(seed, fmt, "tabs")
        rows = [ln.split("\t") for ln in lines_of(r) if ln.count("\t") == 9]
        for row in table_spec("applications", fmt).rows:
            label = row.label.translate(_FW)
            hits = [cells for cells in rows if any(c.strip().endswith(label) for c in cells[:3])]
            assert len(hits) == 1, (seed, row.id, hits)
            got = [parse_value(v.strip()) for v in hits[0][3:]]
            want = [r.cells[f"applications.{row.id}.{c}"] for c in APPLICATION_COLUMNS]
            assert got == want, (seed, row.id, got, want)
        lit_line = next(ln for ln in lines_of(r) if re.fullmatch(r"-?\d+(\t-?\d+){14}", ln))
        assert [int(v) for v in lit_line.split("\t")] == [
            r.cells[f"litigation.{g}.{c}"] for g in LITIGATION_GROUPS for c in LITIGATION_COLUMNS]


def test_layouts_look_like_the_seeds():
    cells = generate(1, "2019", "cells").text
    assert "\n\t第二十条第（一）项\n" in cells and "\n\t一、本年新收政府信息公开申请数量\n" in cells
    pipe = generate(1, "2019", "pipe").text.translate(_FW)
    assert re.search(r"\n规章 \|\n\d+ \|\n", pipe)
    tabs = generate(1, "2021", "tabs").text.translate(_FW)
    assert re.search(r"\n规章\t0\t0\t0\n", tabs)
    md = generate(1, "2021", "markdown").text.translate(_FW)
    assert "| 规章 | 0 | 0 | 0 |" in md and re.search(r"\n\|(---\|){4}\n", md)


def test_variety_over_seeds():
    """The randomized habits actually occur: sub-rows, full-width digits, "＋1", non-zero tables."""
    reports = [generate(s, "2019", lay) for s in range(60) for lay in ("cells", "tabs")]
    assert any("active.other_services.1.previous" in r.cells for r in reports)
    assert any(re.search("[０-９]", r.text) for r in reports)
    assert any(re.search(r"\t[＋+]\d", r.text) for r in reports)
    assert any(r.cells["applications.new.total"] == 0 for r in reports)
    assert any(r.cells["applications.new.total"] >= 5 for r in reports)
    assert any(r.cells["litigation.review.total"] > 0 for r in reports)
    assert any(r.facts["agency"].endswith("人民政府") for r in reports)
    assert any(isinstance(v, float) for r in reports for v in r.cells.values())


# ---------------------------------------------------------------- defects


def both(defect: str, seed: int, fmt: str, layout: str) -> tuple[SynthReport, SynthReport]:
    """The defective report and the clean one from the same seed (same agency, year, style)."""
    fmt = DEFECT_FORMAT.get(defect, fmt)
    return generate(seed, fmt, layout, defect), generate(seed, fmt, layout)


def test_defect_catalogue_is_consistent():
    # one defect per code, except documented variants (another spelling of the same mistake)
    primary = {name: code for name, code in DEFECTS.items() if name not in DEFECT_VARIANTS}
    assert len(set(primary.values())) == len(primary), "one defect per code"
    assert all(DEFECTS[v] == DEFECTS[base] for v, base in DEFECT_VARIANTS.items())
    with pytest.raises(ValueError):
        generate(0, defect="no_such_defect")
    for name, code in DEFECTS.items():
        r = generate(0, "2021", "cells", name)
        assert r.expected_codes >= {code} and r.defect == name


@pytest.mark.parametrize("defect", sorted(DEFECTS))
@pytest.mark.parametrize("fmt,layout", COMBOS)
def test_defect_changes_what_it_claims(defect, fmt, layout):
    for seed in range(4):
        r, clean = both(defect, seed, fmt, layout)
        _check_defect(defect, r, clean, seed)


def _check_defect(defect: str, r: SynthReport, clean: SynthReport, seed: int) -> None:
    y, fmt = r.facts["year"], r.fmt
    assert r.text != clean.text or defect in ("stale_format",)
    if DEFECTS[defect].startswith("A"):
        assert arithmetic_violations(r.cells, fmt) == {DEFECTS[defect]}, (seed, arithmetic_violations(r.cells, fmt))
    elif defect == "blank_cell":
        blanks = [k for k, v in r.cells.items() if v is None]
        assert len(blanks) == 1 and blanks[0].startswith("applications.")
        assert arithmetic_violations(r.cells, fmt) == set()
    else:
        assert arithmetic_violations(r.cells, fmt) == set()
    pos = heading_positions(r)
    nums = narrative_numbers(r) if 1 in pos else {}
    c = r.cells
    if defect == "missing_section":
        assert len(pos) == 5 and set(pos) & {5, 6} and not {1, 2, 3, 4} - set(pos)
    elif defect == "sections_swapped":
        assert sorted(pos) == [1, 2, 3, 4, 5, 6]
        assert [pos[n] for n in range(1, 7)] != sorted(pos.values())
    elif defect == "no_title_agency":
        assert r.facts["agency"] is None
        assert clean.facts["agency"] not in r.text
        assert f"{y}年1月1日" in r.text.replace(" ", "")  # the year is still stated (period)
    elif defect == "missing_table":
        gone = {k.split(".")[0] for k in clean.cells} - {k.split(".")[0] for k in r.cells}
        assert len(gone) == 1
        n = {"active": 2, "applications": 3, "litigation": 4}[gone.pop()]
        assert n in pos and pos[n] + 1 in (pos.get(n + 1), pos.get(n + 1, -9) - 1)  # heading, then next heading
    elif defect == "missing_rows":
        missing = set(clean.cells) - set(r.cells)
        assert missing and all(k.startswith("applications.") for k in missing)
        assert {k.split(".")[1] for k in missing} <= {f"withheld_{i}" for i in range(2, 9)} | {
            "unable_2", "unable_3"} | {f"rejected_{i}" for i in range(2, 6)}
    elif defect == "extra_row":
        assert set(r.cells) == set(clean.cells)
        assert "其他主动公开文件" in section_text(r, 2) or "其他文件" in section_text(r, 2)
    elif defect == "period_two_years":
        assert r.facts["period"] == {"start": f"{y}-01-01", "end": f"{y + 1}-12-31"}
        assert f"{y + 1}年12月31日" in r.text.replace(" ", "")
    elif defect == "period_wrong_end":
        assert r.facts["period"] == {"start": f"{y}-01-01", "end": f"{y}-12-21"}
        assert f"{y}年12月21日" in r.text.replace(" ", "")
    elif defect == "stale_stat_year":
        one = section_text(r, 1)
        assert one.lstrip().startswith(f"{y}年") and f"{y - 1}年,在主动公开的" in one.replace("，", ",")
    elif defect == "no_period":
        assert r.facts["period"] is None and "统计期限" not in r.text
    elif defect == "issued_in_year":
        assert dt.date.fromisoformat(r.facts["issued_on"]).year == y
    elif defect == "issued_late":
        deadline = dt.date(y + 1, 3, 31) if r.facts["agency_kind"] == "government" else dt.date(y + 1, 1, 31)
        assert dt.date.fromisoformat(r.facts["issued_on"]) > deadline
    elif defect == "narrative_other_year":
        assert section_text(r, 1).lstrip().startswith(f"{y - 1}年,")
    elif defect == "stale_format":
        assert r.fmt == "2019" and y >= 2021 and "对外公开总数量" in r.text
    elif defect == "n001_received":
        assert nums["received"] not in (c["applications.new.total"],
                                        c["applications.new.total"] + c["applications.carried_over.total"])
    elif defect == "n002_litigation":
        assert (nums["review"], nums["suits"]) != (
            c["litigation.review.total"], c["litigation.direct.total"] + c["litigation.after_review.total"])
    elif defect == "n003_enumeration":
        assert nums["enum_total"] != nums["enum_sum"]
    elif defect == "n004_normative":
        row = {v for k, v in c.items() if k.startswith("active.normative_documents.")}
        assert nums["normative"] is not None and nums["normative"] not in row
    elif defect == "q004_no_fee":
        assert fmt == "2021" and "信息处理费" not in section_text(r, 6)
    elif defect == "q005_no_platform":
        one = section_text(r, 1)
        assert not re.search("平台|网站|新媒体|公众号", one)
        assert all(p in one for p in ("主动公开", "依申请公开", "政府信息管理", "监督保障"))
    if defect not in ("no_title_agency",):
        assert r.facts["agency"] == clean.facts["agency"]
    if not defect.startswith(("n00", "q00", "a00", "blank", "missing_rows", "missing_table")):
        # the narrative keeps agreeing with the tables unless the defect is about that
        if 1 in pos and defect != "narrative_other_year":
            assert nums["received"] == c["applications.new.total"]
