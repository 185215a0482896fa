"""Checks beyond the minimum catalogue (A008, A009, P007, S010), each shown to fire and to stay quiet."""

from __future__ import annotations

import pytest

from testkit import synth
from summarizer.audit import audit_text


def _codes(text: str) -> set[str]:
    return {f.code for f in audit_text(text).findings}


def _set_row(text: str, label: str, values: list[str]) -> str:
    """Rewrite one tab-layout row of the active table."""
    out = []
    for line in text.split("\n"):
        if line.split("\t")[0].strip() == label:
            line = "\t".join([line.split("\t")[0]] + values)
        out.append(line)
    return "\n".join(out)


def test_a008_procurement_projects_without_amount():
    r = synth.generate(41, fmt="2019", layout="tabs")
    assert "A008" not in _codes(r.text)
    bad = _set_row(r.text, "政府集中采购", ["0", "12.5"])
    assert "A008" in _codes(bad)


def test_a009_same_number_in_every_column():
    r = synth.generate(42, fmt="2019", layout="tabs")
    assert "A009" not in _codes(r.text)
    bad = _set_row(r.text, "行政处罚", ["12", "12", "12"])
    found = [f for f in audit_text(bad).findings if f.code == "A009"]
    assert found and found[0].severity == "info" and "12" in found[0].message


def test_p007_stale_format_citation_only_from_2021():
    r = synth.generate(43, fmt="2021", layout="cells")
    lines = r.text.split("\n")
    at = next(i for i, ln in enumerate(lines) if ln.startswith("一、"))
    stale = lines[:at] + ["依据《中华人民共和国政府信息公开工作年度报告格式（试行）》编制本报告。"] + lines[at:]
    assert "P007" not in _codes(r.text)
    assert "P007" in _codes("\n".join(stale))


def test_s010_title_and_signature_disagree():
    r = synth.generate(44, fmt="2021", layout="cells")
    agency = r.facts["agency"]
    lines = r.text.rstrip("\n").split("\n")
    sig = max(i for i, ln in enumerate(lines) if ln.strip() == agency)
    other = lines[:sig] + ["某某市某某区文化和旅游局"] + lines[sig + 1:]
    assert "S010" not in _codes(r.text)
    found = [f for f in audit_text("\n".join(other)).findings if f.code == "S010"]
    assert found and "文化和旅游局" in found[0].quote and found[0].related


@pytest.mark.parametrize("agency,fires", [("某某县某某镇人民政府", True), ("某某市某某区卫生健康局", True),
                                          ("某某县教育局", True), ("某某省人民政府", False), ("某某市人民政府", False),
                                          ("广西壮族自治区人民政府", False), ("某某市区域合作局", False),
                                          ("某某综合实验区管委会", False)])
def test_a010_rules_reported_by_a_body_without_rule_making_power(agency, fires):
    """A township, county or district body (or its department) cannot make 规章: a number in the
    规章 row is flagged; a name that does not show the level (××市人民政府) is never judged."""
    from summarizer.audit import audit_text
    from testkit.synth import generate

    rep = generate(3, "2021", "tabs")
    text = rep.text.replace(rep.facts["agency"], agency)
    lines = text.split("\n")
    i = next(n for n, ln in enumerate(lines) if ln.startswith("规章"))
    lines[i] = "规章\t2\t0\t2"
    result = audit_text("\n".join(lines))
    assert result.facts.agency == agency
    a010 = [f for f in result.findings if f.code == "A010"]
    assert bool(a010) == fires
    if fires:
        assert a010[0].severity == "warning" and "规章" in a010[0].quote
    clean = audit_text(text)  # the 规章 row all 0: nothing to say
    assert not [f for f in clean.findings if f.code == "A010"]


def test_a010_in_the_2019_table():
    from summarizer.audit import audit_text
    from testkit.synth import generate

    rep = generate(3, "2019", "tabs")
    text = rep.text.replace(rep.facts["agency"], "某某县某某镇人民政府")
    lines = text.split("\n")
    i = next(n for n, ln in enumerate(lines) if ln.startswith("规章"))
    lines[i] = "规章\t1\t1\t3"
    [a010] = [f for f in audit_text("\n".join(lines)).findings if f.code == "A010"]
    assert "本年新制作数量1" in a010.message and "对外公开总数量" not in a010.message


def test_a_check_that_raises_costs_only_its_own_findings(monkeypatch):
    """A bug in one check (an exception on a report nobody foresaw) is named in the report's notes;
    the other checks' findings are all still there."""
    from summarizer import checks
    from summarizer.audit import audit_text
    from testkit.synth import generate

    text = generate(3, fmt="2021", layout="tabs", defect="a001_balance").text
    before = {f.code for f in audit_text(text).findings}

    def broken(ctx):
        yield from ()
        raise ZeroDivisionError("unforeseen")

    monkeypatch.setattr(checks, "REGISTRY", [(("S999",), broken)] + list(checks.REGISTRY))
    result = audit_text(text)
    assert {f.code for f in result.findings} == before and "A001" in before
    assert any("S999" in n and "ZeroDivisionError" in n for n in result.input_notes)


@pytest.mark.parametrize("field,late", [
    ("发布时间：2022-06-17", True),          # a township's report published in June: past 31 March
    ("发布日期：2022-03-17", False),
    ("| 成文日期 | 2022-06-17 |", False),     # the date of issue is P004's, not a publication date
])
def test_p008_a_page_published_after_the_deadline_is_an_info(field, late):
    text = field + "\n某某乡人民政府2021年政府信息公开工作年度报告\n一、总体情况\n推进公开。\n"
    found = [f for f in audit_text(text).findings if f.code == "P008"]
    assert bool(found) == late
    if late:
        assert found[0].severity == "info" and "请核实" in found[0].message and found[0].quote == field
