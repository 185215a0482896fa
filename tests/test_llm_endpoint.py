"""The LLM layer end to end through the real openai client against a loopback fake server.

Nothing of ours is monkeypatched: the scripted server stands in for the model, so these tests
exercise the SDK, our retry policy, parsing, the re-ask, grounding, the cache and the output.
"""

import copy
import sqlite3
import subprocess
import sys
import time

import pytest
from llm_fixtures import as_json, good_judge, good_summary, make_doc, make_result

from summarizer.llm import LLMConfig, run_llm
from testkit.fake_server import FakeOpenAI, Reply, chat_reply, error_reply, refused_url
from summarizer.render.llm_markdown import render_llm_sections

KEY = "sk-test-SECRET-0123456789"


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


def config(fake, tmp_path, **kw) -> LLMConfig:
    opts = dict(model="fake-model", base_url=fake.base_url, api_key=KEY, cache_dir=tmp_path / "cache",
                budget_s=10.0, attempt_timeout_s=2.0)
    opts.update(kw)
    return LLMConfig(**opts)


def audit(cfg, lines=None):
    result, doc = make_result(lines), make_doc(lines)
    rule_findings = [f.model_dump() for f in result.findings]
    run_llm(result, doc, cfg)
    # The deterministic part is never touched, whatever the LLM did.
    assert [f.model_dump() for f in result.findings if f.source == "rule"] == rule_findings
    return result


def test_success_fills_summary_rubric_findings_and_usage(fake, tmp_path):
    fake.queue_content(as_json(good_summary()), as_json(good_judge()))
    r = audit(config(fake, tmp_path))
    assert r.llm.ran and r.llm.calls == 2 and r.llm.dropped == 0
    assert (r.llm.prompt_tokens, r.llm.completion_tokens) == (240, 80)  # the provider's usage, summed
    assert [p["line"] for p in r.summary["overall"]] == [4, 5, 7]
    assert r.summary["improvements"][0]["answers"] == ["P1"]
    n005 = [f for f in r.findings if f.source == "llm"]
    assert [(f.code, f.line, f.related[0].line) for f in n005] == [("N005", 6, 21)]
    # 53 by rules (S003 costs 1; R6 needs last year's report) + L1 12 + L2 10 (mapping) + L3 4 + L4 6
    assert (r.rubric["score"], r.rubric["assessable"], r.rubric["max"]) == (85, 94, 100)
    assert all(c["status"] == "scored" for c in r.rubric["criteria"] if c["kind"] == "llm")
    req = fake.requests[0]
    assert req.body["response_format"] == {"type": "json_object"}
    assert req.body["model"] == "fake-model"
    md = render_llm_sections(r)
    assert "## 摘要" in md and "## 评分" in md and "| L3 |" in md


def test_each_call_uses_a_fresh_random_delimiter(fake, tmp_path):
    fake.queue_content(as_json(good_summary()), as_json(good_judge()))
    audit(config(fake, tmp_path, no_cache=True))
    import re

    tags = [re.search(r"DATA-[0-9A-F]{12}", r.body["messages"][1]["content"]).group() for r in fake.requests]
    assert len(set(tags)) == 2
    user = fake.requests[0].body["messages"][1]["content"]
    assert user.rindex("再次提醒") > user.rindex(f"<<<{tags[0]} 结束>>>")  # rules restated after the data


def test_made_up_numbers_and_quotes_are_dropped_and_counted(fake, tmp_path):
    summary = good_summary()
    summary["overall"].append({"text": "主动公开信息300条", "line": 4, "quote": "我局主动公开政府信息126条"})  # number
    summary["overall"].append({"text": "开展培训", "line": 7, "quote": "开展政务公开培训十次"})  # quote
    summary["problems"].append({"id": "P3", "text": "信息不全", "line": 5, "quote": "全年共收到政府信息公开申请5件"})  # section
    judge = good_judge()
    judge["findings"].append({"code": "N005", "message": "申请数与表格不符", "line": 5, "quote": "共收到政府信息公开申请5件",
                              "other_cell": "applications.new.total"})  # the table agrees: no contradiction
    judge["scores"][0]["quote"] = "问题表述非常具体详实"  # not in the text: L1 becomes not scored
    fake.queue_content(as_json(summary), as_json(judge))
    r = audit(config(fake, tmp_path))
    assert r.llm.dropped == 5
    assert len(r.summary["overall"]) == 3 and len(r.summary["problems"]) == 2
    assert "5 items dropped as unverifiable" in r.summary["note"]
    assert any("5 items dropped as unverifiable" in n for n in r.llm.notes)
    l1 = next(c for c in r.rubric["criteria"] if c["id"] == "L1")
    assert l1["score"] is None and l1["status"] == "not scored"
    assert not r.rubric["complete"] and "not scored: L1" in r.rubric["statement"]
    assert [f.code for f in r.findings if f.source == "llm"] == ["N005"]
    assert "5 items dropped as unverifiable" in render_llm_sections(r)


