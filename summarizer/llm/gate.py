"""One endpoint, one verdict per batch: once it is known to be unreachable, stop asking it.

Why: an endpoint that refuses connections, does not resolve, or answers 401/403/404 will do so
for every report. Retrying each report until its budget runs out would turn a typo in
OPENAI_BASE_URL into hours of waiting. The first such failure trips the gate: one line on stderr
naming the base URL and the model (never the key), once per batch; every later report skips
the LLM and says why; the deterministic audit runs in full either way.
"""

from __future__ import annotations

import sys
import threading
from typing import TextIO

from .config import LLMConfig


class EndpointGate:
    def __init__(self, config: LLMConfig, stream: TextIO | None = None):
        self.config = config
        self.stream = stream
        self.reason = ""
        self._lock = threading.Lock()

    @property
    def closed(self) -> bool:
        return bool(self.reason)

    def skipped_reason(self) -> str:
        return (f"大模型端点不可用（{self.config.endpoint_id}，模型 {self.config.model}：{self.reason}），"
                "本批次不再调用大模型，仅输出确定性审查结果")

    def trip(self, reason: str) -> None:
        """Record the endpoint as unusable; the first call prints the one stderr line."""
        with self._lock:
            if self.reason:
                return
            self.reason = self.config.redact(reason)
            line = (f"audit: 大模型端点不可用：{self.config.endpoint_id}（模型 {self.config.model}）："
                    f"{self.reason}；本批次其余报告不再调用大模型，只输出确定性审查结果\n")
        stream = self.stream or sys.stderr
        try:
            stream.write(self.config.redact(line))
            stream.flush()
        except (OSError, ValueError):
            pass
