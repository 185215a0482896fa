"""summarizer/data_cache.py: the parsed TOML data is the file's, whatever the cache holds."""

from __future__ import annotations

import os
import tomllib

import pytest

from summarizer import data_cache


@pytest.fixture()
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(data_cache, "CACHE_DIR", tmp_path / "__pycache__")
    monkeypatch.setattr(data_cache.sys, "dont_write_bytecode", False)
    return tmp_path / "__pycache__"


def test_cached_data_follows_the_file(tmp_path, cache_dir):
    src = tmp_path / "checks.toml"
    src.write_text('[A001]\nseverity = "error"\ntitle = "合计"\n', encoding="utf-8")
    first = data_cache.load_toml(src)
    assert first == tomllib.loads(src.read_text(encoding="utf-8"))
    assert len(list(cache_dir.glob("checks.*.toml.marshal"))) == 1
    assert data_cache.load_toml(src) == first  # from the cache
    src.write_text('[A001]\nseverity = "warning"\ntitle = "合计"\n', encoding="utf-8")
    os.utime(src, ns=(1, 1))  # even with an old time stamp, the size or time differs
    assert data_cache.load_toml(src)["A001"]["severity"] == "warning"


def test_damaged_cache_unmarshalable_data_and_no_bytecode(tmp_path, cache_dir, monkeypatch):
    src = tmp_path / "rubric.toml"
    src.write_text("[x]\nn = 1\n", encoding="utf-8")
    data_cache.load_toml(src)
    (cache_file,) = cache_dir.glob("rubric.*.toml.marshal")
    cache_file.write_bytes(b"\x00not marshal")
    assert data_cache.load_toml(src) == {"x": {"n": 1}}
    dated = tmp_path / "dated.toml"
    dated.write_text("when = 2024-01-31\n", encoding="utf-8")
    assert str(data_cache.load_toml(dated)["when"]) == "2024-01-31"
    assert not list(cache_dir.glob("dated.*")) and not list(cache_dir.glob("*.tmp"))
    monkeypatch.setattr(data_cache.sys, "dont_write_bytecode", True)
    other = tmp_path / "other.toml"
    other.write_text("a = 1\n", encoding="utf-8")
    assert data_cache.load_toml(other) == {"a": 1} and not list(cache_dir.glob("other.*"))


def test_errors_are_tomllibs_own(tmp_path, cache_dir):
    bad = tmp_path / "bad.toml"
    bad.write_text("a = [\n", encoding="utf-8")
    with pytest.raises(tomllib.TOMLDecodeError):
        data_cache.load_toml(bad)
    with pytest.raises(OSError):
        data_cache.load_toml(tmp_path / "missing.toml")
