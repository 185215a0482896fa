"""Cross-year checks X001–X003: pairing by agency and year, findings on both reports, verified quotes."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.audit import verified
from summarizer.batch import run_batch
from summarizer.cli import app
from summarizer.crossyear import match_pairs
from summarizer.models import AuditResult, Facts, Finding
from summarizer.pipeline import Options
from summarizer.readers import read_document
from testkit.synth import generate

REAL = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"


def next_year(text: str, year: int) -> str:
    """The same report one year later: every year number shifted by one (tables unchanged)."""
    return (text.replace(str(year + 1), "@NEXT@").replace(str(year), str(year + 1))
            .replace("@NEXT@", str(year + 2)))


def pair_files(tmp_path: Path, fmt: str, seed: int) -> tuple[str, str, dict]:
    rep = generate(random.Random(seed), fmt, "cells", None)
    y = rep.facts["year"]
    a, b = tmp_path / f"{y}.txt", tmp_path / f"{y + 1}.txt"
    a.write_text(rep.text, encoding="utf-8")
    b.write_text(next_year(rep.text, y), encoding="utf-8")
    return str(a), str(b), rep.cells


def result(agency, year, file="x") -> AuditResult:
    return AuditResult(file=file, facts=Facts(agency=agency, year=year))


def test_matching_by_normalized_name_suffix_and_ambiguity():
    rs = [result("洪泽区人民政府", 2023, "a"), result("淮安市 洪泽区人民政府", 2024, "b"),
          result("某县商务局", 2020, "c"), result("某县商务局", 2020, "d"), result("某县商务局", 2021, "e"),
          result("人民政府", 2021, "f"), result("沭阳县发展和改革局", 2022, "g"), result("沐阳县发展和改革局", 2023, "h")]
    rs[3].facts.cells = {"applications.new.total": 1}  # c and d differ, so they are not copies
    pairs, notes = match_pairs(rs)
    assert [(p.prev, p.cur) for p in pairs] == [(0, 1)]  # 沐/沭 is not "fixed"; 人民政府 is too short
    assert len(notes) == 1 and "e" in notes[0]


def test_a_bare_township_name_is_not_matched_by_its_ending():
    """"太平镇人民政府" is the ending of "邹城市太平镇人民政府" and of "垫江县太平镇人民政府": four towns
    of one name in four provinces were chained as one body (false X001). A bare name pairs only
    with itself; a qualified one still pairs with its longer spelling."""
    rs = [result("太平镇人民政府", 2020, "a"), result("邹城市太平镇人民政府", 2021, "b"),
          result("太平镇人民政府", 2022, "c"), result("垫江县太平镇人民政府", 2023, "d"),
          result("某某县太平镇人民政府", 2024, "e"), result("某某市某某县太平镇人民政府", 2025, "f")]
    pairs, _ = match_pairs(rs)
    assert [(p.prev, p.cur) for p in pairs] == [(4, 5)]


@pytest.mark.parametrize("fmt,code", [("2021", "X002"), ("2019", "X003")])
def test_mismatches_are_reported_on_both_reports_with_verified_evidence(tmp_path, fmt, code):
    seed = next(s for s in range(200)
                if (c := generate(random.Random(s), fmt, "cells", None).cells)
                and c.get("applications.carried_over.total") != c.get("applications.carried_forward.total")
                and (c.get("active.normative_documents.issued") != c.get("active.normative_documents.repealed")
                     if fmt == "2021" else c.get("active.licensing.change")))
    a, b, cells = pair_files(tmp_path, fmt, seed)
    results = run_batch([a, b], Options(no_llm=True), progress=False)
    for own, other in ((results[1], results[0]), (results[0], results[1])):
        xs = [f for f in own.findings if f.code.startswith("X")]
        assert {"X001", code} <= {f.code for f in xs}
        doc, other_doc = read_document(own.file), read_document(other.file)
        for f in xs:
            assert verified(doc, Finding(**{**f.model_dump(), "related": []}))
            assert f.related and verified(other_doc, Finding(code=f.code, severity=f.severity, message="",
                                                              line=f.related[0].line, quote=f.related[0].quote))
            assert Path(other.file).name in f.message
    x1 = next(f for f in results[1].findings if f.code == "X001")
    y = results[1].facts.year
    assert x1.severity == "error"
    assert x1.cells[f"{y}:applications.carried_over.total"] == cells["applications.carried_over.total"]
    assert x1.cells[f"{y - 1}:applications.carried_forward.total"] == cells["applications.carried_forward.total"]
    # the rubric is re-scored once cross-year findings are in
    r3 = next(c for c in results[1].rubric["criteria"] if c["id"] == "R3")
    assert "X001" in r3["reason"] and r3["score"] < r3["max"]


def test_cli_exit_status_counts_cross_year_errors_and_ignore_turns_them_off(tmp_path):
    seed = next(s for s in range(200) if (c := generate(random.Random(s), "2021", "cells", None).cells)
                and c["applications.carried_over.total"] != c["applications.carried_forward.total"])
    a, b, _ = pair_files(tmp_path, "2021", seed)
    assert CliRunner().invoke(app, ["--no-llm", a, b, "--ignore", "X"]).exit_code == 0
    res = CliRunner().invoke(app, ["--no-llm", a, b, "-o", str(tmp_path / "out")])
    assert res.exit_code == 1
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "## 跨年度比对" in index and "X001" in index


def test_each_report_alone_has_no_cross_year_finding(tmp_path):
    a, b, _ = pair_files(tmp_path, "2021", 3)
    for p in (a, b):
        r = run_batch([p], Options(no_llm=True), progress=False)[0]
        assert not [f for f in r.findings if f.code.startswith("X")]


@pytest.mark.skipif(not (REAL / "2023_huaian_hongzequ.pdf").exists(), reason="real corpus not available")
def test_real_consecutive_years_of_hongze_pair_and_agree():
    paths = [str(REAL / "2023_huaian_hongzequ.pdf"), str(REAL / "2024_huaian_hongzequ.pdf")]
    stats: dict = {}
    results = run_batch(paths, Options(no_llm=True), progress=False, stats=stats)
    assert stats["pairs"] == 1  # 洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024)
    pairs, _ = match_pairs(results)
    from summarizer.crossyear import _Quotes, check_pair

    assert check_pair(results[0], results[1], _Quotes(), pair=pairs[0]) == []
    assert pairs[0].compared >= 9  # 7 carried-over columns + 2 in_force rows, all consistent


def test_rerun_reuses_the_pairs_findings_and_writes_the_same_files(tmp_path, monkeypatch):
    """A re-run with the same reports under the same names takes each pair's X findings from the
    last run (no report loaded whole, no text read again) and leaves every file as it was."""
    seed = next(s for s in range(200)
                if (c := generate(random.Random(s), "2021", "cells", None).cells)
                and c.get("applications.carried_over.total") != c.get("applications.carried_forward.total"))
    a, b, _ = pair_files(tmp_path, "2021", seed)
    out = tmp_path / "out"
    first = run_batch([a, b], Options(no_llm=True), out_dir=out, progress=False)
    assert any(f.code == "X001" for f in first[0].findings)
    files = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix != ".xlsx"}

    import summarizer.crossyear as crossyear

    def no_check(*args, **kwargs):
        raise AssertionError("the pair was checked again")

    monkeypatch.setattr(crossyear, "check_pair", no_check)
    stats: dict = {}
    again = run_batch([a, b], Options(no_llm=True), out_dir=out, progress=False, stats=stats)
    assert stats["cached"] == 2 and stats["rewritten"] == 0
    assert [f.code for f in again[1].findings if f.code == "X005"] == ["X005"]  # kept from the last run
    assert [f.model_dump() for f in again[0].findings] == [f.model_dump() for f in first[0].findings]
    assert [r.rubric for r in again] == [r.rubric for r in first]  # re-scored alike
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.suffix != ".xlsx"} == files


def test_pairs_settled_in_worker_processes_match_the_single_process_run(tmp_path):
    """Enough pairs for the worker stage: each paired report loaded, paired, re-scored and
    written in a worker; every file equals the one-process run's, and a re-run reuses them."""
    folder = tmp_path / "in"
    folder.mkdir()
    seeds = [s for s in range(400) if (c := generate(random.Random(s), "2021", "cells", None).cells)
             and c.get("applications.carried_over.total") != c.get("applications.carried_forward.total")][:18]
    paths = []
    for s in seeds:
        d = folder / f"s{s}"
        d.mkdir()
        a, b, _ = pair_files(d, "2021", s)
        paths += [a, b]
    outs = {}
    for procs in (1, 2):
        out = tmp_path / f"out{procs}"
        stats = {}
        results = run_batch(paths, Options(no_llm=True), out_dir=out, procs=procs, progress=False, stats=stats)
        assert sum(any(f.code == "X001" for f in r.findings) for r in results) == len(paths)
        # 雷同 (X005) on this year's side of every pair (the texts are last year's with the years shifted)
        assert [any(f.code == "X005" for f in r.findings) for r in results] == [False, True] * len(seeds)
        assert {_row(r, "R6")["status"] for r in results[1::2]} == {"scored"}
        assert stats["paired_in_workers"] == (len(paths) if procs == 2 else 0)
        outs[procs] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                       if p.is_file() and ".audit-state" not in p.parts and p.suffix != ".xlsx"}
    assert outs[2] == outs[1]
    stats: dict = {}
    run_batch(paths, Options(no_llm=True), out_dir=tmp_path / "out2", procs=2, progress=False, stats=stats)
    assert stats["cached"] == len(paths) and stats["rewritten"] == 0


