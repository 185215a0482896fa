"""Rubric scoring: rule criteria from deterministic findings, judgement criteria only from an LLM."""

from llm_fixtures import make_result

from summarizer.models import Finding
from summarizer.rubric import load_rubric, score_rubric


def finding(code, source="rule"):
    return Finding(code=code, severity="error", message="m", line=1, quote="q", source=source)


def row(rubric, cid):
    return next(c for c in rubric["criteria"] if c["id"] == cid)


def test_rubric_data_adds_up():
    crit = load_rubric()["criteria"]
    assert sum(c["points"] for c in crit) == 100
    assert sum(c["points"] for c in crit if c["kind"] == "rule") == 60
    for c in crit:
        if c["kind"] == "llm":
            assert c["sections"] and {lv["id"] for lv in c["levels"]} and max(lv["fraction"] for lv in c["levels"]) == 1.0


def test_without_llm_judgement_is_not_scored_never_guessed():
    r = score_rubric(make_result(findings=[]))
    assert r["rule_score"] == 60 and r["total"] is None and r["llm_score"] is None
    assert r["statement"] == "60 / 60 scored by rules; judgement criteria not scored"
    assert all(c["score"] is None and c["status"] == "not scored" for c in r["criteria"] if c["kind"] == "llm")


def test_deductions_per_finding_with_cap_and_llm_findings_ignored():
    res = make_result(findings=[finding("A001")] * 6 + [finding("S001"), finding("P001"), finding("N005", "llm")])
    r = score_rubric(res)
    assert row(r, "R3")["score"] == 0  # 6 × 4 capped at 20
    assert row(r, "R1")["score"] == 7 and row(r, "R4")["score"] == 4
    assert row(r, "R5")["score"] == 10  # an LLM finding never costs rule points
    assert "A001×6" in row(r, "R3")["reason"]
    assert r["rule_score"] == 10 + 7 + 0 + 4 + 10


def test_unparsed_tables_make_table_criteria_not_assessable():
    res = make_result(findings=[])
    for t in res.tables:
        t.status = "unparsed"
    r = score_rubric(res)
    assert row(r, "R3")["status"] == "not assessable" and row(r, "R3")["score"] is None
    assert r["rule_max"] == 30 and "not assessable: R3, R5" in r["statement"]


def test_llm_scores_use_level_fractions_and_keep_evidence():
    scores = {"L1": {"level": "B", "reason": "r", "evidence": [{"line": 16, "quote": "q"}]},
              "L2": {"level": "A", "reason": "r", "evidence": []},
              "L3": {"level": "D", "reason": "r", "evidence": []},
              "L4": {"level": "C", "reason": "r", "evidence": []}}
    r = score_rubric(make_result(findings=[]), scores)
    assert row(r, "L1")["score"] == 7.2 and row(r, "L3")["score"] == 0 and row(r, "L4")["score"] == 3
    assert r["complete"] and r["total"] == 60 + 7.2 + 10 + 0 + 3
    partial = score_rubric(make_result(findings=[]), {"L2": scores["L2"]}, "未核验")
    assert partial["total"] is None and row(partial, "L1")["reason"] == "未核验"
    assert partial["statement"].startswith("70 / 70 scored")


def test_rescoring_keeps_verified_llm_judgements():
    res = make_result(findings=[])
    res.rubric = score_rubric(res, {"L2": {"level": "A", "reason": "r", "evidence": []}})
    res.findings.append(finding("S002"))
    again = score_rubric(res)
    assert row(again, "L2")["score"] == 10 and row(again, "R1")["score"] == 8
