"""The generator's table noises (testkit/table_noises.py) in every layout: the tool reads every cell
the truth has, reports what the noise makes reportable (S006 for blanks, S008 for flattened rows no
reader can split) and nothing else that is a warning or an error."""

from __future__ import annotations

import itertools
import random

import pytest

from summarizer.audit import audit_path
from testkit.documents import cjk_font
from testkit.noises import NOISES, TABLE_NOISE_NAMES
from testkit.synth import ALL_LAYOUTS, FORMATS, generate

CASES = [(n, lay, fmt) for n, lay, fmt in itertools.product(TABLE_NOISE_NAMES, ALL_LAYOUTS, FORMATS)
         if not (lay == "pdf" and fmt == "2019")]  # PDFs are slow to make: one format is enough here


def _audit(rep, tmp_path):
    result, _ = audit_path(rep.write(tmp_path))
    assert result.error is None, result.error
    return result


@pytest.mark.parametrize("name,layout,fmt", CASES)
def test_table_noise_reads_right_in_every_layout(name, layout, fmt, tmp_path):
    if layout == "pdf" and cjk_font() is None:
        pytest.skip("the pdf layout needs the test extra's CJK font (justmytype-intl-cjk)")
    rep = generate(random.Random(f"{name}-{layout}-{fmt}"), fmt, layout, noise={name})
    result = _audit(rep, tmp_path)
    wrong = {k: (v, result.facts.cells.get(k, "missing")) for k, v in rep.cells.items()
             if result.facts.cells.get(k, "missing") != v}
    assert not wrong, wrong
    fired = {f.code for f in result.findings if f.severity in ("error", "warning")}
    assert rep.expected_codes <= {f.code for f in result.findings}
    assert fired <= rep.expected_codes | rep.optional_codes, [
        (f.code, f.message) for f in result.findings if f.code in fired - rep.expected_codes - rep.optional_codes]


def test_every_table_noise_is_registered_and_documented():
    for name in TABLE_NOISE_NAMES:
        noise = NOISES[name]
        assert noise.where == "table" and noise.doc
        assert noise.table or noise.grid or noise.blank or noise.cell


@pytest.mark.parametrize("layout", ["tabs", "pipe", "cells", "markdown", "html", "docx"])
def test_all_noises_together(layout, tmp_path):
    for seed in range(2):
        rep = generate(random.Random(f"all-{layout}-{seed}"), "2021", layout, noise=set(NOISES))
        result = _audit(rep, tmp_path)
        assert all(result.facts.cells.get(k, "missing") == v for k, v in rep.cells.items())
        fired = {f.code for f in result.findings if f.severity in ("error", "warning")}
        assert fired <= rep.expected_codes | rep.optional_codes


@pytest.mark.parametrize("layout", [lay for lay in ALL_LAYOUTS if lay != "pdf"])
def test_a_table_two_written_all_in_blank_marks_reads_in_every_layout(layout, tmp_path):
    """dash_blanks' second mode: every zero of table 二 written with one mark ("/" for nothing), so
    the table holds more marks than numbers (a paragraph-per-cell page read it as no cells at all,
    a pipe row lost its first blank as surplus). Seeds are tried until that mode is drawn."""
    tried = 0
    for seed in range(40):
        rep = generate(random.Random(f"all-marks-{layout}-{seed}"), "2019" if seed % 2 else "2021", layout,
                       noise={"dash_blanks"})
        if sum(1 for k, v in rep.cells.items() if k.startswith("active.") and v is None) < 3:
            continue
        (tmp_path / str(seed)).mkdir()
        result = _audit(rep, tmp_path / str(seed))
        wrong = {k: (v, result.facts.cells.get(k, "missing")) for k, v in rep.cells.items()
                 if result.facts.cells.get(k, "missing") != v}
        assert not wrong, (seed, wrong)
        tried += 1
        if tried == 3:
            break
    assert tried >= 1, "the all-marks mode was never drawn"


@pytest.mark.parametrize("run,columns,want", [
    ("2-23", ("issued", "repealed", "in_force"), None),      # 2 | - | 23 or 2 | -2 | 3: no one can tell
    ("35-15", ("previous", "change"), [(35, -15)]),            # two columns: the dash is the sign of -15
    ("-", ("decisions",), [(None,)]),                           # a one-cell row written as a mark
    ("无", ("decisions",), [(None,)]),
])
def test_a_dash_in_run_together_cells(run, columns, want):
    from summarizer.tables.flattened import FlatRow, read_run
    row = FlatRow("active", "x", columns, 0, 0, run=run)
    read_run(row)
    assert (row.candidates or None) == want, row.reason