# ---------------------------------------------------------------- X005 / R6: 雷同 with last year's report


def _row(r, cid):
    return next(c for c in r.rubric["criteria"] if c["id"] == cid)


def test_a_report_copied_from_last_year_is_flagged_and_scored_down(tmp_path):
    a, b, _ = pair_files(tmp_path, "2021", 5)  # this year's text is last year's with the years shifted
    results = run_batch([a, b], Options(no_llm=True), progress=False)
    x5 = [f for f in results[1].findings if f.code == "X005"]
    assert len(x5) == 1 and "100%" in x5[0].message and Path(a).name in x5[0].message
    doc = read_document(b)
    assert verified(doc, Finding(**{**x5[0].model_dump(), "related": []}))
    assert x5[0].related and x5[0].related[0].line
    assert not [f for f in results[0].findings if f.code == "X005"]  # last year's report copied nothing
    r6 = _row(results[1], "R6")
    assert r6["status"] == "scored" and r6["score"] == 0 and "重复约 100%" in r6["reason"]
    assert _row(results[0], "R6")["status"] == "not assessable"  # no report of the year before in the batch


def rewrite_sections(b: str) -> None:
    """This year's 一 and 五 rewritten: nothing copied from last year (no X005, R6 full marks)."""
    text = Path(b).read_text(encoding="utf-8").split("\n")
    starts = [i for i, ln in enumerate(text) if ln.startswith(("一、", "五、"))]
    ends = [i for i, ln in enumerate(text) if ln.startswith(("二、", "六、"))]
    fresh = ["本年度围绕营商环境优化，编制公开目录并逐月核对栏目，收集群众留言后当月答复。",
             "围绕重点领域公开要求，组织街道和部门对照清单自查，形成问题台账并按季度销号。",
             "依申请公开答复文书统一模板，法律顾问逐件审核，答复期限全部压缩到十五个工作日内。",
             "政务新媒体账号完成备案复核，关停两个长期未更新账号，网站栏目重新分类以便检索。",
             "存在的不足是基层公开人员流动较大，部分乡镇专栏的解读材料数量偏少、形式单一。",
             "计划明年上半年完成乡镇专栏标准化改造，邀请群众代表参与公开质量评议并公布结果。"]
    for s, e in sorted(zip(starts, ends), reverse=True):
        text[s + 1:e] = fresh[:3] if text[s].startswith("一、") else fresh[3:]
    Path(b).write_text("\n".join(text), encoding="utf-8")


