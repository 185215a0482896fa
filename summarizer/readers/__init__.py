"""Reading a report file of any supported format into a Document (one reader module per format).

Every reader turns its format into the plain-text layout the parsers understand (tables as
tab-separated rows); heavy libraries are imported only by the reader that needs them, so
auditing a .txt never pays for pdfplumber or python-docx.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from ..document import Document, InputError, to_document
from .text import decode_bytes, decode_report

MAX_BYTES = 20 * 1024 * 1024  # larger inputs are refused with a clear message (decompressed too)

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # scans: read through OCR (readers/image.py)

__all__ = ["MAX_BYTES", "Document", "InputError", "decode_bytes", "read_document", "read_input_bytes"]

_NOT_REGULAR = [(stat.S_ISFIFO, "命名管道 FIFO"), (stat.S_ISCHR, "字符设备"), (stat.S_ISBLK, "块设备"),
                (stat.S_ISSOCK, "套接字 socket")]


def _too_large(size: int) -> InputError:
    return InputError(f"文件过大（{size // (1024 * 1024)} MiB，上限 {MAX_BYTES // (1024 * 1024)} MiB; file too large）")


def _check_kind(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError("是目录而不是文件（is a directory）")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _NOT_REGULAR if test(mode)), "特殊文件")
        raise InputError(f"不是普通文件（{kind}），已跳过（not a regular file: skipped）")


def read_input_bytes(path: str | Path) -> bytes:
    """The bytes of one input file, or InputError saying why not.

    Only regular files are read: a FIFO would block the batch until someone writes to it and
    /dev/zero never ends, so anything else is refused unread. The file is opened without
    blocking and checked again on the open descriptor (it may have been swapped since the
    stat), and at most MAX_BYTES + 1 bytes are ever read, whatever the size it claims."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _stat_error(path, exc) from exc
    _check_kind(st.st_mode)
    if st.st_size > MAX_BYTES:
        raise _too_large(st.st_size)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _stat_error(path, exc) from exc
    try:
        _check_kind(os.fstat(fd).st_mode)
        chunks, total = [], 0
        while total <= MAX_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputError(f"无法读取（cannot read: {exc.strerror}）") from exc
    finally:
        os.close(fd)
    if total > MAX_BYTES:
        raise _too_large(total)
    return b"".join(chunks)


def _stat_error(path, exc: OSError) -> InputError:
    if exc.errno == errno.ELOOP:
        return InputError("符号链接循环（symlink loop）")
    if exc.errno == errno.ENOENT:
        if os.path.islink(path):
            return InputError("符号链接指向的文件不存在（dangling symlink）")
        return InputError("文件不存在（no such file）")
    if exc.errno == errno.EACCES:
        return InputError("没有读取权限（permission denied）")
    if exc.errno == errno.ENAMETOOLONG:
        return InputError("文件名过长（file name too long）")
    return InputError(f"无法读取（cannot read: {exc.strerror}）")


def read_document(path: str | Path, ocr: str = "auto") -> Document:
    """Read one report file. Raises InputError with a reviewer-readable reason.

    `ocr`: "auto" reads scanned PDF pages and images through OCR when the `ocr` extra is
    installed, "force" OCRs every PDF page, "off" never runs OCR (--ocr / --no-ocr)."""
    p = Path(path)
    data = read_input_bytes(p)
    suffix = p.suffix.lower()
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        from .pdf import read_pdf  # lazy: pdfplumber is heavy and optional

        return _paged_document(read_pdf(data, ocr), str(path), "pdf")
    if suffix in IMAGE_SUFFIXES or _image_magic(data):
        from .image import read_image  # lazy: OCR only when an image is read

        return _paged_document(read_image(data, ocr), str(path), "image")
    from .legacy import is_legacy  # small module; soffice runs only for .doc / .wps / .rtf

    legacy = is_legacy(suffix, data)
    if legacy:
        from .legacy import convert_to_docx

        data = convert_to_docx(data, suffix)  # then read as the .docx LibreOffice made
    if legacy or suffix == ".docx" or (data.startswith(b"PK\x03\x04") and b"word/" in data[:4000]):
        from .docx import docx_to_grid_text

        body, covered, places = docx_to_grid_text(data)
        doc = to_document(body, str(path), "docx", "legacy" if legacy else "docx")
        doc.covered, doc.grid_layout, doc.places = covered, True, places
        if legacy:
            doc.notes.append(f"{suffix or '此文件'} 由 LibreOffice 转换为 .docx 后审查；版式可能与原文略有差异")
        return doc
    text, enc, repairs = decode_report(data)
    if suffix in HTML_SUFFIXES or re.match(r"\s*(<!DOCTYPE html|<html)", text[:500], re.I):
        from .html import html_to_grid_text

        body, covered = html_to_grid_text(text)
        doc = to_document(body, str(path), enc, "html")
        doc.covered, doc.grid_layout = covered, True
        doc.notes.extend(repairs.notes(with_lines=False))  # source lines are not the text's lines
        return doc
    doc = to_document(text, str(path), enc)
    doc.notes.extend(repairs.notes())
    return doc


def _image_magic(data: bytes) -> bool:
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*"))


def _paged_document(read, path: str, encoding: str) -> Document:
    """A Document from a paged reader's ReadText: OCR'd text is source_kind "ocr", with the
    reader's notes, the low-confidence spans and the merged-cell fields by 1-based line number."""
    doc = to_document(read.text, path, encoding, "ocr" if read.ocr else "pdf")
    doc.notes.extend(read.notes)
    doc.low_confidence = {i + 1: spans for i, spans in read.low.items()}
    doc.covered = {i + 1: cov for i, cov in read.covered.items()}
    return doc


def likely_scanned(path: str | Path, ocr: str = "auto") -> bool:
    """A cheap guess, for batch planning: an image, or a PDF whose first page has no text layer."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return True
    if suffix != ".pdf":
        return False
    if ocr == "force":
        return True
    try:
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(str(p))
        try:
            return len(pdf) > 0 and pdf[0].get_textpage().count_chars() < 20
        finally:
            pdf.close()
    except Exception:
        return False
