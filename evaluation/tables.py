"""Table rows shared by the Markdown, HTML and console renderings of a report (one source of figures)."""

from __future__ import annotations

from annotations.labels import LABELS

NA = "n/a"  # a label the system does not predict
UNDEFINED = "–"  # a ratio with a zero denominator
UNAVAILABLE = "unavailable"


def fmt(value: float | None) -> str:
    return UNDEFINED if value is None else f"{value:.3f}"


def fmt_ci(ci: list[float] | None) -> str:
    return UNDEFINED if not ci else f"{ci[0]:.3f}–{ci[1]:.3f}"


SUMMARY_HEADER = ["system", *(f"{label} F1" for label in LABELS), "micro P", "micro R", "micro F1",
                  "micro F1 95% CI", "macro F1"]


def summary_rows(set_report: dict) -> list[list[str]]:
    """One row per system: F1 per label, micro P/R/F1 with CI, macro F1."""
    rows = []
    for name, sysrep in set_report["systems"].items():
        if not sysrep.get("available", True):
            rows.append([name] + [UNAVAILABLE] * (len(SUMMARY_HEADER) - 1))
            continue
        strict = sysrep["strict"]
        cells = [name]
        cells += [NA if strict.get(label) is None else fmt(strict[label]["f1"]) for label in LABELS]
        micro = strict["micro"]
        cells += [fmt(micro["p"]), fmt(micro["r"]), fmt(micro["f1"]), fmt_ci(micro["ci"]["f1"]),
                  fmt(strict["macro"]["f1"])]
        rows.append(cells)
    return rows


STRICT_HEADER = ["label", "P", "R", "F1", "F1 95% CI", "support", "TP", "FP", "FN"]


def strict_rows(sysrep: dict) -> list[list[str]]:
    strict = sysrep["strict"]
    rows = []
    for key in (*LABELS, "micro", "macro"):
        row = strict.get(key)
        if row is None:
            rows.append([key, NA, NA, NA, NA, NA, NA, NA, NA])
            continue
        counts = ["", "", "", ""] if key == "macro" else [str(row[k]) for k in ("support", "tp", "fp", "fn")]
        rows.append([key, fmt(row["p"]), fmt(row["r"]), fmt(row["f1"]), fmt_ci(row["ci"]["f1"]), *counts])
    return rows


SEQEVAL_HEADER = ["label", "P", "R", "F1", "support"]


def seqeval_rows(sysrep: dict) -> list[list[str]]:
    seq = sysrep["seqeval"]
    rows = []
    for key in (*LABELS, "micro", "macro"):
        if key in LABELS and key not in sysrep["labels"]:
            rows.append([key, NA, NA, NA, NA])
            continue
        row = seq[key]
        rows.append([key, fmt(row["p"]), fmt(row["r"]), fmt(row["f1"]), str(row["support"])])
    return rows


PARTIAL_HEADER = ["scheme", "COR", "INC", "PAR", "MIS", "SPU", "P", "R", "F1"]


def partial_rows(sysrep: dict) -> list[list[str]]:
    rows = []
    for scheme, row in sysrep["partial"]["schemes"].items():
        rows.append([scheme, *(str(row[k]) for k in ("cor", "inc", "par", "mis", "spu")),
                     fmt(row["p"]), fmt(row["r"]), fmt(row["f1"])])
    return rows


KINDS_HEADER = ["label", "exact", "boundary", "type", "boundary+type", "missed", "spurious"]


def kinds_rows(sysrep: dict) -> list[list[str]]:
    kinds = sysrep["partial"]["kinds"]
    return [[label, *(str(kinds[label][k]) for k in KINDS_HEADER[1:])] if label in kinds else [label] + [NA] * 6
            for label in LABELS]


CONFUSION_HEADER = ["gold", "predicted", "kind", "count", "examples"]


