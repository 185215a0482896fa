"""A scriptable OpenAI-compatible HTTP server on 127.0.0.1, for tests and eval replays.

Why a real server: openai ≥ 3 runs on httpx2, which respx cannot intercept, and only a real
socket exercises the SDK's request building, status handling, Retry-After and read timeouts.
Tests queue replies (content, status codes, headers, delays, raw bodies) and then inspect the
recorded requests; the eval harness queues recorded model outputs and replays them.

    with FakeOpenAI() as fake:
        fake.queue(error_reply(429, headers={"retry-after": "0.1"}), chat_reply('{"overall": []}'))
        ... LLMConfig(base_url=fake.base_url, ...) ...
        assert len(fake.requests) == 2
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Reply:
    status: int = 200
    body: dict | None = None
    raw: bytes | None = None  # sent as is instead of body (malformed responses)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeouts)


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None
    at: float


def chat_reply(content: str, *, reasoning_content: str | None = None, finish_reason: str = "stop",
               usage: tuple[int, int] | None = (120, 40), model: str = "fake-model", delay: float = 0.0) -> Reply:
    """A chat.completion whose message content is `content`."""
    message: dict = {"role": "assistant", "content": content}
    if reasoning_content is not None:
        message["reasoning_content"] = reasoning_content
    body: dict = {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
    }
    if usage is not None:
        body["usage"] = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
    return Reply(body=body, delay=delay)


def error_reply(status: int, message: str = "error", *, headers: dict[str, str] | None = None,
                delay: float = 0.0) -> Reply:
    return Reply(status=status, body={"error": {"message": message, "type": "fake_error", "code": status}},
                 headers=headers or {}, delay=delay)


class FakeOpenAI:
    """Serves POST …/chat/completions from a queue (or a responder function) and records every request."""

    def __init__(self, replies: list[Reply] | None = None,
                 responder: Callable[[RecordedRequest], Reply | None] | None = None,
                 default: Reply | None = None):
        self._queue: deque[Reply] = deque(replies or [])
        self.responder = responder
        self.default = default
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ scripting

    def queue(self, *replies: Reply) -> "FakeOpenAI":
        with self._lock:
            self._queue.extend(replies)
        return self

    def queue_content(self, *contents: str) -> "FakeOpenAI":
        return self.queue(*(chat_reply(c) for c in contents))

    @property
    def pending(self) -> int:
        return len(self._queue)

    def _next(self, req: RecordedRequest) -> Reply:
        if self.responder is not None:
            reply = self.responder(req)
            if reply is not None:
                return reply
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        return self.default or error_reply(500, "fake server: no scripted reply left")

    # ------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> "FakeOpenAI":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def _record(self) -> RecordedRequest:
                length = int(self.headers.get("content-length") or 0)
                data = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(data) if data else None
                except json.JSONDecodeError:
                    body = None
                req = RecordedRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                      body, time.monotonic())
                with fake._lock:
                    fake.requests.append(req)
                return req

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body or {}, ensure_ascii=False).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json; charset=utf-8")
                    self.send_header("content-length", str(len(payload)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout); that is the point of a delay

            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                req = self._record()
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(error_reply(404, f"fake server: unknown path {self.path}"))
                    return
                self._send(fake._next(req))

            def do_GET(self) -> None:  # noqa: N802
                self._record()
                self._send(Reply(body={"object": "list", "data": [{"id": "fake-model", "object": "model"}]}))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
