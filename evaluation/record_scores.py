"""Scores of cluster records (:mod:`models.records`) against the record gold (relations, guidelines §9).

A gold cluster is a CLUSTER span with the spans ``same_as`` links to it; its places are the
targets of ``located_in`` (and ``implied_in``, for the province only), its figures those of
``area`` and ``fill_rate``; its province is resolved from its places as a record's is
(:func:`models.places.resolve`, the document's own LOCATIONs breaking ties).

- **merge**: over mentions matched by exact offsets, pairwise (pairs of mentions in one
  cluster) P/R/F1 and B-cubed P/R/F1; a mention only one side has counts as its own cluster
  on the other side;
- **province**: of the gold clusters with a province, the share whose record (the predicted
  record sharing most mentions, by overlap) names it; ``claimed_without_gold`` counts records
  naming a province for a gold cluster whose text gives none;
- **area** and **fill_rate**: of the gold clusters with such a figure, the share whose record
  has exactly the value of one of them (``[low, high]`` after normalisation,
  :func:`annotations.values.parse_value`); ``spurious`` counts values given to gold clusters
  that have none;
- **linking**: P/R/F1 of the links ``located_in`` (a record's ``evidence.locations``),
  ``area`` and ``fill_rate`` (its ``evidence``), a predicted link right when a gold cluster
  sharing a mention with the record has that link to a span of exactly those offsets.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from annotations.document import Document
from models.places import document_provinces, resolve
from models.records import ClusterRecord

__all__ = ["GoldCluster", "gold_clusters", "has_record_gold", "score_records", "LINKS"]

#: the links scored, as (gold relation label, record field)
LINKS = ("located_in", "area", "fill_rate")


@dataclass
class GoldCluster:
    mentions: list[tuple[int, int]]
    province: str | None = None
    links: dict[str, set[tuple[int, int]]] = field(default_factory=lambda: {k: set() for k in LINKS})
    values: dict[str, list[list[float]]] = field(default_factory=lambda: {"area": [], "fill_rate": []})


def has_record_gold(docs: Iterable[Document]) -> bool:
    """Whether any document carries relations (the set has record gold)."""
    return any(d.relations for d in docs)


def gold_clusters(doc: Document) -> list[GoldCluster]:
    """The gold clusters of ``doc`` from its spans and relations, in order of first mention."""
    by_id = {s.id: s for s in doc.spans if s.id is not None}
    clusters = sorted((s for s in doc.spans if s.label == "CLUSTER"), key=lambda s: (s.start, s.end))
    roots = doc.cluster_roots()
    groups: dict[str, GoldCluster] = {}
    order: list[GoldCluster] = []
    for s in clusters:
        key = roots[s.id] if s.id in roots else f"#{s.start}"
        if key not in groups:
            groups[key] = GoldCluster(mentions=[])
            order.append(groups[key])
        groups[key].mentions.append((s.start, s.end))
    counts = document_provinces(s.text for s in doc.spans if s.label == "LOCATION")
    places: dict[str, list] = defaultdict(list)
    for r in doc.relations:
        if r.from_id not in roots or r.to_id not in by_id:
            continue
        g, target = groups[roots[r.from_id]], by_id[r.to_id]
        if r.label in LINKS:
            g.links[r.label].add((target.start, target.end))
        if r.label in ("area", "fill_rate") and target.value is not None:
            g.values[r.label].append(target.value)
        if r.label in ("located_in", "implied_in"):
            places[roots[r.from_id]].append(target)
    for key, g in groups.items():
        found = Counter(p for t in places.get(key, []) if (p := resolve(t.text, counts)))
        if found:
            g.province = min(found, key=lambda p: (-found[p], p))
    return order


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"p": p, "r": r, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _overlaps(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    return sum(1 for x in a for y in b if x[0] < y[1] and y[0] < x[1])


def _same_value(a: list[float] | None, b: list[float]) -> bool:
    return a is not None and all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in zip(a, b))


def score_records(docs: Sequence[Document], predicted: Sequence[Sequence[ClusterRecord]]) -> dict:
    """Every record figure of one system on ``docs`` (see the module docstring)."""
    if len(docs) != len(predicted):
        raise ValueError(f"{len(docs)} gold documents but {len(predicted)} record lists")
    pairs = Counter()  # tp, fp, fn of mention pairs
    b3 = {"p": 0.0, "p_n": 0, "r": 0.0, "r_n": 0}
    province = Counter()
    values = {k: Counter() for k in ("area", "fill_rate")}
    links = {k: Counter() for k in LINKS}
    n_gold = n_pred = 0
    for doc, recs in zip(docs, predicted):
        gold = gold_clusters(doc)
        n_gold, n_pred = n_gold + len(gold), n_pred + len(recs)
        _merge(gold, recs, pairs, b3)
        for g in gold:
            best = max(recs, key=lambda r: _overlaps(r.mentions, g.mentions), default=None)
            rec = best if best is not None and _overlaps(best.mentions, g.mentions) else None
            if g.province is not None:
                province["gold"] += 1
                province["found"] += rec is not None
                province["correct"] += rec is not None and rec.province == g.province
            elif rec is not None and rec.province is not None:
                province["claimed_without_gold"] += 1
            for kind, field_ in (("area", "area_ha"), ("fill_rate", "fill_rate")):
                got = getattr(rec, field_) if rec is not None else None
                if g.values[kind]:
                    values[kind]["gold"] += 1
                    if any(_same_value(got, v) for v in g.values[kind]):
                        values[kind]["correct"] += 1
                    elif got is None:
                        values[kind]["missing"] += 1
                    else:
                        values[kind]["wrong"] += 1
                elif got is not None:
                    values[kind]["spurious"] += 1
        _links(gold, recs, links)
    out = {"documents": len(docs), "gold_clusters": n_gold, "predicted_clusters": n_pred,
           "merge": {"pairwise": _prf(pairs["tp"], pairs["fp"], pairs["fn"]), "bcubed": _bcubed(b3)},
           "province": {**{k: province[k] for k in ("gold", "found", "correct", "claimed_without_gold")},
                        "accuracy": province["correct"] / province["gold"] if province["gold"] else None},
           "values": {k: {**{x: c[x] for x in ("gold", "correct", "wrong", "missing", "spurious")},
                          "accuracy": c["correct"] / c["gold"] if c["gold"] else None} for k, c in values.items()},
           "linking": {k: _prf(c["tp"], c["fp"], c["fn"]) for k, c in links.items()}}
    total = sum((links[k] for k in LINKS), Counter())
    out["linking"]["micro"] = _prf(total["tp"], total["fp"], total["fn"])
    return out


def _merge(gold: list[GoldCluster], recs: Sequence[ClusterRecord], pairs: Counter, b3: dict) -> None:
    g_of = {m: i for i, g in enumerate(gold) for m in g.mentions}
    p_of = {m: i for i, r in enumerate(recs) for m in r.mentions}

    def pair_set(of: dict) -> set:
        members = defaultdict(list)
        for m, i in of.items():
            members[i].append(m)
        return {(a, b) for ms in members.values() for a in ms for b in ms if a < b}

    gp, pp = pair_set(g_of), pair_set(p_of)
    pairs["tp"] += len(gp & pp)
    pairs["fp"] += len(pp - gp)
    pairs["fn"] += len(gp - pp)
    g_members = {i: set(g.mentions) for i, g in enumerate(gold)}
    p_members = {i: set(r.mentions) for i, r in enumerate(recs)}
    for m, i in p_of.items():
        other = g_members[g_of[m]] if m in g_of else {m}
        b3["p"] += len(p_members[i] & other) / len(p_members[i])
        b3["p_n"] += 1
    for m, i in g_of.items():
        other = p_members[p_of[m]] if m in p_of else {m}
        b3["r"] += len(g_members[i] & other) / len(g_members[i])
        b3["r_n"] += 1


def _bcubed(b3: dict) -> dict:
    p = b3["p"] / b3["p_n"] if b3["p_n"] else None
    r = b3["r"] / b3["r_n"] if b3["r_n"] else None
    f1 = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return {"p": p, "r": r, "f1": f1}


def _links(gold: list[GoldCluster], recs: Sequence[ClusterRecord], links: dict) -> None:
    used: set[tuple[int, str, tuple[int, int]]] = set()
    for rec in recs:
        predicted = [("located_in", tuple(x)) for x in rec.evidence["locations"]]
        predicted += [(kind, tuple(rec.evidence[field_])) for kind, field_ in (("area", "area_ha"),
                                                                             ("fill_rate", "fill_rate"))
                      if rec.evidence[field_]]
        candidates = [i for i, g in enumerate(gold) if _overlaps(rec.mentions, g.mentions)]
        for kind, target in predicted:
            hit = next((i for i in candidates if target in gold[i].links[kind] and (i, kind, target) not in used), None)
            if hit is None:
                links[kind]["fp"] += 1
            else:
                used.add((hit, kind, target))
                links[kind]["tp"] += 1
    for i, g in enumerate(gold):
        for kind in LINKS:
            links[kind]["fn"] += sum(1 for t in g.links[kind] if (i, kind, t) not in used)
