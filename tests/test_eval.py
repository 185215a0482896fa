"""Tests of the eval harness: the metrics on hand-computed examples, the label files' shape,
and a smoke run of eval.run on a tiny generated dataset (no corpus needed)."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `eval` is a folder of the repo, not an installed package
from eval import metrics as M  # noqa: E402
from eval import run as R  # noqa: E402

# ---------------------------------------------------------------- metrics


def test_same_value():
    assert M.same_value(103.9, 103.9)
    assert M.same_value(5, 5.0)
    assert M.same_value(None, None)
    assert not M.same_value(None, 0)
    assert not M.same_value(0, None)
    assert not M.same_value(1, 2)


def test_cell_scores_counts_missing_wrong_and_spurious():
    lab = {"a.x.y": 1, "a.x.z": None, "a.q.y": 3, "ign.r.c": 9}
    got = {"a.x.y": 1, "a.x.z": 0, "b.x.y": 7, "ign.r.c": 1}
    s = M.cell_scores(lab, got, complete=True, ignore=["ign.*"])
    assert (s["labelled"], s["correct"], s["wrong"], s["missing"], s["spurious"]) == (3, 1, 1, 1, 1)
    s2 = M.cell_scores(lab, got, complete=False, ignore=["ign.*"])
    assert s2["spurious"] == 0
    assert M.cell_accuracy([s]) == pytest.approx(1 / 4)


def test_meta_scores_agency_options_sections_and_period():
    label = {"agency": ["甲区人民政府", "某市甲区人民政府"], "year": 2023, "period": {"start": "2023-01-01", "end": "2023-12-31"},
             "issued_on": None, "sections": [{"number": 1, "line": 3}, {"number": 2}]}
    facts = {"agency": "某市甲区人民政府", "year": 2023, "period": {"start": "2023-01-01", "end": "2023-12-31", "line": 5},
             "issued_on": None, "sections": [{"number": 1, "line": 3}, {"number": 2, "line": 40}]}
    assert M.meta_scores(label, facts) == {"agency": True, "year": True, "period": True, "issued_on": True, "sections": True}
    facts["sections"] = [{"number": 1, "line": 4}, {"number": 2, "line": 40}]
    facts["issued_on"] = "2024-01-10"
    out = M.meta_scores(label, facts)
    assert out["sections"] is False and out["issued_on"] is False
    assert M.meta_accuracy([out])["all"] == pytest.approx(3 / 5)


def test_code_outcome_and_prf():
    o1 = M.code_outcome({"A004": "why"}, {"S007": "maybe"}, ["A004", "S007", "P002"])
    o2 = M.code_outcome(["A004", "N001"], [], ["N001"])
    assert o1 == {"tp": {"A004"}, "fn": set(), "fp": {"P002"}}
    table = M.per_code_prf([o1, o2])
    assert table["A004"]["recall"] == pytest.approx(0.5)
    assert table["P002"]["precision"] == 0.0
    micro = table["_micro"]
    assert (micro["tp"], micro["fp"], micro["fn"]) == (2, 1, 1)
    assert micro["f1"] == pytest.approx(2 / 3)
    assert M.prf(0, 0, 0)["precision"] is None  # nothing measured is not a perfect score


def test_false_alarm_rate():
    assert M.false_alarm_rate([set(), {"P002"}, [], []]) == pytest.approx(0.25)
    assert M.false_alarm_rate([]) is None


def test_coverage_and_honesty():
    outs = [
        M.table_outcome({"recoverable": True, "accept": ["parsed"]}, "parsed", 20),
        M.table_outcome({"recoverable": True, "accept": ["parsed"]}, "missing", 0),
        M.table_outcome({"recoverable": False, "accept": ["unparsed"]}, "unparsed", 0),
        M.table_outcome({"recoverable": False, "accept": ["unparsed"]}, "partial", 3),
    ]
    c = M.coverage(outs)
    assert c["parse_coverage"] == pytest.approx(0.5)
    assert c["honest_unparsed"] == pytest.approx(0.5)
    assert c["status_agreement"] == pytest.approx(0.5)


def test_cohen_kappa_known_values():
    # textbook example: 50 items, agreement 0.7, chance 0.5 -> 0.4
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert M.cohen_kappa(a, b) == pytest.approx(0.4)
    assert M.cohen_kappa([1, 1], [1, 1]) == 1.0
    assert M.cohen_kappa([], []) is None
    assert M.cohen_kappa([1, 0, 1, 0], [0, 1, 0, 1]) == pytest.approx(-1.0)


def test_spearman_with_ties():
    assert M.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert M.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # ties get average ranks: x ranks 1.5,1.5,3,4 ; y ranks 1,2,3,4
    rho = M.spearman([1, 1, 2, 3], [1, 2, 3, 4])
    assert rho == pytest.approx(0.9486832980505138)
    assert M.spearman([1, 2], [1, 2]) is None
    assert M.spearman([1, 1, 1], [1, 2, 3]) is None


def test_grounding_rate():
    assert M.grounding_rate(49, 50) == pytest.approx(0.98)
    assert M.grounding_rate(0, 0) is None


def test_thresholds_and_deltas():
    h = {"seeds.cell_accuracy": 0.9, "mutation.false_alarm_rate": 0.1, "real.code_f1": None}
    th = {"min": {"seeds.cell_accuracy": 0.95, "real.code_f1": 0.1}, "max": {"mutation.false_alarm_rate": 0.0}}
    fails = R.check_thresholds(h, th)
    assert len(fails) == 3  # below min, above max, and unmeasured
    d = R.deltas({"x": 0.5, "y": None}, {"x": 0.25})
    assert d == {"x": 0.25, "y": None}


# ---------------------------------------------------------------- label files


def _all_labels():
    for ds in ("seeds", "real"):
        yield from R.load_labels(R.DATASETS / ds)


def test_label_files_follow_the_schema():
    from summarizer.schema import all_keys

    for lab in _all_labels():
        for field in ("id", "kind", "source", "facts", "tables", "cells", "codes"):
            assert field in lab, (lab["_file"], field)
        fmt = lab["facts"]["format_version"]
        known = set(all_keys(fmt))
        for key in lab["cells"]:
            parts = key.split(".")
            base = ".".join([parts[0], parts[1], parts[-1]])
            assert base in known, (lab["_file"], key)
        codes = lab["codes"]
        assert not set(codes.get("expected", {})) & set(codes.get("forbidden", {})), lab["_file"]
        for name, t in lab["tables"].items():
            assert name in R.TABLES and {"recoverable", "accept"} <= set(t) <= {"recoverable", "accept", "unrecoverable_rows"}, lab["_file"]
        assert not lab["source"].startswith("/"), "sources are relative to the repo"


def test_seed_labels_carry_the_known_codes():
    seeds = {lab["id"]: lab for lab in R.load_labels(R.DATASETS / "seeds")}
    assert {"P001", "P003", "S005"} <= set(seeds["seed-004"]["codes"]["expected"])
    assert {"S006", "P002"} <= set(seeds["seed-000"]["codes"]["expected"])
    assert "P002" in seeds["seed-002"]["codes"]["expected"]
    assert seeds["seed-000"]["cells"]["applications.granted.total"] is None
    assert seeds["seed-002"]["cells"]["active.other_services.change"] == 1


# ---------------------------------------------------------------- smoke run


def _tiny_dataset(tmp_path: Path) -> Path:
    """Two generated reports labelled from the generator's truth: one clean, one with a defect."""
    synth = pytest.importorskip("testkit.synth")
    root = tmp_path / "datasets"
    (root / "seeds").mkdir(parents=True)
    for i, defect in enumerate((None, "a004_litigation_total")):
        rep = synth.generate(random.Random(i), fmt="2021", layout="cells", defect=defect)
        src = tmp_path / f"r{i}.txt"
        src.write_text(rep.text, encoding="utf-8")
        facts = {k: rep.facts.get(k) for k in ("agency", "year", "format_version") if k in rep.facts}
        label = {"id": f"tiny-{i}", "kind": "seed", "source": str(src), "facts": facts,
                 "tables": {t: {"recoverable": True, "accept": ["parsed"]} for t in R.TABLES},
                 "cells": rep.cells, "cells_complete": True,
                 "codes": {"expected": {c: "planted" for c in rep.expected_codes}, "optional": {}, "forbidden": {}}}
        (root / "seeds" / f"{i}.json").write_text(json.dumps(label, ensure_ascii=False), encoding="utf-8")
    return root


