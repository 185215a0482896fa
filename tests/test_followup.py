"""X004 (LLM, cross-year): last year's problems not addressed this year, with both sides verified."""

from __future__ import annotations

import json
import os
from pathlib import Path

from summarizer.batch import run_batch
from testkit.fake_server import FakeOpenAI, chat_reply
from summarizer.pipeline import Options
from testkit.synth import generate


def _section5_line(path: Path) -> tuple[int, str]:
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("五、"))
    for i in range(start + 1, len(lines)):
        if lines[i].strip():
            return i + 1, lines[i].strip()
    raise AssertionError("no section 五 body")


def test_unaddressed_problem_of_last_year_is_reported_with_both_quotes(tmp_path, monkeypatch):
    rep = generate(51, "2021", "cells", None)
    y = rep.facts["year"]
    prev, cur = tmp_path / f"{y}.txt", tmp_path / f"{y + 1}.txt"
    prev.write_text(rep.text, encoding="utf-8")
    cur_text = rep.text.replace(str(y + 1), "@N@").replace(str(y), str(y + 1)).replace("@N@", str(y + 2))
    cur.write_text(cur_text, encoding="utf-8")
    line, text = _section5_line(prev)
    followup = {"items": [
        {"problem_line": line, "problem_quote": text[:15], "addressed": False, "reason": "本年报告未提及该问题的整改"},
        {"problem_line": line, "problem_quote": "去年报告里没有的一句话", "addressed": False, "reason": "编造"},
    ]}

    def responder(req):
        body = json.dumps(req.body, ensure_ascii=False)
        if "problem_quote" in body:
            return chat_reply(json.dumps(followup, ensure_ascii=False))
        return chat_reply("{}")  # summary / judge: nothing to say

    with FakeOpenAI(responder=responder) as fake:
        for k in [k for k in os.environ if k.startswith(("OPENAI", "AUDIT_"))]:
            monkeypatch.delenv(k, raising=False)
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", "k")
        results = run_batch([str(prev), str(cur)], Options(model="fake-model", no_cache=True), progress=False)
    x4 = [f for f in results[1].findings if f.code == "X004"]
    assert len(x4) == 1, [f.code for f in results[1].findings]
    f = x4[0]
    assert f.source == "llm" and f.severity == "warning"
    assert f.quote.startswith("五、")
    assert f.related and f.related[0].line == line and len(f.related[0].quote) >= 10 and f.related[0].quote in text
    assert results[1].llm.dropped >= 1  # the invented problem quote
    assert not [g for g in results[0].findings if g.code == "X004"]