def test_rewritten_sections_are_not_flagged_and_keep_r6(tmp_path):
    a, b, _ = pair_files(tmp_path, "2021", 6)
    rewrite_sections(b)
    results = run_batch([a, b], Options(no_llm=True), progress=False)
    assert not [f for f in results[1].findings if f.code == "X005"]
    r6 = _row(results[1], "R6")
    assert r6["status"] == "scored" and r6["score"] == 6


def test_report_file_of_a_pair_without_x_findings_shows_its_r6_score(tmp_path):
    """A pair gives this year's rubric its R6 score even when it adds no X finding: the report
    file, written before the pairing, is written again (it kept "无法评估" at --procs 1)."""
    a, b, _ = pair_files(tmp_path, "2021", 6)
    rewrite_sections(b)
    out = tmp_path / "out"
    opts = Options(no_llm=True, ignore=["X001", "X002", "X003"])
    results = run_batch([a, b], opts, out_dir=out, procs=1, progress=False)
    assert not [f for f in results[1].findings if f.code.startswith("X")]
    assert _row(results[1], "R6")["status"] == "scored"
    md = (out / (Path(b).name + ".md")).read_text(encoding="utf-8")
    assert "重复约" in md and "无法比对重复度" not in md
    stats: dict = {}
    run_batch([a, b], opts, out_dir=out, procs=1, progress=False, stats=stats)  # a re-run keeps it as it is
    assert stats["rewritten"] == 0 and (out / (Path(b).name + ".md")).read_text(encoding="utf-8") == md


