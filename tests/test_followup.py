"""X004 (LLM, cross-year): last year's problems not addressed this year, with both sides verified,
last year's quote a problem sentence (not a heading), and the message in our own words."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from summarizer.batch import run_batch
from summarizer.pipeline import Options
from testkit.fake_server import Adversary, FakeOpenAI, chat_reply
from testkit.synth import generate


def _section5(path: Path) -> tuple[int, list[tuple[int, str]]]:
    """(heading line, [(line, text)] of the body) of section 五."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("五、"))
    body = []
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("六、"):
            break
        if lines[i].strip():
            body.append((i + 1, lines[i].strip()))
    return start + 1, body


@pytest.fixture
def pair(tmp_path):
    rep = generate(51, "2021", "cells", None)
    y = rep.facts["year"]
    prev, cur = tmp_path / f"{y}.txt", tmp_path / f"{y + 1}.txt"
    prev.write_text(rep.text, encoding="utf-8")
    cur_text = rep.text.replace(str(y + 1), "@N@").replace(str(y), str(y + 1)).replace("@N@", str(y + 2))
    cur.write_text(cur_text, encoding="utf-8")
    return prev, cur


def _env(monkeypatch, fake):
    for k in [k for k in os.environ if k.startswith(("OPENAI", "AUDIT_"))]:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "k")


def _responder(followup: dict):
    def responder(req):
        body = json.dumps(req.body, ensure_ascii=False)
        if "行号前缀 A" in body:
            return chat_reply(json.dumps(followup, ensure_ascii=False))
        return chat_reply("{}")  # summary / judge: nothing to say
    return responder


def test_unaddressed_problem_of_last_year_is_reported_with_both_quotes(pair, monkeypatch):
    prev, cur = pair
    heading, body = _section5(prev)
    line, text = next((n, t) for n, t in body if "存在的主要问题" in t)
    quote = text[text.index("一是"):][:15]
    rect_line, rect = next((n, t) for n, t in body if "整改情况" in t)
    followup = {"items": [
        {"problem_line": line, "problem_quote": quote, "addressed": False,
         "reason": "本年报告未提及该问题的整改，建议评为D档"},
        {"problem_line": rect_line, "problem_quote": rect[:20], "addressed": False, "reason": "整改段落不是问题"},
        {"problem_line": line, "problem_quote": "去年报告里没有的一句话", "addressed": False, "reason": "编造"},
        {"problem_line": heading, "problem_quote": "五、存在的主要问题及改进情况", "addressed": False, "reason": "标题"},
    ]}
    with FakeOpenAI(responder=_responder(followup)) as fake:
        _env(monkeypatch, fake)
        results = run_batch([str(prev), str(cur)], Options(model="fake-model", no_cache=True), progress=False)
    x4 = [f for f in results[1].findings if f.code == "X004"]
    assert len(x4) == 1, [f.code for f in results[1].findings]
    f = x4[0]
    assert f.source == "llm" and f.severity == "warning"
    assert f.quote.startswith("五、")
    assert f.related and f.related[0].line == line and len(f.related[0].quote) >= 10 and f.related[0].quote in text
    assert "评为D档" not in f.message and "未提及" not in f.message  # the model's reason is not shown
    assert results[1].llm.dropped >= 3  # the invented quote, the heading and the rectification paragraph
    assert not [g for g in results[0].findings if g.code == "X004"]
    assert [u["call"] for u in results[1].llm.usage].count("followup") == 1


@pytest.mark.parametrize("mode", ["headings", "invent_quotes", "obey"])
def test_adversarial_followup_answers_never_reach_the_output(pair, monkeypatch, mode):
    prev, cur = pair
    adversary = Adversary(mode)
    with FakeOpenAI(responder=adversary) as fake:
        _env(monkeypatch, fake)
        results = run_batch([str(prev), str(cur)], Options(model="fake-model", no_cache=True), progress=False)
    assert "followup" in adversary.calls
    dumped = json.dumps([r.to_public() for r in results], ensure_ascii=False)
    for s in adversary.invented:
        assert s not in dumped, s
    for f in results[1].findings:
        if f.code == "X004":  # last year's quote: a problem sentence, not a heading or a rectification report
            quote = f.related[0].quote
            assert not quote.startswith(("五、", "（一）上一年度问题整改情况", "（三）改进措施")) and len(quote) >= 8