def confusion_rows(sysrep: dict) -> list[list[str]]:
    return [[c["gold"] or "–", c["pred"] or "–", c["kind"], str(c["count"]), "; ".join(c["examples"])]
            for c in sysrep["confusions"]]


FOLD_HEADER = ["fold", "documents", *(f"{label} F1" for label in LABELS), "micro P", "micro R", "micro F1"]


def fold_rows(sysrep: dict) -> list[list[str]]:
    rows = []
    for fold in sysrep.get("folds", []):
        strict = fold["strict"]
        rows.append([fold["name"], str(fold["documents"]),
                     *(NA if strict.get(label) is None else fmt(strict[label]["f1"]) for label in LABELS),
                     fmt(strict["micro"]["p"]), fmt(strict["micro"]["r"]), fmt(strict["micro"]["f1"])])
    return rows


def text_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns, for logs."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def md_cell(value: str) -> str:
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "⏎").replace("\r", "")


def md_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


RECORDS_HEADER = ["spans", "gold clusters", "records", "merge pairwise F1", "merge B³ F1", "province acc",
                  "area acc", "fill rate acc", "located_in F1", "area link F1", "fill_rate link F1",
                  "linking P", "linking R", "linking F1"]

RECORDS_NOTE = ("Cluster records (`models/records.py`) against the record gold (relations, "
                "`annotations/guidelines.md` §9). `gold spans`: the gold spans grouped and linked by the rules "
                "of `models/records.py` (linking alone); a system's row: its own spans, end to end. Accuracies "
                "are shares of the gold clusters that have a province / an area / a fill rate (a cluster the "
                "system misses counts as wrong); linking P/R/F1 over the links located_in, area, fill_rate.")


def _acc(part: dict) -> str:
    value = fmt(part["accuracy"])
    return f"{value} ({part['correct']}/{part['gold']})" if part["gold"] else value


def records_rows(set_report: dict) -> list[list[str]]:
    """One row per span source of the set's records section."""
    rows = []
    for name, rec in (set_report.get("records") or {}).items():
        if not rec.get("available", True):
            rows.append([name] + [UNAVAILABLE] * (len(RECORDS_HEADER) - 1))
            continue
        link = rec["linking"]
        rows.append([name, str(rec["gold_clusters"]), str(rec["predicted_clusters"]),
                     fmt(rec["merge"]["pairwise"]["f1"]), fmt(rec["merge"]["bcubed"]["f1"]),
                     _acc(rec["province"]), _acc(rec["values"]["area"]), _acc(rec["values"]["fill_rate"]),
                     fmt(link["located_in"]["f1"]), fmt(link["area"]["f1"]), fmt(link["fill_rate"]["f1"]),
                     fmt(link["micro"]["p"]), fmt(link["micro"]["r"]), fmt(link["micro"]["f1"])])
    return rows


VERSUS_HEADER = ["system", "label", "gained", "lost", "removed", "added", "net TP", "net FP", "agree"]


def versus_note(set_report: dict) -> str:
    ref = (set_report.get("versus") or {}).get("reference", "rules")
    return (f"Each system against `{ref}`, span by span (strict): `gained` gold spans it finds and `{ref}` "
            f"misses, `lost` gold spans `{ref}` finds and it misses, `removed` spurious spans of `{ref}` it "
            f"drops, `added` spurious spans of its own; `net TP` = gained - lost, `net FP` = added - removed. "
            f"A model that only copies its rule hints gains nothing.")


def versus_rows(set_report: dict) -> list[list[str]]:
    """One row per system and label (micro first) of the set's ``versus`` section."""
    rows = []
    for name, by_label in ((set_report.get("versus") or {}).get("systems") or {}).items():
        for label in ["micro", *(k for k in by_label if k != "micro")]:
            c = by_label[label]
            rows.append([name, label, str(c["gained"]), str(c["lost"]), str(c["removed"]), str(c["added"]),
                         f"{c['gained'] - c['lost']:+d}", f"{c['added'] - c['removed']:+d}", str(c["agree"])])
    return rows
