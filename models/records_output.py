"""Writing cluster records: JSON lines, JSON, CSV and a plain table, one document or a corpus.

``write_records(out, items, fmt)`` writes ``(doc_id, records)`` pairs: ``jsonl`` one object per
document (``{"doc_id": ..., "clusters": [...]}``), ``json`` a list of those, ``csv`` and
``table`` one row per cluster. :func:`aggregate_rows` is the table across documents: one row
per (cluster key, doc_id), where a key is the normalised name, type and province
(:attr:`models.records.ClusterRecord.key`), with the count of documents and whether their
figures disagree.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from typing import Iterable, Sequence, TextIO

from .records import ClusterRecord

__all__ = ["FORMATS", "CSV_FIELDS", "AGGREGATE_FIELDS", "write_records", "record_row", "aggregate_rows",
           "write_csv", "number"]

FORMATS = ("jsonl", "json", "csv", "table")
CSV_FIELDS = ("doc_id", "id", "name", "type", "province", "province_source", "area_low", "area_high",
              "area_qualifier", "fill_low", "fill_high", "fill_qualifier", "locations", "mentions",
              "area_evidence", "fill_evidence")
AGGREGATE_FIELDS = ("key", "name", "type", "province", "doc_id", "area_low", "area_high", "area_qualifier",
                    "fill_low", "fill_high", "fill_qualifier", "documents", "disagree")
_TABLE_FIELDS = ("doc_id", "id", "name", "type", "province", "area_ha", "fill_rate", "mentions", "locations")

Items = Iterable[tuple[str, Sequence[ClusterRecord]]]


def number(x: float | None) -> str:
    """``16.0`` -> ``"16"``, ``1156.77`` -> ``"1156.77"``, None -> ``""``: up to six decimals."""
    if x is None:
        return ""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def _offsets(pair) -> str:
    return f"{pair[0]}-{pair[1]}" if pair else ""


def record_row(doc_id: str, rec: ClusterRecord) -> dict[str, str]:
    """One CSV row (:data:`CSV_FIELDS`) of a record."""
    area, fill = rec.area_ha or [None, None], rec.fill_rate or [None, None]
    return {"doc_id": doc_id, "id": rec.id, "name": rec.name, "type": rec.type or "",
            "province": rec.province or "", "province_source": rec.province_source or "",
            "area_low": number(area[0]), "area_high": number(area[1]), "area_qualifier": rec.qualifier["area_ha"] or "",
            "fill_low": number(fill[0]), "fill_high": number(fill[1]),
            "fill_qualifier": rec.qualifier["fill_rate"] or "", "locations": "; ".join(rec.locations),
            "mentions": " ".join(_offsets(m) for m in rec.mentions),
            "area_evidence": _offsets(rec.evidence["area_ha"]), "fill_evidence": _offsets(rec.evidence["fill_rate"])}


def _figure(value: list[float] | None, qualifier: str | None, unit: str) -> str:
    if value is None:
        return ""
    shown = number(value[0]) if value[0] == value[1] else f"{number(value[0])}-{number(value[1])}"
    return f"{qualifier + ' ' if qualifier else ''}{shown}{unit}"


def _cell(s: str) -> str:
    return s.replace("\t", " ").replace("\n", " ")


def write_records(out: TextIO, items: Items, fmt: str) -> None:
    """Write ``(doc_id, records)`` pairs to ``out`` in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "jsonl":
        for doc_id, recs in items:
            out.write(json.dumps({"doc_id": doc_id, "clusters": [r.to_dict() for r in recs]}, ensure_ascii=False) + "\n")
    elif fmt == "json":
        json.dump([{"doc_id": doc_id, "clusters": [r.to_dict() for r in recs]} for doc_id, recs in items], out,
                  ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        write_csv(out, (record_row(doc_id, r) for doc_id, recs in items for r in recs), CSV_FIELDS)
    else:
        out.write("\t".join(_TABLE_FIELDS) + "\n")
        for doc_id, recs in items:
            for r in recs:
                cells = (doc_id, r.id, r.name, r.type or "", r.province or "",
                         _figure(r.area_ha, r.qualifier["area_ha"], " ha"),
                         _figure(r.fill_rate, r.qualifier["fill_rate"], "%"), str(len(r.mentions)),
                         "; ".join(r.locations))
                out.write("\t".join(_cell(c) for c in cells) + "\n")


def write_csv(out: TextIO, rows: Iterable[dict[str, str]], fields: Sequence[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


def aggregate_rows(items: Items) -> list[dict[str, str]]:
    """One row per (cluster key, doc_id) across documents (:data:`AGGREGATE_FIELDS`), sorted by
    key then doc_id. ``documents`` counts the documents that name the key; ``disagree`` says
    which figures (``area``, ``fill``) differ between them (a document without one does not
    disagree)."""
    by_key: dict[str, list[tuple[str, ClusterRecord]]] = defaultdict(list)
    for doc_id, recs in items:
        for r in recs:
            by_key[r.key].append((doc_id, r))
    rows = []
    for key in sorted(by_key):
        entries = sorted(by_key[key], key=lambda e: (e[0], e[1].mentions[0]))
        areas = {tuple(r.area_ha) for _, r in entries if r.area_ha}
        fills = {tuple(r.fill_rate) for _, r in entries if r.fill_rate}
        disagree = "+".join(name for name, values in (("area", areas), ("fill", fills)) if len(values) > 1)
        documents = str(len({d for d, _ in entries}))
        for doc_id, r in entries:
            row = record_row(doc_id, r)
            rows.append({"key": key, "name": r.name, "type": row["type"], "province": row["province"],
                         "doc_id": doc_id, **{f: row[f] for f in ("area_low", "area_high", "area_qualifier",
                                                                   "fill_low", "fill_high", "fill_qualifier")},
                         "documents": documents, "disagree": disagree})
    return rows
