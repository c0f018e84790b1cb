"""The report: a versioned JSON document, and its Markdown, HTML and console renderings.

Schema 1::

    {"schema": 1, "meta": {created, labels, bootstrap: {n, seed, confidence}, context_chars, ...},
     "sets": {SET: {documents, gold_counts: {label: n}, source, note?,
                    versus?: {reference, systems: {NAME: {LABEL | micro: {gained, lost, removed, added, agree}}}},
                    records?: {"gold spans" | NAME: {gold_clusters, predicted_clusters, merge: {pairwise,
                               bcubed}, province, values: {area, fill_rate}, linking: {located_in, area,
                               fill_rate, micro}}},
                    systems: {NAME: {available, reason?, source, labels, seconds,
                                     strict: {LABEL: {p, r, f1, support, tp, fp, fn, ci: {p, r, f1}} | null,
                                              micro: {...}, macro: {p, r, f1, support, ci}},
                                     seqeval: {LABEL: {p, r, f1, support}, micro, macro, misaligned},
                                     partial: {schemes: {strict|exact|partial|type: {...}}, kinds: {...}},
                                     errors: [...], confusions: [...], folds?: [...]}}}},
     "learning_curve"?: {...}}

``learning_curve`` (``python -m evaluation ci`` with the dev set present) is the dict of
:func:`evaluation.curve.build_curve`; its files (learning_curve.json/.md/.png) are written
beside the report.

A label the system does not predict is ``null`` under ``strict``; a ratio with a zero
denominator is ``null``; a CI is ``[low, high]`` or ``null``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from annotations.labels import LABELS
from annotations.labelstudio import write_atomic

from . import tables as T
from .jsonio import dumps_json
from .render_html import render_html
from .render_md import render_md

SCHEMA = 1


def make_report(sets: dict[str, dict], *, n_boot: int, seed: int, confidence: float = 0.95,
                context_chars: int = 60, **meta) -> dict:
    """Wrap evaluated sets (from :func:`evaluation.evaluate.evaluate_set`) with metadata."""
    return {"schema": SCHEMA,
            "meta": {"created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "labels": list(LABELS),
                     "bootstrap": {"n": n_boot, "seed": seed, "confidence": confidence},
                     "context_chars": context_chars, **meta},
            "sets": sets}


def dumps_report(report: dict) -> str:
    return dumps_json(report)


def load_report(path: str | Path) -> dict:
    report = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(report, dict) or report.get("schema") != SCHEMA:
        raise ValueError(f"{path}: not a schema-{SCHEMA} evaluation report")
    return report


def write_report(report: dict, out_dir: str | Path, *, charts: bool = True) -> dict[str, Path]:
    """Write ``report.json``, ``report.md`` and ``report.html`` into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"json": out_dir / "report.json", "md": out_dir / "report.md", "html": out_dir / "report.html"}
    write_atomic(paths["json"], dumps_report(report))
    write_atomic(paths["md"], render_md(report))
    write_atomic(paths["html"], render_html(report, charts=charts))
    if report.get("learning_curve"):
        from .curve import write_curve

        for key, path in write_curve(report["learning_curve"], out_dir).items():
            paths[f"curve_{key}"] = path
    return paths


def summary_text(report: dict) -> str:
    """The per-set summary tables as plain text (what ``python -m evaluation`` prints)."""
    blocks = []
    for set_name, set_rep in report["sets"].items():
        blocks.append(f"== {set_name}: {set_rep['documents']} documents, strict span F1 ==\n"
                      + T.text_table(T.SUMMARY_HEADER, T.summary_rows(set_rep)))
        if set_rep.get("versus"):
            blocks.append(f"== {set_name}: span by span against {set_rep['versus']['reference']} ==\n"
                          + T.text_table(T.VERSUS_HEADER, T.versus_rows(set_rep)))
        if set_rep.get("records"):
            blocks.append(f"== {set_name}: cluster records ==\n"
                          + T.text_table(T.RECORDS_HEADER, T.records_rows(set_rep)))
    if report.get("learning_curve"):
        from .curve import curve_text

        blocks.append(curve_text(report["learning_curve"]))
    return "\n\n".join(blocks)
