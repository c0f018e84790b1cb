"""report.html: self-contained (inline CSS, charts as base64 PNG) with the full error list."""

from __future__ import annotations

import base64
from html import escape

from . import tables as T
from .chart import f1_chart_png

_CSS = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.2em}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:right;font-size:13px}
th:first-child,td:first-child{text-align:left}
th{background:#f3f3f3}
td.ctx{text-align:left;font-family:monospace;white-space:pre-wrap;max-width:640px}
mark.err{background:#ffe08a}
.kind-missed{color:#a33}.kind-spurious{color:#a60}.kind-boundary{color:#36c}.kind-type{color:#739}
details{margin:.4em 0 1em}summary{cursor:pointer;font-weight:600}
.note{color:#555}
"""


def html_table(header: list[str], rows: list[list[str]], table_id: str | None = None) -> str:
    tid = f' id="{escape(table_id)}"' if table_id else ""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table{tid}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _span_cell(span: dict | None) -> str:
    if span is None:
        return "–"
    return f"{escape(span['label'])} [{span['start']}, {span['end']}) {escape(repr(span['text']))}"


def _errors_table(errors: list[dict]) -> str:
    rows = []
    for e in errors:
        c = e["context"]
        ctx = f"…{escape(c['left'])}<mark class=\"err\">{escape(c['text'])}</mark>{escape(c['right'])}…"
        kind = e["kind"].split("+")[0]
        rows.append(f"<tr><td>{escape(e['doc'])}</td><td class=\"kind-{kind}\">{escape(e['kind'])}</td>"
                    f"<td>{_span_cell(e['gold'])}</td><td>{_span_cell(e['pred'])}</td>"
                    f"<td class=\"ctx\">{ctx}</td></tr>")
    head = "".join(f"<th>{h}</th>" for h in ("document", "kind", "gold", "predicted", "context"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _curve_section(curve: dict, *, charts: bool = True) -> str:
    from .chart import learning_curve_png
    from .curve import CURVE_HEADER, curve_description, curve_rows

    parts = ["<h2 id=\"learning-curve\">Learning curve on dev</h2>",
             f"<p class=\"note\">{escape(curve_description(curve).replace('`', ''))}</p>"]
    if curve.get("notes"):
        parts.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in curve["notes"]) + "</ul>")
    parts.append(html_table(CURVE_HEADER, curve_rows(curve), "learning-curve-table"))
    if charts:
        png = base64.b64encode(learning_curve_png(curve)).decode("ascii")
        parts.append(f"<img alt=\"dev F1 against train.json documents\" src=\"data:image/png;base64,{png}\">")
    return "\n".join(parts)


def render_html(report: dict, *, charts: bool = True) -> str:
    meta = report["meta"]
    parts = ["<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<title>vicluster evaluation report</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>Evaluation report</h1>",
             f"<p class=\"note\">Strict character-span matching is the primary figure. 95&nbsp;% CIs: percentile "
             f"bootstrap over documents ({meta['bootstrap']['n']} replicates, seed {meta['bootstrap']['seed']}). "
             f"<code>{T.NA}</code>: label not predicted by the system; <code>{T.UNDEFINED}</code>: undefined."
             f"{' Created ' + escape(meta['created']) + '.' if meta.get('created') else ''}</p>"]
    for set_name, set_rep in report["sets"].items():
        counts = ", ".join(f"{escape(k)} {v}" for k, v in set_rep["gold_counts"].items())
        parts += [f"<h2>Set <code>{escape(set_name)}</code></h2>",
                  f"<p>{set_rep['documents']} documents; gold spans: {counts}.</p>"]
        if set_rep.get("note"):
            parts.append(f"<p class=\"note\">{escape(set_rep['note'])}</p>")
        parts.append(html_table(T.SUMMARY_HEADER, T.summary_rows(set_rep), f"summary-{set_name}"))
        if charts and any(s.get("available", True) for s in set_rep["systems"].values()):
            png = base64.b64encode(f1_chart_png(set_name, set_rep)).decode("ascii")
            parts.append(f"<img alt=\"F1 per label on {escape(set_name)}\" src=\"data:image/png;base64,{png}\">")
        if set_rep.get("versus"):
            parts += [f"<h3>Against the rules: <code>{escape(set_name)}</code></h3>",
                      f"<p class=\"note\">{escape(T.versus_note(set_rep))}</p>",
                      html_table(T.VERSUS_HEADER, T.versus_rows(set_rep), f"versus-{set_name}")]
        if set_rep.get("records"):
            parts += [f"<h3>Records: <code>{escape(set_name)}</code></h3>",
                      f"<p class=\"note\">{escape(T.RECORDS_NOTE)}</p>",
                      html_table(T.RECORDS_HEADER, T.records_rows(set_rep), f"records-{set_name}")]
        for name, sysrep in set_rep["systems"].items():
            parts.append(f"<h3>System <code>{escape(name)}</code> on <code>{escape(set_name)}</code></h3>"
                         f"<p class=\"note\">Source: <code>{escape(str(sysrep.get('source')))}</code></p>")
            if not sysrep.get("available", True):
                parts.append(f"<p>Unavailable: {escape(str(sysrep.get('reason')))}</p>")
                continue
            sid = f"{set_name}-{name}"
            parts += ["<p>Strict span matching:</p>", html_table(T.STRICT_HEADER, T.strict_rows(sysrep), f"strict-{sid}")]
            if sysrep.get("folds"):
                parts += ["<p>Per fold (leave one document out):</p>", html_table(T.FOLD_HEADER, T.fold_rows(sysrep))]
            mis = sysrep["seqeval"]["misaligned"]
            parts += [f"<p>seqeval, strict IOB2 over syllables ({mis['gold']} gold and {mis['pred']} predicted spans "
                      "not on syllable boundaries left out):</p>",
                      html_table(T.SEQEVAL_HEADER, T.seqeval_rows(sysrep), f"seqeval-{sid}"),
                      "<p>Partial matching (SemEval-2013 schemes):</p>",
                      html_table(T.PARTIAL_HEADER, T.partial_rows(sysrep), f"partial-{sid}"),
                      "<p>Pairs by kind (gold label; predicted label for spurious):</p>",
                      html_table(T.KINDS_HEADER, T.kinds_rows(sysrep))]
            if sysrep["confusions"]:
                parts += ["<p>Most frequent errors:</p>", html_table(T.CONFUSION_HEADER, T.confusion_rows(sysrep))]
            errors = sysrep["errors"]
            parts.append(f"<details><summary>All {len(errors)} errors</summary>{_errors_table(errors)}</details>")
    if report.get("learning_curve"):
        parts.append(_curve_section(report["learning_curve"], charts=charts))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
