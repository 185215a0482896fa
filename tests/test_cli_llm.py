"""The `audit` command end to end against the local fake OpenAI-compatible server.

Checks the wiring the unit tests of the LLM layer cannot: environment configuration reaches the
real client, verified LLM output lands in JSON and markdown, unverifiable output is dropped and
counted, a failing endpoint leaves the deterministic audit and exit status intact, and the key
never appears in any output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testkit import synth
from testkit.fake_server import FakeOpenAI, chat_reply, error_reply

SECRET = "sk-test-SECRET-never-print-9f8e7d"


def _run(args: list[str], base_url: str, cache: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "AUDIT_"))}
    env.update(OPENAI_API_KEY=SECRET, OPENAI_BASE_URL=base_url, AUDIT_MODEL="fake-model",
               AUDIT_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-m", "summarizer.cli", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def _line_with(text: str, needle: str) -> tuple[int, str]:
    for no, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return no, line.strip()
    raise AssertionError(needle)


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    r = synth.generate(21, fmt="2021", layout="cells")
    path = tmp_path / "r.txt"
    path.write_text(r.text, encoding="utf-8")
    return path


def test_verified_llm_output_reaches_json_and_markdown(report: Path, tmp_path: Path):
    text = report.read_text(encoding="utf-8")
    line, quote = _line_with(text, "一、总体情况")
    body_line = line + 1
    body = text.split("\n")[body_line - 1].strip()
    good = {"overall": [{"line": body_line, "quote": body[:12], "text": "总体情况要点"}],
            "problems": [], "improvements": []}
    invented = {"line": body_line, "quote": "这句话报告里根本没有出现过", "text": "编造的要点"}
    summary = dict(good, overall=good["overall"] + [invented])
    judge = {"findings": [], "scores": []}

    def responder(req):
        system = json.dumps(req.body, ensure_ascii=False)
        return chat_reply(json.dumps(summary if "overall" in system and "scores" not in system else judge,
                                     ensure_ascii=False))

    with FakeOpenAI(responder=responder) as fake:
        p = _run([str(report), "--format", "json", "--no-cache"], fake.base_url, tmp_path / "cache")
        calls = len(fake.requests)
    assert p.returncode in (0, 1), p.stderr
    data = json.loads(p.stdout)[0]
    assert data["llm"]["ran"] is True
    assert 1 <= calls <= 4
    assert data["llm"]["dropped"] >= 1  # the invented quote
    kept = (data["summary"] or {}).get("overall", [])
    assert kept, data["llm"]  # the grounded key point survives
    assert all("根本没有" not in k["quote"] for k in kept)
    assert SECRET not in p.stdout and SECRET not in p.stderr


def test_failing_endpoint_keeps_deterministic_audit_and_exit_status(report: Path, tmp_path: Path):
    baseline = subprocess.run([sys.executable, "-m", "summarizer.cli", str(report), "--no-llm", "--format", "json"],
                              capture_output=True, text=True, timeout=120)
    with FakeOpenAI(default=error_reply(500, f"boom {SECRET}")) as fake:
        p = _run([str(report), "--format", "json", "--llm-budget", "3"], fake.base_url, tmp_path / "cache")
    assert p.returncode == baseline.returncode
    got, want = json.loads(p.stdout)[0], json.loads(baseline.stdout)[0]
    assert [f["code"] for f in got["findings"]] == [f["code"] for f in want["findings"]]
    assert got["facts"] == want["facts"]
    assert got["summary"] is None and got["llm"]["notes"]
    assert SECRET not in p.stdout and SECRET not in p.stderr
    cache_files = list((tmp_path / "cache").rglob("*"))
    assert all(SECRET.encode() not in f.read_bytes() for f in cache_files if f.is_file())
