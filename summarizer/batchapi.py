"""The LLM work of a large batch through an OpenAI-compatible Batch API: submit, status, collect.

Why this shape: the Batch API (OpenAI, DashScope compatible mode, Zhipu, Moonshot) is half
price and has its own rate-limit pool, but answers come hours later. So:

  submit   audits every report deterministically, builds exactly the prompts the online mode
           would send (llm/tasks.py), skips those already in the LLM response cache, uploads one
           JSONL file (`files.create(purpose="batch")`), creates the batch
           (`batches.create(endpoint="/v1/chat/completions", completion_window="24h")`) and
           records it in <out>/.audit-state/llm-batch.json.
  status   `batches.retrieve` and prints its status and request counts.
  collect  downloads the output file, validates each answer like the online mode does, and
           stores valid ones in the LLM response cache under the online mode's cache key. Then
           the ordinary batch run (batch.run_batch) runs: every answer is a cache hit, so the
           outputs are the same as the online mode's; an answer that is missing or invalid is
           simply asked online (the re-ask path), and the run says so in the report's notes.

The cache key uses the fixed stand-in delimiter, as in tasks.Session.ask, so a batched answer and
an online answer to the same prompt share one entry. `openai` is imported only here, lazily.
Env AUDIT_BATCH_ENDPOINT overrides the endpoint path (e.g. Zhipu's /v4/chat/completions).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from .batch import STATE_DIR, Job, _deterministic, default_procs, write_atomic
from .models import AuditResult
from .pipeline import Options, llm_config

MANIFEST = "llm-batch.json"
DEFAULT_ENDPOINT = "/v1/chat/completions"
DONE_STATUSES = {"completed", "expired", "cancelled"}  # outputs (possibly partial) can be collected
FAILED_STATUSES = {"failed"}


class BatchAPIError(Exception):
    """A Batch API step could not be done; the message is safe to show (no key)."""


def _client(config):
    import openai

    return openai.OpenAI(api_key=config.key_for_client, base_url=config.base_url, max_retries=2,
                         timeout=config.attempt_timeout_s)


def _manifest_path(out_dir: Path) -> Path:
    return Path(out_dir) / STATE_DIR / MANIFEST


def _levels() -> dict:
    from . import rubric as rubric_mod

    return {c["id"]: {lv["id"] for lv in c["levels"]} for c in rubric_mod.llm_criteria()}


def build_requests(result: AuditResult, doc, config) -> list[dict]:
    """The online mode's requests for one report: [{call, key, body}], exactly as llm/tasks.py builds them."""
    from .llm.tasks import planned_requests

    return planned_requests(result, doc, config)


