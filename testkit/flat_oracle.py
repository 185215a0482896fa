"""Which rows of a flattened table a careful reader can recover — the truth for the flat layouts.

A reader of web text whose cells run together ("801000081") can recover a row only when one way
of cutting its digits into the row's columns gives valid counts (no leading zeros) that keep the
template's sums. This module decides that by brute force over every set of cut points
(itertools.combinations), independently of the tool's own search, so the eval does not grade the
tool against its own algorithm.
"""

from __future__ import annotations

import itertools

from summarizer.schema import APPLICATION_COLUMNS, OUTCOME_ROWS

_FOLD = str.maketrans("０１２３４５６７８９，．＋－", "0123456789,.+-")


def _number(part: str, col: str):
    if part.startswith(("+", "-")):  # a sign may start any value (a negative count is a defect, not unreadable)
        if len(part) == 1:
            return None
        v = _number(part[1:], "")
        if v in (None, 0):
            return None  # "-0" is a dash and a zero, never a number
        return -v if part[0] == "-" else v
    if "." in part:
        whole, _, frac = part.partition(".")
        if col != "amount" or not whole.isdigit() or not frac.isdigit() or (len(whole) > 1 and whole[0] == "0"):
            return None
        return float(part)
    if not part.isdigit() or (len(part) > 1 and part[0] == "0"):
        return None
    return int(part)


def _sum_ok(values: tuple, table: str) -> bool:
    if table == "applications":
        return values[-1] == sum(values[:-1])
    if table == "litigation":
        return all(values[g * 5 + 4] == sum(values[g * 5:g * 5 + 4]) for g in range(3))
    return True


def row_candidates(cells: list[str], columns: tuple[str, ...], table: str, joined: bool) -> list[tuple] | None:
    """The readings of one row as it stands in flattened text; None when it cannot be read at all
    (a blank cell leaves no trace, a unit or placeholder breaks the run)."""
    texts = [c.translate(_FOLD).replace(",", "") for c in cells]
    if texts and texts[-1].endswith("万元"):  # a unit after the row's last value ends the run, nothing more
        texts[-1] = texts[-1][:-2]
    if any(t == "" for t in texts):
        return None  # an empty cell vanishes from flattened text
    if not joined:
        blanks = ("—", "-", "/", "－", "／", "——", "--", "无")
        vals = [None if t in blanks else _number(t, c) for t, c in zip(texts, columns)]
        if any(v is None and t not in blanks for v, t in zip(vals, texts)):
            return None
        return [tuple(vals)]
    s = "".join(texts)
    marks = ("—", "-", "/", "－", "／", "——", "--", "无")
    if len(texts) == 1 and texts[0] in marks:
        return [(None,)]  # a one-cell row written as a mark: a blank cell
    if any(not (ch.isdigit() or ch in ".+-") for ch in s):
        return None
    groups = [g for g in s.split("-") if g]
    if len(texts) > 1 and "-" in s and s.count("-") + len(groups) <= len(texts):
        return None  # a dash that may be a blank cell or a sign ("2-23": 2 | - | 23, or 2 | -2 | 3): unreadable
    n = len(columns)
    if len(s) == n and s.isdigit():
        return [tuple(int(ch) for ch in s)]
    out = []
    for cuts in itertools.combinations(range(1, len(s)), n - 1):
        bounds = (0,) + cuts + (len(s),)
        vals = tuple(_number(s[a:b], c) for (a, b), c in zip(zip(bounds, bounds[1:]), columns))
        if None not in vals and _sum_ok(vals, table):
            out.append(vals)
    return out


def recoverable(rows: dict[str, list[str]], columns: dict[str, tuple[str, ...]], table: str, fmt: str,
                joined: bool) -> dict[str, tuple | None]:
    """row key -> the one reading a careful reader arrives at, or None."""
    cands = {k: row_candidates(v, columns[k], table, joined) for k, v in rows.items()}
    out: dict[str, tuple | None] = {k: (c[0] if c and len(c) == 1 else None) for k, c in cands.items()}
    if table != "applications":
        return out
    open_rows = [k for k, c in cands.items() if c and len(c) > 1]
    if not open_rows or any(c is None or not c for c in cands.values()):
        return out
    fixed = {k.split(".")[1]: c[0] for k, c in cands.items() if len(c) == 1}
    space = 1
    for k in open_rows:
        space *= len(cands[k])
    if space > 200_000:
        return out
    seen: dict[str, set] = {k: set() for k in open_rows}
    for combo in itertools.product(*(cands[k] for k in open_rows)):
        chosen = dict(fixed)
        chosen.update({k.split(".")[1]: c for k, c in zip(open_rows, combo)})
        if _columns_ok(chosen, fmt):
            for k, c in zip(open_rows, combo):
                seen[k].add(c)
    for k in open_rows:
        out[k] = next(iter(seen[k])) if len(seen[k]) == 1 else None
    return out


def _columns_ok(chosen: dict[str, tuple], fmt: str) -> bool:
    outcome = OUTCOME_ROWS[fmt]
    for c in range(len(APPLICATION_COLUMNS)):
        if all(r in chosen for r in ("new", "carried_over", "total", "carried_forward")):
            if chosen["new"][c] + chosen["carried_over"][c] != chosen["total"][c] + chosen["carried_forward"][c]:
                return False
        if "total" in chosen and all(r in chosen for r in outcome):
            if sum(chosen[r][c] for r in outcome) != chosen["total"][c]:
                return False
    return True
