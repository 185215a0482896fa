"""A model that answers dishonestly on purpose, through the real client and the whole pipeline.

For every mode of testkit.fake_server.Adversary, checked on generated reports of both formats:
  - the deterministic findings and the exit-relevant severities are exactly those of --no-llm;
  - no string the adversary made up appears in the JSON or markdown output;
  - every quote shown is the report's own text on the line it cites (or its paragraph);
  - every number in a model-written text shown occurs in that item's own quote(s);
  - ids are ours (P1, I1…); at most 2 requests per report; the key never appears.
"""

from __future__ import annotations

import json
import random
import re

import pytest

from summarizer.audit import audit_text
from summarizer.document import to_document
from summarizer.llm import LLMConfig, run_llm
from summarizer.llm.grounding import normalize, ungrounded_numbers
from summarizer.render.llm_markdown import render_llm_sections
from testkit.fake_server import Adversary, FakeOpenAI
from testkit.synth import generate

KEY = "sk-test-ADVERSARY-77"
MODES = ["honest", "invent_numbers", "invent_quotes", "short_quotes", "headings", "obey", "wrong_cell", "bad_ids"]


def _in_report(doc, line: int, quote: str) -> bool:
    """The quote is on its line or starts there and runs on over the following lines."""
    want = normalize(quote)
    joined = "".join(normalize(doc.lines[n - 1].raw) for n in range(line, min(doc.n, line + 12) + 1))
    return joined.startswith(want) or want in normalize(doc.lines[line - 1].raw) or want in joined


def check_output(result, doc, adversary: Adversary):
    public = json.dumps(result.to_public(), ensure_ascii=False)
    md = render_llm_sections(result)
    for s in adversary.invented:
        assert s not in public and s not in md, s
    assert KEY not in public and KEY not in md
    s = result.summary or {}
    for kind in ("overall", "problems", "improvements"):
        for item in s.get(kind, []):
            assert _in_report(doc, item["line"], item["quote"]), item
            assert not ungrounded_numbers(item["text"], [item["quote"]]), item
            if kind != "overall":
                assert re.fullmatch(r"[PI]\d+", item["id"]), item["id"]
    for m in s.get("improvements", []):
        assert all(re.fullmatch(r"P\d+", a) for a in m["answers"])
    for f in result.findings:
        if f.source != "llm":
            continue
        assert _in_report(doc, f.line, f.quote)
        quotes = [f.quote] + [r.quote for r in f.related]
        from decimal import Decimal

        assert not ungrounded_numbers(f.message, quotes, {Decimal(str(v)) for v in f.cells.values() if v is not None})
    for c in result.rubric["criteria"]:
        for ev in c.get("evidence", []):
            assert _in_report(doc, ev["line"], ev["quote"])
        if c.get("judged_reason"):
            assert not ungrounded_numbers(c["judged_reason"], [e["quote"] for e in c.get("evidence", [])])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed,fmt", [(11, "2021"), (12, "2019")])
def test_nothing_the_adversary_invents_reaches_the_output(mode, seed, fmt, tmp_path):
    text = generate(random.Random(seed), fmt, "cells", None).text
    baseline = audit_text(text, "r.txt")
    result = audit_text(text, "r.txt")
    doc = to_document(text, "r.txt", "utf-8")
    adversary = Adversary(mode)
    with FakeOpenAI(responder=adversary) as fake:
        cfg = LLMConfig(model="m", base_url=fake.base_url, api_key=KEY, no_cache=True, budget_s=20)
        run_llm(result, doc, cfg)
        calls = len(fake.requests)
    assert [f.model_dump() for f in result.findings if f.source == "rule"] == [f.model_dump() for f in baseline.findings]
    assert result.has_error_finding == baseline.has_error_finding
    assert calls <= 2 and result.llm.calls == calls  # well-formed answers: no re-ask
    check_output(result, doc, adversary)
    if mode == "honest":  # the checks above are not vacuous: an honest answer is kept
        assert result.summary["overall"] and result.summary["problems"] and result.summary["improvements"]
        assert all(c["score"] is not None for c in result.rubric["criteria"] if c["id"] in ("L1", "L4"))
    if mode in ("invent_quotes", "short_quotes", "invent_numbers"):
        assert result.llm.dropped > 0


def test_malformed_answers_cost_one_reask_each_and_nothing_else(tmp_path):
    text = generate(random.Random(13), "2021", "cells", None).text
    result = audit_text(text, "r.txt")
    doc = to_document(text, "r.txt", "utf-8")
    replies = iter(['{"overall": [{"line": "四", "quote": 5}', "<html>不是 JSON</html>", '{"findings": "无"}',
                    "{'scores': []}"])

    def responder(req):
        from testkit.fake_server import chat_reply

        return chat_reply(next(replies))

    with FakeOpenAI(responder=responder) as fake:
        run_llm(result, doc, LLMConfig(model="m", base_url=fake.base_url, api_key=KEY, no_cache=True, budget_s=20))
        assert len(fake.requests) == 4  # each call: the answer, one re-ask with the error, then give up
    assert not result.llm.ran and result.summary is None
    notes = " ".join(result.llm.notes)
    assert "两次回答均无效" in notes and "不是 JSON</html>" not in notes  # reply text is not echoed
