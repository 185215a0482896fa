"""Rubric scoring: rule criteria from deterministic findings, judgement criteria only from an LLM,
and never full marks for what could not be assessed (each criterion carries score / assessable)."""

import pytest
from llm_fixtures import make_result

from summarizer.models import Finding, TableResult
from summarizer.rubric import judged_criteria, load_rubric, mapping_level, score_rubric

SCORES = {"L1": {"level": "B", "reason": "r", "evidence": [{"line": 16, "quote": "q"}]},
          "L3": {"level": "D", "reason": "r", "evidence": []},
          "L4": {"level": "C", "reason": "r", "evidence": []}}
MAPPING = {"problems": 2, "answered": 2, "measures": 2}


def finding(code, source="rule"):
    return Finding(code=code, severity="error", message="m", line=1, quote="q", source=source)


def row(rubric, cid):
    return next(c for c in rubric["criteria"] if c["id"] == cid)


def pair_inputs(share=0.1):
    return {"overlap": {"share": share, "prev_file": "2020.txt"}}


def test_rubric_data_adds_up():
    crit = load_rubric()["criteria"]
    assert sum(c["points"] for c in crit) == 100
    assert sum(c["points"] for c in crit if c["kind"] == "rule") == 60
    for c in crit:
        if c["kind"] == "llm":
            assert c["sections"] and max(lv["fraction"] for lv in c["levels"]) == 1.0
    assert {c["id"] for c in judged_criteria("2021")} == {"L1", "L3", "L4"}  # L2 comes from the mapping
    assert {c["id"] for c in judged_criteria("2019")} == {"L1", "L4"}  # L3 applies where Q003 does


def test_without_llm_judgement_is_not_scored_never_guessed():
    r = score_rubric(make_result(findings=[]), inputs=pair_inputs())
    assert r["rule_score"] == 60 and r["total"] is None and r["llm_score"] is None
    assert r["statement"] == "60 / 60 scored by rules; judgement criteria not scored"
    assert all(c["score"] is None and c["status"] == "not scored" for c in r["criteria"] if c["kind"] == "llm")
    assert (r["score"], r["assessable"], r["max"]) == (60, 60, 100) and r["display"] == "60 / 60"


def test_deductions_per_finding_with_cap_and_llm_findings_ignored():
    res = make_result(findings=[finding("A001")] * 6 + [finding("S001"), finding("P001"), finding("N005", "llm")])
    r = score_rubric(res, inputs=pair_inputs())
    assert row(r, "R3")["score"] == 0  # 6 × 4 capped at what was assessable
    assert row(r, "R1")["score"] == 5 and row(r, "R4")["score"] == 3
    assert row(r, "R5")["score"] == 8  # an LLM finding never costs rule points
    assert "A001×6" in row(r, "R3")["reason"]
    assert r["rule_score"] == 5 + 10 + 0 + 3 + 8 + 6


def test_unparsed_tables_make_table_criteria_not_assessable_and_others_partial():
    res = make_result(findings=[])
    for t in res.tables:
        t.status = "unparsed"
    r = score_rubric(res, inputs=pair_inputs())
    assert row(r, "R3")["status"] == "not assessable" and row(r, "R3")["score"] is None
    assert row(r, "R3")["status_zh"] == "无法评估" and "表二未能读取" in row(r, "R3")["reason"]
    r2, r5 = row(r, "R2"), row(r, "R5")
    assert r2["status"] == r5["status"] == "partial"
    assert (r2["assessable"], r2["score"]) == (5, 5) and (r5["assessable"], r5["score"]) == (4, 4)
    assert "满分" not in r2["reason"] and "部分评估" in r2["reason"]
    assert r["assessable"] == 8 + 5 + 8 + 4 + 6 and "not assessable: R3" in r["statement"]


def test_partly_read_table_is_partial_never_full_marks():
    res = make_result(findings=[])
    next(t for t in res.tables if t.name == "litigation").status = "partial"
    r3 = row(score_rubric(res, inputs=pair_inputs()), "R3")
    assert r3["status"] == "partial" and r3["assessable"] < 20 and r3["score"] == r3["assessable"]
    assert "表四部分未能读取" in r3["reason"] and not r3["reason"].startswith("满分")


