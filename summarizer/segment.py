"""Find the parts of a report: title, agency, year, statistics period, the six sections, date of issue.

Each part has its own module (headings, title, stat_period, issue_date); this one puts the facts
together and decides between sources (the agency in the title, the signature, the preamble, the
page's metadata). Rules are literal (regexes over normalized lines) so every fact can be cited
with its line; anything not found stays None and is reported, never guessed.
"""

from __future__ import annotations

from . import pattern_cache
from .document import Document
from .headings import find_sections, heading_number, heading_numeral  # noqa: F401  (re-exported)
from .issue_date import find_issue_date, issued_from_metadata, issued_under_title
from .models import Facts
from .stat_period import find_period
from .title import agency_from_metadata, agency_from_preamble, find_title, report_named_in_body, year_from_body


def segment(doc: Document) -> Facts:
    """All facts that come from the text outside the tables."""
    facts = Facts()
    facts.sections = find_sections(doc)
    first = facts.sections[0].line if facts.sections else 0
    # a heading inside a long line (flattened web text): the title may open that same line
    title_limit = first + 1 if facts.sections and facts.sections[0].col else first
    title, title_line, agency, agency_line, year = find_title(doc, title_limit)
    facts.title, facts.title_line = title, title_line
    facts.agency, facts.agency_line = agency, agency_line
    second = next((s.line for s in facts.sections if s.number == 2), None)
    facts.period = find_period(doc, before_line=second)
    if year:
        facts.year, facts.year_line = year, title_line
    last_sec = facts.sections[-1].line - 1 if facts.sections else 0
    issued, issued_line, issued_quote, sig_agency, sig_line = find_issue_date(doc, last_sec)
    if issued is None:  # no date at the end: a date alone under the title, or the page's 成文日期 field
        issued, issued_line, issued_quote = issued_under_title(doc, title_line)
    if issued is None:
        issued, issued_line, issued_quote = issued_from_metadata(doc, min(first + 40 if first else 60, doc.n))
    facts.issued_on, facts.issued_line, facts.issued_quote = issued, issued_line, issued_quote
    facts.signature_agency, facts.signature_line = sig_agency, sig_line
    if not facts.agency and sig_agency:
        facts.agency, facts.agency_line = sig_agency, sig_line
    if not facts.agency:
        top = min(first + 40 if first else 60, doc.n)
        for source in (agency_from_preamble, agency_from_metadata):
            facts.agency, facts.agency_line = source(doc, top)
            if facts.agency:
                break
    if facts.agency and _PLACELESS.match(facts.agency) and facts.agency_line:
        # "市人民政府办公室2025年…报告" (the page dropped the place) / "现公开天门市人民政府办公室2025年…":
        # the full name the preamble or the signature gives for the same body
        named = report_named_in_body(doc, facts.agency_line + 1, min(facts.agency_line + 10, doc.n))
        for fuller in (named[0] if named else None, sig_agency):
            if fuller and len(fuller) > len(facts.agency) and fuller.endswith(facts.agency):
                facts.agency = fuller
                break
    if facts.year is None:
        facts.year, facts.year_line = year_from_body(doc, facts)
    return facts


# a name that starts at its level ("市人民政府办公室", "区统计局"): the place is missing
_PLACELESS = pattern_cache.compile(r"^[省市区县州旗盟]")
