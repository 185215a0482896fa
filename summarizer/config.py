"""Options from a configuration file in the working folder, like linters have.

Looked up in the working folder only: `audit.toml` (keys at the top level), else `[tool.audit]`
in `pyproject.toml`. The command line overrides every key. An unknown key or a value of the
wrong type is a usage error (exit 2) naming the file and the key: a misspelt `selct` must not
silently audit everything.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from . import pattern_cache


class ConfigError(Exception):
    """The configuration file cannot be used; the message is one line naming file and key."""


# key (dashes; underscores accepted too) -> (type, option it sets)
KEYS: dict[str, tuple[type | tuple, str]] = {
    "select": ((list, str), "select"),
    "ignore": ((list, str), "ignore"),
    "model": (str, "model"),
    "llm-budget": ((int, float), "llm_budget"),
    "budget": ((int, float), "llm_budget"),
    "format": (str, "format"),
    "output-format": (str, "format"),
    "min-severity": (str, "min_severity"),
    "exit-zero": (bool, "exit_zero"),
    "no-llm": (bool, "no_llm"),
    "jobs": (int, "jobs"),
    "procs": (int, "procs"),
    "rpm": ((int, float), "rpm"),
    "timeout": ((int, float), "timeout"),
}


class FileConfig(NamedTuple):
    source: str | None  # the file the options came from, for messages (None: no config file)
    values: dict  # option name -> value

    def get(self, option: str, default=None):
        return self.values.get(option, default)


def _read_toml(path: Path) -> dict:
    import tomllib  # here, not at the top: most runs have no configuration file, and its import is ≈ 2 % of start-up

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"配置文件 {path} 不是有效的 TOML：{exc}") from exc
    except OSError as exc:
        raise ConfigError(f"无法读取配置文件 {path}：{exc.strerror}") from exc


# where a pyproject.toml can open [tool.audit]: its header, a [tool] table, a dotted tool.audit key
_TOOL_AUDIT = pattern_cache.compile(r'^[ \t]*(?:\[[ \t]*tool[ \t]*\]'  # [tool]
                                    r'|\[[ \t]*tool[ \t]*\.[ \t]*"?audit"?[ \t]*[\].]'  # [tool.audit] [tool.audit.x]
                                    r'|tool[ \t]*\.[ \t]*"?audit"?[ \t]*[.=])', re.M)  # tool.audit.x = …


def _may_have_tool_audit(path: Path) -> bool:
    """False when the file's text cannot hold a [tool.audit] table: then it is not parsed (a
    project's pyproject.toml in the working folder would otherwise cost every start a TOML parse)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return True  # let the parse report it
    return _TOOL_AUDIT.search(text) is not None


def _codes(value) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    return [str(c).strip().upper() for c in items if str(c).strip()]


def load_config(folder: Path | None = None) -> FileConfig:
    """The options set in `folder` (default: the working folder); empty when there is no file."""
    folder = Path.cwd() if folder is None else Path(folder)
    own = folder / "audit.toml"
    if own.is_file():
        table, source = _read_toml(own), str(own)
    else:
        py = folder / "pyproject.toml"
        if not py.is_file() or not _may_have_tool_audit(py):
            return FileConfig(None, {})
        tool = _read_toml(py).get("tool", {})
        if "audit" not in tool:
            return FileConfig(None, {})
        table, source = tool["audit"], f"{py} [tool.audit]"
    if not isinstance(table, dict):
        raise ConfigError(f"配置 {source} 应是一个表（key = value）")
    values: dict = {}
    for raw_key, value in table.items():
        key = raw_key.replace("_", "-")
        if key not in KEYS:
            raise ConfigError(f"配置 {source} 中有未知的键 {raw_key}（可用：{'、'.join(sorted(set(KEYS)))}）")
        kind, option = KEYS[key]
        if isinstance(value, bool) and kind is not bool:
            raise ConfigError(f"配置 {source} 中 {raw_key} 的值类型不对")
        if not isinstance(value, kind):
            raise ConfigError(f"配置 {source} 中 {raw_key} 的值类型不对")
        if option in ("select", "ignore"):
            if isinstance(value, list) and not all(isinstance(v, str) for v in value):
                raise ConfigError(f"配置 {source} 中 {raw_key} 应是代码列表，如 [\"A\", \"P001\"]")
            value = _codes(value)
        values[option] = value
    return FileConfig(source=source, values=values)