def test_smoke_run_on_a_tiny_dataset(tmp_path):
    pytest.importorskip("summarizer.audit")
    root = _tiny_dataset(tmp_path)
    th = tmp_path / "th.toml"
    th.write_text('[offline.min]\n"seeds.cell_accuracy" = 0.5\n', encoding="utf-8")
    out = tmp_path / "results"
    rc = R.main(["--datasets", str(root), "--only", "seeds", "--out", str(out), "--thresholds", str(th)])
    assert rc == 0
    data = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert data["seeds"]["summary"]["reports"] == 2
    assert "seeds.cell_accuracy" in data["headline"]
    assert (out / "latest.md").read_text(encoding="utf-8").startswith("# Eval results")
    # a second run reports deltas against the saved one
    rc = R.main(["--datasets", str(root), "--only", "seeds", "--out", str(out), "--thresholds", str(th)])
    data = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert data["deltas"]["seeds.cell_accuracy"] == pytest.approx(0.0)
    # an impossible gate fails the run
    th.write_text('[offline.min]\n"seeds.cell_accuracy" = 1.01\n', encoding="utf-8")
    assert R.main(["--datasets", str(root), "--only", "seeds", "--no-save", "--out", str(out), "--thresholds", str(th)]) == 1


def test_missing_corpus_file_is_skipped_with_a_note(tmp_path):
    lab = {"id": "gone", "source": "../nowhere/absent.txt", "facts": {}, "tables": {}, "cells": {}, "codes": {}}
    res = R.eval_labelled([lab], lambda p: pytest.fail("must not audit an absent file"))
    assert res["summary"]["reports"] == 0
    assert "not found" in res["notes"][0]


