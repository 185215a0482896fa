"""The package's TOML data (the check catalogue, the rubric) parsed once per change, not per start.

Why this exists: tomllib is pure Python; importing it and parsing checks.toml and rubric.toml
every time `audit` starts was ≈ 7 % of the instructions of auditing one report (bench/README.md).
The TOML files stay the single source of truth: their parsed form is kept in the package's
`__pycache__` with the source's path, size and modification time — the same test Python applies
to a .pyc — and is used only while all three still match. A changed, missing, damaged or
foreign cache means the file is parsed again; data marshal cannot store (dates) is simply not
cached. Like .pyc files, nothing is written when PYTHONDONTWRITEBYTECODE is set or the folder
is read-only.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path

from .pattern_cache import write_atomically

CACHE_DIR = Path(__file__).parent / "__pycache__"


def _cache_file(source: Path) -> Path:
    digest = hashlib.blake2s(str(source).encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    return CACHE_DIR / f"{source.stem}.{digest}.{sys.implementation.cache_tag}.toml.marshal"


def load_toml(path: str | Path) -> dict:
    """tomllib.load(path), from the cache while the file is unchanged. Errors are tomllib's and
    open()'s own (TOMLDecodeError, OSError), as if the file had been parsed here."""
    source = Path(path).resolve()
    stat = source.stat()
    stamp = (str(source), stat.st_size, stat.st_mtime_ns)
    cache = _cache_file(source)
    try:
        stored = marshal.loads(cache.read_bytes())
        if isinstance(stored, dict) and stored.get("stamp") == stamp and isinstance(stored.get("data"), dict):
            return stored["data"]
    except (OSError, ValueError, EOFError, TypeError):
        pass
    import tomllib  # only when the cache cannot answer

    with open(source, "rb") as fh:
        data = tomllib.load(fh)
    _store(cache, {"stamp": stamp, "data": data})
    return data


def _store(cache: Path, payload: dict) -> None:
    if sys.dont_write_bytecode:
        return
    try:
        blob = marshal.dumps(payload)
    except ValueError:  # a date in the data: parsed again next time
        return
    write_atomically(cache, blob)
