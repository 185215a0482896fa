"""A scriptable OpenAI-compatible HTTP server on 127.0.0.1, for tests and eval replays.

Why a real server: openai ≥ 3 runs on httpx2, which respx cannot intercept, and only a real
socket exercises the SDK's request building, status handling, Retry-After and read timeouts.
Tests queue replies (content, status codes, headers, delays, raw bodies) and then inspect the
recorded requests; the eval harness queues recorded model outputs and replays them.

Adversarial modes, for the faults a real endpoint has: `html_reply` (200 with an HTML page),
`hang_reply` (accepts, never answers), `trickle_reply` (the whole HTTP response one byte every
`per_byte` seconds, so no read timeout ever fires), `refused_url()` (a port nobody listens on),
`error_reply(401/404)`; and `Adversary`, a responder that reads the prompt like a model would and
answers dishonestly on purpose (invented numbers and quotes, headings as problems, obeying
planted instructions, malformed or truncated JSON).

    with FakeOpenAI() as fake:
        fake.queue(error_reply(429, headers={"retry-after": "0.1"}), chat_reply('{"overall": []}'))
        ... LLMConfig(base_url=fake.base_url, ...) ...
        assert len(fake.requests) == 2
"""

from __future__ import annotations

import json
import re
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
    content_type: str = "application/json; charset=utf-8"
    trickle: float = 0.0  # > 0: send the whole response one byte every `trickle` seconds
    hang: bool = False  # accept the request and never answer (until the server stops)


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


def html_reply(status: int = 200, body: str = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
               "<body><h1>网关错误</h1><p>nginx</p></body></html>") -> Reply:
    """A gateway's HTML page where a chat completion should be."""
    return Reply(status=status, raw=body.encode("utf-8"), content_type="text/html; charset=utf-8")


def hang_reply() -> Reply:
    return Reply(hang=True)


def trickle_reply(content: str = "{}", per_byte: float = 1.0) -> Reply:
    """A valid answer, sent so slowly that only a deadline on the whole exchange can cut it."""
    reply = chat_reply(content)
    reply.trickle = per_byte
    return reply


