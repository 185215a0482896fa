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
        assert stats["paired_in_workers"] == (len(paths) if procs == 2 else 0)
        outs[procs] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                       if p.is_file() and ".audit-state" not in p.parts and p.suffix != ".xlsx"}
    assert outs[2] == outs[1]
    stats: dict = {}
    run_batch(paths, Options(no_llm=True), out_dir=tmp_path / "out2", procs=2, progress=False, stats=stats)
    assert stats["cached"] == len(paths) and stats["rewritten"] == 0
