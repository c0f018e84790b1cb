"""A model as the studio tools see it: texts in, scored spans out, plus a version tag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ..document import Document, Span
from ..labelstudio import document_to_task

PredictFn = Callable[[Sequence[str]], Sequence[Sequence[Span]]]


@dataclass(frozen=True)
class Predictor:
    """``predict(texts) -> spans per text`` (code-point offsets, scores in [0, 1]) and its version."""

    predict: PredictFn
    model_version: str

    @classmethod
    def from_model_dir(cls, model_dir: str, *, batch_size: int = 16) -> "Predictor":
        """The project's tagger saved in ``model_dir`` (``models.Tagger``)."""
        from pathlib import Path

        if not Path(model_dir).is_dir():
            raise FileNotFoundError(f"{model_dir} is not a directory")
        from models import Tagger  # heavy import, only when a model is asked for

        tagger = Tagger.from_pretrained(model_dir)
        return cls(predict=lambda texts: tagger.extract_batch(list(texts), batch_size=batch_size),
                   model_version=str(tagger.model_version))

    def run(self, texts: Sequence[str]) -> list[list[Span]]:
        out = [list(spans) for spans in self.predict(list(texts))]
        if len(out) != len(texts):
            raise ValueError(f"predictor returned {len(out)} results for {len(texts)} texts")
        return out


def task_score(spans: Sequence[Span]) -> float:
    """The score Label Studio sorts tasks by: the lowest span score (the model's least sure
    decision), 1.0 when the model found nothing or gave no scores."""
    scores = [s.score for s in spans if s.score is not None]
    return float(min(scores)) if scores else 1.0


def prediction_entry(doc_id: str, text: str, spans: Sequence[Span], model_version: str) -> dict[str, Any]:
    """A Label Studio prediction ``{"result", "score", "model_version"}`` for one text, with
    UTF-16 offsets, per-region scores and region ids ``<doc_id>-p<i>``."""
    ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label))
    ordered = [Span(s.start, s.end, s.label, s.text, s.score, f"{doc_id}-p{i}") for i, s in enumerate(ordered)]
    doc = Document(id=doc_id, text=text, spans=ordered)
    task = document_to_task(doc, as_predictions=True, model_version=model_version,
                            task_score=task_score(ordered))
    return task["predictions"][0]