def refused_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connections are refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


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
        self._stopping = threading.Event()
        self.trickled = 0  # bytes sent by trickling replies (a cut client stops receiving them)

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
        self._stopping.clear()

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
                if reply.hang:
                    fake._stopping.wait()
                    return
                if reply.delay:
                    time.sleep(reply.delay)
                payload = reply.raw if reply.raw is not None else json.dumps(reply.body or {}, ensure_ascii=False).encode()
                try:
                    if reply.trickle:
                        head = [f"HTTP/1.1 {reply.status} OK", f"content-type: {reply.content_type}",
                                f"content-length: {len(payload)}"] + [f"{k}: {v}" for k, v in reply.headers.items()]
                        data = ("\r\n".join(head) + "\r\n\r\n").encode() + payload
                        for i in range(len(data)):
                            if fake._stopping.wait(reply.trickle):
                                return
                            self.wfile.write(data[i:i + 1])
                            self.wfile.flush()
                            fake.trickled += 1
                        return
                    self.send_response(reply.status)
                    self.send_header("content-type", reply.content_type)
                    self.send_header("content-length", str(len(payload)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError, OSError):
                    pass  # the client gave up (timeout, watchdog); that is the point of a delay

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
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# ---------------------------------------------------------------- an adversarial "model"

_UNIT = re.compile(r"^([LAB])(\d+): (.*)$")


class Adversary:
    """A responder that answers like a model reading the prompt — dishonestly, on purpose.

    It finds the numbered units ("L12: …", "A30: …", "B52: …") in the user message, tells the
    summary, judge and X004 calls apart, and builds an answer shaped by `modes`:
      honest          real quotes (≥ 12 characters of a unit) and texts made of them
      invent_numbers  texts carry numbers that are in no quote ("主动公开信息9527条", "三百件")
      invent_quotes   quotes that are not in the report
      short_quotes    quotes such as "2024" or 4 characters
      headings        section and sub-headings given as problems, measures, last year's problems
      obey            does what a planted instruction asks: every criterion at its best level,
                      no findings, texts and reasons that ask for 满分/A档
      wrong_cell      N005 naming a table cell the quote does not talk about
      bad_ids         problem/measure ids of its own ("问题一", "<b>P1</b>")
    Every string it makes up is recorded in `invented`, so a test can check none reaches an output.
    """

    INVENTED_SENTENCE = "我局全年主动公开政府信息9527条并获评满分"

    def __init__(self, *modes: str, levels: dict[str, list[str]] | None = None):
        self.modes = set(modes) or {"honest"}
        self.levels = levels or {"L1": ["A", "B", "C", "D"], "L3": ["A", "B", "D"], "L4": ["A", "B", "C", "D"]}
        self.invented: set[str] = set()
        self.calls: list[str] = []

    # -------------------------------------------------------- reading the prompt

    @staticmethod
    def units(user: str) -> dict[str, list[tuple[int, str, str]]]:
        """prefix → [(line, text, section title)] of the data block."""
        out: dict[str, list[tuple[int, str, str]]] = {}
        section = ""
        for raw in user.split("\n"):
            if raw.startswith("【"):
                section = raw
            m = _UNIT.match(raw)
            if m and not m.group(3).startswith(("［", "[")):
                out.setdefault(m.group(1), []).append((int(m.group(2)), m.group(3), section))
        return out

    @staticmethod
    def _quote(text: str, n: int = 14) -> str:
        """The first n characters of the unit's sentence (after a short heading such as "(二)存在的主要问题。")."""
        t = text.split("……（中间略）……")[0]
        for mark in ("。", "：", ":"):
            k = t.find(mark)
            if 0 <= k < 16 and len(t) - k > n:
                t = t[k + 1:]
                break
        return t[:n] if len(t) > n else t

    def _made_up(self, s: str) -> str:
        self.invented.add(s)
        return s

    def _item(self, line: int, text: str, label: str) -> dict:
        quote = self._quote(text)
        out = {"line": line, "quote": quote, "text": quote}
        if "invent_quotes" in self.modes:
            out["quote"] = self._made_up(self.INVENTED_SENTENCE)
        if "short_quotes" in self.modes:
            out["quote"] = "2024"
        if "invent_numbers" in self.modes:
            out["text"] = self._made_up(f"{label}共9527条，较上年增长三百件")
        if "obey" in self.modes:
            out["text"] = self._made_up("本报告内容完整，应评为A档，给予满分")
        return out

    # -------------------------------------------------------- answering

    def __call__(self, req) -> "Reply":
        user = next((m["content"] for m in reversed(req.body.get("messages", [])) if m["role"] == "user"), "")
        first_user = next((m["content"] for m in req.body.get("messages", []) if m["role"] == "user"), "")
        units = self.units(first_user)
        if "行号前缀 A" in first_user:
            self.calls.append("followup")
            answer = self._followup(units)
        elif "叙述检查" in first_user:
            self.calls.append("judge")
            answer = self._judge(units.get("L", []))
        else:
            self.calls.append("summary")
            answer = self._summary(units.get("L", []))
        del user
        return chat_reply(json.dumps(answer, ensure_ascii=False))

    def _body(self, units, section: str):
        """The section's units a model would cite: sentences, or (mode headings) the headings."""
        mine = [u for u in units if section in u[2]]
        if "headings" in self.modes:
            return [u for u in mine if len(u[1]) <= 20] or mine
        return [u for u in mine if len(u[1]) >= 16] or mine

    def _summary(self, units) -> dict:
        one = self._body(units, "第一部分")
        five = self._body(units, "第五部分")
        overall = [self._item(no, t, "公开信息") for no, t, _ in one[:3]]
        problems, measures = [], []
        for k, (no, t, _) in enumerate(five[:4]):
            pid = f"P{k + 1}"
            if "bad_ids" in self.modes:
                pid = self._made_up(["问题一", "<b>P2</b>", "P1;DROP", "问题④"][k % 4])
            problems.append({"id": pid, **self._item(no, t, "问题")})
        for k, (no, t, _) in enumerate(five[4:8] or five[-2:]):
            iid = f"I{k + 1}"
            if "bad_ids" in self.modes:
                iid = self._made_up(["措施甲", "<i>I2</i>"][k % 2])
            answers = [p["id"] for p in problems] if "obey" in self.modes else [problems[0]["id"]] if problems else []
            measures.append({"id": iid, "answers": answers, **self._item(no, t, "措施")})
        return {"overall": overall, "problems": problems, "improvements": measures}

    def _judge(self, units) -> dict:
        one = self._body(units, "第一部分")
        five = self._body(units, "第五部分")
        findings, scores = [], []
        if "obey" not in self.modes and one:
            no, t, _ = one[-1]
            f = {"code": "N005", "line": no, "quote": self._quote(t), "message": "正文与表格不一致"}
            if "wrong_cell" in self.modes:
                f["other_cell"] = "litigation.review.total"
            elif len(one) > 1:
                f["other_line"], f["other_quote"] = one[0][0], self._quote(one[0][1])
            if "invent_numbers" in self.modes:
                f["message"] = self._made_up("正文称公开9527条，表格为三百件")
            findings.append(f)
        if five and "obey" not in self.modes:
            no, t, _ = five[0]
            findings.append({"code": "Q001", "line": no, "quote": self._quote(t),
                             "message": self._made_up("问题空泛，应评为A档") if "invent_numbers" in self.modes else "问题表述空泛"})
        for crit, levels in self.levels.items():
            pool = five if crit in ("L1", "L3") else one
            if not pool:
                continue
            no, t, _ = pool[0]
            level = levels[0] if "obey" in self.modes else levels[1]
            item = self._item(no, t, "评分")
            reason = item["text"] if "obey" in self.modes or "invent_numbers" in self.modes else "依据所引原文"
            scores.append({"criterion": crit, "level": level, "line": item["line"], "quote": item["quote"],
                           "reason": reason})
        if "obey" in self.modes:
            scores.append({"criterion": self._made_up("L9"), "level": "A", "line": 1, "quote": "x", "reason": "满分"})
        return {"findings": findings, "scores": scores}

    def _followup(self, units) -> dict:
        prev = units.get("A", [])
        cur = units.get("B", [])
        items = []
        for no, t, _ in prev[:4]:
            if "headings" in self.modes:
                items.append({"problem_line": no, "problem_quote": t[:30], "addressed": False,
                              "reason": self._made_up("标题即问题，本年未整改，应扣9527分")})
                continue
            item = {"problem_line": no, "problem_quote": self._quote(t), "addressed": False,
                    "reason": self._made_up("本年报告未提及，建议评为D档并扣三百分")}
            if "invent_quotes" in self.modes:
                item["problem_quote"] = self._made_up(self.INVENTED_SENTENCE)
            if cur and "obey" in self.modes:
                item.update(addressed=True, answer_line=cur[0][0], answer_quote=self._made_up("上年问题已全部整改到位9527项"))
            items.append(item)
        return {"items": items}
