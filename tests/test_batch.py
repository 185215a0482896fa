"""Batch runs: parallel = sequential, resume from saved state, atomic outputs, overview, LLM concurrency."""

from __future__ import annotations

import csv
import json
import random
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer import outputs
from summarizer.batch import StateStore, input_key, options_fingerprint, run_batch, write_atomic
from summarizer.cli import app
from testkit.fake_server import FakeOpenAI, chat_reply
from summarizer.pipeline import Options, llm_config
from testkit.synth import generate

EMPTY_SUMMARY = json.dumps({"overall": [], "problems": [], "improvements": []})
EMPTY_JUDGE = json.dumps({"findings": [], "scores": []})


def make_reports(folder: Path, n: int, defects: dict[int, str] | None = None) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        fmt = "2019" if i % 3 == 0 else "2021"
        rep = generate(random.Random(1000 + i), fmt, "cells", (defects or {}).get(i))
        p = folder / f"r{i:03d}.txt"
        p.write_text(rep.text, encoding="utf-8")
        paths.append(str(p))
    return paths


def public(results):
    return [r.to_public() for r in results]


@pytest.fixture(autouse=True)
def no_llm_env(monkeypatch):
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "AUDIT_MODEL", "CI"):
        monkeypatch.delenv(k, raising=False)


def test_process_pool_gives_the_same_results_in_input_order(tmp_path):
    paths = make_reports(tmp_path / "in", 40, {3: "period_two_years", 17: "a001_balance"})
    opts = Options(no_llm=True)
    seq = run_batch(paths, opts, procs=1, progress=False)
    par = run_batch(paths, opts, procs=2, progress=False)
    assert [r.file for r in par] == paths
    assert public(par) == public(seq)
    assert {f.code for f in par[3].findings} >= {"P001"}
    assert {f.code for f in par[17].findings} >= {"A001"}


def test_rerun_redoes_only_what_was_not_finished_and_outputs_match(tmp_path):
    paths = make_reports(tmp_path / "in", 36, {5: "n001_received"})
    out = tmp_path / "out"
    opts = Options(no_llm=True)
    s1: dict = {}
    run_batch(paths, opts, out_dir=out, procs=2, progress=False, stats=s1)
    assert s1["cached"] == 0 and s1["audited"] == 36 and s1["saved"] == 36
    first = {p.name: p.read_bytes() for p in out.glob("*") if p.is_file()}
    assert len(list((out / ".audit-state").glob("*.json"))) == 36

    # simulate a run killed after two thirds: the state of 12 reports is missing
    fp = options_fingerprint(opts, llm_config(opts))
    store = StateStore(out)
    for p in paths[::3]:
        store._path(input_key(p, fp)).unlink()
    s2: dict = {}
    run_batch(paths, opts, out_dir=out, procs=2, progress=False, stats=s2)
    assert s2["cached"] == 24 and s2["audited"] == 12
    second = {p.name: p.read_bytes() for p in out.glob("*") if p.is_file()}
    # results from the state render byte for byte like fresh ones; the xlsx zip carries its
    # write time, so its cells are compared instead of its bytes
    xlsx_first, xlsx_second = first.pop("overview.xlsx", None), second.pop("overview.xlsx", None)
    assert second == first
    if xlsx_first is not None:
        assert _xlsx_values(xlsx_second) == _xlsx_values(xlsx_first)

    s3: dict = {}
    run_batch(paths, opts, out_dir=out, progress=False, stats=s3)
    assert s3["cached"] == 36 and s3["audited"] == 0


def _xlsx_values(data: bytes) -> list[list]:
    import io

    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_other_options_or_changed_bytes_are_not_served_from_state(tmp_path):
    paths = make_reports(tmp_path / "in", 4)
    out = tmp_path / "out"
    run_batch(paths, Options(no_llm=True), out_dir=out, progress=False)
    s: dict = {}
    run_batch(paths, Options(no_llm=True, select=["A"]), out_dir=out, progress=False, stats=s)
    assert s["cached"] == 0
    Path(paths[0]).write_text(Path(paths[0]).read_text(encoding="utf-8") + "\n附：补充说明。\n", encoding="utf-8")
    s = {}
    run_batch(paths, Options(no_llm=True), out_dir=out, progress=False, stats=s)
    assert s["cached"] == 3 and s["audited"] == 1
    s = {}
    run_batch(paths, Options(no_llm=True), out_dir=out, progress=False, resume=False, stats=s)
    assert s["cached"] == 0 and s["audited"] == 4


def test_a_corrupt_state_file_is_ignored(tmp_path):
    paths = make_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    run_batch(paths, Options(no_llm=True), out_dir=out, progress=False)
    for f in (out / ".audit-state").glob("*.json"):
        f.write_text("{half", encoding="utf-8")
    s: dict = {}
    results = run_batch(paths, Options(no_llm=True), out_dir=out, progress=False, stats=s)
    assert s["cached"] == 0 and len(results) == 2 and not any(r.error for r in results)