def test_malformed_json_then_valid_reasks_once_with_the_error(fake, tmp_path):
    fake.queue_content('{"overall": [{"text": "缺引号}', as_json(good_summary()), as_json(good_judge()))
    r = audit(config(fake, tmp_path))
    assert len(fake.requests) == 3 and r.llm.calls == 3
    reask = fake.requests[1].body["messages"]
    assert reask[-2]["role"] == "assistant" and reask[-1]["role"] == "user"
    assert "JSON" in reask[-1]["content"]
    assert len(r.summary["overall"]) == 3


def test_schema_invalid_twice_gives_up_on_that_call_only(fake, tmp_path):
    bad = '{"overall": [{"line": "第四行", "quote": 1}]}'
    fake.queue_content(bad, bad, as_json(good_judge()))
    r = audit(config(fake, tmp_path))
    assert r.summary is None and r.llm.ran
    assert any("摘要" in n and "两次回答均无效" in n for n in r.llm.notes)
    assert all(c["score"] is not None for c in r.rubric["criteria"] if c["id"] in ("L1", "L3", "L4"))  # judge answered
    assert next(c for c in r.rubric["criteria"] if c["id"] == "L2")["status"] == "not scored"  # no mapping


def test_429_with_retry_after_is_honoured(fake, tmp_path):
    fake.queue(error_reply(429, "rate limited", headers={"retry-after": "1"}))
    fake.queue_content(as_json(good_summary()), as_json(good_judge()))
    r = audit(config(fake, tmp_path))
    gap = fake.requests[1].at - fake.requests[0].at
    assert 0.9 <= gap < 6.0  # Retry-After: 1 honoured (upper bound only catches a runaway wait)
    assert r.llm.ran and r.llm.calls == 3 and r.summary is not None
    assert any("重试 1 次" in n for n in r.llm.notes)


def test_500s_then_success(fake, tmp_path):
    fake.queue(error_reply(500, headers={"retry-after-ms": "10"}), error_reply(503, headers={"retry-after-ms": "10"}))
    fake.queue_content(as_json(good_summary()), as_json(good_judge()))
    r = audit(config(fake, tmp_path))
    assert r.llm.ran and r.summary is not None and r.llm.calls == 4
    assert all(req.headers.get("x-stainless-retry-count", "0") == "0" for req in fake.requests)  # SDK retries off


def test_timeouts_exhaust_the_budget_gracefully_and_in_bounded_time(fake, tmp_path):
    fake.default = Reply(body={}, delay=3.0)  # every request answers too late
    cfg = config(fake, tmp_path, budget_s=2.0, attempt_timeout_s=0.6)
    start = time.monotonic()
    r = audit(cfg)
    elapsed = time.monotonic() - start
    assert elapsed < 2.0 + 4.0  # bounded by the 2 s budget (+ slack for a loaded machine), not timeout × retries
    assert not r.llm.ran and r.summary is None
    assert "失败" in r.llm.skipped_reason
    assert any("确定性审核结果完整" in n for n in r.llm.notes)
    assert all(c["score"] is None for c in r.rubric["criteria"] if c["kind"] == "llm")
    assert r.rubric["rule_score"] == 53
    assert not any(f.source == "llm" for f in r.findings)
    assert KEY not in repr(r.model_dump())


def test_connection_refused_fails_fast_without_retrying(tmp_path):
    cfg = LLMConfig(model="m", base_url=refused_url(), api_key=KEY, cache_dir=tmp_path, budget_s=30, attempt_timeout_s=5)
    start = time.monotonic()
    r = audit(cfg)
    assert time.monotonic() - start < 5  # not retried until the 30 s budget is gone
    assert not r.llm.ran and r.llm.calls == 1 and any("连接被拒绝" in n for n in r.llm.notes)
    assert "端点不可用" in r.llm.skipped_reason and KEY not in repr(r.model_dump())


def test_endpoint_rejecting_json_schema_falls_back_to_json_object(fake, tmp_path):
    def responder(req):
        if req.body and req.body.get("response_format", {}).get("type") == "json_schema":
            return error_reply(400, "response_format type json_schema is unavailable")
        return None

    fake.responder = responder
    fake.queue_content(as_json(good_summary()), as_json(good_judge()))
    r = audit(config(fake, tmp_path, use_json_schema=True))
    formats = [req.body["response_format"]["type"] for req in fake.requests]
    assert formats == ["json_schema", "json_object", "json_object"]  # falls back once, for good
    assert r.summary is not None and all(c["status"] == "scored" for c in r.rubric["criteria"] if c["kind"] == "llm")
    assert any("json_schema" in n for n in r.llm.notes)
    # under json_schema the prompt carries no schema text; after the fallback it carries the example
    assert '"overall":[' not in fake.requests[0].body["messages"][1]["content"]
    assert '"overall":[' in fake.requests[1].body["messages"][1]["content"]