def test_missing_issue_date_and_sections_make_criteria_partial_or_not_assessable():
    res = make_result(findings=[])
    res.facts.issued_on = None
    res.facts.sections = [s for s in res.facts.sections if s.number not in (1, 5)]
    r = score_rubric(res, SCORES, inputs={**pair_inputs(), "mapping": MAPPING})
    r4 = row(r, "R4")
    assert r4["status"] == "partial" and r4["assessable"] == pytest.approx(8 * 0.4)
    assert "未识别成文日期" in r4["reason"] and "未找到第一部分" in r4["reason"]
    for cid in ("L1", "L2", "L3"):
        assert row(r, cid)["status"] == "not assessable" and "第五部分" in row(r, cid)["reason"]
    assert row(r, "L4")["status"] == "not assessable"
    assert not r["complete"] and r["total"] is None


def test_codes_not_selected_are_not_full_marks():
    res = make_result(findings=[])
    r = score_rubric(res, inputs={**pair_inputs(), "select": ["A"]})
    assert row(r, "R3")["status"] == "partial"  # X001–X003 were not run (select A)
    assert row(r, "R1")["status"] == "not assessable" and "S001" in row(r, "R1")["reason"]
    assert row(r, "R6")["status"] == "not assessable"  # X005 not run
    ig = score_rubric(res, inputs={**pair_inputs(), "ignore": ["S001"]})
    assert row(ig, "R1")["status"] == "partial" and row(ig, "R1")["score"] < 8


def test_llm_scores_use_level_fractions_mapping_and_keep_evidence():
    r = score_rubric(make_result(findings=[]), SCORES, inputs={**pair_inputs(), "mapping": MAPPING})
    assert row(r, "L1")["score"] == 7.2 and row(r, "L3")["score"] == 0 and row(r, "L4")["score"] == 3
    assert row(r, "L2")["level"] == "A" and row(r, "L2")["score"] == 10 and "2 个问题中 2 个" in row(r, "L2")["reason"]
    assert row(r, "L1")["evidence"] == [{"line": 16, "quote": "q"}]
    assert r["complete"] and r["total"] == 60 + 7.2 + 10 + 0 + 3
    partial = score_rubric(make_result(findings=[]), {"L4": SCORES["L4"]}, "未核验", inputs=pair_inputs())
    assert partial["total"] is None and row(partial, "L1")["reason"] == "未核验"
    assert partial["statement"].startswith("63 / 70 scored")


@pytest.mark.parametrize("problems,answered,measures,level", [
    (4, 4, 3, "A"), (4, 2, 2, "B"), (4, 1, 5, "C"), (3, 0, 2, "C"), (3, 0, 0, "D")])
def test_l2_level_follows_the_verified_mapping(problems, answered, measures, level):
    crit = next(c for c in load_rubric()["criteria"] if c["id"] == "L2")
    assert mapping_level(crit, {"problems": problems, "answered": answered, "measures": measures})["id"] == level


def test_l3_not_applicable_to_2019_format_and_not_assessable_without_format():
    res = make_result(findings=[])
    res.facts.format_version = "2019"
    r = score_rubric(res, SCORES, inputs={**pair_inputs(), "mapping": MAPPING})
    l3 = row(r, "L3")
    assert l3["status"] == "not applicable" and l3["status_zh"] == "不适用" and l3["score"] is None
    assert r["applicable"] == 92 and r["complete"]  # "not applicable" is a value, not a gap
    res.facts.format_version = None
    assert row(score_rubric(res, SCORES, inputs=pair_inputs()), "L3")["status"] == "not assessable"


def test_cut_text_makes_criteria_partially_assessed():
    r = score_rubric(make_result(findings=[]), {**SCORES, "L1": {"level": "A", "reason": "r", "evidence": []}},
                     inputs={**pair_inputs(), "mapping": MAPPING, "cut": {"5": 0.6}})
    l1 = row(r, "L1")
    assert l1["status"] == "partial" and l1["assessable"] == 7.2 and l1["score"] == 7.2 < l1["max"]
    assert "部分评估" in l1["reason"] and row(r, "L4")["status"] == "scored"
    assert not r["complete"] and "partially assessed: L1, L2, L3" in r["statement"]