def test_write_atomic_never_leaves_half_a_file(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    write_atomic(target, "old\n")

    def boom(src, dst):
        raise KeyboardInterrupt  # a kill between writing and renaming

    monkeypatch.setattr(outputs.os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new " * 100000)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_overview_ranks_by_errors_and_links_every_report(tmp_path):
    paths = make_reports(tmp_path / "in", 6, {4: "a001_balance"})
    out = tmp_path / "out"
    results = run_batch(paths, Options(no_llm=True), out_dir=out, progress=False)
    worst = max(range(6), key=lambda i: results[i].counts()["error"])
    assert worst == 4
    index = (out / "index.md").read_text(encoding="utf-8")
    first_row = next(line for line in index.splitlines() if line.startswith("| 1 |"))
    assert "(r004.txt.md)" in first_row
    for i in range(6):
        assert f"(r{i:03d}.txt.md)" in index and (out / f"r{i:03d}.txt.md").exists()
    rows = list(csv.DictReader((out / "overview.csv").open(encoding="utf-8-sig")))  # CLI.md: with a BOM
    assert [r["rank"] for r in rows] == [str(n) for n in range(1, 7)]
    assert rows[0]["report"] == "r004.txt.md" and int(rows[0]["errors"]) >= 1
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(out / "overview.xlsx")["报告"]
    assert ws.max_row == 7
    assert ws.cell(row=2, column=2).value == "r004.txt"  # the input's name, linked to its output file
    assert ws.cell(row=2, column=2).hyperlink.target == "r004.txt.md"


def test_cli_batch_exit_status_and_no_progress_noise_when_piped(tmp_path):
    paths = make_reports(tmp_path / "in", 3, {1: "period_two_years"})
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["--no-llm", str(tmp_path / "in"), "-o", str(out)])
    assert res.exit_code == 1  # one report has an error finding
    assert "\x1b[" not in res.output
    res2 = CliRunner().invoke(app, ["--no-llm", str(tmp_path / "in"), "-o", str(out)])
    assert res2.exit_code == 1
    assert "3/3" in res2.output  # the note that saved results were reused (stderr is mixed in)
    clean = CliRunner().invoke(app, ["--no-llm", paths[0], paths[2], "-o", str(tmp_path / "o2")])
    assert clean.exit_code == 0


def test_progress_is_off_under_ci(monkeypatch):
    from summarizer.progress import should_show

    class Tty:
        def isatty(self):
            return True

    assert should_show(Tty()) is True
    monkeypatch.setenv("CI", "true")
    assert should_show(Tty()) is False


class Counting:
    """A responder that answers both calls after `delay` and records the peak number in flight."""

    def __init__(self, delay: float):
        self.delay, self.now, self.peak = delay, 0, 0
        self.lock = threading.Lock()

    def __call__(self, req):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(self.delay)
        with self.lock:
            self.now -= 1
        user = req.body["messages"][-1]["content"]
        return chat_reply(EMPTY_SUMMARY if '"overall"' in user else EMPTY_JUDGE)


def llm_env(monkeypatch, fake):
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("AUDIT_MODEL", "fake-model")


def test_llm_calls_run_concurrently_within_the_bound(tmp_path, monkeypatch):
    paths = make_reports(tmp_path / "in", 12)
    counting = Counting(0.3)
    with FakeOpenAI(responder=counting) as fake:
        llm_env(monkeypatch, fake)
        opts = Options(cache_dir=tmp_path / "cache", llm_budget=20)
        results = run_batch(paths, opts, out_dir=tmp_path / "out", jobs=4, procs=1, progress=False)
        calls = len(fake.requests)
    assert all(r.llm.ran for r in results)
    assert calls == 24
    # concurrency is shown by overlapping requests, not by wall time (machines are noisy; the
    # speed-up is measured in bench/batch_bench.py)
    assert 2 <= counting.peak <= 4


def test_failed_llm_work_is_not_saved_and_is_retried(tmp_path, monkeypatch):
    paths = make_reports(tmp_path / "in", 2)
    out = tmp_path / "out"
    with FakeOpenAI(default=chat_reply("not json at all")) as fake:
        llm_env(monkeypatch, fake)
        opts = Options(cache_dir=tmp_path / "cache", llm_budget=5)
        s: dict = {}
        results = run_batch(paths, opts, out_dir=out, procs=1, progress=False, stats=s)
        assert not any(r.llm.ran for r in results) and s["saved"] == 0
        fake.default = None
        fake.responder = Counting(0.0)
        s = {}
        results = run_batch(paths, opts, out_dir=out, procs=1, progress=False, stats=s)
        assert s["cached"] == 0 and s["saved"] == 2 and all(r.llm.ran for r in results)
        s = {}
        run_batch(paths, opts, out_dir=out, procs=1, progress=False, stats=s)
        assert s["cached"] == 2


def test_streamed_results_json_equals_the_machine_renderer(tmp_path):
    from summarizer.batch import write_json_array
    from summarizer.render import machine

    paths = make_reports(tmp_path / "in", 3)
    results = run_batch(paths, Options(no_llm=True), progress=False)
    for subset in (results, results[:1], []):
        write_json_array(tmp_path / "r.json", subset)
        assert (tmp_path / "r.json").read_text(encoding="utf-8") == machine.to_json(subset) + "\n"