def test_json_schema_is_sent_when_supported(fake, tmp_path):
    fake.queue_content(as_json(good_summary()), as_json(good_judge()))
    audit(config(fake, tmp_path, use_json_schema=True))
    fmt = fake.requests[0].body["response_format"]
    assert fmt["type"] == "json_schema" and "overall" in fmt["json_schema"]["schema"]["properties"]


def test_reasoning_model_think_block_is_stripped(fake, tmp_path):
    draft = copy.deepcopy(good_summary())
    draft["overall"] = [{"text": "草稿：公开999条", "line": 4, "quote": "编造的草稿引文"}]
    content = f"<think>先列个草稿：{as_json(draft)} 再检查一遍。</think>\n{as_json(good_summary())}"
    fake.queue(chat_reply(content, reasoning_content="内部推理，不应出现在输出中"))
    fake.queue_content(as_json(good_judge()))
    r = audit(config(fake, tmp_path))
    assert r.llm.dropped == 0 and len(r.summary["overall"]) == 3
    dumped = repr(r.model_dump())
    assert "草稿" not in dumped and "内部推理" not in dumped


def test_cache_makes_rerun_free_and_never_stores_the_key(fake, tmp_path):
    fake.queue_content(as_json(good_summary()), as_json(good_judge()))
    first = audit(config(fake, tmp_path))
    second = audit(config(fake, tmp_path))
    assert len(fake.requests) == 2 and second.llm.calls == 0
    assert second.summary == first.summary and second.rubric == first.rubric
    assert any("缓存" in n for n in second.llm.notes)
    db = tmp_path / "cache" / "llm-cache.sqlite3"
    rows = sqlite3.connect(db).execute("SELECT key, model, value FROM answers").fetchall()
    assert len(rows) == 2
    blob = b"".join(p.read_bytes() for p in (tmp_path / "cache").iterdir())
    assert KEY.encode() not in blob and b"authorization" not in blob.lower()


def test_no_cache_calls_again(fake, tmp_path):
    fake.queue_content(as_json(good_summary()), as_json(good_judge()), as_json(good_summary()), as_json(good_judge()))
    audit(config(fake, tmp_path))
    r = audit(config(fake, tmp_path, no_cache=True))
    assert len(fake.requests) == 4 and r.llm.calls == 2


def test_missing_usage_is_estimated_and_said(fake, tmp_path):
    fake.queue(chat_reply(as_json(good_summary()), usage=None), chat_reply(as_json(good_judge()), usage=None))
    r = audit(config(fake, tmp_path))
    assert r.llm.prompt_tokens > 100 and any("估算" in n for n in r.llm.notes)


@pytest.mark.parametrize("status", [401, 404])
def test_401_and_404_fail_fast_and_do_not_echo_the_key(fake, tmp_path, status):
    fake.default = error_reply(status, f"Incorrect API key provided: {KEY}")
    r = audit(config(fake, tmp_path))
    assert not r.llm.ran and any(str(status) in n for n in r.llm.notes)
    assert len(fake.requests) == 1  # neither retried nor asked again for the judge call
    assert KEY not in repr(r.model_dump()) and KEY not in render_llm_sections(r)
    assert fake.requests[0].headers["authorization"] == f"Bearer {KEY}"  # it was sent, only to the endpoint


def test_not_configured_skips_without_importing_openai(tmp_path):
    code = (
        "import sys, os\n"
        "for k in ('OPENAI_API_KEY', 'OPENAI_BASE_URL', 'AUDIT_MODEL'): os.environ.pop(k, None)\n"
        "sys.path.insert(0, 'tests')\n"
        "from llm_fixtures import make_doc, make_result\n"
        "from summarizer.llm import LLMConfig, run_llm\n"
        "r = make_result(); cfg = LLMConfig.from_env(model=None)\n"
        "assert not cfg.enabled\n"
        "run_llm(r, make_doc(), cfg)\n"
        "assert 'openai' not in sys.modules, 'openai imported'\n"
        "print(r.llm.skipped_reason); print(r.rubric['statement'])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "OPENAI_API_KEY" in out
    assert "53 / 54 scored by rules; judgement criteria not scored (not assessable: R6)" in out


def test_from_env_reads_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", "https://user:pw@example.invalid/v1/")
    monkeypatch.setenv("AUDIT_MODEL", "env-model")
    cfg = LLMConfig.from_env(model=None, extra_body='{"thinking": {"type": "disabled"}}')
    assert cfg.enabled and cfg.model == "env-model" and cfg.extra_body == {"thinking": {"type": "disabled"}}
    assert LLMConfig.from_env(model="cli-model").model == "cli-model"
    assert KEY not in repr(cfg) and "pw" not in cfg.endpoint_id
    assert not LLMConfig.disabled().enabled
    monkeypatch.setenv("OPENAI_API_KEY", "sk-密钥")
    assert "ASCII" in LLMConfig.from_env().skipped_reason