def submit(paths: list[str], opts: Options, out_dir: Path, procs: int = 0) -> dict:
    """Build and submit one batch for every LLM call not already cached; returns the manifest."""
    from .llm.cache import ResponseCache

    config = llm_config(opts)
    if config is None or not config.enabled:
        raise BatchAPIError(getattr(config, "skipped_reason", "") or "使用了 --no-llm，没有大模型工作可提交")
    cache = None if config.no_cache else ResponseCache(config.resolved_cache_dir())
    endpoint = os.environ.get("AUDIT_BATCH_ENDPOINT") or DEFAULT_ENDPOINT
    lines, requests, skipped_cached = [], {}, 0
    todo = [(i, p, None) for i, p in enumerate(paths)]
    for done in _deterministic(todo, Job(opts=opts, config=config, want_llm=True), procs or default_procs(), None):
        if done.doc is None:
            continue
        i, result, doc = done.index, done.whole(), done.doc
        for req in build_requests(result, doc, config):
            if cache is not None and cache.get(req["key"]) is not None:
                skipped_cached += 1
                continue
            custom_id = f"r{i}-{req['call']}"
            requests[custom_id] = {"key": req["key"], "call": req["call"], "file": paths[i]}
            lines.append(json.dumps({"custom_id": custom_id, "method": "POST", "url": endpoint,
                                     "body": req["body"]}, ensure_ascii=False))
    manifest = {"batch_id": None, "input_file_id": None, "endpoint": endpoint, "model": config.model,
                "base_url": config.endpoint_id, "created": time.time(), "requests": requests,
                "already_cached": skipped_cached}
    if lines:
        client = _client(config)
        jsonl = ("\n".join(lines) + "\n").encode("utf-8")
        try:
            uploaded = client.files.create(file=("audit-batch.jsonl", jsonl, "application/jsonl"), purpose="batch")
            batch = client.batches.create(input_file_id=uploaded.id, endpoint=endpoint, completion_window="24h",
                                          metadata={"tool": "gov-report-audit"})
        except Exception as exc:
            raise BatchAPIError(config.redact(f"提交 Batch 失败（{type(exc).__name__}: {exc}）")) from None
        manifest["batch_id"] = batch.id
        manifest["input_file_id"] = uploaded.id
    write_atomic(_manifest_path(out_dir), json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def load_manifest(out_dir: Path) -> dict:
    try:
        return json.loads(_manifest_path(out_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BatchAPIError(f"{_manifest_path(out_dir)} 不存在或无法读取：请先用 --llm-batch submit 提交") from None


def status(opts: Options, out_dir: Path) -> dict:
    """{status, counts, batch_id} of the submitted batch."""
    manifest = load_manifest(out_dir)
    if not manifest.get("batch_id"):
        return {"status": "nothing-submitted", "batch_id": None, "counts": {}, "requests": 0}
    config = llm_config(opts)
    try:
        batch = _client(config).batches.retrieve(manifest["batch_id"])
    except Exception as exc:
        raise BatchAPIError(config.redact(f"查询 Batch 失败（{type(exc).__name__}）")) from None
    counts = batch.request_counts.model_dump() if batch.request_counts else {}
    return {"status": batch.status, "batch_id": batch.id, "counts": counts, "requests": len(manifest["requests"]),
            "output_file_id": batch.output_file_id, "error_file_id": batch.error_file_id}


def collect(opts: Options, out_dir: Path) -> dict:
    """Store every valid batched answer in the LLM cache; returns counts. Raises if not finished."""
    from .llm.answers import AnswerError, JudgeAnswer, SummaryAnswer, parse_answer
    from .llm.cache import ResponseCache

    manifest = load_manifest(out_dir)
    out = {"stored": 0, "invalid": 0, "failed": 0, "missing": 0, "status": "nothing-submitted"}
    if not manifest.get("batch_id"):
        return out
    config = llm_config(opts)
    if config is None or not config.enabled:
        raise BatchAPIError("收取 Batch 结果需要与提交时相同的大模型配置")
    st = status(opts, out_dir)
    out["status"] = st["status"]
    if st["status"] in FAILED_STATUSES:
        raise BatchAPIError(f"Batch {st['batch_id']} 失败（status=failed）；可不带 --llm-batch 重新运行，改为在线调用")
    if st["status"] not in DONE_STATUSES:
        raise BatchAPIError(f"Batch {st['batch_id']} 尚未完成（status={st['status']}，"
                            f"{st['counts'].get('completed', 0)}/{st['counts'].get('total', 0)}）；稍后再收取")
    if config.no_cache:
        raise BatchAPIError("--no-cache 下无法收取：Batch 结果经由响应缓存交给审查流程")
    cache = ResponseCache(config.resolved_cache_dir())
    client = _client(config)
    answers = {"summary": SummaryAnswer, "judge": JudgeAnswer}
    context = {"judge": {"levels": _levels()}, "summary": None}
    seen = set()
    if st.get("output_file_id"):
        try:
            text = client.files.content(st["output_file_id"]).text
        except Exception as exc:
            raise BatchAPIError(config.redact(f"下载 Batch 结果失败（{type(exc).__name__}）")) from None
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                out["invalid"] += 1
                continue
            req = manifest["requests"].get(item.get("custom_id"))
            if req is None:
                continue
            seen.add(item["custom_id"])
            response = item.get("response") or {}
            body = response.get("body") or {}
            if item.get("error") or response.get("status_code") != 200 or not body.get("choices"):
                out["failed"] += 1
                continue
            content = (body["choices"][0].get("message") or {}).get("content") or ""
            try:
                answer = parse_answer(content, answers[req["call"]], context[req["call"]])
            except AnswerError:
                out["invalid"] += 1  # left to the online re-ask
                continue
            cache.put(req["key"], {"answer": answer.model_dump(mode="json")}, config.model or "")
            out["stored"] += 1
    out["missing"] = len(manifest["requests"]) - len(seen)
    return out