def test_injection_caps_the_judged_part_and_says_so():
    best = {c: {"level": "A", "reason": "r", "evidence": []} for c in ("L1", "L3", "L4")}
    res = make_result(findings=[Finding(code="N007", severity="warning", message="m", line=3, quote="q")])
    r = score_rubric(res, best, inputs={**pair_inputs(), "mapping": MAPPING})
    for cid in ("L1", "L2", "L3", "L4"):
        c = row(r, cid)
        assert c["score"] == c["max"] * 0.5 and "N007" in c["reason"]
    assert r["llm_score"] == 20


def test_overlap_scores_r6_and_no_pair_is_not_assessable():
    res = make_result(findings=[])
    assert row(score_rubric(res, inputs=pair_inputs(0.2)), "R6")["score"] == 6
    assert row(score_rubric(res, inputs=pair_inputs(0.9)), "R6")["score"] == 0
    mid = row(score_rubric(res, inputs=pair_inputs(0.575)), "R6")
    assert mid["score"] == 3 and "重复约 57%" in mid["reason"]
    alone = row(score_rubric(make_result(findings=[])), "R6")
    assert alone["status"] == "not assessable" and "上一年度" in alone["reason"]


def test_rescoring_keeps_verified_llm_judgements_and_inputs():
    res = make_result(findings=[])
    res.rubric = score_rubric(res, {"L4": SCORES["L4"]}, inputs={**pair_inputs(), "mapping": MAPPING, "select": None})
    res.findings.append(finding("S002"))
    again = score_rubric(res)
    assert row(again, "L4")["score"] == 3 and row(again, "L2")["score"] == 10 and row(again, "R1")["score"] == 6
    assert row(again, "R6")["score"] == 6  # the overlap input is kept


def test_every_row_carries_its_denominator():
    res = make_result(findings=[])
    res.tables.append(TableResult(name="extra", status="parsed"))
    r = score_rubric(res, SCORES, inputs={**pair_inputs(), "mapping": MAPPING})
    for c in r["criteria"]:
        assert {"score", "assessable", "max", "status", "status_zh"} <= set(c)
        if c["score"] is not None:
            assert 0 <= c["score"] <= c["assessable"] <= c["max"]
    assert r["score"] <= r["assessable"] <= r["applicable"] <= r["max"] == 100


def test_checks_that_do_not_apply_to_a_report_never_read_as_full_marks():
    """An institute's or a pre-2019 report skips the template's checks (report_kind.exemption): the
    criteria resting only on them are not applicable, the others partly assessed (before: R1 said
    "满分：六个部分齐全" for a report with none of the six parts)."""
    from summarizer.audit import audit_text

    text = ("本年度报告由某某省监狱管理局编制。全文包括概述，政府信息公开咨询处理情况，政府信息公开支出和收费。\n"
            "一、工作概述\n2015年，我局政府信息公开工作取得新进展。\n二、主动公开政府信息情况\n主动公开信息120条。\n")
    result = audit_text(text)
    assert result.exempt_codes and result.to_public()["exempt_codes"] == result.exempt_codes
    rubric = score_rubric(result)
    assert row(rubric, "R2")["status"] == "not applicable"
    r1 = row(rubric, "R1")
    assert r1["status"] == "partial" and "满分" not in r1["reason"] and "不适用" in r1["reason"]


def test_r6_says_why_no_pair_was_made_and_never_rounds_up_to_x005s_threshold():
    from summarizer.audit import audit_text

    nameless = audit_text("2023年政府信息公开工作年度报告\n一、总体情况\n推进。\n")
    assert "未识别发布机关" in row(score_rubric(nameless), "R6")["reason"]
    assert "重复约 59%" in row(score_rubric(make_result(), inputs=pair_inputs(0.596)), "R6")["reason"]
