"""Endpoint faults against the loopback fake server: one hard deadline, answer errors, cut answers.

The real openai client runs against a real socket; nothing of ours is patched. Timing bounds are
generous upper bounds (budget + 2 s, as the issue states), never speed targets.
"""

import time

import pytest
from llm_fixtures import as_json, good_judge, good_summary, make_doc, make_result

from summarizer.llm import LLMConfig, run_llm
from summarizer.llm.client import Budget
from summarizer.render.llm_markdown import render_llm_sections
from testkit.fake_server import FakeOpenAI, chat_reply, hang_reply, html_reply, trickle_reply

KEY = "sk-test-FAULTS-0123456789"


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


def config(fake, tmp_path, **kw) -> LLMConfig:
    opts = dict(model="fake-model", base_url=fake.base_url, api_key=KEY, no_cache=True, cache_dir=tmp_path,
                budget_s=10.0, attempt_timeout_s=30.0)
    opts.update(kw)
    return LLMConfig(**opts)


def audit(cfg, **kw):
    result, doc = make_result(), make_doc()
    rule = [f.model_dump() for f in result.findings]
    run_llm(result, doc, cfg, **kw)
    assert [f.model_dump() for f in result.findings if f.source == "rule"] == rule
    return result


@pytest.mark.parametrize("reply", [trickle_reply(as_json(good_summary()), per_byte=1.0), hang_reply()],
                         ids=["one-byte-a-second", "hang"])
def test_a_trickling_or_hung_endpoint_is_cut_at_the_budget(fake, tmp_path, reply):
    fake.default = reply
    budget = 3.0
    start = time.monotonic()
    r = audit(config(fake, tmp_path, budget_s=budget))  # per-read timeout 30 s: only the watchdog can cut
    elapsed = time.monotonic() - start
    assert elapsed < budget + 2.0, elapsed
    assert not r.llm.ran and r.summary is None and r.llm.calls == 1
    assert any("时间预算" in n for n in r.llm.notes)
    assert r.llm.seconds <= budget + 0.5
    if reply.trickle:
        sent = fake.trickled
        time.sleep(2.5)
        assert fake.trickled <= sent + 1  # the watchdog closed the connection: the server stopped sending


def test_budget_clock_starts_at_the_first_request_and_counts_only_llm_work():
    b = Budget(5.0)
    time.sleep(0.2)
    assert b.remaining() == 5.0  # nothing charged before the first request
    b.begin()
    b.begin()  # overlapping work counts once
    time.sleep(0.2)
    b.end()
    b.end()
    used = b.used
    assert 0.15 < used < 1.0
    time.sleep(0.2)
    assert b.used == used  # waiting between phases (a queued X004 job) is not charged


def test_a_budget_already_spent_makes_no_request(fake, tmp_path):
    b = Budget(1.0)
    b.begin()
    time.sleep(1.0)
    b.end()
    r = audit(config(fake, tmp_path), budget=b)
    assert not fake.requests and not r.llm.ran and any("时间预算" in n for n in r.llm.notes)


def test_html_200_is_an_answer_error_with_its_first_bytes_and_the_other_call_still_runs(fake, tmp_path):
    fake.queue(html_reply(), chat_reply(as_json(good_judge())))
    r = audit(config(fake, tmp_path))
    assert len(fake.requests) == 2 and r.llm.ran
    note = next(n for n in r.llm.notes if "摘要" in n)
    assert "不是 JSON" in note and "text/html" in note and "<!DOCTYPE html><html><head><title>502" in note
    assert "内部错误" not in " ".join(r.llm.notes)
    assert r.summary is None and [f.code for f in r.findings if f.source == "llm"] == ["N005"]
    assert "502 Bad Gateway" in render_llm_sections(r)


@pytest.mark.parametrize("raw", [b"upstream timeout", b'{"error": "not a completion"}', b"\xff\xfe\x00garbage"])
def test_a_200_that_is_not_a_chat_completion_is_an_answer_error(fake, tmp_path, raw):
    from testkit.fake_server import Reply

    fake.queue(Reply(raw=raw), chat_reply(as_json(good_judge())))
    r = audit(config(fake, tmp_path))
    assert len(fake.requests) == 2 and r.llm.ran
    assert any("摘要" in n and ("不是 JSON" in n or "不是对话补全" in n) for n in r.llm.notes)


def test_an_answer_cut_by_length_is_asked_once_more_with_shorter_lists(fake, tmp_path):
    cut = as_json(good_summary())[:150]
    fake.queue(chat_reply(cut, finish_reason="length"), chat_reply(as_json(good_summary())),
               chat_reply(as_json(good_judge())))
    r = audit(config(fake, tmp_path))
    assert len(fake.requests) == 3 and r.summary is not None and len(r.summary["problems"]) == 2
    first, again = (req.body["messages"][-1]["content"] for req in fake.requests[:2])
    assert "最多 12 个" in first and "最多 8 个" in again and "截断" in again
    assert len(fake.requests[1].body["messages"]) == 2  # a fresh prompt, not the cut answer sent back
    assert [u["kind"] for u in r.llm.usage] == ["first", "reask-length", "first"]


def test_cut_twice_gives_up_on_that_call_only(fake, tmp_path):
    cut = as_json(good_summary())[:150]
    fake.queue(chat_reply(cut, finish_reason="length"), chat_reply(cut, finish_reason="length"),
               chat_reply(as_json(good_judge())))
    r = audit(config(fake, tmp_path))
    assert r.summary is None and any("截断" in n or "无效" in n for n in r.llm.notes) and r.llm.ran


def test_max_tokens_is_sized_per_call_and_capped_by_the_config(fake, tmp_path):
    fake.queue_content(as_json(good_summary()), as_json(good_judge()))
    audit(config(fake, tmp_path))
    assert [req.body["max_tokens"] for req in fake.requests] == [5000, 3000]
    fake.queue_content(as_json(good_summary()), as_json(good_judge()))
    audit(config(fake, tmp_path, max_tokens=2048))
    assert [req.body["max_tokens"] for req in fake.requests[2:]] == [2048, 2048]


def test_usage_is_recorded_per_request(fake, tmp_path):
    fake.queue(chat_reply(as_json(good_summary()), usage=(1800, 300)), chat_reply(as_json(good_judge()), usage=(2100, 200)))
    r = audit(config(fake, tmp_path))
    assert [(u["call"], u["prompt_tokens"], u["completion_tokens"]) for u in r.llm.usage] == \
        [("summary", 1800, 300), ("judge", 2100, 200)]
    assert "摘要 1,800+300、评审 2,100+200" in render_llm_sections(r)
