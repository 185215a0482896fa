"""Batch API mode against a local fake of the Files + Batches endpoints: same outputs as online."""

from __future__ import annotations

import json
import random
import threading
import time
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from summarizer.cli import app
from testkit.fake_server import FakeOpenAI, chat_reply
from testkit.synth import generate

SUMMARY = json.dumps({"overall": [], "problems": [], "improvements": []})
JUDGE = json.dumps({"findings": [], "scores": []})


def answer_for(body: dict) -> str:
    return SUMMARY if '"overall"' in body["messages"][-1]["content"] else JUDGE


class FakeBatchAPI:
    """POST /v1/files, POST /v1/batches, GET /v1/batches/{id}, GET /v1/files/{id}/content.

    The batch stays in_progress until `finish()` answers every request with answer_for(); an
    optional `broken` set of custom_ids gets an invalid answer instead.
    """

    def __init__(self):
        self.chat_calls = 0  # online calls, served on the same base URL as a real provider does
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, dict] = {}
        self.broken: set[str] = set()
        self.lock = threading.Lock()

    def finish(self) -> None:
        for b in self.batches.values():
            lines = []
            for line in self.files[b["input_file_id"]].decode("utf-8").splitlines():
                req = json.loads(line)
                content = "{oops" if req["custom_id"] in self.broken else answer_for(req["body"])
                lines.append(json.dumps({"id": "x", "custom_id": req["custom_id"], "error": None,
                                         "response": {"status_code": 200, "request_id": "r",
                                                      "body": chat_reply(content).body}}))
            fid = f"file-out-{len(self.files)}"
            self.files[fid] = ("\n".join(lines) + "\n").encode("utf-8")
            n = len(lines)
            b.update(status="completed", output_file_id=fid, request_counts={"total": n, "completed": n, "failed": 0})

    def __enter__(self):
        api = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def _send(self, obj, raw: bytes | None = None):
                data = raw if raw is not None else json.dumps(obj).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802
                data = self.rfile.read(int(self.headers["content-length"]))
                if self.path.endswith("/chat/completions"):
                    with api.lock:
                        api.chat_calls += 1
                    self._send(chat_reply(answer_for(json.loads(data))).body)
                elif self.path.endswith("/files"):
                    msg = BytesParser(policy=HTTP).parsebytes(
                        f"content-type: {self.headers['content-type']}\r\n\r\n".encode() + data)
                    part = next(p for p in msg.iter_parts() if p.get_filename())
                    fid = f"file-{len(api.files)}"
                    api.files[fid] = part.get_payload(decode=True)
                    self._send({"id": fid, "object": "file", "bytes": len(api.files[fid]), "created_at": 0,
                                "filename": part.get_filename(), "purpose": "batch", "status": "processed"})
                else:
                    body = json.loads(data)
                    bid = f"batch_{len(api.batches)}"
                    api.batches[bid] = {"id": bid, "object": "batch", "endpoint": body["endpoint"],
                                        "input_file_id": body["input_file_id"], "completion_window": "24h",
                                        "status": "in_progress", "created_at": int(time.time()),
                                        "request_counts": {"total": 0, "completed": 0, "failed": 0}}
                    self._send(api.batches[bid])

            def do_GET(self):  # noqa: N802
                if self.path.endswith("/content"):
                    self._send(None, api.files[self.path.split("/")[-2]])
                else:
                    self._send(api.batches[self.path.rstrip("/").split("/")[-1]])

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def reports(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.txt").write_text(generate(random.Random(50 + i), "2021", "cells", None).text, encoding="utf-8")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("AUDIT_MODEL", "fake-model")
    return folder


def md_outputs(out: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("r*.md"))}


def test_submit_status_collect_gives_the_online_outputs(tmp_path, reports, monkeypatch):
    # the online reference run
    with FakeOpenAI(responder=lambda req: chat_reply(answer_for(req.body))) as online:
        monkeypatch.setenv("OPENAI_BASE_URL", online.base_url)
        res = CliRunner().invoke(app, [str(reports), "-o", str(tmp_path / "online"), "--cache-dir", str(tmp_path / "c1")])
        assert res.exit_code in (0, 1), res.output
        assert len(online.requests) == 6

    with FakeBatchAPI() as api:
        monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)
        out, cache = str(tmp_path / "batched"), str(tmp_path / "c2")
        sub = CliRunner().invoke(app, [str(reports), "-o", out, "--cache-dir", cache, "--llm-batch", "submit"])
        assert sub.exit_code == 0, sub.output
        lines = next(iter(api.files.values())).decode().splitlines()
        assert len(lines) == 6 and json.loads(lines[0])["url"] == "/v1/chat/completions"
        st = CliRunner().invoke(app, [str(reports), "-o", out, "--cache-dir", cache, "--llm-batch", "status"])
        assert "in_progress" in st.output
        early = CliRunner().invoke(app, [str(reports), "-o", out, "--cache-dir", cache, "--llm-batch", "collect"])
        assert early.exit_code == 2 and "尚未完成" in early.output
        api.finish()
        got = CliRunner().invoke(app, [str(reports), "-o", out, "--cache-dir", cache, "--llm-batch", "collect"])
        assert got.exit_code in (0, 1), got.output
        assert "6 个回答存入缓存" in got.output

    def strip_usage(md: dict[str, str]) -> dict[str, str]:
        # call counts, tokens and the "from cache" note are the only allowed differences
        keep = lambda line: line.strip() not in ("", ">") and not any(w in line for w in ("token", "缓存"))  # noqa: E731
        return {k: "\n".join(x for x in v.splitlines() if keep(x)) for k, v in md.items()}

    assert strip_usage(md_outputs(Path(out))) == strip_usage(md_outputs(tmp_path / "online"))
    results = json.loads((Path(out) / "results.json").read_text(encoding="utf-8"))
    assert all(r["llm"]["ran"] and r["llm"]["calls"] == 0 for r in results)  # no online call was needed


def test_invalid_batched_answers_fall_back_to_online_calls(tmp_path, reports, monkeypatch):
    with FakeBatchAPI() as api:
        monkeypatch.setenv("OPENAI_BASE_URL", api.base_url)
        args = [str(reports), "-o", str(tmp_path / "o"), "--cache-dir", str(tmp_path / "c")]
        assert CliRunner().invoke(app, args + ["--llm-batch", "submit"]).exit_code == 0
        manifest = json.loads((tmp_path / "o" / ".audit-state" / "llm-batch.json").read_text(encoding="utf-8"))
        assert set(manifest["requests"]) >= {"r0-summary", "r0-judge"}
        api.broken = {"r0-summary"}
        api.finish()
        got = CliRunner().invoke(app, args + ["--llm-batch", "collect"])
        assert got.exit_code in (0, 1) and "5 个回答存入缓存，1 个无效" in got.output
        assert api.chat_calls == 1  # only the invalid answer was asked again, online
        results = json.loads((tmp_path / "o" / "results.json").read_text(encoding="utf-8"))
        assert all(r["llm"]["ran"] for r in results)
        # a second submit finds everything cached and submits nothing
        again = CliRunner().invoke(app, args + ["--llm-batch", "submit"])
        assert again.exit_code == 0 and "无需提交" in again.output and len(api.batches) == 1
