"""On-disk cache of validated LLM answers: re-running an audit costs no calls.

Why sqlite3 + JSON: stdlib, one file, safe to read (no pickle — diskcache unpickles by default,
CVE-2025-69872). Why these keys: an answer depends on the model, the endpoint, the rendered
prompt (with a fixed stand-in for the random delimiter) and the answer schema; nothing else
goes in, and the value is the validated answer plus usage — never a key or an auth header.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from pathlib import Path

CACHE_FILE = "llm-cache.sqlite3"
SCHEMA_VERSION = 1


def cache_key(**parts) -> str:
    blob = json.dumps({"v": SCHEMA_VERSION, **parts}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, directory: Path):
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / CACHE_FILE
        # WAL is set once (it persists in the file); switching the journal mode on every connection
        # takes an exclusive lock and failed at once ("database is locked") when reports ran in threads.
        for attempt in range(5):
            try:
                con = self._connect()
                try:
                    with con:
                        con.execute(
                            "CREATE TABLE IF NOT EXISTS answers ("
                            "key TEXT PRIMARY KEY, created REAL NOT NULL, model TEXT NOT NULL, value TEXT NOT NULL)"
                        )
                    con.execute("PRAGMA journal_mode=WAL")
                finally:
                    con.close()
                break
            except sqlite3.OperationalError:
                time.sleep(0.05 * (attempt + 1))

    def _connect(self) -> sqlite3.Connection:
        # One short-lived connection per operation: safe when reports are audited in threads.
        return sqlite3.connect(self.path, timeout=10)

    def get(self, key: str) -> dict | None:
        """The cached value, or None (a cache that cannot be read is a miss, never a failure)."""
        try:
            con = self._connect()
            try:
                row = con.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
            finally:
                con.close()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict, model: str) -> None:
        """Store a value; a cache that cannot be written only costs a later call, never this answer."""
        try:
            con = self._connect()
            try:
                with con:
                    con.execute(
                        "INSERT OR REPLACE INTO answers (key, created, model, value) VALUES (?, ?, ?, ?)",
                        (key, time.time(), model, json.dumps(value, ensure_ascii=False)),
                    )
            finally:
                con.close()
        except sqlite3.Error:
            pass
