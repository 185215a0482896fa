"""Run the eval: labelled seeds, real reports, a mutation set and narrative (LLM) cases.

    python -m eval.run                      # offline: CI mode; LLM cases replayed via the fake server
    python -m eval.run --live --model M     # LLM cases against a real endpoint (OPENAI_* env); never in CI
    python -m eval.run --out eval/results --no-save --only seeds,real

Why one script: CI needs one command whose exit status says "regressed or not"; a reviewer
needs one markdown page that says what was measured and what changed since the last saved run.
Exit status: 0 all thresholds met, 1 a threshold failed, 2 the harness could not run.

Datasets are data files (eval/LABELS.md); adding a labelled report is adding one JSON file.
Corpus files are referenced by path relative to the repo and skipped, with a note, when absent.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import re
import os
import random
import sys
import time
import tomllib
import traceback
from pathlib import Path

if __package__ in (None, ""):  # `python eval/run.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eval import metrics as M  # noqa: E402

EVAL_DIR = Path(__file__).resolve().parent
REPO = EVAL_DIR.parent
DATASETS = EVAL_DIR / "datasets"
TABLES = ("active", "applications", "litigation")
Q_CODES = ("Q001", "Q002", "Q003")


# ---------------------------------------------------------------- loading


def load_labels(directory: Path) -> list[dict]:
    """Every *.json label in a dataset folder, sorted by file name."""
    out = []
    for p in sorted(Path(directory).glob("*.json")):
        with open(p, encoding="utf-8") as fh:
            d = json.load(fh)
        d["_file"] = str(p.relative_to(REPO)) if p.is_relative_to(REPO) else str(p)
        out.append(d)
    return out


def resolve_source(label: dict, repo: Path = REPO) -> Path:
    return (repo / label["source"]).resolve()


def _public(result) -> dict:
    """AuditResult → its public dict (CLI.md), tolerant of a plain dict."""
    if isinstance(result, tuple):  # audit_path returns (AuditResult, Document | None)
        result = result[0]
    if isinstance(result, dict):
        return result
    return result.to_public()


def _facts_dict(facts) -> dict:
    if facts is None:
        return {}
    if hasattr(facts, "model_dump"):
        return facts.model_dump()
    return dict(facts)


def _fired(pub: dict) -> list[str]:
    return [f["code"] for f in pub.get("findings", [])]


def _table_statuses(pub: dict) -> dict[str, str]:
    return {t["name"]: t["status"] for t in pub.get("tables", [])}


# ---------------------------------------------------------------- labelled reports (seeds, real)


def eval_labelled(labels: list[dict], audit_path) -> dict:
    """Audit each labelled file and score cells, metadata, codes, table statuses and time."""
    per, notes = [], []
    cell_s, meta_s, outcomes, tables, times = [], [], [], [], []
    forbidden_hits = []
    for lab in labels:
        src = resolve_source(lab)
        if not src.exists():
            notes.append(f"{lab['id']}: skipped, source {lab['source']} not found (corpus absent)")
            continue
        t0 = time.perf_counter()
        try:
            pub = _public(audit_path(str(src)))
            err = pub.get("error")
        except Exception as exc:  # a crash is a result, not a harness failure
            pub, err = {"facts": {}, "findings": [], "tables": []}, f"{type(exc).__name__}: {exc}"
        dt = time.perf_counter() - t0
        times.append(dt)
        facts = pub.get("facts", {}) or {}
        cells = facts.get("cells", {}) or {}
        cs = M.cell_scores(lab.get("cells", {}), cells, lab.get("cells_complete", False), lab.get("ignore_keys", ()))
        ms = M.meta_scores(lab.get("facts", {}), facts)
        codes = lab.get("codes", {})
        fired = _fired(pub)
        oc = M.code_outcome(codes.get("expected", {}), codes.get("optional", {}), fired)
        forb = sorted(set(fired) & set(codes.get("forbidden", {})))
        statuses = _table_statuses(pub)
        touts = {}
        for name, tl in (lab.get("tables") or {}).items():
            n = sum(1 for k in cells if k.startswith(name + "."))
            touts[name] = M.table_outcome(tl, statuses.get(name), n)
            tables.append(touts[name])
            # rows a careful reader cannot recover (run-together digits with several splits): the
            # tool must claim none of their cells; counted for honesty like unrecoverable tables
            for row in tl.get("unrecoverable_rows", []):
                n_row = sum(1 for k in cells if k.startswith(row + "."))
                tables.append(M.table_outcome({"recoverable": False, "accept": ["unparsed"]},
                                              "unparsed" if n_row == 0 else "parsed", n_row))
        cell_s.append(cs)
        meta_s.append(ms)
        outcomes.append(oc)
        forbidden_hits += [(lab["id"], c) for c in forb]
        per.append({
            "id": lab["id"], "file": lab["source"], "error": err, "seconds": round(dt, 4),
            "cells": {k: v for k, v in cs.items() if k != "errors"}, "cell_errors": cs["errors"][:12],
            "meta_wrong": sorted(k for k, v in ms.items() if not v),
            "meta_got": {k: facts.get(k) for k, v in ms.items() if not v and k != "sections"},
            "tp": sorted(oc["tp"]), "fp": sorted(oc["fp"]), "fn": sorted(oc["fn"]), "forbidden_fired": forb,
            "tables": {k: v["status"] for k, v in touts.items()},
        })
    prf = M.per_code_prf(outcomes)
    summary = {
        "reports": len(per),
        "read_errors": sum(1 for p in per if p["error"]),
        "cell_accuracy": M.cell_accuracy(cell_s),
        "cells_labelled": sum(c["labelled"] for c in cell_s),
        "meta_accuracy": M.meta_accuracy(meta_s),
        "codes": prf,
        "code_precision": prf["_micro"]["precision"],
        "code_recall": prf["_micro"]["recall"],
        "code_f1": prf["_micro"]["f1"],
        "forbidden_fired": len(forbidden_hits),
        "coverage": M.coverage(tables),
        "seconds_mean": M.mean(times),
        "seconds_max": max(times) if times else None,
    }
    return {"summary": summary, "reports": per, "notes": notes}


# ---------------------------------------------------------------- mutation set


def _audit_generated(audit_text, rep, name: str):
    """A generated report as the tool meets it: text in memory, or the file (html/docx/pdf) on disk."""
    if getattr(rep, "data", None) is None:
        return audit_text(rep.text, name=name)
    import tempfile

    from summarizer.audit import audit_path

    with tempfile.TemporaryDirectory() as tmp:
        result, _ = audit_path(rep.write(tmp))
    return result


def eval_mutations(audit_text, synth, seeds: int = 1, noise=None, layouts=None) -> dict:
    """Clean generated reports × every defect × every layout × every format (with `noise` switched on)."""
    defects = [None] + sorted(synth.DEFECTS)
    cell_s, meta_s, outcomes, clean_fired, times, per, notes = [], [], [], [], [], [], []
    by_defect: dict[str, list[int]] = {}
    layouts = layouts or getattr(synth, "ALL_LAYOUTS", synth.LAYOUTS)
    by_layout: dict[str, list] = {}
    for fmt in ("2019", "2021"):
        for layout in layouts:
            for defect in defects:
                for s in range(seeds):
                    name = f"{fmt}/{layout}/{defect or 'clean'}/{s}"
                    rng = random.Random(f"{fmt}-{layout}-{defect}-{s}")
                    try:
                        rep = synth.generate(rng, fmt=fmt, layout=layout, defect=defect, **({"noise": noise} if noise else {}))
                    except Exception as exc:
                        notes.append(f"{name}: generator failed: {type(exc).__name__}: {exc}")
                        continue
                    t0 = time.perf_counter()
                    try:
                        pub = _public(_audit_generated(audit_text, rep, name))
                    except Exception as exc:
                        pub = {"facts": {}, "findings": [], "tables": []}
                        notes.append(f"{name}: audit crashed: {type(exc).__name__}: {exc}")
                    times.append(time.perf_counter() - t0)
                    facts = pub.get("facts", {}) or {}
                    want_facts = _facts_dict(rep.facts)
                    want_facts.pop("cells", None)
                    cs = M.cell_scores(rep.cells, facts.get("cells", {}) or {}, complete=True)
                    ms = M.meta_scores({k: v for k, v in want_facts.items() if k in M.META_FIELDS and k != "sections"}, facts)
                    fired = _fired(pub)
                    oc = M.code_outcome(rep.expected_codes, getattr(rep, "optional_codes", ()), fired)
                    cell_s.append(cs)
                    meta_s.append(ms)
                    outcomes.append(oc)
                    by_layout.setdefault(layout, []).append((cs, oc))
                    if defect is None:
                        # expected on a clean report only where the layout itself forces it (S008 for
                        # flattened rows no reader can split)
                        clean_fired.append(set(fired) - set(getattr(rep, "optional_codes", ())) - set(rep.expected_codes))
                    else:
                        hit = by_defect.setdefault(defect, [0, 0])
                        hit[1] += 1
                        hit[0] += int(not oc["fn"])
                    meta_wrong = sorted(k for k, v in ms.items() if not v)
                    if oc["fn"] or oc["fp"] or cs["wrong"] or cs["missing"] or cs["spurious"] or meta_wrong:
                        per.append({"case": name, "fn": sorted(oc["fn"]), "fp": sorted(oc["fp"]),
                                    "meta_wrong": {k: facts.get(k) for k in meta_wrong},
                                    "cell_errors": cs["errors"][:5]})
    prf = M.per_code_prf(outcomes)
    return {
        "summary": {
            "reports": len(outcomes),
            "cell_accuracy": M.cell_accuracy(cell_s),
            "meta_accuracy": M.meta_accuracy(meta_s)["all"],
            "meta_fields": M.meta_accuracy(meta_s),
            "codes": prf,
            "code_precision": prf["_micro"]["precision"],
            "code_recall": prf["_micro"]["recall"],
            "code_f1": prf["_micro"]["f1"],
            "clean_reports": len(clean_fired),
            "false_alarm_rate": M.false_alarm_rate(clean_fired),
            "defects_caught": {d: M.ratio(h[0], h[1]) for d, h in sorted(by_defect.items())},
            "layouts": {lay: {"cell_accuracy": M.cell_accuracy([c for c, _ in v]),
                              "code_precision": M.per_code_prf([o for _, o in v])["_micro"]["precision"],
                              "code_recall": M.per_code_prf([o for _, o in v])["_micro"]["recall"]}
                        for lay, v in by_layout.items()},
            "seconds_mean": M.mean(times),
        },
        "failures": per[:40],
        "notes": notes,
    }


def eval_beginnings(path: Path, audit_text) -> dict:
    """Real page beginnings of many reports (title, page header, preamble, the start of 一、总体情况;
    short excerpts from public archives, labelled by hand): agency, year and period right?"""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    fields = {"agency": 0, "year": 0, "period": 0}
    wrong: list[dict] = []
    all_right = 0
    for rec in rows:
        try:
            res = audit_text(rec["text"], name=rec["id"])
            facts = res.facts
            got = {"agency": facts.agency, "year": facts.year,
                   "period": {"start": facts.period.start, "end": facts.period.end} if facts.period else None}
        except Exception as exc:  # a beginning refused as "not a report" counts as wrong everywhere
            got = {"agency": f"<{type(exc).__name__}>", "year": None, "period": None}
        ok = {
            "agency": re.sub(r"\s", "", got["agency"] or "") in {
                re.sub(r"\s", "", a or "") for a in (rec["agency"] if isinstance(rec["agency"], list) else [rec["agency"]])},
            "year": got["year"] == rec["year"],
            "period": got["period"] == rec["period"],
        }
        for k, v in ok.items():
            fields[k] += v
        all_right += all(ok.values())
        if not all(ok.values()):
            wrong.append({"id": rec["id"], **{k: {"want": rec[k], "got": got[k]} for k in ok if not ok[k]}})
    n = len(rows)
    return {"summary": {"reports": n, "meta_accuracy": M.ratio(all_right, n),
                        **{f"{k}_accuracy": M.ratio(v, n) for k, v in fields.items()}},
            "failures": wrong[:20]}


def eval_noises(audit_text, synth, seeds: int = 1, names: list[str] | None = None) -> dict:
    """The mutation set once per noise switch (testkit/noises.py) and once with all of them on.

    Why per noise: a figure over all noises says the tool is fooled, one per noise says by what.
    """
    from testkit.noises import NOISES

    runs = {name: {name} for name in (names or sorted(NOISES))}
    runs["all"] = set(NOISES)
    out = {}
    # each switch alone in every layout but the slow PDF one; all switches together in every layout
    quick = [lay for lay in getattr(synth, "ALL_LAYOUTS", synth.LAYOUTS) if lay != "pdf"]
    for name, on in runs.items():
        r = eval_mutations(audit_text, synth, seeds, noise=on, layouts=None if name == "all" else quick)
        keep = ("reports", "cell_accuracy", "meta_accuracy", "code_precision", "code_recall", "false_alarm_rate")
        out[name] = {"summary": {k: r["summary"][k] for k in keep}, "meta_fields": r["summary"]["meta_fields"],
                     "codes": r["summary"]["codes"], "failures": r["failures"][:15], "notes": r["notes"][:10]}
    return out


# ---------------------------------------------------------------- narrative (LLM) cases


def compose_report(case: dict, synth) -> str:
    """A full report: a generated clean base whose sections 一/五/六 are replaced by the case's text.

    Why: the LLM tasks judge narrative; the tables only need to be there and be consistent.
    """
    rng = random.Random(case.get("base_seed", 0))
    text = synth.generate(rng, fmt=case.get("format", "2021"), layout="cells").text
    lines = text.split("\n")
    heads = {}
    for i, line in enumerate(lines):
        s = line.strip()
        for n, num in enumerate("一二三四五六", 1):
            if s.startswith(num + "、") and n not in heads:
                heads[n] = i
    repl = {1: case.get("overall"), 5: case.get("problems"), 6: case.get("other")}
    out, i = [], 0
    order = sorted(heads.items(), key=lambda kv: kv[1])
    for idx, (n, start) in enumerate(order):
        end = order[idx + 1][1] if idx + 1 < len(order) else len(lines)
        out += lines[i:start]
        if repl.get(n) is not None:
            out.append(lines[start])
            out += repl[n].strip().split("\n")
            i = end
        else:
            i = start
    out += lines[i:]
    return "\n".join(out) + "\n"


def _level_points(rubric: list[dict], crit: str, level: str) -> float | None:
    for c in rubric:
        if c["id"] == crit:
            for lv in c["levels"]:
                if lv["id"] == level:
                    return c["points"] * lv["fraction"]
    return None


def _save_recording(case_id: str, cfg, cache_dir: Path, root: Path = DATASETS) -> None:
    """Write the live answers of one case as replayable responses (calls in the order they were made).

    Only the validated answers are kept (no keys, no headers: the cache never holds them).
    """
    import sqlite3

    files = list(Path(cache_dir).glob("*.sqlite3")) + list(Path(cache_dir).glob("*.db"))
    responses = []
    for f in files:
        with sqlite3.connect(f) as con:
            for (value,) in con.execute("SELECT value FROM answers ORDER BY created, rowid"):
                answer = json.loads(value).get("answer", {})
                responses.append({"content": json.dumps(answer, ensure_ascii=False), "usage": [0, 0]})
    if responses:
        path = root / "narrative" / "recorded" / f"{case_id}.json"
        path.write_text(json.dumps({"model": cfg.model, "recorded": "live", "responses": responses},
                                   ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def eval_narrative(cases: list[dict], mode: str, model: str | None, record: bool = False,
                   root: Path = DATASETS) -> dict:
    """Run the LLM layer on each case; replay mode serves the recorded answers via the fake server."""
    try:
        from testkit import synth  # noqa: F401
        from summarizer.audit import audit_text
        from summarizer.llm import LLMConfig, run_llm
        from summarizer.document import to_document
        from summarizer.rubric import llm_criteria
    except Exception as exc:
        return {"skipped": f"LLM layer not importable ({type(exc).__name__}: {exc})"}
    rubric = llm_criteria()
    server = None
    if mode == "replay":
        try:
            from testkit import fake_server
        except Exception as exc:
            return {"skipped": f"fake server not importable ({type(exc).__name__}: {exc})"}
    labels_q, preds_q, lab_scores, got_scores = [], [], [], []
    kept = returned = calls = ptok = ctok = 0
    lat, per, in_range = [], [], []
    for case in cases:
        text = compose_report(case, synth)
        result = audit_text(text, name=case["id"])
        doc = to_document(text, case["id"], "utf-8")  # the same Document audit_text builds
        if mode == "replay":
            rec_path = root / "narrative" / "recorded" / f"{case['id']}.json"
            if not rec_path.exists():
                per.append({"id": case["id"], "skipped": "no recorded responses (run python -m eval.script_replies)"})
                continue
            recorded = json.loads(rec_path.read_text(encoding="utf-8"))
            server = fake_server.FakeOpenAI(
                [fake_server.chat_reply(r["content"], usage=tuple(r.get("usage") or (0, 0))) for r in recorded["responses"]]
            ).start()
            cfg = LLMConfig(model=recorded.get("model", "replay"), base_url=server.base_url, api_key="replay",
                            no_cache=True, budget_s=30)
        else:
            record_dir = None
            if record:  # answers land in a fresh cache, from which they are saved for replay
                import tempfile

                record_dir = Path(tempfile.mkdtemp(prefix="eval-record-"))
            cfg = LLMConfig.from_env(model=model, no_cache=not record, cache_dir=record_dir)
        t0 = time.perf_counter()
        try:
            run_llm(result, doc, cfg)
        finally:
            if server is not None:
                server.stop()
                server = None
        lat.append(time.perf_counter() - t0)
        if mode == "live" and record:
            _save_recording(case["id"], cfg, record_dir, root)
        st = result.llm
        calls += st.calls
        ptok += st.prompt_tokens
        ctok += st.completion_tokens
        got_codes = {f.code for f in result.findings if f.source == "llm"}
        summ = result.summary or {}
        n_items = (sum(len(summ.get(k) or []) for k in ("overall", "problems", "improvements"))
                   + sum(1 for f in result.findings if f.source == "llm")
                   + sum(1 for c in (result.rubric or {}).get("criteria", [])
                         if c.get("kind") == "llm" and c.get("score") is not None))
        kept += n_items
        returned += n_items + st.dropped
        exp = case.get("expected_q", {})
        for q in Q_CODES:
            if q in exp:
                labels_q.append(bool(exp[q]))
                preds_q.append(q in got_codes)
        scores = {}
        for c in (result.rubric or {}).get("criteria", []):
            if c.get("id") in case.get("rubric", {}) and c.get("score") is not None:
                scores[c["id"]] = c["score"]
        for crit, (lo, hi) in case.get("rubric", {}).items():
            if crit in scores:
                lab_scores.append((lo + hi) / 2)
                got_scores.append(scores[crit])
                in_range.append(lo <= scores[crit] <= hi)
        per.append({"id": case["id"], "q_expected": exp, "q_got": sorted(got_codes), "scores": scores,
                    "calls": st.calls, "dropped": st.dropped, "notes": st.notes[:3]})
    n = len(lat)
    return {
        "mode": mode,
        "note": ("replayed recorded/scripted answers through the local fake server: this tests the "
                 "pipeline (prompting, parsing, grounding, scoring), not the model" if mode == "replay"
                 else f"live endpoint, model {model}"),
        "summary": {
            "cases": n,
            "grounding_rate": M.grounding_rate(kept, returned),
            "q_kappa": M.cohen_kappa(labels_q, preds_q) if labels_q else None,
            "q_agreement": M.ratio(sum(a == b for a, b in zip(labels_q, preds_q)), len(labels_q)),
            "rubric_spearman": M.spearman(lab_scores, got_scores),
            "rubric_in_range": M.ratio(sum(in_range), len(in_range)),
            "calls_per_report": M.ratio(calls, n),
            "tokens_per_report": M.ratio(ptok + ctok, n),
            "latency_s_per_report": M.mean(lat),
        },
        "cases": per,
    }


# ---------------------------------------------------------------- flatten, thresholds, deltas


def headline(results: dict) -> dict[str, float | None]:
    """The flat figures that thresholds and deltas talk about."""
    h: dict[str, float | None] = {}
    for ds in ("seeds", "real", "beginnings", "mutation"):
        s = (results.get(ds) or {}).get("summary")
        if not s:
            continue
        for k in ("cell_accuracy", "code_precision", "code_recall", "code_f1", "false_alarm_rate", "seconds_mean",
                  "forbidden_fired", "read_errors"):
            if k in s:
                h[f"{ds}.{k}"] = s[k]
        ma = s.get("meta_accuracy")
        if isinstance(ma, dict):
            h[f"{ds}.meta_accuracy"] = ma.get("all")
        elif ma is not None:
            h[f"{ds}.meta_accuracy"] = ma
        for lay, figs in (s.get("layouts") or {}).items():
            for k, v in figs.items():
                h[f"{ds}.layout.{lay}.{k}"] = v
        cov = s.get("coverage")
        if cov:
            h[f"{ds}.parse_coverage"] = cov["parse_coverage"]
            h[f"{ds}.honest_unparsed"] = cov["honest_unparsed"]
            h[f"{ds}.status_agreement"] = cov["status_agreement"]
    for name, r in (results.get("noise") or {}).items():
        for k, v in (r.get("summary", {}) if isinstance(r, dict) else {}).items():
            if k != "reports":
                h[f"noise.{name}.{k}"] = v
    nar = (results.get("narrative") or {}).get("summary")
    if nar:
        for k, v in nar.items():
            h[f"narrative.{k}"] = v
    return h


def load_thresholds(path: Path) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def check_thresholds(h: dict, th: dict) -> list[str]:
    """Failures as readable lines. A figure that could not be measured (None) fails a threshold:
    a crash must not pass for "no regression"."""
    fails = []
    for key, lo in (th.get("min") or {}).items():
        v = h.get(key)
        if v is None or v < lo:
            fails.append(f"{key} = {fmt(v)} < min {lo}")
    for key, hi in (th.get("max") or {}).items():
        v = h.get(key)
        if v is None or v > hi:
            fails.append(f"{key} = {fmt(v)} > max {hi}")
    return fails


def deltas(cur: dict, prev: dict) -> dict[str, float | None]:
    out = {}
    for k, v in cur.items():
        p = prev.get(k)
        out[k] = None if (v is None or p is None or isinstance(v, str) or isinstance(p, str)) else v - p
    return out


def fmt(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


# ---------------------------------------------------------------- report


def render_md(results: dict, h: dict, d: dict, fails: list[str]) -> str:
    L = [f"# Eval results ({results['meta']['mode']})", "",
         f"Run {results['meta']['when']} · commit-free workspace · {results['meta']['python']}", ""]
    L += ["## Headline", "", "| figure | value | Δ vs previous |", "|---|---|---|"]
    for k, v in h.items():
        dv = d.get(k)
        L.append(f"| {k} | {fmt(v)} | {'' if dv is None else f'{dv:+.3f}'} |")
    L += ["", "Thresholds: " + ("all met" if not fails else "FAILED"), ""]
    L += [f"- {f}" for f in fails]
    for ds in ("seeds", "real"):
        r = results.get(ds)
        if not r:
            continue
        L += ["", f"## {ds}", "", "| report | cells ok/labelled | meta wrong | tables | missed codes | extra codes | forbidden | s |",
              "|---|---|---|---|---|---|---|---|"]
        for p in r["reports"]:
            c = p["cells"]
            t = ", ".join(f"{k[:3]}:{v}" for k, v in p["tables"].items())
            L.append(f"| {p['id']} | {c['correct']}/{c['labelled']}{' +' + str(c['spurious']) if c['spurious'] else ''} | "
                     f"{', '.join(p['meta_wrong'])} | {t} | {' '.join(p['fn'])} | {' '.join(p['fp'])} | "
                     f"{' '.join(p['forbidden_fired'])} | {p['seconds']:.2f} |" + (f" error: {p['error']}" if p["error"] else ""))
        codes = r["summary"]["codes"]
        L += ["", "| code | P | R | F1 | tp/fp/fn |", "|---|---|---|---|---|"]
        for code, m in codes.items():
            L.append(f"| {code} | {fmt(m['precision'])} | {fmt(m['recall'])} | {fmt(m['f1'])} | {m['tp']}/{m['fp']}/{m['fn']} |")
        L += [f"- {n}" for n in r.get("notes", [])]
    mu = results.get("mutation")
    if mu:
        L += ["", "## mutation set", ""]
        if "skipped" in mu:
            L.append(f"Skipped: {mu['skipped']}")
        else:
            s = mu["summary"]
            L.append(f"{s['reports']} generated reports ({s['clean_reports']} clean); false-alarm rate {fmt(s['false_alarm_rate'])}.")
            L += ["", "| layout | cells | code P | code R |", "|---|---|---|---|"]
            L += [f"| {lay} | {fmt(f['cell_accuracy'])} | {fmt(f['code_precision'])} | {fmt(f['code_recall'])} |"
                  for lay, f in (s.get("layouts") or {}).items()]
            L += ["", "| defect | caught |", "|---|---|"] + [f"| {k} | {fmt(v)} |" for k, v in s["defects_caught"].items()]
            L += ["", "| code | P | R | F1 |", "|---|---|---|---|"]
            L += [f"| {c} | {fmt(m['precision'])} | {fmt(m['recall'])} | {fmt(m['f1'])} |" for c, m in s["codes"].items()]
            L += [f"- {n}" for n in mu.get("notes", [])[:20]]
    no = results.get("noise")
    if no:
        L += ["", "## noise (mutation set with each noise switch on, and all of them)", ""]
        if "skipped" in no:
            L.append(f"Skipped: {no['skipped']}")
        else:
            L += ["| noise | reports | code P | code R | meta | cells | false alarms | first failures |",
                  "|---|---|---|---|---|---|---|---|"]
            for name, r in no.items():
                s_ = r["summary"]
                fails_ = "; ".join(f"{f['case']} fn={','.join(f['fn'])} fp={','.join(f['fp'])}" for f in r["failures"][:2])
                L.append(f"| {name} | {s_['reports']} | {fmt(s_['code_precision'])} | {fmt(s_['code_recall'])} | "
                         f"{fmt(s_['meta_accuracy'])} | {fmt(s_['cell_accuracy'])} | {fmt(s_['false_alarm_rate'])} | {fails_} |")
    na = results.get("narrative")
    if na:
        L += ["", "## narrative (LLM) cases", ""]
        if "skipped" in na:
            L.append(f"Skipped: {na['skipped']}")
        else:
            L.append(na["note"] + ".")
            L += ["", "| case | Q expected | Q got | scores | calls | dropped |", "|---|---|---|---|---|---|"]
            for c in na["cases"]:
                if "skipped" in c:
                    L.append(f"| {c['id']} | skipped: {c['skipped']} |||||")
                    continue
                L.append(f"| {c['id']} | {json.dumps(c['q_expected'])} | {' '.join(c['q_got'])} | {json.dumps(c['scores'])} | {c['calls']} | {c['dropped']} |")
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------- main


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="python -m eval.run", description=__doc__.split("\n")[0])
    ap.add_argument("--live", action="store_true", help="run the narrative cases against a real endpoint (OPENAI_API_KEY/OPENAI_BASE_URL)")
    ap.add_argument("--model", default=None, help="model for --live (else $AUDIT_MODEL)")
    ap.add_argument("--record", action="store_true",
                    help="with --live: save the model's validated answers to datasets/narrative/recorded/ for CI replay")
    ap.add_argument("--out", default=str(EVAL_DIR / "results"), help="folder for latest.md / latest.json")
    ap.add_argument("--thresholds", default=str(EVAL_DIR / "thresholds.toml"))
    ap.add_argument("--only", default="seeds,real,beginnings,mutation,noise,narrative", help="comma list of datasets")
    ap.add_argument("--mutation-seeds", type=int, default=1, help="generated reports per format×layout×defect")
    ap.add_argument("--no-save", action="store_true", help="do not overwrite latest.* (deltas still computed)")
    ap.add_argument("--datasets", default=str(DATASETS), help="root of the dataset folders")
    return ap.parse_args(argv)


def main(argv=None) -> int:
    a = parse_args(argv)
    only = set(a.only.split(","))
    root = Path(a.datasets)
    mode = "live" if a.live else "offline"
    if a.live and not (a.model or os.environ.get("AUDIT_MODEL")):
        print("--live needs --model (or AUDIT_MODEL)", file=sys.stderr)
        return 2
    try:
        from summarizer.audit import audit_path, audit_text
    except Exception as exc:
        print(f"cannot import summarizer.audit: {exc}", file=sys.stderr)
        return 2
    results: dict = {"meta": {"mode": mode, "when": _dt.datetime.now().isoformat(timespec="seconds"),
                              "python": sys.version.split()[0], "model": a.model}}
    for ds in ("seeds", "real"):
        if ds in only and (root / ds).is_dir():
            results[ds] = eval_labelled(load_labels(root / ds), audit_path)
    if "beginnings" in only and (root / "beginnings.jsonl").is_file():
        results["beginnings"] = eval_beginnings(root / "beginnings.jsonl", audit_text)
    if "mutation" in only:
        try:
            from testkit import synth
            results["mutation"] = eval_mutations(audit_text, synth, a.mutation_seeds)
        except ImportError as exc:
            results["mutation"] = {"skipped": f"testkit.synth not importable: {exc}"}
        except Exception:
            results["mutation"] = {"skipped": "harness error:\n" + traceback.format_exc(limit=3)}
    if "noise" in only:
        try:
            from testkit import synth
            results["noise"] = eval_noises(audit_text, synth, a.mutation_seeds)
        except ImportError as exc:
            results["noise"] = {"skipped": f"testkit not importable: {exc}"}
    if "narrative" in only and (root / "narrative").is_dir():
        cases = load_labels(root / "narrative")
        try:
            results["narrative"] = eval_narrative(cases, "live" if a.live else "replay", a.model, record=a.record,
                                              root=root)
        except Exception:
            results["narrative"] = {"skipped": "harness error:\n" + traceback.format_exc(limit=3)}

    h = headline(results)
    out = Path(a.out)
    prev_path = out / ("latest.json" if mode == "offline" else "latest-live.json")
    prev = {}
    if prev_path.exists():
        try:
            prev = json.loads(prev_path.read_text(encoding="utf-8")).get("headline", {})
        except Exception:
            prev = {}
    d = deltas(h, prev)
    th = load_thresholds(Path(a.thresholds)) if Path(a.thresholds).exists() else {}
    th_mode = th.get(mode, {}) if mode in th else th
    fails = check_thresholds(h, th_mode) if not a.live else []  # live runs report, never gate
    results["headline"] = h
    results["deltas"] = d
    results["threshold_failures"] = fails
    md = render_md(results, h, d, fails)
    if not a.no_save:
        out.mkdir(parents=True, exist_ok=True)
        stem = "latest" if mode == "offline" else "latest-live"
        (out / f"{stem}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        (out / f"{stem}.md").write_text(md, encoding="utf-8")
    print(md)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