def test_x005_can_be_ignored_and_r6_then_says_it_was_not_run(tmp_path):
    a, b, _ = pair_files(tmp_path, "2021", 5)
    results = run_batch([a, b], Options(no_llm=True, ignore=["X005"]), progress=False)
    assert not [f for f in results[1].findings if f.code == "X005"]
    r6 = _row(results[1], "R6")
    assert r6["status"] == "not assessable" and r6["score"] is None


def test_a_script_without_a_main_guard_still_pairs_when_workers_cannot_start(tmp_path):
    """Worker processes re-import the main script; without `if __name__ == "__main__"` they die
    before they start. Both pooled stages then fall back to this process: the audits (with a
    message) and the pairs (it was a traceback in the pair stage: PoolBroken not caught)."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    for s in range(18):
        d = folder / f"s{s}"
        d.mkdir()
        pair_files(d, "2021", s)
    script = tmp_path / "no_guard.py"
    script.write_text(
        "import json, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
        "from pathlib import Path\n"
        "from summarizer.batch import run_batch\n"
        "from summarizer.pipeline import Options\n"
        f"paths = sorted(str(p) for p in Path({str(folder)!r}).rglob('*.txt'))\n"
        f"rs = run_batch(paths, Options(no_llm=True), out_dir=Path({str(tmp_path / 'out')!r}), procs=2, progress=False)\n"
        "print(json.dumps([sorted({f.code for f in r.findings if f.code.startswith('X')}) for r in rs]))\n",
        encoding="utf-8")
    p = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    codes = __import__("json").loads(p.stdout.strip().splitlines()[-1])
    assert [("X005" in c) for c in codes] == [False, True] * 18  # every pair compared (雷同 on this year)
    assert sum("X001" in c for c in codes) >= 18
    assert "fail to start" in p.stderr


def test_one_bare_township_name_pairs_only_when_the_texts_share_a_county(tmp_path):
    """"太平镇人民政府" in 2024 and 2025 may be two towns of two provinces: paired only when both texts
    name the same county (姚安县), with a note otherwise (a false X001/X002 across towns)."""
    def report(county: str, year: int, name: str) -> AuditResult:
        path = tmp_path / name
        path.write_text(f"太平镇人民政府{year}年政府信息公开工作年度报告\n一、总体情况\n在{county}委、{county}人民政府的领导下，"
                        "根据县政府要求推进公开。\n", encoding="utf-8")
        return AuditResult(file=str(path), facts=Facts(agency="太平镇人民政府", year=year))

    same = [report("姚安县", 2024, "a.txt"), report("姚安县", 2025, "b.txt")]
    assert [(p.prev, p.cur) for p in match_pairs(same)[0]] == [(0, 1)]
    apart = [report("垫江县", 2024, "c.txt"), report("姚安县", 2025, "d.txt")]
    pairs, notes = match_pairs(apart)
    assert pairs == [] and "无法确认是同一机关" in notes[0]
