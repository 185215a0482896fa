"""Making text taken from a report or a file name inert in every output format.

Report text and file names are attacker-controlled: a report can be written by anyone and a
file can be named anything (`<img src=x onerror=…>`, `[点我](javascript:…)`, `=HYPERLINK(…)`,
`\\\\host\\share\\…`). Every renderer passes such values through one of these functions; values
the tool itself writes (labels, counts) need not.
"""

from __future__ import annotations

import re
from urllib.parse import quote
from .. import pattern_cache

# C0/C1 controls and the code points XML 1.0 forbids (python-docx and openpyxl refuse them);
# tab and newline are handled by the callers (a cell or a table row is one line).
_XML_BAD = pattern_cache.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Markdown punctuation that can open markup inline: emphasis, code, links, images, raw HTML,
# tables, strikethrough, entities. Backslash first so the escapes themselves stay literal.
_MD_SPECIAL = pattern_cache.compile(r"([\\`*_\[\]<>|&~!#$])")
# OWASP CSV injection: a cell starting with one of these is read as a formula by Excel / WPS /
# LibreOffice (tab and CR included; NUL per OWASP ASVS 1.2.10).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")


def clean(text: object) -> str:
    """The text without control characters XML cannot hold (kept: tab, newline, CR)."""
    return _XML_BAD.sub("", "" if text is None else str(text))


def one_line(text: object) -> str:
    """The text on one line: any run of whitespace (newlines included) becomes one space."""
    return " ".join(clean(text).split())


# anything md() would change; most values (numbers, labels) have none and are returned as they are
_MD_NEEDS_WORK = pattern_cache.compile("[\\\\`*_\\[\\]<>|&~!#$\\s\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def md(text: object) -> str:
    """Inline markdown that shows the text literally: no HTML, links, emphasis or table breaks."""
    s = text if isinstance(text, str) else ("" if text is None else str(text))
    if not _MD_NEEDS_WORK.search(s):
        return s
    return _MD_SPECIAL.sub(r"\\\1", one_line(s))


_UNRESERVED = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/")


def link_target(relative: str) -> str:
    """A relative link target to one of the tool's own files, percent-encoded so nothing in the
    name can end the link or make it absolute: every ASCII character outside the URI unreserved
    set and "/" is encoded (space, `(`, `)`, `]`, `|`, `:`, `\\`, `#`, `?`, `%`, controls); other
    characters (Chinese) stay readable, as an IRI allows."""
    return "".join(ch if ch in _UNRESERVED or ord(ch) > 127 else quote(ch, safe="") for ch in clean(relative))


def md_link(text: object, relative: str) -> str:
    """A markdown link to one of the tool's own output files."""
    return f"[{md(text)}]({link_target(relative)})"


# exactly what html.escape(text, quote=True) does (tests/test_output_safety.py compares the two); the
# html module itself is not imported: it loads the 2,000 named entities, which no output here needs
_HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;"})


def html(text: object) -> str:
    """Text for HTML element content or a quoted attribute value."""
    return clean(text).translate(_HTML_ESCAPES)


def sheet_text(value: object) -> object:
    """A cell for CSV / XLSX: numbers stay numbers; text that would start a formula gets a
    leading apostrophe (OWASP), which spreadsheets read as "this is text"."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = clean(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def md_code(text: object) -> str:
    """Inline code: shows a file name verbatim (no escapes to read around). The fence is longer
    than any backtick run inside, so the name cannot close it. Not for table cells."""
    body = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body.strip() else ""
    return f"{fence}{pad}{body}{pad}{fence}"
