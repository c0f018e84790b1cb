"""One-to-one alignment of gold and predicted spans, and the SemEval-2013 (task 9.1) schemes.

Each gold and each predicted span takes part in at most one pair. Pairs are formed in
order of preference: same offsets and label; same offsets, other label; overlapping
with the same label; overlapping with another label (largest overlap first). A pair's
``kind`` is one of:

``exact``          same offsets, same label
``boundary``       overlap, same label, other offsets  (a boundary error)
``type``           same offsets, other label            (a type error)
``boundary+type``  overlap, other label and offsets
``missed``         a gold span with no partner
``spurious``       a predicted span with no partner

Schemes (Segura-Bedmar et al. 2013; COR/INC/PAR/MIS/SPU): ``strict`` (offsets and
label), ``exact`` (offsets only), ``partial`` (overlap, half credit for boundary
differences), ``type`` (overlap with the right label).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from annotations.document import Span
from annotations.labels import LABELS

from annotations.scoring import ratio

KINDS = ("exact", "boundary", "type", "boundary+type", "missed", "spurious")
SCHEMES = ("strict", "exact", "partial", "type")

# kind -> category under each scheme
_CATEGORY = {
    "exact": {"strict": "cor", "exact": "cor", "partial": "cor", "type": "cor"},
    "type": {"strict": "inc", "exact": "cor", "partial": "cor", "type": "inc"},
    "boundary": {"strict": "inc", "exact": "inc", "partial": "par", "type": "cor"},
    "boundary+type": {"strict": "inc", "exact": "inc", "partial": "par", "type": "inc"},
    "missed": {s: "mis" for s in SCHEMES},
    "spurious": {s: "spu" for s in SCHEMES},
}


@dataclass(frozen=True)
class Pair:
    kind: str
    gold: Span | None
    pred: Span | None


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def align(gold: Sequence[Span], pred: Sequence[Span]) -> list[Pair]:
    """Pairs covering every gold and predicted span exactly once, sorted by position."""
    free_g = list(range(len(gold)))
    free_p = list(range(len(pred)))
    pairs: list[Pair] = []

    def take(match, kind_of) -> None:
        candidates = []
        for gi in free_g:
            for pi in free_p:
                rank = match(gold[gi], pred[pi])
                if rank is not None:
                    candidates.append((rank, gold[gi].start, pred[pi].start, gi, pi))
        used_g, used_p = set(), set()
        for _, _, _, gi, pi in sorted(candidates):
            if gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            pairs.append(Pair(kind_of(gold[gi], pred[pi]), gold[gi], pred[pi]))
        free_g[:] = [i for i in free_g if i not in used_g]
        free_p[:] = [i for i in free_p if i not in used_p]

    same_offsets = lambda g, p: 0 if (g.start, g.end) == (p.start, p.end) else None  # noqa: E731
    take(lambda g, p: 0 if g.key == p.key else None, lambda g, p: "exact")
    take(same_offsets, lambda g, p: "type")
    take(lambda g, p: -_overlap(g, p) if g.label == p.label and _overlap(g, p) else None, lambda g, p: "boundary")
    take(lambda g, p: -_overlap(g, p) if _overlap(g, p) else None, lambda g, p: "boundary+type")
    pairs.extend(Pair("missed", gold[i], None) for i in free_g)
    pairs.extend(Pair("spurious", None, pred[i]) for i in free_p)
    pairs.sort(key=lambda pr: min(s.start for s in (pr.gold, pr.pred) if s is not None))
    return pairs


def _scheme_figures(cat: dict[str, int], scheme: str) -> dict[str, float | int | None]:
    possible = cat["cor"] + cat["inc"] + cat["par"] + cat["mis"]
    actual = cat["cor"] + cat["inc"] + cat["par"] + cat["spu"]
    credit = cat["cor"] + (0.5 * cat["par"] if scheme == "partial" else 0)
    p, r = ratio(credit, actual), ratio(credit, possible)
    f1 = ratio(2 * credit, possible + actual)
    return {**cat, "possible": possible, "actual": actual, "p": p, "r": r, "f1": f1}


def score_partial(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]],
                  labels: Sequence[str] = LABELS) -> dict:
    """``{"schemes": {scheme: {cor, inc, par, mis, spu, possible, actual, p, r, f1}},
    "kinds": {label: {kind: count}}}``; ``kinds`` counts pairs by the gold label
    (the predicted label for ``spurious``). Spans of labels outside ``labels`` are ignored."""
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold documents but {len(pred)} predicted span lists")
    wanted = set(labels)
    cats = {s: {"cor": 0, "inc": 0, "par": 0, "mis": 0, "spu": 0} for s in SCHEMES}
    kinds = {label: {k: 0 for k in KINDS} for label in labels}
    for g, p in zip(gold, pred):
        for pair in align([s for s in g if s.label in wanted], [s for s in p if s.label in wanted]):
            for scheme in SCHEMES:
                cats[scheme][_CATEGORY[pair.kind][scheme]] += 1
            kinds[(pair.gold or pair.pred).label][pair.kind] += 1
    return {"schemes": {s: _scheme_figures(cats[s], s) for s in SCHEMES}, "kinds": kinds}
