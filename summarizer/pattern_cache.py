"""Regular expressions compiled once per Python installation, not once per start.

Why this exists: the audit's ~120 patterns are full of Chinese character classes and a long number
token, and Python's `re` parses and assembles every pattern in pure Python at each start — about a
quarter of the instructions `audit one.txt` executes (bench/README.md). Only the last step,
`_sre.compile`, is C. This module keeps the assembled program of each pattern in one file beside
the package's bytecode (`__pycache__/patterns.<python>.marshal`, the same place and the same trust
as Python's own .pyc files) and hands it straight to `_sre.compile` on the next start.

Why it cannot change a result: a program is stored only after the pattern it builds compared
equal (`re.Pattern.__eq__`: same text, flags and compiled code) to what `re.compile` returns in
the same process, and the file is used only by the same Python build (its cache tag and the
regex engine's version are in the file name and the header). Anything unexpected — another
Python, a damaged file, a private function that moved — falls back to `re.compile`, so the cache
can make a start faster, never a match different. Like .pyc files it is not written when
PYTHONDONTWRITEBYTECODE is set or the folder is read-only.
"""

from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path

try:  # the pieces of re.compile: parse and assemble (pure Python), then build (C)
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python implementation
    _sre = _compiler = _parser = None

MAX_ENTRIES = 2000  # the package compiles ~130 fixed patterns; a bound against any dynamic one
_TAG = f"{sys.implementation.cache_tag}-sre{getattr(_sre, 'MAGIC', 0)}-{sys.hexversion:x}"
CACHE_FILE = Path(__file__).parent / "__pycache__" / f"patterns.{_TAG}.marshal"

_programs: dict | None = None  # (pattern, flags) -> (flags, code, groups, groupindex, indexgroup)
_new: dict = {}


def compile(pattern: str, flags: int = 0) -> re.Pattern:  # noqa: A001 - the name says it is re.compile
    """re.compile(pattern, flags), built from the stored program when this Python stored one."""
    flags = int(flags)
    if _sre is None or not isinstance(pattern, str):
        return re.compile(pattern, flags)
    programs = _load()
    key = (pattern, flags)
    program = programs.get(key)
    if program is not None:
        try:
            return _sre.compile(pattern, *program)
        except Exception:  # noqa: BLE001 - a program this engine refuses: compile normally
            programs.pop(key, None)
    compiled = re.compile(pattern, flags)
    program = _assemble(pattern, flags)
    if program is not None and len(programs) + len(_new) < MAX_ENTRIES:
        try:
            same = _sre.compile(pattern, *program) == compiled
        except Exception:  # noqa: BLE001
            same = False
        if same:
            if not _new:
                atexit.register(save)
            _new[key] = program
            programs[key] = program
    return compiled


def _assemble(pattern: str, flags: int) -> tuple | None:
    """What re._compiler.compile passes to _sre.compile, or None if this Python differs."""
    try:
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        # plain ints: the opcodes are an int subclass marshal does not store
        return (int(flags | parsed.state.flags), [int(c) for c in code], parsed.state.groups - 1, groupindex,
                tuple(indexgroup))
    except Exception:  # noqa: BLE001 - private API moved: the cache simply stays empty
        return None


def _load(path: Path | None = None) -> dict:
    global _programs
    if _programs is None:
        _programs = read(path or CACHE_FILE)
    return _programs


def read(path: Path) -> dict:
    """The stored programs, or {} for a missing, damaged or foreign file."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(data, dict) or data.get("tag") != _TAG or not isinstance(data.get("programs"), dict):
        return {}
    return data["programs"]


def save(path: Path | None = None) -> bool:
    """Merge this process's new programs into the file (atomically); False if not written."""
    path = path or CACHE_FILE
    if not _new or sys.dont_write_bytecode:
        return False
    merged = read(path)
    for key, program in _new.items():
        if len(merged) >= MAX_ENTRIES:
            break
        merged[key] = program
    try:
        blob = marshal.dumps({"tag": _TAG, "programs": merged})
    except ValueError:  # cannot happen with ints, strings and tuples; never a traceback at exit
        return False
    if not write_atomically(path, blob):
        return False
    _new.clear()
    return True


def write_atomically(path: Path, blob: bytes) -> bool:
    """Write a cache file beside the bytecode: whole or not at all (a temporary, then a rename),
    readable like a .pyc; False when the folder cannot take it (read-only install, full disk) —
    the next start then simply works without it."""
    tmp = None
    try:
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False


def reset(path: Path | None = None) -> None:
    """Forget what was loaded (tests; a different cache file)."""
    global _programs, CACHE_FILE
    _programs = None
    _new.clear()
    if path is not None:
        CACHE_FILE = path
