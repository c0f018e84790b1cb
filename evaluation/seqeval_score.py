"""seqeval in strict IOB2 mode over syllable-level BIO (the figure the NER literature quotes).

Entities come from ``seqeval.scheme.Entities`` (what ``seqeval.metrics`` uses with
``mode="strict", scheme=IOB2``) and are counted here, which avoids importing
scikit-learn through ``seqeval.metrics``. F1 equals seqeval's; where seqeval writes 0 for
a precision or recall with nothing to divide by, this writes ``None``.
"""

from __future__ import annotations

from typing import Sequence

from annotations.bio import spans_to_tags
from annotations.document import Document, Span
from annotations.labels import LABELS
from annotations.syllables import syllable_spans

from annotations.scoring import mean_defined, prf


def _span_dict(doc_id: str, span: Span) -> dict:
    return {"doc": doc_id, "start": span.start, "end": span.end, "label": span.label, "text": span.text}


def score_seqeval(docs: Sequence[Document], pred: Sequence[Sequence[Span]],
                  labels: Sequence[str] = LABELS) -> dict:
    """``{label: {p, r, f1, support}, "micro": ..., "macro": ..., "misaligned": {...}}``.

    Spans that do not start and end on syllable boundaries cannot be written as tags;
    they are left out and listed under ``misaligned`` (gold and predicted separately).
    """
    from annotations.extras import require

    scheme = require("seqeval.scheme", "eval", "seqeval scores")
    IOB2, Entities = scheme.IOB2, scheme.Entities

    if len(docs) != len(pred):
        raise ValueError(f"{len(docs)} gold documents but {len(pred)} predicted span lists")
    wanted = set(labels)
    y_true, y_pred = [], []
    bad_gold, bad_pred = [], []
    for doc, spans in zip(docs, pred):
        tokens = syllable_spans(doc.text)
        if not tokens:
            continue
        t, mis_t = spans_to_tags(tokens, [s for s in doc.spans if s.label in wanted])
        p, mis_p = spans_to_tags(tokens, [s for s in spans if s.label in wanted])
        y_true.append(t)
        y_pred.append(p)
        bad_gold += [_span_dict(doc.id, s) for s in mis_t]
        bad_pred += [_span_dict(doc.id, s) for s in mis_p]
    entities_true = Entities(y_true, IOB2, False)
    entities_pred = Entities(y_pred, IOB2, False)
    out: dict = {}
    totals = [0, 0, 0]
    for label in labels:
        t, p = entities_true.filter(label), entities_pred.filter(label)
        tp, fp, fn = len(t & p), len(p - t), len(t - p)
        totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
        out[label] = {**prf(tp, fp, fn), "support": len(t)}
    out["micro"] = {**prf(*totals), "support": totals[0] + totals[2]}
    out["macro"] = {k: mean_defined(out[label][k] for label in labels) for k in ("p", "r", "f1")}
    out["macro"]["support"] = out["micro"]["support"]
    out["misaligned"] = {"gold": len(bad_gold), "pred": len(bad_pred), "gold_spans": bad_gold, "pred_spans": bad_pred}
    return out
