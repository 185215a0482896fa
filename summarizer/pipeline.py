"""Audit one input end to end: the deterministic audit, then (if configured) the LLM layer and the rubric.

Kept apart from the CLI so batch runs, the eval harness and tests share exactly one path.
The LLM stack is imported only when an LLM is wanted, so `audit --no-llm` starts fast.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

from .audit import audit_path
from .models import AuditResult

REPORT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".shtml", ".pdf", ".docx", ".text"}
LEGACY_SUFFIXES = {".doc", ".wps", ".rtf"}  # audited through LibreOffice when `soffice` is on PATH
OCR_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # scans: audited when the OCR reader is available
OTHER_IMAGE_SUFFIXES = {".gif", ".bmp", ".webp", ".heic"}  # images the OCR reader does not take
# what to tell the reviewer about a file that cannot be audited, by kind
_ADVICE = {
    "legacy": "旧版 Word/WPS/RTF 文件：请用 Word 或 WPS 另存为 .docx 或 PDF 后再审查"
              "（安装 LibreOffice 并使 soffice 在 PATH 中时会自动转换）",
    ".ofd": "OFD 版式文件：请用 OFD 阅读器另存（打印）为 PDF 后再审查",
    "image": "图片：请提供文字版（.docx 或 PDF），或安装 OCR 扩展后再审查：pip install -e '.[ocr]'",
    "image_no_ocr": "图片：使用了 --no-ocr，未识别；请提供文字版（.docx 或 PDF），或不加 --no-ocr 再审查",
    "sheet": "电子表格不是年度报告正文：请提供报告的 .docx 或 PDF",
    "archive": "压缩包：请先解压，再审查解压出的文件夹",
}
_SHEETS = {".xls", ".xlsx", ".et", ".csv", ".ods"}
_ARCHIVES = {".zip", ".rar", ".7z", ".tar", ".gz"}
_JUNK = {"thumbs.db", "desktop.ini"}  # written by the operating system, never a report
OUTPUT_MARKER = ".audit-state"  # a folder holding this is an `audit -o` output folder


class Skipped(NamedTuple):
    """An input that is not audited, and what the reviewer can do about it."""

    path: str
    rel: str
    reason: str


class Inputs:
    """What a command line names: the files to audit (with their names relative to the folder
    given, which the output names keep) and the files that cannot be audited. (A plain class:
    see document.Line.)"""

    def __init__(self, files: list[str] | None = None, rels: list[str] | None = None,
                 skipped: list[Skipped] | None = None, notes: list[str] | None = None) -> None:
        self.files = [] if files is None else files
        self.rels = [] if rels is None else rels
        self.skipped = [] if skipped is None else skipped
        self.notes = [] if notes is None else notes  # e.g. an output folder left out


def ocr_available() -> bool:
    """Images are auditable only with the optional OCR reader installed (readers/ocr.py's cheap
    check: no model is loaded); without it they are named with what to do, not tried."""
    try:
        from .readers import ocr  # type: ignore[attr-defined]
    except ImportError:
        return False
    ready = getattr(ocr, "available", None)
    return bool(ready()) if callable(ready) else False


def why_not_auditable(name: str, in_folder: bool, ocr: str = "auto") -> str | None:
    """None when a file of this name can be audited; else the reason with what to do.

    A file named on the command line with an unknown extension is still tried (it may be text);
    in a folder only known report formats are audited and the rest are named.
    """
    suffix = Path(name).suffix.lower()
    if suffix in REPORT_SUFFIXES:
        return None
    if suffix in LEGACY_SUFFIXES:
        from .readers.legacy import soffice_path

        return None if soffice_path() else _ADVICE["legacy"]
    if suffix in OCR_IMAGE_SUFFIXES:  # `ocr` is Options.ocr: with --no-ocr an image cannot be read
        if ocr == "off":
            return _ADVICE["image_no_ocr"]
        return None if ocr_available() else _ADVICE["image"]
    if suffix in OTHER_IMAGE_SUFFIXES:
        return _ADVICE["image"]
    if suffix == ".ofd":
        return _ADVICE[".ofd"]
    if suffix in _SHEETS:
        return _ADVICE["sheet"]
    if suffix in _ARCHIVES:
        return _ADVICE["archive"]
    if not in_folder:
        return None
    shown = suffix or "无扩展名"
    return f"未知格式（{shown}）：可审查 .txt .md .html .docx .pdf，请另存为其中一种"


def _is_output_folder(path: Path, out_dir: Path | None) -> bool:
    if (path / OUTPUT_MARKER).is_dir():
        return True
    if out_dir is None:
        return False
    try:
        return path.resolve() == out_dir
    except OSError:
        return False


def _stat_problem(path: Path) -> tuple[os.stat_result | None, str | None]:
    """(stat, None), or (None, reason) for a symlink loop or an unreadable entry; a missing
    file gives (None, None) so the reader names it as missing with the rest of the batch."""
    try:
        return path.stat(), None
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "符号链接循环（symlink loop），无法读取"
        return None, f"无法读取（{exc.strerror}）"


def collect_inputs(args: list[str], out_dir: Path | None = None, ocr: str = "auto") -> Inputs:
    """Files as given; folders become every report file inside them (sorted, recursive).

    Left out of folders: hidden files and folders, operating-system clutter, and output folders
    of this tool (the `-o` folder, or any folder holding `.audit-state`) so a second run never
    audits its own outputs. Only regular files are read: a FIFO or a device would block.
    """
    res = Inputs()
    out_resolved = None
    if out_dir is not None:
        try:
            out_resolved = Path(out_dir).resolve()
        except OSError:
            out_resolved = None
    for arg in args:
        path = Path(arg)
        st, problem = _stat_problem(path)
        if problem:
            res.skipped.append(Skipped(arg, path.name, problem))
            continue
        if st is not None and stat.S_ISDIR(st.st_mode):
            _walk(path, res, out_resolved, ocr)
            continue
        if st is not None and not stat.S_ISREG(st.st_mode):
            res.skipped.append(Skipped(arg, path.name, "不是普通文件（管道、设备等），未读取"))
            continue
        reason = why_not_auditable(path.name, in_folder=False, ocr=ocr)
        if reason:
            res.skipped.append(Skipped(arg, path.name, reason))
        else:
            res.files.append(arg)
            res.rels.append(path.name or arg)
    return res


def _walk(root: Path, res: Inputs, out_resolved: Path | None, ocr: str = "auto") -> None:
    if _is_output_folder(root, out_resolved):
        res.notes.append(f"{root} 是审查输出文件夹，未作为输入审查")
        return
    for folder, dirs, files in os.walk(root, onerror=None, followlinks=False):
        here = Path(folder)
        keep = []
        for d in sorted(dirs):
            sub = here / d
            if d.startswith("."):
                continue
            if _is_output_folder(sub, out_resolved):
                res.notes.append(f"{sub} 是审查输出文件夹，未作为输入审查")
                continue
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            if name.startswith((".", "~$")) or name.lower() in _JUNK:
                continue  # hidden, Office lock files, OS clutter
            if Path(name).suffix.lower() in OCR_IMAGE_SUFFIXES and here.name.lower().endswith(("_files", ".files")):
                continue  # the pictures of a browser-saved web page ("报告_files/image001.png"), not scans
            full = here / name
            rel = full.relative_to(root).as_posix()
            st, problem = _stat_problem(full)
            if problem:
                res.skipped.append(Skipped(str(full), rel, problem))
                continue
            if st is None:
                continue  # vanished while walking
            if not stat.S_ISREG(st.st_mode):
                res.skipped.append(Skipped(str(full), rel, "不是普通文件（管道、设备等），未读取"))
                continue
            reason = why_not_auditable(name, in_folder=True, ocr=ocr)
            if reason:
                res.skipped.append(Skipped(str(full), rel, reason))
            else:
                res.files.append(str(full))
                res.rels.append(rel)


class Options(NamedTuple):
    select: list[str] | None = None
    ignore: list[str] | None = None
    no_llm: bool = False
    model: str | None = None
    no_cache: bool = False
    cache_dir: Path | None = None
    llm_budget: float = 120.0
    json_schema: bool = False
    ocr: str = "auto"  # "auto" (scanned pages when the extra is installed) / "force" (--ocr) / "off" (--no-ocr)


def llm_config(opts: Options):
    """The LLM configuration, or None when the LLM is off (no import of the LLM stack then)."""
    if opts.no_llm:
        return None
    from .llm import LLMConfig

    return LLMConfig.from_env(model=opts.model, no_cache=opts.no_cache, cache_dir=opts.cache_dir,
                              budget_s=opts.llm_budget, use_json_schema=opts.json_schema)


def audit_one(path: str, opts: Options, config=None) -> AuditResult:
    result, doc = audit_path(path, opts.select, opts.ignore, ocr=opts.ocr)
    if result.error or doc is None:
        return result
    if config is not None and getattr(config, "enabled", False):
        from .llm import run_llm

        # fills summary, LLM findings (verified), rubric and usage; never raises
        run_llm(result, doc, config, select=opts.select, ignore=opts.ignore)
        return result
    from .rubric import score_rubric

    if opts.no_llm:
        result.llm.skipped_reason = "使用了 --no-llm"
    else:
        result.llm.skipped_reason = getattr(config, "disabled_reason", "") or "未配置 OPENAI_API_KEY / AUDIT_MODEL"
    result.rubric = score_rubric(result, inputs={"select": opts.select, "ignore": opts.ignore})
    return result