def test_narrative_replay_runs_the_pipeline():
    pytest.importorskip("testkit.fake_server")
    cases = [c for c in R.load_labels(R.DATASETS / "narrative") if c["id"] in ("nar-boilerplate", "nar-ungrounded")]
    res = R.eval_narrative(cases, "replay", None)
    assert "skipped" not in res, res.get("skipped")
    s = res["summary"]
    assert s["cases"] == 2
    assert s["calls_per_report"] == 2
    assert 0 < s["grounding_rate"] < 1  # the planted quote is dropped
    assert s["q_agreement"] == 1.0


def test_live_record_saves_replayable_answers(tmp_path, monkeypatch):
    """--live --record against an endpoint (here the local fake) writes recorded answers that replay."""
    import json
    import shutil

    from eval import run as R
    from testkit.fake_server import FakeOpenAI, chat_reply

    root = tmp_path / "datasets"
    shutil.copytree(R.DATASETS / "narrative", root / "narrative")
    case = sorted((root / "narrative").glob("*.json"))[0]
    rec_name = json.loads(case.read_text(encoding="utf-8"))["id"] + ".json"
    scripted = json.loads((root / "narrative" / "recorded" / rec_name).read_text(encoding="utf-8"))
    for f in (root / "narrative").glob("*.json"):
        if f != case:
            f.unlink()
    (root / "narrative" / "recorded" / rec_name).unlink()
    replies = [chat_reply(r["content"]) for r in scripted["responses"]]
    with FakeOpenAI(replies) as fake:
        for k in [k for k in __import__("os").environ if k.startswith(("OPENAI", "AUDIT_"))]:
            monkeypatch.delenv(k, raising=False)
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "k")
        rc = R.main(["--live", "--record", "--model", "fake-model", "--only", "narrative", "--no-save",
                     "--datasets", str(root), "--out", str(tmp_path / "out")])
    assert rc == 0
    saved = json.loads((root / "narrative" / "recorded" / rec_name).read_text(encoding="utf-8"))
    assert saved["recorded"] == "live" and len(saved["responses"]) >= 1
    assert all(json.loads(r["content"]) for r in saved["responses"])  # validated answers, as JSON
    assert "k" not in json.dumps(saved).split('"')  # no key anywhere
