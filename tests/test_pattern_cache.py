"""summarizer/pattern_cache.py: a stored pattern is the very pattern re.compile builds, and a
missing, damaged or foreign cache file only costs time."""

from __future__ import annotations

import importlib
import marshal
import pkgutil
import re

import pytest

import summarizer
from summarizer import pattern_cache

SAMPLES = [
    (r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2})\s*月", 0),
    (r"^\s*[一二三四五六七八]\s*[、.．]\s*(.{2,40}?)$", re.M),
    (r"deepseek|GPT-?\d", re.I),
    (r"(?<![\d.])\d{1,3}(?:[,，]\d{3})+(?![\d.])|[個們僅務區]+", 0),
]
TEXTS = ["2021年12月", "二〇二一年三月", "三、依申请公开\n四、复议", "DeepSeek gpt4", "1,234 與 個們", ""]


@pytest.fixture()
def cache_file(tmp_path, monkeypatch):
    path = tmp_path / "__pycache__" / "patterns.test.marshal"
    monkeypatch.setattr(pattern_cache.sys, "dont_write_bytecode", False)
    pattern_cache.reset(path)
    yield path
    pattern_cache.reset(pattern_cache.Path(pattern_cache.__file__).parent / "__pycache__"
                        / f"patterns.{pattern_cache._TAG}.marshal")


def _same(a: re.Pattern, b: re.Pattern) -> None:
    assert a == b and a.groupindex == b.groupindex and a.groups == b.groups and a.flags == b.flags
    for text in TEXTS:
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
        assert [m.groupdict() for m in a.finditer(text)] == [m.groupdict() for m in b.finditer(text)]


def test_compiled_stored_and_rebuilt_patterns_equal_re_compile(cache_file):
    first = [pattern_cache.compile(p, f) for p, f in SAMPLES]
    assert pattern_cache.save() is True and cache_file.exists()
    stored = pattern_cache.read(cache_file)
    assert {(p, int(f)) for p, f in SAMPLES} <= set(stored)
    pattern_cache.reset(cache_file)  # a new start: patterns come from the file
    again = [pattern_cache.compile(p, f) for p, f in SAMPLES]
    for (p, f), a, b in zip(SAMPLES, first, again):
        _same(a, re.compile(p, f))
        _same(b, re.compile(p, f))
    assert pattern_cache.save() is False  # nothing new to write


def test_damaged_or_foreign_file_falls_back_to_re_compile(cache_file):
    cache_file.parent.mkdir(parents=True)
    for content in (b"\x00garbage", marshal.dumps({"tag": "another-python", "programs": {}}), b""):
        cache_file.write_bytes(content)
        pattern_cache.reset(cache_file)
        assert pattern_cache.read(cache_file) == {}
        p, f = SAMPLES[0]
        _same(pattern_cache.compile(p, f), re.compile(p, f))
    # a program the engine refuses is dropped, never used
    key = (SAMPLES[0][0], 0)
    cache_file.write_bytes(marshal.dumps({"tag": pattern_cache._TAG, "programs": {key: (0, [999999], 0, {}, (None,))}}))
    pattern_cache.reset(cache_file)
    _same(pattern_cache.compile(*key), re.compile(*key))


def test_nothing_written_when_bytecode_is_not_written_or_folder_unwritable(cache_file, monkeypatch, tmp_path):
    pattern_cache.compile(r"政府信息公开\d+", 0)
    monkeypatch.setattr(pattern_cache.sys, "dont_write_bytecode", True)
    assert pattern_cache.save() is False and not cache_file.exists()
    monkeypatch.setattr(pattern_cache.sys, "dont_write_bytecode", False)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")  # the cache's folder cannot be made (works as root too)
    assert pattern_cache.save(blocked / "__pycache__" / "patterns.marshal") is False
    assert pattern_cache.save() is True  # the new program is still waiting to be written


def test_every_pattern_of_the_package_equals_re_compile():
    """Whatever is in this machine's cache, each module-level pattern is the one re builds."""
    seen = 0
    for mod in pkgutil.walk_packages(summarizer.__path__, "summarizer."):
        if mod.name.startswith(("summarizer.readers.ocr", "summarizer.llm")):
            continue  # optional extras; their patterns go through the same function
        module = importlib.import_module(mod.name)
        for value in vars(module).values():
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                assert value == re.compile(value.pattern, value.flags), (mod.name, value.pattern[:60])
                seen += 1
    assert seen > 80
