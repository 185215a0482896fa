"""Property tests: the deterministic audit against synthetic reports whose truth is known.

Why: the seeds are five mostly-zero reports; these properties exercise extraction and checks on
every layout × format with realistic numbers, and prove each check fires on its defect and only
there. A failure prints the generator arguments (seed, fmt, layout, defect): rebuild the report
with `summarizer.synth.generate(seed, fmt, layout, defect)` to see the text.

Hypothesis runs derandomized (same examples every run, no example database) so CI is stable.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.audit import audit_text
from testkit.synth import DEFECT_FORMAT, DEFECTS, FORMATS, LAYOUTS, SynthReport, generate

PROFILE = dict(derandomize=True, deadline=None, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors])
COMBOS = list(itertools.product(FORMATS, LAYOUTS))
seeds = st.integers(min_value=0, max_value=2**31 - 1)


def audit(r: SynthReport):
    return audit_text(r.text, name=f"synth:{r.fmt}:{r.layout}:{r.defect}")


def cell_diff(want: dict, got: dict) -> list[str]:
    """Readable differences between the generator's cells and the extracted ones."""
    out = []
    for k in sorted(set(want) | set(got)):
        w, g = want.get(k, "<absent>"), got.get(k, "<absent>")
        if w != g or type(w) is not type(g) and None in (w, g):
            out.append(f"{k}: want {w!r}, got {g!r}")
    return out


def show(findings) -> str:
    return "\n".join(f"  {f.code} {f.severity} L{f.line}: {f.message} | {f.quote!r}" for f in findings) or "  (none)"


# ---------------------------------------------------------------- (a) extraction round-trips


@pytest.mark.parametrize("fmt,layout", COMBOS)
@settings(max_examples=25, **PROFILE)
@given(seed=seeds)
def test_extraction_round_trips(fmt, layout, seed):
    r = generate(seed, fmt, layout)
    res = audit(r)
    f = res.facts
    diff = cell_diff(r.cells, f.cells)
    assert not diff, f"{len(diff)} cell(s) differ:\n" + "\n".join(diff[:25])
    assert f.year == r.facts["year"]
    assert f.format_version == r.fmt
    want_period = r.facts["period"]
    got_period = {"start": f.period.start, "end": f.period.end} if f.period else None
    assert got_period == want_period
    assert f.issued_on == r.facts["issued_on"]
    assert f.agency == r.facts["agency"]


# ---------------------------------------------------------------- (b) clean reports are clean


@pytest.mark.parametrize("fmt,layout", COMBOS)
@settings(max_examples=15, **PROFILE)
@given(seed=seeds)
def test_clean_report_has_no_error_or_warning(fmt, layout, seed):
    r = generate(seed, fmt, layout)
    res = audit(r)
    bad = [x for x in res.findings if x.severity in ("error", "warning")]
    assert not bad, "clean synthetic report flagged:\n" + show(bad)
    # the clean narrative covers all five parts of 总体情况, so even the info-level Q005 is wrong here
    q005 = [x for x in res.findings if x.code == "Q005"]
    assert not q005, "Q005 on a 总体情况 that covers all five parts:\n" + show(q005)


# ---------------------------------------------------------------- (c) each defect is found, and only it


@pytest.mark.parametrize("defect", sorted(DEFECTS))
@settings(max_examples=12, **PROFILE)
@given(seed=seeds, fmt=st.sampled_from(FORMATS), layout=st.sampled_from(LAYOUTS))
def test_defect_is_detected_alone(defect, seed, fmt, layout):
    r = generate(seed, DEFECT_FORMAT.get(defect, fmt), layout, defect)
    res = audit(r)
    codes = {x.code for x in res.findings}
    missing = r.expected_codes - codes
    assert not missing, f"expected {sorted(r.expected_codes)}, missing {sorted(missing)}; findings:\n" + show(res.findings)
    stray = [x for x in res.findings if x.severity == "error" and x.code not in r.expected_codes]
    assert not stray, f"defect {defect} ({sorted(r.expected_codes)}) also raised other errors:\n" + show(stray)


# ---------------------------------------------------------------- (d) defective tables still extract exactly


@pytest.mark.parametrize("defect", sorted(DEFECTS))
@settings(max_examples=6, **PROFILE)
@given(seed=seeds, fmt=st.sampled_from(FORMATS), layout=st.sampled_from(LAYOUTS))
def test_defective_report_cells_round_trip(defect, seed, fmt, layout):
    """Blank cells stay None, dropped rows/tables have no keys, extra rows add none, bad sums are kept."""
    r = generate(seed, DEFECT_FORMAT.get(defect, fmt), layout, defect)
    diff = cell_diff(r.cells, audit(r).facts.cells)
    assert not diff, f"{len(diff)} cell(s) differ:\n" + "\n".join(diff[:25])
