"""report.md: tables readable on a code-hosting page."""

from __future__ import annotations

from . import tables as T
from .tables import md_cell, md_table

MAX_ERRORS = 25


def _error_line(e: dict) -> str:
    c = e["context"]
    parts = [f"{s['label']} {s['text']!r} [{s['start']}, {s['end']})" for s in (e["gold"], e["pred"]) if s]
    if e["gold"] and e["pred"]:
        what = f"gold {parts[0]} → predicted {parts[1]}"
    else:
        what = ("gold " if e["gold"] else "predicted ") + parts[0]
    ctx = md_cell(f"…{c['left']}**{c['text']}**{c['right']}…")
    return f"- `{e['doc']}` {e['kind']}: {md_cell(what)}: {ctx}"


def render_md(report: dict) -> str:
    meta = report["meta"]
    out = ["# Evaluation report", "",
           f"Strict character-span matching (offsets and label equal) is the primary figure. "
           f"95 % CIs: percentile bootstrap over documents ({meta['bootstrap']['n']} replicates, "
           f"seed {meta['bootstrap']['seed']}). `{T.NA}`: label not predicted by the system; "
           f"`{T.UNDEFINED}`: undefined (nothing to divide by).", ""]
    if meta.get("created"):
        out += [f"Created {meta['created']}.", ""]
    for set_name, set_rep in report["sets"].items():
        counts = ", ".join(f"{k} {v}" for k, v in set_rep["gold_counts"].items())
        out += [f"## Set `{set_name}`", "", f"{set_rep['documents']} documents; gold spans: {counts}.", ""]
        if set_rep.get("note"):
            out += [set_rep["note"], ""]
        out += [f"### Summary: {set_name}", "", md_table(T.SUMMARY_HEADER, T.summary_rows(set_rep)), ""]
        if set_rep.get("versus"):
            out += [f"### Against the rules: {set_name}", "", T.versus_note(set_rep), "",
                    md_table(T.VERSUS_HEADER, T.versus_rows(set_rep)), ""]
        if set_rep.get("records"):
            out += [f"### Records: {set_name}", "", T.RECORDS_NOTE, "",
                    md_table(T.RECORDS_HEADER, T.records_rows(set_rep)), ""]
        for name, sysrep in set_rep["systems"].items():
            out += [f"### System `{name}` on `{set_name}`", "", f"Source: `{sysrep.get('source')}`.", ""]
            if not sysrep.get("available", True):
                out += [f"Unavailable: {sysrep.get('reason')}", ""]
                continue
            out += ["Strict span matching:", "", md_table(T.STRICT_HEADER, T.strict_rows(sysrep)), ""]
            if sysrep.get("folds"):
                out += ["Per fold (leave one document out):", "", md_table(T.FOLD_HEADER, T.fold_rows(sysrep)), ""]
            mis = sysrep["seqeval"]["misaligned"]
            out += [f"seqeval, strict IOB2 over syllables ({mis['gold']} gold and {mis['pred']} predicted "
                    "spans not on syllable boundaries left out):", "",
                    md_table(T.SEQEVAL_HEADER, T.seqeval_rows(sysrep)), "",
                    "Partial matching (SemEval-2013 schemes):", "",
                    md_table(T.PARTIAL_HEADER, T.partial_rows(sysrep)), "",
                    "Pairs by kind (gold label; predicted label for spurious):", "",
                    md_table(T.KINDS_HEADER, T.kinds_rows(sysrep)), ""]
            if sysrep["confusions"]:
                out += ["Most frequent errors:", "", md_table(T.CONFUSION_HEADER, T.confusion_rows(sysrep)), ""]
            errors = sysrep["errors"]
            if errors:
                shown = errors[:MAX_ERRORS]
                more = f" (first {len(shown)}; all in report.html and report.json)" if len(errors) > len(shown) else ""
                out += [f"Errors: {len(errors)}{more}", "", *(_error_line(e) for e in shown), ""]
    if report.get("learning_curve"):
        from .curve import FILES, curve_markdown

        out += [curve_markdown(report["learning_curve"], image=FILES["png"], heading="##"), ""]
    return "\n".join(out).rstrip() + "\n"
