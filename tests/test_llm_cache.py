"""The response cache under threads (batch mode audits reports concurrently)."""

from __future__ import annotations

import threading

from summarizer.llm.cache import ResponseCache


def test_many_threads_open_write_and_read_one_cache(tmp_path):
    errors: list[str] = []

    def work(i: int) -> None:
        try:
            cache = ResponseCache(tmp_path)  # each report opens the cache itself
            cache.put(f"k{i}", {"answer": i}, "m")
            assert cache.get(f"k{i}") == {"answer": i}
        except Exception as exc:  # noqa: BLE001 - any failure is the bug under test
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(ResponseCache(tmp_path).get(f"k{i}") == {"answer": i} for i in range(24))


def test_unreadable_cache_is_a_miss_not_a_failure(tmp_path):
    cache = ResponseCache(tmp_path)
    cache.path.write_bytes(b"not a database at all" * 100)
    assert cache.get("k") is None
    cache.put("k", {"a": 1}, "m")  # must not raise
