"""Golden tests: the five seed reports, against the hand labels in eval/datasets/seeds.

Every labelled cell and headline fact must match exactly, the expected codes must fire, and
no forbidden code (e.g. a false `error`) may appear.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.audit import audit_path

REPO = Path(__file__).resolve().parents[1]
LABELS = sorted((REPO / "eval" / "datasets" / "seeds").glob("*.json"))


def _load(path: Path) -> tuple[dict, Path]:
    label = json.loads(path.read_text(encoding="utf-8"))
    source = (REPO / label["source"]).resolve()
    if not source.exists():
        pytest.skip(f"corpus file not present: {source}")
    return label, source


@pytest.mark.parametrize("label_path", LABELS, ids=[p.stem for p in LABELS])
def test_seed_cells_and_facts(label_path: Path) -> None:
    label, source = _load(label_path)
    result, _ = audit_path(source)
    assert result.error is None
    got = result.facts.cells
    wrong = {k: (v, got.get(k, "MISSING")) for k, v in label["cells"].items() if got.get(k, "MISSING") != v}
    assert not wrong, f"cells differ (label, got): {wrong}"
    invented = sorted(set(got) - set(label["cells"]) - set(label.get("ignore_keys", [])))
    assert not invented, f"cells not in the text were reported: {invented}"
    facts = label["facts"]
    assert result.facts.agency == facts["agency"]
    assert result.facts.year == facts["year"]
    assert result.facts.format_version == facts["format_version"]
    assert result.facts.issued_on == facts["issued_on"]
    period = result.facts.period and {"start": result.facts.period.start, "end": result.facts.period.end}
    assert period == facts["period"]
    assert [(s.number, s.line) for s in result.facts.sections] == [(s["number"], s["line"]) for s in facts["sections"]]


@pytest.mark.parametrize("label_path", LABELS, ids=[p.stem for p in LABELS])
def test_seed_codes(label_path: Path) -> None:
    label, source = _load(label_path)
    result, doc = audit_path(source)
    codes = {f.code for f in result.findings}
    expected = set(label["codes"]["expected"])
    forbidden = set(label["codes"].get("forbidden", []))
    assert expected <= codes, f"missing {expected - codes}; got {sorted(codes)}"
    assert not (forbidden & codes), f"forbidden codes fired: {forbidden & codes}"
    # every finding cites a line whose original text contains the quote
    for f in result.findings:
        assert f.quote and f.line
        joined = "".join(doc.line(n).raw for n in range(f.line, min(doc.n, f.line + 6) + 1))
        assert "".join(f.quote.split()) in "".join(joined.split())


def test_acceptance_specifics() -> None:
    """The issue's named expectations for the seeds, spelled out."""
    by_seed = {}
    for path in LABELS:
        label, source = _load(path)
        result, _ = audit_path(source)
        by_seed[path.stem] = result
    s004 = by_seed["004"]
    assert {"P001", "P003", "S005"} <= {f.code for f in s004.findings}
    p001 = next(f for f in s004.findings if f.code == "P001")
    assert "2021 年 12 月 31 日" in p001.quote
    s000 = by_seed["000"]
    s006 = [f for f in s000.findings if f.code == "S006"]
    assert s006 and "applications.granted.total" in s006[0].cells
    assert s000.facts.cells["applications.granted.total"] is None  # blank stays null, never 0
    s002 = by_seed["002"]
    assert s002.facts.cells["active.licensing.change"] == 1  # "＋1"
    assert s002.facts.cells["active.other_services.1.decisions"] == 235
    assert s002.facts.cells["active.other_services.decisions"] == 235  # parent = sum of sub-rows
    for name in ("000", "001", "002", "003"):
        errors = [f"{f.code} {f.message}" for f in by_seed[name].findings if f.severity == "error"]
        assert not errors, f"seed {name}: false errors {errors}"
    assert all(t.layout == "pipe" for t in by_seed["003"].tables)
