"""Reading a report file of any supported format into a Document (one reader module per format).

Every reader turns its format into the plain-text layout the parsers understand (tables as
tab-separated rows); heavy libraries are imported only by the reader that needs them, so
auditing a .txt never pays for pdfplumber or python-docx.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..document import Document, InputError, to_document
from .text import decode_bytes

MAX_BYTES = 20 * 1024 * 1024  # larger inputs are refused with a clear message

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}  # scans: read through OCR (readers/image.py)

__all__ = ["MAX_BYTES", "Document", "InputError", "decode_bytes", "read_document"]


def read_document(path: str | Path, ocr: str = "auto") -> Document:
    """Read one report file. Raises InputError with a reviewer-readable reason.

    `ocr`: "auto" reads scanned PDF pages and images through OCR when the `ocr` extra is
    installed, "force" OCRs every PDF page, "off" never runs OCR (--ocr / --no-ocr)."""
    p = Path(path)
    if not p.exists():
        raise InputError("文件不存在（no such file）")
    if p.is_dir():
        raise InputError("是目录而不是文件（is a directory）")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"无法读取（cannot stat: {exc.strerror}）") from exc
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size // (1024 * 1024)} MiB，上限 {MAX_BYTES // (1024 * 1024)} MiB; file too large）")
    suffix = p.suffix.lower()
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取（cannot read: {exc.strerror}）") from exc
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
    text, enc = decode_bytes(data)
    if suffix in HTML_SUFFIXES or re.match(r"\s*(<!DOCTYPE html|<html)", text[:500], re.I):
        from .html import html_to_grid_text

        body, covered = html_to_grid_text(text)
        doc = to_document(body, str(path), enc, "html")
        doc.covered, doc.grid_layout = covered, True
        return doc
    return to_document(text, str(path), enc)


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
