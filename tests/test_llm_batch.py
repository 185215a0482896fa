"""The LLM layer inside a batch: fail fast once per batch, X004 in the reports' job pool, one
budget per report that covers its X004 call too. Real openai client, loopback fake server."""

from __future__ import annotations

import json
import os
import random
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.batch import run_batch
from summarizer.cli import app
from summarizer.pipeline import Options
from testkit.fake_server import FakeOpenAI, chat_reply, error_reply, hang_reply, refused_url
from testkit.synth import generate

KEY = "sk-test-BATCH-SECRET-42"


def _env(monkeypatch, base_url: str):
    for k in [k for k in os.environ if k.startswith(("OPENAI", "AUDIT_"))]:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("AUDIT_MODEL", "fake-model")


def _reports(tmp_path: Path, n: int) -> list[str]:
    out = []
    for i in range(n):
        p = tmp_path / f"r{i}.txt"
        p.write_text(generate(random.Random(40 + i), "2021", "cells", None).text, encoding="utf-8")
        out.append(str(p))
    return out


def _pair(tmp_path: Path) -> list[str]:
    rep = generate(random.Random(51), "2021", "cells", None)
    y = rep.facts["year"]
    prev, cur = tmp_path / f"p{y}.txt", tmp_path / f"p{y + 1}.txt"
    prev.write_text(rep.text, encoding="utf-8")
    cur.write_text(rep.text.replace(str(y + 1), "@N@").replace(str(y), str(y + 1)).replace("@N@", str(y + 2)),
                   encoding="utf-8")
    return [str(prev), str(cur)]


@pytest.mark.parametrize("kind", ["refused", "401", "404"])
def test_an_unusable_endpoint_is_reported_once_and_the_batch_runs_without_it(tmp_path, monkeypatch, capsys, kind):
    paths = _reports(tmp_path, 3) + _pair(tmp_path)
    baseline = run_batch(paths, Options(no_llm=True), progress=False)
    with FakeOpenAI(default=error_reply(int(kind) if kind != "refused" else 500, f"bad key {KEY}")) as fake:
        url = refused_url() if kind == "refused" else fake.base_url
        _env(monkeypatch, url)
        start = time.monotonic()
        results = run_batch(paths, Options(cache_dir=tmp_path / "c", llm_budget=60), progress=False, jobs=2)
        elapsed = time.monotonic() - start
        requests = len(fake.requests)
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if "端点不可用" in ln]
    assert len(lines) == 1, err
    assert url.rstrip("/") in lines[0] and "fake-model" in lines[0] and KEY not in err
    assert elapsed < 30  # fails fast: nowhere near 5 reports × 60 s of retries
    assert requests <= 2  # at most the reports already in flight asked (jobs=2)
    for r, b in zip(results, baseline):
        assert [f.model_dump() for f in r.findings if f.source == "rule"] == [f.model_dump() for f in b.findings]
        assert not r.llm.ran and "端点不可用" in (r.llm.skipped_reason + " ".join(r.llm.notes))
        assert KEY not in json.dumps(r.to_public(), ensure_ascii=False)


def test_cli_names_the_unusable_endpoint_once_and_keeps_the_exit_status(tmp_path, monkeypatch):
    paths = _reports(tmp_path, 2)
    _env(monkeypatch, refused_url())
    base = CliRunner().invoke(app, ["--no-llm", *paths, "--format", "json"])
    res = CliRunner().invoke(app, [*paths, "--format", "json", "--cache-dir", str(tmp_path / "c")])
    assert res.exit_code == base.exit_code
    assert res.stderr.count("端点不可用") == 1 and KEY not in res.stderr + res.stdout


def test_x004_runs_in_the_report_pool_not_after_the_batch(tmp_path, monkeypatch):
    """With one slow unrelated report, the pair's X004 call is made while that report still waits."""
    paths = _pair(tmp_path) + _reports(tmp_path, 1)
    times: dict[str, list[float]] = {"followup": [], "slow": []}
    lock = threading.Lock()
    slow_text = Path(paths[2]).read_text(encoding="utf-8")

    def responder(req):
        body = json.dumps(req.body, ensure_ascii=False)
        with lock:
            if "行号前缀 A" in body:
                times["followup"].append(time.monotonic())
                return chat_reply('{"items": []}')
        if _is_report(body, slow_text):
            time.sleep(2.0)
            with lock:
                times["slow"].append(time.monotonic())
        return chat_reply("{}")

    with FakeOpenAI(responder=responder) as fake:
        _env(monkeypatch, fake.base_url)
        results = run_batch(paths, Options(no_cache=True, llm_budget=30), progress=False, jobs=4)
    assert len(times["followup"]) == 1 and len(times["slow"]) == 2
    assert times["followup"][0] < max(times["slow"])  # not queued behind the whole batch
    assert [u["call"] for u in results[1].llm.usage] == ["summary", "judge", "followup"]


def _is_report(body: str, text: str) -> bool:
    """Whether a request carries the text of this report (its agency line is unique per seed)."""
    first = next(ln for ln in text.split("\n") if ln.strip())
    return first.strip()[:12] in body


def test_the_budget_of_a_report_covers_its_x004_call(tmp_path, monkeypatch):
    paths = _pair(tmp_path)

    def responder(req):
        body = json.dumps(req.body, ensure_ascii=False)
        if "行号前缀 A" in body:
            return hang_reply()  # X004 hangs: the report's remaining budget must cut it
        time.sleep(0.5)
        return chat_reply("{}")

    budget = 3.0
    with FakeOpenAI(responder=responder) as fake:
        _env(monkeypatch, fake.base_url)
        start = time.monotonic()
        results = run_batch(paths, Options(no_cache=True, llm_budget=budget), progress=False, jobs=2)
        elapsed = time.monotonic() - start
    cur = results[1]
    assert cur.llm.seconds <= budget + 0.5
    assert any("X004" in n and "时间预算" in n for n in cur.llm.notes)
    assert elapsed < 2 * budget + 4  # own calls and X004 together, not a second full budget
