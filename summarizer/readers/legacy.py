""".doc / .wps / .rtf: converted to .docx by LibreOffice (`soffice`) when it is on PATH, then read
by the .docx reader.

Why LibreOffice and not a Python parser: the binary Word and WPS formats have no well-kept pure
Python reader; LibreOffice imports them faithfully, tables included. It is optional: without
`soffice` these files are named as "not audited" with what to do (save as .docx or PDF).
Each conversion runs with its own throw-away LibreOffice profile, so conversions in parallel
workers (or next to a LibreOffice the user has open) do not lock each other out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..document import InputError

LEGACY_SUFFIXES = {".doc", ".wps", ".rtf"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: .doc, .wps (and .xls, .ppt)
RTF_MAGIC = b"{\\rtf"
CONVERT_TIMEOUT_S = 120


def soffice_path() -> str | None:
    """The LibreOffice command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def is_legacy(suffix: str, data: bytes) -> bool:
    return suffix in LEGACY_SUFFIXES or data.startswith(RTF_MAGIC) or (
        data.startswith(OLE_MAGIC) and suffix not in {".xls", ".ppt", ".msg"})


def convert_to_docx(data: bytes, suffix: str, timeout: float = CONVERT_TIMEOUT_S) -> bytes:
    """The bytes of a .docx LibreOffice made from `data`. Raises InputError with what to do."""
    soffice = soffice_path()
    if soffice is None:
        raise InputError(f"{suffix or '旧版 Word'} 格式需要 LibreOffice 转换，但未找到 soffice："
                         "请另存为 .docx 或 PDF 后再审查，或安装 LibreOffice")
    with tempfile.TemporaryDirectory(prefix="audit-soffice-") as tmp:
        # a fixed, harmless name: the user's file name may start with "-" or hold anything
        src = Path(tmp) / f"input{suffix if suffix in LEGACY_SUFFIXES else '.doc'}"
        src.write_bytes(data)
        out = Path(tmp) / "out"
        cmd = [soffice, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
               "--norestore", "--nologo", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                                  env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired as exc:
            raise InputError(f"LibreOffice 转换超时（{timeout:.0f} 秒）：请另存为 .docx 或 PDF 后再审查") from exc
        except OSError as exc:
            raise InputError(f"无法运行 LibreOffice（{exc.strerror}）：请另存为 .docx 或 PDF 后再审查") from exc
        made = out / "input.docx"
        if proc.returncode != 0 or not made.is_file():
            raise InputError("LibreOffice 无法转换此文件（可能已损坏或加密）：请用 Word/WPS 打开后另存为 .docx 或 PDF")
        return made.read_bytes()
